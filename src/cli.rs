//! The command tree and the contract's global flags, with clap derive: each doc comment here is
//! the `--help` text. Only commands that are built appear here. Environment variable names come
//! from [`crate::env_vars`]. Raw arguments become [`crate::settings::Settings`] in one place.
//! Tests: `tests/it/cli.rs` (help, completions drift).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::env_vars as env;
use crate::render::{ColorChoice, OutputFormat};
use crate::runbook::Profile;

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
    /// Timeout of each backend request [default: 10s]
    #[arg(long, global = true, value_name = "DUR", help_heading = "Analysis")]
    pub timeout: Option<String>,
    /// Time budget of the whole command; steps still running then fail [default: 60s]
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
    /// Record every backend exchange into an evidence bundle directory
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        conflicts_with = "replay",
        help_heading = "Output"
    )]
    pub record: Option<PathBuf>,
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
pub enum Investigate {
    /// Why is a service slow? Latency by service, operation and dependency, slow traces'
    /// critical paths, container resources and recent changes, ranked into a diagnosis
    #[command(after_help = "\
Examples:
  tracectl investigate latency --service checkout
  tracectl investigate latency --service checkout --operation 'POST /orders' --quantile 0.99
  tracectl investigate latency                     # triage: investigate the slowest service
  tracectl investigate latency --service checkout -o json --fail-on critical")]
    Latency(LatencyArgs),
    /// Why is a service failing? Error ratio by service, error types against the baseline, where
    /// the error traces' errors start, failing dependencies, error-log templates, pod health and
    /// resources, and recent changes, ranked into a diagnosis
    #[command(after_help = "\
Examples:
  tracectl investigate errors --service checkout
  tracectl investigate errors --service checkout --threshold 0.01   # 1% is too many here
  tracectl investigate errors                      # triage: investigate the worst error ratio
  tracectl investigate errors --service checkout -o json --fail-on critical")]
    Errors(ErrorsArgs),
    /// Where are spans lost? Every stage measured: services sending and sampling, the
    /// Collector's receivers, processors, exporters and queues, storage (Elasticsearch/OpenSearch
    /// and what Jaeger finds in it), connectivity, the Collector's config and its pods
    #[command(
        name = "data-loss",
        after_help = "\
Examples:
  tracectl investigate data-loss --prometheus-url http://prometheus:9090 \\
      --collector-metrics-url http://otel-collector.monitoring:8888/metrics \\
      --collector-otlp-url http://otel-collector.monitoring:4318 \\
      --elasticsearch-url http://elasticsearch:9200 --jaeger-url http://jaeger-query:16686
  tracectl investigate data-loss --service checkout     # and do checkout's spans reach Jaeger?
  tracectl investigate data-loss --collector-namespace monitoring --collector-name otel-collector
  tracectl investigate data-loss --collector-config ./otel-collector.yaml -o json --fail-on critical"
    )]
    DataLoss(DataLossArgs),
    /// Did a rollout regress the service? p95/p99 latency, error ratio and throughput per
    /// operation, in equal windows before and after the Deployment's latest (or --revision N)
    /// rollout, with significance tests that do not cry wolf on low traffic
    #[command(after_help = "\
Examples:
  tracectl investigate rollout --service checkout
  tracectl investigate rollout --service checkout --revision 6 --window 1h
  # Deploy gate in CI: exit 1 when the rollout regressed, with the undo command in the report
  kubectl rollout status deployment/checkout -n shop && sleep 600 && \\
      tracectl investigate rollout --service checkout -n shop --fail-on warning -o json
  # Not on Kubernetes: say when the release went out
  tracectl investigate rollout --service checkout --since 2026-11-25T09:40:00Z")]
    Rollout(RolloutArgs),
    /// Start from what is firing: each firing alert in Alertmanager mapped to its runbook and
    /// service (the runbooks' `alerts:` rules), those investigations run concurrently, one
    /// combined report with a section per alert and the alerts no runbook answers
    #[command(after_help = "\
Examples:
  tracectl investigate alerts --alertmanager-url http://alertmanager.monitoring:9093
  tracectl investigate alerts --filter 'severity=\"critical\"' -o markdown > incident.md")]
    Alerts(AlertsArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AlertsArgs {
    /// Only alerts matching this Alertmanager matcher (e.g. 'team="shop"'); repeatable
    #[arg(long, value_name = "MATCHER")]
    pub filter: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Audit only this service (without it: every service Jaeger knows)
    #[arg(long, short = 's')]
    pub service: Option<String>,
    /// Recent traces sampled per service, 1-1000 [default: the runbook's, 50]
    #[arg(long, value_name = "N")]
    pub traces_per_service: Option<u32>,
    /// Also report IP addresses in span data as sensitive (client IPs are personal data)
    #[arg(long)]
    pub detect_ips: bool,
}

/// The checks `--only`/`--skip` take, and their help lists: the step ids of the built-in check
/// runbook (`runbooks/check.yaml`), in its order. Read once; the engine checks it knows each.
pub fn check_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    static IDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        // The built-in file parses (a unit test loads it); should it not, clap lists nothing
        // and the engine's own check of the names reports the problem.
        let ids = IDS.get_or_init(|| {
            crate::runbook::load("check", None)
                .map(|rb| rb.steps.into_iter().map(|s| s.id).collect())
                .unwrap_or_default()
        });
        ids.iter().map(String::as_str).collect()
    })
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckArgs {
    /// Run only these checks (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CHECK",
          value_parser = clap::builder::PossibleValuesParser::new(check_names().iter().copied()))]
    pub only: Vec<String>,
    /// Skip these checks (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CHECK",
          value_parser = clap::builder::PossibleValuesParser::new(check_names().iter().copied()))]
    pub skip: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ErrorsArgs {
    /// The service to investigate (without it: the service with the highest error ratio)
    #[arg(long, short = 's')]
    pub service: Option<String>,
    /// Error-ratio threshold (errors / requests) for the service [default: the runbook's, 0.05]
    #[arg(long, value_name = "RATIO")]
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, Args)]
pub struct LatencyArgs {
    /// The service to investigate (without it: the slowest service over the threshold)
    #[arg(long, short = 's')]
    pub service: Option<String>,
    /// Narrow to one operation of the service
    #[arg(long)]
    pub operation: Option<String>,
    /// Latency threshold in seconds for the service [default: the runbook's, 1.0]
    #[arg(long, value_name = "SECONDS")]
    pub threshold: Option<f64>,
    /// Quantile to judge latency by [default: 0.95]
    #[arg(long, value_name = "Q")]
    pub quantile: Option<f64>,
    /// A git repository: also list commits touching the service in the lookback
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct RolloutArgs {
    /// The service, and the name of its Deployment
    #[arg(long, short = 's')]
    pub service: String,
    /// Judge this revision of the Deployment (`kubectl rollout history`) [default: the latest]
    #[arg(long, value_name = "N", conflicts_with = "since")]
    pub revision: Option<u64>,
    /// When the rollout began (RFC 3339 or unix seconds), instead of its ReplicaSet's creation
    /// time: for a service not on Kubernetes, or a rollback (which reuses an old ReplicaSet)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Length of each window, before and after the rollout [default: 30m]
    #[arg(long, value_name = "DUR")]
    pub window: Option<String>,
    /// Time after the rollout began that neither window covers, while pods are replaced
    /// [default: 2m]
    #[arg(long, value_name = "DUR")]
    pub settle: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DataLossArgs {
    /// Narrow the service checks to one service, and check that its stored spans are found
    #[arg(long, short = 's')]
    pub service: Option<String>,
    /// The Collector's Deployment, pod label app=NAME, container and ConfigMap NAME-config
    #[arg(long, value_name = "NAME", default_value = "otel-collector")]
    pub collector_name: String,
    /// Namespace of the Collector and Jaeger [default: -n]
    #[arg(long, value_name = "NS")]
    pub collector_namespace: Option<String>,
    /// Lint this Collector config file instead of the NAME-config ConfigMap
    #[arg(long, value_name = "FILE")]
    pub collector_config: Option<PathBuf>,
    /// Jaeger's pods (label app=NAME) and containers
    #[arg(long, value_name = "NAME", default_value = "jaeger")]
    pub jaeger_name: String,
    /// Jaeger collector's gRPC address to dial [default: the Jaeger URL's host:14250 when it
    /// uses port 16686]
    #[arg(long, value_name = "HOST:PORT")]
    pub jaeger_collector_addr: Option<String>,
    /// Jaeger's Elasticsearch index prefix (its es.index-prefix)
    #[arg(long, value_name = "PREFIX")]
    pub es_index_prefix: Option<String>,
    /// Time between the two scrapes of --collector-metrics-url when Prometheus has no
    /// otelcol_* metrics
    #[arg(long, value_name = "DUR", default_value = "5s")]
    pub scrape_interval: String,
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
}

const DEPLOY_EXAMPLES: &str = "\
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

#[derive(Debug, Subcommand)]
pub enum MaintainCmd {
    /// Back up the labelled ConfigMaps and Secrets, every Grafana dashboard, and an Elasticsearch
    /// snapshot, into a directory with a manifest of checksums
    #[command(
        after_help = "Examples:\n  tracectl maintain backup --dir ./backup --yes\n  tracectl maintain backup -l app=tracing --snapshot-repository backups --yes"
    )]
    Backup(BackupCmdArgs),
    /// Restore a backup directory: ConfigMaps, Secrets, dashboards (overwrite) and the snapshot's
    /// missing indices; refuses a backup whose checksums do not match
    #[command(
        after_help = "Examples:\n  tracectl maintain restore ./backup --dry-run\n  tracectl maintain restore ./backup --yes"
    )]
    Restore(RestoreCmdArgs),
    /// `helm upgrade` the Collector and Jaeger to a version with their values files, wait for
    /// the rollout; the previous revisions are journaled for the rollback
    #[command(
        after_help = "Examples:\n  tracectl maintain update --collector-version 0.109.0 --collector-values collector-values.yaml --yes"
    )]
    Update(UpdateCmdArgs),
    /// Create or replace the Collector and sampling ConfigMaps from files and apply the alert
    /// rules directory (server-side apply; the plan shows the diff)
    #[command(
        after_help = "Examples:\n  tracectl maintain config --collector-config collector-config.yaml --dry-run\n  tracectl maintain config --sampling sampling.json --rules monitoring/alerts --yes"
    )]
    Config(ConfigCmdArgs),
    /// Index retention for Jaeger's Elasticsearch indices (by the date in the name, UTC),
    /// force-merge of old indices, and the index template
    #[command(
        after_help = "Never deletes an index outside the pattern, today's, or one of the newest --keep-last.\n\nExamples:\n  tracectl maintain storage --retention-days 30 --snapshot-repository backups --dry-run\n  tracectl maintain storage --retention-days 14 --prefix prod --keep-last 3 --skip-snapshot --yes\n  tracectl maintain storage --forcemerge --template jaeger-template.json --yes"
    )]
    Storage(StorageCmdArgs),
    /// Replicas, resource limits and environment of the Collector and Jaeger workloads (a
    /// strategic-merge or JSON patch, shown as a diff)
    #[command(
        after_help = "Examples:\n  tracectl maintain scale --workload deployment/otel-collector --replicas 3 --yes\n  tracectl maintain scale --workload deployment/jaeger-collector --env JAVA_OPTS='-Xmx2g -Xms2g' --dry-run\n  tracectl maintain scale --workload deployment/otel-collector --limits cpu=2,memory=4Gi --yes"
    )]
    Scale(ScaleCmdArgs),
    /// The pre-maintenance checks (those of `tracectl check`): exit 1 when one fails
    #[command(
        after_help = "Examples:\n  tracectl maintain health\n  tracectl maintain health -o junit > health.xml"
    )]
    Health(CheckArgs),
    /// The post-maintenance validation (those of `tracectl check`, span processing p95 and
    /// dropped spans included): exit 1 when one fails
    #[command(
        after_help = "Examples:\n  tracectl maintain validate\n  tracectl maintain validate --only span-drop-rate,span-latency -o json"
    )]
    Validate(CheckArgs),
    /// Run a whole maintenance window from a file: health first, a backup before anything
    /// destructive, the steps in order, validation; on a failure, roll back from the journal.
    /// Alerts are silenced and the window is annotated in Grafana for its duration
    #[command(after_help = WINDOW_FILE_HELP)]
    Window(WindowCmdArgs),
    /// Undo a maintenance run from its journal (the newest by default)
    #[command(
        after_help = "Examples:\n  tracectl maintain rollback --yes\n  tracectl maintain rollback --journal ./storage.jsonl --yes"
    )]
    Rollback(DeployRollbackArgs),
}

pub(crate) const WINDOW_FILE_HELP: &str = "\
window.yaml (steps run in order; each step's keys are its subcommand's flags, in snake_case):
  name: weekly-tracing
  duration: 2h                 # the silence expires by itself at the planned end
  silence:                     # default: the tracing alerts of runbooks/maintain.yaml
    matchers: ['severity=~\"warning|critical\"', 'team=\"observability\"']
  backup: {dir: ./backups, snapshot_repository: backups}
  steps:
    - storage: {retention_days: 30, keep_last: 2, snapshot_repository: backups}
    - config: {collector_config: collector-config.yaml}
    - scale: {workload: deployment/otel-collector, replicas: 3}
    - update: {collector_version: 0.109.0, collector_values: collector-values.yaml}
  validate: {skip: [jaeger-monitor]}

Examples:
  tracectl maintain window window.yaml --dry-run
  tracectl maintain window window.yaml --yes";

/// What every changing subcommand takes.
#[derive(Debug, Clone, Default, Args)]
pub struct ApplyFlags {
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Print the plan and stop; changes nothing
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// When a step fails, roll back what this run changed without asking
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupArgs {
    /// The backup directory, created 0700; must be new or empty [default: ./tracectl-backup-<UTC time>]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Label selector of the ConfigMaps and Secrets to back up [default: app=tracing]
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Elasticsearch snapshot repository (registered already); without it, no snapshot
    #[arg(long, value_name = "REPO")]
    pub snapshot_repository: Option<String>,
    /// Index patterns in the snapshot, joined by `,` [default: Jaeger's, jaeger-*]
    #[arg(long, value_name = "PATTERN")]
    pub snapshot_indices: Option<String>,
    /// Leave the Secrets out (otherwise in secrets.yaml, mode 0600)
    #[arg(long)]
    pub no_secrets: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BackupCmdArgs {
    #[command(flatten)]
    pub backup: BackupArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RestoreArgs {
    /// The backup directory; every file is checked against manifest.json's sha256 first
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Leave the Secrets as they are
    #[arg(long)]
    pub skip_secrets: bool,
    /// Leave the dashboards as they are
    #[arg(long)]
    pub skip_dashboards: bool,
    /// Do not restore missing indices from the backup's snapshot
    #[arg(long)]
    pub skip_snapshot: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreCmdArgs {
    #[command(flatten)]
    pub restore: RestoreArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpdateArgs {
    /// Inputs file of `deploy`: release and chart names, values files, namespace [default:
    /// ./deploy.yaml when it exists]
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Upgrade the Collector's release to this chart version (only releases given a version are
    /// upgraded; a release not installed is refused: `deploy apply` installs)
    #[arg(long, value_name = "VERSION")]
    pub collector_version: Option<String>,
    /// Values file of the Collector chart [default: deploy.yaml's; without one, the release's
    /// current values are kept]
    #[arg(long, value_name = "FILE")]
    pub collector_values: Option<PathBuf>,
    /// Upgrade the Jaeger release to this chart version
    #[arg(long, value_name = "VERSION")]
    pub jaeger_version: Option<String>,
    /// Values file of the Jaeger chart, under deploy's Elasticsearch overrides [default:
    /// deploy.yaml's; without one, the release's current values are kept]
    #[arg(long, value_name = "FILE")]
    pub jaeger_values: Option<PathBuf>,
    /// How long to wait for the workloads to roll out [default: 5m]
    #[arg(long, value_name = "DUR")]
    pub wait_timeout: Option<String>,
    /// The helm binary [default: helm on PATH]
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct UpdateCmdArgs {
    #[command(flatten)]
    pub update: UpdateArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigArgs {
    /// The Collector's configuration file, for its ConfigMap under the file's base name (as
    /// `kubectl create configmap --from-file`); linted first: a config the Collector would not
    /// start with is refused
    #[arg(long, value_name = "FILE")]
    pub collector_config: Option<PathBuf>,
    /// The Collector's ConfigMap [default: otel-collector-config]
    #[arg(long, value_name = "NAME")]
    pub collector_configmap: Option<String>,
    /// A sampling configuration file, for the sampling ConfigMap (repeatable; one key per file,
    /// its base name; a .json file must be JSON, a .yaml file YAML)
    #[arg(long, value_name = "FILE")]
    pub sampling: Vec<PathBuf>,
    /// The sampling ConfigMap [default: sampling-config]
    #[arg(long, value_name = "NAME")]
    pub sampling_configmap: Option<String>,
    /// A directory of alert rule manifests (*.yaml, *.yml, *.json) to server-side apply, as
    /// `kubectl apply -f DIR`
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ConfigCmdArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageArgs {
    /// Delete Jaeger's span, service and dependencies indices whose day (the date in the name,
    /// UTC; a rollover index's creation day) is more than DAYS before today. Never today's, never
    /// a name outside the pattern, never a rollover write index. The plan lists every index with
    /// its size and doc count
    #[arg(long, value_name = "DAYS")]
    pub retention_days: Option<u32>,
    /// The index prefix Jaeger was given (`--es.index-prefix`), e.g. prod: only
    /// prod-jaeger-* indices are looked at
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Never delete the newest N indices of each kind, however old [default: 1]
    #[arg(long, value_name = "N")]
    pub keep_last: Option<u32>,
    /// Snapshot exactly the indices to delete into this repository (registered already) first;
    /// `tracectl maintain rollback` restores them from it. Deleting needs this or --skip-snapshot
    #[arg(long, value_name = "REPO")]
    pub snapshot_repository: Option<String>,
    /// Delete without a snapshot: the deleted indices cannot be restored by tracectl
    #[arg(long, conflicts_with = "snapshot_repository")]
    pub skip_snapshot: bool,
    /// Force-merge the kept indices no longer written to (yesterday's and older; rolled-over
    /// rollover indices), to fewer segments
    #[arg(long)]
    pub forcemerge: bool,
    /// Segments per shard after the force-merge [default: 1]
    #[arg(long, value_name = "N")]
    pub max_num_segments: Option<u32>,
    /// Put this index template: a JSON file, the body of PUT _index_template/NAME (or
    /// _template/NAME with --legacy-template); unchanged when the live one already matches
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// The template's name [default: jaeger-template]
    #[arg(long, value_name = "NAME")]
    pub template_name: Option<String>,
    /// The template is a legacy one (`_template`, not `_index_template`)
    #[arg(long)]
    pub legacy_template: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StorageCmdArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScaleArgs {
    /// The workload in the namespace, KIND/NAME (deployment, statefulset or daemonset):
    /// deployment/otel-collector, statefulset/jaeger
    #[arg(long, value_name = "KIND/NAME")]
    pub workload: String,
    /// Replicas (not for a DaemonSet)
    #[arg(long, value_name = "N")]
    pub replicas: Option<u32>,
    /// Resource limits of the container, e.g. cpu=2,memory=4Gi (compared by value: 2000m is 2)
    #[arg(long, value_name = "RES=QTY,...")]
    pub limits: Option<String>,
    /// Resource requests of the container, e.g. cpu=500m,memory=1Gi
    #[arg(long, value_name = "RES=QTY,...")]
    pub requests: Option<String>,
    /// Set an environment variable of the container (repeatable; the others are kept), e.g.
    /// JAVA_OPTS='-Xmx2g -Xms2g'
    #[arg(long, value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    /// The container to change [default: the pod template's first]
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// A patch file (JSON or YAML), sent in the same PATCH as the flags' changes, after them
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// The patch file's type: strategic (containers and env merge by name), merge (RFC 7386)
    /// or json (RFC 6902 operations) [default: strategic]
    #[arg(long, value_name = "TYPE")]
    pub patch_type: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ScaleCmdArgs {
    #[command(flatten)]
    pub scale: ScaleArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Args)]
pub struct WindowCmdArgs {
    /// The window file
    #[arg(value_name = "FILE.yaml")]
    pub file: PathBuf,
    #[command(flatten)]
    pub apply: ApplyFlags,
}
