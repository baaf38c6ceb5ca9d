//! Where everything is published. One place, so that links, listings, the sitemap and the files
//! written always agree. Paths here are relative to the site root and end with `/` for pages;
//! callers prefix the site's base path for links and append `index.html` for files.

pub const CATALOGUE: &str = "connectors/";
pub const GUIDE: &str = "guide/";
/// The generated field reference, a page of the guide.
pub const FIELDS: &str = "guide/fields/";
/// Up to four connectors side by side, named in the query (`?c=a,b`).
pub const COMPARE: &str = "compare/";
/// What the catalogue's search reads first: names, systems, facets.
pub const SEARCH_INDEX: &str = "search-index.json";
/// The rest of each card (summary, developer, logo) and its endpoints, fetched when a
/// visitor turns to the search or the filters.
pub const SEARCH_CARDS: &str = "search-cards.json";
/// The words of every connector's docs, fetched only when a visitor first searches.
pub const SEARCH_DOCS: &str = "search-docs.json";

pub fn connector(slug: &str) -> String {
    format!("connectors/{slug}/")
}

/// An old address of a connector (one of its `aliases`): a redirect page to its new one.
pub fn alias(old: &str) -> String {
    connector(old)
}

/// The redirects of every alias, in the `_redirects` format Netlify and Cloudflare Pages read.
pub const REDIRECTS: &str = "_redirects";

/// A connector's docs page; `index` is the connector's own page.
pub fn connector_doc(slug: &str, page: &str) -> String {
    if page == "index" {
        connector(slug)
    } else {
        format!("connectors/{slug}/docs/{page}/")
    }
}

/// A file of a connector's folder (logo, screenshot, linked file).
pub fn connector_file(slug: &str, file: &str) -> String {
    format!("connectors/{slug}/{file}")
}

/// The "Listed on …" badge of a listed connector, for its developer's README.
pub fn embed_badge(slug: &str) -> String {
    format!("connectors/{slug}/badge.svg")
}

/// A connector's logo as its slot of `px` pixels shows it: an SVG is its re-serialised file,
/// a raster one a copy of that size, outside the connector's folder so that no file of the
/// folder can take its place.
pub fn logo(slug: &str, file: &str, px: u32) -> String {
    match file.to_ascii_lowercase().ends_with(".svg") {
        true => connector_file(slug, file),
        false => logo_copy(slug, px),
    }
}

/// The copy of a raster logo that fits in `px` pixels.
pub fn logo_copy(slug: &str, px: u32) -> String {
    format!("logos/{slug}/{px}.png")
}

/// Cards on one page of a listing: divisible by the grid's two, three and four columns.
pub const PER_PAGE: usize = 48;

/// Page `number` of the listing at `base`: the first is the listing's own address. A
/// connector named `page` keeps its page; only a file of its folder under a numbered folder
/// could meet these, and `validate::outputs` reports that.
pub fn listing_page(base: &str, number: usize) -> String {
    match number {
        1 => base.to_string(),
        n => format!("{base}page/{n}/"),
    }
}

pub fn category(slug: &str) -> String {
    format!("categories/{slug}/")
}

/// The Atom feed of the whole marketplace.
pub const FEED: &str = "feed.xml";

/// The Atom feed of one category.
pub fn category_feed(slug: &str) -> String {
    format!("categories/{slug}/feed.xml")
}

pub fn tag(tag: &str) -> String {
    format!("tags/{tag}/")
}

/// A guide page; `_index` is the guide's landing page.
pub fn guide_page(name: &str) -> String {
    if name == "_index" {
        GUIDE.to_string()
    } else {
        format!("guide/{name}/")
    }
}

/// The file that serves a page path: `connectors/x/` is `connectors/x/index.html`.
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Every page a build publishes for `catalog`, as paths like the ones above: the fixed pages,
/// the guide, every category, the tags of listed connectors, and each listed connector's page,
/// docs pages and redirects from its aliases. What `diff` compares to find pages that would
/// disappear: a renamed connector that keeps its old slug as an alias loses no address.
pub fn published_pages(catalog: &crate::model::Catalog) -> std::collections::BTreeSet<String> {
    let fixed = ["", CATALOGUE, COMPARE, GUIDE, FIELDS].map(str::to_string);
    let guide = catalog.guide.iter().map(|p| guide_page(&p.name));
    let categories = catalog.site.categories.iter().map(|c| category(&c.slug));
    let listed = catalog.listed().flat_map(|c| {
        let docs = crate::model::doc_names(&c.files).map(|page| connector_doc(&c.slug, &page));
        let tags = c.tags.iter().map(|t| tag(t));
        let aliases = c.aliases.iter().map(|old| alias(old));
        std::iter::once(connector(&c.slug))
            .chain(docs)
            .chain(tags)
            .chain(aliases)
            .collect::<Vec<_>>()
    });
    fixed
        .into_iter()
        .chain(guide)
        .chain(categories)
        .chain(listed)
        .collect()
}
