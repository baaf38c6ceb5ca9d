//! What the public site gives people browsing it, checked on the built files: the search
//! data, the compare page and its data, and the catalogue's weight. The same features in a
//! real browser are in `browser.rs`.

use std::path::Path;

use serde_json::Value;

use crate::build::copy_tree;
use crate::support::{build, data_block, files, fixture, html, repo, select};

fn json(out: &Path, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join(file)).unwrap()).unwrap()
}

#[test]
fn the_search_index_lists_every_published_connector_with_its_facets() {
    let (_dir, out) = build(&fixture("valid"), &["--preview"]);
    let index = json(&out, "search-index.json");
    let fields: Vec<&str> = index["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let at = |name: &str| fields.iter().position(|f| *f == name).unwrap();
    let connectors = index["connectors"].as_array().unwrap();
    // Listed records only, in the catalogue's order; previews never.
    let slugs: Vec<&str> = connectors
        .iter()
        .map(|c| c[at("slug")].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["acme-orders", "old-sync"]);
    let acme = &connectors[0];
    assert_eq!(acme.as_array().unwrap().len(), fields.len());
    assert_eq!(acme[at("name")], "Orders & Stock");
    let category = acme[at("category")].as_u64().unwrap() as usize;
    assert_eq!(index["categories"][category][0], "ecommerce");
    assert_eq!(acme[at("deprecated")], 0);
    assert_eq!(connectors[1][at("deprecated")], 1);
    assert_eq!(
        index["auth"][acme[at("auth")].as_str().unwrap()],
        "OAuth 2.0"
    );

    // The docs words come in a second file, in the same order.
    let docs = json(&out, "search-docs.json");
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), connectors.len());
    let overview = std::fs::read_to_string(fixture(
        "valid/content/connectors/acme-orders/docs/index.md",
    ))
    .unwrap();
    let word = overview
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() >= 6)
        .unwrap()
        .to_lowercase();
    let words: Vec<&str> = docs[0].as_str().unwrap().split(' ').collect();
    assert!(words.contains(&word.as_str()), "{word} in {words:?}");
}

#[test]
fn connector_pages_carry_what_the_compare_page_shows() {
    let (_dir, out) = build(&repo(), &[]);
    let page = html(&out, "connectors/shopify/index.html");
    let data = data_block(&page, "script#compare-data[type='application/json']");
    assert_eq!(data["name"], "Shopify");
    assert_eq!(data["url"], "/connectors/shopify/");
    let rows: Vec<(String, Value)> = data["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[1].clone()))
        .collect();
    let row = |label: &str| rows.iter().find(|(l, _)| l == label).unwrap().1.clone();
    assert_eq!(row("Authentication"), serde_json::json!(["OAuth 2.0"]));
    assert_eq!(row("Response time"), serde_json::json!(["1 business day"]));
    assert_eq!(row("GDPR compliant"), serde_json::json!(["Yes"]));
    assert!(row("Endpoints").as_array().unwrap().len() >= 2);

    let compare = html(&out, "compare/index.html");
    assert_eq!(select(&compare, "#compare-table").len(), 1);
    assert!(!select(&compare, "noscript").is_empty());
    // A page whose content depends on its query is nothing for a sitemap.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/compare/"));
}

/// The sample marketplace with copies of Shopify up to `total` connectors, built.
fn sample_with(total: usize) -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let site = tempfile::tempdir().unwrap();
    for part in ["site.yaml", "content"] {
        let from = repo().join(part);
        match from.is_dir() {
            true => copy_tree(&from, &site.path().join(part)),
            false => {
                std::fs::copy(&from, site.path().join(part)).unwrap();
            }
        }
    }
    let connectors = site.path().join("content/connectors");
    let listed = std::fs::read_dir(&connectors).unwrap().count();
    let shopify = connectors.join("shopify");
    let record = std::fs::read_to_string(shopify.join("connector.yaml")).unwrap();
    for i in listed..total {
        let copy = connectors.join(format!("shopify-{i}"));
        copy_tree(&shopify, &copy);
        let renamed = record.replacen("name: Shopify\n", &format!("name: Shopify {i}\n"), 1);
        std::fs::write(copy.join("connector.yaml"), renamed).unwrap();
    }
    let (dir, out) = build(site.path(), &[]);
    (site, dir, out)
}

#[test]
fn every_connector_is_a_few_links_away_without_javascript() {
    let (_site, _dir, out) = sample_with(120);
    let catalogue = json(&out, "catalogue.json");
    let mut listed: Vec<String> = catalogue["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert!(listed.len() > 2 * 48, "{}", listed.len());

    // Following "next" from the catalogue, as a visitor without JavaScript would.
    let mut seen = Vec::new();
    let mut path = "connectors/".to_string();
    let mut number = 1;
    loop {
        let page = html(&out, &format!("{path}index.html"));
        let cards = select(&page, "#results .card, #deprecated .card");
        assert!(cards.len() <= 48, "{path}: {} cards", cards.len());
        seen.extend(
            cards
                .iter()
                .map(|c| c.value().attr("data-slug").unwrap().to_string()),
        );
        let current = select(&page, "#pager a[aria-current=page]");
        assert_eq!(current.len(), 1, "{path}");
        assert_eq!(
            current[0].text().collect::<String>(),
            format!("Page {number}")
        );
        if number > 1 {
            let title = select(&page, "title")[0].text().collect::<String>();
            assert!(title.contains(&format!("page {number} of 3")), "{title}");
            let previous = select(&page, "#pager a[rel=prev]");
            assert_eq!(previous.len(), 1, "{path}");
        }
        match select(&page, "#pager a[rel=next]").first() {
            Some(next) => {
                path = next
                    .value()
                    .attr("href")
                    .unwrap()
                    .trim_start_matches('/')
                    .to_string();
                number += 1;
            }
            None => break,
        }
    }
    assert_eq!(number, 3);
    assert_eq!(path, "connectors/page/3/");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, listed, "each connector on exactly one page");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/connectors/page/3/"));
}

#[test]
fn the_catalogue_first_view_weighs_the_same_at_a_hundred_connectors_and_at_five_hundred() {
    let weigh = |total| {
        let (_site, _dir, out) = sample_with(total);
        let page = html(&out, "connectors/index.html");
        // What a browser fetches to show the page and search it, logos aside; the cards'
        // text and the docs words come only when the visitor turns to the search.
        let mut fetched = vec![
            "connectors/index.html".to_string(),
            "search-index.json".into(),
        ];
        for element in select(&page, "link[rel=stylesheet], link[rel=icon], script[src]") {
            let url = element.value().attr("href").or(element.value().attr("src"));
            fetched.push(url.unwrap().trim_start_matches('/').to_string());
        }
        assert!(files(&out).contains(&"search-docs.json".to_string()));
        assert!(files(&out).contains(&"search-cards.json".to_string()));
        let sizes: Vec<(String, u64)> = fetched
            .iter()
            .map(|f| (f.clone(), std::fs::metadata(out.join(f)).unwrap().len()))
            .collect();
        eprintln!("the catalogue of {total} connectors: {sizes:?}");
        let page = sizes[0].1;
        let index = sizes[1].1;
        let total: u64 = sizes.iter().map(|(_, size)| size).sum();
        (page, index, total)
    };
    let (page_100, index_100, total_100) = weigh(100);
    let (page_500, index_500, _) = weigh(500);
    assert!(total_100 < 150 * 1024, "{total_100} bytes");
    // The page holds one page of results whatever the catalogue's size; only the index
    // grows, by a name, a slug and a few facet values a connector.
    assert!(
        page_500.abs_diff(page_100) < 2 * 1024,
        "{page_100} → {page_500}"
    );
    let per_connector = (index_500 - index_100) / 400;
    assert!(per_connector < 200, "{per_connector} bytes a connector");
}
