//! Span events (guide 2.1.1 "events": "avoid excessive event creation"): spans carrying more events
//! than `max_events_per_span`, and the services that produce them, with the event name that
//! dominates so the Collector can drop it. Tests: `tests/events.rs`.

use std::collections::BTreeMap;

use super::{AuditParams, Issue, ottl_text, top_list};
use crate::model::trace::Trace;
use crate::report::{Severity, Subject};
use crate::runbook::kinds::remedy;

#[derive(Default)]
struct Tally<'a> {
    spans: usize,
    heavy: usize,
    max_events: usize,
    events: usize,
    operations: BTreeMap<String, usize>,
    names: BTreeMap<String, usize>,
    example: &'a str,
}

pub fn detect(traces: &[Trace], p: &AuditParams) -> Vec<Issue> {
    let limit = p.max_events_per_span.max(1);
    let mut by_service: BTreeMap<&str, Tally<'_>> = BTreeMap::new();
    for t in traces {
        for s in p.spans(t) {
            let tally = by_service.entry(s.service.as_str()).or_default();
            tally.spans += 1;
            if s.events.len() <= limit {
                continue;
            }
            tally.heavy += 1;
            tally.events += s.events.len();
            if s.events.len() > tally.max_events {
                tally.max_events = s.events.len();
                tally.example = &t.trace_id;
            }
            *tally.operations.entry(s.operation.to_string()).or_insert(0) += 1;
            for e in &s.events {
                let name = if e.name.is_empty() {
                    "(unnamed)"
                } else {
                    &e.name
                };
                *tally.names.entry(name.to_string()).or_insert(0) += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (svc, t) in by_service.iter().filter(|(_, t)| t.heavy > 0) {
        let op = super::most_frequent(&t.operations).unwrap_or("");
        let top_event = super::most_frequent(&t.names).unwrap_or("");
        let mut issue = Issue::new(
            "excessive_events",
            Severity::Warning,
            Subject::service(svc).with_operation(op),
            format!(
                "{svc}: {} spans carry more than {limit} events (up to {}), in {}",
                t.heavy,
                t.max_events,
                top_list(&t.operations, 3)
            ),
            t.heavy as f64 / t.spans.max(1) as f64,
        )
        .detail(format!(
            "{} events on {} spans; most are {}. Events are held in memory until the span ends \
             and exported with it; SDKs drop those past their limit (128 by default) without a \
             trace of it. Logs correlated by trace ID are the place for a running commentary.",
            t.events,
            t.heavy,
            top_list(&t.names, 3)
        ))
        .evidence(p.jaeger(
            svc,
            format!("{} of {} spans over {limit} events", t.heavy, t.spans),
            Some(t.example),
        ))
        .remediation(remedy("excessive_events", "log-instead", &[]));
        if top_event != "(unnamed)" && !top_event.is_empty() {
            issue = issue.remediation(remedy(
                "excessive_events",
                "drop-in-collector",
                &[
                    ("event_debug", &format!("{top_event:?}")),
                    ("event_ottl", &ottl_text(top_event)),
                ],
            ));
        }
        issue = issue.remediation(remedy(
            "excessive_events",
            "cap-events",
            &[
                ("service", svc),
                ("limit", &limit.to_string()),
                ("namespace", &p.namespace),
            ],
        ));
        out.push(issue);
    }
    out
}
