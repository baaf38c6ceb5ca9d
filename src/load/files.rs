//! Reading content files safely: no symlink is followed, sizes are capped before reading, and
//! text must be UTF-8. Problems are diagnostics on the file, never panics.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;

/// A content file read as text, with its path relative to the site root for diagnostics.
#[derive(Debug, Clone)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// Why a file could not be used: the diagnostic, and the lossy text (when there is any) so the
/// printer can still show the line.
pub type Unusable = Box<(Diagnostic, Option<TextFile>)>;

/// `bytes`, the file at `rel`, as UTF-8 text (a byte-order mark dropped).
pub fn text(rel: &Path, bytes: &[u8]) -> Result<TextFile, Unusable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(TextFile {
            path: rel.to_path_buf(),
            text: text.into(),
        }),
        Err(e) => {
            let lossy = TextFile {
                path: rel.to_path_buf(),
                text: String::from_utf8_lossy(bytes).into(),
            };
            let at = e.valid_up_to();
            let help = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                "the file is UTF-16: save it as UTF-8"
            } else {
                "save the file as UTF-8"
            };
            let diagnostic = Diagnostic::error("not-utf8", "the file is not valid UTF-8")
                .at(rel, at..at + 1, "first invalid byte")
                .with_help(help);
            Err(Box::new((diagnostic, Some(lossy))))
        }
    }
}

/// Reads `root/rel` if it is a regular file of at most `max_kib` KiB; `Ok(None)` when it does
/// not exist. The size is checked before anything is read, and symlinks are never followed.
pub fn read_bytes(root: &Path, rel: &Path, max_kib: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
    let full = root.join(rel);
    let meta = match std::fs::symlink_metadata(&full) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_problem(rel, &e)),
    };
    if meta.file_type().is_symlink() {
        return Err(symlink(rel));
    }
    if !meta.is_file() {
        // A pipe or device would block the read or never end.
        return Err(io_problem(
            rel,
            &std::io::Error::other("not a regular file"),
        ));
    }
    if meta.len() > max_kib * 1024 {
        return Err(too_large(rel, meta.len(), max_kib));
    }
    std::fs::read(&full)
        .map(Some)
        .map_err(|e| io_problem(rel, &e))
}

/// A fingerprint of the file at `full`, for noticing that it changed, taken as [`read_bytes`]
/// reads: a symlink is never followed (where it points stands for it), only a regular file is
/// opened, and its bytes are read only up to `max_kib`; a larger file stands by its size and
/// modification time. `None` when there is nothing there (or a folder).
pub fn fingerprint(full: &Path, max_kib: u64) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    use std::io::Read;
    let meta = std::fs::symlink_metadata(full).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    if meta.file_type().is_symlink() {
        ("symlink", std::fs::read_link(full).ok()?).hash(&mut hasher);
    } else if !meta.is_file() {
        return None;
    } else if meta.len() <= max_kib * 1024 {
        let mut bytes = Vec::new();
        let file = std::fs::File::open(full).ok()?;
        // The file may grow between the look and the read: never past the cap.
        file.take(max_kib * 1024 + 1).read_to_end(&mut bytes).ok()?;
        bytes.hash(&mut hasher);
    } else {
        (meta.len(), meta.modified().ok()).hash(&mut hasher);
    }
    Some(hasher.finish())
}

pub fn symlink(rel: &Path) -> Diagnostic {
    Diagnostic::error("symlink", "symbolic links are not allowed in content")
        .at(rel, 0..0, "this is a symbolic link")
        .with_help("replace the link with a copy of the file it points to")
}

pub(super) fn too_large(rel: &Path, len: u64, max_kib: u64) -> Diagnostic {
    Diagnostic::error(
        "file-too-large",
        format!(
            "the file is {} KiB, more than the limit of {max_kib} KiB",
            len.div_ceil(1024)
        ),
    )
    .at(rel, 0..0, "too large")
    .with_help("make the file smaller, or raise the limit under `limits:` in site.yaml")
}

pub(super) fn io_problem(rel: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("unreadable", format!("cannot read the file: {e}")).at(rel, 0..0, "here")
}

/// Every file under `root/rel_dir`, as paths relative to `rel_dir` with `/` separators, sorted.
/// Symlinks are reported, never followed.
pub fn list_files(root: &Path, rel_dir: &Path) -> (Vec<String>, Vec<Diagnostic>) {
    let base = root.join(rel_dir);
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in walkdir::WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e
                    .path()
                    .map_or(rel_dir.to_path_buf(), |p| relative(root, p));
                diagnostics.push(io_problem(&rel, &std::io::Error::other(e.to_string())));
                continue;
            }
        };
        let inside = entry.path().strip_prefix(&base).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            diagnostics.push(symlink(&rel_dir.join(inside)));
        } else if entry.file_type().is_file() {
            files.push(slash_path(inside));
        }
    }
    (files, diagnostics)
}

pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A relative path with `/` separators, as used in links and URLs.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
