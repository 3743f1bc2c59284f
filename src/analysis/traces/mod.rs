//! Trace analysis: where a request's time goes, N+1 call patterns, where errors start, and which
//! traces to show as evidence.
//!
//! Pure functions over [`crate::model::trace::Trace`]: no I/O, no clock, and a total,
//! deterministic output order (ties broken by name), so a replayed bundle gives the same report.
//! Traces as they come from a backend are messy (duplicated spans, missing parents, cycles,
//! clock skew); `tree.rs` turns each into a walkable forest first, so nothing here can loop or
//! panic on bad data. Not here: fetching traces (`backends::jaeger`) or wording findings
//! (`report`). Speed matters, as searches return many thousands of spans: aggregation keys borrow
//! from the traces, nothing is cloned per span, and [`analyze`] runs the three aggregate analyses
//! over one tree per trace. Files: `tree.rs`, `critical_path.rs`, `patterns.rs` (N+1, error
//! origins); tests in `tests.rs`.

pub mod compare;
mod critical_path;
pub mod limits;
mod patterns;
#[cfg(test)]
mod tests;
mod tree;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::trace::{Name, SpanId, TagPolicy, Trace};
use tree::{FxBuild, Tree};

/// The span tags this module's analyses read, for the search that feeds them (issue 19): none.
/// Critical paths, time shares, N+1 runs, error origins, representative traces, the bounds in
/// `limits` and the window comparison in `compare` read span IDs, parents, services,
/// operations, times, kinds and the error flag and status message (lifted out of the tags
/// whatever the policy), never `Span::tags`, `Span::tag` or `Trace::tag`. An analysis here that
/// starts reading a tag changes this first; `tests.rs` checks that decoding with it changes no
/// result.
pub const TAGS: TagPolicy = TagPolicy::None;

/// One span's share of a trace's critical path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathSegment {
    /// Index into `trace.spans`.
    pub span_index: usize,
    pub span_id: SpanId,
    pub service: Name,
    pub operation: Name,
    /// Time on the critical path spent in this span itself, not in a child it waited for. Zero
    /// for a span that only passed the wait on to a child.
    pub self_time_us: i64,
}

/// Critical-path time of one (service, operation) across traces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeShare {
    pub service: String,
    pub operation: String,
    pub time_us: i64,
    /// `time_us` over the summed critical-path time of all traces, 0..=1.
    pub share: f64,
    /// Traces in which it had critical-path time.
    pub traces: usize,
}

/// Sequential repeated calls from one parent operation to one child operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NPlusOne {
    pub parent_service: String,
    pub parent_operation: String,
    pub child_service: String,
    pub child_operation: String,
    /// Traces showing the pattern.
    pub traces: usize,
    /// Parent spans showing it (a trace may hold several).
    pub occurrences: usize,
    /// The longest sequential run under one parent.
    pub max_calls: usize,
    pub total_calls: usize,
    /// Summed duration of the calls in the runs.
    pub total_duration_us: i64,
    /// Where the longest run is.
    pub example_trace_id: String,
    pub example_parent_span_id: String,
}

/// Whether an error origin is in the service the request entered (the trace root's) or further
/// down the call graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorPlace {
    RootService,
    Downstream,
}

/// A (service, operation) where errors start, across traces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorOrigin {
    pub service: String,
    pub operation: String,
    pub place: ErrorPlace,
    /// Origin spans.
    pub count: usize,
    pub traces: usize,
    /// Up to three, in input order.
    pub example_trace_ids: Vec<String>,
    /// The first non-empty status message seen.
    pub example_message: Option<String>,
}

/// The main root's critical path: root first, then depth-first, each chosen child's own path
/// before its parent's earlier waits. Self times sum to the root's duration. The main root is the
/// longest span without a parent in the trace; orphaned fragments are not part of its path.
pub fn critical_path(trace: &Trace) -> Vec<PathSegment> {
    let tree = Tree::build(trace);
    let mut times = Vec::new();
    critical_path::path_times(trace, &tree, &mut times);
    times
        .into_iter()
        .map(|(i, self_time_us)| {
            let s = &trace.spans[i as usize];
            PathSegment {
                span_index: i as usize,
                span_id: s.span_id,
                service: s.service.clone(),
                operation: s.operation.clone(),
                self_time_us,
            }
        })
        .collect()
}

/// All three aggregate analyses at once, building each trace's tree only once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub where_time_goes: Vec<TimeShare>,
    pub n_plus_one: Vec<NPlusOne>,
    pub error_origins: Vec<ErrorOrigin>,
}

/// [`where_time_goes`], [`n_plus_one`] and [`error_origins`] in one pass over the traces.
pub fn analyze(traces: &[Trace], min_repeats: usize) -> Analysis {
    let mut time = TimeAcc::default();
    let mut repeats = patterns::NPlusOneAcc::new(min_repeats);
    let mut errors = patterns::ErrorAcc::default();
    for (ti, t) in traces.iter().enumerate() {
        let tree = Tree::build(t);
        time.add(ti, t, &tree);
        repeats.add(ti, t, &tree);
        errors.add(ti, t, &tree);
    }
    Analysis {
        where_time_goes: time.finish(),
        n_plus_one: repeats.finish(),
        error_origins: errors.finish(),
    }
}

/// Critical-path time by (service, operation) over all traces, largest first (then by service
/// and operation).
pub fn where_time_goes(traces: &[Trace]) -> Vec<TimeShare> {
    let mut time = TimeAcc::default();
    for (ti, t) in traces.iter().enumerate() {
        time.add(ti, t, &Tree::build(t));
    }
    time.finish()
}

/// Sequential repeated calls (see `patterns.rs`), most widespread first. Callers use
/// `min_repeats = 10` unless a runbook says otherwise; values below 2 mean 2.
pub fn n_plus_one(traces: &[Trace], min_repeats: usize) -> Vec<NPlusOne> {
    let mut repeats = patterns::NPlusOneAcc::new(min_repeats);
    for (ti, t) in traces.iter().enumerate() {
        repeats.add(ti, t, &Tree::build(t));
    }
    repeats.finish()
}

/// Where errors start, most frequent first. A trace may have several origins.
pub fn error_origins(traces: &[Trace]) -> Vec<ErrorOrigin> {
    let mut errors = patterns::ErrorAcc::default();
    for (ti, t) in traces.iter().enumerate() {
        errors.add(ti, t, &Tree::build(t));
    }
    errors.finish()
}

/// (time, traces, last trace seen) per (service, operation).
#[derive(Default)]
struct TimeAcc<'a> {
    acc: HashMap<(&'a str, &'a str), (i64, usize, usize), FxBuild>,
    total: i64,
    path: Vec<(u32, i64)>,
}

impl<'a> TimeAcc<'a> {
    fn add(&mut self, ti: usize, t: &'a Trace, tree: &Tree) {
        critical_path::path_times(t, tree, &mut self.path);
        for &(i, us) in &self.path {
            if us <= 0 {
                continue;
            }
            let s = &t.spans[i as usize];
            let e = self
                .acc
                .entry((&s.service, &s.operation))
                .or_insert((0, 0, usize::MAX));
            e.0 += us;
            if e.2 != ti {
                e.1 += 1;
                e.2 = ti;
            }
            self.total += us;
        }
    }

    fn finish(self) -> Vec<TimeShare> {
        let total = self.total;
        let mut out: Vec<TimeShare> = self
            .acc
            .into_iter()
            .map(|((service, operation), (time_us, n, _))| TimeShare {
                service: service.to_string(),
                operation: operation.to_string(),
                time_us,
                share: if total > 0 {
                    time_us as f64 / total as f64
                } else {
                    0.0
                },
                traces: n,
            })
            .collect();
        out.sort_by(|a, b| {
            b.time_us
                .cmp(&a.time_us)
                .then_with(|| (&a.service, &a.operation).cmp(&(&b.service, &b.operation)))
        });
        out
    }
}

/// Indices into `trace.spans` of the trace's error origins, in span order.
pub fn error_origin_spans(trace: &Trace) -> Vec<usize> {
    patterns::origin_spans(trace, &Tree::build(trace))
}

/// Index into `trace.spans` of the main root: the longest span without a (present) parent.
pub fn root_span(trace: &Trace) -> Option<usize> {
    Tree::build(trace).main_root()
}

/// Up to `n` trace indices whose duration is nearest the p95 of `traces` (slower first on ties):
/// typical of the slow tail without being a one-off outlier.
pub fn representative(traces: &[Trace], n: usize) -> Vec<usize> {
    let durations: Vec<i64> = traces.iter().map(Trace::duration_us).collect();
    let mut sorted = durations.clone();
    sorted.sort_unstable();
    let Some(p95) = nearest_rank(&sorted, 0.95) else {
        return Vec::new();
    };
    let mut idx: Vec<usize> = (0..traces.len()).collect();
    idx.sort_by(|&a, &b| {
        let key = |i: usize| ((durations[i] - p95).abs(), std::cmp::Reverse(durations[i]));
        key(a)
            .cmp(&key(b))
            .then_with(|| traces[a].trace_id.cmp(&traces[b].trace_id))
            .then(a.cmp(&b))
    });
    idx.truncate(n);
    idx
}

/// Up to `n` trace indices, slowest first (then by trace ID).
pub fn slowest(traces: &[Trace], n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..traces.len()).collect();
    idx.sort_by(|&a, &b| {
        traces[b]
            .duration_us()
            .cmp(&traces[a].duration_us())
            .then_with(|| traces[a].trace_id.cmp(&traces[b].trace_id))
            .then(a.cmp(&b))
    });
    idx.truncate(n);
    idx
}

fn nearest_rank(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}
