//! The config file (`~/.config/tracectl/config.yaml`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tracectl::settings::file::ConfigFile::parse(text, std::path::Path::new("c.yaml"));
    }
});
