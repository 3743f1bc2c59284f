//! [`AlertmanagerClient`]: the calls listed in `mod.rs`, over [`crate::transport`].
//!
//! Reads are idempotent (retried on a timeout); creating a silence is not (a retry would create a
//! second one), deleting one is (deleting twice ends the same silence). A silence ID goes into
//! the path only after it is checked to be a UUID, which is what Alertmanager issues. Error
//! bodies become [`ErrorKind::Api`] (see `mod.rs`); a body that is not the API's is a status
//! error when the status is not 2xx, else a decode error. Tests: below, with bodies shaped like
//! 0.25.0's and karma's 0.27.0 captures.

use bytes::Bytes;
use jiff::Timestamp;
use serde::de::DeserializeOwned;

use super::wire;
use super::{
    Alert, AlertQuery, AlertState, ClusterStatus, NewSilence, Silence, SilenceState, Status,
};
use crate::transport::{BackendError, Endpoint, ErrorKind, Method, Request, Response};

#[derive(Clone)]
pub struct AlertmanagerClient {
    endpoint: Endpoint,
}

impl AlertmanagerClient {
    pub fn new(endpoint: Endpoint) -> Self {
        AlertmanagerClient { endpoint }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// `GET /api/v2/status`.
    pub async fn status(&self) -> Result<Status, BackendError> {
        let s: wire::Status = self.call(self.endpoint.get("/api/v2/status")).await?;
        Ok(Status {
            cluster_status: ClusterStatus::parse(&s.cluster.status),
            cluster_name: s.cluster.name.filter(|n| !n.is_empty()),
            peers: s.cluster.peers.map_or(0, |p| p.len()),
            version: s.version_info.and_then(|v| v.version),
            uptime: s.uptime.as_deref().and_then(time),
        })
    }

    /// `GET /api/v2/alerts`, sorted by alert name, then start, then fingerprint.
    pub async fn alerts(&self, q: &AlertQuery) -> Result<Vec<Alert>, BackendError> {
        let mut req = self
            .endpoint
            .get("/api/v2/alerts")
            .query("active", q.active.to_string())
            .query("silenced", q.silenced.to_string())
            .query("inhibited", q.inhibited.to_string());
        for f in &q.filter {
            req = req.query("filter", f.clone());
        }
        let raw: Vec<wire::Alert> = self.call(req).await?;
        let mut alerts: Vec<Alert> = raw.into_iter().map(convert).collect();
        alerts.sort_by(|a, b| {
            (a.name(), a.starts_at, &a.fingerprint).cmp(&(b.name(), b.starts_at, &b.fingerprint))
        });
        Ok(alerts)
    }

    /// `POST /api/v2/silences`; the new silence's ID.
    pub async fn create_silence(&self, s: &NewSilence) -> Result<String, BackendError> {
        let body = wire::PostableSilence {
            matchers: &s.matchers,
            starts_at: s.starts_at.to_string(),
            ends_at: s.ends_at.to_string(),
            created_by: &s.created_by,
            comment: &s.comment,
        };
        let mut req = self
            .endpoint
            .request(Method::Post, "/api/v2/silences")
            .header("Content-Type", "application/json");
        req.body = Some(Bytes::from(serde_json::to_vec(&body).map_err(|e| {
            req.error(ErrorKind::Decode {
                reason: format!("cannot encode the silence: {e}"),
            })
        })?));
        let created: wire::SilenceCreated = self.call(req).await?;
        Ok(created.silence_id)
    }

    /// `GET /api/v2/silence/{id}`: the silence and its state (`active`, `pending`, `expired`);
    /// `None` when Alertmanager has no silence with that ID (a 404 without a body; a 404 with
    /// one, a proxy's or a wrong path prefix's, stays an error). A deleted or ended silence is
    /// still returned, `expired`, until Alertmanager's retention (`--data.retention`, 120h by
    /// default) drops it.
    pub async fn get_silence(&self, id: &str) -> Result<Option<Silence>, BackendError> {
        let req = self.endpoint.get(format!("/api/v2/silence/{id}"));
        if !is_uuid(id) {
            return Err(invalid_id(req, id));
        }
        let resp = self.endpoint.send(req.clone()).await?;
        if resp.status == 404 && resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        api_error(&req, &resp)?;
        let s: wire::GettableSilence = decode(&req, &resp)?;
        Ok(Some(Silence {
            state: match s.status.state.as_str() {
                "active" => SilenceState::Active,
                "pending" => SilenceState::Pending,
                "expired" => SilenceState::Expired,
                other => SilenceState::Unknown(other.to_string()),
            },
            starts_at: s.starts_at.as_deref().and_then(time),
            ends_at: s.ends_at.as_deref().and_then(time),
            updated_at: s.updated_at.as_deref().and_then(time),
            id: s.id,
            matchers: s.matchers,
            created_by: s.created_by,
            comment: s.comment,
        }))
    }

    /// `DELETE /api/v2/silence/{id}`.
    pub async fn delete_silence(&self, id: &str) -> Result<(), BackendError> {
        let mut req = self
            .endpoint
            .request(Method::Delete, format!("/api/v2/silence/{id}"));
        if !is_uuid(id) {
            return Err(invalid_id(req, id));
        }
        req.idempotent = true;
        let resp = self.endpoint.send(req.clone()).await?;
        api_error(&req, &resp)
    }

    async fn call<T: DeserializeOwned>(&self, req: Request) -> Result<T, BackendError> {
        let resp = self.endpoint.send(req.clone()).await?;
        api_error(&req, &resp)?;
        decode(&req, &resp)
    }
}

fn decode<T: DeserializeOwned>(req: &Request, resp: &Response) -> Result<T, BackendError> {
    serde_json::from_slice(&resp.body).map_err(|e| {
        let reason = if resp.short_text().starts_with("an HTML page") {
            "got an HTML page, not the Alertmanager API".to_string()
        } else {
            format!("not an Alertmanager API v2 response: {e}")
        };
        req.error(ErrorKind::Decode { reason })
    })
}

/// Refused before sending; the ID is kept out of the error's URL.
fn invalid_id(mut req: Request, id: &str) -> BackendError {
    req.path = "/api/v2/silence/".into();
    req.error(ErrorKind::Api {
        error_type: "invalid silence ID".into(),
        message: format!("{id:?} is not a UUID"),
    })
}

/// A non-2xx answer as a typed error, keeping Alertmanager's own message.
fn api_error(req: &Request, resp: &Response) -> Result<(), BackendError> {
    if resp.is_success() || matches!(resp.status, 401 | 403) {
        return crate::transport::check_status(req, resp);
    }
    if let Ok(e) = serde_json::from_slice::<wire::ApiError>(&resp.body) {
        return Err(req.error(ErrorKind::Api {
            error_type: format!("HTTP {} (code {})", resp.status, e.code),
            message: e.message,
        }));
    }
    if let Ok(message) = serde_json::from_slice::<String>(&resp.body) {
        return Err(req.error(ErrorKind::Api {
            error_type: format!("HTTP {}", resp.status),
            message,
        }));
    }
    crate::transport::check_status(req, resp)
}

fn time(s: &str) -> Option<Timestamp> {
    // Alertmanager sends the zero time for an unset `endsAt` on some paths.
    s.parse().ok().filter(|t: &Timestamp| t.as_second() > 0)
}

fn convert(a: wire::Alert) -> Alert {
    Alert {
        fingerprint: a.fingerprint,
        labels: a.labels,
        annotations: a.annotations,
        starts_at: a.starts_at.as_deref().and_then(time),
        ends_at: a.ends_at.as_deref().and_then(time),
        state: match a.status.state.as_str() {
            "active" => AlertState::Active,
            "suppressed" => AlertState::Suppressed,
            "unprocessed" => AlertState::Unprocessed,
            other => AlertState::Unknown(other.to_string()),
        },
        generator_url: a.generator_url.filter(|u| !u.is_empty()),
        silenced_by: a.status.silenced_by,
        inhibited_by: a.status.inhibited_by,
    }
}

/// 8-4-4-4-12 hex digits.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::alertmanager::Matcher;
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
                    headers: vec![("Content-Type".into(), "application/json".into())],
                    body: Bytes::from_static(self.body.as_bytes()),
                })
            })
        }
    }

    fn client(status: u16, body: &'static str) -> (AlertmanagerClient, Arc<Fake>) {
        let fake = Arc::new(Fake {
            status,
            body,
            seen: Mutex::new(Vec::new()),
        });
        let ep = Endpoint {
            backend: Backend::Alertmanager,
            base: url::Url::parse("http://alertmanager.monitoring:9093").unwrap(),
            transport: fake.clone(),
            headers: Vec::new(),
        };
        (AlertmanagerClient::new(ep), fake)
    }

    /// Captured from the Debian package's Alertmanager 0.25.0 (config trimmed).
    const STATUS_0_25: &str = r#"{"cluster":{"peers":[],"status":"disabled"},"config":{"original":"route:\n  receiver: blackhole\n"},"uptime":"2026-11-25T12:29:08.391Z","versionInfo":{"branch":"debian/sid","buildDate":"20230409-09:50:43","buildUser":"team+pkg-go@tracker.debian.org","goVersion":"go1.19.8","revision":"0.25.0-1+b4","version":"0.25.0"}}"#;

    /// Captured from 0.25.0 after posting one alert.
    const ALERTS_0_25: &str = r#"[{"annotations":{"summary":"checkout p95 above 1s"},"endsAt":"2026-11-25T12:34:10.420Z","fingerprint":"c6cc295a46e1dd6b","receivers":[{"name":"blackhole"}],"startsAt":"2026-11-25T09:50:00.000Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"updatedAt":"2026-11-25T12:29:10.420Z","generatorURL":"http://prometheus:9090/graph","labels":{"alertname":"HighLatency","service_name":"checkout","severity":"critical"}},{"annotations":{},"endsAt":"2026-11-25T12:34:10.420Z","fingerprint":"0a","receivers":[],"startsAt":"2026-11-25T09:40:00.000Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active","mutedBy":[]},"labels":{"alertname":"CollectorDown"}}]"#;

    #[tokio::test]
    async fn status_reads_cluster_and_version() {
        let (c, fake) = client(200, STATUS_0_25);
        let s = c.status().await.unwrap();
        assert_eq!(s.cluster_status, ClusterStatus::Disabled);
        assert_eq!(s.peers, 0);
        assert_eq!(s.version.as_deref(), Some("0.25.0"));
        assert!(s.uptime.is_some());
        assert_eq!(fake.seen.lock().unwrap()[0].path, "/api/v2/status");

        // karma's 0.27.0 capture: a ready cluster of one peer.
        let (c, _) = client(
            200,
            r#"{"cluster":{"name":"01HQT3QKPPET68V7AG3NSVXA95","peers":[{"address":"172.17.0.2:9094","name":"01HQT3QKPPET68V7AG3NSVXA95"}],"status":"ready"},"uptime":"2024-02-29T09:39:36.791Z","versionInfo":{"version":"0.27.0"}}"#,
        );
        let s = c.status().await.unwrap();
        assert_eq!(s.cluster_status, ClusterStatus::Ready);
        assert_eq!(s.peers, 1);
        assert_eq!(
            s.cluster_name.as_deref(),
            Some("01HQT3QKPPET68V7AG3NSVXA95")
        );
    }

    #[tokio::test]
    async fn alerts_ask_for_firing_ones_and_sort() {
        let (c, fake) = client(200, ALERTS_0_25);
        let mut q = AlertQuery::firing();
        q.filter.push("service_name=\"checkout\"".into());
        let alerts = c.alerts(&q).await.unwrap();
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[0].name(), "CollectorDown");
        let a = &alerts[1];
        assert_eq!(a.name(), "HighLatency");
        assert_eq!(a.state, AlertState::Active);
        assert_eq!(a.summary(), Some("checkout p95 above 1s"));
        assert_eq!(a.labels["service_name"], "checkout");
        assert_eq!(
            a.starts_at.unwrap().to_string(),
            "2026-11-25T09:50:00Z",
            "startsAt parsed"
        );
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].path, "/api/v2/alerts");
        assert_eq!(
            seen[0].query,
            vec![
                ("active".to_string(), "true".to_string()),
                ("silenced".into(), "false".into()),
                ("inhibited".into(), "false".into()),
                ("filter".into(), "service_name=\"checkout\"".into()),
            ]
        );
    }

    #[tokio::test]
    async fn silences_are_created_and_deleted() {
        let (c, fake) = client(
            200,
            r#"{"silenceID":"6247888d-ec78-4c59-9fb9-4188384ad1e2"}"#,
        );
        let at: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        let id = c
            .create_silence(&NewSilence {
                matchers: vec![Matcher {
                    name: "service_name".into(),
                    value: "checkout".into(),
                    is_regex: false,
                    is_equal: true,
                }],
                starts_at: at,
                ends_at: at + jiff::SignedDuration::from_hours(2),
                created_by: "tracectl".into(),
                comment: "maintenance".into(),
            })
            .await
            .unwrap();
        assert_eq!(id, "6247888d-ec78-4c59-9fb9-4188384ad1e2");
        {
            let seen = fake.seen.lock().unwrap();
            assert_eq!(seen[0].method, Method::Post);
            assert!(
                !seen[0].idempotent,
                "a retried POST would create two silences"
            );
            let body: serde_json::Value =
                serde_json::from_slice(seen[0].body.as_ref().unwrap()).unwrap();
            assert_eq!(body["matchers"][0]["isRegex"], false);
            assert_eq!(body["createdBy"], "tracectl");
            assert_eq!(body["endsAt"], "2026-11-25T14:00:00Z");
        }

        let (c, fake) = client(200, "");
        c.delete_silence(&id).await.unwrap();
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].method, Method::Delete);
        assert_eq!(seen[0].path, format!("/api/v2/silence/{id}"));
    }

    #[tokio::test]
    async fn errors_keep_alertmanagers_message() {
        // Both captured from 0.25.0.
        let (c, _) = client(
            422,
            r#"{"code":602,"message":"comment in body is required"}"#,
        );
        let at: Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
        let e = c
            .create_silence(&NewSilence {
                matchers: vec![],
                starts_at: at,
                ends_at: at,
                created_by: "tracectl".into(),
                comment: String::new(),
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Api { message, .. } if message == "comment in body is required"),
            "{e}"
        );
        let (c, _) = client(500, r#""silence not found""#);
        let e = c
            .delete_silence("6247888d-ec78-4c59-9fb9-000000000000")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("silence not found"), "{e}");

        let (c, fake) = client(200, "");
        let e = c.delete_silence("../alerts").await.unwrap_err();
        assert!(e.to_string().contains("not a UUID"), "{e}");
        assert!(fake.seen.lock().unwrap().is_empty(), "nothing sent");

        let (c, _) = client(200, "<html>login</html>");
        let e = c.status().await.unwrap_err();
        assert!(matches!(&e.kind, ErrorKind::Decode { reason } if reason.contains("HTML")));
        let (c, _) = client(502, "Bad Gateway");
        let e = c.alerts(&AlertQuery::firing()).await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Status { code: 502, .. }));
        let (c, _) = client(200, r#"{"data":[]}"#);
        assert!(matches!(
            c.status().await.unwrap_err().kind,
            ErrorKind::Decode { .. }
        ));
    }

    /// One element of karma's 0.27.0 capture of `GET /api/v2/silences`, which is what
    /// `GET /api/v2/silence/{id}` answers for one ID.
    const SILENCE_0_27: &str = r#"{
        "id": "7d3da915-920f-4e42-b6ba-78f0136c7122",
        "status": { "state": "active" },
        "updatedAt": "2024-02-29T09:39:52.571Z",
        "comment": "Silenced Host_Down alerts in the dev cluster",
        "createdBy": "john@example.com",
        "endsAt": "2063-01-01T00:00:00.000Z",
        "matchers": [
            { "isEqual": true, "isRegex": false, "name": "alertname", "value": "Host_Down" },
            { "isEqual": false, "isRegex": true, "name": "cluster", "value": "dev|staging" }
        ],
        "startsAt": "2024-02-29T09:39:52.571Z"
    }"#;

    #[tokio::test]
    async fn get_a_silence_and_its_state() {
        let (c, fake) = client(200, SILENCE_0_27);
        let id = "7d3da915-920f-4e42-b6ba-78f0136c7122";
        let s = c.get_silence(id).await.unwrap().unwrap();
        let at = |t: &str| Some(t.parse::<Timestamp>().unwrap());
        assert_eq!(
            s,
            Silence {
                id: id.into(),
                state: SilenceState::Active,
                matchers: vec![
                    Matcher {
                        name: "alertname".into(),
                        value: "Host_Down".into(),
                        is_regex: false,
                        is_equal: true,
                    },
                    Matcher {
                        name: "cluster".into(),
                        value: "dev|staging".into(),
                        is_regex: true,
                        is_equal: false,
                    },
                ],
                starts_at: at("2024-02-29T09:39:52.571Z"),
                ends_at: at("2063-01-01T00:00:00Z"),
                updated_at: at("2024-02-29T09:39:52.571Z"),
                created_by: "john@example.com".into(),
                comment: "Silenced Host_Down alerts in the dev cluster".into(),
            }
        );
        {
            let seen = fake.seen.lock().unwrap();
            assert_eq!(seen[0].method, Method::Get);
            assert_eq!(seen[0].path, format!("/api/v2/silence/{id}"));
            assert!(seen[0].idempotent);
        }

        // Expired (ended or deleted), pending, and a matcher from before `isEqual` existed.
        let (c, _) = client(
            200,
            r#"{"id":"6247888d-ec78-4c59-9fb9-4188384ad1e2","status":{"state":"expired"},"updatedAt":"2026-11-25T14:00:00.000Z","comment":"maintenance","createdBy":"tracectl","endsAt":"2026-11-25T14:00:00.000Z","matchers":[{"isRegex":false,"name":"service_name","value":"checkout"}],"startsAt":"2026-11-25T12:00:00.000Z"}"#,
        );
        let s = c
            .get_silence("6247888d-ec78-4c59-9fb9-4188384ad1e2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.state, SilenceState::Expired);
        assert!(s.matchers[0].is_equal);
        let (c, _) = client(
            200,
            r#"{"id":"6247888d-ec78-4c59-9fb9-4188384ad1e2","status":{"state":"pending"},"matchers":[]}"#,
        );
        let s = c
            .get_silence("6247888d-ec78-4c59-9fb9-4188384ad1e2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.state, SilenceState::Pending);
    }

    #[tokio::test]
    async fn a_missing_silence_is_none_a_wrong_url_is_not() {
        let id = "6247888d-ec78-4c59-9fb9-000000000000";
        // What Alertmanager sends for an unknown ID: 404, no body.
        let (c, _) = client(404, "");
        assert_eq!(c.get_silence(id).await.unwrap(), None);
        let (c, _) = client(404, "404 page not found\n");
        assert!(matches!(
            c.get_silence(id).await.unwrap_err().kind,
            ErrorKind::Status { code: 404, .. }
        ));
        let (c, _) = client(200, r#"{"silenceID":"x"}"#);
        assert!(matches!(
            c.get_silence(id).await.unwrap_err().kind,
            ErrorKind::Decode { .. }
        ));
        let (c, fake) = client(200, SILENCE_0_27);
        let e = c.get_silence("../silences").await.unwrap_err();
        assert!(e.to_string().contains("not a UUID"), "{e}");
        assert!(!e.endpoint.contains(".."), "{}", e.endpoint);
        assert!(fake.seen.lock().unwrap().is_empty(), "nothing sent");
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("6247888d-ec78-4c59-9fb9-4188384ad1e2"));
        assert!(!is_uuid("6247888d-ec78-4c59-9fb9-4188384ad1e"));
        assert!(!is_uuid("6247888d/ec78-4c59-9fb9-4188384ad1e2"));
        assert!(!is_uuid(""));
    }
}
