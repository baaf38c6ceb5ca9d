//! `connector.yaml` as written: every field optional and spanned, so that `validate` can report
//! all missing or malformed fields of a record at once, each at its own line.
//!
//! Unknown fields are refused here (`deny_unknown_fields`): the parser names them with a "did
//! you mean" suggestion. No value is interpreted here; that is `validate`'s job.

use serde::Deserialize;

use super::yaml::Spanned;

pub type Text = Option<Spanned<String>>;

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConnector {
    pub name: Text,
    pub status: Text,
    pub summary: Text,
    pub category: Text,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub systems: Vec<Spanned<String>>,
    pub version: Text,
    pub logo: Text,
    #[serde(default)]
    pub screenshots: Vec<RawScreenshot>,
    pub demo_video: Text,
    pub developer: Option<Spanned<RawDeveloper>>,
    pub support: Option<Spanned<RawSupport>>,
    pub authentication: Option<Spanned<RawAuthentication>>,
    #[serde(default)]
    pub endpoints: Vec<Spanned<RawEndpoint>>,
    pub compliance: Option<RawCompliance>,
    pub links: Option<RawLinks>,
    pub expected_completion: Text,
    pub approved_on: Text,
    pub last_reviewed: Text,
    #[serde(default)]
    pub changelog: Vec<Spanned<RawChange>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScreenshot {
    pub file: Text,
    pub caption: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeveloper {
    pub name: Text,
    /// Private: for the partner manager only.
    pub email: Text,
    /// Private: the platform dashboard company profile.
    pub company_profile: Text,
    pub website: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSupport {
    pub email: Text,
    pub url: Text,
    pub response_time: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthentication {
    #[serde(rename = "type")]
    pub kind: Text,
    pub notes: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    pub name: Text,
    pub method: Text,
    pub path: Text,
    pub direction: Text,
    pub description: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompliance {
    pub privacy_policy: Text,
    pub terms: Text,
    #[serde(default)]
    pub data_residency: Vec<Spanned<String>>,
    pub gdpr: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLinks {
    pub website: Text,
    pub documentation: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub version: Text,
    pub date: Text,
    pub notes: Text,
}

/// Front matter of a Markdown page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Text,
    pub description: Text,
    pub weight: Option<i64>,
}
