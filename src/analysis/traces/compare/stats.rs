//! The comparison's statistics: quantiles and spreads of samples, growth judged with
//! `localize::rise`, the abnormal bar, Ochiai's suspiciousness, and splitting one window into
//! slow/fast or failed/ok traces. Part of `compare.rs`; tests in `compare_tests.rs`.

use super::{Dist, Growth, Mode, Params, Split};
use crate::analysis::localize::{self, Measure, Rule, rise};
use crate::model::trace::Trace;

pub(super) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub(super) fn dist(sorted: &[f64], q: f64) -> Option<Dist> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Some(Dist {
        n,
        median,
        high: quantile(sorted, q),
    })
}

/// The scaled MAD of sorted samples (0 with fewer than three).
pub(super) fn spread(sorted: &[f64]) -> f64 {
    localize::baseline(sorted).map(|(_, s)| s).unwrap_or(0.0)
}

pub(super) fn growth(before: &mut [f64], after: &mut [f64], rule: &Rule, p: &Params) -> Growth {
    before.sort_by(f64::total_cmp);
    after.sort_by(f64::total_cmp);
    let (b, a) = (dist(before, p.high_quantile), dist(after, p.high_quantile));
    let mut g = Growth {
        before: b,
        after: a,
        change: None,
        on_high: false,
    };
    let (Some(b), Some(a)) = (b, a) else {
        return g;
    };
    if b.n < p.min_spans || a.n < p.min_spans {
        return g;
    }
    let sd = spread(before);
    let rule = Rule {
        min_requests: p.min_spans as f64,
        ..*rule
    };
    let med = rise(
        &Measure::new(a.median, b.median, sd).with_requests(a.n as f64),
        &rule,
    );
    let high = rise(
        &Measure::new(a.high, b.high, sd).with_requests(a.n as f64),
        &rule,
    );
    (g.change, g.on_high) = match (med, high) {
        (Some(m), Some(h)) if h.strength > m.strength => (Some(h), true),
        (Some(m), _) => (Some(m), false),
        (None, Some(h)) => (Some(h), true),
        (None, None) => (None, false),
    };
    g
}

/// The self-time (ms) above which an entry span of an operation is abnormal, from the baseline.
pub(super) fn abnormal_bar(before: &[f64], p: &Params) -> Option<f64> {
    if before.len() < p.min_spans {
        return None;
    }
    let mut v = before.to_vec();
    v.sort_by(f64::total_cmp);
    let (median, sd) = localize::baseline(&v)?;
    let r = &p.self_time;
    let noise = sd.max(r.rel_floor * median.abs()).max(r.abs_floor);
    Some(
        (median + p.abnormal_z * noise)
            .max(median * r.min_ratio)
            .max(median + r.min_delta),
    )
}

pub(super) fn ochiai(ef: usize, ep: usize, failed: usize) -> f64 {
    if ef == 0 {
        return 0.0;
    }
    ef as f64 / ((failed as f64) * ((ef + ep) as f64)).sqrt()
}

/// Split one window's traces into (normal, anomalous) and say how.
pub(super) fn split(traces: &[Trace], how: Split) -> (Vec<&Trace>, Vec<&Trace>, Mode) {
    match how {
        Split::Errors => {
            let (bad, ok): (Vec<&Trace>, Vec<&Trace>) =
                traces.iter().partition(|t| t.spans.iter().any(|s| s.error));
            (ok, bad, Mode::ErrorVsOk)
        }
        Split::Latency { quantile: q } => {
            let mut d: Vec<i64> = traces.iter().map(Trace::duration_us).collect();
            d.sort_unstable();
            let threshold_us = if d.is_empty() {
                0
            } else {
                let q = if q.is_finite() {
                    q.clamp(0.0, 1.0)
                } else {
                    0.8
                };
                let rank = (q * d.len() as f64).ceil() as usize;
                d[rank.clamp(1, d.len()) - 1]
            };
            let (slow, fast): (Vec<&Trace>, Vec<&Trace>) =
                traces.iter().partition(|t| t.duration_us() >= threshold_us);
            (fast, slow, Mode::SlowVsFast { threshold_us })
        }
    }
}

pub(super) type Samples = (Vec<f64>, Vec<f64>);
