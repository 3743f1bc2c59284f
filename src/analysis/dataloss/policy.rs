//! The sampling policy services are held to (guide section 2.3.2): 10% by default, 100% for
//! critical services, 1% for high-volume ones, and adaptive sampling moving the default between
//! 0.1% and 50%. It comes from the config file's `sampling:` block, else the `sampling-config`
//! ConfigMap, else those defaults; [`PolicySpec::apply`] lays one source over the defaults.
//!
//! The ConfigMap may hold the guide's own document (`production_sampling:` with
//! `default_sampling.rate`, `service_specific_sampling.{critical,high_volume}_services.{rate,
//! services}` and `adaptive_sampling.{enabled,min_sampling_rate,max_sampling_rate}`; the guide
//! names no services, so `services:` lists them) or the config file's keys, at the top or under
//! `sampling:`. It may also hold Jaeger's remote sampling strategies (the file Jaeger's
//! `--sampling.strategies-file` and the Collector's `jaeger_remote_sampling` extension serve, as
//! JSON or YAML): `default_strategy` is the default tier (a fixed rate, not adaptive), a service
//! strategy sampling everything makes the service critical, any other is that service's own rate,
//! and per-operation strategies widen what its overall ratio may be to the range of its
//! operations' rates; a rate-limiting strategy (traces per second) cannot be held to a ratio and
//! is not judged. Pure; tests in `tests.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_norway::Value;

use crate::analysis::collector_config::SamplingPolicy;

/// The source of a policy nothing else states.
pub const GUIDE_DEFAULTS: &str = "the guide's defaults (section 2.3.2)";

#[derive(Debug, Clone)]
pub struct Policy {
    pub sampling: SamplingPolicy,
    /// Adaptive sampling is on: a default-tier service may sample anywhere within
    /// `[adaptive_min, adaptive_max]`.
    pub adaptive: bool,
    /// Where it came from, for evidence.
    pub source: String,
    /// Where the default tier's rate came from: `source` when that source set it, else the
    /// source underneath (the guide's defaults). A source that names only some services (the
    /// SDK environment, a Collector's per-service sampler) leaves the others to it.
    pub default_source: String,
    /// Where each service the sources name got its rate or tier (the SDK environment names its
    /// Deployment per service): [`Policy::source_of`].
    pub service_sources: BTreeMap<String, String>,
    /// Services with a rate of their own (Jaeger's `service_strategies`).
    pub services: BTreeMap<String, ServiceRate>,
    /// The range per-operation default strategies allow a default-tier service, when the policy
    /// is not adaptive.
    pub default_range: Option<(f64, f64)>,
}

/// One service's own rate, and with per-operation strategies the range its overall ratio may
/// take (the lowest and highest of its operations' rates and its own).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRate {
    pub rate: f64,
    pub range: Option<(f64, f64)>,
}

/// What a service is held to.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub tier: Tier,
    pub rate: f64,
    /// Any ratio in it is within policy (adaptive sampling, or per-operation rates).
    pub range: Option<(f64, f64)>,
    /// The range comes from per-operation strategies, not adaptive sampling.
    pub by_operation: bool,
}

impl Expect {
    /// `its policy is 10% adaptive between 0.1% and 50%`, `its critical policy is 100%`.
    pub fn words(&self) -> String {
        let pct = crate::report::units::percent;
        match self.range {
            Some((lo, hi)) if !self.by_operation => format!(
                "its policy is {} adaptive between {} and {}",
                pct(self.rate),
                pct(lo),
                pct(hi)
            ),
            Some((lo, hi)) => format!(
                "its {} policy is {}, {} to {} by operation",
                self.tier.as_str(),
                pct(self.rate),
                pct(lo),
                pct(hi)
            ),
            None => format!("its {} policy is {}", self.tier.as_str(), pct(self.rate)),
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            sampling: SamplingPolicy::default(),
            adaptive: true,
            source: GUIDE_DEFAULTS.into(),
            default_source: GUIDE_DEFAULTS.into(),
            service_sources: BTreeMap::new(),
            services: BTreeMap::new(),
            default_range: None,
        }
    }
}

/// Which rate of the policy applies to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Critical,
    HighVolume,
    Default,
    /// A rate of its own (Jaeger's per-service strategies).
    Service,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Critical => "critical",
            Tier::HighVolume => "high-volume",
            Tier::Default => "default",
            Tier::Service => "service-specific",
        }
    }
}

impl Policy {
    /// Which source `service` is held by: the one that named it (its tier or its own rate),
    /// else the one that set the default tier. What `audit` and `investigate data-loss` cite
    /// per service.
    pub fn source_of(&self, service: &str) -> &str {
        self.service_sources
            .get(service)
            .unwrap_or(&self.default_source)
    }

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

    /// A tier's rate; a service-specific one is [`Policy::expect`]'s to say.
    pub fn rate(&self, tier: Tier) -> f64 {
        match tier {
            Tier::Critical => self.sampling.critical_rate,
            Tier::HighVolume => self.sampling.high_volume_rate,
            Tier::Default | Tier::Service => self.sampling.default_rate,
        }
    }

    /// What `service` is held to: a critical or high-volume tier, its own rate, else the default
    /// (with the adaptive range, or the per-operation one).
    pub fn expect(&self, service: &str) -> Expect {
        let tier = self.tier(service);
        if tier == Tier::Default
            && let Some(own) = self.services.get(service)
        {
            return Expect {
                tier: Tier::Service,
                rate: own.rate,
                range: own.range,
                by_operation: true,
            };
        }
        self.expect_tier(tier)
    }

    /// What a service of `tier` is held to, when it has no rate of its own: every service the
    /// policy does not name is held to `expect_tier(Tier::Default)`.
    pub fn expect_tier(&self, tier: Tier) -> Expect {
        let s = &self.sampling;
        let (range, by_operation) = match tier {
            Tier::Default if self.adaptive => (Some((s.adaptive_min, s.adaptive_max)), false),
            Tier::Default => (self.default_range, true),
            _ => (None, false),
        };
        Expect {
            tier,
            rate: self.rate(tier),
            range,
            by_operation,
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
    /// Per-service rates (Jaeger's strategies only; our YAML has tiers).
    #[serde(skip)]
    pub services: BTreeMap<String, ServiceRate>,
    #[serde(skip)]
    pub default_range: Option<(f64, f64)>,
    /// Per service, a more precise source than the one [`PolicySpec::apply`] is given (the SDK
    /// environment: the Deployment it was read from).
    #[serde(skip)]
    pub origins: BTreeMap<String, String>,
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
        if !self.services.is_empty() {
            base.services = self.services.clone();
        }
        if self.default_range.is_some() {
            base.default_range = self.default_range;
        }
        let sets_default = self.default_rate.is_some()
            || self.adaptive.is_some()
            || self.adaptive_min.is_some()
            || self.adaptive_max.is_some()
            || self.default_range.is_some();
        if sets_default {
            base.default_source = source.to_string();
        }
        let named = self
            .critical_services
            .iter()
            .chain(&self.high_volume_services)
            .chain(self.services.keys());
        for svc in named {
            let from = self.origins.get(svc).map_or(source, String::as_str);
            base.service_sources.insert(svc.clone(), from.to_string());
        }
        base.source = source.to_string();
        base
    }
}

impl PolicySpec {
    /// The Collector's samplers as a policy (its third source): their general rate is a fixed
    /// default (not adaptive), a service they keep in full is critical, any other scoped rate is
    /// the service's own.
    pub fn from_samplers(r: &crate::analysis::collector_config::SamplerRates) -> PolicySpec {
        let mut spec = PolicySpec {
            default_rate: r.default,
            adaptive: r.default.map(|_| false),
            ..PolicySpec::default()
        };
        for (svc, &rate) in &r.services {
            if rate >= 1.0 {
                spec.critical_services.push(svc.clone());
                spec.critical_rate = Some(1.0);
            } else {
                spec.services
                    .insert(svc.clone(), ServiceRate { rate, range: None });
            }
        }
        spec
    }
}

/// The rate an SDK's sampler variables set (the OpenTelemetry SDK environment specification):
/// `None` for a sampler that is not a fixed ratio (`jaeger_remote`, `xray`, unknown) or an
/// argument that is not one.
pub fn sdk_rate(sampler: &str, arg: Option<&str>) -> Option<f64> {
    match sampler.trim() {
        "always_on" | "parentbased_always_on" => Some(1.0),
        "always_off" | "parentbased_always_off" => Some(0.0),
        "traceidratio" | "parentbased_traceidratio" => match arg {
            // The specification's default argument.
            None => Some(1.0),
            Some(a) => a
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite() && (0.0..=1.0).contains(r)),
        },
        _ => None,
    }
}

/// The service a container reports as: `OTEL_SERVICE_NAME`, else `service.name` in
/// `OTEL_RESOURCE_ATTRIBUTES`, else `fallback` (its workload's name).
pub fn sdk_service_name(env: &BTreeMap<String, String>, fallback: &str) -> String {
    if let Some(n) = env
        .get("OTEL_SERVICE_NAME")
        .filter(|n| !n.trim().is_empty())
    {
        return n.trim().to_string();
    }
    env.get("OTEL_RESOURCE_ATTRIBUTES")
        .and_then(|attrs| {
            attrs.split(',').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                (k.trim() == "service.name" && !v.trim().is_empty()).then(|| v.trim().to_string())
            })
        })
        .unwrap_or_else(|| fallback.to_string())
}

impl PolicySpec {
    /// The policy the Deployments' SDK environment states (its fourth source): each container
    /// with a fixed-ratio sampler holds its service to that rate (in full: critical). `None`
    /// when no Deployment sets one. The workloads it came from are returned for the evidence.
    /// Each service's origin is `the SDK environment of deployment/NAME in NS`.
    pub fn from_sdk_env(
        deployments: &[crate::model::cluster::DeploymentInfo],
        namespace: &str,
    ) -> Option<(PolicySpec, Vec<String>)> {
        let mut spec = PolicySpec::default();
        let mut from = Vec::new();
        for d in deployments {
            for c in &d.containers {
                let Some(sampler) = c.sdk_env.get("OTEL_TRACES_SAMPLER") else {
                    continue;
                };
                let arg = c.sdk_env.get("OTEL_TRACES_SAMPLER_ARG").map(String::as_str);
                let Some(rate) = sdk_rate(sampler, arg) else {
                    continue;
                };
                let svc = sdk_service_name(&c.sdk_env, &d.name);
                spec.origins.insert(
                    svc.clone(),
                    format!(
                        "the SDK environment of deployment/{} in {namespace}",
                        d.name
                    ),
                );
                if rate >= 1.0 {
                    spec.critical_services.push(svc);
                    spec.critical_rate = Some(1.0);
                } else {
                    spec.services.insert(svc, ServiceRate { rate, range: None });
                }
                from.push(format!("deployment/{}", d.name));
            }
        }
        from.dedup();
        (!from.is_empty()).then_some((spec, from))
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
    if root.get("service_strategies").is_some() || root.get("default_strategy").is_some() {
        return from_jaeger(&root);
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
        ..PolicySpec::default()
    }
}

/// One Jaeger strategy: `Some(rate)` for `probabilistic`, `None` for `ratelimiting` (traces per
/// second: no ratio to hold a service to).
fn jaeger_rate(v: &Value, what: &str) -> Result<Option<f64>, String> {
    let kind = v
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("probabilistic");
    let param = v.get("param").and_then(Value::as_f64);
    match kind {
        "probabilistic" => match param {
            Some(p) if p.is_finite() && (0.0..=1.0).contains(&p) => Ok(Some(p)),
            Some(p) => Err(format!(
                "{what}: probabilistic param {p} is not within 0..1"
            )),
            None => Err(format!("{what}: probabilistic strategy without param")),
        },
        "ratelimiting" => Ok(None),
        other => Err(format!("{what}: unknown strategy type {other:?}")),
    }
}

/// The range a service's overall ratio may take: its own rate and its operations' rates.
fn operations_range(v: &Value, own: f64, what: &str) -> Result<Option<(f64, f64)>, String> {
    let Some(ops) = v.get("operation_strategies").and_then(Value::as_sequence) else {
        return Ok(None);
    };
    let (mut lo, mut hi) = (own, own);
    for op in ops {
        let name = op.get("operation").and_then(Value::as_str).unwrap_or("?");
        // Jaeger honours only probabilistic per-operation strategies.
        if let Some(r) = jaeger_rate(op, &format!("{what} operation {name}"))? {
            lo = lo.min(r);
            hi = hi.max(r);
        }
    }
    Ok((lo < hi).then_some((lo, hi)))
}

fn from_jaeger(root: &Value) -> Result<PolicySpec, String> {
    let mut spec = PolicySpec::default();
    if let Some(d) = root.get("default_strategy") {
        match jaeger_rate(d, "default_strategy")? {
            Some(rate) => {
                spec.default_rate = Some(rate);
                spec.adaptive = Some(false);
                spec.default_range = operations_range(d, rate, "default_strategy")?;
            }
            None => {
                // Rate-limited by default: any ratio is within policy.
                spec.adaptive = Some(true);
                spec.adaptive_min = Some(0.0);
                spec.adaptive_max = Some(1.0);
            }
        }
    }
    for s in root
        .get("service_strategies")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let Some(name) = s.get("service").and_then(Value::as_str) else {
            return Err("service_strategies: an entry without service".into());
        };
        let what = format!("service {name}");
        let own = match jaeger_rate(s, &what)? {
            Some(r) => ServiceRate {
                rate: r,
                range: operations_range(s, r, &what)?,
            },
            None => ServiceRate {
                rate: 1.0,
                range: Some((0.0, 1.0)),
            },
        };
        if own.rate >= 1.0 && own.range.is_none() {
            spec.critical_services.push(name.to_string());
            spec.critical_rate = Some(1.0);
        } else {
            spec.services.insert(name.to_string(), own);
        }
    }
    Ok(spec)
}
