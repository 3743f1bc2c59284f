//! Configuration: precedence (flag > environment > config file > default), contexts, secret
//! masking in `config view`, malformed files. Runs the real binary against fixture servers.

use crate::cli::tracectl;
use crate::support::{FixtureServer, Response, Route};

fn prom_fixture() -> FixtureServer {
    FixtureServer::start(vec![
        Route::get("/api/v1/query").respond(Response::json(
            200,
            &serde_json::json!({"status":"success","data":{"resultType":"vector","result":[]}}),
        )),
        Route::get("/api/v1/query_range").respond(Response::json(
            200,
            &serde_json::json!({"status":"success","data":{"resultType":"matrix","result":[]}}),
        )),
    ])
}

fn write_config(dir: &std::path::Path, prom_url: &str) -> std::path::PathBuf {
    let path = dir.join("config.yaml");
    std::fs::write(
        &path,
        format!(
            "# team config\ncurrent-context: prod\ncontexts:\n  prod:\n    prometheus: {{ url: \"{prom_url}\", tenant: team-a, token: tok-prod-secret-1 }}\n    elasticsearch: {{ url: \"http://es:9200\", username: tracectl, password: es-pass-secret-2 }}\n    profile: mcp\n  staging:\n    prometheus: {{ url: \"http://staging:9090\" }}\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn flag_beats_env_beats_config_file() {
    let (file_srv, env_srv, flag_srv) = (prom_fixture(), prom_fixture(), prom_fixture());
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &file_srv.url());
    let base = [
        "investigate",
        "latency",
        "--service",
        "checkout",
        "-o",
        "json",
        "-q",
        "--at",
        "1795600800",
    ];

    let out = tracectl()
        .args(base)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    assert!(!file_srv.requests().is_empty(), "config file URL used");
    let r = &file_srv.requests()[0];
    assert_eq!(
        r.header("x-scope-orgid"),
        Some("team-a"),
        "tenant header from the context"
    );
    assert_eq!(r.header("authorization"), Some("Bearer tok-prod-secret-1"));

    tracectl()
        .args(base)
        .arg("--config")
        .arg(&cfg)
        .env("TRACECTL_PROMETHEUS_URL", env_srv.url())
        .output()
        .unwrap();
    assert!(!env_srv.requests().is_empty(), "env beats the config file");

    let before = env_srv.requests().len();
    tracectl()
        .args(base)
        .arg("--config")
        .arg(&cfg)
        .env("TRACECTL_PROMETHEUS_URL", env_srv.url())
        .arg("--prometheus-url")
        .arg(flag_srv.url())
        .output()
        .unwrap();
    assert!(!flag_srv.requests().is_empty(), "the flag beats env");
    assert_eq!(env_srv.requests().len(), before);
}

#[test]
fn contexts_switch_and_view_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "http://user:url-pass-secret-3@prom:9090");
    let c = cfg.to_str().unwrap();
    let out = tracectl()
        .args(["config", "view", "--config", c])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for secret in ["tok-prod-secret-1", "es-pass-secret-2", "url-pass-secret-3"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(text.contains("***"));

    let out = tracectl()
        .args(["config", "get-contexts", "--config", c])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with('*') && l.contains("prod")),
        "{text}"
    );

    let out = tracectl()
        .args(["config", "use-context", "staging", "--config", c])
        .output()
        .unwrap();
    assert!(out.status.success());
    let after = std::fs::read_to_string(&cfg).unwrap();
    assert!(after.contains("current-context: \"staging\""));
    assert!(after.starts_with("# team config"), "comments survive");

    let out = tracectl()
        .args(["config", "use-context", "nope", "--config", c])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn malformed_config_is_one_line_with_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, "current-context: prod\ncontexts:\n  prod:\n    prometheus: { url: http://p:9090, tokenfile: /x }\n").unwrap();
    let out = tracectl()
        .args(["investigate", "latency", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap();
    assert!(first.contains("config.yaml:4"), "{err}");
    assert!(first.contains("tokenfile"), "{err}");

    std::fs::write(&path, "contexts: [oops\n").unwrap();
    let out = tracectl()
        .args(["config", "view", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreachable_prometheus_is_one_line_and_exit_3() {
    // A port nothing listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = tracectl()
        .args([
            "investigate",
            "latency",
            "--service",
            "checkout",
            "-o",
            "json",
            "-q",
            "--timeout",
            "2s",
        ])
        .arg("--prometheus-url")
        .arg(format!("http://127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let step = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "affected-services")
        .unwrap();
    assert_eq!(step["status"], "failed");
    let e = step["error"].as_str().unwrap();
    assert!(
        e.contains("prometheus") && e.contains("unreachable") && !e.contains('\n'),
        "{e}"
    );
}

#[test]
fn a_step_past_the_command_budget_fails_and_the_report_is_still_written() {
    let prom = prom_fixture();
    // Jaeger answers after 5 s; the command's budget is 1 s, the per-request timeout 10 s. The
    // search is the first request (issue 19: it detects the API itself).
    let jaeger = FixtureServer::start(vec![
        Route::get("/api/traces")
            .delay(std::time::Duration::from_secs(5))
            .respond(Response::json(
                200,
                &serde_json::json!({"data": [], "total": 0}),
            )),
    ]);
    let out = tracectl()
        .args([
            "investigate",
            "latency",
            "--service",
            "checkout",
            "-o",
            "json",
            "-q",
            "--at",
            "1795600800",
        ])
        .args(["--command-timeout", "1s", "--timeout", "10s"])
        .arg("--prometheus-url")
        .arg(prom.url())
        .arg("--jaeger-url")
        .arg(jaeger.url())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = report["steps"].as_array().unwrap();
    let traces = steps.iter().find(|s| s["id"] == "traces").unwrap();
    assert_eq!(traces["status"], "failed");
    assert!(
        traces["error"].as_str().unwrap().contains("time budget"),
        "{traces}"
    );
    let affected = steps
        .iter()
        .find(|s| s["id"] == "affected-services")
        .unwrap();
    assert_eq!(affected["status"], "ok");
    assert_eq!(out.status.code(), Some(0));
}
