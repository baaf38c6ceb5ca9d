//! Issue 24, point 7: small cuts in what the commands print. A badge added in a pull request
//! read as Markdown in `diff`, a connector name mistyped for `review` answered with the close
//! ones, the built-in categories named outside a site, and a summary over its limit underlined
//! where it goes past the limit.

use crate::build::copy_tree;
use crate::diff::Repo;
use crate::support::{check_output, fixture, marketgen};

#[test]
fn diff_markdown_lists_an_added_badge_once_and_names_as_names_not_json() {
    let repo = Repo::new();
    repo.edit(
        "acme-orders",
        "badges: [certified]",
        "badges: [certified, platform-team]",
    );
    let (markdown, _) = repo.diff("HEAD", "markdown");
    assert!(
        markdown.contains(
            "- **Changed** `acme-orders` (`Orders & Stock`)\n  - badges added: `platform-team` (badge-added: the marketplace team reviews this)\n"
        ),
        "{markdown}"
    );
    assert!(
        !markdown.contains("badges:"),
        "the badge said twice: {markdown}"
    );
    assert!(
        !markdown.contains("\"slug\""),
        "JSON in the comment: {markdown}"
    );

    // A badge taken away, and tags, are lists of names.
    repo.edit(
        "acme-orders",
        "badges: [certified, platform-team]",
        "badges: [platform-team]",
    );
    repo.edit(
        "acme-orders",
        "tags: [orders, inventory]",
        "tags: [orders, stock]",
    );
    let (markdown, _) = repo.diff("HEAD", "markdown");
    assert!(
        markdown.contains("  - badges: `certified` → `platform-team`\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("  - tags: `orders`, `inventory` → `orders`, `stock`\n"),
        "{markdown}"
    );
    assert!(!markdown.contains('['), "JSON in the comment: {markdown}");
}

/// What `review SLUG` says on stderr, which must be a usage error.
fn review_error(slug: &str) -> String {
    let output = marketgen()
        .args(["review", slug, "--root"])
        .arg(fixture("valid"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn review_of_an_unknown_connector_suggests_the_closest_slugs() {
    // A prefix of the slug, and a typo in it.
    for typed in ["acme", "acme-ordres"] {
        let stderr = review_error(typed);
        assert!(
            stderr.contains(&format!(
                "no connector `{typed}` in {}: did you mean `acme-orders`?",
                fixture("valid").display()
            )),
            "{stderr}"
        );
    }
    // Several connectors begin with it: each is named.
    let stderr = review_error("o");
    assert!(stderr.contains("did you mean `old-sync`?"), "{stderr}");
    // Nothing close: how to name one.
    let stderr = review_error("zzz");
    assert!(
        stderr.contains("`zzz` in")
            && stderr.contains(": name the folder under content/connectors"),
        "{stderr}"
    );
}

/// `marketgen check acme-crm` in a folder outside any site, on a new connector whose
/// `category:` line is `line`: the report.
fn check_lone_with_category(line: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .current_dir(dir.path())
        .args(["new", "connector", "acme-crm"])
        .assert()
        .success();
    let path = dir.path().join("acme-crm/connector.yaml");
    let record = std::fs::read_to_string(&path).unwrap();
    let old = record.lines().find(|l| l.starts_with("category:")).unwrap();
    std::fs::write(&path, record.replace(old, line)).unwrap();
    let output = marketgen()
        .current_dir(dir.path())
        .args(["check", "acme-crm", "--color", "never"])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn outside_a_site_the_category_help_lists_the_default_categories() {
    let report = check_lone_with_category("category: widgets");
    assert!(
        report.contains("^^^^^^^ not a default category\n"),
        "{report}"
    );
    assert!(
        report.contains(
            "help: use one of the default categories: ecommerce, erp, crm, logistics, accounting, payments, marketing, helpdesk\n"
        ),
        "{report}"
    );
    assert!(
        !report.contains("site.yaml"),
        "there is no site.yaml: {report}"
    );
    let report = check_lone_with_category("category: crn");
    assert!(report.contains("help: did you mean `crm`?\n"), "{report}");
    assert!(
        !report.contains("site.yaml"),
        "there is no site.yaml: {report}"
    );
    let report = check_lone_with_category("");
    assert!(
        report.contains("help: add `category:`, one of the default categories: ecommerce, erp,"),
        "{report}"
    );
}

#[test]
fn inside_a_site_the_category_help_still_names_site_yaml() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replace("category: ecommerce", "category: widgets"),
    )
    .unwrap();
    let (report, _) = check_output(site.path(), &[]);
    assert!(
        report.contains("help: use one of the categories in site.yaml: ecommerce, erp, crm\n"),
        "{report}"
    );
}

/// A copy of the valid fixture whose acme-orders summary is `summary`: the check report.
fn check_summary(summary: &str) -> String {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let old = text.lines().find(|l| l.starts_with("summary:")).unwrap();
    std::fs::write(&record, text.replace(old, &format!("summary: {summary}"))).unwrap();
    check_output(site.path(), &[]).0
}

fn underline(report: &str) -> &str {
    report
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no underline: {report}"))
}

#[test]
fn a_too_long_summary_is_underlined_past_its_limit_only() {
    // 160 two-byte characters, then five more: the underline starts at the 161st character,
    // which is not the 161st byte.
    let summary = format!("{}{}", "é".repeat(160), "ÅÅÅÅÅ");
    let report = check_summary(&summary);
    assert!(
        report.starts_with(
            "error[too-long]: `summary` is 165 characters long, more than 160\n --> content/connectors/acme-orders/connector.yaml:3:170\n"
        ),
        "{report}"
    );
    let line = underline(&report);
    assert_eq!(line.matches('^').count(), 5, "{report}");
    assert!(
        line.ends_with("^^^^^ past the limit of 160 characters"),
        "{report}"
    );
    assert!(report.contains("ÅÅÅÅÅ\n"), "{report}");

    // Quoted, the quotes are not counted.
    let report = check_summary(&format!("\"{}\"", "a".repeat(170)));
    assert_eq!(underline(&report).matches('^').count(), 10, "{report}");
    // Written with an escape, no byte stands for the 161st character: all of it is shown.
    let report = check_summary(&format!("\"\\u00e9{}\"", "a".repeat(170)));
    assert!(underline(&report).matches('^').count() > 10, "{report}");
}
