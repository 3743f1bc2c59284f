//! [`connect`]: the `kube::Client` for a mode (live, recording or replaying), and `kube_error`:
//! every kube-rs error as a [`BackendError`] for `kubernetes`.
//!
//! Live and record load the kubeconfig as `kubectl` does (`--kubeconfig`, else `$KUBECONFIG` or
//! `~/.kube/config`, else the in-cluster service account) and use kube's normal stack; record puts
//! the seam (`seam.rs`) on top of it; replay reads no kubeconfig. Errors: a `Status` of 401/403 →
//! [`ErrorKind::Forbidden`] with the API server's message (it names the user, verb and resource
//! that RBAC refused), other statuses → [`ErrorKind::Status`], bodies that do not decode →
//! [`ErrorKind::Decode`], no answer → `Timeout` or `Unreachable`; a missing kubeconfig →
//! `NotConfigured`; a body over the cap → [`ErrorKind::TooLarge`]. See the
//! [API status conventions](https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-errors).
//!
//! The cap ([`BodyCapLayer`]): kube-rs reads a body whole, so without it a 200 MB answer (from the
//! API server or a proxy in front of it) would be held in memory. Like the live transport for the
//! other backends, a declared `Content-Length` over the cap fails before any of the body is read,
//! and a chunked body fails as soon as it passes the cap. It sits above kube's own stack, so a
//! recording keeps the failure and a replay repeats it. It also turns a 429 or 503 into a
//! [`ErrorKind::Status`] naming the API server's message and its `Retry-After`: kube's retry on
//! them is off, and kube's own error would drop that header.
//!
//! Not here: the calls (`client.rs`). Tests: below (mock API server, a closed port, kubeconfigs
//! in a temp dir, endless and over-declared bodies).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::core::Status;
use tower::BoxError;

use super::seam::{RecordService, ReplayService, classify};
use super::{Kube, KubeMode, KubeSettings};
use crate::error::Backend;
use crate::transport::bundle::placeholder_base;
use crate::transport::{BackendError, ErrorKind, Response};

/// Build the client for `mode`. Replay reads no kubeconfig; live and record load it the way
/// `kubectl` does (`settings.kubeconfig`, else `$KUBECONFIG`/`~/.kube/config`, else in-cluster).
pub async fn connect(settings: &KubeSettings, mode: KubeMode) -> Result<Kube, BackendError> {
    if let KubeMode::Replay(replayer) = mode {
        let base = placeholder_base(Backend::Kubernetes);
        let ns = settings
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let client = kube::Client::new(ReplayService::new(replayer), ns);
        return Ok(Kube::from_client(client, base.as_str(), None));
    }
    crate::transport::live::install_crypto_provider();
    let mut config = load_config(settings).await?;
    // Only the connect timeout goes to kube: its read timeout would also count the time a pooled
    // connection sat idle. The whole request is bounded above it instead (`Kube` or the seam).
    config.connect_timeout = Some(settings.timeout);
    // kube's own retry waits out 429/503 up to 15 times (honouring any Retry-After), past our
    // timeout: the user then read "timed out" instead of what the API server said. The cap layer
    // reports those answers as they were, Retry-After included (issue 20).
    config.default_retry = false;
    if let Some(ns) = &settings.namespace {
        config.default_namespace = ns.clone();
    }
    let base = config.cluster_url.to_string();
    let ns = config.default_namespace.clone();
    let live = ClientBuilder::try_from(config)
        .map_err(|e| kube_error(&base, "", e))?
        .with_layer(&BodyCapLayer::new(settings.max_body_bytes()))
        .build();
    Ok(match mode {
        KubeMode::Record(recorder) => {
            let url =
                url::Url::parse(&base).unwrap_or_else(|_| placeholder_base(Backend::Kubernetes));
            let seam = RecordService::new(live, recorder, url, settings.timeout);
            Kube::from_client(kube::Client::new(seam, ns), &base, None)
        }
        _ => Kube::from_client(live, &base, Some(settings.timeout)),
    })
}

async fn load_config(s: &KubeSettings) -> Result<kube::Config, BackendError> {
    let unusable = |e: &dyn std::fmt::Display| {
        BackendError::new(
            Backend::Kubernetes,
            &s.kubeconfig
                .as_ref()
                .map_or("(kubeconfig)".into(), |p| p.display().to_string()),
            ErrorKind::Unreachable {
                reason: format!("cannot load the kubeconfig: {e}"),
            },
        )
    };
    let opts = KubeConfigOptions {
        context: s.context.clone(),
        ..Default::default()
    };
    if let Some(path) = &s.kubeconfig {
        let kc = Kubeconfig::read_from(path).map_err(|e| unusable(&e))?;
        return kube::Config::from_custom_kubeconfig(kc, &opts)
            .await
            .map_err(|e| unusable(&e));
    }
    if s.context.is_some() {
        return kube::Config::from_kubeconfig(&opts)
            .await
            .map_err(|e| unusable(&e));
    }
    kube::Config::infer().await.map_err(|e| {
        // No kubeconfig anywhere and not in a pod: Kubernetes is simply not set up here, which
        // the runbooks treat as "skip this step", unlike a kubeconfig that is there but broken.
        let missing = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<KubeconfigError>())
            .is_some_and(|k| match k {
                KubeconfigError::FindPath => true,
                KubeconfigError::ReadConfig(io, _) => io.kind() == std::io::ErrorKind::NotFound,
                _ => false,
            });
        if missing {
            BackendError::not_configured(Backend::Kubernetes)
        } else {
            unusable(&e)
        }
    })
}

/// Caps each response body at `limit` bytes (see the module doc). Errors are a [`BackendError`]
/// of kind [`ErrorKind::TooLarge`] inside kube's `Error::Service`, which [`kind_of`] finds.
#[derive(Debug, Clone, Copy)]
pub(super) struct BodyCapLayer {
    limit: u64,
}

impl BodyCapLayer {
    pub(super) fn new(limit: u64) -> Self {
        BodyCapLayer { limit }
    }
}

impl<S> tower::Layer<S> for BodyCapLayer {
    type Service = BodyCap<S>;

    fn layer(&self, inner: S) -> BodyCap<S> {
        BodyCap {
            inner,
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct BodyCap<S> {
    inner: S,
    limit: u64,
}

fn too_large(path: &str, limit: u64) -> BoxError {
    Box::new(BackendError::new(
        Backend::Kubernetes,
        path,
        ErrorKind::TooLarge { limit },
    ))
}

type CapFuture<B> =
    Pin<Box<dyn Future<Output = Result<http::Response<CappedBody<B>>, BoxError>> + Send>>;

impl<S, Req, B> tower::Service<http::Request<Req>> for BodyCap<S>
where
    S: tower::Service<http::Request<Req>, Response = http::Response<B>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Unpin + Send,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<CappedBody<B>>;
    type Error = BoxError;
    type Future = CapFuture<B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: http::Request<Req>) -> Self::Future {
        let (limit, path) = (self.limit, req.uri().path().to_string());
        let answer = self.inner.call(req);
        Box::pin(async move {
            let resp = answer.await.map_err(Into::into)?;
            if matches!(resp.status().as_u16(), 429 | 503) {
                return Err(busy(resp, &path, limit).await);
            }
            let declared = resp
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
            // Dropping the response unread closes the connection: nothing of it is downloaded.
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large(&path, limit));
            }
            Ok(resp.map(|inner| CappedBody {
                inner,
                remaining: limit,
                limit,
                path,
            }))
        })
    }
}

/// A 429 or 503 as the error the user reads: the status, the API server's message (a `Status`
/// body's, else the body's first line) and its `Retry-After`, which says when to come back.
async fn busy<B>(resp: http::Response<B>, path: &str, limit: u64) -> BoxError
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let code = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string());
    let mut body = resp.into_body();
    let mut bytes = Vec::new();
    // An error page is small; read at most 4 KiB of it (and never past the cap).
    let most = limit.min(4096) as usize;
    while bytes.len() < most {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            Some(Ok(frame)) => {
                if let Some(d) = frame.data_ref() {
                    bytes.extend_from_slice(d);
                }
            }
            _ => break,
        }
    }
    let message = serde_json::from_slice::<Status>(&bytes)
        .ok()
        .map(|s| s.message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            Response {
                status: code,
                headers: Vec::new(),
                body: Bytes::from(bytes),
            }
            .short_text()
        });
    let message = match retry_after {
        Some(after) if message.is_empty() => format!("Retry-After: {after}"),
        Some(after) => format!("{message} (Retry-After: {after})"),
        None => message,
    };
    Box::new(BackendError::new(
        Backend::Kubernetes,
        path,
        ErrorKind::Status { code, message },
    ))
}

/// A body that fails once more than `limit` bytes have come, for chunked answers (or a
/// `Content-Length` that lies).
pub(super) struct CappedBody<B> {
    inner: B,
    remaining: u64,
    limit: u64,
    /// For the error only.
    path: String,
}

impl<B> HttpBody for CappedBody<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        let frame = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            None => return Poll::Ready(None),
            Some(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
            Some(Ok(frame)) => frame,
        };
        if let Some(data) = frame.data_ref() {
            let n = data.len() as u64;
            if n > this.remaining {
                this.remaining = 0;
                return Poll::Ready(Some(Err(too_large(&this.path, this.limit))));
            }
            this.remaining -= n;
        }
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

fn status_kind(s: &Status) -> ErrorKind {
    // kube builds a Status with this reason when the body was not one (a proxy's page): shorten it
    // the way every other backend shortens a non-API error body.
    let message = if s.reason == "Failed to parse error data" {
        Response {
            status: s.code,
            headers: Vec::new(),
            body: s.message.clone().into(),
        }
        .short_text()
    } else {
        s.message.clone()
    };
    if s.is_forbidden() || s.code == 401 || s.reason == "Unauthorized" {
        let code = if s.code == 0 { 403 } else { s.code };
        ErrorKind::Forbidden { code, message }
    } else {
        ErrorKind::Status {
            code: s.code,
            message,
        }
    }
}

/// What went wrong, whether or not the API answered. The recording seam uses it too, so a
/// recorded failure replays as the same kind.
pub(super) fn kind_of(err: &kube::Error) -> ErrorKind {
    match err {
        kube::Error::Api(status) => status_kind(status),
        kube::Error::SerdeError(e) => ErrorKind::Decode {
            reason: format!("invalid JSON: {e}"),
        },
        kube::Error::FromUtf8(_) => ErrorKind::Decode {
            reason: "the body is not UTF-8".into(),
        },
        // An exec plugin or token file that failed: the credentials, not the network.
        kube::Error::Auth(e) => ErrorKind::Forbidden {
            code: 401,
            message: format!("cannot get credentials from the kubeconfig: {e}"),
        },
        kube::Error::Service(e) => classify(e.as_ref()),
        // A streamed read (a pod's log) wraps kube's error in an io::Error, whose `source` skips
        // it: look inside, so the cap reads as the cap.
        kube::Error::ReadEvents(io) => match io.get_ref().and_then(|e| e.downcast_ref()) {
            Some(inner) => kind_of(inner),
            None => classify(err),
        },
        other => classify(other),
    }
}

/// `path` is the API path the call was for; it is appended to the cluster URL in the message.
pub(super) fn kube_error(base: &str, path: &str, err: kube::Error) -> BackendError {
    BackendError::new(
        Backend::Kubernetes,
        &format!("{}{path}", base.trim_end_matches('/')),
        kind_of(&err),
    )
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    use kube::client::Body;

    use super::*;
    use crate::backends::kubernetes::testkit::{api_server, mock, recorder};
    use crate::transport::bundle::Replayer;

    #[tokio::test]
    async fn a_missing_kubeconfig_file_is_reported() {
        let settings = KubeSettings {
            kubeconfig: Some("/nonexistent/kubeconfig".into()),
            ..KubeSettings::default()
        };
        let err = connect(&settings, KubeMode::Live).await.err().unwrap();
        assert!(
            err.to_string().contains("cannot load the kubeconfig"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn forbidden_status_keeps_the_api_servers_message() {
        let (kube, _) = mock(vec![(
            "/pods",
            403,
            include_str!("testdata/status-403.json"),
        )]);
        let err = kube.pods("shop", "app=checkout").await.unwrap_err();
        assert_eq!(err.backend, Backend::Kubernetes);
        assert_eq!(
            err.endpoint,
            "https://k8s.example:6443/api/v1/namespaces/shop/pods"
        );
        let ErrorKind::Forbidden { code: 403, message } = &err.kind else {
            panic!("{err:?}");
        };
        assert!(message.starts_with(
            "pods is forbidden: User \"system:serviceaccount:observability:tracectl\" cannot list"
        ));
    }

    #[tokio::test]
    async fn an_html_page_is_a_decode_error() {
        let (kube, _) = mock(vec![("/pods", 200, "<html><body>Sign in</body></html>")]);
        let err = kube.pods("shop", "").await.unwrap_err();
        assert!(matches!(err.kind, ErrorKind::Decode { .. }), "{err:?}");
        let (kube, _) = mock(vec![(
            "/pods",
            502,
            "<html><body>Bad gateway</body></html>",
        )]);
        let err = kube.pods("shop", "").await.unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::Status {
                code: 502,
                message: "an HTML page (a proxy or login page?)".into()
            }
        );
    }

    #[tokio::test]
    async fn a_slow_server_times_out() {
        let slow = tower::service_fn(|_req: http::Request<Body>| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok::<_, Infallible>(http::Response::new(Body::empty()))
        });
        let kube = Kube::from_client(
            kube::Client::new(slow, "shop"),
            "https://k8s.example",
            Some(Duration::from_millis(50)),
        );
        assert_eq!(
            kube.pods("shop", "").await.unwrap_err().kind,
            ErrorKind::Timeout
        );
    }

    /// An endless chunked body (a runaway answer), counting what it handed out.
    struct Endless(Arc<AtomicU64>);

    impl HttpBody for Endless {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            self.0.fetch_add(64 * 1024, Ordering::SeqCst);
            Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b' '; 64 * 1024])))))
        }
    }

    /// A client whose API server answers every request 200 with an endless body, declaring
    /// `length` when given; capped at `cap`.
    fn runaway(length: Option<u64>, cap: u64) -> (Kube, Arc<AtomicU64>) {
        let sent = Arc::new(AtomicU64::new(0));
        let counter = sent.clone();
        let svc = tower::service_fn(move |_req: http::Request<Body>| {
            let mut resp = http::Response::builder()
                .status(200)
                .header("content-type", "application/json");
            if let Some(n) = length {
                resp = resp.header("content-length", n.to_string());
            }
            let resp = resp.body(Endless(counter.clone())).unwrap();
            async move { Ok::<_, Infallible>(resp) }
        });
        let client = ClientBuilder::new(svc, "shop")
            .with_layer(&BodyCapLayer::new(cap))
            .build();
        let kube = Kube::from_client(client, "https://k8s.example", Some(Duration::from_secs(5)));
        (kube, sent)
    }

    const MIB: u64 = 1024 * 1024;

    /// An API server shedding load (priority and fairness): each status with its Retry-After.
    fn busy_server(code: u16, retry_after: Option<&'static str>, body: &'static str) -> Kube {
        let svc = tower::service_fn(move |_req: http::Request<Body>| {
            let mut resp = http::Response::builder()
                .status(code)
                .header("content-type", "application/json");
            if let Some(after) = retry_after {
                resp = resp.header("retry-after", after);
            }
            let resp = resp.body(Body::from(body.as_bytes().to_vec())).unwrap();
            async move { Ok::<_, Infallible>(resp) }
        });
        let client = ClientBuilder::new(svc, "shop")
            .with_layer(&BodyCapLayer::new(MIB))
            .build();
        Kube::from_client(client, "https://k8s.example", Some(Duration::from_secs(5)))
    }

    #[tokio::test]
    async fn a_429_or_503_reaches_the_user_as_it_was_with_retry_after() {
        let status = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":5},"code":429}"#;
        let err = busy_server(429, Some("5"), status)
            .pods("shop", "app=checkout")
            .await
            .unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::Status {
                code: 429,
                message: "Too many requests, please try again later. (Retry-After: 5)".into()
            }
        );
        assert!(err.hint().contains("rate-limiting"), "{}", err.hint());
        let err = busy_server(503, Some("2"), "upstream connect error")
            .pods("shop", "app=checkout")
            .await
            .unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::Status {
                code: 503,
                message: "upstream connect error (Retry-After: 2)".into()
            }
        );
        let err = busy_server(503, None, "")
            .pods("shop", "app=checkout")
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::Status { code: 503, .. }),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_chunked_body_over_the_cap_fails_once_past_it() {
        let (kube, sent) = runaway(None, MIB);
        let err = kube.pods("shop", "").await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooLarge { limit: MIB }, "{err:?}");
        assert_eq!(
            err.to_string(),
            "kubernetes at https://k8s.example/api/v1/namespaces/shop/pods: \
             response larger than 1048576 bytes"
        );
        assert!(err.hint().contains("max_body_bytes"), "{}", err.hint());
        let read = sent.load(Ordering::SeqCst);
        assert!((MIB..=MIB + 64 * 1024).contains(&read), "{read}");
    }

    #[tokio::test]
    async fn a_declared_length_over_the_cap_fails_before_the_body_is_read() {
        let (kube, sent) = runaway(Some(200_000_000), MIB);
        let err = kube
            .config_map_data("shop", "otel-collector-config")
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooLarge { limit: MIB }, "{err:?}");
        assert_eq!(
            err.endpoint,
            "https://k8s.example/api/v1/namespaces/shop/configmaps/otel-collector-config"
        );
        assert_eq!(sent.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_log_over_the_cap_is_too_large_not_unreachable() {
        // Pod logs keep their own limit; one above the cap still stops at the cap.
        let (kube, _) = runaway(None, MIB);
        let err = kube
            .pod_logs(
                "shop",
                "p",
                None,
                Duration::from_secs(60),
                None,
                8 * MIB as i64,
            )
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooLarge { limit: MIB }, "{err:?}");
        let (kube, _) = runaway(None, MIB);
        let log = kube
            .pod_logs("shop", "p", None, Duration::from_secs(60), None, 1000)
            .await
            .unwrap();
        assert_eq!(log.len(), 1000);
    }

    #[tokio::test]
    async fn answers_under_the_cap_pass_through() {
        let (svc, _) = api_server(vec![("/pods", 200, include_str!("testdata/pods.json"))]);
        let client = ClientBuilder::new(svc, "shop")
            .with_layer(&BodyCapLayer::new(MIB))
            .build();
        let kube = Kube::from_client(client, "https://k8s.example", None);
        assert_eq!(kube.pods("shop", "").await.unwrap().len(), 2);
        // A 404 Status is read (under the cap) as before.
        assert_eq!(kube.config_map("shop", "gone").await.unwrap(), None);
        let small = include_str!("testdata/pods.json").len() as u64;
        let (svc, _) = api_server(vec![("/pods", 200, include_str!("testdata/pods.json"))]);
        let client = ClientBuilder::new(svc, "shop")
            .with_layer(&BodyCapLayer::new(small - 1))
            .build();
        let kube = Kube::from_client(client, "https://k8s.example", None);
        assert_eq!(
            kube.pods("shop", "").await.unwrap_err().kind,
            ErrorKind::TooLarge { limit: small - 1 }
        );
    }

    #[tokio::test]
    async fn a_recorded_overflow_replays_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("bundle");
        let (capped, _) = runaway(None, MIB);
        let seam = RecordService::new(
            capped.raw().clone(),
            recorder(&bundle),
            url::Url::parse("https://k8s.example").unwrap(),
            Duration::from_secs(5),
        );
        let kube = Kube::from_client(kube::Client::new(seam, "shop"), "https://k8s.example", None);
        let live = kube.pods("shop", "").await.unwrap_err();
        assert_eq!(live.kind, ErrorKind::TooLarge { limit: MIB });
        let replay = connect(
            &KubeSettings::default(),
            KubeMode::Replay(Arc::new(Replayer::open(&bundle).unwrap())),
        )
        .await
        .unwrap();
        assert_eq!(replay.pods("shop", "").await.unwrap_err().kind, live.kind);
    }

    fn closed_port() -> u16 {
        // Bind then drop, so the port is (almost certainly) closed.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }

    /// A kubeconfig for an API server on a closed local port, with a token.
    fn kubeconfig_for_closed_port(dir: &std::path::Path) -> (KubeSettings, u16) {
        let port = closed_port();
        let path = dir.join("config");
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\ncurrent-context: dev\n\
                 clusters:\n- name: dev\n  cluster:\n    server: http://127.0.0.1:{port}\n\
                 contexts:\n- name: dev\n  context:\n    cluster: dev\n    user: dev\n    namespace: shop\n\
                 users:\n- name: dev\n  user:\n    token: t0k3n-t0k3n\n"
            ),
        )
        .unwrap();
        let settings = KubeSettings {
            kubeconfig: Some(path),
            timeout: Duration::from_secs(5),
            ..KubeSettings::default()
        };
        (settings, port)
    }

    #[tokio::test]
    async fn live_with_a_kubeconfig_pointing_at_a_closed_port_is_unreachable() {
        let dir = tempfile::tempdir().unwrap();
        let (settings, port) = kubeconfig_for_closed_port(dir.path());
        let kube = connect(&settings, KubeMode::Live).await.unwrap();
        assert_eq!(kube.default_namespace(), "shop", "the context's namespace");
        let err = kube.pods("shop", "").await.unwrap_err();
        assert!(
            matches!(&err.kind, ErrorKind::Unreachable { reason } if !reason.is_empty()),
            "{err:?}"
        );
        assert_eq!(
            err.endpoint,
            format!("http://127.0.0.1:{port}/api/v1/namespaces/shop/pods")
        );
        assert!(err.is_unavailable());
    }

    #[tokio::test]
    async fn record_mode_keeps_the_failure_for_the_replay() {
        let dir = tempfile::tempdir().unwrap();
        let (settings, _) = kubeconfig_for_closed_port(dir.path());
        let bundle = dir.path().join("bundle");
        let rec = recorder(&bundle);
        let kube = connect(&settings, KubeMode::Record(rec)).await.unwrap();
        let live = kube.pods("shop", "app=checkout").await.unwrap_err();
        assert!(
            matches!(live.kind, ErrorKind::Unreachable { .. }),
            "{live:?}"
        );

        let replayer = Replayer::open(&bundle).unwrap();
        assert_eq!(replayer.backends(), [Backend::Kubernetes]);
        let replay = connect(&settings, KubeMode::Replay(Arc::new(replayer)))
            .await
            .unwrap();
        let again = replay.pods("shop", "app=checkout").await.unwrap_err();
        assert_eq!(again.kind, live.kind);
    }
}
