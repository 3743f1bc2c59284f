//! Client tests over a fake transport answering hand-written bodies. Their shapes follow, field for
//! field, the Elasticsearch specification's and the OpenSearch documentation's own examples (see
//! `/work/shared/reference/{elasticsearch,opensearch}/SOURCES.md`) and the extra columns and
//! fields newer servers add; the values are made up, for a Jaeger cluster.
//!
//! - `reads.rs`: health, indices and blocks, thread pools, disk, count, per-operation statistics.
//! - `maintain.rs`: delete, force merge, templates, snapshots, clearing the read-only block.
//! - `errors.rs`: error bodies, proxies, and input refused before sending.

mod errors;
mod maintain;
mod reads;

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::ElasticsearchClient;
use crate::transport::{
    Backend, BackendError, BoxFuture, Endpoint, ErrorKind, Method, Request, Response, Transport,
};

pub(super) struct Fake {
    routes: Vec<(Method, String, Response)>,
    pub seen: Mutex<Vec<Request>>,
}

impl Transport for Fake {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        let resp = self
            .routes
            .iter()
            .find(|(m, p, _)| *m == req.method && *p == req.path)
            .map(|(_, _, r)| r.clone())
            .unwrap_or_else(|| text(599, "the fake has no route for this request"));
        self.seen.lock().unwrap().push(req);
        Box::pin(async move { Ok(resp) })
    }
}

pub(super) fn respond(status: u16, content_type: &str, body: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: Bytes::from(body.to_string()),
    }
}

pub(super) fn json(status: u16, body: &str) -> Response {
    respond(status, "application/json; charset=UTF-8", body)
}

pub(super) fn text(status: u16, body: &str) -> Response {
    respond(status, "text/plain; charset=UTF-8", body)
}

pub(super) fn client(routes: Vec<(Method, &str, Response)>) -> (ElasticsearchClient, Arc<Fake>) {
    let fake = Arc::new(Fake {
        routes: routes
            .into_iter()
            .map(|(m, p, r)| (m, p.to_string(), r))
            .collect(),
        seen: Mutex::new(Vec::new()),
    });
    let endpoint = Endpoint {
        backend: Backend::Elasticsearch,
        base: url::Url::parse("https://es.example:9200/").unwrap(),
        transport: fake.clone(),
        headers: Vec::new(),
    };
    (ElasticsearchClient::new(endpoint), fake)
}

/// The one route a test needs.
pub(super) fn one(method: Method, path: &str, resp: Response) -> (ElasticsearchClient, Arc<Fake>) {
    client(vec![(method, path, resp)])
}

impl Fake {
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    pub fn only(&self) -> Request {
        let seen = self.requests();
        assert_eq!(seen.len(), 1, "requests: {seen:?}");
        seen[0].clone()
    }
}

pub(super) fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The request's JSON body, parsed: compared as JSON, so the assertion does not depend on whether
/// serde_json sorts keys (`preserve_order` may be on in the dependency graph).
pub(super) fn body(req: &Request) -> serde_json::Value {
    serde_json::from_slice(req.body.as_ref().expect("a body")).expect("a JSON body")
}

pub(super) fn content_type(req: &Request) -> Option<&str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str())
}

pub(super) fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}
