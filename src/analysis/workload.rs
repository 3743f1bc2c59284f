//! Which workload runs a service (issue #17): telemetry names services with `service.name`
//! (`PetSite`, `checkout-api`, `payments.v2`), which often is not the name of the Deployment,
//! StatefulSet or DaemonSet that runs it. In this order, the first that names a workload wins:
//!
//! 1. the traces' resource attributes, as the Collector's `k8sattributes` processor or the SDK's
//!    resource detectors set them: `k8s.deployment.name` / `k8s.statefulset.name` /
//!    `k8s.daemonset.name`, then `k8s.pod.name` (the workload whose pods are named like it), in
//!    `k8s.namespace.name` when given;
//! 2. the workload labels (of the object or its pod template) `app.kubernetes.io/name`, `app`,
//!    `app.kubernetes.io/instance` equal to the service's name, then a container's
//!    `OTEL_SERVICE_NAME` or the `service.name` in its `OTEL_RESOURCE_ATTRIBUTES`;
//! 3. a workload named like the service, where the name is a valid Kubernetes name.
//!
//! Within one rule, Deployments come before StatefulSets and DaemonSets, then name order, so the
//! same cluster always maps the same way. Pure: the traces and the lists of workloads are read by
//! `investigate::workload`. Tests: below.

use std::collections::BTreeMap;

use crate::model::cluster::{WorkloadInfo, WorkloadKind, valid_label, valid_name};
use crate::model::trace::{TagPolicy, Trace};

/// The span tags [`hints`] reads, for the search that feeds it (issue 19): none. It reads the
/// resources' attributes (`Trace::resources`), which the decoders keep whatever the policy.
pub const TAGS: TagPolicy = TagPolicy::None;

/// The labels a workload's name is looked for in, in this order.
pub const NAME_LABELS: [&str; 3] = [
    "app.kubernetes.io/name",
    "app",
    "app.kubernetes.io/instance",
];

/// What a service's traces say about where it runs: the resource attributes of its spans,
/// each the value most of them carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceHints {
    /// `k8s.namespace.name`.
    pub namespace: Option<String>,
    /// `service.namespace`: a logical namespace, often the Kubernetes one.
    pub service_namespace: Option<String>,
    /// `k8s.deployment.name`, `k8s.statefulset.name`, `k8s.daemonset.name`.
    pub workloads: Vec<(WorkloadKind, String)>,
    /// `k8s.pod.name`, every one seen, sorted.
    pub pods: Vec<String>,
}

impl ResourceHints {
    /// The namespaces to list workloads in: `k8s.namespace.name` when the traces say it, else
    /// `default` (the kubeconfig's or `-n`) and `service.namespace` when it is another valid one.
    pub fn namespaces(&self, default: &str) -> Vec<String> {
        if let Some(ns) = self.namespace.as_ref().filter(|n| valid_label(n)) {
            return vec![ns.clone()];
        }
        let mut out = vec![default.to_string()];
        if let Some(ns) = self
            .service_namespace
            .as_ref()
            .filter(|n| valid_label(n) && n.as_str() != default)
        {
            out.push(ns.clone());
        }
        out
    }
}

/// The resource attributes of `service`'s spans in `traces`.
pub fn hints(service: &str, traces: &[Trace]) -> ResourceHints {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for t in traces {
        for r in t.resources.iter().filter(|r| r.service == service) {
            for (k, v) in &r.tags {
                if !v.is_empty() {
                    *counts.entry((k.as_str(), v.as_str())).or_default() += 1;
                }
            }
        }
    }
    // The value most resources carry (ties: name order), for a key that should have one.
    let most = |key: &str| {
        counts
            .iter()
            .filter(|((k, _), _)| *k == key)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.1.cmp(a.0.1)))
            .map(|((_, v), _)| v.to_string())
    };
    let mut workloads = Vec::new();
    for kind in WorkloadKind::ALL {
        let key = match kind {
            WorkloadKind::Deployment => "k8s.deployment.name",
            WorkloadKind::StatefulSet => "k8s.statefulset.name",
            WorkloadKind::DaemonSet => "k8s.daemonset.name",
        };
        if let Some(v) = most(key) {
            workloads.push((kind, v));
        }
    }
    let pods = counts
        .keys()
        .filter(|(k, _)| *k == "k8s.pod.name")
        .map(|(_, v)| v.to_string())
        .collect();
    ResourceHints {
        namespace: most("k8s.namespace.name"),
        service_namespace: most("service.namespace"),
        workloads,
        pods,
    }
}

/// How a service was found to run in a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub workload: WorkloadInfo,
    /// `trace resource attribute k8s.deployment.name=checkout-api`, `label app=checkout`, ...
    pub how: String,
}

impl Mapping {
    /// `checkout → deployment/checkout-api in shop (label app=checkout)`.
    pub fn describe(&self, service: &str) -> String {
        format!(
            "{service} → {} in {} ({})",
            self.workload.reference(),
            self.workload.namespace,
            self.how
        )
    }
}

/// Is pod `pod` one of `w`'s, by the names its controller gives pods: a Deployment's
/// `NAME-<template hash>-<suffix>`, a StatefulSet's `NAME-<ordinal>`, a DaemonSet's
/// `NAME-<suffix>`?
fn owns_pod(w: &WorkloadInfo, pod: &str) -> bool {
    let Some(rest) = pod
        .strip_prefix(w.name.as_str())
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric());
    match w.kind {
        WorkloadKind::Deployment => parts.len() == 2 && parts.iter().all(|p| alnum(p)),
        WorkloadKind::StatefulSet => {
            parts.len() == 1 && !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit())
        }
        WorkloadKind::DaemonSet => parts.len() == 1 && alnum(rest),
    }
}

/// `service.name=S` in an `OTEL_RESOURCE_ATTRIBUTES` value (`k=v,k=v`, values percent-encoded
/// by the spec; only `%2C`, `%3D` and `%20` are decoded, which is what a name holds).
fn names_in_resource_attributes(value: &str) -> Option<String> {
    value.split(',').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k.trim() == "service.name").then(|| {
            v.trim()
                .replace("%2C", ",")
                .replace("%3D", "=")
                .replace("%20", " ")
        })
    })
}

/// The workload running `service`, from the traces' `hints` and the `workloads` listed; `Err`
/// says what was looked for, for the steps that then cannot run.
pub fn map_service(
    service: &str,
    hints: &ResourceHints,
    workloads: &[WorkloadInfo],
) -> Result<Mapping, String> {
    let mut sorted: Vec<&WorkloadInfo> = workloads.iter().collect();
    sorted.sort_by(|a, b| (a.kind, &a.namespace, &a.name).cmp(&(b.kind, &b.namespace, &b.name)));
    let in_ns = |w: &WorkloadInfo| hints.namespace.as_ref().is_none_or(|n| *n == w.namespace);
    let mapped = |w: &WorkloadInfo, how: String| {
        Ok(Mapping {
            workload: w.clone(),
            how,
        })
    };
    // 1. The traces' resource attributes.
    for (kind, name) in &hints.workloads {
        if let Some(w) = sorted
            .iter()
            .filter(|w| in_ns(w))
            .find(|w| w.kind == *kind && w.name == *name)
        {
            let key = format!("k8s.{}.name", kind.as_str());
            return mapped(w, format!("trace resource attribute {key}={name}"));
        }
    }
    for pod in &hints.pods {
        // The longest name wins: `checkout-api-7d9f-x2x7q` is checkout-api's, not checkout's.
        if let Some(w) = sorted
            .iter()
            .filter(|w| in_ns(w))
            .filter(|w| owns_pod(w, pod))
            .max_by_key(|w| w.name.len())
        {
            return mapped(w, format!("trace resource attribute k8s.pod.name={pod}"));
        }
    }
    // 2. Labels, then the SDK's environment.
    for label in NAME_LABELS {
        for w in &sorted {
            for (which, labels) in [
                ("label", &w.labels),
                ("pod template label", &w.template_labels),
            ] {
                if labels.get(label).is_some_and(|v| v == service) {
                    return mapped(w, format!("{which} {label}={service}"));
                }
            }
        }
    }
    for w in &sorted {
        for (container, env) in &w.containers {
            if env.get("OTEL_SERVICE_NAME").is_some_and(|v| v == service) {
                return mapped(
                    w,
                    format!("OTEL_SERVICE_NAME={service} in container {container}"),
                );
            }
            let named = env
                .get("OTEL_RESOURCE_ATTRIBUTES")
                .and_then(|v| names_in_resource_attributes(v));
            if named.as_deref() == Some(service) {
                return mapped(
                    w,
                    format!(
                        "OTEL_RESOURCE_ATTRIBUTES service.name={service} in container {container}"
                    ),
                );
            }
        }
    }
    // 3. The name itself.
    if valid_name(service)
        && let Some(w) = sorted
            .iter()
            .filter(|w| in_ns(w))
            .find(|w| w.name == service)
    {
        return mapped(w, "its own name".to_string());
    }
    let name_rule = if valid_name(service) {
        "no workload of that name"
    } else {
        "and it is not a valid Kubernetes name"
    };
    Err(format!(
        "no Deployment, StatefulSet or DaemonSet found for service {service:?} (by the traces' k8s.* \
         resource attributes, the labels {}, OTEL_SERVICE_NAME/OTEL_RESOURCE_ATTRIBUTES, or its \
         name: {name_rule}); hint: label its workload app.kubernetes.io/name={service} or pass -n \
         with its namespace",
        NAME_LABELS.join(", ")
    ))
}

/// The ConfigMaps the Collector's workloads mount (issue #17: the Helm chart names its ConfigMap
/// after the release, `RELEASE-opentelemetry-collector` with key `relay`; the Operator after the
/// resource). Which of them holds the config is the reader's to tell, by its content. A Collector workload is one named
/// `collector_name`, or labelled so (`app`, `app.kubernetes.io/name`), or labelled as the chart and
/// the Operator label theirs (`app.kubernetes.io/name` or `app.kubernetes.io/component` =
/// `opentelemetry-collector`). Workloads in [`map_service`]'s order (kind, then name), each one's
/// mounts in its template's order, each ConfigMap once.
pub fn collector_config_maps(workloads: &[WorkloadInfo], collector_name: &str) -> Vec<String> {
    const CHART: &str = "opentelemetry-collector";
    let is_collector = |w: &WorkloadInfo| {
        w.name == collector_name
            || w.labels
                .iter()
                .chain(&w.template_labels)
                .any(|(k, v)| match k.as_str() {
                    "app" => v == collector_name,
                    "app.kubernetes.io/name" => v == collector_name || v == CHART,
                    "app.kubernetes.io/component" => v == CHART,
                    _ => false,
                })
    };
    let mut collectors: Vec<&WorkloadInfo> = workloads.iter().filter(|w| is_collector(w)).collect();
    collectors.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    let mut out: Vec<String> = Vec::new();
    for name in collectors.iter().flat_map(|w| &w.config_maps) {
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trace::Resource;

    fn workload(kind: WorkloadKind, ns: &str, name: &str) -> WorkloadInfo {
        WorkloadInfo {
            kind,
            namespace: ns.into(),
            name: name.into(),
            labels: BTreeMap::new(),
            template_labels: BTreeMap::new(),
            selector: format!("app={name}"),
            containers: vec![(name.into(), BTreeMap::new())],
            config_maps: Vec::new(),
        }
    }

    fn labelled(mut w: WorkloadInfo, k: &str, v: &str) -> WorkloadInfo {
        w.template_labels.insert(k.into(), v.into());
        w
    }

    fn with_env(mut w: WorkloadInfo, k: &str, v: &str) -> WorkloadInfo {
        w.containers[0].1.insert(k.into(), v.into());
        w
    }

    fn trace(service: &str, tags: &[(&str, &str)]) -> Trace {
        Trace {
            trace_id: "1".into(),
            spans: Vec::new(),
            resources: vec![Resource {
                service: service.into(),
                tags: tags
                    .iter()
                    .map(|(k, v)| (k.to_string().into(), v.to_string().into()))
                    .collect(),
            }],
            warnings: Vec::new(),
        }
    }

    fn cluster() -> Vec<WorkloadInfo> {
        vec![
            workload(WorkloadKind::Deployment, "shop", "checkout"),
            workload(WorkloadKind::Deployment, "shop", "checkout-api"),
            labelled(
                workload(WorkloadKind::Deployment, "shop", "petsite-web"),
                "app.kubernetes.io/name",
                "PetSite",
            ),
            with_env(
                workload(WorkloadKind::StatefulSet, "shop", "payments-v2"),
                "OTEL_SERVICE_NAME",
                "payments.v2",
            ),
            with_env(
                workload(WorkloadKind::DaemonSet, "shop", "node-agent"),
                "OTEL_RESOURCE_ATTRIBUTES",
                "deployment.environment=prod,service.name=agent",
            ),
            workload(WorkloadKind::StatefulSet, "shop", "redis"),
        ]
    }

    fn mapped(service: &str, hints: &ResourceHints) -> (String, String) {
        let m = map_service(service, hints, &cluster()).expect("mapped");
        (m.workload.reference(), m.how)
    }

    #[test]
    fn the_traces_resource_attributes_come_first() {
        let h = hints(
            "Checkout",
            &[
                trace(
                    "Checkout",
                    &[
                        ("k8s.deployment.name", "checkout-api"),
                        ("k8s.namespace.name", "shop"),
                    ],
                ),
                trace("other", &[("k8s.deployment.name", "checkout")]),
            ],
        );
        assert_eq!(h.namespace.as_deref(), Some("shop"));
        assert_eq!(
            mapped("Checkout", &h),
            (
                "deployment/checkout-api".into(),
                "trace resource attribute k8s.deployment.name=checkout-api".into()
            )
        );
    }

    #[test]
    fn a_pod_name_finds_its_controller_longest_name_first() {
        let h = hints(
            "checkout-svc",
            &[trace(
                "checkout-svc",
                &[("k8s.pod.name", "checkout-api-7d9f8b6c5d-x2x7q")],
            )],
        );
        assert_eq!(mapped("checkout-svc", &h).0, "deployment/checkout-api");
        let h = hints("cache", &[trace("cache", &[("k8s.pod.name", "redis-0")])]);
        assert_eq!(mapped("cache", &h).0, "statefulset/redis");
        let h = hints("x", &[trace("x", &[("k8s.pod.name", "node-agent-4xk2p")])]);
        assert_eq!(mapped("x", &h).0, "daemonset/node-agent");
        // Not a pod name a controller of these would give.
        let h = hints("y", &[trace("y", &[("k8s.pod.name", "redis-x")])]);
        assert!(map_service("y", &h, &cluster()).is_err());
    }

    #[test]
    fn labels_then_the_sdk_environment_then_the_name() {
        let none = ResourceHints::default();
        assert_eq!(
            mapped("PetSite", &none),
            (
                "deployment/petsite-web".into(),
                "pod template label app.kubernetes.io/name=PetSite".into()
            )
        );
        assert_eq!(
            mapped("payments.v2", &none),
            (
                "statefulset/payments-v2".into(),
                "OTEL_SERVICE_NAME=payments.v2 in container payments-v2".into()
            )
        );
        assert_eq!(mapped("agent", &none).0, "daemonset/node-agent");
        assert_eq!(
            mapped("checkout", &none),
            ("deployment/checkout".into(), "its own name".into())
        );
    }

    #[test]
    fn a_label_outranks_another_workloads_name() {
        let mut c = cluster();
        c.push(labelled(
            workload(WorkloadKind::Deployment, "shop", "redis-proxy"),
            "app",
            "redis",
        ));
        let m = map_service("redis", &ResourceHints::default(), &c).unwrap();
        assert_eq!(m.workload.reference(), "deployment/redis-proxy");
    }

    #[test]
    fn a_service_with_no_workload_says_what_was_looked_for() {
        let e = map_service("Frontend Proxy", &ResourceHints::default(), &cluster()).unwrap_err();
        assert!(e.contains("not a valid Kubernetes name"), "{e}");
        assert!(
            e.contains("app.kubernetes.io/name, app, app.kubernetes.io/instance"),
            "{e}"
        );
        // A namespace from the traces confines the search to it.
        let h = ResourceHints {
            namespace: Some("other".into()),
            ..Default::default()
        };
        assert!(map_service("checkout", &h, &cluster()).is_err());
    }

    #[test]
    fn the_namespaces_to_list() {
        let mut h = ResourceHints::default();
        assert_eq!(h.namespaces("shop"), ["shop"]);
        h.service_namespace = Some("payments".into());
        assert_eq!(h.namespaces("shop"), ["shop", "payments"]);
        h.service_namespace = Some("Payments Team".into());
        assert_eq!(h.namespaces("shop"), ["shop"]);
        h.namespace = Some("prod".into());
        assert_eq!(h.namespaces("shop"), ["prod"]);
    }

    #[test]
    fn the_collectors_config_is_what_its_workloads_mount() {
        let mount = |mut w: WorkloadInfo, cms: &[&str]| {
            w.config_maps = cms.iter().map(|c| c.to_string()).collect();
            w
        };
        // A Helm release "obs": the chart's labels, its ConfigMap named after the release.
        let chart = mount(
            labelled(
                workload(
                    WorkloadKind::DaemonSet,
                    "monitoring",
                    "obs-opentelemetry-collector-agent",
                ),
                "app.kubernetes.io/name",
                "opentelemetry-collector",
            ),
            &["obs-opentelemetry-collector-agent", "ca-bundle"],
        );
        // The Operator: component label, name after the resource.
        let operator = mount(
            labelled(
                workload(WorkloadKind::Deployment, "monitoring", "gateway-collector"),
                "app.kubernetes.io/component",
                "opentelemetry-collector",
            ),
            &["gateway-collector", "ca-bundle"],
        );
        // The guide's names: the Deployment is the --collector-name.
        let guide = mount(
            workload(WorkloadKind::Deployment, "monitoring", "otel-collector"),
            &["otel-collector-config"],
        );
        // Not a Collector, though it mounts a ConfigMap.
        let other = mount(
            workload(WorkloadKind::Deployment, "monitoring", "grafana"),
            &["grafana-dashboards"],
        );
        let all = [chart, operator, guide, other];
        assert_eq!(
            collector_config_maps(&all, "otel-collector"),
            [
                "gateway-collector",
                "ca-bundle",
                "otel-collector-config",
                "obs-opentelemetry-collector-agent"
            ]
        );
        // Only labels name it: `app=relay` with --collector-name relay.
        let by_app = mount(
            labelled(
                workload(WorkloadKind::StatefulSet, "m", "x"),
                "app",
                "relay",
            ),
            &["relay-conf"],
        );
        assert_eq!(
            collector_config_maps(std::slice::from_ref(&by_app), "relay"),
            ["relay-conf"]
        );
        assert!(collector_config_maps(&[by_app], "otel-collector").is_empty());
        assert!(collector_config_maps(&all[3..], "otel-collector").is_empty());
    }
}
