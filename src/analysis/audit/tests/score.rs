use super::*;
use crate::analysis::audit::score::{diagnosis, score_of};
use crate::analysis::audit::{audit, rank_score};
use crate::report::{Severity, Subject, rank};

fn issue(kind: &str, sev: Severity, svc: &str, prevalence: f64) -> Issue {
    Issue::new(
        kind,
        sev,
        Subject::service(svc),
        format!("{kind} {svc}"),
        prevalence,
    )
}

#[test]
fn penalties_by_kind_severity_and_prevalence() {
    let p = params();
    assert_eq!(score_of("a", &[], &p).0, 100);
    assert_eq!(
        score_of(
            "a",
            &[issue("sensitive_data", Severity::Critical, "a", 1.0)],
            &p
        )
        .0,
        75
    );
    assert_eq!(
        score_of(
            "a",
            &[issue("sensitive_data", Severity::Critical, "a", 0.0)],
            &p
        )
        .0,
        88
    );
    // A kind counts once, at its worst.
    let many = [
        issue("generic_span_name", Severity::Warning, "a", 0.2),
        issue("generic_span_name", Severity::Warning, "a", 1.0),
        issue("generic_span_name", Severity::Info, "a", 1.0),
    ];
    assert_eq!(score_of("a", &many, &p).0, 90);
    // Other services' problems do not count; a hop counts for both ends.
    let hop = issue("broken_propagation", Severity::Critical, "a", 1.0).charge("b");
    assert_eq!(score_of("b", std::slice::from_ref(&hop), &p).0, 75);
    assert_eq!(score_of("c", &[hop], &p).0, 100);
    let (s, d) = score_of(
        "a",
        &(0..6)
            .map(|i| issue(&format!("k{i}"), Severity::Critical, "a", 1.0))
            .collect::<Vec<_>>(),
        &p,
    );
    assert_eq!((s, d.len()), (0, 6), "never below 0");
}

#[test]
fn ranking_scores_never_outrank_problems() {
    assert!(rank_score(Severity::Info, 0.0) > 0.1);
    assert!(rank_score(Severity::Warning, 1.0) < rank_score(Severity::Critical, 0.0));
}

/// A good service, a mediocre one and a leaky one: scores rank worst first, below the problems.
#[test]
fn audit_scores_rank_services_worst_first() {
    let good = trace("g", vec![good_server("g1", None, "good", "/a")]);
    let meh = trace(
        "m",
        vec![with(
            server("m1", None, "meh", "GET"),
            &[
                ("http.request.method", "GET"),
                ("http.route", "/b"),
                ("http.response.status_code", "200"),
            ],
        )],
    );
    let bad = trace(
        "b",
        vec![with(
            server("b1", None, "bad", "query"),
            &[("card", "4111111111111111"), ("db.system", "postgresql")],
        )],
    );
    let ev = evidence(vec![good, meh, bad]);
    let findings = rank(audit(&ev, &params(), None));
    let scores: Vec<&str> = findings
        .iter()
        .filter(|f| f.kind == "audit_score")
        .map(|f| f.title.as_str())
        .collect();
    assert_eq!(scores.len(), 3);
    assert!(scores[0].starts_with("bad: "), "{scores:?}");
    assert!(scores[1].starts_with("meh: "), "{scores:?}");
    assert_eq!(scores[2], "good: 100/100");
    let first_score = findings
        .iter()
        .position(|f| f.kind == "audit_score")
        .unwrap();
    assert!(
        findings[..first_score]
            .iter()
            .all(|f| f.kind != "audit_score")
    );
    assert!(
        findings[first_score..]
            .iter()
            .all(|f| f.kind == "audit_score")
    );
    let d = diagnosis(&findings).unwrap();
    assert!(d.starts_with("bad scores "), "{d}");
    assert!(
        d.contains("the lowest of 3 services: bad: payment card numbers"),
        "{d}"
    );
    assert!(!text(&findings).contains("4111111111111111"));
}

#[test]
fn an_uninstrumented_service_scores_zero_and_only_filters() {
    let mut ev = evidence(vec![trace("g", vec![good_server("g1", None, "web", "/a")])]);
    ev.metrics = Some(crate::analysis::audit::MetricEvidence {
        services: crate::analysis::audit::MetricRows {
            query: "q".into(),
            rows: vec![("legacy".into(), 5.0)],
        },
        ..Default::default()
    });
    let findings = rank(audit(&ev, &params(), None));
    let titles: Vec<&str> = findings
        .iter()
        .filter(|f| f.kind == "audit_score")
        .map(|f| f.title.as_str())
        .collect();
    assert_eq!(titles, vec!["legacy: 0/100", "web: 100/100"]);
    let only = audit(&ev, &params(), Some("web"));
    assert!(
        only.iter()
            .all(|f| f.subject.service.as_deref() == Some("web")),
        "{only:?}"
    );
}
