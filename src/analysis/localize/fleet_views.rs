//! The generated fleets' views (`fleet.rs`): a fleet simulated minute by minute, summarised
//! into what the investigations build from Prometheus and the logs.

use super::*;

/// A log shift as the graph takes it from the log-template comparison
/// (`TemplateShift::to_error_shift`): per error-level template, the Poisson z of the count now
/// over the baseline rate scaled to the requests now; strength = max z / 4. Info templates do
/// not count, whichever way they move: a bystander's traffic mix moves them
/// ([`Svc::mix_drift`]). `info_counts` counts them too: what the test shows they would cost.
fn log_shift(
    base: &[Vec<(f64, bool)>],
    now: &[Vec<(f64, bool)>],
    base_req: f64,
    now_req: f64,
    info_counts: bool,
) -> Option<Shift> {
    let k = base.first()?.len();
    let mut best = 0.0f64;
    for t in 0..k {
        if !(base[0][t].1 || info_counts) {
            continue;
        }
        let b: f64 = base.iter().map(|m| m[t].0).sum();
        let c: f64 = now.iter().map(|m| m[t].0).sum();
        let expected = b / base_req.max(1.0) * now_req;
        let z = (c - expected) / (expected + 1.0).sqrt();
        best = best.max(z);
    }
    Some(Shift {
        strength: best / 4.0,
        summary: String::new(),
    })
}

/// The views an investigation would build: 30 baseline minutes, then 3 minutes after onset.
pub(super) fn views(f: &Fleet, seed: u64) -> (Vec<ServiceView>, Vec<EdgeView>) {
    views_with(f, seed, false)
}

/// [`views`], with info-level log templates counted as evidence when `info_counts`.
pub(super) fn views_with(
    f: &Fleet,
    seed: u64,
    info_counts: bool,
) -> (Vec<ServiceView>, Vec<EdgeView>) {
    let mut r = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let mut rb = fastrand::Rng::with_seed(seed ^ 0x5eed ^ 0xb0d7);
    let base_rate = f.base_rate;
    let t0 = 1440.0 * r.f64();
    let before: Vec<Minute> = (0..30)
        .map(|m| simulate(f, (&mut r, &mut rb), t0 + m as f64, false, base_rate))
        .collect();
    let after: Vec<Minute> = (30..33)
        .map(|m| simulate(f, (&mut r, &mut rb), t0 + m as f64, true, base_rate))
        .collect();
    let measure = |pick: &dyn Fn(&Minute) -> Option<f64>, req: Option<f64>| {
        let b: Vec<f64> = before.iter().filter_map(pick).collect();
        let a: Vec<f64> = after.iter().filter_map(pick).collect();
        let (center, spread) = baseline(&b)?;
        let now = a.iter().sum::<f64>() / a.len().max(1) as f64;
        let mut m = Measure::new(now, center, spread);
        m.requests = req;
        Some(m)
    };
    let n = f.svcs.len();
    let services = (0..n)
        .map(|i| {
            let req = after.iter().map(|m| m.rate[i] * 60.0).sum::<f64>();
            let base_req: f64 = before.iter().map(|m| m.rate[i] * 60.0).sum();
            ServiceView {
                name: f.names[i].clone(),
                latency: measure(&|m| Some(m.p95[i]), Some(req)),
                latency_p50: measure(&|m| Some(m.p50[i]), Some(req)),
                errors: measure(&|m| Some(m.err[i]), Some(req)),
                throughput: measure(&|m| Some(m.rate[i]), None),
                cpu: measure(&|m| Some(m.cpu[i]), None),
                logs: log_shift(
                    &before.iter().map(|m| m.logs[i].clone()).collect::<Vec<_>>(),
                    &after.iter().map(|m| m.logs[i].clone()).collect::<Vec<_>>(),
                    base_req,
                    req,
                    info_counts,
                ),
                ..Default::default()
            }
        })
        .collect();
    let mut edges = Vec::new();
    for i in 0..n {
        for c in &f.calls[i] {
            let key = (i, c.to);
            let req = after.iter().map(|m| m.edges[&key].2 * 60.0).sum::<f64>();
            edges.push(EdgeView {
                caller: f.names[i].clone(),
                callee: f.names[c.to].clone(),
                latency: measure(&|m| Some(m.edges[&key].0), Some(req)),
                latency_p50: measure(&|m| Some(m.edges[&key].3), Some(req)),
                errors: measure(&|m| Some(m.edges[&key].1), Some(req)),
                rate: measure(&|m| Some(m.edges[&key].2), None),
            });
        }
    }
    (services, edges)
}
