//! Comparing what a plan wants with what is live, as JSON: pure functions, no I/O.
//!
//! - [`object_diff`]: is a manifest already applied? Every field the manifest sets must be in the
//!   live object with the same value; fields the server added (defaults, `status`, other
//!   managers' fields) are ignored, and of `metadata` only labels and annotations count. This is
//!   what a second server-side apply would change, without sending one: a dry-run apply is a
//!   `PATCH`, and a plan must not write.
//! - [`json_equal`]: equality where `1` and `1.0` are the same number (Helm round-trips values
//!   through Go's `float64`, YAML keeps what was typed).
//! - [`deep_merge`]: Helm's merge of values files (maps merge, anything else replaces).
//! - [`sha256`]: a digest of canonical JSON (keys sorted), for values in a plan.
//! - [`backup_of`]: a live object without the fields the server owns, fit to be put back.
//!
//! Tests: below.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The paths (`data.sampling.json`, `spec.groups[0]`) where `live` does not have what `desired`
/// sets. Empty: applying `desired` would change nothing.
pub fn object_diff(desired: &Value, live: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let (Some(d), Some(l)) = (desired.as_object(), live.as_object()) else {
        if !json_equal(desired, live) {
            out.push(String::from("(object)"));
        }
        return out;
    };
    for (k, dv) in d {
        match k.as_str() {
            "status" | "apiVersion" | "kind" => {}
            "metadata" => {
                for part in ["labels", "annotations"] {
                    if let Some(want) = dv.get(part) {
                        let have = l
                            .get("metadata")
                            .and_then(|m| m.get(part))
                            .unwrap_or(&Value::Null);
                        subset(want, have, &format!("metadata.{part}"), &mut out);
                    }
                }
            }
            _ => subset(dv, l.get(k).unwrap_or(&Value::Null), k, &mut out),
        }
    }
    out
}

fn subset(want: &Value, have: &Value, path: &str, out: &mut Vec<String>) {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => {
            for (k, wv) in w {
                let p = join(path, k);
                match h.get(k) {
                    Some(hv) => subset(wv, hv, &p, out),
                    // An explicit null in a manifest means "unset": absent is as wanted.
                    None if wv.is_null() => {}
                    None => out.push(p),
                }
            }
        }
        (Value::Array(w), Value::Array(h)) if w.len() == h.len() => {
            for (i, (wv, hv)) in w.iter().zip(h).enumerate() {
                subset(wv, hv, &format!("{path}[{i}]"), out);
            }
        }
        // An empty map or list the server dropped (`labels: {}`) is as wanted.
        (Value::Object(w), Value::Null) if w.is_empty() => {}
        (Value::Array(w), Value::Null) if w.is_empty() => {}
        _ if json_equal(want, have) => {}
        _ => out.push(path.to_string()),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Deep equality where numbers compare by value (`1 == 1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_equal(v, w))
        }
        _ => a == b,
    }
}

/// Helm's merge: maps merge key by key, recursively; any other value in `overlay` replaces.
pub fn deep_merge(base: &Value, overlay: &Value) -> Value {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = match out.get(k) {
                    Some(existing) => deep_merge(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, Value::Null) => base.clone(),
        _ => overlay.clone(),
    }
}

/// Keys sorted at every level, whatever map type serde_json was built with.
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        // 1.0 and 1 digest alike, as they compare alike.
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

/// `sha256:` and the hex digest of the canonical JSON; `null` and `{}` digest alike (Helm shows
/// "no user values" as `null`).
pub fn sha256(v: &Value) -> String {
    let v = if v.is_null() {
        &Value::Object(Map::new())
    } else {
        v
    };
    let text = canonical(v).to_string();
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The live object minus what the server owns (`status`, `managedFields`, `resourceVersion`,
/// `uid`, timestamps, `generation`): what a restore puts back.
pub fn backup_of(live: &Value) -> Value {
    let mut v = live.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("status");
        if let Some(m) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in [
                "managedFields",
                "resourceVersion",
                "uid",
                "creationTimestamp",
                "generation",
                "selfLink",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
            ] {
                m.remove(k);
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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
}
