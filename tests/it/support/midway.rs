//! Faults that strike part way through a run, for the stateful fixtures (`kube_api.rs`,
//! `grafana_api.rs`, `es_api.rs`): a [`Midway`] switch each of them consults before answering,
//! counting the *writes* it has answered (every method but `GET` and `HEAD`; Elasticsearch's
//! read-only `POST`s, `_search` and `_count`, are not writes). Used by
//! `tests/it/faults_midway.rs`: what a mutating command does when its backend fails after its
//! first change, when the rollback fails too, and when it is stopped at a given change.
//!
//! - [`Strike::Down`]: once `after` writes were answered, every request fails (reads too), as a
//!   backend that went away; `after: 0` is a backend down before anything changed.
//! - [`Strike::Blip`]: once `after` writes were answered, the next request fails, once; the
//!   backend answers again after it (what a rollback needs to work).
//! - [`Strike::Hold`]: the `at`-th write is held unanswered until [`Midway::release`] (the test
//!   signals the process meanwhile); [`Midway::holding`] says it arrived.
//!
//! The failing answer is the backend's own 500 (each fixture passes its body), never a dropped
//! connection: a real server failing mid-run answers. Not modelled: a write applied and then
//! answered with an error.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::support::{RecordedRequest, Response};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strike {
    Down { after: usize },
    Blip { after: usize },
    Hold { at: usize },
}

#[derive(Default)]
struct State {
    strike: Option<Strike>,
    /// Writes answered so far (the failed ones too).
    writes: usize,
    blipped: bool,
    holding: bool,
    released: bool,
    /// Requests answered with the fault.
    failed: usize,
}

/// The switch, shared by a fixture's handler and the test.
#[derive(Clone, Default)]
pub struct Midway {
    state: Arc<(Mutex<State>, Condvar)>,
}

impl Midway {
    pub fn set(&self, strike: Strike) {
        let mut s = self.lock();
        *s = State {
            strike: Some(strike),
            ..State::default()
        };
    }

    /// No fault, counts from zero.
    pub fn reset(&self) {
        *self.lock() = State::default();
    }

    /// The backend answers normally again (counts kept).
    pub fn heal(&self) {
        let mut s = self.lock();
        s.strike = None;
        s.released = true;
        self.state.1.notify_all();
    }

    /// Whether the held write has arrived (and waits for [`Midway::release`]).
    pub fn holding(&self) -> bool {
        self.lock().holding
    }

    pub fn release(&self) {
        let mut s = self.lock();
        s.released = true;
        self.state.1.notify_all();
    }

    /// Writes answered (or held) so far.
    pub fn writes(&self) -> usize {
        self.lock().writes
    }

    /// Requests the fault answered.
    pub fn failed(&self) -> usize {
        self.lock().failed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Called by the fixture first: `Some(fail)` (the fixture's 500) when this request is to
    /// fail; may block a held write. `read_only_post`: a `POST` that reads (Elasticsearch's
    /// searches).
    pub fn check(
        &self,
        req: &RecordedRequest,
        read_only_post: bool,
        fail: impl FnOnce() -> Response,
    ) -> Option<Response> {
        let write = !matches!(req.method.as_str(), "GET" | "HEAD") && !read_only_post;
        let mut s = self.lock();
        let before = s.writes;
        if write {
            s.writes += 1;
        }
        let failing = match s.strike {
            None => false,
            Some(Strike::Down { after }) => before >= after,
            Some(Strike::Blip { after }) => {
                let hit = before >= after && !s.blipped;
                if hit {
                    s.blipped = true;
                }
                hit
            }
            Some(Strike::Hold { at }) => {
                if write && s.writes == at {
                    s.holding = true;
                    // Bounded, so that a test that never releases does not hang the fixture.
                    let (guard, _) = self
                        .state
                        .1
                        .wait_timeout_while(s, Duration::from_secs(30), |s| !s.released)
                        .unwrap_or_else(|e| e.into_inner());
                    s = guard;
                }
                false
            }
        };
        if failing {
            s.failed += 1;
            return Some(fail());
        }
        None
    }
}
