//! The data and measurements the benchmark scripts need, as one binary (issue 11; see
//! `benches/README.md`). Run through cargo so it is built with the bench profile:
//!
//! ```sh
//! cargo bench --bench tool -- jaeger TRACES FILE        # a generated /api/traces answer
//! cargo bench --bench tool -- measure FILE [latency]    # decode + analyse it, report time and peak RSS
//! cargo bench --bench tool -- openmetrics SERVICES FILE # a fleet's metrics for promtool
//! ```
//!
//! `measure` prints one JSON line: bytes, traces, spans, decode and analysis seconds, and the
//! resident set before reading the file, after reading it, and at its peak (`VmHWM`), from
//! `/proc/self/status`; with `latency`, decoding keeps only the span tags `investigate latency`'s
//! analyses read (none, `analysis::traces::TAGS`), as its search does. `openmetrics` reuses the integration tests' generator
//! (`tests/it/support/openmetrics.rs`, included by path) to render SERVICES services the way
//! `tests/it/scenarios.rs` builds them: request histograms per operation and dependency, request,
//! error and span counters, and one pod's cAdvisor series per service; `checkout` is slow (p95
//! 2.5 s from 20 minutes before the end) and failing (8%) while every other service is healthy.
//! Without `--bench` (as `cargo test --all-targets` runs it) it does nothing.

use std::time::Instant;

use tracectl::analysis::traces;
use tracectl::backends::jaeger;

#[path = "gen/mod.rs"]
mod generate;

#[allow(dead_code)]
#[path = "../tests/it/support/openmetrics.rs"]
mod openmetrics;

use openmetrics::{Latency, Scenario, SeriesSpec, Shape};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let arg = |i: usize| -> &str {
        args.get(i).map(String::as_str).unwrap_or_else(|| {
            eprintln!(
                "usage: tool jaeger TRACES FILE | measure FILE [latency] | openmetrics SERVICES FILE"
            );
            std::process::exit(2)
        })
    };
    match arg(0) {
        "jaeger" => {
            let n: usize = arg(1).parse().expect("TRACES is a number");
            let g = generate::jaeger_traces(n, 42);
            std::fs::write(arg(2), &g.body).expect("write FILE");
            println!(
                "{{\"traces\":{},\"spans\":{},\"bytes\":{}}}",
                g.traces,
                g.spans,
                g.body.len()
            );
        }
        "measure" => measure(arg(1), args.get(2).is_some_and(|a| a == "latency")),
        "openmetrics" => {
            let n: usize = arg(1).parse().expect("SERVICES is a number");
            // Written as rendered: 10,000 services' text is several GB.
            let file = std::fs::File::create(arg(2)).expect("create FILE");
            let mut w = std::io::BufWriter::new(file);
            fleet(n).write_openmetrics(&mut w).expect("write FILE");
            let file = w.into_inner().expect("flush FILE");
            let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
            println!("{{\"services\":{n},\"bytes\":{bytes}}}");
        }
        other => {
            eprintln!("unknown subcommand {other}");
            std::process::exit(2)
        }
    }
}

/// Decode and analyse a response file as `investigate latency` does, reporting times and memory.
fn measure(path: &str, latency: bool) {
    let tags = if latency {
        traces::TAGS
    } else {
        tracectl::model::trace::TagPolicy::All
    };
    let rss_start = status_kib("VmRSS");
    let body = std::fs::read(path).expect("read FILE");
    let rss_read = status_kib("VmRSS");
    let t = Instant::now();
    let found = jaeger::decode_traces_keeping(&body, tags).expect("decodes");
    let decode_s = t.elapsed().as_secs_f64();
    let rss_decoded = status_kib("VmRSS");
    let t = Instant::now();
    let a = traces::analyze(&found, 10);
    let analyze_s = t.elapsed().as_secs_f64();
    let spans: usize = found.iter().map(|t| t.spans.len()).sum();
    println!(
        "{{\"tags\":\"{}\",\"bytes\":{},\"traces\":{},\"spans\":{},\"decode_s\":{decode_s:.3},\"analyze_s\":{analyze_s:.3},\
         \"rss_start_kib\":{rss_start},\"rss_after_read_kib\":{rss_read},\"rss_after_decode_kib\":{rss_decoded},\
         \"vm_hwm_kib\":{},\"findings\":{{\"time_shares\":{},\"n_plus_one\":{},\"error_origins\":{}}}}}",
        if latency { "latency" } else { "all" },
        body.len(),
        found.len(),
        spans,
        status_kib("VmHWM"),
        a.where_time_goes.len(),
        a.n_plus_one.len(),
        a.error_origins.len(),
    );
}

/// A `/proc/self/status` field in KiB (0 where there is none).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The end of the window, as in `tests/it/scenarios.rs` (2026-11-25T10:00:00Z).
const END: i64 = 1_795_600_800;
/// 70 minutes: the default 1 h lookback plus the 5 m rate window.
const START: i64 = END - 70 * 60;
const ONSET: i64 = END - 20 * 60;
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 5.0,
];

/// `n` services (`checkout` and `svc-0001`...), each serving two operations and calling the next
/// service (a ring; `FLEET_SHAPE=tree`: service i calls service (i − 1) / 10, so every service's
/// calls lead up to `checkout` in at most four hops at 10,000, and `checkout` calls nothing),
/// one pod each. Samples every 60 s to keep 1,000 services' backfill in minutes.
fn fleet(n: usize) -> Scenario {
    let tree = std::env::var("FLEET_SHAPE").is_ok_and(|s| s == "tree");
    let mut s = Scenario::new(START, END).with_step(60);
    let names: Vec<String> = (0..n)
        .map(|i| {
            if i == 0 {
                "checkout".to_string()
            } else {
                format!("svc-{i:04}")
            }
        })
        .collect();
    for (i, svc) in names.iter().enumerate() {
        let slow = i == 0;
        let p95 = if slow {
            Shape::Step {
                before: 0.3,
                after: 2.5,
                at: ONSET,
            }
        } else {
            Shape::Constant(0.08 + (i % 7) as f64 * 0.02)
        };
        let dep = match (tree, i) {
            (true, 0) => None,
            (true, i) => Some(&names[(i - 1) / 10]),
            (false, i) => Some(&names[(i + 1) % n]),
        };
        for (op, rate) in [("GET /items", 40.0), ("POST /orders", 8.0)] {
            s = s
                .with(histogram(svc, op, "", rate, p95.clone()))
                .with(counter("mcp_requests_total", svc, op, "", rate));
        }
        if let Some(dep) = dep {
            s = s.with(histogram(svc, "call", dep, 20.0, Shape::Constant(0.05)));
        }
        let error_rate = if slow {
            Shape::Step {
                before: 0.2,
                after: 3.8,
                at: ONSET,
            }
        } else {
            Shape::Constant(0.05)
        };
        s = s.with(SeriesSpec::counter(
            "mcp_errors_total",
            &[
                ("service_name", svc),
                ("operation_name", "GET /items"),
                ("dependency_service_name", ""),
                ("error_type", "timeout"),
            ],
            error_rate,
        ));
        for (name, rate) in [
            ("mcp_spans_total", 240.0),
            ("mcp_spans_sampled_total", 24.0),
            ("mcp_spans_dropped_total", 0.0),
        ] {
            s = s.with(SeriesSpec::counter(
                name,
                &[("service_name", svc)],
                Shape::Constant(rate),
            ));
        }
        for spec in pod(svc) {
            s = s.with(spec);
        }
    }
    // The Collector's own counters, so `investigate data-loss` reads them from Prometheus (as
    // in production) instead of scraping twice `--scrape-interval` apart.
    let spans = 24.0 * n as f64;
    let col = [("job", "otel-collector"), ("namespace", "monitoring")];
    let with = |extra: (&'static str, &'static str)| {
        let mut l = col.to_vec();
        l.push(extra);
        l
    };
    s = s
        .with(SeriesSpec::counter(
            "otelcol_receiver_accepted_spans_total",
            &with(("receiver", "otlp")),
            Shape::Constant(spans),
        ))
        .with(SeriesSpec::counter(
            "otelcol_receiver_refused_spans_total",
            &with(("receiver", "otlp")),
            Shape::Constant(0.0),
        ))
        .with(SeriesSpec::counter(
            "otelcol_exporter_sent_spans_total",
            &with(("exporter", "otlp/jaeger")),
            Shape::Constant(spans),
        ))
        .with(SeriesSpec::counter(
            "otelcol_exporter_send_failed_spans_total",
            &with(("exporter", "otlp/jaeger")),
            Shape::Constant(0.0),
        ))
        .with(SeriesSpec::gauge(
            "otelcol_exporter_queue_size",
            &with(("exporter", "otlp/jaeger")),
            Shape::Constant(3.0),
        ))
        .with(SeriesSpec::gauge(
            "otelcol_exporter_queue_capacity",
            &with(("exporter", "otlp/jaeger")),
            Shape::Constant(1000.0),
        ))
        .with(SeriesSpec::counter(
            "otelcol_process_uptime_total",
            &col,
            Shape::Constant(1.0),
        ));
    s
}

fn histogram(svc: &str, op: &str, dep: &str, rate: f64, p95: Shape) -> SeriesSpec {
    // p95 = median · e^(1.645 · spread)
    let spread = 0.3;
    let f = (1.645f64 * spread).exp();
    let median = match p95 {
        Shape::Constant(v) => Shape::Constant(v / f),
        Shape::Step { before, after, at } => Shape::Step {
            before: before / f,
            after: after / f,
            at,
        },
        ramp => ramp,
    };
    SeriesSpec::histogram(
        "mcp_request_duration_seconds",
        &[
            ("service_name", svc),
            ("operation_name", op),
            ("dependency_service_name", dep),
        ],
        Shape::Constant(rate),
        Latency { median, spread },
    )
    .buckets(BUCKETS)
}

fn counter(name: &str, svc: &str, op: &str, dep: &str, rate: f64) -> SeriesSpec {
    SeriesSpec::counter(
        name,
        &[
            ("service_name", svc),
            ("operation_name", op),
            ("dependency_service_name", dep),
        ],
        Shape::Constant(rate),
    )
}

/// One healthy pod's cAdvisor series (as `Pod::series` in `tests/it/scenarios.rs`).
fn pod(svc: &str) -> Vec<SeriesSpec> {
    let pod = format!("{svc}-7d9f-x2k4q");
    let labels = [
        ("namespace", "shop"),
        ("pod", pod.as_str()),
        ("container", svc),
    ];
    let c = |name: &str, v: f64| SeriesSpec::counter(name, &labels, Shape::Constant(v));
    let g = |name: &str, v: f64| SeriesSpec::gauge(name, &labels, Shape::Constant(v));
    vec![
        c("container_cpu_cfs_periods_total", 10.0),
        c("container_cpu_cfs_throttled_periods_total", 0.2),
        c("container_cpu_usage_seconds_total", 0.35),
        g("container_spec_cpu_quota", 100_000.0),
        g("container_spec_cpu_period", 100_000.0),
        g("container_memory_working_set_bytes", 250.0 * 1_048_576.0),
        g("container_spec_memory_limit_bytes", 512.0 * 1_048_576.0),
        SeriesSpec::counter(
            "container_network_transmit_bytes_total",
            &[
                ("namespace", "shop"),
                ("pod", pod.as_str()),
                ("interface", "eth0"),
            ],
            Shape::Constant(200_000.0),
        ),
    ]
}
