//! The cache of typed cases in `.cm/cache`: what the listings and reports read of each case file,
//! so that listing 100,000 cases does not mean parsing 100,000 files each time.
//!
//! - An entry is the file's path, its stamp (size, modification and change times, inode), the
//!   SHA-256 of its bytes (the first 16 bytes) and the typed case read from it (or the mark that
//!   it could not be read).
//! - A file whose stamp is unchanged is not read again, unless it was modified within two seconds
//!   before the cache was made (a change in the same clock tick would keep its stamp): such a
//!   file, and any whose stamp changed, is read and hashed; the same bytes reuse the entry, other
//!   bytes are parsed again.
//! - `cm validate` never uses it, and the edits do not either: they read the file itself.
//! - It is always safe to delete: the next listing makes it again. A cache from another version
//!   of `cm`, or one that cannot be read, is ignored and replaced.
//! - It holds what the case files hold, personal data included, so it lives in `.cm/` (which holds
//!   a `.gitignore` of its own, so it is never committed) and only its owner may read it.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Case, MAX_FILE_SIZE};
use crate::workflow::{Mode, atomic_write, owner_only};
use crate::workspace::Workspace;

/// The cache file, relative to the workspace root.
pub const CACHE_FILE: &str = ".cm/cache";

/// The first bytes of a cache file; the format and `cm`'s version follow in the header.
const MAGIC: &[u8] = b"cm cache\n";

/// How close to the making of the cache a file may have been modified and still be trusted by its
/// stamp alone: the coarsest clock tick of the usual file systems.
const RACY: Duration = Duration::from_secs(2);

/// What identifies one state of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    modified_ns: u128,
    changed_ns: i128,
    inode: u64,
}

impl Stamp {
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The stamp of the file at `path` (not following a symbolic link).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let modified_ns = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        Some(Stamp {
            size: meta.len(),
            modified_ns,
            changed_ns,
            inode,
        })
    }
}

/// One file in the cache.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    stamp: Stamp,
    hash: [u8; 16],
    /// The typed case, encoded; `None` when the file could not be read as a case.
    case: Option<Vec<u8>>,
}

impl Entry {
    /// The entry for a file stamped `stamp` whose bytes [`hash`] to `hash`, and the case read
    /// from it (if any).
    pub fn new(stamp: Stamp, hash: [u8; 16], case: Option<&Case>) -> Entry {
        Entry {
            stamp,
            hash,
            case: case.and_then(|c| postcard::to_stdvec(c).ok()),
        }
    }

    pub fn hash(&self) -> [u8; 16] {
        self.hash
    }

    /// The same entry for the same bytes, now stamped `stamp`.
    pub fn with_stamp(self, stamp: Stamp) -> Entry {
        Entry { stamp, ..self }
    }

    /// The typed case, or `None` when the file could not be read as one. An error when the
    /// entry itself cannot be decoded (then the file is read again).
    pub fn case(&self) -> Result<Option<Case>, postcard::Error> {
        self.case.as_deref().map(postcard::from_bytes).transpose()
    }
}

#[derive(Serialize, Deserialize)]
struct File {
    version: String,
    /// When the cache was begun (before any file was read), in nanoseconds since 1970.
    made_ns: u128,
    entries: Vec<(String, Entry)>,
}

/// The cache as read at the start of a listing.
pub struct Cache {
    made_ns: u128,
    entries: HashMap<String, Entry>,
    /// When this listing began: the time of the cache it writes.
    now_ns: u128,
}

/// What the cache says of one file.
pub enum Lookup {
    /// Unchanged since the cache was made: use this entry.
    Fresh(Entry),
    /// The file must be read; if its bytes hash to this entry's, it can be used with the new
    /// stamp.
    Check(Option<Entry>),
}

impl Cache {
    /// The workspace's cache, or an empty one when there is none or it cannot be used.
    pub fn open(ws: &Workspace) -> Cache {
        let now_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let file = std::fs::read(ws.root.join(CACHE_FILE))
            .ok()
            .and_then(|bytes| {
                let body = bytes.strip_prefix(MAGIC)?;
                postcard::from_bytes::<File>(body).ok()
            })
            .filter(|f| f.version == version());
        match file {
            Some(f) => Cache {
                made_ns: f.made_ns,
                entries: f.entries.into_iter().collect(),
                now_ns,
            },
            None => Cache {
                made_ns: 0,
                entries: HashMap::new(),
                now_ns,
            },
        }
    }

    /// Whether no entry is left: after every file of the workspace was taken, one left means a
    /// file that is gone.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Takes out what the cache knows of the file shown as `display`, now stamped `stamp`.
    pub fn take(&mut self, display: &str, stamp: Option<Stamp>) -> Lookup {
        let entry = self.entries.remove(display);
        match (entry, stamp) {
            (Some(e), Some(stamp))
                if e.stamp == stamp && stamp.modified_ns + RACY.as_nanos() < self.made_ns =>
            {
                Lookup::Fresh(e)
            }
            (entry, _) => Lookup::Check(entry),
        }
    }

    /// Writes the cache of `entries` (every case file of the workspace), if it can: a listing
    /// does not fail for want of a cache.
    pub fn save(&self, ws: &Workspace, entries: Vec<(String, Entry)>) {
        let file = File {
            version: version(),
            made_ns: self.now_ns,
            entries,
        };
        let Ok(body) = postcard::to_stdvec(&file) else {
            return;
        };
        let dir = ws.root.join(".cm");
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(&ignore, "# cm's own files: never commit them\n*\n");
        }
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&body);
        let _ = atomic_write(&ws.root.join(CACHE_FILE), &bytes, Mode::Scratch, owner_only);
    }
}

/// Reads the file at `path` for the cache's check: at most [`MAX_FILE_SIZE`] + 1 bytes.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The first 16 bytes of the SHA-256 of `bytes`.
pub fn hash(bytes: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(bytes);
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// The cache's format and `cm`'s version: a cache made by another `cm` is not read.
fn version() -> String {
    format!("1 {}", env!("CARGO_PKG_VERSION"))
}
