//! The only code that writes the output folder.
//!
//! A build is written to a temporary folder beside the output and swapped in only when every
//! file is written: a failed or killed build leaves the previous site as it was. The output
//! folder is refused when it would overwrite the content, the root or the home folder, and a
//! non-empty folder that marketgen did not write is not replaced without `--force`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use crate::render::{Content, OutputFile};

/// Marks a folder as marketgen's output, so a later build may replace it.
pub const MARKER: &str = ".marketgen";

/// Writes `files` as the whole content of `out`.
pub fn all(root: &Path, out: &Path, files: &[OutputFile], force: bool) -> anyhow::Result<()> {
    let out = absolute(out)?;
    let root = absolute(root)?;
    refuse_dangerous(&root, &out, force)?;
    let parent = out
        .parent()
        .context("the output folder has no parent folder")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".marketgen-staging-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    write_tree(staging.path(), files)?;
    std::fs::write(
        staging.path().join(MARKER),
        "written by marketgen: replaced by every build\n",
    )?;
    swap(staging.keep(), &out)
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

fn write_tree(staging: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    let dirs: BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .collect();
    for dir in dirs {
        std::fs::create_dir_all(staging.join(dir))
            .with_context(|| format!("cannot create {}", staging.join(dir).display()))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        match &file.content {
            Content::Bytes(bytes) => std::fs::write(&target, bytes).map(drop),
            Content::Embedded(bytes) => std::fs::write(&target, bytes).map(drop),
            Content::Shared(bytes) => std::fs::write(&target, bytes).map(drop),
            Content::Copy(source) => std::fs::copy(source, &target).map(drop),
        }
        .with_context(|| format!("cannot write {}", target.display()))
    })
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
