//! Sampling (guide 2.3, and step 1 of the data-loss runbook): each service's effective sampling
//! ratio against the policy `investigate data-loss` uses too, from the same sources (the
//! context's `sampling:` block, the `sampling-config` ConfigMap, the Collector's samplers, the
//! SDK environment; else the guide's 2.3.2: 10% by default and adaptively 0.1%–50%, 100% for
//! critical services, 1% for high-volume ones; a fixed rate within `sampling_tolerance`), each
//! finding citing the source that holds its service. The ratio comes from the metrics
//! (spans kept / spans started) when they exist, else from the `sampler.type` / `sampler.param`
//! tags Jaeger SDKs put on the spans where they decide. Head-sampling consistency is judged from the traces' shape, in
//! `propagation.rs`. Tests: `tests/sampling.rs`.

use std::collections::BTreeMap;

use super::{AuditParams, Issue, MetricRows};
use crate::analysis::common::prom;
use crate::model::trace::Trace;
use crate::report::units;
use crate::report::{Evidence, Severity, Subject};
use crate::runbook::kinds::remedy;

/// A head sampler's ratio from Jaeger's sampler tags; `None` for rate limiting or unknown types.
pub fn sampler_ratio(kind: &str, param: &str) -> Option<f64> {
    let v = match param.trim() {
        "true" => 1.0,
        "false" => 0.0,
        p => p.parse::<f64>().ok()?,
    };
    match kind {
        "probabilistic" | "lowerbound" | "const" if v.is_finite() => Some(v.clamp(0.0, 1.0)),
        _ => None,
    }
}

pub fn detect(
    traces: &[Trace],
    metrics: Option<&MetricRows<String>>,
    p: &AuditParams,
) -> Vec<Issue> {
    // Service → (ratio, where it came from).
    let mut effective: BTreeMap<String, (f64, Evidence)> = BTreeMap::new();
    if let Some(m) = metrics {
        for (svc, ratio) in m.rows.iter().filter(|(_, r)| r.is_finite()) {
            let mut e = prom(&m.query, units::percent(*ratio), 0.0);
            e.at = (!p.at.is_empty()).then(|| p.at.clone());
            effective.insert(svc.clone(), (*ratio, e));
        }
    }
    // The most common configured ratio per service, from the spans that carry sampler tags.
    let mut tagged: BTreeMap<&str, BTreeMap<String, (usize, f64, &str)>> = BTreeMap::new();
    for t in traces {
        for s in p.spans(t) {
            let (Some(kind), Some(param)) = (t.tag(s, "sampler.type"), t.tag(s, "sampler.param"))
            else {
                continue;
            };
            if let Some(r) = sampler_ratio(kind, param) {
                let e = tagged
                    .entry(s.service.as_str())
                    .or_default()
                    .entry(format!("{kind} {param}"))
                    .or_insert((0, r, &t.trace_id));
                e.0 += 1;
            }
        }
    }
    for (svc, configs) in tagged {
        if effective.contains_key(svc) {
            continue;
        }
        if let Some((cfg, (n, r, trace))) = configs
            .iter()
            .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0)))
        {
            let mut e = p.jaeger(
                svc,
                format!("sampler {cfg} on {n} spans of {svc}"),
                Some(trace),
            );
            e.query = e
                .query
                .map(|q| format!("{q} (tags sampler.type, sampler.param)"));
            effective.insert(svc.to_string(), (*r, e));
        }
    }
    let mut out = Vec::new();
    for (svc, (ratio, evidence)) in effective {
        let (rate, tier) = p.policy(&svc);
        let (low, high) = p.on_policy(&svc);
        let source = p.policy.source_of(&svc);
        let floor = p.policy.sampling.adaptive_min;
        // Below the adaptive floor a service is starved, unless its own policy says less.
        let starved = ratio < floor.min(low);
        if !starved && ratio >= low && ratio <= high {
            continue;
        }
        let severity = if starved {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let (what, why, bound) = if ratio < low {
            (
                "keeps too few",
                "Too low a ratio leaves too few traces of rare errors and slow requests to debug \
                 them.",
                low,
            )
        } else {
            (
                "keeps too many",
                "Above the policy, the service pays storage and Collector load for traces nobody \
                 asked for.",
                high,
            )
        };
        // How far off, on a log scale: a factor of 100 from the nearest bound is as bad as it gets.
        let off = if ratio > 0.0 && bound > 0.0 {
            ((ratio / bound).ln().abs() / (100f64).ln()).min(1.0)
        } else {
            1.0
        };
        let expected = if low == high {
            fmt_ratio(low)
        } else {
            format!("{}–{}", fmt_ratio(low), fmt_ratio(high))
        };
        out.push(
            Issue::new(
                "sampling_off_policy",
                severity,
                Subject::service(&svc),
                format!(
                    "{svc} {what} traces: effective sampling {}, the policy says {expected} \
                     ({tier} tier)",
                    fmt_ratio(ratio),
                ),
                off,
            )
            .detail(format!(
                "{why} {svc}'s policy is from {source}: {tier} services sample {}{}; below {} a \
                 service is starved.",
                fmt_ratio(rate),
                p.leeway(&svc),
                fmt_ratio(floor)
            ))
            .evidence(evidence)
            // Where the policy came from, per service (as data-loss cites it).
            .evidence(Evidence {
                source: "policy".into(),
                query: Some(source.to_string()),
                value: Some(format!("{svc}: {tier} tier, {}", fmt_ratio(rate))),
                ..Default::default()
            })
            .remediation(remedy(
                "sampling_off_policy",
                "head-sampler",
                &[
                    ("service", &svc),
                    ("ratio", &rate.to_string()),
                    ("namespace", &p.namespace),
                ],
            )),
        );
    }
    out
}

fn fmt_ratio(r: f64) -> String {
    if r > 0.0 && r < 0.01 {
        format!("{:.2}%", r * 100.0)
    } else {
        units::percent(r)
    }
}
