//! Issue 19, the `sampling` step: the policy is in the query, so Prometheus returns only the
//! services off it, and the findings are the ones a read of every service's ratio gives. Each
//! case stages the same fleet under one policy source (the sampling ConfigMap, the context's
//! `sampling:` block, Jaeger's strategies with per-operation rates), runs the step's queries
//! again against the same real Prometheus, and compares with a runbook file that lacks the
//! push-down queries (the per-service read). Service names hold a regex metacharacter
//! (`shop.cart`, critical) beside the name it would match unescaped (`shopXcart`, default tier).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::{SHOP, Stage, findings, flat, instant_services, service, start, step, summary};
use crate::support::SeriesSpec;

/// Every service and the share of its spans it samples.
const FLEET: [(&str, f64); 12] = [
    ("payment", 0.1),
    ("shop.cart", 1.0),
    ("shopXcart", 0.1),
    ("ads", 0.1),
    ("search", 0.01),
    ("noisy", 1.0),
    ("frontend", 0.05),
    ("checkout", 0.1),
    ("healthy-0", 0.1),
    ("healthy-1", 0.1),
    ("healthy-2", 0.1),
    ("healthy-3", 0.1),
];

fn fleet() -> Vec<SeriesSpec> {
    let mut series: Vec<SeriesSpec> = FLEET
        .iter()
        .flat_map(|(name, sampled)| service(name, flat(20.0), *sampled, 5.0))
        .collect();
    series.extend(super::Pipeline::healthy(240.0).series());
    series
}

/// The guide's document: payment and shop.cart critical, ads and search high-volume, adaptive.
const GUIDE_POLICY: &str = "production_sampling:
  default_sampling: {rate: 0.1}
  service_specific_sampling:
    critical_services: {rate: 1.0, services: [payment, shop.cart]}
    high_volume_services: {rate: 0.01, services: [ads, search]}
  adaptive_sampling: {enabled: true, min_sampling_rate: 0.001, max_sampling_rate: 0.5}
";

/// The same policy as a context's block (the guide's rates are the defaults).
const CONTEXT_BLOCK: &str = "current-context: t
contexts:
  t:
    sampling:
      critical_services: [payment, shop.cart]
      high_volume_services: [ads, search]
";

/// Jaeger's strategies: a fixed 10% default; frontend 10% with an operation at 0% (its ratio may
/// be anywhere in 0–10%), checkout 20% with an operation at 50%.
const STRATEGIES: &str = r#"{
  "service_strategies": [
    {"service": "payment", "type": "probabilistic", "param": 1.0},
    {"service": "shop.cart", "type": "probabilistic", "param": 1.0},
    {"service": "frontend", "type": "probabilistic", "param": 0.1,
     "operation_strategies": [{"operation": "GET /healthz", "type": "probabilistic", "param": 0.0}]},
    {"service": "checkout", "type": "probabilistic", "param": 0.2,
     "operation_strategies": [{"operation": "POST /pay", "type": "probabilistic", "param": 0.5}]}
  ],
  "default_strategy": {"type": "probabilistic", "param": 0.1}
}"#;

/// The built-in runbook without the push-down queries: the step reads every service's ratio.
fn per_service_runbooks(dir: &Path) -> String {
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/data-loss.yaml"),
    )
    .unwrap();
    let renamed = builtin
        .replace("      off_policy:\n", "      unused_a:\n")
        .replace("      off_policy_default:\n", "      unused_b:\n");
    assert_ne!(renamed, builtin);
    let runbooks = dir.join("per-service-runbooks");
    std::fs::create_dir_all(&runbooks).unwrap();
    std::fs::write(runbooks.join("data-loss.yaml"), renamed).unwrap();
    runbooks.display().to_string()
}

/// Every finding as (kind, subject, severity, score, title), in rank order: what must not change.
fn judged(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["kind"], f["subject"], f["severity"], f["score"], f["title"]
            )
        })
        .collect()
}

/// (case, the sampling ConfigMap's key and text, a config file with a context block, the
/// services off the policy).
type Case = (
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
    &'static [&'static str],
);

#[test]
fn issue_19_the_sampling_query_returns_only_the_services_off_their_policy() {
    let cases: [Case; 3] = [
        (
            "the guide's document in the sampling ConfigMap",
            Some(("policy.yaml", GUIDE_POLICY)),
            None,
            &["ads", "noisy", "payment"],
        ),
        (
            "the context's sampling block",
            None,
            Some(CONTEXT_BLOCK),
            &["ads", "noisy", "payment"],
        ),
        (
            "Jaeger's strategies, per-operation rates",
            Some(("strategies.json", STRATEGIES)),
            None,
            &["checkout", "noisy", "payment", "search"],
        ),
    ];
    for (case, configmap, block, off) in cases {
        let off: BTreeSet<String> = off.iter().map(|s| s.to_string()).collect();
        let mut stage = Stage::healthy();
        stage.series = fleet();
        if let Some((key, text)) = configmap {
            stage.kube = stage
                .kube
                .config_map(SHOP, "sampling-config", &[(key, text)]);
        }
        let Some(b) = start(&stage) else { return };
        let mut extra: Vec<String> = Vec::new();
        if let Some(text) = block {
            let config = b.dir.path().join("config.yaml");
            std::fs::write(&config, text).unwrap();
            extra.extend(["--config".to_string(), config.display().to_string()]);
        }
        let extra_refs: Vec<&str> = extra.iter().map(String::as_str).collect();
        let report = b.investigate(&extra_refs).report();
        let flagged: BTreeSet<String> = findings(&report, "sampling_misconfigured")
            .iter()
            .map(|f| f["subject"]["service"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(flagged, off, "{case}: {}", summary(&report));

        // The step's queries, asked again: only services off their policy, and all of them.
        let s = step(&report, "sampling");
        assert_eq!(s["status"], "ok", "{case}: {s}");
        let queries: Vec<&str> = s["queries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q.as_str().unwrap())
            .collect();
        assert_eq!(queries.len(), 1, "{case}: one request: {queries:?}");
        let mut seen = BTreeSet::new();
        for q in &queries {
            assert!(
                q.contains("service_name=~\"payment|shop\\\\.cart\""),
                "{case}: the critical band's services, escaped: {q}"
            );
            let names = instant_services(&b.prometheus.url(), q);
            assert!(
                names.iter().all(|n| off.contains(n)),
                "{case}: {q} answered {names:?}"
            );
            seen.extend(names);
        }
        assert_eq!(seen, off, "{case}");

        // The per-service read (a runbook file without the push-down) judges the same.
        let mut fallback = extra.clone();
        fallback.extend(["--runbooks".to_string(), per_service_runbooks(b.dir.path())]);
        let fallback_refs: Vec<&str> = fallback.iter().map(String::as_str).collect();
        let every = b.investigate(&fallback_refs).report();
        assert_eq!(judged(&every), judged(&report), "{case}");
        let s = step(&every, "sampling");
        assert_eq!(s["status"], "warning", "{case}: {s}");
        assert!(
            s["error"]
                .as_str()
                .unwrap()
                .contains("every service's ratio was read"),
            "{case}: {s}"
        );
        let all = instant_services(&b.prometheus.url(), s["queries"][0].as_str().unwrap());
        assert_eq!(all.len(), FLEET.len(), "{case}: {all:?}");
    }
}
