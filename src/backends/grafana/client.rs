//! [`GrafanaClient`]: the calls listed in `mod.rs`, over [`crate::transport`].
//!
//! Reads are idempotent (retried on a timeout); saving a dashboard is too (with `overwrite` the
//! same model lands the same way twice; without it a retry fails with 412, which is the truth),
//! so are deleting a dashboard (a second delete finds it gone) and patching an annotation (the
//! same values twice); adding an annotation is not (a retry would add a second one). A dashboard
//! UID goes into the path only after it is checked against Grafana's own rule (at most 40 of
//! `[A-Za-z0-9_-]`), an annotation ID only as a positive integer. `/api/health` answers 503 with
//! the same JSON when the database fails: that is a health, not an error. Tests: below.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::wire;
use super::{Annotation, Dashboard, DashboardHit, Health, Saved};
use crate::transport::{BackendError, Endpoint, ErrorKind, Method, Request, Response};

/// Hits asked for per `/api/search` page: Grafana's maximum `limit`.
const SEARCH_PAGE: usize = 5000;

#[derive(Clone)]
pub struct GrafanaClient {
    endpoint: Endpoint,
}

impl GrafanaClient {
    pub fn new(endpoint: Endpoint) -> Self {
        GrafanaClient { endpoint }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// `GET /api/health`; a 503 that carries the health JSON is returned as a health.
    pub async fn health(&self) -> Result<Health, BackendError> {
        let req = self
            .endpoint
            .get("/api/health")
            .header("Accept", "application/json");
        let resp = self.endpoint.send(req.clone()).await?;
        if resp.status == 503
            && let Ok(h) = serde_json::from_slice::<wire::Health>(&resp.body)
        {
            return Ok(health(h, resp.status));
        }
        api_error(&req, &resp)?;
        let h: wire::Health = decode(&req, &resp)?;
        Ok(health(h, resp.status))
    }

    /// Dashboards (not folders) matching `query` in their title, or all of them: every page of
    /// `limit=5000` (Grafana's maximum; its default is 1000), until a page comes back short, so a
    /// backup misses none. A page that adds no new UID also ends it (a Grafana before 6.2 ignores
    /// `page` and would answer the first page forever).
    pub async fn search_dashboards(
        &self,
        query: Option<&str>,
    ) -> Result<Vec<DashboardHit>, BackendError> {
        let mut out: Vec<DashboardHit> = Vec::new();
        let mut uids = std::collections::BTreeSet::new();
        for page in 1.. {
            let mut req = self.endpoint.get("/api/search").query("type", "dash-db");
            if let Some(q) = query {
                req = req.query("query", q);
            }
            let req = req
                .query("limit", SEARCH_PAGE.to_string())
                .query("page", page.to_string());
            let hits: Vec<wire::SearchHit> = self.call(req).await?;
            let full = hits.len() >= SEARCH_PAGE;
            let mut new = false;
            for h in hits {
                if !uids.insert(h.uid.clone()) {
                    continue;
                }
                new = true;
                // Older versions ignore `type`; folders are not dashboards.
                if !(h.kind.is_empty() || h.kind == "dash-db") {
                    continue;
                }
                out.push(DashboardHit {
                    uid: h.uid,
                    title: h.title,
                    url: h.url,
                    folder_uid: h.folder_uid.filter(|f| !f.is_empty()),
                    folder_title: h.folder_title.filter(|f| !f.is_empty()),
                    tags: h.tags,
                });
            }
            if !full || !new {
                break;
            }
        }
        out.sort_by(|a, b| (&a.title, &a.uid).cmp(&(&b.title, &b.uid)));
        Ok(out)
    }

    /// One dashboard by UID; `None` when Grafana has none with it.
    pub async fn dashboard(&self, uid: &str) -> Result<Option<Dashboard>, BackendError> {
        let req = self.endpoint.get(format!("/api/dashboards/uid/{uid}"));
        if !valid_uid(uid) {
            return Err(invalid_uid(&req, uid));
        }
        let resp = self.endpoint.send(req.clone()).await?;
        if resp.status == 404 {
            return Ok(None);
        }
        api_error(&req, &resp)?;
        let full: wire::DashboardFull = decode(&req, &resp)?;
        let text = |k: &str| {
            full.dashboard
                .get(k)
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        Ok(Some(Dashboard {
            uid: text("uid").unwrap_or_else(|| uid.to_string()),
            title: text("title").unwrap_or_default(),
            version: full.dashboard.get("version").and_then(|v| v.as_i64()),
            folder_uid: full.meta.folder_uid.filter(|f| !f.is_empty()),
            url: full.meta.url,
            model: full.dashboard,
        }))
    }

    /// `POST /api/dashboards/db` with `folderUid` and `overwrite`. Without `overwrite`, a newer
    /// version on the server is a 412 `version-mismatch` error. `folder_uid: None` saves it in
    /// the root folder (General), moving an existing dashboard there: pass the folder it was in.
    pub async fn save_dashboard(
        &self,
        model: &serde_json::Value,
        folder_uid: Option<&str>,
        overwrite: bool,
        message: &str,
    ) -> Result<Saved, BackendError> {
        let mut req = self.json(
            Method::Post,
            "/api/dashboards/db",
            &wire::SaveRequest {
                dashboard: model,
                folder_uid,
                overwrite,
                message,
            },
        )?;
        req.idempotent = overwrite;
        let r: wire::SaveResponse = self.call(req).await?;
        Ok(Saved {
            uid: r.uid,
            url: r.url,
            version: r.version,
        })
    }

    /// `DELETE /api/dashboards/uid/{uid}`; `false` when Grafana has no dashboard with it (a 404
    /// with Grafana's own error body: a 404 from a wrong URL stays an error). A provisioned
    /// dashboard cannot be deleted: Grafana answers 400, an error here.
    pub async fn delete_dashboard(&self, uid: &str) -> Result<bool, BackendError> {
        let mut req = self
            .endpoint
            .request(Method::Delete, format!("/api/dashboards/uid/{uid}"))
            .header("Accept", "application/json");
        if !valid_uid(uid) {
            return Err(invalid_uid(&req, uid));
        }
        req.idempotent = true;
        let resp = self.endpoint.send(req.clone()).await?;
        if resp.status == 404 && serde_json::from_slice::<wire::ApiError>(&resp.body).is_ok() {
            return Ok(false);
        }
        api_error(&req, &resp)?;
        Ok(true)
    }

    /// `POST /api/annotations`; the new annotation's ID. A region when `end_ms` is set (`time`
    /// and `timeEnd`, one annotation since Grafana 6.4).
    pub async fn annotate(&self, a: &Annotation) -> Result<i64, BackendError> {
        let req = self.json(
            Method::Post,
            "/api/annotations",
            &wire::AnnotationRequest {
                dashboard_uid: a.dashboard_uid.as_deref(),
                time: a.time_ms,
                time_end: a.end_ms,
                tags: &a.tags,
                text: &a.text,
            },
        )?;
        let r: wire::AnnotationResponse = self.call(req).await?;
        Ok(r.id)
    }

    /// `PATCH /api/annotations/{id}` with `timeEnd` (Unix milliseconds), and `text` and `tags`
    /// when given: closes the region [`annotate`](Self::annotate) opened when a maintenance
    /// window began. What is not sent is left as it is; Grafana also ignores an empty `text`, so
    /// that is not sent either. `tags` replaces the tags (`Some(&[])` clears them).
    pub async fn update_annotation_end(
        &self,
        id: i64,
        time_end_ms: i64,
        text: Option<&str>,
        tags: Option<&[String]>,
    ) -> Result<(), BackendError> {
        let path = format!("/api/annotations/{id}");
        if id <= 0 || time_end_ms <= 0 {
            let req = self.endpoint.request(Method::Patch, "/api/annotations/");
            // Grafana reads a `timeEnd` of 0 or less as "unchanged".
            return Err(req.error(ErrorKind::Api {
                error_type: "invalid annotation".into(),
                message: format!(
                    "annotation ID {id} / timeEnd {time_end_ms}: both must be positive"
                ),
            }));
        }
        let mut req = self.json(
            Method::Patch,
            &path,
            &wire::AnnotationPatch {
                time_end: time_end_ms,
                text: text.filter(|t| !t.is_empty()),
                tags,
            },
        )?;
        req.idempotent = true;
        let m: wire::Message = self.call(req).await?;
        tracing::debug!("grafana: annotation {id}: {}", m.message);
        Ok(())
    }

    fn json<T: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &T,
    ) -> Result<Request, BackendError> {
        let mut req = self
            .endpoint
            .request(method, path)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
        let bytes = serde_json::to_vec(body).map_err(|e| {
            req.error(ErrorKind::Decode {
                reason: format!("cannot encode the request: {e}"),
            })
        })?;
        req.body = Some(Bytes::from(bytes));
        Ok(req)
    }

    async fn call<T: DeserializeOwned>(&self, req: Request) -> Result<T, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        api_error(&req, &resp)?;
        decode(&req, &resp)
    }
}

fn health(h: wire::Health, status: u16) -> Health {
    Health {
        database: h.database,
        version: h.version.filter(|v| !v.is_empty()),
        commit: h.commit.filter(|c| !c.is_empty()),
        http_status: status,
    }
}

fn decode<T: DeserializeOwned>(req: &Request, resp: &Response) -> Result<T, BackendError> {
    serde_json::from_slice(&resp.body).map_err(|e| {
        let reason = if resp.short_text().starts_with("an HTML page") {
            "got an HTML page, not the Grafana API (a login page or a wrong path prefix?)"
                .to_string()
        } else {
            format!("not a Grafana API response: {e}")
        };
        req.error(ErrorKind::Decode { reason })
    })
}

/// A non-2xx answer as a typed error, keeping Grafana's own message.
fn api_error(req: &Request, resp: &Response) -> Result<(), BackendError> {
    if resp.is_success() || matches!(resp.status, 401 | 403) {
        return crate::transport::check_status(req, resp);
    }
    match serde_json::from_slice::<wire::ApiError>(&resp.body) {
        Ok(e) => Err(req.error(ErrorKind::Api {
            error_type: match e.status {
                Some(s) if !s.is_empty() => format!("HTTP {} {s}", resp.status),
                _ => format!("HTTP {}", resp.status),
            },
            message: e.message,
        })),
        Err(_) => crate::transport::check_status(req, resp),
    }
}

/// Grafana's UID rule: 1–40 characters of letters, digits, `-` and `_`.
pub(crate) fn valid_uid(uid: &str) -> bool {
    !uid.is_empty()
        && uid.len() <= 40
        && uid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn invalid_uid(req: &Request, uid: &str) -> BackendError {
    let mut r = req.clone();
    r.path = "/api/dashboards/uid/".into();
    r.error(ErrorKind::Api {
        error_type: "invalid dashboard UID".into(),
        message: format!("{uid:?}: a UID is 1-40 letters, digits, '-' or '_'"),
    })
}

#[cfg(test)]
mod tests {
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
        let model =
            serde_json::json!({"uid": "e883f11b-77c0-4ee3-9a70-3ba223d66e56", "title": "x"});
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
        let body: serde_json::Value =
            serde_json::from_slice(seen[0].body.as_ref().unwrap()).unwrap();
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
}
