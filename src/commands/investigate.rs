//! `tracectl investigate ...`: run a runbook's steps concurrently, each timed and recorded as a
//! report step, a failing step never aborting the others, then rank what they found.
//! Tests: `tests/it/latency.rs`.

pub use crate::investigate::{alerts, dataloss, errors, latency, rollout};

use std::future::Future;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Result;

use super::{Exit, finish_report};
use crate::cli::Investigate;
use crate::error::{BackendError, ErrorKind};
use crate::render::progress::Progress;
use crate::report::{Step, StepStatus};
use crate::settings::Settings;

pub async fn run(settings: &Settings, cmd: &Investigate) -> Result<Exit> {
    let report = match cmd {
        Investigate::Latency(args) => latency::investigate(settings, args).await?,
        Investigate::Errors(args) => errors::investigate(settings, args).await?,
        Investigate::DataLoss(args) => dataloss::investigate(settings, args).await?,
        Investigate::Rollout(args) => rollout::investigate(settings, args).await?,
        Investigate::Alerts(args) => alerts::investigate_alerts(settings, args).await?,
    };
    let exit = finish_report(settings, &report)?;
    // A deploy gate fails closed: a rollout whose metrics could not be read is not a pass.
    if matches!(cmd, Investigate::Rollout(_))
        && exit == Exit::Ok
        && report.steps.iter().any(|s| {
            matches!(s.id.as_str(), "traffic" | "errors" | "latency")
                && s.status == StepStatus::Failed
        })
    {
        eprintln!(
            "error: the rollout's metrics could not be read, so it cannot pass as a gate\nhint: check Prometheus (see the failed steps)"
        );
        return Ok(Exit::Incomplete);
    }
    Ok(exit)
}

/// Why a step did not produce its evidence.
#[derive(Debug, Clone)]
pub enum StepError {
    /// The backend it needs is not configured: not a failure of the system under investigation.
    Skipped(String),
    Failed(String),
}

impl From<BackendError> for StepError {
    fn from(e: BackendError) -> Self {
        match e.kind {
            ErrorKind::NotConfigured => StepError::Skipped(format!(
                "{} not configured ({})",
                e.backend,
                e.backend.flag()
            )),
            _ => StepError::Failed(format!("{}; hint: {}", e.one_line(), e.hint())),
        }
    }
}

/// Runs steps, times them, keeps their records, and shows progress.
pub struct StepLog {
    progress: Progress,
    deadline: tokio::time::Instant,
    budget: std::time::Duration,
    steps: Mutex<Vec<(usize, Step)>>,
}

impl StepLog {
    pub fn new(progress: bool, budget: std::time::Duration) -> Self {
        StepLog {
            progress: Progress::new(progress),
            deadline: tokio::time::Instant::now() + budget,
            budget,
            steps: Mutex::new(Vec::new()),
        }
    }

    /// Run one step; `order` fixes its place in the report whatever order steps finish in.
    /// `Ok((value, warning))`: a warning marks the step `warning` (e.g. Prometheus warnings).
    pub async fn run<T, F>(
        &self,
        order: usize,
        id: &'static str,
        title: String,
        queries: Vec<String>,
        fut: F,
    ) -> Option<T>
    where
        F: Future<Output = Result<(T, Option<String>), StepError>>,
    {
        self.progress.step_started(id, &title);
        let start = Instant::now();
        let result = match tokio::time::timeout_at(self.deadline, fut).await {
            Ok(r) => r,
            Err(_) => Err(StepError::Failed(format!(
                "did not finish within the command's time budget ({}); hint: raise --command-timeout or narrow --lookback",
                crate::clock::format_duration(self.budget)
            ))),
        };
        let duration_ms = start.elapsed().as_millis() as u64;
        let (status, error, value) = match result {
            Ok((v, None)) => (StepStatus::Ok, None, Some(v)),
            Ok((v, Some(w))) => (StepStatus::Warning, Some(w), Some(v)),
            Err(StepError::Skipped(why)) => (StepStatus::Skipped, Some(why), None),
            Err(StepError::Failed(why)) => (StepStatus::Failed, Some(why), None),
        };
        let step = Step {
            id: id.to_string(),
            title,
            status,
            duration_ms,
            error,
            queries,
        };
        self.progress.step_finished(&step);
        self.steps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((order, step));
        value
    }

    pub fn into_steps(self) -> Vec<Step> {
        let mut v = self.steps.into_inner().unwrap_or_else(|p| p.into_inner());
        v.sort_by_key(|(o, _)| *o);
        v.into_iter().map(|(_, s)| s).collect()
    }
}
