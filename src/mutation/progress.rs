//! Progress of a deploy on stderr: a spinner while an action runs, one line per finished action
//! (`✓ 4 collector  install otel-collector ...  2.1 s`), and a bar per workload while step 7 waits
//! for rollouts (`Deployment jaeger  [#####-----] 1/2`).
//!
//! Shown only when stderr is a terminal and not `-q`; otherwise every method does nothing, and the
//! result on stdout says everything. Symbols are backed by words (`failed`, `unchanged`), so
//! nothing is told by the glyph or colour alone. Not here: the result itself
//! (`crate::render::plan`). Tests: `line` below.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::mutation::runner::{ActionReport, ActionStatus, Observer};

pub struct Progress {
    multi: Option<MultiProgress>,
    spinner: Mutex<Option<ProgressBar>>,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        Progress {
            multi: enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            spinner: Mutex::new(None),
        }
    }

    /// A bar for one workload's rollout, `None` when progress is off.
    pub fn workload(&self, label: &str, desired: u64) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let style = ProgressStyle::with_template("  {prefix:30} [{bar:20}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("#>-");
        Some(
            multi.add(
                ProgressBar::new(desired)
                    .with_style(style)
                    .with_prefix(crate::report::units::strip_controls(label)),
            ),
        )
    }

    pub fn note(&self, text: &str) {
        if let Some(m) = &self.multi {
            let _ = m.println(crate::report::units::strip_controls(text));
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Observer for Progress {
    fn started(&self, summary: &str) {
        let Some(multi) = &self.multi else { return };
        let style = ProgressStyle::with_template("{spinner} {msg}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let pb = multi.add(
            ProgressBar::new_spinner()
                .with_style(style)
                .with_message(crate::report::units::strip_controls(summary)),
        );
        pb.enable_steady_tick(Duration::from_millis(100));
        if let Some(old) = lock(&self.spinner).replace(pb) {
            old.finish_and_clear();
        }
    }

    fn finished(&self, report: &ActionReport) {
        let Some(multi) = &self.multi else { return };
        if let Some(pb) = lock(&self.spinner).take() {
            pb.finish_and_clear();
            multi.remove(&pb);
        }
        let _ = multi.println(line(report));
    }
}

/// One finished action: symbol and status word, step, summary, duration, error.
pub fn line(r: &ActionReport) -> String {
    let symbol = match r.status {
        ActionStatus::Done | ActionStatus::Undone => "✓",
        ActionStatus::Unchanged => "= unchanged",
        ActionStatus::Failed => "✗ failed",
        ActionStatus::NotRun => "- not run",
        ActionStatus::Interrupted => "✗ interrupted",
        ActionStatus::Kept => "! kept",
    };
    let mut s = format!("{symbol} {} {}  {}", r.step, r.step_id, r.summary);
    if r.duration_ms > 0 {
        s.push_str(&format!(
            "  {}",
            crate::report::units::duration_ms(r.duration_ms)
        ));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!("  {e}"));
    }
    crate::report::units::strip_controls(&s).replace(['\n', '\t'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::Change;

    #[test]
    fn lines_say_what_happened_in_words() {
        let mut r = ActionReport {
            id: "helm-release/jaeger".into(),
            step: 5,
            step_id: "jaeger".into(),
            summary: "install jaeger: jaegertracing/jaeger 3.4.1".into(),
            change: Change::Create,
            status: ActionStatus::Failed,
            duration_ms: 1500,
            detail: None,
            error: Some("`helm upgrade` failed:\nboom".into()),
        };
        assert_eq!(
            line(&r),
            "✗ failed 5 jaeger  install jaeger: jaegertracing/jaeger 3.4.1  1.5 s  `helm upgrade` failed: boom"
        );
        r.status = ActionStatus::Unchanged;
        r.error = None;
        r.duration_ms = 0;
        assert!(line(&r).starts_with("= unchanged 5 jaeger"));
        let p = Progress::new(false);
        p.started("x");
        p.finished(&r);
        assert!(p.workload("Deployment jaeger", 2).is_none());
    }
}
