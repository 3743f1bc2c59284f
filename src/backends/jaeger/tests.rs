//! Client tests over a fake transport answering hand-written bodies. Their shapes follow, field for
//! field, Jaeger's own fixtures (uimodel `ui_01.json`, the query service's `otlp2jaeger-out.json`,
//! the api_v3 snapshots) and the error bodies its handlers write; the values are made up.

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::client::go_duration;
use super::*;
use crate::transport::{
    Backend, BackendError, BoxFuture, Endpoint, ErrorKind, Request, Response, Transport,
};

struct Fake {
    routes: Vec<(String, Response)>,
    seen: Mutex<Vec<Request>>,
}

impl Transport for Fake {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        // Unknown routes answer like Go's ServeMux behind Jaeger's `/api/` catch-all.
        let resp = self
            .routes
            .iter()
            .find(|(p, _)| *p == req.path)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| text(404, "404 page not found\n"));
        self.seen.lock().unwrap().push(req);
        Box::pin(async move { Ok(resp) })
    }
}

fn respond(status: u16, content_type: &str, body: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: Bytes::from(body.to_string()),
    }
}

fn json(status: u16, body: &str) -> Response {
    respond(status, "application/json", body)
}

/// Jaeger writes its error bodies with `http.Error`: text/plain, trailing newline.
fn text(status: u16, body: &str) -> Response {
    respond(status, "text/plain; charset=utf-8", body)
}

fn client(routes: &[(&str, Response)]) -> (JaegerClient, Arc<Fake>) {
    let fake = Arc::new(Fake {
        routes: routes
            .iter()
            .map(|(p, r)| (p.to_string(), r.clone()))
            .collect(),
        seen: Mutex::new(Vec::new()),
    });
    let endpoint = Endpoint {
        backend: Backend::Jaeger,
        base: url::Url::parse("http://jaeger:16686/").unwrap(),
        transport: fake.clone(),
        headers: Vec::new(),
    };
    (JaegerClient::new(endpoint), fake)
}

fn paths(fake: &Fake) -> Vec<String> {
    fake.seen
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.path.clone())
        .collect()
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

#[tokio::test]
async fn legacy_search_request_and_decoding() {
    let mut routes = legacy();
    routes.push(("/api/traces", json(200, LEGACY_TRACE)));
    let (c, fake) = client(&routes);
    let traces = c.find_traces(&query()).await.unwrap();
    assert_eq!(paths(&fake), vec!["/api/services", "/api/traces"]);
    assert_eq!(
        last_query(&fake),
        pairs(&[
            ("service", "checkout"),
            ("operation", "POST /order"),
            ("tags", r#"{"http.status_code":"500"}"#),
            ("minDuration", "250ms"),
            ("start", "1787216400000000"),
            ("end", "1787220000000000"),
            ("limit", "20"),
        ])
    );
    assert_eq!(traces.len(), 1);
    let t = &traces[0];
    assert_eq!(t.trace_id, "a977e0711cc93ee2");
    assert_eq!(
        t.resources,
        vec![
            Resource {
                service: s("checkout"),
                tags: vec![(s("host.name"), s("web-1"))]
            },
            Resource {
                service: s("payment"),
                tags: vec![
                    (s("k8s.pod.name"), s("payment-7d9f")),
                    (s("service.version"), s("1.4.2"))
                ]
            },
        ]
    );
    let root = &t.spans[0];
    assert_eq!(
        (root.kind, root.error, root.parent_id.as_deref()),
        (SpanKind::Server, true, None)
    );
    assert_eq!(root.tags, vec![(s("http.status_code"), s("500"))]);
    assert_eq!(
        (root.start_us, root.duration_us),
        (1787216460000000, 120000)
    );
    let charge = &t.spans[1];
    assert_eq!(charge.parent_id.as_deref(), Some("1a2b3c4d5e6f7081"));
    assert_eq!(
        charge.tags,
        vec![
            (s("retry.ratio"), s("72.5")),
            (s("payment.big"), s("9223372036854775222")),
            (s("payment.token"), s("AAAwOQ==")),
        ]
    );
    assert_eq!(charge.warnings, vec![s("clock skew adjusted")]);
    let downstream = &t.spans[2];
    assert_eq!(
        (downstream.service.as_str(), downstream.resource),
        ("payment", 1)
    );
    assert_eq!(downstream.status_message.as_deref(), Some("card declined"));
    assert_eq!(
        downstream.events,
        vec![SpanEvent {
            name: s("exception"),
            timestamp_us: 1787216460090000,
            fields: vec![
                (s("exception.type"), s("CardError")),
                (s("exception.message"), s("declined by issuer"))
            ],
        }]
    );
    assert_eq!(t.tag(downstream, "service.version"), Some("1.4.2"));
    let audit = &t.spans[3];
    assert_eq!(
        (audit.kind, audit.parent_id.as_deref()),
        (SpanKind::Internal, Some("00000000000000c3"))
    );
}

#[tokio::test]
async fn v3_search_request_and_identical_decoding() {
    let mut routes = v3();
    routes.push(("/api/v3/traces", json(200, V3_TRACE)));
    let (c, fake) = client(&routes);
    let traces = c.find_traces(&query()).await.unwrap();
    assert_eq!(
        paths(&fake),
        vec!["/api/services", "/api/v3/services", "/api/v3/traces"]
    );
    assert_eq!(
        last_query(&fake),
        pairs(&[
            ("query.serviceName", "checkout"),
            ("query.operationName", "POST /order"),
            ("query.attributes", r#"{"http.status_code":"500"}"#),
            ("query.durationMin", "250ms"),
            ("query.startTimeMin", "2026-08-20T09:00:00Z"),
            ("query.startTimeMax", "2026-08-20T10:00:00Z"),
            ("query.searchDepth", "20"),
        ])
    );
    let mut routes = legacy();
    routes.push(("/api/traces", json(200, LEGACY_TRACE)));
    let (legacy_client, _) = client(&routes);
    assert_eq!(traces, legacy_client.find_traces(&query()).await.unwrap());
}

#[tokio::test]
async fn v3_search_regroups_merged_traces_by_trace_id() {
    let span = |t: &str, id: &str| {
        format!(
            r#"{{"traceId":"{t}","spanId":"{id}","name":"op","startTimeUnixNano":"1000","endTimeUnixNano":"3000"}}"#
        )
    };
    let body = format!(
        r#"{{"result":{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"a"}}}}]}},"scopeSpans":[{{"spans":[{},{},{}]}}]}}]}}}}"#,
        span("000000000000000000000000000000aa", "01"),
        span("000000000000000000000000000000bb", "02"),
        span("000000000000000000000000000000aa", "03"),
    );
    let mut routes = v3();
    routes.push(("/api/v3/traces", json(200, &body)));
    let (c, _) = client(&routes);
    let traces = c.find_traces(&query()).await.unwrap();
    let shape: Vec<(&str, usize)> = traces
        .iter()
        .map(|t| (t.trace_id.as_str(), t.spans.len()))
        .collect();
    assert_eq!(
        shape,
        vec![("00000000000000aa", 2), ("00000000000000bb", 1)]
    );
    assert_eq!(traces[0].spans[1].span_id, "0000000000000003");
    assert_eq!(
        (traces[0].spans[0].start_us, traces[0].spans[0].duration_us),
        (1, 2)
    );
}

#[tokio::test]
async fn v3_no_match_is_empty_but_a_missing_route_is_an_error() {
    let mut routes = v3();
    routes.push((
        "/api/v3/traces",
        text(
            404,
            "{\"error\":{\"httpCode\":404,\"message\":\"No traces found\"}}\n",
        ),
    ));
    let (c, _) = client(&routes);
    assert_eq!(c.find_traces(&query()).await.unwrap(), vec![]);

    let (c, _) = client(&v3());
    let e = c.find_traces(&query()).await.unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Status {
            code: 404,
            message: s("404 page not found")
        }
    );
}

#[tokio::test]
async fn error_envelopes_become_one_line_errors_with_the_servers_message() {
    let body = "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":501,\"msg\":\"trace metrics are currently disabled - no metrics backend configured\"}]}\n";
    let mut routes = legacy();
    routes.push(("/api/traces", text(501, body)));
    let (c, _) = client(&routes);
    let e = c.find_traces(&query()).await.unwrap_err();
    assert_eq!(
        e.one_line(),
        "jaeger at http://jaeger:16686/api/traces: HTTP 501: trace metrics are currently disabled - no metrics backend configured"
    );

    let mut routes = legacy();
    let bad = "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":400,\"msg\":\"parameter 'service' is required\"}]}\n";
    routes.push(("/api/traces", text(400, bad)));
    let (c, _) = client(&routes);
    let e = c.find_traces(&query()).await.unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Api {
            error_type: s("bad request"),
            message: s("parameter 'service' is required")
        }
    );

    let mut routes = v3();
    let gw = "{\"error\":{\"httpCode\":400,\"message\":\"malformed parameter query.startTimeMin:\\nparsing time\"}}\n";
    routes.push(("/api/v3/traces", text(400, gw)));
    let (c, _) = client(&routes);
    let e = c.find_traces(&query()).await.unwrap_err();
    assert_eq!(
        e.one_line(),
        "jaeger at http://jaeger:16686/api/v3/traces: bad request: malformed parameter query.startTimeMin: parsing time"
    );

    // A 200 whose envelope carries only errors.
    let mut routes = legacy();
    routes.push((
        "/api/dependencies",
        json(
            200,
            r#"{"data":null,"errors":[{"code":500,"msg":"storage down"}]}"#,
        ),
    ));
    let (c, _) = client(&routes);
    let e = c
        .dependencies(query().end, std::time::Duration::from_secs(3600))
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Api {
            error_type: s("error 500"),
            message: s("storage down")
        }
    );

    let (c, _) = client(&[("/api/services", text(403, "forbidden\n"))]);
    let e = c.services().await.unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::Forbidden { code: 403, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_html_page_is_a_decode_error() {
    let login = respond(
        200,
        "text/html",
        "<!doctype html><html><body>Sign in</body></html>",
    );
    let (c, _) = client(&[("/api/services", login)]);
    let e = c.services().await.unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Decode {
            reason: s("got an HTML page, not JSON")
        }
    );
}

#[tokio::test]
async fn trace_by_id_in_both_apis() {
    let mut routes = legacy();
    routes.push(("/api/traces/a977e0711cc93ee2", json(200, LEGACY_TRACE)));
    let not_found = "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}\n";
    routes.push(("/api/traces/ffff", text(404, not_found)));
    let (c, fake) = client(&routes);
    let t = c.trace("a977e0711cc93ee2").await.unwrap().unwrap();
    assert_eq!(t.spans.len(), 4);
    assert_eq!(c.trace("ffff").await.unwrap(), None);
    // IDs are path segments, never extra path or query.
    assert!(c.trace("../services?x").await.is_err());
    assert_eq!(
        paths(&fake).last().unwrap(),
        "/api/traces/..%2Fservices%3Fx"
    );

    let mut routes = v3();
    routes.push(("/api/v3/traces/a977e0711cc93ee2", json(200, V3_TRACE)));
    let (c, fake) = client(&routes);
    assert_eq!(c.trace("a977e0711cc93ee2").await.unwrap(), Some(t));
    assert_eq!(
        c.trace("0000000000000001").await.unwrap_err().kind,
        ErrorKind::Status {
            code: 404,
            message: s("404 page not found")
        }
    );
    assert_eq!(
        paths(&fake).last().unwrap(),
        "/api/v3/traces/0000000000000001"
    );
}

#[tokio::test]
async fn services_and_operations_in_both_apis() {
    let mut routes = legacy();
    routes.push((
        "/api/operations",
        json(
            200,
            r#"{"data":[{"name":"POST /order","spanKind":"server"},{"name":"charge","spanKind":"client"},{"name":"audit","spanKind":""}],"total":3,"limit":0,"offset":0,"errors":null}"#,
        ),
    ));
    let (c, fake) = client(&routes);
    assert_eq!(
        c.services().await.unwrap(),
        vec![s("checkout"), s("payment")]
    );
    let ops = c.operations("checkout").await.unwrap();
    assert_eq!(last_query(&fake), pairs(&[("service", "checkout")]));
    let want = vec![
        Operation {
            name: s("POST /order"),
            kind: SpanKind::Server,
        },
        Operation {
            name: s("audit"),
            kind: SpanKind::Unspecified,
        },
        Operation {
            name: s("charge"),
            kind: SpanKind::Client,
        },
    ];
    assert_eq!(ops, want);

    let mut routes = v3();
    routes.push((
        "/api/v3/operations",
        json(
            200,
            r#"{"operations":[{"name":"charge","spanKind":"client"},{"name":"POST /order","spanKind":"server"},{"name":"audit"}]}"#,
        ),
    ));
    let (c, fake) = client(&routes);
    assert_eq!(
        c.services().await.unwrap(),
        vec![s("checkout"), s("payment")]
    );
    assert_eq!(c.operations("checkout").await.unwrap(), want);
    assert_eq!(paths(&fake).last().unwrap(), "/api/v3/operations");
    assert_eq!(last_query(&fake), pairs(&[("service", "checkout")]));

    // Jaeger marshals an empty Go slice as null.
    let (c, _) = client(&[(
        "/api/services",
        json(200, r#"{"data":null,"total":0,"errors":null}"#),
    )]);
    assert_eq!(c.services().await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn dependencies_use_milliseconds_and_sort() {
    let body = r#"{"data":[{"parent":"checkout","child":"payment","callCount":30489},{"parent":"api","child":"checkout","callCount":8560}],"total":0,"limit":0,"offset":0,"errors":null}"#;
    let (c, fake) = client(&[("/api/dependencies", json(200, body))]);
    let deps = c
        .dependencies(query().end, std::time::Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(
        last_query(&fake),
        pairs(&[("endTs", "1787220000000"), ("lookback", "3600000")])
    );
    assert_eq!(
        deps,
        vec![
            DependencyLink {
                parent: s("api"),
                child: s("checkout"),
                call_count: 8560
            },
            DependencyLink {
                parent: s("checkout"),
                child: s("payment"),
                call_count: 30489
            },
        ]
    );
}

#[tokio::test]
async fn detection_is_cached_but_failures_are_retried() {
    let (c, fake) = client(&legacy());
    assert_eq!(c.api_version().await.unwrap(), ApiVersion::Legacy);
    assert_eq!(c.api_version().await.unwrap(), ApiVersion::Legacy);
    assert_eq!(paths(&fake).len(), 1);

    let (c, fake) = client(&[("/api/services", text(503, "upstream connect error\n"))]);
    assert!(c.api_version().await.is_err());
    assert!(c.api_version().await.is_err());
    assert_eq!(paths(&fake).len(), 2);

    let (c, fake) = client(&[]);
    let c = JaegerClient::with_api_version(c.endpoint().clone(), ApiVersion::V3);
    assert_eq!(c.api_version().await.unwrap(), ApiVersion::V3);
    assert!(paths(&fake).is_empty());
}

#[tokio::test]
async fn legacy_oddities_decode() {
    // A cross-trace CHILD_OF before the in-trace one, an inline process, OpenTracing error logs,
    // a missing processID, a 16-digit uppercase ID.
    let body = r#"{"data":[{"traceID":"00000000000000FF","spans":[
     {"traceID":"00000000000000FF","spanID":"4","operationName":"ref-test",
      "references":[{"refType":"CHILD_OF","traceID":"0000000000000001","spanID":"99"},
       {"refType":"CHILD_OF","traceID":"00000000000000ff","spanID":"2"}],
      "startTime":10,"duration":5,
      "tags":[{"key":"error","type":"string","value":"true"},{"key":"n","type":"int64","value":-3},
       {"key":"odd","value":[1,2]}],
      "logs":[{"timestamp":12,"fields":[{"key":"event","value":"error"},{"key":"message","value":"timeout after 5s"}]}],
      "process":{"serviceName":"inline-svc","tags":null},"warnings":["w"]},
     {"spanID":"5","operationName":"other","references":[{"refType":"CHILD_OF","traceID":"1","spanID":"1"}],
      "parentSpanID":"4","startTime":11,"duration":1,"processID":"nope"},
     {"spanID":"6","operationName":"legacy-parent","parentSpanID":"4","startTime":11,"duration":1}],
     "processes":{},"warnings":["some trace warning"]}],"errors":null}"#;
    let mut routes = legacy();
    routes.push(("/api/traces", json(200, body)));
    let (c, _) = client(&routes);
    let t = c.find_traces(&query()).await.unwrap().remove(0);
    assert_eq!(t.trace_id, "00000000000000ff");
    assert_eq!(t.warnings, vec![s("some trace warning")]);
    let a = &t.spans[0];
    assert_eq!(
        (a.span_id.as_str(), a.parent_id.as_deref()),
        ("0000000000000004", Some("0000000000000002"))
    );
    assert_eq!((a.service.as_str(), a.error), ("inline-svc", true));
    assert_eq!(a.status_message.as_deref(), Some("timeout after 5s"));
    assert_eq!(a.tags, vec![(s("n"), s("-3")), (s("odd"), s(""))]);
    // A reference into another trace only: a root here.
    assert_eq!(t.spans[1].parent_id, None);
    assert_eq!(t.spans[1].service, "");
    assert_eq!(t.spans[2].parent_id.as_deref(), Some("0000000000000004"));
}

#[tokio::test]
async fn otlp_enum_names_numbers_and_nested_values_decode() {
    let body = r#"{"result":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"q"}}]},
     "scopeSpans":[{"spans":[{"traceId":"01","spanId":"0a","parentSpanId":"","name":"consume",
      "kind":"SPAN_KIND_CONSUMER","startTimeUnixNano":2000,"endTimeUnixNano":"1000",
      "attributes":[{"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":2}]}}},
       {"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false}}]}}},
       {"key":"empty","value":{}}],
      "status":{"code":"STATUS_CODE_ERROR"},"unknownField":{"x":1}}]}]}]}}"#;
    let mut routes = v3();
    routes.push(("/api/v3/traces", json(200, body)));
    let (c, _) = client(&routes);
    let t = c.find_traces(&query()).await.unwrap().remove(0);
    let sp = &t.spans[0];
    assert_eq!(
        (sp.kind, sp.error, sp.parent_id.as_deref()),
        (SpanKind::Consumer, true, None)
    );
    // An end before the start is a zero duration, not a negative one.
    assert_eq!((sp.start_us, sp.duration_us), (2, 0));
    assert_eq!(
        sp.tags,
        vec![
            (s("tags"), s("[a,2]")),
            (s("m"), s("{k=false}")),
            (s("empty"), s(""))
        ]
    );
}

#[test]
fn durations_use_gos_syntax() {
    use std::time::Duration;
    assert_eq!(go_duration(Duration::from_millis(250)), "250ms");
    assert_eq!(go_duration(Duration::from_secs(90)), "90s");
    assert_eq!(go_duration(Duration::from_secs(120)), "2m");
    assert_eq!(go_duration(Duration::from_micros(1500)), "1500us");
    assert_eq!(go_duration(Duration::from_nanos(7)), "7ns");
    assert_eq!(go_duration(Duration::ZERO), "0s");
}
