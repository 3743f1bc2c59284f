//! The latency runbook's steps, one function each, as [`super::registry`] names them: each runs
//! its queries or reads, records itself through [`Ctx::step`](crate::investigate::ctx::Ctx::step)
//! and keeps its answer in its slot of the run. Not here: which steps run (the YAML) or what the
//! answers mean (`crate::analysis::latency`). Tests: `tests/it/latency.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::FutureExt;
use futures::future::LocalBoxFuture;

use super::Run;
use crate::analysis::latency::{
    self as analysis, ChangeEvidence, MetricList, ResourceEvidence, TraceEvidence,
};
use crate::analysis::traces;
use crate::analysis::workload::Mapping;
use crate::backends::git::GitRepo;
use crate::backends::jaeger::{self, TraceQuery};
use crate::backends::traces::TraceStore;

use crate::analysis::localize::Axis;
use crate::investigate::StepError;
use crate::investigate::ctx::{Trend, unix, warn};
use crate::investigate::graph;
use crate::investigate::kube::{history, is_not_found};
use crate::promql::Value;

/// The resource queries, in the order they run.
const RESOURCE_QUERIES: [&str; 6] = [
    "throttling",
    "cpu_saturation",
    "memory",
    "memory_bytes",
    "network",
    "network_baseline",
];

fn lookback_start(run: &Run<'_>) -> jiff::Timestamp {
    run.ctx.at - jiff::SignedDuration::try_from(run.ctx.settings.lookback).unwrap_or_default()
}

/// Step 1 for the target: its latency now, its baseline, and when it changed.
pub(super) fn affected_services<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.affected.get_or_init(|| service_latency(run)).await;
    }
    .boxed_local()
}

async fn service_latency(run: &Run<'_>) -> Option<Trend> {
    let ctx = &run.ctx;
    let service_q = ctx.query("affected-services", "service", &[]);
    let mut qs: Vec<String> = service_q.iter().cloned().collect();
    qs.extend(ctx.query("affected-services", "top", &[]).ok());
    ctx.step("affected-services", qs, async {
        ctx.service_trend(&service_q.clone()?, ctx.settings.lookback)
            .await
    })
    .await
}

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

pub(super) fn slow_operations<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.operations.get_or_init(|| operations(run)).await;
    }
    .boxed_local()
}

async fn operations(run: &Run<'_>) -> Option<MetricList> {
    let ctx = &run.ctx;
    let q = ctx.query("slow-operations", "top", &[]);
    ctx.step("slow-operations", q.iter().cloned().collect(), async {
        let q = q.clone()?;
        let (mut items, w) = ctx.list(&q, &run.labels.operation).await?;
        if let Some(op) = &run.args.operation {
            items.retain(|(o, _)| o == op);
        }
        Ok((MetricList { query: q, items }, warn(w)))
    })
    .await
}

pub(super) fn dependencies<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        dependency_list(run).await;
    }
    .boxed_local()
}

/// The dependencies step's answer, running it if it has not run: recent changes wait for it.
async fn dependency_list<'r>(run: &'r Run<'_>) -> Option<&'r MetricList> {
    run.dependencies
        .get_or_init(|| async {
            let ctx = &run.ctx;
            let q = ctx.query("dependencies", "top", &[]);
            ctx.step("dependencies", q.iter().cloned().collect(), async {
                let q = q.clone()?;
                let (items, w) = ctx.list(&q, &run.labels.dependency).await?;
                Ok((MetricList { query: q, items }, warn(w)))
            })
            .await
        })
        .await
        .as_ref()
}

pub(super) fn traces<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.traces.get_or_init(|| slow_traces(run)).await;
    }
    .boxed_local()
}

async fn slow_traces(run: &Run<'_>) -> Option<TraceEvidence> {
    let ctx = &run.ctx;
    let settings = ctx.settings;
    let args = run.args;
    let limit = ctx.rb.threshold("trace_limit").max(1.0) as u32;
    let min = Duration::from_secs_f64(run.p.service_seconds);
    let desc = format!(
        "GET /api/traces?service={}{}&minDuration={}&lookback={}&limit={limit}",
        run.service,
        args.operation
            .as_ref()
            .map(|o| format!("&operation={o}"))
            .unwrap_or_default(),
        crate::clock::format_duration(min),
        crate::clock::format_duration(settings.lookback)
    );
    let n_plus = run.p.n_plus_one_repeats.max(2.0) as usize;
    ctx.step("traces", vec![desc.clone()], async {
        let client = settings.trace_store().map_err(StepError::from)?;
        let q = TraceQuery {
            service: run.service.clone(),
            operation: args.operation.clone(),
            tags: vec![],
            min_duration: Some(min),
            max_duration: None,
            start: lookback_start(run),
            end: ctx.at,
            limit,
        };
        let mut found = client.find_traces_keeping(&q, traces::TAGS).await?;
        let bounded = traces::limits::bound(&mut found, Default::default());
        let base = settings.trace_link_base(&client);
        Ok((
            trace_evidence(&client, &found, &desc, &base, n_plus),
            bounded,
        ))
    })
    .await
}

pub(super) fn resources<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.resources.get_or_init(|| resource_use(run)).await;
    }
    .boxed_local()
}

async fn resource_use(run: &Run<'_>) -> Option<ResourceEvidence> {
    let ctx = &run.ctx;
    let mut queries = BTreeMap::new();
    for n in &RESOURCE_QUERIES[..5] {
        if let Ok(q) = ctx.query("resources", n, &[]) {
            queries.insert(n.to_string(), q);
        }
    }
    let base_off = Value::Duration(crate::clock::parse_duration("1d").unwrap_or_default());
    if let Ok(q) = ctx.query("resources", "network_baseline", &[("offset", base_off)]) {
        queries.insert("network_baseline".into(), q);
    }
    let shown: Vec<String> = queries.values().cloned().collect();
    ctx.step("resources", shown, async {
        let one = |name: &'static str| {
            let q = queries.get(name).cloned();
            async move {
                match q {
                    Some(q) => ctx.list(&q, "pod").await.map(|(v, w)| (name, v, w)),
                    None => Err(StepError::Failed(format!(
                        "runbook has no resources/{name} query"
                    ))),
                }
            }
        };
        let results = futures::future::join_all(RESOURCE_QUERIES.map(one)).await;
        // Nothing configured is a skip, as in every other step (exit 2, not 3).
        let all_skipped = results
            .iter()
            .all(|r| matches!(r, Err(StepError::Skipped(_))));
        let mut ev = ResourceEvidence {
            queries: queries.clone(),
            ..Default::default()
        };
        let mut warnings = Vec::new();
        let mut failures = Vec::new();
        let mut net = (None, None);
        for r in results {
            match r {
                Ok((name, items, w)) => {
                    warnings.extend(w);
                    match name {
                        "memory_bytes" => ev.memory_bytes = items,
                        "network" => net.0 = items.first().map(|x| x.1),
                        "network_baseline" => net.1 = items.first().map(|x| x.1),
                        _ => {
                            ev.ratios.insert(name.to_string(), items);
                        }
                    }
                }
                Err(StepError::Failed(e) | StepError::Skipped(e)) => failures.push(e),
            }
        }
        if failures.len() == RESOURCE_QUERIES.len() {
            let first = failures.swap_remove(0);
            return Err(match all_skipped {
                true => StepError::Skipped(first),
                false => StepError::Failed(first),
            });
        }
        if let (Some(n), Some(b)) = net {
            ev.network = Some((n, b));
        }
        failures.extend(warnings);
        Ok((ev, warn(failures)))
    })
    .await
}

pub(super) fn recent_changes<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.changes.get_or_init(|| changes(run)).await;
    }
    .boxed_local()
}

async fn changes(run: &Run<'_>) -> Option<ChangeEvidence> {
    let ctx = &run.ctx;
    let (svc, ns) = (run.service.as_str(), ctx.namespace.as_str());
    let shown = vec![
        format!("kubectl rollout history <workload of {svc}> -n {ns}"),
        format!("kubectl get configmap <workload of {svc}>-config -n {ns} -o yaml"),
    ];
    let fut = async {
        let m = match ctx.workload(svc).await {
            Ok(m) => m,
            Err(e) => return (Err(e), None),
        };
        let w = &m.workload;
        let asked = vec![
            format!("# {}", m.describe(svc)),
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
        ];
        (changes_of(run, &m).await, Some(asked))
    };
    ctx.step_described("recent-changes", shown, fut).await
}

/// The recent-changes step once the service's workload is known.
async fn changes_of(
    run: &Run<'_>,
    m: &Mapping,
) -> Result<(ChangeEvidence, Option<String>), StepError> {
    let ctx = &run.ctx;
    let svc = run.service.as_str();
    let (ns, name) = (m.workload.namespace.as_str(), m.workload.name.as_str());
    {
        let service_part = async {
            let kube = ctx.kube()?;
            let mut out = ChangeEvidence::default();
            // Three independent reads: at once, so the step takes the slowest of them. The
            // history is the workload's, whatever its kind (ReplicaSets or ControllerRevisions).
            let names = m.workload.config_map_names();
            let cms = futures::future::join_all(names.iter().map(|cm| kube.config_map(ns, cm)));
            let (hist, cms) = futures::join!(kube.workload_history(ns, m.workload.kind, name), cms);
            match hist {
                Ok(h) => out.deployments.push(history(svc, h)),
                Err(e) if is_not_found(&e) => {}
                Err(e) => return Err(StepError::from(e)),
            }
            for found in cms {
                let found = found?;
                if let Some(info) = found
                    && let Some(t) = info.last_changed
                {
                    out.config_maps.push((info.name.clone(), unix(t)));
                }
            }
            Ok(out)
        };
        let dep_part = async {
            let Ok(kube) = ctx.kube() else {
                return Vec::new();
            };
            // The call graph's root when it lies below the service (it changed, and nothing it
            // calls explains it), else the slowest dependency, as the runbook does by hand.
            let start = Some(run.service.as_str());
            graph::fill(&run.graph, ctx, &run.labels, &run.gp, start, run.level).await;
            let root = graph::root(&run.graph, Axis::Latency).filter(|r| r != svc);
            let top = match root {
                Some(r) => Some(r),
                None => dependency_list(run)
                    .await
                    .and_then(|d| d.items.first().map(|x| x.0.clone())),
            };
            let Some(top) = top.filter(|t| t != svc) else {
                return Vec::new();
            };
            // The dependency's own workload; a database or queue outside the cluster has none.
            let Ok(dm) = ctx.workload(&top).await else {
                return Vec::new();
            };
            let w = &dm.workload;
            match kube.workload_history(&w.namespace, w.kind, &w.name).await {
                Ok(h) => vec![history(&top, h)],
                Err(_) => Vec::new(),
            }
        };
        let (svc_changes, dep_changes) = futures::join!(service_part, dep_part);
        let mut ev = svc_changes?;
        ev.deployments.extend(dep_changes);
        if let Some(repo) = &run.args.repo {
            ev.commits = GitRepo::new(repo)
                .commits_touching(svc, lookback_start(run), ctx.at)
                .await
                .map_err(StepError::Failed)?
                .into_iter()
                .map(|c| (c.sha, c.time, c.subject))
                .collect();
        }
        Ok((ev, None))
    }
}

fn trace_evidence(
    store: &TraceStore,
    found: &[jaeger::Trace],
    query: &str,
    base: &url::Url,
    n_plus: usize,
) -> TraceEvidence {
    let shares = traces::where_time_goes(found)
        .into_iter()
        .map(|s| analysis::TimeShare {
            service: s.service,
            operation: s.operation,
            seconds: s.time_us as f64 / 1e6,
            share: s.share,
        })
        .collect();
    let repeated = traces::n_plus_one(found, n_plus)
        .into_iter()
        .map(|n| analysis::Repeated {
            parent_service: n.parent_service,
            parent_operation: n.parent_operation,
            child_service: n.child_service,
            child_operation: n.child_operation,
            count: n.max_calls,
            traces: n.traces,
            example_trace: n.example_trace_id,
        })
        .collect::<Vec<_>>();
    let link = |t: &jaeger::Trace| {
        (
            t.trace_id.clone(),
            store.ui_link(base, &t.trace_id),
            t.duration_us() as f64 / 1e6,
        )
    };
    let mut examples: Vec<(String, String, f64)> = traces::representative(found, 2)
        .into_iter()
        .map(|i| link(&found[i]))
        .collect();
    for r in &repeated {
        if !examples.iter().any(|e| e.0 == r.example_trace)
            && let Some(t) = found.iter().find(|t| t.trace_id == r.example_trace)
        {
            examples.push(link(t));
        }
    }
    TraceEvidence {
        source: store.name().to_string(),
        query: query.to_string(),
        count: found.len(),
        shares,
        repeated,
        examples,
    }
}

/// `discovery` ran before the others (in `investigate`), when wanted: nothing left to do.
pub(super) fn already_run<'r>(_: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async {}.boxed_local()
}
