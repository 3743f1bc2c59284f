//! Which log templates of one service changed between a baseline window and now, per request:
//! evidence for root-cause localization ([`localize::Shift`]) that moves even when no error
//! metric does (an exception caught and turned into a wrong answer changes which lines a service
//! writes, not its error ratio).
//!
//! Both windows are mined together ([`Miner`], baseline first), so a template has one identity
//! whichever window its lines came from. Per template, the count now is compared with the
//! baseline's count scaled to the requests now, `s = now_requests / base_requests`:
//!
//! * expected `e = s·(b + p)`, where `p` is a pseudo-count: a template never seen before is
//!   expected `s·p` times, so its first few lines are not "infinitely" surprising;
//! * `z = (n − e) / √(e·(1 + s))`: the difference of two Poisson counts, the count now (variance
//!   `e`) and the baseline's (variance `b + p`, scaled by `s²`), so a short baseline's own noise
//!   is not taken as certainty.
//!
//! At equal volume and the defaults, a template never seen before needs 5 lines now to count
//! (4 at error level), and one must have had 32 lines in the baseline for none now to count as
//! vanished.
//!
//! A template is `new` (none before, at least `min_new` now), `vanished` (expected at least
//! `min_vanished` and none now), `jumped` or `dropped` (rate ratio at least `min_ratio` either
//! way), and significant when its score `|z|·w` reaches `z_min`. `z_min` defaults to 4, above
//! the metrics' usual 3: a service writes hundreds of templates, and at 3 about one in 700
//! stable templates would pass by chance (more at small counts, where Poisson tails are heavier).
//!
//! Weight `w`: `error_weight` (1.5) for error-level templates that appeared or rose, 1 otherwise.
//! An error line is written on a failure path, an info line also when traffic mix, a flag or a
//! log level changes, so a rise of errors is the likelier evidence; but not much more: the faults
//! this is for (a caught exception, a changed return value) often log at info or warn, and a
//! larger factor would let a noisy error template drown them. An error template that vanished
//! or dropped weighs 1: a service that stopped failing is more often healed than the cause.
//!
//! When request counts are unknown (zero, negative, not finite), rates are per line instead (a
//! template's share of its window's lines, `s = now_lines / base_lines`), and the output says
//! so; a volume change then cannot be told from a mix change, which is weaker evidence.
//!
//! Per request of the operation that wrote it ([`compare_per_request`]): when the lines name
//! their spans and the trace store has the service's requests, a template an operation wrote on
//! its requests before and not on its latest ones is `skipped` ([`super::requests`]): the
//! evidence a traffic mix cannot fake, since it is counted within one operation's requests. Only
//! info-level templates are judged so: an error line an operation stopped writing is a failure
//! that stopped.
//!
//! The summary names only the masked template, never a raw line (logs hold secrets), cut at
//! [`MAX_SUMMARY_TEMPLATE`] characters with control characters replaced. Pure; tests in
//! `drain_tests.rs`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::Serialize;

use super::Record;
use super::drain::{DrainParams, Miner};
use super::is_error_line;
use super::requests::{Requests, span_id_in};
use crate::analysis::localize;
use crate::model::trace::SpanId;

/// Strength past this adds nothing (as `localize`'s metric changes).
const STRENGTH_CAP: f64 = 8.0;
/// Characters of a template shown in a summary.
pub const MAX_SUMMARY_TEMPLATE: usize = 120;

/// One log record of a service, as mined: its message and whether it is at error level.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub error: bool,
    /// The span the line names (`span_id=…`), which says which request wrote it.
    pub span: Option<SpanId>,
    /// When it was written, unix seconds, when the read said.
    pub at: Option<f64>,
}

impl Line {
    /// A raw line, its level read by [`is_error_line`].
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let error = is_error_line(&text);
        let span = span_id_in(&text);
        Line {
            text,
            error,
            span,
            at: None,
        }
    }
}

impl From<&Record> for Line {
    /// A record's message (a traceback's exception line), at the level of its first line.
    fn from(r: &Record) -> Self {
        Line {
            text: r.message.clone(),
            error: r.is_error(),
            span: span_id_in(&r.line),
            at: r.at,
        }
    }
}

/// The records of a log read with `timestamps=true` whose time is in `[from, to)` (unix
/// seconds), as lines to mine, and the time the last of them was written (how far the read got
/// before its byte limit). Records without a timestamp are left out: their window is unknown.
pub fn lines_between(text: &str, from: f64, to: f64) -> (Vec<Line>, Option<f64>) {
    let mut last = None;
    let lines = super::records(text)
        .iter()
        .filter(|r| r.at.is_some_and(|t| t >= from && t < to))
        .inspect(|r| last = r.at)
        .map(Line::from)
        .collect();
    (lines, last)
}

/// The stretch of `[from, to)` a log read covers, unix seconds, from the `lines` it returned in
/// that window ([`lines_between`]'s, oldest first): from the first one's time when the read was
/// cut at its start (`cut_start`: the newest `tailLines` came back), to the last one's when it
/// was cut at its end (`cut_end`: the byte limit); else the window's own bounds, since a pod that
/// wrote nothing for a while still covered it. Requests outside it wrote lines the read did not
/// get.
pub fn covered(lines: &[Line], from: f64, to: f64, cut_start: bool, cut_end: bool) -> (f64, f64) {
    let first = lines.iter().find_map(|l| l.at).filter(|_| cut_start);
    let last = lines.iter().rev().find_map(|l| l.at).filter(|_| cut_end);
    (first.unwrap_or(from), last.unwrap_or(to))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShiftParams {
    pub drain: DrainParams,
    /// Least score (|z| times the weight) that is significant.
    pub z_min: f64,
    /// Pseudo-count added to the baseline count.
    pub pseudo: f64,
    /// Fewest lines now for a template absent before to be `new`.
    pub min_new: usize,
    /// Fewest lines expected now for a template absent now to be `vanished`.
    pub min_vanished: f64,
    /// Least rate ratio (either way) for `jumped` and `dropped`.
    pub min_ratio: f64,
    /// Weight of error-level templates that appeared or rose.
    pub error_weight: f64,
    /// Fewest baseline requests of an operation for its templates to be judged per request.
    pub min_requests: usize,
}

impl Default for ShiftParams {
    fn default() -> Self {
        ShiftParams {
            drain: DrainParams::default(),
            z_min: 4.0,
            pseudo: 0.5,
            min_new: 3,
            min_vanished: 5.0,
            min_ratio: 2.0,
            error_weight: 1.5,
            min_requests: 5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    New,
    Vanished,
    Jumped,
    Dropped,
    /// Written by an operation's requests before, not by its latest ones.
    Skipped,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::New => "new",
            Kind::Vanished => "vanished",
            Kind::Jumped => "jumped",
            Kind::Dropped => "dropped",
            Kind::Skipped => "skipped",
        }
    }
}

/// One template that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateChange {
    /// The masked template (never a raw line).
    pub template: String,
    pub kind: Kind,
    pub error: bool,
    /// Lines in the baseline and now.
    pub base: usize,
    pub now: usize,
    /// Lines per request (or per line) in each window.
    pub base_rate: f64,
    pub now_rate: f64,
    /// Lines expected now from the baseline (with the pseudo-count).
    pub expected: f64,
    /// Signed: negative for `vanished` and `dropped`.
    pub z: f64,
    /// `|z|` times the weight: what is compared with `z_min` and ranks.
    pub score: f64,
    /// For `skipped`: the operation and its requests (then `base` and `now` count requests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<RequestRun>,
}

/// A `skipped` template's operation: how many of its baseline requests wrote the template, and
/// how many of its latest requests now in a row did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestRun {
    pub operation: String,
    pub wrote: usize,
    pub of: usize,
    pub run: usize,
    pub now: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateShift {
    /// Rates are per line because request counts were unknown.
    pub per_line: bool,
    /// Lines read in each window.
    pub base_lines: usize,
    pub now_lines: usize,
    /// Lines not mined because the template cap was reached (both windows).
    pub overflow: usize,
    /// Templates mined (both windows).
    pub templates: usize,
    /// The significant changes, highest score first, then by template text.
    pub changes: Vec<TemplateChange>,
    /// The bar the scores were held to.
    pub z_min: f64,
}

/// Compare one service's log lines in a baseline window and now (see the module's text).
pub fn compare(
    baseline: &[Line],
    now: &[Line],
    base_requests: f64,
    now_requests: f64,
    params: &ShiftParams,
) -> TemplateShift {
    compare_with(baseline, now, base_requests, now_requests, None, params)
}

/// [`compare`] per line, and per request of each operation where `requests` (the baseline's and
/// now's, from the trace store) say which request wrote which line: `skipped` templates.
pub fn compare_per_request(
    baseline: &[Line],
    now: &[Line],
    requests: (&Requests, &Requests),
    params: &ShiftParams,
) -> TemplateShift {
    compare_with(baseline, now, 0.0, 0.0, Some(requests), params)
}

fn compare_with(
    baseline: &[Line],
    now: &[Line],
    base_requests: f64,
    now_requests: f64,
    requests: Option<(&Requests, &Requests)>,
    params: &ShiftParams,
) -> TemplateShift {
    let mut miner = Miner::new(params.drain);
    // Per cluster id: (baseline, now) counts.
    let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    // Each window's lines that name a span, as (cluster id, span).
    let (mut base_spans, mut now_spans) = (Vec::new(), Vec::new());
    for l in baseline {
        if let Some(id) = miner.add(&l.text, l.error) {
            counts.entry(id).or_default().0 += 1;
            base_spans.extend(l.span.map(|s| (id, s)));
        }
    }
    for l in now {
        if let Some(id) = miner.add(&l.text, l.error) {
            counts.entry(id).or_default().1 += 1;
            now_spans.extend(l.span.map(|s| (id, s)));
        }
    }
    let known = |r: f64| r.is_finite() && r > 0.0;
    let per_line = !(known(base_requests) && known(now_requests));
    let (base_den, now_den) = if per_line {
        (baseline.len() as f64, now.len() as f64)
    } else {
        (base_requests, now_requests)
    };
    let mut out = TemplateShift {
        per_line,
        base_lines: baseline.len(),
        now_lines: now.len(),
        overflow: miner.overflow(),
        templates: miner.clusters().len(),
        changes: Vec::new(),
        z_min: params.z_min,
    };
    // Per request first: a template skipped there is not also `vanished` or `dropped` per line.
    // Before the per-line rates: a service whose requests now write nothing at all has none.
    let mut skipped_ids = std::collections::BTreeSet::new();
    if let Some((base_req, now_req)) = requests {
        let runs = super::requests::skipped(
            base_req,
            &base_spans,
            now_req,
            &now_spans,
            params.min_requests,
        );
        for r in runs {
            let Some(c) = miner.cluster(r.template) else {
                continue;
            };
            if c.error || r.z < params.z_min || !skipped_ids.insert(r.template) {
                continue;
            }
            let rate = r.wrote as f64 / r.of.max(1) as f64;
            out.changes.push(TemplateChange {
                template: c.text(),
                kind: Kind::Skipped,
                error: false,
                base: r.wrote,
                now: 0,
                base_rate: rate,
                now_rate: 0.0,
                expected: rate * r.run as f64,
                z: -r.z,
                score: r.z,
                requests: Some(RequestRun {
                    operation: r.operation,
                    wrote: r.wrote,
                    of: r.of,
                    run: r.run,
                    now: r.now,
                }),
            });
        }
    }
    // Per line, an empty window has no rates: nothing more to compare.
    let rated = base_den > 0.0 && now_den > 0.0;
    for (id, (b, n)) in counts.into_iter().filter(|_| rated) {
        let Some(c) = miner.cluster(id) else { continue };
        let s = now_den / base_den;
        if let Some(change) = judge(c.text(), c.error, b, n, s, base_den, now_den, params)
            && !(skipped_ids.contains(&id) && matches!(change.kind, Kind::Vanished | Kind::Dropped))
        {
            out.changes.push(change);
        }
    }
    out.changes.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.template.cmp(&b.template))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.error.cmp(&b.error))
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn judge(
    template: String,
    error: bool,
    b: usize,
    n: usize,
    s: f64,
    base_den: f64,
    now_den: f64,
    p: &ShiftParams,
) -> Option<TemplateChange> {
    let (bf, nf) = (b as f64, n as f64);
    let expected = s * (bf + p.pseudo.max(0.0));
    let var = expected * (1.0 + s);
    if !(var.is_finite() && var > 0.0) {
        return None;
    }
    let z = (nf - expected) / var.sqrt();
    let base_rate = bf / base_den;
    let now_rate = if now_den > 0.0 { nf / now_den } else { 0.0 };
    let kind = if b == 0 {
        (n >= p.min_new && z > 0.0).then_some(Kind::New)?
    } else if n == 0 {
        (expected >= p.min_vanished && z < 0.0).then_some(Kind::Vanished)?
    } else if now_rate >= p.min_ratio * base_rate && z > 0.0 {
        Kind::Jumped
    } else if now_rate * p.min_ratio <= base_rate && z < 0.0 {
        Kind::Dropped
    } else {
        return None;
    };
    let weight = match kind {
        Kind::New | Kind::Jumped if error => p.error_weight.max(0.0),
        _ => 1.0,
    };
    let score = z.abs() * weight;
    (score >= p.z_min).then_some(TemplateChange {
        template,
        kind,
        error,
        base: b,
        now: n,
        base_rate,
        now_rate,
        expected,
        z,
        score,
        requests: None,
    })
}

impl TemplateShift {
    /// The evidence for `localize`: strength `max score / z_min` (how many times over the bar,
    /// as a metric change's), capped at 8; `None` when nothing changed significantly.
    pub fn to_shift(&self) -> Option<localize::Shift> {
        self.shift_of(|_| true)
    }

    /// [`Self::to_shift`] from the error-level templates that appeared or rose, and the
    /// templates an operation stopped writing per request (`skipped`): the error runbook's
    /// evidence. Where the question is where errors start, a service whose only change is its
    /// mix of info lines is far more often seeing different traffic than failing; its info
    /// changes stay in the summary of a service that qualifies. A skipped template is not a mix:
    /// the same operation's requests stopped writing it.
    pub fn to_error_shift(&self) -> Option<localize::Shift> {
        self.shift_of(|c| {
            (c.error && matches!(c.kind, Kind::New | Kind::Jumped)) || c.kind == Kind::Skipped
        })
    }

    fn shift_of(&self, counts: impl Fn(&TemplateChange) -> bool) -> Option<localize::Shift> {
        let top = self.changes.iter().find(|c| counts(c))?;
        if self.z_min.is_nan() || self.z_min <= 0.0 {
            return None;
        }
        let strength = (top.score / self.z_min).min(STRENGTH_CAP);
        let t = summary_template(&top.template);
        let mut summary = match top.kind {
            Kind::New => format!("new: {t} ({} lines, none before)", top.now),
            Kind::Vanished => format!(
                "vanished: {t} (none now, {:.0} expected from {} before)",
                top.expected, top.base
            ),
            Kind::Skipped => match &top.requests {
                Some(r) => format!(
                    "skipped: {t} (written by {} of {} requests of {} before, by none of its last {} of {})",
                    r.wrote,
                    r.of,
                    summary_template(&r.operation),
                    r.run,
                    r.now
                ),
                None => format!("skipped: {t}"),
            },
            Kind::Jumped | Kind::Dropped => format!(
                "{}: {t} ({} {}, {} lines before, {} now)",
                top.kind.as_str(),
                ratio_text(top.base_rate, top.now_rate),
                if self.per_line {
                    "per line"
                } else {
                    "per request"
                },
                top.base,
                top.now
            ),
        };
        let more = self.changes.len() - 1;
        if more > 0 {
            summary.push_str(&format!(
                "; {more} more template{} changed",
                if more == 1 { "" } else { "s" }
            ));
        }
        if self.per_line && top.kind != Kind::Skipped {
            summary.push_str(" (rates per log line: request counts unknown)");
        }
        Some(localize::Shift { strength, summary })
    }
}

fn ratio_text(base: f64, now: f64) -> String {
    match base.partial_cmp(&0.0) {
        Some(Ordering::Greater) => format!("×{:.1}", now / base),
        _ => "from none".to_string(),
    }
}

/// A template (or an operation's name) as a summary shows it: cut, control characters replaced.
fn summary_template(t: &str) -> String {
    let mut out: String = t
        .chars()
        .take(MAX_SUMMARY_TEMPLATE)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if t.chars().count() > MAX_SUMMARY_TEMPLATE {
        out.push('…');
    }
    out
}
