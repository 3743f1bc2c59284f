//! Evidence bundles: `--record DIR` writes every backend exchange to a directory, `--replay DIR`
//! answers every backend call from one with no network at all.
//!
//! Layout: `DIR/bundle.json` (schema, the `--at` time the run used, the command, which backends
//! answered) and `DIR/exchanges/<backend>/<hash>.json`, one file per distinct request, keyed by
//! method, relative path, sorted query and body ([`Request::key`]), so a bundle replays against
//! any base URL. Files are 0600 and the directory 0700. Credentials never reach this layer (the
//! live transport adds them below it); as a second guard every known secret value is scrubbed
//! from what is written. Kubernetes Secrets are written without their values, always. Sensitive
//! values in bodies are masked by a [`Scrubber`] the command layer sets (the audit's matchers,
//! `crate::investigate::bundle`), whose markers carry this bundle's keyed [`Pseudonyms`];
//! `bundle.json` says which ([`SensitiveValues`]). Errors are recorded too, so a replay
//! reproduces a partial report. Tests: `tests.rs`, `tests/it/bundle_privacy.rs`, and each command's
//! record → replay test.

// The recording and replaying sides live in their own files; their public items keep their
// `transport::bundle::` paths.
mod record;
mod replay;
#[cfg(test)]
mod tests;

pub use record::{Pseudonyms, Recorder, Scrubber, exchange_of, outcome_of};
pub use replay::{BundleError, Replayer};

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use bytes::Bytes;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ErrorKind, Method, Request};
use crate::error::Backend;

pub const SCHEMA: &str = "tracectl.bundle/v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub schema: String,
    /// The evaluation time of the recorded run; a replay uses it as its clock.
    pub at: Timestamp,
    pub tracectl_version: String,
    pub command: Vec<String>,
    /// Backend name → redacted base URL it was recorded from.
    #[serde(default)]
    pub backends: BTreeMap<String, String>,
    /// The Kubernetes namespace the recorded run resolved (from -n or the kubeconfig context), so
    /// a replay without -n asks for the same objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// How sensitive values in the recorded bodies were kept; absent in bundles written before
    /// tracectl masked them (there only `audit` masked span data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_values: Option<SensitiveValues>,
}

/// What a bundle holds in place of the sensitive values the audit's matchers find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveValues {
    /// Each replaced by a `[REDACTED:kind:mask:pseudonym]` marker (the default): safe to share.
    Masked,
    /// As the backends sent them (`--record-raw`): as private as the traces themselves.
    Raw,
}

impl SensitiveValues {
    /// For `--replay`'s note: what the bundle holds, in words.
    pub fn describe(meta: &Meta) -> &'static str {
        match meta.sensitive_values {
            Some(SensitiveValues::Masked) => {
                "sensitive values were masked when it was recorded ([REDACTED:...] in their place)"
            }
            Some(SensitiveValues::Raw) => {
                "it was recorded with --record-raw: sensitive values are as the backends sent them"
            }
            None => {
                "it was recorded before bundles were masked: only an audit bundle has its sensitive values masked"
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exchange {
    pub backend: Backend,
    pub method: Method,
    pub path: String,
    #[serde(default)]
    pub query: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Response {
        status: u16,
        #[serde(default)]
        headers: Vec<(String, String)>,
        /// UTF-8 bodies as text (readable, diffable); anything else as hex.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body_hex: Option<String>,
    },
    Error(ErrorKind),
}

impl Exchange {
    fn key(&self) -> String {
        let mut r = Request::get(
            self.backend,
            &placeholder_base(self.backend),
            self.path.clone(),
        );
        r.method = self.method;
        r.query = self.query.clone();
        r.body = self.body.clone().map(Bytes::from);
        r.key()
    }
}

/// The base URL backends get during a replay: never dialled, only shown.
pub fn placeholder_base(backend: Backend) -> url::Url {
    url::Url::parse(&format!("http://{}.replay.invalid/", backend.name())).expect("static URL")
}

fn file_name(backend: Backend, key: &str) -> String {
    let digest = Sha256::digest(format!("{}\n{key}", backend.name()).as_bytes());
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("{hex}.json")
}

fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(data)
}

fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path)
}
