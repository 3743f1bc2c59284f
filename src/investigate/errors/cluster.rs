//! The error runbook's Kubernetes steps: the pods' logs (bounded), their health (container
//! states and events), and the changes (the service's rollouts and ConfigMap, and the rollouts of
//! the dependency at fault). The pods come from the Deployment's selector, read once by the
//! command. Conversions from the backend's types into the plain evidence of
//! [`crate::analysis::errors`] (unix seconds) happen here, at the edge. Tests:
//! `tests/it/errors.rs` (against a Kubernetes fixture with pods, events and logs).

use std::collections::BTreeSet;
use std::time::Duration;

use futures::StreamExt;

use super::super::StepError;
use crate::analysis::errors::{
    ChangeEvidence, ContainerHealth, DeploymentHistory, LogEvidence, PodEvent, PodHealth,
    PodHealthEvidence, RatioList, Relation, TraceErrors,
};
use crate::analysis::logs;
use crate::analysis::workload::Mapping;
use crate::backends::kubernetes::{
    ContainerState, EventFilter, EventInfo, Kube, PodInfo, RolloutHistory, WorkloadInfo,
    WorkloadKind,
};
use crate::error::BackendError;
use crate::investigate::ctx::{unix, warn};
use crate::investigate::kube::history;

/// Pods whose logs are read at the same time.
const LOG_CONCURRENCY: usize = 4;
/// Log templates kept (the "top 10").
const LOG_TEMPLATES: usize = 10;

/// How many bytes and lines of log to read.
#[derive(Debug, Clone, Copy)]
pub(super) struct LogBudget {
    pub tail_lines: i64,
    pub pod_bytes: i64,
    pub total_bytes: i64,
}

/// Step 5: the logs of the service's pods within the budget: the most restarted pods first (where
/// the errors are likeliest), as many as `total_bytes / pod_bytes`, [`LOG_CONCURRENCY`] at a
/// time. A pod whose log cannot be read is a warning; all of them, a failure.
pub(super) async fn read_logs(
    kube: &Kube,
    ns: &str,
    svc: &str,
    (selector, pods): &(String, Vec<PodInfo>),
    lookback: Duration,
    budget: LogBudget,
) -> Result<(LogEvidence, Option<String>), StepError> {
    let restarts = |p: &PodInfo| p.containers.iter().map(|c| c.restart_count).sum::<i32>();
    let mut order: Vec<&PodInfo> = pods.iter().collect();
    order.sort_by(|a, b| {
        restarts(b)
            .cmp(&restarts(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    let fit = (budget.total_bytes / budget.pod_bytes).max(1) as usize;
    let chosen: Vec<(String, Option<String>)> = order
        .iter()
        .take(fit)
        .map(|p| {
            // The service's own container, not a sidecar; else the pod's first.
            let container = p
                .containers
                .iter()
                .find(|c| c.name == svc)
                .or_else(|| p.containers.first())
                .map(|c| c.name.clone());
            (p.name.clone(), container)
        })
        .collect();
    let mut read: Vec<(String, Result<String, BackendError>)> =
        futures::stream::iter(chosen.iter().cloned())
            .map(|(pod, container)| async move {
                let text = kube
                    .pod_logs(
                        ns,
                        &pod,
                        container.as_deref(),
                        lookback,
                        Some(budget.tail_lines),
                        budget.pod_bytes,
                    )
                    .await;
                (pod, text)
            })
            .buffer_unordered(LOG_CONCURRENCY)
            .collect()
            .await;
    // Finishing order varies; the report must not.
    read.sort_by(|a, b| a.0.cmp(&b.0));
    let mut texts = Vec::new();
    let mut warnings = Vec::new();
    let mut first_error = None;
    for (pod, r) in read {
        match r {
            Ok(t) => texts.push((pod, t)),
            Err(e) => {
                warnings.push(format!("logs of {pod}: {}", e.one_line()));
                first_error.get_or_insert(e);
            }
        }
    }
    if texts.is_empty()
        && let Some(e) = first_error
    {
        return Err(StepError::from(e));
    }
    if pods.len() > chosen.len() {
        warnings.push(format!(
            "read the logs of {} of {} pods (the {} byte budget)",
            chosen.len(),
            pods.len(),
            budget.total_bytes
        ));
    }
    let summary = logs::summarize(&texts, LOG_TEMPLATES);
    Ok((
        LogEvidence {
            query: format!(
                "GET /api/v1/namespaces/{ns}/pods/{{pod}}/log?sinceSeconds={}&tailLines={}&limitBytes={}&timestamps=true (pods: {selector})",
                lookback.as_secs(),
                budget.tail_lines,
                budget.pod_bytes
            ),
            selector: selector.clone(),
            pods_total: pods.len(),
            summary,
        },
        warn(warnings),
    ))
}

/// The events step 7 reads: those of objects named after the service (its Deployment is read by
/// that name), asked at the same time as the pods and the Deployment rather than after them.
pub(super) async fn service_events(
    kube: &Kube,
    ns: &str,
    svc: &str,
) -> Result<Vec<EventInfo>, BackendError> {
    kube.events(ns, &EventFilter::NamePrefix(svc.to_string()))
        .await
}

/// Step 7: the pods' container states, and the events of the service's pods: those listed, and
/// those of its ReplicaSets that are gone (evicted, or replaced since). The events are those
/// [`service_events`] listed by the service's name as prefix, which alone would also match
/// `checkout-worker`'s.
pub(super) fn pod_health(
    events: Vec<EventInfo>,
    (selector, pods): &(String, Vec<PodInfo>),
    deployment: Option<&RolloutHistory>,
) -> Result<(PodHealthEvidence, Option<String>), StepError> {
    // A Deployment's pods are named after their ReplicaSet; a StatefulSet's or DaemonSet's are
    // not named after a ControllerRevision.
    let replica_sets: Vec<String> = deployment
        .iter()
        .filter(|h| h.kind == WorkloadKind::Deployment)
        .flat_map(|h| h.revisions.iter().map(|r| format!("{}-", r.replica_set)))
        .collect();
    let names: BTreeSet<&str> = pods.iter().map(|p| p.name.as_str()).collect();
    let events = events
        .into_iter()
        .filter(|e| e.object_kind.as_deref() == Some("Pod"))
        .filter_map(|e| {
            let object = e.object_name.clone()?;
            let ours = names.contains(object.as_str())
                || replica_sets
                    .iter()
                    .any(|rs| object.starts_with(rs.as_str()));
            ours.then(|| PodEvent {
                object,
                reason: e.reason.clone().unwrap_or_default(),
                message: e.message.clone().unwrap_or_default(),
                count: e.count,
                last_seen: e.last_seen.map(unix).unwrap_or(0.0),
            })
        })
        .collect();
    Ok((
        PodHealthEvidence {
            selector: selector.clone(),
            pods: pods.iter().map(health_of).collect(),
            events,
        },
        None,
    ))
}

/// A pod's containers as the pod-health analysis reads them.
fn health_of(p: &PodInfo) -> PodHealth {
    PodHealth {
        name: p.name.clone(),
        containers: p
            .containers
            .iter()
            .map(|c| ContainerHealth {
                name: c.name.clone(),
                restarts: c.restart_count,
                waiting_reason: match &c.state {
                    ContainerState::Waiting { reason, .. } => reason.clone(),
                    _ => None,
                },
                last_reason: c.last_terminated.as_ref().and_then(|t| t.reason.clone()),
                last_exit_code: c.last_terminated.as_ref().map(|t| t.exit_code),
                last_finished: c
                    .last_terminated
                    .as_ref()
                    .and_then(|t| t.finished_at)
                    .map(unix),
                memory_limit: c.resources.limits.get("memory").cloned(),
            })
            .collect(),
    }
}

/// Step 8 for the service: its workload's rollouts (already read) and the last change of its
/// ConfigMaps (`NAME-config` and `NAME` after the workload's name, and those it mounts), read
/// at once.
pub(super) async fn service_changes(
    kube: &Kube,
    svc: &str,
    workload: &WorkloadInfo,
    deployment: Option<RolloutHistory>,
) -> Result<ChangeEvidence, StepError> {
    let mut out = ChangeEvidence::default();
    if let Some(h) = deployment {
        out.deployments.push(history(svc, h));
    }
    let ns = &workload.namespace;
    let names = workload.config_map_names();
    let found = futures::future::join_all(names.iter().map(|cm| kube.config_map(ns, cm))).await;
    for info in found {
        if let Some(info) = info?
            && let Some(t) = info.last_changed
        {
            out.config_maps.push((info.name.clone(), unix(t)));
        }
    }
    Ok(out)
}

/// The dependency at fault: the first failing over `ratio` by the metrics, else the first where
/// the error traces' errors start.
pub(super) fn dependency_at_fault(
    deps: Option<&RatioList>,
    traces: Option<&TraceErrors>,
    ratio: f64,
) -> Option<String> {
    let by_metrics = deps.and_then(|d| {
        d.items
            .iter()
            .find(|(name, r)| !name.is_empty() && *r >= ratio)
            .map(|x| x.0.clone())
    });
    by_metrics.or_else(|| {
        traces.and_then(|t| {
            t.origins
                .iter()
                .find(|o| o.relation == Relation::Downstream)
                .map(|o| o.service.clone())
        })
    })
}

/// Step 8 for the dependency at fault (with the workload it maps to): its rollouts, whatever
/// its kind. Best effort: the service's own changes do not wait on, or fail with, the
/// dependency's.
pub(super) async fn dependency_changes(
    kube: &Kube,
    dep: Option<(String, Mapping)>,
) -> Vec<DeploymentHistory> {
    let Some((dep, m)) = dep else {
        return Vec::new();
    };
    let w = &m.workload;
    match kube.workload_history(&w.namespace, w.kind, &w.name).await {
        Ok(h) => vec![history(&dep, h)],
        Err(_) => Vec::new(),
    }
}
