//! The on-call view (`-o table`): the diagnosis first, then the ranked findings, a detail block
//! for the findings worth reading (evidence, remediation with its safety in words), then the
//! steps and what failed.
//!
//! Meaning is never carried by colour alone: severity, status and safety are written as text, and
//! colour only repeats them. With [`RenderOptions::color`] false the output contains no escape
//! code at all, and the width is fixed (given, or [`super::DEFAULT_WIDTH`]), so the text is
//! deterministic. Not here: deciding colour or width (the caller), other formats. Tests: below.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};

use super::{
    DEFAULT_WIDTH, RenderOptions, detailed_findings, format_duration_ms, safety_label,
    status_label, strip_controls, subject_compact,
};
use crate::report::{Finding, Report, Severity, StepStatus, reached};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Render the on-call view. Ends with a newline.
pub fn render_table(report: &Report, opts: &RenderOptions) -> String {
    let width = opts.width.unwrap_or(DEFAULT_WIDTH);
    let style = |s: &str, code: &str| paint(s, code, opts.color);
    let mut out = String::new();

    // `writeln!` into a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(out, "{}", style(&strip_controls(&report.diagnosis), BOLD));
    let _ = writeln!(out, "{}", strip_controls(&context_line(report)));
    out.push('\n');

    if report.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        let _ = writeln!(out, "{}", style("Findings", BOLD));
        let _ = writeln!(out, "{}", findings_table(report, opts.color, width));
        for f in detailed_findings(report) {
            out.push('\n');
            finding_block(&mut out, f, opts.color);
        }
    }

    if !report.steps.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style("Steps", BOLD));
        let _ = writeln!(out, "{}", steps_table(report, opts.color, width));
    }
    if !report.reached.is_empty() {
        // Which way each backend was reached (issue #17): a URL, or the API server's service
        // proxy when the kubeconfig was all there was. Not wrapped, so a path can be copied.
        out.push('\n');
        let _ = writeln!(out, "{}", style("Backends reached", BOLD));
        let pad = report.reached.keys().map(|k| k.len()).max().unwrap_or(0);
        for (backend, how) in &report.reached {
            let _ = writeln!(
                out,
                "  {backend:<pad$}  {}",
                strip_controls(&reached::in_words(how))
            );
        }
    }
    out
}

/// `investigate latency · service checkout · at … · lookback 1h`: what was looked at, so a pasted
/// screen is self-describing.
fn context_line(report: &Report) -> String {
    let mut parts = vec![report.command.clone()];
    if let Some(s) = &report.target.service {
        parts.push(format!("service {s}"));
    }
    if let Some(o) = &report.target.operation {
        parts.push(format!("operation {o}"));
    }
    parts.push(format!("at {}", report.at));
    parts.push(format!("lookback {}", report.lookback));
    parts.join(" · ")
}

fn new_table(color: bool, width: u16) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        // comfy-table would otherwise probe stdout for a tty (width and styling); the caller has
        // already decided both, and tests must not depend on where they run.
        .force_no_tty();
    if color {
        t.enforce_styling();
    }
    t
}

fn findings_table(report: &Report, color: bool, width: u16) -> Table {
    let mut t = new_table(color, width);
    t.set_header(["#", "severity", "kind", "subject", "title", "score"]);
    for f in &report.findings {
        t.add_row(vec![
            Cell::new(f.rank).set_alignment(CellAlignment::Right),
            severity_cell(f.severity),
            Cell::new(&f.kind),
            Cell::new(strip_controls(&subject_compact(&f.subject))),
            Cell::new(strip_controls(&f.title)),
            Cell::new(format!("{:.2}", f.score)).set_alignment(CellAlignment::Right),
        ]);
    }
    t
}

fn severity_cell(s: Severity) -> Cell {
    let cell = Cell::new(s.as_str());
    match s {
        Severity::Critical => cell.fg(Color::Red),
        Severity::Warning => cell.fg(Color::Yellow),
        Severity::Info => cell,
    }
}

fn steps_table(report: &Report, color: bool, width: u16) -> Table {
    let mut t = new_table(color, width);
    t.set_header(["step", "status", "duration", "error"]);
    for s in &report.steps {
        let status = Cell::new(status_label(s.status));
        let status = match s.status {
            StepStatus::Ok => status.fg(Color::Green),
            StepStatus::Warning => status.fg(Color::Yellow),
            StepStatus::Failed => status.fg(Color::Red),
            StepStatus::Skipped => status.fg(Color::DarkGrey),
        };
        t.add_row(vec![
            Cell::new(&s.id),
            status,
            Cell::new(format_duration_ms(s.duration_ms)).set_alignment(CellAlignment::Right),
            Cell::new(strip_controls(s.error.as_deref().unwrap_or(""))),
        ]);
    }
    t
}

/// One finding in full. Commands are not wrapped, so they can be copied as one line.
fn finding_block(out: &mut String, f: &Finding, color: bool) {
    let head = format!(
        "#{} {} {}  {}",
        f.rank,
        f.severity.as_str().to_uppercase(),
        f.kind,
        subject_compact(&f.subject)
    );
    let _ = writeln!(out, "{}", paint(&strip_controls(&head), BOLD, color));
    let _ = writeln!(out, "   {}", strip_controls(&f.title));
    for line in f.detail.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(out, "   {}", strip_controls(line));
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "   evidence:");
        for e in &f.evidence {
            let mut line = format!("     {}:", e.source);
            if let Some(q) = &e.query {
                // A multi-line query is still one query; one line keeps it copyable.
                let _ = write!(
                    line,
                    " {}",
                    q.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
            if let Some(v) = &e.value {
                let _ = write!(line, " = {v}");
            }
            if let Some(at) = &e.at {
                let _ = write!(line, " (at {at})");
            }
            if let Some(via) = e.via.as_deref().filter(|v| reached::is_proxy(v)) {
                let _ = write!(line, " (via {via})");
            }
            let _ = writeln!(out, "{}", strip_controls(&line));
            if let Some(link) = &e.link {
                let _ = writeln!(out, "       {}", paint(&strip_controls(link), DIM, color));
            }
        }
    }
    if !f.remediation.is_empty() {
        let _ = writeln!(out, "   remediation:");
        for r in &f.remediation {
            let _ = writeln!(
                out,
                "     [{}] {}",
                safety_label(r.safety),
                strip_controls(&r.title)
            );
            if let Some(cmd) = &r.command {
                for line in cmd.lines() {
                    let _ = writeln!(out, "       $ {}", strip_controls(line));
                }
            }
        }
    }
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{s}{RESET}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_report;

    fn plain() -> RenderOptions {
        RenderOptions {
            color: false,
            width: None,
        }
    }

    #[test]
    fn diagnosis_comes_first() {
        let r = sample_report();
        let out = render_table(&r, &plain());
        assert_eq!(out.lines().next().unwrap(), r.diagnosis);
        assert!(out.contains("investigate latency · service checkout · at 2026-11-25T10:00:00Z"));
    }

    #[test]
    fn findings_in_rank_order_with_words_for_safety() {
        let out = render_table(&sample_report(), &plain());
        let p1 = out.find("#1 CRITICAL slow_dependency").unwrap();
        let p2 = out.find("#2 WARNING cpu_throttling").unwrap();
        let p3 = out.find("#3 INFO recent_deployment").unwrap();
        assert!(p1 < p2 && p2 < p3);
        assert!(out.contains("[needs care] Roll back checkout"));
        assert!(out.contains("[advice only] Raise the CPU limit"));
        assert!(out.contains("[safe] Scale up"));
        assert!(out.contains("$ kubectl rollout undo deployment/checkout -n shop"));
        assert!(out.contains("checkout → postgres"));
        assert!(out.contains("https://grafana.example/d/abc?var-service=checkout"));
    }

    #[test]
    fn status_and_severity_are_text() {
        let out = render_table(&sample_report(), &plain());
        for word in ["critical", "warning", "info", "ok", "failed", "skipped"] {
            assert!(out.contains(word), "{word} missing");
        }
        assert!(out.contains("jaeger: timeout"));
        assert!(out.contains("10.0 s"));
    }

    #[test]
    fn no_colour_means_no_escape_codes() {
        // The sample's step error carries a raw ESC from a "backend": it must not get through.
        let out = render_table(&sample_report(), &plain());
        assert!(!out.contains('\x1b'), "{out}");
    }

    #[test]
    fn colour_is_only_added() {
        let out = render_table(
            &sample_report(),
            &RenderOptions {
                color: true,
                width: None,
            },
        );
        assert!(out.starts_with(BOLD));
        // The severity cell is coloured, and its word is still there.
        assert!(
            out.lines()
                .any(|l| l.contains(" critical ") && l.contains('\x1b'))
        );
    }

    /// The sample, with Prometheus reached through the service proxy and Jaeger at its URL.
    fn proxied() -> Report {
        let mut r = sample_report();
        let proxy =
            "service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy";
        let reached = std::collections::BTreeMap::from([
            ("prometheus".to_string(), proxy.to_string()),
            ("jaeger".to_string(), "url".to_string()),
        ]);
        crate::report::reached::mark(&mut r, &reached);
        r
    }

    #[test]
    fn issue_17_how_each_backend_was_reached_is_shown_without_colour_when_not_asked() {
        let out = render_table(&proxied(), &plain());
        assert!(!out.contains('\x1b'), "{out}");
        let tail = &out[out.find("Backends reached\n").expect("a footer")..];
        assert_eq!(
            tail,
            "Backends reached\n  jaeger      at its URL\n  prometheus  through the API server's \
             service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy\n"
        );
        // Each piece of evidence Prometheus gave says so; Jaeger's (a URL) adds nothing.
        let prom_lines: Vec<&str> = out
            .lines()
            .filter(|l| l.trim_start().starts_with("prometheus:"))
            .collect();
        assert!(!prom_lines.is_empty(), "{out}");
        for l in prom_lines {
            assert!(
                l.ends_with(
                    " (via service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy)"
                ),
                "{l}"
            );
        }
        assert!(!out.contains("(via url)"), "{out}");
        // With colour, the heading is bold and the words are the same.
        let coloured = render_table(
            &proxied(),
            &RenderOptions {
                color: true,
                width: None,
            },
        );
        assert!(coloured.contains(&format!("{BOLD}Backends reached{RESET}")));
        assert!(coloured.contains("  jaeger      at its URL\n"));
        // A report nothing was reached for (no backend configured) has no footer.
        assert!(!render_table(&sample_report(), &plain()).contains("Backends reached"));
    }

    #[test]
    fn width_is_respected_and_deterministic() {
        let r = sample_report();
        let opts = RenderOptions {
            color: false,
            width: Some(80),
        };
        let a = render_table(&r, &opts);
        assert_eq!(a, render_table(&r, &opts));
        for line in a.lines().filter(|l| l.starts_with(['┌', '│', '└', '╞'])) {
            assert!(line.chars().count() <= 80, "{line}");
        }
    }
}
