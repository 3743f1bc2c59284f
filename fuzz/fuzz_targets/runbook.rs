//! Runbook YAML (`--runbooks DIR` loads user files).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tracectl::runbook::Runbook::parse(text, "fuzz.yaml");
    }
});
