//! Issue 14, point 1: `marketgen report`, the pipeline at a glance, on the sample marketplace,
//! on a fixture in a git repository whose commits are dated, and on the real corpus. It shows
//! private fields, so each test also proves that none reaches a build's output and that the
//! report writes nothing there.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::build::copy_tree;
use crate::support::{build_into, fixture, marketgen, repo, snapshot, success_of};

fn run_report(root: &Path, format: &str) -> String {
    success_of(&[
        "report".as_ref(),
        "--format".as_ref(),
        format.as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
    ])
}

fn report_json(root: &Path) -> Value {
    let out = run_report(root, "json");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn slugs<'a>(report: &'a Value, section: &str) -> Vec<&'a str> {
    report[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect()
}

/// Runs the report on `root` in every format, with `out` holding a build of it, and proves
/// that the report writes nothing there and that every value of `private`, which the report
/// shows, is in no file of the build.
fn private_values_stay_out_of(root: &Path, out: &Path, private: &[String]) {
    let before = snapshot(out);
    assert!(!before.is_empty());
    let mut shown = String::new();
    for format in ["human", "markdown", "json"] {
        shown.push_str(&run_report(root, format));
    }
    assert!(
        snapshot(out) == before,
        "the report changed the build output"
    );
    for value in private {
        assert!(shown.contains(value.as_str()), "the report omits {value}");
        for (file, bytes) in &before {
            assert!(
                !String::from_utf8_lossy(bytes).contains(value.as_str()),
                "{value} is published in {}",
                file.display()
            );
        }
    }
}

/// [`private_values_stay_out_of`] a new build of `root`.
fn private_values_stay_out_of_the_build(root: &Path, private: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_into(root, &out).success();
    private_values_stay_out_of(root, &out, private);
}

/// The developers' emails and company profiles the report shows.
fn contacts(report: &Value) -> Vec<String> {
    ["upcoming", "waiting"]
        .iter()
        .flat_map(|section| report[section].as_array().unwrap())
        .flat_map(|entry| {
            let contact = &entry["contact"];
            [&contact["email"], &contact["company_profile"]]
        })
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

#[test]
fn report_on_the_sample_marketplace_lists_every_section() {
    let report = report_json(&repo());
    assert_eq!(report["today"], "2026-11-26");
    assert_eq!(slugs(&report, "upcoming"), ["bigcommerce"]);
    assert_eq!(slugs(&report, "waiting"), ["easypost"]);
    assert_eq!(
        report["upcoming"][0]["contact"]["email"],
        "partners@bluefin.example"
    );
    assert!(!slugs(&report, "incomplete").is_empty());
    assert_eq!(report["errors"], 0);
    let private = contacts(&report);
    assert!(
        private.contains(&"bluefin-labs-oy".to_string()),
        "{private:?}"
    );
    private_values_stay_out_of_the_build(&repo(), &private);
}

/// The valid fixture with a second intent, committed so that `reviewing` has been in review
/// since 2026-11-01 (25 days before the tests' today).
fn dated_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), dir.path());
    let connectors = dir.path().join("content/connectors");
    copy_tree(&connectors.join("future-crm"), &connectors.join("late-erp"));
    let record = connectors.join("late-erp/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text
        .replace("name: Future CRM", "name: Late ERP")
        .replace("status: intent", "status: in-development")
        .replace(
            "expected_completion: 2027-03-31",
            "expected_completion: 2026-10-27",
        )
        .replace("canary-intent", "canary-late");
    std::fs::write(&record, text).unwrap();
    let acme = connectors.join("acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&acme).unwrap();
    std::fs::write(
        &acme,
        text.replace("last_reviewed: 2026-06-01", "last_reviewed: 2025-06-01"),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@test.example"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00Z")
            .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00Z")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "--quiet"]);
    git(&["add", "--all"]);
    git(&[
        "commit",
        "--quiet",
        "-m",
        "the pipeline on the first of November",
    ]);
    dir
}

#[test]
fn report_orders_overdue_intents_first_and_counts_waits_from_git() {
    let site = dated_repository();
    let report = report_json(site.path());
    assert_eq!(slugs(&report, "upcoming"), ["late-erp", "future-crm"]);
    assert_eq!(report["upcoming"][0]["overdue_days"], 30);
    assert_eq!(report["upcoming"][1]["overdue_days"], -125);
    assert_eq!(
        report["upcoming"][0]["contact"]["company_profile"],
        "canary-late-profile"
    );
    assert_eq!(slugs(&report, "waiting"), ["reviewing"]);
    assert_eq!(report["waiting"][0]["since"], "2026-11-01");
    assert_eq!(report["waiting"][0]["waited_days"], 25);
    assert_eq!(slugs(&report, "stale"), ["acme-orders"]);
    assert_eq!(report["stale"][0]["days"], 543);
    assert_eq!(slugs(&report, "deprecated"), ["old-sync"]);
    assert_eq!(slugs(&report, "incomplete"), ["old-sync"]);

    let human = run_report(site.path(), "human");
    assert!(
        human.contains("  late-erp (Late ERP), in-development: OVERDUE by 30 days, expected 2026-10-27; Future Labs <canary-late-email@private.example>, company profile canary-late-profile\n"),
        "{human}"
    );
    assert!(
        human.contains(
            "reviewing (Reviewing Connector), in-review: waiting 25 days (status since 2026-11-01)"
        ),
        "{human}"
    );
    let markdown = run_report(site.path(), "markdown");
    assert!(markdown.contains("### Not reviewed for more than 365 days (1)\n\n- `acme-orders` (`Orders & Stock`): last reviewed `2025-06-01`, 543 days ago\n"), "{markdown}");

    // Outside a repository the wait is unknown, and said to be.
    let plain = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), plain.path());
    let output = marketgen()
        .args(["report", "--format", "json", "--root"])
        .arg(plain.path())
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["waiting"][0]["since"], Value::Null);

    let private = contacts(&report_json(site.path()));
    assert_eq!(private.len(), 5, "{private:?}");
    private_values_stay_out_of_the_build(site.path(), &private);
}

#[test]
fn report_on_the_real_corpus_shows_private_fields_that_no_build_publishes() {
    let Some(corpus) = crate::corpus::real_corpus() else {
        return;
    };
    let report = report_json(&corpus);
    let mut by_status: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(corpus.join("content/connectors")).unwrap() {
        let record = entry.unwrap().path().join("connector.yaml");
        let Ok(text) = std::fs::read_to_string(&record) else {
            continue;
        };
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(name))
                .map(|v| v.trim().trim_matches('"').to_string())
                .unwrap_or_default()
        };
        by_status
            .entry(field("status:"))
            .or_default()
            .push(field("name:"));
    }
    let count = |statuses: &[&str]| -> usize {
        statuses
            .iter()
            .map(|s| by_status.get(*s).map_or(0, Vec::len))
            .sum()
    };
    assert_eq!(
        report["upcoming"].as_array().unwrap().len(),
        count(&["intent", "in-development"])
    );
    assert_eq!(
        report["waiting"].as_array().unwrap().len(),
        count(&["submitted", "in-review"])
    );
    assert_eq!(
        report["deprecated"].as_array().unwrap().len(),
        count(&["deprecated"])
    );
    let private = contacts(&report);
    assert!(private.len() >= count(&["intent", "in-development", "submitted", "in-review"]));
    // A copy with the settings a marketplace publishing it would choose (README: images from
    // the host its docs use, and limits raised for its larger logos), so that it builds.
    let site = tempfile::tempdir().unwrap();
    copy_tree(&corpus, site.path());
    let yaml = std::fs::read_to_string(corpus.join("site.yaml")).unwrap();
    let settings = "\nmarkdown:\n  image_hosts: [raw.githubusercontent.com]\nlimits:\n  svg_kib: 1024\n  image_px: 10000\n";
    std::fs::write(site.path().join("site.yaml"), yaml + settings).unwrap();
    private_values_stay_out_of_the_build(site.path(), &private);
}
