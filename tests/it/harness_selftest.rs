//! Self-tests of the integration-test harness in `tests/it/support`: the
//! OpenMetrics generator is deterministic and well-formed, Prometheus serves a
//! backfilled scenario with the injected anomaly where it was put, counters
//! have their configured rate, the fixture server routes and records,
//! Alertmanager starts, and the stateful Kubernetes, Elasticsearch and Grafana
//! fixtures keep and change state as the real servers do, the Tempo fixture speaks
//! Tempo's JSON and quirks, and the part-way fault switch (`midway.rs`) fails what it
//! says. These test the harness, not tracectl; tests needing Prometheus or
//! Alertmanager skip loudly when they are not installed (and fail on CI).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;

use crate::support::es_api::{EsApi, IndexSeed};
use crate::support::grafana_api::{DashboardSeed, GrafanaApi};
use crate::support::kube_api::{KubeApi, strip_server_fields};
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

// ---------------------------------------------------------------------------------------------
// The stateful fixtures: Kubernetes API, Elasticsearch, Grafana
// ---------------------------------------------------------------------------------------------

/// One request to a fixture: its status and JSON body (`null` when the body is not JSON).
async fn call(
    method: &str,
    url: String,
    content_type: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = http_client().request(method, url);
    if let Some(body) = body {
        request = request
            .header("content-type", content_type)
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

const SHOP: &str = "/api/v1/namespaces/shop";
const CHECKOUT: &str = "/apis/apps/v1/namespaces/shop/deployments/checkout";

fn shop_cluster() -> KubeApi {
    let pod = |name: &str, labels: serde_json::Value| {
        (
            format!("{SHOP}/pods/{name}"),
            json!({"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": name, "namespace": "shop", "labels": labels},
                   "spec": {"containers": [{"name": "main", "image": "x:1"}]}}),
        )
    };
    KubeApi::start(vec![
        (
            SHOP.to_string(),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
        ),
        (
            CHECKOUT.to_string(),
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "checkout", "namespace": "shop",
                                "labels": {"app": "checkout", "team": "payments"}},
                   "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "checkout"}},
                            "template": {"spec": {"containers": [
                                {"name": "app", "image": "checkout:1",
                                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
                                {"name": "sidecar", "image": "envoy:1"}]}}}}),
        ),
        pod("checkout-1", json!({"app": "checkout", "tier": "web"})),
        pod("checkout-2", json!({"app": "checkout"})),
        pod("cart-1", json!({"app": "cart", "tier": "web"})),
        pod("batch-1", json!({})),
    ])
}

fn rv(object: &serde_json::Value) -> String {
    object["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn kube_api_patches_by_content_type() {
    let api = shop_cluster();
    let url = format!("{}{CHECKOUT}", api.url());
    let before = api.object(CHECKOUT).unwrap();

    // Strategic merge: containers and env merge by name, null deletes a label.
    let smp = json!({"metadata": {"labels": {"team": null}},
                     "spec": {"template": {"spec": {"containers": [
                         {"name": "app", "image": "checkout:2",
                          "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]}]}}}});
    let (code, after) = call(
        "PATCH",
        url.clone(),
        "application/strategic-merge-patch+json",
        Some(smp.clone()),
    )
    .await;
    assert_eq!(code, 200, "{after}");
    let containers = &after["spec"]["template"]["spec"]["containers"];
    assert_eq!(containers.as_array().unwrap().len(), 2, "{after}");
    assert_eq!(containers[0]["image"], "checkout:2");
    assert_eq!(
        containers[0]["env"],
        json!([{"name": "A", "value": "1"}, {"name": "B", "value": "3"},
               {"name": "C", "value": "4"}])
    );
    assert_eq!(
        containers[1],
        json!({"name": "sidecar", "image": "envoy:1"})
    );
    assert_eq!(after["metadata"]["labels"], json!({"app": "checkout"}));
    assert_ne!(rv(&after), rv(&before), "a change bumps resourceVersion");
    assert_eq!(after["metadata"]["uid"], before["metadata"]["uid"]);
    assert_eq!(api.object(CHECKOUT).unwrap(), after, "stored as answered");
    // The same patch again changes nothing, so the version stays.
    let (_, again) = call(
        "PATCH",
        url.clone(),
        "application/strategic-merge-patch+json",
        Some(smp),
    )
    .await;
    assert_eq!(rv(&again), rv(&after));

    // Merge patch (RFC 7386): lists are replaced whole.
    let (code, merged) = call(
        "PATCH",
        url.clone(),
        "application/merge-patch+json",
        Some(json!({"spec": {"template": {"spec": {"containers": [
            {"name": "app", "image": "checkout:3"}]}}}})),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        merged["spec"]["template"]["spec"]["containers"],
        json!([{"name": "app", "image": "checkout:3"}])
    );

    // JSON Patch (RFC 6902): a passing test then a replace; a failing test changes nothing.
    let (code, patched) = call(
        "PATCH",
        url.clone(),
        "application/json-patch+json",
        Some(json!([{"op": "test", "path": "/spec/replicas", "value": 1},
                    {"op": "replace", "path": "/spec/replicas", "value": 3},
                    {"op": "add", "path": "/metadata/annotations", "value": {"a/b": "c"}},
                    {"op": "add", "path": "/metadata/annotations/x~1y", "value": "z"}])),
    )
    .await;
    assert_eq!(code, 200, "{patched}");
    assert_eq!(patched["spec"]["replicas"], 3);
    assert_eq!(
        patched["metadata"]["annotations"],
        json!({"a/b": "c", "x/y": "z"})
    );
    let (code, status) = call(
        "PATCH",
        url.clone(),
        "application/json-patch+json",
        Some(
            json!([{"op": "replace", "path": "/spec/replicas", "value": 5},
                    {"op": "test", "path": "/spec/replicas", "value": 1}]),
        ),
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(status["kind"], "Status");
    assert_eq!(status["reason"], "Invalid");
    assert_eq!(status["code"], 422);
    assert_eq!(api.object(CHECKOUT).unwrap(), patched, "nothing applied");

    // A stale resourceVersion in the patch is a precondition that fails.
    let (code, status) = call(
        "PATCH",
        url.clone(),
        "application/merge-patch+json",
        Some(json!({"metadata": {"resourceVersion": rv(&before)}, "spec": {"replicas": 9}})),
    )
    .await;
    assert_eq!((code, status["reason"].as_str()), (409, Some("Conflict")));

    // Server-side apply creates a missing object (201), then changes nothing (200).
    let cm_path = format!("{SHOP}/configmaps/sampling");
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "sampling", "namespace": "shop"},
                    "data": {"rate": "0.1"}});
    let apply_url = format!("{}{cm_path}?fieldManager=tracectl&force=true", api.url());
    let (code, created) = call(
        "PATCH",
        apply_url.clone(),
        "application/apply-patch+yaml",
        Some(cm.clone()),
    )
    .await;
    assert_eq!(code, 201);
    let (code, applied) = call("PATCH", apply_url, "application/apply-patch+yaml", Some(cm)).await;
    assert_eq!(code, 200);
    assert_eq!(rv(&applied), rv(&created));

    // The other patches need the object; custom resources have no strategic merge.
    let (code, _) = call(
        "PATCH",
        format!("{}{SHOP}/configmaps/absent", api.url()),
        "application/merge-patch+json",
        Some(json!({"data": {}})),
    )
    .await;
    assert_eq!(code, 404);
    let (code, status) = call(
        "PATCH",
        format!(
            "{}/apis/monitoring.coreos.com/v1/namespaces/shop/prometheusrules/r",
            api.url()
        ),
        "application/strategic-merge-patch+json",
        Some(json!({"spec": {}})),
    )
    .await;
    assert_eq!(
        (code, status["reason"].as_str()),
        (415, Some("UnsupportedMediaType"))
    );
}

#[tokio::test]
async fn kube_api_lists_by_label_selector_and_keeps_state() {
    let api = shop_cluster();
    let names = |selector: &'static str| {
        let url = format!("{}{SHOP}/pods", api.url());
        async move {
            let url =
                reqwest::Url::parse_with_params(&url, &[("labelSelector", selector)]).unwrap();
            let (code, list) = call("GET", url.to_string(), "", None).await;
            assert_eq!(code, 200, "{selector}: {list}");
            assert_eq!(list["kind"], "PodList");
            assert_eq!(list["apiVersion"], "v1");
            for item in list["items"].as_array().unwrap() {
                assert!(
                    item.get("kind").is_none(),
                    "built-in list items have no kind"
                );
            }
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names("app=checkout").await, ["checkout-1", "checkout-2"]);
    assert_eq!(names("app==checkout").await, ["checkout-1", "checkout-2"]);
    assert_eq!(
        names("app!=checkout").await,
        ["batch-1", "cart-1"],
        "!= also selects objects without the label"
    );
    assert_eq!(names("tier").await, ["cart-1", "checkout-1"]);
    assert_eq!(names("!tier").await, ["batch-1", "checkout-2"]);
    assert_eq!(names("app=checkout,tier=web").await, ["checkout-1"]);
    assert_eq!(
        names("app in (cart,checkout),tier").await,
        ["cart-1", "checkout-1"]
    );
    assert_eq!(names("app notin (checkout)").await, ["batch-1", "cart-1"]);
    let (code, status) = call(
        "GET",
        format!("{}{SHOP}/pods?labelSelector=app%3D%3D%3Dx", api.url()),
        "",
        None,
    )
    .await;
    assert_eq!((code, status["reason"].as_str()), (400, Some("BadRequest")));
    // Across namespaces.
    let (_, all) = call(
        "GET",
        format!("{}/api/v1/pods?labelSelector=tier%3Dweb", api.url()),
        "",
        None,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);

    // Secrets: `data` kept as written, `stringData` folded into it.
    let (code, secret) = call(
        "POST",
        format!("{}{SHOP}/secrets", api.url()),
        "application/json",
        Some(
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "es"},
                    "data": {"user": "ZWxhc3RpYw=="}, "stringData": {"password": "s3cret"}}),
        ),
    )
    .await;
    assert_eq!(code, 201);
    assert_eq!(
        secret["data"],
        json!({"user": "ZWxhc3RpYw==", "password": "czNjcmV0"})
    );
    assert!(secret.get("stringData").is_none());

    // The whole namespace, before and after a delete.
    let before = api.namespace_objects("shop");
    assert_eq!(before.len(), 6, "{before:?}");
    assert_eq!(api.objects_under(&format!("{SHOP}/pods/")).len(), 4);
    let (code, status) = call(
        "DELETE",
        format!("{}{SHOP}/pods/cart-1", api.url()),
        "",
        None,
    )
    .await;
    assert_eq!((code, status["status"].as_str()), (200, Some("Success")));
    let after = api.namespace_objects("shop");
    assert_eq!(before.len() - after.len(), 1);
    assert!(!after.contains_key(&format!("{SHOP}/pods/cart-1")));
    let (code, _) = call("GET", format!("{}{SHOP}/pods/cart-1", api.url()), "", None).await;
    assert_eq!(code, 404);
    // A restore by create brings it back equal but for the server's fields.
    let gone = &before[&format!("{SHOP}/pods/cart-1")];
    let mut body = strip_server_fields(gone);
    body["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("namespace");
    let (code, _) = call(
        "POST",
        format!("{}{SHOP}/pods", api.url()),
        "application/json",
        Some(body),
    )
    .await;
    assert_eq!(code, 201);
    let restored = api.object(&format!("{SHOP}/pods/cart-1")).unwrap();
    assert_eq!(strip_server_fields(&restored), strip_server_fields(gone));
    assert_ne!(restored["metadata"]["uid"], gone["metadata"]["uid"]);
}

fn day(d: i8) -> jiff::Timestamp {
    jiff::civil::date(2026, 11, d)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

fn jaeger_indices() -> EsApi {
    EsApi::start(vec![
        IndexSeed::new("jaeger-span-2026-11-23", 1200, 88_100, day(23)),
        IndexSeed::new("jaeger-span-2026-11-24", 3400, 260_000, day(24))
            .alias("jaeger-span-read", false),
        IndexSeed::new("jaeger-span-2026-11-25", 10, 4_000, day(25))
            .alias("jaeger-span-read", false)
            .alias("jaeger-span-write", true),
        IndexSeed::new("jaeger-service-2026-11-25", 3, 900, day(25)),
    ])
}

#[tokio::test]
async fn es_api_refuses_wildcard_deletes_and_lists_indices() {
    let es = jaeger_indices();
    let url = es.url();
    for target in [
        "jaeger-span-*",
        "jaeger-span-2026-11-23,jaeger-span-2026-11-24",
        "_all",
    ] {
        let (code, body) = call("DELETE", format!("{url}/{target}"), "", None).await;
        assert_eq!(code, 400, "{target}: {body}");
        assert_eq!(body["error"]["type"], "illegal_argument_exception");
        assert_eq!(
            body["error"]["reason"],
            "Wildcard expressions or all indices are not allowed"
        );
        assert_eq!(
            body["error"]["root_cause"][0]["type"],
            "illegal_argument_exception"
        );
        assert_eq!(body["status"], 400);
    }
    let (code, body) = call("DELETE", format!("{url}/jaeger-span-read"), "", None).await;
    assert_eq!(
        (code, body["error"]["type"].as_str()),
        (400, Some("illegal_argument_exception"))
    );
    let (code, body) = call("DELETE", format!("{url}/jaeger-span-2026-01-01"), "", None).await;
    assert_eq!(code, 404);
    assert_eq!(body["error"]["type"], "index_not_found_exception");
    assert_eq!(
        body["error"]["reason"],
        "no such index [jaeger-span-2026-01-01]"
    );
    assert_eq!(es.index_names().len(), 4, "nothing deleted");

    let (code, body) = call("DELETE", format!("{url}/jaeger-span-2026-11-23"), "", None).await;
    assert_eq!((code, body), (200, json!({"acknowledged": true})));
    assert!(es.index("jaeger-span-2026-11-23").is_none());
    let (_, rows) = call(
        "GET",
        format!(
            "{url}/_cat/indices/jaeger-span-*,jaeger-service-*?format=json&bytes=b\
             &h=index,health,status,docs.count,store.size,creation.date"
        ),
        "",
        None,
    )
    .await;
    assert_eq!(
        rows[0],
        json!({"index": "jaeger-service-2026-11-25", "health": "green", "status": "open",
               "docs.count": "3", "store.size": "900",
               "creation.date": day(25).as_millisecond().to_string()})
    );
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["index"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "jaeger-service-2026-11-25",
            "jaeger-span-2026-11-24",
            "jaeger-span-2026-11-25"
        ]
    );
    // A concrete missing name is a 404; a pattern matching nothing is empty.
    let (code, _) = call(
        "GET",
        format!("{url}/_cat/indices/nope?format=json"),
        "",
        None,
    )
    .await;
    assert_eq!(code, 404);
    let (code, rows) = call(
        "GET",
        format!("{url}/_cat/indices/nope-*?format=json"),
        "",
        None,
    )
    .await;
    assert_eq!((code, rows), (200, json!([])));

    // Force merge is recorded; the flood-stage block stops it until cleared.
    es.set_block("jaeger-span-2026-11-24", "read_only_allow_delete", true);
    let (code, body) = call(
        "POST",
        format!("{url}/jaeger-span-*/_forcemerge?max_num_segments=1"),
        "",
        None,
    )
    .await;
    assert_eq!(
        (code, body["error"]["type"].as_str()),
        (429, Some("cluster_block_exception"))
    );
    let (code, _) = call(
        "PUT",
        format!("{url}/jaeger-span-*/_settings"),
        "application/json",
        Some(json!({"index.blocks.read_only_allow_delete": null})),
    )
    .await;
    assert_eq!(code, 200);
    assert!(
        es.index("jaeger-span-2026-11-24")
            .unwrap()
            .blocks
            .is_empty()
    );
    let (code, body) = call(
        "POST",
        format!("{url}/jaeger-span-*/_forcemerge?max_num_segments=1"),
        "",
        None,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        body["_shards"],
        json!({"total": 2, "successful": 2, "failed": 0})
    );
    assert_eq!(
        es.forcemerges(),
        [
            ("jaeger-span-2026-11-24".to_string(), 1),
            ("jaeger-span-2026-11-25".to_string(), 1)
        ]
    );
}

#[tokio::test]
async fn es_api_snapshot_delete_restore_brings_an_index_back() {
    let es = jaeger_indices();
    let url = es.url();
    let (code, body) = call("GET", format!("{url}/_snapshot/backups"), "", None).await;
    assert_eq!(
        (code, body["error"]["type"].as_str()),
        (404, Some("repository_missing_exception"))
    );
    let (code, _) = call(
        "PUT",
        format!("{url}/_snapshot/backups"),
        "application/json",
        Some(json!({"type": "fs", "settings": {"location": "/snapshots", "compress": true}})),
    )
    .await;
    assert_eq!(code, 200);
    let (_, repo) = call("GET", format!("{url}/_snapshot/backups"), "", None).await;
    assert_eq!(repo["backups"]["type"], "fs");
    assert_eq!(repo["backups"]["settings"]["compress"], "true");

    let template = json!({"index_patterns": ["jaeger-span-*"], "priority": 1,
                          "template": {"settings": {"number_of_shards": 1}}});
    let (code, _) = call(
        "PUT",
        format!("{url}/_index_template/jaeger-span"),
        "application/json",
        Some(template),
    )
    .await;
    assert_eq!(code, 200);
    let (_, got) = call(
        "GET",
        format!("{url}/_index_template/jaeger-span"),
        "",
        None,
    )
    .await;
    assert_eq!(
        got["index_templates"][0]["index_template"]["template"]["settings"],
        json!({"index": {"number_of_shards": "1"}}),
        "settings come back as Elasticsearch stores them"
    );
    assert_eq!(es.index_templates().len(), 1);

    let before = es.indices();
    let (code, body) = call(
        "PUT",
        format!("{url}/_snapshot/backups/nightly?wait_for_completion=true"),
        "application/json",
        Some(
            json!({"indices": ["jaeger-span-*"], "ignore_unavailable": false,
                    "include_global_state": false, "metadata": {"taken_by": "tracectl"}}),
        ),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let snap = &body["snapshot"];
    assert_eq!(snap["state"], "SUCCESS");
    assert_eq!(snap["metadata"], json!({"taken_by": "tracectl"}));
    assert_eq!(
        snap["shards"],
        json!({"total": 3, "failed": 0, "successful": 3})
    );
    assert_eq!(es.snapshot("backups", "nightly").unwrap().len(), 3);
    let (_, got) = call("GET", format!("{url}/_snapshot/backups/nightly"), "", None).await;
    assert_eq!(got["snapshots"][0]["uuid"], snap["uuid"]);
    let (code, got) = call("GET", format!("{url}/_snapshot/backups/weekly"), "", None).await;
    assert_eq!(
        (code, got["error"]["type"].as_str()),
        (404, Some("snapshot_missing_exception"))
    );

    let deleted = "jaeger-span-2026-11-25";
    let (code, _) = call("DELETE", format!("{url}/{deleted}"), "", None).await;
    assert_eq!(code, 200);
    assert!(!es.index_names().contains(&deleted.to_string()));

    // Restoring over an open index is refused, and nothing is restored.
    let restore = format!("{url}/_snapshot/backups/nightly/_restore?wait_for_completion=true");
    let (code, body) = call(
        "POST",
        restore.clone(),
        "application/json",
        Some(
            json!({"indices": ["jaeger-span-*"], "include_global_state": false,
                    "include_aliases": true}),
        ),
    )
    .await;
    assert_eq!(code, 500);
    assert_eq!(body["error"]["type"], "snapshot_restore_exception");
    assert!(
        body["error"]["reason"]
            .as_str()
            .unwrap()
            .contains("because an open index with same name already exists"),
        "{body}"
    );
    assert!(es.index(deleted).is_none());

    let (code, body) = call(
        "POST",
        restore.clone(),
        "application/json",
        Some(json!({"indices": [deleted], "include_global_state": false,
                    "include_aliases": true})),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["snapshot"]["indices"], json!([deleted]));
    assert_eq!(
        es.indices(),
        before,
        "the index is back as it was, aliases included"
    );

    // Renamed beside the live one, without aliases.
    let (code, _) = call(
        "POST",
        restore,
        "application/json",
        Some(json!({"indices": [deleted], "include_aliases": false,
                    "rename_pattern": "(.+)", "rename_replacement": "restored-$1"})),
    )
    .await;
    assert_eq!(code, 200);
    let copy = es.index(&format!("restored-{deleted}")).unwrap();
    assert_eq!((copy.docs, copy.aliases.len()), (10, 0));
}

#[tokio::test]
async fn grafana_api_refuses_a_stale_save_unless_overwriting() {
    let grafana = GrafanaApi::start(
        vec![("ops".to_string(), "Operations".to_string())],
        vec![
            DashboardSeed::new("tracing", "Tracing overview")
                .in_folder("ops")
                .version(3)
                .model(json!({"panels": [{"id": 1, "title": "Spans"}], "tags": ["jaeger"]})),
            DashboardSeed::new("collector", "Collector"),
        ],
    );
    let url = grafana.url();
    let (code, got) = call("GET", format!("{url}/api/dashboards/uid/tracing"), "", None).await;
    assert_eq!(code, 200);
    assert_eq!(got["dashboard"]["version"], 3);
    assert_eq!(got["dashboard"]["uid"], "tracing");
    assert_eq!(got["meta"]["folderUid"], "ops");
    assert_eq!(got["meta"]["url"], "/d/tracing/tracing-overview");

    // A backup taken at version 2 no longer matches: refused without overwrite.
    let mut model = got["dashboard"].clone();
    model["version"] = json!(2);
    model["panels"][0]["title"] = json!("Spans (restored)");
    let save = |overwrite: bool| {
        json!({"dashboard": model.clone(), "folderUid": "ops", "overwrite": overwrite,
               "message": "restored by tracectl"})
    };
    let (code, body) = call(
        "POST",
        format!("{url}/api/dashboards/db"),
        "application/json",
        Some(save(false)),
    )
    .await;
    assert_eq!(code, 412);
    assert_eq!(
        body,
        json!({"message": "The dashboard has been changed by someone else",
               "status": "version-mismatch"})
    );
    assert_eq!(
        grafana.dashboard("tracing").unwrap().version,
        3,
        "unchanged"
    );

    let (code, body) = call(
        "POST",
        format!("{url}/api/dashboards/db"),
        "application/json",
        Some(save(true)),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"], "success");
    assert_eq!(body["uid"], "tracing");
    assert_eq!(body["version"], 4);
    assert_eq!(body["url"], "/d/tracing/tracing-overview");
    let stored = grafana.dashboard("tracing").unwrap();
    assert_eq!(
        (stored.version, stored.folder_uid.as_deref()),
        (4, Some("ops"))
    );
    assert_eq!(stored.message, "restored by tracectl");
    assert_eq!(
        grafana.dashboards()["tracing"]["panels"][0]["title"],
        "Spans (restored)"
    );
    assert!(grafana.dashboards()["tracing"].get("version").is_none());

    // Search pages; a deleted dashboard is gone.
    let (_, page) = call(
        "GET",
        format!("{url}/api/search?type=dash-db&limit=1&page=2"),
        "",
        None,
    )
    .await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(page[0]["uid"], "tracing", "sorted by title");
    assert_eq!(page[0]["folderUid"], "ops");
    let (code, body) = call(
        "DELETE",
        format!("{url}/api/dashboards/uid/collector"),
        "",
        None,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(body["message"], "Dashboard Collector deleted");
    let (code, body) = call(
        "GET",
        format!("{url}/api/dashboards/uid/collector"),
        "",
        None,
    )
    .await;
    assert_eq!(
        (code, body),
        (404, json!({"message": "Dashboard not found"}))
    );

    // Annotations: added, closed by a patch, listed.
    let (code, added) = call(
        "POST",
        format!("{url}/api/annotations"),
        "application/json",
        Some(json!({"time": 1_795_600_800_000i64, "tags": ["tracectl"], "text": "window"})),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(added["message"], "Annotation added");
    let id = added["id"].as_i64().unwrap();
    let (code, patched) = call(
        "PATCH",
        format!("{url}/api/annotations/{id}"),
        "application/json",
        Some(json!({"timeEnd": 1_795_604_400_000i64})),
    )
    .await;
    assert_eq!(
        (code, patched),
        (200, json!({"message": "Annotation patched"}))
    );
    let (_, list) = call(
        "GET",
        format!("{url}/api/annotations?tags=tracectl"),
        "",
        None,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["timeEnd"], 1_795_604_400_000i64);
    assert_eq!(list[0]["text"], "window");
    assert_eq!(grafana.annotations().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// The Tempo fixture
// ---------------------------------------------------------------------------------------------

/// One GET to the Tempo fixture, with an optional tenant: status and body text.
async fn tempo_get(url: String, tenant: Option<&str>) -> (u16, String) {
    let mut request = http_client().get(url);
    if let Some(t) = tenant {
        request = request.header("X-Scope-OrgID", t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn tempo_trace() -> crate::support::tempo_api::TempoTrace {
    use crate::support::tempo_api::{TempoSpan, TempoTrace};
    let span = |id: &str, parent: Option<&str>, service: &str, name: &str, secs: i64| TempoSpan {
        span_id: id.into(),
        parent_id: parent.map(str::to_string),
        service: service.into(),
        name: name.into(),
        kind: "server".into(),
        start_ns: T0 * 1_000_000_000,
        end_ns: (T0 + secs) * 1_000_000_000,
        attributes: vec![("http.status_code".into(), json!(500))],
        error: service == "db",
        status_message: None,
    };
    TempoTrace {
        trace_id: "00000000000000005b8efff798038103".into(),
        spans: vec![
            span("eee19b7ec3c1b100", None, "shop", "GET /cart", 3),
            span(
                "00000000000000b2",
                Some("eee19b7ec3c1b100"),
                "db",
                "SELECT",
                2,
            ),
        ],
        resource_attributes: vec![],
        scope: "test".into(),
    }
}

#[tokio::test]
async fn tempo_api_speaks_tempos_json_and_quirks() {
    use crate::support::tempo_api::{TempoOptions, tempo_routes};
    let server = FixtureServer::start(tempo_routes(vec![tempo_trace()], TempoOptions::default()));
    let base = server.url();
    let search = |q: &str| {
        format!(
            "{base}/api/search?q={}&start={T0}&end={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>(),
            T0 + 10
        )
    };

    // TraceQL: strict types, same-span conditions, leading zeros trimmed from search IDs.
    let (status, body) = tempo_get(
        search(r#"{ resource.service.name = "db" && duration >= 2s && status = error }"#),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["traces"][0]["traceID"], "5b8efff798038103");
    assert_eq!(v["traces"][0]["rootServiceName"], "shop");
    let (_, body) = tempo_get(search(r#"{ .http.status_code = "500" }"#), None).await;
    assert!(
        !body.contains("traces"),
        "a string never equals an int: {body}"
    );
    let (_, body) = tempo_get(search(r#"{ name = "GET /cart" && duration > 5s }"#), None).await;
    assert_eq!(
        body,
        r#"{"metrics":{"completedJobs":1,"inspectedBytes":"292781","totalJobs":1}}"#
    );
    let (status, body) = tempo_get(search("foo"), None).await;
    assert_eq!(status, 400);
    assert!(
        body.starts_with("invalid TraceQL query: parse error at line 1, col 1"),
        "{body}"
    );

    // By ID: base64 IDs and enum names; v2's empty 200 and v1's empty 404 for unknown traces.
    let (status, body) = tempo_get(format!("{base}/api/v2/traces/5b8efff798038103"), None).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let spans = &v["trace"]["resourceSpans"][1]["scopeSpans"][0]["spans"][0];
    assert_eq!(spans["traceId"], "AAAAAAAAAABbjv/3mAOBAw==");
    assert_eq!(spans["spanId"], "AAAAAAAAALI=");
    assert_eq!(spans["parentSpanId"], "7uGbfsPBsQA=");
    assert_eq!(spans["kind"], "SPAN_KIND_SERVER");
    assert_eq!(spans["status"]["code"], "STATUS_CODE_ERROR");
    assert_eq!(
        spans["startTimeUnixNano"],
        json!((T0 * 1_000_000_000).to_string())
    );
    let (status, body) = tempo_get(format!("{base}/api/v2/traces/abc"), None).await;
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"metrics":{"inspectedBytes":"0"},"trace":{}}"#)
    );
    let (status, body) = tempo_get(format!("{base}/api/traces/abc"), None).await;
    assert_eq!((status, body.as_str()), (404, ""));
    let (_, body) = tempo_get(format!("{base}/api/traces/5b8efff798038103"), None).await;
    assert!(body.starts_with(r#"{"batches":["#), "{body}");

    // Multitenancy: no header, 401 `no org id`; another tenant sees nothing.
    let server = FixtureServer::start(tempo_routes(
        vec![tempo_trace()],
        TempoOptions {
            tenant: Some("team-a".into()),
            ..TempoOptions::default()
        },
    ));
    let url = format!(
        "{}/api/v2/search/tag/resource.service.name/values",
        server.url()
    );
    assert_eq!(
        tempo_get(url.clone(), None).await,
        (401, "no org id\n".to_string())
    );
    let (_, body) = tempo_get(url.clone(), Some("team-a")).await;
    assert!(
        body.contains(r#"{"type":"string","value":"shop"}"#),
        "{body}"
    );
    let (_, body) = tempo_get(url, Some("team-b")).await;
    assert!(body.contains(r#""tagValues":[]"#), "{body}");
}

/// `support/midway.rs`: which requests each strike fails, counting writes only (Elasticsearch's
/// read-only POSTs are reads), and a held write waits for its release.
#[test]
fn midway_strikes_fail_the_requests_they_say() {
    use crate::support::RecordedRequest;
    use crate::support::midway::{Midway, Strike};
    fn req(method: &str) -> RecordedRequest {
        RecordedRequest {
            method: method.into(),
            path: "/x".into(),
            query: String::new(),
            headers: vec![],
            body: vec![],
        }
    }
    fn fails(m: &Midway, method: &str) -> Option<Response> {
        m.check(&req(method), false, || Response::new(500))
    }
    let m = Midway::default();
    assert!(fails(&m, "PATCH").is_none(), "no strike: nothing fails");

    m.set(Strike::Down { after: 1 });
    assert!(fails(&m, "GET").is_none());
    assert!(fails(&m, "PATCH").is_none(), "the first write is answered");
    assert!(
        fails(&m, "GET").is_some(),
        "then everything fails, reads too"
    );
    assert!(fails(&m, "DELETE").is_some());
    m.heal();
    assert!(fails(&m, "DELETE").is_none());

    m.set(Strike::Blip { after: 1 });
    assert!(fails(&m, "PUT").is_none());
    assert!(
        fails(&m, "GET").is_some(),
        "the request after the first write fails"
    );
    assert!(fails(&m, "GET").is_none(), "once");
    assert_eq!(m.failed(), 1);

    m.set(Strike::Down { after: 0 });
    assert!(
        m.check(&req("POST"), true, || Response::new(500)).is_some(),
        "down from the start"
    );
    m.reset();
    m.check(&req("POST"), true, || Response::new(500));
    assert_eq!(m.writes(), 0, "a read-only POST is not a write");

    m.set(Strike::Hold { at: 2 });
    assert!(fails(&m, "PATCH").is_none());
    let held = {
        let m = m.clone();
        std::thread::spawn(move || fails(&m, "PATCH").is_none())
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !m.holding() {
        assert!(std::time::Instant::now() < deadline, "the write is held");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!held.is_finished(), "held until released");
    m.release();
    assert!(held.join().unwrap(), "then answered");
}
