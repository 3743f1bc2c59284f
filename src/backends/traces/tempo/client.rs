//! [`TempoClient`]: Grafana Tempo's read endpoints over [`crate::transport`].
//!
//! | method          | endpoint (fallback on a 404 from an older Tempo)                              |
//! |-----------------|-------------------------------------------------------------------------------|
//! | `find_traces`   | `GET /api/search?q=<TraceQL>&start=&end=&limit=&spss=`, then each trace by ID |
//! | `trace`         | `GET /api/v2/traces/{id}` (`GET /api/traces/{id}`)                            |
//! | `services`      | `GET /api/v2/search/tag/resource.service.name/values` (`/api/search/tag/service.name/values`) |
//! | `operations`    | `GET /api/v2/search/tag/name/values?q={resource.service.name="S"}`            |
//! | `dependencies`  | Prometheus: `traces_service_graph_request_total`; else from sampled traces    |
//!
//! Search answers hold only the matching span sets, so the whole traces are fetched by ID, at
//! most [`FETCH_CONCURRENCY`] at a time, in the search's order. `start`/`end` are unix seconds
//! (Tempo parses them as int32 and wants `end > start`). The v2 trace endpoint answers an
//! unknown trace with 200 and an empty `trace`; v1 with 404 and an empty body (`trace not
//! found` up to 2.4). A 404 from a v2 route is an older Tempo without it, remembered per client.
//! Errors are Tempo's plain-text bodies (`invalid TraceQL query: ...`, `no org id`), kept as one
//! line. Requests are built from the query alone, so a recorded bundle replays. Docs:
//! <https://grafana.com/docs/tempo/latest/api_docs/>. Not here: TraceQL itself
//! ([`crate::traceql`]) or the wire shapes (`wire.rs`). Tests: `tests.rs` and `tests/it/tempo.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use serde::Deserialize;

use super::wire::{SearchResponse, TagValuesV1, TagValuesV2, TraceV1, TraceV2};
use crate::backends::prometheus::PrometheusClient;
use crate::backends::traces::jaeger::KeepTags;
use crate::model::trace::{DependencyLink, Operation, SpanKind, TagPolicy, Trace, TraceQuery};
use crate::transport::{BackendError, Endpoint, ErrorKind, Request, Response, path_segment};

/// Traces fetched by ID at once after a search: enough to hide latency, few enough not to
/// flood a query frontend that shards each request further.
pub const FETCH_CONCURRENCY: usize = 8;

/// Traces sampled to derive the service graph when no Prometheus holds Tempo's service-graph
/// metrics.
const GRAPH_SAMPLE: u32 = 50;

/// Cheap to clone; clones share what was learnt about the server's API version.
#[derive(Clone)]
pub struct TempoClient {
    endpoint: Endpoint,
    /// Where the metrics-generator's service-graph series are, when a Prometheus is configured.
    prometheus: Option<PrometheusClient>,
    /// Set once a v2 route answered 404: the server predates it (Tempo < 2.7 for traces).
    v1_only: Arc<AtomicBool>,
}

impl TempoClient {
    pub fn new(endpoint: Endpoint, prometheus: Option<PrometheusClient>) -> Self {
        TempoClient {
            endpoint,
            prometheus,
            v1_only: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Service names, sorted.
    pub async fn services(&self) -> Result<Vec<String>, BackendError> {
        let mut out = if !self.v1_only.load(Ordering::Relaxed) {
            let req = self
                .endpoint
                .get("/api/v2/search/tag/resource.service.name/values");
            let resp = self.endpoint.send(req.clone()).await?;
            if resp.status == 404 {
                self.v1_only.store(true, Ordering::Relaxed);
                None
            } else {
                ensure_ok(&req, &resp)?;
                let v: TagValuesV2 = decode(&req, &resp)?;
                Some(
                    v.tag_values
                        .into_iter()
                        .flatten()
                        .map(|t| t.value)
                        .collect(),
                )
            }
        } else {
            None
        };
        if out.is_none() {
            let req = self.endpoint.get("/api/search/tag/service.name/values");
            let resp = self.ok(&req).await?;
            let v: TagValuesV1 = decode(&req, &resp)?;
            out = Some(v.tag_values.unwrap_or_default());
        }
        let mut out = out.unwrap_or_default();
        out.retain(|s| !s.is_empty());
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// A service's span names. Tempo does not keep a kind per name, so each is `unspecified`.
    pub async fn operations(&self, service: &str) -> Result<Vec<Operation>, BackendError> {
        let q = format!(
            "{{ resource.service.name = {} }}",
            crate::traceql::string_literal(service)
        );
        let req = self
            .endpoint
            .get("/api/v2/search/tag/name/values")
            .query("q", q);
        let resp = self.ok(&req).await?;
        let v: TagValuesV2 = decode(&req, &resp)?;
        let mut out: Vec<Operation> = v
            .tag_values
            .into_iter()
            .flatten()
            .filter(|t| !t.value.is_empty())
            .map(|t| Operation {
                name: t.value,
                kind: SpanKind::Unspecified,
            })
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Whole traces matching `q`, in the search's order; a trace gone between the search and
    /// its fetch is left out.
    pub async fn find_traces(&self, q: &TraceQuery) -> Result<Vec<Trace>, BackendError> {
        self.find_traces_keeping(q, TagPolicy::All).await
    }

    /// [`TempoClient::find_traces`], the spans keeping only the tags `tags` names.
    pub async fn find_traces_keeping(
        &self,
        q: &TraceQuery,
        tags: TagPolicy,
    ) -> Result<Vec<Trace>, BackendError> {
        let req = search_request(&self.endpoint, q);
        let resp = self.ok(&req).await?;
        let found: SearchResponse = decode(&req, &resp)?;
        let mut ids: Vec<String> = Vec::new();
        for t in found.traces.into_iter().flatten() {
            if !t.trace_id.is_empty() && !ids.contains(&t.trace_id) {
                ids.push(t.trace_id);
            }
        }
        ids.truncate(q.limit.max(1) as usize);
        let fetched: Vec<Result<Option<Trace>, BackendError>> = futures::stream::iter(ids)
            .map(|id| async move { self.trace_keeping(&id, tags).await })
            .buffered(FETCH_CONCURRENCY)
            .collect()
            .await;
        let mut out = Vec::with_capacity(fetched.len());
        for r in fetched {
            if let Some(t) = r? {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// One trace by ID; `None` when Tempo has no such trace.
    pub async fn trace(&self, trace_id: &str) -> Result<Option<Trace>, BackendError> {
        self.trace_keeping(trace_id, TagPolicy::All).await
    }

    async fn trace_keeping(
        &self,
        trace_id: &str,
        tags: TagPolicy,
    ) -> Result<Option<Trace>, BackendError> {
        let id = path_segment(trace_id.trim());
        if !self.v1_only.load(Ordering::Relaxed) {
            let req = self.endpoint.get(format!("/api/v2/traces/{id}"));
            let resp = self.endpoint.send(req.clone()).await?;
            if resp.status != 404 {
                ensure_ok(&req, &resp)?;
                let trace = {
                    // Not held across an await: see `KeepTags`.
                    let _tags = KeepTags::new(tags);
                    decode::<TraceV2>(&req, &resp)?
                };
                return Ok(trace.into_trace());
            }
            tracing::debug!("tempo: {} answered 404, trying v1", req.describe());
            self.v1_only.store(true, Ordering::Relaxed);
        }
        let req = self.endpoint.get(format!("/api/traces/{id}"));
        let resp = self.endpoint.send(req.clone()).await?;
        if resp.status == 404 {
            let text = String::from_utf8_lossy(&resp.body);
            // An empty body (2.5+) or `trace not found` (up to 2.4) is Tempo's "no such trace";
            // anything else (`404 page not found`) is a wrong URL.
            if matches!(text.trim(), "" | "trace not found") {
                return Ok(None);
            }
        }
        ensure_ok(&req, &resp)?;
        let _tags = KeepTags::new(tags);
        Ok(decode::<TraceV1>(&req, &resp)?.into_trace())
    }

    /// Service call edges in `[end - lookback, end]`, sorted by parent then child: the
    /// metrics-generator's service graph when Prometheus has it, else edges between the services
    /// of parent and child spans in a sample of the window's traces.
    pub async fn dependencies(
        &self,
        end: jiff::Timestamp,
        lookback: Duration,
    ) -> Result<Vec<DependencyLink>, BackendError> {
        if let Some(p) = &self.prometheus {
            let promql = service_graph_query(lookback);
            let result = p.query(&promql, end).await?;
            let mut out: Vec<DependencyLink> = result
                .samples()
                .into_iter()
                .filter_map(|s| {
                    let count = s.value.round();
                    (count.is_finite() && count >= 1.0).then(|| DependencyLink {
                        parent: s.labels.get("client").cloned().unwrap_or_default(),
                        child: s.labels.get("server").cloned().unwrap_or_default(),
                        call_count: count as u64,
                    })
                })
                .filter(|l| !l.parent.is_empty() && !l.child.is_empty())
                .collect();
            if !out.is_empty() {
                out.sort();
                return Ok(out);
            }
            tracing::debug!("tempo: no service-graph series in Prometheus, sampling traces");
        }
        let q = TraceQuery {
            service: String::new(),
            operation: None,
            tags: Vec::new(),
            min_duration: None,
            max_duration: None,
            start: end - jiff::SignedDuration::try_from(lookback).unwrap_or_default(),
            end,
            limit: GRAPH_SAMPLE,
        };
        // The service graph reads parents and services, no tag.
        let sample = self.find_traces_keeping(&q, TagPolicy::None).await?;
        Ok(super::super::links_of(&sample))
    }

    async fn ok(&self, req: &Request) -> Result<Response, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        ensure_ok(req, &resp)?;
        Ok(resp)
    }
}

/// Calls between services over the lookback, as Tempo's metrics-generator counts them.
pub(super) fn service_graph_query(lookback: Duration) -> String {
    format!(
        "sum by (client, server) (increase(traces_service_graph_request_total[{}s]))",
        lookback.as_secs().max(1)
    )
}

/// `GET /api/search?...`. Parameters in a fixed order.
pub(super) fn search_request(endpoint: &Endpoint, q: &TraceQuery) -> Request {
    let start = q.start.as_second();
    // Tempo rejects `end <= start`; a window under a second still asks for one.
    let end = q.end.as_second().max(start + 1);
    endpoint
        .get("/api/search")
        .query("q", crate::traceql::search(q))
        .query("start", start.to_string())
        .query("end", end.to_string())
        .query("limit", q.limit.max(1).to_string())
        // One span per span set: the traces are fetched whole anyway.
        .query("spss", "1")
}

/// Non-2xx → a typed, one-line error carrying Tempo's plain-text message.
fn ensure_ok(req: &Request, resp: &Response) -> Result<(), BackendError> {
    if resp.is_success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&resp.body);
    let message = if text.trim().is_empty() || resp.short_text().starts_with("an HTML page") {
        resp.short_text()
    } else {
        one_line(&text)
    };
    Err(req.error(match resp.status {
        401 | 403 => ErrorKind::Forbidden {
            code: resp.status,
            message,
        },
        400 => ErrorKind::Api {
            error_type: "bad request".into(),
            message,
        },
        code => ErrorKind::Status { code, message },
    }))
}

fn decode<'a, T: Deserialize<'a>>(req: &Request, resp: &'a Response) -> Result<T, BackendError> {
    let fail = |reason: String| req.error(ErrorKind::Decode { reason });
    if resp.short_text().starts_with("an HTML page") {
        return Err(fail("got an HTML page, not JSON".into()));
    }
    let text = std::str::from_utf8(&resp.body).map_err(|e| fail(format!("not UTF-8: {e}")))?;
    // Names repeated across the answer's spans share one allocation (issue 19); the table is
    // emptied when the answer is decoded.
    let _names = crate::model::name::InternScope::new();
    serde_json::from_str(text).map_err(|e| fail(format!("invalid JSON: {e}")))
}

/// Server messages go into one-line step errors: no newlines, bounded length.
fn one_line(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= 300 {
        return joined;
    }
    let mut out: String = joined.chars().take(300).collect();
    out.push('…');
    out
}
