//! Running the tracectl binary in a clean environment and reading its `tracectl.report/v1` JSON
//! report in assertions: shared by the runbook test modules.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// What one run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as the `tracectl.report/v1` JSON report.
    pub fn report(&self) -> Value {
        let report: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
                self.code, self.stdout, self.stderr
            )
        });
        assert_eq!(report["schema"], "tracectl.report/v1", "{}", self.stdout);
        report
    }

    /// [`Run::report`], asserting which command wrote it.
    pub fn report_for(&self, command: &str) -> Value {
        let report = self.report();
        assert_eq!(report["command"], command);
        report
    }
}

/// Runs tracectl with `args` in a clean environment: no inherited `TRACECTL_*`/`KUBECONFIG`,
/// `HOME` in a scratch directory (so no user config file or `~/.kube/config` is read), no colour.
pub fn tracectl(args: &[String], env: &[(&str, &str)], home: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run tracectl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Findings and steps in one line each, for assertion messages.
pub fn summary(report: &Value) -> String {
    let mut out = format!("diagnosis: {}\n", report["diagnosis"]);
    for f in report["findings"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  #{} {} {} score={} subject={} | {}\n",
            f["rank"], f["kind"], f["severity"], f["score"], f["subject"], f["title"]
        ));
    }
    for s in report["steps"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  step {} {} {}\n",
            s["id"], s["status"], s["error"]
        ));
    }
    out
}

/// The rank-1 finding; fails with the whole report summarised if none.
pub fn top(report: &Value) -> &Value {
    // Captured by libtest; shown with --nocapture or when the test fails.
    eprintln!("{}", summary(report));
    let first = &report["findings"][0];
    assert!(first.is_object(), "no findings:\n{}", summary(report));
    assert_eq!(first["rank"], 1, "{}", summary(report));
    first
}

/// Asserts the top finding's kind, and returns it.
pub fn assert_top_kind<'r>(report: &'r Value, kind: &str) -> &'r Value {
    let f = top(report);
    assert_eq!(
        f["kind"],
        kind,
        "top finding should be {kind}:\n{}",
        summary(report)
    );
    f
}

/// Every finding of one kind, in rank order.
pub fn findings<'r>(report: &'r Value, kind: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["kind"] == kind)
        .collect()
}

pub fn step_of<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["steps"]
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}:\n{}", summary(report)))
}
