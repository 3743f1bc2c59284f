//! Naming styles (`GET /route`, `GET`, `HTTP GET`, `/path`, `SELECT table`, a whole statement,
//! custom) per service and category, and the services whose style differs from the semantic
//! conventions' (or, when no service follows them, from the majority's). Tests:
//! `../tests/naming.rs`.

use std::collections::BTreeMap;

use super::ServiceNames;
use crate::analysis::audit::{AuditParams, Category, HTTP_METHODS, Issue};
use crate::model::trace::Span;
use crate::report::{Severity, Subject};
use crate::runbook::kinds::remedy;

/// How a span name is built, for the categories whose conventions are clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Style {
    /// `GET /orders/{id}` (the semantic conventions).
    MethodRoute,
    /// `GET` alone.
    MethodOnly,
    /// `HTTP GET` (older instrumentations).
    HttpMethod,
    /// `/orders/{id}`.
    PathOnly,
    /// `SELECT orders` (the semantic conventions).
    OperationTarget,
    /// A whole SQL statement.
    Statement,
    /// Anything else (`OrderController.get`).
    Custom,
}

impl Style {
    fn describe(self) -> &'static str {
        match self {
            Style::MethodRoute => "`GET /route`",
            Style::MethodOnly => "`GET`",
            Style::HttpMethod => "`HTTP GET`",
            Style::PathOnly => "`/path`",
            Style::OperationTarget => "`SELECT table`",
            Style::Statement => "the full SQL statement",
            Style::Custom => "custom names",
        }
    }

    fn conventional(self) -> bool {
        matches!(self, Style::MethodRoute | Style::OperationTarget)
    }
}

const SQL_VERBS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "UPSERT", "MERGE", "CALL", "WITH", "CREATE", "DROP",
    "ALTER",
];

pub(super) fn style(cat: Category, s: &Span) -> Option<Style> {
    let name = s.operation.trim();
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    match cat {
        Category::HttpServer | Category::HttpClient => Some(if HTTP_METHODS.contains(&first) {
            if rest.is_empty() {
                Style::MethodOnly
            } else {
                Style::MethodRoute
            }
        } else if first.eq_ignore_ascii_case("http")
            && rest
                .first()
                .is_some_and(|m| HTTP_METHODS.contains(&m.to_ascii_uppercase().as_str()))
        {
            Style::HttpMethod
        } else if first.starts_with('/') {
            Style::PathOnly
        } else {
            Style::Custom
        }),
        Category::Database => Some(
            if SQL_VERBS.contains(&first.to_ascii_uppercase().as_str()) {
                if rest.len() <= 2 {
                    Style::OperationTarget
                } else {
                    Style::Statement
                }
            } else {
                Style::Custom
            },
        ),
        _ => None,
    }
}

pub(super) fn inconsistent(
    services: &BTreeMap<&str, ServiceNames<'_>>,
    p: &AuditParams,
) -> Vec<Issue> {
    // Category → service → (dominant style, its spans, an example name, spans in category).
    let mut by_cat: BTreeMap<Category, BTreeMap<&str, (Style, &str, usize)>> = BTreeMap::new();
    for (svc, sv) in services {
        for (cat, styles) in &sv.styles {
            let total: usize = styles.values().map(|v| v.0).sum();
            if let Some((style, (_, example))) = styles
                .iter()
                .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0)))
            {
                by_cat
                    .entry(*cat)
                    .or_default()
                    .insert(svc, (*style, example, total));
            }
        }
    }
    let mut out = Vec::new();
    for (cat, svcs) in by_cat {
        if svcs.len() < 2 {
            continue;
        }
        let mut votes: BTreeMap<Style, usize> = BTreeMap::new();
        for (style, _, _) in svcs.values() {
            *votes.entry(*style).or_insert(0) += 1;
        }
        // The conventional style is the reference when any service uses it; else the majority.
        let reference = votes
            .iter()
            .filter(|(s, _)| s.conventional())
            .max_by_key(|(_, n)| **n)
            .or_else(|| {
                votes
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            })
            .map(|(s, _)| *s);
        let Some(reference) = reference else { continue };
        let users = votes.get(&reference).copied().unwrap_or(0);
        for (svc, (style, example, total)) in &svcs {
            if *style == reference {
                continue;
            }
            out.push(
                Issue::new(
                    "inconsistent_span_name",
                    Severity::Info,
                    Subject::service(svc).with_operation(example),
                    format!(
                        "{svc} names {} spans like {} (e.g. {example}) while {users} other \
                         service{} use{} {}",
                        cat.describe(),
                        style.describe(),
                        if users == 1 { "" } else { "s" },
                        if users == 1 { "s" } else { "" },
                        reference.describe()
                    ),
                    0.5,
                )
                .detail(format!(
                    "{total} {} spans of {svc} in the sample. One convention across services lets \
                     one dashboard, one alert and one span-metrics query serve them all.",
                    cat.describe()
                ))
                .evidence(p.jaeger(svc, format!("{total} {} spans", cat.describe()), None))
                .remediation(remedy(
                    "inconsistent_span_name",
                    "follow-conventions",
                    &[
                        ("category", cat.describe()),
                        ("style", reference.describe()),
                    ],
                )),
            );
        }
    }
    out
}
