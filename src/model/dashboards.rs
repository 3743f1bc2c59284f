//! Grafana as tracectl reads and writes it: its health, dashboards (for backups) and
//! annotations (for maintenance windows).
//!
//! Filled by `crate::backends::grafana`; no I/O here. Tests: through the Grafana client's tests.

use serde::Serialize;

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
