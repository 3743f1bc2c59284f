//! When the rollout was and which windows compare it: the revision to judge in a Deployment's
//! history ([`pick_revision`]) and the two equal windows around it ([`windows`]). Pure; tests in
//! `tests.rs` beside this file.

use super::{MIN_WINDOW_SECONDS, Revision};
use crate::analysis::common::fmt_time;

/// Why the after window is shorter than asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cut {
    #[default]
    No,
    /// The rollout is recent: the window ends now.
    Now,
    /// A later revision was rolled out: the window ends before it.
    NextRevision,
}

/// The two windows, unix seconds `[start, end)`: equal lengths, before ending at the rollout,
/// after starting once it settled.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Windows {
    pub before: (f64, f64),
    /// `None`: the rollout is too recent (or too soon followed by another) for an after window.
    pub after: Option<(f64, f64)>,
    pub cut: Cut,
}

impl Windows {
    pub fn length(&self) -> f64 {
        self.before.1 - self.before.0
    }
}

/// The windows around a rollout at `t`: before = [t − w, t), after = [t + settle, t + settle + w),
/// with w = `window`, shortened to what has elapsed by `now` (or before the `next` rollout).
pub fn windows(t: f64, now: f64, window: f64, settle: f64, next: Option<f64>) -> Windows {
    let start = t + settle;
    let (limit, cut) = match next {
        Some(n) if n < now => (n, Cut::NextRevision),
        _ => (now, Cut::Now),
    };
    let available = limit - start;
    if available < MIN_WINDOW_SECONDS {
        return Windows {
            before: (t - window, t),
            after: None,
            cut,
        };
    }
    let w = window.min(available);
    Windows {
        before: (t - w, t),
        after: Some((start, start + w)),
        cut: if w < window { cut } else { Cut::No },
    }
}

/// The rollout chosen in a Deployment's history, with its neighbours.
#[derive(Debug, Clone)]
pub struct Picked {
    pub current: Revision,
    pub previous: Option<Revision>,
    pub next: Option<Revision>,
}

/// Why no revision could be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickError {
    /// `--revision N` names no revision of the Deployment: a usage error.
    NoSuchRevision(String),
    /// The history cannot date the rollout (no ReplicaSets, no creation time, a rollback).
    Undated(String),
}

impl PickError {
    pub fn message(&self) -> &str {
        match self {
            PickError::NoSuchRevision(m) | PickError::Undated(m) => m,
        }
    }
}

/// Which revision of `workload` (`deployment/checkout`, `statefulset/web`) to judge: `wanted`, else the revision running at `since` (created at most
/// `tolerance` seconds after it, for a `--since` typed by hand), else the latest. `Ok(None)`: no
/// revision was running at `since`.
pub fn pick_revision(
    workload: &str,
    revisions: &[Revision],
    wanted: Option<u64>,
    since: Option<f64>,
    tolerance: f64,
) -> Result<Option<Picked>, PickError> {
    let mut revs = revisions.to_vec();
    revs.sort_by_key(|r| r.revision);
    let listed = || {
        revs.iter()
            .map(|r| r.revision.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if revs.is_empty() {
        return Err(PickError::Undated(format!(
            "{workload} has no revisions (ReplicaSets, or ControllerRevisions for a StatefulSet or DaemonSet): there is no rollout to judge"
        )));
    }
    let index = match (wanted, since) {
        (Some(n), _) => revs.iter().position(|r| r.revision == n).ok_or_else(|| {
            PickError::NoSuchRevision(format!(
                "revision {n} is not in {workload}'s history (revisions: {})",
                listed()
            ))
        })?,
        (None, Some(t)) => match revs
            .iter()
            .rposition(|r| r.created > 0.0 && r.created <= t + tolerance)
        {
            Some(i) => i,
            None => return Ok(None),
        },
        (None, None) => revs.len() - 1,
    };
    let current = revs[index].clone();
    let previous = index.checked_sub(1).map(|i| revs[i].clone());
    let next = revs.get(index + 1).cloned();
    if since.is_none() {
        if current.created <= 0.0 {
            return Err(PickError::Undated(format!(
                "revision {} of {workload} has no creation time; hint: pass --since TIME",
                current.revision
            )));
        }
        if let Some(prev) = &previous
            && prev.created > current.created
        {
            return Err(PickError::Undated(format!(
                "revision {} of {workload} reuses an older revision's ReplicaSet or ControllerRevision (created {}), as `kubectl rollout undo` does, so its creation time is not when it was rolled out; hint: pass --since TIME",
                current.revision,
                fmt_time(current.created)
            )));
        }
    }
    Ok(Some(Picked {
        current,
        previous,
        next,
    }))
}
