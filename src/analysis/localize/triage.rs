//! Triage by change: of every service's latency now and the summary of its own baseline (median
//! and quartiles over the hour before the onset window, one PromQL sample per service each), the
//! service that rose most against its own variability. A service slow as usual scores nothing:
//! level is not change. The first step of issue 15's localization; the graph walk
//! ([`super::localize`]) takes over once the investigations gather edges. Pure; tests below.

use std::collections::BTreeMap;

use super::change::{Measure, Rule, rise};
use super::views::IQR_TO_SD;

/// `now`: (service, value now). `baseline`: per service, its median, first and third quartile
/// (three lists, same label). `requests`: per service, its requests now, for ratio signals (a
/// service missing from a non-empty list has none to judge); empty for latency. The service with
/// the strongest rise, ties by z then name; `None` when no service's rise passes `rule`.
pub fn most_changed(
    now: &[(String, f64)],
    baseline: &[Vec<(String, f64)>; 3],
    requests: &[(String, f64)],
    rule: &Rule,
) -> Option<String> {
    let requests: BTreeMap<&str, f64> = requests.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    let index = |l: &Vec<(String, f64)>| -> BTreeMap<String, f64> { l.iter().cloned().collect() };
    let [median, q25, q75] = [
        index(&baseline[0]),
        index(&baseline[1]),
        index(&baseline[2]),
    ];
    let mut best: Option<(f64, f64, &str)> = None;
    for (svc, value) in now {
        let (Some(center), Some(lo), Some(hi)) = (median.get(svc), q25.get(svc), q75.get(svc))
        else {
            continue;
        };
        let mut m = Measure::new(*value, *center, ((hi - lo) / IQR_TO_SD).max(0.0));
        if !requests.is_empty() {
            m = m.with_requests(requests.get(svc.as_str()).copied().unwrap_or(0.0));
        }
        let Some(c) = rise(&m, rule) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((s, z, name)) => c
                .strength
                .total_cmp(&s)
                .then(c.z.total_cmp(&z))
                .then(name.cmp(svc.as_str()))
                .is_gt(),
        };
        if better {
            best = Some((c.strength, c.z, svc.as_str()));
        }
    }
    best.map(|(_, _, s)| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::localize::Params;

    fn l(v: &[(&str, f64)]) -> Vec<(String, f64)> {
        v.iter().map(|(s, x)| (s.to_string(), *x)).collect()
    }

    #[test]
    fn the_changed_service_is_picked_not_the_chronically_slow_one() {
        let rule = Params::default().latency;
        let now = l(&[("orchestrator", 3.35), ("cart", 0.12), ("web", 0.41)]);
        let baseline = [
            l(&[("orchestrator", 3.3), ("cart", 0.04), ("web", 0.4)]),
            l(&[("orchestrator", 3.1), ("cart", 0.038), ("web", 0.38)]),
            l(&[("orchestrator", 3.5), ("cart", 0.042), ("web", 0.42)]),
        ];
        assert_eq!(
            most_changed(&now, &baseline, &[], &rule).as_deref(),
            Some("cart")
        );
    }

    #[test]
    fn nothing_changed_is_none_and_services_without_a_baseline_are_skipped() {
        let rule = Params::default().latency;
        let now = l(&[("a", 0.5), ("new", 9.0)]);
        let baseline = [l(&[("a", 0.5)]), l(&[("a", 0.45)]), l(&[("a", 0.55)])];
        assert_eq!(most_changed(&now, &baseline, &[], &rule), None);
    }

    #[test]
    fn error_ratios_need_requests_and_a_chronic_failure_is_not_a_change() {
        let rule = Params::default().errors;
        // billing fails a third of its calls, as always; auth went from 0 to 3%.
        let now = l(&[("billing", 0.34), ("auth", 0.03), ("tiny", 0.5)]);
        let baseline = [
            l(&[("billing", 0.33), ("auth", 0.0), ("tiny", 0.0)]),
            l(&[("billing", 0.30), ("auth", 0.0), ("tiny", 0.0)]),
            l(&[("billing", 0.36), ("auth", 0.0), ("tiny", 0.0)]),
        ];
        // tiny's 50% is one failed request of two: not evidence.
        let requests = l(&[("billing", 3000.0), ("auth", 6000.0), ("tiny", 2.0)]);
        assert_eq!(
            most_changed(&now, &baseline, &requests, &rule).as_deref(),
            Some("auth")
        );
    }

    #[test]
    fn ties_break_by_name_whatever_the_order() {
        let rule = Params::default().latency;
        let b = [
            l(&[("a", 0.1), ("b", 0.1)]),
            l(&[("a", 0.09), ("b", 0.09)]),
            l(&[("a", 0.11), ("b", 0.11)]),
        ];
        let x = most_changed(&l(&[("b", 0.5), ("a", 0.5)]), &b, &[], &rule);
        let y = most_changed(&l(&[("a", 0.5), ("b", 0.5)]), &b, &[], &rule);
        assert_eq!(x, y);
        assert_eq!(x.as_deref(), Some("a"));
    }
}
