//! Error bodies from Elasticsearch, OpenSearch and what sits in front of them, and input refused
//! before anything is sent.

use super::*;
use crate::backends::elasticsearch::RestoreOptions;

use crate::transport::Method::{Delete, Get, Post};

async fn health_error(resp: Response) -> ErrorKind {
    let (c, _) = one(Get, "/_cluster/health", resp);
    c.cluster_health().await.unwrap_err().kind
}

#[tokio::test]
async fn elasticsearch_401_is_forbidden_with_the_reason() {
    // Elastic Cloud's answer without credentials: `header` inside the error object is ignored.
    let body = r#"{"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/_cluster/health]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","Bearer realm=\"security\"","ApiKey"]}}],"type":"security_exception","reason":"missing authentication credentials for REST request [/_cluster/health]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","Bearer realm=\"security\"","ApiKey"]}},"status":401}"#;
    assert_eq!(
        health_error(json(401, body)).await,
        ErrorKind::Forbidden {
            code: 401,
            message: "missing authentication credentials for REST request [/_cluster/health]"
                .into()
        }
    );
}

#[tokio::test]
async fn opensearch_403_and_plain_401() {
    let body = r#"{
  "error" : {
    "root_cause" : [
      {
        "type" : "security_exception",
        "reason" : "no permissions for [cluster:monitor/health] and User [name=tracectl, backend_roles=[], requestedTenant=null]"
      }
    ],
    "type" : "security_exception",
    "reason" : "no permissions for [cluster:monitor/health] and User [name=tracectl, backend_roles=[], requestedTenant=null]"
  },
  "status" : 403
}"#;
    let kind = health_error(json(403, body)).await;
    assert!(
        matches!(&kind, ErrorKind::Forbidden { code: 403, message } if message.starts_with("no permissions for [cluster:monitor/health]")),
        "{kind:?}"
    );
    // The OpenSearch security plugin answers a request without credentials in plain text.
    assert_eq!(
        health_error(text(401, "Unauthorized")).await,
        ErrorKind::Forbidden {
            code: 401,
            message: "Unauthorized".into()
        }
    );
    // AWS' managed OpenSearch gateway.
    let aws = r#"{"Message":"User: anonymous is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action"}"#;
    let kind = health_error(json(403, aws)).await;
    assert!(
        matches!(&kind, ErrorKind::Forbidden { code: 403, message } if message.starts_with("User: anonymous")),
        "{kind:?}"
    );
}

#[tokio::test]
async fn api_errors_keep_their_type() {
    let body = r#"{
  "error": {
    "root_cause": [
      { "type": "status_exception", "reason": "Cannot restore index [jaeger-span-2026-11-24] because an open index with same name already exists in the cluster." }
    ],
    "type": "status_exception",
    "reason": "Cannot restore index [jaeger-span-2026-11-24] because an open index with same name already exists in the cluster."
  },
  "status": 409
}"#;
    assert_eq!(
        health_error(json(409, body)).await,
        ErrorKind::Api {
            error_type: "status_exception".into(),
            message: "Cannot restore index [jaeger-span-2026-11-24] because an open index with same name already exists in the cluster.".into()
        }
    );
}

#[tokio::test]
async fn a_generic_reason_shows_its_root_cause() {
    let body = r#"{"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: For input string: \"abc\"","index_uuid":"x","index":"jaeger-span-2026-11-25"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,"failed_shards":[]},"status":400}"#;
    let (c, _) = one(Post, "/jaeger-span-*/_search", json(400, body));
    let t = ts("2026-11-25T10:00:00Z");
    let e = c
        .operation_stats("jaeger-span-*", "x", t, t)
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Api {
            error_type: "search_phase_execution_exception".into(),
            message: "all shards failed (root cause: query_shard_exception: failed to create query: For input string: \"abc\")".into()
        }
    );
}

#[tokio::test]
async fn index_not_found_is_a_404() {
    let body = r#"{
  "error" : {
    "root_cause" : [
      {
        "type" : "index_not_found_exception",
        "reason" : "no such index [jaeger-span-2026-11-26]",
        "index" : "jaeger-span-2026-11-26",
        "resource.id" : "jaeger-span-2026-11-26",
        "resource.type" : "index_or_alias",
        "index_uuid" : "_na_"
      }
    ],
    "type" : "index_not_found_exception",
    "reason" : "no such index [jaeger-span-2026-11-26]",
    "index" : "jaeger-span-2026-11-26",
    "resource.id" : "jaeger-span-2026-11-26",
    "resource.type" : "index_or_alias",
    "index_uuid" : "_na_"
  },
  "status" : 404
}"#;
    let (c, _) = one(Post, "/jaeger-span-2026-11-26/_count", json(404, body));
    let t = ts("2026-11-25T10:00:00Z");
    let e = c
        .count("jaeger-span-2026-11-26", "checkout", t, t)
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Status {
            code: 404,
            message: "index_not_found_exception: no such index [jaeger-span-2026-11-26]".into()
        }
    );
    let (c, _) = one(Delete, "/jaeger-span-2026-11-26", json(404, body));
    let e = c.delete_index("jaeger-span-2026-11-26").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Status { code: 404, .. }));
}

#[tokio::test]
async fn other_error_shapes() {
    // An unknown endpoint: `error` is a bare string.
    assert_eq!(
        health_error(json(
            400,
            r#"{"error":"no handler found for uri [/_cluster/health] and method [GET]"}"#
        ))
        .await,
        ErrorKind::Status {
            code: 400,
            message: "no handler found for uri [/_cluster/health] and method [GET]".into()
        }
    );
    // Rejected under load: typed, so a caller can tell it from a broken query.
    let busy = r#"{"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"}],"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"},"status":429}"#;
    assert!(matches!(
        health_error(json(429, busy)).await,
        ErrorKind::Api { error_type, .. } if error_type == "es_rejected_execution_exception"
    ));
    // A long reason is cut to one line.
    let long = format!(
        r#"{{"error":{{"type":"mapper_parsing_exception","reason":"{}"}},"status":400}}"#,
        "x".repeat(1000)
    );
    let ErrorKind::Api { message, .. } = health_error(json(400, &long)).await else {
        panic!()
    };
    assert_eq!(message.chars().count(), 301);
}

#[tokio::test]
async fn proxies_are_not_elasticsearch() {
    // A login page answering 200: a decode error ("is this really elasticsearch?").
    let page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>…</body></html>";
    let kind = health_error(respond(200, "text/html", page)).await;
    assert!(
        matches!(&kind, ErrorKind::Decode { reason } if reason.contains("HTML")),
        "{kind:?}"
    );
    // A gateway's error page: its status is what went wrong.
    let kind = health_error(respond(
        502,
        "text/html",
        "<html><body>502 Bad Gateway</body></html>",
    ))
    .await;
    assert!(
        matches!(&kind, ErrorKind::Status { code: 502, message } if message.contains("HTML")),
        "{kind:?}"
    );
    // An auth proxy's HTML 403 is still "not authorized".
    let kind = health_error(respond(403, "text/html", "<html>Forbidden</html>")).await;
    assert!(
        matches!(kind, ErrorKind::Forbidden { code: 403, .. }),
        "{kind:?}"
    );
    // Some other JSON, on success: a decode error, not an empty answer.
    let (c, _) = one(
        Get,
        "/_cat/thread_pool/write",
        json(200, r#"{"status":"ok"}"#),
    );
    let e = c.write_rejections().await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Decode { .. }), "{e:?}");
}

fn refused(e: &crate::transport::BackendError) -> bool {
    matches!(&e.kind, ErrorKind::Api { error_type, message }
        if error_type == "invalid_argument" && message.ends_with("nothing was sent"))
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (c, fake) = client(vec![]);
    let t = ts("2026-11-25T10:00:00Z");
    for bad in [
        "../_cluster",
        "Jaeger-*",
        "jaeger span",
        "_all",
        "-jaeger-*",
        "a?b",
    ] {
        assert!(refused(&c.indices(bad).await.unwrap_err()), "{bad}");
        assert!(
            refused(&c.count(bad, "s", t, t).await.unwrap_err()),
            "{bad}"
        );
        assert!(refused(&c.clear_read_only(bad).await.unwrap_err()), "{bad}");
    }
    // Destructive calls take one concrete name: `%2A` would be decoded back into a wildcard.
    for bad in ["jaeger-*", "*", "a,b", "jaeger-span-2026-11-25/", ".."] {
        assert!(refused(&c.delete_index(bad).await.unwrap_err()), "{bad}");
    }
    assert!(refused(
        &c.forcemerge("jaeger-span-2026-11-25", 0).await.unwrap_err()
    ));
    assert!(refused(&c.get_index_template("*").await.unwrap_err()));
    assert!(refused(&c.get_snapshot("s3", "snap*").await.unwrap_err()));
    assert!(refused(&c.get_snapshot("s3/..", "snap").await.unwrap_err()));
    let none: [&str; 0] = [];
    assert!(refused(
        &c.create_snapshot("s3", "snap", &none, true)
            .await
            .unwrap_err()
    ));
    let opts = RestoreOptions {
        indices: vec![],
        rename_pattern: None,
        rename_replacement: None,
        include_aliases: false,
        wait_for_completion: false,
    };
    assert!(refused(
        &c.restore_snapshot("s3", "snap", &opts).await.unwrap_err()
    ));
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn names_are_escaped_in_paths() {
    // Validation allows non-ASCII; the path still carries it escaped, not raw.
    let (c, fake) = one(
        Get,
        "/_snapshot/S3-Backups/n%C3%A4chtlich",
        json(200, r#"{"snapshots":[]}"#),
    );
    assert_eq!(
        c.get_snapshot("S3-Backups", "nächtlich").await.unwrap(),
        None
    );
    assert_eq!(fake.only().path, "/_snapshot/S3-Backups/n%C3%A4chtlich");
}
