//! Traces as plain data: [`Trace`], [`Span`], [`SpanKind`], [`SpanEvent`], [`Resource`], the
//! service graph's [`DependencyLink`], a service's [`Operation`]s, a search ([`TraceQuery`]) and
//! which span tags to keep from its answer ([`TagPolicy`]).
//!
//! What every trace store decodes into and every trace analysis reads; no I/O. Not here: the wire
//! formats (`crate::backends::traces::jaeger`, `crate::backends::traces::tempo`) or the analysis
//! (`crate::analysis::traces`). Tests: through the decoders' and the analysis' own tests.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::name::Name;

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
    pub service: Name,
    /// Process tags / resource attributes other than `service.name`.
    pub tags: Vec<(Name, Name)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub span_id: SpanId,
    /// The first CHILD_OF reference within the trace (else its first reference within the
    /// trace), or OTLP `parentSpanId`; `None` for roots, including spans whose only references
    /// point into other traces. The parent may be absent from the trace (an orphan).
    pub parent_id: Option<SpanId>,
    /// Shared with the span's resource and every span of the response that names it.
    pub service: Name,
    pub operation: Name,
    /// Unix microseconds.
    pub start_us: i64,
    pub duration_us: i64,
    pub kind: SpanKind,
    /// Tag `error=true`, `otel.status_code=ERROR`, or OTLP status code 2.
    pub error: bool,
    /// `otel.status_description` / OTLP status message, else the message of an error event.
    pub status_message: Option<String>,
    /// Span tags / attributes rendered as strings, minus those lifted into the fields above.
    /// Keys and values are interned per response: a tag's text is stored once however many spans
    /// carry it.
    pub tags: Vec<(Name, Name)>,
    pub events: Vec<SpanEvent>,
    pub warnings: Vec<String>,
    /// Index into [`Trace::resources`].
    pub resource: usize,
}

/// A span's ID: Jaeger's 64-bit number (`model.SpanID`), printed and serialized in its canonical
/// form, 16 lower-case hex digits with leading zeros. A number rather than its text because spans
/// are kept by the million and looked up by parent (issue 19): 8 bytes and no allocation.
///
/// An ID that is not hex of at most 16 digits (no Jaeger or Tempo sends one; a proxy might) is
/// named by a 64-bit hash of its text: spans and parents that spell it the same still link, and it
/// prints as that hash.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpanId(pub u64);

impl SpanId {
    /// The ID a server wrote: hex of any case, with or without leading zeros.
    pub fn parse(raw: &str) -> SpanId {
        // Checked digit by digit first: `from_str_radix` also takes a leading `+`.
        if !raw.is_empty()
            && raw.len() <= 16
            && raw.bytes().all(|b| b.is_ascii_hexdigit())
            && let Ok(n) = u64::from_str_radix(raw, 16)
        {
            return SpanId(n);
        }
        SpanId(fnv1a(raw.as_bytes()))
    }
}

/// FNV-1a, 64 bits: stable across runs and builds (unlike `std`'s hasher), for non-hex IDs only.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpanId({self})")
    }
}

impl From<&str> for SpanId {
    fn from(raw: &str) -> SpanId {
        SpanId::parse(raw)
    }
}

impl PartialEq<&str> for SpanId {
    /// Whether `raw` names this ID (`"00ff"`, `"FF"` and `"00000000000000ff"` all name 255).
    fn eq(&self, raw: &&str) -> bool {
        *self == SpanId::parse(raw)
    }
}

impl Serialize for SpanId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SpanId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SpanId, D::Error> {
        String::deserialize(d).map(|s| SpanId::parse(&s))
    }
}

impl Span {
    pub fn end_us(&self) -> i64 {
        self.start_us.saturating_add(self.duration_us)
    }

    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| *k == key)
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
                .find(|(k, _)| *k == key)
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

/// Which span tags a decoder keeps in [`Span::tags`] (issue 19): the caller says, from what its
/// analysis reads. Keeping a tag costs two table lookups and a slot in the span's list, which is
/// most of a span's decoding once its names are interned; an analysis that reads no tag gets
/// spans without a list. Only [`Span::tags`]: what is lifted out of the tags (kind, error, status
/// message, warnings) and the resources' tags (a handful per trace) are kept whatever the policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TagPolicy {
    /// Every tag (the audit, which reads them all, and any caller that does not say).
    #[default]
    All,
    /// No span tag.
    None,
    /// Only these keys.
    Only(&'static [&'static str]),
}

impl TagPolicy {
    pub fn keeps(self, key: &str) -> bool {
        match self {
            TagPolicy::All => true,
            TagPolicy::None => false,
            TagPolicy::Only(keys) => keys.contains(&key),
        }
    }
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

impl TraceQuery {
    /// Up to `limit` traces of `service` that started in `[start, end]`, with no operation, tag
    /// or duration to match.
    pub fn window(
        service: impl Into<String>,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
        limit: u32,
    ) -> Self {
        TraceQuery {
            service: service.into(),
            operation: None,
            tags: vec![],
            min_duration: None,
            max_duration: None,
            start,
            end,
            limit,
        }
    }
}

/// Where a trace can be looked at: the Jaeger UI's trace page, or Tempo's trace-by-ID API (Tempo
/// has no UI of its own; a Grafana Explore URL needs a datasource UID tracectl does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceLinks {
    Jaeger(url::Url),
    Tempo(url::Url),
}

impl TraceLinks {
    pub fn link(&self, trace_id: &str) -> String {
        let (base, path) = match self {
            TraceLinks::Jaeger(b) => (b, "trace"),
            TraceLinks::Tempo(b) => (b, "api/v2/traces"),
        };
        format!(
            "{}/{path}/{}",
            base.as_str().trim_end_matches('/'),
            crate::promql::path_segment(trace_id)
        )
    }
}

/// The Jaeger UI page of a trace.
pub fn ui_link(base: &url::Url, trace_id: &str) -> String {
    TraceLinks::Jaeger(base.clone()).link(trace_id)
}

/// What jaeger-query's metrics API said.
#[derive(Debug, Clone, PartialEq)]
pub enum JaegerMetrics {
    /// Nothing to ask about.
    NotAsked,
    /// No metrics backend configured (405 or 501, "... disabled").
    Disabled(String),
    /// It has one and cannot query it.
    Failed(String),
    /// This Jaeger serves no `/api/metrics` (404).
    NotServed,
    /// Answered for `service`: how many series had points.
    Answered { service: String, series: usize },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_ids_print_in_jaegers_canonical_form_and_parse_any_case_and_width() {
        assert_eq!(SpanId::parse("2").to_string(), "0000000000000002");
        assert_eq!(SpanId::parse("00000000000000FF"), SpanId(255));
        assert_eq!(
            SpanId::parse("e127af99e3b3e074").to_string(),
            "e127af99e3b3e074"
        );
        assert_eq!(SpanId::parse("ffffffffffffffff"), SpanId(u64::MAX));
        assert_eq!(
            serde_json::to_string(&SpanId(1)).unwrap(),
            "\"0000000000000001\""
        );
        let back: SpanId = serde_json::from_str("\"00000000000000a1\"").unwrap();
        assert_eq!(back, SpanId(0xa1));
        assert_eq!(SpanId(0xa1), "A1");
    }

    #[test]
    fn ids_that_are_not_hex_still_link_by_their_text() {
        assert_eq!(SpanId::parse("not-hex"), SpanId::parse("not-hex"));
        assert_ne!(SpanId::parse("not-hex"), SpanId::parse("not-hex2"));
        // 17 digits, a sign, an empty ID: not a 64-bit hex number, hashed rather than cut.
        assert_ne!(SpanId::parse("10000000000000001"), SpanId(1));
        assert_ne!(SpanId::parse("+1"), SpanId(1));
        assert_ne!(SpanId::parse(""), SpanId(0));
    }

    #[test]
    fn a_tag_policy_keeps_all_none_or_the_keys_it_names() {
        assert!(TagPolicy::default().keeps("anything"));
        assert!(!TagPolicy::None.keeps("peer.service"));
        let only = TagPolicy::Only(&["peer.service"]);
        assert!(only.keeps("peer.service"));
        assert!(!only.keeps("peer.servic") && !only.keeps("http.method"));
    }

    #[test]
    fn each_store_links_a_trace_its_own_way_and_escapes_the_id() {
        let base = url::Url::parse("http://store.example:3200/prefix/").unwrap();
        assert_eq!(
            TraceLinks::Jaeger(base.clone()).link("abc123"),
            "http://store.example:3200/prefix/trace/abc123"
        );
        assert_eq!(
            TraceLinks::Tempo(base.clone()).link("abc123"),
            "http://store.example:3200/prefix/api/v2/traces/abc123"
        );
        assert_eq!(
            TraceLinks::Tempo(base).link("a/../b?x"),
            "http://store.example:3200/prefix/api/v2/traces/a%2F..%2Fb%3Fx"
        );
    }
}
