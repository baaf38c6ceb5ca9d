//! Field-level checking shared by every record-like file: turning a spanned value into a
//! checked one, or a diagnostic at its line. Keeps `record` and `site` free of span plumbing.

use std::ops::Range;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::load::yaml::{self, Embedded, Spanned};

use super::formats::{self, DateProblem};

/// Checks the fields of one YAML document and collects the problems.
pub struct Fields<'a> {
    pub doc: Embedded<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(doc: Embedded<'a>) -> Self {
        Fields {
            doc,
            diagnostics: Vec::new(),
        }
    }

    pub fn range<T>(&self, value: &Spanned<T>) -> Range<usize> {
        yaml::range_of(&self.doc, &value.referenced)
    }

    pub fn error<T>(
        &mut self,
        code: &'static str,
        value: &Spanned<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let range = self.range(value);
        self.push_at(Diagnostic::error(code, message), range, label, help);
    }

    pub fn warning<T>(
        &mut self,
        code: &'static str,
        value: &Spanned<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let range = self.range(value);
        self.push_at(Diagnostic::warning(code, message), range, label, help);
    }

    fn push_at(
        &mut self,
        diagnostic: Diagnostic,
        range: Range<usize>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let diagnostic = diagnostic.at(self.doc.file, range, label).with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Reports a missing field: at its parent mapping when there is one, else at the start.
    /// A key written without a value (or with `null`, `Null` or `~`, which YAML reads as
    /// nothing) is reported at its line instead: the author did write it.
    pub fn missing(&mut self, field: &str, parent: Option<Range<usize>>, help: impl Into<String>) {
        let key = field.rsplit('.').next().unwrap_or(field);
        if let Some(range) = self.key_without_value(key, parent.as_ref()) {
            let diagnostic = Diagnostic::error("empty-field", format!("`{field}` has no value"));
            let help = "write a value; if it is the word Null, No or similar, put it in quotes, such as title: \"Null\"";
            self.push_at(diagnostic, range, "YAML reads this as nothing", help);
            return;
        }
        let range = parent.unwrap_or(self.doc.offset..self.doc.offset);
        let label = match field.rsplit_once('.') {
            Some((parent, _)) => format!(
                "`{parent}` needs `{}`",
                field.rsplit('.').next().unwrap_or(field)
            ),
            None => format!("add `{field}` to this file"),
        };
        let diagnostic =
            Diagnostic::error("missing-field", format!("missing required field `{field}`"));
        self.push_at(diagnostic, range, label, help);
    }

    /// The line of `key:` with an empty or null value, at the top level or inside `parent`.
    fn key_without_value(&self, key: &str, parent: Option<&Range<usize>>) -> Option<Range<usize>> {
        self.key_line(key, parent, |value| {
            matches!(value, "" | "~" | "null" | "Null" | "NULL")
        })
    }

    /// The line of `key:` at the top level or inside `parent`, when its value (as written,
    /// without a comment) satisfies `wanted`: for a key whose value serde leaves no span of,
    /// such as an empty list.
    pub fn key_line(
        &self,
        key: &str,
        parent: Option<&Range<usize>>,
        wanted: impl Fn(&str) -> bool,
    ) -> Option<Range<usize>> {
        let yaml = self.doc.yaml;
        let (from, indent) = match parent {
            Some(range) => {
                let start = range.start.saturating_sub(self.doc.offset);
                let line_start = yaml[..start.min(yaml.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                (line_start, start.saturating_sub(line_start))
            }
            None => (0, 0),
        };
        let mut offset = from;
        for line in yaml[from..].split_inclusive('\n') {
            let content = line.trim_end();
            let depth = content.len() - content.trim_start().len();
            let trimmed = content.trim_start().trim_start_matches("- ");
            if offset > from && !content.is_empty() && depth < indent {
                break;
            }
            if let Some(value) = trimmed.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                let value = value.split(" #").next().unwrap_or("").trim();
                if wanted(value) && depth == indent {
                    let start = self.doc.offset + offset + depth;
                    let shown = content.split(" #").next().unwrap_or(content).trim_end();
                    return Some(start..self.doc.offset + offset + shown.len());
                }
            }
            offset += line.len();
        }
        None
    }

    /// Where `text` (the trimmed value) goes past its `max`th character in the file, so the
    /// underline shows what must go; the whole value when the text is not written as it reads
    /// (escapes, a folded scalar), where no byte in the file stands for that character.
    fn past_limit(&self, value: &Spanned<String>, text: &str, max: usize) -> Range<usize> {
        let range = self.range(value);
        let written = self.doc.file_text.get(range.clone()).unwrap_or("");
        let beyond = text.char_indices().nth(max).map(|(i, _)| i);
        match (written.find(text), beyond) {
            (Some(at), Some(beyond)) => range.start + at + beyond..range.start + at + text.len(),
            _ => range,
        }
    }

    /// A single-line text value: required or not, trimmed, at most `max` characters.
    pub fn text(
        &mut self,
        field: &str,
        value: &Option<Spanned<String>>,
        max: usize,
    ) -> Option<String> {
        let value = value.as_ref()?;
        let text = value.value.trim();
        if text.is_empty() {
            self.error(
                "empty-field",
                value,
                format!("`{field}` is empty"),
                "empty value",
                "write a value or remove the field",
            );
            return None;
        }
        let length = text.chars().count();
        if length > max {
            let range = self.past_limit(value, text, max);
            self.push_at(
                Diagnostic::error(
                    "too-long",
                    format!("`{field}` is {length} characters long, more than {max}"),
                ),
                range,
                format!("past the limit of {max} characters"),
                "shorten it",
            );
        }
        if let Some(c) = text.chars().find(|&c| c != '\n' && is_invisible(c)) {
            self.error(
                "invisible-character",
                value,
                format!("`{field}` contains the invisible character U+{:04X}", c as u32),
                "invisible or control character",
                "delete it: direction overrides, zero-width and control characters can make text read differently than it displays",
            );
            return None;
        }
        if text.contains('\n') {
            self.error(
                "multi-line",
                value,
                format!("`{field}` spans several lines"),
                "one line expected",
                "write it on one line",
            );
        }
        Some(text.to_string())
    }

    /// A text value that must be present.
    pub fn required_text(
        &mut self,
        field: &str,
        value: &Option<Spanned<String>>,
        max: usize,
        parent: Option<Range<usize>>,
        help: &str,
    ) -> Option<String> {
        if value.is_none() {
            self.missing(field, parent, help);
        }
        self.text(field, value, max)
    }

    pub fn url(
        &mut self,
        field: &str,
        value: &Option<Spanned<String>>,
        https_only: bool,
    ) -> Option<String> {
        let url = self.text(field, value, 2048)?;
        let spanned = value.as_ref()?;
        match formats::url(&url, https_only) {
            Err(problem) => {
                let message = format!("`{field}` is not an acceptable URL: {problem}");
                self.error(
                    "invalid-url",
                    spanned,
                    message,
                    problem,
                    "write a full https:// address, such as https://acme.example/support",
                );
                None
            }
            Ok(parsed) => {
                if parsed.scheme() == "http" {
                    self.warning(
                        "insecure-url",
                        spanned,
                        format!("`{field}` uses http"),
                        "not https",
                        "use https:// so visitors are not sent to an insecure page",
                    );
                }
                Some(crate::markdown::published(&url, &parsed))
            }
        }
    }

    pub fn email(&mut self, field: &str, value: &Option<Spanned<String>>) -> Option<String> {
        let email = self.text(field, value, 254)?;
        if formats::is_email(&email) {
            return Some(email);
        }
        self.error(
            "invalid-email",
            value.as_ref()?,
            format!("`{field}` is not an email address"),
            "expected name@domain.example",
            "write one address, such as support@acme.example",
        );
        None
    }

    pub fn date(&mut self, field: &str, value: &Option<Spanned<String>>) -> Option<NaiveDate> {
        let text = self.text(field, value, 10)?;
        let (message, label, help) = match formats::date(&text) {
            Ok(date) => return Some(date),
            Err(DateProblem::Format) => (
                format!("`{field}` is not a date"),
                "expected YYYY-MM-DD".to_string(),
                "write an ISO date, such as 2026-06-01",
            ),
            Err(DateProblem::NoSuchDay(why)) => (
                format!("`{field}` is {text}, a day that does not exist"),
                why,
                "write a day of the calendar, in the order year, month, day",
            ),
        };
        self.error("invalid-date", value.as_ref()?, message, label, help);
        None
    }

    pub fn semver(
        &mut self,
        field: &str,
        value: &Option<Spanned<String>>,
    ) -> Option<semver::Version> {
        let text = self.text(field, value, 64)?;
        match formats::version(&text) {
            Ok(version) => Some(version),
            Err(why) => {
                let help = match why.contains("MAJOR") {
                    true => "write three numbers, such as 2.3.0",
                    false => {
                        "write a pre-release as dot-separated words or numbers, numbers without a leading zero, such as 1.0.0-rc.1"
                    }
                };
                self.error(
                    "invalid-version",
                    value.as_ref()?,
                    format!("`{field}` is not a semantic version"),
                    why,
                    help,
                );
                None
            }
        }
    }

    /// One of `allowed`, with a suggestion when it looks like a typo.
    pub fn one_of(
        &mut self,
        field: &str,
        value: &Option<Spanned<String>>,
        allowed: &[&str],
    ) -> Option<String> {
        let text = self.text(field, value, 64)?;
        if allowed.contains(&text.as_str()) {
            return Some(text);
        }
        let help = match yaml::suggest(&text, allowed) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of: {}", allowed.join(", ")),
        };
        self.error(
            "unknown-value",
            value.as_ref()?,
            format!("`{text}` is not an allowed `{field}`"),
            "not an allowed value",
            help,
        );
        None
    }
}

/// Control characters, and every character Unicode says displays as nothing: default-ignorable
/// code points (zero-width, tag, variation selector, Hangul filler) and format characters (Cf:
/// direction overrides and marks, U+180E). They change how text reads without being seen,
/// which lets a name or link pose as another. Noncharacters (U+FFFE, U+FFFF, U+FDD0…) are
/// not text at all, and XML may not hold U+FFFE or U+FFFF: a name with one breaks the feed.
pub fn is_invisible(c: char) -> bool {
    use icu_properties::props::{
        DefaultIgnorableCodePoint, GeneralCategory, NoncharacterCodePoint,
    };
    use icu_properties::{CodePointMapData, CodePointSetData};
    c.is_control()
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointSetData::new::<NoncharacterCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters() {
        for c in [
            '\u{202E}',
            '\u{200B}',
            '\u{0001}',
            '\t',
            '\u{2066}',
            '\u{FEFF}',
            '\u{E0041}',
            '\u{2060}',
            '\u{180E}',
            '\u{115F}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{110BD}',
            '\u{1D173}',
            '\u{9B}',
            '\u{AD}',
            '\u{61C}',
            '\u{E01EF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{10FFFF}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in ['a', 'é', '&', ' ', '—', '中'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }
}
