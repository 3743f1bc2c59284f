//! Alertmanager's API v2: what is firing, whether the cluster is healthy, and silences.
//!
//! This module holds the domain types; [`AlertmanagerClient`] (`client.rs`) fills them over
//! [`crate::transport`], so `--record`/`--replay` work unchanged, and `wire.rs` holds the private
//! serde shapes. It is not the mapping of alerts to runbooks (`investigate alerts`) nor the
//! judgement of what is healthy (`check`).
//!
//! Endpoints, and why each (reference: prometheus/alertmanager `api/v2/openapi.yaml`):
//!
//! | method | request | for |
//! |---|---|---|
//! | `status` | `GET /api/v2/status` | cluster status (`ready`, `settling`, `disabled`), peers, version |
//! | `alerts` | `GET /api/v2/alerts?active=&silenced=&inhibited=&filter=` | the flat list of `GettableAlert`s: what is firing |
//! | `create_silence` | `POST /api/v2/silences` | a maintenance window; answers `{"silenceID"}` |
//! | `get_silence` | `GET /api/v2/silence/{id}` | is it still there, and `active`, `pending` or `expired` |
//! | `delete_silence` | `DELETE /api/v2/silence/{id}` | end it (note the singular `silence`) |
//!
//! Shapes were checked against the Debian package's Alertmanager 0.25.0 and karma's captures of
//! 0.27/0.31 (`shared/reference/alertmanager/`). Errors: a 422 carries `{"code","message"}`
//! (go-swagger validation), a 500 a bare JSON string (`"silence not found"`); both become
//! [`crate::error::ErrorKind::Api`]; a 404 without a body is a silence that is not there
//! (`None`). Tests: `client.rs` (a fake transport) and
//! `tests/it/alerts.rs`, `tests/it/check.rs` (the real Alertmanager).

mod client;
mod wire;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub use client::AlertmanagerClient;

pub type Labels = BTreeMap<String, String>;

/// `cluster.status`: `disabled` is a single instance run without gossip, which is healthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterStatus {
    Ready,
    /// Gossip has not converged yet: notifications may be duplicated or, briefly, lost.
    Settling,
    Disabled,
    /// A value this build does not know.
    Unknown(String),
}

impl ClusterStatus {
    pub(crate) fn parse(s: &str) -> ClusterStatus {
        match s {
            "ready" => ClusterStatus::Ready,
            "settling" => ClusterStatus::Settling,
            "disabled" => ClusterStatus::Disabled,
            other => ClusterStatus::Unknown(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ClusterStatus::Ready => "ready",
            ClusterStatus::Settling => "settling",
            ClusterStatus::Disabled => "disabled",
            ClusterStatus::Unknown(s) => s,
        }
    }
}

/// `GET /api/v2/status`, reduced to what a health check reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub cluster_status: ClusterStatus,
    pub cluster_name: Option<String>,
    pub peers: usize,
    pub version: Option<String>,
    pub uptime: Option<Timestamp>,
}

/// `status.state` of an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    Active,
    /// Silenced or inhibited.
    Suppressed,
    /// Received, not yet through the routing tree.
    Unprocessed,
    Unknown(String),
}

/// One `GettableAlert`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub fingerprint: String,
    pub labels: Labels,
    pub annotations: Labels,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub state: AlertState,
    pub generator_url: Option<String>,
    pub silenced_by: Vec<String>,
    pub inhibited_by: Vec<String>,
}

impl Alert {
    /// The `alertname` label; `""` when an alert (posted by hand) has none.
    pub fn name(&self) -> &str {
        self.labels.get("alertname").map_or("", String::as_str)
    }

    /// The `summary` annotation, else `description`.
    pub fn summary(&self) -> Option<&str> {
        self.annotations
            .get("summary")
            .or_else(|| self.annotations.get("description"))
            .map(String::as_str)
    }
}

/// Which alerts `GET /api/v2/alerts` returns. [`AlertQuery::firing`] is what pages a human.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertQuery {
    pub active: bool,
    pub silenced: bool,
    pub inhibited: bool,
    /// Matchers in Alertmanager's syntax (`service="checkout"`), ANDed by the server.
    pub filter: Vec<String>,
}

impl AlertQuery {
    /// Active, neither silenced nor inhibited.
    pub fn firing() -> Self {
        AlertQuery {
            active: true,
            silenced: false,
            inhibited: false,
            filter: Vec::new(),
        }
    }
}

/// One silence matcher (`isEqual: false` is `!=` / `!~`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

/// A silence to create: Alertmanager requires `createdBy` and a non-empty `comment`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSilence {
    pub matchers: Vec<Matcher>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub created_by: String,
    pub comment: String,
}

/// `status.state` of a silence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SilenceState {
    /// Between `startsAt` and `endsAt`: alerts it matches are muted.
    Active,
    /// `startsAt` is still ahead.
    Pending,
    /// Past `endsAt`, or deleted (a delete expires a silence; it stays listed until
    /// Alertmanager's retention drops it).
    Expired,
    /// A value this build does not know.
    Unknown(String),
}

/// One `GettableSilence`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    pub id: String,
    pub state: SilenceState,
    pub matchers: Vec<Matcher>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub created_by: String,
    pub comment: String,
}
