//! Recent changes as causes: rollouts (with the exact undo), ConfigMap changes and commits, ranked
//! by how close they come before the symptom's onset; shared by the latency and error runbooks.
//! Pure; tested through the runbooks' analyses (`analysis/latency/tests.rs`).

use std::collections::BTreeMap;

use crate::analysis::common::{Situation, fmt_time, hhmm, prom, shell_word};
use crate::model::cluster::WorkloadKind;
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

#[derive(Debug, Clone, Default)]
pub struct Revision {
    pub revision: u64,
    /// Unix seconds.
    pub created: f64,
    pub images: Vec<String>,
    pub change_cause: Option<String>,
    /// `container/NAME` → a fingerprint of the value (never the value): which variables a
    /// rollout changed.
    pub env: BTreeMap<String, String>,
}

/// A workload's rollout history: a Deployment's, StatefulSet's or DaemonSet's (the name stays
/// from when only Deployments were read).
#[derive(Debug, Clone, Default)]
pub struct DeploymentHistory {
    pub kind: WorkloadKind,
    /// Where it runs; empty: the run's namespace.
    pub namespace: String,
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

/// What a rollout changed in the pod template, from the revision before: the images, and the
/// environment variables added, removed or given another value (by name: values are never
/// kept). Empty when neither changed (a rollout of something else: resources, probes, labels).
pub fn what_changed(prev: &Revision, cur: &Revision) -> Vec<String> {
    let mut out = Vec::new();
    if prev.images != cur.images {
        out.push(format!(
            "image {} → {}",
            list_or_none(&prev.images),
            list_or_none(&cur.images)
        ));
    }
    let mut by = |what: &str, names: Vec<&String>| {
        if !names.is_empty() {
            let names: Vec<&str> = names.into_iter().map(String::as_str).collect();
            out.push(format!("env {what}: {}", names.join(", ")));
        }
    };
    by(
        "changed",
        cur.env
            .iter()
            .filter(|(k, v)| prev.env.get(*k).is_some_and(|p| p != *v))
            .map(|(k, _)| k)
            .collect(),
    );
    by(
        "added",
        cur.env
            .keys()
            .filter(|k| !prev.env.contains_key(*k))
            .collect(),
    );
    by(
        "removed",
        prev.env
            .keys()
            .filter(|k| !cur.env.contains_key(*k))
            .collect(),
    );
    out
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join(", ")
    }
}

/// Rollouts, ConfigMap changes and commits in the lookback; `window` seconds before the onset
/// (or less) counts as correlated with it.
pub fn change_findings(s: &Situation, c: &ChangeEvidence, window: f64) -> Vec<Finding> {
    let svc = s.service;
    let ns = shell_word(s.namespace);
    let slow = s.active;
    let window_start = s.now - s.lookback;
    // Correlated: shortly before (or just after, for scrape lag) the onset.
    let near_onset = |t: f64| {
        s.onset
            .is_some_and(|o| t >= o.at - window && t <= o.at + 300.0)
    };
    let onset_words = |t: f64| -> String {
        match &s.onset {
            Some(o) => {
                let mins = ((o.at - t) / 60.0).round();
                let when = if mins >= 1.0 {
                    format!("{mins:.0} min before")
                } else {
                    "at".into()
                };
                format!(
                    "{when} {svc}'s {} rose from {} to {}",
                    s.what,
                    (s.fmt)(o.before),
                    (s.fmt)(o.after)
                )
            }
            None => format!(
                "within the last {}",
                crate::clock::format_duration(std::time::Duration::from_secs(s.lookback as u64))
            ),
        }
    };
    let mut out = Vec::new();
    for d in &c.deployments {
        let namespace = if d.namespace.is_empty() {
            s.namespace
        } else {
            d.namespace.as_str()
        };
        let reference = format!("{}/{}", d.kind.as_str(), d.name);
        let mut revs = d.revisions.clone();
        revs.sort_by_key(|r| r.revision);
        let Some(cur) = revs.last() else { continue };
        if cur.created < window_start || cur.created > s.now {
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
                    .with_resource(&format!("{reference} revision {}", cur.revision))
            } else {
                Subject::service(svc)
                    .with_dependency(&d.role)
                    .with_resource(&format!("{reference} revision {}", cur.revision))
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
        .detail({
            let cause = match &cur.change_cause {
                Some(cause) => format!("Change cause: {cause}."),
                None => "The rollout records no change-cause.".into(),
            };
            match prev.map(|p| (p, what_changed(p, cur))) {
                Some((p, changed)) if !changed.is_empty() => format!(
                    "{cause} Changed since revision {}: {}.",
                    p.revision,
                    changed.join("; ")
                ),
                _ => cause,
            }
        })
        .evidence(Evidence {
            source: "kubernetes".into(),
            query: Some(format!(
                "kubectl rollout history {reference} -n {}",
                shell_word(namespace)
            )),
            value: Some(format!(
                "revision {} created {}",
                cur.revision,
                fmt_time(cur.created)
            )),
            at: Some(fmt_time(cur.created)),
            link: None,
            via: None,
        });
        if let Some(o) = &s.onset {
            f = f.evidence(prom(
                s.query,
                format!("rose from {:.3} to {:.3}", o.before, o.after),
                o.at,
            ));
        }
        if let Some(prev) = prev {
            f = f.remediation(remedy(
                "recent_deployment",
                "roll-back",
                &[
                    ("kind", d.kind.as_str()),
                    ("deployment", &d.name),
                    ("revision", &prev.revision.to_string()),
                    ("namespace", namespace),
                ],
            ));
        }
        out.push(f);
    }
    for (cm, t) in &c.config_maps {
        if *t < window_start || *t > s.now {
            continue;
        }
        let correlated = near_onset(*t);
        let (sev, score) = match (correlated && slow, slow) {
            (true, _) => (Severity::Critical, 0.9),
            (false, true) => (Severity::Warning, 0.5),
            _ => (Severity::Info, 0.25),
        };
        let deploy = s
            .deployment
            .map(|d| d.name.clone())
            .unwrap_or_else(|| svc.to_string());
        // The workload to restart is of the kind the service runs as (a StatefulSet's
        // `rollout restart` needs `statefulset/NAME`); a Deployment when none was read.
        let kind = s.deployment.map_or("deployment", |d| d.kind.as_str());
        out.push(
            Finding::new(
                "config_change",
                sev,
                score,
                Subject::service(svc).with_resource(&format!("configmap/{cm}")),
                format!(
                    "ConfigMap {cm} changed at {}, {}",
                    hhmm(*t),
                    onset_words(*t)
                ),
            )
            .evidence(Evidence {
                source: "kubernetes".into(),
                query: Some(format!("kubectl get configmap {cm} -n {ns} -o yaml")),
                value: Some(format!("last changed {}", fmt_time(*t))),
                at: Some(fmt_time(*t)),
                link: None,
                via: None,
            })
            .remediation(remedy(
                "config_change",
                "restore",
                &[
                    ("configmap", cm),
                    ("kind", kind),
                    ("deployment", &deploy),
                    ("namespace", s.namespace),
                ],
            )),
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
                via: None,
            })
            .remediation(remedy("code_change", "review", &[("sha", sha)])),
        );
    }
    out
}
