//! `git log`'s output as tracectl asks for it ([`FORMAT`] with `--name-only`): per commit a NUL,
//! then `sha TAB committer-unix-time TAB subject`, then the changed paths one a line. A block
//! that does not parse is skipped, not an error. Tests: below.

use super::Commit;

/// The `--format` argument the parser expects.
pub(super) const FORMAT: &str = "--format=%x00%H%x09%ct%x09%s";

/// The commits of `text` with a changed path containing `fragment`, in the order given.
pub(super) fn parse_log(text: &str, fragment: &str) -> Vec<Commit> {
    let mut commits = Vec::new();
    for block in text.split('\0').filter(|b| !b.trim().is_empty()) {
        let mut lines = block.lines();
        let Some(head) = lines.next() else { continue };
        let mut parts = head.splitn(3, '\t');
        let (Some(sha), Some(ts), Some(subject)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if lines.any(|path| path.contains(fragment)) {
            commits.push(Commit {
                sha: sha.to_string(),
                time: ts.parse().unwrap_or(0.0),
                subject: subject.to_string(),
            });
        }
    }
    commits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_commits_that_touch_the_path() {
        let text = "\0abc\t1700000000\tcheckout: raise pool size\n\nservices/checkout/pool.go\n\
                    \0def\t1700000100\tdocs\n\nREADME.md\n\
                    \0broken line without tabs\n\nservices/checkout/x\n";
        let got = parse_log(text, "checkout");
        assert_eq!(
            got,
            vec![Commit {
                sha: "abc".into(),
                time: 1_700_000_000.0,
                subject: "checkout: raise pool size".into(),
            }]
        );
        assert!(parse_log("", "checkout").is_empty());
    }
}
