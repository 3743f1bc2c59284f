//! The OpenTelemetry Collector's own metrics as plain data: span counters per pipeline stage and
//! component ([`CollectorSnapshot`]), and the rates between two readings ([`CollectorRates`]).
//!
//! Filled by `crate::backends::collector` (a scrape of `:8888/metrics`, or Prometheus), read by
//! the data-loss analysis and `check`; no I/O here. The metric names of every Collector
//! generation map to one [`Counter`] through [`canonical_name`] and [`classify`] (the history is
//! in `crate::backends::collector`'s module doc). Tests: `crate::backends::collector`'s `tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

/// A metric's labels.
pub type Labels = BTreeMap<String, String>;

/// One sample line: `name{labels} value`. Timestamps and exemplars are read and dropped: the
/// caller knows when it scraped.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Labels,
    pub value: f64,
}

/// Where spans pass through a Collector, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Receiver,
    Processor,
    Exporter,
}

impl Stage {
    /// Also the label that names the component on the stage's metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Receiver => "receiver",
            Stage::Processor => "processor",
            Stage::Exporter => "exporter",
        }
    }
}

/// A span counter of one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counter {
    ReceiverAccepted,
    ReceiverRefused,
    ReceiverFailed,
    ProcessorIncoming,
    ProcessorOutgoing,
    /// Pre-v0.110 processorhelper, and memory_limiter until today.
    ProcessorAccepted,
    ProcessorRefused,
    ProcessorDropped,
    ExporterSent,
    ExporterSendFailed,
    ExporterEnqueueFailed,
}

impl Counter {
    pub fn stage(self) -> Stage {
        use Counter::*;
        match self {
            ReceiverAccepted | ReceiverRefused | ReceiverFailed => Stage::Receiver,
            ProcessorIncoming | ProcessorOutgoing | ProcessorAccepted | ProcessorRefused
            | ProcessorDropped => Stage::Processor,
            ExporterSent | ExporterSendFailed | ExporterEnqueueFailed => Stage::Exporter,
        }
    }
}

/// Everything this module reads from the Collector's metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Counter(Counter),
    QueueSize,
    QueueCapacity,
    MemoryRss,
    Uptime,
    /// Restarts in the lookback (Prometheus only: `resets()` of the uptime).
    Restarts,
}

impl Metric {
    /// The name on the default `:8888` endpoint of current versions, for evidence when the
    /// exposed name is not known.
    pub fn canonical(self) -> &'static str {
        match self {
            Metric::Counter(c) => COUNTERS
                .iter()
                .find(|(_, counter, _)| *counter == c)
                .map_or("", |(name, _, _)| name),
            Metric::QueueSize => "otelcol_exporter_queue_size",
            Metric::QueueCapacity => "otelcol_exporter_queue_capacity",
            Metric::MemoryRss => "otelcol_process_memory_rss",
            Metric::Uptime | Metric::Restarts => "otelcol_process_uptime",
        }
    }
}

/// Canonical name (default `:8888`, no suffix) → counter, and the component to assume when the
/// series has no component label.
const COUNTERS: [(&str, Counter, &str); 15] = [
    (
        "otelcol_receiver_accepted_spans",
        Counter::ReceiverAccepted,
        "",
    ),
    (
        "otelcol_receiver_refused_spans",
        Counter::ReceiverRefused,
        "",
    ),
    ("otelcol_receiver_failed_spans", Counter::ReceiverFailed, ""),
    (
        "otelcol_processor_incoming_items",
        Counter::ProcessorIncoming,
        "",
    ),
    (
        "otelcol_processor_outgoing_items",
        Counter::ProcessorOutgoing,
        "",
    ),
    (
        "otelcol_processor_incoming_spans",
        Counter::ProcessorIncoming,
        "",
    ),
    (
        "otelcol_processor_outgoing_spans",
        Counter::ProcessorOutgoing,
        "",
    ),
    (
        "otelcol_processor_accepted_spans",
        Counter::ProcessorAccepted,
        "",
    ),
    (
        "otelcol_processor_refused_spans",
        Counter::ProcessorRefused,
        "",
    ),
    (
        "otelcol_processor_dropped_spans",
        Counter::ProcessorDropped,
        "",
    ),
    (
        "otelcol_processor_memory_limiter_accepted_spans",
        Counter::ProcessorAccepted,
        "memory_limiter",
    ),
    (
        "otelcol_processor_memory_limiter_refused_spans",
        Counter::ProcessorRefused,
        "memory_limiter",
    ),
    ("otelcol_exporter_sent_spans", Counter::ExporterSent, ""),
    (
        "otelcol_exporter_send_failed_spans",
        Counter::ExporterSendFailed,
        "",
    ),
    (
        "otelcol_exporter_enqueue_failed_spans",
        Counter::ExporterEnqueueFailed,
        "",
    ),
];

/// The name a metric has on the default endpoint, whatever generation exposed it:
/// `_total` dropped, v0.130.0's `__spans_` unit rendering dropped, the process metrics' unit
/// suffixes dropped.
pub fn canonical_name(name: &str) -> &str {
    let n = name.strip_suffix("_total").unwrap_or(name);
    // No Collector metric has `__` in its name; v0.130.0 put the curly unit there.
    let n = match n.find("__") {
        Some(i) if i > 0 => &n[..i],
        _ => n,
    };
    match n {
        "otelcol_process_memory_rss_bytes" => "otelcol_process_memory_rss",
        "otelcol_process_uptime_seconds" => "otelcol_process_uptime",
        n => n,
    }
}

/// What a series is, and the component it belongs to (`""` for process metrics); `None` for
/// everything else, including other signals' items.
pub fn classify(name: &str, labels: &Labels) -> Option<(Metric, String)> {
    let name = canonical_name(name);
    if let Some((_, counter, default)) = COUNTERS.iter().find(|(n, _, _)| *n == name) {
        // `_items` counts every signal; only traces matter here.
        if name.ends_with("_items")
            && labels.get("otel_signal").map(String::as_str) != Some("traces")
        {
            return None;
        }
        let fallback = if default.is_empty() {
            "unknown"
        } else {
            default
        };
        let component = labels
            .get(counter.stage().as_str())
            .or_else(|| labels.get("otelcol_component_id"))
            .map_or_else(|| fallback.to_string(), String::clone);
        return Some((Metric::Counter(*counter), component));
    }
    let metric = match name {
        "otelcol_exporter_queue_size" => Metric::QueueSize,
        "otelcol_exporter_queue_capacity" => Metric::QueueCapacity,
        "otelcol_process_memory_rss" => Metric::MemoryRss,
        "otelcol_process_uptime" => Metric::Uptime,
        _ => return None,
    };
    if matches!(metric, Metric::QueueSize | Metric::QueueCapacity) {
        // Versions before data_type had one queue per exporter, of the exporter's own signal.
        if labels.get("data_type").is_some_and(|t| t != "traces") {
            return None;
        }
        let exporter = labels
            .get("exporter")
            .cloned()
            .unwrap_or_else(|| "unknown".into());
        return Some((metric, exporter));
    }
    Some((metric, String::new()))
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueueGauge {
    /// Batches (or requests) waiting in the exporter's sending queue.
    pub size: Option<f64>,
    pub capacity: Option<f64>,
}

impl QueueGauge {
    /// size / capacity, when both are known and the capacity is positive.
    pub fn fill(&self) -> Option<f64> {
        match (self.size, self.capacity) {
            (Some(s), Some(c)) if c > 0.0 => Some(s / c),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessMetrics {
    pub memory_rss_bytes: Option<f64>,
    pub uptime_seconds: Option<f64>,
}

pub type CounterKey = (Counter, String);

/// One reading of a Collector's metrics: cumulative span counts per (counter, component id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectorSnapshot {
    pub counters: BTreeMap<CounterKey, f64>,
    /// Per exporter id.
    pub queues: BTreeMap<String, QueueGauge>,
    pub process: ProcessMetrics,
    /// The name each metric was exposed under, for evidence.
    pub names: BTreeMap<Metric, String>,
}

type Sink<'a> = (
    &'a mut BTreeMap<CounterKey, f64>,
    &'a mut BTreeMap<String, QueueGauge>,
    &'a mut ProcessMetrics,
);

/// Fold one series in: counters are summed, gauges take the largest value (one full queue or
/// one large process is what matters), the uptime the smallest (the youngest instance shows a
/// restart).
pub(crate) fn fold(metric: Metric, component: String, v: f64, (counters, queues, process): Sink) {
    let max = |slot: &mut Option<f64>| *slot = Some(slot.map_or(v, |old| old.max(v)));
    match metric {
        Metric::Counter(c) => *counters.entry((c, component)).or_default() += v.max(0.0),
        Metric::QueueSize => max(&mut queues.entry(component).or_default().size),
        Metric::QueueCapacity => max(&mut queues.entry(component).or_default().capacity),
        Metric::MemoryRss => max(&mut process.memory_rss_bytes),
        Metric::Uptime => {
            let u = &mut process.uptime_seconds;
            *u = Some(u.map_or(v, |old| old.min(v)));
        }
        Metric::Restarts => {}
    }
}

impl CollectorSnapshot {
    /// Sum series that differ only in other labels (`transport`, `error.type`, ...).
    pub fn from_samples(samples: &[Sample]) -> Self {
        let mut snap = CollectorSnapshot::default();
        for s in samples {
            if !s.value.is_finite() {
                continue;
            }
            let Some((metric, component)) = classify(&s.name, &s.labels) else {
                continue;
            };
            snap.names.entry(metric).or_insert_with(|| s.name.clone());
            let into = (&mut snap.counters, &mut snap.queues, &mut snap.process);
            fold(metric, component, s.value, into);
        }
        snap
    }

    /// No span counter at all: not a Collector, or one with `level: none`.
    pub fn is_empty(&self) -> bool {
        self.counters.is_empty()
    }
}

/// Where rates came from; evidence names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RateSource {
    /// Two scrapes of `--collector-metrics-url`.
    #[default]
    Scrape,
    Prometheus,
}

impl RateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RateSource::Scrape => "collector",
            RateSource::Prometheus => "prometheus",
        }
    }
}

/// A counter that went backwards between two scrapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Reset {
    pub counter: Counter,
    pub component: String,
    pub before: f64,
    pub after: f64,
}

/// Spans per second per (counter, component), plus the gauges at the end of the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectorRates {
    pub source: RateSource,
    pub window_seconds: f64,
    pub counters: BTreeMap<CounterKey, f64>,
    pub queues: BTreeMap<String, QueueGauge>,
    pub process: ProcessMetrics,
    /// Restarts in the window (scrapes: 1 when anything says the process restarted).
    pub restarts: f64,
    /// The counters that went backwards (scrapes only).
    pub resets: Vec<Reset>,
    /// How each metric was read, for evidence: the exposed name, or the PromQL.
    pub queries: BTreeMap<Metric, String>,
}

impl CollectorRates {
    pub fn rate(&self, counter: Counter, component: &str) -> Option<f64> {
        self.counters
            .get(&(counter, component.to_string()))
            .copied()
    }

    /// The component ids seen at a stage.
    pub fn components(&self, stage: Stage) -> BTreeSet<String> {
        self.counters
            .keys()
            .filter(|(c, _)| c.stage() == stage)
            .map(|(_, id)| id.clone())
            .collect()
    }
}

/// Rates between two snapshots taken `seconds` apart. A counter that went backwards means the
/// Collector restarted: its rate is counted from 0, as Prometheus' `rate()` does; an uptime that
/// is shorter than it should be means the same for every counter. A non-positive or non-finite
/// window gives no counter rates (gauges and restarts are still reported).
pub fn rates(
    before: &CollectorSnapshot,
    after: &CollectorSnapshot,
    seconds: f64,
) -> CollectorRates {
    let mut r = CollectorRates {
        source: RateSource::Scrape,
        window_seconds: seconds,
        queues: after.queues.clone(),
        process: after.process,
        queries: after.names.clone(),
        ..Default::default()
    };
    // Uptime grows with the wall clock; allow for the scrapes' own latency.
    let restarted = match (before.process.uptime_seconds, after.process.uptime_seconds) {
        (Some(b), Some(a)) if seconds.is_finite() => a + 1.0 + 0.1 * seconds < b + seconds,
        _ => false,
    };
    for (key, &a) in &after.counters {
        let b = before.counters.get(key).copied().unwrap_or(0.0);
        let increase = if a < b {
            r.resets.push(Reset {
                counter: key.0,
                component: key.1.clone(),
                before: b,
                after: a,
            });
            a
        } else if restarted {
            a
        } else {
            a - b
        };
        if seconds.is_finite() && seconds > 0.0 {
            r.counters.insert(key.clone(), increase / seconds);
        }
    }
    if restarted || !r.resets.is_empty() {
        r.restarts = 1.0;
    }
    r
}

/// The answer to an empty export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtlpAck {
    pub status: u16,
    /// `partialSuccess.rejectedSpans`: always 0 for an empty export from a healthy receiver.
    pub rejected_spans: u64,
    pub error_message: Option<String>,
}

/// One scrape: the snapshot, and how much of the body could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Scrape {
    pub snapshot: CollectorSnapshot,
    pub samples: usize,
    pub skipped_lines: usize,
    pub first_error: Option<BadLine>,
    /// The exposition had more than `max_samples` samples; the rest was not read.
    pub truncated: bool,
}

/// Why a line was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("invalid metric name")]
    MetricName,
    #[error("invalid label name")]
    LabelName,
    #[error("expected '=' after label {0:?}")]
    ExpectedEquals(String),
    #[error("expected a quoted value for label {0:?}")]
    ExpectedQuote(String),
    #[error("unterminated quoted string")]
    Unterminated,
    #[error("expected ',' or '}}' between labels")]
    ExpectedSeparator,
    #[error("duplicate label {0:?}")]
    DuplicateLabel(String),
    #[error("missing value")]
    MissingValue,
    #[error("invalid value {0:?}")]
    Value(String),
    #[error("invalid timestamp {0:?}")]
    Timestamp(String),
    #[error("unexpected text after the sample: {0:?}")]
    Trailing(String),
    #[error("invalid # TYPE line")]
    TypeLine,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {error}")]
pub struct BadLine {
    /// 1-based.
    pub line: usize,
    #[source]
    pub error: LineError,
}
