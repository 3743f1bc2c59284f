//! Where did the incident start? Change-based root-cause localization over the call graph.
//!
//! Input: every service's signals now and in its own baseline ([`ServiceView`]), and the calls
//! between services, measured on the caller's side ([`EdgeView`]). Output: candidates, each the
//! root of a propagation path, ranked totally ([`localize`]).
//!
//! The method, in the order it decides:
//! 1. **Change, not level** ([`change::rise`]): a signal counts only when it moved against its own
//!    baseline's variability. A chronically slow or failing service is never a suspect for being
//!    slow or failing; it is reported as chronic.
//! 2. **Walk down the graph** ([`walk`]): from every changed service, follow the call whose
//!    change explains the caller's change (its rise is at least `explain_share` of the caller's)
//!    to the deepest changed service whose own downstream does not explain it. This is the
//!    argument of the graph-based RCA methods (e.g. MicroRCA, Wu et al., NOMS 2020; the
//!    "anomalous subgraph" of Nezha, Yu et al., FSE 2023): an anomaly propagates *up* the call
//!    chain, so the symptom is the highest changed node and the cause the lowest that is not
//!    explained from below.
//! 3. **Where the delay shows**: when the calls *to* a service got slow (or failing) but its
//!    own server side did not, the change is between the two: the callee's egress when every
//!    caller sees it, the link when one caller does, the caller's egress when all of that
//!    caller's calls moved ([`Locus`]).
//! 4. **One score** ([`score`]): the root's own change, times the share of it its downstream
//!    leaves unexplained, plus what it explains upstream, raised by every other kind of evidence
//!    that agrees (resources, logs, traces).
//!
//! Not here: reading anything (the investigations gather the views), and findings (the
//! investigation turns candidates into findings with their evidence). Tests: `tests.rs` (unit)
//! and `fleet.rs` (generated fleets, many seeds).

pub mod change;
pub mod findings;
#[cfg(test)]
mod fleet;
mod graph;
pub mod scope;
#[cfg(test)]
mod tests;
pub mod triage;
pub mod views;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use change::{Change, Measure, Rule, baseline, fall, rise};

use graph::{Judged, agreeing, hop, locus, log_change_below, reach, walk};

/// Which symptom a walk follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Latency,
    Errors,
}

/// Evidence from outside the metrics (log templates, trace comparison): already judged by its
/// own analysis, here only its strength (same scale as [`Change::strength`]) and what it says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shift {
    pub strength: f64,
    pub summary: String,
}

/// One service's signals. Absent signals are `None`, never zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServiceView {
    pub name: String,
    /// p95 (or the asked quantile) of its server spans, seconds.
    pub latency: Option<Measure>,
    /// The median (p50) of its server spans, seconds: a change in the body of the
    /// distribution that a chronically slow tail hides from the p95.
    pub latency_p50: Option<Measure>,
    /// Error ratio of its server spans.
    pub errors: Option<Measure>,
    /// Requests per second it served.
    pub throughput: Option<Measure>,
    /// CPU used over its limit (or cores when there is no limit).
    pub cpu: Option<Measure>,
    /// Share of CFS periods throttled.
    pub throttling: Option<Measure>,
    /// Working set over its limit (or bytes).
    pub memory: Option<Measure>,
    /// Container restarts over the window.
    pub restarts: Option<Measure>,
    /// New, vanished or jumped log templates per request.
    pub logs: Option<Shift>,
    /// Its self time / critical-path share grew in the anomalous traces.
    pub traces: Option<Shift>,
}

/// Calls from `caller` to `callee`, measured on the caller's side (client spans, servicegraph).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeView {
    pub caller: String,
    pub callee: String,
    pub latency: Option<Measure>,
    /// The calls' median (p50), seconds.
    pub latency_p50: Option<Measure>,
    pub errors: Option<Measure>,
    /// Calls per second.
    pub rate: Option<Measure>,
}

/// How each kind of signal is judged (the runbook's thresholds).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub latency: Rule,
    pub errors: Rule,
    pub resources: Rule,
    pub restarts: Rule,
    /// A call explains its caller's change when its rise is at least this share of the caller's.
    pub explain_share: f64,
    /// A service's server side counts as unchanged behind a slow call when its own rise is below
    /// this share of the call's (delay in the network or egress, not in the service).
    pub server_share: f64,
}

impl Default for Params {
    /// The runbooks' defaults; tests start from these.
    fn default() -> Self {
        Params {
            latency: Rule {
                rel_floor: 0.05,
                abs_floor: 0.002,
                z_min: 4.0,
                min_ratio: 1.2,
                min_delta: 0.005,
                min_requests: 20.0,
                counted: false,
            },
            errors: Rule {
                rel_floor: 0.1,
                abs_floor: 0.002,
                z_min: 4.0,
                min_ratio: 1.0,
                min_delta: 0.01,
                min_requests: 20.0,
                counted: true,
            },
            resources: Rule {
                rel_floor: 0.1,
                abs_floor: 0.02,
                z_min: 4.0,
                min_ratio: 1.3,
                min_delta: 0.05,
                min_requests: 0.0,
                counted: false,
            },
            restarts: Rule {
                rel_floor: 0.0,
                abs_floor: 0.5,
                z_min: 1.0,
                min_ratio: 1.0,
                min_delta: 1.0,
                min_requests: 0.0,
                counted: false,
            },
            explain_share: 0.5,
            server_share: 0.3,
        }
    }
}

/// Where, relative to the named service, the change is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "at")]
pub enum Locus {
    /// In the service: its own server side changed and nothing below explains it.
    Service,
    /// Every caller's calls to it changed, its server side did not: its egress or its network.
    Egress,
    /// Only this caller's calls to it changed: the link between them.
    Link { caller: String },
    /// All of this service's own outgoing calls changed: its egress.
    CallerEgress,
    /// No metric moved; its logs (or traces) did.
    Logs,
}

/// One hop of a propagation path, from the symptom down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    pub service: String,
    pub before: f64,
    pub after: f64,
    /// The values are medians (p50): see [`Change::median`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub median: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub service: String,
    pub axis: Axis,
    pub locus: Locus,
    pub score: f64,
    /// Its own change on the axis (server side, or the calls to it for egress and links).
    pub change: Option<Change>,
    /// `change` was measured on the calls to it (its callers' side), not its server side.
    pub from_calls: bool,
    /// The longest propagation path it explains, symptom first, the candidate last.
    pub path: Vec<Hop>,
    /// Services whose change it explains (the symptoms whose walk ends here), sorted.
    pub explains: Vec<String>,
    /// The share of its own change left unexplained by its downstream (0..1).
    pub unexplained: f64,
    /// The service below it whose logs changed though its metrics did not, to which half of
    /// its change is put down (see [`localize`]); `None` when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logs_below: Option<String>,
    /// Other evidence that agrees: `cpu`, `throttling`, `memory`, `restarts`, `logs`, `traces`.
    pub agreeing: Vec<&'static str>,
}

/// A service slow or failing as usual: never a suspect, said so that nobody chases it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chronic {
    pub service: String,
    pub axis: Axis,
    pub level: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Localization {
    /// Best first; total order (score, then the change's ratio, then name).
    pub candidates: Vec<Candidate>,
    pub chronic: Vec<Chronic>,
}

/// What each agreeing kind of evidence adds to a candidate's score, as a factor.
const AGREEMENT: f64 = 0.25;
/// What a candidate gains per unit of strength of the symptoms it explains.
const EXPLAINS: f64 = 0.5;
/// The share of a change put down to a log change below it (see [`localize`]): half, as
/// likely its cause as not. The findings say "half".
pub(super) const LOGS_BELOW_SHARE: f64 = 0.5;

/// A candidate's score: its own change, the share its downstream leaves unexplained, what it
/// explains upstream (capped, so a long chain does not outweigh a clear cause), and agreement.
pub fn score(own: f64, unexplained: f64, explained: f64, agreeing: usize) -> f64 {
    let explained = explained.min(2.0 * change::STRENGTH_CAP);
    (unexplained * (own + EXPLAINS * explained)) * (1.0 + AGREEMENT * agreeing as f64)
}

/// Rank root-cause candidates. `start`: the service where the symptom is (`--service`), else
/// every changed service is a symptom. `levels`: each axis' "bad" level (the runbook's fixed
/// thresholds), used only to name chronic services.
pub fn localize(
    services: &[ServiceView],
    edges: &[EdgeView],
    params: &Params,
    start: Option<&str>,
    levels: &[(Axis, f64)],
) -> Localization {
    let j = Judged::new(services, edges, params);
    type Root<'a> = (Vec<&'a str>, f64, Vec<&'a str>, Option<Locus>);
    let mut roots: BTreeMap<(Axis, &str), Root<'_>> = BTreeMap::new();
    for axis in [Axis::Latency, Axis::Errors] {
        let reachable = start.map(|s| reach(&j, s));
        for s in j.services.keys().copied().chain(j.callers.keys().copied()) {
            if reachable.as_ref().is_some_and(|r| !r.contains(s)) || j.own(s, axis).is_none() {
                continue;
            }
            // Only the calls to it rose, and only from callers whose own network is slow: a
            // symptom of that caller's egress, not a change of its own.
            if j.server(s, axis).is_none() {
                let moved: Vec<&str> = j
                    .callers
                    .get(s)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|c| j.edge(c, s, axis).is_some())
                    .collect();
                if !moved.is_empty() && moved.iter().all(|c| j.egress_of(c, axis)) {
                    for c in moved {
                        let entry = roots
                            .entry((axis, c))
                            .or_insert_with(|| (vec![c], 0.0, Vec::new(), None));
                        entry.2.push(s);
                    }
                    continue;
                }
            }
            let (path, share, hint) = walk(&j, s, axis);
            let root = *path.last().unwrap_or(&s);
            let entry = roots
                .entry((axis, root))
                .or_insert_with(|| (Vec::new(), share, Vec::new(), hint.clone()));
            if entry.3.is_none() {
                entry.3 = hint;
            }
            if path.len() > entry.0.len() {
                entry.0 = path.clone();
            }
            if s != root {
                entry.2.push(s);
            }
        }
    }
    let mut candidates = Vec::new();
    for ((axis, root), (path, share, mut explains, hint)) in roots {
        explains.sort();
        explains.dedup();
        let (mut locus, change) = locus(&j, root, axis);
        if let Some(h) = hint {
            locus = h;
        }
        let own = change.map(|c| c.strength).unwrap_or(0.0);
        let explained: f64 = explains
            .iter()
            .filter_map(|s| j.own(s, axis))
            .map(|c| c.strength)
            .sum();
        let agree = agreeing(&j, root);
        // A failure below that no metric shows (an exception caught and turned into a wrong
        // answer: its logs changed, its error ratio did not) can be why this service fails, and
        // the walk cannot follow it: the calls to it need not fail. As for a log-only candidate
        // with a log change below it, half of this change is put down to that. Errors only: a
        // different answer is not a slower one. Its own server side only: calls to it failing
        // while it does not (its egress, a link) are not what an answer from below does.
        let below = match (axis, &locus) {
            (Axis::Errors, Locus::Service) => log_change_below(&j, root, Some(axis)),
            _ => None,
        };
        let unexplained = (1.0 - share)
            * if below.is_some() {
                1.0 - LOGS_BELOW_SHARE
            } else {
                1.0
            };
        candidates.push(Candidate {
            service: root.to_string(),
            axis,
            locus,
            score: score(own, unexplained, explained, agree.len()),
            change,
            // Whichever its change was measured on: the calls to it when its server side did
            // not move, or moved less than the calls (an egress or a link).
            from_calls: change.is_some() && change != j.server(root, axis),
            path: path.iter().map(|s| hop(&j, s, axis)).collect(),
            explains: explains.iter().map(|s| s.to_string()).collect(),
            unexplained,
            logs_below: below.map(|(s, _)| s.to_string()),
            agreeing: agree,
        });
    }
    // Services where no metric moved but logs or traces did (a caught exception, a wrong answer).
    // Services a candidate already accounts for (its root, the path it explains) are not log
    // candidates of their own: their log changes are that candidate's consequences.
    let named: BTreeSet<String> = candidates
        .iter()
        .flat_map(|c| {
            std::iter::once(c.service.clone())
                .chain(c.path.iter().map(|h| h.service.clone()))
                .chain(c.explains.iter().cloned())
        })
        .collect();
    let reachable = start.map(|s| reach(&j, s));
    for (name, v) in &j.services {
        if named.contains(*name) || reachable.as_ref().is_some_and(|r| !r.contains(name)) {
            continue;
        }
        let strength = [v.logs.as_ref(), v.traces.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.strength)
            .fold(0.0f64, f64::max);
        if strength < 1.0 {
            continue;
        }
        let agree = agreeing(&j, name);
        // Logs that change below a service that changes too are more likely the cause than the
        // callers' logs about it (a wrong answer is logged where it is noticed, upstream): a
        // log-only candidate with a significant log change below it is halved.
        let below = log_change_below(&j, name, None);
        let unexplained = if below.is_some() {
            1.0 - LOGS_BELOW_SHARE
        } else {
            1.0
        };
        // The failures above it that half their change was put down to (see above), and what
        // they explain in turn: credited as a walk credits what a root explains, for the half.
        let mut explains = Vec::new();
        let mut explained = 0.0;
        // Its path: the longest of theirs, down to it.
        let mut path: Vec<Hop> = Vec::new();
        for c in candidates
            .iter()
            .filter(|c| c.logs_below.as_deref() == Some(*name))
        {
            if c.path.len() > path.len() {
                path = c.path.clone();
            }
            explains.push(c.service.clone());
            explains.extend(c.explains.iter().cloned());
            let theirs: f64 = c
                .explains
                .iter()
                .filter_map(|s| j.own(s, c.axis))
                .map(|ch| ch.strength)
                .sum();
            explained +=
                LOGS_BELOW_SHARE * (c.change.map(|ch| ch.strength).unwrap_or(0.0) + theirs);
        }
        explains.sort();
        explains.dedup();
        // No metric of its own moved: its hop shows none (a 0% → 0% would read as measured).
        path.push(Hop {
            service: name.to_string(),
            before: f64::NAN,
            after: f64::NAN,
            median: false,
        });
        candidates.push(Candidate {
            service: name.to_string(),
            axis: Axis::Errors,
            locus: Locus::Logs,
            score: score(
                strength,
                unexplained,
                explained,
                agree.len().saturating_sub(1),
            ),
            change: None,
            from_calls: false,
            path,
            explains,
            unexplained,
            logs_below: below.map(|(s, _)| s.to_string()),
            agreeing: agree,
        });
    }
    // Scores tie when strengths hit their cap (a clear change everywhere in a big incident):
    // then the larger change on its own scale (how many times its signal grew) ranks first,
    // rather than the name.
    let magnitude = |c: &Candidate| c.change.map(|ch| ch.ratio).unwrap_or(0.0);
    // Rounded, so that float noise in equal sums is a tie and the order stays total.
    let rounded = |c: &Candidate| (c.score * 1e6).round();
    candidates.sort_by(|a, b| {
        rounded(b)
            .total_cmp(&rounded(a))
            .then_with(|| magnitude(b).total_cmp(&magnitude(a)))
            .then_with(|| a.service.cmp(&b.service))
            .then_with(|| a.axis.cmp(&b.axis))
    });
    // One candidate per service: its best axis.
    let mut seen = BTreeSet::new();
    candidates.retain(|c| seen.insert(c.service.clone()));
    let chronic = chronic(&j, levels);
    Localization {
        candidates,
        chronic,
    }
}

fn chronic(j: &Judged<'_>, levels: &[(Axis, f64)]) -> Vec<Chronic> {
    let mut out = Vec::new();
    for (name, v) in &j.services {
        for (axis, level) in levels {
            let m = match axis {
                Axis::Latency => v.latency.as_ref(),
                Axis::Errors => v.errors.as_ref(),
            };
            if let Some(m) = m
                && m.center >= *level
                && m.now >= *level
                && j.server(name, *axis).is_none()
            {
                out.push(Chronic {
                    service: name.to_string(),
                    axis: *axis,
                    level: m.now,
                });
            }
        }
    }
    out
}
