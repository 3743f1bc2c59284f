//! Pod logs as evidence: which lines are errors, and which of them are the same error.
//!
//! [`summarize`] takes the raw text of each pod's log (as the Kubernetes API returns it with
//! `timestamps=true`) and returns the error-level records grouped into templates, most frequent
//! first. A *record* is one log line plus the lines that continue it (a Java or Python stack trace,
//! a Go panic's goroutine dump), so a 40-line stack trace is one error, not 40; a record is an
//! error when its level says so (JSON `"level":"error"`, logfmt `level=error`, klog `E1125`, a
//! level word such as `ERROR`/`FATAL`) or, when it names no level, when it looks like one (`panic:`,
//! a `Traceback`, an `...Exception`). A *template* is the record's message with what varies
//! between occurrences masked ([`mask`]): quoted values, timestamps, UUIDs, IPv4/IPv6 addresses,
//! e-mail addresses, hex IDs, numbers and IDs mixing letters and digits.
//!
//! Hand-written scanning, not regular expressions: every rule here is a small, separately tested
//! predicate over one token, which a reader can check against its test without decoding a
//! pattern, and a line is scanned once for all of them rather than once per pattern. Pure: no
//! I/O, no clock. Not here: reading the logs (`crate::investigate::errors`), or wording
//! findings (`analysis::errors`). Files: this one (records, stack traces, the summary),
//! `level.rs` (which lines are errors), `template.rs` (masking); tests in `logs/tests.rs`.
//! `drain.rs` (a Drain template miner over masked lines) and `shift.rs` (which templates of a
//! service changed per request between a baseline and now, as `localize::Shift` evidence);
//! their tests in `logs/drain_tests.rs`.

pub mod drain;
#[cfg(test)]
mod drain_tests;
mod level;
pub mod requests;
#[cfg(test)]
mod requests_tests;
pub mod shift;
mod template;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};

pub use level::is_error_line;
use level::{klog_level, logfmt_value};
pub use template::{grep_literal, mask, template};

/// Continuation lines kept with an example.
const MAX_STACK_LINES: usize = 8;

/// One group of error records that share a template.
#[derive(Debug, Clone, PartialEq)]
pub struct LogTemplate {
    pub template: String,
    pub count: usize,
    /// Pods it was seen in, sorted.
    pub pods: Vec<String>,
    /// The first occurrence, as logged (without the API's timestamp), and its pod.
    pub example: String,
    pub example_pod: String,
    /// The first lines of the example's stack trace, if it had one.
    pub stack: Vec<String>,
    /// Unix seconds of the first and last occurrence, from the API's timestamps.
    pub first_seen: Option<f64>,
    pub last_seen: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogSummary {
    /// Pods whose logs were read.
    pub pods: usize,
    /// Records read (a stack trace counts once).
    pub records: usize,
    pub error_records: usize,
    /// Most frequent first, then by template; at most the `top` asked for.
    pub templates: Vec<LogTemplate>,
}

/// One log record: a line and the lines that continue it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Unix seconds from the API's timestamp prefix, when there was one.
    pub at: Option<f64>,
    /// The first line, without the API's timestamp.
    pub line: String,
    /// Lines that continue it (stack frames, `Caused by:`, a goroutine dump).
    pub continuation: Vec<String>,
    /// What the record says went wrong: the first line, or for a Python traceback its final
    /// exception line.
    pub message: String,
}

impl Record {
    pub fn is_error(&self) -> bool {
        is_error_line(&self.line)
    }
}

/// Group the error records of each `(pod, log text)` into templates, the `top` most frequent.
pub fn summarize(logs: &[(String, String)], top: usize) -> LogSummary {
    struct Acc {
        count: usize,
        pods: BTreeSet<String>,
        example: (String, String, Vec<String>),
        first: Option<f64>,
        last: Option<f64>,
    }
    let mut acc: HashMap<String, Acc> = HashMap::new();
    let mut summary = LogSummary {
        pods: logs.len(),
        ..Default::default()
    };
    for (pod, text) in logs {
        for r in records(text) {
            summary.records += 1;
            if !r.is_error() {
                continue;
            }
            summary.error_records += 1;
            let t = template(&r.message);
            let a = acc.entry(t).or_insert_with(|| Acc {
                count: 0,
                pods: BTreeSet::new(),
                example: (
                    pod.clone(),
                    r.line.clone(),
                    r.continuation
                        .iter()
                        .take(MAX_STACK_LINES)
                        .cloned()
                        .collect(),
                ),
                first: None,
                last: None,
            });
            a.count += 1;
            a.pods.insert(pod.clone());
            if let Some(at) = r.at {
                a.first = Some(a.first.map_or(at, |f| f.min(at)));
                a.last = Some(a.last.map_or(at, |l| l.max(at)));
            }
        }
    }
    let mut out: Vec<(String, Acc)> = acc.into_iter().collect();
    // Count, then the template text: the same logs always give the same order.
    out.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
    out.truncate(top);
    summary.templates = out
        .into_iter()
        .map(|(template, a)| LogTemplate {
            template,
            count: a.count,
            pods: a.pods.into_iter().collect(),
            example: a.example.1,
            example_pod: a.example.0,
            stack: a.example.2,
            first_seen: a.first,
            last_seen: a.last,
        })
        .collect();
    summary
}

/// What kind of multi-line block the current record is, which decides what continues it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Block {
    Plain,
    /// A Go panic: everything up to a blank line or a new record is its goroutine dump.
    GoPanic,
    /// A Python traceback: indented frames, then one unindented exception line that ends it.
    Traceback,
}

pub(super) const TRACEBACK: &str = "Traceback (most recent call last)";

/// Split a log into records, joining continuation lines to the record they belong to.
pub fn records(text: &str) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let mut block = Block::Plain;
    // Whether the current traceback is the record itself (its exception line is then the
    // record's message) or follows a logged error line (whose message stays).
    let mut traceback_is_record = false;
    for raw in text.lines() {
        let (at, line) = split_api_timestamp(raw);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            block = Block::Plain;
            continue;
        }
        if let Some(cur) = out.last_mut() {
            // `logger.exception(...)`: the error line, then the traceback it logged.
            if block == Block::Plain && line.starts_with(TRACEBACK) && cur.is_error() {
                cur.continuation.push(line.to_string());
                block = Block::Traceback;
                traceback_is_record = false;
                continue;
            }
            if continues(line, block, cur) {
                if block == Block::Traceback && !starts_indented(line) {
                    // `ValueError: ...` after the frames says what went wrong, and ends it.
                    if traceback_is_record {
                        cur.message = line.to_string();
                    }
                    block = Block::Plain;
                }
                cur.continuation.push(line.to_string());
                continue;
            }
        }
        block = if line.starts_with("panic: ") || line.starts_with("fatal error: ") {
            Block::GoPanic
        } else if line.starts_with(TRACEBACK) {
            traceback_is_record = true;
            Block::Traceback
        } else {
            Block::Plain
        };
        out.push(Record {
            at,
            line: line.to_string(),
            continuation: Vec::new(),
            message: line.to_string(),
        });
    }
    out
}

fn starts_indented(line: &str) -> bool {
    line.starts_with(' ') || line.starts_with('\t')
}

/// Does `line` continue the record `cur` rather than start a new one?
fn continues(line: &str, block: Block, cur: &Record) -> bool {
    if starts_indented(line) {
        return true;
    }
    let t = line.trim_start();
    if t.starts_with("Caused by:") || t.starts_with("Suppressed:") {
        return true;
    }
    if t.starts_with("... ") && t.ends_with(" more") {
        return true;
    }
    match block {
        Block::GoPanic | Block::Traceback => !looks_like_record_start(line),
        // `java.lang.IllegalStateException: boom` on its own line after an error line is that
        // error's exception; after any other line it is a record of its own.
        Block::Plain => is_exception_header(line) && cur.is_error(),
    }
}

/// A line that can only be the start of a new log record: a JSON object, a timestamp, a klog
/// header or a logfmt level.
fn looks_like_record_start(line: &str) -> bool {
    line.starts_with('{')
        || starts_with_date(line)
        || klog_level(line).is_some()
        || logfmt_value(line, &["level", "lvl"]).is_some()
}

/// `java.lang.NullPointerException`, `com.example.PaymentError: declined`, `ValueError: x`:
/// a (qualified) class name ending in Exception, Error or Throwable, alone or before `: `.
pub(super) fn is_exception_header(line: &str) -> bool {
    let name = line
        .split(": ")
        .next()
        .unwrap_or(line)
        .trim_end_matches(':');
    !name.is_empty()
        && !name.contains(' ')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '$')
        && (name.ends_with("Exception") || name.ends_with("Error") || name.ends_with("Throwable"))
}

/// Split the RFC 3339 timestamp the API puts before each line with `timestamps=true`.
pub fn split_api_timestamp(line: &str) -> (Option<f64>, &str) {
    let Some((head, rest)) = line.split_once(' ') else {
        return (None, line);
    };
    if !(starts_with_date(head) && head.contains('T')) {
        return (None, line);
    }
    match head.parse::<jiff::Timestamp>() {
        Ok(t) => (
            Some(t.as_second() as f64 + f64::from(t.subsec_nanosecond()) / 1e9),
            rest,
        ),
        Err(_) => (None, line),
    }
}

pub(super) fn starts_with_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}
