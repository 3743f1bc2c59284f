//! `tracectl check`: the tracing stack's health checks, one pass/fail per check, for CI
//! pipelines (`-o junit`) as much as for people. Thin: settings → the check runbook
//! ([`crate::investigate::check`]) → the report rendered → the exit code. `--fail-on` defaults to
//! `critical` here. Not here: the checks, their order and their judgements. Tests:
//! `tests/it/check.rs`.

use anyhow::Result;

use super::{Exit, finish_report};
use crate::cli::{CheckArgs, FailOn, GlobalArgs};
use crate::settings::Settings;

use crate::investigate::check::check_discovering;

pub async fn run(settings: &Settings, g: &GlobalArgs, args: &CheckArgs) -> Result<Exit> {
    let mut settings = settings.clone();
    // The contract: `check` fails CI on a critical finding unless told otherwise.
    if g.fail_on.is_none() {
        settings.fail_on = FailOn::Critical;
    }
    let report = check_discovering(&settings, args).await?;
    finish_report(&settings, &report)
}
