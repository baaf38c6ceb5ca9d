//! The catalogue's search data, in three parts so its first view stays light at 10,000
//! connectors: `search-index.json` (names, systems and facets, read when the catalogue
//! opens), `search-cards.json` (the rest of each card, and endpoints, fetched when a visitor
//! turns to the search or the filters) and `search-docs.json` (the distinct words of each
//! connector's docs, fetched on the first query). All list the connectors in the same order,
//! the catalogue's: by name, in the site language's collation (the script's "Name" sort).

use std::collections::BTreeMap;

use foldhash::HashSet;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::view::ConnectorSummary;
use super::{Content, DocsSummary, OutputFile};
use crate::model::{Connector, Docs, Site};
use crate::urls;

/// Words shorter than this are not worth a byte of the docs index: the query's own short
/// words still match names, tags and summaries, which are searched in full.
const MIN_WORD: usize = 3;
/// Longer "words" are hashes, tokens or base64, not something anyone types.
const MAX_WORD: usize = 30;
/// A bound on one connector's share of `search-docs.json`, whatever its docs hold.
const MAX_WORDS: usize = 1500;

/// The distinct words of a connector's docs, folded as the catalogue's script folds a query
/// (lower case, accents removed), in the order they first appear.
pub fn docs_words(docs: &Docs) -> String {
    // Seen as written, then as folded: most repeats are caught before any folding.
    let mut written = HashSet::default();
    let mut folded = HashSet::default();
    let mut words = String::new();
    // What a reader sees, not the Markdown: comments, dropped MDX lines and unused link
    // definitions are not searchable, so nothing hidden can be stuffed with keywords.
    let mut text = String::new();
    for page in docs.overview.iter().chain(&docs.pages) {
        page.body.document.visible_text(&mut text);
        text.push(' ');
    }
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if folded.len() == MAX_WORDS {
            break;
        }
        if word.len() < MIN_WORD || !written.insert(word) {
            continue;
        }
        let length = word.chars().count();
        if !(MIN_WORD..=MAX_WORD).contains(&length) || word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let word = fold(word);
        if !folded.contains(&word) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(&word);
            folded.insert(word);
        }
    }
    words
}

fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// One connector as the catalogue's script first reads it: enough to search names and
/// systems, filter and count. `INDEX_FIELDS` names the positions.
#[derive(Serialize)]
struct Entry<'a>(
    &'a str,
    &'a str,
    usize,
    Option<&'a str>,
    &'a [String],
    Vec<&'a str>,
    &'a [String],
    Option<&'a str>,
    Option<&'a str>,
    u8,
    Vec<usize>,
);

const INDEX_FIELDS: [&str; 11] = [
    "slug",
    "name",
    "category",
    "auth",
    "directions",
    "tags",
    "systems",
    "listed",
    "updated",
    "deprecated",
    "badges",
];

#[derive(Serialize)]
struct Index<'a> {
    fields: [&'static str; 11],
    /// `[slug, name]`; entries name a category by its position here.
    categories: Vec<[&'a str; 2]>,
    /// `[slug, name]` of the badges the team awards; entries name them by position.
    badges: Vec<[&'a str; 2]>,
    /// Authentication types and their labels.
    auth: BTreeMap<&'static str, &'static str>,
    /// site.yaml's `install_url`, `{slug}` left in: a listed card's call to action.
    install: Option<&'a str>,
    connectors: Vec<Entry<'a>>,
}

/// `search-index.json`, what the catalogue's first view loads: its size grows by a name, a
/// slug and a few facet values per connector, so 10,000 connectors stay under 150 KB
/// compressed.
pub fn index(site: &Site, summaries: &[&ConnectorSummary]) -> anyhow::Result<OutputFile> {
    let position = |slug: &str| site.categories.iter().position(|c| c.slug == slug);
    let badge = |slug: &str| site.badges.iter().position(|b| b.slug == slug);
    let connectors = summaries
        .iter()
        .map(|s| {
            Entry(
                &s.slug,
                &s.name,
                position(&s.category.slug).unwrap_or(usize::MAX),
                s.auth_type.as_deref(),
                &s.directions,
                s.tags.iter().map(|t| t.slug.as_str()).collect(),
                &s.systems,
                s.approved_on.as_deref(),
                s.updated_on.as_deref(),
                u8::from(s.deprecated),
                s.badges.iter().filter_map(|b| badge(&b.slug)).collect(),
            )
        })
        .collect();
    let index = Index {
        fields: INDEX_FIELDS,
        categories: site
            .categories
            .iter()
            .map(|c| [c.slug.as_str(), c.name.as_str()])
            .collect(),
        badges: site
            .badges
            .iter()
            .map(|b| [b.slug.as_str(), b.name.as_str()])
            .collect(),
        auth: super::view::AUTH_LABELS.iter().copied().collect(),
        install: site.install_url.as_deref(),
        connectors,
    };
    json(urls::SEARCH_INDEX, &index)
}

/// What a card shows beyond the index (a deprecated one's replacement as `[name, url]`), and
/// the endpoints searched with the summary.
/// `CARD_FIELDS` names the positions.
#[derive(Serialize)]
struct Card<'a>(
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Vec<&'a str>,
    Option<[&'a str; 2]>,
    Option<&'a str>,
);

const CARD_FIELDS: [&str; 7] = [
    "summary",
    "developer",
    "logo",
    "direction",
    "endpoints",
    "replaced_by",
    "sunset",
];

#[derive(Serialize)]
struct Cards<'a> {
    fields: [&'static str; 7],
    connectors: Vec<Card<'a>>,
}

/// `search-cards.json`, fetched when a visitor turns to the search or the filters: the rest
/// of each card (a summary that is only an address is left out, as the card leaves it out)
/// and the endpoints. In the index's order; `records` are the summaries' connectors.
pub fn cards(
    summaries: &[&ConnectorSummary],
    records: &[&Connector],
) -> anyhow::Result<OutputFile> {
    let connectors = summaries
        .iter()
        .zip(records)
        .map(|(s, c)| {
            Card(
                (!s.summary_is_address).then_some(s.summary.as_str()),
                &s.developer_name,
                s.logo.as_deref(),
                s.direction_label,
                c.endpoints.iter().map(|e| e.name.as_str()).collect(),
                s.replaced_by
                    .as_ref()
                    .map(|r| [r.name.as_str(), r.url.as_str()]),
                s.sunset.as_deref(),
            )
        })
        .collect();
    json(
        urls::SEARCH_CARDS,
        &Cards {
            fields: CARD_FIELDS,
            connectors,
        },
    )
}

/// `search-docs.json`: each connector's docs words, in the index's order.
pub fn docs(
    summaries: &[&ConnectorSummary],
    docs: &BTreeMap<String, DocsSummary>,
) -> anyhow::Result<OutputFile> {
    let list: Vec<&str> = summaries
        .iter()
        .map(|s| docs.get(&s.slug).map_or("", |d| d.words.as_str()))
        .collect();
    json(urls::SEARCH_DOCS, &list)
}

fn json(path: &str, value: &impl Serialize) -> anyhow::Result<OutputFile> {
    Ok(OutputFile {
        path: path.to_string(),
        content: Content::Bytes(serde_json::to_vec(value)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Page;

    fn page(body: &str) -> Page {
        let (files, pages) = (Default::default(), Default::default());
        let bundle = crate::markdown::Bundle {
            dir: "docs",
            files: &files,
            pages: &pages,
            url: "/",
            name: "the folder",
            base_path: "/",
            publishable: |_| false,
        };
        let source = crate::markdown::Source {
            file: std::path::Path::new("docs/index.md"),
            text: body,
            body_offset: 0,
            title: "Overview",
        };
        let policy = crate::markdown::Policy {
            raw_html: crate::model::RawHtml::Escape,
            image_hosts: &[],
        };
        Page {
            file: "docs/index.md".into(),
            name: "index".into(),
            title: "Overview".into(),
            nav_title: "Overview".into(),
            description: None,
            weight: 0,
            body: crate::markdown::analyse(&source, &bundle, &policy).0,
        }
    }

    #[test]
    fn only_what_is_shown_is_searchable() {
        let docs = Docs {
            overview: Some(page(
                "import Secret from 'hidden';\n\nShown <!-- stuffed keywords -->text.\n\n[unused]: https://a.example/invisible\n",
            )),
            pages: vec![],
        };
        assert_eq!(docs_words(&docs), "shown text");
    }

    #[test]
    fn docs_words_are_distinct_folded_and_bounded() {
        let docs = Docs {
            overview: Some(page(
                "## Réglages\n\nSync `orders` and ORDERS every 15 minutes; a b.",
            )),
            pages: vec![page(&"word ".repeat(10))],
        };
        assert_eq!(
            docs_words(&docs),
            "reglages sync orders and every minutes word"
        );

        let many: String = (0..3000).map(|i| format!("w{i:04}x ")).collect();
        let docs = Docs {
            overview: Some(page(&many)),
            pages: vec![],
        };
        assert_eq!(docs_words(&docs).split(' ').count(), MAX_WORDS);
    }
}
