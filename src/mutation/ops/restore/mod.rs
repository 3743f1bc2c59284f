//! `maintain restore DIR`: a backup directory (`backup.rs`) put back, as a plan first.
//!
//! Before anything else, `manifest.json` is read and EVERY file it lists is checked against its
//! sha256: one changed, truncated or missing file and nothing is planned, nothing restored (exit
//! 2). Then, per object, the live state decides:
//! - a ConfigMap: unchanged when every field the backup holds is live
//!   ([`crate::mutation::diff::object_diff`]); otherwise a server-side apply of the backed-up
//!   object ([`Operation::Apply`], run by deploy's executor), undone by putting the live object
//!   back (an update: [`Inverse::Restore`], the live object in the journal) or by deleting it (a
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
//! Tests: the pure parts below; end to end in `tests/it/maintain/backup.rs`.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::Ctx;
use super::backup::{
    BackupManifest, FileEntry, Holds, MANIFEST, MANIFEST_SCHEMA, backend_err, sha256_hex, usage_err,
};
use crate::backends::elasticsearch::RestoreOptions;
use crate::backends::elasticsearch::Restored;
use crate::backends::kubernetes::ObjectRef;
use crate::cli::RestoreArgs;
use crate::error::UsageError;
use crate::mutation::diff::{json_equal, object_diff};
use crate::mutation::exec::Exec;
use crate::mutation::journal::Undo;
use crate::mutation::ops::objects::object_action;
use crate::mutation::ops::{action, present};
use crate::mutation::runner::{ActionError, must_look};
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, Plan, PlannedAction};

/// Diff lines shown per dashboard; the rest is counted.
const MAX_DIFF_LINES: usize = 12;

// ---------------------------------------------------------------------------------------------
// Reading and checking a backup
// ---------------------------------------------------------------------------------------------

fn refused(message: String) -> UsageError {
    UsageError::with_hint(
        message,
        "restore from an intact copy of the backup, or take a new one with `tracectl maintain backup`",
    )
}

/// `manifest.json` of `dir`.
pub fn read_manifest(dir: &Path) -> Result<BackupManifest, UsageError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).map_err(|e| {
        UsageError::with_hint(
            format!(
                "{}: {e}: {} is not a tracectl backup, or an incomplete one (the manifest is written last)",
                path.display(),
                dir.display()
            ),
            "pass a directory `tracectl maintain backup` wrote",
        )
    })?;
    let m: BackupManifest = serde_json::from_slice(&text)
        .map_err(|e| refused(format!("{}: not a backup manifest: {e}", path.display())))?;
    if m.schema != MANIFEST_SCHEMA {
        return Err(refused(format!(
            "{}: schema {:?}, this tracectl reads {MANIFEST_SCHEMA}",
            path.display(),
            m.schema
        )));
    }
    Ok(m)
}

/// A manifest path that stays inside the backup directory: relative, no `..`.
fn inside(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Every file of the manifest, read and checked against its sha256; the first that does not
/// match is named, and nothing is restored.
pub fn verify_files(dir: &Path, m: &BackupManifest) -> Result<(), UsageError> {
    for f in &m.files {
        read_verified(dir, f)?;
    }
    Ok(())
}

fn read_verified(dir: &Path, f: &FileEntry) -> Result<Vec<u8>, UsageError> {
    if !inside(&f.path) {
        return Err(refused(format!(
            "{}: the manifest names {:?}, outside the backup directory: nothing was restored",
            dir.join(MANIFEST).display(),
            f.path
        )));
    }
    let path = dir.join(&f.path);
    let bytes = std::fs::read(&path).map_err(|e| {
        refused(format!(
            "{}: {e}: the backup was changed or is incomplete: nothing was restored",
            path.display()
        ))
    })?;
    if sha256_hex(&bytes) != f.sha256.to_ascii_lowercase() {
        return Err(refused(format!(
            "{}: its sha256 does not match the manifest's: the backup was changed or is incomplete: nothing was restored",
            path.display()
        )));
    }
    Ok(bytes)
}

/// The items of a `kind: List` YAML file, each of `kind` with a name.
pub fn read_list(bytes: &[u8], kind: &str, source: &Path) -> Result<Vec<Value>, UsageError> {
    let v: Value = serde_norway::from_slice(bytes)
        .map_err(|e| refused(format!("{}: not YAML: {e}", source.display())))?;
    let items = v["items"]
        .as_array()
        .ok_or_else(|| refused(format!("{}: not a `kind: List`", source.display())))?;
    for i in items {
        if i["kind"].as_str() != Some(kind) || i["metadata"]["name"].as_str().is_none() {
            return Err(refused(format!(
                "{}: an item that is not a {kind} with a name",
                source.display()
            )));
        }
    }
    Ok(items.clone())
}

/// The backed-up object, in `ns`.
fn object_in(item: &Value, ns: &str) -> (ObjectRef, Value) {
    let mut manifest = item.clone();
    manifest["metadata"]["namespace"] = json!(ns);
    let kind = item["kind"].as_str().unwrap_or_default().to_string();
    let plural = format!("{}s", kind.to_ascii_lowercase());
    (
        ObjectRef {
            api_version: item["apiVersion"].as_str().unwrap_or("v1").to_string(),
            kind,
            plural,
            namespace: Some(ns.to_string()),
            name: item["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        },
        manifest,
    )
}

/// Keys of `data`/`binaryData` live now and not in the backup: a server-side apply leaves them.
pub fn extra_keys(backup: &Value, live: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for field in ["data", "binaryData", "stringData"] {
        if let Some(l) = live[field].as_object() {
            for k in l.keys() {
                if backup[field].get(k).is_none() {
                    out.push(format!("{field}.{k}"));
                }
            }
        }
    }
    out
}

/// What changed between what the plan saw and what is live now, if anything.
pub fn changed_since(observed: &Observed, live_version: Option<&str>) -> Option<String> {
    match (observed, live_version) {
        (Observed::Absent, Some(_)) => Some("it exists now".into()),
        (Observed::Present { .. }, None) => Some("it was deleted".into()),
        (
            Observed::Present {
                resource_version, ..
            },
            Some(v),
        ) if v != resource_version => Some(format!(
            "its version is {v}, the plan saw {resource_version}"
        )),
        _ => None,
    }
}

/// A dashboard model as compared: without `id` (the instance's row) and `version` (bumped by
/// every save).
fn comparable(model: &Value) -> Value {
    let mut m = model.clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("id");
        o.remove("version");
    }
    m
}

/// Where the live dashboard differs from the backup's: paths (`panels[2].title`, `folder`), at
/// most [`MAX_DIFF_LINES`]. Empty: the same dashboard.
pub fn dashboard_diff(
    backup: &Value,
    backup_folder: Option<&str>,
    live: &Value,
    live_folder: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    if backup_folder != live_folder {
        out.push(format!(
            "folder {} → {}",
            live_folder.unwrap_or("General"),
            backup_folder.unwrap_or("General")
        ));
    }
    sym_diff(&comparable(backup), &comparable(live), "", &mut out);
    if out.len() > MAX_DIFF_LINES {
        let more = out.len() - MAX_DIFF_LINES + 1;
        out.truncate(MAX_DIFF_LINES - 1);
        out.push(format!("… and {more} more"));
    }
    out
}

fn sym_diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => sym_diff(v, w, &join(k), out),
                    _ => out.push(join(k)),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                sym_diff(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ if json_equal(a, b) => {}
        _ => out.push(if path.is_empty() {
            "(model)".into()
        } else {
            path.to_string()
        }),
    }
}

/// The snapshot's indices split into those to restore (absent now) and those left (present).
pub fn split_indices(
    in_snapshot: &[String],
    live: &BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    let mut want: Vec<String> = in_snapshot.to_vec();
    want.sort();
    want.dedup();
    want.into_iter().partition(|i| !live.contains(i))
}

fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut s = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Applying and undoing
// ---------------------------------------------------------------------------------------------

fn replan(what: String) -> ActionError {
    ActionError::with_hint(
        what,
        "run `tracectl maintain restore DIR --dry-run` again and review the plan",
    )
}

/// A backup file read again at apply time and checked against the manifest beside it: the plan
/// checked it, but it may have changed since.
fn read_again(source: &Path) -> Result<Vec<u8>, ActionError> {
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
fn dashboard_source(source: &Path) -> Result<(PathBuf, String), ActionError> {
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
        format!("{}/{name}", super::backup::DASHBOARDS_DIR),
    ))
}

fn without_id(model: &Value) -> Value {
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

async fn save_dashboard(
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

async fn restore_secret(
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

async fn restore_snapshot(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::ops::backup::CONFIGMAPS_FILE;

    fn manifest(files: Vec<FileEntry>) -> BackupManifest {
        BackupManifest {
            schema: MANIFEST_SCHEMA.into(),
            created_at: "2026-11-25T10:00:00Z".parse().unwrap(),
            tracectl_version: "0.1.0".into(),
            namespace: "monitoring".into(),
            cluster: None,
            selector: "app=tracing".into(),
            files,
            snapshot: None,
            left_out: vec![],
        }
    }

    fn entry(path: &str, bytes: &[u8]) -> FileEntry {
        FileEntry {
            path: path.into(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
            holds: Holds::ConfigMaps { names: vec![] },
        }
    }

    #[test]
    fn every_file_is_checked_before_anything() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        std::fs::create_dir(d.join("dashboards")).unwrap();
        std::fs::write(d.join(CONFIGMAPS_FILE), "items: []\n").unwrap();
        std::fs::write(d.join("dashboards/a.json"), "{}").unwrap();
        let mut m = manifest(vec![
            entry(CONFIGMAPS_FILE, b"items: []\n"),
            entry("dashboards/a.json", b"{}"),
        ]);
        assert!(verify_files(d, &m).is_ok());

        std::fs::write(d.join("dashboards/a.json"), "{ }").unwrap();
        let e = verify_files(d, &m).unwrap_err();
        assert!(e.message.contains("dashboards/a.json"), "{}", e.message);
        assert!(e.message.contains("nothing was restored"), "{}", e.message);

        std::fs::remove_file(d.join("dashboards/a.json")).unwrap();
        assert!(verify_files(d, &m).unwrap_err().message.contains("a.json"));

        m.files = vec![entry("../secrets.yaml", b"")];
        assert!(verify_files(d, &m).unwrap_err().message.contains("outside"));
        m.files = vec![entry("/etc/passwd", b"")];
        assert!(verify_files(d, &m).is_err());
    }

    #[test]
    fn a_directory_without_a_manifest_is_no_backup() {
        let t = tempfile::tempdir().unwrap();
        let e = read_manifest(t.path()).unwrap_err();
        assert!(e.message.contains("manifest.json"), "{}", e.message);
        std::fs::write(t.path().join(MANIFEST), r#"{"schema": "other/v1"}"#).unwrap();
        assert!(read_manifest(t.path()).is_err());
        let mut m = manifest(vec![]);
        m.schema = "tracectl.backup/v9".into();
        std::fs::write(t.path().join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
        assert!(read_manifest(t.path()).unwrap_err().message.contains("v9"));
        m.schema = MANIFEST_SCHEMA.into();
        std::fs::write(t.path().join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
        assert_eq!(read_manifest(t.path()).unwrap(), m);
    }

    fn cm_ref() -> ObjectRef {
        ObjectRef {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            plural: "configmaps".into(),
            namespace: Some("monitoring".into()),
            name: "sampling".into(),
        }
    }

    #[test]
    fn configmaps_are_created_updated_or_left() {
        let wanted = json!({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": "sampling", "namespace": "monitoring", "labels": {"app": "tracing"}},
                            "data": {"s.json": "{\"p\": 0.1}"}});
        let mut notes = vec![];
        let a = configmap_action(
            1,
            &cm_ref(),
            wanted.clone(),
            None,
            "configmaps.yaml",
            &mut notes,
        );
        assert_eq!(a.change, Change::Create);
        assert_eq!(a.inverse, Some(Inverse::Delete { object: cm_ref() }));
        assert_eq!(a.id, "configmap/monitoring/sampling");

        let mut live = wanted.clone();
        live["metadata"]["resourceVersion"] = json!("9");
        live["metadata"]["uid"] = json!("u");
        let a = configmap_action(1, &cm_ref(), wanted.clone(), Some(&live), "f", &mut notes);
        assert_eq!(a.change, Change::Unchanged);

        live["data"]["s.json"] = json!("{\"p\": 1}");
        live["data"]["added"] = json!("x");
        let a = configmap_action(1, &cm_ref(), wanted.clone(), Some(&live), "f", &mut notes);
        assert_eq!(a.change, Change::Update);
        assert_eq!(a.diff, ["data.s.json"]);
        assert_eq!(a.inverse, Some(Inverse::Restore { object: cm_ref() }));
        assert_eq!(
            a.observed,
            Observed::Present {
                resource_version: "9".into(),
                uid: Some("u".into())
            }
        );
        let backup = a.backup.unwrap();
        assert_eq!(backup["data"]["s.json"], "{\"p\": 1}");
        assert!(backup["metadata"].get("resourceVersion").is_none());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("data.added"), "{}", notes[0]);
    }

    #[test]
    fn secrets_never_show_or_journal_a_value() {
        let s_ref = ObjectRef {
            kind: "Secret".into(),
            plural: "secrets".into(),
            ..cm_ref()
        };
        let wanted = json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                            "metadata": {"name": "sampling", "namespace": "monitoring"},
                            "data": {"password": "aHVudGVyMg==", "user": "ZWxhc3RpYw=="}});
        let mut live = wanted.clone();
        live["data"]["password"] = json!("Y2hhbmdlbWU=");
        live["metadata"]["resourceVersion"] = json!("3");
        let mut notes = vec![];
        let a = secret_action(
            1,
            &s_ref,
            &wanted,
            Some(&live),
            (Path::new("b/secrets.yaml"), "secrets.yaml"),
            &mut notes,
        );
        assert_eq!(a.change, Change::Update);
        assert_eq!(a.diff, ["data.password"]);
        assert!(matches!(a.inverse, Some(Inverse::Keep { .. })));
        assert_eq!(a.backup, None);
        let text = serde_json::to_string(&a).unwrap();
        for v in ["aHVudGVyMg==", "Y2hhbmdlbWU=", "ZWxhc3RpYw=="] {
            assert!(!text.contains(v), "{text}");
        }
        match &a.operation {
            Operation::RestoreSecret { keys, .. } => assert_eq!(keys, &["password", "user"]),
            o => panic!("{o:?}"),
        }

        let a = secret_action(
            1,
            &s_ref,
            &wanted,
            Some(&wanted),
            (Path::new("s"), "s"),
            &mut notes,
        );
        assert_eq!(a.change, Change::Unchanged);
        let a = secret_action(1, &s_ref, &wanted, None, (Path::new("s"), "s"), &mut notes);
        assert_eq!(a.change, Change::Create);
        assert_eq!(a.inverse, Some(Inverse::Delete { object: s_ref }));
    }

    #[test]
    fn dashboards_compare_without_id_and_version() {
        let b = json!({"id": null, "uid": "a", "title": "T", "version": 3,
                       "panels": [{"title": "p1"}, {"title": "p2"}]});
        let mut l = json!({"id": 7, "uid": "a", "title": "T", "version": 9,
                           "panels": [{"title": "p1"}, {"title": "p2"}]});
        assert!(dashboard_diff(&b, Some("f"), &l, Some("f")).is_empty());
        assert_eq!(
            dashboard_diff(&b, Some("f"), &l, None),
            ["folder General → f"]
        );
        l["panels"][1]["title"] = json!("P2");
        l["tags"] = json!(["x"]);
        assert_eq!(
            dashboard_diff(&b, None, &l, None),
            ["panels[1].title", "tags"]
        );
        l["panels"] = json!([]);
        assert_eq!(dashboard_diff(&b, None, &l, None), ["panels", "tags"]);
        let many: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let d = dashboard_diff(&json!({}), None, &Value::Object(many), None);
        assert_eq!(d.len(), MAX_DIFF_LINES);
        assert_eq!(d.last().unwrap(), "… and 29 more");
    }

    #[test]
    fn dashboards_plan_by_what_is_live() {
        let file = json!({"dashboard": {"id": null, "uid": "a", "title": "T", "version": 2}, "folderUid": "f"});
        let a = dashboard_action(
            1,
            &file,
            None,
            (Path::new("b/dashboards/a.json"), "dashboards/a.json"),
        );
        assert_eq!(a.change, Change::Create);
        assert_eq!(
            a.inverse,
            Some(Inverse::DeleteDashboard { uid: "a".into() })
        );
        let live = crate::backends::grafana::Dashboard {
            uid: "a".into(),
            title: "T2".into(),
            version: Some(5),
            folder_uid: Some("f".into()),
            url: None,
            model: json!({"id": 4, "uid": "a", "title": "T2", "version": 5}),
        };
        let a = dashboard_action(1, &file, Some(&live), (Path::new("x"), "x"));
        assert_eq!(a.change, Change::Update);
        assert_eq!(a.diff, ["title"]);
        assert_eq!(
            a.inverse,
            Some(Inverse::RestoreDashboard { uid: "a".into() })
        );
        assert_eq!(
            a.observed,
            Observed::Present {
                resource_version: "5".into(),
                uid: None
            }
        );
        assert_eq!(
            a.backup.unwrap(),
            json!({"dashboard": live.model, "folderUid": "f"})
        );
        let same = crate::backends::grafana::Dashboard {
            title: "T".into(),
            model: json!({"id": 4, "uid": "a", "title": "T", "version": 5}),
            ..live
        };
        assert_eq!(
            dashboard_action(1, &file, Some(&same), (Path::new("x"), "x")).change,
            Change::Unchanged
        );
    }

    #[test]
    fn changes_since_the_plan_are_caught() {
        let p = Observed::Present {
            resource_version: "5".into(),
            uid: None,
        };
        assert_eq!(changed_since(&p, Some("5")), None);
        assert!(
            changed_since(&p, Some("6"))
                .unwrap()
                .contains("the plan saw 5")
        );
        assert!(changed_since(&p, None).unwrap().contains("deleted"));
        assert!(
            changed_since(&Observed::Absent, Some("1"))
                .unwrap()
                .contains("exists")
        );
        assert_eq!(changed_since(&Observed::Absent, None), None);
    }

    #[test]
    fn only_absent_indices_are_restored() {
        let live: BTreeSet<String> = ["jaeger-span-2026-11-24".to_string()].into();
        let (missing, existing) = split_indices(
            &[
                "jaeger-span-2026-11-25".into(),
                "jaeger-span-2026-11-24".into(),
                "jaeger-service-2026-11-25".into(),
            ],
            &live,
        );
        assert_eq!(
            missing,
            ["jaeger-service-2026-11-25", "jaeger-span-2026-11-25"]
        );
        assert_eq!(existing, ["jaeger-span-2026-11-24"]);
    }

    #[test]
    fn lists_read_back_only_their_kind() {
        let good = b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: a\n";
        assert_eq!(read_list(good, "Secret", Path::new("s")).unwrap().len(), 1);
        assert!(read_list(good, "ConfigMap", Path::new("s")).is_err());
        assert!(read_list(b"items: 3", "Secret", Path::new("s")).is_err());
        assert!(read_list(b"{", "Secret", Path::new("s")).is_err());
    }
}
