//! `tracectl audit [--service S]`: the tracing best-practice guide (2.1–2.3) measured against a
//! running system, a finding per problem and a 0–100 score per service. Thin: settings → the
//! audit runbook ([`crate::investigate::audit`]) → the report rendered → the exit code. Not here:
//! the steps, the detectors ([`crate::analysis::audit`]) or the masking of sensitive values.
//! Tests: `tests/it/audit.rs`.

use anyhow::Result;

use super::{Exit, finish_report};
use crate::cli::AuditArgs;
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: &AuditArgs) -> Result<Exit> {
    let report = crate::investigate::audit::audit(settings, args).await?;
    finish_report(settings, &report)
}
