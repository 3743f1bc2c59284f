//! Steps 1–3 of the plan: the namespace (created if missing, an existing one left alone), the Helm
//! repositories (added when missing; one of the same name pointing elsewhere is an error), and the
//! Elasticsearch Secret (compared with the password given, which is never shown; an updated one
//! cannot be put back, and the plan says so). Tests: `tests/it/deploy.rs`.

use anyhow::{Context, Result};
use serde_json::json;

use super::Deploy;
use super::live_ns_absent;
use crate::backends::helm::HelmError;
use crate::backends::kubernetes::ObjectRef;
use crate::error::UsageError;
use crate::mutation::ops::{action, namespace_ref, present, secret_ref};
use crate::mutation::{Change, Inverse, Observed, Operation, Plan};

/// Step 1.
pub async fn namespace(d: &Deploy, plan: &mut Plan) -> Result<()> {
    let ns = &d.inputs.namespace;
    let ns_ref = namespace_ref(ns);
    let live_ns = d
        .kube
        .get_object(&ns_ref)
        .await
        .context("step 1: reading the namespace")?;
    plan.actions.push(match live_ns {
        None => action(
            format!("namespace/{ns}"),
            (1, "namespace"),
            Change::Create,
            format!("create Namespace {ns}"),
            Operation::Apply {
                object: ns_ref.clone(),
                manifest: json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
            },
            Observed::Absent,
            Some(Inverse::Delete { object: ns_ref }),
        ),
        Some(live) => action(
            format!("namespace/{ns}"),
            (1, "namespace"),
            Change::Unchanged,
            format!("Namespace {ns} exists"),
            Operation::Apply {
                object: ns_ref,
                manifest: json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
            },
            present(&live),
            None,
        ),
    });

    Ok(())
}

/// Step 2; `Some` when helm is missing (the plan notes it; `apply` refuses).
pub async fn repositories(d: &Deploy, plan: &mut Plan) -> Result<Option<HelmError>> {
    let mut helm_missing = None;
    let repos = match d.helm.repo_list().await {
        Ok(r) => Some(r),
        Err(e @ HelmError::Missing { .. }) => {
            plan.notes.push(format!(
                "{e}: the Helm steps' current state is unknown; hint: {}",
                e.hint()
            ));
            helm_missing = Some(e);
            None
        }
        Err(e) => return Err(anyhow::Error::new(e).context("step 2: helm repo list")),
    };
    for r in &d.inputs.repositories {
        let id = format!("helm-repo/{}", r.name);
        let op = Operation::HelmRepoAdd {
            name: r.name.clone(),
            url: r.url.clone(),
        };
        let a = match repos
            .as_ref()
            .map(|rs| rs.iter().find(|x| x.name == r.name))
        {
            None => action(
                id,
                (2, "helm-repos"),
                Change::Create,
                format!("add helm repo {} {}", r.name, r.url),
                op,
                Observed::Unknown {
                    reason: "helm not found".into(),
                },
                None,
            ),
            Some(None) => action(
                id,
                (2, "helm-repos"),
                Change::Create,
                format!("add helm repo {} {}", r.name, r.url),
                op,
                Observed::Absent,
                Some(Inverse::HelmRepoRemove {
                    name: r.name.clone(),
                }),
            ),
            Some(Some(found)) if found.url.trim_end_matches('/') == r.url.trim_end_matches('/') => {
                action(
                    id,
                    (2, "helm-repos"),
                    Change::Unchanged,
                    format!("helm repo {} is {}", r.name, r.url),
                    op,
                    Observed::Repo {
                        url: found.url.clone(),
                    },
                    None,
                )
            }
            Some(Some(found)) => {
                return Err(UsageError::with_hint(
                    format!(
                        "helm repo {} points at {}, not {}",
                        r.name, found.url, r.url
                    ),
                    format!(
                        "`helm repo remove {}` if it is stale, or give the repository another name in deploy.yaml",
                        r.name
                    ),
                )
                .into());
            }
        };
        plan.actions.push(a);
    }

    Ok(helm_missing)
}

/// Step 3.
pub async fn secret(d: &Deploy, plan: &mut Plan) -> Result<()> {
    let ns = &d.inputs.namespace;
    let s = &d.inputs.secret;
    let s_ref = secret_ref(ns, &s.name);
    let live_secret = if live_ns_absent(plan) {
        None
    } else {
        d.kube
            .secret_data(ns, &s.name)
            .await
            .context("step 3: reading the Secret")?
    };
    let secret_action = match (&d.password, live_secret) {
        (None, None) => {
            return Err(UsageError::with_hint(
                format!(
                    "the Secret {ns}/{} does not exist and no Elasticsearch password was given",
                    s.name
                ),
                "pass --es-password-file PATH or --es-password-env VAR (or elasticsearch_secret in deploy.yaml)",
            )
            .into());
        }
        (None, Some(_)) => {
            plan.notes.push(format!(
                "Secret {ns}/{} exists and no password was given: left as it is",
                s.name
            ));
            None
        }
        (Some(_), None) => Some(action(
            format!("secret/{ns}/{}", s.name),
            (3, "secret"),
            Change::Create,
            format!(
                "create Secret {ns}/{} (key {}, value from {})",
                s.name,
                s.key,
                source_text(d)
            ),
            secret_op(d, &s_ref),
            Observed::Absent,
            Some(Inverse::Delete {
                object: s_ref.clone(),
            }),
        )),
        (Some(pw), Some(data)) => {
            let same = data.get(&s.key).map(Vec::as_slice) == Some(pw.expose().as_bytes());
            let live = d.kube.get_object(&s_ref).await.context("step 3")?;
            let observed = live.as_ref().map(present).unwrap_or(Observed::Absent);
            Some(if same {
                action(
                    format!("secret/{ns}/{}", s.name),
                    (3, "secret"),
                    Change::Unchanged,
                    format!("Secret {ns}/{} holds the password given", s.name),
                    secret_op(d, &s_ref),
                    observed,
                    None,
                )
            } else {
                let mut a = action(
                    format!("secret/{ns}/{}", s.name),
                    (3, "secret"),
                    Change::Update,
                    format!(
                        "update Secret {ns}/{} (key {}, value from {})",
                        s.name,
                        s.key,
                        source_text(d)
                    ),
                    secret_op(d, &s_ref),
                    observed,
                    Some(Inverse::Keep {
                        reason: format!(
                            "the previous value of Secret {ns}/{} is not kept anywhere: a rollback leaves the new one",
                            s.name
                        ),
                    }),
                );
                a.diff = vec![format!("data.{}", s.key)];
                a
            })
        }
    };
    plan.actions.extend(secret_action);

    Ok(())
}

fn source_text(d: &Deploy) -> String {
    d.inputs
        .secret
        .source
        .as_ref()
        .map(|s| s.to_string())
        .unwrap_or_default()
}

fn secret_op(d: &Deploy, r: &ObjectRef) -> Operation {
    Operation::ApplySecret {
        object: r.clone(),
        keys: vec![d.inputs.secret.key.clone()],
        source: source_text(d),
    }
}
