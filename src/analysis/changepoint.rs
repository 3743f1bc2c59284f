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

/// Where a change test's baseline should end, as an offset before `now` (unix seconds), given
/// the symptom's own onset: a minute before a rise that began earlier than `default` before
/// `now`. `None` keeps the default: no onset, a fall (a recovery is not the incident), or an
/// onset recent enough that the default baseline is already clean of it.
///
/// Why: the baseline is the median of an hour ending `default` before `now`. An incident older
/// than that leaks into it, and once it fills more than half the hour its median *is* the
/// incident, so nothing counts as changed any more.
pub fn baseline_end_before(
    shift: Option<Shift>,
    now: f64,
    default: std::time::Duration,
) -> Option<std::time::Duration> {
    let s = shift?;
    let age = now - s.at;
    if s.after <= s.before || !age.is_finite() || age <= default.as_secs_f64() {
        return None;
    }
    Some(std::time::Duration::from_secs((age + 60.0).ceil() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_rise_moves_the_baseline_before_it() {
        let fifteen = std::time::Duration::from_secs(900);
        let rise = |at| Shift {
            at,
            before: 0.1,
            after: 0.5,
        };
        // Began 50 minutes ago: the baseline ends a minute before it.
        assert_eq!(
            baseline_end_before(Some(rise(7000.0)), 10_000.0, fifteen),
            Some(std::time::Duration::from_secs(3060))
        );
        // Ten minutes ago: the default hour, ending 15 minutes ago, is already clean.
        assert_eq!(
            baseline_end_before(Some(rise(9400.0)), 10_000.0, fifteen),
            None
        );
        // A fall (a recovery) and no shift at all keep the default.
        let fall = Shift {
            at: 7000.0,
            before: 0.5,
            after: 0.1,
        };
        assert_eq!(baseline_end_before(Some(fall), 10_000.0, fifteen), None);
        assert_eq!(baseline_end_before(None, 10_000.0, fifteen), None);
    }

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
