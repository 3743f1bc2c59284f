//! The clients a command uses, built from the resolved [`Settings`] in one place: the trace store
//! ([`Settings::trace_store`]; commands never construct a Jaeger or Tempo client themselves),
//! Jaeger itself where a step checks Jaeger as a component ([`Settings::jaeger`]), and the one
//! Kubernetes connection ([`Settings::kube`]: live, recording or replaying as the run does).
//!
//! Which store: `--trace-store` / `TRACECTL_TRACE_STORE` when given, else the only one
//! configured, else Jaeger (as before Tempo was supported). A replay serves whichever the bundle
//! recorded, since its endpoints are the bundle's backends. Not here: the stores themselves
//! ([`crate::backends::traces`]). Tests: below, and `tests/it/tempo.rs`.

use super::{Mode, Settings};
use crate::backends::kubernetes::{self, Kube, KubeMode};
use crate::backends::traces::TraceStore;
use crate::backends::traces::jaeger::JaegerClient;
use crate::backends::traces::tempo::TempoClient;
use crate::cli::TraceStoreChoice;
use crate::error::Backend;
use crate::transport::BackendError;

impl Settings {
    /// The one trace store: the chosen one (`--trace-store`), else the only one configured,
    /// else Jaeger when both are (as before Tempo was supported). A choice that is not
    /// configured is not configured: no silent switch to the other store.
    pub fn trace_store(&self) -> Result<TraceStore, BackendError> {
        let wanted = match self.trace_store {
            Some(TraceStoreChoice::Jaeger) => Backend::Jaeger,
            Some(TraceStoreChoice::Tempo) => Backend::Tempo,
            None if self.endpoint(Backend::Jaeger).is_none()
                && self.endpoint(Backend::Tempo).is_some() =>
            {
                Backend::Tempo
            }
            None => Backend::Jaeger,
        };
        let ep = self
            .endpoint(wanted)
            .cloned()
            .ok_or_else(|| BackendError::not_configured(wanted))?;
        Ok(match wanted {
            Backend::Tempo => TraceStore::Tempo(TempoClient::new(ep, self.prometheus())),
            _ => TraceStore::Jaeger(self.jaeger_client(ep)),
        })
    }

    /// The Jaeger query service itself, for the checks of Jaeger as a component (its SPM
    /// metrics, its health), whichever store reads traces.
    /// The Kubernetes connection, through the run's mode (live, record, replay). No kubeconfig
    /// is `NotConfigured`: each caller says what that means for it (a skipped step, a usage
    /// error).
    pub async fn kube(&self) -> Result<Kube, BackendError> {
        if !self.kube_available {
            return Err(BackendError::not_configured(Backend::Kubernetes));
        }
        let mode = match &self.mode {
            Mode::Live => KubeMode::Live,
            Mode::Record(r) => KubeMode::Record(r.clone()),
            Mode::Replay(r) => KubeMode::Replay(r.clone()),
        };
        kubernetes::connect(&self.kubernetes, mode).await
    }

    pub fn jaeger(&self) -> Result<JaegerClient, BackendError> {
        self.endpoint(Backend::Jaeger)
            .cloned()
            .map(|ep| self.jaeger_client(ep))
            .ok_or_else(|| BackendError::not_configured(Backend::Jaeger))
    }

    /// A Jaeger client sharing what the run learnt of `ep`'s API version (issue 19: detected
    /// once per endpoint, not once per step).
    fn jaeger_client(&self, ep: crate::transport::Endpoint) -> JaegerClient {
        let cell = self
            .jaeger_api
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(ep.base.to_string())
            .or_default()
            .clone();
        JaegerClient::sharing(ep, cell)
    }

    /// The base URL trace links point at: the store's, or in a replay the recorded server's.
    pub fn trace_link_base(&self, store: &TraceStore) -> url::Url {
        let live = store.endpoint().base.clone();
        match &self.mode {
            Mode::Replay(r) => r
                .meta
                .backends
                .get(store.name())
                .and_then(|u| url::Url::parse(u).ok())
                .unwrap_or(live),
            _ => live,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;
    use crate::settings::{Interactive, resolve};

    /// Settings from `args`, with an empty config file so no user's file is read.
    fn settings(args: &[&str]) -> Settings {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.yaml");
        std::fs::write(&config, "contexts: {}\n").unwrap();
        let mut argv = vec!["tracectl"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["--config", config.to_str().unwrap(), "check"]);
        let cli = Cli::try_parse_from(&argv).unwrap();
        let term = Interactive {
            stdout_tty: false,
            stderr_tty: false,
        };
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        resolve(&cli.global, &argv, &term).unwrap()
    }

    #[test]
    fn the_chosen_else_the_only_else_jaeger() {
        let j = ["--jaeger-url", "http://jaeger:16686"];
        let t = ["--tempo-url", "http://tempo:3200"];
        let name = |args: &[&str]| settings(args).trace_store().map(|s| s.name());
        assert_eq!(name(&j).unwrap(), "jaeger");
        assert_eq!(name(&t).unwrap(), "tempo");
        assert_eq!(name(&[j[0], j[1], t[0], t[1]]).unwrap(), "jaeger");
        assert_eq!(
            name(&[j[0], j[1], t[0], t[1], "--trace-store", "tempo"]).unwrap(),
            "tempo"
        );
        // A chosen store that is not configured is not silently swapped for the other.
        let e = name(&[j[0], j[1], "--trace-store", "tempo"]).unwrap_err();
        assert_eq!(e.backend, Backend::Tempo);
        assert_eq!(name(&[]).unwrap_err().backend, Backend::Jaeger);
    }

    #[test]
    fn config_view_masks_the_tempo_blocks_secrets() {
        let ctx: crate::settings::Context = serde_norway::from_str(
            "tempo: { url: \"http://u:pw-in-url@tempo:3200\", tenant: team-a, token: tok-1, password: pw-2, username: u }\n",
        )
        .unwrap();
        let shown = serde_norway::to_string(&crate::settings::file::masked(ctx)).unwrap();
        for secret in ["tok-1", "pw-2", "pw-in-url"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("team-a"),
            "the tenant is not a secret: {shown}"
        );
    }
}
