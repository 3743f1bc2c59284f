//! Is a signal's value now a change from its own baseline? A robust test: the shift must be large
//! against the baseline's own variability (a z-score with floors, so a perfectly flat baseline does
//! not make every wobble "infinitely significant"), large in proportion, and measured on enough
//! requests. A service that is slow or failing *as usual* scores nothing here, however bad its
//! level: level is not change. Pure; tests in `tests.rs`.

use serde::Serialize;

/// One signal of one service (or one call edge) in two windows: now, and the baseline before the
/// onset (or a day/week ago), summarised by its centre and spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measure {
    pub now: f64,
    /// The baseline's centre (median or mean of its samples).
    pub center: f64,
    /// The baseline's spread (standard deviation or scaled MAD of its samples); 0 when unknown.
    pub spread: f64,
    /// Requests behind `now` (over the rate window); `None` when the signal is not a request
    /// measure (CPU, memory).
    pub requests: Option<f64>,
    /// The value usual at this time of day or week (the median around the same clock time a day
    /// and a week ago, the higher of the two), where the data reach back that far: a rise that
    /// happens every day at this hour (a batch, the morning peak) is not this incident's.
    pub usual: Option<f64>,
}

impl Measure {
    pub fn new(now: f64, center: f64, spread: f64) -> Self {
        Measure {
            now,
            center,
            spread,
            requests: None,
            usual: None,
        }
    }

    pub fn with_usual(mut self, usual: Option<f64>) -> Self {
        self.usual = usual.filter(|u| u.is_finite());
        self
    }

    pub fn with_requests(mut self, n: f64) -> Self {
        self.requests = Some(n);
        self
    }

    pub fn delta(&self) -> f64 {
        self.now - self.center
    }
}

/// How a kind of signal is judged. Values come from the runbook's thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Noise floor as a share of the baseline's centre: spread is never taken as smaller.
    pub rel_floor: f64,
    /// Noise floor in the signal's unit (seconds, ratio, cores).
    pub abs_floor: f64,
    /// The least z-score that is a change.
    pub z_min: f64,
    /// The least proportional rise (now / centre) that is a change; for ratios near zero the
    /// absolute `min_delta` decides instead.
    pub min_ratio: f64,
    /// The least absolute rise.
    pub min_delta: f64,
    /// The fewest requests that count as evidence (ignored for non-request signals).
    pub min_requests: f64,
    /// The signal is a share of requests (an error ratio): its noise is at least the counting
    /// noise of that many requests, `sqrt(n·p + 1) / n` (Poisson, with one pseudo-count so that
    /// a clean baseline does not make the first few errors infinitely significant).
    pub counted: bool,
}

/// A change, when there is one: how far (z), how much (ratio and delta), and a strength that is
/// comparable across signals: how many times over the significance bar, capped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub before: f64,
    pub after: f64,
    pub z: f64,
    pub ratio: f64,
    pub strength: f64,
    /// Measured at the median (p50) rather than the runbook's quantile: the body of the
    /// distribution moved while its tail did not (see `Judged::server`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub median: bool,
}

/// A z-score this far over the bar adds nothing more: a 40-sigma change is not twice as much a
/// root cause as a 20-sigma one, and capping keeps one flat-baseline signal from drowning the rest.
pub(crate) const STRENGTH_CAP: f64 = 8.0;

/// The noise a change is measured against: the baseline's spread, never below the floors.
fn noise(m: &Measure, rule: &Rule) -> f64 {
    let counting = match (rule.counted, m.requests) {
        (true, Some(n)) if n > 0.0 => (n * m.center.max(0.0) + 1.0).sqrt() / n,
        _ => 0.0,
    };
    m.spread
        .max(0.0)
        .max(rule.rel_floor * m.center.abs())
        .max(rule.abs_floor)
        .max(counting)
}

/// Rises only: a service that got faster or stopped failing is not a cause of an incident. With
/// a [`Measure::usual`] value, the rise must also be one against it (with the baseline's
/// spread), and the weaker of the two is the change.
pub fn rise(m: &Measure, rule: &Rule) -> Option<Change> {
    let recent = rise_from(m, rule)?;
    match m.usual {
        Some(u) => {
            let seasonal = rise_from(
                &Measure {
                    center: u,
                    usual: None,
                    ..*m
                },
                rule,
            )?;
            Some(if seasonal.z < recent.z {
                Change {
                    z: seasonal.z,
                    strength: seasonal.strength,
                    ..recent
                }
            } else {
                recent
            })
        }
        None => Some(recent),
    }
}

fn rise_from(m: &Measure, rule: &Rule) -> Option<Change> {
    if !m.now.is_finite() || !m.center.is_finite() {
        return None;
    }
    if let Some(n) = m.requests
        && (n.is_nan() || n < rule.min_requests)
    {
        return None;
    }
    let noise = noise(m, rule);
    if noise.is_nan() || noise <= 0.0 {
        return None;
    }
    let delta = m.delta();
    let z = delta / noise;
    let ratio = if m.center > 0.0 {
        m.now / m.center
    } else {
        f64::INFINITY
    };
    if z < rule.z_min || delta < rule.min_delta || ratio < rule.min_ratio {
        return None;
    }
    Some(Change {
        before: m.center,
        after: m.now,
        z,
        ratio,
        strength: (z / rule.z_min).min(STRENGTH_CAP),
        median: false,
    })
}

/// A fall (throughput that stopped, a template that vanished): the mirror of [`rise`].
pub fn fall(m: &Measure, rule: &Rule) -> Option<Change> {
    let mirrored = Measure {
        now: -m.now,
        center: -m.center,
        spread: m.spread,
        requests: None,
        usual: None,
    };
    let noise = noise(m, rule);
    if noise.is_nan() || noise <= 0.0 || !m.now.is_finite() || !m.center.is_finite() {
        return None;
    }
    let z = mirrored.delta() / noise;
    let ratio = if m.now > 0.0 {
        m.center / m.now
    } else {
        f64::INFINITY
    };
    if z < rule.z_min || -m.delta() < rule.min_delta || ratio < rule.min_ratio {
        return None;
    }
    Some(Change {
        before: m.center,
        after: m.now,
        z,
        ratio,
        strength: (z / rule.z_min).min(STRENGTH_CAP),
        median: false,
    })
}

/// Centre and spread of baseline samples: the median and the MAD scaled to a standard deviation
/// (1.4826), which one outlier minute in the baseline cannot inflate. Non-finite samples are
/// skipped; `None` with fewer than three samples.
pub fn baseline(samples: &[f64]) -> Option<(f64, f64)> {
    let mut v: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    if v.len() < 3 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let median = |s: &[f64]| {
        let n = s.len();
        if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    };
    let m = median(&v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
    dev.sort_by(f64::total_cmp);
    Some((m, 1.4826 * median(&dev)))
}
