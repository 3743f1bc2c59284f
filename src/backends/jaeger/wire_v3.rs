//! Private serde types for Jaeger's api_v3 HTTP gateway (`/api/v3/*`), whose traces are OTLP-JSON.
//!
//! `/api/v3/traces` and `/api/v3/traces/{id}` answer `{"result":{"resourceSpans":[...]}}`: resource
//! → scopeSpans → spans, with hex IDs, uint64 nanoseconds as strings, enums as numbers and typed
//! attribute values (`{"stringValue":..}`, `{"intValue":"42"}`, ...). A search merges all matching
//! traces into one `resourceSpans` list, so spans are regrouped by `traceId` here. Shapes follow
//! the OTLP proto (opentelemetry-proto `trace/v1/trace.proto`) as Jaeger's
//! `cmd/jaeger/internal/extension/jaegerquery/internal/apiv3` gateway marshals it. Not here: the
//! legacy format (`wire.rs`) or request building (`client.rs`). Tests: `tests.rs`.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::wire::{Num, Scalar};
use super::{
    Operation, Resource, Span, SpanEvent, SpanKind, Trace, apply_tag, finish_span, intern_resource,
    normalize_span_id, normalize_trace_id,
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

/// `GRPCGatewayWrapper{result: TracesData}`.
#[derive(Deserialize)]
pub(super) struct TracesResult<'a> {
    #[serde(default, borrow)]
    result: Option<TracesData<'a>>,
}

#[derive(Deserialize)]
struct TracesData<'a> {
    #[serde(default, borrow, rename = "resourceSpans")]
    resource_spans: Option<Vec<ResourceSpans<'a>>>,
}

#[derive(Deserialize)]
struct ResourceSpans<'a> {
    #[serde(default, borrow)]
    resource: Option<OtlpResource<'a>>,
    #[serde(default, borrow, rename = "scopeSpans")]
    scope_spans: Option<Vec<ScopeSpans<'a>>>,
}

#[derive(Deserialize)]
struct OtlpResource<'a> {
    #[serde(default, borrow)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Deserialize)]
struct ScopeSpans<'a> {
    #[serde(default, borrow)]
    spans: Option<Vec<OtlpSpan<'a>>>,
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

impl TracesResult<'_> {
    /// Regroups the merged `resourceSpans` into traces, in order of each trace's first span.
    pub fn into_domain(self) -> Vec<Trace> {
        let mut traces: Vec<Trace> = Vec::new();
        // Searches return tens of traces, so a linear scan from the most recent hit is cheap and
        // keeps the order deterministic without a map.
        let mut last = 0usize;
        let resource_spans = self
            .result
            .and_then(|r| r.resource_spans)
            .unwrap_or_default();
        for rs in resource_spans {
            let resource = to_resource(rs.resource);
            // trace index → index of this resource in that trace, filled on first use.
            let mut res_of: Vec<(usize, usize)> = Vec::new();
            for ss in rs.scope_spans.into_iter().flatten() {
                for os in ss.spans.into_iter().flatten() {
                    let trace_id = normalize_trace_id(&os.trace_id);
                    let idx = if traces.get(last).is_some_and(|t| t.trace_id == trace_id) {
                        last
                    } else if let Some(i) = traces.iter().position(|t| t.trace_id == trace_id) {
                        i
                    } else {
                        traces.push(Trace {
                            trace_id: trace_id.into_owned(),
                            ..Trace::default()
                        });
                        traces.len() - 1
                    };
                    last = idx;
                    let t = &mut traces[idx];
                    let res_idx = match res_of.iter().find(|(ti, _)| *ti == idx) {
                        Some((_, ri)) => *ri,
                        None => {
                            let ri = intern_resource(&mut t.resources, resource.clone());
                            res_of.push((idx, ri));
                            ri
                        }
                    };
                    t.spans.push(os.into_domain(res_idx, &resource.service));
                }
            }
        }
        traces
    }
}

fn to_resource(r: Option<OtlpResource<'_>>) -> Resource {
    let mut res = Resource::default();
    for kv in r.and_then(|r| r.attributes).into_iter().flatten() {
        if kv.key == "service.name" {
            res.service = kv.value.render().into_owned();
        } else {
            res.tags
                .push((kv.key.into_owned(), kv.value.render().into_owned()));
        }
    }
    res
}

impl OtlpSpan<'_> {
    fn into_domain(self, resource: usize, service: &str) -> Span {
        let start_ns = self.start_time_unix_nano.0;
        let end_ns = self.end_time_unix_nano.0;
        let mut span = self.attributes.map(|a| a.0).unwrap_or_default();
        span.span_id = normalize_span_id(&self.span_id).into_owned();
        span.parent_id = (!self.parent_span_id.is_empty())
            .then(|| normalize_span_id(&self.parent_span_id).into_owned());
        span.service = service.to_string();
        span.operation = self.name.into_owned();
        span.start_us = start_ns / 1000;
        // Like Jaeger's own OTLP→v1 conversion: the difference, truncated to microseconds.
        span.duration_us = (end_ns.saturating_sub(start_ns) / 1000).max(0);
        span.kind = SpanKind::from_otlp(self.kind.0);
        span.resource = resource;
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
        span
    }
}

/// A span's attributes, applied onto an otherwise empty span as they are parsed.
struct AttrsInto(Span);

impl<'de> Deserialize<'de> for AttrsInto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttrsInto;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of attributes")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AttrsInto, A::Error> {
                let mut span = Span::default();
                while let Some(kv) = seq.next_element::<KeyValue<'de>>()? {
                    if kv.key == "@jaeger@warnings" {
                        push_warnings(&mut span, kv.value);
                    } else {
                        apply_tag(&mut span, kv.key, kv.value.render());
                    }
                }
                Ok(AttrsInto(span))
            }
        }
        d.deserialize_seq(V)
    }
}

/// Jaeger keeps span warnings in OTLP as a string-array attribute.
fn push_warnings(span: &mut Span, v: AnyValue<'_>) {
    match v.array_value {
        Some(arr) => span.warnings.extend(
            arr.values
                .into_iter()
                .flatten()
                .map(|w| w.render().into_owned()),
        ),
        None => span.warnings.push(v.render().into_owned()),
    }
}
