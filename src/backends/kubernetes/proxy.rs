//! A backend reached through the Kubernetes API server's service proxy (issue #17: works from a
//! kubeconfig alone): `{METHOD} /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}?{query}`
//! ([proxy](https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls)),
//! over the kubeconfig's client, TLS and credentials, with no port-forward. It is a
//! [`Transport`], so the backend's own client does not know: the recorder above it, the status
//! mapping and decoding are the same as for a direct URL; the per-request timeout is
//! [`Kube`]'s and the body cap the Kubernetes block's. Needs `services/proxy` (`get`, and
//! `create` for the backends that query by POST) in `deploy/rbac/tracectl-readonly.yaml`.
//! Tests: `tests/it/dataloss.rs` (Prometheus, Jaeger and Elasticsearch reached this way through
//! a fixture API server that forwards to them, recorded and replayed) and `tests/it/rbac.rs`
//! (the requests it sends, against the read-only role).

use bytes::Bytes;

use super::Kube;
use crate::error::Backend;
use crate::transport::{BackendError, BoxFuture, ErrorKind, Request, Response, Transport};

/// One Service's port, through the API server.
#[derive(Clone)]
pub struct ServiceProxy {
    kube: Kube,
    namespace: String,
    service: String,
    port: u16,
}

impl ServiceProxy {
    /// `None` when a name could change the path (they come from the cluster, but are checked).
    pub fn new(kube: &Kube, namespace: &str, service: &str, port: u16) -> Option<ServiceProxy> {
        (kube.check("namespace", namespace, true).is_ok()
            && kube.check("Service name", service, false).is_ok())
        .then(|| ServiceProxy {
            kube: kube.clone(),
            namespace: namespace.to_string(),
            service: service.to_string(),
            port,
        })
    }

    /// `/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy`.
    pub fn prefix(&self) -> String {
        format!(
            "/api/v1/namespaces/{}/services/{}:{}/proxy",
            self.namespace, self.service, self.port
        )
    }

    /// The base URL a backend client is given: the cluster's URL and [`Self::prefix`], which
    /// is what errors, `-v` and a bundle's `backends` show.
    pub fn base(&self) -> Option<url::Url> {
        url::Url::parse(&format!("{}{}/", self.kube.cluster_url(), self.prefix())).ok()
    }

    /// The API server path for `req` (its path is already escaped; the query is encoded here).
    fn uri(&self, req: &Request) -> String {
        let mut uri = format!("{}{}", self.prefix(), req.path);
        if !req.query.is_empty() {
            let q = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(req.query.iter())
                .finish();
            uri.push('?');
            uri.push_str(&q);
        }
        uri
    }

    async fn exchange(&self, req: Request) -> Result<Response, BackendError> {
        let uri = self.uri(&req);
        let method =
            http::Method::from_bytes(req.method.as_str().as_bytes()).unwrap_or(http::Method::GET);
        let mut builder = http::Request::builder().method(method).uri(&uri);
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let body = req.body.clone().unwrap_or_default().to_vec();
        let http_req = builder.body(body).map_err(|e| {
            req.error(ErrorKind::Api {
                error_type: "Invalid".into(),
                message: e.to_string(),
            })
        })?;
        let kube = &self.kube;
        let sent = kube
            .run(&uri, async {
                let resp = kube
                    .raw()
                    .send(http_req.map(kube::client::Body::from))
                    .await?;
                let status = resp.status().as_u16();
                let headers: Vec<(String, String)> = resp
                    .headers()
                    .iter()
                    .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_string())))
                    .collect();
                let body: Bytes = resp.into_body().collect_bytes().await?;
                Ok((status, headers, body))
            })
            .await;
        match sent {
            Ok((status, headers, body)) => Ok(Response {
                status,
                headers,
                body,
            }),
            // The failure is the backend's (reached this way), not the cluster's.
            Err(e) if e.backend == Backend::Kubernetes => Err(req.error(e.kind)),
            Err(e) => Err(e),
        }
    }
}

impl Transport for ServiceProxy {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(self.exchange(req))
    }
}
