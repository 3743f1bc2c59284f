//! The trace store: the one seam every command that reads traces goes through, with Jaeger
//! ([`jaeger`]) and Grafana Tempo ([`tempo`]) behind it.
//!
//! [`TraceStore`] is an enum, not a `dyn` trait: there are exactly two stores, both known here,
//! so a `match` per method dispatches with plain `async fn`s — no boxed futures, no
//! `async-trait`, no `Send` bounds to spell out — and call sites hold a `TraceStore` by value
//! and `.await` its methods as they did `JaegerClient`'s. A third store is one more variant and a
//! compile error at each `match`, which is the point. The methods are those the commands call:
//! search, one trace by ID, services, a service's operations and the service graph, all over
//! [`crate::model::trace`] types and returning [`BackendError`]s. Settings build the store
//! ([`crate::settings::Settings::trace_store`]); commands never construct a client. Not here: the
//! wire formats (in each store's folder) or what traces mean ([`crate::analysis::traces`]).
//! Tests: each store's own, `links_of` below, and `tests/it/tempo.rs`.

mod ids;
pub mod jaeger;
pub mod tempo;
#[cfg(test)]
mod testkit;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::error::Backend;
use crate::model::trace::{
    DependencyLink, Operation, SpanId, TagPolicy, Trace, TraceLinks, TraceQuery,
};
use crate::transport::{BackendError, Endpoint};

use jaeger::JaegerClient;
use tempo::TempoClient;

/// Where traces are read from. Cheap to clone.
#[derive(Clone)]
pub enum TraceStore {
    Jaeger(JaegerClient),
    Tempo(TempoClient),
}

impl TraceStore {
    /// Which backend answers: also the name evidence and bundles carry (`jaeger`, `tempo`).
    pub fn backend(&self) -> Backend {
        match self {
            TraceStore::Jaeger(_) => Backend::Jaeger,
            TraceStore::Tempo(_) => Backend::Tempo,
        }
    }

    pub fn name(&self) -> &'static str {
        self.backend().name()
    }

    pub fn endpoint(&self) -> &Endpoint {
        match self {
            TraceStore::Jaeger(c) => c.endpoint(),
            TraceStore::Tempo(c) => c.endpoint(),
        }
    }

    /// A link to one trace under `base`: the Jaeger UI's trace page, or Tempo's trace-by-ID API
    /// (Tempo has no UI of its own; Grafana's Explore URL depends on a datasource UID we do not
    /// know).
    pub fn ui_link(&self, base: &url::Url, trace_id: &str) -> String {
        self.links(base).link(trace_id)
    }

    /// How this store's traces are linked, under `base`.
    pub fn links(&self, base: &url::Url) -> TraceLinks {
        match self {
            TraceStore::Jaeger(_) => TraceLinks::Jaeger(base.clone()),
            TraceStore::Tempo(_) => TraceLinks::Tempo(base.clone()),
        }
    }

    /// Whole traces matching `q`, in the server's order, every span tag kept.
    pub async fn find_traces(&self, q: &TraceQuery) -> Result<Vec<Trace>, BackendError> {
        self.find_traces_keeping(q, TagPolicy::All).await
    }

    /// [`TraceStore::find_traces`], the spans keeping only the tags `tags` names: each caller
    /// passes the policy its analysis declares (issue 19), so spans no analysis reads a tag of
    /// are decoded without them.
    pub async fn find_traces_keeping(
        &self,
        q: &TraceQuery,
        tags: TagPolicy,
    ) -> Result<Vec<Trace>, BackendError> {
        match self {
            TraceStore::Jaeger(c) => c.find_traces_keeping(q, tags).await,
            TraceStore::Tempo(c) => c.find_traces_keeping(q, tags).await,
        }
    }

    /// One trace by ID; `None` when the store has no such trace.
    pub async fn trace(&self, trace_id: &str) -> Result<Option<Trace>, BackendError> {
        match self {
            TraceStore::Jaeger(c) => c.trace(trace_id).await,
            TraceStore::Tempo(c) => c.trace(trace_id).await,
        }
    }

    /// Service names, sorted.
    pub async fn services(&self) -> Result<Vec<String>, BackendError> {
        match self {
            TraceStore::Jaeger(c) => c.services().await,
            TraceStore::Tempo(c) => c.services().await,
        }
    }

    /// A service's operations, sorted.
    pub async fn operations(&self, service: &str) -> Result<Vec<Operation>, BackendError> {
        match self {
            TraceStore::Jaeger(c) => c.operations(service).await,
            TraceStore::Tempo(c) => c.operations(service).await,
        }
    }

    /// Service call edges in `[end - lookback, end]`, sorted by parent then child.
    pub async fn dependencies(
        &self,
        end: jiff::Timestamp,
        lookback: Duration,
    ) -> Result<Vec<DependencyLink>, BackendError> {
        match self {
            TraceStore::Jaeger(c) => c.dependencies(end, lookback).await,
            TraceStore::Tempo(c) => c.dependencies(end, lookback).await,
        }
    }
}

/// The service graph of some traces: one call from the parent span's service to the child's for
/// each span whose parent ran in another service, sorted. What Jaeger's dependency job counts,
/// for a store without one.
pub fn links_of(traces: &[Trace]) -> Vec<DependencyLink> {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for t in traces {
        let by_id: BTreeMap<SpanId, &str> = t
            .spans
            .iter()
            .map(|s| (s.span_id, s.service.as_str()))
            .collect();
        for s in &t.spans {
            let Some(parent) = s.parent_id.and_then(|p| by_id.get(&p)) else {
                continue;
            };
            if *parent != s.service && !parent.is_empty() && !s.service.is_empty() {
                *counts
                    .entry((parent.to_string(), s.service.to_string()))
                    .or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|((parent, child), call_count)| DependencyLink {
            parent,
            child,
            call_count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trace::Span;

    fn span(id: &str, parent: Option<&str>, service: &str) -> Span {
        Span {
            span_id: id.into(),
            parent_id: parent.map(SpanId::from),
            service: service.into(),
            ..Span::default()
        }
    }

    #[test]
    fn links_count_calls_across_services_only() {
        let t = Trace {
            trace_id: "1".into(),
            spans: vec![
                span("a", None, "frontend"),
                span("b", Some("a"), "frontend"),
                span("c", Some("b"), "checkout"),
                span("d", Some("c"), "postgres"),
                span("e", Some("b"), "checkout"),
                span("f", Some("missing"), "orphan"),
            ],
            ..Trace::default()
        };
        let links = links_of(&[t]);
        assert_eq!(
            links,
            vec![
                DependencyLink {
                    parent: "checkout".into(),
                    child: "postgres".into(),
                    call_count: 1
                },
                DependencyLink {
                    parent: "frontend".into(),
                    child: "checkout".into(),
                    call_count: 2
                },
            ]
        );
    }
}
