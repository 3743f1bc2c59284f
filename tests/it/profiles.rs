//! The latency runbook's queries for the `spanmetrics` and `semconv` profiles, against a real
//! Prometheus holding series named as the Collector's spanmetrics/servicegraph connectors and the
//! OpenTelemetry HTTP semantic conventions name them. Prometheus only: the other steps are
//! skipped, which also proves the report stands without them.

use std::process::Command;

use crate::scenarios::{BUCKETS, END, START, flat, latency_with_p95, step};
use crate::support::{PrometheusHarness, Scenario, SeriesSpec, Shape};

fn histogram(name: &str, labels: &[(&str, &str)], p95: Shape) -> SeriesSpec {
    SeriesSpec::histogram(name, labels, Shape::Constant(20.0), latency_with_p95(p95))
        .buckets(BUCKETS)
}

fn run(prom: &PrometheusHarness, profile: &str, extra: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .env_clear()
        .env("HOME", "/nonexistent-tracectl-test")
        .args([
            "investigate",
            "latency",
            "-o",
            "json",
            "-q",
            "--profile",
            profile,
        ])
        .arg("--prometheus-url")
        .arg(prom.url())
        .arg("--at")
        .arg(END.to_string())
        .args(extra)
        .output()
        .expect("run tracectl");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn top(report: &serde_json::Value) -> &serde_json::Value {
    &report["findings"][0]
}

#[test]
fn spanmetrics_profile_finds_the_slow_dependency_through_servicegraph() {
    const SPAN: &str = "traces_span_metrics_duration_seconds";
    const GRAPH: &str = "traces_service_graph_request_client_seconds";
    let server = |svc: &'static str, op: &'static str, p95| {
        histogram(
            SPAN,
            &[
                ("service_name", svc),
                ("span_name", op),
                ("span_kind", "SPAN_KIND_SERVER"),
                ("status_code", "STATUS_CODE_UNSET"),
            ],
            p95,
        )
    };
    let scenario = Scenario::new(START, END)
        .with(server("checkout", "POST /orders", step(0.3, 2.4)))
        .with(server("cart", "GET /cart", flat(0.1)))
        // Client spans must not count as the service's own latency.
        .with(histogram(
            SPAN,
            &[
                ("service_name", "checkout"),
                ("span_name", "SELECT"),
                ("span_kind", "SPAN_KIND_CLIENT"),
                ("status_code", "STATUS_CODE_UNSET"),
            ],
            flat(9.0),
        ))
        .with(histogram(
            GRAPH,
            &[("client", "checkout"), ("server", "postgres")],
            step(0.2, 2.2),
        ))
        .with(histogram(
            GRAPH,
            &[("client", "checkout"), ("server", "redis")],
            flat(0.01),
        ));
    let Some(prom) = PrometheusHarness::start(&scenario).unwrap() else {
        return;
    };

    let report = run(&prom, "spanmetrics", &[]);
    // The call graph, read through the service graph's client/server series, walks from
    // checkout to postgres (whose calls changed, and which has no server spans of its own) and
    // investigates it.
    assert_eq!(
        report["target"]["service"], "postgres",
        "the call graph's root: {report:#}"
    );
    let f = top(&report);
    assert_eq!(f["kind"], "slow_dependency", "{report:#}");
    assert_eq!(f["subject"]["service"], "checkout");
    assert_eq!(f["subject"]["dependency"], "postgres");
    // With --service the runbook's own dependencies step (servicegraph by client) agrees.
    let report = run(&prom, "spanmetrics", &["--service", "checkout"]);
    let f = top(&report);
    assert_eq!(f["kind"], "slow_dependency", "{report:#}");
    assert_eq!(f["subject"]["dependency"], "postgres");
}

#[test]
fn semconv_profile_finds_the_slow_route_and_dependency() {
    const SERVER: &str = "http_server_request_duration_seconds";
    const CLIENT: &str = "http_client_request_duration_seconds";
    let scenario = Scenario::new(START, END)
        .with(histogram(
            SERVER,
            &[
                ("job", "checkout"),
                ("http_route", "/orders"),
                ("http_request_method", "POST"),
            ],
            flat(3.1),
        ))
        .with(histogram(
            SERVER,
            &[
                ("job", "checkout"),
                ("http_route", "/health"),
                ("http_request_method", "GET"),
            ],
            flat(0.01),
        ))
        .with(histogram(
            CLIENT,
            &[("job", "checkout"), ("server_address", "payments.internal")],
            flat(0.05),
        ));
    let Some(prom) = PrometheusHarness::start(&scenario).unwrap() else {
        return;
    };

    let report = run(&prom, "semconv", &["--service", "checkout"]);
    let ops: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "slow_operation")
        .collect();
    assert_eq!(ops.len(), 1, "{report:#}");
    assert_eq!(ops[0]["subject"]["operation"], "/orders");
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "slow_dependency"),
        "a fast dependency is not a finding: {report:#}"
    );
    let steps = report["steps"].as_array().unwrap();
    let deps = steps.iter().find(|s| s["id"] == "dependencies").unwrap();
    assert_eq!(deps["status"], "ok");
    assert!(
        deps["queries"][0]
            .as_str()
            .unwrap()
            .contains("http_client_request_duration_seconds_bucket")
    );
    let traces = steps.iter().find(|s| s["id"] == "traces").unwrap();
    assert_eq!(
        traces["status"], "skipped",
        "no Jaeger configured is a skip, not a failure"
    );
}
