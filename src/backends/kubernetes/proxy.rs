//! A backend reached through the Kubernetes API server's service proxy (issue #17: works from a
//! kubeconfig alone): `{METHOD} /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}?{query}`
//! ([proxy](https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls)),
//! over the kubeconfig's client, TLS and credentials, with no port-forward. It is a
//! [`Transport`], so the backend's own client does not know: the recorder above it, the status
//! mapping and decoding are the same as for a direct URL; the per-request timeout is
//! [`Kube`]'s and the body cap the Kubernetes block's, and a read is retried as a direct one is
//! ([`with_retries`]). Needs `services/proxy` `get` (`deploy/rbac/tracectl-readonly.yaml`): the
//! backends' clients send their reads as GETs this way (`Endpoint::through_service_proxy`); a
//! POST is `create`, and the API server's refusal of it becomes a one-line error naming the verb.
//! Tests: `tests/it/dataloss.rs` (Prometheus, Jaeger and Elasticsearch reached this way through
//! a fixture API server that forwards to them, recorded and replayed) and `tests/it/rbac.rs`
//! (the requests it sends, against the read-only role).

use bytes::Bytes;

use super::Kube;
use crate::error::Backend;
use crate::transport::live::{ClientOptions, with_retries};
use crate::transport::{BackendError, BoxFuture, ErrorKind, Method, Request, Response, Transport};

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
    /// A base with more path than [`Self::base`] keeps it: the Collector's is `.../proxy/metrics`.
    fn uri(&self, req: &Request) -> String {
        let extra = self
            .base()
            .and_then(|b| {
                req.base
                    .path()
                    .strip_prefix(b.path().trim_end_matches('/'))
                    .map(|rest| rest.trim_end_matches('/').to_string())
            })
            .unwrap_or_default();
        let mut uri = format!("{}{extra}{}", self.prefix(), req.path);
        if !req.query.is_empty() {
            let q = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(req.query.iter())
                .finish();
            uri.push('?');
            uri.push_str(&q);
        }
        uri
    }

    /// One request, retried as a direct read is ([`with_retries`]: same count, same
    /// idempotency rule); kube-rs' own retry is not in play, this sends on its raw client.
    async fn exchange(&self, req: Request) -> Result<Response, BackendError> {
        let retries = ClientOptions::default().retries;
        with_retries(&req, retries, || self.once(&req)).await
    }

    async fn once(&self, req: &Request) -> Result<Response, BackendError> {
        let uri = self.uri(req);
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
            .run(&uri, async move {
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
        let refused = || {
            req.error(ErrorKind::Forbidden {
                code: 403,
                message: format!(
                    "{} through the API server's service proxy is the `create` verb on \
                     services/proxy, which the kubeconfig's user lacks (the read-only role \
                     grants `get`)",
                    req.method.as_str()
                ),
            })
        };
        let not_get = !matches!(req.method, Method::Get | Method::Head);
        match sent {
            Ok((403, _, body)) if refused_proxy_verb(req.method, &body) => Err(refused()),
            // kube-rs may hand the API server's own Status back as an error.
            Err(e)
                if not_get
                    && e.backend == Backend::Kubernetes
                    && matches!(&e.kind, ErrorKind::Forbidden { message, .. }
                        if message.contains("services/proxy")) =>
            {
                Err(refused())
            }
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

/// Whether a 403 is the API server refusing the proxy verb (its `Status` object, `reason:
/// Forbidden`, `details.kind: services`), not the backend behind it refusing the request: for a
/// method other than GET, that verb is `create`.
fn refused_proxy_verb(method: Method, body: &[u8]) -> bool {
    if matches!(method, Method::Get | Method::Head) {
        return false;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    v["kind"] == "Status" && v["reason"] == "Forbidden" && v["details"]["kind"] == "services"
}

impl Transport for ServiceProxy {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(self.exchange(req))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::kubernetes::testkit::mock;

    /// The API server's refusal of `create` on `services/proxy`, as it sends it.
    const REFUSED: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"services \"es:9200\" is forbidden: User \"system:serviceaccount:monitoring:tracectl\" cannot create resource \"services/proxy\" in API group \"\" in the namespace \"monitoring\"","reason":"Forbidden","details":{"name":"es:9200","kind":"services"},"code":403}"#;
    /// The API server when the Service has no ready endpoint.
    const NO_ENDPOINTS: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"no endpoints available for service \"es:9200\"","reason":"ServiceUnavailable","code":503}"#;
    /// Elasticsearch's own 403 behind the proxy (its security plugin): the backend's answer.
    const ES_REFUSED: &str = r#"{"error":{"root_cause":[{"type":"security_exception","reason":"action [indices:data/read/search] is unauthorized"}],"type":"security_exception","reason":"action [indices:data/read/search] is unauthorized"},"status":403}"#;

    fn request(proxy: &ServiceProxy, method: Method, path: &str) -> Request {
        let base = proxy.base().unwrap();
        let mut r = Request::get(Backend::Elasticsearch, &base, path);
        r.method = method;
        r.idempotent = true;
        r
    }

    #[tokio::test]
    async fn a_refused_post_names_the_verb_and_the_backends_own_403_passes() {
        let (kube, seen) = mock(vec![
            ("/_count", 403, REFUSED),
            ("/_search", 403, ES_REFUSED),
        ]);
        let proxy = ServiceProxy::new(&kube, "monitoring", "es", 9200).unwrap();
        let e = proxy
            .send(request(&proxy, Method::Post, "/jaeger-span-*/_count"))
            .await
            .unwrap_err();
        let line = e.one_line();
        assert!(
            line.contains(
                "POST through the API server's service proxy is the `create` verb on services/proxy"
            ),
            "{line}"
        );
        assert!(e.hint().contains("--elasticsearch-url"), "{}", e.hint());
        // A refusal is not retried: the same request is refused again.
        assert_eq!(seen.lock().unwrap().len(), 1);
        // A 403 to a GET, or one the backend sent, is the backend's answer for its client.
        let r = proxy
            .send(request(&proxy, Method::Post, "/jaeger-span-*/_search"))
            .await
            .unwrap();
        assert_eq!(r.status, 403);
        assert!(!refused_proxy_verb(Method::Get, REFUSED.as_bytes()));
    }

    #[tokio::test]
    async fn proxied_reads_are_retried_as_direct_ones_and_mutations_are_not() {
        let (kube, seen) = mock(vec![("/_count", 503, NO_ENDPOINTS)]);
        let proxy = ServiceProxy::new(&kube, "monitoring", "es", 9200).unwrap();
        let r = proxy
            .send(request(&proxy, Method::Get, "/jaeger-span-*/_count"))
            .await
            .unwrap();
        assert_eq!(r.status, 503);
        let retries = ClientOptions::default().retries as usize;
        assert_eq!(seen.lock().unwrap().len(), 1 + retries, "a read: retried");
        let mut put = request(&proxy, Method::Put, "/jaeger-span-*/_count");
        put.idempotent = false;
        proxy.send(put).await.unwrap();
        assert_eq!(
            seen.lock().unwrap().len(),
            2 + retries,
            "a change: sent once"
        );
    }
}
