//! Computing the plan from observed state: the runbook's steps 1–8 as [`PlannedAction`]s, each
//! with what it expects to find and its inverse, before anything changes.
//!
//! What is read, per step: (1) the Namespace; (2) `helm repo list`; (3) the Secret's data, compared
//! with the password given (never shown); (4, 5) `helm list` and `helm get values`: a release is
//! unchanged when it is `deployed`, its chart is `name-version` of the version asked for (any
//! version, when none is pinned) and its user-supplied values equal the merge of the values file
//! and tracectl's overrides (compared as JSON, numbers by value); (6) discovery and a `GET` of
//! every manifest object, unchanged when every field the manifest sets is already live
//! ([`crate::mutation::patch::object_diff`]). Steps 7 and 8 are checks and always run; step 2's
//! `helm repo update` only when a chart is installed or upgraded. So a second `apply` after a
//! successful one plans no change: nothing is written, no chart is installed.
//!
//! Helm missing is not an error here: the plan is printed with the releases' state unknown and a
//! note (`apply` refuses to start). Files: `setup.rs` (steps 1–3), `../release.rs` (4, 5),
//! `../objects.rs` (6); the checks (7, 8) are here. Not here: running the plan
//! (`crate::mutation::exec`). Tests:
//! the pure parts in each file; the whole against a fixture API server and a fake `helm` in
//! `tests/it/deploy.rs`.

mod prepare;
mod setup;

pub use prepare::{deploy, inputs, note_grafana};

use anyhow::Result;

use super::inputs::Inputs;
use super::{action, objects, release};
use crate::backends::helm::{Helm, HelmError};
use crate::backends::kubernetes::Kube;
use crate::mutation::{Change, Observed, Operation, Plan};
use crate::transport::live::Secret;

/// Everything a deploy acts with.
pub struct Deploy {
    pub inputs: Inputs,
    pub kube: Kube,
    pub helm: Helm,
    /// The Elasticsearch password, when one was given (checked already).
    pub password: Option<Secret>,
}

pub const VERIFY_CHECKS: &[&str] = &["pods-ready", "services", "otlp-export", "jaeger-ui"];

/// The plan, and the helm error that made releases unknown (apply refuses to run with one).
pub struct Planned {
    pub plan: Plan,
    pub helm_missing: Option<HelmError>,
}

/// The plan of a deploy, from the cluster's and Helm's current state; reads only.
pub async fn plan(d: &Deploy) -> Result<Planned> {
    let mut plan = Plan::new("deploy", &d.inputs.namespace);
    plan.cluster = Some(d.kube.cluster_url().to_string());
    setup::namespace(d, &mut plan).await?;
    let helm_missing = setup::repositories(d, &mut plan).await?;
    setup::secret(d, &mut plan).await?;
    release::charts(d, &mut plan, helm_missing.is_some()).await?;
    objects::manifests(d, &mut plan).await?;
    checks(d, &mut plan);
    for c in [&d.inputs.collector, &d.inputs.jaeger] {
        if c.version.is_none() {
            plan.notes.push(format!(
                "{}: no chart version pinned; an installed release with the same values counts as unchanged, whatever its version",
                c.release
            ));
        }
    }
    Ok(Planned { plan, helm_missing })
}

/// Steps 7 and 8: checks, which always run.
fn checks(d: &Deploy, plan: &mut Plan) {
    let ns = &d.inputs.namespace;
    plan.actions.push(action(
        "wait-rollout".into(),
        (7, "rollout"),
        Change::Check,
        format!(
            "wait for every Deployment, StatefulSet and DaemonSet in {ns} to roll out (timeout {})",
            crate::clock::format_duration(d.inputs.rollout_timeout)
        ),
        Operation::WaitRollout {
            namespace: ns.clone(),
            timeout_seconds: d.inputs.rollout_timeout.as_secs(),
        },
        Observed::NotApplicable,
        None,
    ));
    plan.actions.push(action(
        "verify".into(),
        (8, "verify"),
        Change::Check,
        format!(
            "verify: pods ready, services {} present, an empty OTLP export accepted, the Jaeger UI answering",
            d.inputs.verify.services.join(", ")
        ),
        Operation::Verify {
            namespace: ns.clone(),
            checks: VERIFY_CHECKS.iter().map(|c| c.to_string()).collect(),
        },
        Observed::NotApplicable,
        None,
    ));
}

/// Step 1 creates the namespace: nothing can exist in it yet, so there is nothing to read.
pub(crate) fn live_ns_absent(plan: &Plan) -> bool {
    plan.actions
        .first()
        .is_some_and(|a| a.step == 1 && a.change == Change::Create)
}
