//! Services mapped to their workloads (issue #17): a StatefulSet's and a
//! DaemonSet's rollouts (ControllerRevisions) ranked as the cause, with their
//! own undo; and `investigate errors` for a
//! service whose `service.name` (`checkout`) is not its Deployment's name
//! (`checkout-api`), found once through the traces' resource attributes and
//! once through the Deployment's labels only, reads that Deployment's pods,
//! logs and rollouts, and says how it mapped the service; a Deployment named
//! `checkout` that is someone else's is there as a decoy, so a mapping by name
//! would read the wrong pods and miss the rollout. A service no workload
//! matches makes those steps skipped, never failed. And (issue 19) what maps
//! a workload, or compares traces, does not hold up the steps on the service.
//! Real Prometheus, the
//! Jaeger and Kubernetes fixtures of `tests/it/scenarios.rs` (with the
//! workload lists served).

use serde_json::{Value, json};

use crate::errors::{checkout_traffic, investigate, own_error_traces};
use crate::scenarios::{
    ConfigMapSpec, DAY, ErrorIncident, Incident, KubePod, MINUTE, ONSET, Rollout, errors,
    kube_routes, server, step,
};
use crate::support::report::{assert_top_kind, step_of, summary};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::support::fixture::{RecordedRequest, forward};
use crate::support::{FixtureServer, Route, Shape};

/// checkout's errors start three minutes after `checkout-api` rolled out
/// revision 7; a settled Deployment named `checkout` runs something else.
/// `attributes`: the traces carry `k8s.deployment.name=checkout-api`;
/// `labelled`: `checkout-api` carries `app.kubernetes.io/name=checkout`.
fn renamed_incident(attributes: bool, labelled: bool) -> ErrorIncident {
    let mut traces = own_error_traces("price order", "NullPointerException: discount is null");
    if attributes {
        for t in &mut traces {
            t.resource("checkout", "k8s.deployment.name", "checkout-api");
            t.resource("checkout", "k8s.pod.name", "checkout-api-7d9f-abc");
        }
    }
    let mut api = Rollout::new("checkout-api", 2)
        .revision(5, ONSET - 9 * DAY, "1.7.3")
        .revision(6, ONSET - DAY, "1.8.0")
        .revision(7, ONSET - 3 * MINUTE, "1.9.0")
        .change_cause("deploy checkout 1.9.0 (new pricing engine)");
    if labelled {
        api = api.label("app.kubernetes.io/name", "checkout");
    }
    let incident = Incident::default()
        .series(checkout_traffic())
        .series([
            errors("checkout", "POST /orders", "null_pointer", step(0.0, 2.0)),
            errors("checkout", "GET /cart", "timeout", Shape::Constant(0.01)),
        ])
        .traces(traces)
        .rollout(api)
        .rollout(Rollout::new("checkout", 1).revision(2, ONSET - 30 * DAY, "0.1.0"));
    let lines = |pod: &str| {
        vec![(
            ONSET + 5 * MINUTE,
            json!({"level": "error", "msg": format!("{pod}: discount is null")}).to_string(),
        )]
    };
    ErrorIncident::new(incident)
        .pod(KubePod::running("checkout-api-7d9f-abc", "checkout-api"))
        .pod(KubePod::running("checkout-7d9f-zzz", "checkout"))
        .log("checkout-api-7d9f-abc", lines("checkout-api-7d9f-abc"))
        .log("checkout-7d9f-zzz", lines("checkout-7d9f-zzz"))
        .workload_lists()
}

/// The run's report, and the Kubernetes paths (with `?labelSelector=`) it read.
fn run(incident: ErrorIncident) -> Option<(Value, Vec<String>)> {
    let b = incident.start()?;
    let r = investigate(&b, &["--service", "checkout"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = r.report_for("investigate errors");
    let paths = paths_with_selectors(&b.kube);
    Some((report, paths))
}

/// The steps that read the workload ran on checkout-api and say how it was
/// found; the decoy was never read.
fn reads_checkout_api(report: &Value, paths: &[String], how: &str) {
    let mapped = format!("# checkout → deployment/checkout-api in shop ({how})");
    for id in ["logs", "pod-health", "recent-changes"] {
        let s = step_of(report, id);
        assert_eq!(s["status"], "ok", "{id}:\n{}", summary(report));
        assert_eq!(s["queries"][0], mapped.as_str(), "{id}: {s:#}");
    }
    let f = assert_top_kind(report, "recent_deployment");
    assert_eq!(f["subject"]["service"], "checkout");
    assert_eq!(
        f["remediation"][0]["command"],
        "kubectl rollout undo deployment/checkout-api --to-revision=6 -n shop",
        "{f:#}"
    );
    let has = |p: &str| paths.iter().any(|x| x == p);
    assert!(
        has("/apis/apps/v1/namespaces/shop/deployments/checkout-api"),
        "{paths:#?}"
    );
    assert!(
        has("/api/v1/namespaces/shop/pods?labelSelector=app=checkout-api"),
        "{paths:#?}"
    );
    assert!(
        has("/api/v1/namespaces/shop/pods/checkout-api-7d9f-abc/log"),
        "{paths:#?}"
    );
    assert!(
        !has("/apis/apps/v1/namespaces/shop/deployments/checkout"),
        "{paths:#?}"
    );
    assert!(
        !has("/api/v1/namespaces/shop/pods?labelSelector=app=checkout"),
        "{paths:#?}"
    );
    // One list per kind for the namespace, however many steps asked.
    for kind in ["deployments", "statefulsets", "daemonsets"] {
        let list = format!("/apis/apps/v1/namespaces/shop/{kind}");
        assert_eq!(
            paths.iter().filter(|p| **p == list).count(),
            1,
            "{kind}: {paths:#?}"
        );
    }
}

#[test]
fn issue_17_a_service_named_unlike_its_deployment_is_found_by_its_traces_resource_attributes() {
    let Some((report, paths)) = run(renamed_incident(true, false)) else {
        return;
    };
    reads_checkout_api(
        &report,
        &paths,
        "trace resource attribute k8s.deployment.name=checkout-api",
    );
}

#[test]
fn issue_17_a_service_named_unlike_its_deployment_is_found_by_its_labels_alone() {
    let Some((report, paths)) = run(renamed_incident(false, true)) else {
        return;
    };
    reads_checkout_api(&report, &paths, "label app.kubernetes.io/name=checkout");
}

#[test]
fn issue_17_a_service_with_no_workload_skips_the_workload_steps() {
    let mut incident = renamed_incident(false, false);
    // Neither the traces, the labels nor the name lead anywhere.
    incident.incident.rollouts.retain(|r| r.name != "checkout");
    let Some((report, paths)) = run(incident) else {
        return;
    };
    for id in ["logs", "pod-health", "recent-changes"] {
        let s = step_of(&report, id);
        assert_eq!(s["status"], "skipped", "{id}:\n{}", summary(&report));
        let why = s["error"].as_str().unwrap_or_default();
        assert!(
            why.contains("no Deployment, StatefulSet or DaemonSet found for service \"checkout\""),
            "{id}: {why}"
        );
    }
    assert!(
        !paths
            .iter()
            .any(|p| p.ends_with("/log") && p.contains("checkout-api")),
        "{paths:#?}"
    );
}

// ---------------------------------------------------------------------------
// Issue 19: mapping a workload, or comparing traces, holds nothing up
// ---------------------------------------------------------------------------

/// Which proxy of [`ordered`] a request goes through.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Jaeger,
    Kube,
}

/// Issue 19's ordering tests: `investigate errors` (with `extra`) on the renamed incident, with
/// a proxy in front of its Jaeger and one in front of its Kubernetes. The requests the `held`
/// route matches (on its side) are answered 3 s late. Returns the report, the Kubernetes paths
/// read, and whether a held request that `counts` had answered before the first request
/// `first` matches (on the other side) was made: `false` when the code did not wait for it.
/// The target is checkout, named by `--service` or by the triage.
fn ordered(
    extra: &[&str],
    (side, held, counts): (Side, Route, fn(&RecordedRequest) -> bool),
    first: fn(&RecordedRequest) -> bool,
) -> Option<(Value, Vec<String>, bool)> {
    let b = renamed_incident(true, false).start()?;
    let (made, waited) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let (jaeger_url, kube_url) = (b.jaeger.url(), b.kube.url());
    let proxy = |this: Side, url: String| {
        let target = url.clone();
        let mut routes = Vec::new();
        if this == side {
            let (made, waited) = (made.clone(), waited.clone());
            routes.push(
                held.clone()
                    .delay(Duration::from_secs(3))
                    .respond_with(move |req| {
                        if counts(req) && !made.load(Ordering::SeqCst) {
                            waited.store(true, Ordering::SeqCst);
                        }
                        forward(req, &url, &req.path)
                    }),
            );
        }
        let made = made.clone();
        routes.push(Route::new("*", "/*").respond_with(move |req| {
            if this != side && first(req) {
                made.store(true, Ordering::SeqCst);
            }
            forward(req, &target, &req.path)
        }));
        FixtureServer::start(routes)
    };
    let jaeger = proxy(Side::Jaeger, jaeger_url);
    let kube = proxy(Side::Kube, kube_url);
    let kubeconfig = b.kubeconfig_for("ordered", &kube.url());
    let mut a = crate::errors::args(&b.prometheus.url(), &jaeger.url(), &kubeconfig, extra);
    // Past the held answers, so that a regression shows as the order, not a timeout.
    let t = a.iter().position(|x| x == "--timeout").unwrap();
    a[t + 1] = "30s".into();
    let run = crate::support::report::tracectl(&a, &[], b.dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.report_for("investigate errors");
    // Without --service, the triage names checkout.
    assert_eq!(
        report["target"]["service"],
        "checkout",
        "{}",
        summary(&report)
    );
    Some((
        report,
        paths_with_selectors(&b.kube),
        waited.load(Ordering::SeqCst),
    ))
}

const BY_TRACES: &str = "trace resource attribute k8s.deployment.name=checkout-api";

/// The search for where a service runs (two traces' resource attributes).
fn hint_search(req: &RecordedRequest) -> bool {
    req.query_param("limit").as_deref() == Some("2")
}

/// The run's namespace is listed while the traces are asked where the service runs (issue 19):
/// with that search held 3 s, the Deployments list is asked for before it answers (before,
/// the two were one after the other on every investigation's path), and the mapping is still
/// the traces' (checkout-api, not the decoy named checkout).
#[test]
fn the_workloads_are_listed_while_the_traces_are_asked_where_the_service_runs() {
    let held = Route::get("/api/traces").query("limit", "2");
    let Some((report, paths, waited)) = ordered(
        &["--service", "checkout"],
        (Side::Jaeger, held, |_| true),
        |req| req.path == "/apis/apps/v1/namespaces/shop/deployments",
    ) else {
        return;
    };
    assert!(
        !waited,
        "the workloads were listed only after the traces said where checkout runs"
    );
    reads_checkout_api(&report, &paths, BY_TRACES);
}

/// Without `--service`, the steps on the service the call graph names do not wait for the
/// trace comparison (issue 19): with its searches (`trace_compare_limit`, 100) held 3 s,
/// checkout-api's Deployment is asked for before they answer, and the comparison still runs and
/// is reported.
#[test]
fn the_steps_on_the_root_do_not_wait_for_the_trace_comparison() {
    let held = Route::get("/api/traces").query("limit", "100");
    let Some((report, _, waited)) = ordered(&[], (Side::Jaeger, held, |_| true), |req| {
        req.path.ends_with("/deployments/checkout-api")
    }) else {
        return;
    };
    assert!(
        !waited,
        "checkout-api's rollouts were read only after the trace comparison answered"
    );
    assert_eq!(
        step_of(&report, "trace-compare")["status"],
        "ok",
        "{}",
        summary(&report)
    );
    assert_top_kind(&report, "recent_deployment");
}

/// Without `--service`, where the metrics' root runs is asked while the logs are read (issue
/// 19): with every read of one pod held 3 s (its logs among them), the search for checkout's
/// resource attributes is made before any log answers, and the steps still map checkout to
/// checkout-api.
#[test]
fn where_the_root_runs_is_asked_while_the_logs_are_read() {
    let held = Route::new("GET", "/api/v1/namespaces/shop/pods/*");
    let Some((report, paths, waited)) = ordered(
        &[],
        (Side::Kube, held, |req| req.path.ends_with("/log")),
        hint_search,
    ) else {
        return;
    };
    assert!(
        !waited,
        "where checkout runs was asked only after the logs answered"
    );
    reads_checkout_api(&report, &paths, BY_TRACES);
}

// ---------------------------------------------------------------------------
// StatefulSets and DaemonSets: their rollouts are ControllerRevisions
// ---------------------------------------------------------------------------

/// The paths the fixture API server was asked, each with its `labelSelector` when it had one.
fn paths_with_selectors(kube: &FixtureServer) -> Vec<String> {
    kube.requests()
        .iter()
        .map(|r| match r.query_param("labelSelector") {
            Some(s) => format!("{}?labelSelector={s}", r.path),
            None => r.path.clone(),
        })
        .collect()
}

/// The top finding is `service`'s rollout of `workload` (`statefulset/NAME`) to `revision`, with
/// the undo to `previous` in `shop` as its first remedy; that finding.
fn assert_rollout_cause<'r>(
    report: &'r Value,
    service: &str,
    workload: &str,
    revision: u64,
    previous: u64,
) -> &'r Value {
    let f = assert_top_kind(report, "recent_deployment");
    assert_eq!(f["subject"]["service"], service);
    assert_eq!(
        f["subject"]["resource"],
        format!("{workload} revision {revision}"),
        "{f:#}"
    );
    assert_eq!(
        f["remediation"][0]["command"],
        format!("kubectl rollout undo {workload} --to-revision={previous} -n shop"),
        "{f:#}"
    );
    f
}

/// ledger's p95 rises three minutes after the StatefulSet `ledger-db`
/// (labelled `app.kubernetes.io/name=ledger`) rolled out revision 7, which
/// changed its image and its sampler's argument.
fn statefulset_incident() -> Incident {
    let ops = ["GET /balance", "POST /transfer"];
    Incident::default()
        .series(ops.map(|op| server("ledger", op, 8.0, step(0.3, 1.8))))
        .rollout(
            Rollout::new("ledger-db", 3)
                .statefulset()
                .label("app.kubernetes.io/name", "ledger")
                .revision(5, ONSET - 9 * DAY, "3.1.0")
                .revision(6, ONSET - DAY, "3.2.0")
                .sampler_arg("0.25")
                .revision(7, ONSET - 3 * MINUTE, "3.3.0")
                .sampler_arg("1.0"),
        )
}

#[test]
fn issue_17_a_statefulsets_rollout_is_ranked_as_the_cause_with_its_own_undo() {
    let Some(b) = statefulset_incident().start() else {
        return;
    };
    let r = crate::latency::investigate(&b, &["--service", "ledger"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = r.report_for("investigate latency");
    let s = step_of(&report, "recent-changes");
    assert_eq!(s["status"], "ok", "{}", summary(&report));
    assert_eq!(
        s["queries"][0],
        "# ledger → statefulset/ledger-db in shop (label app.kubernetes.io/name=ledger)",
        "{s:#}"
    );
    let f = assert_rollout_cause(&report, "ledger", "statefulset/ledger-db", 7, 6);
    let detail = f["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(
            "Changed since revision 6: image registry.example/shop/ledger-db:3.2.0 → \
             registry.example/shop/ledger-db:3.3.0; env changed: ledger-db/OTEL_TRACES_SAMPLER_ARG"
        ),
        "{detail}"
    );
    // The history was read from the StatefulSet's ControllerRevisions, by its selector;
    // no Deployment or ReplicaSet was asked for.
    let paths = paths_with_selectors(&b.kube);
    let has = |p: &str| paths.iter().any(|x| x == p);
    assert!(
        has("/apis/apps/v1/namespaces/shop/statefulsets/ledger-db"),
        "{paths:#?}"
    );
    assert!(
        has("/apis/apps/v1/namespaces/shop/controllerrevisions?labelSelector=app=ledger-db"),
        "{paths:#?}"
    );
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("/replicasets") || p.contains("/deployments/")),
        "{paths:#?}"
    );
}

/// checkout runs as the DaemonSet `checkout-edge` (labelled
/// `app.kubernetes.io/name=checkout`); its errors start three minutes after
/// revision 3 rolled out.
fn daemonset_incident() -> ErrorIncident {
    let edge = Rollout::new("checkout-edge", 3)
        .daemonset()
        .label("app.kubernetes.io/name", "checkout")
        .revision(2, ONSET - 9 * DAY, "2.0.3")
        .revision(3, ONSET - 3 * MINUTE, "2.1.0")
        .change_cause("edge 2.1.0");
    let pods = edge.pod_names();
    let incident = Incident::default()
        .series(checkout_traffic())
        .series([
            errors("checkout", "POST /orders", "null_pointer", step(0.0, 2.0)),
            errors("checkout", "GET /cart", "timeout", Shape::Constant(0.01)),
        ])
        .traces(own_error_traces(
            "price order",
            "NullPointerException: discount is null",
        ))
        .rollout(edge.clone());
    let mut e = ErrorIncident::new(incident).workload_lists();
    for p in &pods {
        e = e
            .pod(KubePod::running(p, "checkout-edge").owned_by(&edge))
            .log(
                p,
                vec![(
                    ONSET + 5 * MINUTE,
                    json!({"level": "error", "msg": "discount is null"}).to_string(),
                )],
            );
    }
    e
}

#[test]
fn issue_17_a_daemonsets_rollout_is_ranked_as_the_cause_with_its_own_undo() {
    let Some((report, paths)) = run(daemonset_incident()) else {
        return;
    };
    let f = assert_rollout_cause(&report, "checkout", "daemonset/checkout-edge", 3, 2);
    let detail = f["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("Change cause: edge 2.1.0."), "{detail}");
    assert!(
        detail.contains("image registry.example/shop/checkout-edge:2.0.3 → registry.example/shop/checkout-edge:2.1.0"),
        "{detail}"
    );
    for id in ["logs", "pod-health", "recent-changes"] {
        let s = step_of(&report, id);
        assert_eq!(s["status"], "ok", "{id}:\n{}", summary(&report));
    }
    let has = |p: &str| paths.iter().any(|x| x == p);
    assert!(
        has("/apis/apps/v1/namespaces/shop/daemonsets/checkout-edge"),
        "{paths:#?}"
    );
    assert!(
        has("/apis/apps/v1/namespaces/shop/controllerrevisions?labelSelector=app=checkout-edge"),
        "{paths:#?}"
    );
}

/// From a kubeconfig and a Jaeger URL: Prometheus is reached through the API
/// server's service proxy, and the table (stdout is not a terminal, so no
/// colour, and NO_COLOR is not set) says how each backend was reached, on the
/// evidence lines and in a footer.
#[test]
fn issue_17_the_table_says_how_each_backend_was_reached() {
    let incident = statefulset_incident();
    let Some(b) = incident.start() else {
        return;
    };
    let mut routes = crate::support::fixture::prometheus_behind_service_proxy(b.prometheus.url());
    routes.extend(kube_routes(
        &incident.namespace,
        &incident.rollouts,
        &incident.config_maps,
    ));
    let kube = FixtureServer::start(routes);
    let kubeconfig = b.kubeconfig_for("proxied", &kube.url());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args(["investigate", "latency", "--service", "ledger"])
        .args(["--jaeger-url", &b.jaeger.url(), "--kubeconfig"])
        .arg(&kubeconfig)
        .args([
            "--at",
            &crate::scenarios::END.to_string(),
            "-o",
            "table",
            "-q",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", b.dir.path())
        .output()
        .expect("run tracectl");
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{table}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!table.contains('\x1b'), "{table}");
    let proxy = "/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy";
    let footer = &table[table.find("Backends reached\n").expect("the footer")..];
    assert_eq!(
        footer,
        format!(
            "Backends reached\n  jaeger      at its URL\n  prometheus  through the API server's service proxy {proxy}\n"
        ),
        "{table}"
    );
    // The rollout's onset came from Prometheus, through the proxy: its evidence line says so.
    assert!(table.contains("#1 CRITICAL recent_deployment"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.trim_start().starts_with("prometheus:")
                && l.ends_with(&format!(" (via service proxy {proxy})"))),
        "{table}"
    );
    assert!(
        kube.requests().iter().any(|r| r
            .path
            .starts_with(crate::support::fixture::PROMETHEUS_PROXY)),
        "Prometheus was asked through the proxy"
    );
}

/// `service`'s p95 rises at the onset; `rollout` (its workload) last rolled out eight days
/// before, with revisions 5 and 6; `config_maps` as given. The latency report with `--service`,
/// once its top finding is asserted to be `config_change`: (that finding, the report).
fn top_config_change(
    service: &str,
    rollout: Rollout,
    config_maps: &[(&str, i64)],
) -> Option<(Value, Value)> {
    let ops = ["GET /a", "POST /b"];
    let mut incident = Incident::default()
        .series(ops.map(|op| server(service, op, 8.0, step(0.3, 1.8))))
        .rollout(rollout.revision(5, ONSET - 9 * DAY, "3.1.0").revision(
            6,
            ONSET - 8 * DAY,
            "3.2.0",
        ));
    for (name, changed) in config_maps {
        incident = incident.config_map(ConfigMapSpec::new(name, ONSET - 90 * DAY, *changed));
    }
    let b = incident.start()?;
    let r = crate::latency::investigate(&b, &["--service", service]);
    let report = r.report_for("investigate latency");
    let f = assert_top_kind(&report, "config_change").clone();
    Some((f, report))
}

/// ledger-db-config changed five minutes before ledger's p95 rose, and its StatefulSet has not
/// rolled out in days: the fix restarts the StatefulSet, not a Deployment of that name.
#[test]
fn a_config_change_restarts_the_statefulset_the_service_runs_as() {
    let ledger = Rollout::new("ledger-db", 3)
        .statefulset()
        .label("app.kubernetes.io/name", "ledger");
    let Some((f, _)) = top_config_change(
        "ledger",
        ledger,
        &[("ledger-db-config", ONSET - 5 * MINUTE)],
    ) else {
        return;
    };
    assert_eq!(
        f["subject"]["resource"], "configmap/ledger-db-config",
        "{f:#}"
    );
    assert_eq!(
        f["remediation"][0]["command"],
        "kubectl apply -f <previous ledger-db-config.yaml> -n shop && \
         kubectl rollout restart statefulset/ledger-db -n shop",
        "{f:#}"
    );
}

/// The ConfigMap a service's Deployment mounts is its config, whatever its name: `flags`
/// (mounted by checkout's Deployment) changed five minutes before the p95 rose, and is found
/// beside the conventional `checkout-config` (settled for days).
#[test]
fn a_change_to_the_configmap_the_workload_mounts_is_found() {
    let checkout = Rollout::new("checkout", 3).mounts("flags");
    let changed = [
        ("checkout-config", ONSET - 10 * DAY),
        ("flags", ONSET - 5 * MINUTE),
    ];
    let Some((f, report)) = top_config_change("checkout", checkout, &changed) else {
        return;
    };
    assert_eq!(f["subject"]["resource"], "configmap/flags", "{f:#}");
    let s = step_of(&report, "recent-changes");
    assert!(
        s["queries"]
            .to_string()
            .contains("kubectl get configmap checkout-config checkout flags -n shop -o yaml"),
        "{s:#}"
    );
}
