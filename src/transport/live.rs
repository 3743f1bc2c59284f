//! The live transport: one reqwest client per backend (its own TLS and auth), bounded retries with
//! jittered backoff for idempotent requests only, a cap on body size, a bound on requests in
//! flight per backend ([`MAX_IN_FLIGHT`]), gzip, a `User-Agent`.
//!
//! Credentials are attached here and nowhere else, so nothing above this layer (the recorder, the
//! logs, error messages) can see them. Not here: record/replay (`bundle/`), what bodies mean.
//! Tests: TLS and fault handling in `tests/it/`.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::sync::Semaphore;

use super::{BackendError, BoxFuture, ErrorKind, Method, Request, Response, Transport};
use crate::error::Backend;

/// A credential. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    Bearer(Secret),
    Basic {
        username: String,
        password: Secret,
    },
}

/// Everything the live transport needs to talk to one backend.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub auth: Auth,
    /// PEM bundle of extra trusted CAs.
    pub ca_pem: Option<Vec<u8>>,
    /// PEM client certificate followed by its private key, for mTLS.
    pub identity_pem: Option<Vec<u8>>,
    pub insecure_skip_verify: bool,
    pub timeout: Duration,
    pub max_body_bytes: u64,
    pub retries: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            auth: Auth::None,
            ca_pem: None,
            identity_pem: None,
            insecure_skip_verify: false,
            timeout: Duration::from_secs(10),
            max_body_bytes: 64 * 1024 * 1024,
            retries: 2,
        }
    }
}

/// Requests in flight to one backend at a time: a runbook fans out (the resources step alone sends
/// six queries), and an incident is the worst time to add load to a struggling Prometheus.
pub const MAX_IN_FLIGHT: usize = 8;

struct BackendClient {
    http: reqwest::Client,
    opts: ClientOptions,
    /// [`MAX_IN_FLIGHT`] permits; held for one attempt, not across a retry's backoff.
    in_flight: Semaphore,
}

pub struct LiveTransport {
    clients: HashMap<Backend, BackendClient>,
}

/// rustls needs one process-wide crypto provider; kube and reqwest both use ring here.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl LiveTransport {
    pub fn new(options: HashMap<Backend, ClientOptions>) -> Result<Self, String> {
        install_crypto_provider();
        let mut clients = HashMap::new();
        for (backend, opts) in options {
            let mut b = reqwest::Client::builder()
                .user_agent(concat!("tracectl/", env!("CARGO_PKG_VERSION")))
                .gzip(true)
                .timeout(opts.timeout)
                .connect_timeout(opts.timeout.min(Duration::from_secs(5)))
                // Backends sit behind in-cluster proxies; never follow a redirect to a login page.
                .redirect(reqwest::redirect::Policy::none());
            if let Some(pem) = &opts.ca_pem {
                let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                    format!("{backend}: ca_file is not a PEM certificate bundle: {e}")
                })?;
                for c in certs {
                    b = b.add_root_certificate(c);
                }
            }
            if let Some(pem) = &opts.identity_pem {
                let id = reqwest::Identity::from_pem(pem).map_err(|e| {
                    format!("{backend}: cert_file/key_file is not a PEM certificate and key: {e}")
                })?;
                b = b.identity(id);
            }
            if opts.insecure_skip_verify {
                tracing::warn!(backend = %backend, "TLS verification is off (insecure_skip_verify)");
                b = b.tls_danger_accept_invalid_certs(true);
            }
            let http = b
                .build()
                .map_err(|e| format!("{backend}: cannot build the HTTP client: {e}"))?;
            clients.insert(
                backend,
                BackendClient {
                    http,
                    opts,
                    in_flight: Semaphore::new(MAX_IN_FLIGHT),
                },
            );
        }
        Ok(LiveTransport { clients })
    }

    async fn attempt(
        &self,
        client: &BackendClient,
        req: &Request,
    ) -> Result<Response, BackendError> {
        let url = req.url();
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
        };
        let mut rb = client.http.request(method, url.clone());
        for (k, v) in &req.headers {
            rb = rb.header(k, v);
        }
        rb = match &client.opts.auth {
            Auth::None => rb,
            Auth::Bearer(t) => rb.bearer_auth(t.expose()),
            Auth::Basic { username, password } => rb.basic_auth(username, Some(password.expose())),
        };
        if let Some(body) = &req.body {
            rb = rb.body(body.clone());
        }
        let mut resp = rb.send().await.map_err(|e| req.error(classify(&e)))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let limit = client.opts.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(req.error(ErrorKind::TooLarge { limit }));
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| req.error(classify(&e)))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(req.error(ErrorKind::TooLarge { limit }));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body: Bytes::from(body),
        })
    }
}

/// Whether a rustls error is somewhere in the chain. `io::Error::source` skips the error it wraps,
/// so each `io::Error`'s inner error is looked at too.
fn is_tls_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        cur = err.source();
    }
    false
}

fn classify(e: &reqwest::Error) -> ErrorKind {
    if e.is_timeout() {
        return ErrorKind::Timeout;
    }
    // The innermost cause is the one that says "connection refused" or "certificate".
    let mut msg = e.to_string();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = src {
        msg = s.to_string();
        src = s.source();
    }
    if is_tls_error(e) {
        // Says "TLS" whatever rustls called it ("received corrupt message", "UnknownIssuer"), so
        // the hint can point at the scheme and the certificates.
        return ErrorKind::Unreachable {
            reason: format!("TLS handshake failed: {msg}"),
        };
    }
    if e.is_connect() || e.is_request() {
        ErrorKind::Unreachable { reason: msg }
    } else if e.is_decode() || e.is_body() {
        ErrorKind::Unreachable {
            reason: format!("connection broke while reading the body: {msg}"),
        }
    } else {
        ErrorKind::Unreachable { reason: msg }
    }
}

fn retryable(result: &Result<Response, BackendError>) -> Option<Duration> {
    match result {
        Ok(r) if matches!(r.status, 429 | 502 | 503 | 504) => {
            let after = r
                .header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            // Honour Retry-After only when it is short: an incident is no time to sleep a minute.
            Some(after.unwrap_or(Duration::ZERO).min(Duration::from_secs(2)))
        }
        // The same statuses as an error: how the API server's service proxy passes its own
        // (a Status object, e.g. 503 "no endpoints available for service") through kube-rs.
        Err(e)
            if matches!(
                &e.kind,
                ErrorKind::Status {
                    code: 429 | 502 | 503 | 504,
                    ..
                }
            ) =>
        {
            Some(Duration::ZERO)
        }
        // A failed TLS handshake fails the same way again: not worth a retry.
        Err(e) if matches!(&e.kind, ErrorKind::Unreachable { reason } if !reason.starts_with("TLS")) => {
            Some(Duration::ZERO)
        }
        _ => None,
    }
}

/// Send `req` with the one retry policy every read follows, reached directly or through the
/// API server's service proxy: an idempotent request is sent again, up to `retries` times, on a
/// connection that failed (not a TLS handshake) or a 429/502/503/504, after a jittered
/// exponential backoff (100 ms, 200 ms, ...; a short `Retry-After` is honoured). A mutation is
/// sent once. `attempt` sends it once.
pub async fn with_retries<F, Fut>(
    req: &Request,
    retries: u32,
    mut attempt: F,
) -> Result<Response, BackendError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Response, BackendError>>,
{
    let mut tried = 0;
    loop {
        let result = attempt().await;
        let wait = if req.idempotent && tried < retries {
            retryable(&result)
        } else {
            None
        };
        match wait {
            Some(min_wait) => {
                tried += 1;
                // Full jitter over an exponential base: 100 ms, 200 ms, ...
                let base = 100u64 << tried.min(4);
                let jitter = Duration::from_millis(fastrand::u64(0..=base));
                tracing::debug!(backend = %req.backend, attempt = tried, "retrying");
                tokio::time::sleep(min_wait.max(jitter)).await;
            }
            None => {
                if let Ok(r) = &result {
                    tracing::debug!(backend = %req.backend, status = r.status, bytes = r.body.len(), "answer");
                }
                return result;
            }
        }
    }
}

impl Transport for LiveTransport {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(async move {
            let Some(client) = self.clients.get(&req.backend) else {
                return Err(BackendError::not_configured(req.backend));
            };
            tracing::debug!(backend = %req.backend, request = %req.describe(), "send");
            with_retries(&req, client.opts.retries, || async {
                // Never closed, so acquiring only waits; the error arm cannot happen.
                let _permit = client.in_flight.acquire().await;
                self.attempt(client, &req).await
            })
            .await
        })
    }
}
