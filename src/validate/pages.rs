//! Markdown pages: front matter rules and, through `markdown` in check mode, their links and
//! raw HTML. Also builds the link maps (`Bundle`s) that `render` uses the same way.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::load::page::RawPage;
use crate::markdown::{self, Bundle, Mode};
use crate::model::{Page, RawHtml, Site};
use crate::urls;

use super::fields::Fields;

/// A checked page, or `None` when its front matter is unusable.
pub fn page(raw: &RawPage, diagnostics: &mut Vec<Diagnostic>) -> Option<Page> {
    let front = raw.front.as_ref()?;
    let mut f = Fields::new(raw.front_embedding());
    if front.title.is_none() {
        f.missing(
            "title",
            None,
            "add `title: Page title` between the `---` lines",
        );
    }
    let name = &raw.name;
    if name != "_index"
        && (!super::formats::is_slug(name) || super::paths::is_windows_reserved(name))
    {
        let problem = if super::paths::is_windows_reserved(name) {
            "is reserved on Windows"
        } else {
            "is not a slug"
        };
        f.diagnostics.push(
            Diagnostic::error("invalid-page-name", format!("the page name `{name}` {problem}"))
                .at(&raw.file.path, 0..0, "this file's name becomes its address")
                .with_help("rename the file with lowercase letters, digits and hyphens, such as `field-mapping.md`"),
        );
    }
    let title = f.text("title", &front.title, 120);
    let description = f.text("description", &front.description, 300);
    diagnostics.extend(f.diagnostics);
    Some(Page {
        file: raw.file.path.clone(),
        name: raw.name.clone(),
        title: title?,
        description,
        weight: front.weight.unwrap_or(0),
        text: raw.file.text.clone(),
        body_offset: raw.body_offset,
    })
}

/// Sorts pages by weight, then file name.
pub fn sort(pages: &mut [Page]) {
    pages.sort_by(|a, b| (a.weight, &a.name).cmp(&(b.weight, &b.name)));
}

/// The link map of a connector's folder: its docs pages and files.
pub struct ConnectorLinks {
    pub pages: BTreeMap<String, String>,
    pub url: String,
}

impl ConnectorLinks {
    pub fn new(site: &Site, slug: &str, doc_names: impl Iterator<Item = String>) -> Self {
        let base = &site.base_path;
        ConnectorLinks {
            pages: doc_names
                .map(|name| {
                    let url = format!("{base}{}", urls::connector_doc(slug, &name));
                    (format!("docs/{name}.md"), url)
                })
                .collect(),
            url: format!("{base}{}", urls::connector(slug)),
        }
    }

    pub fn bundle<'a>(&'a self, site: &'a Site, files: &'a BTreeSet<String>) -> Bundle<'a> {
        Bundle {
            dir: "docs",
            files,
            pages: &self.pages,
            url: &self.url,
            name: "the connector's folder",
            base_path: &site.base_path,
        }
    }
}

/// The link map of the guide folder, also used for the home page (with `guide/` prefixed).
pub fn guide_pages(
    site: &Site,
    names: impl Iterator<Item = String>,
    prefix: &str,
) -> BTreeMap<String, String> {
    names
        .map(|name| {
            (
                format!("{prefix}{name}.md"),
                format!("{}{}", site.base_path, urls::guide_page(&name)),
            )
        })
        .collect()
}

/// The Markdown diagnostics of one page.
pub fn markdown(page: &Page, bundle: &Bundle, raw_html: RawHtml) -> Vec<Diagnostic> {
    markdown::render(page, bundle, raw_html, Mode::Check).diagnostics
}

static NO_FILES: BTreeSet<String> = BTreeSet::new();

/// A bundle of Markdown pages only (the guide, the home page): links may name its pages.
pub fn plain_bundle<'a>(
    dir: &'a str,
    pages: &'a BTreeMap<String, String>,
    url: &'a str,
    name: &'a str,
    site: &'a Site,
) -> Bundle<'a> {
    Bundle {
        dir,
        files: &NO_FILES,
        pages,
        url,
        name,
        base_path: &site.base_path,
    }
}
