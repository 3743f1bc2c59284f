//! The Prometheus client and PromQL templates against a real Prometheus: a service name built to
//! break out of its label matcher must not change the query.

use crate::scenarios::{END, START, flat, server};
use crate::support::{PrometheusHarness, Scenario};

#[test]
fn malicious_label_value_cannot_change_the_query() {
    // checkout is slow (3 s); if an injected name could widen the matcher, its latency would
    // show up as the target's.
    let scenario = Scenario::new(START, END).with(server("checkout", "GET /", 20.0, flat(3.0)));
    let Some(prom) = PrometheusHarness::start(&scenario).unwrap() else {
        return;
    };
    let evil = r#"x", service_name=~".+"} or {__name__=~"mcp.+", service_name="checkout"#;
    let out = crate::cli::tracectl()
        .args([
            "investigate",
            "latency",
            "-o",
            "json",
            "-q",
            "--service",
            evil,
        ])
        .arg("--prometheus-url")
        .arg(prom.url())
        .arg("--at")
        .arg(END.to_string())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let step = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "affected-services")
        .unwrap();
    assert_eq!(
        step["status"], "ok",
        "the escaped query is valid PromQL: {step}"
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["kind"] != "slow_service"),
        "the injected matcher reached checkout's series: {report}"
    );

    // The same run for the real name does find it, so the assertion above can fail.
    let out = crate::cli::tracectl()
        .args([
            "investigate",
            "latency",
            "-o",
            "json",
            "-q",
            "--service",
            "checkout",
        ])
        .arg("--prometheus-url")
        .arg(prom.url())
        .arg("--at")
        .arg(END.to_string())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "slow_service"),
        "{report}"
    );
}
