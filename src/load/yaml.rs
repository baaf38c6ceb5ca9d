//! The one YAML wrapper: every YAML byte marketgen reads goes through [`parse`].
//!
//! It owns the parser settings that make third-party YAML safe (duplicate keys rejected at every
//! depth, no anchors or aliases, bounded depth, nodes and size, one document, no custom tags,
//! strict booleans) and turns parser errors into diagnostics that say what to write instead.
//! It must not interpret values: typed structs in `load::record` and `load::site` do that.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, Location};

use crate::diag::{Diagnostic, LineIndex};

pub use serde_saphyr::Spanned;

/// The deepest nesting a record may use: the contract needs four levels.
const MAX_DEPTH: usize = 16;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        reject_unsupported_tags: true,
        budget: serde_saphyr::budget! {
            max_anchors: 0,
            max_aliases: 0,
            max_depth: MAX_DEPTH,
            max_nodes: 10_000,
            max_total_scalar_bytes: 256 * 1024,
            max_documents: 1,
        },
    }
}

/// A YAML document embedded in a file, such as Markdown front matter.
pub struct Embedded<'a> {
    pub file: &'a Path,
    /// The whole file, so diagnostics can show the offending line.
    pub file_text: &'a str,
    /// Where the YAML starts within `file_text`.
    pub offset: usize,
    pub yaml: &'a str,
}

/// Parses one YAML document into `T`, or explains the first problem at its place in the file.
pub fn parse<T: DeserializeOwned>(doc: &Embedded) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(doc.yaml, options()).map_err(|e| diagnose(doc, &e))
}

/// The byte range in the file of the value parsed at `location` of `doc`.
pub fn range_of(doc: &Embedded, location: &Location) -> std::ops::Range<usize> {
    let range = token_range(doc.yaml, offset_in(doc.yaml, location));
    doc.offset + range.start..doc.offset + range.end
}

fn offset_in(yaml: &str, location: &Location) -> usize {
    if let Some(offset) = location.span().byte_offset() {
        return (offset as usize).min(yaml.len());
    }
    let index = LineIndex::new(yaml);
    let Some(start) = index.line_start(location.line().max(1) as usize) else {
        return yaml.len();
    };
    yaml[start..]
        .char_indices()
        .nth(location.column().saturating_sub(1) as usize)
        .map_or(yaml.len(), |(i, _)| start + i)
}

/// The byte range of the scalar or key token at `offset` in `yaml`: to the end of the line's
/// value, so a caret underlines the whole offending word.
fn token_range(yaml: &str, offset: usize) -> std::ops::Range<usize> {
    let rest = &yaml[offset..];
    // A quoted value ends at its closing quote, whatever it holds (`, `, `: `, `#`).
    if let Some(len) = quoted_len(rest) {
        return offset..offset + len;
    }
    // In a flow list or mapping (`tags: [a, B, c]`) a plain value ends at the next `,`.
    let in_flow = yaml[..offset]
        .trim_end_matches(' ')
        .ends_with(['[', '{', ',']);
    let flow_end = match in_flow && !rest.starts_with(['"', '\'']) {
        true => rest.find([',', ']', '}']).unwrap_or(usize::MAX),
        false => usize::MAX,
    };
    let end = rest
        .find(['\n', '#'])
        .unwrap_or(rest.len())
        .min(rest.find(": ").unwrap_or(usize::MAX))
        .min(flow_end);
    let len = rest[..end].trim_end().len();
    offset..offset + len
}

/// The length of the quoted scalar `rest` starts with, quotes included, when it closes on
/// its first line.
fn quoted_len(rest: &str) -> Option<usize> {
    let quote = rest.chars().next().filter(|c| ['"', '\''].contains(c))?;
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let mut chars = line.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            // In single quotes, `''` is a quote inside the value.
            '\'' if quote == '\'' && line[i + 1..].starts_with('\'') => {
                chars.next();
            }
            c if c == quote => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn diagnose(doc: &Embedded, error: &Error) -> Diagnostic {
    let error = error.without_snippet();
    let offset = error
        .location()
        .filter(|l| l.line() > 0)
        .map_or(0, |l| offset_in(doc.yaml, &l));
    let range = token_range(doc.yaml, offset);
    let (code, message, label, help) = explain(doc.yaml, error, &range);
    let range = doc.offset + range.start..doc.offset + range.end;
    let diagnostic = Diagnostic::error(code, message).at(doc.file, range, label);
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

type Explanation = (&'static str, String, String, Option<String>);

fn explain(yaml: &str, error: &Error, range: &std::ops::Range<usize>) -> Explanation {
    let token = &yaml[range.clone()];
    match error {
        Error::SerdeUnknownField {
            field, expected, ..
        } => (
            "unknown-field",
            format!("unknown field `{field}`"),
            "not a field here".into(),
            Some(match suggest(field, expected) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            }),
        ),
        Error::InvalidBooleanStrict { .. } => (
            "yaml-boolean",
            format!("`{token}` is not a boolean"),
            "expected true or false".into(),
            Some("use true/false: YAML 1.1 words such as yes, no, on and off are ambiguous".into()),
        ),
        Error::DuplicateMappingKey { key, .. } => (
            "duplicate-key",
            match key {
                Some(key) => format!("duplicate key `{key}`"),
                None => "duplicate key".into(),
            },
            "this key appears earlier in the same mapping".into(),
            Some("remove one of the two entries: a record must say each thing once".into()),
        ),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            "yaml-type",
            format!("expected {expected}, found {unexpected}"),
            format!("expected {expected}"),
            None,
        ),
        Error::Unexpected { expected, .. } => (
            "yaml-type",
            format!("expected {} here", expected.replace("string scalar", "a single value (text)")),
            "not of the expected kind".into(),
            Some("compare this line with the field's example in the content format: lists and mappings only go where a field holds several values".into()),
        ),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => (
            "unknown-value",
            format!("unknown value `{variant}`"),
            "not an allowed value".into(),
            Some(match suggest(variant, expected) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            }),
        ),
        Error::Budget { breach, .. } => (
            "yaml-too-complex",
            budget_message(breach),
            "here".into(),
            Some(format!(
                "write plain YAML: no anchors (&) or aliases (*), one document, nesting of at most {MAX_DEPTH} levels"
            )),
        ),
        other => {
            let message = other.to_string();
            let message = message.lines().next().unwrap_or("invalid YAML");
            // The position is shown by the printer; drop the parser's own copy of it.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(message)
                .to_string();
            let help = syntax_help(&message).to_string();
            ("yaml-syntax", lowercase_first(&message), "here".into(), Some(help))
        }
    }
}

/// What to write instead, for the parser's syntax errors that authors make most.
fn syntax_help(message: &str) -> &'static str {
    let message = message.to_lowercase();
    let has = |words: &str| message.contains(words);
    if has("unclosed quote") || has("end of stream") && has("quoted") {
        "close the quote at the end of the value on the same line, or write the value without quotes"
    } else if has("mapping values are not allowed") {
        "a `: ` inside a value starts a new field: put the whole value in quotes, such as summary: \"Sync: orders and stock\"; if this line is a field, indent it as the fields beside it"
    } else if has("escape") {
        "in double quotes a backslash starts an escape such as \\n: write \\\\ for a backslash, or use single quotes"
    } else if has("tab") {
        "indent with spaces: YAML does not allow tabs for indentation"
    } else if has("block scalar") {
        "after `|` or `>` start the text on the next line, indented more than the field"
    } else if has("unexpected character") {
        "a value may not start with @ or `: put the value in quotes"
    } else if has("expected key") || has("indentation") || has("document start") {
        "indent the fields of one mapping by the same number of spaces, and each list item's fields under its first one"
    } else {
        "check the quoting and indentation of this line against the example in the content format"
    }
}

fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Aliases { .. } | B::Anchors { .. } => "anchors and aliases are not allowed".into(),
        B::Depth { .. } => format!("nesting deeper than {MAX_DEPTH} levels"),
        B::Documents { .. } => "more than one YAML document".into(),
        _ => "the YAML is larger than a record may be".into(),
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The candidates `word` most likely stands for, for a name typed on the command line: those
/// it begins (sorted, at most five), else the closest, if any is close enough.
pub fn suggest_all<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let mut prefixed: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| !word.is_empty() && c.starts_with(word))
        .collect();
    prefixed.sort_unstable();
    prefixed.truncate(5);
    match prefixed.is_empty() {
        true => suggest(word, candidates).into_iter().collect(),
        false => prefixed,
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::Path;

    // The fields exist to be parsed; the tests read only some of them.
    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        version: Option<String>,
        gdpr: Option<bool>,
        country: Option<String>,
        nested: Option<Nested>,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Nested {
        a: Option<String>,
    }

    fn run(yaml: &str) -> Result<Doc, Diagnostic> {
        parse(&Embedded {
            file: Path::new("f.yaml"),
            file_text: yaml,
            offset: 0,
            yaml,
        })
    }

    fn error_at(yaml: &str) -> (Diagnostic, usize) {
        let d = run(yaml).unwrap_err();
        let start = d.labels[0].range.start;
        (d, start)
    }

    #[test]
    fn yaml_1_1_traps_stay_strings() {
        let doc = run("version: 1.10\ncountry: NO\n").unwrap();
        assert_eq!(doc.version.as_deref(), Some("1.10"));
        assert_eq!(doc.country.as_deref(), Some("NO"));
    }

    #[test]
    fn yes_is_not_a_boolean() {
        let (d, at) = error_at("version: x\ngdpr: yes\n");
        assert_eq!(d.code, "yaml-boolean");
        assert_eq!(at, "version: x\ngdpr: ".len());
        assert!(d.help.unwrap().contains("use true/false"));
    }

    #[test]
    fn duplicate_keys_are_errors_at_any_depth() {
        let (d, at) = error_at("nested:\n  a: x\n  a: y\n");
        assert_eq!(d.code, "duplicate-key");
        assert_eq!(at, "nested:\n  a: x\n  ".len());
        let (d, _) = error_at("version: x\nversion: y\n");
        assert_eq!(d.code, "duplicate-key");
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let (d, at) = error_at("version: x\nvresion: y\n");
        assert_eq!(d.code, "unknown-field");
        assert_eq!(at, "version: x\n".len());
        assert_eq!(d.help.as_deref(), Some("did you mean `version`?"));
    }

    #[test]
    fn anchors_and_aliases_are_refused() {
        let (d, _) = error_at("version: &a x\ncountry: *a\n");
        assert_eq!(d.code, "yaml-too-complex");
    }

    #[test]
    fn syntax_errors_get_help_for_their_kind() {
        for (yaml, help) in [
            ("version: \"1.0\n", "close the quote"),
            ("version: Sync: orders\n", "put the whole value in quotes"),
            ("version: \"a\\q\"\n", "backslash"),
            ("version: @x\n", "may not start with @"),
            ("version: |x\n", "after `|` or `>`"),
            (
                "version: x\n  country: y\n",
                "put the whole value in quotes",
            ),
            ("  version: x\ncountry: y\n", "indent the fields"),
        ] {
            let (d, _) = error_at(yaml);
            assert_eq!(d.code, "yaml-syntax", "{yaml:?}");
            let got = d.help.unwrap_or_default();
            assert!(got.contains(help), "{yaml:?}: {} / {got}", d.message);
        }
    }

    #[test]
    fn a_value_in_a_flow_list_is_underlined_alone() {
        let yaml = "tags: [orders, Invoices, orders]\n";
        let at = yaml.find("Invoices").unwrap();
        assert_eq!(token_range(yaml, at), at..at + "Invoices".len());
        let yaml = "summary: Orders, products, stock\n";
        assert_eq!(token_range(yaml, 9), 9..yaml.len() - 1);
    }

    #[test]
    fn a_quoted_value_is_underlined_to_its_closing_quote() {
        for (yaml, value) in [
            (
                r#"badges: ["Certified", certified, "x, y"]"#,
                r#""Certified""#,
            ),
            (r#"tags: ["a \" b", c]"#, r#""a \" b""#),
            ("tags: ['it''s', c]", "'it''s'"),
            (r#"summary: "Sync: orders" # note"#, r#""Sync: orders""#),
        ] {
            let at = yaml.find(['"', '\'']).unwrap();
            assert_eq!(&yaml[token_range(yaml, at)], value, "{yaml}");
        }
        // Unclosed on its line: to the end of the line, as before.
        let yaml = "summary: \"two\n  lines\"\n";
        assert_eq!(token_range(yaml, 9), 9..13);
    }

    #[test]
    fn two_documents_are_refused() {
        assert!(run("version: x\n---\nversion: y\n").is_err());
    }

    #[test]
    fn offsets_include_the_embedding() {
        let text = "---\nversion: x\ngdpr: maybe\n---\n";
        let d = parse::<Doc>(&Embedded {
            file: Path::new("f.md"),
            file_text: text,
            offset: 4,
            yaml: &text[4..text.len() - 4],
        })
        .unwrap_err();
        assert_eq!(d.labels[0].range.start, text.find("maybe").unwrap());
    }
}
