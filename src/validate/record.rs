//! One connector record: the rules of the content contract for `connector.yaml`, from the raw
//! spanned record to a checked [`Connector`]. Pure: file existence comes from the folder listing
//! that `load` made.

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::load::ConnectorSource;
use crate::load::record::{RawConnector, RawScreenshot, Text};
use crate::load::yaml::{Embedded, Spanned};
use crate::model::{
    Authentication, Change, Compliance, Connector, Developer, Endpoint, Links, Replacement,
    Screenshot, Settings, Status, Support,
};

use super::fields::Fields;
use super::{Context, formats};
use crate::paths;

pub const AUTH_TYPES: &[&str] = &["oauth2", "api_key", "basic", "bearer", "custom", "none"];
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
pub const DIRECTIONS: &[&str] = &["source", "destination", "both"];
const LOGO_TYPES: &[&str] = &["svg", "png", "webp"];
const SCREENSHOT_TYPES: &[&str] = &["png", "webp", "jpg", "jpeg"];
/// The most old slugs a record may keep: each is a redirect page and an address taken from
/// every other connector, so hundreds of them would squat names and multiply the output.
pub const MAX_ALIASES: usize = 20;

/// Checks one record. `None` when it cannot be built at all (no record, a required field
/// missing or unknown status); the diagnostics then say why.
pub fn check(source: &ConnectorSource, cx: &Context) -> (Option<Connector>, Vec<Diagnostic>) {
    let (Some(file), Some(raw)) = (&source.record_file, &source.record) else {
        return (None, Vec::new());
    };
    let doc = Embedded {
        file: &file.path,
        file_text: &file.text,
        offset: 0,
        yaml: &file.text,
    };
    let mut record = Record {
        f: Fields::new(doc),
        source,
        cx,
    };
    let connector = record.connector(raw);
    (connector, record.f.diagnostics)
}

struct Record<'a> {
    f: Fields<'a>,
    source: &'a ConnectorSource,
    cx: &'a Context<'a>,
}

impl Record<'_> {
    fn connector(&mut self, raw: &RawConnector) -> Option<Connector> {
        self.check_slug();
        let status = self.status(raw);
        let listed = status.is_some_and(Status::is_listed) || self.cx.as_listed;
        let name = self.name(raw);
        let summary = self.f.required_text(
            "summary",
            &raw.summary,
            160,
            None,
            "add one plain sentence of at most 160 characters, such as `summary: Sync orders with Shopify.`",
        );
        let category = self.category(raw);
        let tags = self.tags(raw);
        let systems = raw
            .systems
            .iter()
            .filter_map(|s| self.f.text("systems", &Some(s.clone()), 60))
            .collect();
        self.require_listed(
            listed,
            "version",
            &raw.version,
            "add the released version, such as `version: 1.0.0`",
        );
        let version = self.f.semver("version", &raw.version);
        let logo = self.logo(raw, listed);
        let screenshots = raw
            .screenshots
            .iter()
            .filter_map(|s| self.screenshot(s))
            .collect();
        let demo_video = self.f.url("demo_video", &raw.demo_video, true);
        let developer = self.developer(raw);
        let support = self.support(raw, listed);
        let authentication = self.authentication(raw, listed);
        let endpoints = self.endpoints(raw, listed);
        let compliance = self.compliance(raw);
        let links = Links {
            website: raw
                .links
                .as_ref()
                .and_then(|l| self.f.url("links.website", &l.website, false)),
            documentation: raw
                .links
                .as_ref()
                .and_then(|l| self.f.url("links.documentation", &l.documentation, false)),
        };
        let expected_completion = self.expected_completion(raw, status);
        // The team sets it when it approves: `check --ready` does not ask the developer for it.
        self.require_listed(
            status.is_some_and(Status::is_listed),
            "approved_on",
            &raw.approved_on,
            "add the date the connector was approved, such as `approved_on: 2025-03-01`",
        );
        let approved_on = self.past_date("approved_on", &raw.approved_on);
        let last_reviewed = self.last_reviewed(raw, listed);
        let (changelog, changed_on) = self.changelog(raw, version.as_ref());
        let badges = self.badges(raw);
        let (replaced_by, sunset) = self.retirement(raw, status);
        let updated_on = changed_on.max(approved_on);
        let aliases = self.aliases(raw);
        Some(Connector {
            slug: self.source.slug.clone(),
            dir: self.source.dir.clone(),
            status: status?,
            name: name?,
            summary: summary?,
            category: category?,
            tags,
            systems,
            version,
            logo,
            screenshots,
            demo_video,
            developer: developer?,
            support,
            authentication,
            endpoints,
            compliance,
            links,
            expected_completion,
            approved_on,
            updated_on,
            last_reviewed,
            changelog,
            aliases,
            badges,
            replaced_by,
            sunset,
            files: self.source.files.clone(),
        })
    }

    fn require_listed(&mut self, listed: bool, field: &str, value: &Text, help: &str) {
        if listed && value.is_none() {
            self.f.missing(
                field,
                None,
                format!("{help}; approved and deprecated connectors must have it"),
            );
        }
    }

    /// The old slugs, held to the rule of folder names: each becomes a folder of the output.
    /// Two records claiming one address is an `output-collision`, which `outputs` reports.
    fn aliases(&mut self, raw: &RawConnector) -> Vec<String> {
        let mut aliases: Vec<String> = Vec::new();
        if let Some(extra) = raw.aliases.get(MAX_ALIASES) {
            self.f.error(
                "too-many-aliases",
                extra,
                format!(
                    "the record lists {} aliases, more than {MAX_ALIASES}",
                    raw.aliases.len()
                ),
                format!("alias {} of at most {MAX_ALIASES}", MAX_ALIASES + 1),
                "keep the old folder names that links still use: each alias is a page of the site and an address no other connector can take",
            );
        }
        for alias in &raw.aliases {
            let slug = &alias.value;
            if paths::is_windows_reserved(slug) {
                self.f.error(
                    "reserved-name",
                    alias,
                    format!("the alias `{slug}` is reserved on Windows"),
                    "reserved name",
                    "leave it out: a folder so named breaks every Windows checkout of the site",
                );
            } else if !formats::is_slug(slug) {
                self.f.error(
                    "invalid-alias",
                    alias,
                    format!("the alias `{}` is not a valid slug", slug.escape_debug()),
                    "not a slug",
                    "write the old folder name: lowercase letters, digits and single hyphens, such as `acme-crm`",
                );
            } else if aliases.contains(slug) {
                self.f.warning(
                    "duplicate-alias",
                    alias,
                    format!("the alias `{slug}` is listed twice"),
                    "repeated",
                    "remove the repeated alias",
                );
            } else {
                aliases.push(slug.clone());
            }
        }
        aliases
    }

    fn check_slug(&mut self) {
        let slug = &self.source.slug;
        if paths::is_windows_reserved(slug) {
            let file = self.f.doc.file;
            self.f.diagnostics.push(
                Diagnostic::error("reserved-name", format!("the folder name `{slug}` is reserved on Windows"))
                    .at(file, 0..0, "in this connector's folder")
                    .with_help("rename the folder: a folder so named breaks every Windows checkout of the site"),
            );
        } else if !formats::is_slug(slug) {
            let file = self.f.doc.file;
            self.f.diagnostics.push(
                Diagnostic::error("invalid-slug", format!("the folder name `{slug}` is not a valid slug"))
                    .at(file, 0..0, "in this connector's folder")
                    .with_help("rename the folder using lowercase letters, digits and single hyphens, such as `acme-crm`"),
            );
        }
    }

    fn status(&mut self, raw: &RawConnector) -> Option<Status> {
        let names: Vec<&str> = Status::ALL.iter().map(|(n, _)| *n).collect();
        if raw.status.is_none() {
            self.f.missing(
                "status",
                None,
                format!("add `status:`, one of {}", names.join(", ")),
            );
        }
        let status = self.f.one_of("status", &raw.status, &names)?;
        Status::parse(&status)
    }

    fn name(&mut self, raw: &RawConnector) -> Option<String> {
        let name = self.f.required_text(
            "name",
            &raw.name,
            60,
            None,
            "add the connector's display name, such as `name: Shopify`",
        )?;
        if let Some(spanned) = raw.name.as_ref().filter(|_| name.chars().count() < 2) {
            self.f.error(
                "too-short",
                spanned,
                "`name` is shorter than 2 characters",
                "at least 2 characters",
                "write the connector's full display name",
            );
        }
        Some(name)
    }

    fn category(&mut self, raw: &RawConnector) -> Option<String> {
        let slugs: Vec<&str> = self
            .cx
            .site
            .categories
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        // A lone folder checked with the built-in settings has no site.yaml to look in.
        let built_in = self.cx.site.settings == Settings::BuiltIn;
        let (listed_in, not_listed) = match built_in {
            true => ("the default categories", "not a default category"),
            false => (
                "the categories in site.yaml",
                "not in site.yaml's categories",
            ),
        };
        if raw.category.is_none() {
            self.f.missing(
                "category",
                None,
                format!("add `category:`, one of {listed_in}: {}", slugs.join(", ")),
            );
            return None;
        }
        let category = self.f.text("category", &raw.category, 60)?;
        // Without a vocabulary (site.yaml is broken, and says so) every category would be wrong.
        if slugs.is_empty() || slugs.contains(&category.as_str()) {
            return Some(category);
        }
        let help = match (crate::load::yaml::suggest(&category, &slugs), built_in) {
            (Some(close), false) => {
                format!("did you mean `{close}`? categories are listed in site.yaml")
            }
            (Some(close), true) => format!("did you mean `{close}`?"),
            (None, _) => format!("use one of {listed_in}: {}", slugs.join(", ")),
        };
        let spanned = raw.category.as_ref()?;
        self.f.error(
            "unknown-category",
            spanned,
            format!("`{category}` is not a category of this marketplace"),
            not_listed,
            help,
        );
        None
    }

    /// `replaced_by` and `sunset`, which only a deprecated record may have: on a live listing
    /// they would announce the end of a connector people are still choosing. The replacement
    /// is looked up by the catalogue-wide pass (`validate::replacements`), which adds its name.
    fn retirement(
        &mut self,
        raw: &RawConnector,
        status: Option<Status>,
    ) -> (Option<Replacement>, Option<NaiveDate>) {
        // Whether it names a listed connector is for the catalogue-wide pass to say.
        let slug = self.f.text("replaced_by", &raw.replaced_by, 60);
        let sunset = self.f.date("sunset", &raw.sunset);
        if status.is_some_and(|s| s != Status::Deprecated) {
            for (field, value) in [("replaced_by", &raw.replaced_by), ("sunset", &raw.sunset)] {
                if let Some(value) = value {
                    self.f.error(
                        "not-deprecated",
                        value,
                        format!("`{field}` is only for deprecated connectors"),
                        "the record is not deprecated",
                        format!("set `status: deprecated` when the connector is retired, or remove `{field}`"),
                    );
                }
            }
            return (None, None);
        }
        if let (Some(date), Some(value)) = (sunset, &raw.sunset)
            && formats::days(date) < self.cx.today
        {
            self.f.warning(
                "sunset-passed",
                value,
                format!("the sunset, {date}, has passed"),
                "before the day of this build",
                "the connector no longer works: remove the listing, or move the date if support goes on",
            );
        }
        let replacement = slug.map(|slug| Replacement {
            slug,
            name: String::new(),
        });
        (replacement, sunset)
    }

    /// `badges`: slugs of site.yaml's vocabulary. Unlike a category, a badge is optional, so a
    /// site without a vocabulary makes every badge unknown; except for a folder checked on
    /// its own with settings that define none (the built-in ones), and a site.yaml that cannot
    /// be read (its own error comes first), which cannot tell.
    fn badges(&mut self, raw: &RawConnector) -> Vec<String> {
        let slugs: Vec<&str> = self
            .cx
            .site
            .badges
            .iter()
            .map(|b| b.slug.as_str())
            .collect();
        let mut badges: Vec<String> = Vec::new();
        for spanned in &raw.badges {
            let Some(badge) = self.f.text("badges", &Some(spanned.clone()), 60) else {
                continue;
            };
            if badges.contains(&badge) {
                self.f.warning(
                    "duplicate-badge",
                    spanned,
                    format!("the badge `{badge}` is listed twice"),
                    "repeated",
                    "remove the repeated badge",
                );
            } else if slugs.contains(&badge.as_str())
                || (slugs.is_empty()
                    && (self.cx.lone || self.cx.site.settings == Settings::Unreadable))
            {
                badges.push(badge);
            } else {
                let valid = match slugs.is_empty() {
                    true => "site.yaml defines no badges: the marketplace team adds them under `badges:`".to_string(),
                    false => format!("the badges in site.yaml are: {}", slugs.join(", ")),
                };
                let help = match crate::load::yaml::suggest(&badge, &slugs) {
                    Some(close) => format!("did you mean `{close}`? {valid}"),
                    None => valid,
                };
                self.f.error(
                    "unknown-badge",
                    spanned,
                    format!(
                        "`{}` is not a badge of this marketplace",
                        badge.escape_debug()
                    ),
                    "not in site.yaml's badges",
                    help,
                );
            }
        }
        badges
    }

    fn tags(&mut self, raw: &RawConnector) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in &raw.tags {
            if !formats::is_slug(&tag.value) {
                self.f.error(
                    "invalid-tag",
                    tag,
                    format!("the tag `{}` is not a lowercase slug", tag.value),
                    "expected lowercase words joined by hyphens",
                    "write tags like `orders` or `purchase-orders`",
                );
            } else if tags.contains(&tag.value) {
                self.f.warning(
                    "duplicate-tag",
                    tag,
                    format!("the tag `{}` is listed twice", tag.value),
                    "repeated",
                    "remove the repeated tag",
                );
            } else {
                tags.push(tag.value.clone());
            }
        }
        tags
    }

    /// A file referenced from the record: a safe relative path to a file that exists.
    fn file(&mut self, field: &str, value: &Text, types: &[&str]) -> Option<String> {
        let path = self.f.text(field, value, 255)?;
        let spanned = value.as_ref()?;
        if let Some(problem) = paths::problem(&path) {
            self.f.error("unsafe-path", spanned, format!("`{field}` is not a safe relative path: {problem}"), problem, "write a path inside the connector's folder, such as `logo.svg` or `screenshots/orders.png`");
            return None;
        }
        let extension = path
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if !types.contains(&extension.as_str()) {
            self.f.error(
                "file-type",
                spanned,
                format!("`{field}` must be one of: {}", types.join(", ")),
                "unsupported file type",
                format!("convert the file to {}", types.join(" or ")),
            );
            return None;
        }
        if !self.source.files.contains(&path) {
            let help = match crate::load::yaml::suggest(
                &path,
                &self
                    .source
                    .files
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            ) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "add the file to {} or fix the path",
                    self.source.dir.display()
                ),
            };
            self.f.error(
                "missing-file",
                spanned,
                format!("`{path}` does not exist in the connector's folder"),
                "no such file",
                help,
            );
            return None;
        }
        Some(path)
    }

    fn logo(&mut self, raw: &RawConnector, listed: bool) -> Option<String> {
        self.require_listed(
            listed,
            "logo",
            &raw.logo,
            "add `logo: logo.svg` and put the file in the connector's folder",
        );
        self.file("logo", &raw.logo, LOGO_TYPES)
    }

    fn screenshot(&mut self, raw: &RawScreenshot) -> Option<Screenshot> {
        let file = self.file("screenshots.file", &raw.file, SCREENSHOT_TYPES);
        if raw.file.is_none() {
            self.f
                .missing("screenshots.file", None, "give each screenshot a `file:`");
        }
        let caption = self.f.text("screenshots.caption", &raw.caption, 200);
        if let (None, Some(spanned)) = (&raw.caption, &raw.file) {
            self.f.error(
                "missing-field",
                spanned,
                "missing required field `screenshots.caption`",
                "this screenshot has no caption",
                "add `caption:` describing the picture: it is the text screen readers read",
            );
        }
        Some(Screenshot {
            file: file?,
            caption: caption?,
        })
    }

    fn developer(&mut self, raw: &RawConnector) -> Option<Developer> {
        let Some(developer) = &raw.developer else {
            self.f.missing(
                "developer",
                None,
                "add `developer:` with `name:` and `email:` (the email stays private)",
            );
            return None;
        };
        let parent = Some(self.f.range(developer));
        let d = &developer.value;
        let name = self.f.required_text(
            "developer.name",
            &d.name,
            100,
            parent.clone(),
            "add the developer's public name",
        );
        if d.email.is_none() {
            self.f.missing(
                "developer.email",
                parent,
                "add the email the partner manager should use (it is never published)",
            );
        }
        let email = self.f.email("developer.email", &d.email);
        let company_profile = self
            .f
            .text("developer.company_profile", &d.company_profile, 100);
        let website = self.f.url("developer.website", &d.website, false);
        Some(Developer {
            name: name?,
            email: email?,
            company_profile,
            website,
        })
    }

    fn support(&mut self, raw: &RawConnector, listed: bool) -> Support {
        let Some(support) = &raw.support else {
            if listed {
                self.f.missing(
                    "support",
                    None,
                    "add `support:` with an `email:` or a `url:` where customers get help",
                );
            }
            return Support::default();
        };
        let s = &support.value;
        if listed && s.email.is_none() && s.url.is_none() {
            let range = self.f.range(support);
            self.f.missing(
                "support.email",
                Some(range),
                "add `email:` or `url:`: listed connectors need a support contact",
            );
        }
        Support {
            email: self.f.email("support.email", &s.email),
            url: self.f.url("support.url", &s.url, false),
            response_time: self.f.text("support.response_time", &s.response_time, 60),
        }
    }

    fn authentication(&mut self, raw: &RawConnector, listed: bool) -> Option<Authentication> {
        let Some(auth) = &raw.authentication else {
            if listed {
                self.f.missing(
                    "authentication",
                    None,
                    format!(
                        "add `authentication:` with `type:`, one of {}",
                        AUTH_TYPES.join(", ")
                    ),
                );
            }
            return None;
        };
        if auth.value.kind.is_none() {
            let range = self.f.range(auth);
            self.f.missing(
                "authentication.type",
                Some(range),
                format!("add `type:`, one of {}", AUTH_TYPES.join(", ")),
            );
        }
        let kind = self
            .f
            .one_of("authentication.type", &auth.value.kind, AUTH_TYPES)?;
        let notes = self.f.text("authentication.notes", &auth.value.notes, 500);
        Some(Authentication { kind, notes })
    }

    fn endpoints(&mut self, raw: &RawConnector, listed: bool) -> Vec<Endpoint> {
        let empty_list = self
            .f
            .key_line("endpoints", None, |value| value.replace(' ', "") == "[]");
        if let (true, Some(range)) = (listed && raw.endpoints.is_empty(), empty_list) {
            let diagnostic = Diagnostic::error("empty-field", "`endpoints` is an empty list")
                .at(self.f.doc.file, range, "no endpoint listed")
                .with_help("list at least one endpoint with name, method, path and direction; approved and deprecated connectors must have one");
            self.f.diagnostics.push(diagnostic);
        } else if listed && raw.endpoints.is_empty() {
            self.f.missing(
                "endpoints",
                None,
                "list at least one endpoint with name, method, path and direction",
            );
        }
        let mut endpoints = Vec::new();
        for spanned in &raw.endpoints {
            let parent = Some(self.f.range(spanned));
            let e = &spanned.value;
            let name = self.f.required_text(
                "endpoints.name",
                &e.name,
                80,
                parent.clone(),
                "name the endpoint, such as `name: Orders`",
            );
            if e.method.is_none() {
                self.f.missing(
                    "endpoints.method",
                    parent.clone(),
                    format!("add `method:`, one of {}", METHODS.join(", ")),
                );
            }
            let method = self.f.one_of("endpoints.method", &e.method, METHODS);
            let path = self.f.required_text(
                "endpoints.path",
                &e.path,
                300,
                parent.clone(),
                "add the API path, such as `path: /v1/orders`",
            );
            if e.direction.is_none() {
                self.f.missing(
                    "endpoints.direction",
                    parent,
                    format!("add `direction:`, one of {}", DIRECTIONS.join(", ")),
                );
            }
            let direction = self
                .f
                .one_of("endpoints.direction", &e.direction, DIRECTIONS);
            let description = self.f.text("endpoints.description", &e.description, 300);
            if let (Some(name), Some(method), Some(path), Some(direction)) =
                (name, method, path, direction)
            {
                endpoints.push(Endpoint {
                    name,
                    method,
                    path,
                    direction,
                    description,
                });
            }
        }
        endpoints
    }

    fn compliance(&mut self, raw: &RawConnector) -> Option<Compliance> {
        let c = raw.compliance.as_ref()?;
        Some(Compliance {
            privacy_policy: self
                .f
                .url("compliance.privacy_policy", &c.privacy_policy, false),
            terms: self.f.url("compliance.terms", &c.terms, false),
            data_residency: c
                .data_residency
                .iter()
                .filter_map(|r| {
                    self.f
                        .text("compliance.data_residency", &Some(r.clone()), 60)
                })
                .collect(),
            gdpr: c.gdpr,
        })
    }

    fn expected_completion(
        &mut self,
        raw: &RawConnector,
        status: Option<Status>,
    ) -> Option<NaiveDate> {
        if raw.expected_completion.is_none()
            && matches!(status, Some(Status::Intent | Status::InDevelopment))
        {
            let file = self.f.doc.file;
            self.f.diagnostics.push(
                Diagnostic::warning("missing-expected-completion", "the record has no `expected_completion`")
                    .at(file, 0..0, "in this record")
                    .with_help("add the date you expect to submit, such as `expected_completion: 2026-12-01`: the declaration of intent asks for it"),
            );
        }
        self.f.date("expected_completion", &raw.expected_completion)
    }

    /// A date that has happened: one after the build day is a `future-date` warning and is
    /// left out (`None`), so that it can neither lead "newest" nor hide a stale review.
    fn past_date(&mut self, field: &str, value: &Text) -> Option<NaiveDate> {
        let date = self.f.date(field, value)?;
        if formats::days(date) <= self.cx.today {
            return Some(date);
        }
        self.future_date(field, value.as_ref()?, date);
        None
    }

    fn future_date(&mut self, field: &str, value: &Spanned<String>, date: NaiveDate) {
        self.f.warning(
            "future-date",
            value,
            format!("`{field}` is {date}, after the day of this build"),
            "in the future",
            "write the date it happened; until then the record is listed and ordered as though it had no such date",
        );
    }

    fn last_reviewed(&mut self, raw: &RawConnector, listed: bool) -> Option<NaiveDate> {
        let date = self.past_date("last_reviewed", &raw.last_reviewed)?;
        let limit = i64::from(self.cx.site.stale_after_days);
        let age = self.cx.today - formats::days(date);
        if listed && age > limit {
            let spanned = raw.last_reviewed.as_ref()?;
            self.f.warning(
                "stale-review",
                spanned,
                format!("the connector was last reviewed {age} days ago, more than {limit}"),
                "stale",
                "review the connector and update `last_reviewed`",
            );
        }
        Some(date)
    }

    /// The checked entries, and the newest date among them that is not after the build day.
    fn changelog(
        &mut self,
        raw: &RawConnector,
        version: Option<&semver::Version>,
    ) -> (Vec<Change>, Option<NaiveDate>) {
        let mut changes: Vec<Change> = Vec::new();
        // Where each of `changes` gives its version, for warnings about it.
        let mut versions: Vec<&Spanned<String>> = Vec::new();
        let mut changed_on: Option<NaiveDate> = None;
        for spanned in &raw.changelog {
            let parent = Some(self.f.range(spanned));
            let c = &spanned.value;
            if c.version.is_none() {
                self.f.missing(
                    "changelog.version",
                    parent.clone(),
                    "add the version this entry describes",
                );
            }
            let entry_version = self.f.semver("changelog.version", &c.version);
            if c.date.is_none() {
                self.f.missing(
                    "changelog.date",
                    parent.clone(),
                    "add the release date, such as `date: 2026-06-01`",
                );
            }
            let date = self.f.date("changelog.date", &c.date);
            match (date, &c.date) {
                (Some(date), Some(spanned)) if formats::days(date) > self.cx.today => {
                    self.future_date("changelog.date", spanned, date);
                }
                (Some(date), _) => changed_on = changed_on.max(Some(date)),
                _ => {}
            }
            let notes = self.f.required_text(
                "changelog.notes",
                &c.notes,
                1000,
                parent,
                "say what changed",
            );
            if let (Some(previous), Some(date), Some(spanned)) = (changes.last(), date, &c.date)
                && previous.date < date
            {
                self.f.warning(
                    "changelog-order",
                    spanned,
                    "the changelog is not newest first",
                    "newer than the entry above",
                    "list changelog entries newest first",
                );
            }
            let notes_body = notes
                .as_deref()
                .map(|notes| self.notes_markdown(notes, &c.notes))
                .unwrap_or_default();
            let migration = self.migration(&c.migration);
            let breaking = c.breaking == Some(true);
            if let (true, None, Some(spanned)) = (breaking, &c.migration, &c.version) {
                self.f.warning(
                    "breaking-without-migration",
                    spanned,
                    format!("the breaking release {} has no migration page", spanned.value.trim()),
                    "breaking, with no `migration:`",
                    "write a docs page saying what to change, and name it in `migration:`, such as `migration: docs/migrate-v3.md`",
                );
            }
            if let (Some(version), Some(notes), Some(date), Some(spanned)) =
                (entry_version, notes, date, &c.version)
            {
                changes.push(Change {
                    version,
                    date,
                    notes,
                    notes_body,
                    breaking,
                    migration,
                });
                versions.push(spanned);
            }
        }
        self.major_without_breaking(&changes, &versions);
        if let (Some(first), Some(version), Some(spanned)) =
            (changes.first(), version, raw.changelog.first())
            && first.version != *version
        {
            self.f.warning(
                "changelog-version",
                spanned,
                format!(
                    "the newest changelog entry is {}, but the record's version is {version}",
                    first.version
                ),
                "newest entry",
                "add a changelog entry for the current version",
            );
        }
        (changes, changed_on)
    }

    /// The connector's docs as the record's `changelog[]` fields link to them: from the
    /// folder's root (`bundle_in("")`), not from a docs page.
    fn links(&self) -> super::pages::ConnectorLinks {
        super::pages::ConnectorLinks::new(
            self.cx.site,
            &self.source.slug,
            crate::model::doc_names(&self.source.files),
        )
    }

    /// `changelog[].notes`, read as the Markdown its authors write it in (code spans, links
    /// to pull requests and people) by the rule of every docs page, links resolved from the
    /// folder's root as `migration:` is. A problem is reported at the notes (whose text a YAML
    /// scalar may have folded or unquoted) as a warning: notes were text before they were
    /// Markdown, so a refused link costs the link, not the listing.
    fn notes_markdown(&mut self, notes: &str, value: &Text) -> crate::markdown::Document {
        let site = self.cx.site;
        let links = self.links();
        let bundle = links.bundle_in("", site, &self.source.files);
        let source = crate::markdown::Source {
            file: self.f.doc.file,
            text: notes,
            body_offset: 0,
            title: "",
        };
        let (body, diagnostics) =
            crate::markdown::analyse(&source, &bundle, &super::pages::policy(site));
        let at = value.as_ref().map_or(0..0, |v| self.f.range(v));
        for mut diagnostic in diagnostics {
            diagnostic.severity = crate::diag::Severity::Warning;
            for label in &mut diagnostic.labels {
                label.range = at.clone();
            }
            self.f.diagnostics.push(diagnostic);
        }
        body.document
    }

    /// `changelog[].migration`: a docs page of this connector, written as a link from the
    /// folder's root and resolved by the rule of every docs link; its name (`index` for the
    /// overview), or `None` with a diagnostic.
    fn migration(&mut self, value: &Text) -> Option<String> {
        let spanned = value.as_ref()?;
        let written = self.f.text("changelog.migration", value, 255)?;
        let site = self.cx.site;
        let links = self.links();
        let bundle = links.bundle_in("", site, &self.source.files);
        let help = "name a page of the connector's docs, such as `migration: docs/migrate-v3.md`";
        match crate::markdown::linked_page(&written, &bundle) {
            Ok(Some(key)) => {
                let name = key.trim_start_matches("docs/").trim_end_matches(".md");
                return Some(name.to_string());
            }
            Err(problem) => {
                let message = format!("`changelog.migration`: {}", problem.message);
                self.f
                    .error(problem.code, spanned, message, problem.label, problem.help);
                return None;
            }
            Ok(None) => {}
        }
        self.f.error(
            "invalid-migration",
            spanned,
            format!("`changelog.migration` is not a docs page of this connector: `{}`", written.escape_debug()),
            "not a docs page",
            format!("{help}; a `#fragment`, a file or another site cannot be checked as a migration guide"),
        );
        None
    }

    /// A major version (or, before 1.0.0, a minor one, as Cargo and npm's caret ranges read
    /// them) that the changelog does not mark as breaking: the number promises a break the
    /// page would not show, or the release should have had a smaller number. Compared in
    /// version order, so a changelog out of order is still read right.
    fn major_without_breaking(&mut self, changes: &[Change], versions: &[&Spanned<String>]) {
        let mut order: Vec<usize> = (0..changes.len()).collect();
        order.sort_by(|&a, &b| changes[a].version.cmp(&changes[b].version));
        for pair in order.windows(2) {
            let (older, newer) = (&changes[pair[0]], &changes[pair[1]]);
            if newer.breaking || !is_major_bump(&older.version, &newer.version) {
                continue;
            }
            self.f.warning(
                "major-without-breaking",
                versions[pair[1]],
                match newer.version.major {
                    0 => format!(
                        "{} is a new minor version before 1.0.0 (after {}), which may break anything, but its changelog entry is not marked breaking",
                        newer.version, older.version
                    ),
                    _ => format!(
                        "{} is a new major version after {}, but its changelog entry is not marked breaking",
                        newer.version, older.version
                    ),
                },
                "major release",
                "add `breaking: true` and a `migration:` page; if nothing breaks, the release is a minor one by Semantic Versioning",
            );
        }
    }
}

/// Whether going from `older` to `newer` may break what worked: a new major version, or a
/// new minor one while the major is 0 (Semantic Versioning promises nothing before 1.0.0;
/// Cargo and npm read 0.x to 0.y as incompatible, and so does marketgen). A pre-release of
/// a new major counts; the release after its pre-releases does not count again.
fn is_major_bump(older: &semver::Version, newer: &semver::Version) -> bool {
    if newer <= older {
        return false;
    }
    match (older.major, newer.major) {
        (0, 0) => older.minor != newer.minor,
        (a, b) => a != b,
    }
}

#[cfg(test)]
mod tests {
    use super::is_major_bump;

    #[test]
    fn major_bumps_follow_the_caret_rule() {
        let bump = |a: &str, b: &str| {
            is_major_bump(
                &semver::Version::parse(a).unwrap(),
                &semver::Version::parse(b).unwrap(),
            )
        };
        assert!(bump("1.4.0", "2.0.0"));
        assert!(bump("1.9.9", "2.0.0-beta.1"));
        assert!(!bump("2.0.0-beta.1", "2.0.0"));
        assert!(bump("0.3.1", "0.4.0"));
        assert!(!bump("0.3.1", "0.3.2"));
        assert!(!bump("0.0.1", "0.0.2"));
        assert!(bump("0.9.0", "1.0.0"));
        assert!(!bump("1.0.0", "1.5.0"));
        assert!(!bump("2.0.0", "1.0.0"));
    }
}
