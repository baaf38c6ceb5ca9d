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
    // Listed records only, in the catalogue's order (by name: "Old “Sync”…" before "Orders
    // & Stock"); previews never.
    let slugs: Vec<&str> = connectors
        .iter()
        .map(|c| c[at("slug")].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["old-sync", "acme-orders"]);
    let acme = &connectors[1];
    assert_eq!(acme.as_array().unwrap().len(), fields.len());
    assert_eq!(acme[at("name")], "Orders & Stock");
    let category = acme[at("category")].as_u64().unwrap() as usize;
    assert_eq!(index["categories"][category][0], "ecommerce");
    assert_eq!(acme[at("deprecated")], 0);
    assert_eq!(connectors[0][at("deprecated")], 1);
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
    let words: Vec<&str> = docs[1].as_str().unwrap().split(' ').collect();
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

/// Issue 23: listings labelled by name are in name order, by the site language's collation,
/// not by slug and not by bytes; the search data (the script's "Name" sort) is in the same
/// order; and the catalogue's counts say the same thing as its pager. The sample's slugs are
/// its names, which hid slug order: here they disagree on purpose.
#[test]
fn listings_go_by_name_not_slug_and_their_counts_agree() {
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
    let shopify = connectors.join("shopify");
    let record = std::fs::read_to_string(shopify.join("connector.yaml")).unwrap();
    // Slug order, byte order and name order all differ: "Zulu" < "apple" < "eBay" <
    // "Étoile" by bytes; the slugs run the other way round; by name, "Étoile" is with the Es.
    let named = [
        ("aa-zulu", "Zulu Commerce", "approved"),
        ("ab-etoile", "Étoile Boutique", "approved"),
        ("ac-ebay", "eBay Orders", "approved"),
        ("ad-apple", "apple Store Sync", "approved"),
        ("ae-emma", "Emma Retail", "deprecated"),
    ];
    let mut copies: Vec<(String, String, &str)> = named
        .iter()
        .map(|(slug, name, status)| (slug.to_string(), name.to_string(), *status))
        .collect();
    // Enough connectors for three pages of results.
    copies.extend((0..100).map(|i| {
        (
            format!("b-{i:03}"),
            format!("Fulfil {}", 99 - i),
            "approved",
        )
    }));
    for (slug, name, status) in &copies {
        let copy = connectors.join(slug);
        copy_tree(&shopify, &copy);
        let renamed = record
            .replacen("name: Shopify\n", &format!("name: {name}\n"), 1)
            .replacen("status: approved\n", &format!("status: {status}\n"), 1);
        std::fs::write(copy.join("connector.yaml"), renamed).unwrap();
    }
    let (_dir, out) = build(site.path(), &[]);

    // A listing's cards, page after page as "next" leads: (listed, deprecated) names.
    let walk = |first: &str| {
        let (mut listed, mut deprecated) = (Vec::new(), Vec::new());
        let mut path = first.to_string();
        loop {
            let page = html(&out, &format!("{path}index.html"));
            let names = |css: &str| -> Vec<String> {
                select(&page, css)
                    .iter()
                    .map(|a| a.text().collect::<String>())
                    .collect()
            };
            let retired = names(".deprecated h3 a");
            listed.extend(
                names("ul.cards h3 a")
                    .into_iter()
                    .filter(|n| !retired.contains(n)),
            );
            deprecated.extend(retired);
            match select(&page, "#pager a[rel=next]").first() {
                Some(next) => path = next.value().attr("href").unwrap()[1..].to_string(),
                None => break (listed, deprecated),
            }
        }
    };
    let position = |names: &[String], name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("{name} not listed"))
    };
    for listing in ["connectors/", "categories/ecommerce/"] {
        let (listed, deprecated) = walk(listing);
        let at: Vec<usize> = [
            "apple Store Sync",
            "eBay Orders",
            "Étoile Boutique",
            "Zulu Commerce",
        ]
        .iter()
        .map(|name| position(&listed, name))
        .collect();
        assert!(at.is_sorted(), "{listing}: {at:?} in {listed:?}");
        // "Fulfil 10" after "Fulfil 1" and before "Fulfil 2": the names decide, not the slugs
        // (which run the other way).
        let fulfil: Vec<usize> = ["Fulfil 1", "Fulfil 10", "Fulfil 2", "Fulfil 99"]
            .iter()
            .map(|name| position(&listed, name))
            .collect();
        assert!(fulfil.is_sorted(), "{listing}: {fulfil:?}");
        let expected: &[&str] = match listing {
            "connectors/" => &["Emma Retail", "Zendesk Classic"],
            _ => &["Emma Retail"],
        };
        assert_eq!(
            deprecated, expected,
            "{listing}: deprecated ones last, by name"
        );
        assert!(!listed.contains(&"Emma Retail".to_string()));
    }

    // The search data lists the connectors in the catalogue's order: the script's name sort.
    let (listed, deprecated) = walk("connectors/");
    let index = json(&out, "search-index.json");
    let fields = index["fields"].as_array().unwrap();
    let at = |field: &str| fields.iter().position(|f| f == field).unwrap();
    let (name, retired) = (at("name"), at("deprecated"));
    let indexed: Vec<&str> = index["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c[retired] == 0)
        .map(|c| c[name].as_str().unwrap())
        .collect();
    assert_eq!(indexed, listed);

    // One set of numbers: the header's ready-to-use and deprecated counts add up to the
    // pager's total, and the pager says how many of those are deprecated.
    let page = html(&out, "connectors/index.html");
    let lead = select(&page, "#catalogue-size")[0]
        .text()
        .collect::<String>();
    let total = listed.len() + deprecated.len();
    assert_eq!(
        lead,
        format!(
            "{} connectors ready to use, and {} deprecated ones listed after them.",
            listed.len(),
            deprecated.len()
        )
    );
    let pager = select(&page, ".pager-status")[0].text().collect::<String>();
    assert_eq!(
        pager,
        format!(
            "Page 1 of 3: connectors 1–48 of {total}: {} ready to use, then {} deprecated",
            listed.len(),
            deprecated.len()
        )
    );
}

/// A copy of the valid fixture with `install_url` set to `value` in its site.yaml.
fn fixture_installing_at(value: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}install_url: {value}\n"),
    )
    .unwrap();
    site
}

/// Issue 23 (item 7): a listed connector's page leads with what to do next, installing it at
/// the site's address with its slug filled in and reading its docs, and its card links to
/// the same address; a deprecated connector is offered neither.
#[test]
fn a_listed_connector_leads_with_install_and_docs_and_its_card_links_to_install() {
    let site =
        fixture_installing_at("https://app.example.com/marketplace/{slug}/install?from=market");
    let (_dir, out) = build(site.path(), &[]);
    let page = html(&out, "connectors/acme-orders/index.html");
    let actions: Vec<(String, String)> = select(&page, "header .connector-actions a")
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let name = select(&page, "h1")[0].text().collect::<String>();
    let docs = select(&page, ".sidebar a, nav a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .find(|href| href.starts_with("/connectors/acme-orders/docs/"))
        .expect("the fixture's connector has docs pages")
        .to_string();
    assert_eq!(
        actions,
        [
            (
                format!("Install {}", name.trim()),
                "https://app.example.com/marketplace/acme-orders/install?from=market".to_string()
            ),
            ("Read the docs".to_string(), docs)
        ]
    );
    // Before anything else the page says: the header holds it, under the summary.
    let header = select(&page, "header.connector-header")[0].html();
    assert!(
        header.find("class=\"lead\"").unwrap()
            < header.find("class=\"connector-actions\"").unwrap()
    );

    let catalogue = html(&out, "connectors/index.html");
    let install = |slug: &str| -> Vec<String> {
        select(&catalogue, &format!(".card[data-slug={slug}] .install a"))
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(
        install("acme-orders"),
        ["https://app.example.com/marketplace/acme-orders/install?from=market"]
    );

    // Deprecated: no call to install it, on its page or its card.
    let retired = html(&out, "connectors/old-sync/index.html");
    assert!(select(&retired, ".connector-actions").is_empty());
    assert!(install("old-sync").is_empty());
    assert!(!select(&catalogue, ".card[data-slug=old-sync]").is_empty());

    // The script builds its cards from the same template.
    let index = json(&out, "search-index.json");
    assert_eq!(
        index["install"],
        "https://app.example.com/marketplace/{slug}/install?from=market"
    );
}

/// Without `install_url` a page leads with its docs alone, and cards have no install link.
#[test]
fn without_an_install_url_a_page_leads_with_its_docs() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let page = html(&out, "connectors/acme-orders/index.html");
    let actions: Vec<String> = select(&page, ".connector-actions a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(actions, ["Read the docs"]);
    let catalogue = html(&out, "connectors/index.html");
    assert!(select(&catalogue, ".card .install").is_empty());
    assert_eq!(json(&out, "search-index.json")["install"], Value::Null);
}

/// `install_url` is checked like every other address: a template without `{slug}`, or one
/// that is no https address once the slug is in it, is an error at its line.
#[test]
fn a_bad_install_url_is_reported_at_its_line() {
    for (value, expected) in [
        (
            "https://app.example.com/install",
            "`install_url` has no `{slug}`",
        ),
        (
            "http://app.example.com/{slug}",
            "`install_url` is not an acceptable URL once `{slug}` is filled in: must use https",
        ),
        (
            "javascript:alert({slug})",
            "`install_url` is not an acceptable URL once `{slug}` is filled in",
        ),
    ] {
        let site = fixture_installing_at(value);
        let (report, code) = crate::support::check_output(site.path(), &[]);
        assert_eq!(code, 1, "{value}: {report}");
        assert!(
            report.contains(expected) && report.contains("error[invalid-url]"),
            "{value}: {report}"
        );
        let lines = std::fs::read_to_string(site.path().join("site.yaml"))
            .unwrap()
            .lines()
            .count();
        assert!(
            report.contains(&format!("site.yaml:{lines}:")),
            "{value}: {report}"
        );
    }
}
