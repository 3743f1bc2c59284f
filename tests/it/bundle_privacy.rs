//! Evidence bundles are safe to share by default (issue 20): `investigate errors --record` against
//! fixtures that plant e-mail addresses, card numbers, JWTs, bearer tokens, AWS keys, IBANs, US
//! SSNs and a connection string's password in span tags, span logs (events) and status messages
//! (Jaeger), pod log lines and ConfigMap values (Kubernetes) writes none of them to any file of
//! the bundle, says `masked` in `bundle.json`, and replays to the same ranking; `--record-raw`
//! keeps them and warns. `investigate alerts` against a real Alertmanager whose alerts plant them
//! in annotations: the same. Secrets and the pseudonyms are unit-tested in
//! `src/transport/bundle/tests.rs`, the matchers in `src/analysis/audit/tests/sensitive.rs`.

use std::path::Path;

use serde_json::{Value, json};

use crate::errors::{
    checkout_settled, checkout_traffic, log_lines, own_error_traces, without_durations, zap,
};
use crate::scenarios::{
    Backends, ConfigMapSpec, DAY, END, ErrorIncident, Incident, KubePod, MINUTE, NAMESPACE, ONSET,
    errors, step,
};
use crate::support::report::{self, Run, summary};

const EMAIL: &str = "jane.doe@example.com";
const CARD: &str = "4111111111111111";
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const BEARER: &str = "abcDEF1234567890xyzQRS";
const AWS: &str = "AKIAIOSFODNN7EXAMPLE";
const IBAN: &str = "DE89370400440532013000";
const SSN: &str = "219-09-9999";
/// A connection string's password (the URL around it stays readable).
const DB_PASSWORD: &str = "Orders-Db-pw-7731";
/// Every planted value: none may be in a masked bundle, all must be in a raw one.
const PLANTED: &[&str] = &[EMAIL, CARD, JWT, BEARER, AWS, IBAN, SSN, DB_PASSWORD];

/// checkout's errors start in its own code; its error traces, pod log and ConfigMap leak.
fn leaky_incident() -> ErrorIncident {
    let mut traces = own_error_traces("POST /orders", &format!("card {CARD} declined"));
    for t in traces.iter_mut() {
        t.tag(0, "enduser.id", json!(EMAIL));
        t.tag(
            0,
            "http.request.header.authorization",
            json!(format!("Bearer {BEARER}")),
        );
        t.tag(0, "session.token", json!(JWT));
        t.tag(0, "payment.iban", json!(IBAN));
        t.tag(0, "customer.ssn", json!(SSN));
        // A span log (event) that leaks every kind at once.
        t.log(
            0,
            &[
                ("event", json!("refund.failed")),
                (
                    "message",
                    json!(format!(
                        "refund to {IBAN} for {EMAIL} (ssn {SSN}, card {CARD}) failed; session {JWT}"
                    )),
                ),
                ("db", json!(format!("postgres://orders:{DB_PASSWORD}@db:5432/orders"))),
            ],
        );
    }
    let incident = Incident::default()
        .series(checkout_traffic())
        .series([errors(
            "checkout",
            "POST /orders",
            "declined",
            step(0.0, 2.0),
        )])
        .traces(traces)
        .rollout(checkout_settled())
        .config_map(
            ConfigMapSpec::new("checkout-config", END - 90 * DAY, END - 3 * DAY)
                .data("AWS_ACCESS_KEY_ID", AWS)
                .data("SUPPORT_CONTACT", EMAIL)
                .data("REFUND_IBAN", IBAN)
                .data("TEST_CUSTOMER_SSN", SSN)
                .data("SESSION_SIGNING_SAMPLE", JWT)
                .data("TEST_CARD", CARD)
                .data(
                    "DATABASE_URL",
                    &format!("postgres://orders:{DB_PASSWORD}@db.internal:5432/orders"),
                ),
        );
    let leaks = (0..6)
        .map(|i| {
            (
                ONSET + i * MINUTE,
                zap(
                    "error",
                    "payment declined",
                    json!({"user": EMAIL, "card": CARD, "auth": format!("Bearer {BEARER}"),
                           "iban": IBAN, "ssn": SSN, "session": JWT}),
                ),
            )
        })
        .collect();
    ErrorIncident::new(incident)
        .pod(KubePod::running("checkout-7d9f-abc", "checkout"))
        .pod(KubePod::running("checkout-7d9f-def", "checkout"))
        .log("checkout-7d9f-abc", log_lines(leaks))
        .log("checkout-7d9f-def", log_lines(Vec::new()))
}

/// `investigate errors --service checkout` against the leaky fixtures, then `extra`.
fn run(b: &Backends, extra: &[&str]) -> Run {
    let mut a = vec!["--service", "checkout"];
    a.extend_from_slice(extra);
    crate::errors::investigate(b, &a)
}

/// `command` (`investigate errors --service checkout`, or `investigate alerts`) replayed from
/// `bundle` in `-n shop`, as JSON, with stderr's notes.
fn replay(b: &Backends, bundle: &str, command: &str) -> Run {
    let mut a: Vec<String> = command.split(' ').map(String::from).collect();
    if command == "investigate errors" {
        a.extend(["--service".into(), "checkout".into()]);
    }
    a.extend(["--replay", bundle, "-n", NAMESPACE, "-o", "json"].map(String::from));
    report::tracectl(&a, &[], b.dir.path())
}

/// Every file of a bundle, with its text.
fn bundle_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    assert!(out.len() > 3, "a bundle with exchanges: {out:?}");
    out
}

fn meta(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("bundle.json")).unwrap()).unwrap()
}

/// What a ranking is made of: rank, kind, severity and subject of each finding.
fn ranking(report: &Value) -> Vec<Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| json!([f["rank"], f["kind"], f["severity"], f["subject"]]))
        .collect()
}

#[test]
fn a_recorded_bundle_holds_no_sensitive_value_and_replays_to_the_same_ranking() {
    let Some(b) = leaky_incident().start() else {
        return;
    };
    let bundle = b.dir.path().join("bundle");
    let bundle_arg = bundle.display().to_string();
    let recorded = run(&b, &["--record", &bundle_arg]);
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    assert!(
        !recorded.stderr.contains("--record-raw"),
        "{}",
        recorded.stderr
    );
    let recorded = recorded.report_for("investigate errors");

    let files = bundle_files(&bundle);
    for (path, text) in &files {
        for v in PLANTED {
            assert!(!text.contains(v), "{path} holds {v}:\n{text}");
        }
    }
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    // The evidence did reach the bundle, masked: span tags, logs and the ConfigMap.
    for kind in [
        "email",
        "payment_card",
        "jwt",
        "bearer_token",
        "aws_access_key",
        "iban",
        "national_id",
        "connection_password",
    ] {
        assert!(
            all.contains(&format!("[REDACTED:{kind}:")),
            "no {kind} marker"
        );
    }
    assert!(
        all.contains("HTTP_CLIENT_TIMEOUT"),
        "the ConfigMap was recorded"
    );
    assert!(all.contains("payment declined"), "the pod log was recorded");
    assert!(all.contains("refund.failed"), "the span logs were recorded");
    // Where each was planted, it is masked in place, not dropped: the span log's message, the
    // ConfigMap's connection string (its user and host kept), the pod log's fields.
    assert!(
        all.contains("refund to [REDACTED:iban:"),
        "the span log's IBAN is masked in place"
    );
    assert!(
        all.contains("postgres://orders:[REDACTED:connection_password:")
            && all.contains("]@db.internal:5432/orders"),
        "the ConfigMap's connection string keeps its user and host"
    );
    // The same value, the same marker, wherever it was found (a replay groups as the run did).
    let ibans: std::collections::BTreeSet<&str> = all
        .match_indices("[REDACTED:iban:")
        .map(|(i, _)| &all[i..i + all[i..].find(']').unwrap() + 1])
        .collect();
    assert_eq!(ibans.len(), 1, "one marker for the one IBAN: {ibans:?}");
    assert_eq!(meta(&bundle)["sensitive_values"], "masked");

    let replayed = replay(&b, &bundle_arg, "investigate errors");
    assert_eq!(replayed.code, 0, "{}", replayed.stderr);
    assert!(
        replayed.stderr.contains("sensitive values were masked"),
        "the replay says what the bundle holds: {}",
        replayed.stderr
    );
    let replayed = replayed.report_for("investigate errors");
    assert!(!ranking(&recorded).is_empty());
    assert_eq!(
        ranking(&replayed),
        ranking(&recorded),
        "recorded:\n{}\nreplayed:\n{}",
        summary(&recorded),
        summary(&replayed)
    );
    let steps = |r: &Value| without_durations(r.clone())["steps"].clone();
    assert_eq!(steps(&replayed), steps(&recorded));
}

#[test]
fn record_raw_keeps_the_values_says_so_and_warns() {
    let Some(b) = leaky_incident().start() else {
        return;
    };
    let bundle = b.dir.path().join("raw");
    let bundle_arg = bundle.display().to_string();
    let recorded = run(&b, &["--record", &bundle_arg, "--record-raw"]);
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    assert!(
        recorded.stderr.contains("warning: --record-raw"),
        "{}",
        recorded.stderr
    );
    let all: String = bundle_files(&bundle).into_iter().map(|(_, t)| t).collect();
    for v in PLANTED {
        assert!(all.contains(v), "a raw bundle keeps {v}");
    }
    assert!(!all.contains("[REDACTED:"));
    assert_eq!(meta(&bundle)["sensitive_values"], "raw");

    let replayed = replay(&b, &bundle_arg, "investigate errors");
    assert!(
        replayed.stderr.contains("--record-raw"),
        "the replay says the bundle is raw: {}",
        replayed.stderr
    );

    let usage = report::tracectl(&["check".into(), "--record-raw".into()], &[], b.dir.path());
    assert_eq!(
        usage.code, 2,
        "--record-raw needs --record: {}",
        usage.stderr
    );
}

#[test]
fn alertmanager_annotations_are_masked_in_the_bundle() {
    let Some(b) = crate::alerts::incident().start() else {
        return;
    };
    let Some(am) = crate::support::AlertmanagerHarness::start().expect("start Alertmanager") else {
        return;
    };
    crate::check::post_alerts(
        &am.url(),
        json!([
            {"labels": {"alertname": "HighLatency", "service_name": "checkout", "severity": "critical"},
             "annotations": {
                 "summary": format!("checkout p95 above 1s, reported by {EMAIL}"),
                 "description": format!("failing card {CARD}; runbook token Bearer {BEARER}; key {AWS}; refund {IBAN} for ssn {SSN}; session {JWT}; db postgres://orders:{DB_PASSWORD}@db:5432/orders"),
             },
             "startsAt": crate::check::ten_minutes_ago()},
        ]),
    );
    let bundle = b.dir.path().join("alerts");
    let bundle_arg = bundle.display().to_string();
    let recorded = report::tracectl(
        &crate::alerts::args(&am.url(), &b, &["-o", "json", "--record", &bundle_arg]),
        &[],
        b.dir.path(),
    );
    let report_recorded = recorded.report_for("investigate alerts");
    let files = bundle_files(&bundle);
    for (path, text) in &files {
        for v in PLANTED {
            assert!(!text.contains(v), "{path} holds {v}:\n{text}");
        }
    }
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    assert!(all.contains("checkout p95 above 1s, reported by [REDACTED:email:"));
    for kind in [
        "aws_access_key",
        "iban",
        "national_id",
        "jwt",
        "connection_password",
    ] {
        assert!(
            all.contains(&format!("[REDACTED:{kind}:")),
            "no {kind} marker"
        );
    }

    let replayed = replay(&b, &bundle_arg, "investigate alerts");
    assert_eq!(replayed.code, recorded.code, "{}", replayed.stderr);
    let report_replayed = replayed.report_for("investigate alerts");
    assert!(!ranking(&report_recorded).is_empty());
    assert_eq!(ranking(&report_replayed), ranking(&report_recorded));
}
