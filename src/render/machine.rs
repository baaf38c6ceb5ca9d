//! The machine-readable outputs: sitemap.xml, robots.txt, catalogue.json and the syntax
//! highlighting stylesheet. JSON only through serde_json; XML escaped by one function.

use serde::Serialize;
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::css_for_theme_with_class_style;
use syntect::parsing::Scope;

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
    /// The badge vocabulary, so a reader of `connectors[].badges` can say what each means.
    badges: Vec<view::BadgeView>,
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
        badges: view::badges(&catalog.site),
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
/// the background it is drawn on (WCAG AA: a contrast ratio of at least 4.5).
pub fn syntax_css() -> OutputFile {
    let mut themes = ThemeSet::load_defaults().themes;
    let mut css = |name: &str, background: Color| {
        themes
            .get_mut(name)
            .and_then(|theme| {
                // A docs sample is an illustration, elided (`...`) or with placeholders
                // (`<your key>`), not code to lint: what the grammar calls invalid is drawn as
                // the text around it, never as an error.
                theme.scopes.retain(|item| !marks_invalid(item));
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

/// Whether a theme's rule styles a scope under `invalid` (`invalid.illegal`, `invalid.deprecated`).
fn marks_invalid(item: &syntect::highlighting::ThemeItem) -> bool {
    item.scope.selectors.iter().any(|selector| {
        selector
            .path
            .as_slice()
            .iter()
            .any(|scope| scope.build_string().starts_with("invalid"))
    })
}

const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xff }
}

/// Raises each of the theme's colours to AA contrast on every background it is drawn on:
/// its scope's own, else that of a scope its selector nests it in, else the code block's.
/// A scope that sets only a background gets the theme's text colour, so that what it holds
/// is not drawn in the page's colour, which was never measured against that background.
fn readable(theme: &mut Theme, code: Color) {
    let backgrounds: Vec<(Scope, Color)> = theme
        .scopes
        .iter()
        .filter_map(|item| Some((item, item.style.background?)))
        .flat_map(|(item, background)| {
            item.scope
                .selectors
                .iter()
                .filter_map(move |s| match s.path.as_slice() {
                    [scope] => Some((*scope, background)),
                    _ => None,
                })
        })
        .collect();
    let text = theme.settings.foreground.unwrap_or(rgb(0, 0, 0));
    for item in &mut theme.scopes {
        let drawn_on: Vec<Color> = match item.style.background {
            Some(own) => vec![own],
            None => item
                .scope
                .selectors
                .iter()
                .flat_map(|s| {
                    let path = s.path.as_slice();
                    &path[..path.len().saturating_sub(1)]
                })
                .filter_map(|outer| backgrounds.iter().find(|(s, _)| s == outer))
                .map(|(_, background)| *background)
                .chain([code])
                .collect(),
        };
        if item.style.background.is_some() {
            item.style.foreground.get_or_insert(text);
        }
        if let Some(colour) = item.style.foreground.as_mut() {
            *colour = raised(*colour, &drawn_on);
        }
    }
    // The theme's own text colour, `.hl-code`, on its background and on the code block's.
    let own = theme.settings.background.unwrap_or(code);
    if let Some(colour) = theme.settings.foreground.as_mut() {
        *colour = raised(*colour, &[code, own]);
    }
}

/// `colour` moved, on each background in turn, towards black or white (whichever reads
/// better there) until it reaches AA contrast, keeping its hue.
fn raised(colour: Color, backgrounds: &[Color]) -> Color {
    backgrounds.iter().fold(colour, |colour, &background| {
        if contrast(colour, background) >= 4.6 {
            return colour;
        }
        let (black, white) = (rgb(0, 0, 0), rgb(0xff, 0xff, 0xff));
        let target = match contrast(black, background) >= contrast(white, background) {
            true => black,
            false => white,
        };
        let mix = |from: u8, to: u8, t: f64| {
            (f64::from(from) * (1.0 - t) + f64::from(to) * t).round() as u8
        };
        // Pure black or white, the last step, reads best of all.
        (1..=10)
            .map(|step| {
                let t = f64::from(step) / 10.0;
                rgb(
                    mix(colour.r, target.r, t),
                    mix(colour.g, target.g, t),
                    mix(colour.b, target.b, t),
                )
            })
            .find(|c| contrast(*c, background) >= 4.6)
            .unwrap_or(target)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A colour as the stylesheet writes it: `#rrggbb`.
    fn hex(text: &str) -> Color {
        let text = text.trim().trim_start_matches('#');
        let channel = |i: usize| u8::from_str_radix(&text[i..i + 2], 16).unwrap();
        assert_eq!(text.len(), 6, "{text}");
        rgb(channel(0), channel(2), channel(4))
    }

    fn css_hex(c: Color) -> String {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    }

    /// The value of `property` in a rule's declarations.
    fn declared(body: &str, property: &str) -> Option<Color> {
        body.split(';')
            .filter_map(|d| d.split_once(':'))
            .find(|(name, _)| name.trim() == property)
            .map(|(_, value)| hex(value))
    }

    /// Each rule of a stylesheet without nesting: its selectors, colour and background.
    fn rules(css: &str) -> Vec<(Vec<String>, Option<Color>, Option<Color>)> {
        let mut text = css.to_string();
        while let Some(start) = text.find("/*") {
            let end = text[start..].find("*/").unwrap() + start + 2;
            text.replace_range(start..end, "");
        }
        text.split('}')
            .filter_map(|rule| rule.split_once('{').map(|_| rule))
            .map(|rule| {
                let (head, body) = rule.rsplit_once('{').unwrap();
                let head = head.rsplit('{').next().unwrap();
                let selectors = head.split(',').map(|s| s.trim().to_string()).collect();
                let colour = declared(body, "color");
                (selectors, colour, declared(body, "background-color"))
            })
            .collect()
    }

    fn syntax_css_text() -> String {
        match syntax_css().content {
            Content::Bytes(bytes) => String::from_utf8(bytes).unwrap(),
            _ => panic!("syntax.css is bytes"),
        }
    }

    /// Issue 23: a JSON sample's `...` is what its grammar calls invalid; no rule draws it as an
    /// error.
    #[test]
    fn an_elided_sample_is_not_drawn_as_an_error() {
        let mut html = String::new();
        crate::markdown::highlight::code_block(
            Some("json"),
            "{\n  \"a\": 1,\n  ...\n}\n",
            &mut html,
        );
        assert!(
            html.contains("hl-invalid"),
            "the grammar marks `...`: {html}"
        );
        let css = syntax_css_text();
        assert!(!css.contains(".hl-invalid"), "{css}");
    }

    /// Issue 12: the invalid-token style was 1.41:1 in the dark scheme, its colour raised
    /// against the code block's background rather than its own.
    #[test]
    fn every_highlighting_rule_reads_at_aa_contrast_on_its_background_in_both_schemes() {
        let css = syntax_css_text();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        let mut failures = Vec::new();
        let mut checked = 0;
        for (scheme, block, code) in [
            ("light", light, CODE_BACKGROUND[0]),
            ("dark", dark, CODE_BACKGROUND[1]),
        ] {
            let rules = rules(block);
            let background_of = |compound: &str| {
                rules
                    .iter()
                    .find(|(selectors, _, background)| {
                        background.is_some() && selectors.iter().any(|s| s == compound)
                    })
                    .and_then(|(_, _, background)| *background)
            };
            for (selectors, colour, background) in &rules {
                let Some(colour) = colour else {
                    if background.is_some() {
                        failures.push(format!(
                            "{scheme}: {selectors:?} sets a background and no colour"
                        ));
                    }
                    continue;
                };
                // Drawn on its own background, else on that of a rule it is nested in, else
                // on the code block's.
                let drawn_on: Vec<Color> = match background {
                    Some(own) => vec![*own],
                    None => selectors
                        .iter()
                        .flat_map(|s| {
                            let compounds: Vec<&str> = s.split_whitespace().collect();
                            compounds[..compounds.len() - 1]
                                .iter()
                                .filter_map(|c| background_of(c))
                                .collect::<Vec<_>>()
                        })
                        .chain([code])
                        .collect(),
                };
                for background in drawn_on {
                    checked += 1;
                    let ratio = contrast(*colour, background);
                    if ratio < 4.5 {
                        failures.push(format!(
                            "{scheme}: {selectors:?}: {} on {} is {ratio:.2}:1",
                            css_hex(*colour),
                            css_hex(background)
                        ));
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} rules read: {css}");
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// The code block's backgrounds above are the theme's `--bg-soft`, light then dark.
    #[test]
    fn the_code_backgrounds_are_the_themes() {
        let style = include_str!("../../themes/default/static/style.css");
        let soft: Vec<Color> = style
            .match_indices("--bg-soft:")
            .map(|(at, name)| {
                let value = &style[at + name.len()..];
                hex(&value[..value.find(';').unwrap()])
            })
            .collect();
        assert_eq!(soft, CODE_BACKGROUND);
    }
}
