//! The analysed [`Document`] written as HTML: render's side of the Markdown. Every decision was
//! made by `parse`; this only writes, and finds no problem.
//!
//! What it writes stays within the safe subset that [`sanitizer`] keeps (the tests hold it to
//! that): no `style`, only the theme's classes, and a labelled, focusable box around every
//! table and code block so a keyboard can scroll it.

use std::collections::HashMap;

use super::headings::is_theme_id;
use super::highlight;
use super::links::is_external;
use super::tree::{Align, Document, Kind, Node, RawTag};

/// `rel` on every link that leaves the site: content links are third-party.
pub const EXTERNAL_REL: &str = "noopener noreferrer nofollow ugc";

/// The page's HTML.
pub fn html(document: &Document) -> String {
    let mut writer = Writer {
        out: String::new(),
        footnotes: HashMap::new(),
        code_blocks: 0,
    };
    writer.nodes(&document.nodes, Parent::Block);
    if document.sanitize {
        return sanitizer().clean(&writer.out).to_string();
    }
    writer.out
}

struct Writer<'d> {
    out: String,
    /// Footnote numbers, in the order their label first appears (as pulldown-cmark numbers them).
    footnotes: HashMap<&'d str, usize>,
    /// Code blocks written so far: each box is a region, and regions on a page need distinct
    /// names (axe's `landmark-unique`), so each is numbered.
    code_blocks: usize,
}

/// What the nodes are written into, where it changes how they are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parent {
    Block,
    /// A `<summary>` holds no paragraph: its paragraphs are written as their text.
    Summary,
    /// Inside a link: a link in it is written as its text (links do not nest).
    Link,
}

impl<'d> Writer<'d> {
    fn nodes(&mut self, nodes: &'d [Node], parent: Parent) {
        for node in nodes {
            self.node(node, parent);
        }
    }

    fn node(&mut self, node: &'d Node, parent: Parent) {
        match node {
            Node::Element(kind, children) => self.element(kind, children, parent),
            Node::Text(text) => escape_into(&mut self.out, text),
            Node::Code(code) => {
                self.out.push_str("<code>");
                escape_into(&mut self.out, code);
                self.out.push_str("</code>");
            }
            Node::CodeBlock { lang, text } => {
                self.code_blocks += 1;
                self.out.push_str(
                    "<div class=\"scroll-box\" role=\"region\" tabindex=\"0\" aria-label=\"Code sample ",
                );
                self.out.push_str(&self.code_blocks.to_string());
                if let Some(lang) = lang.as_deref().filter(|l| !l.is_empty()) {
                    self.out.push_str(" (");
                    escape_into(&mut self.out, lang);
                    self.out.push(')');
                }
                self.out.push_str("\"><pre class=\"code\"><code>");
                highlight::code_block(lang.as_deref(), text, &mut self.out);
                self.out.push_str("</code></pre></div>\n");
            }
            Node::SoftBreak => self.out.push('\n'),
            Node::HardBreak => self.out.push_str("<br>\n"),
            Node::LineBreak => self.out.push_str("<br>"),
            Node::Rule => self.out.push_str("<hr>\n"),
            // A named box: screen readers otherwise announce an unlabelled checkbox.
            Node::TaskMarker(true) => self
                .out
                .push_str("<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "),
            Node::TaskMarker(false) => self
                .out
                .push_str("<input type=\"checkbox\" disabled aria-label=\"Not done\"> "),
            Node::FootnoteReference(label) => {
                let number = self.footnote(label);
                self.out
                    .push_str("<sup class=\"footnote-reference\"><a href=\"#");
                escape_into(&mut self.out, label);
                self.out.push_str(&format!("\">{number}</a></sup>"));
            }
            Node::Kept(html) => self.out.push_str(html),
        }
    }

    fn footnote(&mut self, label: &'d str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label).or_insert(next)
    }

    fn element(&mut self, kind: &'d Kind, children: &'d [Node], parent: Parent) {
        match kind {
            Kind::Paragraph if parent == Parent::Summary => self.nodes(children, parent),
            Kind::Paragraph => self.wrap("<p>", children, "</p>\n", parent),
            Kind::Heading { level, id } => {
                self.out.push_str(&format!("<h{level} id=\""));
                escape_into(&mut self.out, id);
                self.out.push_str("\">");
                self.nodes(children, parent);
                self.out.push_str(" <a class=\"anchor\" href=\"#");
                escape_into(&mut self.out, id);
                self.out.push_str(&format!(
                    "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n"
                ));
            }
            Kind::BlockQuote => self.wrap("<blockquote>\n", children, "</blockquote>\n", parent),
            Kind::List { start: None } => self.wrap("<ul>\n", children, "</ul>\n", parent),
            Kind::List { start: Some(1) } => self.wrap("<ol>\n", children, "</ol>\n", parent),
            Kind::List { start: Some(n) } => {
                let open = format!("<ol start=\"{n}\">\n");
                self.wrap(&open, children, "</ol>\n", parent)
            }
            Kind::Item => self.wrap("<li>", children, "</li>\n", parent),
            Kind::Table { .. } => self.table(children),
            Kind::TableHead => self.wrap("<thead><tr>", children, "</tr></thead>\n", parent),
            Kind::TableRow => self.wrap("<tr>", children, "</tr>\n", parent),
            Kind::TableCell { head, align } => {
                let tag = if *head { "th" } else { "td" };
                let class = match align {
                    Align::Left => " class=\"align-left\"",
                    Align::Center => " class=\"align-center\"",
                    Align::Right => " class=\"align-right\"",
                    Align::None => "",
                };
                let open = format!("<{tag}{class}>");
                self.wrap(&open, children, &format!("</{tag}>"), parent)
            }
            Kind::Emphasis => self.wrap("<em>", children, "</em>", parent),
            Kind::Strong => self.wrap("<strong>", children, "</strong>", parent),
            Kind::Strikethrough => self.wrap("<del>", children, "</del>", parent),
            Kind::Link { .. } | Kind::Plain if parent == Parent::Link => {
                self.nodes(children, parent)
            }
            Kind::Link { href, title } => self.link(href, title, children),
            Kind::Plain => self.nodes(children, parent),
            Kind::Image { src, title } => {
                self.out.push_str("<img src=\"");
                escape_into(&mut self.out, src);
                self.out.push_str("\" alt=\"");
                escape_into(&mut self.out, &Node::plain_text(children));
                self.out.push('"');
                if !title.is_empty() {
                    self.out.push_str(" title=\"");
                    escape_into(&mut self.out, title);
                    self.out.push('"');
                }
                self.out.push('>');
            }
            // The alt text is shown in place of the image.
            Kind::RefusedImage => self.wrap(
                "<span class=\"refused-image\">",
                children,
                "</span>",
                parent,
            ),
            Kind::FootnoteDefinition { label } => {
                let number = self.footnote(label);
                self.out
                    .push_str("<div class=\"footnote-definition\" id=\"");
                escape_into(&mut self.out, label);
                self.out.push_str(&format!(
                    "\"><sup class=\"footnote-definition-label\">{number}</sup>\n"
                ));
                self.nodes(children, parent);
                self.out.push_str("</div>\n");
            }
            Kind::Admonition { kind, title } => {
                self.out.push_str(&format!(
                    "<aside class=\"admonition admonition-{kind}\"><p class=\"admonition-title\">"
                ));
                escape_into(&mut self.out, title);
                self.out.push_str("</p>\n");
                self.nodes(children, Parent::Block);
                self.out.push_str("</aside>\n");
            }
            Kind::Section { label } => {
                self.out.push_str("<section class=\"tab\" aria-label=\"");
                escape_into(&mut self.out, label);
                self.out.push_str("\"><p class=\"tab-label\">");
                escape_into(&mut self.out, label);
                self.out.push_str("</p>\n");
                self.nodes(children, Parent::Block);
                self.out.push_str("</section>\n");
            }
            Kind::Raw(tag) => {
                let name = tag.name();
                let inner = if *tag == RawTag::Summary {
                    Parent::Summary
                } else {
                    parent
                };
                self.out.push_str(&format!("<{name}>"));
                self.nodes(children, inner);
                self.out.push_str(&format!("</{name}>"));
                if *tag == RawTag::Details {
                    self.out.push('\n');
                }
            }
        }
    }

    fn wrap(&mut self, open: &str, children: &'d [Node], close: &str, parent: Parent) {
        self.out.push_str(open);
        self.nodes(children, parent);
        self.out.push_str(close);
    }

    fn link(&mut self, href: &str, title: &str, children: &'d [Node]) {
        self.out.push_str("<a href=\"");
        escape_into(&mut self.out, href);
        self.out.push('"');
        if !title.is_empty() {
            self.out.push_str(" title=\"");
            escape_into(&mut self.out, title);
            self.out.push('"');
        }
        if is_external(href) {
            self.out.push_str(&format!(" rel=\"{EXTERNAL_REL}\""));
        }
        self.out.push('>');
        self.nodes(children, Parent::Link);
        self.out.push_str("</a>");
    }

    /// A table in a box of its own that scrolls sideways, named by its column headings.
    fn table(&mut self, children: &'d [Node]) {
        let heads: Vec<String> = children
            .iter()
            .filter_map(|node| match node {
                Node::Element(Kind::TableHead, cells) => Some(cells),
                _ => None,
            })
            .flatten()
            .map(|cell| {
                Node::plain_text(std::slice::from_ref(cell))
                    .trim()
                    .to_string()
            })
            .filter(|text| !text.is_empty())
            .collect();
        let mut label = format!("Table: {}", heads.join(", "));
        if heads.is_empty() {
            label.truncate("Table".len());
        }
        if label.chars().count() > 100 {
            label = label.chars().take(99).chain(['…']).collect();
        }
        self.out
            .push_str("<div class=\"scroll-box\" role=\"region\" tabindex=\"0\" aria-label=\"");
        escape_into(&mut self.out, &label);
        self.out.push_str("\"><table>\n");
        let mut body_open = false;
        for child in children {
            let is_row = matches!(child, Node::Element(Kind::TableRow, _));
            if is_row && !body_open {
                self.out.push_str("<tbody>\n");
                body_open = true;
            }
            self.node(child, Parent::Block);
        }
        if body_open {
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table></div>\n");
    }
}

/// The safe subset of HTML that `markdown.raw_html: sanitize` keeps, and that everything
/// marketgen itself writes from Markdown stays within (the tests hold it to that).
pub fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some(EXTERNAL_REL))
        .add_tags(["details", "summary", "input", "aside", "section"])
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "disabled", "checked", "aria-label"])
        .add_tag_attributes("a", ["aria-hidden", "tabindex"])
        .add_tag_attributes("div", ["role", "tabindex", "aria-label"])
        .add_tag_attributes("section", ["aria-label"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            (_, "class") => {
                let kept: Vec<&str> = value
                    .split_whitespace()
                    .filter(|c| is_own_class(c))
                    .collect();
                (!kept.is_empty()).then(|| kept.join(" ").into())
            }
            // Content ids are published outside the theme's (`headings::published_id`);
            // the sanitiser holds any that is not to that, whatever made it.
            (_, "id") => (!is_theme_id(value)).then(|| value.into()),
            ("input", "type") => (value == "checkbox").then(|| value.into()),
            ("a", "tabindex") => (value == "-1").then(|| value.into()),
            ("div", "tabindex") => (value == "0").then(|| value.into()),
            ("div", "role") => (value == "region").then(|| value.into()),
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
        || matches!(
            class,
            "code" | "anchor" | "refused-image" | "scroll-box" | "tab" | "tab-label"
        )
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
