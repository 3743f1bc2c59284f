//! Which services' logs to read, within a budget: the graph's candidates first (best first),
//! then everything the symptoms call, nearest first (a caught exception or a changed return
//! value shows only in the logs of a service below the symptom, often one whose metrics never
//! moved), then, while the budget lasts, the rest of the graph from its entry points down. The
//! last part is for the fault no metric shows: its caller's symptom may be hidden under a
//! chronic one's (on the Nezha data a changed return value in a login path, while triage's
//! worst service is an always-failing booking path), so the symptom's own subtree can miss it.
//! The cost stays bounded by the budget, not the fleet. Pure; tests below.

use std::collections::{BTreeSet, VecDeque};

use super::{EdgeView, Localization};

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
    let mut out: Vec<String> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut push = |s: &str, out: &mut Vec<String>| {
        if out.len() < cap && !s.is_empty() && seen.insert(s.to_string()) {
            out.push(s.to_string());
        }
    };
    if let Some(s) = start {
        push(s, &mut out);
    }
    for c in &loc.candidates {
        push(&c.service, &mut out);
    }
    let mut roots: Vec<&str> = start.into_iter().collect();
    roots.extend(
        loc.candidates
            .iter()
            .filter_map(|c| c.path.first().map(|h| h.service.as_str())),
    );
    let mut visited: BTreeSet<&str> = BTreeSet::new();
    for s in breadth_first(edges, roots, &mut visited) {
        push(s, &mut out);
    }
    if fleet {
        let called: BTreeSet<&str> = edges
            .iter()
            .filter(|e| e.caller != e.callee)
            .map(|e| e.callee.as_str())
            .collect();
        let entries: BTreeSet<&str> = edges
            .iter()
            .map(|e| e.caller.as_str())
            .filter(|c| !called.contains(c))
            .collect();
        for s in breadth_first(edges, entries.into_iter().collect(), &mut visited) {
            push(s, &mut out);
        }
        let rest: BTreeSet<&String> = known.iter().collect();
        for s in rest {
            push(s, &mut out);
        }
    }
    out
}

/// The services reached from `roots` along `edges`, nearest first (callees by name), skipping
/// and marking `visited`.
fn breadth_first<'a>(
    edges: &'a [EdgeView],
    roots: Vec<&'a str>,
    visited: &mut BTreeSet<&'a str>,
) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut queue: VecDeque<&str> = roots.into_iter().collect();
    while let Some(s) = queue.pop_front() {
        if !visited.insert(s) {
            continue;
        }
        out.push(s);
        let callees: BTreeSet<&str> = edges
            .iter()
            .filter(|e| e.caller == s && e.callee != s)
            .map(|e| e.callee.as_str())
            .collect();
        queue.extend(callees);
    }
    out
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
}
