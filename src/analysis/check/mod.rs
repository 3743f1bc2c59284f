//! The judgements of `tracectl check`: each check's answer in, an [`Outcome`] (findings and the
//! status of its step) out. `components.rs` judges up/down/degraded from a component's own health
//! answer, `alerting.rs` Alertmanager and its firing alerts, `pipeline.rs` the Collector's rates,
//! `pods.rs` the tracing pods, `monitor.rs` Jaeger's Monitor tab; [`diagnosis`] sums up a run.
//!
//! Pure: no I/O, no clock (`at` is the run's time, handed in for evidence), no printing. Not
//! here: asking the backends and running the steps (`crate::investigate::check`), or naming a
//! component's workload from its URL (also there). Some answers are still the backends' plain
//! data types (`ClusterHealth`, `PodInfo`, `Alert`, ...) until they move to `model/`. Tests: in
//! each file, and `tests/it/check.rs` for the whole command.

pub mod alerting;
pub mod components;
pub mod monitor;
pub mod pipeline;
pub mod pods;

use crate::error::{Backend, BackendError};
use crate::report::{Finding, Remediation, Step, StepStatus};
use crate::runbook::kinds::remedy;
use crate::runbook::text::shell_word;

pub use components::from_error;

/// What one check concluded: its findings and the status of its step.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Ok,
    /// Ran, with something to say that is not a finding (partial data, no series).
    Warning(String),
    /// Could not check: the backend failed (a finding usually says how).
    Failed(String),
    /// Its backend is not configured.
    Skipped(String),
}

impl Outcome {
    pub fn ok(findings: Vec<Finding>) -> Self {
        Outcome {
            findings,
            status: Status::Ok,
        }
    }

    pub fn warning(findings: Vec<Finding>, why: impl Into<String>) -> Self {
        Outcome {
            findings,
            status: Status::Warning(why.into()),
        }
    }

    pub fn skipped(why: impl Into<String>) -> Self {
        Outcome {
            findings: Vec::new(),
            status: Status::Skipped(why.into()),
        }
    }

    pub fn failed(findings: Vec<Finding>, why: impl Into<String>) -> Self {
        Outcome {
            findings,
            status: Status::Failed(why.into()),
        }
    }

    /// Prometheus' own warnings (a partial answer) make the step a warning too.
    pub fn with_warnings(mut self, warnings: impl IntoIterator<Item = String>) -> Self {
        let w: Vec<String> = warnings.into_iter().collect();
        if w.is_empty() {
            return self;
        }
        let note = format!("partial data: {}", w.join("; "));
        self.status = match self.status {
            Status::Ok => Status::Warning(note),
            Status::Warning(prev) => Status::Warning(format!("{prev}; {note}")),
            other => other,
        };
        self
    }
}

/// A component of the tracing stack, as findings name it and as a human reaches it.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// `subject.resource` of its findings: `jaeger-query`, `otel-collector`, ...
    pub resource: &'static str,
    /// For titles: `Jaeger query`.
    pub display: &'static str,
    pub backend: Backend,
    /// The flag that configures it (the Collector has two).
    pub flag: &'static str,
    /// Its URL as configured (redacted), for the commands a remediation prints.
    pub url: Option<String>,
    pub workload: Workload,
}

impl Component {
    /// The error's hint, naming this component's own flag (the Collector's OTLP receiver is
    /// configured by `--collector-otlp-url`, not the Collector's usual `--collector-metrics-url`).
    pub fn hint(&self, e: &BackendError) -> String {
        e.hint().replace(e.backend.flag(), self.flag)
    }
}

/// The Kubernetes workload that most likely serves a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// `deployment` or `statefulset`.
    pub kind: &'static str,
    pub name: String,
    /// `None`: unknown, so commands leave `-n` out and kubectl uses the context's namespace.
    pub namespace: Option<String>,
}

impl Workload {
    /// Remedy `key` of finding kind `kind`, with this workload's values besides `extra`: `kind`,
    /// `name` and `ns_flag` (` -n NS`, or empty when the namespace is unknown, so the template's
    /// `kubectl{{ns_flag}} ...` uses the context's namespace).
    pub fn remedy(&self, kind: &str, key: &str, extra: &[(&str, &str)]) -> Remediation {
        let ns_flag = self
            .namespace
            .as_ref()
            .map(|n| format!(" -n {}", shell_word(n)))
            .unwrap_or_default();
        let mut vars = vec![
            ("kind", self.kind),
            ("name", self.name.as_str()),
            ("ns_flag", ns_flag.as_str()),
        ];
        vars.extend_from_slice(extra);
        remedy(kind, key, &vars)
    }
}

/// The report's one-line summary when nothing was found and no check failed: how many ran, and
/// how many of those with a warning. `None` otherwise (the ranking's diagnosis stands).
pub fn diagnosis(findings: &[Finding], steps: &[Step]) -> Option<String> {
    if !findings.is_empty() || steps.iter().any(|s| s.status == StepStatus::Failed) {
        return None;
    }
    let ran = steps
        .iter()
        .filter(|s| s.status != StepStatus::Skipped)
        .count();
    let warned = steps
        .iter()
        .filter(|s| s.status == StepStatus::Warning)
        .count();
    Some(match warned {
        0 => format!("all {ran} checks that could run passed"),
        w => format!("all {ran} checks that could run passed ({w} with a warning)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workloads_commands_leave_out_an_unknown_namespace() {
        let w = Workload {
            kind: "statefulset",
            name: "prometheus".into(),
            namespace: None,
        };
        assert_eq!(
            w.remedy(components::DOWN, "logs", &[]).command.as_deref(),
            Some("kubectl logs statefulset/prometheus --tail=100")
        );
        let w = Workload {
            namespace: Some("monitoring".into()),
            ..w
        };
        assert_eq!(
            w.remedy(components::DOWN, "restart-workload", &[])
                .command
                .as_deref(),
            Some("kubectl -n monitoring rollout restart statefulset/prometheus")
        );
    }

    #[test]
    fn warnings_make_a_passing_step_a_warning() {
        let o = Outcome::ok(vec![]).with_warnings(["one".to_string()]);
        assert_eq!(o.status, Status::Warning("partial data: one".into()));
        let o = Outcome::warning(vec![], "no series").with_warnings(["two".to_string()]);
        assert_eq!(
            o.status,
            Status::Warning("no series; partial data: two".into())
        );
        let o = Outcome::failed(vec![], "down").with_warnings(["x".to_string()]);
        assert_eq!(o.status, Status::Failed("down".into()));
        assert_eq!(Outcome::ok(vec![]).with_warnings([]), Outcome::ok(vec![]));
    }
}
