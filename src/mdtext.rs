//! Text written for people from content: the team's reports in the terminal and as Markdown
//! for an issue or a pull-request comment.
//!
//! Every value from content goes through [`value`] (the terminal) or [`code`] (Markdown), so
//! that a record cannot act on a terminal, nor add links, images, mentions or formatting to a
//! comment: in Markdown it is always inside a code span, on one line.

use crate::diag::printable;

/// A value from content, for the terminal.
pub fn value(text: &str) -> String {
    printable(text).into_owned()
}

/// A value from content as a Markdown code span: on one line, fenced by more backticks than it
/// holds in a row, so nothing in it is read as Markdown or HTML.
pub fn code(text: &str) -> String {
    // Line breaks are escaped by `printable`, so the span stays on one line.
    let text = printable(text);
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space inside its fence, which
    // CommonMark strips again.
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A day count as people say it.
pub fn days(n: i64) -> String {
    match n {
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_value_on_one_line() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(
            code("[x](javascript:y)\n<img>"),
            "`[x](javascript:y)\\u{a}<img>`"
        );
        assert_eq!(code("\u{1b}[2K"), "`\\u{1b}[2K`");
        assert_eq!(code(""), "`  `");
    }
}
