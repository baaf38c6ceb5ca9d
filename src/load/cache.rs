//! Reads the build cache: an entry by its key, and which build of marketgen is running. An
//! entry is read only under the key computed from a step's inputs, and trusted only once
//! `cache::open` has checked it; an entry that cannot be read is a miss, never an error.

use std::path::Path;
use std::time::SystemTime;

use crate::cache::{self, Build, Entry, Key};

/// An entry file larger than this is not read: no connector's output comes near it.
const MAX_ENTRY: u64 = 1 << 30;

/// This build of marketgen: its version and its executable's size and modification time, so
/// that a rebuilt binary never trusts what another one cached.
pub fn build() -> Build {
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    let mut hasher = cache::Hasher::new("build");
    hasher.part(env!("CARGO_PKG_VERSION").as_bytes());
    match exe {
        Ok(meta) => hasher.debug(&(meta.len(), meta.modified().ok())),
        // Nothing to tell builds apart by: a key no other run shares.
        Err(_) => hasher.debug(&SystemTime::now()),
    };
    Build(*hasher.key().as_bytes())
}

/// The entry stored under `key`, with when it was last used; `None` on a miss.
pub fn read(dir: &Path, build: Build, key: Key) -> Option<(Entry, SystemTime)> {
    let path = cache::entry_path(dir, key);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_ENTRY {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    Some((cache::open(build, key, &bytes)?, used))
}
