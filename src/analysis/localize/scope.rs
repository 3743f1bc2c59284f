//! Which services' logs to read, within a budget: the graph's candidates first (best first),
//! then everything the symptoms call, nearest first (a caught exception or a changed return
//! value shows only in the logs of a service below the symptom, often one whose metrics never
//! moved), then nothing else: the cost grows with the changed part of the graph, not the fleet.
//! Pure; tests below.

use std::collections::{BTreeSet, VecDeque};

use super::{EdgeView, Localization};

/// Up to `cap` services: `loc`'s candidates, then breadth-first below `start` (with
/// `--service`) or below each candidate's symptom (the first hop of its path), in rank order.
pub fn log_scope(
    loc: &Localization,
    edges: &[EdgeView],
    start: Option<&str>,
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
    let mut queue: VecDeque<&str> = roots.into_iter().collect();
    let mut visited: BTreeSet<&str> = BTreeSet::new();
    while let Some(s) = queue.pop_front() {
        if !visited.insert(s) {
            continue;
        }
        push(s, &mut out);
        let mut callees: Vec<&str> = edges
            .iter()
            .filter(|e| e.caller == s && e.callee != s)
            .map(|e| e.callee.as_str())
            .collect();
        callees.sort();
        callees.dedup();
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
        assert_eq!(
            log_scope(&loc, &edges, None, 10),
            ["api", "web", "auth", "db", "ldap"]
        );
        assert_eq!(log_scope(&loc, &edges, None, 3), ["api", "web", "auth"]);
        // With --service, the walk starts there.
        assert_eq!(
            log_scope(&Localization::default(), &edges, Some("auth"), 10),
            ["auth", "ldap"]
        );
        // Nothing changed and no service named: nothing to read.
        assert!(log_scope(&Localization::default(), &edges, None, 10).is_empty());
    }
}
