//! `tracectl mcp` driven by a real MCP client: rmcp's client over its child-process transport
//! (the binary started as an assistant would start it, stdio), and the official Python SDK's
//! stdio client when Python's `mcp` package is installed (`python_sdk_client_talks_to_the_server`,
//! which says SKIPPED without it). Covered: the handshake and the lists of tools, resources and
//! prompts with their schemas; `investigate_latency` against the Prometheus harness and the
//! fixtures, against the CLI's own report for the same data; `explain`; a backend that is down
//! (failed steps in a normal result); bad arguments (protocol errors); cancellation (the
//! investigation's requests are dropped); `deploy_plan`; and that no write reaches any backend.
//! Here: the client and helpers; `lists.rs`: what the server offers, documents, bad arguments,
//! the Python client; `runs.rs`: the calls that read backends.

mod lists;
mod runs;

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

use crate::latency::{slow_postgres_incident, without_durations};
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

/// The server goes on after a call that did not end well: its next call is answered.
async fn assert_still_answers(s: &Session) {
    let next = call(s, "explain", json!({"kind": "slow_service"})).await;
    assert!(next.is_ok(), "{next:?}");
}

/// The code of a protocol error; panics on a result or another failure.
fn protocol_error(r: Result<CallToolResult, ServiceError>) -> (ErrorCode, String) {
    match r {
        Err(ServiceError::McpError(e)) => (e.code, e.message.to_string()),
        other => panic!("expected a protocol error, got {other:?}"),
    }
}
