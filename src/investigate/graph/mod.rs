//! The `call-graph` step the latency and error runbooks share (issue 15): every signal of the
//! step's queries, now and for its own baseline (one query per signal and window, never one per
//! service), joined into views ([`views`]) and localized ([`localize::localize`]).
//!
//! Two rounds, so that what is downloaded grows with the changed services, not the fleet
//! (issue 19). The first asks Prometheus for the series that *may* have changed: a necessary
//! condition of the client's change test (`first_round.rs`: now above `min_ratio` × the baseline
//! median, or `min_delta` above it), the chronic candidates (over the runbook's level now), the
//! worst by level, and how many calls there are (whether the shape is read whole); with
//! `--service S`, of S and what it calls alone (`shape::reach_first`). The second reads every signal in full, now, the
//! baseline's quartiles and a day and a week ago, for those services only, and every call to or
//! from them (`{{services|re}}`, `{{callers|re}}`, `{{callees|re}}` in the runbook's queries).
//! The change test stays the client's, on the same values, so its answer cannot change: a
//! service missing from the second round could not have passed it, and every neighbour the walk
//! judges "present and unchanged" is read. Beyond those, the graph's shape (keys only) is read in
//! rounds only as far as the `--service` reach and the log step's scope walk (`shape.rs`), or from
//! the trace store when no call is measured (`links.rs`).
//! Without `--service` its best candidate is the run's target; with `--service S` the walk starts
//! at S and covers what S calls. Not here: judging (`crate::analysis::localize`), findings
//! (`localize::findings`). Tests: `tests/it/localize.rs` and
//! `localize_shape.rs` against a real Prometheus.

use std::collections::BTreeMap;
use std::time::Duration;

use super::StepError;
use super::ctx::{Ctx, unix};
use crate::analysis::localize::{
    self, Axis, EdgeView, Localization, Params, Rule, ServiceView, Shift,
};
use crate::promql::Value;
use crate::report::Finding;
use crate::runbook::LabelNames;

/// The step's id in the runbooks.
pub const STEP: &str = "call-graph";

mod first_round;
mod links;
mod rounds;
mod shape;
use first_round::probes;
use rounds::{debug_candidates, read};

/// How the baseline is summarised: the median and quartiles of an hour of one-minute samples.
/// The window and step match the `triage_*` queries of `affected-services`; PromQL has no
/// median absolute deviation, so the quartiles stand for the spread.
const BASELINE_RANGE: &str = "[1h:1m]";

/// The days back the "usual at this time" values are read (`offset 1d`, `7d`), and the window
/// they are the median of, centred on the same clock time.
const USUAL_DAYS: [u64; 2] = [1, 7];
const USUAL_RANGE: Duration = Duration::from_secs(30 * 60);

/// What a signal is keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Service,
    Call,
    Container,
}

/// The signals a runbook's `call-graph` step may have, what each is keyed by, and whether it is
/// a rate (read now and the baseline's median only: its spread is never judged). The `_p50`
/// signals are the median of the same histograms: judged where the p95 did not move.
const SIGNALS: [(&str, Key, bool); 12] = [
    ("latency", Key::Service, false),
    ("latency_p50", Key::Service, false),
    ("errors", Key::Service, false),
    ("throughput", Key::Service, true),
    ("cpu", Key::Container, false),
    ("throttling", Key::Container, false),
    ("memory", Key::Container, false),
    ("restarts", Key::Container, false),
    ("call_latency", Key::Call, false),
    ("call_latency_p50", Key::Call, false),
    ("call_errors", Key::Call, false),
    ("call_rate", Key::Call, true),
];

/// The baseline's end, before `--at`: the default 15 minutes, or `--baseline-at`.
pub const DEFAULT_BASELINE_OFFSET: Duration = Duration::from_secs(15 * 60);

/// What the step found: the localization and what it was read from (for findings and for
/// demoting fixed-threshold findings about calls that did not change).
#[derive(Debug, Clone)]
pub struct Graph {
    pub loc: Localization,
    pub services: Vec<ServiceView>,
    pub edges: Vec<EdgeView>,
    /// What is known of the graph beyond the changed services' calls (`shape.rs`).
    pub shape: shape::Shape,
    /// Where the walk started (`--service`), and the runbook's axis and level.
    pub start: Option<String>,
    /// The worst service now on the axis, by level: where the log step starts when no metric
    /// changed enough to name a candidate (as triage falls back to level).
    pub worst: Option<String>,
    pub level: (Axis, f64),
    pub params: Params,
    /// The server-side and per-call queries now of the axis, as evidence.
    pub server_query: Option<String>,
    pub calls_query: Option<String>,
    /// The baseline in words.
    pub baseline: String,
    /// How far before `--at` the baseline ends (`--baseline-at`, the symptom's onset, or the
    /// default): the log and trace steps read the same baseline.
    pub offset: Duration,
    /// What the trace comparison says of the graph walk's root (`trace-compare`), in words.
    pub traces: Option<String>,
    /// The queries the step ran, both rounds, in order: shown in the step's record.
    pub queries: Vec<String>,
}

/// The runbook's thresholds as the localization's parameters; `axis` names the runbook's own
/// triage thresholds (`triage_z_min`, `triage_min_ratio` / `triage_min_delta`).
pub fn params(ctx: &Ctx<'_>, axis: Axis) -> Params {
    let d = Params::default();
    let t = |k: &str, default: f64| {
        let v = ctx.threshold(k);
        if v.is_finite() { v } else { default }
    };
    let mut p = Params {
        explain_share: t("graph_explain_share", d.explain_share),
        server_share: t("graph_server_share", d.server_share),
        ..d.clone()
    };
    match axis {
        Axis::Latency => {
            p.latency = Rule {
                z_min: t("triage_z_min", d.latency.z_min),
                min_ratio: t("triage_min_ratio", d.latency.min_ratio),
                ..d.latency
            }
        }
        Axis::Errors => {
            p.errors = Rule {
                z_min: t("triage_z_min", d.errors.z_min),
                min_delta: t("triage_min_delta", d.errors.min_delta),
                ..d.errors
            }
        }
    }
    p
}

impl Graph {
    /// Localize again with each service's log evidence (`log-patterns`): a service whose log
    /// templates changed becomes a candidate even when no metric of it moved, and agrees with
    /// the metrics where they did.
    pub fn with_logs(&mut self, shifts: &BTreeMap<String, Shift>) {
        for v in &mut self.services {
            v.logs = shifts.get(&v.name).cloned();
        }
        self.relocalize();
    }

    /// Say whether the trace comparison (`trace-compare`) agrees with the walk. Its per-service
    /// shifts are not fed to the walk: on the Nezha development split they lowered top-1 from
    /// 14 to 11 of 24 with no baseline traces (slow against fast), and from 17 to 14 with the
    /// fault-free minute's traces as the baseline (the services it names outranked the metric
    /// and log evidence); given only to services the walk already names, as agreement, they
    /// changed no hit (17/24). So the traces are a second opinion in the finding, not a vote.
    /// The comparison's top services are logged at debug level (`TRACECTL_LOG=tracectl=debug`).
    pub fn traces_words(&self, cmp: &crate::analysis::traces::compare::TraceComparison) -> String {
        tracing::debug!(
            "trace comparison {:?}: {} baseline traces, {} anomalous",
            cmp.mode,
            cmp.baseline_traces,
            cmp.anomalous_traces
        );
        for s in cmp.services.iter().filter(|s| s.score > 0.0).take(6) {
            tracing::debug!(
                "trace comparison: {} score {:.2}: {}",
                s.service,
                s.score,
                s.reasons.first().map_or("", String::as_str)
            );
        }
        let a = crate::analysis::traces::compare::agreement(cmp, &self.loc);
        match (&a.statement, a.agrees(), &a.trace_top) {
            (Some(s), _, _) => {
                let mut c = s.chars();
                let first = c.next().map(|f| f.to_uppercase().collect::<String>());
                format!("{}{}.", first.unwrap_or_default(), c.as_str())
            }
            (None, true, Some(t)) => format!(
                "Trace comparison agrees: the service the traces point at is {t}, on this path."
            ),
            _ => "The trace comparison found no significant service.".to_string(),
        }
    }

    /// The service whose traces `trace-compare` reads: where the walk starts, else the top
    /// candidate's symptom, else the worst service by level.
    fn symptom(&self) -> Option<String> {
        self.start
            .clone()
            .or_else(|| {
                self.loc
                    .candidates
                    .first()
                    .and_then(|c| c.path.first())
                    .map(|h| h.service.clone())
            })
            .or_else(|| self.worst.clone())
    }

    fn relocalize(&mut self) {
        self.loc = localize::localize(
            &self.services,
            &self.edges,
            &self.params,
            self.start.as_deref(),
            &[self.level],
        );
        debug_candidates(&self.loc);
    }

    /// The services whose logs to read, at most `cap` (see [`localize::scope::log_scope`]):
    /// with `--service S`, S and what it calls; without, the rest of the graph after that.
    pub fn log_scope(&self, cap: usize) -> Vec<String> {
        let start = scope_start(self.start.as_deref(), &self.loc, self.worst.as_deref());
        let known: Vec<String> = self.services.iter().map(|v| v.name.clone()).collect();
        shape::scope_of(
            &self.loc,
            &self.edges,
            &self.shape,
            &known,
            start,
            self.start.is_none(),
            cap,
        )
        .0
    }

    /// Each service's log change in words, for the findings.
    pub fn log_summaries(&self) -> BTreeMap<String, String> {
        self.services
            .iter()
            .filter_map(|v| v.logs.as_ref().map(|l| (v.name.clone(), l.summary.clone())))
            .collect()
    }

    /// The baseline's offset before `--at` the run was given: `--baseline-at`, else the default.
    pub fn configured_offset(ctx: &Ctx<'_>) -> Duration {
        match ctx.vars.get("baseline_offset") {
            Some(Value::Duration(d)) => *d,
            _ => DEFAULT_BASELINE_OFFSET,
        }
    }
}

/// Where the log step's scope starts: `--service`, else (no candidate) the worst service by
/// level, else the candidates' own symptoms.
fn scope_start<'a>(
    start: Option<&'a str>,
    loc: &Localization,
    worst: Option<&'a str>,
) -> Option<&'a str> {
    match (start, loc.candidates.is_empty()) {
        (Some(s), _) => Some(s),
        (None, true) => worst,
        (None, false) => None,
    }
}

/// The baseline in words, for evidence and findings.
pub fn baseline_words(offset: Duration) -> String {
    format!(
        "the hour before {} ago",
        crate::clock::format_duration(offset)
    )
}

/// A run's call graph: unset until read; `None` when the step did not run or failed.
pub type Slot = tokio::sync::OnceCell<Option<Graph>>;

/// What the trace comparison says of the graph's root, in words (`Graph::traces`): unset until
/// `trace-compare` ran; `None` when it did not run, failed, or had no graph to compare with.
pub type Compared = tokio::sync::OnceCell<Option<String>>;

/// The `trace-compare` step, once the graph (with its logs) is read: the symptom's traces now
/// against the baseline's. A step of its own, beside the runbook's others, rather than the end
/// of the graph's: the root's finding only quotes it, so a run without `--service` no longer
/// waits for its two searches before its steps start on the root (issue 19).
pub async fn compare_traces(slot: &Slot, compared: &Compared, ctx: &Ctx<'_>) {
    compared
        .get_or_init(|| async {
            let g = slot.get()?.as_ref()?;
            let symptom = g.symptom()?;
            let cmp = ctx
                .step(
                    super::tracecmp::STEP,
                    super::tracecmp::shown(ctx, &symptom, g.offset),
                    super::tracecmp::read(ctx, &symptom, g.offset),
                )
                .await?;
            Some(g.traces_words(&cmp))
        })
        .await;
}

/// The registry's `trace-compare` id (latency and errors): the graph from `start`, unless read
/// already, then [`compare_traces`].
pub async fn fill_and_compare(
    (slot, compared): (&Slot, &Compared),
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    start: Option<&str>,
    level: (Axis, f64),
) {
    fill(slot, ctx, labels, params, start, level).await;
    compare_traces(slot, compared, ctx).await;
}

/// Read the graph into `slot` unless it holds it already (the registry's `call-graph` and
/// `log-patterns` ids both land here; whichever runs first reads, the other waits).
pub async fn fill(
    slot: &Slot,
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    start: Option<&str>,
    level: (Axis, f64),
) {
    slot.get_or_init(|| Box::pin(run(ctx, labels, params, start, level)))
        .await;
}

/// The root the graph names on `axis`, if any: the target of a run without `--service`.
pub fn root(slot: &Slot, axis: Axis) -> Option<String> {
    let g = slot.get()?.as_ref()?;
    g.loc
        .candidates
        .iter()
        .find(|c| c.axis == axis)
        .map(|c| c.service.clone())
}

/// The graph's findings joined to the runbook's (see `localize::findings`): fixed-threshold
/// dependencies that did not change demoted, a cause on the root raised just above the graph's
/// finding, a twin of the same kind and subject merged, the rest added.
pub fn add_findings(
    slot: Slot,
    compared: Compared,
    findings: &mut Vec<Finding>,
    ctx: &Ctx<'_>,
    axis: Axis,
    quantile_label: &str,
) {
    let Some(mut g) = slot.into_inner().flatten() else {
        return;
    };
    g.traces = compared.into_inner().flatten();
    localize::findings::demote_unchanged(findings, &g.services, &g.edges, &g.params, axis);
    localize::findings::demote_chronic(findings, &g.loc, axis);
    let located = localize::findings::findings(
        &g.loc,
        &localize::findings::Context {
            axis,
            namespace: &ctx.namespace,
            quantile_label,
            server_query: g.server_query.as_deref(),
            calls_query: g.calls_query.as_deref(),
            now: unix(ctx.at),
            baseline: &g.baseline,
            logs: &g.log_summaries(),
            traces: g.traces.as_deref(),
        },
    );
    localize::findings::agree_with_root(findings, &located);
    let located = localize::findings::merge_into(findings, located);
    findings.extend(located);
}

/// The `call-graph` step, then (where the runbook lists it) the `log-patterns` step over the
/// services the graph points at, and the localization again with their logs. `None` when the
/// graph step did not run or failed (recorded in the report either way).
pub async fn run(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    start: Option<&str>,
    level: (Axis, f64),
) -> Option<Graph> {
    // The symptom's onset is read beside the graph, not before it: only when the onset is older
    // than the configured baseline's end is the graph read again, so the common case (and a
    // Prometheus that fails) costs no extra round trip.
    let configured = super::onset::BaselineEnd::configured(ctx);
    // Shown before the run: the first round (the second depends on its answers); after it, the
    // queries both rounds ran.
    let first_round = |offset| {
        probes(ctx, labels, params, level, offset, &None)
            .into_iter()
            .map(|(_, q)| q)
    };
    let ran = |r: &Result<(Graph, Option<String>), StepError>, offset| match r {
        Ok((g, _)) => g.queries.clone(),
        Err(_) => first_round(offset).collect(),
    };
    let graph = async {
        let (end, first) = futures::join!(
            super::onset::baseline_end(ctx, start),
            read(ctx, labels, params, start, level, &configured)
        );
        let mut shown: Vec<String> = end.query.iter().cloned().collect();
        if end.offset != configured.offset {
            let again = read(ctx, labels, params, start, level, &end).await;
            shown.extend(ran(&again, end.offset));
            return (again, Some(shown));
        }
        // No symptom given and no change found: an incident older than the baseline's end is
        // its own baseline. The slowest service now is where it would show; its onset decides.
        let worst = match &first {
            Ok((g, _)) if start.is_none() && g.loc.candidates.is_empty() => g.worst.clone(),
            _ => None,
        };
        if let Some(w) = worst {
            let end = super::onset::baseline_end(ctx, Some(&w)).await;
            shown.extend(end.query.iter().cloned());
            if end.offset != configured.offset {
                let again = read(ctx, labels, params, start, level, &end).await;
                shown.extend(ran(&again, end.offset));
                return (again, Some(shown));
            }
        }
        shown.extend(ran(&first, configured.offset));
        let first = first.map(|(g, w)| {
            let w = match (w, end.warning) {
                (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                (a, b) => a.or(b),
            };
            (g, w)
        });
        (first, Some(shown))
    };
    let mut g = ctx
        .step_described(STEP, first_round(configured.offset).collect(), graph)
        .await?;
    let budget = super::logshift::Budget::of(ctx);
    let offset = g.offset;
    let services = g.log_scope(budget.services);
    let shift_params = super::logshift::params(ctx);
    // Without `--service` the metrics' root is usually the run's target: where it runs is asked
    // while the logs are read (a trace search, kept for the steps that map it; wasted only when
    // the logs name another root), not after them, on the target's path (issue 19).
    let likely = start
        .is_none()
        .then(|| g.loc.candidates.iter().find(|c| c.axis == level.0))
        .flatten()
        .map(|c| c.service.clone());
    let mapped = async {
        if let Some(s) = likely.filter(|_| ctx.kube().is_ok()) {
            let _ = ctx.workload(&s).await;
        }
    };
    let (shifts, ()) = futures::join!(
        ctx.step(
            super::logshift::STEP,
            super::logshift::shown(ctx, offset, budget),
            super::logshift::read(ctx, &services, offset, budget, &shift_params),
        ),
        mapped
    );
    if let Some(shifts) = shifts {
        // Error-level templates that appeared or rose, and lines an operation stopped writing
        // per request (`skipped`), on both axes. Info lines that appear or jump mostly say the
        // traffic's mix moved (on the Nezha data, fed to the latency walk as agreement, new
        // `createNewOrder` lines made a bystander outrank a CPU-starved root: 2023-01-29 13:31);
        // a skipped line is counted within one operation's requests, which a mix does not move.
        // A fault that slows a service without an error line is the metrics' to find.
        let found: BTreeMap<String, Shift> = shifts
            .iter()
            .filter_map(|(s, t)| t.to_error_shift().map(|x| (s.clone(), x)))
            .collect();
        g.with_logs(&found);
    }
    Some(g)
}
