//! A stateful Elasticsearch 8.x fixture for `maintain`'s tests (backup, restore, retention,
//! storage), on the recording [`FixtureServer`]: one node, indices with documents, sizes,
//! creation dates, aliases and `index.blocks.*`, templates, snapshot repositories and snapshots,
//! so that a snapshot, a delete and a restore can be checked against what is there afterwards.
//!
//! Served, with the bodies Elasticsearch 8.15 sends (`X-Elastic-Product: Elasticsearch` on every
//! answer; errors as `{"error": {"root_cause": [...], "type", "reason", ...}, "status"}`):
//! - `GET /` (cluster info), `GET /_cluster/health[/{target}]`, `GET|PUT /_cluster/settings`
//!   (the disk watermark defaults with `include_defaults`, `flat_settings`, a `filter_path` of
//!   `section.key-glob`s);
//! - `GET /_cat/indices[/{target}]` (`format=json` or text with `v`, `h=` columns and their short
//!   names, `bytes=`, `s=`, `expand_wildcards`, default `all`), `GET /_cat/allocation` (one node
//!   whose disk is [`EsApi::set_disk`]'s, or the indices' bytes plus 5 GiB of 100 GiB),
//!   `GET /_cat/thread_pool[/write]` (no rejections);
//! - `GET|HEAD /{target}`, `DELETE /{index}` (one concrete index: a `*`, `,` or `_all` answers 400
//!   `illegal_argument_exception` "Wildcard expressions or all indices are not allowed", as with
//!   `action.destructive_requires_name=true`, an alias 400, a missing index 404
//!   `index_not_found_exception`, an `index.blocks.read_only` index 403);
//! - `POST /{target}/_forcemerge?max_num_segments=N` (recorded per index; closed indices answer
//!   400 `index_closed_exception`, flood-stage or read-only blocked ones 429/403
//!   `cluster_block_exception`, as the metadata-write block check does), `POST /{target}/_open`,
//!   `POST /{target}/_close`;
//! - `GET /{target}/_settings[/{names}]` (`flat_settings`), `PUT /{target}/_settings` (flat or
//!   nested, `null` resets; blocked indices accept only `index.blocks.*` changes), also as
//!   `/_settings` and `/_all/_settings`;
//! - `GET /_alias[/{name}]`, `GET /{target}/_alias[/{name}]` (a missing concrete alias: 404
//!   `{"error": "alias [x] missing", "status": 404}`), `POST /_aliases` (`add`, `remove`);
//! - `PUT|POST|GET|DELETE /_index_template/{name}` and `/_template/{name}` (settings normalized to
//!   nested `index.*` strings as Elasticsearch stores them; a legacy template read back with its
//!   `order`, `settings`, `mappings` and `aliases`; `create=true`; composable templates with the
//!   same priority and an overlapping pattern refused);
//! - `PUT|GET|DELETE /_snapshot/{repo}`, `GET /_snapshot`, `PUT|POST|GET|DELETE
//!   /_snapshot/{repo}/{snap}` (`wait_for_completion`; a snapshot copies the resolved indices'
//!   state, `state: SUCCESS`), `POST /_snapshot/{repo}/{snap}/_restore` (`indices`,
//!   `include_aliases`, `rename_pattern`/`rename_replacement`; an open index with the same name
//!   answers 500 `snapshot_restore_exception`, a second write index for an alias 500
//!   `illegal_state_exception`).
//!
//! Targets use the multi-target syntax: comma lists, `*` wildcards (over index and alias names),
//! `-exclusions`, `_all`, `expand_wildcards` (`open`, `closed`, `hidden`, `all`, `none`),
//! `ignore_unavailable`, `allow_no_indices`; an index whose name starts with `.` counts as
//! hidden. Every index has one primary shard and no replica, so the cluster is green.
//!
//! Not modelled: documents themselves (`_search`, `_count`, `_bulk` are not served; an index has
//! only its counts), mappings, data streams, ILM, tasks, security, more than one node, shard
//! allocation, date math, `filter_path` anywhere but `/_cluster/settings`, and snapshot
//! progress (a snapshot or restore completes at once; without `wait_for_completion` the answer
//! is `{"accepted": true}`). Unknown paths answer 400 "no handler found", as Elasticsearch does.
//! Its own tests are in `tests/it/harness_selftest.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::support::midway::Midway;
use crate::support::{FixtureServer, RecordedRequest, Response, Route};

const VERSION: &str = "8.15.0";
const VERSION_ID: u64 = 8_150_099;
/// `index.version.created` of an index made by 8.15.
const INDEX_VERSION: &str = "8512000";
const CLUSTER: &str = "tracing";
const NODE: &str = "es-node-0";
const GIB: u64 = 1 << 30;

/// One index: what a test seeds, and what [`EsApi::index`] reads back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexSeed {
    pub name: String,
    pub docs: u64,
    pub size_bytes: u64,
    pub creation: Timestamp,
    /// `(alias, is_write_index)`; the flag is always sent, `false` included.
    pub aliases: Vec<(String, bool)>,
    pub closed: bool,
    /// The `index.blocks.*` set to true (`read_only_allow_delete`, `write`, `read_only`, ...).
    pub blocks: Vec<String>,
}

impl IndexSeed {
    /// An open index without aliases or blocks.
    pub fn new(name: &str, docs: u64, size_bytes: u64, creation: Timestamp) -> IndexSeed {
        IndexSeed {
            name: name.to_string(),
            docs,
            size_bytes,
            creation,
            ..IndexSeed::default()
        }
    }

    pub fn alias(mut self, alias: &str, is_write_index: bool) -> IndexSeed {
        self.aliases.push((alias.to_string(), is_write_index));
        self
    }

    pub fn closed(mut self) -> IndexSeed {
        self.closed = true;
        self
    }

    pub fn block(mut self, block: &str) -> IndexSeed {
        self.blocks.push(block.to_string());
        self
    }
}

#[derive(Clone, Debug)]
struct Index {
    docs: u64,
    size_bytes: u64,
    creation_ms: i64,
    aliases: BTreeMap<String, bool>,
    closed: bool,
    uuid: String,
    /// Flat settings set on the index besides the fixed ones (`index.blocks.*`, ...).
    settings: BTreeMap<String, String>,
    segments: Option<u32>,
}

impl Index {
    fn seed(&self, name: &str) -> IndexSeed {
        IndexSeed {
            name: name.to_string(),
            docs: self.docs,
            size_bytes: self.size_bytes,
            creation: Timestamp::from_millisecond(self.creation_ms).unwrap_or_default(),
            aliases: self.aliases.iter().map(|(a, w)| (a.clone(), *w)).collect(),
            closed: self.closed,
            blocks: self.blocks(),
        }
    }

    fn blocks(&self) -> Vec<String> {
        self.settings
            .iter()
            .filter(|(_, v)| *v == "true")
            .filter_map(|(k, _)| k.strip_prefix("index.blocks.").map(str::to_string))
            .collect()
    }

    fn blocked(&self, block: &str) -> bool {
        self.settings
            .get(&format!("index.blocks.{block}"))
            .is_some_and(|v| v == "true")
    }

    /// Every flat setting `GET _settings` shows.
    fn all_settings(&self, name: &str) -> BTreeMap<String, String> {
        let mut s: BTreeMap<String, String> = [
            ("index.creation_date", self.creation_ms.to_string()),
            ("index.number_of_replicas", "0".into()),
            ("index.number_of_shards", "1".into()),
            ("index.provided_name", name.to_string()),
            (
                "index.routing.allocation.include._tier_preference",
                "data_content".into(),
            ),
            ("index.uuid", self.uuid.clone()),
            ("index.version.created", INDEX_VERSION.into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if self.closed {
            s.insert("index.verified_before_close".into(), "true".into());
        }
        s.extend(self.settings.clone());
        s
    }
}

#[derive(Clone, Debug)]
struct Snapshot {
    uuid: String,
    indices: BTreeMap<String, Index>,
    metadata: Option<Value>,
    include_global_state: bool,
    start_ms: i64,
    end_ms: i64,
}

#[derive(Clone, Debug)]
struct Repository {
    kind: String,
    settings: Value,
    uuid: String,
    snapshots: BTreeMap<String, Snapshot>,
}

#[derive(Default)]
struct Store {
    indices: BTreeMap<String, Index>,
    repos: BTreeMap<String, Repository>,
    index_templates: BTreeMap<String, Value>,
    legacy_templates: BTreeMap<String, Value>,
    forcemerges: Vec<(String, u32)>,
    /// Flat cluster settings set with `PUT /_cluster/settings`.
    persistent: BTreeMap<String, String>,
    transient: BTreeMap<String, String>,
    /// `(total, used)` bytes, when a test set them.
    disk: Option<(u64, u64)>,
    counter: u64,
}

impl Store {
    /// A fresh 22-character id, shaped like Elasticsearch's base64 UUIDs.
    fn uuid(&mut self, salt: &str) -> String {
        use sha2::{Digest, Sha256};
        self.counter += 1;
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Sha256::digest(format!("{salt}/{}", self.counter).as_bytes())
            .iter()
            .take(22)
            .map(|b| ALPHABET[usize::from(b % 64)] as char)
            .collect()
    }

    fn add_index(&mut self, seed: IndexSeed) {
        let uuid = self.uuid(&seed.name);
        let settings = seed
            .blocks
            .iter()
            .map(|b| (format!("index.blocks.{b}"), "true".to_string()))
            .collect();
        self.indices.insert(
            seed.name.clone(),
            Index {
                docs: seed.docs,
                size_bytes: seed.size_bytes,
                creation_ms: seed.creation.as_millisecond(),
                aliases: seed.aliases.into_iter().collect(),
                closed: seed.closed,
                uuid,
                settings,
                segments: None,
            },
        );
    }

    /// Alias name → its indices.
    fn aliases(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, index) in &self.indices {
            for alias in index.aliases.keys() {
                out.entry(alias.clone()).or_default().push(name.clone());
            }
        }
        out
    }
}

/// The running fixture.
pub struct EsApi {
    pub server: FixtureServer,
    store: Arc<Mutex<Store>>,
    /// Faults part way through a run (`midway.rs`): Elasticsearch's 500 error body.
    pub midway: Midway,
}

impl EsApi {
    /// A one-node cluster holding `indices`, with no template, repository or snapshot.
    pub fn start(indices: Vec<IndexSeed>) -> EsApi {
        let mut store = Store::default();
        for seed in indices {
            store.add_index(seed);
        }
        let store = Arc::new(Mutex::new(store));
        let s = store.clone();
        let midway = Midway::default();
        let m = midway.clone();
        let server = FixtureServer::start(vec![Route::new("*", "/*").respond_with(move |req| {
            let reads = req.path.ends_with("/_search") || req.path.ends_with("/_count");
            let answer = m
                .check(req, reads, || {
                    let reason = "failed to process cluster event within 30s";
                    Response::json(
                        500,
                        &json!({"error": {"root_cause": [{"type": "process_cluster_event_timeout_exception", "reason": reason}],
                                          "type": "process_cluster_event_timeout_exception", "reason": reason},
                                "status": 500}),
                    )
                })
                .unwrap_or_else(|| handle(&mut s.lock().unwrap_or_else(|e| e.into_inner()), req));
            answer.header("X-elastic-product", "Elasticsearch")
        })]);
        EsApi {
            server,
            store,
            midway,
        }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// `METHOD path` of every request that is not a `GET` or `HEAD`, in order.
    pub fn writes(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter(|r| r.method != "GET" && r.method != "HEAD")
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// The indices' names, sorted.
    pub fn index_names(&self) -> Vec<String> {
        self.store().indices.keys().cloned().collect()
    }

    /// Every index as it is now, sorted by name.
    pub fn indices(&self) -> Vec<IndexSeed> {
        self.store()
            .indices
            .iter()
            .map(|(n, i)| i.seed(n))
            .collect()
    }

    pub fn index(&self, name: &str) -> Option<IndexSeed> {
        self.store().indices.get(name).map(|i| i.seed(name))
    }

    /// Segments per shard after the last force merge of `name`; `None` if never merged.
    pub fn segments(&self, name: &str) -> Option<u32> {
        self.store().indices.get(name).and_then(|i| i.segments)
    }

    /// Every force merge, in order: `(index, max_num_segments)`.
    pub fn forcemerges(&self) -> Vec<(String, u32)> {
        self.store().forcemerges.clone()
    }

    pub fn repositories(&self) -> Vec<String> {
        self.store().repos.keys().cloned().collect()
    }

    /// The snapshots' names in `repo`, sorted.
    pub fn snapshots(&self, repo: &str) -> Vec<String> {
        self.store()
            .repos
            .get(repo)
            .map(|r| r.snapshots.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The indices a snapshot holds, as they were when it was taken.
    pub fn snapshot(&self, repo: &str, snapshot: &str) -> Option<Vec<IndexSeed>> {
        let store = self.store();
        let snap = store.repos.get(repo)?.snapshots.get(snapshot)?;
        Some(snap.indices.iter().map(|(n, i)| i.seed(n)).collect())
    }

    /// Composable templates (name → body as `GET /_index_template` shows it).
    pub fn index_templates(&self) -> BTreeMap<String, Value> {
        self.store().index_templates.clone()
    }

    /// Legacy templates (name → body as `GET /_template` shows it).
    pub fn legacy_templates(&self) -> BTreeMap<String, Value> {
        self.store().legacy_templates.clone()
    }

    /// Register a snapshot repository, as `PUT /_snapshot/{name}` would.
    pub fn add_repository(&self, name: &str, kind: &str, settings: Value) {
        let mut store = self.store();
        let uuid = store.uuid(name);
        store.repos.insert(
            name.to_string(),
            Repository {
                kind: kind.to_string(),
                settings: stringify_leaves(&settings),
                uuid,
                snapshots: BTreeMap::new(),
            },
        );
    }

    /// Store a composable template as `PUT /_index_template/{name}` would (no validation).
    pub fn put_index_template(&self, name: &str, body: Value) {
        self.store()
            .index_templates
            .insert(name.to_string(), normalize_composable(body));
    }

    /// Store a legacy template as `PUT /_template/{name}` would (no validation).
    pub fn put_legacy_template(&self, name: &str, body: Value) {
        self.store()
            .legacy_templates
            .insert(name.to_string(), normalize_legacy(body));
    }

    /// Add an index after start, as another client would.
    pub fn add_index(&self, seed: IndexSeed) {
        self.store().add_index(seed);
    }

    /// Set (`true`) or clear an `index.blocks.{block}` on `index`, as the disk monitor does.
    pub fn set_block(&self, index: &str, block: &str, on: bool) {
        if let Some(i) = self.store().indices.get_mut(index) {
            let key = format!("index.blocks.{block}");
            if on {
                i.settings.insert(key, "true".into());
            } else {
                i.settings.remove(&key);
            }
        }
    }

    /// The node's disk for `_cat/allocation`: `total` bytes of which `used` are used.
    pub fn set_disk(&self, total: u64, used: u64) {
        self.store().disk = Some((total, used));
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

fn ok(v: &Value) -> Response {
    Response::json(200, v)
}

fn acknowledged() -> Response {
    ok(&json!({"acknowledged": true}))
}

/// Elasticsearch's error shape; `extra` goes into the error and its root cause.
fn error(status: u16, ty: &str, reason: &str, extra: Value) -> Response {
    let mut cause = json!({"type": ty, "reason": reason});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            cause[k] = v;
        }
    }
    let mut err = cause.clone();
    err["root_cause"] = json!([cause]);
    Response::json(status, &json!({"error": err, "status": status}))
}

fn illegal_argument(reason: &str) -> Response {
    error(400, "illegal_argument_exception", reason, json!({}))
}

fn index_not_found(name: &str) -> Response {
    error(
        404,
        "index_not_found_exception",
        &format!("no such index [{name}]"),
        json!({"resource.type": "index_or_alias", "resource.id": name, "index_uuid": "_na_",
               "index": name}),
    )
}

fn repository_missing(repo: &str) -> Response {
    error(
        404,
        "repository_missing_exception",
        &format!("[{repo}] missing"),
        json!({}),
    )
}

fn snapshot_missing(repo: &str, snap: &str) -> Response {
    error(
        404,
        "snapshot_missing_exception",
        &format!("[{repo}:{snap}] is missing"),
        json!({}),
    )
}

fn no_handler(req: &RecordedRequest) -> Response {
    Response::json(
        400,
        &json!({"error": format!("no handler found for uri [{}] and method [{}]",
                                 req.path, req.method)}),
    )
}

fn wrong_method(req: &RecordedRequest, allowed: &str) -> Response {
    Response::json(
        405,
        &json!({"error": format!("Incorrect HTTP method for uri [{}] and method [{}], allowed: [{allowed}]",
                                 req.path, req.method),
                "status": 405}),
    )
}

fn block_error(index: &str, i: &Index) -> Option<Response> {
    let (status, what) = if i.blocked("read_only_allow_delete") {
        (
            429,
            "TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block",
        )
    } else if i.blocked("read_only") {
        (403, "FORBIDDEN/5/index read-only (api)")
    } else if i.blocked("metadata") {
        (403, "FORBIDDEN/9/index metadata (api)")
    } else {
        return None;
    };
    Some(error(
        status,
        "cluster_block_exception",
        &format!("index [{index}] blocked by: [{what}];"),
        json!({}),
    ))
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Expand {
    open: bool,
    closed: bool,
    hidden: bool,
}

const OPEN: Expand = Expand {
    open: true,
    closed: false,
    hidden: false,
};
const OPEN_CLOSED: Expand = Expand {
    open: true,
    closed: true,
    hidden: false,
};
const ALL: Expand = Expand {
    open: true,
    closed: true,
    hidden: true,
};

fn expand(req: &RecordedRequest, default: Expand) -> Result<Expand, Response> {
    let Some(v) = req.query_param("expand_wildcards") else {
        return Ok(default);
    };
    let mut e = Expand {
        open: false,
        closed: false,
        hidden: false,
    };
    for w in v.split(',') {
        match w.trim() {
            "all" => e = ALL,
            "open" => e.open = true,
            "closed" => e.closed = true,
            "hidden" => e.hidden = true,
            "none" => {}
            other => {
                return Err(illegal_argument(&format!(
                    "No enum constant org.elasticsearch.action.support.IndicesOptions.WildcardStates.{}",
                    other.to_ascii_uppercase()
                )));
            }
        }
    }
    Ok(e)
}

fn flag(req: &RecordedRequest, name: &str, default: bool) -> bool {
    match req.query_param(name).as_deref() {
        Some("") | Some("true") => true,
        Some("false") => false,
        _ => default,
    }
}

/// `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The concrete indices `target` names (the multi-target syntax), sorted.
fn resolve(
    store: &Store,
    target: &str,
    expand: Expand,
    ignore_unavailable: bool,
    allow_no_indices: bool,
) -> Result<Vec<String>, Response> {
    let aliases = store.aliases();
    let visible = |name: &str, pattern: &str| {
        let i = &store.indices[name];
        let state = if i.closed { expand.closed } else { expand.open };
        let hidden = name.starts_with('.') && !pattern.starts_with('.');
        state && (!hidden || expand.hidden)
    };
    let mut out: BTreeSet<String> = BTreeSet::new();
    let target = if target.is_empty() || target == "_all" {
        "*"
    } else {
        target
    };
    for (n, part) in target.split(',').enumerate() {
        if let Some(excluded) = part.strip_prefix('-')
            && n > 0
        {
            out.retain(|i| !glob(excluded, i));
            continue;
        }
        if part.contains('*') {
            for name in store.indices.keys() {
                if glob(part, name) && visible(name, part) {
                    out.insert(name.clone());
                }
            }
            for (alias, members) in &aliases {
                if glob(part, alias) {
                    out.extend(members.iter().filter(|m| visible(m, part)).cloned());
                }
            }
        } else if store.indices.contains_key(part) {
            out.insert(part.to_string());
        } else if let Some(members) = aliases.get(part) {
            out.extend(members.iter().cloned());
        } else if !ignore_unavailable {
            return Err(index_not_found(part));
        }
    }
    if out.is_empty() && !allow_no_indices {
        return Err(index_not_found(target));
    }
    Ok(out.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn handle(store: &mut Store, req: &RecordedRequest) -> Response {
    let segs: Vec<String> = req
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = req.method.as_str();
    match (m, segs.as_slice()) {
        ("GET" | "HEAD", []) => info(),
        (_, []) => wrong_method(req, "GET, HEAD"),
        ("GET", ["_cluster", "health"]) => health(store, "_all"),
        ("GET", ["_cluster", "health", target]) => health(store, target),
        ("GET", ["_cluster", "settings"]) => cluster_settings(store, req),
        ("PUT", ["_cluster", "settings"]) => put_cluster_settings(store, req),
        ("GET", ["_cat", "indices"]) => cat_indices(store, req, "*"),
        ("GET", ["_cat", "indices", target]) => cat_indices(store, req, target),
        ("GET", ["_cat", "allocation"]) => cat_allocation(store, req),
        ("GET", ["_cat", "thread_pool"] | ["_cat", "thread_pool", _]) => cat_thread_pool(req),
        ("GET", ["_alias" | "_aliases"]) => get_aliases(store, req, "_all", None),
        ("GET", ["_alias", name]) => get_aliases(store, req, "_all", Some(name)),
        ("GET", [target, "_alias" | "_aliases"]) => get_aliases(store, req, target, None),
        ("GET", [target, "_alias", name]) => get_aliases(store, req, target, Some(name)),
        ("POST", ["_aliases"]) => update_aliases(store, req),
        (_, ["_index_template" | "_template", ..]) => templates(store, req, &segs),
        (_, ["_snapshot", ..]) => snapshots(store, req, &segs),
        ("GET", ["_settings"]) => get_settings(store, req, "_all", None),
        ("GET", ["_settings", names]) => get_settings(store, req, "_all", Some(names)),
        ("GET", [target, "_settings"]) => get_settings(store, req, target, None),
        ("GET", [target, "_settings", names]) => get_settings(store, req, target, Some(names)),
        ("PUT", ["_settings"]) => put_settings(store, req, "_all"),
        ("PUT", [target, "_settings"]) => put_settings(store, req, target),
        (_, ["_settings"] | [_, "_settings"]) => wrong_method(req, "GET, PUT"),
        ("POST", ["_forcemerge"]) => forcemerge(store, req, "_all"),
        ("POST", [target, "_forcemerge"]) => forcemerge(store, req, target),
        ("POST", [target, "_open"]) => open_close(store, req, target, false),
        ("POST", [target, "_close"]) => open_close(store, req, target, true),
        ("DELETE", [name]) => delete_index(store, name),
        ("GET" | "HEAD", [target]) if !target.starts_with('_') => get_index(store, req, target),
        _ => no_handler(req),
    }
}

fn info() -> Response {
    ok(&json!({
        "name": NODE,
        "cluster_name": CLUSTER,
        "cluster_uuid": "c8yGJ3FpTXWq2rzKZ9mEJA",
        "version": {
            "number": VERSION,
            "build_flavor": "default",
            "build_type": "docker",
            "build_hash": "1a77947f34deddb41af25e6f0ddb8e830159c179",
            "build_date": "2024-08-05T10:05:34.233336849Z",
            "build_snapshot": false,
            "lucene_version": "9.11.1",
            "minimum_wire_compatibility_version": "7.17.0",
            "minimum_index_compatibility_version": "7.0.0"
        },
        "tagline": "You Know, for Search"
    }))
}

fn health(store: &Store, target: &str) -> Response {
    let names = match resolve(store, target, ALL, false, true) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let shards = names.len();
    ok(&json!({
        "cluster_name": CLUSTER,
        "status": "green",
        "timed_out": false,
        "number_of_nodes": 1,
        "number_of_data_nodes": 1,
        "active_primary_shards": shards,
        "active_shards": shards,
        "relocating_shards": 0,
        "initializing_shards": 0,
        "unassigned_shards": 0,
        "unassigned_primary_shards": 0,
        "delayed_unassigned_shards": 0,
        "number_of_pending_tasks": 0,
        "number_of_in_flight_fetch": 0,
        "task_max_waiting_in_queue_millis": 0,
        "active_shards_percent_as_number": 100.0
    }))
}

/// Elasticsearch 8's disk watermark defaults.
fn default_cluster_settings() -> BTreeMap<String, String> {
    let w = "cluster.routing.allocation.disk.watermark";
    [
        ("low", "85%"),
        ("low.max_headroom", "200GB"),
        ("high", "90%"),
        ("high.max_headroom", "150GB"),
        ("flood_stage", "95%"),
        ("flood_stage.max_headroom", "100GB"),
        ("flood_stage.frozen", "95%"),
        ("flood_stage.frozen.max_headroom", "20GB"),
        ("enable_for_single_data_node", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("{w}.{k}"), v.to_string()))
    .chain([(
        "cluster.routing.allocation.disk.threshold_enabled".to_string(),
        "true".to_string(),
    )])
    .collect()
}

/// Flat `a.b.c → v` as nested objects.
fn nest(flat: &BTreeMap<String, String>) -> Value {
    let mut root = Value::Object(Map::new());
    for (k, v) in flat {
        let mut at = &mut root;
        let parts: Vec<&str> = k.split('.').collect();
        for (i, p) in parts.iter().enumerate() {
            if i + 1 == parts.len() {
                if at.is_object() {
                    at[*p] = json!(v);
                }
            } else {
                if !at[*p].is_object() {
                    // A key that is both a leaf and a prefix (`low` and `low.max_headroom`):
                    // Elasticsearch nests down to dotted leaves then; keep the rest flat.
                    if !at[*p].is_null() {
                        let rest = parts[i..].join(".");
                        at[rest.as_str()] = json!(v);
                        break;
                    }
                    at[*p] = json!({});
                }
                at = &mut at[*p];
            }
        }
    }
    root
}

fn flatten_into(v: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_into(v, &key, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn setting_text(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(_) => Some(v.clone()),
        Value::Array(a) => Some(Value::Array(a.iter().filter_map(setting_text).collect())),
        other => Some(json!(other.to_string())),
    }
}

fn cluster_settings(store: &Store, req: &RecordedRequest) -> Response {
    let flat = flag(req, "flat_settings", false);
    let render = |m: &BTreeMap<String, String>| {
        if flat { json!(m) } else { nest(m) }
    };
    let mut sections = vec![
        ("persistent", store.persistent.clone()),
        ("transient", store.transient.clone()),
    ];
    if flag(req, "include_defaults", false) {
        let mut defaults = default_cluster_settings();
        defaults
            .retain(|k, _| !store.persistent.contains_key(k) && !store.transient.contains_key(k));
        sections.push(("defaults", defaults));
    }
    let filters: Vec<String> = req
        .query_param("filter_path")
        .map(|f| f.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    for (section, mut settings) in sections {
        if !filters.is_empty() {
            settings.retain(|k, _| {
                filters.iter().any(|f| match f.split_once('.') {
                    Some((s, key)) => glob(s, section) && glob(key, k),
                    None => glob(f, section),
                })
            });
            if settings.is_empty() {
                continue;
            }
        }
        out.insert(section.to_string(), render(&settings));
    }
    ok(&Value::Object(out))
}

fn put_cluster_settings(store: &mut Store, req: &RecordedRequest) -> Response {
    let body = match json_body(req) {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    for (section, target) in [
        ("persistent", &mut store.persistent),
        ("transient", &mut store.transient),
    ] {
        let mut flat = BTreeMap::new();
        flatten_into(&body[section], "", &mut flat);
        for (k, v) in flat {
            match setting_text(&v) {
                Some(Value::String(s)) => {
                    target.insert(k, s);
                }
                _ => {
                    target.remove(&k);
                }
            }
        }
    }
    ok(
        &json!({"acknowledged": true, "persistent": nest(&store.persistent),
               "transient": nest(&store.transient)}),
    )
}

// ---------------------------------------------------------------------------------------------
// _cat
// ---------------------------------------------------------------------------------------------

/// Elasticsearch's human byte sizes (`88.1kb`, `260b`).
fn human_bytes(b: u64) -> String {
    let units = [
        ("pb", 1u64 << 50),
        ("tb", 1 << 40),
        ("gb", 1 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
    ];
    for (unit, size) in units {
        if b >= size {
            let v = b as f64 / size as f64;
            let text = format!("{v:.1}");
            return format!("{}{unit}", text.trim_end_matches(".0"));
        }
    }
    format!("{b}b")
}

fn bytes_cell(req: &RecordedRequest, b: u64) -> String {
    let divisor = match req.query_param("bytes").as_deref() {
        Some("b") => 1,
        Some("kb" | "k") => 1 << 10,
        Some("mb" | "m") => 1 << 20,
        Some("gb" | "g") => 1 << 30,
        Some("tb" | "t") => 1 << 40,
        Some("pb" | "p") => 1 << 50,
        _ => return human_bytes(b),
    };
    (b / divisor).to_string()
}

/// A `_cat` answer: rows of (column, cell) with the `h=` selection (by name or short name),
/// `s=` sort, in JSON or as text.
fn cat(
    req: &RecordedRequest,
    columns: &[(&str, &[&str])],
    default: &[&str],
    rows: Vec<BTreeMap<&str, Value>>,
) -> Response {
    let wanted: Vec<String> = match req.query_param("h") {
        Some(h) if !h.is_empty() => h.split(',').map(|s| s.trim().to_string()).collect(),
        _ => default.iter().map(|s| s.to_string()).collect(),
    };
    // Requested name → canonical column; unknown names are dropped.
    let selected: Vec<(String, &str)> = wanted
        .iter()
        .filter_map(|w| {
            columns
                .iter()
                .find(|(name, short)| *name == w.as_str() || short.contains(&w.as_str()))
                .map(|(name, _)| (w.clone(), *name))
        })
        .collect();
    let mut rows = rows;
    if let Some(s) = req.query_param("s") {
        let keys: Vec<(String, bool)> = s
            .split(',')
            .map(|k| match k.split_once(':') {
                Some((k, dir)) => (k.to_string(), dir == "desc"),
                None => (k.to_string(), false),
            })
            .collect();
        rows.sort_by(|a, b| {
            for (k, desc) in &keys {
                let Some((name, _)) = columns
                    .iter()
                    .find(|(n, short)| *n == k.as_str() || short.contains(&k.as_str()))
                else {
                    continue;
                };
                let cell = |r: &BTreeMap<&str, Value>| r.get(name).cloned().unwrap_or(Value::Null);
                let (x, y) = (cell(a), cell(b));
                let ord = match (
                    x.as_str().and_then(|s| s.parse::<f64>().ok()),
                    y.as_str().and_then(|s| s.parse::<f64>().ok()),
                ) {
                    (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(std::cmp::Ordering::Equal),
                    _ => x.to_string().cmp(&y.to_string()),
                };
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    if req.query_param("format").as_deref() == Some("json") {
        let out: Vec<Value> = rows
            .iter()
            .map(|r| {
                Value::Object(
                    selected
                        .iter()
                        .map(|(shown, name)| {
                            (shown.clone(), r.get(name).cloned().unwrap_or(Value::Null))
                        })
                        .collect(),
                )
            })
            .collect();
        return ok(&Value::Array(out));
    }
    let mut text = String::new();
    if flag(req, "v", false) {
        let head: Vec<&str> = selected.iter().map(|(s, _)| s.as_str()).collect();
        text.push_str(&head.join(" "));
        text.push('\n');
    }
    for r in &rows {
        let cells: Vec<String> = selected
            .iter()
            .map(|(_, name)| match r.get(name) {
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            })
            .collect();
        text.push_str(&cells.join(" "));
        text.push('\n');
    }
    Response::text(200, text)
}

const INDEX_COLUMNS: &[(&str, &[&str])] = &[
    ("health", &["h"]),
    ("status", &["s"]),
    ("index", &["i", "idx"]),
    ("uuid", &["id", "uuid"]),
    ("pri", &["p", "shards.primary", "shardsPrimary"]),
    ("rep", &["r", "shards.replica", "shardsReplica"]),
    ("docs.count", &["dc", "docsCount"]),
    ("docs.deleted", &["dd", "docsDeleted"]),
    ("creation.date", &["cd"]),
    ("creation.date.string", &["cds"]),
    ("store.size", &["ss", "storeSize"]),
    ("pri.store.size", &[]),
    ("dataset.size", &[]),
    ("segments.count", &["sc", "segmentsCount"]),
];

fn cat_indices(store: &Store, req: &RecordedRequest, target: &str) -> Response {
    let names = match expand(req, ALL).and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            true,
        )
    }) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let rows = names
        .iter()
        .map(|name| {
            let i = &store.indices[name];
            let open = |v: Value| if i.closed { Value::Null } else { v };
            let size = open(json!(bytes_cell(req, i.size_bytes)));
            let created = Timestamp::from_millisecond(i.creation_ms).unwrap_or_default();
            BTreeMap::from([
                ("health", json!("green")),
                ("status", json!(if i.closed { "close" } else { "open" })),
                ("index", json!(name)),
                ("uuid", json!(i.uuid)),
                ("pri", json!("1")),
                ("rep", json!("0")),
                ("docs.count", open(json!(i.docs.to_string()))),
                ("docs.deleted", open(json!("0"))),
                ("creation.date", json!(i.creation_ms.to_string())),
                (
                    "creation.date.string",
                    json!(created.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
                ),
                ("store.size", size.clone()),
                ("pri.store.size", size.clone()),
                ("dataset.size", size),
                (
                    "segments.count",
                    open(json!(i.segments.unwrap_or(12).to_string())),
                ),
            ])
        })
        .collect();
    cat(
        req,
        INDEX_COLUMNS,
        &[
            "health",
            "status",
            "index",
            "uuid",
            "pri",
            "rep",
            "docs.count",
            "docs.deleted",
            "store.size",
            "pri.store.size",
            "dataset.size",
        ],
        rows,
    )
}

fn cat_allocation(store: &Store, req: &RecordedRequest) -> Response {
    let indices: u64 = store.indices.values().map(|i| i.size_bytes).sum();
    let (total, used) = store.disk.unwrap_or((100 * GIB, indices + 5 * GIB));
    let avail = total.saturating_sub(used);
    let percent = (used * 100).checked_div(total).unwrap_or(0);
    let row = BTreeMap::from([
        ("shards", json!(store.indices.len().to_string())),
        ("shards.undesired", json!("0")),
        ("write_load.forecast", json!("0.0")),
        ("disk.indices.forecast", json!(bytes_cell(req, indices))),
        ("disk.indices", json!(bytes_cell(req, indices))),
        ("disk.used", json!(bytes_cell(req, used))),
        ("disk.avail", json!(bytes_cell(req, avail))),
        ("disk.total", json!(bytes_cell(req, total))),
        ("disk.percent", json!(percent.to_string())),
        ("host", json!("10.244.0.17")),
        ("ip", json!("10.244.0.17")),
        ("node", json!(NODE)),
        ("node.role", json!("cdfhilmrstw")),
    ]);
    let columns: &[(&str, &[&str])] = &[
        ("shards", &["s"]),
        ("shards.undesired", &[]),
        ("write_load.forecast", &["wlf"]),
        ("disk.indices.forecast", &["dif"]),
        ("disk.indices", &["di"]),
        ("disk.used", &["du"]),
        ("disk.avail", &["da"]),
        ("disk.total", &["dt"]),
        ("disk.percent", &["dp"]),
        ("host", &["h"]),
        ("ip", &[]),
        ("node", &["n"]),
        ("node.role", &["r", "role"]),
    ];
    let default: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    cat(req, columns, &default, vec![row])
}

fn cat_thread_pool(req: &RecordedRequest) -> Response {
    let row = BTreeMap::from([
        ("node_name", json!(NODE)),
        ("name", json!("write")),
        ("active", json!("0")),
        ("queue", json!("0")),
        ("rejected", json!("0")),
    ]);
    let columns: &[(&str, &[&str])] = &[
        ("node_name", &["nn"]),
        ("name", &["n"]),
        ("active", &["a"]),
        ("queue", &["q"]),
        ("rejected", &["r"]),
    ];
    cat(
        req,
        columns,
        &["node_name", "name", "active", "queue", "rejected"],
        vec![row],
    )
}

// ---------------------------------------------------------------------------------------------
// Indices
// ---------------------------------------------------------------------------------------------

fn delete_index(store: &mut Store, name: &str) -> Response {
    if name.contains('*') || name.contains(',') || name == "_all" {
        return illegal_argument("Wildcard expressions or all indices are not allowed");
    }
    let Some(index) = store.indices.get(name) else {
        if store.aliases().contains_key(name) {
            return illegal_argument(&format!(
                "The provided expression [{name}] matches an alias, specify the corresponding concrete indices instead."
            ));
        }
        return index_not_found(name);
    };
    // `read_only_allow_delete` allows a delete; `read_only` does not.
    if index.blocked("read_only") || index.blocked("metadata") {
        return block_error(name, index).unwrap_or_else(acknowledged);
    }
    store.indices.remove(name);
    acknowledged()
}

fn aliases_json(i: &Index) -> Value {
    Value::Object(
        i.aliases
            .iter()
            .map(|(a, w)| (a.clone(), json!({"is_write_index": w})))
            .collect(),
    )
}

fn settings_json(flat: &BTreeMap<String, String>, flat_settings: bool) -> Value {
    if flat_settings {
        json!(flat)
    } else {
        nest(flat)
    }
}

fn get_index(store: &Store, req: &RecordedRequest, target: &str) -> Response {
    let names = match expand(req, OPEN_CLOSED).and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            flag(req, "allow_no_indices", true),
        )
    }) {
        Ok(n) => n,
        Err(_) if req.method == "HEAD" => return Response::new(404),
        Err(e) => return e,
    };
    if req.method == "HEAD" {
        return Response::new(if names.is_empty() { 404 } else { 200 });
    }
    let flat = flag(req, "flat_settings", false);
    ok(&Value::Object(
        names
            .iter()
            .map(|n| {
                let i = &store.indices[n];
                (
                    n.clone(),
                    json!({"aliases": aliases_json(i), "mappings": {},
                           "settings": settings_json(&i.all_settings(n), flat)}),
                )
            })
            .collect(),
    ))
}

fn get_aliases(store: &Store, req: &RecordedRequest, target: &str, name: Option<&str>) -> Response {
    let names = match expand(req, ALL).and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            true,
        )
    }) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let wanted: Option<Vec<&str>> = name.map(|n| n.split(',').collect());
    let matches = |alias: &str| {
        wanted
            .as_ref()
            .is_none_or(|w| w.iter().any(|p| *p == "_all" || glob(p, alias)))
    };
    let mut out = Map::new();
    for n in &names {
        let i = &store.indices[n];
        let aliases: Map<String, Value> = i
            .aliases
            .iter()
            .filter(|(a, _)| matches(a))
            .map(|(a, w)| (a.clone(), json!({"is_write_index": w})))
            .collect();
        if name.is_none() || !aliases.is_empty() {
            out.insert(n.clone(), json!({"aliases": aliases}));
        }
    }
    if let Some(w) = &wanted {
        let missing: Vec<&str> = w
            .iter()
            .filter(|p| !p.contains('*') && **p != "_all")
            .filter(|p| !out.values().any(|v| v["aliases"].get(**p).is_some()))
            .copied()
            .collect();
        if !missing.is_empty() {
            let error = if missing.len() == 1 {
                format!("alias [{}] missing", missing[0])
            } else {
                format!("aliases [{}] missing", missing.join(","))
            };
            let mut body = json!({"error": error, "status": 404});
            for (k, v) in out {
                body[k] = v;
            }
            return Response::json(404, &body);
        }
    }
    ok(&Value::Object(out))
}

/// The request's JSON body, or Elasticsearch's answer to a missing or unparsable one.
fn json_body(req: &RecordedRequest) -> Result<Value, Response> {
    serde_json::from_slice::<Value>(&req.body).map_err(|_| {
        error(
            400,
            "parse_exception",
            "request body is required",
            json!({}),
        )
    })
}

fn update_aliases(store: &mut Store, req: &RecordedRequest) -> Response {
    let body = match json_body(req) {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    let Some(actions) = body["actions"].as_array() else {
        return error(
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: no actions specified;",
            json!({}),
        );
    };
    let mut next = store.indices.clone();
    for action in actions {
        let (kind, a) = match action.as_object().and_then(|m| m.iter().next()) {
            Some((k, v)) => (k.as_str(), v),
            None => return illegal_argument("an alias action is empty"),
        };
        let index = a["index"].as_str().unwrap_or("");
        let alias = a["alias"].as_str().unwrap_or("");
        let Some(i) = next.get_mut(index) else {
            return index_not_found(index);
        };
        match kind {
            "add" => {
                i.aliases.insert(
                    alias.to_string(),
                    a["is_write_index"].as_bool().unwrap_or(false),
                );
            }
            "remove" => {
                if i.aliases.remove(alias).is_none() && a["must_exist"].as_bool().is_none_or(|m| m)
                {
                    return error(
                        404,
                        "aliases_not_found_exception",
                        &format!("aliases [{alias}] missing"),
                        json!({"resource.type": "aliases", "resource.id": alias}),
                    );
                }
            }
            "remove_index" => {
                next.remove(index);
            }
            other => return illegal_argument(&format!("[aliases] unknown field [{other}]")),
        }
    }
    store.indices = next;
    ok(&json!({"acknowledged": true, "errors": false}))
}

fn get_settings(
    store: &Store,
    req: &RecordedRequest,
    target: &str,
    names: Option<&str>,
) -> Response {
    let indices = match expand(req, OPEN_CLOSED).and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            flag(req, "allow_no_indices", true),
        )
    }) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let patterns: Vec<&str> = names.map(|n| n.split(',').collect()).unwrap_or_default();
    let flat = flag(req, "flat_settings", false);
    ok(&Value::Object(
        indices
            .iter()
            .map(|n| {
                let mut s = store.indices[n].all_settings(n);
                if !patterns.is_empty() {
                    s.retain(|k, _| patterns.iter().any(|p| *p == "_all" || glob(p, k)));
                }
                (n.clone(), json!({"settings": settings_json(&s, flat)}))
            })
            .collect(),
    ))
}

fn put_settings(store: &mut Store, req: &RecordedRequest, target: &str) -> Response {
    let mut body = match json_body(req) {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    if body.get("settings").is_some_and(Value::is_object) {
        body = body["settings"].clone();
    }
    let mut flat = BTreeMap::new();
    flatten_into(&body, "", &mut flat);
    let flat: BTreeMap<String, Value> = flat
        .into_iter()
        .map(|(k, v)| {
            let k = if k.starts_with("index.") {
                k
            } else {
                format!("index.{k}")
            };
            (k, v)
        })
        .collect();
    if flat.is_empty() {
        return error(
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: no settings to update;",
            json!({}),
        );
    }
    let names = match expand(req, OPEN).and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            flag(req, "allow_no_indices", true),
        )
    }) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let only_blocks = flat.keys().all(|k| k.starts_with("index.blocks."));
    if !only_blocks {
        for n in &names {
            if let Some(e) = block_error(n, &store.indices[n]) {
                return e;
            }
        }
    }
    for n in &names {
        let i = store.indices.get_mut(n).expect("resolved");
        for (k, v) in &flat {
            match setting_text(v) {
                Some(Value::String(s)) => {
                    i.settings.insert(k.clone(), s);
                }
                _ => {
                    i.settings.remove(k);
                }
            }
        }
        i.settings
            .retain(|k, v| !(k.starts_with("index.blocks.") && v == "false"));
    }
    acknowledged()
}

fn forcemerge(store: &mut Store, req: &RecordedRequest, target: &str) -> Response {
    let max: u32 = match req.query_param("max_num_segments") {
        Some(v) => match v.parse() {
            Ok(n) => n,
            Err(_) => {
                return illegal_argument(&format!(
                    "failed to parse [max_num_segments] with value [{v}] as a number"
                ));
            }
        },
        None => 0,
    };
    let concrete: Vec<&str> = target
        .split(',')
        .filter(|p| !p.contains('*') && *p != "_all")
        .collect();
    for c in &concrete {
        if let Some(i) = store.indices.get(*c)
            && i.closed
        {
            return error(
                400,
                "index_closed_exception",
                "closed",
                json!({"index_uuid": i.uuid, "index": c}),
            );
        }
    }
    let names = match expand(req, OPEN).and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            flag(req, "allow_no_indices", true),
        )
    }) {
        Ok(n) => n,
        Err(e) => return e,
    };
    for n in &names {
        if let Some(e) = block_error(n, &store.indices[n]) {
            return e;
        }
    }
    for n in &names {
        let i = store.indices.get_mut(n).expect("resolved");
        // Without `max_num_segments`, Lucene's merge policy decides; say it merged down to 1.
        i.segments = Some(if max == 0 { 1 } else { max });
        store.forcemerges.push((n.clone(), max));
    }
    let total = names.len();
    ok(&json!({"_shards": {"total": total, "successful": total, "failed": 0}}))
}

fn open_close(store: &mut Store, req: &RecordedRequest, target: &str, close: bool) -> Response {
    let names = match expand(
        req,
        if close {
            OPEN
        } else {
            Expand {
                open: false,
                closed: true,
                hidden: false,
            }
        },
    )
    .and_then(|e| {
        resolve(
            store,
            target,
            e,
            flag(req, "ignore_unavailable", false),
            flag(req, "allow_no_indices", true),
        )
    }) {
        Ok(n) => n,
        Err(e) => return e,
    };
    for n in &names {
        store.indices.get_mut(n).expect("resolved").closed = close;
    }
    if close {
        let indices: Map<String, Value> = names
            .iter()
            .map(|n| (n.clone(), json!({"closed": true})))
            .collect();
        ok(&json!({"acknowledged": true, "shards_acknowledged": true, "indices": indices}))
    } else {
        ok(&json!({"acknowledged": true, "shards_acknowledged": true}))
    }
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/// Every leaf as a string, as Elasticsearch keeps settings.
fn stringify_leaves(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), stringify_leaves(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(stringify_leaves).collect()),
        Value::String(_) | Value::Null => v.clone(),
        other => json!(other.to_string()),
    }
}

/// Index settings as Elasticsearch returns them: nested under `index`, values as strings.
fn normalize_settings(settings: &Value) -> Value {
    let mut flat = BTreeMap::new();
    flatten_into(settings, "", &mut flat);
    let strings: BTreeMap<String, String> = flat
        .iter()
        .filter_map(|(k, v)| {
            let k = if k.starts_with("index.") {
                k.clone()
            } else {
                format!("index.{k}")
            };
            match setting_text(v)? {
                Value::String(s) => Some((k, s)),
                _ => None,
            }
        })
        .collect();
    let mut nested = nest(&strings);
    // Lists (`index.query.default_field`) are kept as lists.
    for (k, v) in flat {
        if v.is_array() {
            let k = if k.starts_with("index.") {
                k
            } else {
                format!("index.{k}")
            };
            let mut at = &mut nested;
            let parts: Vec<&str> = k.split('.').collect();
            for (i, p) in parts.iter().enumerate() {
                if i + 1 == parts.len() {
                    at[*p] = setting_text(&v).unwrap_or(Value::Null);
                } else {
                    if !at[*p].is_object() {
                        at[*p] = json!({});
                    }
                    at = &mut at[*p];
                }
            }
        }
    }
    nested
}

fn normalize_composable(mut body: Value) -> Value {
    if let Some(s) = body
        .get("template")
        .and_then(|t| t.get("settings"))
        .cloned()
    {
        body["template"]["settings"] = normalize_settings(&s);
    }
    if let Some(Value::String(p)) = body.get("index_patterns").cloned() {
        body["index_patterns"] = json!([p]);
    }
    body
}

fn normalize_legacy(mut body: Value) -> Value {
    if !body.is_object() {
        body = json!({});
    }
    if let Some(Value::String(p)) = body.get("index_patterns").cloned() {
        body["index_patterns"] = json!([p]);
    }
    if body["order"].is_null() {
        body["order"] = json!(0);
    }
    body["settings"] = normalize_settings(&body["settings"]);
    for k in ["mappings", "aliases"] {
        if body[k].is_null() {
            body[k] = json!({});
        }
    }
    body
}

fn patterns_overlap(a: &Value, b: &Value) -> bool {
    let list = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (a, b) = (list(a), list(b));
    a.iter()
        .any(|p| b.iter().any(|q| p == q || glob(p, q) || glob(q, p)))
}

fn templates(store: &mut Store, req: &RecordedRequest, segs: &[&str]) -> Response {
    let legacy = segs[0] == "_template";
    let name = segs.get(1).copied();
    if segs.len() > 2 {
        return no_handler(req);
    }
    let map = if legacy {
        &store.legacy_templates
    } else {
        &store.index_templates
    };
    match (req.method.as_str(), name) {
        ("GET", _) => {
            let pattern = name.unwrap_or("*");
            let found: BTreeMap<&String, &Value> = map
                .iter()
                .filter(|(n, _)| pattern.split(',').any(|p| p == "_all" || glob(p, n)))
                .collect();
            if found.is_empty() && name.is_some() {
                return if legacy {
                    Response::json(404, &json!({}))
                } else {
                    error(
                        404,
                        "resource_not_found_exception",
                        &format!("index template matching [{pattern}] not found"),
                        json!({}),
                    )
                };
            }
            if legacy {
                ok(&json!(found))
            } else {
                let list: Vec<Value> = found
                    .iter()
                    .map(|(n, t)| json!({"name": n, "index_template": t}))
                    .collect();
                ok(&json!({"index_templates": list}))
            }
        }
        ("PUT" | "POST", Some(name)) => {
            let body = match json_body(req) {
                Ok(b) => b,
                Err(answer) => return answer,
            };
            if body["index_patterns"].is_null() {
                return error(
                    400,
                    "action_request_validation_exception",
                    "Validation Failed: 1: index patterns are missing;",
                    json!({}),
                );
            }
            if flag(req, "create", false) && map.contains_key(name) {
                let what = if legacy {
                    "index_template"
                } else {
                    "index template"
                };
                return illegal_argument(&format!("{what} [{name}] already exists"));
            }
            if legacy {
                store
                    .legacy_templates
                    .insert(name.to_string(), normalize_legacy(body));
                return acknowledged().header(
                    "Warning",
                    &format!("299 Elasticsearch-{VERSION}-1a77947f34deddb41af25e6f0ddb8e830159c179 \"Legacy index templates are deprecated in favor of composable templates.\""),
                );
            }
            let body = normalize_composable(body);
            let priority = body["priority"].as_i64().unwrap_or(0);
            for (other, t) in &store.index_templates {
                if other != name
                    && t["priority"].as_i64().unwrap_or(0) == priority
                    && patterns_overlap(&t["index_patterns"], &body["index_patterns"])
                {
                    return illegal_argument(&format!(
                        "index template [{name}] has index patterns {} matching patterns from existing templates [{other}] with patterns ({other} => {}) that have the same priority [{priority}], multiple index templates may not match during index creation, please use a different priority",
                        body["index_patterns"], t["index_patterns"]
                    ));
                }
            }
            store.index_templates.insert(name.to_string(), body);
            acknowledged()
        }
        ("DELETE", Some(name)) => {
            let removed = if legacy {
                store.legacy_templates.remove(name)
            } else {
                store.index_templates.remove(name)
            };
            match removed {
                Some(_) => acknowledged(),
                None if legacy => error(
                    404,
                    "index_template_missing_exception",
                    &format!("index_template [{name}] missing"),
                    json!({}),
                ),
                None => error(
                    404,
                    "resource_not_found_exception",
                    &format!("index_template [{name}] missing"),
                    json!({}),
                ),
            }
        }
        _ => wrong_method(req, "GET, PUT, POST, DELETE"),
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

fn iso(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .unwrap_or_default()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn snapshot_json(repo: &str, name: &str, s: &Snapshot) -> Value {
    let total = s.indices.len();
    let mut v = json!({
        "snapshot": name,
        "uuid": s.uuid,
        "repository": repo,
        "version_id": VERSION_ID,
        "version": VERSION,
        "indices": s.indices.keys().collect::<Vec<_>>(),
        "data_streams": [],
        "include_global_state": s.include_global_state,
        "state": "SUCCESS",
        "start_time": iso(s.start_ms),
        "start_time_in_millis": s.start_ms,
        "end_time": iso(s.end_ms),
        "end_time_in_millis": s.end_ms,
        "duration_in_millis": s.end_ms - s.start_ms,
        "failures": [],
        "shards": {"total": total, "failed": 0, "successful": total},
        "feature_states": []
    });
    if let Some(m) = &s.metadata {
        v["metadata"] = m.clone();
    }
    v
}

fn snapshots(store: &mut Store, req: &RecordedRequest, segs: &[&str]) -> Response {
    let m = req.method.as_str();
    match segs {
        ["_snapshot"] if m == "GET" => get_repositories(store, "_all"),
        ["_snapshot", repo] => match m {
            "GET" => get_repositories(store, repo),
            "PUT" | "POST" => put_repository(store, req, repo),
            "DELETE" => match store.repos.remove(*repo) {
                Some(_) => acknowledged(),
                None => repository_missing(repo),
            },
            _ => wrong_method(req, "GET, PUT, POST, DELETE"),
        },
        ["_snapshot", repo, snap] => {
            if !store.repos.contains_key(*repo) {
                return repository_missing(repo);
            }
            match m {
                "GET" => get_snapshots(store, repo, snap),
                "PUT" | "POST" => create_snapshot(store, req, repo, snap),
                "DELETE" => {
                    let r = store.repos.get_mut(*repo).expect("checked");
                    let names: Vec<String> = r
                        .snapshots
                        .keys()
                        .filter(|n| snap.split(',').any(|p| glob(p, n)))
                        .cloned()
                        .collect();
                    if names.is_empty() {
                        return snapshot_missing(repo, snap);
                    }
                    for n in names {
                        r.snapshots.remove(&n);
                    }
                    acknowledged()
                }
                _ => wrong_method(req, "GET, PUT, POST, DELETE"),
            }
        }
        ["_snapshot", repo, snap, "_restore"] if m == "POST" => restore(store, req, repo, snap),
        _ => no_handler(req),
    }
}

fn get_repositories(store: &Store, pattern: &str) -> Response {
    let mut out = Map::new();
    for p in pattern.split(',') {
        let p = if p == "_all" { "*" } else { p };
        let found: Vec<(&String, &Repository)> =
            store.repos.iter().filter(|(n, _)| glob(p, n)).collect();
        if found.is_empty() && !p.contains('*') {
            return repository_missing(p);
        }
        for (n, r) in found {
            out.insert(
                n.clone(),
                json!({"type": r.kind, "uuid": r.uuid, "settings": r.settings}),
            );
        }
    }
    ok(&Value::Object(out))
}

fn put_repository(store: &mut Store, req: &RecordedRequest, repo: &str) -> Response {
    let body = match json_body(req) {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    let Some(kind) = body["type"].as_str() else {
        return error(
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: type is missing;",
            json!({}),
        );
    };
    if !matches!(
        kind,
        "fs" | "url" | "s3" | "gcs" | "azure" | "source" | "hdfs"
    ) {
        return error(
            500,
            "repository_exception",
            &format!("[{repo}] repository type [{kind}] does not exist"),
            json!({}),
        );
    }
    if kind == "fs" && body["settings"]["location"].is_null() {
        return error(
            500,
            "repository_exception",
            &format!("[{repo}] missing location"),
            json!({}),
        );
    }
    let uuid = store
        .repos
        .get(repo)
        .map(|r| r.uuid.clone())
        .unwrap_or_else(|| store.uuid(repo));
    let snapshots = store
        .repos
        .remove(repo)
        .map(|r| r.snapshots)
        .unwrap_or_default();
    store.repos.insert(
        repo.to_string(),
        Repository {
            kind: kind.to_string(),
            settings: stringify_leaves(&body["settings"]),
            uuid,
            snapshots,
        },
    );
    acknowledged()
}

fn get_snapshots(store: &Store, repo: &str, pattern: &str) -> Response {
    let r = &store.repos[repo];
    let mut found = Vec::new();
    for p in pattern.split(',') {
        let p = if p == "_all" { "*" } else { p };
        let matched: Vec<(&String, &Snapshot)> =
            r.snapshots.iter().filter(|(n, _)| glob(p, n)).collect();
        if matched.is_empty() && !p.contains('*') {
            return snapshot_missing(repo, p);
        }
        found.extend(matched);
    }
    found.sort_by_key(|(n, s)| (s.start_ms, (*n).clone()));
    found.dedup_by_key(|(n, _)| (*n).clone());
    let list: Vec<Value> = found
        .iter()
        .map(|(n, s)| snapshot_json(repo, n, s))
        .collect();
    let total = list.len();
    ok(&json!({"snapshots": list, "total": total, "remaining": 0}))
}

/// `indices` of a snapshot or restore body: a list, or a comma-joined string; absent is all.
fn body_indices(body: &Value) -> String {
    match &body["indices"] {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        Value::String(s) => s.clone(),
        _ => "_all".into(),
    }
}

fn create_snapshot(store: &mut Store, req: &RecordedRequest, repo: &str, snap: &str) -> Response {
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return error(
                    400,
                    "parse_exception",
                    &format!("failed to parse the body: {e}"),
                    json!({}),
                );
            }
        }
    };
    if snap != snap.to_lowercase()
        || snap.contains(['*', ',', ' ', '"', '\\', '/', '?', '<', '>', '|', '#'])
        || snap.starts_with('_')
    {
        return error(
            400,
            "invalid_snapshot_name_exception",
            &format!(
                "[{repo}:{snap}] Invalid snapshot name [{snap}], must be lowercase and must not contain whitespace or `\\/*?\"<>|,#`"
            ),
            json!({}),
        );
    }
    if store.repos[repo].snapshots.contains_key(snap) {
        return error(
            400,
            "invalid_snapshot_name_exception",
            &format!(
                "[{repo}:{snap}] Invalid snapshot name [{snap}], snapshot with the same name already exists"
            ),
            json!({}),
        );
    }
    let ignore = body["ignore_unavailable"].as_bool().unwrap_or(false);
    let names = match expand(req, ALL)
        .and_then(|e| resolve(store, &body_indices(&body), e, ignore, true))
    {
        Ok(n) => n,
        Err(e) => return e,
    };
    let now = Timestamp::now().as_millisecond();
    let uuid = store.uuid(snap);
    let snapshot = Snapshot {
        uuid,
        indices: names
            .iter()
            .map(|n| (n.clone(), store.indices[n].clone()))
            .collect(),
        metadata: body.get("metadata").filter(|m| m.is_object()).cloned(),
        include_global_state: body["include_global_state"].as_bool().unwrap_or(true),
        start_ms: now,
        end_ms: now + 1,
    };
    let answer = json!({"snapshot": snapshot_json(repo, snap, &snapshot)});
    store
        .repos
        .get_mut(repo)
        .expect("checked")
        .snapshots
        .insert(snap.to_string(), snapshot);
    if flag(req, "wait_for_completion", false) {
        ok(&answer)
    } else {
        ok(&json!({"accepted": true}))
    }
}

fn restore(store: &mut Store, req: &RecordedRequest, repo: &str, snap: &str) -> Response {
    let Some(r) = store.repos.get(repo) else {
        return repository_missing(repo);
    };
    let Some(snapshot) = r.snapshots.get(snap).cloned() else {
        return snapshot_missing(repo, snap);
    };
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return error(
                    400,
                    "parse_exception",
                    &format!("failed to parse the body: {e}"),
                    json!({}),
                );
            }
        }
    };
    let prefix = format!("[{repo}:{snap}/{}]", snapshot.uuid);
    // Resolve against the snapshot's indices, not the cluster's.
    let in_snapshot = Store {
        indices: snapshot.indices.clone(),
        ..Store::default()
    };
    let ignore = body["ignore_unavailable"].as_bool().unwrap_or(false);
    let names = match resolve(&in_snapshot, &body_indices(&body), ALL, ignore, true) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let rename = match (
        body["rename_pattern"].as_str(),
        body["rename_replacement"].as_str(),
    ) {
        (Some(p), Some(r)) => match regex::Regex::new(p) {
            Ok(re) => Some((re, r.to_string())),
            Err(e) => return illegal_argument(&format!("invalid rename_pattern [{p}]: {e}")),
        },
        _ => None,
    };
    let include_aliases = body["include_aliases"].as_bool().unwrap_or(true);
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for n in &names {
        let t = match &rename {
            Some((re, r)) => re.replace_all(n, r.as_str()).into_owned(),
            None => n.clone(),
        };
        if let Some(first) = targets
            .iter()
            .find(|(_, v)| **v == t)
            .map(|(k, _)| k.clone())
        {
            return error(
                500,
                "snapshot_restore_exception",
                &format!(
                    "{prefix} indices [{first}] and [{n}] are renamed into the same index [{t}]"
                ),
                json!({}),
            );
        }
        if let Some(existing) = store.indices.get(&t)
            && !existing.closed
        {
            return error(
                500,
                "snapshot_restore_exception",
                &format!(
                    "{prefix} cannot restore index [{t}] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name"
                ),
                json!({}),
            );
        }
        if store.aliases().contains_key(&t) {
            return error(
                400,
                "invalid_index_name_exception",
                &format!("Invalid index name [{t}], an alias with the same name already exists"),
                json!({"index_uuid": "_na_", "index": t}),
            );
        }
        targets.insert(n.clone(), t);
    }
    let mut next = store.indices.clone();
    for (source, target) in &targets {
        let mut index = snapshot.indices[source].clone();
        index.uuid = store.uuid(target);
        index.closed = false;
        if !include_aliases {
            index.aliases.clear();
        }
        next.insert(target.clone(), index);
    }
    // At most one write index per alias.
    let mut writers: BTreeMap<&String, Vec<&String>> = BTreeMap::new();
    for (n, i) in &next {
        for (a, w) in &i.aliases {
            if *w {
                writers.entry(a).or_default().push(n);
            }
        }
    }
    if let Some((alias, list)) = writers.iter().find(|(_, l)| l.len() > 1) {
        let list: Vec<&str> = list.iter().map(|s| s.as_str()).collect();
        return error(
            500,
            "illegal_state_exception",
            &format!(
                "alias [{alias}] has more than one write index [{}]",
                list.join(",")
            ),
            json!({}),
        );
    }
    store.indices = next;
    if flag(req, "wait_for_completion", false) {
        let restored: Vec<&String> = targets.values().collect();
        let n = restored.len();
        ok(&json!({"snapshot": {"snapshot": snap, "indices": restored,
                                "shards": {"total": n, "failed": 0, "successful": n}}}))
    } else {
        ok(&json!({"accepted": true}))
    }
}
