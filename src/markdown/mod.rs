//! Markdown to safe HTML, in two stages that two steps of the pipeline own:
//!
//! 1. [`analyse`] (validate's pass): `parse` turns pulldown-cmark's events into a
//!    [`tree::Document`], with author HTML cut by `raw_html`, admonitions and MDX read by
//!    `directives`, links and images checked and rewritten by `links`, and heading ids and
//!    the table of contents made by `headings`. Every problem becomes a diagnostic here, once.
//! 2. [`html`] (render): `emit` writes the document, with code highlighted by `highlight`.
//!    It makes no decision and reports nothing.
//!
//! Content is untrusted: author HTML becomes text unless it is one of a few attribute-free
//! elements (or a checked link or image), every URL is read as a browser reads it, the fence
//! language only selects a syntax, nothing emits a `style` attribute (so the site's
//! Content-Security-Policy needs no `unsafe-inline`), and every kind of nesting counts
//! against one limit.

mod directives;
mod emit;
mod headings;
pub(crate) mod highlight;
mod links;
mod parse;
mod raw_html;
pub mod tree;

use std::collections::BTreeSet;
use std::path::Path;

pub use emit::{EXTERNAL_REL, escape_into, sanitizer};
pub use highlight::CLASS_STYLE;
pub use links::{Bundle, Problem as LinkProblem, published, web_address};
pub use tree::{Document, TocEntry};

use crate::diag::Diagnostic;

/// The Markdown page of `bundle` that `dest` names (its key, `docs/setup.md`), read by the
/// rule of every docs link: for a link written outside Markdown, such as a record's
/// `changelog[].migration`. `Ok(None)` when it names something else (another site, a file,
/// a heading), `Err` when no docs link could point there.
pub fn linked_page(dest: &str, bundle: &Bundle) -> Result<Option<String>, LinkProblem> {
    let rules = links::Rules {
        image_hosts: &[],
        suggest: true,
    };
    Ok(match links::resolve(dest, bundle, false, &rules)? {
        links::Target::Url(url) => bundle
            .pages
            .iter()
            .find(|(_, page)| **page == url)
            .map(|(key, _)| key.clone()),
        _ => None,
    })
}

/// Deeper nesting than any real document needs; deeper input is an attack on renderers.
pub const MAX_DEPTH: usize = 32;

/// What author HTML beyond the safe elements becomes (`markdown.raw_html` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Shown as text, with a warning.
    #[default]
    Escape,
    /// Kept within ammonia's safe subset.
    Sanitize,
}

/// The marketplace's Markdown settings.
pub struct Policy<'a> {
    pub raw_html: RawHtml,
    /// Hosts whose images pages may show; none by default.
    pub image_hosts: &'a [String],
}

/// One page to analyse.
pub struct Source<'a> {
    /// The file, for diagnostics.
    pub file: &'a Path,
    /// The whole file; the Markdown starts at `body_offset`.
    pub text: &'a str,
    pub body_offset: usize,
    /// The page's title: a first `# Heading` that repeats it is not shown twice.
    pub title: &'a str,
}

/// A page's Markdown, checked and ready to be written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub document: Document,
    /// The `##` and `###` headings, nested.
    pub toc: Vec<TocEntry>,
    /// Files of the bundle the page links to or shows, which must be published with it.
    pub files: BTreeSet<String>,
    /// The ids of the page's headings (and footnotes), percent-encoded as links write them.
    pub anchors: BTreeSet<String>,
    /// Links to a heading of this page or another page of the bundle: whether it exists is
    /// known only once every page of the bundle is analysed.
    pub fragment_links: Vec<FragmentLink>,
}

/// A link to `page#fragment` or `#fragment`.
#[derive(Debug, Clone, PartialEq)]
pub struct FragmentLink {
    /// The linked page, as a key of the bundle's pages (`docs/setup.md`); `None`: this page.
    pub page: Option<String>,
    /// Percent-encoded, as published and as [`Body::anchors`] holds ids.
    pub fragment: String,
    /// The destination as written, for the diagnostic.
    pub written: String,
    /// The link's first line in the file.
    pub at: std::ops::Range<usize>,
}

/// The page's body and every problem in it.
pub fn analyse(source: &Source, bundle: &Bundle, policy: &Policy) -> (Body, Vec<Diagnostic>) {
    parse::analyse(source, bundle, policy)
}

/// The analysed page's HTML.
pub fn html(document: &Document) -> String {
    emit::html(document)
}

#[cfg(test)]
mod tests;
