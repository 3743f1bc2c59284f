//! The call graph's shape from the trace store, for a fleet whose metrics measure no call (issue
//! 15, item 2: "build the graph from the client-call series, else Jaeger's `/api/dependencies`,
//! else the traces"). Keys only, into the same [`Shape`] the Prometheus reads fill. Tests:
//! `tests/it/localize_shape.rs` (Jaeger's links, an empty answer and a sample of traces, Jaeger
//! unreachable, Tempo); the method on generated fleets without call measures in
//! `analysis/localize/fleet_tests.rs`.

use std::time::Duration;

use super::shape::Shape;
use crate::investigate::ctx::Ctx;

/// The runbook's defaults (`graph_links_*`), for a runbook file without them. How far back the
/// trace store's links are read: Jaeger with Elasticsearch or Cassandra serves the links its
/// dependencies job wrote, one document a day stamped with the day's start (the job runs on the
/// previous day's spans), so a lookback shorter than a day and a half may find none; Jaeger's
/// in-memory and Badger stores, and Tempo, count the window's spans. Jaeger's dependencies
/// empty (Elasticsearch or Cassandra without that job): the links of a sample of traces
/// instead, so many traces of each of so many of the services that may have changed (a trace
/// holds its callers and callees, transitively). Tempo samples by itself when it has no service
/// graph.
const LOOKBACK_SECONDS: f64 = 2.0 * 24.0 * 3600.0;
const SAMPLE_SERVICES: f64 = 8.0;
const SAMPLE_TRACES: f64 = 20.0;

/// The runbook's `key`, else `default` (a runbook file without it, or a value that is not a
/// positive number).
fn setting(ctx: &Ctx<'_>, key: &str, default: f64) -> f64 {
    Some(ctx.threshold(key))
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or(default)
}

/// A fleet whose metrics measure no call (no per-call series in the profile, or none now):
/// the graph's shape from the trace store instead (issue 15, item 2: "else Jaeger's
/// `/api/dependencies`, else the traces": Jaeger's dependency links, else the links of a sample
/// of the traces of `seeds`, the services that may have changed; Tempo's service graph, else
/// the links of a sample of its traces). Keys only: the walk judges such a call by its callee's
/// server side (`Judged::explaining_call`). The dependency links are the whole graph, so
/// nothing more is read in rounds; a sample is not, and the rounds go on as without it. No
/// trace store configured, or its failure (a warning): no graph, as before. What the
/// dependencies download is the fleet's links, not the changed services': Jaeger cannot be
/// asked for less.
pub async fn from_traces(
    ctx: &Ctx<'_>,
    seeds: &[String],
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) {
    use crate::backends::traces::TraceStore;
    let Ok(store) = ctx.settings.trace_store() else {
        return;
    };
    // A year at most: a config's 1e30 is a mistake, not a reason to overflow.
    let lookback = Duration::from_secs_f64(
        setting(ctx, "graph_links_lookback_seconds", LOOKBACK_SECONDS).min(366.0 * 86400.0),
    );
    shape.queries.push(match &store {
        TraceStore::Jaeger(_) => format!(
            "GET /api/dependencies?endTs={}&lookback={} (Jaeger: no call measured in Prometheus)",
            ctx.at.as_millisecond(),
            lookback.as_millis()
        ),
        TraceStore::Tempo(_) => format!(
            "Tempo's service graph over the last {} (no call measured in Prometheus)",
            crate::clock::format_duration(lookback)
        ),
    });
    let links = match store.dependencies(ctx.at, lookback).await {
        Ok(links) => links,
        Err(e) => {
            let e = crate::investigate::StepError::from(e);
            let why = e.reason();
            warnings.push(format!("the call graph from {}: {why}", store.name()));
            return;
        }
    };
    let whole = !links.is_empty();
    let links = match &store {
        TraceStore::Jaeger(_) if !whole => sampled_links(ctx, &store, seeds, shape, warnings).await,
        _ => links,
    };
    let before = shape.calls.len();
    for l in links {
        if !l.parent.is_empty() && !l.child.is_empty() && l.parent != l.child {
            shape.calls.insert((l.parent, l.child));
        }
    }
    if whole && shape.calls.len() > before {
        shape.expanded = None;
        shape.entries = None;
    }
}

/// Whose traces to sample when the trace store has no links: the walk's start, the services
/// that may have changed (the first round's selection), then the worst by level (all that is
/// left to go on when a probe failed and the selection is the whole fleet, `None`); each once.
pub fn sample_seeds(
    start: Option<&str>,
    select: Option<&std::collections::BTreeSet<String>>,
    worst: Option<&[(String, f64)]>,
) -> Vec<String> {
    let mut seeds: Vec<String> = start.map(str::to_string).into_iter().collect();
    let worst = worst.into_iter().flatten().map(|(s, _)| s);
    for s in select.into_iter().flatten().chain(worst) {
        if !seeds.contains(s) {
            seeds.push(s.clone());
        }
    }
    seeds
}

/// The links of the traces of `seeds` (at most `graph_links_sample_services` of them, concurrently),
/// over the run's lookback; a failed search is a warning and the others still count.
async fn sampled_links(
    ctx: &Ctx<'_>,
    store: &crate::backends::traces::TraceStore,
    seeds: &[String],
    shape: &mut Shape,
    warnings: &mut Vec<String>,
) -> Vec<crate::model::trace::DependencyLink> {
    // (Float to integer casts saturate: a huge setting is the largest count, never a panic.)
    let max = setting(ctx, "graph_links_sample_services", SAMPLE_SERVICES) as usize;
    let per_service = setting(ctx, "graph_links_sample_traces", SAMPLE_TRACES).min(1000.0) as u32;
    let seeds = &seeds[..seeds.len().min(max)];
    if seeds.is_empty() {
        return Vec::new();
    }
    shape.queries.push(format!(
        "GET /api/traces?service={{service}}&limit={per_service} for {} (Jaeger's dependencies were empty)",
        seeds.join(", ")
    ));
    let start = ctx.at - jiff::SignedDuration::try_from(ctx.settings.lookback).unwrap_or_default();
    let searches = seeds.iter().map(|s| {
        let q = crate::model::trace::TraceQuery {
            service: s.clone(),
            operation: None,
            tags: Vec::new(),
            min_duration: None,
            max_duration: None,
            start,
            end: ctx.at,
            limit: per_service,
        };
        async move {
            // The links read parents and services, no tag.
            store
                .find_traces_keeping(&q, crate::model::trace::TagPolicy::None)
                .await
        }
    });
    let mut traces = Vec::new();
    for (s, found) in seeds.iter().zip(futures::future::join_all(searches).await) {
        match found {
            Ok(t) => traces.extend(t),
            Err(e) => {
                let e = crate::investigate::StepError::from(e);
                let why = e.reason();
                warnings.push(format!("the call graph from {}'s traces: {why}", s));
            }
        }
    }
    crate::backends::traces::links_of(&traces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_starts_at_the_walks_start_then_what_may_have_changed_then_the_worst() {
        let select = ["payment", "checkout"].map(String::from).into();
        let worst = [("orchestrator".to_string(), 3.3)];
        assert_eq!(
            sample_seeds(Some("checkout"), Some(&select), Some(&worst)),
            ["checkout", "payment", "orchestrator"]
        );
        // A failed probe: no selection; the worst is what is left.
        assert_eq!(sample_seeds(None, None, Some(&worst)), ["orchestrator"]);
        assert!(sample_seeds(None, None, None).is_empty());
    }
}
