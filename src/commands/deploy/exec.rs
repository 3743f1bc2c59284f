//! The deploy's [`Executor`]: each [`Operation`] and each [`Inverse`] made real through kube-rs
//! and `helm`.
//!
//! Before a change, what the plan observed is checked again (an object still absent, or still at
//! its resourceVersion; a release still at its revision): if someone changed it since the plan,
//! the action fails rather than overwrite their change. A custom resource whose CRD this run just
//! applied waits (up to 60s) for the API server to serve its kind. A release's values are written
//! to `<journal>.values/<release>.json` (0600) and passed with `--values`.
//!
//! Undo, per [`Inverse`]: delete with the created object's uid as a precondition; restore the
//! journal's backup unless the object changed since; `helm rollback REL REV` only if the release
//! is still at the revision the deploy made; `helm uninstall`; `helm repo remove`. When the journal
//! does not say the action finished (its certainty is failed or unknown), the undo looks first and
//! undoes only what is there to undo ("nothing to undo: release jaeger is not installed").
//! Not here: the order, the journal, stopping (`crate::mutation::runner`). Tests:
//! `tests/it/deploy.rs`.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use super::helm::{Helm, HelmError};
use super::progress::DeployProgress;
use super::verify::{self, VerifyTarget};
use super::{secret, wait};
use crate::backends::kubernetes::{Kube, ObjectRef};
use crate::mutation::journal::Undo;
use crate::mutation::runner::{ActionError, Executor, must_look};
use crate::mutation::{ActionResult, Inverse, Observed, Operation, PlannedAction};
use crate::transport::BackendError;
use crate::transport::live::Secret;

pub struct DeployExecutor<'a> {
    pub kube: &'a Kube,
    pub helm: &'a Helm,
    /// The Elasticsearch password, for the Secret's apply only.
    pub password: Option<&'a Secret>,
    /// Where release values files are written.
    pub values_dir: PathBuf,
    pub verify: Option<&'a VerifyTarget>,
    pub progress: &'a DeployProgress,
}

fn kube_err(e: BackendError) -> ActionError {
    ActionError::with_hint(e.one_line(), e.hint())
}

fn helm_err(e: HelmError) -> ActionError {
    ActionError::with_hint(e.to_string(), e.hint())
}

fn meta(v: &Value, key: &str) -> Option<String> {
    v["metadata"][key].as_str().map(str::to_string)
}

impl DeployExecutor<'_> {
    /// The object is as the plan saw it.
    async fn expect(&self, object: &ObjectRef, observed: &Observed) -> Result<(), ActionError> {
        let live = self.kube.get_object(object).await.map_err(kube_err)?;
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
    async fn await_served(&self, object: &ObjectRef) -> Result<(), ActionError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if self
                .kube
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
        &self,
        object: &ObjectRef,
        manifest: &Value,
        observed: &Observed,
    ) -> Result<ActionResult, ActionError> {
        if matches!(observed, Observed::Unknown { .. }) {
            // Its kind comes with a CRD applied earlier in this run.
            self.await_served(object).await?;
        } else {
            self.expect(object, observed).await?;
        }
        let after = self
            .kube
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

    async fn upgrade(
        &self,
        r: &crate::mutation::HelmRelease,
        observed: &Observed,
    ) -> Result<ActionResult, ActionError> {
        let now = self
            .helm
            .release(&r.namespace, &r.release)
            .await
            .map_err(helm_err)?;
        let before = match (observed, &now) {
            (Observed::NotInstalled, None) => None,
            (Observed::Release { revision, .. }, Some(n)) if n.revision == *revision => {
                Some(*revision)
            }
            (_, n) => {
                return Err(ActionError::with_hint(
                    format!(
                        "release {} changed since the plan: it is {}",
                        r.release,
                        n.as_ref()
                            .map(|n| format!("at revision {} ({})", n.revision, n.status))
                            .unwrap_or_else(|| "not installed".into())
                    ),
                    "plan again (`tracectl deploy plan`, or the maintain command with --dry-run) and review it",
                ));
            }
        };
        crate::mutation::journal::create_private_dir(&self.values_dir).map_err(|e| {
            ActionError::new(format!("{}: cannot create: {e}", self.values_dir.display()))
        })?;
        let file = self.values_dir.join(format!("{}.json", r.release));
        write_private(
            &file,
            &serde_json::to_vec_pretty(&r.values).unwrap_or_default(),
        )
        .map_err(|e| ActionError::new(format!("{}: cannot write: {e}", file.display())))?;
        self.helm
            .upgrade_install(r, &file)
            .await
            .map_err(helm_err)?;
        let after = self
            .helm
            .status(&r.namespace, &r.release)
            .await
            .map_err(helm_err)?
            .map(|(rev, _)| rev);
        Ok(ActionResult {
            detail: match (before, after) {
                (None, Some(a)) => format!("installed, revision {a}"),
                (Some(b), Some(a)) => format!("upgraded, revision {b} → {a}"),
                _ => "installed".into(),
            },
            revision_before: before,
            revision_after: after,
            ..Default::default()
        })
    }
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_data()
}

impl Executor for DeployExecutor<'_> {
    async fn apply(
        &self,
        action: &PlannedAction,
        _backup: Option<&Value>,
    ) -> Result<ActionResult, ActionError> {
        match &action.operation {
            Operation::Apply { object, manifest } => {
                self.apply_object(object, manifest, &action.observed).await
            }
            Operation::ApplySecret { object, keys, .. } => {
                let (Some(pw), Some(key), Some(ns)) =
                    (self.password, keys.first(), object.namespace.as_deref())
                else {
                    return Err(ActionError::new("no Elasticsearch password to write"));
                };
                let manifest = secret::manifest(ns, &object.name, key, pw);
                self.apply_object(object, &manifest, &action.observed).await
            }
            Operation::HelmRepoAdd { name, url } => {
                self.helm.repo_add(name, url).await.map_err(helm_err)?;
                Ok(ActionResult::detail("added"))
            }
            Operation::HelmRepoUpdate { names } => {
                self.helm.repo_update(names).await.map_err(helm_err)?;
                Ok(ActionResult::detail("updated"))
            }
            Operation::HelmUpgrade(r) => self.upgrade(r, &action.observed).await,
            Operation::WaitRollout {
                namespace,
                timeout_seconds,
            } => {
                wait::rollout(
                    self.kube,
                    namespace,
                    Duration::from_secs(*timeout_seconds),
                    self.progress,
                )
                .await
            }
            Operation::Verify { .. } => {
                let Some(target) = self.verify else {
                    return Ok(ActionResult::detail("skipped"));
                };
                let results = verify::run(Some(self.kube), target).await;
                let failed: Vec<String> = results
                    .iter()
                    .filter(|r| r.failed())
                    .map(|r| format!("{}: {}", r.name, r.detail))
                    .collect();
                if failed.is_empty() {
                    Ok(ActionResult::detail(format!(
                        "{} checks passed",
                        results.len()
                    )))
                } else {
                    Err(ActionError::with_hint(
                        format!("verification failed: {}", failed.join("; ")),
                        "`tracectl deploy verify` runs the checks again; `tracectl investigate data-loss` digs deeper",
                    ))
                }
            }
            // `maintain`'s own operations: its executor does them, never this one.
            other => Err(ActionError::new(format!(
                "{}: not an action deploy can run ({other:?})",
                action.summary
            ))),
        }
    }

    async fn undo(&self, undo: &Undo) -> Result<String, ActionError> {
        let look = must_look(undo);
        let Some(inverse) = &undo.action.inverse else {
            return Ok("nothing to undo".into());
        };
        match inverse {
            Inverse::Delete { object } => {
                let uid = match (&undo.result, look) {
                    (Some(r), false) => r.uid.clone(),
                    _ => {
                        // Not known to be done: delete only what is there, with its own uid.
                        match self.kube.get_object(object).await.map_err(kube_err)? {
                            None => return Ok(format!("nothing to undo: {object} does not exist")),
                            Some(v) => meta(&v, "uid"),
                        }
                    }
                };
                match self
                    .kube
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
                let live = self.kube.get_object(object).await.map_err(kube_err)?;
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
                    self.kube
                        .apply_object(object, backup)
                        .await
                        .map_err(kube_err)?;
                } else {
                    self.kube
                        .replace_object(object, backup)
                        .await
                        .map_err(kube_err)?;
                }
                Ok(format!("restored {object}"))
            }
            Inverse::HelmRollback {
                release,
                namespace,
                revision,
            } => {
                let now = self
                    .helm
                    .release(namespace, release)
                    .await
                    .map_err(helm_err)?;
                let Some(now) = now else {
                    return Err(ActionError::with_hint(
                        format!(
                            "release {release} is not installed any more; it was at revision {revision}"
                        ),
                        "reinstall it by hand",
                    ));
                };
                if now.revision == *revision {
                    return Ok(format!(
                        "nothing to undo: {release} is still at revision {revision}"
                    ));
                }
                let made = undo.result.as_ref().and_then(|r| r.revision_after);
                if let (false, Some(made)) = (look, made)
                    && now.revision != made
                {
                    return Err(ActionError::with_hint(
                        format!(
                            "release {release} is at revision {} now, not {made} as the deploy left it",
                            now.revision
                        ),
                        format!(
                            "check `helm history {release} -n {namespace}` and roll back by hand"
                        ),
                    ));
                }
                self.helm
                    .rollback(namespace, release, *revision)
                    .await
                    .map_err(helm_err)?;
                Ok(format!("helm rollback {release} {revision}"))
            }
            Inverse::HelmUninstall { release, namespace } => {
                if look
                    && self
                        .helm
                        .release(namespace, release)
                        .await
                        .map_err(helm_err)?
                        .is_none()
                {
                    return Ok(format!("nothing to undo: {release} is not installed"));
                }
                self.helm
                    .uninstall(namespace, release)
                    .await
                    .map_err(helm_err)?;
                Ok(format!("helm uninstall {release}"))
            }
            Inverse::HelmRepoRemove { name } => {
                if look
                    && !self
                        .helm
                        .repo_list()
                        .await
                        .map_err(helm_err)?
                        .iter()
                        .any(|r| &r.name == name)
                {
                    return Ok(format!("nothing to undo: helm repo {name} is not there"));
                }
                self.helm.repo_remove(name).await.map_err(helm_err)?;
                Ok(format!("helm repo remove {name}"))
            }
            Inverse::Keep { reason } => Ok(format!("kept: {reason}")),
            other => Err(ActionError::new(format!(
                "{}: not an undo deploy can do ({})",
                undo.action.summary,
                other.describe()
            ))),
        }
    }
}
