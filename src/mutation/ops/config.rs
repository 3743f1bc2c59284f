//! `tracectl maintain config`: the Collector's and the sampling ConfigMaps from files, and the
//! alert rules directory (guide section 3.2.2, "Configuration Updates": `kubectl create configmap
//! otel-collector-config --from-file=... --dry-run=client -o yaml | kubectl apply -f -`, `kubectl
//! apply -f monitoring/opentelemetry/sampling/`, `kubectl apply -f monitoring/alerts/`).
//!
//! Each ConfigMap is built as `kubectl create configmap --from-file` builds it: one key per file,
//! named after the file's base name, the file's text its value; labelled `app: tracing`, the
//! label `maintain backup` selects (the guide backs up `-l app=tracing`). The Collector's file is
//! parsed and linted (`crate::analysis::collector_config`) before anything is read from the
//! cluster: a config the Collector would refuse to start with (a pipeline naming an undefined
//! component) is a usage error, and the lint's warnings are the plan's notes. Sampling files
//! named `.json` must be JSON, `.yaml`/`.yml` YAML.
//!
//! Each object is an [`Operation::Apply`] (server-side apply), planned as `deploy` plans its
//! manifests (`crate::mutation::ops::objects`): unchanged when every field it sets is live
//! already ([`object_diff`]), an update undone by restoring the live object from the journal's
//! backup, or a creation undone by deleting it. An update's diff is [`describe_update`]: which
//! keys change and, for a ConfigMap's data, their changed lines (a value that looks like a
//! credential is hidden). `--rules DIR` is loaded and planned exactly as `deploy`'s step 6
//! (discovery, or a CRD in the same directory; namespaced into `-n`), with that diff. Not here:
//! running the applies (`deploy`'s executor). Tests: below (the pure parts);
//! `tests/it/maintain/scale.rs` end to end.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::{Context, Result};
use regex::Regex;
use serde_json::{Value, json};

use super::Ctx;
use crate::analysis::collector_config::{self, SamplingPolicy};
use crate::backends::kubernetes::{ObjectRef, split_api_version, valid_name};
use crate::cli::ConfigArgs;
use crate::error::UsageError;
use crate::mutation::ops::manifests::{self, Manifest};
use crate::mutation::ops::objects::{manifest_actions, object_action};
use crate::mutation::patch::object_diff;
use crate::mutation::{Plan, PlannedAction};
use crate::report::Severity;

pub const STEP_ID: &str = "config";
pub const COLLECTOR_CONFIGMAP: &str = "otel-collector-config";
pub const SAMPLING_CONFIGMAP: &str = "sampling-config";

/// How many changed lines of one key a plan shows.
const MAX_LINES: usize = 40;

pub fn configmap_ref(namespace: &str, name: &str) -> ObjectRef {
    ObjectRef {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
        plural: "configmaps".into(),
        namespace: Some(namespace.into()),
        name: name.into(),
    }
}

/// The ConfigMap `kubectl create configmap NAME --from-file=F...` makes, labelled for backups.
pub fn configmap(namespace: &str, name: &str, data: &BTreeMap<String, String>) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": "tracing"}},
        "data": data,
    })
}

/// A file's key in a ConfigMap: its base name, which must be a valid ConfigMap key.
pub fn file_key(path: &Path) -> Result<String, UsageError> {
    let key = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    let ok = !key.is_empty()
        && key.len() <= 253
        && key != "."
        && key != ".."
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(key)
    } else {
        Err(UsageError::with_hint(
            format!(
                "{}: {key:?} is not a valid ConfigMap key (letters, digits, '-', '_' and '.')",
                path.display()
            ),
            "rename the file: its base name becomes the key, as with kubectl create configmap --from-file",
        ))
    }
}

fn read(path: &Path, flag: &str) -> Result<String, UsageError> {
    std::fs::read_to_string(path)
        .map_err(|e| UsageError::new(format!("{flag} {}: cannot read: {e}", path.display())))
}

/// The Collector's config checked: it must parse, and the lint must find nothing that keeps the
/// Collector from starting. Its warnings, for the plan's notes.
pub fn check_collector_config(text: &str, source: &str) -> Result<Vec<String>, UsageError> {
    let findings = collector_config::lint_text(text, source, &SamplingPolicy::default())
        .map_err(|e| {
            UsageError::with_hint(
                e.to_string(),
                "fix the file; `tracectl investigate data-loss --collector-config FILE` explains each risk",
            )
        })?;
    let fatal: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .map(|f| f.title.as_str())
        .collect();
    if !fatal.is_empty() {
        return Err(UsageError::with_hint(
            format!(
                "{source}: the Collector would not start with this config: {}",
                fatal.join("; ")
            ),
            "fix the file; `tracectl investigate data-loss --collector-config FILE` shows the snippets that fix it",
        ));
    }
    Ok(findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| format!("{source}: {}", f.title))
        .collect())
}

/// A sampling file must be what its extension says.
pub fn check_sampling(text: &str, path: &Path) -> Result<(), UsageError> {
    let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
    let bad = match ext {
        "json" => serde_json::from_str::<Value>(text)
            .err()
            .map(|e| format!("not JSON: {e}")),
        "yaml" | "yml" => serde_norway::from_str::<Value>(text)
            .err()
            .map(|e| format!("not YAML: {e}")),
        _ => None,
    };
    match bad {
        Some(why) => Err(UsageError::new(format!(
            "--sampling {}: {why}",
            path.display()
        ))),
        None => Ok(()),
    }
}

static SECRET_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^(\s*-?\s*["']?[\w.-]*(password|passwd|secret|token|api[_-]?key|authorization|bearer|credential)[\w.-]*["']?\s*[:=]\s*)(\S.*)$"#,
    )
    .expect("secret line regex")
});

/// A line whose key names a credential keeps its key only: plans are pasted into tickets. A
/// reference to the environment (`${env:TOKEN}`) is not a credential and is shown.
pub fn mask_line(line: &str) -> String {
    match SECRET_LINE.captures(line) {
        Some(c) if !c[3].trim_start_matches(['"', '\'']).starts_with("${") => {
            format!("{}(hidden)", &c[1])
        }
        _ => line.to_string(),
    }
}

/// The lines that differ between two texts, `- old` and `+ new` in order (a longest common
/// subsequence of lines), at most `max` of them, then how many more.
pub fn line_diff(old: &str, new: &str, max: usize) -> Vec<String> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut out = Vec::new();
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        out.push(format!("{} lines → {} lines", a.len(), b.len()));
        return out;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut all = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            all.push(format!("- {}", mask_line(a[i])));
            i += 1;
        } else {
            all.push(format!("+ {}", mask_line(b[j])));
            j += 1;
        }
    }
    let more = all.len().saturating_sub(max);
    out.extend(all.into_iter().take(max));
    if more > 0 {
        out.push(format!("… and {more} more changed lines"));
    }
    out
}

/// The plan's diff of an update: [`object_diff`]'s paths, and for each changed `data` key of a
/// ConfigMap, its changed lines.
pub fn describe_update(manifest: &Value, live: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for path in object_diff(manifest, live) {
        let key = path.strip_prefix("data.");
        let texts = key.and_then(|k| {
            Some((
                manifest["data"][k].as_str()?,
                live["data"][k].as_str().unwrap_or(""),
            ))
        });
        out.push(path.clone());
        if let Some((want, have)) = texts {
            out.extend(
                line_diff(have, want, MAX_LINES)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
    }
    out
}

/// The files of one ConfigMap, by key; two files with one base name are an error.
fn data_of(files: &[(PathBuf, String)]) -> Result<BTreeMap<String, String>, UsageError> {
    let mut data = BTreeMap::new();
    for (path, text) in files {
        let key = file_key(path)?;
        if data.insert(key.clone(), text.clone()).is_some() {
            return Err(UsageError::with_hint(
                format!("two files are named {key}: a ConfigMap has one value per key"),
                "rename one of them",
            ));
        }
    }
    Ok(data)
}

fn configmap_name(flag: &str, given: Option<&str>, default: &str) -> Result<String, UsageError> {
    let name = given.unwrap_or(default);
    if valid_name(name) {
        Ok(name.to_string())
    } else {
        Err(UsageError::new(format!(
            "{flag} {name:?} is not a valid ConfigMap name (lowercase letters, digits, '-' and '.')"
        )))
    }
}

/// Plan the ConfigMaps and the rules; every input is checked before the cluster is read.
pub async fn plan(ctx: &Ctx, args: &ConfigArgs, step: u8, plan: &mut Plan) -> Result<()> {
    if args.collector_config.is_none() && args.sampling.is_empty() && args.rules.is_none() {
        return Err(UsageError::with_hint(
            "maintain config has nothing to apply",
            "pass --collector-config FILE, --sampling FILE (repeatable) and/or --rules DIR",
        )
        .into());
    }
    let ns = ctx.namespace.as_str();
    let mut maps: Vec<(String, BTreeMap<String, String>, String)> = Vec::new();
    if let Some(path) = &args.collector_config {
        let name = configmap_name(
            "--collector-configmap",
            args.collector_configmap.as_deref(),
            COLLECTOR_CONFIGMAP,
        )?;
        let text = read(path, "--collector-config")?;
        let source = path.display().to_string();
        plan.notes.extend(check_collector_config(&text, &source)?);
        maps.push((name, data_of(&[(path.clone(), text)])?, source));
    }
    if !args.sampling.is_empty() {
        let name = configmap_name(
            "--sampling-configmap",
            args.sampling_configmap.as_deref(),
            SAMPLING_CONFIGMAP,
        )?;
        let mut files = Vec::new();
        for path in &args.sampling {
            let text = read(path, "--sampling")?;
            check_sampling(&text, path)?;
            files.push((path.clone(), text));
        }
        let source = args
            .sampling
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        maps.push((name, data_of(&files)?, source));
    }
    if maps.len() == 2 && maps[0].0 == maps[1].0 {
        return Err(UsageError::with_hint(
            format!(
                "the Collector's and the sampling ConfigMap are both {}",
                maps[0].0
            ),
            "give them different names with --collector-configmap / --sampling-configmap",
        )
        .into());
    }
    let rules = match &args.rules {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(UsageError::with_hint(
                    format!("--rules {}: not a directory", dir.display()),
                    "pass the directory of alert rule manifests, e.g. monitoring/alerts",
                )
                .into());
            }
            manifests::load(std::slice::from_ref(dir))?
        }
        None => Vec::new(),
    };
    for (name, _, source) in &maps {
        if let Some(m) = rules.iter().find(|m| is_configmap(m, ns, name)) {
            return Err(UsageError::with_hint(
                format!(
                    "{}: ConfigMap {ns}/{name} is also made from {source}",
                    m.source
                ),
                "remove it from the rules directory or give the ConfigMap from files another name",
            )
            .into());
        }
    }
    let kube = ctx.kube("maintain config")?;
    for (name, data, source) in maps {
        let object = configmap_ref(ns, &name);
        let live = kube
            .get_object(&object)
            .await
            .with_context(|| format!("step {step}: reading {object}"))?;
        let a = object_action(
            format!("configmap/{ns}/{name}"),
            (step, STEP_ID),
            object,
            configmap(ns, &name, &data),
            &source,
            live.as_ref(),
            describe_update,
        );
        note_extra_keys(plan, &a, &data);
        plan.actions.push(a);
    }
    let actions =
        manifest_actions(kube, ns, rules, (step, STEP_ID), false, describe_update).await?;
    plan.actions.extend(actions);
    Ok(())
}

/// Whether a rules manifest is the ConfigMap `ns/name` (a ConfigMap naming no namespace goes to
/// `ns`).
fn is_configmap(m: &Manifest, ns: &str, name: &str) -> bool {
    split_api_version(&m.api_version).0.is_empty()
        && m.kind == "ConfigMap"
        && m.name == name
        && m.namespace.as_deref().unwrap_or(ns) == ns
}

/// Server-side apply leaves keys it never set: say so, rather than let "replace" surprise.
fn note_extra_keys(plan: &mut Plan, a: &PlannedAction, data: &BTreeMap<String, String>) {
    let Some(live) = &a.backup else { return };
    let extra: Vec<&String> = live["data"]
        .as_object()
        .map(|m| m.keys().filter(|k| !data.contains_key(*k)).collect())
        .unwrap_or_default();
    if !extra.is_empty() {
        let names: Vec<&str> = extra.iter().map(|k| k.as_str()).collect();
        plan.notes.push(format!(
            "{}: keys {} are not in the files and are kept (server-side apply removes only keys tracectl set before)",
            a.id,
            names.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
receivers:
  otlp:
    protocols: {grpc: {}}
processors:
  memory_limiter: {check_interval: 1s, limit_percentage: 80}
  batch: {}
exporters:
  otlp/jaeger: {endpoint: 'jaeger-collector:4317'}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/jaeger]}
";

    #[test]
    fn configmaps_are_built_like_kubectl_from_file() {
        assert_eq!(
            file_key(Path::new("monitoring/opentelemetry/collector-config.yaml")).unwrap(),
            "collector-config.yaml"
        );
        assert!(file_key(Path::new("/tmp/a b.yaml")).is_err());
        let data = data_of(&[
            (PathBuf::from("a/sampling.json"), "{}".into()),
            (PathBuf::from("b/rules.yaml"), "x: 1".into()),
        ])
        .unwrap();
        assert_eq!(
            configmap("monitoring", "sampling-config", &data),
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "sampling-config", "namespace": "monitoring", "labels": {"app": "tracing"}},
                   "data": {"sampling.json": "{}", "rules.yaml": "x: 1"}})
        );
        let e = data_of(&[
            (PathBuf::from("a/s.json"), "{}".into()),
            (PathBuf::from("b/s.json"), "{}".into()),
        ])
        .unwrap_err();
        assert!(e.message.contains("two files"), "{}", e.message);
    }

    #[test]
    fn a_collector_config_the_collector_refuses_is_refused() {
        assert_eq!(
            check_collector_config(GOOD, "c.yaml").unwrap(),
            Vec::<String>::new()
        );
        let e = check_collector_config("receivers: [unclosed\n", "c.yaml").unwrap_err();
        assert!(e.message.contains("not valid YAML"), "{}", e.message);
        let e = check_collector_config("just: text\n", "c.yaml").unwrap_err();
        assert!(
            e.message.contains("not an OpenTelemetry Collector config"),
            "{}",
            e.message
        );
        let undefined = GOOD.replace("exporters: [otlp/jaeger]", "exporters: [otlp/tempo]");
        let e = check_collector_config(&undefined, "c.yaml").unwrap_err();
        assert!(e.message.contains("would not start"), "{}", e.message);
        assert!(e.message.contains("otlp/tempo"), "{}", e.message);
        // A risk, not a refusal: a note.
        let no_batch = GOOD.replace(
            "processors: [memory_limiter, batch]",
            "processors: [memory_limiter]",
        );
        let notes = check_collector_config(&no_batch, "c.yaml").unwrap();
        assert!(notes.iter().any(|n| n.contains("batch")), "{notes:?}");
    }

    #[test]
    fn sampling_files_are_what_they_say() {
        assert!(check_sampling("{\"default_strategy\": {}}", Path::new("s.json")).is_ok());
        assert!(check_sampling("{default", Path::new("s.json")).is_err());
        assert!(check_sampling("a: [", Path::new("s.yaml")).is_err());
        assert!(check_sampling("anything", Path::new("s.txt")).is_ok());
    }

    #[test]
    fn line_diffs_show_changed_lines_and_hide_credentials() {
        let old = "a: 1\nb: 2\nc: 3\ntoken: abc123\n";
        let new = "a: 1\nb: 20\nc: 3\nd: 4\ntoken: xyz789\n";
        assert_eq!(
            line_diff(old, new, 10),
            [
                "- b: 2",
                "+ b: 20",
                "- token: (hidden)",
                "+ d: 4",
                "+ token: (hidden)"
            ]
        );
        assert_eq!(
            line_diff(old, new, 2).last().unwrap(),
            "… and 3 more changed lines"
        );
        assert_eq!(
            mask_line("  Authorization: \"Bearer x\""),
            "  Authorization: (hidden)"
        );
        assert_eq!(
            mask_line("  api_key: ${env:API_KEY}"),
            "  api_key: ${env:API_KEY}"
        );
        assert_eq!(
            mask_line("  endpoint: jaeger:4317"),
            "  endpoint: jaeger:4317"
        );
    }

    #[test]
    fn a_rules_configmap_may_not_be_one_made_from_files() {
        let m = |api_version: &str, namespace: Option<&str>| Manifest {
            source: "alerts/cm.yaml".into(),
            api_version: api_version.into(),
            kind: "ConfigMap".into(),
            name: "sampling-config".into(),
            namespace: namespace.map(str::to_string),
            body: json!({}),
        };
        assert!(is_configmap(
            &m("v1", None),
            "monitoring",
            "sampling-config"
        ));
        assert!(is_configmap(
            &m("v1", Some("monitoring")),
            "monitoring",
            "sampling-config"
        ));
        assert!(!is_configmap(
            &m("v1", Some("other")),
            "monitoring",
            "sampling-config"
        ));
        assert!(!is_configmap(
            &m("v1", None),
            "monitoring",
            "otel-collector-config"
        ));
        assert!(!is_configmap(
            &m("example.com/v1", None),
            "monitoring",
            "sampling-config"
        ));
    }

    #[test]
    fn updates_name_keys_and_lines() {
        let manifest = configmap(
            "monitoring",
            "otel-collector-config",
            &BTreeMap::from([("c.yaml".to_string(), "x: 2\n".to_string())]),
        );
        let live = json!({"metadata": {"name": "otel-collector-config", "labels": {"app": "tracing"}},
                          "data": {"c.yaml": "x: 1\n"}});
        assert_eq!(
            describe_update(&manifest, &live),
            ["data.c.yaml", "  - x: 1", "  + x: 2"]
        );
        let mut same = live.clone();
        same["data"]["c.yaml"] = json!("x: 2\n");
        assert_eq!(describe_update(&manifest, &same), Vec::<String>::new());
    }
}
