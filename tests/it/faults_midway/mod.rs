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
//! Where the target's first write is no change with an undo (a window's Grafana annotation; a
//! backup's snapshot, kept by design), the last two may end in exit 3 instead, when the result
//! shows nothing to undo ([`nothing_to_undo`]); the state must still be as before. A command
//! whose only change is its last request (`maintain scale`) has no "after the first change":
//! those cells say n/a and want exit 0.
//!
//! "The state" is what [`Stage::state`] reads: the fixtures' Kubernetes objects (without the
//! fields the server sets on every write: a deleted object put back has a new uid), Grafana's
//! dashboards, Elasticsearch's indices and templates, Alertmanager's active silences (a
//! window's), Helm's releases (chart and values; a
//! `helm rollback` is a new revision), and every file under the scratch directory but the
//! journals. What a command keeps by design is left out and named in [`Case::kept`]: a window's
//! backup directory, a snapshot (their inverse is `keep`); a failed `maintain backup` must leave
//! no directory. For the two rollbacks, "before" is the state
//! before the run they undo, and a fault in the rollback is undone by running it again (an undo
//! is not itself undone). Cells run [`PARALLEL`] at a time; the matrix is printed
//! (`--nocapture`) and README's fault matrix counts it.

mod cases;
mod stages;
mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::faults_mutating::healthy_backup;

use cases::*;
use stages::*;
use world::*;

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

/// Whether a run's result (`-o json`) shows no change left to undo: no undo done or failed, and
/// every change done either undone or kept (its inverse is `keep`).
fn nothing_to_undo(stdout: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(stdout) else {
        return false;
    };
    let list = |k: &str| v[k].as_array().cloned().unwrap_or_default();
    let rollback = list("rollback");
    if rollback
        .iter()
        .any(|r| matches!(r["status"].as_str(), Some("undone" | "failed" | "not run")))
    {
        return false;
    }
    list("actions").iter().all(|a| {
        let changed = a["status"] == "done"
            && matches!(a["change"].as_str(), Some("create" | "update" | "delete"));
        !changed
            || rollback
                .iter()
                .any(|r| r["id"] == a["id"] && r["status"] == "kept")
    })
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
        // The fault struck before any change that has an undo was done (the target's first
        // write was not a journaled change: a window's annotation; or every change done is
        // kept by design: a backup's snapshot): nothing is left to undo, exit 3.
        (Fault::RollbackFails | Fault::Sigterm(_), false)
            if code == Some(3) && nothing_to_undo(&run.stdout) =>
        {
            outcome.push_str(" (nothing to undo)");
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
    let _one_matrix_at_a_time = crate::support::matrix_lock();
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
    let cells = crate::support::run_cells(work, PARALLEL, |(i, f, n)| run_cell(i, f, n));
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

/// Every subcommand of `deploy` and `maintain` that changes something has a row in [`CASES`]: one
/// added without a row fails here, naming it. Read-only ones are listed.
#[test]
fn every_mutating_subcommand_has_a_row() {
    const READ_ONLY: &[&str] = &[
        "deploy plan",
        "deploy verify",
        "maintain health",
        "maintain validate",
    ];
    let mut missing = Vec::new();
    for top in ["deploy", "maintain"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tracectl"))
            .args([top, "--help"])
            .env("NO_COLOR", "1")
            .output()
            .expect("tracectl --help");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let subs: Vec<String> = text
            .lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  ") || l.trim().is_empty())
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|c| c != "help")
            .collect();
        assert!(
            !subs.is_empty(),
            "no subcommands in `{top} --help`:\n{text}"
        );
        for s in subs {
            let name = format!("{top} {s}");
            let covered = CASES
                .iter()
                .any(|c| c.label().starts_with(&format!("{name} / ")));
            if !covered && !READ_ONLY.contains(&name.as_str()) {
                missing.push(name);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "mutating commands without a row in tests/it/faults_midway/cases.rs: {missing:?}"
    );
}
