//! `{{name}}` templates for the texts a runbook gives a human — remediation titles and the shell
//! commands or config snippets that go with them — the sibling of [`crate::promql`]'s renderer for
//! queries.
//!
//! A hole is `{{name}}` (the value as is, for prose and config snippets), `{{name|sh}}` (one shell
//! word: quoted with `'...'` when it holds anything but `[A-Za-z0-9-_./:=@,+]`), or `{{name|sq}}`
//! (for the inside of a `'...'` the template already opened, such as a URL: a `'` in the value
//! becomes `'\''`). Values are strings the analysis formatted (with [`crate::report::units`]); an
//! unknown name, filter or an unclosed hole is an error, never an empty string. Not here: PromQL
//! escaping (`crate::promql`). Tests: below.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Unknown(String, String),
    Unclosed,
    Filter(String),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Unknown(n, known) => {
                write!(f, "unknown variable {{{{{n}}}}} (given: {known})")
            }
            TextError::Unclosed => write!(f, "unclosed {{{{ in template"),
            TextError::Filter(x) => write!(f, "unknown filter |{x} (known: |sh, |sq)"),
        }
    }
}

impl std::error::Error for TextError {}

/// Quote a value for a shell command line when it needs it.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Hole → (name, filter), checking the filter.
fn hole(h: &str) -> Result<(&str, Option<&str>), TextError> {
    let (name, filter) = match h.split_once('|') {
        Some((n, f)) => (n.trim(), Some(f.trim())),
        None => (h.trim(), None),
    };
    match filter {
        None | Some("sh") | Some("sq") => Ok((name, filter)),
        Some(f) => Err(TextError::Filter(f.to_string())),
    }
}

/// Fill `template`'s holes from `vars`.
pub fn render(template: &str, vars: &[(&str, &str)]) -> Result<String, TextError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TextError::Unclosed)?;
        let (name, filter) = hole(&after[..end])?;
        let value = vars
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let known: Vec<&str> = vars.iter().map(|(n, _)| *n).collect();
                TextError::Unknown(name.to_string(), known.join(", "))
            })?;
        match filter {
            None => out.push_str(value),
            Some("sh") => out.push_str(&shell_word(value)),
            _ => out.push_str(&value.replace('\'', "'\\''")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The variables a template uses, for validating runbook files before anything runs.
pub fn variables(template: &str) -> Result<Vec<String>, TextError> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TextError::Unclosed)?;
        names.push(hole(&after[..end])?.0.to_string());
        rest = &after[end + 2..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("checkout"), "checkout");
        assert_eq!(shell_word("POST /orders"), "'POST /orders'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn holes_are_filled_and_quoted_by_filter() {
        let v = [("svc", "a b"), ("url", "http://x/it's")];
        assert_eq!(
            render(
                "Restart {{svc}}: kubectl rollout restart deployment/{{svc|sh}}",
                &v
            )
            .unwrap(),
            "Restart a b: kubectl rollout restart deployment/'a b'"
        );
        assert_eq!(
            render("curl -s '{{url|sq}}/_cat'", &v).unwrap(),
            "curl -s 'http://x/it'\\''s/_cat'"
        );
    }

    #[test]
    fn unknown_names_filters_and_unclosed_holes_are_errors() {
        assert!(matches!(render("{{x}}", &[]), Err(TextError::Unknown(..))));
        assert!(matches!(
            render("{{x|re}}", &[("x", "1")]),
            Err(TextError::Filter(_))
        ));
        assert_eq!(render("{{x", &[("x", "1")]), Err(TextError::Unclosed));
        assert_eq!(variables("a {{x|sh}} {{ y }}").unwrap(), vec!["x", "y"]);
    }
}
