//! [`Kube`]: the six read-only calls the runbooks make, over a `kube::Client` whose service stack
//! is live, recording or replaying (built by `connect.rs`, see `seam.rs`).
//!
//! Not here: the domain types (`mod.rs`), the conversion from k8s-openapi objects (`convert.rs`),
//! error mapping (`connect.rs`). Every call is a `GET`
//! ([API reference](https://kubernetes.io/docs/reference/kubernetes-api/)):
//! `apis/apps/v1/.../deployments/{name}` and, at the same time, `.../replicasets?labelSelector=`
//! for the rollout history (one ReplicaSet per revision, as `kubectl rollout history` reads it),
//! `api/v1/.../configmaps/{name}` (its change time, or its `data`), `.../pods?labelSelector=`,
//! `apis/apps/v1/.../{deployments,statefulsets,daemonsets}` (service mapping),
//! `api/v1/[namespaces/{ns}/]services?labelSelector=` (discovery), `.../events` (optionally `?fieldSelector=`), and `.../pods/{pod}/log`. Names are checked against DNS-1123 before any
//! request, so input can never change the path. Each body is read as JSON and checked to be the
//! kind asked for before it is decoded (`convert::object`, `convert::list`): a 200 that is not
//! (a proxy's or another API's answer) is a Decode error naming Kubernetes, not an empty object.
//! Tests: below, against a mock API server
//! (`testkit.rs`) that logs each request's method, path and query and answers the fixtures in
//! `testdata/`.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use futures::AsyncReadExt;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, Event, Pod, Service};
use kube::api::{Api, GetParams, ListParams, LogParams};
use kube::core::ObjectList;
use serde::de::DeserializeOwned;

use super::connect::kube_error;
use super::{
    ConfigMapInfo, DeploymentInfo, EventFilter, EventInfo, PodInfo, RolloutHistory, ServiceInfo,
    WorkloadInfo, WorkloadKind, convert, valid_label, valid_name,
};
use crate::error::Backend;
use crate::model::cluster::{guessed_selector, selector_implies};
use crate::transport::{BackendError, ErrorKind};

/// The narrow Kubernetes client. Cheap to clone.
#[derive(Clone)]
pub struct Kube {
    client: kube::Client,
    /// The cluster URL, for error messages only.
    base: String,
    /// Per request; `None` where the service stack enforces it itself (record) or cannot hang
    /// (replay).
    timeout: Option<Duration>,
}

impl Kube {
    /// Wrap an already-built `kube::Client` (tests, or a caller with its own stack). `base` is
    /// only shown in errors; `timeout` bounds each request.
    pub fn from_client(client: kube::Client, base: &str, timeout: Option<Duration>) -> Kube {
        Kube {
            client,
            base: base.trim_end_matches('/').to_string(),
            timeout,
        }
    }

    /// `--namespace`, else the kubeconfig context's, else the service account's, else `default`.
    pub fn default_namespace(&self) -> &str {
        self.client.default_namespace()
    }

    /// The cluster URL (no credentials): what a deploy journal records, so a rollback can refuse
    /// another cluster.
    pub fn cluster_url(&self) -> &str {
        &self.base
    }

    /// The underlying client, for the write calls in `apply.rs`.
    pub(super) fn raw(&self) -> &kube::Client {
        &self.client
    }

    /// `label`: a DNS-1123 label (namespaces, containers), else a subdomain (object names).
    pub(super) fn check(&self, what: &str, value: &str, label: bool) -> Result<(), BackendError> {
        let (ok, rule) = if label {
            (
                valid_label(value),
                "lowercase letters, digits and '-', at most 63",
            )
        } else {
            (
                valid_name(value),
                "lowercase letters, digits, '-' and '.', at most 253",
            )
        };
        if ok {
            return Ok(());
        }
        Err(BackendError::new(
            Backend::Kubernetes,
            &self.base,
            ErrorKind::Api {
                error_type: "Invalid".into(),
                message: format!("{value:?} is not a valid {what} (DNS-1123: {rule})"),
            },
        ))
    }

    /// One request: the timeout, and kube's error mapped for `path`.
    pub(super) async fn run<T>(
        &self,
        path: &str,
        call: impl Future<Output = kube::Result<T>>,
    ) -> Result<T, BackendError> {
        let result = match self.timeout {
            Some(t) => tokio::time::timeout(t, call).await.map_err(|_| {
                BackendError::new(
                    Backend::Kubernetes,
                    &format!("{}{path}", self.base),
                    ErrorKind::Timeout,
                )
            })?,
            None => call.await,
        };
        result.map_err(|e| kube_error(&self.base, path, e))
    }

    /// `GET` one `K` as JSON, exactly as `Api::get` asks for it (so bundles recorded before replay
    /// the same).
    async fn get_value<K: kube::Resource>(
        &self,
        api: &Api<K>,
        name: &str,
    ) -> kube::Result<serde_json::Value> {
        let mut req = kube::core::Request::new(api.resource_url())
            .get(name, &GetParams::default())
            .map_err(kube::Error::BuildRequest)?;
        req.extensions_mut().insert("get");
        self.client.request(req).await
    }

    /// `GET` one `K`, checked to be one before it is decoded. For every typed read (`apply.rs`'s
    /// too): `Api::get` would decode any JSON object as an empty `K`.
    pub(super) async fn get_checked<K>(&self, api: &Api<K>, name: &str) -> Result<K, BackendError>
    where
        K: k8s_openapi::Resource + kube::Resource + DeserializeOwned,
    {
        let path = format!("{}/{name}", api.resource_url());
        let v = self.run(&path, self.get_value(api, name)).await?;
        convert::object(v).map_err(|reason| self.undecodable(&path, reason))
    }

    /// [`Kube::get_checked`], `None` on 404 (as `Api::get_opt`).
    pub(super) async fn get_opt_checked<K>(
        &self,
        api: &Api<K>,
        name: &str,
    ) -> Result<Option<K>, BackendError>
    where
        K: k8s_openapi::Resource + kube::Resource + DeserializeOwned,
    {
        let path = format!("{}/{name}", api.resource_url());
        let call = async {
            match self.get_value(api, name).await {
                Ok(v) => Ok(Some(v)),
                Err(kube::Error::Api(s)) if s.is_not_found() => Ok(None),
                Err(e) => Err(e),
            }
        };
        match self.run(&path, call).await? {
            Some(v) => convert::object(v)
                .map(Some)
                .map_err(|reason| self.undecodable(&path, reason)),
            None => Ok(None),
        }
    }

    /// `GET` the collection of `K` that `lp` selects, checked to be a List before it is decoded.
    /// The request is exactly `Api::list`'s.
    pub(super) async fn list_checked<K>(
        &self,
        api: &Api<K>,
        lp: &ListParams,
    ) -> Result<ObjectList<K>, BackendError>
    where
        K: k8s_openapi::Resource + kube::Resource + Clone + DeserializeOwned,
    {
        let path = api.resource_url();
        let call = async {
            let mut req = kube::core::Request::new(path)
                .list(lp)
                .map_err(kube::Error::BuildRequest)?;
            req.extensions_mut().insert("list");
            self.client.request::<serde_json::Value>(req).await
        };
        let v = self.run(path, call).await?;
        convert::list(v).map_err(|reason| self.undecodable(path, reason))
    }

    fn undecodable(&self, path: &str, reason: String) -> BackendError {
        BackendError::new(
            Backend::Kubernetes,
            &format!("{}{path}", self.base),
            ErrorKind::Decode { reason },
        )
    }

    /// The Deployment and its ReplicaSets (kept by owner uid), oldest revision first. Both are
    /// asked at once: the ReplicaSets by [`guessed_selector`] (`app=NAME`), which holds every
    /// one the Deployment owns whenever its selector requires that label; only when it does not
    /// are they listed again by the Deployment's own selector, after it answered.
    pub async fn rollout_history(
        &self,
        namespace: &str,
        deployment: &str,
    ) -> Result<RolloutHistory, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("Deployment name", deployment, false)?;
        let deployments: Api<Deployment> = Api::namespaced(self.client.clone(), namespace);
        let replica_sets: Api<ReplicaSet> = Api::namespaced(self.client.clone(), namespace);
        let guess = guessed_selector(deployment);
        let guess_lp = ListParams::default().labels(&guess);
        let (d, guessed) = futures::join!(
            self.get_checked(&deployments, deployment),
            self.list_checked(&replica_sets, &guess_lp),
        );
        let d = d?;
        let info = convert::deployment(&d, namespace);
        let list = if selector_implies(&info.selector, &guess) {
            guessed?
        } else {
            let mut lp = ListParams::default();
            if !info.selector.is_empty() {
                lp = lp.labels(&info.selector);
            }
            self.list_checked(&replica_sets, &lp).await?
        };
        let uid = d.metadata.uid.clone().unwrap_or_default();
        Ok(RolloutHistory {
            kind: WorkloadKind::Deployment,
            revisions: convert::revisions(&list.items, &uid),
            deployment: info,
        })
    }

    /// The Deployments of `namespace` (their current pod template), by name.
    pub async fn deployments(&self, namespace: &str) -> Result<Vec<DeploymentInfo>, BackendError> {
        self.check("namespace", namespace, true)?;
        let api: Api<Deployment> = Api::namespaced(self.client.clone(), namespace);
        let list = self.list_checked(&api, &ListParams::default()).await?;
        let mut out: Vec<DeploymentInfo> = list
            .items
            .iter()
            .map(|d| convert::deployment(d, namespace))
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Every workload of `kind` in `namespace` (one list call), by name: what service mapping
    /// reads, so a service's workload is found with one call per kind, not one per service.
    pub async fn workloads_of(
        &self,
        namespace: &str,
        kind: WorkloadKind,
    ) -> Result<Vec<WorkloadInfo>, BackendError> {
        self.check("namespace", namespace, true)?;
        let lp = ListParams::default();
        let c = self.client.clone();
        let mut out: Vec<WorkloadInfo> = match kind {
            WorkloadKind::Deployment => {
                let api: Api<Deployment> = Api::namespaced(c, namespace);
                let list = self.list_checked(&api, &lp).await?;
                let f = |d: &Deployment| convert::deployment_workload(d, namespace);
                list.items.iter().map(f).collect()
            }
            WorkloadKind::StatefulSet => {
                let api: Api<StatefulSet> = Api::namespaced(c, namespace);
                let list = self.list_checked(&api, &lp).await?;
                let f = |s: &StatefulSet| convert::statefulset_workload(s, namespace);
                list.items.iter().map(f).collect()
            }
            WorkloadKind::DaemonSet => {
                let api: Api<DaemonSet> = Api::namespaced(c, namespace);
                let list = self.list_checked(&api, &lp).await?;
                let f = |d: &DaemonSet| convert::daemonset_workload(d, namespace);
                list.items.iter().map(f).collect()
            }
        };
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// `None` when the ConfigMap (or its namespace) does not exist.
    pub async fn config_map(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<ConfigMapInfo>, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("ConfigMap name", name, false)?;
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), namespace);
        let cm = self.get_opt_checked(&api, name).await?;
        Ok(cm.map(|cm| convert::config_map(&cm, namespace)))
    }

    /// The ConfigMap's `data` (text values), `None` when it (or its namespace) does not exist.
    /// `binaryData` is left out: a Collector or sampling config is text. Unlike
    /// [`Kube::config_map`] this returns the values, so only call it for configs the runbook
    /// must read (they may hold credentials: never print them whole).
    pub async fn config_map_data(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<BTreeMap<String, String>>, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("ConfigMap name", name, false)?;
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), namespace);
        let cm = self.get_opt_checked(&api, name).await?;
        Ok(cm.map(|cm| cm.data.unwrap_or_default()))
    }

    /// Pods matching `label_selector` (empty: all in the namespace), by name. The selector is
    /// sent as a query value, so it cannot change the path; the API server validates its syntax.
    pub async fn pods(
        &self,
        namespace: &str,
        label_selector: &str,
    ) -> Result<Vec<PodInfo>, BackendError> {
        self.check("namespace", namespace, true)?;
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let mut lp = ListParams::default();
        if !label_selector.is_empty() {
            lp = lp.labels(label_selector);
        }
        let list = self.list_checked(&api, &lp).await?;
        let mut pods: Vec<PodInfo> = list.items.iter().map(convert::pod).collect();
        pods.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(pods)
    }

    /// Services matching `label_selector` (empty: all), in `namespace` or, with `None`, in every
    /// namespace the credentials may list; by namespace, then name.
    pub async fn services(
        &self,
        namespace: Option<&str>,
        label_selector: &str,
    ) -> Result<Vec<ServiceInfo>, BackendError> {
        let api: Api<Service> = match namespace {
            Some(ns) => {
                self.check("namespace", ns, true)?;
                Api::namespaced(self.client.clone(), ns)
            }
            None => Api::all(self.client.clone()),
        };
        let mut lp = ListParams::default();
        if !label_selector.is_empty() {
            lp = lp.labels(label_selector);
        }
        let list = self.list_checked(&api, &lp).await?;
        let mut services: Vec<ServiceInfo> = list.items.iter().map(convert::service).collect();
        services.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        Ok(services)
    }

    /// Core/v1 events, oldest `last_seen` first (a timeline). Core/v1 rather than events.k8s.io
    /// because every cluster serves it and it carries `count` and the involved object directly.
    pub async fn events(
        &self,
        namespace: &str,
        filter: &EventFilter,
    ) -> Result<Vec<EventInfo>, BackendError> {
        self.check("namespace", namespace, true)?;
        let api: Api<Event> = Api::namespaced(self.client.clone(), namespace);
        let lp = match filter {
            EventFilter::FieldSelector(f) if !f.is_empty() => ListParams::default().fields(f),
            _ => ListParams::default(),
        };
        let list = self.list_checked(&api, &lp).await?;
        let mut events: Vec<EventInfo> = list
            .items
            .iter()
            .filter(|e| match filter {
                EventFilter::NamePrefix(p) => e
                    .involved_object
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with(p.as_str())),
                EventFilter::FieldSelector(_) => true,
            })
            .map(convert::event)
            .collect();
        events.sort_by_key(|e| e.last_seen);
        Ok(events)
    }

    /// The last `since` of a container's log, with timestamps, at most `limit_bytes` (asked of the
    /// server and enforced here too). Invalid UTF-8 is replaced rather than failing the call.
    pub async fn pod_logs(
        &self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        since: Duration,
        tail_lines: Option<i64>,
        limit_bytes: i64,
    ) -> Result<String, BackendError> {
        let limit = limit_bytes.max(1);
        let lp = LogParams {
            container: container.map(str::to_string),
            // The API counts whole seconds and rejects 0.
            since_seconds: Some(
                (since.as_secs() + u64::from(since.subsec_nanos() > 0)).max(1) as i64,
            ),
            tail_lines,
            limit_bytes: Some(limit),
            timestamps: true,
            ..LogParams::default()
        };
        self.read_log(namespace, pod, &lp, limit).await
    }

    /// A container's log from `since` on (the API's `sinceTime`: oldest lines first, so a
    /// baseline window's lines come before the byte limit cuts), with timestamps, at most
    /// `limit_bytes`. The caller keeps the lines of the window it wants by their timestamps.
    pub async fn pod_logs_from(
        &self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        since: jiff::Timestamp,
        limit_bytes: i64,
    ) -> Result<String, BackendError> {
        let limit = limit_bytes.max(1);
        let lp = LogParams {
            container: container.map(str::to_string),
            since_time: Some(since),
            limit_bytes: Some(limit),
            timestamps: true,
            ..LogParams::default()
        };
        self.read_log(namespace, pod, &lp, limit).await
    }

    /// One log read, its names checked first, capped at `limit` bytes here too. Invalid UTF-8
    /// is replaced.
    async fn read_log(
        &self,
        namespace: &str,
        pod: &str,
        lp: &LogParams,
        limit: i64,
    ) -> Result<String, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("pod name", pod, false)?;
        if let Some(c) = &lp.container {
            self.check("container name", c, true)?;
        }
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let path = format!("{}/{pod}/log", api.resource_url());
        let read = async {
            let stream = api.log_stream(pod, lp).await?;
            let mut buf = Vec::new();
            Box::pin(stream)
                .take(limit as u64)
                .read_to_end(&mut buf)
                .await
                .map_err(kube::Error::ReadEvents)?;
            Ok(buf)
        };
        let bytes = self.run(&path, read).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests;
