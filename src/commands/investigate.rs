//! `tracectl investigate ...`: the command edge of the investigations. Dispatch to the runbook's
//! investigation (`crate::investigate`), render its report, and map it to the exit code, with the
//! one rule that is the command's own: `investigate rollout` is a deploy gate, and a gate fails
//! closed. Not here: running steps or gathering evidence. Tests: `tests/it/{latency,errors,
//! dataloss,rollout,alerts}.rs` (the whole binary).

use anyhow::Result;

use super::{Exit, finish_report};
use crate::cli::Investigate;
use crate::report::{Report, StepStatus};
use crate::settings::Settings;

pub async fn run(settings: &Settings, cmd: &Investigate) -> Result<Exit> {
    let report = crate::investigate::run(settings, cmd).await?;
    let exit = finish_report(settings, &report)?;
    if matches!(cmd, Investigate::Rollout(_)) && exit == Exit::Ok && gate_unread(&report) {
        eprintln!(
            "error: the rollout's metrics could not be read, so it cannot pass as a gate\nhint: check Prometheus (see the failed steps)"
        );
        return Ok(Exit::Incomplete);
    }
    Ok(exit)
}

/// A deploy gate fails closed: a rollout whose metrics could not be read is not a pass.
fn gate_unread(report: &Report) -> bool {
    report.steps.iter().any(|s| {
        matches!(s.id.as_str(), "traffic" | "errors" | "latency") && s.status == StepStatus::Failed
    })
}
