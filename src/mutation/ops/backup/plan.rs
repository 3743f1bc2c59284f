//! Planning `maintain backup`: the backup's directory and snapshot named after the run, the
//! parts listed from what is live (ConfigMaps and Secrets with the label, dashboards, the
//! snapshot's indices), as two actions. Reads only. Tests: `tests.rs`.

use super::{DEFAULT_SELECTOR, DEFAULT_SNAPSHOT_INDICES, Part, SA_TOKEN, plural};
use crate::backends::elasticsearch::valid_index_pattern;
use crate::backends::kubernetes::valid_label_selector;
use crate::cli::BackupArgs;
use crate::error::UsageError;
use crate::mutation::ops::Ctx;
use crate::mutation::{Change, Inverse, Observed, Operation, Plan, PlannedAction};
use anyhow::{Context, Result};
use jiff::Timestamp;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `tracectl-backup-20261125-100000`, from the run's start (UTC).
pub fn default_dir(now: Timestamp) -> PathBuf {
    PathBuf::from(format!("tracectl-backup-{}", stamp(now)))
}

/// `tracectl-20261125-100000`: lowercase, as snapshot names must be.
pub fn snapshot_name(now: Timestamp) -> String {
    format!("tracectl-{}", stamp(now)).to_lowercase()
}

pub(super) fn stamp(now: Timestamp) -> String {
    now.strftime("%Y%m%d-%H%M%S").to_string()
}

/// `jaeger-*` or `a-*,b-*`: the patterns, each checked against Elasticsearch's rules.
pub fn snapshot_indices(arg: Option<&str>) -> Result<Vec<String>, UsageError> {
    let raw = arg.unwrap_or(DEFAULT_SNAPSHOT_INDICES);
    let out: Vec<String> = raw
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if out.is_empty() || !out.iter().all(|p| valid_index_pattern(p)) {
        return Err(UsageError::with_hint(
            format!("--snapshot-indices {raw:?} is not a list of index patterns"),
            "pass lowercase index names or patterns joined by `,`, e.g. jaeger-span-*,jaeger-service-*",
        ));
    }
    Ok(out)
}

/// A backup goes into a new or empty directory only: never mixed with another backup's files.
pub fn check_dir(dir: &Path) -> Result<(), UsageError> {
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(UsageError::with_hint(
            format!("{}: {e}", dir.display()),
            "pass another --dir",
        )),
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(UsageError::with_hint(
                format!(
                    "{} exists and is not empty: a backup is written to a new directory",
                    dir.display()
                ),
                "pass another --dir, or remove that one",
            )),
        },
    }
}

pub async fn plan(ctx: &Ctx, args: &BackupArgs, step: u8, plan: &mut Plan) -> Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| default_dir(ctx.now));
    check_dir(&dir)?;
    let selector = args
        .selector
        .clone()
        .unwrap_or_else(|| DEFAULT_SELECTOR.to_string());
    if !valid_label_selector(&selector) {
        return Err(UsageError::with_hint(
            format!("-l {selector:?} is not a valid label selector"),
            "pass key=value pairs joined by `,`, e.g. -l app=tracing",
        )
        .into());
    }
    let ns = &ctx.namespace;
    let mut parts = Vec::new();

    if let Some(repository) = &args.snapshot_repository {
        let es = ctx.elasticsearch("a snapshot (--snapshot-repository)")?;
        let indices = snapshot_indices(args.snapshot_indices.as_deref())?;
        if es
            .snapshot_repository(repository)
            .await
            .context("reading the snapshot repository")?
            .is_none()
        {
            return Err(UsageError::with_hint(
                format!("Elasticsearch has no snapshot repository {repository:?}"),
                format!(
                    "register it first (PUT _snapshot/{repository}, e.g. {{\"type\": \"fs\", \"settings\": {{\"location\": \"...\"}}}}, with the location in path.repo), or leave --snapshot-repository out"
                ),
            )
            .into());
        }
        // A run at the same second (or with a fixed clock) may have taken the name already.
        let base = snapshot_name(ctx.now);
        let mut snapshot = base.clone();
        for n in 2.. {
            if es
                .get_snapshot(repository, &snapshot)
                .await
                .context("reading the snapshot repository")?
                .is_none()
            {
                break;
            }
            snapshot = format!("{base}-{n}");
        }
        let mut matched = Vec::new();
        for p in &indices {
            matched.extend(es.indices(p).await.context("listing the indices")?);
        }
        matched.sort_by(|a, b| a.name.cmp(&b.name));
        matched.dedup_by(|a, b| a.name == b.name);
        if matched.is_empty() {
            plan.notes.push(format!(
                "no index matches {}: the snapshot will hold none",
                indices.join(",")
            ));
        }
        let size: u64 = matched.iter().filter_map(|i| i.store_size_bytes).sum();
        plan.actions.push(PlannedAction {
            id: format!("snapshot/{repository}/{snapshot}"),
            step,
            step_id: "backup".into(),
            change: Change::Create,
            summary: format!(
                "snapshot {} of {} ({}) to {repository}/{snapshot}, waited for",
                plural(matched.len(), "index", "indices"),
                indices.join(","),
                crate::report::units::bytes(size)
            ),
            diff: vec![],
            operation: Operation::CreateSnapshot {
                repository: repository.clone(),
                snapshot: snapshot.clone(),
                indices: indices.clone(),
            },
            observed: Observed::Absent,
            inverse: Some(Inverse::Keep {
                reason: "a snapshot is a backup: it is kept".into(),
            }),
            backup: None,
        });
        parts.push(Part::Snapshot {
            repository: repository.clone(),
            snapshot,
            indices,
        });
    }

    match &ctx.kube {
        Some(kube) => {
            let cms = kube
                .list_objects("v1", "ConfigMap", "configmaps", ns, Some(&selector))
                .await
                .context("listing the ConfigMaps")?;
            parts.insert(0, Part::ConfigMaps(cms.len()));
            if args.no_secrets {
                plan.notes
                    .push("Secrets are left out (--no-secrets)".to_string());
            } else {
                let secrets = kube
                    .list_objects("v1", "Secret", "secrets", ns, Some(&selector))
                    .await
                    .context("listing the Secrets")?;
                let tokens = secrets.iter().filter(|s| is_sa_token(s)).count();
                if tokens > 0 {
                    plan.notes.push(format!(
                        "{} left out: the cluster mints them",
                        plural(tokens, "service-account token", "service-account tokens")
                    ));
                }
                parts.insert(1, Part::Secrets(secrets.len() - tokens));
            }
        }
        None => plan.notes.push(
            "no Kubernetes cluster (no kubeconfig): ConfigMaps and Secrets are left out".into(),
        ),
    }
    match &ctx.grafana {
        Some(g) => {
            let hits = g
                .search_dashboards(None)
                .await
                .context("listing the Grafana dashboards")?;
            let at = parts
                .iter()
                .position(|p| matches!(p, Part::Snapshot { .. }))
                .unwrap_or(parts.len());
            parts.insert(at, Part::Dashboards(hits.len()));
        }
        None => plan
            .notes
            .push("no Grafana configured (--grafana-url): dashboards are left out".into()),
    }
    if !parts.iter().any(|p| !matches!(p, Part::Snapshot { .. }))
        && args.snapshot_repository.is_none()
    {
        return Err(UsageError::with_hint(
            "nothing to back up: no Kubernetes cluster, no Grafana and no snapshot repository",
            "pass --kubeconfig PATH, --grafana-url URL or --snapshot-repository REPO",
        )
        .into());
    }
    let contents = parts.clone();
    let what: Vec<String> = parts
        .iter()
        .filter(|p| !matches!(p, Part::Snapshot { .. }))
        .map(Part::to_string)
        .collect();
    plan.actions.push(PlannedAction {
        id: format!("backup/{}", dir.display()),
        step,
        step_id: "backup".into(),
        change: Change::Create,
        summary: format!(
            "write {}{} to {} with a manifest",
            if what.is_empty() {
                "the snapshot's name".to_string()
            } else {
                what.join(", ")
            },
            if ctx.kube.is_some() {
                format!(" (-l {selector})")
            } else {
                String::new()
            },
            dir.display()
        ),
        diff: vec![],
        operation: Operation::WriteBackup {
            dir,
            label_selector: selector,
            contents,
        },
        observed: Observed::Absent,
        inverse: Some(Inverse::Keep {
            reason: "a backup is kept".into(),
        }),
        backup: None,
    });
    Ok(())
}

pub(super) fn is_sa_token(o: &Value) -> bool {
    o["type"].as_str() == Some(SA_TOKEN)
}
