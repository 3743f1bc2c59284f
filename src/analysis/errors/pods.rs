//! Pod health as a cause of errors: OOM kills, crash loops and restarts from the pods' container
//! statuses; failed probes and evictions from their events.
//!
//! Pure: [`pod_health_findings`] takes plain data ([`PodHealthEvidence`], unix seconds, converted
//! from the Kubernetes backend's types at the command's edge) and returns findings with scores in
//! [0, 1]. A pod's current state says what is happening now; its last termination says why it
//! restarted, and only terminations inside the lookback count. Not here: fetching pods or events,
//! or choosing which pods belong to the service (`crate::investigate::errors`).
//! Tests: `tests.rs`.

use std::collections::BTreeMap;

use crate::analysis::common::{Situation, fmt_time, hhmm, shell_word};
use crate::report::{Evidence, Finding, Remediation, Severity, Subject};
use crate::runbook::kinds::remedy;

const MIB: f64 = 1_048_576.0;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerHealth {
    pub name: String,
    pub restarts: i32,
    /// `CrashLoopBackOff`, `ImagePullBackOff`, ... while the container is waiting.
    pub waiting_reason: Option<String>,
    /// Why the previous instance ended (`OOMKilled`, `Error`), its exit code and when.
    pub last_reason: Option<String>,
    pub last_exit_code: Option<i32>,
    pub last_finished: Option<f64>,
    /// The memory limit as the pod spec spells it (`512Mi`).
    pub memory_limit: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodHealth {
    pub name: String,
    pub containers: Vec<ContainerHealth>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodEvent {
    /// The involved object (a pod of the service).
    pub object: String,
    pub reason: String,
    pub message: String,
    pub count: i32,
    /// Unix seconds.
    pub last_seen: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodHealthEvidence {
    /// The label selector the pods were listed by.
    pub selector: String,
    pub pods: Vec<PodHealth>,
    /// Events of the service's pods.
    pub events: Vec<PodEvent>,
}

/// A Kubernetes quantity (`512Mi`, `1.5Gi`, `500M`, `128974848`) in bytes.
pub fn parse_quantity(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => MIB,
        "Gi" => MIB * 1024.0,
        "Ti" => MIB * MIB,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "m" => 1e-3,
        _ => return None,
    };
    Some(n * factor)
}

/// OOM kills, crash loops, restarts, failed probes and evictions of the service's pods.
/// `memory_peak`: (pod, bytes) peak working set from Prometheus, for the limit to raise to.
pub fn pod_health_findings(
    s: &Situation,
    ev: &PodHealthEvidence,
    memory_peak: &[(String, f64)],
) -> Vec<Finding> {
    let svc = s.service;
    // Raw: the remediation templates quote it.
    let ns = s.namespace;
    let deploy = s
        .deployment
        .map(|d| d.name.clone())
        .unwrap_or_else(|| svc.to_string());
    // Scrape and event lag: a termination a minute after `now` is still this incident.
    let in_window = |t: f64| t >= s.now - s.lookback && t <= s.now + 60.0;
    let events_in_window: Vec<&PodEvent> = ev
        .events
        .iter()
        .filter(|e| in_window(e.last_seen))
        .collect();
    let liveness_kills = |pod: &str| {
        events_in_window
            .iter()
            .filter(|e| {
                e.object == pod
                    && ((e.reason == "Unhealthy" && e.message.starts_with("Liveness probe failed"))
                        || (e.reason == "Killing" && e.message.contains("failed liveness probe")))
            })
            .map(|e| e.count.max(1))
            .sum::<i32>()
    };
    let pod_query = |pod: &str| {
        format!(
            "kubectl get pod {} -n {} -o jsonpath='{{.status.containerStatuses}}'",
            shell_word(pod),
            shell_word(ns)
        )
    };
    let mut out = Vec::new();
    for pod in &ev.pods {
        for c in &pod.containers {
            let crash = c.waiting_reason.as_deref() == Some("CrashLoopBackOff");
            let recent = c.restarts > 0 && c.last_finished.is_some_and(in_window);
            let oom = recent && c.last_reason.as_deref() == Some("OOMKilled");
            let last = match (&c.last_reason, c.last_exit_code) {
                (Some(r), Some(code)) => format!("{r}, exit code {code}"),
                (Some(r), None) => r.clone(),
                (None, Some(code)) => format!("exit code {code}"),
                (None, None) => "unknown".into(),
            };
            let state = format!(
                "restartCount={}, lastState.terminated={last}{}{}",
                c.restarts,
                c.last_finished
                    .map(|t| format!(" at {}", fmt_time(t)))
                    .unwrap_or_default(),
                c.waiting_reason
                    .as_deref()
                    .map(|w| format!(", waiting: {w}"))
                    .unwrap_or_default()
            );
            let evidence = Evidence {
                source: "kubernetes".into(),
                query: Some(pod_query(&pod.name)),
                value: Some(state),
                at: c.last_finished.map(fmt_time),
                link: None,
                via: None,
            };
            let subject = Subject::service(svc).with_pod(&pod.name);
            if oom {
                // An OOM kill in the window is a direct cause: every kill drops the requests in
                // flight. Above memory pressure (at most 0.9), which is the same cause seen
                // before it strikes; more restarts, more certainty.
                let score = 0.88 + 0.05 * (f64::from(c.restarts.min(5)) / 5.0);
                let limit = c.memory_limit.as_deref().and_then(parse_quantity);
                let peak = memory_peak
                    .iter()
                    .filter(|(p, _)| p == &pod.name)
                    .map(|(_, b)| *b)
                    .fold(f64::NAN, f64::max);
                let mut f = Finding::new(
                    "oom_killed",
                    if s.active || crash {
                        Severity::Critical
                    } else {
                        Severity::Warning
                    },
                    score,
                    subject.clone().with_resource("memory"),
                    format!(
                        "{}: container {} was OOMKilled at {} ({} restarts{})",
                        pod.name,
                        c.name,
                        c.last_finished.map(hhmm).unwrap_or_default(),
                        c.restarts,
                        if crash {
                            ", now in CrashLoopBackOff"
                        } else {
                            ""
                        }
                    ),
                )
                .detail(format!(
                    "The kernel killed the container for exceeding its memory limit{}; the requests it held failed, and the pod serves nothing while it restarts.",
                    c.memory_limit
                        .as_deref()
                        .map(|l| format!(" of {l}"))
                        .unwrap_or_default()
                ))
                .evidence(evidence);
                f = f.remediation(raise_memory(&deploy, &c.name, ns, limit, peak));
                f = f.remediation(remedy("oom_killed", "find-leak", &[]));
                out.push(f);
            } else if crash || recent {
                let kills = liveness_kills(&pod.name);
                // A crash loop takes a pod out of service again and again; a few restarts
                // without one are a weaker sign.
                let score = if crash { 0.8 } else { 0.6 };
                let mut detail = if crash {
                    format!(
                        "The container keeps exiting ({last}); Kubernetes waits longer before each restart, so the pod is out of service most of the time."
                    )
                } else {
                    format!("The container restarted within the lookback ({last}).")
                };
                if kills > 0 {
                    detail.push_str(&format!(
                        " Its liveness probe failed {kills} times: the kubelet killed it."
                    ));
                }
                out.push(
                    Finding::new(
                        "crash_loop",
                        if crash && s.active {
                            Severity::Critical
                        } else {
                            Severity::Warning
                        },
                        score,
                        subject,
                        format!(
                            "{}: container {} {} ({} restarts, last: {last})",
                            pod.name,
                            c.name,
                            if crash {
                                "is in CrashLoopBackOff"
                            } else {
                                "restarted"
                            },
                            c.restarts
                        ),
                    )
                    .detail(detail)
                    .evidence(evidence)
                    .remediation(remedy(
                        "crash_loop",
                        "previous-log",
                        &[
                            ("pod", &pod.name),
                            ("container", &c.name),
                            ("namespace", ns),
                        ],
                    )),
                );
            }
        }
    }

    // Probe failures, by probe kind; evictions, by message.
    let mut probes: BTreeMap<&str, (i32, Vec<&str>, &PodEvent)> = BTreeMap::new();
    let mut evictions: BTreeMap<&str, (Vec<&str>, &PodEvent)> = BTreeMap::new();
    for e in &events_in_window {
        if e.reason == "Unhealthy" {
            let kind = ["Liveness", "Readiness", "Startup"]
                .into_iter()
                .find(|k| e.message.starts_with(k))
                .unwrap_or("Health");
            let p = probes.entry(kind).or_insert((0, Vec::new(), e));
            p.0 += e.count.max(1);
            if !p.1.contains(&e.object.as_str()) {
                p.1.push(&e.object);
            }
        } else if e.reason == "Evicted" {
            let m = evictions
                .entry(e.message.as_str())
                .or_insert((Vec::new(), e));
            if !m.0.contains(&e.object.as_str()) {
                m.0.push(&e.object);
            }
        }
    }
    let event_query = format!(
        "kubectl get events -n {} --field-selector involvedObject.kind=Pod --sort-by=.lastTimestamp",
        shell_word(ns)
    );
    for (kind, (count, pods, example)) in probes {
        let one = pods.len() == 1;
        let mut subject = Subject::service(svc);
        if one {
            subject = subject.with_pod(pods[0]);
        }
        out.push(
            Finding::new(
                "probe_failure",
                Severity::Warning,
                // Readiness failures shift load (and errors) onto the other pods; liveness
                // failures restart the pod, which crash_loop reports with more weight.
                if kind == "Liveness" { 0.55 } else { 0.5 },
                subject,
                format!(
                    "{kind} probe of {} failed {count} times",
                    if one {
                        pods[0].to_string()
                    } else {
                        format!("{} pods of {svc}", pods.len())
                    }
                ),
            )
            .detail(format!("Last message: {}", example.message))
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some(event_query.clone()),
                value: Some(format!(
                    "{} {}: {}",
                    example.reason, example.object, example.message
                )),
                at: Some(fmt_time(example.last_seen)),
                link: None,
                via: None,
            })
            .remediation(remedy(
                "probe_failure",
                "describe",
                &[("pod", pods[0]), ("namespace", ns)],
            )),
        );
    }
    for (message, (pods, example)) in evictions {
        let memory = message.to_ascii_lowercase().contains("memory");
        let mut subject = Subject::service(svc);
        if pods.len() == 1 {
            subject = subject.with_pod(pods[0]);
        }
        if memory {
            subject = subject.with_resource("memory");
        }
        out.push(
            Finding::new(
                "pod_evicted",
                Severity::Warning,
                0.6,
                subject,
                format!("{} of {svc}'s pods evicted: {message}", pods.len()),
            )
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some(event_query.clone()),
                value: Some(format!("Evicted {}: {message}", pods.join(", "))),
                at: Some(fmt_time(example.last_seen)),
                link: None,
                via: None,
            })
            .remediation(remedy(
                "pod_evicted",
                if memory {
                    "memory-request"
                } else {
                    "node-pressure"
                },
                &[("deployment", &deploy), ("pod", pods[0]), ("namespace", ns)],
            )),
        );
    }
    out
}

/// The memory limit to raise to: half again the larger of the current limit and the observed
/// peak (an OOM-killed container needed more than its limit, so the peak alone understates it),
/// rounded up to 64 MiB.
fn raise_memory(
    deploy: &str,
    container: &str,
    ns: &str,
    limit: Option<f64>,
    peak: f64,
) -> Remediation {
    let base = match (limit, peak.is_finite() && peak > 0.0) {
        (Some(l), true) => Some(l.max(peak)),
        (Some(l), false) => Some(l),
        (None, true) => Some(peak),
        (None, false) => None,
    };
    let Some(base) = base else {
        return remedy(
            "oom_killed",
            "raise-limit-unknown",
            &[
                ("deployment", deploy),
                ("container", container),
                ("namespace", ns),
            ],
        );
    };
    let to = ((base * 1.5 / MIB) / 64.0).ceil() * 64.0;
    let mut basis = Vec::new();
    if let Some(l) = limit {
        basis.push(format!("limit {:.0}Mi", l / MIB));
    }
    if peak.is_finite() && peak > 0.0 {
        basis.push(format!("observed peak {:.0}Mi", peak / MIB));
    }
    remedy(
        "oom_killed",
        "raise-limit",
        &[
            ("deployment", deploy),
            ("container", container),
            ("namespace", ns),
            ("limit", &format!("{to:.0}Mi")),
            ("basis", &basis.join(", ")),
        ],
    )
}
