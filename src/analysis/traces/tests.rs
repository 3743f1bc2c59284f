//! Hand-made span trees for each analysis, plus a property test that the critical path never
//! panics and always accounts for exactly the root's duration.

use proptest::prelude::*;

use super::*;
use crate::model::trace::{Span, SpanId, Trace};

fn span(id: &str, parent: Option<&str>, service: &str, op: &str, start: i64, dur: i64) -> Span {
    Span {
        span_id: id.into(),
        parent_id: parent.map(Into::into),
        service: service.into(),
        operation: op.into(),
        start_us: start,
        duration_us: dur,
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

/// (span id, self time) of the critical path, and checks the total.
fn path(t: &Trace) -> Vec<(SpanId, i64)> {
    let p = critical_path(t);
    let root = root_span(t).map(|r| t.spans[r].duration_us).unwrap_or(0);
    assert_eq!(p.iter().map(|s| s.self_time_us).sum::<i64>(), root, "{p:?}");
    p.into_iter().map(|s| (s.span_id, s.self_time_us)).collect()
}

fn ids(v: &[(&str, i64)]) -> Vec<(SpanId, i64)> {
    v.iter().map(|(s, t)| (SpanId::parse(s), *t)).collect()
}

#[test]
fn sequential_children_all_count_and_gaps_are_parent_self_time() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "db", "select", 10, 30),
            span("b", Some("r"), "db", "update", 50, 40),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 30), ("b", 40), ("a", 30)]));
}

#[test]
fn back_to_back_children_both_count() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 20),
            span("a", Some("r"), "db", "q1", 0, 10),
            span("b", Some("r"), "db", "q2", 10, 10),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 0), ("b", 10), ("a", 10)]));
}

#[test]
fn parallel_children_count_once() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "svc-a", "call", 10, 80),
            span("b", Some("r"), "svc-b", "call", 20, 40),
            span("c", Some("r"), "svc-c", "call", 15, 75),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 20), ("a", 80)]));
}

#[test]
fn overlapping_child_that_did_not_block_the_next_is_off_the_path() {
    // b started while a was still running, so a's end blocked nothing: [0,50) is r's own time.
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "svc-a", "call", 10, 50),
            span("b", Some("r"), "svc-b", "call", 50, 40),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 60), ("b", 40)]));
}

#[test]
fn equal_ends_prefer_the_longer_child() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("short", Some("r"), "s", "x", 50, 40),
            span("long", Some("r"), "s", "y", 10, 80),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 20), ("long", 80)]));
}

#[test]
fn child_outliving_its_parent_is_clamped() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "svc-a", "call", 0, 50),
            span("c", Some("a"), "svc-c", "async", 40, 40),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 50), ("a", 40), ("c", 10)]));
}

#[test]
fn clock_skewed_child_starting_before_parent_is_clamped() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 100, 100),
            span("a", Some("r"), "svc-a", "call", 90, 60),
            // Entirely outside its parent: cannot have been waited on.
            span("z", Some("r"), "svc-z", "call", 10, 20),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 50), ("a", 50)]));
}

#[test]
fn orphans_become_roots_and_the_longest_root_is_the_path() {
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "svc-a", "call", 10, 20),
            span("o", Some("gone"), "worker", "job", 0, 300),
            span("o1", Some("o"), "db", "q", 100, 100),
        ],
    );
    assert_eq!(root_span(&t), Some(2));
    assert_eq!(path(&t), ids(&[("o", 200), ("o1", 100)]));
}

#[test]
fn several_roots_pick_the_longest_then_earliest() {
    let t = trace(
        "t",
        vec![
            span("r1", None, "web", "a", 50, 100),
            span("r2", None, "web", "b", 0, 100),
            span("r3", None, "web", "c", 0, 10),
        ],
    );
    assert_eq!(root_span(&t), Some(1));
    assert_eq!(path(&t), ids(&[("r2", 100)]));
}

#[test]
fn zero_durations_and_empty_traces() {
    assert!(critical_path(&trace("t", vec![])).is_empty());
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 0),
            span("a", Some("r"), "svc", "x", 0, 0),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 0)]));
    let t = trace(
        "t",
        vec![
            span("r", None, "web", "GET /", 0, 10),
            span("a", Some("r"), "svc", "mark", 5, 0),
        ],
    );
    assert_eq!(path(&t), ids(&[("r", 10)]));
}

#[test]
fn cycles_self_parents_and_duplicates_terminate() {
    let t = trace(
        "t",
        vec![
            span("a", Some("b"), "svc", "a", 0, 100),
            span("b", Some("a"), "svc", "b", 10, 50),
            span("c", Some("c"), "svc", "c", 0, 10),
            span("b", Some("a"), "svc", "b-dup", 10, 90),
        ],
    );
    // The cycle is cut at its earliest span, a; the duplicate b is ignored.
    assert_eq!(root_span(&t), Some(0));
    assert_eq!(path(&t), ids(&[("a", 50), ("b", 50)]));
    assert_eq!(where_time_goes(std::slice::from_ref(&t)).len(), 2);
    assert!(n_plus_one(std::slice::from_ref(&t), 2).is_empty());
}

#[test]
fn deep_chains_do_not_overflow_the_stack() {
    let n = 200_000;
    let spans = (0..n)
        .map(|i| {
            let parent = (i > 0).then(|| format!("s{}", i - 1));
            span(
                &format!("s{i}"),
                parent.as_deref(),
                "svc",
                "op",
                i,
                2 * (n - i),
            )
        })
        .collect();
    let t = trace("t", spans);
    assert_eq!(critical_path(&t).len(), n as usize);
    assert_eq!(error_origins(std::slice::from_ref(&t)), vec![]);
}

#[test]
fn where_time_goes_aggregates_and_orders() {
    let t1 = trace(
        "t1",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "db", "select", 0, 60),
        ],
    );
    let t2 = trace(
        "t2",
        vec![
            span("r", None, "web", "GET /", 0, 100),
            span("a", Some("r"), "db", "select", 0, 40),
            span("b", Some("r"), "cache", "get", 40, 60),
        ],
    );
    let shares = where_time_goes(&[t1, t2]);
    let got: Vec<(&str, i64, usize)> = shares
        .iter()
        .map(|s| (s.operation.as_str(), s.time_us, s.traces))
        .collect();
    assert_eq!(
        got,
        vec![("select", 100, 2), ("get", 60, 1), ("GET /", 40, 1)]
    );
    assert!((shares.iter().map(|s| s.share).sum::<f64>() - 1.0).abs() < 1e-9);
    assert!((shares[0].share - 0.5).abs() < 1e-9);
}

fn fan(parent: &str, n: usize, start: i64, step: i64, dur: i64) -> Vec<Span> {
    (0..n)
        .map(|i| {
            span(
                &format!("{parent}-c{i}"),
                Some(parent),
                "orders",
                "SELECT item",
                start + i as i64 * step,
                dur,
            )
        })
        .collect()
}

#[test]
fn sequential_repeats_are_n_plus_one() {
    let mut spans = vec![span("r", None, "checkout", "GET /cart", 0, 2000)];
    // 12 calls of 100µs, each starting 1µs before the previous ends: within tolerance.
    spans.extend(fan("r", 12, 10, 99, 100));
    spans.push(span("x", Some("r"), "orders", "SELECT user", 1500, 10));
    let t1 = trace("t1", spans);
    let mut spans = vec![span("r", None, "checkout", "GET /cart", 0, 2000)];
    spans.extend(fan("r", 10, 0, 150, 100));
    let t2 = trace("t2", spans);
    let found = n_plus_one(&[t1.clone(), t2], 10);
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(
        (
            f.parent_operation.as_str(),
            f.child_service.as_str(),
            f.child_operation.as_str()
        ),
        ("GET /cart", "orders", "SELECT item")
    );
    assert_eq!(
        (f.traces, f.occurrences, f.max_calls, f.total_calls),
        (2, 2, 12, 22)
    );
    assert_eq!(f.total_duration_us, 2200);
    assert_eq!(
        (
            f.example_trace_id.as_str(),
            f.example_parent_span_id.clone()
        ),
        // "r" is no hex ID: it is named by its hash, printed as 16 hex digits.
        ("t1", SpanId::parse("r").to_string())
    );
    assert!(n_plus_one(&[t1], 13).is_empty());
}

#[test]
fn parallel_fan_out_and_pools_are_not_n_plus_one() {
    let mut spans = vec![span("r", None, "checkout", "GET /cart", 0, 2000)];
    spans.extend(fan("r", 20, 0, 1, 100));
    let fan_out = trace("t1", spans);
    // A pool of two: pairs overlap.
    let mut spans = vec![span("r", None, "checkout", "GET /cart", 0, 2000)];
    spans.extend(fan("r", 20, 0, 50, 100));
    let pool = trace("t2", spans);
    assert!(n_plus_one(&[fan_out, pool], 10).is_empty());
}

#[test]
fn n_plus_one_order_is_total() {
    let mk = |id: &str, svc: &str| {
        let mut spans = vec![span("r", None, "api", "GET /", 0, 5000)];
        let mut kids = fan("r", 10, 0, 100, 100);
        kids.iter_mut().for_each(|k| k.service = svc.into());
        spans.extend(kids);
        trace(id, spans)
    };
    let found = n_plus_one(&[mk("t1", "b-svc"), mk("t2", "a-svc")], 10);
    let order: Vec<&str> = found.iter().map(|f| f.child_service.as_str()).collect();
    assert_eq!(order, vec!["a-svc", "b-svc"]);
}

#[test]
fn several_error_origins_in_one_trace() {
    let mut b = err(span("b", Some("r"), "inventory", "reserve", 10, 20));
    b.status_message = Some("out of stock".into());
    let t = trace(
        "t1",
        vec![
            err(span("r", None, "checkout", "POST /order", 0, 100)),
            err(span("a", Some("r"), "checkout", "charge", 40, 50)),
            err(span("a1", Some("a"), "checkout", "validate card", 45, 5)),
            b,
            span("c", Some("r"), "email", "send", 90, 5),
        ],
    );
    assert_eq!(error_origin_spans(&t), vec![2, 3]);
    let found = error_origins(&[t]);
    let got: Vec<(&str, ErrorPlace, usize)> = found
        .iter()
        .map(|o| (o.operation.as_str(), o.place, o.count))
        .collect();
    assert_eq!(
        got,
        vec![
            ("validate card", ErrorPlace::RootService, 1),
            ("reserve", ErrorPlace::Downstream, 1)
        ]
    );
    assert_eq!(found[1].example_message.as_deref(), Some("out of stock"));
}

#[test]
fn errors_propagated_up_from_downstream_have_one_origin() {
    let mk = |id: &str| {
        trace(
            id,
            vec![
                err(span("r", None, "frontend", "GET /checkout", 0, 100)),
                err(span("c", Some("r"), "checkout", "PlaceOrder", 10, 80)),
                // A hop that did not mark the error does not make its caller an origin.
                span("h", Some("c"), "checkout", "retry wrapper", 20, 60),
                err(span("p", Some("h"), "payment", "Charge", 30, 40)),
                span("d", Some("p"), "payment-db", "INSERT", 35, 5),
            ],
        )
    };
    let found = error_origins(&[mk("t1"), mk("t2"), mk("t3"), mk("t4")]);
    assert_eq!(found.len(), 1);
    let o = &found[0];
    assert_eq!(
        (o.service.as_str(), o.operation.as_str()),
        ("payment", "Charge")
    );
    assert_eq!((o.place, o.count, o.traces), (ErrorPlace::Downstream, 4, 4));
    assert_eq!(o.example_trace_ids, vec!["t1", "t2", "t3"]);
}

#[test]
fn representative_is_nearest_p95_and_slowest_is_slowest() {
    let traces: Vec<Trace> = (1..=100)
        .map(|d| trace(&format!("t{d:03}"), vec![span("r", None, "s", "o", 0, d)]))
        .collect();
    let rep = representative(&traces, 3);
    let durs: Vec<i64> = rep.iter().map(|&i| traces[i].duration_us()).collect();
    assert_eq!(durs, vec![95, 96, 94]);
    let slow: Vec<i64> = slowest(&traces, 2)
        .iter()
        .map(|&i| traces[i].duration_us())
        .collect();
    assert_eq!(slow, vec![100, 99]);
    assert!(representative(&[], 3).is_empty());
}

fn arb_trace() -> impl Strategy<Value = Trace> {
    let one = (
        0u8..12,
        prop::option::of(0u8..14),
        -50i64..200,
        0i64..150,
        any::<bool>(),
    );
    prop::collection::vec(one, 0..24).prop_map(|v| {
        let spans = v
            .into_iter()
            .map(|(id, parent, start, dur, error)| {
                let mut s = span(
                    &format!("s{id}"),
                    None,
                    "svc",
                    &format!("op{}", id % 3),
                    start,
                    dur,
                );
                s.parent_id = parent.map(|p| SpanId::parse(&format!("s{p}")));
                s.error = error;
                s
            })
            .collect();
        trace("t", spans)
    })
}

proptest! {
    #[test]
    fn critical_path_accounts_for_the_root_exactly(t in arb_trace()) {
        let p = critical_path(&t);
        let root = root_span(&t).map(|r| t.spans[r].duration_us).unwrap_or(0);
        prop_assert_eq!(p.iter().map(|s| s.self_time_us).sum::<i64>(), root);
        prop_assert!(p.iter().all(|s| s.self_time_us >= 0));
        let mut seen: Vec<usize> = p.iter().map(|s| s.span_index).collect();
        seen.sort_unstable();
        seen.dedup();
        prop_assert_eq!(seen.len(), p.len());
        let _ = (where_time_goes(std::slice::from_ref(&t)), n_plus_one(std::slice::from_ref(&t), 2));
        let _ = error_origins(std::slice::from_ref(&t));
    }
}

#[test]
fn analyze_matches_the_separate_analyses() {
    let mut spans = vec![err(span("r", None, "checkout", "GET /cart", 0, 2000))];
    spans.extend(fan("r", 12, 10, 100, 100));
    spans.push(err(span("x", Some("r-c3"), "orders-db", "SELECT", 320, 10)));
    let traces = vec![trace("t1", spans.clone()), trace("t2", spans)];
    let a = analyze(&traces, 10);
    assert_eq!(a.where_time_goes, where_time_goes(&traces));
    assert_eq!(a.n_plus_one, n_plus_one(&traces, 10));
    assert_eq!(a.error_origins, error_origins(&traces));
    assert_eq!((a.n_plus_one.len(), a.error_origins.len()), (1, 1));
}

/// A Jaeger answer of `n` traces: frontend calls checkout, which makes 12 DB calls (an N+1 run,
/// each with its own statement) and, in every third trace, fails on a call to payment that
/// recorded nothing. Every span carries tags, with values that differ span by span.
fn tagged_answer(n: usize, slow: i64) -> String {
    let tag = |k: &str, v: &str| format!(r#"{{"key":"{k}","type":"string","value":"{v}"}}"#);
    let mut traces = Vec::new();
    for t in 0..n {
        let start = 1_000_000 * t as i64;
        let mut spans = Vec::new();
        let mut push = |id: usize,
                        parent: Option<usize>,
                        op: &str,
                        p: &str,
                        s: i64,
                        d: i64,
                        tags: Vec<String>| {
            let refs = parent
                .map(|p| {
                    format!(
                        r#"[{{"refType":"CHILD_OF","traceID":"{:x}","spanID":"{p:x}"}}]"#,
                        t + 1
                    )
                })
                .unwrap_or_else(|| "[]".into());
            spans.push(format!(
                r#"{{"spanID":"{id:x}","operationName":"{op}","references":{refs},"startTime":{s},"duration":{d},"processID":"{p}","tags":[{}]}}"#,
                tags.join(",")
            ));
        };
        let fails = t % 3 == 0;
        let err = |on: bool| {
            if on {
                vec![r#"{"key":"error","type":"bool","value":true}"#.to_string()]
            } else {
                vec![]
            }
        };
        let kind = |k: &str| tag("span.kind", k);
        push(
            1,
            None,
            "GET /",
            "p1",
            start,
            50_000 + slow,
            [vec![kind("server"), tag("http.route", "/")], err(fails)].concat(),
        );
        push(
            2,
            Some(1),
            "POST /order",
            "p1",
            start + 100,
            40_000 + slow,
            [
                vec![kind("client"), tag("peer.service", "checkout")],
                err(fails),
            ]
            .concat(),
        );
        push(
            3,
            Some(2),
            "POST /order",
            "p2",
            start + 200,
            39_000 + slow,
            [
                vec![kind("server"), tag("http.route", &format!("/order/{t}"))],
                err(fails),
            ]
            .concat(),
        );
        for i in 0..12 {
            let stmt = format!("SELECT * FROM items WHERE id = {}", t * 100 + i);
            push(
                10 + i,
                Some(3),
                "SELECT items",
                "p2",
                start + 300 + 1_000 * i as i64,
                900,
                vec![
                    kind("client"),
                    tag("db.system", "postgresql"),
                    tag("db.statement", &stmt),
                ],
            );
        }
        if fails {
            push(
                30,
                Some(3),
                "POST /charge",
                "p2",
                start + 20_000,
                5_000,
                [
                    vec![kind("client"), tag("peer.service", "payment")],
                    err(true),
                ]
                .concat(),
            );
        }
        traces.push(format!(
            r#"{{"traceID":"{:x}","spans":[{}],"processes":{{"p1":{{"serviceName":"frontend","tags":[{}]}},"p2":{{"serviceName":"checkout","tags":[{}]}}}}}}"#,
            t + 1,
            spans.join(","),
            tag("k8s.pod.name", "frontend-1"),
            tag("k8s.deployment.name", "checkout")
        ));
    }
    format!(r#"{{"data":[{}]}}"#, traces.join(","))
}

/// Issue 19: the searches feeding this module's analyses keep [`TAGS`] (none). Decoded that way,
/// every analysis here, the window comparison included, finds what it finds with every tag kept,
/// on traces whose tags would change a result that read them (per-span statements, routes and
/// peers). An analysis that starts reading a tag without widening [`TAGS`] fails here.
#[test]
fn the_analyses_find_the_same_with_their_tag_policy_as_with_every_tag() {
    use crate::backends::jaeger::decode_traces_keeping;
    use crate::model::trace::TagPolicy;
    let (base, now) = (tagged_answer(30, 0), tagged_answer(30, 200_000));
    let dec = |body: &str, tags| decode_traces_keeping(body.as_bytes(), tags).unwrap();
    let (lean, full) = (dec(&now, TAGS), dec(&now, TagPolicy::All));
    assert!(
        lean.iter()
            .all(|t| t.spans.iter().all(|s| s.tags.is_empty()))
    );
    assert!(full[0].spans.iter().all(|s| !s.tags.is_empty()));
    let found = analyze(&lean, 10);
    assert_eq!(found, analyze(&full, 10));
    assert!(
        !found.where_time_goes.is_empty()
            && !found.n_plus_one.is_empty()
            && !found.error_origins.is_empty(),
        "{found:?}"
    );
    assert_eq!(representative(&lean, 2), representative(&full, 2));
    assert_eq!(slowest(&lean, 3), slowest(&full, 3));
    let p = compare::Params::default();
    assert_eq!(
        compare::compare(&dec(&base, TAGS), &lean, &p),
        compare::compare(&dec(&base, TagPolicy::All), &full, &p)
    );
    assert_eq!(
        crate::analysis::workload::hints("checkout", &dec(&now, crate::analysis::workload::TAGS)),
        crate::analysis::workload::hints("checkout", &full)
    );
    assert_eq!(
        crate::analysis::workload::hints("checkout", &lean)
            .workloads
            .len(),
        1,
        "resource tags are kept whatever the policy"
    );
}
