use super::*;
use crate::analysis::audit::matchers::{SensitiveKind as K, iban_valid, luhn, marker, mask, scan};
use crate::analysis::audit::sensitive::{
    detect, redact_report, redact_text, scrub_body, scrub_body_with,
};
use crate::report::{Report, Severity, Subject, Target};

const CARD: &str = "4111111111111111";
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

fn found(text: &str) -> Vec<(K, String)> {
    scan(text, false)
        .into_iter()
        .map(|h| (h.kind, h.masked))
        .collect()
}

fn kinds_in(text: &str, ips: bool) -> Vec<K> {
    scan(text, ips).into_iter().map(|h| h.kind).collect()
}

#[test]
fn luhn_and_iban_checksums() {
    assert!(luhn(CARD.as_bytes()));
    assert!(!luhn(b"4111111111111112"));
    assert!(luhn(b"79927398713"));
    assert!(iban_valid(b"DE89370400440532013000"));
    assert!(iban_valid(b"GB82WEST12345698765432"));
    assert!(!iban_valid(b"DE89370400440532013001"));
    assert!(!iban_valid(b"DE8937040044053201300"), "wrong length for DE");
}

#[test]
fn card_numbers_pass_luhn_and_an_issuer_prefix() {
    assert_eq!(
        found(&format!("card={CARD}")),
        vec![(K::PaymentCard, "4111********1111".to_string())]
    );
    assert_eq!(
        found("paid with 4111 1111 1111 1111, thanks"),
        vec![(K::PaymentCard, "4111********1111".to_string())]
    );
    assert_eq!(kinds_in("5500-0000-0000-0004", false), vec![K::PaymentCard]);
    assert_eq!(kinds_in("378282246310005", false), vec![K::PaymentCard]);
}

#[test]
fn card_traps_are_not_cards() {
    // A 16-digit order ID that fails Luhn.
    assert!(found("order 4111111111111112").is_empty());
    // One that passes Luhn but no issuer uses its prefix.
    assert!(luhn(b"1234567812345670"));
    assert!(found("order 1234567812345670").is_empty());
    // A unix-microsecond timestamp, a float, digits inside a word, spaced single digits.
    assert!(found("start 1795600800000000").is_empty());
    assert!(found("ratio 0.4111111111111111").is_empty());
    assert!(found("ord4111111111111111").is_empty());
    assert!(found("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1").is_empty());
    // Too long to be a card.
    assert!(found("41111111111111111111111").is_empty());
}

#[test]
fn uuids_and_trace_ids_are_not_tokens() {
    for s in [
        "550e8400-e29b-41d4-a716-446655440000",
        "request 123e4567-e89b-12d3-a456-426614174000 done",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ] {
        assert!(found(s).is_empty(), "{s}: {:?}", found(s));
    }
}

#[test]
fn emails() {
    assert_eq!(
        found("contact john.doe+shop@example.co.uk now"),
        vec![(K::Email, "john************o.uk".to_string())]
    );
    assert!(found("pkg@1.2.3").is_empty());
    assert!(found("user@localhost").is_empty());
    assert!(found("@example.com").is_empty());
}

#[test]
fn jwts_need_a_json_header() {
    assert_eq!(kinds_in(JWT, false), vec![K::Jwt]);
    assert_eq!(kinds_in(&format!("token={JWT}&x=1"), false), vec![K::Jwt]);
    // "eyJ" prefix, three segments, but the header is not JSON with "alg".
    assert!(found("eyJub3QganNvbiBhdCBhbGw.eyJhIjoxfQ.c2ln").is_empty());
    assert!(found("eyJ.a.b").is_empty());
}

#[test]
fn bearer_tokens_and_vendor_keys() {
    let h = scan("Authorization: Bearer abcDEF1234567890xyz", false);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].kind, K::BearerToken);
    assert_eq!(h[0].masked, "abcD***********0xyz");
    // A bearer JWT is one hit, the bearer token.
    assert_eq!(
        kinds_in(&format!("Bearer {JWT}"), false),
        vec![K::BearerToken]
    );
    assert!(found("WWW-Authenticate: Bearer realm=\"example\"").is_empty());
    assert!(found("bearer authentication failed").is_empty());

    assert_eq!(
        kinds_in("key AKIAIOSFODNN7EXAMPLE", false),
        vec![K::AwsAccessKey]
    );
    assert!(found("AKIAIOSFODNN7EXAMPLEX").is_empty());
    assert_eq!(
        kinds_in("ghp_abcdefghijklmnopqrstuvwxyz0123456789", false),
        vec![K::GithubToken]
    );
    assert_eq!(
        kinds_in("sk_live_4eC39HqLyjWDarjtT1zdp7dc", false),
        vec![K::StripeKey]
    );
    assert!(found("sk_test_4eC39HqLyjWDarjtT1zdp7dc").is_empty());
    assert_eq!(
        kinds_in("AIzaSyA-1234567890abcdefghijklmnopqrstu", false),
        vec![K::GoogleApiKey]
    );
}

#[test]
fn ibans_and_ssns() {
    assert_eq!(
        found("IBAN DE89 3704 0044 0532 0130 00."),
        vec![(K::Iban, "DE89************3000".to_string())]
    );
    assert_eq!(kinds_in("GB82WEST12345698765432", false), vec![K::Iban]);
    assert!(found("DE89370400440532013001").is_empty());
    assert!(found("CONFIG12ABCDEFGHIJKLMNOP").is_empty());

    assert_eq!(kinds_in("ssn 123-45-6789", false), vec![K::NationalId]);
    for invalid in [
        "000-12-3456",
        "666-12-3456",
        "912-34-5678",
        "123-00-4567",
        "123-45-0000",
    ] {
        assert!(found(invalid).is_empty(), "{invalid}");
    }
    assert!(found("2026-11-25").is_empty());
    assert!(found("call 555-123-4567").is_empty());
}

#[test]
fn ip_addresses_only_when_asked() {
    assert!(kinds_in("client 203.0.113.7", false).is_empty());
    assert_eq!(kinds_in("client 203.0.113.7", true), vec![K::IpAddress]);
    let h = scan("peer 10.0.0.5:8080 ok", true);
    assert_eq!((h.len(), h[0].start, h[0].end), (1, 5, 13));
    assert_eq!(kinds_in("addr 2001:db8::1", true), vec![K::IpAddress]);
    for not_personal in [
        "127.0.0.1",
        "0.0.0.0",
        "::1",
        "12:30:45",
        "v1.2.3",
        "1.2.3.4.5",
        "aa:bb:cc:dd:ee:ff",
    ] {
        assert!(kinds_in(not_personal, true).is_empty(), "{not_personal}");
    }
}

#[test]
fn masks_show_at_most_a_quarter_at_each_end() {
    assert_eq!(mask(CARD), "4111********1111");
    assert_eq!(mask("abc"), "***");
    assert_eq!(mask("abcdefgh"), "ab****gh");
    assert_eq!(mask(""), "*");
    for n in 0..120 {
        let v: String = "x".repeat(n);
        let shown = mask(&v).chars().filter(|c| *c != '*').count();
        assert!(shown <= 8 && shown * 2 <= n, "{n}: {}", mask(&v));
    }
}

#[test]
fn a_tagged_marker_reads_back_as_its_mask() {
    use crate::analysis::audit::matchers::tagged_marker;
    let m = tagged_marker(K::PaymentCard, "4111********1111", "3f9a0c12e4b7");
    assert_eq!(m, "[REDACTED:payment_card:4111********1111:3f9a0c12e4b7]");
    let hits = scan(&format!("card {m} declined"), false);
    assert_eq!(hits.len(), 1);
    assert!(hits[0].marker);
    assert_eq!(hits[0].masked, "4111********1111");
    let tag = |v: &str| format!("{:012x}", v.len());
    let body = format!(r#"{{"a":"{CARD}","b":"x {CARD}"}}"#);
    let out = scrub_body_with(&body, false, Some(&tag)).unwrap();
    assert_eq!(
        out.matches("4111********1111:000000000010]").count(),
        2,
        "{out}"
    );
    assert_eq!(
        scrub_body_with(&out, false, Some(&tag)),
        None,
        "markers stay"
    );
}

#[test]
fn markers_read_back_as_the_same_hit() {
    let m = marker(K::PaymentCard, "4111********1111");
    assert_eq!(m, "[REDACTED:payment_card:4111********1111]");
    let h = scan(&format!("card={m}"), false);
    assert_eq!(h.len(), 1);
    assert!(h[0].marker);
    assert_eq!(
        (h[0].kind, h[0].masked.as_str()),
        (K::PaymentCard, "4111********1111")
    );
    assert!(scan("[REDACTED:nonsense:x]", false).is_empty());
}

fn leaky_traces() -> Vec<Trace> {
    vec![
        trace(
            "t1",
            vec![
                with(
                    good_server("a", None, "payment", "/charge"),
                    &[
                        ("card.number", CARD),
                        ("order.id", "4111111111111112"),
                        ("request.id", "550e8400-e29b-41d4-a716-446655440000"),
                        (
                            "http.request.header.authorization",
                            &format!("Bearer {JWT}"),
                        ),
                    ],
                ),
                {
                    let mut s = good_server("b", Some("a"), "payment", "/charge");
                    s.events.push(event(
                        "exception",
                        &[("exception.message", "no user jane@example.com")],
                    ));
                    s
                },
            ],
        ),
        trace(
            "t2",
            vec![with(
                good_server("c", None, "payment", "/charge"),
                &[("card.number", "4111 1111 1111 1111")],
            )],
        ),
    ]
}

#[test]
fn detector_names_service_key_and_count_never_the_value() {
    let issues = detect(&leaky_traces(), &params());
    let found: Vec<(&str, Option<&str>, Severity)> = issues
        .iter()
        .map(|i| {
            (
                i.finding.kind.as_str(),
                i.finding.subject.resource.as_deref(),
                i.finding.severity,
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("sensitive_data", Some("card.number"), Severity::Critical),
            (
                "sensitive_data",
                Some("http.request.header.authorization"),
                Severity::Critical
            ),
            (
                "sensitive_data",
                Some("exception.message"),
                Severity::Warning
            ),
        ],
        "the order ID and the UUID are not findings"
    );
    let card = &issues[0].finding;
    assert!(
        card.title
            .contains("payment card numbers in attribute card.number (2 occurrences in 2 spans)"),
        "{}",
        card.title
    );
    assert!(card.detail.contains("4111********1111"));
    assert_eq!(card.subject.operation.as_deref(), Some("GET /charge"));
    let all = text(&issues.iter().map(|i| i.finding.clone()).collect::<Vec<_>>());
    for raw in [CARD, "4111 1111 1111 1111", JWT, "jane@example.com"] {
        assert!(!all.contains(raw), "{raw} leaked: {all}");
    }
    // The fix names the leaking attribute in a Collector snippet.
    let snippet = card.remediation[1].command.as_deref().unwrap();
    assert!(
        snippet.contains("replace_pattern(attributes[\"card.number\"]"),
        "{snippet}"
    );
    assert!(snippet.contains("context: span"));
}

#[test]
fn scrubbed_json_stays_json_and_holds_no_value() {
    let body = format!(
        r#"{{"data":[{{"tags":[{{"key":"card","type":"int64","value":{CARD}}},{{"key":"m","type":"string","value":"mail jane@example.com"}}]}}],"errors":null}}"#
    );
    let out = scrub_body(&body, false).expect("something to scrub");
    assert!(
        !out.contains(CARD) && !out.contains("jane@example.com"),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
    let tags = &v["data"][0]["tags"];
    assert_eq!(tags[0]["value"], "[REDACTED:payment_card:4111********1111]");
    assert_eq!(tags[1]["value"], "mail [REDACTED:email:jane********.com]");
    // Idempotent, and nothing to do on clean or already scrubbed text.
    assert_eq!(scrub_body(&out, false), None);
    assert_eq!(scrub_body(r#"{"data":["checkout"]}"#, false), None);
    assert_eq!(
        scrub_body(&format!("plain {CARD} text"), false).as_deref(),
        Some("plain [REDACTED:payment_card:4111********1111] text")
    );
}

#[test]
fn a_scrubbed_trace_gives_the_same_findings() {
    let raw = leaky_traces();
    let mut scrubbed = raw.clone();
    for t in &mut scrubbed {
        for s in &mut t.spans {
            for (_, v) in &mut s.tags {
                if let Some(n) = scrub_body(v, false) {
                    *v = n.into();
                }
            }
            for e in &mut s.events {
                for (_, v) in &mut e.fields {
                    if let Some(n) = scrub_body(v, false) {
                        *v = n;
                    }
                }
            }
        }
    }
    assert_ne!(raw, scrubbed);
    assert_eq!(detect(&raw, &params()), detect(&scrubbed, &params()));
}

#[test]
fn the_report_guard_masks_what_slipped_into_text() {
    assert_eq!(
        redact_text("GET /users/jane@example.com", false).as_deref(),
        Some("GET /users/jane********.com")
    );
    let mut r = Report::new(
        "audit",
        Target {
            service: None,
            operation: None,
        },
        "t".into(),
        "1h".into(),
    );
    r.findings.push(crate::report::Finding::new(
        "generic_span_name",
        Severity::Warning,
        0.5,
        Subject::service("s").with_operation(&format!("pay {CARD}")),
        format!("card {CARD}"),
    ));
    redact_report(&mut r, false);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(CARD), "{json}");
    assert!(json.contains("4111********1111"));
}

#[test]
fn a_connection_strings_password_is_masked_and_the_rest_kept() {
    // The password alone: scheme, user, host, port and database stay readable.
    let text = "DATABASE_URL=postgres://orders:s3cr3t-Pa55@db.internal:5432/orders?sslmode=require";
    assert_eq!(
        found(text),
        vec![(K::ConnectionPassword, "s3*******55".to_string())]
    );
    assert_eq!(
        scrub_body(text, false).unwrap(),
        "DATABASE_URL=postgres://orders:[REDACTED:connection_password:s3*******55]@db.internal:5432/orders?sslmode=require"
    );
    // A host that looks like an e-mail's domain is not an e-mail address.
    assert_eq!(
        kinds_in(
            "mongodb+srv://app:hunter2hunter2@cluster0.example.com/db",
            false
        ),
        vec![K::ConnectionPassword]
    );
    // An empty user (Redis), and the last `@` of the authority ends the password.
    assert_eq!(
        found("redis://:p@ss-w0rd@cache:6379/0"),
        vec![(K::ConnectionPassword, "p@*****rd".to_string())]
    );
    // In JSON (a ConfigMap as recorded): still JSON, no password.
    let cm = r#"{"data":{"url":"amqp://guest:VerySecret1@rabbit:5672/"}}"#;
    let scrubbed = scrub_body(cm, false).unwrap();
    assert!(!scrubbed.contains("VerySecret1"), "{scrubbed}");
    let v: serde_json::Value = serde_json::from_str(&scrubbed).unwrap();
    assert!(
        v["data"]["url"]
            .as_str()
            .unwrap()
            .starts_with("amqp://guest:[REDACTED:connection_password:")
    );
    // No password, no hit: a user alone, a URL without user info, a port after the host.
    for clean in [
        "postgres://orders@db:5432/orders",
        "https://example.com:8443/path",
        "http://db:5432/x?next=a:b@c",
        "postgres://orders:@db/orders",
        "not a url: user:pass@host",
    ] {
        assert_eq!(found(clean), vec![], "{clean}");
    }
    // A marker reads back as the same kind, so a replay finds what the run found.
    let marked = scrub_body(text, false).unwrap();
    assert_eq!(kinds_in(&marked, false), vec![K::ConnectionPassword]);
}

/// The Collector statement's pattern (RE2, backslashes doubled for OTTL) keeps the scheme and
/// user and replaces the password, as `$$1****@` asks.
#[test]
fn the_collector_pattern_for_connection_passwords_masks_the_password_only() {
    let re = K::ConnectionPassword
        .collector_pattern()
        .replace(r"\\", r"\");
    let re = regex::Regex::new(&re).unwrap();
    assert_eq!(
        re.replace_all("postgres://orders:s3cr3t@db:5432/orders", "${1}****@"),
        "postgres://orders:****@db:5432/orders"
    );
}
