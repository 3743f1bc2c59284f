//! The audit runbook's engine (`runbooks/audit.yaml`): the tracing best-practice guide (2.1–2.3)
//! measured against a running system. Steps, concurrently where they can: the traced services and
//! the dependency graph from Jaeger; a sample of recent traces per service (bounded:
//! `--traces-per-service`, `max_services`, at most four searches at a time, `traces.rs`); the
//! services, operations and call edges the metrics know (`prom.rs`); the sampling policy, from
//! the sources `investigate data-loss` reads ([`crate::investigate::sampling_policy`], the
//! `sampling-policy` step); the effective sampling ratio. The pure detectors in [`crate::analysis::audit`] turn what answered into findings and a
//! 0–100 score per service, with the parameters `params.rs` resolves.
//!
//! Sensitive values never leave: the report is masked as a last guard
//! ([`sensitive::redact_report`]), and with `--record` the bundle is masked before the first
//! request, as every command's is ([`crate::investigate::bundle`]), here with IP addresses too
//! under `--detect-ips`: each value is written as `[REDACTED:kind:mask:pseudonym]` (a replay
//! reads the markers back and reports the same). Queries come from
//! `runbooks/audit.yaml`; the step ids it may use are [`STEPS`]. Not here: flags and printing
//! (`crate::commands::audit`). Tests: below, and `tests/it/audit.rs`.

mod params;
mod prom;
mod traces;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures::FutureExt;

use crate::analysis::audit::{
    self as analysis, AuditEvidence, MetricEvidence, MetricRows, sensitive,
};
use crate::cli::AuditArgs;
use crate::error::{Backend, BackendError, UsageError};
use crate::investigate::engine::{StepError, StepLog};
use crate::promql::{Value, Vars};
use crate::report::{Report, StepStatus, Target};
use crate::runbook::{self, LabelNames};
use crate::settings::Settings;

use crate::investigate::sampling_policy::{
    COLLECTOR_NAME, Sources, collector_configmap, collector_mounts_shown, collector_text,
};
use params::params;
use prom::Prom;

/// The step ids this command can run; a runbook file may use only these.
pub const STEPS: &[&str] = &[
    "services",
    "dependencies",
    "traces",
    "coverage",
    "sampling-policy",
    "sampling",
    "span-loss",
];

/// The variables its query templates may use.
pub const VARS: &[&str] = &["lookback", "rate_window"];

/// The most traces per service a run may ask for.
const MAX_TRACES_PER_SERVICE: u32 = 1000;

fn not_configured(b: Backend) -> StepError {
    StepError::from(BackendError::not_configured(b))
}

fn warn(w: Vec<String>) -> Option<String> {
    (!w.is_empty()).then(|| format!("partial data: {}", w.join("; ")))
}

pub async fn audit(settings: &Settings, args: &AuditArgs) -> Result<Report> {
    let rb = runbook::load("audit", settings.runbooks_dir.as_deref())?;
    rb.validate(STEPS, VARS, "audit runbook")?;
    let labels: LabelNames = rb.labels(settings.profile).cloned().ok_or_else(|| {
        UsageError::new(format!(
            "audit runbook: no labels for profile {}",
            settings.profile.name()
        ))
    })?;
    let per_service = match args.traces_per_service {
        Some(n) => n,
        None => settings
            .threshold("traces_per_service", rb.threshold("traces_per_service"))
            .clamp(1.0, f64::from(MAX_TRACES_PER_SERVICE)) as u32,
    };
    if !(1..=MAX_TRACES_PER_SERVICE).contains(&per_service) {
        return Err(UsageError::new(format!(
            "--traces-per-service must be between 1 and {MAX_TRACES_PER_SERVICE}, got {per_service}"
        ))
        .into());
    }
    let max_services = settings
        .threshold("max_services", rb.threshold("max_services"))
        .max(1.0) as usize;
    let mut p = params(&rb, settings, args);

    // Before the first request: what the bundle records is scrubbed of sensitive values.
    // Every command's bundle is masked already; audit adds IP addresses with --detect-ips.
    crate::investigate::bundle::mask(settings, p.detect_ips)?;

    let log = StepLog::new(settings.progress, settings.command_timeout);
    // From a kubeconfig alone: Prometheus or the trace store with no URL is reached through the
    // API server when discovery finds its Service (issue #17); before any client is made.
    let stack = if crate::investigate::discovery::wanted(settings) {
        Some(crate::investigate::discovery::before(settings, &log, 0).await)
    } else {
        None
    };
    // The cluster the policy's sources are read from, and the namespace it settles (the
    // kubeconfig context's, unless -n or the config context names one), as the investigations'.
    let kube = match settings.kube_available {
        true => Some(settings.kube().await),
        false => None,
    };
    if let Some(Ok(k)) = &kube
        && settings.kubernetes.namespace.is_none()
    {
        p.namespace = k.default_namespace().to_string();
    }
    let stack_ns = stack
        .and_then(|s| s.namespace)
        .or_else(|| settings.stack_namespace.clone());
    let at = settings.clock.now();
    let lookback = settings.lookback;
    let start = at - jiff::SignedDuration::try_from(lookback).unwrap_or_default();
    let jaeger = settings.trace_store();
    p.at = at.to_string();
    p.trace_query = format!(
        "GET /api/traces?service={{service}}&lookback={}&limit={per_service}",
        crate::clock::format_duration(lookback)
    );
    if let Ok(store) = &jaeger {
        p.trace_source = store.name().to_string();
    }
    p.trace_links = jaeger
        .as_ref()
        .ok()
        .map(|s| s.links(&settings.trace_link_base(s)));
    let mut vars = Vars::new();
    vars.insert("lookback".into(), Value::Duration(lookback));
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    let prom = Prom {
        client: settings.prometheus(),
        rb: &rb,
        settings,
        vars,
        at,
    };
    let title = |id: &str| {
        rb.step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let jaeger_client = || jaeger.as_ref().map_err(|e| StepError::from(e.clone()));

    let services = log
        .run(
            0,
            "services",
            title("services"),
            vec!["GET /api/services".into()],
            async { Ok((jaeger_client()?.services().await?, None)) },
        )
        .shared();

    let dependencies = log.run(
        1,
        "dependencies",
        title("dependencies"),
        vec![format!(
            "GET /api/dependencies?endTs={}&lookback={}",
            at.as_millisecond(),
            lookback.as_millis()
        )],
        async {
            let c = jaeger_client()?;
            Ok((c.dependencies(at, lookback).await?, None))
        },
    );

    let traces = log.run(
        2,
        "traces",
        title("traces"),
        vec![format!("{} (each service)", p.trace_query)],
        async {
            let c = jaeger_client()?;
            let listed = services.clone().await;
            let mut notes = Vec::new();
            let list: Vec<String> = match (&args.service, listed) {
                (Some(s), _) => vec![s.clone()],
                (None, Some(all)) => {
                    if all.len() > max_services {
                        notes.push(format!(
                            "audited the first {max_services} of {} services (threshold \
                             max_services, or use --service)",
                            all.len()
                        ));
                    }
                    all.into_iter().take(max_services).collect()
                }
                (None, None) => {
                    return Err(StepError::Failed(
                        "no service list from Jaeger (the services step failed); hint: pass \
                         --service"
                            .into(),
                    ));
                }
            };
            let sample = traces::search(c, &list, start, at, per_service, &mut notes).await?;
            Ok((sample, warn(notes)))
        },
    );

    let coverage = log.run(
        3,
        "coverage",
        title("coverage"),
        ["services", "operations", "edges"]
            .iter()
            .filter_map(|n| prom.query("coverage", n).ok())
            .collect(),
        async {
            let (sq, oq, eq) = (
                prom.query("coverage", "services")?,
                prom.query("coverage", "operations")?,
                prom.query("coverage", "edges")?,
            );
            let svc = labels.service.as_str();
            let (by_svc, by_op, by_dep) = (
                [svc],
                [svc, labels.operation.as_str()],
                [svc, labels.dependency.as_str()],
            );
            let (s, o, e) = futures::join!(
                prom.rows(&sq, &by_svc),
                prom.rows(&oq, &by_op),
                prom.rows(&eq, &by_dep),
            );
            let (s, mut w) = s?;
            let (o, w2) = o?;
            let (e, w3) = e?;
            w.extend(w2);
            w.extend(w3);
            let pair = |mut k: Vec<String>| {
                let b = k.pop().unwrap_or_default();
                (k.pop().unwrap_or_default(), b)
            };
            let m = MetricEvidence {
                services: MetricRows {
                    query: sq,
                    rows: s
                        .into_iter()
                        .map(|(mut k, v)| (k.pop().unwrap_or_default(), v))
                        .collect(),
                },
                operations: MetricRows {
                    query: oq,
                    rows: o.into_iter().map(|(k, v)| (pair(k), v)).collect(),
                },
                edges: MetricRows {
                    query: eq,
                    rows: e.into_iter().map(|(k, v)| (pair(k), v)).collect(),
                },
            };
            // Jaeger's stored operations of the traced services the metrics list operations of.
            let ops = match (jaeger.as_ref(), services.clone().await) {
                (Ok(c), Some(known)) => {
                    let wanted: BTreeSet<&str> = m
                        .operations
                        .rows
                        .iter()
                        .map(|((s, _), _)| s.as_str())
                        .filter(|s| known.iter().any(|k| k == s))
                        .filter(|s| args.service.as_deref().is_none_or(|only| only == *s))
                        .take(max_services)
                        .collect();
                    traces::operations(c, wanted, &mut w).await
                }
                _ => BTreeMap::new(),
            };
            Ok(((m, ops), warn(w)))
        },
    );

    // The policy services are held to, from the sources data-loss reads (issue #17).
    let sources = Sources {
        settings,
        kube: kube.as_ref().and_then(|k| k.as_ref().ok()),
        ns: &p.namespace,
        stack_ns: stack_ns.as_deref(),
    };
    let collector_ns = stack_ns.as_deref().unwrap_or(&p.namespace);
    let collector_cm = format!("{COLLECTOR_NAME}-config");
    let mut shown = sources.shown();
    if settings.sampling.is_none() {
        let at = shown.len().saturating_sub(1);
        shown.splice(
            at..at,
            [
                collector_mounts_shown(collector_ns),
                format!(
                    "kubectl get configmap {collector_cm} -n {collector_ns} -o yaml  # the Collector's sampler processors"
                ),
            ],
        );
    }
    let policy = log.run(
        4,
        "sampling-policy",
        title("sampling-policy"),
        shown,
        async {
            let k = match (&kube, &settings.sampling) {
                (_, Some(_)) | (Some(Ok(_)), None) => sources.kube,
                (Some(Err(e)), None) => return Err(StepError::from(e.clone())),
                (None, None) => {
                    return Err(StepError::Skipped(
                        "kubernetes not configured: the guide's defaults apply".into(),
                    ));
                }
            };
            let collector = async {
                match (k, &settings.sampling) {
                    (Some(k), None) => {
                        Some(collector_configmap(k, collector_ns, COLLECTOR_NAME).await)
                    }
                    _ => None,
                }
            };
            let (configmap, collector) = futures::join!(sources.sampling_configmap(), collector);
            // The first place the policy lives could not be read: which policy holds is
            // unknown, and the step says why rather than judging by a lower source.
            if let Some((_, Err(e))) = &configmap {
                return Err(StepError::from(e.clone()));
            }
            let mut notes = Vec::new();
            let collector = match collector {
                // The Collector's config is only a fallback source here: its absence is no news.
                Some((_, Ok(None))) | None => None,
                Some((name, got)) => collector_text(collector_ns, &name, got)
                    .map_err(|n| notes.push(n))
                    .ok(),
            };
            let policy = sources
                .policy(configmap, collector.as_ref(), &mut notes)
                .await
                .unwrap_or_default();
            Ok((policy, warn(notes)))
        },
    );

    let sampling = log.run(
        5,
        "sampling",
        title("sampling"),
        prom.query("sampling", "ratio").ok().into_iter().collect(),
        async {
            let q = prom.query("sampling", "ratio")?;
            let (rows, w) = prom.rows(&q, &[&labels.service]).await?;
            Ok((
                MetricRows {
                    query: q,
                    rows: rows
                        .into_iter()
                        .map(|(mut k, v)| (k.pop().unwrap_or_default(), v))
                        .collect(),
                },
                warn(w),
            ))
        },
    );

    // Spans lost on their way to storage: what tells a fragment of lost data from a dropped
    // context (issue 20).
    let span_loss = log.run(
        6,
        "span-loss",
        title("span-loss"),
        ["lost", "offered"]
            .iter()
            .filter_map(|n| prom.query("span-loss", n).ok())
            .collect(),
        async {
            let (lq, oq) = (
                prom.query("span-loss", "lost")?,
                prom.query("span-loss", "offered")?,
            );
            let (lost, offered) = futures::join!(prom.rows(&lq, &[]), prom.rows(&oq, &[]));
            let ((lost, mut w), (offered, w2)) = (lost?, offered?);
            w.extend(w2);
            let first = |rows: &[(Vec<String>, f64)]| rows.first().map_or(0.0, |r| r.1);
            Ok((
                analysis::SpanLoss {
                    lost: first(&lost),
                    offered: first(&offered),
                    query: format!("{lq} / {oq}"),
                },
                warn(w),
            ))
        },
    );

    let (listed, deps, sample, coverage, policy, sampling, span_loss) = futures::join!(
        services.clone(),
        dependencies,
        traces,
        coverage,
        policy,
        sampling,
        span_loss
    );
    drop(services);
    if let Some(policy) = policy {
        p.policy = policy;
    }
    let sampled = sample.is_some();
    let sample = sample.unwrap_or_default();
    let (metrics, jaeger_operations) = match coverage {
        Some((m, ops)) => (Some(m), ops),
        None => (None, BTreeMap::new()),
    };
    let evidence = AuditEvidence {
        traces: sample.traces,
        searched: sample.searched,
        jaeger_services: listed,
        dependencies: deps,
        jaeger_operations,
        metrics,
        sampling,
        span_loss,
    };
    let evidence_empty = evidence.traces.is_empty();
    let findings = analysis::audit(&evidence, &p, args.service.as_deref());
    let mut report = Report::new(
        "audit",
        Target {
            service: args.service.clone(),
            operation: None,
        },
        at.to_string(),
        crate::clock::format_duration(lookback),
    );
    report.steps = log.into_steps();
    report.finish(findings);
    let diagnosis = analysis::diagnosis(&report.findings).or_else(|| {
        // The searches answered, with nothing to audit: say so rather than "no problem found".
        (sampled && evidence_empty).then(|| {
            format!(
                "no trace of {} in the last {}: nothing to audit",
                args.service.as_deref().unwrap_or("any service"),
                crate::clock::format_duration(lookback)
            )
        })
    });
    if let Some(d) = diagnosis {
        let failed: Vec<&str> = report
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Failed)
            .map(|s| s.id.as_str())
            .collect();
        report.diagnosis = if failed.is_empty() {
            d
        } else {
            format!("{d} (incomplete: {} failed)", failed.join(", "))
        };
    }
    sensitive::redact_report(&mut report, p.detect_ips);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::audit::AuditParams;

    #[test]
    fn the_runbook_validates_and_its_defaults_are_the_params_defaults() {
        let rb = runbook::load("audit", None).unwrap();
        rb.validate(STEPS, VARS, "audit").unwrap();
        let d = AuditParams::default();
        for (key, value) in [
            ("max_spans_per_trace", d.max_spans_per_trace as f64),
            ("max_events_per_span", d.max_events_per_span as f64),
            ("baggage_max_bytes", d.baggage_max_bytes as f64),
            ("name_variants", d.name_variants as f64),
            ("max_names_per_service", d.max_names_per_service as f64),
            ("sampling_tolerance", d.sampling_tolerance),
            ("score_critical", d.weight_critical),
            ("score_warning", d.weight_warning),
            ("score_info", d.weight_info),
            ("traces_per_service", 50.0),
            ("span_loss_min_ratio", d.span_loss_min_ratio),
            ("span_loss_factor", d.span_loss_factor),
        ] {
            assert_eq!(rb.threshold(key), value, "{key}");
        }
        for kind in [
            "uninstrumented_service",
            "missing_entry_points",
            "uninstrumented_operation",
            "generic_span_name",
            "high_cardinality_span_name",
            "inconsistent_span_name",
            "missing_attribute",
            "excessive_events",
            "broken_propagation",
            "baggage_too_large",
            "sampling_off_policy",
            "sampling_inconsistent",
            "sensitive_data",
            "span_loss_fragments",
            "audit_score",
        ] {
            assert!(rb.findings.contains_key(kind), "{kind} has no explain text");
        }
        assert_eq!(rb.findings.len(), 15, "a kind documented but never found");
    }
}
