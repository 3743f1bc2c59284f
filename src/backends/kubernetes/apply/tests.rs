//! Tests of `apply.rs` (moved out of it to keep the source under the style's size).

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kube::client::Body;
use serde_json::json;

use super::*;

/// One request as the fake API server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// A fake API server answering every request with `(status, body)` and keeping what it saw,
/// headers and body included (`testkit.rs` keeps method, path and query only).
fn server(status: u16, body: &'static str) -> (Kube, Arc<Mutex<Vec<Seen>>>) {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let svc = tower::service_fn(move |req: http::Request<Body>| {
        let log = log.clone();
        async move {
            let (parts, req_body) = req.into_parts();
            let bytes = req_body.collect_bytes().await.unwrap_or_default();
            log.lock().unwrap().push(Seen {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                query: parts
                    .uri
                    .query()
                    .map(|q| {
                        url::form_urlencoded::parse(q.as_bytes())
                            .into_owned()
                            .collect()
                    })
                    .unwrap_or_default(),
                content_type: parts
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
                body: bytes.to_vec(),
            });
            Ok::<_, Infallible>(
                http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(body.as_bytes().to_vec()))
                    .unwrap(),
            )
        }
    });
    let client = kube::Client::new(svc, "shop");
    (
        Kube::from_client(
            client,
            "https://k8s.example:6443",
            Some(Duration::from_secs(5)),
        ),
        seen,
    )
}

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A ConfigMapList as the API server sends it: the items carry no `apiVersion`/`kind`.
const CONFIGMAP_LIST: &str = r#"{
  "kind": "ConfigMapList",
  "apiVersion": "v1",
  "metadata": { "resourceVersion": "27010455" },
  "items": [
    {
      "metadata": {
        "name": "sampling-config",
        "namespace": "monitoring",
        "uid": "9a1c3f0e-6b2d-4e8a-9c51-3f7d2b8e4a10",
        "resourceVersion": "27009817",
        "creationTimestamp": "2026-06-05T21:56:55Z",
        "labels": { "app.kubernetes.io/part-of": "tracing" }
      },
      "data": { "sampling.json": "{\"default_strategy\":{\"type\":\"probabilistic\",\"param\":0.1}}" }
    },
    {
      "metadata": {
        "name": "otel-collector-conf",
        "namespace": "monitoring",
        "uid": "2f64b0d7-41a8-4c3e-8b1f-7e9a05c6d2b3",
        "resourceVersion": "27009001",
        "creationTimestamp": "2026-06-01T08:12:40Z",
        "labels": { "app.kubernetes.io/part-of": "tracing" }
      },
      "data": { "config.yaml": "receivers:\n  otlp: {}\n" }
    }
  ]
}"#;

#[tokio::test]
async fn list_objects_by_selector_sorted_with_types() {
    let (kube, seen) = server(200, CONFIGMAP_LIST);
    let items = kube
        .list_objects(
            "v1",
            "ConfigMap",
            "configmaps",
            "monitoring",
            Some("app.kubernetes.io/part-of=tracing"),
        )
        .await
        .unwrap();
    let names: Vec<&str> = items
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["otel-collector-conf", "sampling-config"]);
    assert_eq!(items[0]["apiVersion"], "v1");
    assert_eq!(items[0]["kind"], "ConfigMap");
    assert_eq!(items[0]["data"]["config.yaml"], "receivers:\n  otlp: {}\n");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/api/v1/namespaces/monitoring/configmaps");
    assert_eq!(
        seen[0].query,
        q(&[("labelSelector", "app.kubernetes.io/part-of=tracing")])
    );
}

#[tokio::test]
async fn list_objects_of_a_custom_resource_without_selector() {
    let (kube, seen) = server(
        200,
        r#"{"apiVersion":"opentelemetry.io/v1beta1","kind":"OpenTelemetryCollectorList","metadata":{"continue":"","resourceVersion":"5112"},"items":[]}"#,
    );
    let items = kube
        .list_objects(
            "opentelemetry.io/v1beta1",
            "OpenTelemetryCollector",
            "opentelemetrycollectors",
            "monitoring",
            None,
        )
        .await
        .unwrap();
    assert!(items.is_empty());
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].path,
        "/apis/opentelemetry.io/v1beta1/namespaces/monitoring/opentelemetrycollectors"
    );
    assert!(seen[0].query.is_empty(), "{:?}", seen[0].query);
}

#[tokio::test]
async fn list_objects_refuses_bad_input_before_sending() {
    let (kube, seen) = server(200, CONFIGMAP_LIST);
    for (ns, plural, sel) in [
        ("Monitoring", "configmaps", None),
        ("monitoring", "configmaps/x", None),
        ("monitoring", "configmaps", Some("")),
        ("monitoring", "configmaps", Some("app=a&watch=true")),
        ("monitoring", "configmaps", Some("app=a#b")),
        ("monitoring", "configmaps", Some("app in ()")),
    ] {
        let e = kube
            .list_objects("v1", "ConfigMap", plural, ns, sel)
            .await
            .unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "Invalid"),
            "{e}"
        );
    }
    assert!(seen.lock().unwrap().is_empty(), "nothing sent");
}

#[test]
fn label_selectors() {
    for ok in [
        "app.kubernetes.io/part-of=tracing",
        "tracing=true",
        "tracing==true",
        "tier!=cache",
        "app=checkout,tier in (web, api)",
        "environment notin (qa)",
        "tracing",
        "!canary",
        "app = checkout , release",
        "app.kubernetes.io/name=",
        "Tier_2.x=A-b",
        "replicas>2",
        "in in (in)",
    ] {
        assert!(valid_label_selector(ok), "{ok:?}");
    }
    for bad in [
        "",
        " ",
        ",",
        "app=checkout,",
        "app=a=b",
        "app=a b",
        "app=a&b=c",
        "app=a;b",
        "app=a\tb",
        "app=%2Fetc",
        "app?x=1",
        "App.Example.com/x=1",
        "/x=1",
        "example.com/=1",
        "-app=1",
        "app=-1",
        "app in (a",
        "app in a",
        "app in ()",
        "app in (a,)",
        "app notin",
        "!app=1",
        "app>x",
        "app=ä",
        &format!("app={}", "a".repeat(64)),
    ] {
        assert!(!valid_label_selector(bad), "{bad:?}");
    }
}

/// Deployment `checkout` after a patch (trimmed; shaped like a live apps/v1 Deployment).
const PATCHED: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"checkout","namespace":"shop","uid":"165ca30d-8dca-44ae-b0ba-6ea26160ac9f","resourceVersion":"1208551","generation":6,"annotations":{"tracectl.io/maintenance":"2026-11-25"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"checkout"}}}}"#;

fn checkout() -> ObjectRef {
    ObjectRef {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        plural: "deployments".into(),
        namespace: Some("shop".into()),
        name: "checkout".into(),
    }
}

#[tokio::test]
async fn patch_kinds_send_their_content_type_and_body() {
    let merge = json!({"metadata": {"annotations": {"tracectl.io/maintenance": "2026-11-25"}}});
    let ops = json!([{"op": "replace", "path": "/spec/replicas", "value": 2}]);
    for (kind, body, content_type) in [
        (
            PatchKind::Strategic,
            &merge,
            "application/strategic-merge-patch+json",
        ),
        (PatchKind::Merge, &merge, "application/merge-patch+json"),
        (PatchKind::Json, &ops, "application/json-patch+json"),
    ] {
        let (kube, seen) = server(200, PATCHED);
        let after = kube.patch_object(&checkout(), kind, body).await.unwrap();
        assert_eq!(after["spec"]["replicas"], 2);
        assert_eq!(after["metadata"]["resourceVersion"], "1208551");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let r = &seen[0];
        assert_eq!(r.method, "PATCH");
        assert_eq!(r.path, "/apis/apps/v1/namespaces/shop/deployments/checkout");
        assert_eq!(r.query, q(&[("fieldManager", "tracectl")]), "no force");
        assert_eq!(r.content_type.as_deref(), Some(content_type), "{kind:?}");
        let sent: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(&sent, body, "{kind:?}");
    }
}

#[tokio::test]
async fn patch_refuses_a_body_of_the_wrong_shape() {
    let (kube, seen) = server(200, PATCHED);
    for (kind, body) in [
        (PatchKind::Merge, json!([{"op": "remove", "path": "/spec"}])),
        (PatchKind::Strategic, json!(null)),
        (PatchKind::Json, json!({"spec": {"replicas": 2}})),
        (
            PatchKind::Json,
            json!([{"op": "frobnicate", "path": "/spec"}]),
        ),
    ] {
        let e = kube
            .patch_object(&checkout(), kind, &body)
            .await
            .unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "Invalid"),
            "{kind:?}: {e}"
        );
    }
    let mut bad = checkout();
    bad.name = "../secrets".into();
    assert!(
        kube.patch_object(&bad, PatchKind::Merge, &json!({}))
            .await
            .is_err()
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing sent");
}

#[tokio::test]
async fn an_answer_that_is_not_the_object_is_an_error() {
    // A proxy's 200 in another shape, and an object of another kind.
    for body in [
        r#"{"status":"error","errorType":"internal"}"#,
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"checkout"}}"#,
    ] {
        let (kube, _) = server(200, body);
        let e = kube.get_object(&checkout()).await.unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Decode { reason } if reason.contains("expected kind Deployment")),
            "{body}: {e:?}"
        );
    }
    let (kube, _) = server(200, PATCHED);
    assert!(kube.get_object(&checkout()).await.unwrap().is_some());
}

#[tokio::test]
async fn patch_of_a_missing_object_is_a_404() {
    let (kube, _) = server(
        404,
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps "checkout" not found","reason":"NotFound","details":{"name":"checkout","group":"apps","kind":"deployments"},"code":404}"#,
    );
    let e = kube
        .patch_object(
            &checkout(),
            PatchKind::Merge,
            &json!({"spec": {"replicas": 2}}),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::Status { code: 404, .. }),
        "{e:?}"
    );
}

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
