//! Tests of `maintain.rs` (moved out of it to keep the source under the style's size).

//! Beside `tests/maintain.rs`, with its fake transport.

use serde_json::json;

use super::super::tests::{body, client, json, one, pairs, text};
use crate::backends::elasticsearch::RestoreOptions;
use crate::transport::ErrorKind;
use crate::transport::Method::{Delete, Get, Post};

/// `GET /jaeger-*/_alias` on a cluster with Jaeger's rollover indices (the write alias with
/// and without `is_write_index`) and daily indices without aliases.
const ALIASES: &str = r#"{
  "jaeger-span-000001" : { "aliases" : { "jaeger-span-read" : { }, "jaeger-span-write" : { "is_write_index" : false } } },
  "jaeger-span-000002" : { "aliases" : { "jaeger-span-read" : { }, "jaeger-span-write" : { "is_write_index" : true } } },
  "jaeger-service-000001" : { "aliases" : { "jaeger-service-read" : { } } },
  "jaeger-service-000002" : { "aliases" : { "jaeger-service-read" : { }, "jaeger-service-write" : { } } },
  "jaeger-dependencies-000001" : { "aliases" : { "jaeger-dependencies-write" : { "is_write_index" : false } } },
  "jaeger-span-2026-11-24" : { "aliases" : { } }
}"#;

#[tokio::test]
async fn delete_an_index_template() {
    let ack = r#"{"acknowledged":true}"#;
    let (c, fake) = one(Delete, "/_index_template/jaeger-template", json(200, ack));
    assert!(
        c.delete_index_template("jaeger-template", false)
            .await
            .unwrap()
    );
    let req = fake.only();
    assert_eq!(req.method, Delete);
    assert!(!req.idempotent, "a mutation is never retried");
    let (c, fake) = one(Delete, "/_template/jaeger-span", json(200, ack));
    assert!(c.delete_index_template("jaeger-span", true).await.unwrap());
    assert_eq!(fake.only().path, "/_template/jaeger-span");
    let missing = r#"{"error":{"root_cause":[{"type":"index_template_missing_exception","reason":"index_template [jaeger-span] missing"}],"type":"index_template_missing_exception","reason":"index_template [jaeger-span] missing"},"status":404}"#;
    let (c, _) = one(Delete, "/_template/jaeger-span", json(404, missing));
    assert!(!c.delete_index_template("jaeger-span", true).await.unwrap());
    // Never a pattern.
    let (c, fake) = one(Delete, "/_index_template/x", json(200, ack));
    assert!(c.delete_index_template("jaeger-*", false).await.is_err());
    assert!(fake.requests().is_empty(), "nothing sent");
}

#[tokio::test]
async fn write_indices_of_aliases() {
    let (c, fake) = one(Get, "/jaeger-*/_alias", json(200, ALIASES));
    let w = c.write_aliases("jaeger-*").await.unwrap();
    assert_eq!(
        w.into_iter().collect::<Vec<_>>(),
        vec![
            // Alone in its alias, no flag: Elasticsearch writes to it.
            (
                "jaeger-service-000002".to_string(),
                vec!["jaeger-service-write".to_string()]
            ),
            (
                "jaeger-span-000002".into(),
                vec!["jaeger-span-write".into()]
            ),
        ]
    );
    let req = fake.only();
    assert_eq!(req.method, Get);
    assert!(req.idempotent);
    assert_eq!(req.query, pairs(&[("expand_wildcards", "all")]));
}

#[tokio::test]
async fn write_aliases_of_nothing() {
    let (c, _) = one(Get, "/jaeger-span-*/_alias", json(200, "{}"));
    assert!(c.write_aliases("jaeger-span-*").await.unwrap().is_empty());
    let missing = r#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [jaeger-span-000009]","index":"jaeger-span-000009","resource.id":"jaeger-span-000009","resource.type":"index_or_alias","index_uuid":"_na_"}],"type":"index_not_found_exception","reason":"no such index [jaeger-span-000009]","index":"jaeger-span-000009","resource.id":"jaeger-span-000009","resource.type":"index_or_alias","index_uuid":"_na_"},"status":404}"#;
    let (c, _) = one(Get, "/jaeger-span-000009/_alias", json(404, missing));
    assert!(
        c.write_aliases("jaeger-span-000009")
            .await
            .unwrap()
            .is_empty()
    );
    // Not the alias API's shape: an error, not "no write index" (which would allow a delete).
    let (c, _) = one(Get, "/jaeger-*/_alias", json(200, r#"{"data":[]}"#));
    let e = c.write_aliases("jaeger-*").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Decode { .. }), "{e:?}");
    let (c, fake) = one(Get, "/_alias", json(200, "{}"));
    assert!(c.write_aliases("_all").await.is_err());
    assert!(c.write_aliases("jaeger-*,-jaeger-span-*").await.is_err());
    assert!(fake.requests().is_empty(), "nothing sent");
}

#[tokio::test]
async fn snapshot_repository_found_or_missing() {
    // The Elasticsearch specification's example, for an S3 repository.
    let repo = r#"{"s3-backups":{"type":"s3","uuid":"0JLknrXbSUiVPuLakHjBrQ","settings":{"bucket":"tracing-backups","base_path":"jaeger"}}}"#;
    let (c, fake) = one(Get, "/_snapshot/s3-backups", json(200, repo));
    let r = c.snapshot_repository("s3-backups").await.unwrap().unwrap();
    assert_eq!(r["type"], "s3");
    assert_eq!(r["settings"]["bucket"], "tracing-backups");
    let req = fake.only();
    assert!(req.idempotent);
    assert!(req.query.is_empty());

    let missing = r#"{"error":{"root_cause":[{"type":"repository_missing_exception","reason":"[s3-backups] missing"}],"type":"repository_missing_exception","reason":"[s3-backups] missing"},"status":404}"#;
    let (c, _) = one(Get, "/_snapshot/s3-backups", json(404, missing));
    assert_eq!(c.snapshot_repository("s3-backups").await.unwrap(), None);

    // A 404 that is not Elasticsearch's stays an error; so does an answer about another
    // repository, or not about a repository at all.
    let (c, _) = one(
        Get,
        "/_snapshot/s3-backups",
        text(404, "404 page not found\n"),
    );
    assert!(matches!(
        c.snapshot_repository("s3-backups").await.unwrap_err().kind,
        ErrorKind::Status { code: 404, .. }
    ));
    let (c, _) = one(
        Get,
        "/_snapshot/s3-backups",
        json(200, r#"{"other":{"type":"fs","settings":{}}}"#),
    );
    assert!(matches!(
        c.snapshot_repository("s3-backups").await.unwrap_err().kind,
        ErrorKind::Decode { .. }
    ));
    let (c, _) = one(
        Get,
        "/_snapshot/s3-backups",
        json(200, r#"{"s3-backups":[]}"#),
    );
    assert!(c.snapshot_repository("s3-backups").await.is_err());

    let (c, fake) = one(Get, "/_snapshot/_all", json(200, "{}"));
    for bad in ["_all", "*", "s3,fs", "../_cluster", ""] {
        assert!(c.snapshot_repository(bad).await.is_err(), "{bad:?}");
    }
    assert!(fake.requests().is_empty(), "nothing sent");
}

#[tokio::test]
async fn delete_index_never_takes_a_pattern() {
    let (c, fake) = client(vec![]);
    for bad in [
        "jaeger-span-*",
        "*",
        "jaeger-span-2026-10-01,jaeger-span-2026-10-02",
        "_all",
        "-jaeger-span-2026-10-01",
        "+jaeger-span-2026-10-01",
        "jaeger-span-2026-10-0?",
        "Jaeger-span",
        "..",
        "jaeger span",
        "cluster:jaeger-span",
        "",
    ] {
        let e = c.delete_index(bad).await.unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "invalid_argument"),
            "{bad:?}: {e:?}"
        );
    }
    assert!(fake.requests().is_empty(), "nothing sent");
    // An escaped `*` stays a literal: `%` itself is escaped.
    let (c, fake) = one(
        Delete,
        "/jaeger%252a",
        json(200, r#"{"acknowledged":true}"#),
    );
    assert!(c.delete_index("jaeger%2a").await.unwrap());
    assert_eq!(fake.only().path, "/jaeger%252a");
}

#[tokio::test]
async fn restore_renames_with_both_or_neither() {
    let (c, fake) = one(
        Post,
        "/_snapshot/s3-backups/nightly/_restore",
        json(200, r#"{"accepted":true}"#),
    );
    let opts = RestoreOptions {
        indices: vec!["jaeger-span-2026-11-24".into()],
        rename_pattern: Some("(.+)".into()),
        rename_replacement: None,
        include_aliases: false,
        wait_for_completion: false,
    };
    let e = c
        .restore_snapshot("s3-backups", "nightly", &opts)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("rename_replacement"), "{e}");
    let opts = RestoreOptions {
        rename_pattern: None,
        rename_replacement: Some("restored-$1".into()),
        ..opts
    };
    assert!(
        c.restore_snapshot("s3-backups", "nightly", &opts)
            .await
            .is_err()
    );
    assert!(fake.requests().is_empty(), "nothing sent");
    let opts = RestoreOptions {
        rename_pattern: None,
        rename_replacement: None,
        ..opts
    };
    c.restore_snapshot("s3-backups", "nightly", &opts)
        .await
        .unwrap();
    let sent = body(&fake.only());
    assert_eq!(sent["include_global_state"], json!(false));
    assert_eq!(sent["indices"], json!(["jaeger-span-2026-11-24"]));
}
