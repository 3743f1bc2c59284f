//! How a plan and the result of running it read, for `deploy` and `maintain`: a table for people
//! (`-o table`), markdown for a change ticket (`-o markdown`), JSON for scripts (`-o json`: the
//! plan as `tracectl.plan/v1`, a result as `tracectl.deploy/v1` or `tracectl.maintain/v1`).
//! JUnit has no place for a plan: [`PlanFormat::from_output`] refuses it (exit 2) before anything
//! is read or changed.
//!
//! Plain text, one row per action, the change and the undo in words; no colour (a plan is read
//! carefully, and pasted into tickets). Nothing here can show a secret: the plan holds none.
//! Not here: printing (`commands::print`). Tests: below.

use serde::Serialize;

use crate::mutation::runner::ActionReport;
use crate::mutation::{Change, Observed, Plan};
use crate::render::OutputFormat;

use crate::error::UsageError;

/// The schema of `deploy apply`'s and `deploy rollback`'s result.
pub const DEPLOY_SCHEMA: &str = "tracectl.deploy/v1";
/// The schema of a `maintain` subcommand's result.
pub const MAINTAIN_SCHEMA: &str = "tracectl.maintain/v1";

/// The formats a plan and a result are printed in: every [`OutputFormat`] is one of these or
/// refused, so a new format cannot fall through to a table unnoticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    Table,
    Json,
    Markdown,
}

impl PlanFormat {
    /// `-o` of a command that prints a plan or a result (`command`: `deploy apply`, ...).
    pub fn from_output(format: OutputFormat, command: &str) -> Result<PlanFormat, UsageError> {
        match format {
            OutputFormat::Table => Ok(PlanFormat::Table),
            OutputFormat::Json => Ok(PlanFormat::Json),
            OutputFormat::Markdown => Ok(PlanFormat::Markdown),
            OutputFormat::Junit => Err(UsageError::with_hint(
                format!(
                    "{command} prints a plan and its result, which have no JUnit form: nothing was read or changed"
                ),
                "use -o table, -o json or -o markdown (JUnit is for `tracectl check` and `maintain health`/`validate`)",
            )),
        }
    }
}

/// What `apply` and `rollback` did.
#[derive(Debug, Clone, Serialize)]
pub struct RunResult {
    pub schema: &'static str,
    /// `deploy apply`, `deploy rollback`.
    pub command: String,
    pub namespace: String,
    pub cluster: Option<String>,
    /// `succeeded`, `unchanged`, `failed`, `rolled_back`, `rollback_failed`, `interrupted`.
    pub outcome: String,
    pub journal: Option<String>,
    pub actions: Vec<ActionReport>,
    pub rollback: Vec<ActionReport>,
    pub notes: Vec<String>,
}

fn observed(o: &Observed) -> String {
    match o {
        Observed::Absent => "absent".into(),
        Observed::Present {
            resource_version, ..
        } => format!("present (resourceVersion {resource_version})"),
        Observed::NotInstalled => "not installed".into(),
        Observed::Release {
            revision,
            chart,
            status,
            ..
        } => format!("{chart} revision {revision} ({status})"),
        Observed::Repo { url } => format!("repo {url}"),
        Observed::Unknown { reason } => format!("unknown ({reason})"),
        Observed::NotApplicable => "-".into(),
    }
}

pub fn plan(p: &Plan, format: PlanFormat) -> String {
    match format {
        PlanFormat::Json => json(p),
        PlanFormat::Markdown => plan_markdown(p),
        PlanFormat::Table => plan_table(p),
    }
}

pub fn json<T: Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn headline(p: &Plan) -> String {
    let n = p.changes();
    let what = match p.command.strip_prefix("maintain ") {
        Some(step) => format!("maintain ({step}) the tracing stack in"),
        None => "deploy the tracing stack to".to_string(),
    };
    format!(
        "Plan: {what} namespace {}{}: {}",
        p.namespace,
        p.cluster
            .as_deref()
            .map(|c| format!(" on {c}"))
            .unwrap_or_default(),
        match n {
            0 => "no changes".to_string(),
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        }
    )
}

fn plan_table(p: &Plan) -> String {
    let mut out = format!("{}\n\n", headline(p));
    let rows: Vec<[String; 5]> = p
        .actions
        .iter()
        .map(|a| {
            [
                a.step.to_string(),
                a.step_id.clone(),
                a.change.as_str().to_string(),
                a.summary.clone(),
                a.inverse
                    .as_ref()
                    .map(|i| i.describe())
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let head = ["STEP", "", "CHANGE", "ACTION", "UNDO"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([head[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    out.push_str(&format!(
        "{:w0$}  {:w1$}  {:w2$}  ACTION\n",
        head[0], head[1], head[2]
    ));
    for (a, r) in p.actions.iter().zip(&rows) {
        out.push_str(&format!(
            "{:w0$}  {:w1$}  {:w2$}  {}\n",
            r[0], r[1], r[2], r[3]
        ));
        let pad = " ".repeat(w0 + w1 + w2 + 6);
        if a.change != Change::Check && a.change != Change::Refresh {
            out.push_str(&format!("{pad}  found: {}\n", observed(&a.observed)));
        }
        for d in &a.diff {
            out.push_str(&format!("{pad}  ~ {d}\n"));
        }
        if a.inverse.is_some() {
            out.push_str(&format!("{pad}  undo: {}\n", r[4]));
        }
    }
    for n in &p.notes {
        out.push_str(&format!("\nnote: {n}"));
    }
    if !p.notes.is_empty() {
        out.push('\n');
    }
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn plan_markdown(p: &Plan) -> String {
    let mut out = format!("## {}\n\n", headline(p));
    out.push_str("| step | change | action | found | undo |\n|---|---|---|---|---|\n");
    for a in &p.actions {
        let mut action = md(&a.summary);
        for d in &a.diff {
            action.push_str(&format!("<br>~ `{}`", md(d)));
        }
        out.push_str(&format!(
            "| {} {} | {} | {} | {} | {} |\n",
            a.step,
            a.step_id,
            a.change.as_str(),
            action,
            md(&observed(&a.observed)),
            md(&a
                .inverse
                .as_ref()
                .map(|i| i.describe())
                .unwrap_or_else(|| "-".into()))
        ));
    }
    for n in &p.notes {
        out.push_str(&format!("\n> note: {}\n", md(n)));
    }
    out
}

pub fn result(r: &RunResult, format: PlanFormat) -> String {
    match format {
        PlanFormat::Json => json(r),
        PlanFormat::Markdown => result_markdown(r),
        PlanFormat::Table => result_table(r),
    }
}

fn result_head(r: &RunResult) -> String {
    let mut s = format!(
        "{} in {}: {}",
        r.command,
        r.namespace,
        r.outcome.replace('_', " ")
    );
    if let Some(j) = &r.journal {
        s.push_str(&format!("\njournal: {j}"));
    }
    s
}

fn rows(reports: &[ActionReport]) -> Vec<String> {
    reports
        .iter()
        .map(|a| {
            let mut line = format!(
                "{:>2} {:<11} {:<11} {}",
                a.step,
                a.step_id,
                a.status.as_str(),
                a.summary
            );
            if let Some(d) = &a.detail {
                line.push_str(&format!(" — {d}"));
            }
            if let Some(e) = &a.error {
                line.push_str(&format!("\n{:26}error: {e}", ""));
            }
            crate::render::strip_controls(&line)
        })
        .collect()
}

fn result_table(r: &RunResult) -> String {
    let mut out = format!("{}\n\n", result_head(r));
    for l in rows(&r.actions) {
        out.push_str(&l);
        out.push('\n');
    }
    if !r.rollback.is_empty() {
        out.push_str("\nrollback:\n");
        for l in rows(&r.rollback) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    for n in &r.notes {
        out.push_str(&format!("\nnote: {n}"));
    }
    if !r.notes.is_empty() {
        out.push('\n');
    }
    out
}

fn result_markdown(r: &RunResult) -> String {
    let mut out = format!("## {}\n\n", result_head(r).replace('\n', "  \n"));
    let table = |title: &str, reports: &[ActionReport]| {
        let mut t =
            format!("### {title}\n\n| step | status | action | detail |\n|---|---|---|---|\n");
        for a in reports {
            t.push_str(&format!(
                "| {} {} | {} | {} | {} |\n",
                a.step,
                a.step_id,
                a.status.as_str(),
                md(&a.summary),
                md(a.error.as_deref().or(a.detail.as_deref()).unwrap_or(""))
            ));
        }
        t
    };
    if !r.actions.is_empty() {
        out.push_str(&table("Actions", &r.actions));
    }
    if !r.rollback.is_empty() {
        out.push('\n');
        out.push_str(&table("Rollback", &r.rollback));
    }
    for n in &r.notes {
        out.push_str(&format!("\n> note: {}\n", md(n)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::Inverse;
    use crate::mutation::tests::{action, config_map};

    fn sample() -> Plan {
        let mut p = Plan::new("deploy", "monitoring");
        p.cluster = Some("https://k8s.example:6443/".into());
        let mut a = action(
            "sampling",
            Change::Update,
            Some(Inverse::Restore {
                object: config_map("sampling"),
            }),
        );
        a.diff = vec!["data.sampling.json".into()];
        a.observed = Observed::Present {
            resource_version: "42".into(),
            uid: None,
        };
        p.actions.push(a);
        p.actions.push(action("verify", Change::Check, None));
        p.notes.push("jaeger: no chart version pinned".into());
        p
    }

    #[test]
    fn the_table_says_what_changes_and_how_it_is_undone() {
        let t = plan(&sample(), PlanFormat::Table);
        assert!(
            t.starts_with(
                "Plan: deploy the tracing stack to namespace monitoring on https://k8s.example:6443/: 1 change\n"
            ),
            "{t}"
        );
        assert!(t.contains("update sampling"), "{t}");
        assert!(t.contains("found: present (resourceVersion 42)"), "{t}");
        assert!(t.contains("~ data.sampling.json"), "{t}");
        assert!(
            t.contains("undo: restore ConfigMap monitoring/sampling as it was"),
            "{t}"
        );
        assert!(t.contains("note: jaeger: no chart version pinned"), "{t}");
        let m = plan(&sample(), PlanFormat::Markdown);
        assert!(
            m.contains("| 6 manifests | update | update sampling<br>~ `data.sampling.json` |"),
            "{m}"
        );
    }

    #[test]
    fn json_is_the_plan_schema() {
        let v: serde_json::Value =
            serde_json::from_str(&plan(&sample(), PlanFormat::Json)).unwrap();
        assert_eq!(v["schema"], "tracectl.plan/v1");
        assert_eq!(v["actions"][0]["inverse"]["op"], "restore");
    }

    #[test]
    fn every_output_format_is_handled_or_refused() {
        for f in [
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Markdown,
        ] {
            assert!(PlanFormat::from_output(f, "deploy plan").is_ok());
        }
        let e = PlanFormat::from_output(OutputFormat::Junit, "maintain backup").unwrap_err();
        assert!(e.message.contains("no JUnit form"), "{}", e.message);
        assert!(e.hint.unwrap().contains("-o json"));
    }
}
