//! A lint of an OpenTelemetry Collector config (from its ConfigMap or `--collector-config FILE`)
//! for the risks that lose spans: `config_risk` findings.
//!
//! Checks: a pipeline naming a component that is not defined (the Collector refuses to start);
//! a traces pipeline without `memory_limiter`, or with it not first (it must refuse data before
//! other processors buffer it); a traces pipeline without `batch`; an exporter whose
//! `sending_queue` or `retry_on_failure` is explicitly disabled; sampling (`tail_sampling`,
//! `probabilistic_sampler`) that contradicts the [`SamplingPolicy`]. Each finding names the
//! pipeline or component, the line to change, and a YAML snippet to apply.
//!
//! Pure: text in, findings out; malformed YAML is an error with its line, never a panic. Not
//! here: fetching the ConfigMap, and whether the running Collector uses this config. Config
//! reference: <https://opentelemetry.io/docs/collector/configuration/>. In `collector_config/`:
//! `lines.rs` finds the line of a path, `pipelines.rs`, `sampling.rs` and `tail_policies.rs` hold
//! the checks, `tests.rs` the tests.

use std::collections::BTreeMap;

use serde_norway::Value;

use crate::report::{Evidence, Finding, Severity, Subject};

pub use lines::Seg;
use lines::{Line, index_lines, locate};
use pipelines::{batch, exporter_safety_nets, memory_limiter, undefined_components};
pub use rates::{SamplerRates, sampler_rates};

/// The sampling policy the config is held to: rates are fractions (0.1 = 10%).
#[derive(Debug, Clone)]
pub struct SamplingPolicy {
    /// Every service not named below.
    pub default_rate: f64,
    pub critical_rate: f64,
    pub critical_services: Vec<String>,
    pub high_volume_rate: f64,
    pub high_volume_services: Vec<String>,
    /// The range an adaptive (default-rate) sampler may move in.
    pub adaptive_min: f64,
    pub adaptive_max: f64,
}

impl Default for SamplingPolicy {
    fn default() -> Self {
        SamplingPolicy {
            default_rate: 0.1,
            critical_rate: 1.0,
            critical_services: Vec::new(),
            high_volume_rate: 0.01,
            high_volume_services: Vec::new(),
            adaptive_min: 0.001,
            adaptive_max: 0.5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{source_name}:{line}: not valid YAML: {message}")]
    Yaml {
        source_name: String,
        line: usize,
        message: String,
    },
    #[error("{source_name}: not an OpenTelemetry Collector config: {reason}")]
    Shape { source_name: String, reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// `traces` or `traces/2`.
    pub id: String,
    /// `traces`, `metrics`, `logs`, ...
    pub signal: String,
    pub receivers: Vec<String>,
    pub processors: Vec<String>,
    pub exporters: Vec<String>,
}

/// A parsed config: component definitions by id, and the pipelines.
#[derive(Debug, Clone)]
pub struct CollectorConfig {
    /// The file or ConfigMap it came from, for messages.
    pub source: String,
    pub receivers: BTreeMap<String, Value>,
    pub processors: BTreeMap<String, Value>,
    pub exporters: BTreeMap<String, Value>,
    pub connectors: BTreeMap<String, Value>,
    pub extensions: BTreeMap<String, Value>,
    /// `service.extensions`.
    pub service_extensions: Vec<String>,
    pub pipelines: Vec<Pipeline>,
    lines: Vec<Line>,
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        v => v,
    }
}

fn key_string(k: &Value) -> Option<String> {
    match untag(k) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    untag(v).as_mapping()?.get(key).map(untag)
}

/// A list of ids: a sequence of strings, a single string, or nothing.
fn id_list(v: Option<&Value>) -> Vec<String> {
    match v.map(untag) {
        Some(Value::Sequence(s)) => s.iter().filter_map(key_string).collect(),
        Some(v) => key_string(v).into_iter().collect(),
        None => Vec::new(),
    }
}

fn section(root: &Value, name: &str, source: &str) -> Result<BTreeMap<String, Value>, ConfigError> {
    match get(root, name) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Mapping(m)) => Ok(m
            .iter()
            .filter_map(|(k, v)| Some((key_string(k)?, untag(v).clone())))
            .collect()),
        Some(_) => Err(ConfigError::Shape {
            source_name: source.into(),
            reason: format!("`{name}` must be a mapping of component ids"),
        }),
    }
}

impl CollectorConfig {
    pub fn parse(text: &str, source: &str) -> Result<Self, ConfigError> {
        let shape = |reason: &str| ConfigError::Shape {
            source_name: source.into(),
            reason: reason.into(),
        };
        let mut root: Value = serde_norway::from_str(text).map_err(|e| yaml_error(&e, source))?;
        root.apply_merge().map_err(|e| yaml_error(&e, source))?;
        if untag(&root).as_mapping().is_none() {
            return Err(shape("the document is not a mapping"));
        }
        const SECTIONS: [&str; 6] = [
            "receivers",
            "processors",
            "exporters",
            "connectors",
            "extensions",
            "service",
        ];
        if !SECTIONS.iter().any(|s| get(&root, s).is_some()) {
            return Err(shape(
                "none of receivers, processors, exporters, connectors, extensions, service",
            ));
        }
        let service = get(&root, "service");
        let mut pipelines = Vec::new();
        match service.and_then(|s| get(s, "pipelines")) {
            None | Some(Value::Null) => {}
            Some(Value::Mapping(m)) => {
                for (k, v) in m {
                    let Some(id) = key_string(k) else { continue };
                    pipelines.push(Pipeline {
                        signal: id.split('/').next().unwrap_or("").to_string(),
                        receivers: id_list(get(v, "receivers")),
                        processors: id_list(get(v, "processors")),
                        exporters: id_list(get(v, "exporters")),
                        id,
                    });
                }
            }
            Some(_) => return Err(shape("`service.pipelines` must be a mapping")),
        }
        Ok(CollectorConfig {
            source: source.into(),
            receivers: section(&root, "receivers", source)?,
            processors: section(&root, "processors", source)?,
            exporters: section(&root, "exporters", source)?,
            connectors: section(&root, "connectors", source)?,
            extensions: section(&root, "extensions", source)?,
            service_extensions: id_list(service.and_then(|s| get(s, "extensions"))),
            pipelines,
            lines: index_lines(text),
        })
    }

    /// The 1-based line of the deepest part of `path` found in the text (0 if none).
    pub fn line_of(&self, path: &[Seg]) -> usize {
        locate(&self.lines, path)
    }
}

fn yaml_error(e: &serde_norway::Error, source: &str) -> ConfigError {
    let message = e.to_string();
    // serde_norway appends " at line N column M"; the line leads the message instead.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    ConfigError::Yaml {
        source_name: source.into(),
        line: e.location().map_or(0, |l| l.line()),
        message,
    }
}

// --- The lint --------------------------------------------------------------------------------

/// Run every check. Findings come in check order; `report::rank` orders them.
pub fn lint(cfg: &CollectorConfig, policy: &SamplingPolicy) -> Vec<Finding> {
    let mut out = Vec::new();
    undefined_components(cfg, &mut out);
    for p in cfg.pipelines.iter().filter(|p| p.signal == "traces") {
        memory_limiter(cfg, p, &mut out);
        batch(cfg, p, &mut out);
    }
    exporter_safety_nets(cfg, &mut out);
    sampling::check(cfg, policy, &mut out);
    out
}

/// Parse and lint in one step.
pub fn lint_text(
    text: &str,
    source: &str,
    policy: &SamplingPolicy,
) -> Result<Vec<Finding>, ConfigError> {
    Ok(lint(&CollectorConfig::parse(text, source)?, policy))
}

pub(crate) fn component_type(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

/// A YAML snippet written as an indented block in the source (blank first and last lines, common
/// indentation): the block as a config would hold it.
pub(crate) fn dedent(block: &str) -> String {
    let lines: Vec<&str> = block.lines().skip_while(|l| l.trim().is_empty()).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let lines = &lines[..end];
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect();
    body.join("\n")
}

/// `[a, b]` as YAML flow.
pub(crate) fn flow(ids: &[String]) -> String {
    format!("[{}]", ids.join(", "))
}

pub(crate) fn evidence(cfg: &CollectorConfig, line: usize, path: &str, value: String) -> Evidence {
    Evidence {
        source: "collector-config".into(),
        query: Some(format!("{}:{line} {path}", cfg.source)),
        value: Some(value),
        ..Default::default()
    }
}

pub(crate) fn finding(
    severity: Severity,
    score: f64,
    resource: &str,
    title: String,
    detail: &str,
) -> Finding {
    Finding::new(
        "config_risk",
        severity,
        score,
        Subject::default().with_resource(resource),
        title,
    )
    .detail(detail)
}

mod lines;
mod pipelines;
mod rates;
mod sampling;
mod tail_policies;
#[cfg(test)]
mod tests;
