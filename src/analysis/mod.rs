//! Pure analysis: evidence in, findings out. No I/O, no clock, no printing; unit-tested in place.

pub mod audit;
pub mod changepoint;
pub mod changes;
pub mod check;
pub mod collector;
pub mod collector_config;
pub mod common;
pub mod dataloss;
pub mod errors;
pub mod latency;
pub mod localize;
pub mod logs;
pub mod resources;
pub mod retention;
pub mod rollout;
pub mod stack;
pub mod stats;
pub mod traces;
pub mod workload;
