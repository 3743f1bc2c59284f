//! When did a series shift? A single mean-shift change point, found by the split that best
//! separates the series into two flat segments (least squares), accepted only when the shift is
//! large against the noise. Pure; tests below.
//!
//! Why this and not a library: one split over a few hundred points is twenty lines, and the
//! acceptance rule (ratio and noise) is the part that matters for on-call use.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// Unix seconds of the first point after the change.
    pub at: f64,
    pub before: f64,
    pub after: f64,
}

/// `points` are (unix seconds, value) in time order; NaN and infinite values are skipped.
/// Returns the shift when the later segment's mean differs from the earlier one's by at least
/// `min_ratio` (either direction) and by more than three pooled standard deviations.
pub fn detect(points: &[(f64, f64)], min_ratio: f64) -> Option<Shift> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(_, v)| v.is_finite())
        .collect();
    let n = pts.len();
    if n < 6 {
        return None;
    }
    let mut prefix = vec![(0.0f64, 0.0f64); n + 1];
    for (i, (_, v)) in pts.iter().enumerate() {
        prefix[i + 1] = (prefix[i].0 + v, prefix[i].1 + v * v);
    }
    let sse = |a: usize, b: usize| {
        let cnt = (b - a) as f64;
        let s = prefix[b].0 - prefix[a].0;
        let sq = prefix[b].1 - prefix[a].1;
        (sq - s * s / cnt).max(0.0)
    };
    let min_seg = 3;
    let mut best: Option<(usize, f64)> = None;
    for k in min_seg..=(n - min_seg) {
        let cost = sse(0, k) + sse(k, n);
        if best.is_none_or(|(_, c)| cost < c) {
            best = Some((k, cost));
        }
    }
    let (k, cost) = best?;
    let before = (prefix[k].0) / k as f64;
    let after = (prefix[n].0 - prefix[k].0) / (n - k) as f64;
    let sd = (cost / (n - 2) as f64).sqrt();
    let lo = before.min(after).max(f64::MIN_POSITIVE);
    let hi = before.max(after);
    if hi / lo < min_ratio || (after - before).abs() <= 3.0 * sd {
        return None;
    }
    Some(Shift {
        at: pts[k].0,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_step_up() {
        let pts: Vec<(f64, f64)> = (0..40)
            .map(|i| {
                (
                    i as f64 * 60.0,
                    if i < 25 {
                        0.3 + (i % 3) as f64 * 0.01
                    } else {
                        2.1 + (i % 2) as f64 * 0.02
                    },
                )
            })
            .collect();
        let s = detect(&pts, 1.5).unwrap();
        assert_eq!(s.at, 25.0 * 60.0);
        assert!(s.before < 0.35 && s.after > 2.0);
    }

    #[test]
    fn flat_or_noisy_series_have_no_shift() {
        let flat: Vec<(f64, f64)> = (0..40)
            .map(|i| (i as f64, 0.5 + (i % 5) as f64 * 0.01))
            .collect();
        assert!(detect(&flat, 1.5).is_none());
        let noisy: Vec<(f64, f64)> = (0..40)
            .map(|i| (i as f64, if i % 2 == 0 { 0.1 } else { 1.0 }))
            .collect();
        assert!(detect(&noisy, 1.5).is_none());
        assert!(detect(&[(0.0, 1.0), (1.0, 5.0)], 1.5).is_none());
    }

    #[test]
    fn skips_nan_points() {
        let mut pts: Vec<(f64, f64)> = (0..30)
            .map(|i| (i as f64, if i < 15 { 1.0 } else { 4.0 }))
            .collect();
        pts[3].1 = f64::NAN;
        assert!(detect(&pts, 1.5).is_some());
    }
}
