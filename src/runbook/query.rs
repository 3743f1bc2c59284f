//! The one query renderer: a runbook query, picked for the metric profile, with its `{{name}}`
//! variables filled in by [`crate::promql::render`] (which escapes them). Every runbook runner
//! (the investigations, `check` and `audit`) renders through here, so a missing
//! query or a bad template reads the same everywhere. Not here: running the query. Tests: below.

use super::{Profile, Runbook};
use crate::promql::{self, Value, Vars};

impl Runbook {
    /// Query `name` of `step` for `profile`, rendered with `vars` and then `extra` (which wins).
    /// The error names the step and the query.
    pub fn render_query(
        &self,
        step: &str,
        name: &str,
        profile: Profile,
        vars: &Vars,
        extra: &[(&str, Value)],
    ) -> Result<String, String> {
        let t = self
            .query(step, name, profile)
            .ok_or_else(|| format!("runbook has no query {name} for step {step}"))?;
        let rendered = if extra.is_empty() {
            promql::render(t, vars)
        } else {
            let mut vars = vars.clone();
            for (k, v) in extra {
                vars.insert(k.to_string(), v.clone());
            }
            promql::render(t, &vars)
        };
        rendered.map_err(|e| format!("runbook query {step}/{name}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_extra_variables_and_names_what_is_missing() {
        let rb = super::super::load("latency", None).unwrap();
        let mut vars = Vars::new();
        vars.insert("service".into(), Value::Label("check\"out".into()));
        vars.insert(
            "rate_window".into(),
            Value::Duration(std::time::Duration::from_secs(300)),
        );
        vars.insert("quantile".into(), Value::Number(0.95));
        let day = Value::Duration(std::time::Duration::from_secs(86_400));
        let q = rb
            .render_query(
                "affected-services",
                "baseline",
                Profile::Mcp,
                &vars,
                &[("offset", day)],
            )
            .unwrap();
        assert!(q.contains("offset 1d"), "{q}");
        assert!(q.contains(r#"check\"out"#), "escaped: {q}");
        assert_eq!(
            rb.render_query("affected-services", "nope", Profile::Mcp, &vars, &[])
                .unwrap_err(),
            "runbook has no query nope for step affected-services"
        );
        let e = rb
            .render_query(
                "affected-services",
                "service",
                Profile::Mcp,
                &Vars::new(),
                &[],
            )
            .unwrap_err();
        assert!(
            e.starts_with("runbook query affected-services/service: "),
            "{e}"
        );
    }
}
