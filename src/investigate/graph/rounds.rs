//! The call graph's two rounds (see the parent's doc): the first round's probes (what may have
//! changed, the chronic and worst candidates, the graph's size, fleet-wide), the second round's
//! queries for the selected services, the shape beyond them as far as it is needed
//! (`shape.rs`), and the reading of all into views and a localization. Tests: the first round's
//! condition below; both rounds against a real Prometheus in `tests/it/localize_shape.rs`
//! (`issue_19_…`).

use std::collections::BTreeSet;
use std::time::Duration;

use super::shape::{self, Shape};
use super::{BASELINE_RANGE, Graph, Key, SIGNALS, STEP, USUAL_DAYS, USUAL_RANGE, baseline_words};
use crate::analysis::localize::views::{self, Fleet, Part};
use crate::analysis::localize::{self, Axis, Params, Rule};
use crate::investigate::StepError;
use crate::investigate::ctx::{Ctx, warn};
use crate::promql::Value;
use crate::runbook::LabelNames;

/// The series a round reads: every one (`None`), or those of these services (for calls: from or
/// to one of them).
type Selection = Option<Vec<String>>;

/// A signal's query for `sel`, rendered. Calls from or to the selected services are two
/// renderings joined by `or` (the same labels, so a call between two selected services is one
/// series).
fn render(ctx: &Ctx<'_>, name: &str, key: Key, sel: &Selection) -> Result<String, StepError> {
    // No service selected: nothing to read (an empty set would render as a matcher that
    // selects no series; the request is not worth making).
    if sel.as_ref().is_some_and(Vec::is_empty) {
        return Err(StepError::Skipped(format!("{name}: no service selected")));
    }
    let any = || Value::AnyOf(None);
    let with = |services: Value, callers: Value, callees: Value| {
        ctx.query(
            STEP,
            name,
            &[
                ("services", services),
                ("callers", callers),
                ("callees", callees),
            ],
        )
    };
    match (key, sel) {
        (Key::Call, Some(s)) => {
            let from = with(any(), Value::AnyOf(Some(s.clone())), any())?;
            let to = with(any(), any(), Value::AnyOf(Some(s.clone())))?;
            Ok(format!("({from}) or ({to})"))
        }
        (_, sel) => with(Value::AnyOf(sel.clone()), any(), any()),
    }
}

/// The baseline's median of a query, `offset` before `--at`.
pub(super) fn median(q: &str, off: &str) -> String {
    format!("quantile_over_time(0.5, ({q}){BASELINE_RANGE} offset {off})")
}

/// Every query of the second round, rendered for `sel`: (signal, part, query). The step's
/// queries are the signals now; the baseline parts wrap each in `quantile_over_time` over the
/// baseline range.
fn plan(ctx: &Ctx<'_>, offset: Duration, sel: &Selection) -> Vec<(usize, Part, String)> {
    let off = crate::clock::format_duration(offset);
    let mut out = Vec::new();
    for (i, (name, key, rate)) in SIGNALS.iter().enumerate() {
        let Ok(q) = render(ctx, name, *key, sel) else {
            continue;
        };
        let summary =
            |p: f64| format!("quantile_over_time({p}, ({q}){BASELINE_RANGE} offset {off})");
        out.push((i, Part::Median, summary(0.5)));
        if !rate {
            out.push((i, Part::Q25, summary(0.25)));
            out.push((i, Part::Q75, summary(0.75)));
        }
        // The runbook's own signals (latency or errors, served and called) also around this
        // clock time a day and a week ago, where the data reach back: a change must be one
        // against those too. Not the resources: they only agree.
        if !rate && !matches!(SIGNALS[i].1, Key::Container) {
            for days in USUAL_DAYS {
                let ago = Duration::from_secs(days * 86_400) - USUAL_RANGE / 2;
                let ago = crate::clock::format_duration(ago);
                let range = crate::clock::format_duration(USUAL_RANGE);
                out.push((
                    i,
                    Part::Usual,
                    format!("quantile_over_time(0.5, ({q})[{range}:1m] offset {ago})"),
                ));
            }
        }
        out.push((i, Part::Now, q));
    }
    out
}

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

/// The first round: which services the second reads in full. Rendered with every series.
pub(super) fn probes(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    (axis, level): (Axis, f64),
    offset: Duration,
) -> Vec<(Probe, String)> {
    let off = crate::clock::format_duration(offset);
    let all: Selection = None;
    let q = |name: &str| {
        SIGNALS
            .iter()
            .find(|(n, _, _)| *n == name)
            .and_then(|(n, k, _)| render(ctx, n, *k, &all).ok())
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
fn now_query(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    let key = SIGNALS.iter().find(|(n, _, _)| *n == name)?.1;
    render(ctx, name, key, &None).ok()
}

/// The first round's answers: which services the second reads, what exists, the worst level.
#[derive(Debug, Default)]
struct Found {
    /// The services the second round reads in full; `None` (every one) when a query that
    /// decides them failed, so the answer stays exact at the old cost.
    select: Option<BTreeSet<String>>,
    /// (service, level now) of the worst-level query, when it answered.
    worst: Option<Vec<(String, f64)>>,
    /// How many calls exist now, when that answered.
    size: Option<f64>,
    answered: usize,
}

/// Run the first round and read off its answers (see the module's doc).
async fn first_round(
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

/// Read every signal and localize on the runbook's `axis`; `level` is its fixed threshold, which
/// names the chronic services (over it now and in their baseline). A query that fails leaves its
/// signal (or its baseline) out and becomes a warning; the step fails only when nothing could be
/// read.
pub(super) async fn read(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    start: Option<&str>,
    (axis, level): (Axis, f64),
    end: &crate::investigate::onset::BaselineEnd,
) -> Result<(Graph, Option<String>), StepError> {
    let offset = end.offset;
    let probes = probes(ctx, labels, params, (axis, level), offset);
    if probes.is_empty() {
        return Err(StepError::Failed(format!(
            "the runbook's {STEP} step has no queries for profile {}",
            ctx.settings.profile.name()
        )));
    }
    let mut warnings = Vec::new();
    let found = first_round(ctx, labels, &probes, start, &mut warnings).await;
    let mut queries: Vec<String> = probes.iter().map(|(_, q)| q.clone()).collect();
    let selection: Selection = found.select.as_ref().map(|s| s.iter().cloned().collect());
    // Nothing may have changed, nothing is chronic and nothing is named: no second round.
    let planned = match &selection {
        Some(s) if s.is_empty() => Vec::new(),
        sel => plan(ctx, offset, sel),
    };
    queries.extend(planned.iter().map(|(_, _, q)| q.clone()));
    // A small graph's whole shape is read beside the values, in the same round; a large one's
    // in rounds after them, as far as it is needed (`shape.rs`).
    let whole = shape::is_small(ctx, found.size);
    // No call measured: the shape from the trace store, if there is one (`shape::from_traces`).
    let no_calls = found.size == Some(0.0) || shape::size_query(ctx, labels).is_none();
    // Whose traces to sample if the trace store's dependencies are empty: the walk's start,
    // then the services that may have changed.
    let seeds: Vec<String> = start
        .map(str::to_string)
        .into_iter()
        .chain(
            found
                .select
                .iter()
                .flatten()
                .filter(|s| Some(s.as_str()) != start)
                .cloned(),
        )
        .collect();
    let mut shape = Shape::after_second_round(found.select.as_ref());
    let (answers, ()) = futures::join!(
        futures::future::join_all(
            planned
                .iter()
                .map(|(_, _, q)| async move { ctx.samples(q).await }),
        ),
        async {
            if whole {
                shape::read_whole(ctx, labels, offset, &mut shape, &mut warnings).await;
            }
            if no_calls {
                shape::from_traces(ctx, &seeds, &mut shape, &mut warnings).await;
            }
        }
    );
    let mut fleet = Fleet {
        window: ctx.settings.rate_window.as_secs_f64(),
        known_services: shape.services.clone(),
        known_calls: shape.calls.clone(),
        ..Default::default()
    };
    let mut read_now = found.answered;
    let mut first_error = None;
    for ((i, part, _), answer) in planned.iter().zip(answers) {
        let (name, key, _) = SIGNALS[*i];
        let (samples, w) = match answer {
            Ok(a) => a,
            Err(e) => {
                let why = e.reason();
                warnings.push(format!("{name} ({}): {why}", part_name(*part)));
                first_error.get_or_insert(e);
                continue;
            }
        };
        warnings.extend(w);
        if *part == Part::Now {
            read_now += 1;
        }
        let label = |l: &crate::backends::prometheus::Labels, k: &str| -> String {
            l.get(k).cloned().unwrap_or_default()
        };
        match key {
            Key::Service | Key::Container => {
                let k = match key {
                    Key::Service => labels.service.as_str(),
                    _ => "container",
                };
                let values: Vec<(String, f64)> =
                    samples.iter().map(|(l, v)| (label(l, k), *v)).collect();
                let col = match name {
                    "latency" => &mut fleet.latency,
                    "latency_p50" => &mut fleet.latency_p50,
                    "errors" => &mut fleet.errors,
                    "throughput" => &mut fleet.throughput,
                    "throttling" => &mut fleet.throttling,
                    "memory" => &mut fleet.memory,
                    "restarts" => &mut fleet.restarts,
                    _ => &mut fleet.cpu,
                };
                views::fill(col, *part, &values);
            }
            Key::Call => {
                let values: Vec<((String, String), f64)> = samples
                    .iter()
                    .map(|(l, v)| {
                        (
                            (label(l, &labels.service), label(l, &labels.dependency)),
                            *v,
                        )
                    })
                    .collect();
                let col = match name {
                    "call_latency" => &mut fleet.call_latency,
                    "call_latency_p50" => &mut fleet.call_latency_p50,
                    "call_errors" => &mut fleet.call_errors,
                    _ => &mut fleet.call_rate,
                };
                views::fill(col, *part, &values);
            }
        }
    }
    if read_now == 0 {
        return Err(first_error.unwrap_or_else(|| StepError::Failed("no signal answered".into())));
    }
    let level_now = match axis {
        Axis::Latency => &fleet.latency,
        Axis::Errors => &fleet.errors,
    };
    // The worst service by level: of the first round's ties at the top when it answered (the
    // second round read the whole fleet otherwise), the first by name.
    let by_level: Vec<(String, f64)> = match &found.worst {
        Some(tied) => tied.clone(),
        None => level_now
            .iter()
            .filter_map(|(s, v)| v.now.map(|x| (s.clone(), x)))
            .collect(),
    };
    let worst = by_level
        .iter()
        .filter(|(_, x)| x.is_finite() && *x > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(s, _)| s.clone());
    // The shape beyond the second round, as far as the walk's reach and the log step's scope
    // need it (`shape.rs`; nothing more when the whole was read); the views then hold those
    // calls too, without measures.
    let (mut services, mut edges) = views::views(&fleet);
    if let Some(s) = start {
        shape::reach(ctx, labels, s, offset, &edges, &mut shape, &mut warnings).await;
        fleet.known_calls = shape.calls.clone();
        (services, edges) = views::views(&fleet);
    }
    let mut loc = localize::localize(&services, &edges, params, start, &[(axis, level)]);
    let names: Vec<String> = services.iter().map(|v| v.name.clone()).collect();
    shape::for_scope(
        ctx,
        labels,
        (&loc, &edges, &names),
        super::scope_start(start, &loc, worst.as_deref()),
        start.is_none(),
        crate::investigate::logshift::Budget::of(ctx).services,
        offset,
        &mut shape,
        &mut warnings,
    )
    .await;
    if fleet.known_calls != shape.calls || fleet.known_services != shape.services {
        fleet.known_calls = shape.calls.clone();
        fleet.known_services = shape.services.clone();
        (services, edges) = views::views(&fleet);
        loc = localize::localize(&services, &edges, params, start, &[(axis, level)]);
    }
    queries.extend(shape.queries.iter().cloned());
    debug_candidates(&loc);
    Ok((
        Graph {
            loc,
            services,
            edges,
            shape,
            start: start.map(str::to_string),
            worst,
            level: (axis, level),
            params: params.clone(),
            server_query: now_query(ctx, axis_names(axis).0),
            calls_query: now_query(ctx, axis_names(axis).1),
            baseline: end.words.clone().unwrap_or_else(|| baseline_words(offset)),
            offset,
            traces: None,
            queries,
        },
        warn(warnings),
    ))
}

/// `-vv`: the ranked candidates with what made each score, so a wrong rank 1 can be read.
pub(super) fn debug_candidates(loc: &localize::Localization) {
    for c in loc.candidates.iter().take(8) {
        tracing::debug!(
            "candidate {} {:?} {:?} score {:.2}: own {:.2}{}, unexplained {:.2}, explains [{}], agreeing [{}]",
            c.service,
            c.axis,
            c.locus,
            c.score,
            c.change.map(|ch| ch.strength).unwrap_or(0.0),
            if c.from_calls { " (calls to it)" } else { "" },
            c.unexplained,
            c.explains.join(", "),
            c.agreeing.join(", "),
        );
    }
}

/// The axis' signals: (server side, calls).
fn axis_names(axis: Axis) -> (&'static str, &'static str) {
    match axis {
        Axis::Latency => ("latency", "call_latency"),
        Axis::Errors => ("errors", "call_errors"),
    }
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

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Now => "now",
        Part::Median => "baseline median",
        Part::Q25 => "baseline first quartile",
        Part::Q75 => "baseline third quartile",
        Part::Usual => "a day or a week ago",
    }
}

#[cfg(test)]
#[path = "rounds_tests.rs"]
mod tests;
