//! The Prometheus steps of the error runbook: error types against their baseline, and container
//! resources (the service's error ratio is [`Ctx::service_trend`], shared with latency). Queries come from the
//! runbook ([`Ctx::query`]); answers become the plain evidence types of
//! [`crate::analysis::errors`]. Tests: `tests/it/errors.rs` (against a real Prometheus).

use std::collections::BTreeMap;

use super::super::StepError;
use crate::analysis::errors::{ErrorTypes, ResourceEvidence, TypeBaseline};
use crate::backends::prometheus::Labels;
use crate::investigate::ctx::warn;
use crate::promql::Value;

/// Baseline offsets, nearest first.
const OFFSETS: [&str; 2] = ["1d", "7d"];

/// The resource queries the runbook has, in the order they run.
pub(super) const RESOURCE_QUERIES: [&str; 4] = ["throttling", "memory", "memory_bytes", "fds"];

use crate::investigate::ctx::Ctx;

fn offset(off: &str) -> Value {
    Value::Duration(crate::clock::parse_duration(off).unwrap_or_default())
}

/// An error type's name: the values of the labels its query groups by, in label order
/// (`timeout`; `503`); a query whose series carry none of them has one type.
pub(super) fn type_name(labels: &Labels) -> String {
    let parts: Vec<&str> = labels
        .values()
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .collect();
    if parts.is_empty() {
        "unclassified".into()
    } else {
        parts.join(" ")
    }
}

impl Ctx<'_> {
    /// Step 2: errors per second by type now, and at the nearest offset where the service served
    /// requests (where no error series then means no errors, not no data).
    pub async fn error_types(&self, q: String) -> Result<(ErrorTypes, Option<String>), StepError> {
        let (items, mut w) = self.samples(&q).await?;
        let now = items.iter().map(|(l, v)| (type_name(l), *v)).collect();
        let mut baseline = None;
        for off in OFFSETS {
            let served = self.query("affected-services", "baseline", &[("offset", offset(off))])?;
            if self.scalar(&served).await?.is_none() {
                continue;
            }
            let bq = self.query("error-types", "baseline", &[("offset", offset(off))])?;
            let (items, bw) = self.samples(&bq).await?;
            w.extend(bw);
            baseline = Some(TypeBaseline {
                offset: off.to_string(),
                query: bq,
                items: items.iter().map(|(l, v)| (type_name(l), *v)).collect(),
            });
            break;
        }
        Ok((
            ErrorTypes {
                query: q,
                now,
                baseline,
            },
            warn(w),
        ))
    }

    /// Step 6's metrics: every resource query by pod, concurrently; one that fails is a warning,
    /// all of them a failure.
    pub async fn resources(
        &self,
        queries: BTreeMap<String, String>,
    ) -> Result<(ResourceEvidence, Option<String>), StepError> {
        let run = |name: &'static str| {
            let q = queries.get(name).cloned();
            async move {
                match q {
                    Some(q) => self.list(&q, "pod").await.map(|(v, w)| (name, v, w)),
                    None => Err(StepError::Failed(format!(
                        "runbook has no resources/{name} query"
                    ))),
                }
            }
        };
        let results = futures::future::join_all(RESOURCE_QUERIES.map(run)).await;
        // Nothing configured is a skip, as in every other step (exit 2, not 3).
        let all_skipped = results
            .iter()
            .all(|r| matches!(r, Err(StepError::Skipped(_))));
        let mut ev = ResourceEvidence {
            queries: queries.clone(),
            ..Default::default()
        };
        let mut warnings = Vec::new();
        let mut failures = Vec::new();
        for r in results {
            match r {
                Ok((name, items, w)) => {
                    warnings.extend(w);
                    if name == "memory_bytes" {
                        ev.memory_bytes = items;
                    } else {
                        ev.ratios.insert(name.to_string(), items);
                    }
                }
                Err(StepError::Failed(e) | StepError::Skipped(e)) => failures.push(e),
            }
        }
        if failures.len() == RESOURCE_QUERIES.len() {
            let first = failures.swap_remove(0);
            return Err(match all_skipped {
                true => StepError::Skipped(first),
                false => StepError::Failed(first),
            });
        }
        failures.extend(warnings);
        Ok((ev, warn(failures)))
    }
}
