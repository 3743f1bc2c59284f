//! Unit tests of change-based localization on small hand-built graphs: each one the smallest
//! fleet that shows one rule.

use super::*;

fn flat(v: f64) -> Measure {
    Measure::new(v, v, v * 0.02).with_requests(1000.0)
}

fn moved(before: f64, after: f64) -> Measure {
    Measure::new(after, before, before * 0.02).with_requests(1000.0)
}

fn svc(name: &str, latency: Measure) -> ServiceView {
    ServiceView {
        name: name.into(),
        latency: Some(latency),
        errors: Some(Measure::new(0.0, 0.0, 0.0).with_requests(1000.0)),
        ..Default::default()
    }
}

fn edge(caller: &str, callee: &str, latency: Measure) -> EdgeView {
    EdgeView {
        caller: caller.into(),
        callee: callee.into(),
        latency: Some(latency),
        latency_p50: None,
        errors: None,
        rate: None,
    }
}

fn first(l: &Localization) -> (&str, &Locus) {
    let c = l.candidates.first().expect("a candidate");
    (c.service.as_str(), &c.locus)
}

#[test]
fn level_is_not_change() {
    let m = Measure::new(3.3, 3.3, 0.2).with_requests(1000.0);
    assert!(rise(&m, &Params::default().latency).is_none());
    let m = moved(0.04, 0.12);
    let c = rise(&m, &Params::default().latency).expect("tripled");
    assert!(c.ratio > 2.9 && c.strength > 1.0);
    // A handful of requests is not evidence.
    let few = Measure::new(0.12, 0.04, 0.001).with_requests(3.0);
    assert!(rise(&few, &Params::default().latency).is_none());
    // A flat baseline does not make a wobble infinitely significant: the floors hold.
    let wobble = Measure::new(0.041, 0.040, 0.0).with_requests(1000.0);
    assert!(rise(&wobble, &Params::default().latency).is_none());
}

/// What happens at this hour every day is not a change: a rise against the hour before that is
/// as high a day or a week ago is no rise; one that is higher than that still is, measured
/// against the usual value when that is the weaker of the two.
#[test]
fn a_rise_usual_at_this_time_of_day_is_not_a_change() {
    let rule = Params::default().latency;
    let morning = moved(0.10, 0.30).with_usual(Some(0.29));
    assert!(rise(&morning, &rule).is_none());
    let fault = moved(0.10, 0.60).with_usual(Some(0.29));
    let c = rise(&fault, &rule).expect("above the usual too");
    let recent = rise(&moved(0.10, 0.60), &rule).unwrap();
    assert!(c.z < recent.z, "{} vs {}", c.z, recent.z);
    assert_eq!((c.before, c.after), (0.10, 0.60));
    // Usually lower at this hour than in the last hour: the recent baseline decides.
    let quiet = moved(0.10, 0.30).with_usual(Some(0.05));
    assert_eq!(rise(&quiet, &rule), rise(&moved(0.10, 0.30), &rule));
    // No data that far back: as before.
    assert_eq!(moved(0.10, 0.30).with_usual(Some(f64::NAN)).usual, None);
}

#[test]
fn baseline_is_robust_to_one_outlier() {
    let (c, s) = baseline(&[1.0, 1.1, 0.9, 1.0, 50.0]).unwrap();
    assert_eq!(c, 1.0);
    assert!(s < 0.2, "{s}");
    assert!(baseline(&[1.0, f64::NAN]).is_none());
}

#[test]
fn the_chronic_slow_service_is_not_the_suspect_the_changed_one_is() {
    // frontend → orchestrator (always 3.3 s) → workflow (always 4.3 s); frontend → cart, which
    // tripled.
    let services = vec![
        svc("frontend", moved(3.5, 3.6)),
        svc("orchestrator", flat(3.3)),
        svc("workflow", flat(4.3)),
        svc("cart", moved(0.04, 0.12)),
    ];
    let edges = vec![
        edge("frontend", "orchestrator", flat(3.3)),
        edge("orchestrator", "workflow", flat(4.3)),
        edge("frontend", "cart", moved(0.04, 0.12)),
    ];
    let l = localize(
        &services,
        &edges,
        &Params::default(),
        None,
        &[(Axis::Latency, 1.5)],
    );
    assert_eq!(first(&l), ("cart", &Locus::Service));
    let chronic: Vec<_> = l.chronic.iter().map(|c| c.service.as_str()).collect();
    assert!(
        chronic.contains(&"orchestrator") && chronic.contains(&"workflow"),
        "{chronic:?}"
    );
}

#[test]
fn the_walk_goes_past_the_carrier_to_the_callee_behind_it() {
    // frontend ← checkout ← payment ← postgres: every hop slower by about postgres' delay.
    let services = vec![
        svc("frontend", moved(0.2, 0.8)),
        svc("checkout", moved(0.15, 0.75)),
        svc("payment", moved(0.1, 0.7)),
        svc("postgres", moved(0.01, 0.61)),
        svc("cart", flat(0.05)),
    ];
    let edges = vec![
        edge("frontend", "checkout", moved(0.15, 0.75)),
        edge("frontend", "cart", flat(0.05)),
        edge("checkout", "payment", moved(0.1, 0.7)),
        edge("payment", "postgres", moved(0.01, 0.61)),
    ];
    let l = localize(&services, &edges, &Params::default(), None, &[]);
    let c = &l.candidates[0];
    assert_eq!(c.service, "postgres");
    let path: Vec<_> = c.path.iter().map(|h| h.service.as_str()).collect();
    assert_eq!(path, ["frontend", "checkout", "payment", "postgres"]);
    assert_eq!(c.explains, ["checkout", "frontend", "payment"]);
    // With --service checkout, the same root; frontend is not in scope.
    let l = localize(&services, &edges, &Params::default(), Some("checkout"), &[]);
    assert_eq!(l.candidates[0].service, "postgres");
    assert!(l.candidates.iter().all(|c| c.service != "frontend"));
}

#[test]
fn a_slow_call_to_a_normal_server_is_the_callees_egress_or_the_link() {
    // Both callers see redis slow; redis' own server spans are unchanged: its egress.
    let services = vec![
        svc("a", moved(0.1, 0.3)),
        svc("b", moved(0.1, 0.3)),
        svc("redis", flat(0.002)),
    ];
    let edges = vec![
        edge("a", "redis", moved(0.003, 0.2)),
        edge("b", "redis", moved(0.003, 0.2)),
    ];
    let l = localize(&services, &edges, &Params::default(), None, &[]);
    assert_eq!(first(&l), ("redis", &Locus::Egress));
    assert!(l.candidates[0].from_calls);
    // Its server side rose a little too, far less than the calls: still its egress, and the
    // change quoted is the calls' (the finding cites the calls' query for it).
    let mut services = services;
    services[2] = svc("redis", moved(0.002, 0.03));
    let l = localize(&services, &edges, &Params::default(), None, &[]);
    assert_eq!(first(&l), ("redis", &Locus::Egress));
    let c = &l.candidates[0];
    assert!(
        c.from_calls && c.change.is_some_and(|ch| ch.after == 0.2),
        "{c:?}"
    );
    // Only a sees it: the link from a.
    let edges = vec![
        edge("a", "redis", moved(0.003, 0.2)),
        edge("b", "redis", flat(0.003)),
    ];
    let services = vec![
        svc("a", moved(0.1, 0.3)),
        svc("b", flat(0.1)),
        svc("redis", flat(0.002)),
    ];
    let l = localize(&services, &edges, &Params::default(), None, &[]);
    assert_eq!(first(&l), ("redis", &Locus::Link { caller: "a".into() }));
}

#[test]
fn errors_are_weighted_by_calls_per_request() {
    // api's errors rose by 10 points; its calls to auth fail 2% more, but it calls auth on one
    // request in a hundred: auth carries 0.02 points, not the 10.
    let mut api = svc("api", flat(0.1));
    api.errors = Some(Measure::new(0.1, 0.0, 0.001).with_requests(10_000.0));
    api.throughput = Some(Measure::new(100.0, 100.0, 1.0));
    let mut auth = svc("auth", flat(0.01));
    auth.errors = Some(Measure::new(0.02, 0.0, 0.001).with_requests(10_000.0));
    let edges = vec![EdgeView {
        caller: "api".into(),
        callee: "auth".into(),
        latency: None,
        latency_p50: None,
        errors: Some(Measure::new(0.02, 0.0, 0.001).with_requests(5_000.0)),
        rate: Some(Measure::new(1.0, 1.0, 0.01)),
    }];
    let l = localize(&[api, auth], &edges, &Params::default(), None, &[]);
    assert_eq!(l.candidates[0].service, "api");
}

#[test]
fn logs_alone_name_a_service_and_the_deepest_one_wins() {
    let mut web = svc("web", flat(0.1));
    web.logs = Some(Shift {
        strength: 2.0,
        summary: "new: order {} rejected".into(),
    });
    let mut price = svc("price", flat(0.05));
    price.logs = Some(Shift {
        strength: 3.0,
        summary: "new: NullPointerException in quote".into(),
    });
    let edges = vec![edge("web", "price", flat(0.05))];
    let l = localize(&[web, price], &edges, &Params::default(), None, &[]);
    assert_eq!(first(&l), ("price", &Locus::Logs));
}

/// A caught exception below (its logs changed, no metric of its own moved) fails a caller two
/// calls up whose calls do not fail: the walk cannot follow it, so half of the caller's change
/// is put down to it and it ranks first, with the caller on its path. A change below that its
/// metrics show, or a log change in a service it does not call, takes nothing from it, and a
/// slower caller is not explained by a different answer.
#[test]
fn a_failure_only_logs_show_below_takes_half_of_the_errors_above_it() {
    let fleet = |route_errors: Option<f64>, travel_calls_route: bool, slow: bool| {
        let mut travel = svc("travel", if slow { moved(0.1, 0.4) } else { flat(0.1) });
        if !slow {
            travel.errors = Some(Measure::new(0.19, 0.0, 0.001).with_requests(1000.0));
        }
        let mut route = svc("route", flat(0.02));
        route.logs = Some(Shift {
            strength: 3.0,
            summary: "skipped: route by id".into(),
        });
        if let Some(e) = route_errors {
            route.errors = Some(Measure::new(e, 0.0, 0.001).with_requests(1000.0));
        }
        let services = vec![travel, svc("basic", flat(0.05)), route];
        let mut edges = vec![edge("travel", "basic", flat(0.05))];
        if travel_calls_route {
            edges.push(edge("basic", "route", flat(0.02)));
        }
        localize(&services, &edges, &Params::default(), None, &[])
    };
    let l = fleet(None, true, false);
    assert_eq!(first(&l), ("route", &Locus::Logs), "{:#?}", l.candidates);
    let (route, travel) = (&l.candidates[0], &l.candidates[1]);
    assert_eq!(route.explains, ["travel"]);
    let path: Vec<&str> = route.path.iter().map(|h| h.service.as_str()).collect();
    assert_eq!(path, ["travel", "route"]);
    assert_eq!(
        (travel.service.as_str(), travel.logs_below.as_deref()),
        ("travel", Some("route"))
    );
    assert_eq!(travel.unexplained, 0.5);
    // route's errors rose a little too: a change the metrics show, which the walk weighed.
    let l = fleet(Some(0.02), true, false);
    let travel = l.candidates.iter().find(|c| c.service == "travel").unwrap();
    assert_eq!(
        (travel.logs_below.as_deref(), travel.unexplained),
        (None, 1.0)
    );
    assert_eq!(
        first(&l),
        ("travel", &Locus::Service),
        "{:#?}",
        l.candidates
    );
    // route is not below travel.
    let l = fleet(None, false, false);
    assert_eq!(
        first(&l),
        ("travel", &Locus::Service),
        "{:#?}",
        l.candidates
    );
    assert!(l.candidates.iter().all(|c| c.logs_below.is_none()));
    // travel got slower, not failing: a different answer below does not explain that.
    let l = fleet(None, true, true);
    let travel = l.candidates.iter().find(|c| c.service == "travel").unwrap();
    assert_eq!((travel.axis, travel.unexplained), (Axis::Latency, 1.0));
    assert_eq!(first(&l).0, "travel", "{:#?}", l.candidates);
}

#[test]
fn the_ranking_is_total_and_deterministic() {
    let services = vec![svc("b", moved(0.1, 0.5)), svc("a", moved(0.1, 0.5))];
    let l1 = localize(&services, &[], &Params::default(), None, &[]);
    let rev: Vec<_> = services.iter().rev().cloned().collect();
    let l2 = localize(&rev, &[], &Params::default(), None, &[]);
    assert_eq!(l1, l2);
    assert_eq!(l1.candidates[0].service, "a");
}

/// A caller whose CPU rose is slow in everything, its client spans included: its calls look
/// slow while the service it calls is not, but the root is the starved caller, not that
/// callee's egress.
#[test]
fn a_starved_caller_is_the_root_not_the_callee_its_slow_calls_go_to() {
    let mut basic = svc("basic", moved(0.35, 0.77));
    basic.cpu = Some(Measure::new(0.9, 0.02, 0.005));
    let services = vec![
        svc("travel", moved(0.4, 0.9)),
        basic.clone(),
        svc("price", flat(0.04)),
    ];
    let edges = vec![
        edge("travel", "basic", moved(0.36, 0.78)),
        edge("basic", "price", moved(0.045, 0.34)),
    ];
    let l = localize(&services, &edges, &Params::default(), None, &[]);
    assert_eq!(first(&l), ("basic", &Locus::Service), "{:#?}", l.candidates);
    assert!(l.candidates[0].agreeing.contains(&"cpu"));
    // The same without the CPU rise: the delay is between basic and price.
    let mut services = services;
    services[1].cpu = None;
    let l = localize(&services, &edges, &Params::default(), None, &[]);
    assert_eq!(first(&l), ("price", &Locus::Egress), "{:#?}", l.candidates);
}

/// Two independent paths, each clear past the strength cap: the scores tie, and the larger
/// change ranks first whichever name sorts first.
#[test]
fn capped_ties_go_to_the_larger_change() {
    for (small, big) in [("a-svc", "z-svc"), ("z-svc", "a-svc")] {
        let services = vec![
            svc(small, moved(0.030, 0.5)),
            svc(big, moved(0.048, 4.7)),
            svc("front-1", moved(0.2, 0.9)),
            svc("front-2", moved(0.2, 5.0)),
        ];
        let edges = vec![
            edge("front-1", small, moved(0.030, 0.5)),
            edge("front-2", big, moved(0.048, 4.7)),
        ];
        let l = localize(&services, &edges, &Params::default(), None, &[]);
        let (a, b) = (&l.candidates[0], &l.candidates[1]);
        assert_eq!(a.score, b.score, "both past the cap: {l:#?}");
        assert_eq!(a.service, big, "{l:#?}");
    }
}

/// The case: every request of `orders` got three times slower (median 40 → 120 ms),
/// but its p95 is set by a tail of seconds that is always there, so only the median moved. With
/// the median the walk names it, from the symptom above it, and says the change is of the
/// median; without it nothing is a candidate.
#[test]
fn a_slower_body_under_a_tail_slow_as_usual_is_found_by_the_median() {
    let with_median = |p50: bool| {
        let mut api = svc("api", moved(0.30, 0.38));
        let mut orders = svc("orders", flat(3.3));
        let mut cart = svc("cart", flat(0.05));
        if p50 {
            api.latency_p50 = Some(moved(0.10, 0.18));
            orders.latency_p50 = Some(moved(0.04, 0.12));
            cart.latency_p50 = Some(flat(0.02));
        }
        let mut to_orders = edge("api", "orders", flat(3.3));
        let mut to_cart = edge("api", "cart", flat(0.05));
        if p50 {
            to_orders.latency_p50 = Some(moved(0.045, 0.125));
            to_cart.latency_p50 = Some(flat(0.022));
        }
        let l = localize(
            &[api, orders, cart],
            &[to_orders, to_cart],
            &Params::default(),
            None,
            &[(Axis::Latency, 1.5)],
        );
        (l.clone(), l.candidates.first().cloned())
    };
    let (l, top) = with_median(true);
    let top = top.expect("a candidate");
    assert_eq!(top.service, "orders", "{l:?}");
    let change = top.change.expect("its change");
    assert!(change.median && (change.before, change.after) == (0.04, 0.12));
    assert_eq!(top.path.first().map(|h| h.service.as_str()), Some("api"));
    // The symptom's p95 rose a little (its calls to orders did): each hop on its own measure.
    assert!(top.path.last().is_some_and(|h| h.median), "{:?}", top.path);
    // Over the threshold as usual, but changed: not said to be chronic.
    assert!(
        l.chronic.iter().all(|c| c.service != "orders"),
        "{:?}",
        l.chronic
    );
    let finding = &findings::findings(&l, &findings::test_context())[0];
    assert!(
        finding.title.contains("p50 (median) rose"),
        "{}",
        finding.title
    );
    assert!(
        finding.detail.contains("orders (p50 "),
        "{}",
        finding.detail
    );
    // Without the median, the p95 alone shows the symptom's rise and nothing under it.
    let (l, _) = with_median(false);
    assert!(
        l.candidates.iter().all(|c| c.service != "orders"),
        "{:?}",
        l.candidates
    );
}
