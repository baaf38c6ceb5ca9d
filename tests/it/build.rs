//! `marketgen build`: the site it writes, parsed back with `scraper` and checked against the
//! content it came from.

use std::collections::BTreeSet;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{
    RUNNING_SCRIPT, build, build_into, files, fixture, html, marketgen, references, repo, select,
    text_of,
};

/// Every `connector.yaml` under a site, parsed without marketgen's help.
fn records(root: &Path) -> Vec<(String, Value)> {
    let dir = root.join("content/connectors");
    let mut records: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("connector.yaml").is_file())
        .map(|p| {
            let text = std::fs::read_to_string(p.join("connector.yaml")).unwrap();
            let value: Value = serde_saphyr::from_str(&text).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect();
    records.sort_by(|a, b| a.0.cmp(&b.0));
    records
}

fn is_listed(record: &Value) -> bool {
    matches!(record["status"].as_str(), Some("approved" | "deprecated"))
}

fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn the_sample_site_has_every_page_type() {
    let (_dir, out) = build(&repo(), &[]);
    let written = files(&out);
    for page in [
        "index.html",
        "connectors/index.html",
        "connectors/shopify/index.html",
        "connectors/shopify/docs/setup/index.html",
        "categories/ecommerce/index.html",
        "tags/orders/index.html",
        "guide/index.html",
        "guide/requirements/index.html",
        "guide/process/index.html",
        "guide/post-approval/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "catalogue.json",
        "style.css",
        "syntax.css",
        "connectors/shopify/logo.svg",
    ] {
        assert!(
            written.contains(&page.to_string()),
            "{page} missing from {written:#?}"
        );
    }
}

#[test]
fn build_prints_a_one_line_summary() {
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .args(["build", "--root"])
        .arg(fixture("valid"))
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"^built \d+ pages for 2 connectors in \d+\.\d\ds → .*out\n$")
                .unwrap(),
        );
}

#[test]
fn each_listed_connector_page_holds_its_public_fields() {
    for root in [repo(), fixture("valid")] {
        let (_dir, out) = build(&root, &[]);
        let catalogue = html(&out, "connectors/index.html");
        for (slug, r) in records(&root).iter().filter(|(_, r)| is_listed(r)) {
            let page = html(&out, &format!("connectors/{slug}/index.html"));
            let name = str_of(&r["name"]);
            assert!(text_of(&page, "h1").contains(&name), "{slug}: h1");
            let body = text_of(&page, "main");
            for field in [&r["summary"], &r["version"], &r["developer"]["name"]] {
                assert!(
                    body.contains(&str_of(field)),
                    "{slug}: {field} not on the page"
                );
            }
            // The authentication type, as people name it.
            let auth = match str_of(&r["authentication"]["type"]).as_str() {
                "oauth2" => "OAuth 2.0",
                "api_key" => "API key",
                "bearer" => "Bearer token",
                "basic" => "Basic",
                "custom" => "Custom",
                other => panic!("{slug}: add a label for {other}"),
            };
            assert!(
                text_of(&page, ".glance").contains(auth),
                "{slug}: {auth} not at a glance"
            );
            for endpoint in r["endpoints"].as_array().unwrap() {
                let table = text_of(&page, "table.endpoints");
                for key in ["name", "method", "path", "direction"] {
                    assert!(
                        table.contains(&str_of(&endpoint[key])),
                        "{slug}: endpoint {key}"
                    );
                }
            }
            if let Some(email) = r["support"]["email"].as_str() {
                let mailto = format!("mailto:{email}");
                assert!(references(&page).contains(&mailto), "{slug}: support email");
            }
            for tag in r["tags"].as_array().into_iter().flatten() {
                assert!(
                    references(&page)
                        .iter()
                        .any(|h| h.ends_with(&format!("/tags/{}/", str_of(tag)))),
                    "{slug}: tag"
                );
            }
            for shot in r["screenshots"].as_array().into_iter().flatten() {
                let alt = str_of(&shot["caption"]);
                let found = select(&page, ".gallery img")
                    .iter()
                    .any(|img| img.value().attr("alt") == Some(alt.as_str()));
                assert!(found, "{slug}: screenshot {alt}");
            }
            for change in r["changelog"].as_array().into_iter().flatten() {
                assert!(
                    text_of(&page, ".changelog").contains(&str_of(&change["version"])),
                    "{slug}: changelog"
                );
            }
            let card_links = references(&catalogue);
            assert!(
                card_links
                    .iter()
                    .any(|h| h.ends_with(&format!("/connectors/{slug}/"))),
                "{slug}: no card"
            );
        }
    }
}

#[test]
fn records_that_are_not_listed_are_absent_everywhere() {
    let root = fixture("valid");
    let (_dir, out) = build(&root, &[]);
    let written = files(&out);
    for slug in ["future-crm", "reviewing"] {
        assert!(
            !written.iter().any(|f| f.contains(slug)),
            "{slug} was written"
        );
    }
    for file in &written {
        let bytes = std::fs::read(out.join(file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "SECRET-UNLISTED",
            "Future CRM",
            "Reviewing Connector",
            "future-crm",
            "reviewing/",
        ] {
            assert!(!text.contains(secret), "{secret} leaked into {file}");
        }
    }
    let catalogue: Value =
        serde_json::from_slice(&std::fs::read(out.join("catalogue.json")).unwrap()).unwrap();
    let slugs: BTreeSet<&str> = catalogue["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, BTreeSet::from(["acme-orders", "old-sync"]));
}

/// The values of every private field of every record of a site.
pub fn private_values(root: &Path) -> Vec<String> {
    records(root)
        .iter()
        .flat_map(|(_, r)| [&r["developer"]["email"], &r["developer"]["company_profile"]])
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[test]
fn no_private_value_reaches_any_output_file() {
    for root in [repo(), fixture("valid")] {
        let private = private_values(&root);
        assert!(private.len() >= 4, "the canaries went missing");
        let (_dir, out) = build(&root, &[]);
        for file in files(&out) {
            let bytes = std::fs::read(out.join(&file)).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for value in &private {
                assert!(
                    !text.contains(value.as_str()),
                    "private `{value}` in {file}"
                );
            }
        }
    }
}

/// Every `href` and `src` that stays on the site names a file that was written, and every
/// fragment names an element of its target page.
fn assert_internal_references_resolve(out: &Path, base_path: &str) {
    let written: BTreeSet<String> = files(out).into_iter().collect();
    let mut checked = 0;
    for file in written.iter().filter(|f| f.ends_with(".html")) {
        let page = html(out, file);
        for reference in references(&page) {
            if reference.starts_with("https://")
                || reference.starts_with("http://")
                || reference.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = reference
                .split_once('#')
                .map_or((reference.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                file.clone()
            } else {
                let inside = path.strip_prefix(base_path).unwrap_or_else(|| {
                    panic!("{file}: `{reference}` does not start with {base_path}")
                });
                if inside.is_empty() || inside.ends_with('/') {
                    format!("{inside}index.html")
                } else {
                    inside.to_string()
                }
            };
            assert!(
                written.contains(&target),
                "{file}: `{reference}` names a missing file {target}"
            );
            if let Some(id) = fragment {
                let target_page = html(out, &target);
                assert!(
                    !select(&target_page, &format!("[id=\"{id}\"]")).is_empty(),
                    "{file}: `{reference}`: no element with id {id}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} references checked");
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let (_dir, out) = build(&repo(), &[]);
    assert_internal_references_resolve(&out, "/");
    let (_dir, out) = build(&fixture("valid"), &[]);
    assert_internal_references_resolve(&out, "/");
}

#[test]
fn a_base_url_with_a_sub_path_yields_a_site_that_resolves_under_it() {
    for root in [repo(), fixture("valid")] {
        let (_dir, out) = build(&root, &["--base-url", "https://example.com/market/"]);
        assert_internal_references_resolve(&out, "/market/");
        let home = html(&out, "index.html");
        let canonical = select(&home, "link[rel=canonical]")[0]
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        assert_eq!(canonical, "https://example.com/market/");
        let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
        assert!(
            sitemap.contains("<loc>https://example.com/market/connectors/</loc>"),
            "{sitemap}"
        );
        assert!(
            !sitemap.contains("<loc>https://marketplace.example.com"),
            "{sitemap}"
        );
    }
}

#[test]
fn external_links_carry_rel_noopener_noreferrer_nofollow_ugc() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let mut seen = 0;
    for file in files(&out).iter().filter(|f| f.ends_with(".html")) {
        for a in select(&html(&out, file), "a[href^='http']") {
            let rel: BTreeSet<&str> = a
                .value()
                .attr("rel")
                .unwrap_or("")
                .split_whitespace()
                .collect();
            assert_eq!(
                rel,
                BTreeSet::from(["noopener", "noreferrer", "nofollow", "ugc"]),
                "{file}: {:?}",
                a.value()
            );
            seen += 1;
        }
    }
    assert!(seen >= 5, "only {seen} external links");
}

#[test]
fn docs_pages_have_anchors_a_table_of_contents_and_classed_highlighting() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let setup = html(&out, "connectors/acme-orders/docs/setup/index.html");
    assert_eq!(select(&setup, "h2#install").len(), 1);
    assert_eq!(select(&setup, "h2#authorise").len(), 1, "custom heading id");
    let toc: Vec<&str> = select(&setup, ".toc a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(toc, ["#install", "#authorise"]);
    assert!(
        !select(&setup, "pre.code span[class^='hl-']").is_empty(),
        "no highlighting classes"
    );
    let image = select(&setup, ".prose img");
    assert_eq!(
        image[0].value().attr("src"),
        Some("/connectors/acme-orders/screenshots/orders.png")
    );
    let overview = html(&out, "connectors/acme-orders/index.html");
    let links = references(&overview);
    assert!(
        links.contains(&"/connectors/acme-orders/docs/setup/#authorise".to_string()),
        "{links:?}"
    );
    let cells: Vec<Option<&str>> = select(&overview, ".overview thead th")
        .iter()
        .map(|th| th.value().attr("class"))
        .collect();
    assert_eq!(
        cells,
        [
            Some("align-left"),
            Some("align-center"),
            Some("align-right")
        ]
    );
}

#[test]
fn no_output_carries_inline_script_or_style() {
    let (_dir, out) = build(&repo(), &[]);
    for file in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let page = html(&out, file);
        let scripts = select(&page, RUNNING_SCRIPT);
        assert!(scripts.is_empty(), "{file}: script element");
        assert!(
            select(&page, "style, [style]").is_empty(),
            "{file}: inline style"
        );
        let csp = select(&page, "head > meta[http-equiv='Content-Security-Policy']");
        assert!(
            csp[0]
                .value()
                .attr("content")
                .unwrap()
                .starts_with("default-src 'self'"),
            "{file}"
        );
    }
}

#[test]
fn raw_html_in_docs_is_published_as_text() {
    let (_dir, out) = build(&fixture("invalid/raw-html-warning"), &[]);
    let page = html(&out, "connectors/acme/index.html");
    assert!(select(&page, RUNNING_SCRIPT).is_empty());
    assert!(text_of(&page, ".overview").contains("<script>alert(1)</script>"));
    // `<b>` is one of the safe elements: shown as itself, without its handler.
    let bold = select(&page, ".overview b");
    assert_eq!(bold.len(), 1);
    assert_eq!(bold[0].value().attrs().count(), 0);
}

#[test]
fn deprecated_connectors_are_published_with_a_badge_outside_the_default_listing() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let page = html(&out, "connectors/old-sync/index.html");
    assert!(text_of(&page, "h1 .badge").contains("Deprecated"));
    let catalogue = html(&out, "connectors/index.html");
    let default: Vec<String> = select(&catalogue, "#results h3")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(default, ["Orders & Stock"]);
    assert!(text_of(&catalogue, "section#deprecated").contains("Old \"Sync\" <Legacy> & Co's"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let (dir, out) = build(&fixture("valid"), &[]);
    let before: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    build_into(&fixture("invalid/missing-summary"), &out)
        .code(1)
        .stderr(predicate::str::contains("the site was not written"));
    let after: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    assert!(before == after, "the previous site changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["public"], "temporary folders left behind");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let (_a, first) = build(&repo(), &[]);
    let (_b, second) = build(&repo(), &[]);
    assert_eq!(files(&first), files(&second));
    for file in files(&first) {
        assert!(
            std::fs::read(first.join(&file)).unwrap() == std::fs::read(second.join(&file)).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn a_rebuild_replaces_the_previous_output_completely() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    std::fs::write(out.join("stale.html"), "old").unwrap();
    build_into(&fixture("valid"), &out).success();
    assert!(!out.join("stale.html").exists());
    assert!(out.join(".marketgen").is_file());
}

#[test]
fn a_folder_marketgen_did_not_write_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("precious.txt"), "keep me").unwrap();
    let run = || build_into(&fixture("valid"), &out);
    run()
        .code(2)
        .stderr(predicate::str::contains("pass --force"));
    assert!(out.join("precious.txt").exists());
    marketgen()
        .args(["build", "--force", "--root"])
        .arg(fixture("valid"))
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("index.html").exists());
}

#[test]
fn the_output_may_not_hold_or_be_the_sources() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    for output in [
        site.path().to_path_buf(),
        site.path().join("content/out"),
        site.path().parent().unwrap().to_path_buf(),
    ] {
        marketgen()
            .args(["build", "--force", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&output)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("refusing to write the site"));
    }
    assert!(site.path().join("site.yaml").is_file());
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the valid fixture with one template of the theme overridden.
fn site_with_template(name: &str, text: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates").join(name), text).unwrap();
    site
}

#[test]
fn templates_in_the_site_override_the_theme() {
    let site = site_with_template(
        "404.html",
        "{% extends \"base.html\" %}{% block main %}<p id=\"custom\">Lost? {{ site.title }}</p>{% endblock main %}",
    );
    let (_dir, out) = build(site.path(), &[]);
    assert_eq!(
        text_of(&html(&out, "404.html"), "#custom"),
        "Lost? Test Marketplace"
    );
}

#[test]
fn a_template_that_names_a_private_field_fails_the_build() {
    let site = site_with_template(
        "connector.html",
        "{% extends \"base.html\" %}{% block main %}{{ connector.developer.email }}{% endblock main %}",
    );
    let out = site.path().join("public");
    marketgen()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("template `connector.html` failed"))
        .stderr(predicate::str::contains("connector.developer.email"));
    assert!(!out.exists(), "a failed build wrote a site");
}

#[test]
fn site_static_files_are_copied_verbatim() {
    let (_dir, out) = build(&repo(), &[]);
    let published = std::fs::read(out.join(".well-known/security.txt")).unwrap();
    assert_eq!(
        published,
        std::fs::read(repo().join("static/.well-known/security.txt")).unwrap()
    );
}

#[test]
fn catalogue_json_holds_the_public_view_of_each_listed_connector() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("catalogue.json")).unwrap()).unwrap();
    let acme = &json["connectors"][0];
    assert_eq!(acme["slug"], "acme-orders");
    assert_eq!(acme["name"], "Orders & Stock");
    assert_eq!(acme["category"]["name"], "E-commerce & Retail");
    assert_eq!(
        acme["developer"],
        serde_json::json!({"name": "Acme Integrations Ltd", "website": "https://acme.test.example"})
    );
    assert_eq!(
        acme["compliance"]["data_residency"],
        serde_json::json!(["EU", "NO"])
    );
    assert_eq!(acme["endpoints"][0]["path"], "/api/orders/{id}");
}

#[test]
fn unchanged_files_keep_their_identity_across_builds() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, out) = build(&fixture("valid"), &[]);
    let before = std::fs::metadata(out.join("connectors/acme-orders/index.html")).unwrap();
    build_into(&fixture("valid"), &out).success();
    let after = std::fs::metadata(out.join("connectors/acme-orders/index.html")).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec()),
        "an unchanged page was written again"
    );
}

#[test]
fn timings_name_each_phase() {
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .args(["build", "--timings", "--root"])
        .arg(fixture("valid"))
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"\nload \d+\.\d{3}s · validate \d+\.\d{3}s · render \d+\.\d{3}s \(writing \d+\.\d{3}s summed over threads\) · swap \d+\.\d{3}s · \d+ pages, \d+ files\n$").unwrap());
}

#[test]
fn build_output_never_carries_the_live_reload_script() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    for file in files(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&file)).unwrap()).into_owned();
        assert!(!text.contains("_marketgen"), "{file}");
    }
}

#[test]
fn a_preview_build_renders_unlisted_records_marked_and_unindexed() {
    let (_dir, out) = build(&fixture("valid"), &["--preview"]);
    for (slug, status) in [("future-crm", "intent"), ("reviewing", "in-review")] {
        let page = html(&out, &format!("connectors/{slug}/index.html"));
        assert_eq!(
            text_of(&page, ".preview-banner"),
            format!("Preview — not listed (status: {status})")
        );
        assert_eq!(
            select(&page, "meta[name=robots]")[0]
                .value()
                .attr("content"),
            Some("noindex")
        );
    }
    let doc = html(&out, "connectors/reviewing/index.html");
    assert!(text_of(&doc, ".overview").contains("SECRET-UNLISTED-DOC"));
    let listed = html(&out, "connectors/acme-orders/index.html");
    assert!(select(&listed, ".preview-banner, meta[name=robots]").is_empty());
    // Previews never reach what lists or indexes the marketplace.
    for file in [
        "sitemap.xml",
        "catalogue.json",
        "index.html",
        "connectors/index.html",
        "categories/crm/index.html",
        "search-index.json",
        "search-docs.json",
        "feed.xml",
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        for secret in ["future-crm", "reviewing", "Future CRM", "SECRET-UNLISTED"] {
            assert!(!text.contains(secret), "{secret} in {file}");
        }
    }
    // And private fields stay private in previews too.
    for file in files(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&file)).unwrap()).into_owned();
        for value in private_values(&fixture("valid")) {
            assert!(!text.contains(&value), "{value} in {file}");
        }
    }
}

#[test]
fn atom_feeds_list_new_and_updated_connectors_and_parse_as_atom() {
    for base in ["https://test.example/", "https://example.com/market/"] {
        let (_dir, out) = build(&fixture("valid"), &["--base-url", base, "--preview"]);
        let bytes = std::fs::read(out.join("feed.xml")).unwrap();
        let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        let entries: Vec<(String, String)> = feed
            .entries
            .iter()
            .map(|e| {
                (
                    e.title.as_ref().unwrap().content.clone(),
                    e.links[0].href.clone(),
                )
            })
            .collect();
        // Listed and not deprecated: never a preview, never a deprecated connector.
        assert_eq!(
            entries,
            [(
                "Orders & Stock".to_string(),
                format!("{base}connectors/acme-orders/")
            )]
        );
        assert_eq!(
            feed.entries[0].updated.unwrap().to_rfc3339(),
            "2026-06-01T00:00:00+00:00"
        );
        assert_eq!(
            feed.entries[0].published.unwrap().to_rfc3339(),
            "2025-03-01T00:00:00+00:00"
        );
        let category = feed_rs::parser::parse(
            std::fs::read(out.join("categories/ecommerce/feed.xml"))
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        assert_eq!(category.entries.len(), 1);
        let empty = feed_rs::parser::parse(
            std::fs::read(out.join("categories/crm/feed.xml"))
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        assert!(
            empty.entries.is_empty(),
            "the crm connectors are not listed"
        );
        let home = html(&out, "index.html");
        let base_path = if base.ends_with("/market/") {
            "/market/"
        } else {
            "/"
        };
        let alternate = select(&home, "link[rel=alternate][type='application/atom+xml']")[0]
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        assert_eq!(alternate, format!("{base_path}feed.xml"));
        let category_page = html(&out, "categories/ecommerce/index.html");
        let advertised: Vec<&str> = select(
            &category_page,
            "link[rel=alternate][type='application/atom+xml']",
        )
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .collect();
        assert!(
            advertised
                .iter()
                .any(|h| h.ends_with("categories/ecommerce/feed.xml")),
            "{advertised:?}"
        );
    }
}

/// Every connector page's related connectors, against the rule worked out here from
/// `catalogue.json`: most shared tags first (a tag counts double, the same category once), then
/// by name, never itself or a deprecated one, and filled up to four from its category by name.
#[test]
fn related_connectors_follow_shared_tags_then_category_then_name() {
    let (_dir, out) = build(&repo(), &[]);
    let catalogue: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalogue.json")).unwrap())
            .unwrap();
    let connectors = catalogue["connectors"].as_array().unwrap();
    let tags = |c: &Value| -> BTreeSet<String> {
        c["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].to_string())
            .collect()
    };
    let mut pages_with_related = 0;
    for c in connectors {
        let own_tags = tags(c);
        let same_category = |o: &Value| o["category"]["slug"] == c["category"]["slug"];
        let mut by_name: Vec<&Value> = connectors
            .iter()
            .filter(|o| o["slug"] != c["slug"] && o["deprecated"] == false)
            .collect();
        by_name.sort_by_key(|o| o["name"].as_str().unwrap().to_owned());
        let mut ranked: Vec<(usize, &Value)> = by_name
            .iter()
            .map(|o| (own_tags.intersection(&tags(o)).count(), *o))
            .filter(|(shared, _)| *shared > 0)
            .map(|(shared, o)| (2 * shared + usize::from(same_category(o)), o))
            .collect();
        ranked.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let mut expected: Vec<&str> = ranked
            .iter()
            .take(4)
            .map(|(_, o)| o["name"].as_str().unwrap())
            .collect();
        for o in by_name.iter().filter(|o| same_category(o)) {
            let name = o["name"].as_str().unwrap();
            if expected.len() < 4 && !expected.contains(&name) {
                expected.push(name);
            }
        }
        let page = html(
            &out,
            &format!("connectors/{}/index.html", c["slug"].as_str().unwrap()),
        );
        let shown: Vec<String> = select(&page, "#related-title + .cards h3")
            .iter()
            .map(|h| h.text().collect())
            .collect();
        assert_eq!(shown, expected, "related connectors of {}", c["name"]);
        pages_with_related += usize::from(!shown.is_empty());
    }
    assert!(pages_with_related >= 5, "{pages_with_related} pages");
}

#[test]
fn connector_pages_carry_json_ld_related_connectors_and_sized_screenshots() {
    let (_dir, out) = build(&repo(), &[]);
    let page = html(&out, "connectors/shopify/index.html");
    let data = crate::support::data_block(&page, "script[type='application/ld+json']");
    assert_eq!(data["@type"], "SoftwareApplication");
    assert_eq!(data["name"], "Shopify");
    assert_eq!(
        data["url"],
        "https://marketplace.example.com/connectors/shopify/"
    );
    assert_eq!(data["softwareVersion"], text_of(&page, ".meta .version"));
    let related: Vec<String> = select(&page, "#related-title + .cards h3")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert!(!related.is_empty() && related.len() <= 4, "{related:?}");
    assert!(
        related.iter().any(|name| name == "WooCommerce"),
        "same category: {related:?}"
    );
    assert!(!related.iter().any(|name| name == "Shopify"), "not itself");
    for img in select(&page, ".gallery img") {
        let size = |a: &str| {
            img.value()
                .attr(a)
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
        };
        assert!(size("width") > 0 && size("height") > 0, "{}", img.html());
        assert_eq!(img.value().attr("loading"), Some("lazy"));
    }
}

#[test]
fn images_from_hosts_the_site_allows_are_shown_and_the_csp_follows() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    copy_tree(&fixture("valid"), root);
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        yaml.replace(
            "markdown:\n",
            "markdown:\n  image_hosts: [images.acme.example]\n",
        ),
    )
    .unwrap();
    let doc = root.join("content/connectors/acme-orders/docs/index.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(
        &doc,
        format!("{text}\n![Orders](https://images.acme.example/orders.png)\n"),
    )
    .unwrap();
    let (_dir, out) = build(root, &[]);
    let page = html(&out, "connectors/acme-orders/index.html");
    let images = select(&page, "img[src='https://images.acme.example/orders.png']");
    assert_eq!(images.len(), 1);
    for file in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let page = html(&out, file);
        let csp = select(&page, "head > meta[http-equiv='Content-Security-Policy']");
        let policy = csp[0].value().attr("content").unwrap();
        assert!(
            policy.contains("img-src 'self' https://images.acme.example;"),
            "{file}: {policy}"
        );
    }
}

/// The slugs of the cards in the home page's section titled by `title_id`, in order.
fn home_section(home: &scraper::Html, title_id: &str) -> Vec<String> {
    select(
        home,
        &format!("section[aria-labelledby='{title_id}'] .card"),
    )
    .iter()
    .map(|card| card.value().attr("data-slug").unwrap().to_string())
    .collect()
}

/// Issue 12: "Recently updated" showed the newest connectors again, with the same ids.
#[test]
fn recently_updated_lists_connectors_changed_since_listing_that_newest_does_not_show() {
    let (_dir, out) = build(&repo(), &[]);
    let home = html(&out, "index.html");
    let featured = home_section(&home, "featured-title");
    let newest = home_section(&home, "newest-title");
    let updated = home_section(&home, "updated-title");

    // (latest change, approval, name, slug) of each listed, current connector.
    let mut active: Vec<(String, String, String, String)> = records(&repo())
        .into_iter()
        .filter(|(_, r)| r["status"] == "approved")
        .map(|(slug, r)| {
            let approved = str_of(&r["approved_on"]);
            let latest = r["changelog"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| str_of(&c["date"]))
                .chain([approved.clone()])
                .max()
                .unwrap();
            (latest, approved, str_of(&r["name"]), slug)
        })
        .collect();
    active.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    // Each card once on the page: the featured are neither newest nor updated.
    active.retain(|c| !featured.contains(&c.3));
    let expected_newest: Vec<String> = active.iter().take(6).map(|c| c.3.clone()).collect();
    assert_eq!(newest, expected_newest);

    active.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let expected_updated: Vec<String> = active
        .iter()
        .filter(|(latest, approved, _, slug)| latest > approved && !newest.contains(slug))
        .take(6)
        .map(|c| c.3.clone())
        .collect();
    assert!(
        !expected_updated.is_empty(),
        "the sample has updated connectors"
    );
    assert_eq!(updated, expected_updated);
}

/// Issue 12: every id once per page, on every page of the sample site.
#[test]
fn no_page_repeats_an_id() {
    let (_dir, out) = build(&repo(), &[]);
    let mut repeated = Vec::new();
    for page in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let doc = html(&out, page);
        let mut seen = BTreeSet::new();
        for element in select(&doc, "[id]") {
            let id = element.value().attr("id").unwrap();
            if !seen.insert(id) {
                repeated.push(format!("{page}: id {id:?}"));
            }
        }
    }
    assert!(repeated.is_empty(), "{repeated:#?}");
}

/// Issue 12: a record's URL with characters an `href` may not hold as they are (`{`, `|`, `^`)
/// was published as written, and the page failed the HTML checker.
#[test]
fn record_urls_are_published_percent_encoded() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let written = "https://acme.test.example/support/{region}|x^y?q={q}";
    assert!(text.contains("  url: https://acme.test.example/support\n"));
    let text = text.replace(
        "  url: https://acme.test.example/support\n",
        &format!("  url: {written}\n"),
    );
    std::fs::write(&record, text).unwrap();
    let (_dir, out) = build(site.path(), &[]);
    let page = html(&out, "connectors/acme-orders/index.html");
    let encoded = "https://acme.test.example/support/%7Bregion%7D%7Cx%5Ey?q=%7Bq%7D";
    let support: Vec<&str> = select(&page, "a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.starts_with("https://acme.test.example/support"))
        .collect();
    assert_eq!(support, [encoded]);
}

/// Issue 12: documentation written for Docusaurus and MDX (the valid fixture's
/// `docs/migrating.md` holds one of each construct) renders as its author meant.
#[test]
fn docs_written_for_documentation_sites_render_as_their_authors_meant() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let page = html(&out, "connectors/acme-orders/docs/migrating/index.html");
    let article = text_of(&page, "article");
    for hidden in [
        ":::",
        "<!--",
        "editors:",
        "ticket 42",
        "import ",
        "Tabs",
        "TabItem",
        "FieldAnchor",
        "<details",
        "<kbd",
    ] {
        assert!(!article.contains(hidden), "{hidden} shows in: {article}");
    }
    assert_eq!(select(&page, "article h1").len(), 1, "the title once");
    let titles: Vec<String> = select(&page, "aside.admonition > .admonition-title")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(titles, ["Before you start", "Tip", "Note"]);
    assert_eq!(select(&page, "ol > li > aside.admonition-tip").len(), 1);
    assert_eq!(
        select(&page, "aside.admonition-note details summary").len(),
        1,
        "closed after the HTML block, not at the end of the page"
    );
    assert_eq!(select(&page, "aside h2").len(), 0);
    let tabs: Vec<&str> = select(&page, "section.tab")
        .iter()
        .filter_map(|s| s.value().attr("aria-label"))
        .collect();
    assert_eq!(tabs, ["Hosted", "Your own servers"]);
    assert_eq!(
        text_of(&page, "ol[start='3'] > li"),
        "Pick the region your orders live in."
    );
    assert_eq!(
        text_of(&page, "article > details > summary"),
        "Every renamed field"
    );
    assert_eq!(
        select(
            &page,
            "details .scroll-box[role='region'][tabindex='0'] > table"
        )
        .len(),
        1
    );
    for element in ["kbd", "sub", "b", "br"] {
        assert_eq!(
            select(&page, &format!("article {element}")).len(),
            1,
            "{element}"
        );
    }
    assert_eq!(
        select(
            &page,
            "td a[href='/connectors/acme-orders/docs/setup/#authorise']"
        )
        .len(),
        1
    );
    // `sidebar_label` names the page in the docs navigation, `sidebar_position` orders it.
    let nav: Vec<String> = select(&page, "nav.sidebar li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(nav, ["Overview", "Setting up", "Migrating"]);
}
