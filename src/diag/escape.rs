//! What each output format is given of text marketgen did not write, escaped by that format's
//! own grammar: one function per format, and [`Text`], text already escaped for one format,
//! which the printers build their output from.
//!
//! - The terminal ([`printable`]): control characters (C0, DEL, C1) and bidirectional controls
//!   become visible `\u{..}` escapes, so that a file name or a value holding `ESC [2K` or
//!   `ESC ]52;…BEL` cannot erase a line, fake a report or set the clipboard, and a direction
//!   override cannot reorder what a reviewer reads.
//! - Markdown ([`markdown_code`]): a code span, so nothing in it is a link, an image, HTML or a
//!   mention.
//! - A GitHub workflow command ([`workflow_data`], [`workflow_property`]): the runner's escapes.
//! - A SARIF message ([`sarif_message`]): the plain-text message grammar's escapes.
//!
//! [`Text`] has no constructor that takes a runtime string unescaped: content enters it only
//! through its format's function, the team's own words only as `&'static str` literals (written
//! in the source code), numbers as digits. So a printer that builds its output as a `Text`
//! cannot be handed a raw `String` from content.

use std::borrow::Cow;
use std::marker::PhantomData;

/// `text` with every character a terminal would act on, rather than show, escaped.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_if(text, acts_on_terminal)
}

/// Like [`printable`], but keeps line breaks: for help, which may be several lines, each of
/// them indented by the snippet printer.
pub(super) fn printable_lines(text: &str) -> Cow<'_, str> {
    escape_if(text, |c| c != '\n' && acts_on_terminal(c))
}

fn escape_if(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escape(c) {
            true => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            false => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Serialised JSON with the characters serde_json leaves as they are (DEL, C1, bidi controls)
/// written as `\uXXXX`, which JSON readers decode to the same text. Every such character is in
/// the Basic Multilingual Plane, so one escape each.
pub fn json_escaped(json: String) -> String {
    if !json.chars().any(acts_on_terminal) {
        return json;
    }
    json.chars()
        .map(|c| match acts_on_terminal(c) {
            true => format!("\\u{:04x}", c as u32),
            false => c.to_string(),
        })
        .collect()
}

/// Source lines for the snippet printer, which itself shows C0 controls, DEL and the bidi
/// overrides as control pictures of one column (keeping carets aligned): only the C1 controls
/// (`U+009B` is a one-character `ESC [`) and the invisible direction marks it passes through
/// are escaped here.
pub(super) struct EscapedLines {
    pub text: String,
    /// (offset in the original, bytes added before it), for each escaped character.
    shifts: Vec<(usize, usize)>,
}

impl EscapedLines {
    pub fn new(lines: &str) -> Self {
        let mut text = String::with_capacity(lines.len());
        let mut shifts = Vec::new();
        for (at, c) in lines.char_indices() {
            if !passed_through_by_snippets(c) {
                text.push(c);
                continue;
            }
            let escaped = format!("\\u{{{:x}}}", c as u32);
            text.push_str(&escaped);
            let added = escaped.len() - c.len_utf8();
            let total = shifts.last().map_or(0, |s: &(usize, usize)| s.1) + added;
            shifts.push((at + c.len_utf8(), total));
        }
        EscapedLines { text, shifts }
    }

    /// Where an offset into the original lines is in the escaped text.
    pub fn map(&self, offset: usize) -> usize {
        let escaped_before = self.shifts.partition_point(|&(end, _)| end <= offset);
        let added = escaped_before
            .checked_sub(1)
            .map_or(0, |i| self.shifts[i].1);
        offset + added
    }
}

/// The message of a GitHub Actions workflow command, escaped by the runner's grammar: `%`,
/// `\r` and `\n` as `%25`, `%0D` and `%0A`, so a value is one line that the runner decodes back.
pub(super) fn workflow_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property of a workflow command (`file=…`, `title=…`): escaped like the message, and `:`
/// and `,` too (`%3A`, `%2C`), which would otherwise end the property or the property list.
pub(super) fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A value as a Markdown code span: made printable (so on one line), fenced by more backticks
/// than it holds in a row, so nothing in it is read as Markdown, HTML or a mention.
pub fn markdown_code(text: &str) -> String {
    let text = printable(text);
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space inside each end of a span that starts and ends with one: a
    // span that starts or ends with a backtick needs that space to close, and a value with a
    // space at each end keeps both.
    let spaced = text.starts_with(' ') && text.ends_with(' ') && text.trim() != "";
    let pad = match text.starts_with('`') || text.ends_with('`') || text.is_empty() || spaced {
        true => " ",
        false => "",
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Plain text for a SARIF message (`message.text`). SARIF 2.1.0 reads `[text](target)` in it
/// as an embedded link (§3.11.6), whose grammar escapes `\`, `[` and `]` with a backslash, and
/// `{n}` as a placeholder, whose grammar writes `{` and `}` as `{{` and `}}` (§3.11.5). Every
/// one of them is escaped, so a value is only ever text. Control characters are left to JSON.
pub fn sarif_message(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            c => out.push(c),
        }
    }
    out
}

/// An output format's grammar: how content is escaped in it, and how the team's own words
/// (literals in the source code) are written into it.
pub trait Grammar {
    /// Content as text of this format.
    fn content(text: &str) -> String;

    /// Content that may hold several lines (a diagnostic's help), where the format can show
    /// lines; elsewhere as [`Grammar::content`].
    fn lines(text: &str) -> String {
        Self::content(text)
    }

    /// One of the team's literals.
    fn literal(text: &'static str) -> String {
        text.to_string()
    }

    /// A name marketgen's own types give (a field of the public view, `support.email`), where
    /// the format can show one as plain text; elsewhere as [`Grammar::content`].
    fn name(text: &str) -> String {
        Self::content(text)
    }
}

/// The terminal: content made [`printable`]; literals as written.
#[derive(Debug)]
pub enum Terminal {}

/// Markdown: content only ever in a code span ([`markdown_code`]); literals are Markdown.
#[derive(Debug)]
pub enum Markdown {}

/// The message of a GitHub workflow command: printable, then the runner's escapes; literals
/// escaped the same way, so the team's line breaks are `%0A` too.
#[derive(Debug)]
pub enum WorkflowData {}

/// A property value of a GitHub workflow command (`file=…`, `title=…`).
#[derive(Debug)]
pub enum WorkflowProperty {}

/// A SARIF `message.text` ([`sarif_message`]), literals escaped the same way.
#[derive(Debug)]
pub enum Sarif {}

impl Grammar for Terminal {
    fn content(text: &str) -> String {
        printable(text).into_owned()
    }

    fn lines(text: &str) -> String {
        printable_lines(text).into_owned()
    }
}

impl Grammar for Markdown {
    fn content(text: &str) -> String {
        markdown_code(text)
    }

    /// As it is when it holds only lowercase ASCII letters, digits, `_` and inner `.`, which
    /// Markdown reads as plain text (no `www.` to autolink); anything else in a code span.
    fn name(text: &str) -> String {
        let plain = text.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }) && !text.starts_with("www.");
        match plain {
            true => text.to_string(),
            false => markdown_code(text),
        }
    }
}

impl Grammar for WorkflowData {
    fn content(text: &str) -> String {
        workflow_data(&printable(text))
    }

    fn lines(text: &str) -> String {
        workflow_data(&printable_lines(text))
    }

    fn literal(text: &'static str) -> String {
        workflow_data(text)
    }
}

impl Grammar for WorkflowProperty {
    fn content(text: &str) -> String {
        workflow_property(&printable(text))
    }

    fn literal(text: &'static str) -> String {
        workflow_property(text)
    }
}

impl Grammar for Sarif {
    fn content(text: &str) -> String {
        sarif_message(text)
    }

    fn literal(text: &'static str) -> String {
        sarif_message(text)
    }
}

/// Text already escaped for the format `G`. It is built only from content through `G`'s
/// escaping ([`Text::content`], [`Text::lines`], [`Text::name`]), literals (`&'static str`),
/// numbers and dates, and in Markdown the guide's own text and checked addresses, so whatever
/// a printer writes from a `Text` went through its format's grammar. Nothing turns a `String`
/// into a `Text` as it is, and a `Text` has no `Display`, so `format!` cannot mix one into
/// a `String` beside raw values.
pub struct Text<G> {
    text: String,
    grammar: PhantomData<G>,
}

impl<G> Default for Text<G> {
    fn default() -> Self {
        Text {
            text: String::new(),
            grammar: PhantomData,
        }
    }
}

impl<G> Clone for Text<G> {
    fn clone(&self) -> Self {
        Text {
            text: self.text.clone(),
            grammar: PhantomData,
        }
    }
}

impl<G> std::fmt::Debug for Text<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text.fmt(f)
    }
}

impl<G: Grammar> Text<G> {
    fn escaped(text: String) -> Self {
        Text {
            text,
            grammar: PhantomData,
        }
    }

    /// A value from content, escaped.
    pub fn content(text: &str) -> Self {
        Self::escaped(G::content(text))
    }

    /// A value from content that may hold lines, escaped.
    pub fn lines(text: &str) -> Self {
        Self::escaped(G::lines(text))
    }

    /// A name marketgen's own types give, escaped as the format needs ([`Grammar::name`]).
    pub fn name(text: &str) -> Self {
        Self::escaped(G::name(text))
    }

    /// Appends a piece: escaped text, a literal or a number.
    pub fn push(&mut self, piece: impl Into<Text<G>>) -> &mut Self {
        self.text.push_str(&piece.into().text);
        self
    }

    /// The pieces with `separator` between them.
    pub fn join(pieces: impl IntoIterator<Item = Text<G>>, separator: &'static str) -> Self {
        let mut out = Text::default();
        for (i, piece) in pieces.into_iter().enumerate() {
            if i > 0 {
                out.push(separator);
            }
            out.push(piece);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

impl<G: Grammar> From<&'static str> for Text<G> {
    fn from(literal: &'static str) -> Self {
        Text::escaped(G::literal(literal))
    }
}

macro_rules! numbers_are_text {
    ($($number:ty),*) => {$(
        impl<G: Grammar> From<$number> for Text<G> {
            fn from(n: $number) -> Self {
                Text::escaped(n.to_string())
            }
        }
    )*};
}
numbers_are_text!(usize, u32, u64, i64);

/// A date is digits and `-` (`2026-12-07`), text in every format.
impl<G: Grammar> From<chrono::NaiveDate> for Text<G> {
    fn from(date: chrono::NaiveDate) -> Self {
        Text::escaped(date.format("%Y-%m-%d").to_string())
    }
}

impl Text<Markdown> {
    /// The team's own Markdown read at run time (the guide's pages, which the trust boundary
    /// gives to the team), made printable: written as Markdown, not in a code span.
    pub fn team_markdown(text: &str) -> Self {
        Self::escaped(printable(text).into_owned())
    }

    /// An `https` address as an autolink (`<https://…>`) when it holds nothing an autolink may
    /// not (space, control characters, `<`, `>`); anything else in a code span.
    pub fn autolink(url: &str) -> Self {
        let plain = url.starts_with("https://")
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
        match plain {
            true => Self::escaped(format!("<{url}>")),
            false => Self::content(url),
        }
    }
}

/// A `Text` of the pieces given, each a `Text`, a literal or a number, in order.
#[macro_export]
macro_rules! text {
    ($($piece:expr),* $(,)?) => {{
        let mut text = $crate::diag::Text::default();
        $( text.push($piece); )*
        text
    }};
}

/// One GitHub workflow command line: `::name property=value,…::message`, each part escaped by
/// the runner's grammar by its type.
pub fn workflow_command(
    name: &'static str,
    properties: &[(&'static str, Text<WorkflowProperty>)],
    message: &Text<WorkflowData>,
) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", value.as_str()))
        .collect();
    match properties.is_empty() {
        true => format!("::{name}::{}", message.as_str()),
        false => format!("::{name} {}::{}", properties.join(","), message.as_str()),
    }
}

fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn passed_through_by_snippets(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}' | '\u{061C}' | '\u{200E}' | '\u{200F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible_escapes() {
        assert_eq!(printable("a\u{1b}[2Kb"), "a\\u{1b}[2Kb");
        assert_eq!(
            printable("x\u{1b}]52;c;aGk=\u{7}y"),
            "x\\u{1b}]52;c;aGk=\\u{7}y"
        );
        assert_eq!(
            printable("\u{9b}\u{7f}\n\r\t"),
            "\\u{9b}\\u{7f}\\u{a}\\u{d}\\u{9}"
        );
        assert_eq!(printable("abc\u{202e}"), "abc\\u{202e}");
        assert!(matches!(printable("plain — text"), Cow::Borrowed(_)));
        assert_eq!(printable_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
    }

    #[test]
    fn workflow_commands_escape_by_their_grammar() {
        assert_eq!(workflow_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(workflow_property("a:b,c%0A\n"), "a%3Ab%2Cc%250A%0A");
    }

    #[test]
    fn sarif_messages_escape_embedded_links_and_placeholders() {
        assert_eq!(
            sarif_message(r"[x](https://e.example) \ {0}"),
            r"\[x\](https://e.example) \\ {{0}}"
        );
    }

    #[test]
    fn text_takes_content_only_through_its_grammar() {
        let line: Text<Markdown> = crate::text!["- **", Text::content("@team [x](y)"), "**"];
        assert_eq!(line.as_str(), "- **`@team [x](y)`**");
        let line: Text<WorkflowData> = crate::text![Text::content("a%\n"), "\nhelp: ", 3usize];
        assert_eq!(line.as_str(), "a%25\\u{a}%0Ahelp: 3");
        assert_eq!(
            Text::<Markdown>::name("support.response_time").as_str(),
            "support.response_time"
        );
        assert_eq!(
            Text::<Markdown>::name("www.evil.example").as_str(),
            "`www.evil.example`"
        );
        assert_eq!(Text::<Markdown>::name("a <b>").as_str(), "`a <b>`");
        assert_eq!(
            Text::<Markdown>::autolink("https://a.example/x").as_str(),
            "<https://a.example/x>"
        );
        assert_eq!(
            Text::<Markdown>::autolink("https://a>@b").as_str(),
            "`https://a>@b`"
        );
    }

    #[test]
    fn source_lines_escape_what_the_snippet_printer_passes_through() {
        let lines = "a\u{9b}2Kb\tc\r\nd\u{200f}e\u{1b}f\n";
        let escaped = EscapedLines::new(lines);
        assert_eq!(escaped.text, "a\\u{9b}2Kb\tc\r\nd\\u{200f}e\u{1b}f\n");
        for (at, c) in lines.char_indices().filter(|(_, c)| c.is_alphabetic()) {
            assert_eq!(
                escaped.text[escaped.map(at)..].chars().next(),
                Some(c),
                "{c}"
            );
        }
    }
}
