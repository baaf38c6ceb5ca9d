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

#[test]
fn the_catalogue_of_a_hundred_connectors_weighs_under_150_kb() {
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
    for i in listed..100 {
        let copy = connectors.join(format!("shopify-{i}"));
        copy_tree(&shopify, &copy);
        let renamed = record.replacen("name: Shopify\n", &format!("name: Shopify {i}\n"), 1);
        std::fs::write(copy.join("connector.yaml"), renamed).unwrap();
    }
    let (_dir, out) = build(site.path(), &[]);
    let page = html(&out, "connectors/index.html");
    assert!(select(&page, "#results .card").len() >= 95);
    // What a browser fetches to show the page and search it, logos aside; the docs words
    // come only with the first query.
    let mut fetched = vec![
        "connectors/index.html".to_string(),
        "search-index.json".into(),
    ];
    for element in select(&page, "link[rel=stylesheet], link[rel=icon], script[src]") {
        let url = element.value().attr("href").or(element.value().attr("src"));
        fetched.push(url.unwrap().trim_start_matches('/').to_string());
    }
    let sizes: Vec<(String, u64)> = fetched
        .iter()
        .map(|f| (f.clone(), std::fs::metadata(out.join(f)).unwrap().len()))
        .collect();
    let total: u64 = sizes.iter().map(|(_, size)| size).sum();
    assert!(total < 150 * 1024, "{total} bytes: {sizes:?}");
    eprintln!("the catalogue of 100 connectors: {total} bytes: {sizes:?}");
    assert!(files(&out).contains(&"search-docs.json".to_string()));
}
