//! Self-tests of the integration-test harness in `tests/it/support`: the
//! OpenMetrics generator is deterministic and well-formed, Prometheus serves a
//! backfilled scenario with the injected anomaly where it was put, counters
//! have their configured rate, the fixture server routes and records, and
//! Alertmanager starts. These test the harness, not tracectl; tests needing
//! Prometheus or Alertmanager skip loudly when they are not installed
//! (and fail on CI).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use crate::support::{
    AlertmanagerHarness, FixtureServer, Latency, PrometheusHarness, Response, Route, Scenario,
    SeriesSpec, Shape, http_client,
};

/// A fixed instant in the past (2023-11-14T22:13:20Z), so data and
/// assertions never depend on when the test runs.
const T0: i64 = 1_700_000_000;
const HOUR: i64 = 3600;
const LATENCY_STEP_AT: i64 = T0 + HOUR;

const HISTOGRAM: &str = "mcp_request_duration_seconds";

fn request_labels(service: &'static str) -> [(&'static str, &'static str); 3] {
    [
        ("service_name", service),
        ("operation_name", "POST /cart"),
        ("dependency_service_name", "payments"),
    ]
}

/// checkout's median latency jumps from 50 ms to 300 ms at `LATENCY_STEP_AT`;
/// frontend stays at 50 ms as a control.
fn latency_step_scenario() -> Scenario {
    let slow_after_step = Latency {
        median: Shape::Step {
            before: 0.05,
            after: 0.3,
            at: LATENCY_STEP_AT,
        },
        spread: 0.4,
    };
    let steady = Latency {
        median: Shape::Constant(0.05),
        spread: 0.4,
    };
    Scenario::new(T0, T0 + 2 * HOUR)
        .with_seed(7)
        .with(SeriesSpec::histogram(
            HISTOGRAM,
            &request_labels("checkout"),
            Shape::Constant(20.0),
            slow_after_step,
        ))
        .with(SeriesSpec::histogram(
            HISTOGRAM,
            &request_labels("frontend"),
            Shape::Constant(50.0),
            steady,
        ))
        .with(SeriesSpec::counter(
            "mcp_requests_total",
            &request_labels("checkout"),
            Shape::Constant(20.0),
        ))
        .with(SeriesSpec::counter(
            "mcp_errors_total",
            &request_labels("checkout"),
            Shape::Step {
                before: 0.2,
                after: 2.0,
                at: LATENCY_STEP_AT,
            },
        ))
        .with(SeriesSpec::gauge(
            "container_memory_usage_bytes",
            &[("container", "checkout")],
            Shape::Ramp {
                from: 2.0e8,
                to: 4.0e8,
                start: T0,
                end: T0 + 2 * HOUR,
            },
        ))
}

/// Value per `service_name`, failing with the full result if one is missing.
fn by_service(samples: &[(std::collections::BTreeMap<String, String>, f64)], service: &str) -> f64 {
    samples
        .iter()
        .find(|(labels, _)| labels.get("service_name").map(String::as_str) == Some(service))
        .unwrap_or_else(|| panic!("no sample for service_name={service} in {samples:?}"))
        .1
}

fn assert_close(actual: f64, expected: f64, relative: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= expected.abs() * relative,
        "{what}: got {actual}, expected {expected} ± {}%",
        relative * 100.0
    );
}

#[test]
fn openmetrics_is_deterministic_and_well_formed() {
    let text = latency_step_scenario().to_openmetrics();
    assert_eq!(
        text,
        latency_step_scenario().to_openmetrics(),
        "same seed, same bytes"
    );
    assert_ne!(
        text,
        latency_step_scenario().with_seed(8).to_openmetrics(),
        "seed changes noise"
    );
    assert!(text.ends_with("# EOF\n"));
    assert!(text.contains("# TYPE mcp_requests counter\nmcp_requests_total{"));

    // Each family's TYPE line appears once and its samples are contiguous.
    let mut seen_families = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let family = rest.split(' ').next().unwrap().to_string();
            assert!(!seen_families.contains(&family), "family {family} split");
            seen_families.push(family);
        } else if line != "# EOF" {
            let family = seen_families.last().expect("sample before any TYPE");
            assert!(
                line.starts_with(family.as_str()),
                "{line:?} outside family {family}"
            );
        }
    }

    // Buckets are cumulative: non-decreasing in `le` at each instant and
    // over time per `le`, with `+Inf` equal to `_count`.
    let mut previous_by_le = std::collections::HashMap::new();
    let mut within_instant = Vec::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with(HISTOGRAM) && l.contains("checkout"))
    {
        let fields: Vec<&str> = line.rsplitn(3, ' ').collect();
        let (value, series): (f64, &str) = (fields[1].parse().unwrap(), fields[2]);
        if line.contains("_bucket") {
            within_instant.push(value);
            let previous = previous_by_le
                .insert(series.to_string(), value)
                .unwrap_or(0.0);
            assert!(value >= previous, "bucket decreased over time: {line}");
        } else if series.contains("_count") {
            assert!(
                within_instant.is_sorted(),
                "buckets not cumulative: {within_instant:?}"
            );
            assert_eq!(within_instant.last(), Some(&value), "+Inf != _count");
            within_instant.clear();
        }
    }
    assert!(previous_by_le.len() == 12, "11 default buckets + +Inf");

    let odd = Scenario::new(T0, T0 + 30).with(SeriesSpec::gauge(
        "g",
        &[("path", "C:\\x \"q\"\nnext")],
        Shape::Constant(1.0),
    ));
    assert!(
        odd.to_openmetrics()
            .contains(r#"g{path="C:\\x \"q\"\nnext"} "#)
    );
}

#[tokio::test]
async fn prometheus_p95_rises_only_after_injected_latency_step() {
    let Some(prometheus) =
        PrometheusHarness::start(&latency_step_scenario()).expect("start prometheus")
    else {
        return;
    };
    let p95 = format!(
        "histogram_quantile(0.95, sum(rate({HISTOGRAM}_bucket[5m])) by (le, service_name))"
    );
    // 10 min from the step keeps each 5 m rate window wholly on one side.
    let before = prometheus.query(&p95, LATENCY_STEP_AT - 600).await.unwrap();
    let after = prometheus.query(&p95, LATENCY_STEP_AT + 600).await.unwrap();

    // Log-normal p95 = median·e^(1.645·0.4): ≈ 0.097 s before, ≈ 0.58 s after;
    // histogram_quantile interpolates inside the (0.05, 0.1] and (0.5, 1] buckets.
    let threshold = 0.25;
    assert!(
        by_service(&before, "checkout") < threshold,
        "checkout before: {before:?}"
    );
    assert!(
        by_service(&after, "checkout") > threshold,
        "checkout after: {after:?}"
    );
    assert!(
        by_service(&after, "checkout") > 0.5,
        "checkout after: {after:?}"
    );
    assert!(
        by_service(&after, "frontend") < threshold,
        "control series moved: {after:?}"
    );

    // The last sample is visible at the scenario end (within the 5 m lookback).
    let count = prometheus
        .query(&format!("{HISTOGRAM}_count"), T0 + 2 * HOUR)
        .await
        .unwrap();
    assert_eq!(count.len(), 2, "{count:?}");
}

#[tokio::test]
async fn prometheus_counter_rates_and_gauges_match_scenario() {
    let Some(prometheus) =
        PrometheusHarness::start(&latency_step_scenario()).expect("start prometheus")
    else {
        return;
    };
    let requests = prometheus
        .query("sum(rate(mcp_requests_total[5m]))", T0 + 30 * 60)
        .await
        .unwrap();
    assert_close(requests[0].1, 20.0, 0.05, "request rate");

    let errors_before = prometheus
        .query("sum(rate(mcp_errors_total[10m]))", LATENCY_STEP_AT - 900)
        .await
        .unwrap();
    let errors_after = prometheus
        .query("sum(rate(mcp_errors_total[10m]))", LATENCY_STEP_AT + 900)
        .await
        .unwrap();
    assert_close(errors_before[0].1, 0.2, 0.1, "error rate before step");
    assert_close(errors_after[0].1, 2.0, 0.05, "error rate after step");

    let memory = prometheus
        .query(
            r#"container_memory_usage_bytes{container="checkout"}"#,
            T0 + HOUR,
        )
        .await
        .unwrap();
    assert_close(memory[0].1, 3.0e8, 0.03, "gauge halfway up its ramp");
}

#[tokio::test]
async fn prometheus_serves_recent_scenarios_at_now() {
    // Commands default to "the last N minutes", so data ending now must be
    // queryable too, not only history.
    let scenario = Scenario::recent(HOUR).with(SeriesSpec::counter(
        "mcp_requests_total",
        &request_labels("checkout"),
        Shape::Constant(5.0),
    ));
    let Some(prometheus) = PrometheusHarness::start(&scenario).expect("start prometheus") else {
        return;
    };
    let rate = prometheus
        .query("sum(rate(mcp_requests_total[5m]))", scenario.end)
        .await
        .unwrap();
    assert_close(rate[0].1, 5.0, 0.05, "recent request rate");
}

#[test]
fn prometheus_early_exit_is_an_error_with_its_log() {
    if !crate::support::prometheus_available() {
        // Still applies the CI/skip rule.
        assert!(
            PrometheusHarness::start(&Scenario::new(T0, T0 + 60))
                .unwrap()
                .is_none()
        );
        return;
    }
    let error =
        PrometheusHarness::start_with_args(&Scenario::new(T0, T0 + 60), &["--no-such-flag"])
            .err()
            .expect("prometheus must refuse an unknown flag");
    let message = format!("{error:#}");
    assert!(message.contains("exited early"), "{message}");
    assert!(
        message.contains("no-such-flag"),
        "log tail missing: {message}"
    );
}

#[tokio::test]
async fn fixture_server_routes_records_and_404s() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let fixture = FixtureServer::start(vec![
        Route::get("/api/services").respond(Response::json(200, &json!({ "data": ["checkout"] }))),
        Route::get("/api/traces")
            .query("service", "checkout")
            .delay(Duration::from_millis(20))
            .respond(Response::json(200, &json!({ "data": [] }))),
        Route::get("/api/v1/namespaces/*").respond(Response::text(200, "k8s")),
        // Stateful: fails the first call, as a flaky backend would.
        Route::post("/_search").respond_with(move |request| {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                Response::text(503, "warming up")
            } else {
                Response::json(200, &json!({ "echo": request.body_json() }))
            }
        }),
    ]);
    let client = http_client();
    let url = fixture.url();

    let services = client
        .get(format!("{url}/api/services"))
        .send()
        .await
        .unwrap();
    assert_eq!(services.status(), 200);
    assert_eq!(services.headers()["content-type"], "application/json");
    assert_eq!(services.text().await.unwrap(), r#"{"data":["checkout"]}"#);

    let traces = client
        .get(format!(
            "{url}/api/traces?service=checkout&lookback=1h&tags=%7B%22a%22%3A1%7D"
        ))
        .header("x-scope-orgid", "tenant-a")
        .send()
        .await
        .unwrap();
    assert_eq!(traces.status(), 200);
    let wrong_query = client
        .get(format!("{url}/api/traces?service=cart"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_query.status(), 404, "required query param must match");

    let pods = client
        .get(format!("{url}/api/v1/namespaces/shop/pods"))
        .send()
        .await
        .unwrap();
    assert_eq!(pods.text().await.unwrap(), "k8s");

    let search = |body: &'static str| {
        client
            .post(format!("{url}/_search"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_eq!(search(r#"{"size":1}"#).await.unwrap().status(), 503);
    let retried = search(r#"{"size":2}"#).await.unwrap();
    assert_eq!(retried.text().await.unwrap(), r#"{"echo":{"size":2}}"#);

    let missing = client.get(format!("{url}/nope?x=1")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let missing: serde_json::Value =
        serde_json::from_slice(&missing.bytes().await.unwrap()).unwrap();
    assert_eq!(
        missing,
        json!({ "error": "no fixture route for GET /nope?x=1" })
    );

    let requests = fixture.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/api/services",
            "/api/traces",
            "/api/traces",
            "/api/v1/namespaces/shop/pods",
            "/_search",
            "/_search",
            "/nope",
        ]
    );
    let traces = &requests[1];
    assert_eq!(
        traces.query,
        "service=checkout&lookback=1h&tags=%7B%22a%22%3A1%7D"
    );
    assert_eq!(traces.query_param("tags").as_deref(), Some(r#"{"a":1}"#));
    assert_eq!(traces.header("X-Scope-OrgID"), Some("tenant-a"));
    assert_eq!(requests[5].method, "POST");
    assert_eq!(requests[5].body_json(), json!({ "size": 2 }));
    assert_eq!(
        requests[6].query, "x=1",
        "unmatched requests are recorded too"
    );
}

#[test]
fn fixture_server_works_from_sync_tests() {
    use std::io::{Read, Write};
    let fixture = FixtureServer::start(vec![
        Route::new("*", "/metrics").respond(Response::text(200, "up 1\n")),
    ]);
    let mut stream = std::net::TcpStream::connect(fixture.addr()).unwrap();
    // Chunked upload, as streaming clients send it.
    stream
        .write_all(b"PUT /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\nup 1\n"), "{response}");
    assert_eq!(fixture.requests()[0].body, b"abcde");
}

#[tokio::test]
async fn alertmanager_harness_answers_status() {
    let Some(alertmanager) = AlertmanagerHarness::start().expect("start alertmanager") else {
        return;
    };
    let response = http_client()
        .get(format!("{}/api/v2/status", alertmanager.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let status: serde_json::Value =
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert!(
        status["config"]["original"]
            .as_str()
            .unwrap()
            .contains("blackhole"),
        "{status}"
    );
    assert_eq!(status["cluster"]["status"], "disabled", "{status}");
}
