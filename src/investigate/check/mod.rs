//! The check runbook's engine (`runbooks/check.yaml`): the tracing stack's health checks, each a
//! named step (`--only`/`--skip`), run concurrently, one pass/fail per check.
//!
//! The step registry is [`STEPS`] and `steps::run` (a plain `match` from id to the code that asks
//! one backend, or two); the runbook holds each step's title, queries, thresholds and finding
//! texts, and may use only these ids. Each step gathers its answer here (`steps.rs`, and
//! `prometheus.rs` for the checks that read the Collector's metrics through Prometheus) and hands
//! it to the pure judgement in [`crate::analysis::check`]. A check whose backend is not
//! configured is `skipped`; a backend that fails makes its step `failed` *and* a
//! `component_down` finding with the fix, so both a CI test report and the exit code say so; a
//! failing step never stops the others. `maintain health`/`maintain window` run these checks too,
//! through [`check`] and [`selected`]. Not here: flags, `--fail-on` and printing
//! (`crate::commands::check`). Tests: below, `context.rs`, and `tests/it/check.rs` (a real
//! Prometheus and Alertmanager, fixtures for the rest).

mod context;
mod prometheus;
mod steps;

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use anyhow::Result;

use crate::analysis::check::{self as analysis, Status};
use crate::cli::CheckArgs;
use crate::error::UsageError;
use crate::investigate::engine::{StepError, StepLog};
use crate::report::{Finding, Report, StepStatus, Target};
use crate::runbook;
use crate::settings::Settings;

use context::Ctx;

/// The checks this engine can run, in report order: the check runbook's step ids. The command
/// line takes its `--only`/`--skip` values from the runbook itself (`crate::cli`); a test below
/// keeps the two lists equal.
pub const STEPS: &[&str] = &[
    "prometheus-ready",
    "jaeger-query",
    "collector-otlp",
    "collector-metrics",
    "span-drop-rate",
    "exporter-failure-rate",
    "span-latency",
    "elasticsearch-health",
    "grafana-health",
    "alertmanager-status",
    "tracing-pods",
    "jaeger-monitor",
];

/// The variables the check queries may use.
pub const VARS: &[&str] = &["rate_window"];

/// Which checks run: `--only` (all when empty), minus `--skip`, in [`STEPS`] order.
pub fn selected(args: &CheckArgs) -> Result<Vec<&'static str>, UsageError> {
    for n in args.only.iter().chain(&args.skip) {
        if !STEPS.contains(&n.as_str()) {
            return Err(UsageError::with_hint(
                format!("unknown check {n:?}"),
                format!("checks: {}", STEPS.join(", ")),
            ));
        }
    }
    let chosen: Vec<&'static str> = STEPS
        .iter()
        .copied()
        .filter(|n| args.only.is_empty() || args.only.iter().any(|o| o == n))
        .filter(|n| !args.skip.iter().any(|s| s == n))
        .collect();
    if chosen.is_empty() {
        return Err(UsageError::with_hint(
            "--only and --skip leave no check to run",
            format!("checks: {}", STEPS.join(", ")),
        ));
    }
    Ok(chosen)
}

type StepFuture<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Run the selected checks concurrently and build the report.
pub async fn check(settings: &Settings, args: &CheckArgs) -> Result<Report> {
    run(settings, args, false).await
}

/// `tracectl check` as a user runs it: from a kubeconfig alone, Prometheus or the trace store
/// with no URL is first found and reached through the API server (issue #17). Not for
/// `deploy verify` and `maintain`: they know their namespace, and the operator's role may list
/// Services only there.
pub async fn check_discovering(settings: &Settings, args: &CheckArgs) -> Result<Report> {
    run(settings, args, true).await
}

async fn run(settings: &Settings, args: &CheckArgs, discover: bool) -> Result<Report> {
    let names = selected(args)?;
    let rb = runbook::load("check", settings.runbooks_dir.as_deref())?;
    rb.validate(STEPS, VARS, "check runbook")?;
    let ctx = Ctx {
        settings,
        rb,
        at: settings.clock.now(),
    };
    let log = StepLog::new(settings.progress, settings.command_timeout);
    if discover && crate::investigate::discovery::wanted(settings) {
        crate::investigate::discovery::before(settings, &log, 0).await;
    }
    let findings: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    let steps: Vec<StepFuture<'_>> = names
        .iter()
        .map(|&id| {
            let order = STEPS.iter().position(|n| *n == id).unwrap_or(STEPS.len());
            let (ctx, log, findings) = (&ctx, &log, &findings);
            Box::pin(async move {
                let queries = steps::shown_queries(ctx, id);
                log.run(order, id, ctx.title(id), queries, async move {
                    let outcome = steps::run(ctx, id).await;
                    findings
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .extend(outcome.findings);
                    match outcome.status {
                        Status::Ok => Ok(((), None)),
                        Status::Warning(w) => Ok(((), Some(w))),
                        Status::Failed(e) => Err(StepError::Failed(e)),
                        Status::Skipped(s) => Err(StepError::Skipped(s)),
                    }
                })
                .await;
            }) as StepFuture<'_>
        })
        .collect();
    futures::future::join_all(steps).await;

    let mut report = Report::new(
        "check",
        Target {
            service: None,
            operation: None,
        },
        ctx.at.to_string(),
        crate::clock::format_duration(settings.lookback),
    );
    report.steps = log.into_steps();
    if report.steps.iter().all(|s| s.status == StepStatus::Skipped) {
        return Err(UsageError::with_hint(
            "no check could run: none of the backends they read is configured",
            "pass --kubeconfig (or set KUBECONFIG) to find the stack in the cluster, or \
             --prometheus-url, --jaeger-url, --collector-otlp-url, ... (tracectl check --help), \
             or set them in the config context (with a kubeconfig, `tracectl config init` writes \
             one from what it finds)",
        )
        .into());
    }
    report.finish(findings.into_inner().unwrap_or_else(|p| p.into_inner()));
    if let Some(d) = analysis::diagnosis(&report.findings, &report.steps) {
        report.diagnosis = d;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(only: &[&str], skip: &[&str]) -> CheckArgs {
        CheckArgs {
            only: only.iter().map(|s| s.to_string()).collect(),
            skip: skip.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn selection_keeps_report_order() {
        assert_eq!(selected(&args(&[], &[])).unwrap(), STEPS);
        assert_eq!(
            selected(&args(&["grafana-health", "prometheus-ready"], &[])).unwrap(),
            ["prometheus-ready", "grafana-health"]
        );
        let s = selected(&args(&[], &["tracing-pods", "jaeger-monitor"])).unwrap();
        assert_eq!(s.len(), STEPS.len() - 2);
        assert!(!s.contains(&"tracing-pods"));
        let e = selected(&args(&["grafana"], &[])).unwrap_err();
        assert!(e.hint.unwrap().contains("grafana-health"));
        assert!(selected(&args(&["grafana-health"], &["grafana-health"])).is_err());
    }

    #[test]
    fn every_kind_check_and_alerts_emit_is_explained() {
        let docs = runbook::finding_docs(None).unwrap();
        for kind in [
            "component_down",
            "component_degraded",
            "spans_dropped",
            "exporter_failures",
            "storage_unhealthy",
            "unmatched_alert",
        ] {
            assert!(
                docs.contains_key(kind),
                "`tracectl explain {kind}` has no text"
            );
        }
    }

    #[test]
    fn check_runbook_knows_every_step() {
        let rb = runbook::load("check", None).unwrap();
        rb.validate(STEPS, VARS, "check").unwrap();
        let ids: Vec<&str> = rb.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, STEPS, "the runbook lists every check, in report order");
        assert_eq!(
            crate::cli::check_names(),
            STEPS,
            "--only/--skip take the runbook's step ids"
        );
    }
}
