//! Reading and checking a backup directory before a restore: `manifest.json`, every file against
//! its sha256 (one changed byte and nothing is planned), the lists inside, and the comparisons a
//! plan needs (extra keys, a dashboard against its backup, which snapshot indices exist).
//! Tests: `tests.rs`.

use crate::backends::kubernetes::ObjectRef;
use crate::error::UsageError;
use crate::mutation::Observed;
use crate::mutation::ops::backup::{
    BackupManifest, FileEntry, MANIFEST, MANIFEST_SCHEMA, sha256_hex,
};
use crate::mutation::patch::symmetric_diff;
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Component, Path};

pub(super) const MAX_DIFF_LINES: usize = 12;

pub(super) fn refused(message: String) -> UsageError {
    UsageError::with_hint(
        message,
        "restore from an intact copy of the backup, or take a new one with `tracectl maintain backup`",
    )
}

/// `manifest.json` of `dir`.
pub fn read_manifest(dir: &Path) -> Result<BackupManifest, UsageError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).map_err(|e| {
        UsageError::with_hint(
            format!(
                "{}: {e}: {} is not a tracectl backup, or an incomplete one (the manifest is written last)",
                path.display(),
                dir.display()
            ),
            "pass a directory `tracectl maintain backup` wrote",
        )
    })?;
    let m: BackupManifest = serde_json::from_slice(&text)
        .map_err(|e| refused(format!("{}: not a backup manifest: {e}", path.display())))?;
    if m.schema != MANIFEST_SCHEMA {
        return Err(refused(format!(
            "{}: schema {:?}, this tracectl reads {MANIFEST_SCHEMA}",
            path.display(),
            m.schema
        )));
    }
    Ok(m)
}

/// A manifest path that stays inside the backup directory: relative, no `..`.
pub(super) fn inside(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Every file of the manifest, read and checked against its sha256; the first that does not
/// match is named, and nothing is restored.
pub fn verify_files(dir: &Path, m: &BackupManifest) -> Result<(), UsageError> {
    for f in &m.files {
        read_verified(dir, f)?;
    }
    Ok(())
}

pub(super) fn read_verified(dir: &Path, f: &FileEntry) -> Result<Vec<u8>, UsageError> {
    if !inside(&f.path) {
        return Err(refused(format!(
            "{}: the manifest names {:?}, outside the backup directory: nothing was restored",
            dir.join(MANIFEST).display(),
            f.path
        )));
    }
    let path = dir.join(&f.path);
    let bytes = std::fs::read(&path).map_err(|e| {
        refused(format!(
            "{}: {e}: the backup was changed or is incomplete: nothing was restored",
            path.display()
        ))
    })?;
    if sha256_hex(&bytes) != f.sha256.to_ascii_lowercase() {
        return Err(refused(format!(
            "{}: its sha256 does not match the manifest's: the backup was changed or is incomplete: nothing was restored",
            path.display()
        )));
    }
    Ok(bytes)
}

/// The items of a `kind: List` YAML file, each of `kind` with a name.
pub fn read_list(bytes: &[u8], kind: &str, source: &Path) -> Result<Vec<Value>, UsageError> {
    let v: Value = serde_norway::from_slice(bytes)
        .map_err(|e| refused(format!("{}: not YAML: {e}", source.display())))?;
    let items = v["items"]
        .as_array()
        .ok_or_else(|| refused(format!("{}: not a `kind: List`", source.display())))?;
    for i in items {
        if i["kind"].as_str() != Some(kind) || i["metadata"]["name"].as_str().is_none() {
            return Err(refused(format!(
                "{}: an item that is not a {kind} with a name",
                source.display()
            )));
        }
    }
    Ok(items.clone())
}

/// The backed-up object, in `ns`.
pub(super) fn object_in(item: &Value, ns: &str) -> (ObjectRef, Value) {
    let mut manifest = item.clone();
    manifest["metadata"]["namespace"] = json!(ns);
    let kind = item["kind"].as_str().unwrap_or_default().to_string();
    let plural = format!("{}s", kind.to_ascii_lowercase());
    (
        ObjectRef {
            api_version: item["apiVersion"].as_str().unwrap_or("v1").to_string(),
            kind,
            plural,
            namespace: Some(ns.to_string()),
            name: item["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        },
        manifest,
    )
}

/// Keys of `data`/`binaryData` live now and not in the backup: a server-side apply leaves them.
pub fn extra_keys(backup: &Value, live: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for field in ["data", "binaryData", "stringData"] {
        if let Some(l) = live[field].as_object() {
            for k in l.keys() {
                if backup[field].get(k).is_none() {
                    out.push(format!("{field}.{k}"));
                }
            }
        }
    }
    out
}

/// What changed between what the plan saw and what is live now, if anything.
pub fn changed_since(observed: &Observed, live_version: Option<&str>) -> Option<String> {
    match (observed, live_version) {
        (Observed::Absent, Some(_)) => Some("it exists now".into()),
        (Observed::Present { .. }, None) => Some("it was deleted".into()),
        (
            Observed::Present {
                resource_version, ..
            },
            Some(v),
        ) if v != resource_version => Some(format!(
            "its version is {v}, the plan saw {resource_version}"
        )),
        _ => None,
    }
}

/// A dashboard model as compared: without `id` (the instance's row) and `version` (bumped by
/// every save).
pub(super) fn comparable(model: &Value) -> Value {
    let mut m = model.clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("id");
        o.remove("version");
    }
    m
}

/// Where the live dashboard differs from the backup's: paths (`panels[2].title`, `folder`), at
/// most [`MAX_DIFF_LINES`]. Empty: the same dashboard.
pub fn dashboard_diff(
    backup: &Value,
    backup_folder: Option<&str>,
    live: &Value,
    live_folder: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    if backup_folder != live_folder {
        out.push(format!(
            "folder {} → {}",
            live_folder.unwrap_or("General"),
            backup_folder.unwrap_or("General")
        ));
    }
    out.extend(symmetric_diff(
        &comparable(backup),
        &comparable(live),
        "(model)",
    ));
    if out.len() > MAX_DIFF_LINES {
        let more = out.len() - MAX_DIFF_LINES + 1;
        out.truncate(MAX_DIFF_LINES - 1);
        out.push(format!("… and {more} more"));
    }
    out
}

/// The snapshot's indices split into those to restore (absent now) and those left (present).
pub fn split_indices(
    in_snapshot: &[String],
    live: &BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    let mut want: Vec<String> = in_snapshot.to_vec();
    want.sort();
    want.dedup();
    want.into_iter().partition(|i| !live.contains(i))
}

pub(super) fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut s = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}
