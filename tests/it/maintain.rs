//! `tracectl maintain` end to end (issue 8): the real binary against stateful fixture Kubernetes
//! (`support/kube_api.rs`), Grafana (`support/grafana_api.rs`) and Elasticsearch
//! (`support/es_api.rs`) servers, so that a backup followed by a restore can be compared for
//! equality and a deletion is visible, a fake `helm` (`fixtures/fake-helm`), and a real
//! Alertmanager for the window's silence. One submodule per subcommand family; the shared
//! running and reading helpers are here.

mod backup; // backup → restore round trip, checksums, Secrets 0600
mod scale; // scale, config and update: diffs, patches, rollback
mod storage; // index retention over a month of indices, force-merge, template
mod window; // a whole window: health, backup, steps, validation, rollback, silence

use std::path::PathBuf;

use serde_json::Value;

use crate::support::report::{Run, tracectl};

/// A scratch directory for one test: `home/` (no user config), `state/` (journals), files.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        Scratch { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file under the scratch directory; its path.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        p
    }

    /// The journals written so far, oldest first.
    pub fn journals(&self) -> Vec<PathBuf> {
        let dir = self.path("state/tracectl/journal");
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|r| r.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.retain(|p| p.extension().is_some_and(|x| x == "jsonl"));
        v.sort();
        v
    }

    /// `tracectl maintain ARGS` with stdin not a terminal, journals under `state/`.
    pub fn maintain(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec!["maintain".to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        let state = self.path("state");
        let state = state.to_str().expect("utf-8 path");
        let mut envs = vec![("XDG_STATE_HOME", state)];
        envs.extend_from_slice(env);
        tracectl(&all, &envs, &self.path("home"))
    }
}

/// stdout as a `tracectl.maintain/v1` result (`-o json`).
pub fn result(run: &Run) -> Value {
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        )
    });
    assert_eq!(v["schema"], "tracectl.maintain/v1", "{}", run.stdout);
    v
}

/// stdout as a `tracectl.plan/v1` plan (`--dry-run -o json`).
pub fn plan(run: &Run) -> Value {
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        )
    });
    assert_eq!(v["schema"], "tracectl.plan/v1", "{}", run.stdout);
    v
}

/// The `id`s of a plan's or a result's actions, in order.
pub fn action_ids(v: &Value) -> Vec<String> {
    v["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect()
}
