//! What `deploy apply` and every changing `maintain` subcommand share around a plan: the
//! confirmation (a terminal asks, a script says `--yes`, anything else is refused before a change),
//! the journal's place and its `begin` line, the exit code after a run and a rollback, and the last
//! scrub of secrets from what is printed. Not here: the plans, the executors, the order of actions
//! (`crate::mutation`). Tests: below; the refusals end to end in `tests/it/deploy.rs` and
//! `tests/it/maintain.rs`.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Exit;
use crate::error::UsageError;
use crate::mutation::confirm::{self, Consent};
use crate::mutation::journal::{self, Entry, Journal, Undo};
use crate::mutation::runner::{ActionReport, ActionStatus, Outcome};
use crate::settings::Settings;

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

/// The contract's exit code after a run: 0 it succeeded; 3 it failed and nothing it changed is
/// left (rolled back, or nothing changed yet); 4 changes are left in place.
pub fn exit_after(outcome: &Outcome, rolled_back: Option<bool>, touched: usize) -> Exit {
    match (outcome, rolled_back) {
        (Outcome::Succeeded, _) => Exit::Ok,
        (_, Some(true)) => Exit::Incomplete,
        (_, Some(false)) => Exit::NeedsHuman,
        (_, None) if touched > 0 => Exit::NeedsHuman,
        (_, None) => Exit::Incomplete,
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
        assert_eq!(exit_after(&Outcome::Succeeded, None, 3), Exit::Ok);
        assert_eq!(exit_after(&failed, Some(true), 3), Exit::Incomplete);
        assert_eq!(exit_after(&failed, Some(false), 3), Exit::NeedsHuman);
        assert_eq!(exit_after(&failed, None, 3), Exit::NeedsHuman);
        assert_eq!(exit_after(&failed, None, 0), Exit::Incomplete);
        assert_eq!(exit_after(&Outcome::Interrupted, None, 1), Exit::NeedsHuman);
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
