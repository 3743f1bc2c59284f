//! The step engine every runbook runs on: [`StepLog`] runs a step under the command's time
//! budget, times it, records it as a report [`Step`] and shows progress; [`StepError`] says why a
//! step has no evidence (skipped: its backend is not configured; failed: anything else). A failing
//! step never aborts the others: its record says "unavailable" and the run goes on.
//!
//! Why here and not in `runbook/` (where issue #16's sketch put it): every runbook that runs —
//! the investigations, `check`, `audit` — runs under `investigate/`, and the engine shows progress
//! on the terminal, which `runbook/` (the YAML as plain data, which `render` may document) must
//! not depend on. It knows nothing of any one runbook's steps. Not here: which steps a runbook has
//! (each runbook's registry in `investigate/<runbook>/`), or what a step does. Tests: below, and through every command's
//! integration tests (`tests/it/`).

use std::future::Future;
use std::sync::Mutex;
use std::time::Instant;

use crate::error::{BackendError, ErrorKind};
use crate::render::progress::Progress;
use crate::report::{Step, StepStatus};

/// Why a step did not produce its evidence.
#[derive(Debug, Clone)]
pub enum StepError {
    /// The backend it needs is not configured: not a failure of the system under investigation.
    Skipped(String),
    Failed(String),
}

impl StepError {
    /// Why, in one line (skipped or failed alike).
    pub fn reason(&self) -> &str {
        match self {
            StepError::Skipped(w) | StepError::Failed(w) => w,
        }
    }
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

/// Hears each step as it finishes: the MCP server turns these into progress notifications.
pub type StepWatch = std::sync::Arc<dyn Fn(&Step) + Send + Sync>;

tokio::task_local! {
    // A task-local rather than a field of `Settings` passed to every `StepLog::new`: the watcher
    // is one caller's concern (a tool call of `tracectl mcp`), and the runbooks that build their
    // logs need not know it exists. A log built outside `watched` hears nothing.
    static WATCH: StepWatch;
}

/// Run `fut` (an investigation) with `watch` told of every step that finishes in the logs it
/// builds.
pub async fn watched<F: Future>(watch: StepWatch, fut: F) -> F::Output {
    WATCH.scope(watch, fut).await
}

/// Runs steps, times them, keeps their records, and shows progress.
pub struct StepLog {
    progress: Progress,
    watch: Option<StepWatch>,
    deadline: tokio::time::Instant,
    budget: std::time::Duration,
    steps: Mutex<Vec<(usize, Step)>>,
}

impl StepLog {
    pub fn new(progress: bool, budget: std::time::Duration) -> Self {
        StepLog {
            progress: Progress::new(progress),
            watch: WATCH.try_with(StepWatch::clone).ok(),
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
        self.run_described(order, id, title, queries, async { (fut.await, None) })
            .await
    }

    /// [`StepLog::run`] for a step whose shown queries depend on what it finds (discovery asks
    /// again elsewhere when a call is refused, and says what each call found): the future
    /// returns them beside its result; `queries` are shown if it runs out of time.
    pub async fn run_described<T, F>(
        &self,
        order: usize,
        id: &'static str,
        title: String,
        mut queries: Vec<String>,
        fut: F,
    ) -> Option<T>
    where
        F: Future<Output = (Result<(T, Option<String>), StepError>, Option<Vec<String>>)>,
    {
        self.progress.step_started(id, &title);
        let start = Instant::now();
        let result = match tokio::time::timeout_at(self.deadline, fut).await {
            Ok((r, asked)) => {
                if let Some(asked) = asked {
                    queries = asked;
                }
                r
            }
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
        if let Some(w) = &self.watch {
            w(&step);
        }
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
