//! The analysed document: what `parse` builds and `emit` writes. Every link in it is already
//! checked and rewritten, every id unique and every piece of author HTML either an element of
//! the safe set or text, so writing it needs no further decision and finds no problem.

/// Alignment of a table column, written as a class (no `style`, for the CSP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// Author HTML elements that render as themselves: they carry no attribute but the checked
/// `href` of a link or `src` and `alt` of an image, which are [`Kind::Link`] and [`Kind::Image`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawTag {
    Details,
    Summary,
    Kbd,
    Sub,
    Sup,
    B,
    I,
    Em,
    Strong,
    Code,
}

impl RawTag {
    pub fn from_name(name: &str) -> Option<RawTag> {
        Some(match name {
            "details" => RawTag::Details,
            "summary" => RawTag::Summary,
            "kbd" => RawTag::Kbd,
            "sub" => RawTag::Sub,
            "sup" => RawTag::Sup,
            "b" => RawTag::B,
            "i" => RawTag::I,
            "em" => RawTag::Em,
            "strong" => RawTag::Strong,
            "code" => RawTag::Code,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            RawTag::Details => "details",
            RawTag::Summary => "summary",
            RawTag::Kbd => "kbd",
            RawTag::Sub => "sub",
            RawTag::Sup => "sup",
            RawTag::B => "b",
            RawTag::I => "i",
            RawTag::Em => "em",
            RawTag::Strong => "strong",
            RawTag::Code => "code",
        }
    }

    /// Phrasing elements close with the Markdown block they opened in; a `details` may span
    /// several blocks.
    pub fn is_phrasing(self) -> bool {
        !matches!(self, RawTag::Details | RawTag::Summary)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Paragraph,
    Heading {
        level: u8,
        id: String,
    },
    BlockQuote,
    List {
        start: Option<u64>,
    },
    Item,
    Table {
        alignments: Vec<Align>,
    },
    TableHead,
    TableRow,
    TableCell {
        head: bool,
        align: Align,
    },
    Emphasis,
    Strong,
    Strikethrough,
    /// `href` is checked and published.
    Link {
        href: String,
        title: String,
    },
    /// Content shown without an element of its own: a refused link's text, an `<a>` without
    /// an address.
    Plain,
    /// The children are the alt text.
    Image {
        src: String,
        title: String,
    },
    /// An image that was refused: its alt text is shown instead.
    RefusedImage,
    FootnoteDefinition {
        label: String,
    },
    /// `:::kind Title` … `:::`.
    Admonition {
        kind: &'static str,
        title: String,
    },
    /// An MDX `<TabItem label="…">`: a labelled section of the page.
    Section {
        label: String,
    },
    Raw(RawTag),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Kind, Vec<Node>),
    Text(String),
    /// Inline code.
    Code(String),
    /// `lang` is a syntax name the highlighter knows, never the fence's text itself.
    CodeBlock {
        lang: Option<String>,
        text: String,
    },
    SoftBreak,
    HardBreak,
    Rule,
    TaskMarker(bool),
    FootnoteReference(String),
    /// Author HTML kept for the sanitiser (`markdown.raw_html: sanitize` only).
    Kept(String),
    /// `<br>` written by the author.
    LineBreak,
}

/// A heading of the table of contents, with the level-3 headings under it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub nodes: Vec<Node>,
    /// Author HTML beyond the safe set was kept: the written page goes through the sanitiser.
    pub sanitize: bool,
}

impl Document {
    /// The text a reader sees, in document order: what search may index.
    pub fn visible_text(&self, out: &mut String) {
        for node in &self.nodes {
            node.visible_text(out);
        }
    }
}

impl Node {
    fn visible_text(&self, out: &mut String) {
        match self {
            Node::Element(_, children) => {
                for child in children {
                    child.visible_text(out);
                }
                out.push(' ');
            }
            Node::Text(text) | Node::Code(text) => out.push_str(text),
            Node::CodeBlock { text, .. } => {
                out.push_str(text);
                out.push(' ');
            }
            Node::SoftBreak | Node::HardBreak | Node::LineBreak | Node::Rule => out.push(' '),
            // Kept HTML is shown only as far as the sanitiser lets it: its tags are no words.
            Node::Kept(_) | Node::TaskMarker(_) | Node::FootnoteReference(_) => {}
        }
    }

    /// The plain text of inline content, for headings and titles.
    pub fn plain_text(nodes: &[Node]) -> String {
        let mut out = String::new();
        for node in nodes {
            match node {
                Node::Text(text) | Node::Code(text) => out.push_str(text),
                Node::Element(_, children) => out.push_str(&Node::plain_text(children)),
                Node::SoftBreak | Node::HardBreak | Node::LineBreak => out.push(' '),
                _ => {}
            }
        }
        out
    }
}
