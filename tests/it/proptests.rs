//! Input hardening as properties (proptest): what user input can become once it is put into a
//! PromQL query, an Elasticsearch index pattern, a URL path or a Kubernetes name; and "fuzz-lite"
//! — arbitrary bytes and text into every parser that reads outside data (the Prometheus text
//! format, Jaeger traces, a Collector config, a runbook, the config file), which must return,
//! never panic. The same parsers have cargo-fuzz targets in `fuzz/` (nightly; see the README's
//! development section); these run on stable in every `cargo test`.

use std::path::Path;

use proptest::prelude::*;
use tracectl::backends::elasticsearch::{
    JaegerIndex, jaeger_index_name, jaeger_index_pattern, valid_index_name, valid_index_pattern,
};
use tracectl::backends::kubernetes::{valid_label, valid_name};
use tracectl::error::Backend;
use tracectl::promql::{self, Value, Vars};
use tracectl::transport::{Request, path_segment};

/// Decode a PromQL double-quoted string body (Go escapes), stopping at the first unescaped `"`:
/// returns the value and how many bytes it used.
fn read_promql_string(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String =
                            (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    None
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[\"\\\\{}()\\[\\]=~!,|*+?.$^/ \n\t-]{0,40}",
        any::<Vec<char>>().prop_map(|v| v.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// A label value cannot end its string: the rendered matcher's string ends exactly where the
    /// template's does, and reads back as the value.
    #[test]
    fn promql_label_values_stay_inside_their_string(value in any_text()) {
        let mut vars = Vars::new();
        vars.insert("service".into(), Value::Label(value.clone()));
        let q = promql::render(r#"up{service="{{service}}", job="x"}"#, &vars).unwrap();
        let inner = q.strip_prefix(r#"up{service=""#).unwrap();
        let (decoded, used) = read_promql_string(inner).expect("a closed, valid string");
        prop_assert_eq!(&decoded, &value);
        prop_assert_eq!(&inner[used..], r#"", job="x"}"#);
    }

    /// `|re` puts a backslash before every RE2 metacharacter, so the value matches only itself.
    #[test]
    fn promql_regex_values_escape_every_metacharacter(value in any_text()) {
        let escaped = promql::escape_regex(&value);
        let mut chars = escaped.chars();
        let mut back = String::new();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let next = chars.next().expect("a backslash escapes something");
                prop_assert!("\\.+*?()|[]{}^$".contains(next), "escaped {next:?}");
                back.push(next);
            } else {
                prop_assert!(!"\\.+*?()|[]{}^$".contains(c), "bare metacharacter {c:?}");
                back.push(c);
            }
        }
        prop_assert_eq!(back, value);
    }

    /// A path segment is unreserved characters and `%XX` only, decodes back to the input, is never
    /// `.` or `..`, and adds exactly one segment to a request's path.
    #[test]
    fn path_segments_cannot_add_components(value in any_text()) {
        let seg = path_segment(&value);
        prop_assert!(seg != "." && seg != "..");
        prop_assert!(seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)), "{seg}");
        let decoded = url::form_urlencoded::parse(format!("x={seg}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if value != "." && value != ".." {
            // Those two are escaped twice (no spelling of a dot segment survives URL parsing).
            prop_assert_eq!(&decoded, &value);
        }
        let base = url::Url::parse("http://jaeger:16686/prefix/").unwrap();
        let url = Request::get(Backend::Jaeger, &base, format!("/api/traces/{seg}")).url();
        prop_assert_eq!(url.path_segments().unwrap().count(), 4, "{}", url);
        prop_assert!(url.query().is_none() && url.fragment().is_none(), "{}", url);
    }

    /// What the Kubernetes name checks accept is DNS-1123 and needs no escaping in a path.
    #[test]
    fn kubernetes_names_are_dns_1123_and_path_safe(value in prop_oneof![
        "[a-z0-9.-]{0,70}",
        any_text(),
    ]) {
        if valid_label(&value) {
            prop_assert!(value.len() <= 63 && !value.contains('.'));
            prop_assert!(value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!value.starts_with('-') && !value.ends_with('-'));
            prop_assert_eq!(path_segment(&value), value.clone());
        }
        if valid_name(&value) {
            prop_assert!(value.len() <= 253);
            prop_assert!(!value.contains("..") && !value.starts_with('.') && !value.ends_with('.'));
            prop_assert!(value.split('.').all(valid_label));
            prop_assert_eq!(path_segment(&value), value.clone());
        }
    }

    /// An index pattern that passes the check holds no character that changes a URL or the
    /// multi-target syntax beyond `*` and `,`, and no exclusion, date math or remote cluster.
    #[test]
    fn elasticsearch_patterns_accepted_are_harmless(pattern in prop_oneof![
        "[a-z0-9*,._+-]{0,30}",
        any_text(),
    ]) {
        if valid_index_pattern(&pattern) {
            for part in pattern.split(',') {
                prop_assert!(!part.is_empty());
                prop_assert!(!part.starts_with(['-', '_', '+']), "{part}");
                prop_assert!(part != "." && part != "..");
                prop_assert!(!part.contains(['/', '?', '#', ':', ' ', '\\', '"', '<', '>', '|']), "{part}");
                prop_assert_eq!(part.to_lowercase(), part);
            }
        }
        if valid_index_name(&pattern) {
            prop_assert!(!pattern.contains(['*', ',']));
        }
    }

    /// Jaeger's index names and patterns built from a prefix that is itself a valid index name
    /// are valid, hold exactly the one wildcard tracectl puts there, and never a second target.
    /// (A prefix holding `*` gives a valid but broader pattern: callers check the prefix with
    /// `valid_index_name`, which refuses it, as asserted here.)
    #[test]
    fn jaeger_index_names_from_any_prefix(prefix in prop_oneof!["[a-z0-9*,-]{1,12}", any_text()]) {
        let day = jiff::civil::date(2026, 11, 25);
        for kind in JaegerIndex::ALL {
            let name = jaeger_index_name(Some(&prefix), kind, day);
            let pattern = jaeger_index_pattern(Some(&prefix), kind);
            if valid_index_name(&prefix) {
                prop_assert!(valid_index_name(&name), "{}", name);
                prop_assert!(valid_index_pattern(&pattern), "{}", pattern);
                prop_assert_eq!(pattern.matches('*').count(), 1, "{}", pattern);
            }
            if prefix.contains(['*', ',']) {
                prop_assert!(!valid_index_name(&prefix));
            }
            if valid_index_pattern(&pattern) && !prefix.contains(',') {
                prop_assert_eq!(pattern.matches(',').count(), 0, "{}", pattern);
            }
        }
    }

    // --- fuzz-lite: parsers of outside data never panic ---------------------------------------

    #[test]
    fn prometheus_text_format_never_panics(text in prop_oneof![
        any_text(),
        "(# (HELP|TYPE) [a-z_]{1,8} [a-z ]{0,8}\n)?[a-z_]{1,8}(\\{[a-z]{1,4}=\"[^\"]{0,6}\"(,[a-z]{1,4}=\"[^\"]{0,4}\")?\\})? [-+0-9.eEInfNa]{1,10}( [0-9]{1,13})?\n{0,2}",
    ]) {
        let _ = tracectl::backends::collector::text_format::parse(&text, 1000);
    }

    #[test]
    fn jaeger_traces_never_panic(body in prop_oneof![
        any::<Vec<u8>>(),
        any_text().prop_map(String::into_bytes),
        jaeger_like().prop_map(String::into_bytes),
    ]) {
        let _ = tracectl::backends::jaeger::decode_traces(&body);
    }

    #[test]
    fn tempo_traces_never_panic(body in prop_oneof![
        any::<Vec<u8>>(),
        any_text().prop_map(String::into_bytes),
        tempo_like().prop_map(String::into_bytes),
    ]) {
        let _ = tracectl::backends::traces::tempo::decode_trace(&body);
    }

    #[test]
    fn collector_config_lint_never_panics(text in prop_oneof![any_text(), yaml_like()]) {
        let policy = tracectl::analysis::collector_config::SamplingPolicy::default();
        let _ = tracectl::analysis::collector_config::lint_text(&text, "config.yaml", &policy);
    }

    #[test]
    fn runbook_parse_never_panics(text in prop_oneof![any_text(), yaml_like()]) {
        let _ = tracectl::runbook::Runbook::parse(&text, "fuzz.yaml");
    }

    #[test]
    fn config_file_parse_never_panics(text in prop_oneof![any_text(), yaml_like()]) {
        let _ = tracectl::settings::file::ConfigFile::parse(&text, Path::new("config.yaml"));
    }
}

/// JSON shaped like a Jaeger answer, with holes where the values go wrong.
fn jaeger_like() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just("null".to_string()),
        Just("\"\"".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("true".to_string()),
        Just("\"zz\"".to_string()),
        "\"[0-9a-f]{0,40}\"".prop_map(|s| s),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ];
    proptest::collection::vec(scalar, 12).prop_map(|v| {
        format!(
            r#"{{"data":[{{"traceID":{},"spans":[{{"traceID":{},"spanID":{},"operationName":{},"references":[{{"refType":{},"traceID":{},"spanID":{}}}],"startTime":{},"duration":{},"tags":[{{"key":"error","type":"bool","value":{}}}],"processID":{}}}],"processes":{{"p1":{{"serviceName":{}}}}}}}]}}"#,
            v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]
        )
    })
}

/// Tempo-shaped trace bodies (v2 `trace` or v1 `batches`) with odd IDs (base64 of any length,
/// hex, garbage), enum names and numbers, and odd scalars in every slot.
fn tempo_like() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just("null".to_string()),
        Just("\"\"".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("\"SPAN_KIND_SERVER\"".to_string()),
        Just("\"STATUS_CODE_ERROR\"".to_string()),
        "\"[A-Za-z0-9+/]{0,26}={0,2}\"".prop_map(|s| s),
        "\"[0-9a-f]{0,40}\"".prop_map(|s| s),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ];
    (proptest::bool::ANY, proptest::collection::vec(scalar, 9)).prop_map(|(v1, v)| {
        let list = format!(
            r#"[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":{}}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":{},"spanId":{},"parentSpanId":{},"name":{},"kind":{},"startTimeUnixNano":{},"endTimeUnixNano":{},"status":{{"code":{}}}}}]}}]}}]"#,
            v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]
        );
        if v1 {
            format!(r#"{{"batches":{list}}}"#)
        } else {
            format!(r#"{{"trace":{{"resourceSpans":{list}}},"metrics":{{}}}}"#)
        }
    })
}

/// YAML-ish text: nested keys, lists, anchors, flow maps, odd scalars.
fn yaml_like() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[a-z_]{1,10}:( [a-z0-9/._-]{0,10})?",
        "  [a-z_]{1,10}: \\[[a-z/, ]{0,20}\\]",
        "    - [a-z/_]{1,12}",
        "  - \\{ ?[a-z]{1,5}: [a-z0-9]{0,5} ?\\}",
        "&a [a-z]{1,4}",
        "\\*a",
        "[a-z]{1,6}: (!!binary|!!int|~|\\?|-|\\|)",
        "      [a-z_]{1,10}: [0-9.e-]{1,6}",
    ];
    proptest::collection::vec(line, 0..12).prop_map(|l| l.join("\n"))
}

/// The values proptest rarely draws: `.` and `..` (and their escaped forms) as a segment.
/// Regression: `..` was escaped as `%2E%2E`, which URL parsers still resolve as "up one level".
#[test]
fn dot_segments_do_not_climb() {
    let base = url::Url::parse("http://jaeger:16686/prefix/").unwrap();
    for value in [".", "..", "%2e%2e", "%2E.", "./..", "../../admin"] {
        let url = Request::get(
            Backend::Jaeger,
            &base,
            format!("/api/traces/{}", path_segment(value)),
        )
        .url();
        assert_eq!(
            url.path_segments().unwrap().count(),
            4,
            "{value:?} became {url}"
        );
        assert!(url.path().starts_with("/prefix/api/traces/"), "{url}");
    }
}
