//! `marketgen new`: starter files that check clean, and never an overwritten file.

use predicates::prelude::*;

use crate::support::{build, marketgen};

#[test]
fn a_new_site_checks_clean_and_builds() {
    let (_dir, site) = crate::support::new_site();
    marketgen()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .assert()
        .success()
        .stdout("no problems found\n");
    let (_out_dir, out) = build(&site, &["--preview"]);
    assert!(
        out.join("connectors/example-connector/index.html")
            .is_file()
    );
}

#[test]
fn a_new_connector_outside_a_site_is_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .current_dir(dir.path())
        .args(["new", "connector", "acme-crm", "--name", "Acme CRM"])
        .assert()
        .success();
    let record = std::fs::read_to_string(dir.path().join("acme-crm/connector.yaml")).unwrap();
    assert!(record.contains("name: Acme CRM"), "{record}");
    for field in [
        "status:",
        "summary:",
        "category:",
        "developer:",
        "# version:",
        "# support:",
        "# endpoints:",
        "# compliance:",
        "# changelog:",
        "# badges:",
        "# replaced_by:",
        "# sunset:",
    ] {
        assert!(record.contains(field), "{field} missing from the scaffold");
    }
    assert!(dir.path().join("acme-crm/docs/index.md").is_file());
    assert!(dir.path().join("acme-crm/logo.svg").is_file());
}

#[test]
fn a_new_connector_inside_a_site_goes_to_its_connectors_and_checks_clean() {
    let (_dir, site) = crate::support::new_site();
    marketgen()
        .args(["new", "connector", "acme-crm", "--root"])
        .arg(&site)
        .assert()
        .success();
    assert!(
        site.join("content/connectors/acme-crm/connector.yaml")
            .is_file()
    );
    marketgen()
        .args(["check", "--root"])
        .arg(&site)
        .assert()
        .success();
}

#[test]
fn new_never_overwrites_anything() {
    let dir = tempfile::tempdir().unwrap();
    let new = || {
        marketgen()
            .current_dir(dir.path())
            .args(["new", "connector", "acme-crm"])
            .assert()
    };
    new().success();
    let record = dir.path().join("acme-crm/connector.yaml");
    std::fs::write(&record, "my work").unwrap();
    new().code(2).stderr(predicate::str::contains(
        "already exists: marketgen new never overwrites a file",
    ));
    assert_eq!(std::fs::read_to_string(&record).unwrap(), "my work");
    let site = dir.path().join("full");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    marketgen()
        .args(["new", "site"])
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not empty"));
}

#[test]
fn a_connector_slug_must_be_a_slug() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["Acme CRM", "con", "acme--crm"] {
        marketgen()
            .current_dir(dir.path())
            .args(["new", "connector", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a usable slug"));
    }
}

/// The first command in backquotes of `new connector`'s message, as words.
fn suggested_check(stdout: &[u8]) -> Vec<String> {
    let message = String::from_utf8_lossy(stdout);
    let command = message.split('`').nth(1).expect("a command in backquotes");
    assert!(command.starts_with("marketgen check"), "{message}");
    command
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect()
}

/// Issue 13: outside a site `new connector` said "then run `marketgen check`", which fails
/// there (no site.yaml). The command it names now works where it was run, inside a site and
/// outside one.
#[test]
fn new_connector_names_a_check_that_works_where_it_was_run() {
    let outside = tempfile::tempdir().unwrap();
    let (_dir, site) = crate::support::new_site();
    for (cwd, args) in [
        (
            outside.path().to_path_buf(),
            vec!["new", "connector", "acme-crm"],
        ),
        (site.clone(), vec!["new", "connector", "beta-erp"]),
        (
            site.parent().unwrap().to_path_buf(),
            vec!["new", "connector", "gamma-crm", "--root", "market"],
        ),
    ] {
        let output = marketgen().current_dir(&cwd).args(&args).output().unwrap();
        assert!(output.status.success());
        marketgen()
            .current_dir(&cwd)
            .args(suggested_check(&output.stdout))
            .assert()
            .success();
    }
}

/// Issue 13: a connector developer's CI can check the folder alone, in every format, and gate
/// on what listing needs with `--ready`.
#[test]
fn check_folder_checks_one_connector_outside_any_site() {
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .current_dir(dir.path())
        .args(["new", "connector", "acme-crm"])
        .assert()
        .success();
    marketgen()
        .current_dir(dir.path())
        .args(["check", "acme-crm", "--strict", "--color", "never"])
        .assert()
        .code(0)
        .stdout("no problems found\n");
    let ready = marketgen()
        .current_dir(dir.path())
        .args(["check", "acme-crm", "--ready", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(ready.status.code(), Some(1));
    let missing: Vec<String> = String::from_utf8(ready.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .inspect(|d| assert!(d["file"].as_str().unwrap().starts_with("acme-crm/")))
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    // Issue 24: the team's `approved_on` is not the developer's to set; the placeholders are.
    assert!(
        !missing.iter().any(|m| m.contains("approved_on")),
        "{missing:?}"
    );
    assert!(
        missing.iter().any(|m| m.contains("placeholder logo")),
        "{missing:?}"
    );
    std::fs::write(
        dir.path().join("acme-crm/connector.yaml"),
        "name: Acme CRM\nstatus: intent\nsummary: Sync contacts.\ncategory: crm-typo\nexpected_completion: 2027-01-01\ndeveloper:\n  name: Acme\n  email: a@acme.example\n",
    )
    .unwrap();
    marketgen()
        .current_dir(dir.path())
        .args(["check", "acme-crm", "--format", "short"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "acme-crm/connector.yaml:4:11: error[unknown-category]:",
        ));
    marketgen()
        .current_dir(dir.path())
        .args(["check", "acme-crm", "--root", "."])
        .assert()
        .code(2);
    marketgen()
        .current_dir(dir.path())
        .args(["check", "no-such-folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no connector.yaml"));
}
