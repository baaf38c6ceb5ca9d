//! A listing's life after approval (issue 15): old addresses that keep working (`aliases`)
//! and breaking changes with their migration pages, checked on the sample marketplace as
//! built, parsed back with `scraper`.

use crate::support::{build, html, repo, select, text_of};

/// The sample's SAP Business One connector was listed as `sap-b1`.
const OLD: &str = "sap-b1";
const NEW: &str = "sap-business-one";

#[test]
fn an_alias_is_a_redirect_page_and_a_redirects_line_under_the_base_path() {
    let (_dir, out) = build(&repo(), &["--base-url", "https://example.com/market/"]);
    let page = html(&out, &format!("connectors/{OLD}/index.html"));
    let attr = |css: &str, name: &str| -> Vec<String> {
        select(&page, css)
            .iter()
            .filter_map(|e| e.value().attr(name).map(str::to_string))
            .collect()
    };
    let new_url = format!("/market/connectors/{NEW}/");
    assert_eq!(
        attr("link[rel=canonical]", "href"),
        [format!("https://example.com{new_url}")]
    );
    assert_eq!(
        attr("meta[http-equiv=refresh]", "content"),
        [format!("0; url={new_url}")]
    );
    assert_eq!(attr("meta[name=robots]", "content"), ["noindex"]);
    // The visible way on, for whatever does not follow the refresh.
    let main = text_of(&page, "main");
    assert!(
        main.contains("This connector moved to SAP Business One"),
        "{main}"
    );
    let links: Vec<String> = select(&page, "main a")
        .iter()
        .filter(|a| a.value().attr("href") == Some(new_url.as_str()))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(links, ["SAP Business One"]);
    // No script: the redirect needs nothing the Content-Security-Policy would have to allow.
    assert!(select(&page, "script").is_empty());

    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert_eq!(
        redirects,
        format!("/market/connectors/{OLD}/ {new_url} 301\n")
    );
    // An old address is not a page of its own: no search engine or search box lists it.
    for file in ["sitemap.xml", "catalogue.json", "search-index.json"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            !text.contains(&format!("connectors/{OLD}/")),
            "{file} lists the old address"
        );
    }
}

#[test]
fn a_site_without_aliases_writes_no_redirects_file() {
    let (_dir, out) = build(&crate::support::fixture("valid"), &[]);
    assert!(!out.join("_redirects").exists());
}

/// The sample's NetSuite connector broke things in 3.0.0, with a migration page.
#[test]
fn a_connector_page_shows_its_breaking_versions_above_the_changelog() {
    let (_dir, out) = build(&repo(), &[]);
    let page = html(&out, "connectors/netsuite/index.html");
    let section = select(&page, "section.breaking-changes");
    assert_eq!(section.len(), 1);
    let heading: String = select(&page, "section.breaking-changes h2")[0]
        .text()
        .collect();
    assert_eq!(heading, "Breaking changes");
    let listed: Vec<String> = select(&page, "section.breaking-changes li .version")
        .iter()
        .map(|v| v.text().collect())
        .collect();
    assert_eq!(listed, ["3.0.0"]);
    let migration = "/connectors/netsuite/docs/migrate-to-3/";
    let links: Vec<String> = select(&page, "section.breaking-changes li a")
        .iter()
        .map(|a| {
            assert_eq!(a.value().attr("href"), Some(migration));
            a.text().collect()
        })
        .collect();
    assert_eq!(links, ["Migration guide: Moving to version 3"]);
    assert!(
        out.join("connectors/netsuite/docs/migrate-to-3/index.html")
            .is_file()
    );
    // Above the changelog, whose breaking entry is marked too.
    let text = page.root_element().html();
    let (breaking, changelog) = (
        text.find("id=\"breaking-title\"").unwrap(),
        text.find("id=\"changelog-title\"").unwrap(),
    );
    assert!(breaking < changelog);
    let marked: Vec<String> = select(&page, ".changelog li.breaking .version")
        .iter()
        .map(|v| v.text().collect())
        .collect();
    assert_eq!(marked, ["3.0.0"]);
    assert_eq!(text_of(&page, ".changelog .badge-breaking"), "Breaking");
    // A connector without a breaking release has no such section.
    let shopify = html(&out, "connectors/shopify/index.html");
    assert!(select(&shopify, "section.breaking-changes").is_empty());
    // NetSuite's latest update (3.1.0) breaks nothing: its feed entry is a plain one.
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(!feed.contains("Breaking change"), "{feed}");

    let catalogue: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalogue.json")).unwrap())
            .unwrap();
    let netsuite = catalogue["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "netsuite")
        .unwrap();
    let entry = &netsuite["changelog"][1];
    assert_eq!(entry["version"], "3.0.0");
    assert_eq!(entry["breaking"], true);
    assert_eq!(entry["migration"]["url"], migration);
    assert_eq!(netsuite["changelog"][0]["breaking"], false);
}

/// The valid fixture, with its connector's latest release breaking.
fn site_with_a_breaking_latest_release() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    crate::build::copy_tree(&crate::support::fixture("valid"), site.path());
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text.replace("version: 2.3.0\nlogo", "version: 3.0.0\nlogo").replace(
        "changelog:\n",
        "changelog:\n  - version: 3.0.0\n    date: 2026-07-01\n    notes: Orders are read by webhook.\n    breaking: true\n    migration: docs/migrating.md\n",
    );
    std::fs::write(&record, text).unwrap();
    site
}

#[test]
fn a_feed_entry_whose_update_is_breaking_says_so_and_links_the_migration() {
    let site = site_with_a_breaking_latest_release();
    let (_dir, out) = build(site.path(), &["--base-url", "https://example.com/market/"]);
    for file in ["feed.xml", "categories/ecommerce/feed.xml"] {
        let bytes = std::fs::read(out.join(file)).unwrap();
        let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
        let entry = &feed.entries[0];
        assert_eq!(
            entry.title.as_ref().unwrap().content,
            "Breaking change: Orders & Stock 3.0.0"
        );
        let terms: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["ecommerce", "breaking-change"]);
        let related: Vec<&str> = entry
            .links
            .iter()
            .filter(|l| l.rel.as_deref() == Some("related"))
            .map(|l| l.href.as_str())
            .collect();
        assert_eq!(
            related,
            ["https://example.com/market/connectors/acme-orders/docs/migrating/"]
        );
    }
}
