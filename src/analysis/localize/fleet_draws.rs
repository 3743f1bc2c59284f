//! The random draws the generated fleets are simulated with: fastrand has uniform draws only.

/// Box–Muller from a seeded generator: fastrand has no normal distribution.
pub(super) fn normal(r: &mut fastrand::Rng) -> f64 {
    let u1 = r.f64().max(1e-12);
    let u2 = r.f64();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A Poisson count with mean `lambda`.
pub(super) fn poisson(r: &mut fastrand::Rng, lambda: f64) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    // Normal approximation above 30; the product method below (exact, and cheap there).
    if lambda > 30.0 {
        return (lambda + lambda.sqrt() * normal(r)).round().max(0.0);
    }
    let l = (-lambda).exp();
    let (mut k, mut p) = (0.0, 1.0);
    loop {
        p *= r.f64();
        if p <= l {
            return k;
        }
        k += 1.0;
    }
}

/// An observed ratio: `n` trials of probability `p`, by the normal approximation.
pub(super) fn binomial_ratio(r: &mut fastrand::Rng, p: f64, n: f64) -> f64 {
    if n < 1.0 {
        return 0.0;
    }
    let mean = n * p;
    let sd = (n * p * (1.0 - p)).max(0.0).sqrt();
    ((mean + sd * normal(r)).round().clamp(0.0, n)) / n
}
