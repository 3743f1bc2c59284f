//! One backend's URL, credentials, TLS files and timeout, from its flag or environment variable
//! and the context's block; the values it reads that are secrets go to `Settings::secrets`.

use std::path::Path;
use std::time::Duration;

use super::{BackendBlock, expand_home, parse_dur, secrets};
use crate::env_vars;
use crate::error::{Backend, UsageError};
use crate::transport::live::{Auth, ClientOptions, Secret};

fn read_secret_file(backend: Backend, key: &str, path: &Path) -> Result<Secret, UsageError> {
    let text = std::fs::read_to_string(expand_home(path)).map_err(|e| {
        UsageError::with_hint(
            format!("{backend}.{key}: cannot read {}: {e}", path.display()),
            "check the path and its permissions",
        )
    })?;
    Ok(Secret::new(text.trim_end_matches(['\n', '\r'])))
}

fn read_file(backend: Backend, key: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    std::fs::read(expand_home(path)).map_err(|e| {
        UsageError::with_hint(
            format!("{backend}.{key}: cannot read {}: {e}", path.display()),
            "check the path and its permissions",
        )
    })
}

/// A backend's URL, client options and extra headers.
type ResolvedBackend = (url::Url, ClientOptions, Vec<(String, String)>);

/// Resolve one backend's URL and client options from flag/env and the context block.
pub(super) fn backend_options(
    backend: Backend,
    flag_url: Option<&str>,
    block: Option<&BackendBlock>,
    timeout: Duration,
    secrets: &mut Vec<String>,
) -> Result<Option<ResolvedBackend>, UsageError> {
    let empty = BackendBlock::default();
    let block = block.unwrap_or(&empty);
    let block_url = match backend {
        Backend::Collector => block.metrics_url.as_ref().or(block.url.as_ref()),
        _ => block.url.as_ref(),
    };
    let Some(raw) = flag_url.map(str::to_string).or_else(|| block_url.cloned()) else {
        return Ok(None);
    };
    let url = url::Url::parse(&raw).map_err(|e| {
        UsageError::with_hint(
            format!(
                "{backend}: invalid URL {:?}: {e}",
                crate::error::redact_url(&raw)
            ),
            format!(
                "pass a full URL such as http://{}:PORT to {}",
                backend.name(),
                backend.flag()
            ),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UsageError::new(format!(
            "{backend}: URL scheme must be http or https"
        )));
    }
    let env_token = std::env::var(env_vars::credential(backend.name(), "TOKEN")).ok();
    let env_user = std::env::var(env_vars::credential(backend.name(), "USERNAME")).ok();
    let env_pass = std::env::var(env_vars::credential(backend.name(), "PASSWORD")).ok();
    let token = match (env_token, &block.token, &block.token_file) {
        (Some(t), _, _) => Some(Secret::new(t)),
        (None, Some(t), _) => Some(Secret::new(t.clone())),
        (None, None, Some(f)) => Some(read_secret_file(backend, "token_file", f)?),
        _ => None,
    };
    let username = env_user.or_else(|| block.username.clone());
    let password = match (env_pass, &block.password, &block.password_file) {
        (Some(p), _, _) => Some(Secret::new(p)),
        (None, Some(p), _) => Some(Secret::new(p.clone())),
        (None, None, Some(f)) => Some(read_secret_file(backend, "password_file", f)?),
        _ => None,
    };
    let auth = match (token, username, password) {
        (Some(t), _, _) => Auth::Bearer(t),
        (None, Some(u), Some(p)) => Auth::Basic {
            username: u,
            password: p,
        },
        (None, Some(u), None) => {
            return Err(UsageError::with_hint(
                format!("{backend}: username {u:?} has no password"),
                format!(
                    "set {} or password_file in the context",
                    env_vars::credential(backend.name(), "PASSWORD")
                ),
            ));
        }
        _ => Auth::None,
    };
    match &auth {
        Auth::Bearer(t) => secrets.push(t.expose().to_string()),
        Auth::Basic { username, password } => {
            secrets.push(password.expose().to_string());
            // What a server echoing the Authorization header would show.
            secrets.push(secrets::basic_credential(username, password.expose()));
        }
        Auth::None => {}
    }
    if let Some(p) = url.password() {
        secrets.push(p.to_string());
        secrets.push(secrets::basic_credential(url.username(), p));
    }
    let identity_pem = match (&block.cert_file, &block.key_file) {
        (Some(c), Some(k)) => {
            let mut pem = read_file(backend, "cert_file", c)?;
            pem.push(b'\n');
            pem.extend(read_file(backend, "key_file", k)?);
            Some(pem)
        }
        (None, None) => None,
        _ => {
            return Err(UsageError::new(format!(
                "{backend}: cert_file and key_file go together (mTLS needs both)"
            )));
        }
    };
    let opts = ClientOptions {
        auth,
        ca_pem: block
            .ca_file
            .as_ref()
            .map(|f| read_file(backend, "ca_file", f))
            .transpose()?,
        identity_pem,
        insecure_skip_verify: block.insecure_skip_verify,
        timeout: match &block.timeout {
            Some(t) => parse_dur(&format!("{backend}.timeout"), t)?,
            None => timeout,
        },
        max_body_bytes: block
            .max_body_bytes
            .unwrap_or(ClientOptions::default().max_body_bytes),
        retries: 2,
    };
    let headers = block
        .tenant
        .iter()
        .map(|t| ("X-Scope-OrgID".to_string(), t.clone()))
        .collect();
    Ok(Some((url, opts, headers)))
}
