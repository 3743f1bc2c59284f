//! `tracectl investigate alerts`: start from what is firing. Read the firing alerts from
//! Alertmanager (API v2), map each to a runbook and a service through the runbooks' `alerts:`
//! rules, run those investigations concurrently, and print one combined report: one section per
//! (runbook, service) — its steps prefixed `Alert/service: `, its findings' titles too — and the
//! alerts no runbook answers as `info` findings of kind `unmatched_alert`.
//!
//! Matching is [`crate::runbook::alerts`]'s. Alerts that map to the same (runbook, service,
//! namespace) are investigated once. An alert about a Kubernetes object (kube-prometheus') names
//! its namespace: its investigation runs there (`Alert/NS/service: `), whatever `-n` says. Not here: the investigations themselves, or the rules. Tests: below (how a
//! section is labelled and argued), `runbook/alerts.rs` (routing) and `tests/it/alerts.rs` (a real
//! Alertmanager with alerts the test posts).

use super::StepLog;
use crate::backends::alertmanager::{Alert, AlertQuery, AlertmanagerClient};
use crate::cli::AlertsArgs;
use crate::error::{Backend, BackendError, UsageError};
use crate::report::{Evidence, Finding, Report, Severity, Step, Subject, Target};
use crate::runbook::alerts::{AlertRules, Route};
use crate::runbook::kinds::remedy;
use crate::settings::Settings;
use anyhow::Result;
use clap::{Args, Parser};
use futures::StreamExt;

/// How many investigations run at once.
const CONCURRENCY: usize = 4;

/// Alerts that map to one investigation.
#[derive(Debug, Clone)]
struct Section {
    runbook: String,
    service: Option<String>,
    /// The alert's namespace, for alerts about a Kubernetes object (the rule's
    /// `namespace_label`): the investigation runs there. `None`: in `-n`.
    namespace: Option<String>,
    alerts: Vec<Alert>,
}

impl Section {
    /// `HighLatency/checkout`: what prefixes its steps and findings.
    fn label(&self) -> String {
        let mut names: Vec<&str> = self.alerts.iter().map(|a| a.name()).collect();
        names.dedup();
        let names = if names.iter().all(|n| n.is_empty()) {
            "(unnamed alert)".to_string()
        } else {
            names.join(",")
        };
        match (&self.namespace, &self.service) {
            (Some(ns), Some(s)) => format!("{names}/{ns}/{s}"),
            (None, Some(s)) => format!("{names}/{s}"),
            (_, None) => names,
        }
    }

    /// The investigation's own command line, which is also how its arguments are built.
    fn argv(&self) -> Vec<String> {
        let mut v = vec![
            "tracectl".to_string(),
            "investigate".into(),
            self.runbook.clone(),
        ];
        if let Some(s) = &self.service {
            v.extend(["--service".to_string(), s.clone()]);
        }
        v
    }
}

/// Parses an investigation's arguments the way the command line does, so every default is the
/// command's own.
#[derive(Parser)]
struct Argv<A: Args> {
    #[command(flatten)]
    args: A,
}

fn parse<A: Args>(argv: &[String]) -> Result<A> {
    Ok(Argv::<A>::try_parse_from(argv.iter().skip(2))?.args)
}

/// Run the investigation a section maps to. `None`: no investigation of that runbook exists.
async fn investigate(settings: &Settings, s: &Section) -> Option<Result<Report>> {
    let argv = s.argv();
    // The alert names where its object lives: that wins over -n, as the object is there.
    let in_ns;
    let settings = match &s.namespace {
        Some(ns) if *ns != settings.namespace => {
            let mut copy = settings.clone();
            copy.namespace = ns.clone();
            copy.kubernetes.namespace = Some(ns.clone());
            in_ns = copy;
            &in_ns
        }
        _ => settings,
    };
    Some(match s.runbook.as_str() {
        "latency" => match parse(&argv) {
            Ok(a) => super::latency::investigate(settings, &a).await,
            Err(e) => Err(e),
        },
        "errors" => match parse(&argv) {
            Ok(a) => super::errors::investigate(settings, &a).await,
            Err(e) => Err(e),
        },
        "data-loss" => match parse(&argv) {
            Ok(a) => super::dataloss::investigate(settings, &a).await,
            Err(e) => Err(e),
        },
        _ => return None,
    })
}

pub async fn investigate_alerts(settings: &Settings, args: &AlertsArgs) -> Result<Report> {
    let log = StepLog::new(settings.progress, settings.command_timeout);
    // From a kubeconfig alone: Alertmanager with no URL is reached through the API server when
    // discovery finds its Service (issue #17); the runbooks it routes to then need no discovery.
    if super::discovery::wanted_for(settings, &[Backend::Alertmanager]) {
        super::discovery::before(settings, &log, 0).await;
    }
    if settings.endpoint(Backend::Alertmanager).is_none() {
        return Err(UsageError::with_hint(
            "investigate alerts reads the firing alerts from Alertmanager, which is not configured",
            "pass --alertmanager-url (or TRACECTL_ALERTMANAGER_URL), or set alertmanager.url in the config context",
        )
        .into());
    }
    let rules = AlertRules::load(settings.runbooks_dir.as_deref())?;
    let at = settings.clock.now();
    let mut query = AlertQuery::firing();
    query.filter = args.filter.clone();
    let shown = format!(
        "GET /api/v2/alerts?active=true&silenced=false&inhibited=false{}",
        query
            .filter
            .iter()
            .map(|f| format!("&filter={f}"))
            .collect::<String>()
    );
    let firing = log
        .run(
            0,
            "alerts",
            "Read the firing alerts from Alertmanager".into(),
            vec![shown.clone()],
            async {
                let ep = settings
                    .endpoint(Backend::Alertmanager)
                    .cloned()
                    .ok_or_else(|| {
                        super::StepError::from(BackendError::not_configured(Backend::Alertmanager))
                    })?;
                let alerts = AlertmanagerClient::new(ep).alerts(&query).await?;
                Ok((alerts, None))
            },
        )
        .await;

    let mut sections: Vec<Section> = Vec::new();
    let mut unmatched: Vec<(Alert, Option<String>)> = Vec::new();
    for a in firing.clone().unwrap_or_default() {
        match rules.route(&a.labels) {
            Route::Runbook {
                runbook,
                service,
                namespace,
            } => {
                match sections.iter_mut().find(|s| {
                    s.runbook == runbook && s.service == service && s.namespace == namespace
                }) {
                    Some(s) => s.alerts.push(a),
                    None => sections.push(Section {
                        runbook,
                        service,
                        namespace,
                        alerts: vec![a],
                    }),
                }
            }
            Route::Unmatched => unmatched.push((a, None)),
        }
    }

    let results: Vec<(Section, Option<Result<Report>>)> = futures::stream::iter(sections)
        .map(|s| async move {
            let r = investigate(settings, &s).await;
            (s, r)
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;

    let mut steps = log.into_steps();
    let mut findings = Vec::new();
    let mut diagnoses = Vec::new();
    let mut targets = Vec::new();
    for (s, result) in results {
        let label = s.label();
        match result {
            None => {
                for a in s.alerts {
                    let why = format!(
                        "runbook {} answers it, but `investigate alerts` cannot run that investigation",
                        s.runbook
                    );
                    unmatched.push((a, Some(why)));
                }
            }
            Some(Ok(report)) => {
                targets.push(report.target.service.clone());
                diagnoses.push(format!("{label}: {}", report.diagnosis));
                for st in report.steps {
                    steps.push(Step {
                        id: format!("{label}: {}", st.id),
                        title: format!("{label}: {}", st.title),
                        ..st
                    });
                }
                for f in report.findings {
                    findings.push(Finding {
                        title: format!("{label}: {}", f.title),
                        ..f
                    });
                }
            }
            Some(Err(e)) => {
                let msg = format!("{e:#}").replace('\n', " ");
                diagnoses.push(format!("{label}: investigation failed"));
                steps.push(Step {
                    id: format!("{label}: investigate {}", s.runbook),
                    title: format!("{label}: {}", s.argv()[1..].join(" ")),
                    status: crate::report::StepStatus::Failed,
                    duration_ms: 0,
                    error: Some(msg),
                    queries: Vec::new(),
                });
            }
        }
    }
    let n_unmatched = unmatched.len();
    for (a, why) in &unmatched {
        findings.push(unmatched_finding(a, why.as_deref(), &shown));
    }

    let service = match targets.as_slice() {
        [Some(s)] => Some(s.clone()),
        _ => None,
    };
    let mut report = Report::new(
        "investigate alerts",
        Target {
            service,
            operation: None,
        },
        at.to_string(),
        crate::clock::format_duration(settings.lookback),
    );
    report.steps = steps;
    report.finish(findings);
    let unmatched_note = match n_unmatched {
        0 => String::new(),
        1 => "1 firing alert matches no runbook".to_string(),
        n => format!("{n} firing alerts match no runbook"),
    };
    report.diagnosis = match &firing {
        // Alertmanager could not be read: the generic diagnosis says which step failed.
        None => report.diagnosis,
        Some(a) if a.is_empty() => "no alert is firing".into(),
        Some(_) if diagnoses.is_empty() => unmatched_note,
        Some(_) if n_unmatched == 0 => diagnoses.join("; "),
        Some(_) => format!("{}; {unmatched_note}", diagnoses.join("; ")),
    };
    Ok(report)
}

fn unmatched_finding(a: &Alert, why: Option<&str>, query: &str) -> Finding {
    let service = a
        .labels
        .get("service_name")
        .or_else(|| a.labels.get("service"))
        .cloned();
    let labels: Vec<String> = a.labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    let subject = Subject {
        service,
        ..Default::default()
    };
    let name = if a.name().is_empty() {
        "(unnamed)"
    } else {
        a.name()
    };
    Finding::new(
        "unmatched_alert",
        Severity::Info,
        0.1,
        subject,
        format!(
            "Alert {name} matches no runbook{}",
            a.summary().map(|s| format!(": {s}")).unwrap_or_default()
        ),
    )
    .detail(format!(
        "{}Labels: {{{}}}; firing since {}.",
        why.map(|w| format!("{w}. ")).unwrap_or_default(),
        labels.join(", "),
        a.starts_at
            .map(|t| t.to_string())
            .unwrap_or_else(|| "an unknown time".into())
    ))
    .evidence(Evidence {
        source: "alertmanager".into(),
        query: Some(query.to_string()),
        value: Some(format!("{{{}}}", labels.join(", "))),
        at: a.starts_at.map(|t| t.to_string()),
        link: a.generator_url.clone(),
        via: None,
    })
    .remediation(remedy("unmatched_alert", "add-rule", &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_labelled_and_argued() {
        let s = Section {
            runbook: "latency".into(),
            service: Some("checkout".into()),
            namespace: None,
            alerts: vec![],
        };
        assert_eq!(
            s.argv(),
            [
                "tracectl",
                "investigate",
                "latency",
                "--service",
                "checkout"
            ]
        );
        let a: crate::cli::LatencyArgs = parse(&s.argv()).unwrap();
        assert_eq!(a.service.as_deref(), Some("checkout"));
        assert_eq!(a.quantile, None);
        let e: crate::cli::ErrorsArgs = parse(&s.argv()).unwrap();
        assert_eq!(e.service.as_deref(), Some("checkout"));
        let d: crate::cli::DataLossArgs = parse(&s.argv()).unwrap();
        assert_eq!(
            d.collector_name, "otel-collector",
            "the command's own defaults"
        );
    }
}
