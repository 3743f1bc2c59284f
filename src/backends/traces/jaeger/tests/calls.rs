//! Requests per API version, error mapping, version detection.

use super::*;
use crate::backends::traces::jaeger::client::go_duration;

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
        fake.paths().last().unwrap(),
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
        fake.paths().last().unwrap(),
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
    assert_eq!(fake.paths().last().unwrap(), "/api/v3/operations");
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
    assert_eq!(fake.paths().len(), 1);

    let (c, fake) = client(&[("/api/services", text(503, "upstream connect error\n"))]);
    assert!(c.api_version().await.is_err());
    assert!(c.api_version().await.is_err());
    assert_eq!(fake.paths().len(), 2);

    let (c, fake) = client(&[]);
    let c = JaegerClient::with_api_version(c.endpoint().clone(), ApiVersion::V3);
    assert_eq!(c.api_version().await.unwrap(), ApiVersion::V3);
    assert!(fake.paths().is_empty());
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
