//! Templates and assets: the theme named in site.yaml, then the site's `templates/` overrides,
//! then its `static/` folder. The default theme is also compiled into the binary, so a site
//! (or a lone connector folder) needs no copy of it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// A file to publish as it is.
#[derive(Debug, Clone)]
pub enum Asset {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`connector.html`) to its text; later sources override earlier ones.
    pub templates: BTreeMap<String, Cow<'static, str>>,
    /// Output path (`style.css`, `img/x.png`) to its source.
    pub assets: BTreeMap<String, Asset>,
}

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "home.html",
    "catalogue.html",
    "connector.html",
    "doc.html",
    "taxonomy.html",
    "guide.html",
    "fields.html",
    "404.html",
    "compare.html",
    "redirect.html",
);

const DEFAULT_ASSETS: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "marketgen.js",
        include_bytes!("../../themes/default/static/marketgen.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

macro_rules! icons {
    ($($name:literal),* $(,)?) => {
        &[$((concat!("icons/", $name, ".svg"), include_bytes!(concat!("../../themes/default/static/icons/", $name, ".svg")))),*]
    };
}

/// The default theme's category icons: site.yaml's `categories[].icon` names one, and a
/// category named like one (`crm`) gets it unasked.
const DEFAULT_ICONS: &[(&str, &[u8])] = icons!(
    "accounting",
    "ai",
    "analytics",
    "category",
    "communication",
    "crm",
    "database",
    "developer",
    "ecommerce",
    "erp",
    "helpdesk",
    "logistics",
    "marketing",
    "media",
    "payments",
    "people",
    "productivity",
    "public",
    "storage",
    "streaming",
);

/// The default theme as compiled in.
pub fn embedded_default() -> Theme {
    Theme {
        templates: DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), Cow::Borrowed(*text)))
            .collect(),
        assets: DEFAULT_ASSETS
            .iter()
            .chain(DEFAULT_ICONS)
            .map(|(name, bytes)| (name.to_string(), Asset::Embedded(bytes)))
            .collect(),
    }
}

/// The theme `name` for the site at `root`, with the site's overrides and static files.
pub fn load(root: &Path, name: &str) -> anyhow::Result<Theme> {
    let theme_dir = root.join("themes").join(name);
    let mut theme = if theme_dir.is_dir() {
        let mut theme = if name == "default" {
            embedded_default()
        } else {
            Theme::default()
        };
        overlay(
            &mut theme,
            &theme_dir.join("templates"),
            &theme_dir.join("static"),
        )?;
        theme
    } else if name == "default" {
        embedded_default()
    } else {
        bail!(
            "site.yaml names the theme `{name}`, but {} does not exist",
            theme_dir.display()
        );
    };
    overlay(&mut theme, &root.join("templates"), &root.join("static"))?;
    Ok(theme)
}

fn overlay(theme: &mut Theme, templates: &Path, assets: &Path) -> anyhow::Result<()> {
    for (name, path) in files_under(templates)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read template {}", path.display()))?;
        theme.templates.insert(name, Cow::Owned(text));
    }
    for (name, path) in files_under(assets)? {
        theme.assets.insert(name, Asset::Disk(path));
    }
    Ok(())
}

/// Files under `dir` as (path relative to it with `/`, full path). These folders belong to the
/// marketplace team, but symlinks are still refused so a build never publishes outside files.
fn files_under(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        if entry.path_is_symlink() {
            bail!(
                "{} is a symbolic link; copy the file instead",
                entry.path().display()
            );
        }
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            found.push((super::files::slash_path(rel), entry.path().to_path_buf()));
        }
    }
    Ok(found)
}
