//! Private serde types for Jaeger's legacy "internal HTTP JSON" API (`/api/*`).
//!
//! The shapes follow Jaeger's `internal/uimodel/model.go`: every answer is an envelope
//! `{data, total, limit, offset, errors}`; a trace is `{traceID, spans, processes, warnings}` with
//! spans pointing into `processes` by `processID`; tags are `{key, type, value}` where the value is
//! a JSON string, number or bool (an int64 above 2^53 arrives as a string, binary as base64). Not
//! here: which endpoint returns what (`client.rs`) or OTLP (`wire_v3.rs`). Strings are borrowed
//! from the response body where serde allows, since search answers can hold millions of spans;
//! every collection is optional because Jaeger writes `null` for empty ones. Tests: `tests/`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::scalar::{Num, Scalar};
use super::{
    DependencyLink, Lifted, Operation, Resource, Span, SpanEvent, SpanKind, Trace, finish_span,
    intern, intern_resource, normalize_span_id, normalize_trace_id, same_id,
};

/// `{data, errors}`: `data` is null when the request failed. Jaeger always writes the `data` key
/// (`structuredResponse` has no `omitempty`), so `None` here — the key is missing — means the body
/// is not Jaeger's (a Prometheus error envelope, say, from a mistyped URL); `Some(None)` is null.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub(super) struct Envelope<'a, T> {
    #[serde(default, deserialize_with = "present")]
    pub data: Option<Option<T>>,
    #[serde(default, borrow)]
    pub errors: Option<Vec<ApiError<'a>>>,
}

/// A key that is present, its value possibly null.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
pub(super) struct ApiError<'a> {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default, borrow)]
    pub msg: Cow<'a, str>,
}

/// The body of a failed request in either API: `{"errors":[{code,msg}]}` (legacy) or
/// `{"error":{"httpCode","message"}}` (api_v3's GRPCGatewayError). Both are sent with
/// `http.Error`, hence as text/plain.
#[derive(Deserialize)]
pub(super) struct ErrorBody<'a> {
    #[serde(default, borrow)]
    pub errors: Option<Vec<ApiError<'a>>>,
    #[serde(default, borrow)]
    pub error: Option<GatewayError<'a>>,
}

#[derive(Deserialize)]
pub(super) struct GatewayError<'a> {
    #[serde(default, borrow)]
    pub message: Cow<'a, str>,
}

impl ErrorBody<'_> {
    /// The server's own message, if the body is one of Jaeger's error shapes.
    pub fn message(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.message.to_string());
        }
        let errs = self.errors.as_ref()?;
        let msgs: Vec<&str> = errs
            .iter()
            .map(|e| e.msg.as_ref())
            .filter(|m| !m.is_empty())
            .collect();
        (!msgs.is_empty()).then(|| msgs.join("; "))
    }
}

#[derive(Deserialize)]
pub(super) struct WireOperation {
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "spanKind")]
    pub span_kind: String,
}

impl WireOperation {
    pub fn into_domain(self) -> Operation {
        Operation {
            name: self.name,
            kind: SpanKind::from_tag(&self.span_kind),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct WireDependency {
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub child: String,
    #[serde(default, rename = "callCount")]
    pub call_count: u64,
}

impl WireDependency {
    pub fn into_domain(self) -> DependencyLink {
        DependencyLink {
            parent: self.parent,
            child: self.child,
            call_count: self.call_count,
        }
    }
}

/// The `data` of a trace answer, converted trace by trace while parsing so that only one
/// trace's wire form is alive at a time (a search answer can be hundreds of megabytes).
#[derive(Default)]
pub(super) struct TraceList(pub Vec<Trace>);

impl<'de> Deserialize<'de> for TraceList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TraceList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of traces")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TraceList, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(t) = seq.next_element::<WireTrace<'de>>()? {
                    out.push(t.into_domain());
                }
                Ok(TraceList(out))
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Deserialize)]
struct WireTrace<'a> {
    #[serde(default, borrow, rename = "traceID")]
    trace_id: Cow<'a, str>,
    #[serde(default, borrow)]
    spans: Option<SpanList<'a>>,
    #[serde(default, borrow)]
    processes: Option<ProcessList<'a>>,
    #[serde(default)]
    warnings: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct WireSpan<'a> {
    #[serde(default, borrow, rename = "spanID")]
    span_id: Cow<'a, str>,
    /// Deprecated in favour of `references`, still honoured when they are missing.
    #[serde(default, borrow, rename = "parentSpanID")]
    parent_span_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, rename = "operationName")]
    operation_name: Cow<'a, str>,
    #[serde(default, borrow)]
    references: Option<Refs<'a>>,
    #[serde(default, rename = "startTime")]
    start_time: Num,
    #[serde(default)]
    duration: Num,
    #[serde(default)]
    tags: Option<TagsInto>,
    #[serde(default)]
    logs: Option<LogList>,
    #[serde(default, borrow, rename = "processID")]
    process_id: Cow<'a, str>,
    /// Inline instead of `processID` when the server did not deduplicate processes.
    #[serde(default, borrow)]
    process: Option<WireProcess<'a>>,
    #[serde(default)]
    warnings: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct WireRef<'a> {
    #[serde(default, borrow, rename = "refType")]
    ref_type: Cow<'a, str>,
    #[serde(default, borrow, rename = "traceID")]
    trace_id: Cow<'a, str>,
    #[serde(default, borrow, rename = "spanID")]
    span_id: Cow<'a, str>,
}

#[derive(Deserialize)]
struct WireProcess<'a> {
    #[serde(default, borrow, rename = "serviceName")]
    service_name: Cow<'a, str>,
    #[serde(default, borrow)]
    tags: Option<Vec<WireTag<'a>>>,
}

#[derive(Deserialize)]
struct WireTag<'a> {
    #[serde(default, borrow)]
    key: Cow<'a, str>,
    #[serde(default, borrow)]
    value: Scalar<'a>,
}

#[derive(Deserialize)]
struct WireLog<'a> {
    #[serde(default)]
    timestamp: Num,
    #[serde(default, borrow)]
    fields: Option<Vec<WireTag<'a>>>,
}

/// The `processes` map as (processID, resource) pairs, each converted as it is parsed: a trace
/// has a handful of processes, so a list beats hashing, and no process's wire form outlives its
/// entry. A processID given twice is looked up last first, as a map would keep the last.
struct ProcessList<'a>(Vec<(Cow<'a, str>, Resource)>);

impl<'de: 'a, 'a> Deserialize<'de> for ProcessList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ProcessList<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of processes")
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ProcessList<'a>, A::Error> {
                let mut out = Vec::new();
                while let Some((pid, p)) = map.next_entry::<Scalar<'de>, WireProcess<'de>>()? {
                    out.push((pid.0, p.to_resource()));
                }
                Ok(ProcessList(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

impl WireProcess<'_> {
    fn to_resource(&self) -> Resource {
        Resource {
            service: intern(&self.service_name),
            tags: self
                .tags
                .iter()
                .flatten()
                .map(|t| (intern(&t.key), intern(&t.value.0)))
                .collect(),
        }
    }
}

thread_local! {
    /// See [`SpanList`]'s visitor. Only a buffer: a trace whose parse fails leaves it empty.
    static SPAN_SCRATCH: RefCell<Vec<Span>> = const { RefCell::new(Vec::new()) };
}

/// Spans converted as they are parsed. What needs the rest of the trace (its ID, to tell
/// references within it from those into other traces; the `processes` map, which follows the
/// spans) waits in `pending`, one entry per span.
struct SpanList<'a> {
    spans: Vec<Span>,
    pending: Vec<Pending<'a>>,
}

struct Pending<'a> {
    process_id: Cow<'a, str>,
    process: Option<WireProcess<'a>>,
    references: Option<Refs<'a>>,
    parent_span_id: Option<Cow<'a, str>>,
}

/// A span's references, the first kept inline: nearly every span has exactly one, and a `Vec`
/// for it would be one more heap allocation per span (issue 19). Read in the wire's order.
#[derive(Default)]
struct Refs<'a> {
    first: Option<WireRef<'a>>,
    rest: Vec<WireRef<'a>>,
}

impl<'a> Refs<'a> {
    fn iter(&self) -> impl Iterator<Item = &WireRef<'a>> + Clone {
        self.first.iter().chain(self.rest.iter())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Refs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Refs<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of references")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Refs<'a>, A::Error> {
                let mut refs = Refs::default();
                while let Some(r) = seq.next_element::<WireRef<'de>>()? {
                    if refs.first.is_none() {
                        refs.first = Some(r);
                    } else {
                        refs.rest.push(r);
                    }
                }
                Ok(refs)
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for SpanList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = SpanList<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of spans")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<SpanList<'a>, A::Error> {
                // The spans gather in the thread's buffer, then move into a list of exactly
                // their number: growing a fresh list and shrinking it to fit copied each
                // trace's spans about three times over (issue 19).
                let mut buf = SPAN_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
                buf.clear();
                let mut pending = Vec::new();
                while let Some(ws) = seq.next_element::<WireSpan<'de>>()? {
                    let (span, p) = ws.split();
                    buf.push(span);
                    pending.push(p);
                }
                // Not `mem::take`: the copy is what gets the exact size, the buffer stays.
                #[allow(clippy::drain_collect)]
                let spans: Vec<Span> = buf.drain(..).collect();
                // A huge trace's buffer is not kept for the thread's lifetime.
                if buf.capacity() <= 4096 {
                    SPAN_SCRATCH.with(|s| *s.borrow_mut() = buf);
                }
                Ok(SpanList { spans, pending })
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

impl WireTrace<'_> {
    fn into_domain(self) -> Trace {
        let trace_id = normalize_trace_id(&self.trace_id).into_owned();
        let mut processes = self.processes.map(|p| p.0).unwrap_or_default();
        let mut resources = Vec::new();
        // processID → resource index; a trace has a handful of processes, so a Vec beats hashing.
        let mut by_pid: Vec<(Cow<'_, str>, usize)> = Vec::new();
        let SpanList { mut spans, pending } = self.spans.unwrap_or(SpanList {
            spans: Vec::new(),
            pending: Vec::new(),
        });
        for (span, p) in spans.iter_mut().zip(pending) {
            let resource = match &p.process {
                Some(inline) => intern_resource(&mut resources, inline.to_resource()),
                None => match by_pid.iter().find(|(pid, _)| *pid == p.process_id) {
                    Some((_, i)) => *i,
                    None => {
                        // Taken, not cloned: `by_pid` answers for this processID from now on.
                        let res = processes
                            .iter_mut()
                            .rev()
                            .find(|(pid, _)| *pid == p.process_id)
                            .map(|(_, r)| std::mem::take(r))
                            .unwrap_or_default();
                        let i = intern_resource(&mut resources, res);
                        by_pid.push((p.process_id.clone(), i));
                        i
                    }
                },
            };
            span.resource = resource;
            span.service.clone_from(&resources[resource].service);
            span.parent_id = p.parent(&trace_id).map(normalize_span_id);
        }
        Trace {
            trace_id,
            spans,
            resources,
            warnings: self.warnings.unwrap_or_default(),
        }
    }
}

impl<'a> WireSpan<'a> {
    /// The span without what depends on the rest of the trace: service, resource and parent.
    fn split(self) -> (Span, Pending<'a>) {
        let mut span = self.tags.map(|t| t.0).unwrap_or_default().into_span(
            normalize_span_id(&self.span_id),
            intern(&self.operation_name),
            self.start_time.0,
            self.duration.0.max(0),
        );
        span.warnings.extend(self.warnings.into_iter().flatten());
        span.events = self.logs.map(|l| l.0).unwrap_or_default();
        finish_span(&mut span);
        let pending = Pending {
            process_id: self.process_id,
            process: self.process,
            references: self.references,
            parent_span_id: self.parent_span_id,
        };
        (span, pending)
    }
}

impl Pending<'_> {
    /// The first CHILD_OF reference within this trace, else any reference within it; a reference
    /// into another trace (a batch job's cause, say) does not make this span a child here.
    fn parent(&self, trace_id: &str) -> Option<&str> {
        let refs = self.references.as_ref();
        let all = || refs.into_iter().flat_map(Refs::iter);
        let same_trace = |r: &&WireRef<'_>| r.trace_id.is_empty() || same_id(&r.trace_id, trace_id);
        let found = all()
            .filter(same_trace)
            .find(|r| r.ref_type == "CHILD_OF")
            .or_else(|| all().find(same_trace));
        match found {
            Some(r) => Some(r.span_id.as_ref()),
            None if all().next().is_none() => {
                self.parent_span_id.as_deref().filter(|p| !p.is_empty())
            }
            None => None,
        }
    }
}

impl WireLog<'_> {
    fn into_domain(self) -> SpanEvent {
        let mut ev = SpanEvent {
            timestamp_us: self.timestamp.0,
            ..SpanEvent::default()
        };
        for f in self.fields.unwrap_or_default() {
            if f.key == "event" && ev.name.is_empty() {
                ev.name = f.value.0.into_owned();
            } else {
                ev.fields.push((f.key.into_owned(), f.value.0.into_owned()));
            }
        }
        ev
    }
}

/// A span's tags, applied onto an otherwise empty span as they are parsed, so the wire list is
/// never materialized.
struct TagsInto(Lifted);

impl<'de> Deserialize<'de> for TagsInto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagsInto;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of tags")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TagsInto, A::Error> {
                let mut lifted = Lifted::with_scratch();
                while let Some(t) = seq.next_element::<WireTag<'de>>()? {
                    lifted.apply(t.key, t.value.0);
                }
                Ok(TagsInto(lifted))
            }
        }
        d.deserialize_seq(V)
    }
}

/// A span's logs, converted to events as they are parsed.
struct LogList(Vec<SpanEvent>);

impl<'de> Deserialize<'de> for LogList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LogList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of logs")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<LogList, A::Error> {
                let mut out = Vec::new();
                while let Some(l) = seq.next_element::<WireLog<'de>>()? {
                    out.push(l.into_domain());
                }
                Ok(LogList(out))
            }
        }
        d.deserialize_seq(V)
    }
}

#[cfg(test)]
mod lean {
    use super::super::decode_traces;

    /// The inline first reference and the list after it are read as one list, in order; a
    /// processID given twice resolves to the last, as the map it replaced kept it.
    #[test]
    fn second_reference_and_repeated_process_ids_decode_as_before() {
        let body = br#"{"data":[{"traceID":"1","spans":[
          {"spanID":"1","operationName":"root","processID":"p1","references":[]},
          {"spanID":"2","operationName":"child","processID":"p1","references":[
            {"refType":"FOLLOWS_FROM","traceID":"1","spanID":"9"},
            {"refType":"CHILD_OF","traceID":"1","spanID":"1"}]},
          {"spanID":"3","operationName":"follower","processID":"p1","references":[
            {"refType":"FOLLOWS_FROM","traceID":"1","spanID":"2"}]},
          {"spanID":"4","operationName":"legacy","processID":"p1","parentSpanID":"3"}],
          "processes":{"p1":{"serviceName":"first"},"p1":{"serviceName":"last","tags":[
            {"key":"host","type":"string","value":"h"}]}}}]}"#;
        let traces = decode_traces(body).expect("decodes");
        let parents: Vec<Option<String>> = traces[0]
            .spans
            .iter()
            .map(|s| s.parent_id.map(|p| p.to_string()))
            .collect();
        assert_eq!(
            parents,
            [
                None,
                Some("0000000000000001".into()),
                Some("0000000000000002".into()),
                Some("0000000000000003".into())
            ]
        );
        assert!(traces[0].spans.iter().all(|s| s.service == "last"));
        assert_eq!(traces[0].resources[0].tags, [("host".into(), "h".into())]);
    }
}
