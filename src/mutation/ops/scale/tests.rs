//! Tests of `maintain scale`'s pure parts: parsing the flags, the patch they make, combining it
//! with a patch file, the precondition. The patch algebra's own tests are in
//! `crate::mutation::patch`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::flags::same_quantity;
use super::*;
use crate::mutation::patch::{json_patch_apply, merge_apply, strategic_apply};

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "jaeger-collector", "namespace": "monitoring",
                     "resourceVersion": "7", "uid": "u-1"},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [
            {"name": "collector", "image": "jaeger:1",
             "resources": {"limits": {"cpu": "1", "memory": "2Gi"}},
             "env": [{"name": "SPAN_STORAGE_TYPE", "value": "elasticsearch"},
                     {"name": "JAVA_OPTS", "valueFrom": {"configMapKeyRef": {"name": "j", "key": "o"}}}]},
            {"name": "sidecar", "image": "proxy:1"}]}}},
        "status": {"replicas": 1}
    })
}

fn want() -> Want {
    Want::default()
}

#[test]
fn workloads_and_flags_are_validated() {
    assert_eq!(
        parse_workload("Deployment/otel-collector").unwrap(),
        Workload {
            kind: "Deployment",
            name: "otel-collector".into()
        }
    );
    assert_eq!(parse_workload("sts/jaeger").unwrap().kind, "StatefulSet");
    let o = parse_workload("DAEMONSET/agent")
        .unwrap()
        .object("monitoring");
    assert_eq!(
        (o.plural.as_str(), o.api_version.as_str()),
        ("daemonsets", "apps/v1")
    );
    for bad in [
        "",
        "otel-collector",
        "pod/x",
        "deployment/../x",
        "deployment/A",
    ] {
        assert!(parse_workload(bad).is_err(), "{bad}");
    }
    for q in ["2", "500m", "4Gi", "1.5", ".5", "1e3", "512Mi", "1G"] {
        assert!(quantity_value(q).is_some(), "{q}");
    }
    for q in ["", "-1", "2 Gi", "4GB", "1.2.3", "m", "0x10"] {
        assert!(quantity_value(q).is_none(), "{q}");
    }
    assert_eq!(quantity_value("4Gi"), Some(4.0 * 1024.0 * 1024.0 * 1024.0));
    assert!(same_quantity("0.5", "500m"));
    assert!(same_quantity("1", "1000m"));
    assert!(!same_quantity("1", "1Gi"));
    assert_eq!(
        parse_resources("--limits", "cpu=2, memory=4Gi").unwrap(),
        BTreeMap::from([("cpu".into(), "2".into()), ("memory".into(), "4Gi".into())])
    );
    for (bad, why) in [
        ("cpu", "not RESOURCE=QUANTITY"),
        ("cpu=lots", "not a Kubernetes quantity"),
        ("CPU=1", "not a resource name"),
        ("cpu=1,cpu=2", "twice"),
        ("", "names no resource"),
    ] {
        let e = parse_resources("--limits", bad).unwrap_err();
        assert!(e.message.contains(why), "{bad}: {}", e.message);
    }
    assert_eq!(
        parse_env("JAVA_OPTS=-Xmx2g -Xms2g -Dx=y").unwrap(),
        ("JAVA_OPTS".into(), "-Xmx2g -Xms2g -Dx=y".into())
    );
    assert!(parse_env("JAVA_OPTS").is_err());
    assert!(parse_env("1X=a").is_err());
    assert!(parse_env("A B=a").is_err());
    assert_eq!(parse_patch_type(Some("JSON")).unwrap(), PatchKind::Json);
    assert_eq!(parse_patch_type(None).unwrap(), PatchKind::Strategic);
    assert!(parse_patch_type(Some("apply")).is_err());
}

#[test]
fn the_flags_patch_holds_only_what_differs() {
    let live = deployment();
    let w = Want {
        replicas: Some(3),
        limits: BTreeMap::from([
            ("cpu".into(), "1000m".into()),
            ("memory".into(), "4Gi".into()),
        ]),
        requests: BTreeMap::from([("cpu".into(), "500m".into())]),
        env: vec![
            ("SPAN_STORAGE_TYPE".into(), "elasticsearch".into()),
            ("JAVA_OPTS".into(), "-Xmx2g -Xms2g".into()),
            ("NEW".into(), "1".into()),
        ],
        container: None,
    };
    let p = flags_patch(&live, &w).unwrap().unwrap();
    assert_eq!(
        p,
        json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{
            "name": "collector",
            "resources": {"limits": {"memory": "4Gi"}, "requests": {"cpu": "500m"}},
            "env": [{"name": "JAVA_OPTS", "value": "-Xmx2g -Xms2g", "valueFrom": null},
                    {"name": "NEW", "value": "1"}]}]}}}})
    );
    let after = strategic_apply(&live, &p);
    let c = &after["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        c["resources"]["limits"],
        json!({"cpu": "1", "memory": "4Gi"})
    );
    assert_eq!(
        c["env"],
        json!([{"name": "SPAN_STORAGE_TYPE", "value": "elasticsearch"},
               {"name": "JAVA_OPTS", "value": "-Xmx2g -Xms2g"},
               {"name": "NEW", "value": "1"}])
    );
    assert_eq!(
        after["spec"]["template"]["spec"]["containers"][1],
        live["spec"]["template"]["spec"]["containers"][1]
    );
    // Applied, nothing differs any more.
    assert_eq!(flags_patch(&after, &w).unwrap(), None);
    assert_eq!(
        value_diff(&live, &after),
        [
            "spec.replicas: 1 → 3",
            "spec.template.spec.containers[collector].env[JAVA_OPTS].valueFrom: {\"configMapKeyRef\":{\"key\":\"o\",\"name\":\"j\"}} → (none)",
            "spec.template.spec.containers[collector].env[JAVA_OPTS].value: (none) → \"-Xmx2g -Xms2g\"",
            "spec.template.spec.containers[collector].env[NEW].value: (none) → \"1\"",
            "spec.template.spec.containers[collector].resources.limits.memory: \"2Gi\" → \"4Gi\"",
            "spec.template.spec.containers[collector].resources.requests.cpu: (none) → \"500m\"",
        ]
    );
}

#[test]
fn containers_are_chosen_by_name_and_daemonsets_have_no_replicas() {
    let live = deployment();
    let mut w = want();
    w.env = vec![("A".into(), "b".into())];
    w.container = Some("sidecar".into());
    let p = flags_patch(&live, &w).unwrap().unwrap();
    assert_eq!(
        p["spec"]["template"]["spec"]["containers"],
        json!([{"name": "sidecar", "env": [{"name": "A", "value": "b"}]}])
    );
    w.container = Some("nope".into());
    let e = flags_patch(&live, &w).unwrap_err();
    assert!(e.hint.unwrap().contains("collector, sidecar"));
    let mut ds = live.clone();
    ds["kind"] = json!("DaemonSet");
    let e = flags_patch(
        &ds,
        &Want {
            replicas: Some(2),
            ..want()
        },
    )
    .unwrap_err();
    assert!(e.message.contains("no replicas"), "{}", e.message);
    let bare = json!({"kind": "Deployment", "metadata": {"name": "x"}, "spec": {"template": {}}});
    assert!(
        flags_patch(
            &bare,
            &Want {
                env: vec![("A".into(), "b".into())],
                ..want()
            }
        )
        .is_err()
    );
    // Unset replicas are 1.
    assert_eq!(
        flags_patch(
            &bare,
            &Want {
                replicas: Some(1),
                ..want()
            }
        )
        .unwrap(),
        None
    );
}

#[test]
fn flags_and_a_file_make_one_patch() {
    let live = deployment();
    let w = Want {
        replicas: Some(2),
        ..want()
    };
    let flags = flags_patch(&live, &w).unwrap();
    // JSON: the flags' operations first, then the file's, the guide's limits patch.
    let file = json!([{"op": "add", "path": "/spec/template/spec/containers/0/resources/limits",
                       "value": {"cpu": "2", "memory": "4Gi"}}]);
    let (kind, body, after) = combine(
        &live,
        flags.clone(),
        Some((PatchKind::Json, file)),
        "p.json",
    )
    .unwrap()
    .unwrap();
    assert_eq!(kind, PatchKind::Json);
    assert_eq!(
        body[0],
        json!({"op": "replace", "path": "/spec/replicas", "value": 2})
    );
    assert_eq!(
        json_patch_apply(&live, body.as_array().unwrap()).unwrap(),
        after
    );
    assert_eq!(after["spec"]["replicas"], 2);
    assert_eq!(
        after["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"],
        json!({"cpu": "2", "memory": "4Gi"})
    );
    // Merge: the composed patch does both.
    let file = json!({"metadata": {"labels": {"tier": "tracing"}}});
    let (_, body, after) = combine(
        &live,
        flags.clone(),
        Some((PatchKind::Merge, file)),
        "p.yaml",
    )
    .unwrap()
    .unwrap();
    assert_eq!(merge_apply(&live, &body), after);
    assert_eq!(after["spec"]["replicas"], 2);
    // Strategic: one body.
    let file = json!({"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "proxy:2"}]}}}});
    let (_, body, after) = combine(&live, flags, Some((PatchKind::Strategic, file)), "p.yaml")
        .unwrap()
        .unwrap();
    assert_eq!(strategic_apply(&live, &body), after);
    assert_eq!(
        after["spec"]["template"]["spec"]["containers"][1]["image"],
        "proxy:2"
    );
    // A JSON Patch that does not apply is refused at plan time.
    let bad = json!([{"op": "remove", "path": "/spec/nothing"}]);
    let e = combine(&live, None, Some((PatchKind::Json, bad)), "p.json").unwrap_err();
    assert!(e.message.contains("does not apply"), "{}", e.message);
}

#[test]
fn requests_above_limits_are_refused() {
    let mut live = deployment();
    live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] =
        json!({"cpu": "1500m"});
    assert!(check_requests(&live, None).is_err());
    live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] =
        json!({"cpu": "1"});
    assert!(check_requests(&live, None).is_ok());
}

#[test]
fn preconditions_ride_with_the_patch() {
    assert_eq!(
        with_precondition(PatchKind::Strategic, &json!({"spec": {"replicas": 2}}), "7"),
        json!({"spec": {"replicas": 2}, "metadata": {"resourceVersion": "7"}})
    );
    assert_eq!(
        with_precondition(
            PatchKind::Json,
            &json!([{"op": "remove", "path": "/a"}]),
            "7"
        ),
        json!([{"op": "test", "path": "/metadata/resourceVersion", "value": "7"},
               {"op": "remove", "path": "/a"}])
    );
}
