//! Headings: their anchors (unique on the page, in time linear in the number of headings) and
//! the table of contents, nested as the page is (an h3 under the h2 before it). Also the rule
//! that keeps every id content gives an element (a heading's, a footnote's, an author HTML
//! element's) out of the ids the theme and its script use: [`published_id`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::tree::TocEntry;

/// Longer anchors are not something anyone types or shares.
const MAX_ID: usize = 80;

/// The ids used on a page, and for each base the next suffix worth trying: mdBook retries
/// `-1`, `-2`, … from 1 for every repeat, which is quadratic in the number of equal headings.
#[derive(Default)]
pub struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    /// Takes `id` exactly as written (an author HTML element's): false when the page already
    /// uses it.
    pub fn claim_exact(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }

    /// A unique id for a heading with `text`, or with the author's `{#custom}` id.
    pub fn claim(&mut self, custom: Option<&str>, text: &str) -> String {
        let base = custom
            .map(slugify)
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| slugify(text));
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let next = self.next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The ids the default theme's templates, its script and `serve`'s overlay give elements, and
/// the prefixes of those they make from data (`card-{slug}`, `field-{path}`); none starts with
/// [`PREFIX`]. A test holds these lists to the theme's files.
const THEME_IDS: &[&str] = &[
    "breaking-title",
    "build-title",
    "catalogue-size",
    "categories-title",
    "changelog-title",
    "clear",
    "compare",
    "compare-bar",
    "compare-caption",
    "compare-clear",
    "compare-data",
    "compare-go",
    "compare-picked",
    "compare-status",
    "compare-table",
    "compare-wrap",
    "compliance-title",
    "count",
    "deprecated",
    "deprecated-title",
    "embed-label",
    "embed-title",
    "empty",
    "empty-text",
    "endpoints-title",
    "facets",
    "featured-title",
    "fields-caption",
    "filters",
    "finder",
    "glance-title",
    "hero-title",
    "home-q",
    "home-q-hint",
    "main",
    "marketgen-overlay",
    "marketgen-problems",
    "more",
    "newest-title",
    "overview-title",
    "pager",
    "q",
    "q-hint",
    "readiness-title",
    "related-title",
    "results",
    "results-bar",
    "retired-title",
    "screenshots-title",
    "sort",
    "support-title",
    "updated-title",
];
const THEME_ID_PREFIXES: &[&str] = &["card-", "field-"];

/// What [`published_id`] puts before an id the theme could use.
const PREFIX: &str = "doc-";

/// Whether the theme uses `id`, or could make it from data.
pub fn is_theme_id(id: &str) -> bool {
    THEME_IDS.contains(&id) || THEME_ID_PREFIXES.iter().any(|p| id.starts_with(p))
}

/// The id an element of content is published with, for an id as written (a heading's text
/// or `{#id}`, a footnote's label, an author element's `id`): as written, unless what follows
/// its leading `doc-`s is an id of the theme, which gets one `doc-` more. So `main` becomes
/// `doc-main` and `doc-main` becomes `doc-doc-main`: no two ids become one, and none becomes
/// one of the theme's. Links to `#main` are published by the same rule, so they still reach
/// the element their author meant.
pub fn published_id(id: &str) -> Cow<'_, str> {
    let mut core = id;
    while let Some(rest) = core.strip_prefix(PREFIX) {
        core = rest;
    }
    match is_theme_id(core) {
        true => Cow::Owned(format!("{PREFIX}{id}")),
        false => Cow::Borrowed(id),
    }
}

/// `Orders & Refunds` → `orders-refunds`, at most [`MAX_ID`] characters.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut length = 0;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if length == MAX_ID {
            break;
        }
        if c.is_alphanumeric() {
            slug.push(c);
            length += 1;
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
            length += 1;
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The `##` and `###` headings as a tree: each h3 under the h2 before it (an h3 before any h2
/// stands at the top).
pub fn toc(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for (level, id, text) in headings {
        let entry = TocEntry {
            level,
            id,
            text,
            children: Vec::new(),
        };
        match toc.last_mut() {
            Some(parent) if level == 3 && parent.level == 2 => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

/// Whether a heading says what the page's title says (the doc's own `# Title` under the
/// page's header): the title's words, or its first words when the title only adds a qualifier
/// (`# Amazon Kinesis` under "Amazon Kinesis (prontopro variant)").
pub fn repeats_title(heading: &str, title: &str) -> bool {
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_lowercase).collect() };
    let (heading, title) = (words(heading), words(title));
    !heading.is_empty() && title.starts_with(&heading)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_custom_and_bounded() {
        let mut ids = Ids::default();
        let got: Vec<String> = [
            (None, "Set up"),
            (None, "Set up"),
            (Some("set-up-2"), "x"),
            (None, "Set up"),
            (Some("API keys"), "Keys"),
            (None, "!!!"),
        ]
        .into_iter()
        .map(|(custom, text)| ids.claim(custom, text))
        .collect();
        assert_eq!(
            got,
            [
                "set-up", "set-up-1", "set-up-2", "set-up-3", "api-keys", "section"
            ]
        );
        assert_eq!(slugify(&"a".repeat(1000)).len(), MAX_ID);
    }

    #[test]
    fn ids_the_theme_uses_are_published_with_a_prefix_and_stay_distinct() {
        let written = [
            "main",
            "doc-main",
            "doc-doc-main",
            "finder",
            "card-acme",
            "setup",
            "doc-setup",
            "q",
        ];
        let published: Vec<String> = written
            .iter()
            .map(|id| published_id(id).into_owned())
            .collect();
        assert_eq!(
            published,
            [
                "doc-main",
                "doc-doc-main",
                "doc-doc-doc-main",
                "doc-finder",
                "doc-card-acme",
                "setup",
                "doc-setup",
                "doc-q"
            ]
        );
        assert!(published.iter().all(|id| !is_theme_id(id)));
        let distinct: HashSet<&String> = published.iter().collect();
        assert_eq!(distinct.len(), published.len());
    }

    /// Every id the default theme's files give an element (`id="…"`, `getElementById("…")`,
    /// `.id = "…"`), literal or made from data (`id="card-{{ c.slug }}"`).
    fn theme_ids() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> =
            std::fs::read_dir(root.join("themes/default/templates"))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .collect();
        files.push(root.join("themes/default/static/marketgen.js"));
        files.push(root.join("src/serve/live.js"));
        let mut ids = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for opener in ["id=\"", "getElementById(\"", ".id = \""] {
                for (at, _) in text.match_indices(opener) {
                    let rest = &text[at + opener.len()..];
                    let value = &rest[..rest.find('"').unwrap()];
                    ids.push(value.split("{{").next().unwrap().to_string());
                }
            }
        }
        ids.retain(|id| !id.is_empty());
        ids
    }

    #[test]
    fn the_theme_ids_are_those_of_the_theme() {
        let ids = theme_ids();
        assert!(ids.len() > 40, "{ids:?}");
        for id in &ids {
            assert!(
                is_theme_id(id) || THEME_ID_PREFIXES.contains(&id.as_str()),
                "the theme uses the id `{id}`: add it to THEME_IDS (or its prefix to THEME_ID_PREFIXES)"
            );
            assert!(
                !id.starts_with(PREFIX),
                "the theme may not use `{PREFIX}` ids: `{id}`"
            );
        }
        for listed in THEME_IDS.iter().chain(THEME_ID_PREFIXES) {
            assert!(
                ids.iter().any(|id| id == listed),
                "`{listed}` is no longer in the theme"
            );
        }
    }

    #[test]
    fn many_equal_headings_take_linear_time() {
        let mut ids = Ids::default();
        let started = std::time::Instant::now();
        for _ in 0..100_000 {
            ids.claim(None, "Heading");
        }
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn slugs_of_headings() {
        assert_eq!(slugify("Orders & Refunds"), "orders-refunds");
        assert_eq!(slugify("  Über API_keys  "), "über-api-keys");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn h3_nest_under_their_h2() {
        let toc = toc(vec![
            (3, "a".into(), "A".into()),
            (2, "b".into(), "B".into()),
            (3, "c".into(), "C".into()),
            (3, "d".into(), "D".into()),
            (2, "e".into(), "E".into()),
        ]);
        let shape: Vec<(String, usize)> = toc
            .iter()
            .map(|e| (e.id.clone(), e.children.len()))
            .collect();
        assert_eq!(shape, [("a".into(), 0), ("b".into(), 2), ("e".into(), 0)]);
    }
}
