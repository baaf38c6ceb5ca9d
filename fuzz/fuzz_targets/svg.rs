//! SVG logos on arbitrary input: no panic, and what is published is well-formed XML no larger
//! than the input's limit, however much the input expands.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use libfuzzer_sys::fuzz_target;
use marketgen::load::ConnectorSource;
use marketgen::load::site::Limits;
use marketgen::validate::media;

fuzz_target!(|data: &[u8]| {
    let source = ConnectorSource {
        slug: "f".into(),
        dir: "c".into(),
        record_file: None,
        record: None,
        doc_files: Vec::new(),
        files: BTreeSet::new(),
    };
    let limits = Limits::default();
    let bytes = BTreeMap::from([("logo.svg".to_string(), data.to_vec())]);
    let (checked, _) = media::connector(&source, bytes, &limits, &media::Budget::new(&limits));
    for published in checked.files.values() {
        assert!(published.bytes.len() as u64 <= limits.svg_kib * 1024, "output outgrew the limit");
        let text = std::str::from_utf8(&published.bytes).expect("UTF-8");
        roxmltree::Document::parse(text).expect("well-formed XML");
        let lower = text.to_ascii_lowercase();
        assert!(!lower.contains("<script") && !lower.contains("foreignobject"), "{text}");
    }
});
