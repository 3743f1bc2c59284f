//! The error runbook's steps, one function each, as [`super::registry`] names them: each records
//! itself through [`Ctx::step`](crate::investigate::ctx::Ctx::step) and keeps its answer in its
//! slot of the run; the reads two steps share (the Deployment, the pods) and the answers another
//! step waits for (dependencies, traces) are cells, run once by whichever asks first. The work
//! itself is in `metrics.rs`, `traces.rs` and `cluster.rs`. Not here: which steps run (the YAML)
//! or what the answers mean. Tests: `tests/it/errors.rs`.

use std::collections::BTreeMap;

use futures::FutureExt;
use futures::future::LocalBoxFuture;

use super::metrics::RESOURCE_QUERIES;
use super::{Run, cluster, traces as jaeger};
use crate::analysis::errors::{RatioList, TraceErrors};
use crate::analysis::workload::Mapping;
use crate::backends::kubernetes::{PodInfo, RolloutHistory, WorkloadInfo};
use crate::investigate::StepError;
use crate::investigate::ctx::warn;
use crate::investigate::graph;
use crate::investigate::kube::is_not_found;

/// The call graph from the target down (with `--service`); without it the run read it first,
/// for triage, and this finds it done.
pub(super) fn call_graph<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        let start = Some(run.service.as_str());
        graph::fill(&run.graph, &run.ctx, &run.labels, &run.gp, start, run.level).await;
    }
    .boxed_local()
}

/// The symptom's traces compared once the graph is read (`graph::compare_traces`), beside the
/// other steps.
pub(super) fn trace_compare<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    let (slots, start) = ((&run.graph, &run.compared), Some(run.service.as_str()));
    graph::fill_and_compare(slots, &run.ctx, &run.labels, &run.gp, start, run.level).boxed_local()
}

pub(super) fn affected_services<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.affected
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let q = ctx.query("affected-services", "service", &[]);
                let mut qs: Vec<String> = q.iter().cloned().collect();
                qs.extend(ctx.query("affected-services", "top", &[]).ok());
                ctx.step("affected-services", qs, async {
                    ctx.service_trend(&q.clone()?, ctx.settings.lookback).await
                })
                .await
            })
            .await;
    }
    .boxed_local()
}

pub(super) fn error_types<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.types
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let q = ctx.query("error-types", "top", &[]);
                ctx.step("error-types", q.iter().cloned().collect(), async {
                    ctx.error_types(q.clone()?).await
                })
                .await
            })
            .await;
    }
    .boxed_local()
}

pub(super) fn dependencies<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        dependency_ratios(run).await;
    }
    .boxed_local()
}

/// The dependencies step's answer, running it if it has not run: recent changes wait for it.
async fn dependency_ratios<'r>(run: &'r Run<'_>) -> Option<&'r RatioList> {
    run.dependencies
        .get_or_init(|| async {
            let ctx = &run.ctx;
            let q = ctx.query("dependencies", "top", &[]);
            ctx.step("dependencies", q.iter().cloned().collect(), async {
                let q = q.clone()?;
                let (items, w) = ctx.list(&q, &run.labels.dependency).await?;
                Ok((RatioList { query: q, items }, warn(w)))
            })
            .await
        })
        .await
        .as_ref()
}

pub(super) fn resources<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.resources
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let queries: BTreeMap<String, String> = RESOURCE_QUERIES
                    .iter()
                    .filter_map(|n| Some((n.to_string(), ctx.query("resources", n, &[]).ok()?)))
                    .collect();
                let shown = queries.values().cloned().collect();
                ctx.step("resources", shown, ctx.resources(queries)).await
            })
            .await;
    }
    .boxed_local()
}

pub(super) fn traces<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        error_traces(run).await;
    }
    .boxed_local()
}

/// The traces step's answer, running it if it has not run: recent changes wait for it.
async fn error_traces<'r>(run: &'r Run<'_>) -> Option<&'r TraceErrors> {
    run.traces
        .get_or_init(|| async {
            let ctx = &run.ctx;
            let (svc, limit) = (run.service.as_str(), run.trace_limit);
            let shown = jaeger::described(svc, ctx.settings.lookback, limit);
            let found = jaeger::error_traces(ctx.settings, svc, ctx.at, limit);
            ctx.step("traces", shown, found).await
        })
        .await
        .as_ref()
}

/// The service's workload and its rollout history (a Deployment's ReplicaSets, a StatefulSet's
/// or DaemonSet's ControllerRevisions), read once (`None`: the workload its name was taken for
/// does not exist). No workload: the steps are skipped.
async fn deployment<'r>(run: &'r Run<'_>) -> Result<Option<&'r RolloutHistory>, StepError> {
    let read = run
        .deployment
        .get_or_init(|| async {
            let m = run.ctx.workload(&run.service).await?;
            let w = &m.workload;
            match run
                .ctx
                .kube()?
                .workload_history(&w.namespace, w.kind, &w.name)
                .await
            {
                Ok(h) => Ok(Some(h)),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(StepError::from(e)),
            }
        })
        .await;
    read.as_ref().map(Option::as_ref).map_err(Clone::clone)
}

/// The service's pods, by its workload's selector (else its Deployment's, else `app=<name>`);
/// read once.
async fn pods<'r>(run: &'r Run<'_>) -> Result<&'r (String, Vec<PodInfo>), StepError> {
    let read = run
        .pods
        .get_or_init(|| async {
            let m = run.ctx.workload(&run.service).await?;
            let w = &m.workload;
            let mut selector = w.selector.clone();
            if selector.is_empty() {
                selector = deployment(run)
                    .await?
                    .map(|h| h.deployment.selector.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("app={}", w.name));
            }
            let pods = run.ctx.kube()?.pods(&w.namespace, &selector).await?;
            Ok((selector, pods))
        })
        .await;
    read.as_ref().map_err(Clone::clone)
}

/// How the pods' selector reads in a step's record before the workload is known.
fn selector_words(svc: &str) -> String {
    format!("<selector of {svc}'s workload>")
}

/// A step's future whose shown commands name the service's workload: `shown(mapping)` once it is
/// mapped; a service with no workload skips the step.
async fn with_workload<T, F, S>(
    run: &Run<'_>,
    shown: S,
    fut: impl FnOnce(Mapping) -> F,
) -> (Result<(T, Option<String>), StepError>, Option<Vec<String>>)
where
    F: std::future::Future<Output = Result<(T, Option<String>), StepError>>,
    S: FnOnce(&Mapping, Option<&str>) -> Vec<String>,
{
    let m = match run.ctx.workload(&run.service).await {
        Ok(m) => m,
        Err(e) => return (Err(e), None),
    };
    let r = fut(m.clone()).await;
    let selector = run
        .pods
        .get()
        .and_then(|p| p.as_ref().ok())
        .map(|p| p.0.as_str());
    let mut lines = vec![format!("# {}", m.describe(&run.service))];
    lines.extend(shown(&m, selector));
    (r, Some(lines))
}

pub(super) fn logs<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.logs
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let (svc, budget) = (run.service.as_str(), run.budget);
                let lookback = ctx.settings.lookback;
                let command = move |sel: &str, ns: &str| {
                    format!(
                        "kubectl logs -l {sel} -n {ns} --since={} --tail={} --limit-bytes={} --timestamps --prefix",
                        crate::clock::format_duration(lookback),
                        budget.tail_lines,
                        budget.pod_bytes
                    )
                };
                let shown = vec![command(&selector_words(svc), &ctx.namespace)];
                ctx.step_described(
                    "logs",
                    shown,
                    with_workload(
                        run,
                        |m, sel| vec![command(sel.unwrap_or("?"), &m.workload.namespace)],
                        |m| async move {
                            let pods = pods(run).await?;
                            let w = &m.workload;
                            cluster::read_logs(ctx.kube()?, &w.namespace, &w.name, pods, lookback, budget)
                                .await
                        },
                    ),
                )
                .await
            })
            .await;
    }
    .boxed_local()
}

pub(super) fn pod_health<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.pod_health
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let (svc, ns) = (run.service.as_str(), ctx.namespace.as_str());
                let command = |sel: &str, ns: &str| {
                    vec![
                        format!("kubectl get pods -l {sel} -n {ns}"),
                        format!(
                            "kubectl get events -n {ns} --field-selector involvedObject.kind=Pod"
                        ),
                    ]
                };
                let shown = command(&selector_words(svc), ns);
                ctx.step_described(
                    "pod-health",
                    shown,
                    with_workload(
                        run,
                        |m, sel| command(sel.unwrap_or("?"), &m.workload.namespace),
                        |m| async move {
                            let w = &m.workload;
                            let kube = ctx.kube()?;
                            // Pods, the Deployment and the events at once (issue 19).
                            let (pods, deployment, events) = futures::join!(
                                pods(run),
                                deployment(run),
                                cluster::service_events(kube, &w.namespace, &w.name)
                            );
                            // Errors in the order they were met before the reads overlapped.
                            let (pods, deployment) = (pods?, deployment?);
                            cluster::pod_health(events?, pods, deployment)
                        },
                    ),
                )
                .await
            })
            .await;
    }
    .boxed_local()
}

pub(super) fn recent_changes<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.changes
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let (svc, ns) = (run.service.as_str(), ctx.namespace.as_str());
                let command = |w: &WorkloadInfo| {
                    vec![
                        format!(
                            "kubectl rollout history {} -n {}",
                            w.reference(),
                            w.namespace
                        ),
                        format!(
                            "kubectl get configmap {} -n {} -o yaml",
                            w.config_map_names().join(" "),
                            w.namespace
                        ),
                    ]
                };
                let shown = vec![
                    format!("kubectl rollout history <workload of {svc}> -n {ns}"),
                    format!("kubectl get configmap <workload of {svc}>-config -n {ns} -o yaml"),
                ];
                ctx.step_described(
                    "recent-changes",
                    shown,
                    with_workload(
                        run,
                        |m, _| command(&m.workload),
                        |m| async move {
                            let kube = ctx.kube()?;
                            let own = async {
                                let d = deployment(run).await?.cloned();
                                cluster::service_changes(kube, svc, &m.workload, d).await
                            };
                            let dependency = async {
                                // The metrics name the dependency at fault on their own when
                                // one fails over the ratio, and then the traces cannot change
                                // the answer: its rollouts are read without waiting for the
                                // trace search (issue 19). Only when they name none do the
                                // traces decide.
                                let ratio = run.p.dependency_ratio;
                                let deps = dependency_ratios(run).await;
                                let dep = match cluster::dependency_at_fault(deps, None, ratio) {
                                    Some(d) => Some(d),
                                    None => cluster::dependency_at_fault(
                                        deps,
                                        error_traces(run).await,
                                        ratio,
                                    ),
                                };
                                let mapped = match dep.as_deref().filter(|d| *d != svc) {
                                    Some(d) => {
                                        ctx.workload(d).await.ok().map(|m| (d.to_string(), m))
                                    }
                                    None => None,
                                };
                                cluster::dependency_changes(kube, mapped).await
                            };
                            let (own, dependency) = futures::join!(own, dependency);
                            let mut ev = own?;
                            ev.deployments.extend(dependency);
                            Ok((ev, None))
                        },
                    ),
                )
                .await
            })
            .await;
    }
    .boxed_local()
}

/// `discovery` ran before the others (in `investigate`), when wanted: nothing left to do.
pub(super) fn already_run<'r>(_: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async {}.boxed_local()
}
