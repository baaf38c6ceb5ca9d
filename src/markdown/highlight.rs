//! Code blocks highlighted with classes (`hl-` prefixed scope names, coloured by syntax.css),
//! never with `style`: the site's Content-Security-Policy allows no inline style.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use syntect::html::ClassStyle;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

use super::emit::escape_into;

const CLASS_PREFIX: &str = "hl-";
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// Loaded once, and only by builds: building the syntax set is the slowest part of start-up.
pub static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Appends a code block: highlighted when `lang` names a syntax (the name only selects it and
/// is never written), escaped otherwise.
pub fn code_block(lang: Option<&str>, code: &str, html: &mut String) {
    let syntax = lang.and_then(|l| SYNTAXES.find_syntax_by_token(l));
    if !syntax.is_some_and(|s| highlight(s, code, html)) {
        escape_into(html, code);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
