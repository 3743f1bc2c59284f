//! Tests of `maintain storage`'s pure parts: the arguments, the actions per decision, the
//! template's normal form and diff, the words of the plan.
use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::backends::elasticsearch::IndexTemplate;

#[test]
fn sizes_and_counts_read_as_people_say_them() {
    assert_eq!(crate::report::units::bytes(0), "0 B");
    assert_eq!(crate::report::units::bytes(1023), "1023 B");
    assert_eq!(crate::report::units::bytes(1536), "1.5 KiB");
    assert_eq!(crate::report::units::bytes(1_288_490_189), "1.2 GiB");
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(12_345_678), "12,345,678");
    assert_eq!(
        size_docs(Some(1 << 20), Some(12_345)),
        "1.0 MiB, 12,345 docs"
    );
    assert_eq!(size_docs(None, None), "closed: size and docs unknown");
    assert_eq!(count(1, "index", "indices"), "1 index");
    assert_eq!(count(0, "index", "indices"), "0 indices");
}

#[test]
fn snapshot_names_are_lowercase_utc() {
    let t: Timestamp = "2026-11-25T01:00:30+01:00".parse().unwrap();
    let name = snapshot_name(t);
    assert_eq!(name, "tracectl-retention-20261125t000030z");
    assert!(valid_index_name(&name));
}

#[test]
fn the_list_pattern_covers_the_three_kinds_of_the_prefix() {
    assert_eq!(
        list_pattern(None),
        "jaeger-span-*,jaeger-service-*,jaeger-dependencies-*"
    );
    assert_eq!(
        list_pattern(Some("prod")),
        "prod-jaeger-span-*,prod-jaeger-service-*,prod-jaeger-dependencies-*"
    );
}

fn args() -> StorageArgs {
    StorageArgs::default()
}

#[test]
fn flags_that_ask_nothing_or_contradict_are_usage_errors() {
    let e = check_args(&args()).unwrap_err();
    assert!(e.hint.unwrap().contains("--retention-days"));
    let both = StorageArgs {
        retention_days: Some(30),
        skip_snapshot: true,
        snapshot_repository: Some("backups".into()),
        ..args()
    };
    assert!(check_args(&both).is_err());
    let segments = StorageArgs {
        max_num_segments: Some(2),
        template: Some("t.json".into()),
        ..args()
    };
    assert!(check_args(&segments).is_err());
    let zero = StorageArgs {
        forcemerge: true,
        max_num_segments: Some(0),
        ..args()
    };
    assert!(check_args(&zero).is_err());
    let prefix = StorageArgs {
        retention_days: Some(30),
        prefix: Some("prod*".into()),
        ..args()
    };
    assert!(check_args(&prefix).is_err());
    let ok = StorageArgs {
        retention_days: Some(30),
        prefix: Some("prod".into()),
        ..args()
    };
    assert!(check_args(&ok).is_ok());
}

#[test]
fn refusal_names_both_flags() {
    let e = refuse_unsnapshotted(&["jaeger-span-2026-10-01".into()]);
    assert!(e.message.contains("1 index"), "{}", e.message);
    let hint = e.hint.unwrap();
    assert!(hint.contains("--snapshot-repository") && hint.contains("--skip-snapshot"));
}

fn decision(name: &str, delete: bool) -> Decision {
    let index = IndexStat {
        name: name.into(),
        docs: Some(1234),
        size_bytes: Some(3 << 30),
        creation: Some("2026-10-01T00:00:05Z".parse().unwrap()),
        write_index: false,
    };
    let now: Timestamp = "2026-11-25T00:00:30Z".parse().unwrap();
    let mut d = retention::plan(&[index], &Policy::new(None, 30, 0), now)
        .pop()
        .unwrap();
    if !delete {
        d.verdict = retention::Verdict::Keep {
            reason: "today's index".into(),
        };
    }
    d
}

#[test]
fn deletions_and_kept_indices_read_in_the_plan() {
    let d = decision("jaeger-span-2026-10-01", true);
    assert!(d.verdict.is_delete());
    let snap = ("backups".to_string(), "tracectl-retention-x".to_string());
    let a = index_action(&d, Some(&snap), 3);
    assert_eq!(a.change, Change::Delete);
    assert!(a.change.is_change());
    assert_eq!(a.id, "index/jaeger-span-2026-10-01");
    assert_eq!(
        a.summary,
        "delete index jaeger-span-2026-10-01 (3.0 GiB, 1,234 docs): 2026-10-01 is 55 days old, retention 30 days"
    );
    assert_eq!(
        a.inverse,
        Some(Inverse::RestoreIndex {
            repository: "backups".into(),
            snapshot: "tracectl-retention-x".into(),
            index: "jaeger-span-2026-10-01".into(),
        })
    );
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["operation"]["op"], "delete_index");
    assert_eq!(v["operation"]["docs"], 1234);
    assert_eq!(v["change"], "delete");

    let skipped = index_action(&d, None, 3);
    assert_eq!(
        skipped.inverse,
        Some(Inverse::Keep {
            reason: SKIPPED_SNAPSHOT.into()
        })
    );

    let k = index_action(&decision("jaeger-span-2026-11-25", false), None, 3);
    assert_eq!(k.change, Change::Unchanged);
    assert_eq!(k.inverse, None);
    assert!(
        k.summary
            .starts_with("keep index jaeger-span-2026-11-25 (3.0 GiB")
    );
    assert!(k.summary.ends_with(": today's index"));
}

#[test]
fn a_template_as_elasticsearch_stores_it_is_unchanged() {
    let file = json!({
        "index_patterns": ["jaeger-span-*"],
        "priority": 100,
        "template": {
            "settings": {"number_of_shards": 1, "index": {"number_of_replicas": 0}},
            "mappings": {"properties": {"duration": {"type": "long"}}},
            "aliases": {}
        }
    });
    let stored = json!({
        "index_patterns": ["jaeger-span-*"],
        "priority": 100,
        "composed_of": [],
        "template": {
            "settings": {"index": {"number_of_shards": "1", "number_of_replicas": "0"}},
            "mappings": {"properties": {"duration": {"type": "long"}}}
        }
    });
    assert_eq!(template_diff(&file, &stored, false), Vec::<String>::new());
    assert_eq!(
        template_version(&file, false),
        template_version(&stored, false)
    );

    let mut other = stored.clone();
    other["template"]["settings"]["index"]["number_of_shards"] = json!("3");
    other["_meta"] = json!({"by": "someone"});
    let diff = template_diff(&file, &other, false);
    assert!(
        diff.contains(&"template.settings.index.number_of_shards".to_string()),
        "{diff:?}"
    );
    assert!(diff.contains(&"_meta (removed)".to_string()), "{diff:?}");

    // Legacy: settings at the top, `order: 0` is the default.
    let legacy_file =
        json!({"index_patterns": ["*jaeger-span-*"], "settings": {"number_of_shards": 5}});
    let legacy_live = json!({"order": 0, "index_patterns": ["*jaeger-span-*"], "settings": {"index": {"number_of_shards": "5"}}, "mappings": {}, "aliases": {}});
    assert!(template_diff(&legacy_file, &legacy_live, true).is_empty());
}

#[test]
fn template_actions_create_update_or_leave_alone() {
    let body =
        json!({"index_patterns": ["jaeger-*"], "template": {"settings": {"number_of_shards": 1}}});
    let file = Path::new("t.json");
    let create = template_action("jaeger", false, file, body.clone(), None, 1);
    assert_eq!(create.change, Change::Create);
    assert_eq!(create.observed, Observed::Absent);
    assert_eq!(
        create.inverse,
        Some(Inverse::DeleteIndexTemplate {
            name: "jaeger".into(),
            legacy: false
        })
    );
    let live = |b: Value| IndexTemplate {
        name: "jaeger".into(),
        index_patterns: vec!["jaeger-*".into()],
        priority: None,
        version: None,
        composed_of: vec![],
        body: b,
    };
    let same = template_action(
        "jaeger",
        false,
        file,
        body.clone(),
        Some(live(
            json!({"index_patterns": ["jaeger-*"], "template": {"settings": {"index": {"number_of_shards": "1"}}}}),
        )),
        1,
    );
    assert_eq!(same.change, Change::Unchanged);
    assert_eq!(same.inverse, None);
    let old = json!({"index_patterns": ["jaeger-*"], "template": {"settings": {"index": {"number_of_shards": "2"}}}});
    let update = template_action("jaeger", false, file, body, Some(live(old.clone())), 1);
    assert_eq!(update.change, Change::Update);
    assert_eq!(update.backup, Some(old));
    assert_eq!(
        update.diff,
        ["template.settings.index.number_of_shards".to_string()]
    );
    assert!(matches!(
        update.inverse,
        Some(Inverse::RestoreIndexTemplate { legacy: false, .. })
    ));
}

#[test]
fn template_files_must_be_templates() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    assert!(
        read_template(&bad)
            .unwrap_err()
            .message
            .contains("not JSON")
    );
    let none = dir.path().join("none.json");
    std::fs::write(&none, r#"{"template": {}}"#).unwrap();
    assert!(
        read_template(&none)
            .unwrap_err()
            .message
            .contains("index_patterns")
    );
    assert!(read_template(&dir.path().join("missing.json")).is_err());
}
