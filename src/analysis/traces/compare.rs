//! Trace comparison for root-cause localization (issue #15): traces of the anomalous window
//! against the baseline's (or, with one window only, slow against fast), per service.
//!
//! Three kinds of evidence, each judged on distributions, never on one trace:
//! 1. **Own time grew.** Per (service, operation) of the entry spans (server and consumer spans,
//!    or spans whose parent is missing or in another service when kinds are not recorded), the
//!    span's *self time*: its duration minus the union of the intervals it waited on in other
//!    services (its client/producer spans and other services' spans; the same service's internal
//!    spans are its own work and stay in). Also its share of the trace's critical path (the Jaeger
//!    UI's, `critical_path.rs`). Both are compared on the median and a high quantile, with a
//!    minimum number of spans and an effect size against the baseline's own spread (scaled MAD),
//!    through [`localize::rise`], so a strength here is on [`localize::Change::strength`]'s scale.
//!    A caller whose time is only its children's has flat self time, so it is not named.
//! 2. **Over-representation** (spectrum-based, as in TraceRCA, Li et al., IWQoS 2021, and
//!    MicroRank, Yu et al., WWW 2021): a service is *implicated* in a trace when one of its spans
//!    is an error origin (an error no child of it explains, `patterns.rs`) or an entry span whose
//!    self time is abnormal against the baseline's distribution of that operation. Counting
//!    implicated anomalous traces (`ef`), implicated normal ones (`ep`) and all anomalous ones
//!    (`F`), the suspiciousness is **Ochiai**, `ef / sqrt(F · (ef + ep))`. Both papers use
//!    spectrum formulas (MicroRank weighs several, Ochiai among them; TraceRCA ranks its
//!    suspicious service sets by a Jaccard index). Ochiai is chosen because it is the geometric
//!    mean of two readable quantities, the share of anomalous traces the service is implicated in
//!    (`ef / F`) and the share of its implicated traces that are anomalous (`ef / (ef + ep)`), so
//!    a service present everywhere but unchanged, or implicated as often in normal traces,
//!    scores low, and it is not dragged down as hard as Jaccard's `ef / (F + ep)` by a few
//!    implicated normal traces (a baseline always has some slow requests). Mere presence is
//!    counted too and reported, not scored: being called more is not being the cause.
//! 3. **Delay between two services**: when a caller's client spans to a callee grew but the
//!    callee's own server spans under them did not (their rise is below `server_share` of the
//!    client's), the time went between them (the network or the callee's egress); reported as
//!    [`Between`], naming the callee, as `localize`'s `Locus::Egress`/`Link` do from metrics.
//!
//! With no baseline traces (only the injection minutes), the anomalous traces are split into slow
//! and fast by a latency percentile, or into failed and ok ([`Split`]); [`Mode`] says which.
//! A service's score adds its strongest time growth (its own self time, its critical-path share,
//! or a delay in front of it) to its spectrum strength (Ochiai over the bar, at most 2);
//! [`TraceComparison::to_shifts`] hands it to `localize` as [`localize::Shift`]. [`agreement`]
//! says whether the top service agrees with the graph walk's top candidate.
//!
//! Pure and deterministic: ordered maps, sorted samples, integer sums, totals tie-broken by name,
//! so shuffled input gives the same output. Not here: fetching the traces of either window (the
//! investigations), and feeding the shifts to `localize` or wording findings. Tests:
//! `compare_tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

mod agreement;
mod facts;
mod stats;
mod types;

use crate::model::trace::Trace;
use crate::report::units;
pub use agreement::{Agreement, Verdict, agreement};
use facts::{Facts, facts};
use stats::{Samples, abnormal_bar, growth, ochiai, split};
use types::mode_words;
pub use types::{
    Between, Dist, Growth, Mode, OpComparison, Params, ServiceComparison, Spectrum, Split,
    TraceComparison,
};

/// The most a spectrum alone adds: over-representation supports, own time decides.
const SPECTRUM_CAP: f64 = 2.0;

/// Compare the anomalous traces against the baseline's; with no baseline traces, split the
/// anomalous ones by `params.split`.
pub fn compare(baseline: &[Trace], anomalous: &[Trace], params: &Params) -> TraceComparison {
    let (normal, bad, mode) = if baseline.is_empty() {
        split(anomalous, params.split)
    } else {
        (
            baseline.iter().collect(),
            anomalous.iter().collect(),
            Mode::Windows,
        )
    };
    let normal: Vec<Facts<'_>> = normal.into_iter().map(facts).collect();
    let bad: Vec<Facts<'_>> = bad.into_iter().map(facts).collect();
    let windows = [&normal, &bad];

    let mut op_self: BTreeMap<(&str, &str), Samples> = BTreeMap::new();
    let mut op_share: BTreeMap<(&str, &str), Samples> = BTreeMap::new();
    let mut svc_self: BTreeMap<&str, Samples> = BTreeMap::new();
    let mut svc_share: BTreeMap<&str, Samples> = BTreeMap::new();
    let mut calls: BTreeMap<(&str, &str), (Samples, Samples)> = BTreeMap::new();
    for (w, facts) in windows.iter().enumerate() {
        for f in facts.iter() {
            let mut per_svc: BTreeMap<&str, i64> = BTreeMap::new();
            for &(s, o, us) in &f.entries {
                push(&mut op_self, (s, o), w, us as f64 / 1000.0);
                let e = per_svc.entry(s).or_insert(0);
                *e = e.saturating_add(us);
            }
            for (s, us) in per_svc {
                push(&mut svc_self, s, w, us as f64 / 1000.0);
            }
            if f.path_total > 0 {
                let total = f.path_total as f64;
                // Services and operations present in the trace have a share, 0 off the path.
                let mut per_svc: BTreeMap<&str, i64> =
                    f.entries.iter().map(|&(s, _, _)| (s, 0)).collect();
                let ops: BTreeSet<(&str, &str)> =
                    f.entries.iter().map(|&(s, o, _)| (s, o)).collect();
                for (s, o) in ops {
                    let us = f.path.get(&(s, o)).copied().unwrap_or(0);
                    push(&mut op_share, (s, o), w, us as f64 / total);
                }
                for (&(s, _), &us) in &f.path {
                    let e = per_svc.entry(s).or_insert(0);
                    *e = e.saturating_add(us);
                }
                for (s, us) in per_svc {
                    push(&mut svc_share, s, w, us as f64 / total);
                }
            }
            for &(caller, callee, client, server) in &f.calls {
                let e = calls.entry((caller, callee)).or_default();
                let (c, s) = if w == 0 {
                    (&mut e.0.0, &mut e.1.0)
                } else {
                    (&mut e.0.1, &mut e.1.1)
                };
                c.push(client as f64 / 1000.0);
                s.push(server as f64 / 1000.0);
            }
        }
    }

    // Abnormal self time per operation, from the normal traces.
    let bars: BTreeMap<(&str, &str), f64> = op_self
        .iter()
        .filter_map(|(k, (before, _))| Some((*k, abnormal_bar(before, params)?)))
        .collect();
    let mut spectra: BTreeMap<&str, Spectrum> = BTreeMap::new();
    for (w, facts) in windows.iter().enumerate() {
        for f in facts.iter() {
            let mut implicated: BTreeSet<&str> = f.errors.clone();
            for &(s, o, us) in &f.entries {
                if bars
                    .get(&(s, o))
                    .is_some_and(|&bar| us as f64 / 1000.0 > bar)
                {
                    implicated.insert(s);
                }
            }
            for s in &f.present {
                let e = spectra.entry(s).or_default();
                if w == 0 {
                    e.present_normal += 1;
                } else {
                    e.present_anomalous += 1;
                }
            }
            for s in implicated {
                let e = spectra.entry(s).or_default();
                if w == 0 {
                    e.implicated_normal += 1;
                } else {
                    e.implicated_anomalous += 1;
                }
            }
        }
    }
    for sp in spectra.values_mut() {
        sp.normal = normal.len();
        sp.anomalous = bad.len();
        sp.ochiai = ochiai(sp.implicated_anomalous, sp.implicated_normal, bad.len());
    }

    let mut operations: Vec<OpComparison> = Vec::new();
    for (&(s, o), (before, after)) in op_self.iter_mut() {
        let self_ms = growth(before, after, &params.self_time, params);
        let share = match op_share.get_mut(&(s, o)) {
            Some((b, a)) => growth(b, a, &params.share, params),
            None => growth(&mut [], &mut [], &params.share, params),
        };
        operations.push(OpComparison {
            service: s.to_string(),
            operation: o.to_string(),
            self_ms,
            share,
        });
    }

    let mut between: Vec<Between> = Vec::new();
    for (&(caller, callee), ((cb, ca), (sb, sa))) in calls.iter_mut() {
        let client_ms = growth(cb, ca, &params.self_time, params);
        let Some(c) = client_ms.change else {
            continue;
        };
        let server_ms = growth(sb, sa, &params.self_time, params);
        let server_delta = match (server_ms.before, server_ms.after) {
            (Some(b), Some(a)) if client_ms.on_high => a.high - b.high,
            (Some(b), Some(a)) => a.median - b.median,
            _ => continue,
        };
        if server_delta < params.server_share * (c.after - c.before) {
            between.push(Between {
                caller: caller.to_string(),
                callee: callee.to_string(),
                client_ms,
                server_ms,
            });
        }
    }
    between.sort_by(|a, b| {
        b.client_ms
            .strength()
            .total_cmp(&a.client_ms.strength())
            .then_with(|| (&a.callee, &a.caller).cmp(&(&b.callee, &b.caller)))
    });

    let names: BTreeSet<&str> = spectra.keys().copied().collect();
    let mut services: Vec<ServiceComparison> = Vec::new();
    for s in names {
        let self_ms = match svc_self.get_mut(s) {
            Some((b, a)) => growth(b, a, &params.self_time, params),
            None => growth(&mut [], &mut [], &params.self_time, params),
        };
        let share = match svc_share.get_mut(s) {
            Some((b, a)) => growth(b, a, &params.share, params),
            None => growth(&mut [], &mut [], &params.share, params),
        };
        let spectrum = spectra.get(s).copied().unwrap_or_default();
        // (strength, reason), strongest first.
        let mut why: Vec<(f64, String)> = Vec::new();
        for op in operations.iter().filter(|o| o.service == s) {
            if let Some(c) = op.self_ms.change {
                why.push((
                    c.strength,
                    format!(
                        "self time of {} grew from {} to {} ({}, {} vs {} spans)",
                        op.operation,
                        ms(c.before),
                        ms(c.after),
                        which(&op.self_ms, params),
                        op.self_ms.before.map_or(0, |d| d.n),
                        op.self_ms.after.map_or(0, |d| d.n),
                    ),
                ));
            }
            if let Some(c) = op.share.change {
                why.push((
                    c.strength,
                    format!(
                        "critical-path share of {} grew from {} to {} ({})",
                        op.operation,
                        units::percent(c.before),
                        units::percent(c.after),
                        which(&op.share, params),
                    ),
                ));
            }
        }
        // The service's sums repeat an operation's reason when it has one operation.
        let op_self = operations
            .iter()
            .any(|o| o.service == s && o.self_ms.change.is_some());
        let op_share = operations
            .iter()
            .any(|o| o.service == s && o.share.change.is_some());
        if let Some(c) = self_ms.change.filter(|_| !op_self) {
            why.push((
                c.strength,
                format!(
                    "its self time per trace grew from {} to {} ({})",
                    ms(c.before),
                    ms(c.after),
                    which(&self_ms, params)
                ),
            ));
        }
        if let Some(c) = share.change.filter(|_| !op_share) {
            why.push((
                c.strength,
                format!(
                    "its critical-path share grew from {} to {} ({})",
                    units::percent(c.before),
                    units::percent(c.after),
                    which(&share, params)
                ),
            ));
        }
        for b in between.iter().filter(|b| b.callee == s) {
            let (Some(c), Some(sb), Some(sa)) =
                (b.client_ms.change, b.server_ms.before, b.server_ms.after)
            else {
                continue;
            };
            let (from, to) = if b.client_ms.on_high {
                (sb.high, sa.high)
            } else {
                (sb.median, sa.median)
            };
            why.push((
                c.strength,
                format!(
                    "calls from {} to it grew from {} to {} while its server spans went from {} \
                     to {} ({}): the delay is between them (the network or {}'s egress)",
                    b.caller,
                    ms(c.before),
                    ms(c.after),
                    ms(from),
                    ms(to),
                    which(&b.client_ms, params),
                    s
                ),
            ));
        }
        let time: f64 = why
            .iter()
            .map(|w| w.0)
            .chain([self_ms.strength(), share.strength()])
            .fold(0.0, f64::max);
        // Over-representation needs something to be over: no normal traces, no spectrum.
        let spectral = if spectrum.normal > 0
            && spectrum.implicated_anomalous >= params.min_implicated
            && spectrum.ochiai >= params.min_ochiai
            && params.min_ochiai > 0.0
        {
            (spectrum.ochiai / params.min_ochiai).min(SPECTRUM_CAP)
        } else {
            0.0
        };
        if spectral > 0.0 {
            why.push((
                spectral,
                format!(
                    "implicated (error origin or abnormal self time) in {} of {} anomalous \
                     traces and {} of {} normal (present in {} and {}): Ochiai {:.2}",
                    spectrum.implicated_anomalous,
                    spectrum.anomalous,
                    spectrum.implicated_normal,
                    spectrum.normal,
                    spectrum.present_anomalous,
                    spectrum.present_normal,
                    spectrum.ochiai
                ),
            ));
        }
        why.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        services.push(ServiceComparison {
            service: s.to_string(),
            score: time + spectral,
            self_ms,
            share,
            spectrum,
            reasons: why.into_iter().map(|w| w.1).collect(),
        });
    }
    services.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.service.cmp(&b.service))
    });
    TraceComparison {
        mode,
        baseline_traces: normal.len(),
        anomalous_traces: bad.len(),
        services,
        operations,
        between,
    }
}

fn push<K: Ord>(map: &mut BTreeMap<K, Samples>, k: K, w: usize, v: f64) {
    let e = map.entry(k).or_default();
    if w == 0 { e.0.push(v) } else { e.1.push(v) }
}

fn ms(v: f64) -> String {
    units::seconds(v / 1000.0)
}

fn which(g: &Growth, p: &Params) -> String {
    if g.on_high {
        format!("p{:.0}", p.high_quantile * 100.0)
    } else {
        "median".into()
    }
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
