//! Where a site is read from: a folder on disk, or the tree of a git revision, listed and
//! read in memory. [`super::load`] reads both the same way, through the few operations here,
//! and a revision is never written anywhere.
//!
//! Both sources say the same thing about the same files: a symbolic link is reported as one
//! (`files::symlink`), never followed, and a file's size is checked against its cap before a
//! byte of it is read (`file-too-large`): the size of a folder's file from its metadata, a
//! blob's from its object header.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use super::files::{self, TextFile, Unusable};
use super::git;
use crate::diag::Diagnostic;

/// A site's files: the folder, or a git revision's tree.
#[derive(Debug, Clone)]
pub enum Source {
    Folder(PathBuf),
    Tree(Arc<git::Tree>),
}

/// What stands at a path, as `lstat` tells it: a link is a link, whatever it points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Link,
    /// A pipe, a device, a socket: nothing `load` reads.
    Other,
}

impl Kind {
    /// What a file type read without following links says stands there.
    fn of(file_type: std::fs::FileType) -> Kind {
        if file_type.is_symlink() {
            Kind::Link
        } else if file_type.is_dir() {
            Kind::Dir
        } else if file_type.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }
}

impl Source {
    pub fn folder(root: impl Into<PathBuf>) -> Source {
        Source::Folder(root.into())
    }

    /// The folder, for a site read from disk.
    pub fn root(&self) -> Option<&Path> {
        match self {
            Source::Folder(root) => Some(root),
            Source::Tree(_) => None,
        }
    }

    /// Where `rel` is, for messages: a path on disk, or `REV:path` in the repository.
    pub fn describe(&self, rel: &Path) -> String {
        match self {
            Source::Folder(root) => root.join(rel).display().to_string(),
            Source::Tree(tree) => tree.describe(rel),
        }
    }

    /// What stands at `rel`; `None` when nothing does.
    pub fn kind(&self, rel: &Path) -> Option<Kind> {
        match self {
            Source::Folder(root) => {
                let meta = std::fs::symlink_metadata(root.join(rel)).ok()?;
                Some(Kind::of(meta.file_type()))
            }
            Source::Tree(tree) => tree.kind(rel),
        }
    }

    /// Reads `rel` if it is a regular file of at most `max_kib` KiB; `Ok(None)` when it does
    /// not exist. The size is checked before anything is read, and links are never followed.
    pub fn read_bytes(&self, rel: &Path, max_kib: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
        match self {
            Source::Folder(root) => files::read_bytes(root, rel, max_kib),
            Source::Tree(tree) => tree.read(rel, max_kib),
        }
    }

    /// [`Source::read_bytes`] as UTF-8 text.
    pub fn read_text(&self, rel: &Path, max_kib: u64) -> Result<Option<TextFile>, Unusable> {
        match self.read_bytes(rel, max_kib) {
            Ok(Some(bytes)) => files::text(rel, &bytes).map(Some),
            Ok(None) => Ok(None),
            Err(diagnostic) => Err(Box::new((diagnostic, None))),
        }
    }

    /// What stands directly in the folder `rel_dir`, by name, sorted.
    pub fn entries(&self, rel_dir: &Path) -> anyhow::Result<Vec<(OsString, Kind)>> {
        match self {
            Source::Folder(root) => {
                let full = root.join(rel_dir);
                let mut entries = Vec::new();
                for entry in std::fs::read_dir(&full)
                    .with_context(|| format!("cannot list {}", full.display()))?
                {
                    let entry = entry.with_context(|| format!("cannot list {}", full.display()))?;
                    entries.push((entry.file_name(), Kind::of(entry.file_type()?)));
                }
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Ok(entries)
            }
            Source::Tree(tree) => Ok(tree.entries(rel_dir)),
        }
    }

    /// Every file under the folder `rel_dir`, as paths relative to it with `/` separators,
    /// sorted; each link is a `symlink` diagnostic, and is never followed.
    pub fn list_files(&self, rel_dir: &Path) -> (Vec<String>, Vec<Diagnostic>) {
        match self {
            Source::Folder(root) => files::list_files(root, rel_dir),
            Source::Tree(tree) => tree.list_files(rel_dir),
        }
    }
}
