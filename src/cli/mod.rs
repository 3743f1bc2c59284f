//! The command tree and the contract's global flags, with clap derive: each doc comment here is
//! the `--help` text. Only commands that are built appear here. Environment variable names come
//! from [`crate::env_vars`]. Raw arguments become [`crate::settings::Settings`] in one place.
//! The subcommands' flags are in `investigate.rs`, `deploy.rs` and `maintain.rs`, re-exported here.
//! Tests: `tests/it/cli.rs` (help, completions drift).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::env_vars as env;
use crate::render::{ColorChoice, OutputFormat};
use crate::runbook::Profile;

mod deploy;
mod investigate;
mod maintain;

pub use deploy::*;
pub use investigate::*;
pub use maintain::*;

const EXAMPLES: &str = "\
Examples:
  # Diagnose the recorded demo incident, with no network
  tracectl investigate latency --service checkout --replay fixtures/demo/checkout-latency

  # Why is checkout slow right now? (triage picks the worst service without --service)
  tracectl investigate latency --service checkout --prometheus-url http://prometheus:9090 \\
      --jaeger-url http://jaeger-query:16686 -n shop

  # Record the evidence of a live run into a bundle to attach to the incident
  tracectl investigate latency --service checkout --record ./incident-4711

  # What does a finding kind mean, and how is it fixed?
  tracectl explain slow_dependency";

#[derive(Debug, Parser)]
#[command(
    name = "tracectl",
    version,
    about = "Distributed-tracing runbooks as commands: investigate latency with the evidence and the fix",
    after_help = EXAMPLES,
    propagate_version = true,
    max_term_width = 110
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The trace store to read (`--trace-store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceStoreChoice {
    Jaeger,
    Tempo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    Critical,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Config file [default: $XDG_CONFIG_HOME/tracectl/config.yaml]
    #[arg(long, global = true, env = env::CONFIG, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Named context in the config file (endpoints, auth, profile, thresholds)
    #[arg(long, global = true, env = env::CONTEXT, value_name = "NAME")]
    pub context: Option<String>,
    /// Prometheus HTTP API, or a compatible one (Thanos Query, Mimir, VictoriaMetrics)
    #[arg(long, global = true, env = env::PROMETHEUS_URL, value_name = "URL", help_heading = "Backends")]
    pub prometheus_url: Option<String>,
    /// Jaeger query service (the /api HTTP API the Jaeger UI uses)
    #[arg(long, global = true, env = env::JAEGER_URL, value_name = "URL", help_heading = "Backends")]
    pub jaeger_url: Option<String>,
    /// Grafana Tempo HTTP API (:3200), the other trace store
    #[arg(long, global = true, env = env::TEMPO_URL, value_name = "URL", help_heading = "Backends")]
    pub tempo_url: Option<String>,
    /// Which trace store reads traces when both --jaeger-url and --tempo-url are set [default: jaeger]
    #[arg(long, global = true, env = env::TRACE_STORE, value_enum, help_heading = "Backends")]
    pub trace_store: Option<TraceStoreChoice>,
    /// Elasticsearch or OpenSearch holding Jaeger's indices
    #[arg(long, global = true, env = env::ELASTICSEARCH_URL, value_name = "URL", help_heading = "Backends")]
    pub elasticsearch_url: Option<String>,
    /// Grafana HTTP API
    #[arg(long, global = true, env = env::GRAFANA_URL, value_name = "URL", help_heading = "Backends")]
    pub grafana_url: Option<String>,
    /// Alertmanager (API v2)
    #[arg(long, global = true, env = env::ALERTMANAGER_URL, value_name = "URL", help_heading = "Backends")]
    pub alertmanager_url: Option<String>,
    /// The OpenTelemetry Collector's own metrics endpoint (:8888/metrics)
    #[arg(long, global = true, env = env::COLLECTOR_METRICS_URL, value_name = "URL", help_heading = "Backends")]
    pub collector_metrics_url: Option<String>,
    /// The Collector's OTLP/HTTP receiver (:4318)
    #[arg(long, global = true, env = env::COLLECTOR_OTLP_URL, value_name = "URL", help_heading = "Backends")]
    pub collector_otlp_url: Option<String>,
    /// Kubeconfig file
    #[arg(long, global = true, env = env::KUBECONFIG, value_name = "PATH", help_heading = "Backends")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context
    #[arg(long, global = true, value_name = "NAME", help_heading = "Backends")]
    pub kube_context: Option<String>,
    /// Kubernetes namespace of the services
    #[arg(
        short = 'n',
        long,
        global = true,
        value_name = "NS",
        help_heading = "Backends"
    )]
    pub namespace: Option<String>,
    /// Namespace of the tracing stack (Collector, Jaeger, Prometheus, sampling policy)
    /// [default: found from the kubeconfig: the charts' app.kubernetes.io/name labels, the
    /// guide's app=tracing, else well-known names in monitoring, observability, tracing]
    #[arg(long, global = true, value_name = "NS", help_heading = "Backends")]
    pub stack_namespace: Option<String>,
    /// Metric-name profile [default: mcp]
    #[arg(long, global = true, env = env::PROFILE, value_enum, help_heading = "Analysis")]
    pub profile: Option<Profile>,
    /// Evaluate as of TIME (RFC 3339 or unix seconds) [default: now]
    #[arg(long, global = true, value_name = "TIME", help_heading = "Analysis")]
    pub at: Option<String>,
    /// How far back to look [default: 1h]
    #[arg(long, global = true, value_name = "DUR", help_heading = "Analysis")]
    pub lookback: Option<String>,
    /// Window of rate() [default: 5m]
    #[arg(long, global = true, value_name = "DUR", help_heading = "Analysis")]
    pub rate_window: Option<String>,
    /// Timeout of each backend request, more than 0s [default: 10s]
    #[arg(long, global = true, value_name = "DUR", help_heading = "Analysis")]
    pub timeout: Option<String>,
    /// Time budget of the whole command, more than 0s; steps still running then fail [default: 60s]
    #[arg(long, global = true, value_name = "DUR", help_heading = "Analysis")]
    pub command_timeout: Option<String>,
    /// Directory of runbook files overriding the built-in ones
    #[arg(long, global = true, value_name = "DIR", help_heading = "Analysis")]
    pub runbooks: Option<PathBuf>,
    /// Output format [default: table]
    #[arg(short = 'o', long, global = true, env = env::OUTPUT, value_enum, help_heading = "Output")]
    pub output: Option<OutputFormat>,
    /// Exit 1 when a finding of this severity or worse exists [default: never]
    #[arg(long, global = true, value_enum, help_heading = "Output")]
    pub fail_on: Option<FailOn>,
    /// Record every backend exchange into an evidence bundle directory, safe to share: the
    /// sensitive values `audit` looks for (e-mails, card numbers, tokens, keys, IBANs, SSNs) are
    /// masked in every body and Secrets' values are never kept
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        conflicts_with = "replay",
        help_heading = "Output"
    )]
    pub record: Option<PathBuf>,
    /// With --record: keep sensitive values as the backends sent them (warns; keep the bundle as
    /// private as the traces)
    #[arg(long, global = true, requires = "record", help_heading = "Output")]
    pub record_raw: bool,
    /// Answer every backend call from a recorded bundle, with no network
    #[arg(long, global = true, value_name = "DIR", help_heading = "Output")]
    pub replay: Option<PathBuf>,
    /// More logs on stderr (-v requests, -vv sizes)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,
    /// No progress, only the result
    #[arg(short, long, global = true, help_heading = "Output")]
    pub quiet: bool,
    /// Colour: auto (terminal and NO_COLOR unset), always, never
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        help_heading = "Output"
    )]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a runbook's investigation and rank what it finds
    #[command(subcommand)]
    Investigate(Investigate),
    /// Audit the instrumentation against the tracing best practices: coverage, span names,
    /// attributes, events, context propagation, sampling and sensitive data, from a sample of
    /// recent traces per service; findings with the fix, and a 0-100 score per service
    #[command(after_help = "\
Examples:
  tracectl audit --jaeger-url http://jaeger-query:16686 --prometheus-url http://prometheus:9090
  tracectl audit --service checkout --traces-per-service 200
  # Track the scores: one audit_score finding per service, its evidence value is the score
  tracectl audit -o json | jq -r '.findings[] | select(.kind == \"audit_score\") | .title'
  # Fail CI when card numbers, tokens or broken propagation show up
  tracectl audit --fail-on critical
  # A bundle to share: sensitive values are stored masked, and a replay reports the same
  tracectl audit --record ./audit-2026-11 && tracectl audit --replay ./audit-2026-11")]
    Audit(AuditArgs),
    /// Health checks of the tracing stack, one pass/fail per check, for CI pipelines
    #[command(after_help = "\
A check whose backend is not configured is skipped. --fail-on defaults to critical here.

Examples:
  tracectl check --prometheus-url http://prometheus:9090 --jaeger-url http://jaeger-query:16686 \\
      --collector-otlp-url http://otel-collector:4318 --alertmanager-url http://alertmanager:9093
  # In CI: a JUnit report, exit 1 on a critical finding (the default --fail-on for check)
  tracectl check -o junit > tracectl-check.xml
  tracectl check --only prometheus-ready,jaeger-query,collector-otlp
  tracectl check --skip tracing-pods,jaeger-monitor --fail-on warning")]
    Check(CheckArgs),
    /// Deploy the tracing stack (runbook 3.2.1): plan, apply with a journal, verify, roll back
    #[command(subcommand, after_help = DEPLOY_EXAMPLES)]
    Deploy(DeployCmd),
    /// Maintenance windows (runbook 3.2.2): backup, restore, updates, configuration, index
    /// retention, scaling, health and validation, each planned, confirmed and journaled
    #[command(subcommand, after_help = MAINTAIN_EXAMPLES)]
    Maintain(MaintainCmd),
    /// What a finding kind means, the evidence it uses, and how to fix it
    #[command(
        after_help = "Examples:\n  tracectl explain slow_dependency\n  tracectl explain --list"
    )]
    Explain {
        /// A finding kind, e.g. slow_dependency (`tracectl explain --list` lists them)
        kind: Option<String>,
        /// List every finding kind
        #[arg(long)]
        list: bool,
    },
    /// Serve the runbooks to an AI assistant over the Model Context Protocol (stdio): the
    /// investigations, check, audit, explain, the runbooks and the deploy and maintenance plans as
    /// tools, read-only
    #[command(after_help = "\
stdout carries the protocol (JSON-RPC); logs go to stderr. The global flags, environment and
config context set the backends, as for any command; tools take the commands' own arguments.
No tool changes anything: deploy_plan and maintain_plan only plan. --record is refused: record
an incident with the CLI.

Examples:
  # Try it with no network: every tool answers from the recorded demo incident
  tracectl mcp --replay fixtures/demo/checkout-latency
  tracectl mcp --context prod --command-timeout 90s")]
    Mcp,
    /// List the runbooks or show one as a document
    #[command(
        subcommand,
        after_help = "Examples:\n  tracectl runbooks list\n  tracectl runbooks show latency --profile spanmetrics -o markdown > latency.md"
    )]
    Runbooks(Runbooks),
    /// View the config file and switch contexts
    #[command(
        subcommand,
        after_help = "Examples:\n  tracectl config view\n  tracectl config get-contexts\n  tracectl config use-context staging"
    )]
    Config(ConfigCmd),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  tracectl completions bash > /etc/bash_completion.d/tracectl\n  tracectl completions zsh > \"${fpath[1]}/_tracectl\""
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum Runbooks {
    /// List the runbooks (built in, or from --runbooks DIR)
    List,
    /// Show a runbook: its steps, their queries and the equivalent tracectl command
    Show { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the config file with every secret masked
    View,
    /// List the contexts; the current one is marked with *
    GetContexts,
    /// Make NAME the current context
    UseContext { name: String },
    /// Write a context from what discovery finds with the kubeconfig alone: the kubeconfig,
    /// its context and namespace, the tracing stack's namespace and the metric profile
    /// Prometheus' names suggest. Backends are left without URLs, so each run reaches them
    /// through the API server's service proxy, as the printed comments say; with --in-cluster
    /// they get their cluster DNS addresses instead. The global --context names it (default
    /// `kube`); an existing context is replaced only with --force
    #[command(
        after_help = "Examples:\n  tracectl config init --kubeconfig ~/.kube/config -n shop\n  tracectl --context prod config init --force\n  tracectl --context in-cluster config init --in-cluster --kubeconfig ~/.kube/config"
    )]
    Init {
        /// Replace the context if it exists
        #[arg(long)]
        force: bool,
        /// For tracectl running inside the cluster: each backend's URL by cluster DNS
        /// (http://NAME.NS.svc:PORT) and no kubeconfig (the pod's service account answers)
        #[arg(long)]
        in_cluster: bool,
    },
}
