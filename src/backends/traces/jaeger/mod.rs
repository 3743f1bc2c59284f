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
//! One of the two trace stores behind [`crate::backends::traces::TraceStore`]; its OTLP decoder
//! (`wire_v3.rs`) also serves Tempo, with base64 instead of hex IDs.
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
use std::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};

pub use client::{ApiCell, JaegerClient};
/// The OTLP decoder, generic over the ID encoding, which Tempo's client reads its traces with.
pub(crate) use wire_v3::OtlpTraces;

use crate::model::name::{InternScope, intern};
pub use crate::model::trace::{
    DependencyLink, Name, Operation, Resource, Span, SpanEvent, SpanId, SpanKind, TagPolicy, Trace,
    TraceQuery, ui_link,
};

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
    decode_traces_keeping(body, TagPolicy::All)
}

/// [`decode_traces`], keeping only the span tags `tags` names (the benches measure each
/// analysis' own policy with it).
pub fn decode_traces_keeping(body: &[u8], tags: TagPolicy) -> Result<Vec<Trace>, String> {
    let _names = InternScope::new();
    let _tags = KeepTags::new(tags);
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    match serde_json::from_str::<wire::Envelope<'_, wire::TraceList>>(text) {
        Ok(env) => Ok(env.data.flatten().map(|l| l.0).unwrap_or_default()),
        Err(legacy) => serde_json::from_str::<wire_v3::TracesResult>(text)
            .map(wire_v3::TracesResult::into_domain)
            .map_err(|v3| format!("neither API's shape: {legacy}; {v3}")),
    }
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

fn normalize_span_id(raw: &str) -> SpanId {
    SpanId::parse(raw)
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

thread_local! {
    /// Where a span's kept tags gather while it is parsed, reused span after span: the span then
    /// gets a list of exactly their number in one allocation, where growing a fresh list cost two
    /// or three (4, 8, then shrinking to fit) per span (issue 19). Only a buffer: a span whose
    /// parse fails, or that finds it taken, starts an empty one.
    static TAG_SCRATCH: RefCell<Vec<(Name, Name)>> = const { RefCell::new(Vec::new()) };
}

thread_local! {
    /// The span tags the answer being decoded on this thread keeps (see [`KeepTags`]). A
    /// thread-local rather than a serde seed threaded through every wire type, as the intern
    /// table is: a response is decoded synchronously on one thread.
    static TAG_POLICY: Cell<TagPolicy> = const { Cell::new(TagPolicy::All) };
}

/// While alive, the decoders on this thread keep only the span tags its policy names; dropped,
/// the previous policy is back. Made around a synchronous decode only, never held across an
/// `.await` (another task's decode could then run on this thread under it).
pub(crate) struct KeepTags(TagPolicy);

impl KeepTags {
    pub(crate) fn new(tags: TagPolicy) -> KeepTags {
        KeepTags(TAG_POLICY.replace(tags))
    }
}

impl Drop for KeepTags {
    fn drop(&mut self) {
        TAG_POLICY.set(self.0);
    }
}

/// A span's tag list sorted out while it is parsed: what OTLP keeps in typed fields (kind,
/// status, Jaeger's warnings) and the rest. Kept apart from [`Span`] so the decoders build each
/// span once instead of moving a half-built one around.
#[derive(Default)]
struct Lifted {
    kind: SpanKind,
    error: bool,
    status_message: Option<String>,
    tags: Vec<(Name, Name)>,
    warnings: Vec<String>,
    /// Which of the rest go into `tags`; read once per span, not per tag.
    keep: TagPolicy,
}

impl Lifted {
    /// An empty one whose tag list is the thread's scratch buffer (see [`TAG_SCRATCH`]), keeping
    /// the tags the thread's decode keeps (see [`KeepTags`]).
    fn with_scratch() -> Lifted {
        let mut tags = TAG_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        tags.clear();
        Lifted {
            tags,
            keep: TAG_POLICY.get(),
            ..Lifted::default()
        }
    }

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
            // Interned: keys repeat on every span, and most values (methods, status codes,
            // peers, components) on many (issue 19). Left out, unread, when the caller's
            // analysis reads no such tag.
            k => {
                if self.keep.keeps(k) {
                    self.tags.push((intern(&key), intern(&value)));
                }
            }
        }
    }

    /// The span, with service, resource and parent left for the caller.
    fn into_span(
        mut self,
        span_id: SpanId,
        operation: Name,
        start_us: i64,
        duration_us: i64,
    ) -> Span {
        // Spans are kept by the million: the list's growth slack would be a tenth of their memory,
        // so the span gets an exact copy and the buffer goes back for the next span.
        let tags: Vec<(Name, Name)> = self.tags.drain(..).collect();
        if self.tags.capacity() > 0 {
            let buf = std::mem::take(&mut self.tags);
            TAG_SCRATCH.with(|s| *s.borrow_mut() = buf);
        }
        Span {
            span_id,
            parent_id: None,
            service: Name::default(),
            operation,
            start_us,
            duration_us,
            kind: self.kind,
            error: self.error,
            status_message: self.status_message,
            tags,
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
        assert_eq!(
            normalize_span_id("e127af99e3b3e074").to_string(),
            "e127af99e3b3e074"
        );
        assert_eq!(normalize_span_id("2").to_string(), "0000000000000002");
        assert_eq!(normalize_span_id("not-hex"), normalize_span_id("not-hex"));
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
        let s = l.into_span(SpanId(0), Name::default(), 0, 0);
        assert_eq!(s.kind, SpanKind::Client);
        assert!(s.error);
        assert_eq!(s.status_message.as_deref(), Some("boom"));
        assert_eq!(s.tags, vec![("http.method".into(), "GET".into())]);
    }

    #[test]
    fn a_span_gets_exactly_its_own_tags_whatever_the_scratch_buffer_held() {
        let mut first = Lifted::with_scratch();
        for i in 0..9 {
            first.apply(format!("k{i}").into(), "v".into());
        }
        let first = first.into_span(SpanId(0), Name::default(), 0, 0);
        assert_eq!(first.tags.len(), 9);
        assert_eq!(first.tags.capacity(), 9, "no growth slack kept");
        let mut second = Lifted::with_scratch();
        second.apply("only".into(), "one".into());
        let second = second.into_span(SpanId(0), Name::default(), 0, 0);
        assert_eq!(second.tags, vec![("only".into(), "one".into())]);
        assert_eq!(second.tags.capacity(), 1);
        assert!(
            Lifted::with_scratch()
                .into_span(SpanId(0), Name::default(), 0, 0)
                .tags
                .is_empty()
        );
    }
}
