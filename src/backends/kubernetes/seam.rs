//! The record/replay seam for Kubernetes: two tower services that a `kube::Client` is built on.
//!
//! kube-rs does its own HTTP (config loading, exec-plugin credentials, TLS, retries), so it cannot
//! sit on [`crate::transport::Transport`]. Instead `kube::Client::new` takes any tower service of
//! `http::Request<kube::client::Body>`, and these are such services:
//!
//! - [`RecordService`] wraps a complete, normal kube client and writes each exchange to the bundle.
//!   It sits *above* kube's base-URI and auth layers, so what it sees is exactly what it may keep:
//!   the method, the path relative to the cluster URL, the query and the body, never the
//!   `Authorization` header or a client certificate; it records no request headers at all.
//! - [`ReplayService`] answers from [`Replayer::lookup`] and dials nothing; a request the bundle does
//!   not hold fails with [`ErrorKind::NotRecorded`] naming it.
//!
//! Both turn a request into a [`crate::transport::Request`] with [`transport_request`], so a call
//! gets the same bundle key whether recorded or replayed, and recorded errors (timeouts,
//! refused connections) replay as the same [`ErrorKind`]. Request headers are not part of the key,
//! which holds because `client.rs` never varies a call by header (no `Accept` for metadata-only
//! reads). The seam calls no API path of its own. Not here: which paths are called and what
//! answers mean (`client.rs`). Tests: below (query-order-independent keys, record → replay round
//! trip through kube's real auth layer with no credentials in the bundle, unrecorded requests,
//! recorded timeouts).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use kube::client::Body;
use tower::BoxError;

use super::connect::kind_of;
use crate::error::Backend;
use crate::transport::bundle::{Recorder, Replayer, exchange_of, placeholder_base};
use crate::transport::{BackendError, ErrorKind, Method, Request, Response};

type SeamFuture = Pin<Box<dyn Future<Output = Result<http::Response<Body>, BoxError>> + Send>>;

/// The bundle's view of an HTTP request from kube: path as sent (already escaped, relative to the
/// cluster URL because kube adds the base URI below this seam), query pairs decoded.
pub fn transport_request(
    parts: &http::request::Parts,
    body: &Bytes,
    base: &url::Url,
) -> Result<Request, BackendError> {
    let path = parts.uri.path().to_string();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let mut req = Request::get(Backend::Kubernetes, base, path);
    req.query = query;
    req.body = (!body.is_empty()).then(|| body.clone());
    req.method = Method::parse(parts.method.as_str()).ok_or_else(|| {
        req.error(ErrorKind::Status {
            code: 405,
            message: format!("tracectl does not send {} requests", parts.method),
        })
    })?;
    req.idempotent = matches!(req.method, Method::Get | Method::Head);
    Ok(req)
}

/// Why a request failed below the API (no HTTP answer): timeout, or unreachable with the causes.
/// A [`BackendError`] anywhere in the chain (a replayed error) keeps its kind.
pub fn classify(err: &(dyn std::error::Error + 'static)) -> ErrorKind {
    let mut reasons: Vec<String> = Vec::new();
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(b) = e.downcast_ref::<BackendError>() {
            return b.kind.clone();
        }
        if e.downcast_ref::<tokio::time::error::Elapsed>().is_some()
            || e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return ErrorKind::Timeout;
        }
        let s = e.to_string();
        // hyper and kube repeat their source in their own message; say each cause once.
        if !reasons.last().is_some_and(|prev| prev.contains(&s)) {
            reasons.push(s);
        }
        cur = e.source();
    }
    ErrorKind::Unreachable {
        reason: reasons.join(": "),
    }
}

fn to_http(resp: Response) -> Result<http::Response<Body>, BoxError> {
    let mut b = http::Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        b = b.header(k, v);
    }
    Ok(b.body(Body::from(resp.body))?)
}

/// Records every exchange of `inner` (a normal kube client) into the bundle.
#[derive(Clone)]
pub struct RecordService {
    inner: kube::Client,
    recorder: Arc<Recorder>,
    base: url::Url,
    timeout: Duration,
}

impl RecordService {
    /// `base` is the cluster URL, only for error messages: the bundle keeps relative paths.
    pub fn new(
        inner: kube::Client,
        recorder: Arc<Recorder>,
        base: url::Url,
        timeout: Duration,
    ) -> Self {
        recorder.note_backend(Backend::Kubernetes, base.as_str());
        RecordService {
            inner,
            recorder,
            base,
            timeout,
        }
    }

    fn record(&self, req: &Request, result: &Result<Response, BackendError>) {
        if let Err(e) = self.recorder.record(&exchange_of(req, result)) {
            tracing::warn!(error = %e, "cannot write to the bundle");
        }
    }

    async fn exchange(self, req: http::Request<Body>) -> Result<http::Response<Body>, BoxError> {
        let (parts, body) = req.into_parts();
        let body = body.collect_bytes().await?;
        let treq = transport_request(&parts, &body, &self.base)?;
        // The timeout lives here, not only around the whole call, so that a timeout is recorded
        // and a replay reproduces it.
        let sent = tokio::time::timeout(
            self.timeout,
            self.inner
                .send(http::Request::from_parts(parts, Body::from(body))),
        );
        let resp = match sent.await {
            Err(_) => {
                let e = treq.error(ErrorKind::Timeout);
                self.record(&treq, &Err(e.clone()));
                return Err(e.into());
            }
            Ok(Err(e)) => {
                self.record(&treq, &Err(treq.error(kind_of(&e))));
                return Err(e.into());
            }
            Ok(Ok(resp)) => resp,
        };
        let (rparts, rbody) = resp.into_parts();
        let bytes = match rbody.collect_bytes().await {
            Ok(b) => b,
            Err(e) => {
                self.record(&treq, &Err(treq.error(kind_of(&e))));
                return Err(e.into());
            }
        };
        let headers = rparts
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        self.record(
            &treq,
            &Ok(Response {
                status: rparts.status.as_u16(),
                headers,
                body: bytes.clone(),
            }),
        );
        Ok(http::Response::from_parts(rparts, Body::from(bytes)))
    }
}

impl tower::Service<http::Request<Body>> for RecordService {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = SeamFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // The inner client buffers requests itself, so this is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        Box::pin(self.clone().exchange(req))
    }
}

/// Answers from an evidence bundle.
#[derive(Clone)]
pub struct ReplayService {
    replayer: Arc<Replayer>,
}

impl ReplayService {
    pub fn new(replayer: Arc<Replayer>) -> Self {
        ReplayService { replayer }
    }

    async fn answer(self, req: http::Request<Body>) -> Result<http::Response<Body>, BoxError> {
        let (parts, body) = req.into_parts();
        let body = body.collect_bytes().await?;
        let treq = transport_request(&parts, &body, &placeholder_base(Backend::Kubernetes))?;
        match self.replayer.lookup(&treq) {
            Some(Ok(resp)) => to_http(resp),
            Some(Err(e)) => Err(e.into()),
            None => Err(treq
                .error(ErrorKind::NotRecorded {
                    request: treq.key().lines().next().unwrap_or_default().to_string(),
                })
                .into()),
        }
    }
}

impl tower::Service<http::Request<Body>> for ReplayService {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = SeamFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        Box::pin(self.clone().answer(req))
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::path::Path;

    use kube::client::ConfigExt;

    use super::*;
    use crate::backends::kubernetes::testkit::{api_server, recorder};
    use crate::backends::kubernetes::{EventFilter, Kube, KubeMode, KubeSettings, connect};

    const TOKEN: &str = "s3cr3t-bearer-token-0123456789";

    /// kube's own base-URI and auth layers over the mock API server, as in a live client; the
    /// server checks the credentials arrive, so the test proves they were there to leak.
    fn live_like<S>(inner: S) -> kube::Client
    where
        S: tower::Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
            + Clone
            + Send
            + 'static,
        S::Future: Send + 'static,
    {
        let mut config = kube::Config::new(
            "https://k8s.example:6443/rancher/k8s/clusters/c-1"
                .parse()
                .unwrap(),
        );
        config.auth_info.token = Some(TOKEN.to_string().into());
        let checked = tower::ServiceExt::map_request(inner, |req: http::Request<Body>| {
            assert_eq!(
                req.headers()["authorization"],
                format!("Bearer {TOKEN}").as_str()
            );
            assert!(
                req.uri()
                    .path()
                    .starts_with("/rancher/k8s/clusters/c-1/api"),
                "{}",
                req.uri()
            );
            req
        });
        let svc = tower::ServiceBuilder::new()
            .layer(config.base_uri_layer())
            .option_layer(config.auth_layer().unwrap())
            .map_err(BoxError::from)
            .service(checked);
        kube::Client::new(svc, "shop")
    }

    fn all_files(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                out.extend(all_files(&e.path()));
            } else {
                out.push((
                    e.path().display().to_string(),
                    std::fs::read_to_string(e.path()).unwrap(),
                ));
            }
        }
        out
    }

    #[test]
    fn keys_ignore_query_order_and_decode_escapes() {
        let base = placeholder_base(Backend::Kubernetes);
        let parts = |uri: &str| http::Request::get(uri).body(()).unwrap().into_parts().0;
        let a = transport_request(
            &parts("/api/v1/namespaces/shop/pods?&labelSelector=app%3Dcheckout&limit=5"),
            &Bytes::new(),
            &base,
        )
        .unwrap();
        let b = transport_request(
            &parts("/api/v1/namespaces/shop/pods?limit=5&labelSelector=app=checkout"),
            &Bytes::new(),
            &base,
        )
        .unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(
            a.key(),
            "GET /api/v1/namespaces/shop/pods?labelSelector=app=checkout&limit=5"
        );
        assert_eq!(a.body, None);
    }

    #[tokio::test]
    async fn record_then_replay_gives_the_same_answers_without_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let (server, seen) = api_server(vec![
            ("/pods", 200, include_str!("testdata/pods.json")),
            ("/events", 403, include_str!("testdata/status-403.json")),
        ]);
        let base = url::Url::parse("https://k8s.example:6443/rancher/k8s/clusters/c-1").unwrap();
        let seam = RecordService::new(
            live_like(server),
            recorder(dir.path()),
            base,
            Duration::from_secs(5),
        );
        let recording = Kube::from_client(
            kube::Client::new(seam, "shop"),
            "https://k8s.example:6443",
            None,
        );

        let pods = recording.pods("shop", "app=checkout").await.unwrap();
        let denied = recording
            .events("shop", &EventFilter::FieldSelector("type=Warning".into()))
            .await
            .unwrap_err();
        assert_eq!(
            recording
                .config_map("shop", "checkout-config")
                .await
                .unwrap(),
            None
        );
        assert_eq!(seen.lock().unwrap().len(), 3);

        let files = all_files(dir.path());
        assert_eq!(
            files.len(),
            4,
            "bundle.json and one file per request: {files:?}"
        );
        for (name, text) in &files {
            assert!(
                !text.contains(TOKEN) && !text.contains("s3cr3t"),
                "{name} leaks the token"
            );
            assert!(
                !text.to_ascii_lowercase().contains("authorization"),
                "{name} has an auth header"
            );
            if name.contains("exchanges") {
                assert!(
                    !text.contains("/rancher/"),
                    "{name}: paths are relative to the cluster URL"
                );
            }
        }
        assert!(
            files
                .iter()
                .any(|(_, t)| t.contains(r#""path": "/api/v1/namespaces/shop/pods""#))
        );
        let meta = std::fs::read_to_string(dir.path().join("bundle.json")).unwrap();
        assert!(meta.contains("\"kubernetes\""), "{meta}");

        let replayer = Arc::new(Replayer::open(dir.path()).unwrap());
        let settings = KubeSettings {
            namespace: Some("shop".into()),
            ..KubeSettings::default()
        };
        let replay = connect(&settings, KubeMode::Replay(replayer))
            .await
            .unwrap();
        assert_eq!(replay.default_namespace(), "shop");
        assert_eq!(replay.pods("shop", "app=checkout").await.unwrap(), pods);
        let again = replay
            .events("shop", &EventFilter::FieldSelector("type=Warning".into()))
            .await
            .unwrap_err();
        assert_eq!(again.kind, denied.kind);
        assert!(matches!(again.kind, ErrorKind::Forbidden { code: 403, .. }));
        assert_eq!(
            replay.config_map("shop", "checkout-config").await.unwrap(),
            None
        );

        let missing = replay.pods("shop", "app=cart").await.unwrap_err();
        assert_eq!(
            missing.kind,
            ErrorKind::NotRecorded {
                request: "GET /api/v1/namespaces/shop/pods?labelSelector=app=cart".into()
            }
        );
        assert!(
            missing
                .endpoint
                .starts_with("http://kubernetes.replay.invalid/api/v1/namespaces/shop/pods")
        );
    }

    #[tokio::test]
    async fn a_recorded_timeout_replays_as_a_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let slow = tower::service_fn(|_req: http::Request<Body>| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok::<_, Infallible>(http::Response::new(Body::empty()))
        });
        let base = url::Url::parse("https://k8s.example:6443").unwrap();
        let seam = RecordService::new(
            kube::Client::new(slow, "shop"),
            recorder(dir.path()),
            base,
            Duration::from_millis(50),
        );
        let recording = Kube::from_client(
            kube::Client::new(seam, "shop"),
            "https://k8s.example:6443",
            None,
        );
        assert_eq!(
            recording.pods("shop", "").await.unwrap_err().kind,
            ErrorKind::Timeout
        );

        let replay = connect(
            &KubeSettings::default(),
            KubeMode::Replay(Arc::new(Replayer::open(dir.path()).unwrap())),
        )
        .await
        .unwrap();
        assert_eq!(
            replay.pods("shop", "").await.unwrap_err().kind,
            ErrorKind::Timeout
        );
    }
}
