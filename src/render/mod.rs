//! Turns the checked [`Catalog`] into output files: HTML pages through the theme's templates,
//! the machine-readable files, and the list of content files to publish as they are.
//!
//! **Pure**: reads no file and writes none (content files to copy are named, not read). Only
//! the public view ([`view`]) reaches templates and JSON.

mod badge;
mod feeds;
mod machine;
mod order;
mod pagination;
mod search;
mod templates;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::load::Theme;
use crate::load::theme::Asset;
use crate::markdown::{self, TocEntry};
use crate::model::{Catalog, Connector, ConnectorMedia, Docs, MediaKind, Page};
use crate::urls;
use view::{ConnectorSummary, NavItem, SiteView};

/// The bytes of one output file.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    Embedded(&'static [u8]),
    /// A checked content file.
    Shared(std::sync::Arc<[u8]>),
    /// A file of the theme or the site's `static/` folder, published as it is.
    Copy(PathBuf),
}

#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
}

/// Where rendered files go, as soon as each is ready; `write::Staging` in a build.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> anyhow::Result<()>;
}

/// What one build rendered.
pub struct Rendered {
    pub pages: usize,
    pub connectors: usize,
    pub files: usize,
}

/// The metadata every page template receives as `page`.
#[derive(Serialize)]
struct PageMeta<'a> {
    title: &'a str,
    description: &'a str,
    /// The absolute URL, for canonical links.
    canonical: String,
    /// The site-relative path, to mark the current navigation item.
    path: &'a str,
}

/// A rendered Markdown page as templates see it.
#[derive(Serialize)]
struct Body {
    title: String,
    html: String,
    toc: Vec<TocEntry>,
}

/// Renders pages with the theme's templates. Built once per build from the checked catalogue;
/// connectors are rendered one at a time with [`Renderer::connector`], everything else by
/// [`Renderer::site`].
pub struct Renderer<'a> {
    tera: Tera,
    catalog: &'a Catalog,
    theme: &'a Theme,
    site: SiteView,
    /// Every page's context starts as this: `site` and `preview`, serialised once per build
    /// rather than once per page.
    base: Context,
    summaries: Vec<ConnectorSummary>,
    /// Indexes of `summaries` by category and by tag, so related connectors are found without
    /// a pass over the whole catalogue per connector.
    by_category: BTreeMap<String, Vec<usize>>,
    by_tag: BTreeMap<String, Vec<usize>>,
    /// The summaries in name order (the site language's collation), each summary's place in
    /// it, and its category's place in `by_category`: every listing follows `by_name`, and
    /// related connectors are ranked with these numbers.
    by_name: Vec<usize>,
    name_rank: Vec<usize>,
    category_of: Vec<usize>,
    scope: Scope,
}

/// How many related connectors a connector page shows.
const RELATED: usize = 4;

/// The records of the catalogue's listings, its search and catalogue.json.
fn published(catalog: &Catalog, scope: Scope) -> impl Iterator<Item = &Connector> {
    catalog.connectors.iter().filter(move |c| scope.lists(c))
}

/// Where rendered files go: counts them, notes pages for the sitemap, and lets the theme's and
/// the site's own files win over generated ones of the same name (a team may ship its own
/// robots.txt).
pub struct Output<'a> {
    sink: &'a dyn Sink,
    assets: BTreeSet<String>,
    pages: Mutex<Vec<String>>,
    files: AtomicUsize,
}

impl<'a> Output<'a> {
    pub fn new(sink: &'a dyn Sink, theme: &Theme) -> Self {
        Output {
            sink,
            assets: theme.assets.keys().cloned().collect(),
            pages: Mutex::new(Vec::new()),
            files: AtomicUsize::new(0),
        }
    }

    pub fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        self.put_listed(file, true)
    }

    /// Writes `file`; a page that is not `listed` (a preview) stays out of the sitemap.
    pub fn put_listed(&self, file: OutputFile, listed: bool) -> anyhow::Result<()> {
        if self.assets.contains(&file.path) {
            return Ok(());
        }
        if let Some(page) = file.path.strip_suffix("index.html").filter(|_| listed) {
            self.pages
                .lock()
                .map_err(|_| anyhow::anyhow!("a render thread panicked"))?
                .push(page.to_string());
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.put(file)
    }
}

/// A connector's rendered files, and what its Markdown had to say.
pub struct ConnectorOutput {
    pub files: Vec<OutputFile>,
    pub docs: DocsSummary,
}

/// What the site-wide files need of a listed connector's docs and images: its pages and the
/// sizes of its images for catalogue.json, its words for the search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct DocsSummary {
    pub nav: Vec<NavItem>,
    pub words: String,
    pub sizes: BTreeMap<String, (u32, u32)>,
}

/// Which records a build publishes, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Listed records: the public marketplace.
    Listed,
    /// Listed records, and every other record's own pages marked as previews (`--preview`);
    /// listings, feeds and indexes stay as they will be published.
    Previews,
    /// One connector folder on its own (`marketgen preview`): shown everywhere a listed
    /// connector is, so its developer sees its card and its search result.
    Lone,
}

impl Scope {
    fn lists(self, c: &Connector) -> bool {
        c.status.is_listed() || self == Scope::Lone
    }
}

impl<'a> Renderer<'a> {
    pub fn new(catalog: &'a Catalog, theme: &'a Theme, scope: Scope) -> anyhow::Result<Self> {
        let summaries = published(catalog, scope)
            .map(|c| view::summary(&catalog.site, c))
            .collect();
        Renderer::with_summaries(catalog, theme, scope, summaries)
    }

    /// A renderer given the summaries an earlier one made of the same catalogue
    /// ([`Renderer::into_summaries`]): at 10,000 connectors, making them is most of the
    /// cost of a renderer, which `serve` pays on every docs edit.
    pub fn with_summaries(
        catalog: &'a Catalog,
        theme: &'a Theme,
        scope: Scope,
        summaries: Vec<ConnectorSummary>,
    ) -> anyhow::Result<Self> {
        let by_name =
            order::Names::new(&catalog.site.language).order(summaries.iter().map(|s| &*s.name));
        let mut by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_tag: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, summary) in summaries.iter().enumerate().filter(|(_, s)| !s.deprecated) {
            by_category
                .entry(summary.category.slug.clone())
                .or_default()
                .push(i);
            for tag in &summary.tags {
                by_tag.entry(tag.slug.clone()).or_default().push(i);
            }
        }
        let mut name_rank = vec![0; summaries.len()];
        for (rank, &i) in by_name.iter().enumerate() {
            name_rank[i] = rank;
        }
        let mut category_of = vec![usize::MAX; summaries.len()];
        for (id, members) in by_category.values_mut().enumerate() {
            members.sort_by_key(|&i| name_rank[i]);
            for &i in members.iter() {
                category_of[i] = id;
            }
        }
        let site = view::site(catalog, &summaries);
        let mut base = Context::new();
        base.insert("site", &site);
        base.insert("preview", &None::<&str>);
        Ok(Renderer {
            by_name,
            by_category,
            by_tag,
            name_rank,
            category_of,
            tera: templates::compile(theme)?,
            site,
            base,
            catalog,
            theme,
            summaries,
            scope,
        })
    }

    pub fn into_summaries(self) -> Vec<ConnectorSummary> {
        self.summaries
    }

    /// What every page shows of the site (its view, with the categories' counts) and which
    /// records get pages: part of every cached connector's key.
    pub fn site_inputs(&self) -> anyhow::Result<Vec<u8>> {
        Ok(serde_json::to_vec(&(
            &self.site,
            format!("{:?}", self.scope),
        ))?)
    }

    /// What `c`'s pages show of other records (its related connectors' cards): part of its
    /// cached entry's key, so editing a related connector's card renders `c` again.
    pub fn related_inputs(&self, c: &Connector) -> anyhow::Result<Vec<u8>> {
        Ok(serde_json::to_vec(&self.related(c))?)
    }

    /// The published connectors in name order: the order of every listing and of the search
    /// data, whose script's "Name" sort is this order.
    fn named(&self) -> impl Iterator<Item = &ConnectorSummary> {
        self.by_name.iter().map(|&i| &self.summaries[i])
    }

    /// Up to four listed connectors like `c`: those sharing the most tags first (a shared tag
    /// counts double, the same category once), then others of its category, by name.
    fn related(&self, c: &Connector) -> Vec<&ConnectorSummary> {
        // Integers only from here on: a tag's list grows with the catalogue, so comparing
        // names and slugs per candidate made this step grow faster than the catalogue.
        let own = self
            .summaries
            .binary_search_by(|s| s.slug.as_str().cmp(&c.slug))
            .ok();
        let category = self.by_category.keys().position(|slug| *slug == c.category);
        let mut sharing: Vec<usize> = c
            .tags
            .iter()
            .flat_map(|tag| self.by_tag.get(tag).into_iter().flatten().copied())
            .filter(|&i| Some(i) != own)
            .collect();
        sharing.sort_unstable();
        // The best so far as ((higher score first, then name order), index), in that order.
        let mut best: Vec<((usize, usize), usize)> = Vec::with_capacity(RELATED + 1);
        for same in sharing.chunk_by(|a, b| a == b) {
            let i = same[0];
            let score = 2 * same.len() + usize::from(Some(self.category_of[i]) == category);
            let key = (usize::MAX - score, self.name_rank[i]);
            let at = best.partition_point(|&(other, _)| other < key);
            if at < RELATED {
                best.insert(at, (key, i));
                best.truncate(RELATED);
            }
        }
        let mut related: Vec<usize> = best.into_iter().map(|(_, i)| i).collect();
        // The category's list is sorted by name: its first few are the fill.
        for &i in self.by_category.get(&c.category).into_iter().flatten() {
            if related.len() == RELATED {
                break;
            }
            if Some(i) != own && !related.contains(&i) {
                related.push(i);
            }
        }
        related.into_iter().map(|i| &self.summaries[i]).collect()
    }

    /// Whether `c` gets pages: listed records always, the others in preview builds.
    pub fn shows(&self, c: &Connector) -> bool {
        c.status.is_listed() || self.scope != Scope::Listed
    }

    /// Whether `c` appears in listings and the search.
    pub fn lists(&self, c: &Connector) -> bool {
        self.scope.lists(c)
    }

    /// catalogue.json, which lists each connector's docs pages.
    pub fn catalogue_json(
        &self,
        docs: &BTreeMap<String, DocsSummary>,
    ) -> anyhow::Result<OutputFile> {
        let listed: Vec<&Connector> = published(self.catalog, self.scope).collect();
        machine::catalogue_json(self.catalog, &listed, docs)
    }

    /// The search's docs words of every listed connector.
    pub fn search_docs(&self, docs: &BTreeMap<String, DocsSummary>) -> anyhow::Result<OutputFile> {
        let named: Vec<&ConnectorSummary> = self.named().collect();
        search::docs(&named, docs)
    }

    /// Everything but the connectors' own pages: listings, guide, machine files, assets.
    /// `docs` holds what the site-wide files need of each listed connector's docs.
    pub fn site(
        &self,
        output: &Output,
        docs: &BTreeMap<String, DocsSummary>,
    ) -> anyhow::Result<Rendered> {
        for (path, asset) in &self.theme.assets {
            let content = match asset {
                Asset::Embedded(bytes) => Content::Embedded(bytes),
                Asset::Disk(path) => Content::Copy(path.clone()),
                Asset::Revision(path) => {
                    anyhow::bail!(
                        "{} is a git revision's file: never published",
                        path.display()
                    )
                }
            };
            output.sink.put(OutputFile {
                path: path.clone(),
                content,
            })?;
            output.files.fetch_add(1, Ordering::Relaxed);
        }
        // The big listings render while the rest of the site does.
        let (catalogue, taxonomies) = rayon::join(|| self.catalogue(), || self.taxonomies());
        output.put(self.home()?)?;
        for file in catalogue? {
            output.put(file)?;
        }
        output.put(self.not_found()?)?;
        // Its content depends on the query: nothing for a search engine to list.
        output.put_listed(self.compare()?, false)?;
        output.put(self.field_reference()?)?;
        for file in self.guide()?.into_iter().chain(taxonomies?) {
            output.put(file)?;
        }
        // An old address is not a page of its own: no sitemap entry, no search result.
        for file in self.redirects()? {
            output.put_listed(file, false)?;
        }
        if let Some(file) = self.redirect_list() {
            output.put(file)?;
        }
        let mut pages = std::mem::take(
            &mut *output
                .pages
                .lock()
                .map_err(|_| anyhow::anyhow!("a render thread panicked"))?,
        );
        pages.sort();
        let site = &self.catalog.site;
        output.put(machine::sitemap(site, &pages))?;
        output.put(machine::robots(site))?;
        output.put(self.catalogue_json(docs)?)?;
        output.put(self.search_docs(docs)?)?;
        // The summaries are the published records, one for one and in the same order.
        let listed: Vec<&Connector> = published(self.catalog, self.scope).collect();
        let named: Vec<&ConnectorSummary> = self.named().collect();
        let records: Vec<&Connector> = self.by_name.iter().map(|&i| listed[i]).collect();
        output.put(search::index(site, &named)?)?;
        output.put(search::cards(&named, &records)?)?;
        output.put(machine::syntax_css())?;
        for file in self.feeds() {
            output.put(file)?;
        }
        // For editors: connector developers' records point at the marketplace's own copy,
        // which knows its categories and badges.
        let categories: Vec<&str> = site.categories.iter().map(|c| c.slug.as_str()).collect();
        let badges: Vec<&str> = site.badges.iter().map(|b| b.slug.as_str()).collect();
        for (of, name) in [
            (crate::schema::SchemaOf::Connector, "connector"),
            (crate::schema::SchemaOf::Site, "site"),
        ] {
            let schema = crate::schema::published(of, &categories, &badges);
            output.put(OutputFile {
                path: format!("schemas/{name}.schema.json"),
                content: Content::Bytes(schema.into_bytes()),
            })?;
        }
        Ok(Rendered {
            pages: pages.len() + 1,
            connectors: self.summaries.len(),
            files: output.files.load(Ordering::Relaxed),
        })
    }
}

impl Renderer<'_> {
    fn context(&self, title: &str, description: &str, path: &str) -> Context {
        let mut cx = self.base.clone();
        self.set_page(&mut cx, title, description, path);
        cx
    }

    /// The `page` metadata of `cx`, replacing any already there.
    fn set_page(&self, cx: &mut Context, title: &str, description: &str, path: &str) {
        cx.insert(
            "page",
            &PageMeta {
                title,
                description: if description.is_empty() {
                    &self.site.description
                } else {
                    description
                },
                canonical: format!("{}{path}", self.site.base_url),
                path,
            },
        );
    }

    fn page(&self, template: &str, path: &str, cx: &Context) -> anyhow::Result<OutputFile> {
        let html = templates::render(&self.tera, template, cx)?;
        Ok(OutputFile {
            path: urls::page_file(path),
            content: Content::Bytes(html.into_bytes()),
        })
    }

    fn body(page: &Page) -> Body {
        Body {
            title: page.title.clone(),
            html: markdown::html(&page.body.document),
            toc: page.body.toc.clone(),
        }
    }

    fn home(&self) -> anyhow::Result<OutputFile> {
        let site = &self.catalog.site;
        let mut cx = self.context(&site.title, &site.description, "");
        if let Some(home) = &self.catalog.home {
            cx.insert("intro", &Self::body(home));
        }
        // In name order, so that the stable sorts below keep it among equal dates.
        let active: Vec<&ConnectorSummary> = self.named().filter(|s| !s.deprecated).collect();
        // In the team's order; one not listed (or deprecated) is not shown.
        let featured: Vec<&ConnectorSummary> = site
            .featured
            .iter()
            .filter_map(|slug| active.iter().find(|s| &s.slug == slug).copied())
            .collect();
        // Each card once on the page (its id is its slug): the newest leave out the featured.
        let mut newest: Vec<&ConnectorSummary> = active
            .iter()
            .filter(|s| !featured.iter().any(|f| f.slug == s.slug))
            .copied()
            .collect();
        newest.sort_by(|a, b| b.approved_on.cmp(&a.approved_on));
        newest.truncate(6);
        // Changed since they were listed, and not already shown as newest or featured: the
        // same cards twice would say nothing new (and repeat their ids).
        let mut updated: Vec<&ConnectorSummary> = active
            .iter()
            .filter(|s| s.updated_on > s.approved_on)
            .filter(|s| !newest.iter().chain(&featured).any(|n| n.slug == s.slug))
            .copied()
            .collect();
        updated.sort_by(|a, b| b.updated_on.cmp(&a.updated_on));
        updated.truncate(6);
        cx.insert("featured", &featured);
        cx.insert("newest", &newest);
        cx.insert("updated", &updated);
        cx.insert("total", &active.len());
        self.page("home.html", "", &cx)
    }

    fn catalogue(&self) -> anyhow::Result<Vec<OutputFile>> {
        let members: Vec<&ConnectorSummary> = self.named().collect();
        let listed = members.iter().filter(|s| !s.deprecated).count();
        self.listing(
            "catalogue.html",
            "All connectors",
            "",
            urls::CATALOGUE,
            &members,
            |cx| {
                cx.insert("listed", &listed);
                cx.insert("retired", &(members.len() - listed));
            },
        )
    }

    fn compare(&self) -> anyhow::Result<OutputFile> {
        let cx = self.context(
            "Compare connectors",
            "Up to four connectors side by side.",
            urls::COMPARE,
        );
        self.page("compare.html", urls::COMPARE, &cx)
    }

    fn not_found(&self) -> anyhow::Result<OutputFile> {
        let cx = self.context("Page not found", "", "404.html");
        self.page("404.html", "404.html", &cx)
    }

    fn guide(&self) -> anyhow::Result<Vec<OutputFile>> {
        let site = &self.catalog.site;
        self.catalog
            .guide_index
            .iter()
            .chain(&self.catalog.guide)
            .map(|page| {
                let path = urls::guide_page(&page.name);
                let mut cx = self.context(
                    &page.title,
                    page.description.as_deref().unwrap_or(""),
                    &path,
                );
                cx.insert("body", &Self::body(page));
                let nav = NavItem {
                    title: page.nav_title.clone(),
                    url: format!("{}{path}", site.base_path),
                };
                cx.insert("current", &nav);
                self.page("guide.html", &path, &cx)
            })
            .collect()
    }

    /// A page at each old address of each published connector (its `aliases`) that sends the
    /// visitor on: a canonical link and an immediate refresh, which need no script and so no
    /// change to the Content-Security-Policy, and a visible link for everything else.
    fn redirects(&self) -> anyhow::Result<Vec<OutputFile>> {
        let base = &self.catalog.site.base_path;
        let mut files = Vec::new();
        for c in published(self.catalog, self.scope) {
            let target = NavItem {
                title: c.name.clone(),
                url: format!("{base}{}", urls::connector(&c.slug)),
            };
            for old in &c.aliases {
                let description = format!("{} moved to a new address.", c.name);
                // The canonical address is the connector's own page, not the old one.
                let mut cx = self.context(&c.name, &description, &urls::connector(&c.slug));
                cx.insert("target", &target);
                files.push(
                    self.page("redirect.html", &urls::alias(old), &cx)
                        .with_context(|| format!("rendering the redirect from {old}"))?,
                );
            }
        }
        Ok(files)
    }

    /// The same redirects as `_redirects` (Netlify, Cloudflare Pages), one `FROM TO 301` line
    /// each; `None` when no connector has an alias, so that a site without any is unchanged.
    fn redirect_list(&self) -> Option<OutputFile> {
        let base = &self.catalog.site.base_path;
        let mut lines = String::new();
        for c in published(self.catalog, self.scope) {
            for old in &c.aliases {
                let from = format!("{base}{}", urls::alias(old));
                let to = format!("{base}{}", urls::connector(&c.slug));
                lines.push_str(&format!("{from} {to} 301\n"));
            }
        }
        (!lines.is_empty()).then(|| OutputFile {
            path: urls::REDIRECTS.to_string(),
            content: Content::Bytes(lines.into_bytes()),
        })
    }

    /// The marketplace's feed and one per category.
    fn feeds(&self) -> Vec<OutputFile> {
        let site = &self.catalog.site;
        let all: Vec<&ConnectorSummary> = self.summaries.iter().collect();
        let breaking: BTreeMap<&str, feeds::Breaking> = published(self.catalog, self.scope)
            .filter_map(|c| Some((c.slug.as_str(), feeds::breaking(site, c)?)))
            .collect();
        let mut files = vec![feeds::feed(
            site,
            urls::FEED,
            &site.title,
            &site.base_path,
            &all,
            &breaking,
        )];
        for category in &site.categories {
            let members: Vec<&ConnectorSummary> = self
                .summaries
                .iter()
                .filter(|s| s.category.slug == category.slug)
                .collect();
            let path = urls::category_feed(&category.slug);
            let page = format!("{}{}", site.base_path, urls::category(&category.slug));
            files.push(feeds::feed(
                site,
                &path,
                &format!("{} — {}", category.name, site.title),
                &page,
                &members,
                &breaking,
            ));
        }
        files
    }

    /// The guide's field reference, generated from the types `check` reads.
    fn field_reference(&self) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct Row {
            #[serde(flatten)]
            field: crate::schema::FieldRow,
            /// The guide page that asks for the field, when this site's guide has it.
            guide_url: Option<String>,
        }
        let base = &self.catalog.site.base_path;
        let has_page = |name: &str| self.catalog.guide.iter().any(|p| p.name == name);
        let rows: Vec<Row> = crate::schema::field_reference()
            .into_iter()
            .map(|field| Row {
                guide_url: has_page(field.guide)
                    .then(|| format!("{base}{}", urls::guide_page(field.guide))),
                field,
            })
            .collect();
        let mut cx = self.context(
            "Field reference",
            "Every field of connector.yaml: its type, when it is required, and an example.",
            urls::FIELDS,
        );
        cx.insert("fields", &rows);
        cx.insert(
            "current",
            &NavItem {
                title: "Field reference".into(),
                url: format!("{base}{}", urls::FIELDS),
            },
        );
        self.page("fields.html", urls::FIELDS, &cx)
    }

    fn taxonomies(&self) -> anyhow::Result<Vec<OutputFile>> {
        let mut by_category: BTreeMap<&str, Vec<&ConnectorSummary>> = BTreeMap::new();
        let mut by_tag: BTreeMap<&str, Vec<&ConnectorSummary>> = BTreeMap::new();
        for s in self.named() {
            by_category.entry(&s.category.slug).or_default().push(s);
            for tag in &s.tags {
                by_tag.entry(&tag.slug).or_default().push(s);
            }
        }
        let categories = self.site.categories.par_iter().map(|category| {
            let members = by_category
                .get(category.slug.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let path = urls::category(&category.slug);
            let description = category.description.as_deref().unwrap_or("");
            self.listing(
                "taxonomy.html",
                &category.name,
                description,
                &path,
                members,
                |cx| {
                    cx.insert("kind", "category");
                    cx.insert("feed", &urls::category_feed(&category.slug));
                },
            )
        });
        let tags = by_tag.par_iter().map(|(tag, members)| {
            let title = format!("Tagged “{tag}”");
            self.listing(
                "taxonomy.html",
                &title,
                "",
                &urls::tag(tag),
                members,
                |cx| {
                    cx.insert("kind", "tag");
                },
            )
        });
        let pages: Vec<Vec<OutputFile>> = categories.chain(tags).collect::<anyhow::Result<_>>()?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// A listing's pages of results: `members` in the listing's order, listed ones first.
    fn listing(
        &self,
        template: &str,
        title: &str,
        description: &str,
        base: &str,
        members: &[&ConnectorSummary],
        extra: impl Fn(&mut Context),
    ) -> anyhow::Result<Vec<OutputFile>> {
        pagination::paginate(base, members)
            .into_iter()
            .map(|page| {
                let page_title = match page.pager.total {
                    1 => title.to_string(),
                    total => format!("{title} (page {} of {total})", page.pager.number),
                };
                let mut cx = self.context(&page_title, description, &page.path);
                cx.insert("listing_title", title);
                cx.insert("listing_path", base);
                cx.insert("connectors", &page.active);
                cx.insert("deprecated", &page.deprecated);
                cx.insert("pager", &page.pager);
                extra(&mut cx);
                self.page(template, &page.path, &cx)
            })
            .collect()
    }

    /// A connector's page, its docs pages and the files they publish.
    pub fn connector(
        &self,
        c: &Connector,
        docs: &Docs,
        media: &ConnectorMedia,
        readiness: &[crate::validate::Readiness],
    ) -> anyhow::Result<ConnectorOutput> {
        let site = &self.catalog.site;
        let nav: Vec<NavItem> = docs
            .pages
            .iter()
            .map(|d| NavItem {
                title: d.nav_title.clone(),
                url: format!(
                    "{}{}",
                    site.base_path,
                    urls::connector_doc(&c.slug, &d.name)
                ),
            })
            .collect();
        let sizes = media.sizes();
        let public = view::connector(site, c, nav.clone(), &sizes);
        // A raster logo is published as its copies only, an SVG one as re-serialised.
        let mut published: BTreeSet<String> = c
            .logo
            .iter()
            .filter(|logo| MediaKind::of(logo) == Some(MediaKind::Svg))
            .cloned()
            .collect();
        published.extend(c.screenshots.iter().map(|s| s.file.clone()));
        let mut files = Vec::new();

        // A record that is not listed is only ever rendered as a marked, unindexed preview.
        let preview = (!c.status.is_listed()).then(|| c.status.name());
        // The context its pages share, the record serialised once: each docs page replaces
        // the same keys (page, body, current) in it.
        let mut shared = self.base.clone();
        shared.insert("preview", &preview);
        shared.insert("connector", &public);

        let path = urls::connector(&c.slug);
        let mut cx = shared.clone();
        self.set_page(&mut cx, &c.name, &c.summary, &path);
        cx.insert("readiness", readiness);
        if self.scope == Scope::Lone {
            let query: String = url::form_urlencoded::byte_serialize(c.name.as_bytes()).collect();
            let catalogue = format!("{}{}", site.base_path, urls::CATALOGUE);
            cx.insert("search_result", &format!("{catalogue}?q={query}"));
        }
        cx.insert("related", &self.related(c));
        cx.insert(
            "json_ld",
            &view::json_ld(&public, &site.base_url, &site.base_path),
        );
        cx.insert("compare_data", &view::compare_data(&public));
        // A listed connector's badge for its developer's README, and on its page how to
        // embed it.
        if c.status.is_listed() {
            let version = c.version.as_ref().map(ToString::to_string);
            let badge = badge::Badge::new(&site.title, version.as_deref());
            cx.insert("embed", &view::embed(site, c, &badge));
            files.push(OutputFile {
                path: urls::embed_badge(&c.slug),
                content: Content::Bytes(badge.svg().into_bytes()),
            });
        }
        let notes: Vec<String> = c
            .changelog
            .iter()
            .map(|change| markdown::html(&change.notes_body))
            .collect();
        cx.insert("changelog_notes", &notes);
        // Docs that keep their own changelog (most often the whole history, of which the
        // record lists the latest) are not followed by a second one.
        let own_changelog = docs.overview.as_ref().is_some_and(|overview| {
            overview.body.toc.iter().any(|entry| {
                entry.level == 2 && entry.text.trim().eq_ignore_ascii_case("changelog")
            })
        });
        cx.insert("docs_changelog", &own_changelog);
        if let Some(overview) = &docs.overview {
            cx.insert("overview", &Self::body(overview));
            published.extend(overview.body.files.iter().cloned());
        }
        files.push(
            self.page("connector.html", &path, &cx)
                .with_context(|| format!("rendering {}", c.slug))?,
        );

        for doc in &docs.pages {
            let path = urls::connector_doc(&c.slug, &doc.name);
            let title = format!("{} — {}", doc.title, c.name);
            let description = doc.description.as_deref().unwrap_or(&c.summary);
            self.set_page(&mut shared, &title, description, &path);
            published.extend(doc.body.files.iter().cloned());
            shared.insert("body", &Self::body(doc));
            shared.insert("current", &format!("{}{path}", site.base_path));
            files.push(self.page("doc.html", &path, &shared)?);
        }
        files.extend(published.into_iter().filter_map(|file| {
            Some(OutputFile {
                path: urls::connector_file(&c.slug, &file),
                content: Content::Shared(media.files.get(&file)?.bytes.clone()),
            })
        }));
        files.extend(media.logo_copies.iter().map(|(px, png)| OutputFile {
            path: urls::logo_copy(&c.slug, *px),
            content: Content::Bytes(png.clone()),
        }));
        let words = match self.lists(c) {
            true => search::docs_words(docs),
            false => String::new(),
        };
        Ok(ConnectorOutput {
            files,
            docs: DocsSummary { nav, words, sizes },
        })
    }
}
