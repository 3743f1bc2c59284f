//! The read calls: request shape (method, path, query, body) and decoding.

use serde_json::json;

use super::*;
use crate::backends::elasticsearch::*;
use crate::transport::Method::{Get, Post};

/// Elasticsearch's `GET /_cluster/health` (spec example `ClusterHealthResponseExample1`).
const ES_HEALTH: &str = r#"{
  "cluster_name" : "jaeger-prod",
  "status" : "yellow",
  "timed_out" : false,
  "number_of_nodes" : 3,
  "number_of_data_nodes" : 3,
  "active_primary_shards" : 42,
  "active_shards" : 80,
  "relocating_shards" : 1,
  "initializing_shards" : 2,
  "unassigned_shards" : 4,
  "delayed_unassigned_shards": 0,
  "number_of_pending_tasks" : 5,
  "number_of_in_flight_fetch": 0,
  "task_max_waiting_in_queue_millis": 1250,
  "active_shards_percent_as_number": 93.02325581395348
}"#;

/// OpenSearch's: the same, plus `discovered_master` and `discovered_cluster_manager`.
const OS_HEALTH: &str = r#"{
  "cluster_name" : "jaeger-os",
  "status" : "red",
  "timed_out" : false,
  "number_of_nodes" : 2,
  "number_of_data_nodes" : 2,
  "discovered_master" : true,
  "discovered_cluster_manager" : true,
  "active_primary_shards" : 20,
  "active_shards" : 38,
  "relocating_shards" : 0,
  "initializing_shards" : 0,
  "unassigned_shards" : 3,
  "delayed_unassigned_shards" : 0,
  "number_of_pending_tasks" : 0,
  "number_of_in_flight_fetch" : 0,
  "task_max_waiting_in_queue_millis" : 0,
  "active_shards_percent_as_number" : 92.6829268292683
}"#;

#[tokio::test]
async fn cluster_health_elasticsearch() {
    let (c, fake) = one(Get, "/_cluster/health", json(200, ES_HEALTH));
    let h = c.cluster_health().await.unwrap();
    assert_eq!(
        h,
        ClusterHealth {
            cluster_name: "jaeger-prod".into(),
            status: Health::Yellow,
            timed_out: false,
            number_of_nodes: 3,
            number_of_data_nodes: 3,
            active_primary_shards: 42,
            active_shards: 80,
            relocating_shards: 1,
            initializing_shards: 2,
            unassigned_shards: 4,
            delayed_unassigned_shards: 0,
            number_of_pending_tasks: 5,
            task_max_waiting_in_queue_millis: 1250,
            active_shards_percent: 93.02325581395348,
        }
    );
    let req = fake.only();
    assert_eq!(req.method, Get);
    assert_eq!(req.path, "/_cluster/health");
    assert!(req.query.is_empty());
    assert!(req.body.is_none());
    assert!(req.idempotent);
}

#[tokio::test]
async fn cluster_health_opensearch() {
    let (c, _) = one(Get, "/_cluster/health", json(200, OS_HEALTH));
    let h = c.cluster_health().await.unwrap();
    assert_eq!(h.status, Health::Red);
    assert_eq!(h.cluster_name, "jaeger-os");
    assert_eq!(h.unassigned_shards, 3);
    assert_eq!(h.number_of_pending_tasks, 0);
}

#[tokio::test]
async fn cluster_health_needs_a_status() {
    let (c, _) = one(Get, "/_cluster/health", json(200, r#"{"ok":true}"#));
    let e = c.cluster_health().await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Decode { .. }), "{e:?}");
    let (c, _) = one(
        Get,
        "/_cluster/health",
        json(200, r#"{"status":"purple","cluster_name":"x"}"#),
    );
    let h = c.cluster_health().await.unwrap();
    assert_eq!(h.status, Health::Unknown("purple".into()));
    assert_eq!(h.active_shards, 0);
}

const CAT_INDICES: &str = "/_cat/indices/jaeger-span-*";
const SETTINGS: &str = "/jaeger-span-*/_settings/index.blocks.*";

/// `_cat/indices?format=json&bytes=b&h=...`: only the asked columns, every value a string; a
/// closed index has `null` counts.
const CAT_ROWS: &str = r#"[
  {"index":"jaeger-span-2026-11-25","health":"yellow","status":"open","docs.count":"18233411","store.size":"9876543210","creation.date":"1795564800123"},
  {"index":"jaeger-span-2026-11-24","health":"green","status":"open","docs.count":"20111002","store.size":"11000000000","creation.date":"1795478400000"},
  {"index":"jaeger-span-2026-11-01","health":"green","status":"close","docs.count":null,"store.size":null,"creation.date":"1793491200000"}
]"#;

/// `GET /{p}/_settings/index.blocks.*?flat_settings=true`: an index without blocks has empty
/// settings; a closed one (not expanded by default) is absent.
const BLOCKS: &str = r#"{
  "jaeger-span-2026-11-25":{"settings":{"index.blocks.read_only_allow_delete":"true"}},
  "jaeger-span-2026-11-24":{"settings":{"index.blocks.write":"true","index.blocks.read_only_allow_delete":"false"}}
}"#;

#[tokio::test]
async fn indices_with_their_blocks() {
    let (c, fake) = client(vec![
        (Get, CAT_INDICES, json(200, CAT_ROWS)),
        (Get, SETTINGS, json(200, BLOCKS)),
    ]);
    let idx = c.indices("jaeger-span-*").await.unwrap();
    let names: Vec<&str> = idx.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "jaeger-span-2026-11-01",
            "jaeger-span-2026-11-24",
            "jaeger-span-2026-11-25"
        ]
    );
    assert_eq!(
        idx[2],
        IndexInfo {
            name: "jaeger-span-2026-11-25".into(),
            health: Health::Yellow,
            status: IndexStatus::Open,
            docs_count: Some(18_233_411),
            store_size_bytes: Some(9_876_543_210),
            creation_date: Some(ts("2026-11-25T00:00:00.123Z")),
            read_only_allow_delete: true,
            blocks: vec!["read_only_allow_delete".into()],
        }
    );
    assert!(!idx[1].read_only_allow_delete);
    assert_eq!(idx[1].blocks, ["write"]);
    assert_eq!(idx[0].status, IndexStatus::Close);
    assert_eq!((idx[0].docs_count, idx[0].store_size_bytes), (None, None));
    assert!(idx[0].blocks.is_empty());

    let seen = fake.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].method, seen[0].path.as_str()), (Get, CAT_INDICES));
    assert_eq!(
        seen[0].query,
        pairs(&[
            ("format", "json"),
            ("bytes", "b"),
            (
                "h",
                "index,health,status,docs.count,store.size,creation.date"
            ),
        ])
    );
    assert_eq!((seen[1].method, seen[1].path.as_str()), (Get, SETTINGS));
    assert_eq!(seen[1].query, pairs(&[("flat_settings", "true")]));
    // The wildcard reaches the URL as typed.
    assert_eq!(
        seen[0].url().as_str(),
        "https://es.example:9200/_cat/indices/jaeger-span-*?format=json&bytes=b&h=index%2Chealth%2Cstatus%2Cdocs.count%2Cstore.size%2Ccreation.date"
    );
}

#[tokio::test]
async fn indices_tolerate_extra_columns_and_human_sizes() {
    // All default columns (spec example `CatIndicesResponseExample1`), as if `h`/`bytes` were
    // dropped by a proxy: a size that is not a number is unknown, not a wrong number.
    let rows = r#"[{"health":"green","status":"open","index":"jaeger-service-2026-11-25","uuid":"q1w2e3r4t5y6u7i8o9p0aa ","pri":"1","rep":"1","docs.count":"312","docs.deleted":"0","store.size":"88.1kb","pri.store.size":"44kb","dataset.size":"44kb"}]"#;
    let (c, _) = client(vec![
        (Get, "/_cat/indices/jaeger-service-*", json(200, rows)),
        (
            Get,
            "/jaeger-service-*/_settings/index.blocks.*",
            json(200, "{}"),
        ),
    ]);
    let idx = c.indices("jaeger-service-*").await.unwrap();
    assert_eq!(idx.len(), 1);
    assert_eq!(idx[0].docs_count, Some(312));
    assert_eq!(idx[0].store_size_bytes, None);
    assert_eq!(idx[0].creation_date, None);
    assert!(!idx[0].read_only_allow_delete);
}

#[tokio::test]
async fn no_matching_index_is_an_empty_list() {
    // A wildcard matching nothing: `[]`, and no settings request.
    let (c, fake) = one(Get, CAT_INDICES, json(200, "[]"));
    assert!(c.indices("jaeger-span-*").await.unwrap().is_empty());
    assert_eq!(fake.requests().len(), 1);
    // A concrete name that does not exist: 404 index_not_found_exception.
    let missing = r#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [jaeger-span-2026-11-26]","index":"jaeger-span-2026-11-26","resource.id":"jaeger-span-2026-11-26","resource.type":"index_or_alias","index_uuid":"_na_"}],"type":"index_not_found_exception","reason":"no such index [jaeger-span-2026-11-26]","index":"jaeger-span-2026-11-26","resource.id":"jaeger-span-2026-11-26","resource.type":"index_or_alias","index_uuid":"_na_"},"status":404}"#;
    let (c, _) = one(
        Get,
        "/_cat/indices/jaeger-span-2026-11-26",
        json(404, missing),
    );
    assert!(
        c.indices("jaeger-span-2026-11-26")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn index_lists_keep_their_commas() {
    let (c, fake) = one(Get, "/_cat/indices/a-*,b-*", json(200, "[]"));
    c.indices("a-*,b-*").await.unwrap();
    assert_eq!(fake.only().path, "/_cat/indices/a-*,b-*");
}

#[tokio::test]
async fn write_thread_pools() {
    let rows = r#"[
      {"node_name":"es-data-1","name":"write","active":"8","queue":"200","rejected":"1532"},
      {"node_name":"es-data-0","name":"write","active":"2","queue":"0","rejected":"0"}
    ]"#;
    let (c, fake) = one(Get, "/_cat/thread_pool/write", json(200, rows));
    let pools = c.write_rejections().await.unwrap();
    assert_eq!(
        pools,
        [
            ThreadPoolStats {
                node: "es-data-0".into(),
                pool: "write".into(),
                active: 2,
                queue: 0,
                rejected: 0
            },
            ThreadPoolStats {
                node: "es-data-1".into(),
                pool: "write".into(),
                active: 8,
                queue: 200,
                rejected: 1532
            },
        ]
    );
    let req = fake.only();
    assert_eq!(req.method, Get);
    assert_eq!(
        req.query,
        pairs(&[
            ("format", "json"),
            ("h", "node_name,name,active,queue,rejected")
        ])
    );
}

/// Elasticsearch 8's `_cat/allocation` columns, with the `UNASSIGNED` row.
const ALLOCATION: &str = r#"[
  {"shards":"41","shards.undesired":"0","write_load.forecast":"0.0","disk.indices.forecast":"96636764160","disk.indices":"96636764160","disk.used":"102005473280","disk.avail":"5368709120","disk.total":"107374182400","disk.percent":"95","host":"10.0.0.11","ip":"10.0.0.11","node":"es-data-1","node.role":"cdfhilmrstw"},
  {"shards":"39","shards.undesired":"0","write_load.forecast":"0.0","disk.indices.forecast":"53687091200","disk.indices":"53687091200","disk.used":"64424509440","disk.avail":"42949672960","disk.total":"107374182400","disk.percent":"60","host":"10.0.0.10","ip":"10.0.0.10","node":"es-data-0","node.role":"cdfhilmrstw"},
  {"shards":"4","shards.undesired":null,"write_load.forecast":null,"disk.indices.forecast":null,"disk.indices":null,"disk.used":null,"disk.avail":null,"disk.total":null,"disk.percent":null,"host":null,"ip":null,"node":"UNASSIGNED","node.role":null}
]"#;

/// `filter_path` leaves out the sections nothing matched (here `transient`). The flood stage was
/// set explicitly, so its default headroom shows as `-1`.
const WATERMARKS: &str = r#"{
  "persistent":{"cluster.routing.allocation.disk.watermark.flood_stage":"97%"},
  "defaults":{
    "cluster.routing.allocation.disk.watermark.flood_stage.frozen.max_headroom":"20GB",
    "cluster.routing.allocation.disk.watermark.flood_stage":"95%",
    "cluster.routing.allocation.disk.watermark.high":"90%",
    "cluster.routing.allocation.disk.watermark.low":"85%",
    "cluster.routing.allocation.disk.watermark.flood_stage.frozen":"95%",
    "cluster.routing.allocation.disk.watermark.flood_stage.max_headroom":"-1",
    "cluster.routing.allocation.disk.watermark.low.max_headroom":"200GB",
    "cluster.routing.allocation.disk.watermark.high.max_headroom":"150GB",
    "cluster.routing.allocation.disk.watermark.enable_for_single_data_node":"true"
  }
}"#;

#[tokio::test]
async fn disk_usage_and_watermarks() {
    let (c, fake) = client(vec![
        (Get, "/_cat/allocation", json(200, ALLOCATION)),
        (Get, "/_cluster/settings", json(200, WATERMARKS)),
    ]);
    let d = c.disk_usage().await.unwrap();
    assert_eq!(d.unassigned_shards, 4);
    assert_eq!(d.nodes.len(), 2);
    assert_eq!(
        d.nodes[1],
        NodeDisk {
            node: "es-data-1".into(),
            host: Some("10.0.0.11".into()),
            ip: Some("10.0.0.11".into()),
            shards: Some(41),
            indices_bytes: Some(96_636_764_160),
            used_bytes: Some(102_005_473_280),
            available_bytes: Some(5_368_709_120),
            total_bytes: Some(107_374_182_400),
            percent: Some(95.0),
        }
    );
    let gb = 1u64 << 30;
    let flood = d.watermarks.flood_stage.clone().unwrap();
    assert_eq!(flood.raw, "97%", "persistent overrides the default");
    assert_eq!(flood.max_headroom_bytes, None);
    assert_eq!(
        d.watermarks.low.as_ref().unwrap().max_headroom_bytes,
        Some(200 * gb)
    );
    assert_eq!(
        d.watermarks.high.as_ref().unwrap().threshold,
        Watermark::UsedRatio(0.9)
    );
    // 5 GiB free of 100 GiB is past 90% but not past 97%.
    let high = d.watermarks.high.as_ref().unwrap();
    assert_eq!(d.nodes[1].exceeds(high), Some(true));
    assert_eq!(d.nodes[1].exceeds(&flood), Some(false));
    assert_eq!(d.nodes[0].exceeds(high), Some(false));

    let seen = fake.requests();
    assert_eq!(seen[0].path, "/_cat/allocation");
    assert_eq!(seen[0].query, pairs(&[("format", "json"), ("bytes", "b")]));
    assert_eq!(seen[1].path, "/_cluster/settings");
    assert_eq!(
        seen[1].query,
        pairs(&[
            ("include_defaults", "true"),
            ("flat_settings", "true"),
            (
                "filter_path",
                "*.cluster.routing.allocation.disk.watermark*"
            ),
        ])
    );
}

#[tokio::test]
async fn watermarks_nested_and_transient() {
    // Without flat settings the same values come nested, down to dotted leaves; transient wins.
    let nested = r#"{"transient":{"cluster":{"routing":{"allocation":{"disk":{"watermark":{"low":"50gb","high":"20gb","flood_stage":"10gb"}}}}}},
      "defaults":{"cluster":{"routing":{"allocation":{"disk":{"watermark":{"flood_stage.max_headroom":"100GB","flood_stage":"95%","high":"90%","low":"85%"}}}}}}}"#;
    let (c, _) = client(vec![
        (Get, "/_cat/allocation", json(200, "[]")),
        (Get, "/_cluster/settings", json(200, nested)),
    ]);
    let d = c.disk_usage().await.unwrap();
    assert!(d.nodes.is_empty());
    let flood = d.watermarks.flood_stage.unwrap();
    assert_eq!(flood.threshold, Watermark::FreeBytes(10 << 30));
    // `settings` says nothing the filter did not match: no watermarks, not invented ones.
    let (c, _) = client(vec![
        (Get, "/_cat/allocation", json(200, "[]")),
        (Get, "/_cluster/settings", json(200, "{}")),
    ]);
    assert_eq!(
        c.disk_usage().await.unwrap().watermarks,
        Watermarks::default()
    );
}

#[tokio::test]
async fn count_of_a_services_spans() {
    let (c, fake) = one(
        Post,
        "/jaeger-span-*/_count",
        json(
            200,
            r#"{"count":1532,"_shards":{"total":6,"successful":5,"skipped":0,"failed":1}}"#,
        ),
    );
    let n = c
        .count(
            "jaeger-span-*",
            r#"check"out\"#,
            ts("2026-11-25T09:00:00Z"),
            ts("2026-11-25T10:00:00.5Z"),
        )
        .await
        .unwrap();
    assert_eq!(n.count, 1532);
    assert_eq!(n.shards.failed, 1);
    let req = fake.only();
    assert_eq!(req.method, Post);
    assert_eq!(req.path, "/jaeger-span-*/_count");
    assert!(req.query.is_empty());
    assert!(req.idempotent, "a read-only POST is retried");
    assert_eq!(content_type(&req), Some("application/json"));
    assert_eq!(
        body(&req),
        json!({"query":{"bool":{"filter":[
            {"term":{"process.serviceName":"check\"out\\"}},
            {"range":{"startTimeMillis":{"gte":1795597200000i64,"lt":1795600800500i64,"format":"epoch_millis"}}}
        ]}}})
    );
    // The service name is escaped by the JSON encoder, not spliced.
    let raw = String::from_utf8(req.body.unwrap().to_vec()).unwrap();
    assert!(raw.contains(r#""check\"out\\""#), "{raw}");
}

/// A `size: 0` search with the aggregation: hits are empty, `aggregations` carries the answer.
const OPERATIONS: &str = r#"{"took":38,"timed_out":false,
 "_shards":{"total":2,"successful":2,"skipped":0,"failed":0},
 "hits":{"total":{"value":10000,"relation":"gte"},"max_score":null,"hits":[]},
 "aggregations":{"operations":{"doc_count_error_upper_bound":0,"sum_other_doc_count":17,"buckets":[
   {"key":"GET /cart","doc_count":9120,"duration":{"values":{"95.0":20311.0}}},
   {"key":"POST /order","doc_count":4211,"duration":{"values":{"95.0":183422.5}}},
   {"key":"/health","doc_count":4211,"duration":{"values":{"95.0":null}}}
 ]}}}"#;

#[tokio::test]
async fn operation_statistics_are_pushed_down() {
    let (c, fake) = one(Post, "/jaeger-span-*/_search", json(200, OPERATIONS));
    let r = c
        .operation_stats(
            "jaeger-span-*",
            "checkout",
            ts("2026-11-25T09:00:00Z"),
            ts("2026-11-25T10:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        r.operations,
        [
            OperationStats {
                operation: "GET /cart".into(),
                spans: 9120,
                p95_duration_us: Some(20311.0)
            },
            OperationStats {
                operation: "/health".into(),
                spans: 4211,
                p95_duration_us: None
            },
            OperationStats {
                operation: "POST /order".into(),
                spans: 4211,
                p95_duration_us: Some(183422.5)
            },
        ]
    );
    assert_eq!(r.other_spans, 17);
    assert!(!r.timed_out);
    assert_eq!(r.shards.total, 2);
    let req = fake.only();
    assert_eq!(
        (req.method, req.path.as_str()),
        (Post, "/jaeger-span-*/_search")
    );
    assert!(req.query.is_empty());
    assert!(req.idempotent);
    assert_eq!(
        body(&req),
        json!({
            "size": 0,
            "query": {"bool":{"filter":[
                {"term":{"process.serviceName":"checkout"}},
                {"range":{"startTimeMillis":{"gte":1795597200000i64,"lt":1795600800000i64,"format":"epoch_millis"}}}
            ]}},
            "aggs": {"operations": {
                "terms": {"field": "operationName", "size": 1000},
                "aggs": {"duration": {"percentiles": {"field": "duration", "percents": [95]}}}
            }}
        })
    );
}

#[tokio::test]
async fn operation_statistics_unkeyed_and_empty() {
    // `keyed: false` percentiles, and a search over no index at all (no `aggregations`).
    let unkeyed = r#"{"timed_out":true,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
      "aggregations":{"operations":{"sum_other_doc_count":0,"buckets":[
        {"key":"charge","doc_count":3,"duration":{"values":[{"key":95.0,"value":1200.0}]}}]}}}"#;
    let (c, _) = one(Post, "/jaeger-span-*/_search", json(200, unkeyed));
    let t = ts("2026-11-25T10:00:00Z");
    let r = c.operation_stats("jaeger-span-*", "p", t, t).await.unwrap();
    assert!(r.timed_out);
    assert_eq!(r.operations[0].p95_duration_us, Some(1200.0));
    let none = r#"{"took":0,"timed_out":false,"_shards":{"total":0,"successful":0,"skipped":0,"failed":0},"hits":{"total":{"value":0,"relation":"eq"},"max_score":0.0,"hits":[]}}"#;
    let (c, _) = one(Post, "/jaeger-span-*/_search", json(200, none));
    let r = c.operation_stats("jaeger-span-*", "p", t, t).await.unwrap();
    assert!(r.operations.is_empty());
    assert_eq!(r.shards, Shards::default());
}

/// Issue #17: through the API server's service proxy a POST is `create` on `services/proxy`,
/// which the read-only role lacks: the count goes as a GET with its body in `?source=`, until
/// the request line would pass Elasticsearch's 4 KiB; then it is a POST again.
#[tokio::test]
async fn through_the_service_proxy_a_count_is_a_get_with_its_body_in_the_url() {
    let answer = r#"{"count":7,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"#;
    let (c, fake) = client(vec![
        (Get, "/jaeger-span-*/_count", json(200, answer)),
        (Post, "/jaeger-span-*/_count", json(200, answer)),
    ]);
    let mut ep = c.endpoint().clone();
    ep.base = url::Url::parse(
        "https://k8s.example:6443/api/v1/namespaces/monitoring/services/es:9200/proxy/",
    )
    .unwrap();
    let c = ElasticsearchClient::new(ep);
    let (start, end) = (ts("2026-11-25T09:00:00Z"), ts("2026-11-25T10:00:00Z"));
    assert_eq!(
        c.count("jaeger-span-*", "checkout", start, end)
            .await
            .unwrap()
            .count,
        7
    );
    let req = fake.only();
    assert_eq!(req.method, Get);
    assert!(req.body.is_none());
    assert!(req.idempotent);
    let q: std::collections::BTreeMap<_, _> = req.query.iter().cloned().collect();
    assert_eq!(q["source_content_type"], "application/json");
    let sent: serde_json::Value = serde_json::from_str(&q["source"]).unwrap();
    assert_eq!(
        sent["query"]["bool"]["filter"][0]["term"]["process.serviceName"],
        "checkout"
    );
    // A service name long enough to pass the request line's 4 KiB: a POST.
    let long = "s".repeat(4000);
    c.count("jaeger-span-*", &long, start, end).await.unwrap();
    let last = fake.requests().pop().unwrap();
    assert_eq!(last.method, Post);
    assert!(last.query.is_empty());
}
