//! `maintain restore DIR`: a backup directory (`../backup/`) put back, as a plan first.
//!
//! Before anything else, `manifest.json` is read and EVERY file it lists is checked against its
//! sha256: one changed, truncated or missing file and nothing is planned, nothing restored (exit
//! 2). Then, per object, the live state decides:
//! - a ConfigMap: unchanged when every field the backup holds is live
//!   ([`crate::mutation::patch::object_diff`]); otherwise a server-side apply of the backed-up
//!   object ([`Operation::Apply`], run by [`super::objects::apply`]), undone by putting the live
//!   object back (an update: [`Inverse::Restore`], the live object in the journal) or by deleting it (a
//!   create);
//! - a Secret: the same comparison, but the plan holds only its keys
//!   ([`Operation::RestoreSecret`]): the values are read from `secrets.yaml` (checksum checked
//!   again) when the action runs. An updated Secret cannot be undone (see [`secret_action`]);
//! - a dashboard: unchanged when the live model equals the backup's but for `id` and `version`
//!   and it is in the same folder; otherwise saved with `overwrite` into its folder
//!   ([`Operation::SaveDashboard`]), undone by saving the live one back or by deleting it;
//! - the snapshot: the indices it holds that do not exist now are restored from it
//!   ([`Operation::RestoreSnapshot`]); Elasticsearch refuses to restore over an open index, so
//!   those that exist are left and named in a note.
//!
//! Keys live now but not in the backup are left as they are (a server-side apply does not remove
//! fields another manager owns) and named in a note. The backup must be of the namespace the
//! restore runs in. `--skip-secrets`, `--skip-dashboards`, `--skip-snapshot` leave parts out.
//! Apply and undo of the dashboards, Secrets and snapshot are here; before each change, what the
//! plan saw is checked again, and an undo whose action did not certainly finish looks first.
//! Files: `read.rs` (reading and checking the backup), `apply.rs` (applying and undoing), the
//! planning here. Tests: the pure parts in `tests.rs`; end to end in `tests/it/maintain/backup.rs`.

mod apply;
mod read;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::Ctx;
use super::backup::{FileEntry, Holds};
use crate::backends::kubernetes::ObjectRef;
use crate::cli::RestoreArgs;
use crate::error::UsageError;
use crate::mutation::ops::objects::object_action;
use crate::mutation::ops::{action, present};
use crate::mutation::patch::object_diff;
use crate::mutation::{Change, Inverse, Observed, Operation, Plan, PlannedAction};

pub use apply::{apply, undo};
use read::*;
pub use read::{
    changed_since, dashboard_diff, extra_keys, read_list, read_manifest, split_indices,
    verify_files,
};

/// Diff lines shown per dashboard; the rest is counted.
pub const STEP_ID: &str = "restore";

pub async fn plan(ctx: &Ctx, args: &RestoreArgs, step: u8, plan: &mut Plan) -> Result<()> {
    let dir = &args.dir;
    let manifest = read_manifest(dir)?;
    verify_files(dir, &manifest)?;
    if manifest.namespace != ctx.namespace {
        return Err(UsageError::with_hint(
            format!(
                "{} is a backup of namespace {}, and this restore runs in {}: nothing was restored",
                dir.display(),
                manifest.namespace,
                ctx.namespace
            ),
            format!("pass -n {}", manifest.namespace),
        )
        .into());
    }
    if let (Some(then), Some(kube)) = (&manifest.cluster, &ctx.kube)
        && then.trim_end_matches('/') != kube.cluster_url().trim_end_matches('/')
    {
        plan.notes.push(format!(
            "the backup was taken from {then}; this restore writes to {}",
            kube.cluster_url()
        ));
    }
    plan.notes.push(format!(
        "{}: a backup of {} taken {} by tracectl {}; every file matches its checksum",
        dir.display(),
        manifest.namespace,
        manifest.created_at,
        manifest.tracectl_version
    ));

    for f in manifest
        .files
        .iter()
        .filter(|f| matches!(f.holds, Holds::ConfigMaps { .. }))
    {
        let why = "restoring the backup's ConfigMaps";
        for (object, wanted, live) in live_objects(ctx, dir, f, "ConfigMap", why).await? {
            plan.actions.push(configmap_action(
                step,
                &object,
                wanted,
                live.as_ref(),
                &f.path,
                &mut plan.notes,
            ));
        }
    }

    for f in manifest
        .files
        .iter()
        .filter(|f| matches!(f.holds, Holds::Secrets { .. }))
    {
        if args.skip_secrets {
            plan.notes
                .push("Secrets are left as they are (--skip-secrets)".into());
            continue;
        }
        let source = dir.join(&f.path);
        let why = "restoring the backup's Secrets (or pass --skip-secrets)";
        for (object, wanted, live) in live_objects(ctx, dir, f, "Secret", why).await? {
            plan.actions.push(secret_action(
                step,
                &object,
                &wanted,
                live.as_ref(),
                (&source, &f.path),
                &mut plan.notes,
            ));
        }
    }

    let dashboards: Vec<&FileEntry> = manifest
        .files
        .iter()
        .filter(|f| matches!(f.holds, Holds::Dashboard { .. }))
        .collect();
    if args.skip_dashboards && !dashboards.is_empty() {
        plan.notes.push(format!(
            "{} dashboards are left as they are (--skip-dashboards)",
            dashboards.len()
        ));
    } else if !dashboards.is_empty() {
        let g = ctx.grafana("restoring the backup's dashboards (or pass --skip-dashboards)")?;
        for f in dashboards {
            let source = dir.join(&f.path);
            let file: Value = serde_json::from_slice(&read_verified(dir, f)?)
                .map_err(|e| refused(format!("{}: not JSON: {e}", source.display())))?;
            let model = &file["dashboard"];
            let Some(uid) = model["uid"].as_str() else {
                return Err(
                    refused(format!("{}: a dashboard without a uid", source.display())).into(),
                );
            };
            let live = g
                .dashboard(uid)
                .await
                .with_context(|| format!("reading dashboard {uid}"))?;
            plan.actions.push(dashboard_action(
                step,
                &file,
                live.as_ref(),
                (&source, &f.path),
            ));
        }
    }

    if let Some(s) = &manifest.snapshot {
        if args.skip_snapshot {
            plan.notes.push(format!(
                "snapshot {}/{} is not restored from (--skip-snapshot)",
                s.repository, s.snapshot
            ));
        } else {
            let es = ctx
                .elasticsearch("restoring from the backup's snapshot (or pass --skip-snapshot)")?;
            let info = es
                .get_snapshot(&s.repository, &s.snapshot)
                .await
                .context("reading the backup's snapshot")?
                .ok_or_else(|| {
                    UsageError::with_hint(
                        format!(
                            "the backup's snapshot {}/{} is not in the repository any more",
                            s.repository, s.snapshot
                        ),
                        "pass --skip-snapshot to restore the rest",
                    )
                })?;
            let mut live = BTreeSet::new();
            for p in &s.indices {
                live.extend(
                    es.indices(p)
                        .await
                        .context("listing the indices")?
                        .into_iter()
                        .map(|i| i.name),
                );
            }
            let in_snapshot: Vec<String> = info
                .indices
                .iter()
                .filter(|i| !i.starts_with('.'))
                .cloned()
                .collect();
            let (missing, existing) = split_indices(&in_snapshot, &live);
            if !existing.is_empty() {
                plan.notes.push(format!(
                    "{} of snapshot {} exist and are not restored (Elasticsearch refuses to restore over an open index): {}",
                    if existing.len() == 1 { "1 index".to_string() } else { format!("{} indices", existing.len()) },
                    s.snapshot,
                    list_some(&existing)
                ));
            }
            let op = Operation::RestoreSnapshot {
                repository: s.repository.clone(),
                snapshot: s.snapshot.clone(),
                indices: missing.clone(),
            };
            let id = format!("restore-snapshot/{}/{}", s.repository, s.snapshot);
            plan.actions.push(if missing.is_empty() {
                action(
                    id,
                    (step, STEP_ID),
                    Change::Unchanged,
                    format!("every index of snapshot {}/{} exists", s.repository, s.snapshot),
                    op,
                    Observed::NotApplicable,
                    None,
                )
            } else {
                let mut a = action(
                    id,
                    (step, STEP_ID),
                    Change::Create,
                    format!(
                        "restore {} from snapshot {}/{}",
                        if missing.len() == 1 { "1 index".to_string() } else { format!("{} indices", missing.len()) },
                        s.repository,
                        s.snapshot
                    ),
                    op,
                    Observed::Absent,
                    Some(Inverse::Keep {
                        reason: "restored indices are kept (delete one with DELETE /INDEX if it is not wanted)".into(),
                    }),
                );
                a.diff = missing.iter().map(|i| format!("+ {i}")).collect();
                a
            });
        }
    }
    Ok(())
}

/// The objects of `kind` that backup file `f` holds, each put in the run's namespace, with what
/// is live of it now; reads only. A cluster is needed only when the file holds any.
async fn live_objects(
    ctx: &Ctx,
    dir: &Path,
    f: &FileEntry,
    kind: &str,
    why: &str,
) -> Result<Vec<(ObjectRef, Value, Option<Value>)>> {
    let items = read_list(&read_verified(dir, f)?, kind, &dir.join(&f.path))?;
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        let kube = ctx.kube(why)?;
        let (object, wanted) = object_in(item, &ctx.namespace);
        let live = kube
            .get_object(&object)
            .await
            .with_context(|| format!("reading {object}"))?;
        out.push((object, wanted, live));
    }
    Ok(out)
}

/// A ConfigMap's restore: deploy's decision ([`object_action`], compared by
/// [`object_diff`]), in restore's words; keys live now and not in the backup go to `notes`.
fn configmap_action(
    step: u8,
    object: &ObjectRef,
    wanted: Value,
    live: Option<&Value>,
    file: &str,
    notes: &mut Vec<String>,
) -> PlannedAction {
    let id = format!(
        "configmap/{}/{}",
        object.namespace.as_deref().unwrap_or(""),
        object.name
    );
    if let Some(live) = live {
        note_extra_keys(object, &wanted, live, notes);
    }
    let mut a = object_action(
        id,
        (step, STEP_ID),
        object.clone(),
        wanted,
        file,
        live,
        object_diff,
    );
    a.summary = match a.change {
        Change::Create => format!("create {object} from {file}"),
        Change::Unchanged => format!("{object} is as in the backup"),
        _ => format!("restore {object} from {file}"),
    };
    a
}

/// Keys `live` has and `wanted` does not: a restore leaves them, and the plan says so.
fn note_extra_keys(object: &ObjectRef, wanted: &Value, live: &Value, notes: &mut Vec<String>) {
    let extra = extra_keys(wanted, live);
    if !extra.is_empty() {
        notes.push(format!(
            "{object} has keys the backup does not, left as they are: {}",
            extra.join(", ")
        ));
    }
}

/// A Secret's restore. Its values stay out of the plan (only key names, in `keys` and `diff`)
/// and out of the journal: the journal is 0600, but its own contract is that it never holds a
/// Secret's value (`mutation/journal.rs`), and a plan's backups are written to it. So an
/// updated Secret's undo is [`Inverse::Keep`], as deploy does for its Secret: its values before
/// the restore are not kept anywhere, which the plan says. A created one is undone by deleting
/// it, which needs no value.
fn secret_action(
    step: u8,
    object: &ObjectRef,
    wanted: &Value,
    live: Option<&Value>,
    (source, rel): (&Path, &str),
    notes: &mut Vec<String>,
) -> PlannedAction {
    let id = format!(
        "secret/{}/{}",
        object.namespace.as_deref().unwrap_or(""),
        object.name
    );
    let mut keys: Vec<String> = ["data", "stringData", "binaryData"]
        .iter()
        .filter_map(|f| wanted[*f].as_object())
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    let op = Operation::RestoreSecret {
        object: object.clone(),
        keys: keys.clone(),
        source: source.to_path_buf(),
    };
    let Some(live) = live else {
        return action(
            id,
            (step, STEP_ID),
            Change::Create,
            format!("create {object} (keys {}) from {rel}", keys.join(", ")),
            op,
            Observed::Absent,
            Some(Inverse::Delete {
                object: object.clone(),
            }),
        );
    };
    note_extra_keys(object, wanted, live, notes);
    // Paths only (`data.password`): `object_diff` never returns a value.
    let diff = object_diff(wanted, live);
    if diff.is_empty() {
        return action(
            id,
            (step, STEP_ID),
            Change::Unchanged,
            format!("{object} is as in the backup"),
            op,
            present(live),
            None,
        );
    }
    let mut a = action(
        id,
        (step, STEP_ID),
        Change::Update,
        format!("restore {object} (keys {}) from {rel}", keys.join(", ")),
        op,
        present(live),
        Some(Inverse::Keep {
            reason: format!(
                "the values {object} held before the restore are not kept anywhere: a rollback leaves the restored ones"
            ),
        }),
    );
    a.diff = diff;
    a
}

fn version_text(d: &crate::backends::grafana::Dashboard) -> String {
    d.version.map(|v| v.to_string()).unwrap_or_default()
}

fn dashboard_action(
    step: u8,
    file: &Value,
    live: Option<&crate::backends::grafana::Dashboard>,
    (source, rel): (&Path, &str),
) -> PlannedAction {
    let model = &file["dashboard"];
    let uid = model["uid"].as_str().unwrap_or_default().to_string();
    let title = model["title"].as_str().unwrap_or_default().to_string();
    let folder_uid = file["folderUid"].as_str().map(str::to_string);
    let op = Operation::SaveDashboard {
        uid: uid.clone(),
        title: title.clone(),
        folder_uid: folder_uid.clone(),
        source: source.to_path_buf(),
        dashboard: model.clone(),
    };
    let id = format!("dashboard/{uid}");
    let Some(live) = live else {
        return action(
            id,
            (step, STEP_ID),
            Change::Create,
            format!("create dashboard {title:?} ({uid}) from {rel}"),
            op,
            Observed::Absent,
            Some(Inverse::DeleteDashboard { uid }),
        );
    };
    let observed = Observed::Present {
        resource_version: version_text(live),
        uid: None,
    };
    let diff = dashboard_diff(
        model,
        folder_uid.as_deref(),
        &live.model,
        live.folder_uid.as_deref(),
    );
    if diff.is_empty() {
        return action(
            id,
            (step, STEP_ID),
            Change::Unchanged,
            format!("dashboard {title:?} ({uid}) is as in the backup"),
            op,
            observed,
            None,
        );
    }
    let mut a = action(
        id,
        (step, STEP_ID),
        Change::Update,
        format!("restore dashboard {title:?} ({uid}) from {rel}"),
        op,
        observed,
        Some(Inverse::RestoreDashboard { uid }),
    );
    a.diff = diff;
    a.backup = Some(json!({"dashboard": live.model, "folderUid": live.folder_uid}));
    a
}
