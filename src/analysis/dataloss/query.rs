//! The reverse loss: spans of a service that are in storage but that the Jaeger query service does
//! not find (`query_mismatch`), with the likely cause named from the index names the cluster holds
//! (another prefix, another date layout, rollover aliases) and, failing those, the UTC day
//! boundary. Pure; tests in `tests.rs`.

use super::storage::{es_evidence, layout, names};
use super::{QueryPathEvidence, StorageEvidence};
use crate::model::storage::{
    IndexInfo, JaegerIndex, jaeger_index_name, jaeger_index_pattern, parse_jaeger_index,
};
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

/// Spans the query service cannot find: their count in storage against a Jaeger search.
pub(super) fn query_mismatch(q: &QueryPathEvidence, s: &StorageEvidence) -> Vec<Finding> {
    if q.es_count == 0 || q.jaeger_traces > 0 {
        return Vec::new();
    }
    let svc = q.service.as_str();
    let mut causes: Vec<String> = Vec::new();
    if let Some(indices) = &s.indices {
        let l = layout(indices, s.prefix.as_deref());
        let other_prefix: Vec<&IndexInfo> = l
            .other
            .iter()
            .filter(|i| parse_jaeger_index(&i.name).is_some())
            .copied()
            .collect();
        let other_layout: Vec<&IndexInfo> = l
            .other
            .iter()
            .filter(|i| parse_jaeger_index(&i.name).is_none())
            .copied()
            .collect();
        if !other_prefix.is_empty() {
            causes.push(format!(
                "index prefix: spans are in {} while the query service reads {} \
                 (es.index-prefix must match on the collector and the query service)",
                names(&other_prefix, 2),
                jaeger_index_pattern(s.prefix.as_deref(), JaegerIndex::Span)
            ));
        }
        if !other_layout.is_empty() {
            causes.push(format!(
                "date layout: {} does not follow {} (es.index-date-separator differs between \
                 writer and reader)",
                names(&other_layout, 2),
                jaeger_index_name(
                    s.prefix.as_deref(),
                    JaegerIndex::Span,
                    jiff::civil::date(2026, 1, 31)
                )
                .replace("2026-01-31", "YYYY-MM-DD")
            ));
        }
        if !l.rollover.is_empty() {
            causes.push(format!(
                "read alias: the writer uses rollover indices ({}); the query service must read \
                 through the read alias (es.use-aliases=true on both)",
                names(&l.rollover, 2)
            ));
        }
    }
    causes.push(
        "time zone: Jaeger names daily indices by the UTC day; a reader (or a template) on local \
         time looks in the wrong day's index near midnight"
            .into(),
    );
    let mut detail = format!(
        "The data is not lost, only unreachable. Likely cause: {}.",
        causes[0]
    );
    if causes.len() > 1 {
        detail.push_str(&format!(" Also possible: {}.", causes[1..].join("; ")));
    }
    vec![
        Finding::new(
            "query_mismatch",
            Severity::Critical,
            0.85,
            Subject::service(svc).with_dependency("jaeger"),
            format!(
                "{} spans of {svc} are in Elasticsearch, but Jaeger finds no trace of it",
                q.es_count
            ),
        )
        .detail(detail)
        .evidence(es_evidence(q.es_query.clone(), q.es_count.to_string()))
        .evidence(Evidence {
            source: "jaeger".into(),
            query: Some(q.jaeger_query.clone()),
            value: Some(format!("{} traces", q.jaeger_traces)),
            ..Default::default()
        })
        .remediation(remedy("query_mismatch", "settings", &[]))
        .remediation(remedy(
            "query_mismatch",
            "indices",
            // The service goes into JSON inside single quotes; |sq keeps a ' in it shell-safe.
            &[
                ("service", svc),
                ("url", s.url.trim_end_matches('/')),
                ("service_json", &serde_json::Value::from(svc).to_string()),
            ],
        )),
    ]
}
