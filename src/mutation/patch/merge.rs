//! Merge patches, computed, applied and composed: Helm's merge of values files
//! ([`deep_merge`]), RFC 7386 merge patches ([`merge_apply`], [`merge_diff`], [`merge_compose`])
//! and Kubernetes strategic-merge patches ([`strategic_apply`], [`strategic_compose`] for the
//! lists `maintain scale` meets). Tests: `tests.rs`.

use serde_json::{Map, Value};

use super::json_equal;

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

// Strategic merge is hand-written: no crate applies it without the API server's schemas (each
// list's patchMergeKey); the few built-in lists `maintain scale` meets are listed here.

/// The key a list of a built-in kind merges by in a strategic-merge patch (its
/// `patchMergeKey`), for the lists `maintain scale` meets; `None`: the list is replaced.
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "ports" if items.iter().all(|i| i.get("containerPort").is_some()) => Some("containerPort"),
        "ports" => Some("port"),
        _ => None,
    }
}

/// `doc` after a strategic-merge patch (see the module doc for what is modelled). Keys starting
/// with `$` (directives) are not applied here: [`has_directives`] says when a preview is partial.
pub fn strategic_apply(doc: &Value, patch: &Value) -> Value {
    strategic(doc, patch, false)
}

/// One strategic-merge patch doing what `first` then `second` do (a `null` stays, to delete).
pub fn strategic_compose(first: &Value, second: &Value) -> Value {
    strategic(first, second, true)
}

/// `keep_nulls`: compose two patches (a `null` must stay, to delete from the object) rather than
/// apply one to an object.
fn strategic(doc: &Value, patch: &Value, keep_nulls: bool) -> Value {
    let (Value::Object(d), Value::Object(p)) = (doc, patch) else {
        return if keep_nulls {
            patch.clone()
        } else {
            without_nulls(patch)
        };
    };
    let mut out = d.clone();
    for (k, pv) in p {
        if k.starts_with('$') {
            if keep_nulls {
                out.insert(k.clone(), pv.clone());
            }
            continue;
        }
        if pv.is_null() {
            if keep_nulls {
                out.insert(k.clone(), Value::Null);
            } else {
                out.remove(k);
            }
            continue;
        }
        let merged = match (out.get(k), pv) {
            (Some(Value::Array(da)), Value::Array(pa)) => match merge_key(k, pa) {
                Some(key) => Value::Array(merge_list(da, pa, key, keep_nulls)),
                None if keep_nulls => pv.clone(),
                None => without_nulls(pv),
            },
            (Some(dv), _) => strategic(dv, pv, keep_nulls),
            (None, _) if keep_nulls => pv.clone(),
            (None, _) => without_nulls(pv),
        };
        out.insert(k.clone(), merged);
    }
    Value::Object(out)
}

fn merge_list(doc: &[Value], patch: &[Value], key: &str, keep_nulls: bool) -> Vec<Value> {
    let mut out = doc.to_vec();
    for item in patch {
        let pos = item
            .get(key)
            .and_then(|k| out.iter().position(|d| d.get(key) == Some(k)));
        match pos {
            Some(i) => out[i] = strategic(&out[i], item, keep_nulls),
            None if keep_nulls => out.push(item.clone()),
            None => out.push(without_nulls(item)),
        }
    }
    out
}

/// A value as an object would hold it: no `null` members, no `$` directives.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, v)| !v.is_null() && !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        _ => v.clone(),
    }
}

/// Whether a strategic patch holds directives (`$patch`, `$retainKeys`, `$setElementOrder/...`,
/// `$deleteFromPrimitiveList/...`), which only the API server applies.
pub fn has_directives(patch: &Value) -> bool {
    match patch {
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| k.starts_with('$') || has_directives(v)),
        Value::Array(a) => a.iter().any(has_directives),
        _ => false,
    }
}

/// `doc` after an RFC 7386 merge patch.
pub fn merge_apply(doc: &Value, patch: &Value) -> Value {
    let mut out = doc.clone();
    json_patch::merge(&mut out, patch);
    out
}

// `merge_diff` and `merge_compose` are hand-written: the json-patch crate applies merge patches
// but neither computes one nor composes two (a composed `null` must stay, to delete).

/// The RFC 7386 merge patch that turns `before` into `after` (lists are replaced whole).
pub fn merge_diff(before: &Value, after: &Value) -> Value {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return after.clone();
    };
    let mut p = Map::new();
    for (k, av) in a {
        match b.get(k) {
            Some(bv) if json_equal(bv, av) => {}
            Some(bv) if bv.is_object() && av.is_object() => {
                p.insert(k.clone(), merge_diff(bv, av));
            }
            _ => {
                p.insert(k.clone(), av.clone());
            }
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        p.insert(k.clone(), Value::Null);
    }
    Value::Object(p)
}

/// One merge patch doing what `first` then `second` do.
pub fn merge_compose(first: &Value, second: &Value) -> Value {
    let (Value::Object(f), Value::Object(s)) = (first, second) else {
        return second.clone();
    };
    let mut out = f.clone();
    for (k, sv) in s {
        let v = match (f.get(k), sv) {
            (Some(fv @ Value::Object(_)), Value::Object(_)) => merge_compose(fv, sv),
            _ => sv.clone(),
        };
        out.insert(k.clone(), v);
    }
    Value::Object(out)
}
