//! One folder per backend, each with the same shape: `mod.rs` (a narrow trait or client returning
//! domain types), `client.rs` (the live implementation over [`crate::transport`]), `wire.rs`
//! (private serde types, tolerant of unknown fields).

pub mod alertmanager;
pub mod collector;
pub mod elasticsearch;
pub mod git;
pub mod grafana;
pub mod helm;
pub mod jaeger;
pub mod kubernetes;
pub mod net;
pub mod prometheus;
