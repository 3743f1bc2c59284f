//! Helm, driven as the `helm` binary (Helm 3) with explicit arguments: no shell, nothing
//! interpolated, `--kube-context`/`--kubeconfig` passed through so Helm and tracectl talk to the
//! same cluster.
//!
//! Commands (reference: <https://helm.sh/docs/helm/>): `repo list -o json`, `repo add NAME URL`,
//! `repo update NAME...`, `repo remove NAME`, `list -n NS --all -o json` (every release with its
//! revision, status and `chart-version`), `get values REL -n NS -o json` (the user-supplied values,
//! to compare with what a deploy would send), `upgrade --install REL CHART -n NS --version V -f
//! FILE --wait=false` (tracectl waits itself, with a progress bar per workload), `status REL -n NS
//! -o json` (the revision an upgrade made), `rollback REL REV -n NS`, `uninstall REL -n NS`.
//!
//! Each runs in its own process group, so a Ctrl-C at the terminal reaches tracectl (which
//! finishes the current action and journals it) and not Helm in the middle of an upgrade; each is
//! bounded by a timeout and killed past it. A missing binary is one error with a hint. Values are
//! passed as a file, never `--set`, so nothing secret is on a command line. Not here: deciding what
//! to run (`plan.rs`, `exec.rs`). Tests: the JSON shapes below; the calls end to end against a fake
//! `helm` script (`tests/it/fixtures/fake-helm`) in `tests/it/deploy.rs`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::Deserialize;

use crate::mutation::HelmRelease;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelmError {
    #[error("helm is not installed (no {bin} on PATH)")]
    Missing { bin: String },
    #[error("cannot run {bin}: {reason}")]
    Spawn { bin: String, reason: String },
    #[error("`helm {args}` failed: {message}")]
    Failed { args: String, message: String },
    #[error("`helm {args}` did not finish within {timeout}")]
    Timeout { args: String, timeout: String },
    #[error("`helm {args}`: unexpected output: {reason}")]
    Decode { args: String, reason: String },
}

impl HelmError {
    pub fn hint(&self) -> String {
        match self {
            HelmError::Missing { .. } => {
                "install Helm 3 (https://helm.sh/docs/intro/install/) or pass --helm PATH".into()
            }
            HelmError::Spawn { .. } => "check that --helm points at an executable".into(),
            HelmError::Failed { .. } => {
                "run the helm command by hand with --debug to see why".into()
            }
            HelmError::Timeout { .. } => {
                "raise timeouts.helm in deploy.yaml, or check the cluster's API server".into()
            }
            HelmError::Decode { .. } => "is --helm really Helm 3?".into(),
        }
    }
}

/// A release as `helm list -o json` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub revision: u64,
    /// `deployed`, `failed`, `pending-upgrade`, ...
    pub status: String,
    /// `name-version`.
    pub chart: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repo {
    pub name: String,
    pub url: String,
}

#[derive(Deserialize)]
struct ListItem {
    name: String,
    #[serde(default)]
    namespace: String,
    /// A string in `helm list -o json`; a number in some versions.
    revision: serde_json::Value,
    #[serde(default)]
    status: String,
    #[serde(default)]
    chart: String,
}

#[derive(Deserialize)]
struct StatusOut {
    version: u64,
    #[serde(default)]
    info: Option<StatusInfo>,
}

#[derive(Deserialize)]
struct StatusInfo {
    #[serde(default)]
    status: String,
}

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
    pub async fn upgrade_install(&self, r: &HelmRelease, values: &Path) -> Result<(), HelmError> {
        let values = values.display().to_string();
        let mut args = vec![
            "upgrade",
            "--install",
            r.release.as_str(),
            r.chart.as_str(),
            "--namespace",
            r.namespace.as_str(),
        ];
        if let Some(v) = &r.version {
            args.extend(["--version", v.as_str()]);
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

pub fn parse_repos(out: &str) -> Result<Vec<Repo>, String> {
    if out.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(out.trim()).map_err(|e| e.to_string())
}

pub fn parse_list(out: &str) -> Result<Vec<Release>, String> {
    if out.trim().is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<ListItem> = serde_json::from_str(out.trim()).map_err(|e| e.to_string())?;
    items
        .into_iter()
        .map(|i| {
            let revision = match &i.revision {
                serde_json::Value::String(s) => s.parse().ok(),
                v => v.as_u64(),
            }
            .ok_or_else(|| {
                format!(
                    "release {}: revision {} is not a number",
                    i.name, i.revision
                )
            })?;
            Ok(Release {
                name: i.name,
                namespace: i.namespace,
                revision,
                status: i.status,
                chart: i.chart,
            })
        })
        .collect()
}

/// `name-version` of a chart reference (`repo/name` or an `oci://` URL), as `helm list` shows it.
pub fn chart_label(chart: &str, version: Option<&str>) -> Option<String> {
    let name = chart.trim_end_matches('/').rsplit('/').next()?;
    version.map(|v| format!("{name}-{}", v.trim_start_matches('v')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_output_of_helm_3() {
        let out = r#"[{"name":"jaeger","namespace":"monitoring","revision":"3","updated":"2026-11-20 10:00:00.1 +0000 UTC","status":"deployed","chart":"jaeger-3.4.0","app_version":"1.62.0"},
                      {"name":"otel-collector","namespace":"monitoring","revision":1,"status":"failed","chart":"opentelemetry-collector-0.108.0"}]"#;
        let r = parse_list(out).unwrap();
        assert_eq!(
            r[0],
            Release {
                name: "jaeger".into(),
                namespace: "monitoring".into(),
                revision: 3,
                status: "deployed".into(),
                chart: "jaeger-3.4.0".into()
            }
        );
        assert_eq!(r[1].revision, 1);
        assert_eq!(parse_list("").unwrap(), vec![]);
        assert!(parse_list(r#"[{"name":"x","revision":"three"}]"#).is_err());
        assert_eq!(
            parse_repos(
                r#"[{"name":"jaegertracing","url":"https://jaegertracing.github.io/helm-charts"}]"#
            )
            .unwrap()[0]
                .name,
            "jaegertracing"
        );
    }

    #[test]
    fn chart_labels_match_helm_list() {
        assert_eq!(
            chart_label("jaegertracing/jaeger", Some("3.4.1")).as_deref(),
            Some("jaeger-3.4.1")
        );
        assert_eq!(
            chart_label(
                "oci://registry.example/charts/opentelemetry-collector",
                Some("v0.108.0")
            )
            .as_deref(),
            Some("opentelemetry-collector-0.108.0")
        );
        assert_eq!(chart_label("jaegertracing/jaeger", None), None);
    }

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
