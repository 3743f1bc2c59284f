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
use crate::backends::kubernetes::{PodInfo, RolloutHistory};
use crate::investigate::StepError;
use crate::investigate::ctx::warn;
use crate::investigate::graph;
use crate::investigate::kube::is_not_found;
use crate::model::cluster::guessed_selector;

/// The call graph from the target down (with `--service`); without it the run read it first,
/// for triage, and this finds it done.
pub(super) fn call_graph<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        let start = Some(run.service.as_str());
        graph::fill(&run.graph, &run.ctx, &run.labels, &run.gp, start, run.level).await;
    }
    .boxed_local()
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

/// The service's Deployment, read once (`None`: there is none).
async fn deployment<'r>(run: &'r Run<'_>) -> Result<Option<&'r RolloutHistory>, StepError> {
    let read = run
        .deployment
        .get_or_init(|| async {
            match run
                .ctx
                .kube()?
                .rollout_history(&run.ctx.namespace, &run.service)
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

/// The service's pods, by its Deployment's selector, else `app=<service>`; read once. They are
/// listed by `app=<service>` while the Deployment is read (issue 19: one round trip, not two),
/// and again by the Deployment's selector only when that is another.
async fn pods<'r>(run: &'r Run<'_>) -> Result<&'r (String, Vec<PodInfo>), StepError> {
    let read = run
        .pods
        .get_or_init(|| async {
            let (svc, ns) = (&run.service, &run.ctx.namespace);
            let guess = guessed_selector(svc);
            let kube = run.ctx.kube()?;
            let (d, guessed) = futures::join!(deployment(run), kube.pods(ns, &guess));
            let selector = d?
                .map(|h| h.deployment.selector.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| guess.clone());
            // A wider selector's list would hold another workload's pods: only the same one
            // stands in.
            let pods = match selector == guess {
                true => guessed?,
                false => kube.pods(ns, &selector).await?,
            };
            Ok((selector, pods))
        })
        .await;
    read.as_ref().map_err(Clone::clone)
}

/// How the pods' selector reads in a step's record.
fn selector_words(svc: &str) -> String {
    format!("<selector of deployment/{svc}, else app={svc}>")
}

pub(super) fn logs<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.logs
            .get_or_init(|| async {
                let ctx = &run.ctx;
                let (svc, ns, budget) = (run.service.as_str(), ctx.namespace.as_str(), run.budget);
                let lookback = ctx.settings.lookback;
                let shown = vec![format!(
                    "kubectl logs -l {} -n {ns} --since={} --tail={} --limit-bytes={} --timestamps --prefix",
                    selector_words(svc),
                    crate::clock::format_duration(lookback),
                    budget.tail_lines,
                    budget.pod_bytes
                )];
                ctx.step("logs", shown, async {
                    let pods = pods(run).await?;
                    cluster::read_logs(ctx.kube()?, ns, svc, pods, lookback, budget).await
                })
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
                let shown = vec![
                    format!("kubectl get pods -l {} -n {ns}", selector_words(svc)),
                    format!("kubectl get events -n {ns} --field-selector involvedObject.kind=Pod"),
                ];
                ctx.step("pod-health", shown, async {
                    let kube = ctx.kube()?;
                    let (pods, deployment, events) = futures::join!(
                        pods(run),
                        deployment(run),
                        cluster::service_events(kube, ns, svc)
                    );
                    // Errors in the order they were met before the reads overlapped.
                    let (pods, deployment) = (pods?, deployment?);
                    cluster::pod_health(events?, pods, deployment)
                })
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
                let shown = vec![
                    format!("kubectl rollout history deployment/{svc} -n {ns}"),
                    format!("kubectl get configmap {svc}-config -n {ns} -o yaml"),
                ];
                ctx.step("recent-changes", shown, async {
                    let kube = ctx.kube()?;
                    let own = async {
                        let d = deployment(run).await?.cloned();
                        cluster::service_changes(kube, ns, svc, d).await
                    };
                    let dependency = async {
                        let (deps, found) =
                            futures::join!(dependency_ratios(run), error_traces(run));
                        let dep = cluster::dependency_at_fault(deps, found, run.p.dependency_ratio);
                        cluster::dependency_changes(kube, ns, svc, dep).await
                    };
                    let (own, dependency) = futures::join!(own, dependency);
                    let mut ev = own?;
                    ev.deployments.extend(dependency);
                    Ok((ev, None))
                })
                .await
            })
            .await;
    }
    .boxed_local()
}
