//! Reads a site folder into [`Loaded`]: raw, spanned, not yet validated.
//!
//! With `write`, the only code that touches the disk. YAML goes through
//! [`yaml`], Markdown pages through [`page`], files through [`files`] (no symlinks, size caps,
//! UTF-8). Content problems become diagnostics and loading goes on past a bad file; only
//! environment failures (no site.yaml, unreadable root) are errors.

pub mod files;
pub mod git;
pub mod page;
pub mod record;
pub mod site;
pub mod theme;
pub mod tree;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::model::MediaKind;
use files::TextFile;
use page::RawPage;
use record::RawConnector;
use site::{Limits, RawSite};
pub use theme::Theme;

pub const SITE_FILE: &str = "site.yaml";
pub const RECORD_FILE: &str = "connector.yaml";

/// Everything read from one site folder.
#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
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
    fn text(&mut self, root: &Path, rel: &Path, max_kib: u64) -> Option<TextFile> {
        match files::read_text(root, rel, max_kib) {
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

    fn page(&mut self, root: &Path, rel: &Path, max_kib: u64) -> Option<RawPage> {
        let (page, problem) = page::parse(self.text(root, rel, max_kib)?);
        self.diagnostics.extend(problem);
        Some(page)
    }

    pub fn merge(&mut self, other: Reading) {
        self.sources.extend(other.sources);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// Reads the site at `root`, within `limits` when given (a base revision's, under
/// `check --base`) instead of those its site.yaml sets: a file is refused before it is read.
pub fn load(root: &Path, limits: Option<Limits>) -> anyhow::Result<(Loaded, Sources, Diagnostics)> {
    let site_path = root.join(SITE_FILE);
    if !site_path.is_file() {
        bail!(
            "no {SITE_FILE} in {}: run marketgen in a site folder, or pass --root",
            root.display()
        );
    }
    let mut reading = Reading::default();
    let site_file = reading
        .text(root, Path::new(SITE_FILE), 64)
        .unwrap_or_else(|| TextFile {
            path: SITE_FILE.into(),
            text: "".into(),
        });
    let site = parse_yaml::<RawSite>(&site_file, &mut reading.diagnostics);
    let limits = limits.unwrap_or_else(|| RawSite::limits(site.as_ref()));

    let content = Path::new("content");
    let home = reading.page(root, &content.join("_index.md"), limits.doc_kib);
    let guide = read_guide(root, &content.join("guide"), limits, &mut reading)?;
    let connectors = read_connectors(root, &content.join("connectors"), limits, &mut reading)?;
    let theme_name = site
        .as_ref()
        .and_then(|s| s.theme.as_ref())
        .map_or("default", |t| t.value.as_str());
    let theme = theme::load(root, theme_name)?;

    let loaded = Loaded {
        root: root.to_path_buf(),
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
    let site_file = match site {
        Some(dir) => {
            if !dir.join(SITE_FILE).is_file() {
                bail!(
                    "no {SITE_FILE} in {}: --site names a site folder",
                    dir.display()
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
                path: "(default site settings)".into(),
                text: DEFAULT_SITE.into(),
            };
            reading.sources.insert(file.path.clone(), file.text.clone());
            file
        }
    };
    let raw_site = parse_yaml::<RawSite>(&site_file, &mut reading.diagnostics);
    let limits = RawSite::limits(raw_site.as_ref());
    let (home, guide, theme) = match site {
        Some(dir) => {
            let content = Path::new("content");
            let theme_name = raw_site
                .as_ref()
                .and_then(|s| s.theme.as_ref())
                .map_or("default", |t| t.value.as_str());
            (
                reading.page(dir, &content.join("_index.md"), limits.doc_kib),
                read_guide(dir, &content.join("guide"), limits, &mut reading)?,
                theme::load(dir, theme_name)?,
            )
        }
        None => (None, Vec::new(), theme::embedded_default()),
    };
    let (connector, one) = read_connector(root, Path::new(folder), limits);
    reading.merge(one);
    let loaded = Loaded {
        root: root.to_path_buf(),
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

/// The Markdown files directly in `dir` (relative to `root`), sorted by name.
fn markdown_files(root: &Path, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let full = root.join(dir);
    if !full.is_dir() {
        return Ok(Vec::new());
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(&full)
        .with_context(|| format!("cannot list {}", full.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.file_name()))
        .filter(|name| Path::new(name).extension().is_some_and(|ext| ext == "md"))
        .map(|name| dir.join(name))
        .collect();
    names.sort();
    Ok(names)
}

fn read_guide(
    root: &Path,
    dir: &Path,
    limits: Limits,
    reading: &mut Reading,
) -> anyhow::Result<Vec<RawPage>> {
    Ok(markdown_files(root, dir)?
        .iter()
        .filter_map(|path| reading.page(root, path, limits.doc_kib))
        .collect())
}

fn read_connectors(
    root: &Path,
    dir: &Path,
    limits: Limits,
    reading: &mut Reading,
) -> anyhow::Result<Vec<ConnectorSource>> {
    let full = root.join(dir);
    if !full.is_dir() {
        return Ok(Vec::new());
    }
    let mut folders = Vec::new();
    for entry in
        std::fs::read_dir(&full).with_context(|| format!("cannot list {}", full.display()))?
    {
        let entry = entry.with_context(|| format!("cannot list {}", full.display()))?;
        let rel = dir.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            reading.diagnostics.push(files::symlink(&rel));
        } else if kind.is_dir() {
            folders.push(rel);
        }
    }
    folders.sort();
    let read: Vec<(ConnectorSource, Reading)> = folders
        .par_iter()
        .map(|folder| read_connector(root, folder, limits))
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
fn read_connector(root: &Path, dir: &Path, limits: Limits) -> (ConnectorSource, Reading) {
    let mut reading = Reading::default();
    let slug = dir
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let (file_list, problems) = files::list_files(root, dir);
    reading.diagnostics.extend(problems);
    let record_path = dir.join(RECORD_FILE);
    let record_file = reading.text(root, &record_path, limits.record_kib);
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
    let source = ConnectorSource {
        slug,
        dir: dir.to_path_buf(),
        record_file,
        record,
        doc_files,
        files: file_list.into_iter().collect(),
    };
    (source, reading)
}

/// Reads one connector's documentation pages.
pub fn read_docs(root: &Path, source: &ConnectorSource, limits: Limits) -> (Vec<RawPage>, Reading) {
    let mut reading = Reading::default();
    let pages = source
        .doc_files
        .iter()
        .filter_map(|f| reading.page(root, &source.dir.join(f), limits.doc_kib))
        .collect();
    (pages, reading)
}

/// Reads the images of one connector's folder (within the size limits), by relative path.
pub fn read_media(
    root: &Path,
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
            match files::read_bytes(root, &source.dir.join(f), max_kib) {
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
