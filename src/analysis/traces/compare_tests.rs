//! Hand-made call chains for the trace comparison: a slow callee deep down, a service present
//! everywhere and unchanged, a delay between a caller and its callee, one-window modes, order
//! independence, agreement with the graph walk, and a property test on arbitrary small traces.

use proptest::prelude::*;

use super::*;
use crate::analysis::localize::{Axis, Candidate, Hop, Localization, Locus};
use crate::model::trace::{Span, SpanKind, Trace};

fn span(
    id: String,
    parent: Option<String>,
    service: &str,
    kind: SpanKind,
    start: i64,
    dur: i64,
) -> Span {
    Span {
        span_id: id.as_str().into(),
        parent_id: parent.as_deref().map(Into::into),
        service: service.into(),
        operation: format!("{service}-op").into(),
        start_us: start,
        duration_us: dur,
        kind,
        ..Span::default()
    }
}

/// One request down a chain of services: each does `own` µs of its own work (half before its
/// call, half after), then calls the next through a client span that adds `gap` µs around the
/// callee's server span (the network). `gaps[k]` is the gap in front of service `k + 1`.
/// `errors_at`: that service fails, and every span above it with it.
fn chain(id: &str, hops: &[(&str, i64)], gaps: &[i64], errors_at: Option<usize>) -> Trace {
    let n = hops.len();
    let mut dur = vec![0i64; n];
    dur[n - 1] = hops[n - 1].1;
    for k in (0..n - 1).rev() {
        dur[k] = hops[k].1 + dur[k + 1] + gaps[k];
    }
    let mut spans = Vec::new();
    let mut start = 1_000_000;
    let mut parent: Option<String> = None;
    for k in 0..n {
        let (svc, own) = hops[k];
        let sid = format!("{id}-s{k}");
        let mut s = span(
            sid.clone(),
            parent.clone(),
            svc,
            SpanKind::Server,
            start,
            dur[k],
        );
        s.error = errors_at.is_some_and(|e| k <= e);
        spans.push(s);
        if k + 1 < n {
            let cid = format!("{id}-c{k}");
            let cstart = start + own / 2;
            let mut c = span(
                cid.clone(),
                Some(sid),
                svc,
                SpanKind::Client,
                cstart,
                dur[k + 1] + gaps[k],
            );
            c.operation = format!("call {}", hops[k + 1].0).into();
            c.error = errors_at.is_some_and(|e| k < e);
            spans.push(c);
            start = cstart + gaps[k] / 2;
            parent = Some(cid);
        }
    }
    Trace {
        trace_id: id.into(),
        spans,
        ..Trace::default()
    }
}

/// A little deterministic jitter (µs) so that baselines have a spread.
fn jitter(i: usize) -> i64 {
    ((i * 37) % 11) as i64 * 20
}

const CHAIN: [&str; 4] = ["frontend", "checkout", "cart", "redis"];

fn window(prefix: &str, n: usize, redis_own: i64, gap_to_redis: i64) -> Vec<Trace> {
    (0..n)
        .map(|i| {
            let hops: Vec<(&str, i64)> = CHAIN
                .iter()
                .map(|&s| (s, if s == "redis" { redis_own } else { 2000 } + jitter(i)))
                .collect();
            chain(
                &format!("{prefix}{i}"),
                &hops,
                &[400, 400, gap_to_redis + jitter(i)],
                None,
            )
        })
        .collect()
}

fn scored(c: &TraceComparison) -> Vec<&str> {
    c.services
        .iter()
        .filter(|s| s.score > 0.0)
        .map(|s| s.service.as_str())
        .collect()
}

fn service<'a>(c: &'a TraceComparison, name: &str) -> &'a ServiceComparison {
    c.services.iter().find(|s| s.service == name).unwrap()
}

#[test]
fn a_callee_whose_self_time_tripled_three_calls_deep_is_found_and_its_callers_are_not() {
    let base = window("b", 20, 3000, 400);
    let anom = window("a", 20, 9000, 400);
    let c = compare(&base, &anom, &Params::default());
    assert_eq!(c.mode, Mode::Windows);
    assert_eq!(scored(&c), vec!["redis"], "{:#?}", c.services);
    let top = c.top().unwrap();
    assert_eq!(top.service, "redis");
    assert!(top.score >= 1.0);
    let op = c.operations.iter().find(|o| o.service == "redis").unwrap();
    let ch = op.self_ms.change.unwrap();
    assert!(
        (ch.before - 3.1).abs() < 0.2 && (ch.after - 9.1).abs() < 0.2,
        "{ch:?}"
    );
    assert!(op.share.change.is_some());
    assert!(
        top.reasons[0].contains("self time of redis-op grew"),
        "{:?}",
        top.reasons
    );
    // Every abnormal redis span is in an anomalous trace.
    assert_eq!(top.spectrum.implicated_anomalous, 20);
    assert_eq!(top.spectrum.implicated_normal, 0);
    assert!((top.spectrum.ochiai - 1.0).abs() < 1e-9);
    for caller in ["frontend", "checkout", "cart"] {
        let s = service(&c, caller);
        assert!(s.self_ms.change.is_none() && s.reasons.is_empty(), "{s:#?}");
    }
    assert!(c.between.is_empty());
    let shifts = c.to_shifts();
    assert_eq!(shifts.keys().collect::<Vec<_>>(), vec!["redis"]);
    assert!(shifts["redis"].strength >= 1.0 && shifts["redis"].strength <= 8.0);
    assert!(
        shifts["redis"]
            .summary
            .starts_with("traces (anomalous vs baseline window)")
    );
}

#[test]
fn a_service_present_in_every_trace_but_unchanged_is_not_named() {
    // auth is called in parallel by the frontend in every trace, the same in both windows.
    let add_auth = |mut t: Trace| {
        let root = t.spans[0].clone();
        let id = format!("{}-auth", t.trace_id);
        t.spans.push(span(
            format!("{id}-c"),
            Some(root.span_id.to_string()),
            "frontend",
            SpanKind::Client,
            root.start_us + 10,
            1500,
        ));
        t.spans.push(span(
            format!("{id}-s"),
            Some(format!("{id}-c")),
            "auth",
            SpanKind::Server,
            root.start_us + 20,
            1400,
        ));
        t
    };
    let base: Vec<Trace> = window("b", 20, 3000, 400)
        .into_iter()
        .map(add_auth)
        .collect();
    let anom: Vec<Trace> = window("a", 20, 9000, 400)
        .into_iter()
        .map(add_auth)
        .collect();
    let c = compare(&base, &anom, &Params::default());
    let auth = service(&c, "auth");
    assert_eq!(auth.score, 0.0);
    assert_eq!(
        (
            auth.spectrum.present_anomalous,
            auth.spectrum.present_normal
        ),
        (20, 20)
    );
    assert_eq!(auth.spectrum.ochiai, 0.0);
    assert_eq!(c.top().unwrap().service, "redis");
}

#[test]
fn a_grown_call_with_a_flat_callee_server_is_between_them_and_names_the_callee() {
    let base = window("b", 20, 3000, 400);
    let anom = window("a", 20, 3000, 20_400);
    let c = compare(&base, &anom, &Params::default());
    assert_eq!(c.between.len(), 1, "{:#?}", c.between);
    let b = &c.between[0];
    assert_eq!((b.caller.as_str(), b.callee.as_str()), ("cart", "redis"));
    assert!(b.server_ms.change.is_none());
    let top = c.top().unwrap();
    assert_eq!(top.service, "redis");
    assert!(
        top.reasons
            .iter()
            .any(|r| r.contains("between them") && r.contains("calls from cart")),
        "{:?}",
        top.reasons
    );
    // Nobody's own time moved.
    assert!(c.operations.iter().all(|o| o.self_ms.change.is_none()));
    assert_eq!(scored(&c), vec!["redis"]);
}

#[test]
fn with_no_baseline_slow_traces_are_compared_with_fast_ones() {
    let mut one = window("f", 30, 3000, 400);
    one.extend(window("s", 10, 24_000, 400));
    let c = compare(&[], &one, &Params::default());
    let Mode::SlowVsFast { threshold_us } = c.mode else {
        panic!("{:?}", c.mode)
    };
    assert!(threshold_us > 20_000);
    // The slowest fifth (p80 and above): 9 of the 10 slow traces, and no fast one.
    assert_eq!((c.baseline_traces, c.anomalous_traces), (31, 9));
    assert_eq!(c.top().unwrap().service, "redis");
    assert_eq!(scored(&c), vec!["redis"]);
    assert!(c.to_shifts()["redis"].summary.contains("slow vs fast"));
}

#[test]
fn with_no_baseline_failed_traces_are_compared_with_ok_ones_and_the_error_origin_is_named() {
    let hops: Vec<(&str, i64)> = CHAIN.iter().map(|&s| (s, 2000)).collect();
    let mut one: Vec<Trace> = (0..20)
        .map(|i| chain(&format!("ok{i}"), &hops, &[400, 400, 400], None))
        .collect();
    // cart fails, and its callers' spans fail with it.
    one.extend((0..8).map(|i| chain(&format!("bad{i}"), &hops, &[400, 400, 400], Some(2))));
    let p = Params {
        split: Split::Errors,
        ..Params::default()
    };
    let c = compare(&[], &one, &p);
    assert_eq!(c.mode, Mode::ErrorVsOk);
    assert_eq!((c.baseline_traces, c.anomalous_traces), (20, 8));
    // The client span of checkout to cart errs too, but cart's server span is below it.
    let top = c.top().unwrap();
    assert_eq!(top.service, "cart", "{:#?}", c.services);
    assert_eq!(top.spectrum.implicated_anomalous, 8);
    assert_eq!(scored(&c), vec!["cart"]);
}

#[test]
fn shuffled_input_gives_the_same_output() {
    let mut base = window("b", 20, 3000, 400);
    let mut anom = window("a", 20, 9000, 20_400);
    let c1 = compare(&base, &anom, &Params::default());
    base.reverse();
    anom.rotate_left(7);
    for t in base.iter_mut().chain(anom.iter_mut()) {
        t.spans.reverse();
    }
    let c2 = compare(&base, &anom, &Params::default());
    assert_eq!(c1, c2);
    let mut one: Vec<Trace> = base.iter().chain(&anom).cloned().collect();
    let s1 = compare(&[], &one, &Params::default());
    one.reverse();
    assert_eq!(s1, compare(&[], &one, &Params::default()));
}

#[test]
fn too_few_spans_are_no_evidence() {
    let c = compare(
        &window("b", 3, 3000, 400),
        &window("a", 3, 30_000, 400),
        &Params::default(),
    );
    assert!(c.top().is_none(), "{:#?}", c.services);
    assert!(c.operations.iter().all(|o| o.self_ms.change.is_none()));
    // One window of identical failing traces: all are "slow", none is fast, nothing to compare.
    let hops: Vec<(&str, i64)> = CHAIN.iter().map(|&s| (s, 2000)).collect();
    let same: Vec<Trace> = (0..10)
        .map(|i| chain(&format!("x{i}"), &hops, &[400, 400, 400], Some(3)))
        .collect();
    let c = compare(&[], &same, &Params::default());
    assert_eq!((c.baseline_traces, c.anomalous_traces), (0, 10));
    assert!(c.to_shifts().is_empty(), "{:#?}", c.services);
    let empty = compare(&[], &[], &Params::default());
    assert!(empty.services.is_empty() && empty.to_shifts().is_empty());
}

fn candidate(service: &str, path: &[&str]) -> Candidate {
    Candidate {
        service: service.into(),
        axis: Axis::Latency,
        locus: Locus::Service,
        score: 3.0,
        change: None,
        from_calls: false,
        path: path
            .iter()
            .map(|s| Hop {
                service: s.to_string(),
                before: 0.0,
                after: 0.0,
                median: false,
            })
            .collect(),
        explains: Vec::new(),
        unexplained: 1.0,
        logs_below: None,
        agreeing: Vec::new(),
    }
}

fn localization(c: Candidate) -> Localization {
    Localization {
        candidates: vec![c],
        chronic: Vec::new(),
    }
}

#[test]
fn agreement_with_the_graph_walk() {
    let c = compare(
        &window("b", 20, 3000, 400),
        &window("a", 20, 9000, 400),
        &Params::default(),
    );
    let same = agreement(
        &c,
        &localization(candidate("redis", &["frontend", "cart", "redis"])),
    );
    assert_eq!(
        (same.verdict, same.agrees(), same.statement.as_deref()),
        (Verdict::Same, true, None)
    );
    let on_path = agreement(
        &c,
        &localization(candidate("cart-db", &["frontend", "redis", "cart-db"])),
    );
    assert_eq!(on_path.verdict, Verdict::OnPath);
    let other = agreement(
        &c,
        &localization(candidate("payment", &["frontend", "payment"])),
    );
    assert_eq!(other.verdict, Verdict::Disagrees);
    assert!(!other.agrees());
    let line = other.statement.unwrap();
    assert!(
        line.contains("redis") && line.contains("payment") && !line.contains('\n'),
        "{line}"
    );
    assert_eq!(other.trace_top.as_deref(), Some("redis"));
    assert_eq!(other.graph_top.as_deref(), Some("payment"));
    let silent = agreement(&c, &Localization::default());
    assert_eq!(silent.verdict, Verdict::Undecided);
    assert!(silent.statement.is_some());
    let none = compare(&[], &[], &Params::default());
    let a = agreement(&none, &localization(candidate("redis", &["redis"])));
    assert_eq!(a.verdict, Verdict::Undecided);
}

fn arb_trace() -> impl Strategy<Value = Trace> {
    let one = (
        0u8..10,
        prop::option::of(0u8..12),
        0u8..4,
        0u8..6,
        -50i64..200,
        0i64..150,
        any::<bool>(),
    );
    prop::collection::vec(one, 0..16).prop_map(|v| {
        let kinds = [
            SpanKind::Server,
            SpanKind::Client,
            SpanKind::Internal,
            SpanKind::Unspecified,
            SpanKind::Producer,
            SpanKind::Consumer,
        ];
        let spans = v
            .into_iter()
            .map(|(id, parent, svc, kind, start, dur, error)| {
                let mut s = span(
                    format!("s{id}"),
                    parent.map(|p| format!("s{p}")),
                    ["a", "b", "c", "d"][svc as usize],
                    kinds[kind as usize],
                    start,
                    dur,
                );
                s.error = error;
                s
            })
            .collect();
        Trace {
            trace_id: "t".into(),
            spans,
            ..Trace::default()
        }
    })
}

proptest! {
    #[test]
    fn arbitrary_small_traces_never_panic(
        base in prop::collection::vec(arb_trace(), 0..8),
        anom in prop::collection::vec(arb_trace(), 0..8),
    ) {
        let p = Params { min_spans: 1, min_implicated: 1, ..Params::default() };
        for c in [compare(&base, &anom, &p), compare(&[], &anom, &p), compare(&[], &anom, &Params { split: Split::Errors, ..p.clone() })] {
            prop_assert!(c.services.iter().all(|s| s.score.is_finite() && s.score >= 0.0));
            prop_assert!(c.services.windows(2).all(|w| w[0].score >= w[1].score));
            for (_, s) in c.to_shifts() {
                prop_assert!(s.strength > 0.0 && s.strength <= 8.0);
            }
            let _ = agreement(&c, &Localization::default());
        }
    }
}

#[test]
fn self_time_keeps_the_services_internal_work_and_drops_what_it_waited_on_elsewhere() {
    let s = |id: &str, parent: Option<&str>, svc: &str, kind, start, dur| {
        span(id.into(), parent.map(str::to_string), svc, kind, start, dur)
    };
    let t = Trace {
        trace_id: "t".into(),
        spans: vec![
            s("r", None, "api", SpanKind::Server, 0, 10_000),
            // Its own work, in an internal span, part of which waits on the database.
            s("i", Some("r"), "api", SpanKind::Internal, 1_000, 5_000),
            s("c", Some("i"), "api", SpanKind::Client, 2_000, 3_000),
            s("d", Some("c"), "db", SpanKind::Server, 2_500, 2_000),
            // A zero-length child and one wholly outside the parent change nothing.
            s("z", Some("r"), "cache", SpanKind::Server, 4_000, 0),
            s("o", Some("r"), "mail", SpanKind::Server, 20_000, 100),
        ],
        ..Trace::default()
    };
    let f = facts(&t);
    let own: Vec<(&str, i64)> = f.entries.iter().map(|&(s, _, us)| (s, us)).collect();
    assert_eq!(
        own,
        vec![("api", 7_000), ("db", 2_000), ("cache", 0), ("mail", 100)]
    );
    assert_eq!(f.calls, vec![("api", "db", 3_000, 2_000)]);
    assert_eq!(f.path_total, 10_000);
    assert_eq!(f.path.get(&("api", "api-op")), Some(&7_000));
    assert_eq!(f.path.get(&("db", "db-op")), Some(&2_000));
}
