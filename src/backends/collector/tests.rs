//! The Collector metrics model on hand-written expositions of each name generation.

use std::time::Duration;

use super::text_format::parse;
use super::*;

fn snapshot(text: &str) -> CollectorSnapshot {
    let e = parse(text, 10_000);
    assert_eq!(e.skipped, 0, "{:?}", e.errors);
    CollectorSnapshot::from_samples(&e.samples)
}

fn key(c: Counter, id: &str) -> CounterKey {
    (c, id.to_string())
}

/// The default :8888 endpoint (no `_total`), v0.110+ processor metrics, service_* labels.
const DEFAULT_GEN: &str = r#"
# TYPE otelcol_receiver_accepted_spans counter
otelcol_receiver_accepted_spans{receiver="otlp",service_instance_id="a",service_name="otelcol-contrib",service_version="0.115.0",transport="grpc"} 900
otelcol_receiver_accepted_spans{receiver="otlp",service_instance_id="a",service_name="otelcol-contrib",service_version="0.115.0",transport="http"} 100
# TYPE otelcol_receiver_refused_spans counter
otelcol_receiver_refused_spans{receiver="otlp",transport="grpc"} 50
# TYPE otelcol_processor_incoming_items counter
otelcol_processor_incoming_items{otel_signal="traces",processor="batch"} 1000
otelcol_processor_incoming_items{otel_signal="metrics",processor="batch"} 777
# TYPE otelcol_processor_outgoing_items counter
otelcol_processor_outgoing_items{otel_signal="traces",processor="batch"} 990
# TYPE otelcol_exporter_sent_spans counter
otelcol_exporter_sent_spans{exporter="otlp/jaeger"} 950
# TYPE otelcol_exporter_send_failed_spans counter
otelcol_exporter_send_failed_spans{exporter="otlp/jaeger",error_type="Unavailable"} 30
otelcol_exporter_send_failed_spans{exporter="otlp/jaeger",error_type="DeadlineExceeded"} 10
# TYPE otelcol_exporter_queue_size gauge
otelcol_exporter_queue_size{data_type="traces",exporter="otlp/jaeger"} 900
otelcol_exporter_queue_size{data_type="metrics",exporter="otlp/jaeger"} 1
# TYPE otelcol_exporter_queue_capacity gauge
otelcol_exporter_queue_capacity{data_type="traces",exporter="otlp/jaeger"} 1000
# TYPE otelcol_process_memory_rss gauge
otelcol_process_memory_rss 2.5e+08
# TYPE otelcol_process_uptime counter
otelcol_process_uptime 3600.5
"#;

/// A config with its own Prometheus reader (Jaeger v2, v0.119–v0.150): `_total` and units.
const READER_GEN: &str = r#"
# TYPE otelcol_receiver_accepted_spans_total counter
otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 1000
# TYPE otelcol_exporter_sent_spans_total counter
otelcol_exporter_sent_spans_total{exporter="jaeger_storage_exporter"} 1000
# TYPE otelcol_process_memory_rss_bytes gauge
otelcol_process_memory_rss_bytes 1.0e+08
# TYPE otelcol_process_uptime_seconds_total counter
otelcol_process_uptime_seconds_total 60
"#;

/// v0.130.0's bug, and the old processor and memory_limiter metrics.
const BUGGY_GEN: &str = r#"
otelcol_receiver_accepted_spans__spans__total{receiver="jaeger"} 400
otelcol_exporter_sent_spans__spans__total{exporter="otlp"} 380
otelcol_processor_incoming_items__items__total{otel_signal="traces",processor="filter/health"} 400
otelcol_exporter_queue_size__batches_{exporter="otlp"} 3
otelcol_processor_refused_spans{processor="memory_limiter"} 20
otelcol_processor_memory_limiter_refused_spans{processor="memory_limiter/2"} 5
otelcol_processor_memory_limiter_accepted_spans 7
otelcol_processor_dropped_spans{processor="attributes"} 2
"#;

#[test]
fn canonical_names_of_every_generation() {
    for (exposed, canonical) in [
        (
            "otelcol_receiver_accepted_spans",
            "otelcol_receiver_accepted_spans",
        ),
        (
            "otelcol_receiver_accepted_spans_total",
            "otelcol_receiver_accepted_spans",
        ),
        (
            "otelcol_exporter_sent_spans__spans__total",
            "otelcol_exporter_sent_spans",
        ),
        (
            "otelcol_exporter_queue_size__batches_",
            "otelcol_exporter_queue_size",
        ),
        (
            "otelcol_process_memory_rss_bytes",
            "otelcol_process_memory_rss",
        ),
        (
            "otelcol_process_uptime_seconds_total",
            "otelcol_process_uptime",
        ),
        ("__weird", "__weird"),
    ] {
        assert_eq!(canonical_name(exposed), canonical, "{exposed}");
    }
}

#[test]
fn default_generation() {
    let s = snapshot(DEFAULT_GEN);
    assert_eq!(s.counters[&key(Counter::ReceiverAccepted, "otlp")], 1000.0);
    assert_eq!(s.counters[&key(Counter::ReceiverRefused, "otlp")], 50.0);
    // Metrics items are not spans.
    assert_eq!(
        s.counters[&key(Counter::ProcessorIncoming, "batch")],
        1000.0
    );
    assert_eq!(s.counters[&key(Counter::ProcessorOutgoing, "batch")], 990.0);
    // Detailed-level error labels are summed.
    assert_eq!(
        s.counters[&key(Counter::ExporterSendFailed, "otlp/jaeger")],
        40.0
    );
    let q = s.queues["otlp/jaeger"];
    assert_eq!((q.size, q.capacity), (Some(900.0), Some(1000.0)));
    assert_eq!(q.fill(), Some(0.9));
    assert_eq!(s.process.memory_rss_bytes, Some(2.5e8));
    assert_eq!(s.process.uptime_seconds, Some(3600.5));
    assert_eq!(
        s.names[&Metric::Counter(Counter::ReceiverAccepted)],
        "otelcol_receiver_accepted_spans"
    );
}

#[test]
fn reader_generation_with_total_and_units() {
    let s = snapshot(READER_GEN);
    assert_eq!(s.counters[&key(Counter::ReceiverAccepted, "otlp")], 1000.0);
    assert_eq!(
        s.counters[&key(Counter::ExporterSent, "jaeger_storage_exporter")],
        1000.0
    );
    assert_eq!(s.process.memory_rss_bytes, Some(1.0e8));
    assert_eq!(s.process.uptime_seconds, Some(60.0));
    assert_eq!(
        s.names[&Metric::Counter(Counter::ExporterSent)],
        "otelcol_exporter_sent_spans_total"
    );
}

#[test]
fn buggy_and_old_processor_generations() {
    let s = snapshot(BUGGY_GEN);
    assert_eq!(s.counters[&key(Counter::ReceiverAccepted, "jaeger")], 400.0);
    assert_eq!(s.counters[&key(Counter::ExporterSent, "otlp")], 380.0);
    assert_eq!(
        s.counters[&key(Counter::ProcessorIncoming, "filter/health")],
        400.0
    );
    // No data_type label: counted as traces.
    assert_eq!(s.queues["otlp"].size, Some(3.0));
    assert_eq!(
        s.counters[&key(Counter::ProcessorRefused, "memory_limiter")],
        20.0
    );
    assert_eq!(
        s.counters[&key(Counter::ProcessorRefused, "memory_limiter/2")],
        5.0
    );
    // Without a processor label, the memory_limiter-specific name still says whose it is.
    assert_eq!(
        s.counters[&key(Counter::ProcessorAccepted, "memory_limiter")],
        7.0
    );
    assert_eq!(
        s.counters[&key(Counter::ProcessorDropped, "attributes")],
        2.0
    );
}

#[test]
fn rates_between_scrapes() {
    let before = snapshot(
        "otelcol_receiver_accepted_spans{receiver=\"otlp\"} 1000\n\
         otelcol_exporter_sent_spans{exporter=\"otlp\"} 900\n\
         otelcol_process_uptime 100\n",
    );
    let after = snapshot(
        "otelcol_receiver_accepted_spans{receiver=\"otlp\"} 1600\n\
         otelcol_exporter_sent_spans{exporter=\"otlp\"} 1500\n\
         otelcol_exporter_send_failed_spans{exporter=\"otlp\"} 30\n\
         otelcol_process_uptime 130.2\n",
    );
    let r = rates(&before, &after, 30.0);
    assert_eq!(r.source, RateSource::Scrape);
    assert_eq!(r.rate(Counter::ReceiverAccepted, "otlp"), Some(20.0));
    assert_eq!(r.rate(Counter::ExporterSent, "otlp"), Some(20.0));
    // Absent before: it started counting within the window.
    assert_eq!(r.rate(Counter::ExporterSendFailed, "otlp"), Some(1.0));
    assert_eq!(r.restarts, 0.0);
    assert!(r.resets.is_empty());
    assert_eq!(
        r.components(Stage::Exporter)
            .into_iter()
            .collect::<Vec<_>>(),
        vec!["otlp"]
    );
}

#[test]
fn counter_reset_is_a_restart_counted_from_zero() {
    let before = snapshot("otelcol_exporter_sent_spans{exporter=\"otlp\"} 5000\n");
    let after = snapshot("otelcol_exporter_sent_spans{exporter=\"otlp\"} 300\n");
    let r = rates(&before, &after, 30.0);
    assert_eq!(r.rate(Counter::ExporterSent, "otlp"), Some(10.0));
    assert_eq!(r.restarts, 1.0);
    assert_eq!(r.resets[0].before, 5000.0);

    // A restart the counters cannot show (they grew past the old value), but the uptime can.
    let before =
        snapshot("otelcol_exporter_sent_spans{exporter=\"otlp\"} 10\notelcol_process_uptime 5\n");
    let after =
        snapshot("otelcol_exporter_sent_spans{exporter=\"otlp\"} 600\notelcol_process_uptime 8\n");
    let r = rates(&before, &after, 30.0);
    assert_eq!(r.restarts, 1.0);
    assert_eq!(r.rate(Counter::ExporterSent, "otlp"), Some(20.0));

    // A zero window gives no rates, but no panic or infinity either.
    let r = rates(&before, &after, 0.0);
    assert!(r.counters.is_empty());
}

#[test]
fn from_prometheus_results() {
    let qs = prometheus_queries(
        Duration::from_secs(300),
        Duration::from_secs(3600),
        &[("job", "otel\"collector"), ("bad-name", "x")],
    );
    let find = |m: &str| qs.iter().find(|q| q.metric == m).unwrap().promql.clone();
    assert_eq!(
        find("otelcol_receiver_accepted_spans"),
        r#"sum by (receiver) (rate({__name__=~"otelcol_receiver_accepted_spans(__[a-z]+_)?(_total)?",job="otel\"collector"}[5m]))"#
    );
    assert_eq!(
        find("otelcol_processor_incoming_spans"),
        r#"sum by (processor) (rate({__name__=~"otelcol_processor_incoming_(items|spans)(__[a-z]+_)?(_total)?",otel_signal=~"traces|",job="otel\"collector"}[5m]))"#
    );
    assert_eq!(
        find("otelcol_exporter_queue_size"),
        r#"max by (exporter) ({__name__=~"otelcol_exporter_queue_size(__[a-z]+_)?",data_type=~"traces|",job="otel\"collector"})"#
    );
    assert_eq!(
        find(RESTARTS),
        r#"sum(resets({__name__=~"otelcol_process_uptime(_seconds)?(_total)?",job="otel\"collector"}[1h]))"#
    );
    assert!(qs.iter().all(|q| !q.promql.contains("bad-name")));

    let l = |k: &str, v: &str| Labels::from([(k.to_string(), v.to_string())]);
    let none = Labels::new();
    let (otlp_r, batch_p, jaeger_e) = (
        l("receiver", "otlp"),
        l("processor", "batch"),
        l("exporter", "otlp/jaeger"),
    );
    let results = vec![
        ("otelcol_receiver_accepted_spans", &otlp_r, 100.0),
        ("otelcol_processor_incoming_spans", &batch_p, 100.0),
        ("otelcol_processor_outgoing_spans", &batch_p, 99.0),
        ("otelcol_exporter_sent_spans", &jaeger_e, 90.0),
        ("otelcol_exporter_send_failed_spans", &jaeger_e, f64::NAN),
        ("otelcol_exporter_queue_size", &jaeger_e, 10.0),
        ("otelcol_exporter_queue_capacity", &jaeger_e, 1000.0),
        ("otelcol_process_memory_rss", &none, 3.0e8),
        (RESTARTS, &none, 2.0),
        ("something_else", &none, 1.0),
    ];
    let r = CollectorRates::from_prometheus(300.0, results).with_queries(&qs);
    assert_eq!(r.source, RateSource::Prometheus);
    assert_eq!(r.rate(Counter::ReceiverAccepted, "otlp"), Some(100.0));
    assert_eq!(r.rate(Counter::ProcessorOutgoing, "batch"), Some(99.0));
    assert_eq!(r.rate(Counter::ExporterSendFailed, "otlp/jaeger"), None);
    assert_eq!(r.queues["otlp/jaeger"].fill(), Some(0.01));
    assert_eq!(r.process.memory_rss_bytes, Some(3.0e8));
    assert_eq!(r.restarts, 2.0);
    assert!(r.queries[&Metric::Counter(Counter::ExporterSent)].starts_with("sum by (exporter)"));
    assert!(r.queries[&Metric::Restarts].starts_with("sum(resets("));
}
