//! The only code that writes the output folder.
//!
//! A build is written to a temporary folder beside the output and swapped in only when every
//! file is written: a failed or killed build leaves the previous site as it was. The output
//! folder is refused when it would overwrite the content, the root or the home folder, and a
//! non-empty folder that marketgen did not write is not replaced without `--force`.

pub mod cache;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, bail};

use crate::render::{Content, OutputFile, Sink};

/// Marks a folder as marketgen's output, so a later build may replace it.
pub const MARKER: &str = ".marketgen";

/// A new site being written beside the output folder, swapped in by [`Staging::finish`].
/// Dropped unfinished (an error, a panic), it removes itself and the output stays as it was.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    /// Whether there is a previous build to reuse unchanged files from.
    previous: bool,
    /// Folders made so far, relative to the staging folder: each is made by one `mkdir`, where
    /// `create_dir_all` per file would try and `stat` its folder again for every file.
    folders: Mutex<HashSet<PathBuf>>,
    /// Time spent writing, summed over threads, in nanoseconds.
    busy: AtomicU64,
}

impl Staging {
    /// Checks that `out` may be replaced, and creates the staging folder beside it.
    pub fn new(root: &Path, out: &Path, force: bool) -> anyhow::Result<Staging> {
        let out = absolute(out)?;
        refuse_dangerous(&absolute(root)?, &out, force)?;
        let parent = out
            .parent()
            .context("the output folder has no parent folder")?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".marketgen-staging-")
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
        Ok(Staging {
            dir,
            previous: out.is_dir(),
            out,
            folders: Mutex::new(HashSet::new()),
            busy: AtomicU64::new(0),
        })
    }

    /// Time spent writing files so far, summed over threads.
    pub fn busy(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.busy.load(Ordering::Relaxed))
    }

    /// Marks the new site as marketgen's and swaps it in for the previous one.
    pub fn finish(self) -> anyhow::Result<()> {
        std::fs::write(
            self.dir.path().join(MARKER),
            "written by marketgen: replaced by every build\n",
        )?;
        swap(self.dir.keep(), &self.out)
    }

    fn write(&self, file: &OutputFile) -> anyhow::Result<()> {
        let target = self.dir.path().join(&file.path);
        if let Some(folder) = Path::new(&file.path).parent() {
            let mut made = self
                .folders
                .lock()
                .map_err(|_| anyhow::anyhow!("a writing thread panicked"))?;
            self.make_folder(&mut made, folder)?;
        }
        let Some(bytes) = bytes_to_write(&target, &file.content)? else {
            return Ok(());
        };
        if self.link_unchanged(&file.path, bytes, &target) {
            return Ok(());
        }
        std::fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))
    }

    /// Makes `folder` (relative to the staging folder) and those above it, unless made before.
    fn make_folder(&self, made: &mut HashSet<PathBuf>, folder: &Path) -> anyhow::Result<()> {
        if folder.as_os_str().is_empty() || made.contains(folder) {
            return Ok(());
        }
        if let Some(parent) = folder.parent() {
            self.make_folder(made, parent)?;
        }
        let path = self.dir.path().join(folder);
        match std::fs::create_dir(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                Err(e).with_context(|| format!("cannot create {}", path.display()))
            }
            _ => {
                made.insert(folder.to_path_buf());
                Ok(())
            }
        }
    }

    /// Reuses the previous build's file when its bytes are the same: a hard link keeps its
    /// modification time, so rsync and other deploy tools skip it.
    fn link_unchanged(&self, path: &str, bytes: &[u8], target: &Path) -> bool {
        if !self.previous {
            return false;
        }
        let previous = self.out.join(path);
        let same_length = std::fs::symlink_metadata(&previous)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        same_length
            && std::fs::read(&previous).is_ok_and(|old| old == bytes)
            && std::fs::hard_link(&previous, target).is_ok()
    }
}

/// Replaces files one by one in a folder marketgen already wrote: `serve`'s rebuilds of one
/// connector, where a visitor may see a page before its neighbour is updated, and a moment
/// later the reload.
pub struct InPlace {
    out: PathBuf,
}

impl InPlace {
    pub fn new(out: &Path) -> Self {
        InPlace {
            out: out.to_path_buf(),
        }
    }
}

impl Sink for InPlace {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        let target = self.out.join(&file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let Some(bytes) = bytes_to_write(&target, &file.content)? else {
            return Ok(());
        };
        // A hard link from the previous build may share this file: replace, never write through.
        let temporary = target.with_extension("marketgen-new");
        std::fs::write(&temporary, bytes)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &target)
            .with_context(|| format!("cannot replace {}", target.display()))
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        let start = std::time::Instant::now();
        let result = self.write(&file);
        self.busy
            .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        result
    }
}

/// The bytes to write at `target`, whose folder exists; a file to copy is copied there
/// instead, and `None` returned.
fn bytes_to_write<'a>(target: &Path, content: &'a Content) -> anyhow::Result<Option<&'a [u8]>> {
    Ok(Some(match content {
        Content::Bytes(bytes) => bytes,
        Content::Embedded(bytes) => bytes,
        Content::Shared(bytes) => bytes,
        Content::Copy(source) => {
            std::fs::copy(source, target).with_context(|| {
                format!("cannot copy {} to {}", source.display(), target.display())
            })?;
            return Ok(None);
        }
    }))
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let path =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    // Resolve symlinks where the folder exists, so `out` and `root` compare truthfully.
    Ok(path.canonicalize().unwrap_or(path))
}

fn refuse_dangerous(root: &Path, out: &Path, force: bool) -> anyhow::Result<()> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if out.parent().is_none() || home.as_deref() == Some(out) {
        bail!(
            "refusing to write the site to {}: choose a dedicated folder such as public/",
            out.display()
        );
    }
    if root.starts_with(out) {
        bail!(
            "refusing to write the site to {}: it contains the site's sources; choose a folder such as {}",
            out.display(),
            root.join("public").display()
        );
    }
    for source in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(source)) {
            bail!("refusing to write the site inside {source}/: choose a folder such as public/");
        }
    }
    let written_by_us = out.join(MARKER).is_file();
    let empty = std::fs::read_dir(out).map_or(true, |mut d| d.next().is_none());
    if out.exists() && !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    if !written_by_us && !empty && !force {
        bail!(
            "{} is not empty and was not written by marketgen; pass --force to replace it, or choose another folder",
            out.display()
        );
    }
    Ok(())
}

/// Replaces `out` with `staging` by two renames in the same parent folder.
fn swap(staging: PathBuf, out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return std::fs::rename(&staging, out)
            .with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    let parent = out.parent().context("the output folder has no parent")?;
    let old = tempfile::Builder::new()
        .prefix(".marketgen-old-")
        .tempdir_in(parent)?
        .keep();
    std::fs::remove_dir(&old)?;
    std::fs::rename(out, &old)
        .with_context(|| format!("cannot move the previous site out of {}", out.display()))?;
    if let Err(e) = std::fs::rename(&staging, out) {
        // Put the previous site back: never leave the output folder missing.
        let _ = std::fs::rename(&old, out);
        return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    std::fs::remove_dir_all(&old)
        .with_context(|| format!("cannot remove the previous site at {}", old.display()))
}
