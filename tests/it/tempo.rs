//! Grafana Tempo as the trace store, end to end: the real binary against the Tempo fixture
//! (`support/tempo_api.rs`) and, where the runbook needs metrics, a real Prometheus.
//!
//! The same incident served by the Jaeger fixture and by the Tempo fixture ranks the same top
//! finding in `investigate latency` and blames the same dependency in `investigate errors`
//! (whose two tag searches are one TraceQL `status = error` for Tempo); `audit` scores the same
//! shop the same way (its service graph from Tempo's metrics-generator series in Prometheus); a
//! `--record`ed Tempo run replays to the same report; the tenant of a config context's `tempo:`
//! block is sent as `X-Scope-OrgID`, and without it a multi-tenant Tempo's `no org id` fails the
//! trace step with a hint; a Tempo answering 5xx or garbage fails only the trace step, with a
//! one-line reason.

use std::path::Path;

use serde_json::{Value, json};

use crate::scenarios::{Backends, END, HOUR, Incident, NAMESPACE, TraceSpec};
use crate::support::report::{Run, assert_top_kind, step_of, summary, tracectl};
use crate::support::tempo_api::{TempoOptions, tempo_routes};
use crate::support::{
    FixtureServer, PrometheusHarness, Response, Route, Scenario, SeriesSpec, Shape,
};

/// The latency suite's slow-dependency incident: checkout's p95 jumps to ~2.4 s because its
/// postgres queries take ~2.2 s.
fn slow_postgres_incident() -> Incident {
    crate::latency::slow_postgres_incident()
}

/// A Tempo fixture holding the incident's traces.
fn tempo_for(incident: &Incident, opts: TempoOptions) -> FixtureServer {
    tempo_with(incident, opts, Vec::new())
}

/// The same, with `first` routes answered before Tempo's own (faults).
fn tempo_with(incident: &Incident, opts: TempoOptions, first: Vec<Route>) -> FixtureServer {
    let mut routes = first;
    routes.extend(tempo_routes(
        incident.traces.iter().map(TraceSpec::to_tempo).collect(),
        opts,
    ));
    FixtureServer::start(routes)
}

/// `investigate latency --service checkout` at [`END`] against Prometheus and Kubernetes, then
/// `store` (e.g. `--tempo-url URL`).
/// The built-in latency runbook without its `trace-compare` step, in a temporary `--runbooks`
/// directory: the request-shape tests below count the slow-traces step's own requests, which
/// that step's concurrent window searches would mix with (it is tested in `localize.rs`).
fn without_trace_compare() -> tempfile::TempDir {
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/latency.yaml"),
    )
    .unwrap();
    let (head, rest) = builtin
        .split_once("\n  - id: trace-compare\n")
        .expect("trace-compare step");
    let (_, tail) = rest.split_once("\n  - id: ").expect("a step after it");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latency.yaml"),
        format!("{head}\n  - id: {tail}"),
    )
    .unwrap();
    dir
}

fn latency(b: &Backends, store: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args: Vec<String> = vec![
        "investigate".into(),
        "latency".into(),
        "--service".into(),
        "checkout".into(),
        "--prometheus-url".into(),
        b.prometheus.url(),
        "--kubeconfig".into(),
        b.kubeconfig.display().to_string(),
        "-n".into(),
        NAMESPACE.into(),
        "--at".into(),
        END.to_string(),
        "--timeout".into(),
        "5s".into(),
        "-o".into(),
        "json".into(),
        "-q".into(),
    ];
    args.extend(store.iter().map(|s| s.to_string()));
    tracectl(&args, env, b.dir.path())
}

/// (kind, subject, title) of every finding, in rank order.
fn ranked(report: &Value) -> Vec<(Value, Value, Value)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].clone(), f["subject"].clone(), f["title"].clone()))
        .collect()
}

fn sources(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .map(|e| e["source"].as_str().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn latency_through_tempo_ranks_the_same_top_finding_as_through_jaeger() {
    let incident = slow_postgres_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let tempo = tempo_for(&incident, TempoOptions::default());

    let jaeger_url = b.jaeger.url();
    let via_jaeger = latency(&b, &["--jaeger-url", &jaeger_url], &[]).report();
    let tempo_url = tempo.url();
    let rb = without_trace_compare();
    let rb = rb.path().to_str().unwrap();
    let via_tempo = latency(&b, &["--tempo-url", &tempo_url, "--runbooks", rb], &[]).report();

    let f = assert_top_kind(&via_tempo, "slow_dependency");
    assert_eq!(
        f["subject"]["dependency"],
        "postgres",
        "{}",
        summary(&via_tempo)
    );
    assert_eq!(
        ranked(&via_tempo),
        ranked(&via_jaeger),
        "tempo:\n{}\njaeger:\n{}",
        summary(&via_tempo),
        summary(&via_jaeger)
    );
    assert_eq!(
        step_of(&via_tempo, "traces")["status"],
        "ok",
        "{}",
        summary(&via_tempo)
    );
    // The evidence names the store that answered; Jaeger's output is as it always was.
    assert!(
        sources(&via_tempo).contains(&"tempo".to_string()),
        "{:?}",
        sources(&via_tempo)
    );
    assert!(!sources(&via_tempo).contains(&"jaeger".to_string()));
    assert!(sources(&via_jaeger).contains(&"jaeger".to_string()));

    // Request shapes: one TraceQL search in the lookback window, then each trace by ID (v2).
    let requests = tempo.requests();
    // (The other search, with no duration, reads the service's resource attributes to map it
    // to its workload: issue #17.)
    let searches: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/api/search")
        .filter(|r| r.query_param("q").is_some_and(|q| q.contains("duration")))
        .collect();
    assert_eq!(searches.len(), 1, "{requests:#?}");
    let q = searches[0].query_param("q").unwrap();
    assert!(
        q.starts_with(r#"{ resource.service.name = "checkout" && duration >= "#),
        "{q}"
    );
    assert_eq!(searches[0].query_param("end"), Some(END.to_string()));
    assert_eq!(
        searches[0].query_param("start"),
        Some((END - HOUR).to_string())
    );
    // Distinct: the workload mapping's two traces per service are among them.
    let fetched: std::collections::BTreeSet<&str> = requests
        .iter()
        .filter(|r| r.path.starts_with("/api/v2/traces/"))
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(fetched.len(), 8, "every slow trace fetched whole");
}

#[test]
fn an_older_tempo_is_read_through_v1() {
    let incident = slow_postgres_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let tempo = tempo_for(
        &incident,
        TempoOptions {
            v1_only: true,
            ..TempoOptions::default()
        },
    );
    let url = tempo.url();
    let rb = without_trace_compare();
    let rb = rb.path().to_str().unwrap();
    let report = latency(&b, &["--tempo-url", &url, "--runbooks", rb], &[]).report();
    assert_top_kind(&report, "slow_dependency");
    // Each trace once by its v1 path (the workload mapping's few traces are among them).
    let v1: std::collections::BTreeSet<String> = tempo
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/traces/"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        v1.len(),
        8,
        "the v2 route answered 404, then v1 for every trace"
    );
}

#[test]
fn with_both_stores_jaeger_answers_unless_tempo_is_chosen() {
    let incident = slow_postgres_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let tempo = tempo_for(&incident, TempoOptions::default());
    let (j, t) = (b.jaeger.url(), tempo.url());
    let both = ["--jaeger-url", j.as_str(), "--tempo-url", t.as_str()];
    let report = latency(&b, &both, &[]).report();
    assert!(sources(&report).contains(&"jaeger".to_string()));
    assert!(tempo.requests().is_empty(), "Jaeger is the default");

    let report = latency(&b, &both, &[("TRACECTL_TRACE_STORE", "tempo")]).report();
    assert!(sources(&report).contains(&"tempo".to_string()));
    assert!(!tempo.requests().is_empty());
}

#[test]
fn record_then_replay_through_tempo_gives_the_same_report() {
    let incident = slow_postgres_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let tempo = tempo_for(&incident, TempoOptions::default());
    let bundle = b.dir.path().join("tempo-bundle");
    let bundle_arg = bundle.display().to_string();
    let url = tempo.url();
    let recorded = latency(&b, &["--tempo-url", &url, "--record", &bundle_arg], &[]);
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    let recorded = recorded.report();
    assert_top_kind(&recorded, "slow_dependency");
    assert!(
        holds_dir(&bundle, "tempo"),
        "the bundle holds Tempo's answers"
    );
    drop(tempo);

    let args: Vec<String> = [
        "investigate",
        "latency",
        "--service",
        "checkout",
        "--replay",
        &bundle_arg,
        "-n",
        NAMESPACE,
        "-o",
        "json",
        "-q",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let replayed = tracectl(&args, &[], b.dir.path());
    assert_eq!(replayed.code, 0, "{}", replayed.stderr);
    assert_eq!(
        without_durations(replayed.report()),
        without_durations(recorded.clone()),
        "{}",
        summary(&recorded)
    );
}

/// Whether a directory named `name` is anywhere under `dir`.
fn holds_dir(dir: &Path, name: &str) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let p = e.path();
            p.is_dir() && (p.ends_with(name) || holds_dir(&p, name))
        })
}

fn without_durations(mut report: Value) -> Value {
    for s in report["steps"].as_array_mut().into_iter().flatten() {
        s.as_object_mut().unwrap().remove("duration_ms");
    }
    report
}

fn write_config(dir: &Path, tempo_url: &str, tenant: &str) -> String {
    let path = dir.join("tempo-config.yaml");
    std::fs::write(
        &path,
        format!(
            "current-context: shop\ncontexts:\n  shop:\n    tempo: {{ url: \"{tempo_url}\", tenant: {tenant} }}\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn the_contexts_tenant_is_sent_and_its_absence_explained() {
    let incident = slow_postgres_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let tempo = tempo_for(
        &incident,
        TempoOptions {
            tenant: Some("team-a".into()),
            ..TempoOptions::default()
        },
    );
    let config = write_config(b.dir.path(), &tempo.url(), "team-a");
    let report = latency(&b, &["--config", &config], &[]).report();
    assert_top_kind(&report, "slow_dependency");
    let requests = tempo.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        assert_eq!(
            r.header("X-Scope-OrgID"),
            Some("team-a"),
            "{} {}",
            r.path,
            r.query
        );
    }

    // Without the tenant, a multi-tenant Tempo answers 401 `no org id`: the trace step fails
    // with that reason and the hint to set the tenant; the metric steps still run.
    let url = tempo.url();
    let run = latency(&b, &["--tempo-url", &url], &[]);
    let report = run.report();
    let traces = step_of(&report, "traces");
    assert_eq!(traces["status"], "failed", "{}", summary(&report));
    let error = traces["error"].as_str().unwrap();
    assert!(error.contains("no org id"), "{error}");
    assert!(error.contains("tenant"), "the hint names the fix: {error}");
    assert!(!error.contains('\n'));
    assert_eq!(step_of(&report, "affected-services")["status"], "ok");
}

#[test]
fn a_failing_tempo_fails_the_trace_step_only() {
    let incident = slow_postgres_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let faults = [
        (
            "5xx",
            Response::text(503, "too many outstanding requests\nretry later\n"),
        ),
        ("garbage", Response::json(200, &json!(["not", "tempo"]))),
        (
            "html",
            Response::new(200)
                .header("content-type", "text/html")
                .body("<html><body>login</body></html>"),
        ),
    ];
    for (case, response) in faults {
        let tempo = tempo_with(
            &incident,
            TempoOptions::default(),
            vec![Route::get("/api/search").respond(response)],
        );
        let url = tempo.url();
        let report = latency(&b, &["--tempo-url", &url], &[]).report();
        let traces = step_of(&report, "traces");
        assert_eq!(traces["status"], "failed", "{case}: {}", summary(&report));
        let error = traces["error"].as_str().unwrap();
        assert!(!error.contains('\n'), "{case}: one line: {error:?}");
        assert!(error.contains("tempo"), "{case}: names the store: {error}");
        for id in ["affected-services", "slow-operations", "dependencies"] {
            assert_eq!(
                step_of(&report, id)["status"],
                "ok",
                "{case}: {id}\n{}",
                summary(&report)
            );
        }
    }
}

#[test]
fn errors_through_tempo_blame_the_same_dependency_as_through_jaeger() {
    let incident = crate::errors::downstream_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let tempo = tempo_for(&incident.incident, TempoOptions::default());
    let run = |store: &str, url: &str| {
        let args: Vec<String> = [
            "investigate",
            "errors",
            "--service",
            "checkout",
            "--prometheus-url",
            &b.prometheus.url(),
            store,
            url,
            "--kubeconfig",
            &b.kubeconfig.display().to_string(),
            "-n",
            NAMESPACE,
            "--at",
            &END.to_string(),
            "--timeout",
            "5s",
            "-o",
            "json",
            "-q",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        tracectl(&args, &[], b.dir.path()).report_for("investigate errors")
    };
    let via_jaeger = run("--jaeger-url", &b.jaeger.url());
    let via_tempo = run("--tempo-url", &tempo.url());
    let f = assert_top_kind(&via_tempo, "error_origin");
    assert_eq!(
        f["subject"]["dependency"],
        "payment",
        "{}",
        summary(&via_tempo)
    );
    assert!(
        f["evidence"][0]["link"]
            .as_str()
            .is_some_and(|l| l.starts_with(&format!("{}/api/v2/traces/", tempo.url()))),
        "{f:#}"
    );
    assert_eq!(
        ranked(&via_tempo),
        ranked(&via_jaeger),
        "tempo:\n{}\njaeger:\n{}",
        summary(&via_tempo),
        summary(&via_jaeger)
    );
    // Both of Jaeger's error searches are one TraceQL intrinsic for Tempo (the trace-compare
    // step's window searches, with no condition, left aside).
    let qs: Vec<String> = tempo
        .requests()
        .iter()
        .filter(|r| r.path == "/api/search")
        .filter_map(|r| r.query_param("q"))
        .filter(|q| q.contains("&&"))
        .collect();
    assert_eq!(
        qs,
        vec![r#"{ resource.service.name = "checkout" && status = error }"#; 2],
        "{qs:?}"
    );
}

// ---------------------------------------------------------------------------
// audit
// ---------------------------------------------------------------------------

/// Tempo's metrics-generator series for the shop's service graph.
fn service_graph() -> Scenario {
    let mut s = Scenario::new(END - 3 * HOUR, END);
    for (c, srv) in [("frontend", "catalog"), ("frontend", "inventory")] {
        s = s.with(SeriesSpec::counter(
            "traces_service_graph_request_total",
            &[("client", c), ("server", srv), ("connection_type", "")],
            Shape::Constant(2.0),
        ));
    }
    s
}

#[test]
fn audit_scores_the_shop_the_same_through_tempo() {
    let Some(prom) = PrometheusHarness::start(&service_graph()).expect("start Prometheus") else {
        return;
    };
    let shop = crate::audit::shop();
    let jaeger = crate::audit::jaeger(
        shop.clone(),
        &[("frontend", "catalog"), ("frontend", "inventory")],
        &[],
    );
    let tempo = FixtureServer::start(tempo_routes(
        shop.iter().map(TraceSpec::to_tempo).collect(),
        TempoOptions::default(),
    ));
    let home = tempfile::tempdir().unwrap();
    let run = |store: &str, url: &str| {
        let args: Vec<String> = [
            "audit",
            store,
            url,
            "--prometheus-url",
            &prom.url(),
            "--at",
            &END.to_string(),
            "--timeout",
            "5s",
            "-o",
            "json",
            "-q",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        tracectl(&args, &[], home.path()).report_for("audit")
    };
    let via_jaeger = run("--jaeger-url", &jaeger.url());
    let via_tempo = run("--tempo-url", &tempo.url());
    assert_eq!(
        ranked(&via_tempo),
        ranked(&via_jaeger),
        "tempo:\n{}\njaeger:\n{}",
        summary(&via_tempo),
        summary(&via_jaeger)
    );
    for id in ["services", "dependencies", "traces"] {
        assert_eq!(
            step_of(&via_tempo, id)["status"],
            "ok",
            "{}",
            summary(&via_tempo)
        );
    }
    // The service graph came from Prometheus, not from sampling Tempo.
    let graph: Vec<_> = tempo
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/search" && r.query_param("q").as_deref() == Some("{ }"))
        .collect();
    assert!(graph.is_empty(), "{graph:#?}");
    assert!(sources(&via_tempo).contains(&"tempo".to_string()));
}
