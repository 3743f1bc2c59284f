//! Applying and undoing a restore's own actions: a dashboard saved back, a Secret's values put
//! back from `secrets.yaml` (its checksum checked again), indices restored from the snapshot; and
//! undoing a dashboard's restore. Before each change what the plan saw is checked again, and an
//! undo whose action did not certainly finish looks first. Tests: `tests/it/maintain/backup.rs`.

use super::{
    changed_since, list_some, object_in, read_list, read_manifest, read_verified, version_text,
};
use crate::backends::elasticsearch::RestoreOptions;
use crate::backends::elasticsearch::Restored;
use crate::backends::kubernetes::ObjectRef;
use crate::error::UsageError;
use crate::mutation::exec::Exec;
use crate::mutation::journal::Undo;
use crate::mutation::ops::backup::{backend_err, usage_err};
use crate::mutation::runner::{ActionError, must_look};
use crate::mutation::{ActionResult, Inverse, Observed, Operation, PlannedAction};
use anyhow::Result;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub(super) fn replan(what: String) -> ActionError {
    ActionError::with_hint(
        what,
        "run `tracectl maintain restore DIR --dry-run` again and review the plan",
    )
}

/// A backup file read again at apply time and checked against the manifest beside it: the plan
/// checked it, but it may have changed since.
pub(super) fn read_again(source: &Path) -> Result<Vec<u8>, ActionError> {
    let dir = source.parent().unwrap_or(Path::new("."));
    let rel = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bad = |e: UsageError| ActionError::with_hint(e.message, e.hint.unwrap_or_default());
    let m = read_manifest(dir).map_err(bad)?;
    let entry = m.files.iter().find(|f| f.path == rel).ok_or_else(|| {
        ActionError::new(format!(
            "{} is not in the backup's manifest",
            source.display()
        ))
    })?;
    read_verified(dir, entry).map_err(bad)
}

/// Where a dashboard file lives relative to its backup directory (`dashboards/x.json`).
pub(super) fn dashboard_source(source: &Path) -> Result<(PathBuf, String), ActionError> {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = source
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| ActionError::new(format!("{}: not in a backup", source.display())))?;
    Ok((
        dir.to_path_buf(),
        format!("{}/{name}", crate::mutation::ops::backup::DASHBOARDS_DIR),
    ))
}

pub(super) fn without_id(model: &Value) -> Value {
    let mut m = model.clone();
    if let Some(o) = m.as_object_mut() {
        o.insert("id".into(), Value::Null);
    }
    m
}

pub async fn apply(
    x: &Exec<'_>,
    action: &PlannedAction,
    _backup: Option<&Value>,
) -> Result<ActionResult, ActionError> {
    match &action.operation {
        Operation::SaveDashboard {
            uid,
            folder_uid,
            source,
            dashboard,
            ..
        } => save_dashboard(x, action, uid, folder_uid.as_deref(), source, dashboard).await,
        Operation::RestoreSecret { object, source, .. } => {
            restore_secret(x, action, object, source).await
        }
        Operation::RestoreSnapshot {
            repository,
            snapshot,
            indices,
        } => restore_snapshot(x, repository, snapshot, indices).await,
        other => Err(ActionError::new(format!(
            "{}: not a restore action ({other:?})",
            action.summary
        ))),
    }
}

pub(super) async fn save_dashboard(
    x: &Exec<'_>,
    action: &PlannedAction,
    uid: &str,
    folder_uid: Option<&str>,
    source: &Path,
    dashboard: &Value,
) -> Result<ActionResult, ActionError> {
    let g = x.grafana("restoring a dashboard").map_err(usage_err)?;
    let live = g.dashboard(uid).await.map_err(backend_err)?;
    if let Some(why) = changed_since(&action.observed, live.as_ref().map(version_text).as_deref()) {
        return Err(replan(format!(
            "dashboard {uid} changed since the plan: {why}"
        )));
    }
    // The model is not serialized with the plan; a plan read back has it `null`.
    let model = if dashboard.is_null() {
        let (dir, rel) = dashboard_source(source)?;
        let m = read_manifest(&dir).map_err(usage_err)?;
        let entry =
            m.files.iter().find(|f| f.path == rel).ok_or_else(|| {
                ActionError::new(format!("{rel} is not in the backup's manifest"))
            })?;
        let bytes = read_verified(&dir, entry).map_err(usage_err)?;
        serde_json::from_slice::<Value>(&bytes)
            .map_err(|e| ActionError::new(format!("{}: {e}", source.display())))?["dashboard"]
            .clone()
    } else {
        dashboard.clone()
    };
    let saved = g
        .save_dashboard(
            &without_id(&model),
            folder_uid,
            true,
            &format!("restored by tracectl from {}", source.display()),
        )
        .await
        .map_err(backend_err)?;
    Ok(ActionResult {
        detail: format!(
            "{} dashboard {uid}, version {}",
            if live.is_some() {
                "restored"
            } else {
                "created"
            },
            saved.version
        ),
        uid: Some(saved.uid),
        resource_version: Some(saved.version.to_string()),
        ..Default::default()
    })
}

pub(super) async fn restore_secret(
    x: &Exec<'_>,
    action: &PlannedAction,
    object: &ObjectRef,
    source: &Path,
) -> Result<ActionResult, ActionError> {
    let kube = x.kube()?;
    let bytes = read_again(source)?;
    let items = read_list(&bytes, "Secret", source).map_err(usage_err)?;
    let item = items
        .iter()
        .find(|i| i["metadata"]["name"].as_str() == Some(object.name.as_str()))
        .ok_or_else(|| ActionError::new(format!("{} holds no {object}", source.display())))?;
    let ns = object.namespace.as_deref().unwrap_or_default();
    let (_, manifest) = object_in(item, ns);
    let live = kube.get_object(object).await.map_err(backend_err)?;
    let rv = live.as_ref().map(|l| {
        l["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or("")
            .to_string()
    });
    if let Some(why) = changed_since(&action.observed, rv.as_deref()) {
        return Err(replan(format!("{object} changed since the plan: {why}")));
    }
    let after = kube
        .apply_object(object, &manifest)
        .await
        .map_err(backend_err)?;
    let meta = |k: &str| after["metadata"][k].as_str().map(str::to_string);
    Ok(ActionResult {
        detail: if live.is_some() { "updated" } else { "created" }.into(),
        uid: meta("uid"),
        resource_version: meta("resourceVersion"),
        ..Default::default()
    })
}

pub(super) async fn restore_snapshot(
    x: &Exec<'_>,
    repository: &str,
    snapshot: &str,
    indices: &[String],
) -> Result<ActionResult, ActionError> {
    let es = x
        .elasticsearch("restoring from a snapshot")
        .map_err(usage_err)?;
    for i in indices {
        if !es.indices(i).await.map_err(backend_err)?.is_empty() {
            return Err(replan(format!(
                "index {i} exists now (the plan found it absent): Elasticsearch would refuse to restore over it"
            )));
        }
    }
    x.progress.note(&format!(
        "restoring {} from {repository}/{snapshot}",
        list_some(indices)
    ));
    let r = es
        .restore_snapshot(
            repository,
            snapshot,
            &RestoreOptions {
                indices: indices.to_vec(),
                rename_pattern: None,
                rename_replacement: None,
                include_aliases: false,
                wait_for_completion: true,
            },
        )
        .await
        .map_err(backend_err)?;
    match r {
        Restored::Completed {
            shards,
            indices: done,
            ..
        } if shards.failed > 0 => Err(ActionError::with_hint(
            format!(
                "restore from {repository}/{snapshot}: {} of {} shards failed ({})",
                shards.failed,
                shards.total,
                list_some(&done)
            ),
            "see GET _cat/recovery?active_only and GET _cluster/allocation/explain",
        )),
        Restored::Completed { indices: done, .. } => Ok(ActionResult::detail(format!(
            "restored {}",
            list_some(&done)
        ))),
        Restored::Accepted => Ok(ActionResult::detail(format!(
            "restore of {} started",
            list_some(indices)
        ))),
    }
}

pub async fn undo(x: &Exec<'_>, undo: &Undo) -> Result<String, ActionError> {
    let look = must_look(undo);
    let g = x
        .grafana("undoing a dashboard's restore")
        .map_err(usage_err)?;
    let made = undo
        .result
        .as_ref()
        .and_then(|r| r.resource_version.clone());
    let changed_again = |uid: &str, now: &str, made: &str| {
        ActionError::with_hint(
            format!(
                "dashboard {uid} was changed again after the restore (version {now}, the restore left {made})"
            ),
            "put it back by hand from the dashboard's history in Grafana",
        )
    };
    match &undo.action.inverse {
        Some(Inverse::RestoreDashboard { uid }) => {
            let Some(backup) = &undo.backup else {
                return Err(ActionError::new(format!(
                    "the journal holds no backup of dashboard {uid}"
                )));
            };
            let live = g.dashboard(uid).await.map_err(backend_err)?;
            let now = live.as_ref().map(version_text);
            let before = match &undo.action.observed {
                Observed::Present {
                    resource_version, ..
                } => Some(resource_version.clone()),
                _ => None,
            };
            if look && now.is_some() && now == before {
                return Ok(format!("nothing to undo: dashboard {uid} was not changed"));
            }
            if let (false, Some(made)) = (look, &made)
                && now.as_deref() != Some(made.as_str())
            {
                return Err(changed_again(
                    uid,
                    now.as_deref().unwrap_or("none: deleted"),
                    made,
                ));
            }
            let saved = g
                .save_dashboard(
                    &without_id(&backup["dashboard"]),
                    backup["folderUid"].as_str(),
                    true,
                    "put back by tracectl's rollback of a restore",
                )
                .await
                .map_err(backend_err)?;
            Ok(format!(
                "restored dashboard {uid} as it was (version {})",
                saved.version
            ))
        }
        Some(Inverse::DeleteDashboard { uid }) => {
            let Some(live) = g.dashboard(uid).await.map_err(backend_err)? else {
                return Ok(format!("nothing to undo: dashboard {uid} does not exist"));
            };
            let now = version_text(&live);
            if let (false, Some(made)) = (look, &made)
                && &now != made
            {
                return Err(changed_again(uid, &now, made));
            }
            match g.delete_dashboard(uid).await.map_err(backend_err)? {
                true => Ok(format!("deleted dashboard {uid}")),
                false => Ok(format!("dashboard {uid} was already gone")),
            }
        }
        other => Err(ActionError::new(format!(
            "{}: not an undo restore can do ({})",
            undo.action.summary,
            other.as_ref().map(|i| i.describe()).unwrap_or_default()
        ))),
    }
}
