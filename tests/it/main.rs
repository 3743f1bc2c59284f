//! The single integration-test binary of tracectl (`cargo test --test it`).
//! One binary instead of one per file keeps link time down and lets every
//! module share the harness. Modules (keep the `mod` lines alphabetical:
//! rustfmt sorts them and would move trailing comments onto wrong lines):
//!
//! - `cli`: help, completions drift, usage errors, `runbooks`, `explain`.
//! - `config`: precedence, contexts, secret masking, malformed files.
//! - `harness_selftest`: proves the harness itself works.
//! - `latency`: `investigate latency` end to end, one incident per cause.
//! - `profiles`: the spanmetrics and semconv queries against a real Prometheus.
//! - `prometheus`: PromQL escaping against a real Prometheus.
//! - `scenarios`: incidents as data (metrics, traces, Kubernetes objects).
//! - `support`: the harness (scenario data, Prometheus/Alertmanager
//!   processes, HTTP fixtures); no tests of tracectl.

mod cli; // the command line as users meet it
mod config; // config file, contexts, precedence
mod harness_selftest; // tests of the harness, not of tracectl
mod latency; // investigate latency against real Prometheus + fixtures
mod profiles; // the spanmetrics and semconv profiles' queries, real Prometheus
mod prometheus; // the client and templates against a real Prometheus
mod scenarios; // shared incident builders for the runbook tests
mod support; // shared harness, see tests/it/support/mod.rs
