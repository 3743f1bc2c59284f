//! Unit tests of the rollout analysis on hand-made evidence: the windows, the choice of revision,
//! and each comparison with its edge cases (no traffic, no errors before, NaN buckets, windows
//! too short, many operations).

use super::judge::{bound_for, clean_buckets, slower_than};
use super::*;
use crate::analysis::common::hhmm;
use crate::report::{Safety, Severity};

const T: f64 = 1_795_599_000.0;
const MIN: f64 = 60.0;
const BOUNDS: [f64; 8] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, f64::INFINITY];

fn params() -> RolloutParams {
    RolloutParams {
        min_requests: 200.0,
        significance: 0.01,
        latency_min_ratio: 1.2,
        latency_min_seconds: 0.05,
        latency_critical_ratio: 2.0,
        error_min_increase: 0.01,
        error_min_ratio: 1.5,
        error_critical_increase: 0.05,
        throughput_min_drop: 0.3,
        throughput_critical_drop: 0.6,
    }
}

/// `n` requests whose latencies put `shares[i]` of them in bucket `i` of [`BOUNDS`].
fn histogram(n: f64, shares: [f64; 8]) -> Vec<(f64, f64)> {
    let mut cum = 0.0;
    BOUNDS
        .iter()
        .zip(shares)
        .map(|(le, s)| {
            cum += s * n;
            (*le, if *le == f64::INFINITY { n } else { cum })
        })
        .collect()
}

/// Fast: 96 % under 250 ms, 4 % under 500 ms; p95 ≈ 240 ms, p99 ≈ 440 ms.
const FAST: [f64; 8] = [0.3, 0.4, 0.26, 0.04, 0.0, 0.0, 0.0, 0.0];
/// Slow: most requests between 0.5 s and 2.5 s; p95 ≈ 2.2 s.
const SLOW: [f64; 8] = [0.05, 0.05, 0.1, 0.1, 0.3, 0.4, 0.0, 0.0];

fn counts(requests: f64, errors: f64, shares: [f64; 8], p95: f64, p99: f64) -> Counts {
    Counts {
        requests,
        errors,
        buckets: histogram(requests, shares),
        quantiles: [Some(p95), Some(p99)],
    }
}

fn healthy(requests: f64) -> Counts {
    counts(requests, requests * 0.002, FAST, 0.24, 0.44)
}

fn scope(op: Option<&str>, before: Counts, after: Counts) -> Scope {
    Scope {
        operation: op.map(str::to_string),
        before,
        after,
    }
}

/// A rollout of revision 7 at [`T`], judged 32 minutes later: two 30-minute windows.
fn evidence(overall: Scope, operations: Vec<Scope>) -> RolloutEvidence {
    RolloutEvidence {
        service: "checkout".into(),
        namespace: "shop".into(),
        rollout: Some(RolloutRef {
            kind: WorkloadKind::Deployment,
            deployment: "checkout".into(),
            revision: 7,
            images: vec!["registry.example/shop/checkout:1.9.0".into()],
            change_cause: Some("new pricing engine".into()),
            previous: Some(6),
            next: None,
        }),
        at: T,
        windows: windows(T, T + 32.0 * MIN, 30.0 * MIN, 2.0 * MIN, None),
        requested_window: 30.0 * MIN,
        settle: 2.0 * MIN,
        overall,
        operations,
        answered: Answered {
            traffic: true,
            errors: true,
            latency: true,
        },
        queries: Queries {
            requests: "requests".into(),
            errors: "errors".into(),
            buckets: "buckets".into(),
            quantile_by_operation: ["q95 by op".into(), "q99 by op".into()],
            quantile: ["q95".into(), "q99".into()],
        },
    }
}

fn run(ev: &RolloutEvidence) -> Vec<Finding> {
    crate::report::rank(analyze(ev, &params()))
}

fn kinds(f: &[Finding]) -> Vec<(&str, Option<&str>, Severity)> {
    f.iter()
        .map(|f| (f.kind.as_str(), f.subject.operation.as_deref(), f.severity))
        .collect()
}

fn undo_command(f: &Finding) -> Option<&str> {
    f.remediation.iter().find_map(|r| r.command.as_deref())
}

// ---------------------------------------------------------------------------
// Windows and revisions
// ---------------------------------------------------------------------------

#[test]
fn windows_are_equal_and_leave_out_the_settling() {
    let w = windows(T, T + 60.0 * MIN, 30.0 * MIN, 2.0 * MIN, None);
    assert_eq!(w.before, (T - 30.0 * MIN, T));
    assert_eq!(w.after, Some((T + 2.0 * MIN, T + 32.0 * MIN)));
    assert_eq!(w.cut, Cut::No);
}

#[test]
fn a_recent_rollout_shortens_both_windows() {
    let w = windows(T, T + 12.0 * MIN, 30.0 * MIN, 2.0 * MIN, None);
    assert_eq!(w.length(), 10.0 * MIN);
    assert_eq!(w.before, (T - 10.0 * MIN, T));
    assert_eq!(w.after, Some((T + 2.0 * MIN, T + 12.0 * MIN)));
    assert_eq!(w.cut, Cut::Now);
}

#[test]
fn a_later_revision_ends_the_after_window() {
    let w = windows(
        T,
        T + 90.0 * MIN,
        30.0 * MIN,
        2.0 * MIN,
        Some(T + 20.0 * MIN),
    );
    assert_eq!(w.after, Some((T + 2.0 * MIN, T + 20.0 * MIN)));
    assert_eq!(w.cut, Cut::NextRevision);
}

#[test]
fn tiny_windows_are_no_windows() {
    // Rolled out 150 s ago: 30 s past the settling, under the one-minute minimum.
    let w = windows(T, T + 150.0, 30.0 * MIN, 2.0 * MIN, None);
    assert_eq!(w.after, None);
    assert_eq!(
        w.length(),
        30.0 * MIN,
        "the before window still shows the usual traffic"
    );
    // Evaluated before the rollout even began.
    assert_eq!(windows(T, T - 10.0, 30.0 * MIN, 0.0, None).after, None);
}

fn rev(revision: u64, created: f64) -> Revision {
    Revision {
        revision,
        created,
        images: vec![format!("img:{revision}")],
        change_cause: None,
        ..Default::default()
    }
}

#[test]
fn the_latest_revision_is_judged_and_the_one_before_is_the_undo() {
    let revs = [rev(7, T), rev(5, T - 9000.0), rev(6, T - 3000.0)];
    let p = pick_revision("deployment/checkout", &revs, None, None, 120.0)
        .unwrap()
        .unwrap();
    assert_eq!(p.current.revision, 7);
    assert_eq!(p.previous.map(|r| r.revision), Some(6));
    assert!(p.next.is_none());
    let p = pick_revision("deployment/checkout", &revs, Some(6), None, 120.0)
        .unwrap()
        .unwrap();
    assert_eq!(
        (p.previous.map(|r| r.revision), p.next.map(|r| r.revision)),
        (Some(5), Some(7))
    );
}

#[test]
fn an_unknown_revision_names_the_ones_there_are() {
    let revs = [rev(6, T - 3000.0), rev(7, T)];
    let e = pick_revision("deployment/checkout", &revs, Some(9), None, 120.0).unwrap_err();
    assert!(matches!(e, PickError::NoSuchRevision(_)), "{e:?}");
    assert!(
        e.message().contains("revision 9") && e.message().contains("6, 7"),
        "{e:?}"
    );
    let e = pick_revision("deployment/checkout", &[], None, None, 120.0).unwrap_err();
    assert!(
        matches!(&e, PickError::Undated(m) if m.contains("deployment/checkout has no revisions")),
        "{e:?}"
    );
}

#[test]
fn a_rollback_is_not_dated_by_its_old_replicaset() {
    // `kubectl rollout undo` to revision 5 makes it revision 8, with 5's old creation time.
    let revs = [rev(6, T - 3000.0), rev(7, T), rev(8, T - 9000.0)];
    let e = pick_revision("deployment/checkout", &revs, None, None, 120.0).unwrap_err();
    assert!(
        matches!(&e, PickError::Undated(m) if m.contains("--since")),
        "{e:?}"
    );
    // With --since, the revision running then is the one judged.
    let p = pick_revision("deployment/checkout", &revs, None, Some(T + 60.0), 120.0)
        .unwrap()
        .unwrap();
    assert_eq!(p.current.revision, 8);
    // A --since before any revision: nothing to undo, and no error.
    assert!(
        pick_revision(
            "deployment/checkout",
            &revs,
            None,
            Some(T - 99_999.0),
            120.0
        )
        .unwrap()
        .is_none()
    );
}

#[test]
fn since_a_little_before_the_replicaset_still_picks_it() {
    let revs = [rev(6, T - 3000.0), rev(7, T + 30.0)];
    let p = pick_revision("deployment/checkout", &revs, None, Some(T), 120.0)
        .unwrap()
        .unwrap();
    assert_eq!(p.current.revision, 7);
}

// ---------------------------------------------------------------------------
// Regressions
// ---------------------------------------------------------------------------

#[test]
fn a_latency_regression_is_critical_with_the_undo() {
    let slow = counts(6000.0, 12.0, SLOW, 2.2, 2.45);
    let ev = evidence(
        scope(None, healthy(6000.0), slow.clone()),
        vec![scope(Some("POST /orders"), healthy(6000.0), slow)],
    );
    let f = run(&ev);
    assert_eq!(
        kinds(&f),
        vec![
            ("latency_regression", None, Severity::Critical),
            (
                "latency_regression",
                Some("POST /orders"),
                Severity::Critical
            ),
        ]
    );
    let top = &f[0];
    assert_eq!(
        undo_command(top),
        Some("kubectl rollout undo deployment/checkout --to-revision=6 -n shop")
    );
    assert_eq!(top.remediation[0].safety, Safety::Safe);
    assert_eq!(
        top.subject.resource.as_deref(),
        Some("deployment/checkout revision 7")
    );
    assert!(
        top.title.contains("p95 rose from 240ms to 2.20s"),
        "{}",
        top.title
    );
    assert!(top.detail.contains("POST /orders"), "{}", top.detail);
    assert!(top.detail.contains("new pricing engine"), "{}", top.detail);
    assert!(top.score > f[1].score && top.score <= 1.0);
    // Evidence: the quantile before and after, and the counts the test used.
    assert_eq!(top.evidence.len(), 4);
    assert_eq!(top.evidence[0].query.as_deref(), Some("q95"));
    assert!(top.remediation.iter().any(|r| {
        r.command
            .as_deref()
            .is_some_and(|c| c.starts_with("tracectl investigate latency --service checkout"))
    }));
}

#[test]
fn an_error_regression_names_the_operation() {
    let before = healthy(5000.0);
    let mut after = healthy(5000.0);
    after.errors = 400.0; // 0.2 % → 8 %
    let ev = evidence(
        scope(None, counts(9000.0, 18.0, FAST, 0.24, 0.44), {
            let mut a = healthy(9000.0);
            a.errors = 410.0;
            a
        }),
        vec![
            scope(Some("POST /orders"), before, after),
            scope(Some("GET /cart"), healthy(4000.0), healthy(4000.0)),
        ],
    );
    let f = run(&ev);
    assert_eq!(
        kinds(&f),
        vec![
            // Critical outranks warning, even an operation's over the service's.
            ("error_regression", Some("POST /orders"), Severity::Critical),
            ("error_regression", None, Severity::Warning),
        ],
        "{f:#?}"
    );
    assert!(
        f[1].detail
            .contains("Operations that regressed: POST /orders")
    );
    assert!(f[1].title.contains("0.20% to 4.56%"), "{}", f[1].title);
    assert!(
        f[0].title.starts_with("checkout POST /orders error ratio"),
        "{}",
        f[0].title
    );
}

#[test]
fn zero_errors_before_is_a_regression_only_when_many_fail_after() {
    let mut before = healthy(1000.0);
    before.errors = 0.0;
    let mut few = healthy(1000.0);
    few.errors = 3.0; // 0 → 0.3 %: under the one-point minimum
    assert!(run(&evidence(scope(None, before.clone(), few), vec![])).is_empty());
    let mut many = healthy(1000.0);
    many.errors = 40.0; // 0 → 4 %
    let f = run(&evidence(scope(None, before, many), vec![]));
    assert_eq!(
        kinds(&f),
        vec![("error_regression", None, Severity::Warning)]
    );
    assert!(f[0].detail.contains("Fisher") || f[0].detail.contains("z-test"));
}

#[test]
fn a_throughput_drop_to_nothing_is_critical_and_not_low_traffic() {
    let gone = Counts::default();
    let f = run(&evidence(scope(None, healthy(6000.0), gone), vec![]));
    assert_eq!(
        kinds(&f),
        vec![("throughput_drop", None, Severity::Critical)]
    );
    assert!(f[0].title.contains("fell 100%"), "{}", f[0].title);
    assert!(undo_command(&f[0]).is_some());
}

#[test]
fn a_moderate_throughput_drop_is_a_warning() {
    let f = run(&evidence(
        scope(None, healthy(6000.0), healthy(3600.0)),
        vec![],
    ));
    assert_eq!(
        kinds(&f),
        vec![("throughput_drop", None, Severity::Warning)]
    );
}

// ---------------------------------------------------------------------------
// No crying wolf
// ---------------------------------------------------------------------------

#[test]
fn the_same_service_after_is_no_finding() {
    let mut after = healthy(5900.0);
    after.errors = 14.0;
    after.quantiles = [Some(0.25), Some(0.46)];
    let f = run(&evidence(
        scope(None, healthy(6000.0), after.clone()),
        vec![scope(Some("GET /cart"), healthy(6000.0), after)],
    ));
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn a_large_but_noisy_change_on_little_traffic_is_not_a_regression() {
    // 250 requests each: 1 error → 3 errors (0.4 % → 1.2 %) passes the effect size but not the
    // test.
    let mut before = healthy(250.0);
    before.errors = 1.0;
    let mut after = healthy(250.0);
    after.errors = 4.0;
    assert!(run(&evidence(scope(None, before, after), vec![])).is_empty());
}

#[test]
fn a_significant_but_tiny_latency_change_is_not_a_regression() {
    // Millions of requests make +10 ms significant; it is still not worth failing a deploy.
    let before = counts(2e6, 0.0, FAST, 0.24, 0.44);
    let after = counts(
        2e6,
        0.0,
        [0.28, 0.4, 0.27, 0.05, 0.0, 0.0, 0.0, 0.0],
        0.25,
        0.45,
    );
    assert!(run(&evidence(scope(None, before, after), vec![])).is_empty());
}

#[test]
fn many_operations_share_the_significance_level() {
    // One of 40 operations with a marginal rise in errors: significant alone (p ≈ 0.003),
    // not once 40 operations are tested.
    let mut ops: Vec<Scope> = (0..39)
        .map(|i| {
            scope(
                Some(&format!("GET /p{i}")),
                healthy(1000.0),
                healthy(1000.0),
            )
        })
        .collect();
    let mut before = healthy(3000.0);
    before.errors = 30.0; // 1 %
    let mut after = healthy(3000.0);
    after.errors = 62.0; // 2.07 %
    let alone = stats::share_increase(30, 3000, 62, 3000).0;
    assert!(alone < 0.01 && alone > 0.01 / 40.0, "{alone}");
    ops.push(scope(Some("POST /orders"), before, after));
    let f = run(&evidence(
        scope(None, healthy(42_000.0), healthy(42_000.0)),
        ops,
    ));
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn too_little_traffic_says_how_long_to_wait() {
    // 60 requests per 30 minutes: 0.033/s, 200 requests take 1h40m.
    let f = run(&evidence(scope(None, healthy(60.0), healthy(55.0)), vec![]));
    assert_eq!(
        kinds(&f),
        vec![("insufficient_traffic", None, Severity::Info)]
    );
    assert!(
        f[0].title.contains("60 requests before, 55 after"),
        "{}",
        f[0].title
    );
    assert!(
        f[0].detail.contains("--window 1h50m after"),
        "{}",
        f[0].detail
    );
    assert!(f[0].remediation.is_empty());
}

#[test]
fn a_recent_rollout_with_too_little_traffic_says_when_to_run_again() {
    let mut ev = evidence(scope(None, healthy(100.0), healthy(100.0)), vec![]);
    // Ten minutes since the rollout: two 8-minute windows of 100 requests each (0.21/s).
    ev.windows = windows(T, T + 10.0 * MIN, 30.0 * MIN, 2.0 * MIN, None);
    let f = run(&ev);
    assert_eq!(
        kinds(&f),
        vec![("insufficient_traffic", None, Severity::Info)]
    );
    // 200 requests at 0.21/s take 16 minutes: after T + 2m + 16m.
    assert!(f[0].detail.contains("run again after"), "{}", f[0].detail);
    assert!(
        f[0].detail.contains(&hhmm(T + 18.0 * MIN)),
        "{}",
        f[0].detail
    );
}

#[test]
fn zero_traffic_in_both_windows_points_at_the_profile() {
    let f = run(&evidence(
        scope(None, Counts::default(), Counts::default()),
        vec![],
    ));
    assert_eq!(
        kinds(&f),
        vec![("insufficient_traffic", None, Severity::Info)]
    );
    assert!(f[0].detail.contains("--profile"), "{}", f[0].detail);
}

#[test]
fn too_early_is_insufficient_traffic_with_a_time() {
    let mut ev = evidence(scope(None, healthy(6000.0), Counts::default()), vec![]);
    ev.windows = windows(T, T + 150.0, 30.0 * MIN, 2.0 * MIN, None);
    let f = run(&ev);
    assert_eq!(
        kinds(&f),
        vec![("insufficient_traffic", None, Severity::Info)]
    );
    // 6000 per 30 minutes is 3.3/s: the minimum one-minute window is enough.
    assert!(
        f[0].title
            .contains(&format!("run again after {}", hhmm(T + 3.0 * MIN))),
        "{}",
        f[0].title
    );
}

#[test]
fn nan_buckets_and_missing_quantiles_are_skipped_not_trusted() {
    let mut before = healthy(6000.0);
    let mut after = counts(6000.0, 12.0, SLOW, 2.2, 2.45);
    for (_, c) in before.buckets.iter_mut().take(3) {
        *c = f64::NAN;
    }
    after.buckets.retain(|(le, _)| le.is_finite()); // no +Inf: not a histogram
    assert!(run(&evidence(scope(None, before.clone(), after), vec![])).is_empty());
    let mut after = counts(6000.0, 12.0, SLOW, 2.2, 2.45);
    after.quantiles = [Some(f64::NAN), None];
    assert!(run(&evidence(scope(None, before, after), vec![])).is_empty());
}

#[test]
fn buckets_are_repaired_like_histogram_quantile_does() {
    let raw = vec![
        (f64::INFINITY, 10.0),
        (0.5, 9.0),
        (0.25, 9.5), // not monotonic: extrapolated per series
        (f64::NAN, 3.0),
        (1.0, f64::NAN),
    ];
    assert_eq!(
        clean_buckets(&raw),
        Some(vec![(0.25, 9.5), (0.5, 9.5), (f64::INFINITY, 10.0)])
    );
    assert_eq!(bound_for(&raw, 0.95), Some(0.25));
    assert_eq!(
        bound_for(&raw, 0.99),
        None,
        "in +Inf: nothing to test against"
    );
    assert_eq!(slower_than(&raw, 0.5), Some((0, 10)));
    assert_eq!(slower_than(&raw, 0.75), None, "no such bucket");
    assert_eq!(clean_buckets(&[(0.5, 3.0)]), None);
}

#[test]
fn without_kubernetes_the_fix_is_advice() {
    let slow = counts(6000.0, 12.0, SLOW, 2.2, 2.45);
    let mut ev = evidence(scope(None, healthy(6000.0), slow), vec![]);
    ev.rollout = None;
    let f = run(&ev);
    assert_eq!(f[0].kind, "latency_regression");
    assert_eq!(f[0].remediation[0].safety, Safety::AdviceOnly);
    assert!(f[0].subject.resource.is_none());
    assert!(f[0].title.contains("checkout p95"), "{}", f[0].title);
}

#[test]
fn a_failed_step_makes_no_comparison() {
    let slow = counts(6000.0, 900.0, SLOW, 2.2, 2.45);
    let mut ev = evidence(scope(None, healthy(6000.0), slow), vec![]);
    ev.answered = Answered {
        traffic: true,
        errors: false,
        latency: false,
    };
    assert!(run(&ev).is_empty());
    ev.answered = Answered::default();
    assert!(run(&ev).is_empty());
}
