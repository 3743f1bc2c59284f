//! Context propagation (guide 2.2) and head-sampling consistency (2.3.1), from the shape of each
//! trace against the call graph:
//!
//! - a server or consumer span that starts a trace although another service calls its service
//!   (a new root), a second root inside one trace, a span naming a parent that never arrived (an
//!   orphan), and a client span naming an instrumented `peer.service` that has no child: each is a
//!   broken hop, reported per pair of services (caller → callee) so the hop is named, against the
//!   calls that kept their context;
//! - an orphan entry span whose trace holds no span of any of its callers: the callee recorded a
//!   trace its callers did not sample (`sampling_inconsistent`: not a parent-based sampler);
//! - spans whose baggage (`baggage.*` attributes, a captured `baggage` header, Jaeger baggage
//!   logs) is larger than `baggage_max_bytes`.
//!
//! Tests: `tests/propagation.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{AuditParams, CallGraph, Issue, SpanLoss, deployments};
use crate::model::trace::{Span, SpanId, SpanKind, Trace};
use crate::report::{Evidence, Severity, Subject};
use crate::runbook::kinds::remedy;

#[derive(Default)]
struct Hop<'a> {
    connected: usize,
    new_roots: usize,
    extra_roots: usize,
    orphans: usize,
    no_child: usize,
    example: Option<&'a str>,
}

impl<'a> Hop<'a> {
    fn broken(&self) -> usize {
        self.no_child.max(self.new_roots + self.extra_roots) + self.orphans
    }

    /// Broken over all calls seen.
    fn ratio(&self) -> f64 {
        let broken = self.broken();
        broken as f64 / (broken + self.connected).max(1) as f64
    }

    fn note(&mut self, trace: &'a str) {
        self.example.get_or_insert(trace);
    }
}

fn entry(s: &Span) -> bool {
    matches!(s.kind, SpanKind::Server | SpanKind::Consumer)
}

fn outgoing(s: &Span) -> bool {
    matches!(s.kind, SpanKind::Client | SpanKind::Producer)
}

/// Baggage a span shows, in bytes of keys and values.
pub fn baggage_bytes(s: &Span) -> usize {
    let mut n = 0;
    for (k, v) in &s.tags {
        if let Some(key) = k.strip_prefix("baggage.") {
            n += key.len() + v.len();
        } else if k == "http.request.header.baggage" || k == "http.request.header.jaeger-baggage" {
            n += v.len();
        }
    }
    for e in s.events.iter().filter(|e| e.name == "baggage") {
        let field = |name: &str| {
            e.fields
                .iter()
                .find(|(k, _)| k == name)
                .map_or(0, |(_, v)| v.len())
        };
        n += field("key") + field("value");
    }
    n
}

/// `loss`: spans measured lost in the pipeline; a hop it explains is [`loss_issue`], not a broken
/// propagation (a lost span takes its links with it: issue 20).
pub fn detect(
    traces: &[Trace],
    graph: &CallGraph,
    loss: Option<&SpanLoss>,
    p: &AuditParams,
) -> Vec<Issue> {
    let mut hops: BTreeMap<(String, String), Hop<'_>> = BTreeMap::new();
    // Main roots that are entry spans of a called service: (callee, trace), resolved to a caller
    // once every trace is read.
    let mut new_roots: Vec<(&str, &str)> = Vec::new();
    // Callee → (orphan spans whose callers are absent from their trace, traces, example).
    let mut unsampled: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    let mut baggage: BTreeMap<&str, (usize, usize, usize, Option<&str>)> = BTreeMap::new();
    let mut spans_of: BTreeMap<&str, usize> = BTreeMap::new();
    let sampled: BTreeSet<&str> = traces
        .iter()
        .flat_map(|t| p.spans(t).iter().map(|s| s.service.as_str()))
        .collect();

    for t in traces {
        let spans = p.spans(t);
        let mut index: HashMap<SpanId, usize> = HashMap::with_capacity(spans.len());
        for (i, s) in spans.iter().enumerate() {
            index.entry(s.span_id).or_insert(i);
        }
        let mut has_child = vec![false; spans.len()];
        let mut roots = Vec::new();
        let mut orphans = Vec::new();
        for (i, s) in spans.iter().enumerate() {
            *spans_of.entry(s.service.as_str()).or_insert(0) += 1;
            match s.parent_id.map(|id| index.get(&id).copied()) {
                None => roots.push(i),
                Some(Some(j)) if j != i => {
                    has_child[j] = true;
                    if spans[j].service != s.service && entry(s) {
                        let hop = hops
                            .entry((spans[j].service.to_string(), s.service.to_string()))
                            .or_default();
                        hop.connected += 1;
                    }
                }
                Some(Some(_)) => roots.push(i),
                Some(None) => orphans.push(i),
            }
            let bytes = baggage_bytes(s);
            let b = baggage.entry(s.service.as_str()).or_default();
            b.0 += 1;
            if bytes > p.baggage_max_bytes {
                b.1 += 1;
                b.2 = b.2.max(bytes);
                b.3.get_or_insert(&t.trace_id);
            }
        }
        let present: BTreeSet<&str> = spans.iter().map(|s| s.service.as_str()).collect();
        // Client spans to an instrumented service that never got a child.
        for (i, c) in spans.iter().enumerate() {
            if let Some(peer) = c.tag("peer.service")
                && outgoing(c)
                && !has_child[i]
                && peer != c.service
                && sampled.contains(peer)
            {
                let hop = hops
                    .entry((c.service.to_string(), peer.to_string()))
                    .or_default();
                hop.no_child += 1;
                hop.note(&t.trace_id);
            }
        }
        let main = roots.iter().copied().max_by(|&a, &b| {
            let (x, y) = (&spans[a], &spans[b]);
            x.duration_us
                .cmp(&y.duration_us)
                .then(y.start_us.cmp(&x.start_us))
                .then(b.cmp(&a))
        });
        for &r in &roots {
            let s = &spans[r];
            if Some(r) == main {
                if entry(s) && graph.callers_of(&s.service).next().is_some() {
                    new_roots.push((s.service.as_str(), t.trace_id.as_str()));
                }
                continue;
            }
            // A second root: who in this trace should have been its parent?
            let caller = spans
                .iter()
                .enumerate()
                .filter(|(i, c)| outgoing(c) && !has_child[*i] && c.service != s.service)
                .find(|(_, c)| {
                    c.tag("peer.service") == Some(s.service.as_str())
                        || graph.callers_of(&s.service).any(|x| x == c.service)
                })
                .map(|(_, c)| c.service.as_str())
                .or_else(|| main.map(|m| spans[m].service.as_str()))
                .unwrap_or(s.service.as_str());
            let hop = hops
                .entry((caller.to_string(), s.service.to_string()))
                .or_default();
            hop.extra_roots += 1;
            hop.note(&t.trace_id);
        }
        for &o in &orphans {
            let s = &spans[o];
            let callers: Vec<&str> = graph.callers_of(&s.service).collect();
            if entry(s) && !callers.is_empty() && !callers.iter().any(|c| present.contains(c)) {
                let e = unsampled.entry(s.service.as_str()).or_default();
                e.0 += 1;
                e.1.insert(&t.trace_id);
                continue;
            }
            let caller = if entry(s) {
                callers
                    .iter()
                    .find(|c| present.contains(*c))
                    .copied()
                    .unwrap_or("")
            } else {
                s.service.as_str()
            };
            let hop = hops
                .entry((caller.to_string(), s.service.to_string()))
                .or_default();
            hop.orphans += 1;
            hop.note(&t.trace_id);
        }
    }

    // A new root's caller: the one whose client spans to it went childless, else the only one.
    for (callee, trace) in new_roots {
        let callers: Vec<&str> = graph.callers_of(callee).collect();
        let by_evidence = callers
            .iter()
            .filter_map(|c| {
                hops.get(&(c.to_string(), callee.to_string()))
                    .map(|h| (h.no_child, *c))
            })
            .filter(|(n, _)| *n > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)))
            .map(|(_, c)| c);
        let caller = match (by_evidence, callers.as_slice()) {
            (Some(c), _) => c,
            (None, [only]) => only,
            _ => "",
        };
        let hop = hops
            .entry((caller.to_string(), callee.to_string()))
            .or_default();
        hop.new_roots += 1;
        hop.note(trace);
    }

    let mut out = Vec::new();
    let loss_ratio = loss
        .and_then(SpanLoss::ratio)
        .filter(|r| *r >= p.span_loss_min_ratio);
    for ((caller, callee), hop) in &hops {
        if hop.broken() == 0 {
            continue;
        }
        match (loss, loss_ratio) {
            (Some(loss), Some(r)) if hop.ratio() <= (r * p.span_loss_factor).min(1.0) => {
                out.push(loss_issue(caller, callee, hop, loss, r, p));
            }
            _ => out.push(hop_issue(caller, callee, hop, graph, p)),
        }
    }
    for (svc, (n, in_traces)) in &unsampled {
        let callers: Vec<&str> = graph.callers_of(svc).collect();
        let (ratio, _) = p.policy(svc);
        out.push(
            Issue::new(
                "sampling_inconsistent",
                Severity::Warning,
                Subject::service(svc),
                format!(
                    "{svc} records spans of traces its callers ({}) did not sample: {n} spans in \
                     {} traces",
                    callers.join(", "),
                    in_traces.len()
                ),
                *n as f64 / spans_of.get(svc).copied().unwrap_or(1).max(1) as f64,
            )
            .detail(
                "Their parent span is named but no span of any calling service is in the trace: \
                 the caller decided not to sample and this service decided on its own to record. \
                 Such fragments cost storage and never show a whole request. Only the entry \
                 service should decide; every other one should follow the parent's sampled flag.",
            )
            .evidence(p.jaeger(
                svc,
                format!("{n} orphan entry spans of {svc}"),
                in_traces.iter().next().copied(),
            ))
            .remediation(remedy(
                "sampling_inconsistent",
                "follow-parent",
                &[
                    ("service", svc),
                    ("ratio", &ratio.to_string()),
                    ("namespace", &p.namespace),
                ],
            )),
        );
    }
    for (svc, (spans, over, max, example)) in &baggage {
        if *over == 0 {
            continue;
        }
        out.push(
            Issue::new(
                "baggage_too_large",
                Severity::Warning,
                Subject::service(svc),
                format!(
                    "{svc}: {over} spans carry more than {} bytes of baggage (up to {max})",
                    p.baggage_max_bytes
                ),
                *over as f64 / (*spans).max(1) as f64,
            )
            .detail(
                "Baggage travels in a header on every downstream call: large baggage costs \
                 bandwidth on each hop and proxies reject oversized headers (many cap all \
                 headers at 8 KiB).",
            )
            .evidence(p.jaeger(svc, format!("{over} of {spans} spans"), *example))
            .remediation(remedy("baggage_too_large", "small-baggage", &[])),
        );
    }
    out
}

/// A hop whose fragments the measured span loss explains: data loss, pointing at `investigate
/// data-loss`, charged to neither service (their instrumentation is not what failed).
fn loss_issue(
    caller: &str,
    callee: &str,
    h: &Hop<'_>,
    loss: &SpanLoss,
    ratio: f64,
    p: &AuditParams,
) -> Issue {
    let broken = h.broken();
    let total = broken + h.connected;
    let pct = crate::report::units::percent(ratio);
    let (subject, hop) = if caller.is_empty() || caller == callee {
        (Subject::service(callee), callee.to_string())
    } else {
        (
            Subject::service(caller).with_dependency(callee),
            format!("{caller} → {callee}"),
        )
    };
    let mut issue = Issue::new(
        "span_loss_fragments",
        Severity::Warning,
        subject,
        format!(
            "{hop}: {broken} of {total} calls are trace fragments, explained by span loss ({pct} \
             of spans lost in the pipeline)"
        ),
        h.ratio(),
    )
    .detail(format!(
        "{:.0} of {:.0} spans offered in the lookback were dropped, refused or failed to export. \
         A lost span takes its links with it, so its children start fragments that look like a \
         dropped context; this hop is broken no more often than that loss explains \
         ({} × {pct}), so it is reported as data loss, not as broken propagation. Find the loss \
         with `tracectl investigate data-loss`, then audit again.",
        loss.lost, loss.offered, p.span_loss_factor
    ))
    .evidence(Evidence {
        source: "prometheus".into(),
        query: Some(loss.query.clone()),
        value: Some(format!("{pct} of spans lost")),
        at: (!p.at.is_empty()).then(|| p.at.clone()),
        link: None,
        via: None,
    })
    .evidence(p.jaeger(
        if caller.is_empty() { callee } else { caller },
        format!("{broken} broken, {} connected", h.connected),
        h.example,
    ))
    .remediation(remedy(
        "span_loss_fragments",
        "investigate",
        &[("loss", &pct)],
    ));
    issue.charged.clear();
    issue
}

fn hop_issue(caller: &str, callee: &str, h: &Hop<'_>, graph: &CallGraph, p: &AuditParams) -> Issue {
    let broken = h.broken();
    let total = broken + h.connected;
    let ratio = broken as f64 / total.max(1) as f64;
    let certain = h.no_child + h.extra_roots + h.orphans > 0;
    let severity = match (certain, ratio >= 0.5, h.connected) {
        (true, true, _) => Severity::Critical,
        (true, false, _) | (false, _, 0) => Severity::Warning,
        (false, _, _) => Severity::Info,
    };
    let mut lines = Vec::new();
    if h.new_roots > 0 {
        lines.push(format!(
            "{} {callee} requests started a new trace although {} calls {callee}",
            h.new_roots,
            if caller.is_empty() {
                graph.callers_of(callee).collect::<Vec<_>>().join(" or ")
            } else {
                caller.to_string()
            }
        ));
    }
    if h.extra_roots > 0 {
        lines.push(format!(
            "{} spans of {callee} are a second root inside a trace",
            h.extra_roots
        ));
    }
    if h.orphans > 0 {
        lines.push(format!(
            "{} spans of {callee} name a parent span that never arrived",
            h.orphans
        ));
    }
    if h.no_child > 0 {
        lines.push(format!(
            "{} client spans of {caller} to {callee} have no child span",
            h.no_child
        ));
    }
    lines.push(format!("{} calls kept their context", h.connected));
    let (subject, title) = if caller.is_empty() {
        (
            Subject::service(callee),
            format!("{callee}: trace context lost on the way in ({broken} broken of {total})"),
        )
    } else if caller == callee {
        (
            Subject::service(callee),
            format!("trace context lost inside {callee}: {broken} spans start a fragment"),
        )
    } else {
        (
            Subject::service(caller).with_dependency(callee),
            format!("trace context lost on {caller} → {callee}: {broken} of {total} calls"),
        )
    };
    let mut issue = Issue::new("broken_propagation", severity, subject, title, ratio)
        .detail(format!(
            "{}.\nA broken hop splits one request into unrelated traces: neither the critical \
             path nor the error's origin can be followed across it.",
            lines.join("; ")
        ))
        .evidence(p.jaeger(
            if caller.is_empty() { callee } else { caller },
            format!("{broken} broken, {} connected", h.connected),
            h.example,
        ))
        .charge(callee);
    let both: Vec<&str> = [caller, callee]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if caller == callee {
        issue = issue.remediation(remedy(
            "broken_propagation",
            "inside-service",
            &[("service", callee)],
        ));
    } else {
        issue = issue
            .remediation(remedy(
                "broken_propagation",
                "w3c",
                &[
                    ("services", &both.join(" and ")),
                    ("deployments", &deployments(&both)),
                    ("namespace", &p.namespace),
                ],
            ))
            .remediation(remedy(
                "broken_propagation",
                "instrument-hop",
                &[
                    (
                        "caller",
                        if caller.is_empty() {
                            "the caller"
                        } else {
                            caller
                        },
                    ),
                    ("callee", callee),
                ],
            ));
    }
    issue
}
