//! Git, the one backend that is a local program rather than a server: the commits of a
//! repository (`investigate latency --repo PATH`) whose changed paths mention a service, as
//! evidence of a recent change. It runs `git log` (no network, nothing written) through
//! [`client::GitRepo`]; [`wire`] reads its output. Not here: deciding whether a commit caused
//! anything (`crate::analysis::changes`). Tests: `wire.rs` (the output format).

mod client;
mod wire;

pub use client::GitRepo;

/// One commit.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    pub sha: String,
    /// Committer time, unix seconds.
    pub time: f64,
    pub subject: String,
}
