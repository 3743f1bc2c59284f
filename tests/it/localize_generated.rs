//! Generated fleets end to end (#15): random call DAGs served by a real Prometheus, the binary
//! run as a new user would (no `--baseline-at`; without `--service`, and with it on the entry
//! the fault's traffic comes through), over many seeds. Each fleet has
//! chronically slow and chronically failing services and one fault at a random depth (a slower
//! service, errors, a delay on its network, CPU starvation, a new error line in its logs alone,
//! a line its requests stopped writing, which only its lines' spans and its traces show, a
//! wrong answer that fails its callers while their calls to it do not fail); the
//! service the report blames first must be the faulty one, and a chronic service that did not
//! change must never be blamed first. The pure core's property test, with heavier noise and
//! more fault kinds, is `src/analysis/localize/fleet.rs`; this one checks what it cannot: the
//! queries, the graph as Prometheus answers it, the baselines and the findings, on fleets
//! nobody drew by hand. Fixed seeds, so a miss reproduces: `LOCALIZE_SEED=n` runs one seed,
//! `LOCALIZE_SEEDS=n` the first n, `LOCALIZE_MISSES=1` prints the misses, `LOCALIZE_NOISE=0.02`
//! sets each scrape's jitter (±10% by default).

use crate::scenarios::{
    BUCKETS, END, ErrorIncident, HOUR, Incident, KubePod, MINUTE, Pod, TraceSpec, calls, client,
    errors, requests, server, step,
};
use crate::support::SeriesSpec;
use crate::support::report::{Run, summary};

/// Seeds per fault kind: each is one Prometheus backfilled and one run.
const SEEDS: u64 = 10;

/// The scenarios' buckets and more up to two minutes: these fleets' chronically slow services
/// take seconds, and paths through two of them tens of seconds, which a histogram ending at
/// 10 s shows as 10 s however they change (tracectl cannot see past the last bucket; the
/// fleets here are about finding the root, not about that).
fn buckets() -> Vec<f64> {
    let mut b = BUCKETS.to_vec();
    b.extend([15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0]);
    b
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The root's own time grows.
    Latency,
    /// More of the root's requests fail.
    Errors,
    /// A delay on the root's network: what its callers see of its answers, and its own calls.
    Egress,
    /// The root's container starved of CPU (usage at its limit, throttled), and slower.
    Cpu,
    /// No metric moves: the root starts writing a new error line (a caught exception), while
    /// a few bystanders, whose traffic mix moved, write a new info line.
    Logs,
    /// No metric moves and no error line appears: the root's requests stop writing the info
    /// line each wrote (an exception caught before it), while a few bystanders answer a new
    /// operation with a new info line. Every line names its span; the trace store has every
    /// service's requests.
    Skip,
    /// A wrong answer (a caught exception): the root writes a new error line and no metric of
    /// its own moves; each service calling it fails 15% more of its requests and logs those
    /// failures, while its calls to the root do not fail.
    Answer,
}

/// One generated fleet: who calls whom, each service's own latency and error ratio before the
/// onset, which are chronic, and the root.
struct Fleet {
    names: Vec<String>,
    /// Calls go from lower to higher index: a DAG, index order topological.
    calls: Vec<Vec<usize>>,
    own: Vec<f64>,
    own_err: Vec<f64>,
    chronic: Vec<bool>,
    entries: usize,
    root: usize,
}

fn generate(seed: u64, kind: Kind) -> Fleet {
    let mut r = fastrand::Rng::with_seed(seed ^ 0x10ca1);
    let n = r.usize(10..=24);
    let entries = r.usize(1..=2);
    let names = (0..n).map(|i| format!("svc-{i:02}")).collect();
    let mut calls: Vec<Vec<usize>> = vec![Vec::new(); n];
    for callee in entries..n {
        // A near caller, so chains run several calls deep.
        calls[r.usize(callee.saturating_sub(4)..callee)].push(callee);
    }
    for (caller, out) in calls.iter_mut().enumerate().take(n.saturating_sub(2)) {
        let to = r.usize(caller + 1..n);
        if r.f64() < 0.3 && !out.contains(&to) {
            out.push(to);
        }
    }
    let mut chronic = vec![false; n];
    let mut own = vec![0.0; n];
    let mut own_err = vec![0.0; n];
    for i in 0..n {
        own[i] = 0.01 + 0.08 * r.f64();
        if r.f64() < 0.15 {
            chronic[i] = true;
            // Slow as usual (a workflow engine's seconds), or failing as usual.
            if r.bool() {
                own[i] = 2.0 + 2.0 * r.f64();
            } else {
                own_err[i] = 0.1 + 0.2 * r.f64();
            }
        }
    }
    let pool: Vec<usize> = (0..n)
        .filter(|i| {
            !chronic[*i]
                && (matches!(kind, Kind::Latency | Kind::Cpu | Kind::Logs | Kind::Skip)
                    || *i >= entries)
        })
        .collect();
    let root = pool[r.usize(0..pool.len())];
    Fleet {
        names,
        calls,
        own,
        own_err,
        chronic,
        entries,
        root,
    }
}

impl Fleet {
    /// Requests per second: the entries' traffic, every request making each of its calls once.
    fn rates(&self) -> Vec<f64> {
        let mut rate = vec![0.0; self.names.len()];
        for (i, v) in rate.iter_mut().enumerate().take(self.entries) {
            *v = 40.0 / (i + 1) as f64;
        }
        for i in 0..self.names.len() {
            for &c in &self.calls[i] {
                rate[c] += rate[i];
            }
        }
        rate
    }

    /// Each service's p95 and error ratio, bottom up, with or without the fault at the root:
    /// a slower root adds its extra time to every caller above it; a failing root's errors are
    /// passed on by its callers most of the time. The faults are the pure core's fleets' size:
    /// the root's own time grows by all it took before, so the fault shows at the root even
    /// when it waits seconds on a chronically slow callee, and 15% more of its requests fail.
    fn state(&self, kind: Kind, faulty: bool) -> (Vec<f64>, Vec<f64>) {
        let n = self.names.len();
        let (mut lat, mut err) = (vec![0.0; n], vec![0.0; n]);
        for i in (0..n).rev() {
            let waited: f64 = self.calls[i]
                .iter()
                .map(|&c| self.seen(i, c, &lat, kind, faulty))
                .sum();
            let ok: f64 = self.calls[i].iter().map(|&c| 1.0 - 0.8 * err[c]).product();
            let mut own = self.own[i];
            let mut own_err = self.own_err[i];
            if faulty && kind == Kind::Answer && self.calls[i].contains(&self.root) {
                own_err += 0.15;
            }
            if faulty && i == self.root {
                match kind {
                    Kind::Latency => own += 0.05 + own + waited,
                    Kind::Cpu => own += 0.02 + 0.9 * (own + waited),
                    Kind::Errors => own_err += 0.15,
                    Kind::Egress | Kind::Logs | Kind::Skip | Kind::Answer => {}
                }
            }
            lat[i] = own + waited;
            err[i] = 1.0 - ok * (1.0 - own_err);
        }
        (lat, err)
    }

    /// Its pods' names, one per service (the cAdvisor series' and the API server's).
    fn pod(&self, i: usize) -> String {
        format!("{}-5d8c7b9f6-q{i:03}", self.names[i])
    }

    /// Serves the fleet: Prometheus, and for the log fault a Kubernetes API with every
    /// service's pod and its logs over the last two hours. Every service writes one info line
    /// a minute, and a chronically failing one an error line a minute as well; from 12 minutes
    /// before the end, the root writes a new error line twice a minute and a sixth of the other
    /// services (its own generator) a new info line as often; with the wrong answer, its callers
    /// a new error line of their own as often. `None` without Prometheus.
    fn start(&self, kind: Kind) -> Option<crate::scenarios::Backends> {
        let incident = self.incident(kind);
        if kind == Kind::Skip {
            return self.start_skip(incident);
        }
        if !matches!(kind, Kind::Logs | Kind::Answer) {
            return incident.start();
        }
        let mut drift = fastrand::Rng::with_seed(self.names.len() as u64 ^ 0xd41f);
        let mut e = ErrorIncident::new(incident);
        for (i, name) in self.names.iter().enumerate() {
            let pod = self.pod(i);
            let mut lines: Vec<(i64, String)> = Vec::new();
            let moved = i != self.root && drift.f64() < 1.0 / 6.0;
            let fails_on_answer = kind == Kind::Answer && self.calls[i].contains(&self.root);
            for m in 0..120 {
                let t = END - 2 * HOUR + m * MINUTE;
                lines.push((
                    t,
                    format!("INFO {name} served request {m} in {}ms", 10 + m % 7),
                ));
                if self.own_err[i] > 0.0 {
                    lines.push((t + 1, format!("ERROR {name} upstream refused request {m}")));
                }
                for half in [0, 30] {
                    let t = t + half + 2;
                    if t < END - 12 * MINUTE {
                        continue;
                    }
                    if i == self.root {
                        lines.push((t, format!("ERROR {name} price lookup failed for order {m}")));
                    } else if fails_on_answer {
                        lines.push((t, format!("ERROR {name} no price in quote for order {m}")));
                    } else if moved {
                        lines.push((t, format!("INFO {name} booked seat for trip {m}")));
                    }
                }
            }
            e = e.pod(KubePod::running(&pod, name)).log(&pod, lines);
        }
        e.start()
    }

    /// The skipped-line fault's backends: each service answers `GET /work` twice a minute over
    /// the last two hours, each request a trace in the trace store and an info line naming its
    /// span (a chronically failing service also an error line a minute); from 12 minutes before
    /// the end the root's requests no longer write theirs, and a sixth of the others (their own
    /// generator) also answer `GET /book`, with a line of its own.
    fn start_skip(&self, incident: Incident) -> Option<crate::scenarios::Backends> {
        let mut drift = fastrand::Rng::with_seed(self.names.len() as u64 ^ 0x5c1b);
        let mut traces = Vec::new();
        let mut logs = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            let moved = i != self.root && drift.f64() < 1.0 / 6.0;
            let mut lines: Vec<(i64, String)> = Vec::new();
            for m in 0..240u64 {
                let t = END - 2 * HOUR + m as i64 * 30;
                let late = t >= END - 12 * MINUTE;
                let seq = (i as u64) << 20 | m;
                let tr = TraceSpec::new(seq, t, name, "GET /work", 0.01);
                if !(late && i == self.root) {
                    lines.push((
                        t,
                        format!("INFO {name} served request {m} SpanID: {}", tr.span_id(0)),
                    ));
                }
                if self.own_err[i] > 0.0 && m % 2 == 0 {
                    lines.push((
                        t + 1,
                        format!(
                            "ERROR {name} upstream refused request {m} SpanID: {}",
                            tr.span_id(0)
                        ),
                    ));
                }
                traces.push(tr);
                if late && moved {
                    let tr = TraceSpec::new(seq | 1 << 19, t + 5, name, "GET /book", 0.01);
                    lines.push((
                        t + 5,
                        format!(
                            "INFO {name} booked seat for trip {m} SpanID: {}",
                            tr.span_id(0)
                        ),
                    ));
                    traces.push(tr);
                }
            }
            logs.push((i, lines));
        }
        let mut e = ErrorIncident::new(incident.traces(traces));
        for (i, lines) in logs {
            let pod = self.pod(i);
            e = e
                .pod(KubePod::running(&pod, &self.names[i]))
                .log(&pod, lines);
        }
        e.start()
    }

    /// What `caller` sees of a call to `callee` (the callee's p95, `lat`, and the network): with
    /// the egress fault, the root's answers and its own calls take as long again, plus 50 ms.
    fn seen(&self, caller: usize, callee: usize, lat: &[f64], kind: Kind, faulty: bool) -> f64 {
        let net = 0.002;
        let delayed =
            faulty && kind == Kind::Egress && (callee == self.root || caller == self.root);
        if delayed {
            net + 0.05 + 2.0 * lat[callee]
        } else {
            net + lat[callee]
        }
    }

    /// The fleet's series in the `mcp` profile: per service its server-side latency, requests
    /// and errors; per call its client-side latency, calls and failed calls.
    fn incident(&self, kind: Kind) -> Incident {
        let rate = self.rates();
        let (lat0, err0) = self.state(kind, false);
        let (lat1, err1) = self.state(kind, true);
        let mut series: Vec<SeriesSpec> = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            let op = format!("GET /{name}");
            series.push(server(name, &op, rate[i], step(lat0[i], lat1[i])).buckets(&buckets()));
            series.push(requests(name, &op, rate[i]));
            series.push(errors(
                name,
                &op,
                "internal",
                step(rate[i] * err0[i], rate[i] * err1[i]),
            ));
            for &c in &self.calls[i] {
                let callee = &self.names[c];
                let op = format!("GET /{callee}");
                let (before, after) = (
                    self.seen(i, c, &lat0, kind, false),
                    self.seen(i, c, &lat1, kind, true),
                );
                series.push(
                    client(name, callee, &op, rate[i], step(before, after)).buckets(&buckets()),
                );
                series.extend(calls(
                    name,
                    callee,
                    &op,
                    rate[i],
                    "upstream",
                    step(rate[i] * err0[c], rate[i] * err1[c]),
                ));
            }
        }
        // A pod per service; the root's starved with the CPU fault.
        let pods: Vec<Pod> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let pod = Pod::healthy(&self.pod(i), name);
                if kind == Kind::Cpu && i == self.root {
                    Pod {
                        cpu_usage: step(0.35, 0.98),
                        ..pod
                    }
                    .throttled(step(0.02, 0.45))
                } else {
                    pod
                }
            })
            .collect();
        // Each scrape's rates and medians ±10% (the scenarios' default is ±2%);
        // `LOCALIZE_NOISE` sets another.
        let noise = std::env::var("LOCALIZE_NOISE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.1);
        let mut incident = Incident::default().series(series).pods(&pods);
        incident.metrics = incident.metrics.with_noise(noise);
        incident
    }
}

/// The service a report blames first: its top finding's dependency when it names one, else its
/// service (as `benches/accuracy/score.py` scores).
fn blamed(report: &serde_json::Value) -> Option<String> {
    let s = &report["findings"][0]["subject"];
    s["dependency"]
        .as_str()
        .or(s["service"].as_str())
        .map(str::to_string)
}

/// `LOCALIZE_SEED=n`: that seed alone; `LOCALIZE_SEEDS=n`: the first n; else [`SEEDS`].
fn seeds() -> Vec<u64> {
    let var = |k: &str| std::env::var(k).ok().and_then(|s| s.parse::<u64>().ok());
    match (var("LOCALIZE_SEED"), var("LOCALIZE_SEEDS")) {
        (Some(s), _) => vec![s],
        (None, Some(n)) => (0..n).collect(),
        (None, None) => (0..SEEDS).collect(),
    }
}

/// Runs `kind`'s investigation on each seed's fleet twice, as the two entry points of #15: the
/// fleet triaged (no `--service`), and `--service` on the entry the fault's traffic comes
/// through. Each way the root is blamed first in at least 90% of the seeds, and never a chronic
/// service that did not change.
fn root_first(kind: Kind) {
    let runbook = match kind {
        Kind::Errors | Kind::Logs | Kind::Skip | Kind::Answer => "errors",
        Kind::Latency | Kind::Egress | Kind::Cpu => "latency",
    };
    let label = format!("{kind:?}").to_lowercase();
    // Per way of running: (hits, runs).
    let mut tally = [(0usize, 0usize); 2];
    let (mut misses, mut chronic_first) = (Vec::new(), Vec::new());
    for seed in seeds() {
        let f = generate(seed, kind);
        let Some(b) = f.start(kind) else {
            return;
        };
        let root = &f.names[f.root];
        let entry = (0..f.entries)
            .find(|&e| reaches(&f, e, f.root))
            .map(|e| f.names[e].clone());
        for (way, service) in [None, entry].into_iter().enumerate() {
            if way == 1 && service.is_none() {
                continue;
            }
            let kubeconfig = b.kubeconfig.to_string_lossy().to_string();
            let mut extra: Vec<&str> = service.iter().flat_map(|s| ["--service", s]).collect();
            let jaeger = b.jaeger.url();
            if matches!(kind, Kind::Logs | Kind::Skip | Kind::Answer) {
                extra.extend(["--kubeconfig", &kubeconfig]);
            }
            if kind == Kind::Skip {
                extra.extend(["--jaeger-url", &jaeger]);
            }
            let run: Run = crate::localize::run(&b, runbook, &extra);
            let report = run.report();
            // A top finding that says its service is as usual (demoted) blames nobody.
            let as_usual = report["findings"][0]["detail"]
                .as_str()
                .is_some_and(|d| d.contains("as usual"));
            let got = blamed(&report).filter(|_| !as_usual);
            tally[way].1 += 1;
            if got.as_deref() == Some(root.as_str()) {
                tally[way].0 += 1;
            } else {
                let (before, after) = (f.state(kind, false), f.state(kind, true));
                misses.push(format!(
                    "seed {seed} {extra:?}: root {root} (p95 {:.3} → {:.3} s, errors {:.3} → \
                     {:.3}; calls {:?}), blamed {got:?}\n{}",
                    before.0[f.root],
                    after.0[f.root],
                    before.1[f.root],
                    after.1[f.root],
                    f.calls[f.root]
                        .iter()
                        .map(|&c| &f.names[c])
                        .collect::<Vec<_>>(),
                    summary(&report)
                ));
            }
            if let Some(g) = got
                && let Some(i) = f.names.iter().position(|n| *n == g)
                && f.chronic[i]
                && !reaches(&f, i, f.root)
            {
                chronic_first.push(format!("seed {seed} {extra:?}: chronic {g}"));
            }
        }
    }
    eprintln!("{label}: root first in {tally:?} (hits, runs) without and with --service");
    if std::env::var("LOCALIZE_MISSES").is_ok() {
        eprintln!("{}", misses.join("\n"));
    }
    assert!(
        chronic_first.is_empty(),
        "a chronic service that did not change blamed first: {chronic_first:?}\n{}",
        misses.join("\n")
    );
    for (hits, runs) in tally {
        assert!(
            hits * 10 >= runs * 9,
            "{label}: root first in {tally:?}:\n{}",
            misses.join("\n")
        );
    }
}

/// Whether `from` reaches `to` through calls (a chronic service above the root changed too).
fn reaches(f: &Fleet, from: usize, to: usize) -> bool {
    let mut stack = vec![from];
    let mut seen = vec![false; f.names.len()];
    while let Some(x) = stack.pop() {
        if x == to {
            return true;
        }
        if !std::mem::replace(&mut seen[x], true) {
            stack.extend(f.calls[x].iter().copied());
        }
    }
    false
}

#[test]
fn on_generated_fleets_a_slower_service_is_blamed_first() {
    root_first(Kind::Latency);
}

#[test]
fn on_generated_fleets_a_failing_service_is_blamed_first() {
    root_first(Kind::Errors);
}

#[test]
fn on_generated_fleets_a_delay_on_a_services_network_is_blamed_on_it() {
    root_first(Kind::Egress);
}

#[test]
fn on_generated_fleets_a_service_starved_of_cpu_is_blamed_first() {
    root_first(Kind::Cpu);
}

#[test]
fn on_generated_fleets_a_service_whose_logs_alone_changed_is_blamed_first() {
    root_first(Kind::Logs);
}

#[test]
fn on_generated_fleets_a_service_whose_requests_stopped_writing_a_line_is_blamed_first() {
    root_first(Kind::Skip);
}

#[test]
fn on_generated_fleets_a_wrong_answer_is_blamed_on_the_service_that_gave_it() {
    root_first(Kind::Answer);
}

#[test]
fn the_generated_fleets_have_chronic_services_and_deep_roots() {
    let fleets: Vec<Fleet> = (0..SEEDS).map(|s| generate(s, Kind::Latency)).collect();
    let with_chronic = fleets.iter().filter(|f| f.chronic.contains(&true)).count();
    assert!(
        with_chronic * 2 >= fleets.len(),
        "{with_chronic} with a chronic service"
    );
    let deep = fleets
        .iter()
        .filter(|f| f.root >= f.entries && (0..f.entries).all(|e| !f.calls[e].contains(&f.root)))
        .count();
    assert!(deep > 0, "some roots are two calls or more below an entry");
}
