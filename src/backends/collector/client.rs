//! The live Collector client over the shared transport: scrape the metrics endpoint, and send an
//! empty OTLP/HTTP export to prove the receiver accepts data.
//!
//! `GET <metrics_url>`: the URL is the whole metrics URL (`http://otel-collector:8888/metrics`),
//! so the request path is empty and [`Request::url`] yields the base as it is; only a URL with no
//! path at all gets the conventional `/metrics`. `POST <otlp_url>/v1/traces` with
//! `{"resourceSpans":[]}` as `application/json`
//! (<https://opentelemetry.io/docs/specs/otlp/#otlphttp-request>): any 2xx is success, and a
//! `partialSuccess` body is read. Not here: what the numbers mean. Tests: below.

use bytes::Bytes;
use serde::Deserialize;

use super::text_format;
use super::{CollectorSnapshot, OtlpAck, Scrape};
use crate::error::Backend;
use crate::transport::{BackendError, Endpoint, ErrorKind, Method, Request};

/// Enough for any Collector (a busy one exposes a few thousand series), small enough that a
/// wrong URL pointing at a huge exposition cannot exhaust memory.
pub const DEFAULT_MAX_SAMPLES: usize = 100_000;

/// Asks for the classic text format; OpenMetrics is tolerated if a server sends it anyway.
const ACCEPT: &str = "text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5,*/*;q=0.1";

#[derive(Clone)]
pub struct CollectorClient {
    metrics: Option<Endpoint>,
    otlp: Option<Endpoint>,
    pub max_samples: usize,
}

/// `ExportTraceServiceResponse` in OTLP/JSON: int64 as a string (proto3 JSON) or a number.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ExportResponse {
    #[serde(default)]
    partial_success: Option<PartialSuccess>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PartialSuccess {
    #[serde(default)]
    rejected_spans: Option<serde_json::Value>,
    #[serde(default)]
    error_message: Option<String>,
}

fn not_configured(flag: &str) -> BackendError {
    BackendError {
        backend: Backend::Collector,
        endpoint: format!("(none: {flag} is not set)"),
        kind: ErrorKind::NotConfigured,
    }
}

impl CollectorClient {
    /// Either endpoint may be missing; the call that needs it then fails as not configured.
    pub fn new(metrics: Option<Endpoint>, otlp: Option<Endpoint>) -> Self {
        CollectorClient {
            metrics,
            otlp,
            max_samples: DEFAULT_MAX_SAMPLES,
        }
    }

    fn metrics_request(ep: &Endpoint) -> Request {
        let path = if ep.base.path().trim_matches('/').is_empty() {
            "/metrics"
        } else {
            ""
        };
        let mut req = ep.get(path).header("Accept", ACCEPT);
        // `Request::url` rebuilds the query from `req.query`: keep the base URL's own.
        req.query = ep
            .base
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        req
    }

    /// Scrape the metrics endpoint once.
    pub async fn scrape(&self) -> Result<Scrape, BackendError> {
        let ep = self
            .metrics
            .as_ref()
            .ok_or_else(|| not_configured("--collector-metrics-url"))?;
        let req = Self::metrics_request(ep);
        let resp = ep.send(req.clone()).await?;
        crate::transport::check_status(&req, &resp)?;
        if resp
            .header("Content-Type")
            .is_some_and(|t| t.contains("protobuf"))
        {
            return Err(req.error(ErrorKind::Decode {
                reason: "got the protobuf exposition format, not text".into(),
            }));
        }
        let text = String::from_utf8_lossy(&resp.body);
        let exposition = text_format::parse(&text, self.max_samples);
        if exposition.samples.is_empty() && exposition.skipped > 0 {
            let reason = if resp.short_text().starts_with("an HTML page") {
                "got an HTML page, not Prometheus metrics".to_string()
            } else {
                let first = exposition.errors.first().map(|e| e.to_string());
                format!(
                    "not the Prometheus text format ({})",
                    first.unwrap_or_default()
                )
            };
            return Err(req.error(ErrorKind::Decode { reason }));
        }
        if exposition.skipped > 0 {
            tracing::warn!(
                skipped = exposition.skipped,
                first = ?exposition.errors.first().map(|e| e.to_string()),
                "collector metrics: malformed lines skipped"
            );
        }
        Ok(Scrape {
            snapshot: CollectorSnapshot::from_samples(&exposition.samples),
            samples: exposition.samples.len(),
            skipped_lines: exposition.skipped,
            first_error: exposition.errors.first().cloned(),
            truncated: exposition.truncated,
        })
    }

    /// `POST <otlp_url>/v1/traces` with an empty export; anything but 2xx is an error.
    pub async fn otlp_export_empty(&self) -> Result<OtlpAck, BackendError> {
        let ep = self
            .otlp
            .as_ref()
            .ok_or_else(|| not_configured("--collector-otlp-url"))?;
        let mut req = ep.request(Method::Post, "/v1/traces");
        // An empty export changes nothing on the Collector: safe to retry.
        req.idempotent = true;
        req.headers
            .push(("Content-Type".into(), "application/json".into()));
        req.body = Some(Bytes::from_static(br#"{"resourceSpans":[]}"#));
        let resp = ep.send(req.clone()).await?;
        crate::transport::check_status(&req, &resp)?;
        // An empty body, `{}` or a non-JSON body from a proxy that answered 2xx: full success.
        let body: ExportResponse = serde_json::from_slice(&resp.body).unwrap_or_default();
        let partial = body.partial_success.unwrap_or_default();
        let rejected_spans = match partial.rejected_spans {
            Some(serde_json::Value::String(s)) => s.parse().unwrap_or(0),
            Some(serde_json::Value::Number(n)) => n.as_u64().unwrap_or(0),
            _ => 0,
        };
        Ok(OtlpAck {
            status: resp.status,
            rejected_spans,
            error_message: partial.error_message.filter(|m| !m.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::collector::Counter;
    use crate::transport::{BoxFuture, Response, Transport};
    use std::sync::{Arc, Mutex};

    struct Fake {
        status: u16,
        content_type: &'static str,
        body: &'static str,
        seen: Mutex<Vec<Request>>,
    }

    impl Transport for Fake {
        fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
            self.seen.lock().unwrap().push(req);
            Box::pin(async move {
                Ok(Response {
                    status: self.status,
                    headers: vec![("Content-Type".into(), self.content_type.into())],
                    body: Bytes::from_static(self.body.as_bytes()),
                })
            })
        }
    }

    fn fake(status: u16, content_type: &'static str, body: &'static str) -> Arc<Fake> {
        Arc::new(Fake {
            status,
            content_type,
            body,
            seen: Mutex::new(vec![]),
        })
    }

    fn endpoint(url: &str, fake: &Arc<Fake>) -> Endpoint {
        Endpoint {
            backend: Backend::Collector,
            base: url::Url::parse(url).unwrap(),
            transport: fake.clone(),
            headers: vec![],
        }
    }

    const METRICS: &str = "# TYPE otelcol_exporter_sent_spans counter\n\
otelcol_exporter_sent_spans{exporter=\"otlp\"} 10\n\
otelcol_exporter_sent_spans{exporter=\"otlp\",broken} 10\n";

    #[tokio::test]
    async fn scrape_gets_the_metrics_url_as_is() {
        let f = fake(200, "text/plain; version=0.0.4", METRICS);
        let c = CollectorClient::new(
            Some(endpoint("http://otel-collector:8888/metrics?x=1", &f)),
            None,
        );
        let s = c.scrape().await.unwrap();
        assert_eq!(
            s.snapshot.counters[&(Counter::ExporterSent, "otlp".into())],
            10.0
        );
        assert_eq!((s.samples, s.skipped_lines), (1, 1));
        assert_eq!(s.first_error.unwrap().line, 3);
        let seen = f.seen.lock().unwrap();
        assert_eq!(seen[0].method, Method::Get);
        assert_eq!(
            seen[0].url().as_str(),
            "http://otel-collector:8888/metrics?x=1"
        );
        assert!(seen[0].headers.iter().any(|(k, _)| k == "Accept"));
    }

    #[tokio::test]
    async fn a_bare_host_means_slash_metrics() {
        let f = fake(200, "text/plain", METRICS);
        let c = CollectorClient::new(Some(endpoint("http://otel-collector:8888", &f)), None);
        c.scrape().await.unwrap();
        assert_eq!(
            f.seen.lock().unwrap()[0].url().as_str(),
            "http://otel-collector:8888/metrics"
        );
    }

    #[tokio::test]
    async fn wrong_endpoints_are_typed_errors() {
        let f = fake(200, "text/html", "<html><body>login</body></html>");
        let c = CollectorClient::new(Some(endpoint("http://c:8888/metrics", &f)), None);
        let e = c.scrape().await.unwrap_err();
        assert_eq!(e.backend, Backend::Collector);
        assert!(matches!(&e.kind, ErrorKind::Decode { reason } if reason.contains("HTML")));

        let f = fake(404, "text/plain", "404 page not found\n");
        let c = CollectorClient::new(Some(endpoint("http://c:8888/metrix", &f)), None);
        let e = c.scrape().await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Status { code: 404, .. }));

        let e = CollectorClient::new(None, None).scrape().await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::NotConfigured));
        let e = CollectorClient::new(None, None)
            .otlp_export_empty()
            .await
            .unwrap_err();
        assert!(e.endpoint.contains("--collector-otlp-url"));
    }

    #[tokio::test]
    async fn empty_export_posts_json_and_reads_partial_success() {
        let f = fake(
            200,
            "application/json",
            r#"{"partialSuccess":{"rejectedSpans":"3","errorMessage":"quota"}}"#,
        );
        let c = CollectorClient::new(None, Some(endpoint("http://otel-collector:4318", &f)));
        let ack = c.otlp_export_empty().await.unwrap();
        assert_eq!(ack.rejected_spans, 3);
        assert_eq!(ack.error_message.as_deref(), Some("quota"));
        {
            let seen = f.seen.lock().unwrap();
            assert_eq!(seen[0].method, Method::Post);
            assert!(seen[0].idempotent);
            assert_eq!(
                seen[0].url().as_str(),
                "http://otel-collector:4318/v1/traces"
            );
            assert_eq!(
                seen[0].body.as_deref(),
                Some(&br#"{"resourceSpans":[]}"#[..])
            );
            assert!(
                seen[0]
                    .headers
                    .contains(&("Content-Type".into(), "application/json".into()))
            );
        }

        let f = fake(200, "application/json", "{}");
        let c = CollectorClient::new(None, Some(endpoint("http://c:4318", &f)));
        let ack = c.otlp_export_empty().await.unwrap();
        assert_eq!((ack.rejected_spans, ack.error_message), (0, None));
    }

    #[tokio::test]
    async fn refused_export_is_an_error() {
        let f = fake(
            503,
            "application/json",
            r#"{"code":14,"message":"data refused due to high memory usage"}"#,
        );
        let c = CollectorClient::new(None, Some(endpoint("http://c:4318", &f)));
        let e = c.otlp_export_empty().await.unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Status { code: 503, message } if message.contains("memory"))
        );
    }
}
