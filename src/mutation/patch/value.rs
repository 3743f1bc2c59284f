//! JSON values compared and digested: equality where `1` and `1.0` are the same number (Helm
//! round-trips values through Go's `float64`, YAML keeps what was typed), canonical JSON and its
//! digest (for values in a plan), and a live object without what the server owns (a backup).
//! Tests: `tests.rs`.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

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
