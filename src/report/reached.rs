//! Which way each backend was reached (issue #17), on the evidence it gave: `via` is `url` for a
//! backend read at the URL it was given, `service proxy /api/v1/namespaces/NS/services/NAME:PORT/proxy`
//! for one reached through the Kubernetes API server. Told from the backend's base URL alone, so
//! a replay (whose bundle keeps the proxied URL) says the same as the run it recorded. Pure.

use std::collections::BTreeMap;

use super::Report;

/// `how` ([`route_of`]'s answer) in words, for the human renderers: `at its URL`, or `through the
/// API server's service proxy /api/v1/...`.
pub fn in_words(how: &str) -> String {
    match how.strip_prefix("service proxy ") {
        Some(path) => format!("through the API server's service proxy {path}"),
        None if how == "url" => "at its URL".to_string(),
        None => how.to_string(),
    }
}

/// Whether `how` ([`route_of`]'s answer) is the service proxy.
pub fn is_proxy(how: &str) -> bool {
    how.starts_with("service proxy ")
}

/// How a backend at `base` is reached: through the API server's service proxy when its path is
/// one (`/api/v1/namespaces/NS/services/NAME[:PORT]/proxy`), else directly.
pub fn route_of(base: &url::Url) -> String {
    let segs: Vec<&str> = base
        .path()
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    // Anywhere in the path: an API server behind a path prefix (Rancher's /k8s/clusters/ID).
    let proxied = segs.windows(7).find(|w| {
        w[0] == "api"
            && w[1] == "v1"
            && w[2] == "namespaces"
            && w[4] == "services"
            && w[6] == "proxy"
    });
    match proxied {
        Some(w) => format!(
            "service proxy /api/v1/namespaces/{}/services/{}/proxy",
            w[3], w[5]
        ),
        None => "url".into(),
    }
}

/// Mark each piece of evidence whose `source` is a backend in `reached` (backend name → how)
/// with how it was reached; evidence of other sources (`policy`, `kubernetes`, ...) is left as is.
/// The report keeps the whole map too, for the human renderers ([`Report::reached`]).
pub fn mark(report: &mut Report, reached: &BTreeMap<String, String>) {
    report.reached = reached.clone();
    for f in &mut report.findings {
        for e in &mut f.evidence {
            if e.via.is_none()
                && let Some(how) = reached.get(&e.source)
            {
                e.via = Some(how.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Evidence, Finding, Severity, Subject, Target};

    fn u(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn a_service_proxy_path_is_told_from_a_direct_url() {
        assert_eq!(
            route_of(&u(
                "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy/"
            )),
            "service proxy /api/v1/namespaces/monitoring/services/prometheus-server:80/proxy"
        );
        assert_eq!(
            route_of(&u(
                "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/obs/services/jaeger-query:16686/proxy/"
            )),
            "service proxy /api/v1/namespaces/obs/services/jaeger-query:16686/proxy"
        );
        for direct in [
            "http://prometheus:9090/",
            "http://prom.example/api/v1/",
            // A proxy path's look-alike without the `proxy` segment is a URL like any other.
            "https://k/api/v1/namespaces/m/services/p:80/",
        ] {
            assert_eq!(route_of(&u(direct)), "url", "{direct}");
        }
    }

    #[test]
    fn only_backend_evidence_is_marked_and_an_existing_mark_kept() {
        let ev = |source: &str| Evidence {
            source: source.into(),
            ..Default::default()
        };
        let mut r = Report::new(
            "investigate data-loss",
            Target {
                service: None,
                operation: None,
            },
            "t".into(),
            "1h".into(),
        );
        let mut set = ev("jaeger");
        set.via = Some("url".into());
        r.findings.push(
            Finding::new("k", Severity::Warning, 0.5, Subject::service("s"), "t")
                .evidence(ev("prometheus"))
                .evidence(ev("policy"))
                .evidence(set),
        );
        let reached = BTreeMap::from([
            (
                "prometheus".to_string(),
                "service proxy /api/v1/namespaces/m/services/p:80/proxy".to_string(),
            ),
            (
                "jaeger".to_string(),
                "service proxy /api/v1/namespaces/m/services/j:16686/proxy".to_string(),
            ),
        ]);
        mark(&mut r, &reached);
        let via: Vec<Option<&str>> = r.findings[0]
            .evidence
            .iter()
            .map(|e| e.via.as_deref())
            .collect();
        assert_eq!(
            via,
            [
                Some("service proxy /api/v1/namespaces/m/services/p:80/proxy"),
                None,
                Some("url")
            ]
        );
    }
}
