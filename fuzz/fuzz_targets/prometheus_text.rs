//! The Prometheus text exposition format parser (the Collector's own `/metrics`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tracectl::backends::collector::text_format::parse(text, 10_000);
    }
});
