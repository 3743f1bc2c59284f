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
//! - For `maintain`: `GET /api[s]/.../namespaces/{ns}/{plural}?labelSelector=` (any kind, as JSON),
//!   and `PATCH` of one object as a strategic merge (`application/strategic-merge-patch+json`),
//!   JSON merge (`application/merge-patch+json`, RFC 7386) or JSON Patch
//!   (`application/json-patch+json`, RFC 6902), with `fieldManager=tracectl`
//!   ([patch](https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/)).
//!
//! Names are checked against DNS-1123 before any request, as in `client.rs`; a label selector is
//! parsed against the API server's grammar ([`valid_label_selector`]). Not here: deciding
//! what to apply (`crate::mutation::ops`). Tests: below ([`ObjectRef`], selectors, and the list and
//! patch calls against a fake API server that records headers and bodies);
//! the calls end to end against a recording fixture API server in `tests/it/deploy.rs`.

use std::collections::BTreeMap;

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
use kube::core::{GroupVersionKind, TypeMeta};

use super::Kube;
use crate::error::Backend;
use crate::transport::{BackendError, ErrorKind};

/// The field manager of every apply: `kubectl get -o yaml --show-managed-fields` shows it.
pub const FIELD_MANAGER: &str = "tracectl";

mod refs;

pub use refs::{ObjectRef, PatchKind, safe_name, split_api_version, valid_label_selector};

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
        self.check_resource(&obj.api_version, &obj.plural)
    }

    /// The plural and apiVersion go into the path too: only letters, digits, '.', '-', '/'.
    fn check_resource(&self, api_version: &str, plural: &str) -> Result<(), BackendError> {
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'/'))
        };
        if ok(plural) && ok(api_version) && !plural.contains('/') {
            Ok(())
        } else {
            Err(self.invalid(format!(
                "{api_version:?} / {plural:?} is not a valid apiVersion / resource"
            )))
        }
    }

    /// Input refused before anything is sent.
    fn invalid(&self, message: String) -> BackendError {
        BackendError::new(
            Backend::Kubernetes,
            self.cluster_url(),
            ErrorKind::Api {
                error_type: "Invalid".into(),
                message,
            },
        )
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
        found.map(|o| object_value(self, obj, &o)).transpose()
    }

    /// Every object of a namespaced kind in `namespace` (those matching `label_selector`, when
    /// given; see [`valid_label_selector`]), as JSON like [`Kube::get_object`]'s, sorted by name.
    /// A List's items come without `apiVersion` and `kind`: they are filled in, so each item can
    /// be applied or compared as it is. One request, unpaginated, like `kubectl get`.
    pub async fn list_objects(
        &self,
        api_version: &str,
        kind: &str,
        plural: &str,
        namespace: &str,
        label_selector: Option<&str>,
    ) -> Result<Vec<serde_json::Value>, BackendError> {
        self.check("namespace", namespace, true)?;
        self.check_resource(api_version, plural)?;
        let mut lp = ListParams::default();
        if let Some(sel) = label_selector {
            if !valid_label_selector(sel) {
                return Err(self.invalid(format!(
                    "{sel:?} is not a valid label selector (`key=value`, `key!=value`, `key`, \
                     `!key`, `key in (a,b)`, joined by `,`)"
                )));
            }
            lp = lp.labels(sel);
        }
        let (group, version) = split_api_version(api_version);
        let ar =
            ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural);
        let api: Api<DynamicObject> = Api::namespaced_with(self.raw().clone(), namespace, &ar);
        let path = api.resource_url().to_string();
        let list = self.run(&path, api.list(&lp)).await?;
        let mut items = list.items;
        items.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        items
            .into_iter()
            .map(|mut o| {
                if o.types.is_none() {
                    o.types = Some(TypeMeta {
                        api_version: api_version.to_string(),
                        kind: kind.to_string(),
                    });
                }
                to_value(self, &path, &o)
            })
            .collect()
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
        object_value(self, obj, &applied)
    }

    /// `PATCH` the object with `body`, as `kind` says, with field manager `tracectl`; the object
    /// after. For [`PatchKind::Strategic`] and [`PatchKind::Merge`] the body must be a JSON
    /// object (any other JSON would replace the whole object); for [`PatchKind::Json`], a list of
    /// RFC 6902 operations. A body that is neither is refused before sending. A missing object is
    /// an error (HTTP 404), not `None`: a patch is meant for an object that is there.
    pub async fn patch_object(
        &self,
        obj: &ObjectRef,
        kind: PatchKind,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, BackendError> {
        self.check_ref(obj)?;
        let patch = match kind {
            PatchKind::Strategic | PatchKind::Merge if !body.is_object() => {
                return Err(
                    self.invalid(format!("the {kind:?} patch of {obj} is not a JSON object"))
                );
            }
            PatchKind::Strategic => Patch::Strategic(body),
            PatchKind::Merge => Patch::Merge(body),
            // The type is kube's `json_patch::Patch` (kube's `jsonpatch` feature), inferred here
            // so that this crate does not depend on json-patch's version itself.
            PatchKind::Json => Patch::Json(serde_json::from_value(body.clone()).map_err(|e| {
                self.invalid(format!(
                    "the JSON Patch of {obj} is not a list of RFC 6902 operations: {e}"
                ))
            })?),
        };
        let api = self.dynamic(obj);
        let pp = PatchParams {
            field_manager: Some(FIELD_MANAGER.to_string()),
            ..PatchParams::default()
        };
        let patched = self
            .run(&obj.path(), api.patch(&obj.name, &pp, &patch))
            .await?;
        object_value(self, obj, &patched)
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
        object_value(self, obj, &replaced)
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
        let s = self.get_opt_checked(&api, name).await?;
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
        Ok(self.get_opt_checked(&api, name).await?.is_some())
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
        for d in self.list_checked(&deployments, &lp).await?.items {
            out.push(workload(
                "Deployment",
                d.metadata.name.as_ref(),
                &deployment_counters(&d),
            ));
        }
        for d in self.list_checked(&daemonsets, &lp).await?.items {
            out.push(workload(
                "DaemonSet",
                d.metadata.name.as_ref(),
                &daemonset_counters(&d),
            ));
        }
        for s in self.list_checked(&statefulsets, &lp).await?.items {
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

/// `path`: the object's or the list's API path, for the error.
/// One object the API server answered with, which names its kind: every field of a
/// `DynamicObject` is optional, so a 200 of another shape (a proxy's `{"status":"error"}`) would
/// otherwise read as an empty object.
fn object_value(
    kube: &Kube,
    obj: &ObjectRef,
    o: &DynamicObject,
) -> Result<serde_json::Value, BackendError> {
    match o.types.as_ref().map(|t| t.kind.as_str()) {
        Some(k) if k == obj.kind => to_value(kube, &obj.path(), o),
        other => Err(BackendError::new(
            Backend::Kubernetes,
            &format!("{}{}", kube.cluster_url(), obj.path()),
            ErrorKind::Decode {
                reason: format!(
                    "unexpected response (expected kind {}, got {})",
                    obj.kind,
                    match other {
                        Some(k) if !k.is_empty() => format!("kind {k}"),
                        _ => "an object without \"kind\"".to_string(),
                    }
                ),
            },
        )),
    }
}

fn to_value(kube: &Kube, path: &str, o: &DynamicObject) -> Result<serde_json::Value, BackendError> {
    serde_json::to_value(o).map_err(|e| {
        BackendError::new(
            Backend::Kubernetes,
            &format!("{}{path}", kube.cluster_url()),
            ErrorKind::Decode {
                reason: e.to_string(),
            },
        )
    })
}

#[cfg(test)]
mod tests;
