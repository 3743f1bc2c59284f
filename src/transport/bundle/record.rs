//! The recording side of a bundle: [`Recorder`] wraps the live transport and writes every
//! exchange, masked, as it happens.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{
    Exchange, Meta, Outcome, SensitiveValues, create_private_dir, file_name, write_private,
};
use crate::error::Backend;
use crate::transport::{BackendError, BoxFuture, Request, Response, SharedTransport, Transport};

/// Response headers worth keeping; everything else (cookies, server tokens) is dropped.
const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "retry-after",
    "location",
    "warning",
    "www-authenticate",
];

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
    pub(super) fn random() -> std::io::Result<Self> {
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
pub(super) fn strip_secret_data(body: &str) -> Option<String> {
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
