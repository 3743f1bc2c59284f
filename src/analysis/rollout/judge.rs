//! The three comparisons of a scope (an operation or the whole service): error ratio, latency and
//! throughput, each a significance test plus a minimum effect, on counts read from Prometheus'
//! `increase()` (and the histogram's buckets, repaired the way `histogram_quantile` repairs
//! them). A comparison that passes becomes a [`Regression`], the makings of a finding. Pure;
//! tests in `tests.rs` beside this file.

use super::findings::{duration_words, p_value, share};
use super::{Answered, QUANTILES, RolloutEvidence, RolloutParams, Scope, stats};
use crate::analysis::common::prom;
use crate::report::Evidence;
use crate::report::units;

/// Cumulative buckets made usable: finite counts only, sorted by bound, non-decreasing (as
/// `histogram_quantile` repairs them), ending in `+Inf`. `None` without a `+Inf` bucket.
pub(super) fn clean_buckets(raw: &[(f64, f64)]) -> Option<Vec<(f64, f64)>> {
    let mut b: Vec<(f64, f64)> = raw
        .iter()
        .copied()
        .filter(|(le, c)| !le.is_nan() && c.is_finite())
        .collect();
    b.sort_by(|x, y| x.0.total_cmp(&y.0));
    b.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
    let mut max = 0.0f64;
    for (_, c) in b.iter_mut() {
        max = max.max(*c);
        *c = max;
    }
    (b.last()?.0 == f64::INFINITY).then_some(b)
}

/// Requests a histogram counted (its `+Inf` bucket).
pub(super) fn histogram_total(raw: &[(f64, f64)]) -> f64 {
    clean_buckets(raw)
        .and_then(|b| b.last().map(|x| x.1))
        .unwrap_or(0.0)
}

/// The bucket bound that holds quantile `q` of the window: the smallest finite `le` whose
/// cumulative count reaches q of the total. `None` when the quantile lies in `+Inf`.
pub(super) fn bound_for(raw: &[(f64, f64)], q: f64) -> Option<f64> {
    let b = clean_buckets(raw)?;
    let total = b.last()?.1;
    if total <= 0.0 {
        return None;
    }
    b.iter()
        .find(|(_, c)| *c >= q * total)
        .map(|(le, _)| *le)
        .filter(|le| le.is_finite())
}

/// (requests slower than `bound`, all requests), whole; `None` when the histogram has no bucket
/// with that bound (the rollout changed the bucket layout).
pub(super) fn slower_than(raw: &[(f64, f64)], bound: f64) -> Option<(u64, u64)> {
    let b = clean_buckets(raw)?;
    let total = stats::whole(b.last()?.1);
    let within = stats::whole(b.iter().find(|(le, _)| *le == bound)?.1);
    Some((total.saturating_sub(within), total))
}

/// A comparison that passed: what a finding is made of.
pub(super) struct Regression {
    pub(super) scope: Option<String>,
    pub(super) critical: bool,
    /// Effect size in [0, 1], for the score.
    pub(super) strength: f64,
    pub(super) title: String,
    pub(super) detail: String,
    pub(super) evidence: Vec<Evidence>,
}

/// The three comparisons, each its own finding kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    Errors,
    Latency,
    Throughput,
}

impl Check {
    pub(super) fn kind(self) -> &'static str {
        match self {
            Check::Errors => "error_regression",
            Check::Latency => "latency_regression",
            Check::Throughput => "throughput_drop",
        }
    }

    pub(super) fn answered(self, a: Answered) -> bool {
        match self {
            Check::Errors => a.traffic && a.errors,
            Check::Latency => a.latency,
            Check::Throughput => a.traffic,
        }
    }
}

pub(super) struct Judge<'a> {
    pub(super) ev: &'a RolloutEvidence,
    pub(super) p: &'a RolloutParams,
    pub(super) before_at: f64,
    pub(super) after_at: f64,
    pub(super) t_before: f64,
    pub(super) t_after: f64,
}

impl Judge<'_> {
    fn name(&self, s: &Scope) -> String {
        match &s.operation {
            Some(op) => format!("{} {op}", self.ev.service),
            None => self.ev.service.clone(),
        }
    }

    pub(super) fn enough(&self, n: f64) -> bool {
        n >= self.p.min_requests
    }

    fn pair(&self, query: &str, before: String, after: String) -> [Evidence; 2] {
        [
            prom(query, format!("before: {before}"), self.before_at),
            prom(query, format!("after: {after}"), self.after_at),
        ]
    }

    /// Has the scope the traffic for this comparison?
    pub(super) fn testable(&self, c: Check, s: &Scope) -> bool {
        match c {
            Check::Errors => self.enough(s.before.requests) && self.enough(s.after.requests),
            Check::Latency => {
                self.enough(histogram_total(&s.before.buckets))
                    && self.enough(histogram_total(&s.after.buckets))
            }
            Check::Throughput => self.enough(s.before.requests),
        }
    }

    pub(super) fn test(&self, c: Check, s: &Scope, alpha: f64) -> Option<Regression> {
        if !self.testable(c, s) {
            return None;
        }
        match c {
            Check::Errors => self.errors(s, alpha),
            Check::Latency => self.latency(s, alpha),
            Check::Throughput => self.throughput(s, alpha),
        }
    }

    fn throughput(&self, s: &Scope, alpha: f64) -> Option<Regression> {
        let (n1, n2) = (s.before.requests, s.after.requests);
        let (r1, r2) = (n1 / self.t_before, n2 / self.t_after);
        let drop = 1.0 - r2 / r1;
        let pv = stats::rate_drop_p(
            stats::whole(n1),
            self.t_before,
            stats::whole(n2),
            self.t_after,
        );
        if !(drop >= self.p.throughput_min_drop && pv < alpha) {
            return None;
        }
        let name = self.name(s);
        Some(Regression {
            scope: s.operation.clone(),
            critical: drop >= self.p.throughput_critical_drop,
            strength: drop.clamp(0.0, 1.0),
            title: format!(
                "{name} throughput fell {} after the rollout ({:.2}/s → {:.2}/s)",
                share(drop),
                r1,
                r2
            ),
            detail: format!(
                "{n1:.0} requests in the {} before, {n2:.0} in the {} after ({}, Poisson rate test).",
                duration_words(self.t_before),
                duration_words(self.t_after),
                p_value(pv)
            ),
            evidence: self
                .pair(
                    &self.ev.queries.requests,
                    format!("{n1:.0}"),
                    format!("{n2:.0}"),
                )
                .into(),
        })
    }

    fn errors(&self, s: &Scope, alpha: f64) -> Option<Regression> {
        let (n1, n2) = (s.before.requests, s.after.requests);
        let (e1, e2) = (s.before.errors, s.after.errors);
        let (x1, x2) = (
            stats::whole(e1).min(stats::whole(n1)),
            stats::whole(e2).min(stats::whole(n2)),
        );
        let (r1, r2) = (
            x1 as f64 / stats::whole(n1) as f64,
            x2 as f64 / stats::whole(n2) as f64,
        );
        let (pv, method) = stats::share_increase(x1, stats::whole(n1), x2, stats::whole(n2));
        let rise = r2 - r1;
        if !(rise >= self.p.error_min_increase && r2 >= self.p.error_min_ratio * r1 && pv < alpha) {
            return None;
        }
        let name = self.name(s);
        Some(Regression {
            scope: s.operation.clone(),
            critical: rise >= self.p.error_critical_increase,
            strength: (rise / 0.2).clamp(0.0, 1.0),
            title: format!(
                "{name} error ratio rose from {} to {} after the rollout",
                share(r1),
                share(r2)
            ),
            detail: format!(
                "{x1} errors in {n1:.0} requests before, {x2} in {n2:.0} after ({}, {method}).",
                p_value(pv)
            ),
            evidence: [
                self.pair(
                    &self.ev.queries.errors,
                    format!("{e1:.0}"),
                    format!("{e2:.0}"),
                ),
                self.pair(
                    &self.ev.queries.requests,
                    format!("{n1:.0}"),
                    format!("{n2:.0}"),
                ),
            ]
            .concat(),
        })
    }

    fn latency(&self, s: &Scope, alpha: f64) -> Option<Regression> {
        let (b, a) = (&s.before, &s.after);
        // Each quantile is a test of its own: they share alpha.
        let alpha = alpha / QUANTILES.len() as f64;
        for (i, q) in QUANTILES.iter().enumerate() {
            let (Some(q1), Some(q2)) = (b.quantiles[i], a.quantiles[i]) else {
                continue;
            };
            if !(q1.is_finite() && q2.is_finite()) {
                continue;
            }
            let Some(bound) = bound_for(&b.buckets, *q) else {
                continue;
            };
            let (Some((s1, n1)), Some((s2, n2))) = (
                slower_than(&b.buckets, bound),
                slower_than(&a.buckets, bound),
            ) else {
                continue;
            };
            let (pv, method) = stats::share_increase(s1, n1, s2, n2);
            let ratio = if q1 > 0.0 { q2 / q1 } else { f64::INFINITY };
            if !(ratio >= self.p.latency_min_ratio
                && q2 - q1 >= self.p.latency_min_seconds
                && pv < alpha)
            {
                continue;
            }
            let label = format!("p{}", (q * 100.0).round());
            let name = self.name(s);
            let query = match &s.operation {
                Some(_) => &self.ev.queries.quantile_by_operation[i],
                None => &self.ev.queries.quantile[i],
            };
            let mut evidence: Vec<Evidence> = self
                .pair(query, units::seconds(q1), units::seconds(q2))
                .into();
            evidence.extend(self.pair(
                &self.ev.queries.buckets,
                format!("{s1} of {n1} slower than {}", units::seconds(bound)),
                format!("{s2} of {n2} slower than {}", units::seconds(bound)),
            ));
            return Some(Regression {
                scope: s.operation.clone(),
                critical: ratio >= self.p.latency_critical_ratio,
                strength: ((ratio - 1.0) / 4.0).clamp(0.0, 1.0),
                title: format!(
                    "{name} {label} rose from {} to {} after the rollout",
                    units::seconds(q1),
                    units::seconds(q2)
                ),
                detail: format!(
                    "Requests slower than {} (the bucket bound that held the {label} before): {} of {n1} before, {} of {n2} after ({}, {method} on the histogram's counts).",
                    units::seconds(bound),
                    share(s1 as f64 / n1.max(1) as f64),
                    share(s2 as f64 / n2.max(1) as f64),
                    p_value(pv)
                ),
                evidence,
            });
        }
        None
    }
}
