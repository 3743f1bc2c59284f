//! The tools, with `rmcp`'s `#[tool]` macros: each takes a command's arguments (`params.rs`),
//! each description is written for a model: when to call it and what it returns. The reading
//! tools, `deploy_plan` and `maintain_plan` run through [`Server::run_report`] (`call.rs`); the
//! documents come from the same renderers as `explain` and `runbooks`. No tool changes
//! anything. Tests: `tests/it/mcp/`.

use rmcp::model::{CallToolResult, ContentBlock};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, tool, tool_router};

use super::Server;
use super::call::Runbook;
use super::params::*;
use crate::cli::{
    AlertsArgs, AuditArgs, CheckArgs, DataLossArgs, DeployArgs, ErrorsArgs, Investigate,
    LatencyArgs, RolloutArgs,
};
use crate::runbook::Profile;
use crate::settings::Mode;

impl Server {
    /// As `deploy plan --replay` and `maintain --replay` are refused: a bundle cannot stand for a
    /// cluster to plan changes against, and a recording would hold Secrets.
    fn live_only(&self, tool: &str) -> Result<(), McpError> {
        match self.settings.mode {
            Mode::Live => Ok(()),
            Mode::Record(_) | Mode::Replay(_) => Err(McpError::invalid_params(
                format!("{tool} reads the live cluster: it is not served with --replay"),
                None,
            )),
        }
    }
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
            baseline_at: p.baseline_at,
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
            baseline_at: p.baseline_at,
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
    /// windows before and after the latest (or given) rollout of the service's Deployment,
    /// StatefulSet or DaemonSet, with significance
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
    /// Grafana, Alertmanager, tracing pods, Jaeger's Monitor tab). With a kubeconfig, a backend
    /// with no URL is first discovered and reached through the API server's service proxy (the
    /// discovery step); a check whose backend is neither configured nor found is skipped.
    /// Returns the tracectl.report/v1 JSON and a summary.
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
        self.live_only("deploy_plan")?;
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

    /// What would a maintenance step change? Call this to review a maintenance change (guide
    /// 3.2.2) before a human runs it: backup, restore, update, config, storage (index retention)
    /// or scale. It reads the live state and returns the plan: each action with what it expects
    /// to find, what it would change (diffs, the indices deleted or kept and why) and its undo,
    /// as tracectl.plan/v1 structured content and as a table. It applies nothing: `tracectl
    /// maintain STEP --yes` does, run by a human.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    async fn maintain_plan(
        &self,
        params: Parameters<MaintainPlanParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        self.live_only("maintain_plan")?;
        let p = params.0;
        let argv = ["tracectl maintain".to_string(), p.step.name().to_string()]
            .into_iter()
            .chain(p.flags);
        let cmd = <MaintainFlags as clap::Parser>::try_parse_from(argv)
            .map_err(|e| {
                let text = e.to_string();
                let line = text
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("bad flags");
                McpError::invalid_params(
                    format!(
                        "maintain_plan {}: {}",
                        p.step.name(),
                        line.trim_start_matches("error: ")
                    ),
                    None,
                )
            })?
            .cmd;
        if let Some((_, flags)) = crate::mutation::ops::maintain::changing_step(&cmd)
            && (flags.yes || flags.rollback_on_failure || flags.journal.is_some())
        {
            return Err(McpError::invalid_params(
                "maintain_plan only plans: --yes, --rollback-on-failure and --journal belong to `tracectl maintain STEP`, run by a human",
                None,
            ));
        }
        let namespace_flag = self.namespace_flag.clone();
        self.run_report(
            Runbook::MaintainPlan {
                cmd,
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
