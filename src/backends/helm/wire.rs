//! The JSON `helm list`, `helm repo list` and `helm status` print, decoded tolerantly (unknown
//! fields ignored; a revision a string or a number). Not here: running Helm (`client.rs`).
//! Tests: below.

use serde::Deserialize;

use super::{Release, Repo};

#[derive(Deserialize)]
pub(super) struct ListItem {
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
pub(super) struct StatusOut {
    pub(super) version: u64,
    #[serde(default)]
    pub(super) info: Option<StatusInfo>,
}

#[derive(Deserialize)]
pub(super) struct StatusInfo {
    #[serde(default)]
    pub(super) status: String,
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
}
