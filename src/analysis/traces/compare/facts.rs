//! What one trace says for the comparison ([`Facts`]): each entry span's self time (its duration
//! minus what it waited on outside its service), the critical path per (service, operation),
//! the calls between services with both sides' durations, where errors start. Part of
//! `compare.rs`; tests in `compare_tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::super::critical_path::path_times;
use super::super::patterns::origin_spans;
use super::super::tree::Tree;
use crate::model::trace::{SpanKind, Trace};

/// What one trace says, keyed by names borrowed from it.
#[derive(Default)]
pub(super) struct Facts<'a> {
    /// (service, operation, self µs) per entry span.
    pub(super) entries: Vec<(&'a str, &'a str, i64)>,
    /// Critical-path µs per (service, operation) of the owning entry span.
    pub(super) path: BTreeMap<(&'a str, &'a str), i64>,
    /// The critical path's total (the main root's duration).
    pub(super) path_total: i64,
    /// (caller, callee, client µs, server µs) per client/producer span with a callee entry.
    pub(super) calls: Vec<(&'a str, &'a str, i64, i64)>,
    pub(super) errors: BTreeSet<&'a str>,
    pub(super) present: BTreeSet<&'a str>,
}

pub(super) fn is_entry(trace: &Trace, tree: &Tree, i: usize) -> bool {
    let s = &trace.spans[i];
    match s.kind {
        SpanKind::Server | SpanKind::Consumer => true,
        SpanKind::Client | SpanKind::Producer => false,
        _ => match tree.parent[i] {
            None => true,
            Some(p) => trace.spans[p as usize].service != s.service,
        },
    }
}

pub(super) fn facts<'a>(trace: &'a Trace) -> Facts<'a> {
    let spans = &trace.spans;
    let tree = Tree::build(trace);
    let mut f = Facts::default();
    let order = tree.preorder();
    let entry: Vec<bool> = (0..spans.len())
        .map(|i| tree.included[i] && is_entry(trace, &tree, i))
        .collect();
    // The entry span each span's time belongs to (itself, or its same-service ancestor's).
    let mut owner: Vec<usize> = (0..spans.len()).collect();
    for &i in &order {
        let i = i as usize;
        if entry[i] {
            continue;
        }
        if let Some(p) = tree.parent[i]
            && spans[p as usize].service == spans[i].service
        {
            owner[i] = owner[p as usize];
        }
    }
    let mut waits: Vec<(i64, i64)> = Vec::new();
    let mut stack: Vec<u32> = Vec::new();
    for &i in &order {
        let i = i as usize;
        let s = &spans[i];
        f.present.insert(&s.service);
        let (start, end) = (s.start_us, s.start_us.saturating_add(s.duration_us.max(0)));
        if entry[i] {
            // What it waited on: the first span below it, through its own internal spans, that
            // is a call out or another service's.
            waits.clear();
            stack.clear();
            stack.extend(tree.children(i));
            while let Some(c) = stack.pop() {
                let cs = &spans[c as usize];
                let outward = entry[c as usize]
                    || matches!(cs.kind, SpanKind::Client | SpanKind::Producer)
                    || cs.service != s.service;
                if outward {
                    let a = cs.start_us.max(start);
                    let b = cs.start_us.saturating_add(cs.duration_us.max(0)).min(end);
                    if a < b {
                        waits.push((a, b));
                    }
                } else {
                    stack.extend(tree.children(c as usize));
                }
            }
            let own = (end - start) - union_len(&mut waits);
            f.entries.push((&s.service, &s.operation, own.max(0)));
        }
        if matches!(s.kind, SpanKind::Client | SpanKind::Producer) {
            // The callee: the longest entry child in another service.
            let callee = tree
                .children(i)
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| entry[c] && spans[c].service != s.service)
                .max_by_key(|&c| (spans[c].duration_us, std::cmp::Reverse(c)));
            if let Some(c) = callee {
                f.calls.push((
                    &s.service,
                    &spans[c].service,
                    s.duration_us.max(0),
                    spans[c].duration_us.max(0),
                ));
            }
        }
    }
    let mut times = Vec::new();
    path_times(trace, &tree, &mut times);
    for &(i, us) in &times {
        let i = i as usize;
        f.path_total = f.path_total.saturating_add(us);
        if us <= 0 || matches!(spans[i].kind, SpanKind::Client | SpanKind::Producer) {
            continue;
        }
        let o = &spans[owner[i]];
        let e = f.path.entry((&o.service, &o.operation)).or_insert(0);
        *e = e.saturating_add(us);
    }
    for i in origin_spans(trace, &tree) {
        if tree.included[i] {
            f.errors.insert(&spans[i].service);
        }
    }
    f
}

/// The length of the union of intervals (sorts them).
pub(super) fn union_len(v: &mut [(i64, i64)]) -> i64 {
    v.sort_unstable();
    let mut total = 0i64;
    let mut cur: Option<(i64, i64)> = None;
    for &(a, b) in v.iter() {
        match cur {
            Some((ca, cb)) if a <= cb => cur = Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total = total.saturating_add(cb - ca);
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((a, b)) = cur {
        total = total.saturating_add(b - a);
    }
    total
}
