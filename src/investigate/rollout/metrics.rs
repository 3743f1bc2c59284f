//! The rollout runbook's metric steps: traffic, errors and latency, run concurrently, each query
//! an instant query at the end of the window before the rollout and at the end of the window
//! after it (when there is one), with the window's length as its range. Their answers become the
//! per-operation and whole-service counts the analysis compares. Tests: below, and
//! `tests/it/rollout.rs` against a real Prometheus.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use jiff::Timestamp;

use super::super::latency::warn;
use super::super::{StepError, StepLog};
use crate::analysis::rollout::{Answered, Counts, QUANTILES, Queries, Scope, Windows};
use crate::backends::prometheus::{PrometheusClient, Sample};
use crate::error::{Backend, BackendError};
use crate::promql::{self, Value, Vars};
use crate::runbook::Runbook;
use crate::settings::Settings;

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

/// One query of the runbook, rendered.
struct Queryable<'a> {
    rb: &'a Runbook,
    settings: &'a Settings,
    vars: Vars,
}

impl Queryable<'_> {
    fn render(&self, step: &str, name: &str, extra: &[(&str, Value)]) -> Result<String, StepError> {
        let t = self
            .rb
            .query(step, name, self.settings.profile)
            .ok_or_else(|| {
                StepError::Failed(format!("runbook has no query {name} for step {step}"))
            })?;
        let mut vars = self.vars.clone();
        for (k, v) in extra {
            vars.insert(k.to_string(), v.clone());
        }
        promql::render(t, &vars)
            .map_err(|e| StepError::Failed(format!("runbook query {step}/{name}: {e}")))
    }
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
struct Gathered {
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

/// Run the traffic, errors and latency steps (report order 1–3) over windows `w`; `op` is the
/// profile's operation label.
pub(super) async fn measure(
    log: &StepLog,
    settings: &Settings,
    rb: &Runbook,
    service: &str,
    op: &str,
    w: &Windows,
) -> Measured {
    let title = |id: &str| {
        rb.step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut times = vec![timestamp(w.before.1)];
    if let Some(after) = w.after {
        times.push(timestamp(after.1));
    }
    let mut vars = Vars::new();
    vars.insert("service".into(), Value::Label(service.to_string()));
    vars.insert(
        "window".into(),
        Value::Duration(Duration::from_secs(w.length() as u64)),
    );
    let qs = Queryable { rb, settings, vars };
    let prom = settings.prometheus();
    let prom_ref = || {
        prom.as_ref()
            .ok_or_else(|| StepError::from(BackendError::not_configured(Backend::Prometheus)))
    };
    let q = |step: &str, name: &str| qs.render(step, name, &[]);
    let qq = |step: &str, name: &str, i: usize| {
        qs.render(step, name, &[("quantile", Value::Number(QUANTILES[i]))])
    };
    let times = &times;

    let requests_q = q("traffic", "requests");
    let traffic = log.run(
        1,
        "traffic",
        title("traffic"),
        requests_q.iter().cloned().collect(),
        async {
            let (r, w) = at_each(
                prom_ref()?,
                requests_q.as_ref().map_err(Clone::clone)?,
                times,
            )
            .await?;
            Ok((
                r.iter().map(|s| by_label(s, op)).collect::<Vec<_>>(),
                warn(w),
            ))
        },
    );
    let errors_q = q("errors", "errors");
    let errors = log.run(
        2,
        "errors",
        title("errors"),
        errors_q.iter().cloned().collect(),
        async {
            let (r, w) =
                at_each(prom_ref()?, errors_q.as_ref().map_err(Clone::clone)?, times).await?;
            Ok((
                r.iter().map(|s| by_label(s, op)).collect::<Vec<_>>(),
                warn(w),
            ))
        },
    );
    let buckets_q = q("latency", "buckets");
    let quantile_by_op_q = [
        qq("latency", "quantile_by_operation", 0),
        qq("latency", "quantile_by_operation", 1),
    ];
    let quantile_q = [qq("latency", "quantile", 0), qq("latency", "quantile", 1)];
    let latency_queries: Vec<String> = std::iter::once(&buckets_q)
        .chain(quantile_by_op_q.iter())
        .chain(quantile_q.iter())
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    let latency = log.run(3, "latency", title("latency"), latency_queries, async {
        let prom = prom_ref()?;
        let get = |r: &Result<String, StepError>| r.clone();
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
    });
    let (traffic, errors, latency) = futures::join!(traffic, errors, latency);

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
    let text = |r: &Result<String, StepError>| r.as_ref().cloned().unwrap_or_default();
    Measured {
        overall: scope(None),
        operations: ops.iter().map(|o| scope(Some(o))).collect(),
        answered,
        queries: Queries {
            requests: text(&requests_q),
            errors: text(&errors_q),
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
