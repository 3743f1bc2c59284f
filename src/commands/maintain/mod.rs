//! `tracectl maintain`: the maintenance runbook (guide section 3.2.2) as plans that are data,
//! applied with a journal and undone from it — the same machinery as `deploy` (`crate::mutation`).
//!
//! Each changing subcommand (`backup`, `restore`, `update`, `config`, `storage`, `scale`) only
//! *plans*: it reads the live state and appends actions to a [`Plan`] (`plan` functions in
//! `crate::mutation::ops`). [`apply`] then prints the plan (`--dry-run` stops there), confirms (a
//! terminal asks; `--yes`; otherwise exit 2), journals and runs it through
//! [`crate::mutation::exec::Exec`], and on a failure offers the rollback (`--rollback-on-failure`
//! for scripts): exit 3 when it was rolled back, 4 when changes are left. `window` strings several
//! plans into one, between a health check and a validation, under an Alertmanager silence
//! (`window/`). `health` and `validate` are `tracectl check`'s checks (`health.rs`), which also
//! run a window's check actions (the executor's [`crate::mutation::exec::RunChecks`]). `rollback`
//! replays a journal backwards.
//!
//! `--record`/`--replay` are refused: a replay cannot change anything, and a recording would hold
//! Secrets' values. So is `-o junit` (exit 2, before anything is read): a plan has no JUnit form.
//! This is the command's shell: arguments → [`Ctx`] → the plan (`crate::mutation::ops`) → confirm
//! and run (`crate::mutation::session`) → print (`crate::render::plan`) → exit code. Tests: unit
//! tests beside the code; `tests/it/maintain.rs` end to end against stateful Kubernetes, Grafana
//! and Elasticsearch fixtures and a real Alertmanager.

mod health;
mod window;

use anyhow::Result;

use super::{Exit, print, terminal};
use crate::cli::{ApplyFlags, GlobalArgs, MaintainCmd};
use crate::error::UsageError;
use crate::mutation::Plan;
use crate::mutation::exec::Exec;
use crate::mutation::journal;
use crate::mutation::ops::{Ctx, maintain};
use crate::mutation::progress::Progress;
use crate::mutation::runner::{self, Stop};
use crate::mutation::session::{self, Applied, RunSpec};
use crate::render::plan::{
    self as render, MAINTAIN_SCHEMA as RESULT_SCHEMA, PlanFormat, RunResult,
};
use crate::settings;

/// A maintenance run's [`Ctx`] and the format its plan and result print in. `--record`,
/// `--replay` and `-o junit` are refused here, before anything is read.
async fn prepare(g: &GlobalArgs, argv: &[String], sub: &str) -> Result<(Ctx, PlanFormat)> {
    let format = PlanFormat::from_output(
        g.output.unwrap_or(crate::render::OutputFormat::Table),
        &format!("maintain {sub}"),
    )?;
    if g.record.is_some() || g.replay.is_some() {
        return Err(UsageError::with_hint(
            format!(
                "maintain {sub} does not take --record or --replay: a replay cannot change anything, and a recording would hold Secrets' values"
            ),
            "`tracectl maintain health --record DIR` records the checks",
        )
        .into());
    }
    let settings = settings::resolve(g, argv, &terminal())?;
    // Live: a maintenance run is never recorded or replayed (refused above).
    let ctx = maintain::connect(settings, g.namespace.as_deref()).await?;
    Ok((ctx, format))
}

pub async fn run(g: &GlobalArgs, argv: &[String], cmd: &MaintainCmd) -> Result<Exit> {
    match cmd {
        MaintainCmd::Health(a) => health::run(g, argv, a, health::Phase::Health).await,
        MaintainCmd::Validate(a) => health::run(g, argv, a, health::Phase::Validate).await,
        MaintainCmd::Window(a) => window::run(g, argv, a).await,
        MaintainCmd::Rollback(a) => rollback(g, argv, a).await,
        MaintainCmd::Backup(_)
        | MaintainCmd::Restore(_)
        | MaintainCmd::Update(_)
        | MaintainCmd::Config(_)
        | MaintainCmd::Storage(_)
        | MaintainCmd::Scale(_) => {
            let Some((what, flags)) = maintain::changing_step(cmd) else {
                unreachable!("each of these plans a change")
            };
            let (mut ctx, format) = prepare(g, argv, what).await?;
            let plan = maintain::plan(&mut ctx, cmd).await?;
            apply(&ctx, format, plan, flags, what).await
        }
    }
}

/// Progress on stderr (nothing unless stderr is a terminal and not `-q`).
fn progress(ctx: &Ctx) -> Progress {
    Progress::new(ctx.settings.progress)
}

/// Print the plan, confirm, journal, run, offer the rollback, print the result.
async fn apply(
    ctx: &Ctx,
    format: PlanFormat,
    plan: Plan,
    flags: &ApplyFlags,
    what: &str,
) -> Result<Exit> {
    if flags.dry_run {
        print(&render::plan(&plan, format))?;
        return Ok(Exit::Ok);
    }
    if !session::confirm_changes(
        plan.changes(),
        flags.yes,
        || render::plan(&plan, PlanFormat::Table),
        &format!("tracectl maintain {what} --dry-run"),
        &format!("tracectl maintain {what} --yes"),
    )? {
        return Ok(Exit::Ok);
    }
    let stop = Stop::on_signals();
    let progress = progress(ctx);
    let done = run_plan(ctx, &plan, flags, what, &stop, &progress).await?;
    finish(ctx, format, &plan, what, done)
}

/// Journal and run `plan` (its changes already confirmed), rolling back on a failure when asked.
async fn run_plan(
    ctx: &Ctx,
    plan: &Plan,
    flags: &ApplyFlags,
    what: &str,
    stop: &Stop,
    progress: &Progress,
) -> Result<Applied> {
    let checks = health::Checks(&ctx.settings);
    let spec = RunSpec {
        journal_name: &format!("maintain-{what}"),
        command: &format!("maintain {what}"),
        namespace: &ctx.namespace,
        context: ctx.settings.kubernetes.context.clone(),
        journal: flags.journal.as_deref(),
        rollback_on_failure: flags.rollback_on_failure,
    };
    let exec =
        |journal: Option<&std::path::Path>| Exec::for_ctx(ctx, progress, journal, Some(&checks));
    session::run(plan, &spec, exec, stop, progress).await
}

/// Print the result of a run and turn it into the exit code, with a line on stderr that says what
/// is left and how to undo it.
fn finish(ctx: &Ctx, format: PlanFormat, plan: &Plan, what: &str, done: Applied) -> Result<Exit> {
    let outcome = session::outcome_word(&done.outcome, done.rolled_back, plan.changes());
    let ending = done.ending();
    let complaint = done.complaint("tracectl maintain rollback", "run it again", false);
    let result = RunResult {
        schema: RESULT_SCHEMA,
        command: format!("maintain {what}"),
        namespace: ctx.namespace.clone(),
        cluster: plan.cluster.clone(),
        outcome: outcome.into(),
        journal: done.journal.as_ref().map(|p| p.display().to_string()),
        actions: done.actions,
        rollback: done.rollback,
        notes: plan.notes.clone(),
    };
    print(&session::scrub(
        &ctx.settings,
        render::result(&result, format),
    ))?;
    if let Some(c) = complaint {
        eprintln!("{c}");
    }
    Ok(ending.into())
}

/// `maintain rollback`: undo a maintenance journal (the newest by default).
async fn rollback(
    g: &GlobalArgs,
    argv: &[String],
    a: &crate::cli::DeployRollbackArgs,
) -> Result<Exit> {
    let (path, mut j, entries) = session::open_for_rollback(a.journal.as_deref(), "maintain")?;
    let (mut ctx, format) = prepare(g, argv, "rollback").await?;
    if let Some(h) = &a.helm {
        ctx.helm.bin = h.clone();
    }
    if let (Some((_, cluster, _)), Some(kube)) = (journal::begin_of(&entries), &ctx.kube) {
        session::same_cluster(&path, cluster, kube.cluster_url())?;
    }
    let pending = journal::pending_undos(&entries);
    let plan = ctx.plan("rollback");
    let n = pending.len();
    if n > 0 && !session::confirm_undo(&pending, a.yes, "tracectl maintain rollback --yes")? {
        return Ok(Exit::Ok);
    }
    let progress = progress(&ctx);
    let checks = health::Checks(&ctx.settings);
    let exec = Exec::for_ctx(&ctx, &progress, Some(&path), Some(&checks));
    let stop = Stop::on_signals();
    let reports = runner::rollback(&entries, &mut j, &exec, &stop, &progress).await;
    let ok = session::all_undone(&reports);
    let result = RunResult {
        schema: RESULT_SCHEMA,
        command: "maintain rollback".into(),
        namespace: ctx.namespace.clone(),
        cluster: plan.cluster.clone(),
        outcome: match (n, ok) {
            (0, _) => "unchanged",
            (_, true) => "rolled_back",
            (_, false) => "rollback_failed",
        }
        .into(),
        journal: Some(path.display().to_string()),
        actions: vec![],
        rollback: reports,
        notes: vec![],
    };
    print(&session::scrub(
        &ctx.settings,
        render::result(&result, format),
    ))?;
    if ok {
        Ok(Exit::Ok)
    } else {
        eprintln!(
            "error: the rollback did not undo everything; journal: {}\nhint: fix the cause and run `tracectl maintain rollback --journal {}` again: undone actions are not undone twice",
            path.display(),
            path.display()
        );
        Ok(Exit::NeedsHuman)
    }
}
