//! `tracectl investigate rollout`: did a rollout regress the service?
//!
//! The rollout step reads the history of the workload the service maps to (a Deployment's
//! ReplicaSets, a StatefulSet's or DaemonSet's ControllerRevisions) from Kubernetes and picks the
//! revision to judge (the latest, or `--revision N`): its creation time is when the rollout
//! began, and the revision before it is the undo target. `--since TIME` gives the time instead, for a service
//! not on Kubernetes. Then the windows are set ([`windows`]: equal lengths, before ending at the
//! rollout, after starting once it settled), and the traffic, errors and latency steps
//! (`metrics.rs`; they wait for the rollout step) run concurrently, each query an instant query
//! at the end of both windows with the window as its range. The YAML's steps run, each found in
//! [`registry`]. The counts become plain evidence for [`crate::analysis::rollout::analyze`].
//! Queries come from `runbooks/rollout.yaml`. Tests: `tests/it/rollout.rs`, and below.

mod metrics;

use std::time::Duration;

use anyhow::Result;
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use tokio::sync::OnceCell;

use super::StepError;
use super::ctx::{Ctx, unix};
use super::kube::{history, is_not_found};
use super::registry::{self, StepFn};
use crate::analysis::rollout::{
    self as analysis, PickError, Picked, RolloutEvidence, RolloutParams, RolloutRef, Windows,
    windows,
};
use crate::backends::kubernetes::WorkloadKind;
use crate::cli::RolloutArgs;
use crate::error::UsageError;
use crate::promql::{Value, Vars};
use crate::report::{Report, Target};
use crate::settings::Settings;

/// The variables its query templates may use.
pub const VARS: &[&str] = &["service", "window", "quantile"];

/// The step registry: each step id the YAML may list, and the function that gathers it.
fn registry<'a>(id: &str) -> Option<StepFn<Run<'a>>> {
    match id {
        "rollout" => Some(rollout),
        "traffic" => Some(metrics::traffic),
        "errors" => Some(metrics::errors),
        "latency" => Some(metrics::latency),
        _ => None,
    }
}

const DEFAULT_WINDOW: Duration = Duration::from_secs(30 * 60);
const DEFAULT_SETTLE: Duration = Duration::from_secs(2 * 60);

/// The rollout step's answer: `None` when it did not run or failed; `Err` when `--revision`
/// names no revision (the user's to fix: the message and its hint); else the workload and the
/// revision picked, if any.
type Pick = Option<Result<Option<(Judged, Picked)>, (String, String)>>;

/// The workload whose history the rollout step read.
#[derive(Debug, Clone)]
struct Judged {
    kind: WorkloadKind,
    namespace: String,
    name: String,
}

/// A step's answer: unset until the step ran; `None` when it ran and found nothing usable.
type Slot<T> = OnceCell<Option<T>>;

/// One run: its context, the flags, the rollout picked, and each metric step's answer.
struct Run<'a> {
    ctx: Ctx<'a>,
    args: &'a RolloutArgs,
    op_label: String,
    window: Duration,
    settle: Duration,
    since: Option<f64>,
    picked: OnceCell<Pick>,
    traffic: Slot<metrics::PerOp>,
    errors: Slot<metrics::PerOp>,
    latency: Slot<metrics::Gathered>,
}

/// When the metric steps can measure.
enum Timing {
    /// The rollout's time (unix seconds) and the windows around it.
    Windows(f64, Windows),
    /// No rollout time: nothing to compare.
    Untimed,
    /// `--revision` names no revision: the command refuses it after the rollout step.
    Refused,
}

impl Run<'_> {
    /// The rollout step's answer, running it once.
    async fn pick(&self) -> &Pick {
        self.picked.get_or_init(|| pick_rollout(self)).await
    }

    fn rollout_ref(pick: &Pick) -> Option<RolloutRef> {
        let (w, p) = pick.as_ref()?.as_ref().ok()?.as_ref()?;
        Some(RolloutRef {
            kind: w.kind,
            deployment: w.name.clone(),
            revision: p.current.revision,
            images: p.current.images.clone(),
            change_cause: p.current.change_cause.clone(),
            previous: p.previous.as_ref().map(|r| r.revision),
            next: p.next.as_ref().map(|r| (r.revision, r.created)),
        })
    }

    /// The rollout's time and the windows around it.
    async fn timing(&self) -> Timing {
        let pick = self.pick().await;
        if let Some(Err(_)) = pick {
            return Timing::Refused;
        }
        let created = pick
            .as_ref()
            .and_then(|p| p.as_ref().ok()?.as_ref().map(|(_, p)| p.current.created));
        let Some(t) = self.since.or(created) else {
            return Timing::Untimed;
        };
        let next_at = Self::rollout_ref(pick).and_then(|r| r.next.map(|(_, t)| t));
        // Whole seconds: the windows become PromQL ranges.
        Timing::Windows(
            t,
            windows(
                t.floor(),
                unix(self.ctx.at).floor(),
                self.window.as_secs_f64(),
                self.settle.as_secs_f64(),
                next_at,
            ),
        )
    }
}

fn params(ctx: &Ctx) -> RolloutParams {
    let t = |k: &str| ctx.threshold(k);
    RolloutParams {
        min_requests: t("min_requests"),
        significance: t("significance"),
        latency_min_ratio: t("latency_min_ratio"),
        latency_min_seconds: t("latency_min_seconds"),
        latency_critical_ratio: t("latency_critical_ratio"),
        error_min_increase: t("error_min_increase"),
        error_min_ratio: t("error_min_ratio"),
        error_critical_increase: t("error_critical_increase"),
        throughput_min_drop: t("throughput_min_drop"),
        throughput_critical_drop: t("throughput_critical_drop"),
    }
}

fn duration_flag(
    flag: &str,
    value: Option<&str>,
    default: Duration,
) -> Result<Duration, UsageError> {
    match value {
        Some(v) => {
            crate::clock::parse_duration(v).map_err(|e| UsageError::new(format!("{flag}: {e}")))
        }
        None => Ok(default),
    }
}

pub async fn investigate(settings: &Settings, args: &RolloutArgs) -> Result<Report> {
    let rb = registry::load(settings, "rollout", registry, VARS)?;
    let service = args.service.clone();
    if service.trim().is_empty() {
        return Err(UsageError::new("--service must name a service").into());
    }
    let window = duration_flag("--window", args.window.as_deref(), DEFAULT_WINDOW)?;
    let settle = duration_flag("--settle", args.settle.as_deref(), DEFAULT_SETTLE)?;
    if window.as_secs_f64() < analysis::MIN_WINDOW_SECONDS {
        return Err(UsageError::new("--window must be at least 1m").into());
    }
    let at = settings.clock.now();
    let since = match &args.since {
        Some(s) => {
            let t =
                crate::clock::parse_at(s).map_err(|e| UsageError::new(format!("--since: {e}")))?;
            if t > at {
                return Err(UsageError::new(format!(
                    "--since {s} is after the evaluation time {at}"
                ))
                .into());
            }
            Some(unix(t))
        }
        None => None,
    };
    if settings.prometheus().is_none() {
        return Err(UsageError::with_hint(
            "investigate rollout compares Prometheus metrics, and no Prometheus is configured",
            "pass --prometheus-url URL (or TRACECTL_PROMETHEUS_URL, or prometheus.url in the context)",
        )
        .into());
    }
    if since.is_none() && !settings.kube_available {
        return Err(UsageError::with_hint(
            "investigate rollout needs the rollout's time: from the Deployment's history in Kubernetes, or --since",
            "pass --kubeconfig (or run where ~/.kube/config exists), or --since TIME when the service is not on Kubernetes",
        )
        .into());
    }
    let mut vars = Vars::new();
    vars.insert("service".into(), Value::Label(service.clone()));
    let ctx = Ctx::open(settings, rb, vars).await;
    let p = params(&ctx);
    let op_label = ctx.labels()?.operation;

    let mut run = Run {
        ctx,
        args,
        op_label,
        window,
        settle,
        since,
        picked: OnceCell::new(),
        traffic: Slot::new(),
        errors: Slot::new(),
        latency: Slot::new(),
    };
    registry::run_all(&run.ctx.rb, &run, registry).await;
    let timing = run.timing().await;
    let pick = run.pick().await;
    if let Some(Err((no_such_revision, hint))) = pick {
        return Err(UsageError::with_hint(no_such_revision.clone(), hint.clone()).into());
    }
    let rollout = Run::rollout_ref(pick);
    // The undo runs where the workload is (the traces may place it outside -n).
    let namespace = match pick {
        Some(Ok(Some((w, _)))) => w.namespace.clone(),
        _ => run.ctx.namespace.clone(),
    };
    let target = Target {
        service: Some(service.clone()),
        operation: None,
    };
    let Timing::Windows(t, w) = timing else {
        // No rollout time: nothing to compare. The metric steps said why they did not run.
        return Ok(run
            .ctx
            .report("investigate rollout", target, window, Vec::new()));
    };
    let (traffic, errors, latency) = (
        run.traffic.take().flatten(),
        run.errors.take().flatten(),
        run.latency.take().flatten(),
    );
    let measured = metrics::measured(&run, &w, traffic, errors, latency);
    let evidence = RolloutEvidence {
        service: service.clone(),
        namespace,
        at: t,
        rollout,
        windows: w,
        requested_window: window.as_secs_f64(),
        settle: settle.as_secs_f64(),
        overall: measured.overall,
        operations: measured.operations,
        answered: measured.answered,
        queries: measured.queries,
    };
    let findings = analysis::analyze(&evidence, &p);
    let lookback = Duration::from_secs(evidence.windows.length() as u64);
    Ok(run
        .ctx
        .report("investigate rollout", target, lookback, findings))
}

/// Step 1: which rollout, and when.
fn rollout<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.pick().await;
    }
    .boxed_local()
}

async fn pick_rollout(run: &Run<'_>) -> Pick {
    let ctx = &run.ctx;
    let (service, namespace) = (&run.args.service, &ctx.namespace);
    // The workload the service maps to (issue #17), whatever its kind, else a Deployment named
    // like it, as before; mapped first, so the step shows the command for that workload.
    let mapped = if ctx.settings.kube_available {
        ctx.workload(service).await.ok()
    } else {
        None
    };
    let w = match mapped {
        Some(m) => Judged {
            kind: m.workload.kind,
            namespace: m.workload.namespace.clone(),
            name: m.workload.name.clone(),
        },
        None => Judged {
            kind: WorkloadKind::Deployment,
            namespace: namespace.clone(),
            name: service.clone(),
        },
    };
    let reference = format!("{}/{}", w.kind.as_str(), w.name);
    let shown = vec![format!(
        "kubectl rollout history {reference} -n {}",
        w.namespace
    )];
    ctx.step("rollout", shown, async {
        if !ctx.settings.kube_available {
            return Err(StepError::Skipped(
                "Kubernetes not configured: the rollout time is --since, and there is no revision to undo to".into(),
            ));
        }
        let kube = ctx.kube()?;
        let h = kube
            .workload_history(&w.namespace, w.kind, &w.name)
            .await
            .map_err(|e| {
                if is_not_found(&e) {
                    StepError::Failed(format!(
                        "{reference} not found in namespace {}; hint: pass -n NAMESPACE, or --since TIME for a service not on Kubernetes",
                        w.namespace
                    ))
                } else {
                    StepError::from(e)
                }
            })?;
        let mut d = history(service, h);
        // As of --at: a revision created later did not exist yet.
        let now = unix(ctx.at);
        d.revisions.retain(|r| r.created <= now);
        let picked = match analysis::pick_revision(
            &reference,
            &d.revisions,
            run.args.revision,
            run.since,
            run.settle.as_secs_f64(),
        ) {
            Ok(p) => p,
            // A --revision that does not exist is the user's to fix: after the step.
            Err(PickError::NoSuchRevision(m)) => {
                let hint = format!(
                    "`kubectl rollout history {reference} -n {}` lists them",
                    w.namespace
                );
                return Ok((Err((m, hint)), None));
            }
            Err(PickError::Undated(m)) => return Err(StepError::Failed(m)),
        };
        let warning = match (&picked, run.since) {
            (None, Some(t)) => Some(format!(
                "no revision of {reference} was running at --since {}: no undo command",
                crate::analysis::common::fmt_time(t)
            )),
            _ => None,
        };
        Ok((Ok(picked.map(|p| (w, p))), warning))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_runbook_validates_and_documents_every_kind() {
        let rb = crate::runbook::load("rollout", None).unwrap();
        rb.validate_registered(&|id| registry(id).is_some(), &[], VARS, "rollout")
            .unwrap();
        for kind in [
            "latency_regression",
            "error_regression",
            "throughput_drop",
            "insufficient_traffic",
        ] {
            assert!(rb.findings.contains_key(kind), "{kind} is not documented");
        }
        for key in [
            "min_requests",
            "significance",
            "latency_min_ratio",
            "latency_min_seconds",
            "latency_critical_ratio",
            "error_min_increase",
            "error_min_ratio",
            "error_critical_increase",
            "throughput_min_drop",
            "throughput_critical_drop",
        ] {
            assert!(rb.threshold(key).is_finite(), "threshold {key} missing");
        }
    }
}
