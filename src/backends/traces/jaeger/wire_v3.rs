//! Private serde types for Jaeger's api_v3 HTTP gateway (`/api/v3/*`), whose traces are OTLP-JSON.
//!
//! `/api/v3/traces` and `/api/v3/traces/{id}` answer `{"result":{"resourceSpans":[...]}}`: resource
//! → scopeSpans → spans, with hex IDs, uint64 nanoseconds as strings, enums as numbers and typed
//! attribute values (`{"stringValue":..}`, `{"intValue":"42"}`, ...). A search merges all matching
//! traces into one `resourceSpans` list, so spans are regrouped by `traceId` here. Shapes follow
//! the OTLP proto (opentelemetry-proto `trace/v1/trace.proto`) as Jaeger's
//! `cmd/jaeger/internal/extension/jaegerquery/internal/apiv3` gateway marshals it. Not here: the
//! legacy format (`wire.rs`) or request building (`client.rs`). Tests: `tests/`.
//!
//! The OTLP part is generic over how IDs are written ([`IdEncoding`]): Jaeger writes them in hex,
//! Grafana Tempo (gogo jsonpb, `bytes` fields) in base64. Tempo's client reads its `trace` /
//! `batches` wrappers with [`OtlpTraces`]`<`[`Base64Ids`]`>`, so one decoder serves both stores;
//! its tests are in `crate::backends::traces::tempo`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;

use super::super::ids::{HexIds, IdEncoding};

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::scalar::{Num, Scalar};
use super::{
    Lifted, Operation, Resource, Span, SpanEvent, SpanKind, Trace, finish_span, intern,
    intern_resource, normalize_span_id, normalize_trace_id, same_id,
};

#[derive(Deserialize)]
pub(super) struct Services {
    #[serde(default)]
    pub services: Option<Vec<String>>,
}

#[derive(Deserialize)]
pub(super) struct Operations {
    #[serde(default)]
    pub operations: Option<Vec<super::wire::WireOperation>>,
}

impl Operations {
    pub fn into_domain(self) -> Vec<Operation> {
        self.operations
            .into_iter()
            .flatten()
            .map(|o| o.into_domain())
            .collect()
    }
}

/// `GRPCGatewayWrapper{result: TracesData}`: traces regrouped by trace ID while parsing.
#[derive(Deserialize)]
pub(super) struct TracesResult {
    #[serde(default)]
    result: Option<TracesData>,
}

#[derive(Deserialize)]
struct TracesData {
    #[serde(default, rename = "resourceSpans")]
    resource_spans: Option<OtlpTraces<HexIds>>,
}

/// A `resourceSpans` list (Tempo: also `batches`), sorted into traces one resource at a time so
/// that no wire span outlives its resource's entry; `E` says how its IDs are written.
pub(crate) struct OtlpTraces<E>(Vec<Trace>, PhantomData<E>);

impl<E> OtlpTraces<E> {
    /// Traces in order of each one's first span.
    pub(crate) fn into_traces(self) -> Vec<Trace> {
        let mut traces = self.0;
        for t in &mut traces {
            t.spans.shrink_to_fit();
        }
        traces
    }
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "E: IdEncoding"))]
struct ResourceSpans<'a, E> {
    #[serde(default, borrow)]
    resource: Option<OtlpResource<'a>>,
    /// `instrumentationLibrarySpans` before OTLP 0.15 (Tempo 1.x still wrote it).
    #[serde(
        default,
        borrow,
        rename = "scopeSpans",
        alias = "instrumentationLibrarySpans"
    )]
    scope_spans: Option<Vec<ScopeSpans<'a, E>>>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "E: IdEncoding"))]
struct ScopeSpans<'a, E> {
    #[serde(default, borrow)]
    spans: Option<SpanList<'a, E>>,
}

/// Spans converted as they are parsed, each with its trace ID in hex; service and resource are
/// filled in by the enclosing resource (its key may come before or after `scopeSpans`).
struct SpanList<'a, E>(Vec<(Cow<'a, str>, Span)>, PhantomData<E>);

impl<'de: 'a, 'a, E: IdEncoding> Deserialize<'de> for SpanList<'a, E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, E>(PhantomData<(&'a (), E)>);
        impl<'de: 'a, 'a, E: IdEncoding> Visitor<'de> for V<'a, E> {
            type Value = SpanList<'a, E>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of spans")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<SpanList<'a, E>, A::Error> {
                let mut out = Vec::new();
                while let Some(os) = seq.next_element::<OtlpSpan<'de>>()? {
                    out.push(os.into_span::<E>());
                }
                Ok(SpanList(out, PhantomData))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

impl<'de, E: IdEncoding> Deserialize<'de> for OtlpTraces<E> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<E>(PhantomData<E>);
        impl<'de, E: IdEncoding> Visitor<'de> for V<E> {
            type Value = OtlpTraces<E>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of resourceSpans")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OtlpTraces<E>, A::Error> {
                let mut g = Grouper::default();
                while let Some(rs) = seq.next_element::<ResourceSpans<'de, E>>()? {
                    g.add(rs);
                }
                Ok(OtlpTraces(g.traces, PhantomData))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

#[derive(Default)]
struct Grouper {
    /// In order of each trace's first span.
    traces: Vec<Trace>,
    index: HashMap<String, usize>,
    /// The trace the previous span went to: spans of one trace come together, so the map is
    /// rarely consulted.
    last: usize,
}

impl Grouper {
    fn add<E>(&mut self, rs: ResourceSpans<'_, E>) {
        let resource = to_resource(rs.resource);
        // trace index → index of this resource in that trace, filled on first use.
        let mut res_of: Vec<(usize, usize)> = Vec::new();
        for ss in rs.scope_spans.into_iter().flatten() {
            for (raw_id, mut span) in ss.spans.map(|l| l.0).unwrap_or_default() {
                let traces = &mut self.traces;
                let idx = if traces
                    .get(self.last)
                    .is_some_and(|t| same_id(&t.trace_id, &raw_id))
                {
                    self.last
                } else {
                    let id = normalize_trace_id(&raw_id);
                    match self.index.get(id.as_ref()) {
                        Some(&i) => i,
                        None => {
                            self.index.insert(id.to_string(), traces.len());
                            traces.push(Trace {
                                trace_id: id.into_owned(),
                                ..Trace::default()
                            });
                            traces.len() - 1
                        }
                    }
                };
                self.last = idx;
                let t = &mut traces[idx];
                span.resource = match res_of.iter().find(|(ti, _)| *ti == idx) {
                    Some((_, ri)) => *ri,
                    None => {
                        let ri = intern_resource(&mut t.resources, resource.clone());
                        res_of.push((idx, ri));
                        ri
                    }
                };
                span.service.clone_from(&resource.service);
                t.spans.push(span);
            }
        }
    }
}

#[derive(Deserialize)]
struct OtlpResource<'a> {
    #[serde(default, borrow)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Deserialize)]
struct OtlpSpan<'a> {
    #[serde(default, borrow, rename = "traceId")]
    trace_id: Cow<'a, str>,
    #[serde(default, borrow, rename = "spanId")]
    span_id: Cow<'a, str>,
    #[serde(default, borrow, rename = "parentSpanId")]
    parent_span_id: Cow<'a, str>,
    #[serde(default, borrow)]
    name: Cow<'a, str>,
    #[serde(default)]
    kind: Num,
    #[serde(default, rename = "startTimeUnixNano")]
    start_time_unix_nano: Num,
    #[serde(default, rename = "endTimeUnixNano")]
    end_time_unix_nano: Num,
    #[serde(default)]
    attributes: Option<AttrsInto>,
    #[serde(default, borrow)]
    events: Option<Vec<OtlpEvent<'a>>>,
    #[serde(default, borrow)]
    status: Option<Status<'a>>,
}

#[derive(Deserialize)]
struct Status<'a> {
    #[serde(default)]
    code: Num,
    #[serde(default, borrow)]
    message: Cow<'a, str>,
}

#[derive(Deserialize)]
struct OtlpEvent<'a> {
    #[serde(default, rename = "timeUnixNano")]
    time_unix_nano: Num,
    #[serde(default, borrow)]
    name: Cow<'a, str>,
    #[serde(default, borrow)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Deserialize)]
struct KeyValue<'a> {
    #[serde(default, borrow)]
    key: Cow<'a, str>,
    #[serde(default, borrow)]
    value: AnyValue<'a>,
}

/// OTLP's `AnyValue`: exactly one field is set (none for an empty value).
#[derive(Default, Deserialize)]
struct AnyValue<'a> {
    #[serde(default, borrow, rename = "stringValue")]
    string_value: Option<Scalar<'a>>,
    #[serde(default, borrow, rename = "intValue")]
    int_value: Option<Scalar<'a>>,
    #[serde(default, borrow, rename = "boolValue")]
    bool_value: Option<Scalar<'a>>,
    #[serde(default, borrow, rename = "doubleValue")]
    double_value: Option<Scalar<'a>>,
    #[serde(default, borrow, rename = "bytesValue")]
    bytes_value: Option<Scalar<'a>>,
    #[serde(default, borrow, rename = "arrayValue")]
    array_value: Option<ArrayValue<'a>>,
    #[serde(default, borrow, rename = "kvlistValue")]
    kvlist_value: Option<KvList<'a>>,
}

#[derive(Deserialize)]
struct ArrayValue<'a> {
    #[serde(default, borrow)]
    values: Option<Vec<AnyValue<'a>>>,
}

#[derive(Deserialize)]
struct KvList<'a> {
    #[serde(default, borrow)]
    values: Option<Vec<KeyValue<'a>>>,
}

impl<'a> AnyValue<'a> {
    /// Scalars as their text; arrays as `[a,b]` and maps as `{k=v}`, which is how Jaeger's
    /// legacy JSON shows them too (it stores them as JSON strings).
    fn render(self) -> Cow<'a, str> {
        if let Some(s) = self
            .string_value
            .or(self.int_value)
            .or(self.bool_value)
            .or(self.double_value)
            .or(self.bytes_value)
        {
            return s.0;
        }
        let mut out = String::new();
        if let Some(arr) = self.array_value {
            out.push('[');
            for (i, v) in arr.values.into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&v.render());
            }
            out.push(']');
        } else if let Some(kv) = self.kvlist_value {
            out.push('{');
            for (i, e) in kv.values.into_iter().flatten().enumerate() {
                let sep = if i > 0 { "," } else { "" };
                let _ = write!(out, "{sep}{}={}", e.key, e.value.render());
            }
            out.push('}');
        }
        Cow::Owned(out)
    }
}

impl TracesResult {
    /// Traces in order of each one's first span.
    pub fn into_domain(self) -> Vec<Trace> {
        self.result
            .and_then(|r| r.resource_spans)
            .map(OtlpTraces::into_traces)
            .unwrap_or_default()
    }
}

fn to_resource(r: Option<OtlpResource<'_>>) -> Resource {
    let mut res = Resource::default();
    for kv in r.and_then(|r| r.attributes).into_iter().flatten() {
        if kv.key == "service.name" {
            res.service = intern(&kv.value.render());
        } else {
            res.tags.push((intern(&kv.key), intern(&kv.value.render())));
        }
    }
    res
}

impl<'a> OtlpSpan<'a> {
    /// The span, less its service and resource, with its trace ID in (not yet canonical) hex.
    fn into_span<E: IdEncoding>(self) -> (Cow<'a, str>, Span) {
        let start_ns = self.start_time_unix_nano.0;
        let end_ns = self.end_time_unix_nano.0;
        let mut span = self.attributes.map(|a| a.0).unwrap_or_default().into_span(
            normalize_span_id(&E::to_hex(self.span_id.as_ref())),
            intern(&self.name),
            start_ns / 1000,
            // Like Jaeger's own OTLP→v1 conversion: the difference, truncated to microseconds.
            (end_ns.saturating_sub(start_ns) / 1000).max(0),
        );
        span.parent_id = (!self.parent_span_id.is_empty())
            .then(|| normalize_span_id(&E::to_hex(self.parent_span_id.as_ref())));
        if self.kind.0 != 0 {
            span.kind = SpanKind::from_otlp(self.kind.0);
        }
        if let Some(st) = self.status {
            span.error |= st.code.0 == 2;
            if !st.message.is_empty() {
                span.status_message = Some(st.message.into_owned());
            }
        }
        span.events = self
            .events
            .into_iter()
            .flatten()
            .map(|e| SpanEvent {
                name: e.name.into_owned(),
                timestamp_us: e.time_unix_nano.0 / 1000,
                fields: e
                    .attributes
                    .into_iter()
                    .flatten()
                    .map(|kv| (kv.key.into_owned(), kv.value.render().into_owned()))
                    .collect(),
            })
            .collect();
        finish_span(&mut span);
        let trace_id = match E::to_hex(self.trace_id.as_ref()) {
            Cow::Borrowed(_) => self.trace_id,
            Cow::Owned(hex) => Cow::Owned(hex),
        };
        (trace_id, span)
    }
}

/// A span's attributes, applied onto an otherwise empty span as they are parsed.
struct AttrsInto(Lifted);

impl<'de> Deserialize<'de> for AttrsInto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttrsInto;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of attributes")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AttrsInto, A::Error> {
                let mut lifted = Lifted::with_scratch();
                while let Some(kv) = seq.next_element::<KeyValue<'de>>()? {
                    if kv.key == "@jaeger@warnings" {
                        push_warnings(&mut lifted, kv.value);
                    } else {
                        lifted.apply(kv.key, kv.value.render());
                    }
                }
                Ok(AttrsInto(lifted))
            }
        }
        d.deserialize_seq(V)
    }
}

/// Jaeger keeps span warnings in OTLP as a string-array attribute.
fn push_warnings(lifted: &mut Lifted, v: AnyValue<'_>) {
    match v.array_value {
        Some(arr) => lifted.warnings.extend(
            arr.values
                .into_iter()
                .flatten()
                .map(|w| w.render().into_owned()),
        ),
        None => lifted.warnings.push(v.render().into_owned()),
    }
}
