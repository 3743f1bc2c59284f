//! Kubernetes: the narrow, read-only view of a cluster that the runbooks need (a Deployment's
//! rollout history, a ConfigMap's last change, pods' container states, events, a pod's log tail),
//! returned as plain domain types with `jiff::Timestamp` times.
//!
//! For the runbooks it is not a general Kubernetes client: it never watches or execs, and it only
//! reads the few resources below. The write side (discovery, server-side apply, replace, delete,
//! rollout state, the Service proxy) is `apply.rs`, for `deploy`. Unlike the other backends it does not go through
//! [`crate::transport::Transport`]: it talks through kube-rs, whose tower service stack is the
//! seam ([`seam`]) where `--record` and `--replay` plug in, producing the same bundle keys as every
//! other backend. `connect.rs` builds the client and maps kube's errors, `client.rs` makes the
//! calls, `convert.rs` turns k8s-openapi objects into the domain types; this file holds those
//! types, the settings and the name check.
//!
//! API paths (all `GET`; reference: <https://kubernetes.io/docs/reference/kubernetes-api/>):
//! - `/apis/apps/v1/namespaces/{ns}/deployments/{name}`: the current revision, replicas, selector
//!   and containers' resources ([Deployment](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/)).
//! - `/apis/apps/v1/namespaces/{ns}/replicasets?labelSelector=`: one ReplicaSet per revision,
//!   which is how `kubectl rollout history` works ([ReplicaSet](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/replica-set-v1/)).
//! - `/api/v1/namespaces/{ns}/configmaps/{name}`: when a config changed, from `managedFields`; and
//!   the `data` of the few configs a runbook reads (the Collector's, the sampling policy)
//!   ([ConfigMap](https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/config-map-v1/)).
//! - `/api/v1/namespaces/{ns}/pods?labelSelector=`: restarts, OOMKilled, CrashLoopBackOff
//!   ([Pod](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/)).
//! - `/api/v1/namespaces/{ns}/events`: evictions, probe failures, back-offs
//!   ([Event](https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/)).
//! - `/api/v1/namespaces/{ns}/pods/{pod}/log`: the log tail around an incident
//!   ([read log](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod)).
//!
//! Tests: name validation below; parsing in `convert.rs`; the calls against a `tower::service_fn`
//! mock API server (`testkit.rs`) in `client.rs`; errors and config loading in `connect.rs`;
//! record/replay through the seam in `seam.rs`. Fixtures, modelled field for field on real API
//! responses, are in `testdata/`.

mod apply;
mod client;
mod connect;
mod convert;
mod rollout;
pub mod seam;
#[cfg(test)]
mod testkit;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

pub use apply::{
    FIELD_MANAGER, ObjectRef, PatchKind, Served, safe_name, split_api_version, valid_label_selector,
};
pub use client::Kube;
pub use connect::connect;
pub use rollout::{RolloutState, Workload, rollout_state};

use crate::transport::bundle::{Recorder, Replayer};

/// How [`connect`] reaches the cluster.
#[derive(Clone)]
pub enum KubeMode {
    /// kube-rs as usual: kubeconfig (or in-cluster) credentials, TLS, retries.
    Live,
    /// Live, and every exchange written to the bundle (without credentials).
    Record(Arc<Recorder>),
    /// Answers from the bundle only; no kubeconfig is read and nothing is dialled.
    Replay(Arc<Replayer>),
}

#[derive(Debug, Clone)]
pub struct KubeSettings {
    /// `None`: `$KUBECONFIG`, then `~/.kube/config`, then the in-cluster service account.
    pub kubeconfig: Option<PathBuf>,
    /// `None`: the kubeconfig's current context.
    pub context: Option<String>,
    /// `None`: the context's namespace (or the service account's, or `default`).
    pub namespace: Option<String>,
    /// For each call, connecting included.
    pub timeout: Duration,
    /// The context's `kubernetes.max_body_bytes`; `None`: the other backends' default.
    pub max_body_bytes: Option<u64>,
}

impl KubeSettings {
    /// The cap on each response body (pod logs have their own, smaller limit): the context's
    /// `kubernetes.max_body_bytes`, else the other backends' default, 64 MiB.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
            .unwrap_or(crate::transport::live::ClientOptions::default().max_body_bytes)
    }
}

impl Default for KubeSettings {
    fn default() -> Self {
        KubeSettings {
            kubeconfig: None,
            context: None,
            namespace: None,
            timeout: Duration::from_secs(30),
            max_body_bytes: None,
        }
    }
}

/// A Deployment and its revisions, oldest first: what `kubectl rollout history` shows, plus
/// when each revision was created, so a rollout can be lined up with a latency change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RolloutHistory {
    pub deployment: DeploymentInfo,
    pub revisions: Vec<Revision>,
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
}

/// Quantities as the API spells them (`100m`, `200Mi`): comparing them is the caller's business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Resources {
    pub requests: BTreeMap<String, String>,
    pub limits: BTreeMap<String, String>,
}

/// One ReplicaSet of a Deployment: one revision of its pod template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub revision: u64,
    pub replica_set: String,
    pub created: Option<Timestamp>,
    pub images: Vec<String>,
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
    fn the_body_cap_is_the_contexts_else_the_default() {
        assert_eq!(KubeSettings::default().max_body_bytes(), 64 * 1024 * 1024);
        let s = KubeSettings {
            max_body_bytes: Some(1024),
            ..KubeSettings::default()
        };
        assert_eq!(s.max_body_bytes(), 1024);
    }

    #[test]
    fn names_follow_dns_1123() {
        for ok in [
            "checkout",
            "checkout-v2",
            "a",
            "guestbook-ui-6f7c7fc4b6",
            "hello-1567197780-mn4mv.15bfce150bd764dd",
        ] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in [
            "",
            "Checkout",
            "-a",
            "a-",
            "a/b",
            "..",
            "a..b",
            "a?b=c",
            "a b",
            "ä",
            &"a".repeat(254),
        ] {
            assert!(!valid_name(bad), "{bad:?}");
        }
        assert!(valid_label(&"a".repeat(63)));
        assert!(!valid_label(&"a".repeat(64)));
        assert!(!valid_label("kube.system"));
    }
}
