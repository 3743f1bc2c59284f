//! Renderers: a [`Report`] turned into the text a human or a CI pipeline reads — the on-call table,
//! the contract's JSON, Markdown for an incident ticket, JUnit XML for CI — plus the stderr
//! progress lines shown while steps run.
//!
//! Renderers are pure: they return a `String` and the caller prints it, so every byte of stdout
//! comes from here and can be tested without a terminal. They never detect a terminal themselves
//! ([`color_enabled`] and [`RenderOptions::width`] are decided by the caller), never read the
//! clock, and never change the report. Not here: the report's shape and ranking
//! (`crate::report`), when to show progress (the command layer). Tests: at the bottom of each file,
//! on the hand-made report in [`tests::sample_report`].

pub mod docs;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod plan;
pub mod progress;
pub mod summary;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::error::UsageError;
use crate::report::{Finding, Report, Safety, Severity, StepStatus, Subject};

pub use progress::Progress;

/// How a report is printed (`-o, --output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// A diagnosis line and tables, for a human at a terminal.
    Table,
    /// The `tracectl.report/v1` JSON document, for scripts.
    Json,
    /// Markdown to paste into an incident ticket.
    Markdown,
    /// JUnit XML, for CI test reports (`check`).
    Junit,
}

impl OutputFormat {
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Junit => "junit",
        }
    }
}

/// The usage error (exit 2) for a format a command does not print, naming the ones it does: a
/// command refuses a format rather than fall back to another one silently.
pub fn unsupported(format: OutputFormat, what: &str, supported: &[OutputFormat]) -> UsageError {
    let names: Vec<&str> = supported.iter().map(|f| f.name()).collect();
    UsageError::with_hint(
        format!("{what} cannot be printed as {}", format.name()),
        format!("use -o {}", names.join(" or -o ")),
    )
}

/// When to use colour (`--color`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, clap::ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    /// Colour when the stream is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour, even when `NO_COLOR` is set.
    Always,
    /// Never colour.
    Never,
}

/// What a renderer needs to know about where its text goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colour and bold. When false, the output contains no escape codes at all.
    pub color: bool,
    /// The terminal width; `None` (not a terminal) means [`DEFAULT_WIDTH`], so piped output and
    /// tests are deterministic.
    pub width: Option<u16>,
}

/// The table width when the caller knows no terminal width.
pub const DEFAULT_WIDTH: u16 = 120;

/// Render `report` in `format`. The caller writes the result to stdout as-is (it ends with a
/// newline).
pub fn render(report: &Report, format: OutputFormat, opts: &RenderOptions) -> String {
    match format {
        OutputFormat::Table => table::render_table(report, opts),
        OutputFormat::Json => json::render_json(report),
        OutputFormat::Markdown => markdown::render_markdown(report),
        OutputFormat::Junit => junit::render_junit(&format!("tracectl {}", report.command), report),
    }
}

/// The last guard before text leaves tracectl (stdout, an MCP result): every known secret value
/// of four characters or more becomes `***`, should one have slipped into a finding or an error.
pub fn scrub(mut text: String, secrets: &[String]) -> String {
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(s.as_str(), "***");
    }
    text
}

/// Whether to colour a stream, following <https://no-color.org>: `NO_COLOR` (set and non-empty;
/// the caller checks that) turns colour off by default, and an explicit `--color always` still
/// wins because the user asked for it on this very command line.
pub fn color_enabled(when: ColorChoice, stream_is_tty: bool, no_color_env: bool) -> bool {
    match when {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stream_is_tty && !no_color_env,
    }
}

// ---- Shared wording, so every format says the same thing the same way. ----

/// The findings that get a detailed block: the top three, plus every further warning or
/// critical one, at most five in all, in rank order. Three is what fits on one screen at 3 a.m.;
/// a sixth critical finding is still in the findings table.
pub(crate) fn detailed_findings(report: &Report) -> impl Iterator<Item = &Finding> {
    report
        .findings
        .iter()
        .enumerate()
        .filter(|(i, f)| *i < 3 || f.severity >= Severity::Warning)
        .map(|(_, f)| f)
        .take(5)
}

/// A subject on one line: `checkout: GET /pay → postgres (pod checkout-7d9f, cpu)`. The
/// `service: operation` form is the one the Jaeger UI uses.
pub(crate) fn subject_compact(s: &Subject) -> String {
    let mut out = String::new();
    if let Some(service) = &s.service {
        out.push_str(service);
    }
    if let Some(op) = &s.operation {
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(op);
    }
    if let Some(dep) = &s.dependency {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str("→ ");
        out.push_str(dep);
    }
    let extra: Vec<String> = [
        s.pod.as_ref().map(|p| format!("pod {p}")),
        s.resource.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !extra.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("({})", extra.join(", ")));
    }
    if out.is_empty() {
        out.push('—');
    }
    out
}

/// How safe a remediation is, in words (never by colour alone).
pub(crate) fn safety_label(s: Safety) -> &'static str {
    match s {
        Safety::Safe => "safe",
        Safety::NeedsCare => "needs care",
        Safety::AdviceOnly => "advice only",
    }
}

/// The contract's spelling of a step status.
pub(crate) fn status_label(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Ok => "ok",
        StepStatus::Warning => "warning",
        StepStatus::Failed => "failed",
        StepStatus::Skipped => "skipped",
    }
}

/// `120 ms` below a second, `1.2 s` above: what a human compares at a glance.
pub(crate) use crate::report::units::duration_ms as format_duration_ms;

pub(crate) use crate::report::units::strip_controls;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{Evidence, Remediation, Step, Target};

    /// The report every renderer test uses: three findings (critical, warning, info), four steps
    /// (ok, warning, failed, skipped), and text that needs escaping in every format.
    pub(crate) fn sample_report() -> Report {
        let findings = vec![
            Finding::new(
                "slow_dependency",
                Severity::Critical,
                0.92,
                Subject::service("checkout").with_dependency("postgres"),
                "postgres calls make up 81% of checkout's p95",
            )
            .detail("p95 of checkout is 2.31 s; 1.87 s of it is spent in postgres.")
            .evidence(Evidence {
                source: "prometheus".into(),
                query: Some(
                    "histogram_quantile(0.95, sum by (le) (rate(db_seconds_bucket{service=\"checkout\"}[5m])))"
                        .into(),
                ),
                value: Some("2.31".into()),
                at: Some("2026-11-25T10:00:00Z".into()),
                link: Some("https://grafana.example/d/abc?var-service=checkout".into()),
                via: None,
            })
            .remediation(Remediation {
                title: "Roll back checkout to the previous revision".into(),
                command: Some("kubectl rollout undo deployment/checkout -n shop".into()),
                safety: Safety::NeedsCare,
            }),
            Finding::new(
                "cpu_throttling",
                Severity::Warning,
                0.61,
                Subject::service("checkout").with_pod("checkout-7d9f").with_resource("cpu"),
                "checkout pods are throttled | 40% of periods",
            )
            .detail("line one\nline two with `backticks` & <angle>")
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some("sum(rate(x{a=~\"b|c\"}[5m])) `odd`".into()),
                value: Some("0.4".into()),
                at: None,
                link: None,
                via: None,
            })
            .remediation(Remediation {
                title: "Raise the CPU limit".into(),
                command: None,
                safety: Safety::AdviceOnly,
            }),
            Finding::new(
                "recent_deployment",
                Severity::Info,
                0.2,
                Subject::service("checkout").with_operation("POST /pay"),
                "checkout was deployed 20 min before the spike",
            )
            .remediation(Remediation {
                title: "Scale up".into(),
                command: Some("kubectl scale deployment/checkout --replicas=6".into()),
                safety: Safety::Safe,
            }),
        ];
        let mut report = Report::new(
            "investigate latency",
            Target {
                service: Some("checkout".into()),
                operation: None,
            },
            "2026-11-25T10:00:00Z".into(),
            "1h".into(),
        );
        let step = |id: &str, title: &str, status, ms, error: Option<&str>| Step {
            id: id.into(),
            title: title.into(),
            status,
            duration_ms: ms,
            error: error.map(Into::into),
            queries: vec![],
        };
        report.steps = vec![
            step(
                "affected-services",
                "Identify the affected service",
                StepStatus::Ok,
                120,
                None,
            ),
            step(
                "resources",
                "Check CPU and memory",
                StepStatus::Warning,
                1500,
                None,
            ),
            step(
                "traces",
                "Find the slow spans",
                StepStatus::Failed,
                10_000,
                Some("jaeger: timeout after 10s <http://jaeger:16686> & \"retry\"\u{1b}[31m"),
            ),
            step(
                "deployments",
                "Recent deployments",
                StepStatus::Skipped,
                0,
                None,
            ),
        ];
        report.finish(findings);
        report
    }

    #[test]
    fn color_follows_no_color_org() {
        use ColorChoice::*;
        assert!(color_enabled(Auto, true, false));
        assert!(!color_enabled(Auto, true, true), "NO_COLOR disables auto");
        assert!(!color_enabled(Auto, false, false), "not a terminal");
        assert!(
            color_enabled(Always, false, true),
            "explicit --color always overrides NO_COLOR"
        );
        assert!(!color_enabled(Never, true, false));
    }

    #[test]
    fn subject_is_compact() {
        let s = Subject::service("checkout").with_dependency("postgres");
        assert_eq!(subject_compact(&s), "checkout → postgres");
        let s = Subject::service("checkout")
            .with_operation("GET /pay")
            .with_pod("p-1")
            .with_resource("cpu");
        assert_eq!(subject_compact(&s), "checkout: GET /pay (pod p-1, cpu)");
        assert_eq!(subject_compact(&Subject::default()), "—");
    }

    #[test]
    fn detailed_findings_are_top_three_or_warnings_up_to_five() {
        let mut r = sample_report();
        assert_eq!(detailed_findings(&r).count(), 3);
        let f = r.findings[0].clone();
        r.findings = vec![f; 7];
        assert_eq!(detailed_findings(&r).count(), 5);
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(format_duration_ms(120), "120 ms");
        assert_eq!(format_duration_ms(1500), "1.5 s");
    }

    #[test]
    fn output_format_names_match_the_contract() {
        use clap::ValueEnum;
        let names: Vec<_> = OutputFormat::value_variants()
            .iter()
            .map(|v| v.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(names, ["table", "json", "markdown", "junit"]);
        for f in OutputFormat::value_variants() {
            assert_eq!(f.to_possible_value().unwrap().get_name(), f.name());
        }
        assert_eq!(
            serde_json::to_string(&OutputFormat::Junit).unwrap(),
            "\"junit\""
        );
    }
}
