//! Sensitive data in spans (guide 2.1.1 "avoid sensitive information in attributes", 2.2.1 "in
//! baggage"): every attribute value, resource attribute, event field, status message and span
//! name of the sample is scanned with [`super::matchers`]; findings name the service, the span
//! name and the attribute key, with a count and a masked sample — never the value.
//!
//! The value must not reach any output either, so this file also holds the two guards the command
//! applies: [`redact_report`] masks whatever a matcher finds in a finished report (a span name
//! with an e-mail in it ends up in a title), and [`scrub_body`] is the bundle recorder's scrubber
//! (`--record`): it replaces each value in a recorded response with a `[REDACTED:kind:mask]`
//! marker, keeping JSON valid, and the matchers read markers back so a replay reports the same.
//! Tests: `tests/sensitive.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::matchers::{self, SensitiveKind, marker, scan};
use super::{AuditParams, Issue, ottl_text};
use crate::model::trace::Trace;
use crate::report::{Report, Severity, Subject};
use crate::runbook::kinds::remedy;

/// Where in a span a value was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Attribute(String),
    Resource(String),
    Event { event: String, field: String },
    SpanName,
    StatusMessage,
}

impl Place {
    /// The key to name in a finding's subject: the attribute (or event field) key.
    pub fn key(&self) -> String {
        match self {
            Place::Attribute(k) | Place::Resource(k) => k.clone(),
            Place::Event { field, .. } => field.clone(),
            Place::SpanName => "span name".into(),
            Place::StatusMessage => "otel.status_description".into(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Place::Attribute(k) => format!("attribute {k}"),
            Place::Resource(k) => format!("resource attribute {k}"),
            Place::Event { event, field } => format!("field {field} of {event:?} events"),
            Place::SpanName => "span names".into(),
            Place::StatusMessage => "status descriptions".into(),
        }
    }

    /// A transform processor statement masking the values of this kind at this place.
    fn statement(&self, kind: SensitiveKind) -> (&'static str, String) {
        let re = kind.collector_pattern();
        let with = match kind {
            SensitiveKind::BearerToken => "$$1****",
            SensitiveKind::ConnectionPassword => "$$1****@",
            _ => "****",
        };
        match self {
            Place::Attribute(k) => (
                "span",
                format!(
                    "replace_pattern(attributes[\"{}\"], \"{re}\", \"{with}\")",
                    ottl_text(k)
                ),
            ),
            Place::Resource(k) => (
                "resource",
                format!(
                    "replace_pattern(attributes[\"{}\"], \"{re}\", \"{with}\")",
                    ottl_text(k)
                ),
            ),
            Place::Event { field, .. } => (
                "spanevent",
                format!(
                    "replace_pattern(attributes[\"{}\"], \"{re}\", \"{with}\")",
                    ottl_text(field)
                ),
            ),
            Place::SpanName => (
                "span",
                format!("replace_pattern(name, \"{re}\", \"{with}\")"),
            ),
            Place::StatusMessage => (
                "span",
                format!("replace_pattern(status.message, \"{re}\", \"{with}\")"),
            ),
        }
    }
}

pub fn severity(kind: SensitiveKind) -> Severity {
    match kind {
        SensitiveKind::IpAddress => Severity::Info,
        SensitiveKind::Email => Severity::Warning,
        _ => Severity::Critical,
    }
}

#[derive(Default)]
struct Tally<'a> {
    count: usize,
    spans: usize,
    operations: BTreeMap<String, usize>,
    sample: String,
    example: &'a str,
}

/// One value found: where, what kind, how it may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub place: Place,
    pub kind: SensitiveKind,
    pub masked: String,
}

/// Every sensitive value of one span (with its trace's resource attributes).
pub fn scan_span(t: &Trace, s: &crate::model::trace::Span, ips: bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut add = |place: Place, text: &str| {
        for h in scan(text, ips) {
            out.push(Found {
                place: place.clone(),
                kind: h.kind,
                masked: h.masked,
            });
        }
    };
    add(Place::SpanName, &s.operation);
    for (k, v) in &s.tags {
        add(Place::Attribute(k.to_string()), v);
    }
    if let Some(m) = &s.status_message {
        add(Place::StatusMessage, m);
    }
    for e in &s.events {
        let event = if e.name.is_empty() {
            "log".to_string()
        } else {
            e.name.clone()
        };
        for (k, v) in &e.fields {
            add(
                Place::Event {
                    event: event.clone(),
                    field: k.clone(),
                },
                v,
            );
        }
    }
    if let Some(r) = t.resources.get(s.resource) {
        for (k, v) in &r.tags {
            add(Place::Resource(k.to_string()), v);
        }
    }
    out
}

pub fn detect(traces: &[Trace], p: &AuditParams) -> Vec<Issue> {
    let mut found: BTreeMap<(&str, Place, SensitiveKind), Tally<'_>> = BTreeMap::new();
    let mut spans_of: BTreeMap<&str, usize> = BTreeMap::new();
    for t in traces {
        for s in p.spans(t) {
            *spans_of.entry(s.service.as_str()).or_insert(0) += 1;
            let mut seen: BTreeSet<(Place, SensitiveKind)> = BTreeSet::new();
            for f in scan_span(t, s, p.detect_ips) {
                let first = seen.insert((f.place.clone(), f.kind));
                let tally = found
                    .entry((s.service.as_str(), f.place, f.kind))
                    .or_default();
                tally.count += 1;
                if first {
                    tally.spans += 1;
                    *tally.operations.entry(s.operation.to_string()).or_insert(0) += 1;
                }
                if tally.sample.is_empty() {
                    tally.sample = f.masked;
                    tally.example = &t.trace_id;
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((svc, place, kind), t) in found {
        let op = super::most_frequent(&t.operations)
            .unwrap_or("")
            .to_string();
        let spans = spans_of.get(svc).copied().unwrap_or(1).max(1);
        let (context, statement) = place.statement(kind);
        // Config lines only some places have: the values carry their own line breaks.
        let drop = match &place {
            Place::Attribute(k) | Place::Resource(k) | Place::Event { field: k, .. } => format!(
                "\n          # Not a string, or nothing else in it? Drop the attribute instead:\n          # - 'delete_key(attributes, \"{}\")'",
                ottl_text(k)
            ),
            _ => String::new(),
        };
        let name = kind.name().replace('_', "-");
        out.push(
            Issue::new(
                "sensitive_data",
                severity(kind),
                Subject::service(svc)
                    .with_operation(&op)
                    .with_resource(&place.key()),
                format!(
                    "{svc}: {} in {} ({} occurrences in {} spans)",
                    kind.describe(),
                    place.describe(),
                    t.count,
                    t.spans
                ),
                t.spans as f64 / spans as f64,
            )
            .detail(format!(
                "Masked sample: {}. Seen in {}. Trace storage is read by many people and kept for \
                 days; what leaks into spans leaks to all of them (and to any vendor the traces \
                 are exported to).",
                t.sample,
                super::top_list(&t.operations, 3)
            ))
            .evidence(p.jaeger(
                svc,
                format!("{} occurrences, e.g. {}", t.count, t.sample),
                Some(t.example),
            ))
            .remediation(remedy(
                "sensitive_data",
                "stop-recording",
                &[("service", svc), ("place", &place.describe())],
            ))
            .remediation(remedy(
                "sensitive_data",
                "mask-in-collector",
                &[
                    ("name", &name),
                    ("context", context),
                    ("statement", &statement),
                    ("drop", &drop),
                ],
            )),
        );
    }
    out
}

/// Mask every sensitive value a matcher finds in `text` (markers become their mask).
pub fn redact_text(text: &str, ips: bool) -> Option<String> {
    matchers::replace_hits(text, ips, |h| h.masked.clone())
}

/// Mask sensitive values anywhere in a finished report: a last guard for values that reached a
/// title through a span name or an error message. IP addresses only in what the findings say
/// (links and step errors name the backends' own addresses).
pub fn redact_report(r: &mut Report, ips: bool) {
    let fix = |s: &mut String, ips: bool| {
        if let Some(new) = redact_text(s, ips) {
            *s = new;
        }
    };
    let fix_opt = |s: &mut Option<String>, ips: bool| {
        if let Some(v) = s {
            fix(v, ips);
        }
    };
    fix(&mut r.diagnosis, ips);
    fix_opt(&mut r.target.service, false);
    fix_opt(&mut r.target.operation, false);
    for f in &mut r.findings {
        fix(&mut f.title, ips);
        fix(&mut f.detail, ips);
        let sub = &mut f.subject;
        for v in [
            &mut sub.service,
            &mut sub.operation,
            &mut sub.dependency,
            &mut sub.pod,
            &mut sub.resource,
        ] {
            fix_opt(v, ips);
        }
        for e in &mut f.evidence {
            fix_opt(&mut e.query, false);
            fix_opt(&mut e.value, ips);
            fix_opt(&mut e.link, false);
        }
        for m in &mut f.remediation {
            fix(&mut m.title, ips);
            fix_opt(&mut m.command, false);
        }
    }
    for s in &mut r.steps {
        fix(&mut s.title, false);
        fix_opt(&mut s.error, false);
        for q in &mut s.queries {
            fix(q, false);
        }
    }
}

/// The recorder's scrubber: `text` with every sensitive value replaced by its marker, or `None`
/// when there is none. JSON is rewritten value by value (a number that is a card number becomes
/// a string), so a scrubbed response still decodes; other text is rewritten in place.
pub fn scrub_body(text: &str, ips: bool) -> Option<String> {
    scrub_body_with(text, ips, None)
}

/// A pseudonym for a raw value: the same value always gets the same one (within a bundle).
pub type Pseudonym<'a> = &'a (dyn Fn(&str) -> String + Send + Sync);

/// [`scrub_body`] whose markers also carry `pseudonym(value)` ([`matchers::tagged_marker`]), so
/// values that share a mask stay apart in the bundle and a replay groups them as the run did.
pub fn scrub_body_with(text: &str, ips: bool, pseudonym: Option<Pseudonym<'_>>) -> Option<String> {
    let replace = |s: &str| -> Option<String> {
        let hits = scan(s, ips);
        if hits.iter().all(|h| h.marker) {
            return None;
        }
        Some(matchers::rewrite(s, &hits, |h| {
            if h.marker {
                s[h.start..h.end].to_string()
            } else if let Some(p) = pseudonym {
                matchers::tagged_marker(h.kind, &h.masked, &p(&s[h.start..h.end]))
            } else {
                marker(h.kind, &h.masked)
            }
        }))
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut v) => {
            scrub_json(&mut v, &replace).then(|| serde_json::to_string(&v).unwrap_or_default())
        }
        Err(_) => replace(text),
    }
}

fn scrub_json(v: &mut serde_json::Value, replace: &dyn Fn(&str) -> Option<String>) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => match replace(s) {
            Some(new) => {
                *s = new;
                true
            }
            None => false,
        },
        Value::Number(n) => match replace(&n.to_string()) {
            Some(new) => {
                *v = Value::String(new);
                true
            }
            None => false,
        },
        Value::Array(a) => a
            .iter_mut()
            .fold(false, |changed, x| scrub_json(x, replace) | changed),
        Value::Object(o) => {
            let mut changed = false;
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                let Some(mut val) = o.remove(&k) else {
                    continue;
                };
                changed |= scrub_json(&mut val, replace);
                let key = match replace(&k) {
                    Some(new) => {
                        changed = true;
                        new
                    }
                    None => k,
                };
                o.insert(key, val);
            }
            changed
        }
        Value::Null | Value::Bool(_) => false,
    }
}
