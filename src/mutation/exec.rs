//! The one [`Executor`] of `deploy` and `maintain`: each [`Operation`] and each [`Inverse`] handed
//! to the module of `crate::mutation::ops` that plans it, where its apply sits beside its undo.
//!
//! Before a change, what the plan observed is checked again (an object still absent, or still at
//! its resourceVersion; a release still at its revision; an index, a template, a dashboard as it
//! was): if someone changed it since the plan, the action fails rather than overwrite their change.
//! When the journal does not say an action finished (its certainty is failed or unknown), the undo
//! looks first and undoes only what is there to undo ("nothing to undo: release jaeger is not
//! installed"). A backend the run has not configured is an error of the action that needs it, with
//! the flag that configures it.
//!
//! `maintain health`/`validate` actions run `tracectl check`'s checks, which live above this
//! layer: the command hands them in as a [`RunChecks`]. Not here: the order, the journal, stopping
//! (`crate::mutation::runner`). Tests: `tests/it/deploy.rs`, `tests/it/maintain.rs`,
//! `tests/it/maintain/`.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::Duration;

use serde_json::Value;

use super::journal::Undo;
use super::ops::{self, Ctx, backup, objects, release, restore, scale, storage, verify, wait};
use super::progress::Progress;
use super::runner::{ActionError, Executor};
use super::{ActionResult, Inverse, Operation, PlannedAction};
use crate::backends::elasticsearch::ElasticsearchClient;
use crate::backends::grafana::GrafanaClient;
use crate::backends::helm::Helm;
use crate::backends::kubernetes::Kube;
use crate::clock::Clock;
use crate::error::UsageError;
use crate::transport::live::Secret;

/// A future the checks hook returns.
pub type ChecksFuture<'a> = Pin<Box<dyn Future<Output = Result<ActionResult, ActionError>> + 'a>>;

/// Runs a `health`/`validate` action's checks (`name`, the selected check ids), failing when the
/// phase fails. Implemented by the `maintain` command over `tracectl check`.
pub trait RunChecks {
    fn run_checks<'a>(&'a self, name: &'a str, checks: &'a [String]) -> ChecksFuture<'a>;
}

/// What every action and undo of a run acts with.
pub struct Exec<'a> {
    /// The run's namespace.
    pub namespace: &'a str,
    /// When the run started: a backup's manifest says so.
    pub started: jiff::Timestamp,
    pub kube: Option<&'a Kube>,
    pub helm: &'a Helm,
    pub elasticsearch: Option<&'a ElasticsearchClient>,
    pub grafana: Option<&'a GrafanaClient>,
    pub clock: &'a Clock,
    /// The Elasticsearch password, for deploy's Secret apply only.
    pub password: Option<&'a Secret>,
    /// Where release values files are written: `<journal>.values/`.
    pub values_dir: PathBuf,
    /// Deploy's step 8; `None` skips it.
    pub verify: Option<&'a verify::VerifyTarget>,
    /// `maintain`'s health and validate checks.
    pub checks: Option<&'a dyn RunChecks>,
    pub progress: &'a Progress,
}

/// `<journal>.values/`: the values files given to Helm, kept beside the journal; a temporary
/// directory when nothing is journaled (no change planned).
pub fn values_dir(journal: Option<&Path>) -> PathBuf {
    match journal {
        Some(j) => {
            let mut s = j.as_os_str().to_owned();
            s.push(".values");
            PathBuf::from(s)
        }
        None => std::env::temp_dir().join("tracectl-values"),
    }
}

impl<'a> Exec<'a> {
    /// The executor of a maintenance run.
    pub fn for_ctx(
        ctx: &'a Ctx,
        progress: &'a Progress,
        journal: Option<&Path>,
        checks: Option<&'a dyn RunChecks>,
    ) -> Self {
        Exec {
            namespace: &ctx.namespace,
            started: ctx.now,
            kube: ctx.kube.as_ref(),
            helm: &ctx.helm,
            elasticsearch: ctx.elasticsearch.as_ref(),
            grafana: ctx.grafana.as_ref(),
            clock: &ctx.settings.clock,
            password: None,
            values_dir: values_dir(journal),
            verify: None,
            checks,
            progress,
        }
    }

    pub fn kube(&self) -> Result<&'a Kube, ActionError> {
        self.kube.ok_or_else(|| {
            ActionError::with_hint(
                "this action needs a Kubernetes cluster, and no kubeconfig was found",
                "pass --kubeconfig PATH (or set KUBECONFIG)",
            )
        })
    }

    pub fn elasticsearch(&self, why: &str) -> Result<&'a ElasticsearchClient, UsageError> {
        ops::need_elasticsearch(self.elasticsearch, why)
    }

    pub fn grafana(&self, why: &str) -> Result<&'a GrafanaClient, UsageError> {
        ops::need_grafana(self.grafana, why)
    }
}

impl Executor for Exec<'_> {
    async fn apply(
        &self,
        action: &PlannedAction,
        backup: Option<&Value>,
    ) -> Result<ActionResult, ActionError> {
        match &action.operation {
            Operation::Apply { .. } | Operation::ApplySecret { .. } => {
                objects::apply(self, action).await
            }
            Operation::HelmRepoAdd { .. }
            | Operation::HelmRepoUpdate { .. }
            | Operation::HelmUpgrade(_) => release::apply(self, action).await,
            Operation::WaitRollout {
                namespace,
                timeout_seconds,
            } => {
                wait::rollout(
                    self.kube()?,
                    namespace,
                    Duration::from_secs(*timeout_seconds),
                    self.progress,
                )
                .await
            }
            Operation::Verify { .. } => verify::apply(self).await,
            Operation::WriteBackup { .. } | Operation::CreateSnapshot { .. } => {
                backup::apply(self, action).await
            }
            Operation::RestoreSnapshot { .. }
            | Operation::SaveDashboard { .. }
            | Operation::RestoreSecret { .. } => restore::apply(self, action, backup).await,
            Operation::DeleteIndex { .. }
            | Operation::ForceMerge { .. }
            | Operation::PutIndexTemplate { .. } => storage::apply(self, action, backup).await,
            Operation::Patch { .. } => scale::apply(self, action, backup).await,
            Operation::Checks { name, checks } => match self.checks {
                Some(c) => c.run_checks(name, checks).await,
                None => Err(ActionError::new(format!(
                    "{}: no checks can run here",
                    action.summary
                ))),
            },
        }
    }

    async fn undo(&self, undo: &Undo) -> Result<String, ActionError> {
        match &undo.action.inverse {
            None => Ok("nothing to undo".into()),
            Some(Inverse::Keep { reason }) => Ok(format!("kept: {reason}")),
            Some(Inverse::Delete { .. } | Inverse::Restore { .. }) => {
                objects::undo(self, undo).await
            }
            Some(
                Inverse::HelmRollback { .. }
                | Inverse::HelmUninstall { .. }
                | Inverse::HelmRepoRemove { .. },
            ) => release::undo(self, undo).await,
            Some(Inverse::RestoreDashboard { .. } | Inverse::DeleteDashboard { .. }) => {
                restore::undo(self, undo).await
            }
            Some(
                Inverse::RestoreIndexTemplate { .. }
                | Inverse::DeleteIndexTemplate { .. }
                | Inverse::RestoreIndex { .. },
            ) => storage::undo(self, undo).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_beside_the_journal() {
        assert_eq!(
            values_dir(Some(Path::new("/s/j/20261125T100000.000Z-deploy.jsonl"))),
            PathBuf::from("/s/j/20261125T100000.000Z-deploy.jsonl.values")
        );
    }
}
