//! Step 8, and `tracectl deploy verify`: the runbook's post-deployment checks.
//!
//! - `pods-ready`: every pod of the namespace (but finished Jobs') Running with every container
//!   ready (`kubectl get pods -n monitoring`).
//! - `services`: the expected Services exist (`kubectl get svc -n monitoring`).
//! - `otlp-export`: the Collector accepts an empty OTLP/HTTP export, `POST /v1/traces` with
//!   `{"resourceSpans":[]}` (`curl -X POST http://otel-collector:4318/v1/traces`).
//! - `jaeger-ui`: the Jaeger UI answers `GET /` with a 2xx (`curl -I http://jaeger-query:16686`).
//!
//! The last two go to `--collector-otlp-url` / `--jaeger-url` when given, else through the API
//! server's Service proxy (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/...`), which needs no
//! port-forward. They run concurrently; each gives ok, failed (with why) or skipped. `deploy
//! verify` turns them into a report: one step per check and a `component_down` finding per
//! failure, exit 1 with `--fail-on critical` (its default). The OTLP export to a URL is the
//! Collector client's `otlp_export_empty`, the call `tracectl check`'s `collector-otlp` makes;
//! check's probes themselves are bound to its runbook and context, and its Jaeger probe asks the
//! query API, not the UI the runbook checks. Tests: `tests/it/deploy.rs`.

use std::time::Instant;

use bytes::Bytes;
use serde::Serialize;

use crate::backends::collector::CollectorClient;
use crate::backends::kubernetes::{ContainerState, Kube};
use crate::error::{Backend, BackendError, ErrorKind};
use crate::mutation::ActionResult;
use crate::mutation::exec::Exec;
use crate::mutation::runner::ActionError;
use crate::report::{Finding, Report, Severity, Step, StepStatus, Subject, Target};
use crate::runbook::kinds::remedy;
use crate::transport::{Endpoint, Method};

/// Where a check sends its request.
#[derive(Clone)]
pub enum Via {
    Url(Endpoint),
    Proxy { service: String, port: u16 },
}

impl Via {
    fn describe(&self, namespace: &str) -> String {
        match self {
            Via::Url(e) => crate::error::redact_url(e.base.as_str()),
            Via::Proxy { service, port } => format!("{service}.{namespace}:{port}"),
        }
    }
}

#[derive(Clone)]
pub struct VerifyTarget {
    pub namespace: String,
    pub services: Vec<String>,
    pub otlp: Via,
    pub jaeger: Via,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub name: &'static str,
    pub title: String,
    pub status: StepStatus,
    pub detail: String,
    /// What to check, when a backend failed the check (the report's step error ends with it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub duration_ms: u64,
    /// What a human would run instead.
    pub command: String,
}

impl CheckResult {
    pub fn failed(&self) -> bool {
        self.status == StepStatus::Failed
    }
}

const EMPTY_EXPORT: &str = r#"{"resourceSpans":[]}"#;

/// Run the four checks; `kube` is `None` when Kubernetes is not configured (those checks and the
/// proxied ones are skipped).
pub async fn run(kube: Option<&Kube>, t: &VerifyTarget) -> Vec<CheckResult> {
    let ns = t.namespace.as_str();
    let (a, b, c, d) = futures::join!(
        timed(
            "pods-ready",
            format!("Pods in {ns} are ready"),
            format!("kubectl get pods -n {ns}"),
            pods_ready(kube, ns)
        ),
        timed(
            "services",
            format!("Services {} exist", t.services.join(", ")),
            format!("kubectl get svc -n {ns}"),
            services(kube, ns, &t.services)
        ),
        timed(
            "otlp-export",
            format!(
                "The Collector at {} accepts an empty OTLP export",
                t.otlp.describe(ns)
            ),
            format!(
                "curl -X POST -H 'Content-Type: application/json' {}/v1/traces -d '{EMPTY_EXPORT}'",
                url_for(&t.otlp, ns)
            ),
            otlp_export(kube, ns, &t.otlp)
        ),
        timed(
            "jaeger-ui",
            format!("The Jaeger UI at {} answers", t.jaeger.describe(ns)),
            format!("curl -I {}", url_for(&t.jaeger, ns)),
            request(kube, ns, &t.jaeger, Method::Get, "/", None)
        ),
    );
    vec![a, b, c, d]
}

fn url_for(v: &Via, ns: &str) -> String {
    match v {
        Via::Url(e) => crate::error::redact_url(e.base.as_str())
            .trim_end_matches('/')
            .to_string(),
        Via::Proxy { service, port } => format!("http://{service}.{ns}:{port}"),
    }
}

enum Outcome {
    Ok(String),
    Failed(String),
    /// A backend did not answer as it should: what went wrong, and what to check.
    Broken(String, String),
    Skipped(String),
}

/// A backend's error as a failed check; `flag` names the URL flag the hint points at (the
/// Collector's OTLP receiver is `--collector-otlp-url`, not its usual metrics flag).
fn broken(e: &BackendError, flag: Option<&str>) -> Outcome {
    let hint = match flag {
        Some(f) => e.hint().replace(e.backend.flag(), f),
        None => e.hint(),
    };
    Outcome::Broken(e.one_line(), hint)
}

async fn timed(
    name: &'static str,
    title: String,
    command: String,
    fut: impl std::future::Future<Output = Outcome>,
) -> CheckResult {
    let start = Instant::now();
    let outcome = fut.await;
    let (status, detail, hint) = match outcome {
        Outcome::Ok(d) => (StepStatus::Ok, d, None),
        Outcome::Failed(d) => (StepStatus::Failed, d, None),
        Outcome::Broken(d, h) => (StepStatus::Failed, d, Some(h)),
        Outcome::Skipped(d) => (StepStatus::Skipped, d, None),
    };
    CheckResult {
        name,
        title,
        status,
        detail,
        hint,
        duration_ms: start.elapsed().as_millis() as u64,
        command,
    }
}

const NO_KUBE: &str = "kubernetes not configured (--kubeconfig)";

async fn pods_ready(kube: Option<&Kube>, ns: &str) -> Outcome {
    let Some(kube) = kube else {
        return Outcome::Skipped(NO_KUBE.into());
    };
    let pods = match kube.pods(ns, "").await {
        Ok(p) => p,
        Err(e) => return broken(&e, None),
    };
    let live: Vec<_> = pods
        .iter()
        .filter(|p| p.phase.as_deref() != Some("Succeeded"))
        .collect();
    if live.is_empty() {
        return Outcome::Failed(format!("no pods in {ns}"));
    }
    let not_ready: Vec<String> = live
        .iter()
        .filter(|p| {
            p.phase.as_deref() != Some("Running")
                || p.containers.is_empty()
                || p.containers.iter().any(|c| !c.ready)
        })
        .map(|p| {
            let why = p
                .containers
                .iter()
                .find_map(|c| match &c.state {
                    ContainerState::Waiting {
                        reason: Some(r), ..
                    } => Some(r.clone()),
                    ContainerState::Terminated(t) => t.reason.clone(),
                    _ if !c.ready => Some("not ready".into()),
                    _ => None,
                })
                .or_else(|| p.phase.clone())
                .unwrap_or_else(|| "unknown".into());
            format!("{} ({why})", p.name)
        })
        .collect();
    if not_ready.is_empty() {
        Outcome::Ok(format!("{} pods ready", live.len()))
    } else {
        Outcome::Failed(format!(
            "{} of {} pods not ready: {}",
            not_ready.len(),
            live.len(),
            not_ready.join(", ")
        ))
    }
}

async fn services(kube: Option<&Kube>, ns: &str, names: &[String]) -> Outcome {
    let Some(kube) = kube else {
        return Outcome::Skipped(NO_KUBE.into());
    };
    let mut missing = Vec::new();
    for n in names {
        match kube.service_exists(ns, n).await {
            Ok(true) => {}
            Ok(false) => missing.push(n.clone()),
            Err(e) => return broken(&e, None),
        }
    }
    if missing.is_empty() {
        Outcome::Ok(format!("{} present", names.join(", ")))
    } else {
        Outcome::Failed(format!("missing: {}", missing.join(", ")))
    }
}

/// With a URL, the Collector client's own empty export (the call `check`'s `collector-otlp`
/// makes); through the proxy, the same request by hand.
async fn otlp_export(kube: Option<&Kube>, ns: &str, via: &Via) -> Outcome {
    let Via::Url(e) = via else {
        return request(
            kube,
            ns,
            via,
            Method::Post,
            "/v1/traces",
            Some(EMPTY_EXPORT),
        )
        .await;
    };
    match CollectorClient::new(None, Some(e.clone()))
        .otlp_export_empty()
        .await
    {
        Ok(ack) if ack.rejected_spans == 0 && ack.error_message.is_none() => {
            Outcome::Ok(format!("HTTP {}", ack.status))
        }
        Ok(ack) => Outcome::Failed(format!(
            "HTTP {}, partial success: {} spans rejected{}",
            ack.status,
            ack.rejected_spans,
            ack.error_message
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        )),
        Err(e) => broken(&e, Some("--collector-otlp-url")),
    }
}

async fn request(
    kube: Option<&Kube>,
    ns: &str,
    via: &Via,
    method: Method,
    path: &str,
    json_body: Option<&str>,
) -> Outcome {
    let (status, body) = match via {
        Via::Url(e) => {
            let mut req = e.request(method, path);
            if let Some(b) = json_body {
                req = req.header("Content-Type", "application/json");
                req.body = Some(Bytes::from(b.to_string()));
            }
            let flag = (e.backend == Backend::Collector).then_some("--collector-otlp-url");
            match e.send(req).await {
                Ok(r) if !(200..300).contains(&r.status) => {
                    // Named like any backend error: which backend, where, and what to check.
                    let url = e
                        .base
                        .join(path.trim_start_matches('/'))
                        .unwrap_or(e.base.clone());
                    let kind = ErrorKind::Status {
                        code: r.status,
                        message: r.short_text(),
                    };
                    return broken(&BackendError::new(e.backend, url.as_str(), kind), flag);
                }
                Ok(r) => (r.status, r.short_text()),
                Err(err) => return broken(&err, flag),
            }
        }
        Via::Proxy { service, port } => {
            let Some(kube) = kube else {
                return Outcome::Skipped(format!(
                    "{NO_KUBE}; or give the URL ({})",
                    if service.contains("jaeger") {
                        "--jaeger-url"
                    } else {
                        "--collector-otlp-url"
                    }
                ));
            };
            let m = match method {
                Method::Post => http::Method::POST,
                _ => http::Method::GET,
            };
            let body = json_body.map(|b| ("application/json", Bytes::from(b.to_string())));
            match kube.service_proxy(ns, service, *port, m, path, body).await {
                Ok((status, bytes)) => (
                    status,
                    crate::transport::Response {
                        status,
                        headers: vec![],
                        body: bytes,
                    }
                    .short_text(),
                ),
                Err(e) => return broken(&e, None),
            }
        }
    };
    if (200..300).contains(&status) {
        Outcome::Ok(format!("HTTP {status}"))
    } else if body.is_empty() {
        Outcome::Failed(format!("HTTP {status}"))
    } else {
        Outcome::Failed(format!("HTTP {status}: {body}"))
    }
}

/// Step 8 as an action of a plan: the checks, failing the action when one fails; skipped when the
/// run has no target (a rollback, a maintenance run).
pub async fn apply(x: &Exec<'_>) -> Result<ActionResult, ActionError> {
    let Some(target) = x.verify else {
        return Ok(ActionResult::detail("skipped"));
    };
    let results = run(x.kube, target).await;
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.failed())
        .map(|r| format!("{}: {}", r.name, r.detail))
        .collect();
    if failed.is_empty() {
        Ok(ActionResult::detail(format!(
            "{} checks passed",
            results.len()
        )))
    } else {
        Err(ActionError::with_hint(
            format!("verification failed: {}", failed.join("; ")),
            "`tracectl deploy verify` runs the checks again; `tracectl investigate data-loss` digs deeper",
        ))
    }
}

/// `deploy verify`'s report: a step per check, a `component_down` finding per failed one.
pub fn report(results: &[CheckResult], namespace: &str, at: String) -> Report {
    let mut r = Report::new(
        "deploy verify",
        Target {
            service: None,
            operation: None,
        },
        at,
        "0s".into(),
    );
    r.steps = results
        .iter()
        .map(|c| Step {
            id: c.name.into(),
            title: c.title.clone(),
            status: c.status,
            duration_ms: c.duration_ms,
            error: (c.status != StepStatus::Ok).then(|| match &c.hint {
                Some(h) => format!("{}; hint: {h}", c.detail),
                None => c.detail.clone(),
            }),
            queries: vec![c.command.clone()],
        })
        .collect();
    let findings = results
        .iter()
        .filter(|c| c.failed())
        .map(|c| {
            let resource = match c.name {
                "pods-ready" => format!("pods in {namespace}"),
                "services" => format!("services in {namespace}"),
                "otlp-export" => "collector OTLP receiver".into(),
                _ => "jaeger query".into(),
            };
            Finding::new(
                "component_down",
                Severity::Critical,
                0.9,
                Subject::default().with_resource(&resource),
                format!("{}: {}", c.title, c.detail),
            )
            .detail(format!(
                "The post-deployment check `{}` failed: {}.",
                c.name, c.detail
            ))
            .remediation(remedy(
                "component_down",
                "verify-by-hand",
                &[("command", &c.command)],
            ))
            .remediation(remedy("component_down", "deploy-rollback", &[]))
        })
        .collect();
    r.finish(findings);
    r
}
