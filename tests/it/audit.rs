//! End-to-end tests of `tracectl audit` (issue 9): the real binary against a fixture Jaeger (the
//! legacy API: `/api/services`, `/api/traces`, `/api/dependencies`, `/api/operations`) holding a
//! good service and bad ones, and, for coverage and sampling, a real Prometheus.
//!
//! The shop: `catalog` is instrumented by the book; `frontend` calls it well but loses the trace
//! context on its calls to `inventory`, which names its spans `GET` without a route; `payment`
//! puts a card number (an int64 tag, as Jaeger stores numbers) next to an order ID that fails
//! Luhn and a UUID, and names spans with IDs. The tests assert the ranking (worst service first,
//! by score) and that the card number appears nowhere: not in the table, JSON or Markdown
//! report, not on stderr, not in any file of a `--record` bundle, whose replay reports the same.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::scenarios::{END, HOUR, MINUTE, TraceSpec, flat, jaeger_routes, server};
use crate::support::{
    FixtureServer, PrometheusHarness, Response, Route, Scenario, SeriesSpec, Shape,
};

/// The card number that must never be printed or stored (the Visa test number: passes Luhn).
const CARD: &str = "4111111111111111";
/// What may be shown of it.
const MASKED: &str = "4111********1111";
/// A 16-digit order ID that fails Luhn: not sensitive.
const ORDER_ID: &str = "4111111111111112";
const UUID: &str = "550e8400-e29b-41d4-a716-446655440000";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\n{}\n{}",
                self.code, self.stdout, self.stderr
            )
        })
    }
}

/// tracectl in a clean environment (no inherited TRACECTL_*, HOME in `home`).
fn tracectl(args: &[&str], home: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tracectl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tag_all(t: &mut TraceSpec, index: usize, tags: &[(&str, Value)]) {
    for (k, v) in tags {
        t.tag(index, k, v.clone());
    }
}

fn http_server(t: &mut TraceSpec, index: usize, method: &str, route: &str) {
    tag_all(
        t,
        index,
        &[
            ("http.request.method", json!(method)),
            ("http.route", json!(route)),
            ("http.response.status_code", json!(200)),
        ],
    );
}

fn http_client(t: &mut TraceSpec, index: usize, url: &str) {
    tag_all(
        t,
        index,
        &[
            ("http.request.method", json!("GET")),
            ("url.full", json!(url)),
            ("http.response.status_code", json!(200)),
        ],
    );
}

/// The shop's traces, all in the last hour before [`END`].
pub(crate) fn shop() -> Vec<TraceSpec> {
    let mut traces = Vec::new();
    let at = |i: u64| END - 50 * MINUTE + i as i64 * 60;
    for i in 0..4 {
        // frontend → catalog (well), frontend → inventory (context lost on the way).
        let mut t = TraceSpec::new(i, at(i), "frontend", "GET /", 0.5);
        http_server(&mut t, 0, "GET", "/");
        let srv = t.call(0, "catalog", "GET /products/{id}", 0.05, 0.1);
        http_client(&mut t, srv - 1, "http://catalog/products/7");
        http_server(&mut t, srv, "GET", "/products/{id}");
        let db = t.child(srv, "catalog", "SELECT products", "client", 0.06, 0.02);
        tag_all(
            &mut t,
            db,
            &[
                ("db.system", json!("postgresql")),
                ("db.operation.name", json!("SELECT")),
            ],
        );
        let lost = t.child(0, "frontend", "GET /stock", "client", 0.2, 0.2);
        t.tag(lost, "peer.service", json!("inventory"));
        http_client(&mut t, lost, "http://inventory/stock");
        traces.push(t);

        // inventory's half of the same request: a trace of its own, a generic name, no route.
        let mut t = TraceSpec::new(10 + i, at(i), "inventory", "GET", 0.15);
        tag_all(
            &mut t,
            0,
            &[
                ("http.request.method", json!("GET")),
                ("http.response.status_code", json!(200)),
            ],
        );
        traces.push(t);
    }
    for i in 0..3 {
        let mut t = TraceSpec::new(
            20 + i,
            at(i),
            "payment",
            &format!("POST /charge/{}", 1001 + i),
            0.3,
        );
        http_server(&mut t, 0, "POST", "/charge/{id}");
        tag_all(
            &mut t,
            0,
            &[
                ("card.number", json!(4_111_111_111_111_111u64)),
                ("order.id", json!(ORDER_ID)),
                ("request.id", json!(UUID)),
            ],
        );
        traces.push(t);
    }
    traces
}

fn envelope(data: Value) -> Value {
    json!({"data": data, "total": 0, "limit": 0, "offset": 0, "errors": null})
}

/// A legacy Jaeger holding `traces`, with a dependency graph and per-service operations.
pub(crate) fn jaeger(
    traces: Vec<TraceSpec>,
    deps: &[(&str, &str)],
    ops: &[(&str, &[&str])],
) -> FixtureServer {
    let mut routes = vec![
        Route::get("/api/dependencies").respond(Response::json(
            200,
            &envelope(
                deps.iter()
                    .map(|(p, c)| json!({"parent": p, "child": c, "callCount": 40}))
                    .collect(),
            ),
        )),
    ];
    for (svc, names) in ops {
        let list: Vec<Value> = names
            .iter()
            .map(|n| json!({"name": n, "spanKind": "server"}))
            .collect();
        routes.push(
            Route::get("/api/operations")
                .query("service", svc)
                .respond(Response::json(200, &envelope(Value::Array(list)))),
        );
    }
    routes.extend(jaeger_routes(traces));
    FixtureServer::start(routes)
}

fn args<'a>(jaeger: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "audit",
        "--jaeger-url",
        jaeger,
        "--at",
        "1795600800",
        "--timeout",
        "5s",
        "-q",
    ];
    a.extend_from_slice(extra);
    a
}

fn scores(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "audit_score")
        .map(|f| f["title"].as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(report: &'a Value, kind: &str, service: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind && f["subject"]["service"] == service)
        .collect()
}

#[test]
fn ranks_services_worst_first_and_names_each_problem() {
    let j = jaeger(
        shop(),
        &[("frontend", "catalog"), ("frontend", "inventory")],
        &[],
    );
    let home = tempfile::tempdir().unwrap();
    let url = j.url();
    let run = tracectl(
        &args(&url, &["-o", "json", "--fail-on", "critical"]),
        home.path(),
    );
    assert_eq!(
        run.code, 1,
        "critical findings with --fail-on critical\n{}",
        run.stderr
    );
    let r = run.report();
    assert_eq!(r["command"], "audit");
    assert_eq!(
        scores(&r),
        vec![
            "inventory: 53/100",
            "payment: 65/100",
            "frontend: 75/100",
            "catalog: 100/100"
        ],
        "{:#}",
        r["findings"]
    );
    assert!(
        r["diagnosis"]
            .as_str()
            .unwrap()
            .starts_with("inventory scores 53/100, the lowest of 4 services: trace context lost on frontend → inventory"),
        "{}",
        r["diagnosis"]
    );
    // Every step ran against the fixture; without Prometheus the metric steps are skipped.
    let steps: Vec<(&str, &str)> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("services", "ok"),
            ("dependencies", "ok"),
            ("traces", "ok"),
            ("coverage", "skipped"),
            ("sampling-policy", "skipped"),
            ("sampling", "skipped"),
            ("span-loss", "skipped")
        ]
    );

    let hop = find(&r, "broken_propagation", "frontend");
    assert_eq!(hop.len(), 1);
    assert_eq!(hop[0]["subject"]["dependency"], "inventory");
    assert_eq!(hop[0]["severity"], "critical");
    assert!(find(&r, "broken_propagation", "catalog").is_empty());
    assert_eq!(find(&r, "generic_span_name", "inventory").len(), 1);
    let route = find(&r, "missing_attribute", "inventory");
    assert_eq!(route[0]["subject"]["resource"], "http.route");
    let hc = find(&r, "high_cardinality_span_name", "payment");
    assert_eq!(hc[0]["subject"]["operation"], "POST /charge/{id}");
    // The card number is a finding, with its key and a masked sample; the order ID and the UUID
    // next to it are not.
    let leaks = find(&r, "sensitive_data", "payment");
    assert_eq!(leaks.len(), 1, "{leaks:#?}");
    assert_eq!(leaks[0]["subject"]["resource"], "card.number");
    assert_eq!(leaks[0]["severity"], "critical");
    assert!(leaks[0]["detail"].as_str().unwrap().contains(MASKED));
    assert!(
        find(&r, "audit_score", "catalog")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("No deduction")
    );
    for f in r["findings"].as_array().unwrap() {
        if f["kind"] != "audit_score" {
            assert_ne!(
                f["subject"]["service"], "catalog",
                "catalog is clean: {f:#}"
            );
        }
    }
}

/// Every place a report or a bundle could carry the card number.
#[test]
fn no_sensitive_value_in_any_output_or_bundle() {
    let j = jaeger(
        shop(),
        &[("frontend", "catalog"), ("frontend", "inventory")],
        &[],
    );
    let home = tempfile::tempdir().unwrap();
    let url = j.url();
    for format in ["table", "json", "markdown"] {
        let run = tracectl(&args(&url, &["-o", format]), home.path());
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(
            run.stdout.contains(MASKED),
            "{format}: the masked sample is shown"
        );
        for text in [&run.stdout, &run.stderr] {
            assert!(
                !text.contains(CARD),
                "{format} leaks the card number:\n{text}"
            );
        }
    }
    // The table names the service, span name and key; and even with its cells wrapped, the
    // digits in it never spell the card number.
    let table = tracectl(&args(&url, &["-o", "table"]), home.path()).stdout;
    let digits: String = table.chars().filter(char::is_ascii_digit).collect();
    assert!(!digits.contains(CARD), "{table}");
    assert!(
        table.contains("payment: payment card numbers in attribute card.number"),
        "{table}"
    );

    let bundle = home.path().join("bundle");
    let recorded = tracectl(
        &args(&url, &["-o", "json", "--record", bundle.to_str().unwrap()]),
        home.path(),
    );
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    let mut files = 0;
    let mut markers = 0;
    let mut distinct = std::collections::BTreeSet::new();
    const OPEN: &str = "[REDACTED:payment_card:4111********1111:";
    for entry in walk(&bundle) {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(
            !text.contains(CARD),
            "{} holds the card number",
            entry.display()
        );
        for (at, _) in text.match_indices(OPEN) {
            let end = text[at..].find(']').unwrap();
            distinct.insert(text[at..at + end + 1].to_string());
            markers += 1;
        }
        files += 1;
    }
    // One card number, one marker: its keyed pseudonym is the same in every file.
    assert_eq!(distinct.len(), 1, "{distinct:?}");
    assert!(
        files >= 5,
        "services, dependencies and four searches: {files} files"
    );
    assert!(
        markers >= 3,
        "each payment span's value is replaced by its marker: {markers}"
    );
    // Not sensitive, so kept: the replay still sees what the audit saw.
    assert!(
        walk(&bundle)
            .iter()
            .any(|f| std::fs::read_to_string(f).unwrap().contains(ORDER_ID))
    );

    drop(j);
    let replayed = tracectl(
        &[
            "audit",
            "--replay",
            bundle.to_str().unwrap(),
            "-o",
            "json",
            "-q",
        ],
        home.path(),
    );
    assert_eq!(replayed.code, 0, "{}", replayed.stderr);
    let (a, b) = (recorded.report(), replayed.report());
    assert_eq!(
        a["findings"], b["findings"],
        "a replay of the scrubbed bundle reports the same"
    );
    assert_eq!(a["diagnosis"], b["diagnosis"]);
    assert!(!replayed.stdout.contains(CARD));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn service_flag_audits_one_service() {
    let j = jaeger(
        shop(),
        &[("frontend", "catalog"), ("frontend", "inventory")],
        &[],
    );
    let home = tempfile::tempdir().unwrap();
    let url = j.url();
    let run = tracectl(
        &args(&url, &["-o", "json", "--service", "payment"]),
        home.path(),
    );
    let r = run.report();
    assert_eq!(r["target"]["service"], "payment");
    assert_eq!(scores(&r), vec!["payment: 65/100"]);
    for f in r["findings"].as_array().unwrap() {
        assert_eq!(f["subject"]["service"], "payment", "{f:#}");
    }
    let searched: Vec<String> = j
        .requests()
        .iter()
        .filter(|q| q.path == "/api/traces")
        .map(|q| q.query_param("service").unwrap_or_default())
        .collect();
    assert_eq!(searched, vec!["payment"]);
    let limit = j
        .requests()
        .iter()
        .find(|q| q.path == "/api/traces")
        .and_then(|q| q.query_param("limit"));
    assert_eq!(limit.as_deref(), Some("50"));
}

#[test]
fn a_service_without_traces_has_nothing_to_audit() {
    let j = jaeger(shop(), &[], &[]);
    let home = tempfile::tempdir().unwrap();
    let url = j.url();
    let run = tracectl(
        &args(&url, &["-o", "json", "--service", "idle"]),
        home.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.report();
    assert_eq!(
        r["diagnosis"],
        "no trace of idle in the last 1h: nothing to audit"
    );
    assert_eq!(r["findings"], json!([]));
}

#[test]
fn usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let run = tracectl(
        &[
            "audit",
            "--jaeger-url",
            "http://127.0.0.1:9",
            "--traces-per-service",
            "0",
        ],
        home.path(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("--traces-per-service must be between 1 and 1000"),
        "{}",
        run.stderr
    );
    // No backend configured at all is the user's to fix.
    let run = tracectl(&["audit", "-q"], home.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn explain_documents_every_audit_kind() {
    let home = tempfile::tempdir().unwrap();
    for kind in [
        "uninstrumented_service",
        "missing_entry_points",
        "uninstrumented_operation",
        "generic_span_name",
        "high_cardinality_span_name",
        "inconsistent_span_name",
        "missing_attribute",
        "excessive_events",
        "broken_propagation",
        "baggage_too_large",
        "sampling_off_policy",
        "sampling_inconsistent",
        "sensitive_data",
        "span_loss_fragments",
        "audit_score",
    ] {
        let run = tracectl(&["explain", kind], home.path());
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
        assert!(
            run.stdout.starts_with(&format!("{kind}  (runbook: audit)")),
            "{}",
            run.stdout
        );
    }
}

/// With the metrics: a service that serves requests and sends no trace, an operation counted
/// but never traced, and a sampling ratio below the policy's adaptive minimum.
#[test]
fn metrics_show_what_the_traces_miss() {
    let start = END - 3 * HOUR;
    let mut scenario = Scenario::new(start, END);
    for s in [
        server("frontend", "GET /", 5.0, flat(0.2)),
        server("frontend", "POST /feedback", 1.0, flat(0.2)),
        server("legacy", "GET /report", 2.0, flat(0.4)),
        SeriesSpec::counter(
            "mcp_spans_total",
            &[("service_name", "frontend")],
            Shape::Constant(100.0),
        ),
        SeriesSpec::counter(
            "mcp_spans_sampled_total",
            &[("service_name", "frontend")],
            Shape::Constant(0.05),
        ),
    ] {
        scenario = scenario.with(s);
    }
    let Some(prom) = PrometheusHarness::start(&scenario).expect("start Prometheus") else {
        return;
    };
    let mut t = TraceSpec::new(1, END - 10 * MINUTE, "frontend", "GET /", 0.2);
    http_server(&mut t, 0, "GET", "/");
    let j = jaeger(vec![t], &[], &[("frontend", &["GET /"])]);
    let home = tempfile::tempdir().unwrap();
    let (purl, jurl) = (prom.url(), j.url());
    let run = tracectl(
        &args(&jurl, &["--prometheus-url", &purl, "-o", "json"]),
        home.path(),
    );
    let r = run.report();
    assert_eq!(
        scores(&r),
        vec!["legacy: 0/100", "frontend: 83/100"],
        "{:#}",
        r["findings"]
    );
    assert_eq!(find(&r, "uninstrumented_service", "legacy").len(), 1);
    let op = find(&r, "uninstrumented_operation", "frontend");
    assert_eq!(op[0]["subject"]["operation"], "POST /feedback");
    let s = find(&r, "sampling_off_policy", "frontend");
    assert_eq!(
        s[0]["title"],
        "frontend keeps too few traces: effective sampling 0.05%, the policy says 0.10%–50% (default tier)"
    );
    let statuses: Vec<&str> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    // No Kubernetes here: the policy is the guide's, the one step that reads its sources skipped.
    assert_eq!(
        statuses,
        ["ok", "ok", "ok", "ok", "skipped", "ok", "ok"],
        "{:#}",
        r["steps"]
    );
    assert!(find(&r, "span_loss_fragments", "frontend").is_empty());
}

/// Issue 20, a fault elsewhere: the Collector's exporter fails 42% of the time (Elasticsearch
/// red), so the shop's traces are fragments. The audit measures that loss and reports the broken
/// hop as data loss pointing at `investigate data-loss`, never as broken propagation; the same
/// traces with a healthy pipeline are broken propagation (`ranks_services_worst_first...`).
#[test]
fn fragments_from_lost_spans_are_data_loss_not_broken_propagation() {
    let start = END - 3 * HOUR;
    let exporter = [
        ("exporter", "otlp/jaeger"),
        ("service_name", "otelcol-contrib"),
    ];
    let receiver = [
        ("receiver", "otlp"),
        ("transport", "grpc"),
        ("service_name", "otelcol-contrib"),
    ];
    let mut scenario = Scenario::new(start, END);
    for s in [
        SeriesSpec::counter(
            "otelcol_receiver_accepted_spans_total",
            &receiver,
            Shape::Constant(100.0),
        ),
        SeriesSpec::counter(
            "otelcol_exporter_sent_spans_total",
            &exporter,
            Shape::Constant(58.0),
        ),
        SeriesSpec::counter(
            "otelcol_exporter_send_failed_spans_total",
            &exporter,
            Shape::Constant(42.0),
        ),
    ] {
        scenario = scenario.with(s);
    }
    let Some(prom) = PrometheusHarness::start(&scenario).expect("start Prometheus") else {
        return;
    };
    let j = jaeger(
        shop(),
        &[("frontend", "catalog"), ("frontend", "inventory")],
        &[],
    );
    let home = tempfile::tempdir().unwrap();
    let (purl, jurl) = (prom.url(), j.url());
    let run = tracectl(
        &args(&jurl, &["--prometheus-url", &purl, "-o", "json"]),
        home.path(),
    );
    let r = run.report();
    let kinds: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.contains(&"broken_propagation"),
        "lost spans are not a dropped context: {:#}",
        r["findings"]
    );
    let loss = find(&r, "span_loss_fragments", "frontend");
    assert_eq!(loss.len(), 1, "{:#}", r["findings"]);
    assert_eq!(loss[0]["subject"]["dependency"], "inventory");
    assert_eq!(loss[0]["severity"], "warning");
    let title = loss[0]["title"].as_str().unwrap();
    assert!(title.contains("explained by span loss (42%"), "{title}");
    assert_eq!(
        loss[0]["remediation"][0]["command"],
        "tracectl investigate data-loss"
    );
    assert_eq!(step_status(&r, "span-loss"), "ok");
    // The score of the hop's services is not charged for the pipeline's loss.
    assert!(
        scores(&r).contains(&"frontend: 100/100".to_string()),
        "{:?}",
        scores(&r)
    );
}

fn step_status<'a>(r: &'a Value, id: &str) -> &'a str {
    r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .and_then(|s| s["status"].as_str())
        .unwrap_or("")
}
