//! What a terminal is shown of text marketgen did not write: control characters (C0, DEL, C1)
//! and bidirectional controls become visible `\u{..}` escapes, so that a file name or a value
//! holding `ESC [2K` or `ESC ]52;…BEL` cannot erase a line, fake a report or set the clipboard,
//! and a direction override cannot reorder what a reviewer reads.

use std::borrow::Cow;

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
