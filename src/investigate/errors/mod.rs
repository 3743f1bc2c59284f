//! `tracectl investigate errors`: the error-rate runbook, step by step.
//!
//! Triage (without `--service`) picks the service with the highest error ratio; then the steps
//! run concurrently: the service's error ratio with onset and baseline, error types against the
//! baseline, error traces and where their errors start, failing dependencies, error-log
//! templates, resources, pod health, and recent changes (which waits for the dependencies and the
//! traces, to check the failing dependency's rollouts too). The Deployment is read once and
//! shared: its selector finds the pods that the logs and pod-health steps read. Each step's answer
//! becomes plain evidence for [`crate::analysis::errors::analyze`]. Queries come from
//! `runbooks/errors.yaml`; the step ids it may use are [`STEPS`]. This file wires the steps;
//! `metrics.rs`, `traces.rs` and `cluster.rs` run them against Prometheus, Jaeger and Kubernetes.
//! Tests: below, and `tests/it/errors.rs`.

mod cluster;
mod metrics;
mod traces;

use std::collections::BTreeMap;

use anyhow::Result;
use futures::FutureExt;

use super::latency::{connect_kube, is_not_found, unix, warn};
use super::{StepError, StepLog};
use crate::analysis::errors::{self as analysis, ErrorEvidence, ErrorParams, RatioList};
use crate::backends::kubernetes::Kube;
use crate::backends::prometheus::PrometheusClient;
use crate::cli::ErrorsArgs;
use crate::error::{Backend, UsageError};
use crate::promql::{Value, Vars};
use crate::report::{Report, Target};
use crate::runbook::{self, Runbook};
use crate::settings::{Mode, Settings};
use cluster::LogBudget;
use metrics::{Ctx, RESOURCE_QUERIES};

/// The step ids this command can run; a runbook file may use only these.
pub const STEPS: &[&str] = &[
    "affected-services",
    "error-types",
    "traces",
    "dependencies",
    "logs",
    "resources",
    "pod-health",
    "recent-changes",
];

/// The variables its query templates may use.
pub const VARS: &[&str] = &["service", "rate_window", "offset", "lookback"];

fn params(rb: &Runbook, s: &Settings, threshold: Option<f64>) -> ErrorParams {
    let t = |k: &str| s.threshold(k, rb.threshold(k));
    ErrorParams {
        service_ratio: threshold.unwrap_or_else(|| {
            s.thresholds
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
    let rb = runbook::load("errors", settings.runbooks_dir.as_deref())?;
    rb.validate(STEPS, VARS, "errors runbook")?;
    if let Some(t) = args.threshold
        && !(t.is_finite() && t > 0.0 && t <= 1.0)
    {
        return Err(UsageError::new(format!(
            "--threshold is a ratio of errors to requests, between 0 and 1 (0.05 = 5%), got {t}"
        ))
        .into());
    }
    let p = params(&rb, settings, args.threshold);
    let labels = rb.labels(settings.profile).cloned().ok_or_else(|| {
        UsageError::new(format!(
            "errors runbook: no labels for profile {}",
            settings.profile.name()
        ))
    })?;
    let budget = LogBudget {
        tail_lines: rb.threshold("log_tail_lines").max(1.0) as i64,
        pod_bytes: rb.threshold("log_pod_bytes").max(1024.0) as i64,
        total_bytes: rb.threshold("log_total_bytes").max(1024.0) as i64,
    };
    let trace_limit = rb.threshold("trace_limit").max(1.0) as u32;
    let at = settings.clock.now();
    let lookback = settings.lookback;
    let mut vars = Vars::new();
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    vars.insert("lookback".into(), Value::Duration(lookback));
    let mut ctx = Ctx {
        settings,
        rb,
        prom: settings
            .endpoint(Backend::Prometheus)
            .cloned()
            .map(PrometheusClient::new),
        vars,
        at,
    };
    let log = StepLog::new(settings.progress, settings.command_timeout);
    // Connecting reads the kubeconfig only; doing it first settles the namespace every step and
    // remediation uses: -n, else the kubeconfig context's, else a replayed bundle's.
    let kube = connect_kube(settings).await;
    let namespace = match &kube {
        Ok(k) if settings.kubernetes.namespace.is_none() => k.default_namespace().to_string(),
        _ => settings.namespace.clone(),
    };
    if let (Mode::Record(r), Ok(_)) = (&settings.mode, &kube) {
        r.note_namespace(&namespace);
    }
    let new_report = |service: Option<String>| {
        Report::new(
            "investigate errors",
            Target {
                service,
                operation: None,
            },
            at.to_string(),
            crate::clock::format_duration(lookback),
        )
    };

    // Step 1 as triage: without --service, the service with the highest error ratio.
    let mut others = None;
    let service = match &args.service {
        Some(s) => s.clone(),
        None => {
            let q = ctx.query("affected-services", "top", &[]);
            let picked = log
                .run(
                    0,
                    "triage",
                    format!("Triage: {}", ctx.title("affected-services")),
                    q.iter().cloned().collect(),
                    async {
                        let q = q.clone()?;
                        let (items, w) = ctx.list(&q, &labels.service).await?;
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
                    let mut report = new_report(None);
                    report.steps = log.into_steps();
                    let none_failing = picked.is_some();
                    report.finish(Vec::new());
                    if none_failing {
                        report.diagnosis = "no service reports errors: nothing to triage".into();
                    }
                    return Ok(report);
                }
            }
        }
    };
    ctx.vars
        .insert("service".into(), Value::Label(service.clone()));
    let ctx = &ctx;
    let (svc, ns) = (service.as_str(), namespace.as_str());

    // Prometheus: steps 1, 2, 4 and 6.
    let service_q = ctx.query("affected-services", "service", &[]);
    let affected = {
        let mut qs: Vec<String> = service_q.iter().cloned().collect();
        qs.extend(ctx.query("affected-services", "top", &[]).ok());
        let q = service_q.clone();
        log.run(
            0,
            "affected-services",
            ctx.title("affected-services"),
            qs,
            async move { ctx.service_ratio(&q?, lookback).await },
        )
    };
    let types = {
        let q = ctx.query("error-types", "top", &[]);
        log.run(
            1,
            "error-types",
            ctx.title("error-types"),
            q.iter().cloned().collect(),
            async move { ctx.error_types(q?).await },
        )
    };
    let dependencies = {
        let q = ctx.query("dependencies", "top", &[]);
        let label = labels.dependency.as_str();
        log.run(
            3,
            "dependencies",
            ctx.title("dependencies"),
            q.iter().cloned().collect(),
            async move {
                let q = q?;
                let (items, w) = ctx.list(&q, label).await?;
                Ok((RatioList { query: q, items }, warn(w)))
            },
        )
    }
    .shared();
    let resources = {
        let queries: BTreeMap<String, String> = RESOURCE_QUERIES
            .iter()
            .filter_map(|n| Some((n.to_string(), ctx.query("resources", n, &[]).ok()?)))
            .collect();
        log.run(
            5,
            "resources",
            ctx.title("resources"),
            queries.values().cloned().collect(),
            ctx.resources(queries),
        )
    };

    // Jaeger: step 3.
    let error_traces = log
        .run(
            2,
            "traces",
            ctx.title("traces"),
            traces::described(svc, lookback, trace_limit),
            traces::error_traces(settings, svc, at, trace_limit),
        )
        .shared();

    // Kubernetes: the Deployment, read once (its revisions for the changes, its selector for the
    // pods), then steps 5, 7 and 8.
    let kube_client: Option<Kube> = kube.as_ref().ok().cloned();
    let no_kube = || {
        kube.as_ref()
            .err()
            .cloned()
            .unwrap_or_else(|| StepError::Failed("kubernetes".into()))
    };
    let kube = || kube_client.as_ref().ok_or_else(no_kube);
    let deployment = async {
        match kube()?.rollout_history(ns, svc).await {
            Ok(h) => Ok(Some(h)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(StepError::from(e)),
        }
    }
    .shared();
    let pods = {
        let deployment = deployment.clone();
        async move {
            let selector = deployment
                .await?
                .map(|h| h.deployment.selector)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("app={svc}"));
            let pods = kube()?.pods(ns, &selector).await?;
            Ok::<_, StepError>((selector, pods))
        }
    }
    .shared();
    let selector_words = format!("<selector of deployment/{svc}, else app={svc}>");
    let logs = {
        let pods = pods.clone();
        log.run(
            4,
            "logs",
            ctx.title("logs"),
            vec![format!(
                "kubectl logs -l {selector_words} -n {ns} --since={} --tail={} --limit-bytes={} --timestamps --prefix",
                crate::clock::format_duration(lookback),
                budget.tail_lines,
                budget.pod_bytes
            )],
            async move {
                let pods = pods.await?;
                cluster::read_logs(kube()?, ns, svc, &pods, lookback, budget).await
            },
        )
    };
    let pod_health = {
        let (pods, deployment) = (pods.clone(), deployment.clone());
        log.run(
            6,
            "pod-health",
            ctx.title("pod-health"),
            vec![
                format!("kubectl get pods -l {selector_words} -n {ns}"),
                format!("kubectl get events -n {ns} --field-selector involvedObject.kind=Pod"),
            ],
            async move {
                let (pods, deployment) = (pods.await?, deployment.await?);
                cluster::pod_health(kube()?, ns, svc, &pods, deployment.as_ref()).await
            },
        )
    };
    let changes = {
        let (deps, traces_found) = (dependencies.clone(), error_traces.clone());
        log.run(
            7,
            "recent-changes",
            ctx.title("recent-changes"),
            vec![
                format!("kubectl rollout history deployment/{svc} -n {ns}"),
                format!("kubectl get configmap {svc}-config -n {ns} -o yaml"),
            ],
            async move {
                let kube = kube()?;
                let own =
                    async { cluster::service_changes(kube, ns, svc, deployment.await?).await };
                let dependency = async {
                    let (deps, found) = futures::join!(deps, traces_found);
                    let dep = cluster::dependency_at_fault(
                        deps.as_ref(),
                        found.as_ref(),
                        p.dependency_ratio,
                    );
                    cluster::dependency_changes(kube, ns, svc, dep).await
                };
                let (own, dependency) = futures::join!(own, dependency);
                let mut ev = own?;
                ev.deployments.extend(dependency);
                Ok((ev, None))
            },
        )
    };

    let (affected, types, deps, traces_ev, logs_ev, resources, pods_ev, changes) = futures::join!(
        affected,
        types,
        dependencies,
        error_traces,
        logs,
        resources,
        pod_health,
        changes
    );

    let (error_ratio, onset, baseline) = affected.unwrap_or((None, None, None));
    let evidence = ErrorEvidence {
        service: service.clone(),
        namespace: namespace.clone(),
        service_query: service_q.unwrap_or_default(),
        error_ratio,
        baseline,
        onset,
        others,
        types,
        traces: traces_ev,
        dependencies: deps,
        logs: logs_ev,
        resources,
        pods: pods_ev,
        changes,
        now: unix(at),
        lookback: lookback.as_secs_f64(),
    };
    let findings = analysis::analyze(&evidence, &p);
    let mut report = new_report(Some(service.clone()));
    report.steps = log.into_steps();
    report.finish(findings);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::metrics::type_name;
    use super::*;
    use crate::backends::prometheus::Labels;
    use crate::runbook::Profile;

    #[test]
    fn the_built_in_runbook_validates_with_a_query_per_profile() {
        let rb = runbook::load("errors", None).unwrap();
        rb.validate(STEPS, VARS, "errors").unwrap();
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
