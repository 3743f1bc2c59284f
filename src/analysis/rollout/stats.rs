//! The significance tests of the rollout comparison: one-sided p-values for "a larger share after
//! than before" (errors, slow requests) and "a lower rate after than before" (throughput).
//!
//! Counts arrive as Prometheus `increase()` values, which are extrapolated and so not whole; they
//! are rounded to the nearest whole request here, and a value that is not finite or is negative
//! counts as zero. Proportions use the two-proportion z-test when every expected cell of the 2×2
//! table holds at least 5 (the textbook condition for the normal approximation), else Fisher's
//! exact test; rates use the exact conditional binomial test (given the total, the count after is
//! binomial with the after window's share of the time). Exact tails are summed in log space
//! from the side away from the mode, so they cost a few thousand terms at most and never
//! underflow. Pure; tests below.

use crate::analysis::stats::{ln_gamma, normal_sf};

/// Whole, non-negative counts from Prometheus' extrapolated ones.
pub fn whole(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        x.round() as u64
    } else {
        0
    }
}

/// One-sided p-value that the share `x2/n2` exceeds `x1/n1` by more than chance, and the test
/// used. 1.0 when either side has no observations or the share did not rise.
pub fn share_increase(x1: u64, n1: u64, x2: u64, n2: u64) -> (f64, &'static str) {
    let (x1, x2) = (x1.min(n1), x2.min(n2));
    if n1 == 0 || n2 == 0 || (x2 as f64 / n2 as f64) <= (x1 as f64 / n1 as f64) {
        return (1.0, "no increase");
    }
    let n = (n1 + n2) as f64;
    let k = (x1 + x2) as f64;
    let smallest_expected = [n1 as f64, n2 as f64]
        .iter()
        .flat_map(|ni| [ni * k / n, ni * (n - k) / n])
        .fold(f64::INFINITY, f64::min);
    if smallest_expected >= 5.0 {
        let pooled = k / n;
        let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
        let z = (x2 as f64 / n2 as f64 - x1 as f64 / n1 as f64) / se;
        (normal_sf(z), "two-proportion z-test")
    } else {
        // Fisher: given the margins, the count after is hypergeometric.
        (
            hypergeometric_sf(x2, n1 + n2, x1 + x2, n2),
            "Fisher's exact test",
        )
    }
}

/// One-sided p-value that the rate after (`c2` events in `t2` seconds) is lower than before (`c1`
/// in `t1`). 1.0 when there is nothing to compare or the rate did not fall.
pub fn rate_drop_p(c1: u64, t1: f64, c2: u64, t2: f64) -> f64 {
    if !(t1 > 0.0 && t2 > 0.0) || c1 == 0 || (c2 as f64 / t2) >= (c1 as f64 / t1) {
        return 1.0;
    }
    binomial_cdf(c2, c1 + c2, t2 / (t1 + t2))
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

fn log_add(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// Σ exp(ln pmf(x)) for x from `start` stepping by `dir` (±1) within `[lo, hi]`, where `ln_ratio(x)`
/// is ln(pmf(x + dir) / pmf(x)). Called only moving away from the mode, where terms shrink, so it
/// stops once a term no longer changes the sum.
fn tail(
    ln_first: f64,
    start: u64,
    dir: i64,
    lo: u64,
    hi: u64,
    ln_ratio: impl Fn(u64) -> f64,
) -> f64 {
    let mut total = f64::NEG_INFINITY;
    let mut term = ln_first;
    let mut x = start;
    loop {
        total = log_add(total, term);
        if term < total - 40.0 {
            break;
        }
        if (dir > 0 && x >= hi) || (dir < 0 && x <= lo) {
            break;
        }
        term += ln_ratio(x);
        x = (x as i64 + dir) as u64;
    }
    total.exp().min(1.0)
}

/// P(X ≥ k) for X ~ Hypergeometric(population `n`, `k_pop` successes in it, `draws` drawn).
fn hypergeometric_sf(k: u64, n: u64, k_pop: u64, draws: u64) -> f64 {
    let lo = (draws + k_pop).saturating_sub(n);
    let hi = draws.min(k_pop);
    if k <= lo {
        return 1.0;
    }
    if k > hi {
        return 0.0;
    }
    let ln_pmf =
        |x: u64| ln_choose(k_pop, x) + ln_choose(n - k_pop, draws - x) - ln_choose(n, draws);
    let mode = ((draws + 1) as f64 * (k_pop + 1) as f64 / (n + 2) as f64).floor() as u64;
    // pmf(x+1)/pmf(x) and pmf(x−1)/pmf(x).
    // In f64: N − K − n + x is never negative inside the support, but its parts can be.
    let (nf, kf, df) = (n as f64, k_pop as f64, draws as f64);
    let up = |x: u64| {
        let x = x as f64;
        ((kf - x) * (df - x)).ln() - ((x + 1.0) * (nf - kf - df + x + 1.0)).ln()
    };
    let down = |x: u64| {
        let x = x as f64;
        (x * (nf - kf - df + x)).ln() - ((kf - x + 1.0) * (df - x + 1.0)).ln()
    };
    if k > mode {
        tail(ln_pmf(k), k, 1, lo, hi, up)
    } else {
        1.0 - tail(ln_pmf(k - 1), k - 1, -1, lo, hi, down)
    }
    .clamp(0.0, 1.0)
}

/// P(X ≤ k) for X ~ Binomial(n, p).
fn binomial_cdf(k: u64, n: u64, p: f64) -> f64 {
    if k >= n || p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    let ln_pmf = |x: u64| ln_choose(n, x) + x as f64 * p.ln() + (n - x) as f64 * (1.0 - p).ln();
    let odds = (p / (1.0 - p)).ln();
    let up = |x: u64| ((n - x) as f64 / (x + 1) as f64).ln() + odds;
    let down = |x: u64| (x as f64 / (n - x + 1) as f64).ln() - odds;
    let mode = ((n + 1) as f64 * p).floor() as u64;
    if k < mode {
        tail(ln_pmf(k), k, -1, 0, n, down)
    } else {
        1.0 - tail(ln_pmf(k + 1), k + 1, 1, 0, n, up)
    }
    .clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share_increase_p(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
        share_increase(x1, n1, x2, n2).0
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn fisher_matches_the_textbook_table() {
        // Tea tasting: 3 of 4 right, P(X ≥ 3) = 17/70.
        assert!(close(hypergeometric_sf(3, 8, 4, 4), 17.0 / 70.0, 1e-9));
        assert!(close(hypergeometric_sf(4, 8, 4, 4), 1.0 / 70.0, 1e-9));
        assert_eq!(hypergeometric_sf(0, 8, 4, 4), 1.0);
        assert_eq!(hypergeometric_sf(5, 8, 4, 4), 0.0);
    }

    #[test]
    fn binomial_cdf_matches_direct_sums() {
        // Bin(10, 0.5): P(X ≤ 2) = 56/1024, P(X ≤ 7) = 1 − 56/1024.
        assert!(close(binomial_cdf(2, 10, 0.5), 56.0 / 1024.0, 1e-9));
        assert!(close(binomial_cdf(7, 10, 0.5), 1.0 - 56.0 / 1024.0, 1e-9));
        assert_eq!(binomial_cdf(10, 10, 0.5), 1.0);
        // Far in the tail, with no underflow on the way: P(X ≤ 0) = 0.5^1000.
        assert!(close(binomial_cdf(0, 1000, 0.5), 0.5f64.powi(1000), 1e-9));
        // Below the smallest f64 it is 0, not NaN.
        assert_eq!(binomial_cdf(0, 2000, 0.5), 0.0);
        // Large n near the mean agrees with the normal approximation.
        let n = 1_000_000;
        let p = binomial_cdf(499_000, n, 0.5);
        let z = (499_000.5 - 500_000.0) / (n as f64 * 0.25).sqrt();
        assert!(close(p, 1.0 - normal_sf(z), 1e-3), "{p}");
    }

    #[test]
    fn share_increase_needs_more_than_chance() {
        // 1 % → 1.2 % over 10 000 requests each: noise.
        assert!(share_increase_p(100, 10_000, 120, 10_000) > 0.05);
        // 1 % → 3 %: certain.
        assert!(share_increase_p(100, 10_000, 300, 10_000) < 1e-6);
        // A fall, or equal shares, is never significant.
        assert_eq!(share_increase_p(300, 10_000, 100, 10_000), 1.0);
        assert_eq!(share_increase_p(100, 10_000, 100, 10_000), 1.0);
    }

    #[test]
    fn share_increase_with_small_counts_is_exact_and_calm() {
        // Zero errors before, two after, in 200 requests each: Fisher, not significant.
        let p = share_increase_p(0, 200, 2, 200);
        assert!(p > 0.1, "{p}");
        // Zero before, 15 after: significant even with small counts.
        assert!(share_increase_p(0, 200, 15, 200) < 1e-3);
        // One request after, failed: exactly 1/5001 by Fisher. Significant, and still proves
        // nothing about a rollout: why each window needs a minimum of requests first.
        assert!(close(share_increase_p(0, 5_000, 1, 1), 1.0 / 5001.0, 1e-9));
    }

    #[test]
    fn share_increase_with_empty_windows_is_never_significant() {
        assert_eq!(share_increase_p(0, 0, 0, 0), 1.0);
        assert_eq!(share_increase_p(0, 0, 5, 10), 1.0);
        assert_eq!(share_increase_p(5, 10, 0, 0), 1.0);
        // More failures than requests (counters scraped apart) is clamped, not a panic.
        assert!(share_increase_p(20, 10, 30, 10) >= 0.0);
    }

    #[test]
    fn rate_drop_is_a_poisson_comparison() {
        // 10 000 → 9 800 in equal windows: noise.
        assert!(rate_drop_p(10_000, 1800.0, 9_800, 1800.0) > 0.05);
        // 10 000 → 5 000: certain.
        assert!(rate_drop_p(10_000, 1800.0, 5_000, 1800.0) < 1e-10);
        // 10 → 5: could be chance.
        assert!(rate_drop_p(10, 1800.0, 5, 1800.0) > 0.05);
        // Normalised by the window lengths: 1000 in 30 min vs 500 in 15 min is no drop.
        assert_eq!(rate_drop_p(1000, 1800.0, 500, 900.0), 1.0);
        assert_eq!(rate_drop_p(0, 1800.0, 0, 1800.0), 1.0);
        assert_eq!(rate_drop_p(10, 0.0, 0, 1800.0), 1.0);
        // All traffic gone.
        assert!(rate_drop_p(1000, 1800.0, 0, 1800.0) < 1e-100);
    }

    #[test]
    fn counts_become_whole() {
        assert_eq!(whole(2.6), 3);
        assert_eq!(whole(f64::NAN), 0);
        assert_eq!(whole(-1.0), 0);
        assert_eq!(whole(f64::INFINITY), 0);
    }
}
