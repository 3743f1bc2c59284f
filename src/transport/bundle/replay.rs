//! The replaying side of a bundle: [`Replayer`] answers every backend call from a recorded
//! directory and dials nothing.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use bytes::Bytes;

use super::{Exchange, Meta, Outcome, SCHEMA};
use crate::error::Backend;
use crate::transport::{BackendError, BoxFuture, ErrorKind, Request, Response, Transport};

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
