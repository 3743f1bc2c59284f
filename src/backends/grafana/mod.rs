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

pub use crate::model::dashboards::{Annotation, Dashboard, DashboardHit, Health, Saved};
pub use client::GrafanaClient;
