//! Span patterns aggregated across traces: N+1 call sequences and where errors originate.
//!
//! N+1: under one parent, at least `min_repeats` calls to the same (service, operation) that run
//! one after another. "One after another" is judged pair by pair in start order: the next call
//! may begin before the previous one ends by at most a tenth of the shorter call (async span
//! bookkeeping), no more, so a parallel fan-out or a bounded pool never qualifies. The longest
//! such run under each parent is what counts. Error origins: an erroring span none of whose
//! descendants errored (descendants, not just children, so an un-instrumented or non-erroring hop
//! in between does not make its caller look like a second origin). Both are accumulators fed one
//! trace (and its [`Tree`]) at a time, so `analyze` builds each tree once. Not here: the tree
//! rules (`tree.rs`). Tests: `tests.rs`.

use std::collections::HashMap;

use super::tree::{FxBuild, Tree};
use super::{ErrorOrigin, ErrorPlace, NPlusOne};
use crate::model::trace::{Span, SpanId, Trace};

#[derive(Default)]
struct NAcc<'a> {
    traces: usize,
    last_trace: Option<usize>,
    occurrences: usize,
    max_calls: usize,
    total_calls: usize,
    total_duration_us: i64,
    example: (&'a str, SpanId),
}

type NKey<'a> = (&'a str, &'a str, &'a str, &'a str);

pub(super) struct NPlusOneAcc<'a> {
    min: usize,
    acc: HashMap<NKey<'a>, NAcc<'a>, FxBuild>,
    /// Per span of the current trace: a number for its (service, operation), so sibling groups
    /// sort on integers rather than strings.
    op_id: Vec<u32>,
    ops: HashMap<(&'a str, &'a str), u32, FxBuild>,
    group: Vec<(u32, i64, u32)>,
}

impl<'a> NPlusOneAcc<'a> {
    pub fn new(min_repeats: usize) -> Self {
        NPlusOneAcc {
            min: min_repeats.max(2),
            acc: HashMap::default(),
            op_id: Vec::new(),
            ops: HashMap::default(),
            group: Vec::new(),
        }
    }

    pub fn add(&mut self, ti: usize, t: &'a Trace, tree: &Tree) {
        let spans = &t.spans;
        if !(0..spans.len()).any(|p| tree.children(p).len() >= self.min) {
            return;
        }
        self.ops.clear();
        self.op_id.clear();
        for s in spans {
            let next = self.ops.len() as u32;
            let id = *self
                .ops
                .entry((s.service.as_str(), s.operation.as_str()))
                .or_insert(next);
            self.op_id.push(id);
        }
        for (p, parent) in spans.iter().enumerate() {
            let kids = tree.children(p);
            if kids.len() < self.min {
                continue;
            }
            self.group.clear();
            self.group.extend(
                kids.iter()
                    .map(|&c| (self.op_id[c as usize], spans[c as usize].start_us, c)),
            );
            self.group.sort_unstable();
            for run in self.group.chunk_by(|a, b| a.0 == b.0) {
                if run.len() < self.min {
                    continue;
                }
                let (calls, duration) = longest_sequential(spans, run);
                if calls < self.min {
                    continue;
                }
                let child = &spans[run[0].2 as usize];
                let key = (
                    parent.service.as_str(),
                    parent.operation.as_str(),
                    child.service.as_str(),
                    child.operation.as_str(),
                );
                let a = self.acc.entry(key).or_default();
                if a.last_trace != Some(ti) {
                    a.traces += 1;
                    a.last_trace = Some(ti);
                }
                a.occurrences += 1;
                a.total_calls += calls;
                a.total_duration_us += duration;
                if calls > a.max_calls {
                    a.max_calls = calls;
                    a.example = (t.trace_id.as_str(), parent.span_id);
                }
            }
        }
    }

    pub fn finish(self) -> Vec<NPlusOne> {
        let mut out: Vec<NPlusOne> = self
            .acc
            .into_iter()
            .map(|((ps, po, cs, co), a)| NPlusOne {
                parent_service: ps.to_string(),
                parent_operation: po.to_string(),
                child_service: cs.to_string(),
                child_operation: co.to_string(),
                traces: a.traces,
                occurrences: a.occurrences,
                max_calls: a.max_calls,
                total_calls: a.total_calls,
                total_duration_us: a.total_duration_us,
                example_trace_id: a.example.0.to_string(),
                example_parent_span_id: a.example.1.to_string(),
            })
            .collect();
        out.sort_by(|a, b| {
            (b.traces, b.total_duration_us, b.max_calls)
                .cmp(&(a.traces, a.total_duration_us, a.max_calls))
                .then_with(|| {
                    (
                        &a.parent_service,
                        &a.parent_operation,
                        &a.child_service,
                        &a.child_operation,
                    )
                        .cmp(&(
                            &b.parent_service,
                            &b.parent_operation,
                            &b.child_service,
                            &b.child_operation,
                        ))
                })
        });
        out
    }
}

/// The longest run of calls (in start order) each starting after the previous one ended, give
/// or take the tolerance; returns its length and summed duration.
fn longest_sequential(spans: &[Span], run: &[(u32, i64, u32)]) -> (usize, i64) {
    let dur = |i: u32| spans[i as usize].duration_us.max(0);
    let mut best = (1usize, dur(run[0].2));
    let mut cur = best;
    for w in run.windows(2) {
        let (prev, next) = (&spans[w[0].2 as usize], &spans[w[1].2 as usize]);
        let tolerance = prev.duration_us.min(next.duration_us).max(0) / 10;
        if next.start_us.saturating_add(tolerance) >= prev.end_us() {
            cur = (cur.0 + 1, cur.1 + dur(w[1].2));
        } else {
            cur = (1, dur(w[1].2));
        }
        if cur.0 > best.0 {
            best = cur;
        }
    }
    best
}

/// Indices of the spans where the trace's errors start, in span order.
pub(super) fn origin_spans(trace: &Trace, tree: &Tree) -> Vec<usize> {
    let spans = &trace.spans;
    if !spans.iter().any(|s| s.error) {
        return Vec::new();
    }
    let mut error_below = vec![false; spans.len()];
    let mut origins = Vec::new();
    // Children before parents: the reverse of a pre-order.
    for &i in tree.preorder().iter().rev() {
        let i = i as usize;
        let below = error_below[i];
        if spans[i].error && !below {
            origins.push(i);
        }
        if let Some(p) = tree.parent[i] {
            error_below[p as usize] |= below || spans[i].error;
        }
    }
    origins.sort_unstable();
    origins
}

#[derive(Default)]
struct EAcc<'a> {
    count: usize,
    traces: usize,
    last_trace: Option<usize>,
    examples: Vec<&'a str>,
    message: Option<&'a str>,
}

/// Trace IDs kept per origin as evidence.
const EXAMPLES: usize = 3;

#[derive(Default)]
pub(super) struct ErrorAcc<'a> {
    acc: HashMap<(&'a str, &'a str, ErrorPlace), EAcc<'a>, FxBuild>,
}

impl<'a> ErrorAcc<'a> {
    pub fn add(&mut self, ti: usize, t: &'a Trace, tree: &Tree) {
        let Some(root) = tree.main_root() else {
            return;
        };
        let root_service = t.spans[root].service.as_str();
        for i in origin_spans(t, tree) {
            let s = &t.spans[i];
            let place = if s.service == root_service {
                ErrorPlace::RootService
            } else {
                ErrorPlace::Downstream
            };
            let a = self
                .acc
                .entry((s.service.as_str(), s.operation.as_str(), place))
                .or_default();
            a.count += 1;
            if a.last_trace != Some(ti) {
                a.traces += 1;
                a.last_trace = Some(ti);
                if a.examples.len() < EXAMPLES {
                    a.examples.push(t.trace_id.as_str());
                }
            }
            if a.message.is_none() {
                a.message = s.status_message.as_deref().filter(|m| !m.is_empty());
            }
        }
    }

    pub fn finish(self) -> Vec<ErrorOrigin> {
        let mut out: Vec<ErrorOrigin> = self
            .acc
            .into_iter()
            .map(|((service, operation, place), a)| ErrorOrigin {
                service: service.to_string(),
                operation: operation.to_string(),
                place,
                count: a.count,
                traces: a.traces,
                example_trace_ids: a.examples.iter().map(|s| s.to_string()).collect(),
                example_message: a.message.map(str::to_string),
            })
            .collect();
        out.sort_by(|a, b| {
            (b.count, b.traces).cmp(&(a.count, a.traces)).then_with(|| {
                (&a.service, &a.operation, a.place).cmp(&(&b.service, &b.operation, b.place))
            })
        });
        out
    }
}
