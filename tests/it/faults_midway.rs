//! Every mutating command under every fault that strikes part way (issue 20): `deploy
//! apply|rollback` and `maintain backup|restore|update|config|storage|scale|window|rollback`,
//! each with the backend that takes its changes failing
//! ([`crate::support::midway`] on the Kubernetes, Grafana and Elasticsearch fixtures, the same
//! switches in `fixtures/fake-helm`). `faults_mutating.rs` is the other half: every way a backend
//! misbehaves, from the first request, for representative commands.
//!
//! The faults ([`Fault`]), each run with `--yes --rollback-on-failure`:
//! - **before the first change** (the backend down from the first request): exit 3, nothing
//!   changed, no journal;
//! - **after the first change** (the request after the first change fails, once): the run is
//!   rolled back, exit 3, the state equal to before;
//! - **the rollback failing too** (the backend down after the first change): exit 4, stderr names
//!   the journal; with the backend back, `rollback --journal` puts the state back as it was;
//! - **SIGTERM at each change** (the k-th change held until the process was sent SIGTERM, for
//!   every k a healthy run makes): the change under way finishes and is journaled, the run stops
//!   (exit 4, naming the journal, or 0 when that was the last change), and `rollback --journal`
//!   puts the state back.
//!
//! "The state" is what [`Stage::state`] reads: the fixtures' Kubernetes objects (without the
//! fields the server sets on every write: a deleted object put back has a new uid), Grafana's
//! dashboards, Elasticsearch's indices and templates, Helm's releases (chart and values; a
//! `helm rollback` is a new revision), and every file under the scratch directory but the
//! journals. What a command keeps by design is left out and named in [`Case::kept`]: a backup
//! directory, a snapshot (their inverse is `keep`). For the two rollbacks, "before" is the state
//! before the run they undo, and a fault in the rollback is undone by running it again (an undo
//! is not itself undone). Cells run [`PARALLEL`] at a time; the matrix is printed
//! (`--nocapture`) and README's fault matrix counts it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::faults_mutating::{
    NS, WINDOW, cluster_seed, copy_dir, env, es_indices, grafana, healthy_backup,
};
use crate::scenarios::write_kubeconfig;
use crate::support::es_api::EsApi;
use crate::support::grafana_api::{DashboardSeed, GrafanaApi};
use crate::support::kube_api::{KubeApi, strip_server_fields};
use crate::support::midway::{Midway, Strike};
use crate::support::prometheus::AlertmanagerHarness;

const PARALLEL: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmd {
    Backup,
    Restore,
    Update,
    Config,
    Storage,
    Scale,
    Window,
    DeployApply,
    MaintainRollback,
    DeployRollback,
}

/// Which backend takes the fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Kube,
    Grafana,
    Es,
    Helm,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Kube => "kubernetes",
            Target::Grafana => "grafana",
            Target::Es => "elasticsearch",
            Target::Helm => "helm",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Before,
    AfterFirst,
    RollbackFails,
    /// SIGTERM while the k-th change (1-based) is under way.
    Sigterm(usize),
}

impl Fault {
    fn name(self) -> String {
        match self {
            Fault::Before => "before the first change".into(),
            Fault::AfterFirst => "after the first change".into(),
            Fault::RollbackFails => "the rollback failing".into(),
            Fault::Sigterm(k) => format!("SIGTERM at change {k}"),
        }
    }

    fn strike(self) -> Strike {
        match self {
            Fault::Before => Strike::Down { after: 0 },
            Fault::AfterFirst => Strike::Blip { after: 1 },
            Fault::RollbackFails => Strike::Down { after: 1 },
            Fault::Sigterm(k) => Strike::Hold { at: k },
        }
    }
}

struct Case {
    cmd: Cmd,
    target: Target,
    /// Every change's inverse is `keep` (a backup, a snapshot): its rollback has nothing to do
    /// and cannot fail, so a fault after the first change ends in exit 3 too.
    all_kept: bool,
    /// What the command keeps by design, left out of the comparison.
    kept: &'static str,
}

const CASES: &[Case] = &[
    Case {
        cmd: Cmd::Backup,
        target: Target::Es,
        all_kept: true,
        kept: "the backup directory and the snapshot",
    },
    Case {
        cmd: Cmd::Restore,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Restore,
        target: Target::Grafana,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Update,
        target: Target::Helm,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Config,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Storage,
        target: Target::Es,
        all_kept: false,
        kept: "the snapshot",
    },
    Case {
        cmd: Cmd::Scale,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::Window,
        target: Target::Kube,
        all_kept: false,
        kept: "the backup directory, the silence and the annotation",
    },
    Case {
        cmd: Cmd::DeployApply,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::DeployApply,
        target: Target::Helm,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::MaintainRollback,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
    Case {
        cmd: Cmd::DeployRollback,
        target: Target::Kube,
        all_kept: false,
        kept: "",
    },
];

impl Case {
    fn label(&self) -> String {
        let cmd = match self.cmd {
            Cmd::Backup => "maintain backup",
            Cmd::Restore => "maintain restore",
            Cmd::Update => "maintain update",
            Cmd::Config => "maintain config",
            Cmd::Storage => "maintain storage",
            Cmd::Scale => "maintain scale",
            Cmd::Window => "maintain window",
            Cmd::DeployApply => "deploy apply",
            Cmd::MaintainRollback => "maintain rollback",
            Cmd::DeployRollback => "deploy rollback",
        };
        format!("{cmd} / {}", self.target.name())
    }

    fn is_rollback(&self) -> bool {
        matches!(self.cmd, Cmd::MaintainRollback | Cmd::DeployRollback)
    }

    fn is_deploy(&self) -> bool {
        matches!(self.cmd, Cmd::DeployApply | Cmd::DeployRollback)
    }
}

// ---------------------------------------------------------------------------
// Stages
// ---------------------------------------------------------------------------

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

/// One cell's world: the fixtures, the command, and what to compare.
struct Stage {
    dir: tempfile::TempDir,
    cwd: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// The rollback command's first words (`maintain rollback`, `deploy rollback`) and the
    /// flags it needs to reach the backends.
    rollback: Vec<String>,
    kube: Option<KubeApi>,
    grafana: Option<GrafanaApi>,
    es: Option<EsApi>,
    deploy: Option<crate::deploy::Env>,
    helm_dir: Option<PathBuf>,
    _alertmanager: Option<AlertmanagerHarness>,
    /// For the rollbacks: the state before the run they undo.
    before: Option<BTreeMap<String, Value>>,
    /// The journal the rollbacks undo.
    journal: Option<PathBuf>,
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The fake helm on PATH in `root/bin`, its state in `root/helm`, with `otel-collector`
/// (0.108.0) and `jaeger` (3.4.0) installed at revision 1.
fn helm(root: &Path, releases: bool) -> (PathBuf, String) {
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

fn stage(case: &Case) -> Option<Stage> {
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
        _alertmanager: alertmanager,
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

/// The `journal` field of a JSON result.
fn journal_of(run: &Run) -> Option<PathBuf> {
    let v: Value = serde_json::from_str(&run.stdout).ok()?;
    v["journal"].as_str().map(PathBuf::from)
}

/// Files under `root` (path → sha256), but the journals, fake-helm's bookkeeping and its fault
/// switches, and what `skip` names.
fn files(root: &Path, skip: &dyn Fn(&Path) -> bool, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if skip(&p) {
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            if !(name == "state" || p.ends_with("helm/releases") || p.ends_with("helm/repos")) {
                out.insert(format!("{}/", p.display()), String::new());
                files(&p, skip, out);
            } else if name != "state" {
                files(&p, skip, out);
            }
            continue;
        }
        let in_helm = p.parent().is_some_and(|d| d.ends_with("helm"));
        if in_helm
            && matches!(
                name.as_str(),
                "calls"
                    | "writes"
                    | "blipped"
                    | "holding"
                    | "down-after"
                    | "blip-after"
                    | "hold-at"
            )
        {
            continue;
        }
        // Helm's per-revision files: a rollback is a new revision.
        if p.parent()
            .and_then(Path::parent)
            .is_some_and(|d| d.ends_with("helm/releases"))
            && (name.starts_with("chart.")
                || name.starts_with("values.") && name != "values.json"
                || name == "revision")
        {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap_or_default();
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        out.insert(p.display().to_string(), hash);
    }
}

fn stripped(objects: BTreeMap<String, Value>) -> Value {
    json!(
        objects
            .into_iter()
            .map(|(k, v)| (k, strip_server_fields(&v)))
            .collect::<BTreeMap<_, _>>()
    )
}

impl Stage {
    fn state(&self, case: &Case) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        if let Some(k) = &self.kube {
            out.insert("kubernetes".into(), stripped(k.namespace_objects(NS)));
        }
        if let Some(d) = &self.deploy {
            // The charts' workloads are seeded (the fake helm makes none, and the rollout step
            // waits for them); a real `helm uninstall` takes them, a fake one leaves them, and
            // the Namespace's deletion takes them in the fixture: they are not compared.
            let mut objects = d.api.objects_under("/");
            objects.retain(|path, _| {
                !["/deployments/", "/pods/", "/services/"]
                    .iter()
                    .any(|w| path.contains(w))
            });
            out.insert("kubernetes".into(), stripped(objects));
        }
        if let Some(g) = &self.grafana {
            out.insert("grafana dashboards".into(), json!(g.dashboards()));
        }
        if let Some(es) = &self.es {
            let indices: BTreeMap<String, Value> = es
                .indices()
                .into_iter()
                .map(|i| (i.name.clone(), json!({"docs": i.docs, "closed": i.closed})))
                .collect();
            out.insert("elasticsearch indices".into(), json!(indices));
            out.insert(
                "elasticsearch templates".into(),
                json!(es.index_templates()),
            );
        }
        let backups = [
            self.dir.path().join("backup"),
            self.dir.path().join("window/backup"),
        ];
        let keep_backup = matches!(case.cmd, Cmd::Backup | Cmd::Window);
        let skip = |p: &Path| keep_backup && backups.iter().any(|b| p == b);
        let mut f = BTreeMap::new();
        files(self.dir.path(), &skip, &mut f);
        if self.cwd != self.dir.path() {
            files(&self.cwd, &skip, &mut f);
        }
        out.insert("files".into(), json!(f));
        out
    }

    fn midway(&self, target: Target) -> Option<&Midway> {
        match target {
            Target::Kube => self
                .kube
                .as_ref()
                .map(|k| &k.midway)
                .or(self.deploy.as_ref().map(|d| &d.api.midway)),
            Target::Grafana => self.grafana.as_ref().map(|g| &g.midway),
            Target::Es => self.es.as_ref().map(|e| &e.midway),
            Target::Helm => None,
        }
    }

    fn helm(&self) -> &Path {
        self.helm_dir.as_deref().expect("helm")
    }

    fn set(&self, target: Target, strike: Strike) {
        match target {
            Target::Helm => {
                let d = self.helm();
                for f in [
                    "down-after",
                    "blip-after",
                    "hold-at",
                    "blipped",
                    "holding",
                    "writes",
                ] {
                    let _ = std::fs::remove_file(d.join(f));
                }
                let (file, n) = match strike {
                    Strike::Down { after } => ("down-after", after),
                    Strike::Blip { after } => ("blip-after", after),
                    Strike::Hold { at } => ("hold-at", at),
                };
                std::fs::write(d.join(file), n.to_string()).unwrap();
            }
            t => self.midway(t).expect("the target's fixture").set(strike),
        }
    }

    fn heal(&self, target: Target) {
        match target {
            Target::Helm => {
                let d = self.helm();
                for f in ["down-after", "blip-after", "hold-at"] {
                    let _ = std::fs::remove_file(d.join(f));
                }
            }
            t => self.midway(t).unwrap().heal(),
        }
    }

    fn holding(&self, target: Target) -> bool {
        match target {
            Target::Helm => self.helm().join("holding").exists(),
            t => self.midway(t).unwrap().holding(),
        }
    }

    fn release(&self, target: Target) {
        match target {
            Target::Helm => {
                let _ = std::fs::remove_file(self.helm().join("hold-at"));
            }
            t => self.midway(t).unwrap().release(),
        }
    }

    fn writes(&self, target: Target) -> usize {
        match target {
            Target::Helm => std::fs::read_to_string(self.helm().join("writes"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0),
            t => self.midway(t).unwrap().writes(),
        }
    }

    fn spawn(&self, args: &[String]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_tracectl"))
            .args(args)
            .current_dir(&self.cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.cwd)
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tracectl")
    }

    fn run(&self, args: &[String]) -> Run {
        wait(self.spawn(args))
    }

    /// `rollback --journal J --yes`.
    fn rollback(&self, journal: &Path) -> Run {
        let mut a = self.rollback.clone();
        a.extend(strs(&["--journal", journal.to_str().unwrap(), "--yes"]));
        self.run(&a)
    }

    fn journals(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for dir in [&self.cwd, &self.dir.path().to_path_buf()] {
            let d = dir.join("state/tracectl/journal");
            if let Ok(r) = std::fs::read_dir(d) {
                out.extend(
                    r.flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "jsonl")),
                );
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Waits for `child`, killed after a minute (which fails the cell).
fn wait(mut child: Child) -> Run {
    let start = Instant::now();
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let o = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let e = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break child.wait().expect("reap");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&o.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&e.join().unwrap_or_default()).into_owned(),
    }
}

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

/// How many changes a healthy run makes on `case.target` (the SIGTERM cells, one per change).
/// The run must change what [`Stage::state`] reads, else "the state equal to before" would see
/// nothing; a healthy rollback must bring back the state before the run it undoes.
fn changes(case: &Case) -> Option<usize> {
    let stage = stage(case)?;
    let before = stage.state(case);
    let run = stage.run(&stage.args);
    assert_eq!(
        run.code,
        Some(0),
        "{}: healthy run: {}\n{}",
        case.label(),
        run.stdout,
        run.stderr
    );
    let after = stage.state(case);
    if let Some(original) = &stage.before {
        assert_ne!(
            &before,
            original,
            "{}: the run to undo changed nothing",
            case.label()
        );
        assert!(
            diff(original, &after).is_empty(),
            "{}: a healthy rollback: {:?}",
            case.label(),
            diff(original, &after)
        );
    } else if case.all_kept {
        // What it makes is kept, so left out of the state: the backup is there.
        assert!(
            stage.dir.path().join("backup/manifest.json").exists(),
            "{}: a healthy run wrote no backup",
            case.label()
        );
    } else {
        assert_ne!(
            before,
            after,
            "{}: a healthy run changed nothing",
            case.label()
        );
    }
    let n = stage.writes(case.target);
    assert!(n > 0, "{}: a healthy run made no change", case.label());
    Some(n)
}

/// What is wrong with a journal a SIGTERM left: an intent without its outcome (the change under
/// way must be finished and journaled), or an end other than `interrupted`.
fn journal_problems(path: &Path, rollback: bool) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let mut problems = Vec::new();
    let (open, close) = if rollback {
        ("undo_intent", ["undone", "undo_failed"])
    } else {
        ("intent", ["done", "failed"])
    };
    for l in lines.iter().filter(|l| l["type"] == open) {
        let seq = &l["seq"];
        let closed = lines
            .iter()
            .any(|m| close.contains(&m["type"].as_str().unwrap_or("")) && &m["seq"] == seq);
        if !closed {
            problems.push(format!("journal: {open} {seq} has no outcome line"));
        }
    }
    if !rollback && lines.last().map(|l| l["outcome"].clone()) != Some(json!("interrupted")) {
        problems.push(format!(
            "journal: the last line is not an interrupted end: {:?}",
            lines.last()
        ));
    }
    problems
}

struct Cell {
    case: usize,
    fault: Fault,
    problems: Vec<String>,
    /// What the cell ended with: `exit 3`, `exit 4 → rollback`.
    outcome: String,
}

fn diff(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (what, b) in before {
        let a = after.get(what).unwrap_or(&Value::Null);
        if a != b {
            out.push(format!(
                "{what} is not as before:\n      before: {b}\n      after:  {a}"
            ));
        }
    }
    out
}

fn run_cell(ci: usize, fault: Fault, changes: usize) -> Cell {
    let case = &CASES[ci];
    let mut problems = Vec::new();
    let cell = |problems: Vec<String>, outcome: String| Cell {
        case: ci,
        fault,
        problems,
        outcome,
    };
    let Some(stage) = stage(case) else {
        return cell(vec![], "skipped (no Alertmanager)".into());
    };
    let before = stage.before.clone().unwrap_or_else(|| stage.state(case));
    let journals_before = stage.journals();
    stage.set(case.target, fault.strike());
    let run = if let Fault::Sigterm(_) = fault {
        let child = stage.spawn(&stage.args);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !stage.holding(case.target) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if !stage.holding(case.target) {
            problems.push("the held change never arrived".into());
        }
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        // The signal is handled before the change is answered.
        std::thread::sleep(Duration::from_millis(200));
        stage.release(case.target);
        wait(child)
    } else {
        stage.run(&stage.args)
    };
    // Whether the fault struck at all: a command whose only change is its last request has no
    // "after the first change".
    let struck = match case.target {
        Target::Helm => true,
        t => stage.midway(t).is_some_and(|m| m.failed() > 0),
    };
    stage.heal(case.target);
    let code = run.code;
    if matches!(fault, Fault::AfterFirst | Fault::RollbackFails) && changes == 1 && !struck {
        if code != Some(0) {
            problems.push(format!(
                "exit {code:?}: no request after the only change, should be 0: {}",
                run.stderr.trim()
            ));
        }
        return cell(
            problems,
            "n/a: no request after its only change (exit 0)".into(),
        );
    }
    let stderr = run.stderr.trim().to_string();
    if stderr.contains("panicked") || code == Some(101) {
        problems.push(format!("panicked: {stderr}"));
    }
    let new_journals: Vec<PathBuf> = stage
        .journals()
        .into_iter()
        .filter(|j| !journals_before.contains(j))
        .collect();
    let journal = if case.is_rollback() {
        stage.journal.clone()
    } else {
        new_journals.first().cloned()
    };
    let names_journal = journal
        .as_ref()
        .is_some_and(|j| run.stderr.contains(&j.display().to_string()));
    let mut outcome = format!("exit {}", code.map_or("?".into(), |c| c.to_string()));
    // What the fault must end with, before any second rollback.
    let must_undo = match (fault, case.is_rollback()) {
        (Fault::Before, false) => {
            if code != Some(3) {
                problems.push(format!("exit {code:?}, should be 3: {stderr}"));
            }
            if !new_journals.is_empty() {
                problems.push(format!("a journal was written: {new_journals:?}"));
            }
            false
        }
        (Fault::AfterFirst, false) => {
            if code != Some(3) {
                problems.push(format!(
                    "exit {code:?}, should be 3 (rolled back): {stderr}"
                ));
            }
            false
        }
        (Fault::RollbackFails, false) if case.all_kept => {
            if code != Some(3) {
                problems.push(format!(
                    "exit {code:?}, should be 3 (nothing to undo): {stderr}"
                ));
            }
            false
        }
        (Fault::RollbackFails, false) | (Fault::AfterFirst | Fault::RollbackFails, true) => {
            if code != Some(4) {
                problems.push(format!("exit {code:?}, should be 4: {stderr}"));
            }
            if !names_journal {
                problems.push(format!("stderr does not name the journal: {stderr}"));
            }
            true
        }
        (Fault::Before, true) => {
            // A rollback that cannot reach its backend changed nothing: run it again.
            if !matches!(code, Some(3 | 4)) {
                problems.push(format!("exit {code:?}, should be 3 or 4: {stderr}"));
            }
            if code == Some(4) && !names_journal {
                problems.push(format!("stderr does not name the journal: {stderr}"));
            }
            true
        }
        (Fault::Sigterm(_), _) => {
            match code {
                Some(0) => {}
                Some(4) if names_journal && stderr.contains("interrupted") => {
                    problems.extend(journal_problems(journal.as_ref().unwrap(), false));
                }
                Some(4) if case.is_rollback() && names_journal => {
                    problems.extend(journal_problems(journal.as_ref().unwrap(), true));
                }
                _ => problems.push(format!(
                    "exit {code:?}, should be 4 naming the journal, or 0: {stderr}"
                )),
            }
            true
        }
    };
    if must_undo {
        match &journal {
            None => problems.push("no journal to roll back from".into()),
            Some(j) => {
                let back = stage.rollback(j);
                outcome.push_str(&format!(
                    " → rollback exit {}",
                    back.code.map_or("?".into(), |c| c.to_string())
                ));
                if back.code != Some(0) {
                    problems.push(format!(
                        "rollback --journal: exit {:?}: {}",
                        back.code,
                        back.stderr.trim()
                    ));
                }
            }
        }
    }
    let after = stage.state(case);
    // A finished rollback leaves the state before; so does a run that failed before a change.
    problems.extend(diff(&before, &after));
    if !problems.is_empty() {
        // The result's outcome and its failed actions, not the whole result.
        let v: Value = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
        let failed: Vec<String> = ["actions", "rollback"]
            .iter()
            .flat_map(|k| v[*k].as_array().cloned().unwrap_or_default())
            .filter(|a| a["status"] == "failed")
            .map(|a| format!("{}: {}", a["id"], a["error"]))
            .collect();
        problems.push(format!("outcome {}, failed {failed:?}", v["outcome"]));
    }
    cell(problems, outcome)
}

fn render(cells: &[Cell]) -> String {
    let mut out = String::new();
    for (i, case) in CASES.iter().enumerate() {
        let kept = if case.kept.is_empty() {
            String::new()
        } else {
            format!(" (kept by design: {})", case.kept)
        };
        out.push_str(&format!("{}{kept}\n", case.label()));
        let mut mine: Vec<&Cell> = cells.iter().filter(|c| c.case == i).collect();
        mine.sort_by_key(|c| match c.fault {
            Fault::Before => 0,
            Fault::AfterFirst => 1,
            Fault::RollbackFails => 2,
            Fault::Sigterm(k) => 2 + k,
        });
        for c in mine {
            let mark = if c.problems.is_empty() { "✓" } else { "✗" };
            out.push_str(&format!("  {mark} {:<26} {}\n", c.fault.name(), c.outcome));
            for p in &c.problems {
                out.push_str(&format!("      - {p}\n"));
            }
        }
    }
    let failed = cells.iter().filter(|c| !c.problems.is_empty()).count();
    out.push_str(&format!(
        "\n{} cells over {} commands × backends, {failed} failed\n",
        cells.len(),
        CASES.len()
    ));
    out
}

#[test]
fn every_mutating_command_under_every_midway_fault() {
    healthy_backup();
    let started = Instant::now();
    // The SIGTERM cells: one per change a healthy run makes.
    let counts: Vec<Option<usize>> = std::thread::scope(|s| {
        let hs: Vec<_> = CASES.iter().map(|c| s.spawn(move || changes(c))).collect();
        hs.into_iter().map(|h| h.join().expect("count")).collect()
    });
    let mut work = Vec::new();
    for (i, n) in counts.iter().enumerate() {
        let Some(n) = n else {
            eprintln!("{}: skipped, no Alertmanager", CASES[i].label());
            continue;
        };
        for f in [Fault::Before, Fault::AfterFirst, Fault::RollbackFails] {
            work.push((i, f, *n));
        }
        for k in 1..=*n {
            work.push((i, Fault::Sigterm(k), *n));
        }
    }
    let queue = Arc::new(Mutex::new(work));
    let cells = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..PARALLEL)
        .map(|_| {
            let (queue, cells) = (Arc::clone(&queue), Arc::clone(&cells));
            std::thread::spawn(move || {
                loop {
                    let Some((i, f, n)) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    let cell = run_cell(i, f, n);
                    cells.lock().unwrap().push(cell);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let cells = std::mem::take(&mut *cells.lock().unwrap());
    let mut text = render(&cells);
    text.push_str(&format!(
        "wall time {:.1}s, {PARALLEL} cells at a time\n",
        started.elapsed().as_secs_f64()
    ));
    println!("\n{text}");
    assert!(
        cells.iter().all(|c| c.problems.is_empty()),
        "midway fault matrix has failing cells:\n{text}"
    );
}
