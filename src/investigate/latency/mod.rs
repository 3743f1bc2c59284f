//! `tracectl investigate latency`: the high-latency runbook.
//!
//! Without `--service`, the call graph ([`super::graph`]) runs first and its root is the target;
//! when it names none, triage picks the service whose latency rose most against its own baseline
//! ([`crate::analysis::localize::triage`]), else the slowest. Then the steps the YAML lists run
//! concurrently, each found in [`registry`]: service latency with onset and baseline, the call
//! graph from the target down (with `--service`), slow operations, dependencies, slow traces,
//! resources, and recent changes (which waits for the graph and the dependencies, to check the
//! root's or the slow dependency's rollouts too). Their answers become plain evidence for
//! [`crate::analysis::latency::analyze`], joined with the graph's findings. Queries come from
//! `runbooks/latency.yaml`. This file wires the run; `steps.rs` gathers each step. Tests: below,
//! `tests/it/latency.rs`, `tests/it/localize.rs`.

mod steps;

use anyhow::Result;
use tokio::sync::OnceCell;

use super::ctx::{Ctx, Trend, baseline_offset, change_unavailable, unix, warn};
use super::graph;
use super::registry::{self, StepFn};
use crate::analysis::latency::{
    self as analysis, ChangeEvidence, LatencyEvidence, LatencyParams, MetricList, ResourceEvidence,
    TraceEvidence,
};
use crate::analysis::localize::{Axis, Params};
use crate::cli::LatencyArgs;
use crate::error::UsageError;
use crate::promql::{Value, Vars};
use crate::report::Target;
use crate::runbook::LabelNames;
use crate::settings::Settings;

/// The variables its query templates may use.
pub const VARS: &[&str] = &[
    "service",
    "quantile",
    "rate_window",
    "offset",
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
        "traces" => Some(steps::traces),
        "slow-operations" => Some(steps::slow_operations),
        "dependencies" => Some(steps::dependencies),
        "resources" => Some(steps::resources),
        "recent-changes" => Some(steps::recent_changes),
        _ => None,
    }
}

/// A step's answer: unset until the step ran; `None` when it ran and found nothing usable.
type Slot<T> = OnceCell<Option<T>>;

/// One run: its context, the target, and each step's answer.
struct Run<'a> {
    ctx: Ctx<'a>,
    args: &'a LatencyArgs,
    p: LatencyParams,
    labels: LabelNames,
    service: String,
    affected: Slot<Trend>,
    operations: Slot<MetricList>,
    dependencies: Slot<MetricList>,
    traces: Slot<TraceEvidence>,
    resources: Slot<ResourceEvidence>,
    changes: Slot<ChangeEvidence>,
    graph: graph::Slot,
    compared: graph::Compared,
    gp: Params,
    level: (Axis, f64),
}

fn params(ctx: &Ctx, threshold: Option<f64>) -> LatencyParams {
    let t = |k: &str| ctx.threshold(k);
    let s = ctx.settings;
    LatencyParams {
        service_seconds: threshold.unwrap_or_else(|| {
            s.thresholds
                .get("latency_seconds")
                .copied()
                .unwrap_or(t("service_seconds"))
        }),
        operation_seconds: t("operation_seconds"),
        dependency_seconds: t("dependency_seconds"),
        dependency_share: t("dependency_share"),
        throttling_ratio: t("throttling_ratio"),
        cpu_saturation: t("cpu_saturation"),
        memory_ratio: t("memory_ratio"),
        network_growth: t("network_growth"),
        n_plus_one_repeats: t("n_plus_one_repeats"),
        change_window_seconds: t("change_window_seconds"),
    }
}

pub async fn investigate(settings: &Settings, args: &LatencyArgs) -> Result<crate::report::Report> {
    let rb = registry::load(settings, "latency", registry, VARS)?;
    let quantile = args.quantile.unwrap_or(0.95);
    if !(0.0..1.0).contains(&quantile) || quantile <= 0.0 {
        return Err(UsageError::new(format!(
            "--quantile must be between 0 and 1, got {quantile}"
        ))
        .into());
    }
    if let Some(t) = args.threshold
        && !(t.is_finite() && t > 0.0)
    {
        return Err(UsageError::new("--threshold must be a positive number of seconds").into());
    }
    let mut vars = Vars::new();
    vars.insert("quantile".into(), Value::Number(quantile));
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    let at = settings.clock.now();
    let offset = baseline_offset(at, args.baseline_at.as_deref())?;
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
    let labels = ctx.labels()?;
    let p = params(&ctx, args.threshold);
    let lookback = settings.lookback;
    let gp = graph::params(&ctx, Axis::Latency);
    let level = (Axis::Latency, p.service_seconds);

    // Without --service, the call graph runs first: its root (the deepest changed service that
    // what it calls does not explain) is the target. With --service it runs with the others,
    // from the service down.
    let early = graph::Slot::new();
    if args.service.is_none() {
        graph::fill(&early, &ctx, &labels, &gp, None, level).await;
    }
    let root = graph::root(&early, Axis::Latency);

    // Step 1 as triage: without --service, the service whose latency changed most against its
    // own baseline is the target (issue 15: a chronically slow service is never picked for being
    // slow); when none changed, the slowest, as the runbook does by hand.
    let service = match &args.service {
        Some(s) => s.clone(),
        None => {
            let top = ctx.query("affected-services", "top", &[]);
            let change = ctx.triage_queries();
            let mut shown: Vec<String> = Vec::new();
            if root.is_none() {
                shown.extend(change.iter().cloned());
                shown.extend(top.iter().cloned());
            }
            let picked = ctx
                .log
                .run(
                    0,
                    "triage",
                    format!("Triage: {}", ctx.title("affected-services")),
                    shown,
                    async {
                        if let Some(r) = &root {
                            return Ok((vec![(r.clone(), 0.0)], None));
                        }
                        let mut warnings = Vec::new();
                        match ctx
                            .most_changed(&change, &labels.service, &gp.latency)
                            .await
                        {
                            Ok((Some(svc), _, w)) => return Ok((vec![(svc, 0.0)], warn(w))),
                            Ok((None, _, w)) => warnings.extend(w),
                            Err(e) => warnings.push(change_unavailable(&e)),
                        }
                        let (items, w) = ctx.list(&top.clone()?, &labels.service).await?;
                        warnings.extend(w);
                        Ok((items, warn(warnings)))
                    },
                )
                .await;
            match picked.as_ref().and_then(|items| items.first()) {
                Some((svc, _)) if !svc.is_empty() => svc.clone(),
                _ => {
                    let target = Target {
                        service: None,
                        operation: None,
                    };
                    let mut report = ctx.report("investigate latency", target, lookback, vec![]);
                    if picked.is_some() {
                        report.diagnosis = "no service reports latency: nothing to triage".into();
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
        args,
        p,
        labels,
        service,
        affected: Slot::new(),
        operations: Slot::new(),
        dependencies: Slot::new(),
        traces: Slot::new(),
        resources: Slot::new(),
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
    let (service_latency, onset, baseline) = run
        .affected
        .into_inner()
        .flatten()
        .unwrap_or((None, None, None));
    let evidence = LatencyEvidence {
        service: run.service.clone(),
        namespace: run.ctx.namespace.clone(),
        quantile,
        service_query,
        service_latency,
        baseline,
        onset,
        operations: run.operations.into_inner().flatten(),
        dependencies: run.dependencies.into_inner().flatten(),
        traces: run.traces.into_inner().flatten(),
        resources: run.resources.into_inner().flatten(),
        changes: run.changes.into_inner().flatten(),
        now: unix(run.ctx.at),
        lookback: lookback.as_secs_f64(),
    };
    let mut findings = analysis::analyze(&evidence, &run.p);
    let ql = format!("p{}", (quantile * 100.0).round() as i64);
    graph::add_findings(
        run.graph,
        run.compared,
        &mut findings,
        &run.ctx,
        Axis::Latency,
        &ql,
    );
    let target = Target {
        service: Some(run.service),
        operation: args.operation.clone(),
    };
    Ok(run
        .ctx
        .report("investigate latency", target, lookback, findings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook;

    #[test]
    fn the_built_in_runbook_validates_against_this_command() {
        let rb = runbook::load("latency", None).unwrap();
        rb.validate_registered(&|id| registry(id).is_some(), &[], VARS, "latency")
            .unwrap();
        assert!(registry("make-coffee").is_none());
    }
}
