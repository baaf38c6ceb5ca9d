//! Reads a site into [`Loaded`]: raw, spanned, not yet validated. A site is read from a
//! [`Source`]: its folder, or a git revision's tree, read the same way.
//!
//! With `write`, the only code that touches the disk. YAML goes through
//! [`yaml`], Markdown pages through [`page`], files through [`files`] (no symlinks, size caps,
//! UTF-8). Content problems become diagnostics and loading goes on past a bad file; only
//! environment failures (no site.yaml, unreadable root) are errors.

pub mod cache;
pub mod files;
pub mod git;
pub mod page;
pub mod record;
pub mod site;
pub mod source;
pub mod theme;
pub mod tree;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::bail;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::model::MediaKind;
use files::TextFile;
use page::RawPage;
use record::RawConnector;
use site::{Limits, RawSite};
use source::Kind;
pub use source::Source;
pub use theme::Theme;

pub const SITE_FILE: &str = "site.yaml";
pub const RECORD_FILE: &str = "connector.yaml";

/// Everything read from one site.
#[derive(Debug)]
pub struct Loaded {
    /// Where the site was read from; its docs and images are read from there too, one
    /// connector at a time.
    pub source: Source,
    pub site_file: TextFile,
    pub site: Option<RawSite>,
    pub limits: Limits,
    pub home: Option<RawPage>,
    pub connectors: Vec<ConnectorSource>,
    pub guide: Vec<RawPage>,
    pub theme: Theme,
}

/// One connector folder, `content/connectors/<slug>/`.
#[derive(Debug)]
pub struct ConnectorSource {
    /// The folder name, which is the slug.
    pub slug: String,
    /// The folder, relative to the site root.
    pub dir: PathBuf,
    pub record_file: Option<TextFile>,
    /// `None` when the record is missing or its YAML is invalid (a diagnostic says which).
    pub record: Option<RawConnector>,
    /// The documentation pages, `docs/<page>.md`, relative to the folder; read one connector at
    /// a time by [`read_docs`], so that a build never holds every page in memory.
    pub doc_files: Vec<String>,
    /// Every file in the folder, relative to it, with `/` separators. Its images are read one
    /// connector at a time by [`read_media`], so that a build never holds every image in memory.
    pub files: BTreeSet<String>,
}

impl ConnectorSource {
    /// The record as read, with its file as a YAML document: what turns a value's place in
    /// the parsed record into a range of connector.yaml, for a diagnostic.
    pub fn record_doc(&self) -> Option<(yaml::Embedded<'_>, &RawConnector)> {
        let (Some(file), Some(record)) = (&self.record_file, &self.record) else {
            return None;
        };
        let doc = yaml::Embedded {
            file: &file.path,
            file_text: &file.text,
            offset: 0,
            yaml: &file.text,
        };
        Some((doc, record))
    }

    /// The files the record names (its `logo` and `screenshots`), each with where its name
    /// stands in connector.yaml: a problem with the file is reported where the record asks
    /// for it.
    pub fn named_files(&self) -> BTreeMap<&str, Range<usize>> {
        let Some((doc, record)) = self.record_doc() else {
            return BTreeMap::new();
        };
        record
            .logo
            .iter()
            .chain(record.screenshots.iter().filter_map(|s| s.file.as_ref()))
            .map(|value| (value.value.trim(), yaml::range_of(&doc, &value.referenced)))
            .collect()
    }

    /// The record's `aliases` as written, each with where it stands in connector.yaml: an
    /// address two records claim is reported at the alias.
    pub fn alias_ranges(&self) -> Vec<(&str, Range<usize>)> {
        let Some((doc, record)) = self.record_doc() else {
            return Vec::new();
        };
        record
            .aliases
            .iter()
            .map(|value| {
                (
                    value.value.as_str(),
                    yaml::range_of(&doc, &value.referenced),
                )
            })
            .collect()
    }
}

/// What one step read: the texts diagnostics may point into, and the diagnostics.
#[derive(Default)]
pub struct Reading {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
}

impl Reading {
    /// Reads a text file, recording it and any problem; `None` when it is absent or unusable.
    fn text(&mut self, source: &Source, rel: &Path, max_kib: u64) -> Option<TextFile> {
        match source.read_text(rel, max_kib) {
            Ok(Some(file)) => {
                self.sources.insert(file.path.clone(), file.text.clone());
                Some(file)
            }
            Ok(None) => None,
            Err(unusable) => {
                let (diagnostic, lossy) = *unusable;
                if let Some(lossy) = lossy {
                    self.sources.insert(lossy.path, lossy.text);
                }
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn page(&mut self, source: &Source, rel: &Path, max_kib: u64) -> Option<RawPage> {
        let (page, problem) = page::parse(self.text(source, rel, max_kib)?);
        self.diagnostics.extend(problem);
        Some(page)
    }

    /// Whether `rel` is a folder to read: a link standing there is reported, never followed.
    fn folder(&mut self, source: &Source, rel: &Path) -> bool {
        match source.kind(rel) {
            Some(Kind::Dir) => true,
            Some(Kind::Link) => {
                self.diagnostics.push(files::symlink(rel));
                false
            }
            _ => false,
        }
    }

    pub fn merge(&mut self, other: Reading) {
        self.sources.extend(other.sources);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// Reads the site at `source`, within `limits` when given (a base revision's, under
/// `check --base`) instead of those its site.yaml sets: a file is refused before it is read.
pub fn load(
    source: &Source,
    limits: Option<Limits>,
) -> anyhow::Result<(Loaded, Sources, Diagnostics)> {
    if !matches!(
        source.kind(Path::new(SITE_FILE)),
        Some(Kind::File | Kind::Link)
    ) {
        bail!(
            "no {SITE_FILE} in {}: run marketgen in a site folder, or pass --root",
            source.describe(Path::new(""))
        );
    }
    let mut reading = Reading::default();
    let site_file = reading
        .text(source, Path::new(SITE_FILE), 64)
        .unwrap_or_else(|| TextFile {
            path: SITE_FILE.into(),
            text: "".into(),
        });
    let site = parse_yaml::<RawSite>(&site_file, &mut reading.diagnostics);
    let limits = limits.unwrap_or_else(|| RawSite::limits(site.as_ref()));

    let content = Path::new("content");
    let (home, guide, connectors) = match reading.folder(source, content) {
        true => (
            reading.page(source, &content.join("_index.md"), limits.doc_kib),
            read_guide(source, &content.join("guide"), limits, &mut reading)?,
            read_connectors(source, &content.join("connectors"), limits, &mut reading)?,
        ),
        false => (None, Vec::new(), Vec::new()),
    };
    let theme_name = site
        .as_ref()
        .and_then(|s| s.theme.as_ref())
        .map_or("default", |t| t.value.as_str());
    let theme = theme::load(source, theme_name, limits)?;

    let loaded = Loaded {
        source: source.clone(),
        site_file,
        site,
        limits,
        home,
        connectors,
        guide,
        theme,
    };
    Ok((loaded, reading.sources, reading.diagnostics))
}

/// The folders of a site that `load` reads, besides `site.yaml`: anything else under the root
/// (version control, build output, the project's own files) is not the site.
pub const SOURCE_FOLDERS: &[&str] = &["content", "templates", "themes", "static"];

/// Whether `load` reads the file at `rel`, relative to a site's root.
pub fn reads(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str());
    match (parts.next(), parts.next()) {
        (Some(first), None) => first == SITE_FILE,
        (Some(first), Some(_)) => SOURCE_FOLDERS.iter().any(|f| first == *f),
        _ => false,
    }
}

/// The size cap, in KiB, under which `load` reads the file at `rel` whole; 0 for a file it
/// only lists, or copies into the output without reading.
pub fn size_cap(rel: &Path, limits: &Limits) -> u64 {
    let name = rel
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().to_ascii_lowercase());
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "yaml" => limits.record_kib.max(64),
        "md" | "html" => limits.doc_kib,
        _ => match MediaKind::of(&name) {
            Some(MediaKind::Svg) => limits.svg_kib,
            Some(_) => limits.image_kib,
            None => 0,
        },
    }
}

/// The settings a lone connector folder is previewed with: the default theme and a default
/// vocabulary of categories.
pub const DEFAULT_SITE: &str = include_str!("default-site.yaml");
/// The name diagnostics give [`DEFAULT_SITE`] in place of a file's.
pub const DEFAULT_SITE_FILE: &str = "(default site settings)";

/// Reads one connector folder, `root/folder`, outside any site, as a site of its own: with
/// the default settings and theme, or with those of the site at `site` (its settings, theme,
/// guide and home page, but none of its connectors). What a connector developer previews.
pub fn load_lone(
    root: &Path,
    folder: &str,
    site: Option<&Path>,
) -> anyhow::Result<(Loaded, Sources, Diagnostics)> {
    if !root.join(folder).join(RECORD_FILE).is_file() {
        bail!(
            "{} has no {RECORD_FILE}: name a connector folder, such as one `marketgen new connector` made",
            root.join(folder).display()
        );
    }
    let mut reading = Reading::default();
    let site = site.map(Source::folder);
    let site_file = match &site {
        Some(dir) => {
            if dir.kind(Path::new(SITE_FILE)) != Some(Kind::File) {
                bail!(
                    "no {SITE_FILE} in {}: --site names a site folder",
                    dir.describe(Path::new(""))
                );
            }
            reading
                .text(dir, Path::new(SITE_FILE), 64)
                .unwrap_or_else(|| TextFile {
                    path: SITE_FILE.into(),
                    text: "".into(),
                })
        }
        None => {
            let file = TextFile {
                path: DEFAULT_SITE_FILE.into(),
                text: DEFAULT_SITE.into(),
            };
            reading.sources.insert(file.path.clone(), file.text.clone());
            file
        }
    };
    let raw_site = parse_yaml::<RawSite>(&site_file, &mut reading.diagnostics);
    let limits = RawSite::limits(raw_site.as_ref());
    let (home, guide, theme) = match &site {
        Some(dir) => {
            let content = Path::new("content");
            let theme_name = raw_site
                .as_ref()
                .and_then(|s| s.theme.as_ref())
                .map_or("default", |t| t.value.as_str());
            let (home, guide) = match reading.folder(dir, content) {
                true => (
                    reading.page(dir, &content.join("_index.md"), limits.doc_kib),
                    read_guide(dir, &content.join("guide"), limits, &mut reading)?,
                ),
                false => (None, Vec::new()),
            };
            (home, guide, theme::load(dir, theme_name, limits)?)
        }
        None => (None, Vec::new(), theme::embedded_default()),
    };
    let source = Source::folder(root);
    let (connector, one) = read_connector(&source, Path::new(folder), limits);
    reading.merge(one);
    let loaded = Loaded {
        source,
        site_file,
        site: raw_site,
        limits,
        home,
        connectors: vec![connector],
        guide,
        theme,
    };
    Ok((loaded, reading.sources, reading.diagnostics))
}

fn parse_yaml<T: serde::de::DeserializeOwned>(
    file: &TextFile,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    let embedded = yaml::Embedded {
        file: &file.path,
        file_text: &file.text,
        offset: 0,
        yaml: &file.text,
    };
    yaml::parse(&embedded).map_err(|d| diagnostics.push(d)).ok()
}

/// The record in `file`, read field by field so that no shape problem hides another.
fn read_record(file: &TextFile, diagnostics: &mut Diagnostics) -> Option<RawConnector> {
    let embedded = yaml::Embedded {
        file: &file.path,
        file_text: &file.text,
        offset: 0,
        yaml: &file.text,
    };
    let (record, problems) = record::parse(&embedded);
    for problem in problems {
        diagnostics.push(problem);
    }
    record
}

fn read_guide(
    source: &Source,
    dir: &Path,
    limits: Limits,
    reading: &mut Reading,
) -> anyhow::Result<Vec<RawPage>> {
    if !reading.folder(source, dir) {
        return Ok(Vec::new());
    }
    // Every name ending in .md: a link or a folder so named is reported as it is read.
    let pages: Vec<PathBuf> = source
        .entries(dir)?
        .into_iter()
        .filter(|(name, _)| Path::new(name).extension().is_some_and(|ext| ext == "md"))
        .map(|(name, _)| dir.join(name))
        .collect();
    Ok(pages
        .iter()
        .filter_map(|path| reading.page(source, path, limits.doc_kib))
        .collect())
}

fn read_connectors(
    source: &Source,
    dir: &Path,
    limits: Limits,
    reading: &mut Reading,
) -> anyhow::Result<Vec<ConnectorSource>> {
    if !reading.folder(source, dir) {
        return Ok(Vec::new());
    }
    let mut folders = Vec::new();
    for (name, kind) in source.entries(dir)? {
        let rel = dir.join(name);
        match kind {
            Kind::Link => reading.diagnostics.push(files::symlink(&rel)),
            Kind::Dir => folders.push(rel),
            Kind::File | Kind::Other => {}
        }
    }
    let read: Vec<(ConnectorSource, Reading)> = folders
        .par_iter()
        .map(|folder| read_connector(source, folder, limits))
        .collect();
    Ok(read
        .into_iter()
        .map(|(source, one)| {
            reading.merge(one);
            source
        })
        .collect())
}

/// Reads one connector folder: the unit of work, in parallel with the others.
fn read_connector(source: &Source, dir: &Path, limits: Limits) -> (ConnectorSource, Reading) {
    let mut reading = Reading::default();
    let slug = dir
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let (file_list, problems) = source.list_files(dir);
    reading.diagnostics.extend(problems);
    let record_path = dir.join(RECORD_FILE);
    let record_file = reading.text(source, &record_path, limits.record_kib);
    let record = match &record_file {
        Some(file) => read_record(file, &mut reading.diagnostics),
        None => {
            if !file_list.iter().any(|f| f == RECORD_FILE) {
                reading.diagnostics.push(missing_record(&record_path));
            }
            None
        }
    };
    let doc_files = file_list
        .iter()
        .filter(|f| f.starts_with("docs/") && f.ends_with(".md"))
        .filter(|f| !f["docs/".len()..].contains('/'))
        .cloned()
        .collect();
    let connector = ConnectorSource {
        slug,
        dir: dir.to_path_buf(),
        record_file,
        record,
        doc_files,
        files: file_list.into_iter().collect(),
    };
    (connector, reading)
}

/// Reads one connector's documentation pages.
pub fn read_docs(
    site: &Source,
    source: &ConnectorSource,
    limits: Limits,
) -> (Vec<RawPage>, Reading) {
    let mut reading = Reading::default();
    let pages = source
        .doc_files
        .iter()
        .filter_map(|f| reading.page(site, &source.dir.join(f), limits.doc_kib))
        .collect();
    (pages, reading)
}

/// Reads the images of one connector's folder (within the size limits), by relative path.
pub fn read_media(
    site: &Source,
    source: &ConnectorSource,
    limits: Limits,
) -> (BTreeMap<String, Vec<u8>>, Reading) {
    let mut reading = Reading::default();
    let media = source
        .files
        .iter()
        .filter_map(|f| Some((f, MediaKind::of(f)?)))
        .filter_map(|(f, kind)| {
            let max_kib = match kind {
                MediaKind::Svg => limits.svg_kib,
                _ => limits.image_kib,
            };
            match site.read_bytes(&source.dir.join(f), max_kib) {
                Ok(bytes) => Some((f.clone(), bytes?)),
                Err(problem) => {
                    reading.diagnostics.push(problem);
                    None
                }
            }
        })
        .collect();
    (media, reading)
}

fn missing_record(path: &Path) -> Diagnostic {
    Diagnostic::error(
        "missing-record",
        "the connector folder has no connector.yaml",
    )
    .at(path, 0..0, "expected this file")
    .with_help("add a connector.yaml as described in the content format, or remove the folder")
}
