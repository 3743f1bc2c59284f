//! The journal: a JSON-lines file that records every change a mutation makes, so that `rollback`
//! can undo exactly that, even after a crash or a kill.
//!
//! Before an action runs, an `intent` line (the whole [`PlannedAction`], with its inverse and the
//! backup of what it replaces) is written and flushed to disk (`fsync`); after it, `done` (what it
//! did: uid, revision before and after) or `failed`. A rollback appends `undo_intent`, then
//! `undone` or `undo_failed`, to the same file, so running it twice never undoes twice and an
//! interrupted rollback resumes. The file is created `0600` (a backup may hold a ConfigMap's
//! contents) in a `0700` directory; Secrets' values are never in it.
//!
//! Default place: `$XDG_STATE_HOME/tracectl/journal/<UTC time>.jsonl` (`~/.local/state` when
//! unset). [`pending_undos`] is the pure heart of rollback: which actions, in which order, with
//! what certainty. Not here: running the undos (`runner.rs`). Tests: below.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{ActionResult, PlannedAction};

pub const SCHEMA: &str = "tracectl.journal/v1";

/// Where the default journal directory lives; read here only (the XDG base-directory spec).
pub use crate::env_vars::XDG_STATE_HOME;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("journal {path}, line {line}: not a journal entry: {source}")]
    Parse {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("journal {path}: no begin line with schema {SCHEMA}")]
    NotAJournal { path: PathBuf },
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    Begin {
        schema: String,
        at: Timestamp,
        command: String,
        namespace: String,
        /// The cluster URL: a rollback refuses to run against another cluster.
        cluster: Option<String>,
        kube_context: Option<String>,
        tracectl_version: String,
    },
    Intent {
        seq: u64,
        at: Timestamp,
        action: Box<PlannedAction>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backup: Option<serde_json::Value>,
    },
    Done {
        seq: u64,
        at: Timestamp,
        result: ActionResult,
    },
    Failed {
        seq: u64,
        at: Timestamp,
        error: String,
    },
    End {
        at: Timestamp,
        /// `succeeded`, `failed`, `interrupted`.
        outcome: String,
    },
    UndoIntent {
        seq: u64,
        at: Timestamp,
    },
    Undone {
        seq: u64,
        at: Timestamp,
        detail: String,
    },
    UndoFailed {
        seq: u64,
        at: Timestamp,
        error: String,
    },
}

/// An open journal, appended to line by line.
pub struct Journal {
    path: PathBuf,
    /// `None`: a run with nothing to change keeps no journal (see [`Journal::disabled`]).
    file: Option<File>,
    next_seq: u64,
}

impl Journal {
    /// A new journal at `path` (which must not exist), its directory created `0700`.
    pub fn create(path: &Path) -> Result<Journal, JournalError> {
        let io = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io)?;
        }
        let file = private_options().create_new(true).open(path).map_err(io)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file: Some(file),
            next_seq: 1,
        })
    }

    /// A journal that writes nothing: for a run whose plan changes nothing (only checks), so that
    /// `rollback` without `--journal` still finds the last run that did change something.
    pub fn disabled() -> Journal {
        Journal {
            path: PathBuf::new(),
            file: None,
            next_seq: 1,
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.file.is_some()
    }

    /// Open an existing journal to append a rollback to it; its entries as read.
    pub fn open(path: &Path) -> Result<(Journal, Vec<Entry>), JournalError> {
        let entries = read(path)?;
        let file = private_options()
            .open(path)
            .map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        let next_seq = entries.iter().filter_map(seq_of).max().unwrap_or(0) + 1;
        Ok((
            Journal {
                path: path.to_path_buf(),
                file: Some(file),
                next_seq,
            },
            entries,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sequence number for the next action.
    pub fn next_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    /// Append one line and flush it to disk before returning: an intent must be durable before
    /// the action it announces starts.
    pub fn write(&mut self, entry: &Entry) -> Result<(), JournalError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(entry).map_err(|e| io(std::io::Error::other(e)))?;
        line.push(b'\n');
        file.write_all(&line).map_err(io)?;
        file.sync_data().map_err(io)
    }
}

fn private_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// `dir` and its missing parents, the last one `0700`.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

fn seq_of(e: &Entry) -> Option<u64> {
    match e {
        Entry::Intent { seq, .. }
        | Entry::Done { seq, .. }
        | Entry::Failed { seq, .. }
        | Entry::UndoIntent { seq, .. }
        | Entry::Undone { seq, .. }
        | Entry::UndoFailed { seq, .. } => Some(*seq),
        _ => None,
    }
}

/// Every entry of a journal. A last line cut short (the process died while writing it) is
/// dropped: its action had not started, since an intent is flushed before the action runs.
pub fn read(path: &Path) -> Result<Vec<Entry>, JournalError> {
    let file = File::open(path).map_err(|source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let lines: Vec<String> = BufReader::new(file)
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Entry>(line) {
            Ok(e) => out.push(e),
            Err(e) if Some(i) == last && e.is_eof() => {
                tracing::warn!(journal = %path.display(), "ignoring a last line cut short");
            }
            Err(source) => {
                return Err(JournalError::Parse {
                    path: path.to_path_buf(),
                    line: i + 1,
                    source,
                });
            }
        }
    }
    match out.first() {
        Some(Entry::Begin { schema, .. }) if schema == SCHEMA => Ok(out),
        _ => Err(JournalError::NotAJournal {
            path: path.to_path_buf(),
        }),
    }
}

/// `$XDG_STATE_HOME/tracectl/journal`, else `~/.local/state/tracectl/journal`.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os(XDG_STATE_HOME)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("tracectl").join("journal"))
}

/// `dir/<UTC time>-<command>.jsonl`: names sort in time order.
pub fn new_path(dir: &Path, now: Timestamp, command: &str) -> PathBuf {
    let stamp = now.strftime("%Y%m%dT%H%M%S%.3fZ").to_string();
    dir.join(format!("{stamp}-{command}.jsonl"))
}

/// The newest journal of `command` (`deploy`, `maintain`) in `dir` (by name, which is by time),
/// if any: a `deploy rollback` never picks up a maintenance window's journal.
pub fn latest(dir: &Path, command: &str) -> Option<PathBuf> {
    let exact = format!("-{command}.jsonl");
    let sub = format!("-{command}-");
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(&exact) || n.contains(&sub))
        })
        .collect();
    names.sort();
    names.pop()
}

/// How sure the journal is that an action changed something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// `done`: it did.
    Done,
    /// `failed`: it said it failed, but may have changed something first (a Helm upgrade that
    /// failed after writing its revision).
    Failed,
    /// An intent with no outcome: the process died or was killed during the action.
    Unknown,
}

/// One action to undo, with all the journal knows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    pub seq: u64,
    pub action: PlannedAction,
    pub backup: Option<serde_json::Value>,
    pub result: Option<ActionResult>,
    pub certainty: Certainty,
    /// An earlier rollback started undoing it (and failed, or was stopped): what it did is not
    /// known, so the executor looks first.
    pub tried: bool,
}

/// What a rollback must undo, newest first: every action with an inverse that was started and not
/// already undone (an `undo_failed` one is tried again). Unchanged actions and checks have no
/// inverse and are left out. Where the outcome is not known for sure ([`Certainty`]), the
/// executor looks before undoing.
pub fn pending_undos(entries: &[Entry]) -> Vec<Undo> {
    let mut by_seq: BTreeMap<u64, Undo> = BTreeMap::new();
    let mut undone = std::collections::BTreeSet::new();
    for e in entries {
        match e {
            Entry::Intent {
                seq,
                action,
                backup,
                ..
            } => {
                by_seq.insert(
                    *seq,
                    Undo {
                        seq: *seq,
                        action: (**action).clone(),
                        backup: backup.clone(),
                        result: None,
                        certainty: Certainty::Unknown,
                        tried: false,
                    },
                );
            }
            Entry::Done { seq, result, .. } => {
                if let Some(u) = by_seq.get_mut(seq) {
                    u.result = Some(result.clone());
                    u.certainty = Certainty::Done;
                }
            }
            Entry::Failed { seq, .. } => {
                if let Some(u) = by_seq.get_mut(seq) {
                    u.certainty = Certainty::Failed;
                }
            }
            Entry::UndoIntent { seq, .. } => {
                if let Some(u) = by_seq.get_mut(seq) {
                    u.tried = true;
                }
            }
            Entry::Undone { seq, .. } => {
                undone.insert(*seq);
            }
            Entry::UndoFailed { seq, .. } => {
                undone.remove(seq);
            }
            _ => {}
        }
    }
    by_seq
        .into_values()
        .rev()
        .filter(|u| u.action.inverse.is_some() && !undone.contains(&u.seq))
        .collect()
}

/// The `begin` line's fields, for messages and the cluster check.
pub fn begin_of(entries: &[Entry]) -> Option<(&str, Option<&str>, Option<&str>)> {
    entries.iter().find_map(|e| match e {
        Entry::Begin {
            namespace,
            cluster,
            kube_context,
            ..
        } => Some((
            namespace.as_str(),
            cluster.as_deref(),
            kube_context.as_deref(),
        )),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::tests::{action, config_map};
    use crate::mutation::{Change, Inverse};

    fn t() -> Timestamp {
        "2026-11-25T10:00:00Z".parse().unwrap()
    }

    fn begin() -> Entry {
        Entry::Begin {
            schema: SCHEMA.into(),
            at: t(),
            command: "deploy apply".into(),
            namespace: "monitoring".into(),
            cluster: Some("https://k8s.example:6443/".into()),
            kube_context: None,
            tracectl_version: "0.1.0".into(),
        }
    }

    fn intent(seq: u64, id: &str, inverse: bool) -> Entry {
        Entry::Intent {
            seq,
            at: t(),
            action: Box::new(action(
                id,
                Change::Create,
                inverse.then(|| Inverse::Delete {
                    object: config_map(id),
                }),
            )),
            backup: None,
        }
    }

    fn done(seq: u64) -> Entry {
        Entry::Done {
            seq,
            at: t(),
            result: ActionResult {
                detail: "created".into(),
                uid: Some(format!("uid-{seq}")),
                ..Default::default()
            },
        }
    }

    #[test]
    fn undos_are_newest_first_with_their_certainty() {
        let entries = vec![
            begin(),
            intent(1, "ns", true),
            done(1),
            intent(2, "check", false),
            done(2),
            intent(3, "cm", true),
            done(3),
            intent(4, "helm", true),
            Entry::Failed {
                seq: 4,
                at: t(),
                error: "boom".into(),
            },
            intent(5, "killed", true),
        ];
        let u = pending_undos(&entries);
        let seqs: Vec<(u64, Certainty)> = u.iter().map(|u| (u.seq, u.certainty)).collect();
        assert_eq!(
            seqs,
            [
                (5, Certainty::Unknown),
                (4, Certainty::Failed),
                (3, Certainty::Done),
                (1, Certainty::Done)
            ]
        );
        assert_eq!(u[2].result.as_ref().unwrap().uid.as_deref(), Some("uid-3"));
    }

    #[test]
    fn an_undone_action_is_not_undone_again_but_a_failed_undo_is_retried() {
        let mut entries = vec![
            begin(),
            intent(1, "a", true),
            done(1),
            intent(2, "b", true),
            done(2),
        ];
        entries.push(Entry::UndoIntent { seq: 2, at: t() });
        entries.push(Entry::Undone {
            seq: 2,
            at: t(),
            detail: "deleted".into(),
        });
        entries.push(Entry::UndoIntent { seq: 1, at: t() });
        entries.push(Entry::UndoFailed {
            seq: 1,
            at: t(),
            error: "forbidden".into(),
        });
        let left = pending_undos(&entries);
        let seqs: Vec<(u64, bool)> = left.iter().map(|u| (u.seq, u.tried)).collect();
        assert_eq!(seqs, [(1, true)], "tried once: look before trying again");
    }

    #[test]
    fn written_private_durable_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = new_path(&dir.path().join("state/journal"), t(), "deploy");
        assert!(
            path.ends_with("state/journal/20261125T100000.000Z-deploy.jsonl"),
            "{path:?}"
        );
        let mut j = Journal::create(&path).unwrap();
        j.write(&begin()).unwrap();
        let seq = j.next_seq();
        j.write(&intent(seq, "cm", true)).unwrap();
        j.write(&done(seq)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dmode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dmode & 0o777, 0o700);
        }
        assert!(Journal::create(&path).is_err(), "never overwrites");
        let (mut j2, entries) = Journal::open(&path).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(j2.next_seq(), 2);
        let dir = path.parent().unwrap();
        assert_eq!(latest(dir, "deploy"), Some(path.clone()));
        // A newer maintenance journal is not a deploy's.
        let m = dir.join("20261126T100000.000Z-maintain-storage.jsonl");
        std::fs::write(&m, "").unwrap();
        assert_eq!(latest(dir, "deploy"), Some(path.clone()));
        assert_eq!(latest(dir, "maintain"), Some(m));
        assert_eq!(begin_of(&entries).unwrap().0, "monitoring");
    }

    #[test]
    fn a_torn_last_line_is_dropped_but_garbage_elsewhere_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut text = String::new();
        for e in [begin(), intent(1, "cm", true)] {
            text.push_str(&serde_json::to_string(&e).unwrap());
            text.push('\n');
        }
        std::fs::write(&path, format!("{text}{{\"type\":\"done\",\"seq\":1,")).unwrap();
        let entries = read(&path).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(pending_undos(&entries)[0].certainty, Certainty::Unknown);

        std::fs::write(&path, format!("{text}not json\n{text}")).unwrap();
        assert!(matches!(
            read(&path),
            Err(JournalError::Parse { line: 3, .. })
        ));
        std::fs::write(
            &path,
            "{\"type\":\"end\",\"at\":\"2026-11-25T10:00:00Z\",\"outcome\":\"x\"}\n",
        )
        .unwrap();
        assert!(matches!(read(&path), Err(JournalError::NotAJournal { .. })));
    }
}
