//! Where the tracing stack runs, from the Services a cluster lists (issue #17: works from a
//! kubeconfig alone). A Service is a component of the stack by its `app.kubernetes.io/name`
//! label, as the projects' Helm charts set it (`opentelemetry-collector`, `jaeger`, `prometheus`,
//! `elasticsearch`/`opensearch`, `grafana`, `alertmanager`), or by a well-known name (the guide's
//! `app=tracing` objects carry only that label, and a stack installed without labels has only its
//! names). The stack's namespace is the one holding the most components. Pure: the reads are
//! `investigate::discovery`'s. Tests: below.

use crate::model::cluster::ServiceInfo;

/// The label the Helm charts of these projects set to the project's name.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";

/// The guide's own label on everything its deployment runbook installs.
pub const GUIDE_SELECTOR: &str = "app=tracing";

/// Where a stack installed without labels is looked for, in this order.
pub const WELL_KNOWN_NAMESPACES: [&str; 3] = ["monitoring", "observability", "tracing"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    Collector,
    JaegerQuery,
    Prometheus,
    Elasticsearch,
    Grafana,
    Alertmanager,
}

impl Component {
    pub const ALL: [Component; 6] = [
        Component::Collector,
        Component::JaegerQuery,
        Component::Prometheus,
        Component::Elasticsearch,
        Component::Grafana,
        Component::Alertmanager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Component::Collector => "collector",
            Component::JaegerQuery => "jaeger-query",
            Component::Prometheus => "prometheus",
            Component::Elasticsearch => "elasticsearch",
            Component::Grafana => "grafana",
            Component::Alertmanager => "alertmanager",
        }
    }

    /// The `app.kubernetes.io/name` values its charts set.
    fn label_values(self) -> &'static [&'static str] {
        match self {
            Component::Collector => &["opentelemetry-collector"],
            Component::JaegerQuery => &["jaeger"],
            Component::Prometheus => &["prometheus"],
            Component::Elasticsearch => &["elasticsearch", "opensearch"],
            Component::Grafana => &["grafana"],
            Component::Alertmanager => &["alertmanager"],
        }
    }

    /// Service names the guide, the charts' defaults and kube-prometheus use.
    fn well_known_names(self) -> &'static [&'static str] {
        match self {
            Component::Collector => &["otel-collector", "opentelemetry-collector"],
            Component::JaegerQuery => &["jaeger-query", "jaeger"],
            Component::Prometheus => &["prometheus", "prometheus-server", "prometheus-k8s"],
            Component::Elasticsearch => &[
                "elasticsearch",
                "elasticsearch-master",
                "opensearch",
                "opensearch-cluster-master",
            ],
            Component::Grafana => &["grafana"],
            Component::Alertmanager => &["alertmanager", "alertmanager-main"],
        }
    }

    /// The ports its API answers on, best first; a Service with none of them uses its first port.
    fn api_ports(self) -> &'static [u16] {
        match self {
            Component::Collector => &[4318, 8888, 4317],
            Component::JaegerQuery => &[16686],
            Component::Prometheus => &[9090, 80],
            Component::Elasticsearch => &[9200],
            Component::Grafana => &[3000, 80],
            Component::Alertmanager => &[9093],
        }
    }
}

/// `app.kubernetes.io/name in (...)`: every value a component's chart sets, for one list call.
pub fn name_selector() -> String {
    let values: Vec<&str> = Component::ALL
        .iter()
        .flat_map(|c| c.label_values().iter().copied())
        .collect();
    format!("{NAME_LABEL} in ({})", values.join(","))
}

/// One component found: its Service and how it was recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub component: Component,
    pub namespace: String,
    pub service: String,
    /// The port its API answers on.
    pub port: u16,
    /// Every port of the Service (the Collector's metrics port is another than OTLP's).
    pub ports: Vec<u16>,
    /// The Collector's own metrics (`/metrics`): the Service port named `metrics`, else 8888 (the
    /// Collector's default telemetry port) when the Service has it; `None` for the others.
    pub metrics_port: Option<u16>,
    /// `label app.kubernetes.io/name=jaeger`, or `well-known name`.
    pub by: String,
}

impl Found {
    /// `monitoring/jaeger-query:16686`.
    pub fn address(&self) -> String {
        format!("{}/{}:{}", self.namespace, self.service, self.port)
    }

    /// Its address by cluster DNS, for a client running in the cluster:
    /// `http://jaeger-query.monitoring.svc:16686` (`svc`, not `svc.cluster.local`: the
    /// cluster's domain is not always `cluster.local`, and the pod's resolver adds it).
    pub fn cluster_url(&self, port: u16) -> String {
        format!("http://{}.{}.svc:{port}", self.service, self.namespace)
    }

    /// The Collector's OTLP/HTTP port, when its Service has it (4318 by convention).
    pub fn otlp_http_port(&self) -> Option<u16> {
        (self.component == Component::Collector && self.ports.contains(&4318)).then_some(4318)
    }
}

/// What discovery concluded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stack {
    /// Where the stack runs: the namespace holding the most components.
    pub namespace: Option<String>,
    /// At most one per component: the one in `namespace` when there is one there.
    pub found: Vec<Found>,
}

impl Stack {
    pub fn get(&self, c: Component) -> Option<&Found> {
        self.found.iter().find(|f| f.component == c)
    }

    /// `collector monitoring/otel-collector:4318 (label ...), ...`, or `nothing`.
    pub fn describe(&self) -> String {
        if self.found.is_empty() {
            return "nothing".into();
        }
        self.found
            .iter()
            .map(|f| format!("{} {} ({})", f.component.as_str(), f.address(), f.by))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which component `s` is, and how that is known. A headless twin (`*-headless`) and the parts
/// of a chart that are not its API (Jaeger's collector and agent, Prometheus' exporters) are
/// none.
pub fn classify(s: &ServiceInfo) -> Option<(Component, String)> {
    if s.name.ends_with("-headless") || s.name.ends_with("-operated") {
        return None;
    }
    let ports: Vec<u16> = s.ports.iter().map(|(_, p)| *p).collect();
    let is_api = |c: Component| match c {
        // The chart's query Service is the one serving the UI's port; -collector and -agent
        // carry the same label.
        Component::JaegerQuery => ports.contains(&16686),
        // The prometheus chart labels its server with component=server, and its other parts
        // (alertmanager, pushgateway) with their own component.
        Component::Prometheus => s
            .labels
            .get("app.kubernetes.io/component")
            .is_none_or(|v| v == "server" || v == "prometheus"),
        _ => true,
    };
    if let Some(v) = s.labels.get(NAME_LABEL) {
        let c = Component::ALL
            .into_iter()
            .find(|c| c.label_values().contains(&v.as_str()))?;
        return is_api(c).then(|| (c, format!("label {NAME_LABEL}={v}")));
    }
    let c = Component::ALL
        .into_iter()
        .find(|c| c.well_known_names().contains(&s.name.as_str()))?;
    is_api(c).then(|| (c, "well-known name".to_string()))
}

fn found(s: &ServiceInfo, c: Component, by: String) -> Found {
    let ports: Vec<u16> = s.ports.iter().map(|(_, p)| *p).collect();
    let port = c
        .api_ports()
        .iter()
        .copied()
        .find(|p| ports.contains(p))
        .or_else(|| ports.first().copied())
        .unwrap_or(0);
    let metrics_port = (c == Component::Collector)
        .then(|| {
            s.ports
                .iter()
                .find(|(name, _)| name.as_deref() == Some("metrics"))
                .map(|(_, p)| *p)
                .or_else(|| ports.contains(&8888).then_some(8888))
        })
        .flatten();
    Found {
        component: c,
        namespace: s.namespace.clone(),
        service: s.name.clone(),
        port,
        ports,
        metrics_port,
        by,
    }
}

/// The stack among `services`. `namespace`: the one the user named (`--stack-namespace`), which
/// wins; else the one holding the most components (ties: the Collector's, then name order).
/// Services without a port are left out: nothing could be reached there.
pub fn locate(services: &[ServiceInfo], namespace: Option<&str>) -> Stack {
    let mut all: Vec<Found> = services
        .iter()
        .filter(|s| !s.ports.is_empty())
        .filter_map(|s| classify(s).map(|(c, by)| found(s, c, by)))
        .collect();
    all.sort_by(|a, b| {
        (a.component, &a.namespace, &a.service).cmp(&(b.component, &b.namespace, &b.service))
    });
    let ns = match namespace {
        Some(n) => Some(n.to_string()),
        None => {
            let mut counts: Vec<(String, usize, bool)> = Vec::new();
            for f in &all {
                match counts.iter_mut().find(|(n, _, _)| *n == f.namespace) {
                    Some(e) => {
                        e.1 += 1;
                        e.2 |= f.component == Component::Collector;
                    }
                    None => {
                        counts.push((f.namespace.clone(), 1, f.component == Component::Collector))
                    }
                }
            }
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
            counts.into_iter().next().map(|(n, _, _)| n)
        }
    };
    let mut picked = Vec::new();
    for c in Component::ALL {
        let mut of_c = all.iter().filter(|f| f.component == c);
        let first = of_c.clone().next();
        let here = of_c.find(|f| Some(&f.namespace) == ns.as_ref());
        // A named namespace holds the stack: a component elsewhere is someone else's.
        let pick = match namespace {
            Some(_) => here,
            None => here.or(first),
        };
        if let Some(f) = pick {
            picked.push(f.clone());
        }
    }
    Stack {
        namespace: ns,
        found: picked,
    }
}

/// The request metrics each metric profile reads (its histogram and its request counter), in
/// the order a guess prefers the profiles.
pub const PROFILE_METRICS: [(&str, &[&str]); 3] = [
    (
        "mcp",
        &["mcp_request_duration_seconds_bucket", "mcp_requests_total"],
    ),
    (
        "spanmetrics",
        &[
            "traces_span_metrics_duration_seconds_bucket",
            "traces_span_metrics_calls_total",
        ],
    ),
    ("semconv", &["http_server_request_duration_seconds_bucket"]),
];

/// `{__name__=~"a|b|c"}` grouped by name: one query says which profiles' metrics exist.
pub fn profile_query() -> String {
    let names: Vec<&str> = PROFILE_METRICS
        .iter()
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    format!(
        "group by (__name__) ({{__name__=~\"{}\"}})",
        names.join("|")
    )
}

/// The metric profile (`--profile`) whose request metrics Prometheus has, from the metric names
/// it answered [`profile_query`] with; the first in [`PROFILE_METRICS`] order when several are
/// there; `None` when none is.
pub fn guess_profile(names: &[String]) -> Option<&'static str> {
    PROFILE_METRICS
        .iter()
        .find(|(_, m)| names.iter().any(|n| m.contains(&n.as_str())))
        .map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn svc(ns: &str, name: &str, labels: &[(&str, &str)], ports: &[u16]) -> ServiceInfo {
        ServiceInfo {
            namespace: ns.into(),
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
            ports: ports.iter().map(|p| (None, *p)).collect(),
        }
    }

    /// What the charts install in `monitoring`, and an application in `shop`.
    fn helm_stack() -> Vec<ServiceInfo> {
        let n = |v: &'static str| (NAME_LABEL, v);
        vec![
            svc(
                "monitoring",
                "otel-collector",
                &[n("opentelemetry-collector")],
                &[4317, 4318, 8888],
            ),
            svc(
                "monitoring",
                "jaeger-collector",
                &[n("jaeger")],
                &[14250, 14268, 4317],
            ),
            svc(
                "monitoring",
                "jaeger-query",
                &[n("jaeger")],
                &[16686, 16685],
            ),
            svc(
                "monitoring",
                "prometheus-server",
                &[n("prometheus"), ("app.kubernetes.io/component", "server")],
                &[80],
            ),
            svc(
                "monitoring",
                "prometheus-pushgateway",
                &[
                    n("prometheus"),
                    ("app.kubernetes.io/component", "pushgateway"),
                ],
                &[9091],
            ),
            svc(
                "monitoring",
                "elasticsearch-master-headless",
                &[n("elasticsearch")],
                &[9200],
            ),
            svc(
                "monitoring",
                "elasticsearch-master",
                &[n("elasticsearch")],
                &[9200, 9300],
            ),
            svc("shop", "checkout", &[("app", "checkout")], &[8080]),
        ]
    }

    #[test]
    fn the_collectors_metrics_port_is_the_one_named_metrics_else_8888() {
        let mut c = svc("m", "otel-collector", &[], &[4317, 4318, 9464]);
        assert_eq!(
            locate(std::slice::from_ref(&c), None).found[0].metrics_port,
            None
        );
        c.ports[2].0 = Some("metrics".into());
        assert_eq!(
            locate(std::slice::from_ref(&c), None).found[0].metrics_port,
            Some(9464)
        );
        let c = svc("m", "otel-collector", &[], &[4318, 8888]);
        assert_eq!(locate(&[c], None).found[0].metrics_port, Some(8888));
    }

    #[test]
    fn the_charts_labels_find_each_components_api_and_the_namespace() {
        let stack = locate(&helm_stack(), None);
        assert_eq!(stack.namespace.as_deref(), Some("monitoring"));
        let addr = |c| stack.get(c).map(Found::address);
        assert_eq!(
            addr(Component::Collector).as_deref(),
            Some("monitoring/otel-collector:4318")
        );
        assert_eq!(
            addr(Component::JaegerQuery).as_deref(),
            Some("monitoring/jaeger-query:16686")
        );
        assert_eq!(
            addr(Component::Prometheus).as_deref(),
            Some("monitoring/prometheus-server:80")
        );
        assert_eq!(
            addr(Component::Elasticsearch).as_deref(),
            Some("monitoring/elasticsearch-master:9200")
        );
        assert_eq!(stack.get(Component::Grafana), None);
        assert_eq!(
            stack.get(Component::Collector).unwrap().ports,
            vec![4317, 4318, 8888]
        );
        // Its own metrics on the conventional port; nothing else has one.
        assert_eq!(
            stack.get(Component::Collector).unwrap().metrics_port,
            Some(8888)
        );
        assert_eq!(stack.get(Component::Prometheus).unwrap().metrics_port, None);
        let c = stack.get(Component::Collector).unwrap();
        assert_eq!(
            c.cluster_url(c.otlp_http_port().unwrap()),
            "http://otel-collector.monitoring.svc:4318"
        );
        assert!(
            stack
                .describe()
                .contains("(label app.kubernetes.io/name=jaeger)")
        );
    }

    #[test]
    fn well_known_names_find_an_unlabelled_stack_and_other_services_are_none() {
        let services = vec![
            svc("tracing", "jaeger", &[("app", "tracing")], &[16686]),
            svc("tracing", "otel-collector", &[], &[4318]),
            svc("tracing", "payments", &[("app", "tracing")], &[8080]),
        ];
        let stack = locate(&services, None);
        assert_eq!(stack.namespace.as_deref(), Some("tracing"));
        assert_eq!(stack.found.len(), 2, "{stack:?}");
        assert_eq!(
            stack.get(Component::JaegerQuery).unwrap().by,
            "well-known name"
        );
        assert_eq!(
            locate(&[svc("shop", "checkout", &[], &[80])], None),
            Stack::default()
        );
    }

    #[test]
    fn the_namespace_with_most_components_wins_and_a_named_one_overrides() {
        let mut services = helm_stack();
        services.push(svc("staging", "otel-collector", &[], &[4318]));
        services.push(svc("staging", "grafana", &[], &[3000]));
        let stack = locate(&services, None);
        assert_eq!(stack.namespace.as_deref(), Some("monitoring"));
        // Grafana is only in staging: still found, where it is.
        assert_eq!(stack.get(Component::Grafana).unwrap().namespace, "staging");
        let named = locate(&services, Some("staging"));
        assert_eq!(named.namespace.as_deref(), Some("staging"));
        assert_eq!(
            named.get(Component::Collector).unwrap().namespace,
            "staging"
        );
        assert_eq!(
            named.get(Component::JaegerQuery),
            None,
            "monitoring's is not staging's"
        );
        // A named namespace with nothing recognisable is still the namespace.
        assert_eq!(locate(&[], Some("obs")).namespace.as_deref(), Some("obs"));
    }

    #[test]
    fn a_tie_goes_to_the_collectors_namespace() {
        let services = vec![
            svc("a-obs", "grafana", &[], &[3000]),
            svc("b-obs", "otel-collector", &[], &[4318]),
        ];
        assert_eq!(locate(&services, None).namespace.as_deref(), Some("b-obs"));
    }

    #[test]
    fn the_profile_is_the_one_whose_histogram_prometheus_has() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            guess_profile(&names(&["traces_span_metrics_duration_seconds_bucket"])),
            Some("spanmetrics")
        );
        assert_eq!(
            guess_profile(&names(&[
                "http_server_request_duration_seconds_bucket",
                "mcp_request_duration_seconds_bucket"
            ])),
            Some("mcp")
        );
        assert_eq!(guess_profile(&names(&["up"])), None);
        assert_eq!(guess_profile(&names(&["mcp_requests_total"])), Some("mcp"));
        assert!(profile_query().contains("mcp_requests_total|traces_span_metrics_duration"));
    }

    #[test]
    fn the_selector_names_every_charts_value() {
        let s = name_selector();
        assert!(
            s.starts_with("app.kubernetes.io/name in (opentelemetry-collector,jaeger,"),
            "{s}"
        );
        assert!(
            s.contains("opensearch") && s.ends_with("alertmanager)"),
            "{s}"
        );
    }
}
