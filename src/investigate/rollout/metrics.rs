//! The rollout runbook's metric steps: traffic, errors and latency, run concurrently, each query
//! an instant query at the end of the window before the rollout and at the end of the window
//! after it (when there is one), with the window's length as its range. Their answers become the
//! per-operation and whole-service counts the analysis compares. Tests: below, and
//! `tests/it/rollout.rs` against a real Prometheus.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use jiff::Timestamp;

use crate::investigate::ctx::warn;
use futures::FutureExt;
use futures::future::LocalBoxFuture;

use super::{Run, Timing};
use crate::analysis::rollout::{Answered, Counts, QUANTILES, Queries, Scope, Windows};
use crate::backends::prometheus::{PrometheusClient, Sample};
use crate::investigate::StepError;
use crate::promql::Value;

/// What the metric steps measured, ready for the analysis.
pub(super) struct Measured {
    pub overall: Scope,
    pub operations: Vec<Scope>,
    pub answered: Answered,
    pub queries: Queries,
}

fn timestamp(unix: f64) -> Timestamp {
    Timestamp::from_millisecond((unix * 1000.0).round() as i64).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The samples of `q` at each of `times`, with every warning Prometheus gave.
async fn at_each(
    prom: &PrometheusClient,
    q: &str,
    times: &[Timestamp],
) -> Result<(Vec<Vec<Sample>>, Vec<String>), StepError> {
    let results = futures::future::join_all(times.iter().map(|t| prom.query(q, *t))).await;
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for r in results {
        let r = r?;
        warnings.extend(r.warnings.iter().cloned());
        out.push(r.samples());
    }
    Ok((out, warnings))
}

/// Per operation label value, the sample's value (absent operations stay absent).
fn by_label(samples: &[Sample], label: &str) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    for s in samples {
        let key = s.labels.get(label).cloned().unwrap_or_default();
        *m.entry(key).or_insert(0.0) += s.value;
    }
    m
}

/// Per operation, the cumulative buckets `(le, count)`; samples without a parsable `le` are
/// dropped.
fn buckets_by_label(samples: &[Sample], label: &str) -> BTreeMap<String, Vec<(f64, f64)>> {
    let mut m: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for s in samples {
        let Some(le) = s.labels.get("le").and_then(|l| l.parse::<f64>().ok()) else {
            continue;
        };
        let key = s.labels.get(label).cloned().unwrap_or_default();
        m.entry(key).or_default().push((le, s.value));
    }
    m
}

/// What the metric steps found, per window (index 0 before, 1 after).
#[derive(Default)]
pub(super) struct Gathered {
    requests: Vec<BTreeMap<String, f64>>,
    errors: Vec<BTreeMap<String, f64>>,
    buckets: Vec<BTreeMap<String, Vec<(f64, f64)>>>,
    quantile_by_op: [Vec<BTreeMap<String, f64>>; 2],
    quantile: [Vec<Option<f64>>; 2],
}

fn counts(g: &Gathered, window: usize, op: Option<&str>) -> Counts {
    let pick = |m: &Vec<BTreeMap<String, f64>>| -> f64 {
        m.get(window)
            .map(|m| match op {
                Some(op) => m.get(op).copied().unwrap_or(0.0),
                None => m.values().sum(),
            })
            .unwrap_or(0.0)
    };
    let buckets = g
        .buckets
        .get(window)
        .map(|m| match op {
            Some(op) => m.get(op).cloned().unwrap_or_default(),
            None => {
                let mut sum: BTreeMap<u64, f64> = BTreeMap::new();
                for (le, c) in m.values().flatten() {
                    *sum.entry(le.to_bits()).or_insert(0.0) += c;
                }
                sum.into_iter()
                    .map(|(le, c)| (f64::from_bits(le), c))
                    .collect()
            }
        })
        .unwrap_or_default();
    let quantile = |i: usize| -> Option<f64> {
        match op {
            Some(op) => g.quantile_by_op[i].get(window)?.get(op).copied(),
            None => g.quantile[i].get(window).copied().flatten(),
        }
        .filter(|v| v.is_finite())
    };
    Counts {
        requests: pick(&g.requests),
        errors: pick(&g.errors),
        buckets,
        quantiles: [quantile(0), quantile(1)],
    }
}

/// A metric step's answer: per window, per operation, a value.
pub(super) type PerOp = Vec<BTreeMap<String, f64>>;

/// The instants each query runs at: the end of the before window, and of the after one.
fn times(w: &Windows) -> Vec<Timestamp> {
    let mut times = vec![timestamp(w.before.1)];
    if let Some(after) = w.after {
        times.push(timestamp(after.1));
    }
    times
}

/// The runbook's query, with the window's length as its range and `QUANTILES[i]` if given.
fn query(run: &Run<'_>, w: &Windows, step: &str, name: &str, quantile: Option<usize>) -> Q {
    let window = Value::Duration(Duration::from_secs(w.length() as u64));
    match quantile {
        Some(i) => run.ctx.query(
            step,
            name,
            &[
                ("window", window),
                ("quantile", Value::Number(QUANTILES[i])),
            ],
        ),
        None => run.ctx.query(step, name, &[("window", window)]),
    }
}

type Q = Result<String, StepError>;

/// Every query of the latency step: buckets, the quantiles by operation, the quantiles.
fn latency_queries(run: &Run<'_>, w: &Windows) -> (Q, [Q; 2], [Q; 2]) {
    (
        query(run, w, "latency", "buckets", None),
        [0, 1].map(|i| query(run, w, "latency", "quantile_by_operation", Some(i))),
        [0, 1].map(|i| query(run, w, "latency", "quantile", Some(i))),
    )
}

/// Step `id` once the rollout's time is known: skipped (and recorded so) when there is none; not
/// run at all when the command is about to refuse `--revision`.
async fn when_timed<T, F, Fut>(run: &Run<'_>, id: &'static str, f: F) -> Option<T>
where
    F: FnOnce(Windows) -> (Vec<String>, Fut),
    Fut: std::future::Future<Output = Result<(T, Option<String>), StepError>>,
{
    match run.timing().await {
        Timing::Refused => None,
        Timing::Untimed => {
            run.ctx
                .step(id, Vec::new(), async {
                    Err(StepError::Skipped(
                        "no rollout time: the rollout step found none".into(),
                    ))
                })
                .await
        }
        Timing::Windows(_, w) => {
            let (shown, fut) = f(w);
            run.ctx.step(id, shown, fut).await
        }
    }
}

/// A per-operation count step (traffic: requests; errors: errors).
async fn per_op(run: &Run<'_>, id: &'static str, name: &str) -> Option<PerOp> {
    when_timed(run, id, |w| {
        let q = query(run, &w, id, name, None);
        let shown = q.iter().cloned().collect();
        (shown, async move {
            let (r, warnings) = at_each(run.ctx.prom()?, &q?, &times(&w)).await?;
            let m = r.iter().map(|s| by_label(s, &run.op_label)).collect();
            Ok((m, warn(warnings)))
        })
    })
    .await
}

pub(super) fn traffic<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.traffic
            .get_or_init(|| per_op(run, "traffic", "requests"))
            .await;
    }
    .boxed_local()
}

pub(super) fn errors<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.errors
            .get_or_init(|| per_op(run, "errors", "errors"))
            .await;
    }
    .boxed_local()
}

pub(super) fn latency<'r>(run: &'r Run<'_>) -> LocalBoxFuture<'r, ()> {
    async move {
        run.latency.get_or_init(|| latency_step(run)).await;
    }
    .boxed_local()
}

async fn latency_step(run: &Run<'_>) -> Option<Gathered> {
    when_timed(run, "latency", |w| {
        let (buckets_q, quantile_by_op_q, quantile_q) = latency_queries(run, &w);
        let shown = std::iter::once(&buckets_q)
            .chain(quantile_by_op_q.iter())
            .chain(quantile_q.iter())
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        (shown, async move {
            let prom = run.ctx.prom()?;
            let times = times(&w);
            let times = &times;
            let op = run.op_label.as_str();
            let get = |r: &Q| r.clone();
            let (b, qo0, qo1, q0, q1) = futures::join!(
                async { at_each(prom, &get(&buckets_q)?, times).await },
                async { at_each(prom, &get(&quantile_by_op_q[0])?, times).await },
                async { at_each(prom, &get(&quantile_by_op_q[1])?, times).await },
                async { at_each(prom, &get(&quantile_q[0])?, times).await },
                async { at_each(prom, &get(&quantile_q[1])?, times).await },
            );
            let (b, mut warnings) = b?;
            let mut g = Gathered {
                buckets: b.iter().map(|s| buckets_by_label(s, op)).collect(),
                ..Default::default()
            };
            for (i, r) in [qo0, qo1].into_iter().enumerate() {
                let (r, w) = r?;
                warnings.extend(w);
                g.quantile_by_op[i] = r.iter().map(|s| by_label(s, op)).collect();
            }
            for (i, r) in [q0, q1].into_iter().enumerate() {
                let (r, w) = r?;
                warnings.extend(w);
                g.quantile[i] = r.iter().map(|s| s.first().map(|x| x.value)).collect();
            }
            Ok((g, warn(warnings)))
        })
    })
    .await
}

/// What the metric steps measured over windows `w`, ready for the analysis.
pub(super) fn measured(
    run: &Run<'_>,
    w: &Windows,
    traffic: Option<PerOp>,
    errors: Option<PerOp>,
    latency: Option<Gathered>,
) -> Measured {
    let answered = Answered {
        traffic: traffic.is_some(),
        errors: errors.is_some(),
        latency: latency.is_some(),
    };
    let mut g = latency.unwrap_or_default();
    g.requests = traffic.unwrap_or_default();
    g.errors = errors.unwrap_or_default();
    let mut ops: BTreeSet<String> = BTreeSet::new();
    for m in g.requests.iter().chain(g.errors.iter()) {
        ops.extend(m.keys().cloned());
    }
    for m in &g.buckets {
        ops.extend(m.keys().cloned());
    }
    let scope = |op: Option<&str>| Scope {
        operation: op.map(str::to_string),
        before: counts(&g, 0, op),
        after: if w.after.is_some() {
            counts(&g, 1, op)
        } else {
            Counts::default()
        },
    };
    let text = |r: &Q| r.as_ref().cloned().unwrap_or_default();
    let (buckets_q, quantile_by_op_q, quantile_q) = latency_queries(run, w);
    Measured {
        overall: scope(None),
        operations: ops.iter().map(|o| scope(Some(o))).collect(),
        answered,
        queries: Queries {
            requests: text(&query(run, w, "traffic", "requests", None)),
            errors: text(&query(run, w, "errors", "errors", None)),
            buckets: text(&buckets_q),
            quantile_by_operation: [text(&quantile_by_op_q[0]), text(&quantile_by_op_q[1])],
            quantile: [text(&quantile_q[0]), text(&quantile_q[1])],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_read_per_operation_and_summed_overall() {
        let sample = |op: &str, le: &str, v: f64| Sample {
            labels: [("operation_name", op), ("le", le)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            at: 0.0,
            value: v,
        };
        let s = vec![
            sample("a", "0.5", 10.0),
            sample("a", "+Inf", 12.0),
            sample("b", "0.5", 1.0),
            sample("b", "+Inf", 4.0),
            sample("b", "bogus", 99.0),
        ];
        let g = Gathered {
            buckets: vec![buckets_by_label(&s, "operation_name")],
            ..Default::default()
        };
        assert_eq!(
            counts(&g, 0, Some("a")).buckets,
            vec![(0.5, 10.0), (f64::INFINITY, 12.0)]
        );
        assert_eq!(
            counts(&g, 0, None).buckets,
            vec![(0.5, 11.0), (f64::INFINITY, 16.0)]
        );
        // A window that was not queried is empty, not a panic.
        assert_eq!(counts(&g, 1, None), Counts::default());
    }
}
