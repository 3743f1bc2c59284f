//! Mutations as data: plan → confirm → backup → apply → verify → roll back.
//!
//! A [`Plan`] is an ordered list of [`PlannedAction`]s computed from observed state before anything
//! changes. Each action says what it will do ([`Operation`]), what it expects to find
//! ([`Observed`]: an object absent, or present at a resourceVersion; a Helm release at revision 3,
//! or not installed) and how it is undone ([`Inverse`]: delete what was created, `helm rollback` to
//! the revision before, `helm uninstall` a fresh install). A plan serializes to JSON
//! (`tracectl.plan/v1`), so it can be printed, saved and reviewed; an action already in the wanted
//! state is [`Change::Unchanged`], which is what makes a second `apply` a no-op.
//!
//! The layer's modules: [`ops`] plans each operation and does it, its apply beside its undo
//! (Kubernetes objects, Helm releases, Elasticsearch indices, snapshots and templates, Grafana
//! dashboards, the backup directory, workload patches); [`exec`] is the one executor that hands
//! each action to its op; [`journal`] writes every action to a JSON-lines file before and after it
//! runs; [`runner`] runs a plan through an [`runner::Executor`] and replays a journal backwards;
//! [`session`] is what a command does around a run (confirm, journal, offer the rollback, the
//! ending); [`confirm`] decides whether to ask; [`patch`] is the JSON diff and patch algebra;
//! [`progress`] draws the run on stderr. Not here: printing plans and results
//! (`crate::render::plan`), the Helm binary (`crate::backends::helm`). Tests: below, and in each
//! submodule.

pub mod confirm;
pub mod exec;
pub mod journal;
pub mod ops;
pub mod patch;
pub mod progress;
pub mod runner;
pub mod session;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use crate::backends::kubernetes::ObjectRef;

pub const PLAN_SCHEMA: &str = "tracectl.plan/v1";

/// What the plan will do, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub schema: String,
    /// `deploy`.
    pub command: String,
    pub namespace: String,
    /// The cluster URL the plan was computed against (no credentials).
    pub cluster: Option<String>,
    /// What the plan could not know, or chose not to do (helm missing, a Secret left alone).
    #[serde(default)]
    pub notes: Vec<String>,
    pub actions: Vec<PlannedAction>,
}

impl Plan {
    pub fn new(command: &str, namespace: &str) -> Self {
        Plan {
            schema: PLAN_SCHEMA.into(),
            command: command.into(),
            namespace: namespace.into(),
            cluster: None,
            notes: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// Actions that change something (create, update or delete): what the confirmation counts.
    pub fn changes(&self) -> usize {
        self.actions.iter().filter(|a| a.change.is_change()).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Create,
    Update,
    /// Removes something (an old index): the plan table shows it as `delete`.
    Delete,
    /// Already as wanted: skipped.
    Unchanged,
    /// Refreshes a local cache (`helm repo update`); changes nothing in the cluster.
    Refresh,
    /// Read-only: waits and verifications.
    Check,
}

impl Change {
    pub fn is_change(self) -> bool {
        matches!(self, Change::Create | Change::Update | Change::Delete)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Delete => "delete",
            Change::Unchanged => "unchanged",
            Change::Refresh => "refresh",
            Change::Check => "check",
        }
    }
}

/// One action of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedAction {
    /// Unique in the plan, stable across runs: `namespace/monitoring`, `helm-release/jaeger`.
    pub id: String,
    pub step: u8,
    pub step_id: String,
    pub change: Change,
    /// One line for a human: `create Namespace monitoring`.
    pub summary: String,
    /// What differs from the live state, when it is an update (`data.sampling.json`,
    /// `chart jaeger-3.4.0 → jaeger-3.4.1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<String>,
    pub operation: Operation,
    /// What the action expects to find right before it runs; checked again then.
    pub observed: Observed,
    /// How to undo it, known before anything changes. `None` for checks and unchanged actions.
    pub inverse: Option<Inverse>,
    /// The object as it was, for [`Inverse::Restore`]: written to the journal with the intent,
    /// never printed with the plan.
    #[serde(skip)]
    pub backup: Option<serde_json::Value>,
}

/// What an action does. Values that must not be printed (a password) are not in here: the
/// executor holds them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Server-side apply (`fieldManager=tracectl`, `force`).
    Apply {
        object: ObjectRef,
        manifest: serde_json::Value,
    },
    /// Server-side apply of a Secret whose values the executor holds; only the keys are here.
    ApplySecret {
        object: ObjectRef,
        keys: Vec<String>,
        /// Where the value comes from, for the reader: `file /run/secrets/es`, `env ES_PASSWORD`.
        source: String,
    },
    HelmRepoAdd {
        name: String,
        url: String,
    },
    HelmRepoUpdate {
        names: Vec<String>,
    },
    /// `helm upgrade --install`.
    HelmUpgrade(HelmRelease),
    /// Wait for every Deployment, StatefulSet and DaemonSet of the namespace to be rolled out.
    WaitRollout {
        namespace: String,
        timeout_seconds: u64,
    },
    /// The post-deployment checks.
    Verify {
        namespace: String,
        checks: Vec<String>,
    },
    // `maintain`'s operations.
    /// Write a backup directory: the labelled ConfigMaps and Secrets, every Grafana dashboard, a
    /// manifest with checksums. Changes nothing anywhere else.
    WriteBackup {
        dir: PathBuf,
        label_selector: String,
        /// What will be in it: what apply writes, and what the reader of the plan sees.
        contents: Vec<BackupPart>,
    },
    /// An Elasticsearch snapshot, waited for.
    CreateSnapshot {
        repository: String,
        snapshot: String,
        indices: Vec<String>,
    },
    /// Restore indices from a snapshot (indices that exist are not restored over: Elasticsearch
    /// refuses, and the plan leaves them out).
    RestoreSnapshot {
        repository: String,
        snapshot: String,
        indices: Vec<String>,
    },
    /// Delete one index by its exact name (never a pattern).
    DeleteIndex {
        index: String,
        docs: Option<u64>,
        size_bytes: Option<u64>,
        /// Why retention deletes it: `2026-10-01 is 55 days old, retention 30 days`.
        reason: String,
    },
    ForceMerge {
        index: String,
        max_num_segments: u32,
    },
    /// `PUT _index_template/NAME` (or `_template/NAME`, `legacy`) from a file.
    PutIndexTemplate {
        name: String,
        legacy: bool,
        source: PathBuf,
        #[serde(skip)]
        body: serde_json::Value,
    },
    /// `POST /api/dashboards/db` with `overwrite`.
    SaveDashboard {
        uid: String,
        title: String,
        folder_uid: Option<String>,
        source: PathBuf,
        #[serde(skip)]
        dashboard: serde_json::Value,
    },
    /// A Secret put back from a backup file; the values are read from the file when it runs,
    /// never held in the plan.
    RestoreSecret {
        object: ObjectRef,
        keys: Vec<String>,
        source: PathBuf,
    },
    /// `kubectl patch`: `strategic`, `merge` or `json`.
    Patch {
        object: ObjectRef,
        patch_type: String,
        patch: serde_json::Value,
    },
    /// The pre- or post-maintenance checks (`tracectl check`'s): fails when one fails.
    Checks {
        /// `health`, `validate`.
        name: String,
        checks: Vec<String>,
    },
}

/// One part of a backup directory, as a plan lists it (`{"config_maps": 3}`) and a person reads
/// it (`3 ConfigMaps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupPart {
    /// How many the plan saw; apply writes those there are then.
    ConfigMaps(usize),
    Secrets(usize),
    Dashboards(usize),
    /// The snapshot the manifest names (taken by the plan's `CreateSnapshot`).
    Snapshot {
        repository: String,
        snapshot: String,
        indices: Vec<String>,
    },
}

impl std::fmt::Display for BackupPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match self {
            BackupPart::ConfigMaps(n) => f.write_str(&plural(*n, "ConfigMap", "ConfigMaps")),
            BackupPart::Secrets(n) => f.write_str(&plural(*n, "Secret", "Secrets")),
            BackupPart::Dashboards(n) => f.write_str(&plural(*n, "dashboard", "dashboards")),
            BackupPart::Snapshot {
                repository,
                snapshot,
                indices,
            } => write!(
                f,
                "snapshot {repository}/{snapshot} of {}",
                indices.join(",")
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelmRelease {
    pub release: String,
    pub namespace: String,
    /// `repo/chart`.
    pub chart: String,
    pub version: Option<String>,
    /// The values files given, for the reader; what is sent is their merge with tracectl's
    /// overrides, whose digest is `values_sha256`.
    pub values_files: Vec<PathBuf>,
    pub values_sha256: String,
    /// The merged values, written to a file next to the journal at apply time. Not printed: a
    /// values file may hold credentials.
    #[serde(skip)]
    pub values: serde_json::Value,
}

/// What an action expects to find.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Observed {
    Absent,
    Present {
        resource_version: String,
        uid: Option<String>,
    },
    NotInstalled,
    Release {
        revision: u64,
        /// `name-version`, as `helm list` shows it.
        chart: String,
        status: String,
        values_sha256: String,
    },
    Repo {
        url: String,
    },
    /// The state could not be read (no `helm`, a kind the cluster does not serve yet).
    Unknown {
        reason: String,
    },
    /// Checks and refreshes expect nothing.
    NotApplicable,
}

/// How an action is undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Inverse {
    /// It was created: delete it (with the created object's uid as a precondition when known).
    Delete {
        object: ObjectRef,
    },
    /// It was updated: put back the backup written to the journal.
    Restore {
        object: ObjectRef,
    },
    HelmRollback {
        release: String,
        namespace: String,
        revision: u64,
    },
    /// A fresh install.
    HelmUninstall {
        release: String,
        namespace: String,
    },
    HelmRepoRemove {
        name: String,
    },
    /// Cannot be undone; the rollback says so and goes on (an updated Secret: its old value is
    /// not kept anywhere).
    Keep {
        reason: String,
    },
    /// A dashboard the run overwrote: saved again as the journal's backup holds it.
    RestoreDashboard {
        uid: String,
    },
    /// A dashboard the run created.
    DeleteDashboard {
        uid: String,
    },
    /// An index template the run replaced: put back as the journal's backup holds it.
    RestoreIndexTemplate {
        name: String,
        legacy: bool,
    },
    /// An index template the run created.
    DeleteIndexTemplate {
        name: String,
        legacy: bool,
    },
    /// A deleted index: restored from the snapshot taken before it was deleted.
    RestoreIndex {
        repository: String,
        snapshot: String,
        index: String,
    },
}

impl Inverse {
    /// For plans and messages: `helm rollback jaeger 3`, `delete ConfigMap monitoring/x`.
    pub fn describe(&self) -> String {
        match self {
            Inverse::Delete { object } => format!("delete {object}"),
            Inverse::Restore { object } => format!("restore {object} as it was"),
            Inverse::HelmRollback {
                release,
                namespace,
                revision,
            } => format!("helm rollback {release} {revision} -n {namespace}"),
            Inverse::HelmUninstall { release, namespace } => {
                format!("helm uninstall {release} -n {namespace}")
            }
            Inverse::HelmRepoRemove { name } => format!("helm repo remove {name}"),
            Inverse::Keep { reason } => format!("kept: {reason}"),
            Inverse::RestoreDashboard { uid } => format!("restore dashboard {uid} as it was"),
            Inverse::DeleteDashboard { uid } => format!("delete dashboard {uid}"),
            Inverse::RestoreIndexTemplate { name, .. } => {
                format!("restore index template {name} as it was")
            }
            Inverse::DeleteIndexTemplate { name, .. } => format!("delete index template {name}"),
            Inverse::RestoreIndex {
                repository,
                snapshot,
                index,
            } => format!("restore {index} from snapshot {repository}/{snapshot}"),
        }
    }
}

/// What an action did, for the journal's `done` line and the rollback.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionResult {
    /// One line for a human: `created`, `revision 4`, `3 workloads rolled out`.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_before: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_after: Option<u64>,
}

impl ActionResult {
    pub fn detail(d: impl Into<String>) -> Self {
        ActionResult {
            detail: d.into(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn config_map(name: &str) -> ObjectRef {
        ObjectRef {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            plural: "configmaps".into(),
            namespace: Some("monitoring".into()),
            name: name.into(),
        }
    }

    pub fn action(id: &str, change: Change, inverse: Option<Inverse>) -> PlannedAction {
        PlannedAction {
            id: id.into(),
            step: 6,
            step_id: "manifests".into(),
            change,
            summary: format!("{} {id}", change.as_str()),
            diff: vec![],
            operation: Operation::Apply {
                object: config_map(id),
                manifest: serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap"}),
            },
            observed: Observed::Absent,
            inverse,
            backup: None,
        }
    }

    #[test]
    fn counts_only_creates_and_updates() {
        let mut p = Plan::new("deploy", "monitoring");
        p.actions = vec![
            action("a", Change::Create, None),
            action("b", Change::Unchanged, None),
            action("c", Change::Update, None),
            action("d", Change::Check, None),
            action("e", Change::Refresh, None),
        ];
        assert_eq!(p.changes(), 2);
    }

    #[test]
    fn serializes_with_tags_and_without_backups_or_values() {
        let mut a = action(
            "sampling",
            Change::Update,
            Some(Inverse::Restore {
                object: config_map("sampling"),
            }),
        );
        a.backup = Some(serde_json::json!({"data": {"old": "x"}}));
        a.observed = Observed::Present {
            resource_version: "42".into(),
            uid: Some("u-1".into()),
        };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["operation"]["op"], "apply");
        assert_eq!(v["observed"]["state"], "present");
        assert_eq!(v["observed"]["resource_version"], "42");
        assert_eq!(v["inverse"]["op"], "restore");
        assert_eq!(v["change"], "update");
        assert!(v.get("backup").is_none());
        let back: PlannedAction = serde_json::from_value(v).unwrap();
        assert_eq!(back.backup, None);
        assert_eq!(back.observed, a.observed);

        let h = Operation::HelmUpgrade(HelmRelease {
            release: "jaeger".into(),
            namespace: "monitoring".into(),
            chart: "jaegertracing/jaeger".into(),
            version: Some("3.4.1".into()),
            values_files: vec!["values.yaml".into()],
            values_sha256: "ab".into(),
            values: serde_json::json!({"password": "hunter2-hunter2"}),
        });
        let text = serde_json::to_string(&h).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains(r#""op":"helm_upgrade""#), "{text}");
    }

    #[test]
    fn inverses_describe_themselves() {
        assert_eq!(
            Inverse::HelmRollback {
                release: "jaeger".into(),
                namespace: "monitoring".into(),
                revision: 3
            }
            .describe(),
            "helm rollback jaeger 3 -n monitoring"
        );
        assert_eq!(
            Inverse::Delete {
                object: config_map("x")
            }
            .describe(),
            "delete ConfigMap monitoring/x"
        );
    }
}
