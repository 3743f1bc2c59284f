//! `tracectl maintain storage` against the stateful Elasticsearch fixture (`support/es_api.rs`):
//! retention over a month of Jaeger's daily indices with two prefixes, a stopped series, rollover
//! indices behind a write alias, and malformed look-alikes, with the clock (`--at`) just after and
//! just before a UTC midnight. What the plan lists (every index, its size and docs), exactly what
//! `--yes` deletes (read back from the fixture), the snapshot taken first and the rollback that
//! restores from it, the refusals, the force-merge requests and the index template.
//! The retention rule's own cases and property tests: `src/analysis/retention.rs`.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use serde_json::{Value, json};

use super::{Scratch, plan, result};
use crate::support::es_api::{EsApi, IndexSeed};
use crate::support::report::Run;

/// Just after the UTC midnight that starts 2026-11-25.
const AFTER_MIDNIGHT: &str = "2026-11-25T00:00:30Z";
/// Just before it, written with an offset: still 2026-11-24 in UTC.
const BEFORE_MIDNIGHT: &str = "2026-11-25T00:59:30+01:00";

const KINDS: [&str; 3] = ["span", "service", "dependencies"];
const MIB: u64 = 1 << 20;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn day_name(prefix: &str, kind: &str, d: Date) -> String {
    format!("{prefix}jaeger-{kind}-{d}")
}

/// The indices of `prefix` (`""` or `"prod-"`) for every day of `from..=to`, three kinds.
fn series(prefix: &str, from: Date, to: Date) -> Vec<IndexSeed> {
    let mut out = Vec::new();
    let mut d = from;
    let mut i = 0u64;
    while d <= to {
        for kind in KINDS {
            i += 1;
            out.push(IndexSeed::new(
                &day_name(prefix, kind, d),
                1000 * i + 7,
                // 100 MiB to a few GiB: the plan shows both units.
                i * 100 * MIB,
                ts(&format!("{d}T00:00:05Z")),
            ));
        }
        d = d.tomorrow().unwrap();
    }
    out
}

/// A month of indices and what must never be deleted next to them:
/// - unprefixed and `prod-` daily span/service/dependencies, 2026-10-20 ..= 2026-11-25;
/// - `staging-`, whose writer stopped after 2026-10-23 (for `--keep-last`);
/// - a sampling index (not a kind retention deletes);
/// - rollover `jaeger-span-00000{1,2,3}`, the write alias on 2, not the highest;
/// - malformed names and a system index.
fn month() -> Vec<IndexSeed> {
    let mut out = series("", date(2026, 10, 20), date(2026, 11, 25));
    out.extend(series("prod-", date(2026, 10, 20), date(2026, 11, 25)));
    out.extend(series("staging-", date(2026, 10, 18), date(2026, 10, 23)));
    let old = ts("2026-10-01T00:00:05Z");
    out.push(IndexSeed::new("jaeger-sampling-2026-10-20", 5, 4096, old));
    out.push(
        IndexSeed::new("jaeger-span-000001", 900, 700 * MIB, old)
            .alias("jaeger-span-read", false)
            .alias("jaeger-span-write", false),
    );
    out.push(
        IndexSeed::new(
            "jaeger-span-000002",
            901,
            700 * MIB,
            ts("2026-10-05T00:00:00Z"),
        )
        .alias("jaeger-span-read", false)
        .alias("jaeger-span-write", true),
    );
    out.push(
        IndexSeed::new(
            "jaeger-span-000003",
            902,
            700 * MIB,
            ts("2026-10-09T00:00:00Z"),
        )
        .alias("jaeger-span-read", false),
    );
    for bad in [
        "jaeger-span-2026-13-40",
        "jaeger-span-old",
        "xjaeger-span-2026-10-01",
        ".kibana",
    ] {
        out.push(IndexSeed::new(bad, 3, 1024, old));
    }
    out
}

/// What retention 30 deletes of the unprefixed indices, today being `today`: the days before
/// today − 30, and the rolled-over, non-write `jaeger-span-000001`.
fn expected_unprefixed(today: Date) -> BTreeSet<String> {
    let cutoff = today.checked_sub(jiff::Span::new().days(30)).unwrap();
    let mut out: BTreeSet<String> = month()
        .iter()
        .map(|s| s.name.clone())
        .filter(|n| {
            KINDS.iter().any(|k| {
                n.strip_prefix(&format!("jaeger-{k}-"))
                    .and_then(|d| d.parse::<Date>().ok())
                    .is_some_and(|d| d < cutoff && n.len() == format!("jaeger-{k}-").len() + 10)
            })
        })
        .collect();
    out.insert("jaeger-span-000001".into());
    out
}

/// Every seeded index retention looks at without a prefix: `jaeger-{span,service,dependencies}-*`.
fn listed_unprefixed() -> BTreeSet<String> {
    month()
        .iter()
        .map(|s| s.name.clone())
        .filter(|n| KINDS.iter().any(|k| n.starts_with(&format!("jaeger-{k}-"))))
        .collect()
}

fn all_names() -> BTreeSet<String> {
    month().into_iter().map(|s| s.name).collect()
}

/// `tracectl maintain storage --elasticsearch-url URL --at AT -o json REST...`.
fn storage(s: &Scratch, url: &str, at: &str, rest: &[&str]) -> Run {
    let mut args = vec![
        "storage",
        "--elasticsearch-url",
        url,
        "--at",
        at,
        "-o",
        "json",
    ];
    args.extend_from_slice(rest);
    s.maintain(&args, &[])
}

fn actions(v: &Value) -> Vec<Value> {
    v["actions"].as_array().cloned().unwrap_or_default()
}

/// The `index/…` actions of a plan with the given change.
fn indices_with(v: &Value, change: &str) -> BTreeSet<String> {
    actions(v)
        .iter()
        .filter(|a| a["change"] == change)
        .filter_map(|a| a["id"].as_str()?.strip_prefix("index/").map(String::from))
        .collect()
}

fn remaining(es: &EsApi) -> BTreeSet<String> {
    es.index_names().into_iter().collect()
}

fn subtract(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.difference(b).cloned().collect()
}

#[test]
fn the_plan_lists_every_index_with_size_and_docs_around_midnight() {
    for (at, today) in [
        (AFTER_MIDNIGHT, date(2026, 11, 25)),
        (BEFORE_MIDNIGHT, date(2026, 11, 24)),
    ] {
        let es = EsApi::start(month());
        let s = Scratch::new();
        let url = es.url();
        let run = storage(
            &s,
            &url,
            at,
            &["--retention-days", "30", "--skip-snapshot", "--dry-run"],
        );
        assert_eq!(run.code, 0, "{at}: {}", run.stderr);
        let p = plan(&run);
        let deleted = indices_with(&p, "delete");
        assert_eq!(deleted, expected_unprefixed(today), "{at}");
        let kept = indices_with(&p, "unchanged");
        let mut listed = deleted.clone();
        listed.extend(kept.iter().cloned());
        assert_eq!(listed, listed_unprefixed(), "{at}: every index is listed");
        assert!(deleted.is_disjoint(&kept));

        // Size and docs of every listed index, as the cluster reports them.
        for a in actions(&p) {
            let op = &a["operation"];
            assert_eq!(op["op"], "delete_index", "{a}");
            let seed = es.index(op["index"].as_str().unwrap()).unwrap();
            assert_eq!(op["docs"], seed.docs, "{a}");
            assert_eq!(op["size_bytes"], seed.size_bytes, "{a}");
            assert!(a["summary"].as_str().unwrap().contains(" docs)"), "{a}");
        }
        let reason = |name: &str| -> String {
            actions(&p)
                .iter()
                .find(|a| a["id"] == format!("index/{name}"))
                .map(|a| a["summary"].as_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{name} not listed"))
        };
        assert!(reason(&day_name("", "span", today)).ends_with("today's index"));
        assert!(reason("jaeger-span-2026-13-40").ends_with("not a Jaeger index"));
        assert!(reason("jaeger-span-old").ends_with("not a Jaeger index"));
        assert!(reason("jaeger-span-000002").ends_with("write index of the rollover alias"));
        if today == date(2026, 11, 24) {
            // Before midnight, 2026-11-25's index is in the future, and 2026-10-25 is not old.
            assert!(reason("jaeger-span-2026-11-25").contains("in the future"));
            assert!(reason("jaeger-span-2026-10-25").starts_with("keep index"));
        } else {
            assert!(reason("jaeger-span-2026-10-25").starts_with("delete index"));
        }
        // Retention's note adds the deletions up.
        let notes = p["notes"].to_string();
        assert!(
            notes.contains(&format!("{} indices to delete", deleted.len())),
            "{notes}"
        );
        assert!(
            es.writes().is_empty(),
            "a plan writes nothing: {:?}",
            es.writes()
        );
    }
}

#[test]
fn the_table_makes_deletions_obvious() {
    let es = EsApi::start(month());
    let s = Scratch::new();
    let url = es.url();
    let run = s.maintain(
        &[
            "storage",
            "--elasticsearch-url",
            &url,
            "--at",
            AFTER_MIDNIGHT,
            "--retention-days",
            "30",
            "--skip-snapshot",
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("jaeger-dependencies-2026-10-25"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(line.contains("delete"), "{line}");
    assert!(
        line.contains("GiB") || line.contains("MiB"),
        "sizes are human: {line}"
    );
    assert!(run.stdout.contains("19 changes"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("kept: deleted without a snapshot (--skip-snapshot)"),
        "{}",
        run.stdout
    );
}

#[test]
fn yes_deletes_exactly_the_planned_set_around_midnight() {
    for (at, today) in [
        (AFTER_MIDNIGHT, date(2026, 11, 25)),
        (BEFORE_MIDNIGHT, date(2026, 11, 24)),
    ] {
        let es = EsApi::start(month());
        let s = Scratch::new();
        let url = es.url();
        let args = ["--retention-days", "30", "--skip-snapshot", "--yes"];
        let run = storage(&s, &url, at, &args);
        assert_eq!(run.code, 0, "{at}: {}\n{}", run.stderr, run.stdout);
        let r = result(&run);
        assert_eq!(r["outcome"], "succeeded", "{r}");
        let expected = expected_unprefixed(today);
        assert_eq!(remaining(&es), subtract(&all_names(), &expected), "{at}");
        // One DELETE per index, by its exact name, and nothing else written.
        let deletes: BTreeSet<String> = es
            .writes()
            .iter()
            .map(|w| w.strip_prefix("DELETE /").unwrap_or(w).to_string())
            .collect();
        assert_eq!(deletes, expected, "{at}");
        assert_eq!(es.writes().len(), expected.len());
        for never in [
            "jaeger-span-2026-13-40",
            "jaeger-span-old",
            "xjaeger-span-2026-10-01",
            ".kibana",
            "jaeger-sampling-2026-10-20",
            "prod-jaeger-span-2026-10-20",
            "staging-jaeger-span-2026-10-18",
            "jaeger-span-000002",
            "jaeger-span-000003",
        ] {
            assert!(es.index(never).is_some(), "{at}: {never} was deleted");
        }

        // A second run has nothing left to delete.
        let again = storage(&s, &url, at, &args);
        assert_eq!(again.code, 0, "{}", again.stderr);
        let p = storage(
            &s,
            &url,
            at,
            &["--retention-days", "30", "--skip-snapshot", "--dry-run"],
        );
        assert!(indices_with(&plan(&p), "delete").is_empty());
    }
}

#[test]
fn a_prefix_and_keep_last() {
    let es = EsApi::start(month());
    let s = Scratch::new();
    let url = es.url();
    // prod: the same days as the unprefixed month, and only prod's.
    let run = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &[
            "--prefix",
            "prod",
            "--retention-days",
            "30",
            "--skip-snapshot",
            "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let prod: BTreeSet<String> = (20..=25)
        .flat_map(|d| KINDS.map(|k| day_name("prod-", k, date(2026, 10, d))))
        .collect();
    assert_eq!(remaining(&es), subtract(&all_names(), &prod));

    // staging stopped writing on 2026-10-23: all of it is old, and --keep-last 2 keeps the two
    // newest days of each kind.
    let run = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &[
            "--prefix",
            "staging-",
            "--retention-days",
            "30",
            "--keep-last",
            "2",
            "--skip-snapshot",
            "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let staging: BTreeSet<String> = (18..=21)
        .flat_map(|d| KINDS.map(|k| day_name("staging-", k, date(2026, 10, d))))
        .collect();
    let mut gone = prod.clone();
    gone.extend(staging);
    assert_eq!(remaining(&es), subtract(&all_names(), &gone));
    for d in [22, 23] {
        for k in KINDS {
            assert!(
                es.index(&day_name("staging-", k, date(2026, 10, d)))
                    .is_some()
            );
        }
    }
}

#[test]
fn the_snapshot_comes_first_and_the_rollback_restores_the_indices() {
    let es = EsApi::start(month());
    es.add_repository("backups", "fs", json!({"location": "/backups"}));
    let before = es.indices();
    let s = Scratch::new();
    let url = es.url();
    let run = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &[
            "--retention-days",
            "30",
            "--snapshot-repository",
            "backups",
            "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    let expected = expected_unprefixed(date(2026, 11, 25));
    assert_eq!(remaining(&es), subtract(&all_names(), &expected));

    // The snapshot, of exactly the deleted indices, before the first deletion.
    let snap = "tracectl-retention-20261125t000030z";
    let writes = es.writes();
    assert_eq!(
        writes.first().map(String::as_str),
        Some(format!("PUT /_snapshot/backups/{snap}").as_str()),
        "{writes:?}"
    );
    assert!(writes[1..].iter().all(|w| w.starts_with("DELETE /")));
    let held: BTreeSet<String> = es
        .snapshot("backups", snap)
        .expect("the snapshot")
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(held, expected);

    // The rollback restores each deleted index from it, as it was.
    let back = s.maintain(
        &[
            "rollback",
            "--elasticsearch-url",
            &url,
            "--yes",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(back.code, 0, "{}\n{}", back.stderr, back.stdout);
    assert_eq!(result(&back)["outcome"], "rolled_back");
    assert_eq!(remaining(&es), all_names());
    for seed in &before {
        let now = es.index(&seed.name).unwrap();
        assert_eq!(
            (now.docs, now.size_bytes),
            (seed.docs, seed.size_bytes),
            "{}",
            seed.name
        );
    }
    let restores = es
        .writes()
        .iter()
        .filter(|w| w.ends_with("/_restore"))
        .count();
    assert_eq!(restores, expected.len());

    // A second run after the rollback plans the snapshot under a new name (the clock is fixed).
    let again = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &[
            "--retention-days",
            "30",
            "--snapshot-repository",
            "backups",
            "--dry-run",
        ],
    );
    let p = plan(&again);
    assert_eq!(
        actions(&p)[0]["id"],
        format!("snapshot/backups/{snap}-2"),
        "{p}"
    );
}

#[test]
fn refuses_without_yes_off_a_terminal() {
    let es = EsApi::start(month());
    let s = Scratch::new();
    let url = es.url();
    let run = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &["--retention-days", "30", "--skip-snapshot"],
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stderr, run.stdout);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(es.writes().is_empty(), "{:?}", es.writes());
    assert_eq!(remaining(&es), all_names());
}

#[test]
fn refuses_to_delete_without_a_snapshot_decision() {
    let es = EsApi::start(month());
    let s = Scratch::new();
    let url = es.url();
    for extra in [&["--yes"][..], &["--dry-run"][..]] {
        let mut rest = vec!["--retention-days", "30"];
        rest.extend_from_slice(extra);
        let run = storage(&s, &url, AFTER_MIDNIGHT, &rest);
        assert_eq!(run.code, 2, "{}\n{}", run.stderr, run.stdout);
        assert!(
            run.stderr.contains("--snapshot-repository") && run.stderr.contains("--skip-snapshot"),
            "{}",
            run.stderr
        );
    }
    assert!(es.writes().is_empty(), "{:?}", es.writes());
    // Nothing old enough: no snapshot decision needed.
    let run = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &["--retention-days", "400", "--yes"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(remaining(&es), all_names());
    // Nothing asked at all.
    let run = storage(&s, &url, AFTER_MIDNIGHT, &["--yes"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--retention-days"), "{}", run.stderr);
}

#[test]
fn forcemerge_of_the_indices_no_longer_written() {
    let es = EsApi::start(month());
    let s = Scratch::new();
    let url = es.url();
    let run = storage(
        &s,
        &url,
        AFTER_MIDNIGHT,
        &[
            "--retention-days",
            "30",
            "--skip-snapshot",
            "--forcemerge",
            "--max-num-segments",
            "2",
            "--yes",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    let merged: BTreeSet<String> = es.forcemerges().into_iter().map(|(i, _)| i).collect();
    assert!(es.forcemerges().iter().all(|(_, n)| *n == 2));
    // The kept daily indices before today, and the rolled-over, non-write rollover index that is
    // not the highest: none here (000001 is deleted, 000002 is the write index, 000003 the
    // highest).
    let mut expected = BTreeSet::new();
    let mut d = date(2026, 10, 26);
    while d < date(2026, 11, 25) {
        for k in KINDS {
            expected.insert(day_name("", k, d));
        }
        d = d.tomorrow().unwrap();
    }
    assert_eq!(merged, expected);
    for name in &expected {
        assert_eq!(es.segments(name), Some(2), "{name}");
    }
    // Every deletion came before the merges (the plan's order), and no deleted index was merged.
    let writes = es.writes();
    let first_merge = writes
        .iter()
        .position(|w| w.contains("_forcemerge"))
        .unwrap();
    assert!(
        writes[..first_merge]
            .iter()
            .all(|w| w.starts_with("DELETE /"))
    );
    assert_eq!(first_merge, expected_unprefixed(date(2026, 11, 25)).len());

    // The force-merge alone, without retention: nothing is deleted.
    let es = EsApi::start(month());
    let url = es.url();
    let run = storage(&s, &url, AFTER_MIDNIGHT, &["--forcemerge", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(remaining(&es), all_names());
    assert!(es.forcemerges().iter().all(|(_, n)| *n == 1));
    assert!(
        es.writes()
            .iter()
            .all(|w| w.starts_with("POST /") && w.ends_with("/_forcemerge"))
    );
}

#[test]
fn template_created_then_unchanged_then_replaced_and_rolled_back() {
    let es = EsApi::start(vec![]);
    let s = Scratch::new();
    let url = es.url();
    let v1 = json!({
        "index_patterns": ["jaeger-span-*"],
        "priority": 100,
        "template": {"settings": {"number_of_shards": 1, "number_of_replicas": 0}}
    });
    let file = s.write("template.json", &v1.to_string());
    let file = file.to_str().unwrap();
    let args = |extra: &'static str| {
        let mut a = vec![
            "storage",
            "--elasticsearch-url",
            url.as_str(),
            "--template",
            file,
            "--template-name",
            "jaeger-span",
            "-o",
            "json",
        ];
        a.push(extra);
        a
    };

    let run = s.maintain(&args("--yes"), &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    let r = result(&run);
    assert_eq!(r["actions"][0]["id"], "index-template/jaeger-span");
    assert_eq!(r["actions"][0]["change"], "create");
    let stored = es.index_templates();
    assert_eq!(
        stored["jaeger-span"]["template"]["settings"]["index"]["number_of_shards"], "1",
        "{stored:?}"
    );

    // As Elasticsearch stores it, the file's template is unchanged: nothing is written.
    let writes = es.writes().len();
    let p = plan(&s.maintain(&args("--dry-run"), &[]));
    assert_eq!(actions(&p)[0]["change"], "unchanged", "{p}");
    let run = s.maintain(&args("--yes"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(es.writes().len(), writes, "{:?}", es.writes());

    // A changed file replaces it, with a diff; the rollback puts the old one back.
    let mut v2 = v1.clone();
    v2["template"]["settings"]["number_of_shards"] = json!(3);
    s.write("template.json", &v2.to_string());
    let p = plan(&s.maintain(&args("--dry-run"), &[]));
    let a = &actions(&p)[0];
    assert_eq!(a["change"], "update", "{p}");
    assert_eq!(
        a["diff"],
        json!(["template.settings.index.number_of_shards"])
    );
    let run = s.maintain(&args("--yes"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        es.index_templates()["jaeger-span"]["template"]["settings"]["index"]["number_of_shards"],
        "3"
    );
    let back = s.maintain(
        &[
            "rollback",
            "--elasticsearch-url",
            &url,
            "--yes",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(back.code, 0, "{}\n{}", back.stderr, back.stdout);
    assert_eq!(
        es.index_templates()["jaeger-span"]["template"]["settings"]["index"]["number_of_shards"],
        "1"
    );

    // Undoing the first run deletes the template it created.
    let first = s
        .journals()
        .into_iter()
        .next()
        .expect("the first run's journal");
    let back = s.maintain(
        &[
            "rollback",
            "--elasticsearch-url",
            &url,
            "--journal",
            first.to_str().unwrap(),
            "--yes",
        ],
        &[],
    );
    assert_eq!(back.code, 0, "{}\n{}", back.stderr, back.stdout);
    assert!(
        es.index_templates().is_empty(),
        "{:?}",
        es.index_templates()
    );

    // A file that is not JSON is a usage error, before any request.
    s.write("template.json", "{ not json");
    let requests = es.requests().len();
    let run = s.maintain(&args("--yes"), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not JSON"), "{}", run.stderr);
    assert_eq!(es.requests().len(), requests);
}
