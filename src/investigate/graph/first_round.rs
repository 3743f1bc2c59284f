//! The call graph's first round (see the parent's doc): fleet-wide, Prometheus answers only the
//! series that *may* have changed (a necessary condition of the client's change test), those
//! over the runbook's level now (the chronic candidates), the worst level, and how many calls
//! exist; which services the second round reads in full follows from them. Tests: the
//! condition below never drops a rise (`first_round_tests.rs`); against a real Prometheus,
//! `tests/it/localize_shape.rs`.

use std::collections::BTreeSet;
use std::time::Duration;

use super::rounds::{Selection, axis_names, median, render};
use super::shape;
use super::{Key, SIGNALS};
use crate::analysis::localize::{Axis, Params, Rule};
use crate::investigate::ctx::Ctx;
use crate::runbook::LabelNames;

/// A necessary condition of [`localize::rise`] under a rule: the series whose value now is
/// above `min_ratio` times the baseline median (when the rule has a ratio; strictly above, as a
/// rise is also `min_delta` > 0 up: a flat zero is no candidate), else at least `min_delta`
/// above it. One condition, so the baseline (the costly subquery) is evaluated once; the
/// z-score needs the quartiles and is the client's, in the second round. A hair of slack
/// (1e-6, relative) keeps a series whose test sits exactly on the bar, where Prometheus' and
/// Rust's float arithmetic could round apart. With neither bar, every series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Necessary {
    Above(f64),
    AtLeast(f64),
    DeltaAtLeast(f64),
    Every,
}

impl Necessary {
    fn of(rule: &Rule) -> Self {
        const SLACK: f64 = 1.0 - 1e-6;
        match (rule.min_ratio > 1.0, rule.min_delta > 0.0) {
            (true, true) => Necessary::Above(rule.min_ratio * SLACK),
            (true, false) => Necessary::AtLeast(rule.min_ratio * SLACK),
            (false, true) => Necessary::DeltaAtLeast(rule.min_delta * SLACK),
            (false, false) => Necessary::Every,
        }
    }

    /// The condition on query `q` now and its baseline median `m`, in PromQL (a filtering
    /// comparison: the series of `q` that pass).
    fn promql(&self, q: &str, m: &str) -> String {
        match self {
            Necessary::Above(r) => format!("({q}) > {r} * ({m})"),
            Necessary::AtLeast(r) => format!("({q}) >= {r} * ({m})"),
            Necessary::DeltaAtLeast(d) => format!("({q}) - ({m}) >= {d}"),
            Necessary::Every => q.to_string(),
        }
    }

    /// The same condition as PromQL evaluates it (a NaN compares false).
    #[cfg(test)]
    fn holds(&self, now: f64, median: f64) -> bool {
        match self {
            Necessary::Above(r) => now > r * median,
            Necessary::AtLeast(r) => now >= r * median,
            Necessary::DeltaAtLeast(d) => now - median >= *d,
            Necessary::Every => true,
        }
    }
}

fn necessary(q: &str, m: &str, rule: &Rule) -> String {
    Necessary::of(rule).promql(q, m)
}

/// What a first-round query asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Probe {
    /// The axis' series (a service's, or a call's) that may have risen.
    Changed(Key),
    /// Over the runbook's level now: the chronic candidates (a service is chronic when it is
    /// over it in the baseline too and did not change, judged on the second round's values).
    Chronic,
    /// The worst level now (every service tied at it).
    Worst,
    /// How many calls exist now (one number): whether the second round reads the graph's
    /// whole shape beside the values, or `shape.rs` reads what is needed of it in rounds.
    Size,
}

/// The first round: which services the second reads in full. Rendered with every series, or
/// (`within`, with `--service`) those of the services the walk can reach and the calls from or
/// to them; the size probe counts the fleet's calls either way.
pub(super) fn probes(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    (axis, level): (Axis, f64),
    offset: Duration,
    within: &Selection,
) -> Vec<(Probe, String)> {
    let off = crate::clock::format_duration(offset);
    let q = |name: &str| {
        SIGNALS
            .iter()
            .find(|(n, _, _)| *n == name)
            .and_then(|(n, k, _)| render(ctx, n, *k, within).ok())
    };
    let mut out = Vec::new();
    if let Some(q) = shape::size_query(ctx, labels) {
        out.push((Probe::Size, q));
    }
    let (server, calls) = axis_names(axis);
    let rule = match axis {
        Axis::Latency => &params.latency,
        Axis::Errors => &params.errors,
    };
    if let Some(s) = q(server) {
        out.push((
            Probe::Changed(Key::Service),
            necessary(&s, &median(&s, &off), rule),
        ));
        if level.is_finite() {
            out.push((Probe::Chronic, format!("({s}) >= {level}")));
        }
        out.push((
            Probe::Worst,
            format!("(({s}) < Inf) >= scalar(max(({s}) < Inf))"),
        ));
    }
    if let Some(c) = q(calls) {
        out.push((
            Probe::Changed(Key::Call),
            necessary(&c, &median(&c, &off), rule),
        ));
    }
    // No probe of the median: the second round reads it for the services selected here and
    // their calls. The body shift it is for hides under a tail slow as usual, which puts the
    // service over the runbook's level (the chronic probe above selects it). A fleet-wide
    // probe of it cost as much as the p95's, the first round's heaviest queries: at 10,000
    // services the latency run took 53 s with it, against 41 s before the median.
    // No probe of the containers' resources: they only agree with a service's own change, and
    // every service that may have changed has its containers read in the second round. (A
    // service whose resource alone rose cannot be a candidate; reading it cost the fleet's
    // service list, to map its container to it.)
    out
}

/// A signal's query now over the whole fleet, when the runbook has it: the evidence findings
/// cite (what one would run by hand).
pub(super) fn now_query(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    let key = SIGNALS.iter().find(|(n, _, _)| *n == name)?.1;
    render(ctx, name, key, &None).ok()
}

/// The first round's answers: which services the second reads, what exists, the worst level.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// The services the second round reads in full; `None` (every one) when a query that
    /// decides them failed, so the answer stays exact at the old cost.
    pub(super) select: Option<BTreeSet<String>>,
    /// (service, level now) of the worst-level query, when it answered.
    pub(super) worst: Option<Vec<(String, f64)>>,
    /// How many calls exist now, when that answered.
    pub(super) size: Option<f64>,
    pub(super) answered: usize,
}

/// Run the first round and read off its answers (see the module's doc).
pub(super) async fn first_round(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    probes: &[(Probe, String)],
    start: Option<&str>,
    warnings: &mut Vec<String>,
) -> Found {
    let answers = futures::future::join_all(
        probes
            .iter()
            .map(|(_, q)| async move { ctx.samples(q).await }),
    )
    .await;
    let mut f = Found::default();
    let mut select: BTreeSet<String> = start.into_iter().map(str::to_string).collect();
    let mut exact = true;
    let label = |l: &crate::backends::prometheus::Labels, k: &str| -> String {
        l.get(k).cloned().unwrap_or_default()
    };
    for ((probe, _), answer) in probes.iter().zip(answers) {
        let samples = match answer {
            Ok((samples, w)) => {
                warnings.extend(w);
                f.answered += 1;
                samples
            }
            Err(e) => {
                let why = e.reason();
                warnings.push(format!("{} (first round): {why}", probe_name(*probe)));
                // Without a query that picks services, the second round reads them all.
                // (Without the size, the whole shape is read, as when it is small.)
                if *probe != Probe::Size {
                    exact = false;
                }
                continue;
            }
        };
        let svc = |l| label(l, &labels.service);
        match probe {
            Probe::Changed(Key::Call) => {
                for (l, _) in &samples {
                    select.insert(svc(l));
                    select.insert(label(l, &labels.dependency));
                }
            }
            Probe::Changed(_) | Probe::Chronic => {
                select.extend(samples.iter().map(|(l, _)| svc(l)))
            }
            Probe::Worst => {
                let tied: Vec<(String, f64)> = samples.iter().map(|(l, v)| (svc(l), *v)).collect();
                select.extend(tied.iter().map(|(s, _)| s.clone()));
                f.worst = Some(tied);
            }
            // `count()` of nothing is no sample: no call.
            Probe::Size => f.size = Some(samples.first().map_or(0.0, |(_, v)| *v)),
        }
    }
    select.retain(|n| !n.is_empty());
    f.select = exact.then_some(select);
    f
}

fn probe_name(p: Probe) -> &'static str {
    match p {
        Probe::Changed(Key::Call) => "calls that may have changed",
        Probe::Changed(_) => "services that may have changed",
        Probe::Chronic => "services over the level now",
        Probe::Worst => "the worst level now",
        Probe::Size => "how many calls exist",
    }
}

#[cfg(test)]
#[path = "first_round_tests.rs"]
mod tests;
