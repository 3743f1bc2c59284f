//! Client tests over a fake transport answering hand-written bodies. Their shapes follow, field for
//! field, Jaeger's own fixtures (uimodel `ui_01.json`, the query service's `otlp2jaeger-out.json`,
//! the api_v3 snapshots) and the error bodies its handlers write; the values are made up.
//! Here: the fake and the fixtures. `decode.rs`: both formats into domain traces. `calls.rs`:
//! requests, errors, detection.

mod calls;
mod decode;

use std::sync::Arc;

use super::*;
use crate::backends::traces::testkit::{Fake, respond, text};
use crate::transport::{Backend, ErrorKind, Response};

fn json(status: u16, body: &str) -> Response {
    respond(status, "application/json", body)
}

fn client(routes: &[(&str, Response)]) -> (JaegerClient, Arc<Fake>) {
    let (endpoint, fake) =
        Fake::endpoint(routes, Backend::Jaeger, "http://jaeger:16686/", Vec::new());
    (JaegerClient::new(endpoint), fake)
}

fn last_query(fake: &Fake) -> Vec<(String, String)> {
    fake.seen.lock().unwrap().last().unwrap().query.clone()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const LEGACY_SERVICES: &str =
    r#"{"data":["payment","checkout"],"total":2,"limit":0,"offset":0,"errors":null}"#;
const V3_SERVICES: &str = r#"{"services":["payment","checkout"]}"#;

fn legacy() -> Vec<(&'static str, Response)> {
    vec![("/api/services", json(200, LEGACY_SERVICES))]
}

fn v3() -> Vec<(&'static str, Response)> {
    vec![("/api/v3/services", json(200, V3_SERVICES))]
}

fn query() -> TraceQuery {
    TraceQuery {
        service: "checkout".into(),
        operation: Some("POST /order".into()),
        tags: vec![("http.status_code".into(), "500".into())],
        min_duration: Some(std::time::Duration::from_millis(250)),
        max_duration: None,
        start: "2026-08-20T09:00:00Z".parse().unwrap(),
        end: "2026-08-20T10:00:00Z".parse().unwrap(),
        limit: 20,
    }
}

/// One trace in the legacy format: two processes, typed tags (an int64 past 2^53 as a string),
/// CHILD_OF and FOLLOWS_FROM references, a log, span warnings.
const LEGACY_TRACE: &str = r#"{"data":[{"traceID":"a977e0711cc93ee2","spans":[
 {"traceID":"a977e0711cc93ee2","spanID":"1a2b3c4d5e6f7081","operationName":"POST /order",
  "references":[],"startTime":1787216460000000,"duration":120000,
  "tags":[{"key":"span.kind","type":"string","value":"server"},
   {"key":"http.status_code","type":"int64","value":500},
   {"key":"error","type":"bool","value":true},
   {"key":"otel.status_code","type":"string","value":"ERROR"},
   {"key":"otel.scope.name","type":"string","value":"io.opentelemetry.http"}],
  "logs":[],"processID":"p1","warnings":null},
 {"traceID":"a977e0711cc93ee2","spanID":"00000000000000b2","operationName":"charge",
  "references":[{"refType":"CHILD_OF","traceID":"a977e0711cc93ee2","spanID":"1a2b3c4d5e6f7081"}],
  "startTime":1787216460010000,"duration":100000,
  "tags":[{"key":"span.kind","type":"string","value":"client"},
   {"key":"retry.ratio","type":"float64","value":72.5},
   {"key":"payment.big","type":"int64","value":"9223372036854775222"},
   {"key":"payment.token","type":"binary","value":"AAAwOQ=="}],
  "logs":null,"processID":"p1","warnings":["clock skew adjusted"]},
 {"traceID":"a977e0711cc93ee2","spanID":"00000000000000c3","operationName":"Charge",
  "references":[{"refType":"CHILD_OF","traceID":"a977e0711cc93ee2","spanID":"00000000000000b2"}],
  "startTime":1787216460020000,"duration":80000,
  "tags":[{"key":"span.kind","type":"string","value":"server"},
   {"key":"error","type":"bool","value":true},
   {"key":"otel.status_code","type":"string","value":"ERROR"},
   {"key":"otel.status_description","type":"string","value":"card declined"}],
  "logs":[{"timestamp":1787216460090000,"fields":[
   {"key":"event","type":"string","value":"exception"},
   {"key":"exception.type","type":"string","value":"CardError"},
   {"key":"exception.message","type":"string","value":"declined by issuer"}]}],
  "processID":"p2","warnings":null},
 {"traceID":"a977e0711cc93ee2","spanID":"00000000000000d4","operationName":"audit",
  "references":[{"refType":"FOLLOWS_FROM","traceID":"a977e0711cc93ee2","spanID":"00000000000000c3"}],
  "startTime":1787216460100000,"duration":5000,
  "tags":[{"key":"span.kind","type":"string","value":"internal"}],
  "logs":[],"processID":"p2","warnings":null}],
 "processes":{
  "p1":{"serviceName":"checkout","tags":[{"key":"host.name","type":"string","value":"web-1"}]},
  "p2":{"serviceName":"payment","tags":[{"key":"k8s.pod.name","type":"string","value":"payment-7d9f"},
   {"key":"service.version","type":"string","value":"1.4.2"}]}},
 "warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}"#;

/// The same trace as api_v3 sends it: OTLP-JSON, 32-digit trace ID, nanoseconds as strings.
const V3_TRACE: &str = r#"{"result":{"resourceSpans":[
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},
   {"key":"host.name","value":{"stringValue":"web-1"}}]},
  "scopeSpans":[{"scope":{"name":"io.opentelemetry.http"},"spans":[
   {"traceId":"0000000000000000a977e0711cc93ee2","spanId":"1a2b3c4d5e6f7081","name":"POST /order",
    "kind":2,"startTimeUnixNano":"1787216460000000000","endTimeUnixNano":"1787216460120000000",
    "attributes":[{"key":"http.status_code","value":{"intValue":"500"}}],"status":{"code":2}},
   {"traceId":"0000000000000000a977e0711cc93ee2","spanId":"00000000000000b2",
    "parentSpanId":"1a2b3c4d5e6f7081","name":"charge","kind":3,
    "startTimeUnixNano":"1787216460010000000","endTimeUnixNano":"1787216460110000000",
    "attributes":[{"key":"retry.ratio","value":{"doubleValue":72.5}},
     {"key":"payment.big","value":{"intValue":"9223372036854775222"}},
     {"key":"payment.token","value":{"bytesValue":"AAAwOQ=="}},
     {"key":"@jaeger@warnings","value":{"arrayValue":{"values":[{"stringValue":"clock skew adjusted"}]}}}],
    "status":{}}]}],
  "schemaUrl":"https://opentelemetry.io/schemas/1.4.0"},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payment"}},
   {"key":"k8s.pod.name","value":{"stringValue":"payment-7d9f"}},
   {"key":"service.version","value":{"stringValue":"1.4.2"}}]},
  "scopeSpans":[{"scope":{},"spans":[
   {"traceId":"0000000000000000a977e0711cc93ee2","spanId":"00000000000000c3",
    "parentSpanId":"00000000000000b2","name":"Charge","kind":2,
    "startTimeUnixNano":"1787216460020000000","endTimeUnixNano":"1787216460100000000",
    "events":[{"timeUnixNano":"1787216460090000000","name":"exception","attributes":[
     {"key":"exception.type","value":{"stringValue":"CardError"}},
     {"key":"exception.message","value":{"stringValue":"declined by issuer"}}]}],
    "status":{"code":2,"message":"card declined"}},
   {"traceId":"0000000000000000a977e0711cc93ee2","spanId":"00000000000000d4",
    "parentSpanId":"00000000000000c3","name":"audit","kind":1,
    "startTimeUnixNano":"1787216460100000000","endTimeUnixNano":"1787216460105000000"}]}]}]}}"#;

fn s(v: &str) -> String {
    v.to_string()
}

fn n(v: &str) -> Name {
    v.into()
}
