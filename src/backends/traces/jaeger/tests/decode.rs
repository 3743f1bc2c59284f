//! Decoding: both wire formats into the same domain traces, and their odd corners.

use super::*;

#[tokio::test]
async fn legacy_search_request_and_decoding() {
    let mut routes = legacy();
    routes.push(("/api/traces", json(200, LEGACY_TRACE)));
    let (c, fake) = client(&routes);
    let traces = c.find_traces(&query()).await.unwrap();
    // Issue 19: the search is its own API detection, no `/api/services` first.
    assert_eq!(fake.paths(), vec!["/api/traces"]);
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
                service: n("checkout"),
                tags: vec![(n("host.name"), n("web-1"))]
            },
            Resource {
                service: n("payment"),
                tags: vec![
                    (n("k8s.pod.name"), n("payment-7d9f")),
                    (n("service.version"), n("1.4.2"))
                ]
            },
        ]
    );
    let root = &t.spans[0];
    assert_eq!(
        (
            root.kind,
            root.error,
            root.parent_id.map(|p| p.to_string()).as_deref()
        ),
        (SpanKind::Server, true, None)
    );
    assert_eq!(root.tags, vec![(n("http.status_code"), n("500"))]);
    assert_eq!(
        (root.start_us, root.duration_us),
        (1787216460000000, 120000)
    );
    let charge = &t.spans[1];
    assert_eq!(
        charge.parent_id.map(|p| p.to_string()).as_deref(),
        Some("1a2b3c4d5e6f7081")
    );
    assert_eq!(
        charge.tags,
        vec![
            (n("retry.ratio"), n("72.5")),
            (n("payment.big"), n("9223372036854775222")),
            (n("payment.token"), n("AAAwOQ==")),
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
        (
            audit.kind,
            audit.parent_id.map(|p| p.to_string()).as_deref()
        ),
        (SpanKind::Internal, Some("00000000000000c3"))
    );
}

#[tokio::test]
async fn v3_search_request_and_identical_decoding() {
    let mut routes = v3();
    routes.push(("/api/v3/traces", json(200, V3_TRACE)));
    let (c, fake) = client(&routes);
    let traces = c.find_traces(&query()).await.unwrap();
    // Issue 19: the legacy search's 404 is the detection; the next search goes to api_v3 at once.
    assert_eq!(fake.paths(), vec!["/api/traces", "/api/v3/traces"]);
    c.find_traces(&query()).await.unwrap();
    assert_eq!(
        fake.paths(),
        vec!["/api/traces", "/api/v3/traces", "/api/v3/traces"]
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
        (
            a.span_id.to_string().as_str(),
            a.parent_id.map(|p| p.to_string()).as_deref()
        ),
        ("0000000000000004", Some("0000000000000002"))
    );
    assert_eq!((a.service.as_str(), a.error), ("inline-svc", true));
    assert_eq!(a.status_message.as_deref(), Some("timeout after 5s"));
    assert_eq!(a.tags, vec![(n("n"), n("-3")), (n("odd"), n(""))]);
    // A reference into another trace only: a root here.
    assert_eq!(t.spans[1].parent_id, None);
    assert_eq!(t.spans[1].service, "");
    assert_eq!(
        t.spans[2].parent_id.map(|p| p.to_string()).as_deref(),
        Some("0000000000000004")
    );
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
        (
            sp.kind,
            sp.error,
            sp.parent_id.map(|p| p.to_string()).as_deref()
        ),
        (SpanKind::Consumer, true, None)
    );
    // An end before the start is a zero duration, not a negative one.
    assert_eq!((sp.start_us, sp.duration_us), (2, 0));
    assert_eq!(
        sp.tags,
        vec![
            (n("tags"), n("[a,2]")),
            (n("m"), n("{k=false}")),
            (n("empty"), n(""))
        ]
    );
}

/// Issue 19: a search keeping fewer tags gives the same traces minus the span tags left out, in
/// both APIs: what is lifted out of the tags (kind, error, status, warnings) and the resources'
/// tags stay; and the policy ends with the search (the next one keeps every tag).
#[tokio::test]
async fn a_search_keeping_fewer_tags_drops_only_span_tags_in_both_apis() {
    for (routes, path, body) in [
        (legacy(), "/api/traces", LEGACY_TRACE),
        (v3(), "/api/v3/traces", V3_TRACE),
    ] {
        let mut routes = routes;
        routes.push((path, json(200, body)));
        let (c, _fake) = client(&routes);
        let all = c.find_traces(&query()).await.unwrap();
        let none = c
            .find_traces_keeping(&query(), TagPolicy::None)
            .await
            .unwrap();
        let only = c
            .find_traces_keeping(&query(), TagPolicy::Only(&["payment.big", "absent"]))
            .await
            .unwrap();
        let again = c.find_traces(&query()).await.unwrap();
        assert_eq!(again, all, "{path}: the policy outlived its search");
        assert!(
            all[0].spans[1].tags.len() == 3,
            "{path}: {:?}",
            all[0].spans
        );
        let without = |keep: &dyn Fn(&str) -> bool| {
            let mut t = all.clone();
            for s in &mut t[0].spans {
                s.tags.retain(|(k, _)| keep(k));
            }
            t
        };
        assert_eq!(none, without(&|_| false), "{path}");
        assert_eq!(only, without(&|k| k == "payment.big"), "{path}");
        assert_eq!(
            only[0].spans[1].tags,
            [(n("payment.big"), n("9223372036854775222"))]
        );
        let charge = &none[0].spans[1];
        assert_eq!(
            (charge.kind, charge.warnings.as_slice()),
            (SpanKind::Client, [s("clock skew adjusted")].as_slice()),
            "{path}"
        );
        assert!(none[0].spans[0].error, "{path}");
        assert_eq!(
            none[0].tag(&none[0].spans[2], "service.version"),
            Some("1.4.2")
        );
    }
}
