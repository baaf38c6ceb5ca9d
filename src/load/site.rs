//! `site.yaml` as written. It belongs to the marketplace team, but is still checked with the
//! same care: a typo in it must be reported, not ignored.

use schemars::JsonSchema;
use serde::Deserialize;

use super::record::Text;
use super::yaml::Spanned;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "site.yaml", description = "The settings of a marketgen marketplace.", extend("required" = ["title", "base_url", "categories"]))]
pub struct RawSite {
    #[schemars(with = "Option<String>")]
    pub title: Text,
    #[schemars(with = "Option<String>")]
    pub base_url: Text,
    #[schemars(with = "Option<String>")]
    pub description: Text,
    #[schemars(with = "Option<String>")]
    pub theme: Text,
    /// The pages' language, a BCP 47 tag such as `en`, `de` or `pt-BR` (`en` by default):
    /// written as `<html lang>`, the language screen readers read the pages in and browsers
    /// offer to translate from. Nothing else depends on it.
    #[schemars(with = "Option<String>")]
    pub language: Text,
    #[serde(default)]
    #[schemars(with = "Vec<RawCategory>")]
    pub categories: Vec<Spanned<RawCategory>>,
    pub review: Option<RawReview>,
    pub markdown: Option<RawMarkdown>,
    pub limits: Option<Limits>,
    /// Connectors the home page shows first, by slug, in this order.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub featured: Vec<Spanned<String>>,
    /// The badges records may hold: the marketplace team's vocabulary, like `categories`.
    #[serde(default)]
    #[schemars(with = "Vec<RawBadge>")]
    pub badges: Vec<Spanned<RawBadge>>,
    /// Where a visitor installs a connector, an https address with `{slug}` where the
    /// connector's slug goes: each listed connector's page and card lead with it.
    #[schemars(with = "Option<String>")]
    pub install_url: Text,
}

impl RawSite {
    /// The caps `site` sets: the defaults where it sets none, or could not be read.
    pub fn limits(site: Option<&RawSite>) -> Limits {
        site.and_then(|s| s.limits).unwrap_or_default()
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["slug", "name"]))]
pub struct RawBadge {
    #[schemars(with = "Option<String>")]
    pub slug: Text,
    #[schemars(with = "Option<String>")]
    pub name: Text,
    /// What the badge vouches for, shown beside it on connector pages.
    #[schemars(with = "Option<String>")]
    pub description: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    #[schemars(with = "Option<String>")]
    pub slug: Text,
    #[schemars(with = "Option<String>")]
    pub name: Text,
    #[schemars(with = "Option<String>")]
    pub description: Text,
    /// An icon of the theme's `icons/` folder, by name (`ecommerce` for `icons/ecommerce.svg`);
    /// by default the one named like the category's slug, else `category`.
    #[schemars(with = "Option<String>")]
    pub icon: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    pub stale_after_days: Option<u32>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMarkdown {
    #[schemars(with = "Option<String>")]
    pub raw_html: Text,
    /// Hosts whose images docs may show, such as `images.acme.example` (https only).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub image_hosts: Vec<Spanned<String>>,
}

/// Caps on content files, in KiB and pixels. Images are checked by their headers against
/// `image_px` and `image_megapixels` before anything decodes them; a raster logo within them
/// is published as small copies for its slots, whatever its size.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub record_kib: u64,
    pub doc_kib: u64,
    pub svg_kib: u64,
    pub image_kib: u64,
    /// The longest side of a raster image, in pixels.
    pub image_px: u32,
    /// The area of a raster image, in millions of pixels: what decoding a logo may allocate.
    pub image_megapixels: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            record_kib: 64,
            doc_kib: 1024,
            svg_kib: 256,
            image_kib: 2048,
            image_px: 10_000,
            image_megapixels: 25,
        }
    }
}
