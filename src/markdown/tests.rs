//! One small page per construct: what it becomes, and what it reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;

/// What a page becomes: its HTML and its analysis.
struct Page {
    html: String,
    analysed: Analysed,
}

struct Analysed {
    document: Document,
    toc: Vec<TocEntry>,
    files: BTreeSet<String>,
    anchors: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Page {
    fn codes(&self) -> Vec<&'static str> {
        self.analysed.diagnostics.iter().map(|d| d.code).collect()
    }
}

/// The sanitiser as an oracle: what marketgen writes from Markdown is already within the safe
/// subset, so sanitising it changes nothing.
pub fn assert_within_safe_subset(html: &str) {
    let mut oracle = sanitizer();
    oracle.link_rel(None).add_tag_attributes("a", ["rel"]);
    let normal = |s: &str| scraper::Html::parse_fragment(s).html();
    assert_eq!(normal(&oracle.clean(html).to_string()), normal(html));
}

fn publishable(name: &str) -> bool {
    !name.ends_with(".txt")
}

fn run_with(body: &str, raw_html: RawHtml, image_hosts: &[String]) -> Page {
    let files: BTreeSet<String> = [
        "logo.svg",
        "screenshots/a.png",
        "docs/setup.md",
        "notes.txt",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let pages: BTreeMap<String, String> = [
        ("docs/setup.md", "/m/connectors/c/docs/setup/"),
        ("docs/index.md", "/m/connectors/c/"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let bundle = Bundle {
        dir: "docs",
        files: &files,
        pages: &pages,
        url: "/m/connectors/c/",
        name: "the connector's folder",
        base_path: "/m/",
        publishable,
    };
    let source = Source {
        file: Path::new("c/docs/index.md"),
        text: body,
        body_offset: 0,
        title: "Acme CRM",
    };
    let policy = Policy {
        raw_html,
        image_hosts,
    };
    let (body, diagnostics) = analyse(&source, &bundle, &policy);
    Page {
        html: html(&body.document),
        analysed: Analysed {
            document: body.document,
            toc: body.toc,
            files: body.files,
            anchors: body.anchors,
            diagnostics,
        },
    }
}

fn run(body: &str) -> Page {
    run_with(body, RawHtml::Escape, &[])
}

fn sanitized(body: &str) -> Page {
    run_with(body, RawHtml::Sanitize, &[])
}

#[test]
fn relative_links_become_published_urls() {
    let r = run("[a](setup.md#step-2) [b](index.md) [c](../logo.svg) [d](#local) [e](/guide/)");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    for href in [
        "/m/connectors/c/docs/setup/#step-2",
        "/m/connectors/c/\"",
        "/m/connectors/c/logo.svg",
        "\"#local\"",
        "/m/guide/",
    ] {
        assert!(r.html.contains(href), "{href} in {}", r.html);
    }
    assert_eq!(r.analysed.files, BTreeSet::from(["logo.svg".to_string()]));
}

#[test]
fn broken_and_escaping_links_are_errors_at_their_place() {
    let r = run("text\n\n[a](setpu.md) [b](../../../etc/passwd) [c](..\\x)");
    assert_eq!(r.codes(), ["broken-link", "broken-link", "broken-link"]);
    let first = &r.analysed.diagnostics[0];
    assert_eq!(first.labels[0].range.start, 6);
    assert_eq!(first.help.as_deref(), Some("did you mean `setup.md`?"));
}

#[test]
fn a_page_link_is_offered_a_page_and_a_file_link_a_file() {
    let r = run("[a](./mapping.md) [b](../logo.png)");
    let helps: Vec<&str> = r
        .analysed
        .diagnostics
        .iter()
        .filter_map(|d| d.help.as_deref())
        .collect();
    assert_eq!(
        helps,
        [
            "no file `docs/mapping.md` exists in the connector's folder",
            "did you mean `../logo.svg`?"
        ]
    );
}

#[test]
fn unsafe_schemes_are_refused_in_every_spelling() {
    for body in [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: vbscript:msgbox",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/png;base64,AAAA)",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<img src=\"javascript:alert(1)\" alt=\"x\">",
    ] {
        let r = run(body);
        assert_eq!(r.codes(), ["unsafe-link"], "{body}");
        assert!(
            !r.html.contains("href") && !r.html.contains("src"),
            "{body}: {}",
            r.html
        );
    }
}

#[test]
fn addresses_a_browser_reads_as_another_site_are_refused() {
    for body in [
        "[x](//evil.example/login)",
        "[x](/\\evil.example/login)",
        "[x](\\\\evil.example/login)",
        "<a href=\"/\\evil.example\">x</a>",
    ] {
        let r = run(body);
        assert!(
            r.codes() == ["unsafe-link"] || r.codes() == ["broken-link"],
            "{body}: {:?}",
            r.codes()
        );
        assert!(!r.html.contains("evil"), "{body}: {}", r.html);
    }
}

#[test]
fn file_links_are_text_with_a_warning() {
    let r = run("Open [file:///tmp/out](file:///tmp/out) to see it.");
    assert_eq!(r.codes(), ["local-link"]);
    assert!(!r.analysed.diagnostics[0].is_error());
    assert_eq!(r.html, "<p>Open file:///tmp/out to see it.</p>\n");
}

#[test]
fn remote_images_are_refused_unless_the_site_allows_their_host() {
    let r = run("![A chart](https://cdn.example/chart.png)");
    assert_eq!(r.codes(), ["remote-image"]);
    assert!(!r.html.contains("<img"), "{}", r.html);
    assert!(r.html.contains("A chart"), "{}", r.html);
    assert!(
        r.analysed.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("markdown.image_hosts"),
    );
    let hosts = ["cdn.example".to_string()];
    let r = run_with(
        "![A chart](https://cdn.example/chart.png)",
        RawHtml::Escape,
        &hosts,
    );
    assert!(r.codes().is_empty());
    assert!(
        r.html
            .contains("<img src=\"https://cdn.example/chart.png\" alt=\"A chart\">")
    );
    let r = run_with(
        "![A chart](http://cdn.example/chart.png)",
        RawHtml::Escape,
        &hosts,
    );
    assert_eq!(r.codes(), ["remote-image"], "only https");
}

#[test]
fn malformed_web_addresses_are_errors() {
    let r = run("[x](https://a.example> ) [y](https://) [z](http://exa mple.com)");
    assert_eq!(r.codes(), ["invalid-url", "invalid-url"]);
}

#[test]
fn hrefs_are_percent_encoded() {
    let r = run("[x](https://a.example/{id}?q=a|b) [y](#{weird} \"t\") [z](setup.md#a{b})");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html
            .contains("href=\"https://a.example/%7Bid%7D?q=a%7Cb\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"#%7Bweird%7D\""), "{}", r.html);
    assert!(r.html.contains("/docs/setup/#a%7Bb%7D\""), "{}", r.html);
}

#[test]
fn spaces_in_an_address_are_encoded_with_a_warning_and_other_white_space_refused() {
    let r = run("[x](<https://a.example/a b>) <a href=\"https://a.example/c d\">y</a>");
    assert_eq!(r.codes(), ["url-with-spaces", "url-with-spaces"]);
    assert!(!r.analysed.diagnostics[0].is_error());
    assert!(
        r.html.contains("href=\"https://a.example/a%20b\""),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("href=\"https://a.example/c%20d\""),
        "{}",
        r.html
    );
    let r = run("<a href=\"https://a.example/c\td\">y</a>");
    assert_eq!(r.codes(), ["unsafe-link"]);
}

#[test]
fn addresses_are_published_as_written_unless_that_means_something_else() {
    let url = |s: &str| url::Url::parse(s).unwrap();
    assert_eq!(
        published("https://a.example", &url("https://a.example")),
        "https://a.example"
    );
    assert_eq!(
        published(
            "https://a.example/x?q={v}",
            &url("https://a.example/x?q={v}")
        ),
        "https://a.example/x?q=%7Bv%7D"
    );
    // A browser reads the backslash as a slash, and the host in ASCII.
    assert_eq!(
        published("https://a.example\\x", &url("https://a.example\\x")),
        "https://a.example/x"
    );
    assert_eq!(
        published("https://bücher.example/", &url("https://bücher.example/")),
        "https://xn--bcher-kva.example/"
    );
}

#[test]
fn external_links_get_rel_and_mail_links_stay() {
    let r = run("[site](https://a.example/) <support@a.example>");
    assert!(
        r.html.contains(&format!(
            "href=\"https://a.example/\" rel=\"{EXTERNAL_REL}\""
        )),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("href=\"mailto:support@a.example\""),
        "{}",
        r.html
    );
}

#[test]
fn unsafe_author_html_is_text_with_a_warning() {
    let r = run(
        "<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> <span onclick=x>b</span>\n",
    );
    // The image is a safe element with an unsafe attribute: the attribute goes, and its
    // address is checked as any image's.
    assert_eq!(
        r.codes(),
        [
            "raw-html",
            "raw-html",
            "broken-link",
            "raw-html",
            "raw-html"
        ]
    );
    assert!(r.analysed.diagnostics[1].message.contains("`onerror`"));
    assert!(
        !r.html.contains("<script") && !r.html.contains("<span onclick"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("onerror"), "{}", r.html);
    assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
}

#[test]
fn the_safe_elements_render_as_html_without_attributes() {
    let r = run(
        "<details open class=\"x\" onclick=\"y\">\n<summary>Older versions</summary>\n\n| v | date |\n|---|---|\n| 1.0 | 2026-01-01 |\n\n</details>\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <b>b</b> <i>i</i> <em>e</em> <strong>s</strong> <code>c</code><br>next <a href=\"setup.md\" target=\"_blank\">setup</a> <img src=\"../screenshots/a.png\" alt=\"Orders\" width=\"9\">\n",
    );
    assert_eq!(r.codes(), ["raw-html"], "{:?}", r.analysed.diagnostics);
    assert!(r.analysed.diagnostics[0].message.contains("`onclick`"));
    for html in [
        "<details><summary>Older versions</summary>",
        "<table>",
        "</table></div>\n</details>",
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "H<sub>2</sub>O",
        "x<sup>2</sup>",
        "<b>b</b> <i>i</i> <em>e</em> <strong>s</strong> <code>c</code><br>next",
        "<a href=\"/m/connectors/c/docs/setup/\">setup</a>",
        "<img src=\"/m/connectors/c/screenshots/a.png\" alt=\"Orders\">",
    ] {
        assert!(r.html.contains(html), "{html}\nin\n{}", r.html);
    }
    for attribute in ["open", "class=\"x\"", "onclick", "target", "width"] {
        assert!(!r.html.contains(attribute), "{attribute} in {}", r.html);
    }
    assert!(r.analysed.files.contains("screenshots/a.png"));
}

#[test]
fn author_html_is_always_well_nested() {
    let r = run(
        "<b>never closed\n\nNext paragraph</details> <i>a *b</i> c*\n\n<summary>lone</summary>\n",
    );
    assert_eq!(
        r.html.matches("<b>").count(),
        r.html.matches("</b>").count(),
        "{}",
        r.html
    );
    assert_eq!(
        r.html.matches("<i>").count(),
        r.html.matches("</i>").count(),
        "{}",
        r.html
    );
    assert!(
        !r.html.contains("</details>") && !r.html.contains("summary"),
        "{}",
        r.html
    );
    assert_within_safe_subset(&r.html);
}

#[test]
fn a_summary_holds_no_paragraph() {
    let r = run("<details>\n<summary>\n\nSee the *limits*\n\n</summary>\n\nBody.\n\n</details>\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html
            .contains("<summary>See the <em>limits</em></summary>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>Body.</p>\n</details>"), "{}", r.html);
}

#[test]
fn html_comments_are_never_shown_or_published() {
    for raw_html in [RawHtml::Escape, RawHtml::Sanitize] {
        let r = run_with(
            "<!-- env:cloud -->\n\nText <!-- an editor's note --> here.\n\n<!--\nmulti\n\nline\n-->\n\n<div>\n<!-- inside -->\n</div>\n",
            raw_html,
            &[],
        );
        for hidden in ["env:cloud", "editor", "multi", "inside", "&lt;!--"] {
            assert!(
                !r.html.contains(hidden),
                "{raw_html:?} {hidden}: {}",
                r.html
            );
        }
        assert!(r.html.contains("Text  here."), "{}", r.html);
        let mut words = String::new();
        r.analysed.document.visible_text(&mut words);
        assert!(!words.contains("editor"), "{words}");
    }
}

#[test]
fn an_unclosed_comment_is_a_warning() {
    let r = run("Intro.\n\n<!-- forgot to close\n\n## Later\n");
    assert_eq!(r.codes(), ["raw-html"]);
    assert!(r.analysed.diagnostics[0].message.contains("never closed"));
}

#[test]
fn the_fence_language_only_selects_a_syntax() {
    let r = run("```\"><script>alert(1)</script>\nx\n```\n\n```rust\nfn main() {}\n```\n");
    assert!(!r.html.contains("<script"), "{}", r.html);
    assert!(
        r.html.contains("<span class=\"hl-source hl-rust\">"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("language-"), "{}", r.html);
}

#[test]
fn tables_and_code_scroll_in_labelled_focusable_boxes() {
    let r = run("| Field | Type |\n|:--|:-:|\n| a | 2 |\n\n```\ncode\n```\n\n```json\n{}\n```\n");
    assert!(!r.html.contains("style="), "{}", r.html);
    assert!(
        r.html.contains("<div class=\"scroll-box\" role=\"region\" tabindex=\"0\" aria-label=\"Table: Field, Type\"><table>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<div class=\"scroll-box\" role=\"region\" tabindex=\"0\" aria-label=\"Code sample 1\"><pre class=\"code\">"),
        "{}",
        r.html
    );
    // Issue 23: each region of a page has a name of its own (axe's `landmark-unique`).
    assert!(
        r.html
            .contains("aria-label=\"Code sample 2 (json)\"><pre class=\"code\">"),
        "{}",
        r.html
    );
    for class in ["<th class=\"align-left\">", "<td class=\"align-center\">"] {
        assert!(r.html.contains(class), "{class}: {}", r.html);
    }
}

#[test]
fn headings_get_unique_ids_and_a_nested_toc() {
    let r = run("## Set up\n\n### Keys {#api-keys}\n\n## Set up\n\n#### Deep\n");
    let toc = &r.analysed.toc;
    assert_eq!(toc.len(), 2);
    assert_eq!((toc[0].id.as_str(), toc[0].children.len()), ("set-up", 1));
    assert_eq!(toc[0].children[0].id, "api-keys");
    assert_eq!(toc[1].id, "set-up-1");
    assert!(
        r.html
            .contains("<h2 id=\"set-up-1\">Set up <a class=\"anchor\" href=\"#set-up-1\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h4 id=\"deep\">"), "{}", r.html);
}

#[test]
fn a_first_heading_that_repeats_the_title_is_shown_once() {
    let r = run("# Acme  CRM\n\nIntro.\n\n# Acme CRM\n");
    assert!(!r.html.contains("<h1"), "{}", r.html);
    assert_eq!(r.html.matches("<h2").count(), 1, "{}", r.html);
    assert!(r.html.starts_with("<p>Intro.</p>"), "{}", r.html);
    let r = run("# Acme\n\nIntro.\n");
    assert!(r.html.starts_with("<p>Intro.</p>"), "{}", r.html);
}

/// Issue 23: the page's title is its one `h1`; a leading `# Heading` that says something else,
/// and any later one, is a section (`h2`), and the levels below keep their order.
#[test]
fn top_level_headings_of_the_docs_are_sections_under_the_page_title() {
    let r = run("# Acme CRM source\n\nIntro.\n\n## Set up\n\n# Reference\n\n### Fields\n");
    assert!(!r.html.contains("<h1"), "{}", r.html);
    let levels: Vec<&str> = r
        .html
        .match_indices("<h")
        .map(|(at, _)| &r.html[at..at + 3])
        .collect();
    assert_eq!(levels, ["<h2", "<h2", "<h2", "<h3"], "{}", r.html);
    let toc = &r.analysed.toc;
    let top: Vec<&str> = toc.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(top, ["Acme CRM source", "Set up", "Reference"]);
    assert_eq!(toc[2].children[0].text, "Fields");
}

#[test]
fn placeholders_are_text_without_a_warning() {
    let r = run("Set `key` to <your-api-key> and <YOUR_TOKEN>.\n\n<account-id>\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    for text in [
        "&lt;your-api-key&gt;",
        "&lt;YOUR_TOKEN&gt;",
        "&lt;account-id&gt;",
    ] {
        assert!(r.html.contains(text), "{text}: {}", r.html);
    }
}

#[test]
fn mdx_imports_go_and_components_keep_their_markdown() {
    let r = run(
        "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\nexport const meta = {\n  a: 1,\n};\n\n<FieldAnchor field=\"region\">\n4. Pick a **region**.\n</FieldAnchor>\n<FieldAnchor field=\"key\">\n5. Paste the key.\n</FieldAnchor>\n\n<Tabs>\n<TabItem value=\"cloud\" label=\"Cloud\">\n\nSign in.\n\n</TabItem>\n<TabItem value=\"self\" label=\"Self-managed\">\n\nRun it.\n\n</TabItem>\n</Tabs>\n\nA <Badge text=\"x\" /> here.\n",
    );
    assert_eq!(r.codes(), ["mdx"], "{:?}", r.analysed.diagnostics);
    assert!(r.analysed.diagnostics[0].message.contains("`Badge`"));
    for gone in [
        "import",
        "export",
        "meta",
        "FieldAnchor",
        "Tabs",
        "TabItem",
        "Badge",
    ] {
        assert!(!r.html.contains(gone), "{gone}: {}", r.html);
    }
    for kept in [
        "<ol start=\"4\">\n<li>Pick a <strong>region</strong>.</li>",
        "<ol start=\"5\">\n<li>Paste the key.</li>",
        "<section class=\"tab\" aria-label=\"Cloud\"><p class=\"tab-label\">Cloud</p>\n<p>Sign in.</p>\n</section>",
        "<section class=\"tab\" aria-label=\"Self-managed\">",
        "<p>A  here.</p>",
    ] {
        assert!(r.html.contains(kept), "{kept}\nin\n{}", r.html);
    }
}

fn asides(r: &Page) -> (usize, usize) {
    (
        r.html.matches("<aside").count(),
        r.html.matches("</aside>").count(),
    )
}

#[test]
fn admonitions_in_every_form() {
    let r = run(
        ":::warning Rate limits\nThe API allows 2 calls per second.\n:::\n\n:::tip\n\nSpread calls out.\n\n:::\n\n:::info[Good to know]\nBracketed.\n:::\n\n:::note{title=\"Braced\"}\nx\n:::\n",
    );
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(r.html.contains("<aside class=\"admonition admonition-warning\"><p class=\"admonition-title\">Rate limits</p>\n<p>The API allows 2 calls per second.</p>\n</aside>"), "{}", r.html);
    for title in ["Tip", "Good to know", "Braced"] {
        assert!(
            r.html
                .contains(&format!("<p class=\"admonition-title\">{title}</p>")),
            "{title}: {}",
            r.html
        );
    }
    assert_eq!(asides(&r), (4, 4));
}

#[test]
fn an_admonition_closed_inside_a_list_ends_after_the_list() {
    let r = run(":::note\nBefore:\n- one\n- two\n:::\n\n## Streams\n\nAfter.\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html
            .contains("<li>two</li>\n</ul>\n</aside>\n<h2 id=\"streams\">"),
        "{}",
        r.html
    );
    assert!(!r.html.contains(":::"), "{}", r.html);
}

#[test]
fn an_admonition_inside_a_list_item() {
    let r = run("1. Sign in.\n   :::note\n   Use an admin account.\n   :::\n2. Create a key.\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html.contains("<li>Sign in.<aside class=\"admonition admonition-note\"><p class=\"admonition-title\">Note</p>\n<p>Use an admin account.</p>\n</aside>\n</li>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<li>Create a key.</li>"), "{}", r.html);
}

#[test]
fn an_admonition_closed_after_an_html_block() {
    let r =
        run(":::caution\n<details>\n<summary>Why</summary>\nBecause.\n</details>\n:::\n\nAfter.\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html.contains("</details>\n</aside>\n<p>After.</p>"),
        "{}",
        r.html
    );
}

#[test]
fn nested_admonitions() {
    let r = run("::::note Outer\n:::tip Inner\nDeep.\n:::\nShallow.\n::::\n\nAfter.\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html
            .contains("<p>Deep.</p>\n</aside>\n<p>Shallow.</p>\n</aside>\n<p>After.</p>"),
        "{}",
        r.html
    );
}

#[test]
fn an_unclosed_admonition_is_a_warning_at_its_line_and_swallows_no_section() {
    let text = "Intro.\n\n:::note\nRemember this.\n\n## Streams\n\n| a |\n|---|\n| 1 |\n";
    let r = run(text);
    assert_eq!(r.codes(), ["admonition"]);
    assert_eq!(
        r.analysed.diagnostics[0].labels[0].range.start,
        text.find(":::").unwrap()
    );
    assert!(
        r.html
            .contains("<p>Remember this.</p>\n</aside>\n<h2 id=\"streams\">"),
        "{}",
        r.html
    );
    assert_eq!(asides(&r), (1, 1));
}

#[test]
fn a_stray_closing_marker_is_dropped_with_a_warning() {
    let r = run("Text.\n\n:::\n");
    assert_eq!(r.codes(), ["admonition"]);
    assert!(!r.html.contains(":::"), "{}", r.html);
}

#[test]
fn check_and_build_share_one_analysis() {
    let r = run("[x](missing.md)\n\n```rust\nfn main() {}\n```\n");
    assert_eq!(r.codes(), ["broken-link"]);
    // The document holds the code's text, not its highlighting: analysis loads no syntaxes.
    assert!(
        r.analysed
            .document
            .nodes
            .iter()
            .any(|n| matches!(n, tree::Node::CodeBlock { .. }))
    );
}

#[test]
fn template_syntax_in_content_is_text() {
    let r = run("Use {{ connector.developer.email }} and {% include \"x\" %}.\n");
    assert!(
        r.html.contains("{{ connector.developer.email }}") && r.html.contains("{% include"),
        "{}",
        r.html
    );
}

#[test]
fn sanitize_mode_keeps_a_safe_subset_and_checks_links() {
    let body = "<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n\n<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\" onclick=\"x\" class=\"skip-link hl-x\">b</a> <iframe src=\"https://e.example\"></iframe> <div class=\"hl-x\">d</div>\n";
    let r = sanitized(body);
    assert_eq!(
        r.codes(),
        ["raw-html", "broken-link", "raw-html", "unsafe-link"],
        "{:?}",
        r.analysed.diagnostics
    );
    assert!(
        r.html.contains("<details><summary>More</summary>"),
        "{}",
        r.html
    );
    for bad in [
        "<script",
        "onerror",
        "onclick",
        "javascript",
        "<iframe",
        "skip-link",
    ] {
        assert!(!r.html.contains(bad), "{bad}: {}", r.html);
    }
    assert!(r.html.contains("class=\"hl-x\""), "{}", r.html);
}

#[test]
fn sanitize_mode_does_not_touch_pages_without_raw_html() {
    let r = sanitized("[a](https://a.example/)\n");
    assert_eq!(
        r.html,
        format!("<p><a href=\"https://a.example/\" rel=\"{EXTERNAL_REL}\">a</a></p>\n")
    );
}

#[test]
fn nesting_of_every_kind_counts_against_one_limit() {
    for body in [
        ">".repeat(100_000),
        "[".repeat(100_000),
        ":::note\n".repeat(1000),
        "<details>\n".repeat(1000),
        format!("{} x\n{}", ">".repeat(20), ":::note\n".repeat(20)),
    ] {
        let r = run(&body);
        assert_eq!(r.codes(), ["too-deep"], "{}", &body[..20]);
        assert!(r.html.is_empty());
    }
    let r = sanitized(&"<div>".repeat(1000));
    assert_eq!(r.codes(), ["too-deep"]);
    let r = run(&"- a\n".repeat(3));
    assert!(r.codes().is_empty());
}

#[test]
fn every_analysis_is_linear_in_its_page() {
    // Each shape at 1 MiB: quadratic work would take minutes, linear work a second or two.
    let mib = 1 << 20;
    let shapes = [
        "# Same heading\n\n",
        "#\n",
        "<span>x</span>\n",
        "import X from 'y';\n",
        "[a](missing-page-with-a-long-name.md)\n\n",
        ":::note\n:::\n",
        "<a x='",
        "<!--",
    ];
    for shape in shapes {
        let body = shape.repeat(mib / shape.len());
        let started = std::time::Instant::now();
        let r = run(&body);
        let _ = html(&r.analysed.document);
        let seconds = started.elapsed().as_secs_f64();
        assert!(seconds < 20.0, "{shape:?} took {seconds:.1} s");
    }
}

#[test]
fn a_page_cannot_expand_far_beyond_its_size() {
    // A wide header pads every short row below it to its width.
    let body = format!(
        "{}|\n{}|\n{}",
        "|a".repeat(2000),
        "|-".repeat(2000),
        "|x|\n".repeat(50_000)
    );
    let r = run(&body);
    assert_eq!(r.codes(), ["too-complex"]);
    assert!(r.html.is_empty());
    assert!(r.analysed.document.nodes.is_empty());
}

#[test]
fn broken_links_in_a_folder_of_long_names_cost_a_bounded_search() {
    let files: BTreeSet<String> = (0..5000)
        .map(|i| format!("docs/{}-{i}.png", "a".repeat(200)))
        .collect();
    let pages = BTreeMap::new();
    let bundle = Bundle {
        dir: "docs",
        files: &files,
        pages: &pages,
        url: "/",
        name: "the folder",
        base_path: "/",
        publishable,
    };
    let body = format!("[x]({}-1.pgn)\n\n", "a".repeat(200)).repeat(600);
    let source = Source {
        file: Path::new("c/docs/index.md"),
        text: &body,
        body_offset: 0,
        title: "T",
    };
    let policy = Policy {
        raw_html: RawHtml::Escape,
        image_hosts: &[],
    };
    let started = std::time::Instant::now();
    let (_, diagnostics) = analyse(&source, &bundle, &policy);
    assert_eq!(diagnostics.len(), 600);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn rendered_markdown_passes_the_sanitiser_unchanged() {
    let body = "# T\n\n## Setup {#s}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\nA[^1] ~~old~~ `code` **b** [l](https://x.example/) [m](../logo.svg) <x@y.example>\n\n[^1]: Note.\n\n```rust\nfn main() {}\n```\n\n:::note Hi\nText <placeholder>.\n:::\n\n![alt](../screenshots/a.png)\n\n<details>\n<summary>More</summary>\n\n<kbd>K</kbd><br>\n\n</details>\n\n<Tabs><TabItem label=\"A\">\n\nx\n\n</TabItem></Tabs>\n\n3. three\n";
    let r = run(body);
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert_within_safe_subset(&r.html);
}

#[test]
fn html_blocks_with_leading_text_are_still_raw_html() {
    // Found by the property tests: the block's first event is the indentation, as text.
    let r = run("-     import X from 'y';\n    <a href=\"javascript:x\">");
    assert!(!r.html.contains("<a href"), "{}", r.html);
    assert_eq!(r.codes(), ["unsafe-link"]);
}

#[test]
fn a_tag_left_open_at_the_end_of_an_html_block_is_text_with_a_warning() {
    // Issue 21: each of these once panicked in `raw_html`, in every command.
    for (body, shown) in [
        ("<div class\n\nAfter.", "&lt;div class"),
        ("<table\nword\n", "&lt;table\nword"),
        ("- <div id=\"foo\"\n\nAfter.", "&lt;div id=&quot;foo&quot;"),
    ] {
        for r in [run(body), sanitized(body)] {
            assert_eq!(r.codes(), ["raw-html"], "{body:?}");
            let warning = &r.analysed.diagnostics[0];
            assert_eq!(warning.message, "this HTML tag is never closed");
            let start = body.find('<').unwrap();
            assert_eq!(warning.labels[0].range.start, start, "{body:?}");
            assert!(r.html.contains(shown), "{body:?}: {}", r.html);
        }
    }
}

#[test]
fn a_page_the_parser_fails_on_is_an_error_not_a_crash() {
    // pulldown-cmark 0.13.6 panics on this (the mutational fuzz test found it); once it no
    // longer does, the page is simply read and this test says so.
    let body = "Intro.\n\n>>o\n> {}\n>>=\n";
    for r in [run(body), sanitized(body)] {
        assert_eq!(r.codes(), ["unreadable-markdown"]);
        assert_eq!(r.analysed.diagnostics[0].labels[0].range, 0..0);
        assert!(r.html.is_empty());
    }
}

#[test]
fn security_md_lists_the_sanitizers_allowed_set() {
    fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
        let mut items: Vec<&str> = items.into_iter().collect();
        items.sort_unstable();
        let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
        quoted.join(", ")
    }
    let builder = sanitizer();
    let mut per_element: Vec<(&str, String)> = builder
        .clone_tag_attributes()
        .into_iter()
        .map(|(element, attributes)| (element, list(attributes)))
        .collect();
    per_element.sort_unstable();
    let per_element: Vec<String> = per_element
        .into_iter()
        .map(|(element, attributes)| format!("`{element}`: {attributes}"))
        .collect();
    let expected = [
        format!("- Elements: {}", list(builder.clone_tags())),
        format!(
            "- Attributes on every element: {}",
            list(builder.clone_generic_attributes())
        ),
        format!("- Attributes of some elements: {}", per_element.join("; ")),
        format!(
            "- URL schemes in `href` and `src` (relative URLs are kept): {}",
            list(builder.clone_url_schemes())
        ),
        format!(
            "- Removed with everything inside them: {}; and every comment",
            list(builder.clone_clean_content_tags())
        ),
    ];
    let security = include_str!("../../SECURITY.md");
    let missing: Vec<String> = expected
        .into_iter()
        .filter(|line| !security.lines().any(|l| l == line))
        .collect();
    assert!(
        missing.is_empty() && builder.will_strip_comments(),
        "SECURITY.md lacks the lines\n{}",
        missing.join("\n")
    );
}

#[test]
fn sanitize_mode_publishes_author_ids_outside_the_themes_and_once() {
    let r = sanitized(
        "<div id=\"main\" name=\"finder\" ID=\"x\">a</div>\n\n<DIV ID=\"setup\">b</DIV>\n\n<div title={\"t\" id=\"compare\"}>c</div>\n\n<svg id=\"gone\"></svg>\n\n<span id=\"setup\">d</span>\n\n## Setup\n\n[1](#main) [2](#setup) [3](#gone)\n",
    );
    let doc = scraper::Html::parse_fragment(&r.html);
    let ids: Vec<&str> = doc
        .select(&scraper::Selector::parse("[id]").unwrap())
        .filter_map(|e| e.value().id())
        .collect();
    assert_eq!(ids, ["doc-main", "setup", "setup-1"], "{}", r.html);
    assert!(!r.html.contains("name="), "{}", r.html);
    assert!(r.html.contains("href=\"#doc-main\""), "{}", r.html);
    // The second `setup` is dropped with a warning; the svg's id went with the svg.
    assert_eq!(r.codes(), ["raw-html"], "{:?}", r.analysed.diagnostics);
    let analysed = analyse(
        &Source {
            file: Path::new("p.md"),
            text: "<div id=\"main\">a</div>\n\n<svg id=\"gone\"></svg>\n",
            body_offset: 0,
            title: "",
        },
        &Bundle {
            dir: "docs",
            files: &BTreeSet::new(),
            pages: &BTreeMap::new(),
            url: "/",
            name: "f",
            base_path: "/",
            publishable,
        },
        &Policy {
            raw_html: RawHtml::Sanitize,
            image_hosts: &[],
        },
    )
    .0;
    assert_eq!(analysed.anchors, BTreeSet::from(["main".to_string()]));
}

/// Issue 23: what MDX reads as Markdown inside author HTML, a frame, a list indented under a
/// component, a heading over a dropped component and a one-line admonition, each as the
/// author's Docusaurus site shows it, never as markup shown as text.
fn shows_no_markup(r: &Page) {
    let mut words = String::new();
    r.analysed.document.visible_text(&mut words);
    for markup in ["```", ":::", "](http", "<", "&lt;"] {
        assert!(!words.contains(markup), "{markup} in {words}\n{}", r.html);
    }
}

#[test]
fn a_details_body_is_markdown_as_mdx_reads_it() {
    let r = run(
        "<details>\n<summary>Limits, from [the API docs](https://api.example.com/limits)</summary>\n```json\n{\"calls\": 2}\n```\nSee *setup*.\n</details>\n",
    );
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html.contains("<details><summary>Limits, from <a href=\"https://api.example.com/limits\" rel=\"noopener noreferrer nofollow ugc\">the API docs</a></summary><div class=\"scroll-box\""),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<p>See <em>setup</em>.</p>\n</details>"),
        "{}",
        r.html
    );
    assert_eq!(r.html.matches("<pre").count(), 1, "{}", r.html);
    shows_no_markup(&r);
    assert_within_safe_subset(&r.html);
}

#[test]
fn an_iframe_is_a_link_to_what_it_shows() {
    for raw_html in [RawHtml::Escape, RawHtml::Sanitize] {
        let r = run_with(
            "Watch:\n\n<iframe width=\"560\" src=\"https://www.youtube-nocookie.com/embed/AbC_12-x?si=q\" title=\"Connecting &amp; syncing\" allowfullscreen></iframe>\n\nOr <iframe src=\"https://player.example.com/v/7\"></iframe> here.\n\n<iframe src=\"javascript:alert(1)\" title=\"x\"></iframe>\n",
            raw_html,
            &[],
        );
        assert_eq!(r.codes(), ["unsafe-link"], "{raw_html:?}");
        assert!(
            r.html.contains("<p><a href=\"https://www.youtube.com/watch?v=AbC_12-x\" rel=\"noopener noreferrer nofollow ugc\">Connecting &amp; syncing</a></p>"),
            "{raw_html:?}: {}",
            r.html
        );
        assert!(
            r.html.contains("<p>Or <a href=\"https://player.example.com/v/7\" rel=\"noopener noreferrer nofollow ugc\">https://player.example.com/v/7</a> here.</p>"),
            "{raw_html:?}: {}",
            r.html
        );
        assert!(
            !r.html.contains("iframe") && !r.html.contains("javascript"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<pre"), "{}", r.html);
    }
}

#[test]
fn a_list_indented_under_a_component_is_a_list() {
    let r = run(
        "<Tabs>\n  <TabItem value=\"a\" label=\"Cloud\">\n    - Sign in\n      - with SSO\n    ```sh\n    run\n    ```\n  </TabItem>\n</Tabs>\n\n<FieldAnchor field=\"key\">\n    1. Paste the key.\n</FieldAnchor>\n",
    );
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    for html in [
        "<p class=\"tab-label\">Cloud</p>\n<ul>\n<li>Sign in<ul>\n<li>with SSO</li>",
        "<ol>\n<li>Paste the key.</li>",
    ] {
        assert!(r.html.contains(html), "{html}\nin\n{}", r.html);
    }
    // The fence keeps its text, without the indentation it shared with the list.
    assert_eq!(r.html.matches("<pre").count(), 1, "{}", r.html);
    assert!(r.html.contains(">run</span>"), "{}", r.html);
    shows_no_markup(&r);
}

#[test]
fn a_heading_over_a_dropped_component_goes_with_it() {
    let r = run(
        "## Upgrade guide\n\n<MigrationGuide />\n\n## Main\n\n<SchemaGenerator />\n\n## Streams\n\nText.\n\n### Diagram\n<EntityRelationshipDiagram></EntityRelationshipDiagram>\n\n### Fields\n\n<FieldAnchor field=\"a\">\nKept.\n</FieldAnchor>\n\n## Empty by its author\n",
    );
    assert_eq!(r.codes(), ["mdx", "mdx"], "{:?}", r.analysed.diagnostics);
    for gone in ["Upgrade guide", "Main", "Diagram"] {
        assert!(!r.html.contains(gone), "{gone}: {}", r.html);
    }
    for kept in ["Streams", "Fields", "Kept.", "Empty by its author"] {
        assert!(r.html.contains(kept), "{kept}: {}", r.html);
    }
    let toc: Vec<&str> = r.analysed.toc.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(toc, ["Streams", "Empty by its author"]);
    assert_eq!(r.analysed.toc[0].children.len(), 1);
    // Links to them are broken links, not links to nothing: `main` is published `doc-main`.
    for gone in ["upgrade-guide", "main", "diagram"] {
        assert!(!r.analysed.anchors.contains(gone), "{gone}");
    }
    assert!(r.analysed.anchors.contains("streams"));
}

#[test]
fn a_one_line_admonition_holds_its_text() {
    let r =
        run(":::note Counts refresh `daily`, see [limits](https://x.example/). :::\n\nAfter.\n");
    assert!(r.codes().is_empty(), "{:?}", r.analysed.diagnostics);
    assert!(
        r.html.contains("<aside class=\"admonition admonition-note\"><p class=\"admonition-title\">Note</p>\n<p>Counts refresh <code>daily</code>, see <a href=\"https://x.example/\" rel=\"noopener noreferrer nofollow ugc\">limits</a>.</p>\n</aside>\n<p>After.</p>"),
        "{}",
        r.html
    );
    shows_no_markup(&r);
}

/// CommonMark ends a line at a lone `\r` too: an admonition marker after one is found on its
/// own line (the fuzzer found this: the caret was looked for past the end of the page).
#[test]
fn a_marker_after_a_lone_carriage_return_is_placed_on_its_line() {
    let text = "&#35;\r &> #1234;\n:::note\n";
    let page = run(text);
    let unclosed = page
        .analysed
        .diagnostics
        .iter()
        .find(|d| d.code == "admonition")
        .expect("the admonition is never closed");
    assert_eq!(&text[unclosed.labels[0].range.clone()], ":::note");
}
