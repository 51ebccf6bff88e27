//! The cache of typed cases in `.cm/cache`: what the listings and reports read of each case file,
//! so that listing 100,000 cases does not mean parsing 100,000 files each time.
//!
//! - An entry is the file's path, its stamp (size, modification and change times, inode), the
//!   SHA-256 of its bytes (the first 16 bytes), the typed case read from it (or the mark that
//!   it could not be read) and its first error (the readers leave such a case out). The errors
//!   depend on the schema and the settings too, and their messages' dates on the calendar: a
//!   cache made under others is not used.
//! - A file whose stamp is unchanged is not read again, unless it was modified within two seconds
//!   before the cache was made (a change in the same clock tick would keep its stamp): such a
//!   file, and any whose stamp changed, is read and hashed; the same bytes reuse the entry, other
//!   bytes are parsed again.
//! - `cm validate` never uses it (it has its own, keyed by content: see `cm_ops::check::cache`),
//!   and the edits do not either: they read the file itself.
//! - It is always safe to delete: the next listing makes it again. A cache from another build
//!   of `cm`, one that cannot be read, or one that `cm` did not write here — others may read or
//!   change it (`cm` makes it mode 0600), or its stamp is not the one recorded beside it in
//!   `.cm/cache.stamp` when it was written (a cache committed to git and checked out, copied or
//!   unpacked) — is ignored and replaced: its typed cases could say anything.
//! - It holds what the case files hold, personal data included, so it lives in `.cm/` (which holds
//!   a `.gitignore` of its own, so it is never committed) and only its owner may read it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use cm_base::diagnostic::{Diagnostic, Severity};
use cm_base::files::{Mode, atomic_write_with, owner_only, read_at_most};

use crate::model::{Case, Depth};
use crate::workspace::Workspace;

/// The cache file, relative to the workspace root.
pub const CACHE_FILE: &str = ".cm/cache";
/// The stamp of the cache file as `cm` wrote it (see [`Cache::read`]).
const STAMP_FILE: &str = ".cm/cache.stamp";

/// The first bytes of a cache file; the format and `cm`'s version follow in the header.
const MAGIC: &[u8] = b"cm cache\n";

/// How close to the making of the cache (in nanoseconds) a file may have been modified and still
/// be trusted by its stamp alone: the coarsest clock tick of the usual file systems, 2 s.
const RACY_NS: i64 = 2_000_000_000;

/// What identifies one state of a file without reading it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    modified_ns: i64,
    changed_ns: i64,
    inode: u64,
}

impl Stamp {
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the file was last modified long enough before `ns` (nanoseconds since 1970) that a
    /// change made at `ns` or later would change its stamp: not within the coarsest clock tick of
    /// the usual file systems before it.
    pub fn settled_before(&self, ns: i64) -> bool {
        self.modified_ns.saturating_add(RACY_NS) < ns
    }

    /// The stamp of the file at `path` (not following a symbolic link).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let modified_ns = nanos(meta.modified().ok()?);
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(meta.ctime_nsec()),
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

/// One file in the cache. The encoded case is borrowed from the cache file as read, or owned
/// when the file was read again.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry<'a> {
    stamp: Stamp,
    hash: [u8; 16],
    /// The typed case, encoded; empty when the file could not be read as a case (an encoded
    /// case never is). Not an `Option`: serde borrows a `Cow` only when it is the field itself.
    #[serde(borrow, serialize_with = "as_bytes")]
    case: Cow<'a, [u8]>,
    /// The first error of the file, as the readers report it when they leave it out (it could
    /// not be read, or the case is not valid); `None` for a valid case. Boxed: most cases are
    /// valid, and 100,000 entries are held at once.
    error: Option<Box<Stored>>,
}

/// A diagnostic as the cache keeps it (its path is the entry's).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Stored {
    line: usize,
    column: usize,
    code: String,
    message: String,
    help: Option<String>,
}

impl<'a> Entry<'a> {
    /// The entry for a file stamped `stamp` whose bytes hash to `hash` ([`cm_base::files::hash`]):
    /// the case read from it (if any), and its first error (if any).
    pub fn new(
        stamp: Stamp,
        hash: [u8; 16],
        case: Option<&Case>,
        error: Option<&Diagnostic>,
    ) -> Entry<'a> {
        Entry {
            stamp,
            hash,
            case: Cow::Owned(
                case.and_then(|c| postcard::to_stdvec(c).ok())
                    .unwrap_or_default(),
            ),
            error: error.map(|d| {
                Box::new(Stored {
                    line: d.line,
                    column: d.column,
                    code: d.code.to_string(),
                    message: d.message.clone(),
                    help: d.help.clone(),
                })
            }),
        }
    }

    /// The first error of the file shown as `display`, if it has one; `None` when the entry
    /// names a code this `cm` does not know (then the file is read again).
    pub fn error(&self, display: &str) -> Option<Option<Diagnostic>> {
        let Some(stored) = &self.error else {
            return Some(None);
        };
        let code = stored.code.parse().ok()?;
        let d = Diagnostic::new(
            display,
            stored.line,
            stored.column,
            Severity::Error,
            code,
            stored.message.clone(),
        );
        Some(Some(match &stored.help {
            Some(help) => d.with_help(help.clone()),
            None => d,
        }))
    }

    pub fn hash(&self) -> [u8; 16] {
        self.hash
    }

    /// The same entry for the same bytes, now stamped `stamp`.
    pub fn with_stamp(self, stamp: Stamp) -> Entry<'a> {
        Entry { stamp, ..self }
    }

    /// The typed case (to `depth`), or `None` when the file could not be read as one. An error when the
    /// entry itself cannot be decoded (then the file is read again).
    pub fn case(&self, depth: Depth) -> Result<Option<Case>, postcard::Error> {
        if self.case.is_empty() {
            return Ok(None);
        }
        match depth {
            Depth::Whole => postcard::from_bytes(&self.case).map(Some),
            Depth::Head => Case::head_from_cache(&self.case).map(Some),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    version: Cow<'a, str>,
    /// The schema, settings and calendar the errors were found with (see [`Cache::parse`]).
    checks: [u8; 16],
    /// When the cache was begun (before any file was read), in nanoseconds since 1970.
    made_ns: i64,
    #[serde(borrow)]
    entries: Vec<Named<'a>>,
}

/// An entry with the path of its file, relative to the workspace root.
#[derive(Serialize, Deserialize)]
struct Named<'a> {
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    entry: Entry<'a>,
}

/// The cache as read at the start of a listing, borrowing from the bytes of the cache file
/// (see [`Cache::read`]) so that they are held once.
pub struct Cache<'a> {
    checks: [u8; 16],
    made_ns: i64,
    entries: HashMap<Cow<'a, str>, Entry<'a>>,
    /// When this listing began: the time of the cache it writes.
    now_ns: i64,
}

/// What the cache says of one file.
pub enum Lookup<'a> {
    /// Unchanged since the cache was made: use this entry.
    Fresh(Entry<'a>),
    /// The file must be read; if its bytes hash to this entry's, it can be used with the new
    /// stamp.
    Check(Option<Entry<'a>>),
}

impl<'a> Cache<'a> {
    /// The bytes of the workspace's cache file; none when there is none, or when it is not one
    /// `cm` made: `cm` makes it readable by its owner only, and a file that others may read or
    /// change (as git checks out every file, should someone commit one) is not trusted — its
    /// typed cases and errors could say anything.
    pub fn read(ws: &Workspace) -> Vec<u8> {
        read_private(ws, CACHE_FILE, STAMP_FILE)
    }

    /// The cache in `bytes` (from [`Cache::read`]), or an empty one when it cannot be used: it
    /// was made by another `cm`, or its errors were found under other `checks` (the digest of
    /// the schema, the settings and the calendar, see [`crate::reading::Judge::digest`]).
    pub fn parse(bytes: &'a [u8], checks: [u8; 16]) -> Cache<'a> {
        let now_ns = now_ns();
        let file = bytes
            .strip_prefix(MAGIC)
            .and_then(|body| postcard::from_bytes::<File<'a>>(body).ok())
            .filter(|f| f.version == version() && f.checks == checks);
        match file {
            Some(f) => Cache {
                checks,
                made_ns: f.made_ns,
                entries: f.entries.into_iter().map(|n| (n.path, n.entry)).collect(),
                now_ns,
            },
            None => Cache {
                checks,
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
    pub fn take(&mut self, display: &str, stamp: Option<Stamp>) -> Lookup<'a> {
        let entry = self.entries.remove(display);
        match (entry, stamp) {
            (Some(e), Some(stamp)) if e.stamp == stamp && stamp.settled_before(self.made_ns) => {
                Lookup::Fresh(e)
            }
            (entry, _) => Lookup::Check(entry),
        }
    }

    /// Writes the cache of `entries` (every case file of the workspace), if it can: a listing
    /// does not fail for want of a cache. It is encoded straight into the file.
    pub fn save(&self, ws: &Workspace, entries: Vec<(String, Entry<'_>)>) {
        let file = File {
            version: Cow::Owned(version()),
            checks: self.checks,
            made_ns: self.now_ns,
            entries: entries
                .into_iter()
                .map(|(path, entry)| Named {
                    path: Cow::Owned(path),
                    entry,
                })
                .collect(),
        };
        write_private(ws, CACHE_FILE, STAMP_FILE, |out| {
            out.write_all(MAGIC)?;
            postcard::to_io(&file, out).map_err(std::io::Error::other)?;
            Ok(())
        });
    }
}

/// The bytes of `file` (a file of `.cm/`, relative to the root), or none when there is none or
/// when it is not one `cm` made ([`write_private`]): `cm` makes it readable by its owner only,
/// and records its stamp in the file `stamp`; a file that others may read or change (as git
/// checks out every file, should someone commit one), or one whose stamp is not the one
/// recorded, is not trusted — what it holds could say anything.
pub fn read_private(ws: &Workspace, file: &str, stamp: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let read = open_private(ws, file, stamp).map(|mut f| f.read_to_end(&mut bytes));
    match read {
        Some(Ok(_)) => bytes,
        _ => Vec::new(),
    }
}

/// [`read_private`]'s file, opened to be read in parts; none when it would read none.
pub fn open_private(ws: &Workspace, file: &str, stamp: &str) -> Option<std::fs::File> {
    let path = ws.root.join(file);
    let stamp_path = ws.root.join(stamp);
    if ws.confine(&path).is_err() || ws.confine(&stamp_path).is_err() {
        return None;
    }
    // The file is the one this `cm` wrote last: the stamp it recorded then (inode, times) is
    // the file's still. One that came another way — checked out by git, unpacked, copied — has
    // another, which nobody can foretell.
    let recorded = read_at_most(&stamp_path, 256)
        .ok()
        .and_then(|bytes| postcard::from_bytes::<Stamp>(&bytes).ok());
    match std::fs::symlink_metadata(&path) {
        Ok(meta)
            if meta.is_file()
                && private(&meta)
                && recorded.is_some()
                && recorded == Stamp::of(&path) =>
        {
            std::fs::File::open(path).ok()
        }
        _ => None,
    }
}

/// Writes `file` (a file of `.cm/`, relative to the root) with `write`, readable by its owner
/// only, and its stamp to `stamp` (see [`read_private`]), if it can: a command does not fail for
/// want of a cache. Whether both were written.
pub fn write_private(
    ws: &Workspace,
    file: &str,
    stamp: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> bool {
    let path = ws.root.join(file);
    if ws.private_dir().is_err() || ws.confine(&path).is_err() {
        return false;
    }
    let written = atomic_write_with(
        &path,
        Mode::Scratch,
        |out| {
            let mut out = std::io::BufWriter::new(out);
            write(&mut out)?;
            out.flush()
        },
        owner_only,
    );
    let stamp_path = ws.root.join(stamp);
    if let (Ok(()), Some(stamp), Ok(())) = (written, Stamp::of(&path), ws.confine(&stamp_path))
        && let Ok(bytes) = postcard::to_stdvec(&stamp)
    {
        return atomic_write_with(
            &stamp_path,
            Mode::Scratch,
            |f| f.write_all(&bytes),
            owner_only,
        )
        .is_ok();
    }
    false
}

/// Writes `bytes` as bytes: serde would write a slice of `u8` one element at a time (the same
/// encoding in postcard, a length then the bytes, much slower to make).
fn as_bytes<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(bytes)
}

/// Whether a file's permissions keep it to its owner (always so where there are none).
#[cfg(unix)]
pub fn private(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 == 0
}

#[cfg(not(unix))]
pub fn private(_: &std::fs::Metadata) -> bool {
    true
}

/// Now, in nanoseconds since 1970.
pub fn now_ns() -> i64 {
    nanos(SystemTime::now())
}

/// Nanoseconds since 1970 (negative before; saturating past the year 2262).
fn nanos(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// The cache's format and `cm`'s version: a cache made by another `cm` is not read.
fn version() -> String {
    format!("8 {}", build())
}

/// What tells this `cm` from another: its version, and the size and modification time of its
/// program file, so that a cache made by another build of the same version (while `cm` itself
/// is being changed) is not read.
pub fn build() -> &'static str {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let program = std::env::current_exe().and_then(std::fs::metadata);
        let (size, modified) = program.map_or((0, 0), |m| (m.len(), m.modified().map_or(0, nanos)));
        format!("{} {size} {modified}", env!("CARGO_PKG_VERSION"))
    })
}
