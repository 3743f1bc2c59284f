//! The I/O of each check: ask one backend (or two), hand the answer to the pure judgement
//! ([`crate::analysis::check`]), and turn every failure into an [`Outcome`]: a check never aborts
//! the run. [`run`] is the step registry (id → code); [`shown_queries`] lists each check's
//! requests for the report's step, so a human can run them by hand. The checks that read the
//! Collector's metrics through Prometheus, and the Monitor tab's, are in `prometheus.rs`.
//! Tests: `tests/it/check.rs`.

use crate::analysis::check::{Outcome, alerting, components, from_error, pods};
use crate::backends::alertmanager::{AlertQuery, AlertmanagerClient};
use crate::backends::collector::CollectorClient;
use crate::backends::elasticsearch::ElasticsearchClient;
use crate::backends::grafana::GrafanaClient;
// Alert rules move to `runbook/` in the same refactor; until then they live with `investigate alerts`.
use crate::error::{Backend, BackendError};
use crate::runbook::alerts::{AlertRules, Route};
use crate::settings::Mode;
use crate::transport::Endpoint;

use super::context::{Ctx, Kind};
use super::prometheus::{
    exporter_failure_rate, jaeger_monitor, prometheus, span_drop_rate, span_latency,
};

const READY: &str = "GET /-/ready";
pub(super) const SERVICES: &str = "GET /api/services";
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

pub(super) fn endpoint(ctx: &Ctx<'_>, b: Backend) -> Result<Endpoint, BackendError> {
    ctx.settings
        .endpoint(b)
        .cloned()
        .ok_or_else(|| BackendError::not_configured(b))
}

async fn prometheus_ready(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Prometheus);
    match prometheus(ctx) {
        Ok(p) => match p.ready().await {
            Ok(()) => Outcome::ok(Vec::new()),
            Err(e) => from_error(&c, &e, READY, &ctx.at()),
        },
        Err(e) => from_error(&c, &e, READY, &ctx.at()),
    }
}

async fn jaeger_query(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::JaegerQuery);
    let result = match ctx.settings.jaeger() {
        Ok(jaeger) => jaeger.services().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(services) => components::jaeger_services(&c, &services, SERVICES, &ctx.at()),
        Err(e) => from_error(&c, &e, SERVICES, &ctx.at()),
    }
}

async fn collector_otlp(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::CollectorOtlp);
    let client = CollectorClient::new(None, ctx.settings.collector_otlp.clone());
    match client.otlp_export_empty().await {
        Ok(ack) => components::otlp(&c, &ack, OTLP, &ctx.at()),
        Err(e) => from_error(&c, &e, OTLP, &ctx.at()),
    }
}

async fn collector_metrics(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::CollectorMetrics);
    let metrics = ctx.settings.endpoint(Backend::Collector).cloned();
    let proxied = metrics
        .as_ref()
        .is_some_and(|ep| ep.through_service_proxy());
    match CollectorClient::new(metrics, None).scrape().await {
        Ok(s) => components::collector_metrics(&c, &s, SCRAPE, &ctx.at()),
        // Its Service's metrics port, reached through the API server: a Collector whose
        // telemetry listens on localhost only is not down for being unreachable this way.
        Err(e) if proxied => Outcome::warning(
            Vec::new(),
            format!(
                "the Collector's metrics did not answer through the API server's service proxy \
                 ({}); is its telemetry bound to localhost? pass --collector-metrics-url",
                e.one_line()
            ),
        ),
        Err(e) => from_error(&c, &e, SCRAPE, &ctx.at()),
    }
}

async fn elasticsearch(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Elasticsearch);
    let result = match endpoint(ctx, Backend::Elasticsearch) {
        Ok(ep) => ElasticsearchClient::new(ep).cluster_health().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(h) => components::elasticsearch(&c, &h, ES_HEALTH, &ctx.at()),
        Err(e) => from_error(&c, &e, ES_HEALTH, &ctx.at()),
    }
}

async fn grafana(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Grafana);
    let result = match endpoint(ctx, Backend::Grafana) {
        Ok(ep) => GrafanaClient::new(ep).health().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(h) => components::grafana(&c, &h, GRAFANA_HEALTH, &ctx.at()),
        Err(e) => from_error(&c, &e, GRAFANA_HEALTH, &ctx.at()),
    }
}

async fn alertmanager(ctx: &Ctx<'_>) -> Outcome {
    let c = ctx.component(Kind::Alertmanager);
    let client = match endpoint(ctx, Backend::Alertmanager) {
        Ok(ep) => AlertmanagerClient::new(ep),
        Err(e) => return from_error(&c, &e, AM_STATUS, &ctx.at()),
    };
    let firing = AlertQuery::firing();
    let (status, alerts) = futures::join!(client.status(), client.alerts(&firing));
    let status = match status {
        Ok(s) => s,
        Err(e) => return from_error(&c, &e, AM_STATUS, &ctx.at()),
    };
    let alerts = match alerts {
        Ok(a) => a,
        Err(e) => return from_error(&c, &e, AM_ALERTS, &ctx.at()),
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
    alerting::alertmanager(&c, &status, &tracing, (AM_STATUS, AM_ALERTS), &ctx.at())
}

async fn tracing_pods(ctx: &Ctx<'_>) -> Outcome {
    let s = ctx.settings;
    if !s.kube_available {
        return Outcome::skipped("kubernetes not configured (--kubeconfig)");
    }
    let kube = match s.kube().await {
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
        Ok(list) => pods::tracing_pods(&list, &ns, &ctx.at()),
        // The API server is not a tracing component: the step fails, with the hint.
        Err(e) => Outcome::failed(Vec::new(), format!("{}; hint: {}", e.one_line(), e.hint())),
    }
}
