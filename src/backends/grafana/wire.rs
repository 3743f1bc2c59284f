//! Grafana's JSON, privately. Tolerant: unknown fields are ignored, missing ones default, except
//! the field that says the body is the expected API (`database` of a health, `uid` of a search
//! hit, `dashboard` of a dashboard), so that a proxy's unrelated JSON is a decode error. Shapes:
//! the examples of Grafana's HTTP API docs (`shared/reference/grafana/`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub(super) struct Health {
    pub database: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub commit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SearchHit {
    pub uid: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub folder_uid: Option<String>,
    #[serde(default)]
    pub folder_title: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct DashboardFull {
    pub dashboard: serde_json::Value,
    #[serde(default)]
    pub meta: Meta,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Meta {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub folder_uid: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SaveRequest<'a> {
    pub dashboard: &'a serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_uid: Option<&'a str>,
    pub overwrite: bool,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub message: &'a str,
}

#[derive(Debug, Deserialize)]
pub(super) struct SaveResponse {
    pub uid: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub version: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AnnotationRequest<'a> {
    #[serde(rename = "dashboardUID", skip_serializing_if = "Option::is_none")]
    pub dashboard_uid: Option<&'a str>,
    pub time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_end: Option<i64>,
    pub tags: &'a [String],
    pub text: &'a str,
}

#[derive(Debug, Deserialize)]
pub(super) struct AnnotationResponse {
    pub id: i64,
}

/// `PATCH /api/annotations/{id}`: Grafana changes only what is sent (`text` when not empty,
/// `tags` when not null, `time`/`timeEnd` when positive).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AnnotationPatch<'a> {
    pub time_end: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<&'a [String]>,
}

/// `{"message": "Annotation patched"}`: what a write without a result answers.
#[derive(Debug, Deserialize)]
pub(super) struct Message {
    pub message: String,
}

/// `{"message": "...", "status": "version-mismatch"}`; `status` only on some errors.
#[derive(Debug, Deserialize)]
pub(super) struct ApiError {
    pub message: String,
    #[serde(default)]
    pub status: Option<String>,
}
