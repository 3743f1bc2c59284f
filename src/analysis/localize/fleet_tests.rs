//! The generated fleets' tests (`fleet.rs`): the faulty service ranks first, a fleet without a
//! fault has no strong candidate, and one seed at a time for debugging.

use super::*;

/// Localize as `call-graph` then `log-patterns` do: from the metrics alone first, then again
/// with the logs of the services [`super::scope::log_scope`] picks within the default budget
/// (30), so a fleet larger than the budget keeps the logs of the rest unread.
fn as_the_steps_do(
    mut services: Vec<ServiceView>,
    edges: &[EdgeView],
    params: &Params,
    levels: &[(Axis, f64)],
) -> Localization {
    let logs: Vec<Option<Shift>> = services.iter_mut().map(|v| v.logs.take()).collect();
    let first = localize(&services, edges, params, None, levels);
    let worst = services
        .iter()
        .filter_map(|v| v.latency.map(|m| (m.now, v.name.as_str())))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.to_string());
    let start = first.candidates.is_empty().then_some(worst).flatten();
    let names: Vec<String> = services.iter().map(|v| v.name.clone()).collect();
    let read = super::scope::log_scope(&first, edges, &names, start.as_deref(), true, 30);
    for (v, l) in services.iter_mut().zip(logs) {
        if read.contains(&v.name) {
            v.logs = l;
        }
    }
    localize(&services, edges, params, None, levels)
}

/// Every fault kind over `seeds`: per kind (hits, runs), the misses in words, and the chronic
/// services that did not change yet ranked first. `measured_calls: false` strips the calls'
/// measures, keeping who calls whom: a fleet whose metrics measure no call, its graph from the
/// trace store's links (`graph/shape.rs`, `from_traces`).
/// `info_logs` counts info-level log templates as evidence too (the graph does not).
fn run_fleets(seeds: std::ops::Range<u64>, measured_calls: bool, info_logs: bool) -> Outcome {
    let params = Params::default();
    let mut by_kind: BTreeMap<Fault, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut chronic_first = Vec::new();
    for fault in FAULTS {
        for seed in seeds.clone() {
            let f = generate(seed, fault);
            let (services, mut edges) = views_with(&f, seed, info_logs);
            if !measured_calls {
                for e in &mut edges {
                    (e.latency, e.latency_p50, e.errors, e.rate) = (None, None, None, None);
                }
            }
            let l = as_the_steps_do(services, &edges, &params, &[(Axis::Latency, 1.0)]);
            let first = l.candidates.first().map(|c| c.service.as_str());
            let k = by_kind.entry(fault).or_default();
            k.1 += 1;
            if first == Some(f.names[f.root].as_str()) {
                k.0 += 1;
            } else {
                misses.push(format!(
                    "{fault:?} seed {seed}: root {} got {:?}",
                    f.names[f.root],
                    l.candidates
                        .iter()
                        .take(3)
                        .map(|c| format!("{} {:.2} {:?} {:?}", c.service, c.score, c.axis, c.locus))
                        .collect::<Vec<_>>()
                ));
            }
            // A chronic service that did not change is never first. (One above the root did
            // change: the fault's propagation reaches it; ranking it first is a plain miss.)
            if let Some(c) = l.candidates.first() {
                let i = f.names.iter().position(|n| *n == c.service).unwrap();
                if f.svcs[i].chronic && !f.calls_transitively(i, f.root) {
                    chronic_first.push(format!("{fault:?} seed {seed}: chronic {}", c.service));
                }
            }
        }
    }
    Outcome {
        by_kind,
        misses,
        chronic_first,
    }
}

/// What [`run_fleets`] found.
struct Outcome {
    /// Per fault kind: (root first, runs).
    by_kind: BTreeMap<Fault, (usize, usize)>,
    misses: Vec<String>,
    chronic_first: Vec<String>,
}

impl Outcome {
    /// No chronic service that did not change ranked first, and the root first in at least 90%
    /// of the runs of the fault kinds `held` to that bar (the others are counted and printed).
    /// `FLEET_MISSES=1` prints the misses.
    fn assert_root_first(&self, label: &str, held: impl Fn(Fault) -> bool) {
        eprintln!("{label}: {:?}", self.by_kind);
        if std::env::var("FLEET_MISSES").is_ok() {
            eprintln!("{}", self.misses.join("\n"));
        }
        assert!(
            self.chronic_first.is_empty(),
            "a chronic service that did not change ranked first:\n{}\n(misses: {})",
            self.chronic_first.join("\n"),
            self.misses.join("\n")
        );
        let (hit, total) = self
            .by_kind
            .iter()
            .filter(|(k, _)| held(**k))
            .fold((0, 0), |(h, t), (_, (a, b))| (h + a, t + b));
        eprintln!("{label}: root first in {hit}/{total} of the kinds held to the bar");
        assert!(
            hit * 10 >= total * 9,
            "{label}: root first in {hit}/{total}; misses:\n{}",
            self.misses.join("\n")
        );
    }
}

/// How many seeds: `FLEET_SEEDS`, else 60.
fn seeds() -> std::ops::Range<u64> {
    0..std::env::var("FLEET_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60u64)
}

#[test]
fn the_faulty_service_ranks_first_on_generated_fleets() {
    run_fleets(seeds(), true, false).assert_root_first("root first", |_| true);
}

/// A fleet whose metrics measure no call: the graph is the trace store's links, each call
/// judged by its callee's server side. Every fault that shows on a server side is found as
/// with measured calls (≥ 90%). A delay on a service's egress shows only in its callers'
/// client spans, which such a fleet does not measure: it is counted, not held to the bar (the
/// callers, whose own latency rose, are named instead).
#[test]
fn without_call_metrics_the_trace_stores_links_find_what_a_server_side_shows() {
    run_fleets(seeds(), false, false).assert_root_first("links only", |k| k != Fault::Egress);
}

/// Why the graph takes only error-level log templates that appeared or rose as evidence
/// (`graph::run`, `TemplateShift::to_error_shift`): in every generated incident some bystanders'
/// traffic mix moves and they write a new info line ([`Svc::mix_drift`]), as on the Nezha data.
/// Counted as evidence, those lines would outrank the root in most runs; not counted, they
/// change nothing (the two tests above hold with them).
#[test]
fn counting_info_templates_would_rank_bystanders_whose_traffic_mix_moved() {
    let hits = |o: &Outcome| o.by_kind.values().map(|(h, _)| h).sum::<usize>();
    let (errors_only, with_info) = (
        run_fleets(seeds(), true, false),
        run_fleets(seeds(), true, true),
    );
    eprintln!("error templates: {:?}", errors_only.by_kind);
    eprintln!("info counted too: {:?}", with_info.by_kind);
    assert!(
        hits(&with_info) * 2 < hits(&errors_only),
        "{} against {}",
        hits(&with_info),
        hits(&errors_only)
    );
}

#[test]
fn a_fleet_without_a_fault_has_no_strong_candidate() {
    let params = Params::default();
    for seed in 0..30u64 {
        let mut f = generate(seed, Fault::Latency);
        f.root = usize::MAX;
        let (services, edges) = views(&f, seed);
        let l = localize(&services, &edges, &params, None, &[]);
        assert!(
            l.candidates.iter().all(|c| c.score < 4.0),
            "seed {seed}: {:?}",
            l.candidates.first()
        );
    }
}

/// One seed's fleet and candidates, localized as the steps do, for reading a miss: `SEED=131
/// FAULT=errors cargo test --lib localize::fleet::tests::one_seed -- --ignored --nocapture`
/// (FAULT: latency, errors, egress, body, cpu, logs, answer).
#[test]
#[ignore]
fn one_seed() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let fault = match std::env::var("FAULT").as_deref() {
        Ok("errors") => Fault::Errors,
        Ok("egress") => Fault::Egress,
        Ok("body") => Fault::Body,
        Ok("cpu") => Fault::Cpu,
        Ok("logs") => Fault::LogsOnly,
        Ok("answer") => Fault::Answer,
        _ => Fault::Latency,
    };
    let f = generate(seed, fault);
    let (services, edges) = views(&f, seed);
    let l = as_the_steps_do(
        services.clone(),
        &edges,
        &Params::default(),
        &[(Axis::Latency, 1.0)],
    );
    for c in l.candidates.iter().take(8) {
        eprintln!(
            "{} {:.2} {:?} {:?} {:?} agree {:?}",
            c.service, c.score, c.axis, c.locus, c.change, c.agreeing
        );
    }
    eprintln!("root {}", f.names[f.root]);
    for (i, c) in f.calls.iter().enumerate() {
        for c in c.iter().filter(|c| i == f.root || c.to == f.root) {
            eprintln!("call {} -> {}", f.names[i], f.names[c.to]);
            if let Some(e) = edges
                .iter()
                .find(|e| e.caller == f.names[i] && e.callee == f.names[c.to])
            {
                let rule = Params::default().latency;
                eprintln!(
                    "  p95 {:?}\n  p50 {:?}",
                    e.latency.and_then(|m| rise(&m, &rule)),
                    e.latency_p50.and_then(|m| rise(&m, &rule))
                );
            }
        }
    }
    let v = &services[f.root];
    eprintln!(
        "{:?} {:?}",
        v.latency,
        v.latency.map(|m| rise(&m, &Params::default().latency))
    );
    eprintln!("{:?}", v.errors);
    for (i, s) in services.iter().enumerate().take(8) {
        eprintln!(
            "{i} {:?} calls {}",
            s.latency.map(|m| m.center),
            f.calls[i].len()
        );
    }
}

/// The price of `log_change_below` (a measurement, not a bar: `cargo test --lib
/// localize::fleet::tests::an_unrelated -- --ignored --nocapture`): the errors fault, plus an
/// error-level log change of a given strength, unrelated to it, at one other service with no
/// metric moved, drawn below the root or anywhere. Below the root it takes half of the root's
/// rise and the credit for it, so it ranks first unless it is weak: the figures are in
/// benches/README.md beside the wrong answer's, which the rule finds.
#[test]
#[ignore]
fn an_unrelated_log_change_below_an_error_root_measured() {
    let params = Params::default();
    for below in [false, true] {
        for strength in [1.5, 3.0, 6.0] {
            let (mut hit, mut runs) = (0, 0);
            for seed in seeds() {
                let f = generate(seed, Fault::Errors);
                let (mut services, edges) = views(&f, seed);
                let pool: Vec<usize> = (0..services.len())
                    .filter(|&i| i != f.root && (!below || f.calls_transitively(f.root, i)))
                    .collect();
                if pool.is_empty() {
                    continue;
                }
                let k = pool[fastrand::Rng::with_seed(seed ^ 0xc0f).usize(0..pool.len())];
                services[k].logs = Some(Shift {
                    strength,
                    summary: String::new(),
                });
                let l = as_the_steps_do(services, &edges, &params, &[(Axis::Latency, 1.0)]);
                runs += 1;
                if l.candidates.first().map(|c| c.service.as_str()) == Some(&f.names[f.root]) {
                    hit += 1;
                }
            }
            let place = if below { "below the root" } else { "anywhere" };
            eprintln!("log change {place}, strength {strength}: root first {hit}/{runs}");
        }
    }
}
