//! Does the trace comparison agree with the graph walk? ([`agreement`]): the same top service,
//! the comparison's on the walk's propagation path, or a one-line statement of the
//! disagreement. Part of `compare.rs`; tests in `compare_tests.rs`.

use serde::Serialize;

use super::{TraceComparison, mode_words};
use crate::analysis::localize;

/// How the trace comparison's top service relates to the graph walk's top candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The same service.
    Same,
    /// The traces' top service is on the candidate's propagation path.
    OnPath,
    Disagrees,
    /// One side (or both) named nobody.
    Undecided,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub verdict: Verdict,
    pub trace_top: Option<String>,
    pub graph_top: Option<String>,
    /// One line when they do not agree (or one side is silent).
    pub statement: Option<String>,
}

impl Agreement {
    pub fn agrees(&self) -> bool {
        matches!(self.verdict, Verdict::Same | Verdict::OnPath)
    }
}

/// Whether the trace comparison's top service is the graph walk's top candidate or on its
/// propagation path; a one-line statement otherwise.
pub fn agreement(cmp: &TraceComparison, localization: &localize::Localization) -> Agreement {
    let trace_top = cmp.top();
    let graph_top = localization.candidates.first();
    let (verdict, statement) = match (trace_top, graph_top) {
        (Some(t), Some(g)) if t.service == g.service => (Verdict::Same, None),
        (Some(t), Some(g)) if g.path.iter().any(|h| h.service == t.service) => {
            (Verdict::OnPath, None)
        }
        (Some(t), Some(g)) => {
            let path: Vec<&str> = g.path.iter().map(|h| h.service.as_str()).collect();
            (
                Verdict::Disagrees,
                Some(format!(
                    "the traces point at {} (score {:.1}: {}), the graph walk at {} (score {:.1}, \
                     path {}); {} is not on that path",
                    t.service,
                    t.score,
                    t.reasons.first().map_or("", String::as_str),
                    g.service,
                    g.score,
                    path.join(" → "),
                    t.service
                )),
            )
        }
        (None, Some(g)) => (
            Verdict::Undecided,
            Some(format!(
                "the trace comparison ({}) found no significant service; the graph walk names {}",
                mode_words(cmp.mode),
                g.service
            )),
        ),
        (Some(t), None) => (
            Verdict::Undecided,
            Some(format!(
                "the graph walk found no candidate; the traces point at {}",
                t.service
            )),
        ),
        (None, None) => (
            Verdict::Undecided,
            Some("neither the traces nor the graph walk name a service".to_string()),
        ),
    };
    Agreement {
        verdict,
        trace_top: trace_top.map(|t| t.service.clone()),
        graph_top: graph_top.map(|g| g.service.clone()),
        statement,
    }
}
