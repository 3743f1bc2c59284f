//! `investigate`, `audit` and `check`: the read-only runbooks' flags. Part of [`crate::cli`];
//! tests: `tests/it/cli.rs` (help, usage errors, completions drift).
use std::path::PathBuf;

use clap::{Args, Subcommand};

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
    /// operation, in equal windows before and after the latest (or --revision N) rollout of the
    /// workload that runs it (a Deployment, StatefulSet or DaemonSet), with significance tests
    /// that do not cry wolf on low traffic
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
    /// A time when the fleet was healthy (RFC 3339 or unix seconds, before --at): the change
    /// tests compare now with the hour before it [default: the hour before 15m ago]
    #[arg(long, value_name = "TIME")]
    pub baseline_at: Option<String>,
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
    /// A time when the fleet was healthy (RFC 3339 or unix seconds, before --at): the change
    /// tests compare now with the hour before it [default: the hour before 15m ago]
    #[arg(long, value_name = "TIME")]
    pub baseline_at: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RolloutArgs {
    /// The service (mapped to the Deployment, StatefulSet or DaemonSet that runs it)
    #[arg(long, short = 's')]
    pub service: String,
    /// Judge this revision of its workload (`kubectl rollout history`) [default: the latest]
    #[arg(long, value_name = "N", conflicts_with = "since")]
    pub revision: Option<u64>,
    /// When the rollout began (RFC 3339 or unix seconds), instead of its revision's creation
    /// time (a ReplicaSet's or ControllerRevision's): for a service not on Kubernetes, or a
    /// rollback (which reuses an old revision)
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
    /// Namespace of the Collector and Jaeger [default: the tracing stack's (--stack-namespace,
    /// else discovered), else -n]
    #[arg(long, value_name = "NS")]
    pub collector_namespace: Option<String>,
    /// Lint this Collector config file instead of the ConfigMap its workloads mount (else
    /// NAME-config)
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
