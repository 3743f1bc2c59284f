//! A runbook as a readable document (`tracectl runbooks show`): text for a terminal or markdown
//! for a wiki, each step with its queries for the chosen profile, the original hand-run commands
//! and the equivalent tracectl command. Tests: `tests/it/runbooks.rs`.

use super::{Profile, Runbook};

pub fn render(rb: &Runbook, profile: Profile, markdown: bool) -> String {
    let mut out = String::new();
    let h = |level: usize, text: &str| {
        if markdown {
            format!("{} {text}\n\n", "#".repeat(level))
        } else if level == 1 {
            format!("{text}\n{}\n\n", "=".repeat(text.chars().count()))
        } else {
            format!("{text}\n{}\n", "-".repeat(text.chars().count()))
        }
    };
    let code = |lang: &str, text: &str| {
        if markdown {
            let fence = if text.contains("```") { "````" } else { "```" };
            format!("{fence}{lang}\n{}\n{fence}\n\n", text.trim_end())
        } else {
            let body: Vec<String> = text
                .trim_end()
                .lines()
                .map(|l| format!("    {l}"))
                .collect();
            format!("{}\n\n", body.join("\n"))
        }
    };
    out.push_str(&h(1, &format!("{} ({})", rb.title, rb.name)));
    out.push_str(&format!("{}\n\n", rb.summary));
    out.push_str(&format!(
        "Run it: `{}`  (metric profile: {})\n\n",
        rb.command,
        profile.name()
    ));
    for (i, s) in rb.steps.iter().enumerate() {
        out.push_str(&h(2, &format!("{}. {} [{}]", i + 1, s.title, s.id)));
        out.push_str(&format!("{}\n\n", s.about));
        for (name, q) in &s.queries {
            if let Some(t) = q.for_profile(profile) {
                out.push_str(&format!("Query `{name}`:\n\n"));
                out.push_str(&code("promql", t));
            }
        }
        if let Some(by_hand) = &s.by_hand {
            out.push_str("By hand, as the runbook was written:\n\n");
            out.push_str(&code("sh", by_hand));
        }
    }
    if !rb.thresholds.is_empty() {
        out.push_str(&h(2, "Thresholds"));
        for (k, t) in &rb.thresholds {
            out.push_str(&format!("- `{k}` = {}: {}\n", t.value, t.about));
        }
        out.push('\n');
    }
    if !rb.findings.is_empty() {
        out.push_str(&h(2, "Findings"));
        for (k, f) in &rb.findings {
            out.push_str(&format!(
                "- `{k}`: {} (`tracectl explain {k}`)\n",
                f.summary
            ));
        }
        out.push('\n');
    }
    if !rb.alerts.is_empty() {
        out.push_str(&h(2, "Alerts it answers"));
        for a in &rb.alerts {
            let m: Vec<String> = a
                .matchers
                .iter()
                .map(|(k, v)| format!("{k}=~\"{v}\""))
                .collect();
            let ns = a
                .namespace_label
                .as_ref()
                .map(|l| format!(", namespace from label `{l}`"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- {{{}}} → service from label `{}`{ns}\n",
                m.join(", "),
                a.service_label
            ));
        }
        out.push('\n');
    }
    out
}
