//! [`JaegerClient`]: the Jaeger query service's read endpoints over [`crate::transport`].
//!
//! It detects once which API the server speaks, because Jaeger removed the legacy search
//! endpoints after v2.20 (jaegertracing/jaeger PR #9260): `GET /api/services` answering 404/405
//! means the server is past that change, and `/api/v3/*` is used instead. A search made before
//! the API is known is its own detection: the legacy search, and api_v3's on a 404/405. Calls, by API:
//!
//! | method          | legacy (`/api`, Jaeger JSON)          | v3 (`/api/v3`, OTLP-JSON)            |
//! |-----------------|---------------------------------------|--------------------------------------|
//! | `services`      | `GET /api/services`                   | `GET /api/v3/services`               |
//! | `operations`    | `GET /api/operations?service=`        | `GET /api/v3/operations?service=`    |
//! | `find_traces`   | `GET /api/traces?service=&start=..`   | `GET /api/v3/traces?query.serviceName=..` |
//! | `trace`         | `GET /api/traces/{id}`                | `GET /api/v3/traces/{id}`            |
//! | `dependencies`  | `GET /api/dependencies?endTs=&lookback=` (both; it was not removed)          |
//!
//! Parameter names and formats come from Jaeger's `query_parser.go` (legacy: microsecond
//! `start`/`end`, Go duration strings, `tags` as a JSON map) and the api_v3 OpenAPI spec
//! (jaeger-idl `swagger/api_v3/query_service.openapi.yaml`: RFC 3339 `query.startTimeMin/Max`,
//! `query.attributes` as a JSON map, `query.searchDepth`). The camelCase v3 names exist since
//! v2.19, which every server without the legacy endpoints is. Requests are built in a fixed
//! order from the query alone, so a recorded bundle replays. Not here: what the traces mean
//! ([`crate::analysis::traces`]). Tests: `tests/`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::OnceCell;

use super::wire::{Envelope, ErrorBody, TraceList, WireDependency, WireOperation};
use super::wire_v3::{Operations, Services, TracesResult};
use super::{ApiVersion, DependencyLink, KeepTags, Operation, TagPolicy, Trace, TraceQuery};
use crate::transport::{BackendError, Endpoint, ErrorKind, Request, Response, path_segment};

/// Which API a server speaks, once known: shared by the clients of one endpoint in a run
/// ([`JaegerClient::sharing`]), so that each step's client does not detect it again.
pub type ApiCell = Arc<OnceCell<ApiVersion>>;

/// Cheap to clone; clones share the API version, detected or not.
#[derive(Clone)]
pub struct JaegerClient {
    endpoint: Endpoint,
    version: ApiCell,
}

impl JaegerClient {
    pub fn new(endpoint: Endpoint) -> Self {
        Self::sharing(endpoint, ApiCell::default())
    }

    /// A client that learns and keeps the API version in `version`, with the other clients of
    /// the same endpoint given the same cell.
    pub fn sharing(endpoint: Endpoint, version: ApiCell) -> Self {
        JaegerClient { endpoint, version }
    }

    /// A client that skips detection, for a configured or already known API version.
    pub fn with_api_version(endpoint: Endpoint, version: ApiVersion) -> Self {
        Self::sharing(endpoint, Arc::new(OnceCell::new_with(Some(version))))
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Which API the server speaks, asked once: a failed detection is not cached, so a later call
    /// retries it.
    pub async fn api_version(&self) -> Result<ApiVersion, BackendError> {
        self.version
            .get_or_try_init(|| self.detect())
            .await
            .copied()
    }

    async fn detect(&self) -> Result<ApiVersion, BackendError> {
        let req = self.endpoint.get("/api/services");
        let resp = self.endpoint.send(req.clone()).await?;
        if matches!(resp.status, 404 | 405) {
            tracing::debug!(
                "jaeger: {} answered {}, trying api_v3",
                req.describe(),
                resp.status
            );
            let req = self.endpoint.get("/api/v3/services");
            let resp = self.endpoint.send(req.clone()).await?;
            ensure_ok(&req, &resp)?;
            decode::<Services>(&req, &resp)?;
            return Ok(ApiVersion::V3);
        }
        ensure_ok(&req, &resp)?;
        // Decoding here makes a login page or a wrong URL fail at the first call, not later.
        envelope_data(&req, decode::<Envelope<'_, Vec<String>>>(&req, &resp)?)?;
        Ok(ApiVersion::Legacy)
    }

    /// Service names, sorted.
    pub async fn services(&self) -> Result<Vec<String>, BackendError> {
        let mut out = match self.api_version().await? {
            ApiVersion::Legacy => {
                let req = self.endpoint.get("/api/services");
                let resp = self.ok(&req).await?;
                envelope_data(&req, decode::<Envelope<'_, Vec<String>>>(&req, &resp)?)?
            }
            ApiVersion::V3 => {
                let req = self.endpoint.get("/api/v3/services");
                let resp = self.ok(&req).await?;
                decode::<Services>(&req, &resp)?
                    .services
                    .unwrap_or_default()
            }
        };
        // The in-memory and Badger stores answer in map order.
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// A service's operations with their span kinds, sorted.
    pub async fn operations(&self, service: &str) -> Result<Vec<Operation>, BackendError> {
        let mut out = match self.api_version().await? {
            ApiVersion::Legacy => {
                let req = self
                    .endpoint
                    .get("/api/operations")
                    .query("service", service);
                let resp = self.ok(&req).await?;
                let ops = envelope_data(
                    &req,
                    decode::<Envelope<'_, Vec<WireOperation>>>(&req, &resp)?,
                )?;
                ops.into_iter().map(WireOperation::into_domain).collect()
            }
            ApiVersion::V3 => {
                let req = self
                    .endpoint
                    .get("/api/v3/operations")
                    .query("service", service);
                let resp = self.ok(&req).await?;
                decode::<Operations>(&req, &resp)?.into_domain()
            }
        };
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Traces matching `q`, in the server's order. No match is an empty list in both APIs
    /// (api_v3 says so with a 404).
    ///
    /// When the API is not known yet, the search itself detects it (issue 19: one round trip,
    /// not two): the legacy search goes out first, and the 404/405 that
    /// [`JaegerClient::api_version`] would have met on `/api/services` sends it to api_v3.
    pub async fn find_traces(&self, q: &TraceQuery) -> Result<Vec<Trace>, BackendError> {
        self.find_traces_keeping(q, TagPolicy::All).await
    }

    /// [`JaegerClient::find_traces`], the spans keeping only the tags `tags` names.
    pub async fn find_traces_keeping(
        &self,
        q: &TraceQuery,
        tags: TagPolicy,
    ) -> Result<Vec<Trace>, BackendError> {
        let version = match self.version.get() {
            Some(v) => *v,
            None => return self.find_traces_detecting(q, tags).await,
        };
        match version {
            ApiVersion::Legacy => {
                let req = legacy_search(&self.endpoint, q);
                let resp = self.ok(&req).await?;
                let env = decode_keeping::<Envelope<'_, TraceList>>(&req, &resp, tags)?;
                Ok(envelope_data(&req, env)?.0)
            }
            ApiVersion::V3 => {
                let req = v3_search(&self.endpoint, q);
                let resp = self.endpoint.send(req.clone()).await?;
                if is_jaeger_not_found(&resp) {
                    return Ok(Vec::new());
                }
                ensure_ok(&req, &resp)?;
                Ok(decode_keeping::<TracesResult>(&req, &resp, tags)?.into_domain())
            }
        }
    }

    /// [`JaegerClient::find_traces`] with the API unknown: the legacy search, else api_v3's.
    /// What is learnt is kept for the client's later calls (a concurrent detection may have
    /// kept the same first; both agree).
    async fn find_traces_detecting(
        &self,
        q: &TraceQuery,
        tags: TagPolicy,
    ) -> Result<Vec<Trace>, BackendError> {
        let req = legacy_search(&self.endpoint, q);
        let resp = self.endpoint.send(req.clone()).await?;
        if matches!(resp.status, 404 | 405) {
            tracing::debug!(
                "jaeger: {} answered {}, trying api_v3",
                req.describe(),
                resp.status
            );
            let _ = self.version.set(ApiVersion::V3);
            return Box::pin(self.find_traces_keeping(q, tags)).await;
        }
        ensure_ok(&req, &resp)?;
        // Decoded before the version is kept: a login page or a wrong URL is an error, not
        // "legacy", as in `detect`.
        let env = decode_keeping::<Envelope<'_, TraceList>>(&req, &resp, tags)?;
        let traces = envelope_data(&req, env)?;
        let _ = self.version.set(ApiVersion::Legacy);
        Ok(traces.0)
    }

    /// One trace by ID; `None` when the server says it has no such trace.
    pub async fn trace(&self, trace_id: &str) -> Result<Option<Trace>, BackendError> {
        let id = path_segment(trace_id.trim());
        let (req, legacy) = match self.api_version().await? {
            ApiVersion::Legacy => (self.endpoint.get(format!("/api/traces/{id}")), true),
            ApiVersion::V3 => (self.endpoint.get(format!("/api/v3/traces/{id}")), false),
        };
        let resp = self.endpoint.send(req.clone()).await?;
        if is_jaeger_not_found(&resp) {
            return Ok(None);
        }
        ensure_ok(&req, &resp)?;
        let traces = if legacy {
            let data = envelope_data(&req, decode::<Envelope<'_, TraceList>>(&req, &resp)?)?;
            data.0
        } else {
            decode::<TracesResult>(&req, &resp)?.into_domain()
        };
        Ok(traces.into_iter().next())
    }

    /// Service call edges seen in `[end - lookback, end]`, sorted by parent then child.
    pub async fn dependencies(
        &self,
        end: jiff::Timestamp,
        lookback: Duration,
    ) -> Result<Vec<DependencyLink>, BackendError> {
        let req = self
            .endpoint
            .get("/api/dependencies")
            .query("endTs", end.as_millisecond().to_string())
            .query("lookback", lookback.as_millis().max(1).to_string());
        let resp = self.ok(&req).await?;
        let deps = envelope_data(
            &req,
            decode::<Envelope<'_, Vec<WireDependency>>>(&req, &resp)?,
        )?;
        let mut out: Vec<DependencyLink> =
            deps.into_iter().map(WireDependency::into_domain).collect();
        out.sort();
        Ok(out)
    }

    async fn ok(&self, req: &Request) -> Result<Response, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        ensure_ok(req, &resp)?;
        Ok(resp)
    }
}

/// `GET /api/traces?...`, legacy search. Parameters in a fixed order; tags as a key-sorted map.
pub(super) fn legacy_search(endpoint: &Endpoint, q: &TraceQuery) -> Request {
    let mut req = endpoint
        .get("/api/traces")
        .query("service", q.service.as_str());
    if let Some(op) = q.operation.as_deref().filter(|o| !o.is_empty()) {
        req = req.query("operation", op);
    }
    if !q.tags.is_empty() {
        req = req.query("tags", tags_json(&q.tags));
    }
    if let Some(d) = q.min_duration {
        req = req.query("minDuration", go_duration(d));
    }
    if let Some(d) = q.max_duration {
        req = req.query("maxDuration", go_duration(d));
    }
    req.query("start", q.start.as_microsecond().to_string())
        .query("end", q.end.as_microsecond().to_string())
        .query("limit", q.limit.to_string())
}

/// `GET /api/v3/traces?query.*`, api_v3 search.
pub(super) fn v3_search(endpoint: &Endpoint, q: &TraceQuery) -> Request {
    let mut req = endpoint
        .get("/api/v3/traces")
        .query("query.serviceName", q.service.as_str());
    if let Some(op) = q.operation.as_deref().filter(|o| !o.is_empty()) {
        req = req.query("query.operationName", op);
    }
    if !q.tags.is_empty() {
        req = req.query("query.attributes", tags_json(&q.tags));
    }
    if let Some(d) = q.min_duration {
        req = req.query("query.durationMin", go_duration(d));
    }
    if let Some(d) = q.max_duration {
        req = req.query("query.durationMax", go_duration(d));
    }
    req.query("query.startTimeMin", q.start.to_string())
        .query("query.startTimeMax", q.end.to_string())
        .query("query.searchDepth", q.limit.to_string())
}

/// Both APIs take tag filters as a JSON object of strings; sorted keys keep the URL stable.
fn tags_json(tags: &[(String, String)]) -> String {
    let map: BTreeMap<&str, &str> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    serde_json::to_string(&map).unwrap_or_default()
}

pub(super) use crate::clock::go_duration;

/// Non-2xx → a typed error carrying the server's own message when it sent a Jaeger error body.
fn ensure_ok(req: &Request, resp: &Response) -> Result<(), BackendError> {
    if resp.is_success() {
        return Ok(());
    }
    let message = serde_json::from_slice::<ErrorBody<'_>>(&resp.body)
        .ok()
        .and_then(|b| b.message())
        .map(|m| one_line(&m))
        .unwrap_or_else(|| resp.short_text());
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

/// A 404 that Jaeger itself wrote (a JSON error body): "trace not found" or api_v3's "No traces
/// found". A plain-text 404 is a missing route — a wrong URL or an old server — and stays an error.
fn is_jaeger_not_found(resp: &Response) -> bool {
    resp.status == 404
        && serde_json::from_slice::<ErrorBody<'_>>(&resp.body)
            .ok()
            .and_then(|b| b.message())
            .is_some()
}

fn decode<'a, T: Deserialize<'a>>(req: &Request, resp: &'a Response) -> Result<T, BackendError> {
    let fail = |reason: String| req.error(ErrorKind::Decode { reason });
    if resp.short_text().starts_with("an HTML page") {
        return Err(fail("got an HTML page, not JSON".into()));
    }
    // Validating UTF-8 once, up front, is much cheaper than serde_json checking every string.
    let text = std::str::from_utf8(&resp.body).map_err(|e| fail(format!("not UTF-8: {e}")))?;
    // Names repeated across the answer's spans share one allocation (issue 19); the table is
    // emptied when the answer is decoded.
    let _names = crate::model::name::InternScope::new();
    serde_json::from_str(text).map_err(|e| fail(format!("invalid JSON: {e}")))
}

/// [`decode`] keeping only the span tags `tags` names. Synchronous, so the policy (a
/// thread-local while the body is parsed) cannot leak into another task's decode.
fn decode_keeping<'a, T: Deserialize<'a>>(
    req: &Request,
    resp: &'a Response,
    tags: TagPolicy,
) -> Result<T, BackendError> {
    let _tags = KeepTags::new(tags);
    decode(req, resp)
}

/// The envelope's data; its `errors` alone (a 200 that failed) become an API error. Jaeger
/// writes a nil list as `null`, so null data without errors is an empty answer; a body with no
/// `data` key and no `errors` is not Jaeger's, and a decode error (found by `tests/it/faults.rs`:
/// a Prometheus error envelope used to read as "no traces").
fn envelope_data<T: Default>(req: &Request, env: Envelope<'_, T>) -> Result<T, BackendError> {
    let errors = env.errors.unwrap_or_default();
    let message = one_line(
        &errors
            .iter()
            .map(|e| e.msg.as_ref())
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
    );
    match env.data {
        None if errors.is_empty() => Err(req.error(ErrorKind::Decode {
            reason: "no `data` field: not a Jaeger API answer".into(),
        })),
        Some(Some(data)) => {
            if !errors.is_empty() {
                tracing::warn!("{}: partial answer: {message}", req.describe());
            }
            Ok(data)
        }
        _ if !errors.is_empty() => Err(req.error(ErrorKind::Api {
            error_type: match errors.iter().find_map(|e| e.code) {
                Some(code) => format!("error {code}"),
                None => "error".into(),
            },
            message,
        })),
        _ => Ok(T::default()),
    }
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
