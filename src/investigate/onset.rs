//! Where the call graph's baseline ends with no `--baseline-at`: before the symptom's own onset,
//! when that is older than the default 15 minutes.
//! One range query of S's signal (the `affected-services` step's), the change point found by
//! [`changepoint::detect`], the decision by [`changepoint::baseline_end_before`]. Without
//! `--service` the symptom is not known before the graph is read: when the graph then finds no
//! change at all, the slowest service's onset is looked for (an incident older than the
//! baseline hides itself in it).
//! Tests: `tests/it/localize.rs` (an incident older than the baseline's default end).

use std::time::Duration;

use super::ctx::{Ctx, unix};
use super::graph::DEFAULT_BASELINE_OFFSET;
use crate::analysis::changepoint;
use crate::promql::Value;

/// Any rise clear of the noise (the change point's three pooled deviations) counts, not only
/// the `affected-services` step's 1.5×: a symptom's own rise is often small in proportion (a
/// checkout at 4.7 s whose payment call went 0.1 → 0.7 s rises 13%), and a false onset only
/// moves the baseline earlier, to a stretch that was as healthy.
const ONSET_MIN_RATIO: f64 = 1.0;

/// The baseline's offset before `--at`, the query it was found with, and what to say about it.
pub struct BaselineEnd {
    pub offset: Duration,
    pub query: Option<String>,
    /// The baseline in words when it moved (for the findings' propagation path).
    pub words: Option<String>,
    /// Why the onset could not be checked: the step's warning.
    pub warning: Option<String>,
}

impl BaselineEnd {
    /// `--baseline-at`, else the default: what the graph reads while the onset is looked for.
    pub fn configured(ctx: &Ctx<'_>) -> Self {
        BaselineEnd {
            offset: super::graph::Graph::configured_offset(ctx),
            query: None,
            words: None,
            warning: None,
        }
    }
}

/// `--baseline-at` wins; then, with a symptom, its onset; else the default.
pub async fn baseline_end(ctx: &Ctx<'_>, symptom: Option<&str>) -> BaselineEnd {
    let given = super::graph::Graph::configured_offset(ctx);
    let Some(symptom) = symptom.filter(|_| !ctx.vars.contains_key("baseline_at")) else {
        return BaselineEnd::configured(ctx);
    };
    let service = [("service", Value::Label(symptom.to_string()))];
    let Ok(q) = ctx.query("affected-services", "service", &service) else {
        return BaselineEnd::configured(ctx);
    };
    // No Prometheus: the step itself fails and says so; nothing to add here.
    if ctx.prom().is_err() {
        return BaselineEnd::configured(ctx);
    }
    let answer = ctx.trend_points(&q, ctx.settings.lookback).await;
    let (offset, words, warning) = match answer {
        Ok((points, _)) => {
            let shift = changepoint::detect(&points, ONSET_MIN_RATIO);
            match changepoint::baseline_end_before(shift, unix(ctx.at), DEFAULT_BASELINE_OFFSET) {
                Some(off) => {
                    let at = shift.map(|s| s.at).unwrap_or_default();
                    let when = jiff::Timestamp::from_second(at as i64)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    let words = format!(
                        "the hour before the symptom's onset at {when}, {} ago",
                        crate::clock::format_duration(off)
                    );
                    (off, Some(words), None)
                }
                None => (given, None, None),
            }
        }
        Err(e) => (
            given,
            None,
            Some(format!(
                "the symptom's onset could not be read ({}): the baseline ends {} before --at",
                e.one_line(),
                crate::clock::format_duration(given)
            )),
        ),
    };
    BaselineEnd {
        offset,
        query: Some(q),
        words,
        warning,
    }
}
