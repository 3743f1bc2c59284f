//! The data-loss findings of the Collector funnel, one builder per kind: title, detail, evidence
//! (the metric as read, and its value) and remediation (the exact config key and value, and a
//! `kubectl` command when the workload is known). Here: the shared helpers and the receiver,
//! processor and restart findings; the exporter ones are in `exporters.rs`. Scores: see `super`.
//! Tests: `tests.rs`.

use super::{FunnelParams, Outcome, StageFlow, component_type};
use crate::analysis::common::shell_word;
use crate::model::collector::{CollectorRates, Counter, Metric, RateSource, Stage};
use crate::report::units;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

/// 0 for nothing lost, ½ at the critical ratio, → 1 as everything is lost.
pub(super) fn loss_weight(ratio: f64, critical: f64) -> f64 {
    if !ratio.is_finite() || ratio <= 0.0 {
        return 0.0;
    }
    ratio / (ratio + critical.max(1e-9))
}

pub(super) fn loss_severity(ratio: f64, params: &FunnelParams) -> Severity {
    if ratio >= params.critical_loss_ratio {
        Severity::Critical
    } else {
        Severity::Warning
    }
}

pub(super) fn ratio(lost: f64, total: Option<f64>) -> f64 {
    match total {
        Some(t) if t > 0.0 => (lost / t).min(1.0),
        _ => 1.0,
    }
}

/// How a metric was read, for one component: the PromQL from Prometheus, or the exposed series
/// (process metrics have no component label).
pub(super) fn series(
    rates: &CollectorRates,
    metric: Metric,
    stage: Stage,
    component: &str,
) -> String {
    let name = rates
        .queries
        .get(&metric)
        .cloned()
        .unwrap_or_else(|| metric.canonical().to_string());
    match metric {
        _ if rates.source == RateSource::Prometheus => name,
        Metric::MemoryRss | Metric::Uptime | Metric::Restarts => name,
        _ => format!(
            "{name}{{{}=\"{}\"}}",
            stage.as_str(),
            crate::promql::escape_label_value(component)
        ),
    }
}

/// As [`series`], with a scraped counter as the `rate()` over the scrape interval it became.
pub(super) fn query(
    rates: &CollectorRates,
    metric: Metric,
    stage: Stage,
    component: &str,
) -> String {
    let s = series(rates, metric, stage, component);
    match metric {
        Metric::Counter(_) if rates.source == RateSource::Scrape => {
            format!("rate({s}[{:.0}s])", rates.window_seconds)
        }
        _ => s,
    }
}

pub(super) fn evidence(
    rates: &CollectorRates,
    metric: Metric,
    stage: Stage,
    id: &str,
    value: String,
) -> Evidence {
    Evidence {
        source: rates.source.as_str().into(),
        query: Some(query(rates, metric, stage, id)),
        value: Some(value),
        ..Default::default()
    }
}

pub(super) fn spans(v: f64) -> String {
    format!("{} spans/s", units::rate(v))
}

pub(super) fn counter_evidence(rates: &CollectorRates, c: Counter, id: &str, v: f64) -> Evidence {
    evidence(rates, Metric::Counter(c), c.stage(), id, spans(v))
}

pub(super) fn subject(resource: String) -> Subject {
    Subject::default().with_resource(&resource)
}

/// The Collector's workload and ` -n NAMESPACE` (shell-quoted; empty without a namespace), for
/// the `kubectl` remedies; none when the workload is unknown.
pub(super) fn kubectl(params: &FunnelParams) -> Option<(String, String)> {
    let workload = params.workload.clone()?;
    let ns = params
        .namespace
        .as_deref()
        .map(|n| format!(" -n {}", shell_word(n)))
        .unwrap_or_default();
    Some((workload, ns))
}

pub(super) fn memory_limiter_refused(
    rates: &CollectorRates,
    params: &FunnelParams,
    limiter: &StageFlow,
    receivers: &[&StageFlow],
) -> Finding {
    let amount = limiter.amount(Outcome::Refused);
    let share = ratio(amount, limiter.spans_in);
    let names: Vec<&str> = receivers.iter().map(|r| r.component.as_str()).collect();
    let title = if names.is_empty() {
        format!(
            "{} refuses {}: the Collector is at its memory limit",
            limiter.component,
            spans(amount)
        )
    } else {
        format!(
            "{} refuses {} ({} of the input): receivers {} refuse them",
            limiter.component,
            spans(amount),
            units::percent(share),
            names.join(", ")
        )
    };
    let mut x = Finding::new(
        "receiver_refused",
        loss_severity(share, params),
        0.4 + 0.45 * loss_weight(share, params.critical_loss_ratio),
        subject(limiter.resource()),
        title,
    )
    .detail(
        "memory_limiter refuses data when the heap passes limit_mib − spike_limit_mib; receivers \
         return the error to clients, and spans are lost unless every client retries.",
    )
    .evidence(counter_evidence(
        rates,
        Counter::ProcessorRefused,
        &limiter.component,
        amount,
    ));
    for r in receivers {
        let amount = r.amount(Outcome::Refused);
        if amount > 0.0 {
            x = x.evidence(counter_evidence(
                rates,
                Counter::ReceiverRefused,
                &r.component,
                amount,
            ));
        }
    }
    let limit = match rates.process.memory_rss_bytes {
        Some(rss) if rss > 0.0 => {
            x = x.evidence(evidence(
                rates,
                Metric::MemoryRss,
                Stage::Processor,
                &limiter.component,
                format!("{:.0} MiB", rss / 1048576.0),
            ));
            // 1.5× what it uses now, in 128 MiB steps; the pod limit leaves 20% above it.
            let mib = ((rss / 1048576.0 * 1.5) / 128.0).ceil() * 128.0;
            Some((mib as u64, (mib / 0.8 / 128.0).ceil() as u64 * 128))
        }
        _ => None,
    };
    let id = limiter.component.as_str();
    x = x.remediation(match limit {
        Some((mib, _)) => remedy(
            "receiver_refused",
            "limit-mib",
            &[
                ("limiter", id),
                ("mib", &mib.to_string()),
                ("spike", &(mib / 5).to_string()),
            ],
        ),
        None => remedy("receiver_refused", "limit-percentage", &[("limiter", id)]),
    });
    if let (Some((_, pod_mib)), Some((workload, ns))) = (limit, kubectl(params)) {
        x = x.remediation(remedy(
            "receiver_refused",
            "pod-memory",
            &[
                ("mib", &pod_mib.to_string()),
                ("workload", &workload),
                ("ns_flag", &ns),
            ],
        ));
    }
    x.remediation(remedy("receiver_refused", "spread-load", &[]))
}

pub(super) fn receiver_refused(
    rates: &CollectorRates,
    params: &FunnelParams,
    r: &StageFlow,
) -> Finding {
    let refused = r.amount(Outcome::Refused);
    let failed = r.amount(Outcome::Failed);
    let share = ratio(r.lost(), r.spans_in);
    let what = match (refused > 0.0, failed > 0.0) {
        (true, true) => format!("refuses {} and fails {}", spans(refused), spans(failed)),
        (false, true) => format!("fails {}", spans(failed)),
        _ => format!("refuses {}", spans(refused)),
    };
    let mut x = Finding::new(
        "receiver_refused",
        loss_severity(share, params),
        0.4 + 0.4 * loss_weight(share, params.critical_loss_ratio),
        subject(r.resource()),
        format!(
            "receiver {} {what} ({} of what it receives)",
            r.component,
            units::percent(share)
        ),
    )
    .detail(
        "Refused spans were pushed back by the pipeline behind the receiver (a processor or \
         exporter returned an error, e.g. a full queue with block_on_overflow, or no queue at \
         all); failed spans hit an internal error. Either way the sender got an error.",
    );
    if refused > 0.0 {
        x = x.evidence(counter_evidence(
            rates,
            Counter::ReceiverRefused,
            &r.component,
            refused,
        ));
    }
    if failed > 0.0 {
        x = x.evidence(counter_evidence(
            rates,
            Counter::ReceiverFailed,
            &r.component,
            failed,
        ));
    }
    x = x.remediation(remedy("receiver_refused", "pipeline-behind", &[]));
    if let Some((workload, ns)) = kubectl(params) {
        x = x.remediation(remedy(
            "receiver_refused",
            "receiver-log",
            &[
                ("receiver", &r.component),
                ("workload", &workload),
                ("ns_flag", &ns),
            ],
        ));
    }
    x
}

pub(super) fn processor_drops(
    rates: &CollectorRates,
    params: &FunnelParams,
    f: &StageFlow,
) -> Option<Finding> {
    let counted = f.amount(Outcome::Dropped);
    let derived = f.amount(Outcome::DroppedUncounted);
    let lost = counted + derived;
    if lost <= 0.0 {
        return None;
    }
    let share = ratio(lost, f.spans_in);
    let kind = component_type(&f.component);
    let mut x = Finding::new(
        "processor_drops",
        loss_severity(share, params),
        0.4 + 0.45 * loss_weight(share, params.critical_loss_ratio),
        subject(f.resource()),
        format!(
            "processor {} drops {} ({} of its input)",
            f.component,
            spans(lost),
            units::percent(share)
        ),
    )
    .detail(if derived > 0.0 {
        "No drop metric exists for this processor: the loss is incoming − outgoing, and it is \
         not a sampling, filtering or batching processor, whose differences are by design."
    } else {
        "Counted by the processor's dropped-spans metric."
    });
    if counted > 0.0 {
        x = x.evidence(counter_evidence(
            rates,
            Counter::ProcessorDropped,
            &f.component,
            counted,
        ));
    }
    if derived > 0.0 {
        let (i, o) = (f.spans_in.unwrap_or(0.0), f.spans_out.unwrap_or(0.0));
        x = x
            .evidence(counter_evidence(
                rates,
                Counter::ProcessorIncoming,
                &f.component,
                i,
            ))
            .evidence(counter_evidence(
                rates,
                Counter::ProcessorOutgoing,
                &f.component,
                o,
            ));
    }
    if matches!(kind, "transform" | "filter" | "routing") {
        x = x.remediation(remedy(
            "processor_drops",
            "error-mode",
            &[("processor", &f.component)],
        ));
    }
    x = x.remediation(remedy(
        "processor_drops",
        "check-config",
        &[("processor", &f.component)],
    ));
    Some(x)
}

pub(super) fn collector_restarts(rates: &CollectorRates, params: &FunnelParams) -> Finding {
    let title = if rates.source == RateSource::Scrape {
        format!(
            "the Collector restarted between two scrapes {:.0}s apart",
            rates.window_seconds
        )
    } else {
        format!("the Collector restarted {} time(s)", rates.restarts)
    };
    let mut x = Finding::new(
        "collector_restarts",
        Severity::Warning,
        0.45 + 0.05 * rates.restarts.clamp(1.0, 6.0),
        subject(
            params
                .workload
                .clone()
                .unwrap_or_else(|| "collector".into()),
        ),
        title,
    )
    .detail(
        "A restart loses what the Collector held in memory: batches, tail-sampling buffers and \
         the exporters' sending queues (unless persisted); clients see refused connections.",
    );
    if let Some(q) = rates.queries.get(&Metric::Restarts) {
        x = x.evidence(Evidence {
            source: rates.source.as_str().into(),
            query: Some(q.clone()),
            value: Some(rates.restarts.to_string()),
            ..Default::default()
        });
    }
    for r in rates.resets.iter().take(3) {
        let metric = Metric::Counter(r.counter);
        x = x.evidence(Evidence {
            source: rates.source.as_str().into(),
            query: Some(series(rates, metric, r.counter.stage(), &r.component)),
            value: Some(format!("{} → {} (reset)", r.before, r.after)),
            ..Default::default()
        });
    }
    if let Some(u) = rates.process.uptime_seconds {
        x = x.evidence(Evidence {
            source: rates.source.as_str().into(),
            query: Some(
                rates
                    .queries
                    .get(&Metric::Uptime)
                    .cloned()
                    .unwrap_or_else(|| Metric::Uptime.canonical().into()),
            ),
            value: Some(format!("{u:.0}s")),
            ..Default::default()
        });
    }
    if let Some((workload, ns)) = kubectl(params) {
        x = x.remediation(remedy(
            "collector_restarts",
            "previous-process",
            &[("workload", &workload), ("ns_flag", &ns)],
        ));
    }
    x.remediation(remedy("collector_restarts", "limiter-first", &[]))
}
