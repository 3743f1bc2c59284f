//! Test support shared by this backend's tests: a fake API server as a `tower::service_fn`
//! (kube-rs's own mock-test pattern, without `tower-test`), which logs each request's method, path
//! and decoded query and answers fixtures from `testdata/`; and a bundle recorder in a directory.
//! Test-only; it is not a test itself.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kube::client::Body;

use super::Kube;
use crate::transport::bundle::{Meta, Recorder, SCHEMA};
use crate::transport::{BackendError, BoxFuture, ErrorKind, Request, Response, Transport};

/// What the mock saw: method, path, query pairs in the order sent.
pub type Seen = Arc<Mutex<Vec<(String, String, Vec<(String, String)>)>>>;

/// A fake API server: answers `(status, body)` for the first route whose path ends the request's
/// path, a 404 Status otherwise.
pub fn api_server(
    routes: Vec<(&'static str, u16, &'static str)>,
) -> (
    impl tower::Service<
        http::Request<Body>,
        Response = http::Response<Body>,
        Error = Infallible,
        Future = impl Send,
    > + Send
    + Clone
    + 'static,
    Seen,
) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let svc = tower::service_fn(move |req: http::Request<Body>| {
        let query = req
            .uri()
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let path = req.uri().path().to_string();
        log.lock()
            .unwrap()
            .push((req.method().to_string(), path.clone(), query));
        let (status, body) = routes
            .iter()
            .find(|(p, _, _)| req.uri().path().ends_with(p))
            .map(|(_, s, b)| (*s, *b))
            .unwrap_or((404, include_str!("testdata/status-404.json")));
        async move {
            Ok::<_, Infallible>(
                http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(body.as_bytes().to_vec()))
                    .unwrap(),
            )
        }
    });
    (svc, seen)
}

pub fn mock(routes: Vec<(&'static str, u16, &'static str)>) -> (Kube, Seen) {
    let (svc, seen) = api_server(routes);
    let client = kube::Client::new(svc, "shop");
    (
        Kube::from_client(
            client,
            "https://k8s.example:6443/",
            Some(Duration::from_secs(5)),
        ),
        seen,
    )
}

pub fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The recorder's own inner transport; the Kubernetes seam never uses it.
struct Unused;
impl Transport for Unused {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(async move { Err(req.error(ErrorKind::NotConfigured)) })
    }
}

pub fn recorder(dir: &Path) -> Arc<Recorder> {
    let meta = Meta {
        schema: SCHEMA.into(),
        at: "2026-11-25T10:00:00Z".parse().unwrap(),
        tracectl_version: "test".into(),
        command: vec!["investigate".into(), "latency".into()],
        backends: BTreeMap::new(),
        namespace: None,
        sensitive_values: None,
    };
    // No secrets passed on purpose: the seam must keep credentials out by itself.
    Arc::new(Recorder::create(Arc::new(Unused), dir, meta, Vec::new()).unwrap())
}
