//! `tracectl investigate rollout`: did a Deployment's rollout regress the service?
//!
//! The rollout step reads the Deployment's history from Kubernetes and picks the revision to judge
//! (the latest, or `--revision N`): its ReplicaSet's creation time is when the rollout began, and
//! the revision before it is the undo target. `--since TIME` gives the time instead, for a service
//! not on Kubernetes. Then the windows are set ([`windows`]: equal lengths, before ending at the
//! rollout, after starting once it settled), and the traffic, errors and latency steps run
//! concurrently, each query an instant query at the end of both windows with the window as its
//! range. The counts become plain evidence for [`crate::analysis::rollout::analyze`]. Queries come
//! from `runbooks/rollout.yaml`; the step ids it may use are [`STEPS`].
//! Tests: `tests/it/rollout.rs`, and below.

use std::time::Duration;

use anyhow::Result;

use super::latency::{connect_kube, history, is_not_found, unix};
use super::{StepError, StepLog};
use crate::analysis::rollout::{
    self as analysis, PickError, RolloutEvidence, RolloutParams, RolloutRef, windows,
};
use crate::cli::RolloutArgs;
use crate::error::UsageError;
use crate::report::{Report, Target};
use crate::runbook::{self, Runbook};
use crate::settings::{Mode, Settings};

/// The step ids this command can run; a runbook file may use only these.
pub const STEPS: &[&str] = &["rollout", "traffic", "errors", "latency"];

/// The variables its query templates may use.
pub const VARS: &[&str] = &["service", "window", "quantile"];

mod metrics;

const DEFAULT_WINDOW: Duration = Duration::from_secs(30 * 60);
const DEFAULT_SETTLE: Duration = Duration::from_secs(2 * 60);

fn params(rb: &Runbook, s: &Settings) -> RolloutParams {
    let t = |k: &str| s.threshold(k, rb.threshold(k));
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
    let rb = runbook::load("rollout", settings.runbooks_dir.as_deref())?;
    rb.validate(STEPS, VARS, "rollout runbook")?;
    let p = params(&rb, settings);
    let labels = rb.labels(settings.profile).cloned().ok_or_else(|| {
        UsageError::new(format!(
            "rollout runbook: no labels for profile {}",
            settings.profile.name()
        ))
    })?;
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

    let log = StepLog::new(settings.progress, settings.command_timeout);
    let kube = if settings.kube_available {
        Some(connect_kube(settings).await)
    } else {
        None
    };
    let namespace = match &kube {
        Some(Ok(k)) if settings.kubernetes.namespace.is_none() => k.default_namespace().to_string(),
        _ => settings.namespace.clone(),
    };
    if let (Mode::Record(r), Some(Ok(_))) = (&settings.mode, &kube) {
        r.note_namespace(&namespace);
    }
    let title = |id: &str| {
        rb.step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    };

    // Step 1: which rollout, and when.
    let picked = log
        .run(
            0,
            "rollout",
            title("rollout"),
            vec![format!("kubectl rollout history deployment/{service} -n {namespace}")],
            async {
                let kube = match &kube {
                    None => {
                        return Err(StepError::Skipped(
                            "Kubernetes not configured: the rollout time is --since, and there is no revision to undo to".into(),
                        ));
                    }
                    Some(Err(e)) => return Err(e.clone()),
                    Some(Ok(k)) => k,
                };
                let h = kube.rollout_history(&namespace, &service).await.map_err(|e| {
                    if is_not_found(&e) {
                        StepError::Failed(format!(
                            "deployment/{service} not found in namespace {namespace}; hint: pass -n NAMESPACE, or --since TIME for a service not deployed as a Deployment"
                        ))
                    } else {
                        StepError::from(e)
                    }
                })?;
                let mut d = history(&service, h);
                // As of --at: a revision created later did not exist yet.
                let now = unix(at);
                d.revisions.retain(|r| r.created <= now);
                let picked = match analysis::pick_revision(
                    &d.name,
                    &d.revisions,
                    args.revision,
                    since,
                    settle.as_secs_f64(),
                ) {
                    Ok(p) => p,
                    // A --revision that does not exist is the user's to fix: after the step.
                    Err(PickError::NoSuchRevision(m)) => return Ok((Err(m), None)),
                    Err(PickError::Undated(m)) => return Err(StepError::Failed(m)),
                };
                let warning = match (&picked, since) {
                    (None, Some(t)) => Some(format!(
                        "no revision of deployment/{} was running at --since {}: no undo command",
                        d.name,
                        crate::analysis::common::fmt_time(t)
                    )),
                    _ => None,
                };
                Ok((Ok(picked.map(|p| (d.name.clone(), p))), warning))
            },
        )
        .await;
    let picked = match picked {
        Some(Err(no_such_revision)) => {
            return Err(UsageError::with_hint(
                no_such_revision,
                format!("`kubectl rollout history deployment/{service} -n {namespace}` lists them"),
            )
            .into());
        }
        Some(Ok(p)) => p,
        None => None,
    };

    let rollout = picked.as_ref().map(|(name, p)| RolloutRef {
        deployment: name.clone(),
        revision: p.current.revision,
        images: p.current.images.clone(),
        change_cause: p.current.change_cause.clone(),
        previous: p.previous.as_ref().map(|r| r.revision),
        next: p.next.as_ref().map(|r| (r.revision, r.created)),
    });
    let t = since.or_else(|| picked.as_ref().map(|(_, p)| p.current.created));
    let mut report = Report::new(
        "investigate rollout",
        Target {
            service: Some(service.clone()),
            operation: None,
        },
        at.to_string(),
        crate::clock::format_duration(window),
    );

    let Some(t) = t else {
        // No rollout time: nothing to compare. The metric steps say why they did not run.
        for (i, id) in ["traffic", "errors", "latency"].into_iter().enumerate() {
            log.run::<(), _>(i + 1, id, title(id), Vec::new(), async {
                Err(StepError::Skipped(
                    "no rollout time: the rollout step found none".into(),
                ))
            })
            .await;
        }
        report.steps = log.into_steps();
        report.finish(Vec::new());
        return Ok(report);
    };

    let next_at = rollout.as_ref().and_then(|r| r.next.map(|(_, t)| t));
    // Whole seconds: the windows become PromQL ranges.
    let w = windows(
        t.floor(),
        unix(at).floor(),
        window.as_secs_f64(),
        settle.as_secs_f64(),
        next_at,
    );
    report.lookback = crate::clock::format_duration(Duration::from_secs(w.length() as u64));
    let measured = metrics::measure(&log, settings, &rb, &service, &labels.operation, &w).await;
    let evidence = RolloutEvidence {
        service: service.clone(),
        namespace: namespace.clone(),
        rollout,
        at: t,
        windows: w,
        requested_window: window.as_secs_f64(),
        settle: settle.as_secs_f64(),
        overall: measured.overall,
        operations: measured.operations,
        answered: measured.answered,
        queries: measured.queries,
    };
    let findings = analysis::analyze(&evidence, &p);
    report.steps = log.into_steps();
    report.finish(findings);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_runbook_validates_and_documents_every_kind() {
        let rb = runbook::load("rollout", None).unwrap();
        rb.validate(STEPS, VARS, "rollout").unwrap();
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
