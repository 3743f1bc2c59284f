//! JUnit XML (`-o junit`, for `check` in CI): one `<testsuite>` per report, in the dialect that
//! GitLab, GitHub (dorny/test-reporter, mikepenz/action-junit-report) and Jenkins all read.
//!
//! The mapping: every step is a testcase (failed → `<error>`: the check could not run; skipped →
//! `<skipped/>`). Findings carry no step id, so each finding of severity warning or worse becomes
//! its own testcase, `<kind>: <subject>`, with a `<failure>` holding the detail, evidence and
//! remediation: a CI page then lists the problems themselves, not just the steps that found them.
//! Info findings are not test results and are left out. Not here: the exit code (`--fail-on`,
//! the command layer). Tests: below (escaping, counts, balanced tags).

use std::fmt::Write as _;

use super::{safety_label, subject_compact};
use crate::report::{Finding, Report, Severity, StepStatus};

/// Render the report as a JUnit XML document named `suite_name`. Ends with a newline.
pub fn render_junit(suite_name: &str, report: &Report) -> String {
    // `tracectl.investigate-latency`: tools split a classname at its last dot into package and
    // class (Jenkins groups by it), so the command's spaces become dashes, not dots.
    let classname = format!(
        "tracectl.{}",
        report
            .command
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
    );
    let problems: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();

    let tests = report.steps.len() + problems.len();
    let failures = problems.len();
    let errors = count(report, StepStatus::Failed);
    let skipped = count(report, StepStatus::Skipped);
    // The report has no wall-clock duration and steps run concurrently; the sum of the step
    // times is what these tools compute from the testcases anyway, so the numbers agree.
    let time = seconds(report.steps.iter().map(|s| s.duration_ms).sum());

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // `writeln!` into a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(
        out,
        "<testsuites name=\"{n}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" time=\"{time}\">",
        n = attr(suite_name),
    );
    let timestamp = timestamp(&report.at)
        .map(|t| format!(" timestamp=\"{t}\""))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{n}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" time=\"{time}\"{timestamp}>",
        n = attr(suite_name),
    );
    let _ = writeln!(out, "    <properties>");
    for (name, value) in [
        ("schema", report.schema.as_str()),
        ("command", report.command.as_str()),
        ("at", report.at.as_str()),
        ("lookback", report.lookback.as_str()),
        ("diagnosis", report.diagnosis.as_str()),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(value)
        );
    }
    let _ = writeln!(out, "    </properties>");

    for s in &report.steps {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
            attr(&classname),
            attr(&s.id),
            seconds(s.duration_ms)
        );
        match s.status {
            StepStatus::Ok | StepStatus::Warning => {
                let _ = writeln!(out, "{open}/>");
            }
            StepStatus::Skipped => {
                let _ = writeln!(out, "{open}>\n      <skipped/>\n    </testcase>");
            }
            StepStatus::Failed => {
                let error = s.error.as_deref().unwrap_or("step failed");
                let _ = writeln!(
                    out,
                    "{open}>\n      <error message=\"{}\" type=\"step-failed\">{}</error>\n    </testcase>",
                    attr(error),
                    text(&format!("{}: {error}", s.title))
                );
            }
        }
    }

    for f in problems {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0.000\">\n      \
             <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
            attr(&classname),
            attr(&format!("{}: {}", f.kind, subject_compact(&f.subject))),
            attr(&f.title),
            f.severity.as_str(),
            text(&failure_body(f)),
        );
    }

    let _ = writeln!(out, "  </testsuite>");
    let _ = writeln!(out, "</testsuites>");
    out
}

fn count(report: &Report, status: StepStatus) -> usize {
    report.steps.iter().filter(|s| s.status == status).count()
}

/// Seconds with millisecond precision, the unit JUnit's `time` attribute uses.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// The Ant JUnit schema's timestamp is an ISO 8601 date-time without an offset, and Jenkins
/// parses exactly that; the report's RFC 3339 time is converted to UTC in that form. A time that
/// does not parse is left out rather than written in a form some tool would reject.
fn timestamp(at: &str) -> Option<String> {
    let ts: jiff::Timestamp = at.parse().ok()?;
    Some(ts.strftime("%Y-%m-%dT%H:%M:%S").to_string())
}

/// What a CI page shows under a failed finding: everything needed to act without opening the
/// JSON.
fn failure_body(f: &Finding) -> String {
    let mut b = format!(
        "rank {} · {} · score {:.2}\n{}\n",
        f.rank,
        f.severity.as_str(),
        f.score,
        f.title
    );
    if !f.detail.is_empty() {
        let _ = writeln!(b, "\n{}", f.detail);
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(b, "\nEvidence:");
        for e in &f.evidence {
            let _ = write!(b, "- {}", e.source);
            if let Some(q) = &e.query {
                let _ = write!(b, ": {q}");
            }
            if let Some(v) = &e.value {
                let _ = write!(b, " = {v}");
            }
            if let Some(l) = &e.link {
                let _ = write!(b, " ({l})");
            }
            b.push('\n');
        }
    }
    if !f.remediation.is_empty() {
        let _ = writeln!(b, "\nRemediation:");
        for r in &f.remediation {
            let _ = writeln!(b, "- [{}] {}", safety_label(r.safety), r.title);
            if let Some(cmd) = &r.command {
                let _ = writeln!(b, "  $ {cmd}");
            }
        }
    }
    b
}

/// Whether XML 1.0 allows the character at all (§2.2 `Char`): tab, LF, CR, and everything from
/// U+0020 except U+FFFE and U+FFFF (a Rust `char` is never a surrogate). Not even `&#1;` may
/// name a forbidden one, so they are dropped.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= '\u{20}' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

// XML escaping is written here rather than taken from a crate: it is two dozen lines, and the
// project's dependencies have no XML writer.

/// Escape character data: the five predefined entities, forbidden characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| xml_allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value. As [`text`], and tab, LF and CR as character references: a parser
/// normalises them to spaces in attributes otherwise (XML 1.0 §3.3.3), and a multi-line error
/// message should stay multi-line.
fn attr(s: &str) -> String {
    text(s)
        .replace('\t', "&#9;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_report;

    /// A parse-level check without an XML crate: every start tag is closed in order, and no raw
    /// `&`, `<` or `>` appears outside of markup and entities.
    fn assert_well_formed(xml: &str) -> Vec<String> {
        let body = xml
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .expect("XML declaration");
        let mut stack: Vec<String> = Vec::new();
        let mut opened = Vec::new();
        let mut rest = body;
        while let Some(start) = rest.find('<') {
            let between = &rest[..start];
            assert!(!between.contains('>'), "raw > in {between:?}");
            for (i, _) in between.match_indices('&') {
                let ent = &between[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                        .iter()
                        .any(|e| ent.starts_with(e)),
                    "bare & in {between:?}"
                );
            }
            let end = start + rest[start..].find('>').expect("unclosed tag");
            let tag = &rest[start + 1..end];
            assert!(!tag.contains('<'), "< inside tag {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            } else {
                let name = tag
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string();
                opened.push(name.clone());
                if !tag.ends_with('/') {
                    stack.push(name);
                }
                // Attribute values are quoted and hold no raw quote.
                assert_eq!(tag.matches('"').count() % 2, 0, "odd quotes in {tag}");
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        opened
    }

    #[test]
    fn structure_and_counts() {
        let xml = render_junit("tracectl investigate latency", &sample_report());
        let tags = assert_well_formed(&xml);
        let n = |t: &str| tags.iter().filter(|x| *x == t).count();
        assert_eq!(n("testsuites"), 1);
        assert_eq!(n("testsuite"), 1);
        // 4 steps + 2 findings of severity warning or worse (the info one is left out).
        assert_eq!(n("testcase"), 6);
        assert_eq!(n("failure"), 2);
        assert_eq!(n("error"), 1);
        assert_eq!(n("skipped"), 1);
        assert!(xml.contains(
            "<testsuite name=\"tracectl investigate latency\" tests=\"6\" failures=\"2\" errors=\"1\" \
             skipped=\"1\" time=\"11.620\" timestamp=\"2026-11-25T10:00:00\">"
        ));
        assert!(xml.contains(
            "<testcase classname=\"tracectl.investigate-latency\" name=\"affected-services\" time=\"0.120\"/>"
        ));
        assert!(xml.contains("name=\"slow_dependency: checkout → postgres\""));
        assert!(xml.contains("type=\"critical\""));
        assert!(xml.contains("[needs care] Roll back checkout"));
        assert!(xml.contains("$ kubectl rollout undo deployment/checkout -n shop"));
    }

    #[test]
    fn escaping_of_attributes_and_text() {
        assert_eq!(
            text("a & b < c > d \" e ' f"),
            "a &amp; b &lt; c &gt; d &quot; e &apos; f"
        );
        assert_eq!(attr("x\ny\tz"), "x&#10;y&#9;z");
        // Forbidden in XML 1.0: dropped; allowed whitespace kept.
        assert_eq!(text("a\u{0}b\u{1b}c\u{FFFF}d\te\n"), "abcd\te\n");
        let xml = render_junit("s&<\"'", &sample_report());
        assert_well_formed(&xml);
        assert!(xml.contains("name=\"s&amp;&lt;&quot;&apos;\""));
        assert!(xml.contains(
            "message=\"jaeger: timeout after 10s &lt;http://jaeger:16686&gt; &amp; &quot;retry&quot;[31m\""
        ));
        assert!(!xml.contains('\u{1b}'));
        assert!(xml.contains("throttled | 40% of periods"));
    }

    #[test]
    fn unparsable_time_leaves_timestamp_out() {
        let mut r = sample_report();
        r.at = "yesterday".into();
        assert!(!render_junit("s", &r).contains("timestamp="));
        assert_eq!(
            timestamp("2026-11-25T12:00:00+02:00").as_deref(),
            Some("2026-11-25T10:00:00")
        );
    }

    #[test]
    fn empty_report_is_a_valid_empty_suite() {
        let mut r = sample_report();
        r.findings.clear();
        r.steps.clear();
        let xml = render_junit("s", &r);
        assert_well_formed(&xml);
        assert!(
            xml.contains("tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\"")
        );
    }
}
