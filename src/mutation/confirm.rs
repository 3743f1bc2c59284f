//! Whether to ask before changing anything, and the asking.
//!
//! `--yes` never asks; a terminal (stdin and stderr both) asks `Apply N changes? [y/N]` on stderr;
//! anything else (a pipe, CI) refuses: a script must say `--yes`, so a mutation never runs because
//! nobody was there to say no. Not here: what is confirmed (the plan). Tests: [`consent`] below;
//! the refusal end to end in `tests/it/deploy.rs`.

use std::io::{BufRead, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// `--yes`.
    Given,
    /// On a terminal: ask.
    Ask,
    /// No terminal and no `--yes`.
    Refused,
}

pub fn consent(yes: bool, interactive: bool) -> Consent {
    match (yes, interactive) {
        (true, _) => Consent::Given,
        (false, true) => Consent::Ask,
        (false, false) => Consent::Refused,
    }
}

/// Stdin and stderr are both terminals: someone can answer.
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Ask on stderr, read one line from stdin; only `y` or `yes` (any case) is a yes.
pub fn ask(question: &str) -> bool {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    is_yes(&line)
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_must_say_yes() {
        assert_eq!(consent(true, false), Consent::Given);
        assert_eq!(consent(true, true), Consent::Given);
        assert_eq!(consent(false, true), Consent::Ask);
        assert_eq!(consent(false, false), Consent::Refused);
    }

    #[test]
    fn only_y_or_yes_is_yes() {
        for y in ["y", "Y\n", " yes \n", "YES"] {
            assert!(is_yes(y), "{y:?}");
        }
        for n in ["", "\n", "n", "no", "yep", "y es"] {
            assert!(!is_yes(n), "{n:?}");
        }
    }
}
