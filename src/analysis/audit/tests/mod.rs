//! Unit tests of the audit detectors, on hand-made spans: one file per detector family, each with
//! its false-positive traps (a 16-digit order ID that fails Luhn, a UUID that is not a token, a
//! legitimate entry service, a route with a version number). Builders here.

mod attributes;
mod coverage;
mod events;
mod naming;
mod propagation;
mod sampling;
mod score;
mod sensitive;

use crate::model::trace::{Resource, Span, SpanEvent, SpanKind, Trace};
use crate::report::Finding;

use super::{AuditEvidence, AuditParams, Issue};

/// A span; its ID is `id`, padded by nothing (tests pick readable IDs).
pub fn span(id: &str, parent: Option<&str>, service: &str, op: &str, kind: SpanKind) -> Span {
    Span {
        span_id: id.into(),
        parent_id: parent.map(Into::into),
        service: service.into(),
        operation: op.into(),
        start_us: 1_000_000,
        duration_us: 1_000,
        kind,
        ..Span::default()
    }
}

pub fn server(id: &str, parent: Option<&str>, service: &str, op: &str) -> Span {
    span(id, parent, service, op, SpanKind::Server)
}

pub fn client(id: &str, parent: &str, service: &str, op: &str, peer: &str) -> Span {
    with(
        span(id, Some(parent), service, op, SpanKind::Client),
        &[("peer.service", peer)],
    )
}

pub fn with(mut s: Span, tags: &[(&str, &str)]) -> Span {
    s.tags.extend(
        tags.iter()
            .map(|(k, v)| (k.to_string().into(), v.to_string().into())),
    );
    s
}

pub fn event(name: &str, fields: &[(&str, &str)]) -> SpanEvent {
    SpanEvent {
        name: name.to_string(),
        timestamp_us: 1_000_100,
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// A trace of `spans`, one resource per service (in order of first use).
pub fn trace(id: &str, mut spans: Vec<Span>) -> Trace {
    let mut resources: Vec<Resource> = Vec::new();
    for s in &mut spans {
        s.resource = match resources.iter().position(|r| r.service == s.service) {
            Some(i) => i,
            None => {
                resources.push(Resource {
                    service: s.service.clone(),
                    tags: vec![("telemetry.sdk.language".into(), "go".into())],
                });
                resources.len() - 1
            }
        };
    }
    Trace {
        trace_id: id.to_string(),
        spans,
        resources,
        warnings: Vec::new(),
    }
}

/// An HTTP server span as good instrumentation records it.
pub fn good_server(id: &str, parent: Option<&str>, service: &str, route: &str) -> Span {
    with(
        server(id, parent, service, &format!("GET {route}")),
        &[
            ("http.request.method", "GET"),
            ("http.route", route),
            ("http.response.status_code", "200"),
        ],
    )
}

pub fn params() -> AuditParams {
    AuditParams {
        at: "2026-11-25T10:00:00Z".into(),
        namespace: "shop".into(),
        ..AuditParams::default()
    }
}

pub fn evidence(traces: Vec<Trace>) -> AuditEvidence {
    let mut searched = std::collections::BTreeMap::new();
    for t in &traces {
        for s in &t.spans {
            *searched.entry(s.service.to_string()).or_insert(0) += 1;
        }
    }
    AuditEvidence {
        traces,
        searched,
        ..AuditEvidence::default()
    }
}

pub fn kinds(issues: &[Issue]) -> Vec<(&str, Option<&str>)> {
    issues
        .iter()
        .map(|i| {
            (
                i.finding.kind.as_str(),
                i.finding.subject.service.as_deref(),
            )
        })
        .collect()
}

pub fn of_kind<'a>(issues: &'a [Issue], kind: &str) -> Vec<&'a Issue> {
    issues.iter().filter(|i| i.finding.kind == kind).collect()
}

/// Every string a finding carries, for "the value appears nowhere" assertions.
pub fn text(findings: &[Finding]) -> String {
    serde_json::to_string(findings).expect("findings serialize")
}
