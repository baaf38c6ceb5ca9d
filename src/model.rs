//! The validated catalogue: what `validate` produces and `render` consumes.
//!
//! Values here are checked and typed, but still complete: a [`Connector`] keeps its private
//! fields. Only `render::view` may turn it into the public view that templates and JSON see.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::site::Limits;
pub use crate::markdown::RawHtml;

#[derive(Debug, Clone)]
pub struct Catalog {
    pub site: Site,
    pub home: Option<Page>,
    /// Every record whose status is known, listed or not, sorted by slug.
    pub connectors: Vec<Connector>,
    /// The guide's landing page (`guide/_index.md`).
    pub guide_index: Option<Page>,
    /// The other guide pages, by weight then name.
    pub guide: Vec<Page>,
}

impl Catalog {
    /// The published records: approved and deprecated.
    pub fn listed(&self) -> impl Iterator<Item = &Connector> {
        self.connectors.iter().filter(|c| c.status.is_listed())
    }

    /// The record of `slug`, found by binary search: connectors are sorted by slug.
    pub fn connector(&self, slug: &str) -> Option<&Connector> {
        let i = self
            .connectors
            .binary_search_by(|c| c.slug.as_str().cmp(slug))
            .ok()?;
        self.connectors.get(i)
    }
}

/// What `install_url` holds where the connector's slug goes.
pub const INSTALL_SLUG: &str = "{slug}";

#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending with `/`: every internal link
    /// starts with it so a site under a sub-path works.
    pub base_path: String,
    pub description: String,
    pub language: String,
    pub categories: Vec<Category>,
    pub stale_after_days: u32,
    pub raw_html: RawHtml,
    /// Hosts whose images docs may show (`markdown.image_hosts`); the CSP allows them.
    pub image_hosts: Vec<String>,
    pub limits: Limits,
    /// The slugs of the connectors the home page shows first (`featured`), each a folder of
    /// the site; one that is not listed is not shown.
    pub featured: Vec<String>,
    /// The badges records may hold (`badges`), in site.yaml's order.
    pub badges: Vec<Badge>,
    /// Where a connector is installed (`install_url`): an https address with `{slug}` in it,
    /// which [`Site::install_url`] fills in.
    pub install_url: Option<String>,
    /// Where the settings come from.
    pub settings: Settings,
}

/// Where a site's settings come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settings {
    /// site.yaml, as written.
    File,
    /// The built-in settings of a lone connector folder (`load::DEFAULT_SITE`), not a
    /// site.yaml: help texts name them as such.
    BuiltIn,
    /// site.yaml could not be read (its diagnostic says why): defaults stand in, and content
    /// is judged by the settings only once it reads, so that one typo in site.yaml is not
    /// reported again as a problem of every record.
    Unreadable,
}

impl Site {
    /// The address that installs the connector `slug`, when the site has one.
    pub fn install_url(&self, slug: &str) -> Option<String> {
        let template = self.install_url.as_deref()?;
        Some(template.replace(INSTALL_SLUG, slug))
    }

    /// What the site's settings let content do.
    pub fn policy(&self) -> ContentPolicy {
        ContentPolicy {
            limits: self.limits,
            raw_html: self.raw_html,
            image_hosts: self.image_hosts.clone(),
            badges: self.badges.clone(),
        }
    }

    /// The site with `policy` in place of what its own settings let content do.
    pub fn with_policy(self, policy: ContentPolicy) -> Site {
        Site {
            limits: policy.limits,
            raw_html: policy.raw_html,
            image_hosts: policy.image_hosts,
            badges: policy.badges,
            ..self
        }
    }
}

/// The settings of site.yaml that bound what content may do: the size and pixel caps, what
/// author HTML becomes, the hosts docs may show images from and the badges records may hold.
/// Under `check --base REV` and `diff REV` the revision's policy judges the working tree's
/// content, so that a pull request cannot set the rules it is judged by.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentPolicy {
    pub limits: Limits,
    pub raw_html: RawHtml,
    pub image_hosts: Vec<String>,
    pub badges: Vec<Badge>,
}

/// A badge of the team's vocabulary: what the marketplace vouches for, such as "Certified".
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    /// The theme's icon, by name (`icons/<name>.svg`); `None` when the theme has none.
    pub icon: Option<String>,
}

/// A Markdown page: a connector doc, a guide page or the home intro, analysed once.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The file name without `.md`.
    pub name: String,
    pub title: String,
    /// What navigation calls the page: `sidebar_label`, else the title.
    pub nav_title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub body: crate::markdown::Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Intent,
    InDevelopment,
    Submitted,
    InReview,
    Approved,
    Rejected,
    Deprecated,
}

impl Status {
    pub const ALL: [(&'static str, Status); 7] = [
        ("intent", Status::Intent),
        ("in-development", Status::InDevelopment),
        ("submitted", Status::Submitted),
        ("in-review", Status::InReview),
        ("approved", Status::Approved),
        ("rejected", Status::Rejected),
        ("deprecated", Status::Deprecated),
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.iter().find(|(n, _)| *n == s).map(|(_, st)| *st)
    }

    pub fn name(self) -> &'static str {
        Status::ALL
            .iter()
            .find(|(_, st)| *st == self)
            .map_or("", |(n, _)| n)
    }

    /// Published on the public site.
    pub fn is_listed(self) -> bool {
        matches!(self, Status::Approved | Status::Deprecated)
    }
}

/// A connector's documentation: checked pages, read and dropped one connector at a time.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    /// `docs/index.md`, shown on the connector's page.
    pub overview: Option<Page>,
    /// The other pages, by weight then name.
    pub pages: Vec<Page>,
}

/// The names of the docs pages among a connector folder's files (`docs/<name>.md`), whether
/// or not they parse: a page with broken front matter has its own diagnostic, and links to it
/// are not broken.
pub fn doc_names<'a>(files: impl IntoIterator<Item = &'a String>) -> impl Iterator<Item = String> {
    files
        .into_iter()
        .filter_map(|f| f.strip_prefix("docs/")?.strip_suffix(".md"))
        .filter(|name| !name.contains('/'))
        .map(str::to_string)
}

#[derive(Debug, Clone)]
pub struct Connector {
    pub slug: String,
    /// The folder, relative to the site root.
    pub dir: PathBuf,
    pub status: Status,
    pub name: String,
    pub summary: String,
    pub category: String,
    pub tags: Vec<String>,
    pub systems: Vec<String>,
    pub version: Option<semver::Version>,
    /// A file in the folder, relative to it.
    pub logo: Option<String>,
    pub screenshots: Vec<Screenshot>,
    pub demo_video: Option<String>,
    pub developer: Developer,
    pub support: Support,
    pub authentication: Option<Authentication>,
    pub endpoints: Vec<Endpoint>,
    pub compliance: Option<Compliance>,
    pub links: Links,
    pub expected_completion: Option<NaiveDate>,
    /// `None` when the record gives none, or a date after the build day.
    pub approved_on: Option<NaiveDate>,
    /// The newest date the record mentions that is not after the build day: its approval or
    /// its latest change. Listings and feeds order by it.
    pub updated_on: Option<NaiveDate>,
    pub last_reviewed: Option<NaiveDate>,
    pub changelog: Vec<Change>,
    /// Old slugs, each a valid slug: their addresses redirect to this connector's page.
    pub aliases: Vec<String>,
    /// Slugs of the site's badges the record holds, each once, in the record's order.
    pub badges: Vec<String>,
    /// Deprecated records only: the listed connector that replaces it. The record names a
    /// slug; the catalogue-wide pass of `validate` adds the name, and leaves `None` when the
    /// slug names no listed connector.
    pub replaced_by: Option<Replacement>,
    /// Deprecated records only: the day it stops working.
    pub sunset: Option<NaiveDate>,
    /// Every file in the folder, relative to it.
    pub files: BTreeSet<String>,
}

/// The connector that replaces a deprecated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Screenshot {
    pub file: String,
    pub caption: String,
}

#[derive(Debug, Clone, Default)]
pub struct Developer {
    pub name: String,
    /// Private.
    pub email: String,
    /// Private.
    pub company_profile: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Support {
    pub email: Option<String>,
    pub url: Option<String>,
    pub response_time: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Authentication {
    #[serde(rename = "type")]
    pub kind: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub name: String,
    pub method: String,
    pub path: String,
    pub direction: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Compliance {
    pub privacy_policy: Option<String>,
    pub terms: Option<String>,
    pub data_residency: Vec<String>,
    pub gdpr: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Links {
    pub website: Option<String>,
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub version: semver::Version,
    pub date: NaiveDate,
    pub notes: String,
    /// The notes' Markdown, analysed: what the connector's page shows.
    #[serde(skip)]
    pub notes_body: crate::markdown::Document,
    /// The release breaks something existing setups rely on (`breaking: true`).
    pub breaking: bool,
    /// The docs page (its name, `index` for the overview) that says how to migrate.
    pub migration: Option<String>,
}

/// The kinds of file a connector may publish besides its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Svg,
    Png,
    Webp,
    Jpeg,
    Gif,
}

impl MediaKind {
    pub const EXTENSIONS: &'static str = "svg, png, webp, jpg, jpeg, gif";

    /// The kind a file name claims by its extension.
    pub fn of(path: &str) -> Option<MediaKind> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "svg" => MediaKind::Svg,
            "png" => MediaKind::Png,
            "webp" => MediaKind::Webp,
            "jpg" | "jpeg" => MediaKind::Jpeg,
            "gif" => MediaKind::Gif,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            MediaKind::Svg => "an SVG image",
            MediaKind::Png => "a PNG image",
            MediaKind::Webp => "a WebP image",
            MediaKind::Jpeg => "a JPEG image",
            MediaKind::Gif => "a GIF image",
        }
    }
}

/// A checked image, ready to publish: SVGs re-serialised, rasters as they came.
#[derive(Debug, Clone)]
pub struct Media {
    pub bytes: Arc<[u8]>,
    pub width: u32,
    pub height: u32,
}

/// The sizes in pixels of the copies a raster logo is published as, one for each slot of the
/// default theme at twice its CSS size for high-density screens: the catalogue card's 48 px
/// (and the compare page's 40 px), and the connector page's 96 px.
pub const LOGO_COPIES: [u32; 2] = [96, 192];

/// One connector's checked images, made in the per-connector pass and dropped after it.
#[derive(Debug, Clone, Default)]
pub struct ConnectorMedia {
    /// The folder's images by relative path, as they may be published.
    pub files: BTreeMap<String, Media>,
    /// A raster logo's copies, PNG, by the size they fit in ([`LOGO_COPIES`]); empty for an
    /// SVG logo, which is published as re-serialised.
    pub logo_copies: Vec<(u32, Vec<u8>)>,
}

impl ConnectorMedia {
    /// The width and height of each image, all that the site-wide files need of them.
    pub fn sizes(&self) -> BTreeMap<String, (u32, u32)> {
        self.files
            .iter()
            .map(|(name, m)| (name.clone(), (m.width, m.height)))
            .collect()
    }
}
