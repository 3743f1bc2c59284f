//! The single integration-test binary of tracectl (`cargo test --test it`).
//! One binary instead of one per file keeps link time down and lets every
//! module share the harness. Modules (keep the `mod` lines alphabetical:
//! rustfmt sorts them and would move trailing comments onto wrong lines):
//!
//! - `alerts`: `investigate alerts` against a real Alertmanager holding
//!   alerts the test posts, and a real Prometheus.
//! - `audit`: `audit` ranks a good service above bad ones and never prints or
//!   records a sensitive value (issue 9).
//! - `bundle_privacy`: every command's `--record` masks sensitive values
//!   (span tags, pod logs, ConfigMaps); `--record-raw` keeps them and warns.
//! - `check`: `check` against a real Prometheus and Alertmanager plus
//!   fixtures, healthy and broken; every output format; JUnit vs an XSD.
//! - `cli`: help, completions drift, usage errors, `runbooks`, `explain`.
//! - `config`: precedence, contexts, secret masking, malformed files.
//! - `dataloss`: `investigate data-loss` end to end, one place spans are
//!   lost per test; two scrapes of the Collector; record → replay.
//! - `deploy`: `deploy plan|apply|verify|rollback` against a recording fixture
//!   Kubernetes API and a fake `helm` on PATH (issue 7).
//! - `errors`: `investigate errors` end to end, one incident per cause;
//!   the spanmetrics and semconv error queries.
//! - `exit_codes`: the contract's exit codes for every read command with its
//!   backends not configured, unreachable or timing out; `--timeout 0s` refused.
//! - `faults`: every command × backend × fault (refused, silent, slow,
//!   5xx, 429, bad JSON, HTML, 200 MB, reset, TLS); body cap, in-flight bound.
//! - `faults_mutating`: the same faults against `maintain` and `deploy` runs that
//!   change things, planned and with `--yes`: exit 3, a hint, nothing changed.
//! - `harness_selftest`: proves the harness itself works.
//! - `latency`: `investigate latency` end to end, one incident per cause.
//! - `layers`: the allowed arrows between `src/`'s modules (ARCHITECTURE.md).
//! - `maintain`: `maintain` backup/restore round trip, retention, scaling,
//!   a window rolled back on a failed validation, the silence (issue 8).
//! - `mcp`: `tracectl mcp` driven by rmcp's client and the Python SDK's:
//!   lists and schemas, the CLI's report, a backend down, bad arguments,
//!   cancellation, no write to any backend (issue 18).
//! - `profiles`: the spanmetrics and semconv queries against a real Prometheus.
//! - `prometheus`: PromQL escaping against a real Prometheus.
//! - `proptests`: escaping and name checks as properties; parsers never panic.
//! - `rbac`: the read-only ClusterRole covers every Kubernetes request.
//! - `rollout`: `investigate rollout` end to end: a regression, none, too
//!   little traffic; as a deploy gate.
//! - `tempo`: Grafana Tempo as the trace store: the same top finding as
//!   Jaeger (latency, errors, audit), record → replay, the tenant header,
//!   a failing Tempo.
//! - `soak`: consecutive runs of the read commands against backends that
//!   misbehave at random (fixed seed): no panic, in budget, valid JSON, the
//!   contract's exit code, the same ranking for the same evidence.
//! - `scenarios`: incidents as data (metrics, traces, Kubernetes objects).
//! - `tls`: verification on by default, `ca_file`, mTLS, `insecure_skip_verify`.
//! - `support`: the harness (scenario data, Prometheus/Alertmanager
//!   processes, HTTP fixtures); no tests of tracectl.

mod alerts; // investigate alerts: real Alertmanager + Prometheus
mod audit; // audit: fixture Jaeger with good and bad services, real Prometheus
mod bundle_privacy; // --record masks sensitive values, --record-raw keeps them
mod check; // check: real Prometheus + Alertmanager, fixtures, JUnit schema
mod cli; // the command line as users meet it
mod config; // config file, contexts, precedence
mod dataloss; // investigate data-loss: real Prometheus, Collector/ES/Kubernetes fixtures
mod deploy; // deploy plan/apply/verify/rollback: fixture API server, fake helm
mod errors; // investigate errors against real Prometheus + fixtures
mod exit_codes; // exit codes: not configured × unreachable × timed out, a table
mod faults; // fault-injection matrix, limits, secrets under hostile backends
mod faults_midway; // faults part way through every mutating command: rolled back, exit 3/4, SIGTERM
mod faults_mutating; // faults against maintain/deploy: nothing changed, exit 3
mod harness_selftest; // tests of the harness, not of tracectl
mod latency; // investigate latency against real Prometheus + fixtures
mod layers; // the layering of src/, read from the source
mod localize; // the call graph: root cause several calls deep, chronic services, egress, --baseline-at
mod localize_generated; // generated fleets end to end: the root blamed first over many seeds
mod localize_logs; // the log step per request: a line an operation stopped writing, from its spans
mod localize_shape; // the call graph's shape: read as far as needed, from the trace store without call metrics
mod maintain; // maintain: stateful Kubernetes/Grafana/ES fixtures, real Alertmanager
mod mcp; // tracectl mcp: real MCP clients over stdio
mod profiles; // the spanmetrics and semconv profiles' queries, real Prometheus
mod prometheus; // the client and templates against a real Prometheus
mod proptests; // input hardening properties; fuzz-lite for every parser
mod rbac; // deploy/rbac roles: investigations only read what they allow
mod rollout; // investigate rollout against real Prometheus + Kubernetes fixture
mod scenarios; // shared incident builders for the runbook tests
mod soak; // the read commands against backends misbehaving at random, fixed seed
mod support; // shared harness, see tests/it/support/mod.rs
mod tempo; // Tempo as the trace store: same findings as Jaeger, tenant, faults
mod tls; // custom CA, mTLS, insecure_skip_verify against a local HTTPS server
mod workloads; // services mapped to their Deployments by trace attributes and labels (#17)
