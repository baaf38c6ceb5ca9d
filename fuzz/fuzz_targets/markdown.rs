//! The Markdown renderer on arbitrary input: no panic, and nothing active in the HTML.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use libfuzzer_sys::fuzz_target;
use marketgen::markdown::{Bundle, Mode, render};
use marketgen::model::{Page, RawHtml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = BTreeSet::from(["logo.png".to_string()]);
    let pages = BTreeMap::from([("docs/setup.md".to_string(), "/c/docs/setup/".to_string())]);
    let bundle = Bundle { dir: "docs", files: &files, pages: &pages, url: "/c/", name: "f", base_path: "/" };
    let page = Page { file: "p.md".into(), name: "p".into(), title: "P".into(), description: None, weight: 0, text: text.into(), body_offset: 0 };
    for raw_html in [RawHtml::Escape, RawHtml::Sanitize] {
        let html = render(&page, &bundle, raw_html, Mode::Html).html.to_ascii_lowercase();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript:") && !html.contains("src=\"javascript:"), "{html}");
    }
});
