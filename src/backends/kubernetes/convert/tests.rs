//! Tests of `convert.rs` and `workload.rs`: which bodies count as the object or list asked for,
//! and each conversion on the fixtures in `testdata/`.

use super::*;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap()
}

#[test]
fn an_object_must_say_it_is_one() {
    let cm: ConfigMap =
        object(serde_json::from_str(include_str!("../testdata/configmap.json")).unwrap()).unwrap();
    assert_eq!(cm.metadata.name.as_deref(), Some("checkout-config"));
    for (body, reason) in [
        (
            r#"{"status":"error","errorType":"execution","error":"too many samples"}"#,
            r#"expected kind ConfigMap (v1), got a JSON object without "kind""#,
        ),
        (
            include_str!("../testdata/deployment.json"),
            r#"expected kind ConfigMap (v1), got kind "Deployment""#,
        ),
        (
            r#"{"kind":"ConfigMap","apiVersion":"v2","data":{}}"#,
            r#"expected kind ConfigMap (v1), got apiVersion "v2""#,
        ),
        (
            r#"{"kind":"ConfigMap","data":{}}"#,
            r#"expected kind ConfigMap (v1), got no "apiVersion""#,
        ),
        (
            r#"{"status":42,"kind":7,"apiVersion":false,"items":"none"}"#,
            r#"expected kind ConfigMap (v1), got a "kind" of 7"#,
        ),
        ("[1,2]", "expected kind ConfigMap (v1), got a JSON array"),
        (
            r#"{"kind":{"a":1},"apiVersion":"v1"}"#,
            r#"expected kind ConfigMap (v1), got a "kind" of an object"#,
        ),
        (
            r#""<html>Sign in to continue to the cluster dashboard, then retry</html>""#,
            r#"expected kind ConfigMap (v1), got the JSON value "<html>Sign in to continue to the cluster"..."#,
        ),
        (
            "null",
            "expected kind ConfigMap (v1), got the JSON value null",
        ),
    ] {
        let err = object::<ConfigMap>(serde_json::from_str(body).unwrap()).unwrap_err();
        assert_eq!(err, reason, "{body}");
    }
    let err = object::<ConfigMap>(
        serde_json::from_str(r#"{"kind":"ConfigMap","apiVersion":"v1","data":[1]}"#).unwrap(),
    )
    .unwrap_err();
    assert!(err.starts_with("not a valid ConfigMap: "), "{err}");
}

#[test]
fn a_list_must_say_it_is_one_and_hold_items() {
    let pods: kube::core::ObjectList<Pod> =
        list(serde_json::from_str(include_str!("../testdata/pods.json")).unwrap()).unwrap();
    assert_eq!(pods.items.len(), 2);
    let generic: kube::core::ObjectList<Pod> =
        list(serde_json::json!({"apiVersion": "v1", "kind": "List", "items": null})).unwrap();
    assert!(generic.items.is_empty());
    for (body, reason) in [
        (
            r#"{"status":"error","errorType":"execution","error":"too many samples"}"#,
            r#"expected kind PodList, got a JSON object without "kind""#,
        ),
        (
            r#"{"items":[]}"#,
            r#"expected kind PodList, got a JSON object without "kind""#,
        ),
        (
            include_str!("../testdata/configmap.json"),
            r#"expected kind PodList, got kind "ConfigMap""#,
        ),
        (
            r#"{"kind":"PodList","apiVersion":"v1"}"#,
            r#"expected kind PodList, got one without "items""#,
        ),
        (
            r#"{"status":42,"kind":"PodList","apiVersion":false,"items":"none"}"#,
            r#"expected kind PodList, got "items" of "none""#,
        ),
    ] {
        let err = list::<Pod>(serde_json::from_str(body).unwrap()).unwrap_err();
        assert_eq!(err, reason, "{body}");
    }
    let err = list::<Pod>(serde_json::json!({"kind": "PodList", "items": [7]})).unwrap_err();
    assert!(err.starts_with("not a valid PodList: "), "{err}");
}

#[test]
fn selector_covers_labels_and_expressions() {
    let sel = LabelSelector {
        match_labels: Some([("app".to_string(), "checkout".to_string())].into()),
        match_expressions: Some(vec![
            LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: Some(vec!["web".into(), "api".into()]),
            },
            LabelSelectorRequirement {
                key: "canary".into(),
                operator: "DoesNotExist".into(),
                values: None,
            },
        ]),
    };
    assert_eq!(
        selector_string(&sel),
        "app=checkout,tier in (web,api),!canary"
    );
}

#[test]
fn deployment_fields() {
    let d: Deployment = parse(include_str!("../testdata/deployment.json"));
    let info = deployment(&d, "shop");
    assert_eq!(info.current_revision, Some(3));
    assert_eq!(
        (info.replicas, info.ready_replicas, info.updated_replicas),
        (3, 2, 3)
    );
    assert_eq!(info.selector, "app=checkout");
    assert_eq!(info.containers[0].image, "registry.example/checkout:1.4.2");
    assert_eq!(info.containers[0].resources.limits["memory"], "256Mi");
    assert_eq!(info.containers[0].resources.requests["cpu"], "100m");
}

#[test]
fn config_map_last_change_is_latest_managed_field() {
    let cm: ConfigMap = parse(include_str!("../testdata/configmap.json"));
    let info = config_map(&cm, "shop");
    assert_eq!(info.data_keys, ["FEATURE_FLAGS", "POOL_SIZE"]);
    assert_eq!(info.resource_version.as_deref(), Some("27009817"));
    assert_eq!(
        info.last_changed,
        Some("2026-11-25T09:41:07Z".parse().unwrap())
    );
    let mut bare = cm.clone();
    bare.metadata.managed_fields = None;
    assert_eq!(config_map(&bare, "shop").last_changed, info.created);
}

#[test]
fn new_style_events_fall_back_to_event_time_and_series() {
    let e: Event = parse(
        r#"{"apiVersion":"v1","kind":"Event","count":null,"eventTime":"2026-11-25T09:50:00.123456Z",
                "firstTimestamp":null,"lastTimestamp":null,
                "involvedObject":{"kind":"Pod","name":"checkout-7d9f8b6c5d-x2x7q","namespace":"shop"},
                "metadata":{"name":"checkout-7d9f8b6c5d-x2x7q.1","namespace":"shop"},
                "reason":"Evicted","message":"The node was low on resource: memory.","type":"Warning",
                "series":{"count":4,"lastObservedTime":"2026-11-25T09:58:00.000000Z"}}"#,
    );
    let info = event(&e);
    assert_eq!(info.count, 4);
    assert_eq!(
        info.first_seen,
        Some("2026-11-25T09:50:00.123456Z".parse().unwrap())
    );
    assert_eq!(
        info.last_seen,
        Some("2026-11-25T09:58:00Z".parse().unwrap())
    );
}
