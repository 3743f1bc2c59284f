//! `maintain window FILE.yaml`: a whole maintenance window, as the runbook (guide 3.2.2) runs it
//! by hand, in one journaled plan.
//!
//! The plan is, in order: the `health` checks (a window does not start on a broken stack); a
//! `backup` before the first destructive step (the file's own `backup` step, or one added from
//! its `backup:` block; a backup placed after a destructive step is refused); the steps, each
//! planned by its subcommand's module against the live state, with the same keys as its flags;
//! and the `validate` checks. `--dry-run` prints it all. Applying it (after `--yes` or a yes on a
//! terminal) creates an Alertmanager silence that ends by itself at the window's planned end
//! (`duration`), marks the window in Grafana with a region annotation, runs the plan, and on the
//! first failure — a step, or the validation — rolls back what it changed from the journal in
//! reverse order. Whatever happened, the silence is then expired and the annotation closed with
//! the outcome. The health checks run before the silence exists (a silenced alert is not
//! reported as firing); when they fail, the window does not start.
//!
//! All steps are planned before the first runs, so a step that changes what an earlier one
//! changed fails its observed-state check rather than overwrite it (and the window rolls back).
//! Not here: the steps themselves (their modules), the journal and order (`crate::mutation`).
//! Tests: the file's parsing and ordering in `tests.rs`; `tests/it/maintain/window.rs` end to end
//! with a real Alertmanager.

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use serde::Deserialize;

use super::{prepare, progress};
use crate::backends::alertmanager::{Matcher, NewSilence};
use crate::backends::grafana::Annotation;
use crate::cli::{
    ApplyFlags, BackupArgs, CheckArgs, ConfigArgs, GlobalArgs, RestoreArgs, ScaleArgs, StorageArgs,
    UpdateArgs, WindowCmdArgs,
};
use crate::commands::{Exit, print};
use crate::error::UsageError;
use crate::investigate::check;
use crate::mutation::ops::{Ctx, backup, config, restore, scale, storage, update};
use crate::mutation::runner::{Outcome, Stop};
use crate::mutation::session;
use crate::mutation::{Change, Observed, Operation, Plan, PlannedAction};
use crate::render::plan::{self as render, PlanFormat};

/// The window file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowFile {
    pub name: String,
    /// The planned length: the silence ends by itself then, even if tracectl is killed.
    pub duration: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub silence: Option<SilenceSpec>,
    /// The backup taken before the first destructive step, when the steps hold none.
    #[serde(default)]
    pub backup: Option<BackupArgs>,
    pub steps: Vec<Step>,
    /// Which checks `health` runs first [default: all that are configured].
    #[serde(default)]
    pub health: Option<CheckArgs>,
    /// Which checks validate the window at the end [default: all that are configured].
    #[serde(default)]
    pub validate: Option<CheckArgs>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SilenceSpec {
    /// Alertmanager matchers: `name="value"`, `name=~"regex"`, `name!="v"`, `name!~"re"`.
    #[serde(default)]
    pub matchers: Vec<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// One step: its subcommand and that subcommand's flags.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Backup(BackupArgs),
    Restore(RestoreArgs),
    Update(UpdateArgs),
    Config(ConfigArgs),
    Storage(StorageArgs),
    Scale(ScaleArgs),
    Health(CheckArgs),
    Validate(CheckArgs),
}

impl Step {
    pub fn name(&self) -> &'static str {
        match self {
            Step::Backup(_) => "backup",
            Step::Restore(_) => "restore",
            Step::Update(_) => "update",
            Step::Config(_) => "config",
            Step::Storage(_) => "storage",
            Step::Scale(_) => "scale",
            Step::Health(_) => "health",
            Step::Validate(_) => "validate",
        }
    }

    /// Changes or deletes something that a backup should be able to bring back.
    pub fn destructive(&self) -> bool {
        !matches!(self, Step::Backup(_) | Step::Health(_) | Step::Validate(_))
    }

    /// Paths in the file are relative to the file.
    fn rebase(&mut self, dir: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() && !p.as_os_str().is_empty() {
                *p = dir.join(&*p);
            }
        };
        let fix_opt = |p: &mut Option<PathBuf>| {
            if let Some(p) = p {
                fix(p)
            }
        };
        match self {
            Step::Backup(a) => fix_opt(&mut a.dir),
            Step::Restore(a) => fix(&mut a.dir),
            Step::Update(a) => {
                fix_opt(&mut a.file);
                fix_opt(&mut a.collector_values);
                fix_opt(&mut a.jaeger_values);
            }
            Step::Config(a) => {
                fix_opt(&mut a.collector_config);
                a.sampling.iter_mut().for_each(fix);
                fix_opt(&mut a.rules);
            }
            Step::Storage(a) => fix_opt(&mut a.template),
            Step::Scale(a) => fix_opt(&mut a.patch),
            Step::Health(_) | Step::Validate(_) => {}
        }
    }
}

/// Read and check a window file: known keys only, a valid duration, at least one step, every
/// matcher parsed, the backup before the first destructive step (added when missing).
pub fn load(path: &Path) -> Result<(WindowFile, Duration, Vec<Matcher>), UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UsageError::new(format!(
            "cannot read the window file {}: {e}",
            path.display()
        ))
    })?;
    parse(&text, path.parent().unwrap_or(Path::new(".")))
        .map_err(|e| UsageError::with_hint(format!("{}: {e}", path.display()), e_hint()))
}

fn e_hint() -> &'static str {
    "see `tracectl maintain window --help` for the file's keys"
}

/// [`load`] without the file system: `dir` is where relative paths start.
pub fn parse(text: &str, dir: &Path) -> Result<(WindowFile, Duration, Vec<Matcher>), String> {
    // Through JSON: serde_norway reads enums as YAML tags (`!storage`), and a window file says
    // `- storage: {...}`, the map form serde_json takes for an externally tagged enum.
    let yaml: serde_json::Value =
        serde_norway::from_str(text).map_err(|e| format!("not YAML: {e}"))?;
    let mut w: WindowFile = serde_json::from_value(yaml).map_err(|e| e.to_string())?;
    if w.steps.is_empty() {
        return Err("no steps".into());
    }
    if w.name.trim().is_empty() {
        return Err("`name` is empty".into());
    }
    let duration = crate::clock::parse_duration(&w.duration)?;
    if duration.is_zero() {
        return Err("`duration` must be more than zero".into());
    }
    let matchers = w
        .silence
        .as_ref()
        .map(|s| {
            s.matchers
                .iter()
                .map(|m| parse_matcher(m))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    let first_destructive = w.steps.iter().position(Step::destructive);
    let first_backup = w.steps.iter().position(|s| matches!(s, Step::Backup(_)));
    match (first_destructive, first_backup) {
        (Some(d), Some(b)) if b > d => {
            return Err(format!(
                "step {} (backup) comes after step {} ({}): a backup must come before the first destructive step",
                b + 1,
                d + 1,
                w.steps[d].name()
            ));
        }
        (Some(d), None) => {
            w.steps
                .insert(d, Step::Backup(w.backup.clone().unwrap_or_default()));
        }
        _ => {}
    }
    for s in &mut w.steps {
        s.rebase(dir);
    }
    Ok((w, duration, matchers))
}

/// `name="value"`, `name=~"re"`, `name!="v"`, `name!~"re"` (quotes optional), as `amtool` takes
/// them.
pub fn parse_matcher(s: &str) -> Result<Matcher, String> {
    let bad = || {
        format!(
            "matcher {s:?}: want name=\"value\", name=~\"regex\", name!=\"value\" or name!~\"regex\""
        )
    };
    let i = s.find(['=', '!']).ok_or_else(bad)?;
    let (name, rest) = (s[..i].trim(), &s[i..]);
    let (op, value) = ["=~", "!~", "!=", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op).map(|v| (*op, v.trim())))
        .ok_or_else(bad)?;
    let valid_name = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid_name {
        return Err(bad());
    }
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    if value.is_empty() && op == "=" {
        return Err(format!("matcher {s:?}: an empty value matches every alert"));
    }
    Ok(Matcher {
        name: name.to_string(),
        value: value.to_string(),
        is_regex: op.contains('~'),
        is_equal: !op.starts_with('!'),
    })
}

fn checks_action(
    step: u8,
    name: &str,
    args: Option<&CheckArgs>,
) -> Result<PlannedAction, UsageError> {
    let checks: Vec<String> = check::selected(&args.cloned().unwrap_or_default())?
        .into_iter()
        .map(str::to_string)
        .collect();
    Ok(PlannedAction {
        id: format!("checks/{name}/{step}"),
        step,
        step_id: name.to_string(),
        change: Change::Check,
        summary: format!("{name}: {} checks of `tracectl check`", checks.len()),
        diff: vec![],
        operation: Operation::Checks {
            name: name.to_string(),
            checks,
        },
        observed: Observed::NotApplicable,
        inverse: None,
        backup: None,
    })
}

/// The whole window as one plan: health, the steps (a backup first when needed), validation.
pub async fn plan(ctx: &Ctx, w: &WindowFile) -> Result<Plan> {
    let mut plan = ctx.plan("window");
    plan.actions
        .push(checks_action(1, "health", w.health.as_ref())?);
    for (i, s) in w.steps.iter().enumerate() {
        let step =
            u8::try_from(i + 2).map_err(|_| UsageError::new("too many steps (at most 250)"))?;
        match s {
            Step::Backup(a) => backup::plan(ctx, a, step, &mut plan).await?,
            Step::Restore(a) => restore::plan(ctx, a, step, &mut plan).await?,
            Step::Update(a) => update::plan(ctx, a, step, &mut plan).await?,
            Step::Config(a) => config::plan(ctx, a, step, &mut plan).await?,
            Step::Storage(a) => storage::plan(ctx, a, step, &mut plan).await?,
            Step::Scale(a) => scale::plan(ctx, a, step, &mut plan).await?,
            Step::Health(a) => plan.actions.push(checks_action(step, "health", Some(a))?),
            Step::Validate(a) => plan.actions.push(checks_action(step, "validate", Some(a))?),
        }
    }
    refuse_overlaps(&plan)?;
    let last = u8::try_from(w.steps.len() + 2).unwrap_or(u8::MAX);
    plan.actions
        .push(checks_action(last, "validate", w.validate.as_ref())?);
    Ok(plan)
}

/// The plan's first action (the health checks) and the rest.
fn split_health(plan: &Plan) -> (Plan, Plan) {
    let mut health = plan.clone();
    let mut rest = plan.clone();
    let n = usize::from(plan.actions.first().is_some_and(|a| a.step_id == "health"));
    health.actions.truncate(n);
    rest.actions.drain(..n);
    (health, rest)
}

/// Two steps that change the same thing cannot both be rolled back: the second's undo changes
/// what the first's undo expects to find, so it would stop there. Such steps are one step.
fn refuse_overlaps(plan: &Plan) -> Result<(), UsageError> {
    let mut seen: std::collections::BTreeMap<&str, (u8, &str)> = Default::default();
    for a in plan.actions.iter().filter(|a| a.change.is_change()) {
        if let Some((step, name)) = seen.insert(a.id.as_str(), (a.step, a.step_id.as_str())) {
            return Err(UsageError::with_hint(
                format!(
                    "steps {} ({name}) and {} ({}) both change {}: a rollback could not undo both",
                    step - 1,
                    a.step - 1,
                    a.step_id,
                    a.id
                ),
                "make them one step",
            ));
        }
    }
    Ok(())
}

/// The silence's matchers: the file's, else every alert of the window's namespace.
fn silence_matchers(ctx: &Ctx, from_file: Vec<Matcher>) -> Vec<Matcher> {
    if !from_file.is_empty() {
        return from_file;
    }
    vec![Matcher {
        name: "namespace".into(),
        value: ctx.namespace.clone(),
        is_regex: false,
        is_equal: true,
    }]
}

fn describe_matchers(ms: &[Matcher]) -> String {
    ms.iter()
        .map(|m| {
            let op = match (m.is_equal, m.is_regex) {
                (true, false) => "=",
                (true, true) => "=~",
                (false, false) => "!=",
                (false, true) => "!~",
            };
            format!("{}{op}{:?}", m.name, m.value)
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn run(g: &GlobalArgs, argv: &[String], a: &WindowCmdArgs) -> Result<Exit> {
    let (w, duration, matchers) = load(&a.file)?;
    let (mut ctx, format) = prepare(g, argv, "window").await?;
    if g.namespace.is_none()
        && let Some(ns) = &w.namespace
    {
        if !crate::backends::kubernetes::valid_label(ns) {
            return Err(
                UsageError::new(format!("namespace {ns:?} is not a valid namespace")).into(),
            );
        }
        ctx.namespace = ns.clone();
    }
    for s in &w.steps {
        if let Step::Update(u) = s
            && let Some(h) = &u.helm
        {
            ctx.helm.bin = h.clone();
        }
    }
    let matchers = silence_matchers(&ctx, matchers);
    let mut plan = plan(&ctx, &w).await?;
    match &ctx.alertmanager {
        Some(_) => plan.notes.push(format!(
            "alerts matching {{{}}} are silenced in Alertmanager for the window ({}), and the silence is expired when it ends",
            describe_matchers(&matchers),
            w.duration
        )),
        None => plan.notes.push(
            "no Alertmanager is configured: alerts are NOT silenced during the window (--alertmanager-url)".into(),
        ),
    }
    if ctx.grafana.is_some() {
        plan.notes.push(
            "the window is marked in Grafana with a region annotation tagged tracectl, maintenance"
                .into(),
        );
    }
    let flags = ApplyFlags {
        rollback_on_failure: true,
        ..a.apply.clone()
    };
    if flags.dry_run {
        print(&render::plan(&plan, format))?;
        return Ok(Exit::Ok);
    }
    if !session::confirm_changes(
        plan.changes(),
        flags.yes,
        || render::plan(&plan, PlanFormat::Table),
        &format!("tracectl maintain window {} --dry-run", a.file.display()),
        &format!("tracectl maintain window {} --yes", a.file.display()),
    )? {
        return Ok(Exit::Ok);
    }

    // Health runs before the silence: a silenced alert is not reported as firing, so checking
    // under the window's own silence would miss what it silences.
    let stop = Stop::on_signals();
    let progress = progress(&ctx);
    let (health, rest) = split_health(&plan);
    let checked = super::run_plan(&ctx, &health, &flags, "window", &stop, &progress).await?;
    if checked.outcome != Outcome::Succeeded {
        return super::finish(&ctx, format, &plan, "window", checked);
    }

    let started = crate::clock::Clock::system().now();
    let silence = match &ctx.alertmanager {
        None => None,
        Some(am) => {
            let ends_at = started
                .checked_add(
                    jiff::SignedDuration::try_from(duration)
                        .unwrap_or(jiff::SignedDuration::from_hours(1)),
                )
                .unwrap_or(started);
            let s = NewSilence {
                matchers: matchers.clone(),
                starts_at: started,
                ends_at,
                created_by: "tracectl".into(),
                comment: w
                    .silence
                    .as_ref()
                    .and_then(|s| s.comment.clone())
                    .unwrap_or_else(|| format!("tracectl maintain window {}", w.name)),
            };
            match am.create_silence(&s).await {
                Ok(id) => Some(id),
                Err(e) => {
                    // Without the silence the window would page whoever is on call: stop here,
                    // before any change (exit 3: a backend the command needs did not answer).
                    // The error's hint is printed after the chain (`print_error`), not here.
                    return Err(anyhow::Error::new(e).context(
                        "cannot silence the alerts, so the window did not start and nothing was changed",
                    ));
                }
            }
        }
    };
    let annotation = match &ctx.grafana {
        None => None,
        Some(gr) => {
            let a = Annotation {
                time_ms: started.as_millisecond(),
                end_ms: None,
                tags: vec!["tracectl".into(), "maintenance".into(), w.name.clone()],
                text: format!("maintenance window {} started ({})", w.name, ctx.namespace),
                dashboard_uid: None,
            };
            match gr.annotate(&a).await {
                Ok(id) => Some(id),
                Err(e) => {
                    eprintln!(
                        "warning: cannot annotate the window in Grafana: {}",
                        e.one_line()
                    );
                    None
                }
            }
        }
    };

    let done = super::run_plan(&ctx, &rest, &flags, "window", &stop, &progress)
        .await
        .map(|mut d| {
            d.actions.splice(0..0, checked.actions);
            d
        });

    // Whatever happened (even an error writing the journal), end the silence and the annotation.
    let outcome = match &done {
        Ok(d) => session::outcome_word(&d.outcome, d.rolled_back, plan.changes()),
        Err(_) => "failed",
    };
    if let (Some(am), Some(id)) = (&ctx.alertmanager, &silence)
        && let Err(e) = am.delete_silence(id).await
    {
        eprintln!(
            "warning: cannot expire the silence {id}: {}; it ends by itself at the window's planned end",
            e.one_line()
        );
    }
    if let (Some(gr), Some(id)) = (&ctx.grafana, annotation) {
        let end = crate::clock::Clock::system().now().as_millisecond();
        let text = format!(
            "maintenance window {}: {}",
            w.name,
            outcome.replace('_', " ")
        );
        let tags = vec![
            "tracectl".to_string(),
            "maintenance".to_string(),
            w.name.clone(),
            outcome.to_string(),
        ];
        if let Err(e) = gr
            .update_annotation_end(id, end, Some(&text), Some(&tags))
            .await
        {
            eprintln!(
                "warning: cannot close the window's annotation in Grafana: {}",
                e.one_line()
            );
        }
    }
    super::finish(&ctx, format, &plan, "window", done?)
}
