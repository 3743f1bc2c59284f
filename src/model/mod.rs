//! Plain domain types: what the backends decode into and what the analysis reads. No I/O, no
//! clock, no backend's wire shape: a type lives here when more than one layer needs it, so that
//! `analysis` never has to import a backend (the layering test in `tests/it/layers.rs` holds it).
//!
//! - [`trace`]: traces, spans, the service graph.
//! - [`name`]: the interned strings spans repeat (service, operation, tag keys and values).
//! - [`cluster`]: Kubernetes workloads, pods, rollouts and ConfigMaps as tracectl reads them.
//! - [`storage`]: Elasticsearch/OpenSearch health, indices, disks, and Jaeger's index names.
//! - [`collector`]: the OpenTelemetry Collector's span counters per stage, and their rates.
//! - [`alerts`]: Alertmanager's alerts, silences and status.
//! - [`dashboards`]: Grafana's health, dashboards and annotations.

pub mod alerts;
pub mod cluster;
pub mod collector;
pub mod dashboards;
pub mod name;
pub mod storage;
pub mod trace;
