//! Tests of `client.rs` (moved out of it to keep the source under the style's size).

use super::*;
use crate::error::Backend;
use crate::transport::{BoxFuture, Transport};
use std::sync::{Arc, Mutex};

/// Answers the n-th request with the n-th answer, and the last one after that.
struct Fake {
    answers: Vec<(u16, String)>,
    seen: Mutex<Vec<Request>>,
}

impl Transport for Fake {
    fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
        let mut seen = self.seen.lock().unwrap();
        seen.push(req);
        let (status, body) = self.answers[(seen.len() - 1).min(self.answers.len() - 1)].clone();
        Box::pin(async move {
            Ok(Response {
                status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Bytes::from(body),
            })
        })
    }
}

fn client(status: u16, body: &str) -> (GrafanaClient, Arc<Fake>) {
    answering(vec![(status, body.to_string())])
}

fn answering(answers: Vec<(u16, String)>) -> (GrafanaClient, Arc<Fake>) {
    let fake = Arc::new(Fake {
        answers,
        seen: Mutex::new(Vec::new()),
    });
    let ep = Endpoint {
        backend: Backend::Grafana,
        base: url::Url::parse("http://grafana.monitoring:3000/grafana/").unwrap(),
        transport: fake.clone(),
        headers: Vec::new(),
    };
    (GrafanaClient::new(ep), fake)
}

#[tokio::test]
async fn health_ok_and_failing_database() {
    // Grafana's docs example (5.1.3).
    let (c, fake) = client(
        200,
        r#"{"commit":"087143285","database":"ok","version":"5.1.3"}"#,
    );
    let h = c.health().await.unwrap();
    assert!(h.database_ok());
    assert_eq!(h.version.as_deref(), Some("5.1.3"));
    assert_eq!(
        fake.seen.lock().unwrap()[0].url().as_str(),
        "http://grafana.monitoring:3000/grafana/api/health"
    );
    let (c, _) = client(
        503,
        r#"{"commit":"087143285","database":"failing","version":"5.1.3"}"#,
    );
    let h = c.health().await.unwrap();
    assert!(!h.database_ok());
    assert_eq!(h.http_status, 503);
    let (c, _) = client(503, "Service Unavailable");
    assert!(matches!(
        c.health().await.unwrap_err().kind,
        ErrorKind::Status { code: 503, .. }
    ));
    let (c, _) = client(200, "<html>Grafana login</html>");
    assert!(matches!(
        c.health().await.unwrap_err().kind,
        ErrorKind::Decode { .. }
    ));
}

#[tokio::test]
async fn search_keeps_dashboards_only() {
    // Grafana's docs example: a folder and a dashboard.
    let (c, fake) = client(
        200,
        r#"[{"id":163,"uid":"000000163","orgId":1,"title":"Folder","url":"/dashboards/f/000000163/folder","type":"dash-folder","tags":[],"isStarred":false,"uri":"db/folder"},{"id":1,"uid":"cIBgcSjkk","orgId":1,"title":"Production Overview","url":"/d/cIBgcSjkk/production-overview","type":"dash-db","tags":["prod"],"isStarred":true,"folderId":2,"folderUid":"000000163","folderTitle":"Folder","folderUrl":"/dashboards/f/000000163/folder","uri":"db/production-overview"}]"#,
    );
    let hits = c.search_dashboards(Some("Production")).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].uid, "cIBgcSjkk");
    assert_eq!(hits[0].folder_uid.as_deref(), Some("000000163"));
    assert_eq!(hits[0].tags, vec!["prod"]);
    let seen = fake.seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "a short first page is the last");
    assert_eq!(
        seen[0].query,
        vec![
            ("type".to_string(), "dash-db".to_string()),
            ("query".into(), "Production".into()),
            ("limit".into(), "5000".into()),
            ("page".into(), "1".into()),
        ]
    );
}

/// `n` search hits shaped like Grafana's docs example, UIDs `d{first}`...
fn hits(first: usize, n: usize) -> String {
    let hits: Vec<serde_json::Value> = (first..first + n)
        .map(|i| {
            serde_json::json!({
                "id": i, "uid": format!("d{i}"), "orgId": 1,
                "title": format!("Service {i:05}"), "url": format!("/d/d{i}/service-{i}"),
                "type": "dash-db", "tags": [], "isStarred": false,
                "folderId": 2, "folderUid": "000000163", "folderTitle": "Folder",
                "folderUrl": "/dashboards/f/000000163/folder", "uri": format!("db/service-{i}")
            })
        })
        .collect();
    serde_json::Value::Array(hits).to_string()
}

#[tokio::test]
async fn search_pages_until_a_short_page() {
    let (c, fake) = answering(vec![
        (200, hits(0, 5000)),
        (200, hits(5000, 5000)),
        (200, hits(10000, 7)),
    ]);
    let all = c.search_dashboards(None).await.unwrap();
    assert_eq!(all.len(), 10_007);
    assert_eq!(all[0].uid, "d0", "sorted by title");
    assert_eq!(all[10_006].uid, "d10006");
    let seen = fake.seen.lock().unwrap().clone();
    let page = |r: &Request| r.query.iter().find(|(k, _)| k == "page").unwrap().1.clone();
    assert_eq!(seen.iter().map(page).collect::<Vec<_>>(), ["1", "2", "3"]);
    assert!(seen.iter().all(|r| r.idempotent));

    // A Grafana that ignores `page` answers the first page again: that ends the paging.
    let (c, fake) = answering(vec![(200, hits(0, 5000))]);
    assert_eq!(c.search_dashboards(None).await.unwrap().len(), 5000);
    assert_eq!(fake.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn dashboard_by_uid_and_absent() {
    let (c, fake) = client(
        200,
        r#"{"dashboard":{"id":1,"uid":"cIBgcSjkk","title":"Production Overview","tags":["templated"],"timezone":"browser","schemaVersion":16,"version":0},"meta":{"isStarred":false,"url":"/d/cIBgcSjkk/production-overview","folderId":2,"folderUid":"l3KqBxCMz","slug":"production-overview"}}"#,
    );
    let d = c.dashboard("cIBgcSjkk").await.unwrap().unwrap();
    assert_eq!(d.title, "Production Overview");
    assert_eq!(d.version, Some(0));
    assert_eq!(d.folder_uid.as_deref(), Some("l3KqBxCMz"));
    assert_eq!(d.model["schemaVersion"], 16);
    assert_eq!(
        fake.seen.lock().unwrap()[0].path,
        "/api/dashboards/uid/cIBgcSjkk"
    );
    let (c, _) = client(404, r#"{"message":"Dashboard not found"}"#);
    assert_eq!(c.dashboard("nope").await.unwrap(), None);
    let (c, fake) = client(200, "{}");
    assert!(c.dashboard("../../api/admin").await.is_err());
    assert!(fake.seen.lock().unwrap().is_empty(), "nothing sent");
}

#[tokio::test]
async fn save_and_version_mismatch() {
    let (c, fake) = client(
        200,
        r#"{"id":1,"uid":"e883f11b-77c0-4ee3-9a70-3ba223d66e56","url":"/d/e883f11b-77c0-4ee3-9a70-3ba223d66e56/production-overview-updated","status":"success","version":2,"slug":"production-overview-updated"}"#,
    );
    let model = serde_json::json!({"uid": "e883f11b-77c0-4ee3-9a70-3ba223d66e56", "title": "x"});
    let s = c
        .save_dashboard(&model, Some("l3KqBxCMz"), true, "restored by tracectl")
        .await
        .unwrap();
    assert_eq!(s.version, 2);
    {
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].method, Method::Post);
        assert_eq!(seen[0].path, "/api/dashboards/db");
        let body: serde_json::Value =
            serde_json::from_slice(seen[0].body.as_ref().unwrap()).unwrap();
        assert_eq!(body["overwrite"], true);
        assert_eq!(body["folderUid"], "l3KqBxCMz");
        assert_eq!(body["dashboard"]["title"], "x");
    }
    // Grafana's docs example of a 412.
    let (c, _) = client(
        412,
        r#"{"message":"The dashboard has been changed by someone else","status":"version-mismatch"}"#,
    );
    let e = c.save_dashboard(&model, None, false, "").await.unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "HTTP 412 version-mismatch"),
        "{e}"
    );
}

#[tokio::test]
async fn annotations_are_posted_once() {
    let (c, fake) = client(200, r#"{"message":"Annotation added","id":42}"#);
    let id = c
        .annotate(&Annotation {
            time_ms: 1_795_600_800_000,
            end_ms: Some(1_795_604_400_000),
            tags: vec!["tracectl".into(), "maintenance".into()],
            text: "Elasticsearch upgrade".into(),
            dashboard_uid: None,
        })
        .await
        .unwrap();
    assert_eq!(id, 42);
    let seen = fake.seen.lock().unwrap();
    assert!(!seen[0].idempotent);
    let body: serde_json::Value = serde_json::from_slice(seen[0].body.as_ref().unwrap()).unwrap();
    assert_eq!(body["timeEnd"], 1_795_604_400_000i64);
    assert!(body.get("dashboardUID").is_none() && body.get("dashboardUid").is_none());
}

#[tokio::test]
async fn delete_a_dashboard_or_find_it_gone() {
    // Grafana's documented answer (before 9 without `id`).
    let (c, fake) = client(
        200,
        r#"{"title":"Production Overview","message":"Dashboard Production Overview deleted","id":2}"#,
    );
    assert!(c.delete_dashboard("cIBgcSjkk").await.unwrap());
    {
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].method, Method::Delete);
        assert_eq!(seen[0].path, "/api/dashboards/uid/cIBgcSjkk");
        assert!(seen[0].body.is_none());
    }
    let (c, _) = client(404, r#"{"message":"Dashboard not found"}"#);
    assert!(!c.delete_dashboard("cIBgcSjkk").await.unwrap());
    // A 404 that is not Grafana's (a wrong path prefix) is an error, not "gone".
    let (c, _) = client(404, "404 page not found");
    assert!(matches!(
        c.delete_dashboard("cIBgcSjkk").await.unwrap_err().kind,
        ErrorKind::Status { code: 404, .. }
    ));
    let (c, _) = client(
        400,
        r#"{"message":"provisioned dashboard cannot be deleted"}"#,
    );
    let e = c.delete_dashboard("cIBgcSjkk").await.unwrap_err();
    assert!(e.to_string().contains("provisioned"), "{e}");
    let (c, fake) = client(200, "{}");
    assert!(c.delete_dashboard("a/../../admin").await.is_err());
    assert!(c.delete_dashboard("").await.is_err());
    assert!(fake.seen.lock().unwrap().is_empty(), "nothing sent");
}

#[tokio::test]
async fn an_annotation_region_is_closed_by_a_patch() {
    let (c, fake) = client(200, r#"{"message":"Annotation patched"}"#);
    let tags = vec!["tracectl".to_string(), "maintenance".to_string()];
    c.update_annotation_end(
        1145,
        1_795_604_400_000,
        Some("Elasticsearch upgrade: done"),
        Some(&tags),
    )
    .await
    .unwrap();
    c.update_annotation_end(1145, 1_795_604_400_000, Some(""), None)
        .await
        .unwrap();
    let seen = fake.seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::Patch);
    assert_eq!(seen[0].path, "/api/annotations/1145");
    assert!(seen[0].idempotent);
    let body = |i: usize| -> serde_json::Value {
        serde_json::from_slice(seen[i].body.as_ref().unwrap()).unwrap()
    };
    assert_eq!(
        body(0),
        serde_json::json!({
            "timeEnd": 1_795_604_400_000i64,
            "text": "Elasticsearch upgrade: done",
            "tags": ["tracectl", "maintenance"]
        })
    );
    assert_eq!(
        body(1),
        serde_json::json!({"timeEnd": 1_795_604_400_000i64}),
        "what is not given is not sent"
    );
}

#[tokio::test]
async fn patching_a_missing_or_invalid_annotation_fails() {
    let (c, _) = client(404, r#"{"message":"Annotation not found"}"#);
    let e = c
        .update_annotation_end(7, 1_795_604_400_000, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "HTTP 404"),
        "{e}"
    );
    let (c, fake) = client(200, r#"{"message":"Annotation patched"}"#);
    assert!(c.update_annotation_end(0, 1, None, None).await.is_err());
    assert!(c.update_annotation_end(7, 0, None, None).await.is_err());
    assert!(fake.seen.lock().unwrap().is_empty(), "nothing sent");
    // A proxy's unrelated JSON is not a success.
    let (c, _) = client(200, "[]");
    assert!(matches!(
        c.update_annotation_end(7, 1, None, None)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::Decode { .. }
    ));
}
