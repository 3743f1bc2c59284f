//! `tracectl explain KIND`: what a finding kind means, the evidence it rests on, how to fix it and
//! how safe the fix is; from the finding-kind registry (`crate::runbook::kinds`), so from the
//! runbooks `--runbooks DIR` or the context's `runbooks:` point at, like every other command.
//! When runbooks word a shared kind differently, each text is shown under the runbooks it comes
//! from. Tests: `tests/it/cli.rs`.

use anyhow::Result;

use super::{Exit, print};
use crate::cli::GlobalArgs;
use crate::error::UsageError;
use crate::render::{self, OutputFormat};
use crate::report::Safety;
use crate::runbook::FindingDoc;
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
    match (kind, list) {
        (None, _) | (_, true) => {
            let w = reg.kinds().map(|k| k.name.len()).max().unwrap_or(4);
            let rows: Vec<(String, &str, String)> = reg
                .kinds()
                .map(|k| {
                    let rbs: Vec<&str> = k.docs.iter().map(|(r, _)| r.as_str()).collect();
                    (
                        k.name.clone(),
                        k.texts()[0].1.summary.as_str(),
                        rbs.join(","),
                    )
                })
                .collect();
            let rw = rows.iter().map(|r| r.2.len()).max().unwrap_or(8).max(8);
            let mut out = format!("{:<w$}  {:<rw$}  {}\n", "KIND", "RUNBOOK", "SUMMARY");
            for (k, summary, rbs) in &rows {
                out.push_str(&format!("{k:<w$}  {rbs:<rw$}  {summary}\n"));
            }
            print(&out)?;
            Ok(Exit::Ok)
        }
        (Some(kind), false) => {
            let Some(k) = reg.get(kind) else {
                let close: Vec<&str> = reg
                    .kinds()
                    .map(|k| k.name.as_str())
                    .filter(|k| k.contains(kind) || kind.contains(k))
                    .collect();
                return Err(UsageError::with_hint(
                    format!("unknown finding kind {kind:?}"),
                    if close.is_empty() {
                        "`tracectl explain --list` lists them".to_string()
                    } else {
                        format!("did you mean {}?", close.join(", "))
                    },
                )
                .into());
            };
            let texts = k.texts();
            let out = if let [(rbs, d)] = texts.as_slice() {
                let label = if rbs.len() == 1 {
                    "runbook"
                } else {
                    "runbooks"
                };
                format!("{kind}  ({label}: {})\n\n{}", rbs.join(", "), body(d, ""))
            } else {
                let mut out =
                    format!("{kind}  (the runbooks word it differently; each text follows)\n");
                for (rbs, d) in texts {
                    let label = if rbs.len() == 1 {
                        "runbook"
                    } else {
                        "runbooks"
                    };
                    out.push_str(&format!("\nIn the {label} {}:\n\n", rbs.join(", ")));
                    out.push_str(&body(d, "  "));
                }
                out
            };
            print(&out)?;
            Ok(Exit::Ok)
        }
    }
}

/// One text's five sections, each heading indented by `indent`.
fn body(d: &FindingDoc, indent: &str) -> String {
    let safety = match d.safety {
        Safety::Safe => "safe: reversible and low-risk",
        Safety::NeedsCare => "needs care: changes production behaviour; read it before running",
        Safety::AdviceOnly => "advice only: a human decides",
    };
    [
        ("What it means", d.summary.as_str()),
        ("Why it matters", &d.why),
        ("Evidence it uses", &d.evidence),
        ("How to fix it", &d.fix),
        ("How safe the fix is", safety),
    ]
    .iter()
    .map(|(h, t)| format!("{indent}{h}\n{indent}  {t}\n"))
    .collect::<Vec<_>>()
    .join("\n")
}
