//! Tests of `maintain restore`'s pure parts: reading and checking a backup, the decisions per
//! object, the dashboard diff, the split of a snapshot's indices.

use super::*;
use crate::mutation::ops::backup::{
    BackupManifest, CONFIGMAPS_FILE, FileEntry, MANIFEST, MANIFEST_SCHEMA, sha256_hex,
};

fn manifest(files: Vec<FileEntry>) -> BackupManifest {
    BackupManifest {
        schema: MANIFEST_SCHEMA.into(),
        created_at: "2026-11-25T10:00:00Z".parse().unwrap(),
        tracectl_version: "0.1.0".into(),
        namespace: "monitoring".into(),
        cluster: None,
        selector: "app=tracing".into(),
        files,
        snapshot: None,
        left_out: vec![],
    }
}

fn entry(path: &str, bytes: &[u8]) -> FileEntry {
    FileEntry {
        path: path.into(),
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        holds: Holds::ConfigMaps { names: vec![] },
    }
}

#[test]
fn every_file_is_checked_before_anything() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::create_dir(d.join("dashboards")).unwrap();
    std::fs::write(d.join(CONFIGMAPS_FILE), "items: []\n").unwrap();
    std::fs::write(d.join("dashboards/a.json"), "{}").unwrap();
    let mut m = manifest(vec![
        entry(CONFIGMAPS_FILE, b"items: []\n"),
        entry("dashboards/a.json", b"{}"),
    ]);
    assert!(verify_files(d, &m).is_ok());

    std::fs::write(d.join("dashboards/a.json"), "{ }").unwrap();
    let e = verify_files(d, &m).unwrap_err();
    assert!(e.message.contains("dashboards/a.json"), "{}", e.message);
    assert!(e.message.contains("nothing was restored"), "{}", e.message);

    std::fs::remove_file(d.join("dashboards/a.json")).unwrap();
    assert!(verify_files(d, &m).unwrap_err().message.contains("a.json"));

    m.files = vec![entry("../secrets.yaml", b"")];
    assert!(verify_files(d, &m).unwrap_err().message.contains("outside"));
    m.files = vec![entry("/etc/passwd", b"")];
    assert!(verify_files(d, &m).is_err());
}

#[test]
fn a_directory_without_a_manifest_is_no_backup() {
    let t = tempfile::tempdir().unwrap();
    let e = read_manifest(t.path()).unwrap_err();
    assert!(e.message.contains("manifest.json"), "{}", e.message);
    std::fs::write(t.path().join(MANIFEST), r#"{"schema": "other/v1"}"#).unwrap();
    assert!(read_manifest(t.path()).is_err());
    let mut m = manifest(vec![]);
    m.schema = "tracectl.backup/v9".into();
    std::fs::write(t.path().join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
    assert!(read_manifest(t.path()).unwrap_err().message.contains("v9"));
    m.schema = MANIFEST_SCHEMA.into();
    std::fs::write(t.path().join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
    assert_eq!(read_manifest(t.path()).unwrap(), m);
}

fn cm_ref() -> ObjectRef {
    ObjectRef {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
        plural: "configmaps".into(),
        namespace: Some("monitoring".into()),
        name: "sampling".into(),
    }
}

#[test]
fn configmaps_are_created_updated_or_left() {
    let wanted = json!({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "sampling", "namespace": "monitoring", "labels": {"app": "tracing"}},
                        "data": {"s.json": "{\"p\": 0.1}"}});
    let mut notes = vec![];
    let a = configmap_action(
        1,
        &cm_ref(),
        wanted.clone(),
        None,
        "configmaps.yaml",
        &mut notes,
    );
    assert_eq!(a.change, Change::Create);
    assert_eq!(a.inverse, Some(Inverse::Delete { object: cm_ref() }));
    assert_eq!(a.id, "configmap/monitoring/sampling");

    let mut live = wanted.clone();
    live["metadata"]["resourceVersion"] = json!("9");
    live["metadata"]["uid"] = json!("u");
    let a = configmap_action(1, &cm_ref(), wanted.clone(), Some(&live), "f", &mut notes);
    assert_eq!(a.change, Change::Unchanged);

    live["data"]["s.json"] = json!("{\"p\": 1}");
    live["data"]["added"] = json!("x");
    let a = configmap_action(1, &cm_ref(), wanted.clone(), Some(&live), "f", &mut notes);
    assert_eq!(a.change, Change::Update);
    assert_eq!(a.diff, ["data.s.json"]);
    assert_eq!(a.inverse, Some(Inverse::Restore { object: cm_ref() }));
    assert_eq!(
        a.observed,
        Observed::Present {
            resource_version: "9".into(),
            uid: Some("u".into())
        }
    );
    let backup = a.backup.unwrap();
    assert_eq!(backup["data"]["s.json"], "{\"p\": 1}");
    assert!(backup["metadata"].get("resourceVersion").is_none());
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("data.added"), "{}", notes[0]);
}

#[test]
fn secrets_never_show_or_journal_a_value() {
    let s_ref = ObjectRef {
        kind: "Secret".into(),
        plural: "secrets".into(),
        ..cm_ref()
    };
    let wanted = json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                        "metadata": {"name": "sampling", "namespace": "monitoring"},
                        "data": {"password": "aHVudGVyMg==", "user": "ZWxhc3RpYw=="}});
    let mut live = wanted.clone();
    live["data"]["password"] = json!("Y2hhbmdlbWU=");
    live["metadata"]["resourceVersion"] = json!("3");
    let mut notes = vec![];
    let a = secret_action(
        1,
        &s_ref,
        &wanted,
        Some(&live),
        (Path::new("b/secrets.yaml"), "secrets.yaml"),
        &mut notes,
    );
    assert_eq!(a.change, Change::Update);
    assert_eq!(a.diff, ["data.password"]);
    assert!(matches!(a.inverse, Some(Inverse::Keep { .. })));
    assert_eq!(a.backup, None);
    let text = serde_json::to_string(&a).unwrap();
    for v in ["aHVudGVyMg==", "Y2hhbmdlbWU=", "ZWxhc3RpYw=="] {
        assert!(!text.contains(v), "{text}");
    }
    match &a.operation {
        Operation::RestoreSecret { keys, .. } => assert_eq!(keys, &["password", "user"]),
        o => panic!("{o:?}"),
    }

    let a = secret_action(
        1,
        &s_ref,
        &wanted,
        Some(&wanted),
        (Path::new("s"), "s"),
        &mut notes,
    );
    assert_eq!(a.change, Change::Unchanged);
    let a = secret_action(1, &s_ref, &wanted, None, (Path::new("s"), "s"), &mut notes);
    assert_eq!(a.change, Change::Create);
    assert_eq!(a.inverse, Some(Inverse::Delete { object: s_ref }));
}

#[test]
fn dashboards_compare_without_id_and_version() {
    let b = json!({"id": null, "uid": "a", "title": "T", "version": 3,
                   "panels": [{"title": "p1"}, {"title": "p2"}]});
    let mut l = json!({"id": 7, "uid": "a", "title": "T", "version": 9,
                       "panels": [{"title": "p1"}, {"title": "p2"}]});
    assert!(dashboard_diff(&b, Some("f"), &l, Some("f")).is_empty());
    assert_eq!(
        dashboard_diff(&b, Some("f"), &l, None),
        ["folder General → f"]
    );
    l["panels"][1]["title"] = json!("P2");
    l["tags"] = json!(["x"]);
    assert_eq!(
        dashboard_diff(&b, None, &l, None),
        ["panels[1].title", "tags"]
    );
    l["panels"] = json!([]);
    assert_eq!(dashboard_diff(&b, None, &l, None), ["panels", "tags"]);
    let many: serde_json::Map<String, Value> =
        (0..40).map(|i| (format!("k{i:02}"), json!(i))).collect();
    let d = dashboard_diff(&json!({}), None, &Value::Object(many), None);
    assert_eq!(d.len(), MAX_DIFF_LINES);
    assert_eq!(d.last().unwrap(), "… and 29 more");
}

#[test]
fn dashboards_plan_by_what_is_live() {
    let file = json!({"dashboard": {"id": null, "uid": "a", "title": "T", "version": 2}, "folderUid": "f"});
    let a = dashboard_action(
        1,
        &file,
        None,
        (Path::new("b/dashboards/a.json"), "dashboards/a.json"),
    );
    assert_eq!(a.change, Change::Create);
    assert_eq!(
        a.inverse,
        Some(Inverse::DeleteDashboard { uid: "a".into() })
    );
    let live = crate::backends::grafana::Dashboard {
        uid: "a".into(),
        title: "T2".into(),
        version: Some(5),
        folder_uid: Some("f".into()),
        url: None,
        model: json!({"id": 4, "uid": "a", "title": "T2", "version": 5}),
    };
    let a = dashboard_action(1, &file, Some(&live), (Path::new("x"), "x"));
    assert_eq!(a.change, Change::Update);
    assert_eq!(a.diff, ["title"]);
    assert_eq!(
        a.inverse,
        Some(Inverse::RestoreDashboard { uid: "a".into() })
    );
    assert_eq!(
        a.observed,
        Observed::Present {
            resource_version: "5".into(),
            uid: None
        }
    );
    assert_eq!(
        a.backup.unwrap(),
        json!({"dashboard": live.model, "folderUid": "f"})
    );
    let same = crate::backends::grafana::Dashboard {
        title: "T".into(),
        model: json!({"id": 4, "uid": "a", "title": "T", "version": 5}),
        ..live
    };
    assert_eq!(
        dashboard_action(1, &file, Some(&same), (Path::new("x"), "x")).change,
        Change::Unchanged
    );
}

#[test]
fn changes_since_the_plan_are_caught() {
    let p = Observed::Present {
        resource_version: "5".into(),
        uid: None,
    };
    assert_eq!(changed_since(&p, Some("5")), None);
    assert!(
        changed_since(&p, Some("6"))
            .unwrap()
            .contains("the plan saw 5")
    );
    assert!(changed_since(&p, None).unwrap().contains("deleted"));
    assert!(
        changed_since(&Observed::Absent, Some("1"))
            .unwrap()
            .contains("exists")
    );
    assert_eq!(changed_since(&Observed::Absent, None), None);
}

#[test]
fn only_absent_indices_are_restored() {
    let live: BTreeSet<String> = ["jaeger-span-2026-11-24".to_string()].into();
    let (missing, existing) = split_indices(
        &[
            "jaeger-span-2026-11-25".into(),
            "jaeger-span-2026-11-24".into(),
            "jaeger-service-2026-11-25".into(),
        ],
        &live,
    );
    assert_eq!(
        missing,
        ["jaeger-service-2026-11-25", "jaeger-span-2026-11-25"]
    );
    assert_eq!(existing, ["jaeger-span-2026-11-24"]);
}

#[test]
fn lists_read_back_only_their_kind() {
    let good = b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: a\n";
    assert_eq!(read_list(good, "Secret", Path::new("s")).unwrap().len(), 1);
    assert!(read_list(good, "ConfigMap", Path::new("s")).is_err());
    assert!(read_list(b"items: 3", "Secret", Path::new("s")).is_err());
    assert!(read_list(b"{", "Secret", Path::new("s")).is_err());
}
