//! Steps 4 and 5 of the plan: the Collector and Jaeger releases. A release is unchanged when it is
//! `deployed`, its chart is `name-version` of the version asked for (any, when none is pinned) and
//! its user-supplied values (`helm get values`) equal the merge of the values file and tracectl's
//! overrides, compared as JSON with numbers by value. A fresh install is undone by `helm
//! uninstall`, an upgrade by `helm rollback` to the revision it found; `helm repo update` is
//! planned only when a chart is to be installed. The decision for an installed release
//! ([`upgrade_action`]) is `maintain update`'s too. Tests: below, and `tests/it/deploy.rs`.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::action;
use super::deploy::Deploy;
use crate::backends::helm::{HelmError, Release, Upgrade, chart_label};
use crate::error::UsageError;
use crate::mutation::exec::Exec;
use crate::mutation::journal::Undo;
use crate::mutation::ops::inputs::{Chart, Inputs};
use crate::mutation::patch::{deep_merge, json_equal, sha256};
use crate::mutation::runner::{ActionError, must_look};
use crate::mutation::{
    ActionResult, Change, HelmRelease, Inverse, Observed, Operation, Plan, PlannedAction,
};

/// The values a release is installed with: the values file, then tracectl's overrides on top.
pub fn release_values(c: &Chart, overrides: &Value) -> Result<Value, UsageError> {
    let base = match &c.values {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                UsageError::new(format!("values file {}: cannot read: {e}", path.display()))
            })?;
            if text.trim().is_empty() {
                json!({})
            } else {
                serde_norway::from_str::<Value>(&text).map_err(|e| {
                    UsageError::new(format!("values file {}: not YAML: {e}", path.display()))
                })?
            }
        }
        None => json!({}),
    };
    if !(base.is_object() || base.is_null()) {
        return Err(UsageError::new(format!(
            "values file of {} must be a map of values",
            c.release
        )));
    }
    Ok(deep_merge(&base, overrides))
}

/// Jaeger on Elasticsearch, its password from the Secret of step 3 (never a `--set`), and no
/// Cassandra provisioned beside it (the chart's default).
/// `maintain update` puts the same ones over the same file, or an upgrade would take Jaeger off
/// its storage.
pub fn jaeger_overrides(i: &Inputs) -> Value {
    let mut es = json!({
        "usePassword": true,
        "existingSecret": i.secret.name,
        "existingSecretKey": i.secret.key,
    });
    if let Some(h) = &i.es_host {
        es["host"] = json!(h);
    }
    json!({
        "provisionDataStore": {"cassandra": false},
        "storage": {"type": "elasticsearch", "elasticsearch": es},
    })
}

/// Steps 4 and 5, and the repositories' refresh before them when a chart changes.
pub async fn charts(d: &Deploy, plan: &mut Plan, helm_missing: bool) -> Result<()> {
    let mut chart_changes = false;
    for (step, c, overrides) in [
        ((4, "collector"), &d.inputs.collector, json!({})),
        ((5, "jaeger"), &d.inputs.jaeger, jaeger_overrides(&d.inputs)),
    ] {
        let values = release_values(c, &overrides)?;
        let a = release_action(d, step, c, values, helm_missing).await?;
        chart_changes |= a.change.is_change();
        plan.actions.push(a);
    }
    if chart_changes {
        // Refresh the indexes right before the installs need them.
        let at = plan
            .actions
            .iter()
            .rposition(|a| a.step == 2)
            .map_or(0, |i| i + 1);
        let names: Vec<String> = d
            .inputs
            .repositories
            .iter()
            .map(|r| r.name.clone())
            .collect();
        plan.actions.insert(
            at,
            action(
                "helm-repo-update".into(),
                (2, "helm-repos"),
                Change::Refresh,
                format!("helm repo update {}", names.join(" ")),
                Operation::HelmRepoUpdate { names },
                Observed::NotApplicable,
                None,
            ),
        );
    }

    Ok(())
}

async fn release_action(
    d: &Deploy,
    step: (u8, &str),
    c: &Chart,
    values: Value,
    helm_missing: bool,
) -> Result<PlannedAction> {
    let ns = &d.inputs.namespace;
    let want = helm_upgrade(c, ns, c.version.clone(), values);
    let id = format!("helm-release/{}", c.release);
    let version = c.version.as_deref().unwrap_or("(latest)");
    if helm_missing {
        return Ok(action(
            id,
            step,
            Change::Update,
            format!(
                "install or upgrade {}: {} {version} (state unknown: helm not found)",
                c.release, c.chart
            ),
            Operation::HelmUpgrade(want),
            Observed::Unknown {
                reason: "helm not found".into(),
            },
            None,
        ));
    }
    let current = d
        .helm
        .release(ns, &c.release)
        .await
        .with_context(|| format!("step {}: helm list", step.0))?;
    let Some(r) = current else {
        return Ok(action(
            id,
            step,
            Change::Create,
            format!("install {}: {} {version}", c.release, c.chart),
            Operation::HelmUpgrade(want),
            Observed::NotInstalled,
            Some(Inverse::HelmUninstall {
                release: c.release.clone(),
                namespace: ns.clone(),
            }),
        ));
    };
    not_pending(&r, ns)?;
    let live_values = user_values(
        d.helm
            .values(ns, &c.release)
            .await
            .with_context(|| format!("step {}: helm get values", step.0))?,
    );
    let summary = format!(
        "upgrade {} (revision {}): {} {version}",
        c.release, r.revision, c.chart
    );
    let want_chart = chart_label(&c.chart, c.version.as_deref());
    Ok(upgrade_action(
        step,
        want,
        want_chart.as_deref(),
        (&r, &live_values),
        summary,
    ))
}

/// What `helm upgrade` of chart `c` in `ns` to `version` (the latest: `None`) with `values`
/// sends; `maintain update`'s too.
pub fn helm_upgrade(c: &Chart, ns: &str, version: Option<String>, values: Value) -> HelmRelease {
    HelmRelease {
        release: c.release.clone(),
        namespace: ns.to_string(),
        chart: c.chart.clone(),
        version,
        values_files: c.values.iter().cloned().collect(),
        values_sha256: sha256(&values),
        values,
    }
}

/// A release another Helm operation holds (`pending-*`) is not upgraded: a usage error saying
/// how to get it out of that state.
pub fn not_pending(r: &Release, ns: &str) -> Result<(), UsageError> {
    if r.status.starts_with("pending") {
        return Err(UsageError::with_hint(
            format!(
                "release {} is {} (revision {}): another Helm operation is running or was interrupted",
                r.name, r.status, r.revision
            ),
            format!(
                "wait for it, or `helm rollback {} {} -n {ns}` if it was interrupted",
                r.name, r.revision
            ),
        ));
    }
    Ok(())
}

/// A release's user-supplied values as compared: `helm get values` answers `null` for none.
pub fn user_values(live: Value) -> Value {
    if live.is_null() { json!({}) } else { live }
}

/// What an upgrade to `want_chart` (`name-version`; `None`: any version) with `values` changes
/// in release `r`, whose user-supplied values are `live_values`; empty when nothing does.
pub fn upgrade_diff(
    r: &Release,
    want_chart: Option<&str>,
    values: &Value,
    live_values: &Value,
) -> Vec<String> {
    let mut diff = Vec::new();
    if let Some(want) = want_chart
        && want != r.chart
    {
        diff.push(format!("chart {} → {want}", r.chart));
    }
    if !json_equal(values, live_values) {
        diff.push(format!(
            "values {} → {}",
            short(&sha256(live_values)),
            short(&sha256(values))
        ));
    }
    if r.status != "deployed" {
        diff.push(format!("status {}", r.status));
    }
    diff
}

/// The upgrade of installed release `r` (with user-supplied values `live_values`) to `want`,
/// observed at its revision, chart, status and values: unchanged when [`upgrade_diff`] finds
/// nothing; else an update (`summary`) undone by `helm rollback` to the revision found.
/// `maintain update`'s too.
pub fn upgrade_action(
    step: (u8, &str),
    want: HelmRelease,
    want_chart: Option<&str>,
    (r, live_values): (&Release, &Value),
    summary: String,
) -> PlannedAction {
    let diff = upgrade_diff(r, want_chart, &want.values, live_values);
    let id = format!("helm-release/{}", want.release);
    let observed = Observed::Release {
        revision: r.revision,
        chart: r.chart.clone(),
        status: r.status.clone(),
        values_sha256: sha256(live_values),
    };
    if diff.is_empty() {
        return action(
            id,
            step,
            Change::Unchanged,
            format!(
                "{} is {} at revision {}, values as given",
                want.release, r.chart, r.revision
            ),
            Operation::HelmUpgrade(want),
            observed,
            None,
        );
    }
    let inverse = Inverse::HelmRollback {
        release: want.release.clone(),
        namespace: want.namespace.clone(),
        revision: r.revision,
    };
    let mut a = action(
        id,
        step,
        Change::Update,
        summary,
        Operation::HelmUpgrade(want),
        observed,
        Some(inverse),
    );
    a.diff = diff;
    a
}

fn short(digest: &str) -> String {
    digest.chars().take(7 + 12).collect()
}

// Doing it: the executor's part (`crate::mutation::exec`), the apply beside its undo.

fn helm_err(e: HelmError) -> ActionError {
    ActionError::with_hint(e.to_string(), e.hint())
}

/// [`Operation::HelmRepoAdd`], [`Operation::HelmRepoUpdate`] and [`Operation::HelmUpgrade`]. An
/// upgrade checks the release is still at the revision the plan saw, writes its values to
/// `<journal>.values/<release>.json` (0600) and passes them with `--values`.
pub async fn apply(x: &Exec<'_>, action: &PlannedAction) -> Result<ActionResult, ActionError> {
    match &action.operation {
        Operation::HelmRepoAdd { name, url } => {
            x.helm.repo_add(name, url).await.map_err(helm_err)?;
            Ok(ActionResult::detail("added"))
        }
        Operation::HelmRepoUpdate { names } => {
            x.helm.repo_update(names).await.map_err(helm_err)?;
            Ok(ActionResult::detail("updated"))
        }
        Operation::HelmUpgrade(r) => upgrade(x, r, &action.observed).await,
        _ => Err(ActionError::new("not a Helm action")),
    }
}

async fn upgrade(
    x: &Exec<'_>,
    r: &crate::mutation::HelmRelease,
    observed: &Observed,
) -> Result<ActionResult, ActionError> {
    let now = x
        .helm
        .release(&r.namespace, &r.release)
        .await
        .map_err(helm_err)?;
    let before = match (observed, &now) {
        (Observed::NotInstalled, None) => None,
        (Observed::Release { revision, .. }, Some(n)) if n.revision == *revision => Some(*revision),
        (_, n) => {
            return Err(ActionError::with_hint(
                format!(
                    "release {} changed since the plan: it is {}",
                    r.release,
                    n.as_ref()
                        .map(|n| format!("at revision {} ({})", n.revision, n.status))
                        .unwrap_or_else(|| "not installed".into())
                ),
                "plan again (`tracectl deploy plan`, or the maintain command with --dry-run) and review it",
            ));
        }
    };
    crate::mutation::journal::create_private_dir(&x.values_dir)
        .map_err(|e| ActionError::new(format!("{}: cannot create: {e}", x.values_dir.display())))?;
    let file = x.values_dir.join(format!("{}.json", r.release));
    write_private(
        &file,
        &serde_json::to_vec_pretty(&r.values).unwrap_or_default(),
    )
    .map_err(|e| ActionError::new(format!("{}: cannot write: {e}", file.display())))?;
    x.helm
        .upgrade_install(
            &Upgrade {
                release: &r.release,
                chart: &r.chart,
                namespace: &r.namespace,
                version: r.version.as_deref(),
            },
            &file,
        )
        .await
        .map_err(helm_err)?;
    let after = x
        .helm
        .status(&r.namespace, &r.release)
        .await
        .map_err(helm_err)?
        .map(|(rev, _)| rev);
    Ok(ActionResult {
        detail: match (before, after) {
            (None, Some(a)) => format!("installed, revision {a}"),
            (Some(b), Some(a)) => format!("upgraded, revision {b} → {a}"),
            _ => "installed".into(),
        },
        revision_before: before,
        revision_after: after,
        ..Default::default()
    })
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_data()
}

/// Undo a release or a repository: `helm rollback REL REV` only if the release is still at the
/// revision the run made; `helm uninstall`; `helm repo remove`.
pub async fn undo(x: &Exec<'_>, undo: &Undo) -> Result<String, ActionError> {
    let look = must_look(undo);
    let Some(inverse) = &undo.action.inverse else {
        return Ok("nothing to undo".into());
    };
    match inverse {
        Inverse::HelmRollback {
            release,
            namespace,
            revision,
        } => {
            let now = x.helm.release(namespace, release).await.map_err(helm_err)?;
            let Some(now) = now else {
                return Err(ActionError::with_hint(
                    format!(
                        "release {release} is not installed any more; it was at revision {revision}"
                    ),
                    "reinstall it by hand",
                ));
            };
            if now.revision == *revision {
                return Ok(format!(
                    "nothing to undo: {release} is still at revision {revision}"
                ));
            }
            let made = undo.result.as_ref().and_then(|r| r.revision_after);
            if let (false, Some(made)) = (look, made)
                && now.revision != made
            {
                return Err(ActionError::with_hint(
                    format!(
                        "release {release} is at revision {} now, not {made} as the deploy left it",
                        now.revision
                    ),
                    format!("check `helm history {release} -n {namespace}` and roll back by hand"),
                ));
            }
            x.helm
                .rollback(namespace, release, *revision)
                .await
                .map_err(helm_err)?;
            Ok(format!("helm rollback {release} {revision}"))
        }
        Inverse::HelmUninstall { release, namespace } => {
            if look
                && x.helm
                    .release(namespace, release)
                    .await
                    .map_err(helm_err)?
                    .is_none()
            {
                return Ok(format!("nothing to undo: {release} is not installed"));
            }
            x.helm
                .uninstall(namespace, release)
                .await
                .map_err(helm_err)?;
            Ok(format!("helm uninstall {release}"))
        }
        Inverse::HelmRepoRemove { name } => {
            if look
                && !x
                    .helm
                    .repo_list()
                    .await
                    .map_err(helm_err)?
                    .iter()
                    .any(|r| &r.name == name)
            {
                return Ok(format!("nothing to undo: helm repo {name} is not there"));
            }
            x.helm.repo_remove(name).await.map_err(helm_err)?;
            Ok(format!("helm repo remove {name}"))
        }
        _ => Err(ActionError::new("not a Helm undo")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(chart: &str, status: &str) -> Release {
        Release {
            name: "otel-collector".into(),
            namespace: "monitoring".into(),
            revision: 4,
            status: status.into(),
            chart: chart.into(),
        }
    }

    #[test]
    fn an_upgrade_shows_the_chart_and_the_values_it_changes() {
        let r = release("opentelemetry-collector-0.108.0", "deployed");
        let v = json!({"mode": "deployment"});
        assert_eq!(
            upgrade_diff(&r, Some("opentelemetry-collector-0.109.0"), &v, &v),
            ["chart opentelemetry-collector-0.108.0 → opentelemetry-collector-0.109.0"]
        );
        assert_eq!(
            upgrade_diff(
                &r,
                Some("opentelemetry-collector-0.108.0"),
                &v,
                &json!({"mode": "deployment"})
            ),
            Vec::<String>::new()
        );
        let d = upgrade_diff(&r, Some("opentelemetry-collector-0.108.0"), &v, &json!({}));
        assert!(
            d[0].starts_with("values sha256:") && d[0].contains(" → sha256:"),
            "{d:?}"
        );
        // No version pinned: any chart counts.
        assert_eq!(upgrade_diff(&r, None, &v, &v), Vec::<String>::new());
        let failed = release("opentelemetry-collector-0.108.0", "failed");
        assert_eq!(
            upgrade_diff(&failed, Some("opentelemetry-collector-0.108.0"), &v, &v),
            ["status failed"]
        );
    }

    #[test]
    fn release_values_merge_the_file_under_the_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("values.yaml");
        std::fs::write(
            &f,
            "storage:\n  type: cassandra\n  elasticsearch: {host: es.old, port: 9200}\nquery: {replicas: 2}\n",
        )
        .unwrap();
        let c = Chart {
            release: "jaeger".into(),
            chart: "jaegertracing/jaeger".into(),
            version: None,
            values: Some(f.clone()),
        };
        let v = release_values(
            &c,
            &json!({"storage": {"type": "elasticsearch", "elasticsearch": {"existingSecret": "s"}}}),
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"storage": {"type": "elasticsearch",
                               "elasticsearch": {"host": "es.old", "port": 9200, "existingSecret": "s"}},
                   "query": {"replicas": 2}})
        );
        std::fs::write(&f, "- a list\n").unwrap();
        assert!(release_values(&c, &json!({})).is_err());
        std::fs::write(&f, "").unwrap();
        assert_eq!(release_values(&c, &json!({})).unwrap(), json!({}));
    }
}
