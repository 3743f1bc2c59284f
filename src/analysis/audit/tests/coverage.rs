use super::*;
use crate::analysis::audit::coverage::{detect, same_operation};
use crate::analysis::audit::{CallGraph, MetricEvidence, MetricRows};
use crate::model::trace::{DependencyLink, SpanKind};

fn metrics(services: &[&str], ops: &[(&str, &str)]) -> MetricEvidence {
    MetricEvidence {
        services: MetricRows {
            query: "services".into(),
            rows: services.iter().map(|s| (s.to_string(), 100.0)).collect(),
        },
        operations: MetricRows {
            query: "operations".into(),
            rows: ops
                .iter()
                .map(|(s, o)| ((s.to_string(), o.to_string()), 10.0))
                .collect(),
        },
        edges: MetricRows::default(),
    }
}

fn run(ev: &AuditEvidence) -> Vec<Issue> {
    let p = params();
    detect(ev, &CallGraph::build(ev, &p), &p)
}

#[test]
fn operation_names_match_routes() {
    assert!(same_operation("GET /orders/{id}", "/orders/{id}"));
    assert!(same_operation("GET /orders", "GET /orders"));
    assert!(!same_operation("GET /orders/{id}/items", "/orders/{id}"));
    assert!(!same_operation("GET x/orders", "/orders"));
}

#[test]
fn services_without_traces() {
    let mut ev = evidence(vec![trace("1", vec![good_server("a", None, "web", "/")])]);
    ev.jaeger_services = Some(vec!["web".into()]);
    ev.metrics = Some(metrics(&["web", "legacy"], &[]));
    ev.dependencies = Some(vec![DependencyLink {
        parent: "web".into(),
        child: "mainframe".into(),
        call_count: 3,
    }]);
    let issues = run(&ev);
    assert_eq!(
        kinds(&issues),
        vec![
            ("uninstrumented_service", Some("legacy")),
            ("uninstrumented_service", Some("mainframe"))
        ]
    );
    assert_eq!(
        issues[0].finding.evidence[0].value.as_deref(),
        Some("100 requests")
    );
}

#[test]
fn a_called_service_without_entry_spans() {
    let t = trace(
        "1",
        vec![
            good_server("a", None, "web", "/"),
            client("b", "a", "web", "GET /x", "backend"),
            span("c", Some("b"), "backend", "work", SpanKind::Internal),
        ],
    );
    let issues = run(&evidence(vec![t]));
    assert_eq!(
        kinds(&issues),
        vec![("missing_entry_points", Some("backend"))]
    );
    assert!(
        issues[0].finding.title.contains("although web calls it"),
        "{}",
        issues[0].finding.title
    );
}

#[test]
fn operations_counted_but_not_traced() {
    let mut ev = evidence(vec![trace(
        "1",
        vec![good_server("a", None, "web", "/orders")],
    )]);
    ev.metrics = Some(metrics(&["web"], &[("web", "/orders"), ("web", "/refund")]));
    ev.jaeger_operations
        .insert("web".into(), vec!["GET /orders".into()]);
    let issues = run(&ev);
    assert_eq!(
        kinds(&issues),
        vec![("uninstrumented_operation", Some("web"))]
    );
    assert_eq!(
        issues[0].finding.subject.operation.as_deref(),
        Some("/refund")
    );
    assert!((issues[0].prevalence - 0.5).abs() < 1e-9);
}
