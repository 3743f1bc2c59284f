//! From k8s-openapi objects to this backend's domain types: the choices about which field wins
//! (annotations for revisions, `managedFields` for "last changed", the several timestamps of an
//! event) live here, and nothing else does: no I/O, and the conversions cannot fail (missing
//! fields become `None`).
//!
//! Before them, [`object`] and [`list`] decide whether a body is what was asked for at all: every
//! field of a k8s-openapi type is optional, so any JSON object (a proxy's or another API's
//! `{"status":"error",...}`) would decode as an empty ConfigMap or Deployment. An object must say
//! its `kind` and `apiVersion`; a List must say a `kind` ending in `List` and hold `items`. The
//! reasons they return become [`crate::transport::ErrorKind::Decode`] in `client.rs`.
//!
//! Field meanings: <https://kubernetes.io/docs/reference/kubernetes-api/>. Tests: below, on the
//! fixtures in `testdata/`; the request side is tested in `client.rs`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::Resource;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{self as core, ConfigMap, Event, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};

use super::{
    ConfigMapInfo, ContainerInfo, ContainerSpec, ContainerState, DeploymentInfo, EventInfo,
    PodInfo, Resources, Revision, ServiceInfo, Terminated, WorkloadInfo, WorkloadKind,
};

/// A Service's name, labels and ports; a port outside 1..=65535 (not a valid Service) is left out.
pub(super) fn service(s: &Service) -> ServiceInfo {
    let ports = s
        .spec
        .iter()
        .flat_map(|spec| spec.ports.iter().flatten())
        .filter_map(|p| {
            Some((
                p.name.clone(),
                u16::try_from(p.port).ok().filter(|n| *n > 0)?,
            ))
        })
        .collect();
    ServiceInfo {
        namespace: s.metadata.namespace.clone().unwrap_or_default(),
        name: s.metadata.name.clone().unwrap_or_default(),
        labels: s.metadata.labels.clone().unwrap_or_default(),
        ports,
    }
}

/// A JSON value for a one-line message: scalars as they are (strings cut short), containers by
/// type, so a message never carries a body.
fn brief(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) if s.chars().count() > 40 => {
            format!("{:?}...", s.chars().take(40).collect::<String>())
        }
        serde_json::Value::Array(_) => "an array".into(),
        serde_json::Value::Object(_) => "an object".into(),
        other => other.to_string(),
    }
}

/// What `v` is, for a message: its `kind` when it has one.
fn what(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => match m.get("kind") {
            Some(k @ serde_json::Value::String(_)) => format!("kind {}", brief(k)),
            Some(other) => format!("a \"kind\" of {}", brief(other)),
            None => "a JSON object without \"kind\"".into(),
        },
        serde_json::Value::Array(_) => "a JSON array".into(),
        other => format!("the JSON value {}", brief(other)),
    }
}

/// The body of a `GET` of one `K`, decoded once it says it is one (`kind` and `apiVersion`); the
/// reason otherwise.
pub fn object<K: Resource + serde::de::DeserializeOwned>(
    v: serde_json::Value,
) -> Result<K, String> {
    let (kind, api_version) = (v.get("kind"), v.get("apiVersion"));
    if kind.and_then(|k| k.as_str()) != Some(K::KIND)
        || api_version.and_then(|a| a.as_str()) != Some(K::API_VERSION)
    {
        let got = match api_version {
            _ if kind.is_none_or(|k| k != K::KIND) => what(&v),
            Some(a @ serde_json::Value::String(_)) => format!("apiVersion {}", brief(a)),
            Some(other) => format!("an \"apiVersion\" of {}", brief(other)),
            None => "no \"apiVersion\"".into(),
        };
        return Err(format!(
            "expected kind {} ({}), got {got}",
            K::KIND,
            K::API_VERSION
        ));
    }
    serde_json::from_value(v).map_err(|e| format!("not a valid {}: {e}", K::KIND))
}

/// The body of a `GET` of a collection of `K`, decoded once it says it is a List (`kind` ending in
/// `List`: `PodList`, or a plain `List`) with `items`; the reason otherwise.
pub fn list<K: Resource + Clone + serde::de::DeserializeOwned>(
    v: serde_json::Value,
) -> Result<kube::core::ObjectList<K>, String> {
    let expected = || format!("expected kind {}List", K::KIND);
    match v.get("kind").and_then(|k| k.as_str()) {
        Some(k) if k.ends_with("List") => {}
        _ => return Err(format!("{}, got {}", expected(), what(&v))),
    }
    match v.get("items") {
        Some(serde_json::Value::Array(_) | serde_json::Value::Null) => {}
        Some(other) => {
            return Err(format!("{}, got \"items\" of {}", expected(), brief(other)));
        }
        None => return Err(format!("{}, got one without \"items\"", expected())),
    }
    serde_json::from_value(v).map_err(|e| format!("not a valid {}List: {e}", K::KIND))
}

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

fn ts(t: &Option<Time>) -> Option<Timestamp> {
    t.as_ref().map(|t| t.0)
}

fn annotation<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    meta.annotations.as_ref()?.get(key).map(String::as_str)
}

pub(super) fn annotation_of(meta: &ObjectMeta, key: &str) -> Option<String> {
    annotation(meta, key).map(str::to_string)
}

fn revision_of(meta: &ObjectMeta) -> Option<u64> {
    annotation(meta, REVISION)?.trim().parse().ok()
}

fn resources(r: Option<&core::ResourceRequirements>) -> Resources {
    let quantities =
        |m: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>| {
            m.map(|m| m.iter().map(|(k, q)| (k.clone(), q.0.clone())).collect())
                .unwrap_or_default()
        };
    Resources {
        requests: quantities(r.and_then(|r| r.requests.as_ref())),
        limits: quantities(r.and_then(|r| r.limits.as_ref())),
    }
}

fn containers(spec: Option<&core::PodSpec>) -> &[core::Container] {
    spec.map(|s| s.containers.as_slice()).unwrap_or_default()
}

/// The containers' images, in the template's order.
pub(super) fn images(spec: Option<&core::PodSpec>) -> Vec<String> {
    containers(spec)
        .iter()
        .filter_map(|c| c.image.clone())
        .collect()
}

/// Each container's variables as `container/NAME` → a fingerprint of the value (or of its
/// `valueFrom`, as JSON): which variables a rollout changed, without keeping any value.
pub(super) fn env_fingerprints(spec: Option<&core::PodSpec>) -> BTreeMap<String, String> {
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
pub(super) fn container_specs(spec: Option<&core::PodSpec>) -> Vec<ContainerSpec> {
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

pub fn config_map(cm: &ConfigMap, namespace: &str) -> ConfigMapInfo {
    let created = ts(&cm.metadata.creation_timestamp);
    let last_changed = cm
        .metadata
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|f| ts(&f.time))
        .max()
        .or(created);
    let mut data_keys: Vec<String> = cm
        .data
        .iter()
        .flat_map(|d| d.keys().cloned())
        .chain(cm.binary_data.iter().flat_map(|d| d.keys().cloned()))
        .collect();
    data_keys.sort();
    ConfigMapInfo {
        namespace: namespace.to_string(),
        name: cm.metadata.name.clone().unwrap_or_default(),
        resource_version: cm.metadata.resource_version.clone(),
        created,
        last_changed,
        data_keys,
    }
}

fn terminated(t: &core::ContainerStateTerminated) -> Terminated {
    Terminated {
        reason: t.reason.clone(),
        exit_code: t.exit_code,
        started_at: ts(&t.started_at),
        finished_at: ts(&t.finished_at),
    }
}

fn state(s: Option<&core::ContainerState>) -> ContainerState {
    let Some(s) = s else {
        return ContainerState::Unknown;
    };
    if let Some(t) = &s.terminated {
        ContainerState::Terminated(terminated(t))
    } else if let Some(w) = &s.waiting {
        ContainerState::Waiting {
            reason: w.reason.clone(),
            message: w.message.clone(),
        }
    } else if let Some(r) = &s.running {
        ContainerState::Running {
            started_at: ts(&r.started_at),
        }
    } else {
        ContainerState::Unknown
    }
}

/// Spec and status joined by container name: the status says what happened, the spec says what
/// limits it ran under.
pub fn pod(p: &Pod) -> PodInfo {
    let status = p.status.as_ref();
    let statuses = status
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or_default();
    PodInfo {
        name: p.metadata.name.clone().unwrap_or_default(),
        phase: status.and_then(|s| s.phase.clone()),
        node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
        started: status.and_then(|s| ts(&s.start_time)),
        containers: containers(p.spec.as_ref())
            .iter()
            .map(|c| {
                let st = statuses.iter().find(|s| s.name == c.name);
                ContainerInfo {
                    name: c.name.clone(),
                    image: c.image.clone().unwrap_or_default(),
                    ready: st.is_some_and(|s| s.ready),
                    restart_count: st.map_or(0, |s| s.restart_count),
                    state: state(st.and_then(|s| s.state.as_ref())),
                    last_terminated: st
                        .and_then(|s| s.last_state.as_ref())
                        .and_then(|l| l.terminated.as_ref())
                        .map(terminated),
                    resources: resources(c.resources.as_ref()),
                }
            })
            .collect(),
    }
}

/// Older writers set `firstTimestamp`/`lastTimestamp`/`count`; newer ones (events.k8s.io) leave
/// those null and set `eventTime` and `series` instead, so each field falls back in turn.
pub fn event(e: &Event) -> EventInfo {
    let event_time = e.event_time.as_ref().map(|t| t.0);
    let series = e.series.as_ref();
    let first_seen = ts(&e.first_timestamp)
        .or(event_time)
        .or(ts(&e.metadata.creation_timestamp));
    let last_seen = ts(&e.last_timestamp)
        .or(series
            .and_then(|s| s.last_observed_time.as_ref())
            .map(|t| t.0))
        .or(event_time)
        .or(first_seen);
    EventInfo {
        reason: e.reason.clone(),
        message: e.message.clone(),
        event_type: e.type_.clone(),
        count: e.count.or(series.and_then(|s| s.count)).unwrap_or(1),
        first_seen,
        last_seen,
        object_kind: e.involved_object.kind.clone(),
        object_name: e.involved_object.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_object_must_say_it_is_one() {
        let cm: ConfigMap =
            object(serde_json::from_str(include_str!("testdata/configmap.json")).unwrap()).unwrap();
        assert_eq!(cm.metadata.name.as_deref(), Some("checkout-config"));
        for (body, reason) in [
            (
                r#"{"status":"error","errorType":"execution","error":"too many samples"}"#,
                r#"expected kind ConfigMap (v1), got a JSON object without "kind""#,
            ),
            (
                include_str!("testdata/deployment.json"),
                r#"expected kind ConfigMap (v1), got kind "Deployment""#,
            ),
            (
                r#"{"kind":"ConfigMap","apiVersion":"v2","data":{}}"#,
                r#"expected kind ConfigMap (v1), got apiVersion "v2""#,
            ),
            (
                r#"{"kind":"ConfigMap","data":{}}"#,
                r#"expected kind ConfigMap (v1), got no "apiVersion""#,
            ),
            (
                r#"{"status":42,"kind":7,"apiVersion":false,"items":"none"}"#,
                r#"expected kind ConfigMap (v1), got a "kind" of 7"#,
            ),
            ("[1,2]", "expected kind ConfigMap (v1), got a JSON array"),
            (
                r#"{"kind":{"a":1},"apiVersion":"v1"}"#,
                r#"expected kind ConfigMap (v1), got a "kind" of an object"#,
            ),
            (
                r#""<html>Sign in to continue to the cluster dashboard, then retry</html>""#,
                r#"expected kind ConfigMap (v1), got the JSON value "<html>Sign in to continue to the cluster"..."#,
            ),
            (
                "null",
                "expected kind ConfigMap (v1), got the JSON value null",
            ),
        ] {
            let err = object::<ConfigMap>(serde_json::from_str(body).unwrap()).unwrap_err();
            assert_eq!(err, reason, "{body}");
        }
        let err = object::<ConfigMap>(
            serde_json::from_str(r#"{"kind":"ConfigMap","apiVersion":"v1","data":[1]}"#).unwrap(),
        )
        .unwrap_err();
        assert!(err.starts_with("not a valid ConfigMap: "), "{err}");
    }

    #[test]
    fn a_list_must_say_it_is_one_and_hold_items() {
        let pods: kube::core::ObjectList<Pod> =
            list(serde_json::from_str(include_str!("testdata/pods.json")).unwrap()).unwrap();
        assert_eq!(pods.items.len(), 2);
        let generic: kube::core::ObjectList<Pod> =
            list(serde_json::json!({"apiVersion": "v1", "kind": "List", "items": null})).unwrap();
        assert!(generic.items.is_empty());
        for (body, reason) in [
            (
                r#"{"status":"error","errorType":"execution","error":"too many samples"}"#,
                r#"expected kind PodList, got a JSON object without "kind""#,
            ),
            (
                r#"{"items":[]}"#,
                r#"expected kind PodList, got a JSON object without "kind""#,
            ),
            (
                include_str!("testdata/configmap.json"),
                r#"expected kind PodList, got kind "ConfigMap""#,
            ),
            (
                r#"{"kind":"PodList","apiVersion":"v1"}"#,
                r#"expected kind PodList, got one without "items""#,
            ),
            (
                r#"{"status":42,"kind":"PodList","apiVersion":false,"items":"none"}"#,
                r#"expected kind PodList, got "items" of "none""#,
            ),
        ] {
            let err = list::<Pod>(serde_json::from_str(body).unwrap()).unwrap_err();
            assert_eq!(err, reason, "{body}");
        }
        let err = list::<Pod>(serde_json::json!({"kind": "PodList", "items": [7]})).unwrap_err();
        assert!(err.starts_with("not a valid PodList: "), "{err}");
    }

    #[test]
    fn selector_covers_labels_and_expressions() {
        let sel = LabelSelector {
            match_labels: Some([("app".to_string(), "checkout".to_string())].into()),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: "In".into(),
                    values: Some(vec!["web".into(), "api".into()]),
                },
                LabelSelectorRequirement {
                    key: "canary".into(),
                    operator: "DoesNotExist".into(),
                    values: None,
                },
            ]),
        };
        assert_eq!(
            selector_string(&sel),
            "app=checkout,tier in (web,api),!canary"
        );
    }

    #[test]
    fn deployment_fields() {
        let d: Deployment = parse(include_str!("testdata/deployment.json"));
        let info = deployment(&d, "shop");
        assert_eq!(info.current_revision, Some(3));
        assert_eq!(
            (info.replicas, info.ready_replicas, info.updated_replicas),
            (3, 2, 3)
        );
        assert_eq!(info.selector, "app=checkout");
        assert_eq!(info.containers[0].image, "registry.example/checkout:1.4.2");
        assert_eq!(info.containers[0].resources.limits["memory"], "256Mi");
        assert_eq!(info.containers[0].resources.requests["cpu"], "100m");
    }

    #[test]
    fn config_map_last_change_is_latest_managed_field() {
        let cm: ConfigMap = parse(include_str!("testdata/configmap.json"));
        let info = config_map(&cm, "shop");
        assert_eq!(info.data_keys, ["FEATURE_FLAGS", "POOL_SIZE"]);
        assert_eq!(info.resource_version.as_deref(), Some("27009817"));
        assert_eq!(
            info.last_changed,
            Some("2026-11-25T09:41:07Z".parse().unwrap())
        );
        let mut bare = cm.clone();
        bare.metadata.managed_fields = None;
        assert_eq!(config_map(&bare, "shop").last_changed, info.created);
    }

    #[test]
    fn new_style_events_fall_back_to_event_time_and_series() {
        let e: Event = parse(
            r#"{"apiVersion":"v1","kind":"Event","count":null,"eventTime":"2026-11-25T09:50:00.123456Z",
                "firstTimestamp":null,"lastTimestamp":null,
                "involvedObject":{"kind":"Pod","name":"checkout-7d9f8b6c5d-x2x7q","namespace":"shop"},
                "metadata":{"name":"checkout-7d9f8b6c5d-x2x7q.1","namespace":"shop"},
                "reason":"Evicted","message":"The node was low on resource: memory.","type":"Warning",
                "series":{"count":4,"lastObservedTime":"2026-11-25T09:58:00.000000Z"}}"#,
        );
        let info = event(&e);
        assert_eq!(info.count, 4);
        assert_eq!(
            info.first_seen,
            Some("2026-11-25T09:50:00.123456Z".parse().unwrap())
        );
        assert_eq!(
            info.last_seen,
            Some("2026-11-25T09:58:00Z".parse().unwrap())
        );
    }
}
