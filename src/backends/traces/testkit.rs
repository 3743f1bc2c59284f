//! The trace stores' unit-test transport: canned answers by path, every request kept, and an
//! unknown path answered as Go's muxes do (`404 page not found`). Shared by the Jaeger and Tempo
//! client tests; test-only.

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::transport::{Backend, BackendError, BoxFuture, Endpoint, Request, Response, Transport};

pub(crate) struct Fake {
    routes: Vec<(String, Response)>,
    pub(crate) seen: Mutex<Vec<Request>>,
}

impl Transport for Fake {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        let resp = self
            .routes
            .iter()
            .find(|(p, _)| *p == req.path)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| text(404, "404 page not found\n"));
        self.seen.lock().unwrap().push(req);
        Box::pin(async move { Ok(resp) })
    }
}

impl Fake {
    /// An endpoint of `backend` at `base` over a fake answering `routes`.
    pub(crate) fn endpoint(
        routes: &[(&str, Response)],
        backend: Backend,
        base: &str,
        headers: Vec<(String, String)>,
    ) -> (Endpoint, Arc<Fake>) {
        let fake = Arc::new(Fake {
            routes: routes
                .iter()
                .map(|(p, r)| (p.to_string(), r.clone()))
                .collect(),
            seen: Mutex::new(Vec::new()),
        });
        let endpoint = Endpoint {
            backend,
            base: url::Url::parse(base).unwrap(),
            transport: fake.clone(),
            headers,
        };
        (endpoint, fake)
    }

    /// The paths asked, in order.
    pub(crate) fn paths(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.path.clone())
            .collect()
    }
}

pub(crate) fn respond(status: u16, content_type: &str, body: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: Bytes::from(body.to_string()),
    }
}

/// Go's `http.Error`: text/plain, as Jaeger's and Tempo's handlers write their errors.
pub(crate) fn text(status: u16, body: &str) -> Response {
    respond(status, "text/plain; charset=utf-8", body)
}
