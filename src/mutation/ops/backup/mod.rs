//! `maintain backup`: the runbook's "System Backup" (guide 3.2.2, step 1) as a plan of two
//! actions: an Elasticsearch snapshot in a registered repository, waited for
//! ([`Operation::CreateSnapshot`], only with `--snapshot-repository`), then a backup directory
//! ([`Operation::WriteBackup`]):
//!
//! ```text
//! DIR/                      0700
//!   configmaps.yaml         a `kind: List` of the ConfigMaps with the label (`-l`, app=tracing)
//!   secrets.yaml            the same for Secrets, created 0600 (`--no-secrets` leaves it out)
//!   dashboards/<uid>.json   each Grafana dashboard: {"dashboard": model, "folderUid": ...}
//!   manifest.json           tracectl.backup/v1: what, when, where from, sha256 of every file,
//!                           and the snapshot (repository, name, indices)
//! ```
//!
//! Every file is written to a temporary name, flushed, and renamed, and the manifest comes last:
//! a crash leaves no half file under a final name, and a directory without a manifest is not a
//! backup (`restore` refuses it). Objects keep only what a restore needs (name, namespace, labels,
//! annotations but kubectl's last-applied copy, and the body), so they can be applied to another
//! cluster. A dashboard file is what `POST /api/dashboards/db` takes (its instance-local `id` is
//! dropped). Kubernetes and Grafana are optional: without one, its part is left out and a plan
//! note says so. A backup changes nothing anywhere but its directory, so its undo is to keep it.
//!
//! What goes in the directory is decided by the plan, not at apply time: the action's `contents`
//! lists the parts (`3 ConfigMaps`, `1 Secret`, `4 dashboards`, `snapshot REPO/NAME of jaeger-*`),
//! [`Part`] reads them back, so `--no-secrets` and the snapshot the manifest names are in the plan
//! a reviewer sees. Not here: reading a backup back (`restore.rs`). Tests: the pure parts below;
//! end to end in `tests/it/maintain/backup.rs`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::Ctx;
use crate::backends::elasticsearch::{
    SnapshotInfo, SnapshotStarted, SnapshotState, valid_index_pattern,
};
use crate::backends::kubernetes::valid_label_selector;
use crate::cli::BackupArgs;
use crate::error::UsageError;
use crate::mutation::exec::Exec;
use crate::mutation::runner::ActionError;
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, Plan, PlannedAction};
use crate::transport::BackendError;

pub const MANIFEST: &str = "manifest.json";
pub const MANIFEST_SCHEMA: &str = "tracectl.backup/v1";
pub const CONFIGMAPS_FILE: &str = "configmaps.yaml";
pub const SECRETS_FILE: &str = "secrets.yaml";
pub const DASHBOARDS_DIR: &str = "dashboards";
/// The guide's `kubectl get configmap,secret -l app=tracing`.
pub const DEFAULT_SELECTOR: &str = "app=tracing";
/// Jaeger's indices, whatever their kind and date.
pub const DEFAULT_SNAPSHOT_INDICES: &str = "jaeger-*";
/// What kubectl's client-side apply keeps in an annotation: a second copy of the object (of a
/// Secret, its values in clear), which a restore must not bring back as it was.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Service-account tokens are minted by the cluster; one restored from a backup would be stale.
const SA_TOKEN: &str = "kubernetes.io/service-account-token";
/// How long a snapshot that was accepted rather than finished is polled for.
const SNAPSHOT_POLL_LIMIT: Duration = Duration::from_secs(6 * 3600);

// ---------------------------------------------------------------------------------------------
// The manifest
// ---------------------------------------------------------------------------------------------

/// `manifest.json`: what a backup holds, and the digest of each file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub schema: String,
    pub created_at: Timestamp,
    pub tracectl_version: String,
    pub namespace: String,
    /// The cluster URL (no credentials), when there was a cluster.
    pub cluster: Option<String>,
    pub selector: String,
    pub files: Vec<FileEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotEntry>,
    /// What the backup does not hold, and why (`Secrets: --no-secrets`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
}

/// One file of the backup, its path relative to the directory (`/`-separated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    /// Lowercase hex, as `sha256sum` prints it: `cd DIR && sha256sum -c` can check it too.
    pub sha256: String,
    pub bytes: u64,
    pub holds: Holds,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Holds {
    ConfigMaps {
        names: Vec<String>,
    },
    Secrets {
        names: Vec<String>,
    },
    Dashboard {
        uid: String,
        title: String,
        folder_uid: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotEntry {
    pub repository: String,
    pub snapshot: String,
    /// The patterns asked for (`jaeger-*`).
    pub indices: Vec<String>,
    /// The indices it holds, as Elasticsearch reported them when the backup was written.
    pub snapshot_indices: Vec<String>,
    pub uuid: String,
}

/// `sha256` of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The parts of a backup, as the plan lists them
// ---------------------------------------------------------------------------------------------

pub use crate::mutation::BackupPart as Part;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------

/// `tracectl-backup-20261125-100000`, from the run's start (UTC).
pub fn default_dir(now: Timestamp) -> PathBuf {
    PathBuf::from(format!("tracectl-backup-{}", stamp(now)))
}

/// `tracectl-20261125-100000`: lowercase, as snapshot names must be.
pub fn snapshot_name(now: Timestamp) -> String {
    format!("tracectl-{}", stamp(now)).to_lowercase()
}

fn stamp(now: Timestamp) -> String {
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
                human_bytes(size)
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

fn is_sa_token(o: &Value) -> bool {
    o["type"].as_str() == Some(SA_TOKEN)
}

fn human_bytes(n: u64) -> String {
    const UNITS: &[&str] = &["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

// ---------------------------------------------------------------------------------------------
// Applying
// ---------------------------------------------------------------------------------------------

/// A backend's error as an action's (restore's too): its one line and its hint.
pub(super) fn backend_err(e: BackendError) -> ActionError {
    ActionError::with_hint(e.one_line(), e.hint())
}

/// A usage error met while an action runs (a client the plan did not need, a file that changed):
/// its message (restore's too).
pub(super) fn usage_err(e: UsageError) -> ActionError {
    ActionError::new(e.message)
}

pub async fn apply(x: &Exec<'_>, action: &PlannedAction) -> Result<ActionResult, ActionError> {
    match &action.operation {
        Operation::CreateSnapshot {
            repository,
            snapshot,
            indices,
        } => create_snapshot(x, repository, snapshot, indices).await,
        Operation::WriteBackup {
            dir,
            label_selector,
            contents,
        } => write_backup(x, dir, label_selector, contents).await,
        other => Err(ActionError::new(format!(
            "{}: not a backup action ({other:?})",
            action.summary
        ))),
    }
}

/// Why a finished snapshot is not a backup, if it is not: anything but `SUCCESS`.
pub fn snapshot_failure(info: &SnapshotInfo) -> Option<String> {
    let state = match &info.state {
        SnapshotState::Success => return None,
        SnapshotState::Partial => "PARTIAL".to_string(),
        SnapshotState::Failed => "FAILED".to_string(),
        SnapshotState::InProgress => "IN_PROGRESS".to_string(),
        SnapshotState::Incompatible => "INCOMPATIBLE".to_string(),
        SnapshotState::Unknown(s) => s.clone(),
    };
    let mut msg = format!(
        "snapshot {} ended {state}: {} of {} shards failed",
        info.snapshot, info.shards.failed, info.shards.total
    );
    if !info.failures.is_empty() {
        let shown: Vec<&str> = info.failures.iter().take(5).map(String::as_str).collect();
        msg.push_str(&format!(" ({})", shown.join("; ")));
        if info.failures.len() > 5 {
            msg.push_str(&format!(" and {} more", info.failures.len() - 5));
        }
    }
    Some(msg)
}

async fn create_snapshot(
    x: &Exec<'_>,
    repository: &str,
    snapshot: &str,
    indices: &[String],
) -> Result<ActionResult, ActionError> {
    let es = x.elasticsearch("a snapshot").map_err(usage_err)?;
    if es
        .get_snapshot(repository, snapshot)
        .await
        .map_err(backend_err)?
        .is_some()
    {
        return Err(ActionError::with_hint(
            format!("snapshot {repository}/{snapshot} exists already (taken since the plan)"),
            "run the backup again: the next one is named after its own start time",
        ));
    }
    x.progress.note(&format!(
        "snapshot {repository}/{snapshot}: started, waiting"
    ));
    let info = match es
        .create_snapshot(repository, snapshot, indices, true)
        .await
        .map_err(backend_err)?
    {
        SnapshotStarted::Completed(info) => *info,
        // Some versions (and proxies that cut long requests) answer before the end: poll.
        SnapshotStarted::Accepted => poll_snapshot(x, repository, snapshot).await?,
    };
    if let Some(why) = snapshot_failure(&info) {
        return Err(ActionError::with_hint(
            why,
            format!(
                "see GET _snapshot/{repository}/{snapshot}; delete it (DELETE _snapshot/{repository}/{snapshot}) and run the backup again once the cause is fixed"
            ),
        ));
    }
    Ok(ActionResult::detail(format!(
        "snapshot {repository}/{snapshot}: SUCCESS, {}, {} shards",
        plural(info.indices.len(), "index", "indices"),
        info.shards.total
    )))
}

async fn poll_snapshot(
    x: &Exec<'_>,
    repository: &str,
    snapshot: &str,
) -> Result<SnapshotInfo, ActionError> {
    let es = x.elasticsearch("a snapshot").map_err(usage_err)?;
    let deadline = tokio::time::Instant::now() + SNAPSHOT_POLL_LIMIT;
    loop {
        match es
            .get_snapshot(repository, snapshot)
            .await
            .map_err(backend_err)?
        {
            Some(info) if info.state != SnapshotState::InProgress => return Ok(info),
            _ if tokio::time::Instant::now() >= deadline => {
                return Err(ActionError::with_hint(
                    format!("snapshot {repository}/{snapshot} is still running after 6 hours"),
                    format!("follow it with GET _snapshot/{repository}/{snapshot}/_status"),
                ));
            }
            _ => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    }
}

/// An object as a backup keeps it: the body, and of its metadata only the name, namespace,
/// labels and annotations (without kubectl's last-applied copy). The rest (uid,
/// resourceVersion, timestamps, managedFields, owner references to objects of this cluster) is
/// the server's and would not apply elsewhere; `status` too.
pub fn portable(object: &Value) -> Value {
    let mut out = Map::new();
    let Some(o) = object.as_object() else {
        return object.clone();
    };
    for (k, v) in o {
        match k.as_str() {
            "status" => {}
            "metadata" => {
                let mut meta = Map::new();
                for key in ["name", "namespace", "labels"] {
                    if let Some(v) = v.get(key).filter(|v| !v.is_null()) {
                        meta.insert(key.into(), v.clone());
                    }
                }
                if let Some(Value::Object(a)) = v.get("annotations") {
                    let kept: Map<String, Value> = a
                        .iter()
                        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    if !kept.is_empty() {
                        meta.insert("annotations".into(), Value::Object(kept));
                    }
                }
                out.insert(k.clone(), Value::Object(meta));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// A `kind: List` of `items` as YAML, as `kubectl get -o yaml` writes one.
pub fn list_yaml(items: &[Value]) -> Result<String, String> {
    serde_norway::to_string(&json!({"apiVersion": "v1", "kind": "List", "items": items}))
        .map_err(|e| e.to_string())
}

/// A dashboard as its backup file holds it: what `POST /api/dashboards/db` takes. The model's
/// `id` is the instance's row number: it is dropped (`null`), so the file saves by `uid`
/// anywhere.
pub fn dashboard_file(model: &Value, folder_uid: Option<&str>) -> Value {
    let mut model = model.clone();
    if let Some(m) = model.as_object_mut() {
        m.insert("id".into(), Value::Null);
    }
    json!({"dashboard": model, "folderUid": folder_uid, "overwrite": true})
}

/// Writes files into a backup directory: each under a temporary name first, flushed, then
/// renamed, so a final name always holds a whole file. Every file is created 0600 (a Secret's
/// file must never exist with a wider mode, not even for a moment).
struct Writer {
    dir: PathBuf,
    files: Vec<FileEntry>,
}

impl Writer {
    fn create(dir: &Path) -> std::io::Result<Writer> {
        crate::mutation::journal::create_private_dir(dir)?;
        // A directory that already existed (empty: checked) keeps its mode otherwise.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Writer {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        })
    }

    fn write(&mut self, rel: &str, bytes: &[u8], holds: Option<Holds>) -> std::io::Result<()> {
        write_atomic(&self.dir.join(rel), bytes)?;
        if let Some(holds) = holds {
            self.files.push(FileEntry {
                path: rel.to_string(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
                holds,
            });
        }
        Ok(())
    }
}

/// Write `path` whole or not at all: `.NAME.tmp` beside it, created 0600, synced, renamed over,
/// and the directory synced so the rename survives a crash.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?
        .to_string_lossy();
    let tmp = parent.join(format!(".{name}.tmp"));
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let result = (|| {
        let mut f = o.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        File::open(parent)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

async fn write_backup(
    x: &Exec<'_>,
    dir: &Path,
    selector: &str,
    contents: &[Part],
) -> Result<ActionResult, ActionError> {
    let parts = contents;
    check_dir(dir).map_err(|e| {
        ActionError::with_hint(
            format!("{} (since the plan)", e.message),
            e.hint.unwrap_or_default(),
        )
    })?;
    let io = |what: &str, e: std::io::Error| {
        ActionError::with_hint(
            format!("{}: cannot write {what}: {e}", dir.display()),
            "what was written has no manifest, so it is not a backup: remove the directory, fix the cause and run it again",
        )
    };
    let mut w = Writer::create(dir).map_err(|e| io("the directory", e))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::elasticsearch::valid_index_name;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn names_come_from_the_utc_start() {
        let now = ts("2026-11-25T23:59:07+02:00");
        assert_eq!(
            default_dir(now),
            PathBuf::from("tracectl-backup-20261125-215907")
        );
        assert_eq!(snapshot_name(now), "tracectl-20261125-215907");
        assert!(valid_index_name(&snapshot_name(now)));
    }

    #[test]
    fn parts_read_as_words_and_as_data() {
        let parts = [
            Part::ConfigMaps(3),
            Part::ConfigMaps(1),
            Part::Secrets(0),
            Part::Secrets(1),
            Part::Dashboards(14),
            Part::Snapshot {
                repository: "Backups".into(),
                snapshot: "tracectl-20261125-100000".into(),
                indices: vec!["jaeger-span-*".into(), "jaeger-service-*".into()],
            },
        ];
        let texts: Vec<String> = parts.iter().map(Part::to_string).collect();
        assert_eq!(texts[0], "3 ConfigMaps");
        assert_eq!(texts[1], "1 ConfigMap");
        assert_eq!(texts[3], "1 Secret");
        assert_eq!(
            texts[5],
            "snapshot Backups/tracectl-20261125-100000 of jaeger-span-*,jaeger-service-*"
        );
        let v = serde_json::to_value(&parts).unwrap();
        assert_eq!(v[0], json!({"config_maps": 3}));
        assert_eq!(v[5]["snapshot"]["repository"], "Backups");
        let back: Vec<Part> = serde_json::from_value(v).unwrap();
        assert_eq!(back, parts);
    }

    #[test]
    fn snapshot_indices_are_patterns() {
        assert_eq!(snapshot_indices(None).unwrap(), ["jaeger-*"]);
        assert_eq!(snapshot_indices(Some("a-*, b-*")).unwrap(), ["a-*", "b-*"]);
        for bad in ["", ",", "Jaeger-*", "_all", "a b", "-x"] {
            assert!(snapshot_indices(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn portable_objects_keep_what_a_restore_needs() {
        let live = json!({
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": "es", "namespace": "monitoring", "uid": "u", "resourceVersion": "7",
                         "creationTimestamp": "t", "generation": 2, "selfLink": "/x",
                         "managedFields": [{"manager": "kubectl"}],
                         "ownerReferences": [{"uid": "o"}],
                         "labels": {"app": "tracing"},
                         "annotations": {LAST_APPLIED: "{\"data\":{\"p\":\"c2VjcmV0\"}}", "team": "obs"}},
            "data": {"p": "c2VjcmV0"}, "status": {}
        });
        assert_eq!(
            portable(&live),
            json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                   "metadata": {"name": "es", "namespace": "monitoring",
                                "labels": {"app": "tracing"}, "annotations": {"team": "obs"}},
                   "data": {"p": "c2VjcmV0"}})
        );
        let only_last_applied =
            json!({"metadata": {"name": "x", "annotations": {LAST_APPLIED: "{}"}}});
        assert_eq!(
            portable(&only_last_applied),
            json!({"metadata": {"name": "x"}})
        );
    }

    #[test]
    fn lists_are_yaml_that_reads_back() {
        let items = vec![json!({"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "a"}, "data": {"c.yaml": "a: 1\nb: \"x\"\n", "n": "007"}})];
        let text = list_yaml(&items).unwrap();
        assert!(text.contains("kind: List"), "{text}");
        let back: Value = serde_norway::from_str(&text).unwrap();
        assert_eq!(back["items"], Value::Array(items));
    }

    #[test]
    fn dashboard_files_save_by_uid() {
        let f = dashboard_file(
            &json!({"id": 12, "uid": "abc", "title": "T", "version": 3}),
            Some("f1"),
        );
        assert_eq!(f["dashboard"]["id"], Value::Null);
        assert_eq!(f["dashboard"]["uid"], "abc");
        assert_eq!(f["dashboard"]["version"], 3);
        assert_eq!(f["folderUid"], "f1");
        assert_eq!(f["overwrite"], true);
        assert_eq!(
            dashboard_file(&json!({"uid": "x"}), None)["folderUid"],
            Value::Null
        );
    }

    fn snap(state: SnapshotState, failures: Vec<String>) -> SnapshotInfo {
        SnapshotInfo {
            snapshot: "s".into(),
            uuid: "u".into(),
            state,
            version: None,
            indices: vec!["jaeger-span-2026-11-25".into()],
            start_time: None,
            end_time: None,
            duration_ms: None,
            shards: crate::backends::elasticsearch::Shards {
                total: 2,
                successful: 1,
                failed: 1,
                ..Default::default()
            },
            failures,
        }
    }

    #[test]
    fn only_a_successful_snapshot_is_a_backup() {
        assert_eq!(
            snapshot_failure(&snap(SnapshotState::Success, vec![])),
            None
        );
        let partial = snapshot_failure(&snap(
            SnapshotState::Partial,
            vec!["jaeger-span-2026-11-25[0]: node left".into()],
        ))
        .unwrap();
        assert!(partial.contains("PARTIAL"), "{partial}");
        assert!(partial.contains("1 of 2 shards failed"), "{partial}");
        assert!(
            partial.contains("jaeger-span-2026-11-25[0]: node left"),
            "{partial}"
        );
        assert!(snapshot_failure(&snap(SnapshotState::Failed, vec![])).is_some());
    }

    #[test]
    fn a_backup_goes_to_a_new_or_empty_directory() {
        let t = tempfile::tempdir().unwrap();
        assert!(check_dir(&t.path().join("new")).is_ok());
        assert!(check_dir(t.path()).is_ok());
        std::fs::write(t.path().join("x"), "x").unwrap();
        let e = check_dir(t.path()).unwrap_err();
        assert!(e.message.contains("not empty"), "{}", e.message);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_written_whole_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("b");
        let mut w = Writer::create(&dir).unwrap();
        w.write(
            SECRETS_FILE,
            b"items: []\n",
            Some(Holds::Secrets { names: vec![] }),
        )
        .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(SECRETS_FILE)), 0o600);
        assert_eq!(
            std::fs::read(dir.join(SECRETS_FILE)).unwrap(),
            b"items: []\n"
        );
        assert_eq!(w.files[0].sha256, sha256_hex(b"items: []\n"));
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [SECRETS_FILE], "no temporary file is left");
    }
}
