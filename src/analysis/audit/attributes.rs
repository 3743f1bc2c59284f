//! Attributes by the OpenTelemetry semantic conventions (guide 2.1.2): HTTP server and client spans
//! need a method, a route or URL and a status code; database spans a system and an operation;
//! messaging spans a system and a destination; error spans a status description or an exception
//! event; every span a `service.name` that is not `unknown_service`. Old and current attribute
//! names both count (`http.method` or `http.request.method`), since both are in the field.
//!
//! One finding per service and category, naming each missing attribute with how many spans lack
//! it. Tests: `tests/attributes.rs`.

use std::collections::BTreeMap;

use super::{AuditParams, Category, Issue, category};
use crate::model::trace::{Span, Trace};
use crate::report::{Severity, Subject};
use crate::runbook::kinds::remedy;

/// One attribute a convention requires, under any of its names.
struct Req {
    /// The current name, shown in findings.
    name: &'static str,
    keys: &'static [&'static str],
    /// Not required on error spans (a request that failed before a response has no status).
    unless_error: bool,
}

const METHOD: Req = Req {
    name: "http.request.method",
    keys: &["http.request.method", "http.method"],
    unless_error: false,
};
const STATUS: Req = Req {
    name: "http.response.status_code",
    keys: &["http.response.status_code", "http.status_code"],
    unless_error: true,
};
const HTTP_SERVER: &[Req] = &[
    METHOD,
    Req {
        name: "http.route",
        keys: &[
            "http.route",
            "url.path",
            "http.target",
            "url.full",
            "http.url",
        ],
        unless_error: false,
    },
    STATUS,
];
const HTTP_CLIENT: &[Req] = &[
    METHOD,
    Req {
        name: "url.full",
        keys: &[
            "url.full",
            "http.url",
            "server.address",
            "net.peer.name",
            "http.host",
        ],
        unless_error: false,
    },
    STATUS,
];
const DATABASE: &[Req] = &[
    Req {
        name: "db.system.name",
        keys: &["db.system.name", "db.system"],
        unless_error: false,
    },
    Req {
        name: "db.operation.name",
        keys: &[
            "db.operation.name",
            "db.operation",
            "db.query.summary",
            "db.query.text",
            "db.statement",
        ],
        unless_error: false,
    },
];
const MESSAGING: &[Req] = &[
    Req {
        name: "messaging.system",
        keys: &["messaging.system"],
        unless_error: false,
    },
    Req {
        name: "messaging.destination.name",
        keys: &[
            "messaging.destination.name",
            "messaging.destination",
            "messaging.destination.template",
        ],
        unless_error: false,
    },
];

fn required(cat: Category) -> &'static [Req] {
    match cat {
        Category::HttpServer => HTTP_SERVER,
        Category::HttpClient => HTTP_CLIENT,
        Category::Database => DATABASE,
        Category::Messaging => MESSAGING,
        Category::Rpc | Category::Other => &[],
    }
}

/// Which required attributes the span lacks.
pub fn missing(s: &Span) -> Vec<&'static str> {
    required(category(s))
        .iter()
        .filter(|r| !(r.unless_error && s.error))
        .filter(|r| r.keys.iter().all(|k| s.tag(k).is_none()))
        .map(|r| r.name)
        .collect()
}

/// An error span that says nothing about the error.
pub fn undescribed_error(s: &Span) -> bool {
    s.error
        && s.status_message.as_deref().is_none_or(str::is_empty)
        && !s
            .events
            .iter()
            .any(|e| e.name == "exception" || e.name == "error")
}

pub fn unnamed_service(service: &str) -> bool {
    let s = service.trim();
    s.is_empty() || s.starts_with("unknown_service")
}

#[derive(Default)]
struct Tally<'a> {
    spans: usize,
    affected: usize,
    missing: BTreeMap<String, usize>,
    operations: BTreeMap<String, usize>,
    example: &'a str,
}

impl<'a> Tally<'a> {
    fn hit(&mut self, s: &Span, trace: &'a str, what: &[&str]) {
        self.affected += 1;
        for m in what {
            *self.missing.entry(m.to_string()).or_insert(0) += 1;
        }
        *self.operations.entry(s.operation.to_string()).or_insert(0) += 1;
        if self.example.is_empty() {
            self.example = trace;
        }
    }
}

pub fn detect(traces: &[Trace], p: &AuditParams) -> Vec<Issue> {
    let mut by_cat: BTreeMap<(&str, Category), Tally<'_>> = BTreeMap::new();
    let mut errors: BTreeMap<&str, Tally<'_>> = BTreeMap::new();
    // Spans without a usable service name, by the name they carry, with their Deployment if known.
    let mut unnamed: BTreeMap<&str, (Tally<'_>, Option<&str>)> = BTreeMap::new();
    for t in traces {
        for s in p.spans(t) {
            let cat = category(s);
            if !required(cat).is_empty() {
                let tally = by_cat.entry((s.service.as_str(), cat)).or_default();
                tally.spans += 1;
                let m = missing(s);
                if !m.is_empty() {
                    tally.hit(s, &t.trace_id, &m);
                }
            }
            if s.error {
                let tally = errors.entry(s.service.as_str()).or_default();
                tally.spans += 1;
                if undescribed_error(s) {
                    tally.hit(s, &t.trace_id, &["status description"]);
                }
            }
            if unnamed_service(&s.service) {
                let e = unnamed.entry(s.service.as_str()).or_default();
                e.0.spans += 1;
                e.0.hit(s, &t.trace_id, &["service.name"]);
                if e.1.is_none() {
                    e.1 = t.tag(s, "k8s.deployment.name");
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((svc, cat), tally) in &by_cat {
        if tally.affected == 0 {
            continue;
        }
        out.push(semconv_issue(svc, *cat, tally, p));
    }
    for (svc, tally) in &errors {
        if tally.affected == 0 {
            continue;
        }
        out.push(
            finding(svc, tally, "otel.status_description", Severity::Warning, p)
                .title(format!(
                    "{svc}: {} of {} error spans have no status description or exception event",
                    tally.affected, tally.spans
                ))
                .detail(
                    "An error span that does not say what failed sends the on-call engineer to \
                     the logs for every error.",
                )
                .remediation(remedy("missing_attribute", "record-exception", &[])),
        );
    }
    for (svc, (tally, deployment)) in &unnamed {
        let shown = if svc.is_empty() { "(empty)" } else { svc };
        let mut issue = finding(shown, tally, "service.name", Severity::Critical, p)
            .title(format!(
                "{} spans have no service.name (service {shown})",
                tally.affected
            ))
            .detail(
                "Without service.name the SDK reports unknown_service: the spans of every such \
                 process land in one service, and no dashboard, alert or sampling rule can \
                 address them.",
            );
        if let Some(dep) = deployment {
            issue = issue.remediation(remedy(
                "missing_attribute",
                "set-service-name",
                &[("deployment", dep), ("namespace", &p.namespace)],
            ));
        } else {
            issue = issue.remediation(remedy("missing_attribute", "service-name-everywhere", &[]));
        }
        out.push(issue.remediation(remedy("missing_attribute", "name-in-collector", &[])));
    }
    out
}

fn finding(svc: &str, tally: &Tally<'_>, resource: &str, sev: Severity, p: &AuditParams) -> Issue {
    let op = super::most_frequent(&tally.operations).unwrap_or("");
    Issue::new(
        "missing_attribute",
        sev,
        Subject::service(svc)
            .with_operation(op)
            .with_resource(resource),
        String::new(),
        tally.affected as f64 / tally.spans.max(1) as f64,
    )
    .evidence(p.jaeger(
        svc,
        format!(
            "{} of {} spans; operations: {}",
            tally.affected,
            tally.spans,
            super::top_list(&tally.operations, 3)
        ),
        Some(tally.example),
    ))
}

fn semconv_issue(svc: &str, cat: Category, tally: &Tally<'_>, p: &AuditParams) -> Issue {
    let worst = super::most_frequent(&tally.missing).unwrap_or("");
    let mut missing: Vec<(&String, &usize)> = tally.missing.iter().collect();
    missing.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let list: Vec<String> = missing
        .iter()
        .map(|(k, n)| format!("{k} ({n} of {})", tally.spans))
        .collect();
    let fix = match cat {
        Category::HttpServer => "http-server",
        Category::HttpClient => "http-client",
        Category::Database => "database",
        _ => "messaging",
    };
    finding(svc, tally, worst, Severity::Warning, p)
        .title(format!(
            "{svc}: {} spans lack {}",
            cat.describe(),
            list.join(", ")
        ))
        .detail(format!(
            "{} of {} {} spans of {svc} miss an attribute the semantic conventions require; \
             dashboards, span metrics and trace search filter on these.",
            tally.affected,
            tally.spans,
            cat.describe()
        ))
        .remediation(remedy("missing_attribute", fix, &[]))
}
