//! Small helpers shared by the runbooks' analyses: formatting of times (durations and shares are in `crate::report::units`),
//! Prometheus evidence, shell quoting for remediation commands, and the [`Situation`] a cause is
//! judged against. Pure; tests below.

use crate::analysis::changepoint::Shift;
use crate::report::Evidence;

/// What the causes found by the shared checks (resources, changes) are judged against.
#[derive(Debug, Clone)]
pub struct Situation<'a> {
    pub service: &'a str,
    pub namespace: &'a str,
    /// Evaluation time and lookback, unix seconds.
    pub now: f64,
    pub lookback: f64,
    /// When the symptom started, if a change point was found.
    pub onset: Option<Shift>,
    /// The symptom's query, shown as the onset's evidence.
    pub query: &'a str,
    /// The symptom in words: "latency", "error ratio".
    pub what: &'a str,
    /// Formats the symptom's values (seconds, a percentage).
    pub fmt: fn(f64) -> String,
    /// Whether the symptom is present now: only then is a cause a diagnosis.
    pub active: bool,
    /// The service's own Deployment, when Kubernetes answered.
    pub deployment: Option<&'a crate::analysis::changes::DeploymentHistory>,
}

pub fn fmt_time(unix: f64) -> String {
    jiff::Timestamp::from_second(unix as i64)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| format!("{unix}"))
}

pub fn hhmm(unix: f64) -> String {
    jiff::Timestamp::from_second(unix as i64)
        .map(|t| t.strftime("%H:%M UTC").to_string())
        .unwrap_or_default()
}

pub fn prom(query: &str, value: String, at: f64) -> Evidence {
    Evidence {
        source: "prometheus".into(),
        query: Some(query.to_string()),
        value: Some(value),
        at: Some(fmt_time(at)),
        link: None,
        via: None,
    }
}

pub fn worst(v: Option<&Vec<(String, f64)>>) -> Option<(String, f64)> {
    v?.iter()
        .filter(|(_, x)| x.is_finite())
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .cloned()
}

/// Shell quoting lives beside the remediation templates that use it.
pub use crate::runbook::text::shell_word;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_is_the_largest_finite_value() {
        let v = vec![
            ("a".to_string(), 0.5),
            ("b".to_string(), f64::NAN),
            ("c".to_string(), 0.7),
        ];
        assert_eq!(worst(Some(&v)), Some(("c".to_string(), 0.7)));
        assert_eq!(worst(None), None);
    }
}
