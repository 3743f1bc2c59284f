//! Planning manifest objects: deploy's step 6, and `maintain config --rules` (any caller with a
//! [`Kube`] and a list of [`Manifest`]s, via [`manifest_actions`]). Every object is found by
//! discovery (or, for a kind a CRD of the same run defines, from that CRD), namespaced into the
//! run's namespace when it names none. [`object_action`] is the decision alone, also used for the
//! ConfigMaps `maintain config` builds from files: unchanged when the caller's [`Describe`] finds
//! nothing to change (deploy's: every field the manifest sets is already live), an update that
//! keeps the live object as the backup its undo restores, or a creation undone by a delete. Below
//! them, the apply and its undo as the executor runs them. Tests: below (the pure parts);
//! `tests/it/deploy.rs` and `tests/it/maintain/scale.rs` end to end.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::deploy::{Deploy, live_ns_absent};
use super::{action, present};
use crate::backends::kubernetes::{Kube, ObjectRef, split_api_version};
use crate::error::UsageError;
use crate::mutation::exec::Exec;
use crate::mutation::journal::Undo;
use crate::mutation::ops::manifests::{self, CrdKind, Manifest};
use crate::mutation::patch::{backup_of, object_diff};
use crate::mutation::runner::{ActionError, must_look};
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, Plan, PlannedAction};
use crate::transport::BackendError;

/// An update's `diff` lines, from the manifest and the live object; empty when applying the
/// manifest would change nothing.
pub type Describe = fn(&Value, &Value) -> Vec<String>;

/// Step 6.
pub async fn manifests(d: &Deploy, plan: &mut Plan) -> Result<()> {
    let actions = manifest_actions(
        &d.kube,
        &d.inputs.namespace,
        manifests::load(&d.inputs.manifests)?,
        (6, "manifests"),
        live_ns_absent(plan),
        object_diff,
    )
    .await?;
    plan.actions.extend(actions);
    Ok(())
}

/// One action per manifest, CRDs first ([`manifests::order`]); reads only. `namespace` is the
/// run's: objects of a namespaced kind that name none go there, and when `ns_created` (an earlier
/// action creates it) nothing in it is read, as nothing can exist there yet.
pub async fn manifest_actions(
    kube: &Kube,
    namespace: &str,
    ms: Vec<Manifest>,
    step: (u8, &str),
    ns_created: bool,
    describe: Describe,
) -> Result<Vec<PlannedAction>> {
    let ms = manifests::order(ms);
    let crds: Vec<CrdKind> = ms.iter().filter_map(manifests::crd_kind).collect();
    let mut served: BTreeMap<(String, String), Option<(String, bool)>> = BTreeMap::new();
    let mut out = Vec::with_capacity(ms.len());
    for m in &ms {
        let key = (m.api_version.clone(), m.kind.clone());
        if !served.contains_key(&key) {
            let s = kube
                .discover(&m.api_version, &m.kind)
                .await
                .with_context(|| {
                    format!("step {}: discovering {} {}", step.0, m.api_version, m.kind)
                })?;
            served.insert(key.clone(), s.map(|s| (s.plural, s.namespaced)));
        }
        let p = place(m, served[&key].clone(), &crds, namespace)?;
        // Nothing can exist yet in a namespace this run creates, nor of a type not served yet.
        let in_new_ns = ns_created && p.object.namespace.as_deref() == Some(namespace);
        let live = if p.type_served && !in_new_ns {
            kube.get_object(&p.object)
                .await
                .with_context(|| format!("step {}: reading {}", step.0, p.object))?
        } else {
            None
        };
        let id = object_id(&p.object);
        let mut a = object_action(
            id,
            step,
            p.object,
            p.manifest,
            &m.source,
            live.as_ref(),
            describe,
        );
        if !p.type_served {
            a.observed = Observed::Unknown {
                reason: "its kind is served once its CRD is applied".into(),
            };
        }
        out.push(a);
    }
    Ok(out)
}

/// Where a manifest goes.
#[derive(Debug, PartialEq)]
pub struct Placed {
    pub object: ObjectRef,
    /// The manifest with `metadata.namespace` as the object's (removed for a cluster-scoped kind).
    pub manifest: Value,
    /// False when only a CRD of the same run defines the kind: nothing of it can be read yet.
    pub type_served: bool,
}

/// A manifest's object: plural and scope from discovery (`served`), else from a CRD among `crds`;
/// namespaced into `namespace` when its kind is namespaced and it names none. A kind neither
/// serves is a usage error.
pub fn place(
    m: &Manifest,
    served: Option<(String, bool)>,
    crds: &[CrdKind],
    namespace: &str,
) -> Result<Placed, UsageError> {
    let (group, version) = split_api_version(&m.api_version);
    let (plural, namespaced, type_served) = match served {
        Some((p, n)) => (p, n, true),
        None => {
            let Some(c) = crds.iter().find(|c| {
                c.group == group && c.kind == m.kind && c.versions.iter().any(|v| v == version)
            }) else {
                return Err(UsageError::with_hint(
                    format!(
                        "{}: the cluster does not serve {} {} and no CustomResourceDefinition in the manifests defines it",
                        m.source, m.api_version, m.kind
                    ),
                    "install the operator or CRD that defines it first, or add its CRD to a manifest directory",
                ));
            };
            (c.plural.clone(), c.namespaced, false)
        }
    };
    let ns = namespaced.then(|| m.namespace.clone().unwrap_or_else(|| namespace.to_string()));
    let mut manifest = m.body.clone();
    if let Some(meta) = manifest.get_mut("metadata").and_then(Value::as_object_mut) {
        match &ns {
            Some(ns) => {
                meta.insert("namespace".into(), json!(ns));
            }
            None => {
                meta.remove("namespace");
            }
        }
    }
    Ok(Placed {
        object: ObjectRef {
            api_version: m.api_version.clone(),
            kind: m.kind.clone(),
            plural,
            namespace: ns,
            name: m.name.clone(),
        },
        manifest,
        type_served,
    })
}

/// `object/<kind>/<namespace>/<name>`, or `object/<kind>/<name>` for a cluster-scoped object.
pub fn object_id(object: &ObjectRef) -> String {
    format!(
        "object/{}/{}{}",
        object.kind.to_ascii_lowercase(),
        object
            .namespace
            .as_deref()
            .map(|n| format!("{n}/"))
            .unwrap_or_default(),
        object.name
    )
}

/// The action that makes `object` as `manifest` (from `source`), given what is `live`: a creation
/// expecting it absent, undone by deleting it; unchanged when `describe` finds nothing; else an
/// update with `describe`'s lines, expecting the live version, undone by restoring the live
/// object, which is its backup.
pub fn object_action(
    id: String,
    step: (u8, &str),
    object: ObjectRef,
    manifest: Value,
    source: &str,
    live: Option<&Value>,
    describe: Describe,
) -> PlannedAction {
    let Some(live) = live else {
        return action(
            id,
            step,
            Change::Create,
            format!("create {object} ({source})"),
            Operation::Apply {
                object: object.clone(),
                manifest,
            },
            Observed::Absent,
            Some(Inverse::Delete { object }),
        );
    };
    let diff = describe(&manifest, live);
    let op = Operation::Apply {
        object: object.clone(),
        manifest,
    };
    if diff.is_empty() {
        return action(
            id,
            step,
            Change::Unchanged,
            format!("{object} is as in {source}"),
            op,
            present(live),
            None,
        );
    }
    let mut a = action(
        id,
        step,
        Change::Update,
        format!("update {object} ({source})"),
        op,
        present(live),
        Some(Inverse::Restore {
            object: object.clone(),
        }),
    );
    a.diff = diff;
    a.backup = Some(backup_of(live));
    a
}

// Doing it: the executor's part (`crate::mutation::exec`), the apply beside its undo.

fn kube_err(e: BackendError) -> ActionError {
    ActionError::with_hint(e.one_line(), e.hint())
}

fn meta(v: &Value, key: &str) -> Option<String> {
    v["metadata"][key].as_str().map(str::to_string)
}

/// [`Operation::Apply`] and [`Operation::ApplySecret`] (the Secret's value comes from the
/// executor's password, never from the plan).
pub async fn apply(x: &Exec<'_>, action: &PlannedAction) -> Result<ActionResult, ActionError> {
    match &action.operation {
        Operation::Apply { object, manifest } => {
            apply_object(x, object, manifest, &action.observed).await
        }
        Operation::ApplySecret { object, keys, .. } => {
            let (Some(pw), Some(key), Some(ns)) =
                (x.password, keys.first(), object.namespace.as_deref())
            else {
                return Err(ActionError::new("no Elasticsearch password to write"));
            };
            let manifest = super::secret::manifest(ns, &object.name, key, pw);
            apply_object(x, object, &manifest, &action.observed).await
        }
        _ => Err(ActionError::new("not a Kubernetes object action")),
    }
}

/// The object is as the plan saw it.
async fn expect(x: &Exec<'_>, object: &ObjectRef, observed: &Observed) -> Result<(), ActionError> {
    let live = x.kube()?.get_object(object).await.map_err(kube_err)?;
    let changed = match (observed, &live) {
        (Observed::Absent, Some(_)) => Some("it exists now".to_string()),
        (
            Observed::Present {
                resource_version, ..
            },
            Some(v),
        ) if meta(v, "resourceVersion").as_deref() != Some(resource_version.as_str()) => {
            Some(format!(
                "its resourceVersion is {}, the plan saw {resource_version}",
                meta(v, "resourceVersion").unwrap_or_default()
            ))
        }
        (Observed::Present { .. }, None) => Some("it was deleted".into()),
        _ => None,
    };
    match changed {
        Some(why) => Err(ActionError::with_hint(
            format!("{object} changed since the plan: {why}"),
            "plan again (`tracectl deploy plan`, or the maintain command with --dry-run) and review it",
        )),
        None => Ok(()),
    }
}

/// A kind whose CRD was just applied is served a moment later.
async fn await_served(x: &Exec<'_>, object: &ObjectRef) -> Result<(), ActionError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if x.kube()?
            .discover(&object.api_version, &object.kind)
            .await
            .map_err(kube_err)?
            .is_some()
        {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(ActionError::with_hint(
                format!(
                    "the cluster does not serve {} {} 60s after its CRD was applied",
                    object.api_version, object.kind
                ),
                "check the CRD's status: kubectl get crd -o yaml",
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn apply_object(
    x: &Exec<'_>,
    object: &ObjectRef,
    manifest: &Value,
    observed: &Observed,
) -> Result<ActionResult, ActionError> {
    if matches!(observed, Observed::Unknown { .. }) {
        // Its kind comes with a CRD applied earlier in this run.
        await_served(x, object).await?;
    } else {
        expect(x, object, observed).await?;
    }
    let after = x
        .kube()?
        .apply_object(object, manifest)
        .await
        .map_err(kube_err)?;
    Ok(ActionResult {
        detail: match observed {
            Observed::Present { .. } => "updated".into(),
            _ => "created".into(),
        },
        uid: meta(&after, "uid"),
        resource_version: meta(&after, "resourceVersion"),
        ..Default::default()
    })
}

/// Undo [`Inverse::Delete`] (with the created object's uid as a precondition) and
/// [`Inverse::Restore`] (the journal's backup, unless the object changed since).
pub async fn undo(x: &Exec<'_>, undo: &Undo) -> Result<String, ActionError> {
    let look = must_look(undo);
    let kube = x.kube()?;
    let Some(inverse) = &undo.action.inverse else {
        return Ok("nothing to undo".into());
    };
    match inverse {
        Inverse::Delete { object } => {
            let uid = match (&undo.result, look) {
                (Some(r), false) => r.uid.clone(),
                _ => {
                    // Not known to be done: delete only what is there, with its own uid.
                    match kube.get_object(object).await.map_err(kube_err)? {
                        None => return Ok(format!("nothing to undo: {object} does not exist")),
                        Some(v) => meta(&v, "uid"),
                    }
                }
            };
            match x
                .kube()?
                .delete_object(object, uid.as_deref())
                .await
                .map_err(kube_err)?
            {
                true => Ok(format!("deleted {object}")),
                false => Ok(format!("{object} was already gone")),
            }
        }
        Inverse::Restore { object } => {
            let Some(backup) = &undo.backup else {
                return Err(ActionError::new(format!(
                    "the journal holds no backup of {object}"
                )));
            };
            let live = kube.get_object(object).await.map_err(kube_err)?;
            let rv = live.as_ref().and_then(|v| meta(v, "resourceVersion"));
            let before = match &undo.action.observed {
                Observed::Present {
                    resource_version, ..
                } => Some(resource_version.clone()),
                _ => None,
            };
            if look && rv.is_some() && rv == before {
                return Ok(format!("nothing to undo: {object} was not changed"));
            }
            if let (false, Some(after)) = (
                look,
                undo.result
                    .as_ref()
                    .and_then(|r| r.resource_version.clone()),
            ) && rv.as_deref() != Some(after.as_str())
            {
                return Err(ActionError::with_hint(
                    format!(
                        "{object} was changed again after the deploy (resourceVersion {}, the deploy left {after})",
                        rv.unwrap_or_else(|| "none: deleted".into())
                    ),
                    "restore it by hand from the backup in the journal",
                ));
            }
            if live.is_none() {
                kube.apply_object(object, backup).await.map_err(kube_err)?;
            } else {
                kube.replace_object(object, backup)
                    .await
                    .map_err(kube_err)?;
            }
            Ok(format!("restored {object}"))
        }
        _ => Err(ActionError::new("not a Kubernetes object undo")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(api_version: &str, kind: &str, namespace: Option<&str>) -> Manifest {
        Manifest {
            source: "m/a.yaml".into(),
            api_version: api_version.into(),
            kind: kind.into(),
            name: "a".into(),
            namespace: namespace.map(str::to_string),
            body: json!({"apiVersion": api_version, "kind": kind,
                         "metadata": {"name": "a", "namespace": namespace}, "spec": {"x": 1}}),
        }
    }

    #[test]
    fn objects_are_placed_by_discovery_or_by_a_crd_of_the_run() {
        let p = place(
            &manifest("v1", "ConfigMap", None),
            Some(("configmaps".into(), true)),
            &[],
            "monitoring",
        )
        .unwrap();
        assert_eq!(p.object.namespace.as_deref(), Some("monitoring"));
        assert_eq!(p.manifest["metadata"]["namespace"], "monitoring");
        assert!(p.type_served);
        assert_eq!(object_id(&p.object), "object/configmap/monitoring/a");

        let p = place(
            &manifest("rbac.authorization.k8s.io/v1", "ClusterRole", Some("x")),
            Some(("clusterroles".into(), false)),
            &[],
            "monitoring",
        )
        .unwrap();
        assert_eq!(p.object.namespace, None);
        assert!(p.manifest["metadata"].get("namespace").is_none());
        assert_eq!(object_id(&p.object), "object/clusterrole/a");

        let crd = CrdKind {
            group: "opentelemetry.io".into(),
            kind: "Instrumentation".into(),
            plural: "instrumentations".into(),
            namespaced: true,
            versions: vec!["v1alpha1".into()],
        };
        let m = manifest("opentelemetry.io/v1alpha1", "Instrumentation", Some("apps"));
        let p = place(&m, None, std::slice::from_ref(&crd), "monitoring").unwrap();
        assert_eq!(p.object.plural, "instrumentations");
        assert_eq!(p.object.namespace.as_deref(), Some("apps"));
        assert!(!p.type_served);
        let m = manifest("opentelemetry.io/v1beta9", "Instrumentation", None);
        let e = place(&m, None, &[crd], "monitoring").unwrap_err();
        assert!(e.message.contains("does not serve"), "{}", e.message);
    }

    #[test]
    fn an_object_is_created_updated_or_unchanged() {
        let object = ObjectRef {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            plural: "configmaps".into(),
            namespace: Some("monitoring".into()),
            name: "a".into(),
        };
        let want = json!({"metadata": {"name": "a"}, "data": {"k": "2"}});
        let plan = |live: Option<&Value>| {
            object_action(
                "id".into(),
                (3, "config"),
                object.clone(),
                want.clone(),
                "a.yaml",
                live,
                object_diff,
            )
        };
        let a = plan(None);
        assert_eq!(
            (a.change, a.step, a.step_id.as_str()),
            (Change::Create, 3, "config")
        );
        assert_eq!(a.observed, Observed::Absent);
        assert_eq!(a.summary, "create ConfigMap monitoring/a (a.yaml)");
        assert!(matches!(a.inverse, Some(Inverse::Delete { .. })));

        let live = json!({"metadata": {"name": "a", "resourceVersion": "7", "uid": "u"},
                          "data": {"k": "1", "other": "kept"}});
        let a = plan(Some(&live));
        assert_eq!(a.change, Change::Update);
        assert_eq!(a.diff, ["data.k"]);
        assert!(matches!(a.inverse, Some(Inverse::Restore { .. })));
        let backup = a.backup.unwrap();
        assert_eq!(backup["data"]["k"], "1");
        assert!(backup["metadata"].get("resourceVersion").is_none());
        assert_eq!(
            a.observed,
            Observed::Present {
                resource_version: "7".into(),
                uid: Some("u".into())
            }
        );

        let mut same = live.clone();
        same["data"]["k"] = json!("2");
        let a = plan(Some(&same));
        assert_eq!(a.change, Change::Unchanged);
        assert_eq!(a.summary, "ConfigMap monitoring/a is as in a.yaml");
        assert_eq!((a.inverse, a.backup), (None, None));
    }
}
