//! Markdown to safe HTML, and the diagnostics found on the way.
//!
//! One pass over pulldown-cmark events serves both `check` (diagnostics only, no HTML and no
//! highlighting, so it stays cheap) and `build` (HTML). Content is untrusted: raw HTML becomes
//! text, link and image destinations pass a scheme allowlist, relative targets must resolve
//! inside their folder, the fence language only selects a syntax, and nothing emits a `style`
//! attribute, so the site's Content-Security-Policy needs no `unsafe-inline`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use syntect::html::ClassStyle;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

use crate::diag::Diagnostic;
use crate::model::{Page, RawHtml};
use crate::validate::paths;

const CLASS_PREFIX: &str = "hl-";
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

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
        needs_sanitizing: false,
        open_admonitions: 0,
    };
    let events = pass.transform();
    if mode == Mode::Html {
        pulldown_cmark::html::push_html(&mut pass.out.html, events.into_iter());
        if pass.needs_sanitizing {
            pass.out.html = sanitizer().clean(&pass.out.html).to_string();
        }
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
    /// Raw HTML was kept (sanitize mode): the page's HTML goes through the sanitiser.
    needs_sanitizing: bool,
    /// Admonitions opened and not yet closed.
    open_admonitions: usize,
}

/// Deeper nesting than any real document needs; deeper input is an attack on renderers.
pub const MAX_DEPTH: usize = 32;

type Spanned<'a> = (Event<'a>, Range<usize>);

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
    Paragraph {
        events: Vec<Spanned<'a>>,
    },
    HtmlBlock {
        range: Range<usize>,
        html: String,
    },
}

impl<'a> Pass<'a> {
    fn transform(&mut self) -> Vec<Event<'a>> {
        let body: &'a str = self.page.body();
        let mut out = Vec::new();
        let mut pending: Option<Pending<'a>> = None;
        let mut table = TableState::default();
        if let Some(at) = too_deep_brackets(body) {
            self.too_deep(at..at);
            return Vec::new();
        }
        let mut depth = 0;
        // What one paragraph event becomes, reused rather than allocated per event.
        let mut one = Vec::new();
        for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            if depth > MAX_DEPTH {
                self.too_deep(range);
                return Vec::new();
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
                (Some(Pending::HtmlBlock { html, .. }), Event::Html(h) | Event::Text(h)) => {
                    html.push_str(&h)
                }
                (Some(Pending::HtmlBlock { .. }), _) => {
                    if let Some(Pending::HtmlBlock { range, html }) = pending.take() {
                        self.html_block(range, html, &mut out);
                    }
                }
                (Some(Pending::Heading { .. }), Event::End(TagEnd::Heading(_))) => {
                    if let Some(Pending::Heading { level, id, events }) = pending.take() {
                        self.heading(level, id, events, &mut out);
                    }
                }
                (Some(Pending::Heading { events, .. }), event) => self.inline(event, range, events),
                (Some(Pending::Paragraph { .. }), Event::End(TagEnd::Paragraph)) => {
                    if let Some(Pending::Paragraph { events }) = pending.take() {
                        self.paragraph(events, &mut out);
                    }
                }
                (Some(Pending::Paragraph { events }), event) => {
                    self.inline(event, range.clone(), &mut one);
                    events.extend(one.drain(..).map(|e| (e, range.clone())));
                }
                (None, Event::Start(Tag::Paragraph)) => {
                    pending = Some(Pending::Paragraph { events: Vec::new() })
                }
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
                    pending = Some(Pending::HtmlBlock {
                        range,
                        html: String::new(),
                    });
                }
                (None, event) if table.handles(&event) => out.push(table.event(event)),
                (None, event) => self.inline(event, range, &mut out),
            }
        }
        if let Some(Pending::HtmlBlock { range, html }) = pending.take() {
            self.html_block(range, html, &mut out);
        }
        for _ in 0..self.open_admonitions {
            out.push(Event::Html("</aside>\n".into()));
        }
        out
    }

    fn too_deep(&mut self, range: Range<usize>) {
        let range = self.file_range(range);
        self.out.diagnostics.push(
            Diagnostic::error(
                "too-deep",
                format!("the Markdown nests deeper than {MAX_DEPTH} levels"),
            )
            .at(&self.page.file, range.start..range.start, "too deep here")
            .with_help("flatten the nested quotes or lists"),
        );
    }

    /// Inline events: links, images and inline HTML; everything else passes through.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Vec<Event<'a>>) {
        match event {
            // Block HTML is collected before it gets here; should the parser ever hand over a
            // stray piece, it is still only raw HTML, never markup of ours.
            Event::Html(html) => out.push(self.raw_html(html, range)),
            Event::InlineHtml(html) => match classify(&html) {
                Markup::Placeholder => out.push(Event::Text(html)),
                Markup::Component => self.mdx(
                    range,
                    "JSX components are not supported: the tag was dropped",
                ),
                Markup::Html => out.push(self.raw_html(html, range)),
            },
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
            // A named box: screen readers otherwise announce an unlabelled checkbox.
            Event::TaskListMarker(done) => out.push(Event::Html(
                match done {
                    true => "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> ",
                    false => "<input type=\"checkbox\" disabled aria-label=\"Not done\"> ",
                }
                .into(),
            )),
            Event::End(TagEnd::Image) if self.refusing_image => {
                self.refusing_image = false;
                out.push(Event::Html("</span>".into()));
            }
            event => out.push(event),
        }
    }

    /// Raw HTML: text with a warning, or kept for the sanitiser when the site allows it.
    fn raw_html(&mut self, html: CowStr<'a>, range: Range<usize>) -> Event<'a> {
        if self.raw_html == RawHtml::Sanitize {
            self.needs_sanitizing = true;
            return Event::Html(html);
        }
        let range = self.file_range(range);
        self.out.diagnostics.push(
            Diagnostic::warning("raw-html", "raw HTML in Markdown")
                .at(&self.page.file, self.first_line(&range), "shown as text")
                .with_help("write Markdown instead; the HTML is shown as text (a marketplace can allow a safe subset with `markdown.raw_html: sanitize` in site.yaml)"),
        );
        Event::Text(html)
    }

    fn html_block(&mut self, range: Range<usize>, html: String, out: &mut Vec<Event<'a>>) {
        match classify(&html) {
            Markup::Component => self.mdx(
                range,
                "JSX components are not supported: the block was dropped",
            ),
            Markup::Placeholder => {
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Text(html.trim_end().to_string().into()));
                out.push(Event::End(TagEnd::Paragraph));
            }
            Markup::Html => match self.raw_html(html.into(), range) {
                Event::Text(text) => {
                    out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)));
                    out.push(Event::Text(text));
                    out.push(Event::End(TagEnd::CodeBlock));
                }
                kept => out.push(kept),
            },
        }
    }

    fn mdx(&mut self, range: Range<usize>, message: &str) {
        let range = self.file_range(range);
        self.out.diagnostics.push(
            Diagnostic::warning("mdx", message.to_string())
                .at(&self.page.file, self.first_line(&range), "dropped")
                .with_help("marketgen reads plain Markdown: write the content without MDX imports or components"),
        );
    }

    /// A paragraph, which may open or close an admonition (`:::note` … `:::`) or hold MDX
    /// `import` lines.
    fn paragraph(&mut self, events: Vec<Spanned<'a>>, out: &mut Vec<Event<'a>>) {
        let mut lines: Vec<Vec<Spanned<'a>>> = vec![Vec::new()];
        for (event, range) in events {
            if matches!(event, Event::SoftBreak) {
                lines.push(Vec::new());
            } else if let Some(line) = lines.last_mut() {
                line.push((event, range));
            }
        }
        let opening = lines
            .first()
            .and_then(|first| plain(first))
            .and_then(|t| t.strip_prefix(":::").map(str::to_string))
            .filter(|rest| !rest.trim().is_empty());
        if opening.is_some() {
            lines.remove(0);
        }
        let closes = self.open_admonitions + usize::from(opening.is_some()) > 0
            && lines
                .last()
                .and_then(|l| plain(l))
                .is_some_and(|t| t.trim() == ":::");
        if closes {
            lines.pop();
        }
        lines.retain(|line| {
            let is_mdx = plain(line).is_some_and(|t| is_mdx_statement(&t));
            if is_mdx {
                let range = line[0].1.clone();
                self.mdx(
                    range,
                    "MDX `import` and `export` lines are not supported: the line was dropped",
                );
            }
            !is_mdx
        });
        if let Some(rest) = opening {
            out.push(Event::Html(admonition_open(&rest).into()));
            self.open_admonitions += 1;
        }
        if !lines.is_empty() {
            out.push(Event::Start(Tag::Paragraph));
            for (i, line) in lines.into_iter().enumerate() {
                if i > 0 {
                    out.push(Event::SoftBreak);
                }
                out.extend(line.into_iter().map(|(e, _)| e));
            }
            out.push(Event::End(TagEnd::Paragraph));
        }
        if closes {
            self.open_admonitions -= 1;
            out.push(Event::Html("</aside>\n".into()));
        }
    }

    /// The first line of `range` (a range in the file): where a caret under a multi-line
    /// block belongs.
    fn first_line(&self, range: &Range<usize>) -> Range<usize> {
        let length = self.page.text[range.clone()]
            .lines()
            .next()
            .unwrap_or("")
            .len();
        range.start..range.start + length
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
                self.out.diagnostics.push(
                    Diagnostic::error(
                        problem.code,
                        format!("{what} to `{}`: {}", dest.escape_debug(), problem.message),
                    )
                    .at(&self.page.file, self.first_line(&range), problem.label)
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
        if !syntax.is_some_and(|s| highlight(s, code, &mut html)) {
            escape_into(&mut html, code);
        }
        html.push_str("</code></pre>\n");
        html
    }
}

/// Table cells carry their alignment as a class: pulldown-cmark's own writer uses `style`.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

impl TableState {
    fn handles(&self, event: &Event) -> bool {
        matches!(
            event,
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
                | Event::End(TagEnd::TableHead | TagEnd::TableCell)
        )
    }

    fn event<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.alignments = alignments.clone();
                Event::Start(Tag::Table(alignments))
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
                event
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                event
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                event
            }
            Event::Start(Tag::TableCell) => {
                let tag = if self.in_head { "th" } else { "td" };
                let class = match self.alignments.get(self.cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                Event::Html(format!("<{tag}{class}>").into())
            }
            Event::End(TagEnd::TableCell) => {
                self.cell += 1;
                Event::Html(if self.in_head { "</th>" } else { "</td>" }.into())
            }
            event => event,
        }
    }
}

/// Where unclosed `[` brackets first nest deeper than [`MAX_DEPTH`]: link text nests that
/// way, and no real page needs it.
fn too_deep_brackets(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The text of a line of inline events, when it is plain text only.
fn plain(line: &[Spanned]) -> Option<String> {
    line.iter()
        .map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

fn is_mdx_statement(line: &str) -> bool {
    let line = line.trim();
    (line.starts_with("import ") && (line.contains(" from ") || line.ends_with(';')))
        || line.starts_with("export const ")
        || line.starts_with("export default ")
}

const ADMONITIONS: &[&str] = &[
    "note",
    "tip",
    "info",
    "important",
    "warning",
    "caution",
    "danger",
];

/// `:::warning Rate limits` → an `<aside>` with a title; unknown kinds look like notes.
fn admonition_open(rest: &str) -> String {
    let rest = rest.trim();
    let (kind, title) = rest.split_once([' ', '[']).unwrap_or((rest, ""));
    let title = title.trim().trim_end_matches(']').trim();
    let kind = kind.to_ascii_lowercase();
    let class = if ADMONITIONS.contains(&kind.as_str()) {
        kind.as_str()
    } else {
        "note"
    };
    let mut heading = String::new();
    if title.is_empty() {
        let mut chars = kind.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        escape_into(&mut heading, &capital);
    } else {
        escape_into(&mut heading, title);
    }
    format!(
        "<aside class=\"admonition admonition-{class}\"><p class=\"admonition-title\">{heading}</p>\n"
    )
}

enum Markup {
    /// Real HTML: a known element, a comment or a declaration.
    Html,
    /// A JSX component (`<Tabs>`), from MDX.
    Component,
    /// Angle brackets around a word that is no HTML element (`<your-api-key>`).
    Placeholder,
}

fn classify(html: &str) -> Markup {
    let html = html.trim_start();
    if html.starts_with("<!") || html.starts_with("<?") {
        return Markup::Html;
    }
    let name: String = html
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.' || *c == ':')
        .collect();
    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
        Markup::Component
    } else if HTML_ELEMENTS
        .binary_search(&name.to_ascii_lowercase().as_str())
        .is_ok()
    {
        Markup::Html
    } else {
        Markup::Placeholder
    }
}

/// The elements of HTML, SVG and MathML that could mean something to a browser, sorted.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "animate",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "plaintext",
    "portal",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "set",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "use",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// The safe subset of HTML that `markdown.raw_html: sanitize` keeps, and that everything
/// marketgen itself renders from Markdown stays within (the tests hold it to that).
pub fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some(EXTERNAL_REL))
        .add_tags(["details", "summary", "input", "aside"])
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "disabled", "checked", "aria-label"])
        .add_tag_attributes("a", ["aria-hidden", "tabindex"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            (_, "class") => {
                let kept: Vec<&str> = value
                    .split_whitespace()
                    .filter(|c| is_own_class(c))
                    .collect();
                (!kept.is_empty()).then(|| kept.join(" ").into())
            }
            ("input", "type") => (value == "checkbox").then(|| value.into()),
            ("a", "tabindex") => (value == "-1").then(|| value.into()),
            _ => Some(value.into()),
        });
    builder
}

/// The classes marketgen's Markdown output uses; content may use no others.
fn is_own_class(class: &str) -> bool {
    class.starts_with("hl-")
        || class.starts_with("align-")
        || class.starts_with("admonition")
        || class.starts_with("footnote-")
        || matches!(class, "code" | "anchor" | "refused-image")
}

thread_local! {
    /// Each scope's class list, built once per thread: syntect's `ClassedHTMLGenerator` builds
    /// it for every token, under a global lock.
    static CLASSES: RefCell<ClassCache> = RefCell::default();
}

type ClassCache = HashMap<Scope, Box<str>, BuildHasherDefault<ScopeHasher>>;

/// A scope is two integers that identify it already: one multiply each is hash enough, where
/// SipHash cost more than building the span around it.
#[derive(Default)]
struct ScopeHasher(u64);

impl Hasher for ScopeHasher {
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(b.into()));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Appends `code` highlighted with classes, byte for byte what syntect's `ClassedHTMLGenerator`
/// writes (empty spans dropped, open spans closed at the end) but without its per-token
/// allocations; on a parser error appends nothing and returns false.
fn highlight(syntax: &SyntaxReference, code: &str, html: &mut String) -> bool {
    let start = html.len();
    let done = CLASSES.with_borrow_mut(|classes| highlight_into(syntax, code, html, classes));
    if done.is_none() {
        html.truncate(start);
    }
    done.is_some()
}

fn highlight_into(
    syntax: &SyntaxReference,
    code: &str,
    html: &mut String,
    classes: &mut ClassCache,
) -> Option<()> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut open: isize = 0;
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut written = 0;
        // A span closed before any text was written is removed; only the latest can be.
        let mut span_empty = false;
        let mut span_start = 0;
        for (at, op) in &ops {
            if *at > written {
                span_empty = false;
                escape_into(html, &line[written..*at]);
                written = *at;
            }
            let result = stack.apply_with_hook(op, |op, _| match op {
                BasicScopeStackOp::Push(scope) => {
                    span_start = html.len();
                    span_empty = true;
                    html.push_str("<span class=\"");
                    html.push_str(classes.entry(scope).or_insert_with(|| class_list(scope)));
                    html.push_str("\">");
                    open += 1;
                }
                BasicScopeStackOp::Pop => {
                    if span_empty {
                        html.truncate(span_start);
                    } else {
                        html.push_str("</span>");
                    }
                    span_empty = false;
                    open -= 1;
                }
            });
            result.ok()?;
        }
        escape_into(html, &line[written..]);
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    Some(())
}

/// `source.rust` → `hl-source hl-rust`.
fn class_list(scope: Scope) -> Box<str> {
    let name = scope.build_string();
    let atoms = name.split('.').map(|atom| format!("{CLASS_PREFIX}{atom}"));
    atoms.collect::<Vec<_>>().join(" ").into()
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
    // Copies the runs between special characters whole: all five are ASCII, so every index
    // found is a character boundary.
    let mut copied = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
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
        if scheme != "mailto"
            && url::Url::parse(dest)
                .ok()
                .and_then(|u| u.host_str().map(str::len))
                .unwrap_or(0)
                == 0
        {
            return Err(Problem {
                code: "invalid-url",
                message: "not a valid web address".into(),
                label: "invalid address",
                help: "write a full address such as https://docs.acme.example/page".into(),
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
    fn malformed_web_addresses_are_errors() {
        let r = run("[x](https://a.example> ) [y](https://) [z](http://exa mple.com)");
        assert_eq!(codes(&r), ["invalid-url", "invalid-url"]);
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
        let checked = run_in(body, RawHtml::Escape, Mode::Check);
        let built = run_in(body, RawHtml::Escape, Mode::Html);
        assert!(checked.html.is_empty());
        assert_eq!(checked.diagnostics, built.diagnostics);
    }

    /// A page in a folder with no other files or pages.
    fn run_in(body: &str, raw_html: RawHtml, mode: Mode) -> Rendered {
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
        render(&page(body), &bundle, raw_html, mode)
    }

    fn run_with(body: &str, raw_html: RawHtml) -> Rendered {
        run_in(body, raw_html, Mode::Html)
    }

    #[test]
    fn placeholders_are_text_without_a_warning() {
        let r = run("Set `key` to <your-api-key> and <region-name>.\n\n<account-id>\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(
            r.html.contains("&lt;your-api-key&gt;") && r.html.contains("&lt;account-id&gt;"),
            "{}",
            r.html
        );
    }

    #[test]
    fn mdx_imports_and_components_are_dropped_with_a_warning() {
        let r = run(
            "import Tabs from '@theme/Tabs';\n\n<Tabs>\n\nInside the tab.\n\n</Tabs>\n\nA <Badge text=\"x\" /> here.\n",
        );
        assert_eq!(codes(&r), ["mdx", "mdx", "mdx", "mdx"]);
        assert!(
            !r.html.contains("import") && !r.html.contains("Tabs") && !r.html.contains("Badge"),
            "{}",
            r.html
        );
        assert!(r.html.contains("Inside the tab."), "{}", r.html);
    }

    #[test]
    fn admonitions_become_callouts() {
        let r = run(
            ":::warning Rate limits\nThe API allows 2 calls per second.\n:::\n\n:::tip\n\nSpread calls out.\n\n:::\n",
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(r.html.contains("<aside class=\"admonition admonition-warning\"><p class=\"admonition-title\">Rate limits</p>\n<p>The API allows 2 calls per second.</p>\n</aside>"), "{}", r.html);
        assert!(
            r.html.contains(
                "<aside class=\"admonition admonition-tip\"><p class=\"admonition-title\">Tip</p>"
            ),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("</aside>").count(), 2, "{}", r.html);
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
    fn sanitize_mode_keeps_a_safe_subset() {
        let body = "<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n\n<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\" onclick=\"x\" class=\"skip-link hl-x\">b</a> <iframe src=\"https://e.example\"></iframe>\n";
        let r = run_with(body, RawHtml::Sanitize);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
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
        let r = run_with("[a](https://a.example)\n", RawHtml::Sanitize);
        assert_eq!(
            r.html,
            format!("<p><a href=\"https://a.example\" rel=\"{EXTERNAL_REL}\">a</a></p>\n")
        );
    }

    #[test]
    fn nesting_is_capped_before_any_html_is_made() {
        let r = run_with(&">".repeat(100_000), RawHtml::Escape);
        assert_eq!(codes(&r), ["too-deep"]);
        assert!(r.html.is_empty());
        let r = run_with(&"[".repeat(100_000), RawHtml::Escape);
        assert_eq!(codes(&r), ["too-deep"]);
        let r = run_with(&"- a\n".repeat(3), RawHtml::Escape);
        assert!(r.diagnostics.is_empty());
    }

    /// The sanitiser as an oracle: what marketgen renders from Markdown is already within the
    /// safe subset, so sanitising it changes nothing.
    pub fn assert_within_safe_subset(html: &str) {
        let mut oracle = sanitizer();
        oracle.link_rel(None).add_tag_attributes("a", ["rel"]);
        let normal = |s: &str| scraper::Html::parse_fragment(s).html();
        assert_eq!(normal(&oracle.clean(html).to_string()), normal(html));
    }

    #[test]
    fn rendered_markdown_passes_the_sanitiser_unchanged() {
        let body = "# T\n\n## Setup {#s}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\nA[^1] ~~old~~ `code` **b** [l](https://x.example) [m](../logo.svg) <x@y.example>\n\n[^1]: Note.\n\n```rust\nfn main() {}\n```\n\n:::note Hi\nText <placeholder>.\n:::\n\n![alt](../screenshots/a.png)\n";
        let r = run(body);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_within_safe_subset(&r.html);
    }

    #[test]
    fn html_blocks_with_leading_text_are_still_raw_html() {
        // Found by the property tests: the block's first event is the indentation, as text.
        let r = run_with(
            "-     import X from 'y';\n    <a href=\"javascript:x\">",
            RawHtml::Escape,
        );
        assert!(!r.html.contains("<a href"), "{}", r.html);
        assert!(
            r.html.contains("&lt;a href=\"javascript:x\"&gt;"),
            "{}",
            r.html
        );
        assert_eq!(codes(&r), ["raw-html"]);
    }

    /// Highlights `code` as syntect's own `ClassedHTMLGenerator` does and as marketgen does.
    fn both_highlighters(lang: &str, code: &str) -> (String, String) {
        let syntax = SYNTAXES.find_syntax_by_token(lang).unwrap();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &SYNTAXES,
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        let mut ours = String::new();
        assert!(highlight(syntax, code, &mut ours));
        (generator.finalize(), ours)
    }

    #[test]
    fn highlighting_writes_what_syntects_generator_writes() {
        for (lang, code) in [
            (
                "rust",
                "fn main() {\n    let s = \"<a href='x'>&</a>\";\n}\n",
            ),
            (
                "python",
                "def f():\n    \"\"\"Unclosed\n\n    docstring é\n",
            ),
            (
                "html",
                "<p class=\"a\">x</p>\n<script>\nlet a = 1 < 2;\n</script>\n<style>p { color: red }</style>",
            ),
            (
                "bash",
                "cat <<EOF\n$HOME \"quoted\"\nEOF\r\necho 'ü' # comment\n\n",
            ),
            (
                "json",
                "{\"a\": [1, 2.5e3, true, null], \"b\": \"\\u00e9\"}\n",
            ),
            ("yaml", "key: value\nlist:\n  - \"s\"\n  - &anchor 3\n"),
            ("sql", "SELECT * FROM t WHERE a <> 'x' -- c\n/* open"),
            (
                "xml",
                "<?xml version=\"1.0\"?>\n<a b=\"c\"><![CDATA[<x>]]></a>\n",
            ),
            ("js", "const t = `a ${b + `c`}\nd`;\n// end"),
            (
                "c",
                "#include <stdio.h>\nint main(void) { return '\\0'; }\n",
            ),
            ("rust", ""),
        ] {
            let (theirs, ours) = both_highlighters(lang, code);
            assert_eq!(ours, theirs, "{lang}: {code}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..Default::default()
        })]
        #[test]
        fn highlighting_writes_what_syntects_generator_writes_for_any_text(
            lang in proptest::sample::select(vec!["rust", "python", "html", "bash", "json", "yaml", "sql", "js"]),
            code in "(\\PC|[\"'<>&{}()#/*`\\n\\\\])*",
        ) {
            let (theirs, ours) = both_highlighters(lang, &code);
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn slugs_of_headings() {
        assert_eq!(slugify("Orders & Refunds"), "orders-refunds");
        assert_eq!(slugify("  Über API_keys  "), "über-api-keys");
        assert_eq!(slugify("!!!"), "");
    }
}
