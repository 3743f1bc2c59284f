//! The JSON diff walkers, each a recursive walk of two values that reports paths
//! (`spec.template.spec.containers[otel-collector].env[JAVA_OPTS].value`), joined the same way:
//!
//! - [`object_diff`]: is a manifest already applied? Every field the manifest sets must be in the
//!   live object with the same value; fields the server added (defaults, `status`, other
//!   managers' fields) are ignored, and of `metadata` only labels and annotations count. This is
//!   what a second server-side apply would change, without sending one: a dry-run apply is a
//!   `PATCH`, and a plan must not write.
//! - [`value_diff`]: what a patch changes in an object, one line per value, `before → after`,
//!   list items told apart by their `name` or `mountPath` (`maintain scale`).
//! - [`symmetric_diff`]: where two documents differ at all, both ways (a dashboard against its
//!   backup).
//!
//! The fourth walker, [`super::merge_diff`], computes a patch rather than lines, and sits with
//! the other merge patches (`merge.rs`). Tests: `tests.rs`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{backup_of, json_equal};

/// `path.key`, or `key` at the top.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

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

/// The paths where `a` and `b` differ, keys of either side sorted; `whole` when they differ at the
/// top and are not both maps or both lists of one length.
pub fn symmetric_diff(a: &Value, b: &Value, whole: &str) -> Vec<String> {
    let mut out = Vec::new();
    symmetric(a, b, "", whole, &mut out);
    out
}

fn symmetric(a: &Value, b: &Value, path: &str, whole: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => symmetric(v, w, &join(path, k), whole, out),
                    _ => out.push(join(path, k)),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                symmetric(v, w, &format!("{path}[{i}]"), whole, out);
            }
        }
        _ if json_equal(a, b) => {}
        _ => out.push(if path.is_empty() {
            whole.to_string()
        } else {
            path.to_string()
        }),
    }
}

/// The key a list's items are told apart by in a diff: `name` (containers, env, volumes) or
/// `mountPath`, when every item has one; otherwise items go by index.
fn list_key(b: &[Value], a: &[Value]) -> Option<&'static str> {
    ["name", "mountPath"].into_iter().find(|k| {
        let all = |v: &[Value]| v.iter().all(|i| i.get(*k).is_some_and(Value::is_string));
        !(b.is_empty() && a.is_empty()) && all(b) && all(a)
    })
}

fn show(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "(none)".into();
    };
    let s = v.to_string();
    if s.chars().count() > 100 {
        format!("{}…", s.chars().take(99).collect::<String>())
    } else {
        s
    }
}

/// What differs between two objects, one line per changed value:
/// `spec.replicas: 1 → 3`, `spec.template.spec.containers[c].env[JAVA_OPTS].value: (none) →
/// "-Xmx2g"`. Fields the server owns (status, resourceVersion, managedFields, ...) are left out.
pub fn value_diff(before: &Value, after: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at(
        Some(&backup_of(before)),
        Some(&backup_of(after)),
        "",
        &mut out,
    );
    out
}

fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn diff_at(b: Option<&Value>, a: Option<&Value>, path: &str, out: &mut Vec<String>) {
    let empty = Map::new();
    // A map against a map, or added: member by member; a removed map is shown whole.
    let maps = (b.is_none() || obj(b).is_some()) && obj(a).is_some();
    match (b, a) {
        (None, None) => {}
        (Some(x), Some(y)) if json_equal(x, y) => {}
        _ if maps => {
            let (bm, am) = (obj(b).unwrap_or(&empty), obj(a).unwrap_or(&empty));
            let mut keys: Vec<&String> = bm.keys().collect();
            keys.extend(am.keys().filter(|k| !bm.contains_key(*k)));
            for k in keys {
                diff_at(bm.get(k), am.get(k), &join(path, k), out);
            }
        }
        (Some(Value::Array(ba)), Some(Value::Array(aa))) => match list_key(ba, aa) {
            Some(key) => {
                let id = |v: &Value| v[key].as_str().unwrap_or("").to_string();
                let mut ids: Vec<String> = ba.iter().map(id).collect();
                ids.extend(
                    aa.iter()
                        .map(id)
                        .filter(|i| !ba.iter().any(|b| id(b) == *i)),
                );
                for i in ids {
                    let find = |l: &[Value]| l.iter().find(|v| id(v) == i).cloned();
                    let p = format!("{path}[{i}]");
                    match (find(ba), find(aa)) {
                        (Some(x), Some(y)) => diff_at(Some(&x), Some(&y), &p, out),
                        // Added: its members but the key, which the path shows.
                        (None, Some(mut y)) => {
                            if let Some(m) = y.as_object_mut() {
                                m.remove(key);
                            }
                            if y.as_object().is_some_and(Map::is_empty) {
                                out.push(format!("{p}: added"));
                            } else {
                                diff_at(None, Some(&y), &p, out);
                            }
                        }
                        (Some(_), None) => out.push(format!("{p}: removed")),
                        (None, None) => {}
                    }
                }
            }
            None if ba.len() == aa.len() => {
                for (i, (x, y)) in ba.iter().zip(aa).enumerate() {
                    diff_at(Some(x), Some(y), &format!("{path}[{i}]"), out);
                }
            }
            None => out.push(format!("{path}: {} → {}", show(b), show(a))),
        },
        _ => out.push(format!("{path}: {} → {}", show(b), show(a))),
    }
}
