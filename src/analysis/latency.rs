//! The latency runbook's reasoning: from the evidence its steps gathered to ranked findings.
//!
//! Pure: [`analyze`] takes plain data ([`LatencyEvidence`], with `None` for a step that failed)
//! and thresholds ([`LatencyParams`]) and returns findings with scores in [0, 1]. Causes outrank
//! the symptom: a change at the onset beats a slow dependency, which beats a slow service; metrics
//! and traces that agree beat either alone. Not here: fetching anything, ranking ties
//! (`report::rank`). Tests: below.

use crate::analysis::changepoint::Shift;
pub use crate::analysis::changes::{ChangeEvidence, DeploymentHistory, Revision, change_findings};
use crate::analysis::common::{Situation, fmt_time, prom};
pub use crate::analysis::resources::{ResourceEvidence, ResourceParams, resource_findings};
use crate::report::units;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

#[derive(Debug, Clone, Default)]
pub struct MetricList {
    pub query: String,
    /// (label value, seconds), worst first.
    pub items: Vec<(String, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct TimeShare {
    pub service: String,
    pub operation: String,
    pub seconds: f64,
    pub share: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Repeated {
    pub parent_service: String,
    pub parent_operation: String,
    pub child_service: String,
    pub child_operation: String,
    /// Largest number of sequential repeats seen under one parent.
    pub count: usize,
    /// In how many of the traces it appears.
    pub traces: usize,
    pub example_trace: String,
}

#[derive(Debug, Clone, Default)]
pub struct TraceEvidence {
    /// The trace store that answered (`jaeger`, `tempo`): the evidence names it.
    pub source: String,
    pub query: String,
    pub count: usize,
    pub shares: Vec<TimeShare>,
    pub repeated: Vec<Repeated>,
    /// (trace id, UI link, duration seconds)
    pub examples: Vec<(String, String, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct LatencyEvidence {
    pub service: String,
    pub namespace: String,
    pub quantile: f64,
    pub service_query: String,
    pub service_latency: Option<f64>,
    /// (offset, seconds)
    pub baseline: Option<(String, f64)>,
    pub onset: Option<Shift>,
    pub operations: Option<MetricList>,
    pub dependencies: Option<MetricList>,
    pub traces: Option<TraceEvidence>,
    pub resources: Option<ResourceEvidence>,
    pub changes: Option<ChangeEvidence>,
    /// Evaluation time and lookback, unix seconds.
    pub now: f64,
    pub lookback: f64,
}

#[derive(Debug, Clone)]
pub struct LatencyParams {
    pub service_seconds: f64,
    pub operation_seconds: f64,
    pub dependency_seconds: f64,
    pub dependency_share: f64,
    pub throttling_ratio: f64,
    pub cpu_saturation: f64,
    pub memory_ratio: f64,
    pub network_growth: f64,
    pub n_plus_one_repeats: f64,
    pub change_window_seconds: f64,
}

fn q_label(q: f64) -> String {
    format!("p{}", (q * 100.0).round() as i64)
}

pub fn analyze(ev: &LatencyEvidence, p: &LatencyParams) -> Vec<Finding> {
    let mut out = Vec::new();
    let svc = ev.service.as_str();
    let ql = q_label(ev.quantile);
    let latency = ev.service_latency.filter(|v| v.is_finite());
    let slow = latency.is_some_and(|v| v > p.service_seconds);
    // Causes found while the service is healthy are context, not a diagnosis.
    let damp = |f: Finding| -> Finding {
        if slow {
            f
        } else {
            let mut f = f;
            f.score *= 0.5;
            f.severity = f.severity.min(Severity::Warning);
            f
        }
    };

    if let (Some(lat), true) = (latency, slow) {
        let sev = if lat > 2.0 * p.service_seconds {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let mut detail = format!(
            "{svc} {ql} is {} (threshold {}).",
            units::seconds(lat),
            units::seconds(p.service_seconds)
        );
        if let Some(s) = &ev.onset {
            detail.push_str(&format!(
                " It rose from {} to {} at {}.",
                units::seconds(s.before),
                units::seconds(s.after),
                fmt_time(s.at)
            ));
        }
        if let Some((off, b)) = &ev.baseline {
            detail.push_str(&format!(" {off} ago it was {}.", units::seconds(*b)));
        }
        let mut f = Finding::new(
            "slow_service",
            sev,
            0.45,
            Subject::service(svc),
            format!(
                "{svc} {ql} latency is {} (threshold {})",
                units::seconds(lat),
                units::seconds(p.service_seconds)
            ),
        )
        .detail(detail)
        .evidence(prom(&ev.service_query, format!("{lat:.3}"), ev.now))
        .remediation(remedy("slow_service", "follow", &[]));
        if let Some((off, b)) = &ev.baseline {
            f = f.evidence(prom(
                &format!("{} (offset {off})", ev.service_query),
                format!("{b:.3}"),
                ev.now,
            ));
        }
        out.push(f);
    }

    // Where the traces say the time goes, by service.
    let trace_share_of = |service: &str| -> f64 {
        ev.traces
            .as_ref()
            .map(|t| {
                t.shares
                    .iter()
                    .filter(|s| s.service == service)
                    .map(|s| s.share)
                    .sum()
            })
            .unwrap_or(0.0)
    };
    let trace_link = ev
        .traces
        .as_ref()
        .and_then(|t| t.examples.first())
        .map(|(id, link, d)| Evidence {
            source: ev
                .traces
                .as_ref()
                .map(|t| t.source.clone())
                .unwrap_or_default(),
            query: ev.traces.as_ref().map(|t| t.query.clone()),
            value: Some(format!("trace {id} took {}", units::seconds(*d))),
            at: None,
            link: Some(link.clone()),
            via: None,
        });

    let mut explained_by: Option<String> = None;
    if let Some(deps) = &ev.dependencies {
        for (dep, v) in deps.items.iter().take(3) {
            if !v.is_finite() {
                continue;
            }
            let share = latency
                .filter(|l| *l > 0.0)
                .map(|l| (v / l).min(1.0))
                .unwrap_or(0.0);
            let tshare = trace_share_of(dep);
            let over = *v > p.dependency_seconds;
            let explains = slow && share >= p.dependency_share;
            if !over && !explains {
                continue;
            }
            let agree = tshare >= 0.3;
            let score = 0.45 + 0.3 * share + if agree { 0.2 } else { 0.0 };
            let sev = if explains && (over || agree) {
                Severity::Critical
            } else {
                Severity::Warning
            };
            let title = if explains {
                format!(
                    "{dep} calls make up {} of {svc}'s {ql} ({} of {})",
                    units::percent(share),
                    units::seconds(*v),
                    units::seconds(latency.unwrap_or(0.0))
                )
            } else {
                format!(
                    "calls from {svc} to {dep} are slow: {ql} {} (threshold {})",
                    units::seconds(*v),
                    units::seconds(p.dependency_seconds)
                )
            };
            let mut detail = format!("{ql} of {svc}'s calls to {dep} is {}.", units::seconds(*v));
            if ev.traces.is_some() {
                detail.push_str(&format!(
                    " In the slow traces {dep} holds {} of the critical path{}.",
                    units::percent(tshare),
                    if agree {
                        ", so metrics and traces agree"
                    } else {
                        ""
                    }
                ));
            }
            let mut f = Finding::new(
                "slow_dependency",
                sev,
                score,
                Subject::service(svc).with_dependency(dep),
                title,
            )
            .detail(detail)
            .evidence(prom(&deps.query, format!("{dep}={v:.3}"), ev.now))
            .remediation(remedy(
                "slow_dependency",
                "investigate",
                &[("dependency", dep), ("namespace", &ev.namespace)],
            ))
            .remediation(remedy(
                "slow_dependency",
                "bound",
                &[("service", svc), ("dependency", dep)],
            ));
            if agree && let Some(e) = trace_link.clone() {
                f = f.evidence(e);
            }
            if explains && explained_by.is_none() {
                explained_by = Some(dep.clone());
            }
            out.push(damp(f));
        }
    }

    if let Some(ops) = &ev.operations {
        for (op, v) in ops.items.iter().take(5) {
            if !v.is_finite() || *v <= p.operation_seconds {
                continue;
            }
            let ratio = (*v / p.operation_seconds / 4.0).min(1.0);
            let f = Finding::new(
                "slow_operation",
                Severity::Warning,
                // More specific than the service-level symptom, less than a cause.
                0.5 + 0.15 * ratio,
                Subject::service(svc).with_operation(op),
                format!(
                    "{svc} operation {op} {ql} is {} (threshold {})",
                    units::seconds(*v),
                    units::seconds(p.operation_seconds)
                ),
            )
            .detail(format!(
                "Of {svc}'s operations, {op} is slow; its traces show where its time goes."
            ))
            .evidence(prom(&ops.query, format!("{op}={v:.3}"), ev.now))
            .remediation(remedy(
                "slow_operation",
                "critical-path",
                &[
                    ("service", svc),
                    ("operation", op),
                    ("namespace", &ev.namespace),
                ],
            ));
            out.push(damp(f));
        }
    }

    if let Some(t) = &ev.traces {
        if let Some(top) = t.shares.first()
            && top.share >= 0.4
            && explained_by.as_deref() != Some(top.service.as_str())
        {
            let own = top.service == svc;
            let mut f = Finding::new(
                "critical_path_hotspot",
                Severity::Warning,
                // Where the time goes, not why: below resource and change causes when the
                // hotspot is the service's own code.
                if own {
                    0.4 + 0.2 * top.share
                } else {
                    0.45 + 0.3 * top.share
                },
                if own {
                    Subject::service(svc).with_operation(&top.operation)
                } else {
                    Subject::service(svc).with_dependency(&top.service)
                },
                format!(
                    "{} {} holds {} of the slow traces' critical path",
                    top.service,
                    top.operation,
                    units::percent(top.share)
                ),
            )
            .detail(format!(
                "Across {} slow traces, {} of critical-path time is spent in {} {} ({} in total).",
                t.count,
                units::percent(top.share),
                top.service,
                top.operation,
                units::seconds(top.seconds)
            ))
            .remediation(remedy(
                "critical_path_hotspot",
                "optimize",
                &[("service", &top.service), ("operation", &top.operation)],
            ));
            if let Some(e) = trace_link.clone() {
                f = f.evidence(e);
            }
            out.push(damp(f));
        }
        for r in t
            .repeated
            .iter()
            .filter(|r| r.count as f64 >= p.n_plus_one_repeats)
            .take(3)
        {
            let freq = if t.count > 0 {
                r.traces as f64 / t.count as f64
            } else {
                0.0
            };
            // Also when the repeated call is where the critical path goes: the N+1 is then the
            // cause of the hotspot finding, and must outrank it.
            let explains = explained_by.as_deref() == Some(r.child_service.as_str())
                || t.shares.first().is_some_and(|s| {
                    s.service == r.child_service && s.operation == r.child_operation
                });
            let score = 0.5 + 0.2 * freq.min(1.0) + if explains { 0.15 } else { 0.0 };
            let link = t
                .examples
                .iter()
                .find(|(id, _, _)| *id == r.example_trace)
                .map(|(_, l, _)| l.clone());
            let f = Finding::new(
                "n_plus_one",
                if explains && slow {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
                score,
                Subject::service(&r.parent_service)
                    .with_operation(&r.parent_operation)
                    .with_dependency(&r.child_service),
                format!(
                    "N+1: {} {} calls {} {} {} times in sequence",
                    r.parent_service,
                    r.parent_operation,
                    r.child_service,
                    r.child_operation,
                    r.count
                ),
            )
            .detail(format!("Seen in {} of {} slow traces.", r.traces, t.count))
            .evidence(Evidence {
                source: t.source.clone(),
                query: Some(t.query.clone()),
                value: Some(format!(
                    "{} sequential calls in trace {}",
                    r.count, r.example_trace
                )),
                at: None,
                link,
                via: None,
            })
            .remediation(remedy(
                "n_plus_one",
                "batch",
                &[("operation", &r.child_operation)],
            ));
            out.push(damp(f));
        }
    }

    let situation = Situation {
        service: svc,
        namespace: &ev.namespace,
        now: ev.now,
        lookback: ev.lookback,
        onset: ev.onset,
        query: &ev.service_query,
        what: "latency",
        fmt: units::seconds,
        active: slow,
        deployment: ev
            .changes
            .as_ref()
            .and_then(|c| c.deployments.iter().find(|d| d.role == ev.service)),
    };
    if let Some(r) = &ev.resources {
        let rp = ResourceParams {
            throttling_ratio: p.throttling_ratio,
            cpu_saturation: p.cpu_saturation,
            memory_ratio: p.memory_ratio,
            network_growth: p.network_growth,
        };
        out.extend(resource_findings(&situation, r, &rp).into_iter().map(damp));
    }
    if let Some(c) = &ev.changes {
        out.extend(change_findings(&situation, c, p.change_window_seconds));
    }
    out
}

#[cfg(test)]
mod tests;
