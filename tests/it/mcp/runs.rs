//! The `tracectl mcp` calls that read backends: the CLI's report for the same incident, a
//! backend that is down, cancellation, no write to any backend, and `deploy_plan`. Part of `mcp`.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn investigate_latency_gives_the_clis_report() {
    let Some(b) = slow_postgres_incident().start() else {
        return;
    };
    let mut cli_args: Vec<String> = [
        "investigate",
        "latency",
        "--service",
        "checkout",
        "-o",
        "json",
        "-q",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    cli_args.extend(all_backends(&b));
    let cli = tracectl(&cli_args, &[], b.dir.path()).report();

    let s = connect(&all_backends(&b), b.dir.path()).await;
    let r = call(&s, "investigate_latency", json!({"service": "checkout"}))
        .await
        .unwrap();
    assert_ne!(r.is_error, Some(true), "{r:?}");
    let report = report_of(&r);
    assert_eq!(
        report["findings"][0]["kind"],
        "slow_dependency",
        "{}",
        summary(&report)
    );
    assert_eq!(report["findings"][0]["subject"]["dependency"], "postgres");
    assert_eq!(
        without_durations(report.clone()),
        without_durations(cli),
        "the CLI's JSON"
    );
    let text = text_of(&r);
    assert!(
        text.contains(report["diagnosis"].as_str().unwrap()),
        "{text}"
    );
    assert!(text.contains("1. [critical]"), "{text}");
    assert!(
        s.service().progress.load(Ordering::SeqCst) >= 6,
        "one progress notification per finished step"
    );
    s.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_that_is_down_is_a_result_with_failed_steps() {
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("none.yaml");
    let s = connect(
        &incident_args(&closed_port_url(), &closed_port_url(), &kubeconfig),
        home.path(),
    )
    .await;
    let r = call(&s, "investigate_latency", json!({"service": "checkout"}))
        .await
        .expect("a result, not a protocol error");
    assert_ne!(r.is_error, Some(true), "{r:?}");
    let report = report_of(&r);
    let steps = report["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    for st in steps {
        assert_ne!(st["status"], "ok", "{}", summary(&report));
    }
    let failed = steps
        .iter()
        .find(|st| st["id"] == "affected-services")
        .unwrap();
    assert_eq!(failed["status"], "failed", "{}", summary(&report));
    let text = text_of(&r);
    assert!(
        text.contains("Steps without evidence") && text.contains("affected-services (failed)"),
        "{text}"
    );
    assert_still_answers(&s).await;
    s.cancel().await.unwrap();
}

/// A backend that accepts connections and never answers: counts the connections open now.
struct Silent {
    url: String,
    accepted: Arc<AtomicUsize>,
    open: Arc<AtomicUsize>,
}

fn silent_backend() -> Silent {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let open = Arc::new(AtomicUsize::new(0));
    let (a, o) = (accepted.clone(), open.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            a.fetch_add(1, Ordering::SeqCst);
            o.fetch_add(1, Ordering::SeqCst);
            let o = o.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // Read the request and say nothing, until the client hangs up.
                while matches!(conn.read(&mut buf), Ok(n) if n > 0) {}
                o.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Silent {
        url,
        accepted,
        open,
    }
}

async fn wait_until(what: &str, limit: Duration, cond: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < limit, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_drops_the_investigations_requests() {
    let home = tempfile::tempdir().unwrap();
    let prometheus = silent_backend();
    let mut args = incident_args(
        &prometheus.url,
        &closed_port_url(),
        &home.path().join("none"),
    );
    // Long enough that only the cancellation can end the requests.
    let t = args.iter().position(|a| a == "--timeout").unwrap();
    args[t + 1] = "60s".into();
    args.extend(["--command-timeout".into(), "120s".into()]);
    let s = connect(&args, home.path()).await;
    let handle = s
        .send_cancellable_request(
            ClientRequest::CallToolRequest(Request::new(params(
                "investigate_latency",
                json!({"service": "checkout"}),
            ))),
            PeerRequestOptions::no_options(),
        )
        .await
        .unwrap();
    wait_until("Prometheus is asked", Duration::from_secs(20), || {
        prometheus.accepted.load(Ordering::SeqCst) > 0
    })
    .await;
    assert!(prometheus.open.load(Ordering::SeqCst) > 0);
    handle.cancel(Some("test".into())).await.unwrap();
    wait_until(
        "every request of the cancelled call is dropped",
        Duration::from_secs(10),
        || prometheus.open.load(Ordering::SeqCst) == 0,
    )
    .await;
    assert_still_answers(&s).await;
    s.cancel().await.unwrap();
}

/// Every reading tool against the recording fixtures: only reads reach them. (Prometheus is the
/// real one: its API has no write endpoint tracectl could call, and its queries are reads.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_write_reaches_any_backend() {
    let Some(b) = slow_postgres_incident().start() else {
        return;
    };
    let s = connect(&all_backends(&b), b.dir.path()).await;
    let calls = [
        ("investigate_latency", json!({})),
        ("investigate_errors", json!({"service": "checkout"})),
        ("investigate_data_loss", json!({"service": "checkout"})),
        ("investigate_rollout", json!({"service": "checkout"})),
        ("check", json!({})),
        (
            "audit",
            json!({"service": "checkout", "traces_per_service": 5}),
        ),
    ];
    for (tool, args) in calls {
        let r = call(&s, tool, args)
            .await
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        report_of(&r);
    }
    s.cancel().await.unwrap();
    for (name, fixture) in [("jaeger", &b.jaeger), ("kubernetes", &b.kube)] {
        let requests = fixture.requests();
        assert!(!requests.is_empty(), "{name} was read");
        let writes: Vec<String> = requests
            .iter()
            .filter(|r| r.method != "GET")
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        assert!(writes.is_empty(), "{name} got writes: {writes:?}");
    }
}

/// `deploy_plan` against `deploy.rs`'s recording Kubernetes API and fake `helm`: the plan of
/// `deploy plan`, and nothing written, to the cluster or by Helm, whatever it plans.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_plan_plans_and_writes_nothing() {
    let env = crate::deploy::Env::new();
    let root = env.root();
    let path = format!(
        "{}:{}",
        root.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let url = env.backends.url();
    let args: Vec<String> = [
        "--kubeconfig",
        &env.k(),
        "--collector-otlp-url",
        &url,
        "--jaeger-url",
        &url,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let s = connect_with(
        &args,
        root,
        &[
            ("PATH", path),
            ("FAKE_HELM_DIR", root.join("helm").display().to_string()),
            ("TEST_ES_PW", crate::deploy::PASSWORD.to_string()),
            ("XDG_STATE_HOME", root.join("state").display().to_string()),
        ],
    )
    .await;
    let r = call(&s, "deploy_plan", json!({})).await.unwrap();
    let plan = r.structured_content.clone().expect("the plan");
    assert_eq!(plan["schema"], "tracectl.plan/v1", "{plan}");
    let text = text_of(&r);
    for want in [
        "create Namespace monitoring",
        "install otel-collector: open-telemetry/opentelemetry-collector 0.108.0",
        "undo: helm uninstall jaeger -n monitoring",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
    let everything = format!("{text}{plan}");
    assert!(
        !everything.contains(crate::deploy::PASSWORD),
        "the password is never shown"
    );
    // The same arguments cannot be made to apply: there is no such tool, and none writes.
    let (code, _) = protocol_error(call(&s, "deploy_apply", json!({})).await);
    assert_eq!(code, ErrorCode::INVALID_PARAMS);
    s.cancel().await.unwrap();
    assert!(!env.api.requests().is_empty(), "the cluster was read");
    assert_eq!(env.api.writes(), Vec::<String>::new());
    assert_eq!(env.helm_writes(), Vec::<String>::new());
    assert!(
        !root.join("state/tracectl/journal").exists(),
        "no journal: nothing ran"
    );
}

/// `maintain_plan` for index retention against the stateful Elasticsearch fixture: the plan of
/// `maintain storage --dry-run` (the old day's indices deleted, today's kept), and nothing
/// written; `--yes` and a flag the step does not have are protocol errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintain_plan_plans_retention_and_writes_nothing() {
    use crate::support::es_api::{EsApi, IndexSeed};
    let created = |d: &str| format!("{d}T00:00:05Z").parse().unwrap();
    let es = EsApi::start(vec![
        IndexSeed::new(
            "jaeger-span-2026-10-01",
            1000,
            1 << 20,
            created("2026-10-01"),
        ),
        IndexSeed::new(
            "jaeger-span-2026-11-24",
            1000,
            1 << 20,
            created("2026-11-24"),
        ),
        IndexSeed::new(
            "jaeger-span-2026-11-25",
            1000,
            1 << 20,
            created("2026-11-25"),
        ),
    ]);
    let home = tempfile::tempdir().unwrap();
    let args: Vec<String> = [
        "--elasticsearch-url",
        &es.url(),
        "--at",
        "2026-11-25T00:00:30Z",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let state = home.path().join("state").display().to_string();
    let s = connect_with(&args, home.path(), &[("XDG_STATE_HOME", state)]).await;
    let r = call(
        &s,
        "maintain_plan",
        json!({"step": "storage", "flags": ["--retention-days", "30", "--skip-snapshot"]}),
    )
    .await
    .unwrap();
    let plan = r.structured_content.clone().expect("the plan");
    assert_eq!(plan["schema"], "tracectl.plan/v1", "{plan}");
    let change = |index: &str| -> Value {
        plan["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == format!("index/{index}"))
            .map(|a| a["change"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(change("jaeger-span-2026-10-01"), "delete", "{plan}");
    assert_eq!(change("jaeger-span-2026-11-25"), "unchanged", "{plan}");
    assert!(
        text_of(&r).contains("jaeger-span-2026-10-01"),
        "{}",
        text_of(&r)
    );

    for (flags, says) in [
        (
            json!(["--retention-days", "30", "--skip-snapshot", "--yes"]),
            "only plans",
        ),
        (json!(["--retention-dayz", "30"]), "--retention-dayz"),
    ] {
        let (code, msg) = protocol_error(
            call(
                &s,
                "maintain_plan",
                json!({"step": "storage", "flags": flags}),
            )
            .await,
        );
        assert_eq!(code, ErrorCode::INVALID_PARAMS, "{msg}");
        assert!(msg.contains(says), "{msg:?} does not say {says:?}");
    }
    s.cancel().await.unwrap();
    assert!(!es.requests().is_empty(), "Elasticsearch was read");
    assert_eq!(es.writes(), Vec::<String>::new());
    assert_eq!(es.index_names().len(), 3, "every index is still there");
    assert!(
        !home.path().join("state/tracectl/journal").exists(),
        "no journal: nothing ran"
    );
}

/// Issue #17: the `check` tool discovers the stack as the CLI's `check` does. With only a
/// kubeconfig, Prometheus's Service (labelled as its chart labels it) is found in `monitoring`
/// and reached through the API server's service proxy; the tool's report equals the CLI's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_17_check_discovers_the_stack_as_the_clis_check_does() {
    use crate::support::FixtureServer;
    let prom = FixtureServer::start(crate::faults::healthy_prometheus());
    let mut routes = crate::support::fixture::prometheus_behind_service_proxy(prom.url());
    routes.extend(crate::scenarios::kube_routes(NAMESPACE, &[], &[]));
    let kube = FixtureServer::start(routes);
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = crate::scenarios::write_kubeconfig(home.path(), &kube.url(), NAMESPACE);
    let globals: Vec<String> = [
        "--kubeconfig",
        &kubeconfig.display().to_string(),
        "--at",
        &END.to_string(),
        "--timeout",
        "5s",
    ]
    .map(String::from)
    .to_vec();

    let mut cli_args: Vec<String> = ["check", "--only", "prometheus-ready", "-o", "json", "-q"]
        .map(String::from)
        .to_vec();
    cli_args.extend(globals.clone());
    let cli = tracectl(&cli_args, &[], home.path()).report();

    let before = kube.requests().len();
    let s = connect(&globals, home.path()).await;
    let r = call(&s, "check", json!({"only": ["prometheus-ready"]}))
        .await
        .unwrap();
    assert_ne!(r.is_error, Some(true), "{r:?}");
    let report = report_of(&r);
    let steps: Vec<(&str, &str)> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [("discovery", "ok"), ("prometheus-ready", "ok")],
        "{}",
        summary(&report)
    );
    assert!(
        report["steps"][0]["queries"].to_string().contains(
            "# prometheus: no URL configured, reached through the API server's service proxy \
             /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy"
        ),
        "{}",
        report["steps"][0]
    );
    assert!(
        kube.requests()[before..].iter().any(|r| r
            .path
            .starts_with(&format!("{}/", crate::support::fixture::PROMETHEUS_PROXY))),
        "the tool reached Prometheus through the proxy"
    );
    assert_eq!(
        without_durations(report),
        without_durations(cli),
        "the CLI's JSON"
    );
    s.cancel().await.unwrap();
}
