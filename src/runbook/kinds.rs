//! The finding-kind registry: every kind a runbook documents, with its texts (what it checks, why
//! it matters, the evidence, the fix and how safe it is — `tracectl explain`) and its remediation
//! templates, all read from the runbooks' `findings:` sections.
//!
//! A remediation is a `{{name}}` template ([`super::text`]) under its kind and a key:
//!
//! ```yaml
//! findings:
//!   slow_dependency:
//!     ...
//!     safety: needs-care
//!     remedies:
//!       investigate: { title: "Investigate {{dependency}} itself",
//!                      command: "tracectl investigate latency --service {{dependency|sh}}",
//!                      safety: safe }
//! ```
//!
//! A remedy without its own `safety` has the kind's, so the doc and the commands cannot drift
//! apart; one states its own only where it differs (a read-only look-up under a kind whose fix
//! needs care is `safe`).
//!
//! How the pure analysis gets the texts: it calls [`remedy`] with the kind, the key and the values
//! it found (service, namespace, revision, ...), and gets the rendered [`Remediation`] back from
//! the registry of the runbooks compiled into the binary ([`Registry::builtin`], parsed once).
//! That registry is data fixed at build time, like a `const` table, so the analysis stays a pure
//! function of its evidence and its unit tests see the same texts the binary prints, without a
//! registry threaded through every `Params` of every check (the alternative, findings carrying a
//! key to resolve after the analysis, would leave every finding's text unknowable to the unit tests
//! that assert it). The price: an override directory (`--runbooks DIR`) changes a kind's docs
//! (`explain`), thresholds and queries, but not its remediation texts; so that an edited remedy is
//! not silently ignored, [`check_override`] (run by `Runbook::validate`) refuses an override file
//! whose `remedies:` differ from the built-in ones.
//!
//! Several runbooks may document one kind (`cpu_throttling` is in latency and errors); the
//! registry keeps each runbook's text, and [`Kind::texts`] merges the ones that say the same.
//! Not here: rendering a whole runbook (`super::doc`), the `explain` output
//! (`crate::commands::explain`). Tests: below, and `tests/it/cli.rs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use serde::Deserialize;

use super::{FindingDoc, Runbook, text};
use crate::error::UsageError;
use crate::report::{Remediation, Safety};

/// One remediation template of a finding kind.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemedyDef {
    pub title: String,
    /// A shell command, or a config snippet; none for advice.
    #[serde(default)]
    pub command: Option<String>,
    /// Defaults to the kind's `safety`.
    #[serde(default)]
    pub safety: Option<Safety>,
}

/// A finding kind: each runbook's text for it, and its remediation templates.
#[derive(Debug, Clone)]
pub struct Kind {
    pub name: String,
    /// (runbook, its text), in runbook-name order.
    pub docs: Vec<(String, FindingDoc)>,
    /// Key → (runbook that defines it, template, safety resolved).
    pub remedies: BTreeMap<String, (String, RemedyDef, Safety)>,
}

impl Kind {
    /// The texts, the same ones merged: (the runbooks that say it, the text).
    pub fn texts(&self) -> Vec<(Vec<&str>, &FindingDoc)> {
        let mut out: Vec<(Vec<&str>, &FindingDoc)> = Vec::new();
        for (rb, d) in &self.docs {
            match out.iter_mut().find(|(_, o)| same_text(o, d)) {
                Some((rbs, _)) => rbs.push(rb),
                None => out.push((vec![rb.as_str()], d)),
            }
        }
        out
    }
}

fn same_text(a: &FindingDoc, b: &FindingDoc) -> bool {
    (&a.summary, &a.why, &a.evidence, &a.fix, a.safety)
        == (&b.summary, &b.why, &b.evidence, &b.fix, b.safety)
}

#[derive(Debug, Clone, Default)]
pub struct Registry {
    kinds: BTreeMap<String, Kind>,
}

static BUILTIN: LazyLock<Registry> = LazyLock::new(|| {
    Registry::load(None).unwrap_or_else(|e| panic!("built-in runbooks: {}", e.message))
});

impl Registry {
    /// The runbooks compiled into the binary (a test proves they load).
    pub fn builtin() -> &'static Registry {
        &BUILTIN
    }

    /// The runbooks as `super::all` finds them (built in, or overridden from `dir`).
    pub fn load(dir: Option<&Path>) -> Result<Registry, UsageError> {
        Registry::from_runbooks(&super::all(dir)?)
    }

    pub fn from_runbooks(runbooks: &[Runbook]) -> Result<Registry, UsageError> {
        let mut kinds: BTreeMap<String, Kind> = BTreeMap::new();
        for rb in runbooks {
            for (name, doc) in &rb.findings {
                let err = |m: String| {
                    UsageError::with_hint(
                        format!("runbook {}: finding {name}: {m}", rb.name),
                        "fix the runbook file",
                    )
                };
                let kind = kinds.entry(name.clone()).or_insert_with(|| Kind {
                    name: name.clone(),
                    docs: Vec::new(),
                    remedies: BTreeMap::new(),
                });
                kind.docs.push((rb.name.clone(), doc.clone()));
                for (key, r) in &doc.remedies {
                    for t in std::iter::once(&r.title).chain(r.command.as_ref()) {
                        text::variables(t).map_err(|e| err(format!("remedy {key}: {e}")))?;
                    }
                    let safety = r.safety.unwrap_or(doc.safety);
                    match kind.remedies.get(key) {
                        Some((other, o, s)) if (o, *s) != (r, safety) => {
                            return Err(err(format!(
                                "remedy {key} differs from the one in runbook {other}; \
                                 a kind's remedies are written once"
                            )));
                        }
                        Some(_) => {}
                        None => {
                            kind.remedies
                                .insert(key.clone(), (rb.name.clone(), r.clone(), safety));
                        }
                    }
                }
            }
        }
        Ok(Registry { kinds })
    }

    pub fn get(&self, kind: &str) -> Option<&Kind> {
        self.kinds.get(kind)
    }

    pub fn kinds(&self) -> impl Iterator<Item = &Kind> {
        self.kinds.values()
    }

    /// Render remedy `key` of `kind` with `vars`.
    pub fn remediation(
        &self,
        kind: &str,
        key: &str,
        vars: &[(&str, &str)],
    ) -> Result<Remediation, String> {
        self.render(kind, key, vars, true)
    }

    /// Render remedy `key` of `kind`, its command too when `with_command`.
    fn render(
        &self,
        kind: &str,
        key: &str,
        vars: &[(&str, &str)],
        with_command: bool,
    ) -> Result<Remediation, String> {
        let (_, r, safety) = self
            .get(kind)
            .and_then(|k| k.remedies.get(key))
            .ok_or_else(|| format!("no remedy {kind}.{key} in the runbooks"))?;
        let render = |t: &str| text::render(t, vars).map_err(|e| format!("{kind}.{key}: {e}"));
        let command = match &r.command {
            Some(c) if with_command => Some(render(c)?),
            _ => None,
        };
        Ok(Remediation {
            title: render(&r.title)?,
            command,
            safety: *safety,
        })
    }
}

/// Refuse an override file (`rb`) whose remedies differ from those of the built-in runbook of the
/// same name (`builtin`): the analysis renders the built-in ones (see the module doc).
pub fn check_override(rb: &Runbook, builtin: Option<&Runbook>) -> Result<(), UsageError> {
    for (kind, doc) in &rb.findings {
        let theirs = builtin
            .and_then(|b| b.findings.get(kind))
            .map(|d| &d.remedies);
        if doc.remedies.is_empty() || theirs == Some(&doc.remedies) {
            continue;
        }
        return Err(UsageError::with_hint(
            format!(
                "{}: runbook {}: finding {kind}: its remedies differ from the built-in ones, and \
                 remediation texts cannot be overridden yet",
                rb.origin, rb.name
            ),
            "remove `remedies:` from the file (or copy them unchanged from the built-in runbook)",
        ));
    }
    Ok(())
}

/// Remedy `key` of `kind` from the built-in runbooks, filled with `vars`. A missing remedy or
/// variable is a bug in the caller: it panics in debug builds (every test run), and in a release
/// build becomes an advice naming the template rather than a missing line in an incident.
pub fn remedy(kind: &str, key: &str, vars: &[(&str, &str)]) -> Remediation {
    builtin(kind, key, vars, true)
}

/// [`remedy`] without its command, for when a value the command needs is not known (a
/// component whose URL is not configured): the title and the safety are the template's, and
/// `vars` need only fill the title.
pub fn remedy_without_command(kind: &str, key: &str, vars: &[(&str, &str)]) -> Remediation {
    builtin(kind, key, vars, false)
}

fn builtin(kind: &str, key: &str, vars: &[(&str, &str)], with_command: bool) -> Remediation {
    match Registry::builtin().render(kind, key, vars, with_command) {
        Ok(r) => r,
        Err(e) if cfg!(debug_assertions) => panic!("{e}"),
        Err(e) => Remediation {
            title: format!("(remediation template error: {e})"),
            command: None,
            safety: Safety::AdviceOnly,
        },
    }
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
