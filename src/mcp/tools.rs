//! The tools, with `rmcp`'s `#[tool]` macros: each parameter struct is the command's arguments
//! (its JSON Schema derived by schemars; unknown arguments refused), each description written for
//! a model: when to call it and what it returns. The reading tools and `deploy_plan` run through
//! [`Server::run_report`] (`call.rs`); the documents come from the same renderers as `explain`
//! and `runbooks`. No tool changes anything. Tests: `tests/it/mcp.rs`.

use std::path::PathBuf;

use rmcp::handler::server::common::FromContextPart;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{CallToolResult, ContentBlock};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::Server;
use super::call::Runbook;
use crate::cli::{
    AlertsArgs, AuditArgs, CheckArgs, DataLossArgs, DeployArgs, ErrorsArgs, Investigate,
    LatencyArgs, RolloutArgs,
};
use crate::runbook::Profile;
use crate::settings::Mode;

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
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorsParams {
    /// The service to investigate; leave out to let triage pick the service whose error ratio rose most
    pub service: Option<String>,
    /// Error-ratio threshold (errors / requests, in (0, 1]) [default: the runbook's, 0.05]
    pub threshold: Option<f64>,
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
    /// The service, and the name of its Deployment
    pub service: String,
    /// Judge this revision of the Deployment [default: the latest]
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

#[tool_router(router = tool_router, vis = "pub(super)")]
impl Server {
    /// Why is a service slow? Call this when latency is high or a latency alert fires. It runs
    /// the latency runbook: latency by service, operation and dependency, the slow traces'
    /// critical paths, CPU throttling, memory and network of the containers, recent rollouts,
    /// ConfigMap and code changes; ranked into a diagnosis. Returns the tracectl.report/v1 JSON
    /// (findings with evidence and remediation, steps with their status) as structured content
    /// and a short summary as text.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn investigate_latency(
        &self,
        params: Parameters<LatencyParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let p = params.0;
        let args = LatencyArgs {
            service: p.service,
            operation: p.operation,
            threshold: p.threshold,
            quantile: p.quantile,
            repo: p.repo,
        };
        self.run_report(Runbook::Investigate(Investigate::Latency(args)), ctx)
            .await
    }

    /// Why is a service failing? Call this when requests error (5xx, exceptions) or an
    /// error-rate alert fires. It runs the errors runbook: error ratio and onset, error types new
    /// since 1d/7d ago, where the error traces' errors start, failing dependencies, error-log
    /// templates, OOM kills, crash loops, probes, resources and recent changes. Returns the
    /// tracectl.report/v1 JSON as structured content and a short summary as text.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn investigate_errors(
        &self,
        params: Parameters<ErrorsParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let p = params.0;
        let args = ErrorsArgs {
            service: p.service,
            threshold: p.threshold,
        };
        self.run_report(Runbook::Investigate(Investigate::Errors(args)), ctx)
            .await
    }

    /// Where are spans lost? Call this when traces are missing or incomplete. It measures every
    /// stage spans pass through: services sending and sampling, the Collector's receivers,
    /// processors, exporters and queues, storage (Elasticsearch/OpenSearch and what Jaeger finds
    /// in it), connectivity, the Collector's config and pods; causes ranked above symptoms.
    /// Returns the tracectl.report/v1 JSON as structured content and a short summary as text.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn investigate_data_loss(
        &self,
        params: Parameters<DataLossParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let p = params.0;
        let args = DataLossArgs {
            service: p.service,
            collector_name: p.collector_name.unwrap_or_else(|| "otel-collector".into()),
            collector_namespace: p.collector_namespace,
            collector_config: p.collector_config,
            jaeger_name: p.jaeger_name.unwrap_or_else(|| "jaeger".into()),
            jaeger_collector_addr: p.jaeger_collector_addr,
            es_index_prefix: p.es_index_prefix,
            scrape_interval: p.scrape_interval.unwrap_or_else(|| "5s".into()),
        };
        self.run_report(Runbook::Investigate(Investigate::DataLoss(args)), ctx)
            .await
    }

    /// Did a rollout regress a service? Call this after a deploy, or when a problem started
    /// with one. It compares p95/p99 latency, error ratio and throughput per operation in equal
    /// windows before and after the Deployment's latest (or given) rollout, with significance
    /// tests (low traffic gives insufficient_traffic, not a false alarm); findings carry the
    /// undo command. Returns the tracectl.report/v1 JSON as structured content and a summary.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn investigate_rollout(
        &self,
        params: Parameters<RolloutParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let p = params.0;
        if p.revision.is_some() && p.since.is_some() {
            return Err(McpError::invalid_params(
                "give revision or since, not both",
                None,
            ));
        }
        let args = RolloutArgs {
            service: p.service,
            revision: p.revision,
            since: p.since,
            window: p.window,
            settle: p.settle,
        };
        self.run_report(Runbook::Investigate(Investigate::Rollout(args)), ctx)
            .await
    }

    /// Start from what is firing. Call this when paged, or when the symptom names no runbook:
    /// each firing alert in Alertmanager is mapped to its runbook and service, those
    /// investigations run, and one combined report comes back (a section per alert; alerts no
    /// runbook answers as unmatched_alert). Returns the tracectl.report/v1 JSON and a summary.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn investigate_alerts(
        &self,
        params: Parameters<AlertsParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let args = AlertsArgs {
            filter: params.0.filter,
        };
        self.run_report(Runbook::Investigate(Investigate::Alerts(args)), ctx)
            .await
    }

    /// Is the tracing stack itself healthy? Call this before trusting an investigation whose
    /// steps failed, or when tracing looks broken. One step per check (Prometheus, Jaeger query,
    /// the Collector's OTLP receiver and metrics, dropped spans, exporter failures, storage,
    /// Grafana, Alertmanager, tracing pods, Jaeger's Monitor tab); a check whose backend is not
    /// configured is skipped. Returns the tracectl.report/v1 JSON and a summary.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn check(
        &self,
        params: Parameters<CheckParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let args = CheckArgs {
            only: params.0.only,
            skip: params.0.skip,
        };
        self.run_report(Runbook::Check(args), ctx).await
    }

    /// How good is the instrumentation? Call this when traces are hard to use (broken
    /// propagation, generic span names, missing attributes) or to find sensitive data in spans.
    /// From a sample of recent traces per service: coverage, naming, attributes, events,
    /// propagation, sampling and sensitive data (masked, never returned), with a 0-100 score per
    /// service. Returns the tracectl.report/v1 JSON and a summary.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn audit(
        &self,
        params: Parameters<AuditParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let p = params.0;
        let args = AuditArgs {
            service: p.service,
            traces_per_service: p.traces_per_service,
            detect_ips: p.detect_ips,
        };
        self.run_report(Runbook::Audit(args), ctx).await
    }

    /// What would deploying the tracing stack change? Call this to review a deployment (guide
    /// 3.2.1) before a human runs it. It reads the cluster and Helm and returns the plan: each
    /// step (namespace, Helm repositories, the Elasticsearch Secret, the Collector and Jaeger
    /// charts, manifests, rollouts, checks) with what it expects to find, what it would change
    /// and how that is undone, as tracectl.plan/v1 structured content and as a table. It applies
    /// nothing: `tracectl deploy apply` does, run by a human.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn deploy_plan(
        &self,
        params: Parameters<DeployPlanParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        if !matches!(self.settings.mode, Mode::Live) {
            // As `deploy plan --replay`: a bundle cannot stand for a cluster to change, and a
            // recording would hold the Secret.
            return Err(McpError::invalid_params(
                "deploy_plan reads the live cluster: it is not served with --replay",
                None,
            ));
        }
        let p = params.0;
        let args = DeployArgs {
            file: p.file,
            collector_values: p.collector_values,
            collector_version: p.collector_version,
            jaeger_values: p.jaeger_values,
            jaeger_version: p.jaeger_version,
            manifests: p.manifests,
            es_password_file: p.es_password_file,
            es_password_env: p.es_password_env,
            wait_timeout: None,
            helm: p.helm,
        };
        if args.es_password_file.is_some() && args.es_password_env.is_some() {
            return Err(McpError::invalid_params(
                "give es_password_file or es_password_env, not both",
                None,
            ));
        }
        let namespace_flag = self.namespace_flag.clone();
        self.run_report(
            Runbook::DeployPlan {
                args,
                namespace_flag,
            },
            ctx,
        )
        .await
    }

    /// What does a finding kind mean? Call this with a finding's kind from any report before
    /// acting on it. Returns what it means, why it matters, the evidence it uses, how to fix it
    /// and how safe the fix is, as text.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn explain(&self, params: Parameters<ExplainParams>) -> Result<CallToolResult, McpError> {
        let text = crate::render::docs::kind_text(&self.kinds, &params.0.kind).map_err(|e| {
            McpError::invalid_params(
                format!("{}; hint: {}", e.message, e.hint.unwrap_or_default()),
                None,
            )
        })?;
        Ok(CallToolResult::success(vec![ContentBlock::text(text)]))
    }

    /// Which runbooks does tracectl have? Returns each runbook's name, title, the command that
    /// runs it and its step ids, as structured content ({"runbooks": [...]}) and as text.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn runbooks_list(&self) -> Result<CallToolResult, McpError> {
        let list = crate::render::docs::runbook_list_json(&self.runbooks);
        let text = self
            .runbooks
            .iter()
            .map(|r| format!("{}: {} ({} steps)", r.name, r.title, r.steps.len()))
            .collect::<Vec<_>>()
            .join("\n");
        let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
        result.structured_content = Some(serde_json::json!({ "runbooks": list }));
        Ok(result)
    }

    /// Show one runbook as a Markdown document: its steps, each step's query for the metric
    /// profile, the thresholds, and the hand-run commands the steps replace. Call this to see
    /// what an investigation checks before or after running it.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn runbook_show(
        &self,
        params: Parameters<RunbookShowParams>,
    ) -> Result<CallToolResult, McpError> {
        let rb = self.runbook(&params.0.name)?;
        let profile = match params.0.profile {
            None => self.settings.profile,
            Some(ProfileParam::Mcp) => Profile::Mcp,
            Some(ProfileParam::Spanmetrics) => Profile::Spanmetrics,
            Some(ProfileParam::Semconv) => Profile::Semconv,
        };
        let doc = crate::runbook::doc::render(rb, profile, true);
        Ok(CallToolResult::success(vec![ContentBlock::text(doc)]))
    }
}
