//! The Kubernetes edge the investigations share: connecting (or saying why not, as a skipped
//! step), telling "not found" from a failure, and a rollout history (a Deployment's,
//! StatefulSet's or DaemonSet's) as the analyses' plain evidence (unix seconds). Not here: the reads themselves (`crate::backends::kubernetes`).
//! Tests: through `tests/it/{latency,errors,rollout}.rs` (Kubernetes fixtures).

use super::StepError;
use super::ctx::unix;
use crate::analysis::latency::{self as analysis, DeploymentHistory};
use crate::backends::kubernetes::{self, Kube};
use crate::error::BackendError;
use crate::settings::Settings;

pub(crate) fn is_not_found(e: &BackendError) -> bool {
    matches!(e.kind, crate::error::ErrorKind::Status { code: 404, .. })
}

/// The run's Kubernetes connection; no kubeconfig makes the step skipped
/// ("kubernetes not configured (--kubeconfig)").
pub(crate) async fn connect_kube(settings: &Settings) -> Result<Kube, StepError> {
    settings.kube().await.map_err(StepError::from)
}

pub(crate) fn history(role: &str, h: kubernetes::RolloutHistory) -> DeploymentHistory {
    DeploymentHistory {
        kind: h.kind,
        namespace: h.deployment.namespace.clone(),
        name: h.deployment.name.clone(),
        role: role.to_string(),
        replicas: Some(h.deployment.replicas),
        containers: h
            .deployment
            .containers
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        revisions: h
            .revisions
            .iter()
            .map(|r| analysis::Revision {
                revision: r.revision,
                created: r.created.map(unix).unwrap_or(0.0),
                images: r.images.clone(),
                change_cause: r.change_cause.clone(),
                env: r.env.clone(),
            })
            .collect(),
    }
}
