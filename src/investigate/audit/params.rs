//! The audit's parameters, resolved from the runbook's thresholds (a `--threshold`/config
//! override first), the flags and the context's sampling policy: plain values the detectors read.
//! Not the detectors (`crate::analysis::audit`). Tests: below.

use crate::analysis::audit::AuditParams;
use crate::analysis::collector_config::SamplingPolicy;
use crate::cli::AuditArgs;
use crate::runbook::Runbook;
use crate::settings::Settings;
use crate::settings::file::SamplingBlock;

pub(super) fn params(rb: &Runbook, s: &Settings, args: &AuditArgs) -> AuditParams {
    let d = AuditParams::default();
    let num = |k: &str, default: f64| {
        let v = s.threshold(k, rb.threshold(k));
        if v.is_finite() && v >= 0.0 {
            v
        } else {
            default
        }
    };
    let count = |k: &str, default: usize| num(k, default as f64).max(1.0) as usize;
    let (sampling, adaptive, sampling_source) = sampling_policy(s.sampling.as_ref());
    AuditParams {
        max_spans_per_trace: count("max_spans_per_trace", d.max_spans_per_trace),
        max_events_per_span: count("max_events_per_span", d.max_events_per_span),
        baggage_max_bytes: count("baggage_max_bytes", d.baggage_max_bytes),
        name_variants: count("name_variants", d.name_variants),
        max_names_per_service: count("max_names_per_service", d.max_names_per_service),
        sampling,
        adaptive,
        sampling_source,
        sampling_tolerance: num("sampling_tolerance", d.sampling_tolerance),
        detect_ips: args.detect_ips,
        weight_critical: num("score_critical", d.weight_critical),
        weight_warning: num("score_warning", d.weight_warning),
        weight_info: num("score_info", d.weight_info),
        trace_query: String::new(),
        at: String::new(),
        trace_source: "jaeger".into(),
        trace_links: None,
        namespace: s.namespace.clone(),
        span_loss_min_ratio: num("span_loss_min_ratio", d.span_loss_min_ratio),
        span_loss_factor: num("span_loss_factor", d.span_loss_factor),
    }
}

/// The sampling policy: the context's `sampling:` block over the guide's defaults, as
/// `investigate data-loss` reads it (audit does not read the `sampling-config` ConfigMap, since
/// it does not talk to Kubernetes). A rate outside [0, 1] is ignored, as a typo (`10` for 10%).
fn sampling_policy(block: Option<&SamplingBlock>) -> (SamplingPolicy, bool, String) {
    let mut p = SamplingPolicy::default();
    let Some(b) = block else {
        return (p, true, "the guide's defaults (section 2.3.2)".into());
    };
    let set = |v: Option<f64>, into: &mut f64| {
        if let Some(r) = v.filter(|r| r.is_finite() && (0.0..=1.0).contains(r)) {
            *into = r;
        }
    };
    set(b.default_rate, &mut p.default_rate);
    set(b.critical_rate, &mut p.critical_rate);
    set(b.high_volume_rate, &mut p.high_volume_rate);
    set(b.adaptive_min, &mut p.adaptive_min);
    set(b.adaptive_max, &mut p.adaptive_max);
    if !b.critical_services.is_empty() {
        p.critical_services = b.critical_services.clone();
    }
    if !b.high_volume_services.is_empty() {
        p.high_volume_services = b.high_volume_services.clone();
    }
    (
        p,
        b.adaptive.unwrap_or(true),
        "the context's sampling: block".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sampling_policy_is_the_contexts_block_over_the_guides() {
        let (p, adaptive, source) = sampling_policy(None);
        assert_eq!(
            (p.default_rate, p.critical_rate, adaptive),
            (0.1, 1.0, true)
        );
        assert!(source.contains("guide"));
        let block = SamplingBlock {
            default_rate: Some(10.0),
            critical_services: vec!["payment".into()],
            critical_rate: Some(0.5),
            adaptive: Some(false),
            ..SamplingBlock::default()
        };
        let (p, adaptive, source) = sampling_policy(Some(&block));
        assert_eq!(p.default_rate, 0.1, "10 (for 10%) is a typo, not a rate");
        assert_eq!(p.critical_rate, 0.5);
        assert_eq!(p.critical_services, vec!["payment".to_string()]);
        assert!(!adaptive);
        assert_eq!(source, "the context's sampling: block");
    }
}
