//! `connectors/<slug>/badge.svg`: the "Listed on …" badge a connector's developer embeds in
//! their own README, flat, in the shape shields.io made familiar.
//!
//! The text comes from site.yaml (the title) and from content (the version), so it is cut to
//! a bounded length and XML-escaped, and the file is only shapes and text: no script, no
//! style sheet, no link and no reference outside itself, safe to serve from the marketplace.

use crate::markdown::escape_into;

/// The longest title and version shown, in characters; longer ones end with `…`. A badge
/// is a line in someone's README, not the place for a marketplace's whole name.
const MAX_TITLE: usize = 40;
const MAX_VERSION: usize = 24;

/// The badge's two halves: "Listed on TITLE" and "vVERSION" (absent without a version).
pub struct Badge {
    pub label: String,
    pub value: Option<String>,
}

impl Badge {
    pub fn new(title: &str, version: Option<&str>) -> Badge {
        Badge {
            label: format!("Listed on {}", bounded(title.trim(), MAX_TITLE)),
            value: version.map(|v| format!("v{}", bounded(v, MAX_VERSION))),
        }
    }

    /// What the badge says, as one line: its accessible name and the Markdown's alt text.
    pub fn text(&self) -> String {
        match &self.value {
            Some(value) => format!("{} · {value}", self.label),
            None => self.label.clone(),
        }
    }

    /// The width in pixels, as the SVG is drawn.
    pub fn width(&self) -> u32 {
        let (left, right) = self.halves();
        left + right
    }

    fn halves(&self) -> (u32, u32) {
        let half = |text: &str| text_width(text) + 2 * PADDING;
        (half(&self.label), self.value.as_deref().map_or(0, half))
    }

    pub fn svg(&self) -> String {
        let (left, right) = self.halves();
        let width = left + right;
        let mut svg = String::with_capacity(1024);
        svg.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" viewBox=\"0 0 {width} 20\" role=\"img\" aria-label=\""
        ));
        escape_into(&mut svg, &self.text());
        svg.push_str("\"><title>");
        escape_into(&mut svg, &self.text());
        svg.push_str("</title>");
        svg.push_str(&format!(
            "<rect width=\"{width}\" height=\"20\" rx=\"3\" fill=\"#555\"/>"
        ));
        if right > 0 {
            // Rounded at the right end only: a square strip covers the join.
            svg.push_str(&format!(
                "<rect x=\"{left}\" width=\"{right}\" height=\"20\" rx=\"3\" fill=\"#0b5cad\"/><rect x=\"{left}\" width=\"4\" height=\"20\" fill=\"#0b5cad\"/>"
            ));
        }
        svg.push_str("<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"110\">");
        text(&mut svg, &self.label, 0, left);
        if let Some(value) = &self.value {
            text(&mut svg, value, left, right);
        }
        svg.push_str("</g></svg>\n");
        svg
    }
}

/// Space on either side of each half's text, in pixels.
const PADDING: u32 = 6;

/// One half's text, centred in it, with a shadow as shields.io draws it; `textLength` holds
/// it to the width measured here, whatever font the viewer has.
fn text(svg: &mut String, text: &str, x: u32, width: u32) {
    let centre = x * 10 + width * 5;
    let length = width.saturating_sub(2 * PADDING) * 10;
    for (y, fill) in [(150, " fill=\"#010101\" fill-opacity=\".3\""), (140, "")] {
        svg.push_str(&format!(
            "<text x=\"{centre}\" y=\"{y}\" transform=\"scale(.1)\" textLength=\"{length}\"{fill}>"
        ));
        escape_into(svg, text);
        svg.push_str("</text>");
    }
}

/// `text` cut to `max` characters, the last of them `…` when it was longer.
fn bounded(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let mut cut: String = text.chars().take(max - 1).collect();
            cut.push('…');
            cut
        }
    }
}

/// The width of `text` in 11 px Verdana (drawn at 110 in a tenth scale, as shields.io does), near enough: shields.io measures each character;
/// a few classes of width are enough for a badge, and `textLength` absorbs the rest.
fn text_width(text: &str) -> u32 {
    let tenths: u32 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | 'I' => 35,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '-' => 45,
            'm' | 'w' | 'M' | 'W' => 100,
            'A'..='Z' => 75,
            '0'..='9' | 'a'..='z' => 68,
            _ => 80,
        })
        .sum();
    tenths.div_ceil(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_escaped_and_bounded() {
        let badge = Badge::new(
            "<script>alert(1)</script> & \"Co\" Marketplace of everything under the sun",
            Some("1.0.0-rc.1+build.5"),
        );
        let svg = badge.svg();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
        assert_eq!(badge.label.chars().count(), "Listed on ".len() + MAX_TITLE);
        assert!(badge.label.ends_with('…'));
        assert_eq!(badge.value.as_deref(), Some("v1.0.0-rc.1+build.5"));
        // It reads back as XML, and refers to nothing outside itself.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(
                ["svg", "title", "rect", "g", "text"].contains(&node.tag_name().name()),
                "{svg}"
            );
            for attribute in node.attributes() {
                assert!(!attribute.name().starts_with("on"), "{svg}");
                assert!(!attribute.value().contains("url("), "{svg}");
            }
        }
    }

    #[test]
    fn a_long_version_is_cut_and_no_version_leaves_one_half() {
        let long = "1.0.0-".to_string() + &"a".repeat(200);
        let badge = Badge::new("Market", Some(&long));
        assert_eq!(
            badge.value.as_ref().unwrap().chars().count(),
            1 + MAX_VERSION
        );
        let bare = Badge::new("Market", None);
        assert_eq!(bare.text(), "Listed on Market");
        assert_eq!(bare.svg().matches("<rect").count(), 1);
        assert!(bare.width() < badge.width());
    }
}
