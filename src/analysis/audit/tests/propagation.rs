use super::*;
use crate::analysis::audit::propagation::{baggage_bytes, detect};
use crate::analysis::audit::{CallGraph, SpanLoss};
use crate::model::trace::{DependencyLink, SpanKind};
use crate::report::Severity;

fn run(traces: Vec<Trace>, deps: &[(&str, &str)]) -> Vec<Issue> {
    run_with_loss(traces, deps, None)
}

fn run_with_loss(traces: Vec<Trace>, deps: &[(&str, &str)], loss: Option<SpanLoss>) -> Vec<Issue> {
    let mut ev = evidence(traces);
    ev.span_loss = loss;
    ev.dependencies = Some(
        deps.iter()
            .map(|(a, b)| DependencyLink {
                parent: a.to_string(),
                child: b.to_string(),
                call_count: 10,
            })
            .collect(),
    );
    let p = params();
    let g = CallGraph::build(&ev, &p);
    detect(&ev.traces, &g, ev.span_loss.as_ref(), &p)
}

/// frontend → inventory, context kept.
fn connected(id: &str) -> Trace {
    trace(
        id,
        vec![
            good_server(&format!("{id}a"), None, "frontend", "/"),
            client(
                &format!("{id}b"),
                &format!("{id}a"),
                "frontend",
                "GET /stock",
                "inventory",
            ),
            good_server(
                &format!("{id}c"),
                Some(&format!("{id}b")),
                "inventory",
                "/stock",
            ),
        ],
    )
}

/// frontend calls inventory, which starts a trace of its own.
fn split(id: &str) -> [Trace; 2] {
    [
        trace(
            &format!("{id}-1"),
            vec![
                good_server(&format!("{id}a"), None, "frontend", "/"),
                client(
                    &format!("{id}b"),
                    &format!("{id}a"),
                    "frontend",
                    "GET /stock",
                    "inventory",
                ),
            ],
        ),
        trace(
            &format!("{id}-2"),
            vec![good_server(&format!("{id}c"), None, "inventory", "/stock")],
        ),
    ]
}

#[test]
fn connected_calls_and_entry_services_are_fine() {
    assert!(
        run(
            vec![connected("x"), connected("y")],
            &[("frontend", "inventory")]
        )
        .is_empty()
    );
}

#[test]
fn a_new_root_in_the_callee_names_the_hop() {
    let mut traces: Vec<Trace> = split("s").into();
    traces.push(connected("c"));
    let issues = run(traces, &[]);
    assert_eq!(
        kinds(&issues),
        vec![("broken_propagation", Some("frontend"))]
    );
    let f = &issues[0].finding;
    assert_eq!(f.subject.dependency.as_deref(), Some("inventory"));
    assert_eq!(
        f.title,
        "trace context lost on frontend → inventory: 1 of 2 calls"
    );
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(issues[0].charged, vec!["frontend", "inventory"]);
    assert!(
        f.detail
            .contains("1 inventory requests started a new trace although frontend calls inventory")
    );
    assert!(
        f.detail
            .contains("1 client spans of frontend to inventory have no child span")
    );
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some(
            "kubectl set env deployment/frontend deployment/inventory OTEL_PROPAGATORS=tracecontext,baggage -n shop"
        )
    );
}

fn loss(lost: f64, offered: f64) -> Option<SpanLoss> {
    Some(SpanLoss {
        lost,
        offered,
        query: "lost / offered".into(),
    })
}

/// Issue 20: an exporter failing 42% of the time breaks half the hops; that is data loss.
#[test]
fn fragments_that_measured_span_loss_explains_are_data_loss_not_propagation() {
    let mut traces: Vec<Trace> = split("s").into();
    traces.push(connected("c"));
    let issues = run_with_loss(traces.clone(), &[], loss(420.0, 1000.0));
    assert_eq!(
        kinds(&issues),
        vec![("span_loss_fragments", Some("frontend"))]
    );
    let f = &issues[0].finding;
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.subject.dependency.as_deref(), Some("inventory"));
    assert!(
        f.title.contains("explained by span loss (42%"),
        "{}",
        f.title
    );
    assert!(
        issues[0].charged.is_empty(),
        "no service's instrumentation is at fault"
    );
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some("tracectl investigate data-loss")
    );
    assert_eq!(f.evidence[0].query.as_deref(), Some("lost / offered"));

    // A little loss does not explain half the calls broken: still propagation.
    let issues = run_with_loss(traces.clone(), &[], loss(20.0, 1000.0));
    assert_eq!(
        kinds(&issues),
        vec![("broken_propagation", Some("frontend"))]
    );
    // Below span_loss_min_ratio, or nothing offered: no loss to speak of.
    let issues = run_with_loss(traces.clone(), &[], loss(5.0, 1000.0));
    assert_eq!(issues[0].finding.kind, "broken_propagation");
    let issues = run_with_loss(traces, &[], loss(5.0, 0.0));
    assert_eq!(issues[0].finding.kind, "broken_propagation");
}

#[test]
fn a_second_root_inside_a_trace() {
    let t = trace(
        "t",
        vec![
            good_server("a", None, "frontend", "/"),
            client("b", "a", "frontend", "GET /stock", "inventory"),
            good_server("c", None, "inventory", "/stock"),
        ],
    );
    let issues = run(vec![t], &[]);
    assert_eq!(issues.len(), 1);
    assert!(
        issues[0]
            .finding
            .detail
            .contains("1 spans of inventory are a second root inside a trace")
    );
    assert_eq!(
        issues[0].finding.subject.dependency.as_deref(),
        Some("inventory")
    );
}

#[test]
fn orphans_whose_caller_is_in_the_trace_are_broken_hops() {
    let t = trace(
        "t",
        vec![
            good_server("a", None, "frontend", "/"),
            good_server("c", Some("gone"), "inventory", "/stock"),
        ],
    );
    let issues = run(vec![t], &[("frontend", "inventory")]);
    let f = &of_kind(&issues, "broken_propagation")[0].finding;
    assert!(
        f.detail
            .contains("1 spans of inventory name a parent span that never arrived"),
        "{}",
        f.detail
    );
}

#[test]
fn an_internal_orphan_is_lost_inside_the_service() {
    let t = trace(
        "t",
        vec![
            good_server("a", None, "worker", "/job"),
            span("b", Some("gone"), "worker", "step", SpanKind::Internal),
        ],
    );
    let issues = run(vec![t], &[]);
    assert_eq!(
        issues[0].finding.title,
        "trace context lost inside worker: 1 spans start a fragment"
    );
}

#[test]
fn a_callee_recording_what_its_callers_dropped_is_inconsistent_sampling() {
    let t = trace(
        "t",
        vec![good_server("c", Some("unsampled"), "inventory", "/stock")],
    );
    let issues = run(vec![t], &[("frontend", "inventory")]);
    assert_eq!(
        kinds(&issues),
        vec![("sampling_inconsistent", Some("inventory"))]
    );
    assert_eq!(
        issues[0].finding.remediation[0].command.as_deref(),
        Some(
            "kubectl set env deployment/inventory OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 -n shop"
        )
    );
}

#[test]
fn large_baggage() {
    let big = "x".repeat(1100);
    let s = with(
        good_server("a", None, "web", "/"),
        &[("baggage.cart", &big)],
    );
    assert_eq!(baggage_bytes(&s), 4 + 1100);
    let mut logged = good_server("b", None, "web", "/");
    logged
        .events
        .push(event("baggage", &[("key", "k"), ("value", "v")]));
    assert_eq!(baggage_bytes(&logged), 2);
    let issues = run(vec![trace("t", vec![s]), trace("u", vec![logged])], &[]);
    assert_eq!(kinds(&issues), vec![("baggage_too_large", Some("web"))]);
    assert!((issues[0].prevalence - 0.5).abs() < 1e-9);
}
