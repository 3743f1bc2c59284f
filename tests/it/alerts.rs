//! End-to-end tests of `tracectl investigate alerts`: a real Alertmanager
//! holding alerts the test posts (as Prometheus would, `POST /api/v2/alerts`),
//! mapped through the built-in runbooks' `alerts:` rules to the latency
//! investigation, which runs against a real Prometheus backfilled with a slow
//! postgres incident (the builders of `tests/it/scenarios.rs`). Asserts the
//! combined report: one section per (runbook, service) with its steps and
//! findings prefixed by the alert, the alerts no runbook answers as
//! `unmatched_alert`, and the exit codes (nothing firing, Alertmanager down).

use serde_json::{Value, json};

use crate::check::{post_alerts, strings, summary, ten_minutes_ago, tracectl};
use crate::scenarios::{END, Incident, client, closed_port_url, flat, server, step};
use crate::support::AlertmanagerHarness;

/// checkout's p95 goes to ~2.4 s because its postgres queries take ~2.2 s;
/// frontend is fast.
pub(crate) fn incident() -> Incident {
    Incident::default().series([
        server("checkout", "POST /orders", 5.0, step(0.25, 2.4)),
        client("checkout", "postgres", "SELECT", 30.0, step(0.08, 2.2)),
        server("frontend", "GET /", 20.0, flat(0.3)),
    ])
}

pub(crate) fn args(am: &str, b: &crate::scenarios::Backends, extra: &[&str]) -> Vec<String> {
    let mut a = strings(&[
        "investigate",
        "alerts",
        "--alertmanager-url",
        am,
        "--prometheus-url",
        &b.prometheus.url(),
        "--jaeger-url",
        &b.jaeger.url(),
        "--kubeconfig",
        &b.kubeconfig.display().to_string(),
        "-n",
        "shop",
        "--at",
        &END.to_string(),
        "--timeout",
        "5s",
        "-q",
    ]);
    a.extend(strings(extra));
    a
}

/// The incident's backends and an empty Alertmanager; `None` where either cannot run here.
fn started() -> Option<(crate::scenarios::Backends, AlertmanagerHarness)> {
    let b = incident().start()?;
    let am = AlertmanagerHarness::start().expect("start Alertmanager")?;
    Some((b, am))
}

fn titles(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn firing_alerts_become_one_report_with_a_section_each() {
    let Some((b, am)) = started() else {
        return;
    };
    post_alerts(
        &am.url(),
        json!([
            {"labels": {"alertname": "HighLatency", "service_name": "checkout", "severity": "critical"},
             "annotations": {"summary": "checkout p95 above 1s"},
             "startsAt": ten_minutes_ago(), "generatorURL": "http://prometheus:9090/graph"},
            // The latency runbook's second rule reads `service`: same section.
            {"labels": {"alertname": "CheckoutSlowRequests", "service": "checkout"},
             "startsAt": ten_minutes_ago()},
            {"labels": {"alertname": "HighLatency", "service_name": "frontend", "severity": "warning"},
             "startsAt": ten_minutes_ago()},
            {"labels": {"alertname": "DiskFull", "instance": "db-1", "service_name": "postgres"},
             "annotations": {"summary": "disk 95% full"},
             "startsAt": ten_minutes_ago()},
        ]),
    );
    let run = tracectl(
        &args(&am.url(), &b, &["-o", "json", "--fail-on", "critical"]),
        b.dir.path(),
    );
    let report = run.report();
    let s = summary(&report);
    eprintln!("{s}");
    assert_eq!(report["command"], "investigate alerts");
    assert_eq!(report["target"]["service"], Value::Null, "two services");

    let steps: Vec<(&str, &str)> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| (st["id"].as_str().unwrap(), st["status"].as_str().unwrap()))
        .collect();
    assert_eq!(steps[0], ("alerts", "ok"), "{s}");
    let checkout = "CheckoutSlowRequests,HighLatency/checkout: ";
    assert!(
        steps
            .iter()
            .any(|(id, st)| *id == format!("{checkout}affected-services") && *st == "ok"),
        "checkout's section, both alerts in it:\n{s}"
    );
    assert!(
        steps
            .iter()
            .any(|(id, _)| *id == "HighLatency/frontend: affected-services"),
        "{s}"
    );
    assert_eq!(
        steps
            .iter()
            .filter(|(id, _)| id.starts_with(checkout))
            .count(),
        steps
            .iter()
            .filter(|(id, _)| id.starts_with("HighLatency/frontend: "))
            .count(),
        "each section runs the whole latency runbook once:\n{s}"
    );

    // checkout's cause, under its alert.
    let dep = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "slow_dependency")
        .unwrap_or_else(|| panic!("no slow_dependency:\n{s}"));
    assert!(dep["title"].as_str().unwrap().starts_with(checkout), "{s}");
    assert_eq!(dep["subject"]["service"], "checkout");
    assert_eq!(dep["subject"]["dependency"], "postgres");
    assert_eq!(report["findings"][0]["rank"], 1);

    // DiskFull answers to no runbook: listed, as info.
    let unmatched: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unmatched_alert")
        .collect();
    assert_eq!(unmatched.len(), 1, "{s}");
    assert_eq!(unmatched[0]["severity"], "info");
    assert_eq!(
        unmatched[0]["title"],
        "Alert DiskFull matches no runbook: disk 95% full"
    );
    assert_eq!(unmatched[0]["subject"]["service"], "postgres");
    assert!(
        unmatched[0]["evidence"][0]["value"]
            .as_str()
            .unwrap()
            .contains("instance=\"db-1\""),
        "{s}"
    );

    let diagnosis = report["diagnosis"].as_str().unwrap();
    assert!(diagnosis.starts_with(checkout), "{diagnosis}");
    assert!(diagnosis.contains("HighLatency/frontend: "), "{diagnosis}");
    assert!(
        diagnosis.ends_with("1 firing alert matches no runbook"),
        "{diagnosis}"
    );
    assert!(
        !titles(&report).iter().any(|t| t.contains("DiskFull/")),
        "no section for DiskFull"
    );
    assert_eq!(run.code, 1, "a critical finding with --fail-on critical");

    // The human formats carry the sections too.
    let md = tracectl(&args(&am.url(), &b, &["-o", "markdown"]), b.dir.path());
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.contains(checkout.trim_end()), "{}", md.stdout);
    assert!(md.stdout.contains("unmatched_alert"), "{}", md.stdout);
}

#[test]
fn nothing_firing_and_alertmanager_down() {
    let Some((b, am)) = started() else {
        return;
    };
    let run = tracectl(&args(&am.url(), &b, &["-o", "json"]), b.dir.path());
    let report = run.report();
    assert_eq!(
        report["diagnosis"],
        "no alert is firing",
        "{}",
        summary(&report)
    );
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(run.code, 0);
    // Alertmanager asked for what pages a human: active, not silenced or inhibited.
    // (The real server answers; the request shape is checked in the client's unit tests.)

    // A filter narrows what is read, server side.
    post_alerts(
        &am.url(),
        json!([{"labels": {"alertname": "HighLatency", "service_name": "checkout", "team": "payments"},
                "startsAt": ten_minutes_ago()}]),
    );
    let filtered = tracectl(
        &args(
            &am.url(),
            &b,
            &["-o", "json", "--filter", "team=\"search\""],
        ),
        b.dir.path(),
    );
    assert_eq!(filtered.report()["diagnosis"], "no alert is firing");

    let dead = closed_port_url();
    let run = tracectl(&args(&dead, &b, &["-o", "json"]), b.dir.path());
    let report = run.report();
    let st = &report["steps"][0];
    assert_eq!(st["id"], "alerts");
    assert_eq!(st["status"], "failed");
    assert!(
        st["error"]
            .as_str()
            .unwrap()
            .starts_with("alertmanager at "),
        "{}",
        summary(&report)
    );
    assert_eq!(run.code, 3, "the one backend it needs is down");

    let none = tracectl(
        &strings(&[
            "investigate",
            "alerts",
            "--prometheus-url",
            &b.prometheus.url(),
        ]),
        b.dir.path(),
    );
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(
        none.stderr.contains("hint: pass --alertmanager-url"),
        "{}",
        none.stderr
    );
}

/// Issue #17: an alert about a Kubernetes object names the namespace it lives in, and its
/// investigation reads there; an application alert's `namespace` (here the scraper's) is not
/// read, and its investigation stays in `-n`.
#[test]
fn a_kubernetes_alert_is_investigated_in_its_own_namespace() {
    let Some((b, am)) = started() else {
        return;
    };
    post_alerts(
        &am.url(),
        json!([
            {"labels": {"alertname": "CPUThrottlingHigh", "container": "checkout",
                        "namespace": "payments", "pod": "checkout-7d9f8b6c5-x2x7q",
                        "severity": "info"},
             "startsAt": ten_minutes_ago()},
            {"labels": {"alertname": "HighLatency", "service_name": "checkout",
                        "namespace": "monitoring"},
             "startsAt": ten_minutes_ago()},
        ]),
    );
    let run = tracectl(&args(&am.url(), &b, &["-o", "json"]), b.dir.path());
    let report = run.report();
    let s = summary(&report);
    let ids: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter()
            .any(|id| id.starts_with("CPUThrottlingHigh/payments/checkout: ")),
        "{s}"
    );
    assert!(
        ids.iter()
            .any(|id| id.starts_with("HighLatency/checkout: ")),
        "{s}"
    );
    let paths: Vec<String> = b.kube.requests().iter().map(|r| r.path.clone()).collect();
    let read_in = |ns: &str| {
        paths
            .iter()
            .any(|p| p.contains(&format!("/namespaces/{ns}/")))
    };
    assert!(read_in("payments"), "the alert's namespace: {paths:#?}");
    assert!(read_in("shop"), "-n, for the application alert: {paths:#?}");
    assert!(!read_in("monitoring"), "{paths:#?}");
}
