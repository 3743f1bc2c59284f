//! Tests of `retention.rs` (moved out of it to keep the source under the style's size).

use super::*;
use crate::model::storage::{jaeger_index_name, valid_index_name};
use jiff::civil::date;
use proptest::prelude::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ix(name: &str) -> IndexStat {
    IndexStat {
        name: name.into(),
        docs: Some(1000),
        size_bytes: Some(1 << 20),
        creation: None,
        write_index: false,
    }
}

fn daily(prefix: Option<&str>, kind: JaegerIndex, day: Date) -> IndexStat {
    ix(&jaeger_index_name(prefix, kind, day))
}

fn verdict<'a>(plan: &'a [Decision], name: &str) -> &'a Verdict {
    &plan
        .iter()
        .find(|d| d.index.name == name)
        .unwrap_or_else(|| panic!("{name} not in the plan"))
        .verdict
}

fn deleted(plan: &[Decision]) -> Vec<&str> {
    plan.iter()
        .filter(|d| d.verdict.is_delete())
        .map(|d| d.index.name.as_str())
        .collect()
}

fn del(reason: &str) -> Verdict {
    Verdict::Delete {
        reason: reason.into(),
    }
}

fn kept(reason: &str) -> Verdict {
    keep(reason)
}

/// 2026-10-20 ..= 2026-11-25 for span, service, dependencies (and sampling), unprefixed and
/// "prod".
fn month() -> Vec<IndexStat> {
    let mut out = Vec::new();
    let mut day = date(2026, 10, 20);
    while day <= date(2026, 11, 25) {
        for prefix in [None, Some("prod")] {
            for kind in JaegerIndex::ALL {
                out.push(daily(prefix, kind, day));
            }
        }
        day = day.tomorrow().unwrap();
    }
    out
}

#[test]
fn month_of_indices_two_prefixes() {
    let input = month();
    let now = at("2026-11-25T00:00:30Z");
    let p = plan(&input, &Policy::new(Some("prod".into()), 30, 2), now);
    assert_eq!(p.len(), input.len());
    assert!(p.windows(2).all(|w| w[0].index.name <= w[1].index.name));
    let gone = deleted(&p);
    // Cutoff 2026-10-26: 10-20 ..= 10-25, three kinds, prod only.
    assert_eq!(gone.len(), 6 * 3);
    assert!(
        gone.iter()
            .all(|n| n.starts_with("prod-jaeger-") && !n.contains("sampling"))
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-2026-10-20"),
        &del("2026-10-20 is 36 days old, retention 30 days")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-dependencies-2026-10-25"),
        &del("2026-10-25 is 31 days old, retention 30 days")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-2026-10-26"),
        &kept("2026-10-26 is 30 days old, retention 30 days")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-2026-11-25"),
        &kept("today's index")
    );
    assert_eq!(
        verdict(&p, "jaeger-span-2026-10-20"),
        &kept("not a Jaeger index of this prefix")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-sampling-2026-10-20"),
        &kept("jaeger-sampling indices not selected")
    );
    let d = p
        .iter()
        .find(|d| d.index.name == "prod-jaeger-span-2026-10-20")
        .unwrap();
    assert_eq!(
        (d.day, d.age_days, d.in_policy),
        (Some(date(2026, 10, 20)), Some(36), true)
    );

    // A minute earlier it is still the 24th in UTC: the cutoff is a day earlier, the 24th is
    // today's and the 25th not yet begun.
    let before = plan(
        &input,
        &Policy::new(Some("prod".into()), 30, 2),
        at("2026-11-24T23:59:30Z"),
    );
    assert_eq!(deleted(&before).len(), 5 * 3);
    assert_eq!(
        verdict(&before, "prod-jaeger-span-2026-10-25"),
        &kept("2026-10-25 is 30 days old, retention 30 days")
    );
    assert_eq!(
        verdict(&before, "prod-jaeger-span-2026-11-24"),
        &kept("today's index")
    );
    assert_eq!(
        verdict(&before, "prod-jaeger-span-2026-11-25"),
        &kept("2026-11-25 is in the future (today is 2026-11-24 UTC)")
    );

    // The unprefixed policy is the mirror image; "prod-" is the same prefix as "prod".
    let unprefixed = plan(&input, &Policy::new(None, 30, 2), now);
    assert_eq!(deleted(&unprefixed).len(), 18);
    assert!(
        deleted(&unprefixed)
            .iter()
            .all(|n| n.starts_with("jaeger-"))
    );
    let dash = plan(&input, &Policy::new(Some("prod-".into()), 30, 2), now);
    assert_eq!(deleted(&dash), gone);
    let empty = plan(&input, &Policy::new(Some(String::new()), 30, 2), now);
    assert_eq!(deleted(&empty), deleted(&unprefixed));

    // Sampling only when asked.
    let mut all = Policy::new(None, 30, 2);
    all.kinds = JaegerIndex::ALL.to_vec();
    assert_eq!(deleted(&plan(&input, &all, now)).len(), 24);
}

#[test]
fn utc_midnight_moves_today_and_the_cutoff() {
    let input: Vec<IndexStat> = (22..=25)
        .map(|d| daily(None, JaegerIndex::Span, date(2026, 11, d)))
        .collect();
    let policy = Policy::new(None, 1, 0);

    let before = plan(&input, &policy, at("2026-11-24T23:59:30Z"));
    assert_eq!(deleted(&before), ["jaeger-span-2026-11-22"]);
    assert_eq!(
        verdict(&before, "jaeger-span-2026-11-23"),
        &kept("2026-11-23 is 1 day old, retention 1 day")
    );
    assert_eq!(
        verdict(&before, "jaeger-span-2026-11-24"),
        &kept("today's index")
    );
    assert_eq!(
        verdict(&before, "jaeger-span-2026-11-25"),
        &kept("2026-11-25 is in the future (today is 2026-11-24 UTC)")
    );

    let after = plan(&input, &policy, at("2026-11-25T00:00:30Z"));
    assert_eq!(
        deleted(&after),
        ["jaeger-span-2026-11-22", "jaeger-span-2026-11-23"]
    );
    assert_eq!(
        verdict(&after, "jaeger-span-2026-11-24"),
        &kept("2026-11-24 is 1 day old, retention 1 day")
    );
    assert_eq!(
        verdict(&after, "jaeger-span-2026-11-25"),
        &kept("today's index")
    );

    // The same instant written with an offset is the same UTC day.
    let offset = plan(&input, &policy, at("2026-11-25T01:00:30+01:00"));
    assert_eq!(offset, after);

    // Retention 0 deletes yesterday but still never today's.
    let zero = plan(&input, &Policy::new(None, 0, 0), at("2026-11-25T00:00:30Z"));
    assert_eq!(deleted(&zero).len(), 3);
    assert_eq!(
        verdict(&zero, "jaeger-span-2026-11-25"),
        &kept("today's index")
    );
}

#[test]
fn malformed_names_are_never_deleted() {
    let names = [
        ".kibana",
        ".kibana_1",
        ".ds-logs-2020.01.01-000001",
        "jaeger-span-2026-13-40",
        "jaeger-span-2020-02-30",
        "xjaeger-span-2020-01-01",
        "jaeger-span-2020-01-01-10",
        "jaeger-span-20200101",
        "jaeger-span-2020.01.01",
        "Jaeger-span-2020-01-01",
        "-jaeger-span-2020-01-01",
        "jaeger-span-2020-01-01 ",
        "jaeger-spans-2020-01-01",
        "prod_jaeger-span-2020-01-01",
        "jaeger-span-archive-000001",
        "jaeger-span-archive",
        "jaeger-span-00001",
        "jaeger-span-0000001",
        "jaeger-span-00000a",
        "jaeger-span-write",
        "jaeger-span-read",
        "jaeger-span-*",
        "jaeger-span-2020-01-01,jaeger-span-2020-01-02",
        "",
    ];
    let input: Vec<IndexStat> = names
        .iter()
        .map(|n| IndexStat {
            creation: Some(at("2001-01-01T00:00:00Z")),
            ..ix(n)
        })
        .collect();
    let mut policy = Policy::new(None, 0, 0);
    policy.kinds = JaegerIndex::ALL.to_vec();
    let p = plan(&input, &policy, at("2026-11-25T12:00:00Z"));
    assert_eq!(p.len(), names.len());
    for d in &p {
        assert_eq!(d.verdict, kept("not a Jaeger index"), "{}", d.index.name);
        assert!(!d.in_policy && d.jaeger.is_none());
    }

    // Well-formed, but another prefix: a prefix must match exactly, not as a string prefix.
    let others = [
        "jaeger-span-2020-01-01",
        "staging-jaeger-span-2020-01-01",
        "prod-eu-jaeger-span-2020-01-01",
        "prodx-jaeger-span-2020-01-01",
        "eu-prod-jaeger-span-2020-01-01",
        "staging-jaeger-span-000001",
    ];
    let input: Vec<IndexStat> = others.iter().map(|n| ix(n)).collect();
    let p = plan(
        &input,
        &Policy::new(Some("prod".into()), 0, 0),
        at("2026-11-25T12:00:00Z"),
    );
    for d in &p {
        assert_eq!(
            d.verdict,
            kept("not a Jaeger index of this prefix"),
            "{}",
            d.index.name
        );
    }
    // A prefix that is not a valid name matches nothing, rather than everything.
    for bad in ["Prod", "*", "prod*", "jaeger-*"] {
        let p = plan(
            &input,
            &Policy::new(Some(bad.into()), 0, 0),
            at("2026-11-25T12:00:00Z"),
        );
        assert!(deleted(&p).is_empty(), "{bad}");
    }
}

#[test]
fn keep_last_protects_the_newest_even_when_all_are_old() {
    let mut input: Vec<IndexStat> = (1..=10)
        .map(|d| daily(None, JaegerIndex::Span, date(2026, 1, d)))
        .collect();
    // A future-dated index is kept, and does not take one of the newest slots.
    input.push(daily(None, JaegerIndex::Span, date(2027, 1, 1)));
    input.push(daily(None, JaegerIndex::Service, date(2026, 1, 1)));
    let now = at("2026-11-25T12:00:00Z");
    let p = plan(&input, &Policy::new(None, 30, 3), now);
    assert_eq!(
        deleted(&p),
        (1..=7)
            .map(|d| format!("jaeger-span-2026-01-{d:02}"))
            .collect::<Vec<_>>()
    );
    for d in 8..=10 {
        assert_eq!(
            verdict(&p, &format!("jaeger-span-2026-01-{d:02}")),
            &kept("one of the newest 3 of jaeger-span")
        );
    }
    // Series are per kind: the lone service index is its own newest.
    assert_eq!(
        verdict(&p, "jaeger-service-2026-01-01"),
        &kept("one of the newest 3 of jaeger-service")
    );
    assert!(deleted(&plan(&input, &Policy::new(None, 30, 50), now)).is_empty());
    assert_eq!(
        deleted(&plan(&input, &Policy::new(None, 30, 0), now)).len(),
        11
    );
}

#[test]
fn rollover_indices_by_creation_date() {
    let now = at("2026-11-25T12:00:00Z");
    let made = |name: &str, created: Option<&str>, write: bool| IndexStat {
        creation: created.map(at),
        write_index: write,
        ..ix(name)
    };
    let input = vec![
        made("prod-jaeger-span-000001", None, false),
        made(
            "prod-jaeger-span-000002",
            Some("2026-08-01T10:00:00Z"),
            false,
        ),
        made(
            "prod-jaeger-span-000003",
            Some("2026-09-01T23:59:59Z"),
            false,
        ),
        made(
            "prod-jaeger-span-000004",
            Some("2026-10-01T00:00:00Z"),
            false,
        ),
        made(
            "prod-jaeger-span-000005",
            Some("2026-11-20T00:00:00Z"),
            true,
        ),
        made(
            "prod-jaeger-span-000006",
            Some("2026-11-25T00:00:00Z"),
            false,
        ),
        // A write alias left on an older generation: both it and the newest are kept.
        made(
            "prod-jaeger-service-000001",
            Some("2026-01-01T00:00:00Z"),
            true,
        ),
        made(
            "prod-jaeger-service-000002",
            Some("2026-01-02T00:00:00Z"),
            false,
        ),
        made(
            "prod-jaeger-dependencies-000001",
            Some("2026-01-01T00:00:00Z"),
            false,
        ),
        made(
            "prod-jaeger-dependencies-000002",
            Some("2026-01-02T00:00:00Z"),
            false,
        ),
        // Aliases are not indices; should one show up as a name, it is not Jaeger's index.
        made(
            "prod-jaeger-span-write",
            Some("2026-01-01T00:00:00Z"),
            false,
        ),
    ];
    let p = plan(&input, &Policy::new(Some("prod".into()), 30, 3), now);
    assert_eq!(
        deleted(&p),
        ["prod-jaeger-span-000002", "prod-jaeger-span-000003"]
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000002"),
        &del("created 2026-08-01, 116 days old, retention 30 days")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000001"),
        &kept("no creation date")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000004"),
        &kept("one of the newest 3 of prod-jaeger-span-NNNNNN")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000005"),
        &kept("write index of the rollover alias")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000006"),
        &kept("newest of prod-jaeger-span-NNNNNN: the write alias's unless told otherwise")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-service-000001"),
        &kept("write index of the rollover alias")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-write"),
        &kept("not a Jaeger index")
    );

    let p = plan(&input, &Policy::new(Some("prod".into()), 30, 0), now);
    assert_eq!(
        deleted(&p),
        [
            "prod-jaeger-dependencies-000001",
            "prod-jaeger-span-000002",
            "prod-jaeger-span-000003",
            "prod-jaeger-span-000004",
        ]
    );
    let d = p
        .iter()
        .find(|d| d.index.name == "prod-jaeger-span-000003")
        .unwrap();
    assert_eq!(d.day, Some(date(2026, 9, 1)));
    assert_eq!(
        d.jaeger,
        Some(JaegerName {
            prefix: Some("prod".into()),
            kind: JaegerIndex::Span,
            layout: Layout::Rollover { generation: 3 },
        })
    );
    // Created today is today's, even with retention 0.
    let mut input = input;
    input.push(made("prod-jaeger-span-000007", None, false));
    let p = plan(&input, &Policy::new(Some("prod".into()), 0, 0), now);
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000006"),
        &kept("created today")
    );
    assert_eq!(
        verdict(&p, "prod-jaeger-span-000007"),
        &kept("newest of prod-jaeger-span-NNNNNN: the write alias's unless told otherwise")
    );
    assert!(deleted(&p).contains(&"prod-jaeger-span-000004"));
}

#[test]
fn totals_and_forcemerge_candidates() {
    let now = at("2026-11-25T12:00:00Z");
    let mut input: Vec<IndexStat> = (20..=26)
        .map(|d| daily(None, JaegerIndex::Span, date(2026, 11, d)))
        .collect();
    input[0].size_bytes = None;
    input[1].docs = Some(7);
    input.push(ix(".kibana"));
    input.push(IndexStat {
        creation: Some(at("2026-11-01T00:00:00Z")),
        ..ix("jaeger-span-000001")
    });
    input.push(IndexStat {
        creation: Some(at("2026-11-10T00:00:00Z")),
        ..ix("jaeger-span-000002")
    });
    input.push(IndexStat {
        creation: Some(at("2026-11-10T00:00:00Z")),
        write_index: true,
        ..ix("jaeger-span-000003")
    });
    let p = plan(&input, &Policy::new(None, 3, 0), now);
    // Cutoff 11-22: two daily indices and the two rolled-over generations go; 000003 is the
    // write index.
    assert_eq!(
        deleted(&p),
        [
            "jaeger-span-000001",
            "jaeger-span-000002",
            "jaeger-span-2026-11-20",
            "jaeger-span-2026-11-21",
        ]
    );
    assert_eq!(
        deletion_totals(&p),
        Totals {
            indices: 4,
            bytes: 3 << 20,
            docs: 3007,
            unknown_size: 1,
            unknown_docs: 0,
        }
    );

    let merge = |min| -> Vec<&str> {
        forcemerge_candidates(&p, min)
            .into_iter()
            .map(|d| d.index.name.as_str())
            .collect()
    };
    assert_eq!(
        merge(None),
        [
            "jaeger-span-2026-11-22",
            "jaeger-span-2026-11-23",
            "jaeger-span-2026-11-24",
        ]
    );
    assert_eq!(merge(Some(0)), merge(None));
    assert_eq!(
        merge(Some(2)),
        ["jaeger-span-2026-11-22", "jaeger-span-2026-11-23"]
    );

    // A rolled-over generation (not written, not the highest) is a candidate.
    let p = plan(&input, &Policy::new(None, 100, 0), now);
    assert_eq!(
        forcemerge_candidates(&p, None)
            .into_iter()
            .map(|d| d.index.name.as_str())
            .collect::<Vec<_>>(),
        [
            "jaeger-span-000001",
            "jaeger-span-000002",
            "jaeger-span-2026-11-20",
            "jaeger-span-2026-11-21",
            "jaeger-span-2026-11-22",
            "jaeger-span-2026-11-23",
            "jaeger-span-2026-11-24",
        ]
    );
}

#[test]
fn plan_serializes_for_the_json_plan() {
    let p = plan(
        &[daily(Some("prod"), JaegerIndex::Span, date(2026, 10, 1))],
        &Policy::new(Some("prod".into()), 30, 0),
        at("2026-11-25T12:00:00Z"),
    );
    let v = serde_json::to_value(&p[0]).unwrap();
    assert_eq!(v["verdict"]["action"], "delete");
    assert_eq!(
        v["verdict"]["reason"],
        "2026-10-01 is 55 days old, retention 30 days"
    );
    assert_eq!(v["jaeger"]["layout"], "daily");
    assert_eq!(v["jaeger"]["day"], "2026-10-01");
    assert_eq!(v["jaeger"]["kind"], "span");
    assert_eq!(v["index"]["size_bytes"], 1 << 20);
    let policy = serde_json::to_value(Policy::new(None, 30, 2)).unwrap();
    assert_eq!(
        policy["kinds"],
        serde_json::json!(["span", "service", "dependencies"])
    );
}

// ---- Property tests ----

const PREFIXES: [Option<&str>; 8] = [
    None,
    Some(""),
    Some("prod"),
    Some("prod-"),
    Some("staging"),
    Some("a--"),
    Some("jaeger-span"),
    Some("Prod"),
];

/// Whose prefix a generated name has: the policy's (whatever it is), or one of [`PREFIXES`].
#[derive(Debug, Clone, Copy)]
enum Pre {
    Policy,
    Fixed(Option<&'static str>),
}

/// A day or an instant relative to today (UTC) or to the policy's cutoff, where the rules
/// change their answer.
#[derive(Debug, Clone, Copy)]
enum When {
    Today(i64),
    Cutoff(i64),
}

#[derive(Debug, Clone)]
enum Gen {
    /// The day, in days.
    Daily(Pre, JaegerIndex, When),
    /// The creation instant, in seconds; `None`: no creation date.
    Rollover(Pre, JaegerIndex, u32, Option<When>, bool),
    Name(String, Option<When>),
}

fn pre() -> impl Strategy<Value = Pre> {
    prop_oneof![
        2 => Just(Pre::Policy),
        1 => prop::sample::select(PREFIXES.to_vec()).prop_map(Pre::Fixed),
    ]
}

fn kind() -> impl Strategy<Value = JaegerIndex> {
    prop::sample::select(JaegerIndex::ALL.to_vec())
}

fn days_when() -> impl Strategy<Value = When> {
    prop_oneof![
        3 => (-90i64..4).prop_map(When::Today),
        1 => (-2000i64..40).prop_map(When::Today),
        3 => (-3i64..3).prop_map(When::Cutoff),
    ]
}

fn seconds_when() -> impl Strategy<Value = Option<When>> {
    proptest::option::weighted(
        0.9,
        prop_oneof![
            (-2 * 86_400i64..200 * 86_400).prop_map(When::Today),
            (-2 * 86_400i64..2 * 86_400).prop_map(When::Cutoff),
            (-12 * 3600i64..12 * 3600).prop_map(When::Cutoff),
        ],
    )
}

fn entry() -> impl Strategy<Value = Gen> {
    prop_oneof![
        4 => (pre(), kind(), days_when()).prop_map(|(p, k, w)| Gen::Daily(p, k, w)),
        3 => (pre(), kind(), 0u32..6, seconds_when(), prop::bool::weighted(0.2))
            .prop_map(|(p, k, g, c, w)| Gen::Rollover(p, k, g, c, w)),
        1 => ("\\PC{0,30}", seconds_when()).prop_map(|(s, c)| Gen::Name(s, c)),
        2 => (
            "[a-z._-]{0,8}jaeger-(span|service|dependencies|sampling|spam|span-archive)-[0-9]{1,7}(-[0-9]{1,2}){0,3}",
            seconds_when(),
        )
            .prop_map(|(s, c)| Gen::Name(s, c)),
    ]
}

/// Any time in 2000..2100, with a share just around a UTC midnight.
fn clock() -> impl Strategy<Value = Timestamp> {
    const START: i64 = 946_684_800; // 2000-01-01
    const DAYS: i64 = 36_524;
    prop_oneof![
        START..START + DAYS * 86_400,
        (1..DAYS, -90i64..90).prop_map(|(d, s)| START + d * 86_400 + s),
    ]
    .prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::sample::select(PREFIXES.to_vec()),
        prop_oneof![4 => 0u32..60, 1 => 0u32..3000, 1 => Just(u32::MAX)],
        prop_oneof![3 => 0u32..3, 1 => 0u32..20],
        prop_oneof![
            Just(Policy::DEFAULT_KINDS.to_vec()),
            Just(JaegerIndex::ALL.to_vec()),
            prop::sample::subsequence(JaegerIndex::ALL.to_vec(), 0..=4),
        ],
    )
        .prop_map(|(p, retention_days, keep_last, kinds)| Policy {
            prefix: p.map(str::to_string),
            retention_days,
            keep_last,
            kinds,
        })
}

fn materialize(
    g: &Gen,
    policy: &Policy,
    now: Timestamp,
    sizes: (Option<u64>, Option<u64>),
) -> IndexStat {
    // With no cutoff in the calendar, "around the cutoff" is around today.
    let back = i64::from(policy.retention_days.min(3000));
    let day = |w: When| {
        let off = match w {
            When::Today(d) => d,
            When::Cutoff(d) => d - back,
        };
        utc_day(now).checked_add(Span::new().days(off)).unwrap()
    };
    let instant = |w: Option<When>| {
        w.map(|w| {
            let secs = match w {
                When::Today(s) => now.as_second() - s,
                When::Cutoff(s) => {
                    let midnight = day(When::Cutoff(0)).to_zoned(TimeZone::UTC).unwrap();
                    midnight.timestamp().as_second() + s
                }
            };
            Timestamp::from_second(secs).unwrap()
        })
    };
    let prefix = |p: Pre| match p {
        Pre::Policy => policy.prefix.as_deref(),
        Pre::Fixed(p) => p,
    };
    let (name, creation, write_index) = match g {
        Gen::Daily(p, k, w) => (jaeger_index_name(prefix(*p), *k, day(*w)), None, false),
        Gen::Rollover(p, k, generation, w, write) => {
            let full = jaeger_index_name(prefix(*p), *k, date(2000, 1, 1));
            let base = full.strip_suffix("-2000-01-01").unwrap();
            (format!("{base}-{generation:06}"), instant(*w), *write)
        }
        Gen::Name(s, w) => (s.clone(), instant(*w), false),
    };
    IndexStat {
        name,
        docs: sizes.0,
        size_bytes: sizes.1,
        creation,
        write_index,
    }
}

/// The policy's rules, restated from the names Jaeger would write rather than from the
/// parser: a daily name matches iff the policy's naming gives it back.
fn oracle_daily(policy: &Policy, name: &str) -> Option<(JaegerIndex, Date)> {
    let (_, kind, day) = parse_jaeger_index(name)?;
    (policy.kinds.contains(&kind) && jaeger_index_name(policy.prefix.as_deref(), kind, day) == name)
        .then_some((kind, day))
}

fn oracle_rollover(policy: &Policy, name: &str) -> Option<(JaegerIndex, u32)> {
    if !valid_index_name(name) {
        return None;
    }
    policy.kinds.iter().find_map(|&kind| {
        let full = jaeger_index_name(policy.prefix.as_deref(), kind, date(2000, 1, 1));
        let base = full.strip_suffix("-2000-01-01")?;
        let digits = name.strip_prefix(base)?.strip_prefix('-')?;
        (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| (kind, digits.parse().unwrap()))
    })
}

proptest! {
    #[test]
    fn deletes_exactly_what_the_rules_allow(
        now in clock(),
        gens in prop::collection::vec(
            (entry(), proptest::option::of(0u64..1 << 40), proptest::option::of(0u64..1 << 40)),
            0..40,
        ),
        policy in policy(),
    ) {
        let today = now.to_zoned(TimeZone::UTC).date();
        let cutoff = if policy.retention_days > 100_000 {
            None
        } else {
            Some(today.checked_sub(Span::new().days(i64::from(policy.retention_days))).unwrap())
        };
        prop_assert_eq!(cutoff, cutoff_day(now, policy.retention_days));
        let input: Vec<IndexStat> = gens
            .iter()
            .map(|(g, docs, size)| materialize(g, &policy, now, (*docs, *size)))
            .collect();
        let p = plan(&input, &policy, now);

        // Every input, once, sorted by name, each with a one-line reason.
        let mut names: Vec<&str> = input.iter().map(|i| i.name.as_str()).collect();
        names.sort_unstable();
        prop_assert_eq!(p.iter().map(|d| d.index.name.as_str()).collect::<Vec<_>>(), names);
        prop_assert!(p.iter().all(|d| !d.verdict.reason().is_empty() && !d.verdict.reason().contains('\n')));

        // Series as the oracle sees them: distinct days (all, and up to today) and
        // generations per kind.
        let mut all_days: BTreeMap<JaegerIndex, BTreeSet<Date>> = BTreeMap::new();
        let mut gens_by_kind: BTreeMap<JaegerIndex, BTreeSet<u32>> = BTreeMap::new();
        for i in &input {
            if let Some((k, d)) = oracle_daily(&policy, &i.name) {
                all_days.entry(k).or_default().insert(d);
            }
            if let Some((k, g)) = oracle_rollover(&policy, &i.name) {
                gens_by_kind.entry(k).or_default().insert(g);
            }
        }
        let keep = policy.keep_last as usize;
        // Newer days up to today: future-dated indices take no keep_last slot. Counting them
        // too would give a smaller protected set, so this is the stronger check.
        let newer_days = |k: JaegerIndex, d: Date| {
            all_days[&k].iter().filter(|&&x| x > d && x <= today).count()
        };
        let newer_gens = |k: JaegerIndex, g: u32| gens_by_kind[&k].iter().filter(|&&x| x > g).count();
        let creation_day = |i: &IndexStat| i.creation.map(|c| c.to_zoned(TimeZone::UTC).date());

        for d in &p {
            let i = &d.index;
            let daily = oracle_daily(&policy, &i.name);
            let rollover = oracle_rollover(&policy, &i.name);
            if d.verdict.is_delete() {
                // Sound: only what the rules allow.
                prop_assert!(d.in_policy);
                prop_assert!(JaegerName::parse(&i.name).is_some_and(|j| policy.covers(&j)));
                match (daily, rollover) {
                    (Some((k, day)), None) => {
                        prop_assert!(cutoff.is_some_and(|c| day < c), "{} not older than {:?}", i.name, cutoff);
                        prop_assert_ne!(day, today);
                        prop_assert!(newer_days(k, day) >= keep, "{} among the newest {}", i.name, keep);
                    }
                    (None, Some((k, g))) => {
                        prop_assert!(!i.write_index);
                        let day = creation_day(i);
                        prop_assert!(day.is_some());
                        prop_assert!(cutoff.is_some_and(|c| day.unwrap() < c));
                        prop_assert_ne!(day.unwrap(), today);
                        prop_assert!(newer_gens(k, g) >= keep.max(1));
                    }
                    other => prop_assert!(false, "{} deleted, oracle {:?}", i.name, other),
                }
            } else {
                // Complete: whatever the rules allow is deleted.
                if let Some((k, day)) = daily
                    && cutoff.is_some_and(|c| day < c)
                {
                    prop_assert!(newer_days(k, day) < keep, "{} kept: {:?}", i.name, d.verdict);
                }
                if let Some((k, g)) = rollover
                    && !i.write_index
                    && let Some(day) = creation_day(i)
                    && cutoff.is_some_and(|c| day < c)
                {
                    prop_assert!(newer_gens(k, g) < keep.max(1), "{} kept: {:?}", i.name, d.verdict);
                }
            }
        }

        let t = deletion_totals(&p);
        prop_assert_eq!(t.indices, p.iter().filter(|d| d.verdict.is_delete()).count());
        for c in forcemerge_candidates(&p, None) {
            prop_assert!(c.in_policy && !c.verdict.is_delete() && !c.index.write_index);
            prop_assert!(c.day.is_some_and(|day| day < today));
        }
    }
}
