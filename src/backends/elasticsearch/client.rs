//! [`ElasticsearchClient`]: its read calls (see the table in `mod.rs`; the maintenance calls are in
//! `maintain.rs`), and the request plumbing and error mapping both share, over [`crate::transport`].
//!
//! Every name or pattern from the user is validated before anything is sent (`names.rs` says why
//! escaping alone is not enough), and goes into the path through `names::pattern_path`. Query
//! bodies are built with `serde_json::json!`, so a service name is escaped by the JSON encoder,
//! never spliced into text. Reads, including the `_count` and `_search` POSTs, are marked
//! idempotent (retried on a timeout); mutations are not. Through the API server's service proxy
//! those two are GETs with the body in `?source=` ([`read_request`]). Errors: Elasticsearch's error body
//! (`{"error": {"type", "reason", "root_cause"}, "status"}`) becomes [`ErrorKind::Api`], except
//! 401/403 ([`ErrorKind::Forbidden`], with the reason) and 404 `index_not_found_exception`
//! ([`ErrorKind::Status`]); where absence is a normal answer (a template, a snapshot, indices
//! matching a name) it is `None` or empty instead. A body that is not the API's (a proxy's page)
//! is a status error when the status is not 2xx, else a decode error. Tests: `tests/`.

use std::collections::BTreeMap;

use bytes::Bytes;
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::wire;
use super::{
    ClusterHealth, Health, IndexInfo, IndexStatus, OperationStats, OperationStatsReport, Shards,
    SpanCount, ThreadPoolStats,
};
use crate::model::storage::disk::{DiskUsage, NodeDisk, Watermarks};
use crate::model::storage::names::{
    pattern_path, valid_index_name, valid_index_pattern, valid_repository_name,
};
use crate::transport::{
    BackendError, Endpoint, ErrorKind, Method, Request, Response, path_segment,
};

/// Buckets asked for in `operation_stats`; past it, spans are counted in `other_spans`.
const MAX_OPERATIONS: u32 = 1000;

#[derive(Clone)]
pub struct ElasticsearchClient {
    pub(super) endpoint: Endpoint,
}

impl ElasticsearchClient {
    pub fn new(endpoint: Endpoint) -> Self {
        ElasticsearchClient { endpoint }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn read(&self, path: String, body: &Value) -> Request {
        read_request(&self.endpoint, path, body)
    }

    pub async fn cluster_health(&self) -> Result<ClusterHealth, BackendError> {
        let h: wire::ClusterHealth = self.call(self.endpoint.get("/_cluster/health")).await?;
        Ok(ClusterHealth {
            cluster_name: h.cluster_name,
            status: Health::parse(&h.status),
            timed_out: h.timed_out,
            number_of_nodes: h.number_of_nodes,
            number_of_data_nodes: h.number_of_data_nodes,
            active_primary_shards: h.active_primary_shards,
            active_shards: h.active_shards,
            relocating_shards: h.relocating_shards,
            initializing_shards: h.initializing_shards,
            unassigned_shards: h.unassigned_shards,
            delayed_unassigned_shards: h.delayed_unassigned_shards,
            number_of_pending_tasks: h.number_of_pending_tasks,
            task_max_waiting_in_queue_millis: h.task_max_waiting_in_queue_millis,
            active_shards_percent: h.active_shards_percent_as_number,
        })
    }

    /// The indices matching `pattern`, sorted by name, with their blocks. A pattern matching
    /// nothing, or a concrete name that does not exist, gives an empty list.
    pub async fn indices(&self, pattern: &str) -> Result<Vec<IndexInfo>, BackendError> {
        let path = self.pattern(pattern)?;
        let req = self
            .endpoint
            .get(format!("/_cat/indices/{path}"))
            .query("format", "json")
            .query("bytes", "b")
            .query(
                "h",
                "index,health,status,docs.count,store.size,creation.date",
            );
        let rows: Vec<wire::CatIndex> = self
            .call_or_absent(req, &["index_not_found_exception"])
            .await?
            .unwrap_or_default();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let req = self
            .endpoint
            .get(format!("/{path}/_settings/index.blocks.*"))
            .query("flat_settings", "true");
        let settings: BTreeMap<String, wire::IndexSettings> = self
            .call_or_absent(req, &["index_not_found_exception"])
            .await?
            .unwrap_or_default();
        let mut out: Vec<IndexInfo> = rows
            .into_iter()
            .map(|row| {
                let blocks = settings.get(&row.index).map(blocks).unwrap_or_default();
                IndexInfo {
                    health: Health::parse(row.health.text().unwrap_or("")),
                    status: match row.status.text() {
                        Some("open") => IndexStatus::Open,
                        Some("close") => IndexStatus::Close,
                        other => IndexStatus::Unknown(other.unwrap_or("").to_string()),
                    },
                    docs_count: row.docs_count.u64(),
                    store_size_bytes: row.store_size.u64(),
                    creation_date: row
                        .creation_date
                        .i64()
                        .and_then(|ms| Timestamp::from_millisecond(ms).ok()),
                    read_only_allow_delete: blocks.iter().any(|b| b == "read_only_allow_delete"),
                    blocks,
                    name: row.index,
                }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Each node's write thread pool, sorted by node.
    pub async fn write_rejections(&self) -> Result<Vec<ThreadPoolStats>, BackendError> {
        let req = self
            .endpoint
            .get("/_cat/thread_pool/write")
            .query("format", "json")
            .query("h", "node_name,name,active,queue,rejected");
        let rows: Vec<wire::CatThreadPool> = self.call(req).await?;
        let mut out: Vec<ThreadPoolStats> = rows
            .into_iter()
            .map(|r| ThreadPoolStats {
                pool: r.name.text().unwrap_or("write").to_string(),
                active: r.active.u64().unwrap_or(0),
                queue: r.queue.u64().unwrap_or(0),
                rejected: r.rejected.u64().unwrap_or(0),
                node: r.node_name,
            })
            .collect();
        out.sort_by(|a, b| (&a.node, &a.pool).cmp(&(&b.node, &b.pool)));
        Ok(out)
    }

    /// Disk per data node and the effective watermarks.
    pub async fn disk_usage(&self) -> Result<DiskUsage, BackendError> {
        let req = self
            .endpoint
            .get("/_cat/allocation")
            .query("format", "json")
            .query("bytes", "b");
        let rows: Vec<wire::CatAllocation> = self.call(req).await?;
        let req = self
            .endpoint
            .get("/_cluster/settings")
            .query("include_defaults", "true")
            .query("flat_settings", "true")
            .query(
                "filter_path",
                "*.cluster.routing.allocation.disk.watermark*",
            );
        let settings: wire::ClusterSettings = self.call(req).await?;
        // Precedence, lowest first: what a later section sets wins.
        let mut flat = BTreeMap::new();
        for section in [
            &settings.defaults,
            &settings.persistent,
            &settings.transient,
        ] {
            wire::flatten(section, &mut flat);
        }
        let mut unassigned_shards = 0;
        let mut nodes = Vec::new();
        for r in rows {
            if r.node == "UNASSIGNED" && r.host.text().is_none() {
                unassigned_shards += r.shards.u64().unwrap_or(0);
                continue;
            }
            nodes.push(NodeDisk {
                host: r.host.text().map(str::to_string),
                ip: r.ip.text().map(str::to_string),
                shards: r.shards.u64(),
                indices_bytes: r.disk_indices.u64(),
                used_bytes: r.disk_used.u64(),
                available_bytes: r.disk_avail.u64(),
                total_bytes: r.disk_total.u64(),
                percent: r.disk_percent.f64(),
                node: r.node,
            });
        }
        nodes.sort_by(|a, b| a.node.cmp(&b.node));
        Ok(DiskUsage {
            nodes,
            unassigned_shards,
            watermarks: Watermarks::from_settings(&flat),
        })
    }

    /// How many spans `service` stored with a start in `[start, end)`.
    pub async fn count(
        &self,
        index_pattern: &str,
        service: &str,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<SpanCount, BackendError> {
        let path = self.pattern(index_pattern)?;
        let body = json!({ "query": span_filter(service, start, end) });
        let req = self.read(format!("/{path}/_count"), &body);
        let c: wire::Count = self.call(req).await?;
        Ok(SpanCount {
            count: c.count,
            shards: shards(&c.shards),
        })
    }

    /// Spans and p95 duration per operation of `service` in `[start, end)`, computed by the
    /// cluster: one aggregation instead of fetching spans.
    pub async fn operation_stats(
        &self,
        index_pattern: &str,
        service: &str,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<OperationStatsReport, BackendError> {
        let path = self.pattern(index_pattern)?;
        let body = json!({
            "size": 0,
            "query": span_filter(service, start, end),
            "aggs": {
                "operations": {
                    "terms": { "field": "operationName", "size": MAX_OPERATIONS },
                    "aggs": {
                        "duration": { "percentiles": { "field": "duration", "percents": [95] } }
                    }
                }
            }
        });
        let req = self.read(format!("/{path}/_search"), &body);
        let s: wire::Search = self.call(req).await?;
        let terms = s
            .aggregations
            .and_then(|a| a.operations)
            .unwrap_or_default();
        let mut operations: Vec<OperationStats> = terms
            .buckets
            .into_iter()
            .map(|b| OperationStats {
                operation: match b.key {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
                spans: b.doc_count,
                p95_duration_us: b.duration.and_then(|p| p.get(95.0)),
            })
            .collect();
        operations.sort_by(|a, b| b.spans.cmp(&a.spans).then(a.operation.cmp(&b.operation)));
        Ok(OperationStatsReport {
            operations,
            other_spans: terms.sum_other_doc_count,
            timed_out: s.timed_out,
            shards: shards(&s.shards),
        })
    }

    pub(super) async fn call<T: DeserializeOwned>(&self, req: Request) -> Result<T, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        check(&req, &resp)?;
        crate::transport::decode_json(&req, &resp)
    }

    /// Like `call`, but a 404 whose error type is one of `absent` is `None`: the server saying
    /// "no such thing", as opposed to a 404 from a wrong URL, which stays an error.
    pub(super) async fn call_or_absent<T: DeserializeOwned>(
        &self,
        req: Request,
        absent: &[&str],
    ) -> Result<Option<T>, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        if resp.status == 404
            && let Some((Some(ty), _)) = parse_error(&resp)
            && absent.contains(&ty.as_str())
        {
            return Ok(None);
        }
        check(&req, &resp)?;
        crate::transport::decode_json(&req, &resp).map(Some)
    }

    pub(super) fn pattern(&self, pattern: &str) -> Result<String, BackendError> {
        if valid_index_pattern(pattern) {
            Ok(pattern_path(pattern))
        } else {
            Err(self.invalid(format!("index pattern {pattern:?}: {NAME_RULES}")))
        }
    }

    pub(super) fn name(
        &self,
        what: &str,
        name: &str,
        valid: fn(&str) -> bool,
    ) -> Result<String, BackendError> {
        if valid(name) {
            Ok(path_segment(name))
        } else {
            Err(self.invalid(format!(
                "{what} name {name:?}: {NAME_RULES}, and no `*` or `,`"
            )))
        }
    }

    pub(super) fn snapshot_path(
        &self,
        repository: &str,
        snapshot: &str,
    ) -> Result<String, BackendError> {
        let repo = self.name("snapshot repository", repository, valid_repository_name)?;
        let snap = self.name("snapshot", snapshot, valid_index_name)?;
        Ok(format!("/_snapshot/{repo}/{snap}"))
    }

    pub(super) fn index_list<S: AsRef<str>>(
        &self,
        indices: &[S],
    ) -> Result<Vec<String>, BackendError> {
        if indices.is_empty() {
            return Err(self.invalid("an empty index list (it would mean every index)".into()));
        }
        indices
            .iter()
            .map(|i| self.pattern(i.as_ref()).map(|_| i.as_ref().to_string()))
            .collect()
    }

    /// Input refused before sending. `Api` is the closest kind: it is what Elasticsearch itself
    /// answers to such a name (`invalid_index_name_exception`), and says nothing was unreachable.
    pub(super) fn invalid(&self, what: String) -> BackendError {
        BackendError::new(
            self.endpoint.backend,
            self.endpoint.base.as_str(),
            ErrorKind::Api {
                error_type: "invalid_argument".into(),
                message: format!("{what}; nothing was sent"),
            },
        )
    }

    pub(super) fn decode_error(&self, reason: &str) -> BackendError {
        BackendError::new(
            self.endpoint.backend,
            self.endpoint.base.as_str(),
            ErrorKind::Decode {
                reason: reason.into(),
            },
        )
    }
}

const NAME_RULES: &str = "lower case, not `.`/`..`, not starting with `-`, `_` or `+`, without spaces or any of \\/?\"<>|#:";

/// Jaeger's span documents of `service` starting in `[start, end)`. `startTimeMillis` is mapped as
/// `date` with format `epoch_millis`; `filter` skips scoring and lets the cluster cache it.
fn span_filter(service: &str, start: Timestamp, end: Timestamp) -> Value {
    json!({
        "bool": {
            "filter": [
                { "term": { "process.serviceName": service } },
                { "range": { "startTimeMillis": {
                    "gte": start.as_millisecond(),
                    "lt": end.as_millisecond(),
                    "format": "epoch_millis"
                } } }
            ]
        }
    })
}

/// Elasticsearch's limit on a request line (`http.max_initial_line_length`, 4kb by default;
/// over it the node answers 400 `too_long_http_line_exception`), with room for the method and
/// the protocol: a body passed in the URL must fit in it.
const MAX_REQUEST_LINE: usize = 4096 - "GET  HTTP/1.1".len();

/// A read with a query body at `path`. Through the API server's service proxy, where a POST is
/// `create` on `services/proxy` (the read-only role grants `get`), the body goes in the URL as
/// Elasticsearch and OpenSearch accept it for any request
/// (`?source=JSON&source_content_type=application/json`, the REST API's "request body in query
/// string"), when the request line stays within [`MAX_REQUEST_LINE`]; else, and everywhere
/// else, a POST. Safe to retry either way.
fn read_request(endpoint: &Endpoint, path: String, body: &Value) -> Request {
    if endpoint.through_service_proxy() {
        let get = endpoint
            .get(path.clone())
            .query("source", body.to_string())
            .query("source_content_type", "application/json");
        let line = get.url();
        let line_len = line.path().len() + line.query().map_or(0, |q| q.len() + 1);
        // The API server strips its prefix before Elasticsearch reads the line.
        let prefix = endpoint.base.path().trim_end_matches('/').len();
        if line_len.saturating_sub(prefix) <= MAX_REQUEST_LINE {
            return get;
        }
    }
    read_post(endpoint.request(Method::Post, path), body)
}

/// A read sent as a POST (a query body): safe to retry.
fn read_post(req: Request, body: &Value) -> Request {
    let mut req = with_json(req, body);
    req.idempotent = true;
    req
}

pub(super) fn with_json(mut req: Request, body: &Value) -> Request {
    req.headers
        .push(("Content-Type".into(), "application/json".into()));
    // A `Value` always serializes: its map keys are strings.
    req.body = Some(Bytes::from(body.to_string()));
    req
}

pub(super) fn shards(s: &wire::WireShards) -> Shards {
    Shards {
        total: s.total,
        successful: s.successful,
        skipped: s.skipped,
        failed: s.failed,
    }
}

/// The names of the `index.blocks.*` settings that are true, sorted.
fn blocks(s: &wire::IndexSettings) -> Vec<String> {
    let mut flat = BTreeMap::new();
    wire::flatten(&s.settings, &mut flat);
    flat.into_iter()
        .filter(|(_, v)| v == "true")
        .filter_map(|(k, _)| k.strip_prefix("index.blocks.").map(str::to_string))
        .collect()
}

fn parse_error(resp: &Response) -> Option<(Option<String>, String)> {
    serde_json::from_slice::<wire::ErrorResponse>(&resp.body)
        .ok()?
        .describe()
}

/// Reasons are kept to one readable line.
const MAX_MESSAGE: usize = 300;

/// Map a non-2xx answer to an error (see the module doc).
pub(super) fn check(req: &Request, resp: &Response) -> Result<(), BackendError> {
    if resp.is_success() {
        return Ok(());
    }
    let code = resp.status;
    let (error_type, message) = match parse_error(resp) {
        Some((ty, m)) if !m.is_empty() || ty.is_some() => (ty, shorten(&m)),
        _ => (None, resp.short_text()),
    };
    Err(req.error(match (code, error_type) {
        (401 | 403, _) => ErrorKind::Forbidden { code, message },
        (404, Some(ty)) if ty == "index_not_found_exception" => ErrorKind::Status {
            code,
            message: format!("{ty}: {message}"),
        },
        (_, Some(error_type)) => ErrorKind::Api {
            error_type,
            message,
        },
        (_, None) => ErrorKind::Status { code, message },
    }))
}

fn shorten(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    if line.chars().count() <= MAX_MESSAGE && !s.trim().contains('\n') {
        return line.to_string();
    }
    let mut out: String = line.chars().take(MAX_MESSAGE).collect();
    out.push('…');
    out
}
