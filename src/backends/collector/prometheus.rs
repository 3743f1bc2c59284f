//! Reading the Collector's metrics through a Prometheus that scrapes it: the PromQL to run
//! ([`prometheus_queries`]) and the [`CollectorRates`] built from the answers.
//!
//! Every name regex matches all generations at once (`x`, `x_total`, v0.130.0's
//! `x__spans__total`), and `data_type=~"traces|"` / `otel_signal=~"traces|"` also match versions
//! without those labels, so one query set serves a fleet of mixed versions. Not here: running the
//! queries (the caller's Prometheus client). Tests: `tests.rs`.

use std::time::Duration;

use super::{CollectorRates, Labels, Metric, RateSource, classify};
use crate::model::collector::fold;

/// The name [`CollectorRates::from_prometheus`] expects for the restart count.
pub const RESTARTS: &str = "otelcol_process_uptime:resets";

/// One query to run against Prometheus, and the name to hand its samples back under.
#[derive(Debug, Clone, PartialEq)]
pub struct PromQuery {
    pub metric: &'static str,
    pub promql: String,
}

/// The optional name suffixes of a counter: `_total`, and v0.130.0's `__spans_` before it.
const COUNTER_SUFFIX: &str = "(__[a-z]+_)?(_total)?";

/// Span counters: the name handed back, the grouping label, the name regex, extra matchers.
/// The processor queries select traces themselves, so their samples come back under the
/// span-specific names, which need no `otel_signal` label.
const RATES: [(&str, &str, &str, &str); 13] = [
    (
        "otelcol_receiver_accepted_spans",
        "receiver",
        "otelcol_receiver_accepted_spans",
        "",
    ),
    (
        "otelcol_receiver_refused_spans",
        "receiver",
        "otelcol_receiver_refused_spans",
        "",
    ),
    (
        "otelcol_receiver_failed_spans",
        "receiver",
        "otelcol_receiver_failed_spans",
        "",
    ),
    (
        "otelcol_processor_incoming_spans",
        "processor",
        "otelcol_processor_incoming_(items|spans)",
        ",otel_signal=~\"traces|\"",
    ),
    (
        "otelcol_processor_outgoing_spans",
        "processor",
        "otelcol_processor_outgoing_(items|spans)",
        ",otel_signal=~\"traces|\"",
    ),
    (
        "otelcol_processor_accepted_spans",
        "processor",
        "otelcol_processor_accepted_spans",
        "",
    ),
    (
        "otelcol_processor_refused_spans",
        "processor",
        "otelcol_processor_refused_spans",
        "",
    ),
    (
        "otelcol_processor_dropped_spans",
        "processor",
        "otelcol_processor_dropped_spans",
        "",
    ),
    (
        "otelcol_processor_memory_limiter_accepted_spans",
        "processor",
        "otelcol_processor_memory_limiter_accepted_spans",
        "",
    ),
    (
        "otelcol_processor_memory_limiter_refused_spans",
        "processor",
        "otelcol_processor_memory_limiter_refused_spans",
        "",
    ),
    (
        "otelcol_exporter_sent_spans",
        "exporter",
        "otelcol_exporter_sent_spans",
        "",
    ),
    (
        "otelcol_exporter_send_failed_spans",
        "exporter",
        "otelcol_exporter_send_failed_spans",
        "",
    ),
    (
        "otelcol_exporter_enqueue_failed_spans",
        "exporter",
        "otelcol_exporter_enqueue_failed_spans",
        "",
    ),
];

/// The queries that fill a [`CollectorRates`]: span rates summed per component over
/// `rate_window`, the latest queue gauges (max over instances: one full replica loses data), the
/// process metrics, and restarts over `lookback`. `matchers` narrow every selector (e.g.
/// `job="otel-collector"`); values are escaped, invalid label names skipped.
pub fn prometheus_queries(
    rate_window: Duration,
    lookback: Duration,
    matchers: &[(&str, &str)],
) -> Vec<PromQuery> {
    let extra: String = matchers
        .iter()
        .filter(|(k, _)| valid_label_name(k))
        .map(|(k, v)| format!(",{k}=\"{}\"", crate::promql::escape_label_value(v)))
        .collect();
    let w = crate::clock::format_duration(rate_window);
    let lb = crate::clock::format_duration(lookback);
    let sel = |re: &str, more: &str| format!("{{__name__=~\"{re}\"{more}{extra}}}");
    let mut out: Vec<PromQuery> = RATES
        .iter()
        .map(|(metric, by, re, more)| PromQuery {
            metric,
            promql: format!(
                "sum by ({by}) (rate({}[{w}]))",
                sel(&format!("{re}{COUNTER_SUFFIX}"), more)
            ),
        })
        .collect();
    // Gauges have no `_total`; `data_type` is missing before it was added.
    let traces = ",data_type=~\"traces|\"";
    let uptime = sel("otelcol_process_uptime(_seconds)?(_total)?", "");
    out.extend([
        PromQuery {
            metric: "otelcol_exporter_queue_size",
            promql: format!(
                "max by (exporter) ({})",
                sel("otelcol_exporter_queue_size(__[a-z]+_)?", traces)
            ),
        },
        PromQuery {
            metric: "otelcol_exporter_queue_capacity",
            promql: format!(
                "max by (exporter) ({})",
                sel("otelcol_exporter_queue_capacity(__[a-z]+_)?", traces)
            ),
        },
        PromQuery {
            metric: "otelcol_process_memory_rss",
            promql: format!("max({})", sel("otelcol_process_memory_rss(_bytes)?", "")),
        },
        PromQuery {
            metric: "otelcol_process_uptime",
            promql: format!("min({uptime})"),
        },
        PromQuery {
            metric: RESTARTS,
            promql: format!("sum(resets({uptime}[{lb}]))"),
        },
    ]);
    out
}

fn valid_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl CollectorRates {
    /// From Prometheus query results: `(metric name, labels, value)`, where the name is the
    /// [`PromQuery::metric`] of the query that produced the sample (rates per second; gauges as
    /// they are; [`RESTARTS`] a count). Unknown names and non-finite values are ignored.
    pub fn from_prometheus<'a>(
        window_seconds: f64,
        results: impl IntoIterator<Item = (&'a str, &'a Labels, f64)>,
    ) -> CollectorRates {
        let mut r = CollectorRates {
            source: RateSource::Prometheus,
            window_seconds,
            ..Default::default()
        };
        for (name, labels, value) in results {
            if !value.is_finite() {
                continue;
            }
            if name == RESTARTS {
                r.restarts += value.max(0.0);
            } else if let Some((metric, component)) = classify(name, labels) {
                let into = (&mut r.counters, &mut r.queues, &mut r.process);
                fold(metric, component, value, into);
            }
        }
        r
    }

    /// Record the PromQL behind each metric, so findings can cite it.
    pub fn with_queries(mut self, queries: &[PromQuery]) -> Self {
        let traces = Labels::from([("otel_signal".to_string(), "traces".to_string())]);
        for q in queries {
            let metric = if q.metric == RESTARTS {
                Some(Metric::Restarts)
            } else {
                classify(q.metric, &traces).map(|(m, _)| m)
            };
            if let Some(m) = metric {
                self.queries.insert(m, q.promql.clone());
            }
        }
        self
    }
}
