//! `{{name}}` templates for PromQL (and anything else a runbook interpolates), with escaping.
//!
//! A template is text with `{{name}}` or `{{name|re}}` holes; nothing more (the day a runbook
//! needs logic, that logic belongs in Rust). Every value is a typed [`Value`]: a label value is
//! escaped as a PromQL string literal, so `"`, `\`, `}` or a newline in a service name cannot end
//! the string and change the query; `|re` first escapes RE2 metacharacters, for `=~` matchers;
//! durations and numbers are formatted by us, never pasted from input; a set of label values
//! (`Value::AnyOf`) is only ever an alternation of escaped values (or `.*`), so it needs `|re`. An unknown
//! name or an unclosed hole is an error, not an empty string. Tests: below (and the property test in
//! `tests/it/`).

use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A label value (service, operation, ...): always escaped.
    Label(String),
    Duration(Duration),
    /// Finite numbers print as the shortest decimal that reads back as the same `f64` (Rust's
    /// `Display`), so a bound computed here compares in Prometheus exactly as it does in Rust.
    Number(f64),
    /// A set of label values for an `=~` or `!~` matcher, rendered only through `|re`: each
    /// value's RE2 metacharacters escaped, joined by `|` (Prometheus anchors the whole regex, so
    /// `a|b` matches `a` or `b` and nothing else), then escaped as a string literal. `None` is
    /// every value (`.*`): the same template reads the whole fleet or only the named series. An
    /// empty list is the empty regex: `=~""` matches no service, `!~""` every one.
    AnyOf(Option<Vec<String>>),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown variable {{{{{0}}}}} (known: {1})")]
    Unknown(String, String),
    #[error("unclosed {{{{ in template")]
    Unclosed,
    #[error("unknown filter |{0} (only |re exists)")]
    Filter(String),
    #[error("{{{{{0}|re}}}} applies to label values only")]
    RegexOnNonLabel(String),
    #[error("{{{{{0}}}}} is a set of label values: write {{{{{0}|re}}}} in an =~ or !~ matcher")]
    SetWithoutRegex(String),
}

pub type Vars = BTreeMap<String, Value>;

/// Escape for the inside of a double-quoted PromQL string.
pub fn escape_label_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escape RE2 metacharacters so a value matches itself literally inside `=~`.
pub fn escape_regex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else if n == n.trunc() && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The series of the (rendered) query `q` whose label `label` is one of `values`, filtered after
/// `q`'s own aggregation (for a query whose template has no hole for it): `label_replace` marks
/// the matching series (a full-match RE2 of the escaped values), `and` keeps them. The values
/// are escaped like `{{x|re}}`; the label name must be one of the runbook's own label names.
/// The answer carries one extra label, `tracectl_pick`.
pub fn only(q: &str, label: &str, values: &[String]) -> String {
    let re = values
        .iter()
        .map(|v| escape_regex(v))
        .collect::<Vec<_>>()
        .join("|");
    format!(
        "label_replace(({q}), \"tracectl_pick\", \"1\", \"{label}\", \"{}\") and on (tracectl_pick) label_replace(vector(1), \"tracectl_pick\", \"1\", \"\", \"\")",
        escape_label_value(&format!("(?:{re})"))
    )
}

/// Escape one URL path segment (a service name, an index, a trace ID), so user input cannot add
/// path components or a query.
pub fn path_segment(s: &str) -> String {
    // url's form encoding is for queries; path segments need '/' and '?' escaped too, and spaces
    // as %20, which is what this does.
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if out == "." || out == ".." {
        // URL parsers (WHATWG, so the `url` crate and reqwest) read `%2E` as a dot and would still
        // resolve `%2E%2E` as "up one level". No spelling of a dot segment survives, so these two
        // values, never a real service, trace or index name, are escaped twice: the server sees a
        // literal `%2E%2E`, a name it does not have, and the path keeps its depth.
        return out.replace('.', "%252E");
    }
    out
}

pub fn render(template: &str, vars: &Vars) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let hole = after[..end].trim();
        let (name, filter) = match hole.split_once('|') {
            Some((n, f)) => (n.trim(), Some(f.trim())),
            None => (hole, None),
        };
        let value = vars.get(name).ok_or_else(|| {
            TemplateError::Unknown(
                name.to_string(),
                vars.keys().cloned().collect::<Vec<_>>().join(", "),
            )
        })?;
        let text = match (value, filter) {
            (Value::Label(s), None) => escape_label_value(s),
            (Value::Label(s), Some("re")) => escape_label_value(&escape_regex(s)),
            (Value::AnyOf(None), Some("re")) => ".*".to_string(),
            (Value::AnyOf(Some(v)), Some("re")) => escape_label_value(
                &v.iter()
                    .map(|x| escape_regex(x))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            (Value::AnyOf(_), None) => {
                return Err(TemplateError::SetWithoutRegex(name.to_string()));
            }
            (_, Some("re")) => return Err(TemplateError::RegexOnNonLabel(name.to_string())),
            (_, Some(f)) => return Err(TemplateError::Filter(f.to_string())),
            (Value::Duration(d), None) => crate::clock::format_duration(*d),
            (Value::Number(n), None) => format_number(*n),
        };
        out.push_str(&text);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The variables a template uses, for validating runbook files before anything runs.
pub fn variables(template: &str) -> Result<Vec<String>, TemplateError> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let hole = after[..end].trim();
        let name = hole.split('|').next().unwrap_or("").trim().to_string();
        if let Some(f) = hole.split('|').nth(1)
            && f.trim() != "re"
        {
            return Err(TemplateError::Filter(f.trim().to_string()));
        }
        names.push(name);
        rest = &after[end + 2..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, Value)]) -> Vars {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn label_values_cannot_break_out() {
        let v = vars(&[("service", Value::Label("x\"} or up{a=\"\\\n".into()))]);
        let q = render("up{service_name=\"{{service}}\"}", &v).unwrap();
        assert_eq!(q, "up{service_name=\"x\\\"} or up{a=\\\"\\\\\\n\"}");
        // The string literal is closed only once, by the template's own quote.
        let unescaped_quotes = q
            .match_indices('"')
            .filter(|(i, _)| !q[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped_quotes, 2);
    }

    #[test]
    fn regex_filter_escapes_metacharacters_then_quotes() {
        let v = vars(&[("service", Value::Label("a.b(c)\"".into()))]);
        assert_eq!(
            render("x{c=~\"{{ service|re }}.*\"}", &v).unwrap(),
            "x{c=~\"a\\\\.b\\\\(c\\\\)\\\".*\"}"
        );
    }

    #[test]
    fn a_set_of_values_is_an_escaped_alternation_or_everything() {
        let set = |v: Option<&[&str]>| {
            vars(&[(
                "s",
                Value::AnyOf(v.map(|v| v.iter().map(|x| x.to_string()).collect())),
            )])
        };
        assert_eq!(
            render("x{a=~\"{{s|re}}\"}", &set(Some(&["api", "a.b|c\""]))).unwrap(),
            "x{a=~\"api|a\\\\.b\\\\|c\\\"\"}"
        );
        assert_eq!(
            render("x{a=~\"{{s|re}}\"}", &set(None)).unwrap(),
            "x{a=~\".*\"}"
        );
        // None named: the empty regex, which no service name matches and every one escapes.
        assert_eq!(
            render("x{c!~\"{{s|re}}\"}", &set(Some(&[]))).unwrap(),
            "x{c!~\"\"}"
        );
        assert_eq!(
            render("{{s}}", &set(None)),
            Err(TemplateError::SetWithoutRegex("s".into()))
        );
    }

    #[test]
    fn numbers_read_back_as_the_same_float() {
        for n in [0.1 * 0.75, 0.5 * 1.25, 1e-7, 0.07500000000000001, 123.456] {
            let text = render("{{n}}", &vars(&[("n", Value::Number(n))])).unwrap();
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                n.to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn only_keeps_the_named_series_with_their_values_escaped() {
        let q = only("sum by (svc) (x)", "svc", &["a.b".into(), "c\"d".into()]);
        assert_eq!(
            q,
            "label_replace((sum by (svc) (x)), \"tracectl_pick\", \"1\", \"svc\", \"(?:a\\\\.b|c\\\"d)\") and on (tracectl_pick) label_replace(vector(1), \"tracectl_pick\", \"1\", \"\", \"\")"
        );
    }

    #[test]
    fn durations_and_numbers_are_formatted() {
        let v = vars(&[
            ("w", Value::Duration(Duration::from_secs(300))),
            ("q", Value::Number(0.95)),
            ("t", Value::Number(1.0)),
        ]);
        assert_eq!(
            render("h({{q}}, r[{{w}}]) > {{t}}", &v).unwrap(),
            "h(0.95, r[5m]) > 1"
        );
    }

    #[test]
    fn unknown_and_unclosed_are_errors() {
        assert!(matches!(
            render("{{nope}}", &Vars::new()),
            Err(TemplateError::Unknown(..))
        ));
        assert_eq!(render("{{x", &Vars::new()), Err(TemplateError::Unclosed));
        assert_eq!(variables("a{{x}} {{ y|re }}").unwrap(), vec!["x", "y"]);
        assert!(variables("{{x|shell}}").is_err());
    }
}
