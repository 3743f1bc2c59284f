//! Container resources as causes: CPU throttling and saturation, memory pressure, network
//! saturation, file descriptors; shared by the latency and error runbooks. Pure; tested through
//! the runbooks' analyses (`analysis/latency/tests.rs`) and below.

use std::collections::BTreeMap;

use crate::analysis::common::{Situation, prom, worst};
use crate::report::units;
use crate::report::{Finding, Remediation, Severity, Subject};
use crate::runbook::kinds::remedy;

#[derive(Debug, Clone, Default)]
pub struct ResourceEvidence {
    /// Query name → the query, for evidence.
    pub queries: BTreeMap<String, String>,
    /// (pod, ratio) per query name: throttling, cpu_saturation, memory, fds (open / max file
    /// descriptors).
    pub ratios: BTreeMap<String, Vec<(String, f64)>>,
    /// (pod, bytes): peak working set.
    pub memory_bytes: Vec<(String, f64)>,
    /// (now, baseline) bytes per second.
    pub network: Option<(f64, f64)>,
}

/// Thresholds of the resource checks, from the runbook.
#[derive(Debug, Clone)]
pub struct ResourceParams {
    pub throttling_ratio: f64,
    pub cpu_saturation: f64,
    pub memory_ratio: f64,
    pub network_growth: f64,
}

pub fn resource_findings(s: &Situation, r: &ResourceEvidence, p: &ResourceParams) -> Vec<Finding> {
    let svc = s.service;
    let ns = s.namespace;
    let slow = s.active;
    let dep = s.deployment;
    let deploy = dep
        .map(|d| d.name.clone())
        .unwrap_or_else(|| svc.to_string());
    let replicas = dep.and_then(|d| d.replicas);
    let q = |name: &str| r.queries.get(name).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let at = [("deployment", deploy.as_str()), ("namespace", ns)];
    let scale = |kind: &str, factor: f64| -> Remediation {
        match replicas {
            Some(n) if n > 0 => {
                let to = ((n as f64) * factor).ceil().max(n as f64 + 1.0) as i64;
                let (n, to) = (n.to_string(), to.to_string());
                remedy(
                    kind,
                    "scale",
                    &[at[0], at[1], ("replicas", &n), ("to", &to)],
                )
            }
            _ => remedy(kind, "scale-out", &at),
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
                format!("{pod} is CPU-throttled in {} of CFS periods", units::percent(ratio)),
            )
            .detail(format!(
                "Throttled containers pause mid-request; above {} of periods throttled, latency suffers even when average CPU looks fine.",
                units::percent(p.throttling_ratio)
            ))
            .evidence(prom(&q("throttling"), format!("{pod}={ratio:.3}"), s.now))
            .remediation(remedy("cpu_throttling", "raise-limit", &at))
            .remediation(scale("cpu_throttling", 1.0 / (1.0 - ratio.min(0.9)))),
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
                format!("{pod} uses {} of its CPU limit", units::percent(ratio)),
            )
            .evidence(prom(
                &q("cpu_saturation"),
                format!("{pod}={ratio:.3}"),
                s.now,
            ))
            .remediation(scale("cpu_saturation", ratio / 0.7)),
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
            format!("{pod}'s working set is {} of its memory limit", units::percent(ratio)),
        )
        .detail("Near the limit the runtime reclaims and collects constantly, and the kernel OOM-kills at it.")
        .evidence(prom(&q("memory"), format!("{pod}={ratio:.3}"), s.now));
        if peak > 0.0 {
            // 30% headroom over the observed peak, rounded up to 64 MiB.
            let mib = ((peak * 1.3 / 1_048_576.0) / 64.0).ceil() * 64.0;
            let (limit, peak) = (
                format!("{mib:.0}Mi"),
                format!("{:.0}Mi", peak / 1_048_576.0),
            );
            f = f.remediation(remedy(
                "memory_pressure",
                "raise-limit",
                &[at[0], at[1], ("limit", &limit), ("peak", &peak)],
            ));
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
            .evidence(prom(&q("network"), format!("{now:.0}"), s.now))
            .evidence(prom(&q("network_baseline"), format!("{base:.0}"), s.now))
            .remediation(remedy("network_saturation", "find-sender", &[])),
        );
    }
    out
}

/// File-descriptor exhaustion: the `fds` ratio (open / maximum descriptors, by pod) at or above
/// `fd_ratio`. Separate from [`resource_findings`] so that runbooks which do not read descriptors
/// keep their thresholds unchanged.
pub fn fd_findings(s: &Situation, r: &ResourceEvidence, fd_ratio: f64) -> Vec<Finding> {
    let Some((pod, ratio)) = worst(r.ratios.get("fds")) else {
        return Vec::new();
    };
    if !fd_ratio.is_finite() || ratio < fd_ratio {
        return Vec::new();
    }
    let svc = s.service;
    let deploy = s
        .deployment
        .map(|d| d.name.clone())
        .unwrap_or_else(|| svc.to_string());
    let subject = if pod.is_empty() {
        Subject::service(svc)
    } else {
        Subject::service(svc).with_pod(&pod)
    };
    let who = if pod.is_empty() { svc } else { pod.as_str() };
    // At the limit every accept(), connect() and open() fails with EMFILE, which is an error
    // for each request touching it: as strong as memory pressure, stronger the closer it is.
    let over = if fd_ratio < 1.0 {
        ((ratio - fd_ratio) / (1.0 - fd_ratio)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let mut f = Finding::new(
        "fd_exhaustion",
        if ratio >= 0.95 && s.active {
            Severity::Critical
        } else {
            Severity::Warning
        },
        0.5 + 0.4 * over,
        subject.with_resource("file-descriptors"),
        format!("{who} has {} of its file descriptors open", units::percent(ratio)),
    )
    .detail(format!(
        "Above {} of the limit, new connections and files soon fail with \"too many open files\"; a count that only grows is a leak (connections or files never closed).",
        units::percent(fd_ratio)
    ))
    .evidence(prom(
        &r.queries.get("fds").cloned().unwrap_or_default(),
        format!("{who}={ratio:.3}"),
        s.now,
    ))
    .remediation(remedy(
        "fd_exhaustion",
        "restart",
        &[("deployment", &deploy), ("namespace", s.namespace)],
    ));
    if !pod.is_empty() {
        f = f.remediation(remedy(
            "fd_exhaustion",
            "look",
            &[("pod", &pod), ("namespace", s.namespace)],
        ));
    }
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn situation(active: bool) -> Situation<'static> {
        Situation {
            service: "checkout",
            namespace: "shop",
            now: 1_795_600_800.0,
            lookback: 3600.0,
            onset: None,
            query: "q",
            what: "error ratio",
            fmt: units::percent,
            active,
            deployment: None,
        }
    }

    fn fds(items: &[(&str, f64)]) -> ResourceEvidence {
        let mut r = ResourceEvidence::default();
        r.queries.insert("fds".into(), "fds-query".into());
        r.ratios.insert(
            "fds".into(),
            items.iter().map(|(p, v)| (p.to_string(), *v)).collect(),
        );
        r
    }

    #[test]
    fn fd_exhaustion_names_the_worst_pod_and_scales_with_the_ratio() {
        let r = fds(&[("checkout-a", 0.31), ("checkout-b", 0.99)]);
        let f = fd_findings(&situation(true), &r, 0.8);
        assert_eq!(f.len(), 1);
        let f = &f[0];
        assert_eq!(f.kind, "fd_exhaustion");
        assert_eq!(f.subject.pod.as_deref(), Some("checkout-b"));
        assert_eq!(f.subject.resource.as_deref(), Some("file-descriptors"));
        assert_eq!(f.severity, Severity::Critical);
        assert!(f.score > 0.85 && f.score <= 0.9, "{}", f.score);
        assert!(
            f.remediation[0]
                .command
                .as_deref()
                .is_some_and(|c| c.starts_with("kubectl rollout restart deployment/checkout"))
        );
        let lower = fd_findings(&situation(true), &fds(&[("checkout-b", 0.82)]), 0.8);
        assert!(lower[0].score < f.score);
        assert_eq!(lower[0].severity, Severity::Warning);
    }

    #[test]
    fn no_fd_finding_below_the_threshold_or_without_data() {
        assert!(fd_findings(&situation(true), &fds(&[("a", 0.5)]), 0.8).is_empty());
        assert!(fd_findings(&situation(true), &fds(&[("a", f64::NAN)]), 0.8).is_empty());
        assert!(fd_findings(&situation(true), &ResourceEvidence::default(), 0.8).is_empty());
        // The latency runbook does not read descriptors: its checks are unchanged.
        let p = ResourceParams {
            throttling_ratio: 0.25,
            cpu_saturation: 0.9,
            memory_ratio: 0.9,
            network_growth: 3.0,
        };
        assert!(resource_findings(&situation(true), &fds(&[("a", 0.99)]), &p).is_empty());
    }
}
