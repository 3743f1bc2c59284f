//! A small stateful Kubernetes API server for the integration tests (`deploy`, and `maintain`'s
//! backup, restore and scale), on the recording [`FixtureServer`]. It keeps objects by path and
//! answers the calls tracectl makes through kube-rs the way the real API server answers them, so
//! a backup followed by a restore can be compared object for object and a deletion is visible.
//!
//! Served:
//! - discovery: `GET /api/v1`, `GET /apis/{group}/{version}` (built-in kinds, and custom
//!   resources once their CustomResourceDefinition has been applied);
//! - `GET` one object; `GET` a collection, namespaced or across namespaces, filtered by
//!   `?labelSelector=` (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, `k>N`,
//!   `k<N`, joined by `,`), as a `{Kind}List` whose items of built-in kinds come without
//!   `apiVersion`/`kind`, as the real server sends them;
//! - `PATCH` by `Content-Type`: `application/apply-patch+yaml` (server-side apply: maps merge,
//!   everything else replaces; creates a missing object with 201),
//!   `application/strategic-merge-patch+json` (maps merge recursively, `null` deletes, lists
//!   with a patch merge key merge by it: `containers`, `initContainers`, `env`, `volumes`,
//!   `imagePullSecrets` by `name`, `volumeMounts` by `mountPath`, `ports` by `containerPort` or
//!   `port`; other lists replace; `$patch: replace|delete` and `$deleteFromPrimitiveList/` are
//!   honoured, `$setElementOrder/` and `$retainKeys` ignored; custom resources answer 415 as the
//!   real server does), `application/merge-patch+json` (RFC 7386) and
//!   `application/json-patch+json` (RFC 6902, every op; a failed op answers 422 `Invalid` with
//!   the real server's generic message). Each bumps `resourceVersion` only when the object
//!   changed; a `metadata.resourceVersion` in the patch is a precondition (409 `Conflict`);
//! - `POST` to a collection (create, 201; 409 `AlreadyExists`), `PUT` (replace, 409 on a stale
//!   `resourceVersion`, none means unconditional), `DELETE` (uid/resourceVersion preconditions,
//!   a Namespace taking its objects along, a `Status` `Success` body) and `DELETE` of a
//!   collection by label selector;
//! - the `scale` subresource of Deployments, StatefulSets and ReplicaSets (`GET`, `PUT`,
//!   `PATCH`) and `status` (`GET`, `PUT`, `PATCH`);
//! - `services/{name}:{port}/proxy/...` answered as a Jaeger UI/OTLP endpoint (deploy's checks).
//!
//! Every written Secret has its `stringData` folded into `data` (base64) and dropped, as the real
//! server does; `data` is kept exactly as seeded or written. Seeded objects without a `uid`,
//! `resourceVersion` or `creationTimestamp` get one.
//!
//! Not modelled: authentication and RBAC, watches, pagination (`limit`/`continue`), field
//! selectors, admission and schema validation, `metadata.generation`, finalizers and graceful
//! deletion (a delete removes at once), server-side apply's field ownership and conflicts
//! (`force` is irrelevant), and the full strategic-merge schema (only the keys above). Its own
//! tests are in `tests/it/harness_selftest.rs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use crate::support::midway::Midway;
use crate::support::{FixtureServer, RecordedRequest, Response, Route};

/// When every object the fixture creates was created (it has no clock).
const CREATED_AT: &str = "2026-11-25T10:00:00Z";

/// Built-in resources: (groupVersion, plural, kind, namespaced), served by discovery.
const BUILTIN: &[(&str, &str, &str, bool)] = &[
    ("v1", "namespaces", "Namespace", false),
    ("v1", "configmaps", "ConfigMap", true),
    ("v1", "secrets", "Secret", true),
    ("v1", "services", "Service", true),
    ("v1", "pods", "Pod", true),
    ("v1", "serviceaccounts", "ServiceAccount", true),
    (
        "v1",
        "persistentvolumeclaims",
        "PersistentVolumeClaim",
        true,
    ),
    ("v1", "events", "Event", true),
    ("apps/v1", "deployments", "Deployment", true),
    ("apps/v1", "statefulsets", "StatefulSet", true),
    ("apps/v1", "daemonsets", "DaemonSet", true),
    ("apps/v1", "replicasets", "ReplicaSet", true),
    ("batch/v1", "jobs", "Job", true),
    ("batch/v1", "cronjobs", "CronJob", true),
    (
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        false,
    ),
    // A custom resource in a real cluster (the Prometheus Operator's), served here without its
    // CRD so that deploy can apply rules on a bare fixture.
    (
        "monitoring.coreos.com/v1",
        "prometheusrules",
        "PrometheusRule",
        true,
    ),
];

#[derive(Default)]
struct Store {
    objects: BTreeMap<String, Value>,
    rv: u64,
}

impl Store {
    fn next_rv(&mut self) -> String {
        self.rv += 1;
        self.rv.to_string()
    }
}

pub struct KubeApi {
    pub server: FixtureServer,
    store: Arc<Mutex<Store>>,
    /// Faults part way through a run (`midway.rs`): a 500 `InternalError` as etcd's timeouts.
    pub midway: Midway,
}

impl KubeApi {
    /// An API server holding `seed` (path → object, e.g.
    /// `/api/v1/namespaces/shop/configmaps/app`).
    pub fn start(seed: Vec<(String, Value)>) -> KubeApi {
        let mut store = Store {
            objects: BTreeMap::new(),
            rv: 0,
        };
        for (path, object) in seed {
            let object = seeded(&mut store, object);
            store.objects.insert(path, object);
        }
        // Writes count from 101 whatever was seeded, so tests can name the uids they create.
        store.rv = store.rv.max(100);
        let store = Arc::new(Mutex::new(store));
        let s = store.clone();
        let midway = Midway::default();
        let m = midway.clone();
        let server = FixtureServer::start(vec![Route::new("*", "/*").respond_with(move |req| {
            if let Some(fail) = m.check(req, false, || {
                status(
                    500,
                    "InternalError",
                    "Internal error occurred: etcdserver: request timed out".into(),
                )
            }) {
                return fail;
            }
            handle(&mut s.lock().unwrap_or_else(|e| e.into_inner()), req)
        })]);
        KubeApi {
            server,
            store,
            midway,
        }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// `METHOD path` of every request that is not a `GET`, in order.
    pub fn writes(&self) -> Vec<String> {
        self.server
            .requests()
            .iter()
            .filter(|r| r.method != "GET")
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// The object at `path` as stored now.
    pub fn object(&self, path: &str) -> Option<Value> {
        self.store().objects.get(path).cloned()
    }

    /// Every object whose path starts with `prefix` (path → object), e.g.
    /// `/api/v1/namespaces/shop/` for the core objects of one namespace.
    pub fn objects_under(&self, prefix: &str) -> BTreeMap<String, Value> {
        self.store()
            .objects
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Every object in namespace `ns`, of every group (path → object); not the Namespace itself.
    pub fn namespace_objects(&self, ns: &str) -> BTreeMap<String, Value> {
        let inside = format!("/namespaces/{ns}/");
        self.store()
            .objects
            .iter()
            .filter(|(k, _)| k.contains(&inside))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Create or replace the object at `path` as another client would (a new resourceVersion;
    /// a uid and creationTimestamp when it has none).
    pub fn set_object(&self, path: &str, object: Value) {
        let mut store = self.store();
        let mut object = seeded(&mut store, object);
        object["metadata"]["resourceVersion"] = json!(store.next_rv());
        store.objects.insert(path.to_string(), object);
    }

    /// Remove the object at `path` as another client would; whether it was there.
    pub fn remove_object(&self, path: &str) -> bool {
        self.store().objects.remove(path).is_some()
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `object` without what the server sets on every write (`uid`, `resourceVersion`,
/// `creationTimestamp`, `managedFields`, `generation`, `selfLink`): what must be equal after a
/// backup and a restore.
pub fn strip_server_fields(object: &Value) -> Value {
    let mut v = object.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
            "generation",
            "selfLink",
        ] {
            meta.remove(k);
        }
    }
    v
}

/// A seeded object with the metadata every stored object has.
fn seeded(store: &mut Store, mut object: Value) -> Value {
    if !object["metadata"].is_object() {
        object["metadata"] = json!({});
    }
    if object["metadata"]["resourceVersion"].is_null() {
        object["metadata"]["resourceVersion"] = json!(store.next_rv());
    }
    if object["metadata"]["uid"].is_null() {
        object["metadata"]["uid"] = json!(format!("uid-{}", store.next_rv()));
    }
    if object["metadata"]["creationTimestamp"].is_null() {
        object["metadata"]["creationTimestamp"] = json!(CREATED_AT);
    }
    normalize_secret(&mut object);
    object
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

fn status(code: u16, reason: &str, message: String) -> Response {
    Response::json(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "code": code}),
    )
}

fn status_with_details(code: u16, reason: &str, message: String, details: Value) -> Response {
    Response::json(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "details": details, "code": code}),
    )
}

fn not_found(plural: &str, name: &str) -> Response {
    status_with_details(
        404,
        "NotFound",
        format!("{plural} \"{name}\" not found"),
        json!({"name": name, "kind": plural}),
    )
}

fn no_resource() -> Response {
    status(
        404,
        "NotFound",
        "the server could not find the requested resource".into(),
    )
}

fn bad_request(message: String) -> Response {
    status(400, "BadRequest", message)
}

fn conflict(plural: &str, name: &str) -> Response {
    status_with_details(
        409,
        "Conflict",
        format!(
            "Operation cannot be fulfilled on {plural} \"{name}\": the object has been modified; \
             please apply your changes to the latest version and try again"
        ),
        json!({"name": name, "kind": plural}),
    )
}

/// What `NewGenericServerResponse(422, ...)` sends for a JSON Patch that does not apply: the
/// cause is not in the body.
fn patch_invalid() -> Response {
    status_with_details(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request".into(),
        json!({}),
    )
}

fn unsupported_media_type(custom: bool) -> Response {
    let accepted = if custom {
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    } else {
        "application/json-patch+json, application/merge-patch+json, \
         application/apply-patch+yaml, application/strategic-merge-patch+json"
    };
    status(
        415,
        "UnsupportedMediaType",
        format!(
            "the body of the request was in an unknown format - accepted media types include: {accepted}"
        ),
    )
}

fn resource(name: &str, kind: &str, namespaced: bool) -> Value {
    json!({"name": name, "singularName": kind.to_ascii_lowercase(), "namespaced": namespaced,
           "kind": kind, "verbs": ["create", "delete", "deletecollection", "get", "list", "patch",
                                   "update", "watch"]})
}

fn resource_list(group_version: &str, resources: Vec<Value>) -> Response {
    Response::json(
        200,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
                "resources": resources}),
    )
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// Which resource a request is about.
struct Target<'a> {
    /// `/api/v1` or `/apis/{group}/{version}`.
    root: String,
    group: &'a str,
    group_version: String,
    ns: Option<&'a str>,
    plural: &'a str,
    name: Option<&'a str>,
    sub: &'a [&'a str],
}

impl<'a> Target<'a> {
    fn parse(segs: &'a [&'a str]) -> Option<Target<'a>> {
        let (root_len, group, version) = match segs {
            ["api", version, ..] => (2, "", *version),
            ["apis", group, version, ..] => (3, *group, *version),
            _ => return None,
        };
        let rest = &segs[root_len.min(segs.len())..];
        let (ns, plural, name, sub) = if rest.first() == Some(&"namespaces") && rest.len() >= 3 {
            (
                Some(rest[1]),
                rest[2],
                rest.get(3).copied(),
                &rest[rest.len().min(4)..],
            )
        } else {
            (
                None,
                *rest.first()?,
                rest.get(1).copied(),
                &rest[rest.len().min(2)..],
            )
        };
        let group_version = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        Some(Target {
            root: format!("/{}", segs[..root_len].join("/")),
            group,
            group_version,
            ns,
            plural,
            name,
            sub,
        })
    }

    fn collection_path(&self) -> String {
        match self.ns {
            Some(ns) => format!("{}/namespaces/{ns}/{}", self.root, self.plural),
            None => format!("{}/{}", self.root, self.plural),
        }
    }

    fn object_path(&self, name: &str) -> String {
        format!("{}/{name}", self.collection_path())
    }

    /// Not a built-in API group: a custom resource, which has no strategic merge patch.
    fn custom(&self) -> bool {
        !(self.group.is_empty() || !self.group.contains('.') || self.group.ends_with(".k8s.io"))
    }

    /// The kind and scope of the resource, from the built-in table or an applied CRD.
    fn kind(&self, store: &Store) -> Option<(String, bool)> {
        if let Some((_, _, kind, namespaced)) = BUILTIN
            .iter()
            .find(|(gv, plural, _, _)| *gv == self.group_version && *plural == self.plural)
        {
            return Some((kind.to_string(), *namespaced));
        }
        crds(store)
            .find(|crd| {
                crd["spec"]["group"] == self.group && crd["spec"]["names"]["plural"] == self.plural
            })
            .map(|crd| {
                (
                    crd["spec"]["names"]["kind"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    crd["spec"]["scope"] == "Namespaced",
                )
            })
    }
}

fn crds(store: &Store) -> impl Iterator<Item = &Value> {
    store
        .objects
        .iter()
        .filter(|(k, _)| k.starts_with("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"))
        .map(|(_, v)| v)
}

fn discovery(store: &Store, segs: &[&str]) -> Option<Response> {
    let gv = match segs {
        ["api", "v1"] => "v1".to_string(),
        ["apis", group, version] => format!("{group}/{version}"),
        _ => return None,
    };
    let mut list: Vec<Value> = BUILTIN
        .iter()
        .filter(|(g, ..)| *g == gv)
        .map(|(_, plural, kind, namespaced)| resource(plural, kind, *namespaced))
        .collect();
    if let ["apis", group, version] = segs {
        for crd in crds(store) {
            if crd["spec"]["group"] == *group
                && crd["spec"]["versions"]
                    .as_array()
                    .is_some_and(|vs| vs.iter().any(|v| v["name"] == *version))
            {
                list.push(resource(
                    crd["spec"]["names"]["plural"].as_str().unwrap_or(""),
                    crd["spec"]["names"]["kind"].as_str().unwrap_or(""),
                    crd["spec"]["scope"] == "Namespaced",
                ));
            }
        }
    }
    Some(if list.is_empty() {
        no_resource()
    } else {
        resource_list(&gv, list)
    })
}

fn handle(store: &mut Store, req: &RecordedRequest) -> Response {
    let path = req.path.trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if let Some(answer) = discovery(store, &segs) {
        return answer;
    }
    let Some(t) = Target::parse(&segs) else {
        return no_resource();
    };
    if t.plural == "services" && t.sub.first() == Some(&"proxy") {
        return match req.method.as_str() {
            "POST" => Response::json(200, &json!({"partialSuccess": {}})),
            _ => Response::new(200)
                .header("content-type", "text/html")
                .body("<!doctype html><title>Jaeger UI</title>"),
        };
    }
    let Some(name) = t.name else {
        return collection(store, req, &t);
    };
    match t.sub {
        [] => object(store, req, &t, name),
        ["scale"] if matches!(t.plural, "deployments" | "statefulsets" | "replicasets") => {
            scale(store, req, &t, name)
        }
        ["status"] => status_subresource(store, req, &t, name),
        _ => no_resource(),
    }
}

/// `GET` (list), `POST` (create) and `DELETE` (deletecollection) on a collection.
fn collection(store: &mut Store, req: &RecordedRequest, t: &Target) -> Response {
    let selector = match req.query_param("labelSelector").filter(|s| !s.is_empty()) {
        Some(s) => match parse_selector(&s) {
            Ok(sel) => sel,
            Err(e) => return bad_request(format!("unable to parse requirement: {e}")),
        },
        None => Vec::new(),
    };
    let kind = t.kind(store);
    let namespaced = kind.as_ref().is_none_or(|(_, n)| *n);
    let prefix = format!("{}/", t.collection_path());
    // `/api/v1/pods`: a namespaced kind listed across every namespace.
    let across = format!("{}/namespaces/", t.root);
    let in_collection = |k: &str| {
        if let Some(rest) = k.strip_prefix(&prefix) {
            return !rest.contains('/');
        }
        if t.ns.is_none() && namespaced && t.plural != "namespaces" {
            let parts: Vec<&str> = k
                .strip_prefix(&across)
                .map(|r| r.split('/').collect())
                .unwrap_or_default();
            return parts.len() == 3 && parts[1] == t.plural;
        }
        false
    };
    let matching: Vec<String> = store
        .objects
        .iter()
        .filter(|(k, v)| in_collection(k) && selector_matches(&selector, v))
        .map(|(k, _)| k.clone())
        .collect();
    match req.method.as_str() {
        "GET" => {
            let items = matching.iter().map(|k| store.objects[k].clone()).collect();
            list_response(store, t, kind, items)
        }
        "DELETE" => {
            let items = matching
                .iter()
                .filter_map(|k| store.objects.remove(k))
                .collect();
            list_response(store, t, kind, items)
        }
        "POST" => create(store, req, t),
        m => method_not_allowed(m),
    }
}

fn list_response(
    store: &Store,
    t: &Target,
    kind: Option<(String, bool)>,
    mut items: Vec<Value>,
) -> Response {
    let list_kind = kind
        .as_ref()
        .map_or("List".to_string(), |(k, _)| format!("{k}List"));
    // The real server drops apiVersion and kind from the items of a built-in kind's list.
    if !t.custom() {
        for item in &mut items {
            if let Some(m) = item.as_object_mut() {
                m.remove("apiVersion");
                m.remove("kind");
            }
        }
    }
    Response::json(
        200,
        &json!({"kind": list_kind, "apiVersion": t.group_version,
                "metadata": {"resourceVersion": store.rv.to_string()}, "items": items}),
    )
}

fn method_not_allowed(method: &str) -> Response {
    status(
        405,
        "MethodNotAllowed",
        format!("the server does not allow this method on the requested resource ({method})"),
    )
}

fn namespace_missing(store: &Store, t: &Target) -> Option<Response> {
    let ns = t.ns?;
    (!store
        .objects
        .contains_key(&format!("/api/v1/namespaces/{ns}")))
    .then(|| not_found("namespaces", ns))
}

/// A body's `metadata.name` must be the URL's.
fn name_mismatch(body: &Value, name: &str) -> Option<Response> {
    match body["metadata"]["name"].as_str() {
        Some(n) if n != name => Some(bad_request(format!(
            "the name of the object ({n}) does not match the name on the URL ({name})"
        ))),
        _ => None,
    }
}

fn create(store: &mut Store, req: &RecordedRequest, t: &Target) -> Response {
    let Ok(mut body) = serde_json::from_slice::<Value>(&req.body) else {
        return bad_request("the body of the request could not be decoded as JSON".into());
    };
    if !body["metadata"].is_object() {
        return status(
            422,
            "Invalid",
            "metadata.name: Required value: name or generateName is required".into(),
        );
    }
    let name = match (
        body["metadata"]["name"].as_str(),
        body["metadata"]["generateName"].as_str(),
    ) {
        (Some(n), _) => n.to_string(),
        (None, Some(prefix)) => format!("{prefix}{:05x}", store.rv + 1),
        (None, None) => {
            return status(
                422,
                "Invalid",
                "metadata.name: Required value: name or generateName is required".into(),
            );
        }
    };
    if let (Some(ns), Some(body_ns)) = (t.ns, body["metadata"]["namespace"].as_str())
        && ns != body_ns
    {
        return bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
                .into(),
        );
    }
    if let Some(missing) = namespace_missing(store, t) {
        return missing;
    }
    let path = t.object_path(&name);
    if store.objects.contains_key(&path) {
        return status_with_details(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", t.plural),
            json!({"name": name, "kind": t.plural}),
        );
    }
    let rv = store.next_rv();
    body["metadata"]["name"] = json!(name);
    if let Some(ns) = t.ns {
        body["metadata"]["namespace"] = json!(ns);
    }
    body["metadata"]["uid"] = json!(format!("uid-{rv}"));
    body["metadata"]["resourceVersion"] = json!(rv);
    body["metadata"]["creationTimestamp"] = json!(CREATED_AT);
    let manager = req
        .query_param("fieldManager")
        .unwrap_or_else(|| "unknown".into());
    body["metadata"]["managedFields"] = json!([{"manager": manager, "operation": "Update"}]);
    normalize_secret(&mut body);
    store.objects.insert(path, body.clone());
    Response::json(201, &body)
}

fn object(store: &mut Store, req: &RecordedRequest, t: &Target, name: &str) -> Response {
    let path = t.object_path(name);
    match req.method.as_str() {
        "GET" => match store.objects.get(&path) {
            Some(v) => Response::json(200, v),
            None => not_found(t.plural, name),
        },
        "PATCH" => patch(store, req, t, name),
        "PUT" => {
            let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
                return bad_request("the body of the request could not be decoded as JSON".into());
            };
            if let Some(mismatch) = name_mismatch(&body, name) {
                return mismatch;
            }
            let Some(existing) = store.objects.get(&path).cloned() else {
                return not_found(t.plural, name);
            };
            let mut body = body;
            // A built-in kind with a `status` subresource ignores `status` in a write to the
            // object itself (only `/status` changes it), as the real API server does: a restore
            // from a backup without status leaves the live status alone.
            if STATUS_SUBRESOURCE.contains(&t.plural) && !t.custom() {
                match existing.get("status") {
                    Some(s) => body["status"] = s.clone(),
                    None => {
                        if let Some(o) = body.as_object_mut() {
                            o.remove("status");
                        }
                    }
                }
            }
            if let Some(m) = body["metadata"].as_object()
                && !m.contains_key("managedFields")
                && !existing["metadata"]["managedFields"].is_null()
            {
                body["metadata"]["managedFields"] = existing["metadata"]["managedFields"].clone();
            }
            store_update(store, t, name, &existing, body)
        }
        "DELETE" => {
            let Some(existing) = store.objects.get(&path).cloned() else {
                return not_found(t.plural, name);
            };
            let opts: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            if let Some(uid) = opts["preconditions"]["uid"].as_str()
                && existing["metadata"]["uid"] != uid
            {
                return status_with_details(
                    409,
                    "Conflict",
                    format!(
                        "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                        existing["metadata"]["uid"].as_str().unwrap_or("")
                    ),
                    json!({"name": name, "kind": t.plural}),
                );
            }
            if let Some(rv) = opts["preconditions"]["resourceVersion"].as_str()
                && existing["metadata"]["resourceVersion"] != rv
            {
                return status_with_details(
                    409,
                    "Conflict",
                    format!(
                        "Precondition failed: ResourceVersion in precondition: {rv}, \
                         ResourceVersion in object meta: {}",
                        existing["metadata"]["resourceVersion"]
                            .as_str()
                            .unwrap_or("")
                    ),
                    json!({"name": name, "kind": t.plural}),
                );
            }
            store.objects.remove(&path);
            if t.plural == "namespaces" && t.ns.is_none() {
                let inside = format!("/namespaces/{name}/");
                store.objects.retain(|k, _| !k.contains(&inside));
                // A Namespace's delete answers the Namespace, now terminating.
                let mut gone = existing;
                gone["status"] = json!({"phase": "Terminating"});
                return Response::json(200, &gone);
            }
            let mut details = json!({"name": name, "kind": t.plural,
                                     "uid": existing["metadata"]["uid"]});
            if !t.group.is_empty() {
                details["group"] = json!(t.group);
            }
            Response::json(
                200,
                &json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                        "status": "Success", "details": details}),
            )
        }
        m => method_not_allowed(m),
    }
}

/// Store `after` in place of `before` (a replace or a patch): server-set metadata kept, a
/// differing `resourceVersion` in `after` refused, the version bumped only on a change.
fn store_update(
    store: &mut Store,
    t: &Target,
    name: &str,
    before: &Value,
    mut after: Value,
) -> Response {
    let old_rv = before["metadata"]["resourceVersion"].clone();
    if !after["metadata"]["resourceVersion"].is_null()
        && after["metadata"]["resourceVersion"] != old_rv
    {
        return conflict(t.plural, name);
    }
    if !after["metadata"].is_object() {
        after["metadata"] = json!({});
    }
    for k in ["uid", "creationTimestamp", "name", "namespace"] {
        if !before["metadata"][k].is_null() {
            after["metadata"][k] = before["metadata"][k].clone();
        }
    }
    after["metadata"]["resourceVersion"] = old_rv;
    normalize_secret(&mut after);
    if after != *before {
        after["metadata"]["resourceVersion"] = json!(store.next_rv());
        store.objects.insert(t.object_path(name), after.clone());
    }
    Response::json(200, &after)
}

/// The patch's content type, without parameters.
fn content_type(req: &RecordedRequest) -> String {
    req.header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `after` = `before` with `req`'s patch applied, by its content type; or the error answer.
fn patched(before: &Value, req: &RecordedRequest, custom: bool) -> Result<Value, Response> {
    let ct = content_type(req);
    let json_body = || {
        serde_json::from_slice::<Value>(&req.body)
            .map_err(|e| bad_request(format!("error decoding patch: {e}")))
    };
    let mut after = before.clone();
    match ct.as_str() {
        "application/apply-patch+yaml" => {
            let body = match serde_json::from_slice::<Value>(&req.body) {
                Ok(v) => v,
                Err(_) => serde_norway::from_slice::<Value>(&req.body)
                    .map_err(|e| bad_request(format!("error decoding YAML: {e}")))?,
            };
            apply_merge(&mut after, &body);
        }
        "application/strategic-merge-patch+json" if custom => {
            return Err(unsupported_media_type(true));
        }
        "application/strategic-merge-patch+json" => {
            let body = json_body()?;
            if !body.is_object() {
                return Err(bad_request(
                    "error decoding patch: not a JSON object".into(),
                ));
            }
            strategic_merge(&mut after, &body);
        }
        "application/merge-patch+json" => merge_patch(&mut after, &json_body()?),
        "application/json-patch+json" => {
            let Value::Array(ops) = json_body()? else {
                return Err(bad_request(
                    "json: cannot unmarshal object into Go value of type jsonpatch.Patch".into(),
                ));
            };
            json_patch(&mut after, &ops).map_err(|_| patch_invalid())?;
        }
        _ => return Err(unsupported_media_type(custom)),
    }
    Ok(after)
}

fn patch(store: &mut Store, req: &RecordedRequest, t: &Target, name: &str) -> Response {
    let path = t.object_path(name);
    let ct = content_type(req);
    // The media type is checked before the object is looked up, as the real handler does.
    let known = match ct.as_str() {
        "application/strategic-merge-patch+json" => !t.custom(),
        "application/apply-patch+yaml"
        | "application/merge-patch+json"
        | "application/json-patch+json" => true,
        _ => false,
    };
    if !known {
        return unsupported_media_type(t.custom());
    }
    let apply = ct == "application/apply-patch+yaml";
    if apply && let Some(missing) = namespace_missing(store, t) {
        return missing;
    }
    let Some(existing) = store.objects.get(&path).cloned() else {
        if !apply {
            return not_found(t.plural, name);
        }
        // Server-side apply of a missing object creates it.
        let mut v = match patched(&json!({}), req, t.custom()) {
            Ok(v) => v,
            Err(answer) => return answer,
        };
        if let Some(mismatch) = name_mismatch(&v, name) {
            return mismatch;
        }
        let rv = store.next_rv();
        let manager = req.query_param("fieldManager").unwrap_or_default();
        v["metadata"]["uid"] = json!(format!("uid-{rv}"));
        v["metadata"]["resourceVersion"] = json!(rv);
        v["metadata"]["creationTimestamp"] = json!(CREATED_AT);
        v["metadata"]["managedFields"] = json!([{"manager": manager, "operation": "Apply"}]);
        normalize_secret(&mut v);
        store.objects.insert(path, v.clone());
        return Response::json(201, &v);
    };
    match patched(&existing, req, t.custom()) {
        Ok(after) => store_update(store, t, name, &existing, after),
        Err(answer) => answer,
    }
}

/// `/scale`: an `autoscaling/v1` Scale view of `spec.replicas`.
fn scale(store: &mut Store, req: &RecordedRequest, t: &Target, name: &str) -> Response {
    let path = t.object_path(name);
    let Some(existing) = store.objects.get(&path).cloned() else {
        return not_found(t.plural, name);
    };
    let selector = existing["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let view = |o: &Value| {
        json!({"kind": "Scale", "apiVersion": "autoscaling/v1",
               "metadata": {"name": name, "namespace": o["metadata"]["namespace"],
                            "uid": o["metadata"]["uid"],
                            "resourceVersion": o["metadata"]["resourceVersion"],
                            "creationTimestamp": o["metadata"]["creationTimestamp"]},
               "spec": {"replicas": o["spec"]["replicas"].as_i64().unwrap_or(1)},
               "status": {"replicas": o["status"]["replicas"].as_i64().unwrap_or(0),
                          "selector": selector}})
    };
    let current = view(&existing);
    let wanted = match req.method.as_str() {
        "GET" => return Response::json(200, &current),
        "PUT" => match serde_json::from_slice::<Value>(&req.body) {
            Ok(v) => v,
            Err(e) => return bad_request(format!("error decoding body: {e}")),
        },
        "PATCH" => match patched(&current, req, false) {
            Ok(v) => v,
            Err(answer) => return answer,
        },
        m => return method_not_allowed(m),
    };
    let Some(replicas) = wanted["spec"]["replicas"].as_i64() else {
        return status(422, "Invalid", "spec.replicas: Required value".into());
    };
    if !wanted["metadata"]["resourceVersion"].is_null()
        && wanted["metadata"]["resourceVersion"] != existing["metadata"]["resourceVersion"]
    {
        return conflict(t.plural, name);
    }
    let mut after = existing.clone();
    after["spec"]["replicas"] = json!(replicas);
    match store_update(store, t, name, &existing, after) {
        r if r.status == 200 => {
            let stored = store.objects[&path].clone();
            Response::json(200, &view(&stored))
        }
        r => r,
    }
}

/// Built-in resources whose `status` only the `/status` subresource writes.
const STATUS_SUBRESOURCE: &[&str] = &[
    "deployments",
    "statefulsets",
    "daemonsets",
    "replicasets",
    "pods",
    "namespaces",
    "services",
];

/// `/status`: the object, of which only `status` may change.
fn status_subresource(
    store: &mut Store,
    req: &RecordedRequest,
    t: &Target,
    name: &str,
) -> Response {
    let path = t.object_path(name);
    let Some(existing) = store.objects.get(&path).cloned() else {
        return not_found(t.plural, name);
    };
    let wanted = match req.method.as_str() {
        "GET" => return Response::json(200, &existing),
        "PUT" => match serde_json::from_slice::<Value>(&req.body) {
            Ok(v) => v,
            Err(e) => return bad_request(format!("error decoding body: {e}")),
        },
        "PATCH" => match patched(&existing, req, t.custom()) {
            Ok(v) => v,
            Err(answer) => return answer,
        },
        m => return method_not_allowed(m),
    };
    let mut after = existing.clone();
    after["status"] = wanted["status"].clone();
    after["metadata"]["resourceVersion"] = wanted["metadata"]["resourceVersion"].clone();
    store_update(store, t, name, &existing, after)
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// A Secret's `stringData` goes into `data`, base64-encoded, and is never stored.
fn normalize_secret(object: &mut Value) {
    if object["kind"] != "Secret" {
        return;
    }
    let Some(Value::Object(plain)) = object.as_object_mut().and_then(|m| m.remove("stringData"))
    else {
        return;
    };
    if !object["data"].is_object() {
        object["data"] = json!({});
    }
    for (k, v) in plain {
        object["data"][k] = json!(base64(v.as_str().unwrap_or("").as_bytes()));
    }
}

/// Standard base64 with padding, as the API server encodes `[]byte`.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Merges and patches
// ---------------------------------------------------------------------------------------------

/// Server-side apply, as far as these tests need it: maps merge, everything else replaces.
fn apply_merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        apply_merge(existing, v)
                    }
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (a, b) => *a = b.clone(),
    }
}

/// RFC 7386: maps merge, `null` deletes, anything else (lists too) replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("an object");
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// The strategic merge key of a list field, from the core API's `patchMergeKey` tags, for the
/// lists tracectl's patches touch. `None`: the list is replaced.
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets" => Some("name"),
        "volumeMounts" | "volumeDevices" => Some("mountPath"),
        "ports" if items.iter().any(|i| i.get("containerPort").is_some()) => Some("containerPort"),
        "ports" => Some("port"),
        "hostAliases" => Some("ip"),
        "conditions" => Some("type"),
        _ => None,
    }
}

/// A patch value without its `$` directives, for where it lands as is.
fn without_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_directives(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_directives).collect()),
        other => other.clone(),
    }
}

/// A strategic merge patch (`k8s.io/apimachinery/pkg/util/strategicpatch`) with the merge keys
/// of [`merge_key`]: maps merge recursively, `null` deletes, keyed lists merge element by
/// element, other lists replace.
fn strategic_merge(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        *target = without_directives(patch);
        return;
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let t = target.as_object_mut().expect("an object");
    for (k, v) in p {
        if let Some(list) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Value::Array(gone)) = (t.get_mut(list), v) {
                items.retain(|i| !gone.contains(i));
            }
            continue;
        }
        if k.starts_with('$') {
            // `$setElementOrder/...`, `$retainKeys`, `$patch` on a map: order and pruning hints.
            continue;
        }
        match v {
            Value::Null => {
                t.remove(k);
            }
            Value::Object(_) => strategic_merge(t.entry(k.clone()).or_insert(Value::Null), v),
            Value::Array(items) => {
                let key = merge_key(k, items);
                match (key, t.get_mut(k)) {
                    (Some(key), Some(Value::Array(existing))) => {
                        merge_keyed_list(existing, items, key)
                    }
                    _ => {
                        let kept: Vec<Value> = items
                            .iter()
                            .filter(|i| i.get("$patch").and_then(Value::as_str) != Some("delete"))
                            .map(without_directives)
                            .collect();
                        t.insert(k.clone(), Value::Array(kept));
                    }
                }
            }
            other => {
                t.insert(k.clone(), other.clone());
            }
        }
    }
}

fn merge_keyed_list(existing: &mut Vec<Value>, patch: &[Value], key: &str) {
    for item in patch {
        let id = item.get(key);
        let at = id.and_then(|id| existing.iter().position(|e| e.get(key) == Some(id)));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(i) = at {
                existing.remove(i);
            }
            continue;
        }
        match at {
            Some(i) => strategic_merge(&mut existing[i], item),
            None => existing.push(without_directives(item)),
        }
    }
}

/// `/a/b~1c/0` → `["a", "b/c", "0"]`.
fn pointer_tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer {pointer:?}"));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn pointer_get<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn pointer_parent<'a>(
    doc: &'a mut Value,
    tokens: &'a [String],
) -> Result<(&'a mut Value, &'a str), String> {
    let (last, parents) = tokens
        .split_last()
        .ok_or_else(|| "the whole document cannot be the target".to_string())?;
    let mut v = doc;
    for t in parents {
        v = match v {
            Value::Object(m) => m.get_mut(t),
            Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {t}"))?;
    }
    Ok((v, last))
}

fn pointer_add(doc: &mut Value, tokens: &[String], value: Value) -> Result<(), String> {
    if tokens.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) = pointer_parent(doc, tokens)?;
    match parent {
        Value::Object(m) => {
            m.insert(last.to_string(), value);
            Ok(())
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>()
                    .map_err(|_| format!("bad index {last}"))?
            };
            if i > a.len() {
                return Err(format!("index out of bounds: {i}"));
            }
            a.insert(i, value);
            Ok(())
        }
        _ => Err("parent is not a container".into()),
    }
}

fn pointer_remove(doc: &mut Value, tokens: &[String]) -> Result<Value, String> {
    let (parent, last) = pointer_parent(doc, tokens)?;
    match parent {
        Value::Object(m) => m
            .remove(last)
            .ok_or_else(|| format!("unable to remove nonexistent key: {last}")),
        Value::Array(a) => match last.parse::<usize>() {
            Ok(i) if i < a.len() => Ok(a.remove(i)),
            _ => Err(format!("index out of bounds: {last}")),
        },
        _ => Err("parent is not a container".into()),
    }
}

/// RFC 6902, every op; the whole patch or nothing.
fn json_patch(doc: &mut Value, ops: &[Value]) -> Result<(), String> {
    let mut work = doc.clone();
    for op in ops {
        let path = pointer_tokens(op["path"].as_str().ok_or("an op without a path")?)?;
        let from = || pointer_tokens(op["from"].as_str().unwrap_or(""));
        match op["op"].as_str().unwrap_or("") {
            "add" => pointer_add(&mut work, &path, op["value"].clone())?,
            "remove" => {
                pointer_remove(&mut work, &path)?;
            }
            "replace" => {
                if pointer_get(&work, &path).is_none() {
                    return Err("replace operation does not apply: doc is missing key".into());
                }
                if path.is_empty() {
                    work = op["value"].clone();
                } else {
                    pointer_remove(&mut work, &path)?;
                    pointer_add(&mut work, &path, op["value"].clone())?;
                }
            }
            "move" => {
                let v = pointer_remove(&mut work, &from()?)?;
                pointer_add(&mut work, &path, v)?;
            }
            "copy" => {
                let v = pointer_get(&work, &from()?)
                    .cloned()
                    .ok_or("copy operation does not apply: doc is missing from path")?;
                pointer_add(&mut work, &path, v)?;
            }
            "test" => {
                if pointer_get(&work, &path) != Some(&op["value"]) {
                    return Err(format!(
                        "testing value {} failed: test failed",
                        op["path"].as_str().unwrap_or("")
                    ));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    *doc = work;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Label selectors
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Requirement {
    Exists(String),
    NotExists(String),
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Greater(String, i64),
    Less(String, i64),
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 316
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn valid_value(v: &str) -> bool {
    v.len() <= 63
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `k8s.io/apimachinery/pkg/labels.Parse`'s grammar; the error text is this fixture's own.
fn parse_selector(s: &str) -> Result<Vec<Requirement>, String> {
    // Split on the commas outside `( )`.
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
        .into_iter()
        .map(|part| {
            let p = part.trim();
            let bad = || format!("found '{p}', expected: identifier, '!', or a key and operator");
            let key_ok = |k: &str| {
                let k = k.trim();
                if valid_key(k) {
                    Ok(k.to_string())
                } else {
                    Err(bad())
                }
            };
            let value_ok = |v: &str| {
                let v = v.trim();
                if valid_value(v) {
                    Ok(v.to_string())
                } else {
                    Err(bad())
                }
            };
            let set = |rest: &str| -> Result<Vec<String>, String> {
                let inner = rest
                    .trim()
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(bad)?;
                inner.split(',').map(value_ok).collect()
            };
            if let Some(k) = p.strip_prefix('!') {
                return Ok(Requirement::NotExists(key_ok(k)?));
            }
            if let Some((k, rest)) = p.split_once(" notin ") {
                return Ok(Requirement::NotIn(key_ok(k)?, set(rest)?));
            }
            if let Some((k, rest)) = p.split_once(" in ") {
                return Ok(Requirement::In(key_ok(k)?, set(rest)?));
            }
            if let Some((k, v)) = p.split_once("!=") {
                return Ok(Requirement::NotEquals(key_ok(k)?, value_ok(v)?));
            }
            if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                return Ok(Requirement::Equals(key_ok(k)?, value_ok(v)?));
            }
            for (op, greater) in [('>', true), ('<', false)] {
                if let Some((k, v)) = p.split_once(op) {
                    let n: i64 = v.trim().parse().map_err(|_| bad())?;
                    let k = key_ok(k)?;
                    return Ok(if greater {
                        Requirement::Greater(k, n)
                    } else {
                        Requirement::Less(k, n)
                    });
                }
            }
            Ok(Requirement::Exists(key_ok(p)?))
        })
        .collect()
}

/// Whether `object`'s labels satisfy `selector` (the API server's grammar), for fixtures that
/// answer lists without this stateful server.
pub fn labels_match(selector: &str, object: &Value) -> Result<bool, String> {
    if selector.is_empty() {
        return Ok(true);
    }
    Ok(selector_matches(&parse_selector(selector)?, object))
}

fn selector_matches(selector: &[Requirement], object: &Value) -> bool {
    let labels = &object["metadata"]["labels"];
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    selector.iter().all(|r| match r {
        Requirement::Exists(k) => label(k).is_some(),
        Requirement::NotExists(k) => label(k).is_none(),
        Requirement::Equals(k, v) => label(k) == Some(v.as_str()),
        Requirement::NotEquals(k, v) => label(k) != Some(v.as_str()),
        Requirement::In(k, vs) => label(k).is_some_and(|l| vs.iter().any(|v| v == l)),
        Requirement::NotIn(k, vs) => label(k).is_none_or(|l| vs.iter().all(|v| v != l)),
        Requirement::Greater(k, n) => label(k)
            .and_then(|l| l.parse::<i64>().ok())
            .is_some_and(|l| l > *n),
        Requirement::Less(k, n) => label(k)
            .and_then(|l| l.parse::<i64>().ok())
            .is_some_and(|l| l < *n),
    })
}

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

/// A rolled-out Deployment, its ready pod, as Helm's charts would have made them.
pub fn workload(ns: &str, name: &str, ready: bool) -> Vec<(String, Value)> {
    let avail = if ready { 1 } else { 0 };
    vec![
        (
            format!("/apis/apps/v1/namespaces/{ns}/deployments/{name}"),
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": name, "namespace": ns, "generation": 2, "uid": format!("d-{name}")},
                   "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}}, "template": {}},
                   "status": {"observedGeneration": 2, "replicas": 1, "updatedReplicas": 1,
                              "readyReplicas": avail, "availableReplicas": avail}}),
        ),
        (
            format!("/api/v1/namespaces/{ns}/pods/{name}-7d9f8b6c5d-x2x7q"),
            json!({"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": format!("{name}-7d9f8b6c5d-x2x7q"), "namespace": ns},
                   "spec": {"containers": [{"name": name, "image": format!("{name}:1")}]},
                   "status": {"phase": "Running", "containerStatuses": [
                       {"name": name, "image": format!("{name}:1"), "imageID": "", "ready": ready,
                        "restartCount": 0, "started": ready,
                        "state": {"running": {"startedAt": "2026-11-25T10:00:00Z"}}}]}}),
        ),
    ]
}

/// The tracing stack as its charts leave it in `ns`: the Namespace, and the Collector's and
/// Jaeger's Deployments (with a pod template whose container has limits, what `maintain scale`
/// patches) and pods, the Collector's pod ready or not.
pub fn tracing_stack(ns: &str, collector_ready: bool) -> Vec<(String, Value)> {
    let mut seed = vec![(
        format!("/api/v1/namespaces/{ns}"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
    )];
    seed.extend(workload(ns, "otel-collector", collector_ready));
    seed.extend(workload(ns, "jaeger", true));
    for (path, obj) in seed.iter_mut() {
        if path.contains("/deployments/") {
            let name = obj["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            obj["spec"]["template"] = pod_template(&name);
        }
    }
    seed
}

/// A pod template of one container `name`, image `name:1`, limits cpu 1 and memory 2Gi.
pub fn pod_template(name: &str) -> Value {
    json!({"metadata": {"labels": {"app": name}},
           "spec": {"containers": [{"name": name, "image": format!("{name}:1"),
                                    "resources": {"limits": {"cpu": "1", "memory": "2Gi"}}}]}})
}

pub fn service(ns: &str, name: &str) -> (String, Value) {
    (
        format!("/api/v1/namespaces/{ns}/services/{name}"),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
               "spec": {"ports": [{"port": 80}]}}),
    )
}
