//! `maintain window`: a whole window against a stateful fixture Kubernetes API, a recording
//! Grafana fixture and a real Alertmanager. A window that succeeds changes what its steps say,
//! under a silence that is gone when it ends; a window whose validation fails is rolled back to
//! the exact prior state, and its silence is gone too; without `--yes` and a terminal, nothing
//! happens at all.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Scratch, result};
use crate::scenarios::write_kubeconfig;
use crate::support::kube_api::{KubeApi, strip_server_fields, tracing_stack};
use crate::support::prometheus::AlertmanagerHarness;
use crate::support::{FixtureServer, Response, Route, http_client};

const NS: &str = "monitoring";

/// The tracing stack as the charts leave it: the namespace, the Collector and Jaeger, the sampling
/// ConfigMap; the Collector's pod ready or not (what the validation looks at).
fn cluster(collector_ready: bool) -> KubeApi {
    let mut seed = tracing_stack(NS, collector_ready);
    seed.push((
        format!("/api/v1/namespaces/{NS}/configmaps/sampling-config"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "sampling-config", "namespace": NS, "labels": {"app": "tracing"}},
               "data": {"sampling.json": "{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.1}}"}}),
    ));
    KubeApi::start(seed)
}

/// Grafana as far as a window uses it: no dashboards to back up, annotations recorded.
fn grafana() -> FixtureServer {
    FixtureServer::start(vec![
        Route::get("/api/health").respond(Response::json(
            200,
            &json!({"commit": "abc", "database": "ok", "version": "11.3.0"}),
        )),
        Route::get("/api/search").respond(Response::json(200, &json!([]))),
        Route::post("/api/annotations").respond(Response::json(
            200,
            &json!({"message": "Annotation added", "id": 41}),
        )),
        Route::new("PATCH", "/api/annotations/41").respond(Response::json(
            200,
            &json!({"message": "Annotation patched"}),
        )),
    ])
}

/// Every object of the namespace without what the server sets on a write.
fn state(api: &KubeApi) -> BTreeMap<String, Value> {
    api.namespace_objects(NS)
        .into_iter()
        .map(|(k, v)| (k, strip_server_fields(&v)))
        .collect()
}

/// Alertmanager's silences, as `GET /api/v2/silences` lists them.
fn silences(am: &str) -> Vec<Value> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let resp = http_client()
            .get(format!("{am}/api/v2/silences"))
            .send()
            .await
            .expect("list silences");
        assert_eq!(resp.status(), 200);
        let body = resp.text().await.expect("silences body");
        serde_json::from_str::<Vec<Value>>(&body).expect("silences JSON")
    })
}

fn window_file(s: &Scratch) -> std::path::PathBuf {
    s.write(
        "window/sampling.json",
        "{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.05}}\n",
    );
    s.write(
        "window/window.yaml",
        "name: weekly-tracing
duration: 2h
silence:
  matchers: ['namespace=\"monitoring\"', 'severity=~\"warning|critical\"']
  comment: weekly tracing maintenance
backup: {dir: backup, no_secrets: true}
health: {only: [alertmanager-status]}
steps:
  - config: {sampling: [sampling.json]}
  - scale: {workload: deployment/otel-collector, replicas: 3, limits: 'cpu=2,memory=4Gi'}
validate: {only: [tracing-pods, alertmanager-status]}
",
    )
}

struct Window {
    s: Scratch,
    api: KubeApi,
    grafana: FixtureServer,
    am: AlertmanagerHarness,
    file: std::path::PathBuf,
    kubeconfig: String,
}

impl Window {
    fn start(collector_ready: bool) -> Option<Window> {
        let am = AlertmanagerHarness::start().expect("start Alertmanager")?;
        let s = Scratch::new();
        let api = cluster(collector_ready);
        let kubeconfig = write_kubeconfig(s.dir.path(), &api.url(), NS)
            .display()
            .to_string();
        let file = window_file(&s);
        Some(Window {
            s,
            api,
            grafana: grafana(),
            am,
            file,
            kubeconfig,
        })
    }

    fn run(&self, extra: &[&str]) -> crate::support::report::Run {
        let (am, gr, file) = (
            self.am.url(),
            self.grafana.url(),
            self.file.display().to_string(),
        );
        let mut args = vec![
            "window",
            file.as_str(),
            "--kubeconfig",
            self.kubeconfig.as_str(),
            "--alertmanager-url",
            am.as_str(),
            "--grafana-url",
            gr.as_str(),
            "-n",
            NS,
            "-o",
            "json",
        ];
        args.extend_from_slice(extra);
        self.s.maintain(&args, &[])
    }

    fn annotation_requests(&self) -> Vec<(String, Value)> {
        self.grafana
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/api/annotations"))
            .map(|r| (format!("{} {}", r.method, r.path), r.body_json()))
            .collect()
    }
}

#[test]
fn a_window_changes_what_it_says_under_a_silence_that_ends_with_it() {
    let Some(w) = Window::start(true) else { return };
    let before = state(&w.api);
    let run = w.run(&["--yes"]);
    let r = result(&run);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(r["outcome"], "succeeded", "{}", run.stdout);

    // The plan's order: health, the backup the file asked for before the first change, the
    // steps, the validation.
    let steps: Vec<&str> = r["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["step_id"].as_str().unwrap())
        .collect();
    let first = |id: &str| steps.iter().position(|s| *s == id).unwrap_or(usize::MAX);
    assert_eq!(steps.first(), Some(&"health"), "{steps:?}");
    assert_eq!(steps.last(), Some(&"validate"), "{steps:?}");
    assert!(first("backup") < first("config"), "{steps:?}");
    assert!(first("config") < first("scale"), "{steps:?}");
    assert!(w.s.path("window/backup/manifest.json").exists());

    let after = state(&w.api);
    assert_ne!(before, after);
    let dep = &after[&format!("/apis/apps/v1/namespaces/{NS}/deployments/otel-collector")];
    assert_eq!(dep["spec"]["replicas"], 3, "{dep}");
    let cm = &after[&format!("/api/v1/namespaces/{NS}/configmaps/sampling-config")];
    assert!(
        cm["data"]["sampling.json"]
            .as_str()
            .unwrap()
            .contains("0.05"),
        "{cm}"
    );

    // The silence existed for the window and was expired when it ended, long before its planned
    // end.
    let sil = silences(&w.am.url());
    let ours: Vec<&Value> = sil
        .iter()
        .filter(|s| s["createdBy"] == "tracectl")
        .collect();
    assert_eq!(ours.len(), 1, "{sil:?}");
    let s = ours[0];
    assert_eq!(s["comment"], "weekly tracing maintenance");
    assert_eq!(s["status"]["state"], "expired", "{s}");
    let names: Vec<&str> = s["matchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["namespace", "severity"]);
    let starts: jiff::Timestamp = s["startsAt"].as_str().unwrap().parse().unwrap();
    let ends: jiff::Timestamp = s["endsAt"].as_str().unwrap().parse().unwrap();
    assert!(
        ends.duration_since(starts) < jiff::SignedDuration::from_mins(30),
        "expired early: {starts} .. {ends}"
    );

    // Marked in Grafana: opened, then closed with the outcome.
    let ann = w.annotation_requests();
    assert_eq!(ann.len(), 2, "{ann:?}");
    assert_eq!(ann[0].0, "POST /api/annotations");
    assert!(
        ann[0].1["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("maintenance"))
    );
    assert_eq!(ann[1].0, "PATCH /api/annotations/41");
    assert!(ann[1].1["timeEnd"].as_i64().unwrap() >= ann[0].1["time"].as_i64().unwrap());
    assert!(
        ann[1].1["text"].as_str().unwrap().contains("succeeded"),
        "{ann:?}"
    );
}

#[test]
fn a_window_whose_validation_fails_is_rolled_back_to_the_exact_prior_state() {
    // The Collector's pod is not ready: the validation's tracing-pods check fails after the steps.
    let Some(w) = Window::start(false) else {
        return;
    };
    let before = state(&w.api);
    let run = w.run(&["--yes"]);
    let r = result(&run);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(r["outcome"], "rolled_back", "{}", run.stdout);
    assert!(run.stderr.contains("validate failed"), "{}", run.stderr);
    assert!(run.stderr.contains("otel-collector"), "{}", run.stderr);

    // The steps did change the cluster before the validation...
    let writes = w.api.writes();
    assert!(
        writes
            .iter()
            .any(|w| w.starts_with("PATCH") && w.contains("deployments/otel-collector")),
        "{writes:?}"
    );
    // ...and the rollback put back every object exactly as it was, in reverse order.
    assert_eq!(state(&w.api), before);
    let undone: Vec<&str> = r["rollback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["step_id"].as_str().unwrap())
        .collect();
    let pos = |id: &str| undone.iter().position(|s| *s == id).unwrap_or(usize::MAX);
    assert!(pos("scale") < pos("config"), "{undone:?}");
    let journal = std::fs::read_to_string(w.s.journals().last().expect("a journal")).unwrap();
    assert!(journal.contains("\"type\":\"undone\""), "{journal}");

    // The silence is gone with the failed window too, and the annotation says what happened.
    let sil = silences(&w.am.url());
    let ours: Vec<&Value> = sil
        .iter()
        .filter(|s| s["createdBy"] == "tracectl")
        .collect();
    assert_eq!(ours.len(), 1, "{sil:?}");
    assert_eq!(ours[0]["status"]["state"], "expired", "{}", ours[0]);
    let ann = w.annotation_requests();
    assert!(
        ann.last().unwrap().1["text"]
            .as_str()
            .unwrap()
            .contains("rolled back"),
        "{ann:?}"
    );
}

#[test]
fn without_yes_and_without_a_terminal_a_window_changes_nothing() {
    let Some(w) = Window::start(true) else { return };
    let before = state(&w.api);
    let run = w.run(&[]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(state(&w.api), before);
    assert!(w.api.writes().is_empty(), "{:?}", w.api.writes());
    assert!(silences(&w.am.url()).is_empty());
    assert!(w.annotation_requests().is_empty());
    assert!(w.s.journals().is_empty());
    assert!(!w.s.path("window/backup").exists());
}

#[test]
fn a_dry_run_prints_the_whole_plan_and_silences_nothing() {
    let Some(w) = Window::start(true) else { return };
    let run = w.run(&["--dry-run"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let p = super::plan(&run);
    let ids = super::action_ids(&p);
    assert!(ids.first().unwrap().starts_with("checks/health"), "{ids:?}");
    assert!(
        ids.last().unwrap().starts_with("checks/validate"),
        "{ids:?}"
    );
    let notes = p["notes"].to_string();
    assert!(notes.contains("silenced"), "{notes}");
    assert!(w.api.writes().is_empty());
    assert!(silences(&w.am.url()).is_empty());
}

#[test]
fn a_window_whose_silence_cannot_be_created_does_not_start() {
    let Some(w) = Window::start(true) else { return };
    // Healthy by the pods, so that it is the silence that stops it.
    let text = std::fs::read_to_string(&w.file).unwrap().replace(
        "health: {only: [alertmanager-status]}",
        "health: {only: [tracing-pods]}",
    );
    std::fs::write(&w.file, text).unwrap();
    let before = state(&w.api);
    // An Alertmanager that is not there: nothing listens on a port just freed.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let (gr, file) = (w.grafana.url(), w.file.display().to_string());
    let run = w.s.maintain(
        &[
            "window",
            file.as_str(),
            "--kubeconfig",
            w.kubeconfig.as_str(),
            "--alertmanager-url",
            dead.as_str(),
            "--grafana-url",
            gr.as_str(),
            "-n",
            NS,
            "--timeout",
            "1s",
            "--yes",
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("cannot silence the alerts"),
        "{}",
        run.stderr
    );
    assert_eq!(state(&w.api), before);
    assert!(w.api.writes().is_empty(), "{:?}", w.api.writes());
    assert!(w.s.journals().is_empty());
    assert!(w.annotation_requests().is_empty());
}

#[test]
fn a_window_on_an_unhealthy_stack_does_not_start_and_silences_nothing() {
    // The Collector's pod is not ready, and this window's health looks at the pods.
    let Some(w) = Window::start(false) else {
        return;
    };
    let text = std::fs::read_to_string(&w.file).unwrap().replace(
        "health: {only: [alertmanager-status]}",
        "health: {only: [tracing-pods]}",
    );
    std::fs::write(&w.file, text).unwrap();
    let before = state(&w.api);
    let run = w.run(&["--yes"]);
    let r = result(&run);
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(r["outcome"], "failed", "{}", run.stdout);
    assert!(run.stderr.contains("health failed"), "{}", run.stderr);
    assert_eq!(state(&w.api), before);
    assert!(w.api.writes().is_empty(), "{:?}", w.api.writes());
    assert!(silences(&w.am.url()).is_empty());
    assert!(w.annotation_requests().is_empty());
    assert!(!w.s.path("window/backup").exists());
}

#[test]
fn a_whole_window_is_undone_by_rollback_and_only_with_yes() {
    let Some(w) = Window::start(true) else { return };
    let before = state(&w.api);
    let run = w.run(&["--yes"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let after = state(&w.api);
    assert_ne!(after, before);

    let kc = w.kubeconfig.as_str();
    let refused =
        w.s.maintain(&["rollback", "--kubeconfig", kc, "-n", NS], &[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("to undo and no terminal to confirm"),
        "{}",
        refused.stderr
    );
    assert_eq!(state(&w.api), after);

    let undone = w.s.maintain(
        &[
            "rollback",
            "--yes",
            "--kubeconfig",
            kc,
            "-n",
            NS,
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(undone.code, 0, "{}\n{}", undone.stdout, undone.stderr);
    assert_eq!(result(&undone)["outcome"], "rolled_back");
    assert_eq!(state(&w.api), before);
}
