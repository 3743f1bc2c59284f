//! Probes that only ask whether something answers: a TCP connect to `HOST:PORT`, and the one call
//! of Jaeger's metrics API that tells whether jaeger-query can read its metrics backend (the
//! Monitor tab's last link, which `tracectl check`'s `jaeger-monitor` step judges).
//!
//! Not a client of a system's data: no trait here, two functions in `client.rs` and the private
//! serde shapes of Jaeger's answer in `wire.rs`. What an answer means is not here either
//! (`crate::analysis::check::monitor`). `tcp_connect` is the same dial as `investigate
//! data-loss`'s network step, meant to replace its private copy.
//!
//! Endpoints, and why each:
//!
//! | function | request | for |
//! |---|---|---|
//! | [`tcp_connect`] | TCP connect to `HOST:PORT`, with a timeout | is a port (OTLP/gRPC, Jaeger collector) open from here; live only, never recorded |
//! | [`jaeger_metrics_calls`] | `GET /api/metrics/calls?service=&spanKind=server&endTs=&lookback=&step=60000&ratePer=600000` | does jaeger-query have a metrics backend, can it read it, does it find the series Prometheus has |
//!
//! The Jaeger call goes through [`crate::transport`], so `--record`/`--replay` work unchanged.
//! Tests: `wire.rs` (reading Jaeger's answers), `tests/it/check.rs` (the call, against fixtures).

mod client;
mod wire;

pub use client::{jaeger_metrics_calls, tcp_connect};

pub use crate::model::trace::JaegerMetrics;
