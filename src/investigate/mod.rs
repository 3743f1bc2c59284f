//! The investigations: one folder per runbook.
pub mod alerts;
mod ctx;
pub mod dataloss;
pub mod errors;
pub mod latency;
pub mod rollout;

pub use crate::runbook::engine::{StepError, StepLog};
