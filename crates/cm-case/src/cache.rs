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
//! - The entries are in the order of the files. A listing reads the old cache a few entries at a
//!   time beside the files, and writes the new one as it goes, from the first file that changed
//!   (the entries before it copied as they were): the cache is never held whole.
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
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use cm_base::diagnostic::{Diagnostic, Severity};
use cm_base::files::{Atomic, Mode, atomic_write_with, owner_only, read_at_most};

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

    /// The same entry, holding its bytes.
    pub fn into_owned(self) -> Entry<'static> {
        Entry {
            case: Cow::Owned(self.case.into_owned()),
            ..self
        }
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

/// The head of the cache file; its entries follow it, one after another, in the order of the
/// files (see [`Workspace::case_files`]).
#[derive(Serialize, Deserialize)]
struct Head<'a> {
    #[serde(borrow)]
    version: Cow<'a, str>,
    /// The schema, settings and calendar the errors were found with (see [`Cache::open`]).
    checks: [u8; 16],
    /// When the cache was begun (before any file was read), in nanoseconds since 1970.
    made_ns: i64,
}

/// An entry with the path of its file, relative to the workspace root.
#[derive(Serialize, Deserialize)]
struct Named<'a> {
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    entry: Entry<'a>,
}

/// A [`Named`] to be written, as it is encoded.
#[derive(Serialize)]
struct NamedRef<'e> {
    path: &'e str,
    entry: &'e Entry<'e>,
}

/// The cache as a listing goes through it, the files in order: the old cache file read a few
/// entries at a time, and the new one written as the files are read, from the first file that
/// changed on (until then, the new cache would be the old one). So a listing of 100,000 cases
/// never holds the cache whole.
pub struct Cache {
    checks: [u8; 16],
    old: Option<OldCache>,
    /// The next entry of the old cache, read ahead, and where it ends in the file.
    next: Option<(String, Entry<'static>, u64)>,
    /// Where the last entry taken ends in the old file (where the entries begin, before any).
    taken_to: u64,
    /// Whether an entry of the old cache was passed over: its file is gone.
    gone: bool,
    /// When this listing began: the time of the cache it writes.
    now_ns: i64,
    new: Option<Private>,
    /// Whether the new cache could not be written: it is not tried again.
    failed: bool,
}

/// What the cache says of one file.
pub enum Lookup<'a> {
    /// Unchanged since the cache was made: use this entry.
    Fresh(Entry<'a>),
    /// The file must be read; if its bytes hash to this entry's, it can be used with the new
    /// stamp.
    Check(Option<Entry<'a>>),
}

/// The old cache file, read in order.
struct OldCache {
    file: std::fs::File,
    made_ns: i64,
    /// Bytes read, where they begin in the file, and where in them the entries not yet decoded
    /// begin.
    buffer: Vec<u8>,
    buffer_at: u64,
    start: usize,
    /// Where the entries begin in the file.
    entries_at: u64,
    ended: bool,
}

/// How much of the old cache file is read at a time.
const READ_AHEAD: usize = 1 << 20;

impl OldCache {
    /// The cache file of `ws`, when `cm` made it (see [`read_private`]) under `checks`.
    fn open(ws: &Workspace, checks: [u8; 16]) -> Option<OldCache> {
        let file = open_private(ws, CACHE_FILE, STAMP_FILE)?;
        let mut old = OldCache {
            file,
            made_ns: 0,
            buffer: Vec::new(),
            buffer_at: 0,
            start: 0,
            entries_at: 0,
            ended: false,
        };
        let (made_ns, used) = loop {
            let read = old
                .buffer
                .strip_prefix(MAGIC)
                .map(postcard::take_from_bytes::<Head<'_>>);
            match read {
                Some(Ok((head, rest))) => {
                    if head.version != version() || head.checks != checks {
                        return None;
                    }
                    break (head.made_ns, old.buffer.len() - rest.len());
                }
                Some(Err(postcard::Error::DeserializeUnexpectedEnd)) | None
                    if !old.ended && old.buffer.len() < 1 << 16 =>
                {
                    old.fill().ok()?;
                }
                _ => return None,
            }
        };
        old.made_ns = made_ns;
        old.start = used;
        old.entries_at = old.position();
        Some(old)
    }

    /// Where the entries not yet decoded begin in the file.
    fn position(&self) -> u64 {
        self.buffer_at + self.start as u64
    }

    /// Reads more of the file into the buffer, after dropping what was decoded.
    fn fill(&mut self) -> std::io::Result<()> {
        self.buffer.drain(..self.start);
        self.buffer_at += self.start as u64;
        self.start = 0;
        let len = self.buffer.len();
        self.buffer.resize(len + READ_AHEAD, 0);
        let read = loop {
            match self.file.read(&mut self.buffer[len..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        let n = read.inspect_err(|_| self.buffer.truncate(len))?;
        self.buffer.truncate(len + n);
        self.ended = n == 0;
        Ok(())
    }

    /// The next entry, with where it ends in the file; none at the end, or when the rest cannot
    /// be read (then the files left are read again).
    fn next(&mut self) -> Option<(String, Entry<'static>, u64)> {
        loop {
            match postcard::take_from_bytes::<Named<'_>>(&self.buffer[self.start..]) {
                Ok((named, rest)) => {
                    let used = self.buffer.len() - self.start - rest.len();
                    let owned = (named.path.into_owned(), named.entry.into_owned());
                    self.start += used;
                    return Some((owned.0, owned.1, self.position()));
                }
                Err(postcard::Error::DeserializeUnexpectedEnd) if !self.ended => {
                    self.fill().ok()?;
                }
                Err(_) => return None,
            }
        }
    }

    /// Copies the bytes of the file from `from` to `to` into `out`, then goes on reading where
    /// it was.
    fn copy(&mut self, from: u64, to: u64, out: &mut dyn Write) -> std::io::Result<()> {
        let resume = self.buffer_at + self.buffer.len() as u64;
        self.file.seek(SeekFrom::Start(from))?;
        std::io::copy(&mut (&mut self.file).take(to.saturating_sub(from)), out)?;
        self.file.seek(SeekFrom::Start(resume))?;
        Ok(())
    }
}

impl Cache {
    /// The cache of `ws`, when it can be used: one `cm` made (see [`read_private`]) with its
    /// errors found under `checks` (the digest of the schema, the settings and the calendar,
    /// see [`crate::reading::Judge::digest`]); else an empty one.
    pub fn open(ws: &Workspace, checks: [u8; 16]) -> Cache {
        let now_ns = now_ns();
        let old = OldCache::open(ws, checks);
        Cache {
            checks,
            taken_to: old.as_ref().map_or(0, |o| o.entries_at),
            old,
            next: None,
            gone: false,
            now_ns,
            new: None,
            failed: false,
        }
    }

    /// Takes out what the cache knows of the file shown as `display`, now stamped `stamp`;
    /// the files are asked for in their order.
    pub fn take(&mut self, display: &str, stamp: Option<Stamp>) -> Lookup<'static> {
        let made_ns = self.old.as_ref().map_or(0, |o| o.made_ns);
        loop {
            if self.next.is_none() {
                self.next = self.old.as_mut().and_then(OldCache::next);
            }
            let Some((path, _, _)) = &self.next else {
                return Lookup::Check(None);
            };
            match Path::new(path.as_str()).cmp(Path::new(display)) {
                std::cmp::Ordering::Less => {
                    self.next = None;
                    self.gone = true;
                }
                std::cmp::Ordering::Greater => return Lookup::Check(None),
                std::cmp::Ordering::Equal => break,
            }
        }
        let (_, entry, end) = self.next.take().expect("looked at above");
        self.taken_to = end;
        match stamp {
            Some(stamp) if entry.stamp == stamp && stamp.settled_before(made_ns) => {
                Lookup::Fresh(entry)
            }
            _ => Lookup::Check(Some(entry)),
        }
    }

    /// Whether there was an old cache to compare the files with.
    pub fn knew_any(&self) -> bool {
        self.old.is_some()
    }

    /// Where the entries taken so far end in the old cache file: pass it to [`Cache::write`].
    pub fn mark(&self) -> u64 {
        self.taken_to
    }

    /// Whether an entry of the old cache was passed over, its file gone.
    pub fn lost_any(&self) -> bool {
        self.gone
    }

    /// Whether the new cache is being written.
    pub fn writing(&self) -> bool {
        self.new.is_some()
    }

    /// Writes `entries` (each with its file's path) into the new cache, begun if need be with
    /// the entries of the old one up to `mark` (the [`Cache::mark`] before the files of
    /// `entries` were taken: every file before them was unchanged). A listing does not fail for
    /// want of a cache: one that cannot be written is not.
    pub fn write<'e>(
        &mut self,
        ws: &Workspace,
        mark: u64,
        entries: impl Iterator<Item = (&'e str, &'e Entry<'e>)>,
    ) {
        if self.new.is_none() && !self.failed {
            self.new = self.begin(ws, mark);
        }
        let Some(new) = &mut self.new else {
            self.failed = true;
            return;
        };
        for (path, entry) in entries {
            if postcard::to_io(&NamedRef { path, entry }, &mut *new).is_err() {
                self.new = None;
                self.failed = true;
                return;
            }
        }
    }

    /// The new cache file, its head and the old entries up to `mark` written.
    fn begin(&mut self, ws: &Workspace, mark: u64) -> Option<Private> {
        let mut new = Private::begin(ws, CACHE_FILE)?;
        let head = Head {
            version: Cow::Owned(version()),
            checks: self.checks,
            made_ns: self.now_ns,
        };
        new.write_all(MAGIC).ok()?;
        postcard::to_io(&head, &mut new).ok()?;
        if let Some(old) = &mut self.old {
            old.copy(old.entries_at, mark, &mut new).ok()?;
        }
        Some(new)
    }

    /// Ends the listing: the new cache is put in place if it was written, or written if a file
    /// was gone since the old one.
    pub fn finish(mut self, ws: &Workspace) {
        let mark = self.taken_to;
        let left = self.next.is_some() || self.old.as_mut().and_then(OldCache::next).is_some();
        if (left || self.gone) && self.new.is_none() {
            self.write(ws, mark, std::iter::empty());
        }
        if let Some(new) = self.new.take() {
            new.finish(ws, STAMP_FILE);
        }
    }
}

/// The entries of the cache file of `ws` as written, after its head.
#[cfg(test)]
pub(crate) fn entries_written(ws: &Workspace) -> Vec<u8> {
    let bytes = read_private(ws, CACHE_FILE, STAMP_FILE);
    let body = bytes.strip_prefix(MAGIC).expect("a cache file");
    let (_, entries) = postcard::take_from_bytes::<Head<'_>>(body).expect("its head");
    entries.to_vec()
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
    let Some(mut private) = Private::begin(ws, file) else {
        return false;
    };
    write(&mut private).is_ok() && private.finish(ws, stamp)
}

/// A file of `.cm/` being written, a part at a time (see [`write_private`]); dropped before
/// [`Private::finish`], it is not written.
pub struct Private {
    path: std::path::PathBuf,
    file: Atomic,
    buffer: Vec<u8>,
}

/// How much [`Private`] gathers before it writes.
const BUFFER: usize = 1 << 20;

impl Private {
    /// Begins the write of `file` (relative to the root); none when it cannot be written.
    pub fn begin(ws: &Workspace, file: &str) -> Option<Private> {
        let path = ws.root.join(file);
        if ws.private_dir().is_err() || ws.confine(&path).is_err() {
            return None;
        }
        Some(Private {
            file: Atomic::begin(&path, Mode::Scratch).ok()?,
            path,
            buffer: Vec::with_capacity(BUFFER),
        })
    }

    /// Puts the file in place, readable by its owner only, and its stamp in the file `stamp`.
    /// Whether both were written.
    pub fn finish(mut self, ws: &Workspace, stamp: &str) -> bool {
        if self.flush().is_err() || self.file.commit(owner_only).is_err() {
            return false;
        }
        let stamp_path = ws.root.join(stamp);
        if let (Some(stamp), Ok(())) = (Stamp::of(&self.path), ws.confine(&stamp_path))
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
}

impl Write for Private {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.file().write_all(&self.buffer)?;
        self.buffer.clear();
        Ok(())
    }
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
    format!("9 {}", build())
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
