//! `tracectl investigate data-loss`: the trace data-loss runbook, every stage measured.
//!
//! Nine steps run concurrently, each recorded in the report: services sending (`services`),
//! sampling against the policy (`sampling`), the Collector's funnel (`collector.rs`), storage and
//! the query path (`storage.rs`), the OTLP receiver and TCP ports (`probes.rs`), configuration
//! and the Collector's and Jaeger's pods (`config.rs`). Their answers become plain evidence for
//! [`crate::analysis::dataloss::analyze`], which ranks where spans are lost. Queries come from
//! `runbooks/data-loss.yaml`, except the Collector's otelcol_* queries, which
//! [`crate::backends::collector::prometheus_queries`] builds for every Collector generation.
//!
//! Replays: the TCP probes dial the network and are not recorded, so a replay skips them; the
//! Collector's metrics URL is noted first in a recorded bundle, so a replay asks for the same
//! path; a Collector request the bundle lacks counts as not configured, because the metrics and
//! the OTLP endpoint share the `collector` backend. Tests: `tests/it/dataloss.rs`, and below.

mod collector;
mod config;
mod probes;
mod storage;

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Result;
use futures::FutureExt;
use jiff::Timestamp;

use super::{StepError, StepLog};
use crate::analysis::collector::FunnelParams;
use crate::analysis::dataloss::{
    self as analysis, Baseline, DataLossEvidence, DataLossParams, Policy, PolicySpec, ProbeError,
    Rates, ServiceEvidence,
};
use crate::analysis::resources::ResourceParams;
use crate::backends::kubernetes::{self, Kube, KubeMode};
use crate::cli::DataLossArgs;
use crate::error::{Backend, BackendError, ErrorKind, UsageError};
use crate::promql::{Value, Vars};
use crate::report::{Report, Target};
use crate::runbook::{self, Profile};
use crate::settings::{Mode, Settings, file::SamplingBlock};

/// The step ids this command can run; a runbook file may use only these.
pub const STEPS: &[&str] = &[
    "services",
    "sampling",
    "collector",
    "storage",
    "query-path",
    "connectivity",
    "network",
    "config",
    "resources",
];

/// The variables its query templates may use.
pub const VARS: &[&str] = &["rate_window", "offset", "collector", "jaeger"];

pub(super) use super::ctx::Ctx;

impl Ctx<'_> {
    /// An instant query as label value → value (finite values only), and its warnings.
    async fn by_label(
        &self,
        q: &str,
        label: &str,
    ) -> Result<(BTreeMap<String, f64>, Vec<String>), StepError> {
        let r = self.prom()?.query(q, self.at).await?;
        let values = r
            .samples()
            .into_iter()
            .filter(|s| s.value.is_finite())
            .map(|s| (s.labels.get(label).cloned().unwrap_or_default(), s.value))
            .collect();
        Ok((values, r.warnings))
    }

    fn threshold(&self, key: &str) -> f64 {
        self.settings.threshold(key, self.rb.threshold(key))
    }
}

pub(super) fn warn(w: Vec<String>) -> Option<String> {
    if w.is_empty() {
        None
    } else {
        Some(w.join("; "))
    }
}

fn unix(t: Timestamp) -> f64 {
    t.as_millisecond() as f64 / 1000.0
}

/// A backend error as a probe outcome: whether anything answered, and the status if so.
pub(super) fn probe_error(e: &BackendError) -> ProbeError {
    ProbeError {
        connect: matches!(e.kind, ErrorKind::Unreachable { .. } | ErrorKind::Timeout),
        status: match &e.kind {
            ErrorKind::Status { code, .. } | ErrorKind::Forbidden { code, .. } => Some(*code),
            _ => None,
        },
        message: e.one_line(),
    }
}

/// In a replay, a Collector request the bundle lacks: the recorded run did not make it.
pub(super) fn not_recorded(settings: &Settings, e: &BackendError) -> bool {
    matches!(settings.mode, Mode::Replay(_)) && matches!(e.kind, ErrorKind::NotRecorded { .. })
}

/// A backend's base URL as reports should name it: the recorded one in a replay.
pub(super) fn shown_url(settings: &Settings, backend: Backend) -> Option<String> {
    let ep = settings.endpoint(backend)?;
    Some(match &settings.mode {
        Mode::Replay(r) => r
            .meta
            .backends
            .get(backend.name())
            .cloned()
            .unwrap_or_else(|| ep.base.to_string()),
        _ => crate::error::redact_url(ep.base.as_str()),
    })
}

fn params(ctx: &Ctx, collector: &str, collector_ns: &str) -> DataLossParams {
    let t = |k: &str| ctx.threshold(k);
    let defaults = FunnelParams::default();
    DataLossParams {
        not_sending_ratio: t("not_sending_ratio"),
        fewer_spans_ratio: t("fewer_spans_ratio"),
        requests_held_ratio: t("requests_held_ratio"),
        min_span_rate: t("min_span_rate"),
        drop_ratio: t("drop_ratio"),
        sampling_tolerance: t("sampling_tolerance"),
        pending_tasks: t("pending_tasks"),
        funnel: FunnelParams {
            min_loss_rate: t("min_loss_rate"),
            critical_loss_ratio: t("critical_loss_ratio"),
            queue_fill: t("queue_fill"),
            workload: Some(format!("deployment/{collector}")),
            namespace: Some(collector_ns.to_string()),
            ..defaults
        },
        resources: ResourceParams {
            throttling_ratio: t("throttling_ratio"),
            memory_ratio: t("memory_ratio"),
            // Not checked by this runbook: its steps do not query CPU usage or the network.
            cpu_saturation: f64::INFINITY,
            network_growth: f64::INFINITY,
        },
    }
}

/// The config file's `sampling:` block as a policy source.
pub(super) fn spec_of(b: &SamplingBlock) -> PolicySpec {
    PolicySpec {
        default_rate: b.default_rate,
        critical_services: b.critical_services.clone(),
        critical_rate: b.critical_rate,
        high_volume_services: b.high_volume_services.clone(),
        high_volume_rate: b.high_volume_rate,
        adaptive: b.adaptive,
        adaptive_min: b.adaptive_min,
        adaptive_max: b.adaptive_max,
    }
}

pub async fn investigate(settings: &Settings, args: &DataLossArgs) -> Result<Report> {
    let rb = runbook::load("data-loss", settings.runbooks_dir.as_deref())?;
    rb.validate(STEPS, VARS, "data-loss runbook")?;
    let interval = crate::clock::parse_duration(&args.scrape_interval)
        .map_err(|e| UsageError::new(format!("--scrape-interval: {e}")))?;
    if interval > Duration::from_secs(300) {
        return Err(UsageError::new("--scrape-interval must be at most 5m").into());
    }
    for (flag, name) in [
        ("--collector-name", &args.collector_name),
        ("--jaeger-name", &args.jaeger_name),
    ] {
        if !kubernetes::valid_label(name) {
            return Err(UsageError::with_hint(
                format!("{flag} {name:?} is not a valid Kubernetes name"),
                "lowercase letters, digits and '-'",
            )
            .into());
        }
    }
    if let Some(p) = &args.es_index_prefix
        && !crate::backends::elasticsearch::valid_index_name(p)
    {
        return Err(UsageError::new(format!(
            "--es-index-prefix {p:?} is not a valid index name prefix"
        ))
        .into());
    }
    let labels = rb.labels(settings.profile).cloned().ok_or_else(|| {
        UsageError::new(format!(
            "data-loss runbook: no labels for profile {}",
            settings.profile.name()
        ))
    })?;
    let at = settings.clock.now();
    let mut vars = Vars::new();
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    vars.insert(
        "collector".into(),
        Value::Label(args.collector_name.clone()),
    );
    vars.insert("jaeger".into(), Value::Label(args.jaeger_name.clone()));
    let ctx = Ctx {
        settings,
        rb,
        prom: settings.prometheus(),
        vars,
        at,
    };
    let log = StepLog::new(settings.progress, settings.command_timeout);

    // Connecting reads the kubeconfig only: it settles the namespaces first.
    let kube = connect_kube(settings).await;
    let namespace = match &kube {
        Ok(k) if settings.kubernetes.namespace.is_none() => k.default_namespace().to_string(),
        _ => settings.namespace.clone(),
    };
    let collector_ns = args
        .collector_namespace
        .clone()
        .unwrap_or_else(|| namespace.clone());
    if !kubernetes::valid_label(&collector_ns) {
        return Err(UsageError::new(format!(
            "--collector-namespace {collector_ns:?} is not a valid namespace"
        ))
        .into());
    }
    let metrics = collector::metrics_endpoint(settings);
    if let Mode::Record(r) = &settings.mode {
        if kube.is_ok() {
            r.note_namespace(&namespace);
        }
        // Before any Collector request: a replay reads the metrics path from here.
        if let Some(ep) = &metrics {
            r.note_backend(Backend::Collector, ep.base.as_str());
        }
    }
    let p = params(&ctx, &args.collector_name, &collector_ns);
    let ctx = &ctx;
    let kube = &kube;

    // 1. Services: span and request rates now and at the baselines, and SDK drops.
    let services = {
        let mut offsets = vec![settings.lookback];
        let day = Duration::from_secs(86_400);
        if settings.lookback != day {
            offsets.push(day);
        }
        let names = ["spans", "requests", "dropped"];
        let mut queries: Vec<(String, Option<Duration>, Result<String, StepError>)> = names
            .iter()
            .map(|n| (n.to_string(), None, ctx.query("services", n, &[])))
            .collect();
        for off in &offsets {
            for n in ["spans_baseline", "requests_baseline"] {
                let q = ctx.query("services", n, &[("offset", Value::Duration(*off))]);
                queries.push((n.to_string(), Some(*off), q));
            }
        }
        let shown: Vec<String> = queries
            .iter()
            .filter(|(n, _, _)| n != "dropped" || settings.profile == Profile::Mcp)
            .filter_map(|(_, _, q)| q.as_ref().ok().cloned())
            .collect();
        let label = labels.service.clone();
        log.run(
            0,
            "services",
            ctx.title("services"),
            shown,
            services_step(ctx, queries, label),
        )
    }
    .shared();

    // 2. Sampling ratios (mcp only).
    let sampling = {
        let q = ctx.query("sampling", "sampled_ratio", &[]);
        log.run(
            1,
            "sampling",
            ctx.title("sampling"),
            q.iter().cloned().collect(),
            async move {
                if settings.profile != Profile::Mcp {
                    return Err(StepError::Skipped(format!(
                        "only the mcp profile counts sampled spans (mcp_spans_sampled_total); \
                         profile {} has no such counter",
                        settings.profile.name()
                    )));
                }
                let q = q?;
                let (values, w) = ctx.by_label(&q, "service_name").await?;
                Ok((Rates { query: q, values }, warn(w)))
            },
        )
    };

    let collector_step = collector::run(ctx, &log, metrics, interval);
    let storage_step = storage::run(ctx, &log, args);
    let query_path = storage::query_path(ctx, &log, args, services.clone());
    let connectivity = probes::export(ctx, &log);
    let network = probes::network(ctx, &log, args);
    let config_step = config::run(ctx, &log, args, kube, &namespace, &collector_ns);
    let resources = config::resources(ctx, &log, args, kube, &collector_ns);

    let (services, sampling, collector_ev, storage_ev, query_ev, export, network, config_out, pods) = futures::join!(
        services,
        sampling,
        collector_step,
        storage_step,
        query_path,
        connectivity,
        network,
        config_step,
        resources
    );

    let (config_ev, policy) = match config_out {
        Some((c, policy)) => (Some(c), policy),
        None => (None, None),
    };
    let policy = policy.unwrap_or_else(|| match &settings.sampling {
        Some(b) => spec_of(b).apply(Policy::default(), "the config file's sampling: block"),
        None => Policy::default(),
    });
    let evidence = DataLossEvidence {
        service: args.service.clone(),
        namespace: namespace.clone(),
        collector: args.collector_name.clone(),
        collector_namespace: collector_ns.clone(),
        jaeger: args.jaeger_name.clone(),
        now: unix(at),
        lookback: settings.lookback.as_secs_f64(),
        policy,
        services,
        sampling,
        collector_metrics: collector_ev,
        storage: storage_ev,
        query_path: query_ev,
        export,
        network,
        config: config_ev,
        pods,
    };
    let findings = analysis::analyze(&evidence, &p);
    let mut report = Report::new(
        "investigate data-loss",
        Target {
            service: args.service.clone(),
            operation: None,
        },
        at.to_string(),
        crate::clock::format_duration(settings.lookback),
    );
    report.steps = log.into_steps();
    report.finish(findings);
    Ok(report)
}

/// Step 1: one query per rate, each baseline at each offset; only the current span rate is
/// required, the rest degrade the step to a warning.
async fn services_step(
    ctx: &Ctx<'_>,
    queries: Vec<(String, Option<Duration>, Result<String, StepError>)>,
    label: String,
) -> Result<(ServiceEvidence, Option<String>), StepError> {
    let profile = ctx.settings.profile;
    let run = |(name, off, q): (String, Option<Duration>, Result<String, StepError>)| {
        let label = label.clone();
        async move {
            if name == "dropped" && profile != Profile::Mcp {
                return (name, off, None);
            }
            let r = match q {
                Ok(q) => {
                    // mcp_spans_dropped_total is labelled like every mcp series.
                    let by = if name == "dropped" {
                        "service_name"
                    } else {
                        &label
                    };
                    ctx.by_label(&q, by)
                        .await
                        .map(|(values, w)| (Rates { query: q, values }, w))
                }
                Err(e) => Err(e),
            };
            (name, off, Some(r))
        }
    };
    let results = futures::future::join_all(queries.into_iter().map(run)).await;
    let mut ev = ServiceEvidence {
        requests_independent: profile != Profile::Spanmetrics,
        counted_by_collector: profile != Profile::Mcp,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut baselines: BTreeMap<Duration, Baseline> = BTreeMap::new();
    let mut spans = None;
    for (name, off, r) in results {
        let Some(r) = r else { continue };
        let r = match r {
            Ok((rates, w)) => {
                warnings.extend(w.into_iter().map(|w| format!("partial data: {w}")));
                rates
            }
            Err(e) if name == "spans" => return Err(e),
            Err(StepError::Failed(e) | StepError::Skipped(e)) => {
                warnings.push(format!("{name}: {e}"));
                continue;
            }
        };
        let offset = off.map(|d| {
            baselines.entry(d).or_insert_with(|| Baseline {
                offset: crate::clock::format_duration(d),
                ..Default::default()
            })
        });
        match (name.as_str(), offset) {
            ("spans", _) => spans = Some(r),
            ("requests", _) => ev.requests = Some(r),
            ("dropped", _) => ev.dropped = Some(r),
            ("spans_baseline", Some(b)) => b.spans = r,
            ("requests_baseline", Some(b)) => b.requests = Some(r),
            _ => {}
        }
    }
    ev.spans = spans.ok_or_else(|| StepError::Failed("no span rate query ran".into()))?;
    ev.baselines = baselines.into_values().collect();
    warnings.dedup();
    Ok((ev, warn(warnings)))
}

async fn connect_kube(settings: &Settings) -> Result<Kube, StepError> {
    if !settings.kube_available {
        return Err(StepError::Skipped(
            "kubernetes not configured (--kubeconfig)".into(),
        ));
    }
    let mode = match &settings.mode {
        Mode::Live => KubeMode::Live,
        Mode::Record(r) => KubeMode::Record(r.clone()),
        Mode::Replay(r) => KubeMode::Replay(r.clone()),
    };
    kubernetes::connect(&settings.kubernetes, mode)
        .await
        .map_err(StepError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_runbook_validates_against_this_command() {
        let rb = runbook::load("data-loss", None).unwrap();
        rb.validate(STEPS, VARS, "data-loss").unwrap();
        for id in STEPS {
            assert!(rb.step(id).is_some(), "runbook lacks step {id}");
        }
        for kind in [
            "service_not_sending",
            "spans_dropped",
            "sampling_misconfigured",
            "receiver_refused",
            "processor_drops",
            "exporter_failures",
            "queue_saturation",
            "collector_unreachable",
            "collector_restarts",
            "storage_unhealthy",
            "storage_rejections",
            "storage_missing_index",
            "config_risk",
            "network_unreachable",
            "query_mismatch",
        ] {
            assert!(
                rb.findings.contains_key(kind),
                "runbook documents no {kind}"
            );
        }
        for t in [
            "not_sending_ratio",
            "min_loss_rate",
            "queue_fill",
            "sampling_tolerance",
            "query_trace_limit",
        ] {
            assert!(rb.threshold(t).is_finite(), "{t}");
        }
    }

    #[test]
    fn probe_errors_tell_connect_failures_from_answers() {
        let e = BackendError::new(
            Backend::Collector,
            "http://c:4318/v1/traces",
            ErrorKind::Unreachable {
                reason: "connection refused".into(),
            },
        );
        let p = probe_error(&e);
        assert!(p.connect);
        assert_eq!(p.status, None);
        let e = BackendError::new(
            Backend::Collector,
            "http://c:4318/v1/traces",
            ErrorKind::Status {
                code: 503,
                message: "data refused".into(),
            },
        );
        let p = probe_error(&e);
        assert!(!p.connect);
        assert_eq!(p.status, Some(503));
        assert!(p.message.contains("503"), "{}", p.message);
    }

    #[test]
    fn the_config_file_policy_maps_every_key() {
        let b = SamplingBlock {
            default_rate: Some(0.2),
            critical_services: vec!["payment".into()],
            critical_rate: Some(0.9),
            high_volume_services: vec!["ads".into()],
            high_volume_rate: Some(0.02),
            adaptive: Some(false),
            adaptive_min: Some(0.01),
            adaptive_max: Some(0.4),
        };
        let p = spec_of(&b).apply(Policy::default(), "file");
        assert_eq!(p.sampling.default_rate, 0.2);
        assert_eq!(p.sampling.critical_rate, 0.9);
        assert_eq!(p.sampling.high_volume_rate, 0.02);
        assert_eq!(p.sampling.adaptive_min, 0.01);
        assert_eq!(p.sampling.adaptive_max, 0.4);
        assert!(!p.adaptive);
        assert_eq!(p.source, "file");
    }
}
