//! What a deploy acts with, made ready for planning: the inputs file and flags resolved, the
//! Elasticsearch password read and checked (weak ones refused before any request), the cluster
//! connected and Helm set up; and step 9's note on the plan. Shared by `tracectl deploy
//! plan|apply` and the MCP server's `deploy_plan`, which plans only. Tests: through
//! `tests/it/deploy.rs` and `tests/it/mcp/`.

use anyhow::Result;

use super::Deploy;
use crate::backends::helm::Helm;
use crate::cli::DeployArgs;
use crate::error::Backend;
use crate::mutation::Plan;
use crate::mutation::ops::inputs::{self, Inputs};
use crate::mutation::ops::secret;
use crate::mutation::session::connect;
use crate::settings::Settings;
use crate::transport::live::Secret;

/// The inputs and the password, refused if weak: before any request. `namespace_flag` is `-n`.
pub fn inputs(a: &DeployArgs, namespace_flag: Option<&str>) -> Result<(Inputs, Option<Secret>)> {
    let (file, dir) = inputs::load(a.file.as_deref())?;
    let inputs = inputs::resolve(&file, &dir, a, namespace_flag)?;
    let password = inputs
        .secret
        .source
        .as_ref()
        .map(secret::read)
        .transpose()?;
    Ok((inputs, password))
}

/// Connect to the cluster and set up Helm; the password joins the secrets scrubbed from output.
pub async fn deploy(
    settings: &mut Settings,
    inputs: Inputs,
    password: Option<Secret>,
) -> Result<Deploy> {
    if let Some(p) = &password {
        settings.secrets.push(p.expose().to_string());
    }
    let kube = connect(settings, "deploy").await?;
    let helm = Helm {
        bin: inputs.helm.clone(),
        kube_context: settings.kubernetes.context.clone(),
        kubeconfig: settings.kubernetes.kubeconfig.clone(),
        timeout: inputs.helm_timeout,
    };
    Ok(Deploy {
        inputs,
        kube,
        helm,
        password,
    })
}

/// Step 9 is not an action (it records the outcome, whatever it is, and is not undone): a note.
pub fn note_grafana(settings: &Settings, plan: &mut Plan) {
    if let Some(e) = settings.endpoint(Backend::Grafana) {
        plan.notes.push(format!(
            "step 9: the deployment and its outcome will be marked in Grafana ({}) with an annotation tagged tracectl, deploy",
            crate::error::redact_url(e.base.as_str())
        ));
    }
}
