//! `tracectl deploy rollback`: undo a deployment from its journal (the newest one by default),
//! after checking it was written against the cluster of the current context and confirming.
//! Undone actions are journaled, so running it again never undoes twice; exit 4 when something
//! could not be undone. Not here: what an undo does (`crate::mutation::exec`), their order
//! (`crate::mutation::runner::rollback`). Tests: `tests/it/deploy.rs`.

use std::path::PathBuf;

use anyhow::Result;

use super::{refuse_bundles, render};
use crate::backends::helm::Helm;
use crate::cli::{DeployRollbackArgs, GlobalArgs};
use crate::commands::{Exit, print, terminal};
use crate::mutation::exec::{Exec, values_dir};
use crate::mutation::journal;
use crate::mutation::progress::Progress;
use crate::mutation::runner::{self, Stop};
use crate::mutation::session::{self, connect};
use crate::render::plan::{DEPLOY_SCHEMA as RESULT_SCHEMA, RunResult};
use crate::settings;

pub async fn run(g: &GlobalArgs, argv: &[String], a: &DeployRollbackArgs) -> Result<Exit> {
    let format = refuse_bundles(g, "rollback")?;
    let (path, mut j, entries) = session::open_for_rollback(a.journal.as_deref(), "deploy")?;
    let (namespace, cluster, context) = journal::begin_of(&entries)
        .map(|(n, c, k)| (n.to_string(), c.map(str::to_string), k.map(str::to_string)))
        .unwrap_or_default();
    let pending = journal::pending_undos(&entries);
    if pending.is_empty() {
        eprintln!("nothing to undo in {}", path.display());
        let result = RunResult {
            schema: RESULT_SCHEMA,
            command: "deploy rollback".into(),
            namespace,
            cluster,
            outcome: "unchanged".into(),
            journal: Some(path.display().to_string()),
            actions: vec![],
            rollback: vec![],
            notes: vec![],
        };
        print(&render::result(&result, format))?;
        return Ok(Exit::Ok);
    }
    let mut settings = settings::resolve(g, argv, &terminal())?;
    if settings.kubernetes.context.is_none() {
        settings.kubernetes.context = context;
    }
    let kube = connect(&settings, "deploy").await?;
    session::same_cluster(&path, cluster.as_deref(), kube.cluster_url())?;
    if !session::confirm_undo(&pending, a.yes, "tracectl deploy rollback --yes")? {
        return Ok(Exit::Ok);
    }
    let helm = Helm {
        bin: a.helm.clone().unwrap_or_else(|| PathBuf::from("helm")),
        kube_context: settings.kubernetes.context.clone(),
        kubeconfig: settings.kubernetes.kubeconfig.clone(),
        timeout: std::time::Duration::from_secs(300),
    };
    let progress = Progress::new(settings.progress);
    let exec = Exec {
        namespace: &namespace,
        started: settings.clock.now(),
        kube: Some(&kube),
        helm: &helm,
        elasticsearch: None,
        grafana: None,
        clock: &settings.clock,
        password: None,
        values_dir: values_dir(Some(&path)),
        verify: None,
        checks: None,
        progress: &progress,
    };
    let stop = Stop::on_signals();
    let reports = runner::rollback(&entries, &mut j, &exec, &stop, &progress).await;
    let ok = session::all_undone(&reports);
    let result = RunResult {
        schema: RESULT_SCHEMA,
        command: "deploy rollback".into(),
        namespace,
        cluster,
        outcome: if ok { "rolled_back" } else { "rollback_failed" }.into(),
        journal: Some(path.display().to_string()),
        actions: vec![],
        rollback: reports,
        notes: vec![],
    };
    print(&render::result(&result, format))?;
    if ok {
        Ok(Exit::Ok)
    } else {
        eprintln!(
            "error: the rollback did not undo everything; journal: {}\nhint: fix the cause and run `tracectl deploy rollback --journal {}` again: undone actions are not undone twice",
            path.display(),
            path.display()
        );
        Ok(Exit::NeedsHuman)
    }
}
