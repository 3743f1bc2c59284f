//! `maintain health` and `maintain validate`: the pre- and post-maintenance checks of the runbook
//! (component health, a test trace query, dashboards, alerting status, resource usage, span
//! processing p95, dropped spans) are `tracectl check`'s checks, run as they are; only the
//! verdict differs in a window, where a failing check is a failing action ([`Checks`], the hook
//! the executor runs them through).
//!
//! A check *fails* the phase when its step failed or it raised a critical finding; a skipped check
//! (its backend not configured) does not. Not here: the checks themselves (`commands::check`).
//! Tests: [`verdict`] below; `tests/it/maintain.rs`.

use anyhow::Result;

use crate::cli::{CheckArgs, FailOn, GlobalArgs};
use crate::commands::{Exit, finish_report, resolve};
use crate::investigate::check;
use crate::mutation::ActionResult;
use crate::mutation::exec::{ChecksFuture, RunChecks};
use crate::mutation::runner::ActionError;
use crate::report::{Report, Severity, StepStatus};
use crate::settings::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Health,
    Validate,
}

pub async fn run(g: &GlobalArgs, argv: &[String], args: &CheckArgs, _phase: Phase) -> Result<Exit> {
    let mut settings = resolve(g, argv)?;
    if g.fail_on.is_none() {
        // A maintenance window's script must stop on a failing check.
        settings.fail_on = FailOn::Critical;
    }
    let report = check::check(&settings, args).await?;
    finish_report(&settings, &report)
}

/// What failed in a check report: one line per failed check and per critical finding; empty when
/// the phase passes.
pub fn verdict(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Failed)
        .map(|s| {
            format!(
                "{}: {}",
                s.id,
                s.error
                    .as_deref()
                    .unwrap_or("failed")
                    .lines()
                    .next()
                    .unwrap_or("")
            )
        })
        .collect();
    out.extend(
        report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Critical)
            .map(|f| format!("{}: {}", f.kind, f.title)),
    );
    out
}

/// An [`crate::mutation::Operation::Checks`] action: `tracectl check`'s checks, failing the
/// action when the phase fails.
pub struct Checks<'a>(pub &'a Settings);

impl RunChecks for Checks<'_> {
    fn run_checks<'a>(&'a self, name: &'a str, checks: &'a [String]) -> ChecksFuture<'a> {
        Box::pin(apply(self.0, name, checks))
    }
}

async fn apply(
    settings: &Settings,
    name: &str,
    checks: &[String],
) -> Result<ActionResult, ActionError> {
    let args = CheckArgs {
        only: checks.to_vec(),
        skip: vec![],
    };
    let report = check::check(settings, &args)
        .await
        .map_err(|e| ActionError::new(format!("{name}: {e}")))?;
    let failed = verdict(&report);
    let ran = report
        .steps
        .iter()
        .filter(|s| s.status != StepStatus::Skipped)
        .count();
    if failed.is_empty() {
        Ok(ActionResult::detail(format!("{ran} checks passed")))
    } else {
        Err(ActionError::with_hint(
            format!("{name} failed: {}", failed.join("; ")),
            format!(
                "`tracectl maintain {name}` runs the checks again; `tracectl investigate data-loss` digs deeper"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Step, Target};

    fn step(id: &str, status: StepStatus, error: Option<&str>) -> Step {
        Step {
            id: id.into(),
            title: id.into(),
            status,
            duration_ms: 1,
            error: error.map(str::to_string),
            queries: vec![],
        }
    }

    #[test]
    fn failed_checks_fail_the_phase_and_skipped_ones_do_not() {
        let mut r = Report::new(
            "check",
            Target {
                service: None,
                operation: None,
            },
            "2026-11-25T10:00:00Z".into(),
            "1h".into(),
        );
        r.steps = vec![
            step("prometheus-ready", StepStatus::Ok, None),
            step(
                "grafana-health",
                StepStatus::Skipped,
                Some("not configured"),
            ),
        ];
        assert!(verdict(&r).is_empty());
        r.steps.push(step(
            "span-drop-rate",
            StepStatus::Failed,
            Some("Prometheus: connection refused\nmore"),
        ));
        assert_eq!(
            verdict(&r),
            ["span-drop-rate: Prometheus: connection refused"]
        );
    }
}
