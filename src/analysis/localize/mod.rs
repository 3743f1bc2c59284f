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
#[cfg(test)]
mod fleet;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use change::{Change, Measure, Rule, baseline, fall, rise};

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
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub service: String,
    pub axis: Axis,
    pub locus: Locus,
    pub score: f64,
    /// Its own change on the axis (server side, or the calls to it for egress and links).
    pub change: Option<Change>,
    /// The longest propagation path it explains, symptom first, the candidate last.
    pub path: Vec<Hop>,
    /// Services whose change it explains (the symptoms whose walk ends here), sorted.
    pub explains: Vec<String>,
    /// The share of its own change left unexplained by its downstream (0..1).
    pub unexplained: f64,
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
    /// Best first; total order (score, then name).
    pub candidates: Vec<Candidate>,
    pub chronic: Vec<Chronic>,
}

/// The graph with every change judged once.
struct Judged<'a> {
    params: &'a Params,
    services: BTreeMap<&'a str, &'a ServiceView>,
    /// (caller, callee) → edge.
    edges: BTreeMap<(&'a str, &'a str), &'a EdgeView>,
    callees: BTreeMap<&'a str, Vec<&'a str>>,
    callers: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Judged<'a> {
    fn new(services: &'a [ServiceView], edges: &'a [EdgeView], params: &'a Params) -> Self {
        let mut j = Judged {
            params,
            services: services.iter().map(|s| (s.name.as_str(), s)).collect(),
            edges: BTreeMap::new(),
            callees: BTreeMap::new(),
            callers: BTreeMap::new(),
        };
        for e in edges.iter().filter(|e| e.caller != e.callee) {
            j.edges.insert((e.caller.as_str(), e.callee.as_str()), e);
            j.callees.entry(&e.caller).or_default().push(&e.callee);
            j.callers.entry(&e.callee).or_default().push(&e.caller);
        }
        for v in j.callees.values_mut().chain(j.callers.values_mut()) {
            v.sort();
            v.dedup();
        }
        j
    }

    fn rule(&self, axis: Axis) -> &Rule {
        match axis {
            Axis::Latency => &self.params.latency,
            Axis::Errors => &self.params.errors,
        }
    }

    fn server(&self, s: &str, axis: Axis) -> Option<Change> {
        let v = self.services.get(s)?;
        let m = match axis {
            Axis::Latency => v.latency.as_ref(),
            Axis::Errors => v.errors.as_ref(),
        }?;
        rise(m, self.rule(axis))
    }

    fn edge(&self, caller: &str, callee: &str, axis: Axis) -> Option<Change> {
        let e = self.edges.get(&(caller, callee))?;
        let m = match axis {
            Axis::Latency => e.latency.as_ref(),
            Axis::Errors => e.errors.as_ref(),
        }?;
        rise(m, self.rule(axis))
    }

    /// How much of a caller's rise one call's rise carries, in the caller's unit. Errors are
    /// weighted by calls per request: one failing call in ten requests is a tenth of the ratio.
    fn carried(&self, caller: &str, callee: &str, axis: Axis, c: &Change) -> f64 {
        let delta = c.after - c.before;
        if axis == Axis::Latency {
            return delta;
        }
        let per_request = self
            .edges
            .get(&(caller, callee))
            .and_then(|e| e.rate.as_ref())
            .zip(
                self.services
                    .get(caller)
                    .and_then(|v| v.throughput.as_ref()),
            )
            .filter(|(_, t)| t.now > 0.0)
            .map(|(r, t)| (r.now / t.now).min(1.0));
        delta * per_request.unwrap_or(1.0)
    }

    /// The rise that stands for a service on an axis: its server side, else the calls to it.
    fn own(&self, s: &str, axis: Axis) -> Option<Change> {
        self.server(s, axis)
            .or_else(|| self.strongest_into(s, axis))
    }

    fn strongest_into(&self, s: &str, axis: Axis) -> Option<Change> {
        self.callers
            .get(s)?
            .iter()
            .filter_map(|c| self.edge(c, s, axis))
            .max_by(|a, b| a.strength.total_cmp(&b.strength).then(a.z.total_cmp(&b.z)))
    }

    /// The call that explains `s`'s rise, if one does: the strongest among those carrying at
    /// least `explain_share` of it.
    fn explaining_call(&self, s: &str, axis: Axis) -> Option<(&'a str, f64)> {
        let own = self.own(s, axis)?;
        let own_delta = (own.after - own.before).max(f64::MIN_POSITIVE);
        let callees = self.callees.get(s)?;
        callees
            .iter()
            .filter_map(|c| {
                let ch = self.edge(s, c, axis).or_else(|| {
                    self.server(c, axis)
                        .filter(|_| !self.has_edge_measure(s, c, axis))
                })?;
                let carried = self.carried(s, c, axis, &ch);
                (carried >= self.params.explain_share * own_delta).then_some((
                    *c,
                    carried / own_delta,
                    ch.strength,
                ))
            })
            .max_by(|a, b| {
                a.2.total_cmp(&b.2)
                    .then(a.1.total_cmp(&b.1))
                    .then(b.0.cmp(a.0))
            })
            .map(|(c, share, _)| (c, share.min(1.0)))
    }

    /// The calls from `caller` to `callee` rose while the callee's server side rose by less than
    /// `server_share` of that: the change is between them (network, egress, the link).
    fn in_between(&self, caller: &str, callee: &str, axis: Axis) -> bool {
        let Some(e) = self.edge(caller, callee, axis) else {
            return false;
        };
        let edge_rise = e.after - e.before;
        let server_rise = self
            .server(callee, axis)
            .map(|c| c.after - c.before)
            .unwrap_or(0.0);
        server_rise < self.params.server_share * edge_rise
    }

    /// `s`'s own network: every one of its (two or more) calls rose in between, or the calls to
    /// it rose beyond its server side as well as one of its own calls did.
    fn egress_of(&self, s: &str, axis: Axis) -> bool {
        let callees = self.callees.get(s).map(Vec::as_slice).unwrap_or(&[]);
        let out: Vec<bool> = callees
            .iter()
            .filter(|c| self.has_edge_measure(s, c, axis))
            .map(|c| self.in_between(s, c, axis))
            .collect();
        if out.len() >= 2 && out.iter().all(|b| *b) {
            return true;
        }
        let into_rose_beyond = self.callers.get(s).is_some_and(|callers| {
            callers.iter().any(|c| {
                self.edge(c, s, axis).is_some_and(|e| {
                    let server = self
                        .server(s, axis)
                        .map(|x| x.after - x.before)
                        .unwrap_or(0.0);
                    (e.after - e.before) - server > 0.5 * (e.after - e.before)
                })
            })
        });
        into_rose_beyond && out.iter().any(|b| *b)
    }

    fn has_edge_measure(&self, caller: &str, callee: &str, axis: Axis) -> bool {
        self.edges
            .get(&(caller, callee))
            .is_some_and(|e| match axis {
                Axis::Latency => e.latency.is_some(),
                Axis::Errors => e.errors.is_some(),
            })
    }
}

/// From a changed service down to the deepest change its downstream does not explain. Returns
/// the path (start first), the share of the last service's change its own callees explain, and
/// where the change sits when the walk already knows (a delay between services).
fn walk<'a>(j: &Judged<'a>, start: &'a str, axis: Axis) -> (Vec<&'a str>, f64, Option<Locus>) {
    let mut path = vec![start];
    let mut seen: BTreeSet<&str> = BTreeSet::from([start]);
    loop {
        let cur = *path.last().unwrap_or(&start);
        match j.explaining_call(cur, axis) {
            Some((next, share)) if j.in_between(cur, next, axis) => {
                // The call rose and the callee did not: the delay is on the way. Whose way:
                // the caller's when its other calls (or the calls to it) show the same.
                if j.egress_of(cur, axis) {
                    // Its own network, not its callees: nothing below explains it.
                    let _ = share;
                    return (path, 0.0, Some(Locus::CallerEgress));
                }
                if seen.insert(next) {
                    path.push(next);
                }
                return (path, 0.0, None);
            }
            Some((next, _)) if seen.insert(next) => path.push(next),
            Some((_, share)) => return (path, share, None),
            None => {
                // What the callees do explain, below the bar: the root's own share is the rest.
                let share = j
                    .callees
                    .get(cur)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| {
                        let ch = j.edge(cur, c, axis)?;
                        let own = j.own(cur, axis)?;
                        Some(
                            j.carried(cur, c, axis, &ch)
                                / (own.after - own.before).max(f64::MIN_POSITIVE),
                        )
                    })
                    .fold(0.0f64, f64::max);
                return (path, share.clamp(0.0, 1.0), None);
            }
        }
    }
}

/// Where the change of `root`, reached from `from`, sits (see [`Locus`]).
fn locus(j: &Judged<'_>, root: &str, axis: Axis) -> (Locus, Option<Change>) {
    let into = j.strongest_into(root, axis);
    let server = j.server(root, axis);
    let server_small = match (&server, &into) {
        (None, Some(_)) => true,
        (Some(s), Some(i)) => (s.after - s.before) < j.params.server_share * (i.after - i.before),
        _ => false,
    };
    if !server_small {
        // Its own calls all moved while its server side did too: its egress (e.g. a network
        // delay on its interface), which slows what it calls and so what it serves.
        let callees = j.callees.get(root).map(Vec::as_slice).unwrap_or(&[]);
        if callees.len() >= 2
            && callees
                .iter()
                .all(|c| j.edge(root, c, axis).is_some() && j.server(c, axis).is_none())
        {
            return (Locus::CallerEgress, server.or(into));
        }
        return (Locus::Service, server.or(into));
    }
    let callers = j.callers.get(root).map(Vec::as_slice).unwrap_or(&[]);
    let moved: Vec<&str> = callers
        .iter()
        .copied()
        .filter(|c| j.edge(c, root, axis).is_some())
        .collect();
    if moved.len() == 1 && callers.len() >= 2 {
        return (
            Locus::Link {
                caller: moved[0].to_string(),
            },
            into,
        );
    }
    (Locus::Egress, into)
}

/// Every other kind of evidence on `s` that moved.
fn agreeing(j: &Judged<'_>, s: &str) -> Vec<&'static str> {
    let Some(v) = j.services.get(s) else {
        return Vec::new();
    };
    let p = j.params;
    let mut out = Vec::new();
    let checks: [(&'static str, Option<&Measure>, &Rule); 4] = [
        ("cpu", v.cpu.as_ref(), &p.resources),
        ("throttling", v.throttling.as_ref(), &p.resources),
        ("memory", v.memory.as_ref(), &p.resources),
        ("restarts", v.restarts.as_ref(), &p.restarts),
    ];
    for (name, m, rule) in checks {
        if m.and_then(|m| rise(m, rule)).is_some() {
            out.push(name);
        }
    }
    if v.logs.as_ref().is_some_and(|l| l.strength >= 1.0) {
        out.push("logs");
    }
    if v.traces.as_ref().is_some_and(|t| t.strength >= 1.0) {
        out.push("traces");
    }
    out
}

/// What each agreeing kind of evidence adds to a candidate's score, as a factor.
const AGREEMENT: f64 = 0.25;
/// What a candidate gains per unit of strength of the symptoms it explains.
const EXPLAINS: f64 = 0.5;

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
        let unexplained = 1.0 - share;
        candidates.push(Candidate {
            service: root.to_string(),
            axis,
            locus,
            score: score(own, unexplained, explained, agree.len()),
            change,
            path: path.iter().map(|s| hop(&j, s, axis)).collect(),
            explains: explains.iter().map(|s| s.to_string()).collect(),
            unexplained,
            agreeing: agree,
        });
    }
    // Services where no metric moved but logs or traces did (a caught exception, a wrong answer).
    let named: BTreeSet<String> = candidates.iter().map(|c| c.service.clone()).collect();
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
        let below = downstream_log_strength(&j, name);
        let unexplained = if below >= 1.0 { 0.5 } else { 1.0 };
        candidates.push(Candidate {
            service: name.to_string(),
            axis: Axis::Errors,
            locus: Locus::Logs,
            score: score(strength, unexplained, 0.0, agree.len().saturating_sub(1)),
            change: None,
            path: vec![Hop {
                service: name.to_string(),
                before: 0.0,
                after: 0.0,
            }],
            explains: Vec::new(),
            unexplained,
            agreeing: agree,
        });
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
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

fn downstream_log_strength(j: &Judged<'_>, s: &str) -> f64 {
    let mut best = 0.0f64;
    let mut stack: Vec<&str> = j.callees.get(s).cloned().unwrap_or_default();
    let mut seen = BTreeSet::new();
    while let Some(c) = stack.pop() {
        if !seen.insert(c) {
            continue;
        }
        if let Some(l) = j.services.get(c).and_then(|v| v.logs.as_ref()) {
            best = best.max(l.strength);
        }
        stack.extend(j.callees.get(c).into_iter().flatten().copied());
    }
    best
}

/// `s` and everything it calls, transitively.
fn reach<'a>(j: &Judged<'a>, s: &'a str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![s];
    while let Some(x) = stack.pop() {
        if seen.insert(x) {
            stack.extend(j.callees.get(x).into_iter().flatten().copied());
        }
    }
    seen
}

fn hop(j: &Judged<'_>, s: &str, axis: Axis) -> Hop {
    let c = j.own(s, axis);
    Hop {
        service: s.to_string(),
        before: c.map(|c| c.before).unwrap_or(f64::NAN),
        after: c.map(|c| c.after).unwrap_or(f64::NAN),
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
