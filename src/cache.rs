//! The build cache's keys and entries, pure: what an entry holds, how it is sealed and how it
//! is checked on the way back. `load::cache` reads entries and `write::cache` writes and
//! prunes them; this module touches no disk.
//!
//! An entry is one connector's step of the per-connector pass (its pages and image copies,
//! and what the site-wide files need of it), stored under the hash of everything the step
//! reads. Only a step that reported no diagnostic is stored, so a cached connector has nothing
//! to report and diagnostics never go stale. An entry is trusted only when its header names
//! this build of marketgen and the key it was read under, and its checksum matches: anything
//! else (another version, a truncated or corrupt file, a file renamed to another key) is a
//! miss.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::render::DocsSummary;

/// The first bytes of every entry, with the layout's version.
const MAGIC: &[u8; 16] = b"marketgen-cache1";

/// The hash of a step's inputs: an entry's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }
}

/// Builds a [`Key`] from a step's inputs. Each part is hashed with its length, so that no two
/// different sequences of parts hash alike (`"ab", "c"` and `"a", "bc"`).
#[derive(Clone)]
pub struct Hasher(blake3::Hasher);

impl Hasher {
    /// A hasher for one kind of step: keys of different kinds never meet.
    pub fn new(kind: &str) -> Self {
        let mut hasher = Hasher(blake3::Hasher::new());
        hasher.part(kind.as_bytes());
        hasher
    }

    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// A value by its `Debug` form, which shows every field: a field added to a settings type
    /// later is in the key without anyone remembering to add it.
    pub fn debug(&mut self, value: &impl std::fmt::Debug) -> &mut Self {
        self.part(format!("{value:?}").as_bytes())
    }

    pub fn key(&self) -> Key {
        Key(*self.0.finalize().as_bytes())
    }
}

/// Where the entry under `key` is stored in the cache folder `dir`: a folder per first two
/// hex digits, so that no folder holds more than a few hundred entries.
pub fn entry_path(dir: &Path, key: Key) -> PathBuf {
    let hex = key.hex();
    dir.join(LAYOUT).join(&hex[..2]).join(hex)
}

/// The folder of this layout's entries inside a cache folder: a cache written in another
/// layout is never read.
pub const LAYOUT: &str = "v1";

/// Which build of marketgen made an entry: its version and, so that a rebuilt binary (a fixed
/// bug) never reads what an older one cached, the executable's identity (`load::cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Build(pub [u8; 32]);

/// One connector's step, as stored.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Its output files (pages, image copies, badge), by path in the output folder.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the site-wide files need of a listed connector.
    pub docs: Option<DocsSummary>,
}

fn options() -> impl bincode::Options {
    bincode::DefaultOptions::new()
}

/// `entry` sealed for storing under `key`: header, checksum, body.
pub fn seal(build: Build, key: Key, entry: &Entry) -> anyhow::Result<Vec<u8>> {
    use bincode::Options;
    let body = options().serialize(entry)?;
    let mut sealed = Vec::with_capacity(MAGIC.len() + 3 * 32 + 8 + body.len());
    sealed.extend_from_slice(MAGIC);
    sealed.extend_from_slice(&build.0);
    sealed.extend_from_slice(&key.0);
    sealed.extend_from_slice(blake3::hash(&body).as_bytes());
    sealed.extend_from_slice(&(body.len() as u64).to_le_bytes());
    sealed.extend_from_slice(&body);
    Ok(sealed)
}

/// The entry in `bytes` when they are one this build sealed under `key`, whole and unchanged;
/// `None` otherwise.
pub fn open(build: Build, key: Key, bytes: &[u8]) -> Option<Entry> {
    use bincode::Options;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let rest = rest.strip_prefix(build.0.as_slice())?;
    let rest = rest.strip_prefix(key.0.as_slice())?;
    let (checksum, rest) = rest.split_first_chunk::<32>()?;
    let (length, body) = rest.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*length) != body.len() as u64 || blake3::hash(body).as_bytes() != checksum
    {
        return None;
    }
    // The limit keeps a length field inside the body from asking for more than the body holds.
    options()
        .with_limit(body.len() as u64)
        .deserialize(body)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed() -> (Build, Key, Vec<u8>, Entry) {
        let entry = Entry {
            files: vec![("connectors/a/index.html".into(), b"<p>a</p>".to_vec())],
            docs: Some(DocsSummary::default()),
        };
        let (build, key) = (Build([1; 32]), Hasher::new("test").part(b"a").key());
        let bytes = seal(build, key, &entry).unwrap();
        (build, key, bytes, entry)
    }

    #[test]
    fn an_entry_opens_as_sealed() {
        let (build, key, bytes, entry) = sealed();
        assert_eq!(open(build, key, &bytes), Some(entry));
    }

    #[test]
    fn truncated_corrupt_foreign_or_misnamed_entries_are_misses() {
        let (build, key, bytes, _) = sealed();
        for cut in 0..bytes.len() {
            assert_eq!(open(build, key, &bytes[..cut]), None, "cut at {cut}");
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x20;
            assert_eq!(open(build, key, &flipped), None, "flipped at {at}");
        }
        assert_eq!(open(Build([2; 32]), key, &bytes), None);
        assert_eq!(
            open(build, Hasher::new("test").part(b"b").key(), &bytes),
            None
        );
    }

    #[test]
    fn parts_are_delimited() {
        let ab_c = Hasher::new("t").part(b"ab").part(b"c").key();
        let a_bc = Hasher::new("t").part(b"a").part(b"bc").key();
        assert_ne!(ab_c, a_bc);
    }
}
