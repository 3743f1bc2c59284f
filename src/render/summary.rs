//! A report in a few lines of plain text, for a model to read first: the diagnosis, the top
//! findings with their subject and remediation (and how safe each is), and the steps that did not
//! run. The MCP server sends it beside the full `tracectl.report/v1` JSON, which stays the
//! structured answer; this text leaves nothing out that would change the diagnosis, only the
//! evidence and the lower findings. Pure. Tests: below.

use super::{detailed_findings, safety_label, status_label, strip_controls, subject_compact};
use crate::report::{Report, StepStatus};

pub fn render_summary(report: &Report) -> String {
    let mut out = format!(
        "{} ({}): {}\n",
        report.command,
        report.at,
        strip_controls(&report.diagnosis)
    );
    let shown: Vec<_> = detailed_findings(report).collect();
    if !shown.is_empty() {
        out.push_str(&format!(
            "\nTop findings ({} of {}):\n",
            shown.len(),
            report.findings.len()
        ));
    }
    for f in shown {
        out.push_str(&format!(
            "{}. [{}] {} ({}, score {:.2}) — {}\n",
            f.rank,
            f.severity.as_str(),
            strip_controls(&f.title),
            f.kind,
            f.score,
            strip_controls(&subject_compact(&f.subject)),
        ));
        for r in &f.remediation {
            let cmd = r
                .command
                .as_deref()
                .map(|c| format!(": `{}`", strip_controls(c)))
                .unwrap_or_default();
            out.push_str(&format!(
                "   fix ({}): {}{cmd}\n",
                safety_label(r.safety),
                strip_controls(&r.title)
            ));
        }
    }
    let missing: Vec<_> = report
        .steps
        .iter()
        .filter(|s| matches!(s.status, StepStatus::Failed | StepStatus::Skipped))
        .collect();
    if !missing.is_empty() {
        out.push_str("\nSteps without evidence:\n");
        for s in missing {
            out.push_str(&format!(
                "- {} ({}): {}\n",
                s.id,
                status_label(s.status),
                strip_controls(s.error.as_deref().unwrap_or("no reason given"))
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_has_the_diagnosis_top_findings_fixes_and_missing_steps() {
        let r = super::super::tests::sample_report();
        let s = render_summary(&r);
        assert!(s.contains(&r.diagnosis), "{s}");
        assert!(
            s.contains("1. [critical] postgres calls make up 81%"),
            "{s}"
        );
        assert!(
            s.contains("fix (needs care): Roll back checkout to the previous revision: `kubectl rollout undo deployment/checkout -n shop`"),
            "{s}"
        );
        for step in r.steps.iter().filter(|s| s.status == StepStatus::Failed) {
            assert!(s.contains(&format!("- {} (failed)", step.id)), "{s}");
        }
    }
}
