//! Steps 4 and 5 of the plan: the Collector and Jaeger releases. A release is unchanged when it is
//! `deployed`, its chart is `name-version` of the version asked for (any, when none is pinned) and
//! its user-supplied values (`helm get values`) equal the merge of the values file and tracectl's
//! overrides, compared as JSON with numbers by value. A fresh install is undone by `helm
//! uninstall`, an upgrade by `helm rollback` to the revision it found; `helm repo update` is
//! planned only when a chart is to be installed. Tests: below, and `tests/it/deploy.rs`.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Deploy, action};
use crate::commands::deploy::helm::chart_label;
use crate::commands::deploy::inputs::Chart;
use crate::error::UsageError;
use crate::mutation::diff::{deep_merge, json_equal, sha256};
use crate::mutation::{Change, HelmRelease, Inverse, Observed, Operation, Plan, PlannedAction};

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
pub fn jaeger_overrides(d: &Deploy) -> Value {
    let mut es = json!({
        "usePassword": true,
        "existingSecret": d.inputs.secret.name,
        "existingSecretKey": d.inputs.secret.key,
    });
    if let Some(h) = &d.inputs.es_host {
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
        ((5, "jaeger"), &d.inputs.jaeger, jaeger_overrides(d)),
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
    let digest = sha256(&values);
    let op = Operation::HelmUpgrade(HelmRelease {
        release: c.release.clone(),
        namespace: ns.clone(),
        chart: c.chart.clone(),
        version: c.version.clone(),
        values_files: c.values.iter().cloned().collect(),
        values_sha256: digest.clone(),
        values: values.clone(),
    });
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
            op,
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
            op,
            Observed::NotInstalled,
            Some(Inverse::HelmUninstall {
                release: c.release.clone(),
                namespace: ns.clone(),
            }),
        ));
    };
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
        )
        .into());
    }
    let live_values = d
        .helm
        .values(ns, &c.release)
        .await
        .with_context(|| format!("step {}: helm get values", step.0))?;
    let live_values = if live_values.is_null() {
        json!({})
    } else {
        live_values
    };
    let mut diff = Vec::new();
    if let Some(want) = chart_label(&c.chart, c.version.as_deref())
        && want != r.chart
    {
        diff.push(format!("chart {} → {want}", r.chart));
    }
    if !json_equal(&values, &live_values) {
        diff.push(format!(
            "values {} → {}",
            short(&sha256(&live_values)),
            short(&digest)
        ));
    }
    if r.status != "deployed" {
        diff.push(format!("status {}", r.status));
    }
    let observed = Observed::Release {
        revision: r.revision,
        chart: r.chart.clone(),
        status: r.status.clone(),
        values_sha256: sha256(&live_values),
    };
    if diff.is_empty() {
        return Ok(action(
            id,
            step,
            Change::Unchanged,
            format!(
                "{} is {} at revision {}, values as given",
                c.release, r.chart, r.revision
            ),
            op,
            observed,
            None,
        ));
    }
    let mut a = action(
        id,
        step,
        Change::Update,
        format!(
            "upgrade {} (revision {}): {} {version}",
            c.release, r.revision, c.chart
        ),
        op,
        observed,
        Some(Inverse::HelmRollback {
            release: c.release.clone(),
            namespace: ns.clone(),
            revision: r.revision,
        }),
    );
    a.diff = diff;
    Ok(a)
}

fn short(digest: &str) -> String {
    digest.chars().take(7 + 12).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
