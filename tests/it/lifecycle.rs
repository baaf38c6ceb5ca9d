//! A listing's life on the public site (issue 15), on the sample marketplace and the valid
//! fixture as built by the real binary, parsed back with `scraper`: badges the team defines
//! (on cards, pages and catalogue.json), replacements of deprecated connectors, the badge
//! developers embed, old addresses that keep working (`aliases`) and breaking changes with
//! their migration pages.

use serde_json::Value;

use crate::support::{build, fixture, html, marketgen, repo, select, text_of};

fn catalogue_json(out: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("catalogue.json")).unwrap()).unwrap()
}

fn connector<'a>(json: &'a Value, slug: &str) -> &'a Value {
    json["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in catalogue.json"))
}

#[test]
fn badges_show_on_cards_and_pages_with_their_descriptions_and_in_catalogue_json() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let catalogue = html(&out, "connectors/index.html");
    let card: Vec<String> = select(
        &catalogue,
        "#results .card[data-slug='acme-orders'] .badges li",
    )
    .iter()
    .map(|b| b.text().collect())
    .collect();
    assert_eq!(card, ["Certified"]);
    let page = html(&out, "connectors/acme-orders/index.html");
    let described = text_of(&page, ".connector-header .badges-described");
    // The description is text on the page, escaped like any other: no hover needed.
    assert!(
        described.contains("Certified")
            && described.contains("Tested by the marketplace team & its <partners>."),
        "{described}"
    );
    let json = catalogue_json(&out);
    assert_eq!(
        connector(&json, "acme-orders")["badges"],
        serde_json::json!([{"slug": "certified", "name": "Certified"}])
    );
    assert_eq!(
        connector(&json, "old-sync")["badges"],
        serde_json::json!([])
    );
    assert_eq!(json["badges"][1]["slug"], "platform-team");
    assert_eq!(json["badges"][1]["description"], Value::Null);
}

#[test]
fn a_deprecated_connector_links_to_its_replacement_on_its_page_its_card_and_in_catalogue_json() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let page = html(&out, "connectors/old-sync/index.html");
    let notice = select(&page, ".retired .replaced a");
    assert_eq!(notice.len(), 1);
    assert_eq!(
        notice[0].value().attr("href"),
        Some("/connectors/acme-orders/")
    );
    assert_eq!(notice[0].text().collect::<String>(), "Orders & Stock");
    assert!(text_of(&page, ".retired").contains("Replaced by Orders & Stock"));
    assert_eq!(
        select(&page, ".retired .sunset time")[0]
            .value()
            .attr("datetime"),
        Some("2027-06-30")
    );
    assert!(text_of(&page, ".retired .sunset").contains("Support ends 2027-06-30"));
    // Its card, in the catalogue's list of deprecated connectors.
    let catalogue = html(&out, "connectors/index.html");
    let card = select(&catalogue, ".card[data-slug='old-sync'] .replaced a");
    assert_eq!(
        card[0].value().attr("href"),
        Some("/connectors/acme-orders/")
    );
    assert!(text_of(&catalogue, ".card[data-slug='old-sync'] .replaced").contains("Support ends"));
    // The replacement itself says nothing of the kind.
    let live = html(&out, "connectors/acme-orders/index.html");
    assert!(select(&live, ".retired").is_empty());
    let json = catalogue_json(&out);
    let old = connector(&json, "old-sync");
    assert_eq!(
        old["replaced_by"],
        serde_json::json!({"slug": "acme-orders", "name": "Orders & Stock", "url": "/connectors/acme-orders/"})
    );
    assert_eq!(old["sunset"], "2027-06-30");
    assert_eq!(connector(&json, "acme-orders")["replaced_by"], Value::Null);
}

#[test]
fn a_site_under_a_sub_path_links_replacements_under_it() {
    let (_dir, out) = build(
        &fixture("valid"),
        &["--base-url", "https://example.com/market/"],
    );
    let page = html(&out, "connectors/old-sync/index.html");
    assert_eq!(
        select(&page, ".retired .replaced a")[0]
            .value()
            .attr("href"),
        Some("/market/connectors/acme-orders/")
    );
}

/// A folder checked on its own (`check FOLDER`, with the built-in settings) names a
/// replacement and badges that are not there to look up: that is no error of the folder's.
/// With its site's settings (`--site`), its badges are checked.
#[test]
fn a_lone_folder_checks_without_its_replacement_or_the_sites_badges() {
    let dir = tempfile::tempdir().unwrap();
    for slug in ["old-sync", "acme-orders"] {
        let folder = dir.path().join(slug);
        crate::build::copy_tree(
            &fixture(&format!("valid/content/connectors/{slug}")),
            &folder,
        );
        let output = marketgen()
            .args(["check", "--color", "never"])
            .arg(&folder)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            !stdout.contains("replaced_by") && !stdout.contains("badge"),
            "{stdout}"
        );
        assert_eq!(output.status.code(), Some(0), "{stdout}");
    }
    let record = dir.path().join("acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replace("badges: [certified]", "badges: [certifed]"),
    )
    .unwrap();
    let output = marketgen()
        .args(["check", "--color", "never", "--site"])
        .arg(fixture("valid"))
        .arg(dir.path().join("acme-orders"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("error[unknown-badge]"), "{stdout}");
}

/// Replacements are followed: a chain through a deprecated connector to a live one is fine,
/// and the page links to the next step.
#[test]
fn a_chain_of_replacements_through_a_deprecated_connector_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    crate::build::copy_tree(&fixture("valid"), dir.path());
    let connectors = dir.path().join("content/connectors");
    crate::build::copy_tree(
        &connectors.join("old-sync"),
        &connectors.join("oldest-sync"),
    );
    let record = connectors.join("oldest-sync/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text
        .replace(
            "name: \"Old \\\"Sync\\\" <Legacy> & Co's\"",
            "name: Oldest Sync",
        )
        .replace("replaced_by: acme-orders", "replaced_by: old-sync");
    assert!(text.contains("name: Oldest Sync"), "{text}");
    std::fs::write(&record, text).unwrap();
    let (report, code) = crate::support::check_output(dir.path(), &["--strict"]);
    assert_eq!((report.as_str(), code), ("no problems found\n", 0));
    let (_out_dir, out) = build(dir.path(), &[]);
    let page = html(&out, "connectors/oldest-sync/index.html");
    assert_eq!(
        select(&page, ".retired .replaced a")[0]
            .value()
            .attr("href"),
        Some("/connectors/old-sync/")
    );
}

/// Issue 15, point 5: every listed connector has `badge.svg` for its developer's README, and
/// its page shows the Markdown that embeds it, with the site's address.
#[test]
fn each_listed_connector_has_a_badge_to_embed_and_its_page_shows_the_markdown() {
    let (_dir, out) = build(
        &fixture("valid"),
        &["--base-url", "https://example.com/market/"],
    );
    for slug in ["acme-orders", "old-sync"] {
        let svg =
            std::fs::read_to_string(out.join(format!("connectors/{slug}/badge.svg"))).unwrap();
        assert!(svg.contains("Listed on Test Marketplace"), "{svg}");
    }
    let svg = std::fs::read_to_string(out.join("connectors/acme-orders/badge.svg")).unwrap();
    assert!(
        svg.contains("aria-label=\"Listed on Test Marketplace · v2.3.0\""),
        "{svg}"
    );
    // Records that are not listed get none.
    assert!(!out.join("connectors/reviewing/badge.svg").exists());
    let page = html(&out, "connectors/acme-orders/index.html");
    let image = &select(&page, ".embed img")[0];
    assert_eq!(
        image.value().attr("src"),
        Some("/market/connectors/acme-orders/badge.svg")
    );
    assert_eq!(
        image.value().attr("alt"),
        Some("Listed on Test Marketplace · v2.3.0")
    );
    let code = select(&page, ".embed pre code");
    assert_eq!(code.len(), 1);
    assert_eq!(
        code[0].text().collect::<String>(),
        "[![Listed on Test Marketplace · v2.3.0](https://example.com/market/connectors/acme-orders/badge.svg)](https://example.com/market/connectors/acme-orders/)"
    );
    // The block is labelled by the sentence above it.
    let region = &select(&page, ".embed [role=region]")[0];
    let label = region.value().attr("aria-labelledby").unwrap();
    assert!(text_of(&page, &format!("#{label}")).contains("README"));
}

/// The badge's text comes from site.yaml and content: a title with markup and Markdown's
/// own characters stays text in the SVG and in the Markdown.
#[test]
fn a_title_with_markup_stays_text_in_the_badge_and_its_markdown() {
    let dir = tempfile::tempdir().unwrap();
    crate::build::copy_tree(&fixture("valid"), dir.path());
    let site = dir.path().join("site.yaml");
    let yaml = std::fs::read_to_string(&site).unwrap().replace(
        "title: Test Marketplace",
        "title: \"<script>alert(1)</script> [Best] & Co's Marketplace of every connector\"",
    );
    std::fs::write(&site, yaml).unwrap();
    let (_out_dir, out) = build(dir.path(), &[]);
    let svg = std::fs::read_to_string(out.join("connectors/acme-orders/badge.svg")).unwrap();
    assert!(!svg.contains("<script"), "{svg}");
    assert!(
        svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; [Best] &amp; Co&#39;s"),
        "{svg}"
    );
    assert!(svg.contains("…"), "a long title is cut: {svg}");
    let page = html(&out, "connectors/acme-orders/index.html");
    let markdown = text_of(&page, ".embed pre code");
    assert!(
        markdown.starts_with("[![Listed on <script>alert(1)</script> \\[Best\\] & Co's"),
        "{markdown}"
    );
    assert!(select(&page, ".embed script").is_empty());
}

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
    let (_dir, out) = build(&fixture("valid"), &[]);
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
    crate::build::copy_tree(&fixture("valid"), site.path());
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

/// Issue 23, item 5: changelog notes are Markdown as their authors write them (code, links to
/// pull requests and people), and docs that keep their own changelog are not followed by a
/// second one.
#[test]
fn changelog_notes_are_markdown_and_the_docs_own_changelog_is_the_only_one() {
    let dir = tempfile::tempdir().unwrap();
    crate::build::copy_tree(&fixture("valid"), dir.path());
    let folder = dir.path().join("content/connectors/acme-orders");
    let record = std::fs::read_to_string(folder.join("connector.yaml")).unwrap();
    let record = record.replace(
        "notes: Added stock levels.",
        "notes: 'Added the `7d_view` stream, by [@ada](https://github.com/ada) <script>x</script>'",
    );
    assert!(record.contains("7d_view"));
    std::fs::write(folder.join("connector.yaml"), &record).unwrap();
    let (dir_out, out) = crate::support::build(dir.path(), &[]);
    let page = html(&out, "connectors/acme-orders/index.html");
    let notes = select(&page, ".changelog li p");
    let first = notes[0].inner_html();
    assert!(
        first.starts_with("Added the <code>7d_view</code> stream, by <a href=\"https://github.com/ada\" rel=\"noopener noreferrer nofollow ugc\">@ada</a> &lt;script&gt;"),
        "{first}"
    );
    assert!(select(&page, ".changelog script").is_empty());
    assert_eq!(select(&page, "#changelog-title").len(), 1);
    drop(dir_out);

    let overview = folder.join("docs/index.md");
    let docs = std::fs::read_to_string(&overview).unwrap();
    std::fs::write(
        &overview,
        format!(
            "{docs}\n## Changelog\n\n| Version | Notes |\n|---|---|\n| 2.3.0 | Stock levels |\n"
        ),
    )
    .unwrap();
    let (_dir_out, out) = crate::support::build(dir.path(), &[]);
    let page = html(&out, "connectors/acme-orders/index.html");
    assert!(select(&page, "#changelog-title").is_empty());
    let headings: Vec<String> = select(&page, "main h2")
        .iter()
        .map(|h| h.text().collect::<String>())
        .filter(|text| text.to_ascii_lowercase().contains("changelog"))
        .collect();
    assert_eq!(headings.len(), 1, "{headings:?}");
}
