//! The write side of [`Kube`], for `deploy` (and later `maintain`): discovery, server-side apply,
//! replace, delete, and the reads a deployment needs (any object, a Secret's data, workloads'
//! rollout state, a Service through the API server's proxy).
//!
//! Calls, all through kube-rs (references: [API concepts](https://kubernetes.io/docs/reference/using-api/api-concepts/),
//! [server-side apply](https://kubernetes.io/docs/reference/using-api/server-side-apply/)):
//! - `GET /api/v1`, `GET /apis/{group}/{version}`: which resource serves a kind
//!   (`kube::discovery::pinned_kind`), so any kind can be applied, custom resources included.
//! - `GET`, `PATCH` (`application/apply-patch+yaml`, `fieldManager=tracectl`, `force=true`),
//!   `PUT` and `DELETE` (with a uid precondition, background propagation) on
//!   `/api/v1/[namespaces/{ns}/]{plural}/{name}` or `/apis/{group}/{version}/...`.
//! - `GET /apis/apps/v1/namespaces/{ns}/{deployments,statefulsets,daemonsets}`: rollout state, judged
//!   as `kubectl rollout status` does (`rollout.rs`).
//! - `GET /api/v1/namespaces/{ns}/secrets/{name}`: whether a Secret already holds a value. The
//!   values are returned to the caller only; they are never logged.
//! - `{GET,POST} /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}`: reach a Service
//!   from outside the cluster, for the post-deployment checks.
//!
//! Names are checked against DNS-1123 before any request, as in `client.rs`. Not here: deciding
//! what to apply (`commands/deploy`). Tests: below ([`ObjectRef`]);
//! the calls end to end against a recording fixture API server in `tests/it/deploy.rs`.

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};

use super::rollout::{
    Workload, daemonset_counters, deployment_counters, statefulset_counters, workload,
};
use k8s_openapi::api::core::v1::{Secret, Service};
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams,
    Preconditions, PropagationPolicy,
};
use kube::core::GroupVersionKind;
use serde::{Deserialize, Serialize};

use super::Kube;
use crate::error::Backend;
use crate::transport::{BackendError, ErrorKind};

/// The field manager of every apply: `kubectl get -o yaml --show-managed-fields` shows it.
pub const FIELD_MANAGER: &str = "tracectl";

/// Which object: enough to build its URL without discovery (a rollback may run when the CRD that
/// served it is already gone).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    /// The resource's plural name (`configmaps`), from discovery or from the CRD defining it.
    pub plural: String,
    /// `None`: cluster-scoped.
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

impl ObjectRef {
    /// `(group, version)` of the apiVersion; the core group is `""`.
    pub fn group_version(&self) -> (&str, &str) {
        split_api_version(&self.api_version)
    }

    fn api_resource(&self) -> ApiResource {
        let (group, version) = self.group_version();
        ApiResource::from_gvk_with_plural(
            &GroupVersionKind::gvk(group, version, &self.kind),
            &self.plural,
        )
    }

    /// The object's API path, for messages.
    pub fn path(&self) -> String {
        let (group, version) = self.group_version();
        let root = if group.is_empty() {
            format!("/api/{version}")
        } else {
            format!("/apis/{group}/{version}")
        };
        match &self.namespace {
            Some(ns) => format!("{root}/namespaces/{ns}/{}/{}", self.plural, self.name),
            None => format!("{root}/{}/{}", self.plural, self.name),
        }
    }
}

/// A name that cannot add a path segment, a query or a fragment to a URL.
pub fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name != "."
        && name != ".."
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '%' | ' ' | '\\') || c.is_control())
}

pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// How the cluster serves a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub plural: String,
    pub namespaced: bool,
}

impl Kube {
    fn check_ref(&self, obj: &ObjectRef) -> Result<(), BackendError> {
        if let Some(ns) = &obj.namespace {
            self.check("namespace", ns, true)?;
        }
        // Most kinds' names are DNS-1123 subdomains, some (RBAC) allow ':' and capitals: what
        // matters here is that a name cannot change the URL path.
        if !safe_name(&obj.name) {
            self.check(&format!("{} name", obj.kind), &obj.name, false)?;
        }
        // The plural and apiVersion go into the path too: only letters, digits, '.', '-', '/'.
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'/'))
        };
        if ok(&obj.plural) && ok(&obj.api_version) && !obj.plural.contains('/') {
            Ok(())
        } else {
            Err(BackendError::new(
                Backend::Kubernetes,
                self.cluster_url(),
                ErrorKind::Api {
                    error_type: "Invalid".into(),
                    message: format!(
                        "{:?} / {:?} is not a valid apiVersion / resource",
                        obj.api_version, obj.plural
                    ),
                },
            ))
        }
    }

    fn dynamic(&self, obj: &ObjectRef) -> Api<DynamicObject> {
        let ar = obj.api_resource();
        match &obj.namespace {
            Some(ns) => Api::namespaced_with(self.raw().clone(), ns, &ar),
            None => Api::all_with(self.raw().clone(), &ar),
        }
    }

    /// Which resource serves `kind` at `api_version`; `None` when the cluster does not serve it
    /// (yet: a custom resource whose CRD is in the same apply).
    pub async fn discover(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<Option<Served>, BackendError> {
        let (group, version) = split_api_version(api_version);
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let path = if group.is_empty() {
            format!("/api/{version}")
        } else {
            format!("/apis/{group}/{version}")
        };
        let found = self
            .run(&path, async {
                match kube::discovery::pinned_kind(self.raw(), &gvk).await {
                    Ok(found) => Ok(Some(found)),
                    Err(kube::Error::Discovery(_)) => Ok(None),
                    Err(kube::Error::Api(s)) if s.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .await?;
        Ok(found.map(|(ar, caps)| Served {
            plural: ar.plural,
            namespaced: caps.scope == kube::discovery::Scope::Namespaced,
        }))
    }

    /// The object as JSON, `None` when it does not exist.
    pub async fn get_object(
        &self,
        obj: &ObjectRef,
    ) -> Result<Option<serde_json::Value>, BackendError> {
        self.check_ref(obj)?;
        let api = self.dynamic(obj);
        let found = self.run(&obj.path(), api.get_opt(&obj.name)).await?;
        found.map(|o| to_value(self, obj, &o)).transpose()
    }

    /// Server-side apply, forcing conflicts (tracectl owns what it applies); the object after.
    pub async fn apply_object(
        &self,
        obj: &ObjectRef,
        manifest: &serde_json::Value,
    ) -> Result<serde_json::Value, BackendError> {
        self.check_ref(obj)?;
        let api = self.dynamic(obj);
        let pp = PatchParams::apply(FIELD_MANAGER).force();
        let applied = self
            .run(
                &obj.path(),
                api.patch(&obj.name, &pp, &Patch::Apply(manifest)),
            )
            .await?;
        to_value(self, obj, &applied)
    }

    /// Replace the object with `manifest` (a restore): its current resourceVersion is read first,
    /// so the write is a compare-and-swap against what is there now.
    pub async fn replace_object(
        &self,
        obj: &ObjectRef,
        manifest: &serde_json::Value,
    ) -> Result<serde_json::Value, BackendError> {
        self.check_ref(obj)?;
        let api = self.dynamic(obj);
        let current = self.run(&obj.path(), api.get(&obj.name)).await?;
        let mut data: DynamicObject = serde_json::from_value(manifest.clone()).map_err(|e| {
            BackendError::new(
                Backend::Kubernetes,
                &format!("{}{}", self.cluster_url(), obj.path()),
                ErrorKind::Decode {
                    reason: format!("the backup is not an object: {e}"),
                },
            )
        })?;
        data.metadata.resource_version = current.metadata.resource_version.clone();
        let replaced = self
            .run(
                &obj.path(),
                api.replace(&obj.name, &PostParams::default(), &data),
            )
            .await?;
        to_value(self, obj, &replaced)
    }

    /// Delete (background propagation); with `uid`, only that incarnation of the object (a 409
    /// if it was deleted and created again since). `false`: it was already gone.
    pub async fn delete_object(
        &self,
        obj: &ObjectRef,
        uid: Option<&str>,
    ) -> Result<bool, BackendError> {
        self.check_ref(obj)?;
        let api = self.dynamic(obj);
        let dp = DeleteParams {
            propagation_policy: Some(PropagationPolicy::Background),
            preconditions: uid.map(|u| Preconditions {
                uid: Some(u.to_string()),
                resource_version: None,
            }),
            ..DeleteParams::default()
        };
        match self.run(&obj.path(), api.delete(&obj.name, &dp)).await {
            Ok(_) => Ok(true),
            Err(e) if matches!(e.kind, ErrorKind::Status { code: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A Secret's data (decoded), `None` when it does not exist. For comparing with the value a
    /// deploy wants; never log or print it.
    pub async fn secret_data(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<BTreeMap<String, Vec<u8>>>, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("Secret name", name, false)?;
        let api: Api<Secret> = Api::namespaced(self.raw().clone(), namespace);
        let path = format!("{}/{name}", api.resource_url());
        let s = self.run(&path, api.get_opt(name)).await?;
        Ok(s.map(|s| {
            s.data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect()
        }))
    }

    /// Whether the Service exists.
    pub async fn service_exists(&self, namespace: &str, name: &str) -> Result<bool, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("Service name", name, false)?;
        let api: Api<Service> = Api::namespaced(self.raw().clone(), namespace);
        let path = format!("{}/{name}", api.resource_url());
        Ok(self.run(&path, api.get_opt(name)).await?.is_some())
    }

    /// Every Deployment, StatefulSet and DaemonSet of the namespace with its rollout state,
    /// sorted by kind then name.
    pub async fn workloads(&self, namespace: &str) -> Result<Vec<Workload>, BackendError> {
        self.check("namespace", namespace, true)?;
        let lp = ListParams::default();
        let deployments: Api<Deployment> = Api::namespaced(self.raw().clone(), namespace);
        let statefulsets: Api<StatefulSet> = Api::namespaced(self.raw().clone(), namespace);
        let daemonsets: Api<DaemonSet> = Api::namespaced(self.raw().clone(), namespace);
        let mut out = Vec::new();
        for d in self
            .run(deployments.resource_url(), deployments.list(&lp))
            .await?
            .items
        {
            out.push(workload(
                "Deployment",
                d.metadata.name.as_ref(),
                &deployment_counters(&d),
            ));
        }
        for d in self
            .run(daemonsets.resource_url(), daemonsets.list(&lp))
            .await?
            .items
        {
            out.push(workload(
                "DaemonSet",
                d.metadata.name.as_ref(),
                &daemonset_counters(&d),
            ));
        }
        for s in self
            .run(statefulsets.resource_url(), statefulsets.list(&lp))
            .await?
            .items
        {
            out.push(workload(
                "StatefulSet",
                s.metadata.name.as_ref(),
                &statefulset_counters(&s),
            ));
        }
        out.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
        Ok(out)
    }

    /// One request to a Service through the API server's proxy: status and body, whatever the
    /// status. `path` starts with `/`.
    pub async fn service_proxy(
        &self,
        namespace: &str,
        service: &str,
        port: u16,
        method: http::Method,
        path: &str,
        body: Option<(&str, Bytes)>,
    ) -> Result<(u16, Bytes), BackendError> {
        self.check("namespace", namespace, true)?;
        self.check("Service name", service, false)?;
        let escaped: Vec<String> = path
            .split('/')
            .map(crate::transport::path_segment)
            .collect();
        let url = format!(
            "/api/v1/namespaces/{namespace}/services/{service}:{port}/proxy{}",
            escaped.join("/")
        );
        let mut req = http::Request::builder().method(method).uri(&url);
        let payload = match body {
            Some((content_type, bytes)) => {
                req = req.header(http::header::CONTENT_TYPE, content_type);
                bytes.to_vec()
            }
            None => Vec::new(),
        };
        let req = req.body(payload).map_err(|e| {
            BackendError::new(
                Backend::Kubernetes,
                self.cluster_url(),
                ErrorKind::Api {
                    error_type: "Invalid".into(),
                    message: e.to_string(),
                },
            )
        })?;
        self.run(&url, async {
            let resp = self.raw().send(req.map(kube::client::Body::from)).await?;
            let status = resp.status().as_u16();
            let bytes = resp.into_body().collect_bytes().await?;
            Ok((status, bytes))
        })
        .await
    }
}

fn to_value(
    kube: &Kube,
    obj: &ObjectRef,
    o: &DynamicObject,
) -> Result<serde_json::Value, BackendError> {
    serde_json::to_value(o).map_err(|e| {
        BackendError::new(
            Backend::Kubernetes,
            &format!("{}{}", kube.cluster_url(), obj.path()),
            ErrorKind::Decode {
                reason: e.to_string(),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_for_core_group_and_cluster_scope() {
        let cm = ObjectRef {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            plural: "configmaps".into(),
            namespace: Some("monitoring".into()),
            name: "sampling-config".into(),
        };
        assert_eq!(
            cm.path(),
            "/api/v1/namespaces/monitoring/configmaps/sampling-config"
        );
        assert_eq!(cm.to_string(), "ConfigMap monitoring/sampling-config");
        let crd = ObjectRef {
            api_version: "apiextensions.k8s.io/v1".into(),
            kind: "CustomResourceDefinition".into(),
            plural: "customresourcedefinitions".into(),
            namespace: None,
            name: "instrumentations.opentelemetry.io".into(),
        };
        assert_eq!(
            crd.path(),
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/instrumentations.opentelemetry.io"
        );
        assert_eq!(crd.group_version(), ("apiextensions.k8s.io", "v1"));
    }
}
