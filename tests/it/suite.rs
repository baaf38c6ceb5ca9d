//! The test suite itself: a test that needs a tool the machine may lack is `#[ignore]`d with
//! what it needs, so that the test runner's own summary shows it as ignored instead of `ok`
//! (issue 24, point 5); the README's test command, which `.ci/run` runs, includes them.

use std::collections::BTreeSet;
use std::process::Command;

use crate::support::repo;

/// What a test calls when it needs a tool, and the reason its `#[ignore]` must give.
const TOOLS: &[(&str, &str)] = &[
    ("Chromium::launch()", "needs chromium"),
    ("= vnu()", "needs vnu"),
];

/// Every test in tests/it/ whose body calls one of [`TOOLS`], as `module::name` with the
/// reason it needs and whether its attributes ignore it with that reason. Items are read at
/// the start of a line: attributes, then `fn` (`async`, `pub`), then the body up to the next.
fn tool_tests() -> Vec<(String, &'static str, bool)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo().join("tests/it")).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_str().unwrap().to_string();
        if module == "suite" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // (name, attributes, body) of each function in the file.
        let mut items: Vec<(String, String, String)> = Vec::new();
        let mut attributes = String::new();
        for line in text.lines() {
            let head = ["pub async fn ", "pub fn ", "async fn ", "fn "]
                .iter()
                .find_map(|prefix| line.strip_prefix(prefix));
            if line.starts_with("#[") {
                attributes.push_str(line);
                attributes.push('\n');
            } else if let Some(rest) = head {
                let name = rest.split(['(', '<']).next().unwrap().to_string();
                items.push((name, std::mem::take(&mut attributes), String::new()));
            } else if let Some((_, _, body)) = items.last_mut() {
                attributes.clear();
                body.push_str(line);
                body.push('\n');
            }
        }
        for (name, attributes, body) in items {
            if !attributes.contains("#[test]") && !attributes.contains("#[tokio::test") {
                continue;
            }
            for (call, reason) in TOOLS {
                if body.contains(call) {
                    let ignored = attributes.contains(&format!("#[ignore = \"{reason}\"]"));
                    found.push((format!("{module}::{name}"), *reason, ignored));
                }
            }
        }
    }
    found.sort();
    found
}

/// The tests this binary lists, with `args` added to `--list`.
fn listed(args: &[&str]) -> BTreeSet<String> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--list", "--format", "terse"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

#[test]
fn tests_that_need_chromium_or_vnu_are_ignored_with_what_they_need() {
    let tests = tool_tests();
    let reasons: BTreeSet<&str> = tests.iter().map(|(_, reason, _)| *reason).collect();
    assert_eq!(
        reasons,
        BTreeSet::from(["needs chromium", "needs vnu"]),
        "the scan found the browser and the Nu checker tests: {tests:#?}"
    );
    let unmarked: Vec<_> = tests
        .iter()
        .filter(|(_, _, ignored)| !ignored)
        .map(|(name, reason, _)| format!("{name} lacks #[ignore = \"{reason}\"]"))
        .collect();
    assert!(unmarked.is_empty(), "{unmarked:#?}");
    // The test runner sees them as ignored, and them only among these.
    let ignored = listed(&["--ignored"]);
    let missing: Vec<_> = tests
        .iter()
        .map(|(name, _, _)| name)
        .filter(|name| !ignored.contains(*name))
        .collect();
    assert!(missing.is_empty(), "not listed as ignored: {missing:#?}");
    let all = listed(&[]);
    assert!(all.len() > ignored.len(), "{ignored:#?}");
}

/// The README's test command, which `.ci/run` must run as it is written, includes the
/// ignored tests.
#[test]
fn ci_runs_the_readmes_test_command_with_the_ignored_tests() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let after = readme
        .split_once("Run the whole test suite:\n\n```sh\n")
        .expect("README.md shows the test command after \"Run the whole test suite:\"")
        .1;
    let command = after.split_once("\n```").unwrap().0.trim();
    assert_eq!(command, "cargo test -- --include-ignored");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    let last = ci
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap();
    assert_eq!(last, command, ".ci/run ends with the README's test command");
}
