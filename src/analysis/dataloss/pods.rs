//! The Collector's and Jaeger's pods: restarts, CrashLoopBackOff and OOM kills in the lookback
//! (`collector_restarts`; `storage_unhealthy` for Jaeger's, which writes to storage), no ready
//! Jaeger pod, and their memory and CPU throttling through the shared resource checks. The
//! Collector without a ready pod is `collector_unreachable`, in `reach.rs`. Pure; tests in
//! `tests.rs`.

use super::reach::{pod_state, probe_evidence, ready};
use super::{DataLossEvidence, DataLossParams, PodEvidence};
use crate::analysis::common::{Situation, fmt_time, hhmm};
use crate::analysis::resources::{ResourceEvidence, resource_findings};
use crate::model::cluster::ContainerState;
use crate::report::units;
use crate::report::{Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

/// `512Mi`, `1Gi`, `500M`, `1073741824` → bytes.
pub(super) fn parse_quantity(q: &str) -> Option<f64> {
    let q = q.trim();
    let units: [(&str, f64); 8] = [
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
    ];
    for (suffix, factor) in units {
        if let Some(n) = q.strip_suffix(suffix) {
            return n.parse::<f64>().ok().map(|v| v * factor);
        }
    }
    q.parse::<f64>().ok()
}

/// Bytes as a Kubernetes quantity, rounded up to 64Mi (`1Gi` when a whole number of GiB).
pub(super) fn format_quantity(bytes: f64) -> String {
    let mib = ((bytes / 1048576.0) / 64.0).ceil() * 64.0;
    if mib >= 1024.0 && (mib % 1024.0) == 0.0 {
        format!("{:.0}Gi", mib / 1024.0)
    } else {
        format!("{mib:.0}Mi")
    }
}

pub(super) fn pods(ev: &DataLossEvidence, pods: &PodEvidence, p: &DataLossParams) -> Vec<Finding> {
    let mut out = Vec::new();
    let since = ev.now - ev.lookback;
    // Raw: the remediation templates quote it.
    let ns = ev.collector_namespace.as_str();
    for (role, list, jaeger) in [
        (ev.collector.as_str(), pods.collector_pods.as_ref(), false),
        (ev.jaeger.as_str(), pods.jaeger_pods.as_ref(), true),
    ] {
        let Some(list) = list else { continue };
        if jaeger && !list.is_empty() && list.iter().all(|p| !ready(p)) {
            out.push(
                Finding::new(
                    "storage_unhealthy",
                    Severity::Critical,
                    0.88,
                    Subject::default()
                        .with_dependency(role)
                        .with_resource("storage"),
                    format!("no {role} pod is ready ({} pods)", list.len()),
                )
                .detail("Jaeger's collector or ingester is down: nothing writes spans to storage.")
                .evidence(probe_evidence(
                    "kubernetes",
                    &format!("pods -n {} -l app={role}", ev.collector_namespace),
                    &list
                        .iter()
                        .take(3)
                        .map(|p| format!("{}: {}", p.name, pod_state(p)))
                        .collect::<Vec<_>>()
                        .join(" | "),
                ))
                .remediation(remedy(
                    "storage_unhealthy",
                    "not-ready",
                    &[("role", role), ("namespace", ns)],
                )),
            );
        }
        for pod in list {
            for c in &pod.containers {
                let looping = matches!(&c.state,
                    ContainerState::Waiting { reason: Some(r), .. } if r == "CrashLoopBackOff");
                let last = c.last_terminated.as_ref().filter(|t| {
                    t.finished_at
                        .is_some_and(|f| f.as_millisecond() as f64 / 1000.0 >= since)
                });
                if !looping && last.is_none() {
                    continue;
                }
                let oom = last.is_some_and(|t| t.reason.as_deref() == Some("OOMKilled"));
                let limit = c.resources.limits.get("memory").cloned();
                let when = last
                    .and_then(|t| t.finished_at)
                    .map(|t| t.as_millisecond() as f64 / 1000.0);
                let title = match (looping, oom, when) {
                    (true, _, _) => format!(
                        "{} is in CrashLoopBackOff ({} restarts{})",
                        pod.name,
                        c.restart_count,
                        last.and_then(|t| t.reason.clone())
                            .map(|r| format!(", last exit {r}"))
                            .unwrap_or_default()
                    ),
                    (false, true, Some(t)) => format!(
                        "{} was OOMKilled at {}{}",
                        pod.name,
                        hhmm(t),
                        limit
                            .as_ref()
                            .map(|l| format!(" (memory limit {l})"))
                            .unwrap_or_default()
                    ),
                    _ => format!(
                        "{} restarted at {} ({}, exit {})",
                        pod.name,
                        when.map(hhmm).unwrap_or_default(),
                        last.and_then(|t| t.reason.clone())
                            .unwrap_or_else(|| "unknown reason".into()),
                        last.map_or(0, |t| t.exit_code)
                    ),
                };
                let (kind, severity, score) = match (jaeger, looping, oom) {
                    (false, true, _) => ("collector_restarts", Severity::Critical, 0.85),
                    (false, false, true) => ("collector_restarts", Severity::Critical, 0.8),
                    (false, false, false) => ("collector_restarts", Severity::Warning, 0.6),
                    (true, true, _) => ("storage_unhealthy", Severity::Critical, 0.85),
                    (true, false, true) => ("storage_unhealthy", Severity::Warning, 0.6),
                    (true, false, false) => ("storage_unhealthy", Severity::Warning, 0.5),
                };
                let mut subject = Subject::default().with_pod(&pod.name);
                if jaeger {
                    subject = subject.with_dependency(role);
                }
                if oom {
                    subject = subject.with_resource("memory");
                }
                let mut f = Finding::new(kind, severity, score, subject, title)
                    .detail(if jaeger {
                        "While Jaeger's collector is down, its clients' writes fail: spans are lost \
                         once their retries end."
                    } else {
                        "A restart loses what the Collector held in memory (batches, sending \
                         queues, tail-sampling buffers) and refuses connections meanwhile."
                    })
                    .evidence(probe_evidence(
                        "kubernetes",
                        &format!("pods -n {} -l app={role}", ev.collector_namespace),
                        &format!(
                            "{} {}: restarts {}, last terminated {} (exit {}) at {}",
                            pod.name,
                            c.name,
                            c.restart_count,
                            last.and_then(|t| t.reason.clone()).unwrap_or_default(),
                            last.map_or(0, |t| t.exit_code),
                            when.map(fmt_time).unwrap_or_default()
                        ),
                    ));
                if oom && !jaeger {
                    let old = limit.as_deref().and_then(parse_quantity);
                    let new = format_quantity(old.map_or(1073741824.0, |b| b * 2.0));
                    f = f
                        .remediation(remedy(
                            kind,
                            "double-limit",
                            &[
                                ("role", role),
                                ("container", &c.name),
                                ("namespace", ns),
                                ("limit", &new),
                                (
                                    "from",
                                    &limit
                                        .as_ref()
                                        .map(|l| format!(" from {l}"))
                                        .unwrap_or_default(),
                                ),
                            ],
                        ))
                        .remediation(remedy(kind, "memory-limiter", &[]));
                } else {
                    f = f.remediation(remedy(
                        kind,
                        "previous-log",
                        &[
                            ("pod", &pod.name),
                            ("container", &c.name),
                            ("namespace", ns),
                        ],
                    ));
                    if oom {
                        let now = limit
                            .as_ref()
                            .map(|l| format!(" (now {l})"))
                            .unwrap_or_default();
                        f = f.remediation(remedy(
                            kind,
                            "raise-workload-limit",
                            &[("pod", &pod.name), ("now", &now)],
                        ));
                    }
                }
                out.push(f);
            }
        }
    }
    if let Some(r) = &pods.resources {
        for role in [ev.collector.as_str(), ev.jaeger.as_str()] {
            let mine = only_pods(r, role);
            let situation = Situation {
                service: role,
                namespace: &ev.collector_namespace,
                now: ev.now,
                lookback: ev.lookback,
                onset: None,
                query: "",
                what: "data loss",
                fmt: units::percent,
                // Resources are context here: the loss itself is measured by the other steps.
                active: false,
                deployment: None,
            };
            out.extend(resource_findings(&situation, &mine, &p.resources));
        }
    }
    out
}

/// The per-pod values of pods whose name starts with `role`.
fn only_pods(r: &ResourceEvidence, role: &str) -> ResourceEvidence {
    let keep = |v: &Vec<(String, f64)>| -> Vec<(String, f64)> {
        v.iter()
            .filter(|(pod, _)| pod.starts_with(role))
            .cloned()
            .collect()
    };
    ResourceEvidence {
        queries: r.queries.clone(),
        ratios: r.ratios.iter().map(|(k, v)| (k.clone(), keep(v))).collect(),
        memory_bytes: keep(&r.memory_bytes),
        network: None,
    }
}
