//! Applying `maintain backup`'s actions: the snapshot, created and waited for (a failed or
//! partial one fails the action), and the directory (`write.rs`). Tests:
//! `tests/it/maintain/backup.rs`.

use super::{SNAPSHOT_POLL_LIMIT, plural, write_backup};
use crate::backends::elasticsearch::{SnapshotInfo, SnapshotStarted, SnapshotState};
use crate::error::UsageError;
use crate::mutation::exec::Exec;
use crate::mutation::runner::ActionError;
use crate::mutation::{ActionResult, Operation, PlannedAction};
use crate::transport::BackendError;
use anyhow::Result;
use std::time::Duration;

/// A backend's error as an action's (restore's too): its one line and its hint.
pub(crate) fn backend_err(e: BackendError) -> ActionError {
    ActionError::with_hint(e.one_line(), e.hint())
}

/// A usage error met while an action runs (a client the plan did not need, a file that changed):
/// its message (restore's too).
pub(crate) fn usage_err(e: UsageError) -> ActionError {
    ActionError::new(e.message)
}

pub async fn apply(x: &Exec<'_>, action: &PlannedAction) -> Result<ActionResult, ActionError> {
    match &action.operation {
        Operation::CreateSnapshot {
            repository,
            snapshot,
            indices,
        } => create_snapshot(x, repository, snapshot, indices).await,
        Operation::WriteBackup {
            dir,
            label_selector,
            contents,
        } => write_backup(x, dir, label_selector, contents).await,
        other => Err(ActionError::new(format!(
            "{}: not a backup action ({other:?})",
            action.summary
        ))),
    }
}

/// Why a finished snapshot is not a backup, if it is not: anything but `SUCCESS`.
pub fn snapshot_failure(info: &SnapshotInfo) -> Option<String> {
    let state = match &info.state {
        SnapshotState::Success => return None,
        SnapshotState::Partial => "PARTIAL".to_string(),
        SnapshotState::Failed => "FAILED".to_string(),
        SnapshotState::InProgress => "IN_PROGRESS".to_string(),
        SnapshotState::Incompatible => "INCOMPATIBLE".to_string(),
        SnapshotState::Unknown(s) => s.clone(),
    };
    let mut msg = format!(
        "snapshot {} ended {state}: {} of {} shards failed",
        info.snapshot, info.shards.failed, info.shards.total
    );
    if !info.failures.is_empty() {
        let shown: Vec<&str> = info.failures.iter().take(5).map(String::as_str).collect();
        msg.push_str(&format!(" ({})", shown.join("; ")));
        if info.failures.len() > 5 {
            msg.push_str(&format!(" and {} more", info.failures.len() - 5));
        }
    }
    Some(msg)
}

pub(super) async fn create_snapshot(
    x: &Exec<'_>,
    repository: &str,
    snapshot: &str,
    indices: &[String],
) -> Result<ActionResult, ActionError> {
    let es = x.elasticsearch("a snapshot").map_err(usage_err)?;
    if es
        .get_snapshot(repository, snapshot)
        .await
        .map_err(backend_err)?
        .is_some()
    {
        return Err(ActionError::with_hint(
            format!("snapshot {repository}/{snapshot} exists already (taken since the plan)"),
            "run the backup again: the next one is named after its own start time",
        ));
    }
    x.progress.note(&format!(
        "snapshot {repository}/{snapshot}: started, waiting"
    ));
    let info = match es
        .create_snapshot(repository, snapshot, indices, true)
        .await
        .map_err(backend_err)?
    {
        SnapshotStarted::Completed(info) => *info,
        // Some versions (and proxies that cut long requests) answer before the end: poll.
        SnapshotStarted::Accepted => poll_snapshot(x, repository, snapshot).await?,
    };
    if let Some(why) = snapshot_failure(&info) {
        return Err(ActionError::with_hint(
            why,
            format!(
                "see GET _snapshot/{repository}/{snapshot}; delete it (DELETE _snapshot/{repository}/{snapshot}) and run the backup again once the cause is fixed"
            ),
        ));
    }
    Ok(ActionResult::detail(format!(
        "snapshot {repository}/{snapshot}: SUCCESS, {}, {} shards",
        plural(info.indices.len(), "index", "indices"),
        info.shards.total
    )))
}

pub(super) async fn poll_snapshot(
    x: &Exec<'_>,
    repository: &str,
    snapshot: &str,
) -> Result<SnapshotInfo, ActionError> {
    let es = x.elasticsearch("a snapshot").map_err(usage_err)?;
    let deadline = tokio::time::Instant::now() + SNAPSHOT_POLL_LIMIT;
    loop {
        match es
            .get_snapshot(repository, snapshot)
            .await
            .map_err(backend_err)?
        {
            Some(info) if info.state != SnapshotState::InProgress => return Ok(info),
            _ if tokio::time::Instant::now() >= deadline => {
                return Err(ActionError::with_hint(
                    format!("snapshot {repository}/{snapshot} is still running after 6 hours"),
                    format!("follow it with GET _snapshot/{repository}/{snapshot}/_status"),
                ));
            }
            _ => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    }
}
