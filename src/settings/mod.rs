//! Raw flags, environment and config file become one resolved [`Settings`], here and only here.
//!
//! Precedence, per value: flag > environment variable > config-file context > default (clap reads
//! the environment for the flags that have one, so `GlobalArgs` already holds flag-or-env).
//! Credentials come only from the environment (`TRACECTL_<BACKEND>_TOKEN`, ...) or the config
//! file (inline or `*_file`). Not here: what the commands do with it. Tests: below and
//! `tests/it/config.rs`.

mod clients;
pub mod file;
pub mod secrets;

use std::collections::{BTreeMap, HashMap};
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
use crate::transport::bundle::{self, Recorder, Replayer};
use crate::transport::live::{Auth, ClientOptions, LiveTransport, Secret};
use crate::transport::{Endpoint, Routed, SharedTransport};

pub use file::{BackendBlock, ConfigFile, Context};

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

fn read_secret_file(backend: Backend, key: &str, path: &Path) -> Result<Secret, UsageError> {
    let text = std::fs::read_to_string(expand_home(path)).map_err(|e| {
        UsageError::with_hint(
            format!("{backend}.{key}: cannot read {}: {e}", path.display()),
            "check the path and its permissions",
        )
    })?;
    Ok(Secret::new(text.trim_end_matches(['\n', '\r'])))
}

fn read_file(backend: Backend, key: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    std::fs::read(expand_home(path)).map_err(|e| {
        UsageError::with_hint(
            format!("{backend}.{key}: cannot read {}: {e}", path.display()),
            "check the path and its permissions",
        )
    })
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

/// A backend's URL, client options and extra headers.
type ResolvedBackend = (url::Url, ClientOptions, Vec<(String, String)>);

/// Resolve one backend's URL and client options from flag/env and the context block.
fn backend_options(
    backend: Backend,
    flag_url: Option<&str>,
    block: Option<&BackendBlock>,
    timeout: Duration,
    secrets: &mut Vec<String>,
) -> Result<Option<ResolvedBackend>, UsageError> {
    let empty = BackendBlock::default();
    let block = block.unwrap_or(&empty);
    let block_url = match backend {
        Backend::Collector => block.metrics_url.as_ref().or(block.url.as_ref()),
        _ => block.url.as_ref(),
    };
    let Some(raw) = flag_url.map(str::to_string).or_else(|| block_url.cloned()) else {
        return Ok(None);
    };
    let url = url::Url::parse(&raw).map_err(|e| {
        UsageError::with_hint(
            format!(
                "{backend}: invalid URL {:?}: {e}",
                crate::error::redact_url(&raw)
            ),
            format!(
                "pass a full URL such as http://{}:PORT to {}",
                backend.name(),
                backend.flag()
            ),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UsageError::new(format!(
            "{backend}: URL scheme must be http or https"
        )));
    }
    let env_token = std::env::var(env_vars::credential(backend.name(), "TOKEN")).ok();
    let env_user = std::env::var(env_vars::credential(backend.name(), "USERNAME")).ok();
    let env_pass = std::env::var(env_vars::credential(backend.name(), "PASSWORD")).ok();
    let token = match (env_token, &block.token, &block.token_file) {
        (Some(t), _, _) => Some(Secret::new(t)),
        (None, Some(t), _) => Some(Secret::new(t.clone())),
        (None, None, Some(f)) => Some(read_secret_file(backend, "token_file", f)?),
        _ => None,
    };
    let username = env_user.or_else(|| block.username.clone());
    let password = match (env_pass, &block.password, &block.password_file) {
        (Some(p), _, _) => Some(Secret::new(p)),
        (None, Some(p), _) => Some(Secret::new(p.clone())),
        (None, None, Some(f)) => Some(read_secret_file(backend, "password_file", f)?),
        _ => None,
    };
    let auth = match (token, username, password) {
        (Some(t), _, _) => Auth::Bearer(t),
        (None, Some(u), Some(p)) => Auth::Basic {
            username: u,
            password: p,
        },
        (None, Some(u), None) => {
            return Err(UsageError::with_hint(
                format!("{backend}: username {u:?} has no password"),
                format!(
                    "set {} or password_file in the context",
                    env_vars::credential(backend.name(), "PASSWORD")
                ),
            ));
        }
        _ => Auth::None,
    };
    match &auth {
        Auth::Bearer(t) => secrets.push(t.expose().to_string()),
        Auth::Basic { username, password } => {
            secrets.push(password.expose().to_string());
            // What a server echoing the Authorization header would show.
            secrets.push(secrets::basic_credential(username, password.expose()));
        }
        Auth::None => {}
    }
    if let Some(p) = url.password() {
        secrets.push(p.to_string());
        secrets.push(secrets::basic_credential(url.username(), p));
    }
    let identity_pem = match (&block.cert_file, &block.key_file) {
        (Some(c), Some(k)) => {
            let mut pem = read_file(backend, "cert_file", c)?;
            pem.push(b'\n');
            pem.extend(read_file(backend, "key_file", k)?);
            Some(pem)
        }
        (None, None) => None,
        _ => {
            return Err(UsageError::new(format!(
                "{backend}: cert_file and key_file go together (mTLS needs both)"
            )));
        }
    };
    let opts = ClientOptions {
        auth,
        ca_pem: block
            .ca_file
            .as_ref()
            .map(|f| read_file(backend, "ca_file", f))
            .transpose()?,
        identity_pem,
        insecure_skip_verify: block.insecure_skip_verify,
        timeout: match &block.timeout {
            Some(t) => parse_dur(&format!("{backend}.timeout"), t)?,
            None => timeout,
        },
        max_body_bytes: block
            .max_body_bytes
            .unwrap_or(ClientOptions::default().max_body_bytes),
        retries: 2,
    };
    let headers = block
        .tenant
        .iter()
        .map(|t| ("X-Scope-OrgID".to_string(), t.clone()))
        .collect();
    Ok(Some((url, opts, headers)))
}

pub struct Interactive {
    pub stdout_tty: bool,
    pub stderr_tty: bool,
}

/// Everything a command needs, resolved from the arguments, the environment and the config file.
pub fn resolve(
    args: &GlobalArgs,
    argv: &[String],
    term: &Interactive,
) -> Result<Settings, UsageError> {
    let (config_file, _, ctx) = load_context(args)?;
    let ctx = ctx.map(|(_, c)| c).unwrap_or_default();

    let timeout = parse_dur("--timeout", args.timeout.as_deref().unwrap_or("10s"))?;
    let command_timeout = parse_dur(
        "--command-timeout",
        args.command_timeout.as_deref().unwrap_or("60s"),
    )?;
    let lookback = parse_dur("--lookback", args.lookback.as_deref().unwrap_or("1h"))?;
    let rate_window = parse_dur("--rate-window", args.rate_window.as_deref().unwrap_or("5m"))?;
    // A zero budget fails every request as "timed out" and exited 3 as if the backends were
    // down: it is the flag that is wrong, so it is a usage error (issue 20).
    for (flag, d) in [
        ("--timeout", timeout),
        ("--command-timeout", command_timeout),
    ] {
        if d.is_zero() {
            return Err(UsageError::with_hint(
                format!("{flag} must be more than 0s: with 0s every request would time out"),
                "give a duration such as 500ms, 10s or 1m",
            ));
        }
    }
    if rate_window < Duration::from_secs(1) || lookback < Duration::from_secs(1) {
        return Err(UsageError::new(
            "--lookback and --rate-window must be at least 1s",
        ));
    }
    let profile = match (args.profile, &ctx.profile) {
        (Some(p), _) => p,
        (None, Some(name)) => <Profile as clap::ValueEnum>::from_str(name, true).map_err(|_| {
            UsageError::with_hint(
                format!("config: unknown profile {name:?}"),
                "use mcp, spanmetrics or semconv",
            )
        })?,
        (None, None) => Profile::Mcp,
    };

    let replayer = match &args.replay {
        Some(dir) => Some(Arc::new(Replayer::open(dir).map_err(|e| {
            UsageError::with_hint(
                e.to_string(),
                "--replay takes a directory written by --record",
            )
        })?)),
        None => None,
    };
    let clock = match (&args.at, &replayer) {
        (Some(at), _) => {
            Clock::fixed(clock::parse_at(at).map_err(|e| UsageError::new(format!("--at: {e}")))?)
        }
        (None, Some(r)) => Clock::fixed(r.meta.at),
        (None, None) => Clock::system(),
    };

    let mut secrets = Vec::new();
    let flag_urls: [(Backend, Option<&str>, Option<&BackendBlock>); 7] = [
        (
            Backend::Prometheus,
            args.prometheus_url.as_deref(),
            ctx.prometheus.as_ref(),
        ),
        (
            Backend::Jaeger,
            args.jaeger_url.as_deref(),
            ctx.jaeger.as_ref(),
        ),
        (
            Backend::Tempo,
            args.tempo_url.as_deref(),
            ctx.tempo.as_ref(),
        ),
        (
            Backend::Elasticsearch,
            args.elasticsearch_url.as_deref(),
            ctx.elasticsearch.as_ref(),
        ),
        (
            Backend::Grafana,
            args.grafana_url.as_deref(),
            ctx.grafana.as_ref(),
        ),
        (
            Backend::Alertmanager,
            args.alertmanager_url.as_deref(),
            ctx.alertmanager.as_ref(),
        ),
        (
            Backend::Collector,
            args.collector_metrics_url.as_deref(),
            ctx.collector.as_ref(),
        ),
    ];
    let mut resolved = Vec::new();
    for (backend, flag, block) in flag_urls {
        if let Some(r) = backend_options(backend, flag, block, timeout, &mut secrets)? {
            resolved.push((backend, r));
        }
    }

    let otlp_raw = args
        .collector_otlp_url
        .as_deref()
        .or(ctx.collector.as_ref().and_then(|c| c.otlp_url.as_deref()));
    let otlp_resolved = match otlp_raw {
        Some(raw) => backend_options(
            Backend::Collector,
            Some(raw),
            ctx.collector.as_ref(),
            timeout,
            &mut secrets,
        )?,
        None => None,
    };
    let mut collector_otlp = None;

    let kube_block = ctx.kubernetes.clone().unwrap_or_default();
    let mut kubernetes = KubeSettings {
        kubeconfig: args
            .kubeconfig
            .clone()
            .or(kube_block.kubeconfig.map(|p| expand_home(&p))),
        context: args.kube_context.clone().or(kube_block.context),
        namespace: args.namespace.clone().or(kube_block.namespace),
        timeout,
        max_body_bytes: kube_block.max_body_bytes,
    };
    // kube-rs sends the kubeconfig's credentials for us: they are secrets all the same.
    secrets.extend(secrets::kubeconfig_secrets(
        kubernetes.kubeconfig.as_deref(),
    ));
    let kube_available;
    let mut router = None;

    let (mode, endpoints) = match replayer {
        Some(rep) => {
            // In a replay every backend the bundle holds answers, wherever it was recorded.
            let transport: SharedTransport = rep.clone();
            let endpoints = rep
                .backends()
                .into_iter()
                .filter(|b| *b != Backend::Kubernetes)
                .map(|b| {
                    let headers = resolved
                        .iter()
                        .find(|(rb, _)| *rb == b)
                        .map(|(_, (_, _, h))| h.clone())
                        .unwrap_or_default();
                    (
                        b,
                        Endpoint {
                            backend: b,
                            base: replay_base(&rep.meta, b),
                            transport: transport.clone(),
                            headers,
                        },
                    )
                })
                .collect();
            kube_available = rep.backends().contains(&Backend::Kubernetes);
            if otlp_resolved.is_some() || rep.backends().contains(&Backend::Collector) {
                collector_otlp = Some(Endpoint {
                    backend: Backend::Collector,
                    base: bundle::placeholder_base(Backend::Collector),
                    transport: transport.clone(),
                    headers: Vec::new(),
                });
            }
            if kubernetes.namespace.is_none() {
                kubernetes.namespace = rep.meta.namespace.clone();
            }
            (Mode::Replay(rep), endpoints)
        }
        None => {
            let mut options: HashMap<Backend, ClientOptions> = resolved
                .iter()
                .map(|(b, (_, o, _))| (*b, o.clone()))
                .collect();
            if let Some((_, o, _)) = &otlp_resolved {
                options.entry(Backend::Collector).or_insert(o.clone());
            }
            let routed = Arc::new(Routed::new(Arc::new(
                LiveTransport::new(options).map_err(UsageError::new)?,
            )));
            router = Some(routed.clone());
            let live: SharedTransport = routed;
            let (mode, transport): (Mode, SharedTransport) = match &args.record {
                Some(dir) => {
                    let meta = bundle::Meta {
                        schema: bundle::SCHEMA.into(),
                        at: clock.now(),
                        tracectl_version: env!("CARGO_PKG_VERSION").into(),
                        command: argv.to_vec(),
                        backends: BTreeMap::new(),
                        namespace: None,
                        sensitive_values: None,
                    };
                    let rec = Arc::new(
                        Recorder::create(live, dir, meta, secrets.clone()).map_err(|e| {
                            UsageError::new(format!(
                                "--record {}: cannot write the bundle: {e}",
                                dir.display()
                            ))
                        })?,
                    );
                    (Mode::Record(rec.clone()), rec as SharedTransport)
                }
                None => (Mode::Live, live),
            };
            collector_otlp = otlp_resolved.map(|(url, _, headers)| Endpoint {
                backend: Backend::Collector,
                base: url,
                transport: transport.clone(),
                headers,
            });
            let endpoints = resolved
                .into_iter()
                .map(|(b, (url, _, headers))| {
                    (
                        b,
                        Endpoint {
                            backend: b,
                            base: url,
                            transport: transport.clone(),
                            headers,
                        },
                    )
                })
                .collect();
            kube_available = kubernetes.kubeconfig.is_some()
                || std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
                || std::env::var_os("HOME")
                    .is_some_and(|h| PathBuf::from(h).join(".kube/config").exists());
            (mode, endpoints)
        }
    };

    let stack_namespace = args
        .stack_namespace
        .clone()
        .or_else(|| ctx.stack.as_ref().and_then(|s| s.namespace.clone()));
    if let Some(ns) = &stack_namespace
        && !crate::model::cluster::valid_label(ns)
    {
        return Err(UsageError::with_hint(
            format!("--stack-namespace {ns:?} is not a valid namespace"),
            "lowercase letters, digits and '-', at most 63 (the flag, or the context's stack.namespace)",
        ));
    }

    let no_color = std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty());
    Ok(Settings {
        clock,
        lookback,
        rate_window,
        timeout,
        command_timeout,
        profile,
        output: args.output.unwrap_or(OutputFormat::Table),
        fail_on: args.fail_on.unwrap_or(FailOn::Never),
        color: crate::render::color_enabled(args.color, term.stdout_tty, no_color),
        progress: term.stderr_tty && !args.quiet,
        endpoints,
        trace_store: args.trace_store,
        jaeger_api: Arc::default(),
        partial_response: ctx.prometheus.as_ref().and_then(|p| p.partial_response),
        collector_otlp,
        sampling: ctx.sampling.clone(),
        namespace: kubernetes
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        stack_namespace,
        kubernetes,
        kube_available,
        thresholds: ctx.thresholds.clone(),
        runbooks_dir: args.runbooks.clone().or(ctx.runbooks.clone()),
        mode,
        secrets,
        config_file,
        router,
        discovered: Arc::default(),
    })
}

/// A replayed backend's base: the placeholder, with the service proxy's path when the recorded
/// run reached it that way, so its clients send the same GETs the recording holds
/// (`Endpoint::through_service_proxy`). The bundle's keys are relative paths: nothing else moves.
fn replay_base(meta: &bundle::Meta, b: Backend) -> url::Url {
    let base = bundle::placeholder_base(b);
    meta.backends
        .get(b.name())
        .and_then(|u| url::Url::parse(u).ok())
        .filter(|u| crate::transport::is_service_proxy_path(u.path()))
        .and_then(|u| base.join(&format!("{}/", u.path().trim_matches('/'))).ok())
        .unwrap_or(base)
}
