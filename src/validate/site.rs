//! `site.yaml`: the marketplace's own settings, checked like content so a typo is reported.

use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::yaml::{Embedded, Spanned};
use std::path::Path;

use crate::model::{Badge, Category, INSTALL_SLUG, RawHtml, Settings, Site};

use super::fields::Fields;
use super::formats;

/// The checked site settings; sensible defaults stand in for invalid values so that the rest
/// of the content can still be checked in the same run.
pub fn check(loaded: &Loaded, base_url_override: Option<&str>) -> (Site, Vec<Diagnostic>) {
    let file = &loaded.site_file;
    let mut f = Fields::new(Embedded {
        file: &file.path,
        file_text: &file.text,
        offset: 0,
        yaml: &file.text,
    });
    let raw = loaded.site.as_ref();
    let title = raw.and_then(|r| {
        if r.title.is_none() {
            f.missing(
                "title",
                None,
                "add the marketplace's name, such as `title: Connector Marketplace`",
            );
        }
        f.text("title", &r.title, 120)
    });
    let base_url = match base_url_override {
        Some(url) => Some(url.to_string()),
        None => raw.and_then(|r| {
            if r.base_url.is_none() {
                f.missing("base_url", None, "add the address the site is published at, such as `base_url: https://marketplace.example.com/`");
            }
            let url = f.url("base_url", &r.base_url, false)?;
            // Every address of the site is built on it: a query or fragment would end up in
            // the middle of each (`https://m.example/?x#y/connectors/`).
            let parsed = url::Url::parse(&url).ok();
            if parsed.is_some_and(|u| u.query().is_some() || u.fragment().is_some()) {
                if let Some(value) = &r.base_url {
                    f.error(
                        "invalid-url",
                        value,
                        "`base_url` has a `?query` or a `#fragment`, and every address of the site is built on it",
                        "query or fragment",
                        "write only the address the site's pages start with, such as `https://marketplace.example.com/`",
                    );
                }
                return None;
            }
            Some(url)
        }),
    };
    let base_url = base_url.map_or_else(
        || "https://example.invalid/".to_string(),
        |u| with_slash(&u),
    );
    let base_path = url::Url::parse(&base_url).map_or("/".to_string(), |u| with_slash(u.path()));
    let icons: Vec<&str> = loaded
        .theme
        .assets
        .keys()
        .filter_map(|path| path.strip_prefix("icons/")?.strip_suffix(".svg"))
        .filter(|name| !name.contains('/'))
        .collect();
    let mut categories: Vec<Category> = Vec::new();
    for spanned in raw.map(|r| r.categories.as_slice()).unwrap_or_default() {
        let c = &spanned.value;
        let parent = Some(f.range(spanned));
        let slug = f.required_text(
            "categories.slug",
            &c.slug,
            60,
            parent.clone(),
            "give the category a slug, such as `slug: ecommerce`",
        );
        let name = f.required_text(
            "categories.name",
            &c.name,
            60,
            parent,
            "give the category a display name",
        );
        let description = f.text("categories.description", &c.description, 300);
        let icon = match &c.icon {
            Some(_) => f.one_of("categories.icon", &c.icon, &icons),
            None => None,
        };
        let (Some(slug), Some(name)) = (slug, name) else {
            continue;
        };
        let value = c.slug.as_ref().expect("a slug was read from it");
        if !formats::is_slug(&slug) {
            f.error(
                "invalid-slug",
                value,
                format!("the category slug `{slug}` is not a slug"),
                "expected lowercase words joined by hyphens",
                "write it like `ecommerce` or `customer-support`",
            );
        } else if categories.iter().any(|c| c.slug == slug) {
            f.error(
                "duplicate-category",
                value,
                format!("the category `{slug}` is defined twice"),
                "repeated",
                "remove one of the two",
            );
        } else {
            // Unset, a category takes the icon named like it, else the theme's generic one.
            let icon = icon.or_else(|| {
                [slug.as_str(), "category"]
                    .into_iter()
                    .find(|name| icons.contains(name))
                    .map(str::to_string)
            });
            categories.push(Category {
                slug,
                name,
                description,
                icon,
            });
        }
    }
    if raw.is_some() && categories.is_empty() {
        f.missing(
            "categories",
            None,
            "list the marketplace's categories, each with `slug:` and `name:`",
        );
    }
    let markdown = raw.and_then(|r| r.markdown.as_ref());
    let raw_html =
        markdown.and_then(|m| f.one_of("markdown.raw_html", &m.raw_html, &["escape", "sanitize"]));
    let image_hosts = markdown
        .map(|m| image_hosts(&mut f, &m.image_hosts))
        .unwrap_or_default();
    let featured = raw
        .map(|r| featured(&mut f, &r.featured, loaded))
        .unwrap_or_default();
    let badges = raw.map(|r| badges(&mut f, &r.badges)).unwrap_or_default();
    let install_url = raw.and_then(|r| install_url(&mut f, &r.install_url));
    let site = Site {
        title: title.unwrap_or_else(|| "Connector Marketplace".into()),
        base_url,
        base_path,
        description: raw
            .and_then(|r| f.text("description", &r.description, 300))
            .unwrap_or_default(),
        language: raw
            .and_then(|r| f.text("language", &r.language, 20))
            .unwrap_or_else(|| "en".into()),
        categories,
        stale_after_days: raw
            .and_then(|r| r.review.as_ref())
            .and_then(|r| r.stale_after_days)
            .unwrap_or(365),
        raw_html: if raw_html.as_deref() == Some("sanitize") {
            RawHtml::Sanitize
        } else {
            RawHtml::Escape
        },
        image_hosts,
        limits: loaded.limits,
        featured,
        badges,
        settings: match raw {
            None => Settings::Unreadable,
            Some(_) if loaded.site_file.path == Path::new(crate::load::DEFAULT_SITE_FILE) => {
                Settings::BuiltIn
            }
            Some(_) => Settings::File,
        },
        install_url,
    };
    (site, f.diagnostics)
}

/// `badges`: the vocabulary records may use, each slug defined once.
fn badges(f: &mut Fields, raw: &[Spanned<crate::load::site::RawBadge>]) -> Vec<Badge> {
    let mut badges: Vec<Badge> = Vec::new();
    for spanned in raw {
        let b = &spanned.value;
        let parent = Some(f.range(spanned));
        let slug = f.required_text(
            "badges.slug",
            &b.slug,
            60,
            parent.clone(),
            "give the badge a slug, such as `slug: certified`",
        );
        let name = f.required_text(
            "badges.name",
            &b.name,
            40,
            parent,
            "give the badge the name cards show, such as `name: Certified`",
        );
        let description = f.text("badges.description", &b.description, 300);
        let (Some(slug), Some(name), Some(value)) = (slug, name, b.slug.as_ref()) else {
            continue;
        };
        if !formats::is_slug(&slug) {
            f.error(
                "invalid-slug",
                value,
                format!("the badge slug `{slug}` is not a slug"),
                "expected lowercase words joined by hyphens",
                "write it like `certified` or `platform-team`",
            );
        } else if badges.iter().any(|b| b.slug == slug) {
            f.error(
                "duplicate-badge",
                value,
                format!("the badge `{slug}` is defined twice"),
                "repeated",
                "remove one of the two",
            );
        } else {
            badges.push(Badge {
                slug,
                name,
                description,
            });
        }
    }
    badges
}

/// `install_url`: an https address once a connector's slug is in it, with `{slug}` where it
/// goes (a slug is lowercase words and hyphens, safe anywhere in an address).
fn install_url(f: &mut Fields, value: &Option<Spanned<String>>) -> Option<String> {
    let template = f.text("install_url", value, 2048)?;
    let spanned = value.as_ref()?;
    if !template.contains(INSTALL_SLUG) {
        f.error(
            "invalid-url",
            spanned,
            "`install_url` has no `{slug}`, so every connector would send visitors to the same address",
            "no {slug}",
            "put `{slug}` where the connector's slug goes, such as `https://app.example.com/marketplace/{slug}/install`",
        );
        return None;
    }
    match formats::url(&template.replace(INSTALL_SLUG, "connector-slug"), true) {
        Ok(_) => Some(template),
        Err(problem) => {
            f.error(
                "invalid-url",
                spanned,
                format!("`install_url` is not an acceptable URL once `{{slug}}` is filled in: {problem}"),
                problem,
                "write a full https:// address with `{slug}` in it, such as `https://app.example.com/marketplace/{slug}/install`",
            );
            None
        }
    }
}

/// `featured`: slugs of the site's connector folders, each once.
fn featured(f: &mut Fields, slugs: &[Spanned<String>], loaded: &Loaded) -> Vec<String> {
    let known: Vec<&str> = loaded.connectors.iter().map(|c| c.slug.as_str()).collect();
    let mut valid: Vec<String> = Vec::new();
    for slug in slugs {
        let name = slug.value.as_str();
        if valid.iter().any(|v| v == name) {
            f.warning(
                "duplicate-key",
                slug,
                format!("`{name}` is featured twice"),
                "repeated",
                "remove one of the two",
            );
        } else if known.contains(&name) {
            valid.push(name.to_string());
        } else {
            let help = match crate::load::yaml::suggest(name, &known) {
                Some(close) => format!(
                    "did you mean `{close}`? featured connectors are named by their folder under content/connectors/"
                ),
                None => "name a connector by its folder under content/connectors/".to_string(),
            };
            f.error(
                "unknown-value",
                slug,
                format!(
                    "`featured` names `{}`, which is not a connector of this marketplace",
                    name.escape_debug()
                ),
                "no such connector",
                help,
            );
        }
    }
    valid
}

/// `markdown.image_hosts`: host names, each of which the CSP will allow images from.
fn image_hosts(f: &mut Fields, hosts: &[Spanned<String>]) -> Vec<String> {
    let mut valid = Vec::new();
    for host in hosts {
        let name = host.value.trim().to_ascii_lowercase();
        let parsed = url::Url::parse(&format!("https://{name}/")).ok();
        let is_host = parsed
            .is_some_and(|u| u.host_str() == Some(name.as_str()) && u.path() == "/")
            && !name.contains(['*', '@', ':', '/']);
        if is_host {
            valid.push(name);
        } else {
            f.error(
                "invalid-url",
                host,
                format!(
                    "`markdown.image_hosts` holds `{}`, which is not a host name",
                    host.value.escape_debug()
                ),
                "not a host name",
                "write the host alone, such as images.acme.example: no scheme, path or wildcard",
            );
        }
    }
    valid
}

fn with_slash(s: &str) -> String {
    if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    }
}
