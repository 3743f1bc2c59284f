//! `tracectl mcp`: the runbooks served to AI assistants over the Model Context Protocol, on stdio,
//! with the official Rust SDK (`rmcp`). An assistant gets a ranked, evidenced diagnosis in one
//! call instead of writing its own queries in a loop.
//!
//! - Tools (`tools.rs`): the investigations, `check` and `audit`, with the commands' arguments
//!   and the same `tracectl.report/v1` JSON as `-o json` as structured content, beside a short
//!   text summary; `deploy_plan` and `maintain_plan` (`tracectl.plan/v1`, planned only);
//!   `explain`, `runbooks_list`, `runbook_show`. Their parameters: `params.rs`.
//! - Resources (here): each runbook as a document (`tracectl://runbooks/{name}`) and each
//!   finding kind's doc (`tracectl://kinds/{kind}`).
//! - The prompt `diagnose` (`prompt.rs`): triage → the right investigation → explain.
//! - The limits of a call (`call.rs`): the command's `--command-timeout`, progress
//!   notifications per finished step, cancellation, one call at a time, secrets scrubbed.
//!
//! It reuses what the CLI does: one `Settings` resolved at start (flags, environment, config
//! context, `--replay`), the entry points under `crate::investigate`, the renderers under
//! `crate::render`. It never changes anything: the tools that reach `crate::mutation` call its
//! planning (`ops::deploy::plan`, `ops::maintain::plan`), never a runner or an executor. Logs go to
//! stderr; stdout is the protocol. Not here: resolving settings, exit codes (`commands/mcp.rs`).
//! Tests: `tests/it/mcp/` (a real MCP client driving the binary).

mod call;
mod params;
mod prompt;
mod tools;

use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{
    GetPromptRequestParams, GetPromptResponse, Implementation, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt, tool_handler};
use tokio::sync::Semaphore;

use crate::error::UsageError;
use crate::runbook::kinds::Registry;
use crate::runbook::{self, Runbook};
use crate::settings::Settings;

const INSTRUCTIONS: &str = "tracectl runs distributed-tracing runbooks deterministically: each \
investigate_* tool gathers the evidence (metrics, traces, Kubernetes state, changes), correlates \
it and returns ranked findings with their evidence and remediation. Prefer one investigation \
over writing queries. Without a service, an investigation triages and picks the service that \
changed most. Report only what the findings say; `explain` tells what a finding kind means. \
Nothing here changes the system.";

/// The server: the settings of this run, the runbooks and finding kinds they name, and the gate
/// that lets one call reach the backends at a time.
#[derive(Clone)]
pub struct Server {
    settings: Arc<Settings>,
    runbooks: Arc<Vec<Runbook>>,
    kinds: Arc<Registry>,
    /// The CLI runs one command at a time against the backends, within its limits (in-flight
    /// requests, `--command-timeout`); the server holds calls to the same budget.
    calls: Arc<Semaphore>,
    /// `-n` as given (not defaulted): `deploy_plan` lets deploy.yaml's namespace apply without it.
    namespace_flag: Option<String>,
    tool_router: ToolRouter<Server>,
}

impl Server {
    /// Load the runbooks once, from `--runbooks DIR` or the context's `runbooks:`, so a broken
    /// override is an error before serving, not in every call.
    pub fn new(settings: Settings, namespace_flag: Option<String>) -> Result<Server, UsageError> {
        let dir = settings.runbooks_dir.clone();
        Ok(Server {
            runbooks: Arc::new(runbook::all(dir.as_deref())?),
            kinds: Arc::new(Registry::load(dir.as_deref())?),
            settings: Arc::new(settings),
            calls: Arc::new(Semaphore::new(1)),
            namespace_flag,
            tool_router: Self::tool_router(),
        })
    }

    fn runbook(&self, name: &str) -> Result<&Runbook, McpError> {
        self.runbooks
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.runbooks.iter().map(|r| r.name.as_str()).collect();
                McpError::invalid_params(
                    format!(
                        "unknown runbook {name:?}; the runbooks: {}",
                        names.join(", ")
                    ),
                    None,
                )
            })
    }
}

/// Serve over stdin/stdout until the client closes the connection.
pub async fn serve(settings: Settings, namespace_flag: Option<String>) -> anyhow::Result<()> {
    let server = Server::new(settings, namespace_flag)?;
    tracing::info!("tracectl mcp: serving on stdio");
    let running = server.serve(rmcp::transport::stdio()).await?;
    let reason = running.waiting().await?;
    tracing::info!(?reason, "tracectl mcp: connection closed");
    Ok(())
}

const RUNBOOK_URI: &str = "tracectl://runbooks/";
const KIND_URI: &str = "tracectl://kinds/";

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_prompts()
                .build(),
        )
        .with_server_info(Implementation::new("tracectl", env!("CARGO_PKG_VERSION")))
        .with_instructions(INSTRUCTIONS.to_string())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let runbooks = self.runbooks.iter().map(|r| {
            Resource::new(format!("{RUNBOOK_URI}{}", r.name), r.name.clone())
                .with_title(r.title.clone())
                .with_description(format!(
                    "The {} runbook: its steps, their queries and the commands they replace",
                    r.name
                ))
                .with_mime_type("text/markdown")
        });
        let kinds = self.kinds.kinds().map(|k| {
            Resource::new(format!("{KIND_URI}{}", k.name), k.name.clone())
                .with_description(k.texts()[0].1.summary.clone())
                .with_mime_type("text/plain")
        });
        Ok(ListResourcesResult::with_all_items(
            runbooks.chain(kinds).collect(),
        ))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        Ok(ListResourceTemplatesResult::with_all_items(vec![
            ResourceTemplate::new(format!("{RUNBOOK_URI}{{name}}"), "runbook")
                .with_description("A runbook as a Markdown document (runbooks_list names them)")
                .with_mime_type("text/markdown"),
            ResourceTemplate::new(format!("{KIND_URI}{{kind}}"), "finding-kind")
                .with_description("What a finding kind means, its evidence, the fix and its safety")
                .with_mime_type("text/plain"),
        ]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let uri = request.uri.as_str();
        let text = if let Some(name) = uri.strip_prefix(RUNBOOK_URI) {
            let rb = self.runbook(name)?;
            crate::runbook::doc::render(rb, self.settings.profile, true)
        } else if let Some(kind) = uri.strip_prefix(KIND_URI) {
            crate::render::docs::kind_text(&self.kinds, kind)
                .map_err(|e| McpError::resource_not_found(e.to_string(), None))?
        } else {
            return Err(McpError::resource_not_found(
                format!(
                    "no resource {uri:?}: tracectl serves {RUNBOOK_URI}NAME and {KIND_URI}KIND"
                ),
                None,
            ));
        };
        Ok(ReadResourceResult::new(vec![ResourceContents::text(text, uri)]).into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        Ok(ListPromptsResult::with_all_items(vec![prompt::diagnose()]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        prompt::get(&request).map(Into::into)
    }
}
