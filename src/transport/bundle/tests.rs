//! Unit tests for bundles: record → replay round trips, the scrubber, Secrets and pseudonyms.

use super::*;
use std::sync::Arc;

use super::record::strip_secret_data;
use crate::transport::{BackendError, BoxFuture, Response, Transport};

struct Canned;
impl Transport for Canned {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        Box::pin(async move {
            if req.path == "/down" {
                return Err(req.error(ErrorKind::Timeout));
            }
            Ok(Response {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), "application/json".into()),
                    ("Set-Cookie".into(), "session=hunter2hunter2".into()),
                ],
                body: Bytes::from(format!(
                    "{{\"path\":\"{}\",\"echo\":\"hunter2hunter2\"}}",
                    req.path
                )),
            })
        })
    }
}

#[tokio::test]
async fn a_scrubber_rewrites_what_was_recorded_and_scrubs_what_comes() {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::create(Arc::new(Canned), dir.path(), meta(), vec![]).unwrap();
    let base = url::Url::parse("http://jaeger:16686").unwrap();
    let before = Request::get(Backend::Jaeger, &base, "/before");
    rec.send(before.clone()).await.unwrap();
    rec.set_scrubber(Arc::new(|t: &str| {
        t.contains("hunter2hunter2")
            .then(|| t.replace("hunter2hunter2", "[gone]"))
    }))
    .unwrap();
    let after = Request::get(Backend::Jaeger, &base, "/after");
    let live = rec.send(after.clone()).await.unwrap();
    assert!(
        String::from_utf8_lossy(&live.body).contains("hunter2hunter2"),
        "the caller still gets the real answer"
    );
    for f in fs::read_dir(dir.path().join("exchanges/jaeger")).unwrap() {
        let text = fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("[gone]"), "{text}");
    }
    let rep = Replayer::open(dir.path()).unwrap();
    for req in [before, after] {
        let body = rep.send(req).await.unwrap().body;
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["echo"], "[gone]");
    }
}

#[tokio::test]
async fn a_missing_answer_names_the_request_once() {
    let dir = tempfile::tempdir().unwrap();
    Recorder::create(Arc::new(Canned), dir.path(), meta(), vec![]).unwrap();
    let rep = Replayer::open(dir.path()).unwrap();
    let base = placeholder_base(Backend::Jaeger);
    let err = rep
        .send(Request::get(Backend::Jaeger, &base, "/api/services").query("x", "1"))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::NotRecorded {
            request: "GET /api/services?x=1".into()
        }
    );
    assert!(!err.to_string().contains("GET GET"), "{err}");
}

#[test]
fn secrets_lose_their_values_and_nothing_else_changes() {
    let secret = serde_json::json!({
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "jaeger-secret", "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"ES_PASSWORD\":\"aHVudGVyMg==\"}}",
            "team": "tracing"}},
        "data": {"ES_PASSWORD": "aHVudGVyMg=="},
        "stringData": {"token": "plain"},
    });
    let out = strip_secret_data(&secret.to_string()).unwrap();
    assert!(
        !out.contains("aHVudGVyMg") && !out.contains("plain"),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["data"]["ES_PASSWORD"], "", "the key's name stays");
    assert_eq!(v["metadata"]["annotations"]["team"], "tracing");
    let list = serde_json::json!({"kind": "SecretList", "items": [secret.clone(), secret]});
    let out = strip_secret_data(&list.to_string()).unwrap();
    assert!(!out.contains("aHVudGVyMg"), "{out}");
    let cm = r#"{"kind":"ConfigMap","data":{"Secret":"kept"}}"#;
    assert_eq!(strip_secret_data(cm), None);
}

#[tokio::test]
async fn a_recorded_secret_keeps_no_value_even_raw() {
    struct SecretApi;
    impl Transport for SecretApi {
        fn send(&self, _req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
            Box::pin(async move {
                Ok(Response {
                    status: 200,
                    headers: vec![],
                    body: Bytes::from(
                        r#"{"kind":"Secret","metadata":{"name":"s"},"data":{"k":"c2VjcmV0dmFsdWU="}}"#,
                    ),
                })
            })
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::create(Arc::new(SecretApi), dir.path(), meta(), vec![]).unwrap();
    rec.keep_raw().unwrap();
    assert!(rec.is_raw());
    let base = url::Url::parse("https://k8s:6443").unwrap();
    let req = Request::get(Backend::Kubernetes, &base, "/api/v1/namespaces/x/secrets/s");
    let live = rec.send(req).await.unwrap();
    assert!(String::from_utf8_lossy(&live.body).contains("c2VjcmV0dmFsdWU="));
    for f in fs::read_dir(dir.path().join("exchanges/kubernetes")).unwrap() {
        let text = fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains("c2VjcmV0dmFsdWU="), "{text}");
    }
    let m: Meta =
        serde_json::from_str(&fs::read_to_string(dir.path().join("bundle.json")).unwrap()).unwrap();
    assert_eq!(m.sensitive_values, Some(SensitiveValues::Raw));
}

#[test]
fn pseudonyms_are_stable_in_a_bundle_distinct_across_values_and_bundles() {
    let a = Pseudonyms::random().unwrap();
    let b = Pseudonyms::random().unwrap();
    assert_eq!(a.of("4111111111111111"), a.of("4111111111111111"));
    assert_ne!(a.of("4111111111111111"), a.of("4111222222221111"));
    assert_ne!(
        a.of("4111111111111111"),
        b.of("4111111111111111"),
        "another bundle, another key: bundles cannot be joined on a value"
    );
    assert_eq!(a.of("x").len(), 12);
}

fn meta() -> Meta {
    Meta {
        schema: SCHEMA.into(),
        at: "2026-11-25T10:00:00Z".parse().unwrap(),
        tracectl_version: "test".into(),
        command: vec!["investigate".into()],
        backends: BTreeMap::new(),
        namespace: None,
        sensitive_values: None,
    }
}

#[tokio::test]
async fn record_then_replay_round_trips_answers_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::create(
        Arc::new(Canned),
        dir.path(),
        meta(),
        vec!["hunter2hunter2".into()],
    )
    .unwrap();
    let base = url::Url::parse("http://prom:9090").unwrap();
    let ok = Request::get(Backend::Prometheus, &base, "/api/v1/query").query("query", "up");
    let down = Request::get(Backend::Prometheus, &base, "/down");
    let live_ok = rec.send(ok.clone()).await.unwrap();
    assert!(rec.send(down.clone()).await.is_err());

    let rep = Replayer::open(dir.path()).unwrap();
    let other_base = placeholder_base(Backend::Prometheus);
    let mut again = ok.clone();
    again.base = other_base;
    let replayed = rep.send(again).await.unwrap();
    assert_eq!(replayed.status, live_ok.status);
    assert!(
        replayed.header("set-cookie").is_none(),
        "cookies are not kept"
    );
    assert!(
        !String::from_utf8_lossy(&replayed.body).contains("hunter2"),
        "secrets scrubbed"
    );
    let err = rep.send(down).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Timeout);
    let missing = rep
        .send(Request::get(Backend::Jaeger, &base, "/api/services"))
        .await
        .unwrap_err();
    assert!(matches!(missing.kind, ErrorKind::NotRecorded { .. }));
    assert_eq!(rep.meta.at, meta().at);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let f = fs::read_dir(dir.path().join("exchanges/prometheus"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
    }
}
