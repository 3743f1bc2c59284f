//! A small stateful Kubernetes API server for the deploy tests, on the recording
//! [`FixtureServer`]: it keeps objects by path, answers the discovery, get, list, server-side apply
//! (`PATCH`), replace (`PUT`) and delete calls `deploy` makes, the way the real API server answers
//! them (Status bodies for errors, 201 on create, resourceVersion and uid, a Namespace's delete
//! taking its objects along, custom resources served once their CRD exists), and lets the tests
//! assert every request it received. Only what `deploy` calls is modelled.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::support::{FixtureServer, RecordedRequest, Response, Route};

#[derive(Default)]
struct Store {
    objects: BTreeMap<String, Value>,
    rv: u64,
}

pub struct KubeApi {
    pub server: FixtureServer,
    store: Arc<Mutex<Store>>,
}

fn status(code: u16, reason: &str, message: String) -> Response {
    Response::json(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "code": code}),
    )
}

fn resource(name: &str, kind: &str, namespaced: bool) -> Value {
    json!({"name": name, "singularName": kind.to_ascii_lowercase(), "namespaced": namespaced,
           "kind": kind, "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]})
}

fn resource_list(group_version: &str, resources: Vec<Value>) -> Response {
    Response::json(
        200,
        &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
                "resources": resources}),
    )
}

/// Maps merge, everything else replaces: enough of server-side apply for these tests.
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (a, b) => *a = b.clone(),
    }
}

impl KubeApi {
    /// An API server holding `seed` (path → object).
    pub fn start(seed: Vec<(String, Value)>) -> KubeApi {
        let store = Arc::new(Mutex::new(Store {
            objects: seed.into_iter().collect(),
            rv: 100,
        }));
        let s = store.clone();
        let server = FixtureServer::start(vec![
            Route::new("*", "/*").respond_with(move |req| handle(&mut s.lock().unwrap(), req)),
        ]);
        KubeApi { server, store }
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

    pub fn object(&self, path: &str) -> Option<Value> {
        self.store.lock().unwrap().objects.get(path).cloned()
    }
}

fn handle(store: &mut Store, req: &RecordedRequest) -> Response {
    let path = req.path.trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // Discovery.
    match segs.as_slice() {
        ["api", "v1"] => {
            return resource_list(
                "v1",
                vec![
                    resource("namespaces", "Namespace", false),
                    resource("configmaps", "ConfigMap", true),
                    resource("secrets", "Secret", true),
                    resource("services", "Service", true),
                    resource("pods", "Pod", true),
                ],
            );
        }
        ["apis", group, version] => {
            let gv = format!("{group}/{version}");
            let mut list = match gv.as_str() {
                "apps/v1" => vec![
                    resource("deployments", "Deployment", true),
                    resource("statefulsets", "StatefulSet", true),
                    resource("daemonsets", "DaemonSet", true),
                ],
                "apiextensions.k8s.io/v1" => vec![resource(
                    "customresourcedefinitions",
                    "CustomResourceDefinition",
                    false,
                )],
                "monitoring.coreos.com/v1" => {
                    vec![resource("prometheusrules", "PrometheusRule", true)]
                }
                _ => vec![],
            };
            for (k, crd) in &store.objects {
                if k.starts_with("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/")
                    && crd["spec"]["group"] == *group
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
            if list.is_empty() {
                return status(
                    404,
                    "NotFound",
                    "the server could not find the requested resource".into(),
                );
            }
            return resource_list(&gv, list);
        }
        _ => {}
    }
    let root = match segs.first() {
        Some(&"api") => 2,
        Some(&"apis") => 3,
        _ => return status(404, "NotFound", format!("no route {path}")),
    };
    let rest = &segs[root.min(segs.len())..];
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
            rest.first().copied().unwrap_or(""),
            rest.get(1).copied(),
            &rest[rest.len().min(2)..],
        )
    };
    if plural == "services" && sub.first() == Some(&"proxy") {
        return match req.method.as_str() {
            "POST" => Response::json(200, &json!({"partialSuccess": {}})),
            _ => Response::new(200)
                .header("content-type", "text/html")
                .body("<!doctype html><title>Jaeger UI</title>"),
        };
    }
    let Some(name) = name else {
        // A list.
        let prefix = format!("{path}/");
        let items: Vec<Value> = store
            .objects
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix) && !k[prefix.len()..].contains('/'))
            .map(|(_, v)| v.clone())
            .collect();
        return Response::json(
            200,
            &json!({"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": store.rv.to_string()}, "items": items}),
        );
    };
    let not_found = || status(404, "NotFound", format!("{plural} \"{name}\" not found"));
    match req.method.as_str() {
        "GET" => match store.objects.get(&path) {
            Some(v) => Response::json(200, v),
            None => not_found(),
        },
        "PATCH" => {
            let body = req.body_json();
            if let Some(ns) = ns
                && !store
                    .objects
                    .contains_key(&format!("/api/v1/namespaces/{ns}"))
            {
                return status(404, "NotFound", format!("namespaces \"{ns}\" not found"));
            }
            store.rv += 1;
            let rv = store.rv.to_string();
            let manager = req.query_param("fieldManager").unwrap_or_default();
            match store.objects.get_mut(&path) {
                Some(existing) => {
                    let before = existing.clone();
                    merge(existing, &body);
                    if *existing != before {
                        existing["metadata"]["resourceVersion"] = json!(rv);
                    }
                    Response::json(200, existing)
                }
                None => {
                    let mut v = body;
                    v["metadata"]["uid"] = json!(format!("uid-{rv}"));
                    v["metadata"]["resourceVersion"] = json!(rv);
                    v["metadata"]["creationTimestamp"] = json!("2026-11-25T10:00:00Z");
                    v["metadata"]["managedFields"] =
                        json!([{"manager": manager, "operation": "Apply"}]);
                    store.objects.insert(path.clone(), v.clone());
                    Response::json(201, &v)
                }
            }
        }
        "PUT" => {
            let mut body = req.body_json();
            let Some(existing) = store.objects.get(&path).cloned() else {
                return not_found();
            };
            if body["metadata"]["resourceVersion"] != existing["metadata"]["resourceVersion"] {
                return status(409, "Conflict", "the object has been modified".into());
            }
            store.rv += 1;
            body["metadata"]["resourceVersion"] = json!(store.rv.to_string());
            body["metadata"]["uid"] = existing["metadata"]["uid"].clone();
            store.objects.insert(path.clone(), body.clone());
            Response::json(200, &body)
        }
        "DELETE" => {
            let Some(existing) = store.objects.get(&path).cloned() else {
                return not_found();
            };
            let opts: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            if let Some(uid) = opts["preconditions"]["uid"].as_str()
                && existing["metadata"]["uid"] != uid
            {
                return status(
                    409,
                    "Conflict",
                    "Precondition failed: UID in precondition".into(),
                );
            }
            store.objects.remove(&path);
            if plural == "namespaces" && ns.is_none() {
                let inside = format!("/namespaces/{name}/");
                store.objects.retain(|k, _| !k.contains(&inside));
            }
            Response::json(200, &existing)
        }
        m => status(405, "MethodNotAllowed", format!("{m} is not served here")),
    }
}

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

pub fn service(ns: &str, name: &str) -> (String, Value) {
    (
        format!("/api/v1/namespaces/{ns}/services/{name}"),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
               "spec": {"ports": [{"port": 80}]}}),
    )
}
