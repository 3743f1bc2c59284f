//! [`connect`]: the `kube::Client` for a mode (live, recording or replaying), and `kube_error`:
//! every kube-rs error as a [`BackendError`] for `kubernetes`.
//!
//! Live and record load the kubeconfig as `kubectl` does (`--kubeconfig`, else `$KUBECONFIG` or
//! `~/.kube/config`, else the in-cluster service account) and use kube's normal stack; record puts
//! the seam (`seam.rs`) on top of it; replay reads no kubeconfig. Errors: a `Status` of 401/403 →
//! [`ErrorKind::Forbidden`] with the API server's message (it names the user, verb and resource
//! that RBAC refused), other statuses → [`ErrorKind::Status`], bodies that do not decode →
//! [`ErrorKind::Decode`], no answer → `Timeout` or `Unreachable`; a missing kubeconfig →
//! `NotConfigured`; a body over the cap → [`ErrorKind::TooLarge`]. See the
//! [API status conventions](https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-errors).
//!
//! The cap ([`BodyCapLayer`]): kube-rs reads a body whole, so without it a 200 MB answer (from the
//! API server or a proxy in front of it) would be held in memory. Like the live transport for the
//! other backends, a declared `Content-Length` over the cap fails before any of the body is read,
//! and a chunked body fails as soon as it passes the cap. It sits above kube's own stack, so a
//! recording keeps the failure and a replay repeats it. It also turns a 429 or 503 into a
//! [`ErrorKind::Status`] naming the API server's message and its `Retry-After`: kube's retry on
//! them is off, and kube's own error would drop that header.
//!
//! Not here: the calls (`client.rs`). The cap is in `connect/cap.rs`. Tests: `connect/tests.rs`
//! (mock API server, a closed port, kubeconfigs in a temp dir, endless and over-declared bodies).

use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::core::Status;

use super::seam::{RecordService, ReplayService, classify};
use super::{Kube, KubeMode, KubeSettings};
use crate::error::Backend;
use crate::transport::bundle::placeholder_base;
use crate::transport::{BackendError, ErrorKind, Response};

mod cap;
#[cfg(test)]
mod tests;

use cap::BodyCapLayer;

/// Build the client for `mode`. Replay reads no kubeconfig; live and record load it the way
/// `kubectl` does (`settings.kubeconfig`, else `$KUBECONFIG`/`~/.kube/config`, else in-cluster).
pub async fn connect(settings: &KubeSettings, mode: KubeMode) -> Result<Kube, BackendError> {
    if let KubeMode::Replay(replayer) = mode {
        let base = placeholder_base(Backend::Kubernetes);
        let ns = settings
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let client = kube::Client::new(ReplayService::new(replayer), ns);
        return Ok(Kube::from_client(client, base.as_str(), None));
    }
    crate::transport::live::install_crypto_provider();
    let mut config = load_config(settings).await?;
    // Only the connect timeout goes to kube: its read timeout would also count the time a pooled
    // connection sat idle. The whole request is bounded above it instead (`Kube` or the seam).
    config.connect_timeout = Some(settings.timeout);
    // kube's own retry waits out 429/503 up to 15 times (honouring any Retry-After), past our
    // timeout: the user then read "timed out" instead of what the API server said. The cap layer
    // reports those answers as they were, Retry-After included (issue 20).
    config.default_retry = false;
    if let Some(ns) = &settings.namespace {
        config.default_namespace = ns.clone();
    }
    let base = config.cluster_url.to_string();
    let ns = config.default_namespace.clone();
    let live = ClientBuilder::try_from(config)
        .map_err(|e| kube_error(&base, "", e))?
        .with_layer(&BodyCapLayer::new(settings.max_body_bytes()))
        .build();
    Ok(match mode {
        KubeMode::Record(recorder) => {
            let url =
                url::Url::parse(&base).unwrap_or_else(|_| placeholder_base(Backend::Kubernetes));
            let seam = RecordService::new(live, recorder, url, settings.timeout);
            Kube::from_client(kube::Client::new(seam, ns), &base, None)
        }
        _ => Kube::from_client(live, &base, Some(settings.timeout)),
    })
}

async fn load_config(s: &KubeSettings) -> Result<kube::Config, BackendError> {
    let unusable = |e: &dyn std::fmt::Display| {
        BackendError::new(
            Backend::Kubernetes,
            &s.kubeconfig
                .as_ref()
                .map_or("(kubeconfig)".into(), |p| p.display().to_string()),
            ErrorKind::Unreachable {
                reason: format!("cannot load the kubeconfig: {e}"),
            },
        )
    };
    let opts = KubeConfigOptions {
        context: s.context.clone(),
        ..Default::default()
    };
    if let Some(path) = &s.kubeconfig {
        let kc = Kubeconfig::read_from(path).map_err(|e| unusable(&e))?;
        return kube::Config::from_custom_kubeconfig(kc, &opts)
            .await
            .map_err(|e| unusable(&e));
    }
    if s.context.is_some() {
        return kube::Config::from_kubeconfig(&opts)
            .await
            .map_err(|e| unusable(&e));
    }
    kube::Config::infer().await.map_err(|e| {
        // No kubeconfig anywhere and not in a pod: Kubernetes is simply not set up here, which
        // the runbooks treat as "skip this step", unlike a kubeconfig that is there but broken.
        let missing = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<KubeconfigError>())
            .is_some_and(|k| match k {
                KubeconfigError::FindPath => true,
                KubeconfigError::ReadConfig(io, _) => io.kind() == std::io::ErrorKind::NotFound,
                _ => false,
            });
        if missing {
            BackendError::not_configured(Backend::Kubernetes)
        } else {
            unusable(&e)
        }
    })
}

fn status_kind(s: &Status) -> ErrorKind {
    // kube builds a Status with this reason when the body was not one (a proxy's page): shorten it
    // the way every other backend shortens a non-API error body.
    let message = if s.reason == "Failed to parse error data" {
        Response {
            status: s.code,
            headers: Vec::new(),
            body: s.message.clone().into(),
        }
        .short_text()
    } else {
        s.message.clone()
    };
    if s.is_forbidden() || s.code == 401 || s.reason == "Unauthorized" {
        let code = if s.code == 0 { 403 } else { s.code };
        ErrorKind::Forbidden { code, message }
    } else {
        ErrorKind::Status {
            code: s.code,
            message,
        }
    }
}

/// What went wrong, whether or not the API answered. The recording seam uses it too, so a
/// recorded failure replays as the same kind.
pub(super) fn kind_of(err: &kube::Error) -> ErrorKind {
    match err {
        kube::Error::Api(status) => status_kind(status),
        kube::Error::SerdeError(e) => ErrorKind::Decode {
            reason: format!("invalid JSON: {e}"),
        },
        kube::Error::FromUtf8(_) => ErrorKind::Decode {
            reason: "the body is not UTF-8".into(),
        },
        // An exec plugin or token file that failed: the credentials, not the network.
        kube::Error::Auth(e) => ErrorKind::Forbidden {
            code: 401,
            message: format!("cannot get credentials from the kubeconfig: {e}"),
        },
        kube::Error::Service(e) => classify(e.as_ref()),
        // A streamed read (a pod's log) wraps kube's error in an io::Error, whose `source` skips
        // it: look inside, so the cap reads as the cap.
        kube::Error::ReadEvents(io) => match io.get_ref().and_then(|e| e.downcast_ref()) {
            Some(inner) => kind_of(inner),
            None => classify(err),
        },
        other => classify(other),
    }
}

/// `path` is the API path the call was for; it is appended to the cluster URL in the message.
pub(super) fn kube_error(base: &str, path: &str, err: kube::Error) -> BackendError {
    BackendError::new(
        Backend::Kubernetes,
        &format!("{}{path}", base.trim_end_matches('/')),
        kind_of(&err),
    )
}
