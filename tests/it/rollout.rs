//! End-to-end tests of `tracectl investigate rollout`: the real binary against a real Prometheus
//! backfilled with request histograms and request/error counters around a rollout, and a
//! Kubernetes fixture holding the Deployment's ReplicaSets (revisions 6 and 7; builders in
//! `tests/it/scenarios.rs`). Three incidents, as the issue asks: a regression after the rollout, a
//! rollout that changed nothing, and a service with too little traffic to tell (whose latency
//! doubles, which must still not be reported). Each runs as a deploy gate (`--fail-on warning`)
//! and asserts the top finding's kind and subject, the undo command and the exit code, never a
//! score or a p-value. Also: `--since` without Kubernetes, and an unknown `--revision`.
//!
//! Each test starts its own Prometheus; without `prometheus`/`promtool` on PATH they print SKIPPED
//! (and fail on CI).

use std::process::Command;

use serde_json::Value;

use crate::scenarios::{
    Backends, DAY, END, HISTOGRAM, Incident, MINUTE, NAMESPACE, Rollout, server,
};
use crate::support::{SeriesSpec, Shape};

/// When revision 7 began rolling out: 40 minutes before [`END`], so both 30-minute windows
/// (the after one from 2 minutes past the rollout) are complete by then.
const ROLLOUT: i64 = END - 40 * MINUTE;

/// checkout's history: revision 6 ran for a day, revision 7 rolled out at [`ROLLOUT`].
fn checkout_rollout() -> Rollout {
    Rollout::new("checkout", 3)
        .revision(6, ROLLOUT - DAY, "1.8.0")
        .revision(7, ROLLOUT, "1.9.0")
        .change_cause("deploy checkout 1.9.0 (new pricing engine)")
}

/// `before` until the rollout, `after` from it on.
fn at_rollout(before: f64, after: f64) -> Shape {
    Shape::Step {
        before,
        after,
        at: ROLLOUT,
    }
}

/// One operation of checkout: its latency histogram (p95 over time) and the request and error
/// counters the `mcp` profile reads, `rate` requests per second with `errors` of them failing.
fn operation(op: &str, rate: f64, p95: Shape, errors: Shape) -> [SeriesSpec; 3] {
    let labels = [
        ("service_name", "checkout"),
        ("operation_name", op),
        ("dependency_service_name", ""),
    ];
    [
        server("checkout", op, rate, p95),
        SeriesSpec::counter("mcp_requests_total", &labels, Shape::Constant(rate)),
        SeriesSpec::counter("mcp_errors_total", &labels, errors),
    ]
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn report(&self) -> Value {
        let report: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
                self.code, self.stdout, self.stderr
            )
        });
        assert_eq!(report["schema"], "tracectl.report/v1", "{}", self.stdout);
        eprintln!("{}", summary(&report));
        report
    }
}

/// `tracectl investigate rollout --service checkout` at [`END`] against `b`'s Prometheus, in a
/// clean environment, then `extra`; `kube` adds the fixture's kubeconfig and `-n shop`.
fn rollout(b: &Backends, kube: bool, extra: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracectl"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", b.dir.path())
        .env("NO_COLOR", "1")
        .args(["investigate", "rollout", "--service", "checkout"])
        .args(["--prometheus-url", &b.prometheus.url()])
        .args([
            "--at",
            &END.to_string(),
            "--timeout",
            "5s",
            "-o",
            "json",
            "-q",
        ]);
    if kube {
        cmd.arg("--kubeconfig")
            .arg(&b.kubeconfig)
            .args(["-n", NAMESPACE]);
    }
    let out = cmd.args(extra).output().expect("run tracectl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn summary(report: &Value) -> String {
    let mut out = format!("diagnosis: {}\n", report["diagnosis"]);
    for f in report["findings"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  #{} {} {} subject={} | {}\n     {}\n",
            f["rank"], f["kind"], f["severity"], f["subject"], f["title"], f["detail"]
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

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

fn step<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id}:\n{}", summary(report)))
}

fn commands(f: &Value) -> Vec<&str> {
    f["remediation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["command"].as_str())
        .collect()
}

// ---------------------------------------------------------------------------
// 1. A regression after the rollout
// ---------------------------------------------------------------------------

/// Revision 7 makes POST /orders slow (p95 0.3 s → 1.8 s) and failing (0.2 % → 10 % errors);
/// GET /cart, twice the traffic, is untouched.
fn regression_incident() -> Incident {
    Incident::default()
        .series(operation(
            "POST /orders",
            5.0,
            at_rollout(0.3, 1.8),
            at_rollout(0.01, 0.5),
        ))
        .series(operation(
            "GET /cart",
            10.0,
            Shape::Constant(0.25),
            Shape::Constant(0.02),
        ))
        .rollout(checkout_rollout())
}

#[test]
fn a_regression_after_the_rollout_fails_the_gate_with_the_undo() {
    let Some(b) = regression_incident().start() else {
        return;
    };
    let run = rollout(&b, true, &["--fail-on", "warning"]);
    let report = run.report();
    assert_eq!(
        run.code,
        1,
        "--fail-on warning with a regression:\n{}",
        summary(&report)
    );
    let top = &findings(&report)[0];
    assert!(
        top["kind"] == "latency_regression" || top["kind"] == "error_regression",
        "{}",
        summary(&report)
    );
    assert_eq!(top["severity"], "critical", "{}", summary(&report));
    assert_eq!(top["subject"]["service"], "checkout");
    assert_eq!(top["subject"]["resource"], "deployment/checkout revision 7");
    assert_eq!(
        commands(top)[0],
        "kubectl rollout undo deployment/checkout --to-revision=6 -n shop",
        "{top:#}"
    );
    assert_eq!(top["remediation"][0]["safety"], "safe");

    // Both regressions are found, for the service and for POST /orders, never for GET /cart.
    let all = findings(&report);
    for kind in ["latency_regression", "error_regression"] {
        for op in [Value::Null, Value::from("POST /orders")] {
            assert!(
                all.iter()
                    .any(|f| f["kind"] == kind && f["subject"]["operation"] == op),
                "no {kind} for {op}:\n{}",
                summary(&report)
            );
        }
    }
    assert!(
        !all.iter().any(|f| f["subject"]["operation"] == "GET /cart"),
        "{}",
        summary(&report)
    );
    assert!(
        !all.iter()
            .any(|f| f["kind"] == "throughput_drop" || f["kind"] == "insufficient_traffic"),
        "{}",
        summary(&report)
    );

    // Every step answered and recorded what it ran; the windows' queries use a 30-minute range.
    for id in ["rollout", "traffic", "errors", "latency"] {
        assert_eq!(step(&report, id)["status"], "ok", "{}", summary(&report));
    }
    let queries = step(&report, "latency")["queries"].as_array().unwrap();
    assert!(
        queries.iter().any(|q| q
            .as_str()
            .unwrap()
            .starts_with(&format!("histogram_quantile(0.95, sum by (le) (increase({HISTOGRAM}_bucket{{service_name=\"checkout\""))
            && q.as_str().unwrap().contains("[30m]")),
        "{queries:#?}"
    );
    assert!(
        step(&report, "traffic")["queries"][0]
            .as_str()
            .unwrap()
            .contains("increase(mcp_requests_total{service_name=\"checkout\""),
        "{}",
        summary(&report)
    );
    assert_eq!(report["lookback"], "30m");

    // Kubernetes was only read: the Deployment, then its ReplicaSets by the Deployment's selector.
    let paths: Vec<(String, String)> = b
        .kube
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    assert!(paths.iter().all(|(m, _)| m == "GET"), "{paths:?}");
    assert!(
        paths.contains(&(
            "GET".into(),
            "/apis/apps/v1/namespaces/shop/deployments/checkout".into()
        )),
        "{paths:?}"
    );

    // Without Kubernetes, --since gives the time; the fix is then advice, not a command.
    let run = rollout(
        &b,
        false,
        &["--since", &ROLLOUT.to_string(), "--fail-on", "warning"],
    );
    let report = run.report();
    assert_eq!(run.code, 1, "{}", summary(&report));
    let top = &findings(&report)[0];
    assert!(
        top["kind"].as_str().unwrap().ends_with("_regression"),
        "{}",
        summary(&report)
    );
    assert_eq!(top["subject"]["resource"], Value::Null);
    assert_eq!(top["remediation"][0]["safety"], "advice-only");
    assert_eq!(step(&report, "rollout")["status"], "skipped");

    // A revision the Deployment never had is a usage error that lists the ones it has.
    let run = rollout(&b, true, &["--revision", "9"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("revision 9") && run.stderr.contains("6, 7"),
        "{}",
        run.stderr
    );
}

/// The same regression when checkout runs as a StatefulSet (issue #17): the rollout is read
/// from its ControllerRevisions, and the undo is the StatefulSet's.
#[test]
fn a_statefulsets_regression_fails_the_gate_with_its_own_undo() {
    let mut incident = regression_incident();
    incident.rollouts = vec![checkout_rollout().statefulset()];
    let Some(b) = incident.start() else {
        return;
    };
    let run = rollout(&b, true, &["--fail-on", "warning"]);
    let report = run.report();
    assert_eq!(run.code, 1, "{}", summary(&report));
    assert_eq!(
        step(&report, "rollout")["queries"][0],
        "kubectl rollout history statefulset/checkout -n shop"
    );
    let top = &findings(&report)[0];
    assert_eq!(
        top["subject"]["resource"],
        "statefulset/checkout revision 7"
    );
    assert_eq!(
        commands(top)[0],
        "kubectl rollout undo statefulset/checkout --to-revision=6 -n shop",
        "{top:#}"
    );
    let seen = b.kube.requests();
    assert!(
        seen.iter()
            .any(|r| r.path.ends_with("/controllerrevisions"))
            && !seen.iter().any(|r| r.path.ends_with("/replicasets")),
        "{seen:#?}"
    );
}

// ---------------------------------------------------------------------------
// 2. A rollout that changed nothing
// ---------------------------------------------------------------------------

fn quiet_rollout_incident() -> Incident {
    Incident::default()
        .series(operation(
            "POST /orders",
            5.0,
            Shape::Constant(0.3),
            Shape::Constant(0.01),
        ))
        .series(operation(
            "GET /cart",
            10.0,
            Shape::Constant(0.25),
            Shape::Constant(0.02),
        ))
        .rollout(checkout_rollout())
}

#[test]
fn no_regression_passes_the_gate() {
    let Some(b) = quiet_rollout_incident().start() else {
        return;
    };
    let run = rollout(&b, true, &["--fail-on", "warning"]);
    let report = run.report();
    assert_eq!(run.code, 0, "{}", summary(&report));
    assert!(
        !findings(&report)
            .iter()
            .any(|f| f["severity"] == "warning" || f["severity"] == "critical"),
        "{}",
        summary(&report)
    );
    assert_eq!(
        report["diagnosis"],
        "no problem found",
        "{}",
        summary(&report)
    );
    for id in ["rollout", "traffic", "errors", "latency"] {
        assert_eq!(step(&report, id)["status"], "ok", "{}", summary(&report));
    }
}

// ---------------------------------------------------------------------------
// 3. Too little traffic to tell
// ---------------------------------------------------------------------------

/// Three requests a minute (90 per window), and the p95 doubles at the rollout: a real change,
/// perhaps, but not one 90 requests can prove.
fn low_traffic_incident() -> Incident {
    Incident::default()
        .series(operation(
            "POST /orders",
            0.05,
            at_rollout(0.3, 0.6),
            Shape::Constant(0.0),
        ))
        .rollout(checkout_rollout())
}

#[test]
fn too_little_traffic_is_information_not_a_failed_gate() {
    let Some(b) = low_traffic_incident().start() else {
        return;
    };
    let run = rollout(&b, true, &["--fail-on", "warning"]);
    let report = run.report();
    assert_eq!(run.code, 0, "{}", summary(&report));
    let all = findings(&report);
    assert_eq!(all.len(), 1, "{}", summary(&report));
    let f = &all[0];
    assert_eq!(f["kind"], "insufficient_traffic", "{}", summary(&report));
    assert_eq!(f["severity"], "info");
    assert_eq!(f["subject"]["service"], "checkout");
    // It says how many requests each window had and what to do.
    let title = f["title"].as_str().unwrap();
    assert!(
        title.contains("requests before") && title.contains("after"),
        "{title}"
    );
    assert!(
        f["detail"].as_str().unwrap().contains("--window"),
        "{}",
        f["detail"]
    );
}

// ---------------------------------------------------------------------------
// The command line, with no backend
// ---------------------------------------------------------------------------

#[test]
fn explain_documents_every_rollout_kind() {
    for kind in [
        "latency_regression",
        "error_regression",
        "throughput_drop",
        "insufficient_traffic",
    ] {
        let (code, out, err) = crate::cli::run(&["explain", kind]);
        assert_eq!(code, 0, "{kind}: {err}");
        assert!(out.contains("(runbook: rollout)"), "{out}");
        assert!(out.contains("How safe the fix is"), "{out}");
    }
}

#[test]
fn without_prometheus_or_a_rollout_time_it_is_a_usage_error() {
    let (code, _, err) = crate::cli::run(&["investigate", "rollout", "--service", "checkout"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--prometheus-url"), "{err}");
    // No kubeconfig anywhere (HOME has none) and no --since: nothing dates the rollout.
    let (code, _, err) = crate::cli::run(&[
        "investigate",
        "rollout",
        "--service",
        "checkout",
        "--prometheus-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--since") && err.contains("hint:"), "{err}");
    let (code, _, err) = crate::cli::run(&[
        "investigate",
        "rollout",
        "--service",
        "checkout",
        "--since",
        "1795600000",
        "--revision",
        "6",
    ]);
    assert_eq!(code, 2, "--since and --revision exclude each other: {err}");
}
