//! The JSON Schema is generated from the types `check` reads, is committed under `schemas/`
//! for editors, and agrees with `check` wherever a schema can express a rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixture, marketgen, repo};

fn generated(of: &str) -> String {
    String::from_utf8(marketgen().args(["schema", of]).output().unwrap().stdout).unwrap()
}

#[test]
fn the_committed_schemas_are_up_to_date() {
    for of in ["connector", "site"] {
        let committed =
            std::fs::read_to_string(repo().join(format!("schemas/{of}.schema.json"))).unwrap();
        assert!(
            committed == generated(of),
            "schemas/{of}.schema.json is out of date: run `cargo run -- schema {of} > schemas/{of}.schema.json`"
        );
    }
}

/// The codes of `check` for rules the schema states: the fields there are, their types, the
/// always-required ones, enumerations, lengths and the shape of versions, dates, emails and
/// web addresses. Other rules (the category vocabulary, files, links, fields required only
/// to be listed) need more than a schema can see.
const SCHEMA_CODES: &[&str] = &[
    "unknown-field",
    "yaml-type",
    "yaml-boolean",
    "unknown-value",
    "invalid-version",
    "invalid-date",
    "too-long",
    "too-short",
    "invalid-email",
    "invalid-url",
    "invalid-alias",
    "too-many-aliases",
    "empty-field",
];
/// Every connector.yaml of every fixture site and the sample, with the site it belongs to.
fn records() -> Vec<(PathBuf, PathBuf)> {
    let mut sites = vec![repo(), fixture("valid")];
    sites.extend(
        std::fs::read_dir(fixture("invalid"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    let mut records = Vec::new();
    for site in sites {
        let Ok(folders) = std::fs::read_dir(site.join("content/connectors")) else {
            continue;
        };
        for folder in folders {
            let record = folder.unwrap().path().join("connector.yaml");
            if record.is_file() {
                records.push((site.clone(), record));
            }
        }
    }
    records.sort();
    records
}

/// The files `check` faults on a schema-expressible rule.
fn faulted(site: &Path) -> BTreeSet<PathBuf> {
    let output = marketgen()
        .args(["check", "--format", "json", "--root"])
        .arg(site)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|d| d["severity"] == "error")
        .filter(|d| {
            let code = d["code"].as_str().unwrap_or("");
            SCHEMA_CODES.contains(&code) || code == "missing-field"
        })
        .filter_map(|d| d["file"].as_str().map(|f| site.join(f)))
        .collect()
}

#[test]
fn the_schema_and_check_agree_on_every_fixture_record() {
    let schema: Value = serde_json::from_str(&generated("connector")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let mut compared = 0;
    let mut disagreements = Vec::new();
    let mut checked_sites = std::collections::BTreeMap::new();
    for (site, record) in records() {
        let Ok(text) = std::fs::read_to_string(&record) else {
            continue;
        };
        // YAML that does not parse (syntax, duplicate keys, anchors, nesting past check's
        // depth of 16) never reaches a schema. Read as editors do, in YAML 1.2: `yes` is a
        // string, not a boolean.
        let options = serde_saphyr::options! {
            strict_booleans: true,
            budget: serde_saphyr::budget! { max_depth: 16 },
        };
        let Ok(value) = serde_saphyr::from_str_with_options::<Value>(&text, options) else {
            continue;
        };
        let faulted = checked_sites
            .entry(site.clone())
            .or_insert_with(|| faulted(&site));
        let check_accepts = !faulted.contains(&record);
        let schema_accepts = validator.is_valid(&value);
        if check_accepts != schema_accepts {
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            disagreements.push(format!(
                "{}: check {}, schema {} {errors:?}",
                record.display(),
                verdict(check_accepts),
                verdict(schema_accepts)
            ));
        }
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} records compared");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

fn verdict(accepts: bool) -> &'static str {
    if accepts { "accepts" } else { "rejects" }
}

#[test]
fn builds_publish_the_schemas_and_scaffolds_point_at_them() {
    let (_dir, out) = crate::support::build(&fixture("valid"), &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("schemas/site.schema.json")).unwrap(),
        generated("site")
    );
    // The published copy knows the marketplace's categories and badges; otherwise it is the
    // generic one.
    let published: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("schemas/connector.schema.json")).unwrap(),
    )
    .unwrap();
    let mut generic: Value = serde_json::from_str(&generated("connector")).unwrap();
    let site = std::fs::read_to_string(fixture("valid/site.yaml")).unwrap();
    let slugs = |section: &str| -> Vec<&str> {
        site.split(section)
            .nth(1)
            .unwrap()
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with(' '))
            .filter_map(|l| l.trim_start().strip_prefix("- slug: "))
            .collect()
    };
    let categories = slugs("categories:");
    assert!(categories.len() >= 2, "{site}");
    generic["properties"]["category"]["enum"] = serde_json::json!(categories);
    let badges = slugs("badges:");
    assert_eq!(badges, ["certified", "platform-team"]);
    generic["properties"]["badges"]["items"]["enum"] = serde_json::json!(badges);
    assert_eq!(published, generic);
    let (_dir, site) = crate::support::new_site();
    let record =
        std::fs::read_to_string(site.join("content/connectors/example-connector/connector.yaml"))
            .unwrap();
    // Inside a site the modeline names a copy at the site's root, which works before the
    // first deploy.
    assert!(
        record.starts_with(
            "# yaml-language-server: $schema=../../../schemas/connector.schema.json\n"
        ),
        "{record}"
    );
    assert_eq!(
        std::fs::read_to_string(
            site.join(
                "content/connectors/example-connector/../../../schemas/connector.schema.json"
            )
        )
        .unwrap(),
        generated("connector")
    );

    // A connector folder of its own carries its copy of the schema.
    let alone = crate::support::new_lone_connector();
    let folder = alone.path().join("acme-crm");
    let record = std::fs::read_to_string(folder.join("connector.yaml")).unwrap();
    assert!(
        record.starts_with("# yaml-language-server: $schema=connector.schema.json\n"),
        "{record}"
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("connector.schema.json")).unwrap(),
        generated("connector")
    );
}

#[test]
fn the_guide_has_a_field_reference_generated_from_the_schema() {
    let (_dir, out) = crate::support::build(&repo(), &[]);
    let page = crate::support::html(&out, "guide/fields/index.html");
    let rows = crate::support::select(&page, "table.fields tbody tr");
    let schema: Value = serde_json::from_str(&generated("connector")).unwrap();
    let top_level = schema["properties"].as_object().unwrap().len();
    assert!(
        rows.len() > top_level,
        "{} rows for {top_level} top-level fields",
        rows.len()
    );
    let version = crate::support::text_of(&page, "#field-version");
    assert!(
        version.contains("to be listed (approved, deprecated)"),
        "{version}"
    );
    let email = crate::support::text_of(&page, "#field-developer-email");
    assert!(
        email.contains("Private") && email.contains("always"),
        "{email}"
    );
    let guide = crate::support::html(&out, "guide/index.html");
    assert!(crate::support::references(&guide).contains(&"/guide/fields/".to_string()));
}

/// Every property of `node`, at any depth, with its path.
fn properties<'a>(node: &'a Value, prefix: &str, out: &mut Vec<(String, &'a Value)>) {
    if let Some(map) = node.get("properties").and_then(Value::as_object) {
        for (name, property) in map {
            let path = format!("{prefix}{name}");
            out.push((path.clone(), property));
            properties(property, &format!("{path}."), out);
        }
    }
    for key in ["items", "anyOf"] {
        match node.get(key) {
            Some(Value::Array(choices)) => {
                choices.iter().for_each(|c| properties(c, prefix, out));
            }
            Some(single) => properties(single, prefix, out),
            None => {}
        }
    }
}

/// Issue 13: the schema helped editors little: no descriptions, every field nullable, no
/// status-dependent requirements, no tag pattern, internal type names.
#[test]
fn the_connector_schema_describes_every_field_and_the_listing_rules() {
    let text = generated("connector");
    for internal in ["$defs", "$ref", "Raw"] {
        assert!(!text.contains(internal), "the schema names {internal}");
    }
    let schema: Value = serde_json::from_str(&text).unwrap();
    let mut all = Vec::new();
    properties(&schema, "", &mut all);
    assert!(all.len() > 40, "{} properties", all.len());
    for (path, property) in &all {
        assert!(
            property["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "`{path}` has no description"
        );
    }
    let validator = jsonschema::validator_for(&schema).unwrap();
    let base = serde_json::json!({
        "name": "Acme CRM",
        "status": "intent",
        "summary": "Sync contacts.",
        "category": "crm",
        "developer": { "name": "Acme", "email": "a@acme.example" }
    });
    assert!(validator.is_valid(&base));
    let with = |change: Value| {
        let mut record = base.clone();
        for (key, value) in change.as_object().unwrap() {
            record[key] = value.clone();
        }
        record
    };
    for (rejected, why) in [
        (
            with(serde_json::json!({ "summary": null })),
            "a required field is null",
        ),
        (
            with(serde_json::json!({ "tags": ["Deals"] })),
            "a tag is not a slug",
        ),
        (
            with(serde_json::json!({ "status": "approved" })),
            "listed without what listing needs",
        ),
        (
            with(serde_json::json!({
                "status": "approved",
                "version": "1.0.0",
                "logo": "logo.svg",
                "support": { "response_time": "1 day" },
                "authentication": { "type": "oauth2" },
                "endpoints": [],
                "approved_on": "2025-03-01"
            })),
            "listed without endpoints or a support contact",
        ),
    ] {
        assert!(!validator.is_valid(&rejected), "{why}: {rejected}");
    }
    let listed = with(serde_json::json!({
        "status": "approved",
        "version": "1.0.0",
        "logo": "logo.svg",
        "support": { "url": "https://acme.example/help" },
        "authentication": { "type": "oauth2" },
        "endpoints": [{ "name": "Contacts", "method": "GET", "path": "/contacts", "direction": "source" }],
        "approved_on": "2025-03-01"
    }));
    assert!(validator.is_valid(&listed));
}
