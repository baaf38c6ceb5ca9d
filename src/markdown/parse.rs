//! pulldown-cmark events → the [`Document`] tree, with every decision made on the way: links
//! checked and rewritten, author HTML cut by `raw_html` and kept only as the safe elements,
//! admonitions and MDX read as their authors meant, headings given unique ids, and every
//! problem recorded as a diagnostic.
//!
//! Elements are opened on one stack whatever made them (Markdown, author HTML, an admonition
//! marker, an MDX `<TabItem>`), so the tree is always well nested: when Markdown closes a
//! block, what author HTML or a marker opened inside it is closed too, and the stack's depth
//! is the one nesting limit for all of them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::directives::{self, Marker};
use super::emit::escape_into;
use super::headings::{self, Ids};
use super::links::{self, Bundle, Rules, Target};
use super::raw_html::{self, Name, Token};
use super::tree::{Align, Document, Kind, Node, RawTag};
use super::{Body, FragmentLink, MAX_DEPTH, Policy, RawHtml, Source};
use crate::diag::Diagnostic;

/// "Did you mean" searches per page: each costs the folder's size, and a page of broken
/// links is better told once where it went wrong than a thousand times.
const MAX_SUGGESTIONS: usize = 20;

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn analyse(source: &Source, bundle: &Bundle, policy: &Policy) -> (Body, Vec<Diagnostic>) {
    let mut builder = Builder {
        source,
        bundle,
        policy,
        root: Vec::new(),
        stack: Vec::new(),
        ids: Ids::default(),
        footnotes: HashMap::new(),
        headings: Vec::new(),
        files: BTreeSet::new(),
        anchors: BTreeSet::new(),
        fragment_links: Vec::new(),
        diagnostics: Vec::new(),
        suggestions_left: MAX_SUGGESTIONS,
        kept_depth: 0,
        sanitize: false,
        emptied: Vec::new(),
        stopped: false,
        nodes_left: MAX_NODES_PER_BYTE * source.text.len() + MIN_NODES,
    };
    let body = &source.text[source.body_offset..];
    match too_deep_brackets(body) {
        Some(at) => builder.too_deep(source.body_offset + at),
        None => builder.events(body, &Offsets::single(source.body_offset)),
    }
    builder.finish()
}

struct Builder<'a> {
    source: &'a Source<'a>,
    bundle: &'a Bundle<'a>,
    policy: &'a Policy<'a>,
    root: Vec<Node>,
    stack: Vec<Open>,
    ids: Ids,
    /// Each footnote label met, with its id as published.
    footnotes: HashMap<String, String>,
    headings: Vec<(u8, String, String)>,
    files: BTreeSet<String>,
    /// Every id the page gives an element, as published (percent-encoded).
    anchors: BTreeSet<String>,
    fragment_links: Vec<FragmentLink>,
    diagnostics: Vec<Diagnostic>,
    suggestions_left: usize,
    /// Elements of author HTML kept for the sanitiser and still open: they nest too.
    kept_depth: usize,
    sanitize: bool,
    /// The published ids of headings that an MDX component dropped straight after: when
    /// nothing else comes before the next heading of their level, they head nothing and go too.
    emptied: Vec<String>,
    /// Nesting or size went past its limit: the page is reported once and not written.
    stopped: bool,
    /// Elements and pieces of text the page may still make: a table pads every row to its
    /// header's width, so a short page can otherwise ask for millions of cells.
    nodes_left: usize,
}

/// The node budget: a page makes about one node per few bytes of Markdown.
const MAX_NODES_PER_BYTE: usize = 2;
const MIN_NODES: usize = 4096;

/// An element still open, and what opened it.
struct Open {
    kind: Kind,
    children: Vec<Node>,
    origin: Origin,
    /// Where it was opened, in the file.
    at: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Markdown,
    /// Author HTML, closed by its end tag (`a` for links).
    Raw(&'static str),
    /// `:::` came while a list or quote opened inside the admonition was still open: it
    /// closes as soon as they do.
    Admonition {
        closing: bool,
    },
    /// An MDX `<TabItem>`.
    Section,
}

/// Where the text being parsed lies in the file. HTML blocks inside lists and quotes reach
/// the parser without their line prefixes, so their text is pieces of the file.
struct Offsets {
    /// (start in the text, start in the file), sorted.
    pieces: Vec<(usize, usize)>,
    /// Added to every position first: a slice of the text is parsed on its own.
    shift: usize,
}

impl Offsets {
    fn single(file_start: usize) -> Self {
        Offsets {
            pieces: vec![(0, file_start)],
            shift: 0,
        }
    }

    fn file(&self, at: usize) -> usize {
        let at = at + self.shift;
        let i = self.pieces.partition_point(|(start, _)| *start <= at);
        let (text_start, file_start) = self.pieces[i.saturating_sub(1)];
        file_start + (at - text_start)
    }

    fn range(&self, range: Range<usize>) -> Range<usize> {
        self.file(range.start)..self.file(range.end)
    }

    fn shifted(&self, by: usize) -> Offsets {
        Offsets {
            pieces: self.pieces.clone(),
            shift: self.shift + by,
        }
    }
}

/// An HTML block being collected: its text and where each piece came from.
struct HtmlBlock {
    text: String,
    pieces: Vec<(usize, usize)>,
}

impl<'a> Builder<'a> {
    fn events(&mut self, text: &str, offsets: &Offsets) {
        let mut code: Option<(Option<String>, String)> = None;
        let mut html: Option<HtmlBlock> = None;
        let Some(mut events) = Guarded::new(text) else {
            return self.unreadable(offsets.file(0));
        };
        for (event, range) in events.by_ref() {
            if self.stopped {
                return;
            }
            let at = offsets.range(range);
            if let Some((lang, code_text)) = &mut code {
                match event {
                    Event::Text(t) => code_text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let (lang, text) = (lang.take(), std::mem::take(code_text));
                        code = None;
                        self.append(Node::CodeBlock { lang, text });
                    }
                    _ => {}
                }
                continue;
            }
            if let Some(block) = &mut html {
                match event {
                    Event::Html(h) | Event::Text(h) => {
                        block.pieces.push((block.text.len(), at.start));
                        block.text.push_str(&h);
                    }
                    Event::End(TagEnd::HtmlBlock) => {
                        if let Some(block) = html.take() {
                            self.html_block(block);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    self.block_starts(false);
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split_whitespace().next().map(str::to_string)
                        }
                        CodeBlockKind::Indented => None,
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::HtmlBlock) => {
                    self.block_starts(false);
                    html = Some(HtmlBlock {
                        text: String::new(),
                        pieces: Vec::new(),
                    });
                }
                Event::Start(tag) => self.start(tag, at),
                Event::End(_) => self.end(),
                Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
                Event::Code(t) => self.append(Node::Code(t.into_string())),
                Event::Html(h) | Event::InlineHtml(h) => {
                    for token in raw_html::tokens(&h) {
                        self.raw_token(&h, token, &Offsets::single(at.start));
                    }
                }
                Event::FootnoteReference(label) => {
                    let id = self.footnote_id(&label);
                    self.append(Node::FootnoteReference(id));
                }
                Event::SoftBreak => self.append(Node::SoftBreak),
                Event::HardBreak => self.append(Node::HardBreak),
                Event::Rule => {
                    self.block_starts(false);
                    self.append(Node::Rule);
                }
                Event::TaskListMarker(done) => self.append(Node::TaskMarker(done)),
            }
        }
        if events.failed {
            return self.unreadable(offsets.file(0));
        }
        if let Some(block) = html.take() {
            self.html_block(block);
        }
    }

    fn start(&mut self, tag: Tag, at: Range<usize>) {
        let kind = match tag {
            Tag::Paragraph => {
                self.block_starts(true);
                Kind::Paragraph
            }
            Tag::Heading { level, id, .. } => {
                self.block_starts(true);
                Kind::Heading {
                    level: level as u8,
                    id: id.map(|id| id.to_string()).unwrap_or_default(),
                }
            }
            Tag::BlockQuote(_) => {
                self.block_starts(false);
                Kind::BlockQuote
            }
            Tag::List(start) => {
                self.block_starts(false);
                Kind::List { start }
            }
            Tag::Item => Kind::Item,
            Tag::FootnoteDefinition(label) => {
                self.block_starts(false);
                Kind::FootnoteDefinition {
                    label: self.footnote_id(&label),
                }
            }
            Tag::Table(alignments) => {
                self.block_starts(false);
                Kind::Table {
                    alignments: alignments.into_iter().map(align).collect(),
                }
            }
            Tag::TableHead => Kind::TableHead,
            Tag::TableRow => Kind::TableRow,
            Tag::TableCell => self.table_cell(),
            Tag::Emphasis => Kind::Emphasis,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strikethrough,
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let dest = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                };
                match self.destination(&dest, &at, false) {
                    Some(href) => Kind::Link {
                        href,
                        title: title.into_string(),
                    },
                    None => Kind::Plain,
                }
            }
            Tag::Image {
                dest_url, title, ..
            } => match self.destination(&dest_url, &at, true) {
                Some(src) => Kind::Image {
                    src,
                    title: title.into_string(),
                },
                None => Kind::RefusedImage,
            },
            // Not enabled in the parser's options; kept as their content should they appear.
            _ => Kind::Plain,
        };
        self.push(kind, Origin::Markdown, at);
    }

    fn table_cell(&self) -> Kind {
        let (head, index) = match self.stack.last() {
            Some(row) => (row.kind == Kind::TableHead, row.children.len()),
            None => (false, 0),
        };
        let align = self
            .stack
            .iter()
            .rev()
            .find_map(|open| match &open.kind {
                Kind::Table { alignments } => alignments.get(index).copied(),
                _ => None,
            })
            .unwrap_or(Align::None);
        Kind::TableCell { head, align }
    }

    /// A Markdown block ends: what author HTML and admonitions opened inside it closes too.
    fn end(&mut self) {
        self.item_lines();
        while let Some(top) = self.stack.last() {
            if top.origin == Origin::Markdown {
                break;
            }
            self.close_top(false);
        }
        let Some(open) = self.stack.pop() else {
            return;
        };
        match open.kind {
            Kind::Paragraph => self.paragraph(open),
            Kind::Heading { .. } => self.heading(open),
            _ => self.append(Node::Element(open.kind, open.children)),
        }
        self.close_admonitions_that_asked();
    }

    fn close_admonitions_that_asked(&mut self) {
        while self
            .stack
            .last()
            .is_some_and(|top| top.origin == (Origin::Admonition { closing: true }))
        {
            self.close_top(true);
        }
    }

    /// Closes the innermost open element; `asked` is false when something else closes it
    /// (its container ended, or the page did).
    fn close_top(&mut self, asked: bool) {
        let Some(mut open) = self.stack.pop() else {
            return;
        };
        let mut after = Vec::new();
        if open.origin == (Origin::Admonition { closing: false }) && !asked && !self.stopped {
            self.unclosed_admonition(&open);
            // Never the rest of the page: an admonition without its `:::` ends at the
            // first heading inside it.
            if let Some(heading) = open
                .children
                .iter()
                .position(|n| matches!(n, Node::Element(Kind::Heading { .. }, _)))
            {
                after = open.children.split_off(heading);
            }
        }
        self.append(Node::Element(open.kind, open.children));
        for node in after {
            self.append(node);
        }
    }

    fn unclosed_admonition(&mut self, open: &Open) {
        let range = self.first_line(&open.at);
        self.diagnostics.push(
            Diagnostic::warning("admonition", "this admonition is never closed")
                .at(self.source.file, range, "opened here")
                .with_help(
                    "end it with a line holding only `:::`; until then it ends at the next heading",
                ),
        );
    }

    /// A block of Markdown starts: author phrasing elements still open cannot hold it, and a
    /// `<summary>` holds only a paragraph or a heading.
    fn block_starts(&mut self, paragraph_or_heading: bool) {
        self.item_lines();
        while let Some(top) = self.stack.last() {
            let closes = match (&top.origin, &top.kind) {
                (Origin::Raw(_), Kind::Raw(RawTag::Summary)) => !paragraph_or_heading,
                (Origin::Raw(_), Kind::Raw(RawTag::Details)) => false,
                (Origin::Raw(_), _) => true,
                _ => false,
            };
            if !closes {
                return;
            }
            self.close_top(true);
        }
    }

    fn push(&mut self, kind: Kind, origin: Origin, at: Range<usize>) {
        if self.stopped || !self.spend(&at) {
            return;
        }
        if self.stack.len() + self.kept_depth >= MAX_DEPTH {
            self.too_deep(at.start);
            return;
        }
        self.stack.push(Open {
            kind,
            children: Vec::new(),
            origin,
            at,
        });
    }

    fn append(&mut self, node: Node) {
        if self.stopped {
            return;
        }
        let children = match self.stack.last_mut() {
            Some(open) => &mut open.children,
            None => &mut self.root,
        };
        if let (Node::Text(new), Some(Node::Text(last))) = (&node, children.last_mut()) {
            last.push_str(new);
            return;
        }
        children.push(node);
        if self.nodes_left == 0 {
            self.too_complex();
        }
        self.nodes_left = self.nodes_left.saturating_sub(1);
    }

    /// Takes one node from the budget; false (with the diagnostic) when it is spent.
    fn spend(&mut self, at: &Range<usize>) -> bool {
        if self.nodes_left == 0 {
            self.too_complex_at(at.start);
            return false;
        }
        self.nodes_left -= 1;
        true
    }

    fn too_complex(&mut self) {
        let at = self
            .stack
            .last()
            .map_or(self.source.body_offset, |o| o.at.start);
        self.too_complex_at(at);
    }

    /// The page's one fatal problem: what follows it would only repeat it, so the first stops
    /// the analysis and any later one is dropped.
    fn stop(&mut self, diagnostic: Diagnostic) {
        if !self.stopped {
            self.stopped = true;
            self.diagnostics.push(diagnostic);
        }
    }

    fn too_complex_at(&mut self, at: usize) {
        self.stop(
            Diagnostic::error(
                "too-complex",
                "the page makes far more elements than its size explains",
            )
            .at(self.source.file, at..at, "the page grows too large from here")
            .with_help("a table pads every row to its header's width: give rows their cells, or split the table"),
        );
    }

    fn text(&mut self, text: &str) {
        self.append(Node::Text(text.to_string()));
    }

    fn unreadable(&mut self, at: usize) {
        self.stop(
            Diagnostic::error(
                "unreadable-markdown",
                "the Markdown parser (pulldown-cmark) failed on this page",
            )
            .at(self.source.file, at..at, "in the Markdown from here")
            .with_help("a bug of the parser, most often a heading's `{#id}` line or a `===` underline inside nested quotes or lists: simplify the nesting there, and tell the marketplace team"),
        );
    }

    fn too_deep(&mut self, at: usize) {
        self.stop(
            Diagnostic::error(
                "too-deep",
                format!("the Markdown nests deeper than {MAX_DEPTH} levels"),
            )
            .at(self.source.file, at..at, "too deep here")
            .with_help("flatten the nested quotes, lists, admonitions or HTML elements"),
        );
    }

    /// The first line of `range` (a range in the file): where a caret under a multi-line
    /// block belongs.
    fn first_line(&self, range: &Range<usize>) -> Range<usize> {
        let text = &self.source.text[range.clone()];
        let length = text.find('\n').unwrap_or(text.len());
        range.start..range.start + length
    }

    fn destination(&mut self, dest: &str, at: &Range<usize>, image: bool) -> Option<String> {
        let rules = Rules {
            image_hosts: self.policy.image_hosts,
            suggest: self.suggestions_left > 0,
        };
        let problem = match links::resolve(dest, self.bundle, image, &rules) {
            Ok(Target::Url(url)) => return Some(url),
            Ok(Target::File { file, url }) => {
                self.files.insert(file);
                return Some(url);
            }
            Ok(Target::Anchor {
                page,
                fragment,
                url,
            }) => {
                self.fragment_links.push(FragmentLink {
                    page,
                    fragment,
                    written: dest.to_string(),
                    at: self.first_line(at),
                });
                return Some(url);
            }
            Err(problem) => problem,
        };
        if problem.code == "broken-link" {
            self.suggestions_left = self.suggestions_left.saturating_sub(1);
        }
        let what = if image { "image" } else { "link" };
        let message = format!("{what} to `{}`: {}", dest.escape_debug(), problem.message);
        let diagnostic = match problem.warning {
            true => Diagnostic::warning(problem.code, message),
            false => Diagnostic::error(problem.code, message),
        };
        let range = self.first_line(at);
        self.diagnostics.push(
            diagnostic
                .at(self.source.file, range, problem.label)
                .with_help(problem.help),
        );
        problem.shown
    }

    fn paragraph(&mut self, open: Open) {
        self.lines(open.children, &open.at, false);
    }

    /// The text a tight list item holds directly (it has no paragraph), which may hold markers
    /// and statements too: read while the item is still open.
    fn item_lines(&mut self) {
        let Some(item) = self.stack.last_mut().filter(|o| o.kind == Kind::Item) else {
            return;
        };
        let run_start = item
            .children
            .iter()
            .rposition(is_block)
            .map_or(0, |i| i + 1);
        let directive = item.children[run_start..].iter().any(|node| {
            matches!(node, Node::Text(t) if t.contains(":::") || t.contains("import ") || t.contains("export "))
        });
        if !directive {
            return;
        }
        let run = item.children.split_off(run_start);
        let at = item.at.clone();
        self.lines(run, &at, true);
    }

    /// Lines of inline content, some of which may be admonition markers or MDX statements:
    /// those act on the stack, and the lines between them stay paragraphs (or, in a tight list
    /// item, its text).
    fn lines(&mut self, nodes: Vec<Node>, at: &Range<usize>, tight: bool) {
        let starts = self.line_starts(at);
        let mut lines: Vec<(Option<Node>, Vec<Node>)> = vec![(None, Vec::new())];
        for node in nodes {
            match node {
                Node::SoftBreak | Node::HardBreak => lines.push((Some(node), Vec::new())),
                node => {
                    if let Some((_, line)) = lines.last_mut() {
                        line.push(node);
                    }
                }
            }
        }
        let mut paragraph: Vec<Node> = Vec::new();
        let mut statement: Option<i64> = None;
        for (index, (separator, line)) in lines.into_iter().enumerate() {
            let text = line_text(&line);
            if let Some(open_brackets) = statement {
                let open_brackets =
                    directives::bracket_balance(&text.unwrap_or_default(), open_brackets);
                statement = (open_brackets > 0).then_some(open_brackets);
                continue;
            }
            if let Some(text) = &text {
                if directives::starts_statement(text) {
                    let open_brackets = directives::bracket_balance(text, 0);
                    statement = (open_brackets > 0).then_some(open_brackets);
                    continue;
                }
                if let Some((kind, inside)) = directives::one_line(text)
                    && let Some(body) = one_line_body(line.clone(), text, inside)
                {
                    self.flush_lines(&mut paragraph, tight);
                    let start = starts.get(index).copied().unwrap_or(at.start);
                    self.one_line_admonition(kind, body, start..start + text.len());
                    if self.stopped {
                        return;
                    }
                    continue;
                }
                if let Some(marker) = directives::marker(text) {
                    self.flush_lines(&mut paragraph, tight);
                    let start = starts.get(index).copied().unwrap_or(at.start);
                    self.marker(marker, start..start + text.len());
                    if self.stopped {
                        return;
                    }
                    continue;
                }
            }
            if let Some(separator) = separator.filter(|_| !paragraph.is_empty()) {
                paragraph.push(separator);
            }
            paragraph.extend(line);
        }
        self.flush_lines(&mut paragraph, tight);
    }

    /// Lines between markers: a paragraph, or the text of the tight list item they are in.
    fn flush_lines(&mut self, nodes: &mut Vec<Node>, tight: bool) {
        if nodes.is_empty() {
            return;
        }
        let in_item = self.stack.last().is_some_and(|o| o.kind == Kind::Item);
        if tight && in_item {
            for node in std::mem::take(nodes) {
                self.append(node);
            }
        } else {
            self.append(Node::Element(Kind::Paragraph, std::mem::take(nodes)));
        }
    }

    /// Where each line of a block starts in the file. A line ends as CommonMark ends one, at
    /// `\n`, `\r\n` or a lone `\r`, so that the lines counted here are the parser's.
    fn line_starts(&self, at: &Range<usize>) -> Vec<usize> {
        let text = self.source.text[at.clone()].as_bytes();
        let ends = text
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n')));
        std::iter::once(at.start)
            .chain(ends.map(|(i, _)| at.start + i + 1))
            .collect()
    }

    fn marker(&mut self, marker: Marker, at: Range<usize>) {
        match marker {
            Marker::Open { kind, title } => self.push(
                Kind::Admonition { kind, title },
                Origin::Admonition { closing: false },
                at,
            ),
            Marker::Close => self.close_admonition(at),
        }
    }

    /// `:::note Text :::`: a note holding the text, under the kind's own title.
    fn one_line_admonition(&mut self, kind: &'static str, body: Vec<Node>, at: Range<usize>) {
        let title = match directives::marker(&format!(":::{kind}")) {
            Some(Marker::Open { title, .. }) => title,
            _ => kind.to_string(),
        };
        self.push(
            Kind::Admonition { kind, title },
            Origin::Admonition { closing: false },
            at,
        );
        if self.stopped {
            return;
        }
        self.append(Node::Element(Kind::Paragraph, body));
        self.close_top(true);
    }

    /// `:::`: closes the innermost admonition now, or, when a list or quote opened inside it
    /// is still open, as soon as they close.
    fn close_admonition(&mut self, at: Range<usize>) {
        let innermost = self
            .stack
            .iter()
            .rposition(|open| matches!(open.origin, Origin::Admonition { closing: false }));
        let Some(index) = innermost else {
            self.diagnostics.push(
                Diagnostic::warning("admonition", "`:::` closes no admonition")
                    .at(self.source.file, at, "nothing to close")
                    .with_help("remove the line, or open an admonition before it with `:::note`"),
            );
            return;
        };
        let markdown_inside = self.stack[index + 1..]
            .iter()
            .any(|open| open.origin == Origin::Markdown);
        if markdown_inside {
            self.stack[index].origin = Origin::Admonition { closing: true };
            return;
        }
        while self.stack.len() > index + 1 {
            self.close_top(true);
        }
        self.close_top(true);
    }

    fn heading(&mut self, open: Open) {
        let Kind::Heading { level, id } = open.kind else {
            return;
        };
        let text = Node::plain_text(&open.children).trim().to_string();
        if level == 1
            && self.root.is_empty()
            && self.stack.is_empty()
            && headings::repeats_title(&text, self.source.title)
        {
            return;
        }
        // The page's own title is its one `h1`: any other top-level heading of the docs is a
        // section of the page, and the levels below it stay in order.
        let level = level.max(2);
        let id = self
            .ids
            .claim((!id.is_empty()).then_some(id.as_str()), &text);
        self.anchors.insert(links::encoded(&id));
        let id = headings::published_id(&id).into_owned();
        if (2..=3).contains(&level) {
            self.headings.push((level, id.clone(), text));
        }
        self.append(Node::Element(Kind::Heading { level, id }, open.children));
    }

    /// An HTML block: author HTML, or MDX components around Markdown.
    fn html_block(&mut self, block: HtmlBlock) {
        let offsets = Offsets {
            pieces: block.pieces,
            shift: 0,
        };
        let tokens = raw_html::tokens(&block.text);
        let component = |t: &Token| match t {
            Token::Start(tag) => is_component(tag.name),
            Token::End { name, .. } => is_component(name),
            _ => false,
        };
        if tokens.iter().any(component) {
            return self.component_block(&block.text, tokens, &offsets, is_component);
        }
        if self.policy.raw_html == RawHtml::Escape
            && let Some(first) = tokens.iter().find(|t| self.is_refused(t))
        {
            let start = offsets.file(token_range(first).start);
            let line = &self.source.text[start..];
            self.refused_html(start..start + line.find('\n').unwrap_or(line.len()));
            let shown: String = tokens
                .iter()
                .filter(|t| !matches!(t, Token::Comment { .. }))
                .map(|t| &block.text[token_range(t)])
                .collect();
            let shown = shown.trim_matches('\n');
            if !shown.trim().is_empty() {
                self.append(Node::CodeBlock {
                    lang: None,
                    text: format!("{shown}\n"),
                });
            }
            return;
        }
        // MDX reads what lies between a `<details>`'s tags as Markdown (a link in its
        // `<summary>`, a code fence in its body), where CommonMark would leave it text.
        if tokens.iter().any(|t| match t {
            Token::Start(tag) => is_block_tag(tag.name),
            Token::End { name, .. } => is_block_tag(name),
            _ => false,
        }) {
            return self.component_block(&block.text, tokens, &offsets, is_block_tag);
        }
        let depth = self.stack.len();
        for token in tokens {
            match token {
                Token::Text(range) => self.block_text(&block.text, range, &offsets),
                token => self.raw_token(&block.text, token, &offsets),
            }
        }
        // Phrasing elements close with the block they opened in.
        while self.stack.len() > depth
            && matches!(self.stack.last().map(|o| (&o.origin, &o.kind)), Some((Origin::Raw(_), kind)) if *kind != Kind::Raw(RawTag::Details) && *kind != Kind::Raw(RawTag::Summary))
        {
            self.close_top(true);
        }
    }

    /// Text of an HTML block, where a line may be an admonition marker.
    fn block_text(&mut self, whole: &str, range: Range<usize>, offsets: &Offsets) {
        let mut pending = String::new();
        let mut at = range.start;
        for line in whole[range].split_inclusive('\n') {
            match directives::marker(line) {
                Some(marker) => {
                    self.block_text_run(&mut pending);
                    let start = offsets.file(at);
                    self.marker(marker, start..start + line.trim_end().len());
                }
                None => pending.push_str(line),
            }
            at += line.len();
        }
        self.block_text_run(&mut pending);
    }

    fn block_text_run(&mut self, pending: &mut String) {
        if !pending.trim().is_empty() {
            let decoded = html_escape::decode_html_entities(pending.as_str()).into_owned();
            self.text(&decoded);
        }
        pending.clear();
    }

    /// MDX: the tags that `splits` names act (a `<TabItem>` is a section, a `<details>` an
    /// element) or vanish, and what lies between them is Markdown, as MDX reads it.
    fn component_block(
        &mut self,
        text: &str,
        tokens: Vec<Token>,
        offsets: &Offsets,
        splits: fn(&str) -> bool,
    ) {
        let mut piece_start = 0;
        for token in tokens {
            let range = match &token {
                Token::Start(tag) if splits(tag.name) => tag.range.clone(),
                Token::End { name, range } if splits(name) => range.clone(),
                _ => continue,
            };
            self.markdown_piece(text, piece_start..range.start, offsets);
            let at = offsets.range(range.clone());
            match &token {
                Token::Start(tag) if is_component(tag.name) => self.component_start(tag, at),
                Token::End { name, .. } if is_component(name) => self.component_end(name),
                Token::Start(tag) => self.html_start(text, tag, at),
                Token::End { name, range } => self.html_end(text, name, range.clone(), at),
                _ => {}
            }
            piece_start = range.end;
        }
        self.markdown_piece(text, piece_start..text.len(), offsets);
    }

    /// The Markdown between two tags of a block, without the indentation its lines share:
    /// MDX has no indented code, so a list indented under its component is still a list.
    fn markdown_piece(&mut self, whole: &str, range: Range<usize>, offsets: &Offsets) {
        let text = &whole[range.clone()];
        // A piece that starts after a tag on the same line: its first line's indentation is
        // not the block's.
        let skip_first = range.start > 0 && !whole[..range.start].ends_with('\n');
        let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
        let common = text
            .split_inclusive('\n')
            .skip(usize::from(skip_first))
            .filter(|line| !line.trim().is_empty())
            .map(indent)
            .min()
            .unwrap_or(0);
        if common == 0 {
            return self.events(text, &offsets.shifted(range.start));
        }
        let mut dedented = String::with_capacity(text.len());
        let mut pieces = Vec::new();
        let mut at = range.start;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let cut = match i == 0 && skip_first {
                true => 0,
                false => common.min(indent(line)),
            };
            pieces.push((dedented.len(), offsets.file(at + cut)));
            dedented.push_str(&line[cut..]);
            at += line.len();
        }
        self.events(&dedented, &Offsets { pieces, shift: 0 });
    }

    fn component_start(&mut self, tag: &raw_html::Tag, at: Range<usize>) {
        if tag.name != "TabItem" {
            self.component_dropped();
        }
        if tag.self_closing {
            let range = self.first_line(&at);
            self.diagnostics.push(
                Diagnostic::warning(
                    "mdx",
                    format!("the MDX component `{}` was dropped", tag.name),
                )
                .at(self.source.file, range, "not shown")
                .with_help("marketgen shows Markdown, not MDX components: write what the component showed as Markdown"),
            );
            return;
        }
        if tag.name == "TabItem" {
            let label = tag
                .attribute("label")
                .or_else(|| tag.attribute("value"))
                .map(|l| l.trim_matches(|c| "{}\"'` ".contains(c)).to_string())
                .unwrap_or_default();
            self.block_starts(false);
            self.push(Kind::Section { label }, Origin::Section, at);
        }
    }

    fn component_end(&mut self, name: &str) {
        if name != "TabItem" {
            self.component_dropped();
        }
        if name == "TabItem"
            && let Some(index) = self.reachable(|origin| origin == Origin::Section)
        {
            self.close_down_to(index);
        }
    }

    /// A component's tag went where it stood: the heading just before it may head nothing.
    fn component_dropped(&mut self) {
        // A component written inline opens a paragraph that stays empty.
        let container = self
            .stack
            .iter()
            .rposition(|open| open.kind != Kind::Paragraph || !open.children.iter().all(is_blank));
        let children = match container {
            Some(index) => &self.stack[index].children,
            None => &self.root,
        };
        if let Some(Node::Element(Kind::Heading { id, .. }, _)) = children.last() {
            self.emptied.push(id.clone());
        }
    }

    /// Drops the [`Builder::emptied`] headings that head nothing, with their entries in the
    /// table of contents and their ids as link targets.
    fn drop_empty_headings(&mut self) {
        let emptied: HashSet<&str> = self.emptied.iter().map(String::as_str).collect();
        let mut dropped = BTreeSet::new();
        drop_headings(&mut self.root, &emptied, &mut dropped);
        self.headings.retain(|(_, id, _)| !dropped.contains(id));
        for id in &dropped {
            self.anchors.remove(&links::encoded(unpublished(id)));
        }
    }

    /// The innermost open element that `wanted` accepts, looking only past author HTML: an end
    /// tag never closes Markdown, an admonition or anything outside them.
    fn reachable(&self, wanted: impl Fn(Origin) -> bool) -> Option<usize> {
        for (i, open) in self.stack.iter().enumerate().rev() {
            if wanted(open.origin) {
                return Some(i);
            }
            if !matches!(open.origin, Origin::Raw(_)) {
                return None;
            }
        }
        None
    }

    fn close_down_to(&mut self, index: usize) {
        while self.stack.len() > index {
            self.close_top(true);
        }
    }

    fn raw_token(&mut self, text: &str, token: Token, offsets: &Offsets) {
        let at = offsets.range(token_range(&token));
        match token {
            Token::Text(range) => self.text(&html_escape::decode_html_entities(&text[range])),
            Token::Comment { closed: true, .. } => {}
            Token::Comment { closed: false, .. } => {
                let range = self.first_line(&at);
                self.diagnostics.push(
                    Diagnostic::warning("raw-html", "this HTML comment is never closed")
                        .at(self.source.file, range, "hides the rest of the block")
                        .with_help("end the comment with `-->`"),
                );
            }
            Token::Other(range) => self.refused(&text[range], at, false),
            Token::Start(tag) => match raw_html::classify(tag.name) {
                Name::Component => self.component_start(&tag, at),
                Name::Placeholder => self.text(&text[tag.range.clone()]),
                Name::Html => self.html_start(text, &tag, at),
            },
            Token::End { name, range } => match raw_html::classify(name) {
                Name::Component => self.component_end(name),
                Name::Placeholder => self.text(&text[range]),
                Name::Html => self.html_end(text, name, range, at),
            },
            Token::Unclosed(range) => {
                let first_line = self.first_line(&at);
                self.diagnostics.push(
                    Diagnostic::warning("raw-html", "this HTML tag is never closed")
                        .at(
                            self.source.file,
                            first_line,
                            "no `>` before the HTML block ends",
                        )
                        .with_help("end the tag with `>`, or write `&lt;` to show a `<` as text"),
                );
                self.text(&text[range]);
            }
        }
    }

    /// Whether the default mode shows this token as text.
    fn is_refused(&self, token: &Token) -> bool {
        match token {
            Token::Other(_) => true,
            Token::Start(tag) => {
                raw_html::classify(tag.name) == Name::Html
                    && !is_safe(&tag.name.to_ascii_lowercase())
            }
            Token::End { name, .. } => {
                raw_html::classify(name) == Name::Html && !is_safe(&name.to_ascii_lowercase())
            }
            _ => false,
        }
    }

    fn html_start(&mut self, text: &str, tag: &raw_html::Tag, at: Range<usize>) {
        let name = tag.name.to_ascii_lowercase();
        if is_safe(&name)
            && let Some((handler, _)) = tag
                .attributes
                .iter()
                .find(|(n, _)| n.len() > 2 && n[..2].eq_ignore_ascii_case("on"))
        {
            let range = self.first_line(&at);
            self.diagnostics.push(
                Diagnostic::warning("raw-html", format!("the `{handler}` attribute was dropped"))
                    .at(self.source.file, range, "event handlers never reach a page")
                    .with_help("remove the attribute: only a link's `href` and an image's `src` and `alt` are kept"),
            );
        }
        match name.as_str() {
            "br" => self.append(Node::LineBreak),
            "img" => self.raw_image(tag, &at),
            "iframe" => self.frame(tag, &at),
            "a" if !tag.self_closing && !self.in_link() => {
                let kind = match tag.attribute("href") {
                    Some(href) => match self.destination(&href, &at, false) {
                        Some(href) => Kind::Link {
                            href,
                            title: String::new(),
                        },
                        None => Kind::Plain,
                    },
                    None => Kind::Plain,
                };
                self.push(kind, Origin::Raw("a"), at);
            }
            "a" => {}
            name => match RawTag::from_name(name) {
                Some(raw) if !tag.self_closing && self.allows(raw) => {
                    self.push(Kind::Raw(raw), Origin::Raw(raw.name()), at)
                }
                Some(_) => {}
                None if self.policy.raw_html == RawHtml::Sanitize => {
                    let kept = self.kept_tag(tag, &at);
                    self.refused(&kept, at, !tag.self_closing)
                }
                None => self.refused(&text[tag.range.clone()], at, !tag.self_closing),
            },
        }
    }

    fn html_end(&mut self, text: &str, name: &str, range: Range<usize>, at: Range<usize>) {
        let name = name.to_ascii_lowercase();
        if name == "br" {
            return self.append(Node::LineBreak);
        }
        let known = match name.as_str() {
            "a" => Some("a"),
            name => RawTag::from_name(name).map(RawTag::name),
        };
        match known {
            Some(name) => self.close_raw(name),
            None if name == "img" || name == "iframe" => {}
            None => {
                if self.policy.raw_html == RawHtml::Sanitize {
                    self.kept_depth = self.kept_depth.saturating_sub(1);
                }
                self.refused(&text[range], at, false);
            }
        }
    }

    fn in_link(&self) -> bool {
        self.stack
            .iter()
            .any(|open| matches!(open.kind, Kind::Link { .. }) || open.origin == Origin::Raw("a"))
    }

    /// Where the safe elements may stand: `details` where a block may, `summary` first in a
    /// `details`, the rest inside text.
    fn allows(&self, raw: RawTag) -> bool {
        let top = self.stack.last();
        match raw {
            RawTag::Summary => top.is_some_and(|t| {
                t.kind == Kind::Raw(RawTag::Details) && t.children.iter().all(is_blank)
            }),
            RawTag::Details => top.is_none_or(|t| {
                matches!(
                    t.kind,
                    Kind::Item
                        | Kind::BlockQuote
                        | Kind::Admonition { .. }
                        | Kind::Section { .. }
                        | Kind::Raw(RawTag::Details)
                        | Kind::FootnoteDefinition { .. }
                        | Kind::TableCell { .. }
                )
            }),
            _ => true,
        }
    }

    fn close_raw(&mut self, name: &'static str) {
        if let Some(index) = self.reachable(|origin| origin == Origin::Raw(name)) {
            self.close_down_to(index);
        }
    }

    fn raw_image(&mut self, tag: &raw_html::Tag, at: &Range<usize>) {
        let Some(src) = tag.attribute("src") else {
            return;
        };
        let alt = vec![Node::Text(tag.attribute("alt").unwrap_or_default())];
        match self.destination(&src, at, true) {
            Some(src) => self.append(Node::Element(
                Kind::Image {
                    src,
                    title: String::new(),
                },
                alt,
            )),
            None => self.append(Node::Element(Kind::RefusedImage, alt)),
        }
    }

    /// An `<iframe>`: never published (a frame runs another site inside the page), so a link
    /// to what it shows, named by its `title`, stands in its place.
    fn frame(&mut self, tag: &raw_html::Tag, at: &Range<usize>) {
        let Some(src) = tag.attribute("src") else {
            return;
        };
        let page = framed_page(src.trim());
        let Some(href) = self.destination(&page, at, false) else {
            return;
        };
        let title = tag.attribute("title").unwrap_or_default();
        let text = match title.trim() {
            "" => page,
            title => title.to_string(),
        };
        let link = Node::Element(
            Kind::Link {
                href,
                title: String::new(),
            },
            vec![Node::Text(text)],
        );
        let in_text = self.stack.last().is_some_and(|open| {
            !matches!(
                open.kind,
                Kind::BlockQuote
                    | Kind::Admonition { .. }
                    | Kind::Section { .. }
                    | Kind::Raw(RawTag::Details)
                    | Kind::FootnoteDefinition { .. }
            )
        });
        match in_text {
            true => self.append(link),
            false => self.append(Node::Element(Kind::Paragraph, vec![link])),
        }
    }

    /// An author tag as the sanitiser will read it: every attribute quoted, so that no value
    /// (a JSX `{expression}` with spaces) can hide another attribute; `name` dropped; and the
    /// first `id` made one of the page's own: unique on the page, published by the rule of
    /// every content id (never one the theme uses), and a target `#fragment` links are checked
    /// against. An id on an element the sanitiser removes is dropped with it.
    fn kept_tag(&mut self, tag: &raw_html::Tag, at: &Range<usize>) -> String {
        let mut out = format!("<{}", tag.name);
        let mut id_seen = false;
        for (name, value) in &tag.attributes {
            let value = value.map(raw_html::decoded);
            if name.eq_ignore_ascii_case("id") {
                // A browser keeps an attribute's first occurrence only.
                if std::mem::replace(&mut id_seen, true) {
                    continue;
                }
                if let Some(id) = value.filter(|id| !id.is_empty() && kept_element(tag.name))
                    && self.author_id(&id, at)
                {
                    out.push_str(" id=\"");
                    escape_into(&mut out, &headings::published_id(&id));
                    out.push('"');
                }
                continue;
            }
            if name.eq_ignore_ascii_case("name") || name.starts_with('{') {
                continue;
            }
            out.push(' ');
            out.push_str(name);
            if let Some(value) = value {
                out.push_str("=\"");
                escape_into(&mut out, &value);
                out.push('"');
            }
        }
        out.push_str(if tag.self_closing { " />" } else { ">" });
        out
    }

    /// The id of the footnote `label`, its definition's and its references': claimed on the
    /// page like a heading's, the first time the label is met, so that `[^main]` and
    /// `## Heading {#main}` on one page are two ids, not one id twice (whose references would
    /// reach the heading).
    fn footnote_id(&mut self, label: &str) -> String {
        if let Some(id) = self.footnotes.get(label) {
            return id.clone();
        }
        let id = match self.ids.claim_exact(label) {
            true => label.to_string(),
            false => self.ids.claim(Some(label), label),
        };
        self.anchors.insert(links::encoded(&id));
        let published = headings::published_id(&id).into_owned();
        self.footnotes.insert(label.to_string(), published.clone());
        published
    }

    /// Claims an author element's id; false, with a warning, when the page already has it.
    fn author_id(&mut self, id: &str, at: &Range<usize>) -> bool {
        if self.ids.claim_exact(id) {
            self.anchors.insert(links::encoded(id));
            return true;
        }
        let range = self.first_line(at);
        self.diagnostics.push(
            Diagnostic::warning(
                "raw-html",
                format!(
                    "the id `{}` is already used on this page",
                    id.escape_debug()
                ),
            )
            .at(self.source.file, range, "id dropped")
            .with_help("give the element an id of its own: links to an id reach its first element"),
        );
        false
    }

    /// Author HTML outside the safe set: text with a warning, or kept for the sanitiser.
    fn refused(&mut self, source: &str, at: Range<usize>, opens: bool) {
        if self.policy.raw_html == RawHtml::Sanitize {
            self.sanitize = true;
            if opens {
                self.kept_depth += 1;
                if self.stack.len() + self.kept_depth > MAX_DEPTH {
                    return self.too_deep(at.start);
                }
            }
            return self.append(Node::Kept(source.to_string()));
        }
        self.refused_html(at);
        self.text(source);
    }

    fn refused_html(&mut self, at: Range<usize>) {
        let range = self.first_line(&at);
        self.diagnostics.push(
            Diagnostic::warning("raw-html", "raw HTML in Markdown")
                .at(self.source.file, range, "shown as text")
                .with_help("write Markdown instead; the HTML is shown as text (details, summary, br, kbd, sub, sup, b, i, em, strong, code, and links and images, are shown as HTML; a marketplace can allow more with `markdown.raw_html: sanitize` in site.yaml)"),
        );
    }

    fn finish(mut self) -> (Body, Vec<Diagnostic>) {
        while !self.stack.is_empty() {
            self.close_top(false);
        }
        if self.stopped {
            self.root.clear();
        } else if !self.emptied.is_empty() {
            self.drop_empty_headings();
        }
        let body = Body {
            document: Document {
                nodes: self.root,
                sanitize: self.sanitize,
            },
            toc: headings::toc(self.headings),
            files: self.files,
            anchors: self.anchors,
            fragment_links: self.fragment_links,
        };
        (body, self.diagnostics)
    }
}

thread_local! {
    /// Set while pulldown-cmark runs on this thread: a panic then is reported as a diagnostic.
    static PARSING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// pulldown-cmark's events, each taken under `catch_unwind`: 0.13.6 panics on some inputs
/// (`>>o\n> {}\n>>=`: a setext heading's attribute line in nested quotes slices its text
/// backwards), and a bug of the parser must cost one page an error, not the whole run. Only
/// the parser's own calls are guarded, so a panic of marketgen's code still fails the tests
/// that look for one. The panic hook (installed once, passing every other panic on) keeps a
/// caught panic's message off stderr, where only `diag::emit` prints about content.
struct Guarded<'t> {
    inner: pulldown_cmark::OffsetIter<'t, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// The parser panicked: it is not asked again, and the page is unreadable.
    failed: bool,
}

impl<'t> Guarded<'t> {
    fn new(text: &'t str) -> Option<Self> {
        let inner = quietly_caught(|| Parser::new_ext(text, parser_options()).into_offset_iter())?;
        Some(Guarded {
            inner,
            failed: false,
        })
    }
}

impl<'t> Iterator for Guarded<'t> {
    type Item = (Event<'t>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let inner = &mut self.inner;
        let next = quietly_caught(std::panic::AssertUnwindSafe(|| inner.next()));
        self.failed = next.is_none();
        next.flatten()
    }
}

fn quietly_caught<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PARSING.get() {
                previous(info);
            }
        }));
    });
    PARSING.set(true);
    let result = std::panic::catch_unwind(f);
    PARSING.set(false);
    result.ok()
}

/// Whether the sanitiser keeps an element (its content aside).
fn kept_element(name: &str) -> bool {
    static KEPT: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| super::sanitizer().clone_tags());
    KEPT.contains(name.to_ascii_lowercase().as_str())
}

fn is_component(name: &str) -> bool {
    raw_html::classify(name) == Name::Component
}

fn is_block(node: &Node) -> bool {
    match node {
        Node::Element(kind, _) => !matches!(
            kind,
            Kind::Emphasis
                | Kind::Strong
                | Kind::Strikethrough
                | Kind::Link { .. }
                | Kind::Plain
                | Kind::Image { .. }
                | Kind::RefusedImage
                | Kind::Raw(_)
        ),
        Node::CodeBlock { .. } | Node::Rule => true,
        _ => false,
    }
}

/// Removes from `nodes` (and the elements in them) each heading `emptied` names that is
/// followed by nothing, or by a heading of its level or above; their ids go to `dropped`.
/// Read from the end, so a heading left empty by the one dropped under it goes too.
fn drop_headings(nodes: &mut Vec<Node>, emptied: &HashSet<&str>, dropped: &mut BTreeSet<String>) {
    for node in nodes.iter_mut() {
        if let Node::Element(kind, children) = node
            && !matches!(kind, Kind::Heading { .. })
        {
            drop_headings(children, emptied, dropped);
        }
    }
    let mut kept: Vec<Node> = Vec::with_capacity(nodes.len());
    // The level of the heading that follows, if a heading follows; 0 when the end does.
    let mut next_level = Some(0u8);
    for node in std::mem::take(nodes).into_iter().rev() {
        if let Node::Element(Kind::Heading { level, id }, _) = &node {
            if emptied.contains(id.as_str()) && next_level.is_some_and(|next| next <= *level) {
                dropped.insert(id.clone());
                continue;
            }
            next_level = Some(*level);
        } else if !is_blank(&node) {
            next_level = None;
        }
        kept.push(node);
    }
    kept.reverse();
    *nodes = kept;
}

/// The id that [`headings::published_id`] made `published` of: it adds `doc-` to some ids
/// and never makes two ids one.
fn unpublished(published: &str) -> &str {
    match published.strip_prefix("doc-") {
        Some(id) if headings::published_id(id) == published => id,
        _ => published,
    }
}

/// Author HTML elements that hold blocks: Markdown between their tags is read as Markdown.
fn is_block_tag(name: &str) -> bool {
    name.eq_ignore_ascii_case("details") || name.eq_ignore_ascii_case("summary")
}

fn is_blank(node: &Node) -> bool {
    matches!(node, Node::Text(t) if t.trim().is_empty())
}

fn is_safe(name: &str) -> bool {
    matches!(name, "a" | "img" | "br" | "iframe") || RawTag::from_name(name).is_some()
}

/// The page an embedded frame shows, as a visitor opens it: a YouTube player's video page
/// rather than the bare player.
fn framed_page(src: &str) -> String {
    let Ok(url) = url::Url::parse(src) else {
        return src.to_string();
    };
    let youtube = matches!(
        url.host_str(),
        Some(
            "www.youtube.com" | "youtube.com" | "www.youtube-nocookie.com" | "youtube-nocookie.com"
        )
    );
    let video = url.path().strip_prefix("/embed/").filter(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    match (youtube, video) {
        (true, Some(id)) => format!("https://www.youtube.com/watch?v={id}"),
        _ => src.to_string(),
    }
}

fn token_range(token: &Token) -> Range<usize> {
    match token {
        Token::Text(range)
        | Token::Comment { range, .. }
        | Token::Other(range)
        | Token::End { range, .. }
        | Token::Unclosed(range) => range.clone(),
        Token::Start(tag) => tag.range.clone(),
    }
}

/// The inline content of a one-line admonition's `line`, whose plain text is `text` and whose
/// admonition text is `inside` of it: the markers stand in its first and last text nodes, and
/// `None` when they do not (a marker inside code is no marker).
fn one_line_body(mut line: Vec<Node>, text: &str, inside: Range<usize>) -> Option<Vec<Node>> {
    let after_end = text.len() - inside.end;
    match line.first_mut() {
        Some(Node::Text(first)) if first.len() >= inside.start => {
            first.drain(..inside.start);
        }
        _ => return None,
    }
    match line.last_mut() {
        Some(Node::Text(last)) if last.len() >= after_end => {
            last.truncate(last.len() - after_end);
        }
        _ => return None,
    }
    if let Some(Node::Text(first)) = line.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(Node::Text(last)) = line.last_mut() {
        last.truncate(last.trim_end().len());
    }
    line.retain(|node| !matches!(node, Node::Text(t) if t.is_empty()));
    Some(line)
}

/// The text of a line when it is text only, or starts as an admonition marker (whose title
/// may be formatted).
fn line_text(line: &[Node]) -> Option<String> {
    match line.first() {
        Some(Node::Text(first)) if first.trim_start().starts_with(":::") => {
            Some(Node::plain_text(line))
        }
        _ => line
            .iter()
            .map(|node| match node {
                Node::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect(),
    }
}

fn align(alignment: pulldown_cmark::Alignment) -> Align {
    match alignment {
        pulldown_cmark::Alignment::None => Align::None,
        pulldown_cmark::Alignment::Left => Align::Left,
        pulldown_cmark::Alignment::Center => Align::Center,
        pulldown_cmark::Alignment::Right => Align::Right,
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
