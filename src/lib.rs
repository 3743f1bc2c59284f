//! tracectl: distributed-tracing runbooks as commands.
//!
//! The map, from the edge inwards:
//!
//! - [`cli`]: the command tree and global flags (clap derive; doc comments are the help text).
//! - [`settings`]: flags > environment > config file > defaults, resolved once into [`settings::Settings`].
//! - [`commands`]: one module per subcommand; each turns settings into a report or a plan.
//! - [`investigate`]: the runbooks' engines, one folder per runbook: its steps, run concurrently.
//! - [`runbook`]: the runbooks in `runbooks/*.yaml` (queries, thresholds, texts) as typed data.
//! - [`analysis`]: pure functions from evidence to findings; no I/O, no clock.
//! - [`report`]: findings, steps and their ranking; [`render`] prints a report as table, JSON or markdown.
//! - [`backends`]: one folder per backend (Prometheus, Kubernetes, ...; Jaeger and Tempo behind
//!   one trace store), each a narrow trait over domain types, a live client and private wire types.
//! - [`transport`]: the one HTTP layer under every backend: live (reqwest), record and replay.
//! - [`promql`]: `{{name}}` templates with escaping, for PromQL and URLs; [`traceql`]: Tempo's
//!   TraceQL searches, escaped the same way.
//! - [`error`]: typed backend errors, and the user-facing `error:` / `hint:` format.
//! - [`mcp`]: `tracectl mcp`, the read-only runbooks as Model Context Protocol tools (rmcp).
//! - [`mutation`]: plans of changes as data, the journal, running and rolling back (`deploy`).

pub mod analysis;
pub mod backends;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod env_vars;
pub mod error;
pub mod investigate;
pub mod mcp;
pub mod model;
pub mod mutation;
pub mod promql;
pub mod render;
pub mod report;
pub mod runbook;
pub mod settings;
pub mod traceql;
pub mod transport;
