//! Which request wrote which log line, and the lines an operation stopped writing (issue 15).
//!
//! A share of a service's lines moves whenever its traffic's mix does: a bystander whose callers
//! now book instead of browse writes new info lines, a root whose exception is caught writes one
//! line fewer per request. Per request of the *operation* that writes it, the two differ: the
//! bystander's browse requests still log as they did, the root's requests no longer do. That
//! needs each line's request, which the lines say when the logging library writes the active
//! span's id (OpenTelemetry's log bridges, Spring Sleuth and Micrometer Tracing's MDC, most JSON
//! loggers: `span_id=…`, `SpanID: …`, `"spanId":"…"`), and the requests, which the trace store
//! has: the service's traces, each of its spans mapped to the entry span of its request
//! ([`Requests`]).
//!
//! The test ([`skipped`]), in the spirit of Nezha's expected-pattern mining over logs and traces
//! (Yu et al., "Nezha: Interpretable Fine-Grained Root Causes Analysis for Microservices on
//! Multi-Modal Observability Data", ESEC/FSE 2023): an operation's template that `b` of the
//! baseline's `B` requests wrote is absent from the last `k` requests of that operation now. With
//! a Jeffreys prior on the share of requests that write it, the chance of `k` misses in a row is
//! the posterior predictive `B(a, β + k) / B(a, β)` (`a = b + ½`, `β = B − b + ½`): a short
//! baseline's own uncertainty is in it, so 6 of 7 requests make a weaker case than 35 of 36. The
//! chance is expressed as the z with that normal upper tail ([`z_of_ln_sf`]) so that it is held
//! to the same bar as the other template changes. Only the *last* run counts: a template that
//! stops when the fault starts leaves a run as long as the fault is old, and one that is merely
//! rarer leaves short runs. And only a run whose requests write fewer lines than the baseline's
//! (by half the template's own rate at least): a request that writes another line in its place
//! took the same path with another answer, which data and traffic change as often as faults.
//! Which services are worth asking the trace store about at all is screened from the logs alone
//! ([`gone_quiet`]). Pure; tests in `requests_tests.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use super::shift::Line;
use super::template;
use crate::analysis::stats::{ln_gamma, z_of_ln_sf};
use crate::model::trace::{Resource, Span, SpanId, SpanKind, Trace};

/// `span_id=…`, `spanId: …`, `SpanID: …`, `"span_id":"…"`, `span.id=…`: a key naming a span id,
/// then 16 hex digits (W3C and Jaeger span ids).
static SPAN_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bspan[_.\-]?id["']?\s*[:=]\s*["']?([0-9a-f]{16})\b"#)
        .expect("the span id pattern compiles")
});

/// The span id a log line names, if it names one.
pub fn span_id_in(text: &str) -> Option<SpanId> {
    SPAN_ID
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| SpanId::parse(m.as_str()))
}

/// One service's requests in one window, from its traces: per operation, its requests' entry
/// spans, oldest first; and the request each of the service's spans belongs to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requests {
    pub ops: BTreeMap<String, Vec<SpanId>>,
    owner: HashMap<SpanId, (String, SpanId)>,
}

/// How deep a chain of one service's spans is followed up to its entry span.
const MAX_DEPTH: usize = 64;

impl Requests {
    /// The requests of `service` in `traces` whose entry span `keep` accepts (the window the
    /// logs cover, the pods they came from). An entry span is a server (or consumer) span of the
    /// service, or one whose parent is another service's or absent: where a request enters it.
    pub fn of(traces: &[Trace], service: &str, keep: impl Fn(&Span, &Resource) -> bool) -> Self {
        let mut entries: BTreeMap<String, Vec<(i64, SpanId)>> = BTreeMap::new();
        let mut owner = HashMap::new();
        let mut seen = BTreeSet::new();
        for t in traces {
            let by_id: HashMap<SpanId, &Span> = t.spans.iter().map(|s| (s.span_id, s)).collect();
            let mine = |s: &Span| &*s.service == service;
            let is_entry = |s: &Span| {
                matches!(s.kind, SpanKind::Server | SpanKind::Consumer)
                    || s.parent_id
                        .and_then(|p| by_id.get(&p))
                        .is_none_or(|p| !mine(p))
            };
            for s in t.spans.iter().filter(|s| mine(s)) {
                let mut cur = s;
                let mut depth = 0;
                while !is_entry(cur) && depth < MAX_DEPTH {
                    match cur.parent_id.and_then(|p| by_id.get(&p)) {
                        Some(p) if mine(p) => cur = p,
                        _ => break,
                    }
                    depth += 1;
                }
                if !is_entry(cur) {
                    continue;
                }
                let res = t.resources.get(cur.resource).cloned().unwrap_or_default();
                if !keep(cur, &res) {
                    continue;
                }
                let op = cur.operation.to_string();
                owner.insert(s.span_id, (op.clone(), cur.span_id));
                if seen.insert(cur.span_id) {
                    entries
                        .entry(op)
                        .or_default()
                        .push((cur.start_us, cur.span_id));
                }
            }
        }
        let ops = entries
            .into_iter()
            .map(|(op, mut v)| {
                v.sort();
                (op, v.into_iter().map(|(_, id)| id).collect())
            })
            .collect();
        Requests { ops, owner }
    }

    /// The operation and entry span of the request `span` belongs to.
    pub fn request_of(&self, span: SpanId) -> Option<(&str, SpanId)> {
        self.owner.get(&span).map(|(op, id)| (op.as_str(), *id))
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Per (operation, template): the requests that wrote it at least once, and its lines.
    fn writers(
        &self,
        lines: &[(usize, SpanId)],
    ) -> BTreeMap<(&str, usize), (BTreeSet<SpanId>, usize)> {
        let mut out: BTreeMap<(&str, usize), (BTreeSet<SpanId>, usize)> = BTreeMap::new();
        for (template, span) in lines {
            if let Some((op, req)) = self.request_of(*span) {
                let e = out.entry((op, *template)).or_default();
                e.0.insert(req);
                e.1 += 1;
            }
        }
        out
    }

    /// Lines per request (by its entry span).
    fn lines_per_request(&self, lines: &[(usize, SpanId)]) -> HashMap<SpanId, usize> {
        let mut out = HashMap::new();
        for (_, span) in lines {
            if let Some((_, req)) = self.request_of(*span) {
                *out.entry(req).or_insert(0) += 1;
            }
        }
        out
    }
}

/// Whether some info line of a service that names its span has been quiet now for longer than
/// its baseline rate makes likely: at least `min_expected` lines of it expected since its last
/// one now (or since `now`'s start, the stretch the reads now covered), at the rate it was written
/// over the stretch the baseline's lines span. A service that now writes nothing at all is the
/// clearest case. The screen before the trace store is asked for the service's requests (two
/// searches of whole traces): a line can only be skipped per request where it went quiet, and
/// the exact test, per request, decides. Lines are keyed by their masked text ([`template`]),
/// which splits finer than the miner, so it errs on asking.
pub fn gone_quiet(
    base: &[Line],
    now: &[Line],
    (now_from, now_end): (f64, f64),
    min_expected: f64,
) -> bool {
    let timed = |v: &'_ [Line]| -> Vec<(String, f64)> {
        v.iter()
            .filter(|l| !l.error && l.span.is_some())
            .filter_map(|l| Some((template(&l.text), l.at?)))
            .collect()
    };
    let (base, now) = (timed(base), timed(now));
    let span = |v: &[(String, f64)]| {
        let lo = v.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
        let hi = v.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let (b_lo, b_hi) = span(&base);
    if !(b_lo.is_finite() && now_from.is_finite() && now_end > now_from) {
        return false;
    }
    // A minute at least: a baseline of a few seconds says little about a rate.
    let stretch = (b_hi - b_lo).max(60.0);
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for (t, _) in &base {
        *count.entry(t.as_str()).or_default() += 1;
    }
    let mut last: BTreeMap<&str, f64> = BTreeMap::new();
    for (t, at) in &now {
        let e = last.entry(t.as_str()).or_insert(*at);
        *e = e.max(*at);
    }
    count.iter().any(|(t, c)| {
        let since = last.get(t).copied().unwrap_or(now_from);
        *c as f64 / stretch * (now_end - since) >= min_expected
    })
}

/// A template an operation wrote on its requests before and not on its latest ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    /// The template's id in the miner both windows were mined with.
    pub template: usize,
    pub operation: String,
    /// Baseline requests of the operation that wrote it, of how many.
    pub wrote: usize,
    pub of: usize,
    /// The operation's latest requests now that did not write it (the run since it last did), of
    /// how many requests now.
    pub run: usize,
    pub now: usize,
    /// The run's improbability as a z-score (see the module).
    pub z: f64,
}

/// Every (operation, template) the baseline's requests wrote and whose latest run of requests
/// now without it has any improbability (`z > 0`), strongest first. `lines`: each window's lines
/// as (template id, span id). Operations with fewer than `min_requests` baseline requests are not
/// judged: their share is a guess.
pub fn skipped(
    base: &Requests,
    base_lines: &[(usize, SpanId)],
    now: &Requests,
    now_lines: &[(usize, SpanId)],
    min_requests: usize,
) -> Vec<Skip> {
    let before = base.writers(base_lines);
    let after = now.writers(now_lines);
    let (per_base, per_now) = (
        base.lines_per_request(base_lines),
        now.lines_per_request(now_lines),
    );
    let mean = |reqs: &[SpanId], per: &HashMap<SpanId, usize>| {
        reqs.iter()
            .map(|r| per.get(r).copied().unwrap_or(0))
            .sum::<usize>() as f64
            / reqs.len().max(1) as f64
    };
    let mut out = Vec::new();
    for ((op, template), (writers, lines)) in &before {
        let big_b = base.ops.get(*op).map_or(0, Vec::len);
        let Some(reqs) = now.ops.get(*op) else {
            continue;
        };
        if big_b < min_requests.max(1) || reqs.is_empty() {
            continue;
        }
        let wrote_now = after.get(&(*op, *template)).map(|w| &w.0);
        let run = reqs
            .iter()
            .rev()
            .take_while(|r| wrote_now.is_none_or(|w| !w.contains(r)))
            .count();
        // Skipped, not replaced: the run's requests write fewer lines than the baseline's, by at
        // least half the template's own. A request that writes another line in its place (an
        // answer whose content changed: `Order is Null.` before, a list of tickets now, which
        // the miner keeps apart) took the same path; data or traffic do that, not only a fault.
        let base_reqs = base.ops.get(*op).map_or(&[][..], Vec::as_slice);
        let own = *lines as f64 / big_b as f64;
        if mean(base_reqs, &per_base) - mean(&reqs[reqs.len() - run..], &per_now) < own / 2.0 {
            continue;
        }
        let b = writers.len().min(big_b);
        let z = z_of_ln_sf(ln_run_chance(b, big_b, run));
        if z > 0.0 {
            out.push(Skip {
                template: *template,
                operation: op.to_string(),
                wrote: b,
                of: big_b,
                run,
                now: reqs.len(),
                z,
            });
        }
    }
    out.sort_by(|a, b| {
        b.z.total_cmp(&a.z)
            .then_with(|| a.operation.cmp(&b.operation))
            .then_with(|| a.template.cmp(&b.template))
    });
    out
}

/// ln of the chance that `run` requests in a row skip a template `b` of `big_b` baseline requests
/// wrote: the Beta(b + ½, B − b + ½) posterior predictive of `run` misses.
pub(super) fn ln_run_chance(b: usize, big_b: usize, run: usize) -> f64 {
    if run == 0 {
        return 0.0;
    }
    let a = b as f64 + 0.5;
    let beta = (big_b - b.min(big_b)) as f64 + 0.5;
    let k = run as f64;
    ln_gamma(beta + k) + ln_gamma(a + beta) - ln_gamma(beta) - ln_gamma(a + beta + k)
}
