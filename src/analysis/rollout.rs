//! The rollout runbook's reasoning: did a Deployment's rollout make the service slower, fail more
//! or serve less? From counts in two equal windows around the rollout to findings.
//!
//! Pure: [`analyze`] takes [`RolloutEvidence`] (request, error and histogram-bucket counts per
//! operation and for the whole service, in the window before the rollout and the window after it
//! settled) and [`RolloutParams`] (the runbook's thresholds), and returns findings. It does not
//! cry wolf: a regression needs both a significant test ([`stats`]) and an effect large enough to
//! matter, each window needs enough requests to tell, and the per-operation tests share the
//! significance level among the operations (Bonferroni), so testing forty endpoints does not find
//! one by chance. Latency is tested on what a histogram can say soundly: the share of requests
//! slower than the bucket bound that held the before window's p95 (or p99); the quantile values
//! themselves only size the effect. Too little traffic gives an `insufficient_traffic` finding
//! that says how long to wait, and no regression finding. Also here: choosing the rollout in a
//! Deployment's history ([`pick_revision`]) and the windows around it ([`windows`]). Not here:
//! fetching anything. Tests: `rollout/tests.rs`, and the statistics in `rollout/stats.rs`.

mod findings;
mod judge;
pub mod stats;
mod timing;

pub use timing::{Cut, PickError, Picked, Windows, pick_revision, windows};

use crate::analysis::changes::Revision;
use crate::model::cluster::WorkloadKind;
use crate::report::Finding;
use findings::{finding, gated, insufficient, rollout_words, too_early, windows_words};
use judge::{Check, Judge, Regression};

/// The quantiles compared, in the order of [`Counts::quantiles`].
pub const QUANTILES: [f64; 2] = [0.95, 0.99];

/// The after window must be at least this long to hold a comparison (four 15 s scrapes).
pub const MIN_WINDOW_SECONDS: f64 = 60.0;

/// What one window holds for one scope (an operation, or the whole service).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// `increase()` of the request counter over the window.
    pub requests: f64,
    pub errors: f64,
    /// Cumulative histogram buckets `(le, count)` over the window; `+Inf` is `f64::INFINITY`.
    pub buckets: Vec<(f64, f64)>,
    /// `histogram_quantile` of [`QUANTILES`] over the window, when Prometheus had one.
    pub quantiles: [Option<f64>; 2],
}

/// One scope compared: `operation` `None` is the whole service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub operation: Option<String>,
    pub before: Counts,
    pub after: Counts,
}

/// The rollout judged, as the workload's history records it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RolloutRef {
    /// Deployment, StatefulSet or DaemonSet: what `kubectl rollout undo` is given.
    pub kind: WorkloadKind,
    /// The workload's name (a Deployment's, or a StatefulSet's or DaemonSet's).
    pub deployment: String,
    pub revision: u64,
    pub images: Vec<String>,
    pub change_cause: Option<String>,
    /// The revision before it: where `kubectl rollout undo` goes back to.
    pub previous: Option<u64>,
    /// A later revision, rolled out since, and when.
    pub next: Option<(u64, f64)>,
}

/// The queries behind the counts, shown as evidence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queries {
    pub requests: String,
    pub errors: String,
    pub buckets: String,
    /// Per operation and overall, one per [`QUANTILES`].
    pub quantile_by_operation: [String; 2],
    pub quantile: [String; 2],
}

/// Which steps answered: a comparison whose data is missing is not made.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Answered {
    pub traffic: bool,
    pub errors: bool,
    pub latency: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RolloutEvidence {
    pub service: String,
    /// The workload's namespace (where the undo runs).
    pub namespace: String,
    /// `None`: the time came from `--since`, with no Deployment history to name a revision.
    pub rollout: Option<RolloutRef>,
    /// When the rollout began, unix seconds.
    pub at: f64,
    pub windows: Windows,
    /// `--window`, before any shortening.
    pub requested_window: f64,
    pub settle: f64,
    /// The whole service.
    pub overall: Scope,
    pub operations: Vec<Scope>,
    pub answered: Answered,
    pub queries: Queries,
}

/// The runbook's thresholds.
#[derive(Debug, Clone)]
pub struct RolloutParams {
    pub min_requests: f64,
    pub significance: f64,
    pub latency_min_ratio: f64,
    pub latency_min_seconds: f64,
    pub latency_critical_ratio: f64,
    pub error_min_increase: f64,
    pub error_min_ratio: f64,
    pub error_critical_increase: f64,
    pub throughput_min_drop: f64,
    pub throughput_critical_drop: f64,
}

pub fn analyze(ev: &RolloutEvidence, p: &RolloutParams) -> Vec<Finding> {
    let Some(after) = ev.windows.after else {
        return vec![too_early(ev, p)];
    };
    let j = Judge {
        ev,
        p,
        before_at: ev.windows.before.1,
        after_at: after.1,
        t_before: ev.windows.length(),
        t_after: after.1 - after.0,
    };
    let (what, resource) = rollout_words(ev);
    let windows_words = windows_words(ev, after);

    let mut out = Vec::new();
    let mut throughput_dropped = false;
    for check in [Check::Errors, Check::Latency, Check::Throughput] {
        if !check.answered(ev.answered) {
            continue;
        }
        let named: Vec<&Scope> = ev
            .operations
            .iter()
            .filter(|s| s.operation.as_deref().is_some_and(|o| !o.is_empty()))
            .collect();
        // Bonferroni over the operations that have the traffic to be tested at all.
        let testable = named.iter().filter(|s| j.testable(check, s)).count().max(1);
        let per_op: Vec<Regression> = named
            .iter()
            .filter_map(|s| j.test(check, s, p.significance / testable as f64))
            .collect();
        let ops: Vec<String> = per_op.iter().filter_map(|r| r.scope.clone()).collect();
        if let Some(mut r) = j.test(check, &ev.overall, p.significance) {
            throughput_dropped |= check == Check::Throughput;
            if !ops.is_empty() {
                r.detail
                    .push_str(&format!(" Operations that regressed: {}.", ops.join(", ")));
            }
            out.push(finding(
                check,
                &r,
                ev,
                &what,
                resource.as_deref(),
                &windows_words,
                false,
            ));
        }
        for r in &per_op {
            out.push(finding(
                check,
                r,
                ev,
                &what,
                resource.as_deref(),
                &windows_words,
                true,
            ));
        }
    }

    // Too few requests to compare errors and latency: say so, unless traffic collapsing is the
    // finding.
    let (n1, n2) = (gated(ev, &ev.overall.before), gated(ev, &ev.overall.after));
    if (ev.answered.traffic || ev.answered.latency)
        && !(j.enough(n1) && j.enough(n2))
        && !throughput_dropped
    {
        out.push(insufficient(
            ev,
            p,
            n1,
            n2,
            j.t_before,
            &what,
            resource.as_deref(),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
