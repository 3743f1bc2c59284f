//! The report: findings, steps and their ranking, as plain data in the contract's JSON shape
//! (`tracectl.report/v1`, see `../shared/CONTRACT.md`).
//!
//! Ranking is explicit and total (score, then severity, then kind, subject and title), so the same
//! evidence always gives the same report byte for byte. Not here: how a report is printed
//! (`crate::render`). Tests: below.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

pub mod reached;
pub mod units;

pub const SCHEMA: &str = "tracectl.report/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Subject {
    pub service: Option<String>,
    pub operation: Option<String>,
    pub dependency: Option<String>,
    pub pod: Option<String>,
    pub resource: Option<String>,
}

impl Subject {
    pub fn service(s: &str) -> Self {
        Subject {
            service: Some(s.to_string()),
            ..Default::default()
        }
    }

    pub fn with_operation(mut self, op: &str) -> Self {
        self.operation = Some(op.to_string());
        self
    }

    pub fn with_dependency(mut self, d: &str) -> Self {
        self.dependency = Some(d.to_string());
        self
    }

    pub fn with_pod(mut self, p: &str) -> Self {
        self.pod = Some(p.to_string());
        self
    }

    pub fn with_resource(mut self, r: &str) -> Self {
        self.resource = Some(r.to_string());
        self
    }
}

/// One piece of evidence: where it came from, the query, the value, when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: String,
    pub query: Option<String>,
    pub value: Option<String>,
    pub at: Option<String>,
    /// A link a human can open (a Jaeger trace, a Grafana panel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Which way the backend named by `source` was reached: `url`, or `service proxy
    /// /api/v1/namespaces/NS/services/NAME:PORT/proxy` (issue #17; [`reached`]). Absent for
    /// evidence that is not a backend's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// How safe a remediation is to apply as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safety {
    /// Reversible and low-risk (a rollback to a known-good revision, a scale-up).
    Safe,
    /// Changes production behaviour; read it before running.
    NeedsCare,
    /// Not a command: advice for a human.
    AdviceOnly,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    pub title: String,
    pub command: Option<String>,
    pub safety: Safety,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rank: u32,
    pub kind: String,
    pub severity: Severity,
    pub score: f64,
    pub subject: Subject,
    pub title: String,
    pub detail: String,
    pub evidence: Vec<Evidence>,
    pub remediation: Vec<Remediation>,
}

impl Finding {
    pub fn new(
        kind: &str,
        severity: Severity,
        score: f64,
        subject: Subject,
        title: impl Into<String>,
    ) -> Self {
        Finding {
            rank: 0,
            kind: kind.to_string(),
            severity,
            score: score.clamp(0.0, 1.0),
            subject,
            title: title.into(),
            detail: String::new(),
            evidence: Vec::new(),
            remediation: Vec::new(),
        }
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = d.into();
        self
    }

    pub fn evidence(mut self, e: Evidence) -> Self {
        self.evidence.push(e);
        self
    }

    pub fn remediation(mut self, r: Remediation) -> Self {
        self.remediation.push(r);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Ok,
    Warning,
    Failed,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub status: StepStatus,
    pub duration_ms: u64,
    pub error: Option<String>,
    /// The queries the step ran, so a human can run them by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub service: Option<String>,
    pub operation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub command: String,
    pub target: Target,
    pub at: String,
    pub lookback: String,
    pub diagnosis: String,
    pub findings: Vec<Finding>,
    pub steps: Vec<Step>,
    /// How each configured backend was reached (backend name → `url`, or `service proxy
    /// /api/v1/namespaces/NS/services/NAME:PORT/proxy`; [`reached`]): what the human renderers
    /// show beside the steps (issue #17). Not in the JSON, whose evidence carries it as `via`.
    #[serde(skip)]
    pub reached: std::collections::BTreeMap<String, String>,
}

/// The total order of findings: most likely cause first.
pub fn compare(a: &Finding, b: &Finding) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(b.severity.cmp(&a.severity))
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.subject.cmp(&b.subject))
        .then_with(|| a.title.cmp(&b.title))
}

/// Sort, drop exact duplicates, and number from 1.
pub fn rank(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(compare);
    findings.dedup_by(|a, b| a.kind == b.kind && a.subject == b.subject && a.title == b.title);
    for (i, f) in findings.iter_mut().enumerate() {
        f.rank = i as u32 + 1;
    }
    findings
}

impl Report {
    pub fn new(command: &str, target: Target, at: String, lookback: String) -> Self {
        Report {
            schema: SCHEMA.to_string(),
            command: command.to_string(),
            target,
            at,
            lookback,
            diagnosis: String::new(),
            findings: Vec::new(),
            steps: Vec::new(),
            reached: Default::default(),
        }
    }

    /// Rank findings and write the diagnosis line from the top one and from what is missing.
    pub fn finish(&mut self, findings: Vec<Finding>) {
        self.findings = rank(findings);
        let failed: Vec<&str> = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Failed)
            .map(|s| s.id.as_str())
            .collect();
        let missing = if failed.is_empty() {
            String::new()
        } else {
            format!(" (incomplete: {} failed)", failed.join(", "))
        };
        self.diagnosis = match self.findings.first() {
            Some(top) if top.severity > Severity::Info => format!("{}{missing}", top.title),
            _ if !failed.is_empty() && self.steps.iter().all(|s| s.status != StepStatus::Ok) => {
                format!("no diagnosis: every step failed{missing}")
            }
            _ => format!("no problem found{missing}"),
        };
    }

    pub fn worst_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(kind: &str, sev: Severity, score: f64, svc: &str) -> Finding {
        Finding::new(
            kind,
            sev,
            score,
            Subject::service(svc),
            format!("{kind} {svc}"),
        )
    }

    #[test]
    fn ranking_is_total_and_stable() {
        let a = vec![
            f("slow_service", Severity::Warning, 0.5, "b"),
            f("slow_dependency", Severity::Critical, 0.9, "a"),
            f("cpu_throttling", Severity::Warning, 0.5, "a"),
            f("slow_service", Severity::Critical, 0.5, "a"),
        ];
        let mut b = a.clone();
        b.reverse();
        let ra = rank(a);
        let rb = rank(b);
        assert_eq!(ra, rb);
        let kinds: Vec<_> = ra.iter().map(|f| (f.kind.as_str(), f.rank)).collect();
        assert_eq!(
            kinds,
            vec![
                ("slow_dependency", 1),
                ("slow_service", 2),
                ("cpu_throttling", 3),
                ("slow_service", 4)
            ]
        );
    }

    #[test]
    fn subject_serializes_all_five_keys() {
        let s = serde_json::to_string(&Subject::service("x")).unwrap();
        assert_eq!(
            s,
            r#"{"service":"x","operation":null,"dependency":null,"pod":null,"resource":null}"#
        );
    }

    #[test]
    fn diagnosis_names_top_finding_and_missing_steps() {
        let mut r = Report::new(
            "investigate latency",
            Target {
                service: None,
                operation: None,
            },
            "t".into(),
            "1h".into(),
        );
        r.steps.push(Step {
            id: "traces".into(),
            title: "Traces".into(),
            status: StepStatus::Failed,
            duration_ms: 1,
            error: Some("jaeger down".into()),
            queries: vec![],
        });
        r.finish(vec![f("slow_dependency", Severity::Critical, 0.9, "a")]);
        assert_eq!(r.diagnosis, "slow_dependency a (incomplete: traces failed)");
    }
}
