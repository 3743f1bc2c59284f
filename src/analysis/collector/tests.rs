//! The funnel and its findings on hand-made rates.

use super::*;
use crate::model::collector::{self as col, CollectorRates, CollectorSnapshot, QueueGauge};
use crate::report::Severity;

fn rates(counters: &[(Counter, &str, f64)]) -> CollectorRates {
    CollectorRates {
        window_seconds: 30.0,
        counters: counters
            .iter()
            .map(|(c, id, v)| ((*c, id.to_string()), *v))
            .collect(),
        ..Default::default()
    }
}

fn kinds(findings: &[Finding]) -> Vec<(&str, &str)> {
    findings
        .iter()
        .map(|f| (f.kind.as_str(), f.subject.resource.as_deref().unwrap_or("")))
        .collect()
}

use Counter::*;

#[test]
fn a_healthy_collector_has_no_findings() {
    let mut r = rates(&[
        (ReceiverAccepted, "otlp", 1000.0),
        (ProcessorIncoming, "memory_limiter", 1000.0),
        (ProcessorOutgoing, "memory_limiter", 1000.0),
        (ProcessorIncoming, "batch", 1000.0),
        (ProcessorOutgoing, "batch", 990.0),
        (ProcessorIncoming, "tail_sampling", 990.0),
        (ProcessorOutgoing, "tail_sampling", 99.0),
        (ExporterSent, "otlp/jaeger", 99.0),
    ]);
    r.queues.insert(
        "otlp/jaeger".into(),
        QueueGauge {
            size: Some(10.0),
            capacity: Some(1000.0),
        },
    );
    let params = FunnelParams::default();
    assert!(funnel_findings(&r, &params).is_empty());

    let flows = funnel(&r, &params);
    let ids: Vec<String> = flows.iter().map(StageFlow::resource).collect();
    assert_eq!(
        ids,
        vec![
            "receiver/otlp",
            "processor/batch",
            "processor/memory_limiter",
            "processor/tail_sampling",
            "exporter/otlp/jaeger"
        ]
    );
    assert_eq!(flows[1].difference, vec![(Outcome::InFlight, 10.0)]);
    assert_eq!(flows[3].difference, vec![(Outcome::Sampled, 891.0)]);
    assert_eq!(flows[3].lost(), 0.0);
}

/// Storage down: the exporter fails, its queue fills, memory grows, memory_limiter refuses.
#[test]
fn the_causal_chain_orders_the_scores() {
    let mut r = rates(&[
        (ReceiverAccepted, "otlp", 700.0),
        (ReceiverRefused, "otlp", 300.0),
        (ProcessorIncoming, "memory_limiter", 1000.0),
        (ProcessorOutgoing, "memory_limiter", 700.0),
        (ProcessorRefused, "memory_limiter", 300.0),
        (ExporterSent, "otlp/jaeger", 100.0),
        (ExporterSendFailed, "otlp/jaeger", 400.0),
        (ExporterEnqueueFailed, "otlp/jaeger", 200.0),
    ]);
    r.queues.insert(
        "otlp/jaeger".into(),
        QueueGauge {
            size: Some(1000.0),
            capacity: Some(1000.0),
        },
    );
    r.process.memory_rss_bytes = Some(400.0 * 1048576.0);
    let params = FunnelParams {
        workload: Some("deployment/otel-collector".into()),
        namespace: Some("observability".into()),
        ..Default::default()
    };
    let mut findings = funnel_findings(&r, &params);
    findings = crate::report::rank(findings);
    assert_eq!(
        kinds(&findings),
        vec![
            ("exporter_failures", "exporter/otlp/jaeger"),
            ("queue_saturation", "exporter/otlp/jaeger"),
            ("receiver_refused", "processor/memory_limiter"),
        ]
    );
    assert!(findings.iter().all(|f| f.severity == Severity::Critical));
    assert!(findings.iter().all(|f| (0.0..=1.0).contains(&f.score)));

    let ef = &findings[0];
    assert!(ef.title.contains("400 spans/s"), "{}", ef.title);
    assert_eq!(ef.evidence[0].source, "collector");
    assert_eq!(
        ef.evidence[0].query.as_deref(),
        Some("rate(otelcol_exporter_send_failed_spans{exporter=\"otlp/jaeger\"}[30s])")
    );
    assert!(ef.remediation.iter().any(|m| {
        m.command
            .as_deref()
            .is_some_and(|c| c.contains("max_elapsed_time: 600s"))
    }));

    let q = &findings[1];
    assert!(
        q.title.contains("200 spans/s dropped at enqueue"),
        "{}",
        q.title
    );
    let cmd = q.remediation[0].command.as_deref().unwrap();
    assert!(cmd.contains("otlp/jaeger:\n    sending_queue:"), "{cmd}");
    assert!(cmd.contains("queue_size: 2000") && cmd.contains("num_consumers: 20"));

    let m = &findings[2];
    assert!(
        m.title.contains("receivers otlp refuse them"),
        "{}",
        m.title
    );
    let rss = m
        .evidence
        .iter()
        .find(|e| e.value.as_deref() == Some("400 MiB"))
        .unwrap();
    assert_eq!(rss.query.as_deref(), Some("otelcol_process_memory_rss"));
    // 400 MiB RSS → 1.5× in 128 MiB steps = 640; the pod gets 640 / 0.8 → 896 Mi.
    let cfg = m.remediation[0].command.as_deref().unwrap();
    assert!(
        cfg.contains("limit_mib: 640") && cfg.contains("spike_limit_mib: 128"),
        "{cfg}"
    );
    assert_eq!(
        m.remediation[1].command.as_deref(),
        Some(
            "kubectl -n observability set resources deployment/otel-collector --limits=memory=896Mi"
        )
    );
}

#[test]
fn processor_losses_are_told_from_sampling_and_batching() {
    let r = rates(&[
        (ProcessorIncoming, "transform/scrub", 100.0),
        (ProcessorOutgoing, "transform/scrub", 80.0),
        (ProcessorIncoming, "filter/health", 100.0),
        (ProcessorOutgoing, "filter/health", 50.0),
        (ProcessorIncoming, "probabilistic_sampler", 50.0),
        (ProcessorOutgoing, "probabilistic_sampler", 5.0),
        (ProcessorDropped, "attributes", 2.0),
        (ProcessorAccepted, "attributes", 98.0),
        (ProcessorIncoming, "k8sattributes", 100.0),
        (ProcessorOutgoing, "k8sattributes", 99.95),
    ]);
    let f = funnel_findings(&r, &FunnelParams::default());
    assert_eq!(
        kinds(&f),
        vec![
            ("processor_drops", "processor/attributes"),
            ("processor_drops", "processor/transform/scrub"),
        ]
    );
    let attrs = &f[0];
    assert!(
        attrs.title.contains("2.00 spans/s (2% of its input)"),
        "{}",
        attrs.title
    );
    assert_eq!(attrs.severity, Severity::Warning);
    let scrub = &f[1];
    assert_eq!(scrub.severity, Severity::Critical);
    assert!(scrub.detail.contains("incoming − outgoing"));
    assert_eq!(
        scrub.remediation[0].command.as_deref(),
        Some("processors:\n  transform/scrub:\n    error_mode: ignore")
    );
}

#[test]
fn receivers_refusing_without_a_memory_limiter() {
    let r = rates(&[
        (ReceiverAccepted, "otlp", 980.0),
        (ReceiverRefused, "otlp", 15.0),
        (ReceiverFailed, "otlp", 5.0),
        (ReceiverAccepted, "jaeger", 10.0),
        (ReceiverRefused, "jaeger", 0.01),
    ]);
    let f = funnel_findings(&r, &FunnelParams::default());
    assert_eq!(kinds(&f), vec![("receiver_refused", "receiver/otlp")]);
    assert!(
        f[0].title
            .contains("refuses 15.0 spans/s and fails 5.00 spans/s (2% of")
    );
    assert_eq!(f[0].evidence.len(), 2);
}

#[test]
fn queue_fill_thresholds() {
    for (size, expect) in [
        (700.0, None),
        (850.0, Some(Severity::Warning)),
        (990.0, Some(Severity::Critical)),
    ] {
        let mut r = rates(&[(ExporterSent, "otlp", 100.0)]);
        r.queues.insert(
            "otlp".into(),
            QueueGauge {
                size: Some(size),
                capacity: Some(1000.0),
            },
        );
        let f = funnel_findings(&r, &FunnelParams::default());
        assert_eq!(f.first().map(|f| f.severity), expect, "size {size}");
        if let Some(x) = f.first() {
            assert_eq!(x.kind, "queue_saturation");
            assert!(x.score < 0.95 && x.score >= 0.45);
        }
    }
}

#[test]
fn restarts_from_a_counter_reset() {
    let parse = |t: &str| {
        CollectorSnapshot::from_samples(
            &crate::backends::collector::text_format::parse(t, 100).samples,
        )
    };
    let before = parse("otelcol_exporter_sent_spans_total{exporter=\"otlp\"} 9000\n");
    let after = parse("otelcol_exporter_sent_spans_total{exporter=\"otlp\"} 600\n");
    let r = col::rates(&before, &after, 30.0);
    let f = funnel_findings(&r, &FunnelParams::default());
    assert_eq!(kinds(&f), vec![("collector_restarts", "collector")]);
    assert_eq!(
        f[0].evidence[0].query.as_deref(),
        Some("otelcol_exporter_sent_spans_total{exporter=\"otlp\"}")
    );
    assert_eq!(
        f[0].evidence[0].value.as_deref(),
        Some("9000 → 600 (reset)")
    );
}

#[test]
fn evidence_from_prometheus_cites_the_promql() {
    let qs = crate::backends::collector::prometheus_queries(
        std::time::Duration::from_secs(300),
        std::time::Duration::from_secs(3600),
        &[],
    );
    let l = |v: &str| col::Labels::from([("exporter".to_string(), v.to_string())]);
    let (otlp, none) = (l("otlp"), col::Labels::new());
    let results = vec![
        ("otelcol_exporter_sent_spans", &otlp, 0.0),
        ("otelcol_exporter_send_failed_spans", &otlp, 12.0),
        (crate::backends::collector::RESTARTS, &none, 3.0),
    ];
    let r = CollectorRates::from_prometheus(300.0, results).with_queries(&qs);
    let f = crate::report::rank(funnel_findings(&r, &FunnelParams::default()));
    assert_eq!(
        kinds(&f),
        vec![
            ("exporter_failures", "exporter/otlp"),
            ("collector_restarts", "collector")
        ]
    );
    assert!(f[0].title.contains("fails every send"));
    assert_eq!(f[0].evidence[0].source, "prometheus");
    assert!(
        f[0].evidence[0]
            .query
            .as_deref()
            .unwrap()
            .starts_with("sum by (exporter) (rate(")
    );
    assert!(f[1].title.contains("3 time(s)"));
    assert!(
        f[1].evidence[0]
            .query
            .as_deref()
            .unwrap()
            .starts_with("sum(resets(")
    );
}
