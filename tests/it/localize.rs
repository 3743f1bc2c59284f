//! The call-graph step (#15) against a real Prometheus: the root three calls below the symptom
//! is named with its propagation path, a chronically slow service and dependency are never
//! blamed, a delay on a service's egress is told apart from the service, `--service` walks down
//! from the service, errors start where they start, `--baseline-at` moves the baseline, and
//! with `--service` an incident older than the default baseline is read against its onset.
//! The generated-fleet property test of the same method is `src/analysis/localize/fleet.rs`.

use crate::scenarios::{
    Backends, DAY, END, ErrorIncident, HOUR, Incident, KubePod, NAMESPACE, ONSET, Pod, Rollout,
    calls, client, errors, flat, requests, server, step,
};
use crate::support::report::{Run, assert_top_kind, findings, step_of, summary, tracectl};

/// `investigate RUNBOOK` against `b`'s Prometheus only (Jaeger and Kubernetes unconfigured, so
/// their steps are skipped), at [`END`], as JSON, then `extra`.
pub(crate) fn run(b: &Backends, runbook: &str, extra: &[&str]) -> Run {
    let end = END.to_string();
    let prom = b.prometheus.url();
    let mut args = vec![
        "investigate",
        runbook,
        "--prometheus-url",
        &prom,
        "-n",
        NAMESPACE,
        "--at",
        &end,
        "--timeout",
        "5s",
        "-o",
        "json",
        "-q",
    ];
    args.extend_from_slice(extra);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tracectl(&args, &[], b.dir.path())
}

/// The run's target is `root`, and its top finding says `symptom`'s latency starts there.
pub(crate) fn assert_root<'r>(
    report: &'r serde_json::Value,
    symptom: &str,
    root: &str,
) -> &'r serde_json::Value {
    assert_eq!(report["target"]["service"], root, "{}", summary(report));
    let f = assert_top_kind(report, "slow_dependency");
    assert_eq!(f["subject"]["service"], symptom, "{}", summary(report));
    assert_eq!(f["subject"]["dependency"], root);
    f
}

/// frontend → checkout → payment → postgres, payment's latency rising 0.1 s → 0.7 s at the
/// onset and carried up to checkout and frontend; beside it an orchestrator slow as usual
/// (3.3 s) and checkout's workflow engine, always over the dependency threshold (4.3 s).
pub(crate) fn deep_incident() -> Incident {
    Incident::default().series([
        server("frontend", "GET /", 30.0, step(4.9, 5.5)),
        client(
            "frontend",
            "checkout",
            "POST /checkout",
            30.0,
            step(4.8, 5.4),
        ),
        client("frontend", "orchestrator", "POST /flow", 5.0, flat(3.3)),
        server("checkout", "POST /checkout", 30.0, step(4.7, 5.3)),
        client("checkout", "payment", "POST /pay", 30.0, step(0.12, 0.72)),
        client("checkout", "workflow", "POST /run", 30.0, flat(4.3)),
        server("payment", "POST /pay", 30.0, step(0.1, 0.7)),
        client("payment", "postgres", "INSERT", 30.0, flat(0.02)),
        server("orchestrator", "POST /flow", 5.0, flat(3.3)),
        server("workflow", "POST /run", 30.0, flat(4.2)),
    ])
}

#[test]
fn the_root_three_calls_below_the_symptom_is_named_with_its_path() {
    let Some(b) = deep_incident().start() else {
        return;
    };
    let report = run(&b, "latency", &[]).report();
    let f = assert_root(&report, "frontend", "payment");
    let detail = f["detail"].as_str().unwrap();
    let path = ["frontend (", "← checkout (", "← payment ("];
    let at: Vec<Option<usize>> = path.iter().map(|p| detail.find(p)).collect();
    assert!(
        at.iter().all(Option::is_some) && at.windows(2).all(|w| w[0] < w[1]),
        "the path, symptom first: {detail}"
    );
    assert_eq!(step_of(&report, "call-graph")["status"], "ok");
    // Slow as usual: said, never the top.
    let chronic: Vec<&str> = findings(&report, "chronic_service")
        .iter()
        .filter_map(|f| f["subject"]["service"].as_str())
        .collect();
    assert!(chronic.contains(&"orchestrator"), "{}", summary(&report));
    assert!(chronic.contains(&"workflow"), "{}", summary(&report));
}

/// With `--service checkout` the walk starts at checkout: payment is named, and the workflow
/// engine, over the 1.5 s dependency threshold in every incident, is demoted and says why.
#[test]
fn with_a_service_the_walk_starts_there_and_a_dependency_slow_as_usual_is_demoted() {
    let Some(b) = deep_incident().start() else {
        return;
    };
    let report = run(&b, "latency", &["--service", "checkout"]).report();
    assert_eq!(report["target"]["service"], "checkout");
    let f = assert_top_kind(&report, "slow_dependency");
    assert_eq!(
        f["subject"]["dependency"],
        "payment",
        "{}",
        summary(&report)
    );
    let workflow: Vec<_> = findings(&report, "slow_dependency")
        .into_iter()
        .filter(|f| f["subject"]["dependency"] == "workflow")
        .collect();
    assert_eq!(workflow.len(), 1, "{}", summary(&report));
    assert_eq!(workflow[0]["severity"], "warning");
    assert!(
        workflow[0]["detail"].as_str().unwrap().contains("as usual"),
        "{}",
        workflow[0]
    );
    assert!(workflow[0]["score"].as_f64().unwrap() < f["score"].as_f64().unwrap());
}

/// Calls to the cache got slow from both its callers while its own server spans did not: the
/// delay is on its egress or network, and the finding says so.
#[test]
fn a_delay_the_callers_see_but_the_server_does_not_is_an_egress_delay() {
    let Some(b) = Incident::default()
        .series([
            server("web", "GET /", 20.0, step(0.2, 0.5)),
            client("web", "cache", "GET", 20.0, step(0.01, 0.3)),
            server("cart", "GET /cart", 20.0, step(0.1, 0.4)),
            client("cart", "cache", "GET", 20.0, step(0.01, 0.3)),
            server("cache", "GET", 40.0, flat(0.008)),
        ])
        .start()
    else {
        return;
    };
    let report = run(&b, "latency", &[]).report();
    let f = assert_top_kind(&report, "egress_delay");
    assert_eq!(f["subject"]["service"], "cache", "{}", summary(&report));
    assert!(
        f["title"].as_str().unwrap().contains("egress or network"),
        "{f}"
    );
    assert!(
        f["remediation"][0]["command"]
            .as_str()
            .is_some_and(|c| c.contains("kubectl get pods -n shop -o wide"))
    );
}

/// The orchestrator: a tenth of `orders`' requests take seconds, always, so its p95
/// (and its callers') is that tail and does not move; at the onset its every other request got
/// three times slower (median 40 → 120 ms). Only the medians show it: the walk follows them from
/// the web front end to orders, and the finding says the change is of the median.
#[test]
fn a_slower_body_under_a_tail_slow_as_usual_is_found_by_the_median() {
    let Some(b) = Incident::default()
        .series([
            server("web", "GET /", 27.0, step(0.12, 0.25)),
            server("web", "POST /flow", 3.0, flat(3.4)),
            client("web", "orders", "GET /orders", 27.0, step(0.07, 0.2)),
            client("web", "orders", "POST /flow", 3.0, flat(3.35)),
            server("orders", "GET /orders", 27.0, step(0.066, 0.197)),
            server("orders", "POST /flow", 3.0, flat(3.3)),
            client("orders", "postgres", "SELECT", 27.0, flat(0.01)),
        ])
        .start()
    else {
        return;
    };
    let report = run(&b, "latency", &[]).report();
    let f = assert_root(&report, "web", "orders");
    let title = f["title"].as_str().unwrap();
    assert!(title.contains("p50 (median) rose"), "{title}");
    assert!(
        f["detail"].as_str().unwrap().contains("orders (p50 "),
        "{}",
        f["detail"]
    );
    // Its p95 is over the threshold as it always was, but it changed: not called chronic.
    assert!(
        findings(&report, "chronic_service")
            .iter()
            .all(|f| f["subject"]["service"] != "orders"),
        "{}",
        summary(&report)
    );
    let queries = step_of(&report, "call-graph")["queries"].to_string();
    assert!(queries.contains("histogram_quantile(0.5,"), "{queries}");
}

/// Errors: billing fails a third of its calls as always; auth's errors go 0 → 4% and api, which
/// calls it, fails with it. The errors start in auth.
#[test]
fn errors_start_where_they_start_and_a_chronic_failure_is_not_blamed() {
    let Some(b) = Incident::default()
        .series([
            requests("api", "GET /", 50.0),
            errors("api", "GET /", "upstream", step(0.0, 2.0)),
            requests("auth", "POST /token", 50.0),
            errors("auth", "POST /token", "invalid_key", step(0.0, 2.0)),
            requests("billing", "POST /charge", 30.0),
            errors("billing", "POST /charge", "declined", flat(10.0)),
        ])
        .series(calls(
            "api",
            "auth",
            "POST /token",
            50.0,
            "upstream",
            step(0.0, 2.0),
        ))
        .series(calls(
            "api",
            "billing",
            "POST /charge",
            30.0,
            "declined",
            flat(10.0),
        ))
        .start()
    else {
        return;
    };
    let report = run(&b, "errors", &[]).report();
    assert_eq!(report["target"]["service"], "auth", "{}", summary(&report));
    let f = assert_top_kind(&report, "dependency_errors");
    assert_eq!(f["subject"]["service"], "api");
    assert_eq!(f["subject"]["dependency"], "auth");
    let chronic: Vec<_> = findings(&report, "chronic_service");
    assert!(
        chronic.iter().any(|c| c["subject"]["service"] == "billing"),
        "{}",
        summary(&report)
    );
    // Issue 19: with the graph's root, triage reads only the root's ratio now, not every
    // service's baseline; the filtered query answers (a failure would make the step a warning).
    let triage = step_of(&report, "triage");
    assert_eq!(triage["status"], "ok", "{triage}");
    let queries = triage["queries"].to_string();
    assert!(
        queries.contains("tracectl_pick") && !queries.contains("quantile_over_time"),
        "{queries}"
    );
}

/// `--baseline-at` moves the baseline: taken after the onset, payment's latency is as usual, so
/// nothing is a change and the run falls back to the slowest service. A baseline after `--at`
/// is a usage error.
#[test]
fn the_baseline_moves_with_baseline_at_and_must_be_before_at() {
    let Some(b) = deep_incident().start() else {
        return;
    };
    let after_onset = (END - 2 * 60).to_string();
    let report = run(&b, "latency", &["--baseline-at", &after_onset]).report();
    assert_payment_not_blamed(&report);
    assert!(
        findings(&report, "latency_change").is_empty(),
        "{}",
        summary(&report)
    );
    let later = (END + HOUR).to_string();
    let r = run(&b, "latency", &["--baseline-at", &later]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--baseline-at"), "{}", r.stderr);
}

/// payment is not named as a changed slow dependency (at most "as usual").
fn assert_payment_not_blamed(report: &serde_json::Value) {
    assert!(
        findings(report, "slow_dependency")
            .iter()
            .all(|f| f["subject"]["dependency"] != "payment"
                || f["detail"].as_str().unwrap().contains("as usual")),
        "{}",
        summary(report)
    );
}

/// One info line a minute over the last two hours, as `pod` writes them.
pub(crate) fn steady(what: &str) -> Vec<(i64, String)> {
    (0..120)
        .map(|m| {
            let t = END - 2 * HOUR + m * 60;
            (t, format!("INFO {what} id={m} done in {}ms", 10 + m % 7))
        })
        .collect()
}

/// api, failing 0.8/s as always, and ledger, which it calls without errors.
pub(crate) fn api_failing_as_usual() -> Incident {
    let incident = Incident::default().series([
        requests("api", "GET /balance", 40.0),
        errors("api", "GET /balance", "upstream", flat(0.8)),
        requests("ledger", "GET /entries", 40.0),
    ]);
    quiet_calls(incident, "api", "ledger", "GET /entries")
}

/// `caller` calls `callee` 40 times a second, never failing.
pub(crate) fn quiet_calls(
    incident: Incident,
    caller: &str,
    callee: &str,
    operation: &str,
) -> Incident {
    incident.series(calls(caller, callee, operation, 40.0, "timeout", flat(0.0)))
}

/// `lines` with twelve error lines the service never wrote before, in the last ten minutes.
pub(crate) fn with_new_errors(
    mut lines: Vec<(i64, String)>,
    error: impl Fn(i64) -> String,
) -> Vec<(i64, String)> {
    lines.extend((0..12).map(|i| (END - 10 * 60 + i * 45, error(i))));
    lines.sort_by_key(|l| l.0);
    lines
}

/// A fault that changes no metric, only which lines a service writes: ledger starts logging an
/// error it never wrote (a caught exception turned into a wrong answer) while api, which calls
/// it, fails a little as always. The log step reads the services below the symptom (api, the
/// worst by level, since no metric changed), and names ledger.
#[test]
fn a_service_whose_logs_changed_but_no_metric_did_is_named_by_the_log_step() {
    let incident = api_failing_as_usual().series([requests("reader", "GET /rows", 40.0)]);
    let incident = quiet_calls(incident, "api", "reader", "GET /rows");
    let ledger = with_new_errors(steady("posted entry"), |i| {
        format!("ERROR balance mismatch for account acct-{i}: expected 100 got {i}")
    });
    let Some(b) = ErrorIncident::new(incident)
        .pod(KubePod::running("api-7d9f-a", "api"))
        .pod(KubePod::running("ledger-5c8d-b", "ledger"))
        .pod(KubePod::running("reader-4f2a-c", "reader"))
        .log("api-7d9f-a", steady("served balance"))
        .log("ledger-5c8d-b", ledger)
        .log("reader-4f2a-c", steady("read rows"))
        .start()
    else {
        return;
    };
    let kubeconfig = b.kubeconfig.display().to_string();
    let report = run(&b, "errors", &["--kubeconfig", &kubeconfig]).report();
    assert_eq!(
        step_of(&report, "log-patterns")["status"],
        "ok",
        "{}",
        summary(&report)
    );
    assert_eq!(
        report["target"]["service"],
        "ledger",
        "{}",
        summary(&report)
    );
    let f = assert_top_kind(&report, "log_template_shift");
    assert_eq!(f["subject"]["service"], "ledger");
    let title = f["title"].as_str().unwrap();
    assert!(
        title.contains("new:") && title.contains("balance mismatch"),
        "{title}"
    );
    // The masked template, never a raw line (logs hold secrets).
    assert!(!title.contains("acct-3"), "{title}");
    // Both windows were read: the last minutes by tailLines, the baseline hour by sinceTime.
    let logs: Vec<_> = b
        .kube
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v1/namespaces/shop/pods/ledger-5c8d-b/log")
        .collect();
    assert!(
        logs.iter().any(|r| r.query_param("sinceTime").is_some()),
        "{logs:?}"
    );
    assert!(
        logs.iter().any(|r| r.query_param("tailLines").is_some()),
        "{logs:?}"
    );
}

/// With `--service frontend`, the rollouts read are the call graph's root's (payment, two calls
/// down), not the slowest direct dependency's (checkout): payment's revision 7, two minutes
/// before the onset, is reported. (It is not correlated with an onset: frontend's own rise,
/// 4.9 s → 5.5 s, is too small for the change-point detection, which reads the service's trend.)
#[test]
fn with_a_service_the_roots_rollout_two_calls_down_is_read() {
    let Some(b) = deep_incident()
        .rollout(
            Rollout::new("payment", 2)
                .revision(6, END - 3 * 86_400, "3.4.2")
                .revision(7, ONSET - 120, "3.5.0"),
        )
        .start()
    else {
        return;
    };
    let kubeconfig = b.kubeconfig.display().to_string();
    let report = run(
        &b,
        "latency",
        &["--service", "frontend", "--kubeconfig", &kubeconfig],
    )
    .report();
    assert_eq!(report["target"]["service"], "frontend");
    let top = assert_top_kind(&report, "slow_dependency");
    assert_eq!(
        top["subject"]["dependency"],
        "payment",
        "{}",
        summary(&report)
    );
    let rolled = findings(&report, "recent_deployment");
    assert_eq!(rolled.len(), 1, "{}", summary(&report));
    assert_eq!(rolled[0]["subject"]["dependency"], "payment");
    assert!(
        rolled[0]["title"].as_str().unwrap().contains("revision 7"),
        "{}",
        rolled[0]
    );
    assert!(
        b.kube
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/deployments/payment")),
        "payment's Deployment was read"
    );
}

/// The containers' other resources are read fleet-wide with the call graph: the root's
/// throttling and working set, which rose with its latency, agree with its change and are said
/// in the graph's finding; a bystander's, flat, are not.
#[test]
fn the_roots_throttling_and_memory_agree_with_its_change() {
    const MIB: f64 = 1024.0 * 1024.0;
    let Some(b) = deep_incident()
        .pods(&[
            Pod::healthy("payment-6d5f7c9b8-x2x7q", "payment")
                .throttled(step(0.02, 0.6))
                .working_set(step(250.0 * MIB, 500.0 * MIB)),
            Pod::healthy("checkout-7d9f8b6c5d-a1b2c", "checkout"),
        ])
        .start()
    else {
        return;
    };
    let report = run(&b, "latency", &[]).report();
    assert_eq!(
        report["target"]["service"],
        "payment",
        "{}",
        summary(&report)
    );
    let graph: Vec<_> = findings(&report, "slow_dependency")
        .into_iter()
        .filter(|f| f["subject"]["dependency"] == "payment")
        .collect();
    assert_eq!(graph.len(), 1, "{}", summary(&report));
    let detail = graph[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("throttling")
            && detail.contains("memory")
            && detail.contains("changed too"),
        "{detail}"
    );
    let queries = step_of(&report, "call-graph")["queries"].to_string();
    assert!(
        queries.contains("container_cpu_cfs_throttled_periods_total"),
        "{queries}"
    );
    assert!(
        queries.contains("kube_pod_container_status_restarts_total"),
        "{queries}"
    );
}

/// A log-only fault outside the worst service's subtree: api fails a little as always, while
/// codes, on another path (gateway → codes), starts logging an error it never wrote. Without
/// `--service` the log step reads on past api's subtree, from the graph's entry points, and
/// names codes; with `--service api` the search covers api and what it calls only, so codes is
/// not read. The latency runbook runs the same log step.
#[test]
fn without_a_service_the_log_step_reads_past_the_symptoms_subtree() {
    let incident = api_failing_as_usual().series([
        requests("gateway", "GET /login", 40.0),
        requests("codes", "GET /verify", 40.0),
    ]);
    let incident = quiet_calls(incident, "gateway", "codes", "GET /verify");
    let codes = with_new_errors(steady("verified code"), |i| {
        format!("ERROR image code not found for session s-{i}")
    });
    let Some(b) = ErrorIncident::new(incident)
        .pod(KubePod::running("api-7d9f-a", "api"))
        .pod(KubePod::running("ledger-5c8d-b", "ledger"))
        .pod(KubePod::running("gateway-6c1e-d", "gateway"))
        .pod(KubePod::running("codes-3b7a-e", "codes"))
        .log("api-7d9f-a", steady("served balance"))
        .log("ledger-5c8d-b", steady("posted entry"))
        .log("gateway-6c1e-d", steady("routed login"))
        .log("codes-3b7a-e", codes)
        .start()
    else {
        return;
    };
    let kubeconfig = b.kubeconfig.display().to_string();
    let report = run(&b, "errors", &["--kubeconfig", &kubeconfig]).report();
    let f = assert_top_kind(&report, "log_template_shift");
    assert_eq!(f["subject"]["service"], "codes", "{}", summary(&report));
    assert!(
        b.kube
            .requests()
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/pods/codes-3b7a-e/log")
    );

    let before = b.kube.requests().len();
    let report = run(
        &b,
        "errors",
        &["--kubeconfig", &kubeconfig, "--service", "api"],
    )
    .report();
    assert!(
        !b.kube.requests()[before..]
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/shop/pods/codes-3b7a-e/log"),
        "{}",
        summary(&report)
    );
    assert!(
        findings(&report, "log_template_shift")
            .iter()
            .all(|f| f["subject"]["service"] != "codes")
    );

    // The latency runbook lists the step too (here with no latency series, nothing to start
    // from: skipped, and said why).
    let report = run(&b, "latency", &["--kubeconfig", &kubeconfig]).report();
    let step = step_of(&report, "log-patterns");
    assert_eq!(step["status"], "skipped", "{}", summary(&report));
    assert!(
        step["error"]
            .as_str()
            .unwrap()
            .contains("nothing to compare")
    );
}

/// What happens every day at this hour is not this incident: a report service whose p95 goes
/// from 0.1 s to 0.8 s every morning at this time (yesterday's data are in Prometheus) is not
/// the root, though it rose more in the last hour than the cart, whose 40 → 200 ms is new today.
#[test]
fn a_rise_that_happens_every_day_at_this_hour_is_not_the_root() {
    use crate::support::openmetrics::Shape;
    let tod = |t: i64| t.rem_euclid(DAY);
    let morning = Shape::Daily {
        base: 0.1,
        peak: 0.8,
        from: tod(ONSET),
        to: tod(END) + HOUR,
    };
    let mut incident = Incident::default().series([
        server("web", "GET /", 20.0, step(0.3, 0.5)),
        client("web", "cart", "GET /cart", 20.0, step(0.05, 0.21)),
        server("cart", "GET /cart", 20.0, step(0.04, 0.2)),
        server("reports", "GET /daily", 20.0, morning.clone()),
        client("scheduler", "reports", "GET /daily", 20.0, morning),
        server("scheduler", "POST /run", 20.0, flat(0.9)),
    ]);
    // Yesterday at this time, and the hours since.
    incident.metrics.start = END - DAY - 2 * HOUR;
    incident.metrics.step = 30;
    let Some(b) = incident.start() else {
        return;
    };
    let report = run(&b, "latency", &[]).report();
    assert_eq!(report["target"]["service"], "cart", "{}", summary(&report));
    let blamed: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        .filter_map(|f| {
            f["subject"]["dependency"]
                .as_str()
                .or(f["subject"]["service"].as_str())
        })
        .collect();
    assert!(!blamed.contains(&"reports"), "{}", summary(&report));
    let queries = step_of(&report, "call-graph")["queries"].to_string();
    assert!(queries.contains("offset 23h45m"), "{queries}");
    assert!(queries.contains("offset 6d23h45m"), "{queries}");
}

/// The deep incident, begun 55 minutes before `--at`: the default baseline (the hour ending 15
/// minutes before) is mostly the incident, so its median is the incident's level and nothing
/// counts as changed. With `--service`, the symptom's onset moves the baseline before it and
/// payment is named; without, the slowest service's onset does; a `--baseline-at` the user
/// gives is kept as given.
#[test]
fn an_incident_older_than_the_baseline_is_found_before_its_onset() {
    use crate::support::openmetrics::Shape;
    let onset = END - 55 * crate::scenarios::MINUTE;
    let old = |before, after| Shape::Step {
        before,
        after,
        at: onset,
    };
    let Some(b) = Incident::default()
        .series([
            server("frontend", "GET /", 30.0, old(4.9, 5.5)),
            client(
                "frontend",
                "checkout",
                "POST /checkout",
                30.0,
                old(4.8, 5.4),
            ),
            server("checkout", "POST /checkout", 30.0, old(4.7, 5.3)),
            client("checkout", "payment", "POST /pay", 30.0, old(0.12, 0.72)),
            client("checkout", "workflow", "POST /run", 30.0, flat(4.3)),
            server("payment", "POST /pay", 30.0, old(0.1, 0.7)),
            client("payment", "postgres", "INSERT", 30.0, flat(0.02)),
            server("workflow", "POST /run", 30.0, flat(4.2)),
        ])
        .start()
    else {
        return;
    };
    let report = run(&b, "latency", &["--service", "checkout"]).report();
    let f = assert_top_kind(&report, "slow_dependency");
    assert_eq!(
        f["subject"]["dependency"],
        "payment",
        "{}",
        summary(&report)
    );
    let detail = f["detail"].as_str().unwrap();
    assert!(detail.contains("before the symptom's onset at"), "{detail}");
    let graph = step_of(&report, "call-graph");
    assert_eq!(graph["status"], "ok", "{graph}");
    assert!(
        graph["queries"][0]
            .as_str()
            .is_some_and(|q| q.contains("service_name=\"checkout\"")),
        "the onset query first: {graph}"
    );
    // Without --service nothing changes against the default baseline; the slowest service's
    // onset moves it, and the same root is found.
    let report = run(&b, "latency", &[]).report();
    assert_eq!(
        report["target"]["service"],
        "payment",
        "{}",
        summary(&report)
    );
    // Given, the baseline is kept: the hour ending 15 minutes ago, mostly the incident.
    let given = (END - 15 * crate::scenarios::MINUTE).to_string();
    let report = run(
        &b,
        "latency",
        &["--service", "checkout", "--baseline-at", &given],
    )
    .report();
    assert_payment_not_blamed(&report);
    assert!(!report.to_string().contains("symptom's onset"));
}
