//! The sampling policy services are held to (guide section 2.3.2): 10% by default, 100% for
//! critical services, 1% for high-volume ones, and adaptive sampling moving the default between
//! 0.1% and 50%. It comes from the config file's `sampling:` block, else the `sampling-config`
//! ConfigMap, else those defaults; [`PolicySpec::apply`] lays one source over the defaults.
//!
//! The ConfigMap may hold the guide's own document (`production_sampling:` with
//! `default_sampling.rate`, `service_specific_sampling.{critical,high_volume}_services.{rate,
//! services}` and `adaptive_sampling.{enabled,min_sampling_rate,max_sampling_rate}`; the guide
//! names no services, so `services:` lists them) or the config file's keys, at the top or under
//! `sampling:`. Pure; tests in `tests.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_norway::Value;

use crate::analysis::collector_config::SamplingPolicy;

#[derive(Debug, Clone)]
pub struct Policy {
    pub sampling: SamplingPolicy,
    /// Adaptive sampling is on: a default-tier service may sample anywhere within
    /// `[adaptive_min, adaptive_max]`.
    pub adaptive: bool,
    /// Where it came from, for evidence.
    pub source: String,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            sampling: SamplingPolicy::default(),
            adaptive: true,
            source: "the guide's defaults (section 2.3.2)".into(),
        }
    }
}

/// Which rate of the policy applies to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Critical,
    HighVolume,
    Default,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Critical => "critical",
            Tier::HighVolume => "high-volume",
            Tier::Default => "default",
        }
    }
}

impl Policy {
    pub fn tier(&self, service: &str) -> Tier {
        let s = &self.sampling;
        if s.critical_services.iter().any(|x| x == service) {
            Tier::Critical
        } else if s.high_volume_services.iter().any(|x| x == service) {
            Tier::HighVolume
        } else {
            Tier::Default
        }
    }

    pub fn rate(&self, tier: Tier) -> f64 {
        match tier {
            Tier::Critical => self.sampling.critical_rate,
            Tier::HighVolume => self.sampling.high_volume_rate,
            Tier::Default => self.sampling.default_rate,
        }
    }
}

/// One source's settings; what it leaves out keeps the value underneath.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    #[serde(default)]
    pub default_rate: Option<f64>,
    #[serde(default)]
    pub critical_services: Vec<String>,
    #[serde(default)]
    pub critical_rate: Option<f64>,
    #[serde(default)]
    pub high_volume_services: Vec<String>,
    #[serde(default)]
    pub high_volume_rate: Option<f64>,
    #[serde(default)]
    pub adaptive: Option<bool>,
    #[serde(default)]
    pub adaptive_min: Option<f64>,
    #[serde(default)]
    pub adaptive_max: Option<f64>,
}

impl PolicySpec {
    /// `base` with this spec's values over it. Rates outside [0, 1] are ignored (a typo such as
    /// `10` for 10% must not pass as a policy).
    pub fn apply(&self, mut base: Policy, source: &str) -> Policy {
        let valid = |v: Option<f64>| v.filter(|r| r.is_finite() && (0.0..=1.0).contains(r));
        let s = &mut base.sampling;
        if let Some(r) = valid(self.default_rate) {
            s.default_rate = r;
        }
        if let Some(r) = valid(self.critical_rate) {
            s.critical_rate = r;
        }
        if let Some(r) = valid(self.high_volume_rate) {
            s.high_volume_rate = r;
        }
        if let Some(r) = valid(self.adaptive_min) {
            s.adaptive_min = r;
        }
        if let Some(r) = valid(self.adaptive_max) {
            s.adaptive_max = r;
        }
        if !self.critical_services.is_empty() {
            s.critical_services = self.critical_services.clone();
        }
        if !self.high_volume_services.is_empty() {
            s.high_volume_services = self.high_volume_services.clone();
        }
        if let Some(a) = self.adaptive {
            base.adaptive = a;
        }
        base.source = source.to_string();
        base
    }
}

/// The policy in a sampling ConfigMap's data: the first key (in name order) holding one.
/// `Ok(None)` for an empty ConfigMap; `Err` names the keys when none holds a policy.
pub fn parse_sampling_config(
    data: &BTreeMap<String, String>,
) -> Result<Option<(String, PolicySpec)>, String> {
    if data.is_empty() {
        return Ok(None);
    }
    let mut reasons = Vec::new();
    for (key, text) in data {
        match parse_text(text) {
            Ok(spec) => return Ok(Some((key.clone(), spec))),
            Err(e) => reasons.push(format!("{key}: {e}")),
        }
    }
    Err(format!(
        "no key holds a sampling policy ({})",
        reasons.join("; ")
    ))
}

fn parse_text(text: &str) -> Result<PolicySpec, String> {
    let root: Value = serde_norway::from_str(text).map_err(|e| {
        let m = e.to_string();
        m.split(" at line ").next().unwrap_or(&m).to_string()
    })?;
    if let Some(guide) = root.get("production_sampling") {
        return Ok(from_guide(guide));
    }
    let body = root.get("sampling").unwrap_or(&root);
    if body.as_mapping().is_none() {
        return Err("not a mapping".into());
    }
    serde_norway::from_value::<PolicySpec>(body.clone()).map_err(|e| {
        let m = e.to_string();
        m.split(" at line ").next().unwrap_or(&m).to_string()
    })
}

fn from_guide(v: &Value) -> PolicySpec {
    let num = |v: Option<&Value>| v.and_then(Value::as_f64);
    let list = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_sequence)
            .map(|s| {
                s.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let specific = v.get("service_specific_sampling");
    let tier = |name: &str| specific.and_then(|s| s.get(name));
    let adaptive = v.get("adaptive_sampling");
    PolicySpec {
        default_rate: num(v.get("default_sampling").and_then(|d| d.get("rate"))),
        critical_services: list(tier("critical_services").and_then(|t| t.get("services"))),
        critical_rate: num(tier("critical_services").and_then(|t| t.get("rate"))),
        high_volume_services: list(tier("high_volume_services").and_then(|t| t.get("services"))),
        high_volume_rate: num(tier("high_volume_services").and_then(|t| t.get("rate"))),
        adaptive: adaptive
            .and_then(|a| a.get("enabled"))
            .and_then(Value::as_bool),
        adaptive_min: num(adaptive.and_then(|a| a.get("min_sampling_rate"))),
        adaptive_max: num(adaptive.and_then(|a| a.get("max_sampling_rate"))),
    }
}
