//! The OpenTelemetry Collector's own metrics, as span counters per pipeline stage and component.
//!
//! Read either by scraping `--collector-metrics-url` (`GET` the Prometheus text format, parsed by
//! [`text_format`]; no Prometheus needed) or from a Prometheus that scrapes the Collector
//! ([`prometheus_queries`] and [`CollectorRates::from_prometheus`]). The live client
//! (`client.rs`) also checks the OTLP/HTTP receiver with an empty export
//! (`POST <otlp_url>/v1/traces`). Not here: what the counts mean for data loss
//! (`crate::analysis::collector`).
//!
//! The metric names changed over the Collector's history, and every generation is still running
//! somewhere (see `shared/reference/SOURCES.md`, otelcol section):
//! - the default `:8888` endpoint has no `_total` (`otelcol_receiver_accepted_spans`); configs with
//!   their own Prometheus reader (Jaeger v2's among them, v0.119–v0.150) add `_total` and unit
//!   suffixes (`otelcol_process_memory_rss_bytes`); v0.130.0 rendered curly units as
//!   `otelcol_exporter_sent_spans__spans__total`. [`canonical_name`] maps all three to one name;
//! - processors: `otelcol_processor_{incoming,outgoing}_items{otel_signal}` since v0.110 (`_spans`
//!   in v0.109); the older `otelcol_processor_{accepted,refused,dropped}_spans` were removed from
//!   processorhelper in v0.111 but memory_limiter kept accepted/refused, renamed
//!   `otelcol_processor_memory_limiter_{accepted,refused}_spans` in v0.155;
//! - the queue gauges carry `data_type` only in newer versions: a series without it counts as
//!   traces.
//!
//! Reading through Prometheus is in `prometheus.rs`. Tests: `tests.rs` (the model and the
//! queries), `text_format.rs` and `client.rs` (their own).

mod client;
mod prometheus;
#[cfg(test)]
mod tests;
pub mod text_format;

pub use crate::model::collector::{Labels, Sample};
pub use client::{CollectorClient, DEFAULT_MAX_SAMPLES};
pub use prometheus::{PromQuery, RESTARTS, prometheus_queries};

pub use crate::model::collector::{
    CollectorRates, CollectorSnapshot, Counter, CounterKey, Metric, OtlpAck, ProcessMetrics,
    QueueGauge, RateSource, Reset, Scrape, Stage, canonical_name, classify, rates,
};
