//! The sampling policy as bands: the ratios a service may sample at and stay within its policy,
//! tolerance included. Two readers share it, so they cannot drift apart: the
//! `sampling_misconfigured` judgement (`services.rs`) flags a ratio outside its service's band,
//! and the `sampling` step (`crate::investigate::dataloss`) writes each band into PromQL, so
//! Prometheus returns only the services outside theirs (issue 19). A band is a closed range
//! compared with `>=`/`<=` here and `<`/`>` there, on the same `f64`s (the query prints them as
//! the shortest decimal that reads back exactly), so the query returns exactly the ratios the
//! judgement would flag. Per-operation strategies and adaptive sampling are ranges already
//! (`Expect::range`): the service's overall ratio is judged against them, never each operation's.
//! Pure; tests below.

use std::collections::{BTreeMap, BTreeSet};

use super::policy::{Expect, Policy, Tier};

/// The closed range of ratios within policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub low: f64,
    pub high: f64,
}

impl Band {
    pub fn contains(&self, ratio: f64) -> bool {
        ratio >= self.low && ratio <= self.high
    }

    /// Bit-exact, for grouping: two bands are one only when both bounds are the same `f64`.
    fn key(&self) -> (u64, u64) {
        (self.low.to_bits(), self.high.to_bits())
    }
}

impl Expect {
    /// The ratios within this policy: its rate (or its range: adaptive, or per-operation) widened
    /// by the relative tolerance `tol` each way, never above 100%.
    pub fn band(&self, tol: f64) -> Band {
        let tol = tol.max(0.0);
        let (min, max) = self.range.unwrap_or((self.rate, self.rate));
        Band {
            low: min * (1.0 - tol),
            high: (max * (1.0 + tol)).min(1.0),
        }
    }
}

/// Every band of a policy: the services it names grouped by band, and the default tier's band,
/// which holds every service not in `named`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    /// Each band with its services (sorted), bands in a fixed order (by their bounds' bits), so
    /// the same policy always gives the same query (a replay matches the recorded one).
    pub named: Vec<(Band, Vec<String>)>,
    pub default: Band,
}

impl Bands {
    /// Every service in a named band: the ones the default band's matcher leaves out.
    pub fn named_services(&self) -> Vec<String> {
        let mut all: Vec<String> = self.named.iter().flat_map(|(_, s)| s.clone()).collect();
        all.sort();
        all
    }
}

impl Policy {
    /// The policy's bands with tolerance `tol`. A named service whose band is the default one is
    /// left to the default band (it is judged the same), which keeps the query short.
    pub fn bands(&self, tol: f64) -> Bands {
        let default = self.expect_tier(Tier::Default).band(tol);
        let s = &self.sampling;
        let names: BTreeSet<&String> = s
            .critical_services
            .iter()
            .chain(&s.high_volume_services)
            .chain(self.services.keys())
            .collect();
        let mut by_band: BTreeMap<(u64, u64), (Band, Vec<String>)> = BTreeMap::new();
        for name in names {
            let band = self.expect(name).band(tol);
            if band.key() == default.key() {
                continue;
            }
            by_band
                .entry(band.key())
                .or_insert_with(|| (band, Vec::new()))
                .1
                .push(name.clone());
        }
        Bands {
            named: by_band.into_values().collect(),
            default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::dataloss::{PolicySpec, ServiceRate};

    fn policy() -> Policy {
        let mut spec = PolicySpec {
            default_rate: Some(0.2),
            critical_services: vec!["payment".into(), "auth".into()],
            high_volume_services: vec!["ads".into()],
            adaptive: Some(false),
            ..PolicySpec::default()
        };
        spec.services.insert(
            "frontend".into(),
            ServiceRate {
                rate: 0.1,
                range: Some((0.0, 0.1)),
            },
        );
        // The same band as the default: judged as the default tier is.
        spec.services.insert(
            "search".into(),
            ServiceRate {
                rate: 0.2,
                range: None,
            },
        );
        spec.apply(Policy::default(), "test")
    }

    #[test]
    fn each_named_service_is_in_the_band_its_expectation_gives() {
        let p = policy();
        let bands = p.bands(0.25);
        assert_eq!(
            bands.default,
            Band {
                low: 0.2 * 0.75,
                high: 0.2 * 1.25
            }
        );
        let find = |svc: &str| {
            bands
                .named
                .iter()
                .find(|(_, s)| s.iter().any(|x| x == svc))
                .map(|(b, _)| *b)
        };
        assert_eq!(
            find("payment"),
            Some(Band {
                low: 0.75,
                high: 1.0
            })
        );
        assert_eq!(find("auth"), find("payment"));
        assert_eq!(
            find("ads"),
            Some(Band {
                low: 0.01 * 0.75,
                high: 0.01 * 1.25
            })
        );
        // Per-operation strategies: the range of its operations' rates, widened.
        assert_eq!(
            find("frontend"),
            Some(Band {
                low: 0.0,
                high: 0.1 * 1.25
            })
        );
        assert_eq!(find("search"), None);
        assert_eq!(
            bands.named_services(),
            ["ads", "auth", "frontend", "payment"]
        );
        // Every named service's band is its expectation's, the others' the default's.
        for svc in ["payment", "auth", "ads", "frontend", "search", "anyone"] {
            let want = p.expect(svc).band(0.25);
            assert_eq!(find(svc).unwrap_or(bands.default), want, "{svc}");
        }
    }

    #[test]
    fn adaptive_sampling_is_a_range_and_the_guide_names_no_one() {
        let bands = Policy::default().bands(0.25);
        assert!(bands.named.is_empty());
        assert_eq!(bands.default.low, 0.001 * 0.75);
        assert_eq!(bands.default.high, 0.5 * 1.25);
        assert!(bands.default.contains(0.1));
        assert!(!bands.default.contains(0.0007));
        // A tolerance past 100% never lifts the ceiling past 1.
        assert_eq!(Policy::default().bands(5.0).default.high, 1.0);
    }

    #[test]
    fn the_order_is_fixed_whatever_the_order_of_the_lists() {
        let mut a = policy();
        let b = a.bands(0.25);
        a.sampling.critical_services.reverse();
        assert_eq!(a.bands(0.25), b);
    }
}
