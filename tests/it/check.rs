//! End-to-end tests of `tracectl check`: the real binary against a real
//! Prometheus (backfilled with the Collector's own metrics, a span-processing
//! histogram and spanmetrics series) and a real Alertmanager (alerts posted by
//! the test), with fixture servers for Jaeger, the Collector, Elasticsearch,
//! Grafana and the Kubernetes API. Two stacks: a healthy one, where every check
//! passes, and a broken one, where each check finds its own problem. Also: a
//! backend that is down, checks that are not configured, `--only`/`--skip`,
//! every output format, and the JUnit output validated against a JUnit XML
//! Schema (`tests/it/junit.xsd`) with `xmllint` (Debian `libxml2-utils`,
//! installed by `.ci/run`; without it the test prints SKIPPED, on CI it fails).
//!
//! The Collector's metrics mix the two naming generations on purpose: some
//! counters with `_total`, others without (written as monotonic gauges, which
//! is what a `_total`-less counter is to PromQL), so both must be matched.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::scenarios::{END, START, closed_port_url, rfc3339, write_kubeconfig};
use crate::support::{
    AlertmanagerHarness, FixtureServer, Latency, PrometheusHarness, Response, Route, Scenario,
    SeriesSpec, Shape, http_client,
};

pub const MONITORING: &str = "monitoring";

// ---------------------------------------------------------------------------
// Running tracectl
// ---------------------------------------------------------------------------

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn report(&self) -> Value {
        let report: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
                self.code, self.stdout, self.stderr
            )
        });
        assert_eq!(report["schema"], "tracectl.report/v1", "{}", self.stdout);
        report
    }
}

/// tracectl in a clean environment: no inherited `TRACECTL_*`/`KUBECONFIG`,
/// `HOME` in a scratch directory, no colour.
pub fn tracectl(args: &[String], home: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tracectl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Findings and steps, one line each, for assertion messages.
pub fn summary(report: &Value) -> String {
    let mut out = format!("diagnosis: {}\n", report["diagnosis"]);
    for f in report["findings"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  #{} {} {} subject={} | {}\n",
            f["rank"], f["kind"], f["severity"], f["subject"], f["title"]
        ));
    }
    for s in report["steps"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  step {} {} {}\n",
            s["id"], s["status"], s["error"]
        ));
    }
    out
}

pub fn step<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}:\n{}", summary(report)))
}

fn findings<'r>(report: &'r Value, kind: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["kind"] == kind)
        .collect()
}

fn finding_about<'r>(report: &'r Value, kind: &str, resource: &str) -> &'r Value {
    findings(report, kind)
        .into_iter()
        .find(|f| f["subject"]["resource"] == resource)
        .unwrap_or_else(|| panic!("no {kind} about {resource}:\n{}", summary(report)))
}

fn commands(f: &Value) -> Vec<String> {
    f["remediation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["command"].as_str().map(String::from))
        .collect()
}

// ---------------------------------------------------------------------------
// The stack
// ---------------------------------------------------------------------------

/// A counter without `_total` (the Collector's default `:8888` names): a
/// series that grows by `rate` per second, which is all `rate()` needs.
fn untotalled(name: &str, labels: &[(&str, &str)], rate: f64) -> SeriesSpec {
    SeriesSpec::gauge(
        name,
        labels,
        Shape::Ramp {
            from: 0.0,
            to: rate * (END - START) as f64,
            start: START,
            end: END,
        },
    )
}

/// The Prometheus data: the Collector's span counters, the runbooks' span
/// processing histogram, and spanmetrics for the services that have them.
fn metrics(healthy: bool) -> Scenario {
    let (refused, failed, p95_median) = if healthy {
        (0.0, 0.0, 0.05)
    } else {
        (8.0, 30.0, 2.0)
    };
    let mut s = Scenario::new(START, END)
        .with_noise(0.0)
        .with(SeriesSpec::counter(
            "otelcol_receiver_accepted_spans_total",
            &[("receiver", "otlp"), ("transport", "http")],
            Shape::Constant(100.0),
        ))
        .with(SeriesSpec::counter(
            "otelcol_receiver_refused_spans_total",
            &[("receiver", "otlp"), ("transport", "http")],
            Shape::Constant(refused),
        ))
        .with(untotalled(
            "otelcol_exporter_sent_spans",
            &[("exporter", "otlp/jaeger")],
            100.0 - failed,
        ))
        .with(untotalled(
            "otelcol_exporter_send_failed_spans",
            &[("exporter", "otlp/jaeger")],
            failed,
        ))
        .with(SeriesSpec::histogram(
            "mcp_span_processing_duration_seconds",
            &[],
            Shape::Constant(50.0),
            Latency {
                median: Shape::Constant(p95_median),
                spread: 0.3,
            },
        ));
    let spanmetrics: &[&str] = if healthy {
        &["checkout", "frontend"]
    } else {
        &["checkout"]
    };
    for svc in spanmetrics {
        let labels = [
            ("service_name", *svc),
            ("span_name", "GET /"),
            ("span_kind", "SPAN_KIND_SERVER"),
            ("status_code", "STATUS_CODE_UNSET"),
        ];
        s = s
            .with(SeriesSpec::counter(
                "traces_span_metrics_calls_total",
                &labels,
                Shape::Constant(5.0),
            ))
            .with(
                SeriesSpec::histogram(
                    "traces_span_metrics_duration_milliseconds",
                    &labels,
                    Shape::Constant(5.0),
                    Latency {
                        median: Shape::Constant(40.0),
                        spread: 0.3,
                    },
                )
                .buckets(&[10.0, 50.0, 100.0, 500.0, 1000.0]),
            );
    }
    s
}

fn jaeger_routes(healthy: bool) -> Vec<Route> {
    let services = json!({"data": ["checkout", "frontend", "jaeger-all-in-one"], "total": 3,
                          "limit": 0, "offset": 0, "errors": null});
    let metrics = if healthy {
        // The MetricFamily of jaeger's docker-compose/monitor README.
        Response::json(
            200,
            &json!({"name": "service_call_rate", "type": "GAUGE",
                    "help": "calls/sec, grouped by service",
                    "metrics": [{"labels": [{"name": "service_name", "value": "checkout"}],
                                 "metricPoints": [{"gaugeValue": {"doubleValue": 5.0},
                                                   "timestamp": rfc3339(END)}]}]}),
        )
    } else {
        // Jaeger's reference 501: sent with http.Error, so text/plain.
        Response::text(
            501,
            "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":501,\"msg\":\"trace metrics are currently disabled - no metrics backend configured\"}]}\n",
        )
    };
    vec![
        Route::get("/api/services").respond(Response::json(200, &services)),
        Route::get("/api/metrics/calls").respond(metrics),
    ]
}

fn collector_routes(healthy: bool) -> Vec<Route> {
    let otlp = if healthy {
        Response::json(200, &json!({"partialSuccess": {}}))
    } else {
        // What the OTLP/HTTP receiver answers when the memory limiter refuses.
        Response::json(
            503,
            &json!({"code": 14, "message": "data refused due to high memory usage"}),
        )
    };
    vec![
        Route::post("/v1/traces").respond(otlp),
        Route::get("/metrics").respond(Response::text(
            200,
            "# HELP otelcol_receiver_accepted_spans Number of spans successfully pushed into the pipeline.\n\
             # TYPE otelcol_receiver_accepted_spans counter\n\
             otelcol_receiver_accepted_spans{receiver=\"otlp\",transport=\"http\"} 4200\n\
             # HELP otelcol_exporter_sent_spans Number of spans successfully sent to destination.\n\
             # TYPE otelcol_exporter_sent_spans counter\n\
             otelcol_exporter_sent_spans{exporter=\"otlp/jaeger\"} 4200\n",
        )),
    ]
}

fn elasticsearch_routes(healthy: bool) -> Vec<Route> {
    let (status, unassigned) = if healthy { ("green", 0) } else { ("yellow", 5) };
    vec![Route::get("/_cluster/health").respond(Response::json(
        200,
        &json!({"cluster_name": "jaeger", "status": status, "timed_out": false,
                "number_of_nodes": 1, "number_of_data_nodes": 1,
                "active_primary_shards": 5, "active_shards": 5, "relocating_shards": 0,
                "initializing_shards": 0, "unassigned_shards": unassigned,
                "delayed_unassigned_shards": 0, "number_of_pending_tasks": 0,
                "number_of_in_flight_fetch": 0, "task_max_waiting_in_queue_millis": 0,
                "active_shards_percent_as_number": if healthy { 100.0 } else { 50.0 }}),
    ))]
}

fn grafana_routes(healthy: bool) -> Vec<Route> {
    let (code, db) = if healthy {
        (200, "ok")
    } else {
        (503, "failing")
    };
    vec![Route::get("/api/health").respond(Response::json(
        code,
        &json!({"commit": "087143285", "database": db, "version": "11.3.0"}),
    ))]
}

fn pod(name: &str, ready: bool, restarts: i64) -> Value {
    let state = if ready {
        json!({"running": {"startedAt": rfc3339(END - 3600)}})
    } else {
        json!({"waiting": {"reason": "CrashLoopBackOff",
                           "message": "back-off 5m0s restarting failed container"}})
    };
    let container = name.split('-').take(2).collect::<Vec<_>>().join("-");
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": MONITORING,
                     "creationTimestamp": rfc3339(END - 7200)},
        "spec": {"containers": [{"name": container, "image": format!("example/{container}:1.0")}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [{
                "name": container, "image": format!("example/{container}:1.0"),
                "imageID": format!("example/{container}@sha256:0"),
                "ready": ready, "restartCount": restarts, "started": ready, "state": state
            }]
        }
    })
}

fn kube_routes(healthy: bool) -> Vec<Route> {
    let items = vec![
        pod(
            "jaeger-query-7d9f8b6c5d-x2x4z",
            healthy,
            if healthy { 0 } else { 9 },
        ),
        pod("otel-collector-5c7d9b8f6d-bkc2d", true, 0),
        pod("checkout-6b8c9d7f5d-k8m2p", false, 3),
    ];
    vec![
        Route::get(&format!("/api/v1/namespaces/{MONITORING}/pods")).respond(Response::json(
            200,
            &json!({"apiVersion": "v1", "kind": "PodList",
                    "metadata": {"resourceVersion": "1"}, "items": items}),
        )),
    ]
}

/// Posts alerts to Alertmanager's API v2, as Prometheus does.
pub fn post_alerts(alertmanager: &str, alerts: Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let resp = http_client()
            .post(format!("{alertmanager}/api/v2/alerts"))
            .header("Content-Type", "application/json")
            .body(alerts.to_string())
            .send()
            .await
            .expect("post alerts");
        assert_eq!(resp.status(), 200, "posting alerts");
    });
}

/// `startsAt` ten minutes ago: Alertmanager keeps alerts by the wall clock.
pub fn ten_minutes_ago() -> String {
    let now = jiff::Timestamp::now();
    (now - jiff::SignedDuration::from_mins(10)).to_string()
}

/// Every backend `check` reads, healthy or broken.
pub struct Stack {
    pub prometheus: PrometheusHarness,
    pub alertmanager: AlertmanagerHarness,
    pub jaeger: FixtureServer,
    pub collector: FixtureServer,
    pub elasticsearch: FixtureServer,
    pub grafana: FixtureServer,
    pub kube: FixtureServer,
    pub kubeconfig: PathBuf,
    pub dir: TempDir,
}

impl Stack {
    /// `None` when Prometheus or Alertmanager is not installed (SKIPPED printed).
    pub fn start(healthy: bool) -> Option<Stack> {
        let prometheus = PrometheusHarness::start(&metrics(healthy)).expect("start Prometheus")?;
        let alertmanager = AlertmanagerHarness::start().expect("start Alertmanager")?;
        if !healthy {
            post_alerts(
                &alertmanager.url(),
                json!([
                    {"labels": {"alertname": "OtelCollectorDroppingSpans", "severity": "critical",
                                "job": "otel-collector"},
                     "annotations": {"summary": "the Collector drops spans"},
                     "startsAt": ten_minutes_ago()},
                    {"labels": {"alertname": "DiskFull", "instance": "db-1"},
                     "startsAt": ten_minutes_ago()},
                ]),
            );
        }
        let kube = FixtureServer::start(kube_routes(healthy));
        let dir = tempfile::Builder::new()
            .prefix("tracectl-check-")
            .tempdir()
            .expect("tempdir");
        let kubeconfig = write_kubeconfig(dir.path(), &kube.url(), MONITORING);
        Some(Stack {
            prometheus,
            alertmanager,
            jaeger: FixtureServer::start(jaeger_routes(healthy)),
            collector: FixtureServer::start(collector_routes(healthy)),
            elasticsearch: FixtureServer::start(elasticsearch_routes(healthy)),
            grafana: FixtureServer::start(grafana_routes(healthy)),
            kube,
            kubeconfig,
            dir,
        })
    }

    /// `check` against every backend at [`END`], quiet, then `extra`.
    pub fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut a = strings(&[
            "check",
            "--prometheus-url",
            &self.prometheus.url(),
            "--jaeger-url",
            &self.jaeger.url(),
            "--collector-otlp-url",
            &self.collector.url(),
            "--collector-metrics-url",
            &format!("{}/metrics", self.collector.url()),
            "--elasticsearch-url",
            &self.elasticsearch.url(),
            "--grafana-url",
            &self.grafana.url(),
            "--alertmanager-url",
            &self.alertmanager.url(),
            "--kubeconfig",
            &self.kubeconfig.display().to_string(),
            "-n",
            MONITORING,
            "--at",
            &END.to_string(),
            "--timeout",
            "5s",
            "-q",
        ]);
        a.extend(strings(extra));
        a
    }

    pub fn run(&self, extra: &[&str]) -> Run {
        tracectl(&self.args(extra), self.dir.path())
    }
}

const CHECKS: [&str; 12] = [
    "prometheus-ready",
    "jaeger-query",
    "collector-otlp",
    "collector-metrics",
    "span-drop-rate",
    "exporter-failure-rate",
    "span-latency",
    "elasticsearch-health",
    "grafana-health",
    "alertmanager-status",
    "tracing-pods",
    "jaeger-monitor",
];

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn healthy_stack_passes_every_check() {
    let Some(stack) = Stack::start(true) else {
        return;
    };
    let run = stack.run(&["-o", "json"]);
    let report = run.report();
    assert_eq!(report["command"], "check");
    let ids: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, CHECKS, "one step per check, in order");
    for s in report["steps"].as_array().unwrap() {
        assert_eq!(s["status"], "ok", "{}", summary(&report));
    }
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        0,
        "{}",
        summary(&report)
    );
    assert_eq!(report["diagnosis"], "all 12 checks that could run passed");
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Request shapes: the empty export, and Jaeger's metrics API asked about
    // a service Prometheus has spanmetrics for, over the lookback.
    let otlp: Vec<_> = stack
        .collector
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/traces")
        .collect();
    assert_eq!(otlp.len(), 1, "{otlp:#?}");
    assert_eq!(otlp[0].method, "POST");
    assert_eq!(otlp[0].header("content-type"), Some("application/json"));
    assert_eq!(otlp[0].body_json(), json!({"resourceSpans": []}));
    let asked: Vec<_> = stack
        .jaeger
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/metrics/calls")
        .collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].query_param("service").as_deref(), Some("checkout"));
    assert_eq!(asked[0].query_param("spanKind").as_deref(), Some("server"));
    assert_eq!(
        asked[0].query_param("endTs"),
        Some((END * 1000).to_string()),
        "endTs is --at in milliseconds"
    );
    assert_eq!(asked[0].query_param("lookback").as_deref(), Some("3600000"));
    for r in stack.kube.requests() {
        assert_eq!(r.method, "GET", "Kubernetes is only read");
    }
}

#[test]
fn broken_stack_names_each_problem_and_its_fix() {
    let Some(stack) = Stack::start(false) else {
        return;
    };
    let run = stack.run(&["-o", "json"]);
    let report = run.report();
    let s = summary(&report);
    eprintln!("{s}");

    // The OTLP receiver refuses: down, with the restart command for its Deployment.
    let otlp = finding_about(&report, "component_down", "otel-collector");
    assert_eq!(otlp["severity"], "critical", "{s}");
    assert_eq!(step(&report, "collector-otlp")["status"], "failed");
    assert!(
        step(&report, "collector-otlp")["error"]
            .as_str()
            .unwrap()
            .contains("high memory usage"),
        "{s}"
    );
    // Data loss from Prometheus: 8 refused of 108 received; 30 % failed sends.
    let drops = &findings(&report, "spans_dropped")[0];
    assert_eq!(drops["severity"], "critical", "{s}");
    assert!(drops["title"].as_str().unwrap().contains("7.4%"), "{s}");
    assert!(
        drops["title"].as_str().unwrap().contains("receiver otlp"),
        "{s}"
    );
    let exp = finding_about(&report, "exporter_failures", "exporter/otlp/jaeger");
    assert!(exp["title"].as_str().unwrap().contains("30.0%"), "{s}");
    assert!(
        commands(exp)
            .iter()
            .any(|c| c.starts_with("kubectl -n monitoring logs deployment/otel-collector")),
        "{s}"
    );
    // p95 span processing ≈ 3.3 s: over 1 s, under 5 s.
    let slow = finding_about(&report, "component_degraded", "span-processing");
    assert_eq!(slow["severity"], "warning", "{s}");
    // Elasticsearch yellow on one data node: replicas to 0.
    let es = finding_about(&report, "component_degraded", "elasticsearch");
    assert!(
        commands(es)
            .iter()
            .any(|c| c.contains("number_of_replicas\":0")),
        "{s}"
    );
    assert_eq!(
        finding_about(&report, "component_down", "grafana")["title"],
        "Grafana's database is \"failing\""
    );
    // The firing tracing alert is listed; DiskFull is not about tracing.
    let alert = finding_about(&report, "component_degraded", "otel-collector");
    assert_eq!(
        alert["title"],
        "Alert OtelCollectorDroppingSpans is firing: the Collector drops spans"
    );
    assert_eq!(alert["severity"], "critical");
    assert!(!s.contains("DiskFull"), "{s}");
    // jaeger-query's pod crash-loops: down, with the logs of the crashed run.
    let pods = finding_about(&report, "component_down", "deployment/jaeger-query");
    assert_eq!(pods["subject"]["pod"], "jaeger-query-7d9f8b6c5d-x2x4z");
    assert!(
        commands(pods).contains(
            &"kubectl -n monitoring logs jaeger-query-7d9f8b6c5d-x2x4z --previous --tail=100"
                .to_string()
        ),
        "{s}"
    );
    assert!(!s.contains("checkout-6b8c9d7f5d"), "not a tracing pod: {s}");
    // The Monitor tab: frontend has no spanmetrics, and Jaeger has no metrics backend.
    let monitor: Vec<&str> = findings(&report, "component_degraded")
        .iter()
        .filter(|f| f["subject"]["resource"] == "jaeger-monitor")
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    assert!(
        monitor.contains(&"1 of 2 services Jaeger knows have no spanmetrics series: frontend"),
        "{s}"
    );
    assert!(
        monitor
            .iter()
            .any(|t| t.starts_with("Jaeger query has no metrics backend")),
        "{s}"
    );
    // Checks that answered stay ok; --fail-on defaults to critical for check.
    for id in ["prometheus-ready", "jaeger-query", "span-drop-rate"] {
        assert_eq!(step(&report, id)["status"], "ok", "{s}");
    }
    assert_eq!(run.code, 1, "a critical finding fails CI by default");
    let never = stack.run(&["-o", "json", "--fail-on", "never"]);
    assert_eq!(never.code, 0);
}

#[test]
fn a_backend_that_is_down_fails_its_checks_with_the_fix() {
    let Some(stack) = Stack::start(true) else {
        return;
    };
    let dead = closed_port_url();
    let mut args = stack.args(&["-o", "json"]);
    let i = args.iter().position(|a| a == "--jaeger-url").unwrap();
    args[i + 1] = dead.clone();
    let run = tracectl(&args, stack.dir.path());
    let report = run.report();
    let s = summary(&report);
    for id in ["jaeger-query", "jaeger-monitor"] {
        let st = step(&report, id);
        assert_eq!(st["status"], "failed", "{s}");
        let err = st["error"].as_str().unwrap();
        assert!(err.starts_with("jaeger at "), "names the backend: {err}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
    // One finding for the one component, however many checks needed it.
    let down: Vec<_> = findings(&report, "component_down")
        .into_iter()
        .filter(|f| f["subject"]["resource"] == "jaeger-query")
        .collect();
    assert_eq!(down.len(), 1, "{s}");
    assert_eq!(down[0]["title"], "Jaeger query is unreachable");
    let cmds = commands(down[0]);
    assert!(
        cmds.contains(&format!("curl -sS -i '{dead}/api/services'")),
        "{cmds:?}"
    );
    assert!(
        cmds.contains(&"kubectl -n monitoring rollout restart deployment/jaeger-query".to_string()),
        "{cmds:?}"
    );
    assert_eq!(step(&report, "prometheus-ready")["status"], "ok");
    assert_eq!(run.code, 1, "critical finding");

    // Every configured backend down: exit 3, and the report is still written.
    let only_dead = strings(&[
        "check",
        "--prometheus-url",
        &dead,
        "--jaeger-url",
        &dead,
        "--timeout",
        "2s",
        "-o",
        "json",
        "-q",
    ]);
    let run = tracectl(&only_dead, stack.dir.path());
    let report = run.report();
    assert_eq!(run.code, 3, "{}", summary(&report));
    assert!(findings(&report, "component_down").len() >= 2);
}

#[test]
fn unconfigured_checks_are_skipped_and_selection_works() {
    let Some(stack) = Stack::start(true) else {
        return;
    };
    let args = strings(&[
        "check",
        "--prometheus-url",
        &stack.prometheus.url(),
        "--at",
        &END.to_string(),
        "-o",
        "json",
        "-q",
    ]);
    let run = tracectl(&args, stack.dir.path());
    let report = run.report();
    for id in [
        "jaeger-query",
        "collector-otlp",
        "collector-metrics",
        "elasticsearch-health",
        "grafana-health",
        "alertmanager-status",
        "tracing-pods",
        "jaeger-monitor",
    ] {
        let st = step(&report, id);
        assert_eq!(st["status"], "skipped", "{}", summary(&report));
        assert!(
            st["error"].as_str().unwrap().contains("not configured"),
            "{}",
            summary(&report)
        );
    }
    assert_eq!(
        step(&report, "collector-otlp")["error"],
        "collector not configured (--collector-otlp-url)"
    );
    assert_eq!(step(&report, "prometheus-ready")["status"], "ok");
    assert_eq!(run.code, 0);

    let only = stack.run(&["-o", "json", "--only", "grafana-health,prometheus-ready"]);
    let ids: Vec<String> = only.report()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["prometheus-ready", "grafana-health"]);
    let skip = stack.run(&[
        "-o",
        "json",
        "--skip",
        "tracing-pods",
        "--skip",
        "jaeger-monitor",
    ]);
    assert_eq!(skip.report()["steps"].as_array().unwrap().len(), 10);
    assert!(
        stack
            .kube
            .requests()
            .iter()
            .all(|r| !r.path.ends_with("/pods")),
        "a skipped check asks nothing"
    );

    let bad = stack.run(&["--only", "grafana"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("grafana-health"), "{}", bad.stderr);

    // Nothing configured at all: a usage error, not a green build.
    let nothing = tracectl(&strings(&["check", "-o", "junit"]), stack.dir.path());
    assert_eq!(nothing.code, 2, "{}", nothing.stderr);
    assert!(
        nothing.stderr.starts_with("error: no check could run"),
        "{}",
        nothing.stderr
    );
    assert!(
        nothing.stderr.contains("hint: pass --kubeconfig")
            && nothing.stderr.contains("--prometheus-url"),
        "{}",
        nothing.stderr
    );
}

/// The report without what changes from run to run (step durations).
fn without_durations(mut report: Value) -> Value {
    for s in report["steps"].as_array_mut().unwrap() {
        s["duration_ms"] = json!(0);
    }
    report
}

#[test]
fn a_recorded_check_replays_with_no_network() {
    let Some(stack) = Stack::start(true) else {
        return;
    };
    let bundle = stack.dir.path().join("bundle");
    let bundle_arg = bundle.display().to_string();
    // The metrics URL as a bare host (the client adds `/metrics`): a replay's placeholder base
    // has no path, so a recorded `.../metrics` URL is keyed differently from what the
    // collector client asks in a replay (reported; the Collector client's to fix).
    let mut args = stack.args(&["-o", "json", "--record", &bundle_arg]);
    let i = args
        .iter()
        .position(|a| a == "--collector-metrics-url")
        .unwrap();
    args[i + 1] = stack.collector.url();
    let recorded = tracectl(&args, stack.dir.path());
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    let replay = strings(&[
        "check",
        "--replay",
        &bundle_arg,
        "-n",
        MONITORING,
        "-o",
        "json",
        "-q",
    ]);
    let replayed = tracectl(&replay, stack.dir.path());
    assert_eq!(replayed.code, 0, "{}", replayed.stderr);
    assert_eq!(
        without_durations(replayed.report()),
        without_durations(recorded.report()),
        "replay differs:\n{}\n{}",
        summary(&recorded.report()),
        summary(&replayed.report())
    );
}

/// `xmllint --schema` on a JUnit file: `None` when xmllint is missing (SKIPPED).
fn xmllint(xml: &str, dir: &Path) -> Option<(bool, String)> {
    let Ok(out) = Command::new("xmllint").arg("--version").output() else {
        let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
        assert!(!ci, "xmllint not installed; .ci/run installs libxml2-utils");
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED: JUnit schema validation needs xmllint (apt-get install libxml2-utils) ***\n"
        );
        return None;
    };
    assert!(out.status.success());
    let file = dir.join(format!("junit-{}.xml", unique_suffix()));
    std::fs::write(&file, xml).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/junit.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("run xmllint");
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// A file name no other call in this process uses.
fn unique_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn every_output_format_and_a_valid_junit_file() {
    let Some(stack) = Stack::start(false) else {
        return;
    };
    let report = stack.run(&["-o", "json"]).report();
    let n_problems = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .count();

    let table = stack.run(&["-o", "table"]);
    assert_eq!(table.code, 1);
    assert!(table.stdout.contains("Findings"), "{}", table.stdout);
    assert!(table.stdout.contains("Steps"), "{}", table.stdout);
    assert!(
        table.stdout.contains("collector-otlp") && table.stdout.contains("failed"),
        "{}",
        table.stdout
    );
    assert!(
        !table.stdout.contains('\u{1b}'),
        "NO_COLOR: no escape codes"
    );

    let md = stack.run(&["-o", "markdown"]);
    assert_eq!(md.code, 1);
    assert!(md.stdout.starts_with("## Diagnosis"), "{}", md.stdout);
    assert!(md.stdout.contains("spans_dropped"), "{}", md.stdout);
    assert!(md.stdout.contains("kubectl -n monitoring"), "{}", md.stdout);

    let junit = stack.run(&["-o", "junit"]);
    assert_eq!(
        junit.code, 1,
        "exit code as in the contract: {}",
        junit.stderr
    );
    let xml = &junit.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    // One testcase per check, plus one per problem found.
    for id in CHECKS {
        assert!(
            xml.contains(&format!("classname=\"tracectl.check\" name=\"{id}\"")),
            "testcase {id}:\n{xml}"
        );
    }
    assert_eq!(
        xml.matches("<testcase ").count(),
        CHECKS.len() + n_problems,
        "{xml}"
    );
    assert!(xml.contains(&format!(
        "<testsuite name=\"tracectl check\" tests=\"{}\" failures=\"{n_problems}\" errors=\"1\" skipped=\"0\"",
        CHECKS.len() + n_problems
    )));
    assert!(xml.contains("<error message=\"collector at "), "{xml}");
    assert!(
        xml.contains(
            "<failure message=\"Grafana&apos;s database is &quot;failing&quot;\" type=\"critical\">"
        ),
        "{xml}"
    );
    if let Some((valid, errors)) = xmllint(xml, stack.dir.path()) {
        assert!(valid, "JUnit schema validation failed:\n{errors}\n{xml}");
    }

    // The healthy shape (every testcase passes) and an all-skipped one validate too.
    let skipped = tracectl(
        &strings(&[
            "check",
            "--prometheus-url",
            &stack.prometheus.url(),
            "--only",
            "prometheus-ready,grafana-health",
            "-o",
            "junit",
            "-q",
            "--at",
            &END.to_string(),
        ]),
        stack.dir.path(),
    );
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert!(skipped.stdout.contains("<skipped/>"));
    if let Some((valid, errors)) = xmllint(&skipped.stdout, stack.dir.path()) {
        assert!(valid, "{errors}\n{}", skipped.stdout);
    }
}

#[test]
fn the_schema_rejects_what_ci_servers_reject() {
    // The schema is only a test if it can fail: a testsuite without `tests`,
    // a testcase without a classname, and a non-numeric time.
    let dir = tempfile::tempdir().unwrap();
    for (bad, why) in [
        (
            r#"<testsuites><testsuite name="s" failures="0" errors="0"></testsuite></testsuites>"#,
            "tests",
        ),
        (
            r#"<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="c"/></testsuite></testsuites>"#,
            "classname",
        ),
        (
            r#"<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="c" classname="k" time="fast"/></testsuite></testsuites>"#,
            "time",
        ),
        (
            r#"<testsuites><testsuite name="s" tests="1" failures="1" errors="0"><testcase name="c" classname="k"><failure message="m"/></testcase></testsuite></testsuites>"#,
            "type",
        ),
    ] {
        let Some((valid, errors)) = xmllint(bad, dir.path()) else {
            return;
        };
        assert!(!valid, "accepted a report without a valid {why}: {bad}");
        assert!(errors.contains(why), "{errors}");
    }
}
