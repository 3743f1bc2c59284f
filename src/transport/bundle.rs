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
//! reproduces a partial report. Tests: below, `tests/it/bundle_privacy.rs`, and each command's
//! record → replay test.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    BackendError, BoxFuture, ErrorKind, Method, Request, Response, SharedTransport, Transport,
};
use crate::error::Backend;

pub const SCHEMA: &str = "tracectl.bundle/v1";

/// Response headers worth keeping; everything else (cookies, server tokens) is dropped.
const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "retry-after",
    "location",
    "warning",
    "www-authenticate",
];

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

/// Rewrites a text about to be written to the bundle; `None` keeps it as it is. A command that
/// knows what must not be kept sets one (`tracectl audit` masks the sensitive values it looks for
/// in span data, which a response body holds verbatim).
pub type Scrubber = std::sync::Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Writes exchanges as they happen; wraps the live transport.
pub struct Recorder {
    inner: SharedTransport,
    dir: PathBuf,
    secrets: Vec<String>,
    meta: Mutex<Meta>,
    scrubber: Mutex<Option<Scrubber>>,
    pseudonyms: Pseudonyms,
}

/// Keyed pseudonyms for the values a scrubber masks: HMAC-SHA256 under a random key drawn when
/// the bundle is created and never written anywhere, so the same value gets the same pseudonym in
/// one bundle (a replay groups what the run grouped) while nobody holding the bundle can test a
/// guess (a card number with its ends shown has only about 10^7 candidates: a plain hash of it
/// would give it away).
#[derive(Clone)]
pub struct Pseudonyms {
    key: std::sync::Arc<ring::hmac::Key>,
}

impl Pseudonyms {
    fn random() -> std::io::Result<Self> {
        let rng = ring::rand::SystemRandom::new();
        let key = ring::hmac::Key::generate(ring::hmac::HMAC_SHA256, &rng)
            .map_err(|_| std::io::Error::other("no randomness for the bundle's masking key"))?;
        Ok(Pseudonyms {
            key: std::sync::Arc::new(key),
        })
    }

    /// 12 hex digits (48 bits): apart for any number of values a bundle holds.
    pub fn of(&self, value: &str) -> String {
        let tag = ring::hmac::sign(&self.key, value.as_bytes());
        tag.as_ref()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Recorder {
    /// Create (or reuse) `dir` and write its `bundle.json`.
    pub fn create(
        inner: SharedTransport,
        dir: &Path,
        meta: Meta,
        secrets: Vec<String>,
    ) -> std::io::Result<Self> {
        create_private_dir(&dir.join("exchanges"))?;
        let secrets = secrets.into_iter().filter(|s| s.len() >= 4).collect();
        let r = Recorder {
            inner,
            dir: dir.to_path_buf(),
            secrets,
            meta: Mutex::new(meta),
            scrubber: Mutex::new(None),
            pseudonyms: Pseudonyms::random()?,
        };
        r.write_meta()?;
        Ok(r)
    }

    fn scrub(&self, mut s: String) -> String {
        for secret in &self.secrets {
            if s.contains(secret.as_str()) {
                s = s.replace(secret.as_str(), "***");
            }
        }
        s
    }

    fn scrubber(&self) -> Option<Scrubber> {
        self.scrubber
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn write_meta(&self) -> std::io::Result<()> {
        let meta = self.meta.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let text = serde_json::to_string_pretty(&meta).map_err(std::io::Error::other)?;
        let mut text = self.scrub(text);
        if let Some(f) = self.scrubber()
            && let Some(new) = f(&text)
        {
            text = new;
        }
        write_private(&self.dir.join("bundle.json"), text.as_bytes())
    }

    /// An exchange as the bundle stores it: a Kubernetes Secret's values dropped, the response
    /// body through the scrubber (so a JSON body stays JSON), then the whole file through the
    /// secrets and the scrubber again.
    fn exchange_text(&self, ex: &Exchange) -> std::io::Result<String> {
        let scrubber = self.scrubber();
        let mut ex = ex.clone();
        if ex.backend == Backend::Kubernetes
            && let Outcome::Response { body: Some(b), .. } = &mut ex.outcome
            && let Some(new) = strip_secret_data(b)
        {
            *b = new;
        }
        if let (Some(f), Outcome::Response { body: Some(b), .. }) = (&scrubber, &mut ex.outcome)
            && let Some(new) = f(b)
        {
            *b = new;
        }
        let text = serde_json::to_string_pretty(&ex).map_err(std::io::Error::other)?;
        let text = self.scrub(text);
        Ok(match scrubber.and_then(|f| f(&text)) {
            Some(new) => new,
            None => text,
        })
    }

    /// Record one exchange; public so the Kubernetes seam (which is not a [`Transport`]) can use it.
    pub fn record(&self, ex: &Exchange) -> std::io::Result<()> {
        let dir = self.dir.join("exchanges").join(ex.backend.name());
        create_private_dir(&dir)?;
        write_private(
            &dir.join(file_name(ex.backend, &ex.key())),
            self.exchange_text(ex)?.as_bytes(),
        )
    }

    /// The bundle's keyed pseudonyms, for a scrubber's markers.
    pub fn pseudonyms(&self) -> Pseudonyms {
        self.pseudonyms.clone()
    }

    /// `--record-raw`: no scrubber; `bundle.json` says the values are raw.
    pub fn keep_raw(&self) -> std::io::Result<()> {
        self.meta
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sensitive_values = Some(SensitiveValues::Raw);
        self.write_meta()
    }

    pub fn is_raw(&self) -> bool {
        self.meta
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sensitive_values
            == Some(SensitiveValues::Raw)
    }

    /// Scrub everything written from now on with `f`, and rewrite what was written before (a
    /// value found sensitive must not stay in an exchange recorded before anyone looked).
    /// `bundle.json` says the values are masked.
    pub fn set_scrubber(&self, f: Scrubber) -> std::io::Result<()> {
        *self.scrubber.lock().unwrap_or_else(|p| p.into_inner()) = Some(f);
        self.meta
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sensitive_values = Some(SensitiveValues::Masked);
        self.write_meta()?;
        let root = self.dir.join("exchanges");
        for backend in fs::read_dir(&root)?.flatten() {
            if !backend.path().is_dir() {
                continue;
            }
            for file in fs::read_dir(backend.path())?.flatten() {
                let path = file.path();
                let text = fs::read_to_string(&path)?;
                // A file that is not an exchange is scrubbed as text: it must not keep a value
                // either, and it was not going to replay anyway.
                let new = match serde_json::from_str::<Exchange>(&text) {
                    Ok(ex) => self.exchange_text(&ex)?,
                    Err(_) => self
                        .scrubber()
                        .and_then(|f| f(&text))
                        .unwrap_or_else(|| text.clone()),
                };
                if new != text {
                    write_private(&path, new.as_bytes())?;
                }
            }
        }
        Ok(())
    }

    pub fn note_namespace(&self, namespace: &str) {
        let mut meta = self.meta.lock().unwrap_or_else(|p| p.into_inner());
        if meta.namespace.as_deref() != Some(namespace) {
            meta.namespace = Some(namespace.to_string());
            drop(meta);
            if let Err(e) = self.write_meta() {
                tracing::warn!(error = %e, "cannot update bundle.json");
            }
        }
    }

    pub fn note_backend(&self, backend: Backend, base: &str) {
        let mut meta = self.meta.lock().unwrap_or_else(|p| p.into_inner());
        if !meta.backends.contains_key(backend.name()) {
            meta.backends
                .insert(backend.name().to_string(), crate::error::redact_url(base));
            drop(meta);
            if let Err(e) = self.write_meta() {
                tracing::warn!(error = %e, "cannot update bundle.json");
            }
        }
    }
}

/// A Kubernetes answer holding Secrets (`Secret`, `SecretList`) without their values: `data`,
/// `stringData` and the last-applied annotation (which repeats them) removed, the keys' names
/// kept. `None` when the body holds no Secret. A bundle never holds a Secret's value, in either
/// mode: tracectl's read commands do not need one, and nothing could mask all of them.
fn strip_secret_data(body: &str) -> Option<String> {
    fn strip(obj: &mut serde_json::Value) -> bool {
        let Some(o) = obj.as_object_mut() else {
            return false;
        };
        let mut changed = false;
        for field in ["data", "stringData"] {
            if let Some(serde_json::Value::Object(values)) = o.get_mut(field) {
                for v in values.values_mut() {
                    *v = serde_json::Value::String(String::new());
                }
                changed = true;
            }
        }
        if let Some(serde_json::Value::Object(ann)) =
            o.get_mut("metadata").and_then(|m| m.get_mut("annotations"))
        {
            changed |= ann
                .remove("kubectl.kubernetes.io/last-applied-configuration")
                .is_some();
        }
        changed
    }
    if !body.contains("Secret") {
        return None;
    }
    let mut v: serde_json::Value = serde_json::from_str(body).ok()?;
    let changed = match v.get("kind").and_then(|k| k.as_str()) {
        Some("Secret") => strip(&mut v),
        Some("SecretList") => v
            .get_mut("items")
            .and_then(|i| i.as_array_mut())
            .map(|items| items.iter_mut().fold(false, |c, i| strip(i) | c))
            .unwrap_or(false),
        _ => false,
    };
    changed.then(|| serde_json::to_string(&v).unwrap_or_default())
}

pub fn outcome_of(result: &Result<Response, BackendError>) -> Outcome {
    match result {
        Ok(r) => {
            let headers = r
                .headers
                .iter()
                .filter(|(k, _)| KEPT_HEADERS.contains(&k.to_ascii_lowercase().as_str()))
                .cloned()
                .collect();
            let (body, body_hex) = match std::str::from_utf8(&r.body) {
                Ok(s) => (Some(s.to_string()), None),
                Err(_) => (
                    None,
                    Some(r.body.iter().map(|b| format!("{b:02x}")).collect()),
                ),
            };
            Outcome::Response {
                status: r.status,
                headers,
                body,
                body_hex,
            }
        }
        Err(e) => Outcome::Error(e.kind.clone()),
    }
}

pub fn exchange_of(req: &Request, result: &Result<Response, BackendError>) -> Exchange {
    Exchange {
        backend: req.backend,
        method: req.method,
        path: req.path.clone(),
        query: req.query.clone(),
        body: req
            .body
            .as_ref()
            .map(|b| String::from_utf8_lossy(b).to_string()),
        outcome: outcome_of(result),
    }
}

impl Transport for Recorder {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(async move {
            self.note_backend(req.backend, req.base.as_str());
            let result = self.inner.send(req.clone()).await;
            if let Err(e) = self.record(&exchange_of(&req, &result)) {
                tracing::warn!(error = %e, "cannot write to the bundle");
            }
            result
        })
    }
}

/// Answers from a bundle; dials nothing.
pub struct Replayer {
    pub meta: Meta,
    answers: HashMap<(Backend, String), Outcome>,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{path}: cannot read the bundle: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a tracectl bundle: {reason}")]
    Invalid { path: String, reason: String },
}

impl Replayer {
    pub fn open(dir: &Path) -> Result<Self, BundleError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| BundleError::Io { path, source }
        };
        let meta_path = dir.join("bundle.json");
        let text = fs::read_to_string(&meta_path).map_err(io(&meta_path))?;
        let meta: Meta = serde_json::from_str(&text).map_err(|e| BundleError::Invalid {
            path: meta_path.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.schema != SCHEMA {
            return Err(BundleError::Invalid {
                path: meta_path.display().to_string(),
                reason: format!("schema {:?}, this tracectl reads {SCHEMA:?}", meta.schema),
            });
        }
        let mut answers = HashMap::new();
        let root = dir.join("exchanges");
        if root.is_dir() {
            let mut backends: Vec<_> = fs::read_dir(&root).map_err(io(&root))?.flatten().collect();
            backends.sort_by_key(|e| e.file_name());
            for b in backends {
                let mut files: Vec<_> = fs::read_dir(b.path())
                    .map_err(io(&b.path()))?
                    .flatten()
                    .collect();
                files.sort_by_key(|e| e.file_name());
                for f in files {
                    let p = f.path();
                    let text = fs::read_to_string(&p).map_err(io(&p))?;
                    let ex: Exchange =
                        serde_json::from_str(&text).map_err(|e| BundleError::Invalid {
                            path: p.display().to_string(),
                            reason: e.to_string(),
                        })?;
                    answers.insert((ex.backend, ex.key()), ex.outcome);
                }
            }
        }
        Ok(Replayer { meta, answers })
    }

    /// The recorded outcome for a request; `None` when the bundle never saw it.
    pub fn lookup(&self, req: &Request) -> Option<Result<Response, BackendError>> {
        let outcome = self.answers.get(&(req.backend, req.key()))?;
        Some(match outcome {
            Outcome::Response {
                status,
                headers,
                body,
                body_hex,
            } => {
                let bytes = match (body, body_hex) {
                    (Some(s), _) => Bytes::from(s.clone()),
                    (None, Some(h)) => Bytes::from(decode_hex(h)),
                    (None, None) => Bytes::new(),
                };
                Ok(Response {
                    status: *status,
                    headers: headers.clone(),
                    body: bytes,
                })
            }
            Outcome::Error(kind) => Err(req.error(kind.clone())),
        })
    }

    /// The base URL the recorded run reached `backend` at (credentials redacted), as
    /// `bundle.json`'s `backends` holds it: a replay's evidence says which way it was reached.
    pub fn recorded_base(&self, backend: Backend) -> Option<&str> {
        self.meta.backends.get(backend.name()).map(String::as_str)
    }

    /// Which backends the recorded run talked to (they count as configured in a replay).
    pub fn backends(&self) -> Vec<Backend> {
        let mut v: Vec<Backend> = self.answers.keys().map(|(b, _)| *b).collect();
        v.sort();
        v.dedup();
        v
    }
}

fn decode_hex(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
        .collect()
}

impl Transport for Replayer {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(async move {
            match self.lookup(&req) {
                Some(r) => r,
                // The key starts with the method already: name the request once.
                None => Err(req.error(ErrorKind::NotRecorded {
                    request: req.key().lines().next().unwrap_or("").to_string(),
                })),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    struct Canned;
    impl Transport for Canned {
        fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
            Box::pin(async move {
                if req.path == "/down" {
                    return Err(req.error(ErrorKind::Timeout));
                }
                Ok(Response {
                    status: 200,
                    headers: vec![
                        ("Content-Type".into(), "application/json".into()),
                        ("Set-Cookie".into(), "session=hunter2hunter2".into()),
                    ],
                    body: Bytes::from(format!(
                        "{{\"path\":\"{}\",\"echo\":\"hunter2hunter2\"}}",
                        req.path
                    )),
                })
            })
        }
    }

    #[tokio::test]
    async fn a_scrubber_rewrites_what_was_recorded_and_scrubs_what_comes() {
        let dir = tempfile::tempdir().unwrap();
        let rec = Recorder::create(Arc::new(Canned), dir.path(), meta(), vec![]).unwrap();
        let base = url::Url::parse("http://jaeger:16686").unwrap();
        let before = Request::get(Backend::Jaeger, &base, "/before");
        rec.send(before.clone()).await.unwrap();
        rec.set_scrubber(Arc::new(|t: &str| {
            t.contains("hunter2hunter2")
                .then(|| t.replace("hunter2hunter2", "[gone]"))
        }))
        .unwrap();
        let after = Request::get(Backend::Jaeger, &base, "/after");
        let live = rec.send(after.clone()).await.unwrap();
        assert!(
            String::from_utf8_lossy(&live.body).contains("hunter2hunter2"),
            "the caller still gets the real answer"
        );
        for f in fs::read_dir(dir.path().join("exchanges/jaeger")).unwrap() {
            let text = fs::read_to_string(f.unwrap().path()).unwrap();
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("[gone]"), "{text}");
        }
        let rep = Replayer::open(dir.path()).unwrap();
        for req in [before, after] {
            let body = rep.send(req).await.unwrap().body;
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["echo"], "[gone]");
        }
    }

    #[tokio::test]
    async fn a_missing_answer_names_the_request_once() {
        let dir = tempfile::tempdir().unwrap();
        Recorder::create(Arc::new(Canned), dir.path(), meta(), vec![]).unwrap();
        let rep = Replayer::open(dir.path()).unwrap();
        let base = placeholder_base(Backend::Jaeger);
        let err = rep
            .send(Request::get(Backend::Jaeger, &base, "/api/services").query("x", "1"))
            .await
            .unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::NotRecorded {
                request: "GET /api/services?x=1".into()
            }
        );
        assert!(!err.to_string().contains("GET GET"), "{err}");
    }

    #[test]
    fn secrets_lose_their_values_and_nothing_else_changes() {
        let secret = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": "jaeger-secret", "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"ES_PASSWORD\":\"aHVudGVyMg==\"}}",
                "team": "tracing"}},
            "data": {"ES_PASSWORD": "aHVudGVyMg=="},
            "stringData": {"token": "plain"},
        });
        let out = strip_secret_data(&secret.to_string()).unwrap();
        assert!(
            !out.contains("aHVudGVyMg") && !out.contains("plain"),
            "{out}"
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["data"]["ES_PASSWORD"], "", "the key's name stays");
        assert_eq!(v["metadata"]["annotations"]["team"], "tracing");
        let list = serde_json::json!({"kind": "SecretList", "items": [secret.clone(), secret]});
        let out = strip_secret_data(&list.to_string()).unwrap();
        assert!(!out.contains("aHVudGVyMg"), "{out}");
        let cm = r#"{"kind":"ConfigMap","data":{"Secret":"kept"}}"#;
        assert_eq!(strip_secret_data(cm), None);
    }

    #[tokio::test]
    async fn a_recorded_secret_keeps_no_value_even_raw() {
        struct SecretApi;
        impl Transport for SecretApi {
            fn send(&self, _req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
                Box::pin(async move {
                    Ok(Response {
                        status: 200,
                        headers: vec![],
                        body: Bytes::from(
                            r#"{"kind":"Secret","metadata":{"name":"s"},"data":{"k":"c2VjcmV0dmFsdWU="}}"#,
                        ),
                    })
                })
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let rec = Recorder::create(Arc::new(SecretApi), dir.path(), meta(), vec![]).unwrap();
        rec.keep_raw().unwrap();
        assert!(rec.is_raw());
        let base = url::Url::parse("https://k8s:6443").unwrap();
        let req = Request::get(Backend::Kubernetes, &base, "/api/v1/namespaces/x/secrets/s");
        let live = rec.send(req).await.unwrap();
        assert!(String::from_utf8_lossy(&live.body).contains("c2VjcmV0dmFsdWU="));
        for f in fs::read_dir(dir.path().join("exchanges/kubernetes")).unwrap() {
            let text = fs::read_to_string(f.unwrap().path()).unwrap();
            assert!(!text.contains("c2VjcmV0dmFsdWU="), "{text}");
        }
        let m: Meta =
            serde_json::from_str(&fs::read_to_string(dir.path().join("bundle.json")).unwrap())
                .unwrap();
        assert_eq!(m.sensitive_values, Some(SensitiveValues::Raw));
    }

    #[test]
    fn pseudonyms_are_stable_in_a_bundle_distinct_across_values_and_bundles() {
        let a = Pseudonyms::random().unwrap();
        let b = Pseudonyms::random().unwrap();
        assert_eq!(a.of("4111111111111111"), a.of("4111111111111111"));
        assert_ne!(a.of("4111111111111111"), a.of("4111222222221111"));
        assert_ne!(
            a.of("4111111111111111"),
            b.of("4111111111111111"),
            "another bundle, another key: bundles cannot be joined on a value"
        );
        assert_eq!(a.of("x").len(), 12);
    }

    fn meta() -> Meta {
        Meta {
            schema: SCHEMA.into(),
            at: "2026-11-25T10:00:00Z".parse().unwrap(),
            tracectl_version: "test".into(),
            command: vec!["investigate".into()],
            backends: BTreeMap::new(),
            namespace: None,
            sensitive_values: None,
        }
    }

    #[tokio::test]
    async fn record_then_replay_round_trips_answers_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let rec = Recorder::create(
            Arc::new(Canned),
            dir.path(),
            meta(),
            vec!["hunter2hunter2".into()],
        )
        .unwrap();
        let base = url::Url::parse("http://prom:9090").unwrap();
        let ok = Request::get(Backend::Prometheus, &base, "/api/v1/query").query("query", "up");
        let down = Request::get(Backend::Prometheus, &base, "/down");
        let live_ok = rec.send(ok.clone()).await.unwrap();
        assert!(rec.send(down.clone()).await.is_err());

        let rep = Replayer::open(dir.path()).unwrap();
        let other_base = placeholder_base(Backend::Prometheus);
        let mut again = ok.clone();
        again.base = other_base;
        let replayed = rep.send(again).await.unwrap();
        assert_eq!(replayed.status, live_ok.status);
        assert!(
            replayed.header("set-cookie").is_none(),
            "cookies are not kept"
        );
        assert!(
            !String::from_utf8_lossy(&replayed.body).contains("hunter2"),
            "secrets scrubbed"
        );
        let err = rep.send(down).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Timeout);
        let missing = rep
            .send(Request::get(Backend::Jaeger, &base, "/api/services"))
            .await
            .unwrap_err();
        assert!(matches!(missing.kind, ErrorKind::NotRecorded { .. }));
        assert_eq!(rep.meta.at, meta().at);

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let f = fs::read_dir(dir.path().join("exchanges/prometheus"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap();
            assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
