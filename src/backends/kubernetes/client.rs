//! [`Kube`]: the six read-only calls the runbooks make, over a `kube::Client` whose service stack
//! is live, recording or replaying (built by `connect.rs`, see `seam.rs`).
//!
//! Not here: the domain types (`mod.rs`), the conversion from k8s-openapi objects (`convert.rs`),
//! error mapping (`connect.rs`). Every call is a `GET`
//! ([API reference](https://kubernetes.io/docs/reference/kubernetes-api/)):
//! `apis/apps/v1/.../deployments/{name}` then `.../replicasets?labelSelector=` for the rollout
//! history (one ReplicaSet per revision, as `kubectl rollout history` reads it),
//! `api/v1/.../configmaps/{name}` (its change time, or its `data`), `.../pods?labelSelector=`,
//! `.../events` (optionally `?fieldSelector=`), and `.../pods/{pod}/log`. Names are checked against DNS-1123 before any
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
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{ConfigMap, Event, Pod};
use kube::api::{Api, GetParams, ListParams, LogParams};
use kube::core::ObjectList;
use serde::de::DeserializeOwned;

use super::connect::kube_error;
use super::{
    ConfigMapInfo, EventFilter, EventInfo, PodInfo, RolloutHistory, convert, valid_label,
    valid_name,
};
use crate::error::Backend;
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

    /// The Deployment, then its ReplicaSets (listed by the Deployment's selector, kept by owner
    /// uid), oldest revision first.
    pub async fn rollout_history(
        &self,
        namespace: &str,
        deployment: &str,
    ) -> Result<RolloutHistory, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("Deployment name", deployment, false)?;
        let deployments: Api<Deployment> = Api::namespaced(self.client.clone(), namespace);
        let d = self.get_checked(&deployments, deployment).await?;
        let info = convert::deployment(&d, namespace);
        let replica_sets: Api<ReplicaSet> = Api::namespaced(self.client.clone(), namespace);
        let mut lp = ListParams::default();
        if !info.selector.is_empty() {
            lp = lp.labels(&info.selector);
        }
        let list = self.list_checked(&replica_sets, &lp).await?;
        let uid = d.metadata.uid.clone().unwrap_or_default();
        Ok(RolloutHistory {
            revisions: convert::revisions(&list.items, &uid),
            deployment: info,
        })
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
        self.check("namespace", namespace, true)?;
        self.check("pod name", pod, false)?;
        if let Some(c) = container {
            self.check("container name", c, true)?;
        }
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
        let api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let path = format!("{}/{pod}/log", api.resource_url());
        let read = async {
            let stream = api.log_stream(pod, &lp).await?;
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
mod tests {
    use kube::client::Body;

    use super::*;
    use crate::backends::kubernetes::ContainerState;
    use crate::backends::kubernetes::testkit::{api_server, mock, q};

    #[tokio::test]
    async fn invalid_names_are_refused_before_any_request() {
        let (kube, seen) = mock(vec![]);
        for (ns, name) in [
            ("shop", "../secrets"),
            ("Shop", "checkout"),
            ("shop", "a/b"),
            ("shop", "x?watch=1"),
        ] {
            let err = kube.rollout_history(ns, name).await.unwrap_err();
            assert!(
                matches!(&err.kind, ErrorKind::Api { error_type, .. } if error_type == "Invalid"),
                "{err}"
            );
        }
        let err = kube
            .pod_logs("shop", "p", Some("c/../x"), Duration::from_secs(1), None, 1)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("not a valid container name"),
            "{err}"
        );
        assert!(seen.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn rollout_history_reads_deployment_then_its_replicasets_in_revision_order() {
        let (kube, seen) = mock(vec![
            (
                "/deployments/checkout",
                200,
                include_str!("testdata/deployment.json"),
            ),
            (
                "/replicasets",
                200,
                include_str!("testdata/replicasets.json"),
            ),
        ]);
        let h = kube.rollout_history("shop", "checkout").await.unwrap();
        assert_eq!(
            *seen.lock().unwrap(),
            vec![
                (
                    "GET".into(),
                    "/apis/apps/v1/namespaces/shop/deployments/checkout".into(),
                    vec![]
                ),
                (
                    "GET".into(),
                    "/apis/apps/v1/namespaces/shop/replicasets".into(),
                    q(&[("labelSelector", "app=checkout")])
                ),
            ]
        );
        let revs: Vec<u64> = h.revisions.iter().map(|r| r.revision).collect();
        assert_eq!(
            revs,
            [1, 2, 3],
            "sorted, and revision 7 of another owner is left out"
        );
        assert_eq!(h.deployment.current_revision, Some(3));
        let latest = &h.revisions[2];
        assert_eq!(latest.replica_set, "checkout-7d9f8b6c5d");
        assert_eq!(latest.images, ["registry.example/checkout:1.4.2"]);
        assert_eq!(
            latest.created,
            Some("2026-11-25T09:40:05Z".parse().unwrap())
        );
        assert_eq!((latest.replicas, latest.ready_replicas), (3, 2));
        assert_eq!(
            latest.change_cause.as_deref(),
            Some("kubectl set image deployment/checkout checkout=registry.example/checkout:1.4.2")
        );
        assert_eq!(
            h.revisions[1].change_cause.as_deref(),
            Some("bump to 1.4.1")
        );
        assert_eq!(h.revisions[0].change_cause, None);
    }

    #[tokio::test]
    async fn pods_show_crashloop_and_the_oomkill_before_it() {
        let (kube, seen) = mock(vec![("/pods", 200, include_str!("testdata/pods.json"))]);
        let pods = kube.pods("shop", "app=checkout").await.unwrap();
        assert_eq!(
            seen.lock().unwrap()[0],
            (
                "GET".into(),
                "/api/v1/namespaces/shop/pods".into(),
                q(&[("labelSelector", "app=checkout")])
            )
        );
        let names: Vec<&str> = pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["checkout-7d9f8b6c5d-k8m2p", "checkout-7d9f8b6c5d-x2x7q"]
        );
        let bad = &pods[1];
        assert_eq!(
            (bad.phase.as_deref(), bad.node.as_deref()),
            (Some("Running"), Some("node-a"))
        );
        let c = &bad.containers[0];
        assert!(!c.ready);
        assert_eq!(c.restart_count, 5);
        assert!(
            matches!(&c.state, ContainerState::Waiting { reason: Some(r), .. } if r == "CrashLoopBackOff")
        );
        let last = c.last_terminated.as_ref().unwrap();
        assert_eq!(
            (last.reason.as_deref(), last.exit_code),
            (Some("OOMKilled"), 137)
        );
        assert_eq!(
            last.finished_at,
            Some("2026-11-25T09:55:51Z".parse().unwrap())
        );
        assert_eq!(c.resources.limits["memory"], "256Mi");
        assert!(matches!(
            pods[0].containers[0].state,
            ContainerState::Running {
                started_at: Some(_)
            }
        ));
        assert_eq!(pods[0].containers[0].last_terminated, None);
    }

    #[tokio::test]
    async fn config_map_found_or_none() {
        let (kube, seen) = mock(vec![(
            "/configmaps/checkout-config",
            200,
            include_str!("testdata/configmap.json"),
        )]);
        let cm = kube
            .config_map("shop", "checkout-config")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            seen.lock().unwrap()[0].1,
            "/api/v1/namespaces/shop/configmaps/checkout-config"
        );
        assert_eq!(
            cm.last_changed,
            Some("2026-11-25T09:41:07Z".parse().unwrap())
        );
        assert_eq!(kube.config_map("shop", "gone").await.unwrap(), None);
    }

    #[tokio::test]
    async fn config_map_data_returns_the_values_or_none() {
        let (kube, seen) = mock(vec![(
            "/configmaps/checkout-config",
            200,
            include_str!("testdata/configmap.json"),
        )]);
        let data = kube
            .config_map_data("shop", "checkout-config")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            seen.lock().unwrap()[0],
            (
                "GET".into(),
                "/api/v1/namespaces/shop/configmaps/checkout-config".into(),
                vec![]
            )
        );
        assert_eq!(data["POOL_SIZE"], "8");
        assert_eq!(data["FEATURE_FLAGS"], "new-pricing=true");
        assert_eq!(data.len(), 2);
        assert_eq!(kube.config_map_data("shop", "gone").await.unwrap(), None);
        let err = kube.config_map_data("shop", "../x").await.unwrap_err();
        assert!(
            err.to_string().contains("not a valid ConfigMap name"),
            "{err}"
        );
    }

    /// A 200 from something that is not the API server (Prometheus' error envelope, here).
    const NOT_KUBERNETES: &str = r#"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}"#;
    /// JSON whose every field is of the wrong type.
    const WRONG_SHAPE: &str =
        r#"{"status":42,"data":{"unexpected":[1,2,3]},"kind":7,"apiVersion":false,"items":"none"}"#;

    /// The call's error, which must be a Decode error naming Kubernetes and the path.
    fn assert_undecodable(err: &BackendError, path: &str, reason: &str) {
        assert_eq!(err.backend, Backend::Kubernetes);
        assert_eq!(err.endpoint, format!("https://k8s.example:6443{path}"));
        let ErrorKind::Decode { reason: why } = &err.kind else {
            panic!("{err:?}");
        };
        assert!(why.starts_with(reason), "{why}");
        assert!(
            err.to_string().starts_with(&format!(
                "kubernetes at https://k8s.example:6443{path}: unexpected response ("
            )),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_200_that_is_not_a_config_map_is_an_error_not_an_empty_one() {
        let path = "/api/v1/namespaces/monitoring/configmaps/otel-collector-config";
        for (body, reason) in [
            (
                NOT_KUBERNETES,
                "expected kind ConfigMap (v1), got a JSON object without \"kind\"",
            ),
            (
                WRONG_SHAPE,
                "expected kind ConfigMap (v1), got a \"kind\" of 7",
            ),
            (
                include_str!("testdata/pods.json"),
                "expected kind ConfigMap (v1), got kind \"PodList\"",
            ),
        ] {
            let (kube, _) = mock(vec![("/configmaps/otel-collector-config", 200, body)]);
            let err = kube
                .config_map_data("monitoring", "otel-collector-config")
                .await
                .unwrap_err();
            assert_undecodable(&err, path, reason);
            let err = kube
                .config_map("monitoring", "otel-collector-config")
                .await
                .unwrap_err();
            assert_undecodable(&err, path, reason);
        }
    }

    #[tokio::test]
    async fn a_200_that_is_not_a_list_is_an_error_not_an_empty_one() {
        for body in [
            NOT_KUBERNETES,
            WRONG_SHAPE,
            r#"{"kind":"PodList","apiVersion":"v1"}"#,
        ] {
            let (kube, _) = mock(vec![("/pods", 200, body), ("/events", 200, body)]);
            let err = kube.pods("shop", "app=checkout").await.unwrap_err();
            assert_undecodable(
                &err,
                "/api/v1/namespaces/shop/pods",
                "expected kind PodList",
            );
            let err = kube
                .events("shop", &EventFilter::NamePrefix("checkout".into()))
                .await
                .unwrap_err();
            assert_undecodable(
                &err,
                "/api/v1/namespaces/shop/events",
                "expected kind EventList",
            );
        }
    }

    #[tokio::test]
    async fn rollout_history_checks_the_deployment_and_its_replicasets() {
        let (kube, _) = mock(vec![("/deployments/checkout", 200, NOT_KUBERNETES)]);
        let err = kube.rollout_history("shop", "checkout").await.unwrap_err();
        assert_undecodable(
            &err,
            "/apis/apps/v1/namespaces/shop/deployments/checkout",
            "expected kind Deployment (apps/v1)",
        );
        let (kube, _) = mock(vec![
            (
                "/deployments/checkout",
                200,
                include_str!("testdata/deployment.json"),
            ),
            ("/replicasets", 200, WRONG_SHAPE),
        ]);
        let err = kube.rollout_history("shop", "checkout").await.unwrap_err();
        assert_undecodable(
            &err,
            "/apis/apps/v1/namespaces/shop/replicasets",
            "expected kind ReplicaSetList",
        );
        // A missing Deployment is still the API server's 404, with its message.
        let (kube, _) = mock(vec![]);
        let err = kube.rollout_history("shop", "checkout").await.unwrap_err();
        assert!(
            matches!(&err.kind, ErrorKind::Status { code: 404, message } if message.contains("not found")),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn events_by_name_prefix_or_field_selector() {
        let (kube, seen) = mock(vec![("/events", 200, include_str!("testdata/events.json"))]);
        let evs = kube
            .events("shop", &EventFilter::NamePrefix("checkout".into()))
            .await
            .unwrap();
        let reasons: Vec<_> = evs.iter().map(|e| e.reason.as_deref().unwrap()).collect();
        assert_eq!(
            reasons,
            ["Unhealthy", "BackOff"],
            "cart's event dropped, timeline order"
        );
        assert_eq!(
            (evs[1].count, evs[1].event_type.as_deref()),
            (14, Some("Warning"))
        );
        assert_eq!(
            evs[1].object_name.as_deref(),
            Some("checkout-7d9f8b6c5d-x2x7q")
        );
        assert_eq!(
            evs[0].first_seen,
            Some("2026-11-25T09:41:30Z".parse().unwrap())
        );
        kube.events("shop", &EventFilter::FieldSelector("type=Warning".into()))
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].2, vec![]);
        assert_eq!(
            seen[1],
            (
                "GET".into(),
                "/api/v1/namespaces/shop/events".into(),
                q(&[("fieldSelector", "type=Warning")])
            )
        );
    }

    #[tokio::test]
    async fn pod_logs_query() {
        let (svc, seen) = api_server(vec![]);
        let svc = tower::ServiceExt::map_response(svc, |r: http::Response<Body>| {
            let (parts, _) = r.into_parts();
            let mut r = http::Response::from_parts(
                parts,
                Body::from(b"2026-11-25T09:55:50.1Z java.lang.OutOfMemoryError\n".to_vec()),
            );
            *r.status_mut() = http::StatusCode::OK;
            r
        });
        let kube = Kube::from_client(kube::Client::new(svc, "shop"), "https://k8s.example", None);
        let text = kube
            .pod_logs(
                "shop",
                "checkout-7d9f8b6c5d-x2x7q",
                Some("checkout"),
                Duration::from_millis(900_500),
                Some(200),
                65536,
            )
            .await
            .unwrap();
        assert!(text.contains("OutOfMemoryError"));
        assert_eq!(
            seen.lock().unwrap()[0],
            (
                "GET".into(),
                "/api/v1/namespaces/shop/pods/checkout-7d9f8b6c5d-x2x7q/log".into(),
                q(&[
                    ("container", "checkout"),
                    ("limitBytes", "65536"),
                    ("sinceSeconds", "901"),
                    ("tailLines", "200"),
                    ("timestamps", "true")
                ])
            )
        );
    }
}
