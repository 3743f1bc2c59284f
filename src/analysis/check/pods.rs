//! The tracing pods' readiness: Jaeger, the OpenTelemetry Collector and Jaeger's storage, in the
//! namespace the run looks at, grouped by the workload that owns them (read from the pod name:
//! `NAME-<template hash>-<suffix>` is a Deployment's, `NAME-<ordinal>` a StatefulSet's,
//! `NAME-<suffix>` a DaemonSet's).
//!
//! Pure: pods in, [`Outcome`] out. A workload with no ready pod is `component_down`; one with some
//! is `component_degraded`. Completed pods (`Succeeded`) are not judged. Tests: below.

use std::collections::BTreeMap;

use crate::model::cluster::{ContainerState, PodInfo};
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

use super::components::{DEGRADED, DOWN};
use super::{Outcome, Workload};

/// Name prefixes of the tracing stack's pods.
pub const PREFIXES: &[&str] = &[
    "jaeger",
    "otel",
    "opentelemetry",
    "tempo",
    "zipkin",
    "elasticsearch",
    "opensearch",
];

pub fn is_tracing_pod(name: &str) -> bool {
    PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The alphabet Kubernetes uses for pod-template hashes and generated suffixes.
fn generated(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len())
        && s.bytes()
            .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b))
}

/// The kind and name of the workload that owns a pod, from its name.
pub fn owner(pod: &str) -> (&'static str, String) {
    let parts: Vec<&str> = pod.split('-').collect();
    let n = parts.len();
    if n >= 3 && generated(parts[n - 1], 5..=5) && generated(parts[n - 2], 5..=10) {
        return ("deployment", parts[..n - 2].join("-"));
    }
    if n >= 2 && parts[n - 1].bytes().all(|b| b.is_ascii_digit()) && !parts[n - 1].is_empty() {
        return ("statefulset", parts[..n - 1].join("-"));
    }
    if n >= 2 && generated(parts[n - 1], 5..=5) {
        return ("daemonset", parts[..n - 1].join("-"));
    }
    ("pod", pod.to_string())
}

fn ready(p: &PodInfo) -> bool {
    p.phase.as_deref() == Some("Running")
        && !p.containers.is_empty()
        && p.containers.iter().all(|c| c.ready)
}

/// Why a pod is not ready, in a few words: `collector: CrashLoopBackOff (restarts 7)`.
fn why(p: &PodInfo) -> String {
    let mut parts: Vec<String> = p
        .containers
        .iter()
        .filter(|c| !c.ready)
        .map(|c| {
            let state = match &c.state {
                ContainerState::Waiting { reason, .. } => {
                    reason.clone().unwrap_or_else(|| "waiting".into())
                }
                ContainerState::Terminated(t) => t
                    .reason
                    .clone()
                    .unwrap_or_else(|| format!("exited {}", t.exit_code)),
                ContainerState::Running { .. } => "running, not ready".into(),
                ContainerState::Unknown => "no status".into(),
            };
            if c.restart_count > 0 {
                format!("{}: {state} (restarts {})", c.name, c.restart_count)
            } else {
                format!("{}: {state}", c.name)
            }
        })
        .collect();
    if parts.is_empty() {
        parts.push(format!("phase {}", p.phase.as_deref().unwrap_or("unknown")));
    }
    parts.join(", ")
}

pub fn tracing_pods(pods: &[PodInfo], namespace: &str, at: &str) -> Outcome {
    let mut by_owner: BTreeMap<(&'static str, String), Vec<&PodInfo>> = BTreeMap::new();
    for p in pods
        .iter()
        .filter(|p| is_tracing_pod(&p.name) && p.phase.as_deref() != Some("Succeeded"))
    {
        by_owner.entry(owner(&p.name)).or_default().push(p);
    }
    if by_owner.is_empty() {
        return Outcome::warning(
            Vec::new(),
            format!(
                "no tracing pod ({}*) in namespace {namespace}: pass -n with the tracing stack's namespace",
                PREFIXES.join("*, ")
            ),
        );
    }
    let mut findings = Vec::new();
    for ((kind, name), pods) in by_owner {
        let not_ready: Vec<&&PodInfo> = pods.iter().filter(|p| !ready(p)).collect();
        if not_ready.is_empty() {
            continue;
        }
        let n_ready = pods.len() - not_ready.len();
        let (kind_of, sev, score) = if n_ready == 0 {
            (DOWN, Severity::Critical, 0.9)
        } else {
            (DEGRADED, Severity::Warning, 0.6)
        };
        let first = not_ready[0];
        let w = Workload {
            kind: if kind == "pod" { "pod" } else { kind },
            name: name.clone(),
            namespace: Some(namespace.to_string()),
        };
        let pod = [("pod", first.name.as_str()), ("namespace", namespace)];
        let detail: Vec<String> = not_ready
            .iter()
            .map(|p| format!("{}: {}", p.name, why(p)))
            .collect();
        let mut f = Finding::new(
            kind_of,
            sev,
            score,
            Subject::default()
                .with_resource(&format!("{}/{name}", w.kind))
                .with_pod(&first.name),
            format!("{name}: {n_ready}/{} pods ready", pods.len()),
        )
        .detail(format!("Not ready: {}.", detail.join("; ")))
        .evidence(Evidence {
            source: "kubernetes".into(),
            query: Some(format!("kubectl -n {namespace} get pods")),
            value: Some(format!("{n_ready}/{} ready", pods.len())),
            at: Some(at.to_string()),
            link: None,
            via: None,
        })
        .remediation(remedy(kind_of, "pod-events", &pod));
        if first.containers.iter().any(|c| c.restart_count > 0) {
            f = f.remediation(remedy(kind_of, "pod-previous-log", &pod));
        }
        if kind != "pod" {
            f = f.remediation(w.remedy(kind_of, "restart-workload", &[]));
        }
        findings.push(f);
    }
    Outcome::ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::{ContainerInfo, Resources};

    fn pod(name: &str, phase: &str, ready: bool, state: ContainerState, restarts: i32) -> PodInfo {
        PodInfo {
            name: name.into(),
            phase: Some(phase.into()),
            node: None,
            started: None,
            containers: vec![ContainerInfo {
                name: "main".into(),
                image: "img".into(),
                ready,
                restart_count: restarts,
                state,
                last_terminated: None,
                resources: Resources::default(),
            }],
        }
    }

    fn running() -> ContainerState {
        ContainerState::Running { started_at: None }
    }

    #[test]
    fn owners_from_pod_names() {
        assert_eq!(
            owner("jaeger-query-7d9f8b6c5d-x2x4z"),
            ("deployment", "jaeger-query".into())
        );
        assert_eq!(
            owner("elasticsearch-master-0"),
            ("statefulset", "elasticsearch-master".into())
        );
        assert_eq!(
            owner("otel-agent-7wq2k"),
            ("daemonset", "otel-agent".into())
        );
        assert_eq!(owner("jaeger"), ("pod", "jaeger".into()));
    }

    #[test]
    fn readiness_by_workload() {
        let crash = ContainerState::Waiting {
            reason: Some("CrashLoopBackOff".into()),
            message: None,
        };
        let pods = vec![
            pod(
                "jaeger-query-7d9f8b6c5d-x2x4z",
                "Running",
                false,
                crash.clone(),
                7,
            ),
            pod("jaeger-query-7d9f8b6c5d-q9w8z", "Running", false, crash, 5),
            pod(
                "otel-collector-5c7d9b8f6d-bkc2d",
                "Running",
                true,
                running(),
                0,
            ),
            pod(
                "otel-collector-5c7d9b8f6d-xwz2w",
                "Pending",
                false,
                ContainerState::Unknown,
                0,
            ),
            pod("checkout-5c7d9b8f6d-bkc2d", "Running", false, running(), 0),
            pod(
                "jaeger-es-index-cleaner-2xz4k",
                "Succeeded",
                false,
                running(),
                0,
            ),
        ];
        let o = tracing_pods(&pods, "monitoring", "t");
        assert_eq!(o.findings.len(), 2, "{:#?}", o.findings);
        let q = o
            .findings
            .iter()
            .find(|f| f.title.starts_with("jaeger-query"))
            .unwrap();
        assert_eq!(q.kind, "component_down");
        assert_eq!(q.title, "jaeger-query: 0/2 pods ready");
        assert!(q.detail.contains("CrashLoopBackOff (restarts 7)"));
        let cmds: Vec<_> = q
            .remediation
            .iter()
            .filter_map(|r| r.command.clone())
            .collect();
        assert!(
            cmds.contains(
                &"kubectl -n monitoring logs jaeger-query-7d9f8b6c5d-x2x4z --previous --tail=100"
                    .to_string()
            )
        );
        assert!(cmds.contains(
            &"kubectl -n monitoring rollout restart deployment/jaeger-query".to_string()
        ));
        let c = o
            .findings
            .iter()
            .find(|f| f.title.starts_with("otel-collector"))
            .unwrap();
        assert_eq!(c.kind, "component_degraded");
        assert_eq!(
            c.subject.resource.as_deref(),
            Some("deployment/otel-collector")
        );

        let none = tracing_pods(
            &[pod("checkout-1", "Running", true, running(), 0)],
            "shop",
            "t",
        );
        assert!(matches!(none.status, super::super::Status::Warning(ref w) if w.contains("shop")));
    }
}
