//! `connector.yaml` as written: every field optional and spanned, so that `validate` can report
//! all missing or malformed fields of a record at once, each at its own line.
//!
//! [`read`] takes the record from its YAML tree field by field (`load::tree`): an unknown key
//! (named with a "did you mean") or a value of the wrong shape is reported and leaves that one
//! field out, never the rest of the record. No value is interpreted here; that is `validate`'s
//! job.

use schemars::JsonSchema;
use serde::Deserialize;

use super::tree::{Node, Reader};
use super::yaml::{self, Embedded, Spanned};
use crate::diag::Diagnostic;

pub type Text = Option<Spanned<String>>;

/// Semantic Versioning 2.0.0's own regular expression (semver.org), for editors: numeric
/// identifiers have no leading zero, in the version and in the pre-release alike.
const SEMVER_PATTERN: &str = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$";

/// The top-level field names, in contract order; also used for suggestions and the schema.
pub const FIELDS: &[&str] = &[
    "name",
    "status",
    "summary",
    "category",
    "tags",
    "systems",
    "version",
    "logo",
    "screenshots",
    "demo_video",
    "developer",
    "support",
    "authentication",
    "endpoints",
    "compliance",
    "links",
    "expected_completion",
    "approved_on",
    "last_reviewed",
    "changelog",
    "aliases",
    "badges",
    "replaced_by",
    "sunset",
];

#[derive(Debug, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "connector.yaml", description = "A connector record of a marketgen marketplace.", extend("required" = ["name", "status", "summary", "category", "developer"]))]
pub struct RawConnector {
    #[schemars(with = "Option<String>", extend("minLength" = 2, "maxLength" = 60))]
    pub name: Text,
    #[schemars(with = "Option<String>", extend("enum" = ["intent", "in-development", "submitted", "in-review", "approved", "rejected", "deprecated"]))]
    pub status: Text,
    #[schemars(with = "Option<String>", extend("maxLength" = 160))]
    pub summary: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub category: Text,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub systems: Vec<Spanned<String>>,
    #[schemars(with = "Option<String>", extend("pattern" = SEMVER_PATTERN))]
    pub version: Text,
    #[schemars(with = "Option<String>")]
    pub logo: Text,
    #[serde(default)]
    pub screenshots: Vec<RawScreenshot>,
    #[schemars(with = "Option<String>", extend("pattern" = "^https://"))]
    pub demo_video: Text,
    #[schemars(with = "Option<RawDeveloper>")]
    pub developer: Option<Spanned<RawDeveloper>>,
    #[schemars(with = "Option<RawSupport>")]
    pub support: Option<Spanned<RawSupport>>,
    #[schemars(with = "Option<RawAuthentication>")]
    pub authentication: Option<Spanned<RawAuthentication>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawEndpoint>")]
    pub endpoints: Vec<Spanned<RawEndpoint>>,
    pub compliance: Option<RawCompliance>,
    pub links: Option<RawLinks>,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub expected_completion: Text,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub approved_on: Text,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub last_reviewed: Text,
    #[serde(default)]
    #[schemars(with = "Vec<RawChange>")]
    pub changelog: Vec<Spanned<RawChange>>,
    /// Old slugs of this connector: each old address becomes a redirect to its page.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Vec<Spanned<String>>,
    /// Slugs of site.yaml's `badges`: the marketplace team's word, which it reviews.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub badges: Vec<Spanned<String>>,
    /// Deprecated records only: the slug of the listed connector that replaces it.
    #[schemars(with = "Option<String>")]
    pub replaced_by: Text,
    /// Deprecated records only: the day it stops working.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub sunset: Text,
}

#[derive(Debug, JsonSchema)]
#[schemars(extend("required" = ["file", "caption"]))]
#[serde(deny_unknown_fields)]
pub struct RawScreenshot {
    #[schemars(with = "Option<String>")]
    pub file: Text,
    #[schemars(with = "Option<String>")]
    pub caption: Text,
}

#[derive(Debug, JsonSchema)]
#[schemars(extend("required" = ["name", "email"]))]
#[serde(deny_unknown_fields)]
pub struct RawDeveloper {
    #[schemars(with = "Option<String>")]
    pub name: Text,
    /// Private: for the partner manager only.
    #[schemars(with = "Option<String>", extend("pattern" = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"))]
    pub email: Text,
    /// Private: the platform dashboard company profile.
    #[schemars(with = "Option<String>")]
    pub company_profile: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub website: Text,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSupport {
    #[schemars(with = "Option<String>", extend("pattern" = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"))]
    pub email: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub url: Text,
    #[schemars(with = "Option<String>")]
    pub response_time: Text,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuthentication {
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>", extend("enum" = ["oauth2", "api_key", "basic", "bearer", "custom", "none"]))]
    pub kind: Text,
    #[schemars(with = "Option<String>")]
    pub notes: Text,
}

#[derive(Debug, JsonSchema)]
#[schemars(extend("required" = ["name", "method", "path", "direction"]))]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    #[schemars(with = "Option<String>")]
    pub name: Text,
    #[schemars(with = "Option<String>", extend("enum" = ["GET", "POST", "PUT", "PATCH", "DELETE"]))]
    pub method: Text,
    #[schemars(with = "Option<String>")]
    pub path: Text,
    #[schemars(with = "Option<String>", extend("enum" = ["source", "destination", "both"]))]
    pub direction: Text,
    #[schemars(with = "Option<String>")]
    pub description: Text,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCompliance {
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub privacy_policy: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub terms: Text,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub data_residency: Vec<Spanned<String>>,
    pub gdpr: Option<bool>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLinks {
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub website: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub documentation: Text,
}

#[derive(Debug, JsonSchema)]
#[schemars(extend("required" = ["version", "date", "notes"]))]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    #[schemars(with = "Option<String>", extend("pattern" = SEMVER_PATTERN))]
    pub version: Text,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub date: Text,
    #[schemars(with = "Option<String>")]
    pub notes: Text,
    /// The release breaks something existing setups rely on.
    pub breaking: Option<bool>,
    /// A docs page of the connector saying how to move to this release.
    #[schemars(with = "Option<String>")]
    pub migration: Text,
}

/// Front matter of a Markdown page. Other keys are allowed (documentation written for other
/// systems has many) and reported as warnings by `validate`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct RawFrontMatter {
    #[schemars(with = "Option<String>")]
    pub title: Text,
    #[schemars(with = "Option<String>")]
    pub description: Text,
    pub weight: Option<i64>,
    /// Docusaurus's order in the sidebar: the weight, when `weight` is not given.
    pub sidebar_position: Option<i64>,
    /// Docusaurus's name in the sidebar: the page's name in navigation.
    #[schemars(with = "Option<String>")]
    pub sidebar_label: Text,
}

const SCREENSHOT_FIELDS: &[&str] = &["file", "caption"];
const DEVELOPER_FIELDS: &[&str] = &["name", "email", "company_profile", "website"];
const SUPPORT_FIELDS: &[&str] = &["email", "url", "response_time"];
const AUTHENTICATION_FIELDS: &[&str] = &["type", "notes"];
const ENDPOINT_FIELDS: &[&str] = &["name", "method", "path", "direction", "description"];
const COMPLIANCE_FIELDS: &[&str] = &["privacy_policy", "terms", "data_residency", "gdpr"];
const LINKS_FIELDS: &[&str] = &["website", "documentation"];
const CHANGE_FIELDS: &[&str] = &["version", "date", "notes", "breaking", "migration"];

/// The record in `doc` and every problem of its YAML and its shape; `None` when the YAML does
/// not parse or is not a mapping of fields. An empty file is a record without fields.
pub fn parse(doc: &Embedded) -> (Option<RawConnector>, Vec<Diagnostic>) {
    let root = match yaml::parse::<Option<Spanned<Node>>>(doc) {
        Err(problem) => return (None, vec![problem]),
        Ok(None) => return (Some(RawConnector::default()), Vec::new()),
        Ok(Some(root)) => root,
    };
    let mut reader = Reader::new(doc);
    let record = read(&root, &mut reader);
    (record, reader.diagnostics)
}

/// The record in `root`, with every shape problem in `reader`; `None` when the document is
/// not a mapping of fields at all.
pub fn read(root: &Spanned<Node>, reader: &mut Reader) -> Option<RawConnector> {
    let map = reader.mapping("", root, FIELDS, "`name: Acme Orders` on its own line")?;
    let mut screenshots = Vec::new();
    for item in reader.list(&map, "screenshots") {
        let example = "`- file: screenshots/orders.png` with `caption:` under it";
        if let Some(m) = reader.mapping("screenshots", item, SCREENSHOT_FIELDS, example) {
            screenshots.push(RawScreenshot {
                file: reader.text(&m, "file"),
                caption: reader.text(&m, "caption"),
            });
        }
    }
    let developer = reader
        .nested(
            &map,
            "developer",
            DEVELOPER_FIELDS,
            "`name:` and `email:` indented under `developer:`",
        )
        .map(|(node, m)| {
            spanned(
                node,
                RawDeveloper {
                    name: reader.text(&m, "name"),
                    email: reader.text(&m, "email"),
                    company_profile: reader.text(&m, "company_profile"),
                    website: reader.text(&m, "website"),
                },
            )
        });
    let support = reader
        .nested(
            &map,
            "support",
            SUPPORT_FIELDS,
            "`email:` or `url:` indented under `support:`",
        )
        .map(|(node, m)| {
            spanned(
                node,
                RawSupport {
                    email: reader.text(&m, "email"),
                    url: reader.text(&m, "url"),
                    response_time: reader.text(&m, "response_time"),
                },
            )
        });
    let authentication = reader
        .nested(
            &map,
            "authentication",
            AUTHENTICATION_FIELDS,
            "`type: oauth2` indented under `authentication:`",
        )
        .map(|(node, m)| {
            spanned(
                node,
                RawAuthentication {
                    kind: reader.text(&m, "type"),
                    notes: reader.text(&m, "notes"),
                },
            )
        });
    let mut endpoints = Vec::new();
    for item in reader.list(&map, "endpoints") {
        let example = "`- name: Orders` with `method:`, `path:` and `direction:` under it";
        if let Some(m) = reader.mapping("endpoints", item, ENDPOINT_FIELDS, example) {
            endpoints.push(spanned(
                item,
                RawEndpoint {
                    name: reader.text(&m, "name"),
                    method: reader.text(&m, "method"),
                    path: reader.text(&m, "path"),
                    direction: reader.text(&m, "direction"),
                    description: reader.text(&m, "description"),
                },
            ));
        }
    }
    let compliance = reader
        .nested(&map, "compliance", COMPLIANCE_FIELDS, "`privacy_policy:`, `terms:`, `data_residency:` or `gdpr:` indented under `compliance:`")
        .map(|(_, m)| RawCompliance {
            privacy_policy: reader.text(&m, "privacy_policy"),
            terms: reader.text(&m, "terms"),
            data_residency: reader.texts(&m, "data_residency"),
            gdpr: reader.boolean(&m, "gdpr"),
        });
    let links = reader
        .nested(
            &map,
            "links",
            LINKS_FIELDS,
            "`website:` or `documentation:` indented under `links:`",
        )
        .map(|(_, m)| RawLinks {
            website: reader.text(&m, "website"),
            documentation: reader.text(&m, "documentation"),
        });
    let mut changelog = Vec::new();
    for item in reader.list(&map, "changelog") {
        let example = "`- version: 1.0.0` with `date:` and `notes:` under it";
        if let Some(m) = reader.mapping("changelog", item, CHANGE_FIELDS, example) {
            changelog.push(spanned(
                item,
                RawChange {
                    version: reader.text(&m, "version"),
                    date: reader.text(&m, "date"),
                    notes: reader.text(&m, "notes"),
                    breaking: reader.boolean(&m, "breaking"),
                    migration: reader.text(&m, "migration"),
                },
            ));
        }
    }
    Some(RawConnector {
        name: reader.text(&map, "name"),
        status: reader.text(&map, "status"),
        summary: reader.text(&map, "summary"),
        category: reader.text(&map, "category"),
        tags: reader.texts(&map, "tags"),
        systems: reader.texts(&map, "systems"),
        version: reader.text(&map, "version"),
        logo: reader.text(&map, "logo"),
        screenshots,
        demo_video: reader.text(&map, "demo_video"),
        developer,
        support,
        authentication,
        endpoints,
        compliance,
        links,
        expected_completion: reader.text(&map, "expected_completion"),
        approved_on: reader.text(&map, "approved_on"),
        last_reviewed: reader.text(&map, "last_reviewed"),
        changelog,
        aliases: reader.texts(&map, "aliases"),
        badges: reader.texts(&map, "badges"),
        replaced_by: reader.text(&map, "replaced_by"),
        sunset: reader.text(&map, "sunset"),
    })
}

fn spanned<T>(node: &Spanned<Node>, value: T) -> Spanned<T> {
    Spanned::new(value, node.referenced, node.defined)
}
