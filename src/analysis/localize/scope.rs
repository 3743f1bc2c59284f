//! Which services' logs to read, within a budget: the graph's candidates first (best first),
//! then everything the symptoms call, nearest first (a caught exception or a changed return
//! value shows only in the logs of a service below the symptom, often one whose metrics never
//! moved), then, while the budget lasts, the rest of the graph from its entry points down. The
//! last part is for the fault no metric shows: its caller's symptom may be hidden under a
//! chronic one's (on the Nezha data a changed return value in a login path, while triage's
//! worst service is an always-failing booking path), so the symptom's own subtree can miss it.
//! The cost stays bounded by the budget, not the fleet. Pure; tests below.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{EdgeView, Localization};

/// The call graph as far as it is known. The call-graph step reads the calls of the services
/// that may have changed; the rest of the graph it reads only as far as the log scope walks
/// (issue 15, item 7: what is downloaded grows with the changed services, not the fleet).
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub edges: &'a [EdgeView],
    /// The services whose calls out are all in `edges`; `None`: every service's (the whole
    /// graph is known).
    pub expanded: Option<&'a BTreeSet<String>>,
    /// The services nobody calls; `None`: read off `edges` (right only when the whole graph is).
    pub entries: Option<&'a [String]>,
    /// Services known beyond `edges`: read last, by name.
    pub names: &'a [String],
    /// Each service's throughput now, where known: with more than twice `cap` entry points,
    /// the walk starts from the busiest of them (the call-graph step reads no more than those).
    pub busy: Option<&'a BTreeMap<String, f64>>,
}

/// What [`scope`] needed of a graph known in part and did not have: the calls out of these
/// services (it walked through them), and the entry points. The call-graph step reads those
/// and asks again, until nothing is missing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Unread {
    pub callees_of: BTreeSet<String>,
    pub entries: bool,
}

impl Unread {
    pub fn is_empty(&self) -> bool {
        self.callees_of.is_empty() && !self.entries
    }
}

/// Up to `cap` services: `loc`'s candidates, then breadth-first below `start` (with
/// `--service`) or below each candidate's symptom (the first hop of its path), in rank order;
/// then, without `--service` (which bounds the search to what S calls), the rest: breadth-first
/// from the graph's entry points (services nobody calls), then any of `known` not reached.
pub fn log_scope(
    loc: &Localization,
    edges: &[EdgeView],
    known: &[String],
    start: Option<&str>,
    fleet: bool,
    cap: usize,
) -> Vec<String> {
    let whole = Known {
        edges,
        expanded: None,
        entries: None,
        names: known,
        busy: None,
    };
    scope(loc, whole, start, fleet, cap).0
}

/// [`log_scope`] over a graph known in part: the services, and what it walked through without
/// knowing it. The walk stops as soon as `cap` services are in, so it needs (and reads) no more
/// of the graph than that.
pub fn scope(
    loc: &Localization,
    k: Known<'_>,
    start: Option<&str>,
    fleet: bool,
    cap: usize,
) -> (Vec<String>, Unread) {
    let mut walk = Walk {
        k,
        cap,
        out: Vec::new(),
        seen: BTreeSet::new(),
        visited: BTreeSet::new(),
        unread: Unread::default(),
    };
    if let Some(s) = start {
        walk.push(s);
    }
    for c in &loc.candidates {
        walk.push(&c.service);
    }
    let mut roots: Vec<&str> = start.into_iter().collect();
    roots.extend(
        loc.candidates
            .iter()
            .filter_map(|c| c.path.first().map(|h| h.service.as_str())),
    );
    walk.breadth_first(roots);
    if fleet && !walk.full() {
        let mut entries: Vec<&str> = match (k.entries, k.expanded) {
            (Some(e), _) => e.iter().map(String::as_str).collect(),
            (None, None) => {
                let called: BTreeSet<&str> = k
                    .edges
                    .iter()
                    .filter(|e| e.caller != e.callee)
                    .map(|e| e.callee.as_str())
                    .collect();
                k.edges
                    .iter()
                    .map(|e| e.caller.as_str())
                    .filter(|c| !called.contains(c))
                    .collect()
            }
            // Part of the graph: its callers-not-called are not the fleet's entry points.
            (None, Some(_)) => {
                walk.unread.entries = true;
                Vec::new()
            }
        };
        entries.sort();
        entries.dedup();
        walk.breadth_first(busiest(entries, k.busy, cap));
        let rest: BTreeSet<&String> = k.names.iter().collect();
        for s in rest {
            walk.push(s);
        }
    }
    (walk.out, walk.unread)
}

/// How many entry points the walk may need: the scope fills before the first `entries_max(cap)`
/// of them are walked through (fewer than `cap` of them can already be in it), so the
/// call-graph step reads no more than that many.
pub fn entries_max(cap: usize) -> usize {
    2 * cap
}

/// `entries` (by name) as the walk takes them: all of them, or, when there are more than it can
/// need and their throughput is known, the busiest `entries_max(cap)` (ties by name), by name.
/// Which of many entry points comes first is a choice; the busiest carry the most traffic, and
/// Prometheus can pick them (`topk`) where it cannot sort by name. (At a tie on the cut-off
/// Prometheus' `topk` picks its own way, here the first by name: the two can differ there.)
fn busiest<'a>(
    entries: Vec<&'a str>,
    busy: Option<&BTreeMap<String, f64>>,
    cap: usize,
) -> Vec<&'a str> {
    let max = entries_max(cap);
    let Some(busy) = busy.filter(|_| entries.len() > max) else {
        return entries;
    };
    let rate = |s: &str| {
        busy.get(s)
            .copied()
            .filter(|x| x.is_finite())
            .unwrap_or(0.0)
    };
    let mut by_rate = entries;
    by_rate.sort_by(|a, b| rate(b).total_cmp(&rate(a)).then_with(|| a.cmp(b)));
    by_rate.truncate(max);
    by_rate.sort();
    by_rate
}

struct Walk<'a> {
    k: Known<'a>,
    cap: usize,
    out: Vec<String>,
    seen: BTreeSet<String>,
    visited: BTreeSet<String>,
    unread: Unread,
}

impl Walk<'_> {
    fn full(&self) -> bool {
        self.out.len() >= self.cap
    }

    fn push(&mut self, s: &str) {
        if !self.full() && !s.is_empty() && self.seen.insert(s.to_string()) {
            self.out.push(s.to_string());
        }
    }

    /// The services reached from `roots`, nearest first (callees by name), until the scope is
    /// full; a service walked through whose calls out are not known is noted in `unread`.
    fn breadth_first(&mut self, roots: Vec<&str>) {
        let mut queue: VecDeque<String> = roots.into_iter().map(str::to_string).collect();
        while let Some(s) = queue.pop_front() {
            if self.full() {
                return;
            }
            if !self.visited.insert(s.clone()) {
                continue;
            }
            self.push(&s);
            if self.full() {
                return;
            }
            if self.k.expanded.is_some_and(|x| !x.contains(&s)) {
                self.unread.callees_of.insert(s.clone());
            }
            let callees: BTreeSet<&str> = self
                .k
                .edges
                .iter()
                .filter(|e| e.caller == s && e.callee != s)
                .map(|e| e.callee.as_str())
                .collect();
            queue.extend(callees.into_iter().map(str::to_string));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::localize::{Axis, Candidate, Hop, Locus};

    fn edge(a: &str, b: &str) -> EdgeView {
        EdgeView {
            caller: a.into(),
            callee: b.into(),
            latency: None,
            latency_p50: None,
            errors: None,
            rate: None,
        }
    }

    fn cand(service: &str, symptom: &str) -> Candidate {
        Candidate {
            service: service.into(),
            axis: Axis::Errors,
            locus: Locus::Service,
            score: 1.0,
            change: None,
            from_calls: false,
            path: [symptom, service]
                .iter()
                .map(|s| Hop {
                    service: s.to_string(),
                    before: 0.0,
                    after: 0.0,
                    median: false,
                })
                .collect(),
            explains: vec![],
            unexplained: 1.0,
            logs_below: None,
            agreeing: vec![],
        }
    }

    #[test]
    fn candidates_first_then_what_the_symptom_calls_nearest_first_within_the_cap() {
        let edges = vec![
            edge("web", "api"),
            edge("api", "db"),
            edge("api", "auth"),
            edge("auth", "ldap"),
            edge("other", "elsewhere"),
        ];
        let loc = Localization {
            candidates: vec![cand("api", "web")],
            chronic: vec![],
        };
        let known: Vec<String> = ["lonely", "api", "web"].map(String::from).to_vec();
        assert_eq!(
            log_scope(&loc, &edges, &known, None, false, 10),
            ["api", "web", "auth", "db", "ldap"]
        );
        assert_eq!(
            log_scope(&loc, &edges, &known, None, false, 3),
            ["api", "web", "auth"]
        );
        // With --service, the walk starts there.
        assert_eq!(
            log_scope(
                &Localization::default(),
                &edges,
                &known,
                Some("auth"),
                false,
                10
            ),
            ["auth", "ldap"]
        );
        // Nothing changed and no service named: nothing to read.
        assert!(log_scope(&Localization::default(), &edges, &known, None, false, 10).is_empty());
    }

    #[test]
    fn the_rest_of_the_fleet_follows_from_the_entry_points_while_the_budget_lasts() {
        let edges = vec![
            edge("web", "api"),
            edge("api", "db"),
            edge("gateway", "login"),
            edge("login", "codes"),
        ];
        let loc = Localization {
            candidates: vec![cand("api", "web")],
            chronic: vec![],
        };
        let known: Vec<String> = ["lonely", "api"].map(String::from).to_vec();
        assert_eq!(
            log_scope(&loc, &edges, &known, None, true, 10),
            ["api", "web", "db", "gateway", "login", "codes", "lonely"]
        );
        assert_eq!(
            log_scope(&loc, &edges, &known, None, true, 4),
            ["api", "web", "db", "gateway"]
        );
        // Nothing changed: from the entry points, the whole graph.
        assert_eq!(
            log_scope(&Localization::default(), &edges, &[], None, true, 10),
            ["gateway", "web", "login", "api", "codes", "db"]
        );
    }

    /// Five entry points, each calling its own worker; a budget of two: twice the budget are
    /// the busiest four, of which the walk takes the first two by name. The idle `a-cron`,
    /// first by name, is not read; without throughputs it would be.
    #[test]
    fn with_many_entry_points_the_walk_starts_from_the_busiest() {
        let edges: Vec<EdgeView> = ["a-cron", "b-web", "c-api", "d-admin", "e-shop"]
            .iter()
            .map(|e| edge(e, &format!("{e}-worker")))
            .collect();
        let names: Vec<String> = vec![];
        let busy: BTreeMap<String, f64> = [
            ("a-cron", 0.01),
            ("b-web", 40.0),
            ("c-api", 30.0),
            ("d-admin", 1.0),
            ("e-shop", 20.0),
        ]
        .map(|(s, r)| (s.to_string(), r))
        .into();
        let loc = Localization::default();
        let k = Known {
            edges: &edges,
            expanded: None,
            entries: None,
            names: &names,
            busy: Some(&busy),
        };
        assert_eq!(scope(&loc, k, None, true, 2).0, ["b-web", "c-api"]);
        assert_eq!(
            log_scope(&loc, &edges, &names, None, true, 2),
            ["a-cron", "b-web"]
        );
        // Up to twice the budget, by name as before.
        assert_eq!(
            scope(&loc, k, None, true, 3).0,
            ["a-cron", "b-web", "c-api"]
        );
    }

    /// Read in part, as the call-graph step reads it: start from the calls of the candidates,
    /// read what the scope says it walked through without knowing, and the entry points when it
    /// asks; the scope ends up the same as over the whole graph, for every cap, reading the calls
    /// of at most about twice the cap of services.
    #[test]
    fn read_in_part_the_scope_is_the_same_as_over_the_whole_graph() {
        let mut rng = fastrand::Rng::with_seed(15);
        for round in 0..200 {
            let n = rng.usize(3..40);
            let name = |i: usize| format!("s{i:02}");
            let mut edges = Vec::new();
            // Some graphs have many entry points (services nobody calls), each calling one
            // later service, so that the walk may need only the busiest of them.
            let roots = if rng.bool() { 1 } else { rng.usize(1..=n / 2) };
            for b in roots.max(1)..n {
                let a = rng.usize(0..b);
                edges.push(edge(&name(a), &name(b)));
            }
            for r in 0..roots {
                edges.push(edge(&name(r), &name(rng.usize(roots.max(1)..n))));
            }
            for b in 1..n {
                if rng.f64() < 0.3 {
                    let c = rng.usize(roots.max(1)..n);
                    if c != b {
                        edges.push(edge(&name(b.min(c)), &name(b.max(c))));
                    }
                }
            }
            let cands: Vec<Candidate> = (0..rng.usize(0..3))
                .map(|_| {
                    let x = rng.usize(0..n);
                    cand(&name(x), &name(rng.usize(0..=x)))
                })
                .collect();
            let loc = Localization {
                candidates: cands,
                chronic: vec![],
            };
            let start = (rng.f64() < 0.3).then(|| name(rng.usize(0..n)));
            let fleet = start.is_none();
            let names: Vec<String> = (0..n).map(name).collect();
            // Small caps too, so that more than twice the cap are entry points.
            let cap = if rng.bool() {
                rng.usize(1..30)
            } else {
                rng.usize(1..6)
            };
            // Each service's throughput, distinct, so that the busiest are one set.
            let busy: BTreeMap<String, f64> = names
                .iter()
                .map(|s| (s.clone(), rng.f64() + 1e-9 * s.len() as f64))
                .collect();
            let everything = Known {
                edges: &edges,
                expanded: None,
                entries: None,
                names: &names,
                busy: Some(&busy),
            };
            let whole = scope(&loc, everything, start.as_deref(), fleet, cap).0;
            // What the step knows at first: the calls from or to the candidates.
            let mut expanded: BTreeSet<String> =
                loc.candidates.iter().map(|c| c.service.clone()).collect();
            let mut entries: Option<Vec<String>> = None;
            let mut reads = 0;
            let got = loop {
                let known: Vec<EdgeView> = edges
                    .iter()
                    .filter(|e| expanded.contains(&e.caller) || expanded.contains(&e.callee))
                    .cloned()
                    .collect();
                let k = Known {
                    edges: &known,
                    expanded: Some(&expanded),
                    entries: entries.as_deref(),
                    names: &names,
                    busy: Some(&busy),
                };
                let (out, unread) = scope(&loc, k, start.as_deref(), fleet, cap);
                if unread.is_empty() {
                    break out;
                }
                reads += 1;
                assert!(reads < 100, "round {round}: no end");
                if unread.entries {
                    // As Prometheus answers: the busiest `entries_max(cap)` (`topk`).
                    let called: BTreeSet<&String> = edges.iter().map(|e| &e.callee).collect();
                    let mut e: Vec<String> = names
                        .iter()
                        .filter(|s| !called.contains(s))
                        .cloned()
                        .collect();
                    e.sort_by(|a, b| busy[b].total_cmp(&busy[a]));
                    e.truncate(entries_max(cap));
                    entries = Some(e);
                }
                expanded.extend(unread.callees_of);
            };
            assert_eq!(got, whole, "round {round}: cap {cap}, start {start:?}");
            // Bounded by the cap, not the graph: what the final scope walked through, and what
            // an earlier, partial walk did before the graph below its roots was known (the
            // entry points' first services, at most another cap).
            assert!(
                expanded.len() <= 2 * cap + loc.candidates.len() + 1,
                "round {round}: read {} for a cap of {cap}",
                expanded.len()
            );
        }
    }
}
