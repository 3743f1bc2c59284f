//! The cluster as tracectl reads it: Deployments and their revisions, pods and their containers,
//! ConfigMaps (keys only, never values), events, and the naming rules Kubernetes enforces.
//!
//! Filled by `crate::backends::kubernetes`, read by the analysis; no I/O here. Tests: the
//! naming rules' in `crate::backends::kubernetes` (their first caller), the rest through the
//! investigations' tests.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

/// A workload and its revisions, oldest first: what `kubectl rollout history` shows, plus
/// when each revision was created, so a rollout can be lined up with a latency change. A
/// Deployment's revisions are its ReplicaSets; a StatefulSet's or DaemonSet's are its
/// ControllerRevisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RolloutHistory {
    pub kind: WorkloadKind,
    /// The workload itself (for a StatefulSet or DaemonSet, the same fields: its current
    /// revision, replicas, selector and containers; a DaemonSet's replicas are the nodes it
    /// should run on).
    pub deployment: DeploymentInfo,
    pub revisions: Vec<Revision>,
}

impl RolloutHistory {
    /// `statefulset/web`, as `kubectl rollout` takes it.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.deployment.name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentInfo {
    pub namespace: String,
    pub name: String,
    /// `deployment.kubernetes.io/revision`; `None` before the controller has seen it.
    pub current_revision: Option<u64>,
    /// Desired (`spec.replicas`, 1 when unset, as the API defaults it).
    pub replicas: i32,
    pub updated_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    /// `spec.selector` as a label-selector string (`app=checkout,tier in (web)`).
    pub selector: String,
    pub containers: Vec<ContainerSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub resources: Resources,
    /// The SDK's identity and sampler variables with a literal value ([`SDK_ENV`]); no other
    /// variable is kept (they may hold credentials, as `OTEL_EXPORTER_OTLP_HEADERS` can).
    pub sdk_env: BTreeMap<String, String>,
}

/// The pod template variables [`ContainerSpec::sdk_env`] keeps: how the SDK names the service and
/// samples its traces.
pub const SDK_ENV: [&str; 4] = [
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
];

/// Which controller runs a workload's pods (issue #17: services map to all three).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum WorkloadKind {
    #[default]
    Deployment,
    StatefulSet,
    DaemonSet,
}

impl WorkloadKind {
    pub const ALL: [WorkloadKind; 3] = [
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
    ];

    /// As `kubectl` spells it in `deployment/NAME`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::StatefulSet => "statefulset",
            WorkloadKind::DaemonSet => "daemonset",
        }
    }
}

/// A Deployment, StatefulSet or DaemonSet as service mapping reads it: its name, the labels of
/// the object and of its pod template, the selector that finds its pods, and the SDK identity
/// variables ([`SDK_ENV`]) of its containers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadInfo {
    pub kind: WorkloadKind,
    pub namespace: String,
    pub name: String,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// `spec.template.metadata.labels`.
    pub template_labels: BTreeMap<String, String>,
    /// `spec.selector` as a label-selector string.
    pub selector: String,
    /// Each container's name and [`ContainerSpec::sdk_env`].
    pub containers: Vec<(String, BTreeMap<String, String>)>,
    /// The ConfigMaps its pod template mounts (`volumes[].configMap` and projected sources), in
    /// the template's order: how the Collector's config is found whatever its chart named it.
    pub config_maps: Vec<String>,
}

impl WorkloadInfo {
    /// `deployment/checkout-api`.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.name)
    }

    /// The ConfigMaps whose change is a change of this workload: `NAME-config` and `NAME` (the
    /// guide's names), then those its pod template mounts, each once.
    pub fn config_map_names(&self) -> Vec<String> {
        let mut out = vec![format!("{}-config", self.name), self.name.clone()];
        for m in &self.config_maps {
            if !out.contains(m) {
                out.push(m.clone());
            }
        }
        out
    }
}

/// A short, stable fingerprint of an environment variable's value (or of its `valueFrom`): two
/// revisions' variables differ exactly when their fingerprints do, and the value cannot be read
/// back from it in any useful sense (64-bit FNV-1a, hex).
pub fn env_fingerprint(value: &str) -> String {
    let h = value.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// Quantities as the API spells them (`100m`, `200Mi`): comparing them is the caller's business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Resources {
    pub requests: BTreeMap<String, String>,
    pub limits: BTreeMap<String, String>,
}

/// One revision of a workload's pod template: a Deployment's ReplicaSet, or a StatefulSet's or
/// DaemonSet's ControllerRevision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub revision: u64,
    /// The ReplicaSet's (or ControllerRevision's) name.
    pub replica_set: String,
    pub created: Option<Timestamp>,
    pub images: Vec<String>,
    /// Each container's environment variable (`container/NAME`) with a fingerprint of its value
    /// or source ([`env_fingerprint`]), never the value itself (it may be a credential): enough
    /// to say which variables a rollout changed.
    pub env: BTreeMap<String, String>,
    /// `kubernetes.io/change-cause`: only there if someone annotated the rollout.
    pub change_cause: Option<String>,
    /// Desired (`spec.replicas`); 0 for a revision that was rolled away from.
    pub replicas: i32,
    pub ready_replicas: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigMapInfo {
    pub namespace: String,
    pub name: String,
    pub resource_version: Option<String>,
    pub created: Option<Timestamp>,
    /// The latest `metadata.managedFields[].time` (every apply, edit or patch stamps one), else
    /// `creationTimestamp`.
    pub last_changed: Option<Timestamp>,
    /// Keys of `data` and `binaryData`, sorted; values are not kept (they may be secrets in all but
    /// name).
    pub data_keys: Vec<String>,
}

/// A Service: where a component of the tracing stack answers, and the labels that say what it is
/// (discovery, issue #17).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceInfo {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// `spec.ports`: (name, port), in the order the Service lists them.
    pub ports: Vec<(Option<String>, u16)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodInfo {
    pub name: String,
    /// `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
    pub phase: Option<String>,
    pub node: Option<String>,
    pub started: Option<Timestamp>,
    pub containers: Vec<ContainerInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerInfo {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub restart_count: i32,
    pub state: ContainerState,
    /// Why the previous instance died (`OOMKilled`, `Error`): the evidence a restart leaves.
    pub last_terminated: Option<Terminated>,
    /// From the pod spec: limits are what an OOMKilled ran into.
    pub resources: Resources,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ContainerState {
    /// `reason`: `CrashLoopBackOff`, `ImagePullBackOff`, `ContainerCreating`, ...
    Waiting {
        reason: Option<String>,
        message: Option<String>,
    },
    Running {
        started_at: Option<Timestamp>,
    },
    Terminated(Terminated),
    /// No status reported yet (a pod not yet scheduled).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Terminated {
    pub reason: Option<String>,
    pub exit_code: i32,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// Which events to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventFilter {
    /// Events whose involved object's name starts with this (a Deployment's name catches its
    /// ReplicaSets and pods). The API cannot match prefixes, so the namespace's events are listed
    /// and filtered here.
    NamePrefix(String),
    /// A server-side field selector, e.g. `involvedObject.name=checkout-7d9f,type=Warning`.
    FieldSelector(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventInfo {
    pub reason: Option<String>,
    pub message: Option<String>,
    /// `Normal` or `Warning`.
    pub event_type: Option<String>,
    /// How many times it happened (the API folds repeats into one event).
    pub count: i32,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub object_kind: Option<String>,
    pub object_name: Option<String>,
}

/// A DNS-1123 subdomain (at most 253 characters of dot-separated labels; each label lowercase
/// alphanumerics and `-`, starting and ending alphanumeric): the rule for Deployment, ConfigMap and
/// Pod names. Checking it before a call means user input can never add a path segment or a query.
pub fn valid_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(valid_label)
}

/// The label selector a workload named `name` most often has (`app=NAME`), which the reads ask
/// for before the workload itself has answered, so the two go out at once.
pub fn guessed_selector(name: &str) -> String {
    format!("app={name}")
}

/// Whether every object `selector` matches also matches `term` (a `key=value`): then a list by
/// `term` holds all that a list by `selector` would, and may stand in for it. Only a
/// `matchLabels` term says so; an expression (`app in (a,b)`) is not taken apart.
pub fn selector_implies(selector: &str, term: &str) -> bool {
    selector.split(',').any(|t| t.trim() == term)
}

/// A label value Kubernetes accepts in a selector: at most 63 of `[A-Za-z0-9_.-]`, beginning
/// and ending alphanumeric (an empty value is valid but selects nothing useful here, so false).
pub fn valid_label_value(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A DNS-1123 label (at most 63 characters, no dots): the rule for namespaces and container names.
pub fn valid_label(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && alnum(&b[0])
        && alnum(&b[b.len() - 1])
        && b.iter().all(|c| alnum(c) || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_implies_its_match_label_terms_only() {
        assert!(selector_implies("app=checkout", "app=checkout"));
        assert!(selector_implies("app=checkout,tier=web", "app=checkout"));
        assert!(!selector_implies("app=checkout-worker", "app=checkout"));
        assert!(!selector_implies("app in (checkout)", "app=checkout"));
        assert!(!selector_implies("", "app=checkout"));
        assert_eq!(guessed_selector("checkout"), "app=checkout");
    }

    #[test]
    fn label_values() {
        for ok in ["checkout", "order-api-v2", "Svc_1.v2", &"a".repeat(63)] {
            assert!(valid_label_value(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a b", "a,b", "a)b", &"a".repeat(64)] {
            assert!(!valid_label_value(bad), "{bad}");
        }
    }
}
