//! The index template of `maintain storage --template FILE`: read from the file, compared with
//! the live one in the form Elasticsearch stores it (settings flattened under `index.`, values as
//! strings, empty maps dropped), planned as a create or a replace with its undo. Tests: `tests.rs`.

use super::STEP;
use crate::backends::elasticsearch::{ElasticsearchClient, IndexTemplate};
use crate::error::UsageError;
use crate::mutation::patch::{object_diff, sha256};
use crate::mutation::{Change, Inverse, Observed, Operation, PlannedAction};
use crate::transport::BackendError;
use anyhow::Result;
use serde_json::{Map, Value};
use std::path::Path;

pub(super) fn read_template(path: &Path) -> Result<Value, UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UsageError::with_hint(
            format!("--template {}: cannot read: {e}", path.display()),
            "pass the index template as a JSON file",
        )
    })?;
    let body: Value = serde_json::from_str(&text).map_err(|e| {
        UsageError::with_hint(
            format!("--template {}: not JSON: {e}", path.display()),
            "the file holds the body of PUT _index_template/NAME (or _template/NAME with --legacy-template)",
        )
    })?;
    if !body.is_object() || body.get("index_patterns").is_none() {
        return Err(UsageError::with_hint(
            format!(
                "--template {}: not an index template (no index_patterns)",
                path.display()
            ),
            "the file holds the body of PUT _index_template/NAME, e.g. {\"index_patterns\": [\"jaeger-span-*\"], \"template\": {...}}",
        ));
    }
    Ok(body)
}

pub(super) async fn get_template(
    es: &ElasticsearchClient,
    name: &str,
    legacy: bool,
) -> Result<Option<IndexTemplate>, BackendError> {
    if legacy {
        es.get_legacy_template(name).await
    } else {
        es.get_index_template(name).await
    }
}

pub(super) fn template_kind(legacy: bool) -> &'static str {
    if legacy {
        "legacy template"
    } else {
        "index template"
    }
}

pub(super) fn template_action(
    name: &str,
    legacy: bool,
    file: &Path,
    body: Value,
    live: Option<IndexTemplate>,
    step: u8,
) -> PlannedAction {
    let kind = template_kind(legacy);
    let (change, summary, diff, observed, inverse, backup) = match live {
        None => (
            Change::Create,
            format!("create {kind} {name} from {}", file.display()),
            vec![],
            Observed::Absent,
            Some(Inverse::DeleteIndexTemplate {
                name: name.into(),
                legacy,
            }),
            None,
        ),
        Some(live) => {
            let diff = template_diff(&body, &live.body, legacy);
            let observed = Observed::Present {
                resource_version: template_version(&live.body, legacy),
                uid: None,
            };
            if diff.is_empty() {
                (
                    Change::Unchanged,
                    format!("{kind} {name} is as {} has it", file.display()),
                    vec![],
                    observed,
                    None,
                    None,
                )
            } else {
                (
                    Change::Update,
                    format!("replace {kind} {name} with {}", file.display()),
                    diff,
                    observed,
                    Some(Inverse::RestoreIndexTemplate {
                        name: name.into(),
                        legacy,
                    }),
                    Some(live.body),
                )
            }
        }
    };
    PlannedAction {
        id: format!(
            "{}/{name}",
            if legacy {
                "legacy-template"
            } else {
                "index-template"
            }
        ),
        step,
        step_id: STEP.into(),
        change,
        summary,
        diff,
        operation: Operation::PutIndexTemplate {
            name: name.into(),
            legacy,
            source: file.to_path_buf(),
            body,
        },
        observed,
        inverse,
        backup,
    }
}

/// A template as Elasticsearch stores it, so that the file and the live template compare alike
/// when a PUT of the file would change nothing: settings come back nested under `index` with
/// every value a string (`number_of_shards: 1` → `index.number_of_shards: "1"`), and defaults
/// come back (`aliases: {}`, legacy `order: 0`).
pub(super) fn normalize_template(body: &Value, legacy: bool) -> Value {
    let mut v = body.clone();
    let settings = if legacy {
        v.get_mut("settings")
    } else {
        v.get_mut("template").and_then(|t| t.get_mut("settings"))
    };
    if let Some(s) = settings {
        let mut flat = Map::new();
        flatten_settings("", s, &mut flat);
        *s = Value::Object(flat);
    }
    drop_empty(&mut v);
    if let Some(m) = v.as_object_mut()
        && legacy
        && m.get("order").and_then(Value::as_i64) == Some(0)
    {
        m.remove("order");
    }
    v
}

pub(super) fn flatten_settings(path: &str, v: &Value, out: &mut Map<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten_settings(&p, x, out);
            }
        }
        _ => {
            let key = if path.starts_with("index.") {
                path.to_string()
            } else {
                format!("index.{path}")
            };
            out.insert(key, stringify(v));
        }
    }
}

pub(super) fn stringify(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(a) => Value::Array(a.iter().map(stringify).collect()),
        other => other.clone(),
    }
}

/// Empty objects and arrays are what Elasticsearch reports for "none".
pub(super) fn drop_empty(v: &mut Value) {
    if let Value::Object(m) = v {
        for x in m.values_mut() {
            drop_empty(x);
        }
        m.retain(|_, x| match x {
            Value::Object(o) => !o.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        });
    }
}

/// What a PUT of `wanted` would change in `live`: `~ path` for what differs or is added,
/// `- path` for what it removes. Empty: unchanged.
pub(super) fn template_diff(wanted: &Value, live: &Value, legacy: bool) -> Vec<String> {
    let (w, l) = (
        normalize_template(wanted, legacy),
        normalize_template(live, legacy),
    );
    let mut out = object_diff(&w, &l);
    for p in object_diff(&l, &w) {
        if !out.contains(&p) {
            out.push(format!("{p} (removed)"));
        }
    }
    out
}

/// A template's version for `observed`: the digest of how it is stored.
pub(super) fn template_version(body: &Value, legacy: bool) -> String {
    sha256(&normalize_template(body, legacy))
}
