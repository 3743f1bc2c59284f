//! TraceQL for Grafana Tempo's search: a [`TraceQuery`] becomes one spanset filter, with every
//! value the user or a runbook supplies escaped so it cannot change the query's structure.
//!
//! `{ resource.service.name = "checkout" && name = "GET /cart" && duration >= 1s }`: the service,
//! the operation, the duration bounds and each tag filter are conditions on the *same* span,
//! which is how Jaeger's search matches too. String literals escape `\`, `"` and control
//! characters (TraceQL unquotes them as Go does, `strconv.Unquote`); attribute names outside
//! `[A-Za-z0-9_.]` are written quoted (`."my key"`); durations and numbers are formatted here,
//! never pasted. Tags that Jaeger lifts out of the tag list map to TraceQL intrinsics
//! (`error=true` and `otel.status_code=ERROR` → `status = error`, `span.kind` → `kind`), since
//! Tempo stores them as span fields, not attributes. The TraceQL reference:
//! <https://grafana.com/docs/tempo/latest/traceql/>. Not here: sending it
//! (`crate::backends::traces::tempo`). Tests: below, including a property test that no value
//! changes the query's shape.

use std::fmt::Write as _;

use crate::model::trace::TraceQuery;

/// A TraceQL string literal, quotes included.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An unscoped attribute reference (span or resource, as Jaeger's tag search matches either):
/// `.http.method`, or `."odd key"` when the name holds anything but letters, digits, `_` and `.`.
pub fn attribute(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && !key.starts_with('.');
    if plain {
        format!(".{key}")
    } else {
        format!(".{}", string_literal(key))
    }
}

/// A TraceQL duration in the largest exact unit (`1s`, `250ms`, `90s`, `1h`): Go's syntax.
pub use crate::clock::go_duration as duration;

/// One tag filter as a condition. A value that reads as an integer or a boolean also matches
/// the typed attribute, since TraceQL compares types strictly and Jaeger compares text.
fn tag_condition(key: &str, value: &str) -> String {
    match (key, value.to_ascii_lowercase().as_str()) {
        ("error", "true") | ("otel.status_code", "error") => return "status = error".into(),
        ("otel.status_code", "ok") => return "status = ok".into(),
        ("span.kind", k @ ("server" | "client" | "producer" | "consumer" | "internal")) => {
            return format!("kind = {k}");
        }
        _ => {}
    }
    let attr = attribute(key);
    let text = format!("{attr} = {}", string_literal(value));
    if let Ok(n) = value.parse::<i64>() {
        format!("({text} || {attr} = {n})")
    } else if value == "true" || value == "false" {
        format!("({text} || {attr} = {value})")
    } else {
        text
    }
}

/// The search as one spanset filter; `{ }` matches every trace.
pub fn search(q: &TraceQuery) -> String {
    let mut conds = Vec::new();
    if !q.service.is_empty() {
        conds.push(format!(
            "resource.service.name = {}",
            string_literal(&q.service)
        ));
    }
    if let Some(op) = q.operation.as_deref().filter(|o| !o.is_empty()) {
        conds.push(format!("name = {}", string_literal(op)));
    }
    if let Some(d) = q.min_duration {
        conds.push(format!("duration >= {}", duration(d)));
    }
    if let Some(d) = q.max_duration {
        conds.push(format!("duration <= {}", duration(d)));
    }
    let mut tags: Vec<&(String, String)> = q.tags.iter().collect();
    // A fixed order keeps the request, and so a recorded bundle, stable.
    tags.sort();
    conds.extend(tags.iter().map(|(k, v)| tag_condition(k, v)));
    if conds.is_empty() {
        "{ }".into()
    } else {
        format!("{{ {} }}", conds.join(" && "))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use proptest::prelude::*;

    fn query(service: &str, op: Option<&str>, tags: &[(&str, &str)]) -> TraceQuery {
        TraceQuery {
            service: service.into(),
            operation: op.map(str::to_string),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            min_duration: Some(Duration::from_secs(1)),
            max_duration: None,
            start: jiff::Timestamp::UNIX_EPOCH,
            end: jiff::Timestamp::UNIX_EPOCH,
            limit: 20,
        }
    }

    /// A TraceQL lexer reduced to what matters here: the text outside string literals (each
    /// literal becomes `""`) and the literals' decoded values, as Go's `strconv.Unquote` reads them.
    fn split(q: &str) -> (String, Vec<String>) {
        let mut skeleton = String::new();
        let mut literals = Vec::new();
        let mut chars = q.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                skeleton.push(c);
                continue;
            }
            let mut lit = String::new();
            loop {
                match chars.next().expect("unterminated string literal") {
                    '"' => break,
                    '\\' => match chars.next().expect("dangling escape") {
                        'n' => lit.push('\n'),
                        'r' => lit.push('\r'),
                        't' => lit.push('\t'),
                        'u' => {
                            let hex: String = chars.by_ref().take(4).collect();
                            let n = u32::from_str_radix(&hex, 16).expect("\\u escape");
                            lit.push(char::from_u32(n).expect("scalar value"));
                        }
                        c => lit.push(c),
                    },
                    c if c.is_control() => panic!("raw control character in a literal"),
                    c => lit.push(c),
                }
            }
            skeleton.push_str("\"\"");
            literals.push(lit);
        }
        (skeleton, literals)
    }

    #[test]
    fn a_search_is_one_spanset_filter() {
        assert_eq!(
            search(&query(
                "checkout",
                Some("GET /cart"),
                &[("http.method", "GET")]
            )),
            r#"{ resource.service.name = "checkout" && name = "GET /cart" && duration >= 1s && .http.method = "GET" }"#
        );
        let mut all = query("", None, &[]);
        all.min_duration = None;
        assert_eq!(search(&all), "{ }");
    }

    #[test]
    fn lifted_tags_become_intrinsics_and_numbers_match_both_types() {
        let q = query(
            "s",
            None,
            &[
                ("error", "true"),
                ("http.status_code", "500"),
                ("span.kind", "server"),
            ],
        );
        assert_eq!(
            search(&q),
            r#"{ resource.service.name = "s" && duration >= 1s && status = error && (.http.status_code = "500" || .http.status_code = 500) && kind = server }"#
        );
        assert_eq!(
            search(&query("s", None, &[("otel.status_code", "ERROR")])),
            r#"{ resource.service.name = "s" && duration >= 1s && status = error }"#
        );
    }

    #[test]
    fn hostile_values_stay_inside_their_literals() {
        let evil = "x\" || true } | { \\\"\n";
        let q = search(&query(evil, Some(evil), &[("my key\"", evil)]));
        let (skeleton, literals) = split(&q);
        assert_eq!(
            skeleton,
            r#"{ resource.service.name = "" && name = "" && duration >= 1s && ."" = "" }"#
        );
        assert_eq!(literals, vec![evil, evil, "my key\"", evil]);
        assert_eq!(attribute("http.method"), ".http.method");
        assert_eq!(attribute(".x"), r#".".x""#);
        assert_eq!(duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(duration(Duration::from_secs(120)), "2m");
    }

    proptest! {
        /// No service, operation, tag key or tag value can change the query's structure: the
        /// text outside literals is that of a query with plain values, and each literal decodes
        /// back to the value given.
        #[test]
        fn no_value_changes_the_query_structure(
            service in "\\PC*|.*",
            op in ".*",
            key in "[a-z]{1,3}[\\PC\"\\\\ ]{0,6}",
            value in "\\PC*|[\"\\\\\\n\\r\\t\\x00-\\x1f{}|&]*",
        ) {
            prop_assume!(!service.is_empty() && !op.is_empty());
            prop_assume!(!matches!(key.as_str(), "error" | "otel.status_code" | "span.kind"));
            let q = search(&query(&service, Some(&op), &[(&key, &value)]));
            let (skeleton, literals) = split(&q);
            let quoted_key = attribute(&key).starts_with(".\"");
            let plain = search(&query("s", Some("o"), &[(&key, "v")]));
            let (want, _) = split(&plain);
            let numeric = value.parse::<i64>().is_ok() || value == "true" || value == "false";
            prop_assume!(!numeric);
            prop_assert_eq!(skeleton, want);
            let mut expected = vec![service.clone(), op.clone()];
            if quoted_key {
                expected.push(key.clone());
            }
            expected.push(value.clone());
            prop_assert_eq!(literals, expected);
        }
    }
}
