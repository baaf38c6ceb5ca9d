//! The public view: what templates, catalogue.json and every other output may see.
//!
//! **Invariant:** these types have no private field (`developer.email`,
//! `developer.company_profile`). A template that names one fails to render, and no JSON
//! output can carry one, because the value never reaches this side.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{
    Authentication, Catalog, Change, Compliance, Connector, Endpoint, LOGO_COPIES, Links, Site,
    Support,
};
use crate::urls;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub categories: Vec<CategoryView>,
    pub guide: Vec<NavItem>,
    /// The Content-Security-Policy's `img-src`: this site, and the hosts `markdown.image_hosts`
    /// allows docs to show images from.
    pub image_sources: String,
    /// The badges records may hold, with what each vouches for: the connector page shows
    /// the description beside each badge.
    pub badges: Vec<BadgeView>,
}

/// A badge of the site's vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeView {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
}

/// The connector that replaces a deprecated one, as a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplacementView {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// How a listed connector's developer embeds its "Listed on …" badge (`badge.svg`) in their
/// own README: what its page shows. Not part of the connector's public record, so neither
/// catalogue.json nor `diff` carries it.
#[derive(Debug, Clone, Serialize)]
pub struct EmbedView {
    /// The badge's address on this site, for the page's own copy of it.
    pub src: String,
    pub width: u32,
    /// What the badge says: its alt text.
    pub alt: String,
    /// `[![alt](ABSOLUTE/badge.svg)](ABSOLUTE)`, with the site's `base_url`.
    pub markdown: String,
}

/// [`EmbedView`] for `c`, whose badge is `badge`.
pub fn embed(site: &Site, c: &Connector, badge: &super::badge::Badge) -> EmbedView {
    let alt = badge.text();
    // Brackets and backslashes would end or escape Markdown's alt text; parentheses and
    // spaces its link destination.
    let mut alt_text = String::with_capacity(alt.len());
    for ch in alt.chars() {
        if matches!(ch, '[' | ']' | '\\') {
            alt_text.push('\\');
        }
        alt_text.push(ch);
    }
    let absolute = |path: String| {
        format!("{}{path}", site.base_url)
            .replace('(', "%28")
            .replace(')', "%29")
            .replace(' ', "%20")
    };
    let page = absolute(urls::connector(&c.slug));
    let svg = absolute(urls::embed_badge(&c.slug));
    EmbedView {
        src: format!("{}{}", site.base_path, urls::embed_badge(&c.slug)),
        width: badge.width(),
        alt,
        markdown: format!("[![{alt_text}]({svg})]({page})"),
    }
}

/// A badge a connector holds, as cards and catalogue.json name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadgeRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub url: String,
    /// The address of its icon, when the theme has one.
    pub icon: Option<String>,
    /// Listed, not deprecated.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

/// A category or a tag, as a link.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// What a card or a listing row shows; small, so listings stay cheap at 50,000 pages.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectorSummary {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub logo: Option<String>,
    pub category: Term,
    pub tags: Vec<Term>,
    pub systems: Vec<String>,
    pub auth_type: Option<String>,
    /// How people name it: "OAuth 2.0" for `oauth2`.
    pub auth_label: Option<&'static str>,
    /// `source`, `destination` and/or `both`, as the endpoints declare them.
    pub directions: Vec<String>,
    /// The directions in one phrase ("Reads and writes" for `both`, `destination, source`
    /// or all three), so a card never repeats itself.
    pub direction_label: Option<&'static str>,
    /// The summary is a bare address, which a card shows as less than a description.
    pub summary_is_address: bool,
    pub version: Option<String>,
    pub status: &'static str,
    pub deprecated: bool,
    pub approved_on: Option<String>,
    pub updated_on: Option<String>,
    /// The developer's public name.
    pub developer_name: String,
    /// The badges of the marketplace team it holds, in the record's order.
    pub badges: Vec<BadgeRef>,
    /// Deprecated only: the listed connector to use instead.
    pub replaced_by: Option<ReplacementView>,
    /// Deprecated only: the day it stops working, `YYYY-MM-DD`.
    pub sunset: Option<String>,
    /// Where a visitor installs it (site.yaml's `install_url`, its slug filled in); never for
    /// a deprecated one.
    pub install_url: Option<String>,
}

/// Everything public about one connector.
#[derive(Debug, Clone, Serialize)]
pub struct PublicConnector {
    #[serde(flatten)]
    pub summary: ConnectorSummary,
    /// The logo for the connector page's larger slot (`logo` is the card's).
    pub logo_large: Option<String>,
    pub screenshots: Vec<ScreenshotView>,
    pub demo_video: Option<String>,
    pub developer: PublicDeveloper,
    pub support: Support,
    pub authentication: Option<Authentication>,
    pub endpoints: Vec<Endpoint>,
    pub compliance: Option<Compliance>,
    pub links: Links,
    pub expected_completion: Option<String>,
    pub last_reviewed: Option<String>,
    pub changelog: Vec<ChangeView>,
    pub docs: Vec<NavItem>,
}

/// A changelog entry, with its migration page as a link.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub version: String,
    pub date: String,
    pub notes: String,
    pub breaking: bool,
    /// The docs page that says how to migrate to this version: its title and address.
    pub migration: Option<NavItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicDeveloper {
    pub name: String,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreenshotView {
    pub url: String,
    pub caption: String,
    /// From the image's header, so the page does not shift as it loads.
    pub width: u32,
    pub height: u32,
}

/// Every `authentication.type` of the content format, with its label.
pub const AUTH_LABELS: [(&str, &str); 6] = [
    ("api_key", "API key"),
    ("basic", "Basic"),
    ("bearer", "Bearer token"),
    ("custom", "Custom"),
    ("none", "None"),
    ("oauth2", "OAuth 2.0"),
];

fn auth_label(kind: &str) -> &'static str {
    AUTH_LABELS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Other", |(_, label)| label)
}

pub fn site(catalog: &Catalog, summaries: &[ConnectorSummary]) -> SiteView {
    let site = &catalog.site;
    let base = &site.base_path;
    let categories = site
        .categories
        .iter()
        .map(|c| CategoryView {
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            url: format!("{base}{}", urls::category(&c.slug)),
            icon: c
                .icon
                .as_ref()
                .map(|name| format!("{base}icons/{name}.svg")),
            count: summaries
                .iter()
                .filter(|s| s.category.slug == c.slug && !s.deprecated)
                .count(),
        })
        .collect();
    let guide = catalog
        .guide
        .iter()
        .map(|p| NavItem {
            title: p.nav_title.clone(),
            url: format!("{base}{}", urls::guide_page(&p.name)),
        })
        .chain([NavItem {
            title: "Field reference".into(),
            url: format!("{base}{}", urls::FIELDS),
        }])
        .collect();
    SiteView {
        title: site.title.clone(),
        description: site.description.clone(),
        language: site.language.clone(),
        base_url: site.base_url.clone(),
        base_path: base.clone(),
        categories,
        image_sources: std::iter::once("'self'".to_string())
            .chain(
                site.image_hosts
                    .iter()
                    .map(|host| format!("https://{host}")),
            )
            .collect::<Vec<_>>()
            .join(" "),
        guide,
        badges: badges(site),
    }
}

/// The site's badge vocabulary, as catalogue.json and the templates see it.
pub fn badges(site: &Site) -> Vec<BadgeView> {
    site.badges
        .iter()
        .map(|b| BadgeView {
            slug: b.slug.clone(),
            name: b.name.clone(),
            description: b.description.clone(),
        })
        .collect()
}

pub fn summary(site: &Site, c: &Connector) -> ConnectorSummary {
    let base = &site.base_path;
    let category_name = site
        .categories
        .iter()
        .find(|k| k.slug == c.category)
        .map_or(c.category.clone(), |k| k.name.clone());
    let mut directions: Vec<String> = c.endpoints.iter().map(|e| e.direction.clone()).collect();
    directions.sort();
    directions.dedup();

    ConnectorSummary {
        slug: c.slug.clone(),
        name: c.name.clone(),
        summary: c.summary.clone(),
        url: format!("{base}{}", urls::connector(&c.slug)),
        logo: c
            .logo
            .as_ref()
            .map(|f| format!("{base}{}", urls::logo(&c.slug, f, LOGO_COPIES[0]))),
        category: Term {
            slug: c.category.clone(),
            name: category_name,
            url: format!("{base}{}", urls::category(&c.category)),
        },
        tags: c
            .tags
            .iter()
            .map(|t| Term {
                slug: t.clone(),
                name: t.clone(),
                url: format!("{base}{}", urls::tag(t)),
            })
            .collect(),
        systems: c.systems.clone(),
        auth_type: c.authentication.as_ref().map(|a| a.kind.clone()),
        auth_label: c.authentication.as_ref().map(|a| auth_label(&a.kind)),
        direction_label: direction_label(&directions),
        directions,
        summary_is_address: is_bare_address(&c.summary),
        version: c.version.as_ref().map(ToString::to_string),
        status: c.status.name(),
        deprecated: c.status == crate::model::Status::Deprecated,
        approved_on: c.approved_on.map(|d| d.to_string()),
        updated_on: c.updated_on.map(|d| d.to_string()),
        developer_name: c.developer.name.clone(),
        badges: c
            .badges
            .iter()
            .filter_map(|slug| site.badges.iter().find(|b| &b.slug == slug))
            .map(|b| BadgeRef {
                slug: b.slug.clone(),
                name: b.name.clone(),
            })
            .collect(),
        replaced_by: c.replaced_by.as_ref().map(|r| ReplacementView {
            slug: r.slug.clone(),
            name: r.name.clone(),
            url: format!("{base}{}", urls::connector(&r.slug)),
        }),
        sunset: c.sunset.map(|d| d.to_string()),
        install_url: match c.status {
            crate::model::Status::Deprecated => None,
            _ => site.install_url(&c.slug),
        },
    }
}

/// The endpoints' directions in one phrase: `both`, or `source` with `destination`, reads and
/// writes.
fn direction_label(directions: &[String]) -> Option<&'static str> {
    let has = |d: &str| directions.iter().any(|x| x == d);
    match (
        has("source") || has("both"),
        has("destination") || has("both"),
    ) {
        (true, true) => Some("Reads and writes"),
        (true, false) => Some("Reads (source)"),
        (false, true) => Some("Writes (destination)"),
        (false, false) => None,
    }
}

/// A summary that is only an address says nothing about the connector.
fn is_bare_address(summary: &str) -> bool {
    let summary = summary.trim().to_ascii_lowercase();
    !summary.contains(char::is_whitespace)
        && ["https://", "http://", "www."]
            .iter()
            .any(|start| summary.starts_with(start))
}

/// Everything public about `c`; `docs` lists its documentation pages, `sizes` the width and
/// height of its images.
pub fn connector(
    site: &Site,
    c: &Connector,
    docs: Vec<NavItem>,
    sizes: &BTreeMap<String, (u32, u32)>,
) -> PublicConnector {
    let base = &site.base_path;
    PublicConnector {
        summary: summary(site, c),
        logo_large: c
            .logo
            .as_ref()
            .map(|f| format!("{base}{}", urls::logo(&c.slug, f, LOGO_COPIES[1]))),
        screenshots: c
            .screenshots
            .iter()
            .map(|s| {
                let (width, height) = sizes.get(&s.file).copied().unwrap_or_default();
                ScreenshotView {
                    url: format!("{base}{}", urls::connector_file(&c.slug, &s.file)),
                    caption: s.caption.clone(),
                    width,
                    height,
                }
            })
            .collect(),
        demo_video: c.demo_video.clone(),
        developer: PublicDeveloper {
            name: c.developer.name.clone(),
            website: c.developer.website.clone(),
        },
        support: c.support.clone(),
        authentication: c.authentication.clone(),
        endpoints: c.endpoints.clone(),
        compliance: c.compliance.clone(),
        links: c.links.clone(),
        expected_completion: c.expected_completion.map(|d| d.to_string()),
        last_reviewed: c.last_reviewed.map(|d| d.to_string()),
        changelog: c
            .changelog
            .iter()
            .map(|change| change_view(site, c, change, &docs))
            .collect(),
        docs,
    }
}

/// `change` as pages and JSON show it; `docs` names the connector's docs pages, whose titles
/// the migration links take (the overview, not among them, is "Overview"; without the docs,
/// as in `diff`, a page is called by its name).
fn change_view(site: &Site, c: &Connector, change: &Change, docs: &[NavItem]) -> ChangeView {
    let migration = change.migration.as_ref().map(|page| {
        let url = format!("{}{}", site.base_path, urls::connector_doc(&c.slug, page));
        let title = docs
            .iter()
            .find(|d| d.url == url)
            .map(|d| d.title.clone())
            .unwrap_or_else(|| match page.as_str() {
                "index" => "Overview".to_string(),
                name => name.to_string(),
            });
        NavItem { title, url }
    });
    ChangeView {
        version: change.version.to_string(),
        date: change.date.to_string(),
        notes: change.notes.clone(),
        breaking: change.breaking,
        migration,
    }
}

/// schema.org `SoftwareApplication` data for search engines, as the text of a
/// `<script type="application/ld+json">` block: `<` is escaped, so no content can close it.
pub fn json_ld(c: &PublicConnector, base_url: &str, base_path: &str) -> String {
    let origin = base_url.strip_suffix(base_path).unwrap_or(base_url);
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "SoftwareApplication",
        "name": c.summary.name,
        "description": c.summary.summary,
        "url": format!("{origin}{}", c.summary.url),
        "applicationCategory": "BusinessApplication",
        "applicationSubCategory": c.summary.category.name,
        "author": { "@type": "Organization", "name": c.developer.name },
    });
    if let Some(version) = &c.summary.version {
        data["softwareVersion"] = version.clone().into();
    }
    if let Some(logo) = &c.summary.logo {
        data["image"] = format!("{origin}{logo}").into();
    }
    if let Some(date) = &c.summary.approved_on {
        data["datePublished"] = date.clone().into();
    }
    if let Some(date) = &c.summary.updated_on {
        data["dateModified"] = date.clone().into();
    }
    script_data(&data)
}

/// What the compare page shows of `c`, as the text of a JSON data block on its page: each
/// row a label and its lines, already worded, so the page only lays them out.
pub fn compare_data(c: &PublicConnector) -> String {
    let s = &c.summary;
    let lines = |v: &[String]| v.to_vec();
    let one = |v: Option<&str>| v.map(str::to_string).into_iter().collect::<Vec<_>>();
    let compliance = c.compliance.as_ref();
    let support: Vec<String> = [c.support.email.as_deref(), c.support.url.as_deref()]
        .into_iter()
        .flatten()
        .map(str::to_string)
        .collect();
    let endpoints: Vec<String> = c
        .endpoints
        .iter()
        .map(|e| format!("{} ({} {}, {})", e.name, e.method, e.path, e.direction))
        .collect();
    let gdpr = compliance.and_then(|k| k.gdpr).map(|yes| match yes {
        true => "Yes",
        false => "No",
    });
    let rows = serde_json::json!([
        ["Version", one(s.version.as_deref())],
        ["Category", [s.category.name.as_str()]],
        ["Authentication", one(s.auth_label)],
        ["Directions", lines(&s.directions)],
        ["Endpoints", endpoints],
        ["Connects to", lines(&s.systems)],
        ["Support", support],
        ["Response time", one(c.support.response_time.as_deref())],
        [
            "Data residency",
            compliance
                .map(|k| lines(&k.data_residency))
                .unwrap_or_default()
        ],
        ["GDPR compliant", one(gdpr)],
        ["Last reviewed", one(c.last_reviewed.as_deref())],
        ["Developer", [c.developer.name.as_str()]],
    ]);
    let data = serde_json::json!({
        "slug": s.slug,
        "name": s.name,
        "url": s.url,
        "logo": s.logo,
        "deprecated": s.deprecated,
        "rows": rows,
    });
    script_data(&data)
}

/// JSON as the text of a `<script>` data block: `<` is escaped, so no content can close it.
fn script_data(data: &serde_json::Value) -> String {
    data.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_are_said_once() {
        let label =
            |ds: &[&str]| direction_label(&ds.iter().map(|d| d.to_string()).collect::<Vec<_>>());
        assert_eq!(
            label(&["both", "destination", "source"]),
            Some("Reads and writes")
        );
        assert_eq!(label(&["destination", "source"]), Some("Reads and writes"));
        assert_eq!(label(&["both"]), Some("Reads and writes"));
        assert_eq!(label(&["source"]), Some("Reads (source)"));
        assert_eq!(label(&["destination"]), Some("Writes (destination)"));
        assert_eq!(label(&[]), None);
    }

    #[test]
    fn a_summary_that_is_only_an_address_is_told_apart() {
        assert!(is_bare_address("https://docs.acme.example/connector"));
        assert!(is_bare_address(" www.acme.example "));
        assert!(!is_bare_address("Sync orders with https://acme.example"));
        assert!(!is_bare_address("Sync orders and stock"));
    }

    #[test]
    fn every_authentication_type_has_a_label() {
        let labelled: Vec<&str> = AUTH_LABELS.iter().map(|(kind, _)| *kind).collect();
        let mut types = crate::validate::record::AUTH_TYPES.to_vec();
        types.sort_unstable();
        assert_eq!(labelled, types);
    }
}
