//! Deployments, StatefulSets and DaemonSets as this backend's types: a workload's identity for
//! service mapping, its containers and selector, and a Deployment's revisions from its ReplicaSets.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::{CHANGE_CAUSE, annotation, containers, resources, revision_of, ts};
use crate::backends::kubernetes::{
    ContainerSpec, DeploymentInfo, Revision, WorkloadInfo, WorkloadKind,
};

/// The containers' images, in the template's order.
pub(crate) fn images(spec: Option<&core::PodSpec>) -> Vec<String> {
    containers(spec)
        .iter()
        .filter_map(|c| c.image.clone())
        .collect()
}

/// Each container's variables as `container/NAME` → a fingerprint of the value (or of its
/// `valueFrom`, as JSON): which variables a rollout changed, without keeping any value.
pub(crate) fn env_fingerprints(spec: Option<&core::PodSpec>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for c in containers(spec) {
        for e in c.env.iter().flatten() {
            let source = match (&e.value, &e.value_from) {
                (Some(v), _) => format!("value:{v}"),
                (None, Some(from)) => {
                    format!("from:{}", serde_json::to_string(from).unwrap_or_default())
                }
                (None, None) => "value:".to_string(),
            };
            out.insert(
                format!("{}/{}", c.name, e.name),
                crate::model::cluster::env_fingerprint(&source),
            );
        }
    }
    out
}

/// The selector in the syntax `?labelSelector=` takes (and `kubectl get -l` prints).
pub fn selector_string(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            // An operator this version does not know: leaving it out would widen the selector
            // silently; this makes the API reject it instead.
            other => format!("{} {other} ({values})", e.key),
        });
    }
    parts.join(",")
}

/// The containers of a pod template as [`DeploymentInfo::containers`] keeps them.
pub(crate) fn container_specs(spec: Option<&core::PodSpec>) -> Vec<ContainerSpec> {
    containers(spec)
        .iter()
        .map(|c| ContainerSpec {
            name: c.name.clone(),
            image: c.image.clone().unwrap_or_default(),
            resources: resources(c.resources.as_ref()),
            sdk_env: sdk_env(c),
        })
        .collect()
}

pub fn deployment(d: &Deployment, namespace: &str) -> DeploymentInfo {
    let spec = d.spec.as_ref();
    let status = d.status.as_ref();
    DeploymentInfo {
        namespace: namespace.to_string(),
        name: d.metadata.name.clone().unwrap_or_default(),
        current_revision: revision_of(&d.metadata),
        replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
        updated_replicas: status.and_then(|s| s.updated_replicas).unwrap_or(0),
        ready_replicas: status.and_then(|s| s.ready_replicas).unwrap_or(0),
        available_replicas: status.and_then(|s| s.available_replicas).unwrap_or(0),
        selector: spec
            .map(|s| selector_string(&s.selector))
            .unwrap_or_default(),
        containers: container_specs(spec.and_then(|s| s.template.spec.as_ref())),
    }
}

/// The SDK identity and sampler variables of a container that have a literal value.
fn sdk_env(c: &core::Container) -> BTreeMap<String, String> {
    c.env
        .iter()
        .flatten()
        .filter(|e| crate::model::cluster::SDK_ENV.contains(&e.name.as_str()))
        .filter_map(|e| Some((e.name.clone(), e.value.clone()?)))
        .collect()
}

/// A workload's identity for service mapping, from its metadata, selector and pod template.
fn workload_info(
    kind: WorkloadKind,
    namespace: &str,
    meta: &ObjectMeta,
    selector: Option<&LabelSelector>,
    template: Option<&core::PodTemplateSpec>,
) -> WorkloadInfo {
    WorkloadInfo {
        kind,
        namespace: namespace.to_string(),
        name: meta.name.clone().unwrap_or_default(),
        labels: meta.labels.clone().unwrap_or_default(),
        template_labels: template
            .and_then(|t| t.metadata.as_ref())
            .and_then(|m| m.labels.clone())
            .unwrap_or_default(),
        selector: selector.map(selector_string).unwrap_or_default(),
        containers: containers(template.and_then(|t| t.spec.as_ref()))
            .iter()
            .map(|c| (c.name.clone(), sdk_env(c)))
            .collect(),
        config_maps: mounted_config_maps(template.and_then(|t| t.spec.as_ref())),
    }
}

/// The ConfigMaps a pod template mounts, as volumes or inside projected volumes, each once.
fn mounted_config_maps(spec: Option<&core::PodSpec>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in spec.and_then(|s| s.volumes.as_ref()).into_iter().flatten() {
        let direct = v.config_map.as_ref().map(|c| c.name.clone());
        let projected = v
            .projected
            .as_ref()
            .and_then(|p| p.sources.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|s| s.config_map.as_ref().map(|c| c.name.clone()));
        for name in direct.into_iter().chain(projected) {
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

pub fn deployment_workload(d: &Deployment, namespace: &str) -> WorkloadInfo {
    let spec = d.spec.as_ref();
    workload_info(
        WorkloadKind::Deployment,
        namespace,
        &d.metadata,
        spec.map(|s| &s.selector),
        spec.map(|s| &s.template),
    )
}

pub fn statefulset_workload(s: &StatefulSet, namespace: &str) -> WorkloadInfo {
    let spec = s.spec.as_ref();
    workload_info(
        WorkloadKind::StatefulSet,
        namespace,
        &s.metadata,
        spec.map(|s| &s.selector),
        spec.map(|s| &s.template),
    )
}

pub fn daemonset_workload(d: &DaemonSet, namespace: &str) -> WorkloadInfo {
    let spec = d.spec.as_ref();
    workload_info(
        WorkloadKind::DaemonSet,
        namespace,
        &d.metadata,
        spec.map(|s| &s.selector),
        spec.map(|s| &s.template),
    )
}

/// The ReplicaSets the Deployment controls, oldest revision first. Ownership is by the owner's
/// uid, not its name: a Deployment deleted and re-created under the same name must not inherit its
/// predecessor's history, and a label selector alone can match another owner's ReplicaSets.
pub fn revisions(rss: &[ReplicaSet], owner_uid: &str) -> Vec<Revision> {
    let mut out: Vec<Revision> = rss
        .iter()
        .filter(|rs| {
            rs.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == owner_uid)
        })
        .filter_map(|rs| {
            let Some(revision) = revision_of(&rs.metadata) else {
                tracing::debug!(rs = ?rs.metadata.name, "ReplicaSet without a revision annotation");
                return None;
            };
            let spec = rs.spec.as_ref();
            let pod_spec = spec
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref());
            Some(Revision {
                revision,
                replica_set: rs.metadata.name.clone().unwrap_or_default(),
                created: ts(&rs.metadata.creation_timestamp),
                images: images(pod_spec),
                env: env_fingerprints(pod_spec),
                change_cause: annotation(&rs.metadata, CHANGE_CAUSE).map(str::to_string),
                replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
                ready_replicas: rs
                    .status
                    .as_ref()
                    .and_then(|s| s.ready_replicas)
                    .unwrap_or(0),
            })
        })
        .collect();
    out.sort_by_key(|r| r.revision);
    out
}
