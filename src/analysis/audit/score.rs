//! The per-service score (0–100), so teams can track progress: 100, minus a penalty per problem
//! kind found for the service. A kind costs its worst severity's weight (`score_critical`,
//! `score_warning`, `score_info` in `runbooks/audit.yaml`: 25, 10, 3), scaled from half to full
//! by how widespread it is (the share of the relevant spans or calls), once per kind however many
//! operations show it. A broken hop counts against both of its services. A service with no span
//! at all scores 0. Each score is an `audit_score` finding (info) whose title is `svc: N/100` and
//! whose evidence value is `N`; it ranks below every problem, worst service first.
//! Tests: `tests/score.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::{AuditParams, Issue};
use crate::model::trace::{SpanKind, Trace};
use crate::report::{Evidence, Finding, Severity, Subject};

pub const KIND: &str = "audit_score";

pub fn penalty(p: &AuditParams, severity: Severity, prevalence: f64) -> f64 {
    let w = match severity {
        Severity::Critical => p.weight_critical,
        Severity::Warning => p.weight_warning,
        Severity::Info => p.weight_info,
    };
    w * (0.5 + 0.5 * prevalence.clamp(0.0, 1.0))
}

/// Score and its deductions (kind, severity, points), largest first.
pub fn score_of(
    service: &str,
    issues: &[Issue],
    p: &AuditParams,
) -> (u32, Vec<(String, Severity, f64)>) {
    let mut worst: BTreeMap<&str, (Severity, f64)> = BTreeMap::new();
    for i in issues
        .iter()
        .filter(|i| i.charged.iter().any(|c| c == service))
    {
        let f = &i.finding;
        let e = worst
            .entry(f.kind.as_str())
            .or_insert((f.severity, i.prevalence));
        if f.severity > e.0 || (f.severity == e.0 && i.prevalence > e.1) {
            *e = (f.severity, i.prevalence);
        }
    }
    let mut deductions: Vec<(String, Severity, f64)> = worst
        .into_iter()
        .map(|(k, (s, prev))| (k.to_string(), s, penalty(p, s, prev)))
        .collect();
    deductions.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let total: f64 = deductions.iter().map(|d| d.2).sum();
    let score = (100.0 - total).round().clamp(0.0, 100.0) as u32;
    (score, deductions)
}

pub fn scores(
    scored: &BTreeSet<String>,
    issues: &[Issue],
    counts: &BTreeMap<&str, usize>,
    traces: &[Trace],
    p: &AuditParams,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for svc in scored {
        let spans = counts.get(svc.as_str()).copied().unwrap_or(0);
        let (score, deductions) = if spans == 0 {
            (0, Vec::new())
        } else {
            score_of(svc, issues, p)
        };
        let mut entries: BTreeSet<&str> = BTreeSet::new();
        let mut in_traces = 0;
        for t in traces {
            let mut seen = false;
            for s in p.spans(t).iter().filter(|s| s.service == *svc) {
                seen = true;
                if matches!(s.kind, SpanKind::Server | SpanKind::Consumer) {
                    entries.insert(&s.operation);
                }
            }
            in_traces += usize::from(seen);
        }
        let mut lines = Vec::new();
        if spans == 0 {
            lines.push(format!(
                "No span of {svc} in the sample: nothing is traced."
            ));
        } else if deductions.is_empty() {
            lines.push("No deduction: it follows every audited practice.".to_string());
        } else {
            let parts: Vec<String> = deductions
                .iter()
                .map(|(k, s, pts)| format!("{k} −{pts:.0} ({})", s.as_str()))
                .collect();
            lines.push(format!("Deductions: {}.", parts.join(", ")));
        }
        let shown: Vec<&str> = entries.iter().take(5).copied().collect();
        lines.push(format!(
            "{spans} spans in {in_traces} traces; {} entry points{}{}.",
            entries.len(),
            if shown.is_empty() { "" } else { ": " },
            shown.join(", ") + if entries.len() > 5 { ", ..." } else { "" }
        ));
        let mut f = Finding::new(
            KIND,
            Severity::Info,
            f64::from(100 - score) / 1000.0,
            Subject::service(svc),
            format!("{svc}: {score}/100"),
        )
        .detail(lines.join("\n"));
        f = f.evidence(Evidence {
            source: "tracectl".into(),
            query: Some(
                "100 − per problem kind: weight of its worst severity × (0.5 + 0.5 × share \
                 affected)"
                    .into(),
            ),
            value: Some(score.to_string()),
            at: (!p.at.is_empty()).then(|| p.at.clone()),
            link: None,
            via: None,
        });
        out.push(f);
    }
    out
}

fn score_value(f: &Finding) -> Option<u32> {
    f.evidence.first()?.value.as_deref()?.parse().ok()
}

/// `payment scores 35/100, the lowest of 4 services: <its top problem>`.
pub fn diagnosis(ranked: &[Finding]) -> Option<String> {
    let scores: Vec<(&Finding, u32)> = ranked
        .iter()
        .filter(|f| f.kind == KIND)
        .filter_map(|f| Some((f, score_value(f)?)))
        .collect();
    let (worst, score) = scores.iter().min_by_key(|(f, s)| (*s, f.rank))?;
    let svc = worst.subject.service.as_deref()?;
    let top = ranked.iter().find(|f| {
        f.kind != KIND
            && f.severity > Severity::Info
            && (f.subject.service.as_deref() == Some(svc)
                || f.subject.dependency.as_deref() == Some(svc))
    });
    let n = scores.len();
    Some(match (top, n) {
        (None, _) if *score == 100 && n > 1 => {
            format!("all {n} services score 100/100: no problem found")
        }
        (None, 1) => format!("{svc} scores {score}/100: no problem above info"),
        (None, _) => format!("{svc} scores {score}/100, the lowest of {n} services"),
        (Some(t), 1) => format!("{svc} scores {score}/100: {}", t.title),
        (Some(t), _) => format!(
            "{svc} scores {score}/100, the lowest of {n} services: {}",
            t.title
        ),
    })
}
