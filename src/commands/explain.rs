//! `tracectl explain KIND`: what a finding kind means, the evidence it rests on, how to fix it and
//! how safe the fix is; from the finding-kind registry (`crate::runbook::kinds`), so from the
//! runbooks `--runbooks DIR` or the context's `runbooks:` point at, like every other command.
//! When runbooks word a shared kind differently, each text is shown under the runbooks it comes
//! from. The texts are `crate::render::docs`'s, which the MCP server shares. Tests:
//! `tests/it/cli.rs`.

use anyhow::Result;

use super::{Exit, print};
use crate::cli::GlobalArgs;
use crate::render::{self, OutputFormat};
use crate::runbook::kinds::Registry;

pub fn run(g: &GlobalArgs, kind: Option<&str>, list: bool) -> Result<Exit> {
    let (_, _, ctx) = crate::settings::load_context(g)?;
    let ctx = ctx.map(|(_, c)| c).unwrap_or_default();
    let dir = g.runbooks.clone().or(ctx.runbooks.clone());
    let reg = Registry::load(dir.as_deref())?;
    match g.output.unwrap_or(OutputFormat::Table) {
        OutputFormat::Table => {}
        f @ (OutputFormat::Json | OutputFormat::Markdown | OutputFormat::Junit) => {
            return Err(render::unsupported(f, "`explain`", &[OutputFormat::Table]).into());
        }
    }
    let out = match (kind, list) {
        (None, _) | (_, true) => render::docs::kind_list(&reg),
        (Some(kind), false) => render::docs::kind_text(&reg, kind)?,
    };
    print(&out)?;
    Ok(Exit::Ok)
}
