//! `tracectl explain KIND`: what a finding kind means, the evidence it rests on, how to fix it and
//! how safe the fix is; from the runbooks' `findings:` sections. Tests: `tests/it/runbooks.rs`.

use anyhow::Result;

use super::{Exit, print};
use crate::cli::GlobalArgs;
use crate::error::UsageError;
use crate::report::Safety;
use crate::runbook;

pub fn run(g: &GlobalArgs, kind: Option<&str>, list: bool) -> Result<Exit> {
    let docs = runbook::finding_docs(g.runbooks.as_deref())?;
    match (kind, list) {
        (None, _) | (_, true) => {
            let w = docs.keys().map(String::len).max().unwrap_or(4);
            let mut out = format!("{:<w$}  {:<8}  {}\n", "KIND", "RUNBOOK", "SUMMARY");
            for (k, (rb, d)) in &docs {
                out.push_str(&format!("{k:<w$}  {rb:<8}  {}\n", d.summary));
            }
            print(&out)?;
            Ok(Exit::Ok)
        }
        (Some(kind), false) => {
            let Some((rb, d)) = docs.get(kind) else {
                let close: Vec<&str> = docs
                    .keys()
                    .filter(|k| k.contains(kind) || kind.contains(k.as_str()))
                    .map(String::as_str)
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
            let safety = match d.safety {
                Safety::Safe => "safe: reversible and low-risk",
                Safety::NeedsCare => {
                    "needs care: changes production behaviour; read it before running"
                }
                Safety::AdviceOnly => "advice only: a human decides",
            };
            print(&format!(
                "{kind}  (runbook: {rb})\n\nWhat it means\n  {}\n\nWhy it matters\n  {}\n\nEvidence it uses\n  {}\n\nHow to fix it\n  {}\n\nHow safe the fix is\n  {safety}\n",
                d.summary, d.why, d.evidence, d.fix
            ))?;
            Ok(Exit::Ok)
        }
    }
}
