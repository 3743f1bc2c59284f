//! The error runbook's Jaeger step: two searches for the service's error traces (the `error=true`
//! tag, and OpenTelemetry's `otel.status_code=ERROR` for spans that carry only the status),
//! merged by trace ID, then where their errors start relative to the service
//! ([`crate::analysis::errors::origins_for`]), with UI links for the example traces.
//! Tests: `tests/it/errors.rs` (against a Jaeger fixture that searches by tag).

use std::collections::BTreeSet;
use std::time::Duration;

use jiff::Timestamp;

use super::super::StepError;
use crate::analysis::errors::{self as analysis, TraceErrors};
use crate::backends::jaeger::{self, TraceQuery};
use crate::investigate::ctx::warn;
use crate::settings::Settings;

/// The tag filters of the searches, one search each.
const SEARCHES: [(&str, &str); 2] = [("error", "true"), ("otel.status_code", "ERROR")];

/// The searches as a human would run them, for the step's record.
pub(super) fn described(service: &str, lookback: Duration, limit: u32) -> Vec<String> {
    SEARCHES
        .iter()
        .map(|(k, v)| {
            format!(
                "GET /api/traces?service={service}&tags={{\"{k}\":\"{v}\"}}&lookback={}&limit={limit}",
                crate::clock::format_duration(lookback)
            )
        })
        .collect()
}

/// Step 3: the service's error traces in `[at - lookback, at]`, `limit` per search. One search
/// failing is a warning; both, a failure.
pub(super) async fn error_traces(
    settings: &Settings,
    service: &str,
    at: Timestamp,
    limit: u32,
) -> Result<(TraceErrors, Option<String>), StepError> {
    let client = settings.trace_store().map_err(StepError::from)?;
    let start = at - jiff::SignedDuration::try_from(settings.lookback).unwrap_or_default();
    let queries: Vec<TraceQuery> = SEARCHES
        .iter()
        .map(|(k, v)| TraceQuery {
            service: service.to_string(),
            operation: None,
            tags: vec![(k.to_string(), v.to_string())],
            min_duration: None,
            max_duration: None,
            start,
            end: at,
            limit,
        })
        .collect();
    let results = futures::future::join_all(
        queries
            .iter()
            .map(|q| client.find_traces_keeping(q, analysis::ORIGIN_TAGS)),
    )
    .await;
    let mut found: Vec<jaeger::Trace> = Vec::new();
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for r in results {
        match r {
            Ok(traces) => {
                for t in traces {
                    if seen.insert(t.trace_id.clone()) {
                        found.push(t);
                    }
                }
            }
            Err(e) => failures.push(e),
        }
    }
    if failures.len() == queries.len()
        && let Some(e) = failures.first()
    {
        return Err(StepError::from(e.clone()));
    }
    let base = settings.trace_link_base(&client);
    let origins = analysis::origins_for(service, &found);
    let links = origins
        .iter()
        .flat_map(|o| o.examples.iter())
        .map(|id| (id.clone(), client.ui_link(&base, id)))
        .collect();
    let w = failures.iter().map(|e| e.one_line()).collect::<Vec<_>>();
    Ok((
        TraceErrors {
            source: client.name().to_string(),
            query: described(service, settings.lookback, limit).join(" + "),
            count: found.len(),
            origins,
            links,
        },
        warn(w),
    ))
}
