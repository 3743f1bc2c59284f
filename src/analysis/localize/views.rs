//! From fleet-wide query answers to the views [`super::localize`] reads: one [`ServiceView`] per
//! service and one [`EdgeView`] per (caller, callee). Each signal arrives as a column of one
//! PromQL sample per series: its value now, and the median and quartiles of its own baseline
//! (an hour of one-minute samples before the onset window, or before `--baseline-at`). Nothing
//! is invented: a series without a baseline has no measure (the walk keeps its edge for the
//! graph's shape, but judges no change on it). Pure; tests below.

use std::collections::{BTreeMap, BTreeSet};

use super::{EdgeView, Measure, ServiceView};

/// The quartiles' spread as a standard deviation: IQR / 1.349 for a normal distribution, robust
/// to one outlier minute as the MAD is (which PromQL cannot compute).
pub const IQR_TO_SD: f64 = 1.349;

/// One signal of one series: now, and its baseline's median and quartiles where it has them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub now: Option<f64>,
    pub median: Option<f64>,
    pub q25: Option<f64>,
    pub q75: Option<f64>,
    /// Around this clock time a day or a week ago: the higher of the two answered.
    pub usual: Option<f64>,
}

impl Summary {
    /// The measure, when both now and the baseline's centre are known. Without quartiles the
    /// spread is unknown (0), and the rule's floors decide.
    pub fn measure(&self) -> Option<Measure> {
        let (now, center) = (self.now?, self.median?);
        let spread = match (self.q25, self.q75) {
            (Some(lo), Some(hi)) => ((hi - lo) / IQR_TO_SD).max(0.0),
            _ => 0.0,
        };
        Some(Measure::new(now, center, spread).with_usual(self.usual))
    }
}

/// Which part of a summary a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Now,
    Median,
    Q25,
    Q75,
    /// Around this clock time on an earlier day (`offset 1d`, `7d`): several columns may fill
    /// it, the highest value is kept.
    Usual,
}

/// A signal's columns, keyed by series: a service name, or (caller, callee).
pub type Column<K> = BTreeMap<K, Summary>;

/// Put one column's answers into a signal's summaries.
pub fn fill<K: Ord + Clone>(col: &mut Column<K>, part: Part, values: &[(K, f64)]) {
    for (k, v) in values.iter().filter(|(_, v)| v.is_finite()) {
        let s = col.entry(k.clone()).or_default();
        match part {
            Part::Now => s.now = Some(*v),
            Part::Median => s.median = Some(*v),
            Part::Q25 => s.q25 = Some(*v),
            Part::Q75 => s.q75 = Some(*v),
            Part::Usual => s.usual = Some(s.usual.map_or(*v, |u| u.max(*v))),
        }
    }
}

/// Everything the fleet-wide queries returned. Rates are per second; `window` is the rate
/// window in seconds, to turn a rate into the requests behind a ratio.
#[derive(Debug, Clone, Default)]
pub struct Fleet {
    pub window: f64,
    pub latency: Column<String>,
    /// The median of the same histograms (the runbook's `latency_p50`).
    pub latency_p50: Column<String>,
    pub errors: Column<String>,
    pub throughput: Column<String>,
    /// By container name; mapped to services by [`service_of_container`]: CPU used over the
    /// limit, share of CFS periods throttled, working set over the memory limit, restarts.
    pub cpu: Column<String>,
    pub throttling: Column<String>,
    pub memory: Column<String>,
    pub restarts: Column<String>,
    pub call_latency: Column<(String, String)>,
    pub call_latency_p50: Column<(String, String)>,
    pub call_errors: Column<(String, String)>,
    pub call_rate: Column<(String, String)>,
    /// Services and calls known to exist, without their values (the call graph's shape: whole
    /// for a small graph, else as far as its reach and the log scope walk; the values only of
    /// what may have changed): each is a view, with no measure unless a column has one.
    pub known_services: BTreeSet<String>,
    pub known_calls: BTreeSet<(String, String)>,
}

/// The service a container belongs to: the service of that name, else the longest service name
/// the container's name starts with followed by `-` (the runbooks' `container=~"SERVICE.*"`
/// convention, made unambiguous: `cart-v2` is `cart`'s, `cartography` is nobody's).
pub fn service_of_container<'a>(
    container: &str,
    services: &'a BTreeSet<String>,
) -> Option<&'a str> {
    if let Some(s) = services.get(container) {
        return Some(s.as_str());
    }
    services
        .iter()
        .filter(|s| {
            container
                .strip_prefix(s.as_str())
                .is_some_and(|rest| rest.starts_with('-'))
        })
        .max_by_key(|s| s.len())
        .map(|s| s.as_str())
}

/// The views: every service any signal or call names, every call with its caller and callee.
pub fn views(f: &Fleet) -> (Vec<ServiceView>, Vec<EdgeView>) {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for col in [&f.latency, &f.latency_p50, &f.errors, &f.throughput] {
        names.extend(col.keys().cloned());
    }
    names.extend(f.known_services.iter().cloned());
    for col in [
        &f.call_latency,
        &f.call_latency_p50,
        &f.call_errors,
        &f.call_rate,
    ] {
        for (a, b) in col.keys().chain(&f.known_calls) {
            names.insert(a.clone());
            names.insert(b.clone());
        }
    }
    names.retain(|n| !n.is_empty());
    // Several containers of one service: the busiest (highest now) speaks for it.
    let by_service = |col: &Column<String>| -> BTreeMap<String, Summary> {
        let mut out: BTreeMap<String, Summary> = BTreeMap::new();
        for (container, s) in col {
            if let Some(svc) = service_of_container(container, &names) {
                let e = out.entry(svc.to_string()).or_default();
                if s.now.unwrap_or(f64::MIN) > e.now.unwrap_or(f64::MIN) {
                    *e = *s;
                }
            }
        }
        out
    };
    let cpu = by_service(&f.cpu);
    let throttling = by_service(&f.throttling);
    let memory = by_service(&f.memory);
    let restarts = by_service(&f.restarts);
    let requests = |rate: Option<&Summary>| rate.and_then(|r| r.now).map(|r| r * f.window);
    let services = names
        .iter()
        .map(|n| {
            let throughput = f.throughput.get(n);
            ServiceView {
                name: n.clone(),
                latency: f.latency.get(n).and_then(Summary::measure),
                latency_p50: f.latency_p50.get(n).and_then(Summary::measure),
                errors: f.errors.get(n).and_then(Summary::measure).map(|m| {
                    match requests(throughput) {
                        Some(r) => m.with_requests(r),
                        None => m,
                    }
                }),
                throughput: throughput.and_then(Summary::measure),
                cpu: cpu.get(n).and_then(Summary::measure),
                throttling: throttling.get(n).and_then(Summary::measure),
                memory: memory.get(n).and_then(Summary::measure),
                restarts: restarts.get(n).and_then(Summary::measure),
                ..Default::default()
            }
        })
        .collect();
    let mut keys: BTreeSet<&(String, String)> = BTreeSet::new();
    for col in [
        &f.call_latency,
        &f.call_latency_p50,
        &f.call_errors,
        &f.call_rate,
    ] {
        keys.extend(col.keys().filter(|(a, b)| !a.is_empty() && !b.is_empty()));
    }
    keys.extend(
        f.known_calls
            .iter()
            .filter(|(a, b)| !a.is_empty() && !b.is_empty()),
    );
    let edges = keys
        .into_iter()
        .map(|k| {
            let rate = f.call_rate.get(k);
            EdgeView {
                caller: k.0.clone(),
                callee: k.1.clone(),
                latency: f.call_latency.get(k).and_then(Summary::measure),
                latency_p50: f.call_latency_p50.get(k).and_then(Summary::measure),
                errors: f.call_errors.get(k).and_then(Summary::measure).map(|m| {
                    match requests(rate) {
                        Some(r) => m.with_requests(r),
                        None => m,
                    }
                }),
                rate: rate.and_then(Summary::measure),
            }
        })
        .collect();
    (services, edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(now: f64, m: f64, lo: f64, hi: f64) -> Summary {
        Summary {
            now: Some(now),
            median: Some(m),
            q25: Some(lo),
            q75: Some(hi),
            usual: None,
        }
    }

    #[test]
    fn a_measure_needs_now_and_a_baseline_and_spread_comes_from_the_quartiles() {
        let m = s(2.0, 1.0, 0.8649, 1.0).measure().unwrap();
        assert_eq!((m.now, m.center), (2.0, 1.0));
        assert!((m.spread - 0.1).abs() < 1e-3, "{}", m.spread);
        let only_now = Summary {
            now: Some(1.0),
            ..Default::default()
        };
        assert_eq!(only_now.measure(), None);
        let no_quartiles = Summary {
            now: Some(1.0),
            median: Some(0.5),
            ..Default::default()
        };
        assert_eq!(no_quartiles.measure().unwrap().spread, 0.0);
        // A day and a week ago fill one value, the higher.
        let mut col: Column<String> = Column::new();
        fill(&mut col, Part::Now, &[("api".into(), 0.3)]);
        fill(&mut col, Part::Median, &[("api".into(), 0.1)]);
        fill(&mut col, Part::Usual, &[("api".into(), 0.25)]);
        fill(&mut col, Part::Usual, &[("api".into(), 0.2)]);
        assert_eq!(col["api"].measure().unwrap().usual, Some(0.25));
    }

    #[test]
    fn containers_map_to_the_longest_service_they_are_named_after() {
        let svcs: BTreeSet<String> = ["cart", "cart-api", "web"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(service_of_container("cart", &svcs), Some("cart"));
        assert_eq!(
            service_of_container("cart-api-7f9c", &svcs),
            Some("cart-api")
        );
        assert_eq!(service_of_container("cart-v2", &svcs), Some("cart"));
        assert_eq!(service_of_container("cartography", &svcs), None);
        assert_eq!(service_of_container("istio-proxy", &svcs), None);
    }

    #[test]
    fn views_join_the_columns_and_count_requests_behind_ratios() {
        let mut f = Fleet {
            window: 300.0,
            ..Default::default()
        };
        let k = |a: &str, b: &str| (a.to_string(), b.to_string());
        fill(&mut f.errors, Part::Now, &[("api".into(), 0.1)]);
        fill(&mut f.errors, Part::Median, &[("api".into(), 0.0)]);
        fill(&mut f.throughput, Part::Now, &[("api".into(), 2.0)]);
        fill(&mut f.call_rate, Part::Now, &[(k("api", "db"), 4.0)]);
        fill(&mut f.call_errors, Part::Now, &[(k("api", "db"), 0.2)]);
        fill(&mut f.call_errors, Part::Median, &[(k("api", "db"), 0.0)]);
        fill(
            &mut f.cpu,
            Part::Now,
            &[("db-0".into(), 0.9), ("db".into(), 0.5)],
        );
        fill(
            &mut f.cpu,
            Part::Median,
            &[("db-0".into(), 0.2), ("db".into(), 0.1)],
        );
        // The other resources map to services as CPU does.
        fill(&mut f.memory, Part::Now, &[("db-0".into(), 0.95)]);
        fill(&mut f.memory, Part::Median, &[("db-0".into(), 0.5)]);
        fill(&mut f.restarts, Part::Now, &[("api-sidecar".into(), 2.0)]);
        fill(
            &mut f.restarts,
            Part::Median,
            &[("api-sidecar".into(), 0.0)],
        );
        fill(&mut f.throttling, Part::Now, &[("istio-proxy".into(), 0.5)]);
        fill(
            &mut f.throttling,
            Part::Median,
            &[("istio-proxy".into(), 0.0)],
        );
        // A NaN (0/0 in PromQL) is no value.
        fill(&mut f.latency, Part::Now, &[("api".into(), f64::NAN)]);
        let (services, edges) = views(&f);
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["api", "db"]);
        assert_eq!(services[0].errors.unwrap().requests, Some(600.0));
        assert_eq!(services[0].latency, None);
        assert_eq!(services[1].cpu.unwrap().now, 0.9);
        assert_eq!(services[1].memory.unwrap().now, 0.95);
        assert_eq!(services[0].restarts.unwrap().now, 2.0);
        assert!(services.iter().all(|s| s.throttling.is_none()));
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].errors.unwrap().requests, Some(1200.0));
        // The call rate has no baseline: the edge stands, without a rate measure.
        assert_eq!(edges[0].rate, None);
    }

    #[test]
    fn known_services_and_calls_are_views_without_measures_and_name_containers() {
        let k = |a: &str, b: &str| (a.to_string(), b.to_string());
        let mut f = Fleet {
            window: 300.0,
            known_services: ["cart-api", "lonely"].map(String::from).into(),
            known_calls: [k("web", "cart"), k("web", "cart-api")].into(),
            ..Default::default()
        };
        fill(&mut f.latency, Part::Now, &[("cart".into(), 0.3)]);
        fill(&mut f.latency, Part::Median, &[("cart".into(), 0.1)]);
        // A container of a service the values did not include still maps to it, not to the
        // shorter name it starts with.
        fill(&mut f.cpu, Part::Now, &[("cart-api-7f9c".into(), 0.9)]);
        fill(&mut f.cpu, Part::Median, &[("cart-api-7f9c".into(), 0.1)]);
        let (services, edges) = views(&f);
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["cart", "cart-api", "lonely", "web"]);
        assert!(services[0].latency.is_some() && services[0].cpu.is_none());
        assert_eq!(services[1].cpu.unwrap().now, 0.9);
        assert!(services[2].latency.is_none() && services[3].latency.is_none());
        let pairs: Vec<(&str, &str)> = edges
            .iter()
            .map(|e| (e.caller.as_str(), e.callee.as_str()))
            .collect();
        assert_eq!(pairs, [("web", "cart"), ("web", "cart-api")]);
        assert!(
            edges
                .iter()
                .all(|e| e.latency.is_none() && e.rate.is_none())
        );
    }
}
