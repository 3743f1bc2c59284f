//! `tracectl maintain`: the maintenance runbook (guide section 3.2.2) as plans that are data,
//! applied with a journal and undone from it — the same machinery as `deploy`
//! (`crate::mutation`, `super::mutate`).
//!
//! Each changing subcommand (`backup`, `restore`, `update`, `config`, `storage`, `scale`) only
//! *plans*: it reads the live state and appends actions to a [`Plan`] (`plan` functions in its
//! module). [`apply`] then prints the plan (`--dry-run` stops there), confirms (a terminal asks;
//! `--yes`; otherwise exit 2), journals and runs it through [`exec::MaintainExecutor`], and on a
//! failure offers the rollback (`--rollback-on-failure` for scripts): exit 3 when it was rolled
//! back, 4 when changes are left. `window` strings several plans into one, between a health check
//! and a validation, under an Alertmanager silence (`window.rs`). `health` and `validate` are
//! `tracectl check`'s checks (`health.rs`). `rollback` replays a journal backwards.
//!
//! `--record`/`--replay` are refused: a replay cannot change anything, and a recording would hold
//! Secrets' values. Tests: unit tests in each module; `tests/it/maintain.rs` end to end against
//! stateful Kubernetes, Grafana and Elasticsearch fixtures and a real Alertmanager.

pub mod backup;
pub mod config;
mod exec;
pub mod health;
pub mod restore;
pub mod scale;
pub mod storage;
pub mod update;
pub mod window;

use std::path::PathBuf;

use anyhow::Result;
use jiff::Timestamp;

use self::exec::MaintainExecutor;
use super::deploy::helm::Helm;
use super::deploy::progress::DeployProgress;
pub(crate) use super::deploy::render;
use super::deploy::render::DeployResult;
use super::{Exit, mutate, print, terminal};
use crate::backends::alertmanager::AlertmanagerClient;
use crate::backends::elasticsearch::ElasticsearchClient;
use crate::backends::grafana::GrafanaClient;
use crate::backends::kubernetes::{self, Kube};
use crate::cli::{ApplyFlags, GlobalArgs, MaintainCmd};
use crate::error::{Backend, UsageError};
use crate::mutation::Plan;
use crate::mutation::journal::{self, Journal};
use crate::mutation::runner::{self, Outcome, Stop};
use crate::settings::{self, Settings};

pub const RESULT_SCHEMA: &str = "tracectl.maintain/v1";

/// The namespace when neither `-n` nor the context names one: the guide's.
pub const DEFAULT_NAMESPACE: &str = "monitoring";

/// Everything a maintenance step acts with. A backend that is not configured is `None`; a step
/// that needs it says so (a usage error) before anything changes.
pub struct Ctx {
    pub settings: Settings,
    pub namespace: String,
    pub kube: Option<Kube>,
    pub elasticsearch: Option<ElasticsearchClient>,
    pub grafana: Option<GrafanaClient>,
    pub alertmanager: Option<AlertmanagerClient>,
    /// For `update` and for undoing it; `--helm` of `update` sets the binary.
    pub helm: Helm,
    /// When the run started: backups and snapshots are named after it.
    pub now: Timestamp,
}

impl Ctx {
    pub async fn prepare(g: &GlobalArgs, argv: &[String], sub: &str) -> Result<Ctx> {
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
        let namespace = match (&g.namespace, settings.namespace.as_str()) {
            (Some(n), _) => n.clone(),
            (None, "default") => DEFAULT_NAMESPACE.to_string(),
            (None, n) => n.to_string(),
        };
        if !kubernetes::valid_label(&namespace) {
            return Err(UsageError::new(format!(
                "namespace {namespace:?} is not a valid Kubernetes namespace (lowercase letters, digits and '-')"
            ))
            .into());
        }
        // Live: a maintenance run is never recorded or replayed (refused above).
        let kube = if settings.kube_available {
            Some(super::deploy::connect(&settings).await?)
        } else {
            None
        };
        let endpoint = |b| settings.endpoint(b).cloned();
        Ok(Ctx {
            namespace,
            kube,
            elasticsearch: endpoint(Backend::Elasticsearch).map(ElasticsearchClient::new),
            grafana: endpoint(Backend::Grafana).map(GrafanaClient::new),
            alertmanager: endpoint(Backend::Alertmanager).map(AlertmanagerClient::new),
            helm: Helm {
                bin: PathBuf::from("helm"),
                kube_context: settings.kubernetes.context.clone(),
                kubeconfig: settings.kubernetes.kubeconfig.clone(),
                timeout: std::time::Duration::from_secs(300),
            },
            now: settings.clock.now(),
            settings,
        })
    }

    pub fn kube(&self, why: &str) -> Result<&Kube, UsageError> {
        self.kube.as_ref().ok_or_else(|| {
            UsageError::with_hint(
                format!("{why} needs a Kubernetes cluster, and no kubeconfig was found"),
                "pass --kubeconfig PATH (or set KUBECONFIG), and --kube-context NAME if needed",
            )
        })
    }

    pub fn elasticsearch(&self, why: &str) -> Result<&ElasticsearchClient, UsageError> {
        self.elasticsearch.as_ref().ok_or_else(|| {
            UsageError::with_hint(
                format!("{why} needs Elasticsearch, and none is configured"),
                "pass --elasticsearch-url URL (or set TRACECTL_ELASTICSEARCH_URL, or the context's elasticsearch.url)",
            )
        })
    }

    pub fn grafana(&self, why: &str) -> Result<&GrafanaClient, UsageError> {
        self.grafana.as_ref().ok_or_else(|| {
            UsageError::with_hint(
                format!("{why} needs Grafana, and none is configured"),
                "pass --grafana-url URL (or set TRACECTL_GRAFANA_URL, or the context's grafana.url)",
            )
        })
    }

    /// A new, empty plan for `maintain <what>` against this cluster.
    pub fn plan(&self, what: &str) -> Plan {
        let mut p = Plan::new(&format!("maintain {what}"), &self.namespace);
        p.cluster = self.kube.as_ref().map(|k| k.cluster_url().to_string());
        p
    }
}

pub async fn run(g: &GlobalArgs, argv: &[String], cmd: &MaintainCmd) -> Result<Exit> {
    match cmd {
        MaintainCmd::Health(a) => health::run(g, argv, a, health::Phase::Health).await,
        MaintainCmd::Validate(a) => health::run(g, argv, a, health::Phase::Validate).await,
        MaintainCmd::Window(a) => window::run(g, argv, a).await,
        MaintainCmd::Rollback(a) => rollback(g, argv, a).await,
        MaintainCmd::Backup(a) => {
            let ctx = Ctx::prepare(g, argv, "backup").await?;
            let mut plan = ctx.plan("backup");
            backup::plan(&ctx, &a.backup, 1, &mut plan).await?;
            apply(&ctx, plan, &a.apply, "backup").await
        }
        MaintainCmd::Restore(a) => {
            let ctx = Ctx::prepare(g, argv, "restore").await?;
            let mut plan = ctx.plan("restore");
            restore::plan(&ctx, &a.restore, 1, &mut plan).await?;
            apply(&ctx, plan, &a.apply, "restore").await
        }
        MaintainCmd::Update(a) => {
            let mut ctx = Ctx::prepare(g, argv, "update").await?;
            if let Some(h) = &a.update.helm {
                ctx.helm.bin = h.clone();
            }
            let mut plan = ctx.plan("update");
            update::plan(&ctx, &a.update, 1, &mut plan).await?;
            apply(&ctx, plan, &a.apply, "update").await
        }
        MaintainCmd::Config(a) => {
            let ctx = Ctx::prepare(g, argv, "config").await?;
            let mut plan = ctx.plan("config");
            config::plan(&ctx, &a.config, 1, &mut plan).await?;
            apply(&ctx, plan, &a.apply, "config").await
        }
        MaintainCmd::Storage(a) => {
            let ctx = Ctx::prepare(g, argv, "storage").await?;
            let mut plan = ctx.plan("storage");
            storage::plan(&ctx, &a.storage, 1, &mut plan).await?;
            apply(&ctx, plan, &a.apply, "storage").await
        }
        MaintainCmd::Scale(a) => {
            let ctx = Ctx::prepare(g, argv, "scale").await?;
            let mut plan = ctx.plan("scale");
            scale::plan(&ctx, &a.scale, 1, &mut plan).await?;
            apply(&ctx, plan, &a.apply, "scale").await
        }
    }
}

/// Progress on stderr (nothing unless stderr is a terminal and not `-q`).
pub fn deploy_progress(ctx: &Ctx) -> DeployProgress {
    DeployProgress::new(ctx.settings.progress)
}

/// What a run did, for the result and the exit code.
pub struct Applied {
    pub outcome: Outcome,
    pub rolled_back: Option<bool>,
    pub touched: usize,
    pub journal: Option<PathBuf>,
    pub actions: Vec<runner::ActionReport>,
    pub rollback: Vec<runner::ActionReport>,
}

/// Print the plan, confirm, journal, run, offer the rollback, print the result.
pub async fn apply(ctx: &Ctx, plan: Plan, flags: &ApplyFlags, what: &str) -> Result<Exit> {
    let format = ctx.settings.output;
    if flags.dry_run {
        print(&render::plan(&plan, format))?;
        return Ok(Exit::Ok);
    }
    let changes = plan.changes();
    if !mutate::confirm_changes(
        changes,
        flags.yes,
        || render::plan(&plan, crate::render::OutputFormat::Table),
        &format!("tracectl maintain {what} --dry-run"),
        &format!("tracectl maintain {what} --yes"),
    )? {
        return Ok(Exit::Ok);
    }
    let stop = Stop::on_signals();
    let progress = deploy_progress(ctx);
    let done = run_plan(ctx, &plan, flags, what, &stop, &progress).await?;
    finish(ctx, &plan, what, done)
}

/// Journal and run `plan` (its changes already confirmed), rolling back on a failure when asked.
pub async fn run_plan(
    ctx: &Ctx,
    plan: &Plan,
    flags: &ApplyFlags,
    what: &str,
    stop: &Stop,
    progress: &DeployProgress,
) -> Result<Applied> {
    let command = format!("maintain-{what}");
    let (mut journal, path) = if plan.changes() > 0 {
        let path = mutate::journal_path(flags.journal.as_deref(), &command)?;
        let j = mutate::begin_journal(
            &path,
            &format!("maintain {what}"),
            &ctx.namespace,
            plan.cluster.clone(),
            ctx.settings.kubernetes.context.clone(),
        )?;
        progress.note(&format!("journal: {}", path.display()));
        (j, Some(path))
    } else {
        (Journal::disabled(), None)
    };
    let exec = MaintainExecutor::new(ctx, progress, path.as_deref());
    let run = runner::apply(plan, &mut journal, &exec, stop, progress).await;
    let mut rollback = Vec::new();
    let mut rolled_back = None;
    if let Outcome::Failed { action, error } = &run.outcome
        && run.touched > 0
        && let Some(p) = &path
    {
        let wanted = flags.rollback_on_failure
            || (crate::mutation::confirm::interactive()
                && crate::mutation::confirm::ask(&format!(
                    "{action} failed: {error}\nRoll back what this run changed?"
                )));
        if wanted {
            let entries = journal::read(p)?;
            rollback = runner::rollback(&entries, &mut journal, &exec, stop, progress).await;
            rolled_back = Some(mutate::all_undone(&rollback));
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

/// Print the result of a run and turn it into the exit code, with a line on stderr that says what
/// is left and how to undo it.
pub fn finish(ctx: &Ctx, plan: &Plan, what: &str, done: Applied) -> Result<Exit> {
    let outcome = mutate::outcome_word(&done.outcome, done.rolled_back, plan.changes());
    let exit = mutate::exit_after(&done.outcome, done.rolled_back, done.touched);
    let result = DeployResult {
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
    print(&mutate::scrub(
        &ctx.settings,
        render::result(&result, ctx.settings.output),
    ))?;
    let undo = done
        .journal
        .as_ref()
        .map(|p| format!("tracectl maintain rollback --journal {}", p.display()))
        .unwrap_or_default();
    match (&done.outcome, exit) {
        (Outcome::Failed { action, error }, Exit::NeedsHuman) => eprintln!(
            "error: {action} failed and what this run changed is still in place: {error}\nhint: undo it with `{undo}`, or fix the cause and run it again"
        ),
        (Outcome::Failed { action, error }, _) => {
            eprintln!("error: {action} failed: {error}");
            if done.rolled_back == Some(true) {
                eprintln!(
                    "what this run changed was rolled back (journal: {})",
                    result.journal.as_deref().unwrap_or("-")
                );
            }
        }
        (Outcome::Interrupted, Exit::NeedsHuman) => eprintln!(
            "error: interrupted; what this run changed is still in place\nhint: undo it with `{undo}`"
        ),
        (Outcome::Interrupted, _) => eprintln!("error: interrupted before any change"),
        _ => {}
    }
    Ok(exit)
}

/// `maintain rollback`: undo a maintenance journal (the newest by default).
async fn rollback(
    g: &GlobalArgs,
    argv: &[String],
    a: &crate::cli::DeployRollbackArgs,
) -> Result<Exit> {
    let (path, mut j, entries) = mutate::open_for_rollback(a.journal.as_deref(), "maintain")?;
    let mut ctx = Ctx::prepare(g, argv, "rollback").await?;
    if let Some(h) = &a.helm {
        ctx.helm.bin = h.clone();
    }
    if let (Some((_, cluster, _)), Some(kube)) = (journal::begin_of(&entries), &ctx.kube) {
        mutate::same_cluster(&path, cluster, kube.cluster_url())?;
    }
    let pending = journal::pending_undos(&entries);
    let plan = ctx.plan("rollback");
    let n = pending.len();
    if n > 0 && !mutate::confirm_undo(&pending, a.yes, "tracectl maintain rollback --yes")? {
        return Ok(Exit::Ok);
    }
    let progress = deploy_progress(&ctx);
    let exec = MaintainExecutor::new(&ctx, &progress, Some(&path));
    let stop = Stop::on_signals();
    let reports = runner::rollback(&entries, &mut j, &exec, &stop, &progress).await;
    let ok = mutate::all_undone(&reports);
    let result = DeployResult {
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
    print(&mutate::scrub(
        &ctx.settings,
        render::result(&result, ctx.settings.output),
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
