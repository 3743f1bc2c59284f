//! Each operation a plan can hold, planned and done in one place: what it reads to decide, the
//! [`PlannedAction`] it becomes, how the executor ([`crate::mutation::exec`]) does it and how it is
//! undone, side by side.
//!
//! - [`objects`]: a Kubernetes object, server-side applied; undone by a delete or a restore.
//! - [`release`]: a Helm release and repositories; undone by `helm rollback`/`uninstall`.
//! - [`backup`]: the backup directory format (`manifest.json`, ConfigMaps, Secrets, dashboards)
//!   and Elasticsearch snapshots; [`restore`] reads one back (dashboards, Secrets, snapshots).
//! - [`storage`]: Elasticsearch indices (retention, force-merge) and index templates.
//! - [`scale`]: a workload patch (replicas, resources, env, a patch file).
//! - [`config`] and [`update`]: `maintain config` and `maintain update`, planned from the above.
//! - [`deploy`]: the deployment runbook's plan (steps 1–8), with [`inputs`], [`manifests`],
//!   [`secret`], [`wait`] and [`verify`].
//!
//! [`Ctx`] is the world a maintenance plan is computed against; `deploy` has its own
//! ([`deploy::Deploy`]). Not here: the order, journal and stopping (`crate::mutation::runner`),
//! confirming (`crate::mutation::session`), printing (`crate::render::plan`). Tests: in each
//! module; `tests/it/deploy.rs`, `tests/it/maintain.rs` and `tests/it/maintain/` end to end.

pub mod backup;
pub mod config;
pub mod deploy;
pub mod inputs;
pub mod maintain;
pub mod manifests;
pub mod objects;
pub mod release;
pub mod restore;
pub mod scale;
pub mod secret;
pub mod storage;
pub mod update;
pub mod verify;
pub mod wait;

use jiff::Timestamp;
use serde_json::Value;

use super::{Change, Inverse, Observed, Operation, Plan, PlannedAction};
use crate::backends::alertmanager::AlertmanagerClient;
use crate::backends::elasticsearch::ElasticsearchClient;
use crate::backends::grafana::GrafanaClient;
use crate::backends::helm::Helm;
use crate::backends::kubernetes::{Kube, ObjectRef};
use crate::error::UsageError;
use crate::settings::Settings;

/// Everything a maintenance step acts with. A backend that is not configured is `None`; a step
/// that needs it says so (a usage error) before anything changes.
pub struct Ctx {
    pub settings: Settings,
    pub namespace: String,
    pub kube: Option<Kube>,
    pub elasticsearch: Option<ElasticsearchClient>,
    pub grafana: Option<GrafanaClient>,
    pub alertmanager: Option<AlertmanagerClient>,
    /// For `update` and for undoing it; `--helm` of `update` sets the binary.
    pub helm: Helm,
    /// When the run started: backups and snapshots are named after it.
    pub now: Timestamp,
}

impl Ctx {
    pub fn kube(&self, why: &str) -> Result<&Kube, UsageError> {
        need_kube(self.kube.as_ref(), why)
    }

    pub fn elasticsearch(&self, why: &str) -> Result<&ElasticsearchClient, UsageError> {
        need_elasticsearch(self.elasticsearch.as_ref(), why)
    }

    pub fn grafana(&self, why: &str) -> Result<&GrafanaClient, UsageError> {
        need_grafana(self.grafana.as_ref(), why)
    }

    /// A new, empty plan for `maintain <what>` against this cluster.
    pub fn plan(&self, what: &str) -> Plan {
        let mut p = Plan::new(&format!("maintain {what}"), &self.namespace);
        p.cluster = self.kube.as_ref().map(|k| k.cluster_url().to_string());
        p
    }
}

pub(crate) fn need_kube<'a>(kube: Option<&'a Kube>, why: &str) -> Result<&'a Kube, UsageError> {
    kube.ok_or_else(|| {
        UsageError::with_hint(
            format!("{why} needs a Kubernetes cluster, and no kubeconfig was found"),
            "pass --kubeconfig PATH (or set KUBECONFIG), and --kube-context NAME if needed",
        )
    })
}

pub(crate) fn need_elasticsearch<'a>(
    es: Option<&'a ElasticsearchClient>,
    why: &str,
) -> Result<&'a ElasticsearchClient, UsageError> {
    es.ok_or_else(|| {
        UsageError::with_hint(
            format!("{why} needs Elasticsearch, and none is configured"),
            "pass --elasticsearch-url URL (or set TRACECTL_ELASTICSEARCH_URL, or the context's elasticsearch.url)",
        )
    })
}

pub(crate) fn need_grafana<'a>(
    g: Option<&'a GrafanaClient>,
    why: &str,
) -> Result<&'a GrafanaClient, UsageError> {
    g.ok_or_else(|| {
        UsageError::with_hint(
            format!("{why} needs Grafana, and none is configured"),
            "pass --grafana-url URL (or set TRACECTL_GRAFANA_URL, or the context's grafana.url)",
        )
    })
}

/// An action with no diff lines and no backup (the caller adds them for an update).
pub fn action(
    id: String,
    (step, step_id): (u8, &str),
    change: Change,
    summary: String,
    operation: Operation,
    observed: Observed,
    inverse: Option<Inverse>,
) -> PlannedAction {
    PlannedAction {
        id,
        step,
        step_id: step_id.into(),
        change,
        summary,
        diff: Vec::new(),
        operation,
        observed,
        inverse,
        backup: None,
    }
}

/// What a change expects to find of a live Kubernetes object: its version and uid.
pub fn present(live: &Value) -> Observed {
    let meta = &live["metadata"];
    Observed::Present {
        resource_version: meta["resourceVersion"].as_str().unwrap_or("").to_string(),
        uid: meta["uid"].as_str().map(str::to_string),
    }
}

pub fn namespace_ref(ns: &str) -> ObjectRef {
    ObjectRef {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        plural: "namespaces".into(),
        namespace: None,
        name: ns.into(),
    }
}

pub fn secret_ref(ns: &str, name: &str) -> ObjectRef {
    ObjectRef {
        api_version: "v1".into(),
        kind: "Secret".into(),
        plural: "secrets".into(),
        namespace: Some(ns.into()),
        name: name.into(),
    }
}
