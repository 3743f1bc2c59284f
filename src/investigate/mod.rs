//! The runbooks' engines: one folder per runbook (`latency/`, `errors/`, `dataloss/`,
//! `rollout/`, `check/`, `audit/`, and `alerts/`, which routes firing alerts to the others), each
//! with its step registry (a plain `match` from the YAML's step ids to the functions that gather
//! their evidence through the backends) and its gathering code, handing what answered to the pure
//! judgements in [`crate::analysis`]. What they share is here: one context per run ([`ctx`]:
//! settings, runbook, clients, variables, evaluation time, step log), the registry plumbing
//! ([`registry`]), the Kubernetes edge ([`kube`]), the sampling policy's sources that
//! data-loss and audit both read ([`sampling_policy`]), what a `--record` bundle may keep
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
pub(crate) mod discovery;
pub mod engine;
pub mod errors;
pub(crate) mod graph;
pub(crate) mod kube;
pub mod latency;
pub(crate) mod logshift;
pub(crate) mod onset;
pub(crate) mod registry;
pub mod rollout;
pub(crate) mod sampling_policy;
pub(crate) mod tracecmp;
pub(crate) mod workload;

pub use engine::{StepError, StepLog};

use crate::cli::Investigate;
use crate::report::Report;
use crate::settings::Settings;

/// Run the investigation `cmd` names: the one entry point `tracectl investigate ...` and the MCP
/// server's `investigate_*` tools share. An `Err` is the caller's to fix (a usage error: bad
/// arguments, a runbook file that does not load); a backend that fails is a failed step in the
/// report.
pub async fn run(settings: &Settings, cmd: &Investigate) -> anyhow::Result<Report> {
    match cmd {
        Investigate::Latency(args) => latency::investigate(settings, args).await,
        Investigate::Errors(args) => errors::investigate(settings, args).await,
        Investigate::DataLoss(args) => dataloss::investigate(settings, args).await,
        Investigate::Rollout(args) => rollout::investigate(settings, args).await,
        Investigate::Alerts(args) => alerts::investigate_alerts(settings, args).await,
    }
}

/// Mark each backend's evidence in `report` with the way that backend was reached (`via`:
/// `url` or the API server's service proxy, issue #17): the CLI's and MCP's reports alike.
pub fn mark_reached(settings: &Settings, report: &mut crate::report::Report) {
    crate::report::reached::mark(report, &reached(settings));
}

/// How each configured backend is reached (backend name → `url` or `service proxy ...`), for
/// the evidence's `via` ([`crate::report::reached`]).
fn reached(settings: &Settings) -> std::collections::BTreeMap<String, String> {
    use crate::error::Backend;
    [
        Backend::Prometheus,
        Backend::Jaeger,
        Backend::Tempo,
        Backend::Elasticsearch,
        Backend::Grafana,
        Backend::Alertmanager,
    ]
    .into_iter()
    .filter_map(|b| {
        let ep = settings.endpoint(b)?;
        // A replay's backends are at a placeholder: the recorded run's URL tells.
        let recorded = match &settings.mode {
            crate::settings::Mode::Replay(r) => {
                r.recorded_base(b).and_then(|u| url::Url::parse(u).ok())
            }
            _ => None,
        };
        let base = recorded.as_ref().unwrap_or(&ep.base);
        Some((b.name().to_string(), crate::report::reached::route_of(base)))
    })
    .collect()
}
