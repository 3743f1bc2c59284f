//! The live [`Helm`]: one `helm` process per command, in its own process group, so a Ctrl-C at
//! the terminal reaches tracectl (which finishes the current action and journals it) and not Helm
//! in the middle of an upgrade; each is bounded by a timeout and killed past it. A missing binary
//! is one error with a hint. Values are passed as a file, never `--set`, so nothing secret is on a
//! command line. Not here: the JSON shapes (`wire.rs`). Tests: below; `tests/it/deploy.rs`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use super::wire::{StatusOut, parse_list, parse_repos};
use super::{HelmError, Release, Repo, Upgrade};

/// The `helm` binary, bound to one cluster.
#[derive(Debug, Clone)]
pub struct Helm {
    pub bin: PathBuf,
    pub kube_context: Option<String>,
    pub kubeconfig: Option<PathBuf>,
    pub timeout: Duration,
}

impl Helm {
    /// Run `helm args...`; stdout on success. `cluster`: the command talks to the cluster, so
    /// it gets `--kube-context`/`--kubeconfig`.
    async fn run(&self, args: &[&str], cluster: bool) -> Result<String, HelmError> {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        if cluster {
            if let Some(c) = &self.kube_context {
                all.push("--kube-context".into());
                all.push(c.clone());
            }
            if let Some(k) = &self.kubeconfig {
                all.push("--kubeconfig".into());
                all.push(k.display().to_string());
            }
        }
        let shown = all.join(" ");
        tracing::debug!(args = %shown, "helm");
        let bin = self.bin.display().to_string();
        let mut cmd = tokio::process::Command::new(&self.bin);
        cmd.args(&all)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        #[cfg(unix)]
        cmd.process_group(0);
        let child = cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => HelmError::Missing { bin: bin.clone() },
            _ => HelmError::Spawn {
                bin: bin.clone(),
                reason: e.to_string(),
            },
        })?;
        let out = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Err(_) => {
                return Err(HelmError::Timeout {
                    args: shown,
                    timeout: crate::clock::format_duration(self.timeout),
                });
            }
            Ok(Err(e)) => {
                return Err(HelmError::Spawn {
                    bin,
                    reason: e.to_string(),
                });
            }
            Ok(Ok(out)) => out,
        };
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Helm says what went wrong on its last `Error:` line.
        let message = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .trim_start_matches("Error: ")
            .to_string();
        let message = if message.is_empty() {
            format!("exit status {}", out.status.code().unwrap_or(-1))
        } else {
            message
        };
        Err(HelmError::Failed {
            args: shown,
            message,
        })
    }

    pub async fn repo_list(&self) -> Result<Vec<Repo>, HelmError> {
        match self.run(&["repo", "list", "--output", "json"], false).await {
            Ok(out) => parse_repos(&out).map_err(|reason| HelmError::Decode {
                args: "repo list --output json".into(),
                reason,
            }),
            // Helm 3 exits 1 with "no repositories to show" when there are none.
            Err(HelmError::Failed { message, .. }) if message.contains("no repositories") => {
                Ok(Vec::new())
            }
            Err(e) => Err(e),
        }
    }

    pub async fn repo_add(&self, name: &str, url: &str) -> Result<(), HelmError> {
        self.run(&["repo", "add", name, url], false).await.map(drop)
    }

    pub async fn repo_update(&self, names: &[String]) -> Result<(), HelmError> {
        let mut args = vec!["repo", "update"];
        args.extend(names.iter().map(String::as_str));
        self.run(&args, false).await.map(drop)
    }

    pub async fn repo_remove(&self, name: &str) -> Result<(), HelmError> {
        self.run(&["repo", "remove", name], false).await.map(drop)
    }

    /// The release named `name` in `namespace`, whatever its status.
    pub async fn release(&self, namespace: &str, name: &str) -> Result<Option<Release>, HelmError> {
        let args = [
            "list",
            "--namespace",
            namespace,
            "--all",
            "--output",
            "json",
        ];
        let out = self.run(&args, true).await?;
        let all = parse_list(&out).map_err(|reason| HelmError::Decode {
            args: args.join(" "),
            reason,
        })?;
        Ok(all.into_iter().find(|r| r.name == name))
    }

    /// The user-supplied values of a release (`null` for none).
    pub async fn values(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<serde_json::Value, HelmError> {
        let args = [
            "get",
            "values",
            name,
            "--namespace",
            namespace,
            "--output",
            "json",
        ];
        let out = self.run(&args, true).await?;
        serde_json::from_str(out.trim()).map_err(|e| HelmError::Decode {
            args: args.join(" "),
            reason: e.to_string(),
        })
    }

    /// `helm upgrade --install` with one values file; Helm does not wait (tracectl does).
    pub async fn upgrade_install(&self, u: &Upgrade<'_>, values: &Path) -> Result<(), HelmError> {
        let values = values.display().to_string();
        let mut args = vec![
            "upgrade",
            "--install",
            u.release,
            u.chart,
            "--namespace",
            u.namespace,
        ];
        if let Some(v) = u.version {
            args.extend(["--version", v]);
        }
        args.extend(["--values", values.as_str(), "--wait=false"]);
        self.run(&args, true).await.map(drop)
    }

    /// The release's current revision and status, `None` when it does not exist.
    pub async fn status(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<(u64, String)>, HelmError> {
        let args = ["status", name, "--namespace", namespace, "--output", "json"];
        match self.run(&args, true).await {
            Ok(out) => {
                let s: StatusOut =
                    serde_json::from_str(out.trim()).map_err(|e| HelmError::Decode {
                        args: args.join(" "),
                        reason: e.to_string(),
                    })?;
                Ok(Some((
                    s.version,
                    s.info.map(|i| i.status).unwrap_or_default(),
                )))
            }
            Err(HelmError::Failed { message, .. }) if message.contains("not found") => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn rollback(
        &self,
        namespace: &str,
        name: &str,
        revision: u64,
    ) -> Result<(), HelmError> {
        let rev = revision.to_string();
        self.run(
            &["rollback", name, rev.as_str(), "--namespace", namespace],
            true,
        )
        .await
        .map(drop)
    }

    pub async fn uninstall(&self, namespace: &str, name: &str) -> Result<(), HelmError> {
        self.run(&["uninstall", name, "--namespace", namespace], true)
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_binary_is_one_error_with_a_hint() {
        let h = Helm {
            bin: "/nonexistent/helm".into(),
            kube_context: None,
            kubeconfig: None,
            timeout: Duration::from_secs(5),
        };
        let e = h.repo_list().await.unwrap_err();
        assert_eq!(
            e,
            HelmError::Missing {
                bin: "/nonexistent/helm".into()
            }
        );
        assert!(e.hint().contains("install Helm 3"));
    }
}
