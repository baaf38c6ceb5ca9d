//! The YAML wrapper and the record reader on arbitrary input: they must return a record or
//! diagnostics, never panic or hang, whatever the bytes.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marketgen::load::record::parse;
use marketgen::load::yaml::Embedded;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = Embedded { file: Path::new("connector.yaml"), file_text: text, offset: 0, yaml: text };
    for diagnostic in parse(&doc).1 {
        for label in &diagnostic.labels {
            assert!(label.range.start <= label.range.end && label.range.end <= text.len());
        }
    }
});
