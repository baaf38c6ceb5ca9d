//! The Markdown analysis and writer on arbitrary input: no panic, nothing active in the HTML,
//! and no output that outgrows its input by more than a fixed factor.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marketgen::markdown::{Bundle, Policy, Source, analyse, html};
use marketgen::model::RawHtml;

/// The most HTML one byte of Markdown may become (tests/it/props.rs holds the same bound).
const MAX_GROWTH: usize = 64;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = BTreeSet::from(["logo.png".to_string()]);
    let pages = BTreeMap::from([("docs/setup.md".to_string(), "/c/docs/setup/".to_string())]);
    let bundle = Bundle { dir: "docs", files: &files, pages: &pages, url: "/c/", name: "f", base_path: "/", publishable: |_| true };
    let source = Source { file: Path::new("p.md"), text, body_offset: 0, title: "P" };
    for raw_html in [RawHtml::Escape, RawHtml::Sanitize] {
        let policy = Policy { raw_html, image_hosts: &[] };
        let (body, _) = analyse(&source, &bundle, &policy);
        let html = html(&body.document).to_ascii_lowercase();
        assert!(html.len() <= MAX_GROWTH * text.len() + 4096, "{} bytes became {}", text.len(), html.len());
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript:") && !html.contains("src=\"javascript:"), "{html}");
    }
});
