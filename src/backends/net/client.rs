//! The probes of [`super`]: a TCP dial with a timeout, and Jaeger's metrics API asked over the
//! shared transport. Neither fails: each returns what happened, for a step to judge. Tests: the
//! answers' reading in `wire.rs`; the calls in `tests/it/check.rs`.

use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::JaegerMetrics;
use crate::transport::Endpoint;

/// Connect to `addr` (`HOST:PORT`) and close at once: the milliseconds it took, or why not (the
/// OS error, or no answer within `timeout`). Live only: a replay has no network to dial.
pub async fn tcp_connect(addr: &str, timeout: Duration) -> Result<u64, String> {
    let start = Instant::now();
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
        Ok(Ok(_stream)) => Ok(start.elapsed().as_millis() as u64),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "no answer within {}",
            crate::clock::format_duration(timeout)
        )),
    }
}

/// Ask jaeger-query for `service`'s server-side call rate over `lookback` up to `at`. A transport
/// failure is [`JaegerMetrics::Failed`]: the question is whether the link works, not an error.
pub async fn jaeger_metrics_calls(
    ep: &Endpoint,
    service: &str,
    at: Timestamp,
    lookback: Duration,
) -> JaegerMetrics {
    let req = ep
        .get("/api/metrics/calls")
        .query("service", service.to_string())
        .query("spanKind", "server")
        .query("endTs", at.as_millisecond().to_string())
        .query("lookback", lookback.as_millis().to_string())
        .query("step", "60000")
        .query("ratePer", "600000");
    match ep.send(req).await {
        Ok(resp) => super::wire::read_answer(resp.status, &resp.body, service),
        Err(e) => JaegerMetrics::Failed(e.one_line()),
    }
}
