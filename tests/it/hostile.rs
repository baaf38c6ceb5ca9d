//! Issue 16, "Hostile input, round two": content that would cost much, fool a reviewer at the
//! terminal, or break `build` after `check` passed. Each test makes its hostile shape in a
//! copy of the valid fixture, so the repository holds no file with a hostile name.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::build::copy_tree;
use crate::support::{fixture, marketgen};

/// Generous enough never to flake on a loaded machine; the old quadratic code took hours.
const GENEROUS: Duration = Duration::from_secs(60);

fn valid_copy() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    site
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `check --format FORMAT` on `root`: stdout, stderr and the exit code.
fn check(root: &Path, format: &str) -> (Vec<u8>, Vec<u8>, i32) {
    let output = marketgen()
        .args(["check", "--color", "never", "--format", format, "--root"])
        .arg(root)
        .timeout(GENEROUS)
        .output()
        .unwrap();
    (
        output.stdout,
        output.stderr,
        output.status.code().unwrap_or(-1),
    )
}

/// Bytes a terminal acts on: C0 controls but the line break, DEL, and the C1 controls as UTF-8.
fn terminal_controls(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    text.char_indices()
        .filter(|&(_, c)| c != '\n' && c.is_control())
        .map(|(at, c)| {
            format!(
                "U+{:04X} in {:?}",
                c as u32,
                &text[at.saturating_sub(40)..at]
            )
        })
        .collect()
}

const ERASE_LINE: &str = "evil\u{1b}[2K\u{1b}[1Ano problems found";
const SET_CLIPBOARD: &str = "x\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}2K";

/// A connector folder and a docs page whose names erase a line and set the clipboard.
fn site_with_terminal_sequences_in_names() -> tempfile::TempDir {
    let site = valid_copy();
    let connectors = site.path().join("content/connectors");
    write(
        &connectors.join(ERASE_LINE).join("connector.yaml"),
        "name: Erased\nstatus: intent\n",
    );
    write(
        &connectors.join(format!("acme-orders/docs/{SET_CLIPBOARD}.md")),
        "---\ntitle: Clipboard\n---\n\nText.\n",
    );
    site
}

#[test]
fn terminal_sequences_in_file_names_are_escaped_in_every_format() {
    let site = site_with_terminal_sequences_in_names();
    for format in ["human", "short", "json"] {
        let (out, err, code) = check(site.path(), format);
        assert_eq!(code, 1, "{format}: {}", String::from_utf8_lossy(&out));
        assert_eq!(terminal_controls(&out), Vec::<String>::new(), "{format}");
        assert_eq!(terminal_controls(&err), Vec::<String>::new(), "{format}");
        let text = String::from_utf8(out).unwrap();
        let shown = match format {
            "json" => ["evil\\u001b[2K", "x\\u001b]52;c;ZXZpbA==\\u0007\\u009b2K"],
            _ => [
                "evil\\u{1b}[2K\\u{1b}[1Ano",
                "x\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{9b}2K",
            ],
        };
        for name in shown {
            assert!(text.contains(name), "{format}: {name} not in\n{text}");
        }
    }
}

#[test]
fn terminal_sequences_in_paths_on_the_command_line_are_escaped() {
    let site = valid_copy();
    let out = site.path().join(format!("out-{ERASE_LINE}"));
    let built = marketgen()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert_eq!(terminal_controls(&built.stdout), Vec::<String>::new());
    assert!(String::from_utf8_lossy(&built.stdout).contains("out-evil\\u{1b}[2K"));

    let missing = marketgen()
        .args(["check", "--root"])
        .arg(site.path().join(SET_CLIPBOARD))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(terminal_controls(&missing.stderr), Vec::<String>::new());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no site.yaml in"));
}

/// A page of about 1 MiB of lines with an HTML tag outside the safe set, a warning each, and
/// one broken link at its end.
fn site_with_a_megabyte_of_warnings() -> (tempfile::TempDir, usize) {
    let site = valid_copy();
    let lines = 55_000;
    let mut page = String::from("---\ntitle: Imports\n---\n\n");
    page.push_str(&"lines of <u>tags\n".repeat(lines));
    page.push_str("\n[the end](missing-page.md)\n");
    assert!(page.len() <= 1024 * 1024, "{}", page.len());
    write(
        &site
            .path()
            .join("content/connectors/acme-orders/docs/imports.md"),
        &page,
    );
    (site, lines)
}

#[test]
fn a_megabyte_page_of_warnings_is_reported_in_seconds_and_capped_per_file() {
    let (site, warnings) = site_with_a_megabyte_of_warnings();
    let start = Instant::now();
    let (out, _, code) = check(site.path(), "human");
    assert_eq!(code, 1);
    let human = String::from_utf8(out).unwrap();
    assert!(
        human.contains("\nerror[broken-link]"),
        "errors are always shown: {human}"
    );
    assert_eq!(human.matches("warning[raw-html]").count(), 49, "{human}");
    let hidden = warnings - 49;
    assert!(
        human.contains(&format!(
            "note: {hidden} more diagnostics in this file not shown (0 errors, {hidden} warnings)"
        )),
        "{human}"
    );
    assert!(
        human.ends_with(&format!("1 error, {warnings} warnings\n")),
        "{human}"
    );

    let (out, _, _) = check(site.path(), "short");
    let short = String::from_utf8(out).unwrap();
    assert_eq!(short.lines().count(), 51, "{short}");
    assert!(short.ends_with(&format!("imports.md: note: {hidden} more diagnostics in this file not shown (0 errors, {hidden} warnings): fix the ones above first, or see them all with `--format json`\n")), "{short}");

    let (out, _, _) = check(site.path(), "json");
    let json = String::from_utf8(out).unwrap();
    assert_eq!(json.lines().count(), warnings + 1);
    let last: serde_json::Value = serde_json::from_str(json.lines().last().unwrap()).unwrap();
    assert_eq!(
        (&last["code"], &last["line"]),
        (&"broken-link".into(), &(warnings + 6).into())
    );
    assert!(start.elapsed() < GENEROUS, "{:?}", start.elapsed());
}

/// A second approved connector dated after the build day, in its approval and its newest
/// changelog entry.
fn site_with_a_future_dated_connector() -> tempfile::TempDir {
    let site = valid_copy();
    let connectors = site.path().join("content/connectors");
    copy_tree(
        &connectors.join("acme-orders"),
        &connectors.join("time-traveller"),
    );
    let record = connectors.join("time-traveller/connector.yaml");
    let yaml = std::fs::read_to_string(&record)
        .unwrap()
        .replace("name: Orders & Stock", "name: Time Traveller")
        .replace("approved_on: 2025-03-01", "approved_on: 9999-12-31")
        .replace("date: 2026-06-01", "date: 9999-01-01");
    std::fs::write(&record, yaml).unwrap();
    site
}

#[test]
fn dates_after_the_build_day_are_warnings_and_never_lead_a_listing_or_feed() {
    let site = site_with_a_future_dated_connector();
    let (out, _, code) = check(site.path(), "short");
    let short = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{short}");
    let record = "content/connectors/time-traveller/connector.yaml";
    for expected in [
        format!(
            "{record}:43:14: warning[future-date]: `approved_on` is 9999-12-31, after the day of this build"
        ),
        format!(
            "{record}:47:11: warning[future-date]: `changelog.date` is 9999-01-01, after the day of this build"
        ),
    ] {
        assert!(short.contains(&expected), "{expected}\n{short}");
    }

    let (_dir, out) = crate::support::build(site.path(), &[]);
    let home = crate::support::html(&out, "index.html");
    let newest = crate::support::text_of(
        &home,
        "section[aria-labelledby='newest-title'] .card:first-child h3",
    );
    assert_eq!(newest, "Orders & Stock");
    let feed =
        feed_rs::parser::parse(std::fs::read(out.join("feed.xml")).unwrap().as_slice()).unwrap();
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| Some(e.title.clone()?.content))
        .collect();
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Orders & Stock"),
        "{titles:?}"
    );
    let years: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| Some(e.updated?.format("%Y").to_string()))
        .collect();
    assert!(!years.iter().any(|y| y == "9999"), "{years:?}");
}

#[test]
fn check_and_build_agree_that_output_paths_collide() {
    let site = fixture("invalid/output-collision");
    let (out, _, code) = check(&site, "short");
    let report = String::from_utf8(out).unwrap();
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report.matches("error[output-collision]").count(),
        5,
        "{report}"
    );
    let dir = tempfile::tempdir().unwrap();
    let built = marketgen()
        .args(["build", "--color", "never", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(
        built.status.code(),
        Some(1),
        "content errors, not an I/O failure: {stderr}"
    );
    assert_eq!(
        stderr.matches("error[output-collision]").count(),
        5,
        "{stderr}"
    );
    assert!(!dir.path().join("public").exists());
}
