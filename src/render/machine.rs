//! The machine-readable outputs: sitemap.xml, robots.txt, catalogue.json and the syntax
//! highlighting stylesheet. JSON only through serde_json; XML escaped by one function.

use serde::Serialize;
use syntect::highlighting::{Color, Theme, ThemeSet};
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
    let no_sizes = BTreeMap::new();
    let sizes = |slug: &str| docs.get(slug).map_or(&no_sizes, |d| &d.sizes);
    let json = CatalogueJson {
        title: &catalog.site.title,
        base_url: &catalog.site.base_url,
        connectors: listed
            .iter()
            .map(|c| view::connector(&catalog.site, c, nav(&c.slug), sizes(&c.slug)))
            .collect(),
    };
    Ok(bytes(
        "catalogue.json",
        serde_json::to_string_pretty(&json)? + "\n",
    ))
}

/// The code block backgrounds of the default theme's style.css (`--bg-soft`), light and dark.
const CODE_BACKGROUND: [Color; 2] = [rgb(0xf5, 0xf7, 0xfa), rgb(0x1b, 0x21, 0x29)];

/// Light and dark highlighting for the classes `markdown` emits, every colour readable on
/// the code block's background (WCAG AA: a contrast ratio of at least 4.5).
pub fn syntax_css() -> OutputFile {
    let mut themes = ThemeSet::load_defaults().themes;
    let mut css = |name: &str, background: Color| {
        themes
            .get_mut(name)
            .and_then(|theme| {
                readable(theme, background);
                css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
            })
            .unwrap_or_default()
    };
    let light = css("InspiredGitHub", CODE_BACKGROUND[0]);
    let dark = css("base16-ocean.dark", CODE_BACKGROUND[1]);
    // Each in a query of its own: the themes style different selectors, so light rules left
    // outside would win in dark mode wherever the dark theme is less specific.
    bytes(
        "syntax.css",
        format!(
            "@media (prefers-color-scheme: light) {{\n{light}\n}}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
        ),
    )
}

const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xff }
}

/// Moves each of the theme's colours towards black (on a light background) or white (on a
/// dark one) until it reaches AA contrast, keeping its hue.
fn readable(theme: &mut Theme, background: Color) {
    let target = match luminance(background) > 0.5 {
        true => rgb(0, 0, 0),
        false => rgb(0xff, 0xff, 0xff),
    };
    let colours = theme
        .scopes
        .iter_mut()
        .filter_map(|item| item.style.foreground.as_mut())
        .chain(theme.settings.foreground.as_mut());
    for colour in colours.filter(|c| contrast(**c, background) < 4.6) {
        let original = *colour;
        let mix = |from: u8, to: u8, t: f64| {
            (f64::from(from) * (1.0 - t) + f64::from(to) * t).round() as u8
        };
        // Pure black or white, the last step, always reads.
        *colour = (1..=10)
            .map(|step| {
                let t = f64::from(step) / 10.0;
                rgb(
                    mix(original.r, target.r, t),
                    mix(original.g, target.g, t),
                    mix(original.b, target.b, t),
                )
            })
            .find(|c| contrast(*c, background) >= 4.6)
            .unwrap_or(target);
    }
}

/// The WCAG relative luminance of an sRGB colour.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        match v <= 0.04045 {
            true => v / 12.92,
            false => ((v + 0.055) / 1.055).powf(2.4),
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn bytes(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        content: Content::Bytes(text.into_bytes()),
    }
}
