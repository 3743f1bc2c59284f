//! The patch and diff algebra's tests: pure, no I/O.

use serde_json::{Value, json};

use super::*;

#[test]
fn an_applied_manifest_has_no_diff_despite_server_defaults() {
    let want = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "sampling-config", "namespace": "monitoring", "labels": {"app": "tracing"}},
        "data": {"sampling.json": "{\"default\": 0.1}"}
    });
    let live = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "sampling-config", "namespace": "monitoring", "uid": "u",
                     "resourceVersion": "7", "labels": {"app": "tracing", "extra": "x"},
                     "managedFields": [{"manager": "tracectl"}]},
        "data": {"sampling.json": "{\"default\": 0.1}", "other": "kept"}
    });
    assert_eq!(object_diff(&want, &live), Vec::<String>::new());
}

#[test]
fn changed_and_missing_fields_are_named() {
    let want = json!({
        "metadata": {"name": "r", "annotations": {"a": "1"}},
        "spec": {"groups": [{"name": "tracing", "rules": [{"alert": "SpansDropped", "for": "5m"}]}],
                 "replicas": 2, "unset": null}
    });
    let live = json!({
        "metadata": {"name": "r"},
        "spec": {"groups": [{"name": "tracing", "rules": [{"alert": "SpansDropped", "for": "10m"}]}],
                 "replicas": 2.0}
    });
    assert_eq!(
        object_diff(&want, &live),
        ["metadata.annotations", "spec.groups[0].rules[0].for"]
    );
    let live_more_rules =
        json!({"spec": {"groups": [{"name": "tracing", "rules": [{}, {}]}], "replicas": 2}});
    assert_eq!(
        object_diff(&json!({"spec": want["spec"].clone()}), &live_more_rules),
        ["spec.groups[0].rules"]
    );
}

#[test]
fn numbers_compare_by_value() {
    assert!(json_equal(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
    assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    assert!(!json_equal(&json!("1"), &json!(1)));
    assert_eq!(
        sha256(&json!({"b": 1.0, "a": 2})),
        sha256(&json!({"a": 2, "b": 1}))
    );
    assert_eq!(sha256(&Value::Null), sha256(&json!({})));
    assert_ne!(sha256(&json!({"a": 1})), sha256(&json!({"a": 2})));
}

#[test]
fn merge_is_helms() {
    let base = json!({"storage": {"type": "memory", "es": {"host": "a"}}, "list": [1, 2]});
    let over = json!({"storage": {"type": "elasticsearch", "es": {"port": 9200}}, "list": [3]});
    assert_eq!(
        deep_merge(&base, &over),
        json!({"storage": {"type": "elasticsearch", "es": {"host": "a", "port": 9200}}, "list": [3]})
    );
    assert_eq!(deep_merge(&json!({"a": 1}), &Value::Null), json!({"a": 1}));
}

#[test]
fn backups_drop_what_the_server_owns() {
    let live = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "x", "namespace": "m", "uid": "u", "resourceVersion": "1",
                     "creationTimestamp": "t", "managedFields": [], "labels": {"a": "b"}},
        "data": {"k": "v"}, "status": {}
    });
    assert_eq!(
        backup_of(&live),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "x", "namespace": "m", "labels": {"a": "b"}}, "data": {"k": "v"}})
    );
}

#[test]
fn json_patch_is_rfc_6902() {
    let doc = json!({"a": {"b": [1, 2, 3]}, "c~d": 1, "e/f": 2});
    let ops = json!([
        {"op": "add", "path": "/a/b/1", "value": 9},
        {"op": "add", "path": "/a/b/-", "value": 4},
        {"op": "remove", "path": "/a/b/0"},
        {"op": "replace", "path": "/c~0d", "value": 5},
        {"op": "move", "from": "/e~1f", "path": "/g"},
        {"op": "copy", "from": "/g", "path": "/h"},
        {"op": "test", "path": "/h", "value": 2.0},
    ]);
    assert_eq!(
        json_patch_apply(&doc, ops.as_array().unwrap()).unwrap(),
        json!({"a": {"b": [9, 2, 3, 4]}, "c~d": 5, "g": 2, "h": 2})
    );
    let nowhere = "the path leads nowhere";
    for (op, why) in [
        (json!({"op": "remove", "path": "/x"}), nowhere),
        (json!({"op": "replace", "path": "/x", "value": 1}), nowhere),
        (json!({"op": "add", "path": "/a/b/7", "value": 1}), nowhere),
        (json!({"op": "add", "path": "/a/b/01", "value": 1}), nowhere),
        (json!({"op": "test", "path": "/c~0d", "value": 2}), "not 2"),
        (json!({"op": "test", "path": "/x", "value": 2}), "no value"),
        (
            json!({"op": "move", "from": "/a", "path": "/a/x"}),
            "into itself",
        ),
        (
            json!({"op": "copy", "from": "/x", "path": "/y"}),
            "no value at its from",
        ),
        (json!({"op": "frobnicate", "path": "/a"}), "not an RFC 6902"),
        (
            json!({"op": "add", "path": "a", "value": 1}),
            "JSON pointer",
        ),
        (json!({"op": "add", "path": "/a"}), "value"),
    ] {
        let e = json_patch_apply(&doc, std::slice::from_ref(&op)).unwrap_err();
        assert!(e.contains(why) && e.starts_with("operation 1"), "{op}: {e}");
    }
    // The error names the operation by its place in the patch.
    let ops = [
        json!({"op": "add", "path": "/z", "value": 1}),
        json!({"op": "remove", "path": "/x"}),
    ];
    let e = json_patch_apply(&doc, &ops).unwrap_err();
    assert!(e.starts_with("operation 2 (remove /x)"), "{e}");
    let after = json!({"a": {"b": [1, 5]}, "c~d": 1, "n": {"x": 1}});
    let ops = json_diff_ops(&doc, &after);
    assert_eq!(json_patch_apply(&doc, &ops).unwrap(), after);
}

#[test]
fn merge_patches_are_rfc_7386_and_compose() {
    let doc = json!({"a": {"b": 1, "c": 2}, "l": [1, 2], "d": 1});
    let p = json!({"a": {"b": null, "x": {"y": null, "z": 1}}, "l": [3], "d": null});
    assert_eq!(
        merge_apply(&doc, &p),
        json!({"a": {"c": 2, "x": {"z": 1}}, "l": [3]})
    );
    let after = json!({"a": {"b": 1, "c": 3}, "l": [1], "e": true});
    let d = merge_diff(&doc, &after);
    assert_eq!(d, json!({"a": {"c": 3}, "l": [1], "e": true, "d": null}));
    assert_eq!(merge_apply(&doc, &d), after);
    let second = json!({"a": {"c": 4}, "e": null});
    assert_eq!(
        merge_apply(&doc, &merge_compose(&d, &second)),
        merge_apply(&merge_apply(&doc, &d), &second)
    );
}

#[test]
fn strategic_patches_merge_keyed_lists_and_compose() {
    let doc = json!({"spec": {"containers": [
        {"name": "a", "ports": [{"containerPort": 80}], "volumeMounts": [{"mountPath": "/x", "name": "v"}],
         "args": ["--one"]}]}});
    let p = json!({"spec": {"containers": [
        {"name": "a", "ports": [{"containerPort": 81}], "volumeMounts": [{"mountPath": "/x", "readOnly": true}],
         "args": ["--two"]},
        {"name": "b", "image": "i", "x": null}]}});
    assert_eq!(
        strategic_apply(&doc, &p),
        json!({"spec": {"containers": [
            {"name": "a", "ports": [{"containerPort": 80}, {"containerPort": 81}],
             "volumeMounts": [{"mountPath": "/x", "name": "v", "readOnly": true}], "args": ["--two"]},
            {"name": "b", "image": "i"}]}})
    );
    assert!(!has_directives(&p));
    assert!(has_directives(
        &json!({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}})
    ));
    // Two patches composed do what one after the other does, deletions included.
    let first = json!({"spec": {"containers": [{"name": "a", "args": null, "image": "j"}]}});
    let second = json!({"spec": {"containers": [{"name": "a", "image": "k"}], "replicas": 2}});
    let composed = strategic_compose(&first, &second);
    assert_eq!(
        strategic_apply(&doc, &composed),
        strategic_apply(&strategic_apply(&doc, &first), &second)
    );
    assert!(composed["spec"]["containers"][0]["args"].is_null());
}
