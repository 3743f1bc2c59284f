//! [`resolve`]: the arguments, the environment and the config file's context become one
//! [`Settings`], with the run's mode (live, recording or replaying) and every backend's endpoint.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::backend::backend_options;
use super::{BackendBlock, Mode, Settings, expand_home, load_context, parse_dur, secrets};
use crate::backends::kubernetes::KubeSettings;
use crate::cli::{FailOn, GlobalArgs};
use crate::clock::{self, Clock};
use crate::env_vars;
use crate::error::{Backend, UsageError};
use crate::render::OutputFormat;
use crate::runbook::Profile;
use crate::transport::bundle::{self, Recorder, Replayer};
use crate::transport::live::{ClientOptions, LiveTransport};
use crate::transport::{Endpoint, Routed, SharedTransport};

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
