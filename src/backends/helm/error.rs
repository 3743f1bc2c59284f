//! What can go wrong running `helm`, each with the one hint that fixes it. Not here: running it
//! (`client.rs`). Tests: `client.rs` (a missing binary).

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelmError {
    #[error("helm is not installed (no {bin} on PATH)")]
    Missing { bin: String },
    #[error("cannot run {bin}: {reason}")]
    Spawn { bin: String, reason: String },
    #[error("`helm {args}` failed: {message}")]
    Failed { args: String, message: String },
    #[error("`helm {args}` did not finish within {timeout}")]
    Timeout { args: String, timeout: String },
    #[error("`helm {args}`: unexpected output: {reason}")]
    Decode { args: String, reason: String },
}

impl HelmError {
    pub fn hint(&self) -> String {
        match self {
            HelmError::Missing { .. } => {
                "install Helm 3 (https://helm.sh/docs/intro/install/) or pass --helm PATH".into()
            }
            HelmError::Spawn { .. } => "check that --helm points at an executable".into(),
            HelmError::Failed { .. } => {
                "run the helm command by hand with --debug to see why".into()
            }
            HelmError::Timeout { .. } => {
                "raise timeouts.helm in deploy.yaml, or check the cluster's API server".into()
            }
            HelmError::Decode { .. } => "is --helm really Helm 3?".into(),
        }
    }
}
