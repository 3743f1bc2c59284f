//! The checks that read through Prometheus: the Collector's span drop rate, each exporter's
//! failure rate and the p95 span processing latency (queries from the check runbook), and
//! Jaeger's Monitor tab (the spanmetrics series in Prometheus, the services Jaeger knows, and one
//! call of Jaeger's metrics API through [`crate::backends::net`]). Each gathers its evidence and
//! hands it to [`crate::analysis::check::pipeline`] or [`crate::analysis::check::monitor`]; a
//! failure is an [`Outcome`], never an error. Tests: `tests/it/check.rs`.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::check::monitor::{self, JaegerMetrics, MonitorEvidence};
use crate::analysis::check::pipeline::{self, DropEvidence, ExporterEvidence, Params};
use crate::analysis::check::{Outcome, from_error};
use crate::backends::jaeger::JaegerClient;
use crate::backends::net;
use crate::backends::prometheus::{PrometheusClient, QueryResult};
use crate::error::{Backend, BackendError, ErrorKind};

use super::context::{Ctx, Kind};
use super::steps::{SERVICES, endpoint};

pub(super) fn prometheus(ctx: &Ctx<'_>) -> Result<PrometheusClient, BackendError> {
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
        &ctx.at(),
    )
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

pub(super) async fn span_drop_rate(ctx: &Ctx<'_>) -> Outcome {
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
    let finite = |r: &QueryResult| -> Vec<(String, f64)> {
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
        at: ctx.at(),
    };
    let collector = ctx.component(Kind::CollectorMetrics).workload;
    pipeline::drop_rate(
        &ev,
        &params(ctx, "drop_ratio", "drop_ratio_critical"),
        &collector,
    )
    .with_warnings(results.into_iter().flat_map(|r| r.warnings))
}

pub(super) async fn exporter_failure_rate(ctx: &Ctx<'_>) -> Outcome {
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
    let by_exporter = |r: &QueryResult| -> BTreeMap<String, f64> {
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
        at: ctx.at(),
    };
    let collector = ctx.component(Kind::CollectorMetrics).workload;
    pipeline::exporter_failures(
        &ev,
        &params(
            ctx,
            "exporter_failure_ratio",
            "exporter_failure_ratio_critical",
        ),
        &collector,
    )
    .with_warnings(failed.warnings.into_iter().chain(sent.warnings))
}

pub(super) async fn span_latency(ctx: &Ctx<'_>) -> Outcome {
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
            pipeline::span_latency(
                v,
                &q,
                &params(ctx, "span_latency_seconds", "span_latency_seconds_critical"),
                &ctx.at(),
                &metric,
            )
            .with_warnings(r.warnings)
        }
        Err(e) => prom_error(ctx, &e, &q),
    }
}

pub(super) async fn jaeger_monitor(ctx: &Ctx<'_>) -> Outcome {
    let jaeger_c = ctx.component(Kind::JaegerQuery);
    let [calls_q, duration_q] = match queries(ctx, "jaeger-monitor", ["calls", "duration"]) {
        Ok(q) => q,
        Err(o) => return o,
    };
    let ep = match endpoint(ctx, Backend::Jaeger) {
        Ok(ep) => ep,
        Err(e) => return from_error(&jaeger_c, &e, SERVICES, &ctx.at()),
    };
    let p = match prometheus(ctx) {
        Ok(p) => p,
        Err(e) => return prom_error(ctx, &e, &calls_q),
    };
    let jaeger = JaegerClient::new(ep.clone());
    let (services, calls, duration) = futures::join!(
        jaeger.services(),
        p.query(&calls_q, ctx.at),
        p.query(&duration_q, ctx.at)
    );
    let services = match services {
        Ok(s) => s,
        Err(e) => return from_error(&jaeger_c, &e, SERVICES, &ctx.at()),
    };
    let pairs =
        |r: Result<QueryResult, BackendError>, q: &str| -> Result<Vec<(String, String)>, Outcome> {
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
    let (jaeger_metrics, jaeger_q) = match &asked {
        None => (
            JaegerMetrics::NotAsked,
            "GET /api/metrics/calls".to_string(),
        ),
        Some(service) => {
            let shown = format!("GET /api/metrics/calls?service={service}&spanKind=server");
            let answer =
                net::jaeger_metrics_calls(&ep, service, ctx.at, ctx.settings.lookback).await;
            (answer, shown)
        }
    };
    let ev = MonitorEvidence {
        services,
        calls,
        duration,
        jaeger: jaeger_metrics,
        queries: (calls_q, duration_q, jaeger_q),
        at: ctx.at(),
    };
    monitor::analyze(&ev, &jaeger_c)
}
