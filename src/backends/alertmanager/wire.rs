//! Alertmanager's API v2 JSON, privately. Tolerant: unknown fields are ignored, missing ones
//! default, except the field that says the body is the expected API at all (`cluster` of a
//! status, `labels` of an alert, `silenceID` of a created silence, `id` of a silence), so that a
//! proxy's unrelated
//! JSON is a decode error rather than an empty answer. Shapes: `api/v2/openapi.yaml`, checked
//! against a live 0.25.0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Matcher;

#[derive(Debug, Deserialize)]
pub(super) struct Status {
    pub cluster: Cluster,
    #[serde(default, rename = "versionInfo")]
    pub version_info: Option<VersionInfo>,
    #[serde(default)]
    pub uptime: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Cluster {
    pub status: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub peers: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct VersionInfo {
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Alert {
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub fingerprint: String,
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub ends_at: Option<String>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: Option<String>,
    #[serde(default)]
    pub status: AlertStatus,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AlertStatus {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub silenced_by: Vec<String>,
    #[serde(default)]
    pub inhibited_by: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PostableSilence<'a> {
    pub matchers: &'a [Matcher],
    pub starts_at: String,
    pub ends_at: String,
    pub created_by: &'a str,
    pub comment: &'a str,
}

#[derive(Debug, Deserialize)]
pub(super) struct SilenceCreated {
    #[serde(rename = "silenceID")]
    pub silence_id: String,
}

/// `GET /api/v2/silence/{id}`: a `PostableSilence`'s fields plus `id`, `status` and `updatedAt`.
/// Before 0.22 matchers have no `isEqual` (they were all `=`/`=~`): [`Matcher`] defaults it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GettableSilence {
    pub id: String,
    #[serde(default)]
    pub status: SilenceStatus,
    #[serde(default)]
    pub matchers: Vec<Matcher>,
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub ends_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct SilenceStatus {
    #[serde(default)]
    pub state: String,
}

/// A 4xx from go-swagger's validation: `{"code": 602, "message": "comment in body is required"}`.
#[derive(Debug, Deserialize)]
pub(super) struct ApiError {
    pub code: i64,
    pub message: String,
}
