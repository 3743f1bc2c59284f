//! `tracectl deploy plan|apply|verify|rollback` end to end (issue 7): the real binary against a
//! stateful fixture Kubernetes API that records every request (`support/kube_api.rs`), a fake
//! `helm` on `PATH` that records its arguments and keeps releases in files
//! (`fixtures/fake-helm`), and a fixture Collector/Jaeger for the OTLP and UI checks.
//!
//! The assertions are on the exact applies, deletes and Helm commands: a fresh apply; a second
//! apply that changes nothing; a failure in step 5 rolled back; an upgrade rolled back to the
//! revision before; weak passwords and missing confirmation refused before anything changes.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::scenarios::write_kubeconfig;
use crate::support::kube_api::{KubeApi, service, workload};
use crate::support::{FixtureServer, Response, Route};

pub(crate) const PASSWORD: &str = "t3st-Elastic-pw-9c1f";
const PASSWORD_B64: &str = "dDNzdC1FbGFzdGljLXB3LTljMWY=";
const NS: &str = "/api/v1/namespaces/monitoring";

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) struct Env {
    dir: tempfile::TempDir,
    pub(crate) api: KubeApi,
    pub(crate) backends: FixtureServer,
    kubeconfig: PathBuf,
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The tracing stack's workloads, pods and services, as the charts would have made them.
fn stack() -> Vec<(String, Value)> {
    let mut seed = workload("monitoring", "otel-collector", true);
    seed.extend(workload("monitoring", "jaeger", true));
    seed.push(service("monitoring", "otel-collector"));
    seed.push(service("monitoring", "jaeger-query"));
    seed
}

impl Env {
    pub(crate) fn new() -> Env {
        Env::with(stack(), 200)
    }

    pub(crate) fn with(seed: Vec<(String, Value)>, jaeger_status: u16) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let api = KubeApi::start(seed);
        let backends = FixtureServer::start(vec![
            Route::post("/v1/traces").respond(Response::json(200, &json!({}))),
            Route::post("/api/annotations").respond(Response::json(
                200,
                &json!({"id": 7, "message": "Annotation added"}),
            )),
            Route::get("/").respond(
                Response::new(jaeger_status)
                    .header("content-type", "text/html")
                    .body("<!doctype html><title>Jaeger UI</title>"),
            ),
        ]);
        let kubeconfig = write_kubeconfig(dir.path(), &api.url(), "default");
        let root = dir.path();
        // helm on PATH is the fake.
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/fake-helm"),
            root.join("bin/helm"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                root.join("bin/helm"),
                std::fs::Permissions::from_mode(0o755),
            )
            .unwrap();
        }
        std::fs::create_dir_all(root.join("helm")).unwrap();
        write(
            &root.join("deploy.yaml"),
            "namespace: monitoring\n\
             collector: {version: 0.108.0, values: values/collector.yaml}\n\
             jaeger: {version: 3.4.1, values: values/jaeger.yaml, elasticsearch_host: elasticsearch.storage}\n\
             elasticsearch_secret: {from_env: TEST_ES_PW}\n\
             manifests: [manifests/auto-instrumentation, manifests/sampling, manifests/dashboards, manifests/alerts]\n\
             timeouts: {rollout: 20s}\n",
        );
        write(
            &root.join("values/collector.yaml"),
            "mode: deployment\nfullnameOverride: otel-collector\nconfig:\n  processors:\n    batch: {timeout: 1s}\n",
        );
        write(
            &root.join("values/jaeger.yaml"),
            "query:\n  replicas: 2\nstorage:\n  elasticsearch: {port: 9200}\n",
        );
        write(
            &root.join("manifests/auto-instrumentation/00-crd.yaml"),
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
             metadata: {name: instrumentations.opentelemetry.io}\n\
             spec:\n  group: opentelemetry.io\n  scope: Namespaced\n\
             \x20 names: {kind: Instrumentation, plural: instrumentations, singular: instrumentation}\n\
             \x20 versions: [{name: v1alpha1, served: true, storage: true}]\n",
        );
        write(
            &root.join("manifests/auto-instrumentation/instrumentation.yaml"),
            "apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata: {name: default}\n\
             spec:\n  exporter: {endpoint: 'http://otel-collector.monitoring:4318'}\n\
             \x20 sampler: {type: parentbased_traceidratio, argument: '0.1'}\n",
        );
        write(
            &root.join("manifests/sampling/sampling-config.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sampling-config, namespace: monitoring}\n\
             data:\n  sampling.json: '{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.1}}'\n",
        );
        write(
            &root.join("manifests/dashboards/tracing.yaml"),
            "---\napiVersion: v1\nkind: ConfigMap\n\
             metadata: {name: grafana-dashboards, labels: {grafana_dashboard: '1'}}\n\
             data:\n  tracing.json: '{\"title\": \"Tracing\"}'\n",
        );
        write(
            &root.join("manifests/alerts/rules.yaml"),
            "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n\
             metadata: {name: tracing-alerts, labels: {app: tracing}}\n\
             spec:\n  groups:\n  - name: tracing\n    rules:\n    - alert: SpansDropped\n\
             \x20     expr: sum(rate(otelcol_processor_dropped_spans[5m])) > 0\n      for: 5m\n",
        );
        Env {
            dir,
            api,
            backends,
            kubeconfig,
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn run_with(&self, args: &[&str], password: &str) -> Run {
        let root = self.root();
        let path = format!(
            "{}:{}",
            root.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new(env!("CARGO_BIN_EXE_tracectl"))
            .args(args)
            .current_dir(root)
            .env_clear()
            .env("PATH", path)
            .env("HOME", root)
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_STATE_HOME", root.join("state"))
            .env("FAKE_HELM_DIR", root.join("helm"))
            .env("TEST_ES_PW", password)
            .output()
            .expect("run tracectl");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            password.is_empty()
                || (!run.stdout.contains(password) && !run.stderr.contains(password)),
            "the password was printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        run
    }

    /// `tracectl deploy SUB` with the kubeconfig and the fixture backends.
    pub(crate) fn deploy(&self, sub: &str, extra: &[&str]) -> Run {
        let k = self.kubeconfig.display().to_string();
        let u = self.backends.url();
        let mut args = vec![
            "deploy",
            sub,
            "--kubeconfig",
            &k,
            "--collector-otlp-url",
            &u,
            "--jaeger-url",
            &u,
        ];
        args.extend(extra);
        self.run_with(&args, PASSWORD)
    }

    fn helm_calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.root().join("helm/calls"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The Helm calls that change something.
    pub(crate) fn helm_writes(&self) -> Vec<String> {
        self.helm_calls()
            .into_iter()
            .filter(|c| {
                [
                    "repo add",
                    "repo update",
                    "repo remove",
                    "upgrade",
                    "install",
                    "rollback",
                    "uninstall",
                ]
                .iter()
                .any(|w| c.starts_with(w))
            })
            .collect()
    }

    fn journals(&self) -> Vec<PathBuf> {
        let dir = self.root().join("state/tracectl/journal");
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|x| x == "jsonl"));
        v.sort();
        v
    }

    pub(crate) fn k(&self) -> String {
        self.kubeconfig.display().to_string()
    }
}

fn upgrade(env: &Env, journal: &Path, release: &str, chart: &str, version: &str) -> String {
    format!(
        "upgrade --install {release} {chart} --namespace monitoring --version {version} --values {}.values/{release}.json --wait=false --kubeconfig {}",
        journal.display(),
        env.k()
    )
}

const REPOS: [&str; 3] = [
    "repo add open-telemetry https://open-telemetry.github.io/opentelemetry-helm-charts",
    "repo add jaegertracing https://jaegertracing.github.io/helm-charts",
    "repo update open-telemetry jaegertracing",
];

const APPLIES: [&str; 7] = [
    "PATCH /api/v1/namespaces/monitoring",
    "PATCH /api/v1/namespaces/monitoring/secrets/jaeger-secret",
    "PATCH /apis/apiextensions.k8s.io/v1/customresourcedefinitions/instrumentations.opentelemetry.io",
    "PATCH /apis/opentelemetry.io/v1alpha1/namespaces/monitoring/instrumentations/default",
    "PATCH /api/v1/namespaces/monitoring/configmaps/sampling-config",
    "PATCH /api/v1/namespaces/monitoring/configmaps/grafana-dashboards",
    "PATCH /apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules/tracing-alerts",
];

#[test]
fn apply_deploys_every_step_then_a_second_apply_changes_nothing() {
    let env = Env::new();
    let grafana = env.backends.url();
    let r = env.deploy("apply", &["--yes", "--grafana-url", &grafana]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("deploy apply in monitoring: succeeded"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("note: step 9: the deployment"),
        "{}",
        r.stdout
    );

    // Step 1, 3 and 6: server-side applies, in order, CRD before its custom resource.
    assert_eq!(env.api.writes(), APPLIES);
    let requests = env.api.requests();
    let patches: Vec<_> = requests.iter().filter(|r| r.method == "PATCH").collect();
    for p in &patches {
        assert_eq!(p.query_param("fieldManager").as_deref(), Some("tracectl"));
        assert_eq!(p.query_param("force").as_deref(), Some("true"));
        assert_eq!(
            p.header("content-type"),
            Some("application/apply-patch+yaml")
        );
    }
    assert_eq!(
        patches[0].body_json(),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "monitoring"}})
    );
    let secret = patches[1].body_json();
    assert_eq!(secret["data"]["ES_PASSWORD"], PASSWORD_B64);
    assert_eq!(secret["metadata"]["namespace"], "monitoring");
    assert_eq!(
        patches[3].body_json()["metadata"]["namespace"],
        "monitoring",
        "a namespaced object without a namespace goes to the deploy's"
    );
    assert_eq!(
        patches[5].body_json()["metadata"]["labels"]["grafana_dashboard"],
        "1"
    );

    // Steps 2, 4 and 5: Helm, with the values merged into one file beside the journal.
    let journals = env.journals();
    assert_eq!(journals.len(), 1);
    let j = &journals[0];
    let mut want: Vec<String> = REPOS.iter().map(|s| s.to_string()).collect();
    want.push(upgrade(
        &env,
        j,
        "otel-collector",
        "open-telemetry/opentelemetry-collector",
        "0.108.0",
    ));
    want.push(upgrade(&env, j, "jaeger", "jaegertracing/jaeger", "3.4.1"));
    assert_eq!(env.helm_writes(), want);
    let values: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.values/jaeger.json", j.display())).unwrap(),
    )
    .unwrap();
    assert_eq!(
        values,
        json!({"query": {"replicas": 2},
               "provisionDataStore": {"cassandra": false},
               "storage": {"type": "elasticsearch",
                           "elasticsearch": {"port": 9200, "host": "elasticsearch.storage", "usePassword": true,
                                             "existingSecret": "jaeger-secret", "existingSecretKey": "ES_PASSWORD"}}})
    );

    // Step 8: an empty OTLP export and the Jaeger UI.
    let checks = env.backends.requests();
    let export = checks.iter().find(|r| r.path == "/v1/traces").unwrap();
    assert_eq!(export.method, "POST");
    assert_eq!(export.body_json(), json!({"resourceSpans": []}));
    assert!(checks.iter().any(|r| r.method == "GET" && r.path == "/"));

    // Step 9: one region annotation, with the outcome.
    let notes: Vec<_> = checks
        .iter()
        .filter(|r| r.path == "/api/annotations")
        .collect();
    assert_eq!(notes.len(), 1);
    let a = notes[0].body_json();
    assert_eq!(a["tags"], json!(["tracectl", "deploy", "succeeded"]));
    assert_eq!(
        a["text"],
        "tracectl deploy to monitoring: succeeded (11 changes planned)"
    );
    assert!(a["timeEnd"].as_i64().unwrap() >= a["time"].as_i64().unwrap());

    // The journal: private, every change with its inverse, no secret.
    let text = std::fs::read_to_string(j).unwrap();
    assert!(!text.contains(PASSWORD) && !text.contains(PASSWORD_B64));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(j).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "begin");
    assert_eq!(lines.last().unwrap()["outcome"], "succeeded");
    let installed = lines
        .iter()
        .find(|l| l["type"] == "intent" && l["action"]["id"] == "helm-release/jaeger")
        .unwrap();
    assert_eq!(installed["action"]["inverse"]["op"], "helm_uninstall");
    assert_eq!(installed["action"]["observed"]["state"], "not_installed");

    // A second apply: the plan is all unchanged, nothing is written, no chart installed.
    let before_kube = env.api.requests().len();
    let before_helm = env.helm_writes().len();
    let r = env.deploy("apply", &["--yes"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("deploy apply in monitoring: unchanged"),
        "{}",
        r.stdout
    );
    let again: Vec<_> = env.api.requests()[before_kube..]
        .iter()
        .filter(|r| matches!(r.method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(again, Vec::<String>::new());
    assert_eq!(
        env.helm_writes().len(),
        before_helm,
        "{:?}",
        env.helm_writes()
    );
    assert_eq!(
        env.journals().len(),
        1,
        "a run that changes nothing keeps no journal"
    );
    let plan = env.deploy("plan", &[]);
    assert!(
        plan.stdout
            .contains("to namespace monitoring on http://127.0.0.1:"),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.contains(": no changes\n"), "{}", plan.stdout);
}

#[test]
fn a_failure_in_step_5_is_rolled_back() {
    let env = Env::new();
    std::fs::write(env.root().join("helm/fail-jaeger"), "").unwrap();
    let r = env.deploy("apply", &["--yes", "--rollback-on-failure"]);
    assert_eq!(r.code, 3, "rolled back: {}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("deploy apply in monitoring: rolled back"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("error: helm-release/jaeger failed: `helm upgrade --install jaeger"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("UPGRADE FAILED"), "{}", r.stderr);

    let j = &env.journals()[0];
    let mut want: Vec<String> = REPOS.iter().map(|s| s.to_string()).collect();
    want.push(upgrade(
        &env,
        j,
        "otel-collector",
        "open-telemetry/opentelemetry-collector",
        "0.108.0",
    ));
    want.push(upgrade(&env, j, "jaeger", "jaegertracing/jaeger", "3.4.1"));
    // The rollback, newest first: jaeger was never installed (looked, nothing to undo), the
    // Collector's fresh install is uninstalled, the repositories this run added are removed.
    want.push(format!(
        "uninstall otel-collector --namespace monitoring --kubeconfig {}",
        env.k()
    ));
    want.push("repo remove jaegertracing".into());
    want.push("repo remove open-telemetry".into());
    assert_eq!(env.helm_writes(), want);

    // Created objects deleted, newest first, each with the uid it was created with.
    assert_eq!(
        env.api.writes(),
        [
            "PATCH /api/v1/namespaces/monitoring",
            "PATCH /api/v1/namespaces/monitoring/secrets/jaeger-secret",
            "DELETE /api/v1/namespaces/monitoring/secrets/jaeger-secret",
            "DELETE /api/v1/namespaces/monitoring",
        ]
    );
    let requests = env.api.requests();
    let deletes: Vec<_> = requests.iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(
        deletes[0].body_json()["preconditions"]["uid"],
        "uid-102",
        "the secret's uid as created"
    );
    assert_eq!(deletes[1].body_json()["propagationPolicy"], "Background");
    assert_eq!(env.api.object(NS), None);

    // The journal says so; a second rollback has nothing left to do.
    let text = std::fs::read_to_string(j).unwrap();
    assert!(text.contains(r#""type":"failed""#), "{text}");
    assert_eq!(text.matches(r#""type":"undone""#).count(), 6, "{text}");
    let before = env.api.requests().len();
    let again = env.run_with(
        &[
            "deploy",
            "rollback",
            "--journal",
            j.to_str().unwrap(),
            "--kubeconfig",
            &env.k(),
            "--yes",
        ],
        PASSWORD,
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("nothing to undo"), "{}", again.stderr);
    assert_eq!(env.api.requests().len(), before);
}

#[test]
fn a_failure_without_rollback_leaves_the_journal_to_finish_it() {
    let env = Env::new();
    std::fs::write(env.root().join("helm/fail-jaeger"), "").unwrap();
    let r = env.deploy("apply", &["--yes"]);
    assert_eq!(r.code, 4, "changes left in place: {}", r.stderr);
    let j = env.journals()[0].display().to_string();
    assert!(
        r.stderr.contains(&format!(
            "hint: undo it with `tracectl deploy rollback --journal {j}`"
        )),
        "{}",
        r.stderr
    );
    assert!(env.api.object(NS).is_some());
    // `rollback` without --journal takes the newest one.
    let back = env.deploy("rollback", &["--yes"]);
    assert_eq!(back.code, 0, "{}\n{}", back.stdout, back.stderr);
    assert!(back.stdout.contains("rolled back"), "{}", back.stdout);
    assert_eq!(env.api.object(NS), None);
    assert!(
        env.helm_writes().contains(&format!(
            "uninstall otel-collector --namespace monitoring --kubeconfig {}",
            env.k()
        )),
        "{:?}",
        env.helm_writes()
    );
}

#[test]
fn an_upgrade_is_rolled_back_to_the_revision_before_and_updated_objects_restored() {
    let env = Env::new();
    let r = env.deploy("apply", &["--yes", "--jaeger-version", "3.4.0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = env.journals()[0].clone();
    let sampling = format!("{NS}/configmaps/sampling-config");
    let rv_before = env.api.object(&sampling).unwrap()["metadata"]["resourceVersion"].clone();

    // A new chart version and a new sampling rate.
    write(
        &env.root().join("manifests/sampling/sampling-config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sampling-config, namespace: monitoring}\n\
         data:\n  sampling.json: '{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.05}}'\n",
    );
    let plan = env.deploy("plan", &["-o", "json"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let p: Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(p["schema"], "tracectl.plan/v1");
    let changed: Vec<(&str, &str)> = p["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["change"] == "update" || a["change"] == "create")
        .map(|a| (a["id"].as_str().unwrap(), a["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changed,
        [
            ("helm-release/jaeger", "update"),
            ("object/configmap/monitoring/sampling-config", "update")
        ]
    );
    let jaeger = p["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "helm-release/jaeger")
        .unwrap();
    assert_eq!(
        jaeger["inverse"],
        json!({"op": "helm_rollback", "release": "jaeger", "namespace": "monitoring", "revision": 1})
    );
    assert_eq!(jaeger["observed"]["revision"], 1);
    assert_eq!(jaeger["diff"][0], "chart jaeger-3.4.0 → jaeger-3.4.1");

    let r = env.deploy("apply", &["--yes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let second = env.journals().pop().unwrap();
    assert_ne!(first, second);
    assert!(
        env.api.object(&sampling).unwrap()["data"]["sampling.json"]
            .as_str()
            .unwrap()
            .contains("0.05")
    );

    let before = env.api.requests().len();
    let back = env.deploy("rollback", &["--yes"]);
    assert_eq!(back.code, 0, "{}\n{}", back.stdout, back.stderr);
    let writes: Vec<String> = env.api.requests()[before..]
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(writes, [format!("PUT {sampling}")]);
    let restored = env.api.object(&sampling).unwrap();
    assert!(
        restored["data"]["sampling.json"]
            .as_str()
            .unwrap()
            .contains("0.1}"),
        "{restored}"
    );
    assert_ne!(restored["metadata"]["resourceVersion"], rv_before);
    assert_eq!(
        env.helm_writes().last().unwrap(),
        &format!(
            "rollback jaeger 1 --namespace monitoring --kubeconfig {}",
            env.k()
        )
    );
}

#[test]
fn weak_passwords_are_refused_before_any_request() {
    let env = Env::new();
    let k = env.k();
    for (pw, why) in [
        ("changeme", "it is a well-known default password"),
        ("", "it is empty"),
        (
            "short-pw-1",
            "it is 10 characters long; at least 12 are required",
        ),
    ] {
        let r = env.run_with(&["deploy", "apply", "--yes", "--kubeconfig", &k], pw);
        assert_eq!(r.code, 2, "{pw:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(&format!(
                "error: refusing the Elasticsearch password from env TEST_ES_PW: {why}"
            )),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("hint: generate one"), "{}", r.stderr);
    }
    assert!(env.api.requests().is_empty(), "no request was made");
    assert!(env.helm_calls().is_empty(), "helm was not run");
    assert!(env.journals().is_empty());
}

#[test]
fn without_a_terminal_or_yes_nothing_is_changed() {
    let env = Env::new();
    let r = env.deploy("apply", &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: 11 changes planned and no terminal to confirm them: nothing was changed"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert_eq!(env.api.writes(), Vec::<String>::new());
    assert_eq!(env.helm_writes(), Vec::<String>::new());
    assert!(env.journals().is_empty());
}

#[test]
fn plan_shows_each_step_with_what_it_finds_and_its_undo() {
    let env = Env::new();
    let r = env.deploy("plan", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for want in [
        ": 11 changes\n",
        "create Namespace monitoring",
        "add helm repo open-telemetry https://open-telemetry.github.io/opentelemetry-helm-charts",
        "create Secret monitoring/jaeger-secret (key ES_PASSWORD, value from env TEST_ES_PW)",
        "install otel-collector: open-telemetry/opentelemetry-collector 0.108.0",
        "undo: helm uninstall jaeger -n monitoring",
        "create CustomResourceDefinition instrumentations.opentelemetry.io",
        "found: unknown (its kind is served once its CRD is applied)",
        "undo: delete PrometheusRule monitoring/tracing-alerts",
        "wait for every Deployment, StatefulSet and DaemonSet in monitoring to roll out (timeout 20s)",
    ] {
        assert!(r.stdout.contains(want), "{want:?} not in\n{}", r.stdout);
    }
    assert_eq!(env.api.writes(), Vec::<String>::new());
    assert_eq!(env.helm_writes(), Vec::<String>::new());
}

#[test]
fn helm_missing_plan_notes_it_and_apply_refuses() {
    let env = Env::new();
    let r = env.deploy("plan", &["--helm", "/nonexistent/helm"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("note: helm is not installed (no /nonexistent/helm on PATH)"),
        "{}",
        r.stdout
    );
    let r = env.deploy("apply", &["--yes", "--helm", "/nonexistent/helm"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("hint: install Helm 3"), "{}", r.stderr);
    assert_eq!(env.api.writes(), Vec::<String>::new());
}

#[test]
fn record_and_replay_are_refused_for_mutations() {
    let env = Env::new();
    let bundle = env.root().join("bundle");
    let r = env.deploy("apply", &["--yes", "--record", bundle.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("would hold the Elasticsearch Secret's value"),
        "{}",
        r.stderr
    );
    assert!(!bundle.exists());
    assert!(env.api.requests().is_empty());
}

#[test]
fn a_rollout_that_does_not_finish_fails_step_7_and_is_rolled_back() {
    let mut seed = workload("monitoring", "otel-collector", true);
    seed.extend(workload("monitoring", "jaeger", false));
    let env = Env::with(seed, 200);
    write(
        &env.root().join("deploy.yaml"),
        &std::fs::read_to_string(env.root().join("deploy.yaml"))
            .unwrap()
            .replace("rollout: 20s", "rollout: 1s"),
    );
    let r = env.deploy("apply", &["--yes", "--rollback-on-failure"]);
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "wait-rollout failed: not rolled out after 1s: Deployment jaeger: 0 of 1 updated replicas are available"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        env.api.object(NS),
        None,
        "the namespace this run created is gone"
    );
    assert!(
        env.helm_writes()
            .iter()
            .any(|c| c.starts_with("uninstall jaeger"))
    );
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_current_action_then_stops_and_rollback_completes() {
    let env = Env::new();
    std::fs::write(env.root().join("helm/slow-otel-collector"), "2").unwrap();
    let root = env.root();
    let k = env.k();
    let child = Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args(["deploy", "apply", "--yes", "--kubeconfig", &k])
        .current_dir(root)
        .env_clear()
        .env(
            "PATH",
            format!(
                "{}:{}",
                root.join("bin").display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("HOME", root)
        .env("XDG_STATE_HOME", root.join("state"))
        .env("FAKE_HELM_DIR", root.join("helm"))
        .env("TEST_ES_PW", PASSWORD)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the Collector's install is under way, then ask tracectl to stop.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !env
        .helm_calls()
        .iter()
        .any(|c| c.starts_with("upgrade --install otel-collector"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            env.helm_calls()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("error: interrupted; what this run changed is still in place"),
        "{stderr}"
    );

    // The install that was running finished and was journaled; nothing after it started.
    assert!(
        !env.helm_calls()
            .iter()
            .any(|c| c.starts_with("upgrade --install jaeger")),
        "{:?}",
        env.helm_calls()
    );
    let j = env.journals().pop().unwrap();
    let lines: Vec<Value> = std::fs::read_to_string(&j)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seq = lines
        .iter()
        .find(|l| l["type"] == "intent" && l["action"]["id"] == "helm-release/otel-collector")
        .unwrap()["seq"]
        .clone();
    assert!(lines.iter().any(|l| l["type"] == "done" && l["seq"] == seq));
    assert_eq!(lines.last().unwrap()["outcome"], "interrupted");

    let back = env.deploy("rollback", &["--yes"]);
    assert_eq!(back.code, 0, "{}\n{}", back.stdout, back.stderr);
    assert!(
        env.helm_writes().contains(&format!(
            "uninstall otel-collector --namespace monitoring --kubeconfig {k}"
        )),
        "{:?}",
        env.helm_writes()
    );
    assert_eq!(env.api.object(NS), None);
}

#[test]
fn verify_runs_the_checks_alone() {
    let env = Env::new();
    let r = env.deploy("verify", &["-n", "monitoring", "-o", "json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["command"], "deploy verify");
    let steps: Vec<(&str, &str)> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("pods-ready", "ok"),
            ("services", "ok"),
            ("otlp-export", "ok"),
            ("jaeger-ui", "ok")
        ]
    );
    assert_eq!(env.api.writes(), Vec::<String>::new());

    // Jaeger down, and no URL for the Collector: its check goes through the API server's proxy.
    let down = Env::with(stack(), 503);
    let k = down.k();
    let u = down.backends.url();
    let r = down.run_with(
        &[
            "deploy",
            "verify",
            "--kubeconfig",
            &k,
            "--jaeger-url",
            &u,
            "-o",
            "json",
        ],
        PASSWORD,
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["findings"][0]["kind"], "component_down");
    assert!(
        report["findings"][0]["title"]
            .as_str()
            .unwrap()
            .contains("HTTP 503"),
        "{report}"
    );
    assert!(down.api.requests().iter().any(|q| q.method == "POST"
        && q.path == "/api/v1/namespaces/monitoring/services/otel-collector:4318/proxy/v1/traces"));
}

/// Drift fix (issue 16): `-o junit` printed a plan or a result as a table, without a word. It is
/// refused now, with exit 2, before a request, a Helm call or a journal; nothing on stdout.
#[test]
fn junit_is_refused_for_plans_and_results_before_anything_is_read() {
    let env = Env::new();
    for (sub, extra) in [
        ("plan", None),
        ("apply", Some("--yes")),
        ("rollback", Some("--yes")),
    ] {
        let mut args: Vec<&str> = extra.into_iter().collect();
        args.extend(["-o", "junit"]);
        let r = env.deploy(sub, &args);
        assert_eq!(r.code, 2, "{sub}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{sub}");
        assert!(
            r.stderr.starts_with(&format!(
                "error: deploy {sub} prints a plan and its result, which have no JUnit form: nothing was read or changed"
            )),
            "{sub}: {}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("hint: use -o table, -o json or -o markdown"),
            "{}",
            r.stderr
        );
    }
    assert!(env.api.requests().is_empty(), "no request was made");
    assert!(env.helm_calls().is_empty(), "helm was not run");
    assert!(env.journals().is_empty());
}
