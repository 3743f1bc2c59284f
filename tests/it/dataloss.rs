//! End-to-end tests of `tracectl investigate data-loss`: the real binary against a real Prometheus
//! backfilled with the services' `mcp_*` counters and the Collector's `otelcol_*` series (the
//! `_total` generation a Prometheus reader exposes), a fixture Collector serving `/metrics` in the
//! default `:8888` generation (no `_total`) and an OTLP/HTTP receiver, a fixture Elasticsearch
//! whose bodies follow the reference API examples (`shared/reference/elasticsearch`), a Jaeger
//! fixture and a Kubernetes fixture (ConfigMaps with data, pods).
//!
//! Each test stages one place where spans are lost, runs tracectl at [`END`] with `-o json`, and
//! asserts the top finding's `kind` and `subject`, never a score: exporter failures caused by a
//! red Elasticsearch, a saturated queue, memory_limiter refusals, a service that stopped sending,
//! a sampling rate against the policy, a read-only index after the flood-stage watermark, an
//! unreachable Collector, a risky Collector config, and a healthy pipeline. Others check request
//! shapes, record → replay (two scrapes kept apart), and the config file's sampling policy.
//! Series are generated without noise: the funnel compares stages to a tenth of a span per
//! second, and jitter would invent losses. Without `prometheus` the tests print SKIPPED.

// Issue 19's sampling push-down, end to end: `dataloss/sampling.rs`.
mod sampling;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::scenarios::{
    END, MINUTE, ONSET, START, TraceSpec, closed_port_url, jaeger_routes, rfc3339, status,
    write_kubeconfig,
};
use crate::support::report::findings;
use crate::support::{
    AlertmanagerHarness, FixtureServer, PrometheusHarness, RecordedRequest, Response, Route,
    Scenario, SeriesSpec, Shape,
};

/// The services' namespace, and the Collector's.
const SHOP: &str = "shop";
const MONITORING: &str = "monitoring";
const TODAY: &str = "jaeger-span-2026-11-25";

// ---------------------------------------------------------------------------
// Running tracectl
// ---------------------------------------------------------------------------

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
                self.code, self.stdout, self.stderr
            )
        })
    }
}

/// tracectl in a clean environment: no inherited `TRACECTL_*`/`KUBECONFIG`, `HOME` in a scratch
/// directory.
fn tracectl(args: &[String], home: &Path) -> Run {
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

fn summary(report: &Value) -> String {
    let mut out = format!("diagnosis: {}\n", report["diagnosis"]);
    for f in report["findings"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  #{} {} {} score={} subject={} | {}\n",
            f["rank"], f["kind"], f["severity"], f["score"], f["subject"], f["title"]
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

/// The rank-1 finding, asserted to be `kind`.
fn top<'r>(report: &'r Value, kind: &str) -> &'r Value {
    eprintln!("{}", summary(report));
    let first = &report["findings"][0];
    assert_eq!(first["kind"], kind, "{}", summary(report));
    assert_eq!(first["rank"], 1);
    first
}

fn finding<'r>(report: &'r Value, kind: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["kind"] == kind))
        .unwrap_or_else(|| panic!("no {kind}:\n{}", summary(report)))
}

fn step<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}:\n{}", summary(report)))
}

// ---------------------------------------------------------------------------
// Prometheus data: the services and the Collector
// ---------------------------------------------------------------------------

fn flat(v: f64) -> Shape {
    Shape::Constant(v)
}

fn step_at_onset(before: f64, after: f64) -> Shape {
    Shape::Step {
        before,
        after,
        at: ONSET,
    }
}

/// A service's mcp counters: spans it creates, the share its sampler keeps, requests it serves.
fn service(name: &str, spans: Shape, sampled: f64, requests: f64) -> Vec<SeriesSpec> {
    let l = [("service_name", name)];
    vec![
        SeriesSpec::counter("mcp_spans_total", &l, spans.clone()),
        SeriesSpec::counter(
            "mcp_spans_sampled_total",
            &l,
            Shape::scaled(&spans, sampled),
        ),
        SeriesSpec::counter("mcp_spans_dropped_total", &l, flat(0.0)),
        SeriesSpec::counter("mcp_requests_total", &l, flat(requests)),
    ]
}

/// The shop: frontend, checkout and payment, every one sampled at the default 10%.
fn shop() -> Vec<SeriesSpec> {
    [
        service("frontend", flat(60.0), 0.1, 20.0),
        service("checkout", flat(40.0), 0.1, 10.0),
        service("payment", flat(20.0), 0.1, 5.0),
    ]
    .concat()
}

/// What passes through the Collector per second, by stage.
#[derive(Clone)]
struct Pipeline {
    accepted: Shape,
    refused: Shape,
    /// memory_limiter's own refusals (accepted/refused metrics); `None`: the v0.110+ items pair.
    limiter_refused: Option<Shape>,
    sent: Shape,
    send_failed: Shape,
    enqueue_failed: Shape,
    queue_size: f64,
    queue_capacity: f64,
    rss_bytes: f64,
}

impl Pipeline {
    fn healthy(rate: f64) -> Self {
        Pipeline {
            accepted: flat(rate),
            refused: flat(0.0),
            limiter_refused: None,
            sent: flat(rate),
            send_failed: flat(0.0),
            enqueue_failed: flat(0.0),
            queue_size: 2.0,
            queue_capacity: 1000.0,
            rss_bytes: 300.0 * 1048576.0,
        }
    }

    /// Storage refuses writes from the onset: the exporter sends 2% and fails the rest.
    fn failing_from_onset(rate: f64) -> Self {
        Pipeline {
            sent: step_at_onset(rate, rate * 0.02),
            send_failed: step_at_onset(0.0, rate * 0.98),
            queue_size: 300.0,
            ..Pipeline::healthy(rate)
        }
    }

    /// As a Collector with a Prometheus reader (v0.119–v0.150, Jaeger v2) exposes it: `_total`
    /// and unit suffixes, memory_limiter still with accepted/refused.
    fn series(&self) -> Vec<SeriesSpec> {
        let receiver = [("receiver", "otlp"), ("transport", "grpc")];
        let exporter = [("exporter", "otlp/jaeger")];
        let queue = [("exporter", "otlp/jaeger"), ("data_type", "traces")];
        let mut s = vec![
            SeriesSpec::counter(
                "otelcol_receiver_accepted_spans_total",
                &receiver,
                self.accepted.clone(),
            ),
            SeriesSpec::counter(
                "otelcol_receiver_refused_spans_total",
                &receiver,
                self.refused.clone(),
            ),
            SeriesSpec::counter(
                "otelcol_exporter_sent_spans_total",
                &exporter,
                self.sent.clone(),
            ),
            SeriesSpec::counter(
                "otelcol_exporter_send_failed_spans_total",
                &exporter,
                self.send_failed.clone(),
            ),
            SeriesSpec::counter(
                "otelcol_exporter_enqueue_failed_spans_total",
                &exporter,
                self.enqueue_failed.clone(),
            ),
            SeriesSpec::gauge("otelcol_exporter_queue_size", &queue, flat(self.queue_size)),
            SeriesSpec::gauge(
                "otelcol_exporter_queue_capacity",
                &queue,
                flat(self.queue_capacity),
            ),
            SeriesSpec::gauge(
                "otelcol_process_memory_rss_bytes",
                &[],
                flat(self.rss_bytes),
            ),
            SeriesSpec::counter("otelcol_process_uptime_seconds_total", &[], flat(1.0)),
        ];
        // v0.110+ processors count items in and out, per signal.
        let pass_through = |processor: &str| {
            let l = [("processor", processor), ("otel_signal", "traces")];
            [
                SeriesSpec::counter(
                    "otelcol_processor_incoming_items_total",
                    &l,
                    self.accepted.clone(),
                ),
                SeriesSpec::counter(
                    "otelcol_processor_outgoing_items_total",
                    &l,
                    self.accepted.clone(),
                ),
            ]
        };
        s.extend(pass_through("batch"));
        let limiter = [("processor", "memory_limiter")];
        match &self.limiter_refused {
            Some(r) => {
                s.push(SeriesSpec::counter(
                    "otelcol_processor_accepted_spans_total",
                    &limiter,
                    self.accepted.clone(),
                ));
                s.push(SeriesSpec::counter(
                    "otelcol_processor_refused_spans_total",
                    &limiter,
                    r.clone(),
                ));
            }
            None => s.extend(pass_through("memory_limiter")),
        }
        s
    }
}

// ---------------------------------------------------------------------------
// The Collector fixture: `:8888/metrics` (no `_total`) and the OTLP/HTTP receiver
// ---------------------------------------------------------------------------

/// Cumulative counts at one scrape, as the default endpoint (v0.101) writes them.
fn exposition(uptime: f64, p: &ScrapePipeline, t: f64) -> String {
    let svc = r#"service_instance_id="890d4346-b65e-4ad9-a071-0ada4fb43143",service_name="otelcol-contrib",service_version="0.101.0""#;
    let counter = |name: &str, help: &str, labels: &str, v: f64| {
        format!("# HELP {name} {help}\n# TYPE {name} counter\n{name}{{{labels},{svc}}} {v}\n")
    };
    let gauge = |name: &str, labels: &str, v: f64| {
        format!("# TYPE {name} gauge\n{name}{{{labels},{svc}}} {v}\n")
    };
    [
        counter(
            "otelcol_receiver_accepted_spans",
            "Number of spans successfully pushed into the pipeline.",
            r#"receiver="otlp",transport="grpc""#,
            p.accepted * t,
        ),
        counter(
            "otelcol_receiver_refused_spans",
            "Number of spans that could not be pushed into the pipeline.",
            r#"receiver="otlp",transport="grpc""#,
            0.0,
        ),
        counter(
            "otelcol_processor_incoming_items",
            "Number of items passed to the processor.",
            r#"otel_signal="traces",processor="batch""#,
            p.accepted * t,
        ),
        counter(
            "otelcol_processor_outgoing_items",
            "Number of items emitted from the processor.",
            r#"otel_signal="traces",processor="batch""#,
            p.accepted * t,
        ),
        counter(
            "otelcol_exporter_sent_spans",
            "Number of spans successfully sent to destination.",
            r#"exporter="otlp/jaeger""#,
            p.sent * t,
        ),
        counter(
            "otelcol_exporter_send_failed_spans",
            "Number of spans in failed attempts to send to destination.",
            r#"exporter="otlp/jaeger""#,
            0.0,
        ),
        counter(
            "otelcol_exporter_enqueue_failed_spans",
            "Number of spans failed to be added to the sending queue.",
            r#"exporter="otlp/jaeger""#,
            p.enqueue_failed * t,
        ),
        gauge(
            "otelcol_exporter_queue_size",
            r#"exporter="otlp/jaeger",data_type="traces""#,
            p.queue_size,
        ),
        gauge(
            "otelcol_exporter_queue_capacity",
            r#"exporter="otlp/jaeger",data_type="traces""#,
            1000.0,
        ),
        gauge("otelcol_process_memory_rss", r#"a="b""#, 420.0 * 1048576.0),
        counter(
            "otelcol_process_uptime",
            "Uptime of the process",
            r#"a="b""#,
            uptime,
        ),
    ]
    .concat()
}

/// Rates for the scraped Collector.
#[derive(Clone)]
struct ScrapePipeline {
    accepted: f64,
    sent: f64,
    enqueue_failed: f64,
    queue_size: f64,
}

/// Which answer the OTLP receiver gives to an export.
#[derive(Clone, Copy)]
enum Otlp {
    Accepts,
    /// memory_limiter refusing: 503 with a google.rpc.Status body.
    RefusesMemory,
}

/// `/metrics` twice, ten seconds of the Collector's uptime apart (the second carries
/// `tracectl_scrape=2`), and `POST /v1/traces`.
fn collector_routes(scraped: Option<ScrapePipeline>, otlp: Otlp) -> Vec<Route> {
    let mut routes = Vec::new();
    // Not scraped by a test: its metrics say all is well (what a run reaching them through the
    // API server reads, beside Prometheus' otelcol_* series).
    let healthy = ScrapePipeline {
        accepted: 120.0,
        sent: 120.0,
        enqueue_failed: 0.0,
        queue_size: 1000.0,
    };
    if let Some(p) = scraped.or(Some(healthy)) {
        let text = "text/plain; version=0.0.4; charset=utf-8";
        let (a, b) = (
            exposition(3600.0, &p, 3600.0),
            exposition(3610.0, &p, 3610.0),
        );
        routes.push(
            Route::get("/metrics")
                .query("tracectl_scrape", "2")
                .respond(Response::new(200).header("content-type", text).body(b)),
        );
        routes.push(
            Route::get("/metrics").respond(Response::new(200).header("content-type", text).body(a)),
        );
    }
    routes.push(Route::post("/v1/traces").respond(match otlp {
        Otlp::Accepts => Response::json(200, &json!({})),
        Otlp::RefusesMemory => Response::json(
            503,
            &json!({"code": 14, "message": "data refused due to high memory usage"}),
        ),
    }));
    routes
}

// ---------------------------------------------------------------------------
// Elasticsearch
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct Es {
    status: &'static str,
    unassigned: u64,
    /// (index, blocks set to true)
    indices: Vec<(String, Vec<&'static str>)>,
    disk_percent: f64,
    rejected: u64,
    /// What `_count` answers for any service.
    count: u64,
}

impl Es {
    fn healthy() -> Self {
        Es {
            status: "green",
            unassigned: 0,
            indices: vec![
                ("jaeger-span-2026-11-23".into(), vec![]),
                ("jaeger-span-2026-11-24".into(), vec![]),
                (TODAY.into(), vec![]),
            ],
            disk_percent: 41.0,
            rejected: 0,
            count: 120_000,
        }
    }
}

fn es_routes(es: Es) -> Vec<Route> {
    let total: u64 = 100 * (1 << 30);
    let used = (total as f64 * es.disk_percent / 100.0) as u64;
    let active = if es.status == "green" { 100.0 } else { 85.0 };
    let cat: Vec<Value> = es
        .indices
        .iter()
        .map(|(name, _)| {
            json!({"index": name, "health": es.status, "status": "open",
                   "docs.count": "18233411", "store.size": "9876543210",
                   "creation.date": "1795478400000"})
        })
        .collect();
    let blocks: serde_json::Map<String, Value> = es
        .indices
        .iter()
        .map(|(name, blocks)| {
            let settings: serde_json::Map<String, Value> = blocks
                .iter()
                .map(|b| (format!("index.blocks.{b}"), json!("true")))
                .collect();
            (name.clone(), json!({ "settings": settings }))
        })
        .collect();
    let count = es.count;
    vec![
        Route::get("/_cluster/health").respond(Response::json(
            200,
            &json!({
                "cluster_name": "jaeger-es", "status": es.status, "timed_out": false,
                "number_of_nodes": 3, "number_of_data_nodes": 3,
                "active_primary_shards": 40, "active_shards": 80,
                "relocating_shards": 0, "initializing_shards": 0,
                "unassigned_shards": es.unassigned, "delayed_unassigned_shards": 0,
                "number_of_pending_tasks": 0, "number_of_in_flight_fetch": 0,
                "task_max_waiting_in_queue_millis": 0,
                "active_shards_percent_as_number": active
            }),
        )),
        // `*` ends a route pattern as a prefix: these match the wildcard paths tracectl sends.
        Route::get("/_cat/indices/*jaeger-span*").respond(Response::json(200, &json!(cat))),
        Route::get("/*jaeger-span*/_settings/index.blocks.*")
            .respond(Response::json(200, &Value::Object(blocks))),
        Route::get("/_cat/thread_pool/write").respond(Response::json(
            200,
            &json!([
                {"node_name": "es-data-0", "name": "write", "active": "2",
                 "queue": if es.rejected > 0 { "200" } else { "0" },
                 "rejected": es.rejected.to_string()},
                {"node_name": "es-data-1", "name": "write", "active": "1", "queue": "0", "rejected": "0"}
            ]),
        )),
        Route::get("/_cat/allocation").respond(Response::json(
            200,
            &json!([
                {"shards": "41", "disk.indices": used.to_string(), "disk.used": used.to_string(),
                 "disk.avail": (total - used).to_string(), "disk.total": total.to_string(),
                 "disk.percent": format!("{:.0}", es.disk_percent),
                 "host": "10.0.0.10", "ip": "10.0.0.10", "node": "es-data-0", "node.role": "cdfhilmrstw"},
                {"shards": "39", "disk.indices": "1073741824", "disk.used": "10737418240",
                 "disk.avail": "96636764160", "disk.total": total.to_string(), "disk.percent": "10",
                 "host": "10.0.0.11", "ip": "10.0.0.11", "node": "es-data-1", "node.role": "cdfhilmrstw"}
            ]),
        )),
        Route::get("/_cluster/settings").respond(Response::json(
            200,
            &json!({"defaults": {
                "cluster.routing.allocation.disk.watermark.low": "85%",
                "cluster.routing.allocation.disk.watermark.high": "90%",
                "cluster.routing.allocation.disk.watermark.flood_stage": "95%",
                "cluster.routing.allocation.disk.watermark.flood_stage.max_headroom": "-1"
            }}),
        )),
        // A query body as a POST, or as a GET with `source` and `source_content_type` (the
        // REST API's request body in the query string; a `source` without its content type is
        // refused, as Elasticsearch refuses it).
        Route::new("*", "/*jaeger-span*/_count").respond_with(move |req: &RecordedRequest| {
            let body = match req.method.as_str() {
                "POST" => String::from_utf8_lossy(&req.body).to_string(),
                "GET" => match (
                    req.query_param("source"),
                    req.query_param("source_content_type"),
                ) {
                    (Some(source), Some(t)) if t == "application/json" => source,
                    (Some(_), _) => {
                        let reason = "source and source_content_type parameters are required";
                        return Response::json(
                            400,
                            &json!({"error": {"root_cause": [{"type": "illegal_state_exception", "reason": reason}],
                                              "type": "illegal_state_exception", "reason": reason},
                                    "status": 400}),
                        );
                    }
                    (None, _) => String::new(),
                },
                _ => return Response::json(405, &json!({"error": "Incorrect HTTP method", "status": 405})),
            };
            let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            assert!(parsed.get("query").is_some(), "a _count without a query: {body:?}");
            Response::json(
                200,
                &json!({"count": count, "_shards": {"total": 3, "successful": 3, "skipped": 0, "failed": 0}}),
            )
        }),
    ]
}

// ---------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------

fn config_map(ns: &str, name: &str, data: &BTreeMap<&str, String>) -> Value {
    json!({
        "apiVersion": "v1", "kind": "ConfigMap", "data": data,
        "metadata": {"name": name, "namespace": ns, "resourceVersion": "27009817",
                     "creationTimestamp": rfc3339(END - 30 * 86_400)}
    })
}

/// A ready pod of `app` in `ns`, running since two days.
fn pod(ns: &str, app: &str, name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": app}},
        "spec": {"nodeName": "node-a", "containers": [{
            "name": app, "image": format!("registry.example/{app}:1.0"),
            "resources": {"limits": {"cpu": "1", "memory": "2Gi"}, "requests": {"memory": "1Gi"}}
        }]},
        "status": {"phase": "Running", "startTime": rfc3339(END - 2 * 86_400),
            "containerStatuses": [{
                "name": app, "ready": true, "restartCount": 0, "started": true,
                "image": format!("registry.example/{app}:1.0"), "imageID": "",
                "lastState": {}, "state": {"running": {"startedAt": rfc3339(END - 2 * 86_400)}}
            }]}
    })
}

#[derive(Clone, Default)]
struct Kube {
    /// (namespace, name, data)
    config_maps: Vec<(String, String, BTreeMap<&'static str, String>)>,
    /// (namespace, app label, pod)
    pods: Vec<(String, String, Value)>,
    /// Services, as the API server lists them (with their namespace in `metadata`).
    services: Vec<Value>,
    /// Deployments, likewise.
    deployments: Vec<Value>,
    /// DaemonSets, likewise (StatefulSets: none, an empty list).
    daemonsets: Vec<Value>,
    /// More of the API server's service proxy (`NS/NAME:PORT`, URL) than the stack [`start`]
    /// serves: another backend the test started.
    proxies: Vec<(String, String)>,
    /// The credentials are the read-only role's: the API server refuses anything but a GET to
    /// the service proxy (`create` on `services/proxy`), with its 403 Status object.
    read_only_proxy: bool,
    /// The first request through each Service's proxy fails as the API server fails it when the
    /// Service has no ready endpoint (503 Status object); the next ones pass.
    proxy_fails_once: bool,
}

impl Kube {
    /// The Collector's and Jaeger's pods, ready, in `ns`.
    fn pipeline_pods(ns: &str) -> Self {
        Kube {
            config_maps: Vec::new(),
            services: Vec::new(),
            deployments: Vec::new(),
            daemonsets: Vec::new(),
            proxies: Vec::new(),
            read_only_proxy: false,
            proxy_fails_once: false,
            pods: vec![
                (
                    ns.into(),
                    "otel-collector".into(),
                    pod(ns, "otel-collector", "otel-collector-6d8f9c7b5-x2x7q"),
                ),
                (
                    ns.into(),
                    "jaeger".into(),
                    pod(ns, "jaeger", "jaeger-5f7d8c9b4-k8m2p"),
                ),
            ],
        }
    }

    fn config_map(mut self, ns: &str, name: &str, data: &[(&'static str, &str)]) -> Self {
        self.config_maps.push((
            ns.into(),
            name.into(),
            data.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        ));
        self
    }
}

/// The fixture API server's routes, with the API server's service proxy forwarding
/// `/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH` to the fixture serving
/// `NS/NAME:PORT` (`proxies`: (`NS/NAME:PORT`, URL)); another Service's proxy
/// path falls through to the catch-all 404.
fn kube_routes(k: Kube, proxies: Vec<(String, String)>) -> Vec<Route> {
    let mut routes = Vec::new();
    for (target, url) in proxies {
        let (ns, svc) = target.split_once('/').expect("NS/NAME:PORT");
        let prefix = format!("/api/v1/namespaces/{ns}/services/{svc}/proxy");
        let strip = prefix.clone();
        let (read_only, fails_once) = (k.read_only_proxy, k.proxy_fails_once);
        let failed = std::sync::atomic::AtomicBool::new(false);
        let (ns, svc) = (ns.to_string(), svc.to_string());
        routes.push(Route::new("*", &format!("{prefix}*")).respond_with(
            move |req: &RecordedRequest| {
                if read_only && req.method != "GET" {
                    let message = format!(
                        "services \"{svc}\" is forbidden: User \"system:serviceaccount:{ns}:tracectl\" \
                         cannot create resource \"services/proxy\" in API group \"\" in the namespace \"{ns}\""
                    );
                    return Response::json(
                        403,
                        &status(403, "Forbidden", &message, json!({"name": svc, "kind": "services"})),
                    );
                }
                if fails_once && !failed.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    // errors.NewServiceUnavailable: no details.
                    return Response::json(
                        503,
                        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                                "status": "Failure",
                                "message": format!("no endpoints available for service \"{svc}\""),
                                "reason": "ServiceUnavailable", "code": 503}),
                    );
                }
                let path = req.path.strip_prefix(&strip).unwrap_or("/");
                crate::support::fixture::forward(
                    req,
                    &url,
                    if path.is_empty() { "/" } else { path },
                )
            },
        ));
    }
    for (ns, name, data) in &k.config_maps {
        routes.push(
            Route::get(&format!("/api/v1/namespaces/{ns}/configmaps/{name}"))
                .respond(Response::json(200, &config_map(ns, name, data))),
        );
    }
    let all = k.services.clone();
    routes.push(
        Route::get("/api/v1/services")
            .respond_with(move |req: &RecordedRequest| service_list(&all, None, req)),
    );
    let (deployments, daemonsets) = (k.deployments.clone(), k.daemonsets.clone());
    routes.push(Route::get("/apis/apps/v1/namespaces/*").respond_with(
        move |req: &RecordedRequest| {
            let Some((ns, plural)) = req
                .path
                .strip_prefix("/apis/apps/v1/namespaces/")
                .and_then(|r| r.split_once('/'))
            else {
                return not_found(&req.path);
            };
            let (kind, all) = match plural {
                "deployments" => ("DeploymentList", &deployments),
                "daemonsets" => ("DaemonSetList", &daemonsets),
                "statefulsets" => ("StatefulSetList", &Vec::new()),
                _ => return not_found(&req.path),
            };
            let items: Vec<Value> = all
                .iter()
                .filter(|d| d["metadata"]["namespace"] == ns)
                .cloned()
                .collect();
            Response::json(
                200,
                &json!({"apiVersion": "apps/v1", "kind": kind,
                        "metadata": {"resourceVersion": "1300002"}, "items": items}),
            )
        },
    ));
    let services = k.services.clone();
    let pods = k.pods.clone();
    routes.push(
        Route::get("/api/v1/namespaces/*").respond_with(move |req: &RecordedRequest| {
            if let Some(ns) = req
                .path
                .strip_prefix("/api/v1/namespaces/")
                .and_then(|r| r.strip_suffix("/services"))
            {
                return service_list(&services, Some(ns), req);
            }
            let Some(ns) = req
                .path
                .strip_prefix("/api/v1/namespaces/")
                .and_then(|r| r.strip_suffix("/pods"))
            else {
                return not_found(&req.path);
            };
            let selector = req.query_param("labelSelector").unwrap_or_default();
            let items: Vec<Value> = pods
                .iter()
                .filter(|(n, app, _)| n == ns && selector == format!("app={app}"))
                .map(|(_, _, p)| p.clone())
                .collect();
            Response::json(
                200,
                &json!({"apiVersion": "v1", "kind": "PodList",
                        "metadata": {"resourceVersion": "1300000"}, "items": items}),
            )
        }),
    );
    routes.push(Route::new("*", "/*").respond_with(|req: &RecordedRequest| not_found(&req.path)));
    routes
}

/// A ServiceList as the API server sends it: items without apiVersion/kind, filtered by
/// namespace and `labelSelector`.
fn service_list(services: &[Value], ns: Option<&str>, req: &RecordedRequest) -> Response {
    let selector = req.query_param("labelSelector").unwrap_or_default();
    let mut items = Vec::new();
    for s in services {
        if ns.is_some_and(|n| s["metadata"]["namespace"] != n) {
            continue;
        }
        match crate::support::kube_api::labels_match(&selector, s) {
            Ok(true) => items.push(s.clone()),
            Ok(false) => {}
            Err(e) => {
                return Response::json(400, &status(400, "BadRequest", &e, json!({})));
            }
        }
    }
    Response::json(
        200,
        &json!({"apiVersion": "v1", "kind": "ServiceList",
                "metadata": {"resourceVersion": "1300001"}, "items": items}),
    )
}

/// A ClusterIP Service as a chart leaves it: `labels`, and ports named by their number.
fn k8s_service(ns: &str, name: &str, labels: &[(&str, &str)], ports: &[u16]) -> Value {
    let labels: BTreeMap<&str, &str> = labels.iter().copied().collect();
    let ports: Vec<Value> = ports
        .iter()
        .map(
            |p| json!({"name": format!("port-{p}"), "protocol": "TCP", "port": p, "targetPort": p}),
        )
        .collect();
    json!({
        "metadata": {"name": name, "namespace": ns, "labels": labels,
                     "uid": format!("svc-{ns}-{name}"), "resourceVersion": "27009901",
                     "creationTimestamp": rfc3339(END - 30 * 86_400)},
        "spec": {"type": "ClusterIP", "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"],
                 "ports": ports, "selector": {"app": name}, "sessionAffinity": "None"},
        "status": {"loadBalancer": {}}
    })
}

/// A rolled-out Deployment of `name` in `ns` whose container has `env` (literal values).
fn k8s_deployment(ns: &str, name: &str, env: &[(&str, &str)]) -> Value {
    let env: Vec<Value> = env
        .iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    json!({
        "metadata": {"name": name, "namespace": ns, "uid": format!("d-{name}"),
                     "resourceVersion": "27009950", "generation": 3,
                     "annotations": {"deployment.kubernetes.io/revision": "3"},
                     "labels": {"app": name}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": name,
                                  "image": format!("registry.example/{name}:1.0"), "env": env}]}}},
        "status": {"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2,
                   "readyReplicas": 2, "availableReplicas": 2}
    })
}

fn not_found(path: &str) -> Response {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or_default();
    let resource = parts.next().unwrap_or_default();
    Response::json(
        404,
        &status(
            404,
            "NotFound",
            &format!("{resource} \"{name}\" not found"),
            json!({"name": name, "kind": resource}),
        ),
    )
}

/// The guide's production sampling document, with the critical services named.
const SAMPLING_POLICY: &str = "production_sampling:
  default_sampling:
    rate: 0.1
    strategy: probabilistic
  service_specific_sampling:
    critical_services:
      rate: 1.0
      strategy: probabilistic
      services: [payment]
    high_volume_services:
      rate: 0.01
      strategy: probabilistic
      services: [frontend-assets]
  adaptive_sampling:
    enabled: true
    target_samples_per_second: 100
    adjustment_interval: 60
    max_sampling_rate: 0.5
    min_sampling_rate: 0.001
";

/// A Collector config that keeps spans: memory_limiter first, batch, a queue with retries.
const GOOD_CONFIG: &str = "receivers:
  otlp:
    protocols:
      grpc: {}
      http: {}
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
  batch: {}
exporters:
  otlp/jaeger:
    endpoint: jaeger-collector:4317
    sending_queue:
      enabled: true
      queue_size: 1000
    retry_on_failure:
      enabled: true
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp/jaeger]
";

/// No memory_limiter, no batch, and the exporter's queue turned off.
const RISKY_CONFIG: &str = "receivers:
  otlp:
    protocols:
      grpc: {}
exporters:
  otlp/jaeger:
    endpoint: jaeger-collector:4317
    sending_queue:
      enabled: false
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlp/jaeger]
";

// ---------------------------------------------------------------------------
// One staged incident
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct Stage {
    series: Vec<SeriesSpec>,
    /// `None`: the Collector's metrics are not scraped directly.
    scraped: Option<ScrapePipeline>,
    otlp: Otlp,
    es: Es,
    kube: Kube,
}

impl Stage {
    /// Everything healthy: the shop sends, the Collector (in Prometheus) passes everything, the
    /// index of today exists, the pods are ready, the config is sound.
    fn healthy() -> Self {
        Stage {
            series: [shop(), Pipeline::healthy(120.0).series()].concat(),
            scraped: None,
            otlp: Otlp::Accepts,
            es: Es::healthy(),
            kube: Kube {
                services: helm_services(MONITORING),
                ..Kube::pipeline_pods(MONITORING).config_map(
                    MONITORING,
                    "otel-collector-config",
                    &[("relay", GOOD_CONFIG)],
                )
            },
        }
    }

    fn pipeline(mut self, p: Pipeline) -> Self {
        self.series = [shop(), p.series()].concat();
        self
    }
}

struct Running {
    prometheus: PrometheusHarness,
    collector: FixtureServer,
    es: FixtureServer,
    jaeger: FixtureServer,
    kube: FixtureServer,
    kubeconfig: PathBuf,
    dir: tempfile::TempDir,
}

/// Traces of every service in the lookback, as the Jaeger fixture serves them.
fn traces() -> Vec<TraceSpec> {
    ["frontend", "checkout", "payment"]
        .iter()
        .enumerate()
        .map(|(i, svc)| TraceSpec::new(900 + i as u64, END - 10 * MINUTE, svc, "GET /", 0.05))
        .collect()
}

fn start(stage: &Stage) -> Option<Running> {
    let mut scenario = Scenario::new(START, END).with_noise(0.0);
    for s in &stage.series {
        scenario = scenario.with(s.clone());
    }
    let prometheus = PrometheusHarness::start(&scenario).expect("start Prometheus")?;
    let jaeger = FixtureServer::start(jaeger_routes(traces()));
    let es = FixtureServer::start(es_routes(stage.es.clone()));
    let collector = FixtureServer::start(collector_routes(stage.scraped.clone(), stage.otlp));
    // The API server's service proxy reaches the stack where the charts put it.
    let mut proxies = vec![
        (format!("{MONITORING}/otel-collector:8888"), collector.url()),
        (
            format!("{MONITORING}/prometheus-server:80"),
            prometheus.url(),
        ),
        (format!("{MONITORING}/jaeger-query:16686"), jaeger.url()),
        (format!("{MONITORING}/elasticsearch-master:9200"), es.url()),
    ];
    proxies.extend(stage.kube.proxies.iter().cloned());
    let kube = FixtureServer::start(kube_routes(stage.kube.clone(), proxies));
    let dir = tempfile::Builder::new()
        .prefix("tracectl-dataloss-")
        .tempdir()
        .expect("tempdir");
    let kubeconfig = write_kubeconfig(dir.path(), &kube.url(), SHOP);
    Some(Running {
        prometheus,
        collector,
        es,
        jaeger,
        kube,
        kubeconfig,
        dir,
    })
}

/// `args`, then at [`END`], a 5 s request timeout, JSON, quiet: how these tests run a command.
fn quiet_json(args: &[&str]) -> Vec<String> {
    let end = END.to_string();
    [args, &["--at", &end, "--timeout", "5s", "-o", "json", "-q"]]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

impl Running {
    /// Every backend, the Collector in `monitoring`, at [`END`], JSON, quiet; then `extra`.
    fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = vec![
            "investigate".into(),
            "data-loss".into(),
            "--prometheus-url".into(),
            self.prometheus.url(),
            "--elasticsearch-url".into(),
            self.es.url(),
            "--jaeger-url".into(),
            self.jaeger.url(),
            "--collector-otlp-url".into(),
            self.collector.url(),
            "--jaeger-collector-addr".into(),
            self.jaeger.addr().to_string(),
            "--kubeconfig".into(),
            self.kubeconfig.display().to_string(),
            "-n".into(),
            SHOP.into(),
            "--collector-namespace".into(),
            MONITORING.into(),
            "--at".into(),
            END.to_string(),
            "--timeout".into(),
            "5s".into(),
            "-o".into(),
            "json".into(),
            "-q".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    /// `investigate data-loss` with only `--kubeconfig` (no URL, no namespace), at [`END`].
    fn kubeconfig_alone(&self) -> Vec<String> {
        self.alone(&["investigate", "data-loss"])
    }

    /// `command` with only `--kubeconfig` (no URL, no namespace), at [`END`], JSON, quiet.
    fn alone(&self, command: &[&str]) -> Vec<String> {
        let kubeconfig = self.kubeconfig.display().to_string();
        quiet_json(&[command, &["--kubeconfig", &kubeconfig]].concat())
    }

    fn investigate(&self, extra: &[&str]) -> Run {
        tracectl(&self.args(extra), self.dir.path())
    }

    /// With the Collector's metrics scraped directly as well.
    fn investigate_scraping(&self, extra: &[&str]) -> Run {
        let url = format!("{}/metrics", self.collector.url());
        let mut e = vec!["--collector-metrics-url", &url, "--scrape-interval", "10ms"];
        e.extend(extra);
        self.investigate(&e)
    }
}

// ---------------------------------------------------------------------------
// 1. Exporter failures caused by an unhealthy Elasticsearch
// ---------------------------------------------------------------------------

#[test]
fn a_red_elasticsearch_explains_the_exporter_failures() {
    let mut stage = Stage::healthy().pipeline(Pipeline::failing_from_onset(120.0));
    stage.es.status = "red";
    stage.es.unassigned = 6;
    let Some(b) = start(&stage) else { return };
    let run = b.investigate(&["--fail-on", "critical"]);
    let report = run.report();
    let f = top(&report, "storage_unhealthy");
    assert_eq!(f["subject"]["dependency"], "elasticsearch");
    assert_eq!(f["subject"]["resource"], "storage");
    assert_eq!(f["severity"], "critical");
    let exporter = finding(&report, "exporter_failures");
    assert_eq!(exporter["subject"]["resource"], "exporter/otlp/jaeger");
    assert!(
        exporter["detail"]
            .as_str()
            .unwrap()
            .contains("Explained by: Elasticsearch cluster jaeger-es is red"),
        "{}",
        summary(&report)
    );
    assert_eq!(run.code, 1, "--fail-on critical with a critical finding");
    // Prometheus had the Collector's metrics: the funnel came from its otelcol_* series.
    let collector = step(&report, "collector");
    assert_eq!(collector["status"], "ok", "{}", summary(&report));
    assert!(collector["queries"].as_array().unwrap().iter().any(|q| {
        q.as_str()
            .unwrap()
            .contains("otelcol_exporter_send_failed_spans")
    }));
}

// ---------------------------------------------------------------------------
// 2. A saturated queue, read from two scrapes of the Collector's own endpoint
// ---------------------------------------------------------------------------

fn saturated_queue() -> Stage {
    Stage {
        // No otelcol_* in Prometheus: the Collector's own endpoint is the source.
        series: shop(),
        scraped: Some(ScrapePipeline {
            accepted: 100.0,
            sent: 80.0,
            enqueue_failed: 20.0,
            queue_size: 1000.0,
        }),
        ..Stage::healthy()
    }
}

#[test]
fn a_full_sending_queue_is_found_from_two_scrapes() {
    let Some(b) = start(&saturated_queue()) else {
        return;
    };
    let report = b.investigate_scraping(&[]).report();
    let f = top(&report, "queue_saturation");
    assert_eq!(f["subject"]["resource"], "exporter/otlp/jaeger");
    assert!(
        f["title"]
            .as_str()
            .unwrap()
            .contains("20.0 spans/s dropped"),
        "rates over the Collector's own 10 s of uptime:\n{}",
        summary(&report)
    );
    let fix = f["remediation"][0]["command"].as_str().unwrap();
    assert!(fix.contains("queue_size: 2000"), "{fix}");
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "exporter_failures"),
        "the exporter sends what it dequeues:\n{}",
        summary(&report)
    );

    // Request shapes: two scrapes, the second marked; an empty OTLP export.
    let reqs = b.collector.requests();
    let scrapes: Vec<&RecordedRequest> = reqs.iter().filter(|r| r.path == "/metrics").collect();
    assert_eq!(scrapes.len(), 2, "{reqs:#?}");
    assert_eq!(scrapes[0].query, "");
    assert_eq!(
        scrapes[1].query_param("tracectl_scrape").as_deref(),
        Some("2")
    );
    assert!(scrapes[0].header("accept").unwrap().contains("text/plain"));
    let export = reqs
        .iter()
        .find(|r| r.path == "/v1/traces")
        .expect("export");
    assert_eq!(export.method, "POST");
    assert_eq!(export.body_json(), json!({"resourceSpans": []}));
    assert_eq!(export.header("content-type"), Some("application/json"));
    // Elasticsearch was only read, and asked for the busiest service's spans.
    let es = b.es.requests();
    let count = es
        .iter()
        .find(|r| r.path == "/*jaeger-span*/_count")
        .unwrap();
    assert!(
        count
            .body_text()
            .contains("\"process.serviceName\":\"frontend\"")
    );
    for r in es.iter().filter(|r| r.path != "/*jaeger-span*/_count") {
        assert_eq!(r.method, "GET", "{}", r.path);
    }
    for r in b.kube.requests() {
        assert_eq!(r.method, "GET", "{}", r.path);
    }
}

// ---------------------------------------------------------------------------
// 3. memory_limiter refuses
// ---------------------------------------------------------------------------

#[test]
fn memory_limiter_refusals_are_the_diagnosis() {
    let p = Pipeline {
        accepted: flat(600.0),
        refused: flat(400.0),
        limiter_refused: Some(flat(400.0)),
        sent: flat(600.0),
        rss_bytes: 1.8e9,
        ..Pipeline::healthy(600.0)
    };
    let mut stage = Stage::healthy().pipeline(p);
    stage.otlp = Otlp::RefusesMemory;
    let Some(b) = start(&stage) else { return };
    let report = b.investigate(&[]).report();
    let f = top(&report, "receiver_refused");
    assert_eq!(f["subject"]["resource"], "processor/memory_limiter");
    let fixes: Vec<&str> = f["remediation"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["command"].as_str())
        .collect();
    assert!(
        fixes.iter().any(|c| c.contains("limit_mib: 2688")),
        "{fixes:?}"
    );
    assert!(
        fixes.iter().any(|c| c.starts_with(
            "kubectl -n monitoring set resources deployment/otel-collector --limits=memory="
        )),
        "{fixes:?}"
    );
    // The receiver's 503 to the empty export is the same refusal.
    let second = &report["findings"][1];
    assert_eq!(
        second["subject"]["resource"],
        "receiver/otlp",
        "{}",
        summary(&report)
    );
    assert_eq!(step(&report, "connectivity")["status"], "warning");
}

// ---------------------------------------------------------------------------
// 4. A service stopped sending
// ---------------------------------------------------------------------------

#[test]
fn a_service_that_stopped_sending_while_serving_is_found() {
    let mut stage = Stage::healthy();
    stage.series = [
        service("frontend", flat(60.0), 0.1, 20.0),
        service("checkout", step_at_onset(40.0, 0.0), 0.1, 10.0),
        service("payment", flat(20.0), 0.1, 5.0),
        Pipeline::healthy(80.0).series(),
    ]
    .concat();
    let Some(b) = start(&stage) else { return };
    let report = b.investigate(&[]).report();
    let f = top(&report, "service_not_sending");
    assert_eq!(f["subject"]["service"], "checkout");
    assert_eq!(f["severity"], "critical");
    assert!(
        f["title"].as_str().unwrap().contains("40.0 spans/s 1h ago"),
        "{}",
        summary(&report)
    );
    assert!(f["detail"].as_str().unwrap().contains("still serves"));
}

/// Issue 19: the services step asks Prometheus to compare, so it answers with the services the
/// analysis reads (the one that stopped sending, and the busiest for the query-path step), not
/// with the fleet: each query the step recorded, run again against the same Prometheus, names
/// no healthy service. The finding is the one above.
#[test]
fn issue_19_the_services_queries_return_only_the_services_that_matter() {
    let mut stage = Stage::healthy();
    let mut series = vec![
        service("frontend", flat(60.0), 0.1, 20.0),
        service("checkout", step_at_onset(40.0, 0.0), 0.1, 10.0),
    ];
    for i in 0..6 {
        series.push(service(&format!("healthy-{i}"), flat(20.0), 0.1, 5.0));
    }
    series.push(Pipeline::healthy(200.0).series());
    stage.series = series.concat();
    let Some(b) = start(&stage) else { return };
    let report = b.investigate(&[]).report();
    assert_eq!(
        top(&report, "service_not_sending")["subject"]["service"],
        "checkout"
    );
    let step = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "services")
        .expect("services step");
    let queries: Vec<&str> = step["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    assert!(queries.len() >= 5, "{queries:?}");
    let mut seen = std::collections::BTreeSet::new();
    for q in &queries {
        let names = instant_services(&b.prometheus.url(), q);
        assert!(
            names.iter().all(|n| n == "checkout" || n == "frontend"),
            "{q} answered {names:?}"
        );
        seen.extend(names);
    }
    assert!(seen.contains("checkout"), "{seen:?}");
}

/// The `service_name` of each series `query` returns at [`END`], asked of Prometheus directly
/// (HTTP/1.0, so the answer is not chunked).
fn instant_services(base: &str, query: &str) -> Vec<String> {
    crate::support::prometheus::instant_result(base, query, END)
        .iter()
        .map(|r| {
            r["metric"]["service_name"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// 5. A sampling rate against the policy (from the sampling-config ConfigMap)
// ---------------------------------------------------------------------------

#[test]
fn a_critical_service_sampled_at_ten_percent_breaks_the_policy() {
    let mut stage = Stage::healthy();
    stage.kube =
        stage
            .kube
            .config_map(SHOP, "sampling-config", &[("policy.yaml", SAMPLING_POLICY)]);
    let Some(b) = start(&stage) else { return };
    let report = b.investigate(&[]).report();
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment");
    assert_eq!(f["severity"], "critical");
    assert!(
        names_policy(f, "ConfigMap shop/sampling-config key policy.yaml"),
        "{}",
        f["evidence"]
    );
    assert!(f["remediation"][0]["command"].as_str().unwrap().contains(
        "deployment/payment OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=1 "
    ));
    // Only payment: the others are at 10%, within the adaptive bounds.
    assert_eq!(
        findings(&report, "sampling_misconfigured").len(),
        1,
        "{}",
        summary(&report)
    );
}

#[test]
fn the_config_files_sampling_policy_wins_over_the_configmap() {
    let mut stage = Stage::healthy();
    stage.kube =
        stage
            .kube
            .config_map(SHOP, "sampling-config", &[("policy.yaml", SAMPLING_POLICY)]);
    let Some(b) = start(&stage) else { return };
    let config = b.dir.path().join("config.yaml");
    std::fs::write(
        &config,
        "current-context: t\ncontexts:\n  t:\n    sampling:\n      critical_services: [checkout]\n",
    )
    .unwrap();
    let cfg = config.display().to_string();
    let report = b.investigate(&["--config", &cfg]).report();
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "checkout");
    assert!(names_policy(f, "the config file's sampling: block"));
    // An unknown key in the block is a usage error naming the line.
    std::fs::write(
        &config,
        "contexts:\n  t:\n    sampling:\n      critical_servics: [checkout]\n",
    )
    .unwrap();
    let run = b.investigate(&["--config", &cfg, "--context", "t"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("critical_servics"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// 5b. From a kubeconfig alone: the stack in `monitoring` is found (issue #17)
// ---------------------------------------------------------------------------

/// The Services the projects' Helm charts leave in `ns`, and one application Service in `shop`.
fn helm_services(ns: &str) -> Vec<Value> {
    let n = |v: &'static str| ("app.kubernetes.io/name", v);
    vec![
        k8s_service(
            ns,
            "otel-collector",
            &[
                n("opentelemetry-collector"),
                ("app.kubernetes.io/instance", "otel"),
            ],
            &[4317, 4318, 8888],
        ),
        k8s_service(
            ns,
            "jaeger-collector",
            &[n("jaeger"), ("app.kubernetes.io/component", "collector")],
            &[14250, 14268, 4317],
        ),
        k8s_service(
            ns,
            "jaeger-query",
            &[n("jaeger"), ("app.kubernetes.io/component", "query")],
            &[16686, 16685],
        ),
        k8s_service(
            ns,
            "prometheus-server",
            &[n("prometheus"), ("app.kubernetes.io/component", "server")],
            &[80],
        ),
        k8s_service(SHOP, "payment", &[("app", "payment")], &[8080]),
    ]
}

/// The run's arguments without `--collector-namespace`: the namespace is the discovery's to find.
fn without_collector_namespace(mut args: Vec<String>) -> Vec<String> {
    let i = args
        .iter()
        .position(|a| a == "--collector-namespace")
        .expect("args name it");
    args.drain(i..i + 2);
    args
}

#[test]
fn the_stack_namespace_is_discovered_and_its_sampling_policy_read() {
    let mut stage = Stage::healthy();
    stage.kube = stage.kube.config_map(
        MONITORING,
        "sampling-config",
        &[("policy.yaml", SAMPLING_POLICY)],
    );
    let Some(b) = start(&stage) else { return };
    let run = tracectl(&without_collector_namespace(b.args(&[])), b.dir.path());
    let report = run.report();
    let d = step(&report, "discovery");
    assert_eq!(d["status"], "ok", "{d}");
    let shown = d["queries"].to_string();
    assert!(
        shown.contains("# the stack is in monitoring: collector monitoring/otel-collector:4318 (label app.kubernetes.io/name=opentelemetry-collector), jaeger-query monitoring/jaeger-query:16686"),
        "{shown}"
    );
    // The policy is monitoring's, not the guide's defaults: payment is critical there.
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment");
    // Prometheus was given a URL: its evidence says so; the policy's is not a backend's.
    for e in f["evidence"].as_array().unwrap() {
        match e["source"].as_str() {
            Some("prometheus") => assert_eq!(e["via"], "url", "{e}"),
            _ => assert!(e.get("via").is_none(), "{e}"),
        }
    }
    assert!(
        names_policy(f, "ConfigMap monitoring/sampling-config key policy.yaml"),
        "{}",
        f["evidence"]
    );
    // The Collector's config and pods were read where the stack runs.
    let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    for p in [
        "/api/v1/namespaces/shop/configmaps/sampling-config",
        "/api/v1/namespaces/monitoring/configmaps/sampling-config",
        "/api/v1/namespaces/monitoring/configmaps/otel-collector-config",
        "/api/v1/namespaces/monitoring/pods",
    ] {
        assert!(paths.iter().any(|x| x == p), "{p} not in {paths:?}");
    }
    // -v says it too, on stderr.
    let mut verbose = without_collector_namespace(b.args(&[]));
    verbose.retain(|a| a != "-q");
    verbose.push("-v".into());
    let run = tracectl(&verbose, b.dir.path());
    assert!(
        run.stderr.contains(
            "tracing stack: namespace monitoring; collector monitoring/otel-collector:4318"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        step(&report, "config")["status"],
        "ok",
        "{}",
        step(&report, "config")
    );
}

/// Issue #17's "done when": with only `--kubeconfig`, the stack is found in `monitoring`, the
/// Collector's config and the sampling policy are read there, Prometheus and Jaeger are reached
/// through the API server's service proxy, and the service sampled against the policy ranks first.
#[test]
fn issue_17_from_a_kubeconfig_alone_prometheus_and_jaeger_are_reached_through_the_api_server() {
    let stage = stage_with_elasticsearch();
    let Some(b) = start(&stage) else { return };
    let args = b.kubeconfig_alone();
    let run = tracectl(&args, b.dir.path());
    let report = run.report();
    let d = step(&report, "discovery");
    assert_eq!(d["status"], "ok", "{d}");
    let shown = d["queries"].to_string();
    for line in [
        "# prometheus: no URL configured, reached through the API server's service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy",
        "# jaeger: no URL configured, reached through the API server's service proxy /api/v1/namespaces/monitoring/services/jaeger-query:16686/proxy",
        "# elasticsearch: no URL configured, reached through the API server's service proxy /api/v1/namespaces/monitoring/services/elasticsearch-master:9200/proxy",
    ] {
        assert!(shown.contains(line), "{line}\nnot in {shown}");
    }
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment", "{}", summary(&report));
    assert!(
        names_policy(f, "ConfigMap monitoring/sampling-config key policy.yaml"),
        "{}",
        f["evidence"]
    );
    let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        paths
            .iter()
            .any(|p| p == "/api/v1/namespaces/monitoring/configmaps/otel-collector-config"),
        "{paths:#?}"
    );
    for prefix in [
        "/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy/api/v1/",
        "/api/v1/namespaces/monitoring/services/jaeger-query:16686/proxy/api/",
        "/api/v1/namespaces/monitoring/services/elasticsearch-master:9200/proxy/",
    ] {
        assert!(
            paths.iter().any(|p| p.starts_with(prefix)),
            "{prefix}: {paths:#?}"
        );
    }
    // The steps that read Jaeger and Elasticsearch ran, through the proxy.
    for id in ["storage", "query-path"] {
        assert_eq!(
            step(&report, id)["status"],
            "ok",
            "{id}: {}",
            summary(&report)
        );
    }
    // Recorded through the proxy, replayed with no network: the same findings.
    let bundle = b.dir.path().join("bundle").display().to_string();
    let mut record = args.clone();
    record.extend(["--record".to_string(), bundle.clone()]);
    let recorded = tracectl(&record, b.dir.path()).report();
    let replay: Vec<String> = [
        "investigate",
        "data-loss",
        "--replay",
        &bundle,
        "-o",
        "json",
        "-q",
    ]
    .map(String::from)
    .to_vec();
    let replayed = tracectl(&replay, b.dir.path()).report();
    assert_eq!(
        replayed["findings"],
        recorded["findings"],
        "recorded:\n{}\nreplayed:\n{}",
        summary(&recorded),
        summary(&replayed)
    );
    assert_eq!(
        top(&replayed, "sampling_misconfigured")["subject"]["service"],
        "payment"
    );

    // `config init` writes what discovery found; that context alone gives the same report.
    let config = b.dir.path().join("tracectl.yaml").display().to_string();
    let init: Vec<String> = [
        "config",
        "init",
        "--kubeconfig",
        &b.kubeconfig.display().to_string(),
        "--config",
        &config,
        "--at",
        &END.to_string(),
    ]
    .map(String::from)
    .to_vec();
    let written = tracectl(&init, b.dir.path());
    assert_eq!(written.code, 0, "{}", written.stderr);
    for line in [
        "stack:\n    namespace: monitoring",
        "profile: mcp",
        "# prometheus: no URL here, reached through the API server at /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy",
    ] {
        assert!(
            written.stdout.contains(line),
            "{line}\nnot in:\n{}",
            written.stdout
        );
    }
    let again = tracectl(&init, b.dir.path());
    assert_eq!(
        again.code, 2,
        "an existing context needs --force: {}",
        again.stderr
    );
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let alone = quiet_json(&["investigate", "data-loss", "--config", &config]);
    let from_context = tracectl(&alone, b.dir.path()).report();
    assert_eq!(
        from_context["findings"],
        report["findings"],
        "from the context:\n{}\nfrom the kubeconfig:\n{}",
        summary(&from_context),
        summary(&report)
    );

    // For a tracectl running in the cluster, `--in-cluster` writes the cluster DNS addresses
    // and no kubeconfig (the pod's service account answers there).
    let mut init_in_cluster = init.clone();
    init_in_cluster.extend(["--context", "in-cluster", "--in-cluster"].map(String::from));
    let written = tracectl(&init_in_cluster, b.dir.path());
    assert_eq!(written.code, 0, "{}", written.stderr);
    let addresses = [
        (
            "http://prometheus-server.monitoring.svc:80",
            b.prometheus.url(),
        ),
        ("http://jaeger-query.monitoring.svc:16686", b.jaeger.url()),
        (
            "http://elasticsearch-master.monitoring.svc:9200",
            b.es.url(),
        ),
        (
            "http://otel-collector.monitoring.svc:8888",
            b.collector.url(),
        ),
        (
            "http://otel-collector.monitoring.svc:4318",
            b.collector.url(),
        ),
    ];
    for line in [
        "url: http://prometheus-server.monitoring.svc:80\n",
        "url: http://jaeger-query.monitoring.svc:16686\n",
        "url: http://elasticsearch-master.monitoring.svc:9200\n",
        "metrics_url: http://otel-collector.monitoring.svc:8888/metrics\n",
        "otlp_url: http://otel-collector.monitoring.svc:4318\n",
        "stack:\n    namespace: monitoring",
    ] {
        assert!(
            written.stdout.contains(line),
            "{line}not in:\n{}",
            written.stdout
        );
    }
    assert!(
        !written.stdout.contains("kubeconfig:"),
        "{}",
        written.stdout
    );
    assert!(!written.stdout.contains("/proxy"), "{}", written.stdout);
    // The cluster's DNS stands in: each address answered by the fixture serving it; the
    // kubeconfig stands in for the pod's service account.
    let mut text = std::fs::read_to_string(&config).unwrap();
    for (address, fixture) in &addresses {
        text = text.replace(address, fixture.trim_end_matches('/'));
    }
    let resolved = b.dir.path().join("in-cluster.yaml");
    std::fs::write(&resolved, text).unwrap();
    let in_cluster = quiet_json(&[
        "investigate",
        "data-loss",
        "--config",
        &resolved.display().to_string(),
        "--context",
        "in-cluster",
        "--kubeconfig",
        &b.kubeconfig.display().to_string(),
    ]);
    let before = b.kube.requests().len();
    let from_in_cluster = tracectl(&in_cluster, b.dir.path()).report();
    // The same findings; only the way each backend was reached (`via`) differs.
    let unreached = |r: &Value| {
        let mut f = r["findings"].clone();
        for finding in f.as_array_mut().unwrap() {
            for e in finding["evidence"].as_array_mut().unwrap() {
                e.as_object_mut().unwrap().remove("via");
            }
        }
        f
    };
    assert_eq!(
        unreached(&from_in_cluster),
        unreached(&report),
        "in the cluster:\n{}\nfrom the kubeconfig:\n{}",
        summary(&from_in_cluster),
        summary(&report)
    );
    let prom = top(&from_in_cluster, "sampling_misconfigured")["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "prometheus")
        .cloned()
        .expect("prometheus evidence");
    assert_eq!(prom["via"], "url", "{prom}");
    // Nothing went through the API server's service proxy.
    assert!(
        b.kube.requests()[before..]
            .iter()
            .all(|r| !r.path.contains("/proxy")),
        "{:#?}",
        &b.kube.requests()[before..]
    );
}

/// Issue #17: `check`, `audit` and `investigate alerts` with only `--kubeconfig` find the stack
/// too, and reach Prometheus, Jaeger and Alertmanager through the API server's service proxy.
#[test]
fn issue_17_check_audit_and_alerts_reach_the_stack_through_the_api_server() {
    let Some(am) = AlertmanagerHarness::start().expect("start Alertmanager") else {
        return;
    };
    let mut stage = Stage::healthy();
    stage.kube.services.push(k8s_service(
        MONITORING,
        "alertmanager",
        &[("app.kubernetes.io/name", "alertmanager")],
        &[9093],
    ));
    stage
        .kube
        .proxies
        .push((format!("{MONITORING}/alertmanager:9093"), am.url()));
    let Some(b) = start(&stage) else { return };
    let kubeconfig = b.kubeconfig.display().to_string();
    let proxy = |name: &str| format!("/api/v1/namespaces/monitoring/services/{name}/proxy/");
    // (command, a step that reads a proxied backend, the proxied paths it must have asked)
    let cases: [(&[&str], &str, Vec<String>); 3] = [
        (
            &["check"],
            "prometheus-ready",
            vec![
                proxy("prometheus-server:80"),
                proxy("jaeger-query:16686"),
                proxy("alertmanager:9093"),
            ],
        ),
        (
            &["audit"],
            "services",
            vec![proxy("jaeger-query:16686") + "api/services"],
        ),
        (
            &["investigate", "alerts"],
            "alerts",
            vec![proxy("alertmanager:9093") + "api/v2/alerts"],
        ),
    ];
    for (command, reads, asked) in cases {
        let before = b.kube.requests().len();
        let args = quiet_json(&[command, &["--kubeconfig", &kubeconfig]].concat());
        let run = tracectl(&args, b.dir.path());
        let report = run.report();
        let d = step(&report, "discovery");
        assert_eq!(d["status"], "ok", "{command:?}: {d}");
        assert_eq!(
            report["steps"][0]["id"], "discovery",
            "{command:?}: listed first"
        );
        let shown = d["queries"].to_string();
        assert!(
            shown.contains("# prometheus: no URL configured, reached through the API server's service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy"),
            "{command:?}: {shown}"
        );
        let st = step(&report, reads);
        assert_eq!(st["status"], "ok", "{command:?}: {st}");
        let paths: Vec<String> = b.kube.requests()[before..]
            .iter()
            .map(|r| r.path.clone())
            .collect();
        for prefix in &asked {
            assert!(
                paths.iter().any(|p| p.starts_with(prefix.as_str())),
                "{command:?}: {prefix} not in {paths:#?}"
            );
        }
    }
    // Nothing firing: investigate alerts says so, as with a URL.
    let mut args: Vec<String> = [
        "investigate",
        "alerts",
        "--kubeconfig",
        &kubeconfig,
        "-o",
        "json",
        "-q",
    ]
    .map(String::from)
    .to_vec();
    args.extend(["--at".to_string(), END.to_string()]);
    let run = tracectl(&args, b.dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.report()["diagnosis"], "no alert is firing");
}

/// Jaeger's remote sampling strategies file: payment sampled in full, frontend per operation.
const JAEGER_STRATEGIES: &str = r#"{
  "service_strategies": [
    {"service": "payment", "type": "probabilistic", "param": 1.0},
    {"service": "frontend", "type": "probabilistic", "param": 0.1,
     "operation_strategies": [{"operation": "GET /healthz", "type": "probabilistic", "param": 0.0}]}
  ],
  "default_strategy": {"type": "probabilistic", "param": 0.1}
}"#;

#[test]
fn a_jaeger_strategies_file_in_the_stack_namespace_is_the_policy() {
    let mut stage = Stage::healthy();
    stage.kube = stage.kube.config_map(
        MONITORING,
        "sampling-config",
        &[("strategies.json", JAEGER_STRATEGIES)],
    );
    let Some(b) = start(&stage) else { return };
    let report = tracectl(&without_collector_namespace(b.args(&[])), b.dir.path()).report();
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment");
    assert_eq!(f["severity"], "critical");
    assert!(
        names_policy(
            f,
            "ConfigMap monitoring/sampling-config key strategies.json"
        ),
        "{}",
        f["evidence"]
    );
    // Only payment: the others sample at the 10% default the file sets.
    let flagged = findings(&report, "sampling_misconfigured").len();
    assert_eq!(flagged, 1, "{}", summary(&report));
}

/// GOOD_CONFIG with a tail_sampling processor keeping all of payment and 10% of the rest.
fn tail_sampling_config() -> String {
    GOOD_CONFIG
        .replace(
            "  batch: {}\n",
            "  batch: {}
  tail_sampling:
    policies:
      - name: payment-all
        type: and
        and:
          and_sub_policy:
            - name: payment
              type: string_attribute
              string_attribute: {key: service.name, values: [payment]}
            - name: all
              type: probabilistic
              probabilistic: {sampling_percentage: 100}
      - name: rest
        type: probabilistic
        probabilistic: {sampling_percentage: 10}
",
        )
        .replace(
            "processors: [memory_limiter, batch]",
            "processors: [memory_limiter, tail_sampling, batch]",
        )
}

#[test]
fn without_a_sampling_configmap_the_collectors_samplers_are_the_policy() {
    let mut stage = Stage::healthy();
    let config = tail_sampling_config();
    stage.kube.config_maps.clear();
    stage.kube = stage.kube.config_map(
        MONITORING,
        "otel-collector-config",
        &[("relay", config.as_str())],
    );
    let Some(b) = start(&stage) else { return };
    let report = tracectl(&without_collector_namespace(b.args(&[])), b.dir.path()).report();
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment");
    assert_eq!(f["severity"], "critical");
    assert!(
        f["evidence"].as_array().unwrap().iter().any(|e| e["query"]
            == "configmap monitoring/otel-collector-config key relay processors tail_sampling"),
        "{}",
        f["evidence"]
    );
}

#[test]
fn with_no_other_source_the_deployments_sdk_sampler_is_the_policy() {
    let mut stage = Stage::healthy();
    // payment's pod template says to keep every trace; it reports under its SDK's name.
    stage.kube.deployments = vec![
        k8s_deployment(
            SHOP,
            "payment-api",
            &[
                ("OTEL_SERVICE_NAME", "payment"),
                ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "1.0"),
                (
                    "OTEL_EXPORTER_OTLP_HEADERS",
                    "authorization=Bearer s3cr3t-token",
                ),
            ],
        ),
        k8s_deployment(
            SHOP,
            "checkout",
            &[
                ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.1"),
            ],
        ),
    ];
    let Some(b) = start(&stage) else { return };
    let run = b.investigate(&[]);
    let report = run.report();
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment");
    assert_eq!(f["severity"], "critical");
    assert!(
        names_policy(f, "the SDK environment of deployment/payment-api in shop"),
        "{}",
        f["evidence"]
    );
    assert!(
        !run.stdout.contains("s3cr3t-token"),
        "no other variable is kept"
    );
    // checkout samples at its own 10%: within policy.
    let flagged = findings(&report, "sampling_misconfigured").len();
    assert_eq!(flagged, 1, "{}", summary(&report));
}

/// GOOD_CONFIG with a `probabilistic_sampler` keeping 10% of every trace.
fn probabilistic_sampler_config() -> String {
    GOOD_CONFIG
        .replace(
            "  batch: {}\n",
            "  batch: {}\n  probabilistic_sampler:\n    sampling_percentage: 10\n",
        )
        .replace(
            "processors: [memory_limiter, batch]",
            "processors: [memory_limiter, probabilistic_sampler, batch]",
        )
}

/// The policy in each other place it lives, with only `--kubeconfig` (applications in `shop`,
/// the stack in `monitoring`): (case, the stage, the source payment's evidence names). In each,
/// payment is the one service sampled against it.
fn policy_source_stages() -> [(&'static str, Stage, &'static str); 3] {
    // The Jaeger strategies file in monitoring: payment is to be kept in full, samples 10%.
    let mut strategies = Stage::healthy();
    strategies.kube = strategies.kube.config_map(
        MONITORING,
        "sampling-config",
        &[("strategies.json", JAEGER_STRATEGIES)],
    );
    // Only the Collector's probabilistic_sampler (10% of everything): payment's SDK keeps all.
    let mut sampler = Stage::healthy();
    sampler.kube.config_maps.clear();
    let config = probabilistic_sampler_config();
    sampler.kube = sampler.kube.config_map(
        MONITORING,
        "otel-collector-config",
        &[("relay", config.as_str())],
    );
    sampler.series = [
        service("frontend", flat(60.0), 0.1, 20.0),
        service("checkout", flat(40.0), 0.1, 10.0),
        service("payment", flat(20.0), 1.0, 5.0),
        Pipeline::healthy(120.0).series(),
    ]
    .concat();
    // Only the SDK environment of payment's Deployment in shop: 100%, and it samples 10%.
    let mut sdk = Stage::healthy();
    sdk.kube.deployments = vec![
        k8s_deployment(
            SHOP,
            "payment-api",
            &[
                ("OTEL_SERVICE_NAME", "payment"),
                ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "1.0"),
            ],
        ),
        k8s_deployment(
            SHOP,
            "checkout",
            &[
                ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.1"),
            ],
        ),
    ];
    [
        (
            "strategies file",
            strategies,
            "ConfigMap monitoring/sampling-config key strategies.json",
        ),
        (
            "probabilistic_sampler",
            sampler,
            "configmap monitoring/otel-collector-config key relay processors probabilistic_sampler",
        ),
        (
            "SDK environment",
            sdk,
            "the SDK environment of deployment/payment-api in shop",
        ),
    ]
}

/// Issue #17's "done when", for each other place the policy lives: with only `--kubeconfig`
/// (applications in `shop`, the stack in `monitoring`), the policy is read from where it is,
/// the service sampled against it ranks first, and its evidence names the source.
#[test]
fn issue_17_from_a_kubeconfig_alone_each_policy_source_ranks_the_off_policy_service_first() {
    let cases = policy_source_stages();
    for (case, stage, source) in cases {
        let Some(b) = start(&stage) else { return };
        let report = tracectl(&b.kubeconfig_alone(), b.dir.path()).report();
        let f = top(&report, "sampling_misconfigured");
        assert_eq!(f["subject"]["service"], "payment", "{case}");
        assert!(names_policy(f, source), "{case}: {}", f["evidence"]);
        // The evidence says Prometheus was reached through the API server.
        let prom = f["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == "prometheus")
            .expect("prometheus evidence");
        assert_eq!(
            prom["via"],
            "service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy",
            "{case}: {prom}"
        );
        // Only payment is off its policy.
        let flagged = findings(&report, "sampling_misconfigured").len();
        assert_eq!(flagged, 1, "{case}: {}", summary(&report));
        // Prometheus was reached through the API server: nothing named its URL.
        let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
        assert!(
            paths.iter().any(|p| p.starts_with(
                "/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy/api/v1/"
            )),
            "{case}: {paths:#?}"
        );
    }
}

/// Issue #17: `audit` reads the policy where data-loss does, with only `--kubeconfig`, and each
/// service's sampling finding names the source that holds it (a service the SDK environment does
/// not name is held by the guide's defaults).
#[test]
fn issue_17_audit_reads_the_policy_sources_data_loss_reads_and_names_each_services() {
    for (case, stage, source) in policy_source_stages() {
        let Some(b) = start(&stage) else { return };
        let report = tracectl(&b.alone(&["audit"]), b.dir.path()).report();
        let st = step(&report, "sampling-policy");
        assert_eq!(st["status"], "ok", "{case}: {st}");
        let shown = st["queries"].to_string();
        for cmd in [
            "kubectl get configmap sampling-config -n shop -o yaml",
            "kubectl get configmap sampling-config -n monitoring -o yaml",
            "kubectl get configmap otel-collector-config -n monitoring -o yaml",
            "kubectl get deployments -n shop -o yaml",
        ] {
            assert!(shown.contains(cmd), "{case}: {cmd} not in {shown}");
        }
        let off: Vec<&Value> = findings(&report, "sampling_off_policy");
        let services: Vec<&str> = off
            .iter()
            .filter_map(|f| f["subject"]["service"].as_str())
            .collect();
        assert_eq!(services, ["payment"], "{case}: {}", summary(&report));
        let policy: Vec<&Value> = off[0]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["source"] == "policy")
            .collect();
        assert_eq!(policy.len(), 1, "{case}: {}", off[0]["evidence"]);
        assert_eq!(policy[0]["query"], source, "{case}");
        assert!(
            off[0]["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("payment's policy is from {source}")),
            "{case}: {}",
            off[0]["detail"]
        );
        // Its remediation targets the namespace the kubeconfig names, where the services run.
        let fix = off[0]["remediation"][0]["command"].as_str().unwrap_or("");
        assert!(fix.ends_with("-n shop"), "{case}: {fix}");
    }
}

/// Whether finding `f`'s `policy` evidence names `source` as where its policy came from.
fn names_policy(f: &Value, source: &str) -> bool {
    f["evidence"].as_array().is_some_and(|ev| {
        ev.iter()
            .any(|e| e["source"] == "policy" && e["query"] == source)
    })
}

/// A DaemonSet as the OpenTelemetry Collector Helm chart (agent mode) renders it for release
/// `obs`: its labels, and its config mounted from the ConfigMap named after the release
/// (key `relay`), not `otel-collector-config`.
fn chart_collector_daemonset(ns: &str) -> Value {
    let name = "obs-opentelemetry-collector-agent";
    let labels = json!({"app.kubernetes.io/name": "opentelemetry-collector",
                        "app.kubernetes.io/instance": "obs", "component": "agent-collector"});
    json!({
        "metadata": {"name": name, "namespace": ns, "uid": format!("ds-{name}"),
                     "resourceVersion": "27009951", "generation": 1, "labels": labels},
        "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "opentelemetry-collector",
                                              "app.kubernetes.io/instance": "obs",
                                              "component": "agent-collector"}},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "opentelemetry-collector",
                                  "image": "otel/opentelemetry-collector-k8s:0.111.0",
                                  "args": ["--config=/conf/relay.yaml"],
                                  "volumeMounts": [{"name": "opentelemetry-collector-configmap",
                                                    "mountPath": "/conf"}]}],
                                       "volumes": [{"name": "opentelemetry-collector-configmap",
                                                    "configMap": {"name": name, "items": [
                                                        {"key": "relay", "path": "relay.yaml"}]}}]}}},
        "status": {"currentNumberScheduled": 3, "desiredNumberScheduled": 3,
                   "numberAvailable": 3, "numberMisscheduled": 0, "numberReady": 3,
                   "observedGeneration": 1, "updatedNumberScheduled": 3}
    })
}

/// Issue #17 item 1: the Collector's config is the ConfigMap its workload mounts. Installed by
/// its Helm chart, the Collector is a DaemonSet mounting `obs-opentelemetry-collector-agent`
/// (key `relay`), with no `otel-collector-config` anywhere. With only `--kubeconfig`, data-loss
/// and audit read its `probabilistic_sampler` from there and flag payment against it; without
/// the DaemonSet, nothing points at that ConfigMap and neither names it.
#[test]
fn issue_17_the_collectors_config_is_the_configmap_its_daemonset_mounts() {
    let (_, sampler, _) = policy_source_stages()
        .into_iter()
        .find(|(case, _, _)| *case == "probabilistic_sampler")
        .expect("the sampler case");
    let config = probabilistic_sampler_config();
    let mut chart = sampler.clone();
    chart.kube.config_maps.clear();
    chart.kube = chart.kube.config_map(
        MONITORING,
        "obs-opentelemetry-collector-agent",
        &[("relay", config.as_str())],
    );
    let mut unmounted = chart.clone();
    chart.kube.daemonsets = vec![chart_collector_daemonset(MONITORING)];
    let source = "configmap monitoring/obs-opentelemetry-collector-agent key relay processors probabilistic_sampler";

    let Some(b) = start(&chart) else { return };
    let report = tracectl(&b.kubeconfig_alone(), b.dir.path()).report();
    let f = top(&report, "sampling_misconfigured");
    assert_eq!(f["subject"]["service"], "payment", "{}", summary(&report));
    assert!(names_policy(f, source), "{}", f["evidence"]);
    let config_step = step(&report, "config");
    assert!(
        config_step["queries"]
            .to_string()
            .contains("kubectl get deployments,daemonsets,statefulsets -n monitoring"),
        "{config_step}"
    );
    // The DaemonSets were listed where the stack runs, and the mounted ConfigMap read.
    let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    for p in [
        "/apis/apps/v1/namespaces/monitoring/daemonsets",
        "/api/v1/namespaces/monitoring/configmaps/obs-opentelemetry-collector-agent",
    ] {
        assert!(paths.iter().any(|q| q == p), "{p} not in {paths:#?}");
    }
    let audit = tracectl(&b.alone(&["audit"]), b.dir.path()).report();
    let off = findings(&audit, "sampling_off_policy");
    let payment = off
        .iter()
        .find(|f| f["subject"]["service"] == "payment")
        .unwrap_or_else(|| panic!("payment not off policy: {}", summary(&audit)));
    assert!(
        payment["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("payment's policy is from {source}")),
        "{payment}"
    );

    // The same ConfigMap, mounted by nothing: not the Collector's, so not read.
    unmounted.kube.daemonsets.clear();
    let Some(b) = start(&unmounted) else { return };
    let report = tracectl(&b.kubeconfig_alone(), b.dir.path()).report();
    assert!(!report.to_string().contains(source), "{}", summary(&report));
    let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.ends_with("/configmaps/obs-opentelemetry-collector-agent")),
        "{paths:#?}"
    );
}

/// The stack of issue #17 with the sampling policy in `monitoring` and Elasticsearch's Service
/// as its chart labels it: every backend but the Collector reachable through the API server.
fn stage_with_elasticsearch() -> Stage {
    let mut stage = Stage::healthy();
    stage.kube = stage.kube.config_map(
        MONITORING,
        "sampling-config",
        &[("policy.yaml", SAMPLING_POLICY)],
    );
    stage.kube.services.push(k8s_service(
        MONITORING,
        "elasticsearch-master",
        &[("app.kubernetes.io/name", "elasticsearch")],
        &[9200, 9300],
    ));
    stage
}

/// Issue #17: the read-only role has `get` on `services/proxy`, not `create`, so the API server
/// refuses a POST through the proxy. With only `--kubeconfig`, the long PromQL queries go as GETs
/// with the query in the URL, and Elasticsearch's `_count` as a GET with its body in `?source=`;
/// nothing is refused and the report is the one a role that may POST gets.
#[test]
fn issue_17_a_read_only_role_reads_through_the_proxy_with_gets_alone() {
    let permissive = stage_with_elasticsearch();
    let mut read_only = permissive.clone();
    read_only.kube.read_only_proxy = true;
    // A site's sampling query that leaves out its retired services: 2 KiB of PromQL, which a
    // direct URL sends as a POST form.
    let runbooks = tempfile::tempdir().unwrap();
    let retired: Vec<String> = (0..160).map(|i| format!("retired-svc-{i}")).collect();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/data-loss.yaml"),
    )
    .unwrap();
    // The default band's (issue 19: the sampling query carries the policy).
    let plain = "rate(mcp_spans_sampled_total{service_name!~\"{{services|re}}\"}[{{rate_window}}])";
    assert!(builtin.contains(plain));
    let long = builtin.replacen(
        plain,
        &format!(
            "rate(mcp_spans_sampled_total{{service_name!~\"{{{{services|re}}}}\", service_name!~\"{}\"}}[{{{{rate_window}}}}])",
            retired.join("|")
        ),
        1,
    );
    std::fs::write(runbooks.path().join("data-loss.yaml"), long).unwrap();
    let with_runbooks = |r: &Running| {
        let mut a = r.kubeconfig_alone();
        a.extend([
            "--runbooks".to_string(),
            runbooks.path().display().to_string(),
        ]);
        a
    };
    let Some(a) = start(&permissive) else { return };
    let expected = tracectl(&with_runbooks(&a), a.dir.path()).report();
    let Some(b) = start(&read_only) else { return };
    let report = tracectl(&with_runbooks(&b), b.dir.path()).report();
    assert_eq!(summary(&report), summary(&expected));
    for id in ["services", "sampling", "collector", "storage", "query-path"] {
        assert_eq!(
            step(&report, id)["status"],
            "ok",
            "{id}: {}",
            step(&report, id)
        );
    }
    let seen = b.kube.requests();
    for r in &seen {
        assert_eq!(r.method, "GET", "{} {}", r.method, r.path);
    }
    // A PromQL query past the length a direct URL sends as a POST form went in the URL.
    let prom = "/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy/api/v1/query";
    let longest = seen
        .iter()
        .filter(|r| r.path.starts_with(prom))
        .filter_map(|r| r.query_param("query"))
        .map(|q| q.len())
        .max()
        .unwrap_or(0);
    assert!(
        longest > 1500,
        "the longest PromQL through the proxy: {longest} bytes"
    );
    // Elasticsearch's count, its body in the URL.
    let es = "/api/v1/namespaces/monitoring/services/elasticsearch-master:9200/proxy/";
    let count = seen
        .iter()
        .find(|r| r.path.starts_with(es) && r.path.ends_with("/_count"))
        .expect("a _count through the proxy");
    assert_eq!(
        count.query_param("source_content_type").as_deref(),
        Some("application/json")
    );
    let body: Value = serde_json::from_str(&count.query_param("source").unwrap()).unwrap();
    assert!(body["query"]["bool"].is_object(), "{body}");
}

/// Issue #17: a read through the API server's service proxy is retried as a direct read is. Each
/// Service's first request fails as the API server fails it while the Service has no ready
/// endpoint (503); the run reads everything all the same.
#[test]
fn issue_17_proxied_reads_are_retried_as_direct_reads_are() {
    let steady = stage_with_elasticsearch();
    let mut flaky = steady.clone();
    flaky.kube.proxy_fails_once = true;
    let Some(a) = start(&steady) else { return };
    let expected = tracectl(&a.kubeconfig_alone(), a.dir.path()).report();
    let Some(b) = start(&flaky) else { return };
    let report = tracectl(&b.kubeconfig_alone(), b.dir.path()).report();
    assert_eq!(summary(&report), summary(&expected));
    for id in ["services", "sampling", "storage", "query-path"] {
        assert_eq!(
            step(&report, id)["status"],
            "ok",
            "{id}: {}",
            step(&report, id)
        );
    }
    // Every proxied Service answered after its refusal: each was asked more than once.
    let seen = b.kube.requests();
    for svc in [
        "prometheus-server:80",
        "jaeger-query:16686",
        "elasticsearch-master:9200",
    ] {
        let prefix = format!("/api/v1/namespaces/monitoring/services/{svc}/proxy/");
        let n = seen.iter().filter(|r| r.path.starts_with(&prefix)).count();
        assert!(n >= 2, "{svc}: {n} requests");
    }
}

/// Issue #17: with no `collector.metrics_url`, the Collector's own metrics are read through the
/// API server's service proxy on its Service's metrics port (8888 by convention): with no
/// otelcol_* in Prometheus, the two scrapes find the full queue as a URL would.
#[test]
fn issue_17_the_collectors_metrics_are_reached_through_the_api_server() {
    let Some(b) = start(&saturated_queue()) else {
        return;
    };
    let mut args = b.kubeconfig_alone();
    args.extend(["--scrape-interval".to_string(), "10ms".to_string()]);
    let report = tracectl(&args, b.dir.path()).report();
    let shown = step(&report, "discovery")["queries"].to_string();
    assert!(
        shown.contains("# collector: no URL configured, reached through the API server's service proxy /api/v1/namespaces/monitoring/services/otel-collector:8888/proxy/metrics"),
        "{shown}"
    );
    let f = top(&report, "queue_saturation");
    assert_eq!(f["subject"]["resource"], "exporter/otlp/jaeger");
    assert!(
        f["title"]
            .as_str()
            .unwrap()
            .contains("20.0 spans/s dropped"),
        "{}",
        summary(&report)
    );
    let scrapes: Vec<RecordedRequest> = b
        .kube
        .requests()
        .into_iter()
        .filter(|r| {
            r.path == "/api/v1/namespaces/monitoring/services/otel-collector:8888/proxy/metrics"
        })
        .collect();
    assert_eq!(scrapes.len(), 2, "{scrapes:#?}");
    assert_eq!(
        scrapes[1].query_param("tracectl_scrape").as_deref(),
        Some("2")
    );
    // Nothing was sent to the Collector's OTLP port that way: an export is a POST.
    assert!(b.kube.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn no_stack_found_is_a_warning_with_the_hint_and_stack_namespace_names_it() {
    let mut stage = Stage::healthy();
    stage.kube = stage.kube.config_map(
        MONITORING,
        "sampling-config",
        &[("policy.yaml", SAMPLING_POLICY)],
    );
    // Nothing labelled, no well-known name: only an application.
    stage.kube.services = vec![k8s_service(SHOP, "payment", &[("app", "payment")], &[8080])];
    let Some(b) = start(&stage) else { return };
    let args = without_collector_namespace(b.args(&[]));
    let run = tracectl(&args, b.dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report();
    let d = step(&report, "discovery");
    assert_eq!(d["status"], "warning", "{d}");
    let why = d["error"].as_str().unwrap();
    assert!(
        why.starts_with("found no tracing stack (no Service labelled"),
        "{why}"
    );
    assert!(why.contains("hint: pass --stack-namespace NS"), "{why}");
    // Every well-known namespace was looked in before giving up.
    let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    for ns in ["monitoring", "observability", "tracing"] {
        let p = format!("/api/v1/namespaces/{ns}/services");
        assert!(paths.contains(&p), "{p} not in {paths:?}");
    }
    // The run went on, in the kubeconfig's namespace: the guide's defaults flag no one.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["kind"] != "sampling_misconfigured"),
        "{}",
        summary(&report)
    );

    // Named, the namespace is used even with nothing recognisable in it.
    let mut named = args.clone();
    named.extend(["--stack-namespace".to_string(), MONITORING.to_string()]);
    let report = tracectl(&named, b.dir.path()).report();
    assert_eq!(step(&report, "discovery")["status"], "ok");
    assert_eq!(
        top(&report, "sampling_misconfigured")["subject"]["service"],
        "payment"
    );
    // The same from the config context's stack.namespace.
    let config = b.dir.path().join("config.yaml");
    std::fs::write(
        &config,
        "current-context: t\ncontexts:\n  t:\n    stack: { namespace: monitoring }\n",
    )
    .unwrap();
    let mut ctx_args = args.clone();
    ctx_args.extend(["--config".to_string(), config.display().to_string()]);
    let report = tracectl(&ctx_args, b.dir.path()).report();
    assert_eq!(
        top(&report, "sampling_misconfigured")["subject"]["service"],
        "payment"
    );
    // A name that cannot be a namespace is a usage error.
    let mut bad = args;
    bad.extend(["--stack-namespace".to_string(), "Mon itoring".to_string()]);
    let run = tracectl(&bad, b.dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--stack-namespace"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// 6. A read-only index after the flood-stage disk watermark
// ---------------------------------------------------------------------------

#[test]
fn a_read_only_index_after_the_flood_stage_is_the_cause() {
    let mut stage = Stage::healthy().pipeline(Pipeline::failing_from_onset(120.0));
    stage.es.disk_percent = 96.0;
    stage.es.indices = vec![
        (
            "jaeger-span-2026-11-23".into(),
            vec!["read_only_allow_delete"],
        ),
        (
            "jaeger-span-2026-11-24".into(),
            vec!["read_only_allow_delete"],
        ),
        (TODAY.into(), vec!["read_only_allow_delete"]),
    ];
    let Some(b) = start(&stage) else { return };
    let report = b.investigate(&[]).report();
    let f = top(&report, "storage_rejections");
    assert_eq!(f["subject"]["resource"], TODAY);
    assert_eq!(f["subject"]["dependency"], "elasticsearch");
    assert!(
        f["detail"].as_str().unwrap().contains("es-data-0 96% used"),
        "{}",
        f["detail"]
    );
    let es = b.es.url();
    let cmds: Vec<&str> = f["remediation"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["command"].as_str())
        .collect();
    assert_eq!(
        cmds[0],
        format!("curl -XDELETE '{es}/jaeger-span-2026-11-23'")
    );
    assert!(
        cmds[1].starts_with(&format!("curl -XPUT '{es}/jaeger-span-*/_settings'")),
        "{cmds:?}"
    );
    assert!(cmds[1].contains("\"index.blocks.read_only_allow_delete\": null"));
    assert_eq!(report["findings"][1]["kind"], "exporter_failures");
}

// ---------------------------------------------------------------------------
// 7. The Collector is unreachable
// ---------------------------------------------------------------------------

#[test]
fn an_unreachable_collector_is_the_diagnosis() {
    let mut stage = Stage::healthy();
    // The Collector is gone: Prometheus has no otelcol_* left, and nothing listens.
    stage.series = shop();
    let Some(b) = start(&stage) else { return };
    let metrics = format!("{}/metrics", closed_port_url());
    let otlp = closed_port_url();
    let mut args = b.args(&["--collector-metrics-url", &metrics]);
    let i = args
        .iter()
        .position(|a| a == "--collector-otlp-url")
        .unwrap();
    args[i + 1] = otlp.clone();
    let report = tracectl(&args, b.dir.path()).report();
    let f = top(&report, "collector_unreachable");
    assert_eq!(f["subject"]["resource"], "otel-collector");
    assert_eq!(f["severity"], "critical");
    assert!(
        f["title"]
            .as_str()
            .unwrap()
            .contains("neither its metrics endpoint nor its OTLP receiver"),
        "{}",
        summary(&report)
    );
    assert_eq!(step(&report, "collector")["status"], "warning");
    assert_eq!(step(&report, "connectivity")["status"], "warning");
    // The TCP probe of the same port is part of this finding, not another one.
    assert!(
        !report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "network_unreachable"
                && f["subject"]["dependency"] == "otel-collector"),
        "{}",
        summary(&report)
    );
}

// ---------------------------------------------------------------------------
// 8. A risky Collector config
// ---------------------------------------------------------------------------

#[test]
fn a_risky_collector_config_is_linted_from_its_configmap() {
    let mut stage = Stage::healthy();
    stage.kube = Kube::pipeline_pods(MONITORING).config_map(
        MONITORING,
        "otel-collector-config",
        &[("relay", RISKY_CONFIG)],
    );
    let Some(b) = start(&stage) else { return };
    let report = b.investigate(&[]).report();
    let f = top(&report, "config_risk");
    assert_eq!(f["subject"]["resource"], "pipeline/traces");
    assert!(
        f["evidence"][0]["query"]
            .as_str()
            .unwrap()
            .starts_with("configmap monitoring/otel-collector-config key relay:"),
        "{}",
        f["evidence"]
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "config_risk"
                && f["subject"]["resource"] == "exporter/otlp/jaeger"),
        "the disabled queue too:\n{}",
        summary(&report)
    );
    assert!(
        b.kube
            .requests()
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/monitoring/configmaps/otel-collector-config")
    );
}

// ---------------------------------------------------------------------------
// 9. A healthy pipeline
// ---------------------------------------------------------------------------

#[test]
fn a_healthy_pipeline_has_no_finding() {
    let Some(b) = start(&Stage::healthy()) else {
        return;
    };
    let run = b.investigate(&["--service", "checkout", "--fail-on", "warning"]);
    let report = run.report();
    eprintln!("{}", summary(&report));
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] == "info"),
        "{}",
        summary(&report)
    );
    assert_eq!(report["diagnosis"], "no problem found");
    assert_eq!(report["target"]["service"], "checkout");
    for s in report["steps"].as_array().unwrap() {
        assert_eq!(s["status"], "ok", "{}", summary(&report));
    }
    assert_eq!(run.code, 0);
    // The query path checked checkout: stored, and found by Jaeger.
    let search = b
        .jaeger
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/traces")
        .expect("a Jaeger search");
    assert_eq!(search.query_param("service").as_deref(), Some("checkout"));
    assert!(
        b.kube
            .requests()
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/configmaps/checkout-config")
    );
}

// ---------------------------------------------------------------------------
// Record, then replay with no network
// ---------------------------------------------------------------------------

#[test]
fn a_recorded_run_replays_to_the_same_findings() {
    let Some(b) = start(&saturated_queue()) else {
        return;
    };
    let bundle = b.dir.path().join("bundle");
    let bundle_arg = bundle.display().to_string();
    let live = b.investigate_scraping(&["--record", &bundle_arg]).report();
    let collector_exchanges = std::fs::read_dir(bundle.join("exchanges/collector"))
        .expect("collector exchanges")
        .count();
    assert_eq!(collector_exchanges, 3, "two scrapes and the export");

    let replayed = tracectl(
        &[
            "investigate".into(),
            "data-loss".into(),
            "--replay".into(),
            bundle_arg,
            "--collector-namespace".into(),
            MONITORING.into(),
            "-o".into(),
            "json".into(),
            "-q".into(),
        ],
        b.dir.path(),
    )
    .report();
    let key = |r: &Value| -> Vec<(Value, Value, Value)> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["kind"].clone(), f["subject"].clone(), f["title"].clone()))
            .collect()
    };
    assert_eq!(key(&live), key(&replayed), "{}", summary(&replayed));
    assert_eq!(live["at"], replayed["at"]);
    let network = step(&replayed, "network");
    assert_eq!(network["status"], "skipped");
    assert_eq!(network["error"], "not recorded: TCP probes are live only");
    assert_eq!(step(&live, "network")["status"], "ok");
    for id in [
        "services",
        "collector",
        "storage",
        "query-path",
        "connectivity",
        "config",
    ] {
        assert_eq!(
            step(&live, id)["status"],
            step(&replayed, id)["status"],
            "{id}:\n{}",
            summary(&replayed)
        );
    }
}

// ---------------------------------------------------------------------------
// The command line: help, explain, usage errors (no backend needed)
// ---------------------------------------------------------------------------

#[test]
fn help_examples_explain_and_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let run = |a: &[&str]| {
        tracectl(
            &a.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            home.path(),
        )
    };
    let help = run(&["investigate", "data-loss", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Examples:"), "{}", help.stdout);
    assert!(
        help.stdout
            .contains("tracectl investigate data-loss --service checkout")
    );
    for kind in [
        "service_not_sending",
        "spans_dropped",
        "sampling_misconfigured",
        "receiver_refused",
        "processor_drops",
        "exporter_failures",
        "queue_saturation",
        "collector_unreachable",
        "collector_restarts",
        "storage_unhealthy",
        "storage_rejections",
        "storage_missing_index",
        "config_risk",
        "network_unreachable",
        "query_mismatch",
    ] {
        let out = run(&["explain", kind]);
        assert_eq!(out.code, 0, "{kind}: {}", out.stderr);
        assert!(
            out.stdout.contains("How to fix it"),
            "{kind}: {}",
            out.stdout
        );
    }
    let doc = run(&["runbooks", "show", "data-loss", "-o", "markdown"]);
    assert_eq!(doc.code, 0, "{}", doc.stderr);
    assert!(doc.stdout.contains("mcp_spans_sampled_total"));
    for bad in [
        vec!["--scrape-interval", "soon"],
        vec!["--collector-name", "Otel_Collector"],
        vec!["--es-index-prefix", "Prod*"],
    ] {
        let mut a = vec![
            "investigate",
            "data-loss",
            "--prometheus-url",
            "http://127.0.0.1:1",
        ];
        a.extend(bad.iter());
        let out = run(&a);
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
        assert!(out.stderr.contains(bad[0]), "{}", out.stderr);
    }
}
