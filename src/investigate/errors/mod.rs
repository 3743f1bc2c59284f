//! `tracectl investigate errors`: the error-rate runbook.
//!
//! Without `--service`, the call graph and the log templates of the services it points at
//! ([`super::graph`], [`super::logshift`]) run first and the graph's root is the target; when it
//! names none, triage picks the service whose error ratio rose most against its own baseline,
//! else the highest ratio. Then the steps the YAML lists run concurrently, each found in
//! [`registry`] (the graph's findings are joined to theirs at the end): the service's error ratio with
//! onset and baseline, error types against the baseline, error traces and where their errors
//! start, failing dependencies, error-log templates, resources, pod health, and recent changes
//! (which waits for the dependencies' metrics, and for the traces only when the metrics name
//! no failing dependency, to check the failing dependency's rollouts too). The Deployment is read once and shared: its selector finds the pods that the logs and
//! pod-health steps read. Each step's answer becomes plain evidence for
//! [`crate::analysis::errors::analyze`]. Queries come from `runbooks/errors.yaml`. This file wires
//! the run; `steps.rs` records each step, and `metrics.rs`, `traces.rs` and `cluster.rs` run them
//! against Prometheus, Jaeger and Kubernetes. Tests: below, and `tests/it/errors.rs`.

mod cluster;
mod metrics;
mod steps;
mod traces;

use anyhow::Result;
use tokio::sync::OnceCell;

use super::StepError;
use super::ctx::{Ctx, Trend, baseline_offset, change_unavailable, unix, warn};
use super::graph;
use super::registry::{self, StepFn};
use crate::analysis::errors::{
    self as analysis, ChangeEvidence, ErrorEvidence, ErrorParams, ErrorTypes, LogEvidence,
    PodHealthEvidence, RatioList, ResourceEvidence, TraceErrors,
};
use crate::analysis::localize::{Axis, Params};
use crate::backends::kubernetes::{PodInfo, RolloutHistory};
use crate::cli::ErrorsArgs;
use crate::error::UsageError;
use crate::promql::{Value, Vars};
use crate::report::{Report, Target};
use crate::runbook::LabelNames;
use crate::settings::Settings;
use cluster::LogBudget;

/// The variables its query templates may use.
pub const VARS: &[&str] = &[
    "service",
    "rate_window",
    "offset",
    "lookback",
    "baseline_offset",
    // The call graph's series sets (`{{services|re}}`, `{{callers|re}}`, `{{callees|re}}`):
    // every series in its first round, only the changed ones and their neighbours after.
    "services",
    "callers",
    "callees",
];

/// The step registry: each step id the YAML may list, and the function that gathers it.
fn registry<'a>(id: &str) -> Option<StepFn<Run<'a>>> {
    match id {
        // Run before the others, when wanted (`investigate`): nothing left to do.
        "discovery" => Some(steps::already_run),
        "affected-services" => Some(steps::affected_services),
        "call-graph" | "log-patterns" => Some(steps::call_graph),
        "trace-compare" => Some(steps::trace_compare),
        "error-types" => Some(steps::error_types),
        "traces" => Some(steps::traces),
        "dependencies" => Some(steps::dependencies),
        "logs" => Some(steps::logs),
        "resources" => Some(steps::resources),
        "pod-health" => Some(steps::pod_health),
        "recent-changes" => Some(steps::recent_changes),
        _ => None,
    }
}

/// A step's answer: unset until the step ran; `None` when it ran and found nothing usable.
type Slot<T> = OnceCell<Option<T>>;

/// One run: its context, the target, the reads steps share, and each step's answer.
struct Run<'a> {
    ctx: Ctx<'a>,
    p: ErrorParams,
    labels: LabelNames,
    service: String,
    budget: LogBudget,
    trace_limit: u32,
    /// The service's Deployment (`None`: there is none), read once: its revisions for the
    /// changes, its selector for the pods.
    deployment: OnceCell<Result<Option<RolloutHistory>, StepError>>,
    /// (selector, pods), read once for the logs and pod-health steps.
    pods: OnceCell<Result<(String, Vec<PodInfo>), StepError>>,
    affected: Slot<Trend>,
    types: Slot<ErrorTypes>,
    traces: Slot<TraceErrors>,
    dependencies: Slot<RatioList>,
    logs: Slot<LogEvidence>,
    resources: Slot<ResourceEvidence>,
    pod_health: Slot<PodHealthEvidence>,
    changes: Slot<ChangeEvidence>,
    graph: graph::Slot,
    compared: graph::Compared,
    gp: Params,
    level: (Axis, f64),
}

fn params(ctx: &Ctx, threshold: Option<f64>) -> ErrorParams {
    let t = |k: &str| ctx.threshold(k);
    ErrorParams {
        service_ratio: threshold.unwrap_or_else(|| {
            ctx.settings
                .thresholds
                .get("error_ratio")
                .copied()
                .unwrap_or(t("service_ratio"))
        }),
        dependency_ratio: t("dependency_ratio"),
        type_growth: t("type_growth"),
        type_min_share: t("type_min_share"),
        throttling_ratio: t("throttling_ratio"),
        memory_ratio: t("memory_ratio"),
        fd_ratio: t("fd_ratio"),
        change_window_seconds: t("change_window_seconds"),
        log_min_lines: t("log_min_lines"),
    }
}

pub async fn investigate(settings: &Settings, args: &ErrorsArgs) -> Result<Report> {
    let rb = registry::load(settings, "errors", registry, VARS)?;
    if let Some(t) = args.threshold
        && !(t.is_finite() && t > 0.0 && t <= 1.0)
    {
        return Err(UsageError::new(format!(
            "--threshold is a ratio of errors to requests, between 0 and 1 (0.05 = 5%), got {t}"
        ))
        .into());
    }
    let budget = LogBudget {
        tail_lines: rb.threshold("log_tail_lines").max(1.0) as i64,
        pod_bytes: rb.threshold("log_pod_bytes").max(1024.0) as i64,
        total_bytes: rb.threshold("log_total_bytes").max(1024.0) as i64,
    };
    let trace_limit = rb.threshold("trace_limit").max(1.0) as u32;
    let lookback = settings.lookback;
    let mut vars = Vars::new();
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    vars.insert("lookback".into(), Value::Duration(lookback));
    let offset = baseline_offset(settings.clock.now(), args.baseline_at.as_deref())?;
    vars.insert("baseline_offset".into(), Value::Duration(offset));
    if args.baseline_at.is_some() {
        // Given: the call graph keeps it rather than moving it before the symptom's onset.
        vars.insert("baseline_at".into(), Value::Duration(offset));
    }
    let mut ctx = Ctx::open(settings, rb, vars).await;
    // From a kubeconfig alone: the stack's Services reached through the API server (issue #17).
    if super::discovery::wanted(settings) {
        super::discovery::step(&ctx).await;
        ctx.prom = ctx.prom.take().or_else(|| settings.prometheus());
    }
    let p = params(&ctx, args.threshold);
    let labels = ctx.labels()?;
    let gp = graph::params(&ctx, Axis::Errors);
    let level = (Axis::Errors, p.service_ratio);

    // Without --service, the call graph runs first: its root (the deepest service whose new
    // errors what it calls does not explain) is the target. With --service it runs with the
    // others, from the service down.
    let early = graph::Slot::new();
    if args.service.is_none() {
        graph::fill(&early, &ctx, &labels, &gp, None, level).await;
    }
    let root = graph::root(&early, Axis::Errors);

    // Step 1 as triage: without --service, the service whose error ratio rose most against its
    // own baseline, else the one with the highest ratio.
    let mut others = None;
    let service = match &args.service {
        Some(s) => s.clone(),
        None => {
            let q = ctx.query("affected-services", "top", &[]);
            // With the graph's root, triage needs only the root's ratio now (issue 19: not
            // every service's, nor their baselines): `triage_now` filtered to it.
            let change = match &root {
                Some(r) => ctx
                    .triage_queries()
                    .into_iter()
                    .take(1)
                    .map(|now| crate::promql::only(&now, &labels.service, std::slice::from_ref(r)))
                    .collect(),
                None => ctx.triage_queries(),
            };
            let mut shown = change.clone();
            shown.extend(q.iter().cloned());
            let rule = gp.errors;
            let picked = ctx
                .log
                .run(
                    0,
                    "triage",
                    format!("Triage: {}", ctx.title("affected-services")),
                    shown,
                    async {
                        let q = q.clone()?;
                        let by_change = async {
                            match (&root, change.first()) {
                                (Some(_), Some(now)) => ctx
                                    .list(now, &labels.service)
                                    .await
                                    .map(|(now, w)| (None, now, w)),
                                _ => ctx.most_changed(&change, &labels.service, &rule).await,
                            }
                        };
                        let (level, by_change) =
                            futures::join!(ctx.list(&q, &labels.service), by_change);
                        let (mut items, mut w) = level?;
                        // By change, not level (issue 15): the service whose error ratio rose
                        // most against its own baseline goes first; the worst ratio otherwise.
                        let (changed, now) = match by_change {
                            Ok((changed, now, w2)) => {
                                w.extend(w2);
                                (changed, now)
                            }
                            Err(e) => {
                                w.push(change_unavailable(&e));
                                (None, Vec::new())
                            }
                        };
                        // The call graph's root outranks the service that changed most: the
                        // latter may only carry the root's errors up.
                        if let Some(svc) = root.clone().or(changed) {
                            let ratio = now.iter().find(|(s, _)| *s == svc).map(|x| x.1);
                            items.retain(|(s, _)| *s != svc);
                            items.insert(0, (svc, ratio.unwrap_or(f64::NAN)));
                        }
                        Ok((RatioList { query: q, items }, warn(w)))
                    },
                )
                .await;
            match picked
                .as_ref()
                .and_then(|l| l.items.first())
                .filter(|(s, _)| !s.is_empty())
            {
                Some((svc, _)) => {
                    let svc = svc.clone();
                    others = picked;
                    svc
                }
                None => {
                    let target = Target {
                        service: None,
                        operation: None,
                    };
                    let mut report = ctx.report("investigate errors", target, lookback, vec![]);
                    if picked.is_some() {
                        report.diagnosis = "no service reports errors: nothing to triage".into();
                    }
                    return Ok(report);
                }
            }
        }
    };
    ctx.vars
        .insert("service".into(), Value::Label(service.clone()));

    let run = Run {
        ctx,
        p,
        labels,
        service,
        budget,
        trace_limit,
        deployment: OnceCell::new(),
        pods: OnceCell::new(),
        affected: Slot::new(),
        types: Slot::new(),
        traces: Slot::new(),
        dependencies: Slot::new(),
        logs: Slot::new(),
        resources: Slot::new(),
        pod_health: Slot::new(),
        changes: Slot::new(),
        graph: early,
        compared: graph::Compared::new(),
        gp,
        level,
    };
    registry::run_all(&run.ctx.rb, &run, registry).await;

    let service_query = run
        .ctx
        .query("affected-services", "service", &[])
        .unwrap_or_default();
    let (error_ratio, onset, baseline) = run
        .affected
        .into_inner()
        .flatten()
        .unwrap_or((None, None, None));
    let evidence = ErrorEvidence {
        service: run.service.clone(),
        namespace: run.ctx.namespace.clone(),
        service_query,
        error_ratio,
        baseline,
        onset,
        others,
        types: run.types.into_inner().flatten(),
        traces: run.traces.into_inner().flatten(),
        dependencies: run.dependencies.into_inner().flatten(),
        logs: run.logs.into_inner().flatten(),
        resources: run.resources.into_inner().flatten(),
        pods: run.pod_health.into_inner().flatten(),
        changes: run.changes.into_inner().flatten(),
        now: unix(run.ctx.at),
        lookback: lookback.as_secs_f64(),
    };
    let mut findings = analysis::analyze(&evidence, &run.p);
    graph::add_findings(
        run.graph,
        run.compared,
        &mut findings,
        &run.ctx,
        Axis::Errors,
        "",
    );
    let target = Target {
        service: Some(run.service),
        operation: None,
    };
    Ok(run
        .ctx
        .report("investigate errors", target, lookback, findings))
}

#[cfg(test)]
mod tests {
    use super::metrics::type_name;
    use super::*;
    use crate::backends::prometheus::Labels;
    use crate::runbook;
    use crate::runbook::Profile;

    #[test]
    fn the_built_in_runbook_validates_with_a_query_per_profile() {
        let rb = runbook::load("errors", None).unwrap();
        rb.validate_registered(&|id| registry(id).is_some(), &[], VARS, "errors")
            .unwrap();
        for p in [Profile::Mcp, Profile::Spanmetrics, Profile::Semconv] {
            for (step, q) in [
                ("affected-services", "service"),
                ("error-types", "baseline"),
                ("dependencies", "top"),
                ("resources", "fds"),
            ] {
                assert!(rb.query(step, q, p).is_some(), "{step}/{q} for {p:?}");
            }
        }
        assert_eq!(rb.threshold("service_ratio"), 0.05);
        assert_eq!(rb.threshold("dependency_ratio"), 0.1);
        for kind in [
            "high_error_rate",
            "error_type_spike",
            "dependency_errors",
            "error_origin",
            "log_error_pattern",
            "oom_killed",
            "crash_loop",
            "probe_failure",
            "pod_evicted",
            "cpu_throttling",
            "memory_pressure",
            "fd_exhaustion",
            "recent_deployment",
            "config_change",
        ] {
            assert!(rb.findings.contains_key(kind), "{kind} is not documented");
        }
    }

    #[test]
    fn error_types_are_named_by_their_grouping_labels() {
        let labels = |pairs: &[(&str, &str)]| -> Labels {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(type_name(&labels(&[("error_type", "timeout")])), "timeout");
        assert_eq!(
            type_name(&labels(&[
                ("http_response_status_code", "503"),
                ("http_status_code", "")
            ])),
            "503"
        );
        assert_eq!(type_name(&labels(&[])), "unclassified");
    }
}
