//! The runbooks' `alerts:` rules, compiled, and the matching that maps a firing alert to the
//! runbook (and service) that answers it. Pure data and matching: the rules come from the loaded
//! runbooks, the labels from whoever read the alerts (`investigate alerts`, `check`).
//!
//! Matching ([`AlertRules::route`]): runbooks in name order, rules in file order; a rule matches
//! when every matcher, a regex fully matching the label's value (Prometheus' and Alertmanager's
//! anchoring: `^(?:re)$`), matches. Of a runbook's matching rules, the first whose
//! `service_label` the alert carries names the service; when none does, the runbook still
//! answers, without a service (its triage picks one). The regexes are the `regex` crate's, the
//! RE2 syntax Alertmanager itself uses, rather than a hand-written subset: the rule files are
//! user input (`--runbooks DIR`), and a subset would silently disagree with Alertmanager on the
//! first class or quantifier. Not here: reading alerts or running investigations. Tests: below.

use std::collections::BTreeMap;

use regex::Regex;

use crate::error::UsageError;
use crate::model::cluster::valid_label;

/// One compiled `alerts:` rule.
#[derive(Debug, Clone)]
struct Rule {
    runbook: String,
    matchers: Vec<(String, Regex)>,
    service_label: String,
    namespace_label: Option<String>,
}

/// Every runbook's alert rules, compiled, in matching order.
#[derive(Debug, Clone, Default)]
pub struct AlertRules {
    rules: Vec<Rule>,
}

/// Where an alert goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Runbook {
        runbook: String,
        service: Option<String>,
        /// Where the alert's object lives, from the rule's `namespace_label` when the alert
        /// carries a valid namespace there: the investigation runs in it.
        namespace: Option<String>,
    },
    Unmatched,
}

impl AlertRules {
    /// The rules of the built-in runbooks and of `dir`'s (which replace same-named ones).
    pub fn load(dir: Option<&std::path::Path>) -> Result<Self, UsageError> {
        let mut rules = Vec::new();
        for rb in super::all(dir)? {
            for (i, r) in rb.alerts.iter().enumerate() {
                let mut matchers = Vec::new();
                for (label, re) in &r.matchers {
                    let compiled = Regex::new(&format!("^(?:{re})$")).map_err(|e| {
                        UsageError::with_hint(
                            format!(
                                "runbook {}: alerts[{i}].match.{label}: invalid regex {re:?}: {e}",
                                rb.name
                            ),
                            "fix the runbook file (the syntax is RE2's, as in Alertmanager)",
                        )
                    })?;
                    matchers.push((label.clone(), compiled));
                }
                rules.push(Rule {
                    runbook: rb.name.clone(),
                    matchers,
                    service_label: r.service_label.clone(),
                    namespace_label: r.namespace_label.clone(),
                });
            }
        }
        Ok(AlertRules { rules })
    }

    /// The runbook (and service) that answers an alert with these labels.
    pub fn route(&self, labels: &BTreeMap<String, String>) -> Route {
        let matches = |r: &Rule| {
            r.matchers
                .iter()
                .all(|(label, re)| re.is_match(labels.get(label).map(String::as_str).unwrap_or("")))
        };
        let mut first: Option<&str> = None;
        for r in &self.rules {
            if first.is_some_and(|rb| rb != r.runbook) {
                break;
            }
            if !matches(r) {
                continue;
            }
            first = Some(&r.runbook);
            if let Some(s) = labels.get(&r.service_label).filter(|s| !s.is_empty()) {
                // A value that is not a namespace name is ignored rather than trusted: it goes
                // into API paths.
                let namespace = r
                    .namespace_label
                    .as_ref()
                    .and_then(|l| labels.get(l))
                    .filter(|ns| valid_label(ns))
                    .cloned();
                return Route::Runbook {
                    runbook: r.runbook.clone(),
                    service: Some(s.clone()),
                    namespace,
                };
            }
        }
        match first {
            Some(rb) => Route::Runbook {
                runbook: rb.to_string(),
                service: None,
                namespace: None,
            },
            None => Route::Unmatched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// (runbook, service label, matchers) per rule.
    type RuleText<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

    fn rules(text: &[RuleText<'_>]) -> AlertRules {
        AlertRules {
            rules: text
                .iter()
                .map(|(rb, svc, m)| Rule {
                    runbook: rb.to_string(),
                    matchers: m
                        .iter()
                        .map(|(k, v)| (k.to_string(), Regex::new(&format!("^(?:{v})$")).unwrap()))
                        .collect(),
                    service_label: svc.to_string(),
                    namespace_label: None,
                })
                .collect(),
        }
    }

    #[test]
    fn built_in_rules_route_alerts() {
        let r = AlertRules::load(None).unwrap();
        assert_eq!(
            r.route(&labels(&[
                ("alertname", "CheckoutHighLatency"),
                ("service_name", "checkout")
            ])),
            Route::Runbook {
                runbook: "latency".into(),
                service: Some("checkout".into()),
                namespace: None
            }
        );
        // The second latency rule reads `service`.
        assert_eq!(
            r.route(&labels(&[
                ("alertname", "SlowRequests"),
                ("service", "cart")
            ])),
            Route::Runbook {
                runbook: "latency".into(),
                service: Some("cart".into()),
                namespace: None
            }
        );
        // (?i): case does not matter; no service label: the runbook answers without one.
        assert_eq!(
            r.route(&labels(&[("alertname", "p99_DURATION_high")])),
            Route::Runbook {
                runbook: "latency".into(),
                service: None,
                namespace: None
            }
        );
        assert_eq!(
            r.route(&labels(&[
                ("alertname", "DiskFull"),
                ("service_name", "db")
            ])),
            Route::Unmatched
        );
    }

    /// Issue #17: the names public rule sets give (the Elasticsearch exporter's mixin and
    /// examples, the jaeger-mixin, the Collector's) reach the runbook that measures that stage.
    #[test]
    fn public_alert_names_route_to_the_data_loss_runbook() {
        let r = AlertRules::load(None).unwrap();
        for name in [
            "ElasticsearchClusterRed",
            "ElasticsearchClusterStatusRed",
            "ElasticsearchClusterStatusYellow",
            "ElasticsearchNodeDiskWatermarkReached",
            "ElasticsearchThreadPoolRejectionError",
            "ElasticsearchHeapTooHigh",
            "ElasticsearchTooFewNodesRunning",
            "JaegerCollectorDroppingSpans",
            "JaegerAgentUDPPacketsBeingDropped",
            "JaegerAgentSpansDropped",
            "JaegerClientSpansDropped",
            "JaegerQueryReqsFailing",
            "OtelcolExporterFailedSpans",
        ] {
            assert_eq!(
                r.route(&labels(&[("alertname", name), ("job", "x")])),
                Route::Runbook {
                    runbook: "data-loss".into(),
                    service: None,
                    namespace: None
                },
                "{name}"
            );
        }
    }

    /// Issue #17: kube-prometheus' pod and workload alerts reach the runbook whose steps read
    /// them, with the container or workload as the service.
    #[test]
    fn kube_prometheus_alerts_route_to_the_runbook_that_reads_them() {
        let r = AlertRules::load(None).unwrap();
        for (name, label, runbook) in [
            ("KubePodCrashLooping", "container", "errors"),
            ("KubePodNotReady", "container", "errors"),
            ("KubeContainerWaiting", "container", "errors"),
            ("KubeDeploymentReplicasMismatch", "deployment", "errors"),
            ("KubeDeploymentRolloutStuck", "deployment", "errors"),
            ("KubeStatefulSetUpdateNotRolledOut", "statefulset", "errors"),
            ("KubeDaemonSetRolloutStuck", "daemonset", "errors"),
            ("CPUThrottlingHigh", "container", "latency"),
        ] {
            assert_eq!(
                r.route(&labels(&[
                    ("alertname", name),
                    (label, "payment"),
                    ("namespace", "shop"),
                    ("pod", "payment-7d9f-abcde")
                ])),
                Route::Runbook {
                    runbook: runbook.into(),
                    service: Some("payment".into()),
                    namespace: Some("shop".into())
                },
                "{name}"
            );
        }
        // The namespace is a path segment of what the investigation reads: a value that is not
        // a namespace name is dropped (the run stays in -n), the service kept.
        assert_eq!(
            r.route(&labels(&[
                ("alertname", "KubePodCrashLooping"),
                ("container", "payment"),
                ("namespace", "../kube-system")
            ])),
            Route::Runbook {
                runbook: "errors".into(),
                service: Some("payment".into()),
                namespace: None
            }
        );
        // An application alert's `namespace` (often the scraper's) is not read.
        assert_eq!(
            r.route(&labels(&[
                ("alertname", "HighErrorRate"),
                ("service_name", "payment"),
                ("namespace", "monitoring")
            ])),
            Route::Runbook {
                runbook: "errors".into(),
                service: Some("payment".into()),
                namespace: None
            }
        );
        // A pod alert without a container label: the runbook, with no service (it triages).
        assert_eq!(
            r.route(&labels(&[("alertname", "KubePodNotReady"), ("pod", "p-1")])),
            Route::Runbook {
                runbook: "errors".into(),
                service: None,
                namespace: None
            }
        );
    }

    #[test]
    fn full_match_alternation_and_order() {
        let r = rules(&[
            ("a", "svc", &[("alertname", "Foo|Bar")]),
            (
                "b",
                "svc",
                &[("alertname", "(?i)foo.*"), ("severity", "critical")],
            ),
        ]);
        // Full match: "Foobar" is not "Foo".
        assert_eq!(
            r.route(&labels(&[
                ("alertname", "Foobar"),
                ("severity", "critical"),
                ("svc", "x")
            ])),
            Route::Runbook {
                runbook: "b".into(),
                service: Some("x".into()),
                namespace: None
            }
        );
        assert_eq!(
            r.route(&labels(&[("alertname", "Bar"), ("svc", "y")])),
            Route::Runbook {
                runbook: "a".into(),
                service: Some("y".into()),
                namespace: None
            }
        );
        // Every matcher must match; a missing label is the empty string.
        assert_eq!(
            r.route(&labels(&[("alertname", "foobar")])),
            Route::Unmatched
        );
        let empty_ok = rules(&[("c", "svc", &[("team", "|ops")])]);
        assert!(matches!(
            empty_ok.route(&labels(&[])),
            Route::Runbook { .. }
        ));
    }

    #[test]
    fn invalid_rules_name_the_runbook() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("broken.yaml"),
            "name: broken\ntitle: t\nsummary: s\ncommand: c\nalerts:\n  - match: { alertname: \"(unclosed\" }\n    service_label: service\nsteps: []\n",
        )
        .unwrap();
        let e = AlertRules::load(Some(dir.path())).unwrap_err();
        assert!(
            e.message
                .contains("runbook broken: alerts[0].match.alertname"),
            "{}",
            e.message
        );
    }
}
