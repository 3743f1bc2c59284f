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
//! Field meanings: <https://kubernetes.io/docs/reference/kubernetes-api/>. Deployments, the
//! workloads and revisions: `convert/workload.rs`. Tests: `convert/tests.rs`, on the fixtures in
//! `testdata/`; the request side is tested in `client.rs`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::Resource;
use k8s_openapi::api::core::v1::{self as core, ConfigMap, Event, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::{
    ConfigMapInfo, ContainerInfo, ContainerState, EventInfo, PodInfo, Resources, ServiceInfo,
    Terminated,
};

#[cfg(test)]
mod tests;
mod workload;

pub(super) use workload::{container_specs, env_fingerprints, images};
pub use workload::{
    daemonset_workload, deployment, deployment_workload, revisions, selector_string,
    statefulset_workload,
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
