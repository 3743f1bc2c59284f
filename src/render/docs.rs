//! The runbooks and finding kinds as documents: `explain`'s list and its text for one kind, and
//! the runbook list as JSON. Shared by the command line (`tracectl explain`, `tracectl runbooks
//! list -o json`) and the MCP server (`explain`, `runbooks_list`, the `tracectl://kinds/...`
//! resources), so an assistant reads the same words as a human. Pure: strings from the registry
//! and the runbooks. Not here: loading them (`crate::runbook`), printing. Tests: below, and
//! `tests/it/cli.rs`, `tests/it/mcp/`.

use crate::error::UsageError;
use crate::report::Safety;
use crate::runbook::kinds::Registry;
use crate::runbook::{FindingDoc, Runbook};

/// `explain --list`: one line per kind, its runbooks and its summary.
pub fn kind_list(reg: &Registry) -> String {
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
    out
}

/// `explain KIND`: what it means, why it matters, its evidence, the fix and how safe the fix is;
/// each runbook's text when runbooks word it differently. An unknown kind is a usage error that
/// names the close ones.
pub fn kind_text(reg: &Registry, kind: &str) -> Result<String, UsageError> {
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
        ));
    };
    let texts = k.texts();
    let label = |rbs: &[&str]| {
        if rbs.len() == 1 {
            "runbook"
        } else {
            "runbooks"
        }
    };
    Ok(if let [(rbs, d)] = texts.as_slice() {
        format!(
            "{kind}  ({}: {})\n\n{}",
            label(rbs),
            rbs.join(", "),
            body(d, "")
        )
    } else {
        let mut out = format!("{kind}  (the runbooks word it differently; each text follows)\n");
        for (rbs, d) in texts {
            out.push_str(&format!("\nIn the {} {}:\n\n", label(&rbs), rbs.join(", ")));
            out.push_str(&body(d, "  "));
        }
        out
    })
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

/// `runbooks list -o json`: name, title, the command that runs it, its step ids.
pub fn runbook_list_json(all: &[Runbook]) -> serde_json::Value {
    all.iter()
        .map(|r| {
            serde_json::json!({"name": r.name, "title": r.title, "command": r.command,
                "steps": r.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>()})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_reads_its_five_sections_and_an_unknown_one_names_the_close_ones() {
        let reg = Registry::builtin();
        let text = kind_text(reg, "slow_dependency").unwrap();
        for h in [
            "What it means",
            "Why it matters",
            "Evidence it uses",
            "How to fix it",
        ] {
            assert!(text.contains(h), "{h} missing from:\n{text}");
        }
        let e = kind_text(reg, "slow").unwrap_err();
        assert!(e.to_string().contains("unknown finding kind"), "{e}");
        assert!(
            kind_list(reg)
                .lines()
                .any(|l| l.starts_with("slow_dependency "))
        );
    }
}
