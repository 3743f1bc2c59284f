use super::*;
use crate::analysis::audit::attributes::{detect, missing, undescribed_error};
use crate::model::trace::SpanKind;
use crate::report::Severity;

#[test]
fn http_server_needs_method_route_and_status() {
    assert!(missing(&good_server("a", None, "s", "/x")).is_empty());
    let old_names = with(
        server("a", None, "s", "GET /x"),
        &[
            ("http.method", "GET"),
            ("http.target", "/x?y=1"),
            ("http.status_code", "200"),
        ],
    );
    assert!(missing(&old_names).is_empty(), "old semconv names count");
    let no_route = with(
        server("a", None, "s", "GET"),
        &[
            ("http.request.method", "GET"),
            ("http.response.status_code", "200"),
        ],
    );
    assert_eq!(missing(&no_route), vec!["http.route"]);
}

#[test]
fn a_failed_client_call_needs_no_status() {
    let mut s = with(
        span("a", None, "s", "GET", SpanKind::Client),
        &[("http.request.method", "GET"), ("url.full", "http://x/y")],
    );
    assert_eq!(missing(&s), vec!["http.response.status_code"]);
    s.error = true;
    assert!(missing(&s).is_empty());
}

#[test]
fn database_and_messaging() {
    let db = with(
        span("a", None, "s", "SELECT", SpanKind::Client),
        &[("db.system", "postgresql")],
    );
    assert_eq!(missing(&db), vec!["db.operation.name"]);
    let db = with(db, &[("db.statement", "SELECT 1")]);
    assert!(missing(&db).is_empty());
    let producer = span("a", None, "s", "publish", SpanKind::Producer);
    assert_eq!(
        missing(&producer),
        vec!["messaging.system", "messaging.destination.name"]
    );
    let internal = span("a", None, "s", "compute", SpanKind::Internal);
    assert!(missing(&internal).is_empty(), "no convention applies");
}

#[test]
fn errors_need_a_description_or_an_exception_event() {
    let mut s = good_server("a", None, "s", "/x");
    s.error = true;
    assert!(undescribed_error(&s));
    s.events
        .push(event("exception", &[("exception.type", "IOError")]));
    assert!(!undescribed_error(&s));
    let mut d = good_server("a", None, "s", "/x");
    d.error = true;
    d.status_message = Some("timeout".into());
    assert!(!undescribed_error(&d));
}

#[test]
fn one_finding_per_service_and_category_with_counts() {
    let mut bad = with(
        server("b", None, "api", "GET"),
        &[("http.request.method", "GET")],
    );
    bad.error = true;
    let traces = vec![
        trace("1", vec![good_server("a", None, "api", "/x")]),
        trace("2", vec![bad]),
    ];
    let issues = detect(&traces, &params());
    let m = of_kind(&issues, "missing_attribute");
    assert_eq!(m.len(), 2, "{:?}", kinds(&issues));
    let http = &m[0].finding;
    assert_eq!(http.subject.resource.as_deref(), Some("http.route"));
    assert_eq!(
        http.title,
        "api: HTTP server spans lack http.route (1 of 2)"
    );
    assert!((m[0].prevalence - 0.5).abs() < 1e-9);
    let err = &m[1].finding;
    assert_eq!(
        err.subject.resource.as_deref(),
        Some("otel.status_description")
    );
    assert!(err.title.contains("1 of 1 error spans"));
}

#[test]
fn unknown_service_is_critical_and_named_from_the_deployment() {
    let mut t = trace(
        "1",
        vec![server("a", None, "unknown_service:java", "GET /x")],
    );
    t.resources[0]
        .tags
        .push(("k8s.deployment.name".into(), "billing".into()));
    let issues = detect(&[t], &params());
    let m: Vec<_> = of_kind(&issues, "missing_attribute")
        .into_iter()
        .filter(|i| i.finding.subject.resource.as_deref() == Some("service.name"))
        .collect();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].finding.severity, Severity::Critical);
    assert_eq!(
        m[0].finding.remediation[0].command.as_deref(),
        Some("kubectl set env deployment/billing OTEL_SERVICE_NAME=billing -n shop")
    );
}
