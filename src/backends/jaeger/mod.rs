//! Jaeger: the query service's HTTP APIs, turned into plain trace data for the analysis code.
//!
//! This module holds the domain types ([`Trace`], [`Span`], [`DependencyLink`], [`TraceQuery`]) and
//! the [`JaegerClient`] that fills them. It is not the analysis (that is
//! [`crate::analysis::traces`]) and it never talks HTTP itself: every exchange goes through
//! [`crate::transport`], so `--record`/`--replay` work unchanged.
//!
//! Two wire formats are read, because Jaeger removed its legacy search endpoints after v2.20
//! (PR #9260): the legacy "internal HTTP JSON" API (`/api/services`, `/api/operations`,
//! `/api/traces`, `/api/traces/{id}`, `/api/dependencies`; Jaeger JSON in `{data, errors}`
//! envelopes, see `wire.rs`) and the stable `api_v3` HTTP gateway (`/api/v3/services`,
//! `/api/v3/operations`, `/api/v3/traces`, `/api/v3/traces/{id}`; OTLP-JSON, see `wire_v3.rs`).
//! Which one a server speaks is detected once per client (`client.rs`). Both decode into the same
//! domain values; the tags that OTLP keeps in typed fields (kind, status, scope) are lifted out of
//! the legacy tag lists so that they do (`scalar.rs` reads the JSON scalars both use). API docs:
//! <https://www.jaegertracing.io/docs/latest/architecture/apis/> and the api_v3 OpenAPI spec in
//! jaegertracing/jaeger-idl `swagger/api_v3/query_service.openapi.yaml`.
//!
//! Tests: `tests/` (a fake transport with hand-written responses shaped like Jaeger's own
//! fixtures) and the unit tests at the bottom of this file.

mod client;
mod scalar;
#[cfg(test)]
mod tests;
mod wire;
mod wire_v3;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use client::JaegerClient;

/// One trace: its spans in the order the server sent them, and the processes (v1) or resources
/// (OTLP) they ran in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// Lower-case hex, in Jaeger's canonical form: 16 digits when the high 64 bits are zero, else 32.
    pub trace_id: String,
    pub spans: Vec<Span>,
    /// Indexed by [`Span::resource`]; deduplicated, in order of first use.
    pub resources: Vec<Resource>,
    /// Trace-level warnings from the server (clock skew adjustments, truncation, ...).
    pub warnings: Vec<String>,
}

/// The process (v1) or OTLP resource a span ran in. Kept once per trace rather than copied into
/// every span, because resources carry many attributes and traces carry many spans.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub service: String,
    /// Process tags / resource attributes other than `service.name`.
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Lower-case hex, 16 digits.
    pub span_id: String,
    /// The first CHILD_OF reference within the trace (else its first reference within the
    /// trace), or OTLP `parentSpanId`; `None` for roots, including spans whose only references
    /// point into other traces. The parent may be absent from the trace (an orphan).
    pub parent_id: Option<String>,
    pub service: String,
    pub operation: String,
    /// Unix microseconds.
    pub start_us: i64,
    pub duration_us: i64,
    pub kind: SpanKind,
    /// Tag `error=true`, `otel.status_code=ERROR`, or OTLP status code 2.
    pub error: bool,
    /// `otel.status_description` / OTLP status message, else the message of an error event.
    pub status_message: Option<String>,
    /// Span tags / attributes rendered as strings, minus those lifted into the fields above.
    pub tags: Vec<(String, String)>,
    pub events: Vec<SpanEvent>,
    pub warnings: Vec<String>,
    /// Index into [`Trace::resources`].
    pub resource: usize,
}

impl Span {
    pub fn end_us(&self) -> i64 {
        self.start_us.saturating_add(self.duration_us)
    }

    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl Trace {
    /// The span's tag, else its resource's (e.g. `k8s.pod.name`, `service.version`).
    pub fn tag<'a>(&'a self, span: &'a Span, key: &str) -> Option<&'a str> {
        span.tag(key).or_else(|| {
            let res = self.resources.get(span.resource)?;
            res.tags
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        })
    }

    /// Wall-clock extent: first span start to last span end, as the Jaeger UI shows it.
    pub fn duration_us(&self) -> i64 {
        let start = self.spans.iter().map(|s| s.start_us).min();
        let end = self.spans.iter().map(Span::end_us).max();
        match (start, end) {
            (Some(s), Some(e)) => e.saturating_sub(s).max(0),
            _ => 0,
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    #[default]
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl SpanKind {
    /// The `span.kind` tag values of OpenTracing / Jaeger (also `spanKind` in operation lists).
    pub fn from_tag(s: &str) -> SpanKind {
        match s.to_ascii_lowercase().as_str() {
            "server" => SpanKind::Server,
            "client" => SpanKind::Client,
            "producer" => SpanKind::Producer,
            "consumer" => SpanKind::Consumer,
            "internal" => SpanKind::Internal,
            _ => SpanKind::Unspecified,
        }
    }

    /// OTLP's `SpanKind` enum numbers.
    pub fn from_otlp(n: i64) -> SpanKind {
        match n {
            1 => SpanKind::Internal,
            2 => SpanKind::Server,
            3 => SpanKind::Client,
            4 => SpanKind::Producer,
            5 => SpanKind::Consumer,
            _ => SpanKind::Unspecified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Unspecified => "unspecified",
            SpanKind::Internal => "internal",
            SpanKind::Server => "server",
            SpanKind::Client => "client",
            SpanKind::Producer => "producer",
            SpanKind::Consumer => "consumer",
        }
    }
}

/// A v1 log or an OTLP event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanEvent {
    /// OTLP event name, or the v1 log's `event` field; empty when there is none.
    pub name: String,
    pub timestamp_us: i64,
    pub fields: Vec<(String, String)>,
}

/// An edge of the service dependency graph, as `/api/dependencies` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DependencyLink {
    pub parent: String,
    pub child: String,
    pub call_count: u64,
}

/// An operation of a service, with the span kind the server recorded it under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Operation {
    pub name: String,
    pub kind: SpanKind,
}

/// A trace search. `start`/`end` bound the traces' start times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceQuery {
    pub service: String,
    pub operation: Option<String>,
    /// Exact-match span tags (attributes), all of which must match.
    pub tags: Vec<(String, String)>,
    pub min_duration: Option<std::time::Duration>,
    pub max_duration: Option<std::time::Duration>,
    pub start: jiff::Timestamp,
    pub end: jiff::Timestamp,
    /// The most traces to return (the v3 API calls this the search depth).
    pub limit: u32,
}

/// Which HTTP API a Jaeger query service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// `/api/*`: Jaeger v1, and v2 up to and including v2.20.
    Legacy,
    /// `/api/v3/*`: the only search API after v2.20.
    V3,
}

/// Decode a trace search's (or one trace's) answer in either API, legacy envelope first, then
/// api_v3, with the decoders the client uses: the entry point for `fuzz/` and the no-panic
/// property tests in `tests/it/proptests.rs`.
pub fn decode_traces(body: &[u8]) -> Result<Vec<Trace>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    match serde_json::from_str::<wire::Envelope<'_, wire::TraceList>>(text) {
        Ok(env) => Ok(env.data.flatten().map(|l| l.0).unwrap_or_default()),
        Err(legacy) => serde_json::from_str::<wire_v3::TracesResult>(text)
            .map(wire_v3::TracesResult::into_domain)
            .map_err(|v3| format!("neither API's shape: {legacy}; {v3}")),
    }
}

/// The Jaeger UI page of a trace.
pub fn ui_link(base: &url::Url, trace_id: &str) -> String {
    format!(
        "{}/trace/{}",
        base.as_str().trim_end_matches('/'),
        crate::transport::path_segment(trace_id)
    )
}

/// Jaeger's canonical text form of a trace ID (that of its `model.TraceID.String()`): v1 JSON
/// prints 16 digits when the high half is zero while api_v3 always prints 32, and both must name
/// the same trace.
fn normalize_trace_id(raw: &str) -> Cow<'_, str> {
    let id = hex_id(raw, 32);
    if id.len() == 32 && id.starts_with("0000000000000000") {
        return Cow::Owned(id[16..].to_string());
    }
    id
}

/// Whether two hex IDs name the same number (`00ff` = `FF`), without allocating: spans repeat
/// their trace's ID, often in another width than the one the trace is filed under.
fn same_id(a: &str, b: &str) -> bool {
    a == b
        || a.trim_start_matches('0')
            .eq_ignore_ascii_case(b.trim_start_matches('0'))
}

fn normalize_span_id(raw: &str) -> Cow<'_, str> {
    hex_id(raw, 16)
}

/// Lower-case and left-pad to 16 (or, past 16, `max`) digits; anything that is not hex is kept
/// as is, since an ID the server sent is still the best name for the span.
fn hex_id(raw: &str, max: usize) -> Cow<'_, str> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_hexdigit()) || raw.len() > max {
        return Cow::Borrowed(raw);
    }
    let width = if raw.len() <= 16 { 16 } else { max };
    if raw.len() == width && !raw.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(raw);
    }
    let mut s = String::with_capacity(width);
    s.extend(std::iter::repeat_n('0', width - raw.len()));
    s.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
    Cow::Owned(s)
}

/// A span's tag list sorted out while it is parsed: what OTLP keeps in typed fields (kind,
/// status, Jaeger's warnings) and the rest. Kept apart from [`Span`] so the decoders build each
/// span once instead of moving a half-built one around.
#[derive(Default)]
struct Lifted {
    kind: SpanKind,
    error: bool,
    status_message: Option<String>,
    tags: Vec<(String, String)>,
    warnings: Vec<String>,
}

impl Lifted {
    /// Where one legacy tag / OTLP attribute goes.
    fn apply(&mut self, key: Cow<'_, str>, value: Cow<'_, str>) {
        match key.as_ref() {
            "span.kind" => self.kind = SpanKind::from_tag(&value),
            "error" => self.error |= value.eq_ignore_ascii_case("true"),
            "otel.status_code" => self.error |= value.eq_ignore_ascii_case("error"),
            "otel.status_description" => {
                if !value.is_empty() {
                    self.status_message = Some(value.into_owned());
                }
            }
            // Scope and format markers say how a span was recorded, not what it did; OTLP keeps
            // them outside the attributes, so the legacy copies are dropped to make both agree.
            "otel.scope.name"
            | "otel.scope.version"
            | "otel.library.name"
            | "otel.library.version"
            | "internal.span.format" => {}
            "@jaeger@warnings" => self.warnings.push(value.into_owned()),
            k if k.starts_with("@jaeger@") => {}
            _ => self.tags.push((key.into_owned(), value.into_owned())),
        }
    }

    /// The span, with service, resource and parent left for the caller.
    fn into_span(
        mut self,
        span_id: String,
        operation: String,
        start_us: i64,
        duration_us: i64,
    ) -> Span {
        // Spans are kept by the million: the list's growth slack would be a tenth of their memory.
        self.tags.shrink_to_fit();
        Span {
            span_id,
            parent_id: None,
            service: String::new(),
            operation,
            start_us,
            duration_us,
            kind: self.kind,
            error: self.error,
            status_message: self.status_message,
            tags: self.tags,
            events: Vec::new(),
            warnings: self.warnings,
            resource: 0,
        }
    }
}

/// Last touches shared by both decoders: a status message from an error event when the status
/// carried none (OpenTracing logs `event=error message=...`, OTel records `exception` events).
fn finish_span(span: &mut Span) {
    if span.status_message.is_none() && span.error {
        span.status_message = span
            .events
            .iter()
            .filter(|e| e.name == "exception" || e.name == "error")
            .find_map(|e| {
                ["exception.message", "message", "error.object"]
                    .iter()
                    .find_map(|k| {
                        e.fields
                            .iter()
                            .find(|(fk, _)| fk == k)
                            .map(|(_, v)| v.clone())
                    })
            });
    }
}

/// Interns resources by content so both formats number them the same way.
fn intern_resource(resources: &mut Vec<Resource>, res: Resource) -> usize {
    if let Some(i) = resources.iter().position(|r| *r == res) {
        return i;
    }
    resources.push(res);
    resources.len() - 1
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn ids_are_normalized_to_jaegers_canonical_form() {
        assert_eq!(
            normalize_trace_id("00000000000000000000000000000001"),
            "0000000000000001"
        );
        assert_eq!(normalize_trace_id("1"), "0000000000000001");
        assert_eq!(
            normalize_trace_id("83A9EFD15C1C98A977E0711CC93EE28B"),
            "83a9efd15c1c98a977e0711cc93ee28b"
        );
        assert_eq!(
            normalize_trace_id("a977e0711cc93ee28b"),
            "00000000000000a977e0711cc93ee28b"
        );
        assert!(matches!(
            normalize_span_id("e127af99e3b3e074"),
            Cow::Borrowed(_)
        ));
        assert_eq!(normalize_span_id("2"), "0000000000000002");
        assert_eq!(normalize_span_id("not-hex"), "not-hex");
    }

    #[test]
    fn ui_link_joins_base_and_escapes_id() {
        let base = url::Url::parse("http://jaeger:16686/jaeger/").unwrap();
        assert_eq!(
            ui_link(&base, "abc"),
            "http://jaeger:16686/jaeger/trace/abc"
        );
        assert_eq!(
            ui_link(&base, "a/b"),
            "http://jaeger:16686/jaeger/trace/a%2Fb"
        );
    }

    #[test]
    fn lifted_tags_leave_the_tag_list() {
        let mut l = Lifted::default();
        for (k, v) in [
            ("span.kind", "client"),
            ("error", "true"),
            ("otel.status_description", "boom"),
            ("otel.scope.name", "x"),
            ("http.method", "GET"),
        ] {
            l.apply(k.into(), v.into());
        }
        let s = l.into_span(String::new(), String::new(), 0, 0);
        assert_eq!(s.kind, SpanKind::Client);
        assert!(s.error);
        assert_eq!(s.status_message.as_deref(), Some("boom"));
        assert_eq!(s.tags, vec![("http.method".to_string(), "GET".to_string())]);
    }
}
