//! Reading a stage (its state, its journals), striking its backend, running tracectl in it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::faults_mutating::NS;
use crate::support::kube_api::strip_server_fields;
use crate::support::midway::{Midway, Strike};

use super::cases::*;
use super::stages::*;

/// The `journal` field of a JSON result.
pub(super) fn journal_of(run: &Run) -> Option<PathBuf> {
    let v: Value = serde_json::from_str(&run.stdout).ok()?;
    v["journal"].as_str().map(PathBuf::from)
}

/// Files under `root` (path → sha256), but the journals, fake-helm's bookkeeping and its fault
/// switches, and what `skip` names.
pub(super) fn files(root: &Path, skip: &dyn Fn(&Path) -> bool, out: &mut BTreeMap<String, String>) {
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

pub(super) fn stripped(objects: BTreeMap<String, Value>) -> Value {
    json!(
        objects
            .into_iter()
            .map(|(k, v)| (k, strip_server_fields(&v)))
            .collect::<BTreeMap<_, _>>()
    )
}

impl Stage {
    pub(super) fn state(&self, case: &Case) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        if let Some(am) = &self.alertmanager {
            // A window's silence is expired when it ends, however it ends.
            out.insert(
                "alertmanager active silences".into(),
                json!(active_silences(&am.url())),
            );
        }
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
        // A window's backup is complete before its steps change anything: kept. A `maintain
        // backup` that failed must leave no directory (half a backup is not one); its snapshot,
        // not read here, is kept.
        let keep_backup = case.cmd == Cmd::Window;
        let skip = |p: &Path| keep_backup && backups.iter().any(|b| p == b);
        let mut f = BTreeMap::new();
        files(self.dir.path(), &skip, &mut f);
        if self.cwd != self.dir.path() {
            files(&self.cwd, &skip, &mut f);
        }
        out.insert("files".into(), json!(f));
        out
    }

    pub(super) fn midway(&self, target: Target) -> Option<&Midway> {
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

    pub(super) fn helm(&self) -> &Path {
        self.helm_dir.as_deref().expect("helm")
    }

    pub(super) fn set(&self, target: Target, strike: Strike) {
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

    pub(super) fn heal(&self, target: Target) {
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

    pub(super) fn holding(&self, target: Target) -> bool {
        match target {
            Target::Helm => self.helm().join("holding").exists(),
            t => self.midway(t).unwrap().holding(),
        }
    }

    pub(super) fn release(&self, target: Target) {
        match target {
            Target::Helm => {
                let _ = std::fs::remove_file(self.helm().join("hold-at"));
            }
            t => self.midway(t).unwrap().release(),
        }
    }

    pub(super) fn writes(&self, target: Target) -> usize {
        match target {
            Target::Helm => std::fs::read_to_string(self.helm().join("writes"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0),
            t => self.midway(t).unwrap().writes(),
        }
    }

    pub(super) fn spawn(&self, args: &[String]) -> Child {
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

    pub(super) fn run(&self, args: &[String]) -> Run {
        wait(self.spawn(args))
    }

    /// `rollback --journal J --yes`.
    pub(super) fn rollback(&self, journal: &Path) -> Run {
        let mut a = self.rollback.clone();
        a.extend(strs(&["--journal", journal.to_str().unwrap(), "--yes"]));
        self.run(&a)
    }

    pub(super) fn journals(&self) -> Vec<PathBuf> {
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

pub(super) struct Run {
    pub(super) code: Option<i32>,
    pub(super) stdout: String,
    pub(super) stderr: String,
}

/// Waits for `child`, killed after a minute (which fails the cell).
pub(super) fn wait(mut child: Child) -> Run {
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

/// The matchers of Alertmanager's active silences (`GET /api/v2/silences`).
fn active_silences(am: &str) -> Vec<Value> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let body = rt.block_on(async {
        crate::support::http_client()
            .get(format!("{am}/api/v2/silences"))
            .send()
            .await
            .expect("list silences")
            .text()
            .await
            .expect("silences body")
    });
    let all: Vec<Value> = serde_json::from_str(&body).expect("silences JSON");
    all.into_iter()
        .filter(|s| s["status"]["state"] == "active")
        .map(|s| s["matchers"].clone())
        .collect()
}
