//! One folder per backend, each with the same shape: `mod.rs` (a narrow trait or client returning
//! domain types), `client.rs` (the live implementation over [`crate::transport`]), `wire.rs`
//! (private serde types, tolerant of unknown fields).

pub mod alertmanager;
pub mod collector;
pub mod elasticsearch;
pub mod git;
pub mod grafana;
pub mod helm;
pub mod kubernetes;
pub mod net;
pub mod prometheus;
pub mod traces;

/// Jaeger's old path, kept so the commands' imports need not change.
pub use traces::jaeger;
