//! Issue 14, point 2: `marketgen review SLUG`, the review meeting's agenda, on the valid
//! fixture, the sample marketplace (whose guide gives the checklists) and the real corpus.

use std::collections::BTreeMap;
use std::path::Path;

use crate::build::copy_tree;
use crate::support::{fixture, marketgen, repo, snapshot, success_of};

fn review(root: &Path, slug: &str) -> String {
    success_of(&[
        "review".as_ref(),
        slug.as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
    ])
}

/// The agenda's `## ` sections by heading.
fn sections(agenda: &str) -> BTreeMap<String, String> {
    agenda
        .split("\n## ")
        .skip(1)
        .map(|s| {
            let (heading, body) = s.split_once('\n').unwrap();
            (heading.to_string(), body.trim().to_string())
        })
        .collect()
}

#[test]
fn the_agenda_lists_flows_authentication_items_requirements_and_changes() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let before = snapshot(site.path());
    let agenda = review(site.path(), "acme-orders");
    assert_eq!(snapshot(site.path()), before, "review wrote a file");
    assert!(
        agenda.starts_with("# Review meeting: `Orders & Stock` (`acme-orders`)\n"),
        "{agenda}"
    );
    assert!(
        agenda.contains("- Developer: `Acme Integrations Ltd` <`canary-private-email@private.example`>, company profile `canary-company-profile`"),
        "{agenda}"
    );
    let s = sections(&agenda);
    let headings: Vec<&str> = s.keys().map(String::as_str).collect();
    assert_eq!(
        headings,
        [
            "1. Data flows to demonstrate",
            "2. Authentication",
            "3. Submission items",
            "4. Requirements",
            "5. Changes since the last approved version",
        ]
    );
    assert_eq!(
        s["1. Data flows to demonstrate"],
        "- [ ] **`Orders`** (source, `GET` `/api/orders/{id}`): a record read from `Acme Shop` into the platform: `Pulls new and updated orders.`\n\
         - [ ] **`Stock levels`** (destination, `PUT` `/api/inventory`): a record written from the platform to `Acme Shop`"
    );
    assert!(
        s["2. Authentication"].starts_with("Type `oauth2` — **script review**"),
        "{agenda}"
    );
    let items = &s["3. Submission items"];
    for present in [
        "- [x] Documentation: `docs/index.md`, `docs/migrating.md`, `docs/setup.md`",
        "- [x] Screenshots or a demo video: 1 screenshot, a demo video",
        "- [x] Support contacts: email `support@acme.test.example`",
        "- [x] Compliance links: privacy policy",
    ] {
        assert!(items.contains(present), "{present} not in {items}");
    }
    // The fixture's guide writes its requirements as prose: one item per section.
    assert!(
        s["4. Requirements"].contains("### Security\n\n- [ ] the guide's Security requirements"),
        "{agenda}"
    );
    assert_eq!(
        s["5. Changes since the last approved version"],
        "Last approved or reviewed on `2026-06-01`: version `2.3.0`.\n\n- no changelog entry since then"
    );
}

#[test]
fn custom_authentication_is_flagged_and_missing_items_and_new_changes_are_listed() {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let record = site
        .path()
        .join("content/connectors/reviewing/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text.replace("type: bearer", "type: custom")
        + "changelog:\n  - version: 0.9.0\n    date: 2026-10-01\n    notes: First release for review.\n";
    std::fs::write(&record, text).unwrap();
    let agenda = review(site.path(), "reviewing");
    let s = sections(&agenda);
    assert!(
        s["2. Authentication"].starts_with("Type `custom` — **script review**"),
        "{agenda}"
    );
    assert!(
        s["2. Authentication"].contains("- [ ] every script and custom component of the flow"),
        "{agenda}"
    );
    let items = &s["3. Submission items"];
    assert!(
        items.contains("- [ ] Screenshots or a demo video: none"),
        "{items}"
    );
    assert!(
        items.contains("- [ ] Compliance links: privacy policy missing, terms missing"),
        "{items}"
    );
    assert!(!items.contains("approved_on"), "{items}");
    assert_eq!(
        s["5. Changes since the last approved version"],
        "Never approved: the whole changelog is new to the team.\n\n- `0.9.0` (`2026-10-01`): `First release for review.`"
    );
}

#[test]
fn the_sample_guide_gives_the_checklists_and_links_what_the_meeting_covers() {
    let agenda = review(&repo(), "easypost");
    let s = sections(&agenda);
    let flows = &s["1. Data flows to demonstrate"];
    assert!(
        flows.starts_with("From the guide:\n\n- [ ] installing and authorising the connector"),
        "{flows}"
    );
    assert!(
        flows.contains("\nEach endpoint of the record:\n\n- [ ] **`Shipments`**"),
        "{flows}"
    );
    let requirements = &s["4. Requirements"];
    for area in [
        "Compliance",
        "Functionality",
        "Quality",
        "Security",
        "Marketplace compatibility",
        "Documentation",
    ] {
        assert!(
            requirements.contains(&format!("\n### {area}\n\n- [ ] ")),
            "{area} in {requirements}"
        );
    }
    assert!(
        !requirements.contains("name: Example Commerce"),
        "code in the guide is no item"
    );
    assert!(agenda.contains("<https://marketplace.example.com/guide/process/#review-meeting>"));

    // The guide's page on the meeting links to each thing the agenda covers.
    let process = std::fs::read_to_string(repo().join("content/guide/process.md")).unwrap();
    let meeting = process.split("\n## Review meeting\n").nth(1).unwrap();
    let meeting = meeting.split("\n## ").next().unwrap();
    for link in [
        "(requirements.md#functionality)",
        "(requirements.md#security)",
        "(#submission)",
        "(requirements.md#documentation)",
        "(requirements.md#compliance)",
        "(requirements.md)",
        "(post-approval.md)",
    ] {
        assert!(
            meeting.contains(link),
            "{link} not in the guide's review meeting section"
        );
    }
}

#[test]
fn an_unknown_connector_is_a_usage_error() {
    let output = marketgen()
        .args(["review", "no-such-connector", "--root"])
        .arg(fixture("valid"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no connector `no-such-connector`"));
}

#[test]
fn review_runs_on_every_waiting_connector_of_the_real_corpus() {
    let Some(corpus) = crate::corpus::real_corpus() else {
        return;
    };
    let output = marketgen()
        .args(["report", "--format", "json", "--root"])
        .arg(&corpus)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let waiting = report["waiting"].as_array().unwrap();
    assert!(!waiting.is_empty());
    for entry in waiting {
        let agenda = review(&corpus, entry["slug"].as_str().unwrap());
        assert_eq!(sections(&agenda).len(), 5, "{agenda}");
        assert!(agenda.contains(entry["contact"]["email"].as_str().unwrap()));
        assert!(
            !agenda.chars().any(|c| c != '\n' && c.is_control()),
            "{agenda:?}"
        );
    }
}
