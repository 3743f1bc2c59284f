//! One changing `maintain` step made ready and planned: the [`Ctx`] of a maintenance run (the
//! namespace, the cluster, the clients, Helm) from resolved settings, and the plan of `backup`,
//! `restore`, `update`, `config`, `storage` or `scale` from its arguments. Shared by `tracectl
//! maintain STEP` (which then confirms and applies) and the MCP server's `maintain_plan` (which
//! stops at the plan). Reads only. Tests: `tests/it/maintain.rs`, `tests/it/mcp/`.

use std::path::PathBuf;

use anyhow::Result;

use super::{Ctx, backup, config, restore, scale, storage, update};
use crate::backends::alertmanager::AlertmanagerClient;
use crate::backends::elasticsearch::ElasticsearchClient;
use crate::backends::grafana::GrafanaClient;
use crate::backends::helm::Helm;
use crate::backends::kubernetes;
use crate::cli::{ApplyFlags, MaintainCmd};
use crate::error::{Backend, UsageError};
use crate::mutation::Plan;
use crate::mutation::session;
use crate::settings::Settings;

/// The namespace when neither `-n` nor the context names one: the guide's.
pub const DEFAULT_NAMESPACE: &str = "monitoring";

/// A maintenance run's context. `namespace_flag` is `-n` as given.
pub async fn connect(settings: Settings, namespace_flag: Option<&str>) -> Result<Ctx> {
    let namespace = match (namespace_flag, settings.namespace.as_str()) {
        (Some(n), _) => n.to_string(),
        (None, "default") => DEFAULT_NAMESPACE.to_string(),
        (None, n) => n.to_string(),
    };
    if !kubernetes::valid_label(&namespace) {
        return Err(UsageError::new(format!(
            "namespace {namespace:?} is not a valid Kubernetes namespace (lowercase letters, digits and '-')"
        ))
        .into());
    }
    let kube = if settings.kube_available {
        Some(session::connect(&settings, "maintain").await?)
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

/// A step that plans changes: its name and its confirmation flags. `None` for the others
/// (`health`, `validate`, `window`, `rollback`).
pub fn changing_step(cmd: &MaintainCmd) -> Option<(&'static str, &ApplyFlags)> {
    Some(match cmd {
        MaintainCmd::Backup(a) => ("backup", &a.apply),
        MaintainCmd::Restore(a) => ("restore", &a.apply),
        MaintainCmd::Update(a) => ("update", &a.apply),
        MaintainCmd::Config(a) => ("config", &a.apply),
        MaintainCmd::Storage(a) => ("storage", &a.apply),
        MaintainCmd::Scale(a) => ("scale", &a.apply),
        MaintainCmd::Health(_)
        | MaintainCmd::Validate(_)
        | MaintainCmd::Window(_)
        | MaintainCmd::Rollback(_) => return None,
    })
}

/// The plan of a changing step, from the live state; reads only.
pub async fn plan(ctx: &mut Ctx, cmd: &MaintainCmd) -> Result<Plan> {
    let Some((what, _)) = changing_step(cmd) else {
        return Err(UsageError::new(
            "only backup, restore, update, config, storage and scale are planned",
        )
        .into());
    };
    let mut plan = ctx.plan(what);
    match cmd {
        MaintainCmd::Backup(a) => backup::plan(ctx, &a.backup, 1, &mut plan).await?,
        MaintainCmd::Restore(a) => restore::plan(ctx, &a.restore, 1, &mut plan).await?,
        MaintainCmd::Update(a) => {
            if let Some(h) = &a.update.helm {
                ctx.helm.bin = h.clone();
            }
            update::plan(ctx, &a.update, 1, &mut plan).await?
        }
        MaintainCmd::Config(a) => config::plan(ctx, &a.config, 1, &mut plan).await?,
        MaintainCmd::Storage(a) => storage::plan(ctx, &a.storage, 1, &mut plan).await?,
        MaintainCmd::Scale(a) => scale::plan(ctx, &a.scale, 1, &mut plan).await?,
        MaintainCmd::Health(_)
        | MaintainCmd::Validate(_)
        | MaintainCmd::Window(_)
        | MaintainCmd::Rollback(_) => unreachable!("changing_step said None"),
    }
    Ok(plan)
}
