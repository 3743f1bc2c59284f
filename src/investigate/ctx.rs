//! What every investigation shares, built once per run: the settings, the runbook, the clients
//! (Prometheus, with Thanos' `partial_response` honoured here and nowhere else; the Kubernetes
//! connection and the namespace it settles), the query variables, the evaluation time, and the
//! step log. Steps record themselves through [`Ctx::step`], which takes their place and title
//! from the YAML. Each runbook adds its own methods in its own `impl Ctx` block. Not here: which
//! steps run (each runbook's registry) or what they find. Tests: below, and through the
//! investigations' integration tests.

use std::future::Future;
use std::time::Duration;

use jiff::Timestamp;

use super::kube::connect_kube;

/// The warning when triage by change could not be read (a store without subqueries, a timeout):
/// triage goes on by level, and the report says so.
pub(crate) fn change_unavailable(e: &StepError) -> String {
    let why = match e {
        StepError::Skipped(w) | StepError::Failed(w) => w,
    };
    format!("triage by change unavailable ({why}): ranked by level")
}

/// Triage by change's queries, in the order [`Ctx::most_changed`] reads them.
const TRIAGE: [&str; 5] = [
    "triage_now",
    "triage_median",
    "triage_q25",
    "triage_q75",
    "triage_requests",
];
use super::{StepError, StepLog};
use crate::analysis::changepoint::{self, Shift};
use crate::backends::kubernetes::Kube;
use crate::backends::prometheus::{Labels, PrometheusClient};
use crate::error::{Backend, BackendError, UsageError};
use crate::promql::{Value, Vars};
use crate::report::{Finding, Report, Target};
use crate::runbook::{LabelNames, Runbook};
use crate::settings::{Mode, Settings};

/// Baseline offsets, nearest first.
const OFFSETS: [&str; 2] = ["1d", "7d"];

/// A service query's value now, when it changed (a change point over the lookback), and its
/// baseline (offset, value).
pub(crate) type Trend = (Option<f64>, Option<Shift>, Option<(String, f64)>);

pub(crate) struct Ctx<'a> {
    pub settings: &'a Settings,
    pub rb: Runbook,
    pub prom: Option<PrometheusClient>,
    pub vars: Vars,
    pub at: Timestamp,
    pub log: StepLog,
    pub kube: Result<Kube, StepError>,
    /// `-n`, else the kubeconfig context's, else a replayed bundle's.
    pub namespace: String,
    /// Services mapped to their workloads, and the workload lists that took (`workload.rs`).
    pub workloads: super::workload::Cache,
}

impl<'a> Ctx<'a> {
    /// The context of one run. Connecting to Kubernetes reads the kubeconfig only; doing it first
    /// settles the namespace every step and remediation uses.
    pub async fn open(settings: &'a Settings, rb: Runbook, vars: Vars) -> Ctx<'a> {
        let kube = connect_kube(settings).await;
        let namespace = match &kube {
            Ok(k) if settings.kubernetes.namespace.is_none() => k.default_namespace().to_string(),
            _ => settings.namespace.clone(),
        };
        if let (Mode::Record(r), Ok(_)) = (&settings.mode, &kube) {
            r.note_namespace(&namespace);
        }
        Ctx {
            settings,
            rb,
            // The one place an investigation's Prometheus client is made: every runbook gets
            // the context's `partial_response` (investigate errors once built its own without).
            prom: settings.prometheus(),
            vars,
            at: settings.clock.now(),
            log: StepLog::new(settings.progress, settings.command_timeout),
            kube,
            namespace,
            workloads: Default::default(),
        }
    }

    /// The runbook's labels for the active profile.
    pub fn labels(&self) -> Result<LabelNames, UsageError> {
        self.rb
            .labels(self.settings.profile)
            .cloned()
            .ok_or_else(|| {
                UsageError::new(format!(
                    "{} runbook: no labels for profile {}",
                    self.rb.name,
                    self.settings.profile.name()
                ))
            })
    }

    /// The runbook's query `name` of `step` for the active profile, with the variables filled in.
    pub fn query(
        &self,
        step: &str,
        name: &str,
        extra: &[(&str, Value)],
    ) -> Result<String, StepError> {
        self.rb
            .render_query(step, name, self.settings.profile, &self.vars, extra)
            .map_err(StepError::Failed)
    }

    /// A step's title from the runbook.
    pub fn title(&self, id: &str) -> String {
        self.rb
            .step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Run step `id` and record it in the place the YAML gives it, under the YAML's title; a
    /// step the YAML does not list does not run (`None`), whoever asks for it.
    pub async fn step<T, F>(&self, id: &'static str, queries: Vec<String>, fut: F) -> Option<T>
    where
        F: Future<Output = Result<(T, Option<String>), StepError>>,
    {
        let order = self.rb.steps.iter().position(|s| s.id == id)?;
        self.log.run(order, id, self.title(id), queries, fut).await
    }

    /// [`Ctx::step`] for a step whose shown commands depend on what it finds (the workload a
    /// service maps to): the future returns them beside its result.
    pub async fn step_described<T, F>(
        &self,
        id: &'static str,
        queries: Vec<String>,
        fut: F,
    ) -> Option<T>
    where
        F: Future<Output = (Result<(T, Option<String>), StepError>, Option<Vec<String>>)>,
    {
        let order = self.rb.steps.iter().position(|s| s.id == id)?;
        self.log
            .run_described(order, id, self.title(id), queries, fut)
            .await
    }

    pub fn prom(&self) -> Result<&PrometheusClient, StepError> {
        self.prom
            .as_ref()
            .ok_or_else(|| StepError::from(BackendError::not_configured(Backend::Prometheus)))
    }

    pub fn kube(&self) -> Result<&Kube, StepError> {
        self.kube.as_ref().map_err(Clone::clone)
    }

    /// A threshold: the settings' override, else the runbook's.
    pub fn threshold(&self, key: &str) -> f64 {
        self.settings.threshold(key, self.rb.threshold(key))
    }

    /// An instant query's finite samples as (labels, value), largest first, and its warnings.
    pub async fn samples(&self, q: &str) -> Result<(Vec<(Labels, f64)>, Vec<String>), StepError> {
        let r = self.prom()?.query(q, self.at).await?;
        let mut items: Vec<(Labels, f64)> = r
            .samples()
            .into_iter()
            .filter(|s| s.value.is_finite())
            .map(|s| (s.labels, s.value))
            .collect();
        items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok((items, r.warnings))
    }

    /// [`Ctx::samples`] named by one label: (label value, value), worst first.
    pub async fn list(
        &self,
        q: &str,
        label: &str,
    ) -> Result<(Vec<(String, f64)>, Vec<String>), StepError> {
        let (items, w) = self.samples(q).await?;
        Ok((
            items
                .into_iter()
                .map(|(l, v)| (l.get(label).cloned().unwrap_or_default(), v))
                .collect(),
            w,
        ))
    }

    /// Triage by change's queries of `affected-services` (`triage_now`, `triage_median`,
    /// `triage_q25`, `triage_q75`, and `triage_requests` where the runbook has it), rendered.
    pub fn triage_queries(&self) -> Vec<String> {
        TRIAGE
            .iter()
            .filter_map(|q| self.query("affected-services", q, &[]).ok())
            .collect()
    }

    /// Of [`Ctx::triage_queries`] read at once: the service that rose most against its own
    /// baseline (`rule`), the values now, and the warnings. `None` when a query is missing or no
    /// service changed. An error here should not fail triage: the caller ranks by level instead
    /// and says why ([`change_unavailable`]).
    pub async fn most_changed(
        &self,
        queries: &[String],
        label: &str,
        rule: &crate::analysis::localize::Rule,
    ) -> Result<(Option<String>, Vec<(String, f64)>, Vec<String>), StepError> {
        let (Some(now), Some(median), Some(q25), Some(q75)) = (
            queries.first(),
            queries.get(1),
            queries.get(2),
            queries.get(3),
        ) else {
            return Ok((None, Vec::new(), Vec::new()));
        };
        let requests = async {
            match queries.get(4) {
                Some(q) => self.list(q, label).await.map(|r| r.0),
                None => Ok(Vec::new()),
            }
        };
        let (now, median, q25, q75, requests) = futures::join!(
            self.list(now, label),
            self.list(median, label),
            self.list(q25, label),
            self.list(q75, label),
            requests,
        );
        let (now, warnings) = now?;
        let columns = [median?.0, q25?.0, q75?.0];
        let picked =
            crate::analysis::localize::triage::most_changed(&now, &columns, &requests?, rule);
        Ok((picked, now, warnings))
    }

    /// The largest finite value of an instant query, if any.
    pub async fn scalar(&self, q: &str) -> Result<Option<f64>, StepError> {
        Ok(self.samples(q).await?.0.first().map(|s| s.1))
    }

    /// A one-series query over the lookback (~120 points): its first series' (unix seconds,
    /// value) points, for a change point, and Prometheus' warnings.
    pub async fn trend_points(
        &self,
        q: &str,
        lookback: Duration,
    ) -> Result<(Vec<(f64, f64)>, Vec<String>), BackendError> {
        let Ok(prom) = self.prom() else {
            return Err(BackendError::not_configured(Backend::Prometheus));
        };
        let start = self.at - jiff::SignedDuration::try_from(lookback).unwrap_or_default();
        let step = Duration::from_secs((lookback.as_secs() / 120).max(15));
        let range = prom.query_range(q, start, self.at, step).await?;
        let points = range
            .series()
            .into_iter()
            .next()
            .map(|s| s.points)
            .unwrap_or_default();
        Ok((points, range.warnings))
    }

    /// Step 1 of the latency and error runbooks, for the target: the service query's value now,
    /// when it changed over the lookback (a change point), and its value at the nearest
    /// [`OFFSETS`] that has one (the `affected-services`/`baseline` query).
    pub async fn service_trend(
        &self,
        q: &str,
        lookback: Duration,
    ) -> Result<(Trend, Option<String>), StepError> {
        self.prom()?;
        let baseline_qs = OFFSETS
            .iter()
            .map(|off| {
                let d = Value::Duration(crate::clock::parse_duration(off).unwrap_or_default());
                self.query("affected-services", "baseline", &[("offset", d)])
            })
            .collect::<Result<Vec<_>, _>>()?;
        // None of them needs another's answer, so all go out at once (issue 19): the step takes
        // the slowest query, not their sum. Each baseline is asked, even the farther ones the
        // nearest makes unneeded: one more small query is cheaper than a round trip.
        // The first failure of the two that fail the step drops the others' requests, as
        // returning at it did when they ran one after another.
        let (now, (points, range_warnings), baselines) = futures::try_join!(
            self.scalar(q),
            async { Ok(self.trend_points(q, lookback).await?) },
            async {
                let all = baseline_qs.iter().map(|bq| self.scalar(bq));
                Ok(futures::future::join_all(all).await)
            },
        )?;
        let onset = changepoint::detect(&points, 1.5);
        let mut baseline = None;
        for (off, v) in OFFSETS.iter().zip(baselines) {
            if let Some(v) = v? {
                baseline = Some((off.to_string(), v));
                break;
            }
        }
        Ok(((now, onset, baseline), warn(range_warnings)))
    }

    /// The report of this run: its steps in the YAML's order, then the findings ranked.
    pub fn report(
        self,
        command: &str,
        target: Target,
        lookback: Duration,
        findings: Vec<Finding>,
    ) -> Report {
        let mut report = Report::new(
            command,
            target,
            self.at.to_string(),
            crate::clock::format_duration(lookback),
        );
        report.steps = self.log.into_steps();
        report.finish(findings);
        report
    }
}

/// How far before `--at` the change tests' baseline ends: `--baseline-at` (RFC 3339 or unix
/// seconds, before `--at`), else [`super::graph::DEFAULT_BASELINE_OFFSET`]. PromQL reads it as
/// `offset`, so every store that has subqueries (Thanos, Mimir) can answer.
pub(crate) fn baseline_offset(
    at: Timestamp,
    baseline_at: Option<&str>,
) -> Result<Duration, UsageError> {
    let Some(s) = baseline_at else {
        return Ok(super::graph::DEFAULT_BASELINE_OFFSET);
    };
    let t =
        crate::clock::parse_at(s).map_err(|e| UsageError::new(format!("--baseline-at: {e}")))?;
    let secs = at.as_second() - t.as_second();
    if secs <= 0 {
        return Err(UsageError::new(format!(
            "--baseline-at {s} is not before the evaluation time {at}: give a time when the service was healthy, e.g. --baseline-at {}",
            at - jiff::SignedDuration::from_hours(1)
        )));
    }
    Ok(Duration::from_secs(secs as u64))
}

/// Prometheus warnings as a step's warning.
pub(crate) fn warn(w: Vec<String>) -> Option<String> {
    if w.is_empty() {
        None
    } else {
        Some(format!("partial data: {}", w.join("; ")))
    }
}

/// Unix seconds, the analyses' time.
pub(crate) fn unix(t: Timestamp) -> f64 {
    t.as_millisecond() as f64 / 1000.0
}
