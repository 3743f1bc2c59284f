//! Applying and undoing `maintain storage`'s actions: an index deleted only if it is still the
//! one the plan saw (same creation date, not today's, not behind a write alias), a force-merge, a
//! template put; a deleted index restored from the run's snapshot, a template put back or deleted.
//! Tests: `tests/it/maintain/storage.rs`.

use super::{
    count, get_template, index_observed, size_docs, template_kind, template_version, write_indices,
};
use crate::analysis::retention::{self, JaegerName, Layout};
use crate::backends::elasticsearch::{ElasticsearchClient, IndexInfo, RestoreOptions, Restored};
use crate::mutation::exec::Exec;
use crate::mutation::journal::Undo;
use crate::mutation::runner::{ActionError, must_look};
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, PlannedAction};
use crate::transport::BackendError;
use anyhow::Result;
use jiff::Timestamp;
use serde_json::Value;

pub(super) fn es_err(e: BackendError) -> ActionError {
    ActionError::with_hint(e.one_line(), e.hint())
}

pub(super) fn es<'a>(x: &'a Exec<'_>) -> Result<&'a ElasticsearchClient, ActionError> {
    x.elasticsearch("maintain storage")
        .map_err(|e| ActionError {
            message: e.message,
            hint: e.hint,
        })
}

pub(super) const REPLAN: &str = "run `tracectl maintain storage --dry-run` again and review it";

pub async fn apply(
    x: &Exec<'_>,
    action: &PlannedAction,
    _backup: Option<&Value>,
) -> Result<ActionResult, ActionError> {
    let es = es(x)?;
    match &action.operation {
        Operation::DeleteIndex {
            index,
            docs,
            size_bytes,
            ..
        } => {
            // Only a planned deletion deletes: a kept index's action is never run, and a window
            // file cannot turn one into a deletion.
            if action.change != Change::Delete {
                return Err(ActionError::new(format!(
                    "{}: not a planned deletion",
                    action.summary
                )));
            }
            check_deletable(es, index, &action.observed, x.clock.now()).await?;
            es.delete_index(index).await.map_err(es_err)?;
            Ok(ActionResult::detail(format!(
                "deleted ({})",
                size_docs(*size_bytes, *docs)
            )))
        }
        Operation::ForceMerge {
            index,
            max_num_segments,
        } => {
            let live = es.indices(index).await.map_err(es_err)?;
            if !live.iter().any(|i| &i.name == index) {
                return Err(ActionError::with_hint(
                    format!("index {index} no longer exists"),
                    REPLAN,
                ));
            }
            let s = es
                .forcemerge(index, *max_num_segments)
                .await
                .map_err(es_err)?;
            if s.failed > 0 {
                return Err(ActionError::with_hint(
                    format!(
                        "force-merge of {index}: {} of {} shards failed",
                        s.failed, s.total
                    ),
                    "see the Elasticsearch logs; a force-merge can be run again",
                ));
            }
            Ok(ActionResult::detail(format!(
                "merged to {} per shard ({}/{} shards)",
                count(*max_num_segments as usize, "segment", "segments"),
                s.successful,
                s.total
            )))
        }
        Operation::PutIndexTemplate {
            name, legacy, body, ..
        } => {
            let live = get_template(es, name, *legacy).await.map_err(es_err)?;
            let changed = match (&action.observed, &live) {
                (Observed::Absent, Some(_)) => Some("it exists now".to_string()),
                (Observed::Present { .. }, None) => Some("it was deleted".to_string()),
                (
                    Observed::Present {
                        resource_version, ..
                    },
                    Some(l),
                ) if &template_version(&l.body, *legacy) != resource_version => {
                    Some("it was changed".to_string())
                }
                _ => None,
            };
            if let Some(why) = changed {
                return Err(ActionError::with_hint(
                    format!(
                        "{} {name} changed since the plan: {why}",
                        template_kind(*legacy)
                    ),
                    REPLAN,
                ));
            }
            let put = if *legacy {
                es.put_legacy_template(name, body).await
            } else {
                es.put_index_template(name, body).await
            };
            put.map_err(es_err)?;
            Ok(ActionResult {
                detail: if live.is_some() {
                    "replaced"
                } else {
                    "created"
                }
                .into(),
                // What the undo compares with: was it changed after this run put it?
                resource_version: Some(template_version(body, *legacy)),
                ..Default::default()
            })
        }
        other => Err(ActionError::new(format!(
            "{}: not a storage action ({other:?})",
            action.summary
        ))),
    }
}

/// The index is still the one the plan saw, not today's, and not a write alias's.
pub(super) async fn check_deletable(
    es: &ElasticsearchClient,
    index: &str,
    observed: &Observed,
    now: Timestamp,
) -> Result<(), ActionError> {
    let live = es.indices(index).await.map_err(es_err)?;
    let Some(info) = live.iter().find(|i| i.name == index) else {
        return Err(ActionError::with_hint(
            format!("index {index} changed since the plan: it no longer exists"),
            REPLAN,
        ));
    };
    if let Observed::Present {
        resource_version, ..
    } = observed
        && *resource_version != resource_of(info)
    {
        return Err(ActionError::with_hint(
            format!(
                "index {index} changed since the plan: it was created again ({}, the plan saw {resource_version})",
                resource_of(info)
            ),
            REPLAN,
        ));
    }
    let today = retention::utc_day(now);
    let day = JaegerName::parse(index).and_then(|j| match j.layout {
        Layout::Daily { day } => Some(day),
        Layout::Rollover { .. } => info.creation_date.map(retention::utc_day),
    });
    match day {
        Some(day) if day < today => {}
        Some(day) => {
            return Err(ActionError::new(format!(
                "index {index} is of {day}, not before today ({today} UTC): never deleted"
            )));
        }
        None => {
            return Err(ActionError::new(format!(
                "index {index} is not a dated Jaeger index: never deleted"
            )));
        }
    }
    let prefix = JaegerName::parse(index).and_then(|j| j.prefix);
    let writers = write_indices(es, prefix.as_deref()).await.map_err(es_err)?;
    if writers.iter().any(|w| w == index) {
        return Err(ActionError::with_hint(
            format!("index {index} is a rollover write alias's index now: never deleted"),
            REPLAN,
        ));
    }
    Ok(())
}

pub(super) fn resource_of(info: &IndexInfo) -> String {
    match index_observed(info.creation_date) {
        Observed::Present {
            resource_version, ..
        } => resource_version,
        _ => String::new(),
    }
}

pub async fn undo(x: &Exec<'_>, undo: &Undo) -> Result<String, ActionError> {
    let es = es(x)?;
    let look = must_look(undo);
    match &undo.action.inverse {
        Some(Inverse::RestoreIndex {
            repository,
            snapshot,
            index,
        }) => {
            let live = es.indices(index).await.map_err(es_err)?;
            if live.iter().any(|i| &i.name == index) {
                return Ok(format!("nothing to undo: index {index} exists"));
            }
            let options = RestoreOptions {
                indices: vec![index.clone()],
                rename_pattern: None,
                rename_replacement: None,
                include_aliases: false,
                wait_for_completion: true,
            };
            match es
                .restore_snapshot(repository, snapshot, &options)
                .await
                .map_err(es_err)?
            {
                Restored::Completed { shards, .. } if shards.failed > 0 => {
                    Err(ActionError::with_hint(
                        format!(
                            "restore of {index} from {repository}/{snapshot}: {} of {} shards failed",
                            shards.failed, shards.total
                        ),
                        "see GET _cat/recovery; close and delete the partial index, then run the rollback again",
                    ))
                }
                Restored::Completed { .. } => Ok(format!(
                    "restored {index} from snapshot {repository}/{snapshot}"
                )),
                Restored::Accepted => Ok(format!(
                    "restore of {index} from snapshot {repository}/{snapshot} started"
                )),
            }
        }
        Some(Inverse::RestoreIndexTemplate { name, legacy }) => {
            let Some(backup) = &undo.backup else {
                return Err(ActionError::new(format!(
                    "the journal holds no backup of {} {name}",
                    template_kind(*legacy)
                )));
            };
            let live = get_template(es, name, *legacy).await.map_err(es_err)?;
            let version = live.as_ref().map(|l| template_version(&l.body, *legacy));
            if version.as_deref() == Some(template_version(backup, *legacy).as_str()) {
                return Ok(format!(
                    "nothing to undo: {} {name} is as it was",
                    template_kind(*legacy)
                ));
            }
            changed_since(undo, version.as_deref(), look, name, *legacy)?;
            let put = if *legacy {
                es.put_legacy_template(name, backup).await
            } else {
                es.put_index_template(name, backup).await
            };
            put.map_err(es_err)?;
            Ok(format!(
                "restored {} {name} as it was",
                template_kind(*legacy)
            ))
        }
        Some(Inverse::DeleteIndexTemplate { name, legacy }) => {
            let live = get_template(es, name, *legacy).await.map_err(es_err)?;
            let Some(live) = live else {
                return Ok(format!(
                    "nothing to undo: {} {name} does not exist",
                    template_kind(*legacy)
                ));
            };
            let version = template_version(&live.body, *legacy);
            changed_since(undo, Some(&version), look, name, *legacy)?;
            es.delete_index_template(name, *legacy)
                .await
                .map_err(es_err)?;
            Ok(format!("deleted {} {name}", template_kind(*legacy)))
        }
        Some(other) => Err(ActionError::new(format!(
            "{}: not a storage undo ({})",
            undo.action.summary,
            other.describe()
        ))),
        None => Ok("nothing to undo".into()),
    }
}

/// A template this run put and someone changed since is theirs now: not undone over them.
pub(super) fn changed_since(
    undo: &Undo,
    live_version: Option<&str>,
    look: bool,
    name: &str,
    legacy: bool,
) -> Result<(), ActionError> {
    let put = undo
        .result
        .as_ref()
        .and_then(|r| r.resource_version.as_deref());
    match (put, live_version) {
        (Some(put), Some(live)) if !look && put != live => Err(ActionError::with_hint(
            format!(
                "{} {name} was changed after this run put it: not undone",
                template_kind(legacy)
            ),
            format!(
                "compare it with the file and put it back by hand: GET {}{name}",
                if legacy {
                    "_template/"
                } else {
                    "_index_template/"
                }
            ),
        )),
        _ => Ok(()),
    }
}
