//! `tracectl deploy rollback`: undo a deployment from its journal (the newest one by default),
//! after checking it was written against the cluster of the current context and confirming.
//! Undone actions are journaled, so running it again never undoes twice; exit 4 when something
//! could not be undone. Not here: what an undo does (`exec.rs`), their order
//! (`crate::mutation::runner::rollback`). Tests: `tests/it/deploy.rs`.

use std::path::PathBuf;

use anyhow::Result;

use super::exec::DeployExecutor;
use super::helm::Helm;
use super::progress::DeployProgress;
use super::render::{self, DeployResult, RESULT_SCHEMA};
use super::{connect, refuse_bundles, values_dir};
use crate::cli::{DeployRollbackArgs, GlobalArgs};
use crate::commands::{Exit, print, terminal};
use crate::mutation::journal;
use crate::mutation::runner::{self, Stop};
use crate::settings;

pub async fn run(g: &GlobalArgs, argv: &[String], a: &DeployRollbackArgs) -> Result<Exit> {
    refuse_bundles(g, "rollback")?;
    let (path, mut j, entries) =
        crate::commands::mutate::open_for_rollback(a.journal.as_deref(), "deploy")?;
    let (namespace, cluster, context) = journal::begin_of(&entries)
        .map(|(n, c, k)| (n.to_string(), c.map(str::to_string), k.map(str::to_string)))
        .unwrap_or_default();
    let pending = journal::pending_undos(&entries);
    if pending.is_empty() {
        eprintln!("nothing to undo in {}", path.display());
        let result = DeployResult {
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
        let settings_output = g.output.unwrap_or(crate::render::OutputFormat::Table);
        print(&render::result(&result, settings_output))?;
        return Ok(Exit::Ok);
    }
    let mut settings = settings::resolve(g, argv, &terminal())?;
    if settings.kubernetes.context.is_none() {
        settings.kubernetes.context = context;
    }
    let kube = connect(&settings).await?;
    crate::commands::mutate::same_cluster(&path, cluster.as_deref(), kube.cluster_url())?;
    if !crate::commands::mutate::confirm_undo(&pending, a.yes, "tracectl deploy rollback --yes")? {
        return Ok(Exit::Ok);
    }
    let helm = Helm {
        bin: a.helm.clone().unwrap_or_else(|| PathBuf::from("helm")),
        kube_context: settings.kubernetes.context.clone(),
        kubeconfig: settings.kubernetes.kubeconfig.clone(),
        timeout: std::time::Duration::from_secs(300),
    };
    let progress = DeployProgress::new(settings.progress);
    let exec = DeployExecutor {
        kube: &kube,
        helm: &helm,
        password: None,
        values_dir: values_dir(&path),
        verify: None,
        progress: &progress,
    };
    let stop = Stop::on_signals();
    let reports = runner::rollback(&entries, &mut j, &exec, &stop, &progress).await;
    let ok = crate::commands::mutate::all_undone(&reports);
    let result = DeployResult {
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
    print(&render::result(&result, settings.output))?;
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
