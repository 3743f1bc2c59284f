//! Which log lines are errors: the level a line states (JSON, logfmt, klog, a level word), or,
//! when it states none, whether it reads as one (`panic:`, a traceback, an exception). Also the
//! logfmt reader the templates use. Pure; tests in `tests.rs`.

use super::{TRACEBACK, is_exception_header};

/// Level names that mean an error (lower case).
const ERROR_LEVELS: &[&str] = &[
    "error",
    "err",
    "fatal",
    "critical",
    "crit",
    "panic",
    "alert",
    "emerg",
    "emergency",
    "severe",
];
const OTHER_LEVELS: &[&str] = &[
    "info",
    "information",
    "warn",
    "warning",
    "debug",
    "trace",
    "notice",
    "verbose",
    "fine",
    "finer",
    "finest",
    "config",
];

fn level_word(word: &str) -> Option<bool> {
    let w = word.to_ascii_lowercase();
    if ERROR_LEVELS.contains(&w.as_str()) {
        Some(true)
    } else if OTHER_LEVELS.contains(&w.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// Is this log line at error level (or, when it names no level, does it look like an error)?
pub fn is_error_line(line: &str) -> bool {
    match explicit_level(line) {
        Some(is_error) => is_error,
        None => looks_like_error(line),
    }
}

/// The level the line states, as "is it an error"; `None` when it states none.
fn explicit_level(line: &str) -> Option<bool> {
    let line = line.trim_start();
    if line.starts_with('{')
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str(line)
    {
        for key in [
            "level",
            "lvl",
            "severity",
            "log.level",
            "levelname",
            "loglevel",
            "@l",
            "severity_text",
        ] {
            match map.get(key) {
                Some(serde_json::Value::String(s)) => {
                    if let Some(e) = level_word(s) {
                        return Some(e);
                    }
                }
                // pino and bunyan: 50 is error, 60 fatal.
                Some(serde_json::Value::Number(n)) => {
                    return n.as_f64().map(|n| n >= 50.0);
                }
                _ => {}
            }
        }
        return None;
    }
    if let Some(v) = logfmt_value(line, &["level", "lvl", "severity"])
        && let Some(e) = level_word(&v)
    {
        return Some(e);
    }
    if let Some(c) = klog_level(line) {
        return Some(c == 'E' || c == 'F');
    }
    // A level word among the first few tokens: `2026-11-25 09:58:01 ERROR ...`, `[error] ...`,
    // `ERROR:root:...`. Only upper-case words count past the first token, so that a message
    // such as "retrying after error" is not taken for a level.
    for (i, token) in line.split_whitespace().take(5).enumerate() {
        let bracketed = token.starts_with('[') || token.starts_with('<');
        let word = token
            .trim_matches(|c: char| "[]()<>:,|".contains(c))
            .split(':')
            .next()
            .unwrap_or("");
        let upper = !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase());
        if (i == 0 || upper || bracketed)
            && let Some(e) = level_word(word)
        {
            return Some(e);
        }
    }
    None
}

/// klog's `E1125 09:58:01.123456    1 file.go:12] msg`: the level letter, then MMDD and a time.
pub(super) fn klog_level(line: &str) -> Option<char> {
    let b = line.as_bytes();
    (b.len() > 14
        && b"IWEF".contains(&b[0])
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b' '
        && b[6..8].iter().all(u8::is_ascii_digit)
        && b[8] == b':')
        .then(|| b[0] as char)
}

/// A line without a stated level that still reads as an error.
fn looks_like_error(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("panic: ")
        || t.starts_with("fatal error: ")
        || t.starts_with(TRACEBACK)
        || is_exception_header(t)
    {
        return true;
    }
    t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| {
            matches!(w, "ERROR" | "FATAL" | "CRITICAL" | "PANIC")
                || (w.len() > "Exception".len() && w.ends_with("Exception"))
                || w == "Exception"
        })
}

/// The value of the first of `keys` in a logfmt line (`level=error msg="a b" err=x`).
pub(super) fn logfmt_value(line: &str, keys: &[&str]) -> Option<String> {
    let pairs = logfmt_pairs(line);
    keys.iter()
        .find_map(|k| pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()))
}

/// The `key=value` pairs of a logfmt line; quoted values are unquoted (`\"` unescaped).
pub(super) fn logfmt_pairs(line: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        let key_start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || "_.-@".contains(chars[i])) {
            i += 1;
        }
        if i == key_start || i >= chars.len() || chars[i] != '=' {
            // Not a pair: skip the token.
            while i < chars.len() && chars[i] != ' ' {
                i += 1;
            }
            continue;
        }
        let key: String = chars[key_start..i].iter().collect();
        i += 1;
        let mut value = String::new();
        if i < chars.len() && chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                value.push(chars[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < chars.len() && chars[i] != ' ' {
                value.push(chars[i]);
                i += 1;
            }
        }
        out.push((key, value));
    }
    out
}
