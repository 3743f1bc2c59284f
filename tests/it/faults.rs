//! The fault-injection suite: every command × every backend it uses × every way a backend (or the
//! proxy in front of it) misbehaves ([`Fault::ALL`], served by `support/faulty.rs`).
//!
//! One cell runs the real binary with one backend misbehaving and the others healthy (fixture
//! servers answering small but valid data), or, in the `all` column, every backend misbehaving.
//! A cell passes when: nothing panicked; the command ended within its budget (`--timeout 1s
//! --command-timeout 5s`, 8s for data-loss, plus slack for process start); the report was still
//! written; the steps that need the faulty backend are `failed` with a one-line reason that names
//! the backend, says what went wrong and gives a `hint:`; steps with another source are `warning`
//! with a reason naming it (`degraded`); steps that need what a failed step finds are `skipped`
//! with a reason (`dependent`); every other step completed; and the exit code follows the
//! contract: 3 when no step completed, else 1 when a finding reaches `--fail-on` (`check` and
//! `deploy verify` default it to critical, so a component found down is 1), else 0; a deploy
//! gate (`investigate rollout`) fails closed, 3, when its metrics could not be read. A few steps
//! read nothing some faults break (a readiness probe reads only the status): [`UNAFFECTED`].
//!
//! Rows: `investigate latency|errors|data-loss|rollout|alerts`, `check`, `audit` and `deploy
//! verify`; the commands that change the cluster are not rows ([`NOT_YET`]).
//! `fault_matrix_baseline_is_healthy` runs every row with every backend healthy: every step
//! completes, so a step failing in a cell is the fault's doing.
//!
//! Time (CI budget: about 2 minutes on two cores): the [`SLOW`] faults (never answering, byte by
//! byte, 429 with `Retry-After`, the 200 MB bodies) run on one representative backend per command
//! ([`CommandSpec::slow_on`]), the others on every backend. Every fault on every column took
//! about 150s of wall time (592 cells); this way 447 cells take 60–90s. Two rows (latency,
//! errors) took 24s. The 200 MB bodies also run on every Kubernetes column ([`is_slow`]): its
//! client's cap fails them in well under a second, and it is not the live transport's.
//!
//! The matrix is printed (visible with `--nocapture`) and written to `target/fault-matrix.txt`;
//! cells run four at a time; `TRACECTL_FAULTS_ONLY=check,audit` narrows it to some rows. A cell
//! whose only problems are [`KNOWN_BUGS`] (outside this file, reported) is marked `!`.
//!
//! Also here, because they are faults too: the size cap and the per-backend bound on requests in
//! flight (`limits_*`), and a hostile backend that echoes credentials back (`secrets_*`).
//! `command_list_is_covered` fails when a command exists in `tracectl --help` without a row here.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tracectl::error::Backend;

use crate::scenarios::{
    DAY, END, HOUR, NAMESPACE, Rollout, jaeger_routes, kube_routes, rfc3339, write_kubeconfig,
};
use crate::support::faulty::{Fault, FaultyServer};
use crate::support::{FixtureServer, RecordedRequest, Response, Route};

/// `--at` of every run (the scenarios' END).
pub(crate) const AT: &str = "1795600800";
/// For the whole command (`--command-timeout`), unless its row says otherwise.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(5);

/// `--timeout`: 1s, except where reading 64 MiB before the cap cuts it off must not race the
/// request timeout on a loaded two-core machine (a debug build reads a chunked body slowly).
pub(crate) fn request_timeout(fault: Fault) -> &'static str {
    match fault {
        Fault::HugeWithLength | Fault::HugeChunked => "4s",
        _ => "1s",
    }
}
/// Process start, report rendering, a loaded CI machine.
pub(crate) const SLACK: Duration = Duration::from_secs(3);
/// What a cell may hold in memory at its peak, 200 MB bodies included.
const MAX_RSS_BYTES: u64 = 700 * 1024 * 1024;
const PARALLEL_CELLS: usize = 4;

/// A command of the matrix: its arguments (after the backends' URLs) and what each backend it
/// uses is needed for. When a backend misbehaves:
/// - `backends`: the steps that cannot complete without it, `failed` with a one-line reason that
///   names it and gives a `hint:`;
/// - `degraded`: steps with another source, which complete as `warning` (or fail, when the other
///   source misbehaves too) with a reason that names the backend;
/// - `dependent`: steps that need what a failed step would have found, `skipped` with a reason;
/// - every other step completes (`ok` or `warning`).
pub(crate) struct CommandSpec {
    pub(crate) name: &'static str,
    pub(crate) args: &'static [&'static str],
    pub(crate) backends: &'static [(Backend, &'static [&'static str])],
    degraded: &'static [(Backend, &'static [&'static str])],
    dependent: &'static [(Backend, &'static [&'static str])],
    pub(crate) exit: ExitRule,
    /// The backend the [`SLOW`] faults run on (the others' columns skip them): the one most of
    /// the command's requests go to, so a slow one tests its budget hardest.
    slow_on: Backend,
    /// `--command-timeout`.
    pub(crate) budget: Duration,
}

/// How the contract's exit codes apply to a command: 3 when no step completed; else 1 when a
/// finding at or above `--fail-on` exists; else 0.
#[derive(Clone, Copy)]
pub(crate) enum ExitRule {
    /// `--fail-on` defaults to `never` (every investigation): 0 or 3.
    NeverFails,
    /// `--fail-on` defaults to `critical` (`check`, `deploy verify`): a critical finding is 1.
    FailsOnCritical,
    /// A deploy gate (`investigate rollout`): it fails closed, 3 when one of these steps failed
    /// (its metrics could not be read), as if no step had completed.
    Gate(&'static [&'static str]),
}

const ROW: CommandSpec = CommandSpec {
    name: "",
    args: &[],
    backends: &[],
    degraded: &[],
    dependent: &[],
    exit: ExitRule::NeverFails,
    slow_on: Backend::Prometheus,
    budget: COMMAND_TIMEOUT,
};

pub(crate) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "investigate latency",
        args: &["investigate", "latency", "--service", "checkout"],
        backends: &[
            (
                Backend::Prometheus,
                &[
                    "affected-services",
                    "call-graph",
                    "slow-operations",
                    "dependencies",
                    "resources",
                ],
            ),
            (Backend::Jaeger, &["trace-compare", "traces"]),
            (Backend::Kubernetes, &["log-patterns", "recent-changes"]),
        ],
        // About 45 Prometheus queries (the call graph's ten fleet-wide signals, each now, its
        // baseline's summaries and, for latency, a day and a week ago), at most MAX_IN_FLIGHT
        // (8) at once: a silent Prometheus holds the last wave about six request timeouts, and
        // a 200 MB chunked body is read to the 64 MiB cap by every one of them (on the 2 loaded
        // cores of CI that took more than 8 s once).
        budget: Duration::from_secs(12),
        ..ROW
    },
    CommandSpec {
        name: "investigate errors",
        args: &["investigate", "errors", "--service", "checkout"],
        backends: &[
            (
                Backend::Prometheus,
                &[
                    "affected-services",
                    "call-graph",
                    "error-types",
                    "dependencies",
                    "resources",
                ],
            ),
            (Backend::Jaeger, &["trace-compare", "traces"]),
            (
                Backend::Kubernetes,
                &["log-patterns", "logs", "pod-health", "recent-changes"],
            ),
        ],
        // The most Kubernetes requests of any command: kube-rs, not the live transport, under
        // the slow faults.
        slow_on: Backend::Kubernetes,
        ..ROW
    },
    CommandSpec {
        name: "investigate data-loss",
        // Without otelcol_* series in Prometheus, the Collector is scraped twice, this far apart.
        args: &[
            "investigate",
            "data-loss",
            "--service",
            "checkout",
            "--scrape-interval",
            "1s",
        ],
        backends: &[
            (Backend::Prometheus, &["services", "sampling"]),
            (Backend::Jaeger, &["query-path"]),
            (Backend::Elasticsearch, &["storage", "query-path"]),
            (Backend::Collector, &[]),
            (Backend::Kubernetes, &[]),
        ],
        degraded: &[
            (Backend::Prometheus, &["collector", "storage", "resources"]),
            // `network` is a TCP connect: it completes, with a warning when nothing listens.
            (Backend::Collector, &["collector", "connectivity"]),
            (Backend::Kubernetes, &["config", "resources"]),
        ],
        // About 30 Prometheus queries, at most MAX_IN_FLIGHT (8) at once: a silent Prometheus
        // holds the last of them four request timeouts (4s), then the Collector is scraped
        // twice, a second apart. The default budget is 6 request timeouts (60s / 10s).
        budget: Duration::from_secs(8),
        ..ROW
    },
    CommandSpec {
        name: "investigate rollout",
        args: &["investigate", "rollout", "--service", "checkout"],
        backends: &[
            (Backend::Prometheus, &["traffic", "errors", "latency"]),
            (Backend::Kubernetes, &["rollout"]),
        ],
        dependent: &[(Backend::Kubernetes, &["traffic", "errors", "latency"])],
        exit: ExitRule::Gate(&["traffic", "errors", "latency"]),
        ..ROW
    },
    CommandSpec {
        name: "investigate alerts",
        args: &["investigate", "alerts"],
        backends: &[
            (Backend::Alertmanager, &["alerts"]),
            (
                Backend::Prometheus,
                &[
                    "HighLatency/checkout: affected-services",
                    "HighLatency/checkout: call-graph",
                    "HighLatency/checkout: slow-operations",
                    "HighLatency/checkout: dependencies",
                    "HighLatency/checkout: resources",
                ],
            ),
            (
                Backend::Jaeger,
                &[
                    "HighLatency/checkout: trace-compare",
                    "HighLatency/checkout: traces",
                ],
            ),
            (
                Backend::Kubernetes,
                &[
                    "HighLatency/checkout: log-patterns",
                    "HighLatency/checkout: recent-changes",
                ],
            ),
        ],
        slow_on: Backend::Alertmanager,
        ..ROW
    },
    CommandSpec {
        name: "check",
        args: &["check"],
        backends: &[
            (
                Backend::Prometheus,
                &[
                    "prometheus-ready",
                    "span-drop-rate",
                    "exporter-failure-rate",
                    "span-latency",
                    "jaeger-monitor",
                ],
            ),
            (Backend::Jaeger, &["jaeger-query", "jaeger-monitor"]),
            (Backend::Collector, &["collector-otlp", "collector-metrics"]),
            (Backend::Elasticsearch, &["elasticsearch-health"]),
            (Backend::Grafana, &["grafana-health"]),
            (Backend::Alertmanager, &["alertmanager-status"]),
            (Backend::Kubernetes, &["tracing-pods"]),
        ],
        exit: ExitRule::FailsOnCritical,
        ..ROW
    },
    CommandSpec {
        name: "audit",
        args: &["audit", "--service", "checkout"],
        backends: &[
            (Backend::Jaeger, &["services", "dependencies", "traces"]),
            (Backend::Prometheus, &["coverage", "sampling", "span-loss"]),
            // The sampling policy's ConfigMaps and the Deployments' SDK environment.
            (Backend::Kubernetes, &["sampling-policy"]),
        ],
        slow_on: Backend::Jaeger,
        ..ROW
    },
    CommandSpec {
        name: "deploy verify",
        args: &["deploy", "verify"],
        backends: &[
            (Backend::Kubernetes, &["pods-ready", "services"]),
            (Backend::Collector, &["otlp-export"]),
            (Backend::Jaeger, &["jaeger-ui"]),
        ],
        exit: ExitRule::FailsOnCritical,
        slow_on: Backend::Kubernetes,
        ..ROW
    },
];

/// Subcommands that are not in the matrix, each named exactly (`command_list_is_covered` fails
/// for a command in neither list, so a new subcommand needs a decision): they print a plan or a
/// result, not a report with steps, so a cell is judged on other things: exit 3, an `error:` that
/// names the backend with a `hint:`, and nothing changed in stateful fixtures. That is
/// `tests/it/faults_mutating.rs`, for a representative set (`maintain storage`, `backup`,
/// `restore`, `window` and `deploy plan|apply`, each planned and with `--yes`); the others share
/// their apply path (`maintain/mod.rs`, deploy's runner). `maintain health` and `validate` run
/// `check`'s probes, whose faults the `check` row covers; `deploy verify`, read-only, is a row.
/// `mcp` serves the rows' own entry points (`crate::investigate::run`, `check`, `audit`) over
/// stdio, so the rows are its cells; `tests/it/mcp/` checks that a failing backend reaches the
/// client as failed steps in a normal result.
const NOT_YET: &[&str] = &[
    "mcp",
    "deploy plan",
    "deploy apply",
    "deploy rollback",
    "maintain backup",
    "maintain restore",
    "maintain update",
    "maintain config",
    "maintain storage",
    "maintain scale",
    "maintain health",
    "maintain validate",
    "maintain window",
    "maintain rollback",
];

/// The faults whose cells take seconds (waiting out a timeout, a `Retry-After`, or 200 MB): they
/// run on one representative backend per command ([`CommandSpec::slow_on`]), not on every one.
/// What they test is the client's (the live transport's, or kube-rs' for Kubernetes), the same
/// for every backend of a client, and that the command still ends within its budget; the
/// representatives cover both clients.
const SLOW: &[Fault] = &[
    Fault::NeverAnswer,
    Fault::ByteByByte,
    Fault::TooManyRequests,
    Fault::HugeWithLength,
    Fault::HugeChunked,
];

/// Whether `fault` runs only on the command's representative backend. The 200 MB bodies are cheap
/// on Kubernetes, whose few requests each fail at the declared length or the cap (a silent or
/// rate-limiting API server is not: kube-rs waits it out).
fn is_slow(fault: Fault, target: Target) -> bool {
    SLOW.contains(&fault)
        && !(target == Target::One(Backend::Kubernetes)
            && matches!(fault, Fault::HugeWithLength | Fault::HugeChunked))
}

/// A problem the matrix shows that is a bug outside this file, reported and not yet fixed: its
/// cells are marked `!` and the problem listed under the matrix, without failing the test.
/// Remove the entry when the bug is fixed.
struct KnownBug {
    command: &'static str,
    /// The misbehaving backend (its column, and `all`).
    backend: Backend,
    faults: &'static [Fault],
    /// How the problem's text starts.
    problem: &'static str,
    bug: &'static str,
}

const KNOWN_BUGS: &[KnownBug] = &[];

/// The faults that answer 200 with a body that is not the API's: malformed, truncated or
/// foreign JSON, a proxy's page, Prometheus' error envelope.
const ANSWERS_200: &[Fault] = &[
    Fault::MalformedJson,
    Fault::TruncatedJson,
    Fault::WrongShape,
    Fault::HtmlPage,
    Fault::PromStatusError,
];

/// Steps that read nothing a fault breaks, so complete under it: (command, backend, step,
/// faults), each following from what the step reads.
const UNAFFECTED: &[(&str, Backend, &str, &[Fault])] = &[
    // Readiness is the status of `GET /-/ready`: its body is free text.
    (
        "check",
        Backend::Prometheus,
        "prometheus-ready",
        ANSWERS_200,
    ),
    // An empty OTLP export is accepted by a 2xx: OTLP/HTTP's full success may have an empty
    // body, so one the client cannot read is no failure.
    ("check", Backend::Collector, "collector-otlp", ANSWERS_200),
    (
        "deploy verify",
        Backend::Collector,
        "otlp-export",
        ANSWERS_200,
    ),
    (
        "investigate data-loss",
        Backend::Collector,
        "connectivity",
        ANSWERS_200,
    ),
    // The Jaeger UI is any page that answers 2xx.
    ("deploy verify", Backend::Jaeger, "jaeger-ui", ANSWERS_200),
    // `{"status":"error",...}` reads as a cluster health of an unknown colour: `check` reports
    // it as a component_degraded finding; data-loss's storage step keeps it beside the views
    // that failed, as a warning.
    (
        "check",
        Backend::Elasticsearch,
        "elasticsearch-health",
        &[Fault::PromStatusError],
    ),
    (
        "investigate data-loss",
        Backend::Elasticsearch,
        "storage",
        &[Fault::PromStatusError],
    ),
];

// ---------------------------------------------------------------------------
// Healthy backends
// ---------------------------------------------------------------------------

/// A Prometheus answering every query with one small sample (every label a step reads is set),
/// and every range query with one short series: 0 for what counts failures (refused, dropped,
/// failed sends, errors), so that a healthy stack has no critical finding; 0.25 otherwise.
pub fn healthy_prometheus() -> Vec<Route> {
    let metric = json!({
        "service_name": "checkout", "operation_name": "GET /cart",
        "dependency_service_name": "postgres", "pod": "checkout-7d9f-abc",
    });
    let answer = move |req: &RecordedRequest, range: bool| {
        let form = url::form_urlencoded::parse(&req.body)
            .find(|(k, _)| k == "query")
            .map(|(_, v)| v.into_owned());
        let query = req.query_param("query").or(form).unwrap_or_default();
        let failures = ["refused", "dropped", "failed", "error", "5..", "5xx"];
        let v = if failures.iter().any(|f| query.contains(f)) {
            "0"
        } else {
            "0.25"
        };
        let data = if range {
            json!({"resultType": "matrix", "result": [{"metric": metric,
                "values": [[1_795_600_740, v], [1_795_600_800, v]]}]})
        } else {
            json!({"resultType": "vector", "result": [{"metric": metric,
                "value": [1_795_600_800, v]}]})
        };
        Response::json(200, &json!({"status": "success", "data": data}))
    };
    let instant = answer.clone();
    vec![
        Route::new("*", "/api/v1/query_range").respond_with(move |req| answer(req, true)),
        Route::new("*", "/api/v1/query").respond_with(move |req| instant(req, false)),
        Route::get("/-/ready").respond(Response::text(200, "Prometheus Server is Ready.\n")),
    ]
}

/// Jaeger's query-service envelope.
fn envelope(data: Value) -> Value {
    json!({"data": data, "total": 0, "limit": 0, "offset": 0, "errors": null})
}

/// A Jaeger query service knowing checkout, with no trace to find, and its UI.
fn healthy_jaeger() -> Vec<Route> {
    let mut routes = vec![
        Route::get("/api/dependencies").respond(Response::json(
            200,
            &envelope(json!([{"parent": "checkout", "child": "postgres", "callCount": 40}])),
        )),
        Route::get("/api/operations").respond(Response::json(
            200,
            &envelope(json!([{"name": "GET /cart", "spanKind": "server"}])),
        )),
        Route::get("/api/metrics/calls").respond(Response::json(
            200,
            &json!({"name": "service_call_rate", "type": "GAUGE",
                    "help": "calls/sec, grouped by service",
                    "metrics": [{"labels": [{"name": "service_name", "value": "checkout"}],
                                 "metricPoints": [{"gaugeValue": {"doubleValue": 5.0},
                                                   "timestamp": rfc3339(END)}]}]}),
        )),
        Route::get("/").respond(
            Response::new(200)
                .header("content-type", "text/html")
                .body("<!doctype html><title>Jaeger UI</title>"),
        ),
    ];
    routes.extend(jaeger_routes(Vec::new()));
    // Before jaeger_routes' empty service list.
    routes.insert(
        0,
        Route::get("/api/services").respond(Response::json(
            200,
            &json!({"data": ["checkout"], "total": 1, "limit": 0, "offset": 0, "errors": null}),
        )),
    );
    routes
}

/// A green Elasticsearch holding today's Jaeger span index.
fn healthy_elasticsearch() -> Vec<Route> {
    let today = "jaeger-span-2026-11-25";
    let total: u64 = 100 << 30;
    vec![
        Route::get("/_cluster/health").respond(Response::json(
            200,
            &json!({"cluster_name": "jaeger", "status": "green", "timed_out": false,
                    "number_of_nodes": 1, "number_of_data_nodes": 1,
                    "active_primary_shards": 5, "active_shards": 5, "relocating_shards": 0,
                    "initializing_shards": 0, "unassigned_shards": 0,
                    "delayed_unassigned_shards": 0, "number_of_pending_tasks": 0,
                    "number_of_in_flight_fetch": 0, "task_max_waiting_in_queue_millis": 0,
                    "active_shards_percent_as_number": 100.0}),
        )),
        // `*` ends a route pattern as a prefix: these match the wildcard paths tracectl sends.
        Route::get("/_cat/indices/*jaeger-span*").respond(Response::json(
            200,
            &json!([{"index": today, "health": "green", "status": "open",
                     "docs.count": "18233411", "store.size": "9876543210",
                     "creation.date": "1795564800000"}]),
        )),
        Route::get("/*jaeger-span*/_settings/index.blocks.*")
            .respond(Response::json(200, &json!({today: {"settings": {}}}))),
        Route::get("/_cat/thread_pool/write").respond(Response::json(
            200,
            &json!([{"node_name": "es-0", "name": "write", "active": "1", "queue": "0", "rejected": "0"}]),
        )),
        Route::get("/_cat/allocation").respond(Response::json(
            200,
            &json!([{"shards": "5", "disk.indices": "1073741824", "disk.used": "10737418240",
                     "disk.avail": (total - (10 << 30)).to_string(), "disk.total": total.to_string(),
                     "disk.percent": "10", "host": "10.0.0.10", "ip": "10.0.0.10",
                     "node": "es-0", "node.role": "cdfhilmrstw"}]),
        )),
        Route::get("/_cluster/settings").respond(Response::json(
            200,
            &json!({"defaults": {
                "cluster.routing.allocation.disk.watermark.low": "85%",
                "cluster.routing.allocation.disk.watermark.high": "90%",
                "cluster.routing.allocation.disk.watermark.flood_stage": "95%"
            }}),
        )),
        Route::post("/*jaeger-span*/_count").respond(Response::json(
            200,
            &json!({"count": 0, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}),
        )),
    ]
}

/// The Collector's own metrics (at `/metrics`) and its OTLP/HTTP receiver.
fn healthy_collector() -> Vec<Route> {
    vec![
        Route::post("/v1/traces").respond(Response::json(200, &json!({"partialSuccess": {}}))),
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

/// The alert `investigate alerts` reads: the latency runbook answers it, for checkout.
const FIRING_ALERT: &str = "HighLatency";

fn healthy_alertmanager() -> Vec<Route> {
    vec![
        Route::get("/api/v2/status").respond(Response::json(
            200,
            &json!({"cluster": {"status": "ready", "name": "01HX", "peers": []},
                    "versionInfo": {"version": "0.27.0"}, "uptime": rfc3339(END - DAY)}),
        )),
        Route::get("/api/v2/alerts").respond(Response::json(
            200,
            &json!([{"labels": {"alertname": FIRING_ALERT, "service_name": "checkout",
                                "severity": "warning"},
                     "annotations": {"summary": "checkout p95 above 1s"},
                     "fingerprint": "4c7f0e1d2b3a5968", "startsAt": rfc3339(END - 600),
                     "endsAt": rfc3339(END + 600), "generatorURL": "http://prometheus/graph",
                     "status": {"state": "active", "silencedBy": [], "inhibitedBy": []}}]),
        )),
    ]
}

fn healthy_grafana() -> Vec<Route> {
    vec![Route::get("/api/health").respond(Response::json(
        200,
        &json!({"commit": "087143285", "database": "ok", "version": "11.3.0"}),
    ))]
}

/// A ready pod of `app` in the namespace.
fn ready_pod(app: &str, name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": {"app": app},
                     "creationTimestamp": rfc3339(END - 2 * DAY)},
        "spec": {"nodeName": "node-a", "containers": [{
            "name": app, "image": format!("registry.example/{app}:1.0"),
            "resources": {"limits": {"cpu": "1", "memory": "2Gi"}, "requests": {"memory": "1Gi"}}
        }]},
        "status": {"phase": "Running", "startTime": rfc3339(END - 2 * DAY),
            "containerStatuses": [{
                "name": app, "image": format!("registry.example/{app}:1.0"),
                "imageID": format!("registry.example/{app}@sha256:0"),
                "ready": true, "restartCount": 0, "started": true,
                "lastState": {}, "state": {"running": {"startedAt": rfc3339(END - 2 * DAY)}}
            }]}
    })
}

/// An API server with the tracing stack's pods (ready) and Services, no events, checkout's
/// Deployment rolled out an hour ago, and a 404 for every other named object.
fn healthy_kubernetes() -> Vec<Route> {
    let list = |kind: &str, items: Vec<Value>| {
        Response::json(
            200,
            &json!({"apiVersion": "v1", "kind": kind, "metadata": {"resourceVersion": "1"}, "items": items}),
        )
    };
    let pods = [
        ready_pod("otel-collector", "otel-collector-6d8f9c7b5-x2x7q"),
        ready_pod("jaeger", "jaeger-query-5f7d8c9b4-k8m2p"),
    ];
    let mut routes = vec![
        // Filtered by an `app=NAME` selector.
        Route::get(&format!("/api/v1/namespaces/{NAMESPACE}/pods")).respond_with(
            move |req: &RecordedRequest| {
                let selector = req.query_param("labelSelector").unwrap_or_default();
                let app = |p: &Value| {
                    format!(
                        "app={}",
                        p["metadata"]["labels"]["app"].as_str().unwrap_or_default()
                    )
                };
                let items = pods
                    .iter()
                    .filter(|p| selector.is_empty() || app(p) == selector)
                    .cloned()
                    .collect();
                list("PodList", items)
            },
        ),
        Route::get(&format!("/api/v1/namespaces/{NAMESPACE}/events"))
            .respond(list("EventList", Vec::new())),
    ];
    for svc in ["otel-collector", "jaeger-query"] {
        routes.push(
            Route::get(&format!("/api/v1/namespaces/{NAMESPACE}/services/{svc}")).respond(
                Response::json(
                    200,
                    &json!({"apiVersion": "v1", "kind": "Service",
                            "metadata": {"name": svc, "namespace": NAMESPACE},
                            "spec": {"ports": [{"port": 4318}]}}),
                ),
            ),
        );
    }
    // The Collector's config, as its Helm chart names it (`investigate data-loss` lints it).
    let config = "receivers:\n  otlp:\n    protocols:\n      http: {}\nprocessors:\n  memory_limiter:\n    check_interval: 1s\n    limit_percentage: 80\n    spike_limit_percentage: 25\n  batch: {}\nexporters:\n  otlp/jaeger:\n    endpoint: jaeger-collector:4317\n    sending_queue:\n      enabled: true\n    retry_on_failure:\n      enabled: true\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [memory_limiter, batch]\n      exporters: [otlp/jaeger]\n";
    routes.push(
        Route::get(&format!(
            "/api/v1/namespaces/{NAMESPACE}/configmaps/otel-collector-config"
        ))
        .respond(Response::json(
            200,
            &json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"relay": config},
                    "metadata": {"name": "otel-collector-config", "namespace": NAMESPACE,
                                 "resourceVersion": "27009817",
                                 "creationTimestamp": rfc3339(END - 30 * DAY)}}),
        )),
    );
    let checkout = Rollout::new("checkout", 2)
        .revision(6, END - 2 * DAY, "1.8.0")
        .revision(7, END - HOUR, "1.9.0");
    routes.extend(kube_routes(NAMESPACE, &[checkout], &[]));
    routes
}

fn healthy_routes(backend: Backend) -> Vec<Route> {
    match backend {
        Backend::Prometheus => healthy_prometheus(),
        Backend::Jaeger => healthy_jaeger(),
        Backend::Elasticsearch => healthy_elasticsearch(),
        Backend::Collector => healthy_collector(),
        Backend::Alertmanager => healthy_alertmanager(),
        Backend::Grafana => healthy_grafana(),
        Backend::Kubernetes => healthy_kubernetes(),
        // No command's cell swaps Jaeger for Tempo; `tempo.rs` has Tempo's faults.
        Backend::Tempo => crate::support::tempo_api::tempo_routes(Vec::new(), Default::default()),
    }
}

pub(crate) enum Server {
    Healthy(FixtureServer),
    Faulty(FaultyServer),
    /// [`Fault::Refuse`]: a port bound and never listened on, held for the whole cell. (The
    /// faulty server releases its port, which the ~20 servers of the cells running beside it
    /// may then be given: the client would reach one of them.)
    Closed {
        _bound: tokio::net::TcpSocket,
        url: String,
    },
}

impl Server {
    pub(crate) fn start(fault: Fault) -> Server {
        if fault != Fault::Refuse {
            return Server::Faulty(FaultyServer::start(fault));
        }
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind("127.0.0.1:0".parse().unwrap())
            .expect("bind a closed port");
        let url = format!("http://{}", socket.local_addr().expect("its address"));
        Server::Closed {
            _bound: socket,
            url,
        }
    }

    pub(crate) fn url(&self) -> String {
        match self {
            Server::Healthy(s) => s.url(),
            Server::Faulty(s) => s.url(),
            Server::Closed { url, .. } => url.clone(),
        }
    }
}

// ---------------------------------------------------------------------------
// Running one cell
// ---------------------------------------------------------------------------

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub peak_rss: u64,
}

fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Runs tracectl in a clean environment (`HOME` = `home`, no inherited `TRACECTL_*`), sampling
/// its resident memory while it runs; killed after a minute, which fails any cell.
pub fn run_tracectl(args: &[String], env: &[(&str, &str)], home: &Path) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tracectl");
    let pid = child.id();
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let mut peak_rss = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for tracectl") {
            break status;
        }
        peak_rss = peak_rss.max(rss_of(pid).unwrap_or(0));
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break child.wait().expect("reap tracectl");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned(),
        elapsed,
        peak_rss,
    }
}

/// Which backends misbehave in a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Every backend healthy: the baseline the other cells are judged against.
    None,
    One(Backend),
    All,
}

impl Target {
    fn label(self) -> String {
        match self {
            Target::None => "none".into(),
            Target::One(b) => b.name().to_string(),
            Target::All => "all".into(),
        }
    }

    fn hits(self, b: Backend) -> bool {
        self == Target::All || self == Target::One(b)
    }
}

/// What an affected step's error must say about the fault (any of these, lowercase): the kind of
/// failure a user reads before the hint.
pub(crate) fn expected_reason(fault: Fault, backend: Backend) -> &'static [&'static str] {
    if backend == Backend::Kubernetes {
        // kube-rs, not the live transport, talks to Kubernetes: its decode errors do not keep
        // the body. Its own retry of 429/503 is off, so they read as what they were, with the
        // Retry-After (issue 20; it used to read "timed out"). Its bodies are capped like the
        // live transport's (`connect.rs`).
        match fault {
            Fault::TooManyRequests => return &["http 429: rate limit exceeded (retry-after: 1)"],
            Fault::HtmlPage => return &["html", "unexpected response"],
            _ => {}
        }
    }
    match fault {
        Fault::Refuse => &["unreachable"],
        Fault::NeverAnswer | Fault::ByteByByte => &["timed out"],
        Fault::Status(500) => &["http 500"],
        Fault::Status(502) => &["http 502"],
        Fault::Status(503) => &["http 503"],
        Fault::Status(_) => &["http"],
        Fault::TooManyRequests => &["http 429"],
        Fault::MalformedJson | Fault::TruncatedJson | Fault::WrongShape => &["unexpected response"],
        Fault::HtmlPage => &["html"],
        Fault::PromStatusError if backend == Backend::Prometheus => &["execution: query"],
        Fault::PromStatusError => &["unexpected response"],
        Fault::HugeWithLength | Fault::HugeChunked => &["response larger than"],
        Fault::ResetMidBody => &["unreachable"],
        Fault::TlsHandshake => &["tls"],
    }
}

struct Cell {
    command: &'static str,
    target: Target,
    fault: Fault,
    problems: Vec<String>,
    /// Problems that are [`KNOWN_BUGS`].
    known: Vec<String>,
    elapsed: Duration,
}

fn run_cell(cmd: &CommandSpec, target: Target, fault: Fault) -> Cell {
    let home = tempfile::Builder::new()
        .prefix("tracectl-fault-")
        .tempdir()
        .expect("tempdir");
    let (servers, mut args) = start_backends(cmd, home.path(), |b| target.hits(b).then_some(fault));
    args.extend(
        [
            "--at",
            AT,
            "--timeout",
            request_timeout(fault),
            "--command-timeout",
            &format!("{}s", cmd.budget.as_secs()),
            "-o",
            "json",
            "-q",
        ]
        .map(String::from),
    );
    let run = run_tracectl(&args, &[], home.path());
    drop(servers);
    let (known, problems) = judge(cmd, target, fault, &run).into_iter().partition(|p| {
        KNOWN_BUGS.iter().any(|k| {
            k.command == cmd.name
                && target.hits(k.backend)
                && k.faults.contains(&fault)
                && p.starts_with(k.problem)
        })
    });
    Cell {
        command: cmd.name,
        target,
        fault,
        problems,
        known,
        elapsed: run.elapsed,
    }
}

/// A server for each backend `cmd` uses, misbehaving as `fault_of` says (`None`: healthy), and
/// the command's arguments pointing at them (a kubeconfig in `home` for Kubernetes).
pub(crate) fn start_backends(
    cmd: &CommandSpec,
    home: &Path,
    fault_of: impl Fn(Backend) -> Option<Fault>,
) -> (Vec<Server>, Vec<String>) {
    let mut servers = Vec::new();
    let mut args: Vec<String> = cmd.args.iter().map(|s| s.to_string()).collect();
    for (backend, _) in cmd.backends {
        let server = match fault_of(*backend) {
            Some(f) => Server::start(f),
            None => Server::Healthy(FixtureServer::start(healthy_routes(*backend))),
        };
        match backend {
            Backend::Kubernetes => {
                let kubeconfig = write_kubeconfig(home, &server.url(), NAMESPACE);
                args.extend([
                    "--kubeconfig".into(),
                    kubeconfig.display().to_string(),
                    "-n".into(),
                    NAMESPACE.into(),
                ]);
            }
            // One server stands for both of the Collector's endpoints.
            Backend::Collector => args.extend([
                "--collector-metrics-url".into(),
                format!("{}/metrics", server.url()),
                "--collector-otlp-url".into(),
                server.url(),
            ]),
            _ => args.extend([backend.flag().to_string(), server.url()]),
        }
        servers.push(server);
    }
    (servers, args)
}

/// Everything wrong with one cell's run; empty when it passes.
fn judge(cmd: &CommandSpec, target: Target, fault: Fault, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    if run.stderr.contains("panicked") || run.code == Some(101) {
        problems.push(format!("panicked: {}", run.stderr.trim()));
    }
    if run.elapsed > cmd.budget + SLACK {
        problems.push(format!(
            "took {:.1}s, over the {}s budget",
            run.elapsed.as_secs_f64(),
            (cmd.budget + SLACK).as_secs()
        ));
    }
    if run.peak_rss > MAX_RSS_BYTES {
        problems.push(format!("peak RSS {} MiB", run.peak_rss >> 20));
    }
    let report: Value = match serde_json::from_str(&run.stdout) {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!(
                "no JSON report ({e}); exit {:?}; stderr: {}",
                run.code,
                run.stderr.trim()
            ));
            return problems;
        }
    };
    let steps = report["steps"].as_array().cloned().unwrap_or_default();
    if steps.is_empty() {
        problems.push("the report has no steps".into());
    }
    // The backends of `list` that misbehave in this cell, in a way that matters to step `id`.
    let hit = |list: &[(Backend, &[&str])], id: &str| -> Vec<Backend> {
        list.iter()
            .filter(|(b, steps)| target.hits(*b) && steps.contains(&id))
            .filter(|(b, _)| {
                !UNAFFECTED
                    .iter()
                    .any(|u| u.0 == cmd.name && u.1 == *b && u.2 == id && u.3.contains(&fault))
            })
            .map(|(b, _)| *b)
            .collect()
    };
    let mut any_completed = false;
    let mut failed = Vec::new();
    for step in &steps {
        let id = step["id"].as_str().unwrap_or_default();
        let status = step["status"].as_str().unwrap_or_default();
        let error = step["error"].as_str().unwrap_or_default();
        if status == "failed" {
            failed.push(id);
        }
        let needs = hit(cmd.backends, id);
        let dependent = hit(cmd.dependent, id);
        let degraded = hit(cmd.degraded, id);
        let (blamed, completes) = if !dependent.is_empty() {
            if status != "skipped" || error.is_empty() {
                problems.push(format!(
                    "step {id} needs what a failed step finds: should be skipped with a reason, is {status}: {error}"
                ));
            }
            continue;
        } else if !needs.is_empty() {
            if status != "failed" {
                problems.push(format!("step {id} should be failed, is {status}"));
                continue;
            }
            (needs, false)
        } else if !degraded.is_empty() {
            // Failed only when its other sources misbehave too.
            if !(status == "warning" || status == "failed" && target == Target::All) {
                problems.push(format!(
                    "step {id} should complete with a warning that its {} source failed, is {status}",
                    degraded[0]
                ));
                continue;
            }
            (degraded, status == "warning")
        } else {
            if matches!(status, "ok" | "warning") {
                any_completed = true;
            } else {
                problems.push(format!(
                    "step {id} should complete but is {status}: {error}"
                ));
            }
            continue;
        };
        any_completed |= completes;
        problems.extend(
            judge_reason(error, &blamed, fault, target, !completes)
                .into_iter()
                .map(|p| format!("step {id}: {p}")),
        );
    }
    let has_critical = report["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["severity"] == "critical"));
    if target == Target::None && has_critical && matches!(cmd.exit, ExitRule::FailsOnCritical) {
        problems.push(format!(
            "a healthy run has a critical finding: {}",
            report["diagnosis"]
        ));
    }
    let expected_code = match cmd.exit {
        _ if !any_completed => 3,
        ExitRule::Gate(required) if required.iter().any(|r| failed.contains(r)) => 3,
        ExitRule::FailsOnCritical if has_critical => 1,
        _ => 0,
    };
    if run.code != Some(expected_code) {
        problems.push(format!(
            "exit {:?}, the contract says {expected_code}; stderr: {}",
            run.code,
            run.stderr.trim()
        ));
    }
    problems
}

/// What is wrong with the reason a step gives for a misbehaving backend (`hint` when it failed).
fn judge_reason(
    error: &str,
    blamed: &[Backend],
    fault: Fault,
    target: Target,
    hint: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = error.to_lowercase();
    if error.contains('\n') || error.is_empty() {
        problems.push(format!("the reason is not one line: {error:?}"));
    }
    if !blamed.iter().any(|b| lower.contains(b.name())) {
        problems.push(format!("the reason names no backend: {error}"));
    }
    if hint && !lower.contains("hint:") {
        problems.push(format!("the reason says nothing to check: {error}"));
    }
    let mut want = blamed
        .iter()
        .flat_map(|b| expected_reason(fault, *b).iter())
        .collect::<Vec<_>>();
    if target == Target::All && matches!(fault, Fault::HugeWithLength | Fault::HugeChunked) {
        // Every backend streaming 200 MB at once on two cores: the request timeout may cut a
        // body off before the size cap does. Either bounds it; the RSS check still holds.
        want.push(&"timed out");
    }
    if !want.iter().any(|w| lower.contains(*w)) {
        problems.push(format!("expected one of {want:?} in: {error}"));
    }
    problems
}

// ---------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------

/// The matrix's columns; `TRACECTL_FAULTS_ONLY=check,audit` narrows them to those commands
/// while working on a row.
fn columns() -> Vec<(&'static CommandSpec, Target)> {
    let only = std::env::var("TRACECTL_FAULTS_ONLY").unwrap_or_default();
    let only: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut cols = Vec::new();
    for cmd in COMMANDS
        .iter()
        .filter(|c| only.is_empty() || only.contains(&c.name))
    {
        for (b, _) in cmd.backends {
            cols.push((cmd, Target::One(*b)));
        }
        cols.push((cmd, Target::All));
    }
    cols
}

fn render_matrix(cells: &[Cell]) -> String {
    let cols = columns();
    let headers: Vec<String> = cols
        .iter()
        .map(|(c, t)| format!("{} / {}", c.name, t.label()))
        .collect();
    let first = Fault::ALL
        .iter()
        .map(|f| f.name().len())
        .max()
        .unwrap_or(10);
    let mut out = format!("{:first$}", "fault \\ command / backend");
    for h in &headers {
        out.push_str(&format!(" | {h}"));
    }
    out.push('\n');
    out.push_str(&"-".repeat(out.chars().count() - 1));
    out.push('\n');
    for fault in Fault::ALL {
        out.push_str(&format!("{:first$}", fault.name()));
        for ((cmd, target), h) in cols.iter().zip(&headers) {
            let cell = cells
                .iter()
                .find(|c| c.command == cmd.name && c.target == *target && c.fault == fault);
            let mark = match cell {
                Some(c) if !c.problems.is_empty() => "✗".to_string(),
                Some(c) if !c.known.is_empty() => {
                    format!("! {:.1}s", c.elapsed.as_secs_f64())
                }
                Some(c) => format!("✓ {:.1}s", c.elapsed.as_secs_f64()),
                None => "-".to_string(),
            };
            out.push_str(&format!(" | {mark:<w$}", w = h.chars().count()));
        }
        out.push('\n');
    }
    out.push_str(
        "\n✓ passed   ! passed but for a known bug (below)   ✗ failed   \
         - not run: a slow fault, run on the command's representative backend only\n",
    );
    let failed: Vec<&Cell> = cells.iter().filter(|c| !c.problems.is_empty()).collect();
    let known = cells
        .iter()
        .filter(|c| c.problems.is_empty() && !c.known.is_empty())
        .count();
    out.push_str(&format!(
        "\n{} cells, {} passed, {known} with a known bug, {} failed\n",
        cells.len(),
        cells.len() - failed.len() - known,
        failed.len()
    ));
    for k in KNOWN_BUGS {
        let hit: Vec<String> = cells
            .iter()
            .filter(|c| c.command == k.command && c.known.iter().any(|p| p.starts_with(k.problem)))
            .map(|c| format!("{} / {}", c.target.label(), c.fault.name()))
            .collect();
        if !hit.is_empty() {
            out.push_str(&format!(
                "\n! {} ({}): {}\n    {}\n",
                k.command,
                hit.join(", "),
                k.problem,
                k.bug
            ));
        }
    }
    for c in failed {
        out.push_str(&format!(
            "\n✗ {} / {} / {}:\n",
            c.command,
            c.target.label(),
            c.fault.name()
        ));
        for p in &c.problems {
            out.push_str(&format!("    - {p}\n"));
        }
    }
    out
}

fn matrix_path() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("target"))
        .join("fault-matrix.txt")
}

#[test]
fn fault_matrix() {
    let _one_matrix_at_a_time = crate::support::matrix_lock();
    let mut work = Vec::new();
    for (cmd, target) in columns() {
        for fault in Fault::ALL {
            if !is_slow(fault, target) || target == Target::One(cmd.slow_on) {
                work.push((cmd, target, fault));
            }
        }
    }
    // The slowest cells first (workers pop from the end), so four workers finish together.
    work.sort_by_key(|(_, t, f)| {
        let slow = SLOW.contains(f) || matches!(f, Fault::Status(502 | 503));
        (slow, *t == Target::All)
    });
    let started = Instant::now();
    let cells = crate::support::run_cells(work, PARALLEL_CELLS, |(cmd, target, fault)| {
        run_cell(cmd, target, fault)
    });
    let mut text = render_matrix(&cells);
    text.push_str(&format!(
        "\nwall time {:.1}s, {PARALLEL_CELLS} cells at a time\nnot in the matrix (see NOT_YET): {}\n",
        started.elapsed().as_secs_f64(),
        NOT_YET.join(", ")
    ));
    println!("\n{text}");
    let path = matrix_path();
    if let Err(e) = std::fs::write(&path, &text) {
        eprintln!("cannot write {}: {e}", path.display());
    }
    assert!(
        cells.iter().all(|c| c.problems.is_empty()),
        "fault matrix has failing cells:\n{text}"
    );
}

/// With every backend healthy, every row's command completes every step and exits 0: what the
/// matrix's cells are judged against (a step that cannot complete here would hide a fault).
#[test]
fn fault_matrix_baseline_is_healthy() {
    let runs: Vec<_> = COMMANDS
        .iter()
        .map(|cmd| std::thread::spawn(move || run_cell(cmd, Target::None, Fault::Refuse)))
        .collect();
    let mut problems = Vec::new();
    for r in runs {
        let cell = r.join().expect("baseline run");
        problems.extend(
            cell.problems
                .iter()
                .map(|p| format!("{}: {p}", cell.command)),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every runbook command in `tracectl --help` has a row in [`COMMANDS`]: a command added without
/// one fails here, naming it.
#[test]
fn command_list_is_covered() {
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tracectl"))
            .args(args)
            .arg("--help")
            .env("NO_COLOR", "1")
            .output()
            .expect("tracectl --help");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let subcommands = |text: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  ") || l.trim().is_empty())
            // Continuation lines of a wrapped description are indented further.
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|c| c != "help")
            .collect()
    };
    // Commands that talk to no backend.
    const OFFLINE: &[&str] = &["explain", "runbooks", "config", "completions"];
    let mut found = BTreeMap::new();
    for top in subcommands(&help(&[])) {
        if OFFLINE.contains(&top.as_str()) {
            continue;
        }
        let subs = subcommands(&help(&[&top]));
        if subs.is_empty() {
            found.insert(top.clone(), ());
        } else {
            for s in subs {
                found.insert(format!("{top} {s}"), ());
            }
        }
    }
    let missing: Vec<&String> = found
        .keys()
        .filter(|name| !COMMANDS.iter().any(|c| c.name == name.as_str()))
        .filter(|name| {
            !NOT_YET
                .iter()
                .any(|n| name.as_str() == *n || name.starts_with(&format!("{n} ")))
        })
        .collect();
    let pending: Vec<&String> = found
        .keys()
        .filter(|name| !COMMANDS.iter().any(|c| c.name == name.as_str()))
        .collect();
    if !pending.is_empty() {
        println!("commands not in the fault matrix yet: {pending:?}");
    }
    assert!(
        missing.is_empty(),
        "commands without a row in the fault matrix (tests/it/faults.rs COMMANDS): {missing:?}"
    );
}

/// The faulty server does what each fault says, seen from a plain client.
#[test]
fn faulty_server_misbehaves_as_told() {
    use std::io::Write;
    let ask = |server: &FaultyServer| -> std::io::Result<Vec<u8>> {
        let addr = server.url().rsplit('/').next().unwrap().to_string();
        let mut s = std::net::TcpStream::connect(&addr)?;
        s.set_read_timeout(Some(Duration::from_millis(500)))?;
        s.write_all(b"GET /api/v1/query HTTP/1.1\r\nHost: x\r\n\r\n")?;
        let mut buf = Vec::new();
        let mut chunk = [0_u8; 65536];
        loop {
            match s.read(&mut chunk) {
                Ok(0) => return Ok(buf),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if buf.is_empty() => return Err(e),
                Err(_) => return Ok(buf),
            }
            if buf.len() > 1 << 20 {
                return Ok(buf);
            }
        }
    };
    let refused = FaultyServer::start(Fault::Refuse);
    assert!(ask(&refused).is_err(), "nothing listens");
    let silent = FaultyServer::start(Fault::NeverAnswer);
    assert!(ask(&silent).is_err(), "no byte ever comes");
    assert_eq!(silent.hits(), 1);
    let r = ask(&FaultyServer::start(Fault::TooManyRequests)).unwrap();
    let text = String::from_utf8_lossy(&r);
    assert!(text.starts_with("HTTP/1.1 429"), "{text}");
    assert!(text.contains("Retry-After: 1"), "{text}");
    let r = ask(&FaultyServer::start(Fault::HugeChunked)).unwrap();
    assert!(r.len() > 1 << 20, "a big body streams: {}", r.len());
    let r = ask(&FaultyServer::start(Fault::ResetMidBody)).unwrap_or_default();
    assert!(r.len() < 4096, "the promised 4096 bytes never all come");
    let tls = FaultyServer::start(Fault::TlsHandshake);
    assert!(tls.url().starts_with("https://"));
}

// ---------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------

/// `max_body_bytes` in the context's backend block caps what is read, with a one-line reason.
#[test]
fn limits_body_cap_is_configurable() {
    let big = "x".repeat(5000);
    let prom = FixtureServer::start(vec![
        Route::new("*", "/api/v1/*").respond(Response::json(200, &json!({"pad": big}))),
    ]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "current-context: t\ncontexts:\n  t:\n    prometheus: {{ url: \"{}\", max_body_bytes: 1000 }}\n",
            prom.url()
        ),
    )
    .unwrap();
    let args: Vec<String> = [
        "investigate",
        "latency",
        "--service",
        "checkout",
        "--config",
        &config.display().to_string(),
        "--at",
        AT,
        "-o",
        "json",
        "-q",
    ]
    .map(String::from)
    .to_vec();
    let run = run_tracectl(&args, &[], home.path());
    let report: Value = serde_json::from_str(&run.stdout).expect(&run.stderr);
    let step = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "affected-services")
        .unwrap();
    assert_eq!(step["status"], "failed", "{report}");
    let error = step["error"].as_str().unwrap();
    assert!(
        error.contains("response larger than 1000 bytes") && error.contains("max_body_bytes"),
        "{error}"
    );
}

/// However many requests a command fans out, at most `MAX_IN_FLIGHT` reach one backend at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_requests_in_flight_are_bounded_per_backend() {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tracectl::transport::live::{ClientOptions, LiveTransport, MAX_IN_FLIGHT};
    use tracectl::transport::{Request, Transport};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let active = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (a, p) = (Arc::clone(&active), Arc::clone(&peak));
    let server = tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let (a, p) = (Arc::clone(&a), Arc::clone(&p));
            tokio::spawn(async move {
                let mut buf = [0_u8; 4096];
                let _ = s.read(&mut buf).await;
                let now = a.fetch_add(1, Ordering::SeqCst) + 1;
                p.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                a.fetch_sub(1, Ordering::SeqCst);
                let _ = s
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                    )
                    .await;
            });
        }
    });
    let transport = Arc::new(
        LiveTransport::new(HashMap::from([(
            Backend::Prometheus,
            ClientOptions::default(),
        )]))
        .unwrap(),
    );
    let base = url::Url::parse(&format!("http://{addr}")).unwrap();
    let calls = (0..3 * MAX_IN_FLIGHT).map(|i| {
        let t = Arc::clone(&transport);
        let req = Request::get(Backend::Prometheus, &base, format!("/q{i}"));
        async move { t.send(req).await }
    });
    let results = futures::future::join_all(calls).await;
    server.abort();
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let peak = peak.load(Ordering::SeqCst);
    assert!(
        (2..=MAX_IN_FLIGHT).contains(&peak),
        "peak in flight {peak}, bound {MAX_IN_FLIGHT}"
    );
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

/// Standard base64, for the `Basic` form of a credential.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A backend that answers every request with an error echoing the credentials it was sent, in
/// its backend's own error format, as a misconfigured proxy or a debugging endpoint might.
fn echoing(backend: Backend) -> FixtureServer {
    FixtureServer::start(vec![Route::new("*", "/*").respond_with(move |req| {
        let auth = req.header("authorization").unwrap_or("(none)").to_string();
        let said = format!("denied: you sent Authorization: {auth}");
        match backend {
            Backend::Prometheus => Response::json(
                403,
                &json!({"status": "error", "errorType": "forbidden", "error": said}),
            ),
            Backend::Jaeger => Response::json(
                401,
                &json!({"data": null, "errors": [{"code": 401, "msg": said}]}),
            ),
            _ => Response::json(
                403,
                &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": said, "reason": "Forbidden", "code": 403}),
            ),
        }
    })])
}

/// Every file under `dir`, recursively, as text.
fn files_text(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_text(&p));
        } else {
            out.push((
                p.clone(),
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
            ));
        }
    }
    out
}

/// Distinctive credentials (environment token, environment username/password, a config-file
/// `token:`, a URL's userinfo password, the kubeconfig's token) sent to backends that echo them
/// back in their errors, with `-vv` and `--record`: none appears in stdout, stderr or the
/// bundle, neither as itself nor in its `Basic` (base64) form.
#[test]
fn secrets_never_reach_output_logs_or_bundles() {
    const ENV_TOKEN: &str = "envtok-7Hq2ZpX9";
    const ENV_USER: &str = "envuser-k4Fw";
    const ENV_PASSWORD: &str = "envpass-M8vR3sLq";
    const FILE_TOKEN: &str = "filetok-Qe5Tn2Wd";
    const URL_USER: &str = "urluser-x9";
    const URL_PASSWORD: &str = "urlpass-Bj6Yc1Kz";
    const KUBE_TOKEN: &str = "kubetok-Vn3Gs8Pa";

    let prom = echoing(Backend::Prometheus);
    let jaeger = echoing(Backend::Jaeger);
    let kube = echoing(Backend::Kubernetes);
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(home.path(), &kube.url(), NAMESPACE);
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    std::fs::write(&kubeconfig, text.replace("fixture-kube-token", KUBE_TOKEN)).unwrap();
    let with_userinfo =
        |url: &str| url.replacen("://", &format!("://{URL_USER}:{URL_PASSWORD}@"), 1);

    // Run 1: environment credentials. Run 2: a config-file token and a URL's userinfo.
    let config = home.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "current-context: t\ncontexts:\n  t:\n    prometheus: {{ url: \"{}\", token: {FILE_TOKEN} }}\n    jaeger: {{ url: \"{}\" }}\n",
            prom.url(),
            with_userinfo(&jaeger.url())
        ),
    )
    .unwrap();
    let runs = [
        (
            vec![
                "--prometheus-url".to_string(),
                prom.url(),
                "--jaeger-url".into(),
                jaeger.url(),
            ],
            vec![
                ("TRACECTL_PROMETHEUS_TOKEN", ENV_TOKEN),
                ("TRACECTL_JAEGER_USERNAME", ENV_USER),
                ("TRACECTL_JAEGER_PASSWORD", ENV_PASSWORD),
            ],
        ),
        (
            vec!["--config".to_string(), config.display().to_string()],
            vec![],
        ),
    ];
    let secrets = [
        ENV_TOKEN.to_string(),
        ENV_PASSWORD.into(),
        FILE_TOKEN.into(),
        URL_PASSWORD.into(),
        KUBE_TOKEN.into(),
        base64(format!("{ENV_USER}:{ENV_PASSWORD}").as_bytes()),
        base64(format!("{URL_USER}:{URL_PASSWORD}").as_bytes()),
    ];
    for (i, (backend_args, env)) in runs.into_iter().enumerate() {
        let bundle = home.path().join(format!("bundle-{i}"));
        for output in ["json", "table", "markdown"] {
            let mut args: Vec<String> = ["investigate", "latency", "--service", "checkout"]
                .map(String::from)
                .to_vec();
            args.extend(backend_args.iter().cloned());
            args.extend(
                [
                    "--kubeconfig",
                    &kubeconfig.display().to_string(),
                    "-n",
                    NAMESPACE,
                    "--at",
                    AT,
                    "--timeout",
                    "2s",
                    "-vv",
                    "--record",
                    &bundle.display().to_string(),
                    "-o",
                    output,
                ]
                .map(String::from),
            );
            let run = run_tracectl(&args, &env, home.path());
            assert!(
                run.stdout.contains("denied: you sent Authorization"),
                "run {i}: the echo reached the report (so the scrubbing is what is tested):\n{}\n{}",
                run.stdout,
                run.stderr
            );
            assert!(
                run.stderr.contains("send"),
                "run {i}: -vv logs requests: {}",
                run.stderr
            );
            let mut places = vec![
                ("stdout".to_string(), run.stdout.clone()),
                ("stderr".to_string(), run.stderr.clone()),
            ];
            places.extend(
                files_text(&bundle)
                    .into_iter()
                    .map(|(p, t)| (p.display().to_string(), t)),
            );
            for (place, text) in &places {
                for s in &secrets {
                    assert!(
                        !text.contains(s.as_str()),
                        "run {i} ({output}): {place} contains the secret {s}:\n{text}"
                    );
                }
            }
        }
    }
}
