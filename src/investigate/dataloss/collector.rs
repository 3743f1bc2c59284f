//! The `collector` step: the Collector's span counters, queues, memory and restarts.
//!
//! Source, decided in this order: Prometheus, when it has otelcol_* series (the queries of
//! [`prometheus_queries`], which match every Collector generation and sum over replicas, so one
//! replica behind a Service cannot hide another's loss); else two scrapes of
//! `--collector-metrics-url`, `--scrape-interval` apart. With Prometheus, the endpoint is still
//! scraped once, as proof it answers (and for `collector_unreachable`).
//!
//! Two scrapes and a bundle: a bundle keys a request by method, path, query and body, so the
//! second scrape would overwrite the first; it carries `?tracectl_scrape=2` (the Collector's
//! Prometheus handler ignores unknown parameters) so both are kept. The window between them is
//! the difference of the Collector's own `otelcol_process_uptime`, when both scrapes have it, so
//! a replay computes the same rates without the wall clock; else the nominal interval. A replay
//! does not sleep. Tests: `tests/it/dataloss.rs`.

use std::time::Duration;

use super::{Ctx, not_recorded, probe_error, warn};
use crate::analysis::dataloss::CollectorEvidence;
use crate::backends::collector::{
    CollectorClient, CollectorRates, Labels, Scrape, prometheus_queries, rates,
};
use crate::error::Backend;
use crate::investigate::StepError;
use crate::settings::{Mode, Settings};
use crate::transport::Endpoint;

/// The query parameter that tells the second scrape from the first in a bundle.
const SECOND_SCRAPE: (&str, &str) = ("tracectl_scrape", "2");

/// The metrics endpoint. In a replay its path is the recorded one: the scrape's request path is
/// relative to the whole metrics URL (`.../metrics` gives an empty path), and the placeholder base
/// of a replay has none.
pub(super) fn metrics_endpoint(settings: &Settings) -> Option<Endpoint> {
    let mut ep = settings.endpoint(Backend::Collector)?.clone();
    if let Mode::Replay(r) = &settings.mode
        && let Some(recorded) = r
            .meta
            .backends
            .get(Backend::Collector.name())
            .and_then(|u| url::Url::parse(u).ok())
    {
        ep.base.set_path(recorded.path());
    }
    Some(ep)
}

fn second(ep: &Endpoint) -> Endpoint {
    let mut ep = ep.clone();
    ep.base
        .query_pairs_mut()
        .append_pair(SECOND_SCRAPE.0, SECOND_SCRAPE.1);
    ep
}

/// Seconds between two scrapes: the Collector's uptime difference when it is plausible (a
/// restart in between makes it negative), else the nominal interval.
fn window(a: &Scrape, b: &Scrape, nominal: f64) -> f64 {
    match (
        a.snapshot.process.uptime_seconds,
        b.snapshot.process.uptime_seconds,
    ) {
        (Some(x), Some(y)) if y > x && y - x <= nominal * 10.0 + 60.0 => y - x,
        _ => nominal,
    }
}

fn has_data(r: &CollectorRates) -> bool {
    !r.counters.is_empty() || !r.queues.is_empty() || r.process.memory_rss_bytes.is_some()
}

pub(super) async fn run(
    ctx: &Ctx<'_>,
    metrics: Option<Endpoint>,
    interval: Duration,
) -> Option<CollectorEvidence> {
    let settings = ctx.settings;
    let queries = ctx
        .prom
        .as_ref()
        .map(|_| prometheus_queries(settings.rate_window, settings.lookback, &[]))
        .unwrap_or_default();
    let url = metrics
        .as_ref()
        .and_then(|_| super::shown_url(settings, Backend::Collector));
    let mut shown: Vec<String> = queries.iter().map(|q| q.promql.clone()).collect();
    if let Some(u) = &url {
        shown.push(format!("GET {u}"));
    }
    ctx.step("collector", shown, async move {
        let mut warnings = Vec::new();
        let mut found = None;
        let mut prom_error = None;
        if let Some(prom) = &ctx.prom {
            let answers =
                futures::future::join_all(queries.iter().map(|q| prom.query(&q.promql, ctx.at)))
                    .await;
            let mut samples: Vec<(&'static str, Labels, f64)> = Vec::new();
            for (q, a) in queries.iter().zip(answers) {
                match a {
                    Ok(r) => {
                        warnings.extend(r.warnings.iter().map(|w| format!("partial data: {w}")));
                        samples.extend(
                            r.samples()
                                .into_iter()
                                .map(|s| (q.metric, s.labels, s.value)),
                        );
                    }
                    Err(e) => {
                        prom_error.get_or_insert_with(|| StepError::from(e));
                    }
                }
            }
            let r = CollectorRates::from_prometheus(
                settings.rate_window.as_secs_f64(),
                samples.iter().map(|(m, l, v)| (*m, l, *v)),
            )
            .with_queries(&queries);
            if has_data(&r) {
                found = Some(r);
            }
        }
        let scrape = match &metrics {
            None => None,
            Some(ep) => {
                let first = CollectorClient::new(Some(ep.clone()), None).scrape().await;
                match first {
                    Err(e) if not_recorded(settings, &e) => None,
                    // Reached through the API server on the port the Service names (not a URL
                    // the user gave): a Collector whose telemetry listens on localhost only (its
                    // default since v0.111) is not reachable that way, which says nothing about
                    // its health.
                    Err(e) if ep.through_service_proxy() => {
                        warnings.push(format!(
                            "the Collector's metrics did not answer through the API server's \
                             service proxy ({}); is its telemetry bound to localhost? pass \
                             --collector-metrics-url",
                            e.one_line()
                        ));
                        None
                    }
                    Err(e) => {
                        warnings.push(format!(
                            "the Collector's metrics endpoint did not answer: {}",
                            e.one_line()
                        ));
                        Some(Err(probe_error(&e)))
                    }
                    Ok(a) => {
                        if a.skipped_lines > 0 {
                            warnings.push(format!(
                                "{} malformed lines skipped in the Collector's metrics",
                                a.skipped_lines
                            ));
                        }
                        if found.is_none() {
                            if !matches!(settings.mode, Mode::Replay(_)) {
                                tokio::time::sleep(interval).await;
                            }
                            match CollectorClient::new(Some(second(ep)), None).scrape().await {
                                Ok(b) => {
                                    let secs = window(&a, &b, interval.as_secs_f64());
                                    found = Some(rates(&a.snapshot, &b.snapshot, secs))
                                        .filter(has_data);
                                }
                                Err(e) => warnings
                                    .push(format!("the second scrape failed: {}", e.one_line())),
                            }
                        }
                        Some(Ok(()))
                    }
                }
            }
        };
        if found.is_none() && !matches!(scrape, Some(Err(_))) {
            if let Some(e) = prom_error {
                return Err(e);
            }
            return Err(match (&ctx.prom, &scrape) {
                (None, None) => StepError::Skipped(
                    "no source of the Collector's metrics: neither --prometheus-url nor \
                     --collector-metrics-url is set"
                        .into(),
                ),
                (Some(_), None) => StepError::Failed(
                    "prometheus has no otelcol_* series (is the Collector scraped? is its \
                     telemetry level none?); hint: pass --collector-metrics-url"
                        .into(),
                ),
                _ => StepError::Failed(
                    "the Collector's metrics have no span counters (service.telemetry.metrics \
                     level none?)"
                        .into(),
                ),
            });
        }
        if let Some(StepError::Failed(e) | StepError::Skipped(e)) = prom_error {
            warnings.push(format!("some otelcol_* queries failed: {e}"));
        }
        Ok((
            CollectorEvidence {
                rates: found,
                scrape: scrape.map(|r| (url.clone().unwrap_or_default(), r)),
            },
            warn(warnings),
        ))
    })
    .await
}
