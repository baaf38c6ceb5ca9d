//! The machine-readable outputs: sitemap.xml, robots.txt, catalogue.json and the syntax
//! highlighting stylesheet. JSON only through serde_json; XML escaped by one function.

use serde::Serialize;
use syntect::highlighting::ThemeSet;
use syntect::html::css_for_theme_with_class_style;

use std::collections::BTreeMap;

use super::view::{self, PublicConnector};
use super::{Content, DocsSummary, OutputFile};
use crate::markdown::{CLASS_STYLE, escape_into};
use crate::model::{Catalog, Connector, Site};

pub fn sitemap(site: &Site, page_paths: &[String]) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in page_paths {
        xml.push_str("  <url><loc>");
        escape_into(&mut xml, &format!("{}{path}", site.base_url));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    bytes("sitemap.xml", xml)
}

pub fn robots(site: &Site) -> OutputFile {
    bytes(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.base_url
        ),
    )
}

#[derive(Serialize)]
struct CatalogueJson<'a> {
    title: &'a str,
    base_url: &'a str,
    connectors: Vec<PublicConnector>,
}

/// The public machine-readable catalogue: the public view, nothing else.
pub fn catalogue_json(
    catalog: &Catalog,
    listed: &[&Connector],
    docs: &BTreeMap<String, DocsSummary>,
) -> anyhow::Result<OutputFile> {
    let nav = |slug: &str| docs.get(slug).map(|d| d.nav.clone()).unwrap_or_default();
    let json = CatalogueJson {
        title: &catalog.site.title,
        base_url: &catalog.site.base_url,
        connectors: listed
            .iter()
            .map(|c| view::connector(&catalog.site, c, nav(&c.slug)))
            .collect(),
    };
    Ok(bytes(
        "catalogue.json",
        serde_json::to_string_pretty(&json)? + "\n",
    ))
}

/// Light and dark highlighting for the classes `markdown` emits.
pub fn syntax_css() -> OutputFile {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let light = css("InspiredGitHub");
    let dark = css("base16-ocean.dark");
    bytes(
        "syntax.css",
        format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"),
    )
}

fn bytes(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        content: Content::Bytes(text.into_bytes()),
    }
}
