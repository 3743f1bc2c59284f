//! The latency runbook's reasoning: from the evidence its steps gathered to ranked findings.
//!
//! Pure: [`analyze`] takes plain data ([`LatencyEvidence`], with `None` for a step that failed)
//! and thresholds ([`LatencyParams`]) and returns findings with scores in [0, 1]. Causes outrank
//! the symptom: a change at the onset beats a slow dependency, which beats a slow service; metrics
//! and traces that agree beat either alone. Not here: fetching anything, ranking ties
//! (`report::rank`). Tests: below.

use std::collections::BTreeMap;

use crate::analysis::changepoint::Shift;
use crate::report::{Evidence, Finding, Remediation, Safety, Severity, Subject};

#[derive(Debug, Clone, Default)]
pub struct MetricList {
    pub query: String,
    /// (label value, seconds), worst first.
    pub items: Vec<(String, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct TimeShare {
    pub service: String,
    pub operation: String,
    pub seconds: f64,
    pub share: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Repeated {
    pub parent_service: String,
    pub parent_operation: String,
    pub child_service: String,
    pub child_operation: String,
    /// Largest number of sequential repeats seen under one parent.
    pub count: usize,
    /// In how many of the traces it appears.
    pub traces: usize,
    pub example_trace: String,
}

#[derive(Debug, Clone, Default)]
pub struct TraceEvidence {
    pub query: String,
    pub count: usize,
    pub shares: Vec<TimeShare>,
    pub repeated: Vec<Repeated>,
    /// (trace id, UI link, duration seconds)
    pub examples: Vec<(String, String, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct ResourceEvidence {
    /// Query name → the query, for evidence.
    pub queries: BTreeMap<String, String>,
    /// (pod, ratio) per query name: throttling, cpu_saturation, memory.
    pub ratios: BTreeMap<String, Vec<(String, f64)>>,
    /// (pod, bytes): peak working set.
    pub memory_bytes: Vec<(String, f64)>,
    /// (now, baseline) bytes per second.
    pub network: Option<(f64, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct Revision {
    pub revision: u64,
    /// Unix seconds.
    pub created: f64,
    pub images: Vec<String>,
    pub change_cause: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DeploymentHistory {
    pub name: String,
    /// The service the deployment runs: the target itself, or its slow dependency.
    pub role: String,
    pub replicas: Option<i32>,
    pub containers: Vec<String>,
    pub revisions: Vec<Revision>,
}

#[derive(Debug, Clone, Default)]
pub struct ChangeEvidence {
    pub deployments: Vec<DeploymentHistory>,
    /// (ConfigMap name, unix seconds of its last change)
    pub config_maps: Vec<(String, f64)>,
    /// (commit, unix seconds, subject)
    pub commits: Vec<(String, f64, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct LatencyEvidence {
    pub service: String,
    pub namespace: String,
    pub quantile: f64,
    pub service_query: String,
    pub service_latency: Option<f64>,
    /// (offset, seconds)
    pub baseline: Option<(String, f64)>,
    pub onset: Option<Shift>,
    pub operations: Option<MetricList>,
    pub dependencies: Option<MetricList>,
    pub traces: Option<TraceEvidence>,
    pub resources: Option<ResourceEvidence>,
    pub changes: Option<ChangeEvidence>,
    /// Evaluation time and lookback, unix seconds.
    pub now: f64,
    pub lookback: f64,
}

#[derive(Debug, Clone)]
pub struct LatencyParams {
    pub service_seconds: f64,
    pub operation_seconds: f64,
    pub dependency_seconds: f64,
    pub dependency_share: f64,
    pub throttling_ratio: f64,
    pub cpu_saturation: f64,
    pub memory_ratio: f64,
    pub network_growth: f64,
    pub n_plus_one_repeats: f64,
    pub change_window_seconds: f64,
}

pub fn fmt_time(unix: f64) -> String {
    jiff::Timestamp::from_second(unix as i64)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| format!("{unix}"))
}

fn hhmm(unix: f64) -> String {
    jiff::Timestamp::from_second(unix as i64)
        .map(|t| t.strftime("%H:%M UTC").to_string())
        .unwrap_or_default()
}

pub fn secs(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.1}s")
    } else if v >= 1.0 {
        format!("{v:.2}s")
    } else {
        format!("{:.0}ms", v * 1000.0)
    }
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn prom(query: &str, value: String, at: f64) -> Evidence {
    Evidence {
        source: "prometheus".into(),
        query: Some(query.to_string()),
        value: Some(value),
        at: Some(fmt_time(at)),
        link: None,
    }
}

fn q_label(q: f64) -> String {
    format!("p{}", (q * 100.0).round() as i64)
}

pub fn analyze(ev: &LatencyEvidence, p: &LatencyParams) -> Vec<Finding> {
    let mut out = Vec::new();
    let svc = ev.service.as_str();
    let ql = q_label(ev.quantile);
    let latency = ev.service_latency.filter(|v| v.is_finite());
    let slow = latency.is_some_and(|v| v > p.service_seconds);
    // Causes found while the service is healthy are context, not a diagnosis.
    let damp = |f: Finding| -> Finding {
        if slow {
            f
        } else {
            let mut f = f;
            f.score *= 0.5;
            f.severity = f.severity.min(Severity::Warning);
            f
        }
    };

    if let (Some(lat), true) = (latency, slow) {
        let sev = if lat > 2.0 * p.service_seconds {
            Severity::Critical
        } else {
            Severity::Warning
        };
        let mut detail = format!(
            "{svc} {ql} is {} (threshold {}).",
            secs(lat),
            secs(p.service_seconds)
        );
        if let Some(s) = &ev.onset {
            detail.push_str(&format!(
                " It rose from {} to {} at {}.",
                secs(s.before),
                secs(s.after),
                fmt_time(s.at)
            ));
        }
        if let Some((off, b)) = &ev.baseline {
            detail.push_str(&format!(" {off} ago it was {}.", secs(*b)));
        }
        let mut f = Finding::new(
            "slow_service",
            sev,
            0.45,
            Subject::service(svc),
            format!(
                "{svc} {ql} latency is {} (threshold {})",
                secs(lat),
                secs(p.service_seconds)
            ),
        )
        .detail(detail)
        .evidence(prom(&ev.service_query, format!("{lat:.3}"), ev.now))
        .remediation(Remediation {
            title: "Investigate the higher-ranked causes; if none, the slow operations and traces"
                .into(),
            command: None,
            safety: Safety::AdviceOnly,
        });
        if let Some((off, b)) = &ev.baseline {
            f = f.evidence(prom(
                &format!("{} (offset {off})", ev.service_query),
                format!("{b:.3}"),
                ev.now,
            ));
        }
        out.push(f);
    }

    // Where the traces say the time goes, by service.
    let trace_share_of = |service: &str| -> f64 {
        ev.traces
            .as_ref()
            .map(|t| {
                t.shares
                    .iter()
                    .filter(|s| s.service == service)
                    .map(|s| s.share)
                    .sum()
            })
            .unwrap_or(0.0)
    };
    let trace_link = ev
        .traces
        .as_ref()
        .and_then(|t| t.examples.first())
        .map(|(id, link, d)| Evidence {
            source: "jaeger".into(),
            query: ev.traces.as_ref().map(|t| t.query.clone()),
            value: Some(format!("trace {id} took {}", secs(*d))),
            at: None,
            link: Some(link.clone()),
        });

    let mut explained_by: Option<String> = None;
    if let Some(deps) = &ev.dependencies {
        for (dep, v) in deps.items.iter().take(3) {
            if !v.is_finite() {
                continue;
            }
            let share = latency
                .filter(|l| *l > 0.0)
                .map(|l| (v / l).min(1.0))
                .unwrap_or(0.0);
            let tshare = trace_share_of(dep);
            let over = *v > p.dependency_seconds;
            let explains = slow && share >= p.dependency_share;
            if !over && !explains {
                continue;
            }
            let agree = tshare >= 0.3;
            let score = 0.45 + 0.3 * share + if agree { 0.2 } else { 0.0 };
            let sev = if explains && (over || agree) {
                Severity::Critical
            } else {
                Severity::Warning
            };
            let title = if explains {
                format!(
                    "{dep} calls make up {} of {svc}'s {ql} ({} of {})",
                    pct(share),
                    secs(*v),
                    secs(latency.unwrap_or(0.0))
                )
            } else {
                format!(
                    "calls from {svc} to {dep} are slow: {ql} {} (threshold {})",
                    secs(*v),
                    secs(p.dependency_seconds)
                )
            };
            let mut detail = format!("{ql} of {svc}'s calls to {dep} is {}.", secs(*v));
            if ev.traces.is_some() {
                detail.push_str(&format!(
                    " In the slow traces {dep} holds {} of the critical path{}.",
                    pct(tshare),
                    if agree {
                        ", so metrics and traces agree"
                    } else {
                        ""
                    }
                ));
            }
            let mut f = Finding::new(
                "slow_dependency",
                sev,
                score,
                Subject::service(svc).with_dependency(dep),
                title,
            )
            .detail(detail)
            .evidence(prom(&deps.query, format!("{dep}={v:.3}"), ev.now))
            .remediation(Remediation {
                title: format!("Investigate {dep} itself"),
                command: Some(format!(
                    "tracectl investigate latency --service {} -n {}",
                    shell_word(dep),
                    shell_word(&ev.namespace)
                )),
                safety: Safety::Safe,
            })
            .remediation(Remediation {
                title: format!(
                    "Bound the damage: a timeout and a circuit breaker on {svc}'s calls to {dep}"
                ),
                command: None,
                safety: Safety::AdviceOnly,
            });
            if agree && let Some(e) = trace_link.clone() {
                f = f.evidence(e);
            }
            if explains && explained_by.is_none() {
                explained_by = Some(dep.clone());
            }
            out.push(damp(f));
        }
    }

    if let Some(ops) = &ev.operations {
        for (op, v) in ops.items.iter().take(5) {
            if !v.is_finite() || *v <= p.operation_seconds {
                continue;
            }
            let ratio = (*v / p.operation_seconds / 4.0).min(1.0);
            let f = Finding::new(
                "slow_operation",
                Severity::Warning,
                // More specific than the service-level symptom, less than a cause.
                0.5 + 0.15 * ratio,
                Subject::service(svc).with_operation(op),
                format!(
                    "{svc} operation {op} {ql} is {} (threshold {})",
                    secs(*v),
                    secs(p.operation_seconds)
                ),
            )
            .detail(format!(
                "Of {svc}'s operations, {op} is slow; its traces show where its time goes."
            ))
            .evidence(prom(&ops.query, format!("{op}={v:.3}"), ev.now))
            .remediation(Remediation {
                title: format!("Look at {op}'s critical path"),
                command: Some(format!(
                    "tracectl investigate latency --service {} --operation {} -n {}",
                    shell_word(svc),
                    shell_word(op),
                    shell_word(&ev.namespace)
                )),
                safety: Safety::Safe,
            });
            out.push(damp(f));
        }
    }

    if let Some(t) = &ev.traces {
        if let Some(top) = t.shares.first()
            && top.share >= 0.4
            && explained_by.as_deref() != Some(top.service.as_str())
        {
            let own = top.service == svc;
            let mut f = Finding::new(
                "critical_path_hotspot",
                Severity::Warning,
                // Where the time goes, not why: below resource and change causes when the
                // hotspot is the service's own code.
                if own {
                    0.4 + 0.2 * top.share
                } else {
                    0.45 + 0.3 * top.share
                },
                if own {
                    Subject::service(svc).with_operation(&top.operation)
                } else {
                    Subject::service(svc).with_dependency(&top.service)
                },
                format!(
                    "{} {} holds {} of the slow traces' critical path",
                    top.service,
                    top.operation,
                    pct(top.share)
                ),
            )
            .detail(format!(
                "Across {} slow traces, {} of critical-path time is spent in {} {} ({} in total).",
                t.count,
                pct(top.share),
                top.service,
                top.operation,
                secs(top.seconds)
            ))
            .remediation(Remediation {
                title: format!(
                    "Optimize {} {} or take it off the critical path (cache, make it concurrent)",
                    top.service, top.operation
                ),
                command: None,
                safety: Safety::AdviceOnly,
            });
            if let Some(e) = trace_link.clone() {
                f = f.evidence(e);
            }
            out.push(damp(f));
        }
        for r in t
            .repeated
            .iter()
            .filter(|r| r.count as f64 >= p.n_plus_one_repeats)
            .take(3)
        {
            let freq = if t.count > 0 {
                r.traces as f64 / t.count as f64
            } else {
                0.0
            };
            // Also when the repeated call is where the critical path goes: the N+1 is then the
            // cause of the hotspot finding, and must outrank it.
            let explains = explained_by.as_deref() == Some(r.child_service.as_str())
                || t.shares.first().is_some_and(|s| {
                    s.service == r.child_service && s.operation == r.child_operation
                });
            let score = 0.5 + 0.2 * freq.min(1.0) + if explains { 0.15 } else { 0.0 };
            let link = t
                .examples
                .iter()
                .find(|(id, _, _)| *id == r.example_trace)
                .map(|(_, l, _)| l.clone());
            let f = Finding::new(
                "n_plus_one",
                if explains && slow { Severity::Critical } else { Severity::Warning },
                score,
                Subject::service(&r.parent_service).with_operation(&r.parent_operation).with_dependency(&r.child_service),
                format!(
                    "N+1: {} {} calls {} {} {} times in sequence",
                    r.parent_service, r.parent_operation, r.child_service, r.child_operation, r.count
                ),
            )
            .detail(format!("Seen in {} of {} slow traces.", r.traces, t.count))
            .evidence(Evidence {
                source: "jaeger".into(),
                query: Some(t.query.clone()),
                value: Some(format!("{} sequential calls in trace {}", r.count, r.example_trace)),
                at: None,
                link,
            })
            .remediation(Remediation {
                title: format!("Batch the {} calls into one (a bulk query or endpoint), or run them concurrently", r.child_operation),
                command: None,
                safety: Safety::AdviceOnly,
            });
            out.push(damp(f));
        }
    }

    if let Some(r) = &ev.resources {
        out.extend(resource_findings(ev, r, p, slow).into_iter().map(damp));
    }
    if let Some(c) = &ev.changes {
        out.extend(change_findings(ev, c, p, slow));
    }
    out
}

fn worst(v: Option<&Vec<(String, f64)>>) -> Option<(String, f64)> {
    v?.iter()
        .filter(|(_, x)| x.is_finite())
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .cloned()
}

fn target_deployment(ev: &LatencyEvidence) -> Option<&DeploymentHistory> {
    ev.changes
        .as_ref()?
        .deployments
        .iter()
        .find(|d| d.role == ev.service)
}

fn resource_findings(
    ev: &LatencyEvidence,
    r: &ResourceEvidence,
    p: &LatencyParams,
    slow: bool,
) -> Vec<Finding> {
    let svc = ev.service.as_str();
    let ns = shell_word(&ev.namespace);
    let dep = target_deployment(ev);
    let deploy = dep
        .map(|d| d.name.clone())
        .unwrap_or_else(|| svc.to_string());
    let replicas = dep.and_then(|d| d.replicas);
    let q = |name: &str| r.queries.get(name).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let scale = |factor: f64| -> Remediation {
        match replicas {
            Some(n) if n > 0 => {
                let to = ((n as f64) * factor).ceil().max(n as f64 + 1.0) as i64;
                Remediation {
                    title: format!("Scale {deploy} from {n} to {to} replicas"),
                    command: Some(format!(
                        "kubectl scale deployment/{} --replicas={to} -n {ns}",
                        shell_word(&deploy)
                    )),
                    safety: Safety::NeedsCare,
                }
            }
            _ => Remediation {
                title: format!("Scale out {deploy}"),
                command: Some(format!(
                    "kubectl scale deployment/{} --replicas=<N> -n {ns}",
                    shell_word(&deploy)
                )),
                safety: Safety::NeedsCare,
            },
        }
    };
    if let Some((pod, ratio)) = worst(r.ratios.get("throttling"))
        && ratio >= p.throttling_ratio
    {
        let sev = if ratio >= 0.5 && slow {
            Severity::Critical
        } else {
            Severity::Warning
        };
        out.push(
            Finding::new(
                "cpu_throttling",
                sev,
                0.45 + 0.4 * ratio.min(1.0),
                Subject::service(svc).with_pod(&pod).with_resource("cpu"),
                format!("{pod} is CPU-throttled in {} of CFS periods", pct(ratio)),
            )
            .detail(format!(
                "Throttled containers pause mid-request; above {} of periods throttled, latency suffers even when average CPU looks fine.",
                pct(p.throttling_ratio)
            ))
            .evidence(prom(&q("throttling"), format!("{pod}={ratio:.3}"), ev.now))
            .remediation(Remediation {
                title: format!("Raise {deploy}'s CPU limit (or drop the limit and keep the request)"),
                command: Some(format!(
                    "kubectl set resources deployment/{} --limits=cpu=<higher> -n {ns}",
                    shell_word(&deploy)
                )),
                safety: Safety::NeedsCare,
            })
            .remediation(scale(1.0 / (1.0 - ratio.min(0.9)))),
        );
    }
    if let Some((pod, ratio)) = worst(r.ratios.get("cpu_saturation"))
        && ratio >= p.cpu_saturation
    {
        out.push(
            Finding::new(
                "cpu_saturation",
                if slow {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
                0.45 + 0.3 * ((ratio - p.cpu_saturation) * 10.0).clamp(0.0, 1.0),
                Subject::service(svc).with_pod(&pod).with_resource("cpu"),
                format!("{pod} uses {} of its CPU limit", pct(ratio)),
            )
            .evidence(prom(
                &q("cpu_saturation"),
                format!("{pod}={ratio:.3}"),
                ev.now,
            ))
            .remediation(scale(ratio / 0.7)),
        );
    }
    if let Some((pod, ratio)) = worst(r.ratios.get("memory"))
        && ratio >= p.memory_ratio
    {
        let peak = r
            .memory_bytes
            .iter()
            .map(|(_, b)| *b)
            .fold(0.0f64, f64::max);
        let mut f = Finding::new(
            "memory_pressure",
            if ratio >= 0.97 && slow { Severity::Critical } else { Severity::Warning },
            0.5 + 0.4 * ((ratio - p.memory_ratio) * 10.0).clamp(0.0, 1.0),
            Subject::service(svc).with_pod(&pod).with_resource("memory"),
            format!("{pod}'s working set is {} of its memory limit", pct(ratio)),
        )
        .detail("Near the limit the runtime reclaims and collects constantly, and the kernel OOM-kills at it.")
        .evidence(prom(&q("memory"), format!("{pod}={ratio:.3}"), ev.now));
        if peak > 0.0 {
            // 30% headroom over the observed peak, rounded up to 64 MiB.
            let mib = ((peak * 1.3 / 1_048_576.0) / 64.0).ceil() * 64.0;
            f = f.remediation(Remediation {
                title: format!(
                    "Raise {deploy}'s memory limit to {mib:.0}Mi (peak {:.0}Mi + 30%)",
                    peak / 1_048_576.0
                ),
                command: Some(format!(
                    "kubectl set resources deployment/{} --limits=memory={mib:.0}Mi -n {ns}",
                    shell_word(&deploy)
                )),
                safety: Safety::NeedsCare,
            });
        }
        out.push(f);
    }
    if let Some((now, base)) = r.network
        && base > 0.0
        && now / base >= p.network_growth
    {
        out.push(
            Finding::new(
                "network_saturation",
                Severity::Warning,
                0.4 + 0.1 * (now / base / 10.0).min(1.0),
                Subject::service(svc).with_resource("network"),
                format!(
                    "{svc} transmits {:.1}× its baseline ({:.1} MB/s)",
                    now / base,
                    now / 1e6
                ),
            )
            .evidence(prom(&q("network"), format!("{now:.0}"), ev.now))
            .evidence(prom(&q("network_baseline"), format!("{base:.0}"), ev.now))
            .remediation(Remediation {
                title: "Find what sends the extra bytes (payload growth, a retry storm)".into(),
                command: None,
                safety: Safety::AdviceOnly,
            }),
        );
    }
    out
}

fn change_findings(
    ev: &LatencyEvidence,
    c: &ChangeEvidence,
    p: &LatencyParams,
    slow: bool,
) -> Vec<Finding> {
    let svc = ev.service.as_str();
    let ns = shell_word(&ev.namespace);
    let window_start = ev.now - ev.lookback;
    // Correlated: shortly before (or just after, for scrape lag) the onset.
    let near_onset = |t: f64| {
        ev.onset
            .is_some_and(|o| t >= o.at - p.change_window_seconds && t <= o.at + 300.0)
    };
    let onset_words = |t: f64| -> String {
        match &ev.onset {
            Some(o) => {
                let mins = ((o.at - t) / 60.0).round();
                let when = if mins >= 1.0 {
                    format!("{mins:.0} min before")
                } else {
                    "at".into()
                };
                format!(
                    "{when} {svc}'s latency rose from {} to {}",
                    secs(o.before),
                    secs(o.after)
                )
            }
            None => format!(
                "within the last {}",
                crate::clock::format_duration(std::time::Duration::from_secs(ev.lookback as u64))
            ),
        }
    };
    let mut out = Vec::new();
    for d in &c.deployments {
        let mut revs = d.revisions.clone();
        revs.sort_by_key(|r| r.revision);
        let Some(cur) = revs.last() else { continue };
        if cur.created < window_start || cur.created > ev.now {
            continue;
        }
        let prev = revs.iter().rev().nth(1);
        let correlated = near_onset(cur.created);
        let (sev, score) = match (correlated && slow, slow) {
            (true, _) => (Severity::Critical, 0.95),
            (false, true) => (Severity::Warning, 0.55),
            _ => (Severity::Info, 0.3),
        };
        let image = cur.images.first().cloned().unwrap_or_default();
        let mut f = Finding::new(
            "recent_deployment",
            sev,
            score,
            if d.role == svc {
                Subject::service(svc)
                    .with_resource(&format!("deployment/{} revision {}", d.name, cur.revision))
            } else {
                Subject::service(svc)
                    .with_dependency(&d.role)
                    .with_resource(&format!("deployment/{} revision {}", d.name, cur.revision))
            },
            format!(
                "{} rolled out revision {}{} at {}, {}",
                d.name,
                cur.revision,
                if image.is_empty() {
                    String::new()
                } else {
                    format!(" ({image})")
                },
                hhmm(cur.created),
                onset_words(cur.created)
            ),
        )
        .detail(match &cur.change_cause {
            Some(cause) => format!("Change cause: {cause}."),
            None => "The rollout records no change-cause.".into(),
        })
        .evidence(Evidence {
            source: "kubernetes".into(),
            query: Some(format!(
                "kubectl rollout history deployment/{} -n {ns}",
                d.name
            )),
            value: Some(format!(
                "revision {} created {}",
                cur.revision,
                fmt_time(cur.created)
            )),
            at: Some(fmt_time(cur.created)),
            link: None,
        });
        if let Some(o) = &ev.onset {
            f = f.evidence(prom(
                &ev.service_query,
                format!("rose from {:.3} to {:.3}", o.before, o.after),
                o.at,
            ));
        }
        if let Some(prev) = prev {
            f = f.remediation(Remediation {
                title: format!("Roll {} back to revision {}", d.name, prev.revision),
                command: Some(format!(
                    "kubectl rollout undo deployment/{} --to-revision={} -n {ns}",
                    shell_word(&d.name),
                    prev.revision
                )),
                safety: Safety::Safe,
            });
        }
        out.push(f);
    }
    for (cm, t) in &c.config_maps {
        if *t < window_start || *t > ev.now {
            continue;
        }
        let correlated = near_onset(*t);
        let (sev, score) = match (correlated && slow, slow) {
            (true, _) => (Severity::Critical, 0.9),
            (false, true) => (Severity::Warning, 0.5),
            _ => (Severity::Info, 0.25),
        };
        let deploy = target_deployment(ev)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| svc.to_string());
        out.push(
            Finding::new(
                "config_change",
                sev,
                score,
                Subject::service(svc).with_resource(&format!("configmap/{cm}")),
                format!("ConfigMap {cm} changed at {}, {}", hhmm(*t), onset_words(*t)),
            )
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some(format!("kubectl get configmap {cm} -n {ns} -o yaml")),
                value: Some(format!("last changed {}", fmt_time(*t))),
                at: Some(fmt_time(*t)),
                link: None,
            })
            .remediation(Remediation {
                title: format!("Restore the previous {cm} from version control, then restart {deploy}"),
                command: Some(format!(
                    "kubectl apply -f <previous {cm}.yaml> -n {ns} && kubectl rollout restart deployment/{} -n {ns}",
                    shell_word(&deploy)
                )),
                safety: Safety::NeedsCare,
            }),
        );
    }
    for (sha, t, subject) in c.commits.iter().take(5) {
        let correlated = near_onset(*t);
        out.push(
            Finding::new(
                "code_change",
                if correlated && slow {
                    Severity::Warning
                } else {
                    Severity::Info
                },
                if correlated { 0.5 } else { 0.25 },
                Subject::service(svc),
                format!(
                    "commit {} \"{subject}\" at {}",
                    &sha[..sha.len().min(10)],
                    hhmm(*t)
                ),
            )
            .evidence(Evidence {
                source: "git".into(),
                query: Some("git log".into()),
                value: Some(sha.clone()),
                at: Some(fmt_time(*t)),
                link: None,
            })
            .remediation(Remediation {
                title: "Review the commit; revert it if it explains the regression".into(),
                command: Some(format!("git show {}", shell_word(sha))),
                safety: Safety::AdviceOnly,
            }),
        );
    }
    out
}

/// Quote a value for a shell command line when it needs it.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests;
