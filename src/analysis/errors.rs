//! The error-rate runbook's reasoning: from the evidence its steps gathered to ranked findings.
//!
//! Pure: [`analyze`] takes plain data ([`ErrorEvidence`], with `None` for a step that failed) and
//! thresholds ([`ErrorParams`]) and returns findings with scores in [0, 1]. Causes outrank the
//! symptom, and a cause outranks a description of the symptom:
//!
//! | score | findings |
//! | --- | --- |
//! | 0.9–0.95 | a rollout or config change at the onset (`changes.rs`) |
//! | 0.88–0.93 | an OOM kill in the window (`pods.rs`) |
//! | 0.5–0.9 | file descriptors, memory, CPU (`resources.rs`), crash loops, evictions, probes |
//! | 0.65–0.9 | errors starting in a dependency, by the traces |
//! | 0.6–0.85 | a dependency's calls failing, by the metrics (more when the traces agree) |
//! | 0.55–0.75 | a new error type; errors starting in the service's own code |
//! | 0.4–0.65 | a repeated error in the logs, a grown error type |
//! | 0.45 | the high error ratio itself |
//!
//! Found while the error ratio is under its threshold, a cause is context, not a diagnosis: its
//! score is halved and it is at most a warning; what merely describes the errors (their types,
//! origins and log lines) is then `info`. Not here: fetching anything (the command), the
//! origin rule (`analysis::traces`), log templates (`analysis::logs`), ranking ties
//! (`report::rank`). Files: `describe.rs` (error types, origins and log templates as findings),
//! `origins.rs` (trace origins relative to the service), `pods.rs` (pod health); tests in
//! `tests.rs`.

mod describe;
mod origins;
mod pods;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::analysis::changepoint::Shift;
pub use crate::analysis::changes::{ChangeEvidence, DeploymentHistory, Revision, change_findings};
use crate::analysis::common::{Situation, fmt_time, prom};
use crate::analysis::logs::LogSummary;
pub use crate::analysis::resources::{
    ResourceEvidence, ResourceParams, fd_findings, resource_findings,
};
use crate::report::units;
use crate::report::{Finding, Severity, Subject};
use crate::runbook::kinds::remedy;
use describe::{MIN_ORIGIN_SHARE, log_findings, origin_findings, type_findings};
pub use origins::{OriginStat, Relation, TAGS as ORIGIN_TAGS, origins_for};
pub use pods::{
    ContainerHealth, PodEvent, PodHealth, PodHealthEvidence, parse_quantity, pod_health_findings,
};

/// A query's answer as (label value, value), worst first.
#[derive(Debug, Clone, Default)]
pub struct RatioList {
    pub query: String,
    pub items: Vec<(String, f64)>,
}

/// Errors per second by type, now and at a baseline offset.
#[derive(Debug, Clone, Default)]
pub struct ErrorTypes {
    pub query: String,
    /// (type, errors per second), most first.
    pub now: Vec<(String, f64)>,
    /// At the first offset where the service served requests; `None` when it served none at any
    /// offset (no history to compare with).
    pub baseline: Option<TypeBaseline>,
}

#[derive(Debug, Clone, Default)]
pub struct TypeBaseline {
    /// `1d`, `7d`.
    pub offset: String,
    pub query: String,
    /// (type, errors per second)
    pub items: Vec<(String, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct TraceErrors {
    /// The trace store that answered (`jaeger`, `tempo`): the evidence names it.
    pub source: String,
    /// The searches, as a human would run them.
    pub query: String,
    /// Distinct error traces found.
    pub count: usize,
    pub origins: Vec<OriginStat>,
    /// Trace ID → Jaeger UI link.
    pub links: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct LogEvidence {
    /// How the logs were read (the selector, the limits), for evidence.
    pub query: String,
    pub selector: String,
    /// Pods of the service, and whose logs were read (the summary's `pods`).
    pub pods_total: usize,
    pub summary: LogSummary,
}

#[derive(Debug, Clone, Default)]
pub struct ErrorEvidence {
    pub service: String,
    pub namespace: String,
    pub service_query: String,
    /// Errors / requests of the service now.
    pub error_ratio: Option<f64>,
    /// (offset, ratio)
    pub baseline: Option<(String, f64)>,
    pub onset: Option<Shift>,
    /// Triage: the other services' ratios (worst first) and the query.
    pub others: Option<RatioList>,
    pub types: Option<ErrorTypes>,
    pub traces: Option<TraceErrors>,
    pub dependencies: Option<RatioList>,
    pub logs: Option<LogEvidence>,
    pub resources: Option<ResourceEvidence>,
    pub pods: Option<PodHealthEvidence>,
    pub changes: Option<ChangeEvidence>,
    /// Evaluation time and lookback, unix seconds.
    pub now: f64,
    pub lookback: f64,
}

#[derive(Debug, Clone)]
pub struct ErrorParams {
    pub service_ratio: f64,
    pub dependency_ratio: f64,
    pub type_growth: f64,
    pub type_min_share: f64,
    pub throttling_ratio: f64,
    pub memory_ratio: f64,
    pub fd_ratio: f64,
    pub change_window_seconds: f64,
    pub log_min_lines: f64,
}

/// A ratio as a percentage, with a decimal below 10% (an error ratio of 0.4% is not 0%).
pub fn ratio_pct(v: f64) -> String {
    units::percent_fine(v, 0.1, 1)
}

pub fn analyze(ev: &ErrorEvidence, p: &ErrorParams) -> Vec<Finding> {
    let mut out = Vec::new();
    let svc = ev.service.as_str();
    // Raw: the remediation templates quote it.
    let ns = ev.namespace.as_str();
    let ratio = ev.error_ratio.filter(|v| v.is_finite());
    let high = ratio.is_some_and(|v| v > p.service_ratio);
    let damp = |f: Finding| -> Finding {
        if high {
            f
        } else {
            let mut f = f;
            f.score *= 0.5;
            f.severity = f.severity.min(Severity::Warning);
            f
        }
    };
    // What the errors are and where they start, when there are not too many of them, is the
    // service's background noise: worth a line, not a diagnosis.
    let describe = |f: Finding| -> Finding {
        if high {
            f
        } else {
            let mut f = damp(f);
            f.severity = Severity::Info;
            f
        }
    };

    // The symptom.
    if let (Some(r), true) = (ratio, high) {
        let mut detail = format!(
            "{} of {svc}'s requests fail (threshold {}).",
            ratio_pct(r),
            ratio_pct(p.service_ratio)
        );
        if let Some(s) = &ev.onset {
            detail.push_str(&format!(
                " It rose from {} to {} at {}.",
                ratio_pct(s.before),
                ratio_pct(s.after),
                fmt_time(s.at)
            ));
        }
        if let Some((off, b)) = &ev.baseline {
            detail.push_str(&format!(" {off} ago it was {}.", ratio_pct(*b)));
        }
        let mut f = Finding::new(
            "high_error_rate",
            if r >= 2.0 * p.service_ratio {
                Severity::Critical
            } else {
                Severity::Warning
            },
            0.45,
            Subject::service(svc),
            format!(
                "{svc} error ratio is {} (threshold {})",
                ratio_pct(r),
                ratio_pct(p.service_ratio)
            ),
        )
        .detail(detail)
        .evidence(prom(&ev.service_query, format!("{r:.4}"), ev.now))
        .remediation(remedy("high_error_rate", "follow", &[]));
        if let Some((off, b)) = &ev.baseline {
            f = f.evidence(prom(
                &format!("{} (offset {off})", ev.service_query),
                format!("{b:.4}"),
                ev.now,
            ));
        }
        out.push(f);
    }
    // Triage: the other services over the threshold, so none is lost behind the worst one.
    if let Some(others) = &ev.others {
        for (other, r) in others.items.iter().filter(|(o, _)| o != svc) {
            if !(r.is_finite() && *r > p.service_ratio) {
                continue;
            }
            out.push(
                Finding::new(
                    "high_error_rate",
                    Severity::Warning,
                    0.3,
                    Subject::service(other),
                    format!("{other} error ratio is {} too", ratio_pct(*r)),
                )
                .evidence(prom(&others.query, format!("{other}={r:.4}"), ev.now))
                .remediation(remedy(
                    "high_error_rate",
                    "triage",
                    &[("service", other), ("namespace", ns)],
                )),
            );
        }
    }

    if let Some(t) = &ev.types {
        out.extend(type_findings(svc, t, p, ev.now).into_iter().map(describe));
    }

    // Which dependency the traces blame, to let metrics and traces confirm each other.
    let origin_share = |dep: &str| -> f64 {
        ev.traces
            .as_ref()
            .filter(|t| t.count > 0)
            .map(|t| {
                t.origins
                    .iter()
                    .filter(|o| o.relation == Relation::Downstream && o.service == dep)
                    .map(|o| o.traces)
                    .sum::<usize>() as f64
                    / t.count as f64
            })
            .unwrap_or(0.0)
            .min(1.0)
    };
    if let Some(deps) = &ev.dependencies {
        for (dep, r) in deps.items.iter().take(5) {
            // A series without the dependency label names nothing to act on.
            if dep.is_empty() || !(r.is_finite() && *r >= p.dependency_ratio) {
                continue;
            }
            let agree = origin_share(dep) >= MIN_ORIGIN_SHARE;
            // A failing dependency is a cause of its callers' errors; how much it fails weighs
            // more than whether the traces saw it too.
            let score = 0.6 + 0.2 * (r / 0.5).min(1.0) + if agree { 0.05 } else { 0.0 };
            let mut detail = format!(
                "{} of {svc}'s calls to {dep} fail (threshold {}).",
                ratio_pct(*r),
                ratio_pct(p.dependency_ratio)
            );
            if agree {
                detail.push_str(&format!(
                    " The error traces agree: {} of them start in {dep}.",
                    ratio_pct(origin_share(dep))
                ));
            }
            out.push(damp(
                Finding::new(
                    "dependency_errors",
                    if high && *r >= 2.0 * p.dependency_ratio {
                        Severity::Critical
                    } else {
                        Severity::Warning
                    },
                    score,
                    Subject::service(svc).with_dependency(dep),
                    format!("{} of {svc}'s calls to {dep} fail", ratio_pct(*r)),
                )
                .detail(detail)
                .evidence(prom(&deps.query, format!("{dep}={r:.4}"), ev.now))
                .remediation(remedy(
                    "dependency_errors",
                    "investigate",
                    &[("dependency", dep), ("namespace", ns)],
                ))
                .remediation(remedy(
                    "dependency_errors",
                    "contain",
                    &[("service", svc), ("dependency", dep)],
                )),
            ));
        }
    }

    if let Some(t) = &ev.traces {
        out.extend(origin_findings(svc, ns, t, high).into_iter().map(describe));
    }
    if let Some(l) = &ev.logs {
        out.extend(
            log_findings(svc, ns, l, p, ev.lookback)
                .into_iter()
                .map(describe),
        );
    }

    let situation = Situation {
        service: svc,
        namespace: &ev.namespace,
        now: ev.now,
        lookback: ev.lookback,
        onset: ev.onset,
        query: &ev.service_query,
        what: "error ratio",
        fmt: ratio_pct,
        active: high,
        deployment: ev
            .changes
            .as_ref()
            .and_then(|c| c.deployments.iter().find(|d| d.role == ev.service)),
    };
    let mut health = Vec::new();
    if let Some(pods) = &ev.pods {
        let peaks = ev
            .resources
            .as_ref()
            .map(|r| r.memory_bytes.as_slice())
            .unwrap_or_default();
        health = pod_health_findings(&situation, pods, peaks);
    }
    let oom = health.iter().any(|f| f.kind == "oom_killed");
    if let Some(r) = &ev.resources {
        let rp = ResourceParams {
            throttling_ratio: p.throttling_ratio,
            // The error runbook reads neither CPU usage against the limit nor network: no
            // thresholds, so those checks cannot fire on data they were never given.
            cpu_saturation: f64::INFINITY,
            memory_ratio: p.memory_ratio,
            network_growth: f64::INFINITY,
        };
        for mut f in resource_findings(&situation, r, &rp) {
            // Memory pressure where an OOM kill already happened is the same cause seen
            // before it struck: it stays, below the kill.
            if oom && f.kind == "memory_pressure" {
                f.score = f.score.min(0.8);
            }
            out.push(damp(f));
        }
        out.extend(fd_findings(&situation, r, p.fd_ratio).into_iter().map(damp));
    }
    out.extend(health.into_iter().map(damp));
    if let Some(c) = &ev.changes {
        out.extend(change_findings(&situation, c, p.change_window_seconds));
    }
    out
}
