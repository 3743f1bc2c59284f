//! The runbooks' engines: one folder per runbook (`latency/`, `errors/`, `dataloss/`,
//! `rollout/`, `check/`, `audit/`, and `alerts/`, which routes firing alerts to the others), each
//! with its step registry (a plain `match` from the YAML's step ids to the functions that gather
//! their evidence through the backends) and its gathering code, handing what answered to the pure
//! judgements in [`crate::analysis`]. What they share is here: one context per run ([`ctx`]:
//! settings, runbook, clients, variables, evaluation time, step log), the registry plumbing
//! ([`registry`]), the Kubernetes edge ([`kube`]), what a `--record` bundle may keep
//! ([`bundle`]), and the step engine ([`engine`]: `StepLog`,
//! `StepError`). Not here: the
//! command edge (flags, rendering, exit codes: `crate::commands`) or what evidence means
//! (`crate::analysis`). Tests: in each folder, and `tests/it/` per command.

pub mod alerts;
pub mod audit;
pub mod bundle;
pub mod check;
pub(crate) mod ctx;
pub mod dataloss;
pub mod engine;
pub mod errors;
pub(crate) mod graph;
pub(crate) mod kube;
pub mod latency;
pub(crate) mod registry;
pub mod rollout;

pub use engine::{StepError, StepLog};
