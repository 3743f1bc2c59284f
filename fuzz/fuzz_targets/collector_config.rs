//! The Collector config lint (parse, then every check).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracectl::analysis::collector_config::{SamplingPolicy, lint_text};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lint_text(text, "config.yaml", &SamplingPolicy::default());
    }
});
