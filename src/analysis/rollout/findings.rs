//! Comparisons become findings: titles and details in words, the windows, the rollout's image
//! and change cause, the undo command (safe: back to the previous revision) and the runbook that
//! finds the cause; and the `insufficient_traffic` finding that says how long to wait. Pure;
//! tests in `tests.rs` beside this file.

use super::judge::{Check, Regression, histogram_total};
use super::{Counts, Cut, MIN_WINDOW_SECONDS, RolloutEvidence, RolloutParams, RolloutRef};
use crate::analysis::common::{fmt_time, hhmm, prom};
use crate::report::units;
use crate::report::{Finding, Remediation, Severity, Subject};
use crate::runbook::kinds::remedy;

/// A share with the precision small error ratios need.
pub(super) fn share(v: f64) -> String {
    units::percent_fine(v, 0.1, 2)
}

pub(super) fn p_value(p: f64) -> String {
    if p < 1e-16 {
        // Below what the tests' approximations resolve; and certain enough.
        "p < 1e-16".to_string()
    } else if p < 0.001 {
        format!("p = {p:.1e}")
    } else {
        format!("p = {p:.3}")
    }
}

pub(super) use crate::report::units::duration_words;

/// Round a wait up to whole minutes: nobody schedules a re-run to the second.
pub(super) fn whole_minutes(seconds: f64) -> f64 {
    (seconds / 60.0).ceil().max(1.0) * 60.0
}

/// The windows in words, and why they are shorter than asked.
pub(super) fn windows_words(ev: &RolloutEvidence, after: (f64, f64)) -> String {
    format!(
        "Windows of {}: before {} to {}, after {} to {} (from {} after the rollout began, to let it settle){}.",
        duration_words(ev.windows.length()),
        fmt_time(ev.windows.before.0),
        fmt_time(ev.windows.before.1),
        fmt_time(after.0),
        fmt_time(after.1),
        duration_words(ev.settle),
        match (ev.windows.cut, &ev.rollout) {
            (Cut::Now, _) => " — shorter than --window: the rollout is recent".to_string(),
            (
                Cut::NextRevision,
                Some(RolloutRef {
                    next: Some((n, t)), ..
                }),
            ) => format!(
                " — shorter than --window: revision {n} followed at {}",
                hhmm(*t)
            ),
            _ => String::new(),
        }
    )
}

/// The requests a window holds, by the request counter, or by the histogram when only the
/// latency step answered.
pub(super) fn gated(ev: &RolloutEvidence, c: &Counts) -> f64 {
    if ev.answered.traffic {
        c.requests
    } else {
        histogram_total(&c.buckets)
    }
}

/// The rollout as words and as a subject's resource.
pub(super) fn rollout_words(ev: &RolloutEvidence) -> (String, Option<String>) {
    match &ev.rollout {
        Some(r) => (
            format!(
                "revision {} of {}/{}",
                r.revision,
                r.kind.as_str(),
                r.deployment
            ),
            Some(format!(
                "{}/{} revision {}",
                r.kind.as_str(),
                r.deployment,
                r.revision
            )),
        ),
        None => (format!("the rollout at {}", fmt_time(ev.at)), None),
    }
}

/// The fix: back to the revision before (safe), or advice when the history cannot name it.
fn undo(kind: &str, ev: &RolloutEvidence) -> Remediation {
    let ns = ev.namespace.as_str();
    match &ev.rollout {
        Some(RolloutRef {
            kind: workload,
            deployment,
            previous: Some(prev),
            next,
            ..
        }) => {
            let prev = prev.to_string();
            let at = [
                ("kind", workload.as_str()),
                ("deployment", deployment.as_str()),
                ("revision", prev.as_str()),
                ("namespace", ns),
            ];
            match next {
                Some((n, _)) => remedy(
                    kind,
                    "roll-back-past",
                    &[at[0], at[1], at[2], at[3], ("next", &n.to_string())],
                ),
                None => remedy(kind, "roll-back", &at),
            }
        }
        Some(r) => remedy(
            kind,
            "fix-forward",
            &[
                ("revision", &r.revision.to_string()),
                ("deployment", &r.deployment),
            ],
        ),
        None => remedy(kind, "roll-back-release", &[("at", &fmt_time(ev.at))]),
    }
}

/// The runbook that finds why, run on the service (and the operation, for latency).
fn follow_up(check: Check, ev: &RolloutEvidence, operation: Option<&str>) -> Option<Remediation> {
    let at = [
        ("service", ev.service.as_str()),
        ("namespace", ev.namespace.as_str()),
    ];
    Some(match (check, operation) {
        (Check::Latency, Some(op)) => remedy(
            check.kind(),
            "find-why-operation",
            &[at[0], at[1], ("operation", op)],
        ),
        (Check::Latency | Check::Errors, _) => remedy(check.kind(), "find-why", &at),
        (Check::Throughput, _) => return None,
    })
}

pub(super) fn finding(
    check: Check,
    r: &Regression,
    ev: &RolloutEvidence,
    what: &str,
    resource: Option<&str>,
    windows_words: &str,
    per_operation: bool,
) -> Finding {
    let (severity, base) = if r.critical {
        (Severity::Critical, 0.85)
    } else {
        (Severity::Warning, 0.65)
    };
    // The service-level verdict leads; the operations that explain it follow.
    let score = base + 0.1 * r.strength - if per_operation { 0.1 } else { 0.0 };
    let mut subject = Subject::service(&ev.service);
    if let Some(op) = &r.scope {
        subject = subject.with_operation(op);
    }
    if let Some(res) = resource {
        subject = subject.with_resource(res);
    }
    let mut detail = format!(
        "Compared before and after {what}. {} {windows_words}",
        r.detail
    );
    if let Some(RolloutRef {
        images,
        change_cause,
        ..
    }) = &ev.rollout
    {
        if let Some(image) = images.first() {
            detail.push_str(&format!(" Image: {image}."));
        }
        if let Some(cause) = change_cause {
            detail.push_str(&format!(" Change cause: {cause}."));
        }
    }
    let mut f =
        Finding::new(check.kind(), severity, score, subject, r.title.clone()).detail(detail);
    for e in &r.evidence {
        f = f.evidence(e.clone());
    }
    f = f.remediation(undo(check.kind(), ev));
    if let Some(follow) = follow_up(check, ev, r.scope.as_deref()) {
        f = f.remediation(follow);
    }
    f
}

fn insufficient_finding(
    ev: &RolloutEvidence,
    resource: Option<&str>,
    title: String,
    detail: String,
) -> Finding {
    let mut subject = Subject::service(&ev.service);
    if let Some(res) = resource {
        subject = subject.with_resource(res);
    }
    let query = if ev.answered.traffic {
        &ev.queries.requests
    } else {
        &ev.queries.buckets
    };
    let mut f = Finding::new("insufficient_traffic", Severity::Info, 0.2, subject, title)
        .detail(detail)
        .evidence(prom(
            query,
            format!("before: {:.0} requests", gated(ev, &ev.overall.before)),
            ev.windows.before.1,
        ));
    if let Some(after) = ev.windows.after {
        f = f.evidence(prom(
            query,
            format!("after: {:.0} requests", gated(ev, &ev.overall.after)),
            after.1,
        ));
    }
    f
}

/// The rollout is too recent for an after window at all.
pub(super) fn too_early(ev: &RolloutEvidence, p: &RolloutParams) -> Finding {
    let (what, resource) = rollout_words(ev);
    let t_before = ev.windows.length();
    let n1 = gated(ev, &ev.overall.before);
    let needed = if n1 > 0.0 && t_before > 0.0 {
        whole_minutes(p.min_requests / (n1 / t_before)).max(MIN_WINDOW_SECONDS)
    } else {
        MIN_WINDOW_SECONDS
    };
    let until = ev.at + ev.settle + needed;
    let reason = match (&ev.windows.cut, &ev.rollout) {
        (
            Cut::NextRevision,
            Some(RolloutRef {
                next: Some((n, t)), ..
            }),
        ) => format!(
            "revision {n} followed at {}, before {what} had settled for {}: there is no window to compare",
            hhmm(*t),
            duration_words(MIN_WINDOW_SECONDS)
        ),
        _ => format!(
            "{what} began at {}; the after window starts {} later and needs at least {}",
            hhmm(ev.at),
            duration_words(ev.settle),
            duration_words(MIN_WINDOW_SECONDS)
        ),
    };
    let title = match ev.windows.cut {
        Cut::NextRevision => format!("{what} cannot be judged: another revision followed too soon"),
        _ => format!("too early to judge {what}: run again after {}", hhmm(until)),
    };
    let mut detail = format!("{}.", capitalise(&reason));
    if n1 > 0.0 {
        detail.push_str(&format!(
            " Before it, {} had {n1:.0} requests in {} ({:.2}/s): {:.0} requests take about {}.",
            ev.service,
            duration_words(t_before),
            n1 / t_before,
            p.min_requests,
            duration_words(needed)
        ));
    }
    insufficient_finding(ev, resource.as_deref(), title, detail)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Too few requests in a window to compare errors and latency.
pub(super) fn insufficient(
    ev: &RolloutEvidence,
    p: &RolloutParams,
    n1: f64,
    n2: f64,
    length: f64,
    what: &str,
    resource: Option<&str>,
) -> Finding {
    let title = format!(
        "too little traffic to judge {what}: {n1:.0} requests before, {n2:.0} after (at least {:.0} each needed)",
        p.min_requests
    );
    let slowest = [n1, n2]
        .into_iter()
        .filter(|n| *n > 0.0)
        .map(|n| n / length)
        .fold(f64::INFINITY, f64::min);
    let advice = if !slowest.is_finite() {
        format!(
            "No requests at all in either window: check that {} receives traffic, that --profile names its metrics, and that its metrics' service label is {:?}.",
            ev.service, ev.service
        )
    } else if n1 <= 0.0 || n2 <= 0.0 {
        "One window had no requests at all, so there is nothing to compare; a longer --window may help.".to_string()
    } else {
        let needed = whole_minutes(p.min_requests / slowest);
        let rate = format!(
            "At {slowest:.2} requests/s, {:.0} requests take {}",
            p.min_requests,
            duration_words(needed)
        );
        let ready = ev.at + ev.settle + needed;
        match ev.windows.cut {
            Cut::NextRevision => format!(
                "{rate}, but a later revision followed, so the after window cannot be longer."
            ),
            Cut::Now if needed <= ev.requested_window => {
                format!("{rate}: run again after {}.", hhmm(ready))
            }
            Cut::Now => format!(
                "{rate}: run again after {} with --window {}.",
                hhmm(ready),
                duration_words(needed)
            ),
            Cut::No => format!(
                "{rate}: run again with --window {}{}.",
                duration_words(needed),
                if ev.windows.after.is_some_and(|a| ready > a.1) {
                    format!(" after {}", hhmm(ready))
                } else {
                    String::new()
                }
            ),
        }
    };
    insufficient_finding(
        ev,
        resource,
        title,
        format!("No regression can be told from noise with so few requests. {advice}"),
    )
}
