//! The `storage` and `query-path` steps: Elasticsearch/OpenSearch holding Jaeger's indices, Jaeger
//! v1 collector's own dropped spans from Prometheus, and the reverse loss (spans stored that the
//! query service does not find).
//!
//! Storage reads the four cluster views at once (health, `*jaeger-span*` indices with their
//! blocks, write thread pools, disk and watermarks); a view that fails is left out and named in
//! the step's warning, and the step fails only when all do. Write rejections are counted since a
//! node started: one reading, read with the exporter failures beside it (see the analysis).
//! Today is the UTC day of `--at`, as Jaeger names its daily indices. Tests:
//! `tests/it/dataloss.rs`.

use jiff::tz::TimeZone;

use super::{Ctx, shown_url, warn};
use crate::analysis::dataloss::{QueryPathEvidence, ServiceEvidence, StorageEvidence};
use crate::backends::elasticsearch::{ElasticsearchClient, JaegerIndex, jaeger_index_name};
use crate::backends::jaeger::TraceQuery;
use crate::cli::DataLossArgs;
use crate::error::{Backend, BackendError};
use crate::investigate::StepError;

/// Every span index, whatever its prefix or date layout: naming a mismatch needs them all.
const SPAN_INDICES: &str = "*jaeger-span*";

pub(super) async fn run(ctx: &Ctx<'_>, args: &DataLossArgs) -> Option<StorageEvidence> {
    let settings = ctx.settings;
    let es = settings
        .endpoint(Backend::Elasticsearch)
        .cloned()
        .map(ElasticsearchClient::new);
    let jaeger_q = ctx.query("storage", "jaeger_dropped", &[]).ok();
    let day = ctx.at.to_zoned(TimeZone::UTC);
    let prefix = args.es_index_prefix.clone();
    let today = jaeger_index_name(prefix.as_deref(), JaegerIndex::Span, day.date());
    let mut shown = Vec::new();
    if es.is_some() {
        shown.extend([
            "GET /_cluster/health".to_string(),
            format!("GET /_cat/indices/{SPAN_INDICES}?format=json"),
            format!("GET /{SPAN_INDICES}/_settings/index.blocks.*"),
            "GET /_cat/thread_pool/write?format=json".to_string(),
            "GET /_cat/allocation?format=json".to_string(),
            "GET /_cluster/settings?include_defaults=true".to_string(),
        ]);
    }
    if ctx.prom.is_some() {
        shown.extend(jaeger_q.clone());
    }
    ctx.step("storage", shown, async move {
        if es.is_none() && ctx.prom.is_none() {
            return Err(StepError::from(BackendError::not_configured(
                Backend::Elasticsearch,
            )));
        }
        let jaeger_part = async {
            match (&ctx.prom, &jaeger_q) {
                (Some(prom), Some(q)) => Some(
                    prom.query(q, ctx.at)
                        .await
                        .map(|r| {
                            r.samples()
                                .first()
                                .map(|s| s.value)
                                .filter(|v| v.is_finite())
                                .map(|v| (q.clone(), v))
                        })
                        .map_err(|e| format!("{}; hint: {}", e.one_line(), e.hint())),
                ),
                _ => None,
            }
        };
        let es_part = async {
            let es = es.as_ref()?;
            Some(futures::join!(
                es.cluster_health(),
                es.indices(SPAN_INDICES),
                es.write_rejections(),
                es.disk_usage()
            ))
        };
        let (jaeger, es) = futures::join!(jaeger_part, es_part);
        let mut warnings = Vec::new();
        let mut ev = StorageEvidence {
            url: shown_url(settings, Backend::Elasticsearch).unwrap_or_default(),
            prefix,
            today,
            day_just_started: day.hour() == 0 && day.minute() < 10,
            ..Default::default()
        };
        let es_absent = es.is_none();
        match es {
            None => warnings.push(
                "elasticsearch not configured (--elasticsearch-url): only Jaeger's own metrics"
                    .to_string(),
            ),
            Some((health, indices, pools, disk)) => {
                let mut errors: Vec<BackendError> = Vec::new();
                ev.health = keep(health, &mut errors);
                ev.indices = keep(indices, &mut errors);
                ev.pools = keep(pools, &mut errors);
                ev.disk = keep(disk, &mut errors);
                if errors.len() == 4 {
                    return Err(StepError::from(errors.swap_remove(0)));
                }
                warnings.extend(errors.iter().map(|e| e.one_line()));
            }
        }
        match jaeger {
            Some(Ok(v)) => ev.jaeger_dropped = v,
            // Nothing else to read: the step did not run, whatever the warnings say (exit 3
            // when every backend failed, issue 20).
            Some(Err(e)) if es_absent => return Err(StepError::Failed(e)),
            Some(Err(e)) => warnings.push(e),
            None => {}
        }
        Ok((ev, warn(warnings)))
    })
    .await
}

fn keep<T>(r: Result<T, BackendError>, errors: &mut Vec<BackendError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// The service to check: `--service`, else the one sending the most spans now.
fn busiest(s: &ServiceEvidence) -> Option<String> {
    s.spans
        .values
        .iter()
        .filter(|(k, v)| !k.is_empty() && v.is_finite() && **v > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| k.clone())
}

pub(super) async fn query_path<F>(
    ctx: &Ctx<'_>,
    args: &DataLossArgs,
    services: F,
) -> Option<QueryPathEvidence>
where
    F: std::future::Future<Output = Option<ServiceEvidence>>,
{
    let settings = ctx.settings;
    let es = settings.endpoint(Backend::Elasticsearch).cloned();
    let jaeger = settings.jaeger().ok();
    let both = es.is_some() && jaeger.is_some();
    // Waiting for the services step only when it picks the service.
    let service = match (&args.service, both) {
        (Some(s), _) => Some(s.clone()),
        (None, true) => services.await.as_ref().and_then(busiest),
        (None, false) => None,
    };
    let limit = ctx.threshold("query_trace_limit").clamp(1.0, 1500.0) as u32;
    let lookback = crate::clock::format_duration(settings.lookback);
    let shown = match &service {
        Some(svc) => vec![
            format!("POST /{SPAN_INDICES}/_count (process.serviceName={svc}, last {lookback})"),
            format!("GET /api/traces?service={svc}&lookback={lookback}&limit={limit}"),
        ],
        None => Vec::new(),
    };
    ctx.step("query-path", shown, async move {
        let (Some(es), Some(jaeger)) = (es, jaeger) else {
            return Err(StepError::Skipped(
                "needs both --elasticsearch-url and --jaeger-url".into(),
            ));
        };
        let Some(service) = service else {
            return Err(StepError::Skipped(
                "no service to check: none sends spans now; pass --service".into(),
            ));
        };
        let end = ctx.at;
        let start = end - jiff::SignedDuration::try_from(settings.lookback).unwrap_or_default();
        let es_client = ElasticsearchClient::new(es);
        let q = TraceQuery::window(service.clone(), start, end, limit);
        let (count, traces) = futures::join!(
            es_client.count(SPAN_INDICES, &service, start, end),
            // Only the number of traces is read: their spans need no tag (issue 19).
            jaeger.find_traces_keeping(&q, crate::model::trace::TagPolicy::None)
        );
        let count = count?;
        let traces = traces?;
        let partial = (count.shards.failed > 0).then(|| {
            format!(
                "the count is partial: {} of {} shards failed",
                count.shards.failed, count.shards.total
            )
        });
        Ok((
            QueryPathEvidence {
                es_query: format!(
                    "POST /{SPAN_INDICES}/_count process.serviceName={service} last {lookback}"
                ),
                es_count: count.count,
                jaeger_query: format!(
                    "GET /api/traces?service={service}&lookback={lookback}&limit={limit}"
                ),
                jaeger_traces: traces.len(),
                service,
            },
            partial,
        ))
    })
    .await
}
