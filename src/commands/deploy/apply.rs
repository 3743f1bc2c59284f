//! `tracectl deploy apply`: plan, confirm, journal, run, offer the rollback on a failure, annotate,
//! print the result, and the exit code of the contract (0; 3 rolled back or nothing changed; 4
//! changes left in place, the journal named).
//!
//! Not here: computing the plan (`plan.rs`), what each action does (`exec.rs`), the journal and the
//! order (`crate::mutation`). Tests: below (exit codes); `tests/it/deploy.rs` end to end.

use anyhow::Result;

use super::exec::DeployExecutor;
use super::progress::DeployProgress;
use super::render::{self, DeployResult, RESULT_SCHEMA};
use super::{note_grafana, plan, prepare, refuse_bundles, values_dir, verify_target};
use crate::backends::grafana::{Annotation, GrafanaClient};
use crate::cli::{DeployApplyArgs, GlobalArgs};
use crate::commands::{Exit, mutate, print};
use crate::error::{Backend, UsageError};
use crate::mutation::confirm;
use crate::mutation::journal::{self, Journal};
use crate::mutation::runner::{self, Outcome, Stop};
use crate::settings::Settings;

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
    if !mutate::confirm_changes(
        changes,
        a.yes,
        || render::plan(&plan, crate::render::OutputFormat::Table),
        "tracectl deploy plan",
        "tracectl deploy apply --yes",
    )? {
        return Ok(Exit::Ok);
    }

    let started = crate::clock::Clock::system().now();
    let (mut journal, path) = if changes > 0 {
        let path = mutate::journal_path(a.journal.as_deref(), "deploy")?;
        let j = mutate::begin_journal(
            &path,
            "deploy apply",
            &d.inputs.namespace,
            plan.cluster.clone(),
            settings.kubernetes.context.clone(),
        )?;
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
            rolled_back = Some(mutate::all_undone(&rollback));
        }
    }
    let outcome = mutate::outcome_word(&run.outcome, rolled_back, changes);
    annotate(&settings, &d.inputs.namespace, started, outcome, changes).await;

    let exit = mutate::exit_after(&run.outcome, rolled_back, run.touched);
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
    print(&mutate::scrub(
        &settings,
        render::result(&result, settings.output),
    ))?;
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
