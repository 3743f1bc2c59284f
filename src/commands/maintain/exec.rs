//! The maintenance [`Executor`]: each maintenance [`Operation`] and [`Inverse`] is done by the
//! module that plans it (`backup.rs`, `restore.rs`, `storage.rs`, `scale.rs`, `health.rs`); what
//! `deploy` already knows (server-side apply, Helm upgrades, waiting for rollouts, deleting and
//! restoring objects, `helm rollback`) goes to `deploy`'s executor unchanged. Not here: the order,
//! the journal, stopping (`crate::mutation::runner`). Tests: `tests/it/maintain.rs`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Ctx, backup, health, restore, scale, storage};
use crate::commands::deploy::exec::DeployExecutor;
use crate::commands::deploy::progress::DeployProgress;
use crate::mutation::journal::Undo;
use crate::mutation::runner::{ActionError, Executor};
use crate::mutation::{ActionResult, Inverse, Operation, PlannedAction};

pub struct MaintainExecutor<'a> {
    pub ctx: &'a Ctx,
    pub progress: &'a DeployProgress,
    /// Kubernetes and Helm actions; `None` without a cluster.
    deploy: Option<DeployExecutor<'a>>,
}

impl<'a> MaintainExecutor<'a> {
    pub fn new(ctx: &'a Ctx, progress: &'a DeployProgress, journal: Option<&Path>) -> Self {
        let values_dir = journal
            .map(|j| {
                let mut s = j.as_os_str().to_owned();
                s.push(".values");
                PathBuf::from(s)
            })
            .unwrap_or_else(|| std::env::temp_dir().join("tracectl-values"));
        MaintainExecutor {
            ctx,
            progress,
            deploy: ctx.kube.as_ref().map(|kube| DeployExecutor {
                kube,
                helm: &ctx.helm,
                password: None,
                values_dir,
                verify: None,
                progress,
            }),
        }
    }

    fn deploy(&self) -> Result<&DeployExecutor<'a>, ActionError> {
        self.deploy.as_ref().ok_or_else(|| {
            ActionError::with_hint(
                "this action needs a Kubernetes cluster, and no kubeconfig was found",
                "pass --kubeconfig PATH (or set KUBECONFIG)",
            )
        })
    }
}

impl Executor for MaintainExecutor<'_> {
    async fn apply(
        &self,
        action: &PlannedAction,
        backup: Option<&Value>,
    ) -> Result<ActionResult, ActionError> {
        match &action.operation {
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
            Operation::Checks { .. } => health::apply(self, action).await,
            Operation::Apply { .. }
            | Operation::ApplySecret { .. }
            | Operation::HelmRepoAdd { .. }
            | Operation::HelmRepoUpdate { .. }
            | Operation::HelmUpgrade(_)
            | Operation::WaitRollout { .. }
            | Operation::Verify { .. } => self.deploy()?.apply(action, backup).await,
        }
    }

    async fn undo(&self, undo: &Undo) -> Result<String, ActionError> {
        match &undo.action.inverse {
            None => Ok("nothing to undo".into()),
            Some(Inverse::RestoreDashboard { .. } | Inverse::DeleteDashboard { .. }) => {
                restore::undo(self, undo).await
            }
            Some(
                Inverse::RestoreIndexTemplate { .. }
                | Inverse::DeleteIndexTemplate { .. }
                | Inverse::RestoreIndex { .. },
            ) => storage::undo(self, undo).await,
            Some(Inverse::Keep { reason }) => Ok(format!("kept: {reason}")),
            Some(
                Inverse::Delete { .. }
                | Inverse::Restore { .. }
                | Inverse::HelmRollback { .. }
                | Inverse::HelmUninstall { .. }
                | Inverse::HelmRepoRemove { .. },
            ) => self.deploy()?.undo(undo).await,
        }
    }
}
