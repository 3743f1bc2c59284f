//! The runbooks' engines: one folder per runbook, each with its step registry (a step id from
//! `runbooks/<name>.yaml` → the Rust that gathers its evidence through the backends), running
//! the steps concurrently and handing what answered to the pure judgements in
//! [`crate::analysis`]. Not here: parsing flags or printing (`crate::commands`), judging
//! (`crate::analysis`). Tests: in each folder, and `tests/it/` per command.

pub mod audit;
pub mod check;
