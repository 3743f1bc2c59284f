//! The live Prometheus client over the shared transport. See `mod.rs` for the endpoints.

use bytes::Bytes;
use jiff::Timestamp;

use super::wire::{self, Data, Envelope};
use super::{BuildInfo, QueryResult, Sample, Series, Value};
use crate::transport::{BackendError, Endpoint, ErrorKind, Method, Request, Response};

/// Queries longer than this go as a POST form: proxies commonly cap URLs around 4–8 KiB.
const MAX_GET_QUERY: usize = 1500;

/// Through the API server's service proxy a POST is `create` on `services/proxy`, which the
/// read-only role does not grant, so queries stay GETs up to this. The API server reads a request
/// line and headers of up to 1 MiB (`MaxHeaderBytes: 1 << 20` in the apiserver's secure serving;
/// over it Go's server answers 431 Request Header Fields Too Large, or resets the HTTP/2 stream),
/// and so does Prometheus' own Go server behind it; half of that leaves room for the
/// credentials' headers and the proxy prefix. Over it the query goes as a POST, which the API
/// server refuses without `create` (the service proxy then names the verb).
const MAX_PROXIED_GET_QUERY: usize = 512 * 1024;

#[derive(Clone)]
pub struct PrometheusClient {
    endpoint: Endpoint,
    /// Thanos' `partial_response` parameter, when configured; `None` leaves the server default.
    pub partial_response: Option<bool>,
}

fn unix(t: Timestamp) -> String {
    let s = t.as_second();
    let ms = t.subsec_millisecond();
    if ms == 0 {
        s.to_string()
    } else {
        format!("{s}.{ms:03}")
    }
}

impl PrometheusClient {
    pub fn new(endpoint: Endpoint) -> Self {
        PrometheusClient {
            endpoint,
            partial_response: None,
        }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn build(&self, path: &str, params: Vec<(String, String)>) -> Request {
        let mut params = params;
        if let Some(p) = self.partial_response {
            params.push(("partial_response".into(), p.to_string()));
        }
        let query_len: usize = params.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let max_get = if self.endpoint.through_service_proxy() {
            MAX_PROXIED_GET_QUERY
        } else {
            MAX_GET_QUERY
        };
        if query_len > max_get {
            let mut req = self.endpoint.request(Method::Post, path);
            // A query is a read: safe to retry even as a POST.
            req.idempotent = true;
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params.iter())
                .finish();
            req.headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            req.body = Some(Bytes::from(body));
            req
        } else {
            let mut req = self.endpoint.get(path);
            req.query = params;
            req
        }
    }

    /// An instant query evaluated at `at`.
    pub async fn query(&self, promql: &str, at: Timestamp) -> Result<QueryResult, BackendError> {
        let req = self.build(
            "/api/v1/query",
            vec![("query".into(), promql.into()), ("time".into(), unix(at))],
        );
        self.run(req).await
    }

    /// A range query over `[start, end]` with resolution `step`.
    pub async fn query_range(
        &self,
        promql: &str,
        start: Timestamp,
        end: Timestamp,
        step: std::time::Duration,
    ) -> Result<QueryResult, BackendError> {
        let req = self.build(
            "/api/v1/query_range",
            vec![
                ("query".into(), promql.into()),
                ("start".into(), unix(start)),
                ("end".into(), unix(end)),
                ("step".into(), format!("{}", step.as_secs_f64().max(1.0))),
            ],
        );
        self.run(req).await
    }

    /// `/-/ready`: 200 when the server can serve queries.
    pub async fn ready(&self) -> Result<(), BackendError> {
        let req = self.endpoint.get("/-/ready");
        let resp = self.endpoint.send(req.clone()).await?;
        crate::transport::check_status(&req, &resp)
    }

    pub async fn build_info(&self) -> Result<BuildInfo, BackendError> {
        let req = self.endpoint.get("/api/v1/status/buildinfo");
        let resp = self.endpoint.send(req.clone()).await?;
        let env: Envelope<wire::BuildInfo> = decode_envelope(&req, &resp)?;
        let data = env.data.ok_or_else(|| {
            req.error(ErrorKind::Decode {
                reason: "no data".into(),
            })
        })?;
        Ok(BuildInfo {
            version: data.version,
            revision: data.revision,
        })
    }

    async fn run(&self, req: Request) -> Result<QueryResult, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        let env: Envelope<Data> = decode_envelope(&req, &resp)?;
        let data = env.data.ok_or_else(|| {
            req.error(ErrorKind::Decode {
                reason: "status success without data".into(),
            })
        })?;
        let mut warnings = env.warnings;
        warnings.extend(env.infos.into_iter().map(|i| format!("info: {i}")));
        Ok(QueryResult {
            value: convert(data),
            warnings,
        })
    }
}

/// Prometheus answers errors with a JSON envelope on 400/422/503 (and, rarely, 200); anything
/// else that is not 2xx (a proxy's 502, an auth gateway's 401) is mapped by status.
fn decode_envelope<T: serde::de::DeserializeOwned>(
    req: &Request,
    resp: &Response,
) -> Result<Envelope<T>, BackendError> {
    let parsed: Result<Envelope<T>, _> = serde_json::from_slice(&resp.body);
    match parsed {
        Ok(env) if env.status == "success" && resp.is_success() => Ok(env),
        Ok(env) => Err(req.error(ErrorKind::Api {
            error_type: env
                .error_type
                .unwrap_or_else(|| format!("HTTP {}", resp.status)),
            message: env.error.unwrap_or_else(|| "no error message".into()),
        })),
        Err(e) => {
            crate::transport::check_status(req, resp)?;
            let reason = if resp.short_text().starts_with("an HTML page") {
                "got an HTML page, not the Prometheus API".to_string()
            } else {
                format!("not a Prometheus API response: {e}")
            };
            Err(req.error(ErrorKind::Decode { reason }))
        }
    }
}

fn convert(data: Data) -> Value {
    match data {
        Data::Vector(v) => Value::Vector(
            v.into_iter()
                .filter_map(|s| {
                    let p = s.value?;
                    Some(Sample {
                        labels: s.metric,
                        at: p.0,
                        value: wire::parse_value(&p.1)?,
                    })
                })
                .collect(),
        ),
        Data::Matrix(m) => Value::Matrix(
            m.into_iter()
                .map(|s| Series {
                    labels: s.metric,
                    points: s
                        .values
                        .into_iter()
                        .filter_map(|p| Some((p.0, wire::parse_value(&p.1)?)))
                        .collect(),
                })
                .collect(),
        ),
        Data::Scalar(p) => Value::Scalar {
            at: p.0,
            value: wire::parse_value(&p.1).unwrap_or(f64::NAN),
        },
        Data::String((at, value)) => Value::String { at, value },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Backend;
    use crate::transport::{BoxFuture, Transport};
    use std::sync::{Arc, Mutex};

    struct Fake {
        status: u16,
        body: &'static str,
        seen: Mutex<Vec<Request>>,
    }

    impl Transport for Fake {
        fn send(&self, req: Request) -> BoxFuture<'_, Result<Response, BackendError>> {
            self.seen.lock().unwrap().push(req);
            Box::pin(async move {
                Ok(Response {
                    status: self.status,
                    headers: vec![],
                    body: Bytes::from_static(self.body.as_bytes()),
                })
            })
        }
    }

    fn client(status: u16, body: &'static str) -> (PrometheusClient, Arc<Fake>) {
        let fake = Arc::new(Fake {
            status,
            body,
            seen: Mutex::new(vec![]),
        });
        let ep = Endpoint {
            backend: Backend::Prometheus,
            base: url::Url::parse("http://prom:9090").unwrap(),
            transport: fake.clone(),
            headers: vec![("X-Scope-OrgID".into(), "team-a".into())],
        };
        (PrometheusClient::new(ep), fake)
    }

    fn at() -> Timestamp {
        "2026-11-25T10:00:00Z".parse().unwrap()
    }

    #[tokio::test]
    async fn vector_with_warnings_and_special_values() {
        let (c, fake) = client(
            200,
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"service_name":"a"},"value":[1795600800,"2.5"]},{"metric":{"service_name":"b"},"value":[1795600800,"NaN"]}]},"warnings":["partial response: store down"]}"#,
        );
        let r = c.query("up", at()).await.unwrap();
        let s = r.samples();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].value, 2.5);
        assert!(s[1].value.is_nan());
        assert_eq!(r.warnings, vec!["partial response: store down"]);
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].path, "/api/v1/query");
        assert_eq!(
            seen[0].query,
            vec![
                ("query".into(), "up".into()),
                ("time".into(), "1795600800".into())
            ]
        );
        assert_eq!(seen[0].headers[0].0, "X-Scope-OrgID");
    }

    #[tokio::test]
    async fn long_queries_are_posted_as_a_form() {
        let (c, fake) = client(
            200,
            r#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#,
        );
        let long = format!("sum({})", "up + ".repeat(400) + "up");
        c.query(&long, at()).await.unwrap();
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].method, Method::Post);
        assert!(seen[0].idempotent);
        assert!(seen[0].query.is_empty());
        assert!(
            String::from_utf8_lossy(seen[0].body.as_ref().unwrap()).starts_with("query=sum%28up")
        );
    }

    #[tokio::test]
    async fn api_errors_keep_their_type() {
        let (c, _) = client(
            400,
            r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:4: parse error: unexpected end of input"}"#,
        );
        let e = c.query("up{", at()).await.unwrap_err();
        assert!(matches!(&e.kind, ErrorKind::Api { error_type, .. } if error_type == "bad_data"));
        assert!(e.to_string().contains("parse error"));
    }

    #[tokio::test]
    async fn proxy_pages_and_wrong_shapes_are_decode_errors() {
        let (c, _) = client(200, "<html><body>Sign in</body></html>");
        let e = c.query("up", at()).await.unwrap_err();
        assert!(matches!(&e.kind, ErrorKind::Decode { reason } if reason.contains("HTML")));
        let (c, _) = client(502, "Bad Gateway");
        let e = c.query("up", at()).await.unwrap_err();
        assert!(matches!(&e.kind, ErrorKind::Status { code: 502, .. }));
        let (c, _) = client(
            200,
            r#"{"status":"error","errorType":"timeout","error":"query timed out"}"#,
        );
        assert!(matches!(
            c.query("up", at()).await.unwrap_err().kind,
            ErrorKind::Api { .. }
        ));
    }
}
