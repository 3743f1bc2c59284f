//! The config file (YAML, kubeconfig-style): named contexts holding endpoints, auth, profile and
//! threshold overrides. Parsing only; resolution against flags and environment is in `resolve.rs`.
//!
//! Unknown keys are errors (a typo such as `tokenfile` would otherwise silently drop auth), and
//! errors carry the file's path and line. YAML via `serde_norway`, a maintained successor of the
//! unmaintained `serde_yaml`. Tests: `mod.rs` and `tests/it/config.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    #[serde(default)]
    pub contexts: BTreeMap<String, Context>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Context {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<BackendBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jaeger: Option<BackendBlock>,
    /// Grafana Tempo, the other trace store; with `tenant` sent as `X-Scope-OrgID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<BackendBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elasticsearch: Option<BackendBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grafana: Option<BackendBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alertmanager: Option<BackendBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<BackendBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub thresholds: BTreeMap<String, f64>,
    /// A directory of runbook files that override the built-in ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbooks: Option<PathBuf>,
    /// The sampling policy `investigate data-loss` holds services and the Collector to; unset
    /// keys keep the guide's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<SamplingBlock>,
    /// Where the tracing stack runs (`--stack-namespace`), instead of discovering it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<StackBlock>,
}

/// The tracing stack's place in the cluster.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StackBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// The production sampling policy (guide section 2.3.2), rates as fractions (0.1 = 10%).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SamplingBlock {
    /// Every service not listed below [default: 0.1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub critical_services: Vec<String>,
    /// [default: 1.0]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub high_volume_services: Vec<String>,
    /// [default: 0.01]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_volume_rate: Option<f64>,
    /// Adaptive sampling moves the default rate within these bounds [default: true, 0.001–0.5].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive_min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive_max: Option<f64>,
}

/// Every backend block accepts the same keys (the collector's `metrics_url`/`otlp_url` stand in
/// for `url`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BackendBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otlp_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_verify: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// `X-Scope-OrgID` for Mimir, Cortex, Thanos and Tempo multi-tenancy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<u64>,
    /// Thanos Query's `partial_response` (Prometheus only): `false` turns a failing store into an
    /// error instead of a warning. Unset leaves the server's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_response: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KubernetesBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubeconfig: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The cap on each API server response (default 64 MiB, as for the other backends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

impl ConfigFile {
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        if text.trim().is_empty() {
            return Ok(ConfigFile::default());
        }
        serde_norway::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line()).unwrap_or(0);
            // serde_norway appends " at line N column M"; we already lead with path:line.
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            ConfigError::Parse {
                path: path.display().to_string(),
                line,
                message,
            }
        })
    }

    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, path)
    }
}

/// Point `current-context` at `name`, editing only that line so comments and layout survive
/// (a full YAML round trip would drop them).
pub fn set_current_context(text: &str, name: &str) -> String {
    let quoted = serde_json::to_string(name).unwrap_or_else(|_| format!("\"{name}\""));
    let mut found = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|l| {
            if !found && l.starts_with("current-context:") {
                found = true;
                format!("current-context: {quoted}")
            } else {
                l.to_string()
            }
        })
        .collect();
    if !found {
        out.insert(0, format!("current-context: {quoted}"));
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// Mask every secret in a context for display: `config view` never prints a credential.
pub fn masked(mut ctx: Context) -> Context {
    for block in [
        &mut ctx.prometheus,
        &mut ctx.jaeger,
        &mut ctx.tempo,
        &mut ctx.elasticsearch,
        &mut ctx.grafana,
        &mut ctx.alertmanager,
        &mut ctx.collector,
    ]
    .into_iter()
    .flatten()
    {
        if block.token.is_some() {
            block.token = Some("***".into());
        }
        if block.password.is_some() {
            block.password = Some("***".into());
        }
        for url in [&mut block.url, &mut block.metrics_url, &mut block.otlp_url]
            .into_iter()
            .flatten()
        {
            if let Ok(mut u) = url::Url::parse(url)
                && u.password().is_some()
            {
                let _ = u.set_password(Some("***"));
                *url = u.to_string();
            }
        }
    }
    ctx
}
