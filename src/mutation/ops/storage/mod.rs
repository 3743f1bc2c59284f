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
//! deletes that exact name. The snapshot itself is taken by `backup.rs` (the executor routes
//! [`Operation::CreateSnapshot`] there). [`undo`] restores a deleted index from the snapshot
//! (unless it exists again), puts a replaced template back, deletes a created one.
//! Not here: the retention rule (`analysis/retention.rs`), HTTP (`backends/elasticsearch`).
//! Tests: below (the pure parts), `tests/it/maintain/storage.rs` (a month of indices against a
//! stateful Elasticsearch fixture).

use std::path::Path;

use anyhow::Result;
use jiff::Timestamp;
use serde_json::{Map, Value};

use super::Ctx;
use crate::analysis::retention::{self, Decision, IndexStat, JaegerName, Layout, Policy};
use crate::backends::elasticsearch::{
    ElasticsearchClient, IndexInfo, IndexTemplate, JaegerIndex, RestoreOptions, Restored,
    jaeger_index_name, jaeger_index_pattern, valid_index_name,
};
use crate::cli::StorageArgs;
use crate::error::UsageError;
use crate::mutation::diff::{object_diff, sha256};
use crate::mutation::exec::Exec;
use crate::mutation::journal::Undo;
use crate::mutation::runner::{ActionError, must_look};
use crate::mutation::{ActionResult, Change, Inverse, Observed, Operation, Plan, PlannedAction};
use crate::transport::BackendError;

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
fn read_template(path: &Path) -> Result<Value, UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UsageError::with_hint(
            format!("--template {}: cannot read: {e}", path.display()),
            "pass the index template as a JSON file",
        )
    })?;
    let body: Value = serde_json::from_str(&text).map_err(|e| {
        UsageError::with_hint(
            format!("--template {}: not JSON: {e}", path.display()),
            "the file holds the body of PUT _index_template/NAME (or _template/NAME with --legacy-template)",
        )
    })?;
    if !body.is_object() || body.get("index_patterns").is_none() {
        return Err(UsageError::with_hint(
            format!(
                "--template {}: not an index template (no index_patterns)",
                path.display()
            ),
            "the file holds the body of PUT _index_template/NAME, e.g. {\"index_patterns\": [\"jaeger-span-*\"], \"template\": {...}}",
        ));
    }
    Ok(body)
}

async fn get_template(
    es: &ElasticsearchClient,
    name: &str,
    legacy: bool,
) -> Result<Option<IndexTemplate>, BackendError> {
    if legacy {
        es.get_legacy_template(name).await
    } else {
        es.get_index_template(name).await
    }
}

fn template_kind(legacy: bool) -> &'static str {
    if legacy {
        "legacy template"
    } else {
        "index template"
    }
}

fn template_action(
    name: &str,
    legacy: bool,
    file: &Path,
    body: Value,
    live: Option<IndexTemplate>,
    step: u8,
) -> PlannedAction {
    let kind = template_kind(legacy);
    let (change, summary, diff, observed, inverse, backup) = match live {
        None => (
            Change::Create,
            format!("create {kind} {name} from {}", file.display()),
            vec![],
            Observed::Absent,
            Some(Inverse::DeleteIndexTemplate {
                name: name.into(),
                legacy,
            }),
            None,
        ),
        Some(live) => {
            let diff = template_diff(&body, &live.body, legacy);
            let observed = Observed::Present {
                resource_version: template_version(&live.body, legacy),
                uid: None,
            };
            if diff.is_empty() {
                (
                    Change::Unchanged,
                    format!("{kind} {name} is as {} has it", file.display()),
                    vec![],
                    observed,
                    None,
                    None,
                )
            } else {
                (
                    Change::Update,
                    format!("replace {kind} {name} with {}", file.display()),
                    diff,
                    observed,
                    Some(Inverse::RestoreIndexTemplate {
                        name: name.into(),
                        legacy,
                    }),
                    Some(live.body),
                )
            }
        }
    };
    PlannedAction {
        id: format!(
            "{}/{name}",
            if legacy {
                "legacy-template"
            } else {
                "index-template"
            }
        ),
        step,
        step_id: STEP.into(),
        change,
        summary,
        diff,
        operation: Operation::PutIndexTemplate {
            name: name.into(),
            legacy,
            source: file.to_path_buf(),
            body,
        },
        observed,
        inverse,
        backup,
    }
}

/// A template as Elasticsearch stores it, so that the file and the live template compare alike
/// when a PUT of the file would change nothing: settings come back nested under `index` with
/// every value a string (`number_of_shards: 1` → `index.number_of_shards: "1"`), and defaults
/// come back (`aliases: {}`, legacy `order: 0`).
fn normalize_template(body: &Value, legacy: bool) -> Value {
    let mut v = body.clone();
    let settings = if legacy {
        v.get_mut("settings")
    } else {
        v.get_mut("template").and_then(|t| t.get_mut("settings"))
    };
    if let Some(s) = settings {
        let mut flat = Map::new();
        flatten_settings("", s, &mut flat);
        *s = Value::Object(flat);
    }
    drop_empty(&mut v);
    if let Some(m) = v.as_object_mut()
        && legacy
        && m.get("order").and_then(Value::as_i64) == Some(0)
    {
        m.remove("order");
    }
    v
}

fn flatten_settings(path: &str, v: &Value, out: &mut Map<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten_settings(&p, x, out);
            }
        }
        _ => {
            let key = if path.starts_with("index.") {
                path.to_string()
            } else {
                format!("index.{path}")
            };
            out.insert(key, stringify(v));
        }
    }
}

fn stringify(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(a) => Value::Array(a.iter().map(stringify).collect()),
        other => other.clone(),
    }
}

/// Empty objects and arrays are what Elasticsearch reports for "none".
fn drop_empty(v: &mut Value) {
    if let Value::Object(m) = v {
        for x in m.values_mut() {
            drop_empty(x);
        }
        m.retain(|_, x| match x {
            Value::Object(o) => !o.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        });
    }
}

/// What a PUT of `wanted` would change in `live`: `~ path` for what differs or is added,
/// `- path` for what it removes. Empty: unchanged.
fn template_diff(wanted: &Value, live: &Value, legacy: bool) -> Vec<String> {
    let (w, l) = (
        normalize_template(wanted, legacy),
        normalize_template(live, legacy),
    );
    let mut out = object_diff(&w, &l);
    for p in object_diff(&l, &w) {
        if !out.contains(&p) {
            out.push(format!("{p} (removed)"));
        }
    }
    out
}

/// A template's version for `observed`: the digest of how it is stored.
fn template_version(body: &Value, legacy: bool) -> String {
    sha256(&normalize_template(body, legacy))
}

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
            b.map(human_bytes).unwrap_or_else(|| "size unknown".into()),
            d.map(|d| format!("{} docs", thousands(d)))
                .unwrap_or_else(|| "docs unknown".into())
        ),
    }
}

fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if b < 1024 {
        return format!("{b} B");
    }
    let mut v = b as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
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

fn es_err(e: BackendError) -> ActionError {
    ActionError::with_hint(e.one_line(), e.hint())
}

fn es<'a>(x: &'a Exec<'_>) -> Result<&'a ElasticsearchClient, ActionError> {
    x.elasticsearch("maintain storage")
        .map_err(|e| ActionError {
            message: e.message,
            hint: e.hint,
        })
}

const REPLAN: &str = "run `tracectl maintain storage --dry-run` again and review it";

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
async fn check_deletable(
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

fn resource_of(info: &IndexInfo) -> String {
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
fn changed_since(
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_and_counts_read_as_people_say_them() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(1_288_490_189), "1.2 GiB");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
        assert_eq!(
            size_docs(Some(1 << 20), Some(12_345)),
            "1.0 MiB, 12,345 docs"
        );
        assert_eq!(size_docs(None, None), "closed: size and docs unknown");
        assert_eq!(count(1, "index", "indices"), "1 index");
        assert_eq!(count(0, "index", "indices"), "0 indices");
    }

    #[test]
    fn snapshot_names_are_lowercase_utc() {
        let t: Timestamp = "2026-11-25T01:00:30+01:00".parse().unwrap();
        let name = snapshot_name(t);
        assert_eq!(name, "tracectl-retention-20261125t000030z");
        assert!(valid_index_name(&name));
    }

    #[test]
    fn the_list_pattern_covers_the_three_kinds_of_the_prefix() {
        assert_eq!(
            list_pattern(None),
            "jaeger-span-*,jaeger-service-*,jaeger-dependencies-*"
        );
        assert_eq!(
            list_pattern(Some("prod")),
            "prod-jaeger-span-*,prod-jaeger-service-*,prod-jaeger-dependencies-*"
        );
    }

    fn args() -> StorageArgs {
        StorageArgs::default()
    }

    #[test]
    fn flags_that_ask_nothing_or_contradict_are_usage_errors() {
        let e = check_args(&args()).unwrap_err();
        assert!(e.hint.unwrap().contains("--retention-days"));
        let both = StorageArgs {
            retention_days: Some(30),
            skip_snapshot: true,
            snapshot_repository: Some("backups".into()),
            ..args()
        };
        assert!(check_args(&both).is_err());
        let segments = StorageArgs {
            max_num_segments: Some(2),
            template: Some("t.json".into()),
            ..args()
        };
        assert!(check_args(&segments).is_err());
        let zero = StorageArgs {
            forcemerge: true,
            max_num_segments: Some(0),
            ..args()
        };
        assert!(check_args(&zero).is_err());
        let prefix = StorageArgs {
            retention_days: Some(30),
            prefix: Some("prod*".into()),
            ..args()
        };
        assert!(check_args(&prefix).is_err());
        let ok = StorageArgs {
            retention_days: Some(30),
            prefix: Some("prod".into()),
            ..args()
        };
        assert!(check_args(&ok).is_ok());
    }

    #[test]
    fn refusal_names_both_flags() {
        let e = refuse_unsnapshotted(&["jaeger-span-2026-10-01".into()]);
        assert!(e.message.contains("1 index"), "{}", e.message);
        let hint = e.hint.unwrap();
        assert!(hint.contains("--snapshot-repository") && hint.contains("--skip-snapshot"));
    }

    fn decision(name: &str, delete: bool) -> Decision {
        let index = IndexStat {
            name: name.into(),
            docs: Some(1234),
            size_bytes: Some(3 << 30),
            creation: Some("2026-10-01T00:00:05Z".parse().unwrap()),
            write_index: false,
        };
        let now: Timestamp = "2026-11-25T00:00:30Z".parse().unwrap();
        let mut d = retention::plan(&[index], &Policy::new(None, 30, 0), now)
            .pop()
            .unwrap();
        if !delete {
            d.verdict = retention::Verdict::Keep {
                reason: "today's index".into(),
            };
        }
        d
    }

    #[test]
    fn deletions_and_kept_indices_read_in_the_plan() {
        let d = decision("jaeger-span-2026-10-01", true);
        assert!(d.verdict.is_delete());
        let snap = ("backups".to_string(), "tracectl-retention-x".to_string());
        let a = index_action(&d, Some(&snap), 3);
        assert_eq!(a.change, Change::Delete);
        assert!(a.change.is_change());
        assert_eq!(a.id, "index/jaeger-span-2026-10-01");
        assert_eq!(
            a.summary,
            "delete index jaeger-span-2026-10-01 (3.0 GiB, 1,234 docs): 2026-10-01 is 55 days old, retention 30 days"
        );
        assert_eq!(
            a.inverse,
            Some(Inverse::RestoreIndex {
                repository: "backups".into(),
                snapshot: "tracectl-retention-x".into(),
                index: "jaeger-span-2026-10-01".into(),
            })
        );
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["operation"]["op"], "delete_index");
        assert_eq!(v["operation"]["docs"], 1234);
        assert_eq!(v["change"], "delete");

        let skipped = index_action(&d, None, 3);
        assert_eq!(
            skipped.inverse,
            Some(Inverse::Keep {
                reason: SKIPPED_SNAPSHOT.into()
            })
        );

        let k = index_action(&decision("jaeger-span-2026-11-25", false), None, 3);
        assert_eq!(k.change, Change::Unchanged);
        assert_eq!(k.inverse, None);
        assert!(
            k.summary
                .starts_with("keep index jaeger-span-2026-11-25 (3.0 GiB")
        );
        assert!(k.summary.ends_with(": today's index"));
    }

    #[test]
    fn a_template_as_elasticsearch_stores_it_is_unchanged() {
        let file = json!({
            "index_patterns": ["jaeger-span-*"],
            "priority": 100,
            "template": {
                "settings": {"number_of_shards": 1, "index": {"number_of_replicas": 0}},
                "mappings": {"properties": {"duration": {"type": "long"}}},
                "aliases": {}
            }
        });
        let stored = json!({
            "index_patterns": ["jaeger-span-*"],
            "priority": 100,
            "composed_of": [],
            "template": {
                "settings": {"index": {"number_of_shards": "1", "number_of_replicas": "0"}},
                "mappings": {"properties": {"duration": {"type": "long"}}}
            }
        });
        assert_eq!(template_diff(&file, &stored, false), Vec::<String>::new());
        assert_eq!(
            template_version(&file, false),
            template_version(&stored, false)
        );

        let mut other = stored.clone();
        other["template"]["settings"]["index"]["number_of_shards"] = json!("3");
        other["_meta"] = json!({"by": "someone"});
        let diff = template_diff(&file, &other, false);
        assert!(
            diff.contains(&"template.settings.index.number_of_shards".to_string()),
            "{diff:?}"
        );
        assert!(diff.contains(&"_meta (removed)".to_string()), "{diff:?}");

        // Legacy: settings at the top, `order: 0` is the default.
        let legacy_file =
            json!({"index_patterns": ["*jaeger-span-*"], "settings": {"number_of_shards": 5}});
        let legacy_live = json!({"order": 0, "index_patterns": ["*jaeger-span-*"], "settings": {"index": {"number_of_shards": "5"}}, "mappings": {}, "aliases": {}});
        assert!(template_diff(&legacy_file, &legacy_live, true).is_empty());
    }

    #[test]
    fn template_actions_create_update_or_leave_alone() {
        let body = json!({"index_patterns": ["jaeger-*"], "template": {"settings": {"number_of_shards": 1}}});
        let file = Path::new("t.json");
        let create = template_action("jaeger", false, file, body.clone(), None, 1);
        assert_eq!(create.change, Change::Create);
        assert_eq!(create.observed, Observed::Absent);
        assert_eq!(
            create.inverse,
            Some(Inverse::DeleteIndexTemplate {
                name: "jaeger".into(),
                legacy: false
            })
        );
        let live = |b: Value| IndexTemplate {
            name: "jaeger".into(),
            index_patterns: vec!["jaeger-*".into()],
            priority: None,
            version: None,
            composed_of: vec![],
            body: b,
        };
        let same = template_action(
            "jaeger",
            false,
            file,
            body.clone(),
            Some(live(
                json!({"index_patterns": ["jaeger-*"], "template": {"settings": {"index": {"number_of_shards": "1"}}}}),
            )),
            1,
        );
        assert_eq!(same.change, Change::Unchanged);
        assert_eq!(same.inverse, None);
        let old = json!({"index_patterns": ["jaeger-*"], "template": {"settings": {"index": {"number_of_shards": "2"}}}});
        let update = template_action("jaeger", false, file, body, Some(live(old.clone())), 1);
        assert_eq!(update.change, Change::Update);
        assert_eq!(update.backup, Some(old));
        assert_eq!(
            update.diff,
            ["template.settings.index.number_of_shards".to_string()]
        );
        assert!(matches!(
            update.inverse,
            Some(Inverse::RestoreIndexTemplate { legacy: false, .. })
        ));
    }

    #[test]
    fn template_files_must_be_templates() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{not json").unwrap();
        assert!(
            read_template(&bad)
                .unwrap_err()
                .message
                .contains("not JSON")
        );
        let none = dir.path().join("none.json");
        std::fs::write(&none, r#"{"template": {}}"#).unwrap();
        assert!(
            read_template(&none)
                .unwrap_err()
                .message
                .contains("index_patterns")
        );
        assert!(read_template(&dir.path().join("missing.json")).is_err());
    }
}
