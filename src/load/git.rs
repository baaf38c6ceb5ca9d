//! What git knows of a site: the site as it was at a revision, read into a temporary folder
//! for [`super::load`] (what `marketgen diff` compares the working tree against), and since
//! when a record has had its status (what `marketgen report` counts a wait from).
//!
//! It runs the `git` command (`rev-parse`, `ls-tree`, `cat-file --batch`, `log`), which only
//! reads the object database: the user's working tree, index and refs are never touched, and
//! no checkout happens. Only the files `load` reads (site.yaml and the source folders) are written, into a
//! folder removed when the [`Revision`] is dropped. Symbolic links are recreated as links, so
//! that `load` reports them as it would in a checkout, never following them.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// A revision of the site, written out.
pub struct Revision {
    /// The commit the revision named.
    pub commit: String,
    /// The site's root inside [`Revision::dir`].
    pub root: PathBuf,
    /// Held for its removal on drop.
    _dir: tempfile::TempDir,
}

/// Writes the site at `root` as it was at `rev` into a new temporary folder.
pub fn revision(root: &Path, rev: &str) -> anyhow::Result<Revision> {
    // A revision that looks like an option would be read as one by git.
    if rev.is_empty() || rev.starts_with('-') {
        bail!("`{rev}` is not a revision: name a commit, branch or tag, such as `origin/main`");
    }
    let prefix = git(root, &["rev-parse", "--show-prefix"])
        .with_context(|| format!("{} is not inside a git repository", root.display()))?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    let spec = format!("{rev}^{{commit}}");
    let commit = git(root, &["rev-parse", "--verify", "--quiet", &spec])
        .with_context(|| format!("no commit `{rev}` in the repository of {}", root.display()))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    // Run in the site's folder, ls-tree lists the files under it, relative to it.
    let listing = git(root, &["ls-tree", "-r", "-z", &commit])?;
    let entries: Vec<Entry> = listing
        .split(|b| *b == 0)
        .filter(|record| !record.is_empty())
        .map(Entry::parse)
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .filter(|e| super::reads(&e.path) && e.kind != Kind::Submodule)
        .collect();
    if !entries
        .iter()
        .any(|e| e.path == Path::new(super::SITE_FILE))
    {
        bail!(
            "`{rev}` has no {} in {}: the site did not exist at that revision",
            super::SITE_FILE,
            if prefix.is_empty() {
                "the repository's root"
            } else {
                &prefix
            }
        );
    }
    let dir = tempfile::Builder::new()
        .prefix("marketgen-rev-")
        .tempdir()
        .context("cannot make a temporary folder for the revision")?;
    let site = dir.path().join("site");
    let ids: Vec<u8> = entries
        .iter()
        .flat_map(|e| format!("{}\n", e.object).into_bytes())
        .collect();
    let mut batch = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git: is it installed?")?;
    let mut stdin = batch.stdin.take().context("git's input")?;
    // Written from another thread: git answers as it reads, and a full pipe would stall both.
    let writer = std::thread::spawn(move || stdin.write_all(&ids));
    let mut out = BufReader::new(batch.stdout.take().context("git's output")?);
    for entry in &entries {
        let bytes = object(&mut out, &entry.object)?;
        let path = site.join(&entry.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        match entry.kind {
            Kind::Link => std::os::unix::fs::symlink(OsStr::from_bytes(&bytes), &path),
            _ => std::fs::write(&path, &bytes),
        }
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to git failed"))?
        .context("cannot write to git")?;
    let status = batch.wait().context("git cat-file")?;
    if !status.success() {
        bail!("git cat-file failed at {commit}");
    }
    Ok(Revision {
        commit,
        root: site,
        _dir: dir,
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    File,
    Link,
    Submodule,
}

/// One line of `git ls-tree -z`: `<mode> SP <type> SP <object> TAB <path>`.
struct Entry {
    kind: Kind,
    object: String,
    path: PathBuf,
}

impl Entry {
    fn parse(record: &[u8]) -> anyhow::Result<Entry> {
        let tab = record
            .iter()
            .position(|b| *b == b'\t')
            .context("unexpected output from git ls-tree")?;
        let head = String::from_utf8_lossy(&record[..tab]);
        let mut fields = head.split(' ');
        let (Some(mode), Some(_), Some(object)) = (fields.next(), fields.next(), fields.next())
        else {
            bail!("unexpected output from git ls-tree: {head}");
        };
        let path = PathBuf::from(OsStr::from_bytes(&record[tab + 1..]));
        // Git stores no such path, but a crafted tree could hold one: it must stay inside.
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            bail!("git listed a path outside the site: {}", path.display());
        }
        let kind = match mode {
            "120000" => Kind::Link,
            "160000" => Kind::Submodule,
            _ => Kind::File,
        };
        Ok(Entry {
            kind,
            object: object.to_string(),
            path,
        })
    }
}

/// The next object of `git cat-file --batch`: a header `<object> <type> <size>`, the bytes and
/// a line break.
fn object(out: &mut impl BufRead, expected: &str) -> anyhow::Result<Vec<u8>> {
    let mut header = String::new();
    out.read_line(&mut header).context("reading from git")?;
    let mut fields = header.split_whitespace();
    let (Some(object), Some(_), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
        bail!("git cat-file: no object {expected} ({})", header.trim());
    };
    if object != expected {
        bail!("git cat-file answered {object} for {expected}");
    }
    let size: usize = size.parse().context("git cat-file's object size")?;
    let mut bytes = vec![0; size + 1];
    out.read_exact(&mut bytes).context("reading from git")?;
    bytes.pop();
    Ok(bytes)
}

/// Runs git in `dir`; its output, or an error holding what git said.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("cannot run git: is it installed?")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The day (since 1970-01-01) of the last commit that changed the `status:` line of the file
/// at `rel` under `root`, following renames: since when a record has had its status. `None`
/// outside a repository, or for a file never committed.
pub fn status_since(root: &Path, rel: &Path) -> Option<i64> {
    let rel = rel.to_str()?;
    let out = git(
        root,
        &[
            "log",
            "-1",
            "--follow",
            "--format=%ct",
            "-G^status:",
            "--",
            rel,
        ],
    )
    .ok()?;
    let seconds: i64 = String::from_utf8_lossy(&out).trim().parse().ok()?;
    Some(seconds.div_euclid(86_400))
}
