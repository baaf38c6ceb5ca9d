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
