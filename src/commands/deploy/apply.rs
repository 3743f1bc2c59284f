//! `tracectl deploy apply`: plan, confirm, journal, run, offer the rollback on a failure, annotate,
//! print the result, and the exit code of the contract (0; 3 rolled back or nothing changed; 4
//! changes left in place, the journal named).
//!
//! Not here: computing the plan (`plan.rs`), what each action does (`exec.rs`), the journal and the
//! order (`crate::mutation`). Tests: below (exit codes); `tests/it/deploy.rs` end to end.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::exec::DeployExecutor;
use super::progress::DeployProgress;
use super::render::{self, DeployResult, RESULT_SCHEMA};
use super::{all_undone, note_grafana, plan, prepare, refuse_bundles, values_dir, verify_target};
use crate::backends::grafana::{Annotation, GrafanaClient};
use crate::cli::{DeployApplyArgs, GlobalArgs};
use crate::commands::{Exit, print};
use crate::error::{Backend, UsageError};
use crate::mutation::confirm::{self, Consent};
use crate::mutation::journal::{self, Entry, Journal};
use crate::mutation::runner::{self, Outcome, Stop};
use crate::settings::Settings;

fn journal_path(explicit: Option<&Path>) -> Result<PathBuf> {
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
        "deploy",
    ))
}

fn exit_after(outcome: &Outcome, rolled_back: Option<bool>, touched: usize) -> Exit {
    match (outcome, rolled_back) {
        (Outcome::Succeeded, _) => Exit::Ok,
        (_, Some(true)) => Exit::Incomplete,
        (_, Some(false)) => Exit::NeedsHuman,
        (_, None) if touched > 0 => Exit::NeedsHuman,
        (_, None) => Exit::Incomplete,
    }
}

pub async fn run(g: &GlobalArgs, argv: &[String], a: &DeployApplyArgs) -> Result<Exit> {
    refuse_bundles(g, "apply")?;
    let (settings, d) = prepare(g, argv, &a.inputs).await?;
    let planned = plan::plan(&d).await?;
    if let Some(e) = &planned.helm_missing {
        return Err(UsageError::with_hint(format!("{e}: nothing was changed"), e.hint()).into());
    }
    let mut plan = planned.plan;
    note_grafana(&settings, &mut plan);
    let changes = plan.changes();
    if changes > 0 {
        match confirm::consent(a.yes, confirm::interactive()) {
            Consent::Given => {}
            Consent::Refused => {
                return Err(UsageError::with_hint(
                    format!(
                        "{changes} change{} planned and no terminal to confirm them: nothing was changed",
                        if changes == 1 { "" } else { "s" }
                    ),
                    "review them with `tracectl deploy plan`, then run `tracectl deploy apply --yes`",
                )
                .into());
            }
            Consent::Ask => {
                eprint!(
                    "{}",
                    render::plan(&plan, crate::render::OutputFormat::Table)
                );
                if !confirm::ask(&format!(
                    "Apply {changes} change{}?",
                    if changes == 1 { "" } else { "s" }
                )) {
                    eprintln!("cancelled: nothing was changed");
                    return Ok(Exit::Ok);
                }
            }
        }
    }

    let started = crate::clock::Clock::system().now();
    let (mut journal, path) = if changes > 0 {
        let path = journal_path(a.journal.as_deref())?;
        let mut j = Journal::create(&path)?;
        j.write(&Entry::Begin {
            schema: journal::SCHEMA.into(),
            at: started,
            command: "deploy apply".into(),
            namespace: d.inputs.namespace.clone(),
            cluster: plan.cluster.clone(),
            kube_context: settings.kubernetes.context.clone(),
            tracectl_version: env!("CARGO_PKG_VERSION").into(),
        })?;
        (j, Some(path))
    } else {
        (Journal::disabled(), None)
    };
    let progress = DeployProgress::new(settings.progress);
    if let Some(p) = &path {
        progress.note(&format!("journal: {}", p.display()));
    }
    let target = verify_target(&settings, &d.inputs.namespace, &d.inputs.verify);
    let exec = DeployExecutor {
        kube: &d.kube,
        helm: &d.helm,
        password: d.password.as_ref(),
        values_dir: path
            .as_deref()
            .map(values_dir)
            .unwrap_or_else(|| std::env::temp_dir().join("tracectl-values")),
        verify: Some(&target),
        progress: &progress,
    };
    let stop = Stop::on_signals();
    let run = runner::apply(&plan, &mut journal, &exec, &stop, &progress).await;

    let mut rollback = Vec::new();
    let mut rolled_back = None;
    if let Outcome::Failed { action, error } = &run.outcome
        && run.touched > 0
        && let Some(p) = &path
    {
        let wanted = a.rollback_on_failure
            || (confirm::interactive()
                && confirm::ask(&format!(
                    "{action} failed: {error}\nRoll back what this run changed?"
                )));
        if wanted {
            let entries = journal::read(p)?;
            rollback = runner::rollback(&entries, &mut journal, &exec, &stop, &progress).await;
            rolled_back = Some(all_undone(&rollback));
        }
    }
    let outcome = match (&run.outcome, rolled_back) {
        (Outcome::Succeeded, _) if changes == 0 => "unchanged",
        (Outcome::Succeeded, _) => "succeeded",
        (Outcome::Interrupted, _) => "interrupted",
        (Outcome::Failed { .. }, Some(true)) => "rolled_back",
        (Outcome::Failed { .. }, Some(false)) => "rollback_failed",
        (Outcome::Failed { .. }, None) => "failed",
    };
    annotate(&settings, &d.inputs.namespace, started, outcome, changes).await;

    let exit = exit_after(&run.outcome, rolled_back, run.touched);
    let result = DeployResult {
        schema: RESULT_SCHEMA,
        command: "deploy apply".into(),
        namespace: d.inputs.namespace.clone(),
        cluster: plan.cluster.clone(),
        outcome: outcome.into(),
        journal: path.as_ref().map(|p| p.display().to_string()),
        actions: run.actions,
        rollback,
        notes: plan.notes.clone(),
    };
    print(&scrub(&settings, render::result(&result, settings.output)))?;
    let journal_hint = path
        .as_ref()
        .map(|p| format!("tracectl deploy rollback --journal {}", p.display()))
        .unwrap_or_default();
    match (&run.outcome, exit) {
        (Outcome::Failed { action, error }, Exit::NeedsHuman) => eprintln!(
            "error: {action} failed and what this run changed is still in place: {error}\nhint: undo it with `{journal_hint}`, or fix the cause and apply again"
        ),
        (Outcome::Failed { action, error }, _) => {
            eprintln!("error: {action} failed: {error}");
            if rolled_back == Some(true) {
                eprintln!(
                    "what this run changed was rolled back (journal: {})",
                    result.journal.as_deref().unwrap_or("-")
                );
            }
        }
        (Outcome::Interrupted, Exit::NeedsHuman) => eprintln!(
            "error: interrupted; what this run changed is still in place\nhint: undo it with `{journal_hint}`, or apply again"
        ),
        (Outcome::Interrupted, _) => eprintln!("error: interrupted before any change"),
        _ => {}
    }
    Ok(exit)
}

/// The last guard: a secret never reaches the screen.
fn scrub(settings: &Settings, mut text: String) -> String {
    for s in settings.secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(s.as_str(), "***");
    }
    text
}

/// Step 9: a Grafana region annotation over the deployment, with its outcome. A failure to
/// annotate is a warning; it changes nothing about the deployment.
async fn annotate(
    settings: &Settings,
    namespace: &str,
    started: jiff::Timestamp,
    outcome: &str,
    changes: usize,
) {
    let Some(e) = settings.endpoint(Backend::Grafana) else {
        return;
    };
    let ended = crate::clock::Clock::system().now();
    let a = Annotation {
        time_ms: started.as_millisecond(),
        end_ms: Some(ended.as_millisecond()),
        tags: vec!["tracectl".into(), "deploy".into(), outcome.into()],
        text: format!(
            "tracectl deploy to {namespace}: {} ({changes} change{} planned)",
            outcome.replace('_', " "),
            if changes == 1 { "" } else { "s" }
        ),
        dashboard_uid: None,
    };
    if let Err(err) = GrafanaClient::new(e.clone()).annotate(&a).await {
        eprintln!(
            "warning: cannot annotate the deployment in Grafana: {}",
            err.one_line()
        );
    }
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
}
