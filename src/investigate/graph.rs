//! The `call-graph` step the latency and error runbooks share (issue 15): every signal of the
//! step's queries, now and for its own baseline (one query per signal and window, never one per
//! service), joined into views ([`views`]) and localized ([`localize::localize`]).
//!
//! Two rounds, so that what is downloaded grows with the changed services, not the fleet
//! (issue 19). The first asks Prometheus for the series that *may* have changed: a necessary
//! condition of the client's change test ([`necessary`]: now above `min_ratio` × the baseline
//! median, or `min_delta` above it), the chronic candidates (over the runbook's level now), the
//! worst by level, and the resources that may have risen; plus the graph's shape
//! (which services and calls exist, keys only: the `--service` reach, the log step's scope and
//! its log-only candidates need the whole graph). The second reads every signal in full, now, the
//! baseline's quartiles and a day and a week ago, for those services only, and every call to or
//! from them (`{{services|re}}`, `{{callers|re}}`, `{{callees|re}}` in the runbook's queries).
//! The change test stays the client's, on the same values, so its answer cannot change: a
//! service missing from the second round could not have passed it, and every neighbour the walk
//! judges "present and unchanged" is read.
//! Without `--service` its best candidate is the run's target; with `--service S` the walk starts
//! at S and covers what S calls. Not here: judging (`crate::analysis::localize`), findings
//! (`localize::findings`). Tests: `tests/it/localize.rs` against a real Prometheus.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::StepError;
use super::ctx::{Ctx, unix, warn};
use crate::analysis::localize::views::{self, Fleet, Part};
use crate::analysis::localize::{
    self, Axis, EdgeView, Localization, Params, Rule, ServiceView, Shift,
};
use crate::promql::Value;
use crate::report::Finding;
use crate::runbook::LabelNames;

/// The step's id in the runbooks.
pub const STEP: &str = "call-graph";

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
/// a rate (read now and the baseline's median only: its spread is never judged).
const SIGNALS: [(&str, Key, bool); 10] = [
    ("latency", Key::Service, false),
    ("errors", Key::Service, false),
    ("throughput", Key::Service, true),
    ("cpu", Key::Container, false),
    ("throttling", Key::Container, false),
    ("memory", Key::Container, false),
    ("restarts", Key::Container, false),
    ("call_latency", Key::Call, false),
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
    /// 14 to 11 of 24 (with no baseline traces the comparison is slow against fast, and services
    /// it names outranked the metric and log evidence), so for now the traces are a second
    /// opinion in the finding, not a vote.
    pub fn with_traces(&mut self, cmp: &crate::analysis::traces::compare::TraceComparison) {
        let a = crate::analysis::traces::compare::agreement(cmp, &self.loc);
        self.traces = Some(match (&a.statement, a.agrees(), &a.trace_top) {
            (Some(s), _, _) => {
                let mut c = s.chars();
                let first = c.next().map(|f| f.to_uppercase().collect::<String>());
                format!("{}{}.", first.unwrap_or_default(), c.as_str())
            }
            (None, true, Some(t)) => format!(
                "Trace comparison agrees: the service the traces point at is {t}, on this path."
            ),
            _ => "The trace comparison found no significant service.".to_string(),
        });
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
        let start = match (&self.start, self.loc.candidates.is_empty()) {
            (Some(s), _) => Some(s.as_str()),
            (None, true) => self.worst.as_deref(),
            (None, false) => None,
        };
        let known: Vec<String> = self.services.iter().map(|v| v.name.clone()).collect();
        localize::scope::log_scope(
            &self.loc,
            &self.edges,
            &known,
            start,
            self.start.is_none(),
            cap,
        )
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

/// The baseline in words, for evidence and findings.
pub fn baseline_words(offset: Duration) -> String {
    format!(
        "the hour before {} ago",
        crate::clock::format_duration(offset)
    )
}

/// A run's call graph: unset until read; `None` when the step did not run or failed.
pub type Slot = tokio::sync::OnceCell<Option<Graph>>;

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
    findings: &mut Vec<Finding>,
    ctx: &Ctx<'_>,
    axis: Axis,
    quantile_label: &str,
) {
    let Some(g) = slot.into_inner().flatten() else {
        return;
    };
    localize::findings::demote_unchanged(findings, &g.edges, &g.params, axis);
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
        probes(ctx, labels, params, level, offset)
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
    let shifts = ctx
        .step(
            super::logshift::STEP,
            super::logshift::shown(ctx, offset, budget),
            super::logshift::read(ctx, &services, offset, budget, &shift_params),
        )
        .await;
    if let Some(shifts) = shifts {
        // Error-level templates that appeared or rose, on both axes. Info lines that appear or
        // jump mostly say the traffic's mix moved (on the Nezha data, fed to the latency walk
        // as agreement, new `createNewOrder` lines made a bystander outrank a CPU-starved root:
        // 2023-01-29 13:31); a fault that slows a service without an error line is the
        // metrics' to find.
        let found: BTreeMap<String, Shift> = shifts
            .iter()
            .filter_map(|(s, t)| t.to_error_shift().map(|x| (s.clone(), x)))
            .collect();
        g.with_logs(&found);
    }
    // The traces through the symptom: where the walk starts, else the top candidate's symptom,
    // else the worst service by level.
    let symptom = g
        .start
        .clone()
        .or_else(|| {
            g.loc
                .candidates
                .first()
                .and_then(|c| c.path.first())
                .map(|h| h.service.clone())
        })
        .or_else(|| g.worst.clone());
    if let Some(sym) = symptom {
        let cmp = ctx
            .step(
                super::tracecmp::STEP,
                super::tracecmp::shown(ctx, &sym, offset),
                super::tracecmp::read(ctx, &sym, offset),
            )
            .await;
        if let Some(cmp) = cmp {
            g.with_traces(&cmp);
        }
    }
    Some(g)
}

/// The series a round reads: every one (`None`), or those of these services (for calls: from or
/// to one of them).
type Selection = Option<Vec<String>>;

/// A signal's query for `sel`, rendered. Calls from or to the selected services are two
/// renderings joined by `or` (the same labels, so a call between two selected services is one
/// series).
fn render(ctx: &Ctx<'_>, name: &str, key: Key, sel: &Selection) -> Result<String, StepError> {
    let any = || Value::AnyOf(None);
    let with = |services: Value, callers: Value, callees: Value| {
        ctx.query(
            STEP,
            name,
            &[
                ("services", services),
                ("callers", callers),
                ("callees", callees),
            ],
        )
    };
    match (key, sel) {
        (Key::Call, Some(s)) => {
            let from = with(any(), Value::AnyOf(Some(s.clone())), any())?;
            let to = with(any(), any(), Value::AnyOf(Some(s.clone())))?;
            Ok(format!("({from}) or ({to})"))
        }
        (_, sel) => with(Value::AnyOf(sel.clone()), any(), any()),
    }
}

/// The baseline's median of a query, `offset` before `--at`.
fn median(q: &str, off: &str) -> String {
    format!("quantile_over_time(0.5, ({q}){BASELINE_RANGE} offset {off})")
}

/// Every query of the second round, rendered for `sel`: (signal, part, query). The step's
/// queries are the signals now; the baseline parts wrap each in `quantile_over_time` over the
/// baseline range.
fn plan(ctx: &Ctx<'_>, offset: Duration, sel: &Selection) -> Vec<(usize, Part, String)> {
    let off = crate::clock::format_duration(offset);
    let mut out = Vec::new();
    for (i, (name, key, rate)) in SIGNALS.iter().enumerate() {
        let Ok(q) = render(ctx, name, *key, sel) else {
            continue;
        };
        let summary =
            |p: f64| format!("quantile_over_time({p}, ({q}){BASELINE_RANGE} offset {off})");
        out.push((i, Part::Median, summary(0.5)));
        if !rate {
            out.push((i, Part::Q25, summary(0.25)));
            out.push((i, Part::Q75, summary(0.75)));
        }
        // The runbook's own signals (latency or errors, served and called) also around this
        // clock time a day and a week ago, where the data reach back: a change must be one
        // against those too. Not the resources: they only agree.
        if !rate && !matches!(SIGNALS[i].1, Key::Container) {
            for days in USUAL_DAYS {
                let ago = Duration::from_secs(days * 86_400) - USUAL_RANGE / 2;
                let ago = crate::clock::format_duration(ago);
                let range = crate::clock::format_duration(USUAL_RANGE);
                out.push((
                    i,
                    Part::Usual,
                    format!("quantile_over_time(0.5, ({q})[{range}:1m] offset {ago})"),
                ));
            }
        }
        out.push((i, Part::Now, q));
    }
    out
}

/// A necessary condition of [`localize::rise`] under a rule: the series whose value now is
/// above `min_ratio` times the baseline median (when the rule has a ratio; strictly above, as a
/// rise is also `min_delta` > 0 up: a flat zero is no candidate), else at least `min_delta`
/// above it. One condition, so the baseline (the costly subquery) is evaluated once; the
/// z-score needs the quartiles and is the client's, in the second round. A hair of slack
/// (1e-6, relative) keeps a series whose test sits exactly on the bar, where Prometheus' and
/// Rust's float arithmetic could round apart. With neither bar, every series.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Necessary {
    Above(f64),
    AtLeast(f64),
    DeltaAtLeast(f64),
    Every,
}

impl Necessary {
    fn of(rule: &Rule) -> Self {
        const SLACK: f64 = 1.0 - 1e-6;
        match (rule.min_ratio > 1.0, rule.min_delta > 0.0) {
            (true, true) => Necessary::Above(rule.min_ratio * SLACK),
            (true, false) => Necessary::AtLeast(rule.min_ratio * SLACK),
            (false, true) => Necessary::DeltaAtLeast(rule.min_delta * SLACK),
            (false, false) => Necessary::Every,
        }
    }

    /// The condition on query `q` now and its baseline median `m`, in PromQL (a filtering
    /// comparison: the series of `q` that pass).
    fn promql(&self, q: &str, m: &str) -> String {
        match self {
            Necessary::Above(r) => format!("({q}) > {r} * ({m})"),
            Necessary::AtLeast(r) => format!("({q}) >= {r} * ({m})"),
            Necessary::DeltaAtLeast(d) => format!("({q}) - ({m}) >= {d}"),
            Necessary::Every => q.to_string(),
        }
    }

    /// The same condition as PromQL evaluates it (a NaN compares false).
    #[cfg(test)]
    fn holds(&self, now: f64, median: f64) -> bool {
        match self {
            Necessary::Above(r) => now > r * median,
            Necessary::AtLeast(r) => now >= r * median,
            Necessary::DeltaAtLeast(d) => now - median >= *d,
            Necessary::Every => true,
        }
    }
}

fn necessary(q: &str, m: &str, rule: &Rule) -> String {
    Necessary::of(rule).promql(q, m)
}

/// What a first-round query asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    /// Which calls exist, now or in the baseline (keys only).
    Calls,
    /// Which services exist, now or in the baseline (keys only).
    Services,
    /// The axis' series (a service's, or a call's) that may have risen.
    Changed(Key),
    /// Over the runbook's level now: the chronic candidates (a service is chronic when it is
    /// over it in the baseline too and did not change, judged on the second round's values).
    Chronic,
    /// The worst level now (every service tied at it).
    Worst,
    /// A container resource that may have risen.
    Resource(usize),
}

/// The first round: which services the second reads in full. Rendered with every series.
fn probes(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    (axis, level): (Axis, f64),
    offset: Duration,
) -> Vec<(Probe, String)> {
    let off = crate::clock::format_duration(offset);
    let all: Selection = None;
    let q = |name: &str| {
        SIGNALS
            .iter()
            .find(|(n, _, _)| *n == name)
            .and_then(|(n, k, _)| render(ctx, n, *k, &all).ok())
    };
    let (svc, dep) = (&labels.service, &labels.dependency);
    let mut out = Vec::new();
    let keys = |q: &str, by: &str| format!("count by ({by}) (({q}) or {})", median(q, &off));
    if let Some(r) = q("call_rate") {
        out.push((Probe::Calls, keys(&r, &format!("{svc}, {dep}"))));
    }
    if let Some(t) = q("throughput") {
        out.push((Probe::Services, keys(&t, svc)));
    }
    let (server, calls) = axis_names(axis);
    let rule = match axis {
        Axis::Latency => &params.latency,
        Axis::Errors => &params.errors,
    };
    if let Some(s) = q(server) {
        out.push((
            Probe::Changed(Key::Service),
            necessary(&s, &median(&s, &off), rule),
        ));
        if level.is_finite() {
            out.push((Probe::Chronic, format!("({s}) >= {level}")));
        }
        out.push((
            Probe::Worst,
            format!("(({s}) < Inf) >= scalar(max(({s}) < Inf))"),
        ));
    }
    if let Some(c) = q(calls) {
        out.push((
            Probe::Changed(Key::Call),
            necessary(&c, &median(&c, &off), rule),
        ));
    }
    for (i, (name, key, _)) in SIGNALS.iter().enumerate() {
        if !matches!(key, Key::Container) {
            continue;
        }
        let Some(r) = q(name) else { continue };
        let rule = if *name == "restarts" {
            &params.restarts
        } else {
            &params.resources
        };
        out.push((Probe::Resource(i), necessary(&r, &median(&r, &off), rule)));
    }
    out
}

/// A signal's query now over the whole fleet, when the runbook has it: the evidence findings
/// cite (what one would run by hand).
fn now_query(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    let key = SIGNALS.iter().find(|(n, _, _)| *n == name)?.1;
    render(ctx, name, key, &None).ok()
}

/// The first round's answers: which services the second reads, what exists, the worst level.
#[derive(Debug, Default)]
struct Found {
    /// The services the second round reads in full; `None` (every one) when a query that
    /// decides them failed, so the answer stays exact at the old cost.
    select: Option<BTreeSet<String>>,
    services: BTreeSet<String>,
    calls: BTreeSet<(String, String)>,
    /// (service, level now) of the worst-level query, when it answered.
    worst: Option<Vec<(String, f64)>>,
    answered: usize,
}

/// Run the first round and read off its answers (see the module's doc).
async fn first_round(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    probes: &[(Probe, String)],
    start: Option<&str>,
    warnings: &mut Vec<String>,
) -> Found {
    let answers = futures::future::join_all(
        probes
            .iter()
            .map(|(_, q)| async move { ctx.samples(q).await }),
    )
    .await;
    let mut f = Found::default();
    let mut select: BTreeSet<String> = start.into_iter().map(str::to_string).collect();
    let mut exact = true;
    let mut containers: Vec<String> = Vec::new();
    let label = |l: &crate::backends::prometheus::Labels, k: &str| -> String {
        l.get(k).cloned().unwrap_or_default()
    };
    for ((probe, _), answer) in probes.iter().zip(answers) {
        let samples = match answer {
            Ok((samples, w)) => {
                warnings.extend(w);
                f.answered += 1;
                samples
            }
            Err(e) => {
                let why = match &e {
                    StepError::Skipped(w) | StepError::Failed(w) => w.clone(),
                };
                warnings.push(format!("{} (first round): {why}", probe_name(*probe)));
                // Without the shape the graph is what the second round reads; without a
                // query that picks services, the second round reads them all.
                if !matches!(probe, Probe::Calls | Probe::Services) {
                    exact = false;
                }
                continue;
            }
        };
        let svc = |l| label(l, &labels.service);
        match probe {
            Probe::Calls => f.calls.extend(
                samples
                    .iter()
                    .map(|(l, _)| (svc(l), label(l, &labels.dependency))),
            ),
            Probe::Services => f.services.extend(samples.iter().map(|(l, _)| svc(l))),
            Probe::Changed(Key::Call) => {
                for (l, _) in &samples {
                    select.insert(svc(l));
                    select.insert(label(l, &labels.dependency));
                }
            }
            Probe::Changed(_) | Probe::Chronic => {
                select.extend(samples.iter().map(|(l, _)| svc(l)))
            }
            Probe::Worst => {
                let tied: Vec<(String, f64)> = samples.iter().map(|(l, v)| (svc(l), *v)).collect();
                select.extend(tied.iter().map(|(s, _)| s.clone()));
                f.worst = Some(tied);
            }
            Probe::Resource(_) => {
                containers.extend(samples.iter().map(|(l, _)| label(l, "container")))
            }
        }
    }
    // A container maps to a service as the views map it, among every service known.
    let mut known = f.services.clone();
    for (a, b) in &f.calls {
        known.insert(a.clone());
        known.insert(b.clone());
    }
    known.extend(select.iter().cloned());
    known.retain(|n| !n.is_empty());
    for c in &containers {
        if let Some(s) = views::service_of_container(c, &known) {
            select.insert(s.to_string());
        }
    }
    select.retain(|n| !n.is_empty());
    f.select = exact.then_some(select);
    f
}

/// Read every signal and localize on the runbook's `axis`; `level` is its fixed threshold, which
/// names the chronic services (over it now and in their baseline). A query that fails leaves its
/// signal (or its baseline) out and becomes a warning; the step fails only when nothing could be
/// read.
pub async fn read(
    ctx: &Ctx<'_>,
    labels: &LabelNames,
    params: &Params,
    start: Option<&str>,
    (axis, level): (Axis, f64),
    end: &super::onset::BaselineEnd,
) -> Result<(Graph, Option<String>), StepError> {
    let offset = end.offset;
    let probes = probes(ctx, labels, params, (axis, level), offset);
    if probes.is_empty() {
        return Err(StepError::Failed(format!(
            "the runbook's {STEP} step has no queries for profile {}",
            ctx.settings.profile.name()
        )));
    }
    let mut warnings = Vec::new();
    let found = first_round(ctx, labels, &probes, start, &mut warnings).await;
    let mut queries: Vec<String> = probes.iter().map(|(_, q)| q.clone()).collect();
    let selection: Selection = found.select.as_ref().map(|s| s.iter().cloned().collect());
    // Nothing may have changed, nothing is chronic and nothing is named: no second round.
    let planned = match &selection {
        Some(s) if s.is_empty() => Vec::new(),
        sel => plan(ctx, offset, sel),
    };
    queries.extend(planned.iter().map(|(_, _, q)| q.clone()));
    let answers = futures::future::join_all(
        planned
            .iter()
            .map(|(_, _, q)| async move { ctx.samples(q).await }),
    )
    .await;
    let mut fleet = Fleet {
        window: ctx.settings.rate_window.as_secs_f64(),
        known_services: found.services.clone(),
        known_calls: found.calls.clone(),
        ..Default::default()
    };
    let mut read_now = found.answered;
    let mut first_error = None;
    for ((i, part, _), answer) in planned.iter().zip(answers) {
        let (name, key, _) = SIGNALS[*i];
        let (samples, w) = match answer {
            Ok(a) => a,
            Err(e) => {
                let why = match &e {
                    StepError::Skipped(w) | StepError::Failed(w) => w.clone(),
                };
                warnings.push(format!("{name} ({}): {why}", part_name(*part)));
                first_error.get_or_insert(e);
                continue;
            }
        };
        warnings.extend(w);
        if *part == Part::Now {
            read_now += 1;
        }
        let label = |l: &crate::backends::prometheus::Labels, k: &str| -> String {
            l.get(k).cloned().unwrap_or_default()
        };
        match key {
            Key::Service | Key::Container => {
                let k = match key {
                    Key::Service => labels.service.as_str(),
                    _ => "container",
                };
                let values: Vec<(String, f64)> =
                    samples.iter().map(|(l, v)| (label(l, k), *v)).collect();
                let col = match name {
                    "latency" => &mut fleet.latency,
                    "errors" => &mut fleet.errors,
                    "throughput" => &mut fleet.throughput,
                    "throttling" => &mut fleet.throttling,
                    "memory" => &mut fleet.memory,
                    "restarts" => &mut fleet.restarts,
                    _ => &mut fleet.cpu,
                };
                views::fill(col, *part, &values);
            }
            Key::Call => {
                let values: Vec<((String, String), f64)> = samples
                    .iter()
                    .map(|(l, v)| {
                        (
                            (label(l, &labels.service), label(l, &labels.dependency)),
                            *v,
                        )
                    })
                    .collect();
                let col = match name {
                    "call_latency" => &mut fleet.call_latency,
                    "call_errors" => &mut fleet.call_errors,
                    _ => &mut fleet.call_rate,
                };
                views::fill(col, *part, &values);
            }
        }
    }
    if read_now == 0 {
        return Err(first_error.unwrap_or_else(|| StepError::Failed("no signal answered".into())));
    }
    let level_now = match axis {
        Axis::Latency => &fleet.latency,
        Axis::Errors => &fleet.errors,
    };
    // The worst service by level: of the first round's ties at the top when it answered (the
    // second round read the whole fleet otherwise), the first by name.
    let by_level: Vec<(String, f64)> = match &found.worst {
        Some(tied) => tied.clone(),
        None => level_now
            .iter()
            .filter_map(|(s, v)| v.now.map(|x| (s.clone(), x)))
            .collect(),
    };
    let worst = by_level
        .iter()
        .filter(|(_, x)| x.is_finite() && *x > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(s, _)| s.clone());
    let (services, edges) = views::views(&fleet);
    let loc = localize::localize(&services, &edges, params, start, &[(axis, level)]);
    debug_candidates(&loc);
    Ok((
        Graph {
            loc,
            services,
            edges,
            start: start.map(str::to_string),
            worst,
            level: (axis, level),
            params: params.clone(),
            server_query: now_query(ctx, axis_names(axis).0),
            calls_query: now_query(ctx, axis_names(axis).1),
            baseline: end.words.clone().unwrap_or_else(|| baseline_words(offset)),
            offset,
            traces: None,
            queries,
        },
        warn(warnings),
    ))
}

/// `-vv`: the ranked candidates with what made each score, so a wrong rank 1 can be read.
fn debug_candidates(loc: &localize::Localization) {
    for c in loc.candidates.iter().take(8) {
        tracing::debug!(
            "candidate {} {:?} {:?} score {:.2}: own {:.2}{}, unexplained {:.2}, explains [{}], agreeing [{}]",
            c.service,
            c.axis,
            c.locus,
            c.score,
            c.change.map(|ch| ch.strength).unwrap_or(0.0),
            if c.from_calls { " (calls to it)" } else { "" },
            c.unexplained,
            c.explains.join(", "),
            c.agreeing.join(", "),
        );
    }
}

/// The axis' signals: (server side, calls).
fn axis_names(axis: Axis) -> (&'static str, &'static str) {
    match axis {
        Axis::Latency => ("latency", "call_latency"),
        Axis::Errors => ("errors", "call_errors"),
    }
}

fn probe_name(p: Probe) -> &'static str {
    match p {
        Probe::Calls => "the calls that exist",
        Probe::Services => "the services that exist",
        Probe::Changed(Key::Call) => "calls that may have changed",
        Probe::Changed(_) => "services that may have changed",
        Probe::Chronic => "services over the level now",
        Probe::Worst => "the worst level now",
        Probe::Resource(i) => SIGNALS[i].0,
    }
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Now => "now",
        Part::Median => "baseline median",
        Part::Q25 => "baseline first quartile",
        Part::Q75 => "baseline third quartile",
        Part::Usual => "a day or a week ago",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::localize::{Measure, rise};

    /// The first round may return more than changed, never less: over a grid of values now,
    /// baseline medians, spreads, request counts and values a day ago, every measure the
    /// client's test calls a rise passes the PromQL condition, for each of the runbooks' rules
    /// and for rules with only a ratio or only a delta.
    #[test]
    fn the_first_rounds_condition_holds_for_every_rise() {
        let p = Params::default();
        let ratio_only = Rule {
            min_delta: 0.0,
            ..p.latency
        };
        let delta_only = Rule {
            min_ratio: 1.0,
            ..p.latency
        };
        let values = [
            0.0, 1e-4, 0.001, 0.004, 0.005, 0.01, 0.0101, 0.02, 0.05, 0.1, 0.12, 0.2, 0.5, 1.0,
            1.2, 1.3, 2.0, 10.0,
        ];
        let mut rises = 0;
        for rule in [
            p.latency,
            p.errors,
            p.resources,
            p.restarts,
            ratio_only,
            delta_only,
        ] {
            let cond = Necessary::of(&rule);
            for now in values {
                for center in values {
                    for spread in [0.0, 0.001, 0.05] {
                        for requests in [None, Some(5.0), Some(1000.0)] {
                            for usual in [None, Some(0.0), Some(0.5)] {
                                let mut m = Measure::new(now, center, spread).with_usual(usual);
                                if let Some(n) = requests {
                                    m = m.with_requests(n);
                                }
                                if rise(&m, &rule).is_some() {
                                    rises += 1;
                                    assert!(
                                        cond.holds(now, center),
                                        "{cond:?} drops {m:?}, a rise under {rule:?}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(rises > 1000, "{rises}");
        // And it filters: a flat series, or one under the bar, is not returned.
        let lat = Necessary::of(&p.latency);
        assert!(!lat.holds(0.1, 0.1) && !lat.holds(0.0, 0.0) && !lat.holds(0.11, 0.1));
        let err = Necessary::of(&p.errors);
        assert!(!err.holds(0.0, 0.0) && !err.holds(0.3, 0.3) && err.holds(0.02, 0.0));
        assert_eq!(
            necessary("q", "m", &p.latency),
            format!("(q) > {} * (m)", 1.2 * (1.0 - 1e-6))
        );
        assert_eq!(
            necessary("q", "m", &p.errors),
            format!("(q) - (m) >= {}", 0.01 * (1.0 - 1e-6))
        );
    }
}
