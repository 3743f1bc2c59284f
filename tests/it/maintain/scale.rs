//! `maintain scale`, `maintain config` and `maintain update` end to end: the real binary against
//! the stateful fixture API server (`support/kube_api.rs`, which applies strategic, merge and
//! JSON patches as the real one does) and the fake `helm` (`fixtures/fake-helm`).
//!
//! What is checked is the cluster's state, not only the output: the Deployment has the replicas,
//! limits and env asked for; a second run plans no change and writes nothing; `maintain rollback`
//! puts the Deployment's spec (and a ConfigMap's data) back exactly; a Collector config the
//! Collector would refuse is refused with exit 2 before any request; an upgrade is recorded with
//! the revision before, and its rollback runs `helm rollback REL REV`; nothing changes without
//! `--yes` off a terminal.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Scratch, plan, result};
use crate::scenarios::write_kubeconfig;
use crate::support::kube_api::{KubeApi, strip_server_fields, workload};
use crate::support::report::Run;

const DEPLOYMENT: &str = "/apis/apps/v1/namespaces/monitoring/deployments/otel-collector";
const COLLECTOR_CM: &str = "/api/v1/namespaces/monitoring/configmaps/otel-collector-config";
const SAMPLING_CM: &str = "/api/v1/namespaces/monitoring/configmaps/sampling-config";
const RULE: &str =
    "/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules/tracing-alerts";

/// The Collector's Deployment as its chart makes it: one replica, modest limits, one env var.
fn collector_deployment() -> (String, Value) {
    (
        DEPLOYMENT.to_string(),
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "otel-collector", "namespace": "monitoring",
                            "labels": {"app": "tracing"}},
               "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "otel-collector"}},
                        "template": {"metadata": {"labels": {"app": "otel-collector"}},
                                     "spec": {"containers": [
                                         {"name": "otel-collector", "image": "otel/opentelemetry-collector-contrib:0.108.0",
                                          "resources": {"limits": {"cpu": "1", "memory": "2Gi"}},
                                          "env": [{"name": "GOMEMLIMIT", "value": "1800MiB"}]},
                                         {"name": "config-reloader", "image": "reloader:1"}]}}},
               "status": {"observedGeneration": 1, "replicas": 1, "readyReplicas": 1}}),
    )
}

fn namespace() -> (String, Value) {
    (
        "/api/v1/namespaces/monitoring".into(),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "monitoring"}}),
    )
}

struct Env {
    s: Scratch,
    api: KubeApi,
    kubeconfig: PathBuf,
}

impl Env {
    fn new(seed: Vec<(String, Value)>) -> Env {
        let s = Scratch::new();
        let api = KubeApi::start(seed);
        let kubeconfig = write_kubeconfig(s.dir.path(), &api.url(), "monitoring");
        Env { s, api, kubeconfig }
    }

    /// `tracectl maintain SUB ARGS --kubeconfig K -n monitoring -o json`.
    fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let k = self.kubeconfig.display().to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--kubeconfig", &k, "-n", "monitoring", "-o", "json"]);
        self.s.maintain(&all, env)
    }

    fn spec(&self) -> Value {
        self.api.object(DEPLOYMENT).expect("the Deployment")["spec"].clone()
    }
}

fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "exit {}\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    );
}

fn the_action(v: &Value) -> &Value {
    let actions = v["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{v:#}");
    &actions[0]
}

fn diff_of(a: &Value) -> Vec<String> {
    a["diff"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d.as_str().unwrap_or_default().to_string())
        .collect()
}

const SCALE: [&str; 10] = [
    "scale",
    "--workload",
    "Deployment/otel-collector",
    "--replicas",
    "3",
    "--limits",
    "cpu=2,memory=4Gi",
    "--env",
    "JAVA_OPTS=-Xmx2g -Xms2g",
    "--env=GOMEMLIMIT=3600MiB",
];

#[test]
fn scale_sets_replicas_limits_and_env_once_and_rolls_back_exactly() {
    let env = Env::new(vec![collector_deployment()]);
    let before = env.spec();

    // The plan: a diff of exactly what changes, and nothing written.
    let mut args = SCALE.to_vec();
    args.push("--dry-run");
    let p = plan(&env.run(&args));
    let a = the_action(&p);
    assert_eq!(a["id"], "deployment/monitoring/otel-collector");
    assert_eq!(a["change"], "update");
    assert_eq!(a["operation"]["op"], "patch");
    assert_eq!(a["operation"]["patch_type"], "strategic");
    assert_eq!(a["inverse"]["op"], "restore");
    let c = "spec.template.spec.containers[otel-collector]";
    assert_eq!(
        diff_of(a),
        [
            "spec.replicas: 1 → 3".to_string(),
            format!("{c}.env[GOMEMLIMIT].value: \"1800MiB\" → \"3600MiB\""),
            format!("{c}.env[JAVA_OPTS].value: (none) → \"-Xmx2g -Xms2g\""),
            format!("{c}.resources.limits.cpu: \"1\" → \"2\""),
            format!("{c}.resources.limits.memory: \"2Gi\" → \"4Gi\""),
        ]
    );
    assert_eq!(env.api.writes(), Vec::<String>::new());

    // Applied: the Deployment has them, the other container and fields untouched.
    let mut args = SCALE.to_vec();
    args.push("--yes");
    let run = env.run(&args);
    ok(&run);
    let r = result(&run);
    assert_eq!(r["outcome"], "succeeded", "{r:#}");
    assert_eq!(env.api.writes(), [format!("PATCH {DEPLOYMENT}")]);
    let patch = env
        .api
        .requests()
        .into_iter()
        .find(|q| q.method == "PATCH")
        .unwrap();
    assert!(
        patch
            .headers
            .iter()
            .any(|(k, v)| k == "content-type"
                && v.starts_with("application/strategic-merge-patch+json")),
        "{:?}",
        patch.headers
    );
    let spec = env.spec();
    assert_eq!(spec["replicas"], 3);
    let containers = &spec["template"]["spec"]["containers"];
    assert_eq!(
        containers[0]["resources"]["limits"],
        json!({"cpu": "2", "memory": "4Gi"})
    );
    assert_eq!(
        containers[0]["env"],
        json!([{"name": "GOMEMLIMIT", "value": "3600MiB"},
               {"name": "JAVA_OPTS", "value": "-Xmx2g -Xms2g"}])
    );
    assert_eq!(containers[1], before["template"]["spec"]["containers"][1]);

    // A second run: unchanged, nothing written, no journal.
    let journals = env.s.journals().len();
    let run = env.run(&args);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "unchanged");
    assert_eq!(env.api.writes().len(), 1);
    assert_eq!(env.s.journals().len(), journals);

    // The rollback puts the spec back exactly.
    let run = env.run(&["rollback", "--yes"]);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "rolled_back");
    assert_eq!(env.spec(), before);
    assert_eq!(
        env.api.writes().last().unwrap(),
        &format!("PUT {DEPLOYMENT}")
    );
}

#[test]
fn scale_applies_a_json_patch_file_and_quantities_by_value() {
    let env = Env::new(vec![collector_deployment()]);
    // The guide's `kubectl patch --type=json` of the limits, as a file.
    let file = env.s.write(
        "limits.json",
        r#"[{"op": "add", "path": "/spec/template/spec/containers/0/resources/limits",
             "value": {"cpu": "2", "memory": "4Gi"}}]"#,
    );
    let f = file.display().to_string();
    let args = [
        "scale",
        "--workload",
        "deployment/otel-collector",
        "--patch",
        &f,
        "--patch-type",
        "json",
        "--replicas",
        "2",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let p = plan(&env.run(&dry));
    let a = the_action(&p);
    assert_eq!(a["operation"]["patch_type"], "json");
    assert_eq!(
        a["operation"]["patch"][0],
        json!({"op": "replace", "path": "/spec/replicas", "value": 2})
    );
    assert!(
        diff_of(a).contains(
            &"spec.template.spec.containers[otel-collector].resources.limits.memory: \"2Gi\" → \"4Gi\""
                .to_string()
        ),
        "{a:#}"
    );
    let mut yes = args.to_vec();
    yes.push("--yes");
    ok(&env.run(&yes));
    let spec = env.spec();
    assert_eq!(spec["replicas"], 2);
    assert_eq!(
        spec["template"]["spec"]["containers"][0]["resources"]["limits"],
        json!({"cpu": "2", "memory": "4Gi"})
    );
    let patch = env
        .api
        .requests()
        .into_iter()
        .find(|q| q.method == "PATCH")
        .unwrap();
    let body: Value = serde_json::from_slice(&patch.body).unwrap();
    // The resourceVersion the plan saw rides along as a precondition.
    assert_eq!(body[0]["op"], "test");
    assert_eq!(body[0]["path"], "/metadata/resourceVersion");

    // Limits asked for by value: 2000m is the 2 that is there.
    let run = env.run(&[
        "scale",
        "--workload",
        "deployment/otel-collector",
        "--limits",
        "cpu=2000m,memory=4096Mi",
        "--yes",
    ]);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "unchanged");
    assert_eq!(env.api.writes().len(), 1);
}

#[test]
fn scale_refuses_bad_input_and_without_yes_off_a_terminal() {
    let mut seed = vec![collector_deployment()];
    seed.push((
        "/apis/apps/v1/namespaces/monitoring/daemonsets/otel-agent".into(),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
               "metadata": {"name": "otel-agent", "namespace": "monitoring"},
               "spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "a"}]}}}}),
    ));
    let env = Env::new(seed);
    for (args, why) in [
        (
            vec![
                "scale",
                "--workload",
                "daemonset/otel-agent",
                "--replicas",
                "2",
            ],
            "no replicas",
        ),
        (
            vec![
                "scale",
                "--workload",
                "deployment/otel-collector",
                "--limits",
                "cpu=two",
            ],
            "not a Kubernetes quantity",
        ),
        (
            vec!["scale", "--workload", "deployment/Otel", "--replicas", "2"],
            "not a valid Deployment name",
        ),
        (
            vec!["scale", "--workload", "deployment/otel-collector"],
            "nothing to change",
        ),
        (
            vec![
                "scale",
                "--workload",
                "deployment/missing",
                "--replicas",
                "2",
            ],
            "does not exist",
        ),
        (
            vec![
                "scale",
                "--workload",
                "deployment/otel-collector",
                "--container",
                "nope",
                "--env",
                "A=b",
            ],
            "has no container",
        ),
    ] {
        let run = env.run(&args);
        assert_eq!(run.code, 2, "{args:?}\n{}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(why), "{args:?}: {}", run.stderr);
    }
    // A change, and no terminal to confirm it: nothing is written.
    let run = env.run(&[
        "scale",
        "--workload",
        "deployment/otel-collector",
        "--replicas",
        "3",
    ]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no terminal"), "{}", run.stderr);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(env.api.writes(), Vec::<String>::new());
    assert_eq!(env.s.journals(), Vec::<PathBuf>::new());
}

const COLLECTOR_CONFIG: &str = "\
receivers:
  otlp:
    protocols: {grpc: {}, http: {}}
processors:
  memory_limiter: {check_interval: 1s, limit_percentage: 80}
  batch: {timeout: 1s}
exporters:
  otlp/jaeger: {endpoint: 'jaeger-collector:4317'}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/jaeger]}
";

const RULES: &str = "\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: tracing-alerts, labels: {app: tracing}}
spec:
  groups:
  - name: tracing
    rules:
    - alert: SpansDropped
      expr: sum(rate(otelcol_processor_dropped_spans[5m])) > 0
      for: 5m
";

#[test]
fn config_creates_then_updates_with_a_diff_then_rolls_back() {
    let env = Env::new(vec![namespace()]);
    let cfg = env.s.write("otel/collector-config.yaml", COLLECTOR_CONFIG);
    let sampling = env.s.write(
        "otel/sampling/sampling.json",
        r#"{"default_strategy": {"type": "probabilistic", "param": 0.1}}"#,
    );
    env.s.write("alerts/rules.yaml", RULES);
    let (cfg, sampling, rules) = (
        cfg.display().to_string(),
        sampling.display().to_string(),
        env.s.path("alerts").display().to_string(),
    );
    let args = [
        "config",
        "--collector-config",
        &cfg,
        "--sampling",
        &sampling,
        "--rules",
        &rules,
        "--yes",
    ];
    let run = env.run(&args);
    ok(&run);
    let r = result(&run);
    assert_eq!(
        super::action_ids(&r),
        [
            "configmap/monitoring/otel-collector-config",
            "configmap/monitoring/sampling-config",
            "object/prometheusrule/monitoring/tracing-alerts",
        ]
    );
    let cm = env
        .api
        .object(COLLECTOR_CM)
        .expect("the Collector's ConfigMap");
    assert_eq!(
        cm["data"],
        json!({"collector-config.yaml": COLLECTOR_CONFIG})
    );
    // Labelled as `maintain backup` selects them.
    assert_eq!(cm["metadata"]["labels"], json!({"app": "tracing"}));
    let sm = env.api.object(SAMPLING_CM).expect("the sampling ConfigMap");
    assert_eq!(sm["metadata"]["labels"]["app"], "tracing");
    assert!(
        sm["data"]["sampling.json"]
            .as_str()
            .unwrap()
            .contains("0.1")
    );
    assert_eq!(
        env.api.object(RULE).expect("the rules")["spec"]["groups"][0]["rules"][0]["alert"],
        "SpansDropped"
    );
    let created = strip_server_fields(&cm);

    // Again: unchanged.
    let run = env.run(&args);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "unchanged");

    // A new batch timeout: an update, shown as the changed lines.
    std::fs::write(&cfg, COLLECTOR_CONFIG.replace("timeout: 1s", "timeout: 5s")).unwrap();
    let mut dry = args.to_vec();
    dry.pop();
    dry.push("--dry-run");
    let p = plan(&env.run(&dry));
    let a = &p["actions"][0];
    assert_eq!(a["change"], "update");
    assert_eq!(a["inverse"]["op"], "restore");
    assert_eq!(
        diff_of(a),
        [
            "data.collector-config.yaml",
            "  -   batch: {timeout: 1s}",
            "  +   batch: {timeout: 5s}",
        ]
    );
    assert_eq!(p["actions"][1]["change"], "unchanged");
    assert_eq!(p["actions"][2]["change"], "unchanged");
    let writes = env.api.writes().len();
    ok(&env.run(&args));
    assert_eq!(env.api.writes().len(), writes + 1);
    assert!(
        env.api.object(COLLECTOR_CM).unwrap()["data"]["collector-config.yaml"]
            .as_str()
            .unwrap()
            .contains("timeout: 5s")
    );

    // The rollback of that run: the ConfigMap as it was, exactly.
    let run = env.run(&["rollback", "--yes"]);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "rolled_back");
    assert_eq!(
        strip_server_fields(&env.api.object(COLLECTOR_CM).unwrap()),
        created
    );
}

#[test]
fn config_refuses_a_collector_config_the_collector_would_not_start_with() {
    let env = Env::new(vec![namespace()]);
    let cfg = env.s.write(
        "collector-config.yaml",
        &COLLECTOR_CONFIG.replace("exporters: [otlp/jaeger]", "exporters: [otlp/tempo]"),
    );
    let cfg = cfg.display().to_string();
    let run = env.run(&["config", "--collector-config", &cfg, "--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("would not start"), "{}", run.stderr);
    assert!(run.stderr.contains("otlp/tempo"), "{}", run.stderr);
    // Refused before the cluster was even read.
    assert_eq!(env.api.requests().len(), 0);

    let bad = env.s.write("broken.yaml", "receivers: [unclosed\n");
    let run = env.run(&[
        "config",
        "--collector-config",
        bad.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not valid YAML"), "{}", run.stderr);
    assert_eq!(env.api.writes(), Vec::<String>::new());
}

/// The fake `helm` on `PATH`, with `otel-collector` installed at revision 1 (chart 0.108.0).
struct Helm {
    bin: PathBuf,
    dir: PathBuf,
}

impl Helm {
    fn new(s: &Scratch) -> Helm {
        let bin = s.path("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/fake-helm"),
            bin.join("helm"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(bin.join("helm"), std::fs::Permissions::from_mode(0o755))
                .unwrap();
        }
        let dir = s.path("helm");
        let rel = dir.join("releases/otel-collector");
        std::fs::create_dir_all(&rel).unwrap();
        let values = r#"{"mode":"deployment","fullnameOverride":"otel-collector"}"#;
        for (f, text) in [
            ("namespace", "monitoring"),
            ("revision", "1"),
            ("status", "deployed"),
            ("chart", "opentelemetry-collector-0.108.0"),
            ("chart.1", "opentelemetry-collector-0.108.0"),
            ("values.json", values),
            ("values.1", values),
        ] {
            std::fs::write(rel.join(f), format!("{text}\n")).unwrap();
        }
        Helm { bin, dir }
    }

    fn path_var(&self) -> String {
        format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("calls"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn writes(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| c.starts_with("upgrade") || c.starts_with("rollback"))
            .collect()
    }

    fn revision(&self) -> String {
        std::fs::read_to_string(self.dir.join("releases/otel-collector/revision"))
            .unwrap()
            .trim()
            .to_string()
    }
}

#[test]
fn update_upgrades_records_the_revision_and_rolls_back_with_helm() {
    let env = Env::new(workload("monitoring", "otel-collector", true));
    let helm = Helm::new(&env.s);
    let path = helm.path_var();
    let dir = helm.dir.display().to_string();
    let vars = [("PATH", path.as_str()), ("FAKE_HELM_DIR", dir.as_str())];
    let deploy = env.s.write(
        "deploy.yaml",
        "namespace: monitoring\ncollector: {values: collector-values.yaml}\ntimeouts: {rollout: 20s}\n",
    );
    env.s.write(
        "collector-values.yaml",
        "mode: deployment\nfullnameOverride: otel-collector\n",
    );
    let deploy = deploy.display().to_string();
    let args = ["update", "-f", &deploy, "--collector-version", "0.109.0"];

    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let run = env.run_env(&dry, &vars);
    let p = plan(&run);
    assert_eq!(
        super::action_ids(&p),
        ["helm-release/otel-collector", "wait-rollout/monitoring"]
    );
    let a = &p["actions"][0];
    assert_eq!(a["change"], "update");
    assert_eq!(
        diff_of(a),
        ["chart opentelemetry-collector-0.108.0 → opentelemetry-collector-0.109.0"]
    );
    assert_eq!(
        a["inverse"],
        json!({"op": "helm_rollback", "release": "otel-collector", "namespace": "monitoring", "revision": 1})
    );
    assert_eq!(helm.writes(), Vec::<String>::new());

    let mut yes = args.to_vec();
    yes.push("--yes");
    let run = env.run_env(&yes, &vars);
    ok(&run);
    let r = result(&run);
    assert_eq!(r["outcome"], "succeeded", "{r:#}");
    let journal = PathBuf::from(r["journal"].as_str().unwrap());
    assert_eq!(
        helm.writes(),
        [format!(
            "upgrade --install otel-collector open-telemetry/opentelemetry-collector --namespace monitoring --version 0.109.0 --values {}.values/otel-collector.json --wait=false --kubeconfig {}",
            journal.display(),
            env.kubeconfig.display()
        )]
    );
    assert_eq!(helm.revision(), "2");
    // The journal holds the revision before, for the rollback.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains(r#""revision_before":1"#), "{text}");

    // Again: unchanged, no helm upgrade.
    let run = env.run_env(&yes, &vars);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "unchanged");
    assert_eq!(helm.writes().len(), 1);

    // The rollback: helm rollback to revision 1.
    let run = env.run_env(&["rollback", "--yes"], &vars);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "rolled_back");
    assert_eq!(
        helm.writes().last().unwrap(),
        &format!(
            "rollback otel-collector 1 --namespace monitoring --kubeconfig {}",
            env.kubeconfig.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(helm.dir.join("releases/otel-collector/chart"))
            .unwrap()
            .trim(),
        "opentelemetry-collector-0.108.0"
    );
}

#[test]
fn update_refuses_what_is_not_installed_and_without_yes() {
    let env = Env::new(workload("monitoring", "otel-collector", true));
    let helm = Helm::new(&env.s);
    let path = helm.path_var();
    let dir = helm.dir.display().to_string();
    let vars = [("PATH", path.as_str()), ("FAKE_HELM_DIR", dir.as_str())];
    let deploy = env.s.write("deploy.yaml", "namespace: monitoring\n");
    let deploy = deploy.display().to_string();

    let run = env.run_env(
        &[
            "update",
            "-f",
            &deploy,
            "--jaeger-version",
            "3.4.1",
            "--yes",
        ],
        &vars,
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("not installed"), "{}", run.stderr);
    assert!(run.stderr.contains("deploy apply"), "{}", run.stderr);

    let run = env.run_env(
        &["update", "-f", &deploy, "--collector-version", "0.109.0"],
        &vars,
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no terminal"), "{}", run.stderr);
    assert_eq!(helm.writes(), Vec::<String>::new());
    assert_eq!(helm.revision(), "1");
}

/// SIGTERM during a change: the change under way is finished and journaled, nothing after it
/// starts, the run exits 4 naming the journal, and `maintain rollback` undoes it from there.
#[test]
fn an_update_killed_mid_step_leaves_a_journal_the_rollback_completes() {
    let env = Env::new(workload("monitoring", "otel-collector", true));
    let helm = Helm::new(&env.s);
    std::fs::write(helm.dir.join("slow-otel-collector"), "2").unwrap();
    let deploy = env.s.write(
        "deploy.yaml",
        "namespace: monitoring\ntimeouts: {rollout: 20s}\n",
    );
    let k = env.kubeconfig.display().to_string();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tracectl"))
        .args([
            "maintain",
            "update",
            "-f",
            deploy.to_str().unwrap(),
            "--collector-version",
            "0.109.0",
            "--yes",
            "--kubeconfig",
            &k,
            "-n",
            "monitoring",
        ])
        .env_clear()
        .env("PATH", helm.path_var())
        .env("HOME", env.s.path("home"))
        .env("XDG_STATE_HOME", env.s.path("state"))
        .env("FAKE_HELM_DIR", &helm.dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !helm.calls().iter().any(|c| c.starts_with("upgrade")) {
        assert!(std::time::Instant::now() < deadline, "{:?}", helm.calls());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        stderr.contains("tracectl maintain rollback --journal"),
        "{stderr}"
    );

    // The upgrade finished and was journaled; the wait after it never started.
    let journal = env.s.journals().pop().expect("a journal");
    let lines: Vec<Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seq = lines
        .iter()
        .find(|l| l["type"] == "intent" && l["action"]["id"] == "helm-release/otel-collector")
        .expect("the upgrade's intent")["seq"]
        .clone();
    assert!(lines.iter().any(|l| l["type"] == "done" && l["seq"] == seq));
    assert!(
        !lines.iter().any(|l| l["type"] == "intent"
            && l["action"]["step_id"] == "update"
            && l["action"]["operation"]["op"] == "wait_rollout"),
        "{lines:?}"
    );
    assert_eq!(lines.last().unwrap()["outcome"], "interrupted");
    assert_eq!(helm.revision(), "2");

    let path = helm.path_var();
    let dir = helm.dir.display().to_string();
    let vars = [("PATH", path.as_str()), ("FAKE_HELM_DIR", dir.as_str())];
    let run = env.run_env(&["rollback", "--yes"], &vars);
    ok(&run);
    assert_eq!(result(&run)["outcome"], "rolled_back");
    assert!(
        helm.writes()
            .last()
            .unwrap()
            .starts_with("rollback otel-collector 1 "),
        "{:?}",
        helm.writes()
    );
}
