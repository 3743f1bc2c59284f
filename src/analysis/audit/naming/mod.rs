//! Span naming (guide 2.1.1 "span_naming"): generic names (`GET`, `HTTP POST`, `query`) here,
//! names that carry IDs or other high-cardinality parts (each name reduced to a template by
//! `template.rs`; many names per template, or a strong ID such as a UUID, is the finding, with the
//! templates shown), and services that name the same kind of operation differently from the
//! others (`style.rs`). Tests: `../tests/naming.rs`.

mod style;
mod template;

use std::collections::{BTreeMap, BTreeSet};

pub use template::{Part, template};

use super::{AuditParams, Category, Issue, category, top_list};
use crate::model::trace::{Span, Trace};
use crate::report::{Severity, Subject};
use crate::runbook::kinds::remedy;
use style::Style;

/// Names that say nothing about the operation (lower case; `HTTP ` prefixes are stripped first).
const GENERIC: &[&str] = &[
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "head",
    "options",
    "connect",
    "trace",
    "http",
    "https",
    "request",
    "handler",
    "handle",
    "middleware",
    "router",
    "route",
    "query",
    "execute",
    "exec",
    "sql",
    "db",
    "database",
    "statement",
    "command",
    "select",
    "insert",
    "update",
    "send",
    "receive",
    "publish",
    "process",
    "consume",
    "produce",
    "message",
    "span",
    "operation",
    "unknown",
    "main",
    "run",
    "call",
    "invoke",
    "rpc",
    "grpc",
    "function",
    "task",
    "job",
    "work",
    "default",
    "unnamed",
    "<unknown>",
    "anonymous",
];

pub fn is_generic(name: &str, span: &Span) -> bool {
    let n = name.trim().to_ascii_lowercase();
    let n = n.strip_prefix("http ").unwrap_or(&n);
    n.is_empty()
        || GENERIC.contains(&n)
        // The semantic conventions' last resort for a database span is its system's name.
        || ["db.system", "db.system.name"]
            .iter()
            .any(|k| span.tag(k).is_some_and(|v| v.eq_ignore_ascii_case(name.trim())))
}

/// What a template replaced; strong ones prove an ID even in a single name.

#[derive(Default)]
struct NameStat<'a> {
    count: usize,
    example_trace: &'a str,
    category: Option<Category>,
    method_key: Option<&'a str>,
    has_route: bool,
    generic: bool,
}

#[derive(Default)]
struct ServiceNames<'a> {
    spans: usize,
    names: BTreeMap<&'a str, NameStat<'a>>,
    /// Of spans of each category: style → spans.
    styles: BTreeMap<Category, BTreeMap<Style, (usize, &'a str)>>,
}

pub fn detect(traces: &[Trace], p: &AuditParams) -> Vec<Issue> {
    let mut services: BTreeMap<&str, ServiceNames<'_>> = BTreeMap::new();
    for t in traces {
        for s in p.spans(t) {
            let sv = services.entry(s.service.as_str()).or_default();
            sv.spans += 1;
            let cat = category(s);
            let st = sv.names.entry(s.operation.as_str()).or_default();
            st.count += 1;
            if st.example_trace.is_empty() {
                st.example_trace = &t.trace_id;
            }
            st.category.get_or_insert(cat);
            if s.tag("http.route").is_some() {
                st.has_route = true;
            }
            if st.count == 1 {
                st.generic = is_generic(&s.operation, s);
            }
            if st.method_key.is_none() {
                st.method_key = ["http.request.method", "http.method"]
                    .into_iter()
                    .find(|k| s.tag(k).is_some());
            }
            if let Some(style) = style::style(cat, s) {
                let e = sv
                    .styles
                    .entry(cat)
                    .or_default()
                    .entry(style)
                    .or_insert((0, s.operation.as_str()));
                e.0 += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (svc, sv) in &services {
        out.extend(generic(svc, sv, p));
        out.extend(cardinality(svc, sv, p));
    }
    out.extend(style::inconsistent(&services, p));
    out
}

fn generic(svc: &str, sv: &ServiceNames<'_>, p: &AuditParams) -> Option<Issue> {
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut example = "";
    let mut http = (false, false, None);
    let mut db = false;
    for (name, st) in sv.names.iter().filter(|(_, st)| st.generic) {
        found.insert(name.to_string(), st.count);
        if example.is_empty() {
            example = st.example_trace;
        }
        match st.category {
            Some(Category::HttpServer | Category::HttpClient) => {
                http.0 = true;
                http.1 |= st.has_route;
                http.2 = http.2.or(st.method_key);
            }
            Some(Category::Database) => db = true,
            _ => {}
        }
    }
    let n: usize = found.values().sum();
    if n == 0 {
        return None;
    }
    let top = super::most_frequent(&found).unwrap_or("").to_string();
    let mut issue = Issue::new(
        "generic_span_name",
        Severity::Warning,
        Subject::service(svc).with_operation(&top),
        format!(
            "{svc}: generic span names {} on {n} of {} spans",
            top_list(&found, 4),
            sv.spans
        ),
        n as f64 / sv.spans.max(1) as f64,
    )
    .detail(
        "A name like GET or query cannot tell one operation from another: every endpoint's \
         latency and errors end up in the same bucket in Jaeger and in span metrics.",
    )
    .evidence(p.jaeger(
        svc,
        format!("{n} of {} spans of {svc}", sv.spans),
        Some(example),
    ));
    if http.0 {
        issue = issue.remediation(remedy("generic_span_name", "http-names", &[]));
        if http.1 {
            let method = http.2.unwrap_or("http.request.method");
            issue = issue.remediation(remedy(
                "generic_span_name",
                "rename-in-collector",
                &[("method", method)],
            ));
        }
    }
    if db {
        issue = issue.remediation(remedy("generic_span_name", "db-names", &[]));
    }
    if !http.0 && !db {
        issue = issue.remediation(remedy("generic_span_name", "verb-object", &[]));
    }
    Some(issue)
}

fn cardinality(svc: &str, sv: &ServiceNames<'_>, p: &AuditParams) -> Option<Issue> {
    struct Tpl<'a> {
        names: Vec<&'a str>,
        spans: usize,
        parts: BTreeSet<Part>,
        example_trace: &'a str,
    }
    let mut templates: BTreeMap<String, Tpl<'_>> = BTreeMap::new();
    for (name, st) in &sv.names {
        let (tpl, parts) = template(name);
        if parts.is_empty() {
            continue;
        }
        let e = templates.entry(tpl).or_insert_with(|| Tpl {
            names: Vec::new(),
            spans: 0,
            parts: BTreeSet::new(),
            example_trace: st.example_trace,
        });
        e.names.push(name);
        e.spans += st.count;
        e.parts.extend(parts);
    }
    templates.retain(|_, t| {
        t.names.len() >= p.name_variants.max(1) || t.parts.iter().any(|x| x.strong())
    });
    let distinct = sv.names.len();
    let too_many = distinct > p.max_names_per_service;
    if templates.is_empty() && !too_many {
        return None;
    }
    let counts: BTreeMap<String, usize> = templates
        .iter()
        .map(|(k, t)| (k.clone(), t.names.len()))
        .collect();
    let top = super::most_frequent(&counts).unwrap_or("");
    let covered: usize = templates.values().map(|t| t.names.len()).sum();
    let spans: usize = templates.values().map(|t| t.spans).sum();
    let title = if templates.is_empty() {
        format!("{svc}: {distinct} distinct span names in the sample")
    } else {
        format!(
            "{svc}: {covered} span names carry IDs or other variable parts; templates: {}",
            top_list(&counts, 3)
        )
    };
    let severity = if too_many {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let prevalence = if too_many {
        1.0
    } else {
        spans as f64 / sv.spans.max(1) as f64
    };
    let example = templates
        .get(top)
        .map(|t| t.example_trace)
        .or_else(|| sv.names.values().next().map(|s| s.example_trace));
    let examples: Vec<&str> = templates
        .get(top)
        .map(|t| t.names.iter().take(2).copied().collect())
        .unwrap_or_default();
    let mut issue = Issue::new(
        "high_cardinality_span_name",
        severity,
        Subject::service(svc).with_operation(if top.is_empty() {
            sv.names.keys().next().copied().unwrap_or("")
        } else {
            top
        }),
        title,
        prevalence,
    )
    .detail(format!(
        "{distinct} distinct span names in {} spans{}. Every distinct name is a new operation in \
         Jaeger's index and a new series in span metrics; names should be templates and the \
         variable part an attribute.",
        sv.spans,
        if examples.is_empty() {
            String::new()
        } else {
            format!("; e.g. {}", examples.join(", "))
        }
    ))
    .evidence(p.jaeger(
        svc,
        format!(
            "{distinct} distinct names, {covered} reduce to templates: {}",
            templates.len()
        ),
        example,
    ))
    .remediation(remedy("high_cardinality_span_name", "templates", &[]));
    let all_parts: BTreeSet<Part> = templates.values().flat_map(|t| t.parts.clone()).collect();
    let statements: Vec<String> = [Part::Query, Part::Uuid, Part::Hex, Part::Token, Part::Id]
        .into_iter()
        .filter(|x| all_parts.contains(x))
        .filter_map(Part::rewrite)
        .map(|(re, with)| format!("          - 'replace_pattern(name, \"{re}\", \"{with}\")'\n"))
        .collect();
    if !statements.is_empty() {
        issue = issue.remediation(remedy(
            "high_cardinality_span_name",
            "template-in-collector",
            &[("statements", statements.concat().trim_end())],
        ));
    }
    Some(issue)
}
