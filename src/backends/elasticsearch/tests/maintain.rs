//! The maintenance calls: mutations are sent once (not idempotent), with exact bodies.

use serde_json::json;

use super::*;
use crate::backends::elasticsearch::*;
use crate::transport::Method::{Delete, Get, Post, Put};

const ACK: &str = r#"{"acknowledged":true}"#;

#[tokio::test]
async fn delete_one_index() {
    let (c, fake) = one(Delete, "/jaeger-span-2026-10-01", json(200, ACK));
    assert!(c.delete_index("jaeger-span-2026-10-01").await.unwrap());
    let req = fake.only();
    assert_eq!(req.method, Delete);
    assert!(req.query.is_empty());
    assert!(req.body.is_none());
    assert!(!req.idempotent, "a mutation is never retried");
}

#[tokio::test]
async fn forcemerge_an_index() {
    // OpenSearch's documented answer.
    let answer = r#"{"_shards":{"total":2,"successful":1,"failed":0}}"#;
    let (c, fake) = one(
        Post,
        "/jaeger-span-2026-11-24/_forcemerge",
        json(200, answer),
    );
    let s = c.forcemerge("jaeger-span-2026-11-24", 1).await.unwrap();
    assert_eq!((s.total, s.successful, s.failed), (2, 1, 0));
    let req = fake.only();
    assert_eq!(req.method, Post);
    assert_eq!(req.query, pairs(&[("max_num_segments", "1")]));
    assert!(!req.idempotent);
    assert!(req.body.is_none());
}

#[tokio::test]
async fn clear_the_read_only_block() {
    let (c, fake) = one(Put, "/jaeger-*/_settings", json(200, ACK));
    assert!(c.clear_read_only("jaeger-*").await.unwrap());
    let req = fake.only();
    assert_eq!(req.method, Put);
    assert!(!req.idempotent);
    assert_eq!(content_type(&req), Some("application/json"));
    assert_eq!(
        body(&req),
        json!({"index.blocks.read_only_allow_delete": null})
    );
}

/// `GET /_index_template/{name}` (spec example `GetIndexTemplateResponseExample1`, with the
/// ES 9 read-only dates).
const TEMPLATE: &str = r#"{
  "index_templates" : [
    {
      "name" : "jaeger-span",
      "index_template" : {
        "index_patterns" : [ "jaeger-span-*" ],
        "template" : {
          "settings" : { "index" : { "number_of_shards" : "3", "number_of_replicas" : "1" } },
          "mappings" : { "properties" : { "startTimeMillis" : { "type" : "date", "format" : "epoch_millis" } } }
        },
        "composed_of" : [ ],
        "priority" : 500,
        "version" : 2,
        "_meta" : { "description" : "jaeger spans" },
        "created_date" : "2026-01-01T12:00:00.000Z",
        "created_date_millis" : 1767268800000,
        "modified_date" : "2026-06-01T12:00:00.000Z",
        "modified_date_millis" : 1780315200000
      }
    }
  ]
}"#;

#[tokio::test]
async fn index_templates_round_trip() {
    let (c, fake) = one(Get, "/_index_template/jaeger-span", json(200, TEMPLATE));
    let t = c.get_index_template("jaeger-span").await.unwrap().unwrap();
    assert_eq!(t.name, "jaeger-span");
    assert_eq!(t.index_patterns, ["jaeger-span-*"]);
    assert_eq!(t.priority, Some(500));
    assert_eq!(t.version, Some(2));
    assert!(t.composed_of.is_empty());
    assert!(t.body.get("created_date").is_none(), "read-only fields go");
    assert_eq!(t.body["_meta"]["description"], "jaeger spans");
    assert_eq!(fake.only().method, Get);

    let (c, fake) = one(Put, "/_index_template/jaeger-span", json(200, ACK));
    assert!(c.put_index_template("jaeger-span", &t.body).await.unwrap());
    let req = fake.only();
    assert_eq!(req.method, Put);
    assert!(!req.idempotent);
    assert_eq!(body(&req), t.body);
}

#[tokio::test]
async fn a_missing_template_is_none() {
    let missing = r#"{"error":{"root_cause":[{"type":"resource_not_found_exception","reason":"index template matching [jaeger-span] not found"}],"type":"resource_not_found_exception","reason":"index template matching [jaeger-span] not found"},"status":404}"#;
    let (c, _) = one(Get, "/_index_template/jaeger-span", json(404, missing));
    assert_eq!(c.get_index_template("jaeger-span").await.unwrap(), None);
    // A 404 that is not Elasticsearch's (a wrong path prefix) stays an error.
    let (c, _) = one(
        Get,
        "/_index_template/jaeger-span",
        text(404, "404 page not found\n"),
    );
    let e = c.get_index_template("jaeger-span").await.unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::Status { code: 404, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn legacy_templates() {
    // What Jaeger installs on Elasticsearch 7 and OpenSearch: `GET /_template/{name}` keys by name.
    let legacy = r#"{"jaeger-span":{"order":0,"index_patterns":["*jaeger-span-*"],"settings":{"index":{"number_of_shards":"5","number_of_replicas":"1","requests":{"cache":{"enable":"true"}}}},"mappings":{"dynamic_templates":[],"properties":{"duration":{"type":"long"}}},"aliases":{}}}"#;
    let (c, fake) = one(Get, "/_template/jaeger-span", json(200, legacy));
    let t = c.get_legacy_template("jaeger-span").await.unwrap().unwrap();
    assert_eq!(t.index_patterns, ["*jaeger-span-*"]);
    assert_eq!(t.priority, Some(0));
    assert_eq!(t.body["mappings"]["properties"]["duration"]["type"], "long");
    assert_eq!(fake.only().path, "/_template/jaeger-span");

    let (c, _) = one(Get, "/_template/jaeger-span", json(404, "{}"));
    assert_eq!(c.get_legacy_template("jaeger-span").await.unwrap(), None);

    let (c, fake) = one(Put, "/_template/jaeger-span", json(200, ACK));
    assert!(c.put_legacy_template("jaeger-span", &t.body).await.unwrap());
    assert_eq!(body(&fake.only()), t.body);
}

/// OpenSearch's documented snapshot info, for a Jaeger backup.
const SNAPSHOT: &str = r#"{
    "snapshot" : "jaeger-2026-11-25",
    "uuid" : "Zx81mQ3kT0uYv2LpOa9JwQ",
    "version_id" : 136217927,
    "version" : "2.0.1",
    "indices" : [ "jaeger-span-2026-11-24", "jaeger-service-2026-11-24" ],
    "data_streams" : [ ],
    "include_global_state" : false,
    "state" : "PARTIAL",
    "start_time" : "2026-11-25T02:00:00.250Z",
    "start_time_in_millis" : 1795572000250,
    "end_time" : "2026-11-25T02:03:20.250Z",
    "end_time_in_millis" : 1795572200250,
    "duration_in_millis" : 200000,
    "failures" : [ {"index":"jaeger-span-2026-11-24","index_uuid":"u1","shard_id":2,"reason":"IndexShardSnapshotFailedException[disk full]","node_id":"n1","status":"INTERNAL_SERVER_ERROR"} ],
    "shards" : { "total" : 6, "failed" : 1, "successful" : 5 }
}"#;

#[tokio::test]
async fn create_a_snapshot_and_wait() {
    let (c, fake) = one(
        Put,
        "/_snapshot/s3-backups/jaeger-2026-11-25",
        json(200, &format!(r#"{{"snapshot":{SNAPSHOT}}}"#)),
    );
    let started = c
        .create_snapshot(
            "s3-backups",
            "jaeger-2026-11-25",
            &["jaeger-span-2026-11-24", "jaeger-service-*"],
            true,
        )
        .await
        .unwrap();
    let SnapshotStarted::Completed(info) = started else {
        panic!("{started:?}")
    };
    assert_eq!(
        *info,
        SnapshotInfo {
            snapshot: "jaeger-2026-11-25".into(),
            uuid: "Zx81mQ3kT0uYv2LpOa9JwQ".into(),
            state: SnapshotState::Partial,
            version: Some("2.0.1".into()),
            indices: vec![
                "jaeger-span-2026-11-24".into(),
                "jaeger-service-2026-11-24".into()
            ],
            start_time: Some(ts("2026-11-25T02:00:00.250Z")),
            end_time: Some(ts("2026-11-25T02:03:20.250Z")),
            duration_ms: Some(200_000),
            shards: Shards {
                total: 6,
                successful: 5,
                skipped: 0,
                failed: 1
            },
            failures: vec![
                "jaeger-span-2026-11-24[2]: IndexShardSnapshotFailedException[disk full]".into()
            ],
        }
    );
    let req = fake.only();
    assert_eq!(req.method, Put);
    assert!(!req.idempotent);
    assert_eq!(req.query, pairs(&[("wait_for_completion", "true")]));
    assert_eq!(
        body(&req),
        json!({
            "indices": ["jaeger-span-2026-11-24", "jaeger-service-*"],
            "ignore_unavailable": false,
            "include_global_state": false,
            "metadata": {"taken_by": "tracectl"}
        })
    );
}

#[tokio::test]
async fn create_a_snapshot_in_the_background() {
    let (c, fake) = one(
        Put,
        "/_snapshot/s3-backups/nightly",
        json(200, r#"{"accepted": true}"#),
    );
    let started = c
        .create_snapshot("s3-backups", "nightly", &["jaeger-*"], false)
        .await
        .unwrap();
    assert_eq!(started, SnapshotStarted::Accepted);
    assert_eq!(
        fake.only().query,
        pairs(&[("wait_for_completion", "false")])
    );
    // Neither shape: a decode error, not a silent success.
    let (c, _) = one(Put, "/_snapshot/s3-backups/nightly", json(200, "{}"));
    let e = c
        .create_snapshot("s3-backups", "nightly", &["jaeger-*"], false)
        .await
        .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Decode { .. }), "{e:?}");
}

#[tokio::test]
async fn get_snapshots() {
    let (c, fake) = one(
        Get,
        "/_snapshot/s3-backups/jaeger-2026-11-25",
        json(
            200,
            &format!(r#"{{"snapshots":[{SNAPSHOT}],"total":1,"remaining":0}}"#),
        ),
    );
    let s = c
        .get_snapshot("s3-backups", "jaeger-2026-11-25")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.state, SnapshotState::Partial);
    let req = fake.only();
    assert_eq!(req.method, Get);
    assert!(req.query.is_empty());

    // Elasticsearch 7.x's multi-repository shape.
    let (c, _) = one(
        Get,
        "/_snapshot/s3-backups/jaeger-2026-11-25",
        json(
            200,
            &format!(r#"{{"responses":[{{"repository":"s3-backups","snapshots":[{SNAPSHOT}]}}]}}"#),
        ),
    );
    let s = c
        .get_snapshot("s3-backups", "jaeger-2026-11-25")
        .await
        .unwrap();
    assert_eq!(s.unwrap().uuid, "Zx81mQ3kT0uYv2LpOa9JwQ");

    let missing = r#"{"error":{"root_cause":[{"type":"snapshot_missing_exception","reason":"[s3-backups:nope] is missing"}],"type":"snapshot_missing_exception","reason":"[s3-backups:nope] is missing"},"status":404}"#;
    let (c, _) = one(Get, "/_snapshot/s3-backups/nope", json(404, missing));
    assert_eq!(c.get_snapshot("s3-backups", "nope").await.unwrap(), None);

    // A missing repository is a configuration error, not an absent snapshot.
    let no_repo = r#"{"error":{"root_cause":[{"type":"repository_missing_exception","reason":"[s3] missing"}],"type":"repository_missing_exception","reason":"[s3] missing"},"status":404}"#;
    let (c, _) = one(Get, "/_snapshot/s3/nope", json(404, no_repo));
    let e = c.get_snapshot("s3", "nope").await.unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "repository_missing_exception"),
        "{e:?}"
    );
}

#[tokio::test]
async fn restore_a_snapshot() {
    let answer = r#"{"snapshot":{"snapshot":"nightly","indices":["restored-jaeger-span-2026-11-24"],"shards":{"total":3,"failed":0,"successful":3}}}"#;
    let (c, fake) = one(
        Post,
        "/_snapshot/s3-backups/nightly/_restore",
        json(200, answer),
    );
    let opts = RestoreOptions {
        indices: vec!["jaeger-span-2026-11-24".into()],
        rename_pattern: Some("(.+)".into()),
        rename_replacement: Some("restored-$1".into()),
        include_aliases: false,
        wait_for_completion: true,
    };
    let r = c
        .restore_snapshot("s3-backups", "nightly", &opts)
        .await
        .unwrap();
    assert_eq!(
        r,
        Restored::Completed {
            snapshot: "nightly".into(),
            indices: vec!["restored-jaeger-span-2026-11-24".into()],
            shards: Shards {
                total: 3,
                successful: 3,
                skipped: 0,
                failed: 0
            },
        }
    );
    let req = fake.only();
    assert_eq!(req.method, Post);
    assert!(!req.idempotent);
    assert_eq!(req.query, pairs(&[("wait_for_completion", "true")]));
    assert_eq!(
        body(&req),
        json!({
            "indices": ["jaeger-span-2026-11-24"],
            "ignore_unavailable": false,
            "include_global_state": false,
            "include_aliases": false,
            "rename_pattern": "(.+)",
            "rename_replacement": "restored-$1"
        })
    );

    let (c, fake) = one(
        Post,
        "/_snapshot/s3-backups/nightly/_restore",
        json(200, r#"{"accepted":true}"#),
    );
    let opts = RestoreOptions {
        rename_pattern: None,
        rename_replacement: None,
        wait_for_completion: false,
        ..opts
    };
    let r = c
        .restore_snapshot("s3-backups", "nightly", &opts)
        .await
        .unwrap();
    assert_eq!(r, Restored::Accepted);
    let req = fake.only();
    assert_eq!(req.query, pairs(&[("wait_for_completion", "false")]));
    assert!(body(&req).get("rename_pattern").is_none());
}
