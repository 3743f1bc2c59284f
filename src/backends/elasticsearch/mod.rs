//! Elasticsearch or OpenSearch holding Jaeger's indices: cluster health, indices and their write
//! blocks, write rejections, disk, span counts, per-operation statistics, and the maintenance
//! calls (delete, force merge, templates, snapshots, clearing the flood-stage block).
//!
//! This module holds the domain types; [`ElasticsearchClient`] fills them (`client.rs`: reads,
//! request plumbing, error mapping; `maintain.rs`: the maintenance calls). The pure naming rules
//! (`names.rs`: index patterns, Jaeger's daily index names) and disk watermark rules (`disk.rs`)
//! sit beside it. It never talks HTTP itself: every exchange goes through
//! [`crate::transport`], so `--record`/`--replay` work unchanged. It is not the analysis of what
//! it reads (that is the data-loss runbook's), nor the plans that call the mutations.
//!
//! Endpoints, and why each:
//!
//! | method | request | for |
//! |---|---|---|
//! | `cluster_health` | `GET /_cluster/health` | red/yellow cluster, unassigned shards |
//! | `indices` | `GET /_cat/indices/{p}?format=json&bytes=b&h=…`, `GET /{p}/_settings/index.blocks.*?flat_settings=true` | missing or read-only (flood-stage) indices |
//! | `write_rejections` | `GET /_cat/thread_pool/write?format=json&h=…` | bulk writes rejected under load |
//! | `disk_usage` | `GET /_cat/allocation?format=json&bytes=b`, `GET /_cluster/settings?include_defaults=true&flat_settings=true&filter_path=…` | disks past a watermark |
//! | `count` | `POST /{p}/_count` (through the service proxy, `GET ?source=`) | does a service's data arrive at all |
//! | `operation_stats` | `POST /{p}/_search` (`size: 0`, `terms` + `percentiles`; through the service proxy, `GET ?source=`) | per-operation counts and p95 at scale |
//! | `delete_index`, `forcemerge`, `clear_read_only` | `DELETE /{i}`, `POST /{i}/_forcemerge`, `PUT /{p}/_settings` | retention, storage |
//! | `*_index_template`, `*_legacy_template` | `/_index_template/{n}` (ES 8+), `/_template/{n}` (ES 7, OpenSearch: what Jaeger installs there) | backup, restore |
//! | `create_snapshot`, `get_snapshot`, `restore_snapshot` | `/_snapshot/{repo}/{snap}[/_restore]` | backup, restore |
//! | `snapshot_repository` | `GET /_snapshot/{repo}` | is the backup's destination there |
//! | `write_aliases` | `GET /{p}/_alias?expand_wildcards=all` | retention never deletes a rollover write index |
//!
//! API references: <https://www.elastic.co/docs/api/doc/elasticsearch/> and
//! <https://docs.opensearch.org/latest/api-reference/>. Jaeger's span document fields
//! (`process.serviceName`, `operationName`, `startTimeMillis`, `duration` in µs) are from its
//! `jaeger-span.json` index template. `_cat` APIs are documented "for humans"; they are used here
//! anyway with `format=json` and explicit columns, because the alternatives (`_stats`,
//! `_nodes/stats`) are large and differ more between Elasticsearch and OpenSearch.
//! Tests: `tests/` (a fake transport answering bodies shaped field for field like the two
//! projects' own API examples), and the unit tests of `crate::model::storage`.

mod client;
mod maintain;
#[cfg(test)]
mod tests;
mod wire;

pub use crate::model::storage::disk::{
    DiskUsage, NodeDisk, Watermark, WatermarkLevel, Watermarks, parse_byte_size, parse_watermark,
};
pub use crate::model::storage::names::{
    JaegerIndex, jaeger_index_name, jaeger_index_pattern, parse_jaeger_index, valid_index_name,
    valid_index_pattern,
};
pub use client::ElasticsearchClient;

pub use crate::model::storage::{
    ClusterHealth, Health, IndexInfo, IndexStatus, IndexTemplate, OperationStats,
    OperationStatsReport, RestoreOptions, Restored, Shards, SnapshotInfo, SnapshotStarted,
    SnapshotState, SpanCount, ThreadPoolStats,
};
