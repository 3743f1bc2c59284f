//! The Kubernetes edge the investigations share: connecting (or saying why not, as a skipped
//! step), telling "not found" from a failure, and a rollout history as the analyses' plain
//! evidence (unix seconds). Not here: the reads themselves (`crate::backends::kubernetes`).
//! Tests: through `tests/it/{latency,errors,rollout}.rs` (Kubernetes fixtures).

use super::StepError;
use super::ctx::unix;
use crate::analysis::latency::{self as analysis, DeploymentHistory};
use crate::backends::kubernetes::{self, Kube, KubeMode};
use crate::error::BackendError;
use crate::settings::{Mode, Settings};

pub(crate) fn is_not_found(e: &BackendError) -> bool {
    matches!(e.kind, crate::error::ErrorKind::Status { code: 404, .. })
}

pub(crate) async fn connect_kube(settings: &Settings) -> Result<Kube, StepError> {
    if !settings.kube_available {
        return Err(StepError::Skipped(
            "kubernetes not configured (--kubeconfig)".into(),
        ));
    }
    let mode = match &settings.mode {
        Mode::Live => KubeMode::Live,
        Mode::Record(r) => KubeMode::Record(r.clone()),
        Mode::Replay(r) => KubeMode::Replay(r.clone()),
    };
    kubernetes::connect(&settings.kubernetes, mode)
        .await
        .map_err(StepError::from)
}

pub(crate) fn history(role: &str, h: kubernetes::RolloutHistory) -> DeploymentHistory {
    DeploymentHistory {
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
            })
            .collect(),
    }
}
