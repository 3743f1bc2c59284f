//! Index names and patterns: which user input may reach an Elasticsearch path, how it is put in
//! one, and Jaeger's daily index names (`[prefix-]jaeger-span-YYYY-MM-DD`).
//!
//! Pure functions only; the client calls them before it sends anything. Why validation and not
//! only escaping: Elasticsearch percent-decodes path parameters before it reads them, so an
//! escaped `%2A` is still a wildcard and `%2C` still a list separator. Escaping keeps a name from
//! adding path components; only validation keeps `delete_index` from deleting a pattern.
//! Name rules: Elasticsearch's `MetadataCreateIndexService.validateIndexOrAliasName` and
//! <https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html#indices-create-api-path-params>.
//! Jaeger's naming: `IndexPrefix.Apply` in jaegertracing/jaeger
//! `internal/storage/elasticsearch/config/config.go` (date layout `2006-01-02`).
//! Tests: below (with property tests for the parse).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::promql::path_segment;

/// Index names are at most 255 bytes (Elasticsearch's `MAX_INDEX_NAME_BYTES`).
const MAX_NAME_BYTES: usize = 255;

/// Characters no index name may contain (`Strings.INVALID_FILENAME_CHARS`, `#`, and `:`, which
/// Elasticsearch reserves for remote clusters since 7.0).
const FORBIDDEN: &[char] = &['\\', '/', '?', '"', '<', '>', '|', ' ', ',', '#', ':', '*'];

/// One concrete name: an index, an index template or a snapshot. No wildcard, no list.
pub fn valid_index_name(name: &str) -> bool {
    valid_part(name, false)
}

/// An index pattern as Elasticsearch's multi-target syntax takes it: one or more names, joined by
/// `,`, each of which may hold `*`. Exclusions (`-name`), date math (`<name-{now/d}>`), `_all` and
/// remote clusters (`cluster:name`) are refused: tracectl never builds them, and each would make
/// a pattern match something other than what it reads as.
pub fn valid_index_pattern(pattern: &str) -> bool {
    pattern.split(',').all(|part| valid_part(part, true))
}

fn valid_part(name: &str, wildcard: bool) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && name != "."
        && name != ".."
        && !name.starts_with(['-', '_', '+'])
        && name == name.to_lowercase()
        && name.chars().all(|c| {
            !c.is_control()
                && !c.is_whitespace()
                && (!FORBIDDEN.contains(&c) || (wildcard && c == '*'))
        })
}

/// A snapshot repository name: like an index name, but Elasticsearch allows upper case in it.
pub(crate) fn valid_repository_name(name: &str) -> bool {
    valid_index_name(&name.to_lowercase())
}

/// A validated pattern as a URL path segment.
///
/// Every run of characters between `*` and `,` goes through [`path_segment`]; `*` and `,` are put
/// back literally, on purpose. They are the multi-target syntax itself, and RFC 3986 allows both
/// unescaped in a path segment (sub-delims) with no structural meaning there, so nothing between
/// us and Elasticsearch may reinterpret them. Escaped, Elasticsearch would decode `%2A`/`%2C` back
/// to the same thing anyway, but a reverse proxy routing or authorizing on `/jaeger-span-*` would
/// see `%2A` instead, and `-v` logs and recorded bundles would no longer read as the pattern the
/// user typed. The caller must have checked [`valid_index_pattern`] first.
pub(crate) fn pattern_path(pattern: &str) -> String {
    pattern
        .split(',')
        .map(|part| {
            part.split('*')
                .map(path_segment)
                .collect::<Vec<_>>()
                .join("*")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Jaeger's four kinds of daily index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JaegerIndex {
    Span,
    Service,
    Dependencies,
    Sampling,
}

impl JaegerIndex {
    pub const ALL: [JaegerIndex; 4] = [
        JaegerIndex::Span,
        JaegerIndex::Service,
        JaegerIndex::Dependencies,
        JaegerIndex::Sampling,
    ];

    /// The base name Jaeger prefixes and dates: `jaeger-span`, ...
    pub fn base(self) -> &'static str {
        match self {
            JaegerIndex::Span => "jaeger-span",
            JaegerIndex::Service => "jaeger-service",
            JaegerIndex::Dependencies => "jaeger-dependencies",
            JaegerIndex::Sampling => "jaeger-sampling",
        }
    }
}

/// `[prefix-]jaeger-<kind>`, as Jaeger's `IndexPrefix.Apply` joins them: an empty prefix is none,
/// and a prefix that already ends in `-` gets no second one.
fn prefixed_base(prefix: Option<&str>, kind: JaegerIndex) -> String {
    match prefix {
        None | Some("") => kind.base().to_string(),
        Some(p) if p.ends_with('-') => format!("{p}{}", kind.base()),
        Some(p) => format!("{p}-{}", kind.base()),
    }
}

/// The daily index Jaeger writes `kind` to on `day` (UTC), with the default date layout
/// `2006-01-02`: `jaeger-span-2026-11-25`, `prod-jaeger-span-2026-11-25`. The prefix is not
/// validated here; [`valid_index_name`] on the result does that.
pub fn jaeger_index_name(prefix: Option<&str>, kind: JaegerIndex, day: Date) -> String {
    format!(
        "{}-{:04}-{:02}-{:02}",
        prefixed_base(prefix, kind),
        day.year(),
        day.month(),
        day.day()
    )
}

/// Every daily index of `kind`: `[prefix-]jaeger-span-*`.
pub fn jaeger_index_pattern(prefix: Option<&str>, kind: JaegerIndex) -> String {
    format!("{}-*", prefixed_base(prefix, kind))
}

/// The inverse of [`jaeger_index_name`], for retention: `Some` only when `name` is exactly what
/// `jaeger_index_name` gives for the returned values, so that a rollover index
/// (`jaeger-span-000001`), an alias, an hourly index (`jaeger-span-2026-11-25-10`), an invalid
/// date or a look-alike (`xjaeger-span-…`) is never taken for a daily one. The prefix comes back
/// without the `-` that joins it (`prod-jaeger-span-…` gives `prod`), except when the prefix
/// itself ends in `-` (`a--jaeger-span-…` can only come from the prefix `a--`).
pub fn parse_jaeger_index(name: &str) -> Option<(Option<String>, JaegerIndex, Date)> {
    if !valid_index_name(name) {
        return None;
    }
    let split = name.len().checked_sub(10)?;
    let date = name.get(split..)?;
    let day = parse_day(date)?;
    let rest = name[..split].strip_suffix('-')?;
    let (kind, head) = JaegerIndex::ALL
        .iter()
        .find_map(|k| rest.strip_suffix(k.base()).map(|head| (*k, head)))?;
    let prefix = match head {
        "" => None,
        _ => {
            let stripped = head.strip_suffix('-')?;
            if stripped.is_empty() {
                return None;
            }
            Some(
                if stripped.ends_with('-') {
                    head
                } else {
                    stripped
                }
                .to_string(),
            )
        }
    };
    // The round trip is the definition of "well-formed"; check it rather than trust the above.
    (jaeger_index_name(prefix.as_deref(), kind, day) == name).then_some((prefix, kind, day))
}

/// `YYYY-MM-DD`, ASCII digits only, a real calendar day.
fn parse_day(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    let year: i16 = s[0..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn patterns_and_names() {
        for ok in [
            "jaeger-span-2026-11-25",
            "jaeger-span-*",
            "*",
            "prod-jaeger-*,prod-jaeger-service-*",
            ".kibana",
            "jaeger.span",
        ] {
            assert!(valid_index_pattern(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "Jaeger-span",
            "jaeger/span",
            "jaeger\\span",
            "jaeger span",
            "jaeger\"span",
            "jaeger<span",
            "jaeger>span",
            "jaeger|span",
            "jaeger#span",
            "jaeger?span",
            "remote:jaeger-span",
            "-jaeger-span",
            "_all",
            "+jaeger",
            "a,,b",
            "a,",
            "jaeger-*,-jaeger-span-2026-11-25",
            "<jaeger-span-{now/d}>",
            "jaeger\tspan",
            "jaeger\u{0}span",
        ] {
            assert!(!valid_index_pattern(bad), "{bad:?}");
        }
        assert!(!valid_index_pattern(&"a".repeat(256)));
        assert!(valid_index_pattern(&"a".repeat(255)));
        assert!(valid_index_name("jaeger-span-2026-11-25"));
        assert!(!valid_index_name("jaeger-span-*"));
        assert!(!valid_index_name("a,b"));
        assert!(valid_repository_name("Backups_S3"));
        assert!(!valid_repository_name("_backups"));
    }

    #[test]
    fn wildcards_and_commas_stay_literal_in_paths() {
        assert_eq!(pattern_path("jaeger-span-*"), "jaeger-span-*");
        assert_eq!(pattern_path("a-*,b-*"), "a-*,b-*");
        assert_eq!(pattern_path(".kibana*"), ".kibana*");
        // Whatever validation let through is still escaped (non-ASCII, reserved punctuation).
        assert_eq!(pattern_path("spän*"), "sp%C3%A4n*");
        assert_eq!(pattern_path("a%b"), "a%25b");
    }

    #[test]
    fn jaeger_names() {
        let d = date(2026, 11, 5);
        assert_eq!(
            jaeger_index_name(None, JaegerIndex::Span, d),
            "jaeger-span-2026-11-05"
        );
        assert_eq!(
            jaeger_index_name(Some(""), JaegerIndex::Service, d),
            "jaeger-service-2026-11-05"
        );
        assert_eq!(
            jaeger_index_name(Some("prod"), JaegerIndex::Dependencies, d),
            "prod-jaeger-dependencies-2026-11-05"
        );
        assert_eq!(
            jaeger_index_name(Some("prod-"), JaegerIndex::Sampling, d),
            "prod-jaeger-sampling-2026-11-05"
        );
        assert_eq!(
            jaeger_index_pattern(Some("prod"), JaegerIndex::Span),
            "prod-jaeger-span-*"
        );
        assert_eq!(
            jaeger_index_pattern(None, JaegerIndex::Span),
            "jaeger-span-*"
        );
    }

    #[test]
    fn parses_what_jaeger_writes() {
        assert_eq!(
            parse_jaeger_index("jaeger-span-2026-01-01"),
            Some((None, JaegerIndex::Span, date(2026, 1, 1)))
        );
        assert_eq!(
            parse_jaeger_index("prod-eu-jaeger-service-2024-02-29"),
            Some((
                Some("prod-eu".into()),
                JaegerIndex::Service,
                date(2024, 2, 29)
            ))
        );
        assert_eq!(
            parse_jaeger_index("a--jaeger-sampling-2026-12-31"),
            Some((
                Some("a--".into()),
                JaegerIndex::Sampling,
                date(2026, 12, 31)
            ))
        );
        // A prefix may itself look like a Jaeger name: the kind is read from the end.
        assert_eq!(
            parse_jaeger_index("jaeger-span-jaeger-dependencies-2026-01-01"),
            Some((
                Some("jaeger-span".into()),
                JaegerIndex::Dependencies,
                date(2026, 1, 1)
            ))
        );
    }

    #[test]
    fn rejects_malformed_names() {
        for bad in [
            "jaeger-span-2026-13-01",
            "jaeger-span-2026-1-1",
            "jaeger-span-",
            "xjaeger-span-2026-01-01",
            "jaeger-span-2026-01-01-extra",
            "jaeger-span-2025-02-29",
            "jaeger-span-2026-00-10",
            "jaeger-span-2026-01-32",
            "jaeger-span-20260101",
            "jaeger-span-2026_01_01",
            "jaeger-span-000001",
            "jaeger-span-write",
            "jaeger-span-read",
            "jaeger-span-archive",
            "jaeger-span-2026-01-01-10",
            "jaeger-span-12026-01-01",
            "jaeger-span--2026-01-01",
            "jaeger-spans-2026-01-01",
            "jaeger-2026-01-01",
            "-jaeger-span-2026-01-01",
            "Prod-jaeger-span-2026-01-01",
            "pr od-jaeger-span-2026-01-01",
            "jaeger-span-2026-01-0١",
            "jaeger-span-2026-01-01 ",
            "jaeger-span-+026-01-01",
            "",
        ] {
            assert_eq!(parse_jaeger_index(bad), None, "{bad:?}");
        }
    }

    fn kinds() -> impl Strategy<Value = JaegerIndex> {
        prop::sample::select(JaegerIndex::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn name_then_parse_round_trips(
            prefix in proptest::option::of("[a-z0-9][a-z0-9._-]{0,20}"),
            kind in kinds(),
            days in 0i32..2_900_000,
        ) {
            let day = date(1970, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            let name = jaeger_index_name(prefix.as_deref(), kind, day);
            let (p, k, d) = parse_jaeger_index(&name).expect("a name Jaeger writes parses");
            prop_assert_eq!(k, kind);
            prop_assert_eq!(d, day);
            prop_assert_eq!(jaeger_index_name(p.as_deref(), k, d), name);
        }

        /// Never misparse: whatever parses is exactly the name it parses to.
        #[test]
        fn parse_is_exact(
            name in "[a-z.-]{0,6}jaeger-(span|service|sampling|spam)-?[0-9]{2,5}-[0-3]?[0-9]-[0-3][0-9]-?[0-9]{0,2}",
        ) {
            if let Some((p, k, d)) = parse_jaeger_index(&name) {
                prop_assert_eq!(jaeger_index_name(p.as_deref(), k, d), name);
            }
        }
    }
}
