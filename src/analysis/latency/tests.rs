//! Unit tests of the latency analysis on hand-made evidence.

use super::*;

fn params() -> LatencyParams {
    LatencyParams {
        service_seconds: 1.0,
        operation_seconds: 2.0,
        dependency_seconds: 1.5,
        dependency_share: 0.6,
        throttling_ratio: 0.25,
        cpu_saturation: 0.9,
        memory_ratio: 0.9,
        network_growth: 3.0,
        n_plus_one_repeats: 10.0,
        change_window_seconds: 1800.0,
    }
}

const NOW: f64 = 1_795_600_800.0;

fn base(latency: f64) -> LatencyEvidence {
    LatencyEvidence {
        service: "checkout".into(),
        namespace: "shop".into(),
        quantile: 0.95,
        service_query: "q".into(),
        service_latency: Some(latency),
        now: NOW,
        lookback: 3600.0,
        ..Default::default()
    }
}

fn top(ev: &LatencyEvidence) -> Finding {
    crate::report::rank(analyze(ev, &params())).remove(0)
}

#[test]
fn slow_dependency_that_explains_latency_outranks_the_symptom() {
    let mut ev = base(2.4);
    ev.dependencies = Some(MetricList {
        query: "deps".into(),
        items: vec![("postgres".into(), 2.1), ("redis".into(), 0.01)],
    });
    ev.traces = Some(TraceEvidence {
        source: "jaeger".into(),
        query: "t".into(),
        count: 20,
        shares: vec![TimeShare {
            service: "postgres".into(),
            operation: "SELECT".into(),
            seconds: 30.0,
            share: 0.8,
        }],
        examples: vec![("abc".into(), "http://jaeger/trace/abc".into(), 2.5)],
        ..Default::default()
    });
    let f = top(&ev);
    assert_eq!(f.kind, "slow_dependency");
    assert_eq!(f.subject.dependency.as_deref(), Some("postgres"));
    assert_eq!(f.severity, Severity::Critical);
    assert!(
        f.evidence.iter().any(|e| e.link.is_some()),
        "traces agree, so a trace is evidence"
    );
    let all = analyze(&ev, &params());
    assert!(
        !all.iter().any(|f| f.kind == "critical_path_hotspot"),
        "the hotspot is the same cause, not a second one"
    );
}

#[test]
fn rollout_at_onset_is_the_top_cause_with_an_exact_undo() {
    let mut ev = base(2.4);
    ev.onset = Some(Shift {
        at: NOW - 1200.0,
        before: 0.3,
        after: 2.4,
    });
    ev.dependencies = Some(MetricList {
        query: "deps".into(),
        items: vec![("payment".into(), 2.0)],
    });
    ev.changes = Some(ChangeEvidence {
        deployments: vec![DeploymentHistory {
            name: "payment".into(),
            role: "payment".into(),
            replicas: Some(3),
            revisions: vec![
                Revision {
                    revision: 6,
                    created: NOW - 86_400.0,
                    ..Default::default()
                },
                Revision {
                    revision: 7,
                    created: NOW - 1400.0,
                    images: vec!["payment:2.0".into()],
                    change_cause: None,
                    ..Default::default()
                },
            ],
            ..Default::default()
        }],
        ..Default::default()
    });
    let f = top(&ev);
    assert_eq!(f.kind, "recent_deployment");
    assert_eq!(f.subject.dependency.as_deref(), Some("payment"));
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some("kubectl rollout undo deployment/payment --to-revision=6 -n shop")
    );
    assert!(f.title.contains("3 min before"), "{}", f.title);
}

#[test]
fn a_statefulsets_rollout_is_undone_as_one_in_its_own_namespace_and_says_what_changed() {
    let mut ev = base(2.4);
    ev.onset = Some(Shift {
        at: NOW - 1200.0,
        before: 0.3,
        after: 2.4,
    });
    let env = |arg: &str| {
        [
            (
                "ledger/OTEL_TRACES_SAMPLER_ARG".to_string(),
                arg.to_string(),
            ),
            ("ledger/DB_URL".to_string(), "f1".to_string()),
        ]
        .into_iter()
        .collect()
    };
    let mut new_env: std::collections::BTreeMap<String, String> = env("b2");
    new_env.remove("ledger/DB_URL");
    new_env.insert("ledger/POOL".into(), "c3".into());
    ev.changes = Some(ChangeEvidence {
        deployments: vec![DeploymentHistory {
            kind: crate::model::cluster::WorkloadKind::StatefulSet,
            namespace: "ledger-ns".into(),
            name: "ledger".into(),
            role: "checkout".into(),
            revisions: vec![
                Revision {
                    revision: 3,
                    created: NOW - 86_400.0,
                    images: vec!["ledger:1.0".into()],
                    env: env("a1"),
                    ..Default::default()
                },
                Revision {
                    revision: 4,
                    created: NOW - 1380.0,
                    images: vec!["ledger:1.1".into()],
                    env: new_env,
                    ..Default::default()
                },
            ],
            ..Default::default()
        }],
        ..Default::default()
    });
    let f = top(&ev);
    assert_eq!(f.kind, "recent_deployment");
    assert_eq!(
        f.remediation[0].command.as_deref(),
        Some("kubectl rollout undo statefulset/ledger --to-revision=3 -n ledger-ns")
    );
    assert_eq!(
        f.subject.resource.as_deref(),
        Some("statefulset/ledger revision 4")
    );
    assert_eq!(
        f.evidence[0].query.as_deref(),
        Some("kubectl rollout history statefulset/ledger -n ledger-ns")
    );
    assert!(
        f.detail.contains(
            "Changed since revision 3: image ledger:1.0 → ledger:1.1; env changed: \
             ledger/OTEL_TRACES_SAMPLER_ARG; env added: ledger/POOL; env removed: ledger/DB_URL."
        ),
        "{}",
        f.detail
    );
}

#[test]
fn a_rollout_that_changed_neither_image_nor_env_says_only_its_cause() {
    let r = |n: u64| Revision {
        revision: n,
        images: vec!["a:1".into()],
        ..Default::default()
    };
    assert!(crate::analysis::changes::what_changed(&r(1), &r(2)).is_empty());
}

#[test]
fn old_rollouts_and_healthy_services_are_not_critical() {
    let mut ev = base(0.2);
    ev.changes = Some(ChangeEvidence {
        deployments: vec![DeploymentHistory {
            name: "checkout".into(),
            role: "checkout".into(),
            revisions: vec![Revision {
                revision: 2,
                created: NOW - 600.0,
                ..Default::default()
            }],
            ..Default::default()
        }],
        config_maps: vec![("checkout-config".into(), NOW - 10.0 * 86_400.0)],
        ..Default::default()
    });
    ev.resources = Some(ResourceEvidence {
        ratios: [(
            "throttling".to_string(),
            vec![("checkout-1".to_string(), 0.6)],
        )]
        .into(),
        ..Default::default()
    });
    let all = analyze(&ev, &params());
    assert!(
        all.iter().all(|f| f.severity < Severity::Critical),
        "{all:#?}"
    );
    assert!(
        !all.iter().any(|f| f.kind == "config_change"),
        "a change outside the lookback is not evidence"
    );
}

#[test]
fn throttling_and_memory_name_the_pod_and_the_numbers() {
    let mut ev = base(1.8);
    ev.changes = Some(ChangeEvidence {
        deployments: vec![DeploymentHistory {
            name: "checkout".into(),
            role: "checkout".into(),
            replicas: Some(4),
            ..Default::default()
        }],
        ..Default::default()
    });
    ev.resources = Some(ResourceEvidence {
        ratios: [
            (
                "throttling".to_string(),
                vec![
                    ("checkout-a".to_string(), 0.2),
                    ("checkout-b".to_string(), 0.7),
                ],
            ),
            ("memory".to_string(), vec![("checkout-a".to_string(), 0.95)]),
        ]
        .into(),
        memory_bytes: vec![("checkout-a".into(), 480.0 * 1_048_576.0)],
        ..Default::default()
    });
    let ranked = crate::report::rank(analyze(&ev, &params()));
    assert_eq!(ranked[0].kind, "cpu_throttling");
    assert_eq!(ranked[0].subject.pod.as_deref(), Some("checkout-b"));
    assert!(
        ranked[0].remediation.iter().any(|r| r.command.as_deref()
            == Some("kubectl scale deployment/checkout --replicas=14 -n shop"))
    );
    let mem = ranked.iter().find(|f| f.kind == "memory_pressure").unwrap();
    assert_eq!(
        mem.remediation[0].command.as_deref(),
        Some("kubectl set resources deployment/checkout --limits=memory=640Mi -n shop")
    );
}

#[test]
fn n_plus_one_names_parent_and_child() {
    let mut ev = base(1.6);
    ev.traces = Some(TraceEvidence {
        source: "jaeger".into(),
        query: "t".into(),
        count: 10,
        repeated: vec![Repeated {
            parent_service: "checkout".into(),
            parent_operation: "GET /cart".into(),
            child_service: "inventory".into(),
            child_operation: "GET /item".into(),
            count: 40,
            traces: 9,
            example_trace: "t1".into(),
        }],
        ..Default::default()
    });
    let f = top(&ev);
    assert_eq!(f.kind, "n_plus_one");
    assert_eq!(f.subject.operation.as_deref(), Some("GET /cart"));
    assert_eq!(f.subject.dependency.as_deref(), Some("inventory"));
}
