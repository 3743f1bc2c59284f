//! The comparison's parameters and what it finds: per (service, operation) growth, delays
//! between services, the spectrum, per service a score with its reasons ([`TraceComparison`]),
//! and that handed to `localize` as shifts. Part of `compare.rs`; tests in `compare_tests.rs`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::localize::{self, Change, Rule};
use crate::report::units;

/// How traces are split when there is no baseline window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Split {
    /// Traces at or above this quantile of the durations are slow; the rest are the baseline.
    Latency { quantile: f64 },
    /// Traces with an error span against those without.
    Errors,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// The fewest samples (spans, or traces for shares) on each side for a growth to count.
    pub min_spans: usize,
    /// The high quantile compared besides the median (0.9 = p90).
    pub high_quantile: f64,
    /// Self time, in milliseconds.
    pub self_time: Rule,
    /// Critical-path share, 0..1.
    pub share: Rule,
    /// An entry span's self time is abnormal above the baseline median plus this many noises
    /// (the self-time rule's noise: the baseline spread with its floors).
    pub abnormal_z: f64,
    /// A callee's server side counts as flat behind a slow call when its rise is below this
    /// share of the call's (as `localize::Params::server_share`).
    pub server_share: f64,
    /// The least Ochiai that is evidence, and the fewest implicated anomalous traces.
    pub min_ochiai: f64,
    pub min_implicated: usize,
    /// One-window mode.
    pub split: Split,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_spans: 5,
            high_quantile: 0.9,
            self_time: Rule {
                rel_floor: 0.1,
                abs_floor: 0.5,
                z_min: 4.0,
                min_ratio: 1.3,
                min_delta: 2.0,
                min_requests: 5.0,
                counted: false,
            },
            share: Rule {
                rel_floor: 0.1,
                abs_floor: 0.02,
                z_min: 4.0,
                min_ratio: 1.2,
                min_delta: 0.05,
                min_requests: 5.0,
                counted: false,
            },
            abnormal_z: 3.0,
            server_share: 0.3,
            min_ochiai: 0.5,
            min_implicated: 3,
            split: Split::Latency { quantile: 0.8 },
        }
    }
}

/// What was compared with what.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Mode {
    /// The anomalous window's traces against the baseline window's.
    Windows,
    /// One window: traces at or above `threshold_us` against the faster ones.
    SlowVsFast { threshold_us: i64 },
    /// One window: traces with an error against those without.
    ErrorVsOk,
}

/// A sample's median and high quantile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dist {
    pub n: usize,
    pub median: f64,
    pub high: f64,
}

/// One measure in both windows, and the change when there is one (the stronger of the median's
/// and the high quantile's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    pub before: Option<Dist>,
    pub after: Option<Dist>,
    pub change: Option<Change>,
    /// Whether `change` is the high quantile's (else the median's).
    pub on_high: bool,
}

impl Growth {
    pub fn strength(&self) -> f64 {
        self.change.map(|c| c.strength).unwrap_or(0.0)
    }
}

/// One (service, operation) of entry spans: self time (ms) and critical-path share per trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpComparison {
    pub service: String,
    pub operation: String,
    pub self_ms: Growth,
    pub share: Growth,
}

/// Calls from `caller` to `callee` that grew while the callee's server spans did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Between {
    pub caller: String,
    pub callee: String,
    /// The caller's client spans, ms.
    pub client_ms: Growth,
    /// The callee's server spans under them, ms.
    pub server_ms: Growth,
}

/// Trace counts behind a service's suspiciousness.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spectrum {
    pub anomalous: usize,
    pub normal: usize,
    pub present_anomalous: usize,
    pub present_normal: usize,
    /// Traces where it is an error origin or has an entry span with abnormal self time.
    pub implicated_anomalous: usize,
    pub implicated_normal: usize,
    /// `ef / sqrt(F · (ef + ep))`; 0 when it is implicated nowhere.
    pub ochiai: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceComparison {
    pub service: String,
    /// Strongest time growth plus spectrum strength; 0 when nothing moved.
    pub score: f64,
    /// Its entry spans' summed self time per trace, ms.
    pub self_ms: Growth,
    /// Its summed critical-path share per trace.
    pub share: Growth,
    pub spectrum: Spectrum,
    /// Why, strongest first; empty when the score is 0.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceComparison {
    pub mode: Mode,
    pub baseline_traces: usize,
    pub anomalous_traces: usize,
    /// Highest score first, then by name.
    pub services: Vec<ServiceComparison>,
    /// By service, then operation.
    pub operations: Vec<OpComparison>,
    /// Strongest client growth first, then by (callee, caller).
    pub between: Vec<Between>,
}

impl TraceComparison {
    /// The best service whose score is significant (>= 1).
    pub fn top(&self) -> Option<&ServiceComparison> {
        self.services.first().filter(|s| s.score >= 1.0)
    }

    /// Per service with any evidence, its [`localize::Shift`] (strength capped as `Change`'s).
    pub fn to_shifts(&self) -> BTreeMap<String, localize::Shift> {
        self.services
            .iter()
            .filter(|s| s.score > 0.0)
            .map(|s| {
                let summary = format!(
                    "traces ({}): {}",
                    mode_words(self.mode),
                    s.reasons.join("; ")
                );
                let shift = localize::Shift {
                    strength: s.score.min(STRENGTH_CAP),
                    summary,
                };
                (s.service.clone(), shift)
            })
            .collect()
    }
}

/// `Change::strength`'s cap (`localize::change::STRENGTH_CAP`).
const STRENGTH_CAP: f64 = 8.0;

pub(super) fn mode_words(mode: Mode) -> String {
    match mode {
        Mode::Windows => "anomalous vs baseline window".into(),
        Mode::SlowVsFast { threshold_us } => format!(
            "slow vs fast, split at {}",
            units::seconds(threshold_us as f64 / 1e6)
        ),
        Mode::ErrorVsOk => "failed vs ok traces".into(),
    }
}
