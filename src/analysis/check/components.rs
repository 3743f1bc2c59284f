//! The up/down/degraded judgement of each component's own health answer, as findings with the
//! fix: a failed request (`component_down`), Jaeger without services, a Collector that rejects an
//! empty export or exposes no span counters, Elasticsearch yellow or red, Grafana's database
//! (Alertmanager's is in `alerting.rs`).
//!
//! Pure: answers in, [`Outcome`]s out; no I/O, no clock (`at` is the run's time, for evidence).
//! Not here: asking the backends (`crate::investigate::check`). Tests: below.

use crate::error::{BackendError, ErrorKind};
use crate::model::collector::{OtlpAck, Scrape};
use crate::model::dashboards::Health;
use crate::model::storage::{ClusterHealth, Health as EsHealth};
use crate::report::{Evidence, Finding, Remediation, Severity, Subject};
use crate::runbook::kinds::{remedy, remedy_without_command};

use super::{Component, Outcome};

pub const DOWN: &str = "component_down";
pub const DEGRADED: &str = "component_degraded";

pub fn evidence(c: &Component, probe: &str, value: String, at: &str) -> Evidence {
    Evidence {
        source: c.backend.name().to_string(),
        query: Some(probe.to_string()),
        value: Some(value),
        at: Some(at.to_string()),
        link: None,
        via: None,
    }
}

pub fn subject(c: &Component) -> Subject {
    Subject::default().with_resource(c.resource)
}

/// A backend error as a check's outcome: not configured is `skipped`; a replay without the
/// answer fails the step with no finding (nothing is known about the component); anything else
/// is the component being down, with the fix.
pub fn from_error(c: &Component, e: &BackendError, probe: &str, at: &str) -> Outcome {
    match &e.kind {
        ErrorKind::NotConfigured => {
            Outcome::skipped(format!("{} not configured ({})", e.backend, c.flag))
        }
        ErrorKind::NotRecorded { .. } => {
            Outcome::failed(Vec::new(), format!("{}; hint: {}", e.one_line(), c.hint(e)))
        }
        _ => Outcome::failed(
            vec![down(c, e, probe, at)],
            format!("{}; hint: {}", e.one_line(), c.hint(e)),
        ),
    }
}

/// The parts of the probe a check made (`GET /-/ready`) that a `curl` remedy repeats: the
/// method, the component's URL and the path; `None` when the URL is not known.
pub fn probe_parts<'a>(c: &'a Component, probe: &'a str) -> Option<(&'a str, &'a str, &'a str)> {
    let url = c.url.as_deref()?;
    let (method, path) = probe.split_once(' ')?;
    let path = path.split_whitespace().next().unwrap_or(path);
    Some((method, url, path))
}

/// Remedy `key` of `kind` whose command needs the component's URL (`{{url}}`); without a known
/// URL, its title alone.
fn with_url(c: &Component, kind: &str, key: &str) -> Remediation {
    match &c.url {
        Some(u) => remedy(kind, key, &[("url", u)]),
        None => remedy_without_command(kind, key, &[]),
    }
}

/// The component did not answer its probe as a healthy one does.
pub fn down(c: &Component, e: &BackendError, probe: &str, at: &str) -> Finding {
    let (what, score) = match &e.kind {
        ErrorKind::Unreachable { .. } => ("is unreachable".to_string(), 0.95),
        ErrorKind::Timeout => ("did not answer in time".to_string(), 0.95),
        ErrorKind::Status { code: 503, .. } => ("is not ready (HTTP 503)".to_string(), 0.95),
        ErrorKind::Status { code, .. } => (format!("answers HTTP {code}"), 0.9),
        ErrorKind::Forbidden { code, .. } => {
            (format!("refuses tracectl's credentials (HTTP {code})"), 0.9)
        }
        ErrorKind::Decode { .. } => (
            format!("does not answer as {} at the configured URL", c.display),
            0.9,
        ),
        ErrorKind::TooLarge { .. } | ErrorKind::Api { .. } => ("answers an error".into(), 0.9),
        ErrorKind::NotRecorded { .. } | ErrorKind::NotConfigured => {
            ("could not be checked".into(), 0.5)
        }
    };
    let mut f = Finding::new(
        DOWN,
        Severity::Critical,
        score,
        subject(c),
        format!("{} {what}", c.display),
    )
    .detail(format!("{}. {}.", e.one_line(), capitalize(&c.hint(e))))
    .evidence(evidence(c, probe, e.one_line(), at));
    if let Some((method, url, path)) = probe_parts(c, probe) {
        let key = if method == "POST" {
            "check-by-hand-post"
        } else {
            "check-by-hand"
        };
        f = f.remediation(remedy(
            DOWN,
            key,
            &[("component", c.display), ("url", url), ("path", path)],
        ));
    }
    match &e.kind {
        ErrorKind::Unreachable { .. } | ErrorKind::Timeout | ErrorKind::Status { .. } => {
            let behind = c.url.as_deref().unwrap_or(c.flag);
            f = f
                .remediation(c.workload.remedy(DOWN, "logs", &[]))
                .remediation(c.workload.remedy(DOWN, "restart", &[("behind", behind)]));
        }
        _ => {
            f = f.remediation(remedy(DOWN, "hint", &[("hint", &capitalize(&c.hint(e)))]));
        }
    }
    f
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Jaeger answered; with no service at all nothing reached its storage.
pub fn jaeger_services(c: &Component, services: &[String], probe: &str, at: &str) -> Outcome {
    if !services.is_empty() {
        return Outcome::ok(Vec::new());
    }
    let f = Finding::new(
        DEGRADED,
        Severity::Warning,
        0.7,
        subject(c),
        "Jaeger query lists no services",
    )
    .detail(
        "Jaeger answers, but its storage holds no span from any service: nothing reaches it, or \
         jaeger-query reads other indices or another storage than the collector writes.",
    )
    .evidence(evidence(c, probe, "0 services".into(), at))
    .remediation(remedy(DEGRADED, "collector-flow", &[]))
    .remediation(c.workload.remedy(DEGRADED, "storage-config", &[]));
    Outcome::ok(vec![f])
}

/// The OTLP receiver took an empty export; anything it rejected from nothing is a problem.
pub fn otlp(c: &Component, ack: &OtlpAck, probe: &str, at: &str) -> Outcome {
    if ack.rejected_spans == 0 && ack.error_message.is_none() {
        return Outcome::ok(Vec::new());
    }
    let msg = ack.error_message.clone().unwrap_or_default();
    let f = Finding::new(
        DEGRADED,
        Severity::Warning,
        0.7,
        subject(c),
        format!(
            "The Collector answers an empty export with a partial success{}",
            if msg.is_empty() {
                String::new()
            } else {
                format!(": {msg}")
            }
        ),
    )
    .detail(format!(
        "HTTP {}, partialSuccess.rejectedSpans = {}: a receiver that rejects part of nothing \
         rejects real data too.",
        ack.status, ack.rejected_spans
    ))
    .evidence(evidence(
        c,
        probe,
        format!("HTTP {}, rejected {}", ack.status, ack.rejected_spans),
        at,
    ))
    .remediation(c.workload.remedy(DEGRADED, "logs", &[]));
    Outcome::ok(vec![f])
}

/// The metrics endpoint answered; without span counters it says nothing about the pipeline.
pub fn collector_metrics(c: &Component, s: &Scrape, probe: &str, at: &str) -> Outcome {
    let mut notes = Vec::new();
    if s.truncated {
        notes.push(format!("only the first {} samples were read", s.samples));
    }
    if s.skipped_lines > 0 {
        notes.push(format!("{} malformed lines skipped", s.skipped_lines));
    }
    let mut findings = Vec::new();
    if s.snapshot.is_empty() {
        findings.push(
            Finding::new(
                DEGRADED,
                Severity::Warning,
                0.6,
                subject(c),
                "The Collector's metrics endpoint exposes no span counters",
            )
            .detail(format!(
                "{} samples read, none of them otelcol_receiver_*/otelcol_exporter_* span \
                 counters: the Collector's telemetry level is `none`, no traces pipeline has run \
                 yet, or the URL is not the Collector's own metrics (:8888).",
                s.samples
            ))
            .evidence(evidence(c, probe, format!("{} samples", s.samples), at))
            .remediation(remedy(DEGRADED, "telemetry-level", &[])),
        );
    }
    if notes.is_empty() {
        Outcome::ok(findings)
    } else {
        Outcome::warning(findings, notes.join("; "))
    }
}

/// Yellow: replicas unassigned (less redundancy). Red: primaries unassigned (writes to those
/// shards fail: spans are lost).
pub fn elasticsearch(c: &Component, h: &ClusterHealth, probe: &str, at: &str) -> Outcome {
    let value = format!(
        "{} ({} unassigned of {} active shards, {} data nodes)",
        match &h.status {
            EsHealth::Green => "green",
            EsHealth::Yellow => "yellow",
            EsHealth::Red => "red",
            EsHealth::Unknown(s) => s.as_str(),
        },
        h.unassigned_shards,
        h.active_shards,
        h.number_of_data_nodes
    );
    let f = match &h.status {
        EsHealth::Green => return Outcome::ok(Vec::new()),
        EsHealth::Yellow => {
            let mut f = Finding::new(
                DEGRADED,
                Severity::Warning,
                0.6,
                subject(c),
                format!(
                    "Elasticsearch cluster {:?} is yellow: {} replica shards unassigned",
                    h.cluster_name, h.unassigned_shards
                ),
            )
            .detail(
                "Every primary shard is allocated, so spans are written and read, but some \
                 replicas are not: one more node lost loses data.",
            )
            .evidence(evidence(c, probe, value, at))
            .remediation(with_url(c, DEGRADED, "explain-replicas"));
            if h.number_of_data_nodes == 1
                && let Some(u) = &c.url
            {
                f = f.remediation(remedy(DEGRADED, "zero-replicas", &[("url", u)]));
            }
            f
        }
        EsHealth::Red => Finding::new(
            "storage_unhealthy",
            Severity::Critical,
            0.9,
            subject(c),
            format!(
                "Elasticsearch cluster {:?} is red: primary shards unassigned",
                h.cluster_name
            ),
        )
        .detail(
            "Writes to indices with an unassigned primary fail: spans sent there are lost, and \
             searches over them are partial.",
        )
        .evidence(evidence(c, probe, value, at))
        .remediation(with_url(c, "storage_unhealthy", "red-indices"))
        .remediation(with_url(c, "storage_unhealthy", "explain-primaries")),
        EsHealth::Unknown(s) => Finding::new(
            DEGRADED,
            Severity::Warning,
            0.5,
            subject(c),
            format!("Elasticsearch reports an unknown health {s:?}"),
        )
        .evidence(evidence(c, probe, value, at)),
    };
    Outcome::ok(vec![f])
}

/// Grafana answers but cannot reach its database: dashboards and alerts do not load.
pub fn grafana(c: &Component, h: &Health, probe: &str, at: &str) -> Outcome {
    if h.database_ok() {
        return Outcome::ok(Vec::new());
    }
    let f = Finding::new(
        DOWN,
        Severity::Critical,
        0.9,
        subject(c),
        format!("Grafana's database is {:?}", h.database),
    )
    .detail(format!(
        "GET /api/health answered HTTP {} with database {:?}: Grafana cannot load dashboards \
         or save anything until its database (SQLite file, MySQL or PostgreSQL) is reachable.",
        h.http_status, h.database
    ))
    .evidence(evidence(
        c,
        probe,
        format!(
            "database {:?}, version {}",
            h.database,
            h.version.as_deref().unwrap_or("?")
        ),
        at,
    ))
    .remediation(c.workload.remedy(DOWN, "logs", &[]))
    .remediation(remedy(DOWN, "grafana-database", &[]));
    Outcome::ok(vec![f])
}

#[cfg(test)]
mod tests {
    use super::super::Workload;
    use super::*;
    use crate::error::Backend;
    use crate::model::collector::CollectorSnapshot;
    use crate::report::Safety;

    fn comp(url: Option<&str>) -> Component {
        Component {
            resource: "jaeger-query",
            display: "Jaeger query",
            backend: Backend::Jaeger,
            flag: Backend::Jaeger.flag(),
            url: url.map(String::from),
            workload: Workload {
                kind: "deployment",
                name: "jaeger-query".into(),
                namespace: Some("monitoring".into()),
            },
        }
    }

    const AT: &str = "2026-11-25T10:00:00Z";

    #[test]
    fn down_names_the_component_and_restarts_it() {
        let e = BackendError::new(
            Backend::Jaeger,
            "http://jaeger-query.monitoring:16686/api/services",
            ErrorKind::Unreachable {
                reason: "connection refused".into(),
            },
        );
        let f = down(
            &comp(Some("http://jaeger-query.monitoring:16686")),
            &e,
            "GET /api/services",
            AT,
        );
        assert_eq!(f.kind, "component_down");
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.subject.resource.as_deref(), Some("jaeger-query"));
        assert_eq!(f.title, "Jaeger query is unreachable");
        let cmds: Vec<_> = f
            .remediation
            .iter()
            .filter_map(|r| r.command.clone())
            .collect();
        assert!(cmds.contains(
            &"curl -sS -i 'http://jaeger-query.monitoring:16686/api/services'".to_string()
        ));
        assert!(cmds.contains(
            &"kubectl -n monitoring rollout restart deployment/jaeger-query".to_string()
        ));

        // Credentials: no restart, the hint instead.
        let e = BackendError::new(
            Backend::Jaeger,
            "http://j:16686/api/services",
            ErrorKind::Forbidden {
                code: 401,
                message: "".into(),
            },
        );
        let f = down(&comp(None), &e, "GET /api/services", AT);
        assert!(f.title.contains("credentials"), "{}", f.title);
        assert!(f.remediation.iter().all(|r| r.safety == Safety::AdviceOnly));
        assert!(f.remediation[0].title.contains("TRACECTL_JAEGER_TOKEN"));
    }

    #[test]
    fn empty_jaeger_is_degraded() {
        let c = comp(None);
        assert!(
            jaeger_services(&c, &["checkout".into()], "GET /api/services", AT)
                .findings
                .is_empty()
        );
        let o = jaeger_services(&c, &[], "GET /api/services", AT);
        assert_eq!(o.findings[0].kind, "component_degraded");
        assert_eq!(o.findings[0].severity, Severity::Warning);
    }

    #[test]
    fn otlp_partial_success_and_metrics_without_counters() {
        let c = comp(None);
        let ok = OtlpAck {
            status: 200,
            rejected_spans: 0,
            error_message: None,
        };
        assert_eq!(otlp(&c, &ok, "POST /v1/traces", AT), Outcome::ok(vec![]));
        let partial = OtlpAck {
            status: 200,
            rejected_spans: 0,
            error_message: Some("quota".into()),
        };
        assert!(
            otlp(&c, &partial, "POST /v1/traces", AT).findings[0]
                .title
                .ends_with(": quota")
        );

        let empty = Scrape {
            snapshot: CollectorSnapshot::default(),
            samples: 12,
            skipped_lines: 2,
            first_error: None,
            truncated: false,
        };
        let o = collector_metrics(&c, &empty, "GET /metrics", AT);
        assert_eq!(o.findings.len(), 1);
        assert!(
            matches!(o.status, super::super::Status::Warning(ref w) if w.contains("2 malformed"))
        );
    }

    fn es(status: EsHealth, nodes: u64) -> ClusterHealth {
        ClusterHealth {
            cluster_name: "jaeger".into(),
            status,
            timed_out: false,
            number_of_nodes: nodes,
            number_of_data_nodes: nodes,
            active_primary_shards: 10,
            active_shards: 10,
            relocating_shards: 0,
            initializing_shards: 0,
            unassigned_shards: 10,
            delayed_unassigned_shards: 0,
            number_of_pending_tasks: 0,
            task_max_waiting_in_queue_millis: 0,
            active_shards_percent: 50.0,
        }
    }

    #[test]
    fn elasticsearch_colours() {
        let c = comp(Some("http://elasticsearch.monitoring:9200"));
        assert!(
            elasticsearch(&c, &es(EsHealth::Green, 3), "GET /_cluster/health", AT)
                .findings
                .is_empty()
        );
        let y = elasticsearch(&c, &es(EsHealth::Yellow, 1), "GET /_cluster/health", AT);
        assert_eq!(y.findings[0].kind, "component_degraded");
        assert!(
            y.findings[0].remediation.iter().any(|r| r
                .command
                .as_deref()
                .is_some_and(|c| c.contains("number_of_replicas\":0"))),
            "single node: replicas to 0"
        );
        let y3 = elasticsearch(&c, &es(EsHealth::Yellow, 3), "GET /_cluster/health", AT);
        assert_eq!(y3.findings[0].remediation.len(), 1);
        let r = elasticsearch(&c, &es(EsHealth::Red, 3), "GET /_cluster/health", AT);
        assert_eq!(r.findings[0].kind, "storage_unhealthy");
        assert_eq!(r.findings[0].severity, Severity::Critical);
    }

    #[test]
    fn grafana_database() {
        let c = comp(None);
        let ok = Health {
            database: "ok".into(),
            version: Some("11.0.0".into()),
            commit: None,
            http_status: 200,
        };
        assert!(grafana(&c, &ok, "GET /api/health", AT).findings.is_empty());
        let bad = Health {
            database: "failing".into(),
            http_status: 503,
            ..ok
        };
        let o = grafana(&c, &bad, "GET /api/health", AT);
        assert_eq!(o.findings[0].kind, "component_down");
    }
}
