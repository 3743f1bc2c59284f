//! `maintain backup` and `maintain restore DIR` end to end, against the stateful Kubernetes,
//! Grafana and Elasticsearch fixtures: a backup, then changes made behind tracectl's back (a
//! ConfigMap edited and another deleted, a Secret's key removed, a dashboard deleted and another
//! edited and moved), then a restore that must bring every ConfigMap, Secret and dashboard back
//! equal to what it was (server-set fields aside). Also: a backup with one byte changed is
//! refused before anything is written; a restore without `--yes` off a terminal changes nothing;
//! `--dry-run` shows the diffs and changes nothing; the snapshot is taken, waited for, named in
//! the manifest, and a deleted index comes back from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Scratch, action_ids, plan, result};
use crate::scenarios::write_kubeconfig;
use crate::support::es_api::{EsApi, IndexSeed};
use crate::support::grafana_api::{DashboardSeed, GrafanaApi};
use crate::support::http_client;
use crate::support::kube_api::{KubeApi, strip_server_fields};
use crate::support::report::Run;

const CM: &str = "/api/v1/namespaces/monitoring/configmaps";
const SECRETS: &str = "/api/v1/namespaces/monitoring/secrets";
/// `hunter2-es-password` and `elastic`, base64: must never be printed.
const PASSWORD_B64: &str = "aHVudGVyMi1lcy1wYXNzd29yZA==";
const USER_B64: &str = "ZWxhc3RpYw==";

fn configmap(name: &str, labels: Value, data: Value) -> (String, Value) {
    (
        format!("{CM}/{name}"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": name, "namespace": "monitoring", "labels": labels,
                            "annotations": {"owner": "observability"}},
               "data": data}),
    )
}

fn seed() -> Vec<(String, Value)> {
    vec![
        (
            "/api/v1/namespaces/monitoring".into(),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "monitoring"}}),
        ),
        configmap(
            "otel-collector-config",
            json!({"app": "tracing", "component": "collector"}),
            json!({"collector-config.yaml": "receivers:\n  otlp:\n    protocols:\n      grpc: {}\nexporters:\n  otlp/jaeger:\n    endpoint: jaeger-collector:4317\n"}),
        ),
        configmap(
            "sampling-config",
            json!({"app": "tracing"}),
            json!({"sampling.json": "{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.1}}"}),
        ),
        configmap(
            "jaeger-ui-config",
            json!({"app": "tracing"}),
            json!({"ui.json": "{\"dependencies\": {\"menuEnabled\": true}}"}),
        ),
        // Not labelled: not in the backup, and never touched by the restore.
        configmap("unrelated", json!({"app": "shop"}), json!({"k": "v"})),
        (
            format!("{SECRETS}/jaeger-es"),
            json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                   "metadata": {"name": "jaeger-es", "namespace": "monitoring",
                                "labels": {"app": "tracing"}},
                   "data": {"ES_PASSWORD": PASSWORD_B64, "ES_USERNAME": USER_B64}}),
        ),
    ]
}

fn dashboards() -> Vec<DashboardSeed> {
    vec![
        DashboardSeed::new("tracing-overview", "Tracing overview")
            .in_folder("tracing")
            .version(4)
            .model(json!({"schemaVersion": 39, "tags": ["tracing"],
                          "panels": [{"id": 1, "type": "timeseries", "title": "Spans received",
                                      "targets": [{"expr": "sum(rate(otelcol_receiver_accepted_spans[5m]))"}]},
                                     {"id": 2, "type": "stat", "title": "Dropped spans"}]})),
        DashboardSeed::new("collector", "Collector")
            .in_folder("tracing")
            .version(2)
            .model(json!({"schemaVersion": 39, "tags": [], "panels": [{"id": 1, "title": "Queue size"}]})),
        DashboardSeed::new("jaeger", "Jaeger").model(
            json!({"schemaVersion": 39, "tags": ["jaeger"], "panels": [{"id": 1, "title": "Query latency"}]}),
        ),
    ]
}

struct Env {
    s: Scratch,
    kube: KubeApi,
    grafana: GrafanaApi,
    kubeconfig: PathBuf,
}

impl Env {
    fn new() -> Env {
        let s = Scratch::new();
        let kube = KubeApi::start(seed());
        let grafana = GrafanaApi::start(vec![("tracing".into(), "Tracing".into())], dashboards());
        let kubeconfig = write_kubeconfig(s.dir.path(), &kube.url(), "monitoring");
        Env {
            s,
            kube,
            grafana,
            kubeconfig,
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let kc = self.kubeconfig.to_str().unwrap().to_string();
        let g = self.grafana.url();
        all.extend(["--kubeconfig", &kc, "--grafana-url", &g, "-n", "monitoring"]);
        self.s.maintain(&all, &[])
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.s.path(name)
    }

    fn backup(&self, name: &str) -> PathBuf {
        let dir = self.dir(name);
        let run = self.run(&[
            "backup",
            "--dir",
            dir.to_str().unwrap(),
            "--yes",
            "-o",
            "json",
        ]);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        dir
    }

    /// The labelled ConfigMaps and Secrets, and the unlabelled one, without server fields.
    fn objects(&self) -> BTreeMap<String, Value> {
        self.kube
            .namespace_objects("monitoring")
            .into_iter()
            .filter(|(k, _)| k.contains("/configmaps/") || k.contains("/secrets/"))
            .map(|(k, v)| (k, strip_server_fields(&v)))
            .collect()
    }

    /// UID → (model without id and version, folder UID).
    fn dashboards(&self) -> BTreeMap<String, (Value, Option<String>)> {
        self.grafana
            .dashboards()
            .into_iter()
            .map(|(uid, m)| {
                let folder = self.grafana.dashboard(&uid).unwrap().folder_uid;
                (uid, (m, folder))
            })
            .collect()
    }

    /// Behind tracectl's back: a ConfigMap edited and another deleted, a Secret's key removed,
    /// a dashboard deleted and another edited and moved to the root folder.
    fn change_everything(&self) {
        let path = format!("{CM}/otel-collector-config");
        let mut cm = self.kube.object(&path).unwrap();
        cm["data"]["collector-config.yaml"] = json!("receivers: {}\n");
        cm["metadata"]["labels"]["component"] = json!("edited");
        self.kube.set_object(&path, cm);
        assert!(self.kube.remove_object(&format!("{CM}/jaeger-ui-config")));
        let path = format!("{SECRETS}/jaeger-es");
        let mut secret = self.kube.object(&path).unwrap();
        secret["data"]
            .as_object_mut()
            .unwrap()
            .remove("ES_PASSWORD");
        self.kube.set_object(&path, secret);
        http_delete(&format!("{}/api/dashboards/uid/jaeger", self.grafana.url()));
        assert!(self.grafana.dashboard("jaeger").is_none());
        self.grafana.put_dashboard(
            DashboardSeed::new("tracing-overview", "Tracing overview (edited)")
                .version(9)
                .model(json!({"schemaVersion": 39, "tags": [], "panels": []})),
        );
    }
}

fn http_delete(url: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let resp = http_client().delete(url).send().await.expect("delete");
        assert!(
            resp.status().is_success(),
            "DELETE {url}: {}",
            resp.status()
        );
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest")).unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn action<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no action {id} in {v:#}"))
}

#[test]
fn backup_then_restore_brings_everything_back() {
    let e = Env::new();
    let objects_before = e.objects();
    let dashboards_before = e.dashboards();
    assert_eq!(dashboards_before.len(), 3);

    let dir = e.dir("backups/b1");
    let run = e.run(&[
        "backup",
        "--dir",
        dir.to_str().unwrap(),
        "--yes",
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let r = result(&run);
    assert_eq!(r["command"], "maintain backup");
    assert_eq!(r["outcome"], "succeeded");
    let write = action(&r, &format!("backup/{}", dir.display()));
    assert_eq!(write["status"], "done");
    assert_eq!(
        write["detail"],
        format!("3 ConfigMaps, 1 Secret, 3 dashboards → {}", dir.display())
    );
    // A backup writes nothing anywhere else.
    assert_eq!(e.kube.writes(), Vec::<String>::new());
    assert_eq!(e.grafana.writes(), Vec::<String>::new());
    assert!(!run.stdout.contains(PASSWORD_B64) && !run.stderr.contains(PASSWORD_B64));

    // The files, their modes and the manifest's checksums.
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("secrets.yaml")), 0o600);
    }
    let m = manifest(&dir);
    assert_eq!(m["schema"], "tracectl.backup/v1");
    assert_eq!(m["namespace"], "monitoring");
    assert_eq!(m["selector"], "app=tracing");
    assert_eq!(m["cluster"], e.kube.url().trim_end_matches('/'));
    assert!(m["created_at"].is_string());
    let files: BTreeMap<String, Value> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f.clone()))
        .collect();
    assert_eq!(
        files.keys().cloned().collect::<Vec<_>>(),
        [
            "configmaps.yaml",
            "dashboards/collector.json",
            "dashboards/jaeger.json",
            "dashboards/tracing-overview.json",
            "secrets.yaml"
        ]
    );
    for (path, f) in &files {
        let bytes = std::fs::read(dir.join(path)).unwrap();
        assert_eq!(f["sha256"], sha256_hex(&bytes), "{path}");
        assert_eq!(f["bytes"], bytes.len() as u64, "{path}");
    }
    assert_eq!(
        files["configmaps.yaml"]["holds"],
        json!({"kind": "config_maps", "names": ["jaeger-ui-config", "otel-collector-config", "sampling-config"]})
    );
    assert_eq!(
        files["secrets.yaml"]["holds"],
        json!({"kind": "secrets", "names": ["jaeger-es"]})
    );
    assert_eq!(
        files["dashboards/tracing-overview.json"]["holds"],
        json!({"kind": "dashboard", "uid": "tracing-overview", "title": "Tracing overview", "folder_uid": "tracing"})
    );
    let cms = std::fs::read_to_string(dir.join("configmaps.yaml")).unwrap();
    assert!(cms.contains("kind: List"), "{cms}");
    assert!(!cms.contains("unrelated"), "{cms}");
    assert!(
        !cms.contains("resourceVersion") && !cms.contains("uid:"),
        "{cms}"
    );
    let d: Value =
        serde_json::from_slice(&std::fs::read(dir.join("dashboards/collector.json")).unwrap())
            .unwrap();
    assert_eq!(d["folderUid"], "tracing");
    assert_eq!(d["dashboard"]["panels"][0]["title"], "Queue size");

    e.change_everything();
    assert_ne!(e.objects(), objects_before);
    assert_ne!(e.dashboards(), dashboards_before);
    let unrelated = e.kube.object(&format!("{CM}/unrelated")).unwrap();

    let run = e.run(&["restore", dir.to_str().unwrap(), "--yes", "-o", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let r = result(&run);
    assert_eq!(r["command"], "maintain restore");
    assert_eq!(r["outcome"], "succeeded");
    assert!(Path::new(r["journal"].as_str().unwrap()).exists(), "{r:#}");
    let status = |id: &str| action(&r, id)["status"].as_str().unwrap().to_string();
    assert_eq!(status("configmap/monitoring/otel-collector-config"), "done");
    assert_eq!(status("configmap/monitoring/jaeger-ui-config"), "done");
    assert_eq!(status("configmap/monitoring/sampling-config"), "unchanged");
    assert_eq!(status("secret/monitoring/jaeger-es"), "done");
    assert_eq!(status("dashboard/jaeger"), "done");
    assert_eq!(status("dashboard/tracing-overview"), "done");
    assert_eq!(status("dashboard/collector"), "unchanged");
    assert!(!run.stdout.contains(PASSWORD_B64) && !run.stderr.contains(PASSWORD_B64));

    assert_eq!(e.objects(), objects_before);
    assert_eq!(e.dashboards(), dashboards_before);
    assert_eq!(
        e.kube.object(&format!("{CM}/unrelated")).unwrap(),
        unrelated,
        "an object outside the selector is not touched"
    );
    // Dashboards went through the API with `overwrite`.
    let saves: Vec<Value> = e
        .grafana
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/dashboards/db")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(saves.len(), 2);
    assert!(saves.iter().all(|s| s["overwrite"] == true), "{saves:?}");

    // Everything is as in the backup now: a second restore plans no change.
    let run = e.run(&["restore", dir.to_str().unwrap(), "--dry-run", "-o", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let p = plan(&run);
    let changes: Vec<&Value> = p["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["change"] != "unchanged")
        .collect();
    assert!(changes.is_empty(), "{changes:#?}");
}

#[test]
fn a_changed_byte_refuses_the_whole_restore() {
    let e = Env::new();
    let dir = e.backup("b");
    e.change_everything();
    let (kube_writes, grafana_writes) = (e.kube.writes().len(), e.grafana.writes().len());

    // The last file the restore would use: a lazy check would have written the ConfigMaps.
    let file = dir.join("dashboards/tracing-overview.json");
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();

    let run = e.run(&["restore", dir.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("tracing-overview.json")
            && run
                .stderr
                .contains("the backup was changed or is incomplete: nothing was restored"),
        "{}",
        run.stderr
    );
    assert_eq!(e.kube.writes().len(), kube_writes, "{:?}", e.kube.writes());
    assert_eq!(e.grafana.writes().len(), grafana_writes);
    assert!(e.grafana.dashboard("jaeger").is_none());

    // Every file is checked, also one of a part the restore leaves out.
    let run = e.run(&[
        "restore",
        dir.to_str().unwrap(),
        "--skip-dashboards",
        "--yes",
    ]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("tracing-overview.json"),
        "{}",
        run.stderr
    );
    assert_eq!(e.kube.writes().len(), kube_writes, "{:?}", e.kube.writes());

    // A missing file is refused the same way, and so is a directory without a manifest.
    bytes[at] ^= 0x01;
    std::fs::write(&file, &bytes).unwrap();
    std::fs::remove_file(dir.join("secrets.yaml")).unwrap();
    let run = e.run(&["restore", dir.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("secrets.yaml"), "{}", run.stderr);
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    let run = e.run(&["restore", dir.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("manifest.json"), "{}", run.stderr);
    assert_eq!(e.kube.writes().len(), kube_writes);
    assert_eq!(e.grafana.writes().len(), grafana_writes);
}

#[test]
fn no_terminal_and_no_yes_changes_nothing() {
    let e = Env::new();
    let dir = e.backup("b");
    e.change_everything();
    let (objects, dashboards) = (e.objects(), e.dashboards());
    let (kube_writes, grafana_writes) = (e.kube.writes().len(), e.grafana.writes().len());
    let journals = e.s.journals();

    let run = e.run(&["restore", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(e.kube.writes().len(), kube_writes);
    assert_eq!(e.grafana.writes().len(), grafana_writes);
    assert_eq!(e.objects(), objects);
    assert_eq!(e.dashboards(), dashboards);
    assert_eq!(e.s.journals(), journals, "no journal is started");

    // The same for a backup: no directory is created.
    let b2 = e.dir("b2");
    let run = e.run(&["backup", "--dir", b2.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!b2.exists());
}

#[test]
fn dry_run_shows_the_diffs_and_changes_nothing() {
    let e = Env::new();
    let dir = e.backup("b");
    e.change_everything();
    let (objects, dashboards) = (e.objects(), e.dashboards());
    let (kube_writes, grafana_writes) = (e.kube.writes().len(), e.grafana.writes().len());

    let run = e.run(&["restore", dir.to_str().unwrap(), "--dry-run", "-o", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let p = plan(&run);
    assert_eq!(
        action_ids(&p),
        [
            "configmap/monitoring/jaeger-ui-config",
            "configmap/monitoring/otel-collector-config",
            "configmap/monitoring/sampling-config",
            "secret/monitoring/jaeger-es",
            "dashboard/collector",
            "dashboard/jaeger",
            "dashboard/tracing-overview",
        ]
    );
    let cm = action(&p, "configmap/monitoring/otel-collector-config");
    assert_eq!(cm["change"], "update");
    assert_eq!(cm["inverse"]["op"], "restore");
    assert_eq!(
        cm["diff"],
        json!(["data.collector-config.yaml", "metadata.labels.component"])
    );
    let created = action(&p, "configmap/monitoring/jaeger-ui-config");
    assert_eq!(created["change"], "create");
    assert_eq!(created["inverse"]["op"], "delete");
    let secret = action(&p, "secret/monitoring/jaeger-es");
    assert_eq!(secret["change"], "update");
    assert_eq!(secret["diff"], json!(["data.ES_PASSWORD"]));
    assert_eq!(secret["operation"]["op"], "restore_secret");
    assert_eq!(
        secret["operation"]["keys"],
        json!(["ES_PASSWORD", "ES_USERNAME"])
    );
    assert_eq!(secret["inverse"]["op"], "keep");
    let edited = action(&p, "dashboard/tracing-overview");
    assert_eq!(edited["change"], "update");
    assert_eq!(
        edited["inverse"],
        json!({"op": "restore_dashboard", "uid": "tracing-overview"})
    );
    let diff: Vec<&str> = edited["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(diff.contains(&"folder General → tracing"), "{diff:?}");
    assert!(diff.contains(&"title"), "{diff:?}");
    assert!(diff.contains(&"panels"), "{diff:?}");
    let deleted = action(&p, "dashboard/jaeger");
    assert_eq!(deleted["change"], "create");
    assert_eq!(
        deleted["inverse"],
        json!({"op": "delete_dashboard", "uid": "jaeger"})
    );
    assert_eq!(action(&p, "dashboard/collector")["change"], "unchanged");
    for v in [PASSWORD_B64, USER_B64, "hunter2"] {
        assert!(!run.stdout.contains(v), "{}", run.stdout);
    }

    // The table a human reads has the same diffs.
    let run = e.run(&["restore", dir.to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("~ data.collector-config.yaml"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("~ data.ES_PASSWORD"), "{}", run.stdout);
    assert!(run.stdout.contains("5 changes"), "{}", run.stdout);

    assert_eq!(e.kube.writes().len(), kube_writes);
    assert_eq!(e.grafana.writes().len(), grafana_writes);
    assert_eq!(e.objects(), objects);
    assert_eq!(e.dashboards(), dashboards);

    // A backup's dry run writes no directory either.
    let b2 = e.dir("b2");
    let run = e.run(&[
        "backup",
        "--dir",
        b2.to_str().unwrap(),
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let p = plan(&run);
    assert_eq!(
        p["actions"][0]["operation"]["contents"],
        json!([{"config_maps": 2}, {"secrets": 1}, {"dashboards": 2}])
    );
    assert!(!b2.exists());
}

fn day(d: &str) -> jiff::Timestamp {
    format!("{d}T00:00:00Z").parse().unwrap()
}

#[test]
fn the_snapshot_is_taken_and_a_deleted_index_comes_back_from_it() {
    let s = Scratch::new();
    let es = EsApi::start(vec![
        IndexSeed::new("jaeger-span-2026-11-24", 1200, 40_000, day("2026-11-24")),
        IndexSeed::new("jaeger-span-2026-11-25", 800, 30_000, day("2026-11-25")),
        IndexSeed::new("jaeger-service-2026-11-25", 12, 2_000, day("2026-11-25")),
        IndexSeed::new("shop-orders", 5, 1_000, day("2026-11-01")),
    ]);
    let url = es.url();
    // Only Elasticsearch: no cluster, no Grafana, and the plan says so.
    let run_es = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--elasticsearch-url", &url, "-n", "monitoring"]);
        s.maintain(&all, &[])
    };
    let dir = s.path("b");
    let d = dir.to_str().unwrap();

    // An unregistered repository is refused at plan time, with what to do.
    let run = run_es(&[
        "backup",
        "--dir",
        d,
        "--snapshot-repository",
        "backups",
        "--yes",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("register"), "{}", run.stderr);
    assert!(!dir.exists());

    es.add_repository("backups", "fs", json!({"location": "/snapshots"}));
    let run = run_es(&[
        "backup",
        "--dir",
        d,
        "--snapshot-repository",
        "backups",
        "--yes",
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let r = result(&run);
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("ConfigMaps and Secrets are left out"),
        "{notes}"
    );
    assert!(notes.contains("dashboards are left out"), "{notes}");
    let snaps = es.snapshots("backups");
    assert_eq!(snaps.len(), 1, "{snaps:?}");
    let name = &snaps[0];
    assert!(name.starts_with("tracectl-"), "{name}");
    let ids = action_ids(&r);
    assert_eq!(
        ids[0],
        format!("snapshot/backups/{name}"),
        "the snapshot comes first"
    );
    assert_eq!(action(&r, &ids[0])["status"], "done");
    // Waited for: the request asked for it.
    let put = es
        .requests()
        .into_iter()
        .find(|q| q.method == "PUT" && q.path == format!("/_snapshot/backups/{name}"))
        .expect("the snapshot request");
    assert!(
        put.query.contains("wait_for_completion=true"),
        "{}",
        put.query
    );
    let mut held: Vec<String> = es
        .snapshot("backups", name)
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    held.sort();
    assert_eq!(
        held,
        [
            "jaeger-service-2026-11-25",
            "jaeger-span-2026-11-24",
            "jaeger-span-2026-11-25"
        ]
    );
    let m = manifest(&dir);
    assert_eq!(m["snapshot"]["repository"], "backups");
    assert_eq!(m["snapshot"]["snapshot"], name.as_str());
    assert_eq!(m["snapshot"]["indices"], json!(["jaeger-*"]));
    assert_eq!(m["files"], json!([]));

    // The index is lost; the restore brings back that one only.
    http_delete(&format!("{url}/jaeger-span-2026-11-24"));
    assert!(es.index("jaeger-span-2026-11-24").is_none());
    let run = run_es(&["restore", d, "--dry-run", "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let p = plan(&run);
    let a = action(&p, &format!("restore-snapshot/backups/{name}"));
    assert_eq!(a["change"], "create");
    assert_eq!(a["operation"]["indices"], json!(["jaeger-span-2026-11-24"]));
    assert!(
        p["notes"]
            .to_string()
            .contains("refuses to restore over an open index"),
        "{:#}",
        p["notes"]
    );

    let run = run_es(&["restore", d, "--yes", "-o", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let back = es.index("jaeger-span-2026-11-24").expect("restored");
    assert_eq!(back.docs, 1200);
    let restore: Vec<Value> = es
        .requests()
        .into_iter()
        .filter(|q| q.method == "POST" && q.path.ends_with("/_restore"))
        .map(|q| serde_json::from_slice(&q.body).unwrap())
        .collect();
    assert_eq!(restore.len(), 1);
    assert_eq!(restore[0]["indices"], json!(["jaeger-span-2026-11-24"]));
    assert!(es.index("shop-orders").is_some());

    // Nothing is missing now: nothing to restore.
    let run = run_es(&["restore", d, "--dry-run", "-o", "json"]);
    assert_eq!(plan(&run)["actions"][0]["change"], "unchanged");
}

#[test]
fn a_restore_is_rolled_back_to_what_it_replaced() {
    let e = Env::new();
    let dir = e.backup("b");
    e.change_everything();
    let objects_changed = e.objects();
    let dashboards_changed = e.dashboards();
    let run = e.run(&["restore", dir.to_str().unwrap(), "--yes", "-o", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let journal = result(&run)["journal"].as_str().unwrap().to_string();
    let restored_secret = e.kube.object(&format!("{SECRETS}/jaeger-es")).unwrap();
    assert_ne!(e.dashboards(), dashboards_changed);

    let run = e.run(&["rollback", "--journal", &journal, "--yes", "-o", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let r = result(&run);
    assert_eq!(r["outcome"], "rolled_back");
    let undo = |id: &str| action(&json!({"actions": r["rollback"].clone()}), id)["status"].clone();
    assert_eq!(undo("dashboard/tracing-overview"), "undone");
    assert_eq!(undo("dashboard/jaeger"), "undone");
    assert_eq!(undo("secret/monitoring/jaeger-es"), "kept");

    // Dashboards and ConfigMaps are as the restore found them; the Secret keeps the restored
    // values, as the plan said (its old ones are kept nowhere).
    assert_eq!(e.dashboards(), dashboards_changed);
    assert!(e.grafana.dashboard("jaeger").is_none());
    let mut objects = e.objects();
    let secret = format!("{SECRETS}/jaeger-es");
    assert_eq!(
        objects.remove(&secret).unwrap(),
        strip_server_fields(&restored_secret)
    );
    let mut expected = objects_changed;
    expected.remove(&secret);
    assert_eq!(objects, expected);

    // Undone actions are not undone twice.
    let run = e.run(&["rollback", "--journal", &journal, "--yes", "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(e.dashboards(), dashboards_changed);
}

/// Drift fix (issue 16): `-o junit` printed a maintenance plan or result as a table, without a
/// word. It is refused now, with exit 2, before a request or a journal; nothing on stdout.
#[test]
fn junit_is_refused_for_plans_and_results_before_anything_is_read() {
    let env = Env::new();
    let dir = env.dir("refused");
    let d = dir.to_str().unwrap();
    for args in [
        &["backup", "--dir", d, "--yes"][..],
        &["backup", "--dir", d, "--dry-run"],
        &["restore", d, "--yes"],
        &[
            "scale",
            "--workload",
            "deployment/jaeger",
            "--replicas",
            "2",
            "--yes",
        ],
        &["storage", "--dry-run"],
    ] {
        let mut all = args.to_vec();
        all.extend(["-o", "junit"]);
        let run = env.run(&all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.starts_with(&format!(
                "error: maintain {} prints a plan and its result, which have no JUnit form",
                args[0]
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("hint: use -o table"), "{}", run.stderr);
    }
    assert!(env.kube.requests().is_empty(), "no Kubernetes request");
    assert!(env.grafana.requests().is_empty(), "no Grafana request");
    assert!(!dir.exists());
    assert!(env.s.journals().is_empty());
}
