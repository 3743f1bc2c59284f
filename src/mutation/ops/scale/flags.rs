//! `maintain scale`'s flags and patch file, read and made into one patch: the workload
//! (`KIND/NAME`), quantities compared by value (`0.5` is `500m`), `--limits`/`--requests`/`--env`,
//! the patch type, [`flags_patch`] (only what differs from the live object), [`read_patch`] and
//! [`combine`] (the flags' patch and the file's as one). Pure: no I/O but reading the patch file.
//! Tests: `tests.rs`.

use crate::backends::kubernetes::{ObjectRef, PatchKind, valid_name};
use crate::cli::ScaleArgs;
use crate::error::UsageError;
use crate::mutation::patch::{
    json_diff_ops, json_patch_apply, merge_apply, merge_compose, merge_diff, strategic_apply,
    strategic_compose,
};
use anyhow::Result;
use regex::Regex;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

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

pub(super) static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
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

pub(super) fn same_quantity(a: &str, b: &str) -> bool {
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

    pub(super) fn is_empty(&self) -> bool {
        self.replicas.is_none() && !self.touches_container()
    }

    /// `replicas 3, limits cpu=2,memory=4Gi, env JAVA_OPTS`, for the summary.
    pub(super) fn describe(&self) -> Vec<String> {
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
                        Some(p) => strategic_compose(p, &fp),
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
pub(super) fn check_requests(after: &Value, container: Option<&str>) -> Result<(), UsageError> {
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
