//! Distribution functions the analyses share: the standard normal's upper tail and its
//! inverse, and ln Γ. Written here rather than taken from a statistics crate: three functions
//! of a few lines each, where a crate would bring a large dependency tree. Pure; tests below.

/// P(Z > z) for a standard normal Z, from `erfc` (relative error below 1.2e-7 everywhere,
/// Numerical Recipes' Chebyshev fit), so small tail probabilities stay accurate.
pub fn normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return 1.0;
    }
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// ln P(Z > z), accurate far past where [`normal_sf`] underflows (z ≈ 38): beyond z = 8 the
/// tail's asymptotic series (Abramowitz & Stegun 26.2.12), whose relative error there is below
/// 1e-5.
pub fn ln_normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return 0.0;
    }
    if z <= 8.0 {
        return normal_sf(z).ln();
    }
    let z2 = z * z;
    let series = 1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2);
    -0.5 * z2 - z.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() + series.ln()
}

/// The z whose upper tail is `exp(ln_p)`: a probability as the number of standard deviations a
/// normal variable would have to exceed to be that unlikely, so that evidence measured as a
/// probability is held to the same bars as evidence measured as a z-score. 0 for ln_p ≥ ln ½ (no
/// evidence), capped at 40.
pub fn z_of_ln_sf(ln_p: f64) -> f64 {
    if ln_p.is_nan() || ln_p >= 0.5f64.ln() {
        return 0.0;
    }
    // Bisection: ln_normal_sf falls monotonically, and 60 halvings of [0, 40] reach 4e-17.
    let (mut lo, mut hi) = (0.0f64, 40.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if ln_normal_sf(mid) > ln_p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn normal_tail_matches_tables() {
        assert!(close(normal_sf(0.0), 0.5, 1e-6));
        assert!(close(normal_sf(1.959_964), 0.025, 1e-5));
        assert!(close(normal_sf(2.326_348), 0.01, 1e-5));
        assert!(close(normal_sf(-1.644_854), 0.95, 1e-6));
        // Deep in the tail the relative error stays small: Φ̄(8) = 6.221e-16.
        assert!(close(normal_sf(8.0), 6.220_960_574_271_784e-16, 1e-5));
        assert_eq!(normal_sf(f64::NAN), 1.0);
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        assert!(ln_gamma(1.0).abs() < 1e-12 && ln_gamma(2.0).abs() < 1e-12);
        assert!(close(ln_gamma(11.0), 3_628_800f64.ln(), 1e-12));
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-12
        ));
        // Stirling at a large argument.
        let x: f64 = 1e7;
        let stirling =
            (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x);
        assert!(close(ln_gamma(x), stirling, 1e-12));
    }

    #[test]
    fn the_tail_and_its_inverse_agree_far_into_the_tail() {
        assert!(close(
            ln_normal_sf(8.0),
            (6.220_960_574_271_784e-16f64).ln(),
            1e-6
        ));
        // Φ̄(10) = 7.6199e-24, past the switch to the series.
        assert!(close(
            ln_normal_sf(10.0),
            (7.619_853_024_160_527e-24f64).ln(),
            1e-6
        ));
        for z in [0.5, 1.96, 4.0, 7.9, 8.1, 12.0, 30.0] {
            assert!(close(z_of_ln_sf(ln_normal_sf(z)), z, 1e-6), "{z}");
        }
        assert_eq!(z_of_ln_sf(0.9f64.ln()), 0.0);
        assert_eq!(z_of_ln_sf(f64::NAN), 0.0);
        assert!(z_of_ln_sf(-1e9) > 39.9 && z_of_ln_sf(-1e9) <= 40.0);
    }
}
