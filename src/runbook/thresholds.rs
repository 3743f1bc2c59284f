//! Thresholds checked when a runbook is validated (`Runbook::validate`, before any step runs), so
//! a bad override file is an error instead of a check that silently never fires.
//!
//! `Runbook::threshold` answers NaN for a key the file does not have, and every comparison with
//! NaN is false: an override file that left out one threshold used to turn its check off without
//! a word. Here every threshold must be finite, and an override file must keep every threshold the
//! built-in runbook of the same name has (the code reads those keys). Extra keys are allowed: a
//! newer file may carry thresholds an older binary does not read. Not here: what a threshold
//! means (the runbook's `about:` and the analysis). Tests: below and `tests/it/cli.rs`.

use super::Runbook;
use crate::error::UsageError;

/// Check `rb` against `builtin`, the runbook of the same name compiled into the binary, when there
/// is one. Errors name the file (`rb.origin`), the runbook and the threshold.
pub fn validate(rb: &Runbook, builtin: Option<&Runbook>) -> Result<(), UsageError> {
    let origin = &rb.origin;
    for (key, t) in &rb.thresholds {
        if !t.value.is_finite() {
            return Err(UsageError::with_hint(
                format!(
                    "{origin}: runbook {}: threshold {key} is {}, not a finite number",
                    rb.name, t.value
                ),
                "give the threshold a number, e.g. `value: 1.0`",
            ));
        }
    }
    if let Some(builtin) = builtin {
        for (key, t) in &builtin.thresholds {
            if !rb.thresholds.contains_key(key) {
                return Err(UsageError::with_hint(
                    format!(
                        "{origin}: runbook {}: threshold {key} is missing ({})",
                        rb.name, t.about
                    ),
                    format!(
                        "add `{key}: {{ value: {}, about: ... }}` under `thresholds:` (the built-in value), \
                         or copy the file from `tracectl runbooks show {}`",
                        t.value, rb.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rb(thresholds: &str) -> Runbook {
        let text = format!(
            "name: x\ntitle: t\nsummary: s\ncommand: c\nthresholds:\n{thresholds}\nsteps: []\n"
        );
        Runbook::parse(&text, "/tmp/x.yaml").unwrap()
    }

    #[test]
    fn a_missing_threshold_names_file_runbook_and_key() {
        let builtin = rb("  a: { value: 1, about: first }\n  b: { value: 2, about: second }");
        let over = rb("  a: { value: 1, about: first }");
        let e = validate(&over, Some(&builtin)).unwrap_err();
        assert_eq!(
            e.message,
            "/tmp/x.yaml: runbook x: threshold b is missing (second)"
        );
        assert!(e.hint.unwrap().contains("value: 2"));
        validate(&builtin, Some(&builtin)).unwrap();
    }

    #[test]
    fn a_non_finite_threshold_is_an_error() {
        let over = rb("  a: { value: .nan, about: first }");
        let e = validate(&over, None).unwrap_err();
        assert!(e.message.contains("threshold a is NaN"), "{}", e.message);
        let over = rb("  a: { value: .inf, about: first }");
        assert!(validate(&over, None).is_err());
    }

    #[test]
    fn every_built_in_runbook_passes() {
        for r in super::super::all(None).unwrap() {
            validate(&r, Some(&r)).unwrap();
        }
    }
}
