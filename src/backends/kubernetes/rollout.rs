//! Rollout state of Deployments, StatefulSets and DaemonSets as `kubectl rollout status` judges
//! it ([`rollout_state`]), from their spec and status counters: a pure function, so `deploy`'s
//! wait (step 7) and its tests agree on "rolled out". Listing the workloads is
//! [`super::Kube::workloads`] (`apply.rs`). Tests: below.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use serde::Serialize;

/// One Deployment, StatefulSet or DaemonSet and how far its rollout is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub kind: String,
    pub name: String,
    /// Replicas wanted (for a DaemonSet: nodes it should run on).
    pub desired: i32,
    /// Replicas on the current template and available.
    pub ready: i32,
    pub state: RolloutState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum RolloutState {
    Done,
    /// Still rolling out, and why (`2 of 3 updated replicas are available`).
    Progressing(String),
    /// It will not finish by waiting (`ProgressDeadlineExceeded`).
    Failed(String),
}

/// Counters of a workload's spec and status, whatever its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub generation: i64,
    pub observed_generation: i64,
    pub desired: i32,
    /// Pods (or scheduled nodes) on the current template.
    pub updated: i32,
    /// All pods, old template included (Deployments only: old ones still terminating).
    pub total: Option<i32>,
    pub available: i32,
    /// StatefulSet: `currentRevision != updateRevision` while it rolls.
    pub revision_pending: bool,
    /// Deployment: the `Progressing` condition's reason was `ProgressDeadlineExceeded`.
    pub deadline_exceeded: bool,
}

/// `kubectl rollout status`, as a pure function of the counters.
pub fn rollout_state(c: &Counters) -> RolloutState {
    if c.observed_generation < c.generation {
        return RolloutState::Progressing("waiting for the controller to see the new spec".into());
    }
    if c.deadline_exceeded {
        return RolloutState::Failed("progress deadline exceeded".into());
    }
    if c.updated < c.desired {
        return RolloutState::Progressing(format!(
            "{} of {} replicas updated",
            c.updated, c.desired
        ));
    }
    if let Some(total) = c.total
        && total > c.updated
    {
        return RolloutState::Progressing(format!(
            "{} old replicas are pending termination",
            total - c.updated
        ));
    }
    if c.available < c.desired {
        return RolloutState::Progressing(format!(
            "{} of {} updated replicas are available",
            c.available, c.desired
        ));
    }
    if c.revision_pending {
        return RolloutState::Progressing("the new revision is not current yet".into());
    }
    RolloutState::Done
}

pub(super) fn deployment_counters(d: &Deployment) -> Counters {
    let spec_replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let st = d.status.clone().unwrap_or_default();
    Counters {
        generation: d.metadata.generation.unwrap_or(0),
        observed_generation: st.observed_generation.unwrap_or(0),
        desired: spec_replicas,
        updated: st.updated_replicas.unwrap_or(0),
        total: Some(st.replicas.unwrap_or(0)),
        available: st.available_replicas.unwrap_or(0),
        revision_pending: false,
        deadline_exceeded: st.conditions.unwrap_or_default().iter().any(|c| {
            c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
        }),
    }
}

pub(super) fn statefulset_counters(s: &StatefulSet) -> Counters {
    let spec_replicas = s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let st = s.status.clone().unwrap_or_default();
    Counters {
        generation: s.metadata.generation.unwrap_or(0),
        observed_generation: st.observed_generation.unwrap_or(0),
        desired: spec_replicas,
        updated: st
            .updated_replicas
            .unwrap_or(st.current_replicas.unwrap_or(0)),
        total: None,
        available: st.ready_replicas.unwrap_or(0),
        revision_pending: matches!((&st.current_revision, &st.update_revision), (Some(c), Some(u)) if c != u),
        deadline_exceeded: false,
    }
}

pub(super) fn daemonset_counters(d: &DaemonSet) -> Counters {
    let st = d.status.clone().unwrap_or_default();
    Counters {
        generation: d.metadata.generation.unwrap_or(0),
        observed_generation: st.observed_generation.unwrap_or(0),
        desired: st.desired_number_scheduled,
        updated: st.updated_number_scheduled.unwrap_or(0),
        total: None,
        available: st.number_available.unwrap_or(0),
        revision_pending: false,
        deadline_exceeded: false,
    }
}

pub(super) fn workload(kind: &str, name: Option<&String>, c: &Counters) -> Workload {
    Workload {
        kind: kind.into(),
        name: name.cloned().unwrap_or_default(),
        desired: c.desired,
        ready: c.available.min(c.updated),
        state: rollout_state(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollout_state_is_kubectls() {
        let done = Counters {
            generation: 2,
            observed_generation: 2,
            desired: 3,
            updated: 3,
            total: Some(3),
            available: 3,
            ..Default::default()
        };
        assert_eq!(rollout_state(&done), RolloutState::Done);
        let cases = [
            (
                Counters {
                    observed_generation: 1,
                    ..done.clone()
                },
                "waiting for the controller to see the new spec",
            ),
            (
                Counters {
                    updated: 1,
                    ..done.clone()
                },
                "1 of 3 replicas updated",
            ),
            (
                Counters {
                    total: Some(4),
                    ..done.clone()
                },
                "1 old replicas are pending termination",
            ),
            (
                Counters {
                    available: 2,
                    ..done.clone()
                },
                "2 of 3 updated replicas are available",
            ),
            (
                Counters {
                    revision_pending: true,
                    total: None,
                    ..done.clone()
                },
                "the new revision is not current yet",
            ),
        ];
        for (c, why) in cases {
            assert_eq!(rollout_state(&c), RolloutState::Progressing(why.into()));
        }
        assert!(matches!(
            rollout_state(&Counters {
                deadline_exceeded: true,
                ..done
            }),
            RolloutState::Failed(_)
        ));
    }

    #[test]
    fn counters_from_real_status_shapes() {
        let d: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "jaeger", "generation": 4},
            "spec": {"replicas": 2, "selector": {}, "template": {}},
            "status": {"observedGeneration": 4, "replicas": 2, "updatedReplicas": 2,
                       "availableReplicas": 2, "readyReplicas": 2}
        }))
        .unwrap();
        assert_eq!(rollout_state(&deployment_counters(&d)), RolloutState::Done);
        let ds: DaemonSet = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "otel-agent", "generation": 1},
            "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "currentNumberScheduled": 3,
                       "numberMisscheduled": 0, "numberReady": 2, "updatedNumberScheduled": 3, "numberAvailable": 2}
        }))
        .unwrap();
        assert_eq!(
            rollout_state(&daemonset_counters(&ds)),
            RolloutState::Progressing("2 of 3 updated replicas are available".into())
        );
    }
}
