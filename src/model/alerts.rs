//! Alerts and silences as tracectl reads and writes them: Alertmanager's status, its alerts
//! (API v2), the matchers of a query or a silence, and silences.
//!
//! Filled by `crate::backends::alertmanager`, read by `check` and `investigate alerts`, written
//! by `maintain window`; no I/O here. Tests: through the Alertmanager client's tests.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

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
