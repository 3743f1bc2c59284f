//! The call graph's shape against a real Prometheus (issue 19 and #15 items 2 and 7): the
//! downloads grow with the changed services, not the fleet; the shape beyond them is read whole
//! when small, else only as far as it is needed; a fleet with no call measured takes its graph
//! from the trace store, and without one its log scope reads the busiest services.

use crate::localize::{assert_root, deep_incident, run, steady, with_new_errors};
use crate::scenarios::jaeger_routes;
use crate::scenarios::{
    END, ErrorIncident, Incident, KubePod, Pod, TraceSpec, client, errors, flat, requests, server,
    step,
};
use crate::support::report::{assert_top_kind, findings, step_of, summary};
use crate::support::tempo_api::{TempoOptions, tempo_routes};
use crate::support::{FixtureServer, Response, Route};

/// Issue 19 (and #15 item 7): the call graph's downloads grow with the changed services, not
/// the fleet. The deep incident beside six quiet services calling one another, with pods: each
/// query the step recorded, run again against the same Prometheus, names only the changed
/// services (frontend, checkout, payment), their neighbours (orchestrator, workflow, postgres,
/// also the chronic ones) and their containers, except those that read the graph's shape, keys
/// only (`count by`). This small graph's whole shape is read; with `graph_shape_whole_max` at 0
/// (as a graph of more calls than it is), only what the `--service` reach and the log step's
/// scope walk through. The answer is the deep incident's either way.
#[test]
fn issue_19_the_call_graph_reads_only_the_changed_services_and_their_neighbours() {
    let mut quiet = Vec::new();
    let mut pods = vec![
        Pod::healthy("payment-6d5f7c9b8-x2x7q", "payment").throttled(step(0.02, 0.6)),
        Pod::healthy("checkout-7d9f8b6c5d-a1b2c", "checkout"),
    ];
    for i in 0..6 {
        let name = format!("quiet-{i}");
        quiet.push(server(&name, "GET /", 20.0, flat(0.2)));
        if i < 5 {
            let next = format!("quiet-{}", i + 1);
            quiet.push(client(&name, &next, "GET /", 20.0, flat(0.15)));
        }
        pods.push(Pod::healthy(&format!("{name}-5c8d7f6b9-q{i}x2z"), &name));
    }
    let Some(b) = deep_incident().series(quiet).pods(&pods).start() else {
        return;
    };
    let changed_or_near = [
        "frontend",
        "checkout",
        "payment",
        "orchestrator",
        "workflow",
        "postgres",
    ];
    let config = rounds_config(&b);
    let rounds = ["--config", config.as_str()];
    for (whole, extra) in [
        (true, vec![]),
        (true, vec!["--service", "checkout"]),
        (false, rounds.to_vec()),
        (false, [&rounds[..], &["--service", "checkout"]].concat()),
    ] {
        let extra = &extra[..];
        let report = run(&b, "latency", extra).report();
        let root = findings(&report, "slow_dependency")
            .iter()
            .any(|f| f["subject"]["dependency"] == "payment");
        assert!(root, "{extra:?}: {}", summary(&report));
        let queries = graph_queries(&report);
        let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
        // The size probe answers one number, no names.
        let size = queries
            .iter()
            .filter(|q| q.starts_with("count(count by"))
            .count();
        assert_eq!(size, 1, "{queries:#?}");
        // The shape's queries: keys only (`count by`), or the services with their throughput
        // now (`… or 0 * <baseline>`).
        let (shape, values): (Vec<&str>, Vec<&str>) = queries
            .iter()
            .filter(|q| !q.starts_with("count(count by"))
            .partition(|q| q.contains("count by") || q.contains(") or 0 * quantile_over_time"));
        assert!(values.len() > 20, "{extra:?}: {queries:#?}");
        let mut seen = std::collections::BTreeSet::new();
        for q in &values {
            let names = instant_names(&b.prometheus.url(), q);
            assert!(
                names.iter().all(|n| changed_or_near.contains(&n.as_str())),
                "{extra:?}: {q} answered {names:?}"
            );
            seen.extend(names);
        }
        assert!(
            seen.contains("payment") && seen.contains("frontend"),
            "{seen:?}"
        );
        // The graph's shape beyond them is read only as far as it is needed (#15 item 7): with
        // --service, what checkout calls (the walk's reach); without, what the log step's scope
        // walks, from the candidates' symptoms and then the entry points, within its budget (30
        // services: here the whole small fleet, the quiet chain included).
        let shape_names: std::collections::BTreeSet<String> = shape
            .iter()
            .flat_map(|q| instant_names(&b.prometheus.url(), q))
            .collect();
        let service = extra.contains(&"--service");
        // With --service, the reach is read first (keys only, a level a query: checkout;
        // payment and workflow; postgres), and the first round asks about those services
        // alone: no query but the size probe (and the whole shape's) spans the fleet.
        let reach = if service { 3 } else { 0 };
        // The first round's "may have changed" probes (now > ratio × the baseline's median).
        let changed: Vec<&&str> = queries
            .iter()
            .filter(|q| q.contains(") > ") && q.contains(" * (quantile_over_time(0.5, "))
            .collect();
        assert!(!changed.is_empty(), "{queries:#?}");
        for q in &changed {
            assert_eq!(
                q.contains("checkout|payment|postgres|workflow"),
                service,
                "{extra:?}: {q}"
            );
        }
        if whole {
            // Every call and every service, in two queries.
            assert_eq!(shape.len(), 2 + reach, "{shape:#?}");
            assert!(shape_names.contains("quiet-3"), "{shape_names:?}");
        } else if !service {
            assert!(shape_names.contains("quiet-3"), "{shape_names:?}");
            let entries: Vec<&&str> = shape.iter().filter(|q| q.contains("unless on")).collect();
            assert_eq!(entries.len(), 1, "{shape:#?}");
            let mut names = instant_names(&b.prometheus.url(), entries[0]);
            names.sort();
            assert_eq!(names, ["frontend", "quiet-0"], "the entry points alone");
        } else {
            assert!(!shape.is_empty(), "the reach is read: {queries:#?}");
            assert!(
                shape_names
                    .iter()
                    .all(|n| ["checkout", "payment", "workflow", "postgres"].contains(&n.as_str())),
                "{shape_names:?}"
            );
        }
    }
}

/// A config file whose context reads every graph's shape in rounds, as a large graph's
/// (`graph_shape_whole_max: 0`), in `b`'s directory; its path for `--config`.
fn rounds_config(b: &crate::scenarios::Backends) -> String {
    let config = b.dir.path().join("rounds.yaml");
    std::fs::write(
        &config,
        "current-context: rounds\ncontexts:\n  rounds:\n    thresholds: { graph_shape_whole_max: 0 }\n",
    )
    .unwrap();
    config.display().to_string()
}

/// What the `call-graph` step says it asked, in order.
fn graph_queries(report: &serde_json::Value) -> Vec<String> {
    step_of(report, "call-graph")["queries"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|q| q.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The services each series of `query` names at [`END`] (its service, dependency and
/// container labels, a pod's container as the service it runs), asked of Prometheus directly
/// (HTTP/1.0, so the answer is not chunked).
fn instant_names(base: &str, query: &str) -> Vec<String> {
    let mut out = Vec::new();
    for r in crate::support::prometheus::instant_result(base, query, END) {
        for k in ["service_name", "dependency_service_name", "container"] {
            if let Some(n) = r["metric"][k].as_str().filter(|n| !n.is_empty()) {
                out.push(n.to_string());
            }
        }
    }
    out
}

/// With `--service S` the first round asks about S and what it calls alone, once that reach is
/// read; a reach deeper than the levels read first (8) is asked about fleet-wide, as before. A
/// chain c00 → … → c11 whose last service got slower (carried up to c04; c00–c03 flat): from
/// c05 (seven levels) the first round's "may have changed" probes name the reach; from c00
/// (twelve) the fleet. The root is found either way. Read in rounds, as a large graph is, no
/// service's calls out are read twice: the levels read before the first round are kept.
#[test]
fn with_a_service_the_first_round_asks_about_its_reach_alone() {
    let name = |i: usize| format!("c{i:02}");
    let mut series = Vec::new();
    for i in 0..12 {
        // Each service's own time is 20 ms; c11's rose to 400 ms, carried up to c04.
        let below = |from: usize| 0.02 * (12 - from) as f64;
        let rise = |i: usize| if i >= 4 { 0.38 } else { 0.0 };
        let shape = |v: f64, r: f64| if r > 0.0 { step(v, v + r) } else { flat(v) };
        series.push(server(&name(i), "GET /", 20.0, shape(below(i), rise(i))));
        if i < 11 {
            let v = below(i + 1) + 0.001;
            series.push(client(
                &name(i),
                &name(i + 1),
                "GET /",
                20.0,
                shape(v, rise(i + 1)),
            ));
        }
    }
    let Some(b) = Incident::default().series(series).start() else {
        return;
    };
    let config = rounds_config(&b);
    for (from, restricted) in [("c05", true), ("c00", false)] {
        // The shape read in rounds (as a large graph's is): no service's calls out are read
        // twice, the levels read before the first round included.
        let report = run(&b, "latency", &["--service", from, "--config", &config]).report();
        let mut read = std::collections::BTreeSet::new();
        for q in graph_queries(&report)
            .iter()
            .filter(|q| q.starts_with("count by (service_name, dependency_service_name) ("))
        {
            let names = q
                .split("service_name=~\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_default();
            for n in names.split('|') {
                assert!(
                    read.insert(n.to_string()),
                    "--service {from}: {n} read twice"
                );
            }
        }
        assert!(read.contains(from), "{read:?}");
        let top = &report["findings"][0]["subject"];
        assert!(
            top["dependency"] == "c11" || top["service"] == "c11",
            "--service {from}: {}",
            summary(&report)
        );
        let queries = graph_queries(&report);
        let changed: Vec<&String> = queries
            .iter()
            .filter(|q| q.contains(") > ") && q.contains(" * (quantile_over_time(0.5, "))
            .collect();
        assert!(!changed.is_empty(), "{queries:#?}");
        for q in changed {
            assert_eq!(
                q.contains("c05|c06|c07|c08|c09|c10|c11"),
                restricted,
                "--service {from}: {q}"
            );
        }
    }
}

/// A fleet with no call measured (no per-call counter) has no graph: every service is an entry
/// point. The log step's scope then reads the busiest services (twice its budget of them, by
/// name), which Prometheus picks (`topk`); no query lists the fleet. Before, the scope was the
/// first services by name, here idle batch jobs, and the whole fleet was listed to find them.
#[test]
fn with_no_call_measured_the_log_step_reads_the_busiest_services() {
    let mut series = vec![
        requests("api", "GET /balance", 40.0),
        errors("api", "GET /balance", "upstream", flat(0.8)),
    ];
    let batch: Vec<String> = (0..12).map(|i| format!("a-batch-{i:02}")).collect();
    for b in &batch {
        series.push(requests(b, "RUN", 0.01));
    }
    for i in 0..60 {
        series.push(requests(&format!("svc-{i:02}"), "GET /", 1.0 + i as f64));
    }
    let logs = with_new_errors(steady("served"), |i| {
        format!("ERROR stale price for item-{i}")
    });
    let Some(b) = ErrorIncident::new(Incident::default().series(series))
        .pod(KubePod::running("svc-20-7d9f-a", "svc-20"))
        .pod(KubePod::running("a-batch-00-5c8d-b", "a-batch-00"))
        .log("svc-20-7d9f-a", logs)
        .log("a-batch-00-5c8d-b", steady("ran batch"))
        .start()
    else {
        return;
    };
    let kubeconfig = b.kubeconfig.display().to_string();
    let report = run(&b, "errors", &["--kubeconfig", &kubeconfig]).report();
    let f = assert_top_kind(&report, "log_template_shift");
    assert_eq!(f["subject"]["service"], "svc-20", "{}", summary(&report));
    let logs_read: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    assert!(
        !logs_read
            .iter()
            .any(|p| p.contains("a-batch-00-5c8d-b/log")),
        "{logs_read:#?}"
    );
    // What the call graph asked of Prometheus: the entry points, the 60 busiest alone
    // (svc-00, the least busy but for the batch jobs, is not among them), and nothing that
    // lists the fleet.
    let queries = graph_queries(&report);
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    let entries: Vec<&&str> = queries.iter().filter(|q| q.starts_with("topk(")).collect();
    assert_eq!(entries.len(), 1, "{queries:#?}");
    let mut names = instant_names(&b.prometheus.url(), entries[0]);
    names.sort();
    let mut busiest: Vec<String> = (1..60).map(|i| format!("svc-{i:02}")).collect();
    busiest.push("api".into());
    busiest.sort();
    assert_eq!(names, busiest);
    for q in &queries {
        let n = instant_names(&b.prometheus.url(), q).len();
        assert!(n <= 60, "{q} answered {n} names");
    }
}

/// A fleet whose metrics measure no call (server-side latency only, no client series): the
/// graph's shape comes from the trace store (issue 15, item 2: "else Jaeger's
/// `/api/dependencies`, else the traces"), and the walk follows it from frontend down to
/// payment, each call judged by its callee's server side: Jaeger's links; Jaeger unreachable (a
/// warning); Jaeger with no links (a sample of traces); Tempo (a sample of its traces). Without
/// a trace store there is no graph: no path.
#[test]
fn with_no_call_measured_the_graph_comes_from_jaegers_dependencies() {
    let traces: Vec<TraceSpec> = (0..4)
        .map(|i| {
            let mut t = TraceSpec::new(i, END - 600 + 60 * i as i64, "frontend", "GET /", 5.5);
            let checkout = t.call(0, "checkout", "POST /checkout", 0.01, 5.3);
            t.call(checkout, "payment", "POST /pay", 0.02, 0.7);
            t.call(checkout, "workflow", "POST /run", 1.0, 4.2);
            t.call(0, "orchestrator", "POST /flow", 0.01, 3.3);
            t
        })
        .collect();
    let Some(b) = Incident::default()
        .series([
            server("frontend", "GET /", 30.0, step(4.9, 5.5)),
            server("checkout", "POST /checkout", 30.0, step(4.7, 5.3)),
            server("payment", "POST /pay", 30.0, step(0.1, 0.7)),
            server("orchestrator", "POST /flow", 5.0, flat(3.3)),
            server("workflow", "POST /run", 30.0, flat(4.2)),
        ])
        .traces(traces.clone())
        .start()
    else {
        return;
    };
    // The root and its path through the trace store `args` names, and the step saying where
    // the graph's shape came from (`said`).
    let found_through = |args: &[&str], said: &str| {
        let report = run(&b, "latency", args).report();
        let f = assert_root(&report, "frontend", "payment");
        let detail = f["detail"].as_str().unwrap();
        assert!(detail.contains("checkout"), "{args:?}: {detail}");
        let queries = graph_queries(&report);
        assert!(
            queries.iter().any(|q| q.contains(said)),
            "{args:?}: {queries:#?}"
        );
    };
    let jaeger = b.jaeger.url();
    found_through(&["--jaeger-url", &jaeger], "GET /api/dependencies?endTs=");
    let asked: Vec<Option<String>> = b
        .jaeger
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/dependencies")
        .map(|r| r.query_param("lookback"))
        .collect();
    // Two days back: the runbook's graph_links_lookback_seconds, in milliseconds.
    assert_eq!(asked, [Some("172800000".to_string())]);

    // A trace store that does not answer: a warning that says so, and the rest as without one.
    let report = run(&b, "latency", &["--jaeger-url", "http://127.0.0.1:9"]).report();
    assert_eq!(
        report["target"]["service"],
        "payment",
        "{}",
        summary(&report)
    );
    let step = step_of(&report, "call-graph");
    let why = step["error"].as_str().unwrap_or_default();
    assert!(
        why.contains("the call graph from jaeger") && why.contains("unreachable"),
        "{step}"
    );

    // Jaeger with no dependency links (Elasticsearch without its dependencies job): the links
    // of a sample of the traces of the services that may have changed, the same path.
    let mut routes = vec![Route::get("/api/dependencies").respond(Response::json(
        200,
        &serde_json::json!({"data": [], "total": 0, "limit": 0, "offset": 0, "errors": null}),
    ))];
    let traces_for_tempo = traces.clone();
    routes.extend(jaeger_routes(traces));
    let no_links = FixtureServer::start(routes);
    let url = no_links.url();
    found_through(&["--jaeger-url", &url], "Jaeger's dependencies were empty");
    let searched: Vec<(String, String)> = no_links
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/traces")
        .filter_map(|r| Some((r.query_param("service")?, r.query_param("limit")?)))
        .collect();
    // graph_links_sample_traces (20) traces each, of the services that may have changed (the
    // other steps' searches ask for more).
    let sampled: Vec<&str> = searched
        .iter()
        .filter(|(_, l)| l == "20")
        .map(|(s, _)| s.as_str())
        .collect();
    assert!(sampled.contains(&"payment"), "{searched:?}");
    assert!(sampled.len() <= 8, "{searched:?}");

    // Tempo as the trace store: no service-graph series in Prometheus either, so the links of
    // a sample of its traces (its own fallback), the same path.
    let tempo = FixtureServer::start(tempo_routes(
        traces_for_tempo.iter().map(TraceSpec::to_tempo).collect(),
        TempoOptions::default(),
    ));
    let url = tempo.url();
    found_through(&["--tempo-url", &url], "Tempo's service graph");

    // Without a trace store: no call, no graph, so no path from frontend to payment.
    let report = run(&b, "latency", &[]).report();
    assert!(
        findings(&report, "slow_dependency")
            .iter()
            .all(|f| f["subject"]["service"] != "frontend"),
        "{}",
        summary(&report)
    );
}
