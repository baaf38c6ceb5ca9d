//! What git knows of a site: the site as it was at a revision, a [`Tree`] that
//! [`super::load`] reads through [`super::Source`] (what `marketgen diff` and `check --base`
//! compare against), and since when each record has had its status (what `marketgen report`
//! counts a wait from).
//!
//! Objects are read in-process (gitoxide), from the object store of the checkout's own
//! repository: no `git` program runs, and nothing that a repository's configuration,
//! attributes or hooks could name (textconv, filters, fsmonitor, a pager) is ever looked at.
//! The repository is found as a user expects it, by the `.git` of the site's folder or of a
//! folder above it, and never from the environment (`GIT_DIR`) or system and user
//! configuration. A folder between the site and that `.git` which holds a repository's
//! files (`HEAD`, `objects/`, `refs/`), such as content could add, is refused: git would take
//! it for a repository. Nothing is written: a revision's files are listed in memory and each
//! blob is read only once its header has shown it within the cap `load` gives it.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use gix::ObjectId;
use gix::objs::tree::EntryKind;

use super::files;
use super::source::{Kind, Source};
use crate::diag::Diagnostic;

/// The most entries a revision's site may hold: a bound on what a crafted tree (one subtree
/// named a thousand times, each naming it again) can make marketgen list.
const MAX_ENTRIES: usize = 1_000_000;
/// The longest path in a revision's site, Linux's `PATH_MAX`: no checkout can make a longer
/// one. Each entry is listed by its whole path, so a crafted tree nested thousands deep, or
/// under names of a MiB, would otherwise make the listing's memory grow with the square of
/// its depth (30,000 folders deep took 1.6 GB for a tree git stores in 2 MB).
const MAX_PATH: usize = 4096;
/// The most bytes the paths of a revision's site may take between them, a million entries
/// of 64 bytes: long paths, each within [`MAX_PATH`], by the hundred thousand would
/// otherwise take gigabytes.
const MAX_PATH_BYTES: usize = 64 << 20;
/// The largest tree object read: a folder of 10,000 connectors is about 500 KiB.
const MAX_TREE_BYTES: u64 = 64 << 20;
/// The most folders a commit deletes beside a record it adds for `report` to compare the
/// record with each (as git's `diff.renameLimit`): past this many, only a record that did not
/// change is followed to its old folder. Each comparison reads a record and counts its lines,
/// so a crafted commit deleting 3,000 folders held `report` for 87 seconds per waiting record.
const RENAME_CANDIDATES: usize = 100;
/// The most commits `report` looks at for the records' status changes.
const MAX_COMMITS: usize = 100_000;

/// A revision of the site, read in memory.
pub struct Revision {
    /// The commit the revision named.
    pub commit: String,
    /// The site as it was at that commit.
    pub source: Source,
}

/// The site at `root` as it was at `rev`.
pub fn revision(root: &Path, rev: &str) -> anyhow::Result<Revision> {
    if rev.is_empty() || rev.starts_with('-') {
        bail!("`{rev}` is not a revision: name a commit, branch or tag, such as `origin/main`");
    }
    let found = repository(root)?
        .ok_or_else(|| anyhow!("{} is not inside a git repository", root.display()))?;
    let repo = found.repo.to_thread_local();
    let spec = format!("{rev}^{{commit}}");
    let commit = repo
        .rev_parse_single(spec.as_str())
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("no commit `{rev}` in the repository of {}", root.display()))?
        .detach();
    let tree_id = repo
        .find_commit(commit)
        .and_then(|c| c.tree_id())
        .map_err(|e| anyhow!("cannot read commit {commit}: {e}"))?
        .detach();
    let prefix = shown_prefix(&found.prefix);
    let Some(site) = subtree(&repo, tree_id, &found.prefix)? else {
        bail!("`{rev}` has no {prefix}: the site did not exist at that revision");
    };
    let entries = list(&repo, site)?;
    if !matches!(
        entries.get(Path::new(super::SITE_FILE)),
        Some(Entry::Blob(_) | Entry::Link)
    ) {
        bail!(
            "`{rev}` has no {} in {prefix}: the site did not exist at that revision",
            super::SITE_FILE
        );
    }
    let name = match found.prefix.as_os_str().is_empty() {
        true => format!("{rev}:"),
        false => format!("{rev}:{}/", found.prefix.display()),
    };
    let tree = Tree {
        repo: found.repo,
        name,
        entries,
    };
    Ok(Revision {
        commit: commit.to_string(),
        source: Source::Tree(Arc::new(tree)),
    })
}

fn shown_prefix(prefix: &Path) -> String {
    match prefix.as_os_str().is_empty() {
        true => "the repository's root".to_string(),
        false => prefix.display().to_string(),
    }
}

/// The site's files at a revision: what `load` reads (site.yaml and the source folders), by
/// path relative to the site.
pub struct Tree {
    repo: gix::ThreadSafeRepository,
    /// `origin/main:site/`, what a path is shown after in messages.
    name: String,
    entries: BTreeMap<PathBuf, Entry>,
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tree")
            .field("name", &self.name)
            .field("entries", &self.entries.len())
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Dir,
    /// Mode 120000: reported as a link, never read or followed.
    Link,
    Blob(ObjectId),
}

impl Entry {
    fn kind(self) -> Kind {
        match self {
            Entry::Dir => Kind::Dir,
            Entry::Link => Kind::Link,
            Entry::Blob(_) => Kind::File,
        }
    }
}

impl Tree {
    pub(super) fn describe(&self, rel: &Path) -> String {
        format!("{}{}", self.name, rel.display())
    }

    pub(super) fn kind(&self, rel: &Path) -> Option<Kind> {
        self.entries.get(rel).map(|e| e.kind())
    }

    /// The entries below `dir`, in the order of a walk of a folder sorted by name.
    fn below<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = (&'a PathBuf, &'a Entry)> {
        self.entries
            .range::<Path, _>((Bound::Excluded(dir), Bound::Unbounded))
            .take_while(move |(path, _)| path.starts_with(dir))
    }

    pub(super) fn entries(&self, dir: &Path) -> Vec<(OsString, Kind)> {
        self.below(dir)
            .filter(|(path, _)| path.parent() == Some(dir))
            .filter_map(|(path, entry)| Some((path.file_name()?.to_owned(), entry.kind())))
            .collect()
    }

    pub(super) fn list_files(&self, dir: &Path) -> (Vec<String>, Vec<Diagnostic>) {
        let mut found = Vec::new();
        let mut diagnostics = Vec::new();
        for (path, entry) in self.below(dir) {
            match entry {
                Entry::Blob(_) => {
                    let inside = path.strip_prefix(dir).unwrap_or(path);
                    found.push(files::slash_path(inside));
                }
                Entry::Link => diagnostics.push(files::symlink(path)),
                Entry::Dir => {}
            }
        }
        (found, diagnostics)
    }

    pub(super) fn read(&self, rel: &Path, max_kib: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
        let id = match self.entries.get(rel) {
            None => return Ok(None),
            Some(Entry::Link) => return Err(files::symlink(rel)),
            Some(Entry::Dir) => {
                return Err(files::io_problem(
                    rel,
                    &std::io::Error::other("not a regular file"),
                ));
            }
            Some(Entry::Blob(id)) => *id,
        };
        let repo = self.repo.to_thread_local();
        let unreadable = |e: String| {
            files::io_problem(rel, &std::io::Error::other(format!("git object {id}: {e}")))
        };
        let header = repo
            .find_header(id)
            .map_err(|e| unreadable(e.to_string()))?;
        if header.kind() != gix::objs::Kind::Blob {
            return Err(unreadable(format!("a {}, not a file", header.kind())));
        }
        if header.size() > max_kib * 1024 {
            return Err(files::too_large(rel, header.size(), max_kib));
        }
        let object = repo
            .find_object(id)
            .map_err(|e| unreadable(e.to_string()))?;
        Ok(Some(object.detach().data))
    }
}

/// One entry of a tree object.
struct TreeEntry {
    name: Vec<u8>,
    kind: EntryKind,
    id: ObjectId,
}

/// The entries of the tree `id`, once each name (a crafted tree may name one twice: a link
/// then stands for the name, so that it is reported, else the first entry), sorted by name.
/// The object's size is checked before it is read.
fn read_tree(repo: &gix::Repository, id: ObjectId) -> anyhow::Result<Vec<TreeEntry>> {
    let header = repo
        .find_header(id)
        .map_err(|e| anyhow!("cannot read git tree {id}: {e}"))?;
    if header.kind() != gix::objs::Kind::Tree {
        bail!("git object {id} is a {}, not a tree", header.kind());
    }
    if header.size() > MAX_TREE_BYTES {
        bail!(
            "git tree {id} is {} bytes, more than marketgen reads ({MAX_TREE_BYTES})",
            header.size()
        );
    }
    let object = repo
        .find_object(id)
        .map_err(|e| anyhow!("cannot read git tree {id}: {e}"))?;
    let mut entries: Vec<TreeEntry> = Vec::new();
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    for entry in gix::objs::TreeRefIter::from_bytes(&object.data, repo.object_hash()) {
        let entry = entry.map_err(|e| anyhow!("cannot decode git tree {id}: {e}"))?;
        let name: &[u8] = entry.filename.as_ref();
        // A name git would never check out could alias another path.
        if name.is_empty() || name == b"." || name == b".." || name.contains(&b'/') {
            bail!(
                "git tree {id} holds an entry named {:?}, which git would refuse to check out",
                String::from_utf8_lossy(name)
            );
        }
        let new = TreeEntry {
            name: name.to_vec(),
            kind: entry.mode.kind(),
            id: entry.oid.to_owned(),
        };
        match seen.get(name) {
            Some(&at) => {
                if new.kind == EntryKind::Link {
                    entries[at] = new;
                }
            }
            None => {
                seen.insert(new.name.clone(), entries.len());
                entries.push(new);
            }
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// The tree at `path` under the tree `root`; `None` when there is none (or a link stands
/// there).
fn subtree(
    repo: &gix::Repository,
    root: ObjectId,
    path: &Path,
) -> anyhow::Result<Option<ObjectId>> {
    let mut tree = root;
    for component in path.components() {
        let name = component.as_os_str().as_encoded_bytes();
        let entries = read_tree(repo, tree)?;
        match entries.iter().find(|e| e.name == name) {
            Some(e) if e.kind == EntryKind::Tree => tree = e.id,
            _ => return Ok(None),
        }
    }
    Ok(Some(tree))
}

/// Every entry of the site's tree that `load` reads: site.yaml, and everything under the
/// source folders. Submodules are left out, as a checkout leaves their folders empty.
fn list(repo: &gix::Repository, site: ObjectId) -> anyhow::Result<BTreeMap<PathBuf, Entry>> {
    let mut found = BTreeMap::new();
    let mut path_bytes = 0;
    let mut stack = vec![(PathBuf::new(), site)];
    while let Some((dir, id)) = stack.pop() {
        for entry in read_tree(repo, id)? {
            // A name is bytes on Unix; Windows names only Unicode.
            let name = gix::path::from_byte_slice(&entry.name)
                .map_err(|_| {
                    anyhow!(
                        "the revision's site holds a name that is not UTF-8 ({}), which this system cannot make",
                        String::from_utf8_lossy(&entry.name)
                    )
                })?
                .as_os_str();
            let top = dir.as_os_str().is_empty();
            if top && name != super::SITE_FILE && !super::SOURCE_FOLDERS.iter().any(|f| name == *f)
            {
                continue;
            }
            let path = dir.join(name);
            if path.as_os_str().len() > MAX_PATH {
                let start = &path.as_os_str().as_encoded_bytes()[..80];
                bail!(
                    "the revision's site holds a path longer than {MAX_PATH} bytes, which no checkout can make ({}…): marketgen reads no more",
                    String::from_utf8_lossy(start)
                );
            }
            path_bytes += path.as_os_str().len();
            if path_bytes > MAX_PATH_BYTES {
                bail!(
                    "the revision's site holds paths of more than {} MiB between them: marketgen reads no more",
                    MAX_PATH_BYTES >> 20
                );
            }
            let node = match entry.kind {
                EntryKind::Tree => {
                    stack.push((path.clone(), entry.id));
                    Entry::Dir
                }
                EntryKind::Link => Entry::Link,
                EntryKind::Blob | EntryKind::BlobExecutable => Entry::Blob(entry.id),
                EntryKind::Commit => continue,
            };
            found.insert(path, node);
            if found.len() > MAX_ENTRIES {
                bail!(
                    "the revision's site holds more than {MAX_ENTRIES} files and folders: marketgen reads no more"
                );
            }
        }
    }
    Ok(found)
}

/// The checkout's repository, and the site's folder inside its work tree.
struct Found {
    repo: gix::ThreadSafeRepository,
    prefix: PathBuf,
}

/// The repository of the site at `root`: the first `.git` (a folder, or a file naming one, as
/// in a linked work tree or a submodule) in the site's folder or a folder above it, opened
/// with nothing from the environment or system and user configuration. `None` outside a
/// repository. `GIT_CEILING_DIRECTORIES` is honoured, as git does, since it can only stop the
/// search sooner.
fn repository(root: &Path) -> anyhow::Result<Option<Found>> {
    // A shell that changed into the site's folder through a link keeps the path it was
    // given in `PWD`: the process itself sees only where the link led.
    let pwd = std::env::var_os("PWD").map(PathBuf::from);
    let named = match pwd {
        Some(pwd)
            if root.is_relative()
                && std::fs::canonicalize(&pwd).ok() == std::env::current_dir().ok() =>
        {
            match root == Path::new(".") {
                true => pwd,
                false => pwd.join(root),
            }
        }
        _ => root.to_path_buf(),
    };
    if let Some(link) = link_on_the_way(&named) {
        bail!(
            "{} is a symbolic link inside the site's repository: its history is read at the path the link names, so a pull request that turns the site's folder into a link to another folder would be compared with that folder's past and judged by its site.yaml; name the folder itself with --root",
            link.display()
        );
    }
    let site = std::fs::canonicalize(root)
        .with_context(|| format!("cannot read the site folder {}", root.display()))?;
    let ceilings: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|dirs| {
            std::env::split_paths(&dirs)
                .filter(|d| d.is_absolute())
                .filter_map(|d| std::fs::canonicalize(d).ok())
                .collect()
        })
        .unwrap_or_default();
    for dir in site.ancestors() {
        if dir != site && ceilings.iter().any(|c| c == dir) {
            break;
        }
        if let Some(names) = repository_layout(dir) {
            bail!(
                "{} holds the files of a git repository ({}), which git would take for the site's repository: marketgen reads no git history through it; remove them from the content (they are no part of a site), then run marketgen again",
                dir.display(),
                names.join(", ")
            );
        }
        let dot_git = dir.join(".git");
        if std::fs::symlink_metadata(&dot_git).is_err() {
            continue;
        }
        let repo = gix::ThreadSafeRepository::open_opts(&dot_git, gix::open::Options::isolated())
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| format!("{} is not a usable git repository", dot_git.display()))?;
        let prefix = site
            .strip_prefix(dir)
            .unwrap_or(Path::new(""))
            .to_path_buf();
        return Ok(Some(Found { repo, prefix }));
    }
    Ok(None)
}

/// The first symbolic link on the way from the site's folder, as named, up to the first
/// folder holding a `.git`: a link the checkout holds, which content can make. Links above the
/// repository (a home folder on another disk) are the machine's, and none when there is no
/// repository.
fn link_on_the_way(root: &Path) -> Option<PathBuf> {
    let mut link = None;
    for dir in root.ancestors() {
        let dir = match dir.as_os_str().is_empty() {
            true => Path::new("."),
            false => dir,
        };
        let is_link = std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
        if link.is_none() && is_link {
            link = Some(dir.to_path_buf());
        }
        if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
            return link;
        }
    }
    None
}

/// The names that make `dir` look like a repository to git (`HEAD`, and `objects` or `refs`,
/// or `commondir` naming them elsewhere), when it holds them. Broader than git's own test,
/// which also wants `HEAD` to be a valid reference: no site has any reason to hold these.
fn repository_layout(dir: &Path) -> Option<Vec<&'static str>> {
    let has = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
    if !has("HEAD") || !["objects", "refs", "commondir"].into_iter().any(has) {
        return None;
    }
    let names = [
        "HEAD",
        "objects",
        "refs",
        "commondir",
        "config",
        "info",
        "hooks",
        "packed-refs",
    ];
    Some(names.into_iter().filter(|n| has(n)).collect())
}

/// For each record (a path relative to the site at `root`), the day (since 1970-01-01) of the
/// newest commit that changed its `status:` line: since when the record has had its status.
/// One walk of the history from `HEAD`, newest commit first, for all records at once, bounded
/// by [`MAX_COMMITS`]. As `git log -G^status: --follow` does, a merge counts for nothing of
/// its own, and a record added where another of its folder's siblings was deleted, with at
/// least half of its lines (unchanged, past [`RENAME_CANDIDATES`] deleted folders), is
/// followed to that one (a renamed folder). A record missing
/// from the answer has no such commit; the answer is empty outside a repository. A record
/// larger than `max_kib` counts as changed.
pub fn status_since(
    root: &Path,
    records: &[PathBuf],
    max_kib: u64,
) -> anyhow::Result<BTreeMap<PathBuf, i64>> {
    let mut since = BTreeMap::new();
    let Some(found) = repository(root)? else {
        return Ok(since);
    };
    let repo = found.repo.to_thread_local();
    let Ok(head) = repo.head_id() else {
        // No commit yet.
        return Ok(since);
    };
    let mut history = History {
        repo: &repo,
        trees: HashMap::new(),
        cached: 0,
        max_kib,
    };
    // Each record, and the path (in the repository) it had in the commits still to walk.
    let mut pending: Vec<(PathBuf, Vec<Vec<u8>>)> = records
        .iter()
        .map(|r| {
            let path = found.prefix.join(r);
            let parts = path
                .components()
                .map(|c| c.as_os_str().as_encoded_bytes().to_vec())
                .collect();
            (r.clone(), parts)
        })
        .collect();
    let walk = repo
        .rev_walk([head.detach()])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()
        .map_err(|e| anyhow!("cannot walk the history of {}: {e}", root.display()))?;
    // A shallow clone's oldest commits stand as git shows them: without parents.
    let shallow = repo.shallow_commits().ok().flatten();
    for info in walk.take(MAX_COMMITS) {
        if pending.is_empty() {
            break;
        }
        let info = info.map_err(|e| anyhow!("cannot walk the history: {e}"))?;
        let parents: Vec<ObjectId> = match shallow.as_ref().is_some_and(|s| s.contains(&info.id)) {
            true => Vec::new(),
            false => info.parent_ids.iter().copied().collect(),
        };
        if parents.len() > 1 {
            continue;
        }
        let commit = repo
            .find_commit(info.id)
            .map_err(|e| anyhow!("cannot read commit {}: {e}", info.id))?;
        let seconds = match info.commit_time {
            Some(seconds) => seconds,
            None => commit.time().map_err(|e| anyhow!("{e}"))?.seconds,
        };
        let tree = commit.tree_id().map_err(|e| anyhow!("{e}"))?.detach();
        let parent_tree = match parents.first() {
            Some(parent) => {
                let commit = repo
                    .try_find_object(*parent)
                    .map_err(|e| anyhow!("cannot read commit {parent}: {e}"))?;
                match commit {
                    Some(commit) => Some(
                        commit
                            .try_into_commit()
                            .and_then(|c| c.tree_id())
                            .map_err(|e| anyhow!("cannot read commit {parent}: {e}"))?
                            .detach(),
                    ),
                    // Missing, as past the edge of a shallow clone.
                    None => None,
                }
            }
            None => None,
        };
        let mut still = Vec::new();
        for (record, path) in pending {
            match history.change(tree, parent_tree, &path)? {
                Change::None => still.push((record, path)),
                Change::Renamed(from) => still.push((record, from)),
                Change::Status => {
                    since.insert(record, seconds.div_euclid(86_400));
                }
            }
        }
        pending = still;
        // Bounded, whatever the trees: a crafted one can name a million entries.
        if history.cached > MAX_ENTRIES {
            history.trees.clear();
            history.cached = 0;
        }
    }
    Ok(since)
}

/// What a commit did to a record's status line.
enum Change {
    None,
    /// The record came from this path, with the same status line.
    Renamed(Vec<Vec<u8>>),
    Status,
}

/// Reads trees and records for [`status_since`], keeping the trees it decoded: a commit's
/// trees are mostly its parent's.
struct History<'r> {
    repo: &'r gix::Repository,
    trees: HashMap<ObjectId, Arc<Vec<TreeEntry>>>,
    /// The entries of the trees kept.
    cached: usize,
    max_kib: u64,
}

impl History<'_> {
    fn tree(&mut self, id: ObjectId) -> anyhow::Result<Arc<Vec<TreeEntry>>> {
        if let Some(tree) = self.trees.get(&id) {
            return Ok(tree.clone());
        }
        let tree = Arc::new(read_tree(self.repo, id)?);
        self.cached += tree.len();
        self.trees.insert(id, tree.clone());
        Ok(tree)
    }

    /// The entry at `path` under the tree `root`.
    fn entry(
        &mut self,
        root: Option<ObjectId>,
        path: &[Vec<u8>],
    ) -> anyhow::Result<Option<(EntryKind, ObjectId)>> {
        let Some(mut id) = root else {
            return Ok(None);
        };
        let mut kind = EntryKind::Tree;
        for name in path {
            if kind != EntryKind::Tree {
                return Ok(None);
            }
            let tree = self.tree(id)?;
            let Ok(at) = tree.binary_search_by(|e| e.name.as_slice().cmp(name)) else {
                return Ok(None);
            };
            (kind, id) = (tree[at].kind, tree[at].id);
        }
        Ok(Some((kind, id)))
    }

    /// The `status:` lines of the record `id` (a blob), or `None` for a record too large to
    /// read, or anything else.
    fn status(&self, entry: Option<(EntryKind, ObjectId)>) -> Option<Vec<Vec<u8>>> {
        let Some((EntryKind::Blob | EntryKind::BlobExecutable, id)) = entry else {
            return Some(Vec::new());
        };
        let lines = self.lines(id)?;
        Some(
            lines
                .into_iter()
                .filter(|l| l.starts_with(b"status:"))
                .collect(),
        )
    }

    fn lines(&self, id: ObjectId) -> Option<Vec<Vec<u8>>> {
        let header = self.repo.find_header(id).ok()?;
        if header.kind() != gix::objs::Kind::Blob || header.size() > self.max_kib * 1024 {
            return None;
        }
        let blob = self.repo.find_object(id).ok()?;
        Some(
            blob.data
                .split(|b| *b == b'\n')
                .map(|l| l.trim_ascii_end().to_vec())
                .collect(),
        )
    }

    fn change(
        &mut self,
        tree: ObjectId,
        parent: Option<ObjectId>,
        path: &[Vec<u8>],
    ) -> anyhow::Result<Change> {
        let after = self.entry(Some(tree), path)?;
        let before = self.entry(parent, path)?;
        if after.map(|e| e.1) == before.map(|e| e.1) {
            return Ok(Change::None);
        }
        let status = self.status(after);
        if before.is_none()
            && after.is_some()
            && let Some(from) = self.renamed_from(tree, parent, path)?
        {
            let earlier = self.entry(parent, &from)?;
            return Ok(match self.status(earlier) == status && status.is_some() {
                true => Change::Renamed(from),
                false => Change::Status,
            });
        }
        Ok(match status.is_some() && self.status(before) == status {
            true => Change::None,
            false => Change::Status,
        })
    }

    /// Where the record at `path`, added by this commit, was renamed from: the same file of
    /// a sibling folder that this commit deleted, the same blob or, among at most
    /// [`RENAME_CANDIDATES`] deleted folders, one sharing at least half of its lines.
    fn renamed_from(
        &mut self,
        tree: ObjectId,
        parent: Option<ObjectId>,
        path: &[Vec<u8>],
    ) -> anyhow::Result<Option<Vec<Vec<u8>>>> {
        let [folders @ .., _, file] = path else {
            return Ok(None);
        };
        let (Some((EntryKind::Tree, now)), Some((EntryKind::Tree, then))) = (
            self.entry(Some(tree), folders)?,
            self.entry(parent, folders)?,
        ) else {
            return Ok(None);
        };
        let Some((_, added)) = self.entry(Some(tree), path)? else {
            return Ok(None);
        };
        let (now, then) = (self.tree(now)?, self.tree(then)?);
        let deleted: Vec<&TreeEntry> = then
            .iter()
            .filter(|e| e.kind == EntryKind::Tree)
            .filter(|e| now.binary_search_by(|n| n.name.cmp(&e.name)).is_err())
            .collect();
        let added_lines = match deleted.len() <= RENAME_CANDIDATES {
            true => self.lines(added),
            false => None,
        };
        let mut best: Option<(f64, Vec<Vec<u8>>)> = None;
        for folder in deleted {
            let mut candidate = folders.to_vec();
            candidate.extend([folder.name.clone(), file.clone()]);
            let Some((_, id)) = self.entry(parent, &candidate)? else {
                continue;
            };
            let score = match (id == added, &added_lines) {
                (true, _) => 1.0,
                (false, Some(a)) => self.lines(id).map_or(0.0, |b| similarity(a, &b)),
                (false, None) => 0.0,
            };
            if score >= 0.5 && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, candidate));
            }
        }
        Ok(best.map(|(_, path)| path))
    }
}

/// The share of lines two texts have in common.
fn similarity(a: &[Vec<u8>], b: &[Vec<u8>]) -> f64 {
    let mut counts: HashMap<&[u8], isize> = HashMap::new();
    for line in a {
        *counts.entry(line).or_default() += 1;
    }
    let mut common = 0;
    for line in b {
        if let Some(n) = counts.get_mut(line.as_slice())
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    (2 * common) as f64 / (a.len() + b.len()).max(1) as f64
}
