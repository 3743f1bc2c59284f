//! `tracectl runbooks list|show NAME`: the runbooks as documents (list: table or JSON; show: text
//! or Markdown; other formats are refused). Tests: `tests/it/cli.rs`.

use anyhow::Result;

use super::{Exit, print};
use crate::cli::{GlobalArgs, Runbooks};
use crate::render::{self, OutputFormat};
use crate::runbook::{self, Profile};

pub fn run(g: &GlobalArgs, cmd: &Runbooks) -> Result<Exit> {
    let (_, _, ctx) = crate::settings::load_context(g)?;
    let ctx = ctx.map(|(_, c)| c).unwrap_or_default();
    let dir = g.runbooks.clone().or(ctx.runbooks.clone());
    let profile = g.profile.unwrap_or(Profile::Mcp);
    match cmd {
        Runbooks::List => {
            let all = runbook::all(dir.as_deref())?;
            let out = match g.output.unwrap_or(OutputFormat::Table) {
                OutputFormat::Json => {
                    serde_json::to_string_pretty(&render::docs::runbook_list_json(&all))? + "\n"
                }
                OutputFormat::Table => {
                    let w = all.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
                    let mut out = format!("{:<w$}  {:<5}  {}\n", "NAME", "STEPS", "TITLE");
                    for r in &all {
                        out.push_str(&format!(
                            "{:<w$}  {:<5}  {}\n",
                            r.name,
                            r.steps.len(),
                            r.title
                        ));
                    }
                    out
                }
                f @ (OutputFormat::Markdown | OutputFormat::Junit) => {
                    return Err(render::unsupported(
                        f,
                        "`runbooks list`",
                        &[OutputFormat::Table, OutputFormat::Json],
                    )
                    .into());
                }
            };
            print(&out)?;
        }
        Runbooks::Show { name } => {
            let rb = runbook::load(name, dir.as_deref())?;
            let markdown = match g.output.unwrap_or(OutputFormat::Table) {
                OutputFormat::Table => false,
                OutputFormat::Markdown => true,
                f @ (OutputFormat::Json | OutputFormat::Junit) => {
                    return Err(render::unsupported(
                        f,
                        "a runbook",
                        &[OutputFormat::Table, OutputFormat::Markdown],
                    )
                    .into());
                }
            };
            print(&runbook::doc::render(&rb, profile, markdown))?;
        }
    }
    Ok(Exit::Ok)
}
