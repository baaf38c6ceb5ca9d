//! Issue 24, point 3: one readiness rule. `check --ready`, the preview's readiness panel,
//! `report` and `review` say the same of a record: what the developer must still supply,
//! placeholders counted as missing, apart from what the marketplace team sets; and a listed
//! record still holding a placeholder fails `check` and `build`.

use std::path::Path;

use serde_json::Value;

use crate::build::copy_tree;
use crate::support::{fixture, marketgen, new_lone_connector, select, success_of};

/// Markdown's backquotes as the panel shows them.
fn quoted(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push(if i % 2 == 1 { '“' } else { '”' });
        }
        out.push_str(part);
    }
    out
}

/// `check ARGS --format json`: each diagnostic as (code, message), the exit code and stderr.
fn check_json(dir: &Path, args: &[&str]) -> (Vec<(String, String)>, i32, String) {
    let output = marketgen()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let found = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap().to_string();
            (text("code"), text("message"))
        })
        .collect();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (found, output.status.code().unwrap(), stderr)
}

/// The texts of the readiness panel's list `kind` in the page at `file`.
fn panel(file: &Path, kind: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(&std::fs::read_to_string(file).unwrap());
    select(&page, &format!(".readiness-{kind} li"))
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn check_ready_on_a_new_connector_lists_exactly_what_the_developer_must_supply() {
    let dir = new_lone_connector();
    let (found, code, stderr) = check_json(dir.path(), &["acme-crm", "--ready"]);
    assert_eq!(code, 1);
    let expected = [
        ("missing-field", "missing required field `version`"),
        ("missing-field", "missing required field `support`"),
        ("missing-field", "missing required field `authentication`"),
        ("missing-field", "missing required field `endpoints`"),
        (
            "placeholder-content",
            "the summary is still the placeholder sentence",
        ),
        (
            "placeholder-content",
            "`logo.svg` is still the placeholder logo of `marketgen new connector`",
        ),
        (
            "placeholder-content",
            "docs/index.md is still the placeholder text",
        ),
    ];
    let mut sorted = found.clone();
    sorted.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(c, m)| (c.to_string(), m.to_string()))
        .collect();
    want.sort();
    assert_eq!(sorted, want);
    // The team's fields are said to be the team's, and never a failure of the developer's.
    assert!(
        stderr.contains("set by the marketplace team")
            && stderr.contains("`approved_on`")
            && stderr.contains("`status`"),
        "{stderr}"
    );
    let human = marketgen()
        .current_dir(dir.path())
        .args(["check", "acme-crm", "--ready", "--color", "never"])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        !human.contains("add the date the connector was approved"),
        "{human}"
    );
    assert!(
        human.contains("note: set by the marketplace team"),
        "{human}"
    );

    // The readiness panel of its preview lists the same required items, and the team's apart.
    let (_folder, server) = crate::serve::preview_new_connector(&[]);
    let (_, page) = server.get("/connectors/acme-crm/");
    let file = dir.path().join("panel.html");
    std::fs::write(&file, page).unwrap();
    let required = panel(&file, "required");
    assert_eq!(required.len(), expected.len(), "{required:?}");
    for (_, message) in expected {
        assert!(
            required.iter().any(|r| r.contains(&quoted(message))),
            "{message} is not in {required:?}"
        );
    }
    let team = panel(&file, "marketplace");
    assert!(team.iter().any(|t| t.contains("“approved_on”")), "{team:?}");
    assert!(team.iter().any(|t| t.contains("“status”")), "{team:?}");
}

/// The valid fixture with `reviewing` given `new connector`'s placeholders (logo, docs,
/// summary) and the status `status`.
fn site_with_placeholders(status: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let starter = new_lone_connector();
    let folder = site.path().join("content/connectors/reviewing");
    for file in ["logo.svg", "docs/index.md"] {
        std::fs::copy(
            starter.path().join("acme-crm").join(file),
            folder.join(file),
        )
        .unwrap();
    }
    let record = folder.join("connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap().replace(
        "summary: SECRET-UNLISTED-SUMMARY waiting for review.",
        "summary: One sentence saying what Reviewing Connector moves, and between which systems.",
    );
    let text = match status {
        "approved" => text.replace(
            "status: in-review",
            "status: approved\napproved_on: 2026-01-05",
        ),
        _ => text,
    };
    std::fs::write(&record, text).unwrap();
    site
}

const PLACEHOLDERS: [&str; 3] = [
    "the summary is still the placeholder sentence",
    "“logo.svg” is still the placeholder logo",
    "docs/index.md is still the placeholder text",
];

/// The agenda's items still required to be listed, and whether Documentation is ticked.
fn review_of(root: &Path) -> (Vec<String>, bool) {
    let agenda = success_of(&[
        "review".as_ref(),
        "reviewing".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
    ]);
    let required = agenda
        .split("Still required to be listed:\n\n")
        .nth(1)
        .unwrap_or("")
        .lines()
        .take_while(|l| l.starts_with("- [ ] "))
        .map(|l| l.replace('`', ""))
        .collect();
    let ticked = agenda.contains("- [x] Documentation");
    assert!(ticked || agenda.contains("- [ ] Documentation"), "{agenda}");
    (required, ticked)
}

#[test]
fn report_review_and_the_panel_agree_on_placeholders() {
    // In review: the panel of its preview and the agenda.
    let site = site_with_placeholders("in-review");
    let (_dir, out) = crate::support::build(site.path(), &["--preview"]);
    let required = panel(&out.join("connectors/reviewing/index.html"), "required");
    let (agenda, documentation) = review_of(site.path());
    assert!(!documentation, "placeholder docs ticked as documentation");
    for placeholder in PLACEHOLDERS {
        assert!(
            required.iter().any(|r| r.contains(placeholder)),
            "panel: {placeholder} not in {required:?}"
        );
        assert!(
            agenda.iter().any(|r| r.contains(placeholder)),
            "review: {placeholder} not in {agenda:?}"
        );
    }
    assert_eq!(required.len(), agenda.len(), "{required:?} {agenda:?}");

    // Approved: the report's incomplete listing and the agenda say the same.
    let site = site_with_placeholders("approved");
    let report: Value = serde_json::from_str(&success_of(&[
        "report".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--root".as_ref(),
        site.path().as_os_str(),
    ]))
    .unwrap();
    let missing: Vec<String> = report["incomplete"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["slug"] == "reviewing")
        .expect("reviewing is incomplete")["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let (agenda, documentation) = review_of(site.path());
    assert!(!documentation, "placeholder docs ticked as documentation");
    for placeholder in PLACEHOLDERS {
        assert!(
            missing.iter().any(|m| m.contains(placeholder)),
            "report: {placeholder} not in {missing:?}"
        );
        assert!(
            agenda.iter().any(|r| r.contains(placeholder)),
            "review: {placeholder} not in {agenda:?}"
        );
    }
}

#[test]
fn a_listed_connector_with_a_placeholder_fails_check_and_build() {
    let site = site_with_placeholders("approved");
    let root = site.path().to_str().unwrap();
    let (found, code, _) = check_json(site.path(), &["--root", root]);
    assert_eq!(code, 1, "{found:?}");
    let placeholders: Vec<&str> = found
        .iter()
        .filter(|(c, _)| c == "placeholder-content")
        .map(|(_, m)| m.as_str())
        .collect();
    assert_eq!(placeholders.len(), 3, "{found:?}");
    assert!(
        placeholders
            .contains(&"`logo.svg` is still the placeholder logo of `marketgen new connector`"),
        "{placeholders:?}"
    );
    let out = tempfile::tempdir().unwrap();
    marketgen()
        .args(["build", "--root", root, "--output"])
        .arg(out.path().join("public"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("error[placeholder-content]"));
    assert!(!out.path().join("public").exists());

    // The logo alone is enough.
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let starter = new_lone_connector();
    std::fs::copy(
        starter.path().join("acme-crm/logo.svg"),
        site.path().join("content/connectors/acme-orders/logo.svg"),
    )
    .unwrap();
    let root = site.path().to_str().unwrap();
    let (found, code, _) = check_json(site.path(), &["--root", root]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [(
            "placeholder-content".to_string(),
            "`logo.svg` is still the placeholder logo of `marketgen new connector`".to_string()
        )]
    );
}
