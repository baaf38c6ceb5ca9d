//! Writes the build cache: entries stored whole or not at all (written to a temporary file and
//! renamed into place, so a killed build or a second build at once leaves either nothing or a
//! whole entry under a key), marked as used, and pruned to a size, least recently used first.
//! Nothing here fails a build: a cache that cannot be written is a cache that misses.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};

use crate::cache::{self, Build, Entry, Key};

/// What the cache folder holds besides its entries: git and backup tools leave it alone.
const GITIGNORE: &str = "# marketgen's build cache (safe to delete)\n*\n";
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# marketgen's build cache (safe to delete): https://bford.info/cachedir/\n";

/// A temporary file older than this was left by a build that was killed.
const STALE: Duration = Duration::from_secs(3600);

/// Refuses a cache folder where a build would read it as content or replace it with the site:
/// the site's root itself or a folder above it, a source folder, or the output folder.
pub fn refuse_place(root: &Path, dir: &Path, output: Option<&Path>) -> anyhow::Result<()> {
    let (root, dir) = (lexical(root)?, lexical(dir)?);
    if root.starts_with(&dir) {
        bail!(
            "the cache folder {} holds the site: choose a folder of its own, such as {}",
            dir.display(),
            root.join(".marketgen-cache").display()
        );
    }
    if let Some(source) = crate::load::SOURCE_FOLDERS
        .iter()
        .find(|f| dir.starts_with(root.join(f)))
    {
        bail!(
            "the cache folder {} is inside the site's {source}/ folder, which is read as the site",
            dir.display()
        );
    }
    if let Some(output) = output.map(lexical).transpose()?
        && (dir.starts_with(&output) || output.starts_with(&dir))
    {
        bail!(
            "the cache folder {} and the output folder {} overlap: each build replaces the output",
            dir.display(),
            output.display()
        );
    }
    Ok(())
}

/// `path` made absolute with `.` and `..` resolved by name, as the team wrote it.
fn lexical(path: &Path) -> anyhow::Result<PathBuf> {
    let mut clean = PathBuf::new();
    for part in std::path::absolute(path)?.components() {
        match part {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// Creates the cache folder, marked as a cache that git ignores.
pub fn prepare(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join(cache::LAYOUT).join("tmp"))
        .with_context(|| format!("cannot create the cache folder {}", dir.display()))?;
    for (name, text) in [(".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)] {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_err() {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

/// Stores `entry` under `key`; returns how many bytes it took.
pub fn store(dir: &Path, build: Build, key: Key, entry: &Entry) -> anyhow::Result<u64> {
    use std::io::Write;
    let sealed = cache::seal(build, key, entry)?;
    let path = cache::entry_path(dir, key);
    let folder = path.parent().context("an entry has a folder")?;
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(dir.join(cache::LAYOUT).join("tmp"))?;
    file.write_all(&sealed)?;
    file.persist(&path)?;
    Ok(sealed.len() as u64)
}

/// Marks the entry under `key` as used now, for pruning.
pub fn touch(dir: &Path, key: Key) {
    let path = cache::entry_path(dir, key);
    // Best effort: an entry another build pruned meanwhile is simply gone.
    let _ = std::fs::File::open(path).and_then(|f| f.set_modified(SystemTime::now()));
}

/// Deletes the least recently used entries until the cache holds at most `max_bytes`, and
/// temporary files a killed build left.
pub fn prune(dir: &Path, max_bytes: u64) {
    let layout = dir.join(cache::LAYOUT);
    let tmp = layout.join("tmp");
    let now = SystemTime::now();
    let mut entries = Vec::new();
    let files = walkdir::WalkDir::new(&layout)
        .min_depth(2)
        .max_depth(2)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file());
    for file in files {
        let Ok(meta) = file.metadata() else {
            continue;
        };
        let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if file.path().parent() == Some(tmp.as_path()) {
            if now.duration_since(used).is_ok_and(|age| age > STALE) {
                let _ = std::fs::remove_file(file.path());
            }
            continue;
        }
        entries.push((used, meta.len(), file.into_path()));
    }
    // Newest first; what no longer fits goes.
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    let mut kept = 0u64;
    for (_, len, path) in entries {
        kept += len;
        if kept > max_bytes {
            let _ = std::fs::remove_file(path);
        }
    }
}
