//! The call graph's two rounds (see the parent's doc): the first round (`first_round.rs`),
//! the second round's queries for the selected services, the shape beyond them as far as it is
//! needed (`shape.rs`; from the trace store when no call is measured, `links.rs`), and the
//! reading of all into views and a localization. Tests: both rounds against a real Prometheus
//! in `tests/it/localize_shape.rs` (`issue_19_…`).

use std::time::Duration;

use super::first_round::{first_round, now_query, probes};
use super::links;
use super::shape::{self, Shape};
use super::{BASELINE_RANGE, Graph, Key, SIGNALS, STEP, USUAL_DAYS, USUAL_RANGE, baseline_words};
use crate::analysis::localize::views::{self, Fleet, Part};
use crate::analysis::localize::{self, Axis, Params};
use crate::investigate::StepError;
use crate::investigate::ctx::{Ctx, warn};
use crate::promql::Value;
use crate::runbook::LabelNames;

/// The series a round reads: every one (`None`), or those of these services (for calls: from or
/// to one of them).
pub(super) type Selection = Option<Vec<String>>;

/// A signal's query for `sel`, rendered. Calls from or to the selected services are two
/// renderings joined by `or` (the same labels, so a call between two selected services is one
/// series).
pub(super) fn render(
    ctx: &Ctx<'_>,
    name: &str,
    key: Key,
    sel: &Selection,
) -> Result<String, StepError> {
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
    let mut warnings = Vec::new();
    // With --service S the walk covers S and what it calls: the first round asks about those
    // services alone once that reach is read (`shape::reach_first`), else about the fleet.
    let (reached, within) = match start {
        Some(s) => shape::reach_first(ctx, labels, s, offset, &mut warnings).await,
        None => (Shape::default(), None),
    };
    let within: Selection = within.map(|w| w.into_iter().collect());
    let probes = probes(ctx, labels, params, (axis, level), offset, &within);
    if probes.is_empty() {
        return Err(StepError::Failed(format!(
            "the runbook's {STEP} step has no queries for profile {}",
            ctx.settings.profile.name()
        )));
    }
    let found = first_round(ctx, labels, &probes, start, &mut warnings).await;
    let mut queries: Vec<String> = reached.queries.clone();
    queries.extend(probes.iter().map(|(_, q)| q.clone()));
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
    // No call measured: the shape from the trace store, if there is one (`links::from_traces`).
    let no_calls = found.size == Some(0.0) || shape::size_query(ctx, labels).is_none();
    let seeds = links::sample_seeds(start, found.select.as_ref(), found.worst.as_deref());
    let mut shape = Shape::after_second_round(found.select.as_ref());
    // The reach's calls are known already, and the calls out of every service it read (also
    // when it was too deep to narrow the first round: the walk's reach goes on from there).
    shape.calls.extend(reached.calls);
    if let (Some(x), Some(r)) = (shape.expanded.as_mut(), reached.expanded) {
        x.extend(r);
    }
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
                links::from_traces(ctx, &seeds, &mut shape, &mut warnings).await;
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
        let levels = usize::MAX;
        shape::reach(
            ctx,
            labels,
            (s, levels),
            offset,
            &edges,
            &mut shape,
            &mut warnings,
        )
        .await;
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
            "candidate {} {:?} {:?} score {:.2}: own {:.2}{}, unexplained {:.2}{}, explains [{}], agreeing [{}]",
            c.service,
            c.axis,
            c.locus,
            c.score,
            c.change.map(|ch| ch.strength).unwrap_or(0.0),
            if c.from_calls { " (calls to it)" } else { "" },
            c.unexplained,
            c.logs_below
                .as_deref()
                .map(|b| format!(" (half put down to {b}'s logs)"))
                .unwrap_or_default(),
            c.explains.join(", "),
            c.agreeing.join(", "),
        );
    }
}

/// The axis' signals: (server side, calls).
pub(super) fn axis_names(axis: Axis) -> (&'static str, &'static str) {
    match axis {
        Axis::Latency => ("latency", "call_latency"),
        Axis::Errors => ("errors", "call_errors"),
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
