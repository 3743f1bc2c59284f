//! The runbooks as typed data: `runbooks/*.yaml`, compiled into the binary and overridable from a
//! directory (`--runbooks DIR` or the context's `runbooks:`).
//!
//! A runbook says which steps run, with which queries per metric profile, thresholds, and the
//! texts of its findings (`tracectl explain`) with their remediation templates, gathered by kind
//! in [`kinds`] and rendered by [`text`]; thresholds are checked in [`thresholds`]. The code that
//! runs a step is Rust, found by a plain `match` on the step id in each runbook's registry
//! (`crate::investigate::*`); [`Runbook::validate_registered`] (and [`Runbook::validate`],
//! against a list of ids) rejects a file whose step ids, profiles or templates that code would
//! not understand. Beside the data: the one query renderer ([`Runbook::render_query`]) and the
//! alert rules ([`alerts`]). Not here: running anything, or any runbook's steps. Tests: below,
//! `query.rs`, `alerts.rs`, `kinds_tests.rs`, and `tests/it/cli.rs`.

pub mod alerts;
pub mod doc;
pub mod kinds;
mod query;
pub mod text;
pub mod thresholds;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::UsageError;
use crate::report::Safety;

/// Metric-name profile: which metric and label names the queries use.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    clap::ValueEnum,
    serde::Serialize,
    Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The runbooks' own `mcp_*` metrics
    Mcp,
    /// The OpenTelemetry Collector's spanmetrics (and servicegraph) connectors
    Spanmetrics,
    /// OpenTelemetry HTTP semantic-convention metrics
    Semconv,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Mcp => "mcp",
            Profile::Spanmetrics => "spanmetrics",
            Profile::Semconv => "semconv",
        }
    }
}

/// The files built into the binary.
const BUILT_IN: &[(&str, &str)] = &[
    ("audit.yaml", include_str!("../../runbooks/audit.yaml")),
    ("check.yaml", include_str!("../../runbooks/check.yaml")),
    (
        "data-loss.yaml",
        include_str!("../../runbooks/data-loss.yaml"),
    ),
    ("errors.yaml", include_str!("../../runbooks/errors.yaml")),
    ("latency.yaml", include_str!("../../runbooks/latency.yaml")),
    ("rollout.yaml", include_str!("../../runbooks/rollout.yaml")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    pub name: String,
    pub title: String,
    pub summary: String,
    pub command: String,
    #[serde(default)]
    pub alerts: Vec<AlertMatch>,
    #[serde(default)]
    pub thresholds: BTreeMap<String, Threshold>,
    #[serde(default)]
    pub labels: BTreeMap<Profile, LabelNames>,
    pub steps: Vec<StepDef>,
    #[serde(default)]
    pub findings: BTreeMap<String, FindingDoc>,
    /// Where it was read from (`runbooks/latency.yaml`, or the override file's path), so that an
    /// error names the file.
    #[serde(skip)]
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertMatch {
    /// Label name → full-match regex.
    #[serde(rename = "match")]
    pub matchers: BTreeMap<String, String>,
    pub service_label: String,
    /// The label naming the Kubernetes namespace the alert's object lives in (kube-prometheus'
    /// `namespace`): the investigation runs there instead of in `-n`. Only for alerts about a
    /// Kubernetes object; an application metric's `namespace` is often the scraper's.
    #[serde(default)]
    pub namespace_label: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub value: f64,
    pub about: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelNames {
    pub service: String,
    pub operation: String,
    pub dependency: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub id: String,
    pub title: String,
    pub about: String,
    /// The runbook's original hand-run commands, shown by `runbooks show`.
    #[serde(default)]
    pub by_hand: Option<String>,
    #[serde(default)]
    pub queries: BTreeMap<String, QueryDef>,
}

/// One query, per profile; `any` serves every profile (container metrics are the same everywhere).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryDef {
    #[serde(default)]
    pub any: Option<String>,
    #[serde(default)]
    pub mcp: Option<String>,
    #[serde(default)]
    pub spanmetrics: Option<String>,
    #[serde(default)]
    pub semconv: Option<String>,
}

impl QueryDef {
    pub fn for_profile(&self, p: Profile) -> Option<&str> {
        let specific = match p {
            Profile::Mcp => &self.mcp,
            Profile::Spanmetrics => &self.spanmetrics,
            Profile::Semconv => &self.semconv,
        };
        specific.as_deref().or(self.any.as_deref())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingDoc {
    pub summary: String,
    pub why: String,
    pub evidence: String,
    pub fix: String,
    pub safety: Safety,
    /// The remediations a finding of this kind carries, by key (see [`kinds`]).
    #[serde(default)]
    pub remedies: BTreeMap<String, kinds::RemedyDef>,
}

impl Runbook {
    pub fn parse(text: &str, origin: &str) -> Result<Self, UsageError> {
        let rb: Runbook = serde_norway::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line()).unwrap_or(0);
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            UsageError::with_hint(
                format!("{origin}:{line}: invalid runbook: {msg}"),
                "compare with `tracectl runbooks show NAME` of a built-in runbook",
            )
        })?;
        Ok(Runbook {
            origin: origin.to_string(),
            ..rb
        })
    }

    /// The step with this id; the commands ask only for ids `validate` accepted.
    pub fn step(&self, id: &str) -> Option<&StepDef> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn query(&self, step: &str, name: &str, profile: Profile) -> Option<&str> {
        self.step(step)?.queries.get(name)?.for_profile(profile)
    }

    pub fn threshold(&self, key: &str) -> f64 {
        self.thresholds
            .get(key)
            .map(|t| t.value)
            .unwrap_or(f64::NAN)
    }

    pub fn labels(&self, p: Profile) -> Option<&LabelNames> {
        self.labels.get(&p)
    }

    /// Check what the code relies on: known step ids, queries present for every profile,
    /// templates that parse and use only known variables, every threshold present and finite
    /// ([`thresholds`]), and no remediation template overridden ([`kinds::check_override`]).
    pub fn validate(
        &self,
        known_steps: &[&str],
        known_vars: &[&str],
        origin: &str,
    ) -> Result<(), UsageError> {
        self.validate_registered(
            &|id: &str| known_steps.contains(&id),
            known_steps,
            known_vars,
            origin,
        )
    }

    /// [`Runbook::validate`] against a step registry: `registered` says whether code runs a
    /// step id; `known` only names them in the error.
    pub fn validate_registered(
        &self,
        registered: &dyn Fn(&str) -> bool,
        known: &[&str],
        known_vars: &[&str],
        origin: &str,
    ) -> Result<(), UsageError> {
        let known_steps = known;
        let err =
            |m: String| UsageError::with_hint(format!("{origin}: {m}"), "fix the runbook file");
        for s in &self.steps {
            if !registered(&s.id) {
                return Err(err(format!(
                    "step {:?} is not one tracectl can run (known: {})",
                    s.id,
                    known_steps.join(", ")
                )));
            }
            for (qname, q) in &s.queries {
                for p in [Profile::Mcp, Profile::Spanmetrics, Profile::Semconv] {
                    let Some(t) = q.for_profile(p) else {
                        return Err(err(format!(
                            "step {}: query {qname} has no {} variant",
                            s.id,
                            p.name()
                        )));
                    };
                    let vars = crate::promql::variables(t)
                        .map_err(|e| err(format!("step {}: query {qname}: {e}", s.id)))?;
                    if let Some(v) = vars.iter().find(|v| !known_vars.contains(&v.as_str())) {
                        return Err(err(format!(
                            "step {}: query {qname}: unknown variable {{{{{v}}}}}",
                            s.id
                        )));
                    }
                }
            }
        }
        for p in [Profile::Mcp, Profile::Spanmetrics, Profile::Semconv] {
            if !self.steps.iter().all(|s| s.queries.is_empty()) && !self.labels.contains_key(&p) {
                return Err(err(format!("labels: no entry for profile {}", p.name())));
            }
        }
        // Last, so a file with an unknown step says that first.
        let builtin = built_in(&self.name)?;
        thresholds::validate(self, builtin.as_ref())?;
        kinds::check_override(self, builtin.as_ref())
    }
}

/// Load a runbook by name: from the override directory when it has `<name>.yaml`, else built in.
pub fn load(name: &str, dir: Option<&Path>) -> Result<Runbook, UsageError> {
    if let Some(dir) = dir {
        let path = dir.join(format!("{name}.yaml"));
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| UsageError::new(format!("{}: cannot read: {e}", path.display())))?;
            return Runbook::parse(&text, &path.display().to_string());
        }
    }
    match built_in(name)? {
        Some(rb) => Ok(rb),
        None => Err(UsageError::with_hint(
            format!("no runbook named {name:?}"),
            "`tracectl runbooks list` lists them",
        )),
    }
}

/// The runbook of this name compiled into the binary, if there is one.
fn built_in(name: &str) -> Result<Option<Runbook>, UsageError> {
    let file = format!("{name}.yaml");
    BUILT_IN
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(f, text)| Runbook::parse(text, &format!("runbooks/{f}")))
        .transpose()
}

/// Every runbook: built-in ones, with same-named files in `dir` taking their place, plus any
/// extra files there.
pub fn all(dir: Option<&Path>) -> Result<Vec<Runbook>, UsageError> {
    let mut names: Vec<String> = BUILT_IN
        .iter()
        .map(|(f, _)| f.trim_end_matches(".yaml").to_string())
        .collect();
    if let Some(dir) = dir {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| UsageError::new(format!("--runbooks {}: {e}", dir.display())))?;
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if let Some(stem) = n.strip_suffix(".yaml")
                && !names.iter().any(|x| x == stem)
            {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    // One thread each: parsing and validating the YAML (about 190 KB built in) is most of
    // `runbooks list`'s start-up (5 of its 9.5 ms here), which issue 19 keeps under 10 ms, and
    // each runbook parses alone. Results keep the names' order, so the first error is too.
    std::thread::scope(|s| {
        let parsing: Vec<_> = names
            .iter()
            .map(|n| s.spawn(move || load(n, dir)))
            .collect();
        parsing
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Every finding kind documented by any runbook, with the first runbook that documents it. Kept
/// for callers that only ask whether a kind has a text; `explain` uses [`kinds::Registry`], which
/// keeps every runbook's text.
pub fn finding_docs(
    dir: Option<&Path>,
) -> Result<BTreeMap<String, (String, FindingDoc)>, UsageError> {
    let reg = kinds::Registry::load(dir)?;
    Ok(reg
        .kinds()
        .map(|k| (k.name.clone(), (k.docs[0].0.clone(), k.docs[0].1.clone())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_runbooks_parse_and_validate() {
        // Validation against the code's steps is each runbook's own test
        // (`investigate/latency/mod.rs`): the data does not know the code.
        let rb = load("latency", None).unwrap();
        assert!(
            rb.query("affected-services", "top", Profile::Semconv)
                .unwrap()
                .contains("http_server")
        );
        assert_eq!(rb.threshold("service_seconds"), 1.0);
    }

    #[test]
    fn invalid_files_name_the_line() {
        let e = Runbook::parse(
            "name: x\ntitle: y\nsummary: z\ncommand: c\nsteps:\n  - id: a\n    titel: oops\n",
            "x.yaml",
        )
        .unwrap_err();
        assert!(e.message.starts_with("x.yaml:"), "{}", e.message);
        assert!(e.message.contains("titel"), "{}", e.message);
    }

    #[test]
    fn validation_rejects_unknown_steps_and_variables() {
        let text = "name: x\ntitle: y\nsummary: z\ncommand: c\nlabels: {}\nsteps:\n  - id: nope\n    title: t\n    about: a\n";
        let rb = Runbook::parse(text, "x.yaml").unwrap();
        assert!(
            rb.validate(&["a"], &[], "x.yaml")
                .unwrap_err()
                .message
                .contains("nope")
        );
        let text = "name: x\ntitle: y\nsummary: z\ncommand: c\nlabels: {}\nsteps:\n  - id: a\n    title: t\n    about: a\n    queries:\n      q: { any: 'up{x=\"{{bogus}}\"}' }\n";
        let rb = Runbook::parse(text, "x.yaml").unwrap();
        assert!(
            rb.validate(&["a"], &["service"], "x.yaml")
                .unwrap_err()
                .message
                .contains("bogus")
        );
    }
}
