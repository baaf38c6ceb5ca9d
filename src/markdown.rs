//! Markdown to safe HTML, and the diagnostics found on the way.
//!
//! One pass over pulldown-cmark events serves both `check` (diagnostics only, no HTML and no
//! highlighting, so it stays cheap) and `build` (HTML). Content is untrusted: raw HTML becomes
//! text, link and image destinations pass a scheme allowlist, relative targets must resolve
//! inside their folder, the fence language only selects a syntax, and nothing emits a `style`
//! attribute, so the site's Content-Security-Policy needs no `unsafe-inline`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::diag::Diagnostic;
use crate::model::{Page, RawHtml};
use crate::validate::paths;

pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Loaded once: building the syntax set is the slowest part of start-up.
pub static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// `rel` on every link that leaves the site: content links are third-party.
pub const EXTERNAL_REL: &str = "noopener noreferrer nofollow ugc";

/// Where a page lives, so relative links can be resolved and checked.
pub struct Bundle<'a> {
    /// The page's folder, relative to the bundle root (`docs` for a connector's docs).
    pub dir: &'a str,
    /// Every file in the bundle, relative to its root.
    pub files: &'a BTreeSet<String>,
    /// Markdown files of the bundle (relative to its root) to their published URLs.
    pub pages: &'a BTreeMap<String, String>,
    /// The published URL of the bundle root; its files are published below it.
    pub url: &'a str,
    /// What to call the bundle in messages: "the connector's folder".
    pub name: &'a str,
    /// Prefix of site-absolute links (`/guide/` becomes `{base_path}guide/`).
    pub base_path: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Diagnostics only.
    Check,
    /// Diagnostics and HTML with highlighted code.
    Html,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// The `##` and `###` headings, for a table of contents.
    pub toc: Vec<Heading>,
    /// Bundle files the page links to or shows, which must be published with it.
    pub files: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Plain text of the page, for search.
    pub text: String,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Processes one page.
pub fn render(page: &Page, bundle: &Bundle, raw_html: RawHtml, mode: Mode) -> Rendered {
    let mut pass = Pass {
        page,
        bundle,
        raw_html,
        mode,
        out: Rendered::default(),
        ids: BTreeSet::new(),
        refusing_image: false,
    };
    let events = pass.transform();
    if mode == Mode::Html {
        pulldown_cmark::html::push_html(&mut pass.out.html, events.into_iter());
    }
    pass.out
}

struct Pass<'a> {
    page: &'a Page,
    bundle: &'a Bundle<'a>,
    raw_html: RawHtml,
    mode: Mode,
    out: Rendered,
    ids: BTreeSet<String>,
    refusing_image: bool,
}

/// A block of events being collected until its end tag.
enum Pending<'a> {
    Heading {
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        events: Vec<Event<'a>>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
}

impl<'a> Pass<'a> {
    fn transform(&mut self) -> Vec<Event<'a>> {
        let body: &'a str = self.page.body();
        let mut out = Vec::new();
        let mut pending: Option<Pending<'a>> = None;
        let mut in_head = false;
        let mut alignments: Vec<Alignment> = Vec::new();
        let mut cell = 0;
        for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
            if let Event::Text(text) | Event::Code(text) = &event {
                self.out.text.push_str(text);
                self.out.text.push(' ');
            }
            match (&mut pending, event) {
                (Some(Pending::Code { text, .. }), Event::Text(t)) => text.push_str(&t),
                (Some(Pending::Code { .. }), Event::End(TagEnd::CodeBlock)) => {
                    if let Some(Pending::Code { lang, text }) = pending.take() {
                        out.push(Event::Html(self.code_block(lang.as_deref(), &text).into()));
                    }
                }
                // Code blocks hold only text; anything else cannot occur inside one.
                (Some(Pending::Code { .. }), _) => {}
                (Some(Pending::Heading { .. }), Event::End(TagEnd::Heading(_))) => {
                    if let Some(Pending::Heading { level, id, events }) = pending.take() {
                        self.heading(level, id, events, &mut out);
                    }
                }
                (Some(Pending::Heading { events, .. }), event) => self.inline(event, range, events),
                (None, Event::Start(Tag::Heading { level, id, .. })) => {
                    pending = Some(Pending::Heading {
                        level,
                        id,
                        events: Vec::new(),
                    });
                }
                (None, Event::Start(Tag::CodeBlock(kind))) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split_whitespace().next().map(str::to_string)
                        }
                        CodeBlockKind::Indented => None,
                    };
                    pending = Some(Pending::Code {
                        lang,
                        text: String::new(),
                    });
                }
                (None, Event::Start(Tag::HtmlBlock)) => {
                    self.raw_html_found(range.clone());
                    out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)));
                }
                (None, Event::End(TagEnd::HtmlBlock)) => out.push(Event::End(TagEnd::CodeBlock)),
                (None, Event::Html(html)) => out.push(Event::Text(html)),
                (None, Event::Start(Tag::Table(a))) => {
                    alignments = a.clone();
                    out.push(Event::Start(Tag::Table(a)));
                }
                (None, Event::Start(Tag::TableHead)) => {
                    in_head = true;
                    cell = 0;
                    out.push(Event::Start(Tag::TableHead));
                }
                (None, Event::End(TagEnd::TableHead)) => {
                    in_head = false;
                    out.push(Event::End(TagEnd::TableHead));
                }
                (None, Event::Start(Tag::TableRow)) => {
                    cell = 0;
                    out.push(Event::Start(Tag::TableRow));
                }
                (None, Event::Start(Tag::TableCell)) => {
                    let tag = if in_head { "th" } else { "td" };
                    let html = match alignments.get(cell) {
                        Some(Alignment::Left) => format!("<{tag} class=\"align-left\">"),
                        Some(Alignment::Center) => format!("<{tag} class=\"align-center\">"),
                        Some(Alignment::Right) => format!("<{tag} class=\"align-right\">"),
                        _ => format!("<{tag}>"),
                    };
                    out.push(Event::Html(html.into()));
                }
                (None, Event::End(TagEnd::TableCell)) => {
                    cell += 1;
                    out.push(Event::Html(if in_head { "</th>" } else { "</td>" }.into()));
                }
                (None, event) => self.inline(event, range, &mut out),
            }
        }
        out
    }

    /// Inline events: links, images and inline HTML; everything else passes through.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Vec<Event<'a>>) {
        match event {
            Event::InlineHtml(html) => {
                self.raw_html_found(range);
                out.push(Event::Text(html));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let href = self.destination(&dest_url, link_type, range, false);
                let mut html = String::from("<a href=\"");
                escape_into(&mut html, href.as_deref().unwrap_or("#"));
                html.push('"');
                if !title.is_empty() {
                    html.push_str(" title=\"");
                    escape_into(&mut html, &title);
                    html.push('"');
                }
                if href.as_deref().is_some_and(is_external) {
                    let _ = write!(html, " rel=\"{EXTERNAL_REL}\"");
                }
                html.push('>');
                out.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::Link) => out.push(Event::Html("</a>".into())),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                match self.destination(&dest_url, link_type, range, true) {
                    Some(src) => out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: src.into(),
                        title,
                        id,
                    })),
                    None => {
                        // The alt text that follows is shown in place of the image.
                        self.refusing_image = true;
                        out.push(Event::Html("<span class=\"refused-image\">".into()));
                    }
                }
            }
            Event::End(TagEnd::Image) if self.refusing_image => {
                self.refusing_image = false;
                out.push(Event::Html("</span>".into()));
            }
            event => out.push(event),
        }
    }

    fn raw_html_found(&mut self, range: Range<usize>) {
        let (help, label) = match self.raw_html {
            RawHtml::Escape => (
                "write Markdown instead; the HTML is shown as text (a marketplace can allow a safe subset with `markdown.raw_html: sanitize` in site.yaml)",
                "shown as text",
            ),
            RawHtml::Sanitize => (
                "write Markdown instead: only a safe subset of HTML is kept",
                "sanitised",
            ),
        };
        let range = self.file_range(range);
        let first_line = self.page.text[range.clone()]
            .lines()
            .next()
            .unwrap_or("")
            .len();
        self.out.diagnostics.push(
            Diagnostic::warning("raw-html", "raw HTML in Markdown")
                .at(
                    &self.page.file,
                    range.start..range.start + first_line,
                    label,
                )
                .with_help(help),
        );
    }

    fn file_range(&self, range: Range<usize>) -> Range<usize> {
        let offset = self.page.body_offset;
        range.start + offset..range.end + offset
    }

    /// The published form of a link or image destination, or `None` (with a diagnostic).
    fn destination(
        &mut self,
        dest: &str,
        link_type: LinkType,
        range: Range<usize>,
        image: bool,
    ) -> Option<String> {
        let range = self.file_range(range);
        let mailto;
        let dest = if link_type == LinkType::Email {
            mailto = format!("mailto:{dest}");
            mailto.as_str()
        } else {
            dest
        };
        match resolve(dest, self.bundle, image) {
            Ok(Target::Url(url)) => Some(url),
            Ok(Target::File { file, url }) => {
                self.out.files.insert(file);
                Some(url)
            }
            Err(problem) => {
                let what = if image { "image" } else { "link" };
                let first_line = self.page.text[range.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .len();
                self.out.diagnostics.push(
                    Diagnostic::error(
                        problem.code,
                        format!("{what} to `{}`: {}", dest.escape_debug(), problem.message),
                    )
                    .at(
                        &self.page.file,
                        range.start..range.start + first_line,
                        problem.label,
                    )
                    .with_help(problem.help),
                );
                None
            }
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        events: Vec<Event<'a>>,
        out: &mut Vec<Event<'a>>,
    ) {
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = id
            .map(|id| slugify(&id))
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| slugify(&text));
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let level = level as u8;
        if (2..=3).contains(&level) {
            self.out.toc.push(Heading {
                level,
                id: id.clone(),
                text: text.trim().to_string(),
            });
        }
        out.push(Event::Html(format!("<h{level} id=\"{id}\">").into()));
        out.extend(events);
        out.push(Event::Html(
            format!(" <a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n").into(),
        ));
    }

    fn code_block(&self, lang: Option<&str>, code: &str) -> String {
        if self.mode == Mode::Check {
            return String::new();
        }
        let syntax = lang.and_then(|l| SYNTAXES.find_syntax_by_token(l));
        let mut html = String::from("<pre class=\"code\"><code>");
        match syntax.and_then(|s| highlight(s, code)) {
            Some(highlighted) => html.push_str(&highlighted),
            None => escape_into(&mut html, code),
        }
        html.push_str("</code></pre>\n");
        html
    }
}

fn highlight(syntax: &syntect::parsing::SyntaxReference, code: &str) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// `Orders & Refunds` → `orders-refunds`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub enum Target {
    /// Published as it is, or a page of the site.
    Url(String),
    /// A file of the bundle, published with the page.
    File { file: String, url: String },
}

pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub label: &'static str,
    pub help: String,
}

const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Resolves a link or image destination written in content.
pub fn resolve(dest: &str, bundle: &Bundle, image: bool) -> Result<Target, Problem> {
    // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
    let compact: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if let Some(scheme) = scheme_of(&compact) {
        let scheme = scheme.to_ascii_lowercase();
        if !ALLOWED_SCHEMES.contains(&scheme.as_str()) {
            return Err(Problem {
                code: "unsafe-link",
                message: format!("the `{scheme}:` scheme is not allowed"),
                label: "unsafe destination",
                help: "link to an https:// address or a file in the folder".into(),
            });
        }
        if image {
            return Err(Problem {
                code: "remote-image",
                message: "images must be files in the folder, not remote addresses".into(),
                label: "remote image",
                help: "download the image into the folder and link to it, such as `../screenshots/orders.png`".into(),
            });
        }
        if compact != dest {
            return Err(Problem {
                code: "unsafe-link",
                message: "the address contains spaces or control characters".into(),
                label: "unsafe destination",
                help: "remove them, or percent-encode spaces as %20".into(),
            });
        }
        return Ok(Target::Url(dest.to_string()));
    }
    if compact.starts_with("//") {
        return Err(Problem {
            code: "unsafe-link",
            message: "protocol-relative addresses are not allowed".into(),
            label: "unsafe destination",
            help: "write the full https:// address".into(),
        });
    }
    if dest.starts_with('#') {
        return Ok(Target::Url(dest.to_string()));
    }
    if let Some(site_path) = dest.strip_prefix('/') {
        return Ok(Target::Url(format!("{}{site_path}", bundle.base_path)));
    }
    resolve_relative(dest, bundle)
}

fn resolve_relative(dest: &str, bundle: &Bundle) -> Result<Target, Problem> {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let broken = |message: String, help: String| Problem {
        code: "broken-link",
        message,
        label: "broken link",
        help,
    };
    let Some(joined) = paths::join(bundle.dir, path).filter(|_| !path.contains('\\')) else {
        return Err(broken(
            format!("it leaves {}", bundle.name),
            format!("link only to files inside {}", bundle.name),
        ));
    };
    if let Some(problem) = paths::problem(&joined) {
        return Err(Problem {
            code: "unsafe-link",
            message: problem.to_string(),
            label: "unsafe path",
            help: format!("link to a file inside {}", bundle.name),
        });
    }
    let with_fragment = |url: &str| match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url.to_string(),
    };
    if let Some(url) = bundle.pages.get(&joined) {
        return Ok(Target::Url(with_fragment(url)));
    }
    if bundle.files.contains(&joined)
        && crate::model::MediaKind::of(&joined).is_none()
        && !joined.ends_with(".md")
    {
        return Err(Problem {
            code: "file-type",
            message: format!("`{joined}` is not an image, and only images are published"),
            label: "cannot be published",
            help: format!(
                "link to an image ({}) or to a documentation page",
                crate::model::MediaKind::EXTENSIONS
            ),
        });
    }
    if bundle.files.contains(&joined) && !joined.ends_with(".md") {
        return Ok(Target::File {
            url: with_fragment(&format!("{}{joined}", bundle.url)),
            file: joined,
        });
    }
    let candidates: Vec<&str> = bundle
        .pages
        .keys()
        .chain(bundle.files.iter())
        .map(String::as_str)
        .collect();
    let help = match crate::load::yaml::suggest(&joined, &candidates) {
        Some(close) => format!("did you mean `{}`?", relative_to(bundle.dir, close)),
        None => format!("no file `{joined}` exists in {}", bundle.name),
    };
    Err(broken(format!("`{joined}` does not exist"), help))
}

/// `close` (relative to the bundle root) as a link from a page in `dir`.
fn relative_to(dir: &str, close: &str) -> String {
    let depth = dir.split('/').filter(|p| !p.is_empty()).count();
    match close.strip_prefix(&format!("{dir}/")) {
        Some(inside) if !dir.is_empty() => inside.to_string(),
        _ => format!("{}{close}", "../".repeat(depth)),
    }
}

/// The scheme of an absolute URL: letters, digits, `+-.` before the first `:`, which must come
/// before any `/`, `?` or `#`.
fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn page(body: &str) -> Page {
        Page {
            file: PathBuf::from("c/docs/index.md"),
            name: "index".into(),
            title: "T".into(),
            description: None,
            weight: 0,
            text: body.into(),
            body_offset: 0,
        }
    }

    fn run(body: &str) -> Rendered {
        let files: BTreeSet<String> = ["logo.svg", "screenshots/a.png", "docs/setup.md"]
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
        };
        render(&page(body), &bundle, RawHtml::Escape, Mode::Html)
    }

    fn codes(r: &Rendered) -> Vec<&'static str> {
        r.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn relative_links_become_published_urls() {
        let r = run("[a](setup.md#step-2) [b](index.md) [c](../logo.svg) [d](#local) [e](/guide/)");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        for href in [
            "/m/connectors/c/docs/setup/#step-2",
            "/m/connectors/c/\"",
            "/m/connectors/c/logo.svg",
            "\"#local\"",
            "/m/guide/",
        ] {
            assert!(r.html.contains(href), "{href} in {}", r.html);
        }
        assert_eq!(r.files, BTreeSet::from(["logo.svg".to_string()]));
    }

    #[test]
    fn broken_and_escaping_links_are_errors_at_their_place() {
        let r = run("text\n\n[a](setpu.md) [b](../../../etc/passwd) [c](..\\x)");
        assert_eq!(codes(&r), ["broken-link", "broken-link", "broken-link"]);
        assert_eq!(r.diagnostics[0].labels[0].range.start, 6);
        assert_eq!(
            r.diagnostics[0].help.as_deref(),
            Some("did you mean `setup.md`?")
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
            "[x](file:///etc/passwd)",
            "![x](data:image/png;base64,AAAA)",
        ] {
            let r = run(body);
            assert_eq!(codes(&r), ["unsafe-link"], "{body}");
            let hrefs = r.html.split(" href=\"").skip(1);
            for attribute in hrefs.chain(r.html.split(" src=\"").skip(1)) {
                assert!(attribute.starts_with("#\""), "{body}: {}", r.html);
            }
        }
    }

    #[test]
    fn remote_images_are_refused_and_their_alt_text_shown() {
        let r = run("![A chart](https://cdn.example/chart.png)");
        assert_eq!(codes(&r), ["remote-image"]);
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(r.html.contains("A chart"), "{}", r.html);
    }

    #[test]
    fn external_links_get_rel_and_mail_links_stay() {
        let r = run("[site](https://a.example) <support@a.example>");
        assert!(
            r.html.contains(&format!(
                "href=\"https://a.example\" rel=\"{EXTERNAL_REL}\""
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
    fn raw_html_is_text_with_a_warning() {
        let r = run("<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> b\n");
        assert_eq!(codes(&r), ["raw-html", "raw-html"]);
        assert!(
            !r.html.contains("<script") && !r.html.contains("<img"),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
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
    fn table_alignment_uses_classes_not_styles() {
        let r = run("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
        assert!(!r.html.contains("style="), "{}", r.html);
        for class in [
            "<th class=\"align-left\">",
            "<td class=\"align-center\">",
            "<td class=\"align-right\">",
        ] {
            assert!(r.html.contains(class), "{class}: {}", r.html);
        }
    }

    #[test]
    fn headings_get_unique_ids_custom_ids_and_a_toc() {
        let r = run("## Set up\n\n## Set up\n\n### Keys {#api-keys}\n\n#### Deep\n");
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["set-up", "set-up-1", "api-keys"]);
        assert!(
            r.html
                .contains("<h2 id=\"set-up-1\">Set up <a class=\"anchor\" href=\"#set-up-1\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h4 id=\"deep\">"), "{}", r.html);
    }

    #[test]
    fn check_mode_writes_no_html_but_finds_the_same_problems() {
        let body = "[x](missing.md)\n\n```rust\nfn main() {}\n```\n";
        let files = BTreeSet::new();
        let pages = BTreeMap::new();
        let bundle = Bundle {
            dir: "docs",
            files: &files,
            pages: &pages,
            url: "/",
            name: "f",
            base_path: "/",
        };
        let checked = render(&page(body), &bundle, RawHtml::Escape, Mode::Check);
        let built = render(&page(body), &bundle, RawHtml::Escape, Mode::Html);
        assert!(checked.html.is_empty());
        assert_eq!(checked.diagnostics, built.diagnostics);
    }

    #[test]
    fn slugs_of_headings() {
        assert_eq!(slugify("Orders & Refunds"), "orders-refunds");
        assert_eq!(slugify("  Über API_keys  "), "über-api-keys");
        assert_eq!(slugify("!!!"), "");
    }
}
