//! `deploy plan|apply|verify|rollback` flags. Part of [`crate::cli`]; tests: `tests/it/cli.rs`
//! and `tests/it/deploy.rs`.
use std::path::PathBuf;

use clap::{Args, Subcommand};

pub(super) const DEPLOY_EXAMPLES: &str = "\
Examples:
  # What would change? (reads the cluster and Helm, changes nothing)
  tracectl deploy plan -f deploy.yaml
  tracectl deploy plan -f deploy.yaml -o json > plan.json

  # Apply it: asks on a terminal; scripts say --yes, and roll back by themselves on a failure
  tracectl deploy apply -f deploy.yaml
  tracectl deploy apply -f deploy.yaml --yes --rollback-on-failure --es-password-env ES_PASSWORD

  # The post-deployment checks alone, and undoing the last deployment
  tracectl deploy verify -n monitoring --collector-otlp-url http://otel-collector.monitoring:4318
  tracectl deploy rollback --journal ~/.local/state/tracectl/journal/20261125T100000.000Z-deploy.jsonl";

#[derive(Debug, Subcommand)]
pub enum DeployCmd {
    /// Print the ordered steps and what each would change, from the cluster's current state;
    /// changes nothing
    #[command(after_help = DEPLOY_FILE_HELP)]
    Plan(DeployArgs),
    /// Apply the plan: confirm, journal every change, wait for rollouts, verify, annotate;
    /// offer the rollback when a step fails
    #[command(after_help = DEPLOY_FILE_HELP)]
    Apply(DeployApplyArgs),
    /// Run the post-deployment checks alone: pods ready, services present, an empty OTLP export
    /// accepted, the Jaeger UI answering
    #[command(
        after_help = "Examples:\n  tracectl deploy verify -n monitoring\n  tracectl deploy verify -f deploy.yaml --jaeger-url http://jaeger-query.monitoring:16686 -o json"
    )]
    Verify(DeployVerifyArgs),
    /// Undo a deployment from its journal: helm rollback to the revisions before, delete what it
    /// created
    #[command(
        after_help = "Examples:\n  tracectl deploy rollback                 # the newest journal\n  tracectl deploy rollback --journal ./deploy.jsonl --yes"
    )]
    Rollback(DeployRollbackArgs),
}

pub(crate) const DEPLOY_FILE_HELP: &str = "\
deploy.yaml (every key optional; flags override it; paths are relative to the file):
  namespace: monitoring
  repositories:
    - {name: open-telemetry, url: https://open-telemetry.github.io/opentelemetry-helm-charts}
    - {name: jaegertracing, url: https://jaegertracing.github.io/helm-charts}
  collector:
    release: otel-collector
    chart: open-telemetry/opentelemetry-collector
    version: 0.108.0
    values: monitoring/opentelemetry/collector-values.yaml
  jaeger:
    release: jaeger
    chart: jaegertracing/jaeger
    version: 3.4.1
    values: monitoring/jaeger/values.yaml
    elasticsearch_host: elasticsearch
  elasticsearch_secret:            # the password from_file or from_env
    name: jaeger-secret
    key: ES_PASSWORD
    from_file: /run/secrets/es-password
  manifests:
    - monitoring/opentelemetry/auto-instrumentation
    - monitoring/opentelemetry/sampling
    - monitoring/grafana/dashboards
    - monitoring/alerts
  verify: {services: [otel-collector, jaeger-query]}
  timeouts: {rollout: 5m, helm: 5m}

Examples:
  tracectl deploy plan -f deploy.yaml
  tracectl deploy apply -f deploy.yaml --collector-version 0.108.0 --yes";

#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// Inputs file [default: ./deploy.yaml when it exists]
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Values file of the Collector chart
    #[arg(long, value_name = "FILE")]
    pub collector_values: Option<PathBuf>,
    /// Version of the Collector chart
    #[arg(long, value_name = "VERSION")]
    pub collector_version: Option<String>,
    /// Values file of the Jaeger chart
    #[arg(long, value_name = "FILE")]
    pub jaeger_values: Option<PathBuf>,
    /// Version of the Jaeger chart
    #[arg(long, value_name = "VERSION")]
    pub jaeger_version: Option<String>,
    /// A directory of manifests to server-side apply (repeatable; replaces deploy.yaml's list)
    #[arg(long = "manifests", value_name = "DIR")]
    pub manifests: Vec<PathBuf>,
    /// File holding the Elasticsearch password for Jaeger's Secret
    #[arg(long, value_name = "PATH", conflicts_with = "es_password_env")]
    pub es_password_file: Option<PathBuf>,
    /// Environment variable holding the Elasticsearch password
    #[arg(long, value_name = "VAR")]
    pub es_password_env: Option<String>,
    /// How long to wait for the workloads to roll out [default: 5m]
    #[arg(long, value_name = "DUR")]
    pub wait_timeout: Option<String>,
    /// The helm binary [default: helm on PATH]
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DeployApplyArgs {
    #[command(flatten)]
    pub inputs: DeployArgs,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// When a step fails, roll back what this run changed without asking
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-deploy.jsonl]
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DeployVerifyArgs {
    /// Inputs file, for the namespace and the services [default: ./deploy.yaml when it exists]
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DeployRollbackArgs {
    /// The journal to undo [default: the newest in $XDG_STATE_HOME/tracectl/journal]
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// The helm binary [default: helm on PATH]
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,
}

pub(crate) const MAINTAIN_EXAMPLES: &str = "\
Every subcommand that changes something prints its plan first: on a terminal it asks, a script
must pass --yes (without it, and without a terminal, nothing is changed: exit 2); --dry-run prints
the plan and stops. Every change is journaled; `tracectl maintain rollback` undoes the last run.

Examples:
  tracectl maintain health -n monitoring
  tracectl maintain backup --dir ./backup-2026-11-25 --snapshot-repository backups --yes
  tracectl maintain storage --retention-days 30 --keep-last 2 --snapshot-repository backups --dry-run
  tracectl maintain window maintenance.yaml --dry-run
  tracectl maintain window maintenance.yaml --yes
  tracectl maintain rollback --yes";
