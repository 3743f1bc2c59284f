//! The command line as users meet it: help texts, completions kept in sync, exit codes for
//! usage errors, `runbooks`, `explain`. Runs the real binary; no backend needed.

use std::process::Command;

pub fn tracectl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tracectl"));
    // Keep the developer's own config and environment out of the tests.
    c.env_remove("TRACECTL_CONFIG")
        .env_remove("TRACECTL_CONTEXT")
        .env_remove("TRACECTL_PROMETHEUS_URL")
        .env_remove("TRACECTL_JAEGER_URL")
        .env_remove("TRACECTL_OUTPUT")
        .env_remove("TRACECTL_PROFILE")
        .env_remove("KUBECONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-tracectl-test")
        .env("HOME", "/nonexistent-tracectl-test");
    c
}

pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = tracectl().args(args).output().expect("run tracectl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_reads_like_kubectl_with_examples() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Examples:"), "{out}");
    assert!(out.contains("--prometheus-url"));
    let (code, out, _) = run(&["investigate", "latency", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("tracectl investigate latency --service checkout"),
        "{out}"
    );
    assert!(out.contains("[env: TRACECTL_PROMETHEUS_URL="), "{out}");
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let (code, _, err) = run(&["investigate", "latency", "--lookback", "5x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: --lookback"), "{err}");
    let (code, _, _) = run(&["investigate", "latency", "--bogus"]);
    assert_eq!(code, 2);
    let (code, _, err) = run(&["investigate", "latency", "--replay", "/nonexistent/bundle"]);
    assert_eq!(code, 2);
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn completions_are_up_to_date() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "tracectl.bash"),
        ("zsh", "_tracectl"),
        ("fish", "tracectl.fish"),
        ("powershell", "_tracectl.ps1"),
        ("elvish", "tracectl.elv"),
    ] {
        let (code, out, _) = run(&["completions", shell]);
        assert_eq!(code, 0);
        let checked_in = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            checked_in == out,
            "completions/{file} is stale: run `cargo run -q -- completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn runbooks_list_and_show_every_runbook() {
    let (code, out, _) = run(&["runbooks", "list"]);
    assert_eq!(code, 0);
    let names: Vec<String> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    assert!(names.contains(&"latency".to_string()), "{out}");
    for name in &names {
        for profile in ["mcp", "spanmetrics", "semconv"] {
            let (code, doc, err) = run(&[
                "runbooks",
                "show",
                name,
                "--profile",
                profile,
                "-o",
                "markdown",
            ]);
            assert_eq!(code, 0, "{err}");
            assert!(doc.starts_with("# "), "{doc}");
            assert!(doc.contains("```promql"), "{doc}");
        }
    }
    let (_, doc, _) = run(&["runbooks", "show", "latency", "--profile", "spanmetrics"]);
    assert!(doc.contains("traces_span_metrics_duration_seconds_bucket"));
}

#[test]
fn an_invalid_runbook_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latency.yaml"),
        "name: latency\ntitle: t\nsummary: s\ncommand: c\nsteps:\n  - id: affected-services\n    title: x\n    abuot: typo\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = run(&["runbooks", "show", "latency", "--runbooks", d]);
    assert_eq!(code, 2);
    assert!(err.contains("latency.yaml:8"), "{err}");
    assert!(err.contains("abuot"), "{err}");
    std::fs::write(
        dir.path().join("latency.yaml"),
        "name: latency\ntitle: t\nsummary: s\ncommand: c\nlabels: {}\nsteps:\n  - id: make-coffee\n    title: x\n    about: y\n",
    )
    .unwrap();
    let (code, _, err) = run(&["investigate", "latency", "--service", "x", "--runbooks", d]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("make-coffee"), "{err}");
}

#[test]
fn explain_documents_every_latency_kind() {
    for kind in [
        "slow_service",
        "slow_operation",
        "slow_dependency",
        "critical_path_hotspot",
        "n_plus_one",
        "cpu_throttling",
        "cpu_saturation",
        "memory_pressure",
        "network_saturation",
        "recent_deployment",
        "config_change",
        "code_change",
    ] {
        let (code, out, err) = run(&["explain", kind]);
        assert_eq!(code, 0, "{kind}: {err}");
        assert!(
            out.contains("How to fix it") && out.contains("How safe the fix is"),
            "{out}"
        );
    }
    let (code, _, err) = run(&["explain", "slow"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean"), "{err}");
}

/// A copy of a built-in runbook with one finding's `summary:` reworded.
fn reworded_runbook(dir: &std::path::Path, name: &str, kind: &str, summary: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("runbooks")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(path).unwrap();
    let at = text
        .find(&format!("\n  {kind}:\n"))
        .expect("kind in runbook");
    let start = at + text[at..].find("summary: ").unwrap() + "summary: ".len();
    let end = start + text[start..].find('\n').unwrap();
    let text = format!("{}{summary}{}", &text[..start], &text[end..]);
    std::fs::write(dir.join(format!("{name}.yaml")), text).unwrap();
}

#[test]
fn explain_reads_the_runbooks_directory_of_the_flag_and_of_the_context() {
    let dir = tempfile::tempdir().unwrap();
    reworded_runbook(
        dir.path(),
        "latency",
        "slow_operation",
        "Reworded by the team.",
    );
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = run(&["explain", "slow_operation", "--runbooks", d]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Reworded by the team."), "{out}");
    let (_, out, _) = run(&["explain", "slow_operation"]);
    assert!(!out.contains("Reworded by the team."), "{out}");

    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.yaml");
    std::fs::write(
        &config,
        format!("current-context: team\ncontexts:\n  team:\n    runbooks: {d}\n"),
    )
    .unwrap();
    let out = tracectl()
        .env("TRACECTL_CONFIG", &config)
        .args(["explain", "slow_operation"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Reworded by the team."), "{text}");
}

#[test]
fn explain_says_which_runbook_each_text_of_a_shared_kind_comes_from() {
    // Worded the same in both runbooks: one text, both named.
    let (code, out, _) = run(&["explain", "memory_pressure"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("memory_pressure  (runbooks: errors, latency)"),
        "{out}"
    );
    // Worded differently: both texts, each under its runbook.
    let (code, out, _) = run(&["explain", "cpu_throttling"]);
    assert_eq!(code, 0);
    assert!(out.contains("In the runbook errors:"), "{out}");
    assert!(out.contains("In the runbook latency:"), "{out}");
    assert!(out.contains("timeouts turn into errors"), "{out}");
}

#[test]
fn an_override_missing_a_threshold_is_an_error_not_a_silent_nan() {
    let dir = tempfile::tempdir().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/latency.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("throttling_ratio:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("latency.yaml"), text).unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = run(&["investigate", "latency", "--service", "x", "--runbooks", d]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("latency.yaml: runbook latency: threshold throttling_ratio is missing"),
        "{err}"
    );
}

#[test]
fn runbooks_and_explain_refuse_a_format_they_do_not_print() {
    for args in [
        vec!["runbooks", "list", "-o", "junit"],
        vec!["runbooks", "show", "latency", "-o", "json"],
        vec!["explain", "slow_service", "-o", "json"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("cannot be printed as") && err.contains("hint: use -o"),
            "{err}"
        );
    }
    let (code, out, _) = run(&["runbooks", "list", "-o", "json"]);
    assert_eq!(code, 0);
    assert!(out.starts_with('['), "{out}");
}

#[test]
fn readme_documents_every_environment_variable() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (name, _) in tracectl::env_vars::ALL {
        // `TRACECTL_<BACKEND>_TOKEN` stands in the table as `TRACECTL_<BACKEND>_TOKEN`, `_USERNAME`, ...
        let stem = name.split('<').next().unwrap();
        assert!(
            readme.contains(&format!("`{name}`")) || readme.contains(&format!("`{stem}")),
            "README.md's Environment table lacks {name}: add a row (src/env_vars.rs is the list)"
        );
    }
}

#[test]
fn every_command_level_has_examples() {
    for args in [
        vec!["--help"],
        vec!["investigate", "latency", "--help"],
        vec!["explain", "--help"],
        vec!["runbooks", "--help"],
        vec!["config", "--help"],
        vec!["completions", "--help"],
    ] {
        let (code, out, _) = run(&args);
        assert_eq!(code, 0);
        assert!(
            out.contains("Examples:"),
            "{args:?} has no examples:\n{out}"
        );
    }
}

/// #16: the runbook's YAML decides which steps run, in which place and under which title; the
/// code only registers what each step id does.
#[test]
fn a_runbook_file_decides_which_steps_run() {
    let dir = tempfile::tempdir().unwrap();
    let labels = "{service: s, operation: o, dependency: d}";
    // An override keeps every threshold of the built-in (a missing one is an error): copied here.
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/latency.yaml"),
    )
    .unwrap();
    let thresholds: Vec<&str> = builtin
        .lines()
        .skip_while(|l| !l.starts_with("thresholds:"))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    let thresholds = thresholds.join("\n");
    std::fs::write(
        dir.path().join("latency.yaml"),
        format!(
            "name: latency\ntitle: t\nsummary: s\ncommand: c\n{thresholds}\nlabels:\n  mcp: {labels}\n  spanmetrics: {labels}\n  semconv: {labels}\nsteps:\n  - id: recent-changes\n    title: Changes first\n    about: y\n  - id: traces\n    title: Then traces\n    about: y\n"
        ),
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let (_, out, err) = run(&[
        "investigate",
        "latency",
        "--service",
        "x",
        "--runbooks",
        d,
        "-o",
        "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let steps: Vec<(String, String)> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("recent-changes".to_string(), "Changes first".to_string()),
            ("traces".to_string(), "Then traces".to_string())
        ]
    );
}

/// Issue #17: a newcomer with nothing configured gets exit 2, one `error:` line and a hint that
/// names the flags, the config file and the demo; configured but unreachable stays exit 3.
#[test]
fn nothing_configured_is_exit_2_with_the_hint_and_unreachable_is_3() {
    for args in [
        &["investigate", "latency", "--service", "x"][..],
        &["investigate", "errors"][..],
        &["investigate", "data-loss", "-o", "json"][..],
        &["audit"][..],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{err}"
        );
        let hint = err
            .lines()
            .find(|l| l.starts_with("hint:"))
            .unwrap_or_default();
        for needle in [
            "--kubeconfig",
            "--prometheus-url",
            "/nonexistent-tracectl-test/tracectl/config.yaml",
            "--replay fixtures/demo/checkout-latency",
        ] {
            assert!(hint.contains(needle), "{args:?}: {needle} in {hint}");
        }
    }
    // A backend configured but down: the contract's 3, and the report is still written.
    let (code, out, err) = run(&[
        "investigate",
        "latency",
        "--service",
        "x",
        "--prometheus-url",
        "http://127.0.0.1:9",
        "--timeout",
        "2s",
        "-o",
        "json",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(out.contains("\"status\": \"failed\""), "{out}");
}
