//! Shared harness for the `it` integration-test binary: deterministic
//! OpenMetrics scenarios (`openmetrics`), real Prometheus and Alertmanager
//! processes fed with them (`prometheus`), a recording HTTP fixture server
//! for every other backend (`fixture`), stateful fixtures on it that keep what
//! is written to them (`kube_api`: a Kubernetes API server, `es_api`:
//! Elasticsearch, `grafana_api`: Grafana, `tempo_api`: Grafana Tempo's read
//! API with its quirks), and running the binary and reading
//! its report in assertions (`report`). It holds no tests of tracectl itself;
//! the harness's own tests are in `tests/it/harness_selftest.rs`.

// Test modules each use a different slice of the harness, so in any one build
// some helpers and re-exports are legitimately unused.
#![allow(dead_code, unused_imports)]

pub mod es_api;
pub mod faulty;
pub mod fixture;
pub mod grafana_api;
pub mod kube_api;
pub mod midway;
pub mod openmetrics;
pub mod prometheus;
pub mod report;
pub mod tempo_api;

pub use fixture::{FixtureServer, RecordedRequest, Response, Route};
pub use openmetrics::{DEFAULT_BUCKETS, Kind, Latency, Scenario, SeriesSpec, Shape};
pub use prometheus::{
    AlertmanagerHarness, DEFAULT_ALERTMANAGER_CONFIG, PrometheusHarness, alertmanager_available,
    prometheus_available,
};

/// A plain-HTTP reqwest client. The crate builds reqwest with
/// `rustls-no-provider`, whose `Client::new()` panics unless a rustls crypto
/// provider is installed process-wide, even for `http://` URLs.
pub fn http_client() -> reqwest::Client {
    // Err only means another test installed it first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Held by each of the big matrices (`faults.rs`, `faults_mutating.rs`, `faults_midway/`,
/// `soak.rs`) for its whole run: each already runs 4 cells at a time, and two of them at once on
/// a two-core machine starve healthy fixtures past the 1 s request timeout their cells use.
pub fn matrix_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Run `cell` over `work` on `threads` threads, taking work from the end (so a matrix sorts its
/// slowest cells last), and return the results in the order they finished. The matrices' pool:
/// std threads, as each cell blocks on a child process.
pub fn run_cells<W, C>(work: Vec<W>, threads: usize, cell: fn(W) -> C) -> Vec<C>
where
    W: Send + 'static,
    C: Send + 'static,
{
    use std::sync::{Arc, Mutex};
    let queue = Arc::new(Mutex::new(work));
    let cells = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (queue, cells) = (Arc::clone(&queue), Arc::clone(&cells));
            std::thread::spawn(move || {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let Some(w) = next else {
                        return;
                    };
                    let c = cell(w);
                    cells.lock().unwrap_or_else(|e| e.into_inner()).push(c);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("matrix worker");
    }
    std::mem::take(&mut *cells.lock().unwrap_or_else(|e| e.into_inner()))
}
