//! `tracectl check`: the tracing stack's health checks, each a named step (`--only`/`--skip`),
//! run concurrently, for CI pipelines (`-o junit`) as much as for people.
//!
//! The checks and their queries, thresholds and texts are `runbooks/check.yaml`; the ids are
//! [`NAMES`]. Each check is an I/O part (`probes.rs`: ask one backend, never fail the run) and a
//! pure part that turns the answer into findings (`components.rs` for up/down/degraded,
//! `alerting.rs` for Alertmanager, `pipeline.rs` for the Collector's rates, `pods.rs` for
//! Kubernetes, `monitor.rs` for Jaeger's Monitor tab). A check whose backend is not configured is `skipped`; a backend that fails makes
//! its step `failed` *and* a `component_down` finding with the fix, so both a CI test report and
//! the exit code say so. `--fail-on` defaults to `critical` here. Tests: the pure parts' unit
//! tests, and `tests/it/check.rs` (a real Prometheus and Alertmanager, fixtures for the rest).

mod alerting;
mod components;
mod monitor;
mod pipeline;
mod pods;
mod probes;

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use anyhow::Result;
use jiff::Timestamp;

use super::investigate::{StepError, StepLog};
use super::{Exit, finish_report};
use crate::cli::{CheckArgs, FailOn, GlobalArgs};
use crate::error::{Backend, BackendError, ErrorKind, UsageError};
use crate::promql::{self, Value, Vars};
use crate::report::{Finding, Report, Target};
use crate::runbook::{self, Runbook};
use crate::settings::{Mode, Settings};

/// Every check, in report order. `runbooks/check.yaml` may use only these step ids.
pub const NAMES: &[&str] = &[
    "prometheus-ready",
    "jaeger-query",
    "collector-otlp",
    "collector-metrics",
    "span-drop-rate",
    "exporter-failure-rate",
    "span-latency",
    "elasticsearch-health",
    "grafana-health",
    "alertmanager-status",
    "tracing-pods",
    "jaeger-monitor",
];

/// The variables the check queries may use.
pub const VARS: &[&str] = &["rate_window"];

/// What one check concluded: its findings and the status of its step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub findings: Vec<Finding>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Status {
    Ok,
    /// Ran, with something to say that is not a finding (partial data, no series).
    Warning(String),
    /// Could not check: the backend failed (a finding usually says how).
    Failed(String),
    /// Its backend is not configured.
    Skipped(String),
}

impl Outcome {
    pub fn ok(findings: Vec<Finding>) -> Self {
        Outcome {
            findings,
            status: Status::Ok,
        }
    }

    pub fn warning(findings: Vec<Finding>, why: impl Into<String>) -> Self {
        Outcome {
            findings,
            status: Status::Warning(why.into()),
        }
    }

    pub fn skipped(why: impl Into<String>) -> Self {
        Outcome {
            findings: Vec::new(),
            status: Status::Skipped(why.into()),
        }
    }

    pub fn failed(findings: Vec<Finding>, why: impl Into<String>) -> Self {
        Outcome {
            findings,
            status: Status::Failed(why.into()),
        }
    }
}

/// A component of the tracing stack, as findings name it and as a human reaches it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Component {
    /// `subject.resource` of its findings: `jaeger-query`, `otel-collector`, ...
    pub resource: &'static str,
    /// For titles: `Jaeger query`.
    pub display: &'static str,
    pub backend: Backend,
    /// The flag that configures it (the Collector has two).
    pub flag: &'static str,
    /// Its URL as configured (redacted), for the commands a remediation prints.
    pub url: Option<String>,
    pub workload: Workload,
}

/// The Kubernetes workload that most likely serves a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Workload {
    /// `deployment` or `statefulset`.
    pub kind: &'static str,
    pub name: String,
    /// `None`: unknown, so commands leave `-n` out and kubectl uses the context's namespace.
    pub namespace: Option<String>,
}

impl Workload {
    /// `kubectl -n NS ARGS KIND/NAME ...`, e.g. `kubectl(&["rollout", "restart"], "")`.
    pub fn kubectl(&self, verb: &str, tail: &str) -> String {
        let ns = self
            .namespace
            .as_ref()
            .map(|n| format!(" -n {n}"))
            .unwrap_or_default();
        let tail = if tail.is_empty() {
            String::new()
        } else {
            format!(" {tail}")
        };
        format!("kubectl{ns} {verb} {}/{}{tail}", self.kind, self.name)
    }

    /// The workload from a URL's host when it is an in-cluster Service name: `svc.ns`,
    /// `svc.ns.svc` or `svc.ns.svc.cluster.local` give both; a bare `svc` gives the name.
    /// Anything else (an IP, `localhost`, an external name) keeps the defaults.
    pub fn from_url(
        url: Option<&url::Url>,
        kind: &'static str,
        default_name: &str,
        namespace: Option<&str>,
    ) -> Workload {
        let mut w = Workload {
            kind,
            name: default_name.to_string(),
            namespace: namespace.map(String::from),
        };
        let Some(host) = url.and_then(|u| u.host_str()) else {
            return w;
        };
        let labels: Vec<&str> = host.split('.').collect();
        let is_name = |s: &str| crate::backends::kubernetes::valid_label(s);
        let in_cluster = match labels.as_slice() {
            [svc] => is_name(svc) && *svc != "localhost",
            [svc, ns] => is_name(svc) && is_name(ns),
            [svc, ns, "svc"] | [svc, ns, "svc", "cluster", "local"] => is_name(svc) && is_name(ns),
            _ => false,
        };
        if in_cluster {
            w.name = labels[0].to_string();
            if labels.len() > 1 {
                w.namespace = Some(labels[1].to_string());
            }
        }
        w
    }
}

/// Everything the checks share.
pub(crate) struct Ctx<'a> {
    pub settings: &'a Settings,
    pub rb: Runbook,
    pub at: Timestamp,
}

impl Ctx<'_> {
    pub fn threshold(&self, key: &str) -> f64 {
        self.settings.threshold(key, self.rb.threshold(key))
    }

    pub fn title(&self, id: &str) -> String {
        self.rb
            .step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// A runbook query, rendered; the error names the step.
    pub fn query(&self, step: &str, name: &str) -> Result<String, String> {
        let t = self
            .rb
            .query(step, name, self.settings.profile)
            .ok_or_else(|| format!("runbook has no query {name} for step {step}"))?;
        let mut vars = Vars::new();
        vars.insert(
            "rate_window".into(),
            Value::Duration(self.settings.rate_window),
        );
        promql::render(t, &vars).map_err(|e| format!("runbook query {step}/{name}: {e}"))
    }

    /// The URL a human would use for a backend: the configured one, or in a replay the one the
    /// bundle was recorded against. Redacted.
    pub fn shown_url(&self, b: Backend) -> Option<url::Url> {
        let url = match &self.settings.mode {
            Mode::Replay(r) => r
                .meta
                .backends
                .get(b.name())
                .and_then(|u| url::Url::parse(u).ok()),
            _ => self.settings.endpoint(b).map(|e| e.base.clone()),
        };
        url.and_then(|u| url::Url::parse(&crate::error::redact_url(u.as_str())).ok())
    }

    /// The namespace a human named (`-n` or the context); the kubeconfig's is kubectl's default.
    pub fn namespace(&self) -> Option<&str> {
        self.settings.kubernetes.namespace.as_deref()
    }

    pub fn component(&self, c: Kind) -> Component {
        let (resource, display, backend, kind, name) = match c {
            Kind::Prometheus => (
                "prometheus",
                "Prometheus",
                Backend::Prometheus,
                "statefulset",
                "prometheus",
            ),
            Kind::JaegerQuery => (
                "jaeger-query",
                "Jaeger query",
                Backend::Jaeger,
                "deployment",
                "jaeger-query",
            ),
            Kind::CollectorOtlp | Kind::CollectorMetrics => (
                "otel-collector",
                "OpenTelemetry Collector",
                Backend::Collector,
                "deployment",
                "otel-collector",
            ),
            Kind::Elasticsearch => (
                "elasticsearch",
                "Elasticsearch",
                Backend::Elasticsearch,
                "statefulset",
                "elasticsearch",
            ),
            Kind::Grafana => (
                "grafana",
                "Grafana",
                Backend::Grafana,
                "deployment",
                "grafana",
            ),
            Kind::Alertmanager => (
                "alertmanager",
                "Alertmanager",
                Backend::Alertmanager,
                "statefulset",
                "alertmanager",
            ),
        };
        let url = match (c, &self.settings.mode) {
            // A bundle records one URL per backend, and the Collector has two (metrics and
            // OTLP) recorded in whichever order they were first used: a replay shows neither.
            (Kind::CollectorOtlp | Kind::CollectorMetrics, Mode::Replay(_)) => None,
            (Kind::CollectorOtlp, _) => self
                .settings
                .collector_otlp
                .as_ref()
                .map(|e| e.base.clone()),
            _ => self.shown_url(backend),
        };
        Component {
            resource,
            display,
            backend,
            flag: match c {
                Kind::CollectorOtlp => "--collector-otlp-url",
                _ => backend.flag(),
            },
            workload: Workload::from_url(url.as_ref(), kind, name, self.namespace()),
            url: url.map(|u| u.as_str().trim_end_matches('/').to_string()),
        }
    }
}

/// The components findings can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Prometheus,
    JaegerQuery,
    CollectorOtlp,
    CollectorMetrics,
    Elasticsearch,
    Grafana,
    Alertmanager,
}

impl Component {
    /// The error's hint, naming this component's own flag (the Collector's OTLP receiver is
    /// configured by `--collector-otlp-url`, not the Collector's usual `--collector-metrics-url`).
    pub fn hint(&self, e: &BackendError) -> String {
        e.hint().replace(e.backend.flag(), self.flag)
    }
}

/// A backend error as a check's outcome: not configured is `skipped`; a replay without the
/// answer fails the step with no finding (nothing is known about the component); anything else
/// is the component being down, with the fix.
pub(crate) fn from_error(c: &Component, e: &BackendError, probe: &str, at: &str) -> Outcome {
    match &e.kind {
        ErrorKind::NotConfigured => {
            Outcome::skipped(format!("{} not configured ({})", e.backend, c.flag))
        }
        ErrorKind::NotRecorded { .. } => {
            Outcome::failed(Vec::new(), format!("{}; hint: {}", e.one_line(), c.hint(e)))
        }
        _ => Outcome::failed(
            vec![components::down(c, e, probe, at)],
            format!("{}; hint: {}", e.one_line(), c.hint(e)),
        ),
    }
}

/// Which checks run: `--only` (all when empty), minus `--skip`, in [`NAMES`] order.
pub fn selected(args: &CheckArgs) -> Result<Vec<&'static str>, UsageError> {
    for n in args.only.iter().chain(&args.skip) {
        if !NAMES.contains(&n.as_str()) {
            return Err(UsageError::with_hint(
                format!("unknown check {n:?}"),
                format!("checks: {}", NAMES.join(", ")),
            ));
        }
    }
    let chosen: Vec<&'static str> = NAMES
        .iter()
        .copied()
        .filter(|n| args.only.is_empty() || args.only.iter().any(|o| o == n))
        .filter(|n| !args.skip.iter().any(|s| s == n))
        .collect();
    if chosen.is_empty() {
        return Err(UsageError::with_hint(
            "--only and --skip leave no check to run",
            format!("checks: {}", NAMES.join(", ")),
        ));
    }
    Ok(chosen)
}

pub async fn run(settings: &Settings, g: &GlobalArgs, args: &CheckArgs) -> Result<Exit> {
    let mut settings = settings.clone();
    // The contract: `check` fails CI on a critical finding unless told otherwise.
    if g.fail_on.is_none() {
        settings.fail_on = FailOn::Critical;
    }
    let report = check(&settings, args).await?;
    finish_report(&settings, &report)
}

type StepFuture<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Run the selected checks concurrently and build the report.
pub async fn check(settings: &Settings, args: &CheckArgs) -> Result<Report> {
    let names = selected(args)?;
    let rb = runbook::load("check", settings.runbooks_dir.as_deref())?;
    rb.validate(NAMES, VARS, "check runbook")?;
    let ctx = Ctx {
        settings,
        rb,
        at: settings.clock.now(),
    };
    let log = StepLog::new(settings.progress, settings.command_timeout);
    let findings: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    let steps: Vec<StepFuture<'_>> = names
        .iter()
        .map(|&id| {
            let order = NAMES.iter().position(|n| *n == id).unwrap_or(NAMES.len());
            let (ctx, log, findings) = (&ctx, &log, &findings);
            Box::pin(async move {
                let queries = probes::shown_queries(ctx, id);
                log.run(order, id, ctx.title(id), queries, async move {
                    let outcome = probes::run(ctx, id).await;
                    findings
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .extend(outcome.findings);
                    match outcome.status {
                        Status::Ok => Ok(((), None)),
                        Status::Warning(w) => Ok(((), Some(w))),
                        Status::Failed(e) => Err(StepError::Failed(e)),
                        Status::Skipped(s) => Err(StepError::Skipped(s)),
                    }
                })
                .await;
            }) as StepFuture<'_>
        })
        .collect();
    futures::future::join_all(steps).await;

    let mut report = Report::new(
        "check",
        Target {
            service: None,
            operation: None,
        },
        ctx.at.to_string(),
        crate::clock::format_duration(settings.lookback),
    );
    report.steps = log.into_steps();
    if report
        .steps
        .iter()
        .all(|s| s.status == crate::report::StepStatus::Skipped)
    {
        return Err(UsageError::with_hint(
            "no check could run: none of the backends they read is configured",
            "pass --prometheus-url, --jaeger-url, --collector-otlp-url, ... (tracectl check --help), \
             or set them in the config context",
        )
        .into());
    }
    report.finish(findings.into_inner().unwrap_or_else(|p| p.into_inner()));
    if report.findings.is_empty()
        && report
            .steps
            .iter()
            .all(|s| s.status != crate::report::StepStatus::Failed)
    {
        let ran = report
            .steps
            .iter()
            .filter(|s| s.status != crate::report::StepStatus::Skipped)
            .count();
        let warned = report
            .steps
            .iter()
            .filter(|s| s.status == crate::report::StepStatus::Warning)
            .count();
        report.diagnosis = match warned {
            0 => format!("all {ran} checks that could run passed"),
            w => format!("all {ran} checks that could run passed ({w} with a warning)"),
        };
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(only: &[&str], skip: &[&str]) -> CheckArgs {
        CheckArgs {
            only: only.iter().map(|s| s.to_string()).collect(),
            skip: skip.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn selection_keeps_report_order() {
        assert_eq!(selected(&args(&[], &[])).unwrap(), NAMES);
        assert_eq!(
            selected(&args(&["grafana-health", "prometheus-ready"], &[])).unwrap(),
            ["prometheus-ready", "grafana-health"]
        );
        let s = selected(&args(&[], &["tracing-pods", "jaeger-monitor"])).unwrap();
        assert_eq!(s.len(), NAMES.len() - 2);
        assert!(!s.contains(&"tracing-pods"));
        let e = selected(&args(&["grafana"], &[])).unwrap_err();
        assert!(e.hint.unwrap().contains("grafana-health"));
        assert!(selected(&args(&["grafana-health"], &["grafana-health"])).is_err());
    }

    #[test]
    fn workloads_from_in_cluster_urls() {
        let w = |u: &str| {
            Workload::from_url(
                Some(&url::Url::parse(u).unwrap()),
                "deployment",
                "jaeger-query",
                Some("tracing"),
            )
        };
        assert_eq!(
            w("http://jaeger.monitoring:16686").kubectl("rollout restart", ""),
            "kubectl -n monitoring rollout restart deployment/jaeger"
        );
        assert_eq!(
            w("http://tracing-query.obs.svc.cluster.local:16686").namespace,
            Some("obs".into())
        );
        let bare = w("http://jaeger-query-v2:16686");
        assert_eq!(
            (bare.name.as_str(), bare.namespace.as_deref()),
            ("jaeger-query-v2", Some("tracing"))
        );
        for other in [
            "http://127.0.0.1:16686",
            "http://localhost:16686",
            "https://jaeger.example.com",
            "http://jaeger.replay.invalid/",
        ] {
            let d = w(other);
            assert_eq!(d.name, "jaeger-query", "{other}");
            assert_eq!(d.namespace.as_deref(), Some("tracing"), "{other}");
        }
        let none = Workload::from_url(None, "statefulset", "prometheus", None);
        assert_eq!(
            none.kubectl("logs", "--tail=100"),
            "kubectl logs statefulset/prometheus --tail=100"
        );
    }

    #[test]
    fn every_kind_check_and_alerts_emit_is_explained() {
        let docs = runbook::finding_docs(None).unwrap();
        for kind in [
            "component_down",
            "component_degraded",
            "spans_dropped",
            "exporter_failures",
            "storage_unhealthy",
            "unmatched_alert",
        ] {
            assert!(
                docs.contains_key(kind),
                "`tracectl explain {kind}` has no text"
            );
        }
    }

    #[test]
    fn check_runbook_knows_every_step() {
        let rb = runbook::load("check", None).unwrap();
        rb.validate(NAMES, VARS, "check").unwrap();
        let ids: Vec<&str> = rb.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, NAMES, "the runbook lists every check, in report order");
    }
}
