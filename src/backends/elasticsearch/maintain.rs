//! The maintenance calls of [`ElasticsearchClient`], for `maintain backup|restore|storage`:
//! deleting and force-merging indices, index templates (composable and legacy), snapshots and
//! their repository, which indices are an alias's write index, and lifting the flood-stage
//! read-only block. All are mutations except the template, snapshot, repository and alias
//! reads: sent once, never retried (`Method::Put/Post/Delete` are not idempotent in
//! [`crate::transport`]). Deciding what to change, and undoing it, is the plan's job, not this
//! file's. Request plumbing and error mapping: `client.rs`. Tests: `tests/maintain.rs`, and below
//! for the write aliases, the repository, and what `delete_index` and `restore_snapshot` refuse.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::client::{check, shards, with_json};
use super::wire;
use super::{
    ElasticsearchClient, IndexTemplate, RestoreOptions, Restored, Shards, SnapshotInfo,
    SnapshotStarted, SnapshotState,
};
use crate::model::storage::names::{valid_index_name, valid_repository_name};
use crate::transport::{BackendError, Method};

/// Settings that `GET /_index_template` reports but `PUT` refuses (ES 9 adds them).
const TEMPLATE_READ_ONLY: &[&str] = &[
    "created_date",
    "created_date_millis",
    "modified_date",
    "modified_date_millis",
];

impl ElasticsearchClient {
    /// `DELETE /{name}`: one concrete index, never a pattern. Returns `acknowledged`.
    ///
    /// A wildcard cannot get through, whatever `action.destructive_requires_name` says (it is
    /// `false` by default before Elasticsearch 8): `*`, `,` and a leading `_`, `-` or `+` (`_all`,
    /// exclusions) are refused before sending, and `%` is escaped, so an `%2A` reaches the server
    /// as a literal `%2A`, not as a `*` it would decode. An alias's name is refused by the server
    /// itself ("matches an alias, specify the corresponding concrete indices instead").
    pub async fn delete_index(&self, name: &str) -> Result<bool, BackendError> {
        let path = self.name("index", name, valid_index_name)?;
        let req = self.endpoint.request(Method::Delete, format!("/{path}"));
        let a: wire::Acknowledged = self.call(req).await?;
        Ok(a.acknowledged)
    }

    /// `POST /{index}/_forcemerge?max_num_segments=N`. It answers when the merge is done, which
    /// can take longer than the request timeout on a large index.
    pub async fn forcemerge(
        &self,
        index: &str,
        max_num_segments: u32,
    ) -> Result<Shards, BackendError> {
        let path = self.pattern(index)?;
        if max_num_segments == 0 {
            return Err(self.invalid("max_num_segments 0: it must be at least 1".into()));
        }
        let req = self
            .endpoint
            .request(Method::Post, format!("/{path}/_forcemerge"))
            .query("max_num_segments", max_num_segments.to_string());
        let f: wire::ForceMerge = self.call(req).await?;
        Ok(shards(&f.shards))
    }

    /// `PUT /_index_template/{name}` (composable, Elasticsearch 7.8+ and OpenSearch).
    pub async fn put_index_template(&self, name: &str, body: &Value) -> Result<bool, BackendError> {
        let path = self.name("index template", name, valid_index_name)?;
        let req = self
            .endpoint
            .request(Method::Put, format!("/_index_template/{path}"));
        let a: wire::Acknowledged = self.call(with_json(req, body)).await?;
        Ok(a.acknowledged)
    }

    /// `GET /_index_template/{name}`; `None` when there is no such template.
    pub async fn get_index_template(
        &self,
        name: &str,
    ) -> Result<Option<IndexTemplate>, BackendError> {
        let path = self.name("index template", name, valid_index_name)?;
        let req = self.endpoint.get(format!("/_index_template/{path}"));
        let Some(t): Option<wire::IndexTemplates> = self
            .call_or_absent(req, &["resource_not_found_exception"])
            .await?
        else {
            return Ok(None);
        };
        Ok(t.index_templates
            .into_iter()
            .find(|t| t.name == name)
            .map(|t| {
                let mut body = t.index_template;
                if let Value::Object(m) = &mut body {
                    m.retain(|k, _| !TEMPLATE_READ_ONLY.contains(&k.as_str()));
                }
                template(t.name, body, "priority")
            }))
    }

    /// `PUT /_template/{name}`: the legacy template API, which Jaeger uses on Elasticsearch 7 and
    /// on OpenSearch.
    pub async fn put_legacy_template(
        &self,
        name: &str,
        body: &Value,
    ) -> Result<bool, BackendError> {
        let path = self.name("template", name, valid_index_name)?;
        let req = self
            .endpoint
            .request(Method::Put, format!("/_template/{path}"));
        let a: wire::Acknowledged = self.call(with_json(req, body)).await?;
        Ok(a.acknowledged)
    }

    /// `GET /_template/{name}`; `None` when there is no such template.
    pub async fn get_legacy_template(
        &self,
        name: &str,
    ) -> Result<Option<IndexTemplate>, BackendError> {
        let path = self.name("template", name, valid_index_name)?;
        let req = self.endpoint.get(format!("/_template/{path}"));
        let resp = self.endpoint.send(req.clone()).await?;
        // A missing legacy template is a 404 with the body `{}`: no error object.
        if resp.status == 404
            && let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&resp.body)
            && m.is_empty()
        {
            return Ok(None);
        }
        check(&req, &resp)?;
        let mut all: BTreeMap<String, Value> = crate::transport::decode_json(&req, &resp)?;
        Ok(all
            .remove(name)
            .map(|body| template(name.to_string(), body, "order")))
    }

    /// `DELETE /_index_template/{name}` (or `/_template/{name}` when `legacy`): one template by
    /// its exact name, for undoing a template a run created. `false` when there was none.
    pub async fn delete_index_template(
        &self,
        name: &str,
        legacy: bool,
    ) -> Result<bool, BackendError> {
        let path = self.name("index template", name, valid_index_name)?;
        let api = if legacy {
            "_template"
        } else {
            "_index_template"
        };
        let req = self
            .endpoint
            .request(Method::Delete, format!("/{api}/{path}"));
        let a: Option<wire::Acknowledged> = self
            .call_or_absent(
                req,
                &[
                    "resource_not_found_exception",
                    "index_template_missing_exception",
                ],
            )
            .await?;
        Ok(a.is_some_and(|a| a.acknowledged))
    }

    /// Which of the indices matching `index_pattern` are the write index of an alias, and of
    /// which aliases: index → aliases, both sorted; indices that are no alias's write index are
    /// left out. From `GET /{pattern}/_alias?expand_wildcards=all` (closed and hidden indices
    /// too). Retention must never delete one: it is where a rollover alias (Jaeger's
    /// `jaeger-span-write`) sends today's spans.
    ///
    /// An index is an alias's write index when the alias says `is_write_index: true` for it, or
    /// when the alias has no `is_write_index` and points at that index alone: Elasticsearch then
    /// writes through the alias to it (and to none when it points at several). The indices of an
    /// alias are counted among those matching the pattern: when an alias also points at indices
    /// outside it, an index can look like its write index when it is not, which errs on the side
    /// of keeping it. A pattern matching nothing gives an empty map.
    pub async fn write_aliases(
        &self,
        index_pattern: &str,
    ) -> Result<BTreeMap<String, Vec<String>>, BackendError> {
        let path = self.pattern(index_pattern)?;
        let req = self
            .endpoint
            .get(format!("/{path}/_alias"))
            .query("expand_wildcards", "all");
        let all: BTreeMap<String, wire::IndexAliases> = self
            .call_or_absent(req, &["index_not_found_exception"])
            .await?
            .unwrap_or_default();
        let mut members: BTreeMap<&str, usize> = BTreeMap::new();
        for a in all.values() {
            for alias in a.aliases.keys() {
                *members.entry(alias).or_default() += 1;
            }
        }
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (index, a) in &all {
            for (alias, def) in &a.aliases {
                let write = def
                    .is_write_index
                    .unwrap_or_else(|| members.get(alias.as_str()) == Some(&1));
                if write {
                    out.entry(index.clone()).or_default().push(alias.clone());
                }
            }
        }
        Ok(out)
    }

    /// `GET /_snapshot/{repository}`: the repository's definition (`{"type": "fs", "settings":
    /// {...}}`, plus `uuid` on recent versions), `None` when there is no such repository (404
    /// `repository_missing_exception`). For checking a backup's destination before taking it.
    pub async fn snapshot_repository(&self, name: &str) -> Result<Option<Value>, BackendError> {
        let path = self.name("snapshot repository", name, valid_repository_name)?;
        let req = self.endpoint.get(format!("/_snapshot/{path}"));
        let Some(mut all): Option<BTreeMap<String, Value>> = self
            .call_or_absent(req, &["repository_missing_exception"])
            .await?
        else {
            return Ok(None);
        };
        match all.remove(name) {
            Some(repo) if repo.get("type").is_some_and(Value::is_string) => Ok(Some(repo)),
            _ => Err(self.decode_error(&format!(
                "the answer has no repository {name:?} with a `type`"
            ))),
        }
    }

    /// `PUT /_snapshot/{repository}/{snapshot}` of `indices` (patterns allowed; at least one),
    /// without the cluster state. Marked `taken_by: tracectl` in its metadata.
    pub async fn create_snapshot<S: AsRef<str>>(
        &self,
        repository: &str,
        snapshot: &str,
        indices: &[S],
        wait_for_completion: bool,
    ) -> Result<SnapshotStarted, BackendError> {
        let path = self.snapshot_path(repository, snapshot)?;
        let indices = self.index_list(indices)?;
        let body = json!({
            "indices": indices,
            "ignore_unavailable": false,
            "include_global_state": false,
            "metadata": { "taken_by": "tracectl" },
        });
        let req = self
            .endpoint
            .request(Method::Put, path)
            .query("wait_for_completion", wait_for_completion.to_string());
        let created: wire::SnapshotCreated = self.call(with_json(req, &body)).await?;
        match (created.snapshot, created.accepted) {
            (Some(s), _) => Ok(SnapshotStarted::Completed(Box::new(snapshot_info(s)))),
            (None, Some(true)) => Ok(SnapshotStarted::Accepted),
            _ => Err(self.decode_error("neither `accepted` nor `snapshot` in the answer")),
        }
    }

    /// `GET /_snapshot/{repository}/{snapshot}`; `None` when the repository has no such snapshot
    /// (a missing repository is an error).
    pub async fn get_snapshot(
        &self,
        repository: &str,
        snapshot: &str,
    ) -> Result<Option<SnapshotInfo>, BackendError> {
        let path = self.snapshot_path(repository, snapshot)?;
        let req = self.endpoint.get(path);
        let Some(s): Option<wire::Snapshots> = self
            .call_or_absent(req, &["snapshot_missing_exception"])
            .await?
        else {
            return Ok(None);
        };
        let mut all = s
            .snapshots
            .unwrap_or_default()
            .into_iter()
            .chain(s.responses.into_iter().flat_map(|r| r.snapshots));
        Ok(all.find(|s| s.snapshot == snapshot).map(snapshot_info))
    }

    /// `POST /_snapshot/{repository}/{snapshot}/_restore` of `options.indices`, without the
    /// cluster state (`include_global_state: false`), renamed when `rename_pattern` and
    /// `rename_replacement` are given. One without the other is refused before sending:
    /// Elasticsearch would ignore it and restore under the original names.
    pub async fn restore_snapshot(
        &self,
        repository: &str,
        snapshot: &str,
        options: &RestoreOptions,
    ) -> Result<Restored, BackendError> {
        let path = self.snapshot_path(repository, snapshot)?;
        let indices = self.index_list(&options.indices)?;
        if options.rename_pattern.is_some() != options.rename_replacement.is_some() {
            return Err(self.invalid(
                "rename_pattern without rename_replacement, or the other way round (both or \
                 neither: Elasticsearch ignores one alone)"
                    .into(),
            ));
        }
        let mut body = json!({
            "indices": indices,
            "ignore_unavailable": false,
            "include_global_state": false,
            "include_aliases": options.include_aliases,
        });
        if let Some(p) = &options.rename_pattern {
            body["rename_pattern"] = json!(p);
        }
        if let Some(r) = &options.rename_replacement {
            body["rename_replacement"] = json!(r);
        }
        let req = self
            .endpoint
            .request(Method::Post, format!("{path}/_restore"))
            .query(
                "wait_for_completion",
                options.wait_for_completion.to_string(),
            );
        let r: wire::RestoreAnswer = self.call(with_json(req, &body)).await?;
        match (r.snapshot, r.accepted) {
            (Some(s), _) => Ok(Restored::Completed {
                snapshot: s.snapshot,
                indices: s.indices,
                shards: shards(&s.shards),
            }),
            (None, Some(true)) => Ok(Restored::Accepted),
            _ => Err(self.decode_error("neither `accepted` nor `snapshot` in the answer")),
        }
    }

    /// `PUT /{pattern}/_settings {"index.blocks.read_only_allow_delete": null}`: lifts the
    /// flood-stage block. Elasticsearch ≥ 7.4 lifts it by itself once the disk is below the high
    /// watermark; before that, or to resume at once, this is the fix. Returns `acknowledged`.
    pub async fn clear_read_only(&self, index_pattern: &str) -> Result<bool, BackendError> {
        let path = self.pattern(index_pattern)?;
        let req = self
            .endpoint
            .request(Method::Put, format!("/{path}/_settings"));
        let body = json!({ "index.blocks.read_only_allow_delete": null });
        let a: wire::Acknowledged = self.call(with_json(req, &body)).await?;
        Ok(a.acknowledged)
    }
}

fn template(name: String, body: Value, priority_key: &str) -> IndexTemplate {
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    IndexTemplate {
        index_patterns: strings(body.get("index_patterns")),
        priority: body.get(priority_key).and_then(Value::as_i64),
        version: body.get("version").and_then(Value::as_i64),
        composed_of: strings(body.get("composed_of")),
        name,
        body,
    }
}

fn snapshot_info(s: wire::Snapshot) -> SnapshotInfo {
    let ts = |ms: Option<i64>| ms.and_then(|ms| Timestamp::from_millisecond(ms).ok());
    SnapshotInfo {
        state: SnapshotState::parse(s.state.as_deref().unwrap_or("")),
        start_time: ts(s.start_time_in_millis),
        // An unfinished snapshot reports end 0.
        end_time: ts(s.end_time_in_millis.filter(|ms| *ms > 0)),
        duration_ms: s.duration_in_millis,
        shards: shards(&s.shards),
        failures: s
            .failures
            .into_iter()
            .map(|f| {
                format!(
                    "{}[{}]: {}",
                    f.index.unwrap_or_default(),
                    f.shard_id.map(|i| i.to_string()).unwrap_or_default(),
                    f.reason.unwrap_or_default()
                )
            })
            .collect(),
        snapshot: s.snapshot,
        uuid: s.uuid,
        version: s.version,
        indices: s.indices,
    }
}

#[cfg(test)]
mod tests;
