//! Does Jaeger's Monitor tab (service performance monitoring) have data, and if not, which link
//! of the chain is missing:
//!
//! ```text
//! service ──spans──▶ Collector (spanmetrics connector) ──metrics──▶ Prometheus ──PromQL──▶ jaeger-query ──▶ Monitor tab
//! ```
//!
//! The evidence: the services Jaeger knows; the spanmetrics series in Prometheus, by metric name
//! and service (`calls` and the `duration` histogram, any namespace, with or without `_total` and
//! unit suffixes, and the old spanmetrics processor's `latency`), restricted to
//! `span_kind="SPAN_KIND_SERVER"` as the tab shows by default; and one call of Jaeger's own metrics
//! API (`GET /api/metrics/calls`), which says whether jaeger-query has a metrics backend, can read
//! it, and finds the names Prometheus has. Jaeger builds its metric names as
//! `[namespace_]calls[_total]` and `[namespace_]duration[_milliseconds|_seconds]_bucket`
//! (`internal/storage/metricstore/prometheus`), so the names found tell the settings it needs.
//!
//! Pure: evidence in, [`Outcome`] out; Jaeger's own services (`jaeger*`, its self-tracing) are not
//! expected to pass the connector. Not here: asking (`crate::investigate::check`), and reading
//! Jaeger's answer into [`JaegerMetrics`] (`crate::backends::net`). Tests: below.

use std::collections::BTreeSet;

use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

pub use crate::model::trace::JaegerMetrics;

use super::components::DEGRADED;
use super::{Component, Outcome};

#[derive(Debug, Clone, PartialEq)]
pub struct MonitorEvidence {
    pub services: Vec<String>,
    /// (metric name, service) of the `calls` counters.
    pub calls: Vec<(String, String)>,
    /// (metric name, service) of the duration histograms.
    pub duration: Vec<(String, String)>,
    pub jaeger: JaegerMetrics,
    /// The two PromQL queries and the Jaeger request, for evidence.
    pub queries: (String, String, String),
    pub at: String,
}

fn own(service: &str) -> bool {
    !service.starts_with("jaeger")
}

/// The Jaeger settings that read `calls`/`duration` names as Prometheus has them.
pub fn jaeger_settings(calls: &str, duration: Option<&str>) -> String {
    let base = calls.strip_suffix("_total").unwrap_or(calls);
    let namespace = base
        .strip_suffix("calls")
        .unwrap_or("")
        .trim_end_matches('_');
    let mut v2 = vec![format!("metric_namespace: {namespace:?}")];
    let mut v1 = vec![format!("--prometheus.query.namespace={namespace}")];
    v2.push(format!("normalize_calls: {}", calls.ends_with("_total")));
    v1.push(format!(
        "--prometheus.query.normalize-calls={}",
        calls.ends_with("_total")
    ));
    if let Some(d) = duration {
        let unit = if d.contains("_seconds_") {
            Some("s")
        } else if d.contains("_milliseconds_") {
            Some("ms")
        } else {
            None
        };
        v2.push(format!("normalize_duration: {}", unit.is_some()));
        v1.push(format!(
            "--prometheus.query.normalize-duration={}",
            unit.is_some()
        ));
        if let Some(u) = unit {
            v2.push(format!("latency_unit: {u}"));
            v1.push(format!("--prometheus.query.duration-unit={u}"));
        }
    }
    format!(
        "Jaeger v2 (metric_backends.<name>.prometheus): {{{}}}; Jaeger v1 flags: {}",
        v2.join(", "),
        v1.join(" ")
    )
}

fn evidence(source: &str, query: &str, value: String, at: &str) -> Evidence {
    Evidence {
        source: source.into(),
        query: Some(query.to_string()),
        value: Some(value),
        at: Some(at.to_string()),
        link: None,
        via: None,
    }
}

fn finding(title: String, detail: String, score: f64) -> Finding {
    Finding::new(
        DEGRADED,
        Severity::Warning,
        score,
        Subject::default().with_resource("jaeger-monitor"),
        title,
    )
    .detail(detail)
}

fn list(v: &[&String]) -> String {
    const SHOWN: usize = 8;
    let mut s: Vec<&str> = v.iter().take(SHOWN).map(|s| s.as_str()).collect();
    let more = v.len().saturating_sub(SHOWN);
    if more > 0 {
        s.push("…");
    }
    let mut out = s.join(", ");
    if more > 0 {
        out.push_str(&format!(" ({more} more)"));
    }
    out
}

pub fn analyze(ev: &MonitorEvidence, jaeger: &Component) -> Outcome {
    let (calls_q, duration_q, jaeger_q) = (&ev.queries.0, &ev.queries.1, &ev.queries.2);
    let services: Vec<&String> = ev.services.iter().filter(|s| own(s)).collect();
    if services.is_empty() {
        return Outcome::warning(
            Vec::new(),
            "Jaeger lists no service of its own: nothing for the Monitor tab to show yet",
        );
    }
    let with_calls: BTreeSet<&str> = ev.calls.iter().map(|(_, s)| s.as_str()).collect();
    let with_duration: BTreeSet<&str> = ev.duration.iter().map(|(_, s)| s.as_str()).collect();
    let calls_name = ev.calls.first().map(|(n, _)| n.as_str());
    let duration_name = ev.duration.first().map(|(n, _)| n.as_str());
    let mut findings = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    if with_calls.is_empty() {
        findings.push(
            finding(
                "Jaeger's Monitor tab has no data: Prometheus has no spanmetrics series".into(),
                format!(
                    "Missing link: Collector → Prometheus. Jaeger knows {} services, and \
                     Prometheus has no `calls` counter with span_kind=\"SPAN_KIND_SERVER\" for \
                     any of them: either the Collector has no spanmetrics connector (an exporter \
                     of the traces pipeline and a receiver of a metrics pipeline), or Prometheus \
                     does not scrape (or receive) that metrics pipeline's exporter.",
                    services.len()
                ),
                0.7,
            )
            .evidence(evidence("prometheus", calls_q, "0 series".into(), &ev.at))
            .remediation(remedy(DEGRADED, "spanmetrics-connector", &[])),
        );
    } else {
        let missing: Vec<&String> = services
            .iter()
            .copied()
            .filter(|s| !with_calls.contains(s.as_str()))
            .collect();
        if !missing.is_empty() {
            findings.push(
                finding(
                    format!(
                        "{} of {} services Jaeger knows have no spanmetrics series: {}",
                        missing.len(),
                        services.len(),
                        list(&missing)
                    ),
                    "Missing link: service → spanmetrics connector. Their spans reach Jaeger, but \
                     not through a Collector pipeline with the spanmetrics connector (another \
                     Collector, an agent exporting to Jaeger directly, or a pipeline without the \
                     connector), or they have no server spans. Their Monitor tab stays empty."
                        .into(),
                    0.6,
                )
                .evidence(evidence(
                    "prometheus",
                    calls_q,
                    format!("{} services with series", with_calls.len()),
                    &ev.at,
                ))
                .remediation(remedy(DEGRADED, "spanmetrics-route", &[])),
            );
        }
        let no_duration: Vec<&String> = services
            .iter()
            .copied()
            .filter(|s| with_calls.contains(s.as_str()) && !with_duration.contains(s.as_str()))
            .collect();
        if !no_duration.is_empty() {
            findings.push(
                finding(
                    format!(
                        "No latency histogram for {}: the Monitor tab's latency graph stays empty",
                        list(&no_duration)
                    ),
                    "The `calls` counters exist but the `duration` histogram does not: the \
                     spanmetrics connector's histogram is disabled, or its buckets are dropped \
                     before Prometheus (a metric_relabel or an allow-list)."
                        .into(),
                    0.5,
                )
                .evidence(evidence(
                    "prometheus",
                    duration_q,
                    format!("{} services with histograms", with_duration.len()),
                    &ev.at,
                ))
                .remediation(remedy(DEGRADED, "spanmetrics-histogram", &[])),
            );
        }
    }

    let config_of = |key: &str| jaeger.workload.remedy(DEGRADED, key, &[]);
    match &ev.jaeger {
        JaegerMetrics::NotAsked => {}
        JaegerMetrics::NotServed => notes.push(
            "this Jaeger serves no /api/metrics: its link to Prometheus was not checked".into(),
        ),
        JaegerMetrics::Disabled(msg) => findings.push(
            finding(
                "Jaeger query has no metrics backend: the Monitor tab cannot read Prometheus"
                    .into(),
                format!(
                    "Missing link: Prometheus → jaeger-query. Its metrics API answers {msg:?}. \
                     Jaeger v1 needs METRICS_STORAGE_TYPE=prometheus and \
                     PROMETHEUS_SERVER_URL; Jaeger v2 a metric_backends entry with prometheus, \
                     named in extensions.jaeger_query.storage.metrics."
                ),
                0.75,
            )
            .evidence(evidence("jaeger", jaeger_q, msg.clone(), &ev.at))
            .remediation(config_of("metrics-backend")),
        ),
        JaegerMetrics::Failed(msg) => findings.push(
            finding(
                "Jaeger query cannot read its metrics backend".into(),
                format!(
                    "Missing link: Prometheus → jaeger-query. Its metrics API answers {msg:?}: \
                     the Prometheus URL, TLS or token it is configured with is wrong, or \
                     Prometheus is unreachable from it."
                ),
                0.75,
            )
            .evidence(evidence("jaeger", jaeger_q, msg.clone(), &ev.at))
            .remediation(config_of("metrics-endpoint")),
        ),
        JaegerMetrics::Answered { service, series } => {
            if *series == 0
                && with_calls.contains(service.as_str())
                && let Some(calls) = calls_name
            {
                findings.push(
                    finding(
                        "Jaeger query reads other metric names than Prometheus has".into(),
                        format!(
                            "Missing link: Prometheus → jaeger-query (naming). Prometheus has \
                             `{calls}`{} for {service}, and Jaeger's metrics API finds nothing \
                             for it: Jaeger builds its names from its namespace and normalize \
                             settings. Set {}.",
                            duration_name
                                .map(|d| format!(" and `{d}`"))
                                .unwrap_or_default(),
                            jaeger_settings(calls, duration_name)
                        ),
                        0.7,
                    )
                    .evidence(evidence("prometheus", calls_q, calls.to_string(), &ev.at))
                    .evidence(evidence("jaeger", jaeger_q, "0 series".into(), &ev.at))
                    .remediation(config_of("metric-names")),
                );
            }
        }
    }
    if notes.is_empty() {
        Outcome::ok(findings)
    } else {
        Outcome::warning(findings, notes.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Workload;
    use super::*;
    use crate::error::Backend;

    fn jaeger() -> Component {
        Component {
            resource: "jaeger-query",
            display: "Jaeger query",
            backend: Backend::Jaeger,
            flag: Backend::Jaeger.flag(),
            url: None,
            workload: Workload {
                kind: "deployment",
                name: "jaeger-query".into(),
                namespace: Some("monitoring".into()),
            },
        }
    }

    fn pairs(name: &str, services: &[&str]) -> Vec<(String, String)> {
        services
            .iter()
            .map(|s| (name.to_string(), s.to_string()))
            .collect()
    }

    fn ev(calls: &[&str], duration: &[&str], jaeger: JaegerMetrics) -> MonitorEvidence {
        MonitorEvidence {
            services: vec![
                "checkout".into(),
                "frontend".into(),
                "jaeger-all-in-one".into(),
            ],
            calls: pairs("traces_span_metrics_calls_total", calls),
            duration: pairs("traces_span_metrics_duration_milliseconds_bucket", duration),
            jaeger,
            queries: (
                "calls".into(),
                "duration".into(),
                "GET /api/metrics/calls".into(),
            ),
            at: "t".into(),
        }
    }

    fn answered(series: usize) -> JaegerMetrics {
        JaegerMetrics::Answered {
            service: "checkout".into(),
            series,
        }
    }

    #[test]
    fn everything_linked_is_quiet() {
        let o = analyze(
            &ev(
                &["checkout", "frontend"],
                &["checkout", "frontend"],
                answered(1),
            ),
            &jaeger(),
        );
        assert_eq!(o, Outcome::ok(vec![]));
    }

    #[test]
    fn each_missing_link_is_named() {
        let j = jaeger();
        let none = analyze(&ev(&[], &[], answered(0)), &j);
        assert_eq!(none.findings.len(), 1);
        assert!(
            none.findings[0]
                .detail
                .starts_with("Missing link: Collector → Prometheus")
        );

        let some = analyze(&ev(&["checkout"], &[], answered(1)), &j);
        let titles: Vec<&str> = some.findings.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "1 of 2 services Jaeger knows have no spanmetrics series: frontend",
                "No latency histogram for checkout: the Monitor tab's latency graph stays empty"
            ],
            "jaeger-all-in-one's own traces are not expected in spanmetrics"
        );

        let off = analyze(
            &ev(
                &["checkout", "frontend"],
                &["checkout", "frontend"],
                JaegerMetrics::Disabled(
                    "trace metrics are currently disabled - no metrics backend configured".into(),
                ),
            ),
            &j,
        );
        assert!(
            off.findings[0]
                .title
                .starts_with("Jaeger query has no metrics backend")
        );

        let names = analyze(
            &ev(
                &["checkout", "frontend"],
                &["checkout", "frontend"],
                answered(0),
            ),
            &j,
        );
        let d = &names.findings[0].detail;
        assert!(
            d.contains("metric_namespace: \"traces_span_metrics\""),
            "{d}"
        );
        assert!(d.contains("normalize_calls: true"), "{d}");
        assert!(d.contains("latency_unit: ms"), "{d}");

        let old = analyze(
            &ev(
                &["checkout", "frontend"],
                &["checkout", "frontend"],
                JaegerMetrics::NotServed,
            ),
            &j,
        );
        assert!(matches!(old.status, super::super::Status::Warning(_)));
    }

    #[test]
    fn settings_from_names() {
        assert_eq!(
            jaeger_settings("calls", Some("latency_bucket")),
            "Jaeger v2 (metric_backends.<name>.prometheus): {metric_namespace: \"\", normalize_calls: false, normalize_duration: false}; Jaeger v1 flags: --prometheus.query.namespace= --prometheus.query.normalize-calls=false --prometheus.query.normalize-duration=false"
        );
        assert!(
            jaeger_settings(
                "traces_span_metrics_calls_total",
                Some("traces_span_metrics_duration_seconds_bucket")
            )
            .contains("--prometheus.query.duration-unit=s")
        );
    }
}
