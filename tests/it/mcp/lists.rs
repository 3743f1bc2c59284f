//! What `tracectl mcp` offers (tools, resources, prompts, their schemas), its documents
//! (`explain`, the runbooks), bad arguments, and the Python SDK's client. Part of `mcp`.

use super::*;

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
    "maintain_plan",
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

/// The official Python SDK's stdio client (`pip install mcp`), when installed: initialize,
/// list the tools (each schema checked against its metaschema by `jsonschema`), explain a kind,
/// and investigate the demo incident from its bundle.
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
    assert!(stdout.contains("tools: 12"), "{stdout}");
    // Each tool's schemas checked against their metaschema by `jsonschema`.
    assert!(
        stdout.lines().any(|l| l
            .strip_prefix("schemas valid: ")
            .is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n >= 12))),
        "{stdout}"
    );
    assert!(stdout.contains("top: "), "{stdout}");
}
