//! Issue 15: a listing's life on the public site. Badges the team defines (on cards, pages
//! and catalogue.json), replacements of deprecated connectors, and the badge developers
//! embed, on the valid fixture built by the real binary and read with `scraper`.

use serde_json::Value;

use crate::support::{build, fixture, html, select, text_of};

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
