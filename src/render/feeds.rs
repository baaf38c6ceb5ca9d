//! Atom feeds (RFC 4287) of newly listed and updated connectors: one for the marketplace and
//! one per category, written by atom_syndication. Built from the listings' summaries, so
//! previews and deprecated connectors never appear; dated from the records, never the clock.
//! An entry whose update is a breaking release says so in its title and a `breaking-change`
//! category, and links its migration page (`rel="related"`).

use std::collections::BTreeMap;

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};

use super::view::ConnectorSummary;
use super::{Content, OutputFile};
use crate::model::{Connector, Site};
use crate::urls;

/// A connector whose latest update is a breaking release: its entry says so, so that a
/// reader of the feed sees it before upgrading.
pub struct Breaking {
    pub version: String,
    /// The migration page's address, site-relative with the base path.
    pub migration: Option<String>,
}

/// The breaking release `c` was last updated with, if its newest changelog entry (by
/// version) is breaking and dated the day the record's `updated_on` names: an entry of the
/// feed is about that update, not an older one.
pub fn breaking(site: &Site, c: &Connector) -> Option<Breaking> {
    let newest = c
        .changelog
        .iter()
        .max_by(|a, b| a.version.cmp(&b.version))?;
    if !newest.breaking || c.updated_on != Some(newest.date) {
        return None;
    }
    Some(Breaking {
        version: newest.version.to_string(),
        migration: newest
            .migration
            .as_ref()
            .map(|page| format!("{}{}", site.base_path, urls::connector_doc(&c.slug, page))),
    })
}

/// How many of the most recently listed or updated connectors a feed holds.
const ENTRIES: usize = 50;

/// The feed at `path` (`feed.xml`, `categories/erp/feed.xml`) of `members`.
pub fn feed(
    site: &Site,
    path: &str,
    title: &str,
    page: &str,
    members: &[&ConnectorSummary],
    breaking: &BTreeMap<&str, Breaking>,
) -> OutputFile {
    let mut recent: Vec<&&ConnectorSummary> = members.iter().filter(|s| !s.deprecated).collect();
    recent.sort_by(|a, b| b.updated_on.cmp(&a.updated_on).then(a.slug.cmp(&b.slug)));
    recent.truncate(ENTRIES);
    // Links carry the base path already: prefix only the scheme and host.
    let origin = site
        .base_url
        .strip_suffix(site.base_path.as_str())
        .unwrap_or(&site.base_url);
    let absolute = |link: &str| format!("{origin}{link}");
    let mut feed = Feed::default();
    feed.set_title(Text::plain(title));
    feed.set_id(absolute(&format!("{}{path}", site.base_path)));
    feed.set_updated(
        recent
            .first()
            .and_then(|s| date(s.updated_on.as_deref()))
            .unwrap_or_else(epoch),
    );
    feed.set_links(vec![
        link(&absolute(&format!("{}{path}", site.base_path)), "self"),
        link(&absolute(page), "alternate"),
    ]);
    feed.set_entries(
        recent
            .iter()
            .map(|s| entry(s, breaking.get(s.slug.as_str()), &absolute))
            .collect::<Vec<_>>(),
    );
    OutputFile {
        path: path.to_string(),
        content: Content::Bytes(feed.to_string().into_bytes()),
    }
}

fn entry(
    s: &ConnectorSummary,
    breaking: Option<&Breaking>,
    absolute: &dyn Fn(&str) -> String,
) -> Entry {
    let mut entry = Entry::default();
    let title = match breaking {
        Some(b) => format!("Breaking change: {} {}", s.name, b.version),
        None => s.name.clone(),
    };
    entry.set_title(Text::plain(title));
    entry.set_id(absolute(&s.url));
    let mut links = vec![link(&absolute(&s.url), "alternate")];
    if let Some(migration) = breaking.and_then(|b| b.migration.as_deref()) {
        links.push(link(&absolute(migration), "related"));
    }
    entry.set_links(links);
    entry.set_updated(date(s.updated_on.as_deref()).unwrap_or_else(epoch));
    entry.set_published(date(s.approved_on.as_deref()));
    entry.set_summary(Some(Text::plain(s.summary.clone())));
    let mut category = Category::default();
    category.set_term(s.category.slug.clone());
    category.set_label(Some(s.category.name.clone()));
    let mut categories = vec![category];
    if breaking.is_some() {
        let mut marked = Category::default();
        marked.set_term("breaking-change");
        marked.set_label(Some("Breaking change".to_string()));
        categories.push(marked);
    }
    entry.set_categories(categories);
    let mut author = Person::default();
    author.set_name(s.developer_name.clone());
    entry.set_authors(vec![author]);
    entry
}

fn link(href: &str, rel: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link
}

/// A record's ISO date as an Atom timestamp, midnight UTC.
fn date(day: Option<&str>) -> Option<FixedDateTime> {
    FixedDateTime::parse_from_rfc3339(&format!("{}T00:00:00Z", day?)).ok()
}

/// A fixed date for a record that has none, so that output never depends on the clock.
fn epoch() -> FixedDateTime {
    FixedDateTime::default()
}
