//! Recent changes as causes: rollouts (with the exact undo), ConfigMap changes and commits, ranked
//! by how close they come before the symptom's onset; shared by the latency and error runbooks.
//! Pure; tested through the runbooks' analyses (`analysis/latency/tests.rs`).

use crate::analysis::common::{Situation, fmt_time, hhmm, prom, shell_word};
use crate::report::{Evidence, Finding, Severity, Subject};
use crate::runbook::kinds::remedy;

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
                    ("deployment", &d.name),
                    ("revision", &prev.revision.to_string()),
                    ("namespace", s.namespace),
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
