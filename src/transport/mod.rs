//! The one HTTP layer under every backend: [`live::LiveTransport`] (reqwest, retries, size cap),
//! [`bundle::Recorder`] (records every exchange into an evidence bundle) and [`bundle::Replayer`]
//! (answers from a bundle with no network).
//!
//! A [`Request`] carries its backend's base URL and a path relative to it, so a bundle recorded
//! against `http://prom:9090` replays anywhere. Credentials are added by the live transport at the
//! last moment: a recorder, which sits above it, never sees them. Not here: what a response means
//! (each backend's `client.rs`). Tests: below, and `tests/it/bundle_privacy.rs`.

pub mod bundle;
pub mod live;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

pub use crate::error::{Backend, BackendError, ErrorKind};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "PATCH")]
    Patch,
    #[serde(rename = "HEAD")]
    Head,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "PATCH" => Method::Patch,
            "HEAD" => Method::Head,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub backend: Backend,
    pub method: Method,
    /// The backend's base URL (may carry a path prefix, e.g. `/prometheus`).
    pub base: url::Url,
    /// Relative to `base`, starting with `/`, segments already escaped.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Non-secret headers only (Accept, Content-Type, X-Scope-OrgID).
    pub headers: Vec<(String, String)>,
    pub body: Option<Bytes>,
    /// Safe to retry: reads, including read-only POSTs such as a long PromQL query.
    pub idempotent: bool,
}

impl Request {
    pub fn get(backend: Backend, base: &url::Url, path: impl Into<String>) -> Self {
        Request {
            backend,
            method: Method::Get,
            base: base.clone(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent: true,
        }
    }

    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_string(), value.into()));
        self
    }

    pub fn header(mut self, key: &str, value: impl Into<String>) -> Self {
        self.headers.push((key.to_string(), value.into()));
        self
    }

    /// The full URL: base path + relative path + query.
    pub fn url(&self) -> url::Url {
        let mut u = self.base.clone();
        let prefix = u.path().trim_end_matches('/').to_string();
        u.set_path(&format!("{prefix}{}", self.path));
        if self.query.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(self.query.iter());
        }
        u
    }

    /// What a replay bundle keys this request by: method, relative path, sorted query, body.
    pub fn key(&self) -> String {
        let mut q = self.query.clone();
        q.sort();
        let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut key = format!("{} {}?{}", self.method.as_str(), self.path, qs.join("&"));
        if let Some(b) = &self.body {
            key.push('\n');
            key.push_str(&String::from_utf8_lossy(b));
        }
        key
    }

    /// For errors and `-v` logs: method and redacted URL.
    pub fn describe(&self) -> String {
        format!(
            "{} {}",
            self.method.as_str(),
            crate::error::redact_url(self.url().as_str())
        )
    }

    pub fn error(&self, kind: ErrorKind) -> BackendError {
        BackendError::new(self.backend, self.url().as_str(), kind)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first line of the body, trimmed and shortened: what a proxy's error page or a
    /// plain-text error says, fit for a one-line reason.
    pub fn short_text(&self) -> String {
        let text = String::from_utf8_lossy(&self.body[..self.body.len().min(512)]).to_string();
        let looks_html = text.trim_start().starts_with('<');
        if looks_html {
            return "an HTML page (a proxy or login page?)".into();
        }
        let line = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let mut s: String = line.chars().take(160).collect();
        if line.chars().count() > 160 {
            s.push('…');
        }
        s
    }
}

/// The seam every backend client talks through.
pub trait Transport: Send + Sync {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>>;
}

pub type SharedTransport = Arc<dyn Transport>;

/// A backend's requests to one base URL, and the transport that carries them.
pub type Route = (url::Url, SharedTransport);

/// Sends each request to the transport routed for its backend and base URL, else to the default
/// one: a backend reached another way (the Kubernetes API server's service proxy, issue #17)
/// then sits under the same recorder, timeouts and fault handling as the others. Routes are set
/// once, after discovery; a backend with a URL of its own is never routed. The base is matched
/// too because one backend may have two endpoints: the Collector's metrics, routed, beside its
/// OTLP receiver at a URL of its own.
pub struct Routed {
    default: SharedTransport,
    routes: std::sync::OnceLock<std::collections::BTreeMap<Backend, Route>>,
}

impl Routed {
    pub fn new(default: SharedTransport) -> Routed {
        Routed {
            default,
            routes: std::sync::OnceLock::new(),
        }
    }

    /// Set the routes; false when they were set already (they are not changed then).
    pub fn route(&self, routes: std::collections::BTreeMap<Backend, Route>) -> bool {
        self.routes.set(routes).is_ok()
    }
}

/// Same scheme, host, port and path (a base's query, as the Collector's second scrape adds, does
/// not count).
fn same_base(a: &url::Url, b: &url::Url) -> bool {
    a.origin() == b.origin() && a.path().trim_end_matches('/') == b.path().trim_end_matches('/')
}

impl Transport for Routed {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        match self.routes.get().and_then(|r| r.get(&req.backend)) {
            Some((base, t)) if same_base(base, &req.base) => t.send(req),
            _ => self.default.send(req),
        }
    }
}

/// A backend's base URL bound to the transport: what each backend client holds.
#[derive(Clone)]
pub struct Endpoint {
    pub backend: Backend,
    pub base: url::Url,
    pub transport: SharedTransport,
    /// Extra non-secret headers for every request (the Prometheus tenant header).
    pub headers: Vec<(String, String)>,
}

impl Endpoint {
    pub fn request(&self, method: Method, path: impl Into<String>) -> Request {
        let mut r = Request::get(self.backend, &self.base, path);
        r.method = method;
        r.idempotent = matches!(method, Method::Get | Method::Head);
        r.headers = self.headers.clone();
        r
    }

    pub fn get(&self, path: impl Into<String>) -> Request {
        self.request(Method::Get, path)
    }

    pub async fn send(&self, req: Request) -> Result<Response, BackendError> {
        self.transport.send(req).await
    }

    /// Whether requests reach the backend through the Kubernetes API server's service proxy
    /// (discovered, a URL given that way, or a replay of a run that was): there a POST is the
    /// `create` verb on `services/proxy`, which a read-only role lacks, so the clients send
    /// their reads as GETs where the backend's API allows it.
    pub fn through_service_proxy(&self) -> bool {
        is_service_proxy_path(self.base.path())
    }

    /// Send, require 2xx, and decode JSON, mapping every failure to a typed error.
    pub async fn json<T: serde::de::DeserializeOwned>(
        &self,
        req: Request,
    ) -> Result<T, BackendError> {
        let resp = self.send(req.clone()).await?;
        check_status(&req, &resp)?;
        decode_json(&req, &resp)
    }
}

/// `/api/v1/namespaces/NS/services/NAME[:PORT]/proxy[/...]`, anywhere in `path` (a cluster URL
/// may carry a prefix of its own, as Rancher's `/k8s/clusters/ID` does).
pub fn is_service_proxy_path(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(7).any(|w| {
        w[0] == "api"
            && w[1] == "v1"
            && w[2] == "namespaces"
            && !w[3].is_empty()
            && w[4] == "services"
            && !w[5].is_empty()
            && w[6] == "proxy"
    })
}

/// Map a non-2xx answer to an error; 401/403 are told apart because their fix differs.
pub fn check_status(req: &Request, resp: &Response) -> Result<(), BackendError> {
    if resp.is_success() {
        return Ok(());
    }
    let message = resp.short_text();
    Err(req.error(match resp.status {
        401 | 403 => ErrorKind::Forbidden {
            code: resp.status,
            message,
        },
        code => ErrorKind::Status { code, message },
    }))
}

pub fn decode_json<T: serde::de::DeserializeOwned>(
    req: &Request,
    resp: &Response,
) -> Result<T, BackendError> {
    serde_json::from_slice(&resp.body).map_err(|e| {
        let why = if resp.short_text().starts_with("an HTML page") {
            "got an HTML page, not JSON".to_string()
        } else {
            format!("invalid JSON: {e}")
        };
        req.error(ErrorKind::Decode { reason: why })
    })
}

pub use crate::promql::path_segment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_joins_base_prefix_path_and_query() {
        let base = url::Url::parse("http://thanos:9090/prom/").unwrap();
        let r =
            Request::get(Backend::Prometheus, &base, "/api/v1/query").query("query", "up{a=\"b\"}");
        assert_eq!(
            r.url().as_str(),
            "http://thanos:9090/prom/api/v1/query?query=up%7Ba%3D%22b%22%7D"
        );
    }

    #[test]
    fn key_is_independent_of_base_and_query_order() {
        let a = Request::get(
            Backend::Jaeger,
            &url::Url::parse("http://a:1").unwrap(),
            "/api/traces",
        )
        .query("service", "x")
        .query("limit", "20");
        let b = Request::get(
            Backend::Jaeger,
            &url::Url::parse("http://b:2/").unwrap(),
            "/api/traces",
        )
        .query("limit", "20")
        .query("service", "x");
        assert_eq!(a.key(), b.key());
    }

    #[test]
    fn a_service_proxy_base_is_told_apart() {
        for (path, proxied) in [
            (
                "/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy/",
                true,
            ),
            (
                "/k8s/clusters/c-1/api/v1/namespaces/m/services/es:9200/proxy",
                true,
            ),
            ("/", false),
            ("/prometheus/api/v1/query", false),
            ("/api/v1/namespaces/m/services/es:9200/", false),
            ("/api/v1/namespaces//services/es/proxy", false),
        ] {
            assert_eq!(is_service_proxy_path(path), proxied, "{path}");
        }
    }

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(path_segment(".."), "%252E%252E");
        let base = url::Url::parse("http://jaeger:16686/").unwrap();
        let r = Request::get(
            Backend::Jaeger,
            &base,
            format!("/api/traces/{}", path_segment("..")),
        );
        assert_eq!(r.url().path(), "/api/traces/%252E%252E");
        assert_eq!(path_segment("checkout-v2"), "checkout-v2");
    }
}
