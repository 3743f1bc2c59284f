//! Writing a backup directory: each part fetched again and written under a temporary name, then
//! renamed; `manifest.json` last, with every file's sha256. A failure removes what was written. Tests: `tests/it/maintain/backup.rs`.

use super::{
    BackupManifest, CONFIGMAPS_FILE, DASHBOARDS_DIR, Holds, MANIFEST, MANIFEST_SCHEMA, Part,
    SECRETS_FILE, SnapshotEntry, Writer, backend_err, check_dir, dashboard_file, is_sa_token,
    list_yaml, plural, portable, snapshot_failure, usage_err,
};
use crate::mutation::ActionResult;
use crate::mutation::exec::Exec;
use crate::mutation::runner::ActionError;
use anyhow::Result;
use serde_json::Value;
use std::path::Path;

pub(super) async fn write_backup(
    x: &Exec<'_>,
    dir: &Path,
    selector: &str,
    contents: &[Part],
) -> Result<ActionResult, ActionError> {
    check_dir(dir).map_err(|e| {
        ActionError::with_hint(
            format!("{} (since the plan)", e.message),
            e.hint.unwrap_or_default(),
        )
    })?;
    // New, or empty (checked): what a failure leaves is put back that way.
    let existed = dir.exists();
    let mut w = Writer::create(dir).map_err(|e| io(dir, "the directory", e))?;
    let result = fill(x, &mut w, dir, selector, contents).await;
    if result.is_err() {
        // Half a backup has no manifest and is not one; it may hold ConfigMaps' and Secrets'
        // data: nothing of it stays (the action's inverse is `keep`, so no rollback would).
        discard(dir, existed);
    }
    result
}

fn io(dir: &Path, what: &str, e: std::io::Error) -> ActionError {
    ActionError::with_hint(
        format!("{}: cannot write {what}: {e}", dir.display()),
        "nothing of the backup was kept; fix the cause and run it again",
    )
}

/// Remove what a failed backup wrote: the directory it made, or what it put in the empty one it
/// was given. Best effort: the action's error is what the user needs to see.
fn discard(dir: &Path, existed: bool) {
    let gone = if existed {
        std::fs::read_dir(dir).and_then(|entries| {
            entries.flatten().try_for_each(|e| {
                let p = e.path();
                if e.file_type()?.is_dir() {
                    std::fs::remove_dir_all(p)
                } else {
                    std::fs::remove_file(p)
                }
            })
        })
    } else {
        std::fs::remove_dir_all(dir)
    };
    if let Err(e) = gone {
        tracing::warn!(dir = %dir.display(), error = %e, "cannot remove a failed backup");
    }
}

/// Every part of the backup, then the manifest, into `w`.
async fn fill(
    x: &Exec<'_>,
    w: &mut Writer,
    dir: &Path,
    selector: &str,
    parts: &[Part],
) -> Result<ActionResult, ActionError> {
    let io = |what: &str, e: std::io::Error| io(dir, what, e);
    let mut left_out = Vec::new();
    let mut done = Vec::new();
    let want = |f: fn(&Part) -> bool| parts.iter().any(f);

    if want(|p| matches!(p, Part::ConfigMaps(_))) || want(|p| matches!(p, Part::Secrets(_))) {
        let kube = x.kube.ok_or_else(|| {
            ActionError::new("the plan backs up ConfigMaps, and there is no cluster")
        })?;
        let kinds: [(&str, &str, &str, bool); 2] = [
            (
                "ConfigMap",
                "configmaps",
                CONFIGMAPS_FILE,
                want(|p| matches!(p, Part::ConfigMaps(_))),
            ),
            (
                "Secret",
                "secrets",
                SECRETS_FILE,
                want(|p| matches!(p, Part::Secrets(_))),
            ),
        ];
        for (kind, plural_name, file, wanted) in kinds {
            if !wanted {
                continue;
            }
            let items: Vec<Value> = kube
                .list_objects("v1", kind, plural_name, x.namespace, Some(selector))
                .await
                .map_err(backend_err)?
                .iter()
                .filter(|o| !is_sa_token(o))
                .map(portable)
                .collect();
            let names: Vec<String> = items
                .iter()
                .filter_map(|o| o["metadata"]["name"].as_str().map(str::to_string))
                .collect();
            let text = list_yaml(&items).map_err(|e| io(file, std::io::Error::other(e)))?;
            let holds = if kind == "Secret" {
                Holds::Secrets {
                    names: names.clone(),
                }
            } else {
                Holds::ConfigMaps {
                    names: names.clone(),
                }
            };
            w.write(file, text.as_bytes(), Some(holds))
                .map_err(|e| io(file, e))?;
            done.push(plural(names.len(), kind, &format!("{kind}s")));
        }
    } else {
        left_out.push("ConfigMaps and Secrets: no Kubernetes cluster".to_string());
    }
    if !want(|p| matches!(p, Part::Secrets(_))) && x.kube.is_some() {
        left_out.push("Secrets: --no-secrets".to_string());
    }

    if want(|p| matches!(p, Part::Dashboards(_))) {
        let g = x.grafana.ok_or_else(|| {
            ActionError::new("the plan backs up dashboards, and there is no Grafana")
        })?;
        let hits = g.search_dashboards(None).await.map_err(backend_err)?;
        std::fs::create_dir_all(dir.join(DASHBOARDS_DIR)).map_err(|e| io(DASHBOARDS_DIR, e))?;
        let mut n = 0;
        for hit in &hits {
            // Deleted since the search: nothing to keep.
            let Some(d) = g.dashboard(&hit.uid).await.map_err(backend_err)? else {
                continue;
            };
            let rel = format!("{DASHBOARDS_DIR}/{}.json", d.uid);
            let mut bytes =
                serde_json::to_vec_pretty(&dashboard_file(&d.model, d.folder_uid.as_deref()))
                    .unwrap_or_default();
            bytes.push(b'\n');
            w.write(
                &rel,
                &bytes,
                Some(Holds::Dashboard {
                    uid: d.uid.clone(),
                    title: d.title.clone(),
                    folder_uid: d.folder_uid.clone(),
                }),
            )
            .map_err(|e| io(&rel, e))?;
            n += 1;
        }
        done.push(plural(n, "dashboard", "dashboards"));
    } else {
        left_out.push("dashboards: no Grafana".to_string());
    }

    let mut snapshot = None;
    for p in parts {
        if let Part::Snapshot {
            repository,
            snapshot: name,
            indices,
        } = p
        {
            // The plan's snapshot action ran before this one; what Elasticsearch says of it now
            // is what the manifest records.
            let es = x
                .elasticsearch("the backup's snapshot")
                .map_err(usage_err)?;
            let info = es
                .get_snapshot(repository, name)
                .await
                .map_err(backend_err)?
                .ok_or_else(|| {
                    ActionError::new(format!(
                        "snapshot {repository}/{name} is not in the repository"
                    ))
                })?;
            if let Some(why) = snapshot_failure(&info) {
                return Err(ActionError::new(why));
            }
            done.push(format!("snapshot {name}"));
            snapshot = Some(SnapshotEntry {
                repository: repository.clone(),
                snapshot: name.clone(),
                indices: indices.clone(),
                snapshot_indices: info.indices.clone(),
                uuid: info.uuid.clone(),
            });
        }
    }

    let manifest = BackupManifest {
        schema: MANIFEST_SCHEMA.into(),
        created_at: x.started,
        tracectl_version: env!("CARGO_PKG_VERSION").into(),
        namespace: x.namespace.to_string(),
        cluster: x.kube.map(|k| k.cluster_url().to_string()),
        selector: selector.to_string(),
        files: w.files.clone(),
        snapshot,
        left_out,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    bytes.push(b'\n');
    w.write(MANIFEST, &bytes, None)
        .map_err(|e| io(MANIFEST, e))?;
    Ok(ActionResult::detail(format!(
        "{} → {}",
        done.join(", "),
        dir.display()
    )))
}
