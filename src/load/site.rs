//! `site.yaml` as written. It belongs to the marketplace team, but is still checked with the
//! same care: a typo in it must be reported, not ignored.

use serde::Deserialize;

use super::record::Text;
use super::yaml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Text,
    pub base_url: Text,
    pub description: Text,
    pub theme: Text,
    pub language: Text,
    #[serde(default)]
    pub categories: Vec<Spanned<RawCategory>>,
    pub review: Option<RawReview>,
    pub markdown: Option<RawMarkdown>,
    pub limits: Option<Limits>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub slug: Text,
    pub name: Text,
    pub description: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    pub stale_after_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarkdown {
    pub raw_html: Text,
}

/// Caps on content files, in KiB and pixels.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub record_kib: u64,
    pub doc_kib: u64,
    pub svg_kib: u64,
    pub image_kib: u64,
    pub image_px: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            record_kib: 64,
            doc_kib: 1024,
            svg_kib: 256,
            image_kib: 2048,
            image_px: 4096,
        }
    }
}
