//! `tracectl deploy apply`: plan, confirm, journal, run, offer the rollback on a failure, annotate,
//! print the result, and the exit code of the contract (0; 3 rolled back or nothing changed; 4
//! changes left in place, the journal named).
//!
//! Not here: computing the plan (`crate::mutation::ops::deploy`), what each action does
//! (`crate::mutation::exec`), the journal and the order (`crate::mutation`). Tests:
//! `tests/it/deploy.rs` end to end.

use anyhow::Result;

use super::{note_grafana, plan, prepare, refuse_bundles, render, verify_target};
use crate::backends::grafana::{Annotation, GrafanaClient};
use crate::cli::{DeployApplyArgs, GlobalArgs};
use crate::commands::{Exit, print};
use crate::error::{Backend, UsageError};
use crate::mutation::exec::{Exec, values_dir};
use crate::mutation::progress::Progress;
use crate::mutation::runner::Stop;
use crate::mutation::session::{self, RunSpec};
use crate::render::plan::{DEPLOY_SCHEMA, PlanFormat, RunResult};
use crate::settings::Settings;

pub async fn run(g: &GlobalArgs, argv: &[String], a: &DeployApplyArgs) -> Result<Exit> {
    let format = refuse_bundles(g, "apply")?;
    let (settings, d) = prepare(g, argv, &a.inputs).await?;
    let planned = plan::plan(&d).await?;
    if let Some(e) = &planned.helm_missing {
        return Err(UsageError::with_hint(format!("{e}: nothing was changed"), e.hint()).into());
    }
    let mut plan = planned.plan;
    note_grafana(&settings, &mut plan);
    let changes = plan.changes();
    if !session::confirm_changes(
        changes,
        a.yes,
        || render::plan(&plan, PlanFormat::Table),
        "tracectl deploy plan",
        "tracectl deploy apply --yes",
    )? {
        return Ok(Exit::Ok);
    }

    let started = crate::clock::Clock::system().now();
    let progress = Progress::new(settings.progress);
    let target = verify_target(&settings, &d.inputs.namespace, &d.inputs.verify);
    let spec = RunSpec {
        journal_name: "deploy",
        command: "deploy apply",
        namespace: &d.inputs.namespace,
        context: settings.kubernetes.context.clone(),
        journal: a.journal.as_deref(),
        rollback_on_failure: a.rollback_on_failure,
    };
    let exec = |journal: Option<&std::path::Path>| Exec {
        namespace: &d.inputs.namespace,
        started,
        kube: Some(&d.kube),
        helm: &d.helm,
        elasticsearch: None,
        grafana: None,
        clock: &settings.clock,
        password: d.password.as_ref(),
        values_dir: values_dir(journal),
        verify: Some(&target),
        checks: None,
        progress: &progress,
    };
    let stop = Stop::on_signals();
    let done = session::run(&plan, &spec, exec, &stop, &progress).await?;
    let outcome = session::outcome_word(&done.outcome, done.rolled_back, changes);
    annotate(&settings, &d.inputs.namespace, started, outcome, changes).await;

    let ending = done.ending();
    let complaint = done.complaint("tracectl deploy rollback", "apply again", true);
    let result = RunResult {
        schema: DEPLOY_SCHEMA,
        command: "deploy apply".into(),
        namespace: d.inputs.namespace.clone(),
        cluster: plan.cluster.clone(),
        outcome: outcome.into(),
        journal: done.journal.as_ref().map(|p| p.display().to_string()),
        actions: done.actions,
        rollback: done.rollback,
        notes: plan.notes.clone(),
    };
    print(&session::scrub(&settings, render::result(&result, format)))?;
    if let Some(c) = complaint {
        eprintln!("{c}");
    }
    Ok(ending.into())
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
