//! A workload's rollout history whatever its kind ([`Kube::workload_history`]): a Deployment's
//! from its ReplicaSets (`client.rs`), a StatefulSet's or DaemonSet's from its
//! ControllerRevisions, which is how `kubectl rollout history statefulset/NAME` reads it.
//!
//! Not here: the Deployment's read (`Kube::rollout_history`), the domain types (`mod.rs`).
//! Calls (`GET`; [ControllerRevision](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/controller-revision-v1/)):
//! `apis/apps/v1/namespaces/{ns}/{statefulsets,daemonsets}/{name}`, then
//! `apis/apps/v1/namespaces/{ns}/controllerrevisions?labelSelector=` with the workload's own
//! selector (every ControllerRevision carries its pod template's labels, which the selector
//! matches), kept by the owner's uid as kubectl does. A ControllerRevision's `revision` is the
//! revision number, and its `data` is the patch that restores the pod template
//! (`{"spec":{"template":{"$patch":"replace", ...}}}`): the images and environment each revision
//! ran are read from it. Tests: below, against the mock API server of `testkit.rs`.

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, StatefulSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use kube::api::{Api, ListParams};

use super::convert::{self, CHANGE_CAUSE};
use super::{DeploymentInfo, Kube, Revision, RolloutHistory, WorkloadKind};
use crate::transport::BackendError;

impl Kube {
    /// The rollout history of the `kind` workload `name`: a Deployment's ReplicaSets, a
    /// StatefulSet's or DaemonSet's ControllerRevisions; oldest revision first.
    pub async fn workload_history(
        &self,
        namespace: &str,
        kind: WorkloadKind,
        name: &str,
    ) -> Result<RolloutHistory, BackendError> {
        match kind {
            WorkloadKind::Deployment => self.rollout_history(namespace, name).await,
            WorkloadKind::StatefulSet => {
                self.check("namespace", namespace, true)?;
                self.check("StatefulSet name", name, false)?;
                let api: Api<StatefulSet> = Api::namespaced(self.raw().clone(), namespace);
                let s = self.get_checked(&api, name).await?;
                let spec = s.spec.as_ref();
                let status = s.status.clone().unwrap_or_default();
                let info = DeploymentInfo {
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                    current_revision: None,
                    replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
                    updated_replicas: status.updated_replicas.unwrap_or(0),
                    ready_replicas: status.ready_replicas.unwrap_or(0),
                    available_replicas: status.available_replicas.unwrap_or(0),
                    selector: spec
                        .map(|s| convert::selector_string(&s.selector))
                        .unwrap_or_default(),
                    containers: convert::container_specs(
                        spec.and_then(|s| s.template.spec.as_ref()),
                    ),
                };
                let uid = s.metadata.uid.clone().unwrap_or_default();
                let current = status.update_revision.clone();
                self.controlled(kind, info, &uid, current).await
            }
            WorkloadKind::DaemonSet => {
                self.check("namespace", namespace, true)?;
                self.check("DaemonSet name", name, false)?;
                let api: Api<DaemonSet> = Api::namespaced(self.raw().clone(), namespace);
                let d = self.get_checked(&api, name).await?;
                let spec = d.spec.as_ref();
                let status = d.status.clone().unwrap_or_default();
                let info = DeploymentInfo {
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                    current_revision: None,
                    replicas: status.desired_number_scheduled,
                    updated_replicas: status.updated_number_scheduled.unwrap_or(0),
                    ready_replicas: status.number_ready,
                    available_replicas: status.number_available.unwrap_or(0),
                    selector: spec
                        .map(|s| convert::selector_string(&s.selector))
                        .unwrap_or_default(),
                    containers: convert::container_specs(
                        spec.and_then(|s| s.template.spec.as_ref()),
                    ),
                };
                let uid = d.metadata.uid.clone().unwrap_or_default();
                self.controlled(kind, info, &uid, None).await
            }
        }
    }

    /// The ControllerRevisions `uid` owns, listed by the workload's selector; `current`: the
    /// name of the revision its pods are updated to (a StatefulSet's `status.updateRevision`),
    /// else the highest revision.
    async fn controlled(
        &self,
        kind: WorkloadKind,
        mut info: DeploymentInfo,
        uid: &str,
        current: Option<String>,
    ) -> Result<RolloutHistory, BackendError> {
        let api: Api<ControllerRevision> = Api::namespaced(self.raw().clone(), &info.namespace);
        let mut lp = ListParams::default();
        if !info.selector.is_empty() {
            lp = lp.labels(&info.selector);
        }
        let list = self.list_checked(&api, &lp).await?;
        let revisions = controller_revisions(&list.items, uid, current.as_deref(), &info);
        info.current_revision = current
            .and_then(|c| revisions.iter().find(|r| r.replica_set == c))
            .or(revisions.last())
            .map(|r| r.revision);
        Ok(RolloutHistory {
            kind,
            deployment: info,
            revisions,
        })
    }
}

/// The ControllerRevisions owned by `owner_uid`, oldest revision first. A ControllerRevision
/// records no replica count: the current one (`current`, else the highest) gets the workload's,
/// the others 0, as a Deployment's old ReplicaSets have.
pub(super) fn controller_revisions(
    crs: &[ControllerRevision],
    owner_uid: &str,
    current: Option<&str>,
    workload: &DeploymentInfo,
) -> Vec<Revision> {
    let mut owned: Vec<&ControllerRevision> = crs
        .iter()
        .filter(|cr| {
            cr.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == owner_uid)
        })
        .filter(|cr| cr.revision > 0)
        .collect();
    owned.sort_by_key(|cr| cr.revision);
    let current = current
        .filter(|c| {
            owned
                .iter()
                .any(|cr| cr.metadata.name.as_deref() == Some(c))
        })
        .map(str::to_string)
        .or_else(|| owned.last().and_then(|cr| cr.metadata.name.clone()));
    owned
        .into_iter()
        .map(|cr| {
            let name = cr.metadata.name.clone().unwrap_or_default();
            let template = template_of(cr);
            let pod_spec = template.as_ref().and_then(|t| t.spec.as_ref());
            let is_current = current.as_deref() == Some(name.as_str());
            Revision {
                revision: cr.revision as u64,
                created: cr.metadata.creation_timestamp.as_ref().map(|t| t.0),
                images: convert::images(pod_spec),
                env: convert::env_fingerprints(pod_spec),
                change_cause: convert::annotation_of(&cr.metadata, CHANGE_CAUSE),
                replicas: if is_current { workload.replicas } else { 0 },
                ready_replicas: if is_current {
                    workload.ready_replicas
                } else {
                    0
                },
                replica_set: name,
            }
        })
        .collect()
}

/// The pod template a ControllerRevision restores: `data.spec.template` (the `$patch` key is
/// not a field and is ignored). `None` when the data is not that shape.
fn template_of(cr: &ControllerRevision) -> Option<PodTemplateSpec> {
    let t = cr.data.as_ref()?.0.get("spec")?.get("template")?;
    serde_json::from_value(t.clone()).ok()
}

#[cfg(test)]
mod tests;
