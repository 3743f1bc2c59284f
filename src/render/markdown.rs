//! The Markdown report (`-o markdown`): ready to paste into an incident ticket (GitHub, GitLab,
//! anything CommonMark/GFM). The diagnosis, what was looked at, a findings table, a section per
//! finding worth reading (evidence with its queries in code, remediation commands in `sh` blocks),
//! and the steps table.
//!
//! Everything that comes from the report is escaped: text can hold `|`, `*`, `<`, newlines or
//! backticks (PromQL label matchers, shell command substitution) and must not break the table or
//! turn into markup. Code uses a fence longer than any backtick run inside it, as CommonMark
//! prescribes. Deterministic: no clock, no terminal. Not here: HTML, colour. Tests: below.

use std::fmt::Write as _;

use super::{
    detailed_findings, format_duration_ms, safety_label, status_label, strip_controls,
    subject_compact,
};
use crate::report::{Finding, Report};

/// Render the report as Markdown. Ends with a newline.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    // `writeln!` into a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(out, "## Diagnosis\n");
    let _ = writeln!(out, "**{}**\n", inline(&report.diagnosis));
    let t = &report.target;
    let _ = writeln!(
        out,
        "**Command:** {} · **Service:** {} · **Operation:** {} · **At:** {} · **Lookback:** {}\n",
        code(&format!("tracectl {}", report.command)),
        t.service.as_deref().map_or("—".to_string(), code),
        t.operation.as_deref().map_or("—".to_string(), code),
        inline(&report.at),
        inline(&report.lookback),
    );

    let _ = writeln!(out, "### Findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(out, "No findings.\n");
    } else {
        let _ = writeln!(out, "| # | severity | kind | subject | title | score |");
        let _ = writeln!(out, "| ---: | --- | --- | --- | --- | ---: |");
        for f in &report.findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.2} |",
                f.rank,
                f.severity.as_str(),
                cell_code(&f.kind),
                cell(&subject_compact(&f.subject)),
                cell(&f.title),
                f.score
            );
        }
        out.push('\n');
        for f in detailed_findings(report) {
            finding_section(&mut out, f);
        }
    }

    let _ = writeln!(out, "### Steps\n");
    if report.steps.is_empty() {
        let _ = writeln!(out, "No steps ran.");
    } else {
        let _ = writeln!(out, "| step | title | status | duration | error |");
        let _ = writeln!(out, "| --- | --- | --- | ---: | --- |");
        for s in &report.steps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell_code(&s.id),
                cell(&s.title),
                status_label(s.status),
                format_duration_ms(s.duration_ms),
                cell(s.error.as_deref().unwrap_or("")),
            );
        }
    }
    if !report.reached.is_empty() {
        // Which way each backend was reached (issue #17).
        let _ = writeln!(out, "\n### Backends reached\n");
        for (backend, how) in &report.reached {
            let _ = writeln!(
                out,
                "- {}: {}",
                inline(backend),
                inline(&crate::report::reached::in_words(how))
            );
        }
    }
    out
}

fn finding_section(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "#### {}. {}\n", f.rank, inline(&f.title));
    let _ = writeln!(
        out,
        "**{}** · {} · {} · score {:.2}\n",
        f.severity.as_str(),
        code(&f.kind),
        inline(&subject_compact(&f.subject)),
        f.score
    );
    if !f.detail.trim().is_empty() {
        let _ = writeln!(out, "{}\n", paragraph(&f.detail));
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "Evidence:\n");
        for e in &f.evidence {
            let mut line = format!("- {}", inline(&e.source));
            if let Some(q) = &e.query {
                let _ = write!(line, ": {}", code(q));
            }
            if let Some(v) = &e.value {
                let _ = write!(line, " = {}", code(v));
            }
            if let Some(at) = &e.at {
                let _ = write!(line, " (at {})", inline(at));
            }
            if let Some(via) = e
                .via
                .as_deref()
                .filter(|v| crate::report::reached::is_proxy(v))
            {
                let _ = write!(line, " (via {})", inline(via));
            }
            if let Some(link) = &e.link {
                let _ = write!(line, " ([link](<{}>))", link_destination(link));
            }
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    if !f.remediation.is_empty() {
        let _ = writeln!(out, "Remediation:\n");
        for r in &f.remediation {
            let _ = writeln!(
                out,
                "- \\[{}\\] {}",
                safety_label(r.safety),
                inline(&r.title)
            );
            if let Some(cmd) = &r.command {
                // Indented by two spaces so the block belongs to the list item.
                let _ = writeln!(out, "\n{}", fenced(cmd, "sh", "  "));
            }
        }
        out.push('\n');
    }
}

/// Characters that could start inline markup (emphasis, code, links, HTML, entities, GFM
/// strikethrough and table pipes). Backslash-escaping any ASCII punctuation is valid CommonMark
/// and renders as the character itself, so over-escaping is harmless.
const MARKUP: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '&', '~'];

/// Text on one line: markup escaped, line breaks become spaces.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_controls(s).chars() {
        match c {
            '\r' => {}
            '\n' => out.push(' '),
            c if MARKUP.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text in a table cell: like [`inline`] (which escapes `|`, the one character a GFM table cell
/// cannot hold raw), but line breaks become `<br>`, which GitHub and GitLab render in cells.
fn cell(s: &str) -> String {
    s.lines().map(inline).collect::<Vec<_>>().join("<br>")
}

/// Code in a table cell: GFM splits rows on `|` before parsing code spans, so it must be escaped
/// even inside backticks (the escape is removed when rendering).
fn cell_code(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A paragraph that may span lines: each line escaped as [`inline`], and a line start that would
/// open a block (a list, a heading underline, an indented code block) neutralised.
fn paragraph(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let escaped = inline(l);
            let digits = escaped.chars().take_while(char::is_ascii_digit).count();
            let after_digits = escaped[digits..].chars().next();
            if escaped.starts_with(['-', '+', '=']) {
                format!("\\{escaped}")
            } else if digits > 0 && matches!(after_digits, Some('.' | ')')) {
                format!("{}\\{}", &escaped[..digits], &escaped[digits..])
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An inline code span. CommonMark: the delimiter is a backtick run that does not occur inside,
/// and a space pads content that starts or ends with a backtick (one space each side is
/// stripped when rendering). Line breaks become spaces: a code span cannot hold one, and in
/// PromQL and shell a space means the same.
fn code(s: &str) -> String {
    let s = strip_controls(s).replace(['\r', '\n'], " ");
    let fence = "`".repeat(longest_backtick_run(&s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || (s.starts_with(' ') && s.ends_with(' '))
    {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A fenced code block, each line prefixed with `indent`. The fence is at least three backticks
/// and longer than any backtick run in the code, so no line of the code can close it.
fn fenced(s: &str, lang: &str, indent: &str) -> String {
    let s = strip_controls(s);
    let fence = "`".repeat((longest_backtick_run(&s) + 1).max(3));
    let mut out = format!("{indent}{fence}{lang}\n");
    for line in s.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out.push_str(indent);
    out.push_str(&fence);
    out
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A link destination inside `<…>`, which may not hold `<`, `>` or a line break; those are
/// percent-encoded (as a browser would), and spaces too so that every renderer keeps the link.
fn link_destination(url: &str) -> String {
    let mut out = String::new();
    for c in strip_controls(url).chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_report;

    #[test]
    fn structure_is_ticket_ready() {
        let out = render_markdown(&sample_report());
        assert!(out.starts_with("## Diagnosis\n\n**postgres calls make up 81% of checkout's p95"));
        assert!(out.contains("**At:** 2026-11-25T10:00:00Z · **Lookback:** 1h"));
        assert!(out.contains("| # | severity | kind | subject | title | score |"));
        assert!(out.contains("| 1 | critical | `slow_dependency` | checkout → postgres |"));
        assert!(out.contains("#### 1. postgres calls"));
        assert!(out.contains("- \\[needs care\\] Roll back checkout to the previous revision"));
        assert!(out.contains("  ```sh\n  kubectl rollout undo deployment/checkout -n shop\n  ```"));
        assert!(out.contains("([link](<https://grafana.example/d/abc?var-service=checkout>))"));
        assert!(out.contains("| `traces` | Find the slow spans | failed | 10.0 s |"));
        assert!(out.ends_with('\n'));
    }

    #[test]
    fn pipes_and_newlines_do_not_break_tables() {
        let out = render_markdown(&sample_report());
        assert!(out.contains("checkout pods are throttled \\| 40% of periods |"));
        // Every table row has the same number of unescaped pipes as its header.
        for line in out.lines().filter(|l| l.starts_with('|')) {
            let pipes = line.replace("\\|", "").matches('|').count();
            assert!(pipes == 7 || pipes == 6, "{pipes} in {line}");
        }
        assert_eq!(cell("a\nb|c"), "a<br>b\\|c");
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn backticks_get_a_longer_fence() {
        assert_eq!(code("up"), "`up`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a ``` b"), "````a ``` b````");
        assert_eq!(
            fenced("echo `date`\necho ok", "sh", ""),
            "```sh\necho `date`\necho ok\n```"
        );
        assert_eq!(fenced("a\n````", "sh", ""), "`````sh\na\n````\n`````");
        let out = render_markdown(&sample_report());
        assert!(
            out.contains("`` sum(rate(x{a=~\"b|c\"}[5m])) `odd` ``"),
            "{out}"
        );
    }

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(inline("a *b* <c> [d](e)"), "a \\*b\\* \\<c\\> \\[d\\](e)");
        assert_eq!(paragraph("x\n- y\n1. z\n---"), "x\n\\- y\n1\\. z\n\\---");
        let out = render_markdown(&sample_report());
        assert!(out.contains("line one\nline two with \\`backticks\\` \\& \\<angle\\>"));
        assert_eq!(link_destination("http://a/b c<d>"), "http://a/b%20c%3Cd%3E");
    }

    #[test]
    fn deterministic() {
        let r = sample_report();
        assert_eq!(render_markdown(&r), render_markdown(&r));
    }

    #[test]
    fn issue_17_how_each_backend_was_reached_is_listed() {
        let mut r = sample_report();
        let reached = std::collections::BTreeMap::from([(
            "prometheus".to_string(),
            "service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy"
                .to_string(),
        )]);
        crate::report::reached::mark(&mut r, &reached);
        let out = render_markdown(&r);
        assert!(
            out.ends_with(
                "### Backends reached\n\n- prometheus: through the API server's service proxy \
                 /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy\n"
            ),
            "{out}"
        );
        assert!(out.contains("(via service proxy /api/v1/"), "{out}");
    }
}
