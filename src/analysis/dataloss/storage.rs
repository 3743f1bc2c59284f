//! Storage findings: a red (or yellow) cluster and a task backlog (`storage_unhealthy`), the index
//! Jaeger writes to being read-only or the write pool rejecting (`storage_rejections`), today's
//! index missing (`storage_missing_index`), disks past a watermark, Jaeger's own collector
//! dropping (`spans_dropped`). The reverse loss (`query_mismatch`) is in `query.rs`.
//!
//! Which index Jaeger writes to: today's `[prefix-]jaeger-span-YYYY-MM-DD` (UTC), or with rollover
//! (`es.use-aliases`) the newest `[prefix-]jaeger-span-NNNNNN`. Pure; tests in `tests.rs`.

use super::services::spans;
use super::{DataLossEvidence, DataLossParams, StorageEvidence};
use crate::model::storage::{
    Health, IndexInfo, JaegerIndex, jaeger_index_name, jaeger_index_pattern, parse_jaeger_index,
};
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

const ES: &str = "elasticsearch";

pub(super) fn es_subject(resource: &str) -> Subject {
    Subject::default()
        .with_dependency(ES)
        .with_resource(resource)
}

pub(super) fn es_evidence(query: String, value: String) -> Evidence {
    Evidence {
        source: ES.into(),
        query: Some(query),
        value: Some(value),
        ..Default::default()
    }
}

/// Jaeger's span indices, sorted into what the configured prefix writes and everything else.
pub(super) struct Layout<'a> {
    /// Daily indices with the configured prefix, oldest first.
    pub daily: Vec<&'a IndexInfo>,
    /// Rollover indices (`jaeger-span-000001`) with the configured prefix, oldest first.
    pub rollover: Vec<&'a IndexInfo>,
    /// Every other `*jaeger-span*` index: another prefix, another date layout.
    pub other: Vec<&'a IndexInfo>,
}

pub(super) fn layout<'a>(indices: &'a [IndexInfo], prefix: Option<&str>) -> Layout<'a> {
    let base = jaeger_index_pattern(prefix, JaegerIndex::Span);
    let base = base.trim_end_matches('*');
    let mut l = Layout {
        daily: Vec::new(),
        rollover: Vec::new(),
        other: Vec::new(),
    };
    for i in indices {
        // Ours when it is exactly the name the configured prefix gives that day.
        let daily = parse_jaeger_index(&i.name).is_some_and(|(_, kind, day)| {
            kind == JaegerIndex::Span && jaeger_index_name(prefix, kind, day) == i.name
        });
        let rollover = i
            .name
            .strip_prefix(base)
            .is_some_and(|n| n.len() == 6 && n.bytes().all(|b| b.is_ascii_digit()));
        if daily {
            l.daily.push(i);
        } else if rollover {
            l.rollover.push(i);
        } else {
            l.other.push(i);
        }
    }
    l.daily.sort_by(|a, b| a.name.cmp(&b.name));
    l.rollover.sort_by(|a, b| a.name.cmp(&b.name));
    l
}

pub(super) fn names(list: &[&IndexInfo], n: usize) -> String {
    let mut v: Vec<&str> = list.iter().take(n).map(|i| i.name.as_str()).collect();
    if list.len() > n {
        v.push("…");
    }
    v.join(", ")
}

pub(super) fn storage(
    ev: &DataLossEvidence,
    s: &StorageEvidence,
    p: &DataLossParams,
    exporter_failing: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let url = s.url.trim_end_matches('/');
    let flood_nodes: Vec<String> = s
        .disk
        .as_ref()
        .map(|d| {
            d.nodes
                .iter()
                .filter(|n| {
                    d.watermarks
                        .flood_stage
                        .as_ref()
                        .is_some_and(|w| n.exceeds(w) == Some(true))
                })
                .map(|n| {
                    format!(
                        "{} {}% used ({} free)",
                        n.node,
                        n.percent.map_or("?".into(), |p| format!("{p:.0}")),
                        n.free_bytes().map_or("?".into(), |b| format!(
                            "{:.1} GiB",
                            b as f64 / 1073741824.0
                        ))
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut disk_explained = false;

    if let Some(indices) = &s.indices {
        let l = layout(indices, s.prefix.as_deref());
        let today = l.daily.iter().find(|i| i.name == s.today).copied();
        let target = today.or_else(|| {
            if l.rollover.is_empty() {
                None
            } else {
                l.rollover.last().copied()
            }
        });
        let pattern = jaeger_index_pattern(s.prefix.as_deref(), JaegerIndex::Span);
        if let Some(t) = target
            && let Some(block) = t
                .blocks
                .iter()
                .find(|b| matches!(b.as_str(), "read_only_allow_delete" | "write" | "read_only"))
        {
            let flood = block == "read_only_allow_delete";
            let mut f = Finding::new(
                "storage_rejections",
                Severity::Critical,
                0.96,
                es_subject(&t.name),
                format!(
                    "{} is read-only (index.blocks.{block}): every span write is rejected",
                    t.name
                ),
            )
            .detail(if flood {
                format!(
                    "Elasticsearch sets this block when a node's disk passes the flood-stage \
                     watermark{}; writes fail with cluster_block_exception until the disk is \
                     below it and the block is cleared (7.4+ clears it by itself below the high \
                     watermark).",
                    if flood_nodes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", flood_nodes.join("; "))
                    }
                )
            } else {
                format!(
                    "index.blocks.{block} was set (by ILM, a rollover policy or by hand) on the \
                     index Jaeger writes to."
                )
            })
            .evidence(es_evidence(
                format!("GET /{}/_settings/index.blocks.*", t.name),
                format!("index.blocks.{block}=true"),
            ));
            if flood {
                disk_explained = true;
                for n in &flood_nodes {
                    f = f.evidence(es_evidence("GET /_cat/allocation".into(), n.clone()));
                }
                let oldest: Vec<&IndexInfo> = l
                    .daily
                    .iter()
                    .filter(|i| i.name != t.name)
                    .take(3)
                    .copied()
                    .collect();
                let high = s
                    .disk
                    .as_ref()
                    .and_then(|d| d.watermarks.high.as_ref())
                    .map(|w| w.raw.clone())
                    .unwrap_or_else(|| "90%".into());
                f = f.remediation(match oldest.first() {
                    None => remedy("storage_rejections", "free-disk", &[("high", &high)]),
                    Some(o) => remedy(
                        "storage_rejections",
                        "delete-oldest",
                        &[
                            ("high", &high),
                            ("oldest", &names(&oldest, 3)),
                            ("url", url),
                            ("index", &o.name),
                        ],
                    ),
                });
            }
            f = f.remediation(remedy(
                "storage_rejections",
                "clear-block",
                &[("url", url), ("pattern", &pattern), ("block", block)],
            ));
            out.push(f);
        }
        if today.is_none() && l.rollover.is_empty() {
            out.push(missing_index(s, &l, url, exporter_failing));
        }
    }

    if let Some(h) = &s.health {
        let cluster = if h.cluster_name.is_empty() {
            ES.to_string()
        } else {
            format!("cluster {}", h.cluster_name)
        };
        match &h.status {
            Health::Red => out.push(
                Finding::new(
                    "storage_unhealthy",
                    Severity::Critical,
                    0.94,
                    es_subject("storage"),
                    format!(
                        "Elasticsearch {cluster} is red: {} unassigned shards",
                        h.unassigned_shards
                    ),
                )
                .detail(format!(
                    "Red means a primary shard is unassigned: writes to its index fail. {} of \
                     {} nodes hold data; {:.0}% of shards are active.",
                    h.number_of_data_nodes, h.number_of_nodes, h.active_shards_percent
                ))
                .evidence(es_evidence(
                    "GET /_cluster/health".into(),
                    format!(
                        "status=red unassigned_shards={} active_shards_percent={:.1}",
                        h.unassigned_shards, h.active_shards_percent
                    ),
                ))
                .remediation(remedy("storage_unhealthy", "explain-red", &[("url", url)]))
                .remediation(remedy(
                    "storage_unhealthy",
                    "reroute",
                    &[("url", url)],
                )),
            ),
            Health::Yellow => out.push(
                Finding::new(
                    "storage_unhealthy",
                    Severity::Warning,
                    0.3,
                    es_subject("storage"),
                    format!(
                        "Elasticsearch {cluster} is yellow: {} replica shards unassigned",
                        h.unassigned_shards
                    ),
                )
                .detail(
                    "Writes still succeed, but one more lost node loses data. On a single node, \
                     set Jaeger's es.num-replicas to 0.",
                )
                .evidence(es_evidence(
                    "GET /_cluster/health".into(),
                    format!("status=yellow unassigned_shards={}", h.unassigned_shards),
                ))
                .remediation(remedy(
                    "storage_unhealthy",
                    "explain-yellow",
                    &[("url", url)],
                )),
            ),
            _ => {}
        }
        if h.number_of_pending_tasks as f64 > p.pending_tasks {
            out.push(
                Finding::new(
                    "storage_unhealthy",
                    Severity::Warning,
                    0.45,
                    es_subject("storage"),
                    format!(
                        "Elasticsearch has {} pending cluster tasks (oldest waiting {:.0}s)",
                        h.number_of_pending_tasks,
                        h.task_max_waiting_in_queue_millis as f64 / 1000.0
                    ),
                )
                .detail(
                    "A master backlog delays index creation and mapping updates: the day's \
                     first writes wait or fail.",
                )
                .evidence(es_evidence(
                    "GET /_cluster/health".into(),
                    format!("number_of_pending_tasks={}", h.number_of_pending_tasks),
                ))
                .remediation(remedy(
                    "storage_unhealthy",
                    "pending-tasks",
                    &[("url", url)],
                )),
            );
        }
    }

    if let Some(pools) = &s.pools {
        for t in pools.iter().filter(|t| t.rejected > 0) {
            let current = exporter_failing || t.queue > 0;
            out.push(
                Finding::new(
                    "storage_rejections",
                    if current {
                        Severity::Critical
                    } else {
                        Severity::Warning
                    },
                    if exporter_failing { 0.9 } else { 0.4 },
                    es_subject("storage"),
                    format!(
                        "{}'s write thread pool rejected {} bulk requests (queue {}, active {})",
                        t.node, t.rejected, t.queue, t.active
                    ),
                )
                .detail(if current {
                    "The write queue is full: bulk requests are rejected with 429 and the \
                     Collector's exporter gives up on them after its retries."
                } else {
                    "The count is since the node started: rejections may be old. Read it twice \
                     to see whether it still grows."
                })
                .evidence(es_evidence(
                    "GET /_cat/thread_pool/write".into(),
                    format!("{}: rejected={} queue={}", t.node, t.rejected, t.queue),
                ))
                .remediation(remedy("storage_rejections", "watch", &[("url", url)]))
                .remediation(remedy("storage_rejections", "fewer-bulks", &[])),
            );
        }
    }

    if let Some(d) = &s.disk {
        for n in &d.nodes {
            let past = |w: &Option<crate::model::storage::WatermarkLevel>| {
                w.as_ref().is_some_and(|w| n.exceeds(w) == Some(true))
            };
            let (level, raw, severity, score) = if past(&d.watermarks.flood_stage) {
                if disk_explained {
                    continue;
                }
                (
                    "flood-stage",
                    d.watermarks.flood_stage.as_ref().map(|w| w.raw.clone()),
                    Severity::Critical,
                    0.92,
                )
            } else if past(&d.watermarks.high) {
                (
                    "high",
                    d.watermarks.high.as_ref().map(|w| w.raw.clone()),
                    Severity::Warning,
                    0.5,
                )
            } else {
                continue;
            };
            out.push(
                Finding::new(
                    "storage_unhealthy",
                    severity,
                    score,
                    es_subject("storage"),
                    format!(
                        "{}'s disk is {}% used: past the {level} watermark ({})",
                        n.node,
                        n.percent.map_or("?".into(), |p| format!("{p:.0}")),
                        raw.unwrap_or_default()
                    ),
                )
                .detail(if level == "high" {
                    "Past the high watermark no new shard goes to this node; at the flood stage \
                     every index with a shard here becomes read-only."
                } else {
                    "Past the flood stage every index with a shard on this node is read-only: \
                     span writes fail."
                })
                .evidence(es_evidence(
                    "GET /_cat/allocation".into(),
                    format!(
                        "{}: {} of {} bytes free",
                        n.node,
                        n.free_bytes().unwrap_or(0),
                        n.total_bytes.unwrap_or(0)
                    ),
                ))
                .remediation(remedy(
                    "storage_unhealthy",
                    "disk",
                    &[
                        ("url", url),
                        (
                            "pattern",
                            &jaeger_index_pattern(s.prefix.as_deref(), JaegerIndex::Span),
                        ),
                    ],
                )),
            );
        }
    }

    if let Some((q, rate)) = &s.jaeger_dropped
        && rate.is_finite()
        && *rate >= p.funnel.min_loss_rate
    {
        out.push(
            Finding::new(
                "spans_dropped",
                Severity::Warning,
                0.6,
                Subject::default()
                    .with_dependency("jaeger-collector")
                    .with_resource("queue"),
                format!("Jaeger's collector drops or rejects {}", spans(*rate)),
            )
            .detail(
                "Jaeger v1's collector drops spans when its in-memory queue is full: storage \
                 writes slower than the inflow.",
            )
            .evidence(Evidence {
                source: "prometheus".into(),
                query: Some(q.clone()),
                value: Some(format!("{rate:.3}")),
                at: Some(crate::analysis::common::fmt_time(ev.now)),
                link: None,
                via: None,
            })
            .remediation(remedy("spans_dropped", "jaeger-queue", &[])),
        );
    }
    out
}

fn missing_index(s: &StorageEvidence, l: &Layout, url: &str, exporter_failing: bool) -> Finding {
    let pattern = jaeger_index_pattern(s.prefix.as_deref(), JaegerIndex::Span);
    let (severity, score, title, detail) = if !l.daily.is_empty() {
        let newest = l.daily.last().map(|i| i.name.as_str()).unwrap_or("");
        let detail = format!(
            "Jaeger creates the day's index on its first write: none of today's spans was \
             stored{}.",
            if exporter_failing {
                " (the Collector's exporter failures say the writes fail)"
            } else {
                ""
            }
        );
        if s.day_just_started {
            (
                Severity::Warning,
                0.4,
                format!(
                    "today's span index {} does not exist yet (newest: {newest})",
                    s.today
                ),
                detail,
            )
        } else {
            (
                Severity::Critical,
                0.9,
                format!(
                    "today's span index {} does not exist (newest: {newest})",
                    s.today
                ),
                detail,
            )
        }
    } else if !l.other.is_empty() {
        (
            Severity::Critical,
            0.88,
            format!(
                "no span index named {}: Jaeger's indices are {}",
                s.today,
                names(&l.other, 3)
            ),
            "Jaeger writes under another name than the one expected: another es.index-prefix \
             (--es-index-prefix), or another date layout."
                .to_string(),
        )
    } else {
        (
            Severity::Critical,
            0.85,
            format!("no Jaeger span index ({pattern}) exists"),
            "Jaeger has never stored a span in this cluster, or writes to another one.".to_string(),
        )
    };
    Finding::new(
        "storage_missing_index",
        severity,
        score,
        es_subject(&s.today),
        title,
    )
    .detail(detail)
    .evidence(es_evidence(
        "GET /_cat/indices/*jaeger-span*".into(),
        format!(
            "{} daily, {} rollover, {} other",
            l.daily.len(),
            l.rollover.len(),
            l.other.len()
        ),
    ))
    .remediation(remedy(
        "storage_missing_index",
        "list-indices",
        &[("url", url)],
    ))
}
