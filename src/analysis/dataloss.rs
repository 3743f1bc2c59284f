//! The data-loss runbook's reasoning: from what every stage measured to where spans are lost.
//!
//! Pure: [`analyze`] takes [`DataLossEvidence`] (plain data, `None` for a step that did not run or
//! failed) and [`DataLossParams`] and returns findings with scores in [0, 1]. Each stage has its
//! own builders: the producers (`dataloss/services.rs`: not sending, SDK drops, sampling against
//! the policy of `dataloss/policy.rs`), the Collector (`crate::analysis::collector`'s funnel,
//! `dataloss/reach.rs` for reachability, `dataloss/pods.rs` for its and Jaeger's pods), storage
//! (`dataloss/storage.rs`) and the query path (`dataloss/query.rs`), configuration
//! (`crate::analysis::collector_config`'s lint, plus the service's own ConfigMap in
//! `dataloss/services.rs`).
//!
//! Then [`explain`] makes the causal chain explicit, because the stage where spans are lost is the
//! diagnosis and its cause must outrank its symptoms:
//!
//! 1. storage refusing writes (a read-only index, write rejections, a red cluster, no index to
//!    write to) explains exporter failures, which explain a full queue, which explains refusals at
//!    the receivers: each effect is capped just below its nearest cause and says "explained by";
//!    and a refusing memory_limiter explains the receivers' refusals (and a 503 to the export);
//! 2. an unreachable Collector explains services whose spans are counted by the Collector
//!    (spanmetrics) going silent;
//! 3. a service ConfigMap that disables tracing explains that service not sending;
//! 4. a risk in the Collector's config is a risk, not the observed loss: when a measured critical
//!    loss exists elsewhere it is capped at 0.5 and at warning.
//!
//! Scores, in short: collector_unreachable 0.9–0.97; storage roots 0.85–0.96; query_mismatch
//! 0.85; service_not_sending 0.55–0.85; the funnel 0.4–0.95 (see `analysis::collector`);
//! sampling_misconfigured 0.5–0.75; config_risk as linted (0.3–0.9); network_unreachable
//! 0.4–0.8. Not here: fetching anything (`crate::investigate::dataloss`), ties
//! (`report::rank`). Tests: `dataloss/tests.rs`.

use std::collections::BTreeMap;

use crate::analysis::collector::{FunnelParams, funnel_findings};
use crate::analysis::collector_config;
use crate::analysis::resources::{ResourceEvidence, ResourceParams};
use crate::model::cluster::PodInfo;
use crate::model::collector::{CollectorRates, OtlpAck};
use crate::model::storage::{ClusterHealth, DiskUsage, IndexInfo, ThreadPoolStats};
use crate::report::{Evidence, Finding, Severity};

pub use bands::{Band, Bands};
pub use policy::{
    Expect, GUIDE_DEFAULTS, Policy, PolicySpec, ServiceRate, Tier, parse_sampling_config, sdk_rate,
    sdk_service_name,
};

/// Rates by label value (a service), and the query that gave them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    pub query: String,
    pub values: BTreeMap<String, f64>,
}

/// The span and request rates one offset earlier.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// `1h`, `1d`.
    pub offset: String,
    pub spans: Rates,
    pub requests: Option<Rates>,
}

/// Step 1: are services sending?
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceEvidence {
    pub spans: Rates,
    /// `None`: the query failed.
    pub requests: Option<Rates>,
    pub baselines: Vec<Baseline>,
    /// `None`: not available with this profile.
    pub dropped: Option<Rates>,
    /// The request rate does not come from the spans themselves (mcp, semconv).
    pub requests_independent: bool,
    /// The span rate is counted by the Collector (spanmetrics connector), so a Collector problem
    /// silences every service at once.
    pub counted_by_collector: bool,
}

/// A probe of the Collector that did not get a 2xx.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeError {
    /// Connection refused, DNS, TLS or a timeout: nothing answered.
    pub connect: bool,
    /// The HTTP status, when something answered.
    pub status: Option<u16>,
    /// One line naming the backend and the cause.
    pub message: String,
}

/// Step 2: the Collector's own metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectorEvidence {
    /// `None`: no source had otelcol_* metrics.
    pub rates: Option<CollectorRates>,
    /// The scrape of `--collector-metrics-url` (redacted URL, outcome); `None`: not configured.
    pub scrape: Option<(String, Result<(), ProbeError>)>,
}

/// Step 3: Elasticsearch/OpenSearch and Jaeger's own metrics. Each part is `None` when its call
/// failed (the step says why).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorageEvidence {
    /// The cluster's URL as remediation commands should name it.
    pub url: String,
    /// Jaeger's `es.index-prefix`, as configured for tracectl.
    pub prefix: Option<String>,
    /// The name Jaeger gives today's (UTC) span index with that prefix.
    pub today: String,
    /// Within ten minutes of 00:00 UTC: today's index may not exist yet.
    pub day_just_started: bool,
    pub health: Option<ClusterHealth>,
    /// Every index matching `*jaeger-span*`.
    pub indices: Option<Vec<IndexInfo>>,
    pub pools: Option<Vec<ThreadPoolStats>>,
    pub disk: Option<DiskUsage>,
    /// (query, spans/s) of Jaeger v1 collector's dropped and rejected spans.
    pub jaeger_dropped: Option<(String, f64)>,
}

/// The reverse loss: stored spans the query service does not find.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryPathEvidence {
    pub service: String,
    pub es_query: String,
    pub es_count: u64,
    pub jaeger_query: String,
    pub jaeger_traces: usize,
}

/// Step 4: the empty OTLP/HTTP export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEvidence {
    /// Redacted `POST <url>/v1/traces`.
    pub request: String,
    pub result: Result<OtlpAck, ProbeError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TcpTarget {
    /// A port of the Collector's OTLP receiver.
    Collector,
    /// Jaeger's collector (gRPC 14250).
    Jaeger,
}

/// Step 4: one TCP connect.
#[derive(Debug, Clone, PartialEq)]
pub struct TcpProbe {
    pub target: TcpTarget,
    /// `OTLP/gRPC`, `OTLP/HTTP`, `Jaeger collector gRPC`.
    pub what: String,
    /// `host:port`.
    pub addr: String,
    /// Milliseconds to connect, or why it failed.
    pub result: Result<u64, String>,
}

/// A config text and where it came from (`FILE`, `configmap NS/NAME key K`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigText {
    pub source: String,
    pub text: String,
}

/// Step 5: configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigEvidence {
    pub collector: Option<ConfigText>,
    /// The service's ConfigMap (`NAME-config`) and its data.
    pub service: Option<(String, BTreeMap<String, String>)>,
}

/// Step 6: the Collector's and Jaeger's pods. `None` for what could not be read.
#[derive(Debug, Clone, Default)]
pub struct PodEvidence {
    pub collector_pods: Option<Vec<PodInfo>>,
    pub jaeger_pods: Option<Vec<PodInfo>>,
    /// Working set and throttling from Prometheus, per pod.
    pub resources: Option<ResourceEvidence>,
}

#[derive(Debug, Clone, Default)]
pub struct DataLossEvidence {
    /// `--service`: only this service's producer findings.
    pub service: Option<String>,
    /// The services' namespace.
    pub namespace: String,
    /// The Collector's Deployment and namespace, and Jaeger's name.
    pub collector: String,
    pub collector_namespace: String,
    pub jaeger: String,
    /// Evaluation time and lookback, unix seconds.
    pub now: f64,
    pub lookback: f64,
    pub policy: Policy,
    pub services: Option<ServiceEvidence>,
    /// Effective sampling ratio by service.
    pub sampling: Option<Rates>,
    pub collector_metrics: Option<CollectorEvidence>,
    pub storage: Option<StorageEvidence>,
    pub query_path: Option<QueryPathEvidence>,
    pub export: Option<ExportEvidence>,
    pub network: Option<Vec<TcpProbe>>,
    pub config: Option<ConfigEvidence>,
    pub pods: Option<PodEvidence>,
}

/// Thresholds, from the runbook (`runbooks/data-loss.yaml` says what each means).
#[derive(Debug, Clone)]
pub struct DataLossParams {
    pub not_sending_ratio: f64,
    pub fewer_spans_ratio: f64,
    pub requests_held_ratio: f64,
    pub min_span_rate: f64,
    pub drop_ratio: f64,
    pub sampling_tolerance: f64,
    pub pending_tasks: f64,
    /// Also carries critical_loss_ratio, min_loss_rate, queue_fill and the Collector workload.
    pub funnel: FunnelParams,
    pub resources: ResourceParams,
}

impl Default for DataLossParams {
    fn default() -> Self {
        DataLossParams {
            not_sending_ratio: 0.1,
            fewer_spans_ratio: 0.5,
            requests_held_ratio: 0.7,
            min_span_rate: 0.1,
            drop_ratio: 0.01,
            sampling_tolerance: 0.25,
            pending_tasks: 100.0,
            funnel: FunnelParams::default(),
            resources: ResourceParams {
                throttling_ratio: 0.25,
                cpu_saturation: 0.9,
                memory_ratio: 0.9,
                network_growth: 3.0,
            },
        }
    }
}

pub fn analyze(ev: &DataLossEvidence, p: &DataLossParams) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(s) = &ev.services {
        out.extend(services::not_sending(ev, s, p));
        out.extend(services::dropped(ev, s, p));
    }
    if let Some(r) = &ev.sampling {
        out.extend(services::sampling(ev, r, p));
    }
    let funnel = ev
        .collector_metrics
        .as_ref()
        .and_then(|c| c.rates.as_ref())
        .map(|r| funnel_findings(r, &p.funnel))
        .unwrap_or_default();
    let exporter_failing = funnel.iter().any(|f| f.kind == "exporter_failures");
    out.extend(funnel);
    out.extend(reach::collector_reach(ev, p));
    if let Some(probes) = &ev.network {
        out.extend(reach::network(ev, probes));
    }
    if let Some(pods) = &ev.pods {
        out.extend(pods::pods(ev, pods, p));
    }
    if let Some(s) = &ev.storage {
        out.extend(storage::storage(ev, s, p, exporter_failing));
        if let Some(q) = &ev.query_path {
            out.extend(query::query_mismatch(q, s));
        }
    }
    if let Some(c) = &ev.config {
        if let Some(cfg) = &c.collector {
            out.extend(lint(cfg, &ev.policy));
        }
        if let Some((name, data)) = &c.service {
            out.extend(services::service_config(ev, name, data, p));
        }
    }
    explain(&mut out);
    out
}

fn lint(cfg: &ConfigText, policy: &Policy) -> Vec<Finding> {
    match collector_config::lint_text(&cfg.text, &cfg.source, &policy.sampling) {
        Ok(f) => f,
        Err(e) => vec![
            collector_config::finding(
                Severity::Warning,
                0.45,
                "collector-config",
                format!("the Collector config in {} cannot be read", cfg.source),
                "If the Collector loads this text it refuses to start; if it runs another config, \
                 this one is not what runs.",
            )
            .evidence(Evidence {
                source: "collector-config".into(),
                query: Some(cfg.source.clone()),
                value: Some(e.to_string()),
                ..Default::default()
            }),
        ],
    }
}

// --- The causal chain ------------------------------------------------------------------------

/// Storage findings that stop writes: the root of exporter failures when they are critical.
const STORAGE_ROOTS: [&str; 3] = [
    "storage_rejections",
    "storage_unhealthy",
    "storage_missing_index",
];

/// Lower each effect to just below its cause, and say so. Pure; see the module doc.
pub fn explain(out: &mut [Finding]) {
    let is_root =
        |f: &Finding| STORAGE_ROOTS.contains(&f.kind.as_str()) && f.severity == Severity::Critical;
    // 1. storage → exporter → queue → receivers: each level capped below the nearest level above
    // it that has a finding.
    let levels: [&dyn Fn(&Finding) -> bool; 4] = [
        &is_root,
        &|f: &Finding| f.kind == "exporter_failures",
        &|f: &Finding| f.kind == "queue_saturation",
        &|f: &Finding| f.kind == "receiver_refused",
    ];
    for effect in 1..levels.len() {
        let Some(cause) = (0..effect).rev().find_map(|c| strongest(out, levels[c])) else {
            continue;
        };
        cap(out, levels[effect], &cause);
    }
    // The receivers' refusals (and a 503 to the empty export) are memory_limiter's, when it
    // refuses: the limiter names the setting to change.
    if let Some(cause) = strongest(out, &|f: &Finding| {
        f.kind == "receiver_refused" && resource_starts(f, "processor/memory_limiter")
    }) {
        cap(
            out,
            &|f: &Finding| f.kind == "receiver_refused" && resource_starts(f, "receiver/"),
            &cause,
        );
    }
    // 2. An unreachable Collector silences the services it counts.
    if let Some(cause) = strongest(out, &|f: &Finding| {
        f.kind == "collector_unreachable" && f.severity == Severity::Critical
    }) {
        cap(
            out,
            &|f: &Finding| {
                f.kind == "service_not_sending" && f.detail.contains(COUNTED_BY_COLLECTOR)
            },
            &cause,
        );
    }
    // 3. A service config that disables tracing explains that service's silence.
    let disabling: Vec<Finding> = out
        .iter()
        .filter(|f| f.kind == "config_risk" && f.detail.contains(services::DISABLES_TRACING))
        .cloned()
        .collect();
    for cause in disabling {
        let svc = cause.subject.service.clone();
        cap(
            out,
            &|f: &Finding| f.kind == "service_not_sending" && f.subject.service == svc,
            &(cause.score, cause.title.clone()),
        );
    }
    // 4. Config risks of the Collector are risks: below a measured critical loss.
    let measured_critical = out
        .iter()
        .any(|f| f.severity == Severity::Critical && f.kind != "config_risk" && f.score > 0.5);
    if measured_critical {
        for f in out
            .iter_mut()
            .filter(|f| f.kind == "config_risk" && f.subject.service.is_none() && f.score > 0.5)
        {
            f.score = 0.5;
            f.severity = f.severity.min(Severity::Warning);
            f.detail.push_str(
                " This is a risk in the config; the loss measured now is in the findings above.",
            );
        }
    }
}

fn resource_starts(f: &Finding, prefix: &str) -> bool {
    f.subject
        .resource
        .as_deref()
        .is_some_and(|r| r.starts_with(prefix))
}

/// Marks a service_not_sending finding whose span rate the Collector counts.
pub(crate) const COUNTED_BY_COLLECTOR: &str = "counted by the Collector's spanmetrics connector";

/// The highest-scored finding matching `pred`: (score, title).
fn strongest(out: &[Finding], pred: &dyn Fn(&Finding) -> bool) -> Option<(f64, String)> {
    out.iter()
        .filter(|f| pred(f))
        .max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then_with(|| b.title.cmp(&a.title))
        })
        .map(|f| (f.score, f.title.clone()))
}

fn cap(out: &mut [Finding], pred: &dyn Fn(&Finding) -> bool, (score, title): &(f64, String)) {
    for f in out.iter_mut().filter(|f| pred(f)) {
        if f.score >= *score - 0.02 {
            f.score = (score - 0.02).max(0.0);
        }
        let note = format!(" Explained by: {title}.");
        if !f.detail.contains(&note) {
            f.detail.push_str(&note);
        }
    }
}

mod bands;
mod pods;
mod policy;
mod query;
mod reach;
mod services;
mod storage;
#[cfg(test)]
mod tests;
