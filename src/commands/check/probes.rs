//! The I/O of each check: ask one backend (or two), hand the answer to the pure judgement
//! (`components.rs`, `pipeline.rs`, `pods.rs`, `monitor.rs`), and turn every failure into an
//! [`Outcome`] — a check never aborts the run. Each check's requests are also listed for the
//! report's step (`shown_queries`), so a human can run them by hand. Tests: `tests/it/check.rs`.

use std::collections::{BTreeMap, BTreeSet};

use crate::backends::alertmanager::{AlertQuery, AlertmanagerClient};
use crate::backends::collector::CollectorClient;
use crate::backends::elasticsearch::ElasticsearchClient;
use crate::backends::grafana::GrafanaClient;
use crate::backends::kubernetes::{self, KubeMode};
use crate::backends::prometheus::PrometheusClient;
use crate::commands::investigate::alerts::{AlertRules, Route};
use crate::error::{Backend, BackendError, ErrorKind};
use crate::settings::Mode;
use crate::transport::Endpoint;

use super::monitor::{self, JaegerMetrics, MonitorEvidence};
use super::pipeline::{self, DropEvidence, ExporterEvidence, Params};
use super::{Ctx, Kind, Outcome, alerting, components, from_error, pods};

const READY: &str = "GET /-/ready";
const SERVICES: &str = "GET /api/services";
const OTLP: &str = "POST /v1/traces {\"resourceSpans\":[]}";
const SCRAPE: &str = "GET <collector-metrics-url>";
const ES_HEALTH: &str = "GET /_cluster/health";
const GRAFANA_HEALTH: &str = "GET /api/health";
const AM_STATUS: &str = "GET /api/v2/status";
const AM_ALERTS: &str = "GET /api/v2/alerts?active=true&silenced=false&inhibited=false";

/// What a check's step shows it asked.
pub(super) fn shown_queries(ctx: &Ctx<'_>, id: &str) -> Vec<String> {
    let q = |step: &str, names: &[&str]| -> Vec<String> {
        names
            .iter()
            .filter_map(|n| ctx.query(step, n).ok())
            .collect()
    };
    match id {
        "prometheus-ready" => vec![READY.into()],
        "jaeger-query" => vec![SERVICES.into()],
        "collector-otlp" => vec![OTLP.into()],
        "collector-metrics" => vec![SCRAPE.into()],
        "span-drop-rate" => q(id, &["accepted", "refused", "dropped", "enqueue_failed"]),
        "exporter-failure-rate" => q(id, &["failed", "sent"]),
        "span-latency" => q(id, &["p95"]),
        "elasticsearch-health" => vec![ES_HEALTH.into()],
        "grafana-health" => vec![GRAFANA_HEALTH.into()],
        "alertmanager-status" => vec![AM_STATUS.into(), AM_ALERTS.into()],
        "tracing-pods" => vec![match ctx.namespace() {
            Some(ns) => format!("kubectl get pods -n {ns}"),
            None => "kubectl get pods".to_string(),
        }],
        "jaeger-monitor" => {
            let mut v = vec![SERVICES.to_string()];
            v.extend(q(id, &["calls", "duration"]));
            v.push("GET /api/metrics/calls?service=…&spanKind=server".into());
            v
        }
        _ => Vec::new(),
    }
}

/// Run one check.
pub(super) async fn run(ctx: &Ctx<'_>, id: &str) -> Outcome {
    match id {
        "prometheus-ready" => prometheus_ready(ctx).await,
        "jaeger-query" => jaeger_query(ctx).await,
        "collector-otlp" => collector_otlp(ctx).await,
        "collector-metrics" => collector_metrics(ctx).await,
        "span-drop-rate" => span_drop_rate(ctx).await,
        "exporter-failure-rate" => exporter_failure_rate(ctx).await,
        "span-latency" => span_latency(ctx).await,
        "elasticsearch-health" => elasticsearch(ctx).await,
        "grafana-health" => grafana(ctx).await,
        "alertmanager-status" => alertmanager(ctx).await,
        "tracing-pods" => tracing_pods(ctx).await,
        "jaeger-monitor" => jaeger_monitor(ctx).await,
        other => Outcome::failed(Vec::new(), format!("no check named {other}")),
    }
}

fn at(ctx: &Ctx<'_>) -> String {
    ctx.at.to_string()
}

fn endpoint(ctx: &Ctx<'_>, b: Backend) -> Result<Endpoint, BackendError> {
    ctx.settings
        .endpoint(b)
        .cloned()
        .ok_or_else(|| BackendError::not_configured(b))
}

fn prometheus(ctx: &Ctx<'_>) -> Result<PrometheusClient, BackendError> {
    let mut c = PrometheusClient::new(endpoint(ctx, Backend::Prometheus)?);
    c.partial_response = ctx.settings.partial_response;
    Ok(c)
}

/// A Prometheus failure in a check that reads through it: Prometheus is what is down, unless
/// it refused the query itself (`bad_data`, `execution`: a runbook override's typo, or series
/// that clash), which fails the step without blaming Prometheus.
fn prom_error(ctx: &Ctx<'_>, e: &BackendError, query: &str) -> Outcome {
    if let ErrorKind::Api { error_type, .. } = &e.kind
        && matches!(
            error_type.as_str(),
            "bad_data" | "execution" | "not_acceptable"
        )
    {
        return Outcome::failed(Vec::new(), format!("{}; hint: {}", e.one_line(), e.hint()));
    }
    from_error(
        &ctx.component(Kind::Prometheus),
        e,
        &format!("GET /api/v1/query {query}"),
        &at(ctx),
    )
}

async fn prometheus_ready(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Prometheus);
    match prometheus(ctx) {
        Ok(p) => match p.ready().await {
            Ok(()) => Outcome::ok(Vec::new()),
            Err(e) => from_error(&c, &e, READY, &at(ctx)),
        },
        Err(e) => from_error(&c, &e, READY, &at(ctx)),
    }
}

async fn jaeger_query(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::JaegerQuery);
    let result = match ctx.settings.jaeger() {
        Ok(jaeger) => jaeger.services().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(services) => components::jaeger_services(&c, &services, SERVICES, &at(ctx)),
        Err(e) => from_error(&c, &e, SERVICES, &at(ctx)),
    }
}

async fn collector_otlp(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::CollectorOtlp);
    let client = CollectorClient::new(None, ctx.settings.collector_otlp.clone());
    match client.otlp_export_empty().await {
        Ok(ack) => components::otlp(&c, &ack, OTLP, &at(ctx)),
        Err(e) => from_error(&c, &e, OTLP, &at(ctx)),
    }
}

async fn collector_metrics(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::CollectorMetrics);
    let metrics = ctx.settings.endpoint(Backend::Collector).cloned();
    match CollectorClient::new(metrics, None).scrape().await {
        Ok(s) => components::collector_metrics(&c, &s, SCRAPE, &at(ctx)),
        Err(e) => from_error(&c, &e, SCRAPE, &at(ctx)),
    }
}

fn params(ctx: &Ctx<'_>, warn: &str, critical: &str) -> Params {
    Params {
        warn: ctx.threshold(warn),
        critical: ctx.threshold(critical),
        min_rate: ctx.threshold("min_span_rate"),
    }
}

/// A check's queries, or the step's failure naming the runbook problem.
fn queries<const N: usize>(
    ctx: &Ctx<'_>,
    id: &str,
    names: [&str; N],
) -> Result<[String; N], Outcome> {
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = ctx
            .query(id, name)
            .map_err(|e| Outcome::failed(Vec::new(), e))?;
    }
    Ok(out)
}

async fn span_drop_rate(ctx: &Ctx<'_>) -> Outcome {
    let names = ["accepted", "refused", "dropped", "enqueue_failed"];
    let qs = match queries(ctx, "span-drop-rate", names) {
        Ok(q) => q,
        Err(o) => return o,
    };
    let p = match prometheus(ctx) {
        Ok(p) => p,
        Err(e) => return prom_error(ctx, &e, &qs[0]),
    };
    let answers = futures::future::join_all(qs.iter().map(|q| p.query(q, ctx.at))).await;
    let mut results = Vec::new();
    for (r, q) in answers.into_iter().zip(&qs) {
        match r {
            Ok(r) => results.push(r),
            Err(e) => return prom_error(ctx, &e, q),
        }
    }
    let finite = |r: &crate::backends::prometheus::QueryResult| -> Vec<(String, f64)> {
        r.samples()
            .into_iter()
            .filter(|s| s.value.is_finite())
            .map(|s| (pipeline::component_of(&s.labels), s.value))
            .collect()
    };
    let accepted = results[0]
        .samples()
        .into_iter()
        .map(|s| s.value)
        .find(|v| v.is_finite());
    let refused = finite(&results[1]);
    let refused_total: f64 = refused.iter().map(|(_, v)| v.max(0.0)).sum();
    let ev = DropEvidence {
        dropped: refused
            .into_iter()
            .chain(finite(&results[2]))
            .chain(finite(&results[3]))
            .collect(),
        // What receivers got: accepted, plus what they refused.
        received: accepted.map(|a| a + refused_total),
        queries: qs
            .iter()
            .zip(&results)
            .map(|(q, r)| {
                let v: Vec<f64> = r
                    .samples()
                    .iter()
                    .map(|s| s.value)
                    .filter(|v| v.is_finite())
                    .collect();
                (q.clone(), (!v.is_empty()).then(|| v.iter().sum()))
            })
            .collect(),
        at: at(ctx),
    };
    let collector = ctx.component(Kind::CollectorMetrics).workload;
    with_warnings(
        pipeline::drop_rate(
            &ev,
            &params(ctx, "drop_ratio", "drop_ratio_critical"),
            &collector,
        ),
        results.into_iter().flat_map(|r| r.warnings),
    )
}

async fn exporter_failure_rate(ctx: &Ctx<'_>) -> Outcome {
    let [failed_q, sent_q] = match queries(ctx, "exporter-failure-rate", ["failed", "sent"]) {
        Ok(q) => q,
        Err(o) => return o,
    };
    let p = match prometheus(ctx) {
        Ok(p) => p,
        Err(e) => return prom_error(ctx, &e, &failed_q),
    };
    let (failed, sent) = futures::join!(p.query(&failed_q, ctx.at), p.query(&sent_q, ctx.at));
    let (failed, sent) = match (failed, sent) {
        (Ok(f), Ok(s)) => (f, s),
        (Err(e), _) => return prom_error(ctx, &e, &failed_q),
        (_, Err(e)) => return prom_error(ctx, &e, &sent_q),
    };
    let by_exporter = |r: &crate::backends::prometheus::QueryResult| -> BTreeMap<String, f64> {
        r.samples()
            .into_iter()
            .filter(|s| s.value.is_finite())
            .map(|s| {
                (
                    s.labels
                        .get("exporter")
                        .cloned()
                        .unwrap_or_else(|| "unknown".into()),
                    s.value,
                )
            })
            .collect()
    };
    let ev = ExporterEvidence {
        failed: by_exporter(&failed),
        sent: by_exporter(&sent),
        queries: (failed_q, sent_q),
        at: at(ctx),
    };
    let collector = ctx.component(Kind::CollectorMetrics).workload;
    with_warnings(
        pipeline::exporter_failures(
            &ev,
            &params(
                ctx,
                "exporter_failure_ratio",
                "exporter_failure_ratio_critical",
            ),
            &collector,
        ),
        failed.warnings.into_iter().chain(sent.warnings),
    )
}

async fn span_latency(ctx: &Ctx<'_>) -> Outcome {
    let [q] = match queries(ctx, "span-latency", ["p95"]) {
        Ok(q) => q,
        Err(o) => return o,
    };
    let p = match prometheus(ctx) {
        Ok(p) => p,
        Err(e) => return prom_error(ctx, &e, &q),
    };
    match p.query(&q, ctx.at).await {
        Ok(r) => {
            let v = r
                .samples()
                .into_iter()
                .map(|s| s.value)
                .find(|v| v.is_finite());
            // The metric the query reads, for the "no data" message.
            let metric = q
                .split(['(', '['])
                .find(|part| part.ends_with("_bucket"))
                .unwrap_or("span processing latency")
                .trim()
                .to_string();
            with_warnings(
                pipeline::span_latency(
                    v,
                    &q,
                    &params(ctx, "span_latency_seconds", "span_latency_seconds_critical"),
                    &at(ctx),
                    &metric,
                ),
                r.warnings,
            )
        }
        Err(e) => prom_error(ctx, &e, &q),
    }
}

/// Prometheus' own warnings (a partial answer) make the step a warning too.
fn with_warnings(mut o: Outcome, warnings: impl IntoIterator<Item = String>) -> Outcome {
    let w: Vec<String> = warnings.into_iter().collect();
    if w.is_empty() {
        return o;
    }
    let note = format!("partial data: {}", w.join("; "));
    o.status = match o.status {
        super::Status::Ok => super::Status::Warning(note),
        super::Status::Warning(prev) => super::Status::Warning(format!("{prev}; {note}")),
        other => other,
    };
    o
}

async fn elasticsearch(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Elasticsearch);
    let result = match endpoint(ctx, Backend::Elasticsearch) {
        Ok(ep) => ElasticsearchClient::new(ep).cluster_health().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(h) => components::elasticsearch(&c, &h, ES_HEALTH, &at(ctx)),
        Err(e) => from_error(&c, &e, ES_HEALTH, &at(ctx)),
    }
}

async fn grafana(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Grafana);
    let result = match endpoint(ctx, Backend::Grafana) {
        Ok(ep) => GrafanaClient::new(ep).health().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(h) => components::grafana(&c, &h, GRAFANA_HEALTH, &at(ctx)),
        Err(e) => from_error(&c, &e, GRAFANA_HEALTH, &at(ctx)),
    }
}

async fn alertmanager(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Alertmanager);
    let client = match endpoint(ctx, Backend::Alertmanager) {
        Ok(ep) => AlertmanagerClient::new(ep),
        Err(e) => return from_error(&c, &e, AM_STATUS, &at(ctx)),
    };
    let firing = AlertQuery::firing();
    let (status, alerts) = futures::join!(client.status(), client.alerts(&firing));
    let status = match status {
        Ok(s) => s,
        Err(e) => return from_error(&c, &e, AM_STATUS, &at(ctx)),
    };
    let alerts = match alerts {
        Ok(a) => a,
        Err(e) => return from_error(&c, &e, AM_ALERTS, &at(ctx)),
    };
    // The data-loss runbook's alerts are about the tracing pipeline itself.
    let rules = match AlertRules::load(ctx.settings.runbooks_dir.as_deref()) {
        Ok(r) => r,
        Err(e) => return Outcome::failed(Vec::new(), e.message),
    };
    let tracing: Vec<&_> = alerts
        .iter()
        .filter(|a| {
            let pipeline = matches!(rules.route(&a.labels), Route::Runbook { ref runbook, .. } if runbook == "data-loss");
            alerting::is_tracing_alert(a, pipeline)
        })
        .collect();
    alerting::alertmanager(&c, &status, &tracing, (AM_STATUS, AM_ALERTS), &at(ctx))
}

async fn tracing_pods(ctx: &Ctx<'_>) -> Outcome {
    let s = ctx.settings;
    if !s.kube_available {
        return Outcome::skipped("kubernetes not configured (--kubeconfig)");
    }
    let mode = match &s.mode {
        Mode::Live => KubeMode::Live,
        Mode::Record(r) => KubeMode::Record(r.clone()),
        Mode::Replay(r) => KubeMode::Replay(r.clone()),
    };
    let kube = match kubernetes::connect(&s.kubernetes, mode).await {
        Ok(k) => k,
        Err(e) => {
            return Outcome::failed(Vec::new(), format!("{}; hint: {}", e.one_line(), e.hint()));
        }
    };
    let ns = match ctx.namespace() {
        Some(n) => n.to_string(),
        None => kube.default_namespace().to_string(),
    };
    if let Mode::Record(r) = &s.mode {
        r.note_namespace(&ns);
    }
    match kube.pods(&ns, "").await {
        Ok(list) => pods::tracing_pods(&list, &ns, &at(ctx)),
        // The API server is not a tracing component: the step fails, with the hint.
        Err(e) => Outcome::failed(Vec::new(), format!("{}; hint: {}", e.one_line(), e.hint())),
    }
}

async fn jaeger_monitor(ctx: &Ctx<'_>) -> Outcome {
    let jaeger_c = ctx.component(Kind::JaegerQuery);
    let [calls_q, duration_q] = match queries(ctx, "jaeger-monitor", ["calls", "duration"]) {
        Ok(q) => q,
        Err(o) => return o,
    };
    let ep = match endpoint(ctx, Backend::Jaeger) {
        Ok(ep) => ep,
        Err(e) => return from_error(&jaeger_c, &e, SERVICES, &at(ctx)),
    };
    let p = match prometheus(ctx) {
        Ok(p) => p,
        Err(e) => return prom_error(ctx, &e, &calls_q),
    };
    let jaeger = match ctx.settings.jaeger() {
        Ok(j) => j,
        Err(e) => return from_error(&jaeger_c, &e, SERVICES, &at(ctx)),
    };
    let (services, calls, duration) = futures::join!(
        jaeger.services(),
        p.query(&calls_q, ctx.at),
        p.query(&duration_q, ctx.at)
    );
    let services = match services {
        Ok(s) => s,
        Err(e) => return from_error(&jaeger_c, &e, SERVICES, &at(ctx)),
    };
    let pairs = |r: Result<crate::backends::prometheus::QueryResult, BackendError>,
                 q: &str|
     -> Result<Vec<(String, String)>, Outcome> {
        let r = r.map_err(|e| prom_error(ctx, &e, q))?;
        let set: BTreeSet<(String, String)> = r
            .samples()
            .into_iter()
            .filter_map(|s| {
                Some((
                    s.labels.get("__name__")?.clone(),
                    s.labels.get("service_name")?.clone(),
                ))
            })
            .collect();
        Ok(set.into_iter().collect())
    };
    let calls = match pairs(calls, &calls_q) {
        Ok(v) => v,
        Err(o) => return o,
    };
    let duration = match pairs(duration, &duration_q) {
        Ok(v) => v,
        Err(o) => return o,
    };
    // Ask Jaeger about a service Prometheus has series for, else about any it knows.
    let asked = calls
        .iter()
        .map(|(_, s)| s)
        .find(|s| services.contains(s) && !s.starts_with("jaeger"))
        .or_else(|| services.iter().find(|s| !s.starts_with("jaeger")))
        .cloned();
    let lookback_ms = ctx.settings.lookback.as_millis().to_string();
    let (jaeger_metrics, jaeger_q) = match &asked {
        None => (
            JaegerMetrics::NotAsked,
            "GET /api/metrics/calls".to_string(),
        ),
        Some(service) => {
            let req = ep
                .get("/api/metrics/calls")
                .query("service", service.clone())
                .query("spanKind", "server")
                .query("endTs", ctx.at.as_millisecond().to_string())
                .query("lookback", lookback_ms)
                .query("step", "60000")
                .query("ratePer", "600000");
            let shown = format!("GET /api/metrics/calls?service={service}&spanKind=server");
            let answer = match ep.send(req).await {
                Ok(resp) => monitor::read_answer(resp.status, &resp.body, service),
                Err(e) => JaegerMetrics::Failed(e.one_line()),
            };
            (answer, shown)
        }
    };
    let ev = MonitorEvidence {
        services,
        calls,
        duration,
        jaeger: jaeger_metrics,
        queries: (calls_q, duration_q, jaeger_q),
        at: at(ctx),
    };
    monitor::analyze(&ev, &jaeger_c)
}
