//! Tests of `connect.rs` and its cap: a mock API server, a closed port, kubeconfigs in a temp
//! dir, endless and over-declared bodies.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kube::client::Body;

use super::*;
use crate::backends::kubernetes::testkit::{api_server, mock, recorder};
use crate::transport::bundle::Replayer;
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame};
use std::pin::Pin;
use std::task::{Context, Poll};

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
        include_str!("../testdata/status-403.json"),
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
    let (svc, _) = api_server(vec![("/pods", 200, include_str!("../testdata/pods.json"))]);
    let client = ClientBuilder::new(svc, "shop")
        .with_layer(&BodyCapLayer::new(MIB))
        .build();
    let kube = Kube::from_client(client, "https://k8s.example", None);
    assert_eq!(kube.pods("shop", "").await.unwrap().len(), 2);
    // A 404 Status is read (under the cap) as before.
    assert_eq!(kube.config_map("shop", "gone").await.unwrap(), None);
    let small = include_str!("../testdata/pods.json").len() as u64;
    let (svc, _) = api_server(vec![("/pods", 200, include_str!("../testdata/pods.json"))]);
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
