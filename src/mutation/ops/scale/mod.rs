//! `tracectl maintain scale`: replicas, resource limits and requests, and environment variables
//! of one Collector or Jaeger workload (guide section 3.2.2, "Performance Tuning": `kubectl
//! scale`, `kubectl patch --type=json` of `resources.limits`, the `JAVA_OPTS` env patch), and a
//! patch file of the user's, as ONE `PATCH` of the live object, shown as a diff first.
//!
//! Planning reads the workload (`--workload KIND/NAME`, in the run's namespace) and builds a
//! strategic-merge patch from the flags ([`flags_patch`]: replicas; the container's limits,
//! requests and env entries, the container chosen by `--container` or the first; env entries
//! merged by name) that holds only what differs, quantities compared by value (`0.5` is `500m`).
//! A `--patch FILE` (`--patch-type strategic|merge|json`) joins it in the same action: two
//! strategic patches are merged into one, the flags become JSON Patch operations ahead of the
//! file's, or a merge patch ahead of the file's. One action per object because the rollback
//! restores the object from the journal's backup only while it is still at the resourceVersion
//! the action left: a second patch of the same object would make the first one's undo refuse.
//!
//! The object after the patch is computed here, without a request (a plan must not write):
//! [`strategic_apply`] (maps merge, `null` deletes, the lists of built-in kinds that merge by a
//! key merge by it: containers, env, volumes by `name`, volumeMounts by `mountPath`, ports by
//! `containerPort`; other lists replace; `$patch` directives are left to the server and said so),
//! [`merge_apply`] (RFC 7386) and [`json_patch_apply`] (RFC 6902, every operation; one that does
//! not apply is a usage error, before anything changes), both by the `json-patch` crate.
//! [`value_diff`] shows what changes, `spec.template.spec.containers[otel-collector].resources.
//! limits.cpu: (none) → "2"`; nothing changes: the action is unchanged, so a second run plans
//! nothing.
//!
//! The action observes the object's resourceVersion and its inverse restores the live object as
//! it was (the journal's backup, put back with a replace by [`super::objects::undo`]). [`apply`]
//! checks the resourceVersion again and sends it with the patch as a precondition (a `test`
//! operation for a JSON Patch), so a change made in between fails the action instead of being
//! overwritten. Not here: waiting for the pods (`maintain validate` after it in a window).
//! Files: `flags.rs` (the flags and the patch file into one patch); planning and applying here.
//! Tests: `tests.rs` (the pure parts); `tests/it/maintain/scale.rs` end to end against the stateful
//! fixture API server.

mod flags;
#[cfg(test)]
mod tests;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::Ctx;
use crate::backends::kubernetes::PatchKind;
use crate::cli::ScaleArgs;
use crate::error::UsageError;
use crate::mutation::exec::Exec;
use crate::mutation::patch::{backup_of, has_directives, value_diff};
use crate::mutation::runner::ActionError;
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, Plan, PlannedAction};

use flags::check_requests;
pub use flags::{
    Want, Workload, combine, flags_patch, parse_env, parse_patch_type, parse_resources,
    parse_workload, patch_type_name, quantity_value, read_patch,
};

pub const STEP_ID: &str = "scale";

/// Plan the patch of one workload; reads only.
pub async fn plan(ctx: &Ctx, args: &ScaleArgs, step: u8, plan: &mut Plan) -> Result<()> {
    let workload = parse_workload(args.workload.trim())?;
    let want = Want::from_args(args)?;
    if args.patch.is_none() && args.patch_type.is_some() {
        return Err(UsageError::with_hint(
            "--patch-type is the type of --patch FILE, and no --patch was given",
            "pass --patch FILE, or leave out --patch-type",
        )
        .into());
    }
    let kind = parse_patch_type(args.patch_type.as_deref())?;
    let file = args
        .patch
        .as_ref()
        .map(|p| read_patch(p, kind).map(|v| (kind, v)))
        .transpose()?;
    if want.is_empty() && file.is_none() {
        return Err(UsageError::with_hint(
            format!("nothing to change in {}/{}", workload.kind, workload.name),
            "pass --replicas N, --limits cpu=2,memory=4Gi, --requests ..., --env NAME=VALUE or --patch FILE",
        )
        .into());
    }
    if want.replicas.is_some() && workload.kind == "DaemonSet" {
        return Err(UsageError::with_hint(
            format!(
                "DaemonSet {} has no replicas: it runs one pod per node",
                workload.name
            ),
            "leave out --replicas; a DaemonSet follows its node selector and tolerations",
        )
        .into());
    }
    let kube = ctx.kube("maintain scale")?;
    let object = workload.object(&ctx.namespace);
    let live = kube
        .get_object(&object)
        .await
        .with_context(|| format!("reading {object}"))?
        .ok_or_else(|| {
            UsageError::with_hint(
                format!("{object} does not exist"),
                format!(
                    "check the name and the namespace: kubectl get {} -n {}",
                    object.plural, ctx.namespace
                ),
            )
        })?;
    let flags = flags_patch(&live, &want)?;
    let source = args
        .patch
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let directives = file
        .as_ref()
        .is_some_and(|(k, v)| *k == PatchKind::Strategic && has_directives(v));
    let combined = combine(&live, flags, file, &source)?;
    let id = format!(
        "{}/{}/{}",
        workload.kind.to_ascii_lowercase(),
        ctx.namespace,
        workload.name
    );
    let mut what = want.describe();
    if args.patch.is_some() {
        what.push(format!("{} patch {source}", patch_type_name(kind)));
    }
    let observed = Observed::Present {
        resource_version: live["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        uid: live["metadata"]["uid"].as_str().map(str::to_string),
    };
    let diff = combined
        .as_ref()
        .map(|(_, _, after)| value_diff(&live, after))
        .unwrap_or_default();
    if let Some((_, _, after)) = &combined {
        check_requests(after, want.container.as_deref())?;
    }
    let action = match combined {
        Some((kind, body, _)) if !diff.is_empty() || directives => {
            let mut diff = diff;
            if directives {
                diff.push(format!(
                    "(the $-directives of {source} are applied by the API server; not previewed)"
                ));
            }
            PlannedAction {
                id,
                step,
                step_id: STEP_ID.into(),
                change: Change::Update,
                summary: format!("patch {object}: {}", what.join(", ")),
                diff,
                operation: Operation::Patch {
                    object: object.clone(),
                    patch_type: patch_type_name(kind).into(),
                    patch: body,
                },
                observed,
                inverse: Some(Inverse::Restore {
                    object: object.clone(),
                }),
                backup: Some(backup_of(&live)),
            }
        }
        other => PlannedAction {
            id,
            step,
            step_id: STEP_ID.into(),
            change: Change::Unchanged,
            summary: format!("{object} already has {}", what.join(", ")),
            diff: Vec::new(),
            operation: Operation::Patch {
                object: object.clone(),
                patch_type: patch_type_name(other.as_ref().map_or(PatchKind::Strategic, |c| c.0))
                    .into(),
                patch: other.map(|c| c.1).unwrap_or_else(|| json!({})),
            },
            observed,
            inverse: None,
            backup: None,
        },
    };
    plan.actions.push(action);
    Ok(())
}

/// The patch with the resourceVersion the plan saw as a precondition: the API server answers
/// 409 (or, for a JSON Patch, 422 on the `test`) when the object changed in between.
pub fn with_precondition(kind: PatchKind, patch: &Value, resource_version: &str) -> Value {
    match kind {
        PatchKind::Json => {
            let mut ops = vec![json!({"op": "test", "path": "/metadata/resourceVersion",
                                      "value": resource_version})];
            ops.extend(patch.as_array().cloned().unwrap_or_default());
            Value::Array(ops)
        }
        PatchKind::Strategic | PatchKind::Merge => {
            let mut p = patch.clone();
            if let Some(m) = p.as_object_mut() {
                let meta = m.entry("metadata").or_insert_with(|| json!({}));
                if let Some(meta) = meta.as_object_mut() {
                    meta.insert("resourceVersion".into(), json!(resource_version));
                }
            }
            p
        }
    }
}

/// Run a planned [`Operation::Patch`]: the object must still be at the resourceVersion the plan
/// saw; the result carries the new one (the rollback's restore checks it).
pub async fn apply(
    x: &Exec<'_>,
    action: &PlannedAction,
    _backup: Option<&Value>,
) -> Result<ActionResult, ActionError> {
    let Operation::Patch {
        object,
        patch_type,
        patch,
    } = &action.operation
    else {
        return Err(ActionError::new(format!("{}: not a patch", action.summary)));
    };
    let kube = x.kube.ok_or_else(|| {
        ActionError::with_hint(
            "a patch needs a Kubernetes cluster, and no kubeconfig was found",
            "pass --kubeconfig PATH (or set KUBECONFIG)",
        )
    })?;
    let kind = parse_patch_type(Some(patch_type)).map_err(|e| ActionError::new(e.message))?;
    let kube_err =
        |e: crate::transport::BackendError| ActionError::with_hint(e.one_line(), e.hint());
    let Observed::Present {
        resource_version, ..
    } = &action.observed
    else {
        return Err(ActionError::new(format!(
            "{object}: the plan did not see it, so there is nothing to patch"
        )));
    };
    let again = "run `tracectl maintain scale --dry-run` again and review the new diff";
    let live = kube.get_object(object).await.map_err(kube_err)?;
    let now = live
        .as_ref()
        .map(|v| v["metadata"]["resourceVersion"].as_str().unwrap_or(""));
    match now {
        None => {
            return Err(ActionError::with_hint(
                format!("{object} was deleted since the plan"),
                again,
            ));
        }
        Some(rv) if rv != resource_version => {
            return Err(ActionError::with_hint(
                format!(
                    "{object} changed since the plan: its resourceVersion is {rv}, the plan saw {resource_version}"
                ),
                again,
            ));
        }
        Some(_) => {}
    }
    let body = with_precondition(kind, patch, resource_version);
    let after = kube
        .patch_object(object, kind, &body)
        .await
        .map_err(kube_err)?;
    let rv = after["metadata"]["resourceVersion"]
        .as_str()
        .map(str::to_string);
    Ok(ActionResult {
        detail: format!(
            "patched ({} patch), resourceVersion {resource_version} → {}",
            patch_type_name(kind),
            rv.as_deref().unwrap_or("?")
        ),
        uid: after["metadata"]["uid"].as_str().map(str::to_string),
        resource_version: rv,
        ..Default::default()
    })
}
