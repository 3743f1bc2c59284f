//! Span patterns aggregated across traces: N+1 call sequences and where errors originate.
//!
//! N+1: under one parent, at least `min_repeats` calls to the same (service, operation) that run
//! one after another. "One after another" is judged pair by pair in start order: the next call
//! may begin before the previous one ends by at most a tenth of the shorter call (async span
//! bookkeeping), no more, so a parallel fan-out or a bounded pool never qualifies. The longest
//! such run under each parent is what counts. Error origins: an erroring span none of whose
//! descendants errored (descendants, not just children, so an un-instrumented or non-erroring hop
//! in between does not make its caller look like a second origin). Not here: the tree rules
//! (`tree.rs`). Tests: `tests.rs`.

use std::collections::HashMap;

use super::tree::Tree;
use super::{ErrorOrigin, ErrorPlace, NPlusOne};
use crate::backends::jaeger::{Span, Trace};

#[derive(Default)]
struct NAcc<'a> {
    traces: usize,
    last_trace: Option<usize>,
    occurrences: usize,
    max_calls: usize,
    total_calls: usize,
    total_duration_us: i64,
    example: (&'a str, &'a str),
}

pub(super) fn n_plus_one(traces: &[Trace], min_repeats: usize) -> Vec<NPlusOne> {
    let min = min_repeats.max(2);
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut acc: HashMap<Key<'_>, NAcc<'_>> = HashMap::new();
    let mut group: Vec<u32> = Vec::new();
    for (ti, t) in traces.iter().enumerate() {
        let tree = Tree::build(t);
        let spans = &t.spans;
        for (p, parent) in spans.iter().enumerate() {
            let kids = tree.children(p);
            if kids.len() < min {
                continue;
            }
            group.clear();
            group.extend_from_slice(kids);
            group.sort_unstable_by(|&a, &b| {
                let (x, y) = (&spans[a as usize], &spans[b as usize]);
                (&x.service, &x.operation, x.start_us, a).cmp(&(
                    &y.service,
                    &y.operation,
                    y.start_us,
                    b,
                ))
            });
            let same_op = |a: &u32, b: &u32| {
                let (x, y) = (&spans[*a as usize], &spans[*b as usize]);
                x.service == y.service && x.operation == y.operation
            };
            for run in group.chunk_by(same_op) {
                if run.len() < min {
                    continue;
                }
                let (calls, duration) = longest_sequential(spans, run);
                if calls < min {
                    continue;
                }
                let child = &spans[run[0] as usize];
                let key = (
                    parent.service.as_str(),
                    parent.operation.as_str(),
                    child.service.as_str(),
                    child.operation.as_str(),
                );
                let a = acc.entry(key).or_default();
                if a.last_trace != Some(ti) {
                    a.traces += 1;
                    a.last_trace = Some(ti);
                }
                a.occurrences += 1;
                a.total_calls += calls;
                a.total_duration_us += duration;
                if calls > a.max_calls {
                    a.max_calls = calls;
                    a.example = (t.trace_id.as_str(), parent.span_id.as_str());
                }
            }
        }
    }
    let mut out: Vec<NPlusOne> = acc
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

/// The longest run of calls (in start order) each starting after the previous one ended, give
/// or take the tolerance; returns its length and summed duration.
fn longest_sequential(spans: &[Span], run: &[u32]) -> (usize, i64) {
    let mut best = (1usize, spans[run[0] as usize].duration_us.max(0));
    let mut cur = best;
    for w in run.windows(2) {
        let (prev, next) = (&spans[w[0] as usize], &spans[w[1] as usize]);
        let tolerance = prev.duration_us.min(next.duration_us).max(0) / 10;
        if next.start_us.saturating_add(tolerance) >= prev.end_us() {
            cur = (cur.0 + 1, cur.1 + next.duration_us.max(0));
        } else {
            cur = (1, next.duration_us.max(0));
        }
        if cur.0 > best.0 {
            best = cur;
        }
    }
    best
}

/// Indices of the spans where the trace's errors start.
pub(super) fn origin_spans(trace: &Trace, tree: &Tree) -> Vec<usize> {
    let spans = &trace.spans;
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

pub(super) fn error_origins(traces: &[Trace]) -> Vec<ErrorOrigin> {
    let mut acc: HashMap<(&str, &str, ErrorPlace), EAcc<'_>> = HashMap::new();
    for (ti, t) in traces.iter().enumerate() {
        let tree = Tree::build(t);
        let Some(root) = tree.main_root() else {
            continue;
        };
        let root_service = t.spans[root].service.as_str();
        for i in origin_spans(t, &tree) {
            let s = &t.spans[i];
            let place = if s.service == root_service {
                ErrorPlace::RootService
            } else {
                ErrorPlace::Downstream
            };
            let a = acc
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
    let mut out: Vec<ErrorOrigin> = acc
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
