//! The Collector funnel: how many spans per second enter each stage (receivers → processors →
//! exporters), how many leave it, and where the difference goes; and the data-loss findings that
//! follow from it (`receiver_refused`, `processor_drops`, `exporter_failures`, `queue_saturation`,
//! `collector_restarts`).
//!
//! Pure: [`funnel`] and [`funnel_findings`] take [`CollectorRates`] (from two scrapes or from
//! Prometheus) and [`FunnelParams`]. A processor's incoming − outgoing is a loss only when
//! nothing explains it: sampling and filtering processors drop by design, batching ones hold
//! spans for a while, and memory_limiter's difference is refusals. Scores follow the causal chain
//! the Collector's own design implies — a failing exporter fills its queue, a full queue (and the
//! memory it holds) makes the pipeline refuse — so `exporter_failures` > `queue_saturation` >
//! `receiver_refused` when they occur together; the caller ranks storage findings above all of
//! them. Not here: reading metrics (`crate::backends::collector`), ranking (`report::rank`).
//! Each finding's wording, evidence and remediation: `collector/findings.rs` and
//! `collector/exporters.rs`. Tests:
//! `collector/tests.rs`.

use crate::model::collector::{CollectorRates, Counter, Stage};
use crate::report::Finding;

use exporters::{exporter_failures, queue_saturation};
use findings::{collector_restarts, memory_limiter_refused, processor_drops, receiver_refused};

#[derive(Debug, Clone)]
pub struct FunnelParams {
    /// Spans/s below which a difference is noise (rounding between two scrapes, in-flight spans).
    pub min_loss_rate: f64,
    /// Share of a stage's input lost at which a finding is critical.
    pub critical_loss_ratio: f64,
    /// Queue fill (size / capacity) at which the queue is saturated.
    pub queue_fill: f64,
    /// Processor types whose in − out is sampling or filtering by design.
    pub sampling_processors: Vec<String>,
    /// Processor types that hold spans for a while: in − out is in flight.
    pub buffering_processors: Vec<String>,
    /// `deployment/otel-collector` and its namespace, when known: remediations then carry
    /// `kubectl` commands.
    pub workload: Option<String>,
    pub namespace: Option<String>,
}

impl Default for FunnelParams {
    fn default() -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        FunnelParams {
            min_loss_rate: 0.1,
            critical_loss_ratio: 0.05,
            queue_fill: 0.8,
            sampling_processors: strings(&["tail_sampling", "probabilistic_sampler", "filter"]),
            buffering_processors: strings(&["batch", "groupbytrace"]),
            workload: None,
            namespace: None,
        }
    }
}

/// Where spans that entered a stage and did not leave it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Refused back to the sender (receivers; memory_limiter).
    Refused,
    /// Receiver internal errors.
    Failed,
    /// Counted by a processor's dropped metric.
    Dropped,
    /// incoming − outgoing of a processor with no drop metric and no reason to differ.
    DroppedUncounted,
    /// Sampling or filtering by design.
    Sampled,
    /// Held by a batching processor.
    InFlight,
    SendFailed,
    EnqueueFailed,
}

impl Outcome {
    pub fn is_loss(self) -> bool {
        !matches!(self, Outcome::Sampled | Outcome::InFlight)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
            Outcome::Dropped => "dropped",
            Outcome::DroppedUncounted => "dropped (incoming − outgoing)",
            Outcome::Sampled => "sampled out",
            Outcome::InFlight => "in flight",
            Outcome::SendFailed => "send failed",
            Outcome::EnqueueFailed => "enqueue failed",
        }
    }
}

/// One component's flow, spans per second.
#[derive(Debug, Clone, PartialEq)]
pub struct StageFlow {
    pub stage: Stage,
    /// The component id, `type[/name]`.
    pub component: String,
    /// `None` when no metric tells (a processor with only a refused or dropped counter).
    pub spans_in: Option<f64>,
    pub spans_out: Option<f64>,
    /// Where the difference went, largest first; only entries above the noise floor.
    pub difference: Vec<(Outcome, f64)>,
}

impl StageFlow {
    pub fn lost(&self) -> f64 {
        self.difference
            .iter()
            .filter(|(o, _)| o.is_loss())
            .map(|(_, v)| v)
            .sum()
    }

    /// `exporter/otlp/jaeger`: the id as the Collector's logs and config name it.
    pub fn resource(&self) -> String {
        format!("{}/{}", self.stage.as_str(), self.component)
    }

    fn amount(&self, outcome: Outcome) -> f64 {
        self.difference
            .iter()
            .filter(|(o, _)| *o == outcome)
            .map(|(_, v)| v)
            .sum()
    }
}

/// The component type: `otlp/jaeger` → `otlp`.
fn component_type(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

fn push(diff: &mut Vec<(Outcome, f64)>, outcome: Outcome, v: f64, floor: f64) {
    if v.is_finite() && v >= floor && v > 0.0 {
        diff.push((outcome, v));
    }
}

fn sorted(mut diff: Vec<(Outcome, f64)>) -> Vec<(Outcome, f64)> {
    diff.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    diff
}

/// The flows of every component the rates name: receivers, then processors, then exporters,
/// each in id order (metrics do not say the order of processors in a pipeline).
pub fn funnel(rates: &CollectorRates, params: &FunnelParams) -> Vec<StageFlow> {
    let floor = params.min_loss_rate;
    let mut flows = Vec::new();
    for id in rates.components(Stage::Receiver) {
        let get = |c| rates.rate(c, &id).unwrap_or(0.0);
        let (ok, refused, failed) = (
            get(Counter::ReceiverAccepted),
            get(Counter::ReceiverRefused),
            get(Counter::ReceiverFailed),
        );
        let mut diff = Vec::new();
        push(&mut diff, Outcome::Refused, refused, floor);
        push(&mut diff, Outcome::Failed, failed, floor);
        flows.push(StageFlow {
            stage: Stage::Receiver,
            spans_in: Some(ok + refused + failed),
            spans_out: Some(ok),
            difference: sorted(diff),
            component: id,
        });
    }
    for id in rates.components(Stage::Processor) {
        flows.push(processor_flow(rates, params, id));
    }
    for id in rates.components(Stage::Exporter) {
        let get = |c| rates.rate(c, &id).unwrap_or(0.0);
        let (sent, send_failed, enqueue_failed) = (
            get(Counter::ExporterSent),
            get(Counter::ExporterSendFailed),
            get(Counter::ExporterEnqueueFailed),
        );
        let mut diff = Vec::new();
        push(&mut diff, Outcome::SendFailed, send_failed, floor);
        push(&mut diff, Outcome::EnqueueFailed, enqueue_failed, floor);
        flows.push(StageFlow {
            stage: Stage::Exporter,
            spans_in: Some(sent + send_failed + enqueue_failed),
            spans_out: Some(sent),
            difference: sorted(diff),
            component: id,
        });
    }
    flows
}

fn processor_flow(rates: &CollectorRates, params: &FunnelParams, id: String) -> StageFlow {
    let get = |c| rates.rate(c, &id);
    let refused = get(Counter::ProcessorRefused).unwrap_or(0.0);
    let dropped = get(Counter::ProcessorDropped).unwrap_or(0.0);
    // v0.110+: incoming/outgoing. Before, and memory_limiter still: accepted (passed on) plus
    // refused and dropped make what came in.
    let accepted = get(Counter::ProcessorAccepted);
    let spans_in = get(Counter::ProcessorIncoming).or(accepted.map(|a| a + refused + dropped));
    let spans_out = get(Counter::ProcessorOutgoing).or(accepted);
    let kind = component_type(&id);
    let floor = params.min_loss_rate;
    let mut diff = Vec::new();
    push(&mut diff, Outcome::Refused, refused, floor);
    push(&mut diff, Outcome::Dropped, dropped, floor);
    if let (Some(i), Some(o)) = (spans_in, spans_out) {
        let rest = i - o - refused - dropped;
        // A tenth of a percent of the input is in flight between two reads, whatever the type.
        if rest > floor.max(0.001 * i) {
            let outcome = if params.sampling_processors.iter().any(|t| t == kind) {
                Outcome::Sampled
            } else if params.buffering_processors.iter().any(|t| t == kind) {
                Outcome::InFlight
            } else if kind == "memory_limiter" {
                Outcome::Refused
            } else {
                Outcome::DroppedUncounted
            };
            push(&mut diff, outcome, rest, floor);
        }
    }
    StageFlow {
        stage: Stage::Processor,
        component: id,
        spans_in,
        spans_out,
        difference: sorted(diff),
    }
}

/// Data-loss findings from the funnel. Scores are in [0, 1]; see the module doc for their order.
pub fn funnel_findings(rates: &CollectorRates, params: &FunnelParams) -> Vec<Finding> {
    let flows = funnel(rates, params);
    let mut exporter = Vec::new();
    let mut queue = Vec::new();
    let mut refused = Vec::new();
    let mut other = Vec::new();

    for f in flows.iter().filter(|f| f.stage == Stage::Exporter) {
        if let Some(x) = exporter_failures(rates, params, f) {
            exporter.push(x);
        }
    }
    for id in rates.queues.keys() {
        let flow = flows
            .iter()
            .find(|f| f.stage == Stage::Exporter && &f.component == id);
        if let Some(x) = queue_saturation(rates, params, id, flow) {
            queue.push(x);
        }
    }
    // An exporter that fails to enqueue but exposes no queue gauges (older versions).
    for f in flows.iter().filter(|f| f.stage == Stage::Exporter) {
        if !rates.queues.contains_key(&f.component)
            && let Some(x) = queue_saturation(rates, params, &f.component, Some(f))
        {
            queue.push(x);
        }
    }

    let limiters: Vec<&StageFlow> = flows
        .iter()
        .filter(|f| {
            f.stage == Stage::Processor
                && component_type(&f.component) == "memory_limiter"
                && f.amount(Outcome::Refused) > 0.0
        })
        .collect();
    let receivers: Vec<&StageFlow> = flows
        .iter()
        .filter(|f| f.stage == Stage::Receiver && f.lost() > 0.0)
        .collect();
    // memory_limiter refusing explains the receivers' refusals, not their internal failures.
    refused.extend(
        limiters
            .iter()
            .map(|l| memory_limiter_refused(rates, params, l, &receivers)),
    );
    refused.extend(
        receivers
            .iter()
            .filter(|r| limiters.is_empty() || r.amount(Outcome::Failed) > 0.0)
            .map(|r| receiver_refused(rates, params, r)),
    );

    for f in flows.iter().filter(|f| f.stage == Stage::Processor) {
        if let Some(x) = processor_drops(rates, params, f) {
            other.push(x);
        }
    }
    if rates.restarts > 0.0 {
        other.push(collector_restarts(rates, params));
    }

    // The causal chain, made explicit: each effect scores below its cause when both are present.
    cap_below(&mut queue, &exporter);
    cap_below(&mut refused, &exporter);
    cap_below(&mut refused, &queue);
    let mut out = exporter;
    out.extend(queue);
    out.extend(refused);
    out.extend(other);
    out
}

fn cap_below(effects: &mut [Finding], causes: &[Finding]) {
    let Some(min) = causes.iter().map(|f| f.score).min_by(f64::total_cmp) else {
        return;
    };
    for f in effects {
        f.score = f.score.min(min - 0.01).max(0.0);
    }
}

mod exporters;
mod findings;
#[cfg(test)]
mod tests;
