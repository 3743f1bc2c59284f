//! `tracectl mcp`: the command edge of the MCP server. Resolve the settings once, as every
//! command does (flags, environment, config context, `--replay DIR`), so a bad config is exit 2
//! before the first message, then serve over stdio until the client closes it. Not here: the
//! tools, resources and prompt (`crate::mcp`). Tests: `tests/it/mcp/`.

use anyhow::Result;

use super::Exit;
use crate::cli::GlobalArgs;
use crate::error::UsageError;
use crate::settings::{self, Interactive};

pub async fn run(g: &GlobalArgs, argv: &[String]) -> Result<Exit> {
    if g.record.is_some() {
        // A bundle is one command's evidence; a server answers many calls, each its own.
        return Err(UsageError::with_hint(
            "tracectl mcp does not take --record: a bundle holds one command's exchanges",
            "record the incident with the command itself (`tracectl investigate latency --record DIR`), then serve it with `tracectl mcp --replay DIR`",
        )
        .into());
    }
    // No terminal is ours: stdout is the protocol, and progress goes to the client instead.
    let quiet = Interactive {
        stdout_tty: false,
        stderr_tty: false,
    };
    let settings = settings::resolve(g, argv, &quiet)?;
    crate::mcp::serve(settings, g.namespace.clone()).await?;
    Ok(Exit::Ok)
}
