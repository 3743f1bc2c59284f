//! What a `--record` bundle may keep: every command's bundle is masked with the audit's own
//! matchers ([`sensitive::scrub_body_with`]), whatever the command, unless `--record-raw` asked
//! for the values as sent. The masks carry the bundle's keyed pseudonyms
//! ([`crate::transport::bundle::Pseudonyms`]), so the same value gets the same marker in every
//! file and a replay ranks what the run ranked. Secrets' values are dropped by the recorder itself
//! in either mode. Not here: writing the files (`crate::transport::bundle`). Tests:
//! `tests/it/bundle_privacy.rs`.

use std::sync::Arc;

use crate::analysis::audit::sensitive;
use crate::error::UsageError;
use crate::settings::{Mode, Settings};

/// Mask what the bundle records from now on (and what it recorded before); IP addresses too when
/// `ips` (`audit --detect-ips`). Nothing to do without `--record`, or with `--record-raw`.
pub fn mask(settings: &Settings, ips: bool) -> Result<(), UsageError> {
    let Mode::Record(r) = &settings.mode else {
        return Ok(());
    };
    if r.is_raw() {
        return Ok(());
    }
    let names = r.pseudonyms();
    r.set_scrubber(Arc::new(move |text: &str| {
        sensitive::scrub_body_with(text, ips, Some(&|v: &str| names.of(v)))
    }))
    .map_err(|e| UsageError::new(format!("--record: cannot mask the bundle: {e}")))
}

/// `--record-raw`: the bundle says so, and stderr warns whoever runs it.
pub fn keep_raw(settings: &Settings) -> Result<(), UsageError> {
    let Mode::Record(r) = &settings.mode else {
        return Ok(());
    };
    r.keep_raw()
        .map_err(|e| UsageError::new(format!("--record: cannot write bundle.json: {e}")))?;
    eprintln!(
        "warning: --record-raw: the bundle keeps sensitive values (e-mail addresses, card numbers, tokens, keys in span data, logs, ConfigMaps and alerts) as the backends sent them; keep it as private as the traces, or record without --record-raw to share it"
    );
    Ok(())
}
