//! `connector.yaml` as written: every field optional and spanned, so that `validate` can report
//! all missing or malformed fields of a record at once, each at its own line.
//!
//! Unknown fields are refused here (`deny_unknown_fields`): the parser names them with a "did
//! you mean" suggestion. No value is interpreted here; that is `validate`'s job.

use schemars::JsonSchema;
use serde::Deserialize;

use super::yaml::Spanned;

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
];

#[derive(Debug, Default, Deserialize, JsonSchema)]
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
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(extend("required" = ["file", "caption"]))]
#[serde(deny_unknown_fields)]
pub struct RawScreenshot {
    #[schemars(with = "Option<String>")]
    pub file: Text,
    #[schemars(with = "Option<String>")]
    pub caption: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSupport {
    #[schemars(with = "Option<String>", extend("pattern" = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"))]
    pub email: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub url: Text,
    #[schemars(with = "Option<String>")]
    pub response_time: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuthentication {
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>", extend("enum" = ["oauth2", "api_key", "basic", "bearer", "custom", "none"]))]
    pub kind: Text,
    #[schemars(with = "Option<String>")]
    pub notes: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
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

#[derive(Debug, Deserialize, JsonSchema)]
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLinks {
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub website: Text,
    #[schemars(with = "Option<String>", extend("pattern" = "^https?://"))]
    pub documentation: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(extend("required" = ["version", "date", "notes"]))]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    #[schemars(with = "Option<String>", extend("pattern" = SEMVER_PATTERN))]
    pub version: Text,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub date: Text,
    #[schemars(with = "Option<String>")]
    pub notes: Text,
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
