//! `marketgen check`: one fixture per class of content problem, each with the exact report it
//! must produce (`expected.txt` beside it: file:line:col, the line, the caret, the help).
//!
//! After a deliberate change to messages, regenerate with `MARKETGEN_BLESS=1 cargo test` and
//! review the diff like any other change.

use predicates::prelude::*;

use crate::support::{check_output, fixture, marketgen, repo};

#[test]
fn every_invalid_fixture_reports_exactly_its_expected_diagnostics() {
    let dir = fixture("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "fixtures went missing: {cases:?}");
    let bless = std::env::var_os("MARKETGEN_BLESS").is_some();
    let mut failures = Vec::new();
    for case in cases {
        let (report, code) = check_output(&case, &[]);
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &report).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if report != expected {
            failures.push(format!(
                "{name}: report differs\n--- expected\n{expected}\n--- actual\n{report}"
            ));
        }
        let has_errors =
            !report.starts_with("0 errors") && report.lines().any(|l| l.starts_with("error["));
        let expected_code = i32::from(has_errors);
        if code != expected_code {
            failures.push(format!(
                "{name}: exit code {code}, expected {expected_code}"
            ));
        }
        if !report.contains("error[") && !report.contains("warning[") {
            failures.push(format!("{name}: the fixture reports nothing"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_record_missing_its_summary_is_reported_at_its_file_line_and_column() {
    marketgen()
        .args(["check", "--color", "never", "--root"])
        .arg(fixture("invalid/missing-summary"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[missing-field]: missing required field `summary`\n --> content/connectors/acme/connector.yaml:1:1\n",
        ));
}

#[test]
fn all_problems_of_a_run_are_reported_together() {
    let (report, code) = check_output(&fixture("invalid/missing-listing-fields"), &[]);
    assert_eq!(code, 1);
    for field in [
        "version",
        "logo",
        "support",
        "authentication",
        "endpoints",
        "approved_on",
    ] {
        assert!(
            report.contains(&format!("missing required field `{field}`")),
            "{field}: {report}"
        );
    }
    assert!(report.ends_with("6 errors, 0 warnings\n"), "{report}");
}

#[test]
fn warnings_pass_unless_strict() {
    let root = fixture("invalid/raw-html-warning");
    assert_eq!(check_output(&root, &[]).1, 0);
    assert_eq!(check_output(&root, &["--strict"]).1, 1);
}

#[test]
fn json_format_is_one_object_per_diagnostic() {
    let (report, code) = check_output(&fixture("invalid/unknown-category"), &["--format", "json"]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    let d = &lines[0];
    assert_eq!(d["code"], "unknown-category");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "content/connectors/acme/connector.yaml");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 11);
    assert_eq!(
        d["help"],
        "did you mean `ecommerce`? categories are listed in site.yaml"
    );
}

#[test]
fn short_format_is_one_line_per_diagnostic() {
    let (report, _) = check_output(&fixture("invalid/invalid-version"), &["--format", "short"]);
    assert_eq!(
        report,
        "content/connectors/acme/connector.yaml:5:10: error[invalid-version]: `version` is not a semantic version\n"
    );
}

#[test]
fn the_sample_site_and_the_valid_fixture_are_clean() {
    for root in [repo(), fixture("valid")] {
        let (report, code) = check_output(&root, &["--strict"]);
        assert_eq!(
            (report.as_str(), code),
            ("no problems found\n", 0),
            "{}",
            root.display()
        );
    }
}

#[test]
fn a_folder_without_site_yaml_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    marketgen()
        .arg("check")
        .arg("--root")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no site.yaml in"));
}

#[test]
fn unknown_flags_are_usage_errors() {
    marketgen().args(["check", "--frobnicate"]).assert().code(2);
}

#[test]
fn colour_can_be_forced() {
    let output = marketgen()
        .args(["check", "--color", "always", "--root"])
        .arg(fixture("invalid/missing-summary"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("\u{1b}["));
}

/// The codes README's table lists: every backquoted word of its rows' first cells.
fn readme_codes() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let table = readme
        .split("### Diagnostic codes")
        .nth(1)
        .expect("README has a table of diagnostic codes");
    table
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .flat_map(|row| {
            let first_cell = row.split('|').nth(1).unwrap_or_default();
            first_cell
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Issue 13: README listed codes no run could produce. Every listed code is now reported by
/// at least one invalid fixture's exact report, and every code a fixture reports is listed.
#[test]
fn every_code_in_readme_is_produced_by_a_fixture_and_every_fixture_code_is_listed() {
    let codes = readme_codes();
    assert!(codes.len() > 40, "the table went missing: {codes:?}");
    let mut reported = std::collections::BTreeSet::new();
    for case in std::fs::read_dir(fixture("invalid")).unwrap() {
        let expected = case.unwrap().path().join("expected.txt");
        let report = std::fs::read_to_string(&expected).unwrap_or_default();
        for line in report.lines() {
            let code = ["error[", "warning["]
                .iter()
                .find_map(|prefix| line.strip_prefix(prefix))
                .and_then(|rest| rest.split_once(']'));
            if let Some((code, _)) = code {
                reported.insert(code.to_string());
            }
        }
    }
    // Reported only against a git revision, which a fixture folder has none of: held by
    // tests/it/diff.rs and tests/it/policy.rs on real commits instead.
    for code in ["badge-added", "policy-widened", "site-setting-changed"] {
        reported.insert(code.to_string());
    }
    let unproduced: Vec<&String> = codes.iter().filter(|c| !reported.contains(*c)).collect();
    let unlisted: Vec<&String> = reported.iter().filter(|c| !codes.contains(c)).collect();
    assert!(
        unproduced.is_empty() && unlisted.is_empty(),
        "listed in README but in no fixture's expected.txt: {unproduced:?}; reported by a fixture but not in README: {unlisted:?}"
    );
}

/// Issue 13: the first shape error of a record (an unknown key, a wrong type, `yes`) hid every
/// other problem of it, so ten mistakes took many runs to see. Now one run reports all ten,
/// each at its own line.
#[test]
fn a_record_with_ten_mistakes_gets_ten_diagnostics_in_one_run() {
    let (report, code) = check_output(
        &fixture("invalid/every-problem-at-once"),
        &["--format", "json"],
    );
    assert_eq!(code, 1);
    let diagnostics: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let codes: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    let lines: std::collections::BTreeSet<u64> = diagnostics
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(diagnostics.len(), 10, "{report}");
    assert_eq!(lines.len(), 10, "one line each: {report}");
    assert_eq!(
        codes,
        [
            "invalid-date",
            "invalid-email",
            "invalid-tag",
            "invalid-url",
            "invalid-version",
            "unknown-category",
            "unknown-field",
            "unknown-value",
            "yaml-boolean",
            "yaml-type",
        ]
        .into_iter()
        .collect(),
        "{report}"
    );
}
