//! Problems found in the user's content, as data.
//!
//! A [`Diagnostic`] never prints itself: [`emit`] is the one printer. Content problems are
//! collected here and reported together; environment failures (I/O, flags) are `anyhow` errors.

mod emit;
mod escape;
mod line_index;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use emit::{Format, emit, emit_each, emit_under};
pub use escape::{
    Grammar, Markdown, Sarif, Terminal, Text, WorkflowData, WorkflowProperty, json_escaped,
    markdown_code, printable, sarif_message,
};
pub use line_index::{LineIndex, Position};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A source span: a byte range in a file, named by its path relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Label {
    pub file: PathBuf,
    pub range: Range<usize>,
    pub message: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case identifier listed in README.md; tools and tests match on it.
    pub code: &'static str,
    pub message: String,
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points at the problem itself.
    pub fn at(mut self, file: &Path, range: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file: file.to_path_buf(),
            range,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Points at related context, such as the first of two duplicates.
    pub fn with_context(
        mut self,
        file: &Path,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            file: file.to_path_buf(),
            range,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// site.yaml's diagnostics come first: the rest of the content is judged by its settings,
    /// so its problems can explain others.
    fn sort_key(&self) -> (bool, Option<(&Path, usize)>, Severity, &'static str) {
        let place = self
            .labels
            .iter()
            .find(|l| l.primary)
            .map(|l| (l.file.as_path(), l.range.start));
        let site = Path::new(crate::load::SITE_FILE);
        let after_site = place.is_some_and(|(file, _)| file != site);
        (after_site, place, self.severity, self.code)
    }
}

/// Every diagnostic of one run, in a stable order: site.yaml's first, then by file and
/// position.
#[derive(Debug, Default, Clone, serde::Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by place so that parallel loading still prints the same report every run.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The text of every file a diagnostic may point into, keyed by the path labels use, each with
/// one [`LineIndex`] made on first use and shared by every diagnostic of the run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, Source>,
}

#[derive(Debug, Clone)]
struct Source {
    text: Arc<str>,
    index: OnceLock<LineIndex>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: Arc<str>) {
        let index = OnceLock::new();
        self.files.insert(path, Source { text, index });
    }

    /// A file's text with its line index.
    pub fn indexed(&self, path: &Path) -> Option<(&str, &LineIndex)> {
        let source = self.files.get(path)?;
        let index = source.index.get_or_init(|| LineIndex::new(&source.text));
        Some((&source.text, index))
    }

    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// Only the files that `diagnostics` point into: a build need not keep every page's text.
    pub fn only_for(self, diagnostics: &[Diagnostic]) -> Sources {
        let wanted: std::collections::BTreeSet<&Path> = diagnostics
            .iter()
            .flat_map(|d| &d.labels)
            .map(|l| l.file.as_path())
            .collect();
        Sources {
            files: self
                .files
                .into_iter()
                .filter(|(path, _)| wanted.contains(path.as_path()))
                .collect(),
        }
    }

    /// Where `offset` is in `file`, as 1-based line and column.
    pub fn position_of(&self, file: &Path, offset: usize) -> Option<Position> {
        let (text, index) = self.indexed(file)?;
        Some(index.position(text, offset))
    }

    /// Where a label starts, as 1-based line and column.
    pub fn position(&self, label: &Label) -> Option<Position> {
        self.position_of(&label.file, label.range.start)
    }
}
