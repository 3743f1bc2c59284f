//! One tool call that reads the backends (an investigation, `check`, `audit`, `deploy_plan` or
//! `maintain_plan`, which plan and never apply), under the limits the CLI has: it waits its turn (one
//! call at a time), runs under the command's `--command-timeout` (the step engine's deadline, and
//! a last bound on the whole call), tells the client of each step that finishes (progress
//! notifications, when the request carries a progress token), stops when the client cancels
//! it, and returns the report (the `tracectl.report/v1` JSON as structured content and the text
//! summary) or the plan (`tracectl.plan/v1` and its table), both scrubbed of every known secret. A backend that fails is a failed step in a
//! normal result; only bad arguments are protocol errors. Tests: `tests/it/mcp/`.

use std::time::Duration;

use rmcp::model::{CallToolResult, ContentBlock, ErrorCode, ProgressNotificationParam};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer};

use super::Server;
use crate::cli::{AuditArgs, CheckArgs, DeployArgs, Investigate, MaintainCmd};
use crate::error::UsageError;
use crate::investigate::engine::{self, StepWatch};
use crate::mutation::Plan;
use crate::render::plan::PlanFormat;
use crate::render::{self, OutputFormat};
use crate::report::Report;
use crate::settings::Settings;

/// What a tool that reads the backends runs: the same entry points as the commands.
pub(super) enum Runbook {
    Investigate(Investigate),
    Check(CheckArgs),
    Audit(AuditArgs),
    /// `deploy plan`: the plan only. Nothing here leads to `deploy apply`'s runner.
    DeployPlan {
        args: DeployArgs,
        namespace_flag: Option<String>,
    },
    /// A changing `maintain` step's plan. Nothing here leads to its runner.
    MaintainPlan {
        cmd: MaintainCmd,
        namespace_flag: Option<String>,
    },
}

/// A report, or a plan with the secrets it brought in (the Elasticsearch password).
enum Output {
    Report(Report),
    Plan(Plan),
}

impl Runbook {
    async fn run(&self, settings: &mut Settings) -> anyhow::Result<Output> {
        use crate::mutation::ops::deploy;
        // As the CLI's: each backend's evidence says which way it was reached.
        let marked = |mut r: Report, settings: &Settings| {
            crate::investigate::mark_reached(settings, &mut r);
            Output::Report(r)
        };
        Ok(match self {
            Runbook::Investigate(i) => {
                marked(crate::investigate::run(settings, i).await?, settings)
            }
            // As the CLI's `check`: from a kubeconfig alone, the stack is discovered first and
            // a backend with no URL reached through the API server (issue #17).
            Runbook::Check(a) => marked(
                crate::investigate::check::check_discovering(settings, a).await?,
                settings,
            ),
            Runbook::Audit(a) => marked(
                crate::investigate::audit::audit(settings, a).await?,
                settings,
            ),
            Runbook::DeployPlan {
                args,
                namespace_flag,
            } => {
                let (inputs, password) = deploy::inputs(args, namespace_flag.as_deref())?;
                let d = deploy::deploy(settings, inputs, password).await?;
                let mut planned = deploy::plan(&d).await?;
                deploy::note_grafana(settings, &mut planned.plan);
                Output::Plan(planned.plan)
            }
            Runbook::MaintainPlan {
                cmd,
                namespace_flag,
            } => {
                let mut ctx = crate::mutation::ops::maintain::connect(
                    settings.clone(),
                    namespace_flag.as_deref(),
                )
                .await?;
                Output::Plan(crate::mutation::ops::maintain::plan(&mut ctx, cmd).await?)
            }
        })
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
        let mut worker_settings = settings.clone();
        let work = tokio::task::spawn_blocking(move || {
            handle.block_on(async move {
                let run = engine::watched(watch, runbook.run(&mut worker_settings));
                let r = tokio::select! {
                    _ = ct.cancelled() => return None,
                    r = tokio::time::timeout(budget, run) => r,
                };
                Some((r, worker_settings.secrets))
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
        let (outcome, secrets) = match outcome {
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
            Ok(Err(e)) => Err(as_protocol_error(&e, &secrets)),
            Ok(Ok(Output::Report(report))) => report_result(&report, &secrets),
            Ok(Ok(Output::Plan(plan))) => plan_result(&plan, &secrets),
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

/// A plan as a tool result: `tracectl.plan/v1` as structured content, the plan's table as text.
fn plan_result(plan: &Plan, secrets: &[String]) -> Result<CallToolResult, McpError> {
    let json = render::scrub(render::plan::plan(plan, PlanFormat::Json), secrets);
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| {
        McpError::internal_error(format!("the plan's JSON does not read back: {e}"), None)
    })?;
    let text = render::scrub(render::plan::plan(plan, PlanFormat::Table), secrets);
    let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
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
