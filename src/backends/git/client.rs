//! The live Git reader: `git -C REPO log` over a time range, with each commit's changed paths, so
//! a commit can be matched to a service by path. Errors are one line, for a step's record.
//! Tests: below (a repository the test makes, when `git` is installed).

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::{Commit, wire};

/// A repository on disk.
#[derive(Debug, Clone)]
pub struct GitRepo {
    path: PathBuf,
}

impl GitRepo {
    pub fn new(path: &Path) -> Self {
        GitRepo {
            path: path.to_path_buf(),
        }
    }

    /// Commits in `[since, until]` whose changed paths contain `fragment`, newest first.
    pub async fn commits_touching(
        &self,
        fragment: &str,
        since: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Commit>, String> {
        let out = tokio::process::Command::new("git")
            .arg("-C")
            .arg(&self.path)
            .args([
                "log",
                &format!("--since=@{}", since.as_second()),
                &format!("--until=@{}", until.as_second()),
                wire::FORMAT,
                "--name-only",
            ])
            .output()
            .await
            .map_err(|e| format!("git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git log in {} failed: {}",
                self.path.display(),
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            ));
        }
        Ok(wire::parse_log(
            &String::from_utf8_lossy(&out.stdout),
            fragment,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_a_real_repository() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(args)
                .env("GIT_COMMITTER_DATE", "@1700000000 +0000")
                .env("GIT_AUTHOR_DATE", "@1700000000 +0000")
                .output()
        };
        // No git on this machine: nothing to prove here.
        if git(&["init", "-q"]).is_err() {
            return;
        }
        std::fs::create_dir_all(dir.path().join("checkout")).unwrap();
        std::fs::write(dir.path().join("checkout/pool.go"), "x").unwrap();
        git(&["add", "."]).unwrap();
        let c = git(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "raise pool",
        ])
        .unwrap();
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
        let repo = GitRepo::new(dir.path());
        let t = |s: i64| Timestamp::from_second(s).unwrap();
        let got = repo
            .commits_touching("checkout", t(1_699_999_000), t(1_700_000_500))
            .await
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].subject, "raise pool");
        assert_eq!(got[0].time, 1_700_000_000.0);
        let none = repo
            .commits_touching("payment", t(1_699_999_000), t(1_700_000_500))
            .await
            .unwrap();
        assert!(none.is_empty());
        let e = GitRepo::new(&dir.path().join("nope"))
            .commits_touching("x", t(0), t(1))
            .await
            .unwrap_err();
        assert!(e.starts_with("git"), "{e}");
    }
}
