//! `tracectl investigate data-loss`: the trace data-loss runbook, every stage measured.
//!
//! The stack is found first (`discovery`, [`super::discovery`]): the Collector's namespace and
//! the sampling policy's second place come from it. The other steps the YAML lists run concurrently, each found in [`registry`] and recorded in the
//! report: services sending (`services`), sampling against the policy (`sampling.rs`, which
//! waits for the `config` step's policy unless the context states it), the
//! Collector's funnel (`collector.rs`), storage and the query path (`storage.rs`), the OTLP
//! receiver and TCP ports (`probes.rs`), configuration and the Collector's and Jaeger's pods
//! (`config.rs`); `steps.rs` wires each to the run. Their answers become plain evidence for
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
mod sampling;
mod steps;
mod storage;

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Result;
use tokio::sync::OnceCell;

use super::StepError;
use super::ctx::unix;
use super::registry::{self, StepFn};
use crate::analysis::collector::FunnelParams;
use crate::analysis::dataloss::{
    self as analysis, CollectorEvidence, DataLossEvidence, DataLossParams, ExportEvidence, Policy,
    ProbeError, QueryPathEvidence, Rates, ServiceEvidence, StorageEvidence, TcpProbe,
};
use crate::analysis::resources::ResourceParams;
use crate::backends::kubernetes;
use crate::cli::DataLossArgs;
use crate::error::{Backend, BackendError, ErrorKind, UsageError};
use crate::investigate::sampling_policy::{CONFIG_FILE, spec_of};
use crate::promql::{Value, Vars};
use crate::report::{Report, Target};
use crate::runbook::LabelNames;
use crate::settings::{Mode, Settings};
use crate::transport::Endpoint;

/// The variables its query templates may use.
pub const VARS: &[&str] = &[
    "rate_window",
    "offset",
    "collector",
    "jaeger",
    // The services step's push-down (issue 19): both baselines' offsets and the thresholds
    // its queries compare with.
    "offset_near",
    "offset_day",
    "fewer_spans_ratio",
    "min_span_rate",
    "drop_ratio",
    // The sampling step's push-down: a band's services and its bounds.
    "services",
    "low",
    "high",
];

/// The step registry: each step id the YAML may list, and the function that gathers it.
fn registry<'a>(id: &str) -> Option<StepFn<Run<'a>>> {
    match id {
        // Run first, in `investigate`: the other steps' namespaces depend on it. Registered so
        // the YAML can list it (and place it).
        "discovery" => Some(steps::already_run),
        "services" => Some(steps::services),
        "sampling" => Some(steps::sampling),
        "collector" => Some(steps::collector),
        "storage" => Some(steps::storage),
        "query-path" => Some(steps::query_path),
        "connectivity" => Some(steps::connectivity),
        "network" => Some(steps::network),
        "config" => Some(steps::config),
        "resources" => Some(steps::resources),
        _ => None,
    }
}

/// A step's answer: unset until the step ran; `None` when it ran and found nothing usable.
type Slot<T> = OnceCell<Option<T>>;

/// One run: its context, the flags its steps read, and each step's answer.
struct Run<'a> {
    ctx: Ctx<'a>,
    args: &'a DataLossArgs,
    labels: LabelNames,
    collector_ns: String,
    /// Where the tracing stack runs (discovered or named): a second place for the sampling
    /// policy's ConfigMap when the services' namespace has none.
    stack_ns: Option<String>,
    metrics: Option<Endpoint>,
    interval: Duration,
    services: Slot<ServiceEvidence>,
    sampling: Slot<Rates>,
    collector: Slot<CollectorEvidence>,
    storage: Slot<StorageEvidence>,
    query_path: Slot<QueryPathEvidence>,
    export: Slot<ExportEvidence>,
    network: Slot<Vec<TcpProbe>>,
    config: Slot<config::ConfigOut>,
    pods: Slot<crate::analysis::dataloss::PodEvidence>,
}

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
}

pub(super) fn warn(w: Vec<String>) -> Option<String> {
    if w.is_empty() {
        None
    } else {
        Some(w.join("; "))
    }
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

/// The policy services are held to: the config step's, else the config file's `sampling:`
/// block, else the guide's defaults. The sampling step's query and the judgement both take it
/// from here, so they hold each service to the same band.
fn policy_of(settings: &Settings, found: Option<&Policy>) -> Policy {
    match (found, &settings.sampling) {
        (Some(p), _) => p.clone(),
        (None, Some(b)) => spec_of(b).apply(Policy::default(), CONFIG_FILE),
        (None, None) => Policy::default(),
    }
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

pub async fn investigate(settings: &Settings, args: &DataLossArgs) -> Result<Report> {
    let rb = registry::load(settings, "data-loss", registry, VARS)?;
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
    let mut vars = Vars::new();
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    vars.insert(
        "collector".into(),
        Value::Label(args.collector_name.clone()),
    );
    vars.insert("jaeger".into(), Value::Label(args.jaeger_name.clone()));
    let mut ctx = Ctx::open(settings, rb, vars).await;
    let labels = ctx.labels()?;
    let stack = super::discovery::step(&ctx).await;
    // Prometheus may now be reached through the API server.
    ctx.prom = ctx.prom.take().or_else(|| settings.prometheus());
    let collector_ns = args
        .collector_namespace
        .clone()
        .or_else(|| stack.namespace.clone())
        .unwrap_or_else(|| ctx.namespace.clone());
    if !kubernetes::valid_label(&collector_ns) {
        return Err(UsageError::new(format!(
            "--collector-namespace {collector_ns:?} is not a valid namespace"
        ))
        .into());
    }
    let metrics = collector::metrics_endpoint(settings);
    // Before any Collector request: a replay reads the metrics path from here.
    if let (Mode::Record(r), Some(ep)) = (&settings.mode, &metrics) {
        r.note_backend(Backend::Collector, ep.base.as_str());
    }
    let p = params(&ctx, &args.collector_name, &collector_ns);

    let run = Run {
        ctx,
        args,
        labels,
        collector_ns,
        stack_ns: stack.namespace,
        metrics,
        interval,
        services: Slot::new(),
        sampling: Slot::new(),
        collector: Slot::new(),
        storage: Slot::new(),
        query_path: Slot::new(),
        export: Slot::new(),
        network: Slot::new(),
        config: Slot::new(),
        pods: Slot::new(),
    };
    registry::run_all(&run.ctx.rb, &run, registry).await;

    let (config_ev, policy) = match run.config.into_inner().flatten() {
        Some((c, policy)) => (Some(c), policy),
        None => (None, None),
    };
    let policy = policy_of(settings, policy.as_ref());
    let evidence = DataLossEvidence {
        service: args.service.clone(),
        namespace: run.ctx.namespace.clone(),
        collector: args.collector_name.clone(),
        collector_namespace: run.collector_ns.clone(),
        jaeger: args.jaeger_name.clone(),
        now: unix(run.ctx.at),
        lookback: settings.lookback.as_secs_f64(),
        policy,
        services: run.services.into_inner().flatten(),
        sampling: run.sampling.into_inner().flatten(),
        collector_metrics: run.collector.into_inner().flatten(),
        storage: run.storage.into_inner().flatten(),
        query_path: run.query_path.into_inner().flatten(),
        export: run.export.into_inner().flatten(),
        network: run.network.into_inner().flatten(),
        config: config_ev,
        pods: run.pods.into_inner().flatten(),
    };
    let findings = analysis::analyze(&evidence, &p);
    let target = Target {
        service: args.service.clone(),
        operation: None,
    };
    Ok(run
        .ctx
        .report("investigate data-loss", target, settings.lookback, findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_runbook_validates_against_this_command() {
        let rb = crate::runbook::load("data-loss", None).unwrap();
        rb.validate_registered(&|id| registry(id).is_some(), &[], VARS, "data-loss")
            .unwrap();
        // Every registered step is in the built-in file.
        for id in [
            "discovery",
            "services",
            "sampling",
            "collector",
            "storage",
            "query-path",
            "connectivity",
            "network",
            "config",
            "resources",
        ] {
            assert!(registry(id).is_some(), "{id} is not registered");
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
}
