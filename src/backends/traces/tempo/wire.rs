//! Private serde types for Grafana Tempo's HTTP API answers.
//!
//! Tempo marshals its protobuf answers with gogo `jsonpb` defaults: lowerCamel names, uint64 as
//! strings, enums by name, `bytes` (trace and span IDs) as base64, zero and empty fields left
//! out. So an empty search may carry no `traces` key at all, and every field here is optional.
//! Traces are OTLP and go through the one OTLP decoder (`jaeger/wire_v3.rs`) with base64 IDs.
//! Shapes: `pkg/tempopb` and `modules/frontend/combiner` in grafana/tempo, and the API docs at
//! <https://grafana.com/docs/tempo/latest/api_docs/>. Not here: which endpoint returns what
//! (`client.rs`). Tests: `tests.rs`.

use serde::Deserialize;

use super::super::ids::Base64Ids;
use super::super::jaeger::OtlpTraces;
use crate::model::trace::Trace;

/// `GET /api/search`: `{traces:[{traceID, rootServiceName, ..., spanSets}], metrics}`. Only the
/// IDs are read: span sets hold the matching spans alone, so whole traces are fetched by ID.
#[derive(Deserialize)]
pub(super) struct SearchResponse {
    #[serde(default)]
    pub traces: Option<Vec<SearchTrace>>,
}

#[derive(Deserialize)]
pub(super) struct SearchTrace {
    /// Hex, leading zeros trimmed (`pkg/util/traceid.go`).
    #[serde(default, rename = "traceID")]
    pub trace_id: String,
}

/// `GET /api/v2/traces/{id}`: `{"trace":{"resourceSpans":[...]}, "status"?, "message"?,
/// "metrics"?}`. An unknown trace is a 200 with `"trace":{}` (the querier never writes 404).
#[derive(Deserialize)]
pub(super) struct TraceV2 {
    #[serde(default)]
    trace: Option<TraceBody>,
    /// `PARTIAL` when the trace exceeded the server's size limit, with `message` saying so.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct TraceBody {
    #[serde(default, rename = "resourceSpans", alias = "batches")]
    resource_spans: Option<OtlpTraces<Base64Ids>>,
}

/// `GET /api/traces/{id}` (v1): `{"batches":[...]}` in every 2.x and 3.x release (the proto
/// field became `resourceSpans` in 2.6, and the v1 handler rewrites it back).
#[derive(Deserialize)]
pub(super) struct TraceV1 {
    #[serde(default, alias = "resourceSpans")]
    batches: Option<OtlpTraces<Base64Ids>>,
}

impl TraceV2 {
    /// The trace, `None` when the answer holds no span; a partial answer says so in a warning.
    pub fn into_trace(self) -> Option<Trace> {
        let mut t = first(
            self.trace
                .and_then(|t| t.resource_spans)
                .map(OtlpTraces::into_traces),
        )?;
        if self.status.as_deref() == Some("PARTIAL") {
            t.warnings.push(
                self.message
                    .unwrap_or_else(|| "Tempo returned a partial trace".into()),
            );
        }
        Some(t)
    }
}

impl TraceV1 {
    pub fn into_trace(self) -> Option<Trace> {
        first(self.batches.map(OtlpTraces::into_traces))
    }
}

/// One trace ID's answer is one trace; spans of another ID (a server bug) are not mixed in.
fn first(traces: Option<Vec<Trace>>) -> Option<Trace> {
    traces?.into_iter().find(|t| !t.spans.is_empty())
}

/// `GET /api/v2/search/tag/{tag}/values`: `{tagValues:[{type, value}], metrics}`.
#[derive(Deserialize)]
pub(super) struct TagValuesV2 {
    #[serde(default, rename = "tagValues")]
    pub tag_values: Option<Vec<TypedValue>>,
}

#[derive(Deserialize)]
pub(super) struct TypedValue {
    #[serde(default)]
    pub value: String,
}

/// `GET /api/search/tag/{tag}/values` (v1): `{tagValues:[string], metrics}`.
#[derive(Deserialize)]
pub(super) struct TagValuesV1 {
    #[serde(default, rename = "tagValues")]
    pub tag_values: Option<Vec<String>>,
}
