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
//! Files: `client.rs` (the live [`Helm`], one process per command), `wire.rs` (the JSON Helm
//! prints, private), `error.rs` ([`HelmError`], with a hint each). Here: what the rest of tracectl
//! sees ([`Release`], [`Repo`], [`chart_label`]). Not here: deciding what to run
//! (`crate::mutation::ops::release` plans, `crate::mutation::exec` runs). Tests: in each file;
//! the calls end to end against a fake `helm` script (`tests/it/fixtures/fake-helm`) in
//! `tests/it/deploy.rs`.

mod client;
mod error;
mod wire;

use serde::Deserialize;

pub use client::Helm;
pub use error::HelmError;
pub use wire::{parse_list, parse_repos};

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

/// What `helm upgrade --install` is given, but the values file.
#[derive(Debug, Clone, Copy)]
pub struct Upgrade<'a> {
    pub release: &'a str,
    /// `repo/chart` or an `oci://` URL.
    pub chart: &'a str,
    pub namespace: &'a str,
    pub version: Option<&'a str>,
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
}
