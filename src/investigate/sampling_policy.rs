//! The sampling policy's sources, read the same way for `investigate data-loss` (its `config`
//! step) and `audit` (its `sampling-policy` step), issue #17. In order, the first that states a
//! policy wins: the context's `sampling:` block; the `sampling-config` ConfigMap beside the
//! services, else where the stack runs (the guide's `production_sampling:`, our YAML, or Jaeger's
//! strategies file: [`parse_sampling_config`]); the Collector config's sampler processors; the
//! `OTEL_TRACES_SAMPLER`/`_ARG` of the services' Deployments (their current revision). Nothing:
//! the guide's defaults. Which source holds each service is [`Policy::source_of`]'s to say.
//! Parsing and judging are pure (`crate::analysis::dataloss::policy`); this only fetches. Tests:
//! `tests/it/dataloss.rs` (both commands, with only `--kubeconfig`).

use std::collections::BTreeMap;

use crate::analysis::collector_config::{CollectorConfig, sampler_rates};
use crate::analysis::dataloss::{ConfigText, Policy, PolicySpec, parse_sampling_config};
use crate::analysis::workload::collector_config_maps;
use crate::backends::kubernetes::{Kube, valid_name};
use crate::error::BackendError;
use crate::model::cluster::WorkloadKind;
use crate::settings::{Settings, file::SamplingBlock};

/// The sampling policy's ConfigMap, as the guide names it.
pub(crate) const SAMPLING_CONFIGMAP: &str = "sampling-config";

/// The source a policy from the config file names.
pub(crate) const CONFIG_FILE: &str = "the config file's sampling: block";

/// The Collector's name when nothing says otherwise: its Deployment, pod label `app=NAME` and
/// ConfigMap `NAME-config` (the guide's names; `--collector-name` in data-loss).
pub(crate) const COLLECTOR_NAME: &str = "otel-collector";

/// A ConfigMap's data as the API server gave it: `Ok(None)` when there is none.
type Data = Result<Option<BTreeMap<String, String>>, BackendError>;

/// The config file's `sampling:` block as a policy source.
pub(crate) fn spec_of(b: &SamplingBlock) -> PolicySpec {
    PolicySpec {
        default_rate: b.default_rate,
        critical_services: b.critical_services.clone(),
        critical_rate: b.critical_rate,
        high_volume_services: b.high_volume_services.clone(),
        high_volume_rate: b.high_volume_rate,
        adaptive: b.adaptive,
        adaptive_min: b.adaptive_min,
        adaptive_max: b.adaptive_max,
        ..PolicySpec::default()
    }
}

fn looks_like_collector(text: &str) -> bool {
    text.lines().any(|l| {
        ["receivers:", "exporters:", "processors:", "service:"]
            .iter()
            .any(|k| l.starts_with(k))
    })
}

/// The key holding the Collector's config: the first (in name order) that reads like one, else
/// the only key.
pub(crate) fn pick(data: &BTreeMap<String, String>) -> Option<(&String, &String)> {
    data.iter()
        .find(|(_, v)| looks_like_collector(v))
        .or_else(|| {
            if data.len() == 1 {
                data.iter().next()
            } else {
                None
            }
        })
}

/// The Collector's config text from its ConfigMap `ns/name`, or the note saying why not.
pub(crate) fn collector_text(ns: &str, name: &str, got: Data) -> Result<ConfigText, String> {
    match got {
        Ok(Some(data)) => match pick(&data) {
            Some((key, text)) => Ok(ConfigText {
                source: format!("configmap {ns}/{name} key {key}"),
                text: text.clone(),
            }),
            None => Err(format!(
                "ConfigMap {ns}/{name} holds no Collector config (keys: {})",
                data.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        },
        Ok(None) => Err(format!(
            "no ConfigMap {ns}/{name}: pass --collector-config FILE, or \
             --collector-name/--collector-namespace"
        )),
        Err(e) => Err(e.one_line()),
    }
}

/// The command a human would run to see which ConfigMap the Collector's workloads in `ns` mount.
pub(crate) fn collector_mounts_shown(ns: &str) -> String {
    format!(
        "kubectl get deployments,daemonsets,statefulsets -n {ns} \
         -o jsonpath='{{..volumes[*].configMap.name}}'  # the Collector's config, as its pods mount it"
    )
}

/// The Collector's config ConfigMap in `ns` and what the API server gave for it: the one its
/// Deployment, DaemonSet or StatefulSet mounts that holds a Collector config (what its pods run,
/// whatever the chart named it), else `NAME-config` (the guide's name). The conventional
/// ConfigMap and the workload lists are asked at once, so the usual case costs no extra round
/// trip; a mounted ConfigMap under another name costs one. A list that fails (RBAC) leaves the
/// conventional name, and `-v` says why.
pub(crate) async fn collector_configmap(
    k: &Kube,
    ns: &str,
    collector_name: &str,
) -> (String, Data) {
    let conventional = format!("{collector_name}-config");
    let lists = futures::future::join_all(WorkloadKind::ALL.map(|kind| k.workloads_of(ns, kind)));
    let (conv, lists) = futures::join!(k.config_map_data(ns, &conventional), lists);
    let mut workloads = Vec::new();
    for list in lists {
        match list {
            Ok(w) => workloads.extend(w),
            Err(e) => tracing::info!("the Collector's workloads in {ns}: {}", e.one_line()),
        }
    }
    let mounted: Vec<String> = collector_config_maps(&workloads, collector_name)
        .into_iter()
        .filter(|n| *n != conventional && valid_name(n))
        .collect();
    let got = futures::future::join_all(mounted.iter().map(|m| k.config_map_data(ns, m))).await;
    choose_collector_configmap((conventional, conv), mounted.into_iter().zip(got).collect())
}

/// Of the ConfigMaps the Collector mounts (in order) and the conventional one, the one that is
/// its config: the first mounted one with a key that reads like a Collector config (not merely
/// a single key: a mounted CA bundle has one too); else the conventional one; else, when there
/// is none under the guide's name, the first mounted, so the note names what the pods mount.
fn choose_collector_configmap(
    conventional: (String, Data),
    mut mounted: Vec<(String, Data)>,
) -> (String, Data) {
    let reads_like_config =
        |d: &Data| matches!(d, Ok(Some(d)) if d.values().any(|v| looks_like_collector(v)));
    if let Some(i) = mounted.iter().position(|(_, d)| reads_like_config(d)) {
        let (name, data) = mounted.swap_remove(i);
        tracing::info!("the Collector's config: ConfigMap {name}, mounted by its pods");
        return (name, data);
    }
    match (conventional, mounted.into_iter().next()) {
        ((_, Ok(None)), Some(first)) => first,
        (conventional, _) => conventional,
    }
}

/// Where one run looks for the policy.
pub(crate) struct Sources<'a> {
    pub settings: &'a Settings,
    pub kube: Option<&'a Kube>,
    /// The services' namespace: the ConfigMap's first place, and the Deployments whose SDK
    /// environment is read.
    pub ns: &'a str,
    /// Where the tracing stack runs: the ConfigMap's second place.
    pub stack_ns: Option<&'a str>,
}

impl Sources<'_> {
    fn configmap_namespaces(&self) -> Vec<&str> {
        std::iter::once(self.ns)
            .chain(self.stack_ns.filter(|s| *s != self.ns))
            .collect()
    }

    /// The commands a human would run for what [`Sources::policy`] reads (the Collector's own
    /// ConfigMap is its caller's to show): nothing past the config file's block when it has one.
    pub fn shown(&self) -> Vec<String> {
        if self.settings.sampling.is_some() {
            return Vec::new();
        }
        let mut shown: Vec<String> = self
            .configmap_namespaces()
            .iter()
            .map(|ns| format!("kubectl get configmap {SAMPLING_CONFIGMAP} -n {ns} -o yaml"))
            .collect();
        shown.push(format!(
            "kubectl get deployments -n {} -o yaml  # the SDK's sampler, when no other source states a policy",
            self.ns
        ));
        shown
    }

    /// The sampling ConfigMap from the first namespace holding one; `None` when the config
    /// file states the policy or there is no cluster to ask.
    pub async fn sampling_configmap(&self) -> Option<(String, Data)> {
        let k = self.kube?;
        if self.settings.sampling.is_some() {
            return None;
        }
        for ns in self.configmap_namespaces() {
            match k.config_map_data(ns, SAMPLING_CONFIGMAP).await {
                Ok(None) => continue,
                found => return Some((ns.to_string(), found)),
            }
        }
        Some((self.ns.to_string(), Ok(None)))
    }

    /// The policy from the first source that states one (`None`: none does, the guide's
    /// defaults apply), given the sampling ConfigMap [`Sources::sampling_configmap`] read and
    /// the Collector's config when known. What could not be read goes to `notes`.
    pub async fn policy(
        &self,
        configmap: Option<(String, Data)>,
        collector: Option<&ConfigText>,
        notes: &mut Vec<String>,
    ) -> Option<Policy> {
        if let Some(b) = &self.settings.sampling {
            return Some(spec_of(b).apply(Policy::default(), CONFIG_FILE));
        }
        match configmap {
            Some((ns, Ok(Some(data)))) => match parse_sampling_config(&data) {
                Ok(Some((key, spec))) => {
                    return Some(spec.apply(
                        Policy::default(),
                        &format!("ConfigMap {ns}/{SAMPLING_CONFIGMAP} key {key}"),
                    ));
                }
                Ok(None) => {}
                Err(e) => notes.push(format!(
                    "ConfigMap {ns}/{SAMPLING_CONFIGMAP}: {e}; the guide's defaults apply"
                )),
            },
            Some((_, Err(e))) => notes.push(e.one_line()),
            _ => {}
        }
        // Third source: the Collector's own samplers.
        if let Some(c) = collector
            && let Ok(cfg) = CollectorConfig::parse(&c.text, &c.source)
            && let Some(rates) = sampler_rates(&cfg)
        {
            return Some(PolicySpec::from_samplers(&rates).apply(
                Policy::default(),
                &format!("{} processors {}", c.source, rates.processors.join(", ")),
            ));
        }
        // Fourth: the SDK environment of the services' Deployments (their current revision).
        let k = self.kube?;
        let ns = self.ns;
        match k.deployments(ns).await {
            Ok(ds) => PolicySpec::from_sdk_env(&ds, ns).map(|(spec, from)| {
                spec.apply(
                    Policy::default(),
                    &format!("the SDK environment of {} in {ns}", from.join(", ")),
                )
            }),
            Err(e) => {
                notes.push(e.one_line());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collector_key_is_the_one_that_reads_like_a_config() {
        let data = BTreeMap::from([
            ("README".to_string(), "see the wiki".to_string()),
            (
                "relay".to_string(),
                "receivers:\n  otlp: {}\nservice: {}\n".to_string(),
            ),
        ]);
        assert_eq!(pick(&data).unwrap().0, "relay");
        let one = BTreeMap::from([("x".to_string(), "# empty".to_string())]);
        assert_eq!(pick(&one).unwrap().0, "x");
        let none = BTreeMap::from([
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "2".to_string()),
        ]);
        assert!(pick(&none).is_none());
        let t = collector_text("m", "c-config", Ok(Some(none))).unwrap_err();
        assert_eq!(
            t,
            "ConfigMap m/c-config holds no Collector config (keys: a, b)"
        );
        let t = collector_text("m", "c-config", Ok(Some(data))).unwrap();
        assert_eq!(t.source, "configmap m/c-config key relay");
    }

    #[test]
    fn the_collectors_config_is_the_mounted_configmap_that_reads_like_one() {
        let cm = |pairs: &[(&str, &str)]| -> Data {
            Ok(Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ))
        };
        let config = "receivers:\n  otlp: {}\n";
        let conventional = || {
            (
                "otel-collector-config".to_string(),
                cm(&[("relay", config)]),
            )
        };
        let ca = || {
            (
                "ca-bundle".to_string(),
                cm(&[("ca.crt", "-----BEGIN CERTIFICATE-----")]),
            )
        };
        let chart = || ("obs-collector".to_string(), cm(&[("relay", config)]));
        // A mounted config wins over the guide's name, a one-key CA bundle does not.
        assert_eq!(
            choose_collector_configmap(conventional(), vec![ca(), chart()]).0,
            "obs-collector"
        );
        assert_eq!(
            choose_collector_configmap(conventional(), vec![ca()]).0,
            "otel-collector-config"
        );
        // Nothing under the guide's name: what the pods mount, so the note names it.
        let absent = ("otel-collector-config".to_string(), Ok(None));
        assert_eq!(
            choose_collector_configmap(absent, vec![ca()]).0,
            "ca-bundle"
        );
        let absent = ("otel-collector-config".to_string(), Ok(None));
        assert_eq!(
            choose_collector_configmap(absent, Vec::new()).0,
            "otel-collector-config"
        );
    }

    #[test]
    fn the_config_file_policy_maps_every_key() {
        let b = SamplingBlock {
            default_rate: Some(0.2),
            critical_services: vec!["payment".into()],
            critical_rate: Some(0.9),
            high_volume_services: vec!["ads".into()],
            high_volume_rate: Some(0.02),
            adaptive: Some(false),
            adaptive_min: Some(0.01),
            adaptive_max: Some(0.4),
        };
        let p = spec_of(&b).apply(Policy::default(), "file");
        assert_eq!(p.sampling.default_rate, 0.2);
        assert_eq!(p.sampling.critical_rate, 0.9);
        assert_eq!(p.sampling.high_volume_rate, 0.02);
        assert_eq!(p.sampling.adaptive_min, 0.01);
        assert_eq!(p.sampling.adaptive_max, 0.4);
        assert!(!p.adaptive);
        assert_eq!(p.source, "file");
        assert_eq!(p.source_of("payment"), "file");
        assert_eq!(p.source_of("anything"), "file");
    }
}
