//! Raw flags, environment and config file become one resolved [`Settings`], here and only here.
//!
//! Precedence, per value: flag > environment variable > config-file context > default (clap reads
//! the environment for the flags that have one, so `GlobalArgs` already holds flag-or-env).
//! Credentials come only from the environment (`TRACECTL_<BACKEND>_TOKEN`, ...) or the config
//! file (inline or `*_file`). Not here: what the commands do with it. Tests: `clients.rs`,
//! `secrets.rs` and `tests/it/config.rs`.

mod backend;
mod clients;
pub mod file;
mod resolve;
pub mod secrets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::backends::kubernetes::KubeSettings;
use crate::cli::{FailOn, GlobalArgs, TraceStoreChoice};
use crate::clock::{self, Clock};
use crate::env_vars;
use crate::error::{Backend, UsageError};
use crate::render::OutputFormat;
use crate::runbook::Profile;
use crate::transport::bundle::{Recorder, Replayer};
use crate::transport::{Endpoint, Routed, SharedTransport};

pub use file::{BackendBlock, ConfigFile, Context};
pub use resolve::{Interactive, resolve};

/// How backend calls are answered in this run.
#[derive(Clone)]
pub enum Mode {
    Live,
    Record(Arc<Recorder>),
    Replay(Arc<Replayer>),
}

#[derive(Clone)]
pub struct Settings {
    pub clock: Clock,
    pub lookback: Duration,
    pub rate_window: Duration,
    pub timeout: Duration,
    /// The whole command's budget: a step still running when it ends fails.
    pub command_timeout: Duration,
    pub profile: Profile,
    pub output: OutputFormat,
    pub fail_on: FailOn,
    pub color: bool,
    pub progress: bool,
    pub endpoints: BTreeMap<Backend, Endpoint>,
    /// `--trace-store` / `TRACECTL_TRACE_STORE`: which store answers when both are configured.
    pub trace_store: Option<TraceStoreChoice>,
    /// The API version each Jaeger endpoint speaks, by its URL, learnt once in the run and
    /// shared by every client [`Settings::trace_store`] and [`Settings::jaeger`] build.
    pub jaeger_api:
        Arc<std::sync::Mutex<BTreeMap<String, crate::backends::traces::jaeger::ApiCell>>>,
    /// The Collector's OTLP/HTTP receiver (`--collector-otlp-url`, the context's
    /// `collector.otlp_url`): a second Collector endpoint beside the metrics one in `endpoints`,
    /// with the same block's credentials and TLS. In a replay, the bundle's Collector answers.
    pub collector_otlp: Option<Endpoint>,
    /// The context's `sampling:` policy, when it has one.
    pub sampling: Option<file::SamplingBlock>,
    /// Thanos' `partial_response`, from the context's prometheus block.
    pub partial_response: Option<bool>,
    pub kubernetes: KubeSettings,
    /// False when neither a kubeconfig, an in-cluster account nor a bundle can answer.
    pub kube_available: bool,
    /// `-n`, the context's namespace, or a replayed bundle's; `default` when none says.
    /// The kubeconfig context's own namespace wins over `default` once Kubernetes is connected.
    pub namespace: String,
    /// `--stack-namespace`, else the context's `stack.namespace`: where the tracing stack runs.
    /// `None`: discovered from the cluster (`investigate::discovery`).
    pub stack_namespace: Option<String>,
    pub thresholds: BTreeMap<String, f64>,
    pub runbooks_dir: Option<PathBuf>,
    pub mode: Mode,
    /// Every secret value in play, so output can be scrubbed as a last guard.
    pub secrets: Vec<String>,
    /// The config file this run looked for (it may not exist): named in the hint when nothing
    /// is configured.
    pub config_file: Option<PathBuf>,
    /// Under the recorder in a live or recording run: where a backend reached through the
    /// Kubernetes service proxy is routed (issue #17). `None` in a replay.
    pub router: Option<Arc<Routed>>,
    /// The endpoints of backends with no URL configured that discovery found and reaches through
    /// the API server, set once ([`Settings::reach_through`]).
    pub discovered: Arc<OnceLock<BTreeMap<Backend, Endpoint>>>,
}

impl Settings {
    /// Reach `found` (backend, base URL, transport) for each backend that has no URL of its own,
    /// from now on: what discovery calls when it found the stack's Services. The backends it
    /// routed, sorted; nothing in a replay (the bundle answers) or when already set.
    pub fn reach_through(&self, found: Vec<(Backend, url::Url, SharedTransport)>) -> Vec<Backend> {
        let Some(router) = &self.router else {
            return Vec::new();
        };
        let found: Vec<_> = found
            .into_iter()
            .filter(|(b, _, _)| !self.endpoints.contains_key(b))
            .collect();
        if found.is_empty() {
            return Vec::new();
        }
        let routes = found
            .iter()
            .map(|(b, base, t)| (*b, (base.clone(), t.clone())))
            .collect();
        // Requests enter above the router: through the recorder in a recording run.
        let transport: SharedTransport = match &self.mode {
            Mode::Record(r) => r.clone(),
            _ => router.clone(),
        };
        let endpoints: BTreeMap<Backend, Endpoint> = found
            .into_iter()
            .map(|(b, base, _)| {
                (
                    b,
                    Endpoint {
                        backend: b,
                        base,
                        transport: transport.clone(),
                        headers: Vec::new(),
                    },
                )
            })
            .collect();
        let routed: Vec<Backend> = endpoints.keys().copied().collect();
        if !router.route(routes) || self.discovered.set(endpoints).is_err() {
            return Vec::new();
        }
        routed
    }

    /// The Prometheus client, when Prometheus is configured (or recorded in a replayed bundle).
    pub fn prometheus(&self) -> Option<crate::backends::prometheus::PrometheusClient> {
        let mut c = crate::backends::prometheus::PrometheusClient::new(
            self.endpoint(Backend::Prometheus)?.clone(),
        );
        c.partial_response = self.partial_response;
        Some(c)
    }

    /// The backend's endpoint: its URL's, else the one discovery reaches through the API server.
    pub fn endpoint(&self, b: Backend) -> Option<&Endpoint> {
        self.endpoints
            .get(&b)
            .or_else(|| self.discovered.get()?.get(&b))
    }

    /// Whether anything can answer: a backend URL, a kubeconfig (or in-cluster account), a
    /// replayed bundle. False is the newcomer's case: exit 2 with a hint, not a report of
    /// skipped steps.
    pub fn any_backend(&self) -> bool {
        !self.endpoints.is_empty()
            || self.collector_otlp.is_some()
            || self.kube_available
            || matches!(self.mode, Mode::Replay(_))
    }

    pub fn threshold(&self, key: &str, default: f64) -> f64 {
        self.thresholds.get(key).copied().unwrap_or(default)
    }
}

/// The config file path: `--config`/`TRACECTL_CONFIG`, else `$XDG_CONFIG_HOME/tracectl/config.yaml`
/// (`~/.config` when unset).
pub fn config_path(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let base = std::env::var_os(env_vars::XDG_CONFIG_HOME)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("tracectl").join("config.yaml"))
}

/// Load the config file and pick the context. A missing default file is fine; a missing
/// explicit one is an error.
/// The config path (if any), the parsed file, and the chosen context with its name.
pub type Loaded = (Option<PathBuf>, ConfigFile, Option<(String, Context)>);

pub fn load_context(args: &GlobalArgs) -> Result<Loaded, UsageError> {
    let path = config_path(args.config.as_deref());
    let file = match &path {
        Some(p) if p.exists() => ConfigFile::load(p).map_err(|e| {
            UsageError::with_hint(
                e.to_string(),
                "fix the config file, or point --config at another one",
            )
        })?,
        Some(p) if args.config.is_some() => {
            return Err(UsageError::with_hint(
                format!("{}: config file not found", p.display()),
                "check --config / TRACECTL_CONFIG",
            ));
        }
        _ => ConfigFile::default(),
    };
    let wanted = args
        .context
        .clone()
        .or_else(|| file.current_context.clone());
    let ctx = match wanted {
        Some(name) => match file.contexts.get(&name) {
            Some(c) => Some((name, c.clone())),
            None => {
                let known: Vec<&str> = file.contexts.keys().map(String::as_str).collect();
                return Err(UsageError::with_hint(
                    format!("context {name:?} is not in the config file"),
                    format!(
                        "known contexts: {}",
                        if known.is_empty() {
                            "(none)".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            }
        },
        None => None,
    };
    Ok((path, file, ctx))
}

fn expand_home(p: &Path) -> PathBuf {
    match (p.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => p.to_path_buf(),
    }
}

fn parse_dur(flag: &str, v: &str) -> Result<Duration, UsageError> {
    clock::parse_duration(v).map_err(|e| UsageError::new(format!("{flag}: {e}")))
}
