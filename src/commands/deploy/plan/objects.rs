//! Step 6 of the plan: every manifest object, found by discovery (or, for a kind a CRD of the same
//! apply defines, from that CRD), namespaced into the deploy's namespace when it names none. An
//! object is unchanged when every field its manifest sets is already live; an update keeps the
//! live object as the backup its undo restores. Tests: `tests/it/deploy.rs`.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Deploy, action, live_ns_absent, present};
use crate::backends::kubernetes::{ObjectRef, split_api_version};
use crate::commands::deploy::manifests::{self, CrdKind, Manifest};
use crate::error::UsageError;
use crate::mutation::diff::{backup_of, object_diff};
use crate::mutation::{Change, Inverse, Observed, Operation, Plan, PlannedAction};

/// Step 6.
pub async fn manifests(d: &Deploy, plan: &mut Plan) -> Result<()> {
    let ms = manifests::order(manifests::load(&d.inputs.manifests)?);
    let crds: Vec<CrdKind> = ms.iter().filter_map(manifests::crd_kind).collect();
    let mut served: BTreeMap<(String, String), Option<(String, bool)>> = BTreeMap::new();
    for m in &ms {
        let key = (m.api_version.clone(), m.kind.clone());
        if !served.contains_key(&key) {
            let s = d
                .kube
                .discover(&m.api_version, &m.kind)
                .await
                .with_context(|| format!("step 6: discovering {} {}", m.api_version, m.kind))?;
            served.insert(key.clone(), s.map(|s| (s.plural, s.namespaced)));
        }
        let a = manifest_action(d, m, served[&key].clone(), &crds, live_ns_absent(plan)).await?;
        plan.actions.push(a);
    }

    Ok(())
}

async fn manifest_action(
    d: &Deploy,
    m: &Manifest,
    served: Option<(String, bool)>,
    crds: &[CrdKind],
    ns_created: bool,
) -> Result<PlannedAction> {
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
                )
                .into());
            };
            (c.plural.clone(), c.namespaced, false)
        }
    };
    let namespace = namespaced.then(|| {
        m.namespace
            .clone()
            .unwrap_or_else(|| d.inputs.namespace.clone())
    });
    let object = ObjectRef {
        api_version: m.api_version.clone(),
        kind: m.kind.clone(),
        plural,
        namespace: namespace.clone(),
        name: m.name.clone(),
    };
    let mut manifest = m.body.clone();
    if let Some(meta) = manifest.get_mut("metadata").and_then(Value::as_object_mut) {
        match &namespace {
            Some(ns) => {
                meta.insert("namespace".into(), json!(ns));
            }
            None => {
                meta.remove("namespace");
            }
        }
    }
    let id = format!(
        "object/{}/{}{}",
        m.kind.to_ascii_lowercase(),
        namespace
            .as_deref()
            .map(|n| format!("{n}/"))
            .unwrap_or_default(),
        m.name
    );
    // Nothing can exist yet in a namespace this run creates, nor of a type not served yet.
    let in_new_ns = ns_created && namespace.as_deref() == Some(d.inputs.namespace.as_str());
    let live = if type_served && !in_new_ns {
        d.kube
            .get_object(&object)
            .await
            .with_context(|| format!("step 6: reading {object}"))?
    } else {
        None
    };
    let op = Operation::Apply {
        object: object.clone(),
        manifest: manifest.clone(),
    };
    Ok(match live {
        None => action(
            id,
            (6, "manifests"),
            Change::Create,
            format!("create {object} ({})", m.source),
            op,
            if type_served {
                Observed::Absent
            } else {
                Observed::Unknown {
                    reason: "its kind is served once its CRD is applied".into(),
                }
            },
            Some(Inverse::Delete { object }),
        ),
        Some(live) => {
            let diff = object_diff(&manifest, &live);
            if diff.is_empty() {
                action(
                    id,
                    (6, "manifests"),
                    Change::Unchanged,
                    format!("{object} is as in {}", m.source),
                    op,
                    present(&live),
                    None,
                )
            } else {
                let mut a = action(
                    id,
                    (6, "manifests"),
                    Change::Update,
                    format!("update {object} ({})", m.source),
                    op,
                    present(&live),
                    Some(Inverse::Restore {
                        object: object.clone(),
                    }),
                );
                a.diff = diff;
                a.backup = Some(backup_of(&live));
                a
            }
        }
    })
}
