//! What `deploy apply` and every changing `maintain` subcommand share around a plan: the
//! confirmation (a terminal asks, a script says `--yes`, anything else is refused before a change),
//! the journal's place and its `begin` line, running a plan journaled and offering the rollback on
//! a failure ([`run`]), how the run ended ([`Ending`], which the command maps to the contract's
//! exit code) and what it says on stderr, and the last scrub of secrets from what is printed.
//! Not here: the plans (`crate::mutation::ops`), the executor (`crate::mutation::exec`), the order
//! of actions (`crate::mutation::runner`), printing (`crate::render::plan`). Tests: below; the
//! refusals end to end in `tests/it/deploy.rs` and `tests/it/maintain.rs`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Plan;
use super::exec::Exec;
use super::progress::Progress;
use crate::backends::kubernetes::Kube;
use crate::error::{ErrorKind, UsageError};
use crate::mutation::confirm::{self, Consent};
use crate::mutation::journal::{self, Entry, Journal, Undo};
use crate::mutation::runner::{self, ActionReport, ActionStatus, Outcome, Stop};
use crate::settings::Settings;

/// How a run ended, for the contract's exit code (the command maps it): 0, 3 or 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It succeeded (0).
    Succeeded,
    /// It failed and nothing it changed is left: rolled back, or nothing changed yet (3).
    NothingLeft,
    /// It failed or stopped and changes are left in place (4).
    ChangesLeft,
}

/// The one Kubernetes connection of a `deploy` or `maintain` run; no kubeconfig is a usage error.
pub async fn connect(settings: &Settings, what: &str) -> Result<Kube> {
    if !settings.kube_available {
        return Err(UsageError::with_hint(
            format!("{what} needs a Kubernetes cluster, and no kubeconfig was found"),
            "pass --kubeconfig PATH (or set KUBECONFIG), and --kube-context NAME if needed",
        )
        .into());
    }
    settings.kube().await.map_err(|e| match e.kind {
        ErrorKind::NotConfigured => anyhow::Error::new(UsageError::with_hint(
            e.to_string(),
            "pass --kubeconfig PATH (or set KUBECONFIG)",
        )),
        _ => anyhow::Error::new(e),
    })
}

/// Where and how a plan runs.
pub struct RunSpec<'a> {
    /// The journal file's suffix: `deploy`, `maintain-backup`.
    pub journal_name: &'a str,
    /// The journal's `begin` command: `deploy apply`, `maintain backup`.
    pub command: &'a str,
    pub namespace: &'a str,
    pub context: Option<String>,
    /// `--journal PATH`.
    pub journal: Option<&'a Path>,
    /// `--rollback-on-failure`: roll back without asking.
    pub rollback_on_failure: bool,
}

/// What a run did, for the result and the exit code.
pub struct Applied {
    pub outcome: Outcome,
    pub rolled_back: Option<bool>,
    pub touched: usize,
    pub journal: Option<PathBuf>,
    pub actions: Vec<ActionReport>,
    pub rollback: Vec<ActionReport>,
}

/// Journal and run `plan` (its changes already confirmed) through the executor `exec` makes for
/// the journal's path, and on a failure that changed something offer the rollback (a terminal
/// asks; `--rollback-on-failure` does it).
pub async fn run<'a>(
    plan: &Plan,
    spec: &RunSpec<'_>,
    exec: impl FnOnce(Option<&Path>) -> Exec<'a>,
    stop: &Stop,
    progress: &Progress,
) -> Result<Applied> {
    let (mut journal, path) = if plan.changes() > 0 {
        let path = journal_path(spec.journal, spec.journal_name)?;
        let j = begin_journal(
            &path,
            spec.command,
            spec.namespace,
            plan.cluster.clone(),
            spec.context.clone(),
        )?;
        progress.note(&format!("journal: {}", path.display()));
        (j, Some(path))
    } else {
        (Journal::disabled(), None)
    };
    let exec = exec(path.as_deref());
    let run = runner::apply(plan, &mut journal, &exec, stop, progress).await;
    let mut rollback = Vec::new();
    let mut rolled_back = None;
    if let Outcome::Failed { action, error } = &run.outcome
        && run.touched > 0
        && let Some(p) = &path
    {
        let wanted = spec.rollback_on_failure
            || (confirm::interactive()
                && confirm::ask(&format!(
                    "{action} failed: {error}\nRoll back what this run changed?"
                )));
        if wanted {
            let entries = journal::read(p)?;
            rollback = runner::rollback(&entries, &mut journal, &exec, stop, progress).await;
            rolled_back = Some(all_undone(&rollback));
        }
    }
    Ok(Applied {
        outcome: run.outcome,
        rolled_back,
        touched: run.touched,
        journal: path,
        actions: run.actions,
        rollback,
    })
}

impl Applied {
    pub fn ending(&self) -> Ending {
        ending(&self.outcome, self.rolled_back, self.touched)
    }

    /// What stderr says after the result: what failed, what is left and how to undo it. `undo`:
    /// the rollback command; `again`: what to do instead (`apply again`, `run it again`).
    pub fn complaint(&self, undo: &str, again: &str, retry_interrupted: bool) -> Option<String> {
        let undo = self
            .journal
            .as_ref()
            .map(|p| format!("{undo} --journal {}", p.display()))
            .unwrap_or_default();
        match (&self.outcome, self.ending()) {
            (Outcome::Failed { action, error }, Ending::ChangesLeft) => Some(format!(
                "error: {action} failed and what this run changed is still in place: {error}\nhint: undo it with `{undo}`, or fix the cause and {again}"
            )),
            (Outcome::Failed { action, error }, _) => {
                let mut s = format!("error: {action} failed: {error}");
                if self.rolled_back == Some(true) {
                    s.push_str(&format!(
                        "\nwhat this run changed was rolled back (journal: {})",
                        self.journal
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .as_deref()
                            .unwrap_or("-")
                    ));
                }
                Some(s)
            }
            (Outcome::Interrupted, Ending::ChangesLeft) => Some(format!(
                "error: interrupted; what this run changed is still in place\nhint: undo it with `{undo}`{}",
                if retry_interrupted {
                    format!(", or {again}")
                } else {
                    String::new()
                }
            )),
            (Outcome::Interrupted, _) => Some("error: interrupted before any change".into()),
            _ => None,
        }
    }
}

/// `--journal PATH`, or a new file named after the time and the command in the default directory.
pub fn journal_path(explicit: Option<&Path>, command: &str) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let dir = journal::default_dir().ok_or_else(|| {
        UsageError::with_hint(
            "no place for the journal: neither XDG_STATE_HOME nor HOME is set",
            "pass --journal PATH",
        )
    })?;
    Ok(journal::new_path(
        &dir,
        crate::clock::Clock::system().now(),
        command,
    ))
}

/// The journal a rollback undoes, open for appending, and its entries: `--journal PATH`, or the
/// newest of `command` (`deploy`, `maintain`) in the default directory.
pub fn open_for_rollback(
    explicit: Option<&Path>,
    command: &str,
) -> Result<(PathBuf, Journal, Vec<Entry>)> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let dir = journal::default_dir().ok_or_else(|| {
                UsageError::with_hint(
                    "no journal directory: HOME is not set",
                    "pass --journal PATH",
                )
            })?;
            journal::latest(&dir, command).ok_or_else(|| {
                UsageError::with_hint(
                    format!("no {command} journal in {}", dir.display()),
                    "pass --journal PATH",
                )
            })?
        }
    };
    let (j, entries) = Journal::open(&path).map_err(|e| {
        UsageError::with_hint(
            e.to_string(),
            format!("pass the journal a `{command}` run named, with --journal PATH"),
        )
    })?;
    Ok((path, j, entries))
}

/// A rollback runs only against the cluster its journal was written against (`cluster`, the
/// journal's `begin`), compared with the current context's `current`.
pub fn same_cluster(path: &Path, cluster: Option<&str>, current: &str) -> Result<()> {
    match cluster {
        Some(c) if c.trim_end_matches('/') != current.trim_end_matches('/') => {
            Err(UsageError::with_hint(
                format!(
                    "{} was written against {c}, but the current context is {current}: nothing was changed",
                    path.display()
                ),
                "pick the cluster with --kube-context / --kubeconfig",
            )
            .into())
        }
        _ => Ok(()),
    }
}

/// A new journal at `path`, its `begin` line written.
pub fn begin_journal(
    path: &Path,
    command: &str,
    namespace: &str,
    cluster: Option<String>,
    kube_context: Option<String>,
) -> Result<Journal> {
    let mut j = Journal::create(path)?;
    j.write(&Entry::Begin {
        schema: journal::SCHEMA.into(),
        at: crate::clock::Clock::system().now(),
        command: command.into(),
        namespace: namespace.into(),
        cluster,
        kube_context,
        tracectl_version: env!("CARGO_PKG_VERSION").into(),
    })?;
    Ok(j)
}

/// Whether to go on with `changes` changes: `--yes` does; on a terminal the plan is shown on
/// stderr and the question asked (`Ok(false)`: declined, nothing changed); otherwise a usage error
/// (exit 2) that says how to review and confirm.
pub fn confirm_changes(
    changes: usize,
    yes: bool,
    plan_text: impl FnOnce() -> String,
    review: &str,
    confirmed: &str,
) -> Result<bool> {
    if changes == 0 {
        return Ok(true);
    }
    let plural = if changes == 1 { "" } else { "s" };
    match confirm::consent(yes, confirm::interactive()) {
        Consent::Given => Ok(true),
        Consent::Refused => Err(UsageError::with_hint(
            format!(
                "{changes} change{plural} planned and no terminal to confirm them: nothing was changed"
            ),
            format!("review them with `{review}`, then run `{confirmed}`"),
        )
        .into()),
        Consent::Ask => {
            eprint!("{}", plan_text());
            let yes = confirm::ask(&format!("Apply {changes} change{plural}?"));
            if !yes {
                eprintln!("cancelled: nothing was changed");
            }
            Ok(yes)
        }
    }
}

/// Whether to undo `pending` (a rollback): `--yes` does; a terminal is shown the list and asked;
/// otherwise a usage error naming `confirmed`, the command that says yes.
pub fn confirm_undo(pending: &[Undo], yes: bool, confirmed: &str) -> Result<bool> {
    let n = pending.len();
    let plural = if n == 1 { "" } else { "s" };
    match confirm::consent(yes, confirm::interactive()) {
        Consent::Given => Ok(true),
        Consent::Refused => Err(UsageError::with_hint(
            format!("{n} action{plural} to undo and no terminal to confirm: nothing was changed"),
            format!("run `{confirmed}`"),
        )
        .into()),
        Consent::Ask => {
            for u in pending {
                let a = &u.action;
                eprintln!(
                    "  {} {}: {}",
                    a.step_id,
                    a.summary,
                    a.inverse.as_ref().map(|i| i.describe()).unwrap_or_default()
                );
            }
            let yes = confirm::ask(&format!("Undo these {n} action{plural}?"));
            if !yes {
                eprintln!("cancelled: nothing was changed");
            }
            Ok(yes)
        }
    }
}

/// How a run ended: succeeded; failed and nothing it changed is left (rolled back, or nothing
/// changed yet); changes left in place.
pub fn ending(outcome: &Outcome, rolled_back: Option<bool>, touched: usize) -> Ending {
    match (outcome, rolled_back) {
        (Outcome::Succeeded, _) => Ending::Succeeded,
        (_, Some(true)) => Ending::NothingLeft,
        (_, Some(false)) => Ending::ChangesLeft,
        (_, None) if touched > 0 => Ending::ChangesLeft,
        (_, None) => Ending::NothingLeft,
    }
}

/// Every undo done (or kept): none failed, none left by a stop.
pub fn all_undone(reports: &[ActionReport]) -> bool {
    reports
        .iter()
        .all(|r| !matches!(r.status, ActionStatus::Failed | ActionStatus::NotRun))
}

/// The result's `outcome` word.
pub fn outcome_word(outcome: &Outcome, rolled_back: Option<bool>, changes: usize) -> &'static str {
    match (outcome, rolled_back) {
        (Outcome::Succeeded, _) if changes == 0 => "unchanged",
        (Outcome::Succeeded, _) => "succeeded",
        (Outcome::Interrupted, _) => "interrupted",
        (Outcome::Failed { .. }, Some(true)) => "rolled_back",
        (Outcome::Failed { .. }, Some(false)) => "rollback_failed",
        (Outcome::Failed { .. }, None) => "failed",
    }
}

/// The last guard: a secret never reaches the screen.
pub fn scrub(settings: &Settings, mut text: String) -> String {
    for s in settings.secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(s.as_str(), "***");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_contract() {
        let failed = Outcome::Failed {
            action: "a".into(),
            error: "e".into(),
        };
        assert_eq!(ending(&Outcome::Succeeded, None, 3), Ending::Succeeded);
        assert_eq!(ending(&failed, Some(true), 3), Ending::NothingLeft);
        assert_eq!(ending(&failed, Some(false), 3), Ending::ChangesLeft);
        assert_eq!(ending(&failed, None, 3), Ending::ChangesLeft);
        assert_eq!(ending(&failed, None, 0), Ending::NothingLeft);
        assert_eq!(ending(&Outcome::Interrupted, None, 1), Ending::ChangesLeft);
    }

    #[test]
    fn a_rollback_stays_on_its_journals_cluster() {
        let j = Path::new("/s/j.jsonl");
        assert!(same_cluster(j, Some("https://a:6443/"), "https://a:6443").is_ok());
        assert!(same_cluster(j, None, "https://b:6443").is_ok());
        let e = same_cluster(j, Some("https://a:6443"), "https://b:6443").unwrap_err();
        assert!(
            e.to_string().contains("written against https://a:6443"),
            "{e}"
        );
    }

    #[test]
    fn outcome_words() {
        let failed = Outcome::Failed {
            action: "a".into(),
            error: "e".into(),
        };
        assert_eq!(outcome_word(&Outcome::Succeeded, None, 0), "unchanged");
        assert_eq!(outcome_word(&Outcome::Succeeded, None, 2), "succeeded");
        assert_eq!(outcome_word(&failed, Some(true), 2), "rolled_back");
        assert_eq!(outcome_word(&failed, Some(false), 2), "rollback_failed");
        assert_eq!(outcome_word(&failed, None, 2), "failed");
    }
}
