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
mod tests;
