//! What every check step shares ([`Ctx`]): the settings, the check runbook, the run's time, and
//! the components findings name, each with the URL a human would use and the Kubernetes workload
//! that most likely serves it ([`workload_from_url`]).
//!
//! Not the checks themselves (`steps.rs`, `prometheus.rs`) nor their judgements
//! (`crate::analysis::check`). Tests: below, and `tests/it/check.rs`.

use jiff::Timestamp;

use crate::analysis::check::{Component, Workload};
use crate::error::Backend;
use crate::promql::{Value, Vars};
use crate::runbook::Runbook;
use crate::settings::{Mode, Settings};

/// Everything the checks share.
pub(crate) struct Ctx<'a> {
    pub settings: &'a Settings,
    pub rb: Runbook,
    pub at: Timestamp,
}

/// The components findings can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Prometheus,
    JaegerQuery,
    CollectorOtlp,
    CollectorMetrics,
    Elasticsearch,
    Grafana,
    Alertmanager,
}

impl Ctx<'_> {
    pub fn threshold(&self, key: &str) -> f64 {
        self.settings.threshold(key, self.rb.threshold(key))
    }

    pub fn title(&self, id: &str) -> String {
        self.rb
            .step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// The run's time, as evidence carries it.
    pub fn at(&self) -> String {
        self.at.to_string()
    }

    /// A runbook query, rendered; the error names the step.
    pub fn query(&self, step: &str, name: &str) -> Result<String, String> {
        let mut vars = Vars::new();
        vars.insert(
            "rate_window".into(),
            Value::Duration(self.settings.rate_window),
        );
        self.rb
            .render_query(step, name, self.settings.profile, &vars, &[])
    }

    /// The URL a human would use for a backend: the configured one, or in a replay the one the
    /// bundle was recorded against. Redacted.
    pub fn shown_url(&self, b: Backend) -> Option<url::Url> {
        let url = match &self.settings.mode {
            Mode::Replay(r) => r
                .meta
                .backends
                .get(b.name())
                .and_then(|u| url::Url::parse(u).ok()),
            _ => self.settings.endpoint(b).map(|e| e.base.clone()),
        };
        url.and_then(|u| url::Url::parse(&crate::error::redact_url(u.as_str())).ok())
    }

    /// The namespace a human named (`-n` or the context); the kubeconfig's is kubectl's default.
    pub fn namespace(&self) -> Option<&str> {
        self.settings.kubernetes.namespace.as_deref()
    }

    pub fn component(&self, c: Kind) -> Component {
        let (resource, display, backend, kind, name) = match c {
            Kind::Prometheus => (
                "prometheus",
                "Prometheus",
                Backend::Prometheus,
                "statefulset",
                "prometheus",
            ),
            Kind::JaegerQuery => (
                "jaeger-query",
                "Jaeger query",
                Backend::Jaeger,
                "deployment",
                "jaeger-query",
            ),
            Kind::CollectorOtlp | Kind::CollectorMetrics => (
                "otel-collector",
                "OpenTelemetry Collector",
                Backend::Collector,
                "deployment",
                "otel-collector",
            ),
            Kind::Elasticsearch => (
                "elasticsearch",
                "Elasticsearch",
                Backend::Elasticsearch,
                "statefulset",
                "elasticsearch",
            ),
            Kind::Grafana => (
                "grafana",
                "Grafana",
                Backend::Grafana,
                "deployment",
                "grafana",
            ),
            Kind::Alertmanager => (
                "alertmanager",
                "Alertmanager",
                Backend::Alertmanager,
                "statefulset",
                "alertmanager",
            ),
        };
        let url = match (c, &self.settings.mode) {
            // A bundle records one URL per backend, and the Collector has two (metrics and
            // OTLP) recorded in whichever order they were first used: a replay shows neither.
            (Kind::CollectorOtlp | Kind::CollectorMetrics, Mode::Replay(_)) => None,
            (Kind::CollectorOtlp, _) => self
                .settings
                .collector_otlp
                .as_ref()
                .map(|e| e.base.clone()),
            _ => self.shown_url(backend),
        };
        Component {
            resource,
            display,
            backend,
            flag: match c {
                Kind::CollectorOtlp => "--collector-otlp-url",
                _ => backend.flag(),
            },
            workload: workload_from_url(url.as_ref(), kind, name, self.namespace()),
            url: url.map(|u| u.as_str().trim_end_matches('/').to_string()),
        }
    }
}

/// The workload from a URL's host when it is an in-cluster Service name: `svc.ns`,
/// `svc.ns.svc` or `svc.ns.svc.cluster.local` give both; a bare `svc` gives the name.
/// Anything else (an IP, `localhost`, an external name) keeps the defaults.
pub(crate) fn workload_from_url(
    url: Option<&url::Url>,
    kind: &'static str,
    default_name: &str,
    namespace: Option<&str>,
) -> Workload {
    let mut w = Workload {
        kind,
        name: default_name.to_string(),
        namespace: namespace.map(String::from),
    };
    let Some(host) = url.and_then(|u| u.host_str()) else {
        return w;
    };
    let labels: Vec<&str> = host.split('.').collect();
    let is_name = |s: &str| crate::backends::kubernetes::valid_label(s);
    let in_cluster = match labels.as_slice() {
        [svc] => is_name(svc) && *svc != "localhost",
        [svc, ns] => is_name(svc) && is_name(ns),
        [svc, ns, "svc"] | [svc, ns, "svc", "cluster", "local"] => is_name(svc) && is_name(ns),
        _ => false,
    };
    if in_cluster {
        w.name = labels[0].to_string();
        if labels.len() > 1 {
            w.namespace = Some(labels[1].to_string());
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_from_in_cluster_urls() {
        let w = |u: &str| {
            workload_from_url(
                Some(&url::Url::parse(u).unwrap()),
                "deployment",
                "jaeger-query",
                Some("tracing"),
            )
        };
        let j = w("http://jaeger.monitoring:16686");
        assert_eq!(
            (j.name.as_str(), j.namespace.as_deref()),
            ("jaeger", Some("monitoring"))
        );
        assert_eq!(
            w("http://tracing-query.obs.svc.cluster.local:16686").namespace,
            Some("obs".into())
        );
        let bare = w("http://jaeger-query-v2:16686");
        assert_eq!(
            (bare.name.as_str(), bare.namespace.as_deref()),
            ("jaeger-query-v2", Some("tracing"))
        );
        for other in [
            "http://127.0.0.1:16686",
            "http://localhost:16686",
            "https://jaeger.example.com",
            "http://jaeger.replay.invalid/",
        ] {
            let d = w(other);
            assert_eq!(d.name, "jaeger-query", "{other}");
            assert_eq!(d.namespace.as_deref(), Some("tracing"), "{other}");
        }
        let none = workload_from_url(None, "statefulset", "prometheus", None);
        assert_eq!(
            (none.name.as_str(), none.namespace.as_deref()),
            ("prometheus", None)
        );
    }
}
