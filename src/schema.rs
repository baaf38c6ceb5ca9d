//! The content format described from the types `check` reads: JSON Schemas for editors
//! (`marketgen schema`) and the guide's "Field reference" page. Both come from
//! `load::record::RawConnector`, so neither can drift from the validator.

use schemars::Schema;
use serde::Serialize;
use serde_json::Value;

/// Which file a JSON Schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaOf {
    /// connector.yaml
    Connector,
    /// site.yaml
    Site,
}

/// The JSON Schema of a file, generated from the types `check` reads it into: editors that
/// use it complete and flag fields just as marketgen does.
pub fn schema(of: SchemaOf) -> String {
    published(of, &[], &[])
}

/// [`schema`] as a marketplace publishes it: a record's `category` is one of `categories`
/// (none given: any slug), and each of its `badges` one of `badges` (likewise).
pub fn published(of: SchemaOf, categories: &[&str], badges: &[&str]) -> String {
    let mut schema = schema_of(of).to_value();
    inline(&mut schema);
    if of == SchemaOf::Connector {
        for_editors(&mut schema);
        if let (false, Some(category)) = (categories.is_empty(), property(&mut schema, "category"))
        {
            category["enum"] = Value::from(categories.to_vec());
        }
        if let (false, Some(held)) = (badges.is_empty(), property(&mut schema, "badges")) {
            held["items"]["enum"] = Value::from(badges.to_vec());
        }
    }
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Each `$ref` replaced by the definition it names, and the definitions dropped: the Rust
/// types' names (`RawAuthentication`) mean nothing to an author.
fn inline(schema: &mut Value) {
    let definitions = schema
        .as_object_mut()
        .and_then(|o| o.remove("$defs"))
        .unwrap_or_default();
    fn walk(node: &mut Value, definitions: &Value) {
        if let Some(name) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            *node = definitions.get(name).cloned().unwrap_or_default();
        }
        match node {
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, definitions)),
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, definitions)),
            _ => {}
        }
    }
    walk(schema, &definitions);
}

/// What `check` knows beyond the types, written for editors: the field reference's text as
/// each field's description, required fields that may not be null, the pattern of a tag and
/// of an alias, and what a listed record must also have.
fn for_editors(schema: &mut Value) {
    for field in FIELDS {
        if let Some(node) = property(schema, field.path) {
            node["description"] = Value::from(field.about);
        }
    }
    not_nullable_when_required(schema);
    for slugs in ["tags", "aliases"] {
        if let Some(list) = property(schema, slugs) {
            list["items"]["pattern"] = Value::from(r"^[a-z0-9]+(-[a-z0-9]+)*$");
        }
    }
    if let Some(list) = property(schema, "aliases") {
        list["maxItems"] = Value::from(crate::validate::record::MAX_ALIASES);
    }
    let listing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required == ToBeListed && !f.path.contains('.'))
        .map(|f| f.path)
        .collect();
    schema["allOf"] = serde_json::json!([{
        "if": {
            "properties": { "status": { "enum": ["approved", "deprecated"] } },
            "required": ["status"]
        },
        "then": {
            "required": listing,
            "properties": {
                "endpoints": { "minItems": 1 },
                "support": { "anyOf": [{ "required": ["email"] }, { "required": ["url"] }] }
            }
        }
    }]);
}

/// The schema of the field at `path` (`developer.email`), through optional mappings and lists.
fn property<'a>(schema: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut node = schema;
    for (i, name) in path.split('.').enumerate() {
        if i > 0 {
            node = object_of(node)?;
        }
        node = node.get_mut("properties")?.get_mut(name)?;
    }
    Some(node)
}

/// The mapping a field holds: itself, its non-null choice, or its list's items.
fn object_of(node: &mut Value) -> Option<&mut Value> {
    if node.get("properties").is_some() {
        return Some(node);
    }
    if node.get("items").is_some() {
        return object_of(node.get_mut("items")?);
    }
    let choices = node.get_mut("anyOf")?.as_array_mut()?;
    choices.iter_mut().find(|c| c.get("properties").is_some())
}

/// A required field written as `null` (or with no value) is an error to `check`: its schema
/// does not allow null either.
fn not_nullable_when_required(node: &mut Value) {
    let required: Vec<String> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(properties) = node.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            if required.contains(name) {
                without_null(property);
            }
        }
    }
    match node {
        Value::Object(map) => map.values_mut().for_each(not_nullable_when_required),
        Value::Array(items) => items.iter_mut().for_each(not_nullable_when_required),
        _ => {}
    }
}

fn without_null(property: &mut Value) {
    if let Some(types) = property.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            property["type"] = only.clone();
        }
    }
    let non_null = property
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|choices| {
            let rest: Vec<&Value> = choices.iter().filter(|c| c["type"] != "null").collect();
            (rest.len() == 1).then(|| rest[0].clone())
        });
    if let Some(choice) = non_null {
        let description = property.get("description").cloned();
        *property = choice;
        if let Some(description) = description {
            property["description"] = description;
        }
    }
}

fn schema_of(of: SchemaOf) -> Schema {
    match of {
        SchemaOf::Connector => schemars::schema_for!(crate::load::record::RawConnector),
        SchemaOf::Site => schemars::schema_for!(crate::load::site::RawSite),
    }
}

/// When a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Always,
    /// For `approved` and `deprecated` records.
    ToBeListed,
    /// Recommended for listing; its absence is noted, never an error.
    Recommended,
    Optional,
}

/// What the guide says of a field beyond its type.
struct FieldDoc {
    path: &'static str,
    required: Required,
    example: &'static str,
    /// The guide page (file name without `.md`) that asks for it.
    guide: &'static str,
    about: &'static str,
}

const fn doc(
    path: &'static str,
    required: Required,
    example: &'static str,
    guide: &'static str,
    about: &'static str,
) -> FieldDoc {
    FieldDoc {
        path,
        required,
        example,
        guide,
        about,
    }
}

use Required::{Always, Optional, Recommended, ToBeListed};

/// Every field of connector.yaml; a test holds this list to the schema and to the validator.
const FIELDS: &[FieldDoc] = &[
    doc(
        "name",
        Always,
        "Shopify",
        "process",
        "Display name, 2–60 characters, unique in the marketplace.",
    ),
    doc(
        "status",
        Always,
        "approved",
        "process",
        "Where the connector is on its way to listing.",
    ),
    doc(
        "summary",
        Always,
        "Sync orders and stock with Shopify.",
        "requirements",
        "One plain sentence of at most 160 characters.",
    ),
    doc(
        "category",
        Always,
        "ecommerce",
        "requirements",
        "A category slug from site.yaml.",
    ),
    doc(
        "tags",
        Optional,
        "[orders, inventory]",
        "requirements",
        "Lowercase slugs that group related connectors.",
    ),
    doc(
        "systems",
        Optional,
        "[Shopify]",
        "requirements",
        "The third-party systems it connects to.",
    ),
    doc(
        "version",
        ToBeListed,
        "2.3.0",
        "post-approval",
        "The released version, semantic.",
    ),
    doc(
        "logo",
        ToBeListed,
        "logo.svg",
        "process",
        "An SVG, PNG or WebP file in the connector's folder.",
    ),
    doc(
        "screenshots",
        Recommended,
        "[{file: screenshots/orders.png, caption: …}]",
        "process",
        "Pictures of the connector at work.",
    ),
    doc(
        "screenshots.file",
        Always,
        "screenshots/orders.png",
        "process",
        "A PNG, WebP or JPEG file in the folder.",
    ),
    doc(
        "screenshots.caption",
        Always,
        "Orders flowing into the platform",
        "process",
        "What the picture shows; read by screen readers.",
    ),
    doc(
        "demo_video",
        Recommended,
        "https://videos.example.com/demo",
        "process",
        "A video of the connector moving data; https only.",
    ),
    doc(
        "developer",
        Always,
        "{name: …, email: …}",
        "process",
        "Who builds and maintains it: the declaration of intent.",
    ),
    doc(
        "developer.name",
        Always,
        "Acme Integrations Ltd",
        "process",
        "Public.",
    ),
    doc(
        "developer.email",
        Always,
        "partners@your-company.example",
        "process",
        "Private: for the partner manager, never published.",
    ),
    doc(
        "developer.company_profile",
        Optional,
        "your-company",
        "process",
        "Private: the company profile on the platform dashboard.",
    ),
    doc(
        "developer.website",
        Optional,
        "https://acme.example",
        "process",
        "Public.",
    ),
    doc(
        "support",
        ToBeListed,
        "{email: …, url: …}",
        "post-approval",
        "Where customers get help: an email or a URL at least.",
    ),
    doc(
        "support.email",
        Optional,
        "support@acme.example",
        "post-approval",
        "A public support address.",
    ),
    doc(
        "support.url",
        Optional,
        "https://acme.example/support",
        "post-approval",
        "A public support site.",
    ),
    doc(
        "support.response_time",
        Recommended,
        "1 business day",
        "post-approval",
        "How soon customers hear back.",
    ),
    doc(
        "authentication",
        ToBeListed,
        "{type: oauth2}",
        "requirements",
        "How customers authorise the connector.",
    ),
    doc(
        "authentication.type",
        ToBeListed,
        "oauth2",
        "requirements",
        "oauth2, api_key, basic, bearer, custom or none.",
    ),
    doc(
        "authentication.notes",
        Optional,
        "Uses the OAuth app install flow.",
        "requirements",
        "Anything customers should know first.",
    ),
    doc(
        "endpoints",
        ToBeListed,
        "[{name: Orders, method: GET, …}]",
        "requirements",
        "What the connector reads and writes; at least one.",
    ),
    doc(
        "endpoints.name",
        Always,
        "Orders",
        "requirements",
        "What the endpoint is called in the listing.",
    ),
    doc(
        "endpoints.method",
        Always,
        "GET",
        "requirements",
        "GET, POST, PUT, PATCH or DELETE.",
    ),
    doc(
        "endpoints.path",
        Always,
        "/admin/api/orders.json",
        "requirements",
        "The API path the connector calls.",
    ),
    doc(
        "endpoints.direction",
        Always,
        "source",
        "requirements",
        "source, destination or both.",
    ),
    doc(
        "endpoints.description",
        Optional,
        "Pulls new and updated orders.",
        "requirements",
        "One line on what the connector does with the endpoint.",
    ),
    doc(
        "compliance",
        Recommended,
        "{privacy_policy: …, gdpr: true}",
        "requirements",
        "Shown on the connector's page when present.",
    ),
    doc(
        "compliance.privacy_policy",
        Recommended,
        "https://acme.example/privacy",
        "requirements",
        "The address of your privacy policy (https).",
    ),
    doc(
        "compliance.terms",
        Recommended,
        "https://acme.example/terms",
        "requirements",
        "The address of your terms of service (https).",
    ),
    doc(
        "compliance.data_residency",
        Optional,
        "[EU, UK]",
        "requirements",
        "Where data is stored.",
    ),
    doc(
        "compliance.gdpr",
        Optional,
        "true",
        "requirements",
        "true or false, never yes or no.",
    ),
    doc(
        "links",
        Optional,
        "{website: …, documentation: …}",
        "requirements",
        "Public links.",
    ),
    doc(
        "links.website",
        Optional,
        "https://acme.example/shopify",
        "requirements",
        "The connector's page on your website.",
    ),
    doc(
        "links.documentation",
        Optional,
        "https://docs.acme.example/shopify",
        "requirements",
        "Your own documentation of the connector.",
    ),
    doc(
        "expected_completion",
        Recommended,
        "2026-12-01",
        "process",
        "For intent and in-development records: when you expect to submit.",
    ),
    doc(
        "approved_on",
        ToBeListed,
        "2025-03-01",
        "process",
        "Set by the marketplace team when it approves.",
    ),
    doc(
        "last_reviewed",
        Optional,
        "2026-06-01",
        "post-approval",
        "Drives the stale-review warning.",
    ),
    doc(
        "changelog",
        Recommended,
        "[{version: 2.3.0, date: …, notes: …}]",
        "post-approval",
        "Newest first.",
    ),
    doc(
        "changelog.version",
        Always,
        "2.3.0",
        "post-approval",
        "The semantic version the entry describes.",
    ),
    doc(
        "changelog.date",
        Always,
        "2026-06-01",
        "post-approval",
        "The release date, YYYY-MM-DD.",
    ),
    doc(
        "changelog.notes",
        Always,
        "Added inventory levels.",
        "post-approval",
        "What changed, in a sentence or two.",
    ),
    doc(
        "changelog.breaking",
        Optional,
        "true",
        "post-approval",
        "The release breaks something existing setups rely on: shown above the changelog and marked in feeds. A new major version (before 1.0.0, a new minor one) without it is a warning.",
    ),
    doc(
        "changelog.migration",
        Optional,
        "docs/migrate-v3.md",
        "post-approval",
        "A docs page of the connector saying how to upgrade to this release; a breaking entry without one is a warning.",
    ),
    doc(
        "aliases",
        Optional,
        "[acme-shopify-legacy]",
        "post-approval",
        "Old slugs of a renamed connector, at most 20: each old address redirects to its page.",
    ),
    doc(
        "badges",
        Optional,
        "[certified]",
        "post-approval",
        "Slugs of the badges in site.yaml, which the marketplace team awards: a pull request that adds one is flagged for its review.",
    ),
    doc(
        "replaced_by",
        Optional,
        "zendesk",
        "post-approval",
        "Deprecated records only: the slug of the listed connector that replaces it; its page and card link to it.",
    ),
    doc(
        "sunset",
        Optional,
        "2027-06-30",
        "post-approval",
        "Deprecated records only: the day the connector stops working, YYYY-MM-DD.",
    ),
];

/// One row of the field reference.
#[derive(Debug, Clone, Serialize)]
pub struct FieldRow {
    pub path: String,
    /// The type, from the schema: "text", "list of text", "true or false", "mapping"…
    pub kind: String,
    pub required: &'static str,
    pub example: &'static str,
    pub guide: &'static str,
    pub about: &'static str,
}

/// The field reference: every field of the schema, with what the guide says of it.
pub fn field_reference() -> Vec<FieldRow> {
    let schema = schema_of(SchemaOf::Connector).to_value();
    let kinds = schema_fields(&schema);
    FIELDS
        .iter()
        .map(|f| FieldRow {
            path: f.path.to_string(),
            kind: kinds
                .iter()
                .find(|(path, _)| path == f.path)
                .map_or_else(String::new, |(_, kind)| kind.clone()),
            required: match f.required {
                Always => "always",
                ToBeListed => "to be listed (approved, deprecated)",
                Recommended => "recommended",
                Optional => "optional",
            },
            example: f.example,
            guide: f.guide,
            about: f.about,
        })
        .collect()
}

/// Every field path of a schema (`developer.email`) with a readable type.
fn schema_fields(schema: &Value) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    collect(schema, schema, "", &mut fields);
    fields
}

fn collect(root: &Value, node: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, property) in properties {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let target = resolve(root, property);
        out.push((path.clone(), kind(root, property)));
        collect(root, target, &path, out);
        if let Some(items) = target.get("items") {
            collect(root, resolve(root, items), &path, out);
        }
    }
}

/// Follows `$ref`, also inside `anyOf` (how an optional mapping is written).
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        return root.get("$defs").and_then(|d| d.get(name)).unwrap_or(node);
    }
    if let Some(reference) = node
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|options| options.iter().find(|o| o.get("$ref").is_some()))
    {
        return resolve(root, reference);
    }
    node
}

fn kind(root: &Value, node: &Value) -> String {
    let target = resolve(root, node);
    let types: Vec<&str> = match target.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec!["object"],
    };
    if let Some(values) = target.get("enum").and_then(Value::as_array) {
        let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return format!("one of {}", values.join(", "));
    }
    match types
        .iter()
        .find(|t| **t != "null")
        .copied()
        .unwrap_or("object")
    {
        "string" if target.get("format").and_then(Value::as_str) == Some("date") => {
            "date (YYYY-MM-DD)".into()
        }
        "string" => "text".into(),
        "boolean" => "true or false".into(),
        "integer" => "whole number".into(),
        "array" => match target.get("items").map(|i| kind(root, i)) {
            Some(item) => format!("list of {item}"),
            None => "list".into(),
        },
        _ => "mapping".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_reference_names_exactly_the_fields_of_the_schema() {
        let schema = schema_of(SchemaOf::Connector).to_value();
        let from_schema: BTreeSet<String> =
            schema_fields(&schema).into_iter().map(|(p, _)| p).collect();
        let documented: BTreeSet<String> = FIELDS.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(from_schema, documented);
    }

    #[test]
    fn kinds_come_from_the_schema() {
        let rows = field_reference();
        let kind = |path: &str| rows.iter().find(|r| r.path == path).unwrap().kind.clone();
        assert_eq!(kind("name"), "text");
        assert_eq!(kind("tags"), "list of text");
        assert_eq!(kind("compliance.gdpr"), "true or false");
        assert_eq!(kind("approved_on"), "date (YYYY-MM-DD)");
        assert!(kind("status").starts_with("one of intent, in-development"));
        assert_eq!(kind("endpoints"), "list of mapping");
    }

    /// What the reference calls required is what the validator demands: an approved record
    /// with only the always-required fields misses exactly the to-be-listed ones.
    #[test]
    fn required_fields_agree_with_the_validator() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("content/connectors/acme");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            site.path().join("site.yaml"),
            "title: T\nbase_url: https://t.example/\ncategories:\n  - slug: crm\n    name: CRM\n",
        )
        .unwrap();
        std::fs::write(dir.join("connector.yaml"), "name: Acme\nstatus: approved\nsummary: S.\ncategory: crm\ndeveloper:\n  name: D\n  email: d@d.example\n").unwrap();
        let options = crate::CheckOptions {
            root: site.path().to_path_buf(),
            today: 20_000,
            base_url: None,
            preview: false,
            lone: None,
            as_listed: false,
            policy: None,
            cache: None,
        };
        let report = crate::check(&options).unwrap();
        let missing: BTreeSet<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "missing-field")
            .filter_map(|d| {
                d.message
                    .strip_prefix("missing required field `")?
                    .strip_suffix('`')
                    .map(str::to_string)
            })
            .collect();
        let to_be_listed: BTreeSet<String> = FIELDS
            .iter()
            .filter(|f| f.required == ToBeListed && !f.path.contains('.'))
            .map(|f| f.path.to_string())
            .collect();
        assert_eq!(missing, to_be_listed);
    }
}
