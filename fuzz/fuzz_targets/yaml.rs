//! The YAML wrapper on arbitrary input: it must return a record or a diagnostic, never panic
//! or hang, whatever the bytes.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marketgen::load::record::RawConnector;
use marketgen::load::yaml::{Embedded, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = Embedded { file: Path::new("connector.yaml"), file_text: text, offset: 0, yaml: text };
    if let Err(diagnostic) = parse::<RawConnector>(&doc) {
        for label in &diagnostic.labels {
            assert!(label.range.start <= label.range.end && label.range.end <= text.len());
        }
    }
});
