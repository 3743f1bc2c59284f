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
//! a reviewer sees. Here: the directory format (the manifest, what an object keeps, atomic writes);
//! `plan.rs`, `apply.rs` and `write.rs` plan and make it. Not here: reading a backup back
//! (`../restore/`). Tests: the pure parts in `tests.rs`; end to end in
//! `tests/it/maintain/backup.rs`.

mod apply;
mod plan;
#[cfg(test)]
mod tests;
mod write;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub use apply::{apply, snapshot_failure};
pub(crate) use apply::{backend_err, usage_err};
use plan::is_sa_token;
pub use plan::{check_dir, default_dir, plan, snapshot_indices, snapshot_name};
use write::write_backup;

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
