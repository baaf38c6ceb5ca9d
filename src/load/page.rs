//! Markdown pages: the front matter between `---` lines, parsed through the YAML wrapper, and
//! the body with its offset in the file so Markdown diagnostics point at the right line.

use std::path::Path;

use super::files::TextFile;
use super::record::RawFrontMatter;
use super::yaml::{self, Embedded};
use crate::diag::Diagnostic;

#[derive(Debug, Clone)]
pub struct RawPage {
    pub file: TextFile,
    /// The file name without `.md`: `index`, `setup`, `_index`.
    pub name: String,
    /// `None` when the front matter is missing or invalid (a diagnostic says which).
    pub front: Option<RawFrontMatter>,
    /// Where the front matter's YAML lies in the file, for diagnostics that point into it.
    pub front_range: std::ops::Range<usize>,
    pub body_offset: usize,
    /// Front matter keys not in [`FRONT_MATTER_KEYS`].
    pub unknown_keys: Vec<String>,
}

/// The front matter keys marketgen reads.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "sidebar_position",
    "sidebar_label",
];

impl RawPage {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }

    /// Where a value of the front matter sits in the file.
    pub fn front_embedding(&self) -> Embedded<'_> {
        let text = &self.file.text;
        Embedded {
            file: &self.file.path,
            file_text: text,
            offset: self.front_range.start,
            yaml: &text[self.front_range.clone()],
        }
    }
}

/// Splits and parses one Markdown page.
pub fn parse(file: TextFile) -> (RawPage, Option<Diagnostic>) {
    let name = Path::new(&file.path)
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let Some((front_offset, front_end, body_offset)) = split(&file.text) else {
        let diagnostic = Diagnostic::error("missing-front-matter", "the page has no front matter")
            .at(&file.path, 0..0, "expected `---` on the first line")
            .with_help("start the page with:\n---\ntitle: Page title\n---");
        let page = RawPage {
            file,
            name,
            front: None,
            front_range: 0..0,
            body_offset: 0,
            unknown_keys: Vec::new(),
        };
        return (page, Some(diagnostic));
    };
    let mut page = RawPage {
        file,
        name,
        front: None,
        front_range: front_offset..front_end,
        body_offset,
        unknown_keys: Vec::new(),
    };
    let parsed = yaml::parse::<Option<RawFrontMatter>>(&page.front_embedding()).map(|front| {
        type Keys = std::collections::BTreeMap<String, serde::de::IgnoredAny>;
        let keys = yaml::parse::<Option<Keys>>(&page.front_embedding());
        (front, keys.ok().flatten())
    });
    match parsed {
        Ok((front, keys)) => {
            page.front = Some(front.unwrap_or_default());
            page.unknown_keys = keys
                .into_iter()
                .flat_map(|keys| keys.into_keys())
                .filter(|key| !FRONT_MATTER_KEYS.contains(&key.as_str()))
                .collect();
            (page, None)
        }
        Err(diagnostic) => (page, Some(diagnostic)),
    }
}

/// `(yaml start, yaml end, body start)` when the text opens with a `---` fence that closes.
fn split(text: &str) -> Option<(usize, usize, usize)> {
    let first = text.lines().next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let start = first.len()
        + if text[first.len()..].starts_with("\r\n") {
            2
        } else {
            1
        };
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((start, offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> (RawPage, Option<Diagnostic>) {
        parse(TextFile {
            path: "docs/x.md".into(),
            text: text.into(),
        })
    }

    #[test]
    fn splits_front_matter_and_body() {
        let (p, d) = page("---\ntitle: Setup\nweight: 10\n---\n# Hi\n");
        assert!(d.is_none());
        assert_eq!(
            p.front.as_ref().unwrap().title.as_ref().unwrap().value,
            "Setup"
        );
        assert_eq!(p.body(), "# Hi\n");
    }

    #[test]
    fn empty_front_matter_is_allowed_here() {
        let (p, d) = page("---\n---\nbody");
        assert!(d.is_none(), "{d:?}");
        assert!(p.front.as_ref().unwrap().title.is_none());
        assert_eq!(p.body(), "body");
    }

    #[test]
    fn missing_front_matter_is_reported() {
        let (_, d) = page("# Just a heading\n");
        assert_eq!(d.unwrap().code, "missing-front-matter");
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let text = "---\ntitle: A\nweight: heavy\n---\n";
        let (_, d) = page(text);
        let d = d.unwrap();
        assert_eq!(d.code, "yaml-syntax");
        assert_eq!(d.labels[0].range.start, text.find("heavy").unwrap());
    }

    #[test]
    fn unknown_keys_are_listed_for_a_warning() {
        let (p, d) = page("---\ntitle: A\ntitel: B\nsidebar_position: 2\nslug: /x\n---\n");
        assert!(d.is_none(), "{d:?}");
        assert_eq!(p.unknown_keys, ["slug", "titel"]);
        assert_eq!(p.front.unwrap().sidebar_position, Some(2));
    }
}
