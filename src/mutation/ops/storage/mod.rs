//! `maintain storage`: index retention for Jaeger's Elasticsearch indices, force-merge of the
//! indices no longer written, and the index template from a file.
//!
//! [`plan`] reads (never writes): the indices of the policy's kinds
//! (`[prefix-]jaeger-{span,service,dependencies}-*`, daily and rollover) with their size and doc
//! count, the rollover write aliases, and the live template; which index goes and why is
//! [`crate::analysis::retention`]'s decision, judged by the run's clock (`--at` sets it). Every
//! listed index is an action: `delete` for those retention deletes, `unchanged` with the reason
//! for those it keeps (so the plan is the inventory; the runner skips unchanged actions). Both
//! carry [`Operation::DeleteIndex`] with size and docs, so `-o json` reads the same for each.
//! Deleting is refused unless the run says what happens to the data: `--snapshot-repository`
//! (a snapshot of exactly the indices to delete comes first, and each deletion's undo restores
//! its index from it) or `--skip-snapshot` (the undo can only say it was not kept).
//!
//! [`apply`] checks again, right before each deletion, that the index is the one the plan saw
//! (same creation date), is not today's by the clock, and is not behind a write alias; then
//! deletes that exact name. The snapshot itself is taken by `../backup/` (the executor routes
//! [`Operation::CreateSnapshot`] there). [`undo`] restores a deleted index from the snapshot
//! (unless it exists again), puts a replaced template back, deletes a created one.
//! Not here: the retention rule (`analysis/retention.rs`), HTTP (`backends/elasticsearch`).
//! Files: `template.rs`, `apply.rs` (applying and undoing); planning and its words here.
//! Tests: `tests.rs` (the pure parts), `tests/it/maintain/storage.rs` (a month of indices against a
//! stateful Elasticsearch fixture).

mod apply;
mod template;
#[cfg(test)]
mod tests;

use anyhow::Result;
use jiff::Timestamp;

use super::Ctx;
use crate::analysis::retention::{self, Decision, IndexStat, Policy};
use crate::backends::elasticsearch::{
    ElasticsearchClient, IndexInfo, JaegerIndex, jaeger_index_name, jaeger_index_pattern,
    valid_index_name,
};
use crate::cli::StorageArgs;
use crate::error::UsageError;
use crate::mutation::{Change, Inverse, Observed, Operation, Plan, PlannedAction};
use crate::transport::BackendError;

pub use apply::{apply, undo};
use template::*;

const STEP: &str = "storage";
const DEFAULT_TEMPLATE: &str = "jaeger-template";
const DEFAULT_KEEP_LAST: u32 = 1;
const DEFAULT_SEGMENTS: u32 = 1;
const SKIPPED_SNAPSHOT: &str = "deleted without a snapshot (--skip-snapshot)";
const MERGE_KEPT: &str = "a force-merge changes no data and cannot be undone";

pub async fn plan(ctx: &Ctx, args: &StorageArgs, step: u8, plan: &mut Plan) -> Result<()> {
    check_args(args)?;
    // The file first: a typo in it is found before any request.
    let template = args.template.as_deref().map(read_template).transpose()?;
    if args.retention_days.is_some() || args.forcemerge {
        let es = ctx.elasticsearch("maintain storage")?;
        let decisions = decide(es, args, ctx.now).await?;
        if args.retention_days.is_some() {
            retention_actions(es, args, step, &decisions, ctx.now, plan).await?;
        }
        if args.forcemerge {
            let segments = args.max_num_segments.unwrap_or(DEFAULT_SEGMENTS);
            for d in retention::forcemerge_candidates(&decisions, None) {
                // A closed index reports no count, and cannot be merged.
                if d.index.docs.is_some() {
                    plan.actions.push(forcemerge_action(d, segments, step));
                }
            }
        }
    }
    if let (Some(body), Some(file)) = (template, &args.template) {
        let es = ctx.elasticsearch("maintain storage --template")?;
        let name = args.template_name.as_deref().unwrap_or(DEFAULT_TEMPLATE);
        let live = get_template(es, name, args.legacy_template).await?;
        plan.actions.push(template_action(
            name,
            args.legacy_template,
            file,
            body,
            live,
            step,
        ));
    }
    Ok(())
}

/// The flags make sense together; nothing is read yet.
fn check_args(args: &StorageArgs) -> Result<(), UsageError> {
    if args.retention_days.is_none() && !args.forcemerge && args.template.is_none() {
        return Err(UsageError::with_hint(
            "maintain storage: nothing to do",
            "pass --retention-days N (delete old indices), --forcemerge, or --template FILE",
        ));
    }
    if args.skip_snapshot && args.snapshot_repository.is_some() {
        return Err(UsageError::with_hint(
            "--skip-snapshot and --snapshot-repository contradict each other",
            "keep one: --snapshot-repository REPO makes the deletions undoable",
        ));
    }
    if args.max_num_segments.is_some() && !args.forcemerge {
        return Err(UsageError::with_hint(
            "--max-num-segments is for the force-merge",
            "add --forcemerge",
        ));
    }
    if args.max_num_segments == Some(0) {
        return Err(UsageError::new(
            "--max-num-segments 0: a shard keeps at least 1 segment",
        ));
    }
    if args.template.is_none() && (args.template_name.is_some() || args.legacy_template) {
        return Err(UsageError::with_hint(
            "--template-name and --legacy-template are for the template",
            "add --template FILE",
        ));
    }
    if let Some(n) = &args.template_name
        && !valid_index_name(n)
    {
        return Err(UsageError::new(format!(
            "--template-name {n:?} is not a valid template name (lowercase, no spaces or any of \\/*?\"<>|,#:)"
        )));
    }
    if let Some(r) = &args.snapshot_repository
        && !valid_index_name(&r.to_lowercase())
    {
        return Err(UsageError::new(format!(
            "--snapshot-repository {r:?} is not a valid repository name"
        )));
    }
    // A concrete name: a `*` or `,` in the prefix would widen the pattern to other indices.
    let probe = jaeger_index_name(
        args.prefix.as_deref(),
        JaegerIndex::Span,
        jiff::civil::date(2000, 1, 1),
    );
    if !valid_index_name(&probe) {
        return Err(UsageError::with_hint(
            format!(
                "--prefix {:?} is not a valid index prefix",
                args.prefix.as_deref().unwrap_or_default()
            ),
            "pass Jaeger's --es.index-prefix as it is, e.g. prod (lowercase, no * , or spaces)",
        ));
    }
    Ok(())
}

/// The patterns of the kinds retention looks at, one request: `prod-jaeger-span-*,...`.
fn list_pattern(prefix: Option<&str>) -> String {
    Policy::DEFAULT_KINDS
        .iter()
        .map(|k| jaeger_index_pattern(prefix, *k))
        .collect::<Vec<_>>()
        .join(",")
}

fn policy(args: &StorageArgs) -> Policy {
    Policy::new(
        args.prefix.clone(),
        // Without --retention-days (only --forcemerge) nothing is old enough to go.
        args.retention_days.unwrap_or(u32::MAX),
        args.keep_last.unwrap_or(DEFAULT_KEEP_LAST),
    )
}

async fn decide(
    es: &ElasticsearchClient,
    args: &StorageArgs,
    now: Timestamp,
) -> Result<Vec<Decision>> {
    let infos = es.indices(&list_pattern(args.prefix.as_deref())).await?;
    let writers = write_indices(es, args.prefix.as_deref()).await?;
    Ok(retention::plan(
        &stats(&infos, &writers),
        &policy(args),
        now,
    ))
}

/// The indices of the policy's kinds that a rollover write alias (`jaeger-span-write`) points at.
async fn write_indices(
    es: &ElasticsearchClient,
    prefix: Option<&str>,
) -> Result<Vec<String>, BackendError> {
    Ok(es
        .write_aliases(&list_pattern(prefix))
        .await?
        .into_keys()
        .collect())
}

fn stats(infos: &[IndexInfo], writers: &[String]) -> Vec<IndexStat> {
    infos
        .iter()
        .map(|i| IndexStat {
            write_index: writers.contains(&i.name),
            ..IndexStat::from(i)
        })
        .collect()
}

async fn retention_actions(
    es: &ElasticsearchClient,
    args: &StorageArgs,
    step: u8,
    decisions: &[Decision],
    now: Timestamp,
    plan: &mut Plan,
) -> Result<()> {
    let doomed: Vec<String> = decisions
        .iter()
        .filter(|d| d.verdict.is_delete())
        .map(|d| d.index.name.clone())
        .collect();
    let snapshot = match (&args.snapshot_repository, args.skip_snapshot) {
        _ if doomed.is_empty() => None,
        (Some(repo), _) => {
            let name = free_snapshot_name(es, repo, now).await?;
            Some((repo.clone(), name))
        }
        (None, true) => None,
        (None, false) => return Err(refuse_unsnapshotted(&doomed).into()),
    };
    let totals = retention::deletion_totals(decisions);
    if let Some((repo, name)) = &snapshot {
        plan.actions.push(PlannedAction {
            id: format!("snapshot/{repo}/{name}"),
            step,
            step_id: STEP.into(),
            change: Change::Create,
            summary: format!(
                "snapshot {} into {repo}/{name} before deleting {}",
                count(doomed.len(), "index", "indices"),
                if doomed.len() == 1 { "it" } else { "them" }
            ),
            diff: vec![],
            operation: Operation::CreateSnapshot {
                repository: repo.clone(),
                snapshot: name.clone(),
                indices: doomed.clone(),
            },
            observed: Observed::Absent,
            inverse: Some(Inverse::Keep {
                reason: format!("the snapshot stays in {repo}: it holds the deleted indices"),
            }),
            backup: None,
        });
    }
    for d in decisions {
        plan.actions.push(index_action(d, snapshot.as_ref(), step));
    }
    let kept = decisions.len() - totals.indices;
    plan.notes.push(format!(
        "retention {} (UTC, by the date in the name), keep-last {}: {} to delete ({}), {} kept",
        days(args.retention_days.unwrap_or_default()),
        args.keep_last.unwrap_or(DEFAULT_KEEP_LAST),
        count(totals.indices, "index", "indices"),
        size_docs(
            (totals.unknown_size == 0).then_some(totals.bytes),
            (totals.unknown_docs == 0).then_some(totals.docs)
        ),
        kept
    ));
    Ok(())
}

fn refuse_unsnapshotted(doomed: &[String]) -> UsageError {
    UsageError::with_hint(
        format!(
            "retention would delete {} and nothing says what happens to the data",
            count(doomed.len(), "index", "indices")
        ),
        "pass --snapshot-repository REPO to snapshot them first (the rollback restores them), or --skip-snapshot to delete them for good",
    )
}

/// `tracectl-retention-20261125t000030z`, or with `-2`, `-3`, ... when a run at the same second
/// (a fixed `--at`) took it already.
async fn free_snapshot_name(
    es: &ElasticsearchClient,
    repo: &str,
    now: Timestamp,
) -> Result<String, BackendError> {
    let base = snapshot_name(now);
    let mut name = base.clone();
    for n in 2..100 {
        if es.get_snapshot(repo, &name).await?.is_none() {
            return Ok(name);
        }
        name = format!("{base}-{n}");
    }
    Ok(name)
}

/// Snapshot names must be lowercase.
fn snapshot_name(now: Timestamp) -> String {
    format!("tracectl-retention-{}", now.strftime("%Y%m%dt%H%M%Sz"))
}

fn index_action(d: &Decision, snapshot: Option<&(String, String)>, step: u8) -> PlannedAction {
    let name = &d.index.name;
    let what = size_docs(d.index.size_bytes, d.index.docs);
    let (change, summary, inverse) = if d.verdict.is_delete() {
        let inverse = match snapshot {
            Some((repository, snapshot)) => Inverse::RestoreIndex {
                repository: repository.clone(),
                snapshot: snapshot.clone(),
                index: name.clone(),
            },
            None => Inverse::Keep {
                reason: SKIPPED_SNAPSHOT.into(),
            },
        };
        (
            Change::Delete,
            format!("delete index {name} ({what}): {}", d.verdict.reason()),
            Some(inverse),
        )
    } else {
        (
            Change::Unchanged,
            format!("keep index {name} ({what}): {}", d.verdict.reason()),
            None,
        )
    };
    PlannedAction {
        id: format!("index/{name}"),
        step,
        step_id: STEP.into(),
        change,
        summary,
        diff: vec![],
        operation: Operation::DeleteIndex {
            index: name.clone(),
            docs: d.index.docs,
            size_bytes: d.index.size_bytes,
            reason: d.verdict.reason().to_string(),
        },
        observed: index_observed(d.index.creation),
        inverse,
        backup: None,
    }
}

/// An index is known by its creation date: one deleted and created again under the same name
/// (Jaeger writing late spans into it) is another index.
fn index_observed(creation: Option<Timestamp>) -> Observed {
    Observed::Present {
        resource_version: creation
            .map(|c| format!("created {c}"))
            .unwrap_or_else(|| "creation date unknown".into()),
        uid: None,
    }
}

fn forcemerge_action(d: &Decision, segments: u32, step: u8) -> PlannedAction {
    let name = &d.index.name;
    PlannedAction {
        id: format!("forcemerge/{name}"),
        step,
        step_id: STEP.into(),
        change: Change::Update,
        summary: format!(
            "force-merge index {name} ({}) to {} per shard",
            size_docs(d.index.size_bytes, d.index.docs),
            count(segments as usize, "segment", "segments")
        ),
        diff: vec![],
        operation: Operation::ForceMerge {
            index: name.clone(),
            max_num_segments: segments,
        },
        observed: index_observed(d.index.creation),
        inverse: Some(Inverse::Keep {
            reason: MERGE_KEPT.into(),
        }),
        backup: None,
    }
}

/// The template file: a JSON object with `index_patterns`, as the PUT takes it.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn days(n: u32) -> String {
    count(n as usize, "day", "days")
}

/// `1.2 GiB, 12,345 docs`; `closed: size and docs unknown` for a closed index.
fn size_docs(bytes: Option<u64>, docs: Option<u64>) -> String {
    match (bytes, docs) {
        (None, None) => "closed: size and docs unknown".into(),
        (b, d) => format!(
            "{}, {}",
            b.map(crate::report::units::bytes)
                .unwrap_or_else(|| "size unknown".into()),
            d.map(|d| format!("{} docs", thousands(d)))
                .unwrap_or_else(|| "docs unknown".into())
        ),
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
