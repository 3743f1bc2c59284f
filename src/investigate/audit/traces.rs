//! The audit's Jaeger reads that fan out per service: the trace sample (the latest traces of each
//! service, at most [`PARALLEL_SEARCHES`] searches in flight, each trace kept once) and the
//! operations Jaeger stores for the services the metrics list operations of. A service that
//! fails is a note on its step, unless every one does. Not here: what the sample shows
//! (`crate::analysis::audit`). Tests: `tests/it/audit.rs`.

use std::collections::{BTreeMap, BTreeSet};

use futures::StreamExt;
use jiff::Timestamp;

use crate::backends::jaeger::{Trace, TraceQuery};
use crate::backends::traces::TraceStore;
use crate::error::BackendError;
use crate::investigate::engine::StepError;

/// Trace searches in flight at once.
pub(super) const PARALLEL_SEARCHES: usize = 4;

/// What the traces step found.
#[derive(Clone, Default)]
pub(super) struct Sample {
    pub traces: Vec<Trace>,
    /// Traces found per service searched.
    pub searched: BTreeMap<String, usize>,
}

/// The latest `per_service` traces of each service in `list` between `start` and `at`. A service whose
/// search failed is a note; all of them failing fails the step with the first error.
pub(super) async fn search(
    c: &TraceStore,
    list: &[String],
    start: Timestamp,
    at: Timestamp,
    per_service: u32,
    notes: &mut Vec<String>,
) -> Result<Sample, StepError> {
    let results: Vec<(String, Result<Vec<Trace>, BackendError>)> =
        futures::stream::iter(list.to_vec())
            .map(|svc| async move {
                let q = TraceQuery::window(svc.clone(), start, at, per_service);
                let r = c.find_traces(&q).await;
                (svc, r)
            })
            .buffered(PARALLEL_SEARCHES)
            .collect()
            .await;
    let mut sample = Sample::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut failures = Vec::new();
    for (svc, r) in results {
        match r {
            Ok(found) => {
                sample.searched.insert(svc, found.len());
                for t in found {
                    if seen.insert(t.trace_id.clone()) {
                        sample.traces.push(t);
                    }
                }
            }
            Err(e) => failures.push((svc, e)),
        }
    }
    if !list.is_empty() && failures.len() == list.len() {
        let (_, e) = failures.swap_remove(0);
        return Err(StepError::from(e));
    }
    for (svc, e) in failures {
        notes.push(format!("{svc}: {}", e.one_line()));
    }
    Ok(sample)
}

/// The operations Jaeger stores for each of `wanted`; a failure is a note in `warnings`.
pub(super) async fn operations(
    c: &TraceStore,
    wanted: BTreeSet<&str>,
    warnings: &mut Vec<String>,
) -> BTreeMap<String, Vec<String>> {
    let mut ops = BTreeMap::new();
    let fetched: Vec<_> = futures::stream::iter(wanted)
        .map(|svc| async move { (svc, c.operations(svc).await) })
        .buffered(PARALLEL_SEARCHES)
        .collect()
        .await;
    for (svc, r) in fetched {
        match r {
            Ok(list) => {
                ops.insert(
                    svc.to_string(),
                    list.into_iter().map(|o| o.name).collect::<Vec<_>>(),
                );
            }
            Err(e) => warnings.push(format!("operations of {svc}: {}", e.one_line())),
        }
    }
    ops
}
