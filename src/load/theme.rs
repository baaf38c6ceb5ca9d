//! Templates and assets: the theme named in site.yaml, then the site's `templates/` overrides,
//! then its `static/` folder. The default theme is also compiled into the binary, so a site
//! (or a lone connector folder) needs no copy of it. Read from a [`Source`], like the rest of
//! the site: a folder, or a git revision.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use anyhow::bail;

use super::site::Limits;
use super::source::{Kind, Source};

/// A file to publish as it is.
#[derive(Debug, Clone)]
pub enum Asset {
    Embedded(&'static [u8]),
    Disk(PathBuf),
    /// A git revision's file, by its path in the site: compared, never published.
    Revision(PathBuf),
}

/// The size under which a static file is read to be compared with a revision's.
const STATIC_KIB: u64 = 64 << 10;

/// The size under which a template is read: the docs' cap, and never less than 1 MiB.
const TEMPLATE_KIB: u64 = 1024;

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

impl Theme {
    /// Each template (`templates/NAME`) and static file (`static/NAME`) the site publishes
    /// with, by its git blob id: what `check --base` and `diff` compare with a revision's, as
    /// these files are the marketplace team's and run on every page. A file that cannot be
    /// read within 64 MiB stands as the reason.
    pub fn file_ids(&self, source: &Source) -> BTreeMap<String, String> {
        let id = |bytes: &[u8]| {
            gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
                .map_or_else(
                    |e| e.to_string(),
                    |id| format!("blob {}", id.to_hex_with_len(12)),
                )
        };
        let templates = self
            .templates
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), id(text.as_bytes())));
        let assets = self.assets.iter().map(|(name, asset)| {
            let rel = match asset {
                Asset::Embedded(bytes) => return (format!("static/{name}"), id(bytes)),
                Asset::Disk(full) => source
                    .root()
                    .and_then(|root| full.strip_prefix(root).ok())
                    .unwrap_or(full),
                Asset::Revision(rel) => rel,
            };
            let shown = match source.read_bytes(rel, STATIC_KIB) {
                Ok(Some(bytes)) => id(&bytes),
                Ok(None) => "missing".to_string(),
                Err(unusable) => unusable.message,
            };
            (format!("static/{name}"), shown)
        });
        templates.chain(assets).collect()
    }
}

/// The theme `name` for the site at `source`, with the site's overrides and static files.
pub fn load(source: &Source, name: &str, limits: Limits) -> anyhow::Result<Theme> {
    let mut parts = Path::new(name).components();
    if !matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(_)), None)
    ) {
        bail!("site.yaml names the theme `{name}`: a theme is named by its folder under themes/");
    }
    let theme_dir = Path::new("themes").join(name);
    let cap = limits.doc_kib.max(TEMPLATE_KIB);
    let mut theme = if is_folder(source, &theme_dir)? {
        let mut theme = if name == "default" {
            embedded_default()
        } else {
            Theme::default()
        };
        overlay(
            &mut theme,
            source,
            &theme_dir.join("templates"),
            &theme_dir.join("static"),
            cap,
        )?;
        theme
    } else if name == "default" {
        embedded_default()
    } else {
        bail!(
            "site.yaml names the theme `{name}`, but {} does not exist",
            source.describe(&theme_dir)
        );
    };
    overlay(
        &mut theme,
        source,
        Path::new("templates"),
        Path::new("static"),
        cap,
    )?;
    Ok(theme)
}

fn overlay(
    theme: &mut Theme,
    source: &Source,
    templates: &Path,
    assets: &Path,
    cap: u64,
) -> anyhow::Result<()> {
    for (name, rel) in files_under(source, templates)? {
        let text = match source.read_text(&rel, cap) {
            Ok(Some(file)) => file.text.to_string(),
            Ok(None) => bail!("cannot read template {}", source.describe(&rel)),
            Err(unusable) => bail!(
                "cannot read template {}: {}",
                source.describe(&rel),
                unusable.0.message
            ),
        };
        theme.templates.insert(name, Cow::Owned(text));
    }
    for (name, rel) in files_under(source, assets)? {
        let asset = match source {
            Source::Folder(root) => Asset::Disk(root.join(rel)),
            Source::Tree(_) => Asset::Revision(rel),
        };
        theme.assets.insert(name, asset);
    }
    Ok(())
}

/// Whether `dir` and every folder above it in the site are folders; a link among them is an
/// error, as below: these folders belong to the marketplace team.
fn is_folder(source: &Source, dir: &Path) -> anyhow::Result<bool> {
    for folder in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        if source.kind(folder) == Some(Kind::Link) {
            bail!(
                "{} is a symbolic link; copy the folder instead",
                source.describe(folder)
            );
        }
    }
    Ok(source.kind(dir) == Some(Kind::Dir))
}

/// Files under `dir` as (path relative to it with `/`, path relative to the site). These
/// folders belong to the marketplace team, but symlinks are still refused so a build never
/// publishes outside files.
fn files_under(source: &Source, dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    if !is_folder(source, dir)? {
        return Ok(Vec::new());
    }
    let (found, problems) = source.list_files(dir);
    if let Some(problem) = problems.first() {
        let at = source.describe(problem.labels.first().map_or(dir, |l| l.file.as_path()));
        match problem.code {
            "symlink" => bail!("{at} is a symbolic link; copy the file instead"),
            _ => bail!("cannot list {at}: {}", problem.message),
        }
    }
    Ok(found
        .into_iter()
        .map(|name| {
            let rel = dir.join(&name);
            (name, rel)
        })
        .collect())
}
