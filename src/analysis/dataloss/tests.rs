//! The data-loss analysis on hand-made evidence: each stage's findings, the causal chain between
//! them, the sampling policy's sources, and a healthy pipeline that finds nothing.

use std::collections::BTreeMap;

use super::pods::{format_quantity, parse_quantity};
use super::*;
use crate::model::cluster::{ContainerInfo, ContainerState, Resources, Terminated};
use crate::model::collector::{Counter, QueueGauge};
use crate::model::storage::{Health, IndexStatus, NodeDisk, Watermark, WatermarkLevel, Watermarks};
use crate::report::rank;

const NOW: f64 = 1_795_600_800.0; // 2026-11-25T10:00:00Z

fn rates(values: &[(&str, f64)], query: &str) -> Rates {
    Rates {
        query: query.into(),
        values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    }
}

fn evidence() -> DataLossEvidence {
    DataLossEvidence {
        namespace: "shop".into(),
        collector: "otel-collector".into(),
        collector_namespace: "monitoring".into(),
        jaeger: "jaeger".into(),
        now: NOW,
        lookback: 3600.0,
        ..Default::default()
    }
}

/// Services sending now what they sent an hour ago, sampled at 10%.
fn services(
    now: &[(&str, f64)],
    before: &[(&str, f64)],
    requests: &[(&str, f64)],
) -> ServiceEvidence {
    ServiceEvidence {
        spans: rates(now, "spans"),
        requests: Some(rates(requests, "requests")),
        baselines: vec![Baseline {
            offset: "1h".into(),
            spans: rates(before, "spans offset 1h"),
            requests: Some(rates(requests, "requests offset 1h")),
        }],
        dropped: Some(rates(&[], "dropped")),
        requests_independent: true,
        counted_by_collector: false,
    }
}

fn collector(counters: &[(Counter, &str, f64)]) -> CollectorRates {
    CollectorRates {
        window_seconds: 300.0,
        counters: counters
            .iter()
            .map(|(c, id, v)| ((*c, id.to_string()), *v))
            .collect(),
        ..Default::default()
    }
}

fn healthy_collector() -> CollectorRates {
    use Counter::*;
    let mut r = collector(&[
        (ReceiverAccepted, "otlp", 1000.0),
        (ProcessorIncoming, "memory_limiter", 1000.0),
        (ProcessorOutgoing, "memory_limiter", 1000.0),
        (ProcessorIncoming, "batch", 1000.0),
        (ProcessorOutgoing, "batch", 1000.0),
        (ExporterSent, "otlp/jaeger", 1000.0),
    ]);
    r.queues.insert(
        "otlp/jaeger".into(),
        QueueGauge {
            size: Some(3.0),
            capacity: Some(1000.0),
        },
    );
    r
}

fn failing_exporter() -> CollectorRates {
    use Counter::*;
    let mut r = collector(&[
        (ReceiverAccepted, "otlp", 700.0),
        (ReceiverRefused, "otlp", 300.0),
        (ProcessorIncoming, "memory_limiter", 1000.0),
        (ProcessorOutgoing, "memory_limiter", 700.0),
        (ProcessorRefused, "memory_limiter", 300.0),
        (ExporterSent, "otlp/jaeger", 10.0),
        (ExporterSendFailed, "otlp/jaeger", 500.0),
        (ExporterEnqueueFailed, "otlp/jaeger", 190.0),
    ]);
    r.queues.insert(
        "otlp/jaeger".into(),
        QueueGauge {
            size: Some(1000.0),
            capacity: Some(1000.0),
        },
    );
    r
}

fn index(name: &str, blocks: &[&str]) -> IndexInfo {
    IndexInfo {
        name: name.into(),
        health: Health::Green,
        status: IndexStatus::Open,
        docs_count: Some(1000),
        store_size_bytes: Some(1 << 20),
        creation_date: None,
        read_only_allow_delete: blocks.contains(&"read_only_allow_delete"),
        blocks: blocks.iter().map(|b| b.to_string()).collect(),
    }
}

fn health(status: Health, unassigned: u64) -> ClusterHealth {
    ClusterHealth {
        cluster_name: "jaeger-es".into(),
        status,
        timed_out: false,
        number_of_nodes: 3,
        number_of_data_nodes: 3,
        active_primary_shards: 10,
        active_shards: 20,
        relocating_shards: 0,
        initializing_shards: 0,
        unassigned_shards: unassigned,
        delayed_unassigned_shards: 0,
        number_of_pending_tasks: 0,
        task_max_waiting_in_queue_millis: 0,
        active_shards_percent: 100.0,
    }
}

fn level(raw: &str, ratio: f64) -> Option<WatermarkLevel> {
    Some(WatermarkLevel {
        raw: raw.into(),
        threshold: Watermark::UsedRatio(ratio),
        max_headroom_bytes: None,
    })
}

fn disk(used_percent: f64) -> DiskUsage {
    let total: u64 = 100 << 30;
    let used = (total as f64 * used_percent / 100.0) as u64;
    DiskUsage {
        nodes: vec![NodeDisk {
            node: "es-data-0".into(),
            host: None,
            ip: None,
            shards: Some(20),
            indices_bytes: Some(used),
            used_bytes: Some(used),
            available_bytes: Some(total - used),
            total_bytes: Some(total),
            percent: Some(used_percent),
        }],
        unassigned_shards: 0,
        watermarks: Watermarks {
            low: level("85%", 0.85),
            high: level("90%", 0.9),
            flood_stage: level("95%", 0.95),
        },
    }
}

fn healthy_storage() -> StorageEvidence {
    StorageEvidence {
        url: "http://es:9200/".into(),
        prefix: None,
        today: "jaeger-span-2026-11-25".into(),
        day_just_started: false,
        health: Some(health(Health::Green, 0)),
        indices: Some(vec![
            index("jaeger-span-2026-11-24", &[]),
            index("jaeger-span-2026-11-25", &[]),
        ]),
        pools: Some(vec![]),
        disk: Some(disk(50.0)),
        jaeger_dropped: None,
    }
}

fn kinds(findings: &[Finding]) -> Vec<(&str, Severity)> {
    findings
        .iter()
        .map(|f| (f.kind.as_str(), f.severity))
        .collect()
}

fn ranked(ev: &DataLossEvidence) -> Vec<Finding> {
    rank(analyze(ev, &DataLossParams::default()))
}

fn healthy() -> DataLossEvidence {
    let mut ev = evidence();
    ev.services = Some(services(
        &[("checkout", 50.0), ("payment", 20.0)],
        &[("checkout", 48.0), ("payment", 21.0)],
        &[("checkout", 40.0), ("payment", 15.0)],
    ));
    ev.sampling = Some(rates(&[("checkout", 0.1), ("payment", 0.1)], "ratio"));
    ev.collector_metrics = Some(CollectorEvidence {
        rates: Some(healthy_collector()),
        scrape: Some(("http://c:8888/metrics".into(), Ok(()))),
    });
    ev.storage = Some(healthy_storage());
    ev.export = Some(ExportEvidence {
        request: "POST /v1/traces".into(),
        result: Ok(OtlpAck {
            status: 200,
            rejected_spans: 0,
            error_message: None,
        }),
    });
    ev.network = Some(vec![TcpProbe {
        target: TcpTarget::Collector,
        what: "OTLP/gRPC".into(),
        addr: "c:4317".into(),
        result: Ok(1),
    }]);
    ev.query_path = Some(QueryPathEvidence {
        service: "checkout".into(),
        es_query: "count".into(),
        es_count: 900,
        jaeger_query: "search".into(),
        jaeger_traces: 100,
    });
    ev
}

#[test]
fn a_healthy_pipeline_has_no_findings() {
    let f = ranked(&healthy());
    assert!(f.is_empty(), "{:#?}", kinds(&f));
}

// --- Producers ---------------------------------------------------------------------------------

#[test]
fn a_service_that_still_serves_but_sends_nothing_is_critical() {
    let mut ev = healthy();
    ev.services = Some(services(
        &[("checkout", 50.0)],
        &[("checkout", 48.0), ("payment", 21.0)],
        &[("checkout", 40.0), ("payment", 15.0)],
    ));
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "service_not_sending");
    assert_eq!(f[0].subject.service.as_deref(), Some("payment"));
    assert_eq!(f[0].severity, Severity::Critical);
    assert!(f[0].detail.contains("still serves"), "{}", f[0].detail);
    assert!(f[0].remediation.iter().any(|r| {
        r.command
            .as_deref()
            .is_some_and(|c| c.contains("deployment/payment -n shop"))
    }));
}

#[test]
fn a_service_that_stopped_serving_is_not_a_tracing_loss() {
    let mut ev = healthy();
    let mut s = services(
        &[("checkout", 50.0)],
        &[("checkout", 48.0), ("payment", 21.0)],
        &[("checkout", 40.0)],
    );
    s.baselines[0].requests = Some(rates(&[("checkout", 40.0), ("payment", 15.0)], "rb"));
    ev.services = Some(s);
    assert!(ranked(&ev).is_empty());
}

#[test]
fn far_fewer_spans_is_a_warning_and_spanmetrics_cannot_tell_serving_apart() {
    let mut ev = healthy();
    ev.services = Some(services(
        &[("checkout", 15.0), ("payment", 20.0)],
        &[("checkout", 48.0), ("payment", 21.0)],
        &[("checkout", 40.0), ("payment", 15.0)],
    ));
    let f = ranked(&ev);
    assert_eq!(kinds(&f), [("service_not_sending", Severity::Warning)]);
    assert!(f[0].title.contains("31%"), "{}", f[0].title);

    let mut ev = healthy();
    let mut s = services(&[], &[("checkout", 48.0)], &[]);
    s.requests_independent = false;
    s.counted_by_collector = true;
    ev.services = Some(s);
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "service_not_sending");
    assert_eq!(f[0].score, 0.7);
    assert!(f[0].detail.contains(COUNTED_BY_COLLECTOR));
}

#[test]
fn a_baseline_too_small_to_judge_is_ignored_and_service_filters() {
    let mut ev = healthy();
    ev.services = Some(services(&[], &[("cron", 0.05), ("payment", 21.0)], &[]));
    ev.service = Some("cron".into());
    assert!(ranked(&ev).is_empty());
}

#[test]
fn sdk_drops_are_a_share_of_the_spans() {
    let mut ev = healthy();
    let mut s = services(&[("checkout", 100.0)], &[("checkout", 100.0)], &[]);
    s.dropped = Some(rates(&[("checkout", 10.0), ("payment", 0.0)], "dropped"));
    ev.services = Some(s);
    let f = ranked(&ev);
    assert_eq!(kinds(&f), [("spans_dropped", Severity::Critical)]);
    assert!(f[0].title.contains("10%"), "{}", f[0].title);
    assert!(
        f[0].remediation[0]
            .command
            .as_deref()
            .unwrap()
            .contains("OTEL_BSP_MAX_QUEUE_SIZE")
    );
}

#[test]
fn sampling_is_held_to_each_tier_of_the_policy() {
    let mut ev = healthy();
    ev.policy.sampling.critical_services = vec!["payment".into()];
    ev.policy.sampling.high_volume_services = vec!["ads".into()];
    ev.services = None;
    ev.sampling = Some(rates(
        &[
            ("payment", 0.1),   // critical at 10%: breaks the 100% policy
            ("ads", 0.3),       // high-volume at 30%: over its 1%
            ("checkout", 0.3),  // default, adaptive: within 0.1%–50%
            ("search", 0.0002), // default below the adaptive minimum
        ],
        "ratio",
    ));
    let f = ranked(&ev);
    let got: Vec<(&str, &str, Severity)> = f
        .iter()
        .map(|f| {
            (
                f.kind.as_str(),
                f.subject.service.as_deref().unwrap(),
                f.severity,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("sampling_misconfigured", "payment", Severity::Critical),
            ("sampling_misconfigured", "search", Severity::Warning),
            ("sampling_misconfigured", "ads", Severity::Warning),
        ]
    );
    assert!(
        f[0].title.contains("10%") && f[0].title.contains("100%"),
        "{}",
        f[0].title
    );
    assert!(
        f[0].remediation[0]
            .command
            .as_deref()
            .unwrap()
            .contains("OTEL_TRACES_SAMPLER_ARG=1 ")
    );
    // Without adaptive sampling, the default rate is the rule.
    ev.policy.adaptive = false;
    ev.sampling = Some(rates(&[("checkout", 0.3)], "ratio"));
    assert_eq!(ranked(&ev)[0].subject.service.as_deref(), Some("checkout"));
}

#[test]
fn the_policy_comes_from_the_guides_document_or_the_config_keys() {
    let guide = "production_sampling:\n  default_sampling:\n    rate: 0.2\n    strategy: probabilistic\n  service_specific_sampling:\n    critical_services:\n      rate: 1.0\n      services: [payment, checkout]\n    high_volume_services:\n      rate: 0.05\n      services: [ads]\n  adaptive_sampling:\n    enabled: false\n    max_sampling_rate: 0.4\n    min_sampling_rate: 0.01\n";
    let data = BTreeMap::from([("policy.yaml".to_string(), guide.to_string())]);
    let (key, spec) = parse_sampling_config(&data).unwrap().unwrap();
    assert_eq!(key, "policy.yaml");
    let p = spec.apply(Policy::default(), "cm");
    assert_eq!(p.sampling.default_rate, 0.2);
    assert_eq!(p.tier("checkout"), Tier::Critical);
    assert_eq!(p.rate(p.tier("ads")), 0.05);
    assert!(!p.adaptive);
    assert_eq!(
        (p.sampling.adaptive_min, p.sampling.adaptive_max),
        (0.01, 0.4)
    );

    let keys = "sampling:\n  default_rate: 0.05\n  critical_services: [payment]\n";
    let data = BTreeMap::from([("x".to_string(), keys.to_string())]);
    let (_, spec) = parse_sampling_config(&data).unwrap().unwrap();
    let p = spec.apply(Policy::default(), "cm");
    assert_eq!(p.sampling.default_rate, 0.05);
    assert_eq!(p.sampling.critical_rate, 1.0, "unset keys keep the guide's");
    assert!(p.adaptive);

    let typo = BTreeMap::from([("x".to_string(), "default_rat: 0.1\n".to_string())]);
    let e = parse_sampling_config(&typo).unwrap_err();
    assert!(e.contains("default_rat"), "{e}");
    assert_eq!(parse_sampling_config(&BTreeMap::new()).unwrap(), None);

    // 10 meant as 10% is not a rate.
    let spec = PolicySpec {
        default_rate: Some(10.0),
        ..Default::default()
    };
    assert_eq!(
        spec.apply(Policy::default(), "x").sampling.default_rate,
        0.1
    );
}

// --- Storage and the causal chain --------------------------------------------------------------

#[test]
fn a_read_only_index_explains_the_exporter_and_everything_behind_it() {
    let mut ev = healthy();
    ev.collector_metrics.as_mut().unwrap().rates = Some(failing_exporter());
    let s = ev.storage.as_mut().unwrap();
    s.indices = Some(vec![
        index("jaeger-span-2026-11-23", &[]),
        index("jaeger-span-2026-11-24", &["read_only_allow_delete"]),
        index("jaeger-span-2026-11-25", &["read_only_allow_delete"]),
    ]);
    s.disk = Some(disk(96.0));
    let f = ranked(&ev);
    let order: Vec<&str> = f.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(
        order,
        [
            "storage_rejections",
            "exporter_failures",
            "queue_saturation",
            "receiver_refused"
        ],
        "{:#?}",
        f.iter()
            .map(|f| (&f.kind, f.score, &f.title))
            .collect::<Vec<_>>()
    );
    let top = &f[0];
    assert_eq!(
        top.subject.resource.as_deref(),
        Some("jaeger-span-2026-11-25")
    );
    assert_eq!(top.subject.dependency.as_deref(), Some("elasticsearch"));
    assert!(top.detail.contains("es-data-0 96% used"), "{}", top.detail);
    let cmds: Vec<&str> = top
        .remediation
        .iter()
        .filter_map(|r| r.command.as_deref())
        .collect();
    assert_eq!(
        cmds[0],
        "curl -XDELETE 'http://es:9200/jaeger-span-2026-11-23'"
    );
    assert!(
        cmds[1].contains("jaeger-span-*/_settings")
            && cmds[1].contains("\"index.blocks.read_only_allow_delete\": null"),
        "{}",
        cmds[1]
    );
    assert!(
        f[1].detail
            .contains("Explained by: jaeger-span-2026-11-25 is read-only")
    );
    // The disk past the flood stage is the block's explanation, not a second finding.
    assert!(!f.iter().any(|f| f.kind == "storage_unhealthy"));
}

#[test]
fn a_red_cluster_explains_exporter_failures() {
    let mut ev = healthy();
    ev.collector_metrics.as_mut().unwrap().rates = Some(failing_exporter());
    ev.storage.as_mut().unwrap().health = Some(health(Health::Red, 7));
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "storage_unhealthy");
    assert_eq!(f[0].subject.resource.as_deref(), Some("storage"));
    assert!(f[0].title.contains("red: 7 unassigned"), "{}", f[0].title);
    assert_eq!(f[1].kind, "exporter_failures");
    assert!(f[1].score < f[0].score);
    for w in f.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
}

#[test]
fn a_yellow_cluster_or_old_rejections_alone_are_warnings() {
    let mut ev = healthy();
    let s = ev.storage.as_mut().unwrap();
    s.health = Some(health(Health::Yellow, 5));
    s.pools = Some(vec![ThreadPoolStats {
        node: "es-data-0".into(),
        pool: "write".into(),
        active: 0,
        queue: 0,
        rejected: 12,
    }]);
    let f = ranked(&ev);
    assert!(
        f.iter().all(|f| f.severity == Severity::Warning),
        "{:#?}",
        kinds(&f)
    );
    // With the exporter failing, the same rejections are the cause.
    ev.collector_metrics.as_mut().unwrap().rates = Some(failing_exporter());
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "storage_rejections");
    assert_eq!(f[0].severity, Severity::Critical);
}

#[test]
fn todays_missing_index_is_named_with_what_exists() {
    let mut ev = healthy();
    ev.storage.as_mut().unwrap().indices = Some(vec![index("jaeger-span-2026-11-24", &[])]);
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "storage_missing_index");
    assert_eq!(
        f[0].subject.resource.as_deref(),
        Some("jaeger-span-2026-11-25")
    );
    assert_eq!(f[0].severity, Severity::Critical);
    ev.storage.as_mut().unwrap().day_just_started = true;
    assert_eq!(ranked(&ev)[0].severity, Severity::Warning);

    let mut ev = healthy();
    ev.storage.as_mut().unwrap().indices = Some(vec![index("prod-jaeger-span-2026-11-25", &[])]);
    let f = ranked(&ev);
    assert!(
        f[0].title.contains("prod-jaeger-span-2026-11-25"),
        "{}",
        f[0].title
    );

    // Rollover indices: no daily name is expected.
    let mut ev = healthy();
    ev.storage.as_mut().unwrap().indices = Some(vec![
        index("jaeger-span-000001", &[]),
        index("jaeger-span-000002", &["write"]),
    ]);
    let f = ranked(&ev);
    assert_eq!(kinds(&f), [("storage_rejections", Severity::Critical)]);
    assert_eq!(f[0].subject.resource.as_deref(), Some("jaeger-span-000002"));
}

#[test]
fn stored_spans_the_query_service_misses_name_the_likely_cause() {
    let mut ev = healthy();
    ev.storage.as_mut().unwrap().indices = Some(vec![
        index("jaeger-span-2026-11-25", &[]),
        index("prod-jaeger-span-2026-11-25", &[]),
    ]);
    let q = ev.query_path.as_mut().unwrap();
    q.jaeger_traces = 0;
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "query_mismatch");
    assert_eq!(f[0].subject.service.as_deref(), Some("checkout"));
    assert!(
        f[0].detail.contains("Likely cause: index prefix")
            && f[0].detail.contains("prod-jaeger-span"),
        "{}",
        f[0].detail
    );

    ev.storage.as_mut().unwrap().indices = Some(vec![index("jaeger-span-2026.11.25", &[])]);
    let f = ranked(&ev);
    let q = f.iter().find(|f| f.kind == "query_mismatch").unwrap();
    assert!(
        q.detail.contains("Likely cause: date layout"),
        "{}",
        q.detail
    );

    ev.storage.as_mut().unwrap().indices = Some(vec![index("jaeger-span-2026-11-25", &[])]);
    let f = ranked(&ev);
    assert!(
        f[0].detail.contains("Likely cause: time zone"),
        "{}",
        f[0].detail
    );

    ev.query_path.as_mut().unwrap().es_count = 0;
    assert!(ranked(&ev).is_empty(), "nothing stored: nothing missed");
}

// --- Reachability, pods, network ---------------------------------------------------------------

fn down(message: &str) -> ProbeError {
    ProbeError {
        connect: true,
        status: None,
        message: message.into(),
    }
}

#[test]
fn an_unreachable_collector_is_the_diagnosis() {
    let mut ev = healthy();
    ev.collector_metrics = Some(CollectorEvidence {
        rates: None,
        scrape: Some(("http://c:8888/metrics".into(), Err(down("refused")))),
    });
    ev.export = Some(ExportEvidence {
        request: "POST /v1/traces".into(),
        result: Err(down("refused")),
    });
    ev.network = Some(vec![TcpProbe {
        target: TcpTarget::Collector,
        what: "OTLP/gRPC".into(),
        addr: "c:4317".into(),
        result: Err("connection refused".into()),
    }]);
    let f = ranked(&ev);
    assert_eq!(kinds(&f), [("collector_unreachable", Severity::Critical)]);
    assert_eq!(f[0].score, 0.97);
    assert_eq!(f[0].subject.resource.as_deref(), Some("otel-collector"));
    assert_eq!(f[0].evidence.len(), 2);
}

#[test]
fn the_otlp_receivers_answers_to_an_empty_export() {
    let mut ev = healthy();
    let status = |code: u16| ProbeError {
        connect: false,
        status: Some(code),
        message: format!("HTTP {code}"),
    };
    ev.export.as_mut().unwrap().result = Err(status(503));
    let f = ranked(&ev);
    assert_eq!(kinds(&f), [("receiver_refused", Severity::Critical)]);
    assert_eq!(f[0].subject.resource.as_deref(), Some("receiver/otlp"));
    ev.export.as_mut().unwrap().result = Err(status(404));
    assert_eq!(ranked(&ev)[0].kind, "collector_unreachable");
    ev.export.as_mut().unwrap().result = Err(status(401));
    assert!(ranked(&ev).is_empty());

    // Metrics down, receiver up: a blind spot, not a loss.
    let mut ev = healthy();
    ev.collector_metrics.as_mut().unwrap().scrape =
        Some(("http://c:8888/metrics".into(), Err(down("refused"))));
    assert_eq!(
        kinds(&ranked(&ev)),
        [("network_unreachable", Severity::Warning)]
    );
}

#[test]
fn a_closed_port_on_the_path_is_network_unreachable() {
    let mut ev = healthy();
    ev.network = Some(vec![
        TcpProbe {
            target: TcpTarget::Collector,
            what: "OTLP/gRPC".into(),
            addr: "c:4317".into(),
            result: Err("connection refused".into()),
        },
        TcpProbe {
            target: TcpTarget::Jaeger,
            what: "Jaeger collector gRPC".into(),
            addr: "j:14250".into(),
            result: Err("connection refused".into()),
        },
    ]);
    let f = ranked(&ev);
    assert_eq!(
        kinds(&f),
        [
            ("network_unreachable", Severity::Critical),
            ("network_unreachable", Severity::Warning)
        ]
    );
    assert_eq!(f[0].subject.dependency.as_deref(), Some("otel-collector"));
    assert_eq!(f[1].subject.dependency.as_deref(), Some("jaeger"));
}

fn pod(name: &str, ready: bool, state: ContainerState, last: Option<(&str, f64)>) -> PodInfo {
    PodInfo {
        name: name.into(),
        phase: Some("Running".into()),
        node: None,
        started: None,
        containers: vec![ContainerInfo {
            name: "otel-collector".into(),
            image: "otel/opentelemetry-collector-contrib:0.115.0".into(),
            ready,
            restart_count: 3,
            state,
            last_terminated: last.map(|(reason, at)| Terminated {
                reason: Some(reason.into()),
                exit_code: 137,
                started_at: None,
                finished_at: jiff::Timestamp::from_second(at as i64).ok(),
            }),
            resources: Resources {
                requests: BTreeMap::new(),
                limits: BTreeMap::from([("memory".to_string(), "512Mi".to_string())]),
            },
        }],
    }
}

fn running() -> ContainerState {
    ContainerState::Running { started_at: None }
}

#[test]
fn an_oom_kill_in_the_lookback_says_which_limit_to_raise() {
    let mut ev = healthy();
    ev.pods = Some(PodEvidence {
        collector_pods: Some(vec![
            pod(
                "otel-collector-a",
                true,
                running(),
                Some(("OOMKilled", NOW - 600.0)),
            ),
            pod(
                "otel-collector-b",
                true,
                running(),
                Some(("OOMKilled", NOW - 86_400.0)),
            ),
        ]),
        jaeger_pods: Some(vec![]),
        resources: None,
    });
    let f = ranked(&ev);
    assert_eq!(kinds(&f), [("collector_restarts", Severity::Critical)]);
    assert_eq!(f[0].subject.pod.as_deref(), Some("otel-collector-a"));
    assert_eq!(f[0].subject.resource.as_deref(), Some("memory"));
    assert!(
        f[0].title.contains("09:50 UTC") && f[0].title.contains("512Mi"),
        "{}",
        f[0].title
    );
    assert_eq!(
        f[0].remediation[0].command.as_deref(),
        Some(
            "kubectl set resources deployment/otel-collector -c otel-collector --limits=memory=1Gi -n monitoring"
        )
    );
}

#[test]
fn no_ready_collector_pod_is_unreachable() {
    let mut ev = healthy();
    let looping = ContainerState::Waiting {
        reason: Some("CrashLoopBackOff".into()),
        message: None,
    };
    ev.pods = Some(PodEvidence {
        collector_pods: Some(vec![pod(
            "otel-collector-a",
            false,
            looping,
            Some(("Error", NOW - 60.0)),
        )]),
        jaeger_pods: None,
        resources: None,
    });
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "collector_unreachable");
    assert!(
        f[0].title.contains("1 in CrashLoopBackOff"),
        "{}",
        f[0].title
    );
    assert_eq!(f[1].kind, "collector_restarts");
}

#[test]
fn quantities_round_trip_to_the_next_64mi() {
    assert_eq!(parse_quantity("512Mi"), Some(536_870_912.0));
    assert_eq!(parse_quantity("1Gi"), Some(1_073_741_824.0));
    assert_eq!(parse_quantity("500M"), Some(5e8));
    assert_eq!(parse_quantity("lots"), None);
    assert_eq!(format_quantity(2.0 * 536_870_912.0), "1Gi");
    assert_eq!(format_quantity(5e8 * 2.0), "960Mi");
}

// --- Configuration -----------------------------------------------------------------------------

#[test]
fn a_service_config_that_disables_tracing_explains_its_silence() {
    let mut ev = healthy();
    ev.service = Some("payment".into());
    ev.services = Some(services(&[], &[("payment", 21.0)], &[("payment", 15.0)]));
    ev.config = Some(ConfigEvidence {
        collector: None,
        service: Some((
            "payment-config".into(),
            BTreeMap::from([("OTEL_SDK_DISABLED".to_string(), "true".to_string())]),
        )),
    });
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "config_risk");
    assert_eq!(f[0].subject.service.as_deref(), Some("payment"));
    assert_eq!(
        f[0].subject.resource.as_deref(),
        Some("configmap/payment-config")
    );
    assert_eq!(f[1].kind, "service_not_sending");
    assert!(
        f[1].detail
            .contains("Explained by: payment-config disables"),
        "{}",
        f[1].detail
    );
}

const RISKY: &str = "receivers:\n  otlp:\n    protocols:\n      http: {}\nexporters:\n  otlp/jaeger:\n    endpoint: jaeger:4317\n    sending_queue:\n      enabled: false\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [otlp/jaeger]\n";

#[test]
fn config_risks_rank_on_their_own_and_below_a_measured_loss() {
    let mut ev = healthy();
    ev.config = Some(ConfigEvidence {
        collector: Some(ConfigText {
            source: "configmap monitoring/otel-collector-config key relay".into(),
            text: RISKY.into(),
        }),
        service: None,
    });
    let f = ranked(&ev);
    assert!(!f.is_empty() && f.iter().all(|f| f.kind == "config_risk"));
    assert_eq!(f[0].subject.resource.as_deref(), Some("pipeline/traces"));
    let alone = f[0].score;

    ev.storage.as_mut().unwrap().health = Some(health(Health::Red, 3));
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "storage_unhealthy");
    let risk = f.iter().find(|f| f.kind == "config_risk").unwrap();
    assert!(risk.score <= 0.5 && risk.score <= alone);
    assert!(risk.severity <= Severity::Warning);

    ev.config.as_mut().unwrap().collector.as_mut().unwrap().text = "receivers: [".into();
    let f = ranked(&ev);
    assert!(
        f.iter()
            .any(|f| f.kind == "config_risk" && f.title.contains("cannot be read"))
    );
}

#[test]
fn the_report_is_the_same_whatever_order_evidence_comes_in() {
    let mut ev = healthy();
    ev.collector_metrics.as_mut().unwrap().rates = Some(failing_exporter());
    ev.storage.as_mut().unwrap().health = Some(health(Health::Red, 7));
    ev.sampling = Some(rates(&[("payment", 0.0001), ("checkout", 0.9)], "ratio"));
    let a = ranked(&ev);
    let b = ranked(&ev);
    assert_eq!(a, b);
}

#[test]
fn memory_limiter_refusals_explain_the_receivers_503() {
    use Counter::*;
    let mut ev = healthy();
    ev.collector_metrics.as_mut().unwrap().rates = Some(collector(&[
        (ReceiverAccepted, "otlp", 600.0),
        (ReceiverRefused, "otlp", 400.0),
        (ProcessorAccepted, "memory_limiter", 600.0),
        (ProcessorRefused, "memory_limiter", 400.0),
        (ExporterSent, "otlp/jaeger", 600.0),
    ]));
    ev.export.as_mut().unwrap().result = Err(ProbeError {
        connect: false,
        status: Some(503),
        message: "HTTP 503".into(),
    });
    let f = ranked(&ev);
    assert_eq!(f[0].kind, "receiver_refused");
    assert_eq!(
        f[0].subject.resource.as_deref(),
        Some("processor/memory_limiter")
    );
    assert_eq!(f[1].subject.resource.as_deref(), Some("receiver/otlp"));
    assert!(f[1].detail.contains("Explained by"), "{}", f[1].detail);
}

/// Jaeger's remote sampling strategies, as a strategies file holds them (JSON).
const JAEGER_STRATEGIES: &str = r#"{
  "service_strategies": [
    {"service": "payment", "type": "probabilistic", "param": 1.0},
    {"service": "search", "type": "probabilistic", "param": 0.5,
     "operation_strategies": [
       {"operation": "GET /healthz", "type": "probabilistic", "param": 0.0},
       {"operation": "POST /query", "type": "probabilistic", "param": 0.8}
     ]},
    {"service": "ads", "type": "probabilistic", "param": 0.02},
    {"service": "telemetry", "type": "ratelimiting", "param": 5}
  ],
  "default_strategy": {"type": "probabilistic", "param": 0.2}
}"#;

#[test]
fn jaegers_strategies_file_is_a_policy_with_per_service_and_per_operation_rates() {
    let data = BTreeMap::from([("strategies.json".to_string(), JAEGER_STRATEGIES.to_string())]);
    let (key, spec) = parse_sampling_config(&data).unwrap().unwrap();
    assert_eq!(key, "strategies.json");
    let p = spec.apply(Policy::default(), "cm");
    // Sampling everything is the strategies file's way of saying critical.
    assert_eq!(p.expect("payment").tier, Tier::Critical);
    let ads = p.expect("ads");
    assert_eq!((ads.tier, ads.rate, ads.range), (Tier::Service, 0.02, None));
    // A fixed default: not adaptive.
    let other = p.expect("checkout");
    assert_eq!(
        (other.tier, other.rate, other.range),
        (Tier::Default, 0.2, None)
    );
    assert_eq!(p.expect("search").range, Some((0.0, 0.8)));
    assert!(
        p.expect("search").words().contains("by operation"),
        "{}",
        p.expect("search").words()
    );

    let mut ev = healthy();
    ev.policy = p;
    ev.services = None;
    ev.sampling = Some(rates(
        &[
            ("payment", 0.1),   // critical at 10%
            ("ads", 0.02),      // exactly its own rate
            ("search", 0.05),   // within its operations' 0%..80%
            ("telemetry", 0.9), // rate-limited: not a ratio to judge
            ("checkout", 0.02), // default 20%, not adaptive: far under
        ],
        "ratio",
    ));
    let got: Vec<(String, Severity)> = ranked(&ev)
        .iter()
        .map(|f| (f.subject.service.clone().unwrap(), f.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("payment".to_string(), Severity::Critical),
            ("checkout".to_string(), Severity::Warning)
        ]
    );
    // A rate outside 0..1 is an error naming the service, not a silent policy.
    let bad = BTreeMap::from([(
        "s.json".to_string(),
        r#"{"service_strategies": [{"service": "a", "type": "probabilistic", "param": 10}]}"#
            .to_string(),
    )]);
    let e = parse_sampling_config(&bad).unwrap_err();
    assert!(e.contains("service a: probabilistic param 10"), "{e}");
}

#[test]
fn the_sdk_environment_names_the_service_and_its_rate() {
    use crate::analysis::dataloss::{sdk_rate, sdk_service_name};
    assert_eq!(
        sdk_rate("parentbased_traceidratio", Some("0.25")),
        Some(0.25)
    );
    assert_eq!(
        sdk_rate("traceidratio", None),
        Some(1.0),
        "the spec's default argument"
    );
    assert_eq!(sdk_rate("always_off", None), Some(0.0));
    assert_eq!(sdk_rate("parentbased_always_on", Some("0.1")), Some(1.0));
    assert_eq!(sdk_rate("traceidratio", Some("10")), None, "not a ratio");
    assert_eq!(sdk_rate("jaeger_remote", Some("endpoint=http://x")), None);
    let env = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        sdk_service_name(&env(&[("OTEL_SERVICE_NAME", "PetSite")]), "petsite"),
        "PetSite"
    );
    assert_eq!(
        sdk_service_name(
            &env(&[(
                "OTEL_RESOURCE_ATTRIBUTES",
                "deployment.environment=prod, service.name=payments.v2"
            )]),
            "payments"
        ),
        "payments.v2"
    );
    assert_eq!(sdk_service_name(&env(&[]), "checkout"), "checkout");
}

fn deployment(name: &str, env: &[(&str, &str)]) -> crate::model::cluster::DeploymentInfo {
    crate::model::cluster::DeploymentInfo {
        namespace: "shop".into(),
        name: name.into(),
        current_revision: Some(1),
        replicas: 1,
        updated_replicas: 1,
        ready_replicas: 1,
        available_replicas: 1,
        selector: format!("app={name}"),
        containers: vec![crate::model::cluster::ContainerSpec {
            name: name.into(),
            image: format!("{name}:1"),
            resources: Resources::default(),
            sdk_env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }],
    }
}

/// Issue #17: which source holds each service. The SDK environment names its Deployment per
/// service and leaves the others (and the default tier) to the guide's defaults; a source that
/// sets the default holds every service it does not name.
#[test]
fn each_service_names_the_source_that_holds_it() {
    let ds = [
        deployment(
            "payment-api",
            &[
                ("OTEL_SERVICE_NAME", "payment"),
                ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "1.0"),
            ],
        ),
        deployment(
            "checkout",
            &[
                ("OTEL_TRACES_SAMPLER", "traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.2"),
            ],
        ),
        deployment("frontend", &[]),
    ];
    let (spec, from) = PolicySpec::from_sdk_env(&ds, "shop").unwrap();
    assert_eq!(from, ["deployment/payment-api", "deployment/checkout"]);
    let p = spec.apply(Policy::default(), "the SDK environment of both in shop");
    assert_eq!(
        p.source_of("payment"),
        "the SDK environment of deployment/payment-api in shop"
    );
    assert_eq!(p.expect("payment").tier, Tier::Critical);
    assert_eq!(
        p.source_of("checkout"),
        "the SDK environment of deployment/checkout in shop"
    );
    assert_eq!(p.expect("checkout").rate, 0.2);
    assert_eq!(p.source_of("frontend"), GUIDE_DEFAULTS);
    assert_eq!(p.expect("frontend").tier, Tier::Default);

    // A strategies file sets the default: it holds every service.
    let data = BTreeMap::from([("s.json".to_string(), JAEGER_STRATEGIES.to_string())]);
    let (_, spec) = parse_sampling_config(&data).unwrap().unwrap();
    let p = spec.apply(Policy::default(), "cm");
    for svc in ["payment", "anything"] {
        assert_eq!(p.source_of(svc), "cm", "{svc}");
    }
    // One that names services only does not: the guide's default tier stays the guide's.
    let spec = PolicySpec {
        critical_services: vec!["payment".into()],
        ..PolicySpec::default()
    };
    let p = spec.apply(Policy::default(), "cm");
    assert_eq!(p.source_of("payment"), "cm");
    assert_eq!(p.source_of("frontend"), GUIDE_DEFAULTS);
}
