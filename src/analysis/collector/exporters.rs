//! The exporter findings of the Collector funnel: `exporter_failures` (sends given up after
//! retries) and `queue_saturation` (a sending queue near capacity, or dropping at enqueue).
//! Tests: `tests.rs`.

use super::findings::{
    counter_evidence, evidence, kubectl, loss_severity, loss_weight, ratio, spans, subject,
};
use super::{FunnelParams, Outcome, StageFlow};
use crate::model::collector::{CollectorRates, Counter, Metric, Stage};
use crate::report::units;
use crate::report::{Finding, Severity};
use crate::runbook::kinds::remedy;

pub(super) fn exporter_failures(
    rates: &CollectorRates,
    params: &FunnelParams,
    f: &StageFlow,
) -> Option<Finding> {
    let failed = f.amount(Outcome::SendFailed);
    if failed <= 0.0 {
        return None;
    }
    let sent = f.spans_out.unwrap_or(0.0);
    let share = ratio(failed, Some(sent + failed));
    let all = sent < params.min_loss_rate;
    let title = if all {
        format!(
            "exporter {} fails every send: {} lost",
            f.component,
            spans(failed)
        )
    } else {
        format!(
            "exporter {} fails to send {} ({} of its sends)",
            f.component,
            spans(failed),
            units::percent(share)
        )
    };
    let detail = format!(
        "Spans the exporter gave up on after its retries are lost: {} sent, {} failed. {}",
        spans(sent),
        spans(failed),
        if all {
            "Nothing gets through: the backend is down, unreachable or rejecting every write \
             (a wrong endpoint, TLS or auth)."
        } else {
            "Part gets through: the backend is rejecting or timing out on some writes."
        }
    );
    let mut x = Finding::new(
        "exporter_failures",
        loss_severity(share, params),
        0.55 + 0.4 * loss_weight(share, params.critical_loss_ratio),
        subject(f.resource()),
        title,
    )
    .detail(detail)
    .evidence(counter_evidence(
        rates,
        Counter::ExporterSendFailed,
        &f.component,
        failed,
    ))
    .evidence(counter_evidence(
        rates,
        Counter::ExporterSent,
        &f.component,
        sent,
    ))
    .remediation(remedy("exporter_failures", "backend-first", &[]))
    .remediation(remedy(
        "exporter_failures",
        "retry-longer",
        &[("exporter", &f.component)],
    ));
    if let Some((workload, ns)) = kubectl(params) {
        x = x.remediation(remedy(
            "exporter_failures",
            "exporter-log",
            &[
                ("exporter", &f.component),
                ("workload", &workload),
                ("ns_flag", &ns),
            ],
        ));
    }
    Some(x)
}

pub(super) fn queue_saturation(
    rates: &CollectorRates,
    params: &FunnelParams,
    id: &str,
    flow: Option<&StageFlow>,
) -> Option<Finding> {
    let gauge = rates.queues.get(id).copied().unwrap_or_default();
    let fill = gauge.fill();
    let enqueue_failed = flow.map_or(0.0, |f| f.amount(Outcome::EnqueueFailed));
    let saturated = fill.is_some_and(|v| v >= params.queue_fill);
    if !saturated && enqueue_failed <= 0.0 {
        return None;
    }
    let capacity = gauge.capacity.filter(|c| *c > 0.0);
    // Without a gauge, assume exporterhelper's default of 1000 (5000 before 2023,
    // open-telemetry/opentelemetry-collector#7592). Newer queues may count items, not batches:
    // doubling is right either way.
    let current = capacity.unwrap_or(1000.0);
    let new_size = (current * 2.0).ceil() as u64;
    let lost_share = ratio(enqueue_failed, flow.and_then(|f| f.spans_in));
    let fill_v = fill.unwrap_or(1.0);
    let severity = if enqueue_failed > 0.0 || fill_v >= 0.95 {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let weight = if enqueue_failed > 0.0 {
        0.5 + 0.5 * loss_weight(lost_share, params.critical_loss_ratio)
    } else {
        ((fill_v - params.queue_fill) / (1.0 - params.queue_fill).max(1e-9)).clamp(0.0, 1.0) * 0.5
    };
    let title = match (fill, enqueue_failed > 0.0) {
        (_, true) => format!(
            "exporter {id}'s sending queue is full: {} dropped at enqueue",
            spans(enqueue_failed)
        ),
        (Some(v), false) => format!(
            "exporter {id}'s sending queue is {} full ({} of {})",
            units::percent(v),
            gauge.size.unwrap_or(0.0),
            current
        ),
        (None, false) => format!("exporter {id}'s sending queue is saturated"),
    };
    let mut x = Finding::new(
        "queue_saturation",
        severity,
        0.45 + 0.4 * weight,
        subject(format!("exporter/{id}")),
        title,
    )
    .detail(
        "When the queue is full new batches are dropped (enqueue_failed). A queue fills when the \
         backend is slower than the inflow or failing; a bigger queue buys time for outages, \
         not throughput, and holds its batches in the Collector's memory.",
    );
    if let Some(size) = gauge.size {
        x = x.evidence(evidence(
            rates,
            Metric::QueueSize,
            Stage::Exporter,
            id,
            size.to_string(),
        ));
    }
    if let Some(cap) = capacity {
        x = x.evidence(evidence(
            rates,
            Metric::QueueCapacity,
            Stage::Exporter,
            id,
            cap.to_string(),
        ));
    }
    if enqueue_failed > 0.0 {
        x = x.evidence(counter_evidence(
            rates,
            Counter::ExporterEnqueueFailed,
            id,
            enqueue_failed,
        ));
    }
    Some(
        x.remediation(remedy(
            "queue_saturation",
            "double-queue",
            &[("exporter", id), ("size", &new_size.to_string())],
        ))
        .remediation(remedy("queue_saturation", "persist", &[])),
    )
}
