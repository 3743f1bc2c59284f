//! The data-loss runbook's steps as [`super::registry`] names them: each wires one gathering
//! function (`collector.rs`, `storage.rs`, `probes.rs`, `config.rs`, `sampling.rs`, or the
//! services step below) to the run, keeping its answer in its slot. The services and config
//! steps are cells: the query-path step waits for the services when it has to pick one, the
//! sampling step for the config step's policy. Not here: which steps run (the
//! YAML) or what the answers mean. Tests: `tests/it/dataloss.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::FutureExt;
use futures::future::LocalBoxFuture;

use super::{
    Ctx, Run, collector as otelcol, config as conf, probes, sampling as samp, storage as store,
    warn,
};
use crate::analysis::dataloss::{Baseline, Rates, ServiceEvidence};
use crate::investigate::StepError;
use crate::promql::Value;
use crate::runbook::Profile;

/// `discovery` ran before the others (in `investigate`): nothing left to do.
pub(super) fn already_run<'r>(_: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async {}.boxed_local()
}

pub(super) fn services<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        service_rates(run).await;
    }
    .boxed_local()
}

/// Step 1, run once: span and request rates now and at the baselines, and SDK drops.
async fn service_rates<'r>(run: &'r Run<'_>) -> Option<&'r ServiceEvidence> {
    run.services
        .get_or_init(|| async {
            let ctx = &run.ctx;
            let settings = ctx.settings;
            let mut offsets = vec![settings.lookback];
            let day = Duration::from_secs(86_400);
            if settings.lookback != day {
                offsets.push(day);
            }
            // The queries compare in PromQL, so they carry the analysis' thresholds and both
            // baselines' offsets (issue 19: only the services that matter come back).
            let num = |k: &str| Value::Number(ctx.threshold(k));
            let common = [
                ("offset_near", Value::Duration(settings.lookback)),
                ("offset_day", Value::Duration(day)),
                ("fewer_spans_ratio", num("fewer_spans_ratio")),
                ("min_span_rate", num("min_span_rate")),
                ("drop_ratio", num("drop_ratio")),
            ];
            let names = ["spans", "requests", "dropped"];
            let mut queries: Vec<(String, Option<Duration>, Result<String, StepError>)> = names
                .iter()
                .map(|n| (n.to_string(), None, ctx.query("services", n, &common)))
                .collect();
            for off in &offsets {
                for n in ["spans_baseline", "requests_baseline"] {
                    let mut extra = common.to_vec();
                    extra.push(("offset", Value::Duration(*off)));
                    let q = ctx.query("services", n, &extra);
                    queries.push((n.to_string(), Some(*off), q));
                }
            }
            let shown: Vec<String> = queries
                .iter()
                .filter(|(n, _, _)| n != "dropped" || settings.profile == Profile::Mcp)
                .filter_map(|(_, _, q)| q.as_ref().ok().cloned())
                .collect();
            let label = run.labels.service.clone();
            ctx.step("services", shown, services_step(ctx, queries, label))
                .await
        })
        .await
        .as_ref()
}

/// Step 2: sampling ratios against the policy (mcp only), in `sampling.rs`.
pub(super) fn sampling<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.sampling.get_or_init(|| samp::run(run)).await;
    }
    .boxed_local()
}

pub(super) fn collector<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        let found = otelcol::run(&run.ctx, run.metrics.clone(), run.interval);
        run.collector.get_or_init(|| found).await;
    }
    .boxed_local()
}

pub(super) fn storage<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.storage
            .get_or_init(|| store::run(&run.ctx, run.args))
            .await;
    }
    .boxed_local()
}

pub(super) fn query_path<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        let services = async { service_rates(run).await.cloned() };
        run.query_path
            .get_or_init(|| store::query_path(&run.ctx, run.args, services))
            .await;
    }
    .boxed_local()
}

pub(super) fn connectivity<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.export.get_or_init(|| probes::export(&run.ctx)).await;
    }
    .boxed_local()
}

pub(super) fn network<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.network
            .get_or_init(|| probes::network(&run.ctx, run.args))
            .await;
    }
    .boxed_local()
}

pub(super) fn config<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        config_out(run).await;
    }
    .boxed_local()
}

/// The config step, run once: the sampling step waits for the policy it reads. `None` when it
/// found nothing usable, or when the YAML does not list it (then it never runs).
pub(super) async fn config_out<'r>(run: &'r Run<'_>) -> Option<&'r conf::ConfigOut> {
    run.config
        .get_or_init(|| {
            let ctx = &run.ctx;
            conf::run(
                ctx,
                run.args,
                &ctx.kube,
                &ctx.namespace,
                &run.collector_ns,
                run.stack_ns.as_deref(),
            )
        })
        .await
        .as_ref()
}

pub(super) fn resources<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        let ctx = &run.ctx;
        let found = conf::resources(ctx, run.args, &ctx.kube, &run.collector_ns);
        run.pods.get_or_init(|| found).await;
    }
    .boxed_local()
}

/// Step 1: one query per rate, each baseline at each offset; only the current span rate is
/// required, the rest degrade the step to a warning.
async fn services_step(
    ctx: &Ctx<'_>,
    queries: Vec<(String, Option<Duration>, Result<String, StepError>)>,
    label: String,
) -> Result<(ServiceEvidence, Option<String>), StepError> {
    let profile = ctx.settings.profile;
    let run = |(name, off, q): (String, Option<Duration>, Result<String, StepError>)| {
        let label = label.clone();
        async move {
            if name == "dropped" && profile != Profile::Mcp {
                return (name, off, None);
            }
            let r = match q {
                Ok(q) => {
                    // mcp_spans_dropped_total is labelled like every mcp series.
                    let by = if name == "dropped" {
                        "service_name"
                    } else {
                        &label
                    };
                    ctx.by_label(&q, by)
                        .await
                        .map(|(values, w)| (Rates { query: q, values }, w))
                }
                Err(e) => Err(e),
            };
            (name, off, Some(r))
        }
    };
    let results = futures::future::join_all(queries.into_iter().map(run)).await;
    let mut ev = ServiceEvidence {
        requests_independent: profile != Profile::Spanmetrics,
        counted_by_collector: profile != Profile::Mcp,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut baselines: BTreeMap<Duration, Baseline> = BTreeMap::new();
    let mut spans = None;
    for (name, off, r) in results {
        let Some(r) = r else { continue };
        let r = match r {
            Ok((rates, w)) => {
                warnings.extend(w.into_iter().map(|w| format!("partial data: {w}")));
                rates
            }
            Err(e) if name == "spans" => return Err(e),
            Err(StepError::Failed(e) | StepError::Skipped(e)) => {
                warnings.push(format!("{name}: {e}"));
                continue;
            }
        };
        let offset = off.map(|d| {
            baselines.entry(d).or_insert_with(|| Baseline {
                offset: crate::clock::format_duration(d),
                ..Default::default()
            })
        });
        match (name.as_str(), offset) {
            ("spans", _) => spans = Some(r),
            ("requests", _) => ev.requests = Some(r),
            ("dropped", _) => ev.dropped = Some(r),
            ("spans_baseline", Some(b)) => b.spans = r,
            ("requests_baseline", Some(b)) => b.requests = Some(r),
            _ => {}
        }
    }
    ev.spans = spans.ok_or_else(|| StepError::Failed("no span rate query ran".into()))?;
    ev.baselines = baselines.into_values().collect();
    warnings.dedup();
    Ok((ev, warn(warnings)))
}
