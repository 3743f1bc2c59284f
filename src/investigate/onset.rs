//! Where the call graph's baseline ends when the symptom is known (`--service S`, no
//! `--baseline-at`): before S's own onset, when that is older than the default 15 minutes.
//! One range query of S's signal (the `affected-services` step's), the change point found by
//! [`changepoint::detect`], the decision by [`changepoint::baseline_end_before`]. Without
//! `--service` the symptom is not known before the graph is read, and the default stands.
//! Tests: `tests/it/localize.rs` (an incident older than the baseline's default end).

use std::time::Duration;

use super::ctx::{Ctx, unix};
use super::graph::DEFAULT_BASELINE_OFFSET;
use crate::analysis::changepoint;

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
pub async fn baseline_end(ctx: &Ctx<'_>, start: Option<&str>) -> BaselineEnd {
    let given = super::graph::Graph::configured_offset(ctx);
    if ctx.vars.contains_key("baseline_at") || start.is_none() {
        return BaselineEnd {
            offset: given,
            query: None,
            words: None,
            warning: None,
        };
    }
    let Ok(q) = ctx.query("affected-services", "service", &[]) else {
        return BaselineEnd {
            offset: given,
            query: None,
            words: None,
            warning: None,
        };
    };
    let lookback = ctx.settings.lookback;
    let from = ctx.at - jiff::SignedDuration::try_from(lookback).unwrap_or_default();
    // The same resolution as the `affected-services` step's trend: ~120 points.
    let step = Duration::from_secs((lookback.as_secs() / 120).max(15));
    // No Prometheus: the step itself fails and says so; nothing to add here.
    let Ok(prom) = ctx.prom() else {
        return BaselineEnd {
            offset: given,
            query: None,
            words: None,
            warning: None,
        };
    };
    let answer = prom.query_range(&q, from, ctx.at, step).await;
    let (offset, words, warning) = match answer {
        Ok(range) => {
            let points = range
                .series()
                .into_iter()
                .next()
                .map(|s| s.points)
                .unwrap_or_default();
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
                "the symptom's onset could not be read ({e}): the baseline ends {} before --at",
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
