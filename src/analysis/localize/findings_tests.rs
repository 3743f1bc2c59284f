//! Tests of `findings.rs`: candidates as findings, chronic services, demotion of unchanged
//! fixed-threshold dependencies.

use super::*;
use crate::analysis::localize::{Change, Chronic, Measure};

fn cx() -> Context<'static> {
    test_context()
}

fn cand(service: &str, path: &[&str], locus: Locus, score: f64) -> Candidate {
    Candidate {
        service: service.into(),
        axis: Axis::Latency,
        locus,
        score,
        change: Some(Change {
            before: 0.1,
            after: 0.7,
            z: 30.0,
            ratio: 7.0,
            strength: 8.0,
            median: false,
        }),
        from_calls: false,
        path: path
            .iter()
            .map(|s| Hop {
                service: s.to_string(),
                before: 0.1,
                after: 0.7,
                median: false,
            })
            .collect(),
        explains: vec![],
        unexplained: 1.0,
        logs_below: None,
        agreeing: vec!["cpu"],
    }
}

#[test]
fn the_root_names_the_symptom_and_the_path_and_outranks_the_alternatives() {
    let loc = Localization {
        candidates: vec![
            cand(
                "payment",
                &["frontend", "checkout", "payment"],
                Locus::Service,
                9.0,
            ),
            cand("cart", &["cart"], Locus::Service, 3.0),
        ],
        chronic: vec![Chronic {
            service: "orchestrator".into(),
            axis: Axis::Latency,
            level: 3.3,
        }],
    };
    let f = findings(&loc, &cx());
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].kind, "slow_dependency");
    assert_eq!(f[0].subject.service.as_deref(), Some("frontend"));
    assert_eq!(f[0].subject.dependency.as_deref(), Some("payment"));
    assert_eq!(f[0].severity, Severity::Critical);
    assert!(
        f[0].detail.contains("frontend (100ms → 700ms) ← checkout"),
        "{}",
        f[0].detail
    );
    assert!(f[0].detail.contains("cpu changed too"));
    assert_eq!(f[1].kind, "latency_change");
    assert!(f[1].score < f[0].score);
    assert_eq!(f[2].kind, "chronic_service");
    assert_eq!(f[2].severity, Severity::Info);
}

#[test]
fn a_delay_on_the_egress_is_its_own_kind_and_the_other_axis_is_left_out() {
    let mut errors = cand("db", &["db"], Locus::Service, 20.0);
    errors.axis = Axis::Errors;
    let loc = Localization {
        candidates: vec![errors, cand("cache", &["api", "cache"], Locus::Egress, 5.0)],
        chronic: vec![],
    };
    let f = findings(&loc, &cx());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, "egress_delay");
    assert_eq!(f[0].subject.service.as_deref(), Some("cache"));
    assert!(f[0].title.contains("egress or network"), "{}", f[0].title);
}

/// The caller half of whose errors went to a log change below says so, and the log-only
/// candidate shows the path it explains, its own hop without values.
#[test]
fn half_put_down_to_a_log_change_below_is_said_on_both_sides() {
    let mut travel = cand("travel", &["travel"], Locus::Service, 4.0);
    travel.axis = Axis::Errors;
    (travel.unexplained, travel.logs_below) = (0.5, Some("route".into()));
    let mut route = cand("route", &["travel", "route"], Locus::Logs, 6.0);
    (route.axis, route.change, route.explains) = (Axis::Errors, None, vec!["travel".into()]);
    route.path[1].before = f64::NAN;
    route.path[1].after = f64::NAN;
    let loc = Localization {
        candidates: vec![route, travel],
        chronic: vec![],
    };
    let cx = Context {
        axis: Axis::Errors,
        ..cx()
    };
    let f = findings(&loc, &cx);
    assert_eq!(f[0].kind, "log_template_shift");
    assert!(
        f[0].detail.contains("travel (10% → 70%) ← route.")
            && f[0].detail.contains("It explains the change of travel."),
        "{}",
        f[0].detail
    );
    assert_eq!(f[1].kind, "error_change");
    assert!(
        f[1].detail.contains(
            "100% of its own change is left unexplained by what it calls; half of that is put down to route, below it, whose logs changed while its metrics did not"
        ),
        "{}",
        f[1].detail
    );
}

#[test]
fn a_dependency_always_over_the_threshold_is_demoted_and_a_changed_one_is_not() {
    let slow = |dep: &str| {
        Finding::new(
            "slow_dependency",
            Severity::Critical,
            0.9,
            Subject::service("checkout").with_dependency(dep),
            "slow",
        )
    };
    let mut f = vec![slow("workflow"), slow("payment")];
    let edge = |callee: &str, m: Measure| EdgeView {
        caller: "checkout".into(),
        callee: callee.into(),
        latency: Some(m),
        latency_p50: None,
        errors: None,
        rate: None,
    };
    let edges = vec![
        edge("workflow", Measure::new(4.3, 4.2, 0.2)),
        edge("payment", Measure::new(0.68, 0.11, 0.01)),
    ];
    demote_unchanged(&mut f, &[], &edges, &Params::default(), Axis::Latency);
    assert_eq!(f[0].score, 0.4);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].detail.contains("as usual"));
    assert_eq!(f[1].score, 0.9);
    assert_eq!(f[1].severity, Severity::Critical);
}

#[test]
fn a_service_slow_as_usual_is_demoted_on_its_own_axis_only() {
    let own = |kind: &str, service: &str| {
        Finding::new(
            kind,
            Severity::Critical,
            0.45,
            Subject::service(service),
            "over the threshold",
        )
    };
    let mut f = vec![
        own("slow_service", "workflow"),
        own("slow_operation", "workflow"),
        own("high_error_rate", "workflow"),
        own("slow_service", "payment"),
    ];
    let loc = Localization {
        candidates: vec![],
        chronic: vec![Chronic {
            service: "workflow".into(),
            axis: Axis::Latency,
            level: 4.3,
        }],
    };
    demote_chronic(&mut f, &loc, Axis::Latency);
    for d in &f[..2] {
        assert_eq!(
            (d.score, d.severity),
            (0.4, Severity::Warning),
            "{}",
            d.kind
        );
        assert!(
            d.detail.contains("slow as usual (4.30s now"),
            "{}",
            d.detail
        );
    }
    // Another axis's finding, and a service not chronic, are left as they were.
    for kept in &f[2..] {
        assert_eq!((kept.score, kept.severity), (0.45, Severity::Critical));
        assert!(kept.detail.is_empty(), "{}", kept.detail);
    }
}

/// A service whose server side is over the threshold as usual while the calls to it rose is a
/// candidate: neither listed as `chronic_service` nor demoted as usual.
#[test]
fn a_candidate_over_its_threshold_as_usual_is_not_called_chronic() {
    let mut via_calls = cand("cache", &["api", "cache"], Locus::Egress, 5.0);
    via_calls.from_calls = true;
    let loc = Localization {
        candidates: vec![via_calls],
        chronic: vec![Chronic {
            service: "cache".into(),
            axis: Axis::Latency,
            level: 1.2,
        }],
    };
    let f = findings(&loc, &cx());
    assert!(f.iter().all(|f| f.kind != "chronic_service"), "{f:#?}");
    let mut own = vec![Finding::new(
        "slow_service",
        Severity::Critical,
        0.45,
        Subject::service("cache"),
        "over the threshold",
    )];
    demote_chronic(&mut own, &loc, Axis::Latency);
    assert_eq!((own[0].score, own[0].severity), (0.45, Severity::Critical));
}
