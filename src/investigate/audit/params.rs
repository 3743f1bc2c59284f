//! The audit's parameters, resolved from the runbook's thresholds (a `--threshold`/config
//! override first), the flags and the context's sampling policy: plain values the detectors read.
//! The cluster's policy sources are the `sampling-policy` step's (`mod.rs`). Not the detectors
//! (`crate::analysis::audit`). Tests: `tests/it/audit.rs`, `tests/it/dataloss.rs`.

use crate::analysis::audit::AuditParams;
use crate::analysis::dataloss::Policy;
use crate::cli::AuditArgs;
use crate::investigate::sampling_policy::{CONFIG_FILE, spec_of};
use crate::runbook::Runbook;
use crate::settings::Settings;

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
    AuditParams {
        max_spans_per_trace: count("max_spans_per_trace", d.max_spans_per_trace),
        max_events_per_span: count("max_events_per_span", d.max_events_per_span),
        baggage_max_bytes: count("baggage_max_bytes", d.baggage_max_bytes),
        name_variants: count("name_variants", d.name_variants),
        max_names_per_service: count("max_names_per_service", d.max_names_per_service),
        // The context's block, or the guide's until the `sampling-policy` step reads the
        // cluster's sources.
        policy: match &s.sampling {
            Some(b) => spec_of(b).apply(Policy::default(), CONFIG_FILE),
            None => Policy::default(),
        },
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
