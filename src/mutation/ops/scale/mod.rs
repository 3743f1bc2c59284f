//! `tracectl maintain scale`: replicas, resource limits and requests, and environment variables
//! of one Collector or Jaeger workload (guide section 3.2.2, "Performance Tuning": `kubectl
//! scale`, `kubectl patch --type=json` of `resources.limits`, the `JAVA_OPTS` env patch), and a
//! patch file of the user's, as ONE `PATCH` of the live object, shown as a diff first.
//!
//! Planning reads the workload (`--workload KIND/NAME`, in the run's namespace) and builds a
//! strategic-merge patch from the flags ([`flags_patch`]: replicas; the container's limits,
//! requests and env entries, the container chosen by `--container` or the first; env entries
//! merged by name) that holds only what differs, quantities compared by value (`0.5` is `500m`).
//! A `--patch FILE` (`--patch-type strategic|merge|json`) joins it in the same action: two
//! strategic patches are merged into one, the flags become JSON Patch operations ahead of the
//! file's, or a merge patch ahead of the file's. One action per object because the rollback
//! restores the object from the journal's backup only while it is still at the resourceVersion
//! the action left: a second patch of the same object would make the first one's undo refuse.
//!
//! The object after the patch is computed here, without a request (a plan must not write):
//! [`strategic_apply`] (maps merge, `null` deletes, the lists of built-in kinds that merge by a
//! key merge by it: containers, env, volumes by `name`, volumeMounts by `mountPath`, ports by
//! `containerPort`; other lists replace; `$patch` directives are left to the server and said so),
//! [`merge_apply`] (RFC 7386) and [`json_patch_apply`] (RFC 6902, every operation; one that does
//! not apply is a usage error, before anything changes), both by the `json-patch` crate.
//! [`value_diff`] shows what changes, `spec.template.spec.containers[otel-collector].resources.
//! limits.cpu: (none) → "2"`; nothing changes: the action is unchanged, so a second run plans
//! nothing.
//!
//! The action observes the object's resourceVersion and its inverse restores the live object as
//! it was (the journal's backup, put back by `deploy`'s executor with a replace). [`apply`]
//! checks the resourceVersion again and sends it with the patch as a precondition (a `test`
//! operation for a JSON Patch), so a change made in between fails the action instead of being
//! overwritten. Not here: waiting for the pods (`maintain validate` after it in a window).
//! Tests: below (the pure parts); `tests/it/maintain/scale.rs` end to end against the stateful
//! fixture API server.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Context, Result};
use regex::Regex;
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::backends::kubernetes::{ObjectRef, PatchKind, valid_name};
use crate::cli::ScaleArgs;
use crate::error::UsageError;
use crate::mutation::diff::{backup_of, json_equal};
use crate::mutation::exec::Exec;
use crate::mutation::runner::ActionError;
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, Plan, PlannedAction};

pub const STEP_ID: &str = "scale";

/// A workload `--workload` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// `Deployment`, `StatefulSet`, `DaemonSet`.
    pub kind: &'static str,
    pub name: String,
}

impl Workload {
    pub fn object(&self, namespace: &str) -> ObjectRef {
        ObjectRef {
            api_version: "apps/v1".into(),
            kind: self.kind.into(),
            plural: format!("{}s", self.kind.to_ascii_lowercase()),
            namespace: Some(namespace.into()),
            name: self.name.clone(),
        }
    }
}

/// `deployment/otel-collector` (kind case-insensitive; `kubectl`'s plurals and short names too).
pub fn parse_workload(s: &str) -> Result<Workload, UsageError> {
    let hint = "--workload KIND/NAME, KIND deployment, statefulset or daemonset: deployment/otel-collector";
    let Some((kind, name)) = s.split_once('/') else {
        return Err(UsageError::with_hint(
            if s.is_empty() {
                "maintain scale needs the workload to change".to_string()
            } else {
                format!("{s:?} is not KIND/NAME")
            },
            hint,
        ));
    };
    let kind = match kind.to_ascii_lowercase().as_str() {
        "deployment" | "deployments" | "deploy" => "Deployment",
        "statefulset" | "statefulsets" | "sts" => "StatefulSet",
        "daemonset" | "daemonsets" | "ds" => "DaemonSet",
        _ => {
            return Err(UsageError::with_hint(
                format!("{kind:?} is not a workload kind maintain scale changes"),
                hint,
            ));
        }
    };
    if !valid_name(name) {
        return Err(UsageError::with_hint(
            format!("{name:?} is not a valid {kind} name (lowercase letters, digits, '-' and '.')"),
            hint,
        ));
    }
    Ok(Workload {
        kind,
        name: name.to_string(),
    })
}

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)?$",
    )
    .expect("quantity regex")
});

/// The value of a Kubernetes quantity (`2`, `500m`, `4Gi`, `1e3`), `None` when it is not one.
/// Negative quantities are refused: no resource limit or request is negative.
pub fn quantity_value(q: &str) -> Option<f64> {
    let c = QUANTITY.captures(q)?;
    let number: f64 = c[1].parse().ok()?;
    let scale = match c.get(2).map(|m| m.as_str()) {
        None => 1.0,
        Some(s) => match s {
            "Ki" => 1024f64,
            "Mi" => 1024f64.powi(2),
            "Gi" => 1024f64.powi(3),
            "Ti" => 1024f64.powi(4),
            "Pi" => 1024f64.powi(5),
            "Ei" => 1024f64.powi(6),
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            e => 10f64.powi(e[1..].parse::<i32>().ok()?),
        },
    };
    Some(number * scale)
}

fn same_quantity(a: &str, b: &str) -> bool {
    match (quantity_value(a), quantity_value(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()) * 4.0,
        _ => a == b,
    }
}

/// `cpu=2,memory=4Gi`: resource names and quantities, validated.
pub fn parse_resources(flag: &str, s: &str) -> Result<BTreeMap<String, String>, UsageError> {
    let mut out = BTreeMap::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, q)) = part.split_once('=') else {
            return Err(UsageError::with_hint(
                format!("{flag}: {part:?} is not RESOURCE=QUANTITY"),
                format!("e.g. {flag} cpu=2,memory=4Gi"),
            ));
        };
        let (name, q) = (name.trim(), q.trim());
        let name_ok = !name.is_empty()
            && name.len() <= 253
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._/".contains(&b))
            && name
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
            && name
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_alphanumeric());
        if !name_ok {
            return Err(UsageError::with_hint(
                format!("{flag}: {name:?} is not a resource name"),
                "cpu, memory, ephemeral-storage, or an extended resource such as nvidia.com/gpu",
            ));
        }
        if quantity_value(q).is_none() {
            return Err(UsageError::with_hint(
                format!("{flag}: {name}={q:?}: {q:?} is not a Kubernetes quantity"),
                "a number with an optional suffix: 2, 500m, 1.5, 4Gi, 512Mi, 1G",
            ));
        }
        if out.insert(name.to_string(), q.to_string()).is_some() {
            return Err(UsageError::new(format!("{flag}: {name} is given twice")));
        }
    }
    if out.is_empty() {
        return Err(UsageError::with_hint(
            format!("{flag} names no resource"),
            format!("e.g. {flag} cpu=2,memory=4Gi"),
        ));
    }
    Ok(out)
}

/// `NAME=VALUE` (the value may hold `=` and spaces: `JAVA_OPTS=-Xmx2g -Xms2g`).
pub fn parse_env(s: &str) -> Result<(String, String), UsageError> {
    let hint = "--env NAME=VALUE, e.g. --env JAVA_OPTS='-Xmx2g -Xms2g'";
    let Some((name, value)) = s.split_once('=') else {
        return Err(UsageError::with_hint(
            format!("--env {s:?} is not NAME=VALUE"),
            hint,
        ));
    };
    let ok = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if !ok {
        return Err(UsageError::with_hint(
            format!("--env: {name:?} is not an environment variable name"),
            hint,
        ));
    }
    Ok((name.to_string(), value.to_string()))
}

/// `--patch-type`: `strategic` (the default), `merge` or `json`.
pub fn parse_patch_type(s: Option<&str>) -> Result<PatchKind, UsageError> {
    match s.map(str::to_ascii_lowercase).as_deref() {
        None | Some("strategic") => Ok(PatchKind::Strategic),
        Some("merge") => Ok(PatchKind::Merge),
        Some("json") => Ok(PatchKind::Json),
        Some(other) => Err(UsageError::with_hint(
            format!("--patch-type {other:?} is not a patch type"),
            "strategic (kubectl patch's default), merge (RFC 7386) or json (RFC 6902)",
        )),
    }
}

pub fn patch_type_name(k: PatchKind) -> &'static str {
    match k {
        PatchKind::Strategic => "strategic",
        PatchKind::Merge => "merge",
        PatchKind::Json => "json",
    }
}

/// What the flags ask for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Want {
    pub replicas: Option<u32>,
    pub limits: BTreeMap<String, String>,
    pub requests: BTreeMap<String, String>,
    pub env: Vec<(String, String)>,
    pub container: Option<String>,
}

impl Want {
    pub fn from_args(a: &ScaleArgs) -> Result<Want, UsageError> {
        let mut env: Vec<(String, String)> = Vec::new();
        for e in &a.env {
            let (n, v) = parse_env(e)?;
            if env.iter().any(|(m, _)| *m == n) {
                return Err(UsageError::new(format!("--env {n} is given twice")));
            }
            env.push((n, v));
        }
        if let Some(c) = &a.container
            && !crate::backends::kubernetes::valid_label(c)
        {
            return Err(UsageError::new(format!(
                "--container {c:?} is not a valid container name"
            )));
        }
        Ok(Want {
            replicas: a.replicas,
            limits: a
                .limits
                .as_deref()
                .map(|s| parse_resources("--limits", s))
                .transpose()?
                .unwrap_or_default(),
            requests: a
                .requests
                .as_deref()
                .map(|s| parse_resources("--requests", s))
                .transpose()?
                .unwrap_or_default(),
            env,
            container: a.container.clone(),
        })
    }

    fn touches_container(&self) -> bool {
        !(self.limits.is_empty() && self.requests.is_empty() && self.env.is_empty())
    }

    fn is_empty(&self) -> bool {
        self.replicas.is_none() && !self.touches_container()
    }

    /// `replicas 3, limits cpu=2,memory=4Gi, env JAVA_OPTS`, for the summary.
    fn describe(&self) -> Vec<String> {
        let res = |m: &BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut out = Vec::new();
        if let Some(r) = self.replicas {
            out.push(format!("replicas {r}"));
        }
        if !self.limits.is_empty() {
            out.push(format!("limits {}", res(&self.limits)));
        }
        if !self.requests.is_empty() {
            out.push(format!("requests {}", res(&self.requests)));
        }
        if !self.env.is_empty() {
            let names: Vec<&str> = self.env.iter().map(|(n, _)| n.as_str()).collect();
            out.push(format!("env {}", names.join(",")));
        }
        out
    }
}

/// The strategic-merge patch that makes `live` as `want` asks, holding only what differs; `None`
/// when nothing does. Errors: replicas of a DaemonSet, no such container.
pub fn flags_patch(live: &Value, want: &Want) -> Result<Option<Value>, UsageError> {
    let kind = live["kind"].as_str().unwrap_or("");
    let name = live["metadata"]["name"].as_str().unwrap_or("");
    let mut patch = json!({});
    if let Some(n) = want.replicas {
        if kind == "DaemonSet" {
            return Err(UsageError::with_hint(
                format!("DaemonSet {name} has no replicas: it runs one pod per node"),
                "leave out --replicas; a DaemonSet follows its node selector and tolerations",
            ));
        }
        // The API server defaults an unset `replicas` to 1.
        let live_n = live["spec"]["replicas"].as_u64().unwrap_or(1);
        if live_n != u64::from(n) {
            patch["spec"]["replicas"] = json!(n);
        }
    }
    if want.touches_container() {
        let containers = live["spec"]["template"]["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let names: Vec<&str> = containers
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        let c = match &want.container {
            Some(wanted) => containers
                .iter()
                .find(|c| c["name"].as_str() == Some(wanted.as_str()))
                .ok_or_else(|| {
                    UsageError::with_hint(
                        format!("{kind} {name} has no container {wanted:?}"),
                        format!("its containers: {}", names.join(", ")),
                    )
                })?,
            None => containers.first().ok_or_else(|| {
                UsageError::new(format!(
                    "{kind} {name} has no containers in its pod template"
                ))
            })?,
        };
        let cname = c["name"].as_str().unwrap_or("");
        let mut cp = Map::new();
        for (section, wanted) in [("limits", &want.limits), ("requests", &want.requests)] {
            let mut sp = Map::new();
            for (r, q) in wanted {
                match c["resources"][section][r].as_str() {
                    Some(have) if same_quantity(have, q) => {}
                    _ => {
                        sp.insert(r.clone(), json!(q));
                    }
                }
            }
            if !sp.is_empty() {
                cp.entry("resources")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .expect("an object")
                    .insert(section.into(), Value::Object(sp));
            }
        }
        let live_env = c["env"].as_array().cloned().unwrap_or_default();
        let mut env = Vec::new();
        for (n, v) in &want.env {
            let have = live_env.iter().find(|e| e["name"].as_str() == Some(n));
            match have {
                Some(e) if e["value"].as_str() == Some(v) && e.get("valueFrom").is_none() => {}
                // A `valueFrom` beside a `value` is refused by the API server: unset it.
                Some(e) if e.get("valueFrom").is_some() => {
                    env.push(json!({"name": n, "value": v, "valueFrom": null}))
                }
                _ => env.push(json!({"name": n, "value": v})),
            }
        }
        if !env.is_empty() {
            cp.insert("env".into(), Value::Array(env));
        }
        if !cp.is_empty() {
            cp.insert("name".into(), json!(cname));
            patch["spec"]["template"]["spec"]["containers"] = json!([Value::Object(cp)]);
        }
    }
    Ok((patch != json!({})).then_some(patch))
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

/// `doc` after an RFC 6902 JSON Patch; the error names the operation that does not apply.
/// Operations go to the json-patch crate one at a time, but for `test`, checked here: RFC 6902
/// compares numbers by value (`2` is `2.0`), the crate does not.
pub fn json_patch_apply(doc: &Value, ops: &[Value]) -> Result<Value, String> {
    use json_patch::{PatchErrorKind, PatchOperation};
    let mut d = doc.clone();
    for (i, op) in ops.iter().enumerate() {
        let name = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().unwrap_or("");
        let fail = |e: String| format!("operation {} ({name} {path}): {e}", i + 1);
        let parsed: PatchOperation = serde_json::from_value(op.clone()).map_err(|e| {
            fail(format!(
                "not an RFC 6902 operation with a JSON pointer path: {e}"
            ))
        })?;
        if let PatchOperation::Test(t) = &parsed {
            match d.pointer(t.path.as_str()) {
                Some(have) if json_equal(have, &t.value) => continue,
                Some(have) => return Err(fail(format!("the value is {have}, not {}", t.value))),
                None => return Err(fail("there is no value there".into())),
            }
        }
        json_patch::patch(&mut d, std::slice::from_ref(&parsed)).map_err(|e| {
            fail(match e.kind {
                PatchErrorKind::InvalidPointer => "the path leads nowhere: no such member, or an \
                     array index that is malformed or out of bounds"
                    .into(),
                PatchErrorKind::InvalidFromPointer => "there is no value at its from".into(),
                PatchErrorKind::CannotMoveInsideItself => {
                    "a value cannot be moved into itself".into()
                }
                other => other.to_string(),
            })
        })?;
    }
    Ok(d)
}

/// The JSON Patch operations that turn `before` into `after`.
pub fn json_diff_ops(before: &Value, after: &Value) -> Vec<Value> {
    json_patch::diff(before, after)
        .0
        .iter()
        .map(|op| serde_json::to_value(op).expect("a JSON Patch operation serializes"))
        .collect()
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

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
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

/// A patch file: JSON or YAML; an object for strategic and merge, a list of operations for json.
pub fn read_patch(path: &Path, kind: PatchKind) -> Result<Value, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError::new(format!("--patch {}: cannot read: {e}", path.display())))?;
    let v: Value = serde_norway::from_str(&text).map_err(|e| {
        UsageError::new(format!("--patch {}: not JSON or YAML: {e}", path.display()))
    })?;
    match kind {
        PatchKind::Strategic | PatchKind::Merge if !v.is_object() => Err(UsageError::with_hint(
            format!(
                "--patch {}: a {} patch is an object of the fields to change",
                path.display(),
                patch_type_name(kind)
            ),
            "a list of operations is --patch-type json",
        )),
        PatchKind::Json => {
            let ok = v.as_array().is_some_and(|ops| {
                ops.iter()
                    .all(|o| o["op"].is_string() && o["path"].is_string())
            });
            if ok {
                Ok(v)
            } else {
                Err(UsageError::with_hint(
                    format!(
                        "--patch {}: a JSON Patch is a list of operations with op and path",
                        path.display()
                    ),
                    r#"e.g. [{"op": "add", "path": "/spec/template/spec/containers/0/resources/limits", "value": {"cpu": "2"}}]"#,
                ))
            }
        }
        _ => Ok(v),
    }
}

/// One patch (its type and body) doing what the flags' patch and then the file's do, and the
/// object after it. `None` for the flags: none given or nothing differs.
pub fn combine(
    live: &Value,
    flags: Option<Value>,
    file: Option<(PatchKind, Value)>,
    source: &str,
) -> Result<Option<(PatchKind, Value, Value)>, UsageError> {
    let after_flags = flags.as_ref().map(|p| strategic_apply(live, p));
    let not_applying = |e: String| {
        UsageError::with_hint(
            format!("--patch {source} does not apply to the live object: {e}"),
            "fix the patch against the object as `kubectl get -o json` shows it",
        )
    };
    Ok(match (flags, file) {
        (None, None) => None,
        (Some(p), None) => {
            let after = after_flags.expect("with flags");
            Some((PatchKind::Strategic, p, after))
        }
        (flags, Some((kind, fp))) => {
            let base = after_flags.clone().unwrap_or_else(|| live.clone());
            match kind {
                PatchKind::Strategic => {
                    let after = strategic_apply(&base, &fp);
                    let body = match &flags {
                        Some(p) => strategic(p, &fp, true),
                        None => fp,
                    };
                    Some((kind, body, after))
                }
                PatchKind::Merge => {
                    let after = merge_apply(&base, &fp);
                    let body = match &after_flags {
                        Some(af) => merge_compose(&merge_diff(live, af), &fp),
                        None => fp,
                    };
                    Some((kind, body, after))
                }
                PatchKind::Json => {
                    let ops = fp.as_array().cloned().unwrap_or_default();
                    let after = json_patch_apply(&base, &ops).map_err(not_applying)?;
                    let mut all = after_flags
                        .as_ref()
                        .map(|af| json_diff_ops(live, af))
                        .unwrap_or_default();
                    all.extend(ops);
                    Some((kind, Value::Array(all), after))
                }
            }
        }
    })
}

/// Requests above limits are refused by the API server: refuse them before.
fn check_requests(after: &Value, container: Option<&str>) -> Result<(), UsageError> {
    for c in after["spec"]["template"]["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = c["name"].as_str().unwrap_or("");
        if container.is_some_and(|w| w != name) {
            continue;
        }
        let (Some(lim), Some(req)) = (
            c["resources"]["limits"].as_object(),
            c["resources"]["requests"].as_object(),
        ) else {
            continue;
        };
        for (r, rq) in req {
            let (Some(rq), Some(lq)) = (rq.as_str(), lim.get(r).and_then(Value::as_str)) else {
                continue;
            };
            if let (Some(x), Some(y)) = (quantity_value(rq), quantity_value(lq))
                && x > y
            {
                return Err(UsageError::with_hint(
                    format!(
                        "container {name}: requests.{r} {rq} would exceed limits.{r} {lq}; the API server refuses that"
                    ),
                    format!("raise --limits {r}=... or lower --requests {r}=..."),
                ));
            }
        }
    }
    Ok(())
}

/// Plan the patch of one workload; reads only.
pub async fn plan(ctx: &Ctx, args: &ScaleArgs, step: u8, plan: &mut Plan) -> Result<()> {
    let workload = parse_workload(args.workload.trim())?;
    let want = Want::from_args(args)?;
    if args.patch.is_none() && args.patch_type.is_some() {
        return Err(UsageError::with_hint(
            "--patch-type is the type of --patch FILE, and no --patch was given",
            "pass --patch FILE, or leave out --patch-type",
        )
        .into());
    }
    let kind = parse_patch_type(args.patch_type.as_deref())?;
    let file = args
        .patch
        .as_ref()
        .map(|p| read_patch(p, kind).map(|v| (kind, v)))
        .transpose()?;
    if want.is_empty() && file.is_none() {
        return Err(UsageError::with_hint(
            format!("nothing to change in {}/{}", workload.kind, workload.name),
            "pass --replicas N, --limits cpu=2,memory=4Gi, --requests ..., --env NAME=VALUE or --patch FILE",
        )
        .into());
    }
    if want.replicas.is_some() && workload.kind == "DaemonSet" {
        return Err(UsageError::with_hint(
            format!(
                "DaemonSet {} has no replicas: it runs one pod per node",
                workload.name
            ),
            "leave out --replicas; a DaemonSet follows its node selector and tolerations",
        )
        .into());
    }
    let kube = ctx.kube("maintain scale")?;
    let object = workload.object(&ctx.namespace);
    let live = kube
        .get_object(&object)
        .await
        .with_context(|| format!("reading {object}"))?
        .ok_or_else(|| {
            UsageError::with_hint(
                format!("{object} does not exist"),
                format!(
                    "check the name and the namespace: kubectl get {} -n {}",
                    object.plural, ctx.namespace
                ),
            )
        })?;
    let flags = flags_patch(&live, &want)?;
    let source = args
        .patch
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let directives = file
        .as_ref()
        .is_some_and(|(k, v)| *k == PatchKind::Strategic && has_directives(v));
    let combined = combine(&live, flags, file, &source)?;
    let id = format!(
        "{}/{}/{}",
        workload.kind.to_ascii_lowercase(),
        ctx.namespace,
        workload.name
    );
    let mut what = want.describe();
    if args.patch.is_some() {
        what.push(format!("{} patch {source}", patch_type_name(kind)));
    }
    let observed = Observed::Present {
        resource_version: live["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        uid: live["metadata"]["uid"].as_str().map(str::to_string),
    };
    let diff = combined
        .as_ref()
        .map(|(_, _, after)| value_diff(&live, after))
        .unwrap_or_default();
    if let Some((_, _, after)) = &combined {
        check_requests(after, want.container.as_deref())?;
    }
    let action = match combined {
        Some((kind, body, _)) if !diff.is_empty() || directives => {
            let mut diff = diff;
            if directives {
                diff.push(format!(
                    "(the $-directives of {source} are applied by the API server; not previewed)"
                ));
            }
            PlannedAction {
                id,
                step,
                step_id: STEP_ID.into(),
                change: Change::Update,
                summary: format!("patch {object}: {}", what.join(", ")),
                diff,
                operation: Operation::Patch {
                    object: object.clone(),
                    patch_type: patch_type_name(kind).into(),
                    patch: body,
                },
                observed,
                inverse: Some(Inverse::Restore {
                    object: object.clone(),
                }),
                backup: Some(backup_of(&live)),
            }
        }
        other => PlannedAction {
            id,
            step,
            step_id: STEP_ID.into(),
            change: Change::Unchanged,
            summary: format!("{object} already has {}", what.join(", ")),
            diff: Vec::new(),
            operation: Operation::Patch {
                object: object.clone(),
                patch_type: patch_type_name(other.as_ref().map_or(PatchKind::Strategic, |c| c.0))
                    .into(),
                patch: other.map(|c| c.1).unwrap_or_else(|| json!({})),
            },
            observed,
            inverse: None,
            backup: None,
        },
    };
    plan.actions.push(action);
    Ok(())
}

/// The patch with the resourceVersion the plan saw as a precondition: the API server answers
/// 409 (or, for a JSON Patch, 422 on the `test`) when the object changed in between.
pub fn with_precondition(kind: PatchKind, patch: &Value, resource_version: &str) -> Value {
    match kind {
        PatchKind::Json => {
            let mut ops = vec![json!({"op": "test", "path": "/metadata/resourceVersion",
                                      "value": resource_version})];
            ops.extend(patch.as_array().cloned().unwrap_or_default());
            Value::Array(ops)
        }
        PatchKind::Strategic | PatchKind::Merge => {
            let mut p = patch.clone();
            if let Some(m) = p.as_object_mut() {
                let meta = m.entry("metadata").or_insert_with(|| json!({}));
                if let Some(meta) = meta.as_object_mut() {
                    meta.insert("resourceVersion".into(), json!(resource_version));
                }
            }
            p
        }
    }
}

/// Run a planned [`Operation::Patch`]: the object must still be at the resourceVersion the plan
/// saw; the result carries the new one (the rollback's restore checks it).
pub async fn apply(
    x: &Exec<'_>,
    action: &PlannedAction,
    _backup: Option<&Value>,
) -> Result<ActionResult, ActionError> {
    let Operation::Patch {
        object,
        patch_type,
        patch,
    } = &action.operation
    else {
        return Err(ActionError::new(format!("{}: not a patch", action.summary)));
    };
    let kube = x.kube.ok_or_else(|| {
        ActionError::with_hint(
            "a patch needs a Kubernetes cluster, and no kubeconfig was found",
            "pass --kubeconfig PATH (or set KUBECONFIG)",
        )
    })?;
    let kind = parse_patch_type(Some(patch_type)).map_err(|e| ActionError::new(e.message))?;
    let kube_err =
        |e: crate::transport::BackendError| ActionError::with_hint(e.one_line(), e.hint());
    let Observed::Present {
        resource_version, ..
    } = &action.observed
    else {
        return Err(ActionError::new(format!(
            "{object}: the plan did not see it, so there is nothing to patch"
        )));
    };
    let again = "run `tracectl maintain scale --dry-run` again and review the new diff";
    let live = kube.get_object(object).await.map_err(kube_err)?;
    let now = live
        .as_ref()
        .map(|v| v["metadata"]["resourceVersion"].as_str().unwrap_or(""));
    match now {
        None => {
            return Err(ActionError::with_hint(
                format!("{object} was deleted since the plan"),
                again,
            ));
        }
        Some(rv) if rv != resource_version => {
            return Err(ActionError::with_hint(
                format!(
                    "{object} changed since the plan: its resourceVersion is {rv}, the plan saw {resource_version}"
                ),
                again,
            ));
        }
        Some(_) => {}
    }
    let body = with_precondition(kind, patch, resource_version);
    let after = kube
        .patch_object(object, kind, &body)
        .await
        .map_err(kube_err)?;
    let rv = after["metadata"]["resourceVersion"]
        .as_str()
        .map(str::to_string);
    Ok(ActionResult {
        detail: format!(
            "patched ({} patch), resourceVersion {resource_version} → {}",
            patch_type_name(kind),
            rv.as_deref().unwrap_or("?")
        ),
        uid: after["metadata"]["uid"].as_str().map(str::to_string),
        resource_version: rv,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let bare =
            json!({"kind": "Deployment", "metadata": {"name": "x"}, "spec": {"template": {}}});
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
        let composed = strategic(&first, &second, true);
        assert_eq!(
            strategic_apply(&doc, &composed),
            strategic_apply(&strategic_apply(&doc, &first), &second)
        );
        assert!(composed["spec"]["containers"][0]["args"].is_null());
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
}
