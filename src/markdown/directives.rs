//! Lines that mean something to other documentation systems rather than to Markdown: a
//! Docusaurus admonition's `:::note Title` and `:::`, and MDX's `import` and `export`
//! statements. `parse` finds them in paragraphs and HTML blocks, wherever they stand.

/// Admonition kinds with a style of their own; any other kind looks like a note.
const KINDS: &[&str] = &[
    "note",
    "tip",
    "info",
    "important",
    "warning",
    "caution",
    "danger",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// `:::kind`, `:::kind Title`, `:::kind[Title]` or `:::kind{title="Title"}`.
    Open { kind: &'static str, title: String },
    /// `:::`.
    Close,
}

/// The admonition marker a line is, if it is one.
pub fn marker(line: &str) -> Option<Marker> {
    let line = line.trim();
    let rest = line.trim_start_matches(':');
    if line.len() - rest.len() < 3 {
        return None;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(Marker::Close);
    }
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
        .unwrap_or(rest.len());
    let name = &rest[..name_end];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let kind = KINDS
        .iter()
        .find(|k| **k == lower)
        .copied()
        .unwrap_or("note");
    let title = title(&rest[name_end..]).unwrap_or_else(|| capitalised(&lower));
    Some(Marker::Open { kind, title })
}

/// A whole admonition on one line, `:::note Text :::`: its kind and where its text starts
/// and ends in `line`. Docusaurus would want the markers on lines of their own, but the
/// author plainly meant a note holding the text, not a note titled with it.
pub fn one_line(line: &str) -> Option<(&'static str, std::ops::Range<usize>)> {
    let Some(Marker::Open { kind, .. }) = marker(line) else {
        return None;
    };
    let opened = line.trim_start();
    let colons = opened.len() - opened.trim_start_matches(':').len();
    let name_end =
        opened[colons..].find(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')?;
    let start = line.len() - opened.len() + colons + name_end;
    let end = line
        .trim_end()
        .strip_suffix(":::")?
        .trim_end_matches(':')
        .len();
    (start < end && !line[start..end].trim().is_empty()).then_some((kind, start..end))
}

fn title(rest: &str) -> Option<String> {
    let rest = rest.trim();
    let title = if let Some(inner) = rest.strip_prefix('[') {
        inner.rsplit_once(']').map_or(inner, |(t, _)| t)
    } else if let Some(inner) = rest.strip_prefix('{') {
        let inner = inner.trim_end_matches('}');
        let value = inner.split_once("title=")?.1.trim();
        value.trim_matches(|c| c == '"' || c == '\'')
    } else {
        rest
    };
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether a line starts an MDX `import` or `export` statement.
pub fn starts_statement(line: &str) -> bool {
    let line = line.trim_start();
    let import = line.strip_prefix("import ").is_some_and(|rest| {
        rest.contains(" from '")
            || rest.contains(" from \"")
            || rest.starts_with(['\'', '"'])
            || rest.trim_end().ends_with(';')
    });
    import
        || line.starts_with("export const ")
        || line.starts_with("export default ")
        || line.starts_with("export function ")
}

/// How far a statement's brackets are open after `line`: a statement that opens `{` goes on
/// until they close.
pub fn bracket_balance(line: &str, mut open: i64) -> i64 {
    for c in line.chars() {
        match c {
            '{' | '[' | '(' => open += 1,
            '}' | ']' | ')' => open -= 1,
            _ => {}
        }
    }
    open.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(kind: &'static str, title: &str) -> Option<Marker> {
        Some(Marker::Open {
            kind,
            title: title.into(),
        })
    }

    #[test]
    fn every_form_of_marker() {
        assert_eq!(marker(":::note"), open("note", "Note"));
        assert_eq!(
            marker("  :::warning Rate limits "),
            open("warning", "Rate limits")
        );
        assert_eq!(marker(":::tip[Save time]"), open("tip", "Save time"));
        assert_eq!(
            marker(":::caution{title=\"Careful\"}"),
            open("caution", "Careful")
        );
        assert_eq!(marker("::::info"), open("info", "Info"));
        assert_eq!(marker(":::Custom"), open("note", "Custom"));
        assert_eq!(marker(":::"), Some(Marker::Close));
        assert_eq!(marker("::::  "), Some(Marker::Close));
        assert_eq!(marker("::"), None);
        assert_eq!(marker("::: 42"), None);
        assert_eq!(marker("a ::: b"), None);
    }

    #[test]
    fn one_line_admonitions() {
        let line = ":::tip Save time: batch calls. :::";
        let (kind, text) = one_line(line).unwrap();
        assert_eq!((kind, &line[text]), ("tip", " Save time: batch calls. "));
        assert_eq!(one_line(":::note Title"), None);
        assert_eq!(one_line(":::note :::"), None);
        assert_eq!(one_line(":::"), None);
    }

    #[test]
    fn statements() {
        assert!(starts_statement("import Tabs from '@theme/Tabs';"));
        assert!(starts_statement("export const meta = {"));
        assert!(!starts_statement("import your data from the API"));
        assert_eq!(bracket_balance("export const meta = {", 0), 1);
        assert_eq!(bracket_balance("};", 1), 0);
    }
}
