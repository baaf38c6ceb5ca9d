//! Text written for people from content: the team's reports in the terminal and as Markdown
//! for an issue or a pull-request comment.
//!
//! The reports are built as [`Md`] or [`Term`], text already escaped for its format
//! (`diag::Text`): every value from content enters through [`code`] (Markdown: always inside a
//! code span, on one line) or [`value`] (the terminal: printable), so that a record cannot act
//! on a terminal, nor add links, images, mentions or formatting to a comment.

use crate::diag::{Markdown, Terminal, Text};

/// Markdown for an issue or a pull-request comment.
pub type Md = Text<Markdown>;

/// Text for the terminal.
pub type Term = Text<Terminal>;

/// A value from content, for the terminal.
pub fn value(text: &str) -> Term {
    Text::content(text)
}

/// A value from content as a Markdown code span.
pub fn code(text: &str) -> Md {
    Text::content(text)
}

/// A day count as people say it.
pub fn days<G: crate::diag::Grammar>(n: i64) -> Text<G> {
    match n {
        1 => "1 day".into(),
        n => crate::text![n, " days"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_value_on_one_line() {
        let code = |text: &str| code(text).into_string();
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(
            code("[x](javascript:y)\n<img>"),
            "`[x](javascript:y)\\u{a}<img>`"
        );
        assert_eq!(code("\u{1b}[2K"), "`\\u{1b}[2K`");
        assert_eq!(code(""), "`  `");
        assert_eq!(code(" a "), "`  a  `");
    }
}
