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
