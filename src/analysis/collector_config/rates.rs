//! The Collector's sampler processors read as a sampling policy, for when nothing else states
//! one (issue #17: the policy's third source, after the context and the sampling ConfigMap).
//! In the traces pipelines, a `probabilistic_sampler` keeps its `sampling_percentage` of every
//! trace; a `tail_sampling` processor keeps a trace when any policy does, so a service's rate is
//! the highest rate among the policies covering it (`tail_policies.rs` reads them). Head and tail
//! samplers in a row multiply. Without any sampler the Collector keeps everything it receives and
//! states no policy (`None`); a tail_sampling with only service-scoped rates states none for the
//! other services. Pure; tests in `tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use serde_norway::Value;

use super::tail_policies::{number, tail_rates};
use super::{CollectorConfig, component_type, get};

/// What the traces pipelines' samplers keep.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamplerRates {
    /// The share of every service's traces kept; `None`: the samplers say nothing general.
    pub default: Option<f64>,
    /// Services given a rate of their own (tail_sampling scoped by `service.name`).
    pub services: BTreeMap<String, f64>,
    /// The sampler processors read (`probabilistic_sampler`, `tail_sampling/slow`).
    pub processors: Vec<String>,
}

/// The samplers of `cfg`'s traces pipelines as rates; `None` when there is no sampler.
pub fn sampler_rates(cfg: &CollectorConfig) -> Option<SamplerRates> {
    let mut seen = BTreeSet::new();
    let ids: Vec<&String> = cfg
        .pipelines
        .iter()
        .filter(|p| p.signal == "traces")
        .flat_map(|p| &p.processors)
        .filter(|id| seen.insert(id.as_str()))
        .collect();
    let mut head = 1.0;
    let mut tail: Option<(Option<f64>, BTreeMap<String, f64>)> = None;
    let mut out = SamplerRates::default();
    for id in ids {
        let Some(def) = cfg.processors.get(id) else {
            continue;
        };
        match component_type(id) {
            "probabilistic_sampler" => {
                if let Some(p) = number(get(def, "sampling_percentage")) {
                    head *= (p / 100.0).clamp(0.0, 1.0);
                    out.processors.push(id.clone());
                }
            }
            "tail_sampling" => {
                let Some(policies) = get(def, "policies").and_then(Value::as_sequence) else {
                    continue;
                };
                let rates = tail_rates(cfg, id, policies);
                let floor = rates
                    .iter()
                    .filter(|r| r.services.is_empty() && r.excluded.is_empty())
                    .map(|r| r.rate)
                    .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
                let named: BTreeSet<&String> = rates.iter().flat_map(|r| &r.services).collect();
                let services = named
                    .into_iter()
                    .map(|s| {
                        let best = rates
                            .iter()
                            .filter(|r| r.covers(s))
                            .map(|r| r.rate)
                            .fold(0.0, f64::max);
                        (s.clone(), best)
                    })
                    .collect();
                tail = Some((floor, services));
                out.processors.push(id.clone());
            }
            _ => {}
        }
    }
    if out.processors.is_empty() {
        return None;
    }
    match tail {
        Some((floor, services)) => {
            out.default = floor.map(|f| (f * head).clamp(0.0, 1.0));
            out.services = services
                .into_iter()
                .map(|(s, r)| (s, (r * head).clamp(0.0, 1.0)))
                .collect();
        }
        None => out.default = Some(head),
    }
    Some(out)
}
