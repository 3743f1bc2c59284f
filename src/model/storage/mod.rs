//! Trace storage as tracectl reads it: Elasticsearch/OpenSearch cluster and index health,
//! shards, write rejections, disks and watermarks, snapshots, and Jaeger's daily index names.
//!
//! Filled by `crate::backends::elasticsearch`, read by the data-loss analysis and the retention
//! planner; no I/O here. Tests: `names.rs` and `disk.rs` (their own), the rest through the
//! Elasticsearch client's tests.

pub mod disk;
pub mod names;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use disk::{
    DiskUsage, NodeDisk, Watermark, WatermarkLevel, Watermarks, parse_byte_size, parse_watermark,
};
pub use names::{
    JaegerIndex, jaeger_index_name, jaeger_index_pattern, parse_jaeger_index, valid_index_name,
    valid_index_pattern,
};

/// A cluster's or an index's health colour.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Green,
    Yellow,
    Red,
    /// Not reported (a closed index on old versions), or a value this build does not know.
    Unknown(String),
}

impl Health {
    pub(crate) fn parse(s: &str) -> Health {
        match s.to_ascii_lowercase().as_str() {
            "green" => Health::Green,
            "yellow" => Health::Yellow,
            "red" => Health::Red,
            _ => Health::Unknown(s.to_string()),
        }
    }
}

/// `GET /_cluster/health`. Counts the server did not send are 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterHealth {
    pub cluster_name: String,
    pub status: Health,
    pub timed_out: bool,
    pub number_of_nodes: u64,
    pub number_of_data_nodes: u64,
    pub active_primary_shards: u64,
    pub active_shards: u64,
    pub relocating_shards: u64,
    pub initializing_shards: u64,
    pub unassigned_shards: u64,
    pub delayed_unassigned_shards: u64,
    pub number_of_pending_tasks: u64,
    pub task_max_waiting_in_queue_millis: u64,
    /// 0–100.
    pub active_shards_percent: f64,
}

/// Whether an index is open (`_cat/indices` says `open` or `close`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexStatus {
    Open,
    Close,
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexInfo {
    pub name: String,
    pub health: Health,
    pub status: IndexStatus,
    /// `None` for a closed index (Elasticsearch reports no count for it).
    pub docs_count: Option<u64>,
    pub store_size_bytes: Option<u64>,
    pub creation_date: Option<Timestamp>,
    /// `index.blocks.read_only_allow_delete`: set by the flood-stage disk watermark; writes fail
    /// with `cluster_block_exception` until it is cleared.
    pub read_only_allow_delete: bool,
    /// Every `index.blocks.*` set to true (`read_only_allow_delete`, `write`, `read_only`, ...),
    /// sorted.
    pub blocks: Vec<String>,
}

/// One node's write thread pool. `rejected` counts since the node started: compare two readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPoolStats {
    pub node: String,
    pub pool: String,
    pub active: u64,
    pub queue: u64,
    pub rejected: u64,
}

/// Shards a search or count ran on. `failed > 0` means the answer is partial.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shards {
    pub total: u64,
    pub successful: u64,
    pub skipped: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanCount {
    pub count: u64,
    pub shards: Shards,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationStats {
    pub operation: String,
    pub spans: u64,
    /// Microseconds (Jaeger's `duration`), approximate (TDigest); `None` when not computed.
    pub p95_duration_us: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationStatsReport {
    /// Most spans first, then by name.
    pub operations: Vec<OperationStats>,
    /// Spans of operations past the bucket limit (`sum_other_doc_count`): non-zero means the list
    /// is truncated.
    pub other_spans: u64,
    pub timed_out: bool,
    pub shards: Shards,
}

/// An index template as stored, in the shape its PUT takes back (read-only fields removed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexTemplate {
    pub name: String,
    pub index_patterns: Vec<String>,
    /// `priority` (composable) or `order` (legacy).
    pub priority: Option<i64>,
    pub version: Option<i64>,
    pub composed_of: Vec<String>,
    pub body: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SnapshotState {
    InProgress,
    Success,
    Partial,
    Failed,
    Incompatible,
    Unknown(String),
}

impl SnapshotState {
    pub(crate) fn parse(s: &str) -> SnapshotState {
        match s {
            "IN_PROGRESS" | "STARTED" => SnapshotState::InProgress,
            "SUCCESS" => SnapshotState::Success,
            "PARTIAL" => SnapshotState::Partial,
            "FAILED" => SnapshotState::Failed,
            "INCOMPATIBLE" => SnapshotState::Incompatible,
            _ => SnapshotState::Unknown(s.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub snapshot: String,
    pub uuid: String,
    pub state: SnapshotState,
    /// The server's version (`8.15.0`, `2.0.1`), when it says.
    pub version: Option<String>,
    pub indices: Vec<String>,
    pub start_time: Option<Timestamp>,
    pub end_time: Option<Timestamp>,
    pub duration_ms: Option<u64>,
    pub shards: Shards,
    /// `index[shard]: reason` for each failed shard.
    pub failures: Vec<String>,
}

/// What a snapshot or restore request answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotStarted {
    /// `wait_for_completion=false`: started; poll [`ElasticsearchClient::get_snapshot`].
    Accepted,
    /// Boxed: a finished snapshot's details are large next to `Accepted`.
    Completed(Box<SnapshotInfo>),
}

/// What to restore from a snapshot, and as what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreOptions {
    /// Index patterns to restore; at least one (an empty list would mean "every index").
    pub indices: Vec<String>,
    /// A regex over the index names, and its replacement (`$1`), to restore beside live indices.
    pub rename_pattern: Option<String>,
    pub rename_replacement: Option<String>,
    /// Restore the indices' aliases too. Off by default: Jaeger's rollover aliases
    /// (`jaeger-span-write`) would then point at the restored indices.
    pub include_aliases: bool,
    pub wait_for_completion: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restored {
    Accepted,
    Completed {
        snapshot: String,
        indices: Vec<String>,
        shards: Shards,
    },
}
