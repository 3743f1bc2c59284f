//! One tool call that reads the backends, under the limits the CLI has: it waits its turn (one
//! call at a time), runs under the command's `--command-timeout` (the step engine's deadline, and
//! a last bound on the whole call), tells the client of each step that finishes (progress
//! notifications, when the request carries a progress token), stops when the client cancels
//! it, and returns the report: the `tracectl.report/v1` JSON as structured content and the text
//! summary, both scrubbed of every known secret. A backend that fails is a failed step in a
//! normal result; only bad arguments are protocol errors. Tests: `tests/it/mcp.rs`.

use std::time::Duration;

use rmcp::model::{CallToolResult, ContentBlock, ErrorCode, ProgressNotificationParam};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer};

use super::Server;
use crate::cli::{AuditArgs, CheckArgs, Investigate};
use crate::error::UsageError;
use crate::investigate::engine::{self, StepWatch};
use crate::render::{self, OutputFormat};
use crate::report::Report;
use crate::settings::Settings;

/// What a reading tool runs: the same entry points as the commands.
pub(super) enum Runbook {
    Investigate(Investigate),
    Check(CheckArgs),
    Audit(AuditArgs),
}

impl Runbook {
    async fn run(&self, settings: &Settings) -> anyhow::Result<Report> {
        match self {
            Runbook::Investigate(i) => crate::investigate::run(settings, i).await,
            Runbook::Check(a) => crate::investigate::check::check(settings, a).await,
            Runbook::Audit(a) => crate::investigate::audit::audit(settings, a).await,
        }
    }
}

/// Past the step engine's own deadline, the time a call has to rank and render before it is
/// given up: the steps are bounded by `--command-timeout`, this bounds the rest.
const GRACE: Duration = Duration::from_secs(10);

impl Server {
    pub(super) async fn run_report(
        &self,
        runbook: Runbook,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let mut settings: Settings = (*self.settings).clone();
        settings.output = OutputFormat::Json;
        settings.color = false;
        settings.progress = false;
        let budget = settings.command_timeout + GRACE;

        let token = ctx.meta.get_progress_token();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let watch: StepWatch = std::sync::Arc::new(move |step| {
            let _ = tx.send(format!(
                "{} {}: {}",
                render::status_label(step.status),
                step.id,
                step.title
            ));
        });
        // Wait for our turn; a call cancelled while it waits leaves the queue.
        let _turn = tokio::select! {
            _ = ctx.ct.cancelled() => return Err(cancelled()),
            // The semaphore is never closed, so this never fails.
            turn = self.calls.acquire() => turn,
        };
        // The investigations' futures are not `Send` (the CLI runs them with `block_on`), and
        // rmcp's tool futures must be: each call runs on a blocking thread of the same runtime,
        // which drives it with `Handle::block_on` (its I/O and timers stay the runtime's).
        // Cancellation reaches it through the token: the investigation is dropped, its requests
        // with it.
        let handle = tokio::runtime::Handle::current();
        let ct = ctx.ct.clone();
        let worker_settings = settings.clone();
        let work = tokio::task::spawn_blocking(move || {
            handle.block_on(async move {
                let run = engine::watched(watch, runbook.run(&worker_settings));
                tokio::select! {
                    _ = ct.cancelled() => None,
                    r = tokio::time::timeout(budget, run) => Some(r),
                }
            })
        });
        tokio::pin!(work);
        let mut done = 0u32;
        let outcome = loop {
            tokio::select! {
                _ = ctx.ct.cancelled() => {
                    tracing::info!("tool call cancelled by the client");
                    return Err(cancelled());
                }
                r = &mut work => break r,
                Some(line) = rx.recv() => {
                    done += 1;
                    if let Some(token) = &token {
                        let note = ProgressNotificationParam::new(token.clone(), f64::from(done))
                            .with_message(line);
                        // Progress is best effort: a client gone deaf does not fail the call.
                        let _ = ctx.peer.notify_progress(note).await;
                    }
                }
            }
        };
        let outcome = match outcome {
            Ok(Some(r)) => r,
            Ok(None) => return Err(cancelled()),
            Err(e) => {
                return Err(McpError::internal_error(
                    format!("the call's worker stopped: {e}"),
                    None,
                ));
            }
        };
        match outcome {
            Err(_) => Ok(CallToolResult::error(vec![ContentBlock::text(format!(
                "did not finish within the command's time budget ({} and {} to rank); raise --command-timeout or narrow --lookback",
                crate::clock::format_duration(settings.command_timeout),
                crate::clock::format_duration(GRACE),
            ))])),
            Ok(Err(e)) => Err(as_protocol_error(&e, &settings.secrets)),
            Ok(Ok(report)) => report_result(&report, &settings.secrets),
        }
    }
}

fn cancelled() -> McpError {
    McpError::new(ErrorCode::INTERNAL_ERROR, "cancelled by the client", None)
}

/// The report as a tool result: the contract's JSON as structured content, the summary as text.
pub(super) fn report_result(
    report: &Report,
    secrets: &[String],
) -> Result<CallToolResult, McpError> {
    let json = render::scrub(render::json::render_json(report), secrets);
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| {
        McpError::internal_error(format!("the report's JSON does not read back: {e}"), None)
    })?;
    let summary = render::scrub(render::summary::render_summary(report), secrets);
    let mut result = CallToolResult::success(vec![ContentBlock::text(summary)]);
    result.structured_content = Some(value);
    Ok(result)
}

/// An error from an entry point is the caller's input (a usage error: bad arguments, an unknown
/// check, a runbook file that does not load): `invalid_params`, with the hint. Anything else is
/// the server's (`internal_error`), still one clear line.
pub(super) fn as_protocol_error(e: &anyhow::Error, secrets: &[String]) -> McpError {
    let usage = e.chain().find_map(|c| c.downcast_ref::<UsageError>());
    let text = |s: String| render::scrub(s, secrets);
    match usage {
        Some(u) => McpError::invalid_params(
            text(match &u.hint {
                Some(h) => format!("{}; hint: {h}", u.message),
                None => u.message.clone(),
            }),
            None,
        ),
        None => McpError::internal_error(text(format!("{e:#}")), None),
    }
}
