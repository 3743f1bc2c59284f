//! `tracectl mcp` driven by a real MCP client: rmcp's client over its child-process transport
//! (the binary started as an assistant would start it, stdio), and the official Python SDK's
//! stdio client when Python's `mcp` package is installed (`python_sdk_client_talks_to_the_server`,
//! which says SKIPPED without it). Covered: the handshake and the lists of tools, resources and
//! prompts with their schemas; `investigate_latency` against the Prometheus harness and the
//! fixtures, against the CLI's own report for the same data; `explain`; a backend that is down
//! (failed steps in a normal result); bad arguments (protocol errors); cancellation (the
//! investigation's requests are dropped); and that no write reaches any backend.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientRequest, ErrorCode, GetPromptRequestParams,
    ProgressNotificationParam, ReadResourceRequestParams, Request,
};
use rmcp::service::{NotificationContext, PeerRequestOptions, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, RoleClient, ServiceError, ServiceExt};
use serde_json::{Map, Value, json};

use crate::latency::slow_postgres_incident;
use crate::scenarios::{Backends, END, NAMESPACE, closed_port_url};
use crate::support::report::{summary, tracectl};

/// A client that counts the progress notifications it hears.
#[derive(Clone, Default)]
struct Client {
    progress: Arc<AtomicUsize>,
}

impl ClientHandler for Client {
    async fn on_progress(
        &self,
        _params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.progress.fetch_add(1, Ordering::SeqCst);
    }
}

type Session = RunningService<RoleClient, Client>;

/// `tracectl mcp ARGS` in a clean environment (as `support::report::tracectl` runs commands),
/// connected. Its stderr is inherited, so logs show with `--nocapture`.
async fn connect(args: &[String], home: &Path) -> Session {
    connect_with(args, home, &[]).await
}

/// [`connect`] in `home` as the working directory, with `env` set (PATH among them, or the
/// test's).
async fn connect_with(args: &[String], home: &Path, env: &[(&str, String)]) -> Session {
    let path = std::env::var("PATH").unwrap_or_default();
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tracectl")).configure(|c| {
        c.arg("mcp")
            .args(args)
            .current_dir(home)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", home)
            .env("NO_COLOR", "1")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    });
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tracectl mcp");
    Client::default()
        .serve(transport)
        .await
        .expect("MCP handshake with tracectl mcp")
}

fn demo_args() -> Vec<String> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/checkout-latency");
    vec!["--replay".into(), demo.display().to_string()]
}

/// The global flags of one incident's backends, as the latency tests pass them.
fn incident_args(prometheus: &str, jaeger: &str, kubeconfig: &Path) -> Vec<String> {
    [
        "--prometheus-url",
        prometheus,
        "--jaeger-url",
        jaeger,
        "--kubeconfig",
        &kubeconfig.display().to_string(),
        "-n",
        NAMESPACE,
        "--at",
        &END.to_string(),
        "--timeout",
        "5s",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn all_backends(b: &Backends) -> Vec<String> {
    incident_args(&b.prometheus.url(), &b.jaeger.url(), &b.kubeconfig)
}

fn params(tool: &'static str, args: Value) -> CallToolRequestParams {
    let Value::Object(map) = args else {
        panic!("arguments are an object")
    };
    CallToolRequestParams::new(tool).with_arguments(map)
}

async fn call(
    s: &Session,
    tool: &'static str,
    args: Value,
) -> Result<CallToolResult, ServiceError> {
    s.call_tool(params(tool, args)).await
}

/// The result's structured `tracectl.report/v1` report.
fn report_of(r: &CallToolResult) -> Value {
    let report = r
        .structured_content
        .clone()
        .unwrap_or_else(|| panic!("no structured content: {r:?}"));
    assert_eq!(report["schema"], "tracectl.report/v1", "{report}");
    report
}

fn text_of(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn without_durations(mut report: Value) -> Value {
    for s in report["steps"].as_array_mut().into_iter().flatten() {
        s.as_object_mut().unwrap().remove("duration_ms");
    }
    report
}

/// The code of a protocol error; panics on a result or another failure.
fn protocol_error(r: Result<CallToolResult, ServiceError>) -> (ErrorCode, String) {
    match r {
        Err(ServiceError::McpError(e)) => (e.code, e.message.to_string()),
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

const TOOLS: &[&str] = &[
    "audit",
    "check",
    "deploy_plan",
    "explain",
    "investigate_alerts",
    "investigate_data_loss",
    "investigate_errors",
    "investigate_latency",
    "investigate_rollout",
    "runbook_show",
    "runbooks_list",
];

/// A tool's input schema as MCP requires it (an object schema) and as JSON Schema reads it:
/// the 2020-12 dialect, every property a schema with a type or a combination, no argument but
/// the documented ones.
fn assert_input_schema(tool: &str, schema: &Map<String, Value>) {
    assert_eq!(schema["type"], "object", "{tool}: {schema:?}");
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if props.is_empty() {
        // A tool without arguments (`runbooks_list`) has the SDK's empty object schema.
        return;
    }
    assert_eq!(
        schema.get("$schema").and_then(Value::as_str),
        Some("https://json-schema.org/draft/2020-12/schema"),
        "{tool}"
    );
    assert_eq!(
        schema["additionalProperties"], false,
        "{tool}: unknown arguments are refused"
    );
    for (name, p) in &props {
        assert!(
            p.get("type").is_some()
                || p.get("anyOf").is_some()
                || p.get("$ref").is_some()
                || p.get("oneOf").is_some(),
            "{tool}.{name} has no type: {p}"
        );
        assert!(
            p.get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.is_empty())
                || p.get("$ref").is_some(),
            "{tool}.{name} is not described for the model: {p}"
        );
    }
    for r in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        assert!(
            props.contains_key(r.as_str().unwrap()),
            "{tool}: required {r} is a property"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_tools_resources_and_prompts_with_valid_schemas() {
    let home = tempfile::tempdir().unwrap();
    let s = connect(&demo_args(), home.path()).await;
    let info = s.peer_info().expect("server info");
    assert_eq!(
        info.server_info.as_ref().map(|i| i.name.as_str()),
        Some("tracectl")
    );

    let tools = s.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, TOOLS);
    for t in &tools {
        assert!(
            t.description
                .as_deref()
                .is_some_and(|d| d.contains("Call this")
                    || d.contains("Returns")
                    || d.contains("Show")),
            "{}: its description says when to call it: {:?}",
            t.name,
            t.description
        );
        assert_input_schema(&t.name, &t.input_schema);
        let ann = t.annotations.as_ref().expect("annotations");
        assert_eq!(ann.read_only_hint, Some(true), "{}", t.name);
        assert_eq!(ann.destructive_hint, Some(false), "{}", t.name);
    }
    let rollout = tools
        .iter()
        .find(|t| t.name == "investigate_rollout")
        .unwrap();
    assert_eq!(rollout.input_schema["required"], json!(["service"]));

    let resources = s.list_all_resources().await.unwrap();
    let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
    for uri in [
        "tracectl://runbooks/latency",
        "tracectl://runbooks/errors",
        "tracectl://kinds/slow_dependency",
    ] {
        assert!(uris.contains(&uri), "{uri} not in {uris:?}");
    }
    let templates = s.list_all_resource_templates().await.unwrap();
    assert_eq!(templates.len(), 2, "{templates:?}");

    let doc = s
        .read_resource(ReadResourceRequestParams::new(
            "tracectl://runbooks/latency",
        ))
        .await
        .unwrap();
    let text = serde_json::to_value(&doc.contents[0]).unwrap();
    assert!(
        text["text"].as_str().unwrap().contains("affected-services"),
        "{text}"
    );
    let missing = s
        .read_resource(ReadResourceRequestParams::new("tracectl://runbooks/nope"))
        .await;
    assert!(
        matches!(missing, Err(ServiceError::McpError(_))),
        "{missing:?}"
    );

    let prompts = s.list_all_prompts().await.unwrap();
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].name, "diagnose");
    let Value::Object(args) = json!({"symptom": "checkout is slow", "service": "checkout"}) else {
        unreachable!()
    };
    let p = s
        .get_prompt(GetPromptRequestParams::new("diagnose").with_arguments(args))
        .await
        .unwrap();
    let p = serde_json::to_string(&p.messages).unwrap();
    assert!(
        p.contains("investigate_latency") && p.contains("explain"),
        "{p}"
    );
    s.cancel().await.unwrap();
}

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
async fn explain_and_the_runbook_tools_answer_from_the_runbooks() {
    let home = tempfile::tempdir().unwrap();
    let s = connect(&demo_args(), home.path()).await;
    let r = call(&s, "explain", json!({"kind": "slow_dependency"}))
        .await
        .unwrap();
    let text = text_of(&r);
    for h in ["What it means", "How to fix it", "How safe the fix is"] {
        assert!(text.contains(h), "{h}: {text}");
    }
    let cli = tracectl(
        &["explain".into(), "slow_dependency".into()],
        &[],
        home.path(),
    );
    assert_eq!(text, cli.stdout, "the same text as `tracectl explain`");
    let (code, msg) = protocol_error(call(&s, "explain", json!({"kind": "slow"})).await);
    assert_eq!(code, ErrorCode::INVALID_PARAMS);
    assert!(
        msg.contains("unknown finding kind") && msg.contains("slow_dependency"),
        "{msg}"
    );

    let list = call(&s, "runbooks_list", json!({})).await.unwrap();
    let names: Vec<&str> = list.structured_content.as_ref().unwrap()["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"latency") && names.contains(&"errors"),
        "{names:?}"
    );
    let show = call(
        &s,
        "runbook_show",
        json!({"name": "latency", "profile": "spanmetrics"}),
    )
    .await
    .unwrap();
    assert!(
        text_of(&show).contains("traces_span_metrics") || text_of(&show).contains("duration"),
        "{}",
        text_of(&show)
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
    // The server is still there for the next call.
    assert!(
        call(&s, "explain", json!({"kind": "slow_service"}))
            .await
            .is_ok()
    );
    s.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_protocol_errors() {
    let home = tempfile::tempdir().unwrap();
    let s = connect(&demo_args(), home.path()).await;
    let cases = [
        (
            "investigate_latency",
            json!({"servce": "checkout"}),
            "unknown field `servce`",
        ),
        (
            "investigate_latency",
            json!({"quantile": "high"}),
            "bad arguments for investigate_latency",
        ),
        ("investigate_latency", json!({"quantile": 7}), "quantile"),
        ("investigate_errors", json!({"threshold": 3}), "threshold"),
        ("investigate_rollout", json!({}), "missing field `service`"),
        (
            "investigate_rollout",
            json!({"service": "checkout", "revision": 3, "since": "2026-11-25T09:40:00Z"}),
            "not both",
        ),
        ("check", json!({"only": ["no-such-check"]}), "no-such-check"),
        ("runbook_show", json!({"name": "nope"}), "unknown runbook"),
    ];
    for (tool, args, says) in cases {
        let (code, msg) = protocol_error(call(&s, tool, args.clone()).await);
        assert_eq!(code, ErrorCode::INVALID_PARAMS, "{tool} {args}: {msg}");
        assert!(
            msg.contains(says),
            "{tool} {args}: {msg:?} does not say {says:?}"
        );
    }
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
    // The server goes on: its next call is answered.
    assert!(
        call(&s, "explain", json!({"kind": "slow_service"}))
            .await
            .is_ok()
    );
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

/// The official Python SDK's stdio client (`pip install mcp`), when installed: initialize,
/// list the tools, explain a kind, and investigate the demo incident from its bundle.
#[test]
fn python_sdk_client_talks_to_the_server() {
    let has_sdk = std::process::Command::new("python3")
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sdk {
        // `.ci/run` installs it when PyPI answers; without it the rmcp client tests still run.
        eprintln!(
            "SKIPPED python_sdk_client_talks_to_the_server: Python's `mcp` package is not installed (pip install 'mcp>=2,<3')"
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(root.join("tests/it/mcp_client.py"))
        .arg(env!("CARGO_BIN_EXE_tracectl"))
        .arg(root.join("fixtures/demo/checkout-latency"))
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python client failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("tools: 11"), "{stdout}");
    assert!(stdout.contains("top: "), "{stdout}");
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
