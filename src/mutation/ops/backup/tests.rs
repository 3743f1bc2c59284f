//! Tests of `maintain backup`'s pure parts: names, selectors and directories, what an object
//! keeps, the manifest and the files' checksums.
use super::*;
use crate::backends::elasticsearch::valid_index_name;
use crate::backends::elasticsearch::{SnapshotInfo, SnapshotState};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn names_come_from_the_utc_start() {
    let now = ts("2026-11-25T23:59:07+02:00");
    assert_eq!(
        default_dir(now),
        PathBuf::from("tracectl-backup-20261125-215907")
    );
    assert_eq!(snapshot_name(now), "tracectl-20261125-215907");
    assert!(valid_index_name(&snapshot_name(now)));
}

#[test]
fn parts_read_as_words_and_as_data() {
    let parts = [
        Part::ConfigMaps(3),
        Part::ConfigMaps(1),
        Part::Secrets(0),
        Part::Secrets(1),
        Part::Dashboards(14),
        Part::Snapshot {
            repository: "Backups".into(),
            snapshot: "tracectl-20261125-100000".into(),
            indices: vec!["jaeger-span-*".into(), "jaeger-service-*".into()],
        },
    ];
    let texts: Vec<String> = parts.iter().map(Part::to_string).collect();
    assert_eq!(texts[0], "3 ConfigMaps");
    assert_eq!(texts[1], "1 ConfigMap");
    assert_eq!(texts[3], "1 Secret");
    assert_eq!(
        texts[5],
        "snapshot Backups/tracectl-20261125-100000 of jaeger-span-*,jaeger-service-*"
    );
    let v = serde_json::to_value(&parts).unwrap();
    assert_eq!(v[0], json!({"config_maps": 3}));
    assert_eq!(v[5]["snapshot"]["repository"], "Backups");
    let back: Vec<Part> = serde_json::from_value(v).unwrap();
    assert_eq!(back, parts);
}

#[test]
fn snapshot_indices_are_patterns() {
    assert_eq!(snapshot_indices(None).unwrap(), ["jaeger-*"]);
    assert_eq!(snapshot_indices(Some("a-*, b-*")).unwrap(), ["a-*", "b-*"]);
    for bad in ["", ",", "Jaeger-*", "_all", "a b", "-x"] {
        assert!(snapshot_indices(Some(bad)).is_err(), "{bad}");
    }
}

#[test]
fn portable_objects_keep_what_a_restore_needs() {
    let live = json!({
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "es", "namespace": "monitoring", "uid": "u", "resourceVersion": "7",
                     "creationTimestamp": "t", "generation": 2, "selfLink": "/x",
                     "managedFields": [{"manager": "kubectl"}],
                     "ownerReferences": [{"uid": "o"}],
                     "labels": {"app": "tracing"},
                     "annotations": {LAST_APPLIED: "{\"data\":{\"p\":\"c2VjcmV0\"}}", "team": "obs"}},
        "data": {"p": "c2VjcmV0"}, "status": {}
    });
    assert_eq!(
        portable(&live),
        json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
               "metadata": {"name": "es", "namespace": "monitoring",
                            "labels": {"app": "tracing"}, "annotations": {"team": "obs"}},
               "data": {"p": "c2VjcmV0"}})
    );
    let only_last_applied = json!({"metadata": {"name": "x", "annotations": {LAST_APPLIED: "{}"}}});
    assert_eq!(
        portable(&only_last_applied),
        json!({"metadata": {"name": "x"}})
    );
}

#[test]
fn lists_are_yaml_that_reads_back() {
    let items = vec![json!({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": "a"}, "data": {"c.yaml": "a: 1\nb: \"x\"\n", "n": "007"}})];
    let text = list_yaml(&items).unwrap();
    assert!(text.contains("kind: List"), "{text}");
    let back: Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(back["items"], Value::Array(items));
}

#[test]
fn dashboard_files_save_by_uid() {
    let f = dashboard_file(
        &json!({"id": 12, "uid": "abc", "title": "T", "version": 3}),
        Some("f1"),
    );
    assert_eq!(f["dashboard"]["id"], Value::Null);
    assert_eq!(f["dashboard"]["uid"], "abc");
    assert_eq!(f["dashboard"]["version"], 3);
    assert_eq!(f["folderUid"], "f1");
    assert_eq!(f["overwrite"], true);
    assert_eq!(
        dashboard_file(&json!({"uid": "x"}), None)["folderUid"],
        Value::Null
    );
}

fn snap(state: SnapshotState, failures: Vec<String>) -> SnapshotInfo {
    SnapshotInfo {
        snapshot: "s".into(),
        uuid: "u".into(),
        state,
        version: None,
        indices: vec!["jaeger-span-2026-11-25".into()],
        start_time: None,
        end_time: None,
        duration_ms: None,
        shards: crate::backends::elasticsearch::Shards {
            total: 2,
            successful: 1,
            failed: 1,
            ..Default::default()
        },
        failures,
    }
}

#[test]
fn only_a_successful_snapshot_is_a_backup() {
    assert_eq!(
        snapshot_failure(&snap(SnapshotState::Success, vec![])),
        None
    );
    let partial = snapshot_failure(&snap(
        SnapshotState::Partial,
        vec!["jaeger-span-2026-11-25[0]: node left".into()],
    ))
    .unwrap();
    assert!(partial.contains("PARTIAL"), "{partial}");
    assert!(partial.contains("1 of 2 shards failed"), "{partial}");
    assert!(
        partial.contains("jaeger-span-2026-11-25[0]: node left"),
        "{partial}"
    );
    assert!(snapshot_failure(&snap(SnapshotState::Failed, vec![])).is_some());
}

#[test]
fn a_backup_goes_to_a_new_or_empty_directory() {
    let t = tempfile::tempdir().unwrap();
    assert!(check_dir(&t.path().join("new")).is_ok());
    assert!(check_dir(t.path()).is_ok());
    std::fs::write(t.path().join("x"), "x").unwrap();
    let e = check_dir(t.path()).unwrap_err();
    assert!(e.message.contains("not empty"), "{}", e.message);
}

#[cfg(unix)]
#[test]
fn files_are_written_whole_and_private() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("b");
    let mut w = Writer::create(&dir).unwrap();
    w.write(
        SECRETS_FILE,
        b"items: []\n",
        Some(Holds::Secrets { names: vec![] }),
    )
    .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(SECRETS_FILE)), 0o600);
    assert_eq!(
        std::fs::read(dir.join(SECRETS_FILE)).unwrap(),
        b"items: []\n"
    );
    assert_eq!(w.files[0].sha256, sha256_hex(b"items: []\n"));
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [SECRETS_FILE], "no temporary file is left");
}
