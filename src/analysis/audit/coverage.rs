//! Instrumentation coverage (guide 2.1.1 "validate auto-instrumentation coverage", 2.1.2): services
//! the dependency graph or the metrics know but no trace shows; services with spans but no entry
//! point (no server or consumer span) although they are called or serve requests; operations the
//! metrics count that Jaeger has no span of. Tests: `tests/coverage.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::{AuditEvidence, AuditParams, CallGraph, Issue, span_counts};
use crate::analysis::common::prom;
use crate::model::trace::SpanKind;
use crate::report::{Evidence, Severity, Subject};
use crate::runbook::kinds::remedy;

fn metric_evidence(query: &str, value: String, p: &AuditParams) -> Evidence {
    let mut e = prom(query, value, 0.0);
    e.at = (!p.at.is_empty()).then(|| p.at.clone());
    e
}

/// Does Jaeger's operation `span` name the metrics' operation `metric` (`GET /orders/{id}` and
/// `/orders/{id}` from a route label)?
pub fn same_operation(span: &str, metric: &str) -> bool {
    span == metric
        || span
            .strip_suffix(metric)
            .is_some_and(|head| head.ends_with(' '))
}

pub fn detect(ev: &AuditEvidence, graph: &CallGraph, p: &AuditParams) -> Vec<Issue> {
    let counts = span_counts(&ev.traces, p);
    let known: BTreeSet<&str> = ev
        .jaeger_services
        .iter()
        .flatten()
        .map(String::as_str)
        .chain(counts.keys().copied())
        .collect();
    let traced = |s: &str| counts.contains_key(s);
    let mut out = Vec::new();

    // Services with traffic or callers and no trace.
    let mut unseen: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
    if let Some(m) = &ev.metrics {
        for (svc, n) in &m.services.rows {
            let searched_empty = ev.searched.get(svc) == Some(&0);
            if !traced(svc) && (!known.contains(svc.as_str()) || searched_empty) {
                unseen.entry(svc).or_default().push(metric_evidence(
                    &m.services.query,
                    format!("{n:.0} requests"),
                    p,
                ));
            }
        }
    }
    for d in ev.dependencies.iter().flatten() {
        for svc in [&d.parent, &d.child] {
            if !known.contains(svc.as_str()) {
                unseen.entry(svc).or_default().push(Evidence {
                    source: p.trace_source.clone(),
                    query: Some("GET /api/dependencies".into()),
                    value: Some(format!(
                        "{} → {}: {} calls",
                        d.parent, d.child, d.call_count
                    )),
                    at: (!p.at.is_empty()).then(|| p.at.clone()),
                    link: None,
                    via: None,
                });
            }
        }
    }
    for (svc, evidence) in unseen {
        let in_jaeger = known.contains(svc);
        let mut issue = Issue::new(
            "uninstrumented_service",
            Severity::Critical,
            Subject::service(svc),
            if in_jaeger {
                format!("{svc} serves requests but no trace of it is in the lookback")
            } else {
                format!("{svc} serves requests but sends no traces")
            },
            1.0,
        )
        .detail(
            "Every request through it is a gap in its callers' traces; its latency and errors \
             cannot be traced at all. (A service Jaeger knows but holds no trace of in the \
             lookback may also be sampled at 0.)",
        )
        .remediation(remedy(
            "uninstrumented_service",
            "instrument",
            &[("service", svc)],
        ));
        for e in evidence {
            issue = issue.evidence(e);
        }
        out.push(issue);
    }

    // Entry points per service.
    let mut entries: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &ev.traces {
        for s in p.spans(t) {
            let e = entries.entry(s.service.as_str()).or_insert(0);
            if matches!(s.kind, SpanKind::Server | SpanKind::Consumer) {
                *e += 1;
            }
        }
    }
    let served: BTreeSet<&str> = ev
        .metrics
        .iter()
        .flat_map(|m| m.services.rows.iter().map(|(s, _)| s.as_str()))
        .collect();
    for (svc, n) in &entries {
        let callers: Vec<&str> = graph.callers_of(svc).collect();
        if *n > 0 || (callers.is_empty() && !served.contains(svc)) {
            continue;
        }
        let spans = counts.get(svc).copied().unwrap_or(0);
        out.push(
            Issue::new(
                "missing_entry_points",
                Severity::Warning,
                Subject::service(svc),
                format!(
                    "{svc} has {spans} spans but no server or consumer span, although {} it",
                    if callers.is_empty() {
                        "the metrics show requests to".to_string()
                    } else {
                        format!(
                            "{} call{}",
                            callers.join(", "),
                            if callers.len() == 1 { "s" } else { "" }
                        )
                    }
                ),
                1.0,
            )
            .detail(
                "Without an entry span the service's work hangs off its caller's client span (or \
                 starts new traces), and its own latency and errors per endpoint are not measured.",
            )
            .evidence(p.jaeger(svc, format!("0 server/consumer spans of {spans}"), None))
            .remediation(remedy(
                "missing_entry_points",
                "instrument-server",
                &[("service", svc)],
            )),
        );
    }

    // Operations counted by the metrics with no span.
    if let Some(m) = &ev.metrics {
        let mut by_service: BTreeMap<&str, Vec<(&str, f64)>> = BTreeMap::new();
        for ((svc, op), n) in &m.operations.rows {
            if !op.is_empty() {
                by_service.entry(svc).or_default().push((op, *n));
            }
        }
        let mut sampled_ops: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for t in &ev.traces {
            for s in p.spans(t) {
                sampled_ops
                    .entry(s.service.as_str())
                    .or_default()
                    .insert(s.operation.as_str());
            }
        }
        for (svc, ops) in by_service {
            if !traced(svc) {
                continue;
            }
            let stored: BTreeSet<&str> = match ev.jaeger_operations.get(svc) {
                Some(list) => list.iter().map(String::as_str).collect(),
                None => sampled_ops.get(svc).cloned().unwrap_or_default(),
            };
            let missing: Vec<(&str, f64)> = ops
                .iter()
                .filter(|(op, _)| !stored.iter().any(|s| same_operation(s, op)))
                .copied()
                .collect();
            if missing.is_empty() {
                continue;
            }
            let names: Vec<String> = missing.iter().take(5).map(|(o, _)| o.to_string()).collect();
            out.push(
                Issue::new(
                    "uninstrumented_operation",
                    Severity::Info,
                    Subject::service(svc).with_operation(missing[0].0),
                    format!(
                        "{svc}: {} of {} operations in the metrics have no span: {}{}",
                        missing.len(),
                        ops.len(),
                        names.join(", "),
                        if missing.len() > 5 { ", ..." } else { "" }
                    ),
                    missing.len() as f64 / ops.len().max(1) as f64,
                )
                .detail(
                    "Requests to these operations are counted but never traced: their route is \
                     not instrumented, or a sampling or filter rule drops all of them.",
                )
                .evidence(metric_evidence(
                    &m.operations.query,
                    format!("{} operations of {svc}", ops.len()),
                    p,
                ))
                .evidence(Evidence {
                    source: p.trace_source.clone(),
                    query: Some(format!("GET /api/operations?service={svc}")),
                    value: Some(format!("{} operations", stored.len())),
                    at: (!p.at.is_empty()).then(|| p.at.clone()),
                    link: None,
                    via: None,
                })
                .remediation(remedy(
                    "uninstrumented_operation",
                    "check-routes",
                    &[],
                )),
            );
        }
    }
    out
}
