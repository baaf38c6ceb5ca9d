//! Issue 24, point 4: nothing dropped in silence, nothing said twice. An SVG that loses what
//! it shows when re-serialised is a warning; a typo in site.yaml is reported first, without
//! the record errors the defaults standing in for it would cause; `serve` says what changed
//! since its last build instead of every warning again.

use std::path::Path;

use crate::build::copy_tree;
use crate::serve::{Server, site};
use crate::support::{check_output, fixture};

fn append(path: &Path, text: &str) {
    let before = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, before + text).unwrap();
}

/// A copy of the valid fixture with acme-orders' logo replaced by `svg`: the check report and
/// its exit code.
fn check_logo(svg: &str) -> (String, i32) {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let logo = site.path().join("content/connectors/acme-orders/logo.svg");
    std::fs::write(logo, svg).unwrap();
    check_output(site.path(), &[])
}

#[test]
fn an_svg_that_loses_its_text_image_html_or_animation_is_a_warning() {
    let (report, code) = check_logo(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" fill="#123"/><text x="8" y="30" fill="#fff">ACME</text></svg>"##,
    );
    assert_eq!(code, 0, "a warning, not an error: {report}");
    assert!(
        report.starts_with(
            "warning[svg-content-dropped]: `logo.svg` is published without its text: marketgen publishes an SVG only as re-serialised, which leaves it out\n --> content/connectors/acme-orders/connector.yaml:8:7\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "help: convert the text to paths (outlines) in your design tool and export it again\n"
        ),
        "{report}"
    );
    assert!(report.ends_with("0 errors, 1 warning\n"), "{report}");

    let (report, _) = check_logo(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" fill="#123"><animate attributeName="fill" to="#f00" dur="2s"/></rect><image href="https://cdn.example/mark.png" width="9" height="9"/><foreignObject width="9" height="9"><p xmlns="http://www.w3.org/1999/xhtml">Acme</p></foreignObject></svg>"##,
    );
    assert!(
        report.contains(
            "`logo.svg` is published without an image it links or embeds, its HTML (`<foreignObject>`) and its animation:"
        ),
        "{report}"
    );

    // What a logo in an `<img>` never shows anyway (a script, an image never drawn, empty
    // text) changes nothing it shows: nothing to say.
    let (report, code) = check_logo(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><script>alert(1)</script><defs><image id="unused" href="https://cdn.example/x.png"/></defs><rect width="96" height="48" fill="#123" onclick="alert(2)"/><text> </text></svg>"##,
    );
    assert_eq!((report.as_str(), code), ("no problems found\n", 0));
}

#[test]
fn a_typo_in_site_yaml_comes_first_without_the_record_errors_it_would_cause() {
    let (report, code) = check_output(&fixture("invalid/site-yaml-typo"), &[]);
    assert_eq!(code, 1);
    assert!(
        report.starts_with("error[unknown-field]: unknown field `languages`\n --> site.yaml:3:1\n"),
        "{report}"
    );
    assert!(
        report.contains("help: did you mean `language`?\n"),
        "{report}"
    );
    // The badge and the image host site.yaml allows are not judged by the defaults that
    // stand in for it.
    for consequence in ["unknown-badge", "remote-image"] {
        assert!(!report.contains(consequence), "{report}");
    }
    // A record's own problem is still reported, after.
    assert!(
        report.contains("error[missing-field]: missing required field `summary`\n --> content/connectors/beta/connector.yaml:1:1\n"),
        "{report}"
    );
    assert!(report.ends_with("2 errors, 0 warnings\n"), "{report}");

    // Once site.yaml reads, its badges and image hosts are the rules again.
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("invalid/site-yaml-typo"), site.path());
    let yaml = site.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace("languages: en", "language: en")
            .replace("slug: certified", "slug: certified-partner"),
    )
    .unwrap();
    let (report, _) = check_output(site.path(), &[]);
    assert!(
        report.contains("error[unknown-badge]: `certified`"),
        "{report}"
    );
    assert!(!report.contains("remote-image"), "{report}");
}

#[test]
fn serve_prints_what_changed_since_the_last_build() {
    let site = site();
    let connectors = site.path().join("content/connectors");
    // Warnings (its opening and closing tags) in another connector than the one edited below.
    append(
        &connectors.join("old-sync/docs/index.md"),
        "\n<marquee>Old</marquee>\n",
    );
    let server = Server::start(site.path());
    server.wait_for_stderr("0 errors, 2 warnings");
    let first = server.take_stderr();
    assert_eq!(first.matches("warning[raw-html]").count(), 2, "{first}");

    // A docs rebuild of acme-orders: its new warnings in full, the others counted.
    let setup = connectors.join("acme-orders/docs/setup.md");
    let text = std::fs::read_to_string(&setup).unwrap();
    std::fs::write(&setup, format!("{text}\n<marquee>New</marquee>\n")).unwrap();
    server.wait_for_stderr("2 new");
    let second = server.take_stderr();
    assert_eq!(second.matches("warning[raw-html]").count(), 2, "{second}");
    assert!(second.contains("acme-orders/docs/setup.md"), "{second}");
    assert!(!second.contains("old-sync"), "said again: {second}");
    assert!(
        second.ends_with("0 errors, 4 warnings: 2 new (above), 2 as before (not shown again)\n"),
        "{second}"
    );

    // A whole rebuild that changes no diagnostic says so in one line.
    let record = connectors.join("acme-orders/connector.yaml");
    append(&record, "\n# edited\n");
    server.wait_for_stderr("as before");
    assert_eq!(server.take_stderr(), "0 errors, 4 warnings, as before\n");

    // Fixed: counted as gone.
    std::fs::write(&setup, text).unwrap();
    server.wait_for_stderr("gone");
    assert_eq!(
        server.take_stderr(),
        "0 errors, 2 warnings: 2 gone, 2 as before (not shown again)\n"
    );
}
