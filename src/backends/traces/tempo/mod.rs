//! Grafana Tempo as a trace store: TraceQL search, traces by ID, service and span names, and a
//! service graph, decoded into [`crate::model::trace`] values like Jaeger's.
//!
//! `client.rs` holds the endpoints and their fallbacks for older Tempo versions, `wire.rs` the
//! answer shapes; traces are OTLP-JSON with base64 IDs and go through the same OTLP decoder as
//! Jaeger's api_v3 (`../jaeger/wire_v3.rs`), so a trace reads the same from either store. The
//! TraceQL is built and escaped in [`crate::traceql`]. Not here: choosing the store
//! ([`crate::settings::Settings::trace_store`]). Tests: `tests.rs` (decoder and request shapes)
//! and `tests/it/tempo.rs` (the binary against a Tempo fixture).

mod client;
#[cfg(test)]
mod tests;
mod wire;

pub use client::{FETCH_CONCURRENCY, TempoClient};

/// Decode a Tempo trace-by-ID answer (v2 `trace` or v1 `batches`): the entry point for the
/// no-panic property tests.
pub fn decode_trace(body: &[u8]) -> Result<Option<crate::model::trace::Trace>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let _names = crate::model::name::InternScope::new();
    if text.contains("\"batches\"") {
        serde_json::from_str::<wire::TraceV1>(text)
            .map(wire::TraceV1::into_trace)
            .map_err(|e| e.to_string())
    } else {
        serde_json::from_str::<wire::TraceV2>(text)
            .map(wire::TraceV2::into_trace)
            .map_err(|e| e.to_string())
    }
}
