//! tail_sampling policies read as rates: which share of whose traces each policy keeps, and
//! where in the config it says so. Part of the sampling checks (`sampling.rs`); tests in
//! `tests.rs`.

use std::collections::BTreeSet;

use serde_norway::Value;

use super::{CollectorConfig, Seg, get, untag};

pub(super) fn number(v: Option<&Value>) -> Option<f64> {
    v.map(untag)
        .and_then(Value::as_f64)
        .filter(|f| f.is_finite())
}

pub(super) fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    get(v, key).and_then(Value::as_str)
}

/// A rate one policy sets, where it is written, and whom it covers.
#[derive(Debug, Clone)]
pub(super) struct Rate {
    pub(super) rate: f64,
    pub(super) name: String,
    pub(super) line: usize,
    pub(super) path: String,
    /// Empty: every service (minus `excluded`).
    pub(super) services: BTreeSet<String>,
    pub(super) excluded: BTreeSet<String>,
}

impl Rate {
    pub(super) fn covers(&self, service: &str) -> bool {
        (self.services.is_empty() || self.services.contains(service))
            && !self.excluded.contains(service)
    }
}

/// The services a `string_attribute` policy on `service.name` selects, and whether it is
/// inverted; `None` for anything else (another key, regex matching).
pub(super) fn service_match(p: &Value) -> Option<(BTreeSet<String>, bool)> {
    if text(p, "type") != Some("string_attribute") {
        return None;
    }
    let sa = get(p, "string_attribute")?;
    let regex = matches!(get(sa, "enabled_regex_matching"), Some(Value::Bool(true)));
    if text(sa, "key") != Some("service.name") || regex {
        return None;
    }
    let values = super::id_list(get(sa, "values")).into_iter().collect();
    Some((
        values,
        matches!(get(sa, "invert_match"), Some(Value::Bool(true))),
    ))
}

/// The rate a `probabilistic` or `always_sample` policy keeps, with the path below the policy.
pub(super) fn policy_rate(p: &Value) -> Option<(f64, Vec<&'static str>)> {
    match text(p, "type")? {
        "always_sample" => Some((1.0, vec!["type"])),
        "probabilistic" => {
            let pct = number(get(p, "probabilistic").and_then(|b| get(b, "sampling_percentage")))?;
            Some((pct / 100.0, vec!["probabilistic", "sampling_percentage"]))
        }
        _ => None,
    }
}

/// Every rate in a tail_sampling processor's `policies`.
pub(super) fn tail_rates(cfg: &CollectorConfig, id: &str, policies: &[Value]) -> Vec<Rate> {
    let mut out = Vec::new();
    for (i, p) in policies.iter().enumerate() {
        let p = untag(p);
        let name = text(p, "name").unwrap_or("(unnamed)").to_string();
        let base = [
            Seg::Key("processors"),
            Seg::Key(id),
            Seg::Key("policies"),
            Seg::Item(i),
        ];
        let at = |tail: &[Seg]| {
            let path: Vec<Seg> = base.iter().chain(tail).copied().collect();
            cfg.line_of(&path)
        };
        let dotted = |tail: &[&str]| {
            let mut s = format!("processors.{id}.policies[{i}]");
            for t in tail {
                s.push('.');
                s.push_str(t);
            }
            s
        };
        if let Some((rate, tail)) = policy_rate(p) {
            let segs: Vec<Seg> = tail.iter().map(|k| Seg::Key(k)).collect();
            out.push(Rate {
                rate,
                name,
                line: at(&segs),
                path: dotted(&tail),
                services: BTreeSet::new(),
                excluded: BTreeSet::new(),
            });
        } else if let Some((services, false)) = service_match(p) {
            out.push(Rate {
                rate: 1.0,
                name,
                line: at(&[Seg::Key("string_attribute")]),
                path: dotted(&["string_attribute"]),
                services,
                excluded: BTreeSet::new(),
            });
        } else if text(p, "type") == Some("and") {
            let subs = get(p, "and")
                .and_then(|a| get(a, "and_sub_policy"))
                .and_then(Value::as_sequence)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let (mut services, mut excluded, mut rate) = (BTreeSet::new(), BTreeSet::new(), None);
            let mut other_condition = false;
            for (j, sub) in subs.iter().enumerate() {
                let sub = untag(sub);
                if let Some((r, tail)) = policy_rate(sub) {
                    rate = Some((r, j, tail));
                } else if let Some((s, inverted)) = service_match(sub) {
                    if inverted {
                        excluded.extend(s)
                    } else {
                        services.extend(s)
                    }
                } else {
                    other_condition = true;
                }
            }
            // A rate under another condition (a route, an attribute) is not a service's rate.
            let Some((r, j, tail)) = rate.filter(|_| !other_condition) else {
                continue;
            };
            let mut segs = vec![Seg::Key("and"), Seg::Key("and_sub_policy"), Seg::Item(j)];
            segs.extend(tail.iter().map(|k| Seg::Key(k)));
            let mut path = vec!["and", "and_sub_policy"];
            let item = format!("[{j}]");
            path.push(&item);
            path.extend(tail);
            out.push(Rate {
                rate: r,
                name,
                line: at(&segs),
                path: dotted(&path).replace(".[", "["),
                services,
                excluded,
            });
        }
    }
    out
}
