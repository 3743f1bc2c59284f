//! The one patch and diff module of the mutation layer: pure functions over JSON, no I/O.
//!
//! - `value.rs`: [`json_equal`] (numbers by value: `1 == 1.0`), [`canonical`] JSON and its
//!   [`sha256`], [`backup_of`] (a live object without what the server owns).
//! - `diff.rs`: the walkers that report where two values differ: [`object_diff`] (is a manifest
//!   applied?), [`value_diff`] (what a patch changes, line by line), [`symmetric_diff`] (where a
//!   dashboard differs from its backup).
//! - `merge.rs`: [`deep_merge`] (Helm's values), RFC 7386 merge patches and Kubernetes
//!   strategic-merge patches: applied, computed ([`merge_diff`], the fourth walker) and composed.
//! - `rfc6902.rs`: JSON Patch, applied and computed.
//!
//! Before, these were four walkers in three files (`mutation/diff.rs`, `maintain/scale.rs`,
//! `maintain/restore.rs`), each with its own way of joining a path. Not here: which patch an
//! operation sends (`crate::mutation::ops::scale`). Tests: `tests.rs`.

mod diff;
mod merge;
mod rfc6902;
mod value;

pub use diff::{object_diff, symmetric_diff, value_diff};
pub use merge::{
    deep_merge, has_directives, merge_apply, merge_compose, merge_diff, strategic_apply,
    strategic_compose,
};
pub use rfc6902::{json_diff_ops, json_patch_apply};
pub use value::{backup_of, canonical, json_equal, sha256};

#[cfg(test)]
mod tests;
