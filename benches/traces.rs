//! Trace analysis throughput (issue 11, goal 2): decoding Jaeger's `/api/traces` JSON alone, and
//! decoding plus the analyses the runbooks run on it (critical path time by operation, N+1
//! patterns, error origins: `analysis::traces::analyze`), on generated answers of 1k, 10k and
//! 100k traces of about 20 spans (`gen/mod.rs`). Throughput is reported as spans/s and bytes/s.
//! Also the analysis alone on decoded traces, and `json_skip`: serde_json tokenizing the same
//! document into `IgnoredAny`, the ceiling of any decoder built on serde_json, and `json_value`:
//! the same document into a plain `serde_json::Value` tree, for comparison (issue 19), and
//! `parse_latency`: decoding as `investigate latency`'s search does, without the span tags its
//! analyses do not read (issue 19, `analysis::traces::TAGS`).
//!
//! `cargo bench --bench traces` (`TRACE_SIZES=1000,10000` for fewer sizes; about six minutes on 2 cores; the 100k answer is ~1.6 GB, so
//! those run 10 samples of one iteration). `cargo test --all-targets` runs bench binaries without
//! `--bench`: this one then returns at once, so the suite only compiles it.

use std::time::Duration;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};
use tracectl::analysis::traces;
use tracectl::backends::jaeger;

#[path = "gen/mod.rs"]
mod generate;

/// `min_repeats` as the latency runbook sets it (`n_plus_one_repeats`).
const N_PLUS_ONE: usize = 10;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("jaeger_traces");
    // `TRACE_SIZES=1000,10000` runs only those sizes (the 100k answer takes minutes to generate
    // and 1.6 GB to hold, too much beside a second build on a loaded machine).
    let sizes: Vec<usize> = std::env::var("TRACE_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    for n in sizes {
        let g = generate::jaeger_traces(n, 42);
        let body = g.body.into_bytes();
        eprintln!(
            "jaeger_traces/{n}: {} traces, {} spans ({:.1} per trace), {:.1} MB",
            g.traces,
            g.spans,
            g.spans as f64 / g.traces as f64,
            body.len() as f64 / 1e6
        );
        group.throughput(Throughput::ElementsAndBytes {
            elements: g.spans as u64,
            bytes: body.len() as u64,
        });
        if n >= 100_000 {
            group.sample_size(10);
            group.warm_up_time(Duration::from_millis(500));
            group.measurement_time(Duration::from_secs(20));
        } else if n >= 10_000 {
            group.sample_size(10);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(5));
        } else {
            group.sample_size(30);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(3));
        }
        // The floor for any serde_json decoder: tokenizing the document and keeping nothing.
        group.bench_with_input(BenchmarkId::new("json_skip", n), &body, |b, body| {
            b.iter(|| {
                let text = std::str::from_utf8(black_box(body)).expect("UTF-8");
                serde_json::from_str::<serde::de::IgnoredAny>(text).expect("JSON")
            })
        });
        // Plain `serde_json::Value` (issue 19's comparison): the document as a generic tree,
        // every string and map owned, and nothing sorted out of it yet.
        group.bench_with_input(BenchmarkId::new("json_value", n), &body, |b, body| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("JSON"))
        });
        group.bench_with_input(BenchmarkId::new("parse", n), &body, |b, body| {
            b.iter(|| jaeger::decode_traces(black_box(body)).expect("decodes"))
        });
        group.bench_with_input(BenchmarkId::new("parse+analyze", n), &body, |b, body| {
            b.iter(|| {
                let found = jaeger::decode_traces(black_box(body)).expect("decodes");
                traces::analyze(&found, N_PLUS_ONE)
            })
        });
        // The same as `investigate latency`'s search decodes it (issue 19): keeping the span
        // tags its analyses read, which is none (`traces::TAGS`).
        group.bench_with_input(BenchmarkId::new("parse_latency", n), &body, |b, body| {
            b.iter(|| {
                jaeger::decode_traces_keeping(black_box(body), traces::TAGS).expect("decodes")
            })
        });
        group.bench_with_input(
            BenchmarkId::new("parse_latency+analyze", n),
            &body,
            |b, body| {
                b.iter(|| {
                    let found = jaeger::decode_traces_keeping(black_box(body), traces::TAGS)
                        .expect("decodes");
                    traces::analyze(&found, N_PLUS_ONE)
                })
            },
        );
        // The analysis alone, on traces decoded once (its share of the line above).
        let found = jaeger::decode_traces(&body).expect("decodes");
        group.bench_with_input(BenchmarkId::new("analyze", n), &found, |b, found| {
            b.iter(|| traces::analyze(black_box(found), N_PLUS_ONE))
        });
    }
    group.finish();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
