//! Untrusted content: every bad input of SECURITY.md is refused with a diagnostic, or
//! published in a form that cannot attack the site, its visitors or the build.

use std::path::{Path, PathBuf};
use std::time::Duration;

use predicates::prelude::*;
use serde_json::Value;

use crate::build::copy_tree;
use crate::support::{
    DATA_BLOCK, RUNNING_SCRIPT, build, build_into, check_output, files, fixture, html, marketgen,
    references, select,
};

fn scratch(from: &Path) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(from, site.path());
    site
}

fn set_raw_html(site: &Path, mode: &str) {
    let path = site.join("site.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let yaml = match yaml.find("markdown:\n  raw_html: escape\n") {
        Some(_) => yaml.replace("raw_html: escape", &format!("raw_html: {mode}")),
        None => format!("{yaml}markdown:\n  raw_html: {mode}\n"),
    };
    std::fs::write(&path, yaml).unwrap();
}

/// Nothing in a published page can run script or change where the page points.
fn assert_nothing_live(out: &Path) {
    let mut pages = 0;
    for file in files(out).iter().filter(|f| f.ends_with(".html")) {
        let page = html(out, file);
        let live = select(
            &page,
            &format!(
                "{RUNNING_SCRIPT}, iframe, object, embed, base, main svg, main math, meta[http-equiv='refresh'], style, form:not([role=search])"
            ),
        );
        assert!(
            live.is_empty(),
            "{file}: {:?}",
            live.iter().map(|e| e.html()).collect::<Vec<_>>()
        );
        // Data blocks must parse, and no content may close their element.
        for data in select(&page, DATA_BLOCK) {
            let text = data.inner_html();
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok() && !text.contains('<'),
                "{file}: {text}"
            );
        }
        for element in select(&page, "*") {
            for (name, _) in element.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{file}: {name} on {}",
                    element.html()
                );
            }
        }
        for reference in references(&page) {
            let lower = reference.to_ascii_lowercase();
            let scheme = lower.split(':').next().unwrap_or("");
            let safe = !lower.contains(':')
                || matches!(scheme, "https" | "http" | "mailto")
                || lower.starts_with('/')
                || lower.starts_with('#');
            assert!(safe, "{file}: unsafe reference {reference}");
        }
        pages += 1;
    }
    assert!(pages > 3);
}

#[test]
fn the_24_xss_payloads_are_each_reported() {
    let (report, code) = check_output(&fixture("invalid/xss-payloads"), &["--format", "short"]);
    assert_eq!(code, 1);
    let lines = |file: &str, code: &str| -> std::collections::BTreeSet<String> {
        report
            .lines()
            .filter(|l| l.contains(file) && l.contains(code))
            .map(|l| l.split(':').nth(1).unwrap().to_string())
            .collect()
    };
    // Each HTML payload is text with a warning, or a safe element whose handler is dropped
    // with a warning and whose address is checked like any other; an iframe is a link to its
    // address (issue 23), checked as any link's.
    let html_payloads: std::collections::BTreeSet<String> =
        (6..=28).step_by(2).map(|line| line.to_string()).collect();
    assert_eq!(lines("docs/index.md", "]"), html_payloads, "{report}");
    assert_eq!(
        lines("docs/index.md", "warning[raw-html]").len(),
        10,
        "{report}"
    );
    assert_eq!(
        lines("docs/index.md", "error[unsafe-link]").len(),
        2,
        "{report}"
    );
    assert_eq!(
        lines("docs/links.md", "error[unsafe-link]").len(),
        12,
        "{report}"
    );
}

#[test]
fn none_of_the_payloads_is_published_live_in_either_raw_html_mode() {
    for mode in ["escape", "sanitize"] {
        let site = scratch(&fixture("invalid/xss-payloads"));
        // The link payloads are errors, which stop a build; the HTML payloads only warn, but
        // for the raw image's and link's addresses, which are checked like any: point them
        // somewhere real, with their handlers still on.
        std::fs::remove_file(site.path().join("content/connectors/acme/docs/links.md")).unwrap();
        let index = site.path().join("content/connectors/acme/docs/index.md");
        let text = std::fs::read_to_string(&index)
            .unwrap()
            .replace("src=x", "src=../logo.svg")
            .replace(
                "javascript:alert(1)\">raw",
                "https://a.example/\" onclick=\"alert(1)\">raw",
            )
            .replace(
                "<iframe src=\"javascript:alert(1)\">",
                "<iframe src=\"https://a.example/frame\" onload=\"alert(1)\">",
            );
        std::fs::write(&index, text).unwrap();
        set_raw_html(site.path(), mode);
        let (_dir, out) = build(site.path(), &[]);
        assert_nothing_live(&out);
        let page = html(&out, "connectors/acme/index.html");
        assert_eq!(
            select(&page, "main a[href='https://a.example/frame']").len(),
            1
        );
    }
}

#[test]
fn link_payloads_render_inert_even_when_rendered_anyway() {
    let text = std::fs::read_to_string(fixture(
        "invalid/xss-payloads/content/connectors/acme/docs/links.md",
    ))
    .unwrap();
    let files = Default::default();
    let pages = Default::default();
    let bundle = marketgen::markdown::Bundle {
        dir: "docs",
        files: &files,
        pages: &pages,
        url: "/",
        name: "f",
        base_path: "/",
        publishable: |_| true,
    };
    let source = marketgen::markdown::Source {
        file: Path::new("links.md"),
        body_offset: text.find("\n---\n").unwrap() + 5,
        text: &text,
        title: "Links",
    };
    let policy = marketgen::markdown::Policy {
        raw_html: marketgen::model::RawHtml::Escape,
        image_hosts: &[],
    };
    let (body, diagnostics) = marketgen::markdown::analyse(&source, &bundle, &policy);
    assert!(!diagnostics.is_empty());
    let html = marketgen::markdown::html(&body.document);
    let doc = scraper::Html::parse_fragment(&html);
    let hrefs: Vec<String> = references(&doc);
    assert!(hrefs.is_empty(), "{hrefs:?}");
    assert!(select(&doc, "img").is_empty());
}

#[test]
fn a_hostile_svg_logo_is_published_re_serialised() {
    let site = scratch(&fixture("valid"));
    let hostile = r##"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="alert(1)"><script>alert(2)</script><rect width="64" height="64" fill="#0b5cad" onmouseover="alert(3)"/><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/></foreignObject><image href="https://evil.example/x.png" width="5" height="5"/></svg>"##;
    std::fs::write(
        site.path().join("content/connectors/acme-orders/logo.svg"),
        hostile,
    )
    .unwrap();
    let (_dir, out) = build(site.path(), &[]);
    let logo = std::fs::read_to_string(out.join("connectors/acme-orders/logo.svg")).unwrap();
    for token in [
        "script",
        "alert",
        "onload",
        "onmouseover",
        "foreignObject",
        "iframe",
        "evil.example",
    ] {
        assert!(!logo.contains(token), "{token} in {logo}");
    }
    assert!(logo.contains("#0b5cad"));
}

#[test]
fn a_symlink_in_content_is_an_error_and_never_followed() {
    let site = scratch(&fixture("valid"));
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, "TOP-SECRET-BYTES").unwrap();
    let link = site
        .path()
        .join("content/connectors/acme-orders/screenshots/leak.png");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        site.path().join("content/connectors/outside"),
    )
    .unwrap();
    marketgen()
        .args(["check", "--format", "short", "--root"])
        .arg(site.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "content/connectors/acme-orders/screenshots/leak.png: error[symlink]",
        ))
        .stdout(predicate::str::contains(
            "content/connectors/outside: error[symlink]",
        ));
    std::fs::remove_dir_all(site.path().join("content/connectors/outside")).ok();
    std::fs::remove_file(site.path().join("content/connectors/outside")).ok();
    // Even linked from the docs, the file's bytes never reach the output.
    let doc = site
        .path()
        .join("content/connectors/acme-orders/docs/index.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, format!("{text}\n![leak](../screenshots/leak.png)\n")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    assert!(!dir.path().join("out").exists());
}

/// The valid fixture, with acme-orders' record padded past the default 64 KiB limit.
fn site_with_a_record_over_64_kib() -> (tempfile::TempDir, PathBuf) {
    let site = scratch(&fixture("valid"));
    let connector = site.path().join("content/connectors/acme-orders");
    let record = std::fs::read_to_string(connector.join("connector.yaml")).unwrap();
    std::fs::write(
        connector.join("connector.yaml"),
        format!("{record}# {}\n", "x".repeat(70 * 1024)),
    )
    .unwrap();
    (site, connector)
}

#[test]
fn oversized_files_are_refused_before_they_are_read() {
    let (site, connector) = site_with_a_record_over_64_kib();
    std::fs::write(
        connector.join("docs/big.md"),
        format!("---\ntitle: Big\n---\n{}", "word ".repeat(220_000)),
    )
    .unwrap();
    std::fs::write(
        connector.join("logo.svg"),
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- {} --></svg>",
            "x".repeat(300 * 1024)
        ),
    )
    .unwrap();
    std::fs::write(
        connector.join("screenshots/orders.png"),
        vec![0u8; 3 * 1024 * 1024],
    )
    .unwrap();
    let (report, _) = check_output(site.path(), &["--format", "short"]);
    for (file, limit) in [
        ("connector.yaml", "64 KiB"),
        ("docs/big.md", "1024 KiB"),
        ("logo.svg", "256 KiB"),
        ("screenshots/orders.png", "2048 KiB"),
    ] {
        let line = format!("content/connectors/acme-orders/{file}: error[file-too-large]");
        assert!(report.contains(&line), "{file}: {report}");
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(&line) && l.ends_with(&format!("limit of {limit}"))),
            "{file}: {report}"
        );
    }
}

#[test]
fn limits_can_be_raised_in_site_yaml() {
    let (site, _) = site_with_a_record_over_64_kib();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}limits:\n  record_kib: 128\n"),
    )
    .unwrap();
    marketgen()
        .args(["check", "--root"])
        .arg(site.path())
        .assert()
        .success();
}

#[test]
fn a_fence_language_reaches_no_attribute() {
    let site = scratch(&fixture("valid"));
    let doc = site
        .path()
        .join("content/connectors/acme-orders/docs/setup.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, format!("{text}\n```\"><script>alert(1)</script>\nx\n```\n\n```json onload=alert(1)\n{{}}\n```\n")).unwrap();
    let (_dir, out) = build(site.path(), &[]);
    let page = html(&out, "connectors/acme-orders/docs/setup/index.html");
    for element in select(&page, "pre, pre *") {
        for class in element.value().classes() {
            assert!(class == "code" || class.starts_with("hl-"), "class {class}");
        }
        assert!(
            element.value().attrs().all(|(name, _)| name == "class"),
            "{}",
            element.html()
        );
    }
    assert_nothing_live(&out);
}

#[test]
fn docs_written_for_other_systems_render_sensibly() {
    let site = scratch(&fixture("valid"));
    set_raw_html(site.path(), "sanitize");
    let doc = site
        .path()
        .join("content/connectors/acme-orders/docs/setup.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let extra = "\nimport Tabs from '@theme/Tabs';\n\n:::warning Rate limits\nAt most 2 calls per second.\n:::\n\n## Keys {#api-keys}\n\n<details><summary>Show the keys</summary>\n\nSet <your-api-key> and {{ secret }} and {% raw %}.\n\n</details>\n\n<Tabs>\n\nTab text.\n\n</Tabs>\n";
    std::fs::write(&doc, format!("{text}{extra}")).unwrap();
    let (report, _) = check_output(site.path(), &["--format", "short"]);
    // MDX imports and wrapper components go silently; the Markdown inside stays.
    assert_eq!(report.matches("warning[mdx]").count(), 0, "{report}");
    let (_dir, out) = build(site.path(), &[]);
    let page = html(&out, "connectors/acme-orders/docs/setup/index.html");
    assert_eq!(
        crate::support::text_of(&page, ".admonition-warning .admonition-title"),
        "Rate limits"
    );
    assert_eq!(select(&page, "h2#api-keys").len(), 1);
    assert_eq!(
        crate::support::text_of(&page, "details summary"),
        "Show the keys"
    );
    let body = crate::support::text_of(&page, "details");
    assert!(
        body.contains("<your-api-key>")
            && body.contains("{{ secret }}")
            && body.contains("{% raw %}"),
        "{body}"
    );
    let main = crate::support::text_of(&page, "main");
    assert!(
        !main.contains("import Tabs") && !main.contains("<Tabs>") && main.contains("Tab text."),
        "{main}"
    );
    assert_nothing_live(&out);
}

#[test]
fn json_and_xml_outputs_escape_every_special_character() {
    let (_dir, out) = build(&fixture("valid"), &[]);
    let name = "Old \"Sync\" <Legacy> & Co's";
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("catalogue.json")).unwrap()).unwrap();
    assert!(
        json["connectors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == name)
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    assert!(doc.descendants().filter(|n| n.has_tag_name("loc")).count() > 10);
    let page = html(&out, "connectors/old-sync/index.html");
    assert_eq!(
        crate::support::text_of(&page, "h1")
            .trim_end_matches("Deprecated")
            .trim(),
        name
    );
}

#[test]
fn a_build_killed_half_way_leaves_the_previous_site_intact() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    build_into(&fixture("valid"), &out).success();
    let before: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    let big = work.path().join("big");
    copy_tree(&fixture("valid"), &big);
    let template = big.join("content/connectors/acme-orders");
    for i in 0..1500 {
        let copy = big.join(format!("content/connectors/copy-{i}"));
        copy_tree(&template, &copy);
        let record = std::fs::read_to_string(copy.join("connector.yaml")).unwrap();
        std::fs::write(
            copy.join("connector.yaml"),
            record.replace("name: Orders & Stock", &format!("name: Copy {i}")),
        )
        .unwrap();
    }
    let mut killed_while_writing = false;
    for _attempt in 0..3 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("marketgen"))
            .args(["build", "--root"])
            .arg(&big)
            .arg("--output")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill it as soon as it has begun writing its staging folder.
        loop {
            let staging = std::fs::read_dir(work.path())
                .unwrap()
                .filter_map(Result::ok)
                .find(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(".marketgen-staging-")
                });
            let writing = staging.is_some_and(|s| {
                std::fs::read_dir(s.path())
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false)
            });
            if writing {
                child.kill().unwrap();
                killed_while_writing = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        child.wait().unwrap();
        if killed_while_writing {
            break;
        }
    }
    assert!(
        killed_while_writing,
        "the build always finished before it could be killed"
    );
    let after: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();
    assert!(before == after, "the previous site changed");
}

#[test]
fn no_private_value_reaches_the_output_of_any_fixture_that_builds() {
    let mut built = 0;
    for group in ["valid", "payloads", "invalid"] {
        let dir = fixture(group);
        let roots: Vec<PathBuf> = if group != "invalid" {
            vec![dir]
        } else {
            std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect()
        };
        for root in roots {
            let work = tempfile::tempdir().unwrap();
            let out = work.path().join("out");
            let status = marketgen()
                .args(["build", "--root"])
                .arg(&root)
                .arg("--output")
                .arg(&out)
                .output()
                .unwrap()
                .status;
            if !status.success() {
                continue;
            }
            built += 1;
            let private = crate::build::private_values(&root);
            for file in files(&out) {
                let text =
                    String::from_utf8_lossy(&std::fs::read(out.join(&file)).unwrap()).into_owned();
                for value in &private {
                    assert!(
                        !text.contains(value.as_str()),
                        "{}: private `{value}` in {file}",
                        root.display()
                    );
                }
            }
        }
    }
    assert!(built >= 3, "only {built} fixtures build");
}

/// Issue 16: the fixture whose every text field carries a payload builds, and every page of
/// it (previews included) holds them only as text.
#[test]
fn payloads_in_every_field_are_published_as_text() {
    let (_dir, out) = build(&fixture("payloads"), &["--preview"]);
    assert_nothing_live(&out);
    let page = html(&out, "connectors/dockside/index.html");
    let text = page.root_element().text().collect::<String>();
    for payload in [
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(2)>",
        "{{7*7}} ${7*7} <%= 7*7 %>",
    ] {
        assert!(text.contains(payload), "{payload}");
    }
    assert!(select(&page, "img[src='x'], svg, a[onclick]").is_empty());
}

/// The one Content-Security-Policy of every page, word for word: a page may run only the
/// site's own script file, load nothing from another site, and take no inline script, style,
/// handler, plugin, `<base>` or form target elsewhere.
const POLICY: &str = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// Issue 16: `'unsafe-inline'` added to `script-src` passed every test.
#[test]
fn every_page_carries_exactly_the_policy_first_in_its_head() {
    for (root, extra) in [
        (crate::support::repo(), &[][..]),
        (fixture("payloads"), &["--preview"][..]),
    ] {
        let (_dir, out) = build(&root, extra);
        let pages: Vec<String> = files(&out)
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect();
        assert!(pages.len() > 10, "{pages:?}");
        for file in pages {
            let page = html(&out, &file);
            let policies: Vec<&str> = select(&page, "meta[http-equiv]")
                .iter()
                .filter(|m| {
                    m.value()
                        .attr("http-equiv")
                        .unwrap()
                        .eq_ignore_ascii_case("content-security-policy")
                })
                .map(|m| m.value().attr("content").unwrap_or_default())
                .collect();
            assert_eq!(policies, [POLICY], "{file}");
            let first = select(&page, "head > :first-child");
            assert_eq!(
                first[0].value().attr("http-equiv"),
                Some("Content-Security-Policy"),
                "{file}: the policy must come before anything it governs"
            );
        }
    }
}
