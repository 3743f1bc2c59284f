//! Where the investigated service's errors start, from its error traces.
//!
//! The origin rule itself (an erroring span with no erroring descendant) is
//! [`crate::analysis::traces::error_origin_spans`]; this file only says how each origin relates to
//! *the service under investigation*, which the trace's root may not be (checkout's error traces
//! often start in frontend): the service's own code ([`Relation::Own`]), a dependency it calls
//! ([`Relation::Downstream`]: an origin below one of its spans, or its own client span that failed
//! on a peer that recorded nothing, such as a refused connection), or elsewhere in the trace
//! (a caller or a sibling branch, [`Relation::Elsewhere`]). Pure; tests in `tests.rs`.

use std::collections::{BTreeMap, HashMap};

use crate::analysis::traces;
use crate::model::trace::{Span, SpanId, SpanKind, TagPolicy, Trace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// A span of the service itself, not a call out of it.
    Own,
    /// A dependency the service calls, directly or further down.
    Downstream,
    /// Not under the service: its callers, or another branch of the trace.
    Elsewhere,
}

/// One (service, operation) where errors start, across the error traces.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginStat {
    /// The service the errors start in (for a client span whose peer recorded nothing, the peer).
    pub service: String,
    pub operation: String,
    pub relation: Relation,
    /// Seen only as the investigated service's failed client span (the peer has no error span).
    pub via_client: bool,
    /// Origin spans, and traces holding at least one.
    pub spans: usize,
    pub traces: usize,
    /// Up to three trace IDs, in input order.
    pub examples: Vec<String>,
    /// The first non-empty status message.
    pub message: Option<String>,
}

/// Tags that name the peer of a client span, most specific first.
const PEER_TAGS: &[&str] = &[
    "peer.service",
    "server.address",
    "net.peer.name",
    "db.system",
    "messaging.system",
];

/// The span tags [`origins_for`] reads, for the search that feeds it (issue 19): the peer tags
/// (a failed client span's peer, in [`relate`]) and nothing else; the error flag and status
/// message are lifted out of the tags whatever the policy.
pub const TAGS: TagPolicy = TagPolicy::Only(PEER_TAGS);

/// Examples kept per origin.
const EXAMPLES: usize = 3;

/// Error origins of `traces` relative to `service`, most widespread first (traces, then spans,
/// then relation, service and operation).
pub fn origins_for(service: &str, traces: &[Trace]) -> Vec<OriginStat> {
    type Key = (String, String, Relation, bool);
    let mut acc: BTreeMap<Key, (OriginStat, Option<usize>)> = BTreeMap::new();
    for (ti, t) in traces.iter().enumerate() {
        let origins = traces::error_origin_spans(t);
        if origins.is_empty() {
            continue;
        }
        let index: HashMap<SpanId, usize> = t
            .spans
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s.span_id, i))
            .collect();
        for i in origins {
            let s = &t.spans[i];
            let (who, relation, via_client) = relate(service, t, s, &index);
            let key = (who.clone(), s.operation.to_string(), relation, via_client);
            let (o, last) = acc.entry(key).or_insert_with(|| {
                (
                    OriginStat {
                        service: who,
                        operation: s.operation.to_string(),
                        relation,
                        via_client,
                        spans: 0,
                        traces: 0,
                        examples: Vec::new(),
                        message: None,
                    },
                    None,
                )
            });
            o.spans += 1;
            if *last != Some(ti) {
                *last = Some(ti);
                o.traces += 1;
                if o.examples.len() < EXAMPLES {
                    o.examples.push(t.trace_id.clone());
                }
            }
            if o.message.is_none() {
                o.message = s.status_message.clone().filter(|m| !m.is_empty());
            }
        }
    }
    let mut out: Vec<OriginStat> = acc.into_values().map(|(o, _)| o).collect();
    out.sort_by(|a, b| {
        (b.traces, b.spans)
            .cmp(&(a.traces, a.spans))
            .then_with(|| a.relation.cmp(&b.relation))
            .then_with(|| (&a.service, &a.operation).cmp(&(&b.service, &b.operation)))
    });
    out
}

/// How the origin span `s` of trace `t` relates to `service`: the service it is counted under,
/// the relation, and whether it was seen only from the service's client side.
fn relate(
    service: &str,
    t: &Trace,
    s: &Span,
    index: &HashMap<SpanId, usize>,
) -> (String, Relation, bool) {
    if s.service == service {
        // A failed call with no error span below it: the peer failed (or never answered).
        if matches!(s.kind, SpanKind::Client | SpanKind::Producer)
            && let Some(peer) = PEER_TAGS
                .iter()
                .find_map(|k| t.tag(s, k))
                .filter(|p| !p.is_empty() && *p != service)
        {
            return (peer.to_string(), Relation::Downstream, true);
        }
        return (s.service.to_string(), Relation::Own, false);
    }
    // Walk up the parents; bounded by the span count, so a cycle cannot loop.
    let mut parent = s.parent_id;
    for _ in 0..t.spans.len() {
        let Some(p) = parent.and_then(|id| index.get(&id)) else {
            break;
        };
        let ps = &t.spans[*p];
        if ps.service == service {
            return (s.service.to_string(), Relation::Downstream, false);
        }
        parent = ps.parent_id;
    }
    (s.service.to_string(), Relation::Elsewhere, false)
}
