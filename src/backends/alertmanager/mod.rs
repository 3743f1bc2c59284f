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

pub use crate::model::alerts::{
    Alert, AlertQuery, AlertState, ClusterStatus, Labels, Matcher, NewSilence, Silence,
    SilenceState, Status,
};
pub use client::AlertmanagerClient;
