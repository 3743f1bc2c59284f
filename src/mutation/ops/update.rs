//! `tracectl maintain update`: `helm upgrade` of the Collector and/or Jaeger to a given chart
//! version with their values files, then a wait for the rollout (guide section 3.2.2, "Component
//! Updates": `helm upgrade otel-collector open-telemetry/opentelemetry-collector -n monitoring
//! --values ... --version NEW_VERSION`, the same for Jaeger).
//!
//! Release and chart names come from `deploy`'s inputs (`-f deploy.yaml`, or the runbook's
//! defaults: `crate::mutation::ops::inputs`), so `update` upgrades what `deploy` installed. Only
//! the releases given a version (`--collector-version`, `--jaeger-version`) are planned. Their values
//! are what `deploy` would send: the values file (flag, or deploy.yaml's) with, for Jaeger, the
//! same Elasticsearch overrides `deploy` adds; with no values file, the release's current
//! user-supplied values, so an upgrade of the version alone does not drop them.
//!
//! Each release becomes a [`Operation::HelmUpgrade`] observed at its current revision: unchanged
//! when it is `deployed` with that chart version and those values; otherwise undone by `helm
//! rollback REL REV` to the revision found (the journal records it: that is how the previous
//! revisions are kept). A release that is not installed is a usage error: `update` upgrades,
//! `deploy` installs. A [`Operation::WaitRollout`] check follows a change. The decision is
//! `deploy`'s (`release::upgrade_action`, tested there), and so is its apply and undo
//! (`crate::mutation::ops::release`). Tests: below (the pure parts); `tests/it/maintain/scale.rs`
//! end to end with the fake `helm`.

use std::path::Path;

use anyhow::Result;
use serde_json::{Value, json};

use super::Ctx;
use crate::backends::helm::{HelmError, chart_label};
use crate::cli::{DeployArgs, UpdateArgs};
use crate::error::UsageError;
use crate::mutation::ops::action;
use crate::mutation::ops::inputs::{self, Chart};
use crate::mutation::ops::release::{
    helm_upgrade, jaeger_overrides, not_pending, release_values, upgrade_action, user_values,
};
use crate::mutation::{Change, Observed, Operation, Plan, PlannedAction};

pub const STEP_ID: &str = "update";

fn helm_error(e: HelmError, what: &str) -> anyhow::Error {
    match e {
        HelmError::Missing { .. } => {
            UsageError::with_hint(format!("maintain update needs helm: {e}"), e.hint()).into()
        }
        e => anyhow::Error::new(e).context(what.to_string()),
    }
}

/// One release to upgrade: its chart and the version asked for.
struct Wanted<'a> {
    chart: &'a Chart,
    version: &'a str,
    overrides: Value,
}

/// The checks before any read: a version for every values file, something to do.
fn check_args(a: &UpdateArgs) -> Result<(), UsageError> {
    for (what, version, values) in [
        ("collector", &a.collector_version, &a.collector_values),
        ("jaeger", &a.jaeger_version, &a.jaeger_values),
    ] {
        if version.is_none() && values.is_some() {
            return Err(UsageError::with_hint(
                format!("--{what}-values is given without --{what}-version"),
                format!(
                    "pass --{what}-version VERSION: the chart version to upgrade to (it may be the installed one)"
                ),
            ));
        }
        if let Some(v) = version
            && (v.is_empty() || v.starts_with('-') || v.contains(char::is_whitespace))
        {
            return Err(UsageError::new(format!(
                "--{what}-version {v:?} is not a chart version"
            )));
        }
    }
    if a.collector_version.is_none() && a.jaeger_version.is_none() {
        return Err(UsageError::with_hint(
            "maintain update has nothing to upgrade",
            "pass --collector-version VERSION and/or --jaeger-version VERSION (with their --*-values FILE)",
        ));
    }
    Ok(())
}

/// Plan the upgrades; reads `helm list` and `helm get values`, changes nothing.
pub async fn plan(ctx: &Ctx, args: &UpdateArgs, step: u8, plan: &mut Plan) -> Result<()> {
    check_args(args)?;
    let (file, dir) = inputs::load(args.file.as_deref())?;
    if let Some(ns) = &file.namespace
        && ns != &ctx.namespace
    {
        return Err(UsageError::with_hint(
            format!(
                "{} installs into {ns}, and this run is in {}",
                args.file
                    .as_deref()
                    .unwrap_or(Path::new(inputs::DEFAULT_FILE))
                    .display(),
                ctx.namespace
            ),
            format!("pass -n {ns}"),
        )
        .into());
    }
    let inputs = inputs::resolve(&file, &dir, &deploy_args(args), Some(&ctx.namespace))?;
    ctx.kube("maintain update")?;
    let mut wanted = Vec::new();
    if let Some(v) = &args.collector_version {
        wanted.push(Wanted {
            chart: &inputs.collector,
            version: v,
            overrides: json!({}),
        });
    }
    if let Some(v) = &args.jaeger_version {
        wanted.push(Wanted {
            chart: &inputs.jaeger,
            version: v,
            overrides: jaeger_overrides(&inputs),
        });
    }
    let mut changes = false;
    for w in wanted {
        let a = release_action(ctx, step, &w).await?;
        changes |= a.change.is_change();
        plan.actions.push(a);
    }
    if changes {
        let ns = &ctx.namespace;
        plan.actions.push(action(
            format!("wait-rollout/{ns}"),
            (step, STEP_ID),
            Change::Check,
            format!(
                "wait for every Deployment, StatefulSet and DaemonSet in {ns} to roll out (timeout {})",
                crate::clock::format_duration(inputs.rollout_timeout)
            ),
            Operation::WaitRollout {
                namespace: ns.clone(),
                timeout_seconds: inputs.rollout_timeout.as_secs(),
            },
            Observed::NotApplicable,
            None,
        ));
    }
    Ok(())
}

/// `deploy`'s arguments that say the same as `update`'s: no manifests, no password (the
/// releases' values name the Secret `deploy` made).
fn deploy_args(args: &UpdateArgs) -> DeployArgs {
    DeployArgs {
        file: args.file.clone(),
        collector_values: args.collector_values.clone(),
        collector_version: args.collector_version.clone(),
        jaeger_values: args.jaeger_values.clone(),
        jaeger_version: args.jaeger_version.clone(),
        manifests: Vec::new(),
        es_password_file: None,
        es_password_env: None,
        wait_timeout: args.wait_timeout.clone(),
        helm: args.helm.clone(),
    }
}

async fn release_action(ctx: &Ctx, step: u8, w: &Wanted<'_>) -> Result<PlannedAction> {
    let ns = &ctx.namespace;
    let c = w.chart;
    let current = ctx
        .helm
        .release(ns, &c.release)
        .await
        .map_err(|e| helm_error(e, "helm list"))?;
    let Some(r) = current else {
        return Err(UsageError::with_hint(
            format!(
                "release {} is not installed in {ns}: update upgrades what is installed",
                c.release
            ),
            "install it with `tracectl deploy apply`, or name the release in deploy.yaml (-f)",
        )
        .into());
    };
    not_pending(&r, ns)?;
    let live_values = user_values(
        ctx.helm
            .values(ns, &c.release)
            .await
            .map_err(|e| helm_error(e, "helm get values"))?,
    );
    let values = match &c.values {
        Some(_) => release_values(c, &w.overrides)?,
        None => live_values.clone(),
    };
    let summary = format!(
        "helm upgrade {} (revision {}): {} {}{}",
        c.release,
        r.revision,
        c.chart,
        w.version,
        c.values
            .as_ref()
            .map(|p| format!(" --values {}", p.display()))
            .unwrap_or_else(|| " with its current values".into())
    );
    let want_chart = chart_label(&c.chart, Some(w.version));
    Ok(upgrade_action(
        (step, STEP_ID),
        helm_upgrade(c, ns, Some(w.version.to_string()), values),
        want_chart.as_deref(),
        (&r, &live_values),
        summary,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> UpdateArgs {
        UpdateArgs::default()
    }

    #[test]
    fn arguments_are_checked_first() {
        assert!(
            check_args(&args())
                .unwrap_err()
                .message
                .contains("nothing to upgrade")
        );
        let mut a = args();
        a.jaeger_values = Some("v.yaml".into());
        assert!(
            check_args(&a)
                .unwrap_err()
                .message
                .contains("without --jaeger-version")
        );
        a.jaeger_version = Some("--set=x".into());
        assert!(
            check_args(&a)
                .unwrap_err()
                .message
                .contains("not a chart version")
        );
        a.jaeger_version = Some("3.4.1".into());
        assert!(check_args(&a).is_ok());
    }

    #[test]
    fn values_files_merge_under_deploys_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("values.yaml");
        std::fs::write(&f, "storage:\n  type: cassandra\nquery: {replicas: 2}\n").unwrap();
        let (file, _) = (inputs::DeployFile::default(), ());
        let i = inputs::resolve(&file, dir.path(), &deploy_args(&args()), None).unwrap();
        let mut c = i.jaeger.clone();
        c.values = Some(f.clone());
        let v = release_values(&c, &jaeger_overrides(&i)).unwrap();
        assert_eq!(v["storage"]["type"], "elasticsearch");
        assert_eq!(
            v["storage"]["elasticsearch"]["existingSecret"],
            "jaeger-secret"
        );
        assert_eq!(v["query"]["replicas"], 2);
        std::fs::write(&f, "- a list\n").unwrap();
        assert!(release_values(&c, &json!({})).is_err());
    }
}
