//! Ids that content gives elements (headings, author HTML in `sanitize` mode) never take one
//! the theme or its script uses (`main`, `compare`, `finder`…), stay unique on the page, and
//! the `#fragment` links written to them still arrive (issue 21, point 6).

use std::collections::BTreeSet;
use std::path::Path;

use crate::build::copy_tree;
use crate::support::{build, check_output, files, fixture, html, repo, select};

const PAGE: &str = r#"---
title: Ids
---
## Main

<div id="compare" name="finder">Compared</div>

<div id="finder">Found <span name="main">here</span></div>

<table id="main"><tr><td>Taken</td></tr></table>

<section id="card-acme-orders">Carded</section>

## Results {#results}

To the [heading](#main), the [comparison](#compare), the [finder](#finder), the
[card](#card-acme-orders) and [results](#results), with a note[^main].

[^main]: A footnote whose label is the heading's id.
"#;

/// Every id the default theme's templates and script give an element, read from its files
/// (literal ids, and the literal start of those made from data, such as `card-`).
fn theme_ids() -> (BTreeSet<String>, BTreeSet<String>) {
    let theme = repo().join("themes/default");
    let mut sources: Vec<std::path::PathBuf> = std::fs::read_dir(theme.join("templates"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    sources.push(theme.join("static/marketgen.js"));
    let (mut ids, mut prefixes) = (BTreeSet::new(), BTreeSet::new());
    for file in sources {
        let text = std::fs::read_to_string(file).unwrap();
        for opener in ["id=\"", "getElementById(\""] {
            for (at, _) in text.match_indices(opener) {
                let rest = &text[at + opener.len()..];
                let value = &rest[..rest.find('"').unwrap()];
                match value.split_once("{{") {
                    Some(("", _)) => {}
                    Some((prefix, _)) => drop(prefixes.insert(prefix.to_string())),
                    None if !value.is_empty() => drop(ids.insert(value.to_string())),
                    None => {}
                }
            }
        }
    }
    (ids, prefixes)
}

fn site(mode: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let docs = site.path().join("content/connectors/acme-orders/docs");
    std::fs::write(docs.join("ids.md"), PAGE).unwrap();
    let setup = docs.join("setup.md");
    let text = std::fs::read_to_string(&setup).unwrap();
    std::fs::write(&setup, format!("{text}\nSee [Main](ids.md#main).\n")).unwrap();
    let yaml = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace("raw_html: escape", &format!("raw_html: {mode}")),
    )
    .unwrap();
    site
}

fn page_of(out: &Path, ending: &str) -> String {
    files(out)
        .into_iter()
        .find(|f| f.ends_with(ending))
        .unwrap_or_else(|| panic!("no page ends with {ending}"))
}

/// The element `href` (`#id` or `…/#id`) leads to on `page`, as a browser finds it: the first
/// with that id.
fn target<'a>(page: &'a scraper::Html, href: &str) -> Option<scraper::ElementRef<'a>> {
    let id = href.rsplit_once('#')?.1;
    select(page, "[id]")
        .into_iter()
        .find(|e| e.value().id() == Some(id))
}

#[test]
fn content_ids_never_take_a_theme_id_and_links_still_reach_them() {
    let (theme_ids, theme_prefixes) = theme_ids();
    for must in ["main", "compare", "finder", "results", "q"] {
        assert!(theme_ids.contains(must), "{must} in {theme_ids:?}");
    }
    assert!(theme_prefixes.contains("card-"), "{theme_prefixes:?}");
    for mode in ["escape", "sanitize"] {
        let site = site(mode);
        let (_dir, out) = build(site.path(), &[]);
        let page = html(&out, &page_of(&out, "docs/ids/index.html"));

        let ids: Vec<String> = select(&page, "[id]")
            .iter()
            .filter_map(|e| e.value().id().map(str::to_string))
            .collect();
        let distinct: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(
            distinct.len(),
            ids.len(),
            "{mode}: duplicate ids in {ids:?}"
        );
        // A footnote named as a heading is an id of its own, which its reference reaches.
        let references = select(&page, "sup.footnote-reference a");
        assert_eq!(references.len(), 1, "{mode}");
        let href = references[0].value().attr("href").unwrap();
        let note = target(&page, href).unwrap_or_else(|| panic!("{mode}: nothing at {href}"));
        assert_eq!(
            note.value().attr("class"),
            Some("footnote-definition"),
            "{mode}: {href} reaches {:?}",
            note.value()
        );
        // The page's own theme ids are there, once each: content took none of them.
        assert!(ids.iter().any(|id| id == "main"), "{mode}: {ids:?}");
        let content: Vec<String> = select(&page, "article.content [id]")
            .iter()
            .filter_map(|e| e.value().id().map(str::to_string))
            .collect();
        assert!(content.len() >= 2, "{mode}: {content:?}");
        for id in &content {
            assert!(
                !theme_ids.contains(id.as_str())
                    && !theme_prefixes.iter().any(|p| id.starts_with(p.as_str())),
                "{mode}: content took the theme's id `{id}`"
            );
        }
        for named in select(&page, "article.content [name]") {
            let name = named.value().attr("name").unwrap();
            assert!(!theme_ids.contains(name), "{mode}: name={name}");
        }

        // Links to the heading reach it, from this page and from another.
        let links: Vec<(String, String)> = select(&page, "article.content a[href^='#']")
            .iter()
            .filter(|a| a.value().attr("class") != Some("anchor"))
            .map(|a| {
                (
                    a.text().collect::<String>(),
                    a.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        let reached = |text: &str| {
            let (_, href) = links
                .iter()
                .find(|(t, _)| t == text)
                .unwrap_or_else(|| panic!("{mode}: no link `{text}` in {links:?}"));
            target(&page, href).map(|e| e.text().collect::<String>())
        };
        assert!(
            reached("heading").is_some_and(|t| t.starts_with("Main")),
            "{mode}"
        );
        assert!(
            reached("results").is_some_and(|t| t.starts_with("Results")),
            "{mode}"
        );
        let setup = html(&out, &page_of(&out, "docs/setup/index.html"));
        let across = select(&setup, "article.content a")
            .into_iter()
            .find(|a| a.text().collect::<String>() == "Main")
            .and_then(|a| a.value().attr("href"))
            .unwrap()
            .to_string();
        assert!(across.contains("/ids/#"), "{across}");
        assert!(
            target(&page, &across).is_some_and(|e| e.value().name() == "h2"),
            "{mode}: {across}"
        );

        // Author HTML keeps its ids only in sanitize mode: there, links to them arrive too,
        // and the second `main` (the heading had it first) is dropped with a warning.
        let (report, _) = check_output(site.path(), &[]);
        if mode == "sanitize" {
            assert_eq!(reached("comparison").as_deref(), Some("Compared"));
            assert_eq!(reached("finder").as_deref(), Some("Found here"));
            assert_eq!(reached("card").as_deref(), Some("Carded"));
            assert!(
                !report.contains("broken-link"),
                "{mode}: a link to an author id was reported broken:\n{report}"
            );
            assert!(
                report.contains("the id `main` is already used on this page"),
                "{report}"
            );
        } else {
            assert!(reached("comparison").is_none(), "{mode}");
            assert!(report.contains("has no heading `compare`"), "{report}");
        }
    }
}
