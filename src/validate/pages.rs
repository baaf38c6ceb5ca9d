//! Markdown pages: front matter rules, and the Markdown analysed once (links, author HTML,
//! headings) for `render` to write. Also builds the link maps (`Bundle`s) the analysis
//! resolves links with.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::load::page::RawPage;
use crate::markdown::{self, Bundle, Policy, Source};
use crate::model::{MediaKind, Page, Site};
use crate::urls;

use super::fields::Fields;

/// The Markdown settings of `site`.
pub fn policy(site: &Site) -> Policy<'_> {
    Policy {
        raw_html: site.raw_html,
        image_hosts: &site.image_hosts,
    }
}

/// A checked and analysed page, or `None` when its front matter is unusable.
pub fn page(
    raw: &RawPage,
    bundle: &Bundle,
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Page> {
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
        && (!super::formats::is_slug(name) || crate::paths::is_windows_reserved(name))
    {
        let problem = if crate::paths::is_windows_reserved(name) {
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
    let nav_title = f.text("sidebar_label", &front.sidebar_label, 120);
    diagnostics.extend(f.diagnostics);
    diagnostics.extend(unknown_keys(raw));
    let source = Source {
        file: &raw.file.path,
        text: &raw.file.text,
        body_offset: raw.body_offset,
        title: title.as_deref().unwrap_or(""),
    };
    let (body, problems) = markdown::analyse(&source, bundle, &policy(site));
    diagnostics.extend(problems);
    let title = title?;
    Some(Page {
        file: raw.file.path.clone(),
        name: raw.name.clone(),
        nav_title: nav_title.unwrap_or_else(|| title.clone()),
        title,
        description,
        weight: front.weight.or(front.sidebar_position).unwrap_or(0),
        body,
    })
}

/// The links of `linking` to headings (`setup.md#step-2`, `#step-2`), checked once every page
/// they may name is analysed. `pages` maps each page's key in its bundle (`docs/setup.md`) to
/// the page; a page missing from it has unusable front matter, its own diagnostic, and no
/// checked headings, so links into it are left alone.
pub fn fragment_links(linking: &Page, pages: &BTreeMap<String, &Page>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for link in &linking.body.fragment_links {
        let (target, what) = match &link.page {
            None => (Some(linking), "this page".to_string()),
            Some(key) => (pages.get(key).copied(), format!("`{key}`")),
        };
        let Some(target) = target else { continue };
        if target.body.anchors.contains(&link.fragment) {
            continue;
        }
        let (path, written_fragment) = link.written.split_once('#').unwrap_or(("", ""));
        let ids: Vec<&str> = target
            .body
            .anchors
            .iter()
            .take(MAX_SUGGESTED_IDS)
            .map(String::as_str)
            .collect();
        let help = match crate::load::yaml::suggest(&link.fragment, &ids) {
            Some(close) => format!("did you mean `{path}#{close}`?"),
            None => match ids.first() {
                Some(first) => format!(
                    "link to a heading of the page, such as `{path}#{first}`: a heading's id is its text in lowercase with hyphens, or the `{{#id}}` written after it"
                ),
                None => "the page has no headings: link to the page without `#`".to_string(),
            },
        };
        let message = format!(
            "link to `{}`: {what} has no heading `{}`",
            link.written.escape_debug(),
            written_fragment.escape_debug()
        );
        // Within a page a lost fragment leaves the reader where they are, and documentation
        // converted from other systems often names sections its old site generated: worth
        // fixing, not worth refusing the page for.
        let diagnostic = match link.page {
            Some(_) => Diagnostic::error("broken-link", message),
            None => Diagnostic::warning("broken-link", message),
        };
        problems.push(
            diagnostic
                .at(&linking.file, link.at.clone(), "no such heading")
                .with_help(help),
        );
    }
    problems
}

/// A "did you mean" compares the fragment with at most this many ids of the page: the search
/// stays linear in the page.
const MAX_SUGGESTED_IDS: usize = 512;

/// Front matter keys marketgen does not know: a warning, since other documentation systems
/// have many and the page still builds without them.
fn unknown_keys(raw: &RawPage) -> Vec<Diagnostic> {
    let yaml = &raw.file.text[raw.front_range.clone()];
    raw.unknown_keys
        .iter()
        .map(|key| {
            let at = key_offset(yaml, key).map_or(0, |i| raw.front_range.start + i);
            Diagnostic::warning(
                "unknown-front-matter",
                format!("marketgen does not use the front matter key `{key}`"),
            )
            .at(&raw.file.path, at..at + key.len(), "ignored")
            .with_help(format!(
                "marketgen reads {}; remove the key, or keep it for another tool",
                crate::load::page::FRONT_MATTER_KEYS.join(", ")
            ))
        })
        .collect()
}

/// Where a top-level `key:` starts in front matter.
fn key_offset(yaml: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
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
        self.bundle_in("docs", site, files)
    }

    /// The same link map for a file in `dir` of the folder: `""` for connector.yaml, whose
    /// `changelog[].migration` names a docs page as a link from the folder's root would.
    pub fn bundle_in<'a>(
        &'a self,
        dir: &'a str,
        site: &'a Site,
        files: &'a BTreeSet<String>,
    ) -> Bundle<'a> {
        Bundle {
            dir,
            files,
            pages: &self.pages,
            url: &self.url,
            name: "the connector's folder",
            base_path: &site.base_path,
            publishable: |file| MediaKind::of(file).is_some(),
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
        publishable: |_| false,
    }
}
