//! The producers' findings: a service that stopped sending (`service_not_sending`), a service's
//! SDK dropping spans (`spans_dropped`), a sampling ratio against the policy
//! (`sampling_misconfigured`), and a service ConfigMap that disables tracing (`config_risk`).
//! Pure; tests in `tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::{COUNTED_BY_COLLECTOR, DataLossEvidence, DataLossParams, Rates, ServiceEvidence, Tier};
use crate::analysis::common::prom;
use crate::report::units;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

/// Marks a config finding that turns a service's tracing off, for `super::explain`.
pub(crate) const DISABLES_TRACING: &str = "disables tracing";

pub(super) fn spans(v: f64) -> String {
    format!("{} spans/s", units::rate(v))
}

/// 0 for nothing lost, ½ at the critical ratio, → 1 as everything is lost.
pub(super) fn loss_weight(ratio: f64, critical: f64) -> f64 {
    if !ratio.is_finite() || ratio <= 0.0 {
        return 0.0;
    }
    ratio / (ratio + critical.max(1e-9))
}

fn wanted(ev: &DataLossEvidence, svc: &str) -> bool {
    ev.service.as_deref().is_none_or(|s| s == svc)
}

/// The values every service remedy names.
fn svc_at<'a>(svc: &'a str, ns: &'a str) -> [(&'static str, &'a str); 2] {
    [("service", svc), ("namespace", ns)]
}

pub(super) fn not_sending(
    ev: &DataLossEvidence,
    s: &ServiceEvidence,
    p: &DataLossParams,
) -> Vec<Finding> {
    // Raw: the remediation templates quote it.
    let ns = ev.namespace.as_str();
    let services: BTreeSet<&String> = s
        .baselines
        .iter()
        .flat_map(|b| b.spans.values.keys())
        .filter(|svc| !svc.is_empty() && wanted(ev, svc))
        .collect();
    let mut out = Vec::new();
    for svc in services {
        // The larger baseline: a service silent for a day is still caught by the 1d offset.
        let Some((b, base)) = s
            .baselines
            .iter()
            .filter_map(|b| Some((b, *b.spans.values.get(svc)?)))
            .filter(|(_, v)| v.is_finite())
            .max_by(|x, y| {
                x.1.total_cmp(&y.1)
                    .then_with(|| y.0.offset.cmp(&x.0.offset))
            })
        else {
            continue;
        };
        if base < p.min_span_rate {
            continue;
        }
        let now = s
            .spans
            .values
            .get(svc)
            .copied()
            .filter(|v| v.is_finite())
            .unwrap_or(0.0);
        let ratio = now / base;
        if ratio >= p.fewer_spans_ratio {
            continue;
        }
        let req_base = b
            .requests
            .as_ref()
            .and_then(|r| r.values.get(svc))
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0);
        let serving = match (&s.requests, req_base) {
            // No series now while there was one: it serves nothing.
            (Some(r), Some(rb)) => Some(r.values.get(svc).copied().unwrap_or(0.0) / rb),
            _ => None,
        };
        if s.requests_independent && serving.is_some_and(|r| r < p.requests_held_ratio) {
            // It stopped serving, not sending: not a tracing loss.
            continue;
        }
        let stopped = ratio < p.not_sending_ratio;
        let held = s.requests_independent && serving.is_some();
        let (severity, score) = match (stopped, held) {
            (true, true) => (Severity::Critical, 0.85),
            (true, false) => (Severity::Critical, 0.7),
            (false, true) => (Severity::Warning, 0.6),
            (false, false) => (Severity::Warning, 0.5),
        };
        let off = &b.offset;
        let title = if stopped {
            format!(
                "{svc} stopped sending spans: {} now, {} {off} ago",
                spans(now),
                spans(base)
            )
        } else {
            format!(
                "{svc} sends {} of the spans it sent {off} ago ({} vs {})",
                units::percent(ratio),
                spans(now),
                spans(base)
            )
        };
        let mut detail = match (held, s.requests_independent) {
            (true, _) => format!(
                "Its request rate held ({} of {off} ago), so it still serves: its spans are lost \
                 before they leave it (instrumentation, SDK, exporter).",
                units::percent(serving.unwrap_or(0.0))
            ),
            (false, false) => "With this profile the request rate is counted from the same spans, \
                so a service that stopped serving looks the same; check its own request metrics."
                .to_string(),
            (false, true) => {
                "Its request rate is unknown, so it may also have stopped serving.".to_string()
            }
        };
        if s.counted_by_collector {
            detail.push_str(&format!(
                " The span rate is {COUNTED_BY_COLLECTOR}: spans the Collector never received \
                 count as not sent."
            ));
        }
        let mut f = Finding::new(
            "service_not_sending",
            severity,
            score,
            Subject::service(svc),
            title,
        )
        .detail(detail)
        .evidence(prom(&s.spans.query, format!("{svc}={now:.3}"), ev.now))
        .evidence(prom(&b.spans.query, format!("{svc}={base:.3}"), ev.now));
        if let (Some(r), Some(rb)) = (&s.requests, req_base) {
            let rn = r.values.get(svc).copied().unwrap_or(0.0);
            f = f.evidence(prom(&r.query, format!("{svc}={rn:.3}"), ev.now));
            if let Some(brq) = &b.requests {
                f = f.evidence(prom(&brq.query, format!("{svc}={rb:.3}"), ev.now));
            }
        }
        f = f
            .remediation(remedy("service_not_sending", "settings", &svc_at(svc, ns)))
            .remediation(remedy(
                "service_not_sending",
                "export-errors",
                &svc_at(svc, ns),
            ))
            .remediation(remedy("service_not_sending", "restart", &svc_at(svc, ns)));
        out.push(f);
    }
    out
}

pub(super) fn dropped(
    ev: &DataLossEvidence,
    s: &ServiceEvidence,
    p: &DataLossParams,
) -> Vec<Finding> {
    let Some(d) = &s.dropped else {
        return Vec::new();
    };
    // Raw: the remediation templates quote it.
    let ns = ev.namespace.as_str();
    let critical = p.funnel.critical_loss_ratio;
    let mut out = Vec::new();
    for (svc, &lost) in &d.values {
        if svc.is_empty() || !wanted(ev, svc) || !lost.is_finite() || lost <= 0.0 {
            continue;
        }
        let total = s.spans.values.get(svc).copied().unwrap_or(0.0);
        let ratio = if total > 0.0 {
            (lost / total).min(1.0)
        } else {
            1.0
        };
        if ratio < p.drop_ratio || lost < p.funnel.min_loss_rate.min(p.min_span_rate) {
            continue;
        }
        let severity = if ratio >= critical {
            Severity::Critical
        } else {
            Severity::Warning
        };
        out.push(
            Finding::new(
                "spans_dropped",
                severity,
                0.5 + 0.35 * loss_weight(ratio, critical),
                Subject::service(svc),
                format!(
                    "{svc} drops {} of its spans ({}) before sending them",
                    units::percent(ratio),
                    spans(lost)
                ),
            )
            .detail(
                "mcp_spans_dropped_total counts spans the service's SDK discarded: its batch span \
                 processor's queue was full (the exporter too slow or failing), or the span \
                 limits cut them.",
            )
            .evidence(prom(&d.query, format!("{svc}={lost:.3}"), ev.now))
            .evidence(prom(&s.spans.query, format!("{svc}={total:.3}"), ev.now))
            .remediation(remedy("spans_dropped", "batch-room", &svc_at(svc, ns)))
            .remediation(remedy("spans_dropped", "exports-first", &[])),
        );
    }
    out
}

pub(super) fn sampling(ev: &DataLossEvidence, r: &Rates, p: &DataLossParams) -> Vec<Finding> {
    // Raw: the remediation templates quote it.
    let ns = ev.namespace.as_str();
    let policy = &ev.policy;
    let tol = p.sampling_tolerance.max(0.0);
    let mut out = Vec::new();
    for (svc, &ratio) in &r.values {
        if svc.is_empty() || !wanted(ev, svc) || !ratio.is_finite() || ratio < 0.0 {
            continue;
        }
        // Too few spans for a ratio to mean anything.
        if let Some(s) = &ev.services
            && s.spans
                .values
                .get(svc)
                .is_some_and(|v| *v < p.min_span_rate)
        {
            continue;
        }
        let expect = policy.expect(svc);
        let (tier, rate) = (expect.tier, expect.rate);
        let adaptive = expect.range.is_some();
        let (min, max) = expect.range.unwrap_or((rate, rate));
        // The band the sampling step's query compares with too (`bands.rs`).
        let band = expect.band(tol);
        if band.contains(ratio) {
            continue;
        }
        let lo = band.low;
        let under = ratio < lo;
        let severity = if under && (tier == Tier::Critical || ratio < lo / 10.0) {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let score = match (severity, under) {
            (Severity::Critical, _) => 0.75,
            (_, true) => 0.55,
            _ => 0.5,
        };
        let policy_words = expect.words();
        // The rate to set: the policy's, or for adaptive the nearest bound.
        let target = if adaptive {
            if under { min.max(rate.min(max)) } else { max }
        } else {
            rate
        };
        let detail = if under {
            format!(
                "{} of {svc}'s traces are never recorded: they are dropped by the sampler before \
                 they exist.",
                units::percent(1.0 - ratio)
            )
        } else {
            format!(
                "Over-sampling a {} service floods the Collector and storage, which then drop \
                 spans of every service.",
                tier.as_str()
            )
        };
        out.push(
            Finding::new(
                "sampling_misconfigured",
                severity,
                score,
                Subject::service(svc),
                format!(
                    "{svc} samples {} of its spans; {policy_words}",
                    units::percent(ratio)
                ),
            )
            .detail(detail)
            .evidence(prom(&r.query, format!("{svc}={ratio:.4}"), ev.now))
            .evidence(Evidence {
                source: "policy".into(),
                query: Some(policy.source_of(svc).to_string()),
                value: Some(format!(
                    "{svc}: {} tier, {}",
                    tier.as_str(),
                    units::percent(rate)
                )),
                ..Default::default()
            })
            .remediation(remedy(
                "sampling_misconfigured",
                "set-sampler",
                &[
                    svc_at(svc, ns)[0],
                    svc_at(svc, ns)[1],
                    ("percent", &units::percent(target)),
                    ("ratio", &trim_rate(target)),
                ],
            ))
            .remediation(remedy(
                "sampling_misconfigured",
                "tail-policy",
                &[
                    ("service", svc.as_str()),
                    ("percentage", &trim_rate(target * 100.0)),
                ],
            )),
        );
    }
    out
}

/// `0.1` → `0.1`, `1.0` → `1`, `0.00100000001` → `0.001`.
fn trim_rate(v: f64) -> String {
    let s = format!("{:.6}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The service's own ConfigMap: settings that turn its tracing off, or a sampler arg against the
/// policy.
pub(super) fn service_config(
    ev: &DataLossEvidence,
    name: &str,
    data: &BTreeMap<String, String>,
    p: &DataLossParams,
) -> Vec<Finding> {
    let Some(svc) = ev.service.as_deref() else {
        return Vec::new();
    };
    // Raw: the remediation templates quote it.
    let ns = ev.namespace.as_str();
    let get = |k: &str| data.get(k).map(|v| v.trim().to_ascii_lowercase());
    let mut out = Vec::new();
    let resource = format!("configmap/{name}");
    let at = [("configmap", name), ("namespace", ns), ("service", svc)];
    let off: [(&str, &[&str], &str, &str, &str); 3] = [
        (
            "OTEL_SDK_DISABLED",
            &["true"],
            "disables the OpenTelemetry SDK",
            "false",
            "enable the SDK",
        ),
        (
            "OTEL_TRACES_EXPORTER",
            &["none"],
            "sets no trace exporter",
            "otlp",
            "export traces over OTLP",
        ),
        (
            "OTEL_TRACES_SAMPLER",
            &["always_off", "parentbased_always_off"],
            "samples nothing",
            "parentbased_traceidratio",
            "sample by ratio",
        ),
    ];
    for (key, bad, what, fix, fix_words) in off {
        let Some(v) = get(key) else { continue };
        if !bad.contains(&v.as_str()) {
            continue;
        }
        out.push(
            Finding::new(
                "config_risk",
                Severity::Critical,
                0.8,
                Subject::service(svc).with_resource(&resource),
                format!("{name} {what} ({key}={v}): {svc} produces no spans"),
            )
            .detail(format!(
                "The service's own configuration {DISABLES_TRACING}: no Collector or storage \
                 setting can bring those spans back."
            ))
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some(format!("configmap {}/{name} key {key}", ev.namespace)),
                value: Some(v.clone()),
                ..Default::default()
            })
            .remediation(remedy(
                "config_risk",
                "service-setting",
                &[
                    at[0],
                    at[1],
                    at[2],
                    ("key", key),
                    ("value", fix),
                    ("words", fix_words),
                ],
            )),
        );
    }
    let ratio_sampler = get("OTEL_TRACES_SAMPLER")
        .is_some_and(|s| s == "traceidratio" || s == "parentbased_traceidratio");
    if ratio_sampler
        && let Some(arg) = get("OTEL_TRACES_SAMPLER_ARG").and_then(|a| a.parse::<f64>().ok())
    {
        let policy = &ev.policy;
        let expect = policy.expect(svc);
        let (tier, rate) = (expect.tier, expect.rate);
        let tol = p.sampling_tolerance.max(0.0);
        let (lo, hi) = if let Some(range) = expect.range {
            range
        } else {
            (rate * (1.0 - tol), (rate * (1.0 + tol)).min(1.0))
        };
        if arg.is_finite() && (arg < lo || arg > hi) {
            out.push(
                Finding::new(
                    "config_risk",
                    Severity::Warning,
                    0.5,
                    Subject::service(svc).with_resource(&resource),
                    format!(
                        "{name} sets {svc}'s sampler to {}; its {} policy is {}",
                        units::percent(arg),
                        tier.as_str(),
                        units::percent(rate)
                    ),
                )
                .detail(format!("Sampling policy: {}.", policy.source))
                .evidence(Evidence {
                    source: "kubernetes".into(),
                    query: Some(format!(
                        "configmap {}/{name} key OTEL_TRACES_SAMPLER_ARG",
                        ev.namespace
                    )),
                    value: Some(trim_rate(arg)),
                    ..Default::default()
                })
                .remediation(remedy(
                    "config_risk",
                    "service-sampling",
                    &[
                        at[0],
                        at[1],
                        at[2],
                        ("key", "OTEL_TRACES_SAMPLER_ARG"),
                        ("value", &trim_rate(rate)),
                        ("percent", &units::percent(rate)),
                    ],
                )),
            );
        }
    }
    out
}
