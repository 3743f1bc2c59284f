use super::*;
use crate::analysis::audit::MetricRows;
use crate::analysis::audit::sampling::{detect, sampler_ratio};
use crate::report::Severity;

fn rows(r: &[(&str, f64)]) -> MetricRows<String> {
    MetricRows {
        query: "sum by (service_name) (...)".into(),
        rows: r.iter().map(|(s, v)| (s.to_string(), *v)).collect(),
    }
}

#[test]
fn sampler_tags() {
    assert_eq!(sampler_ratio("probabilistic", "0.001"), Some(0.001));
    assert_eq!(sampler_ratio("const", "true"), Some(1.0));
    assert_eq!(sampler_ratio("const", "1"), Some(1.0));
    assert_eq!(sampler_ratio("ratelimiting", "2"), None);
    assert_eq!(sampler_ratio("probabilistic", "x"), None);
}

#[test]
fn ratios_against_the_policy_tiers() {
    let mut p = params();
    p.policy.sampling.critical_services = vec!["payment".into()];
    p.policy.sampling.high_volume_services = vec!["events".into()];
    let m = rows(&[
        ("a", 0.1),
        ("b", 0.0005),
        ("c", 0.7),
        ("d", 0.01),
        ("events", 0.1),
        ("payment", 0.3),
        ("search", 0.02),
    ]);
    let issues = detect(&[], Some(&m), &p);
    let got: Vec<(&str, Severity)> = issues
        .iter()
        .map(|i| {
            (
                i.finding.subject.service.as_deref().unwrap(),
                i.finding.severity,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("b", Severity::Critical),
            ("c", Severity::Warning),
            ("events", Severity::Warning),
            ("payment", Severity::Warning)
        ],
        "default-tier services sample adaptively anywhere in 0.1%-50%"
    );
    assert_eq!(
        issues[0].finding.title,
        "b keeps too few traces: effective sampling 0.05%, the policy says 0.10%–50% (default tier)"
    );
    assert_eq!(
        issues[3].finding.title,
        "payment keeps too few traces: effective sampling 30%, the policy says 50%–100% (critical tier)"
    );
    assert_eq!(
        issues[3].finding.remediation[0].command.as_deref(),
        Some(
            "kubectl set env deployment/payment OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=1 -n shop"
        )
    );
    // Without adaptive sampling the default tier is a fixed 10%.
    p.policy.adaptive = false;
    let fixed: Vec<String> = detect(&[], Some(&m), &p)
        .iter()
        .filter_map(|i| i.finding.subject.service.clone())
        .collect();
    assert!(fixed.contains(&"d".to_string()) && fixed.contains(&"search".to_string()));
    assert!(!fixed.contains(&"a".to_string()));
}

#[test]
fn without_metrics_the_sampler_tags_tell() {
    let t = trace(
        "t",
        vec![with(
            good_server("a", None, "legacy", "/"),
            &[
                ("sampler.type", "probabilistic"),
                ("sampler.param", "0.0001"),
            ],
        )],
    );
    let issues = detect(&[t], None, &params());
    assert_eq!(
        kinds(&issues),
        vec![("sampling_off_policy", Some("legacy"))]
    );
    assert!(
        issues[0].finding.title.contains("effective sampling 0.01%"),
        "{}",
        issues[0].finding.title
    );
    let q = issues[0].finding.evidence[0].query.as_deref().unwrap();
    assert!(
        q.contains("service=legacy") && q.ends_with("(tags sampler.type, sampler.param)"),
        "{q}"
    );
}

/// Issue #17: the audit holds services to the policy data-loss reads (per service rates, per
/// operation ranges) and each finding names the source holding its service.
#[test]
fn each_finding_names_the_source_holding_its_service() {
    use crate::analysis::dataloss::{PolicySpec, ServiceRate};
    let mut spec = PolicySpec {
        default_rate: Some(0.1),
        adaptive: Some(false),
        ..PolicySpec::default()
    };
    spec.services.insert(
        "cart".into(),
        ServiceRate {
            rate: 0.2,
            range: Some((0.0, 0.2)),
        },
    );
    spec.services.insert(
        "ads".into(),
        ServiceRate {
            rate: 0.01,
            range: None,
        },
    );
    spec.origins.insert(
        "ads".into(),
        "the SDK environment of deployment/ads in shop".into(),
    );
    let mut p = params();
    p.policy = spec.apply(p.policy, "ConfigMap monitoring/sampling-config key s.json");
    // cart anywhere within its operations' 0–20% (give or take the tolerance) is on policy;
    // ads at 10% is ten times its own 1%; web at 60% is off the fixed 10% default.
    let m = rows(&[("ads", 0.1), ("cart", 0.05), ("web", 0.6)]);
    let issues = detect(&[], Some(&m), &p);
    let got: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| {
            let svc = i.finding.subject.service.as_deref().unwrap();
            let policy = i
                .finding
                .evidence
                .iter()
                .find(|e| e.source == "policy")
                .and_then(|e| e.query.as_deref())
                .unwrap();
            (svc, policy)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("ads", "the SDK environment of deployment/ads in shop"),
            ("web", "ConfigMap monitoring/sampling-config key s.json"),
        ]
    );
    assert_eq!(
        issues[0].finding.title,
        "ads keeps too many traces: effective sampling 10%, the policy says 0.50%–2% (service-specific tier)"
    );
    assert!(
        issues[0]
            .finding
            .detail
            .contains("ads's policy is from the SDK environment of deployment/ads in shop"),
        "{}",
        issues[0].finding.detail
    );
}
