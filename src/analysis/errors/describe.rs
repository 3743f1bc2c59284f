//! The findings that describe the errors rather than cause them: error types new or grown since
//! the baseline, where the error traces' errors start, and the error templates of the logs. Their
//! scores sit between the causes and the bare ratio (see the table in `errors.rs`). Pure; tests
//! in `tests.rs`.

use super::{ErrorParams, ErrorTypes, LogEvidence, Relation, TraceErrors, TypeBaseline, ratio_pct};
use crate::analysis::common::{fmt_time, prom};
use crate::analysis::logs;
use crate::report::units;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

fn rate(v: f64) -> String {
    format!("{}/s", units::rate(v))
}

/// Origins below this share of the error traces are not findings.
pub(super) const MIN_ORIGIN_SHARE: f64 = 0.2;
/// Log templates reported as findings (the first one's detail lists up to ten).
const LOG_FINDINGS: usize = 3;

/// Error types new since the baseline, or grown past `type_growth` times it.
pub(super) fn type_findings(svc: &str, t: &ErrorTypes, p: &ErrorParams, at: f64) -> Vec<Finding> {
    let Some(TypeBaseline {
        offset: off,
        query: base_query,
        items: base,
    }) = &t.baseline
    else {
        return Vec::new();
    };
    let total: f64 = t.now.iter().map(|(_, v)| v).filter(|v| v.is_finite()).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (ty, now) in &t.now {
        if !(now.is_finite() && *now > 0.0) {
            continue;
        }
        let share = now / total;
        if share < p.type_min_share {
            continue;
        }
        let before = base
            .iter()
            .find(|(b, _)| b == ty)
            .map(|(_, v)| *v)
            .filter(|v| v.is_finite())
            .unwrap_or(0.0);
        let new = before <= 0.0;
        let growth = if new { f64::INFINITY } else { now / before };
        if !new && growth < p.type_growth {
            continue;
        }
        // New since yesterday says what changed; a grown type only where the load went.
        let (score, title) = if new {
            (
                0.55 + 0.2 * share,
                format!(
                    "new error type {ty} since {off} ago: {} ({} of {svc}'s errors)",
                    rate(*now),
                    ratio_pct(share)
                ),
            )
        } else {
            (
                0.5 + 0.15 * share,
                format!(
                    "error type {ty} grew {growth:.1}× over {off} ago: {} ({} of {svc}'s errors)",
                    rate(*now),
                    ratio_pct(share)
                ),
            )
        };
        out.push(
            Finding::new(
                "error_type_spike",
                if new && share >= 0.5 {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
                score,
                Subject::service(svc),
                title,
            )
            .detail(format!(
                "{svc} raises {ty} at {} now, against {} {off} ago.",
                rate(*now),
                rate(before)
            ))
            .evidence(prom(&t.query, format!("{ty}={now:.4}"), at))
            .evidence(prom(base_query, format!("{ty}={before:.4}"), at))
            .remediation(remedy("error_type_spike", "find", &[("type", ty)])),
        );
    }
    out
}

/// Where the error traces' errors start: in a dependency, or in the service's own code.
pub(super) fn origin_findings(svc: &str, ns: &str, t: &TraceErrors, high: bool) -> Vec<Finding> {
    if t.count == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for o in t.origins.iter().take(3) {
        let share = (o.traces as f64 / t.count as f64).min(1.0);
        if share < MIN_ORIGIN_SHARE || o.relation == Relation::Elsewhere {
            continue;
        }
        let downstream = o.relation == Relation::Downstream;
        // Downstream: the cause lies in the dependency, which outranks the caller's symptom
        // and its own description of it. Own: the service's code fails by itself.
        let score = if downstream {
            0.65 + 0.25 * share
        } else {
            0.55 + 0.2 * share
        };
        // The subject's operation is one of the subject's service, as for every kind: for a
        // dependency's operation, the title names it.
        let subject = if downstream {
            Subject::service(svc).with_dependency(&o.service)
        } else {
            Subject::service(svc).with_operation(&o.operation)
        };
        let title = if downstream {
            format!(
                "{} of {svc}'s error traces start in {} {}{}",
                ratio_pct(share),
                o.service,
                o.operation,
                if o.via_client {
                    format!(
                        " (seen from {svc}'s calls; {} recorded no error of its own)",
                        o.service
                    )
                } else {
                    String::new()
                }
            )
        } else {
            format!(
                "{} of {svc}'s error traces start in its own {}",
                ratio_pct(share),
                o.operation
            )
        };
        let mut detail = format!(
            "In {} of {} error traces the deepest failing span is {} {} ({} spans){}.",
            o.traces,
            t.count,
            o.service,
            o.operation,
            o.spans,
            if downstream {
                format!(": the errors propagate up into {svc}, it does not make them")
            } else {
                format!(": no call below it failed, so {svc} makes these errors itself")
            }
        );
        if let Some(m) = &o.message {
            detail.push_str(&format!(" Message: {m}"));
        }
        let mut f = Finding::new(
            "error_origin",
            if high && share >= 0.5 {
                Severity::Critical
            } else {
                Severity::Warning
            },
            score,
            subject,
            title,
        )
        .detail(detail);
        for (i, id) in o.examples.iter().enumerate() {
            f = f.evidence(Evidence {
                source: t.source.clone(),
                // The searches once; each example after them by its link.
                query: (i == 0).then(|| t.query.clone()),
                value: Some(format!("trace {id}: origin {} {}", o.service, o.operation)),
                at: None,
                link: t.links.get(id).cloned(),
                via: None,
            });
        }
        if downstream {
            f = f
                .remediation(remedy(
                    "error_origin",
                    "investigate",
                    &[("dependency", &o.service), ("namespace", ns)],
                ))
                .remediation(remedy(
                    "error_origin",
                    "contain",
                    &[
                        ("service", svc),
                        ("dependency", &o.service),
                        ("operation", &o.operation),
                    ],
                ));
        } else {
            let at = [("service", svc), ("operation", o.operation.as_str())];
            f = f.remediation(match o.examples.first().and_then(|id| t.links.get(id)) {
                Some(link) => remedy("error_origin", "fix-path", &[at[0], at[1], ("link", link)]),
                None => remedy("error_origin", "fix-path-unlinked", &at),
            });
        }
        out.push(f);
    }
    out
}

/// The most repeated error templates of the pods' logs.
pub(super) fn log_findings(
    svc: &str,
    ns: &str,
    l: &LogEvidence,
    p: &ErrorParams,
    lookback: f64,
) -> Vec<Finding> {
    let s = &l.summary;
    if s.error_records == 0 {
        return Vec::new();
    }
    let since =
        crate::clock::format_duration(std::time::Duration::from_secs(lookback.max(1.0) as u64));
    let mut out = Vec::new();
    for (i, t) in s
        .templates
        .iter()
        .filter(|t| t.count as f64 >= p.log_min_lines)
        .take(LOG_FINDINGS)
        .enumerate()
    {
        let share = t.count as f64 / s.error_records as f64;
        let mut subject = Subject::service(svc);
        if t.pods.len() == 1 {
            subject = subject.with_pod(&t.pods[0]);
        }
        let mut detail = format!(
            "{} of {} error lines in the logs of {} pod{} ({}).",
            t.count,
            s.error_records,
            t.pods.len(),
            if t.pods.len() == 1 { "" } else { "s" },
            t.pods.join(", ")
        );
        if let (Some(a), Some(b)) = (t.first_seen, t.last_seen) {
            detail.push_str(&format!(" First {}, last {}.", fmt_time(a), fmt_time(b)));
        }
        if !t.stack.is_empty() {
            detail.push_str(&format!(" Stack: {}", t.stack.join(" | ")));
        }
        if i == 0 && s.templates.len() > 1 {
            let rest: Vec<String> = s
                .templates
                .iter()
                .skip(1)
                .map(|o| format!("{}× {}", o.count, o.template))
                .collect();
            detail.push_str(&format!(" Other templates: {}.", rest.join("; ")));
        }
        let at = [
            ("template", t.template.as_str()),
            ("namespace", ns),
            ("since", since.as_str()),
        ];
        let look = match logs::grep_literal(&t.template, &t.example) {
            Some(lit) => remedy(
                "log_error_pattern",
                "grep",
                &[
                    at[0],
                    at[1],
                    at[2],
                    ("selector", &l.selector),
                    ("literal", &lit),
                ],
            ),
            None => remedy(
                "log_error_pattern",
                "pod-log",
                &[at[0], at[1], at[2], ("pod", &t.example_pod)],
            ),
        };
        out.push(
            Finding::new(
                "log_error_pattern",
                Severity::Warning,
                // Names the failure in the service's words; describes the symptom rather than
                // causing it, so it stays under the causes, and above the bare ratio only when it
                // is most of the errors.
                0.4 + 0.25 * share,
                subject,
                format!("{}× in {svc}'s logs: {}", t.count, t.template),
            )
            .detail(detail)
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some(l.query.clone()),
                value: Some(truncate(&format!("{}: {}", t.example_pod, t.example), 400)),
                at: t.last_seen.map(fmt_time),
                link: None,
                via: None,
            })
            .remediation(look),
        );
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}
