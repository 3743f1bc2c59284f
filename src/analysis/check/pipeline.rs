//! The Collector's data-loss rates against the check runbook's thresholds: the span drop rate
//! (refused by receivers, dropped by processors, not enqueued by exporters, over what receivers
//! got; a memory limiter's refusals are counted once, as the receiver's), each exporter's
//! failure rate, and the p95 span processing latency.
//!
//! Pure: rates in (read from Prometheus by `crate::investigate::check`, with metric names that match every
//! Collector generation), [`Outcome`]s out. A missing series is a step warning saying which,
//! never a zero. Tests: below.

use std::collections::BTreeMap;

use crate::report::units;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

use super::components::DEGRADED;
use super::{Outcome, Workload};

#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub warn: f64,
    pub critical: f64,
    /// Spans/s below which nothing is judged.
    pub min_rate: f64,
}

/// Spans/s refused or dropped, per component (`receiver otlp`, `processor memory_limiter`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DropEvidence {
    pub dropped: Vec<(String, f64)>,
    /// `None`: Prometheus has no receiver series at all.
    pub received: Option<f64>,
    /// Every query and its total in spans/s (`None`: no series), for evidence.
    pub queries: Vec<(String, Option<f64>)>,
    pub at: String,
}

/// The component a `sum by (receiver, processor, exporter)` row is about.
pub fn component_of(labels: &BTreeMap<String, String>) -> String {
    for stage in ["receiver", "processor", "exporter"] {
        if let Some(id) = labels.get(stage).filter(|v| !v.is_empty()) {
            return format!("{stage} {id}");
        }
    }
    "an unlabelled component".into()
}

fn evidence(query: &str, value: String, at: &str) -> Evidence {
    Evidence {
        source: "prometheus".into(),
        query: Some(query.to_string()),
        value: Some(value),
        at: Some(at.to_string()),
        link: None,
        via: None,
    }
}

fn severity(ratio: f64, p: &Params) -> Option<(Severity, f64)> {
    if ratio >= p.critical {
        Some((Severity::Critical, (0.8 + ratio).min(0.95)))
    } else if ratio >= p.warn {
        Some((Severity::Warning, (0.5 + ratio).min(0.75)))
    } else {
        None
    }
}

/// `spans_dropped` when the Collector loses a share of what it receives.
pub fn drop_rate(ev: &DropEvidence, p: &Params, collector: &Workload) -> Outcome {
    let Some(received) = ev.received else {
        return Outcome::warning(
            Vec::new(),
            "Prometheus has no otelcol_receiver_*_spans series: it does not scrape the \
             Collector's own metrics (:8888), so drops cannot be judged",
        );
    };
    let dropped: f64 = ev.dropped.iter().map(|(_, r)| r.max(0.0)).sum();
    if received < p.min_rate && dropped < p.min_rate {
        return Outcome::ok(Vec::new());
    }
    let ratio = if received > 0.0 {
        dropped / received
    } else {
        1.0
    };
    let Some((sev, score)) = severity(ratio, p) else {
        return Outcome::ok(Vec::new());
    };
    let mut worst = ev.dropped.clone();
    worst.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = worst.first().map(|w| w.0.clone()).unwrap_or_default();
    let list: Vec<String> = worst
        .iter()
        .filter(|(_, r)| *r > 0.0)
        .map(|(c, r)| format!("{c}: {r:.1}/s"))
        .collect();
    let mut f = Finding::new(
        "spans_dropped",
        sev,
        score,
        Subject::default().with_resource("otel-collector"),
        format!(
            "The Collector loses {} of the spans it receives, most at {top}",
            units::percent_tenths(ratio)
        ),
    )
    .detail(format!(
        "{dropped:.1} spans/s refused or dropped of {received:.1}/s received over the rate window ({}).",
        list.join(", ")
    ))
    .remediation(collector.remedy("spans_dropped", "collector-drop-log", &[]));
    for (q, total) in &ev.queries {
        let value = total.map_or("no series".to_string(), |v| format!("{v:.3}"));
        f = f.evidence(evidence(q, value, &ev.at));
    }
    f = f.remediation(
        if top.contains("memory_limiter") || top.starts_with("receiver") {
            collector.remedy("spans_dropped", "limiter-replicas", &[])
        } else if top.starts_with("exporter") {
            remedy("spans_dropped", "exporter-queue-full", &[])
        } else {
            remedy("spans_dropped", "stage-config", &[("component", &top)])
        },
    );
    Outcome::ok(vec![f])
}

/// Per exporter: spans/s failed and sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExporterEvidence {
    pub failed: BTreeMap<String, f64>,
    pub sent: BTreeMap<String, f64>,
    pub queries: (String, String),
    pub at: String,
}

/// `exporter_failures` for each exporter whose failure share is over the threshold.
pub fn exporter_failures(ev: &ExporterEvidence, p: &Params, collector: &Workload) -> Outcome {
    if ev.failed.is_empty() && ev.sent.is_empty() {
        return Outcome::warning(
            Vec::new(),
            "Prometheus has no otelcol_exporter_*_spans series: it does not scrape the \
             Collector's own metrics (:8888), so exporter failures cannot be judged",
        );
    }
    let mut findings = Vec::new();
    for (exporter, &failed) in &ev.failed {
        let sent = ev.sent.get(exporter).copied().unwrap_or(0.0);
        if failed < p.min_rate {
            continue;
        }
        let ratio = failed / (failed + sent);
        let Some((sev, score)) = severity(ratio, p) else {
            continue;
        };
        findings.push(
            Finding::new(
                "exporter_failures",
                sev,
                score,
                Subject::default().with_resource(&format!("exporter/{exporter}")),
                format!(
                    "Exporter {exporter} fails to send {} of its spans",
                    units::percent_tenths(ratio)
                ),
            )
            .detail(format!(
                "{failed:.1} spans/s failed, {sent:.1}/s sent over the rate window. Failed \
                 spans are retried while the queue holds them, then dropped."
            ))
            .evidence(evidence(&ev.queries.0, format!("{failed:.3}"), &ev.at))
            .evidence(evidence(&ev.queries.1, format!("{sent:.3}"), &ev.at))
            .remediation(collector.remedy(
                "exporter_failures",
                "exporter-fail-log",
                &[("exporter", exporter)],
            ))
            .remediation(remedy("exporter_failures", "check-backend", &[])),
        );
    }
    Outcome::ok(findings)
}

/// The p95 span processing latency.
pub fn span_latency(p95: Option<f64>, query: &str, p: &Params, at: &str, metric: &str) -> Outcome {
    let Some(v) = p95.filter(|v| v.is_finite()) else {
        return Outcome::warning(
            Vec::new(),
            format!("no {metric} data in Prometheus: is it exported and scraped?"),
        );
    };
    let (sev, score) = if v >= p.critical {
        (Severity::Critical, 0.8)
    } else if v >= p.warn {
        (Severity::Warning, 0.6)
    } else {
        return Outcome::ok(Vec::new());
    };
    let f = Finding::new(
        DEGRADED,
        sev,
        score,
        Subject::default().with_resource("span-processing"),
        format!(
            "p95 span processing latency is {v:.2}s (threshold {:.2}s)",
            p.warn
        ),
    )
    .detail(
        "Spans take long to be processed and stored: the collector's queue fills and, once \
         full, spans are dropped; traces also show up late in the UI.",
    )
    .evidence(evidence(query, format!("{v:.3}"), at))
    .remediation(remedy(DEGRADED, "storage-latency", &[]));
    Outcome::ok(vec![f])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params {
            warn: 0.01,
            critical: 0.05,
            min_rate: 0.1,
        }
    }

    fn collector() -> Workload {
        Workload {
            kind: "deployment",
            name: "otel-collector".into(),
            namespace: Some("monitoring".into()),
        }
    }

    fn drops(dropped: &[(&str, f64)], received: Option<f64>) -> DropEvidence {
        DropEvidence {
            dropped: dropped.iter().map(|(c, r)| (c.to_string(), *r)).collect(),
            received,
            queries: vec![("accepted".into(), received), ("refused".into(), None)],
            at: "t".into(),
        }
    }

    #[test]
    fn drop_rate_thresholds() {
        let p = params();
        let w = collector();
        assert!(matches!(
            drop_rate(&drops(&[], None), &p, &w).status,
            super::super::Status::Warning(_)
        ));
        assert!(
            drop_rate(&drops(&[], Some(100.0)), &p, &w)
                .findings
                .is_empty()
        );
        assert!(
            drop_rate(&drops(&[("processor batch", 0.5)], Some(100.0)), &p, &w)
                .findings
                .is_empty(),
            "0.5% is under 1%"
        );
        let o = drop_rate(
            &drops(
                &[("processor memory_limiter", 8.0), ("receiver otlp", 2.0)],
                Some(100.0),
            ),
            &p,
            &w,
        );
        let f = &o.findings[0];
        assert_eq!(f.kind, "spans_dropped");
        assert_eq!(f.severity, Severity::Critical);
        assert!(f.title.contains("10.0%") && f.title.contains("processor memory_limiter"));
        assert!(
            f.remediation
                .iter()
                .any(|r| r.title.contains("replicas to deployment/otel-collector"))
        );
        assert!(
            f.remediation
                .iter()
                .any(|r| r.command.as_deref().is_some_and(
                    |c| c.starts_with("kubectl -n monitoring logs deployment/otel-collector")
                ))
        );
        let o = drop_rate(&drops(&[("exporter otlp", 2.0)], Some(100.0)), &p, &w);
        assert_eq!(o.findings[0].severity, Severity::Warning);
        // Nothing flows: nothing to judge.
        assert!(
            drop_rate(&drops(&[], Some(0.0)), &p, &w)
                .findings
                .is_empty()
        );
    }

    #[test]
    fn component_labels() {
        let l = |k: &str, v: &str| [(k.to_string(), v.to_string())].into();
        assert_eq!(component_of(&l("processor", "batch")), "processor batch");
        assert_eq!(component_of(&BTreeMap::new()), "an unlabelled component");
    }

    #[test]
    fn exporter_failure_per_exporter() {
        let ev = ExporterEvidence {
            failed: [("otlp/jaeger".to_string(), 30.0), ("debug".into(), 0.0)].into(),
            sent: [("otlp/jaeger".to_string(), 70.0), ("debug".into(), 100.0)].into(),
            queries: ("f".into(), "s".into()),
            at: "t".into(),
        };
        let o = exporter_failures(&ev, &params(), &collector());
        assert_eq!(o.findings.len(), 1);
        let f = &o.findings[0];
        assert_eq!(f.kind, "exporter_failures");
        assert_eq!(f.subject.resource.as_deref(), Some("exporter/otlp/jaeger"));
        assert!(f.title.contains("30.0%"));
        let none = ExporterEvidence::default();
        assert!(matches!(
            exporter_failures(&none, &params(), &collector()).status,
            super::super::Status::Warning(_)
        ));
    }

    #[test]
    fn latency_thresholds() {
        let p = Params {
            warn: 1.0,
            critical: 5.0,
            min_rate: 0.0,
        };
        assert!(
            span_latency(Some(0.2), "q", &p, "t", "m")
                .findings
                .is_empty()
        );
        assert_eq!(
            span_latency(Some(2.0), "q", &p, "t", "m").findings[0].severity,
            Severity::Warning
        );
        assert_eq!(
            span_latency(Some(6.0), "q", &p, "t", "m").findings[0].severity,
            Severity::Critical
        );
        assert!(matches!(
            span_latency(Some(f64::NAN), "q", &p, "t", "m").status,
            super::super::Status::Warning(_)
        ));
    }
}
