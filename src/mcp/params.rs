//! The tools' parameters: each struct is a command's arguments, its JSON Schema derived by
//! schemars (doc comments are the descriptions a model reads; unknown arguments refused), and
//! [`Parameters`], the extractor that makes bad arguments a protocol error. Part of
//! [`crate::mcp`]; tests: `tests/it/mcp/`.

use std::path::PathBuf;

use rmcp::ErrorData as McpError;
use rmcp::handler::server::common::FromContextPart;
use rmcp::handler::server::tool::ToolCallContext;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::cli::MaintainCmd;

/// A tool's arguments, deserialized like rmcp's own `Parameters` (whose name the `#[tool]`
/// macro looks for to derive the input schema), with one difference the issue asks for: bad
/// arguments are a protocol error (`invalid_params`), where rmcp's extractor turns them into a
/// tool result with `isError`. A model that sends an unknown argument learns it the same way as
/// a bad value the runbook refuses.
pub struct Parameters<T>(pub T);

impl<T: JsonSchema> JsonSchema for Parameters<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl<S, T: DeserializeOwned> FromContextPart<ToolCallContext<'_, S>> for Parameters<T> {
    fn from_context_part(context: &mut ToolCallContext<'_, S>) -> Result<Self, McpError> {
        let arguments = context.arguments.take().unwrap_or_default();
        serde_json::from_value(serde_json::Value::Object(arguments))
            .map(Parameters)
            .map_err(|e| {
                McpError::invalid_params(format!("bad arguments for {}: {e}", context.name), None)
            })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LatencyParams {
    /// The service to investigate; leave out to let triage pick the service whose latency rose most
    pub service: Option<String>,
    /// Narrow to one operation of the service (e.g. "POST /orders")
    pub operation: Option<String>,
    /// Latency threshold in seconds [default: the runbook's, 1.0]
    pub threshold: Option<f64>,
    /// Quantile to judge latency by, in (0, 1) [default: 0.95]
    pub quantile: Option<f64>,
    /// A git repository on the machine tracectl runs on: also list commits touching the service
    pub repo: Option<PathBuf>,
    /// A time the fleet was healthy (RFC 3339 or unix seconds, before the evaluation time): the
    /// change tests compare now with the hour before it [default: the hour before 15m ago]
    pub baseline_at: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorsParams {
    /// The service to investigate; leave out to let triage pick the service whose error ratio rose most
    pub service: Option<String>,
    /// Error-ratio threshold (errors / requests, in (0, 1]) [default: the runbook's, 0.05]
    pub threshold: Option<f64>,
    /// A time the fleet was healthy (RFC 3339 or unix seconds, before the evaluation time): the
    /// change tests compare now with the hour before it [default: the hour before 15m ago]
    pub baseline_at: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataLossParams {
    /// Narrow the service checks to one service, and check that its stored spans are found
    pub service: Option<String>,
    /// The Collector's Deployment (pods app=NAME, ConfigMap NAME-config) [default: otel-collector]
    pub collector_name: Option<String>,
    /// Namespace of the Collector and Jaeger [default: the configured namespace]
    pub collector_namespace: Option<String>,
    /// A Collector config file on the machine tracectl runs on, linted instead of the ConfigMap
    pub collector_config: Option<PathBuf>,
    /// Jaeger's pods (label app=NAME) and containers [default: jaeger]
    pub jaeger_name: Option<String>,
    /// Jaeger collector's gRPC address HOST:PORT to dial
    pub jaeger_collector_addr: Option<String>,
    /// Jaeger's Elasticsearch index prefix (its es.index-prefix)
    pub es_index_prefix: Option<String>,
    /// Time between two scrapes of the Collector's metrics when Prometheus has none [default: 5s]
    pub scrape_interval: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolloutParams {
    /// The service (mapped to the Deployment, StatefulSet or DaemonSet that runs it)
    pub service: String,
    /// Judge this revision of its workload [default: the latest]
    pub revision: Option<u64>,
    /// When the rollout began (RFC 3339 or unix seconds), for a service not on Kubernetes
    pub since: Option<String>,
    /// Length of each window, before and after the rollout [default: 30m]
    pub window: Option<String>,
    /// Time after the rollout began that neither window covers [default: 2m]
    pub settle: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertsParams {
    /// Only alerts matching these Alertmanager matchers (e.g. ["team=\"shop\""])
    #[serde(default)]
    pub filter: Vec<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// Run only these checks (ids of the check runbook, e.g. "prometheus-ready", "jaeger-query")
    #[serde(default)]
    pub only: Vec<String>,
    /// Skip these checks
    #[serde(default)]
    pub skip: Vec<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Audit only this service [default: every service the trace store knows]
    pub service: Option<String>,
    /// Recent traces sampled per service, 1-1000 [default: the runbook's, 50]
    pub traces_per_service: Option<u32>,
    /// Also report IP addresses in span data as sensitive
    #[serde(default)]
    pub detect_ips: bool,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeployPlanParams {
    /// The deploy inputs file on the machine tracectl runs on [default: ./deploy.yaml there]
    pub file: Option<PathBuf>,
    /// Values file of the Collector chart
    pub collector_values: Option<PathBuf>,
    /// Version of the Collector chart
    pub collector_version: Option<String>,
    /// Values file of the Jaeger chart
    pub jaeger_values: Option<PathBuf>,
    /// Version of the Jaeger chart
    pub jaeger_version: Option<String>,
    /// Directories of manifests to plan (replaces the file's list)
    #[serde(default)]
    pub manifests: Vec<PathBuf>,
    /// File holding the Elasticsearch password, compared with the live Secret (never shown)
    pub es_password_file: Option<PathBuf>,
    /// Environment variable (of the server) holding the Elasticsearch password
    pub es_password_env: Option<String>,
    /// The helm binary [default: helm on PATH]
    pub helm: Option<PathBuf>,
}

/// The `maintain` steps that plan changes.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MaintainStep {
    /// Labelled ConfigMaps and Secrets, Grafana dashboards, an Elasticsearch snapshot
    Backup,
    /// A backup directory put back
    Restore,
    /// `helm upgrade` of the Collector and Jaeger
    Update,
    /// The Collector and sampling ConfigMaps, alert rules
    Config,
    /// Index retention, force-merge, the index template
    Storage,
    /// Replicas, limits and environment of a workload
    Scale,
}

impl MaintainStep {
    pub(super) fn name(self) -> &'static str {
        match self {
            MaintainStep::Backup => "backup",
            MaintainStep::Restore => "restore",
            MaintainStep::Update => "update",
            MaintainStep::Config => "config",
            MaintainStep::Storage => "storage",
            MaintainStep::Scale => "scale",
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintainPlanParams {
    /// The maintenance step to plan
    pub step: MaintainStep,
    /// The step's own flags as on the command line, e.g. ["--retention-days", "30",
    /// "--keep-last", "2", "--skip-snapshot"] (`tracectl maintain STEP --help` lists them); paths
    /// are on the machine tracectl runs on
    #[serde(default)]
    pub flags: Vec<String>,
}

/// `tracectl maintain`'s subcommands alone, to read `maintain_plan`'s flags with the CLI's own
/// parser and checks.
#[derive(clap::Parser)]
#[command(name = "tracectl maintain")]
pub(super) struct MaintainFlags {
    #[command(subcommand)]
    pub(super) cmd: MaintainCmd,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainParams {
    /// A finding kind, as in a report's findings[].kind (e.g. "slow_dependency")
    pub kind: String,
}

/// The metric-name profile a runbook's queries are shown for.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProfileParam {
    /// The runbooks' own mcp_* metrics
    Mcp,
    /// The OpenTelemetry Collector's spanmetrics connector
    Spanmetrics,
    /// OpenTelemetry HTTP semantic-convention metrics
    Semconv,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunbookShowParams {
    /// The runbook's name, as runbooks_list gives it (e.g. "latency")
    pub name: String,
    /// Show the queries of this profile [default: the configured one]
    pub profile: Option<ProfileParam>,
}
