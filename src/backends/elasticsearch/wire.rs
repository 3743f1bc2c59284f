//! Elasticsearch's and OpenSearch's JSON, privately. Tolerant: unknown fields are ignored and
//! missing ones default, except the one field per response that says it is the expected API at
//! all (`status` of a health, `index` of a cat row, `count` of a count, ...), so that a proxy's
//! unrelated JSON is a decode error rather than an empty answer. `_cat` cells arrive as strings,
//! `null` where the value is unknown (a closed index's doc count), and are read through [`Cell`].
//! Shapes: the Elasticsearch specification's examples (elastic/elasticsearch-specification) and
//! the OpenSearch documentation's; OpenSearch adds fields (`discovered_cluster_manager`), never
//! renames them.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A `_cat` value: a string, a number, or `null`/absent.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Cell(Option<String>);

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Cell(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }))
    }
}

impl Cell {
    pub fn text(&self) -> Option<&str> {
        self.0.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// A count or a byte size (`bytes=b` makes sizes plain integers).
    pub fn u64(&self) -> Option<u64> {
        self.text()?.parse().ok()
    }

    pub fn i64(&self) -> Option<i64> {
        self.text()?.parse().ok()
    }

    pub fn f64(&self) -> Option<f64> {
        self.text()?.parse().ok().filter(|f: &f64| f.is_finite())
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ClusterHealth {
    pub status: String,
    #[serde(default)]
    pub cluster_name: String,
    #[serde(default)]
    pub timed_out: bool,
    #[serde(default)]
    pub number_of_nodes: u64,
    #[serde(default)]
    pub number_of_data_nodes: u64,
    #[serde(default)]
    pub active_primary_shards: u64,
    #[serde(default)]
    pub active_shards: u64,
    #[serde(default)]
    pub relocating_shards: u64,
    #[serde(default)]
    pub initializing_shards: u64,
    #[serde(default)]
    pub unassigned_shards: u64,
    #[serde(default)]
    pub delayed_unassigned_shards: u64,
    #[serde(default)]
    pub number_of_pending_tasks: u64,
    #[serde(default)]
    pub task_max_waiting_in_queue_millis: u64,
    #[serde(default)]
    pub active_shards_percent_as_number: f64,
}

/// A `_cat/indices` row, with the columns `h=` asks for.
#[derive(Debug, Deserialize)]
pub(super) struct CatIndex {
    pub index: String,
    #[serde(default)]
    pub health: Cell,
    #[serde(default)]
    pub status: Cell,
    #[serde(default, rename = "docs.count")]
    pub docs_count: Cell,
    #[serde(default, rename = "store.size")]
    pub store_size: Cell,
    /// Epoch milliseconds.
    #[serde(default, rename = "creation.date")]
    pub creation_date: Cell,
}

/// One index in `GET /{index}/_settings/...`: `{"settings": {"index.blocks.write": "true"}}`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct IndexSettings {
    #[serde(default)]
    pub settings: Value,
}

#[derive(Debug, Deserialize)]
pub(super) struct CatThreadPool {
    pub node_name: String,
    #[serde(default)]
    pub name: Cell,
    #[serde(default)]
    pub active: Cell,
    #[serde(default)]
    pub queue: Cell,
    #[serde(default)]
    pub rejected: Cell,
}

/// A `_cat/allocation` row; the unassigned shards come as a row whose `node` is `UNASSIGNED`.
#[derive(Debug, Deserialize)]
pub(super) struct CatAllocation {
    pub node: String,
    #[serde(default)]
    pub shards: Cell,
    #[serde(default, rename = "disk.indices")]
    pub disk_indices: Cell,
    #[serde(default, rename = "disk.used")]
    pub disk_used: Cell,
    #[serde(default, rename = "disk.avail")]
    pub disk_avail: Cell,
    #[serde(default, rename = "disk.total")]
    pub disk_total: Cell,
    #[serde(default, rename = "disk.percent")]
    pub disk_percent: Cell,
    #[serde(default)]
    pub host: Cell,
    #[serde(default)]
    pub ip: Cell,
}

/// `GET /_cluster/settings`; with `filter_path`, a section nothing matched is left out.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ClusterSettings {
    pub persistent: Value,
    pub transient: Value,
    pub defaults: Value,
}

/// Settings as `a.b.c → value`, whether the server sent them flat (`flat_settings=true`), nested,
/// or nested down to dotted leaves (`"watermark": {"flood_stage.max_headroom": "100GB"}`).
pub(super) fn flatten(v: &Value, out: &mut BTreeMap<String, String>) {
    fn walk(v: &Value, key: &str, out: &mut BTreeMap<String, String>) {
        let leaf = match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let key = if key.is_empty() {
                        k.clone()
                    } else {
                        format!("{key}.{k}")
                    };
                    walk(v, &key, out);
                }
                return;
            }
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) => return,
        };
        out.insert(key.to_string(), leaf);
    }
    walk(v, "", out);
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct WireShards {
    pub total: u64,
    pub successful: u64,
    pub skipped: u64,
    pub failed: u64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Count {
    pub count: u64,
    #[serde(default, rename = "_shards")]
    pub shards: WireShards,
}

#[derive(Debug, Deserialize)]
pub(super) struct Search {
    #[serde(rename = "_shards")]
    pub shards: WireShards,
    #[serde(default)]
    pub timed_out: bool,
    #[serde(default)]
    pub aggregations: Option<Aggregations>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Aggregations {
    pub operations: Option<Terms>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Terms {
    pub sum_other_doc_count: u64,
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Bucket {
    /// A string for a keyword field.
    pub key: Value,
    pub doc_count: u64,
    pub duration: Option<Percentiles>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Percentiles {
    /// `{"95.0": 1234.5}` (keyed, the default), or `[{"key": 95.0, "value": 1234.5}]`; a value is
    /// `null` when no document had the field.
    pub values: Value,
}

impl Percentiles {
    pub fn get(&self, percent: f64) -> Option<f64> {
        let hit = |k: f64| (k - percent).abs() < 1e-9;
        match &self.values {
            Value::Object(m) => m
                .iter()
                .find(|(k, _)| k.parse::<f64>().is_ok_and(hit))
                .and_then(|(_, v)| v.as_f64()),
            Value::Array(items) => items
                .iter()
                .find(|i| i.get("key").and_then(Value::as_f64).is_some_and(hit))
                .and_then(|i| i.get("value")?.as_f64()),
            _ => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Acknowledged {
    pub acknowledged: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ForceMerge {
    #[serde(rename = "_shards")]
    pub shards: WireShards,
}

#[derive(Debug, Deserialize)]
pub(super) struct IndexTemplates {
    pub index_templates: Vec<NamedTemplate>,
}

#[derive(Debug, Deserialize)]
pub(super) struct NamedTemplate {
    pub name: String,
    #[serde(default)]
    pub index_template: Value,
}

/// `GET /_snapshot/{repo}/{snap}`: `{"snapshots": [...]}`; Elasticsearch 7.x between 7.6 and
/// 7.15 could answer `{"responses": [{"repository", "snapshots": [...]}]}` instead.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Snapshots {
    pub snapshots: Option<Vec<Snapshot>>,
    pub responses: Vec<RepositorySnapshots>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RepositorySnapshots {
    pub snapshots: Vec<Snapshot>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Snapshot {
    pub snapshot: String,
    #[serde(default)]
    pub uuid: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub indices: Vec<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub start_time_in_millis: Option<i64>,
    #[serde(default)]
    pub end_time_in_millis: Option<i64>,
    #[serde(default)]
    pub duration_in_millis: Option<u64>,
    #[serde(default)]
    pub failures: Vec<ShardFailure>,
    #[serde(default)]
    pub shards: WireShards,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ShardFailure {
    pub index: Option<String>,
    pub shard_id: Option<i64>,
    pub reason: Option<String>,
}

/// `PUT /_snapshot/{repo}/{snap}`: `{"accepted": true}`, or with `wait_for_completion=true`,
/// `{"snapshot": {...}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SnapshotCreated {
    pub accepted: Option<bool>,
    pub snapshot: Option<Snapshot>,
}

/// One index in `GET /{index}/_alias`: `{"aliases": {"jaeger-span-write": {"is_write_index":
/// true}}}`; an index without aliases has `"aliases": {}`.
#[derive(Debug, Deserialize)]
pub(super) struct IndexAliases {
    pub aliases: BTreeMap<String, AliasDefinition>,
}

/// Also `filter`, `index_routing`, `search_routing`, `is_hidden`: not read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AliasDefinition {
    /// Absent unless set; see `write_aliases` for what absence means.
    pub is_write_index: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RestoreAnswer {
    pub accepted: Option<bool>,
    pub snapshot: Option<RestoredSnapshot>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RestoredSnapshot {
    pub snapshot: String,
    pub indices: Vec<String>,
    pub shards: WireShards,
}

/// `{"error": {"root_cause": [...], "type", "reason"}, "status"}`. Elsewhere: `"error"` as a bare
/// string ("no handler found for uri ..."), and on AWS' managed OpenSearch `{"message"}` or
/// `{"Message"}` from its gateway.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ErrorResponse {
    pub error: Option<ErrorField>,
    pub message: Option<String>,
    #[serde(rename = "Message")]
    pub aws_message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum ErrorField {
    Object(ErrorObject),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ErrorObject {
    #[serde(rename = "type")]
    pub error_type: Option<String>,
    pub reason: Option<String>,
    pub root_cause: Vec<ErrorObject>,
}

impl ErrorResponse {
    /// The error type, when the body has one, and the message to show.
    pub fn describe(self) -> Option<(Option<String>, String)> {
        match self.error {
            Some(ErrorField::Object(e)) => {
                let mut message = e.reason.clone().unwrap_or_default();
                // A generic reason ("all shards failed") hides the cause in root_cause.
                if let Some(root) = e.root_cause.first()
                    && let Some(why) = root.reason.as_deref()
                    && why != message
                {
                    let ty = root.error_type.as_deref().unwrap_or("error");
                    message = if message.is_empty() {
                        format!("{ty}: {why}")
                    } else {
                        format!("{message} (root cause: {ty}: {why})")
                    };
                }
                let ty = e
                    .error_type
                    .or_else(|| e.root_cause.into_iter().find_map(|r| r.error_type));
                Some((ty, message))
            }
            Some(ErrorField::Text(s)) => Some((None, s)),
            None => self.message.or(self.aws_message).map(|m| (None, m)),
        }
    }
}
