//! Step 7: wait for every Deployment, StatefulSet and DaemonSet of the namespace to be rolled out,
//! as `kubectl rollout status` judges it ([`crate::backends::kubernetes::rollout_state`]), with a
//! progress bar per workload and a timeout.
//!
//! Polls the three lists every 2 seconds (a watch would save requests, but a poll survives an API
//! server hiccup without resuming anything: a failed list is retried until the timeout). A
//! workload that cannot finish by waiting (`ProgressDeadlineExceeded`) fails at once. On timeout
//! the error names what is still rolling out and why. Not here: what happens after a failure (the
//! runner stops and offers the rollback). Tests: `tests/it/deploy.rs` (rolled out, and a timeout).

use std::collections::BTreeMap;
use std::time::Duration;

use indicatif::ProgressBar;

use crate::backends::kubernetes::{Kube, RolloutState, Workload};
use crate::mutation::ActionResult;
use crate::mutation::progress::Progress;
use crate::mutation::runner::ActionError;

const POLL: Duration = Duration::from_secs(2);

fn label(w: &Workload) -> String {
    format!("{} {}", w.kind, w.name)
}

fn pending(ws: &[Workload]) -> Vec<String> {
    ws.iter()
        .filter_map(|w| match &w.state {
            RolloutState::Done => None,
            RolloutState::Progressing(why) | RolloutState::Failed(why) => {
                Some(format!("{}: {why}", label(w)))
            }
        })
        .collect()
}

pub async fn rollout(
    kube: &Kube,
    namespace: &str,
    timeout: Duration,
    progress: &Progress,
) -> Result<ActionResult, ActionError> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut bars: BTreeMap<String, ProgressBar> = BTreeMap::new();
    let mut last: String;
    let result = loop {
        match kube.workloads(namespace).await {
            Ok(ws) => {
                for w in &ws {
                    let bar = bars.entry(label(w)).or_insert_with(|| {
                        progress
                            .workload(&label(w), w.desired.max(0) as u64)
                            .unwrap_or_else(ProgressBar::hidden)
                    });
                    bar.set_length(w.desired.max(0) as u64);
                    bar.set_position(w.ready.max(0) as u64);
                    if let RolloutState::Progressing(why) = &w.state {
                        bar.set_message(why.clone());
                    }
                }
                if let Some(w) = ws
                    .iter()
                    .find(|w| matches!(w.state, RolloutState::Failed(_)))
                {
                    break Err(ActionError::with_hint(
                        format!(
                            "{} will not roll out: {}",
                            label(w),
                            pending(&ws).join("; ")
                        ),
                        format!(
                            "kubectl describe {} {} -n {namespace}",
                            w.kind.to_ascii_lowercase(),
                            w.name
                        ),
                    ));
                }
                let left = pending(&ws);
                if left.is_empty() {
                    break Ok(ActionResult::detail(format!(
                        "{} workload{} rolled out",
                        ws.len(),
                        if ws.len() == 1 { "" } else { "s" }
                    )));
                }
                last = left.join("; ");
            }
            Err(e) => last = e.one_line(),
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            break Err(ActionError::with_hint(
                format!(
                    "not rolled out after {}: {last}",
                    crate::clock::format_duration(timeout)
                ),
                format!(
                    "kubectl get pods -n {namespace}; raise --wait-timeout if they are only slow"
                ),
            ));
        }
        tokio::time::sleep(POLL.min(deadline - now)).await;
    };
    for bar in bars.values() {
        bar.finish_and_clear();
    }
    result
}
