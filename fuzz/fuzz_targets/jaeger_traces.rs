//! Jaeger trace decoding, legacy JSON and api_v3 OTLP-JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tracectl::backends::jaeger::decode_traces(data);
});
