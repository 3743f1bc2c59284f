//! A Grafana Tempo HTTP API fixture: the read endpoints tracectl calls, answering field for field
//! as Tempo 2.x does, quirks included.
//!
//! - `GET /api/search?q=<TraceQL>&start=&end=&limit=&spss=`: a TraceQL subset (spanset filters
//!   joined by `&&`/`||`, parentheses; intrinsics `name`, `duration`, `status`, `kind`; scoped
//!   and unscoped attributes, quoted names; string, integer, boolean, duration and keyword
//!   literals; strict types, as Tempo compares them) evaluated span by span. Answers
//!   `{traces:[{traceID, rootServiceName, rootTraceName, startTimeUnixNano, durationMs,
//!   spanSets}], metrics}` with hex trace IDs trimmed of leading zeros, and no `traces` key when
//!   nothing matched (jsonpb leaves out empty fields). A query it cannot parse gets 400
//!   `invalid TraceQL query: parse error ...`, as Tempo's frontend writes it.
//! - `GET /api/v2/traces/{id}`: `{"trace":{"resourceSpans":[...]},"metrics":{...}}`; an unknown
//!   trace is 200 with `"trace":{}`. `GET /api/traces/{id}` (v1): `{"batches":[...]}`; unknown
//!   is 404 with an empty body. Traces are OTLP with base64 IDs, enum names (`SPAN_KIND_SERVER`,
//!   `STATUS_CODE_ERROR`), uint64 as strings and `"status":{}` when unset.
//! - `GET /api/v2/search/tag/resource.service.name/values` (`{tagValues:[{type,value}]}`),
//!   `GET /api/search/tag/service.name/values` (`{tagValues:[string]}`) and
//!   `GET /api/v2/search/tag/name/values?q=` (span names, scoped by the query's service).
//! - Multitenancy ([`TempoOptions::tenant`]): a request without `X-Scope-OrgID` gets 401
//!   `no org id`; another tenant's requests see an empty store.
//! - [`TempoOptions::v1_only`]: an older Tempo, whose router answers the v2 routes with 404.
//!
//! Modelled on the Tempo section of `/work/shared/reference/SOURCES.md` (the bodies here are
//! written anew). Used by `tests/it/tempo.rs`; holds no tests itself.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{RecordedRequest, Response, Route};

mod traceql;

use traceql::parse;

/// One span, with its resource's service; IDs in hex.
#[derive(Clone, Debug)]
pub struct TempoSpan {
    pub span_id: String,
    pub parent_id: Option<String>,
    pub service: String,
    pub name: String,
    /// `server`, `client`, `internal`, `producer` or `consumer`.
    pub kind: String,
    pub start_ns: i64,
    pub end_ns: i64,
    /// Span attributes as JSON scalars (strings, integers, floats, booleans).
    pub attributes: Vec<(String, Value)>,
    pub error: bool,
    /// The status message (OTLP keeps it beside the code, not as an attribute).
    pub status_message: Option<String>,
}

/// One trace; `trace_id` is 32 hex digits.
#[derive(Clone, Debug)]
pub struct TempoTrace {
    pub trace_id: String,
    pub spans: Vec<TempoSpan>,
    /// Attributes every resource of the trace carries besides `service.name`.
    pub resource_attributes: Vec<(String, Value)>,
    /// The instrumentation scope's name.
    pub scope: String,
}

#[derive(Clone, Debug, Default)]
pub struct TempoOptions {
    /// Multitenancy on: requests must carry `X-Scope-OrgID`; this tenant holds the traces.
    pub tenant: Option<String>,
    /// An older Tempo without the v2 routes.
    pub v1_only: bool,
}

/// The routes of a Tempo holding `traces`.
pub fn tempo_routes(traces: Vec<TempoTrace>, opts: TempoOptions) -> Vec<Route> {
    let traces = Arc::new(traces);
    let opts = Arc::new(opts);
    let mut routes = Vec::new();
    let serve = |f: fn(&RecordedRequest, &[TempoTrace]) -> Response| {
        let traces = traces.clone();
        let opts = opts.clone();
        move |req: &RecordedRequest| -> Response {
            match &opts.tenant {
                None => f(req, &traces),
                Some(tenant) => match req.header("X-Scope-OrgID") {
                    None | Some("") => Response::text(401, "no org id\n"),
                    Some(t) if t == tenant => f(req, &traces),
                    Some(_) => f(req, &[]),
                },
            }
        }
    };
    if opts.v1_only {
        for path in ["/api/v2/traces/*", "/api/v2/search/*"] {
            routes.push(Route::get(path).respond(Response::text(404, "404 page not found\n")));
        }
    }
    routes.extend([
        Route::get("/api/search/tag/service.name/values").respond_with(serve(services_v1)),
        Route::get("/api/v2/search/tag/resource.service.name/values")
            .respond_with(serve(services_v2)),
        Route::get("/api/v2/search/tag/name/values").respond_with(serve(names_v2)),
        Route::get("/api/search").respond_with(serve(search)),
        Route::get("/api/v2/traces/*").respond_with(serve(trace_v2)),
        Route::get("/api/traces/*").respond_with(serve(trace_v1)),
    ]);
    routes
}

fn metrics(bytes: usize) -> Value {
    json!({"inspectedBytes": bytes.to_string()})
}

fn services(traces: &[TempoTrace]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in traces.iter().flat_map(|t| &t.spans) {
        if !out.contains(&s.service) {
            out.push(s.service.clone());
        }
    }
    out
}

fn services_v1(_: &RecordedRequest, traces: &[TempoTrace]) -> Response {
    Response::json(
        200,
        &json!({"tagValues": services(traces), "metrics": metrics(431_380)}),
    )
}

fn services_v2(_: &RecordedRequest, traces: &[TempoTrace]) -> Response {
    let values: Vec<Value> = services(traces)
        .into_iter()
        .map(|s| json!({"type": "string", "value": s}))
        .collect();
    Response::json(
        200,
        &json!({"tagValues": values, "metrics": metrics(502_756)}),
    )
}

fn names_v2(req: &RecordedRequest, traces: &[TempoTrace]) -> Response {
    let filter = match req.query_param("q").map(|q| parse(&q)).transpose() {
        Ok(f) => f,
        Err(e) => return Response::text(400, format!("invalid TraceQL query: {e}")),
    };
    let mut names: Vec<String> = Vec::new();
    for t in traces {
        for s in &t.spans {
            if filter.as_ref().is_none_or(|f| f.matches(t, s)) && !names.contains(&s.name) {
                names.push(s.name.clone());
            }
        }
    }
    let values: Vec<Value> = names
        .into_iter()
        .map(|n| json!({"type": "string", "value": n}))
        .collect();
    Response::json(
        200,
        &json!({"tagValues": values, "metrics": metrics(1_024)}),
    )
}

fn search(req: &RecordedRequest, traces: &[TempoTrace]) -> Response {
    let q = req.query_param("q").unwrap_or_else(|| "{}".into());
    let filter = match parse(&q) {
        Ok(f) => f,
        Err(e) => return Response::text(400, format!("invalid TraceQL query: {e}")),
    };
    let num = |name: &str| req.query_param(name).and_then(|v| v.parse::<i64>().ok());
    let (start, end) = (num("start"), num("end"));
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        return Response::text(
            400,
            "invalid start and end parameter: end must be after start",
        );
    }
    let limit = num("limit").unwrap_or(20).max(1) as usize;
    let spss = num("spss").unwrap_or(3).max(0) as usize;
    let mut found = Vec::new();
    for t in traces {
        let Some(root) = t.spans.first() else {
            continue;
        };
        let t_start = t.spans.iter().map(|s| s.start_ns).min().unwrap_or(0);
        let t_end = t.spans.iter().map(|s| s.end_ns).max().unwrap_or(0);
        let secs = t_start / 1_000_000_000;
        if start.is_some_and(|s| secs < s) || end.is_some_and(|e| secs > e) {
            continue;
        }
        let matched: Vec<&TempoSpan> = t.spans.iter().filter(|s| filter.matches(t, s)).collect();
        if matched.is_empty() {
            continue;
        }
        let spans: Vec<Value> = matched
            .iter()
            .take(spss)
            .map(|s| {
                json!({
                    "spanID": s.span_id,
                    "startTimeUnixNano": s.start_ns.to_string(),
                    "durationNanos": (s.end_ns - s.start_ns).to_string(),
                })
            })
            .collect();
        let span_set = json!({"spans": spans, "matched": matched.len()});
        found.push(json!({
            // pkg/util/traceid.go trims leading zeros from search results' IDs.
            "traceID": trim_zeros(&t.trace_id),
            "rootServiceName": root.service,
            "rootTraceName": root.name,
            "startTimeUnixNano": t_start.to_string(),
            "durationMs": (t_end - t_start) / 1_000_000,
            "spanSet": span_set,
            "spanSets": [span_set],
        }));
        if found.len() == limit {
            break;
        }
    }
    let mut body =
        json!({"metrics": {"inspectedBytes": "292781", "completedJobs": 1, "totalJobs": 1}});
    if !found.is_empty() {
        body["traces"] = Value::Array(found);
    }
    Response::json(200, &body)
}

fn trim_zeros(id: &str) -> &str {
    let t = id.trim_start_matches('0');
    if t.is_empty() { "0" } else { t }
}

/// The trace the last path segment names, compared as numbers (`0ab` = `ab`).
fn lookup<'a>(req: &RecordedRequest, traces: &'a [TempoTrace]) -> Option<&'a TempoTrace> {
    let id = req.path.rsplit('/').next().unwrap_or_default();
    traces
        .iter()
        .find(|t| trim_zeros(&t.trace_id).eq_ignore_ascii_case(trim_zeros(id)))
}

fn trace_v2(req: &RecordedRequest, traces: &[TempoTrace]) -> Response {
    match lookup(req, traces) {
        Some(t) => Response::json(
            200,
            &json!({"trace": {"resourceSpans": resource_spans(t)}, "metrics": metrics(1_893)}),
        ),
        None => Response::json(200, &json!({"trace": {}, "metrics": metrics(0)})),
    }
}

fn trace_v1(req: &RecordedRequest, traces: &[TempoTrace]) -> Response {
    match lookup(req, traces) {
        Some(t) => Response::json(200, &json!({"batches": resource_spans(t)})),
        // Tempo 2.5+: "404 with no body".
        None => Response::new(404),
    }
}

/// One resource per service, in order of first span, as an SDK exports them.
fn resource_spans(t: &TempoTrace) -> Value {
    let mut out = Vec::new();
    for service in services(std::slice::from_ref(t)) {
        let mut attrs = vec![json!({"key": "service.name", "value": {"stringValue": service}})];
        attrs.extend(
            t.resource_attributes
                .iter()
                .map(|(k, v)| json!({"key": k, "value": any_value(v)})),
        );
        let spans: Vec<Value> = t
            .spans
            .iter()
            .filter(|s| s.service == service)
            .map(|s| otlp_span(t, s))
            .collect();
        out.push(json!({
            "resource": {"attributes": attrs},
            "scopeSpans": [{"scope": {"name": t.scope}, "spans": spans}],
        }));
    }
    Value::Array(out)
}

fn otlp_span(t: &TempoTrace, s: &TempoSpan) -> Value {
    let mut span = json!({
        "traceId": base64_hex(&t.trace_id),
        "spanId": base64_hex(&s.span_id),
        "name": s.name,
        "kind": format!("SPAN_KIND_{}", s.kind.to_ascii_uppercase()),
        "startTimeUnixNano": s.start_ns.to_string(),
        "endTimeUnixNano": s.end_ns.to_string(),
        "status": match (s.error, &s.status_message) {
            (true, Some(m)) => json!({"code": "STATUS_CODE_ERROR", "message": m}),
            (true, None) => json!({"code": "STATUS_CODE_ERROR"}),
            (false, Some(m)) => json!({"message": m}),
            (false, None) => json!({}),
        },
    });
    if let Some(p) = &s.parent_id {
        span["parentSpanId"] = json!(base64_hex(p));
    }
    if !s.attributes.is_empty() {
        span["attributes"] = s
            .attributes
            .iter()
            .map(|(k, v)| json!({"key": k, "value": any_value(v)}))
            .collect();
    }
    span
}

/// OTLP's `AnyValue` as jsonpb writes it: int64 as a string.
fn any_value(v: &Value) -> Value {
    match v {
        Value::Bool(b) => json!({"boolValue": b}),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({"intValue": n.to_string()}),
        Value::Number(n) => json!({"doubleValue": n}),
        Value::String(s) => json!({"stringValue": s}),
        other => json!({"stringValue": other.to_string()}),
    }
}

/// Standard padded base64 of the bytes a hex ID spells: how jsonpb writes proto `bytes`.
pub fn base64_hex(hex: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex ID"))
        .collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
