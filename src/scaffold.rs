//! `marketgen new`: starter files for a site or a connector. Writes only new files: anything
//! that exists already is refused, never overwritten.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::paths;
use crate::validate::formats;

/// What `new connector` writes into `content/connectors/<slug>/` of a site, or `./<slug>/`
/// outside one. Returns the folder.
pub fn connector(root: &Path, slug: &str, name: Option<&str>) -> anyhow::Result<PathBuf> {
    if !formats::is_slug(slug) || paths::is_windows_reserved(slug) {
        bail!(
            "`{slug}` is not a usable slug: use lowercase letters, digits and single hyphens, such as `acme-crm`"
        );
    }
    let name = name.map_or_else(|| title_case(slug), str::to_string);
    let site = root.join(crate::load::SITE_FILE);
    let in_site = site.is_file();
    let (dir, category) = if in_site {
        let category = site_value(&site, "slug").unwrap_or_else(|| "ecommerce".into());
        (root.join("content/connectors").join(slug), category)
    } else {
        (root.join(slug), "ecommerce".into())
    };
    // Editors that read the modeline complete fields and flag mistakes as `check` would,
    // before anything is deployed: in a site, against the copy kept at its root for every
    // record (the deployed copy does not exist before the first deploy); alone, against a
    // copy beside the record.
    let schema_text = crate::schema::schema(crate::schema::SchemaOf::Connector);
    let (schema, copy) = match in_site {
        true => (format!("../../../{SITE_SCHEMA}"), None),
        false => (
            "connector.schema.json".to_string(),
            Some(schema_text.clone()),
        ),
    };
    let modeline = format!("# yaml-language-server: $schema={schema}\n");
    let mut files = vec![
        ("connector.yaml", modeline + &record(&name, &category)),
        ("docs/index.md", docs_index(&name)),
        ("logo.svg", LOGO.to_string()),
    ];
    files.extend(copy.map(|schema| ("connector.schema.json", schema)));
    write_new(&dir, &files)?;
    if in_site && !root.join(SITE_SCHEMA).exists() {
        write_new(root, &[(SITE_SCHEMA, schema_text)])?;
    }
    Ok(dir)
}

/// Where a site keeps the schema its records' modelines name, from its root.
const SITE_SCHEMA: &str = "schemas/connector.schema.json";

/// What `new site` writes into `dir`: a working site with one example connector.
pub fn site(dir: &Path) -> anyhow::Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "{} exists and is not empty: `new site` only writes into a new or empty folder",
            dir.display()
        );
    }
    let files = [
        ("site.yaml", SITE.to_string()),
        ("content/_index.md", HOME.to_string()),
        ("content/guide/_index.md", GUIDE.to_string()),
        (".gitignore", "public/\n.marketgen-cache/\n".to_string()),
    ];
    write_new(dir, &files)?;
    connector(dir, "example-connector", Some("Example Connector"))?;
    Ok(())
}

/// Writes `files` under `dir`, refusing before writing anything if one of them exists.
fn write_new(dir: &Path, files: &[(&str, String)]) -> anyhow::Result<()> {
    if let Some((existing, _)) = files.iter().find(|(path, _)| dir.join(path).exists()) {
        bail!(
            "{} already exists: marketgen new never overwrites a file",
            dir.join(existing).display()
        );
    }
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

/// The first value of `key` in a site.yaml (the base URL, the first category's slug), read
/// leniently: a scaffold needs a good default, not a check (`marketgen check` does that).
fn site_value(site: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(site).ok()?;
    let prefix = format!("{key}:");
    let line = text
        .lines()
        .find(|l| l.trim_start().trim_start_matches("- ").starts_with(&prefix))?;
    let value = line
        .split_once(&prefix)?
        .1
        .split(" #")
        .next()?
        .trim()
        .trim_matches('"');
    (!value.is_empty()).then(|| value.to_string())
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn record(name: &str, category: &str) -> String {
    format!(
        r#"# A connector record. The fields are explained in the submission guide; run
# `marketgen check` to see what is still missing before you submit.

# --- Required for every record: the declaration of intent ---
name: {name}                       # display name, 2-60 characters
status: intent                       # intent | in-development | submitted | in-review | approved | rejected | deprecated
summary: {SUMMARY_START}{name}{SUMMARY_END}   # plain text, at most 160 characters
category: {category}                       # one of the categories in site.yaml
developer:
  name: Your Company Ltd             # public
  email: partners@your-company.example   # private: for the partner manager, never published
  # company_profile: your-company    # private: your company profile on the platform dashboard
  # website: https://your-company.example
expected_completion: 2027-01-31      # when you expect to submit

# --- Also required to be listed (approved or deprecated) ---
# version: 1.0.0                     # semantic version
logo: logo.svg                       # a file in this folder: svg, png or webp
# support:                           # at least one of email and url
#   email: support@your-company.example
#   url: https://your-company.example/support
#   response_time: 1 business day
# authentication:
#   type: oauth2                     # oauth2 | api_key | basic | bearer | custom | none
#   notes: How customers authorise the connector.
# endpoints:                         # what the connector reads and writes
#   - name: Orders
#     method: GET                    # GET | POST | PUT | PATCH | DELETE
#     path: /v1/orders
#     direction: source              # source | destination | both
#     description: Pulls new and updated orders.
# approved_on: 2027-03-01            # set by the marketplace team

# --- Recommended ---
# tags: [orders, inventory]          # lowercase slugs
# systems: [Your System]             # the third-party systems it connects to
# screenshots:
#   - file: screenshots/orders.png
#     caption: What the screenshot shows, for screen readers too
# demo_video: https://videos.your-company.example/demo   # https only
# compliance:
#   privacy_policy: https://your-company.example/privacy
#   terms: https://your-company.example/terms
#   data_residency: [EU]
#   gdpr: true                       # true or false, never yes or no
# links:
#   website: https://your-company.example/connector
#   documentation: https://docs.your-company.example/connector
# last_reviewed: 2027-03-01
# changelog:                         # newest first
#   - version: 1.0.0
#     date: 2027-03-01
#     notes: First release.
#     breaking: true                 # only when upgrading breaks existing setups, and then
#     migration: docs/upgrade.md     # a docs page saying what to change
# aliases: [old-name]                # after a rename: the old folder names, whose addresses
#                                    # then redirect here

# --- Set by the marketplace team ---
# badges: [certified]                # slugs of site.yaml's badges; adding one needs the team's review

# --- When the connector is retired (status: deprecated), and only then ---
# replaced_by: acme-crm-v2           # the listed connector that replaces it, by its folder name
# sunset: 2027-12-31                 # the day it stops working
"#
    )
}

fn docs_index(name: &str) -> String {
    format!(
        "---\ntitle: Overview\ndescription: What {name} does and who it is for.\n---\n\n\
         Say in a paragraph what {name} does, which data it moves in which direction, and what a customer needs before installing it.\n\n\
         ## Set up\n\n1. Install the connector.\n2. Authorise it.\n3. Map the fields.\n\n\
         {DOCS_PLACEHOLDER} (`setup.md`, `field-mapping.md`…) and link to them like [this](index.md).\n"
    )
}

/// A sentence of the placeholder `docs/index.md` that no real overview keeps: while it is
/// there, the page is still the placeholder, and readiness says so.
pub const DOCS_PLACEHOLDER: &str = "Add more pages next to this one";

/// The placeholder summary is these two around the connector's name.
const SUMMARY_START: &str = "One sentence saying what ";
const SUMMARY_END: &str = " moves, and between which systems.";

/// Whether `summary` is still the placeholder sentence `new connector` wrote, whatever name
/// it holds: while it is, the record has no summary of its own, and readiness says so.
pub fn is_placeholder_summary(summary: &str) -> bool {
    let summary = summary.trim();
    summary.starts_with(SUMMARY_START) && summary.ends_with(SUMMARY_END)
}

/// The placeholder logo; a record whose logo is still these bytes has no logo of its own yet.
pub const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"12\" fill=\"#5b6573\"/><rect x=\"18\" y=\"18\" width=\"28\" height=\"28\" rx=\"6\" fill=\"#ffffff\"/></svg>\n";

const SITE: &str = r#"title: Connector Marketplace
base_url: https://marketplace.example.com/
description: Pre-built connectors for your integrations.
theme: default
language: en                 # the pages' language, a BCP 47 tag (en, de, pt-BR): <html lang>, for screen readers and translation
categories:                  # the vocabulary: a connector's category must be one of these
  - slug: ecommerce
    name: E-commerce
    description: Storefronts and marketplaces.
  - slug: erp
    name: ERP
    description: Finance, inventory and operations.
  - slug: crm
    name: CRM
    description: Customers, contacts and deals.
# badges:                     # optional: what the team vouches for; records list them by slug
#   - slug: certified
#     name: Certified
#     description: Tested by the marketplace team against the system's live API.
review:
  stale_after_days: 365      # listed connectors not reviewed for this long get a warning
markdown:
  raw_html: escape           # escape (shown as text) | sanitize (a safe subset is kept)
  image_hosts: []            # hosts docs may show https images from, such as images.acme.example
"#;

const HOME: &str = "---\ntitle: Welcome\ndescription: Find a connector for your integration.\n---\n\nEvery connector listed here is reviewed before it is published.\n";

const GUIDE: &str = "---\ntitle: Submission guide\ndescription: How to list a connector in this marketplace.\n---\n\nDescribe here what a connector needs before it is listed, how to submit it, and what happens after approval.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_summary_is_a_placeholder_whatever_its_name() {
        let record = record("Acme CRM", "crm");
        let summary = record.lines().find_map(|l| l.strip_prefix("summary: "));
        let summary = summary.unwrap().split("   #").next().unwrap();
        assert!(is_placeholder_summary(summary), "{summary}");
        assert!(is_placeholder_summary(
            "One sentence saying what Renamed moves, and between which systems."
        ));
        assert!(!is_placeholder_summary("Sync orders with Shopify."));
    }

    #[test]
    fn names_come_from_slugs() {
        assert_eq!(title_case("acme-crm"), "Acme Crm");
    }

    #[test]
    fn values_of_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site.yaml");
        std::fs::write(&site, SITE).unwrap();
        assert_eq!(site_value(&site, "slug").as_deref(), Some("ecommerce"));
        assert_eq!(
            site_value(&site, "base_url").as_deref(),
            Some("https://marketplace.example.com/")
        );
    }
}
