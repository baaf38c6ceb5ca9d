//! Property tests: arbitrary and near-valid input never panics, hangs, or gets anything active
//! into the output. `cargo test` runs them; fuzz/ has coverage-guided targets for the same code.

use std::path::Path;
use std::time::{Duration, Instant};

use marketgen::markdown::{self, Bundle, Policy, Source};
use marketgen::model::RawHtml;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use crate::support::fixture;

/// A hang guard, not a speed target: every case here takes milliseconds.
const HANG: Duration = Duration::from_secs(10);

const SITE: &str = "title: P\nbase_url: https://p.example/\ncategories:\n  - slug: ecommerce\n    name: E-commerce\n";

fn check_site(record: &[u8], doc: &[u8], logo: &[u8]) {
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("content/connectors/p");
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(site.path().join("site.yaml"), SITE).unwrap();
    std::fs::write(dir.join("connector.yaml"), record).unwrap();
    std::fs::write(dir.join("docs/index.md"), doc).unwrap();
    std::fs::write(dir.join("logo.svg"), logo).unwrap();
    std::fs::write(dir.join("logo.png"), logo).unwrap();
    let options = marketgen::CheckOptions {
        root: site.path().to_path_buf(),
        today: 20_000,
        base_url: None,
        preview: false,
        lone: None,
        as_listed: false,
        policy: None,
        cache: None,
    };
    let start = Instant::now();
    let result = marketgen::check(&options);
    assert!(start.elapsed() < HANG, "check took {:?}", start.elapsed());
    assert!(
        result.is_ok(),
        "an environment error for content: {:?}",
        result.err()
    );
}

fn valid_record() -> String {
    std::fs::read_to_string(fixture(
        "valid/content/connectors/acme-orders/connector.yaml",
    ))
    .unwrap()
}

/// Small edits that keep a record almost valid: the inputs most likely to reach deep code.
fn mutated(base: String) -> impl Strategy<Value = String> {
    let edits = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0..4u8,
            prop::sample::select(vec![
                ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "!!str ",
                "#", "|", ">", "---\n", "\t", "\u{202e}", "yes", "1.10", "~", "null", "é",
            ]),
        ),
        1..3,
    );
    edits.prop_map(move |edits| {
        let mut text = base.clone();
        for (at, kind, token) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match kind {
                0 => text.insert_str(i, token),
                1 => {
                    let end = (i + 7).min(text.len());
                    let end = (end..=text.len())
                        .find(|&e| text.is_char_boundary(e))
                        .unwrap_or(text.len());
                    text.replace_range(i..end, "");
                }
                2 => {
                    let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
                    let line_end = text[i..].find('\n').map_or(text.len(), |p| i + p + 1);
                    let line = text[line_start..line_end].to_string();
                    text.insert_str(line_end, &line);
                }
                _ => text.insert_str(i, &format!("\n{token}")),
            }
        }
        text
    })
}

const TOKENS: &[&str] = &[
    "# ",
    "## Heading {#id}\n",
    "\n\n",
    "\n",
    "> ",
    "- ",
    "1. ",
    "- [ ] ",
    "```",
    "```rust\n",
    "```\"><script>\n",
    "~~~\n",
    "    ",
    "`code`",
    "*",
    "**",
    "_",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[x](",
    "https://a.example",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "java&#x09;script:",
    "&#106;avascript:",
    "data:text/html,x",
    "vbscript:",
    "file:///etc/passwd",
    "mailto:a@b.example",
    "../logo.png",
    "setup.md",
    "#frag",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=x>",
    "<a href=\"javascript:x\">",
    "<details><summary>s</summary>",
    "</details>",
    "<your-api-key>",
    "<Tabs>",
    "import X from 'y';\n",
    ":::note T\n",
    ":::\n",
    "{{ x }}",
    "{% y %}",
    "| a | b |\n|:-|-:|\n| 1 | 2 |\n",
    "[^1]",
    "[^1]: n\n",
    "[r]: javascript:alert(1)\n",
    "[x][r]",
    "<https://a.example>",
    "<javascript:alert(1)>",
    "&lt;",
    "&amp;",
    "\\",
    "\u{202e}",
    "é",
    "word ",
    "<!-- c -->",
    "<base href=x>",
    "<math><mtext>",
];

fn markdown_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|tokens| tokens.concat())
}

/// The page's HTML, and how many bytes it is: what the analysis and the writer make of it.
pub(crate) fn render(body: &str, raw_html: RawHtml) -> String {
    let files = ["logo.png".to_string()].into_iter().collect();
    let pages = [("docs/setup.md".to_string(), "/c/docs/setup/".to_string())]
        .into_iter()
        .collect();
    let bundle = Bundle {
        dir: "docs",
        files: &files,
        pages: &pages,
        url: "/c/",
        name: "the folder",
        base_path: "/",
        publishable: |_| true,
    };
    let source = Source {
        file: Path::new("p.md"),
        text: body,
        body_offset: 0,
        title: "P",
    };
    let policy = Policy {
        raw_html,
        image_hosts: &[],
    };
    let start = Instant::now();
    let (analysed, _) = markdown::analyse(&source, &bundle, &policy);
    let html = markdown::html(&analysed.document);
    assert!(start.elapsed() < HANG, "render took {:?}", start.elapsed());
    // Output grows with the input by a bounded factor: nothing expands (a heading's id and
    // anchor make the largest ratio, about 45 bytes for `#\n`).
    assert!(
        html.len() <= MAX_GROWTH * body.len() + 4096,
        "{} bytes of Markdown became {} bytes of HTML",
        body.len(),
        html.len()
    );
    html
}

/// The most HTML one byte of Markdown may become.
const MAX_GROWTH: usize = 64;

/// No element, attribute or URL from content can run script.
pub(crate) fn assert_inert(html: &str) {
    let doc = scraper::Html::parse_fragment(html);
    let all = scraper::Selector::parse("*").unwrap();
    for element in doc.select(&all) {
        let name = element.value().name();
        assert!(
            !matches!(
                name,
                "script"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "base"
                    | "meta"
                    | "style"
                    | "svg"
                    | "math"
                    | "form"
            ),
            "<{name}> in {html}"
        );
        for (attribute, value) in element.value().attrs() {
            assert!(!attribute.starts_with("on"), "{attribute} in {html}");
            if matches!(attribute, "href" | "src") {
                let scheme = value.split(':').next().unwrap_or("").to_ascii_lowercase();
                let relative =
                    !value.contains(':') || value.starts_with('/') || value.starts_with('#');
                assert!(
                    relative || matches!(scheme.as_str(), "http" | "https" | "mailto"),
                    "{attribute}={value} in {html}"
                );
            }
        }
    }
}

/// What marketgen renders is already inside the sanitiser's safe subset.
fn assert_sanitiser_agrees(html: &str) {
    let mut oracle = markdown::sanitizer();
    oracle.link_rel(None).add_tag_attributes("a", ["rel"]);
    let normal = |s: &str| scraper::Html::parse_fragment(s).html();
    assert_eq!(
        normal(&oracle.clean(html).to_string()),
        normal(html),
        "the sanitiser changed the output"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_in_any_content_file_never_panic(record in prop::collection::vec(any::<u8>(), 0..2048), doc in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_site(&record, &doc, &record);
    }

    #[test]
    fn near_valid_records_never_panic(record in mutated(valid_record())) {
        check_site(record.as_bytes(), b"---\ntitle: T\n---\nx\n", b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn rendered_markdown_is_inert_and_within_the_safe_subset(body in markdown_text()) {
        let escaped = render(&body, RawHtml::Escape);
        assert_inert(&escaped);
        assert_sanitiser_agrees(&escaped);
        let sanitized = render(&body, RawHtml::Sanitize);
        assert_inert(&sanitized);
    }

    #[test]
    fn arbitrary_text_as_markdown_never_panics(body in "\\PC{0,400}") {
        let rendered = render(&body, RawHtml::Escape);
        assert_inert(&rendered);
    }
}

#[test]
fn the_mutation_strategy_produces_parseable_and_broken_records() {
    // Guards the generator itself: a strategy that only made invalid YAML would test little.
    assert!(
        Path::new(&fixture(
            "valid/content/connectors/acme-orders/connector.yaml"
        ))
        .is_file()
    );
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = mutated(valid_record());
    let (mut parsed, mut broken) = (0, 0);
    for _ in 0..100 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let doc = marketgen::load::yaml::Embedded {
            file: Path::new("c.yaml"),
            file_text: &text,
            offset: 0,
            yaml: &text,
        };
        let (record, problems) = marketgen::load::record::parse(&doc);
        let shaped = record.is_some() && problems.is_empty();
        match shaped {
            true => parsed += 1,
            false => broken += 1,
        }
    }
    assert!(
        parsed > 10 && broken > 10,
        "parsed {parsed}, broken {broken}"
    );
}
