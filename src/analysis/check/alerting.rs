//! Alertmanager's own health (its cluster: `settling` is a warning; `ready` and `disabled`, a
//! single instance, are healthy) and the alerts it has firing that are about the tracing stack,
//! one `component_degraded` finding each, critical when the alert's `severity` is.
//!
//! Pure: answers in, [`Outcome`]s out. Which alerts are "about tracing" is
//! [`is_tracing_alert`]: the data-loss runbook answers it (the caller asks the runbooks), or a
//! label that names the component mentions a tracing component. Tests: below.

use crate::model::alerts::{Alert, ClusterStatus, Status};
use crate::report::{Evidence, Finding, Remediation, Severity, Subject};
use crate::runbook::kinds::{remedy, remedy_without_command};

use super::components::{DEGRADED, evidence, probe_parts, subject};
use super::{Component, Outcome};

/// Alertmanager's cluster, and the tracing alerts it has firing (one finding each).
pub fn alertmanager(
    c: &Component,
    s: &Status,
    firing: &[&Alert],
    probes: (&str, &str),
    at: &str,
) -> Outcome {
    let mut findings = Vec::new();
    match &s.cluster_status {
        ClusterStatus::Ready | ClusterStatus::Disabled => {}
        other => findings.push(
            Finding::new(
                DEGRADED,
                Severity::Warning,
                0.6,
                subject(c),
                format!("Alertmanager's cluster is {}", other.as_str()),
            )
            .detail(format!(
                "Its {} peers have not converged: notifications may be sent twice, or silences \
                 not applied everywhere. It is normal for a minute after a restart.",
                s.peers
            ))
            .evidence(evidence(
                c,
                probes.0,
                format!("cluster {}, {} peers", other.as_str(), s.peers),
                at,
            ))
            .remediation(peers(c, probes.0)),
        ),
    }
    for a in firing {
        findings.push(firing_alert(c, a, probes.1));
    }
    Outcome::ok(findings)
}

fn firing_alert(c: &Component, a: &Alert, probe: &str) -> Finding {
    let label = |k: &str| a.labels.get(k).map(String::as_str);
    let service = label("service_name").or(label("service"));
    let critical = matches!(label("severity"), Some("critical" | "page"));
    let mut subject = Subject::default().with_resource(
        label("component")
            .or(label("job"))
            .or(label("container"))
            .unwrap_or(c.resource),
    );
    subject.service = service.map(String::from);
    let labels: Vec<String> = a.labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    Finding::new(
        DEGRADED,
        if critical {
            Severity::Critical
        } else {
            Severity::Warning
        },
        if critical { 0.85 } else { 0.65 },
        subject,
        format!(
            "Alert {} is firing{}",
            a.name(),
            a.summary().map(|s| format!(": {s}")).unwrap_or_default()
        ),
    )
    .detail(format!(
        "Active since {}, neither silenced nor inhibited.",
        a.starts_at
            .map(|t| t.to_string())
            .unwrap_or_else(|| "an unknown time".into())
    ))
    .evidence(Evidence {
        source: c.backend.name().to_string(),
        query: Some(probe.to_string()),
        value: Some(format!("{{{}}}", labels.join(", "))),
        at: a.starts_at.map(|t| t.to_string()),
        link: a.generator_url.clone(),
        via: None,
    })
    .remediation(remedy(DEGRADED, "investigate-alerts", &[]))
}

/// `curl` for the status probe, when Alertmanager's URL is known.
fn peers(c: &Component, probe: &str) -> Remediation {
    match probe_parts(c, probe) {
        Some((_, url, path)) => remedy(DEGRADED, "cluster-peers", &[("url", url), ("path", path)]),
        None => remedy_without_command(DEGRADED, "cluster-peers", &[]),
    }
}

/// An alert about the tracing stack itself: the data-loss runbook answers it (`pipeline`), or a
/// label that names the component (alert name, job, component, container, service, app) has a
/// word naming a tracing component. Words, not substrings: `SpannerLatency` (a database) is not
/// about spans, `OtelCollectorDroppingSpans` and `jaeger-collector` are.
pub fn is_tracing_alert(a: &Alert, pipeline: bool) -> bool {
    const WORDS: &[&str] = &[
        "jaeger",
        "otel",
        "otelcol",
        "opentelemetry",
        "tracing",
        "trace",
        "traces",
        "span",
        "spans",
        "spanmetrics",
        "tempo",
        "zipkin",
    ];
    const LABELS: &[&str] = &[
        "alertname",
        "job",
        "component",
        "container",
        "service",
        "service_name",
        "app",
    ];
    pipeline
        || LABELS
            .iter()
            .filter_map(|k| a.labels.get(*k))
            .flat_map(|v| words(v))
            .any(|w| WORDS.contains(&w.as_str()))
}

/// `OtelCollector-dropping_spans` → `otel`, `collector`, `dropping`, `spans`: split at
/// non-alphanumerics and at lower-to-upper case changes, lowercased.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Workload;
    use super::*;
    use crate::error::Backend;
    use crate::model::alerts::AlertState;

    const AT: &str = "2026-11-25T10:00:00Z";

    fn comp() -> Component {
        Component {
            resource: "alertmanager",
            display: "Alertmanager",
            backend: Backend::Alertmanager,
            flag: Backend::Alertmanager.flag(),
            url: None,
            workload: Workload {
                kind: "statefulset",
                name: "alertmanager".into(),
                namespace: Some("monitoring".into()),
            },
        }
    }

    fn alert(labels: &[(&str, &str)]) -> Alert {
        Alert {
            fingerprint: "f".into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            annotations: [("summary".to_string(), "spans dropped".to_string())].into(),
            starts_at: Some("2026-11-25T09:50:00Z".parse().unwrap()),
            ends_at: None,
            state: AlertState::Active,
            generator_url: None,
            silenced_by: vec![],
            inhibited_by: vec![],
        }
    }

    #[test]
    fn alertmanager_cluster_and_alerts() {
        let c = comp();
        let mut s = Status {
            cluster_status: ClusterStatus::Disabled,
            cluster_name: None,
            peers: 0,
            version: None,
            uptime: None,
        };
        let probes = ("GET /api/v2/status", "GET /api/v2/alerts");
        assert!(alertmanager(&c, &s, &[], probes, AT).findings.is_empty());
        s.cluster_status = ClusterStatus::Settling;
        let a = alert(&[
            ("alertname", "OtelCollectorDroppingSpans"),
            ("severity", "critical"),
            ("job", "otel-collector"),
        ]);
        let o = alertmanager(&c, &s, &[&a], probes, AT);
        assert_eq!(o.findings.len(), 2);
        let f = &o.findings[1];
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.subject.resource.as_deref(), Some("otel-collector"));
        assert_eq!(
            f.title,
            "Alert OtelCollectorDroppingSpans is firing: spans dropped"
        );
    }

    #[test]
    fn label_words() {
        assert_eq!(
            words("OtelCollector-dropping_spans"),
            ["otel", "collector", "dropping", "spans"]
        );
        assert_eq!(words("HTTPServerErrors"), ["httpserver", "errors"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn tracing_alerts_are_recognised() {
        assert!(is_tracing_alert(
            &alert(&[("alertname", "JaegerCollectorDroppingSpans")]),
            false
        ));
        assert!(is_tracing_alert(
            &alert(&[("alertname", "Down"), ("job", "otel-collector")]),
            false
        ));
        assert!(!is_tracing_alert(
            &alert(&[("alertname", "DiskFull"), ("job", "node")]),
            false
        ));
        assert!(!is_tracing_alert(
            &alert(&[
                ("alertname", "SpannerLatencyHigh"),
                ("service", "spanish-api")
            ]),
            false
        ));
        assert!(is_tracing_alert(
            &alert(&[("alertname", "HighLatency")]),
            true
        ));
    }
}
