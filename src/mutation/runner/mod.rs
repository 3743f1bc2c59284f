//! Running a plan, and undoing it, through an [`Executor`]: the order, the journal, stopping.
//!
//! [`apply`] takes the actions in plan order: unchanged ones are skipped; for each other one an
//! `intent` line is made durable, the executor runs it, and `done` or `failed` follows. The first
//! failure stops the run; so does a signal ([`Stop`]), but only between actions: a change that has
//! started is finished and journaled (checks, which change nothing, are cancelled at once).
//! [`rollback`] replays a journal backwards ([`super::journal::pending_undos`]), journaling each
//! undo, and goes on past a failed undo so that as much as possible is put back; the caller turns
//! any failure into exit code 4. What an action *means* (a Helm upgrade, a server-side apply) is
//! the executor's, per command. Tests: `tests.rs`, with a scripted executor.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::Notify;

use super::journal::{Certainty, Entry, Journal, Undo, pending_undos};
use super::{ActionResult, Change, Inverse, Plan, PlannedAction};

/// Why an action (or its undo) failed: one line, and the action that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ActionError {
    pub message: String,
    pub hint: Option<String>,
}

impl ActionError {
    pub fn new(message: impl Into<String>) -> Self {
        ActionError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ActionError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// `message; hint: ...`, for a one-line report field.
    pub fn one_line(&self) -> String {
        match &self.hint {
            Some(h) => format!("{}; hint: {h}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Does the actions of one command.
pub trait Executor {
    /// Check that what `action.observed` says still holds, then do it.
    fn apply(
        &self,
        action: &PlannedAction,
        backup: Option<&serde_json::Value>,
    ) -> impl Future<Output = Result<ActionResult, ActionError>>;

    /// Undo one action. Where `undo.certainty` is not [`Certainty::Done`], look first and undo
    /// only what did change. `Ok`: what was done, in words.
    fn undo(&self, undo: &Undo) -> impl Future<Output = Result<String, ActionError>>;
}

/// Told as actions start and finish (progress on stderr).
pub trait Observer {
    fn started(&self, _summary: &str) {}
    fn finished(&self, _report: &ActionReport) {}
}

/// Observes nothing.
pub struct Quiet;
impl Observer for Quiet {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Done,
    Unchanged,
    Failed,
    /// After a failure or a stop, the rest of the plan.
    NotRun,
    /// A check cancelled by a signal.
    Interrupted,
    /// Rollback: undone.
    Undone,
    /// Rollback: cannot be undone (an updated Secret), left as it is.
    Kept,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Done => "done",
            ActionStatus::Unchanged => "unchanged",
            ActionStatus::Failed => "failed",
            ActionStatus::NotRun => "not run",
            ActionStatus::Interrupted => "interrupted",
            ActionStatus::Undone => "undone",
            ActionStatus::Kept => "kept",
        }
    }
}

/// What happened to one action (or one undo).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionReport {
    pub id: String,
    pub step: u8,
    pub step_id: String,
    pub summary: String,
    pub change: Change,
    pub status: ActionStatus,
    pub duration_ms: u64,
    pub detail: Option<String>,
    pub error: Option<String>,
}

impl ActionReport {
    fn of(a: &PlannedAction, status: ActionStatus) -> Self {
        ActionReport {
            id: a.id.clone(),
            step: a.step,
            step_id: a.step_id.clone(),
            summary: a.summary.clone(),
            change: a.change,
            status,
            duration_ms: 0,
            detail: None,
            error: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Failed { action: String, error: String },
    Interrupted,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed { .. } => "failed",
            Outcome::Interrupted => "interrupted",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunReport {
    pub outcome: Outcome,
    pub actions: Vec<ActionReport>,
    /// Changes made (done creates and updates), and actions started whose outcome may be a
    /// change (failed ones with an inverse): what a rollback would look at.
    pub touched: usize,
}

/// A stop request from SIGINT or SIGTERM, shared by everything that runs.
#[derive(Clone, Default)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Stop {
    pub fn new() -> Self {
        Stop::default()
    }

    /// A stop that SIGINT (Ctrl-C) and SIGTERM trigger. Must be called inside the runtime.
    pub fn on_signals() -> Self {
        let stop = Stop::new();
        let s = stop.clone();
        tokio::spawn(async move {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                let mut term = match signal(SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for SIGTERM");
                        let _ = tokio::signal::ctrl_c().await;
                        s.trigger();
                        return;
                    }
                };
                loop {
                    tokio::select! {
                        r = tokio::signal::ctrl_c() => if r.is_err() { return },
                        _ = term.recv() => {}
                    }
                    s.trigger();
                }
            }
            #[cfg(not(unix))]
            loop {
                if tokio::signal::ctrl_c().await.is_err() {
                    return;
                }
                s.trigger();
            }
        });
        stop
    }

    pub fn trigger(&self) {
        if !self.flag.swap(true, Ordering::SeqCst) {
            eprintln!(
                "tracectl: stopping after the current action (its journal line is written first)"
            );
        }
        self.notify.notify_waiters();
    }

    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Resolves once a stop is requested.
    pub async fn stopped(&self) {
        loop {
            // Registered before the check, so a trigger in between is not missed.
            let notified = self.notify.notified();
            if self.is_stopped() {
                return;
            }
            notified.await;
        }
    }
}

fn now() -> jiff::Timestamp {
    crate::clock::Clock::system().now()
}

/// Run `plan`. The journal must already hold its `begin` line; `end` is written here.
pub async fn apply(
    plan: &Plan,
    journal: &mut Journal,
    exec: &impl Executor,
    stop: &Stop,
    observer: &dyn Observer,
) -> RunReport {
    let mut reports = Vec::new();
    let mut outcome = Outcome::Succeeded;
    let mut touched = 0;
    for action in &plan.actions {
        if outcome != Outcome::Succeeded {
            reports.push(ActionReport::of(action, ActionStatus::NotRun));
            continue;
        }
        if action.change == Change::Unchanged {
            let r = ActionReport::of(action, ActionStatus::Unchanged);
            observer.finished(&r);
            reports.push(r);
            continue;
        }
        if stop.is_stopped() {
            outcome = Outcome::Interrupted;
            reports.push(ActionReport::of(action, ActionStatus::NotRun));
            continue;
        }
        let seq = journal.next_seq();
        let mut report = ActionReport::of(action, ActionStatus::Done);
        if let Err(e) = journal.write(&Entry::Intent {
            seq,
            at: now(),
            action: Box::new(action.clone()),
            backup: action.backup.clone(),
        }) {
            // Not started: a change the journal does not know of could not be rolled back.
            report.status = ActionStatus::Failed;
            report.error = Some(e.to_string());
            outcome = Outcome::Failed {
                action: action.id.clone(),
                error: e.to_string(),
            };
            observer.finished(&report);
            reports.push(report);
            continue;
        }
        observer.started(&action.summary);
        let start = Instant::now();
        let reversible = action.inverse.is_some();
        let result = if reversible {
            exec.apply(action, action.backup.as_ref()).await
        } else {
            // A check or a refresh changes nothing: a stop cancels it at once.
            tokio::select! {
                r = exec.apply(action, action.backup.as_ref()) => r,
                _ = stop.stopped() => Err(ActionError::new("interrupted")),
            }
        };
        report.duration_ms = start.elapsed().as_millis() as u64;
        let written = match result {
            Ok(done) => {
                if action.change.is_change() {
                    touched += 1;
                }
                report.detail = Some(done.detail.clone());
                journal.write(&Entry::Done {
                    seq,
                    at: now(),
                    result: done,
                })
            }
            Err(e) if !reversible && stop.is_stopped() => {
                report.status = ActionStatus::Interrupted;
                outcome = Outcome::Interrupted;
                journal.write(&Entry::Failed {
                    seq,
                    at: now(),
                    error: e.to_string(),
                })
            }
            Err(e) => {
                if reversible {
                    touched += 1;
                }
                report.status = ActionStatus::Failed;
                report.error = Some(e.one_line());
                outcome = Outcome::Failed {
                    action: action.id.clone(),
                    error: e.one_line(),
                };
                journal.write(&Entry::Failed {
                    seq,
                    at: now(),
                    error: e.one_line(),
                })
            }
        };
        if let Err(e) = written {
            // The action ran; its outcome line is lost, which a rollback treats as unknown.
            tracing::warn!(error = %e, "cannot write the journal");
            if outcome == Outcome::Succeeded {
                outcome = Outcome::Failed {
                    action: action.id.clone(),
                    error: e.to_string(),
                };
            }
        }
        observer.finished(&report);
        reports.push(report);
    }
    if let Err(e) = journal.write(&Entry::End {
        at: now(),
        outcome: outcome.as_str().into(),
    }) {
        tracing::warn!(error = %e, "cannot write the journal's end line");
    }
    RunReport {
        outcome,
        actions: reports,
        touched,
    }
}

/// Undo what the journal says was done, newest first. Every undo is journaled.
pub async fn rollback(
    entries: &[Entry],
    journal: &mut Journal,
    exec: &impl Executor,
    stop: &Stop,
    observer: &dyn Observer,
) -> Vec<ActionReport> {
    let mut reports = Vec::new();
    for undo in pending_undos(entries) {
        let a = &undo.action;
        if stop.is_stopped() {
            // Between undos only: the rest stays in the journal for the next rollback.
            let mut r = ActionReport::of(a, ActionStatus::NotRun);
            r.summary = format!("undo: {}", a.summary);
            reports.push(r);
            continue;
        }
        let mut report = ActionReport::of(a, ActionStatus::Undone);
        let inverse = a.inverse.clone().unwrap_or(Inverse::Keep {
            reason: "no inverse".into(),
        });
        report.summary = format!("undo: {}", a.summary);
        if let Inverse::Keep { reason } = &inverse {
            report.status = ActionStatus::Kept;
            report.detail = Some(reason.clone());
            let _ = journal.write(&Entry::Undone {
                seq: undo.seq,
                at: now(),
                detail: format!("kept: {reason}"),
            });
            observer.finished(&report);
            reports.push(report);
            continue;
        }
        if let Err(e) = journal.write(&Entry::UndoIntent {
            seq: undo.seq,
            at: now(),
        }) {
            report.status = ActionStatus::Failed;
            report.error = Some(e.to_string());
            observer.finished(&report);
            reports.push(report);
            continue;
        }
        observer.started(&report.summary);
        let start = Instant::now();
        let result = exec.undo(&undo).await;
        report.duration_ms = start.elapsed().as_millis() as u64;
        let line = match result {
            Ok(detail) => {
                report.detail = Some(detail.clone());
                Entry::Undone {
                    seq: undo.seq,
                    at: now(),
                    detail,
                }
            }
            Err(e) => {
                report.status = ActionStatus::Failed;
                report.error = Some(e.one_line());
                Entry::UndoFailed {
                    seq: undo.seq,
                    at: now(),
                    error: e.one_line(),
                }
            }
        };
        if let Err(e) = journal.write(&line) {
            tracing::warn!(error = %e, "cannot write the journal");
        }
        observer.finished(&report);
        reports.push(report);
    }
    reports
}

/// True when the journal cannot say what the action (or an earlier undo of it) changed: the
/// executor must look before undoing.
pub fn must_look(undo: &Undo) -> bool {
    undo.certainty != Certainty::Done || undo.tried
}

#[cfg(test)]
mod tests;
