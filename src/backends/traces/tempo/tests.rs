//! Tempo client tests over a fake transport answering hand-written bodies shaped like Tempo's
//! (gogo jsonpb: base64 IDs, enum names, uint64 as strings, `"status":{}`; v1 `batches`; plain-
//! text errors). Here: decoding against the same trace in Jaeger's legacy JSON, request shapes,
//! the v2 → v1 fallbacks, not-found and error answers. End to end: `tests/it/tempo.rs`.

use std::sync::Arc;

use super::TempoClient;
use crate::backends::traces::testkit::{Fake, respond, text};
use crate::error::ErrorKind;
use crate::model::trace::{DependencyLink, SpanKind, Trace, TraceQuery};
use crate::transport::{Backend, Response};

fn json(body: &str) -> Response {
    respond(200, "application/json", body)
}

fn client(routes: &[(&str, Response)]) -> (TempoClient, Arc<Fake>) {
    let (endpoint, fake) = Fake::endpoint(
        routes,
        Backend::Tempo,
        "http://tempo:3200/",
        vec![("X-Scope-OrgID".into(), "team-a".into())],
    );
    (TempoClient::new(endpoint, None), fake)
}

const ID: &str = "83a9efd15c1c98a977e0711cc93ee28b";

/// One trace as Tempo's v2 trace-by-ID answers it: base64 IDs, enum names, nanoseconds as
/// strings, an unset status as `{}`, and the 2.8+ `metrics`.
const TEMPO_V2: &str = r#"{"trace":{"resourceSpans":[
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},
   {"key":"host.name","value":{"stringValue":"web-1"}}]},
  "scopeSpans":[{"scope":{"name":"io.opentelemetry.http"},"spans":[
   {"traceId":"g6nv0VwcmKl34HEcyT7iiw==","spanId":"Gis8TV5vcIE=","name":"POST /order",
    "kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1787216460000000000",
    "endTimeUnixNano":"1787216460120000000",
    "attributes":[{"key":"http.status_code","value":{"intValue":"500"}}],
    "status":{"code":"STATUS_CODE_ERROR"}},
   {"traceId":"g6nv0VwcmKl34HEcyT7iiw==","spanId":"AAAAAAAAALI=","parentSpanId":"Gis8TV5vcIE=",
    "name":"charge","kind":"SPAN_KIND_CLIENT","startTimeUnixNano":"1787216460010000000",
    "endTimeUnixNano":"1787216460110000000",
    "attributes":[{"key":"retry.ratio","value":{"doubleValue":72.5}}],"status":{}}]}]},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payment"}},
   {"key":"service.version","value":{"stringValue":"1.4.2"}}]},
  "scopeSpans":[{"scope":{},"spans":[
   {"traceId":"g6nv0VwcmKl34HEcyT7iiw==","spanId":"AAAAAAAAAMM=","parentSpanId":"AAAAAAAAALI=",
    "name":"Charge","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1787216460020000000",
    "endTimeUnixNano":"1787216460100000000",
    "events":[{"timeUnixNano":"1787216460090000000","name":"exception","attributes":[
     {"key":"exception.message","value":{"stringValue":"declined by issuer"}}]}],
    "status":{"code":"STATUS_CODE_ERROR","message":"card declined"}}]}]}]},
 "metrics":{"inspectedBytes":"1893"}}"#;

/// The same trace in Jaeger's legacy JSON: hex IDs, `span.kind` and status as tags, the event
/// as a log with an `event` field.
const JAEGER_LEGACY: &str = r#"{"data":[{"traceID":"83a9efd15c1c98a977e0711cc93ee28b","spans":[
 {"traceID":"83a9efd15c1c98a977e0711cc93ee28b","spanID":"1a2b3c4d5e6f7081",
  "operationName":"POST /order","references":[],"startTime":1787216460000000,"duration":120000,
  "tags":[{"key":"span.kind","type":"string","value":"server"},
   {"key":"http.status_code","type":"int64","value":500},
   {"key":"otel.status_code","type":"string","value":"ERROR"}],
  "logs":[],"processID":"p1","warnings":null},
 {"traceID":"83a9efd15c1c98a977e0711cc93ee28b","spanID":"00000000000000b2",
  "operationName":"charge","references":[{"refType":"CHILD_OF",
   "traceID":"83a9efd15c1c98a977e0711cc93ee28b","spanID":"1a2b3c4d5e6f7081"}],
  "startTime":1787216460010000,"duration":100000,
  "tags":[{"key":"span.kind","type":"string","value":"client"},
   {"key":"retry.ratio","type":"float64","value":72.5}],
  "logs":[],"processID":"p1","warnings":null},
 {"traceID":"83a9efd15c1c98a977e0711cc93ee28b","spanID":"00000000000000c3",
  "operationName":"Charge","references":[{"refType":"CHILD_OF",
   "traceID":"83a9efd15c1c98a977e0711cc93ee28b","spanID":"00000000000000b2"}],
  "startTime":1787216460020000,"duration":80000,
  "tags":[{"key":"span.kind","type":"string","value":"server"},
   {"key":"otel.status_code","type":"string","value":"ERROR"},
   {"key":"otel.status_description","type":"string","value":"card declined"}],
  "logs":[{"timestamp":1787216460090000,"fields":[
   {"key":"event","type":"string","value":"exception"},
   {"key":"exception.message","type":"string","value":"declined by issuer"}]}],
  "processID":"p2","warnings":null}],
 "processes":{
  "p1":{"serviceName":"checkout","tags":[{"key":"host.name","type":"string","value":"web-1"}]},
  "p2":{"serviceName":"payment","tags":[{"key":"service.version","type":"string","value":"1.4.2"}]}},
 "warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}"#;

fn jaeger_equivalent() -> Trace {
    let mut traces = crate::backends::traces::jaeger::decode_traces(JAEGER_LEGACY.as_bytes())
        .expect("the legacy body decodes");
    assert_eq!(traces.len(), 1);
    traces.remove(0)
}

/// `{"batches": ...}`: the v1 endpoint's name for the same list.
fn tempo_v1() -> String {
    let inner = TEMPO_V2
        .trim_start_matches(r#"{"trace":{"resourceSpans":"#)
        .rsplit_once(
            r#"},
 "metrics""#,
        )
        .expect("the v2 body's shape")
        .0;
    format!(r#"{{"batches":{inner}}}"#)
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

#[test]
fn base64_trace_decodes_to_the_same_trace_as_its_jaeger_equivalent() {
    let want = jaeger_equivalent();
    let v2 = super::decode_trace(TEMPO_V2.as_bytes()).unwrap().unwrap();
    assert_eq!(v2, want);
    assert_eq!(v2.trace_id, ID);
    assert_eq!(v2.spans[0].kind, SpanKind::Server);
    assert!(v2.spans[0].error && !v2.spans[1].error);
    assert_eq!(
        v2.spans[1].parent_id.map(|p| p.to_string()).as_deref(),
        Some("1a2b3c4d5e6f7081")
    );
    let v1 = super::decode_trace(tempo_v1().as_bytes()).unwrap().unwrap();
    assert_eq!(v1, want);
}

#[test]
fn empty_and_partial_v2_answers() {
    assert_eq!(
        super::decode_trace(br#"{"trace":{},"metrics":{"inspectedBytes":"0"}}"#).unwrap(),
        None
    );
    assert_eq!(super::decode_trace(b"{}").unwrap(), None);
    let partial = TEMPO_V2.replace(
        r#""metrics":{"inspectedBytes":"1893"}"#,
        r#""status":"PARTIAL","message":"Trace exceeds maximum size of 100 bytes, a partial trace is returned""#,
    );
    let t = super::decode_trace(partial.as_bytes()).unwrap().unwrap();
    assert_eq!(
        t.warnings,
        vec!["Trace exceeds maximum size of 100 bytes, a partial trace is returned".to_string()]
    );
}

#[tokio::test]
async fn search_sends_traceql_then_fetches_each_trace_by_id() {
    let search = format!(
        r#"{{"traces":[{{"traceID":"{ID}","rootServiceName":"checkout","rootTraceName":"POST /order",
        "startTimeUnixNano":"1787216460000000000","durationMs":120,
        "spanSets":[{{"spans":[{{"spanID":"1a2b3c4d5e6f7081","startTimeUnixNano":"1787216460000000000",
        "durationNanos":"120000000"}}],"matched":1}}]}}],
        "metrics":{{"inspectedBytes":"292781","completedJobs":1,"totalJobs":1}}}}"#
    );
    let (c, fake) = client(&[
        ("/api/search", json(&search)),
        (&format!("/api/v2/traces/{ID}"), json(TEMPO_V2)),
    ]);
    let traces = c.find_traces(&query()).await.unwrap();
    assert_eq!(traces, vec![jaeger_equivalent()]);
    assert_eq!(
        fake.paths(),
        vec!["/api/search".to_string(), format!("/api/v2/traces/{ID}")]
    );
    let seen = fake.seen.lock().unwrap();
    let q: Vec<(&str, &str)> = seen[0]
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        q,
        vec![
            (
                "q",
                r#"{ resource.service.name = "checkout" && name = "POST /order" && duration >= 250ms && (.http.status_code = "500" || .http.status_code = 500) }"#
            ),
            ("start", "1787216400"),
            ("end", "1787220000"),
            ("limit", "20"),
            ("spss", "1"),
        ]
    );
    for r in seen.iter() {
        assert!(
            r.headers
                .iter()
                .any(|(k, v)| k == "X-Scope-OrgID" && v == "team-a"),
            "tenant header on {}",
            r.path
        );
    }
}

#[tokio::test]
async fn an_empty_search_has_no_traces_key() {
    let (c, fake) = client(&[("/api/search", json(r#"{"metrics":{"inspectedBytes":"0"}}"#))]);
    assert_eq!(c.find_traces(&query()).await.unwrap(), Vec::<Trace>::new());
    assert_eq!(fake.paths(), vec!["/api/search"]);
}

#[tokio::test]
async fn older_tempo_falls_back_to_v1_once() {
    let v1 = tempo_v1();
    let (c, fake) = client(&[
        (&format!("/api/traces/{ID}"), json(&v1)),
        (
            "/api/search/tag/service.name/values",
            json(r#"{"tagValues":["payment","checkout"],"metrics":{"inspectedBytes":"431380"}}"#),
        ),
    ]);
    assert_eq!(c.trace(ID).await.unwrap(), Some(jaeger_equivalent()));
    assert_eq!(c.trace(ID).await.unwrap(), Some(jaeger_equivalent()));
    assert_eq!(c.services().await.unwrap(), vec!["checkout", "payment"]);
    assert_eq!(
        fake.paths(),
        vec![
            format!("/api/v2/traces/{ID}"),
            format!("/api/traces/{ID}"),
            format!("/api/traces/{ID}"),
            "/api/search/tag/service.name/values".to_string(),
        ]
    );
}

#[tokio::test]
async fn unknown_traces_are_none_in_both_versions() {
    let (c, _) = client(&[(
        &format!("/api/v2/traces/{ID}"),
        json(r#"{"trace":{},"metrics":{"inspectedBytes":"0"}}"#),
    )]);
    assert_eq!(c.trace(ID).await.unwrap(), None);
    let (c, _) = client(&[(&format!("/api/traces/{ID}"), text(404, ""))]);
    assert_eq!(c.trace(ID).await.unwrap(), None);
    let (c, _) = client(&[(&format!("/api/traces/{ID}"), text(404, "trace not found"))]);
    assert_eq!(c.trace(ID).await.unwrap(), None);
    // A 404 of the router on both versions is a wrong URL, not a missing trace.
    let (c, _) = client(&[]);
    let e = c.trace(ID).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Status { code: 404, .. }), "{e}");
}

#[tokio::test]
async fn services_from_v2_tag_values() {
    let (c, _) = client(&[(
        "/api/v2/search/tag/resource.service.name/values",
        json(
            r#"{"tagValues":[{"type":"string","value":"payment"},{"type":"string","value":"checkout"}],"metrics":{"inspectedBytes":"502756"}}"#,
        ),
    )]);
    assert_eq!(c.services().await.unwrap(), vec!["checkout", "payment"]);
}

#[tokio::test]
async fn operations_are_span_names_scoped_by_service() {
    let (c, fake) = client(&[(
        "/api/v2/search/tag/name/values",
        json(
            r#"{"tagValues":[{"type":"string","value":"POST /order"},{"type":"string","value":"GET /cart"}]}"#,
        ),
    )]);
    let ops = c.operations("check\"out").await.unwrap();
    assert_eq!(
        ops.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        vec!["GET /cart", "POST /order"]
    );
    let seen = fake.seen.lock().unwrap();
    assert_eq!(
        seen[0].query,
        vec![(
            "q".to_string(),
            r#"{ resource.service.name = "check\"out" }"#.to_string()
        )]
    );
}

#[tokio::test]
async fn plain_text_errors_become_one_line_errors_with_hints() {
    let (c, _) = client(&[(
        "/api/search",
        text(
            400,
            "invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER",
        ),
    )]);
    let e = c.find_traces(&query()).await.unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Api {
            error_type: "bad request".into(),
            message: "invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER".into()
        }
    );
    assert!(!e.one_line().contains('\n'));

    let (c, _) = client(&[("/api/search", text(401, "no org id\n"))]);
    let e = c.find_traces(&query()).await.unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Forbidden {
            code: 401,
            message: "no org id".into()
        }
    );
    assert!(e.hint().contains("tenant"), "{}", e.hint());

    let (c, _) = client(&[("/api/search", json("<html>oops"))]);
    let e = c.find_traces(&query()).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Decode { .. }), "{e}");
}

#[tokio::test]
async fn without_prometheus_the_graph_comes_from_sampled_traces() {
    let search = format!(r#"{{"traces":[{{"traceID":"{ID}"}}]}}"#);
    let (c, fake) = client(&[
        ("/api/search", json(&search)),
        (&format!("/api/v2/traces/{ID}"), json(TEMPO_V2)),
    ]);
    let end: jiff::Timestamp = "2026-08-20T10:00:00Z".parse().unwrap();
    let links = c
        .dependencies(end, std::time::Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(
        links,
        vec![DependencyLink {
            parent: "checkout".into(),
            child: "payment".into(),
            call_count: 1
        }]
    );
    let seen = fake.seen.lock().unwrap();
    assert_eq!(seen[0].query[0], ("q".to_string(), "{ }".to_string()));
}

#[test]
fn service_graph_query_sums_the_generator_counter() {
    assert_eq!(
        super::client::service_graph_query(std::time::Duration::from_secs(3600)),
        "sum by (client, server) (increase(traces_service_graph_request_total[3600s]))"
    );
}
