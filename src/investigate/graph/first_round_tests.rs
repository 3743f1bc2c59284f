//! Unit tests of the call graph's first round (`first_round.rs`): its PromQL condition never drops
//! a series the client's change test would call a rise.

use super::*;
use crate::analysis::localize::{Measure, rise};

/// The first round may return more than changed, never less: over a grid of values now,
/// baseline medians, spreads, request counts and values a day ago, every measure the
/// client's test calls a rise passes the PromQL condition, for each of the runbooks' rules
/// and for rules with only a ratio or only a delta.
#[test]
fn the_first_rounds_condition_holds_for_every_rise() {
    let p = Params::default();
    let ratio_only = Rule {
        min_delta: 0.0,
        ..p.latency
    };
    let delta_only = Rule {
        min_ratio: 1.0,
        ..p.latency
    };
    let values = [
        0.0, 1e-4, 0.001, 0.004, 0.005, 0.01, 0.0101, 0.02, 0.05, 0.1, 0.12, 0.2, 0.5, 1.0, 1.2,
        1.3, 2.0, 10.0,
    ];
    let mut rises = 0;
    for rule in [
        p.latency,
        p.errors,
        p.resources,
        p.restarts,
        ratio_only,
        delta_only,
    ] {
        let cond = Necessary::of(&rule);
        for now in values {
            for center in values {
                for spread in [0.0, 0.001, 0.05] {
                    for requests in [None, Some(5.0), Some(1000.0)] {
                        for usual in [None, Some(0.0), Some(0.5)] {
                            let mut m = Measure::new(now, center, spread).with_usual(usual);
                            if let Some(n) = requests {
                                m = m.with_requests(n);
                            }
                            if rise(&m, &rule).is_some() {
                                rises += 1;
                                assert!(
                                    cond.holds(now, center),
                                    "{cond:?} drops {m:?}, a rise under {rule:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(rises > 1000, "{rises}");
    // And it filters: a flat series, or one under the bar, is not returned.
    let lat = Necessary::of(&p.latency);
    assert!(!lat.holds(0.1, 0.1) && !lat.holds(0.0, 0.0) && !lat.holds(0.11, 0.1));
    let err = Necessary::of(&p.errors);
    assert!(!err.holds(0.0, 0.0) && !err.holds(0.3, 0.3) && err.holds(0.02, 0.0));
    assert_eq!(
        necessary("q", "m", &p.latency),
        format!("(q) > {} * (m)", 1.2 * (1.0 - 1e-6))
    );
    assert_eq!(
        necessary("q", "m", &p.errors),
        format!("(q) - (m) >= {}", 0.01 * (1.0 - 1e-6))
    );
}
