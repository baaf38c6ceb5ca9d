//! Headings: their anchors (unique on the page, in time linear in the number of headings) and
//! the table of contents, nested as the page is (an h3 under the h2 before it).

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
/// page's header).
pub fn repeats_title(heading: &str, title: &str) -> bool {
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_lowercase).collect() };
    !title.trim().is_empty() && words(heading) == words(title)
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
