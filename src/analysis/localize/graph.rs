//! The call graph with every change judged once ([`Judged`]), and the walk down it: from a
//! changed service along the calls whose rise explains the caller's ([`walk`]), where a delay
//! between two services sits ([`locus`]), and what else agrees on a service ([`agreeing`]).
//! Pure; the rules are argued in `mod.rs`. Tests: `tests.rs` and `fleet.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Axis, Change, EdgeView, Hop, Locus, Measure, Params, Rule, ServiceView, rise};

/// The graph with every change judged once.
pub(super) struct Judged<'a> {
    pub(super) params: &'a Params,
    pub(super) services: BTreeMap<&'a str, &'a ServiceView>,
    /// (caller, callee) → edge.
    edges: BTreeMap<(&'a str, &'a str), &'a EdgeView>,
    pub(super) callees: BTreeMap<&'a str, Vec<&'a str>>,
    pub(super) callers: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Judged<'a> {
    pub(super) fn new(
        services: &'a [ServiceView],
        edges: &'a [EdgeView],
        params: &'a Params,
    ) -> Self {
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

    pub(super) fn server(&self, s: &str, axis: Axis) -> Option<Change> {
        let v = self.services.get(s)?;
        match axis {
            Axis::Latency => self.latency_rise(s, v.latency.as_ref(), v.latency_p50.as_ref()),
            Axis::Errors => rise(v.errors.as_ref()?, self.rule(axis)),
        }
    }

    pub(super) fn edge(&self, caller: &str, callee: &str, axis: Axis) -> Option<Change> {
        let e = self.edges.get(&(caller, callee))?;
        match axis {
            Axis::Latency => self.latency_rise(callee, e.latency.as_ref(), e.latency_p50.as_ref()),
            Axis::Errors => rise(e.errors.as_ref()?, self.rule(axis)),
        }
    }

    /// A latency change of `s` (its server side, or a call to it): of the runbook's quantile
    /// (p95) when it rose; else of the median, when no p95 of `s` moved at all (neither its
    /// server side nor any call to it). A service with a chronically slow tail (a few requests
    /// of seconds, always) keeps its p95 while every other request gets slower: only the median
    /// shows that. Where a p95 of `s` moved, `s` is judged on p95 alone, so that its server side
    /// and the calls to it, which the walk compares, are on the same quantile.
    fn latency_rise(
        &self,
        s: &str,
        p95: Option<&Measure>,
        p50: Option<&Measure>,
    ) -> Option<Change> {
        let rule = &self.params.latency;
        p95.and_then(|m| rise(m, rule)).or_else(|| {
            if self.tail_moved(s) {
                return None;
            }
            p50.and_then(|m| rise(m, rule))
                .map(|c| Change { median: true, ..c })
        })
    }

    /// How much `s`'s server side rose, to compare with `call`, a change of a call to it (or from
    /// it): the judged rise; for a change of the median, at least the median's measured rise,
    /// judged or not. Medians are noisy: the same delay, carried by the server side and by the
    /// call, can pass the bar on one and miss it on the other, and counting the miss as no rise
    /// at all would put a delay "between" them that is not there.
    fn server_rise_for(&self, s: &str, axis: Axis, call: &Change) -> f64 {
        let judged = self
            .server(s, axis)
            .map(|c| c.after - c.before)
            .unwrap_or(0.0);
        let measured = match (axis, call.median) {
            (Axis::Latency, true) => self
                .services
                .get(s)
                .and_then(|v| v.latency_p50.as_ref())
                .map(|m| m.delta())
                .filter(|d| d.is_finite())
                .unwrap_or(0.0),
            _ => 0.0,
        };
        judged.max(measured)
    }

    /// Whether a p95 of `s` rose: its server side's, or that of a call to it.
    fn tail_moved(&self, s: &str) -> bool {
        let rule = &self.params.latency;
        let rose = |m: Option<&Measure>| m.and_then(|m| rise(m, rule)).is_some();
        rose(self.services.get(s).and_then(|v| v.latency.as_ref()))
            || self.callers.get(s).is_some_and(|callers| {
                callers
                    .iter()
                    .any(|c| rose(self.edges.get(&(*c, s)).and_then(|e| e.latency.as_ref())))
            })
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
    pub(super) fn own(&self, s: &str, axis: Axis) -> Option<Change> {
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
        self.server_rise_for(callee, axis, &e) < self.params.server_share * edge_rise
    }

    /// `s`'s own network: every one of its (two or more) calls rose in between, or the calls to
    /// it rose beyond its server side as well as one of its own calls did.
    pub(super) fn egress_of(&self, s: &str, axis: Axis) -> bool {
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
                    let server = self.server_rise_for(s, axis, &e);
                    (e.after - e.before) - server > 0.5 * (e.after - e.before)
                })
            })
        });
        into_rose_beyond && out.iter().any(|b| *b)
    }

    /// `s`'s CPU (use over its limit, or throttling) rose: a starved process is slow in
    /// everything it does, its client spans included, so calls that look slow "in between" are
    /// its own slowness, not its callees' or the network's.
    pub(super) fn starved(&self, s: &str) -> bool {
        self.services.get(s).is_some_and(|v| {
            [v.cpu.as_ref(), v.throttling.as_ref()]
                .into_iter()
                .flatten()
                .any(|m| rise(m, &self.params.resources).is_some())
        })
    }

    fn has_edge_measure(&self, caller: &str, callee: &str, axis: Axis) -> bool {
        self.edges
            .get(&(caller, callee))
            .is_some_and(|e| match axis {
                Axis::Latency => e.latency.is_some() || e.latency_p50.is_some(),
                Axis::Errors => e.errors.is_some(),
            })
    }
}

/// From a changed service down to the deepest change its downstream does not explain. Returns
/// the path (start first), the share of the last service's change its own callees explain, and
/// where the change sits when the walk already knows (a delay between services).
pub(super) fn walk<'a>(
    j: &Judged<'a>,
    start: &'a str,
    axis: Axis,
) -> (Vec<&'a str>, f64, Option<Locus>) {
    let mut path = vec![start];
    let mut seen: BTreeSet<&str> = BTreeSet::from([start]);
    loop {
        let cur = *path.last().unwrap_or(&start);
        match j.explaining_call(cur, axis) {
            Some((next, share)) if j.in_between(cur, next, axis) => {
                // The call rose and the callee did not: the delay is on the way. Whose way:
                // the caller's when its CPU rose (a starved caller's client spans are slow),
                if axis == Axis::Latency && j.starved(cur) {
                    return (path, 0.0, None);
                }
                // or when its other calls (or the calls to it) show the same.
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
pub(super) fn locus(j: &Judged<'_>, root: &str, axis: Axis) -> (Locus, Option<Change>) {
    let into = j.strongest_into(root, axis);
    let server = j.server(root, axis);
    // A server side that was measured and did not move is evidence; one never measured (a
    // database, an uninstrumented service) is not: the calls to it speak for it.
    let measured = j.services.get(root).is_some_and(|v| match axis {
        Axis::Latency => v.latency.is_some() || v.latency_p50.is_some(),
        Axis::Errors => v.errors.is_some(),
    });
    let server_small = match (&server, &into) {
        (None, Some(i)) => {
            measured
                && j.server_rise_for(root, axis, i) < j.params.server_share * (i.after - i.before)
        }
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
pub(super) fn agreeing(j: &Judged<'_>, s: &str) -> Vec<&'static str> {
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

/// The strongest significant log change (strength ≥ 1) below `s`, in everything it calls
/// transitively, and whose it is. With `unmoved`, only services whose own signal on that axis did
/// not move: a change the metrics do not show. Ties go to the name that sorts first (`reach`
/// is sorted).
pub(super) fn log_change_below<'a>(
    j: &Judged<'a>,
    s: &'a str,
    unmoved: Option<Axis>,
) -> Option<(&'a str, f64)> {
    let mut best: Option<(&'a str, f64)> = None;
    for c in reach(j, s) {
        if c == s || unmoved.is_some_and(|axis| j.own(c, axis).is_some()) {
            continue;
        }
        let Some(l) = j.services.get(c).and_then(|v| v.logs.as_ref()) else {
            continue;
        };
        if l.strength >= 1.0 && best.is_none_or(|(_, x)| l.strength > x) {
            best = Some((c, l.strength));
        }
    }
    best
}

/// `s` and everything it calls, transitively.
pub(super) fn reach<'a>(j: &Judged<'a>, s: &'a str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![s];
    while let Some(x) = stack.pop() {
        if seen.insert(x) {
            stack.extend(j.callees.get(x).into_iter().flatten().copied());
        }
    }
    seen
}

pub(super) fn hop(j: &Judged<'_>, s: &str, axis: Axis) -> Hop {
    let c = j.own(s, axis);
    Hop {
        service: s.to_string(),
        before: c.map(|c| c.before).unwrap_or(f64::NAN),
        after: c.map(|c| c.after).unwrap_or(f64::NAN),
        median: c.is_some_and(|c| c.median),
    }
}
