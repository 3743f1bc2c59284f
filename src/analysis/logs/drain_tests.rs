//! Unit tests of the Drain miner (`drain.rs`) and the template comparison (`shift.rs`) on
//! generated log lines.

use proptest::prelude::*;

use super::drain::{DrainParams, Miner, WILDCARD};
use super::shift::{Kind, Line, ShiftParams, TemplateShift, compare};

fn mine(lines: &[&str]) -> Miner {
    let mut m = Miner::new(DrainParams::default());
    for l in lines {
        m.add(l, false);
    }
    m
}

fn texts(m: &Miner) -> Vec<(String, usize)> {
    m.clusters().iter().map(|c| (c.text(), c.count)).collect()
}

// ---------------------------------------------------------------------------
// The miner
// ---------------------------------------------------------------------------

#[test]
fn merges_lines_that_differ_in_variables() {
    let m = mine(&[
        "order 1234 paid by user alice in 25ms",
        "order 98 paid by user bob in 3ms",
        "order 7 paid by user carol in 140ms",
    ]);
    assert_eq!(
        texts(&m),
        vec![(format!("order <num> paid by user {WILDCARD} in <num>ms"), 3)]
    );
}

#[test]
fn keeps_different_events_apart() {
    let m = mine(&[
        "order 1 paid by user alice",
        "connection to 10.0.0.1:5432 refused",
        "cache miss for key session",
        "order 2 paid by user bob",
        "connection to 10.0.0.2:5432 refused",
        "shutting down",
    ]);
    let t = texts(&m);
    assert_eq!(t.len(), 4, "{t:?}");
    assert_eq!(t[0], (format!("order <num> paid by user {WILDCARD}"), 2));
    assert_eq!(t[1], ("connection to <ip> refused".to_string(), 2));
}

#[test]
fn error_lines_and_others_are_mined_apart() {
    let mut m = Miner::new(DrainParams::default());
    let a = m.add("payment accepted for alice", false);
    let b = m.add("payment declined for alice", true);
    assert_ne!(a, b);
    assert_eq!(m.clusters().len(), 2);
}

#[test]
fn a_changed_word_beside_a_wildcard_is_another_event() {
    let m = mine(&[
        "status OK for ann",
        "status OK for ben",
        "status DECLINED for cat",
    ]);
    assert_eq!(
        texts(&m),
        vec![
            (format!("status OK for {WILDCARD}"), 2),
            ("status DECLINED for cat".to_string(), 1)
        ]
    );
}

#[test]
fn same_lines_same_order_give_same_templates_and_ids() {
    let lines: Vec<String> = (0..200)
        .map(|i| match i % 4 {
            0 => format!("user u{i} logged in from 10.1.{}.{}", i % 7, i % 11),
            1 => format!("GET /api/orders/{i} 200 {}ms", i * 3),
            2 => format!("retrying job {} attempt {}", ["a", "b", "c"][i % 3], i % 5),
            _ => format!("worker {} idle", ["north", "south"][i % 2]),
        })
        .collect();
    let run = || {
        let mut m = Miner::new(DrainParams::default());
        let ids: Vec<Option<usize>> = lines.iter().map(|l| m.add(l, false)).collect();
        (ids, m.clusters().to_vec())
    };
    assert_eq!(run(), run());
}

#[test]
fn template_cap_counts_the_overflow() {
    let mut m = Miner::new(DrainParams {
        max_templates: 3,
        ..DrainParams::default()
    });
    let events = [
        "alpha starts now",
        "beta stops here today",
        "gamma",
        "delta epsilon",
        "zeta eta theta iota kappa",
    ];
    let ids: Vec<_> = events.iter().map(|e| m.add(e, false)).collect();
    assert_eq!(m.clusters().len(), 3);
    assert_eq!(m.overflow(), 2);
    assert_eq!(ids[3..], [None, None]);
    // A line of an existing template still joins it over the cap.
    assert_eq!(m.add("alpha starts now", false), Some(0));
    assert_eq!(m.overflow(), 2);
}

#[test]
fn long_lines_are_cut_and_blank_lines_skipped() {
    let mut m = Miner::new(DrainParams {
        max_tokens: 5,
        ..DrainParams::default()
    });
    let long = "word ".repeat(10_000);
    assert!(m.add(&long, false).is_some());
    assert_eq!(m.clusters()[0].tokens.len(), 5);
    assert_eq!(m.add("   ", false), None);
    assert_eq!(m.skipped(), 1);
}

#[test]
fn a_full_tree_node_sends_new_leading_tokens_to_its_wildcard_child() {
    let mut m = Miner::new(DrainParams {
        max_children: 2,
        ..DrainParams::default()
    });
    for name in ["ann", "ben", "cat", "dan", "eve"] {
        m.add(&format!("{name} logged in"), false);
    }
    // ann and ben have leaves of their own; the rest share `<*>` and merge there.
    let t = texts(&m);
    assert_eq!(t.len(), 3, "{t:?}");
    assert_eq!(t[2], (format!("{WILDCARD} logged in"), 3));
}

// ---------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------

/// Stable traffic: `per_request` lines of each of five info events for each of `requests`
/// requests, with varying values.
fn stable(requests: usize, seed: usize) -> Vec<Line> {
    let mut out = Vec::new();
    for r in 0..requests {
        let i = r * 7 + seed;
        out.push(Line::new(format!(
            "INFO GET /api/orders/{i} 200 in {}ms",
            i % 97
        )));
        out.push(Line::new(format!(
            "INFO cart {} updated for user {}",
            i * 13,
            ["ann", "ben", "cat", "dan"][i % 4]
        )));
        if r % 2 == 0 {
            out.push(Line::new(format!("INFO cache hit ratio {}", i % 100)));
        }
        if r % 5 == 0 {
            out.push(Line::new(format!(
                "WARN slow query on table {} took {}ms",
                ["orders", "items"][i % 2],
                i
            )));
        }
        // A rare, noisy template: a handful per window, up or down by chance.
        if (i * 31) % 97 < 3 {
            out.push(Line::new(format!("INFO config reloaded by {}", i % 3)));
        }
    }
    out
}

fn run(base: &[Line], now: &[Line], br: f64, nr: f64) -> TemplateShift {
    compare(base, now, br, nr, &ShiftParams::default())
}

#[test]
fn stable_traffic_shifts_nothing() {
    let s = run(&stable(500, 0), &stable(500, 3), 500.0, 500.0);
    assert!(s.changes.is_empty(), "{:#?}", s.changes);
    assert_eq!(s.to_shift(), None);
}

#[test]
fn finds_a_new_template_among_stable_ones() {
    let base = stable(500, 0);
    let mut now = stable(500, 3);
    for i in 0..37 {
        now.push(Line::new(format!(
            "ERROR java.lang.NullPointerException in PriceService.quote for sku-{i}x9"
        )));
    }
    let s = run(&base, &now, 500.0, 500.0);
    assert_eq!(s.changes.len(), 1, "{:#?}", s.changes);
    let c = &s.changes[0];
    assert_eq!(c.kind, Kind::New);
    assert!(c.error);
    assert_eq!((c.base, c.now), (0, 37));
    let shift = s.to_shift().unwrap();
    assert!(shift.strength > 1.0 && shift.strength <= 8.0, "{shift:?}");
    assert!(shift.summary.starts_with("new: "), "{}", shift.summary);
    assert!(
        shift.summary.contains("NullPointerException"),
        "{}",
        shift.summary
    );
    assert!(shift.summary.contains("37 lines, none before"));
    // The masked template only: the variable part of the raw line is not in it.
    assert!(!shift.summary.contains("sku-1x9"), "{}", shift.summary);
}

#[test]
fn finds_a_vanished_template() {
    let base = stable(500, 0);
    let now: Vec<Line> = stable(500, 3)
        .into_iter()
        .filter(|l| !l.text.contains("cache hit"))
        .collect();
    let s = run(&base, &now, 500.0, 500.0);
    assert_eq!(s.changes.len(), 1, "{:#?}", s.changes);
    assert_eq!(s.changes[0].kind, Kind::Vanished);
    assert_eq!(s.changes[0].template, "INFO cache hit ratio <num>");
    assert!(s.to_shift().unwrap().summary.starts_with("vanished: "));
}

#[test]
fn vanishing_needs_enough_lines_expected() {
    let with = |n: usize| {
        let mut base = stable(500, 0);
        for i in 0..n {
            base.push(Line::new(format!("INFO invoice {i} mailed")));
        }
        run(&base, &stable(500, 3), 500.0, 500.0).changes
    };
    // 31 before: z = -31.5 / √63 ≈ -3.97, under the bar; 32 before: ≈ -4.03.
    assert!(with(31).is_empty());
    assert_eq!(with(32).len(), 1);
}

#[test]
fn finds_a_jump_per_request() {
    let base = stable(500, 0);
    let mut now = stable(500, 3);
    // The slow query, 100 a window before, now three times as often.
    let extra: Vec<Line> = now
        .iter()
        .filter(|l| l.text.contains("slow query"))
        .cloned()
        .collect();
    now.extend(extra.iter().cloned());
    now.extend(extra);
    let s = run(&base, &now, 500.0, 500.0);
    assert_eq!(s.changes.len(), 1, "{:#?}", s.changes);
    let c = &s.changes[0];
    assert_eq!(c.kind, Kind::Jumped);
    assert!((c.now_rate / c.base_rate - 3.0).abs() < 0.01, "{c:?}");
    let shift = s.to_shift().unwrap();
    assert!(
        shift.summary.contains("×3.0 per request"),
        "{}",
        shift.summary
    );
}

#[test]
fn finds_a_drop_per_request() {
    let base = stable(500, 0);
    // Three cart updates in four stop being logged.
    let mut k = 0;
    let now: Vec<Line> = stable(500, 3)
        .into_iter()
        .filter(|l| {
            if !l.text.contains("cart") {
                return true;
            }
            k += 1;
            k % 4 == 0
        })
        .collect();
    let s = run(&base, &now, 500.0, 500.0);
    assert_eq!(s.changes.len(), 1, "{:#?}", s.changes);
    let c = &s.changes[0];
    assert_eq!(c.kind, Kind::Dropped);
    assert!(c.z < 0.0 && c.score == -c.z);
    let shift = s.to_shift().unwrap();
    assert!(shift.summary.starts_with("dropped: "), "{}", shift.summary);
    assert!(
        shift.summary.contains("×0.2 per request"),
        "{}",
        shift.summary
    );
}

#[test]
fn a_proportional_volume_change_is_no_shift() {
    // Twice the requests, twice the lines.
    let s = run(&stable(500, 0), &stable(1000, 3), 500.0, 1000.0);
    assert!(s.changes.is_empty(), "{:#?}", s.changes);
    // The same volume change with unknown request counts: per line, no shift either.
    let s = run(&stable(500, 0), &stable(1000, 3), 0.0, f64::NAN);
    assert!(s.per_line);
    assert!(s.changes.is_empty(), "{:#?}", s.changes);
}

#[test]
fn twice_the_lines_for_the_same_requests_is_a_jump() {
    let s = run(&stable(500, 0), &stable(1000, 3), 500.0, 500.0);
    assert!(s.changes.iter().all(|c| c.kind == Kind::Jumped));
    assert!(s.changes.len() >= 3, "{:#?}", s.changes);
}

#[test]
fn a_template_seen_twice_is_ignored() {
    let base = stable(500, 0);
    let mut now = stable(500, 3);
    now.push(Line::new("ERROR upstream reset by peer"));
    now.push(Line::new("ERROR upstream reset by peer"));
    let s = run(&base, &now, 500.0, 500.0);
    assert!(s.changes.is_empty(), "{:#?}", s.changes);
}

#[test]
fn error_lines_weigh_more_than_info_lines() {
    let base = stable(500, 0);
    let with = |prefix: &str| {
        let mut now = stable(500, 3);
        for _ in 0..4 {
            now.push(Line::new(format!("{prefix} refund path taken")));
        }
        run(&base, &now, 500.0, 500.0)
    };
    // Four lines out of nothing at the same volume: expected 0.5 (the pseudo-count), variance
    // 0.5·(1 + 1) = 1, z = 3.5: under the bar of 4 alone, over it × 1.5.
    let i = with("INFO");
    assert!(i.changes.is_empty(), "{:#?}", i.changes);
    let e = with("ERROR");
    assert_eq!(e.changes.len(), 1);
    assert!((e.changes[0].score / e.changes[0].z - 1.5).abs() < 1e-9);
}

#[test]
fn unknown_request_counts_say_so_in_the_summary() {
    let base = stable(300, 0);
    let mut now = stable(300, 3);
    for _ in 0..20 {
        now.push(Line::new("WARN fallback price used"));
    }
    let s = run(&base, &now, 300.0, 0.0);
    assert!(s.per_line);
    let shift = s.to_shift().unwrap();
    assert!(
        shift.summary.contains("request counts unknown"),
        "{shift:?}"
    );
}

#[test]
fn empty_windows_shift_nothing() {
    assert!(run(&[], &[], 0.0, 0.0).changes.is_empty());
    assert!(run(&[], &stable(10, 0), 0.0, 0.0).changes.is_empty());
    assert!(run(&stable(10, 0), &[], 0.0, 0.0).changes.is_empty());
}

#[test]
fn strength_is_capped() {
    let mut now = stable(100, 3);
    for _ in 0..100_000 {
        now.push(Line::new("ERROR boom"));
    }
    let shift = run(&stable(100, 0), &now, 100.0, 100.0).to_shift().unwrap();
    assert_eq!(shift.strength, 8.0);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// Lines drawn from a few events with values, a name Drain has to merge, and a level.
fn event_line() -> impl Strategy<Value = Line> {
    (0usize..6, 0u32..10_000, 0usize..4).prop_map(|(e, v, n)| {
        let name = ["ann", "ben", "cat", "dan"][n];
        Line::new(match e {
            0 => format!("INFO GET /orders/{v} 200"),
            1 => format!("INFO user {name} logged in after {v}ms"),
            2 => format!("ERROR payment {v} declined for {name}"),
            3 => format!("WARN retry {v} of job sync-{name}"),
            4 => format!("INFO cache warmed with {v} keys"),
            _ => format!("ERROR java.lang.IllegalStateException: order {v} closed"),
        })
    })
}

fn significant(s: &TemplateShift) -> Vec<(String, Kind)> {
    let mut v: Vec<_> = s
        .changes
        .iter()
        .map(|c| (c.template.clone(), c.kind))
        .collect();
    v.sort();
    v
}

proptest! {
    #[test]
    fn never_panics_on_any_text(
        base in proptest::collection::vec(any::<String>(), 0..40),
        now in proptest::collection::vec(any::<String>(), 0..40),
        br in proptest::num::f64::ANY,
        nr in proptest::num::f64::ANY,
    ) {
        let b: Vec<Line> = base.into_iter().map(Line::new).collect();
        let n: Vec<Line> = now.into_iter().map(Line::new).collect();
        let s = compare(&b, &n, br, nr, &ShiftParams::default());
        if let Some(shift) = s.to_shift() {
            prop_assert!(shift.strength.is_finite() && shift.strength >= 1.0);
        }
    }

    #[test]
    fn the_baseline_order_does_not_change_what_is_significant(
        base in proptest::collection::vec(event_line(), 0..300),
        now in proptest::collection::vec(event_line(), 0..300),
        seed in any::<u64>(),
        br in 1.0f64..500.0,
        nr in 1.0f64..500.0,
    ) {
        let mut shuffled = base.clone();
        fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
        let a = compare(&base, &now, br, nr, &ShiftParams::default());
        let b = compare(&shuffled, &now, br, nr, &ShiftParams::default());
        prop_assert_eq!(significant(&a), significant(&b));
    }
}

#[test]
fn the_error_shift_counts_only_error_lines_that_appeared_or_rose() {
    let base = stable(500, 0);
    let mut now = stable(500, 3);
    // A new info event, stronger than the new error one.
    for i in 0..80 {
        now.push(Line::new(format!(
            "INFO route {i} recomputed for tenant blue"
        )));
    }
    let s = run(&base, &now, 500.0, 500.0);
    assert!(s.to_shift().is_some());
    assert_eq!(s.to_error_shift(), None, "{:#?}", s.changes);
    for i in 0..20 {
        now.push(Line::new(format!("ERROR price lookup failed for sku-{i}")));
    }
    let s = run(&base, &now, 500.0, 500.0);
    let e = s.to_error_shift().unwrap();
    assert!(
        e.summary.starts_with("new: ") && e.summary.contains("price lookup failed"),
        "{}",
        e.summary
    );
    assert!(
        e.summary.contains("1 more template changed"),
        "{}",
        e.summary
    );
}

#[test]
fn lines_between_keeps_the_window_and_says_how_far_the_read_got() {
    let text = "2026-11-25T09:00:00.5Z INFO a\n2026-11-25T09:10:00Z ERROR b\nno timestamp\n2026-11-25T09:20:00Z INFO c\n";
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_second() as f64;
    let (lines, last) =
        super::shift::lines_between(text, t("2026-11-25T09:05:00Z"), t("2026-11-25T09:30:00Z"));
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["ERROR b", "INFO c"]);
    assert!(lines[0].error && !lines[1].error);
    assert_eq!(last, Some(t("2026-11-25T09:20:00Z")));
    let (none, last) = super::shift::lines_between(text, 0.0, 1.0);
    assert!(none.is_empty() && last.is_none());
}
