//! The call graph's shape, read only as far as it is needed (issue 15, item 7: what is
//! downloaded grows with the changed services, not the fleet). The second round reads every
//! call from or to the services that may have changed; beyond them the step needs the graph for
//! two things only, and reads those in rounds of one keys-only query each:
//! - with `--service S`, what S calls, transitively (the walk's reach): the calls out of the
//!   services reached so far, until no new one is;
//! - the log step's scope (`localize::scope`), which walks the graph breadth-first from the
//!   candidates' symptoms and then from the entry points until its budget is full: the calls
//!   out of the services it walked through without knowing them, and the entry points (services
//!   nobody calls, one query that Prometheus answers with those alone, at most the busiest
//!   `scope::entries_max` of them: the walk never needs more) when it gets that far.
//!
//! A graph of at most `graph_shape_whole_max` calls (500) is read whole instead (two queries
//! beside the second round's, as every graph was before: the calls, keys only, and the services
//! with their throughput now): its shape is small, and reading it in rounds would cost round
//! trips (one per level the scope walks) to save a few kilobytes. The first round asks how many
//! calls there are (one number). Before, every graph's whole shape was read: ~165 bytes per
//! service and call, 1.66 MB at 10,000 services. A graph with no call measured at all is read in
//! rounds: every service is an entry point, and the scope needs the busiest alone (before, the
//! fleet's list was read to take the first by name: 650 KB at 10,000 services). Tests: the scope
//! read in part equals the scope over the whole graph (`localize::scope`); against a real
//! Prometheus, both ways, and with no call measured, `tests/it/localize_shape.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::STEP;
use super::rounds::median;
use crate::analysis::localize::scope::{self, Known, Unread};
use crate::analysis::localize::{EdgeView, Localization};
use crate::investigate::ctx::Ctx;
use crate::promql::Value;
use crate::runbook::LabelNames;

/// No graph is deeper than this many calls; a cycle or a runaway answer stops here.
const MAX_ROUNDS: usize = 32;

/// How many levels below `--service S` are read before the first round (`reach_first`), one
/// round trip each; deeper (a long chain, a ring) and the first round asks about the fleet, as
/// without the reach, having spent at most this many small queries.
const REACH_FIRST_LEVELS: usize = 8;

/// Up to this many calls (the runbook's `graph_shape_whole_max`) the whole shape is read in one
/// go (~165 bytes a call decompressed: ~80 KB at 500); beyond, in rounds as far as it is needed.
const WHOLE_MAX: f64 = 500.0;

/// Whether the whole shape is read: the graph is small, or its size is unknown (the size probe
/// failed: the old behaviour, exact at the old cost).
pub fn is_small(ctx: &Ctx<'_>, calls: Option<f64>) -> bool {
    let max = Some(ctx.threshold("graph_shape_whole_max"))
        .filter(|m| m.is_finite())
        .unwrap_or(WHOLE_MAX);
    // A NaN size is no size: read the whole. A graph with no call has no shape to walk: its
    // entry points are every service that serves, of which the log step's scope needs only the
    // busiest (`entries_query`), not the fleet's list.
    calls.is_none_or(|n| n.is_nan() || (n > 0.0 && n <= max))
}

/// The first round's size probe: how many calls exist now, one number.
pub fn size_query(ctx: &Ctx<'_>, labels: &LabelNames) -> Option<String> {
    let c = calls_query(ctx, None)?;
    let (svc, dep) = (&labels.service, &labels.dependency);
    Some(format!("count(count by ({svc}, {dep}) ({c}))"))
}

/// The whole shape: every call and every service, now or in the baseline, keys only.
pub async fn read_whole(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    offset: Duration,
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) {
    let off = crate::clock::format_duration(offset);
    let (svc, dep) = (&labels.service, &labels.dependency);
    let calls = calls_query(ctx, None).map(|c| keys(&c, &format!("{svc}, {dep}"), &off));
    let served = served_query(ctx).map(|t| busy(&t, svc, &off));
    // (is it the calls' query, the query)
    let asked: Vec<(bool, String)> = calls
        .iter()
        .map(|q| (true, q.clone()))
        .chain(served.iter().map(|q| (false, q.clone())))
        .collect();
    shape.queries.extend(asked.iter().map(|(_, q)| q.clone()));
    let answers = futures::future::join_all(
        asked
            .iter()
            .map(|(_, q)| async move { ctx.samples(q).await }),
    )
    .await;
    let mut complete = calls.is_some();
    for ((is_calls, _), answer) in asked.iter().zip(answers) {
        let samples = match answer {
            Ok((samples, w)) => {
                warnings.extend(w);
                samples
            }
            Err(e) => {
                let why = e.reason();
                warnings.push(format!("the call graph's shape: {why}"));
                complete &= !is_calls;
                continue;
            }
        };
        for (l, v) in samples {
            let get = |k: &str| l.get(k).cloned().unwrap_or_default();
            let a = get(svc);
            if a.is_empty() {
                continue;
            }
            if *is_calls {
                let b = get(dep);
                if !b.is_empty() {
                    shape.calls.insert((a, b));
                }
            } else {
                shape.services.insert(a.clone());
                shape.busy.insert(a, v);
            }
        }
    }
    // Every service's calls are known: nothing is read in rounds (unless the calls' query
    // failed, when what is needed is asked again in rounds).
    if complete {
        shape.expanded = None;
    }
}

/// What is known of the shape beyond the second round's calls.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// The services whose calls out are all known; `None`: every service's (the second round
    /// read the whole fleet).
    pub expanded: Option<BTreeSet<String>>,
    /// The services nobody calls, once read.
    pub entries: Option<Vec<String>>,
    /// Calls read here (keys only), as (caller, callee).
    pub calls: BTreeSet<(String, String)>,
    /// Services read here: the whole shape's, or the entry points read.
    pub services: BTreeSet<String>,
    /// The throughput now of the services read here (0: served in the baseline only), for the
    /// scope's choice among many entry points (`scope::Known::busy`).
    pub busy: BTreeMap<String, f64>,
    /// The queries this ran, in order.
    pub queries: Vec<String>,
    /// How many of them failed (each a warning).
    pub failed: usize,
}

impl Shape {
    /// The shape of a second round that read `selected` (every call from or to them), or the
    /// whole fleet (`None`).
    pub fn after_second_round(selected: Option<&BTreeSet<String>>) -> Self {
        Shape {
            expanded: selected.cloned(),
            ..Default::default()
        }
    }

    /// The graph as known: `edges` (the views') and the calls read here.
    pub fn known<'a>(&'a self, edges: &'a [EdgeView], names: &'a [String]) -> Known<'a> {
        Known {
            edges,
            expanded: self.expanded.as_ref(),
            entries: self.entries.as_deref(),
            names,
            busy: Some(&self.busy),
        }
    }

    /// The calls read here as views without measures (the walk keeps them for the shape).
    pub fn edges(&self) -> Vec<EdgeView> {
        self.calls
            .iter()
            .map(|(a, b)| EdgeView {
                caller: a.clone(),
                callee: b.clone(),
                latency: None,
                latency_p50: None,
                errors: None,
                rate: None,
            })
            .collect()
    }
}

/// The signal a query of the shape is built from, rendered for the given callers.
fn calls_query(ctx: &Ctx<'_>, callers: Option<Vec<String>>) -> Option<String> {
    ctx.query(
        STEP,
        "call_rate",
        &[
            ("services", Value::AnyOf(None)),
            ("callers", Value::AnyOf(callers)),
            ("callees", Value::AnyOf(None)),
        ],
    )
    .ok()
}

/// The series of `q` now or in the baseline, keys only: one sample per `by`.
fn keys(q: &str, by: &str, off: &str) -> String {
    format!("count by ({by}) (({q}) or {})", median(q, off))
}

/// Every service of `q` (a throughput by `by`) now or in the baseline, with its value now (0:
/// in the baseline only).
fn busy(q: &str, by: &str, off: &str) -> String {
    format!("sum by ({by}) (({q}) or 0 * {})", median(q, off))
}

/// Every service's throughput (the services that serve).
fn served_query(ctx: &Ctx<'_>) -> Option<String> {
    ctx.query(STEP, "throughput", &[("services", Value::AnyOf(None))])
        .ok()
}

/// The calls out of `from`, now or in the baseline, keys only.
fn callees_query(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    from: &BTreeSet<String>,
    off: &str,
) -> Option<String> {
    let c = calls_query(ctx, Some(from.iter().cloned().collect()))?;
    let (svc, dep) = (&labels.service, &labels.dependency);
    Some(keys(&c, &format!("{svc}, {dep}"), off))
}

/// The services nobody calls (entry points, and services that call nothing and serve), now or
/// in the baseline, with their throughput now: computed fleet-wide in Prometheus, answered with
/// the `max` busiest alone (all of them when there are no more; a fleet with no call measured
/// has every service as one).
fn entries_query(ctx: &Ctx<'_>, labels: &LabelNames, off: &str, max: usize) -> Option<String> {
    let c = calls_query(ctx, None)?;
    let (svc, dep) = (&labels.service, &labels.dependency);
    // The callers that serve carry their throughput; those that do not, 0.
    let callers = format!("0 * {}", keys(&c, svc, off));
    let all = match served_query(ctx) {
        Some(t) => format!("{} or {callers}", busy(&t, svc, off)),
        None => callers,
    };
    Some(format!(
        "topk({max}, ({all}) unless on ({svc}) label_replace({}, \"{svc}\", \"$1\", \"{dep}\", \"(.*)\"))",
        keys(&c, dep, off)
    ))
}

/// Ask one query of the shape; a failure is a warning and the shape stays as it was.
async fn ask(
    ctx: &Ctx<'_>,
    q: String,
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) -> Option<Vec<(crate::backends::prometheus::Labels, f64)>> {
    shape.queries.push(q.clone());
    match ctx.samples(&q).await {
        Ok((samples, w)) => {
            warnings.extend(w);
            Some(samples)
        }
        Err(e) => {
            let why = e.reason();
            warnings.push(format!("the call graph's shape: {why}"));
            shape.failed += 1;
            None
        }
    }
}

/// Read the calls out of `from` into `shape`; they count as expanded either way (a failed read
/// is not asked again).
async fn read_callees(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    from: BTreeSet<String>,
    off: &str,
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) {
    if let Some(q) = callees_query(ctx, labels, &from, off)
        && let Some(samples) = ask(ctx, q, shape, warnings).await
    {
        for (l, _) in samples {
            let get = |k: &str| l.get(k).cloned().unwrap_or_default();
            let (a, b) = (get(&labels.service), get(&labels.dependency));
            if !a.is_empty() && !b.is_empty() {
                shape.calls.insert((a, b));
            }
        }
    }
    if let Some(x) = shape.expanded.as_mut() {
        x.extend(from);
    }
}

/// With `--service S`: what S calls, transitively, read until no new service is reached.
pub async fn reach(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    (start, levels): (&str, usize),
    offset: Duration,
    edges: &[EdgeView],
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) {
    let off = crate::clock::format_duration(offset);
    for _ in 0..levels.min(MAX_ROUNDS) {
        let Some(expanded) = &shape.expanded else {
            return;
        };
        let mut reached = BTreeSet::from([start.to_string()]);
        let mut stack = vec![start.to_string()];
        let known: Vec<(String, String)> = edges
            .iter()
            .map(|e| (e.caller.clone(), e.callee.clone()))
            .chain(shape.calls.iter().cloned())
            .collect();
        while let Some(s) = stack.pop() {
            for (_, b) in known.iter().filter(|(a, _)| *a == s) {
                if reached.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        let unread: BTreeSet<String> = reached.difference(expanded).cloned().collect();
        if unread.is_empty() {
            return;
        }
        read_callees(ctx, labels, unread, &off, shape, warnings).await;
    }
}

/// With `--service S`, before the first round: what S calls, transitively (keys only, one
/// query per level), so that the first round asks about those services alone rather than the
/// fleet (the walk covers nothing else). `None`, and the first round reads the fleet as before,
/// when a read failed (the reach would be short) or S calls nothing measured (a fleet without
/// call metrics may get its graph from the trace store, which needs the services below S
/// selected from the fleet). The shape keeps what it read: the reach's calls, and its services
/// as expanded.
pub async fn reach_first(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    start: &str,
    offset: Duration,
    warnings: &mut Vec<String>,
) -> (Shape, Option<BTreeSet<String>>) {
    let mut shape = Shape {
        expanded: Some(BTreeSet::new()),
        ..Default::default()
    };
    reach(
        ctx,
        labels,
        (start, REACH_FIRST_LEVELS),
        offset,
        &[],
        &mut shape,
        warnings,
    )
    .await;
    let mut reached = BTreeSet::from([start.to_string()]);
    let mut stack = vec![start];
    while let Some(s) = stack.pop() {
        for (_, b) in shape.calls.iter().filter(|(a, _)| a == s) {
            if reached.insert(b.clone()) {
                stack.push(b);
            }
        }
    }
    // Complete: nothing failed, and every service reached had its calls read (a graph deeper
    // than the rounds allow is not).
    let expanded = shape.expanded.clone().unwrap_or_default();
    let complete = shape.failed == 0 && !shape.calls.is_empty() && reached.is_subset(&expanded);
    (shape, complete.then_some(reached))
}

/// The log step's scope over the graph as known, and what it walked through without knowing.
pub fn scope_of(
    loc: &Localization,
    edges: &[EdgeView],
    shape: &Shape,
    names: &[String],
    start: Option<&str>,
    fleet: bool,
    cap: usize,
) -> (Vec<String>, Unread) {
    let mut all = edges.to_vec();
    all.extend(shape.edges());
    scope::scope(loc, shape.known(&all, names), start, fleet, cap)
}

/// Read what the log step's scope walks through, until it needs nothing more.
#[allow(clippy::too_many_arguments)]
pub async fn for_scope(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    (loc, edges, names): (&Localization, &[EdgeView], &[String]),
    start: Option<&str>,
    fleet: bool,
    cap: usize,
    offset: Duration,
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) {
    let off = crate::clock::format_duration(offset);
    for _ in 0..MAX_ROUNDS {
        let (_, unread) = scope_of(loc, edges, shape, names, start, fleet, cap);
        if unread.is_empty() {
            return;
        }
        if unread.entries {
            let mut found = Vec::new();
            let max = scope::entries_max(cap);
            if let Some(q) = entries_query(ctx, labels, &off, max)
                && let Some(samples) = ask(ctx, q, shape, warnings).await
            {
                for (l, v) in samples {
                    if let Some(s) = l.get(&labels.service).filter(|s| !s.is_empty()) {
                        shape.busy.insert(s.clone(), v);
                        // A view too, so that its logs count (an entry point that calls
                        // nothing is in no call read).
                        shape.services.insert(s.clone());
                        found.push(s.clone());
                    }
                }
            }
            shape.entries = Some(found);
        }
        if !unread.callees_of.is_empty() {
            read_callees(ctx, labels, unread.callees_of, &off, shape, warnings).await;
        }
    }
}
