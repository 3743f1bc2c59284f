//! Kubernetes: the narrow, read-only view of a cluster that the runbooks need (a workload's
//! rollout history, a ConfigMap's last change, pods' container states, events, a pod's log tail),
//! returned as plain domain types with `jiff::Timestamp` times.
//!
//! For the runbooks it is not a general Kubernetes client: it never watches or execs, and it only
//! reads the few resources below. The write side (discovery, server-side apply, replace, delete,
//! rollout state, the Service proxy) is `apply.rs`, for `deploy`. Unlike the other backends it does not go through
//! [`crate::transport::Transport`]: it talks through kube-rs, whose tower service stack is the
//! seam ([`seam`]) where `--record` and `--replay` plug in, producing the same bundle keys as every
//! other backend. `connect.rs` builds the client and maps kube's errors, `client.rs` makes the
//! calls (`history.rs` a StatefulSet's or DaemonSet's history), `convert.rs` turns k8s-openapi objects into the domain types; this file holds those
//! types, the settings and the name check.
//!
//! API paths (all `GET`; reference: <https://kubernetes.io/docs/reference/kubernetes-api/>):
//! - `/apis/apps/v1/namespaces/{ns}/deployments/{name}`: the current revision, replicas, selector
//!   and containers' resources ([Deployment](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/)).
//! - `/apis/apps/v1/namespaces/{ns}/replicasets?labelSelector=`: one ReplicaSet per revision,
//!   which is how `kubectl rollout history` works ([ReplicaSet](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/replica-set-v1/)).
//! - `/apis/apps/v1/namespaces/{ns}/{statefulsets,daemonsets}/{name}` and
//!   `.../controllerrevisions?labelSelector=`: a StatefulSet's or DaemonSet's history, one
//!   ControllerRevision per revision (`history.rs`)
//!   ([ControllerRevision](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/controller-revision-v1/)).
//! - `/api/v1/namespaces/{ns}/configmaps/{name}`: when a config changed, from `managedFields`; and
//!   the `data` of the few configs a runbook reads (the Collector's, the sampling policy)
//!   ([ConfigMap](https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/config-map-v1/)).
//! - `/apis/apps/v1/namespaces/{ns}/{deployments,statefulsets,daemonsets}`: one list per kind,
//!   for mapping telemetry's `service.name` to the workload that runs it (issue #17).
//! - `/api/v1/namespaces/{ns}/pods?labelSelector=`: restarts, OOMKilled, CrashLoopBackOff
//!   ([Pod](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/)).
//! - `/api/v1/services?labelSelector=` and `/api/v1/namespaces/{ns}/services`: where the tracing
//!   stack runs and on which ports (discovery, issue #17)
//!   ([Service](https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/)).
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
mod history;
mod proxy;
mod rollout;
pub mod seam;
#[cfg(test)]
mod testkit;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use apply::{
    FIELD_MANAGER, ObjectRef, PatchKind, Served, safe_name, split_api_version, valid_label_selector,
};
pub use client::Kube;
pub use connect::connect;
pub use proxy::ServiceProxy;
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

pub use crate::model::cluster::{
    ConfigMapInfo, ContainerInfo, ContainerSpec, ContainerState, DeploymentInfo, EventFilter,
    EventInfo, PodInfo, Resources, Revision, RolloutHistory, ServiceInfo, Terminated, WorkloadInfo,
    WorkloadKind, valid_label, valid_name,
};

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
