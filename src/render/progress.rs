//! Progress on stderr while a runbook's steps run: a spinner per running step, and one permanent
//! line per finished step (`✓ affected-services  Identify the affected service  120 ms`).
//!
//! The caller decides whether to show it (stderr is a terminal and not `-q`); when disabled every
//! method is a no-op, so commands call it unconditionally. It never writes to stdout, which
//! belongs to the renderers. `Send + Sync`: steps run concurrently on tokio and share one
//! `Progress` by reference or `Arc`. Not here: the report itself. Tests: below (the line format,
//! the disabled no-op, the auto traits); the drawing is indicatif's.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{format_duration_ms, strip_controls};
use crate::report::{Step, StepStatus};

/// Step progress on stderr, or nothing.
pub struct Progress {
    inner: Option<Inner>,
}

struct Inner {
    multi: MultiProgress,
    /// Running steps by id. A Mutex, not a concurrent map: it is touched twice per step.
    spinners: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    /// `enabled` should be true only when stderr is a terminal and the user did not pass `-q`.
    pub fn new(enabled: bool) -> Self {
        let inner = enabled.then(|| Inner {
            // Explicitly stderr: stdout carries the report.
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            spinners: Mutex::new(HashMap::new()),
        });
        Progress { inner }
    }

    /// A progress that shows nothing.
    pub fn disabled() -> Self {
        Progress::new(false)
    }

    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// Show a spinner for a step that has started.
    pub fn step_started(&self, id: &str, title: &str) {
        let Some(inner) = &self.inner else { return };
        // The template is a constant; should indicatif ever reject it, the default spinner is
        // still a spinner.
        let style = ProgressStyle::with_template("{spinner} {prefix}  {msg}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let pb = inner.multi.add(
            ProgressBar::new_spinner()
                .with_style(style)
                .with_prefix(strip_controls(id))
                .with_message(strip_controls(title)),
        );
        pb.enable_steady_tick(Duration::from_millis(100));
        let old = lock(&inner.spinners).insert(id.to_string(), pb);
        // A step id started twice: the first spinner would spin forever.
        if let Some(old) = old {
            old.finish_and_clear();
            inner.multi.remove(&old);
        }
    }

    /// Replace the step's spinner with its permanent result line.
    pub fn step_finished(&self, step: &Step) {
        let Some(inner) = &self.inner else { return };
        if let Some(pb) = lock(&inner.spinners).remove(&step.id) {
            pb.finish_and_clear();
            inner.multi.remove(&pb);
        }
        // Progress is best effort: a stderr that cannot be written must not fail the run.
        let _ = inner.multi.println(step_line(step));
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::disabled()
    }
}

/// A poisoned lock only means another step's thread panicked while holding it; the map is still
/// usable, and progress must not turn one panic into many.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `✓ id  title  120 ms`, and the error after a failed step. The symbol is backed by a word for
/// anything but success, so the line reads the same without the glyphs' shapes or colour.
pub(crate) fn step_line(step: &Step) -> String {
    let symbol = match step.status {
        StepStatus::Ok => "✓",
        StepStatus::Warning => "! warning",
        StepStatus::Failed => "✗ failed",
        StepStatus::Skipped => "- skipped",
    };
    let mut line = format!(
        "{symbol} {}  {}  {}",
        step.id,
        step.title,
        format_duration_ms(step.duration_ms)
    );
    if let Some(err) = step.error.as_deref().filter(|e| !e.is_empty()) {
        line.push_str("  ");
        line.push_str(err);
    }
    // One line per step: a multi-line error body would tear the spinner area apart.
    strip_controls(&line).replace(['\n', '\t'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_report;

    #[test]
    fn is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Progress>();
    }

    #[test]
    fn lines_say_status_and_duration() {
        let r = sample_report();
        assert_eq!(
            step_line(&r.steps[0]),
            "✓ affected-services  Identify the affected service  120 ms"
        );
        let failed = step_line(&r.steps[2]);
        assert!(
            failed.starts_with("✗ failed traces  Find the slow spans  10.0 s  jaeger: timeout")
        );
        assert!(!failed.contains('\x1b'));
        assert!(step_line(&r.steps[3]).starts_with("- skipped deployments"));
    }

    #[test]
    fn disabled_is_a_no_op() {
        let p = Progress::new(false);
        assert!(!p.is_enabled());
        let r = sample_report();
        p.step_started("traces", "Find the slow spans");
        p.step_finished(&r.steps[2]);
    }

    #[test]
    fn enabled_tracks_and_clears_spinners() {
        // Under `cargo test` stderr is usually not a terminal, so indicatif draws nothing; the
        // bookkeeping is what is checked here.
        let p = Progress::new(true);
        let r = sample_report();
        p.step_started("traces", "Find the slow spans");
        p.step_started("traces", "Find the slow spans");
        let inner = p.inner.as_ref().unwrap();
        assert_eq!(lock(&inner.spinners).len(), 1);
        p.step_finished(&r.steps[2]);
        assert!(lock(&inner.spinners).is_empty());
    }
}
