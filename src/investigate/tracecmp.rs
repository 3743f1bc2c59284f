//! The `trace-compare` step (issue 15): the symptom's traces from the last minutes against those
//! of the baseline hour (or, with no baseline traces, slow against fast), compared per service
//! by [`compare`] (self time, critical-path share, over-representation in the anomalous traces,
//! delays between services); whether the result agrees with the graph walk, and each service's
//! change as trace evidence for it. Two searches of the trace store, each bounded by
//! `trace_compare_limit` and the trace limits. Tests: `tests/it/localize.rs`.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::StepError;
use super::ctx::Ctx;
use crate::analysis::traces::compare::{Params, TraceComparison, compare};
use crate::analysis::traces::limits;
use crate::backends::jaeger::TraceQuery;

/// The step's id in the runbooks.
pub const STEP: &str = "trace-compare";

/// The baseline hour, as the metrics' and the logs'.
const BASELINE: Duration = Duration::from_secs(3600);

/// How many traces each window's search asks for.
pub fn limit(ctx: &Ctx<'_>) -> u32 {
    let v = ctx.threshold("trace_compare_limit");
    if v.is_finite() && v >= 1.0 {
        v as u32
    } else {
        100
    }
}

/// The comparison's thresholds from the runbook (`trace_compare_*`); a value missing or out of
/// range keeps the analysis' default.
fn params(ctx: &Ctx<'_>) -> Params {
    let d = Params::default();
    let t = |k: &str, default: f64| {
        let v = ctx.threshold(k);
        if v.is_finite() && v > 0.0 { v } else { default }
    };
    let z = t("trace_compare_z_min", d.self_time.z_min);
    let slow = t("trace_compare_slow_quantile", 0.8);
    Params {
        min_spans: t("trace_compare_min_spans", d.min_spans as f64) as usize,
        self_time: crate::analysis::localize::Rule {
            z_min: z,
            ..d.self_time
        },
        share: crate::analysis::localize::Rule {
            z_min: z,
            ..d.share
        },
        min_ochiai: t("trace_compare_min_ochiai", d.min_ochiai).min(1.0),
        split: match d.split {
            crate::analysis::traces::compare::Split::Latency { .. } if slow < 1.0 => {
                crate::analysis::traces::compare::Split::Latency { quantile: slow }
            }
            other => other,
        },
        ..d
    }
}

/// The two windows: (baseline start, baseline end), (now start, now end).
fn windows(at: Timestamp, offset: Duration) -> ((Timestamp, Timestamp), (Timestamp, Timestamp)) {
    let d = |x: Duration| SignedDuration::try_from(x).unwrap_or_default();
    let now_len = offset.min(super::graph::DEFAULT_BASELINE_OFFSET);
    let base_end = at - d(offset);
    ((base_end - d(BASELINE), base_end), (at - d(now_len), at))
}

/// The searches, for the step's record.
pub fn shown(ctx: &Ctx<'_>, service: &str, offset: Duration) -> Vec<String> {
    let ((bs, be), (ns, ne)) = windows(ctx.at, offset);
    let l = limit(ctx);
    vec![
        format!("GET /api/traces?service={service}&start={ns}&end={ne}&limit={l}"),
        format!("GET /api/traces?service={service}&start={bs}&end={be}&limit={l}"),
    ]
}

/// Search both windows at once and compare them.
pub async fn read(
    ctx: &Ctx<'_>,
    service: &str,
    offset: Duration,
) -> Result<(TraceComparison, Option<String>), StepError> {
    let store = ctx.settings.trace_store().map_err(StepError::from)?;
    let ((bs, be), (ns, ne)) = windows(ctx.at, offset);
    let q = |start, end| TraceQuery::window(service.to_string(), start, end, limit(ctx));
    let (now, base) = (q(ns, ne), q(bs, be));
    // The comparison reads no span tag (`traces::TAGS`).
    let (now, base) = futures::join!(
        store.find_traces_keeping(&now, crate::analysis::traces::TAGS),
        store.find_traces_keeping(&base, crate::analysis::traces::TAGS)
    );
    let mut now = now?;
    // A baseline the store cannot give (retention, a failed search) leaves one window: slow
    // against fast, which the comparison says.
    let (mut base, base_note) = match base {
        Ok(b) => (b, None),
        Err(e) => (
            Vec::new(),
            Some(format!("baseline traces: {}", e.one_line())),
        ),
    };
    let notes: Vec<String> = [
        limits::bound(&mut now, Default::default()),
        limits::bound(&mut base, Default::default()),
        base_note,
    ]
    .into_iter()
    .flatten()
    .collect();
    let cmp = compare(&base, &now, &params(ctx));
    Ok((cmp, (!notes.is_empty()).then(|| notes.join("; "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_windows_are_the_last_minutes_and_the_baseline_hour() {
        let at: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
        let ((bs, be), (ns, ne)) = windows(at, Duration::from_secs(900));
        assert_eq!(be.to_string(), "2026-11-25T09:45:00Z");
        assert_eq!(bs.to_string(), "2026-11-25T08:45:00Z");
        assert_eq!((ns.to_string().as_str(), ne), ("2026-11-25T09:45:00Z", at));
        // A baseline hours back: now is still the last 15 minutes.
        let ((_, be), (ns, _)) = windows(at, Duration::from_secs(7200));
        assert_eq!(be.to_string(), "2026-11-25T08:00:00Z");
        assert_eq!(ns.to_string(), "2026-11-25T09:45:00Z");
    }
}
