//! Each row's world: its fixtures, its command line and its rollback's, built fresh per cell.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::faults_mutating::{
    NS, WINDOW, cluster_seed, copy_dir, env, es_indices, grafana, healthy_backup,
};
use crate::scenarios::write_kubeconfig;
use crate::support::es_api::EsApi;
use crate::support::grafana_api::{DashboardSeed, GrafanaApi};
use crate::support::kube_api::KubeApi;
use crate::support::prometheus::AlertmanagerHarness;

use super::cases::*;
use super::world::*;

// ---------------------------------------------------------------------------
// Stages
// ---------------------------------------------------------------------------

pub(super) const COLLECTOR_CONFIG: &str = "\
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

pub(super) const RULES: &str = "\
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

/// One cell's world: the fixtures, the command, and what to compare.
pub(super) struct Stage {
    pub(super) dir: tempfile::TempDir,
    pub(super) cwd: PathBuf,
    pub(super) args: Vec<String>,
    pub(super) env: Vec<(String, String)>,
    /// The rollback command's first words (`maintain rollback`, `deploy rollback`) and the
    /// flags it needs to reach the backends.
    pub(super) rollback: Vec<String>,
    pub(super) kube: Option<KubeApi>,
    pub(super) grafana: Option<GrafanaApi>,
    pub(super) es: Option<EsApi>,
    pub(super) deploy: Option<crate::deploy::Env>,
    pub(super) helm_dir: Option<PathBuf>,
    pub(super) alertmanager: Option<AlertmanagerHarness>,
    /// For the rollbacks: the state before the run they undo.
    pub(super) before: Option<BTreeMap<String, Value>>,
    /// The journal the rollbacks undo.
    pub(super) journal: Option<PathBuf>,
}

pub(super) fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub(super) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The fake helm on PATH in `root/bin`, its state in `root/helm`, with `otel-collector`
/// (0.108.0) and `jaeger` (3.4.0) installed at revision 1.
pub(super) fn helm(root: &Path, releases: bool) -> (PathBuf, String) {
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let exe = bin.join("helm");
    if !exe.exists() {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/fake-helm"),
            &exe,
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let dir = root.join("helm");
    std::fs::create_dir_all(&dir).unwrap();
    if releases {
        for (rel, chart, values) in [
            (
                "otel-collector",
                "opentelemetry-collector-0.108.0",
                r#"{"mode":"deployment","fullnameOverride":"otel-collector"}"#,
            ),
            ("jaeger", "jaeger-3.4.0", r#"{"query":{"replicas":2}}"#),
        ] {
            let r = dir.join("releases").join(rel);
            std::fs::create_dir_all(&r).unwrap();
            for (f, text) in [
                ("namespace", NS),
                ("revision", "1"),
                ("status", "deployed"),
                ("chart", chart),
                ("chart.1", chart),
                ("values.json", values),
                ("values.1", values),
            ] {
                std::fs::write(r.join(f), format!("{text}\n")).unwrap();
            }
        }
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

pub(super) fn stage(case: &Case) -> Option<Stage> {
    let dir = tempfile::Builder::new()
        .prefix("tracectl-midway-")
        .tempdir()
        .expect("tempdir");
    let root = dir.path().to_path_buf();
    let mut env = env(&root);
    let (mut kube, mut grafana_api, mut es, mut deploy) = (None, None, None, None);
    let (mut helm_dir, mut alertmanager) = (None, None);
    let mut cwd = root.clone();
    let kc = |api: &KubeApi| {
        write_kubeconfig(&root, &api.url(), NS)
            .display()
            .to_string()
    };
    let common = |args: &mut Vec<String>| {
        args.extend(strs(&[
            "-n",
            NS,
            "--timeout",
            "2s",
            "--command-timeout",
            "60s",
            "-o",
            "json",
        ]));
    };
    let mut rollback = strs(&["maintain", "rollback"]);
    let mut args: Vec<String> = match case.cmd {
        Cmd::Backup => {
            let api = KubeApi::start(cluster_seed());
            let g = grafana();
            let e = EsApi::start(es_indices());
            e.add_repository("backups", "fs", json!({"location": "/backups"}));
            let a = strs(&[
                "maintain",
                "backup",
                "--dir",
                root.join("backup").to_str().unwrap(),
                "--kubeconfig",
                &kc(&api),
                "--grafana-url",
                &g.url(),
                "--elasticsearch-url",
                &e.url(),
                "--snapshot-repository",
                "backups",
            ]);
            rollback.extend(strs(&["--elasticsearch-url", &e.url()]));
            (kube, grafana_api, es) = (Some(api), Some(g), Some(e));
            a
        }
        Cmd::Restore => {
            let backup = root.join("backup");
            copy_dir(&healthy_backup(), &backup);
            // Edited since the backup: two ConfigMaps and two dashboards the restore puts back.
            let mut seed = cluster_seed();
            for (path, obj) in seed.iter_mut() {
                if path.ends_with("/sampling-config") {
                    obj["data"]["sampling.json"] = json!("{\"default_strategy\": {\"param\": 1}}");
                }
                if path.ends_with("/otel-collector-config") {
                    obj["data"]["relay"] = json!("receivers:\n  otlp: {protocols: {}}\n");
                }
            }
            let api = KubeApi::start(seed);
            let g = grafana();
            g.put_dashboard(
                DashboardSeed::new("tracing-overview", "Tracing overview (edited)")
                    .in_folder("tracing")
                    .version(4)
                    .model(json!({"schemaVersion": 39, "panels": []})),
            );
            g.put_dashboard(
                DashboardSeed::new("jaeger", "Jaeger (edited)")
                    .version(2)
                    .model(json!({"schemaVersion": 39, "panels": []})),
            );
            let a = strs(&[
                "maintain",
                "restore",
                backup.to_str().unwrap(),
                "--kubeconfig",
                &kc(&api),
                "--grafana-url",
                &g.url(),
            ]);
            rollback.extend(strs(&[
                "--kubeconfig",
                &kc(&api),
                "--grafana-url",
                &g.url(),
            ]));
            (kube, grafana_api) = (Some(api), Some(g));
            a
        }
        Cmd::Update => {
            let api = KubeApi::start(cluster_seed());
            let (hdir, path) = helm(&root, true);
            env.extend([
                ("PATH".into(), path),
                ("FAKE_HELM_DIR".into(), hdir.display().to_string()),
            ]);
            write(
                &root.join("deploy.yaml"),
                "namespace: monitoring\ncollector: {values: collector-values.yaml}\njaeger: {values: jaeger-values.yaml}\ntimeouts: {rollout: 20s}\n",
            );
            write(
                &root.join("collector-values.yaml"),
                "mode: deployment\nfullnameOverride: otel-collector\n",
            );
            write(&root.join("jaeger-values.yaml"), "query:\n  replicas: 3\n");
            let a = strs(&[
                "maintain",
                "update",
                "-f",
                root.join("deploy.yaml").to_str().unwrap(),
                "--collector-version",
                "0.109.0",
                "--jaeger-version",
                "3.4.1",
                "--kubeconfig",
                &kc(&api),
            ]);
            rollback.extend(strs(&["--kubeconfig", &kc(&api)]));
            kube = Some(api);
            helm_dir = Some(hdir);
            a
        }
        Cmd::Config | Cmd::MaintainRollback => {
            let api = KubeApi::start(cluster_seed());
            let cfg = root.join("otel/collector-config.yaml");
            write(&cfg, COLLECTOR_CONFIG);
            let sampling = root.join("otel/sampling.json");
            write(
                &sampling,
                r#"{"default_strategy": {"type": "probabilistic", "param": 0.05}}"#,
            );
            write(&root.join("alerts/rules.yaml"), RULES);
            let a = strs(&[
                "maintain",
                "config",
                "--collector-config",
                cfg.to_str().unwrap(),
                "--sampling",
                sampling.to_str().unwrap(),
                "--rules",
                root.join("alerts").to_str().unwrap(),
                "--kubeconfig",
                &kc(&api),
            ]);
            rollback.extend(strs(&["--kubeconfig", &kc(&api)]));
            kube = Some(api);
            a
        }
        Cmd::Storage => {
            let e = EsApi::start(es_indices());
            e.add_repository("backups", "fs", json!({"location": "/backups"}));
            let a = strs(&[
                "maintain",
                "storage",
                "--retention-days",
                "7",
                "--snapshot-repository",
                "backups",
                "--elasticsearch-url",
                &e.url(),
                "--at",
                "2026-11-25T12:00:00Z",
            ]);
            rollback.extend(strs(&["--elasticsearch-url", &e.url()]));
            es = Some(e);
            a
        }
        Cmd::Scale => {
            let api = KubeApi::start(cluster_seed());
            let a = strs(&[
                "maintain",
                "scale",
                "--workload",
                "deployment/otel-collector",
                "--replicas",
                "3",
                "--limits",
                "cpu=2,memory=4Gi",
                "--kubeconfig",
                &kc(&api),
            ]);
            rollback.extend(strs(&["--kubeconfig", &kc(&api)]));
            kube = Some(api);
            a
        }
        Cmd::Window => {
            let harness = AlertmanagerHarness::start().expect("start Alertmanager")?;
            let api = KubeApi::start(cluster_seed());
            let g = grafana();
            write(&root.join("window/window.yaml"), WINDOW);
            write(
                &root.join("window/sampling.json"),
                "{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.05}}\n",
            );
            let a = strs(&[
                "maintain",
                "window",
                root.join("window/window.yaml").to_str().unwrap(),
                "--kubeconfig",
                &kc(&api),
                "--grafana-url",
                &g.url(),
                "--alertmanager-url",
                &harness.url(),
            ]);
            rollback.extend(strs(&[
                "--kubeconfig",
                &kc(&api),
                "--grafana-url",
                &g.url(),
            ]));
            (kube, grafana_api, alertmanager) = (Some(api), Some(g), Some(harness));
            a
        }
        Cmd::DeployApply | Cmd::DeployRollback => {
            let d = crate::deploy::Env::new();
            cwd = d.root().to_path_buf();
            let (hdir, path) = helm(&cwd, false);
            env = crate::faults_mutating::env(&cwd);
            env.extend([
                ("PATH".into(), path),
                ("FAKE_HELM_DIR".into(), hdir.display().to_string()),
                ("TEST_ES_PW".into(), crate::deploy::PASSWORD.into()),
            ]);
            let u = d.backends.url();
            let a = strs(&[
                "deploy",
                "apply",
                "--kubeconfig",
                &d.k(),
                "--collector-otlp-url",
                &u,
                "--jaeger-url",
                &u,
            ]);
            rollback = strs(&["deploy", "rollback", "--kubeconfig", &d.k()]);
            helm_dir = Some(hdir);
            deploy = Some(d);
            a
        }
    };
    if !case.is_deploy() {
        common(&mut args);
        common(&mut rollback);
    } else {
        args.extend(strs(&["--timeout", "2s", "-o", "json"]));
        rollback.extend(strs(&["--timeout", "2s", "-o", "json"]));
    }
    args.extend(strs(&["--yes", "--rollback-on-failure"]));
    let mut stage = Stage {
        dir,
        cwd,
        args,
        env,
        rollback,
        kube,
        grafana: grafana_api,
        es,
        deploy,
        helm_dir,
        alertmanager,
        before: None,
        journal: None,
    };
    if case.is_rollback() {
        // The run the rollback undoes, healthy.
        stage.before = Some(stage.state(case));
        let run = stage.run(&stage.args);
        assert_eq!(
            run.code,
            Some(0),
            "{}: the run to undo: {}\n{}",
            case.label(),
            run.stdout,
            run.stderr
        );
        stage.journal = Some(journal_of(&run).expect("the run's journal"));
        let j = stage.journal.as_ref().unwrap().display().to_string();
        stage.args = stage.rollback.clone();
        stage.args.extend(strs(&["--journal", &j, "--yes"]));
        // The counters start from the rollback.
        if let Some(h) = &stage.helm_dir {
            let _ = std::fs::remove_file(h.join("writes"));
        }
        for t in [Target::Kube, Target::Grafana, Target::Es] {
            if let Some(m) = stage.midway(t) {
                m.reset();
            }
        }
    }
    Some(stage)
}
