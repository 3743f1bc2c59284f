//! Unit tests of the error analysis on hand-made evidence: origins relative to the service
//! (several per trace, propagated from downstream, seen only from the client side), pod health,
//! and the ranking rules of the issue (a downstream origin over the upstream symptom, a change at
//! the onset over the bare ratio, an OOM kill over memory pressure).

use super::*;
use crate::model::trace::{Span, SpanKind, Trace};

const NOW: f64 = 1_795_600_800.0;

fn params() -> ErrorParams {
    ErrorParams {
        service_ratio: 0.05,
        dependency_ratio: 0.1,
        type_growth: 2.0,
        type_min_share: 0.05,
        throttling_ratio: 0.25,
        memory_ratio: 0.9,
        fd_ratio: 0.8,
        change_window_seconds: 1800.0,
        log_min_lines: 3.0,
    }
}

fn base(ratio: f64) -> ErrorEvidence {
    ErrorEvidence {
        service: "checkout".into(),
        namespace: "shop".into(),
        service_query: "ratio".into(),
        error_ratio: Some(ratio),
        now: NOW,
        lookback: 3600.0,
        ..Default::default()
    }
}

fn ranked(ev: &ErrorEvidence) -> Vec<Finding> {
    crate::report::rank(analyze(ev, &params()))
}

fn top(ev: &ErrorEvidence) -> Finding {
    ranked(ev).remove(0)
}

fn span(id: &str, parent: Option<&str>, service: &str, op: &str) -> Span {
    Span {
        span_id: id.into(),
        parent_id: parent.map(Into::into),
        service: service.into(),
        operation: op.into(),
        duration_us: 10,
        ..Span::default()
    }
}

fn err(mut s: Span) -> Span {
    s.error = true;
    s
}

fn trace(id: &str, spans: Vec<Span>) -> Trace {
    Trace {
        trace_id: id.into(),
        spans,
        ..Trace::default()
    }
}

/// frontend → checkout → payment, the error starting in payment's charge.
fn propagated(id: &str) -> Trace {
    let mut p = err(span("p", Some("c1"), "payment", "POST /charge"));
    p.status_message = Some("card processor unavailable".into());
    trace(
        id,
        vec![
            err(span("r", None, "frontend", "GET /checkout")),
            err(span("c", Some("r"), "checkout", "POST /orders")),
            err(span("c1", Some("c"), "checkout", "POST /charge")),
            p,
            span("d", Some("p"), "postgres", "INSERT"),
        ],
    )
}

// ---------------------------------------------------------------------------
// Origins
// ---------------------------------------------------------------------------

#[test]
fn origins_are_judged_from_the_investigated_service_not_the_root() {
    let found = origins_for("checkout", &[propagated("t1"), propagated("t2")]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let o = &found[0];
    assert_eq!(
        (o.service.as_str(), o.operation.as_str(), o.relation),
        ("payment", "POST /charge", Relation::Downstream)
    );
    assert_eq!((o.traces, o.spans), (2, 2));
    assert_eq!(o.examples, ["t1", "t2"]);
    assert_eq!(o.message.as_deref(), Some("card processor unavailable"));
    // From payment's own point of view the same errors are its own.
    let own = origins_for("payment", &[propagated("t1")]);
    assert_eq!(own[0].relation, Relation::Own);
    // And from frontend's, they are downstream too.
    assert_eq!(
        origins_for("frontend", &[propagated("t1")])[0].relation,
        Relation::Downstream
    );
}

#[test]
fn a_trace_with_several_origins_counts_each() {
    // checkout fails validating one item by itself, and inventory fails reserving another;
    // recommendations (called by frontend, not by checkout) fails on its own branch.
    let t = trace(
        "t1",
        vec![
            err(span("r", None, "frontend", "GET /checkout")),
            err(span("c", Some("r"), "checkout", "POST /orders")),
            err(span("v", Some("c"), "checkout", "validate")),
            err(span("i", Some("c"), "inventory", "reserve")),
            err(span("x", Some("r"), "recommendations", "GET /recs")),
        ],
    );
    let found = origins_for("checkout", std::slice::from_ref(&t));
    let got: Vec<(&str, &str, Relation)> = found
        .iter()
        .map(|o| (o.service.as_str(), o.operation.as_str(), o.relation))
        .collect();
    assert_eq!(
        got,
        [
            ("checkout", "validate", Relation::Own),
            ("inventory", "reserve", Relation::Downstream),
            ("recommendations", "GET /recs", Relation::Elsewhere),
        ]
    );
    assert!(found.iter().all(|o| o.traces == 1 && o.spans == 1));
}

#[test]
fn a_failed_call_to_a_silent_peer_is_downstream() {
    // payment is down: checkout's client span fails, payment recorded nothing.
    let mut call = err(span("c1", Some("c"), "checkout", "POST /charge"));
    call.kind = SpanKind::Client;
    call.tags = vec![("peer.service".into(), "payment".into())];
    call.status_message = Some("connection refused".into());
    let t = trace(
        "t1",
        vec![err(span("c", None, "checkout", "POST /orders")), call],
    );
    let found = origins_for("checkout", &[t]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].service, "payment");
    assert_eq!(found[0].relation, Relation::Downstream);
    assert!(found[0].via_client);
}

/// Issue 19: the errors step searches keeping only [`ORIGIN_TAGS`]. Decoded that way, a failed
/// call to a silent peer is still blamed on the peer, as with every tag; decoded with none it
/// would be blamed on the caller, so a policy that dropped the peer tags fails here.
#[test]
fn the_errors_searchs_tag_policy_keeps_what_origins_read() {
    use crate::backends::jaeger::decode_traces_keeping;
    use crate::model::trace::TagPolicy;
    let body = br#"{"data":[{"traceID":"1","spans":[
      {"spanID":"1","operationName":"POST /orders","processID":"p1","startTime":1,"duration":9,
       "tags":[{"key":"span.kind","type":"string","value":"server"},
        {"key":"error","type":"bool","value":true},
        {"key":"http.route","type":"string","value":"/orders"}]},
      {"spanID":"2","operationName":"POST /charge","processID":"p1","startTime":2,"duration":5,
       "references":[{"refType":"CHILD_OF","traceID":"1","spanID":"1"}],
       "tags":[{"key":"span.kind","type":"string","value":"client"},
        {"key":"error","type":"bool","value":true},
        {"key":"http.method","type":"string","value":"POST"},
        {"key":"peer.service","type":"string","value":"payment"}]}],
      "processes":{"p1":{"serviceName":"checkout","tags":[]}}}]}"#;
    let origins = |tags| origins_for("checkout", &decode_traces_keeping(body, tags).unwrap());
    let kept = origins(ORIGIN_TAGS);
    assert_eq!(kept, origins(TagPolicy::All));
    assert_eq!(
        (
            kept[0].service.as_str(),
            kept[0].relation,
            kept[0].via_client
        ),
        ("payment", Relation::Downstream, true)
    );
    let blind = origins(TagPolicy::None);
    assert_eq!(
        (blind[0].service.as_str(), blind[0].relation),
        ("checkout", Relation::Own)
    );
}

#[test]
fn origins_survive_broken_traces() {
    // A cycle and an orphan: the walk up is bounded, nothing panics.
    let t = trace(
        "t1",
        vec![
            err(span("a", Some("b"), "x", "a")),
            err(span("b", Some("a"), "y", "b")),
            err(span("o", Some("missing"), "z", "orphan")),
        ],
    );
    let _ = origins_for("checkout", &[t, trace("empty", vec![])]);
}

// ---------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------

fn trace_errors(service: &str, traces: &[Trace]) -> TraceErrors {
    TraceErrors {
        source: "jaeger".into(),
        query: "GET /api/traces?service=checkout&tags={\"error\":\"true\"}".into(),
        count: traces.len(),
        origins: origins_for(service, traces),
        links: traces
            .iter()
            .map(|t| {
                (
                    t.trace_id.clone(),
                    format!("http://jaeger/trace/{}", t.trace_id),
                )
            })
            .collect(),
    }
}

#[test]
fn an_origin_downstream_outranks_the_symptom_upstream() {
    let mut ev = base(0.3);
    let traces: Vec<Trace> = (0..5).map(|i| propagated(&format!("t{i}"))).collect();
    ev.traces = Some(trace_errors("checkout", &traces));
    ev.dependencies = Some(RatioList {
        query: "deps".into(),
        items: vec![("payment".into(), 0.4), ("postgres".into(), 0.0)],
    });
    let all = ranked(&ev);
    let f = &all[0];
    assert_eq!(f.kind, "error_origin", "{all:#?}");
    assert_eq!(f.subject.dependency.as_deref(), Some("payment"));
    assert_eq!(
        f.subject.operation, None,
        "POST /charge is payment's, not checkout's"
    );
    assert!(
        f.title.ends_with("start in payment POST /charge"),
        "{}",
        f.title
    );
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.evidence.iter().all(|e| e.link.is_some()));
    assert_eq!(f.evidence.len(), 3, "three example traces");
    let kinds: Vec<&str> = all.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["error_origin", "dependency_errors", "high_error_rate"]
    );
    assert!(all[1].detail.contains("traces agree"), "{}", all[1].detail);
}

#[test]
fn the_services_own_errors_are_told_apart_from_propagated_ones() {
    let mut ev = base(0.2);
    let own = trace(
        "t1",
        vec![
            err(span("c", None, "checkout", "POST /orders")),
            err(span("v", Some("c"), "checkout", "validate cart")),
            span("p", Some("c"), "payment", "POST /charge"),
        ],
    );
    ev.traces = Some(trace_errors("checkout", &[own]));
    let f = top(&ev);
    assert_eq!(f.kind, "error_origin");
    assert_eq!(f.subject.dependency, None);
    assert_eq!(f.subject.operation.as_deref(), Some("validate cart"));
    assert!(f.title.contains("its own"), "{}", f.title);
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some("http://jaeger/trace/t1")
    );
}

#[test]
fn failing_dependency_without_traces_outranks_the_ratio() {
    let mut ev = base(0.3);
    ev.dependencies = Some(RatioList {
        query: "deps".into(),
        items: vec![("payment".into(), 0.45), ("redis".into(), 0.02)],
    });
    let all = ranked(&ev);
    assert_eq!(all[0].kind, "dependency_errors");
    assert_eq!(all[0].subject.dependency.as_deref(), Some("payment"));
    assert!(
        !all.iter()
            .any(|f| f.subject.dependency.as_deref() == Some("redis"))
    );
    assert!(
        all[0]
            .remediation
            .iter()
            .any(|r| r.title.contains("circuit breaker")),
        "{:#?}",
        all[0].remediation
    );
}

fn onset() -> Shift {
    Shift {
        at: NOW - 1200.0,
        before: 0.002,
        after: 0.3,
    }
}

#[test]
fn a_rollout_at_the_onset_outranks_the_error_rate_with_its_undo() {
    let mut ev = base(0.3);
    ev.onset = Some(onset());
    ev.types = Some(ErrorTypes {
        query: "types".into(),
        now: vec![("null_pointer".into(), 3.0)],
        baseline: Some(TypeBaseline {
            offset: "1d".into(),
            query: "types offset 1d".into(),
            items: vec![],
        }),
    });
    ev.changes = Some(ChangeEvidence {
        deployments: vec![DeploymentHistory {
            name: "checkout".into(),
            role: "checkout".into(),
            replicas: Some(3),
            containers: vec!["checkout".into()],
            revisions: vec![
                Revision {
                    revision: 6,
                    created: NOW - 86_400.0,
                    ..Default::default()
                },
                Revision {
                    revision: 7,
                    created: NOW - 1380.0,
                    ..Default::default()
                },
            ],
            ..Default::default()
        }],
        ..Default::default()
    });
    let all = ranked(&ev);
    assert_eq!(all[0].kind, "recent_deployment", "{all:#?}");
    assert_eq!(
        all[0].remediation[0].command.as_deref(),
        Some("kubectl rollout undo deployment/checkout --to-revision=6 -n shop")
    );
    assert!(
        all[0].title.contains("error ratio rose from 0.2% to 30%"),
        "{}",
        all[0].title
    );
    assert_eq!(
        all[1].kind, "error_type_spike",
        "the new type describes what broke"
    );
}

#[test]
fn a_config_change_at_the_onset_outranks_the_error_rate() {
    let mut ev = base(0.3);
    ev.onset = Some(onset());
    ev.changes = Some(ChangeEvidence {
        config_maps: vec![("checkout-config".into(), NOW - 1500.0)],
        ..Default::default()
    });
    let f = top(&ev);
    assert_eq!(f.kind, "config_change");
    assert_eq!(
        f.subject.resource.as_deref(),
        Some("configmap/checkout-config")
    );
}

#[test]
fn new_and_grown_error_types_against_the_baseline() {
    let mut ev = base(0.2);
    ev.types = Some(ErrorTypes {
        query: "types".into(),
        now: vec![
            ("timeout".into(), 6.0),
            ("validation".into(), 2.0),
            ("not_found".into(), 1.0),
            ("rare".into(), 0.1),
        ],
        baseline: Some(TypeBaseline {
            offset: "1d".into(),
            query: "types offset 1d".into(),
            items: vec![("validation".into(), 0.5), ("not_found".into(), 0.9)],
        }),
    });
    let all = ranked(&ev);
    let spikes: Vec<&Finding> = all
        .iter()
        .filter(|f| f.kind == "error_type_spike")
        .collect();
    assert_eq!(spikes.len(), 2, "{all:#?}");
    assert!(
        spikes[0]
            .title
            .starts_with("new error type timeout since 1d ago"),
        "{}",
        spikes[0].title
    );
    assert!(
        spikes[1]
            .title
            .starts_with("error type validation grew 4.0×"),
        "{}",
        spikes[1].title
    );
    assert_eq!(all[0].kind, "error_type_spike");
    // Without a baseline (no traffic a day or a week ago), nothing is "new".
    ev.types.as_mut().unwrap().baseline = None;
    assert!(
        !analyze(&ev, &params())
            .iter()
            .any(|f| f.kind == "error_type_spike")
    );
}

fn oom_pod(restarts: i32, crash: bool) -> PodHealthEvidence {
    PodHealthEvidence {
        selector: "app=checkout".into(),
        pods: vec![PodHealth {
            name: "checkout-7d9f-abc".into(),
            containers: vec![ContainerHealth {
                name: "checkout".into(),
                restarts,
                waiting_reason: crash.then(|| "CrashLoopBackOff".to_string()),
                last_reason: Some("OOMKilled".into()),
                last_exit_code: Some(137),
                last_finished: Some(NOW - 300.0),
                memory_limit: Some("512Mi".into()),
            }],
        }],
        events: vec![],
    }
}

#[test]
fn an_oom_kill_outranks_memory_pressure_with_the_limit_to_raise_to() {
    let mut ev = base(0.25);
    ev.pods = Some(oom_pod(5, true));
    let mut r = ResourceEvidence::default();
    r.ratios
        .insert("memory".into(), vec![("checkout-7d9f-abc".into(), 1.0)]);
    r.memory_bytes = vec![("checkout-7d9f-abc".into(), 511.0 * 1_048_576.0)];
    ev.resources = Some(r);
    let all = ranked(&ev);
    let f = &all[0];
    assert_eq!(f.kind, "oom_killed", "{all:#?}");
    assert_eq!(f.subject.pod.as_deref(), Some("checkout-7d9f-abc"));
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some("kubectl set resources deployment/checkout -c checkout --limits=memory=768Mi -n shop")
    );
    assert!(f.title.contains("CrashLoopBackOff"), "{}", f.title);
    assert!(
        all.iter().any(|f| f.kind == "memory_pressure"),
        "memory pressure stays, ranked below"
    );
    assert!(
        !all.iter().any(|f| f.kind == "crash_loop"),
        "one finding per container"
    );
}

#[test]
fn old_terminations_are_not_this_incident() {
    let mut ev = base(0.25);
    let mut pods = oom_pod(1, false);
    pods.pods[0].containers[0].last_finished = Some(NOW - 3.0 * 86_400.0);
    ev.pods = Some(pods);
    assert!(
        analyze(&ev, &params())
            .iter()
            .all(|f| f.kind != "oom_killed")
    );
}

#[test]
fn crash_loops_probes_and_evictions() {
    let mut ev = base(0.2);
    ev.pods = Some(PodHealthEvidence {
        selector: "app=checkout".into(),
        pods: vec![PodHealth {
            name: "checkout-a".into(),
            containers: vec![ContainerHealth {
                name: "checkout".into(),
                restarts: 7,
                waiting_reason: Some("CrashLoopBackOff".into()),
                last_reason: Some("Error".into()),
                last_exit_code: Some(1),
                last_finished: Some(NOW - 60.0),
                memory_limit: None,
            }],
        }],
        events: vec![
            PodEvent {
                object: "checkout-a".into(),
                reason: "Unhealthy".into(),
                message: "Liveness probe failed: HTTP probe failed with statuscode: 500".into(),
                count: 12,
                last_seen: NOW - 100.0,
            },
            PodEvent {
                object: "checkout-b".into(),
                reason: "Unhealthy".into(),
                message: "Readiness probe failed: Get \"http://10.0.0.5:8080/ready\": context deadline exceeded".into(),
                count: 4,
                last_seen: NOW - 200.0,
            },
            PodEvent {
                object: "checkout-c".into(),
                reason: "Evicted".into(),
                message: "The node was low on resource: memory.".into(),
                count: 1,
                last_seen: NOW - 900.0,
            },
            PodEvent {
                object: "checkout-d".into(),
                reason: "Evicted".into(),
                message: "long ago".into(),
                count: 1,
                last_seen: NOW - 90_000.0,
            },
        ],
    });
    let all = ranked(&ev);
    assert_eq!(all[0].kind, "crash_loop", "{all:#?}");
    assert!(
        all[0].detail.contains("liveness probe failed 12 times"),
        "{}",
        all[0].detail
    );
    assert_eq!(
        all[0].remediation[0].command.as_deref(),
        Some("kubectl logs checkout-a -c checkout --previous -n shop")
    );
    let kinds: Vec<&str> = all.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "probe_failure").count(),
        2,
        "{kinds:?}"
    );
    let evicted: Vec<&Finding> = all.iter().filter(|f| f.kind == "pod_evicted").collect();
    assert_eq!(evicted.len(), 1, "the old eviction is outside the lookback");
    assert_eq!(evicted[0].subject.resource.as_deref(), Some("memory"));
}

#[test]
fn fd_exhaustion_outranks_the_errors_it_causes() {
    let mut ev = base(0.3);
    let mut r = ResourceEvidence::default();
    r.queries.insert("fds".into(), "fds".into());
    r.ratios
        .insert("fds".into(), vec![("checkout-a".into(), 0.99)]);
    ev.resources = Some(r);
    let own = trace("t1", vec![err(span("c", None, "checkout", "POST /orders"))]);
    ev.traces = Some(trace_errors("checkout", &[own]));
    let f = top(&ev);
    assert_eq!(f.kind, "fd_exhaustion");
    assert_eq!(f.subject.resource.as_deref(), Some("file-descriptors"));
}

#[test]
fn log_templates_become_findings_with_a_grep_for_them() {
    let mut ev = base(0.2);
    let text: String = (0..6)
        .map(|i| {
            format!(
                "2026-11-25T09:5{i}:00Z ERROR charge failed for order {i}00: dial tcp 10.0.0.{i}:443: connection refused\n"
            )
        })
        .chain(["2026-11-25T09:59:00Z ERROR once only\n".to_string()])
        .collect();
    ev.logs = Some(LogEvidence {
        query: "GET pods/{pod}/log".into(),
        selector: "app=checkout".into(),
        pods_total: 1,
        summary: crate::analysis::logs::summarize(&[("checkout-a".into(), text)], 10),
    });
    let all = ranked(&ev);
    let logs: Vec<&Finding> = all
        .iter()
        .filter(|f| f.kind == "log_error_pattern")
        .collect();
    assert_eq!(
        logs.len(),
        1,
        "the one-off line is under log_min_lines: {all:#?}"
    );
    let f = logs[0];
    assert_eq!(f.subject.pod.as_deref(), Some("checkout-a"));
    assert!(
        f.title
            .contains("charge failed for order <num>: dial tcp <ip>: connection refused"),
        "{}",
        f.title
    );
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some(
            "kubectl logs -l app=checkout -n shop --since=1h --prefix | grep -F 'ERROR charge failed for order'"
        )
    );
    assert!(
        f.detail.contains("Other templates: 1× ERROR once only"),
        "{}",
        f.detail
    );
}

#[test]
fn a_healthy_service_has_no_critical_finding() {
    let mut ev = base(0.004);
    ev.dependencies = Some(RatioList {
        query: "deps".into(),
        items: vec![("payment".into(), 0.01)],
    });
    ev.pods = Some(oom_pod(1, false));
    let all = ranked(&ev);
    assert!(
        all.iter().all(|f| f.severity < Severity::Critical),
        "{all:#?}"
    );
    assert!(!all.iter().any(|f| f.kind == "high_error_rate"));
    // The OOM kill is still reported, as context.
    assert!(all.iter().any(|f| f.kind == "oom_killed" && f.score < 0.5));
    // The few errors there are, described, are not a warning.
    let mut ev = base(0.004);
    ev.traces = Some(trace_errors("checkout", &[propagated("t1")]));
    let all = ranked(&ev);
    assert_eq!(all[0].kind, "error_origin");
    assert_eq!(all[0].severity, Severity::Info);
}

#[test]
fn triage_reports_the_other_services_over_the_threshold() {
    let mut ev = base(0.4);
    ev.others = Some(RatioList {
        query: "top".into(),
        items: vec![
            ("checkout".into(), 0.4),
            ("search".into(), 0.08),
            ("frontend".into(), 0.01),
        ],
    });
    let all = ranked(&ev);
    assert_eq!(all[0].subject.service.as_deref(), Some("checkout"));
    let others: Vec<&str> = all
        .iter()
        .filter(|f| f.subject.service.as_deref() != Some("checkout"))
        .map(|f| f.subject.service.as_deref().unwrap())
        .collect();
    assert_eq!(others, ["search"]);
}

#[test]
fn scores_are_in_the_unit_interval() {
    let mut ev = base(1.0);
    ev.onset = Some(onset());
    ev.dependencies = Some(RatioList {
        query: "d".into(),
        items: vec![("payment".into(), 1.0)],
    });
    let traces: Vec<Trace> = (0..3).map(|i| propagated(&format!("t{i}"))).collect();
    ev.traces = Some(trace_errors("checkout", &traces));
    ev.pods = Some(oom_pod(50, true));
    for f in analyze(&ev, &params()) {
        assert!((0.0..=1.0).contains(&f.score), "{}: {}", f.kind, f.score);
    }
}

#[test]
fn quantities_parse_as_bytes() {
    assert_eq!(parse_quantity("512Mi"), Some(536_870_912.0));
    assert_eq!(parse_quantity("1.5Gi"), Some(1_610_612_736.0));
    assert_eq!(parse_quantity("500M"), Some(500e6));
    assert_eq!(parse_quantity("128974848"), Some(128_974_848.0));
    assert_eq!(parse_quantity("lots"), None);
    assert_eq!(parse_quantity("5Zi"), None);
}

#[test]
fn ratios_are_shown_with_a_decimal_when_small() {
    assert_eq!(ratio_pct(0.004), "0.4%");
    assert_eq!(ratio_pct(0.25), "25%");
}
