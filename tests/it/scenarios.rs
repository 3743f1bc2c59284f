//! Shared incident scenarios for end-to-end tests of tracectl's runbooks: the
//! Prometheus data (`mcp_*` request histograms and cAdvisor container series),
//! the Jaeger traces a search returns (legacy `/api/traces` JSON), and the
//! Kubernetes objects the rollout-history and ConfigMap lookups read
//! (Deployments, ReplicaSets, ConfigMaps, v1 Status errors), plus
//! [`Incident::start`], which serves all three: a real Prometheus backfilled
//! by the harness, and two recording fixture servers.
//!
//! Everything is built from code, deterministically, around one fixed instant
//! ([`END`]): no shared JSON files to drift, and every number a test relies on
//! is visible where the scenario is written. Wire shapes follow the real
//! servers (Jaeger's `tracesToResponse` envelope; the Kubernetes API's list
//! and Status objects) so that tracectl's decoders see what production would
//! send. Not here: assertions or running tracectl (`tests/it/latency.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support::tempo_api::{TempoSpan, TempoTrace};

use crate::support::{
    FixtureServer, Latency, PrometheusHarness, RecordedRequest, Response, Route, Scenario,
    SeriesSpec, Shape,
};

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;
/// The end of every scenario window and the `--at` of every run:
/// 2026-11-25T10:00:00Z.
pub const END: i64 = 1_795_600_800;
/// Three hours of data: the default 1 h lookback plus margin for `rate()`.
pub const START: i64 = END - 3 * HOUR;
/// When incidents begin: latency steps up (or a resource degrades) here.
pub const ONSET: i64 = END - 20 * MINUTE;
/// The namespace the shop runs in.
pub const NAMESPACE: &str = "shop";

/// The histogram every `mcp` profile latency query reads.
pub const HISTOGRAM: &str = "mcp_request_duration_seconds";
/// Finer than the client-library defaults between 0.5 s and 5 s, as services
/// with second-scale SLOs configure them, so `histogram_quantile` lands close
/// to the configured p95 instead of interpolating across a 2.5 s bucket.
pub const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0,
];
/// Standard deviation of ln(latency) for every request histogram.
const SPREAD: f64 = 0.3;

// ---------------------------------------------------------------------------
// Prometheus data
// ---------------------------------------------------------------------------

/// A p95 that stays at `p95` seconds.
pub fn flat(p95: f64) -> Shape {
    Shape::Constant(p95)
}

/// A p95 that jumps from `before` to `after` seconds at [`ONSET`].
pub fn step(before: f64, after: f64) -> Shape {
    Shape::Step {
        before,
        after,
        at: ONSET,
    }
}

/// The log-normal latency whose p95 follows `p95` (the generator is driven by
/// the median: p95 = median · e^(1.645 · spread)).
pub fn latency_with_p95(p95: Shape) -> Latency {
    let factor = (1.645 * SPREAD).exp();
    let median = p95.scaled(1.0 / factor);
    Latency {
        median,
        spread: SPREAD,
    }
}

/// Requests `service` serves for `operation` (`dependency_service_name=""`),
/// `rate` per second, with the given p95 over time.
pub fn server(service: &str, operation: &str, rate: f64, p95: Shape) -> SeriesSpec {
    SeriesSpec::histogram(
        HISTOGRAM,
        &[
            ("service_name", service),
            ("operation_name", operation),
            ("dependency_service_name", ""),
        ],
        Shape::Constant(rate),
        latency_with_p95(p95),
    )
    .buckets(BUCKETS)
}

/// Calls `service` makes to `dependency` (a database, a queue or another
/// service), named `operation` on the client side.
pub fn client(
    service: &str,
    dependency: &str,
    operation: &str,
    rate: f64,
    p95: Shape,
) -> SeriesSpec {
    SeriesSpec::histogram(
        HISTOGRAM,
        &[
            ("service_name", service),
            ("operation_name", operation),
            ("dependency_service_name", dependency),
        ],
        Shape::Constant(rate),
        latency_with_p95(p95),
    )
    .buckets(BUCKETS)
}

/// One pod's container as cAdvisor (via the kubelet) exports it.
#[derive(Clone, Debug)]
pub struct Pod {
    pub name: String,
    pub container: String,
    /// CPU limit in cores (quota / period).
    pub cpu_limit: f64,
    /// CPU used, in cores.
    pub cpu_usage: Shape,
    /// Share of CFS periods throttled, 0..1.
    pub throttled: Shape,
    pub memory_limit: f64,
    /// Working set in bytes.
    pub working_set: Shape,
    /// Bytes per second sent on eth0.
    pub transmit: Shape,
}

impl Pod {
    /// A healthy pod of `container`: a third of one core, no throttling to
    /// speak of, half of 512 MiB, 200 kB/s out.
    pub fn healthy(name: &str, container: &str) -> Self {
        Pod {
            name: name.to_string(),
            container: container.to_string(),
            cpu_limit: 1.0,
            cpu_usage: Shape::Constant(0.35),
            throttled: Shape::Constant(0.02),
            memory_limit: 512.0 * MIB,
            working_set: Shape::Constant(250.0 * MIB),
            transmit: Shape::Constant(200_000.0),
        }
    }

    pub fn throttled(mut self, ratio: Shape) -> Self {
        self.throttled = ratio;
        self
    }

    pub fn working_set(mut self, bytes: Shape) -> Self {
        self.working_set = bytes;
        self
    }

    /// The eight cAdvisor series the resources step reads.
    pub fn series(&self) -> Vec<SeriesSpec> {
        const CFS_PERIOD_US: f64 = 100_000.0;
        // One CFS period per 100 ms of wall time.
        const PERIODS_PER_SECOND: f64 = 10.0;
        let labels = [
            ("namespace", NAMESPACE),
            ("pod", self.name.as_str()),
            ("container", self.container.as_str()),
        ];
        let throttled_rate = Shape::scaled(&self.throttled, PERIODS_PER_SECOND);
        vec![
            SeriesSpec::counter(
                "container_cpu_cfs_periods_total",
                &labels,
                Shape::Constant(PERIODS_PER_SECOND),
            ),
            SeriesSpec::counter(
                "container_cpu_cfs_throttled_periods_total",
                &labels,
                throttled_rate,
            ),
            SeriesSpec::counter(
                "container_cpu_usage_seconds_total",
                &labels,
                self.cpu_usage.clone(),
            ),
            SeriesSpec::gauge(
                "container_spec_cpu_quota",
                &labels,
                Shape::Constant(self.cpu_limit * CFS_PERIOD_US),
            ),
            SeriesSpec::gauge(
                "container_spec_cpu_period",
                &labels,
                Shape::Constant(CFS_PERIOD_US),
            ),
            SeriesSpec::gauge(
                "container_memory_working_set_bytes",
                &labels,
                self.working_set.clone(),
            ),
            SeriesSpec::gauge(
                "container_spec_memory_limit_bytes",
                &labels,
                Shape::Constant(self.memory_limit),
            ),
            // Network counters are per pod (the pause container's netns), not per container.
            SeriesSpec::counter(
                "container_network_transmit_bytes_total",
                &[
                    ("namespace", NAMESPACE),
                    ("pod", self.name.as_str()),
                    ("interface", "eth0"),
                ],
                self.transmit.clone(),
            ),
        ]
    }
}

pub const MIB: f64 = 1_048_576.0;

// ---------------------------------------------------------------------------
// Jaeger traces (legacy `/api` JSON)
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct SpanSpec {
    id: String,
    parent: Option<usize>,
    service: String,
    operation: String,
    kind: &'static str,
    start_us: i64,
    duration_us: i64,
    tags: Vec<(String, Value)>,
    /// Span logs (events): each its fields, at the span's start.
    logs: Vec<Vec<(String, Value)>>,
}

/// One trace, built from its root down. Times are seconds from the trace's
/// start; IDs are derived from `seq`, so the same builder calls always give
/// the same JSON.
#[derive(Clone, Debug)]
pub struct TraceSpec {
    pub trace_id: String,
    start_us: i64,
    spans: Vec<SpanSpec>,
    /// (service, key, value): resource attributes beyond the defaults, as a
    /// Collector's `k8sattributes` processor adds them to the process.
    resource: Vec<(String, String, String)>,
}

impl TraceSpec {
    /// A trace whose root is a server span of `service` `operation` that
    /// started at unix second `start` and lasted `seconds`.
    pub fn new(seq: u64, start: i64, service: &str, operation: &str, seconds: f64) -> Self {
        let mut trace = TraceSpec {
            trace_id: format!("4bf92f3577b34da6{:016x}", 0xa3ce_929d_0000_0000 + seq),
            start_us: start * 1_000_000,
            spans: Vec::new(),
            resource: Vec::new(),
        };
        trace.push(None, service, operation, "server", 0.0, seconds);
        trace
    }

    /// Adds a span under `parent` (an index returned earlier; the root is 0),
    /// `offset` seconds after the trace's start. Returns its index.
    pub fn child(
        &mut self,
        parent: usize,
        service: &str,
        operation: &str,
        kind: &'static str,
        offset: f64,
        seconds: f64,
    ) -> usize {
        assert!(parent < self.spans.len(), "no span {parent} in the trace");
        self.push(Some(parent), service, operation, kind, offset, seconds)
    }

    /// A client span in the parent's service and the matching server span
    /// in `callee`, 1 ms inside it on each side (network time), as two
    /// instrumented services record one RPC. Returns the server span.
    pub fn call(
        &mut self,
        parent: usize,
        callee: &str,
        operation: &str,
        offset: f64,
        seconds: f64,
    ) -> usize {
        let caller = self.spans[parent].service.clone();
        let client = self.child(parent, &caller, operation, "client", offset, seconds);
        self.spans[client]
            .tags
            .push(("peer.service".into(), json!(callee)));
        self.child(
            client,
            callee,
            operation,
            "server",
            offset + 0.001,
            seconds - 0.002,
        )
    }

    /// Adds a resource attribute (a process tag in Jaeger) to `service`'s
    /// process in this trace.
    pub fn resource(&mut self, service: &str, key: &str, value: &str) {
        self.resource
            .push((service.to_string(), key.to_string(), value.to_string()));
    }

    /// Span `index`'s id, as its service's logs would name it.
    pub fn span_id(&self, index: usize) -> &str {
        &self.spans[index].id
    }

    /// Adds a tag to span `index`.
    pub fn tag(&mut self, index: usize, key: &str, value: Value) {
        self.spans[index].tags.push((key.to_string(), value));
    }

    /// Adds a log (a span event: `event` and the other fields) to span `index`.
    pub fn log(&mut self, index: usize, fields: &[(&str, Value)]) {
        self.spans[index].logs.push(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        );
    }

    fn push(
        &mut self,
        parent: Option<usize>,
        service: &str,
        operation: &str,
        kind: &'static str,
        offset: f64,
        seconds: f64,
    ) -> usize {
        let index = self.spans.len();
        self.spans.push(SpanSpec {
            id: format!("{:016x}", fnv(&format!("{}/{index}", self.trace_id))),
            parent,
            service: service.to_string(),
            operation: operation.to_string(),
            kind,
            start_us: self.start_us + (offset * 1e6).round() as i64,
            duration_us: (seconds * 1e6).round() as i64,
            tags: Vec::new(),
            logs: Vec::new(),
        });
        index
    }

    fn services(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|s| s.service.as_str())
    }

    /// Does the trace hold a span of `service` (and `operation`) lasting at
    /// least `min_us`? That is how Jaeger's search matches a trace.
    fn matches(&self, service: &str, operation: Option<&str>, min_us: i64) -> bool {
        self.spans.iter().any(|s| {
            s.service == service
                && operation.is_none_or(|op| s.operation == op)
                && s.duration_us >= min_us
        })
    }

    /// The same trace as Tempo holds it: one resource per service with the
    /// process tags [`Self::to_json`] gives Jaeger, the scope Jaeger shows as
    /// `otel.scope.name`, and `error=true` / `otel.status_code=ERROR` /
    /// `otel.status_description` as the span status (where OTLP keeps them).
    pub fn to_tempo(&self) -> TempoTrace {
        TempoTrace {
            trace_id: self.trace_id.clone(),
            scope: "io.opentelemetry.contrib".into(),
            resource_attributes: vec![
                ("telemetry.sdk.language".into(), json!("go")),
                ("k8s.namespace.name".into(), json!(NAMESPACE)),
            ],
            spans: self
                .spans
                .iter()
                .map(|s| TempoSpan {
                    span_id: s.id.clone(),
                    parent_id: s.parent.map(|p| self.spans[p].id.clone()),
                    service: s.service.clone(),
                    name: s.operation.clone(),
                    kind: s.kind.to_string(),
                    start_ns: s.start_us * 1000,
                    end_ns: (s.start_us + s.duration_us) * 1000,
                    error: s.tags.iter().any(|(k, v)| {
                        (k == "error" && *v == json!(true))
                            || (k == "otel.status_code" && *v == json!("ERROR"))
                    }),
                    status_message: s
                        .tags
                        .iter()
                        .find(|(k, _)| k == "otel.status_description")
                        .and_then(|(_, v)| v.as_str().map(str::to_string)),
                    attributes: s
                        .tags
                        .iter()
                        .filter(|(k, _)| {
                            !matches!(
                                k.as_str(),
                                "error" | "otel.status_code" | "otel.status_description"
                            )
                        })
                        .cloned()
                        .collect(),
                })
                .collect(),
        }
    }

    /// The trace as one element of the `/api/traces` `data` array: spans with
    /// CHILD_OF references and typed tags, and a `processes` map that the
    /// spans point into by `processID`.
    pub fn to_json(&self) -> Value {
        let mut processes: Vec<&str> = Vec::new();
        for service in self.services() {
            if !processes.contains(&service) {
                processes.push(service);
            }
        }
        let process_id = |service: &str| {
            let i = processes.iter().position(|p| *p == service).unwrap_or(0);
            format!("p{}", i + 1)
        };
        let spans: Vec<Value> = self
            .spans
            .iter()
            .map(|s| {
                let references: Vec<Value> = s
                    .parent
                    .map(|p| {
                        json!({
                            "refType": "CHILD_OF",
                            "traceID": self.trace_id,
                            "spanID": self.spans[p].id,
                        })
                    })
                    .into_iter()
                    .collect();
                let mut tags = vec![
                    json!({"key": "otel.scope.name", "type": "string", "value": "io.opentelemetry.contrib"}),
                    json!({"key": "span.kind", "type": "string", "value": s.kind}),
                ];
                for (key, value) in &s.tags {
                    let ty = match value {
                        Value::Bool(_) => "bool",
                        Value::Number(n) if n.is_f64() => "float64",
                        Value::Number(_) => "int64",
                        _ => "string",
                    };
                    tags.push(json!({"key": key, "type": ty, "value": value}));
                }
                // Jaeger's span logs: a timestamp and typed fields.
                let logs: Vec<Value> = s
                    .logs
                    .iter()
                    .map(|fields| {
                        let fields: Vec<Value> = fields
                            .iter()
                            .map(|(k, v)| json!({"key": k, "type": "string", "value": v}))
                            .collect();
                        json!({"timestamp": s.start_us, "fields": fields})
                    })
                    .collect();
                json!({
                    "traceID": self.trace_id,
                    "spanID": s.id,
                    "operationName": s.operation,
                    "references": references,
                    "startTime": s.start_us,
                    "duration": s.duration_us,
                    "tags": tags,
                    "logs": logs,
                    "processID": process_id(&s.service),
                    "warnings": null,
                })
            })
            .collect();
        let processes: serde_json::Map<String, Value> = processes
            .iter()
            .map(|service| {
                (process_id(service), {
                    let mut tags = vec![
                        json!({"key": "telemetry.sdk.language", "type": "string", "value": "go"}),
                        json!({"key": "k8s.namespace.name", "type": "string", "value": NAMESPACE}),
                    ];
                    for (_, k, v) in self.resource.iter().filter(|r| r.0 == *service) {
                        tags.push(json!({"key": k, "type": "string", "value": v}));
                    }
                    json!({"serviceName": service, "tags": tags})
                })
            })
            .collect();
        json!({
            "traceID": self.trace_id,
            "spans": spans,
            "processes": processes,
            "warnings": null,
        })
    }
}

/// Jaeger's envelope; search answers carry zero `total`/`limit`/`offset`.
fn envelope(data: Value) -> Value {
    json!({"data": data, "total": 0, "limit": 0, "offset": 0, "errors": null})
}

/// `GET /api/services`: the list with `total` = its length.
fn services_body(services: &[String]) -> Value {
    json!({"data": services, "total": services.len(), "limit": 0, "offset": 0, "errors": null})
}

/// Parses a Go duration as Jaeger's `minDuration` takes it (`1s`, `1500ms`,
/// `1m30s`), in microseconds; `None` if it is not one.
pub fn go_duration_us(text: &str) -> Option<i64> {
    let mut total = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let micros = match &rest[..unit] {
            "h" => 3_600_000_000.0,
            "m" => 60_000_000.0,
            "s" => 1_000_000.0,
            "ms" => 1_000.0,
            "us" | "µs" => 1.0,
            "ns" => 0.001,
            _ => return None,
        };
        total += value * micros;
        rest = &rest[unit..];
    }
    Some(total.round() as i64)
}

/// `GET /api/dependencies?endTs=MS&lookback=MS` as Jaeger's in-memory store answers it: for
/// the traces with a span that started in the window, one call from the parent span's service to the
/// child's wherever they differ, counted (`callCount`), in the envelope.
fn dependencies_route(traces: Vec<TraceSpec>) -> Route {
    Route::get("/api/dependencies").respond_with(move |req: &RecordedRequest| {
        let ms = |k: &str| req.query_param(k).and_then(|v| v.parse::<i64>().ok());
        let Some(end) = ms("endTs") else {
            return Response::json(
                400,
                &json!({"data": null, "total": 0, "limit": 0, "offset": 0,
                        "errors": [{"code": 400, "msg": "parameter 'endTs' is required"}]}),
            );
        };
        let (end_us, from_us) = (end * 1000, (end - ms("lookback").unwrap_or(0)) * 1000);
        let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
        for t in &traces {
            if !t
                .spans
                .iter()
                .any(|s| s.start_us > from_us && s.start_us < end_us)
            {
                continue;
            }
            for s in &t.spans {
                if let Some(p) = s.parent.map(|p| &t.spans[p])
                    && p.service != s.service
                {
                    *counts
                        .entry((p.service.clone(), s.service.clone()))
                        .or_default() += 1;
                }
            }
        }
        let data: Vec<Value> = counts
            .into_iter()
            .map(|((p, c), n)| json!({"parent": p, "child": c, "callCount": n}))
            .collect();
        Response::json(200, &envelope(Value::Array(data)))
    })
}

/// A legacy-API Jaeger query service holding `traces`: `/api/services`
/// lists their services, and `/api/traces` searches them the way Jaeger does
/// (service, optional operation, `minDuration`, `limit`).
pub fn jaeger_routes(traces: Vec<TraceSpec>) -> Vec<Route> {
    let mut services: Vec<String> = traces
        .iter()
        .flat_map(|t| t.services().map(str::to_string))
        .collect();
    services.sort();
    services.dedup();
    vec![
        dependencies_route(traces.clone()),
        Route::get("/api/services").respond(Response::json(200, &services_body(&services))),
        Route::get("/api/traces").respond_with(move |req: &RecordedRequest| {
            let Some(service) = req.query_param("service") else {
                // What Jaeger's query_parser answers without a service.
                return Response::json(
                    400,
                    &json!({"data": null, "total": 0, "limit": 0, "offset": 0,
                            "errors": [{"code": 400, "msg": "parameter 'service' is required"}]}),
                );
            };
            let operation = req.query_param("operation");
            let min_us = req
                .query_param("minDuration")
                .and_then(|d| go_duration_us(&d))
                .unwrap_or(0);
            let limit = req
                .query_param("limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(20);
            // Jaeger keeps the traces with a matching span that started in [start, end] (µs).
            let bound = |k: &str| req.query_param(k).and_then(|v| v.parse::<i64>().ok());
            let (from, to) = (bound("start"), bound("end"));
            let found: Vec<Value> = traces
                .iter()
                .filter(|t| t.matches(&service, operation.as_deref(), min_us))
                .filter(|t| {
                    let start = t.spans.first().map_or(0, |s| s.start_us);
                    from.is_none_or(|f| start >= f) && to.is_none_or(|e| start <= e)
                })
                .take(limit)
                .map(TraceSpec::to_json)
                .collect();
            Response::json(200, &envelope(Value::Array(found)))
        }),
    ]
}

// ---------------------------------------------------------------------------
// Kubernetes objects
// ---------------------------------------------------------------------------

/// RFC 3339 in UTC, as the API server writes `metav1.Time`.
pub fn rfc3339(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .expect("valid unix time")
        .to_string()
}

/// One revision of a Deployment: the ReplicaSet the controller created for it.
#[derive(Clone, Debug)]
pub struct Revision {
    pub number: u64,
    /// Unix seconds of the ReplicaSet's creation.
    pub created: i64,
    pub image: String,
    pub change_cause: Option<String>,
}

/// A Deployment (or, with [`Rollout::statefulset`] / [`Rollout::daemonset`], a
/// StatefulSet or DaemonSet) and its rollout history. The newest revision is
/// current.
#[derive(Clone, Debug)]
pub struct Rollout {
    pub name: String,
    pub replicas: i64,
    pub revisions: Vec<Revision>,
    /// Labels beyond `app=<name>`, on the Deployment and its pod template.
    pub labels: Vec<(String, String)>,
    /// `Deployment`, `StatefulSet` or `DaemonSet`.
    pub kind: &'static str,
    /// Each revision's `OTEL_TRACES_SAMPLER_ARG` in the pod template, if set.
    pub sampler_args: Vec<(u64, String)>,
    /// ConfigMaps its pod template mounts as volumes.
    pub mounts: Vec<String>,
}

impl Rollout {
    pub fn new(name: &str, replicas: i64) -> Self {
        Rollout {
            name: name.to_string(),
            replicas,
            revisions: Vec::new(),
            labels: Vec::new(),
            kind: "Deployment",
            sampler_args: Vec::new(),
            mounts: Vec::new(),
        }
    }

    /// Its pod template mounts the ConfigMap `name` (a volume of the same name).
    pub fn mounts(mut self, name: &str) -> Self {
        self.mounts.push(name.to_string());
        self
    }

    /// The pod template's `volumes`, one per mounted ConfigMap.
    fn volumes(&self) -> Value {
        self.mounts
            .iter()
            .map(|m| json!({"name": m, "configMap": {"name": m, "defaultMode": 420}}))
            .collect()
    }

    /// A StatefulSet: its history is ControllerRevisions, its pods `NAME-0`...
    pub fn statefulset(mut self) -> Self {
        self.kind = "StatefulSet";
        self
    }

    /// A DaemonSet (on three nodes): its history is ControllerRevisions.
    pub fn daemonset(mut self) -> Self {
        self.kind = "DaemonSet";
        self.replicas = 3;
        self
    }

    /// The revision added last sets `OTEL_TRACES_SAMPLER_ARG` to `arg`.
    pub fn sampler_arg(mut self, arg: &str) -> Self {
        let last = self.revisions.last().expect("a revision first").number;
        self.sampler_args.push((last, arg.to_string()));
        self
    }

    /// The collection its kind lives in (`statefulsets`).
    pub fn plural(&self) -> String {
        format!("{}s", self.kind.to_lowercase())
    }

    /// The names of its pods, as its controller names them.
    pub fn pod_names(&self) -> Vec<String> {
        match self.kind {
            "StatefulSet" => (0..self.replicas)
                .map(|i| format!("{}-{i}", self.name))
                .collect(),
            "DaemonSet" => ["x2x7q", "b8kfn", "m4zrw"]
                .iter()
                .map(|s| format!("{}-{s}", self.name))
                .collect(),
            _ => vec![format!(
                "{}-{}-x2x7q",
                self.name,
                self.hash(self.current().number)
            )],
        }
    }

    /// Adds revision `number`, created at `created`, running `image_tag`.
    pub fn revision(mut self, number: u64, created: i64, image_tag: &str) -> Self {
        self.revisions.push(Revision {
            number,
            created,
            image: format!("registry.example/shop/{}:{image_tag}", self.name),
            change_cause: None,
        });
        self
    }

    /// Adds a label to the Deployment and its pod template (the selector stays
    /// `app=<name>`).
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.push((key.to_string(), value.to_string()));
        self
    }

    /// Sets the change-cause of the revision added last.
    pub fn change_cause(mut self, cause: &str) -> Self {
        let last = self.revisions.last_mut().expect("a revision first");
        last.change_cause = Some(cause.to_string());
        self
    }

    fn uid(&self) -> String {
        if self.kind == "Deployment" {
            uid("deployment", &self.name)
        } else {
            uid(self.kind, &self.name)
        }
    }

    fn current(&self) -> &Revision {
        self.revisions
            .iter()
            .max_by_key(|r| r.number)
            .expect("a rollout has revisions")
    }

    /// The pod-template hash of a revision: stable, DNS-safe, 10 characters.
    fn hash(&self, revision: u64) -> String {
        let h = fnv(&format!("{}/{revision}", self.name));
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..10)
            .map(|i| ALPHABET[((h >> (i * 6)) % ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    fn container(&self, image: &str) -> Value {
        self.container_of(None, image)
    }

    /// The container of `revision` (its environment), running `image`.
    fn container_of(&self, revision: Option<u64>, image: &str) -> Value {
        let mut c = json!({
            "name": self.name,
            "image": image,
            "imagePullPolicy": "IfNotPresent",
            "ports": [{"containerPort": 8080, "protocol": "TCP"}],
            "resources": {
                "limits": {"cpu": "1", "memory": "512Mi"},
                "requests": {"cpu": "250m", "memory": "256Mi"},
            },
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        });
        let revision = revision.unwrap_or_else(|| self.current().number);
        if let Some((_, arg)) = self.sampler_args.iter().rev().find(|(n, _)| *n <= revision) {
            c["env"] = json!([{"name": "OTEL_TRACES_SAMPLER_ARG", "value": arg}]);
        }
        c
    }

    /// `GET /apis/apps/v1/namespaces/{ns}/{deployments,statefulsets,daemonsets}/{name}`,
    /// as the API server answers for its kind.
    pub fn deployment_json(&self, namespace: &str) -> Value {
        match self.kind {
            "StatefulSet" | "DaemonSet" => self.controller_json(namespace),
            _ => self.deployment_object(namespace),
        }
    }

    fn labels_json(&self) -> Value {
        let mut labels = json!({"app": self.name});
        for (k, v) in &self.labels {
            labels[k] = json!(v);
        }
        labels
    }

    /// A StatefulSet or DaemonSet, with the status its controller reports once
    /// the current revision is rolled out.
    fn controller_json(&self, namespace: &str) -> Value {
        let current = self.current();
        let first = self.revisions.iter().map(|r| r.created).min().unwrap_or(0);
        let labels = self.labels_json();
        let template = json!({
            "metadata": {"creationTimestamp": null, "labels": labels},
            "spec": {
                "containers": [self.container(&current.image)],
                "dnsPolicy": "ClusterFirst",
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "volumes": self.volumes(),
            },
        });
        let selector = json!({"matchLabels": {"app": self.name}});
        let mut meta = json!({
            "creationTimestamp": rfc3339(first),
            "generation": current.number,
            "labels": labels,
            "name": self.name,
            "namespace": namespace,
            "resourceVersion": (1_200_000 + current.number).to_string(),
            "uid": self.uid(),
        });
        let revision = format!("{}-{}", self.name, self.hash(current.number));
        let (spec, status) = if self.kind == "StatefulSet" {
            (
                json!({
                    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
                    "podManagementPolicy": "OrderedReady",
                    "replicas": self.replicas,
                    "revisionHistoryLimit": 10,
                    "selector": selector,
                    "serviceName": self.name,
                    "template": template,
                    "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
                }),
                json!({
                    "availableReplicas": self.replicas,
                    "collisionCount": 0,
                    "currentReplicas": self.replicas,
                    "currentRevision": revision,
                    "observedGeneration": current.number,
                    "readyReplicas": self.replicas,
                    "replicas": self.replicas,
                    "updateRevision": revision,
                    "updatedReplicas": self.replicas,
                }),
            )
        } else {
            meta["annotations"] = json!({
                "deprecated.daemonset.template.generation": current.number.to_string(),
            });
            (
                json!({
                    "revisionHistoryLimit": 10,
                    "selector": selector,
                    "template": template,
                    "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"},
                }),
                json!({
                    "currentNumberScheduled": self.replicas,
                    "desiredNumberScheduled": self.replicas,
                    "numberAvailable": self.replicas,
                    "numberMisscheduled": 0,
                    "numberReady": self.replicas,
                    "observedGeneration": current.number,
                    "updatedNumberScheduled": self.replicas,
                }),
            )
        };
        json!({
            "apiVersion": "apps/v1",
            "kind": self.kind,
            "metadata": meta,
            "spec": spec,
            "status": status,
        })
    }

    /// One ControllerRevision per revision of a StatefulSet or DaemonSet, as
    /// items of a `ControllerRevisionList`: the pod template's labels plus the
    /// hash label (`controller.kubernetes.io/hash` for a StatefulSet's,
    /// `controller-revision-hash` for a DaemonSet's), owned by the workload,
    /// `revision`, and `data` the patch that restores the template.
    fn controller_revisions(&self, namespace: &str) -> Vec<Value> {
        self.revisions
            .iter()
            .map(|r| {
                let hash = self.hash(r.number);
                let name = format!("{}-{hash}", self.name);
                let mut labels = self.labels_json();
                let mut meta = json!({
                    "creationTimestamp": rfc3339(r.created),
                    "name": name,
                    "namespace": namespace,
                    "ownerReferences": [{
                        "apiVersion": "apps/v1",
                        "blockOwnerDeletion": true,
                        "controller": true,
                        "kind": self.kind,
                        "name": self.name,
                        "uid": self.uid(),
                    }],
                    "resourceVersion": (1_100_000 + r.number).to_string(),
                    "uid": uid("controllerrevision", &name),
                });
                let mut annotations = serde_json::Map::new();
                if self.kind == "StatefulSet" {
                    labels["controller.kubernetes.io/hash"] = json!(hash);
                } else {
                    labels["controller-revision-hash"] = json!(hash);
                    annotations.insert(
                        "deprecated.daemonset.template.generation".into(),
                        json!(r.number.to_string()),
                    );
                }
                if let Some(cause) = &r.change_cause {
                    annotations.insert("kubernetes.io/change-cause".into(), json!(cause));
                }
                if !annotations.is_empty() {
                    meta["annotations"] = Value::Object(annotations);
                }
                meta["labels"] = labels;
                json!({
                    "data": {"spec": {"template": {
                        "$patch": "replace",
                        "metadata": {"creationTimestamp": null, "labels": self.labels_json()},
                        "spec": {
                            "containers": [self.container_of(Some(r.number), &r.image)],
                            "dnsPolicy": "ClusterFirst",
                            "restartPolicy": "Always",
                            "terminationGracePeriodSeconds": 30,
                        },
                    }}},
                    "metadata": meta,
                    "revision": r.number,
                })
            })
            .collect()
    }

    /// `GET /apis/apps/v1/namespaces/{ns}/deployments/{name}`.
    fn deployment_object(&self, namespace: &str) -> Value {
        let current = self.current();
        let first = self.revisions.iter().map(|r| r.created).min().unwrap_or(0);
        let mut annotations =
            json!({"deployment.kubernetes.io/revision": current.number.to_string()});
        if let Some(cause) = &current.change_cause {
            annotations["kubernetes.io/change-cause"] = json!(cause);
        }
        let mut labels = json!({"app": self.name});
        for (k, v) in &self.labels {
            labels[k] = json!(v);
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "annotations": annotations,
                "creationTimestamp": rfc3339(first),
                "generation": current.number,
                "labels": labels,
                "name": self.name,
                "namespace": namespace,
                "resourceVersion": (1_200_000 + current.number).to_string(),
                "uid": self.uid(),
            },
            "spec": {
                "progressDeadlineSeconds": 600,
                "replicas": self.replicas,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": self.name}},
                "strategy": {
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                    "type": "RollingUpdate",
                },
                "template": {
                    "metadata": {"creationTimestamp": null, "labels": labels},
                    "spec": {
                        "containers": [self.container(&current.image)],
                        "dnsPolicy": "ClusterFirst",
                        "restartPolicy": "Always",
                        "terminationGracePeriodSeconds": 30,
                        "volumes": self.volumes(),
                    },
                },
            },
            "status": {
                "availableReplicas": self.replicas,
                "observedGeneration": current.number,
                "readyReplicas": self.replicas,
                "replicas": self.replicas,
                "updatedReplicas": self.replicas,
            },
        })
    }

    /// One ReplicaSet per revision, as items of a `ReplicaSetList` (the API
    /// server leaves `kind`/`apiVersion` out of list items). Only the current
    /// one has replicas.
    fn replica_sets(&self, namespace: &str) -> Vec<Value> {
        let current = self.current().number;
        self.revisions
            .iter()
            .map(|r| {
                let hash = self.hash(r.number);
                let replicas = if r.number == current {
                    self.replicas
                } else {
                    0
                };
                let mut annotations = json!({
                    "deployment.kubernetes.io/desired-replicas": self.replicas.to_string(),
                    "deployment.kubernetes.io/max-replicas": (self.replicas + 1).to_string(),
                    "deployment.kubernetes.io/revision": r.number.to_string(),
                });
                if let Some(cause) = &r.change_cause {
                    annotations["kubernetes.io/change-cause"] = json!(cause);
                }
                let labels = json!({"app": self.name, "pod-template-hash": hash});
                json!({
                    "metadata": {
                        "annotations": annotations,
                        "creationTimestamp": rfc3339(r.created),
                        "generation": 1,
                        "labels": labels,
                        "name": format!("{}-{hash}", self.name),
                        "namespace": namespace,
                        "ownerReferences": [{
                            "apiVersion": "apps/v1",
                            "blockOwnerDeletion": true,
                            "controller": true,
                            "kind": "Deployment",
                            "name": self.name,
                            "uid": self.uid(),
                        }],
                        "resourceVersion": (1_100_000 + r.number).to_string(),
                        "uid": uid("replicaset", &format!("{}-{hash}", self.name)),
                    },
                    "spec": {
                        "replicas": replicas,
                        "selector": {"matchLabels": labels},
                        "template": {
                            "metadata": {"creationTimestamp": null, "labels": labels},
                            "spec": {"containers": [self.container_of(Some(r.number), &r.image)]},
                        },
                    },
                    "status": {
                        "availableReplicas": replicas,
                        "fullyLabeledReplicas": replicas,
                        "observedGeneration": 1,
                        "readyReplicas": replicas,
                        "replicas": replicas,
                    },
                })
            })
            .collect()
    }
}

/// A ConfigMap and when it was created and last edited.
#[derive(Clone, Debug)]
pub struct ConfigMapSpec {
    pub name: String,
    pub created: i64,
    /// The time of the last `managedFields` entry (`kubectl edit`).
    pub changed: i64,
    /// Keys added to the data (the two keys every spec has stay).
    pub extra_data: Vec<(String, String)>,
}

impl ConfigMapSpec {
    pub fn new(name: &str, created: i64, changed: i64) -> Self {
        ConfigMapSpec {
            name: name.to_string(),
            created,
            changed,
            extra_data: Vec::new(),
        }
    }

    /// One more key in its data.
    pub fn data(mut self, key: &str, value: &str) -> Self {
        self.extra_data.push((key.to_string(), value.to_string()));
        self
    }

    /// `GET /api/v1/namespaces/{ns}/configmaps/{name}`: created by a
    /// client-side apply, then one key edited with `kubectl edit`.
    pub fn to_json(&self, namespace: &str) -> Value {
        let mut data = json!({"DB_POOL_SIZE": "8", "HTTP_CLIENT_TIMEOUT": "5s"});
        for (k, v) in &self.extra_data {
            data[k] = json!(v);
        }
        json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "data": data,
            "metadata": {
                "creationTimestamp": rfc3339(self.created),
                "managedFields": [
                    {
                        "apiVersion": "v1",
                        "fieldsType": "FieldsV1",
                        "fieldsV1": {"f:data": {".": {}, "f:DB_POOL_SIZE": {}, "f:HTTP_CLIENT_TIMEOUT": {}}},
                        "manager": "kubectl-client-side-apply",
                        "operation": "Update",
                        "time": rfc3339(self.created),
                    },
                    {
                        "apiVersion": "v1",
                        "fieldsType": "FieldsV1",
                        "fieldsV1": {"f:data": {"f:DB_POOL_SIZE": {}}},
                        "manager": "kubectl-edit",
                        "operation": "Update",
                        "time": rfc3339(self.changed),
                    },
                ],
                "name": self.name,
                "namespace": namespace,
                "resourceVersion": "27009817",
                "uid": uid("configmap", &self.name),
            },
        })
    }
}

/// A v1 `Status` error as the API server sends it.
pub fn status(code: u16, reason: &str, message: &str, details: Value) -> Value {
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "details": details,
        "code": code,
    })
}

/// The API server's 404 for `GET .../{resource}/{name}`.
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

/// The 500 an overloaded or broken API server (or etcd behind it) answers.
pub fn kube_internal_error() -> Vec<Route> {
    vec![Route::new("*", "/*").respond(Response::json(
        500,
        &status(
            500,
            "InternalError",
            "Internal error occurred: etcdserver: request timed out",
            json!({"causes": [{"message": "etcdserver: request timed out"}]}),
        ),
    ))]
}

/// A read-only API server holding `rollouts` and `config_maps` in
/// `namespace`: Deployments (StatefulSets, DaemonSets) by name, ReplicaSets
/// and ControllerRevisions listed by `labelSelector`, ConfigMaps by name, and
/// a v1 Status 404 for anything else. Holding a StatefulSet or DaemonSet, or
/// a workload that mounts a ConfigMap, it also lists the workloads
/// ([`workload_list_routes`]): service mapping is the only way tracectl finds
/// one, or what it mounts.
pub fn kube_routes(
    namespace: &str,
    rollouts: &[Rollout],
    config_maps: &[ConfigMapSpec],
) -> Vec<Route> {
    let mut routes = Vec::new();
    let mut replica_sets = Vec::new();
    let mut revisions = Vec::new();
    for r in rollouts {
        routes.push(
            Route::get(&format!(
                "/apis/apps/v1/namespaces/{namespace}/{}/{}",
                r.plural(),
                r.name
            ))
            .respond(Response::json(200, &r.deployment_json(namespace))),
        );
        if r.kind == "Deployment" {
            replica_sets.extend(r.replica_sets(namespace));
        } else {
            revisions.extend(r.controller_revisions(namespace));
        }
    }
    if rollouts
        .iter()
        .any(|r| r.kind != "Deployment" || !r.mounts.is_empty())
    {
        routes.extend(workload_list_routes(namespace, rollouts));
    }
    routes.push(selector_list(
        &format!("/apis/apps/v1/namespaces/{namespace}/controllerrevisions"),
        "ControllerRevisionList",
        "1300002",
        revisions,
    ));
    for cm in config_maps {
        routes.push(
            Route::get(&format!(
                "/api/v1/namespaces/{namespace}/configmaps/{}",
                cm.name
            ))
            .respond(Response::json(200, &cm.to_json(namespace))),
        );
    }
    routes.push(selector_list(
        &format!("/apis/apps/v1/namespaces/{namespace}/replicasets"),
        "ReplicaSetList",
        "1300000",
        replica_sets,
    ));
    // Each Deployment's pod, with an empty log: what the pod list and log reads of a cluster
    // running these Deployments answer. (An incident that models pods and logs, as the error
    // incidents do, puts its own routes first.)
    let pods: Vec<KubePod> = rollouts
        .iter()
        .flat_map(|r| {
            r.pod_names()
                .into_iter()
                .map(|p| KubePod::running(&p, &r.name).owned_by(r))
        })
        .collect();
    let logs: Vec<(String, Vec<(i64, String)>)> =
        pods.iter().map(|p| (p.name.clone(), Vec::new())).collect();
    routes.extend(kube_pod_routes(namespace, &pods, &[], &logs));
    routes.push(Route::new("*", "/*").respond_with(|req: &RecordedRequest| not_found(&req.path)));
    routes
}

/// `GET /apis/apps/v1/namespaces/{ns}/{deployments,statefulsets,daemonsets}`:
/// the rollouts of each kind as a `{Kind}List` (items without
/// `apiVersion`/`kind`, as the API server lists them).
pub fn workload_list_routes(namespace: &str, rollouts: &[Rollout]) -> Vec<Route> {
    ["Deployment", "StatefulSet", "DaemonSet"]
        .into_iter()
        .map(|kind| {
            let items: Vec<Value> = rollouts
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| {
                    let mut d = r.deployment_json(namespace);
                    if let Some(o) = d.as_object_mut() {
                        o.remove("apiVersion");
                        o.remove("kind");
                    }
                    d
                })
                .collect();
            let list = json!({"apiVersion": "apps/v1", "kind": format!("{kind}List"),
                              "metadata": {"resourceVersion": "1300001"}, "items": items});
            Route::get(&format!(
                "/apis/apps/v1/namespaces/{namespace}/{}s",
                kind.to_lowercase()
            ))
            .respond(Response::json(200, &list))
        })
        .collect()
}

/// Equality-based label selectors (`a=b,c=d`), the only kind tracectl sends.
/// `GET path`: a `kind` list of the `items` whose labels match the request's `labelSelector`,
/// as the API server filters them.
fn selector_list(
    path: &str,
    kind: &'static str,
    resource_version: &'static str,
    items: Vec<Value>,
) -> Route {
    Route::get(path).respond_with(move |req: &RecordedRequest| {
        let selector = req.query_param("labelSelector").unwrap_or_default();
        let items: Vec<Value> = items
            .iter()
            .filter(|o| matches_selector(&o["metadata"]["labels"], &selector))
            .cloned()
            .collect();
        Response::json(
            200,
            &json!({
                "apiVersion": "apps/v1",
                "kind": kind,
                "metadata": {"resourceVersion": resource_version},
                "items": items,
            }),
        )
    })
}

fn matches_selector(labels: &Value, selector: &str) -> bool {
    selector
        .split(',')
        .filter(|s| !s.is_empty())
        .all(|term| match term.split_once('=') {
            Some((k, v)) => labels[k.trim()].as_str() == Some(v.trim()),
            None => false,
        })
}

/// A deterministic UUID-shaped uid for an object.
fn uid(kind: &str, name: &str) -> String {
    let a = fnv(&format!("{kind}/{name}"));
    let b = fnv(&format!("{name}/{kind}"));
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A kubeconfig for `server` (plain HTTP) with a bearer token, its context
/// defaulting to `namespace`; written into `dir`.
pub fn write_kubeconfig(dir: &Path, server: &str, namespace: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- name: fixture
  cluster:
    server: {server}
users:
- name: tracectl-test
  user:
    token: fixture-kube-token
contexts:
- name: fixture
  context:
    cluster: fixture
    user: tracectl-test
    namespace: {namespace}
current-context: fixture
"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

/// A loopback URL nothing listens on. A privileged port that refuses connections: `bind(0)`
/// never hands one out, so no fixture the other tests start in parallel can take it (a port
/// bound and released, the fallback, can be: a test once found a Jaeger fixture behind its
/// "closed" port).
pub fn closed_port_url() -> String {
    let refused = |port: u16| {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        matches!(
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(500)),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused
        )
    };
    if let Some(port) = [9u16, 1, 47, 59].into_iter().find(|p| refused(*p)) {
        return format!("http://127.0.0.1:{port}");
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

// ---------------------------------------------------------------------------
// A whole incident
// ---------------------------------------------------------------------------

/// What the three backends know about one incident.
pub struct Incident {
    pub namespace: String,
    pub metrics: Scenario,
    pub traces: Vec<TraceSpec>,
    pub rollouts: Vec<Rollout>,
    pub config_maps: Vec<ConfigMapSpec>,
}

impl Default for Incident {
    /// An incident in [`NAMESPACE`] over [`START`]..[`END`], with no data yet.
    fn default() -> Self {
        Incident {
            namespace: NAMESPACE.to_string(),
            metrics: Scenario::new(START, END),
            traces: Vec::new(),
            rollouts: Vec::new(),
            config_maps: Vec::new(),
        }
    }
}

impl Incident {
    pub fn namespace(mut self, namespace: &str) -> Self {
        self.namespace = namespace.to_string();
        self
    }

    pub fn series(mut self, series: impl IntoIterator<Item = SeriesSpec>) -> Self {
        for s in series {
            self.metrics = self.metrics.with(s);
        }
        self
    }

    pub fn pods(self, pods: &[Pod]) -> Self {
        let series: Vec<SeriesSpec> = pods.iter().flat_map(Pod::series).collect();
        self.series(series)
    }

    pub fn traces(mut self, traces: impl IntoIterator<Item = TraceSpec>) -> Self {
        self.traces.extend(traces);
        self
    }

    pub fn rollout(mut self, rollout: Rollout) -> Self {
        self.rollouts.push(rollout);
        self
    }

    pub fn config_map(mut self, cm: ConfigMapSpec) -> Self {
        self.config_maps.push(cm);
        self
    }

    /// Serves the incident: Prometheus with the metrics, a Jaeger and a
    /// Kubernetes fixture, and a kubeconfig for the latter. `None` when
    /// Prometheus is not installed (the harness has printed SKIPPED).
    pub fn start(&self) -> Option<Backends> {
        let prometheus = PrometheusHarness::start(&self.metrics).expect("start Prometheus")?;
        let jaeger = FixtureServer::start(jaeger_routes(self.traces.clone()));
        let kube = FixtureServer::start(kube_routes(
            &self.namespace,
            &self.rollouts,
            &self.config_maps,
        ));
        let dir = tempfile::Builder::new()
            .prefix("tracectl-incident-")
            .tempdir()
            .expect("tempdir");
        let kubeconfig = write_kubeconfig(dir.path(), &kube.url(), &self.namespace);
        Some(Backends {
            prometheus,
            jaeger,
            kube,
            kubeconfig,
            dir,
        })
    }
}

/// The running backends of an [`Incident`]; everything stops on drop.
pub struct Backends {
    pub prometheus: PrometheusHarness,
    pub jaeger: FixtureServer,
    pub kube: FixtureServer,
    pub kubeconfig: PathBuf,
    /// Holds the kubeconfig; also a scratch space (HOME for runs, bundles).
    pub dir: TempDir,
}

impl Backends {
    /// A kubeconfig pointing at another API server (a failing or absent one).
    pub fn kubeconfig_for(&self, name: &str, server: &str) -> PathBuf {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(&dir).expect("create kubeconfig dir");
        write_kubeconfig(&dir, server, NAMESPACE)
    }
}

// ---------------------------------------------------------------------------
// Error incidents (`investigate errors`): request and error counters, pods
// with container statuses, their events and logs, and a Jaeger search that
// honours `tags`
// ---------------------------------------------------------------------------

/// The requests `service` serves for `operation` (`mcp_requests_total`,
/// `dependency_service_name=""`), `rate` per second.
pub fn requests(service: &str, operation: &str, rate: f64) -> SeriesSpec {
    SeriesSpec::counter(
        "mcp_requests_total",
        &[
            ("service_name", service),
            ("operation_name", operation),
            ("dependency_service_name", ""),
        ],
        Shape::Constant(rate),
    )
}

/// The errors of type `error_type` among those requests (`mcp_errors_total`).
pub fn errors(service: &str, operation: &str, error_type: &str, rate: Shape) -> SeriesSpec {
    SeriesSpec::counter(
        "mcp_errors_total",
        &[
            ("service_name", service),
            ("operation_name", operation),
            ("dependency_service_name", ""),
            ("error_type", error_type),
        ],
        rate,
    )
}

/// The calls `service` makes to `dependency`: `rate` per second, of which
/// `failing` per second fail with `error_type`.
pub fn calls(
    service: &str,
    dependency: &str,
    operation: &str,
    rate: f64,
    error_type: &str,
    failing: Shape,
) -> [SeriesSpec; 2] {
    let labels = [
        ("service_name", service),
        ("operation_name", operation),
        ("dependency_service_name", dependency),
    ];
    let mut with_type = labels.to_vec();
    with_type.push(("error_type", error_type));
    [
        SeriesSpec::counter("mcp_requests_total", &labels, Shape::Constant(rate)),
        SeriesSpec::counter("mcp_errors_total", &with_type, failing),
    ]
}

/// A process's file descriptors as the client libraries export them
/// (`process_open_fds`, `process_max_fds`), scraped as `job` from `pod`.
pub fn file_descriptors(job: &str, pod: &str, open: Shape, max: f64) -> [SeriesSpec; 2] {
    let labels = [("job", job), ("namespace", NAMESPACE), ("pod", pod)];
    [
        SeriesSpec::gauge("process_open_fds", &labels, open),
        SeriesSpec::gauge("process_max_fds", &labels, Shape::Constant(max)),
    ]
}

/// A pod as the API server lists it: one container named like its app, a
/// memory limit, and its restarts, last termination and current state.
#[derive(Clone, Debug)]
pub struct KubePod {
    pub name: String,
    pub app: String,
    /// The controller that owns it: (kind, name); a ReplicaSet `APP-7d9f`
    /// unless [`KubePod::owned_by`] says otherwise.
    pub owner: Option<(String, String)>,
    pub memory_limit: String,
    pub started: i64,
    pub restarts: i64,
    /// (reason, exit code, unix seconds finished)
    pub last_terminated: Option<(String, i64, i64)>,
    /// A waiting reason (`CrashLoopBackOff`); running when `None`.
    pub waiting: Option<String>,
}

impl KubePod {
    /// A running pod of `app` (label `app=<app>`), never restarted, 512 MiB limit.
    pub fn running(name: &str, app: &str) -> Self {
        KubePod {
            name: name.to_string(),
            app: app.to_string(),
            owner: None,
            memory_limit: "512Mi".to_string(),
            started: END - 2 * DAY,
            restarts: 0,
            last_terminated: None,
            waiting: None,
        }
    }

    /// It has restarted `restarts` times, the last one ending with `reason`
    /// and `exit_code` at `finished`.
    pub fn restarted(mut self, restarts: i64, reason: &str, exit_code: i64, finished: i64) -> Self {
        self.restarts = restarts;
        self.last_terminated = Some((reason.to_string(), exit_code, finished));
        self
    }

    /// Owned as `rollout`'s pods are: a StatefulSet or DaemonSet owns its
    /// pods itself, a Deployment through its ReplicaSet.
    pub fn owned_by(mut self, rollout: &Rollout) -> Self {
        if rollout.kind != "Deployment" {
            self.owner = Some((rollout.kind.to_string(), rollout.name.clone()));
        }
        self
    }

    /// It is waiting now (`CrashLoopBackOff`).
    pub fn waiting(mut self, reason: &str) -> Self {
        self.waiting = Some(reason.to_string());
        self
    }

    /// One item of a `PodList`, shaped like the API server's.
    pub fn to_json(&self, namespace: &str) -> Value {
        let image = format!("registry.example/shop/{}:1.8.0", self.app);
        let state = match &self.waiting {
            Some(reason) => json!({"waiting": {
                "reason": reason,
                "message": format!("back-off 2m40s restarting failed container={} pod={}_{namespace}", self.app, self.name),
            }}),
            None => json!({"running": {"startedAt": rfc3339(
                self.last_terminated.as_ref().map_or(self.started, |t| t.2 + 10)
            )}}),
        };
        let last_state = match &self.last_terminated {
            Some((reason, code, finished)) => json!({"terminated": {
                "containerID": format!("containerd://{:016x}", fnv(&self.name)),
                "exitCode": code,
                "reason": reason,
                "startedAt": rfc3339(finished - 120),
                "finishedAt": rfc3339(*finished),
            }}),
            None => json!({}),
        };
        json!({
            "metadata": {
                "creationTimestamp": rfc3339(self.started),
                "labels": {"app": self.app, "pod-template-hash": "7d9f"},
                "name": self.name,
                "namespace": namespace,
                "ownerReferences": [match &self.owner {
                    Some((kind, name)) => json!({
                        "apiVersion": "apps/v1", "controller": true, "kind": kind,
                        "name": name, "uid": uid(kind, name),
                    }),
                    None => json!({
                        "apiVersion": "apps/v1", "controller": true, "kind": "ReplicaSet",
                        "name": format!("{}-7d9f", self.app), "uid": uid("replicaset", &self.app),
                    }),
                }],
                "resourceVersion": "151454",
                "uid": uid("pod", &self.name),
            },
            "spec": {
                "containers": [{
                    "image": image,
                    "name": self.app,
                    "resources": {
                        "limits": {"cpu": "1", "memory": self.memory_limit},
                        "requests": {"cpu": "250m", "memory": "256Mi"},
                    },
                }],
                "nodeName": "node-a",
                "restartPolicy": "Always",
            },
            "status": {
                "phase": "Running",
                "startTime": rfc3339(self.started),
                "containerStatuses": [{
                    "containerID": format!("containerd://{:016x}", fnv(&format!("{}/now", self.name))),
                    "image": image,
                    "imageID": format!("registry.example/shop/{}@sha256:{:064x}", self.app, 0),
                    "lastState": last_state,
                    "name": self.app,
                    "ready": self.waiting.is_none(),
                    "restartCount": self.restarts,
                    "started": self.waiting.is_none(),
                    "state": state,
                }],
            },
        })
    }
}

/// A core/v1 Event about a pod, as the kubelet writes it (old-style fields:
/// `count`, `firstTimestamp`, `lastTimestamp`).
#[derive(Clone, Debug)]
pub struct KubeEvent {
    pub pod: String,
    pub reason: String,
    pub message: String,
    pub count: i64,
    pub last_seen: i64,
}

impl KubeEvent {
    pub fn new(pod: &str, reason: &str, message: &str, count: i64, last_seen: i64) -> Self {
        KubeEvent {
            pod: pod.to_string(),
            reason: reason.to_string(),
            message: message.to_string(),
            count,
            last_seen,
        }
    }

    fn to_json(&self, namespace: &str) -> Value {
        json!({
            "metadata": {
                "name": format!("{}.{:x}", self.pod, fnv(&format!("{}{}", self.reason, self.last_seen))),
                "namespace": namespace,
                "creationTimestamp": rfc3339(self.last_seen - 600),
            },
            "involvedObject": {
                "apiVersion": "v1", "kind": "Pod", "name": self.pod, "namespace": namespace,
                "fieldPath": "spec.containers{app}",
            },
            "reason": self.reason,
            "message": self.message,
            "source": {"component": "kubelet", "host": "node-a"},
            "firstTimestamp": rfc3339(self.last_seen - 600),
            "lastTimestamp": rfc3339(self.last_seen),
            "count": self.count,
            "type": if self.reason == "Started" { "Normal" } else { "Warning" },
            "eventTime": null,
            "reportingComponent": "kubelet",
            "reportingInstance": "node-a",
        })
    }
}

/// The API server's pod list (by `labelSelector`), event list and pod logs
/// (`GET .../pods/{pod}/log`, text/plain, honouring `timestamps`,
/// `sinceTime`, `tailLines` and `limitBytes`; `sinceSeconds` is not applied,
/// as the scenario's clock is not the fixture's).
pub fn kube_pod_routes(
    namespace: &str,
    pods: &[KubePod],
    events: &[KubeEvent],
    logs: &[(String, Vec<(i64, String)>)],
) -> Vec<Route> {
    let mut routes = Vec::new();
    for (pod, lines) in logs {
        let lines = lines.clone();
        routes.push(
            Route::get(&format!("/api/v1/namespaces/{namespace}/pods/{pod}/log")).respond_with(
                move |req: &RecordedRequest| {
                    let stamped = req.query_param("timestamps").as_deref() == Some("true");
                    // RFC 3339, whole seconds, as kube-rs sends it.
                    let since = req
                        .query_param("sinceTime")
                        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                        .map(|t| t.as_second());
                    let mut text: Vec<String> = lines
                        .iter()
                        .filter(|(t, _)| since.is_none_or(|s| *t >= s))
                        .map(|(t, line)| {
                            if stamped {
                                // RFC 3339 with nanoseconds, as the kubelet writes it.
                                let ts = rfc3339(*t).replace('Z', ".000000000Z");
                                format!("{ts} {line}")
                            } else {
                                line.clone()
                            }
                        })
                        .collect();
                    if let Some(n) = req
                        .query_param("tailLines")
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        let skip = text.len().saturating_sub(n);
                        text.drain(..skip);
                    }
                    let mut body = text.join("\n");
                    body.push('\n');
                    let mut bytes = body.into_bytes();
                    if let Some(n) = req
                        .query_param("limitBytes")
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        bytes.truncate(n);
                    }
                    Response::new(200)
                        .header("content-type", "text/plain")
                        .body(bytes)
                },
            ),
        );
    }
    let pod_items: Vec<(Value, Value)> = pods
        .iter()
        .map(|p| {
            (
                json!({"app": p.app, "pod-template-hash": "7d9f"}),
                p.to_json(namespace),
            )
        })
        .collect();
    routes.push(
        Route::get(&format!("/api/v1/namespaces/{namespace}/pods")).respond_with(
            move |req: &RecordedRequest| {
                let selector = req.query_param("labelSelector").unwrap_or_default();
                let items: Vec<&Value> = pod_items
                    .iter()
                    .filter(|(labels, _)| matches_selector(labels, &selector))
                    .map(|(_, pod)| pod)
                    .collect();
                Response::json(
                    200,
                    &json!({"apiVersion": "v1", "kind": "PodList",
                            "metadata": {"resourceVersion": "1400000"}, "items": items}),
                )
            },
        ),
    );
    let event_items: Vec<Value> = events.iter().map(|e| e.to_json(namespace)).collect();
    routes.push(
        Route::get(&format!("/api/v1/namespaces/{namespace}/events")).respond(Response::json(
            200,
            &json!({"apiVersion": "v1", "kind": "EventList",
                    "metadata": {"resourceVersion": "1400001"}, "items": event_items}),
        )),
    );
    routes
}

/// Does span `s` carry every one of `tags` (values compared as text, the way
/// Jaeger's tag search compares them)?
fn span_has_tags(s: &SpanSpec, tags: &serde_json::Map<String, Value>) -> bool {
    tags.iter().all(|(k, want)| {
        s.tags.iter().any(|(tk, tv)| {
            let text = match tv {
                Value::String(v) => v.clone(),
                other => other.to_string(),
            };
            tk == k && Some(text.as_str()) == want.as_str()
        })
    })
}

/// Like [`jaeger_routes`], with `/api/traces` also honouring `tags` (a JSON
/// object): a trace matches when one span of the service has every tag.
pub fn jaeger_tag_routes(traces: Vec<TraceSpec>) -> Vec<Route> {
    let mut services: Vec<String> = traces
        .iter()
        .flat_map(|t| t.services().map(str::to_string))
        .collect();
    services.sort();
    services.dedup();
    vec![
        dependencies_route(traces.clone()),
        Route::get("/api/services").respond(Response::json(200, &services_body(&services))),
        Route::get("/api/traces").respond_with(move |req: &RecordedRequest| {
            let service = req.query_param("service").unwrap_or_default();
            let tags: serde_json::Map<String, Value> = req
                .query_param("tags")
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            let limit = req
                .query_param("limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(20);
            // As Jaeger and [`jaeger_routes`]: traces that started in [start, end] (µs).
            let bound = |k: &str| req.query_param(k).and_then(|v| v.parse::<i64>().ok());
            let (from, to) = (bound("start"), bound("end"));
            let found: Vec<Value> = traces
                .iter()
                .filter(|t| {
                    t.spans
                        .iter()
                        .any(|s| s.service == service && span_has_tags(s, &tags))
                })
                .filter(|t| {
                    let start = t.spans.first().map_or(0, |s| s.start_us);
                    from.is_none_or(|f| start >= f) && to.is_none_or(|e| start <= e)
                })
                .take(limit)
                .map(TraceSpec::to_json)
                .collect();
            Response::json(200, &envelope(Value::Array(found)))
        }),
    ]
}

/// An [`Incident`] plus what the error runbook reads from Kubernetes beyond
/// rollouts and ConfigMaps: pods, their events and their logs.
pub struct ErrorIncident {
    pub incident: Incident,
    pub pods: Vec<KubePod>,
    pub events: Vec<KubeEvent>,
    /// (pod, [(unix seconds, line)])
    pub logs: Vec<(String, Vec<(i64, String)>)>,
    /// Whether the API server lists Deployments, StatefulSets and DaemonSets
    /// (service mapping); without, those lists answer 404 and tracectl
    /// takes a service's name for its Deployment's.
    pub workload_lists: bool,
}

impl ErrorIncident {
    pub fn new(incident: Incident) -> Self {
        ErrorIncident {
            incident,
            pods: Vec::new(),
            events: Vec::new(),
            logs: Vec::new(),
            workload_lists: false,
        }
    }

    /// Serve the workload lists (see [`workload_list_routes`]).
    pub fn workload_lists(mut self) -> Self {
        self.workload_lists = true;
        self
    }

    pub fn pod(mut self, pod: KubePod) -> Self {
        self.pods.push(pod);
        self
    }

    pub fn event(mut self, event: KubeEvent) -> Self {
        self.events.push(event);
        self
    }

    /// `pod`'s log: `(unix seconds, line)`, oldest first.
    pub fn log(mut self, pod: &str, lines: impl IntoIterator<Item = (i64, String)>) -> Self {
        self.logs
            .push((pod.to_string(), lines.into_iter().collect()));
        self
    }

    /// Serves it: Prometheus with the metrics, Jaeger with tag search, and a
    /// Kubernetes API with the pods, events and logs as well as the rollouts
    /// and ConfigMaps. `None` when Prometheus is not installed.
    pub fn start(&self) -> Option<Backends> {
        let i = &self.incident;
        let prometheus = PrometheusHarness::start(&i.metrics).expect("start Prometheus")?;
        let jaeger = FixtureServer::start(jaeger_tag_routes(i.traces.clone()));
        let mut routes = kube_pod_routes(&i.namespace, &self.pods, &self.events, &self.logs);
        if self.workload_lists {
            routes.extend(workload_list_routes(&i.namespace, &i.rollouts));
        }
        routes.extend(kube_routes(&i.namespace, &i.rollouts, &i.config_maps));
        let kube = FixtureServer::start(routes);
        let dir = tempfile::Builder::new()
            .prefix("tracectl-incident-")
            .tempdir()
            .expect("tempdir");
        let kubeconfig = write_kubeconfig(dir.path(), &kube.url(), &i.namespace);
        Some(Backends {
            prometheus,
            jaeger,
            kube,
            kubeconfig,
            dir,
        })
    }
}
