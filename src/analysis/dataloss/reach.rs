//! Can spans reach the Collector? `collector_unreachable` (its probes fail to connect, or no pod
//! of it is ready), `receiver_refused` for an OTLP receiver that pushes back on an empty export,
//! and `network_unreachable` for a port on the path that refuses TCP. The pods' restarts and
//! resources are in `pods.rs`. Pure; tests in `tests.rs`.

use super::{DataLossEvidence, DataLossParams, TcpProbe, TcpTarget};
use crate::model::cluster::{ContainerState, PodInfo};
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

pub(super) fn ready(p: &PodInfo) -> bool {
    p.phase.as_deref() == Some("Running") && p.containers.iter().all(|c| c.ready)
}

fn crash_looping(p: &PodInfo) -> bool {
    p.containers.iter().any(|c| {
        matches!(&c.state, ContainerState::Waiting { reason: Some(r), .. } if r == "CrashLoopBackOff")
    })
}

pub(super) fn probe_evidence(source: &str, query: &str, value: &str) -> Evidence {
    Evidence {
        source: source.into(),
        query: Some(query.into()),
        value: Some(value.into()),
        ..Default::default()
    }
}

/// The Collector's metrics scrape, its empty export and its pods, read together: one
/// `collector_unreachable` with every piece of evidence, or the narrower findings.
pub(super) fn collector_reach(ev: &DataLossEvidence, _p: &DataLossParams) -> Vec<Finding> {
    let name = ev.collector.as_str();
    // Raw: the remediation templates quote it.
    let ns = ev.collector_namespace.as_str();
    let at = [("name", ev.collector.as_str()), ("namespace", ns)];
    let scrape = ev
        .collector_metrics
        .as_ref()
        .and_then(|c| c.scrape.as_ref());
    let export = ev.export.as_ref();
    let pods = ev.pods.as_ref().and_then(|p| p.collector_pods.as_ref());
    let scrape_down = scrape.is_some_and(|(_, r)| matches!(r, Err(e) if e.connect));
    let export_down = export.is_some_and(|e| matches!(&e.result, Err(x) if x.connect));
    let pods_down = pods.filter(|v| !v.is_empty() && v.iter().all(|p| !ready(p)));

    let mut out = Vec::new();
    let mut conditions: Vec<(f64, String)> = Vec::new();
    if scrape_down && export_down {
        conditions.push((
            0.97,
            format!(
                "the Collector {name} is unreachable: neither its metrics endpoint nor its OTLP \
                 receiver accepts connections"
            ),
        ));
    } else if export_down {
        let url = export.map(|e| e.request.clone()).unwrap_or_default();
        conditions.push((
            0.93,
            format!("the Collector's OTLP receiver is unreachable ({url})"),
        ));
    } else if scrape_down && export.is_none() {
        conditions.push((
            0.9,
            format!(
                "the Collector {name} is unreachable: its metrics endpoint accepts no connections"
            ),
        ));
    }
    if let Some(list) = pods_down {
        let looping = list.iter().filter(|p| crash_looping(p)).count();
        conditions.push((
            0.95,
            format!(
                "no {name} pod is ready ({} pods{})",
                list.len(),
                if looping > 0 {
                    format!(", {looping} in CrashLoopBackOff")
                } else {
                    String::new()
                }
            ),
        ));
    }
    if let Some((score, title)) = conditions
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .cloned()
    {
        let mut f = Finding::new(
            "collector_unreachable",
            Severity::Critical,
            score,
            Subject::default().with_resource(name),
            title,
        )
        .detail(
            "Every service's spans have nowhere to go: SDKs retry for a while, then drop them. \
             The probes run from where tracectl runs.",
        );
        if let Some((url, Err(e))) = scrape {
            f = f.evidence(probe_evidence(
                "collector",
                &format!("GET {url}"),
                &e.message,
            ));
        }
        if let Some(e) = export
            && let Err(x) = &e.result
        {
            f = f.evidence(probe_evidence("collector", &e.request, &x.message));
        }
        if let Some(list) = pods_down {
            for p in list.iter().take(3) {
                f = f.evidence(probe_evidence(
                    "kubernetes",
                    &format!("pods -n {} -l app={name}", ev.collector_namespace),
                    &format!("{}: {}", p.name, pod_state(p)),
                ));
            }
        }
        f = f
            .remediation(remedy("collector_unreachable", "pods", &at))
            .remediation(remedy("collector_unreachable", "why", &at))
            .remediation(remedy("collector_unreachable", "restart", &at));
        out.push(f);
    }

    if scrape_down
        && !export_down
        && export.is_some()
        && let Some((url, Err(e))) = scrape
    {
        out.push(
            Finding::new(
                "network_unreachable",
                Severity::Warning,
                0.4,
                Subject::default()
                    .with_dependency(name)
                    .with_resource("network"),
                format!(
                    "the Collector's metrics endpoint {url} accepts no connections (its OTLP \
                     receiver does)"
                ),
            )
            .detail("No span is lost by this, but the Collector's own metrics cannot be read.")
            .evidence(probe_evidence(
                "collector",
                &format!("GET {url}"),
                &e.message,
            ))
            .remediation(remedy("network_unreachable", "telemetry-config", &[])),
        );
    }

    if let Some(e) = export {
        match &e.result {
            Err(x) if !x.connect => {
                if let Some(code) = x.status {
                    out.extend(export_status(ev, &e.request, code, &x.message));
                }
            }
            Ok(ack) if ack.rejected_spans > 0 || ack.error_message.is_some() => {
                out.push(
                    Finding::new(
                        "receiver_refused",
                        Severity::Warning,
                        0.5,
                        Subject::default().with_resource("receiver/otlp"),
                        format!(
                            "the OTLP receiver answers an empty export with a partial success: {}",
                            ack.error_message.clone().unwrap_or_else(|| format!(
                                "{} spans rejected",
                                ack.rejected_spans
                            ))
                        ),
                    )
                    .detail("A healthy receiver accepts an empty export in full.")
                    .evidence(probe_evidence(
                        "collector",
                        &e.request,
                        &format!("HTTP {}", ack.status),
                    ))
                    .remediation(remedy(
                        "receiver_refused",
                        "receiver-errors",
                        &at,
                    )),
                );
            }
            _ => {}
        }
    }
    out
}

/// An OTLP receiver that answered the empty export with an error status.
fn export_status(ev: &DataLossEvidence, request: &str, code: u16, message: &str) -> Vec<Finding> {
    let name = ev.collector.as_str();
    // Raw: the remediation templates quote it.
    let ns = ev.collector_namespace.as_str();
    let at = [("name", ev.collector.as_str()), ("namespace", ns)];
    let f = match code {
        // OTLP/HTTP: 503 and 429 are the receiver pushing back (retryable), per the spec.
        503 | 429 => Finding::new(
            "receiver_refused",
            Severity::Critical,
            0.85,
            Subject::default().with_resource("receiver/otlp"),
            format!("the Collector's OTLP receiver refuses even an empty export: HTTP {code}"),
        )
        .detail(
            "503/429 from an OTLP receiver is the pipeline behind it pushing back: memory_limiter \
             refusing, or an exporter queue with no room. Senders retry, then drop.",
        ),
        401 | 403 => return Vec::new(),
        _ => Finding::new(
            "collector_unreachable",
            Severity::Critical,
            0.85,
            Subject::default().with_resource(name),
            format!("{request} is not an OTLP/HTTP receiver: HTTP {code}"),
        )
        .detail(
            "Senders using this URL lose every span: a wrong path or port, a proxy in the way, or \
             the receiver's http protocol not enabled (receivers.otlp.protocols.http).",
        ),
    };
    vec![{
        let kind = f.kind.clone();
        f.evidence(probe_evidence("collector", request, message))
            .remediation(remedy(&kind, "refusal-log", &at))
    }]
}

pub(super) fn network(ev: &DataLossEvidence, probes: &[TcpProbe]) -> Vec<Finding> {
    let export_down = ev
        .export
        .as_ref()
        .is_some_and(|e| matches!(&e.result, Err(x) if x.connect));
    // Raw: the remediation templates quote it.
    let ns = ev.collector_namespace.as_str();
    let mut out = Vec::new();
    for probe in probes {
        let Err(reason) = &probe.result else { continue };
        let (owner, severity, score, why) = match probe.target {
            // Part of the collector_unreachable finding already.
            TcpTarget::Collector if export_down => continue,
            TcpTarget::Collector => (
                ev.collector.as_str(),
                Severity::Critical,
                0.8,
                format!("Senders configured for {} lose every span.", probe.what),
            ),
            TcpTarget::Jaeger => (
                ev.jaeger.as_str(),
                Severity::Warning,
                0.55,
                "A Collector exporter or agent writing to Jaeger's gRPC collector port fails every \
                 send."
                    .to_string(),
            ),
        };
        out.push(
            Finding::new(
                "network_unreachable",
                severity,
                score,
                Subject::default()
                    .with_dependency(owner)
                    .with_resource("network"),
                format!(
                    "{} port {} does not accept connections: {reason}",
                    probe.what, probe.addr
                ),
            )
            .detail(format!(
                "{why} The probe runs from where tracectl runs; a NetworkPolicy between the pods \
                 is not seen from here."
            ))
            .evidence(probe_evidence(
                "network",
                &format!("tcp connect {}", probe.addr),
                reason,
            ))
            .remediation(remedy(
                "network_unreachable",
                "ports",
                &[("address", &probe.addr), ("namespace", ns)],
            ))
            .remediation(remedy(
                "network_unreachable",
                "policies",
                &[("namespace", ns)],
            )),
        );
    }
    out
}

pub(super) fn pod_state(p: &PodInfo) -> String {
    let mut parts = vec![p.phase.clone().unwrap_or_else(|| "Unknown".into())];
    for c in &p.containers {
        let state = match &c.state {
            ContainerState::Waiting { reason, .. } => {
                reason.clone().unwrap_or_else(|| "Waiting".into())
            }
            ContainerState::Running { .. } => "Running".into(),
            ContainerState::Terminated(t) => {
                t.reason.clone().unwrap_or_else(|| "Terminated".into())
            }
            ContainerState::Unknown => "Unknown".into(),
        };
        parts.push(format!(
            "{} {state}, ready={}, restarts={}",
            c.name, c.ready, c.restart_count
        ));
    }
    parts.join("; ")
}
