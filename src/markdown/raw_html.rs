//! Author HTML inside Markdown, cut into tokens: tags with their attributes, comments, other
//! markup and text. The grammar is CommonMark's (the one pulldown-cmark used to find the HTML),
//! widened for MDX: JSX names keep their case and may hold dots, and attribute values may be
//! `{expressions}`. html5ever's tokenizer lowercases names and gives no source ranges, and
//! both are needed here: `<Tabs>` is a component where `<tabs>` is not, and diagnostics point
//! at the tag.
//!
//! Linear in the fragment: a construct that does not close is given up on at the next `<` or
//! after a bounded look-ahead, and searches for a closing quote or `-->` remember their answer.
//! A tag still open where the fragment ends (`<div class` then a blank line, which ends an
//! HTML block) is a token of its own, so that it can be reported.

use std::ops::Range;

/// One piece of a fragment; ranges are relative to the fragment.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    Text(Range<usize>),
    /// `<!-- … -->`; `closed` is false when the comment runs to the end of the fragment.
    Comment {
        closed: bool,
        range: Range<usize>,
    },
    /// A declaration, processing instruction or CDATA section.
    Other(Range<usize>),
    Start(Tag<'a>),
    End {
        name: &'a str,
        range: Range<usize>,
    },
    /// A tag whose name and attributes run to the end of the fragment without a `>`.
    Unclosed(Range<usize>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag<'a> {
    /// As written: `TabItem`, `details`, `DETAILS`.
    pub name: &'a str,
    pub attributes: Vec<(&'a str, Option<&'a str>)>,
    pub self_closing: bool,
    pub range: Range<usize>,
}

impl Tag<'_> {
    /// The attribute's value with character references decoded, as a browser reads it.
    pub fn attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| *v)
            .map(decoded)
    }
}

/// An attribute's value as written (quoted or not) as a browser reads it: unquoted, with
/// character references decoded.
pub fn decoded(value: &str) -> String {
    html_escape::decode_html_entities(unquote(value)).into_owned()
}

fn unquote(value: &str) -> &str {
    let bytes = value.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(b'"'), Some(b'"')) | (Some(b'\''), Some(b'\'')) if value.len() >= 2 => {
            &value[1..value.len() - 1]
        }
        _ => value,
    }
}

/// A JSX `{expression}` longer than this is not an attribute anyone writes by hand.
const MAX_EXPRESSION: usize = 256;

pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut scanner = Scanner {
        html,
        at: 0,
        finders: Default::default(),
        last_gt: None,
    };
    let mut out = Vec::new();
    let mut text_start = 0;
    while let Some(lt) = html[scanner.at..].find('<').map(|i| i + scanner.at) {
        let found = match scanner.markup(lt) {
            Some(found) => Scan::Found(found.0, found.1),
            None => tag(&mut scanner, lt),
        };
        match found {
            Scan::Found(token, end) => {
                if text_start < lt {
                    out.push(Token::Text(text_start..lt));
                }
                out.push(token);
                scanner.at = end;
                text_start = end;
            }
            Scan::Unclosed => {
                if text_start < lt {
                    out.push(Token::Text(text_start..lt));
                }
                out.push(Token::Unclosed(lt..html.len()));
                return out;
            }
            Scan::NotATag => scanner.at = lt + 1,
        }
    }
    if text_start < html.len() {
        out.push(Token::Text(text_start..html.len()));
    }
    out
}

struct Scanner<'a> {
    html: &'a str,
    at: usize,
    finders: [Finder; 6],
    /// The fragment's last `>`, once asked for.
    last_gt: Option<Option<usize>>,
}

const NEEDLES: [&str; 6] = ["-->", "\"", "'", "?>", "]]>", ">"];

/// The next occurrence of a needle at or after a position, remembered: positions asked for
/// only grow, so the whole fragment is searched once per needle.
#[derive(Default, Clone, Copy)]
struct Finder {
    asked: usize,
    found: Option<usize>,
    used: bool,
}

impl<'a> Scanner<'a> {
    fn last_gt(&mut self) -> Option<usize> {
        *self.last_gt.get_or_insert_with(|| self.html.rfind('>'))
    }

    fn find(&mut self, needle: usize, from: usize) -> Option<usize> {
        let finder = &mut self.finders[needle];
        let known =
            finder.used && from >= finder.asked && finder.found.is_none_or(|found| found >= from);
        if !known {
            finder.asked = from;
            finder.found = self.html[from..].find(NEEDLES[needle]).map(|i| i + from);
            finder.used = true;
        }
        finder.found
    }

    /// A comment, declaration, processing instruction or CDATA section at the `<` at `lt`,
    /// and where it ends.
    fn markup(&mut self, lt: usize) -> Option<(Token<'a>, usize)> {
        let html = self.html;
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            return Some(match self.find(0, lt + 4) {
                Some(end) => (
                    Token::Comment {
                        closed: true,
                        range: lt..end + 3,
                    },
                    end + 3,
                ),
                None => (
                    Token::Comment {
                        closed: false,
                        range: lt..html.len(),
                    },
                    html.len(),
                ),
            });
        }
        let other_end = if rest.starts_with("<![CDATA[") {
            self.find(4, lt).map(|e| e + 3)
        } else if rest.starts_with("<?") {
            self.find(3, lt + 2).map(|e| e + 2)
        } else if rest.starts_with("<!") && rest[2..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            self.find(5, lt + 2).map(|e| e + 1)
        } else {
            None
        };
        if let Some(end) = other_end {
            return Some((Token::Other(lt..end), end));
        }
        None
    }
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'_')
}

fn is_attribute_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'_' | b':' | b'@')
}

fn is_attribute_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-' | b'@')
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// What a `<` starts.
enum Scan<'a> {
    /// A token, and where it ends.
    Found(Token<'a>, usize),
    /// A tag that the fragment ends inside.
    Unclosed,
    NotATag,
}

/// An open or closing tag at `lt`.
fn tag<'a>(scanner: &mut Scanner<'a>, lt: usize) -> Scan<'a> {
    let html = scanner.html;
    let bytes = html.as_bytes();
    let closing = bytes.get(lt + 1) == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    if !bytes.get(name_start).copied().is_some_and(is_name_start) {
        return Scan::NotATag;
    }
    let mut i = name_start;
    while i < bytes.len() && is_name_byte(bytes[i]) {
        i += 1;
    }
    let name = &html[name_start..i];
    if closing {
        let end = skip_space(bytes, i);
        return match bytes.get(end) {
            Some(b'>') => Scan::Found(
                Token::End {
                    name,
                    range: lt..end + 1,
                },
                end + 1,
            ),
            Some(_) => Scan::NotATag,
            None => Scan::Unclosed,
        };
    }
    let mut attributes = Vec::new();
    loop {
        let after_space = skip_space(bytes, i);
        match bytes.get(after_space) {
            Some(b'>') => {
                return Scan::Found(
                    start(name, attributes, false, lt..after_space + 1),
                    after_space + 1,
                );
            }
            Some(b'/') if bytes.get(after_space + 1) == Some(&b'>') => {
                let end = after_space + 2;
                return Scan::Found(start(name, attributes, true, lt..end), end);
            }
            Some(b'/') if after_space + 1 == bytes.len() => return Scan::Unclosed,
            Some(_) => {}
            None => return Scan::Unclosed,
        }
        if after_space == i {
            return Scan::NotATag;
        }
        i = after_space;
        match attribute(scanner, i) {
            Some((attribute, end)) => {
                attributes.push(attribute);
                i = end;
            }
            // A broken attribute with no `>` after it: the tag can never close.
            None if scanner.last_gt().is_none_or(|gt| gt < i) => return Scan::Unclosed,
            None => return Scan::NotATag,
        }
    }
}

fn start<'a>(
    name: &'a str,
    attributes: Vec<(&'a str, Option<&'a str>)>,
    self_closing: bool,
    range: Range<usize>,
) -> Token<'a> {
    Token::Start(Tag {
        name,
        attributes,
        self_closing,
        range,
    })
}

type Attribute<'a> = (&'a str, Option<&'a str>);

fn attribute<'a>(scanner: &mut Scanner<'a>, at: usize) -> Option<(Attribute<'a>, usize)> {
    let html = scanner.html;
    let bytes = html.as_bytes();
    if bytes.get(at) == Some(&b'{') {
        // A JSX spread, `{...props}`.
        let end = expression(bytes, at)?;
        return Some(((&html[at..end], None), end));
    }
    if !bytes.get(at).copied().is_some_and(is_attribute_start) {
        return None;
    }
    let mut i = at;
    while i < bytes.len() && is_attribute_byte(bytes[i]) {
        i += 1;
    }
    let name = &html[at..i];
    let eq = skip_space(bytes, i);
    if bytes.get(eq) != Some(&b'=') {
        return Some(((name, None), i));
    }
    let value_start = skip_space(bytes, eq + 1);
    let value_end = match bytes.get(value_start)? {
        b'"' => scanner.find(1, value_start + 1)? + 1,
        b'\'' => scanner.find(2, value_start + 1)? + 1,
        b'{' => expression(bytes, value_start)?,
        _ => {
            let mut end = value_start;
            while end < bytes.len()
                && !bytes[end].is_ascii_whitespace()
                && !matches!(bytes[end], b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
            {
                end += 1;
            }
            if end == value_start {
                return None;
            }
            end
        }
    };
    Some(((name, Some(&html[value_start..value_end])), value_end))
}

/// The end of a balanced `{…}` at `at`, within [`MAX_EXPRESSION`] bytes.
fn expression(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().skip(at).take(MAX_EXPRESSION) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// What a tag's name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// An element of HTML, SVG or MathML: something a browser would act on.
    Html,
    /// A JSX component from MDX: `Tabs`, `FieldAnchor`, `Foo.Bar`.
    Component,
    /// A word in angle brackets that is no element: `<your-api-key>`, `<YOUR_TOKEN>`.
    Placeholder,
}

pub fn classify(name: &str) -> Name {
    let lower = name.to_ascii_lowercase();
    let pascal = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.bytes().any(|b| b.is_ascii_lowercase());
    if pascal || (name.contains('.') && name.starts_with(|c: char| c.is_ascii_uppercase())) {
        Name::Component
    } else if HTML_ELEMENTS.binary_search(&lower.as_str()).is_ok() {
        Name::Html
    } else {
        Name::Placeholder
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
    "center",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(html: &str) -> Vec<String> {
        tokens(html)
            .into_iter()
            .map(|t| match t {
                Token::Text(r) => format!("text:{}", &html[r]),
                Token::Comment { closed, .. } => format!("comment:{closed}"),
                Token::Other(r) => format!("other:{}", &html[r]),
                Token::Start(tag) => format!(
                    "<{}{}{}>",
                    tag.name,
                    tag.attributes
                        .iter()
                        .map(|(n, v)| format!(" {n}={}", v.unwrap_or("")))
                        .collect::<String>(),
                    if tag.self_closing { "/" } else { "" }
                ),
                Token::End { name, .. } => format!("</{name}>"),
                Token::Unclosed(r) => format!("unclosed:{}", &html[r]),
            })
            .collect()
    }

    #[test]
    fn tags_comments_and_text() {
        assert_eq!(
            names("<details>\n<summary>Older <b>versions</b></summary><!-- note -->x</details>"),
            [
                "<details>",
                "text:\n",
                "<summary>",
                "text:Older ",
                "<b>",
                "text:versions",
                "</b>",
                "</summary>",
                "comment:true",
                "text:x",
                "</details>"
            ]
        );
    }

    #[test]
    fn jsx_components_keep_their_case_and_expressions() {
        assert_eq!(
            names("<TabItem value=\"a\" label={\"Cloud\"}><Foo.Bar {...p} /></TabItem>"),
            [
                "<TabItem value=\"a\" label={\"Cloud\"}>",
                "<Foo.Bar {...p}=/>",
                "</TabItem>"
            ]
        );
        assert_eq!(classify("TabItem"), Name::Component);
        assert_eq!(classify("DETAILS"), Name::Html);
        assert_eq!(classify("YOUR_TOKEN"), Name::Placeholder);
        assert_eq!(classify("your-api-key"), Name::Placeholder);
    }

    #[test]
    fn what_is_no_tag_is_text() {
        assert_eq!(
            names("a < b and <3 and <a x='open <b>"),
            ["text:a < b and <3 and <a x='open ", "<b>"]
        );
        assert_eq!(names("<!-- never closed"), ["comment:false"]);
        assert_eq!(names("<!DOCTYPE html>"), ["other:<!DOCTYPE html>"]);
    }

    #[test]
    fn a_tag_the_fragment_ends_in_is_unclosed() {
        // Each once panicked, reading past the fragment for the next attribute.
        for html in [
            "<div class\n",
            "<table\nword\n",
            "<div ",
            "<div id=\"foo\"\n",
            "<div x=",
            "<a x='open",
            "<div/",
            "</div ",
            "<div {",
        ] {
            assert_eq!(names(html), [format!("unclosed:{html}")], "{html:?}");
        }
        assert_eq!(
            names("<b>x</b> <div class\n"),
            ["<b>", "text:x", "</b>", "text: ", "unclosed:<div class\n"]
        );
        // Not a tag at all, or one a later `>` may still close: text, as before.
        assert_eq!(names("<3 <"), ["text:<3 <"]);
        assert_eq!(names("<a \"x\">"), ["text:<a \"x\">"]);
    }

    #[test]
    fn attribute_values_are_decoded_as_browsers_read_them() {
        let tokens = tokens("<a href=\"java&#x09;script:x&amp;y\">");
        let Token::Start(tag) = &tokens[0] else {
            panic!("{tokens:?}")
        };
        assert_eq!(tag.attribute("HREF").as_deref(), Some("java\tscript:x&y"));
    }

    #[test]
    fn unclosed_quotes_cost_one_search() {
        let html = "<a x='".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(tokens(&html).len(), 2);
        let html = "<a x=\"<b y=\" ".repeat(100_000);
        tokens(&html);
        assert!(started.elapsed().as_secs() < 5);
    }
}
