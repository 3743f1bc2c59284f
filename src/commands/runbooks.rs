//! `tracectl runbooks list|show NAME`: the runbooks as documents. Tests: `tests/it/runbooks.rs`.

use anyhow::Result;

use super::{Exit, print};
use crate::cli::{GlobalArgs, Runbooks};
use crate::render::OutputFormat;
use crate::runbook::{self, Profile};

pub fn run(g: &GlobalArgs, cmd: &Runbooks) -> Result<Exit> {
    let (_, _, ctx) = crate::settings::load_context(g)?;
    let ctx = ctx.map(|(_, c)| c).unwrap_or_default();
    let dir = g.runbooks.clone().or(ctx.runbooks.clone());
    let profile = g.profile.unwrap_or(Profile::Mcp);
    match cmd {
        Runbooks::List => {
            let all = runbook::all(dir.as_deref())?;
            let mut out = String::new();
            if g.output == Some(OutputFormat::Json) {
                let v: Vec<serde_json::Value> = all
                    .iter()
                    .map(|r| {
                        serde_json::json!({"name": r.name, "title": r.title, "command": r.command,
                            "steps": r.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>()})
                    })
                    .collect();
                out = serde_json::to_string_pretty(&v)? + "\n";
            } else {
                let w = all.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
                out.push_str(&format!("{:<w$}  {:<5}  {}\n", "NAME", "STEPS", "TITLE"));
                for r in &all {
                    out.push_str(&format!(
                        "{:<w$}  {:<5}  {}\n",
                        r.name,
                        r.steps.len(),
                        r.title
                    ));
                }
            }
            print(&out)?;
        }
        Runbooks::Show { name } => {
            let rb = runbook::load(name, dir.as_deref())?;
            let markdown = g.output == Some(OutputFormat::Markdown);
            print(&runbook::doc::render(&rb, profile, markdown))?;
        }
    }
    Ok(Exit::Ok)
}
