//! Every environment variable tracectl reads, named once.
//!
//! The README's environment table is generated from [`ALL`]; `tests/it/docs.rs` fails when they drift.

pub const CONFIG: &str = "TRACECTL_CONFIG";
pub const CONTEXT: &str = "TRACECTL_CONTEXT";
pub const PROMETHEUS_URL: &str = "TRACECTL_PROMETHEUS_URL";
pub const JAEGER_URL: &str = "TRACECTL_JAEGER_URL";
pub const TEMPO_URL: &str = "TRACECTL_TEMPO_URL";
pub const TRACE_STORE: &str = "TRACECTL_TRACE_STORE";
pub const ELASTICSEARCH_URL: &str = "TRACECTL_ELASTICSEARCH_URL";
pub const GRAFANA_URL: &str = "TRACECTL_GRAFANA_URL";
pub const ALERTMANAGER_URL: &str = "TRACECTL_ALERTMANAGER_URL";
pub const COLLECTOR_METRICS_URL: &str = "TRACECTL_COLLECTOR_METRICS_URL";
pub const COLLECTOR_OTLP_URL: &str = "TRACECTL_COLLECTOR_OTLP_URL";
pub const KUBECONFIG: &str = "KUBECONFIG";
pub const PROFILE: &str = "TRACECTL_PROFILE";
pub const OUTPUT: &str = "TRACECTL_OUTPUT";
pub const NO_COLOR: &str = "NO_COLOR";
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
/// Where deploy journals go (`$XDG_STATE_HOME/tracectl/journal`).
pub const XDG_STATE_HOME: &str = "XDG_STATE_HOME";

/// `TRACECTL_<BACKEND>_TOKEN`, `_USERNAME`, `_PASSWORD`: credentials never travel as flags.
pub fn credential(backend: &str, what: &str) -> String {
    format!(
        "TRACECTL_{}_{}",
        backend.to_ascii_uppercase().replace('-', "_"),
        what
    )
}

/// Name and meaning of every variable, for the README table and `--help`.
pub const ALL: &[(&str, &str)] = &[
    (
        CONFIG,
        "config file (default `$XDG_CONFIG_HOME/tracectl/config.yaml`)",
    ),
    (CONTEXT, "named context in the config file"),
    (
        PROMETHEUS_URL,
        "Prometheus HTTP API (or Thanos Query, Mimir, VictoriaMetrics)",
    ),
    (JAEGER_URL, "Jaeger query service"),
    (TEMPO_URL, "Grafana Tempo HTTP API"),
    (
        TRACE_STORE,
        "trace store when both Jaeger and Tempo are configured: jaeger (default) or tempo",
    ),
    (
        ELASTICSEARCH_URL,
        "Elasticsearch or OpenSearch holding Jaeger's indices",
    ),
    (GRAFANA_URL, "Grafana HTTP API"),
    (ALERTMANAGER_URL, "Alertmanager (API v2)"),
    (
        COLLECTOR_METRICS_URL,
        "the OpenTelemetry Collector's own metrics endpoint",
    ),
    (COLLECTOR_OTLP_URL, "the Collector's OTLP/HTTP receiver"),
    (KUBECONFIG, "kubeconfig path"),
    (PROFILE, "metric-name profile: mcp, spanmetrics, semconv"),
    (OUTPUT, "output format: table, json, markdown"),
    (NO_COLOR, "disable colour when set to anything"),
    (
        XDG_STATE_HOME,
        "where deploy journals are kept (`$XDG_STATE_HOME/tracectl/journal`)",
    ),
    (
        "TRACECTL_<BACKEND>_TOKEN",
        "bearer token for a backend (PROMETHEUS, JAEGER, TEMPO, ELASTICSEARCH, GRAFANA, ALERTMANAGER, COLLECTOR)",
    ),
    (
        "TRACECTL_<BACKEND>_USERNAME",
        "basic-auth user for a backend",
    ),
    (
        "TRACECTL_<BACKEND>_PASSWORD",
        "basic-auth password for a backend",
    ),
];
