//! The step registries' plumbing. Each runbook folder registers its steps with a plain `match`
//! from a YAML step id to a [`StepFn`]; the YAML then decides which steps run (those it lists,
//! and only those) and in which place the report shows them. Loading checks that every step the
//! file lists has a registered function, so a typo or a step from another runbook is an error at
//! load that names the file and the id, not a step that silently never runs. Not here: what any
//! step does. Tests: each runbook's own (`investigate/*/mod.rs`), and `tests/it/cli.rs`
//! (an unknown step in an override file).

use futures::future::LocalBoxFuture;

use crate::error::UsageError;
use crate::runbook::{self, Runbook};
use crate::settings::Settings;

/// One registered step: gathers its evidence into the run's state `R`, recording itself in the
/// run's step log. Dependencies between steps are the run's (a step that needs another's answer
/// awaits that step's cell, which runs it once, if the YAML lists it).
pub(crate) type StepFn<R> = for<'r> fn(&'r R) -> LocalBoxFuture<'r, ()>;

/// Runbook `name` (the override directory's file, else the built-in one), checked against the
/// code: every step id it lists is in `registry`, its templates use only `vars`.
pub(crate) fn load<R>(
    settings: &Settings,
    name: &str,
    registry: fn(&str) -> Option<StepFn<R>>,
    vars: &[&str],
) -> Result<Runbook, UsageError> {
    let rb = runbook::load(name, settings.runbooks_dir.as_deref())?;
    // The built-in file lists every step the code has: it names them in the error.
    let built_in = runbook::load(name, None)?;
    let known: Vec<&str> = built_in.steps.iter().map(|s| s.id.as_str()).collect();
    rb.validate_registered(&|id| registry(id).is_some(), &known, vars, &rb.origin)?;
    Ok(rb)
}

/// Run every step the runbook lists, concurrently; each records itself, none aborts another.
pub(crate) async fn run_all<R>(rb: &Runbook, run: &R, registry: fn(&str) -> Option<StepFn<R>>) {
    let steps = rb.steps.iter().filter_map(|s| registry(&s.id));
    futures::future::join_all(steps.map(|f| f(run))).await;
}
