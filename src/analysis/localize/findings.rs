//! A localization as findings: the root-cause candidates, each with its propagation path and
//! each hop's before/after, in the kinds the runbooks document; the services slow or failing as
//! usual as `chronic_service` (info, so nobody chases them); and the fixed-threshold dependency
//! findings whose calls did not change against their own baseline, demoted ([`demote_unchanged`]):
//! a dependency always over the threshold is not this incident's cause. Pure; tests in
//! `findings_tests.rs`.

use std::collections::BTreeMap;

use super::{Axis, Candidate, EdgeView, Hop, Localization, Locus, Params, ServiceView};
use crate::report::units;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

/// What the findings need besides the localization.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The runbook's axis: the latency runbook reports latency candidates, the errors runbook
    /// error and log candidates.
    pub axis: Axis,
    pub namespace: &'a str,
    /// `p95` (or the asked quantile), for latency texts.
    pub quantile_label: &'a str,
    /// The axis' fleet-wide queries now: its services' server side and the calls by caller and
    /// callee (evidence; either may be missing from a runbook).
    pub server_query: Option<&'a str>,
    pub calls_query: Option<&'a str>,
    /// Evaluation time, unix seconds.
    pub now: f64,
    /// The baseline the changes are measured against, in words ("the hour before 15m ago").
    pub baseline: &'a str,
    /// What changed in each service's logs (the `log-patterns` step's summaries).
    pub logs: &'a BTreeMap<String, String>,
    /// Whether the trace comparison agrees with the root, in words (`trace-compare`).
    pub traces: Option<&'a str>,
}

/// How many candidates become findings: the root and two alternatives.
const CANDIDATES: usize = 3;

fn value(axis: Axis, v: f64) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    match axis {
        Axis::Latency => units::seconds(v),
        Axis::Errors => units::percent(v),
    }
}

/// `frontend (0.2 s → 0.9 s) ← checkout (…) ← payment (…)`: the symptom first.
pub fn path_text(path: &[Hop], axis: Axis) -> String {
    path.iter()
        .map(|h| {
            if h.before.is_finite() && h.after.is_finite() {
                format!(
                    "{} ({}{} → {})",
                    h.service,
                    if h.median { "p50 " } else { "" },
                    value(axis, h.before),
                    value(axis, h.after)
                )
            } else {
                h.service.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ← ")
}

/// The candidates (of the context's axis) and the chronic services as findings, best first.
pub fn findings(loc: &Localization, cx: &Context<'_>) -> Vec<Finding> {
    let relevant: Vec<&Candidate> = loc
        .candidates
        .iter()
        .filter(|c| c.axis == cx.axis && (c.locus != Locus::Logs || cx.axis == Axis::Errors))
        .take(CANDIDATES)
        .collect();
    let mut out = Vec::new();
    let top = relevant.first().map(|c| c.score).unwrap_or(0.0);
    for (i, c) in relevant.iter().enumerate() {
        // The root: above the symptom findings (0.45–0.6) and a fixed-threshold dependency that
        // agrees with nothing; below a rollout or config change on the root (0.9+), which
        // explains it. The alternatives fall with their score relative to the root's.
        let head = 0.6 + 0.28 * c.score / (c.score + 2.0);
        let score = if i == 0 {
            head
        } else {
            0.3 + (0.6 + 0.28 * top / (top + 2.0) - 0.3)
                * (c.score / top.max(f64::MIN_POSITIVE)).min(0.95)
        };
        let strong = c.change.is_some_and(|ch| ch.strength >= 2.0);
        let severity = if i == 0 && strong {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let mut f = candidate(c, cx, score, severity);
        if let (0, Some(t)) = (i, cx.traces) {
            f.detail = format!("{} {t}", f.detail);
        }
        out.push(f);
    }
    for ch in loc
        .chronic
        .iter()
        .filter(|ch| ch.axis == cx.axis && !is_candidate(loc, &ch.service, ch.axis))
    {
        let what = match cx.axis {
            Axis::Latency => format!(
                "slow as usual: {} {}",
                cx.quantile_label,
                value(ch.axis, ch.level)
            ),
            Axis::Errors => format!("failing as usual: {} of requests", value(ch.axis, ch.level)),
        };
        out.push(
            Finding::new(
                "chronic_service",
                Severity::Info,
                0.1,
                Subject::service(&ch.service),
                format!("{} is {what}; not this incident's cause", ch.service),
            )
            .detail(format!(
                "{} is over the runbook's threshold now and was in its baseline ({}): it did not change, so it is not a suspect.",
                ch.service, cx.baseline
            ))
            .remediation(remedy(
                "chronic_service",
                "separately",
                &[("service", &ch.service), ("namespace", cx.namespace)],
            )),
        );
    }
    out
}

fn candidate(c: &Candidate, cx: &Context<'_>, score: f64, severity: Severity) -> Finding {
    let root = c.service.as_str();
    let symptom = c.path.first().map(|h| h.service.as_str()).unwrap_or(root);
    let ql = cx.quantile_label;
    let change = c
        .change
        .map(|ch| format!("{} → {}", value(c.axis, ch.before), value(c.axis, ch.after)))
        .unwrap_or_else(|| "?".into());
    let signal = match c.axis {
        // The median moved where the quantile did not (see `Judged::server`): say which.
        Axis::Latency if c.change.is_some_and(|ch| ch.median) => "p50 (median)".to_string(),
        Axis::Latency => ql.to_string(),
        Axis::Errors => "error ratio".to_string(),
    };
    let path = path_text(&c.path, c.axis);
    let agree = if c.agreeing.is_empty() {
        String::new()
    } else {
        format!(" Its {} changed too.", c.agreeing.join(", "))
    };
    let vars = [
        ("service", symptom),
        ("dependency", root),
        ("namespace", cx.namespace),
    ];
    let logs = cx.logs.get(root).map(String::as_str).unwrap_or("");
    let (kind, subject, title, remedies): (&str, Subject, String, &[&str]) = match (
        &c.locus, c.axis,
    ) {
        (Locus::Logs, _) => (
            "log_template_shift",
            Subject::service(root),
            format!(
                "{root} writes different log lines than in its baseline, though none of its metrics moved: {logs}"
            ),
            &["investigate"],
        ),
        (Locus::Egress | Locus::Link { .. } | Locus::CallerEgress, Axis::Latency) => {
            let where_ = match &c.locus {
                Locus::Egress => format!(
                    "calls to {root} got slow while its own server spans did not: the delay is in {root}'s egress or network"
                ),
                Locus::Link { caller } => format!(
                    "only {caller}'s calls to {root} got slow: the delay is on the link between them"
                ),
                _ => format!(
                    "all of {root}'s outgoing calls got slow: the delay is in {root}'s egress or network"
                ),
            };
            (
                "egress_delay",
                Subject::service(root),
                format!("{where_} ({signal} {change})"),
                &["network"],
            )
        }
        (_, Axis::Latency) if symptom != root => (
            "slow_dependency",
            Subject::service(symptom).with_dependency(root),
            format!(
                "{symptom}'s latency starts in {root}: its {signal} rose {change}, and nothing it calls explains it"
            ),
            &["investigate", "bound"],
        ),
        (_, Axis::Latency) => (
            "latency_change",
            Subject::service(root),
            format!(
                "{root}'s {signal} rose {change} against its own baseline, and nothing it calls explains it"
            ),
            &["investigate"],
        ),
        (_, Axis::Errors) if symptom != root => (
            "dependency_errors",
            Subject::service(symptom).with_dependency(root),
            format!(
                "{symptom}'s errors start in {root}: its {signal} rose {change}, and nothing it calls explains it"
            ),
            &["investigate", "contain"],
        ),
        (_, Axis::Errors) => (
            "error_change",
            Subject::service(root),
            format!(
                "{root}'s {signal} rose {change} against its own baseline, and nothing it calls explains it"
            ),
            &["investigate"],
        ),
    };
    let agree = if !logs.is_empty() && c.locus != Locus::Logs {
        format!("{agree} Its logs: {logs}.")
    } else {
        agree
    };
    let explains = if c.explains.is_empty() {
        String::new()
    } else {
        format!(" It explains the change of {}.", c.explains.join(", "))
    };
    let left = match &c.logs_below {
        // `unexplained` is already what the log change below left (see `localize`): say what
        // its calls left, and where half of that went.
        Some(b) => format!(
            "{} of its own change is left unexplained by what it calls; half of that is put down to {b}, below it, whose logs changed{}.",
            units::percent((c.unexplained / (1.0 - super::LOGS_BELOW_SHARE)).min(1.0)),
            if c.locus == Locus::Logs {
                " too"
            } else {
                " while its metrics did not (a caught exception or a different answer fails its callers without failing their calls)"
            }
        ),
        None => format!(
            "{} of its own change is left unexplained by what it calls.",
            units::percent(c.unexplained)
        ),
    };
    let hops = match c.axis {
        Axis::Latency if c.path.iter().any(|h| h.median) => format!("{ql} (p50 where marked)"),
        Axis::Latency => ql.to_string(),
        Axis::Errors => signal.clone(),
    };
    let mut f = Finding::new(kind, severity, score, subject, title)
        .detail(format!(
            "Propagation path, symptom first, each hop's {hops} in its baseline ({}) → now: {path}.{explains}{agree} {left}",
            cx.baseline,
        ))
        .evidence(Evidence {
            source: "call-graph".into(),
            query: None,
            value: Some(path),
            at: Some(crate::analysis::common::fmt_time(cx.now)),
            link: None,
            via: None,
        });
    let measured = if c.from_calls {
        cx.calls_query
    } else {
        cx.server_query
    };
    if let Some(q) = measured {
        let whose = if c.from_calls {
            format!("calls to {root}")
        } else {
            root.to_string()
        };
        f = f.evidence(crate::analysis::common::prom(
            q,
            format!("{whose}: {change}"),
            cx.now,
        ));
    }
    for r in remedies {
        f = f.remediation(remedy(kind, r, &vars));
    }
    f
}

/// Kinds that say where it hurts, not why: a cause found on the root outranks them.
const SYMPTOMS: [&str; 4] = [
    "slow_service",
    "slow_operation",
    "high_error_rate",
    "chronic_service",
];

/// The graph's own kinds.
const LOCATING: [&str; 6] = [
    "log_template_shift",
    "latency_change",
    "error_change",
    "egress_delay",
    "slow_dependency",
    "dependency_errors",
];

/// Agreement: a cause the runbook's steps found on the root itself (its CPU, a rollout, a config
/// change, N+1 calls) says *why* where the graph says *where*; it goes just above the graph's
/// finding for that root, so rank 1 is the root and its reason. Symptoms and other services'
/// findings are left as they are.
pub fn agree_with_root(findings: &mut [Finding], graph: &[Finding]) {
    let Some(top) = graph
        .first()
        .filter(|f| LOCATING.contains(&f.kind.as_str()))
    else {
        return;
    };
    let root = top
        .subject
        .dependency
        .as_deref()
        .or(top.subject.service.as_deref());
    let Some(root) = root else { return };
    for f in findings.iter_mut().filter(|f| {
        f.subject.service.as_deref() == Some(root)
            && f.subject.dependency.is_none()
            && f.severity > Severity::Info
            && !SYMPTOMS.contains(&f.kind.as_str())
            && !LOCATING.contains(&f.kind.as_str())
    }) {
        f.score = f.score.max((top.score + 0.01).min(1.0));
    }
}

/// The graph's findings joined to the runbook's: where the runbook's own steps already found the
/// same kind about the same subject (`dependency_errors` checkout → payment), that finding keeps
/// its title and numbers and takes the graph's score, path and evidence; one finding, not two.
/// Returns the graph's findings that had no twin, to be added.
pub fn merge_into(findings: &mut [Finding], located: Vec<Finding>) -> Vec<Finding> {
    let mut rest = Vec::new();
    for g in located {
        let twin = findings.iter_mut().find(|f| {
            f.kind == g.kind
                && f.subject.service == g.subject.service
                && f.subject.dependency == g.subject.dependency
                && f.subject.pod.is_none()
                && f.subject.operation.is_none()
        });
        match twin {
            Some(f) => {
                f.score = f.score.max(g.score);
                f.severity = f.severity.max(g.severity);
                f.detail = format!("{} {}", f.detail, g.detail).trim().to_string();
                f.evidence.extend(g.evidence);
            }
            None => rest.push(g),
        }
    }
    rest
}

/// Dependency findings from fixed thresholds (`slow_dependency`, `dependency_errors` not
/// produced here) whose calls have a baseline and did not rise against it: always slow or
/// failing, so not this incident's cause. Their score is capped below the symptom's and they
/// say why, rather than vanish: the level may still deserve work, later. A call's change is
/// judged as the walk judges it (`Judged::edge`: the median where no p95 of the callee moved).
pub fn demote_unchanged(
    findings: &mut [Finding],
    services: &[ServiceView],
    edges: &[EdgeView],
    params: &Params,
    axis: Axis,
) {
    let j = super::graph::Judged::new(services, edges, params);
    let kind = match axis {
        Axis::Latency => "slow_dependency",
        Axis::Errors => "dependency_errors",
    };
    for f in findings.iter_mut().filter(|f| f.kind == kind) {
        let (Some(svc), Some(dep)) = (
            f.subject.service.as_deref(),
            f.subject.dependency.as_deref(),
        ) else {
            continue;
        };
        let Some(e) = edges.iter().find(|e| e.caller == svc && e.callee == dep) else {
            continue;
        };
        let m = match axis {
            Axis::Latency => e.latency.as_ref(),
            Axis::Errors => e.errors.as_ref(),
        };
        let Some(m) = m else { continue };
        if j.edge(svc, dep, axis).is_some() {
            continue;
        }
        let why = format!(
            "It is as usual: {} in its baseline, {} now",
            value(axis, m.center),
            value(axis, m.now)
        );
        demote_as_usual(f, &why);
    }
}

/// A fixed-threshold finding whose level is as usual: kept, since the level may still deserve
/// work later, but capped below the symptom findings (0.45–0.6) and at warning, saying why.
fn demote_as_usual(f: &mut Finding, why: &str) {
    f.score = f.score.min(0.4);
    f.severity = f.severity.min(Severity::Warning);
    f.detail.push_str(&format!(
        " {why}, not a change, so not this incident's cause."
    ));
}

/// Fixed-threshold findings about a service itself (`slow_service`, `slow_operation`,
/// `high_error_rate`) on a service the walk found slow or failing as usual ([`Chronic`]): the
/// same treatment as [`demote_unchanged`]'s. Without it, when the walk finds no change at all,
/// the run's fallback (the worst service by level) ranked first a service the same report
/// called "not this incident's cause" (the generated fleets end to end,
/// `tests/it/localize_generated.rs`).
pub fn demote_chronic(findings: &mut [Finding], loc: &Localization, axis: Axis) {
    let kinds: &[&str] = match axis {
        Axis::Latency => &["slow_service", "slow_operation"],
        Axis::Errors => &["high_error_rate"],
    };
    for f in findings
        .iter_mut()
        .filter(|f| kinds.contains(&f.kind.as_str()))
    {
        let Some(ch) = loc.chronic.iter().find(|c| {
            c.axis == axis
                && f.subject.service.as_deref() == Some(c.service.as_str())
                && !is_candidate(loc, &c.service, axis)
        }) else {
            continue;
        };
        let why = format!(
            "{} is {} as usual ({} now, and over the threshold in its baseline too)",
            ch.service,
            match axis {
                Axis::Latency => "slow",
                Axis::Errors => "failing",
            },
            value(axis, ch.level)
        );
        demote_as_usual(f, &why);
    }
}

/// Whether the walk names `service` as a candidate on `axis`. A service whose server side did not
/// move while the calls to it did (a delay or failures on the way to it) is both over its
/// threshold as usual and a candidate: it is not called "not this incident's cause".
fn is_candidate(loc: &Localization, service: &str, axis: Axis) -> bool {
    loc.candidates
        .iter()
        .any(|c| c.axis == axis && c.service == service)
}

/// A latency context for the tests: namespace `shop`, p95, no logs or traces.
#[cfg(test)]
pub(super) fn test_context() -> Context<'static> {
    static NO_LOGS: BTreeMap<String, String> = BTreeMap::new();
    Context {
        axis: Axis::Latency,
        namespace: "shop",
        quantile_label: "p95",
        server_query: None,
        calls_query: None,
        now: 0.0,
        baseline: "the hour before 15m ago",
        logs: &NO_LOGS,
        traces: None,
    }
}

#[cfg(test)]
#[path = "findings_tests.rs"]
mod tests;
