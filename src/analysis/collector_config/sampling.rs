//! The sampling checks of the config lint: `tail_sampling` policies and `probabilistic_sampler`
//! held to the [`SamplingPolicy`].
//!
//! tail_sampling keeps a trace when *any* policy keeps it, so a service's rate is the highest
//! rate of the policies that apply to it: an unscoped `probabilistic` (or `always_sample`) sets a
//! floor for every service, an `and` of `string_attribute service.name` with `probabilistic`
//! scopes a rate to those services, a plain `string_attribute service.name` keeps them all.
//! Policies on anything else (errors, latency, attributes) only add traces and are not rates.
//! Policy reference: opentelemetry-collector-contrib `processor/tailsamplingprocessor/README.md`.
//! Reading the policies into rates: `tail_policies.rs`. Tests: `tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use serde_norway::Value;

use super::tail_policies::{Rate, number, tail_rates};
use super::{CollectorConfig, SamplingPolicy, Seg, dedent, evidence, finding, get};
use crate::report::units;
use crate::report::{Finding, Severity};
use crate::runbook::kinds::remedy;

/// Rates equal within this are the same (percentages are written with a few decimals).
const EPS: f64 = 1e-9;

/// A config snippet for one tail_sampling policy, indented under `policies:`.
fn policy_yaml(name: &str, kind: &str, body: &str) -> String {
    format!("      - name: {name}\n        type: {kind}\n{body}")
}

fn probabilistic_yaml(name: &str, rate: f64) -> String {
    policy_yaml(
        name,
        "probabilistic",
        &format!(
            "        probabilistic:\n          sampling_percentage: {}",
            units::percent_number(rate)
        ),
    )
}

fn services_yaml(name: &str, services: &[&String]) -> String {
    let list: Vec<&str> = services.iter().map(|s| s.as_str()).collect();
    policy_yaml(
        name,
        "string_attribute",
        &format!(
            "        string_attribute:\n          key: service.name\n          values: [{}]",
            list.join(", ")
        ),
    )
}

fn processors_header(id: &str) -> String {
    format!("processors:\n  {id}:\n    policies:\n")
}

/// What each sampling processor of a traces pipeline decides, against the policy.
pub(super) fn check(cfg: &CollectorConfig, policy: &SamplingPolicy, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    let used = cfg
        .pipelines
        .iter()
        .filter(|p| p.signal == "traces")
        .flat_map(|p| &p.processors);
    for id in used {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(def) = cfg.processors.get(id) else {
            continue;
        };
        match super::component_type(id) {
            "tail_sampling" => tail_sampling(cfg, policy, id, def, out),
            "probabilistic_sampler" => head_sampler(cfg, policy, id, def, out),
            _ => {}
        }
    }
}

fn tail_sampling(
    cfg: &CollectorConfig,
    policy: &SamplingPolicy,
    id: &str,
    def: &Value,
    out: &mut Vec<Finding>,
) {
    let Some(policies) = get(def, "policies").and_then(Value::as_sequence) else {
        return;
    };
    let rates = tail_rates(cfg, id, policies);
    let policies_line = cfg.line_of(&[Seg::Key("processors"), Seg::Key(id), Seg::Key("policies")]);
    let resource = format!("processor/{id}");
    let named = |s: &str| {
        policy.critical_services.iter().any(|c| c == s)
            || policy.high_volume_services.iter().any(|h| h == s)
    };

    let global: Vec<&Rate> = rates.iter().filter(|r| r.services.is_empty()).collect();
    for r in &global {
        default_rate(
            cfg,
            policy,
            &resource,
            &format!("{id} policy `{}`", r.name),
            r,
            &|t| tail_fix(id, r, t),
            out,
        );
    }
    if global.is_empty() {
        out.push(
            finding(
                Severity::Warning,
                0.4,
                &resource,
                format!(
                    "{id} has no probabilistic policy: other services keep only the traces its \
                     other policies select, where the sampling policy says {}% \
                     (line {policies_line})",
                    units::percent_number(policy.default_rate)
                ),
                "Every trace no policy selects is dropped after decision_wait.",
            )
            .evidence(evidence(
                cfg,
                policies_line,
                &format!("processors.{id}.policies"),
                format!("{} policies", policies.len()),
            ))
            .remediation(remedy(
                "config_risk",
                "default-rate-policy",
                &[
                    ("id", id),
                    ("line", &policies_line.to_string()),
                    (
                        "config",
                        &(processors_header(id)
                            + &probabilistic_yaml("default-rate", policy.default_rate)),
                    ),
                ],
            )),
        );
    }
    // Scoped rates outside the bounds, for services the policy does not single out.
    for r in rates
        .iter()
        .filter(|r| !r.services.is_empty() && r.rate < 1.0 - EPS)
    {
        if r.services.iter().all(|s| !named(s))
            && (r.rate < policy.adaptive_min - EPS || r.rate > policy.adaptive_max + EPS)
        {
            default_rate(
                cfg,
                policy,
                &resource,
                &format!("{id} policy `{}`", r.name),
                r,
                &|t| tail_fix(id, r, t),
                out,
            );
        }
    }

    let effective = |s: &str| {
        rates
            .iter()
            .filter(|r| r.covers(s))
            .max_by(|a, b| a.rate.total_cmp(&b.rate))
    };
    let starved: Vec<(&String, f64)> = policy
        .critical_services
        .iter()
        .map(|s| (s, effective(s).map_or(0.0, |r| r.rate)))
        .filter(|(_, r)| *r < policy.critical_rate - EPS)
        .collect();
    if !starved.is_empty() {
        let names: Vec<&String> = starved.iter().map(|(s, _)| *s).collect();
        let worst = starved
            .iter()
            .map(|(_, r)| *r)
            .fold(f64::INFINITY, f64::min);
        let list: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        out.push(
            finding(
                Severity::Warning,
                0.5,
                &resource,
                format!(
                    "{id} keeps {}% of critical services {}, where the sampling policy says {}% \
                     (line {policies_line})",
                    units::percent_number(worst),
                    list.join(", "),
                    units::percent_number(policy.critical_rate)
                ),
                "Traces of a critical service that no policy keeps are missing when an incident \
                 needs them; only its errors and slow traces are kept, if such policies exist.",
            )
            .evidence(evidence(
                cfg,
                policies_line,
                &format!("processors.{id}.policies"),
                format!("{}%", units::percent_number(worst)),
            ))
            .remediation(remedy(
                "config_risk",
                "critical-policy",
                &[
                    ("id", id),
                    ("line", &policies_line.to_string()),
                    (
                        "config",
                        &(processors_header(id) + &services_yaml("critical-services", &names)),
                    ),
                ],
            )),
        );
    }

    // High-volume services kept above their rate, grouped by the policy that keeps them.
    let mut over: BTreeMap<usize, (&Rate, Vec<&String>)> = BTreeMap::new();
    for s in &policy.high_volume_services {
        if policy.critical_services.contains(s) {
            continue;
        }
        if let Some(r) = effective(s).filter(|r| r.rate > policy.high_volume_rate + EPS) {
            over.entry(r.line).or_insert((r, Vec::new())).1.push(s);
        }
    }
    for (r, services) in over.values() {
        high_volume(cfg, policy, &resource, id, r, services, out);
    }
}

/// One rate that should be the default (and within the adaptive bounds) but is not; `fix` writes
/// the snippet that sets a rate where this one is written.
fn default_rate(
    cfg: &CollectorConfig,
    policy: &SamplingPolicy,
    resource: &str,
    what: &str,
    r: &Rate,
    fix: &dyn Fn(f64) -> String,
    out: &mut Vec<Finding>,
) {
    let out_of_bounds = r.rate < policy.adaptive_min - EPS || r.rate > policy.adaptive_max + EPS;
    if !out_of_bounds && (r.rate - policy.default_rate).abs() <= EPS {
        return;
    }
    let whom = if r.services.is_empty() {
        "of all traces".to_string()
    } else {
        format!(
            "of {}",
            r.services.iter().cloned().collect::<Vec<_>>().join(", ")
        )
    };
    let title = if out_of_bounds {
        format!(
            "{what} keeps {}% {whom}, outside the sampling policy's bounds {}%–{}% (line {})",
            units::percent_number(r.rate),
            units::percent_number(policy.adaptive_min),
            units::percent_number(policy.adaptive_max),
            r.line
        )
    } else {
        format!(
            "{what} keeps {}% {whom}, where the sampling policy says {}% (line {})",
            units::percent_number(r.rate),
            units::percent_number(policy.default_rate),
            r.line
        )
    };
    // Too low loses traces the policy promises; too high costs storage and can overload it.
    let (severity, score, detail) = if r.rate < policy.default_rate {
        (
            Severity::Warning,
            0.45,
            "Fewer traces are kept than the sampling policy promises: the ones an \
             investigation looks for may be missing.",
        )
    } else {
        (
            Severity::Info,
            0.25,
            "More traces are kept than the sampling policy allows: storage and Collector \
             load grow with it, and an overloaded backend rejects writes.",
        )
    };
    let target = policy
        .default_rate
        .clamp(policy.adaptive_min, policy.adaptive_max);
    let yaml = fix(target);
    out.push(
        finding(severity, score, resource, title, detail)
            .evidence(evidence(
                cfg,
                r.line,
                &r.path,
                units::percent_number(r.rate),
            ))
            .remediation(remedy(
                "config_risk",
                "sampling-percentage",
                &[
                    ("percentage", &units::percent_number(target)),
                    ("what", what),
                    ("line", &r.line.to_string()),
                    ("config", &yaml),
                ],
            )),
    );
}

/// The snippet that sets a tail_sampling rate: the whole policy when it is unscoped, the one key
/// (with where it is) inside an `and`.
fn tail_fix(id: &str, r: &Rate, target: f64) -> String {
    if r.services.is_empty() && r.excluded.is_empty() {
        processors_header(id) + &probabilistic_yaml(&r.name, target)
    } else {
        format!(
            "# in {} (line {}):\nsampling_percentage: {}",
            r.path,
            r.line,
            units::percent_number(target)
        )
    }
}

fn high_volume(
    cfg: &CollectorConfig,
    policy: &SamplingPolicy,
    resource: &str,
    id: &str,
    r: &Rate,
    services: &[&String],
    out: &mut Vec<Finding>,
) {
    let list: Vec<&str> = services.iter().map(|s| s.as_str()).collect();
    let values = list.join(", ");
    let yaml = if r.services.is_empty() {
        // Policies are OR-ed: the unscoped rate must exclude them for their own rate to hold.
        dedent(&format!(
            r#"
            processors:
              {id}:
                policies:
                  - name: {name}
                    type: and
                    and:
                      and_sub_policy:
                        - name: not-high-volume
                          type: string_attribute
                          string_attribute:
                            key: service.name
                            values: [{values}]
                            invert_match: true
                        - name: rate
                          type: probabilistic
                          probabilistic: {{sampling_percentage: {rate}}}
                  - name: high-volume
                    type: and
                    and:
                      and_sub_policy:
                        - name: high-volume-services
                          type: string_attribute
                          string_attribute:
                            key: service.name
                            values: [{values}]
                        - name: rate
                          type: probabilistic
                          probabilistic: {{sampling_percentage: {hv}}}
            "#,
            name = r.name,
            rate = units::percent_number(r.rate),
            hv = units::percent_number(policy.high_volume_rate)
        ))
    } else {
        format!(
            "# in {} (line {}):\nsampling_percentage: {}",
            r.path,
            r.line,
            units::percent_number(policy.high_volume_rate)
        )
    };
    out.push(
        finding(
            Severity::Info,
            0.3,
            resource,
            format!(
                "{id} policy `{}` keeps {}% of high-volume services {values}, where the sampling \
                 policy says {}% (line {})",
                r.name,
                units::percent_number(r.rate),
                units::percent_number(policy.high_volume_rate),
                r.line
            ),
            "tail_sampling keeps a trace if any policy keeps it, so an unscoped rate is a floor \
             for every service: high-volume services need to be excluded from it.",
        )
        .evidence(evidence(
            cfg,
            r.line,
            &r.path,
            units::percent_number(r.rate),
        ))
        .remediation(remedy(
            "config_risk",
            "high-volume-rate",
            &[
                ("values", &values),
                (
                    "percentage",
                    &units::percent_number(policy.high_volume_rate),
                ),
                ("config", &yaml),
            ],
        )),
    );
}

/// `probabilistic_sampler` samples everything that passes, before any tail decision.
fn head_sampler(
    cfg: &CollectorConfig,
    policy: &SamplingPolicy,
    id: &str,
    def: &Value,
    out: &mut Vec<Finding>,
) {
    let Some(p) = number(get(def, "sampling_percentage")) else {
        return;
    };
    let line = cfg.line_of(&[
        Seg::Key("processors"),
        Seg::Key(id),
        Seg::Key("sampling_percentage"),
    ]);
    let r = Rate {
        rate: p / 100.0,
        name: id.to_string(),
        line,
        path: format!("processors.{id}.sampling_percentage"),
        services: BTreeSet::new(),
        excluded: BTreeSet::new(),
    };
    let resource = format!("processor/{id}");
    let fix = |t: f64| {
        format!(
            "processors:\n  {id}:\n    sampling_percentage: {}",
            units::percent_number(t)
        )
    };
    default_rate(
        cfg,
        policy,
        &resource,
        &format!("processor {id}"),
        &r,
        &fix,
        out,
    );
    let critical: Vec<&String> = if r.rate < policy.critical_rate - EPS {
        policy.critical_services.iter().collect()
    } else {
        Vec::new()
    };
    if !critical.is_empty() {
        let list: Vec<&str> = critical.iter().map(|s| s.as_str()).collect();
        out.push(
            finding(
                Severity::Warning,
                0.5,
                &resource,
                format!(
                    "processor {id} keeps {}% of every service, critical services {} included, \
                     where the sampling policy says {}% (line {line})",
                    units::percent_number(r.rate),
                    list.join(", "),
                    units::percent_number(policy.critical_rate)
                ),
                "probabilistic_sampler cannot exempt a service: it drops the same share of every \
                 trace in its pipeline, before any later decision.",
            )
            .evidence(evidence(cfg, line, &r.path, units::percent_number(r.rate)))
            .remediation(remedy(
                "config_risk",
                "replace-with-tail",
                &[
                    ("id", id),
                    (
                        "config",
                        &("processors:\n  tail_sampling:\n    policies:\n".to_string()
                            + &services_yaml("critical-services", &critical)
                            + "\n"
                            + &probabilistic_yaml("default-rate", policy.default_rate)),
                    ),
                ],
            )),
        );
    }
}
