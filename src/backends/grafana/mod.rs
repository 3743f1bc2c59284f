//! Grafana's HTTP API: health, and the dashboards and annotations that a maintenance window
//! backs up, restores and marks.
//!
//! This module holds the domain types; [`GrafanaClient`] (`client.rs`) fills them over
//! [`crate::transport`], so `--record`/`--replay` work unchanged, and `wire.rs` holds the private
//! serde shapes. It is not what a health check concludes (`check`), nor the plans that write.
//!
//! Endpoints, and why each (reference: Grafana's HTTP API docs, `shared/reference/grafana/`):
//!
//! | method | request | for |
//! |---|---|---|
//! | `health` | `GET /api/health` | `{commit, database, version}`; `database` is `ok`, or `failing` with a 503 |
//! | `search_dashboards` | `GET /api/search?type=dash-db[&query=]&limit=5000&page=N` | list dashboards to back up, every page |
//! | `dashboard` | `GET /api/dashboards/uid/{uid}` | one dashboard's JSON model and folder |
//! | `save_dashboard` | `POST /api/dashboards/db` | restore or update one (`overwrite`, `folderUid`) |
//! | `delete_dashboard` | `DELETE /api/dashboards/uid/{uid}` | undo a restore that created one |
//! | `annotate` | `POST /api/annotations` | mark a deploy or a maintenance window on the graphs (a region with `timeEnd`) |
//! | `update_annotation_end` | `PATCH /api/annotations/{id}` | close the window's region when it ends |
//!
//! Grafana 12+ also serves dashboards as Kubernetes-style objects under `/apis/dashboard.grafana.app`;
//! the `/api/*` paths above are still served and are what every version since 5 has. Errors:
//! Grafana's `{"message", "status"?}` body becomes [`crate::error::ErrorKind::Api`] (412
//! `version-mismatch`, 400 validation), except 401/403 (credentials) and 404 where absence is an
//! answer (a dashboard: `None`; deleting one that is gone: `false`). Tests: `client.rs` (a fake transport), `tests/it/check.rs`.

mod client;
mod wire;

use serde::Serialize;

pub use client::GrafanaClient;

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// `ok`, or `failing` when Grafana cannot reach its database.
    pub database: String,
    pub version: Option<String>,
    pub commit: Option<String>,
    /// The HTTP status it came with: 503 when the database is failing.
    pub http_status: u16,
}

impl Health {
    pub fn database_ok(&self) -> bool {
        self.database == "ok"
    }
}

/// One `dash-db` hit of `/api/search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DashboardHit {
    pub uid: String,
    pub title: String,
    /// Relative to Grafana's root (`/d/{uid}/{slug}`).
    pub url: String,
    pub folder_uid: Option<String>,
    pub folder_title: Option<String>,
    pub tags: Vec<String>,
}

/// `GET /api/dashboards/uid/{uid}`: the JSON model as stored, and where it lives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub uid: String,
    pub title: String,
    pub version: Option<i64>,
    pub folder_uid: Option<String>,
    pub url: Option<String>,
    /// The whole model, kept as JSON so a backup restores exactly what was read.
    pub model: serde_json::Value,
}

/// What `POST /api/dashboards/db` answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub uid: String,
    pub url: String,
    pub version: i64,
}

/// A Grafana annotation, region when `end_ms` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Annotation {
    /// Unix milliseconds.
    pub time_ms: i64,
    pub end_ms: Option<i64>,
    pub tags: Vec<String>,
    pub text: String,
    /// Without it the annotation is organisation-wide (shown where a dashboard queries by tag).
    pub dashboard_uid: Option<String>,
}
