//! Typed errors for everything that talks to a backend, and the one format the user sees.
//!
//! A [`BackendError`] names the system, the endpoint (credentials and query strings removed) and a
//! [`ErrorKind`]; its `hint()` is the one action that fixes it. `anyhow` is used only at the
//! command edge. Tests: the unit tests below, and the fault suite in `tests/it/`.

use std::fmt;

/// Which backend an exchange belongs to; also the key used in bundles and config.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Prometheus,
    Jaeger,
    Elasticsearch,
    Grafana,
    Alertmanager,
    Collector,
    Kubernetes,
    /// Grafana Tempo, the other trace store (last, so bundles' and reports' orders stay).
    Tempo,
}

impl Backend {
    pub const ALL: [Backend; 8] = [
        Backend::Prometheus,
        Backend::Jaeger,
        Backend::Elasticsearch,
        Backend::Grafana,
        Backend::Alertmanager,
        Backend::Collector,
        Backend::Kubernetes,
        Backend::Tempo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Prometheus => "prometheus",
            Backend::Jaeger => "jaeger",
            Backend::Elasticsearch => "elasticsearch",
            Backend::Grafana => "grafana",
            Backend::Alertmanager => "alertmanager",
            Backend::Collector => "collector",
            Backend::Kubernetes => "kubernetes",
            Backend::Tempo => "tempo",
        }
    }

    /// The flag that points tracectl at this backend, for hints.
    pub fn flag(self) -> &'static str {
        match self {
            Backend::Prometheus => "--prometheus-url",
            Backend::Jaeger => "--jaeger-url",
            Backend::Elasticsearch => "--elasticsearch-url",
            Backend::Grafana => "--grafana-url",
            Backend::Alertmanager => "--alertmanager-url",
            Backend::Collector => "--collector-metrics-url",
            Backend::Kubernetes => "--kubeconfig",
            Backend::Tempo => "--tempo-url",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ErrorKind {
    /// Connection refused, DNS failure, TLS handshake failure.
    Unreachable {
        reason: String,
    },
    Timeout,
    /// A non-success status, with the server's own short message when it sent one.
    Status {
        code: u16,
        message: String,
    },
    /// The API answered "error" in its own envelope (Prometheus `errorType`, ES `error.type`, ...).
    Api {
        error_type: String,
        message: String,
    },
    /// 401/403: the credentials are missing or lack a permission.
    Forbidden {
        code: u16,
        message: String,
    },
    /// The body did not parse as the API's documented shape.
    Decode {
        reason: String,
    },
    /// The body was larger than the configured cap.
    TooLarge {
        limit: u64,
    },
    /// `--replay`: the bundle has no answer for this request.
    NotRecorded {
        request: String,
    },
    /// The backend is not configured at all.
    NotConfigured,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{backend} at {endpoint}: {}", describe(kind))]
pub struct BackendError {
    pub backend: Backend,
    /// Scheme, host, port and path only: never userinfo or query.
    pub endpoint: String,
    pub kind: ErrorKind,
}

fn describe(kind: &ErrorKind) -> String {
    match kind {
        // kube's stack passes rustls' words on as they are: say it was TLS.
        ErrorKind::Unreachable { reason: why }
            if !why.starts_with("TLS") && is_rustls_message(why) =>
        {
            format!("unreachable (TLS handshake failed: {why})")
        }
        ErrorKind::Unreachable { reason: why } => format!("unreachable ({why})"),
        ErrorKind::Timeout => "timed out".into(),
        ErrorKind::Status { code, message } if message.is_empty() => format!("HTTP {code}"),
        ErrorKind::Status { code, message } => format!("HTTP {code}: {message}"),
        ErrorKind::Api {
            error_type,
            message,
        } => format!("{error_type}: {message}"),
        ErrorKind::Forbidden { code, message } => {
            format!("HTTP {code} (not authorized): {message}")
        }
        ErrorKind::Decode { reason: why } => format!("unexpected response ({why})"),
        ErrorKind::TooLarge { limit } => format!("response larger than {limit} bytes"),
        ErrorKind::NotRecorded { request: what } => {
            format!("the replayed bundle has no answer for {what}")
        }
        ErrorKind::NotConfigured => "not configured".into(),
    }
}

impl BackendError {
    pub fn new(backend: Backend, endpoint: &str, kind: ErrorKind) -> Self {
        BackendError {
            backend,
            endpoint: redact_url(endpoint),
            kind: redact_kind(kind),
        }
    }

    pub fn not_configured(backend: Backend) -> Self {
        BackendError {
            backend,
            endpoint: "(none)".into(),
            kind: ErrorKind::NotConfigured,
        }
    }

    /// The one action that most likely fixes this.
    pub fn hint(&self) -> String {
        let b = self.backend;
        if b == Backend::Kubernetes {
            match &self.kind {
                ErrorKind::Forbidden { .. } => {
                    return "the kubeconfig's user lacks an RBAC permission: `kubectl auth can-i get deployments -n NS` tells which"
                        .into();
                }
                ErrorKind::Status { code: 404, .. } => {
                    return "the object is not in that namespace: check -n / the context's namespace".into();
                }
                _ => {}
            }
        }
        if let ErrorKind::Forbidden { message, .. } = &self.kind
            && message.contains("services/proxy")
        {
            return format!(
                "pass {} (a URL is reached directly), or grant `create` on services/proxy knowingly: it lets the user POST to every Service it may proxy",
                b.flag()
            );
        }
        if b == Backend::Tempo
            && let ErrorKind::Forbidden { message, .. } = &self.kind
            && message.contains("no org id")
        {
            return "Tempo runs multi-tenant: set the tenant (`tenant:` in the context's tempo block, sent as X-Scope-OrgID)".into();
        }
        match &self.kind {
            ErrorKind::Unreachable { reason } if is_tls_reason(reason) => {
                if b == Backend::Kubernetes {
                    "check the kubeconfig cluster's server URL (https) and certificate-authority"
                        .into()
                } else {
                    format!(
                        "check the {b} URL's scheme (http or https) and the context's {b}.ca_file (cert_file/key_file for mTLS)"
                    )
                }
            }
            ErrorKind::Unreachable { .. } => format!(
                "check that {b} is running and reachable from here, and the URL ({} or the context's {b}.url)",
                b.flag()
            ),
            ErrorKind::Timeout => {
                format!("{b} is slow or overloaded; raise --timeout or narrow --lookback")
            }
            ErrorKind::Status { code, .. } if *code == 404 => {
                format!("check the {b} URL and its path prefix ({})", b.flag())
            }
            ErrorKind::Status { code, .. } if *code == 429 => {
                format!("{b} is rate-limiting; retry later")
            }
            ErrorKind::Status { .. } => format!("{b} is failing; check its logs and health"),
            ErrorKind::Api { .. } => format!("{b} rejected the request; run with -v to see it"),
            ErrorKind::Forbidden { .. } => format!(
                "set credentials for {b}: TRACECTL_{}_TOKEN, or token_file / username+password_file in the config context",
                b.name().to_ascii_uppercase()
            ),
            ErrorKind::Decode { .. } => format!(
                "is {} really {b}? a proxy or login page may be answering",
                self.endpoint
            ),
            ErrorKind::TooLarge { .. } => {
                "narrow the query (--lookback, --service) or raise max_body_bytes".into()
            }
            ErrorKind::NotRecorded { .. } => {
                "record the bundle again with the same command and flags (--record DIR)".into()
            }
            ErrorKind::NotConfigured => {
                format!("pass {} or set it in the config context", b.flag())
            }
        }
    }

    /// A short reason for a step's `error` field: one line, no hint.
    pub fn one_line(&self) -> String {
        self.to_string().replace('\n', " ")
    }

    pub fn is_unavailable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Unreachable { .. } | ErrorKind::Timeout | ErrorKind::NotConfigured
        )
    }
}

/// Whether an unreachable reason is a TLS failure: the live transport says "TLS handshake
/// failed"; kube's stack passes on what rustls said.
fn is_tls_reason(reason: &str) -> bool {
    reason.starts_with("TLS") || is_rustls_message(reason)
}

/// rustls' own wording for a failed handshake (`rustls::Error`'s `Display`).
fn is_rustls_message(reason: &str) -> bool {
    [
        "received corrupt message",
        "invalid peer certificate",
        "received fatal alert",
        "peer is incompatible",
        "peer sent no certificates",
        "peer misbehaved",
    ]
    .iter()
    .any(|w| reason.contains(w))
}

/// A server's message may echo the credentials it was sent (a debugging proxy, a misconfigured
/// gateway): the value after `Bearer` or `Basic` becomes `***` in every message a
/// [`BackendError`] carries, whichever credential it was.
fn redact_kind(kind: ErrorKind) -> ErrorKind {
    match kind {
        ErrorKind::Unreachable { reason } => ErrorKind::Unreachable {
            reason: redact_credentials(&reason),
        },
        ErrorKind::Status { code, message } => ErrorKind::Status {
            code,
            message: redact_credentials(&message),
        },
        ErrorKind::Api {
            error_type,
            message,
        } => ErrorKind::Api {
            error_type,
            message: redact_credentials(&message),
        },
        ErrorKind::Forbidden { code, message } => ErrorKind::Forbidden {
            code,
            message: redact_credentials(&message),
        },
        ErrorKind::Decode { reason } => ErrorKind::Decode {
            reason: redact_credentials(&reason),
        },
        other => other,
    }
}

/// Replace the credential after each `Bearer ` / `Basic ` (any case) with `***`: a run of token
/// characters at least 8 long, so that prose ("basic auth") is left alone.
pub fn redact_credentials(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &lower[i..];
        let scheme = ["bearer ", "basic "]
            .into_iter()
            .find(|s| rest.starts_with(s));
        match scheme {
            Some(s) if i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric() => {
                out.push_str(&text[i..i + s.len()]);
                i += s.len();
                let cred = text[i..]
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || b"-._~+/=".contains(b))
                    .count();
                if cred >= 8 {
                    out.push_str("***");
                    i += cred;
                }
            }
            _ => {
                let c = text[i..].chars().next().expect("i is on a char boundary");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Strip userinfo, query and fragment from a URL for display.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => raw.split(['?', '#']).next().unwrap_or("").to_string(),
    }
}

/// A configuration or usage problem: exit code 2, nothing changed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
    pub hint: Option<String>,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> Self {
        UsageError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        UsageError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

/// Print an error chain as `error:` / `Caused by:` / `hint:` on stderr.
pub fn print_error(err: &anyhow::Error) {
    let mut out = format!("error: {err}\n");
    let mut chain = err.chain().skip(1).peekable();
    if chain.peek().is_some() {
        out.push_str("Caused by:\n");
        for cause in chain {
            out.push_str(&format!("  {cause}\n"));
        }
    }
    let hint = err.chain().find_map(|c| {
        c.downcast_ref::<UsageError>()
            .and_then(|u| u.hint.clone())
            .or_else(|| c.downcast_ref::<BackendError>().map(|b| b.hint()))
    });
    if let Some(h) = hint {
        out.push_str(&format!("hint: {h}\n"));
    }
    eprint!("{out}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_drops_userinfo_and_query() {
        assert_eq!(
            redact_url("https://user:s3cret@prom.example:9090/api/v1/query?token=abc"),
            "https://prom.example:9090/api/v1/query"
        );
        assert_eq!(redact_url("not a url?x=1"), "not a url");
    }

    #[test]
    fn echoed_credentials_are_redacted() {
        assert_eq!(
            redact_credentials("denied: Authorization: Bearer abc.def-123 (bad)"),
            "denied: Authorization: Bearer *** (bad)"
        );
        assert_eq!(
            redact_credentials("basic dXNlcjpwYXNz== and BASIC x"),
            "basic *** and BASIC x"
        );
        assert_eq!(
            redact_credentials("a basic fact, café"),
            "a basic fact, café"
        );
        assert_eq!(redact_credentials("nonbasic thing"), "nonbasic thing");
        let e = BackendError::new(
            Backend::Prometheus,
            "http://p",
            ErrorKind::Forbidden {
                code: 403,
                message: "you sent Bearer s3cr3t-t0k3n".into(),
            },
        );
        assert!(!e.to_string().contains("s3cr3t-t0k3n"), "{e}");
    }

    #[test]
    fn display_names_backend_and_endpoint() {
        let e = BackendError::new(
            Backend::Jaeger,
            "http://jaeger:16686/api/traces?service=x",
            ErrorKind::Status {
                code: 503,
                message: "busy".into(),
            },
        );
        assert_eq!(
            e.to_string(),
            "jaeger at http://jaeger:16686/api/traces: HTTP 503: busy"
        );
        assert!(e.hint().contains("jaeger"));
    }
}
