//! Tests of the runner with a scripted executor: order, journal lines, failure, stop, rollback.

use std::sync::Mutex;

use super::*;
use crate::mutation::journal::{self, SCHEMA};
use crate::mutation::tests::{action, config_map};

/// Fails the actions whose id is in `fail`; records what it was asked.
#[derive(Default)]
struct Script {
    fail: Vec<&'static str>,
    calls: Mutex<Vec<String>>,
    stop_after: Option<(&'static str, Stop)>,
}

impl Executor for Script {
    async fn apply(
        &self,
        a: &PlannedAction,
        _backup: Option<&serde_json::Value>,
    ) -> Result<ActionResult, ActionError> {
        self.calls.lock().unwrap().push(format!("apply {}", a.id));
        if let Some((id, stop)) = &self.stop_after
            && *id == a.id
        {
            stop.trigger();
        }
        if self.fail.contains(&a.id.as_str()) {
            return Err(ActionError::with_hint("boom", "fix it"));
        }
        Ok(ActionResult {
            detail: "ok".into(),
            uid: Some(format!("uid-{}", a.id)),
            ..Default::default()
        })
    }

    async fn undo(&self, u: &Undo) -> Result<String, ActionError> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("undo {} {:?}", u.action.id, u.certainty));
        if self
            .fail
            .contains(&format!("undo-{}", u.action.id).as_str())
        {
            return Err(ActionError::new("cannot"));
        }
        Ok("deleted".into())
    }
}

fn plan(ids: &[(&str, Change)]) -> Plan {
    let mut p = Plan::new("deploy", "monitoring");
    for (id, change) in ids {
        let inverse = change.is_change().then(|| Inverse::Delete {
            object: config_map(id),
        });
        p.actions.push(action(id, *change, inverse));
    }
    p
}

fn journal(dir: &std::path::Path) -> Journal {
    let mut j = Journal::create(&dir.join("j.jsonl")).unwrap();
    j.write(&Entry::Begin {
        schema: SCHEMA.into(),
        at: now(),
        command: "deploy apply".into(),
        namespace: "monitoring".into(),
        cluster: None,
        kube_context: None,
        tracectl_version: "0".into(),
    })
    .unwrap();
    j
}

#[tokio::test]
async fn a_failure_stops_the_run_and_the_rollback_undoes_in_reverse() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path());
    let p = plan(&[
        ("ns", Change::Create),
        ("same", Change::Unchanged),
        ("secret", Change::Create),
        ("jaeger", Change::Create),
        ("after", Change::Create),
    ]);
    let exec = Script {
        fail: vec!["jaeger"],
        ..Default::default()
    };
    let r = apply(&p, &mut j, &exec, &Stop::new(), &Quiet).await;
    assert_eq!(
        r.outcome,
        Outcome::Failed {
            action: "jaeger".into(),
            error: "boom; hint: fix it".into()
        }
    );
    let statuses: Vec<ActionStatus> = r.actions.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [
            ActionStatus::Done,
            ActionStatus::Unchanged,
            ActionStatus::Done,
            ActionStatus::Failed,
            ActionStatus::NotRun
        ]
    );
    assert_eq!(r.touched, 3);

    let entries = journal::read(j.path()).unwrap();
    let undos = rollback(&entries, &mut j, &exec, &Stop::new(), &Quiet).await;
    assert!(undos.iter().all(|u| u.status == ActionStatus::Undone));
    assert_eq!(
        exec.calls.lock().unwrap()[3..],
        [
            "undo jaeger Failed".to_string(),
            "undo secret Done".into(),
            "undo ns Done".into()
        ]
    );
    // A second rollback finds nothing left to undo.
    let entries = journal::read(j.path()).unwrap();
    assert!(journal::pending_undos(&entries).is_empty());
}

#[tokio::test]
async fn a_failed_undo_is_reported_and_the_others_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path());
    let p = plan(&[("a", Change::Create), ("b", Change::Create)]);
    let exec = Script {
        fail: vec!["undo-b"],
        ..Default::default()
    };
    let r = apply(&p, &mut j, &exec, &Stop::new(), &Quiet).await;
    assert_eq!(r.outcome, Outcome::Succeeded);
    let entries = journal::read(j.path()).unwrap();
    let undos = rollback(&entries, &mut j, &exec, &Stop::new(), &Quiet).await;
    let statuses: Vec<(String, ActionStatus)> =
        undos.iter().map(|u| (u.id.clone(), u.status)).collect();
    assert_eq!(
        statuses,
        [
            ("b".to_string(), ActionStatus::Failed),
            ("a".to_string(), ActionStatus::Undone)
        ]
    );
    let left: Vec<u64> = journal::pending_undos(&journal::read(j.path()).unwrap())
        .iter()
        .map(|u| u.seq)
        .collect();
    assert_eq!(left, [2], "the failed undo is tried again next time");
}

#[tokio::test]
async fn a_stop_finishes_the_current_action_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path());
    let stop = Stop::new();
    let p = plan(&[
        ("a", Change::Create),
        ("b", Change::Create),
        ("c", Change::Create),
    ]);
    let exec = Script {
        stop_after: Some(("b", stop.clone())),
        ..Default::default()
    };
    let r = apply(&p, &mut j, &exec, &stop, &Quiet).await;
    assert_eq!(r.outcome, Outcome::Interrupted);
    let statuses: Vec<ActionStatus> = r.actions.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [ActionStatus::Done, ActionStatus::Done, ActionStatus::NotRun]
    );
    let entries = journal::read(j.path()).unwrap();
    assert!(matches!(
        entries.last(),
        Some(Entry::End { outcome, .. }) if outcome == "interrupted"
    ));
    assert_eq!(journal::pending_undos(&entries).len(), 2);
}

#[tokio::test]
async fn a_stop_cancels_a_running_check() {
    struct Slow;
    impl Executor for Slow {
        async fn apply(
            &self,
            _a: &PlannedAction,
            _b: Option<&serde_json::Value>,
        ) -> Result<ActionResult, ActionError> {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            Ok(ActionResult::default())
        }
        async fn undo(&self, _u: &Undo) -> Result<String, ActionError> {
            Ok(String::new())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path());
    let stop = Stop::new();
    let s = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        s.trigger();
    });
    let p = plan(&[("wait", Change::Check)]);
    let r = apply(&p, &mut j, &Slow, &stop, &Quiet).await;
    assert_eq!(r.outcome, Outcome::Interrupted);
    assert_eq!(r.actions[0].status, ActionStatus::Interrupted);
}
