//! Generated fleets: the property test of [`super::localize`] (issue 15). Each seed builds a
//! random call DAG of 20–60 services with chronically slow and chronically failing services,
//! noisy diurnal traffic, and one fault at a random depth: a slower service, errors, CPU
//! contention, a network delay on a service's egress, a change only in its logs, every
//! request slower on a service whose p95 is a tail of seconds as usual (only its median moves),
//! or a wrong answer (its logs change, and its callers fail while their calls to it do not).
//! Whatever the fault, a few bystanders' traffic mix moves during the incident: they write a
//! new info line, which the log evidence must not take for a fault. The fleet is
//! simulated minute by minute (latency composed along the calls, errors propagated up with a
//! probability, observed through binomial and multiplicative noise), summarised into the views
//! the investigations build from Prometheus (a 30-minute baseline, a 3-minute "now"), and
//! localized. Over many seeds the faulty service ranks first in at least 90%, and a chronic
//! service that did not change never ranks first; the same with the calls' measures stripped
//! (a graph from the trace store's links) for every fault a server side shows. Fixed seeds, so a
//! failure reproduces. Tests: `fleet_tests.rs`.

use std::collections::BTreeMap;

use super::*;
use draws::{binomial_ratio, normal, poisson};

#[path = "fleet_draws.rs"]
mod draws;
#[path = "fleet_views.rs"]
mod views_of;
use views_of::{views, views_with};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Fault {
    Latency,
    Errors,
    Cpu,
    Egress,
    LogsOnly,
    /// The root's every request slower, under a tail of seconds it always has: its p95 stays,
    /// its median (and its callers') moves.
    Body,
    /// A wrong answer (a caught exception, a changed return value): the root's requests
    /// succeed and it writes a new error line; its callers fail on a share of the requests that
    /// use its answer and log the failure, while their calls to it do not fail.
    Answer,
}

/// Share of the services whose traffic mix moves during the incident ([`Svc::mix_drift`]).
const MIX_DRIFT_SHARE: f64 = 0.15;

const FAULTS: [Fault; 7] = [
    Fault::Latency,
    Fault::Errors,
    Fault::Cpu,
    Fault::Egress,
    Fault::LogsOnly,
    Fault::Body,
    Fault::Answer,
];

/// Share of a caller's requests using a wrong answer that fail ([`Fault::Answer`]).
const WRONG_ANSWER_FAILS: f64 = 0.3;

struct Svc {
    /// Its own latency as its p95 sees it (for a chronically slow service, a tail of seconds).
    own: f64,
    /// Its own latency as its median sees it: the body of the distribution.
    body: f64,
    own_err: f64,
    /// Multiplicative noise of its latency: chronic services are noisier.
    jitter: f64,
    cpu: f64,
    chronic: bool,
    /// Per-request rates of its log templates (info level).
    templates: Vec<f64>,
    /// Its traffic's mix moves during the incident, whatever the fault: a flow the baseline
    /// did not have writes a new info template (on the Nezha data, the booking flow that the
    /// fault-free minute lacked did so at three or four bystanders in every fault;
    /// benches/accuracy/README.md). Never the root.
    mix_drift: bool,
}

struct Call {
    to: usize,
    /// Calls per request of the caller: the share of its requests that make this call (an
    /// endpoint's, not every endpoint's), times the calls each makes.
    per_request: f64,
    parallel: bool,
    /// Share of the callee's errors its caller turns into its own.
    propagate: f64,
}

pub(super) struct Fleet {
    names: Vec<String>,
    svcs: Vec<Svc>,
    calls: Vec<Vec<Call>>,
    entries: usize,
    pub root: usize,
    pub fault: Fault,
    /// Requests per second at the first entry, before the diurnal swing.
    base_rate: f64,
}

impl Fleet {
    /// Whether `from` reaches `to` through calls.
    fn calls_transitively(&self, from: usize, to: usize) -> bool {
        let mut stack = vec![from];
        let mut seen = vec![false; self.svcs.len()];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if !std::mem::replace(&mut seen[x], true) {
                stack.extend(self.calls[x].iter().map(|c| c.to));
            }
        }
        false
    }
}

pub(super) fn generate(seed: u64, fault: Fault) -> Fleet {
    let mut r = fastrand::Rng::with_seed(seed);
    // The medians' own generator: the fleets and their p95s are those of the seeds before the
    // median was simulated, so the five older faults' results compare seed for seed.
    let mut rb = fastrand::Rng::with_seed(seed ^ 0xb0d7);
    let n = r.usize(20..=60);
    let entries = r.usize(1..=3);
    let names = (0..n).map(|i| format!("svc-{i:02}")).collect();
    let svcs: Vec<Svc> = (0..n)
        .map(|_| {
            let chronic = r.f64() < 0.12;
            let slow = chronic && r.bool();
            let own = if slow {
                1.0 + 3.0 * r.f64()
            } else {
                (0.005 + 0.1 * r.f64()) * (1.0 + normal(&mut r).abs())
            };
            Svc {
                own,
                // A slow service's seconds are a tail: most of its requests are quick.
                body: if slow {
                    0.005 + 0.1 * rb.f64()
                } else {
                    own * (0.3 + 0.3 * rb.f64())
                },
                own_err: if chronic && !slow {
                    0.05 + 0.3 * r.f64()
                } else if r.f64() < 0.3 {
                    0.001 * r.f64()
                } else {
                    0.0
                },
                jitter: if chronic { 0.15 } else { 0.04 + 0.06 * r.f64() },
                cpu: 0.1 + 0.4 * r.f64(),
                chronic,
                templates: (0..r.usize(3..12)).map(|_| 0.01 + 2.0 * r.f64()).collect(),
                mix_drift: false,
            }
        })
        .collect();
    // A DAG: calls go from lower to higher index; every non-entry service has a caller.
    let mut calls: Vec<Vec<Call>> = (0..n).map(|_| Vec::new()).collect();
    let new_call = |r: &mut fastrand::Rng, to: usize| Call {
        to,
        per_request: if r.f64() < 0.7 {
            1.0
        } else {
            1.0 + r.usize(1..4) as f64
        },
        parallel: r.f64() < 0.3,
        propagate: 0.6 + 0.4 * r.f64(),
    };
    for callee in entries..n {
        // A near caller: chains several calls deep rather than one hub calling everything.
        let caller = r.usize(callee.saturating_sub(5)..callee);
        let c = new_call(&mut r, callee);
        calls[caller].push(c);
    }
    for (caller, out) in calls.iter_mut().enumerate() {
        for _ in 0..r.usize(0..=1) {
            if caller + 1 >= n {
                break;
            }
            let to = r.usize(caller + 1..n);
            if out.iter().all(|c| c.to != to) {
                out.push(new_call(&mut r, to));
            }
        }
    }
    // A request makes about one call in all, whatever its fan-out: latency does not compound
    // geometrically with depth (it does not in real fleets, whose deep paths are rare).
    for out in calls.iter_mut() {
        let total: f64 = out.iter().map(|c| c.per_request).sum();
        if total > 1.0 {
            out.iter_mut().for_each(|c| c.per_request /= total);
        }
    }
    // The root: any service below the entries, or an entry; never a chronic one, so that the
    // test's second property is not trivially true. Log-only and egress faults need a caller.
    // And with traffic enough to show anything (a service called a few times an hour shows
    // nothing in three minutes, to any method).
    let base_rate = 5.0 + 50.0 * r.f64();
    let mut rate = vec![0.0; n];
    for (i, v) in rate.iter_mut().enumerate().take(entries) {
        *v = base_rate / (i + 1) as f64;
    }
    for i in 0..n {
        for c in &calls[i] {
            rate[c.to] += rate[i] * c.per_request;
        }
    }
    let pool: Vec<usize> = (0..n)
        .filter(|i| !svcs[*i].chronic && rate[*i] >= 1.0)
        .filter(|i| {
            !matches!(
                fault,
                Fault::Egress | Fault::LogsOnly | Fault::Body | Fault::Answer
            ) || *i >= entries
        })
        .collect();
    let root = pool[r.usize(0..pool.len())];
    // The body fault's root has a tail of seconds, as usual: chronic by level, changed only in
    // its median (so the chronic property does not hold of it: it did change).
    let mut svcs = svcs;
    // Its own generator, so the fleets, roots and noise are those of the seeds before drift
    // was simulated.
    let mut rd = fastrand::Rng::with_seed(seed ^ 0xd41f);
    for (i, s) in svcs.iter_mut().enumerate() {
        s.mix_drift = i != root && rd.f64() < MIX_DRIFT_SHARE;
    }
    if fault == Fault::Body {
        let s = &mut svcs[root];
        s.own = 1.0 + 3.0 * rb.f64();
        s.jitter = 0.15;
        s.chronic = true;
    }
    Fleet {
        names,
        svcs,
        calls,
        entries,
        root,
        fault,
        base_rate,
    }
}

/// One minute of the fleet, as the metrics would show it.
struct Minute {
    p95: Vec<f64>,
    p50: Vec<f64>,
    err: Vec<f64>,
    rate: Vec<f64>,
    cpu: Vec<f64>,
    /// (caller, callee) → (p95 seen by the caller, error ratio, calls/s, p50 seen by the caller).
    edges: BTreeMap<(usize, usize), (f64, f64, f64, f64)>,
    /// Per service, per template: count in the minute, and whether it is at error level.
    logs: Vec<Vec<(f64, bool)>>,
}

fn simulate(
    f: &Fleet,
    (r, rb): (&mut fastrand::Rng, &mut fastrand::Rng),
    t: f64,
    faulty: bool,
    base_rate: f64,
) -> Minute {
    let n = f.svcs.len();
    let sev = 3.0;
    let is_root = |i: usize| faulty && i == f.root;
    // Rates, top down (calls go to higher indices, so index order is topological).
    let diurnal = 1.0 + 0.3 * (2.0 * std::f64::consts::PI * t / 1440.0).sin();
    let mut rate = vec![0.0; n];
    for (i, v) in rate.iter_mut().enumerate().take(f.entries) {
        *v = base_rate * diurnal * (1.0 + 0.05 * normal(r)) / (i + 1) as f64;
    }
    for i in 0..n {
        for c in &f.calls[i] {
            rate[c.to] += rate[i] * c.per_request;
        }
    }
    // Latency and errors, bottom up.
    let mut lat = vec![0.0; n];
    let mut body = vec![0.0; n];
    let mut err = vec![0.0; n];
    let mut cpu = vec![0.0; n];
    // Per service, the share of its requests failing on the root's wrong answer.
    let mut wrong = vec![0.0; n];
    let mut edges = BTreeMap::new();
    for i in (0..n).rev() {
        let s = &f.svcs[i];
        let mut own = s.own;
        let mut own_body = s.body;
        let mut own_err = s.own_err;
        let mut c = s.cpu * rate[i].max(1.0).ln().max(1.0) / 5.0;
        let (mut seq, mut par) = (0.0f64, 0.0f64);
        let (mut seq_body, mut par_body) = (0.0f64, 0.0f64);
        let mut ok = 1.0;
        for call in &f.calls[i] {
            let mut net = 0.001;
            let mut net_body = 0.001;
            // A delay on a service's egress slows its answers and its own requests, by about
            // as much again as the answer took.
            if faulty && f.fault == Fault::Egress {
                if call.to == f.root {
                    net += 0.05 + lat[f.root];
                    net_body += 0.05 + body[f.root];
                } else if i == f.root {
                    net += 0.05 + lat[call.to];
                    net_body += 0.05 + body[call.to];
                }
            }
            let seen = lat[call.to] + net;
            let seen_body = body[call.to] + net_body;
            let e = err[call.to];
            let jitter = f.svcs[call.to].jitter;
            let p95 = seen * (1.6 + 0.05 * normal(r)) * (1.0 + jitter * normal(r));
            let p50 = seen_body * (1.0 + 0.02 * normal(rb)) * (1.0 + 0.5 * jitter * normal(rb));
            let calls_per_s = rate[i] * call.per_request;
            let observed_err = binomial_ratio(r, e, calls_per_s * 60.0);
            edges.insert(
                (i, call.to),
                (p95.max(0.0), observed_err, calls_per_s, p50.max(0.0)),
            );
            if call.parallel {
                par = par.max(seen * call.per_request.min(1.0));
                par_body = par_body.max(seen_body * call.per_request.min(1.0));
            } else {
                seq += seen * call.per_request;
                seq_body += seen_body * call.per_request;
            }
            ok *= 1.0 - (call.propagate * e * call.per_request).min(1.0);
            if faulty && f.fault == Fault::Answer && call.to == f.root {
                wrong[i] += WRONG_ANSWER_FAILS * call.per_request.min(1.0);
            }
        }
        // The fault, in proportion to what the service took before it: visible at the root by
        // construction (an injected fault is), however deep the root and whatever it calls.
        if is_root(i) {
            let total = own + seq + par;
            let total_body = own_body + seq_body + par_body;
            match f.fault {
                Fault::Latency => {
                    own += 0.03 + sev * 0.4 * total;
                    own_body += 0.03 + sev * 0.4 * total_body;
                }
                Fault::Errors => own_err += 0.05 + 0.1 * sev / 3.0,
                Fault::Cpu => {
                    c = (c * 3.0).max(0.95);
                    own += 0.02 + sev * 0.3 * total;
                    own_body += 0.02 + sev * 0.3 * total_body;
                }
                // Every request slower by about what the body took; the tail of seconds, which
                // sets the p95, as it was.
                Fault::Body => own_body += 0.03 + sev * 0.4 * total_body,
                Fault::Egress | Fault::LogsOnly | Fault::Answer => {}
            }
        }
        own_err += wrong[i];
        ok *= 1.0 - own_err;
        lat[i] = own + seq + par;
        body[i] = own_body + seq_body + par_body;
        err[i] = 1.0 - ok;
        cpu[i] = (c * (1.0 + 0.05 * normal(r))).max(0.0);
    }
    let p95 = (0..n)
        .map(|i| {
            (lat[i] * (1.6 + 0.05 * normal(r)) * (1.0 + f.svcs[i].jitter * normal(r))).max(0.0)
        })
        .collect();
    let p50 = (0..n)
        .map(|i| {
            (body[i] * (1.0 + 0.02 * normal(rb)) * (1.0 + 0.5 * f.svcs[i].jitter * normal(rb)))
                .max(0.0)
        })
        .collect();
    let err_obs = (0..n)
        .map(|i| binomial_ratio(r, err[i], rate[i] * 60.0))
        .collect();
    let logs = (0..n)
        .map(|i| {
            let mut counts: Vec<(f64, bool)> = f.svcs[i]
                .templates
                .iter()
                .map(|per_req| (poisson(r, per_req * rate[i] * 60.0), false))
                .collect();
            // A caught exception or a changed answer: a new error-level template at the root,
            // and a weaker one at a caller that notices.
            let fault = if faulty && f.fault == Fault::Answer {
                // The root's caught exception; each failure its callers log.
                poisson(
                    r,
                    if i == f.root { 0.05 } else { wrong[i] } * rate[i] * 60.0,
                )
            } else if faulty && f.fault == Fault::LogsOnly {
                if i == f.root {
                    poisson(r, 0.05 * rate[i] * 60.0)
                } else if f.calls[i].iter().any(|c| c.to == f.root) && i % 2 == 0 {
                    poisson(r, 0.01 * rate[i] * 60.0)
                } else {
                    0.0
                }
            } else {
                0.0
            };
            counts.push((fault, true));
            // A new flow's info line, as often as a busy template. Its count is its mean, not
            // drawn, so that the other draws are those of the seeds before drift was simulated.
            let drift = if faulty && f.svcs[i].mix_drift {
                (0.2 * rate[i] * 60.0).round()
            } else {
                0.0
            };
            counts.push((drift, false));
            counts
        })
        .collect();
    Minute {
        p95,
        p50,
        err: err_obs,
        rate,
        cpu,
        edges,
        logs,
    }
}

#[path = "fleet_tests.rs"]
mod tests;
