//! Tests of `client.rs` (moved out of it to keep the source under the style's size).

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
async fn rollout_history_reads_deployment_and_its_replicasets_at_once_in_revision_order() {
    let (kube, seen) = mock(vec![
        (
            "/deployments/checkout",
            200,
            include_str!("../testdata/deployment.json"),
        ),
        (
            "/replicasets",
            200,
            include_str!("../testdata/replicasets.json"),
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
    let (kube, seen) = mock(vec![("/pods", 200, include_str!("../testdata/pods.json"))]);
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
        include_str!("../testdata/configmap.json"),
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
        include_str!("../testdata/configmap.json"),
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
            include_str!("../testdata/pods.json"),
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

/// Issue 19: the ReplicaSets are listed by `app=NAME` while the Deployment is read; a
/// Deployment whose selector does not require that label has them listed again by its own.
#[tokio::test]
async fn rollout_history_lists_again_by_a_selector_the_guess_does_not_cover() {
    let deployment = include_str!("../testdata/deployment.json").replace(
        r#""matchLabels": {
                "app": "checkout"
            }"#,
        r#""matchLabels": {
                "app.kubernetes.io/name": "checkout"
            }"#,
    );
    assert!(
        deployment.contains("app.kubernetes.io/name"),
        "fixture changed"
    );
    let deployment: &'static str = deployment.leak();
    let (kube, seen) = mock(vec![
        ("/deployments/checkout", 200, deployment),
        (
            "/replicasets",
            200,
            include_str!("../testdata/replicasets.json"),
        ),
    ]);
    let h = kube.rollout_history("shop", "checkout").await.unwrap();
    let lists: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.1.ends_with("/replicasets"))
        .map(|r| r.2.clone())
        .collect();
    assert_eq!(
        lists,
        vec![
            q(&[("labelSelector", "app=checkout")]),
            q(&[("labelSelector", "app.kubernetes.io/name=checkout")]),
        ]
    );
    assert_eq!(h.revisions.len(), 3);
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
            include_str!("../testdata/deployment.json"),
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
    let (kube, seen) = mock(vec![(
        "/events",
        200,
        include_str!("../testdata/events.json"),
    )]);
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

#[tokio::test]
async fn services_are_listed_across_namespaces_or_in_one_by_their_labels() {
    let (kube, seen) = mock(vec![(
        "/services",
        200,
        include_str!("../testdata/services.json"),
    )]);
    let all = kube
        .services(
            None,
            "app.kubernetes.io/name in (jaeger,opentelemetry-collector)",
        )
        .await
        .unwrap();
    assert_eq!(
        seen.lock().unwrap()[0],
        (
            "GET".into(),
            "/api/v1/services".into(),
            q(&[(
                "labelSelector",
                "app.kubernetes.io/name in (jaeger,opentelemetry-collector)"
            )])
        )
    );
    // By namespace, then name; ports with their names; labels as set.
    let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["jaeger-query", "otel-collector"]);
    assert_eq!(
        all[1].ports,
        vec![
            (Some("otlp".to_string()), 4317),
            (Some("otlp-http".to_string()), 4318),
            (Some("metrics".to_string()), 8888)
        ]
    );
    assert_eq!(all[0].labels["app.kubernetes.io/component"], "query");
    assert_eq!(all[0].namespace, "monitoring");
    kube.services(Some("monitoring"), "").await.unwrap();
    assert_eq!(
        seen.lock().unwrap()[1],
        (
            "GET".into(),
            "/api/v1/namespaces/monitoring/services".into(),
            vec![]
        )
    );
    let err = kube.services(Some("Mon"), "").await.unwrap_err();
    assert!(err.to_string().contains("not a valid namespace"), "{err}");
}
