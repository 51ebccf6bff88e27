//! The register of cases in `.cm/register`: what a command that writes one case asks of all the
//! others — the highest number of each year (`cm new`), the clients (`cm new`'s duplicate check),
//! the ids and the households (`cm link`) — kept so that opening one case does not mean reading
//! 100,000 files.
//!
//! - A record per case file: its path and stamp, the numbers of the ids of the workspace's
//!   prefix it names (`THR-2026-0042`, in its name or anywhere in its text), and, when it can be
//!   read as a case, its client ([`Person`]) and household. A table of the hashes of their keys
//!   (the path, the id, the national id, the blocks of the name, the household), sorted, finds
//!   the few records a question is about; only those are read from the file.
//! - Fresh by folders: the register holds the stamp of every folder of `cases/`. A file added,
//!   removed or replaced — as git, `cp` and `cm` itself write: a new file renamed into place —
//!   changes its folder's stamp. `cm`'s own writes are noted in `.cm/register.log`, each with
//!   its folders' stamps before and after, so that a folder changed by `cm` alone is known to
//!   differ only in the files it wrote; those are read again. A folder changed otherwise makes
//!   the register look at every file again: one whose stamp is its record's (and that was
//!   modified well before the record was made) is not read again.
//! - A file changed in place with its folder unchanged (an editor that writes into the file
//!   itself) is noted in the log by the next listing that reads it ([`note_changed`]); a listing
//!   without a cache to compare with notes that every file must be looked at. The log is taken
//!   in only as far as it was read: what a listing appends meanwhile stays.
//! - What it does not see: such a file before a listing reads it or its folder changes; and a
//!   change that another program makes in the same tick of the clock as `cm`'s own write, just
//!   after it. Neither can lose a case: a new case never replaces a file, and `cm validate`,
//!   which reads every file, reports a client known twice.
//! - Private and disposable as the other files of `.cm/`: readable by its owner only, made by
//!   this build of `cm` under this id prefix, or not read; deleting it costs one reading of
//!   every file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use memchr::memmem;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use cm_base::error::{Error, Result};
use cm_case::MAX_FILE_SIZE;
use cm_case::cache::{Stamp, build, now_ns, open_private, private, write_private};
use cm_case::workspace::{Workspace, display_path};

use crate::duplicates::Person;

/// The register, its stamp (see [`cm_case::cache::read_private`]) and the log of `cm`'s writes
/// since it was made, relative to the workspace root.
const FILE: &str = ".cm/register";
const STAMP_FILE: &str = ".cm/register.stamp";
const LOG_FILE: &str = ".cm/register.log";
/// Where the log is moved while what was read of it is taken out (see [`take_log`]).
const TAKEN_LOG_FILE: &str = ".cm/register.log.taken";

const MAGIC: &[u8] = b"cm register\n";

/// How many files the log may name before they are taken into the register: until then, each
/// is read again by every command that opens it.
const LOG_MAX: usize = 64;

/// The bytes of one entry of the key table (a hash and a record) and of the number table (a
/// year, a number and a record).
const KEY_SIZE: u64 = 12;
const NUMBER_SIZE: u64 = 16;

/// A case of the workspace, as `cm new` compares the new client with it: its path and what of
/// its client tells one person from another.
#[derive(Clone, Debug)]
pub struct Known {
    pub display: String,
    pub person: Person,
}

/// The cases `cm new` compares a new case with.
pub trait Cases {
    /// Every case whose client may be `person` (see [`crate::duplicates::Index::matches`]) or whose
    /// id is one of `ids`, in the order of their files: more may come (each is compared), none
    /// may be missed.
    fn near(&self, person: &Person, ids: &[String]) -> Result<Vec<Known>>;
    /// The id of every case, in the order of their files.
    fn ids(&self) -> Result<Vec<String>>;
}

/// Cases all compared.
impl Cases for Vec<Known> {
    fn near(&self, _: &Person, _: &[String]) -> Result<Vec<Known>> {
        Ok(self.clone())
    }

    fn ids(&self) -> Result<Vec<String>> {
        Ok(self.iter().filter_map(|k| k.person.id.clone()).collect())
    }
}

/// One case file as the register knows it. Its path and stamp come first: of an old record,
/// [`Register::make`] reads only them.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Record {
    /// The path, relative to the workspace root, as shown.
    display: String,
    stamp: Stamp,
    /// The year and number of each id of the workspace's prefix that its name or text names.
    numbers: Vec<(i32, u64)>,
    /// The client, when the file can be read as a case (valid or not).
    person: Option<Person>,
    household: Option<String>,
}

impl Record {
    /// The record of the file at `path`; none when there is no file there.
    fn read(ws: &Workspace, path: &Path, prefix: &str) -> Option<Record> {
        let stamp = Stamp::of(path)?;
        let display = ws.display_path(path);
        let name = path.file_name().map_or(&[][..], |n| n.as_encoded_bytes());
        let mut numbers = numbers_in(prefix, name);
        let mut person = None;
        let mut household = None;
        // Only a regular file is read: never a link, nor a named pipe.
        if let Ok(bytes) = cm_case::read(path, &display) {
            numbers.extend(numbers_in(
                prefix,
                &bytes[..bytes.len().min(MAX_FILE_SIZE as usize)],
            ));
            if let Ok(loaded) = cm_case::from_bytes(bytes, stamp.size(), &display) {
                let case = loaded.case.head();
                person = Some(Person::of(&case));
                household = case.household;
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
        Some(Record {
            display,
            stamp,
            numbers,
            person,
            household,
        })
    }

    /// The hashes of the keys the record is found by.
    fn keys(&self) -> Vec<u64> {
        let mut keys = vec![key("path", &self.display)];
        if let Some(person) = &self.person {
            keys.extend(person.id.iter().map(|id| key("id", id)));
            keys.extend(person.keys().iter().map(|k| key("client", k)));
        }
        keys.extend(self.household.iter().map(|h| key("household", h)));
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn known(&self) -> Option<Known> {
        Some(Known {
            display: self.display.clone(),
            person: self.person.clone()?,
        })
    }
}

/// The hash of the key `value` of the kind `kind` (FNV-1a: the same on every machine and run).
fn key(kind: &str, value: &str) -> u64 {
    let bytes = kind.bytes().chain([0]).chain(value.bytes());
    bytes.fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The number written little-endian in `bytes` (at most eight).
fn le(bytes: &[u8]) -> u64 {
    let mut eight = [0; 8];
    eight[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(eight)
}

/// An entry of the key table: a hash and a record.
fn key_entry(b: &[u8]) -> (u64, u32) {
    (le(&b[..8]), le(&b[8..]) as u32)
}

/// An entry of the number table: a year, a number and a record.
fn number_entry(b: &[u8]) -> (i32, u64, u32) {
    (
        le(&b[..4]) as u32 as i32,
        le(&b[4..12]),
        le(&b[12..]) as u32,
    )
}

/// The first of `0..n` for which `after` holds, where it holds of all that follow it too.
fn first(n: u64, after: impl Fn(u64) -> Result<bool>) -> Result<u64> {
    let (mut low, mut high) = (0, n);
    while low < high {
        let mid = low + (high - low) / 2;
        if after(mid)? {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    Ok(low)
}

/// The error of a register that does not read as it should.
fn invalid(e: impl ToString) -> Error {
    Error::io(Path::new(FILE), std::io::Error::other(e.to_string()))
}

/// The year and number of every id `<prefix>-<year>-<number>` written in `bytes`: a year as
/// written for the year of a case (digits, no leading zero), a number of at most nine digits.
fn numbers_in(prefix: &str, bytes: &[u8]) -> Vec<(i32, u64)> {
    let stem = format!("{prefix}-");
    let digits = |b: &[u8]| b.iter().take_while(|c| c.is_ascii_digit()).count();
    fn parse<T: std::str::FromStr>(digits: &[u8]) -> Option<T> {
        std::str::from_utf8(digits).ok()?.parse().ok()
    }
    memmem::find_iter(bytes, stem.as_bytes())
        .filter_map(|at| {
            let rest = &bytes[at + stem.len()..];
            let year = digits(rest);
            if !(1..=9).contains(&year) || rest[0] == b'0' || rest.get(year) != Some(&b'-') {
                return None;
            }
            let number = &rest[year + 1..];
            let n = digits(number);
            if !(1..=9).contains(&n) {
                return None;
            }
            Some((parse(&rest[..year])?, parse(&number[..n])?))
        })
        .collect()
}

/// What the register file says of itself; the tables and the records follow it.
#[derive(Serialize, Deserialize)]
struct Header {
    /// The format and `cm`'s build.
    version: String,
    /// The id prefix whose numbers the records hold.
    prefix: String,
    /// When the register was begun, before any file was looked at (nanoseconds since 1970).
    made_ns: i64,
    /// Every folder of `cases/` (relative to the root) and its stamp when the register was begun.
    dirs: Vec<(String, Stamp)>,
    /// Whether every folder was modified well before then: a folder changed in the same tick
    /// of the clock could keep its stamp, and is looked at again next time.
    settled: bool,
    records: u64,
    keys: u64,
    numbers: u64,
}

/// Where the register's bytes are: the file, read in parts as needed, or all of them in memory
/// (as just made).
enum Source {
    File(File),
    Bytes(Vec<u8>),
}

impl Source {
    fn read_at(&self, at: u64, len: u64) -> std::io::Result<Vec<u8>> {
        match self {
            Source::File(file) => {
                let mut buf = vec![0; len as usize];
                let mut file = file;
                file.seek(SeekFrom::Start(at))?;
                file.read_exact(&mut buf)?;
                Ok(buf)
            }
            Source::Bytes(bytes) => usize::try_from(at + len)
                .ok()
                .and_then(|end| bytes.get(at as usize..end))
                .map(<[u8]>::to_vec)
                .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into()),
        }
    }

    fn len(&self) -> std::io::Result<u64> {
        match self {
            Source::File(file) => Ok(file.metadata()?.len()),
            Source::Bytes(bytes) => Ok(bytes.len() as u64),
        }
    }
}

/// The register as written, its header read.
struct Stored {
    header: Header,
    source: Source,
    /// The register's size in bytes.
    size: u64,
    keys_at: u64,
    numbers_at: u64,
    offsets_at: u64,
    records_at: u64,
}

impl Stored {
    /// The register in `source`, when it is one this `cm` made for `prefix`, whole.
    fn parse(source: Source, prefix: &str) -> Option<Stored> {
        let size = source.len().ok()?;
        let start = MAGIC.len() as u64 + 4;
        let head = source.read_at(0, start.min(size)).ok()?;
        let len = u64::from(u32::from_le_bytes(
            head.strip_prefix(MAGIC)?.try_into().ok()?,
        ));
        let header: Header = postcard::from_bytes(
            &source
                .read_at(start, len.min(size.saturating_sub(start)))
                .ok()?,
        )
        .ok()?;
        if header.version != version() || header.prefix != prefix {
            return None;
        }
        // Every part within the file, the records ending where it ends.
        let after = |at: u64, n: u64, size: u64| at.checked_add(n.checked_mul(size)?);
        let keys_at = start + len;
        let numbers_at = after(keys_at, header.keys, KEY_SIZE)?;
        let offsets_at = after(numbers_at, header.numbers, NUMBER_SIZE)?;
        let records_at = after(offsets_at, header.records.checked_add(1)?, 8)?;
        let stored = Stored {
            header,
            source,
            size,
            keys_at,
            numbers_at,
            offsets_at,
            records_at,
        };
        let end = stored.offset(stored.header.records).ok()?;
        (records_at.checked_add(end)? == size).then_some(stored)
    }

    fn u64_at(&self, at: u64) -> Result<u64> {
        Ok(le(&self.read(at, 8)?))
    }

    /// The `len` bytes at `at`, all within the register.
    fn read(&self, at: u64, len: u64) -> Result<Vec<u8>> {
        if at.checked_add(len).is_none_or(|end| end > self.size) {
            return Err(invalid("a part beyond its end"));
        }
        self.source
            .read_at(at, len)
            .map_err(|e| Error::io(Path::new(FILE), e))
    }

    fn offset(&self, record: u64) -> Result<u64> {
        self.u64_at(self.offsets_at + record * 8)
    }

    /// The encoded record `i`.
    fn blob(&self, i: u32) -> Result<Vec<u8>> {
        let (from, to) = (self.offset(u64::from(i))?, self.offset(u64::from(i) + 1)?);
        self.read(self.records_at + from, to.saturating_sub(from))
    }

    fn record(&self, i: u32) -> Result<Record> {
        postcard::from_bytes(&self.blob(i)?).map_err(invalid)
    }

    /// The same register, all of it in memory: to be read through.
    fn in_memory(self) -> Result<Stored> {
        let Source::File(mut file) = self.source else {
            return Ok(self);
        };
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_end(&mut bytes))
            .map_err(|e| Error::io(Path::new(FILE), e))?;
        Stored::parse(Source::Bytes(bytes), &self.header.prefix).ok_or_else(|| invalid("changed"))
    }

    /// The key table: each hash with its record.
    fn keys(&self) -> Result<Vec<(u64, u32)>> {
        let table = self.read(self.keys_at, self.header.keys * KEY_SIZE)?;
        Ok(table
            .chunks_exact(KEY_SIZE as usize)
            .map(key_entry)
            .collect())
    }

    /// The number table: each year and number with its record.
    fn numbers(&self) -> Result<Vec<(i32, u64, u32)>> {
        let table = self.read(self.numbers_at, self.header.numbers * NUMBER_SIZE)?;
        Ok(table
            .chunks_exact(NUMBER_SIZE as usize)
            .map(number_entry)
            .collect())
    }

    fn records(&self) -> Result<Vec<Record>> {
        (0..self.header.records as u32)
            .map(|i| self.record(i))
            .collect()
    }

    /// The `i`th entry of the key table.
    fn key_at(&self, i: u64) -> Result<(u64, u32)> {
        Ok(key_entry(
            &self.read(self.keys_at + i * KEY_SIZE, KEY_SIZE)?,
        ))
    }

    /// The `i`th entry of the number table.
    fn number_at(&self, i: u64) -> Result<(i32, u64, u32)> {
        Ok(number_entry(
            &self.read(self.numbers_at + i * NUMBER_SIZE, NUMBER_SIZE)?,
        ))
    }

    /// The records with the key `hash`.
    fn find(&self, hash: u64) -> Result<Vec<u32>> {
        let keys = self.header.keys;
        let mut found = Vec::new();
        for i in first(keys, |i| Ok(self.key_at(i)?.0 >= hash))?..keys {
            match self.key_at(i)? {
                (h, record) if h == hash => found.push(record),
                _ => break,
            }
        }
        Ok(found)
    }

    /// The highest number of `year` among the records that `replaced` does not name.
    fn highest(&self, year: i32, replaced: &HashSet<u32>) -> Result<Option<u64>> {
        let later = first(self.header.numbers, |i| Ok(self.number_at(i)?.0 > year))?;
        for i in (0..later).rev() {
            match self.number_at(i)? {
                (y, _, record) if y == year && replaced.contains(&record) => {}
                (y, number, _) if y == year => return Ok(Some(number)),
                _ => break,
            }
        }
        Ok(None)
    }

    /// The files `cm` wrote since the register was made, and every folder with its stamp now,
    /// when `log` accounts for every change of a folder since: each folder's stamp is the one
    /// recorded, or the one `cm`'s last write in it left.
    fn fresh(&self, ws: &Workspace, log: &[Logged]) -> Option<Scan> {
        if !self.header.settled {
            return None;
        }
        let mut chain: BTreeMap<&str, Option<Stamp>> = self
            .header
            .dirs
            .iter()
            .map(|(dir, stamp)| (dir.as_str(), Some(*stamp)))
            .collect();
        let mut files = Vec::new();
        for entry in log {
            // A path that is not UTF-8 is shown with U+FFFD, and cannot be found by it again:
            // only looking at every file finds the file.
            if entry.unknown
                || entry
                    .files
                    .iter()
                    .any(|f| f.contains(char::REPLACEMENT_CHARACTER))
            {
                return None;
            }
            // A folder the register does not know was not there: `cm` made it.
            let stamp = chain.entry(&entry.dir).or_insert(None);
            if *stamp != entry.before {
                return None;
            }
            *stamp = entry.after;
            files.extend(entry.files.iter().cloned());
        }
        let mut dirs = Vec::with_capacity(chain.len());
        for (dir, stamp) in chain {
            if Stamp::of(&ws.root.join(dir)) != stamp {
                return None;
            }
            dirs.extend(stamp.map(|s| (dir.to_string(), s)));
        }
        files.sort();
        files.dedup();
        Some(Scan::Log { dirs, files })
    }
}

/// The register of a workspace's cases, up to date: see the module's documentation.
pub struct Register {
    stored: Stored,
    /// The files read again since the register was written, by path (none for a file gone).
    newer: Vec<(String, Option<Keyed>)>,
    /// The stored records they replace.
    replaced: HashSet<u32>,
}

impl Register {
    /// The register of `ws`, brought up to date, and written back when it has changed enough.
    /// With `trust_folders` false, every file is looked at again (as when a case appeared where
    /// the register said there was none).
    ///
    /// It may be written by a command that does not hold the workspace's lock (`--dry-run`):
    /// a write noted in the log meanwhile, and removed with it, leaves a folder whose stamp
    /// is neither the register's nor the log's, and the next command looks at every file.
    pub fn open(ws: &Workspace, trust_folders: bool) -> Result<Register> {
        let prefix = ws.settings.workspace.id_prefix.clone();
        let stored = open_private(ws, FILE, STAMP_FILE)
            .and_then(|f| Stored::parse(Source::File(f), &prefix));
        // Read before anything else is looked at: what is appended later stays for next time.
        let log = read_log(ws);
        let Some(stored) = stored else {
            return Register::make(ws, prefix, None, Scan::Walk, &log.bytes);
        };
        let entries = log.entries.as_deref().filter(|_| trust_folders);
        let fresh = entries.and_then(|entries| stored.fresh(ws, entries));
        // The same file may be noted again and again: the log is taken in when long, too.
        let long = entries.is_some_and(|entries| entries.len() >= 4 * LOG_MAX);
        match fresh {
            Some(Scan::Log { files, .. }) if files.len() < LOG_MAX && !long => {
                Register::with_newer(ws, prefix, stored, &files)
            }
            Some(scan) => Register::make(ws, prefix, Some(stored), scan, &log.bytes),
            None => Register::make(ws, prefix, Some(stored), Scan::Walk, &log.bytes),
        }
    }

    /// The register `stored`, with `files` read again.
    fn with_newer(
        ws: &Workspace,
        prefix: String,
        stored: Stored,
        files: &[String],
    ) -> Result<Register> {
        let mut replaced = HashSet::new();
        for display in files {
            for i in stored.find(key("path", display))? {
                if stored.record(i)?.display == *display {
                    replaced.insert(i);
                }
            }
        }
        let newer = files
            .par_iter()
            .map(|display| {
                let record = Record::read(ws, &ws.root.join(display), &prefix);
                let keyed = record.map(|r| {
                    let keys = r.keys();
                    (r, keys)
                });
                (display.clone(), keyed)
            })
            .collect();
        Ok(Register {
            stored,
            newer,
            replaced,
        })
    }

    /// Makes the register anew from the register `old` and the files that `scan` says,
    /// reading each file whose record cannot be trusted, and writes it; then takes out of the
    /// log what was read of it before (`log`).
    fn make(
        ws: &Workspace,
        prefix: String,
        old: Option<Stored>,
        scan: Scan,
        log: &[u8],
    ) -> Result<Register> {
        cm_base::files::reading_many();
        let now = now_ns();
        let old = old.map(Stored::in_memory).transpose()?;
        let old_made_ns = old.as_ref().map_or(0, |o| o.header.made_ns);
        // Taken in from the log, the old records keep the time they were made by: one modified
        // within the clock tick before it is read again when every file is looked at.
        let made_ns = match scan {
            Scan::Walk => now,
            Scan::Log { .. } => old_made_ns.min(now),
        };
        // The path and stamp of each old record, and its place.
        let mut heads: HashMap<String, (u32, Stamp)> = HashMap::new();
        for (i, old) in old
            .iter()
            .flat_map(|o| (0..o.header.records as u32).map(move |i| (i, o)))
        {
            let blob = old.blob(i)?;
            let ((display, stamp), _) =
                postcard::take_from_bytes::<(String, Stamp)>(&blob).map_err(invalid)?;
            heads.insert(display, (i, stamp));
        }
        let (dirs, settled, files, reread) = match scan {
            Scan::Walk => {
                // The folders first: a change while the files are read changes their stamps.
                let dirs: Vec<(String, Stamp)> = ws
                    .case_folders()
                    .iter()
                    .filter_map(|dir| Some((ws.display_path(dir), Stamp::of(dir)?)))
                    .collect();
                let settled = dirs.iter().all(|(_, s)| s.settled_before(now));
                (dirs, settled, ws.case_files(&[], &ws.root)?, None)
            }
            Scan::Log { dirs, files } => {
                let mut paths: Vec<PathBuf> = heads
                    .keys()
                    .chain(&files)
                    .map(|display| ws.root.join(display))
                    .collect();
                paths.sort();
                paths.dedup();
                let reread: HashSet<String> = files.into_iter().collect();
                (dirs, true, paths, Some(reread))
            }
        };
        let made: Vec<Made> = files
            .par_iter()
            .filter_map(|path| {
                let display = ws.display_path(path);
                let trusted = heads.get(&display).filter(|(_, stamp)| match &reread {
                    // Looked at again: unchanged, and modified well before it was recorded.
                    None => Stamp::of(path) == Some(*stamp) && stamp.settled_before(old_made_ns),
                    // The log names every file that changed.
                    Some(reread) => !reread.contains(&display),
                });
                match trusted {
                    Some((i, _)) => Some(Made::Old(*i)),
                    None => Record::read(ws, path, &prefix).map(|r| Made::New(Box::new(r))),
                }
            })
            .collect();
        let header = Header {
            version: version(),
            prefix: prefix.clone(),
            made_ns,
            dirs,
            settled,
            records: made.len() as u64,
            keys: 0,
            numbers: 0,
        };
        let bytes = encode(header, &made, old.as_ref())?;
        if write_private(ws, FILE, STAMP_FILE, |out| out.write_all(&bytes)) {
            take_log(ws, log);
        }
        let stored = Stored::parse(Source::Bytes(bytes), &prefix).ok_or_else(|| invalid("made"))?;
        Ok(Register {
            stored,
            newer: Vec::new(),
            replaced: HashSet::new(),
        })
    }

    /// Every record with the key `hash` (maybe more: hashes may meet).
    fn with_key(&self, hash: u64) -> Result<Vec<Record>> {
        let mut found = Vec::new();
        for i in self.stored.find(hash)? {
            if !self.replaced.contains(&i) {
                found.push(self.stored.record(i)?);
            }
        }
        let newer = self.newer().filter(|(_, keys)| keys.contains(&hash));
        found.extend(newer.map(|(r, _)| r.clone()));
        Ok(found)
    }

    /// The files read again since the register was written, with their keys.
    fn newer(&self) -> impl Iterator<Item = &Keyed> {
        self.newer.iter().filter_map(|(_, keyed)| keyed.as_ref())
    }

    /// The highest number `N` of any id `<prefix>-<year>-N` in the workspace, in a file's name
    /// or anywhere in its text (an id inside a misnamed file, or one a merged case mentions), or
    /// 0.
    pub fn highest(&self, year: i32) -> Result<u64> {
        let highest = self.stored.highest(year, &self.replaced)?.unwrap_or(0);
        let numbers = self.newer().flat_map(|(r, _)| &r.numbers);
        let newest = numbers.filter(|(y, _)| *y == year).map(|(_, n)| *n).max();
        Ok(highest.max(newest.unwrap_or(0)))
    }

    /// Whether some case is in the household `household`.
    pub fn has_household(&self, household: &str) -> Result<bool> {
        let found = self.with_key(key("household", household))?;
        Ok(found
            .iter()
            .any(|r| r.household.as_deref() == Some(household)))
    }
}

impl Cases for Register {
    fn near(&self, person: &Person, ids: &[String]) -> Result<Vec<Known>> {
        let mut found = Vec::new();
        for k in person.keys() {
            found.extend(self.with_key(key("client", &k))?);
        }
        for id in ids {
            found.extend(self.with_key(key("id", id))?);
        }
        in_file_order(&mut found);
        found.dedup_by(|a, b| a.display == b.display);
        Ok(found.iter().filter_map(Record::known).collect())
    }

    fn ids(&self) -> Result<Vec<String>> {
        let mut records = self.stored.records()?;
        records.retain(|r| !self.newer.iter().any(|(display, _)| *display == r.display));
        records.extend(self.newer().map(|(r, _)| r.clone()));
        in_file_order(&mut records);
        Ok(records.into_iter().filter_map(|r| r.person?.id).collect())
    }
}

/// Sorts `records` in the order of their files (see [`Workspace::case_files`]).
fn in_file_order(records: &mut [Record]) {
    records.sort_by(|a, b| Path::new(&a.display).cmp(Path::new(&b.display)));
}

/// A record and the hashes of its keys.
type Keyed = (Record, Vec<u64>);

/// Which files [`Register::make`] looks at, and how it knows their records hold.
enum Scan {
    /// Every case file of the workspace, each record checked against its file's stamp.
    Walk,
    /// The files of the old register and those the log names, which alone are read again;
    /// the folders are as the log left them.
    Log {
        dirs: Vec<(String, Stamp)>,
        files: Vec<String>,
    },
}

/// A record of a register being made: the old register's `i`th, or one read now.
enum Made {
    Old(u32),
    New(Box<Record>),
}

/// The register's bytes: the header, the key table, the number table, the offsets of the
/// records and the records, in the order of `made` (its old records from `old`).
fn encode(mut header: Header, made: &[Made], old: Option<&Stored>) -> Result<Vec<u8>> {
    let mut keys: Vec<(u64, u32)> = Vec::new();
    let mut numbers: Vec<(i32, u64, u32)> = Vec::new();
    let mut blobs = Vec::new();
    let mut offsets = vec![0u64];
    // The place of each old record in the new register.
    let mut moved = vec![None; old.map_or(0, |o| o.header.records as usize)];
    for (i, made) in made.iter().enumerate() {
        let i = i as u32;
        match (made, old) {
            (Made::Old(was), Some(old)) => {
                moved[*was as usize] = Some(i);
                blobs.extend(old.blob(*was)?);
            }
            (Made::Old(_), None) => return Err(invalid("no old register")),
            (Made::New(record), _) => {
                keys.extend(record.keys().into_iter().map(|k| (k, i)));
                numbers.extend(record.numbers.iter().map(|&(y, n)| (y, n, i)));
                blobs.extend(postcard::to_stdvec(record).map_err(invalid)?);
            }
        }
        offsets.push(blobs.len() as u64);
    }
    if let Some(old) = old {
        let to = |was: u32| moved.get(was as usize).copied().flatten();
        keys.extend(
            old.keys()?
                .into_iter()
                .filter_map(|(k, was)| Some((k, to(was)?))),
        );
        let numbers_of_old = old.numbers()?.into_iter();
        numbers.extend(numbers_of_old.filter_map(|(y, n, was)| Some((y, n, to(was)?))));
    }
    keys.sort_unstable();
    numbers.sort_unstable();
    header.keys = keys.len() as u64;
    header.numbers = numbers.len() as u64;
    let head = postcard::to_stdvec(&header).map_err(invalid)?;
    let mut out = Vec::with_capacity(
        MAGIC.len()
            + 4
            + head.len()
            + keys.len() * KEY_SIZE as usize
            + numbers.len() * NUMBER_SIZE as usize
            + offsets.len() * 8
            + blobs.len(),
    );
    out.extend(MAGIC);
    out.extend((head.len() as u32).to_le_bytes());
    out.extend(head);
    for (hash, record) in keys {
        out.extend(hash.to_le_bytes());
        out.extend(record.to_le_bytes());
    }
    for (year, number, record) in numbers {
        out.extend(year.to_le_bytes());
        out.extend(number.to_le_bytes());
        out.extend(record.to_le_bytes());
    }
    for offset in offsets {
        out.extend(offset.to_le_bytes());
    }
    out.extend(blobs);
    Ok(out)
}

/// The format of the register and `cm`'s build: a register made by another `cm` is not read.
fn version() -> String {
    format!("1 {}", build())
}

/// One write of `cm` in one folder, or files found changed in it, as the log notes them.
#[derive(Debug, Serialize, Deserialize)]
struct Logged {
    /// The folder, relative to the root.
    dir: String,
    /// Its stamp before the write and after (none: it was not there).
    before: Option<Stamp>,
    after: Option<Stamp>,
    /// The files written in it, relative to the root.
    files: Vec<String>,
    /// Files may have changed that nobody can name (a listing without a cache to compare
    /// with): the register looks at every file.
    unknown: bool,
}

/// The log as read: its bytes, and its entries when it can be trusted (it is `cm`'s, and reads
/// whole).
struct Log {
    bytes: Vec<u8>,
    entries: Option<Vec<Logged>>,
}

/// The log of `cm`'s writes (and of the files the listings found changed) since the register
/// was made.
fn read_log(ws: &Workspace) -> Log {
    let path = ws.root.join(LOG_FILE);
    let untrusted = |bytes| Log {
        bytes,
        entries: None,
    };
    if ws.confine(&path).is_err() {
        return untrusted(Vec::new());
    }
    let private = match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Log {
                bytes: Vec::new(),
                entries: Some(Vec::new()),
            };
        }
        Ok(meta) if meta.is_file() => private(&meta),
        _ => return untrusted(Vec::new()),
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return untrusted(Vec::new());
    };
    let entries = private.then(|| decode_log(&bytes)).flatten();
    Log { bytes, entries }
}

/// The entries of a log's `bytes`; none when they do not read whole.
fn decode_log(bytes: &[u8]) -> Option<Vec<Logged>> {
    let mut rest = bytes;
    let mut log = Vec::new();
    while !rest.is_empty() {
        let (len, after) = rest.split_at_checked(4)?;
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let (entry, after) = after.split_at_checked(len)?;
        log.push(postcard::from_bytes(entry).ok()?);
        rest = after;
    }
    Some(log)
}

/// Removes from the log what was `read` of it, once the register holds it: what was appended
/// since (a listing has no lock) is kept. The log is first moved aside, so that nothing
/// appended meanwhile is lost; whatever follows what was read goes back into the log.
fn take_log(ws: &Workspace, read: &[u8]) {
    let path = ws.root.join(LOG_FILE);
    let aside = ws.root.join(TAKEN_LOG_FILE);
    if ws.confine(&path).is_err() || ws.confine(&aside).is_err() {
        return;
    }
    if std::fs::rename(&path, &aside).is_err() {
        return;
    }
    let now = std::fs::read(&aside).unwrap_or_default();
    let rest = now.strip_prefix(read).unwrap_or(&now);
    append_raw(&ws.root, rest);
    let _ = std::fs::remove_file(&aside);
}

/// The folders that a write of case files changes, stamped before it, to be noted in the log
/// of their workspace's register after it (see [`Register`]).
pub struct Noting {
    roots: Vec<(PathBuf, Vec<Logged>)>,
}

impl Noting {
    /// Before `cm` writes the files `written` (each with its workspace's root and its path as
    /// shown): the stamps of their folders, up to `cases/`, in each workspace that has a
    /// register.
    pub fn before<'a>(written: impl IntoIterator<Item = (&'a Path, &'a Path, &'a str)>) -> Noting {
        let mut roots: Vec<(PathBuf, Vec<Logged>)> = Vec::new();
        for (root, path, display) in written {
            let cases = root.join(cm_case::workspace::CASES_DIR);
            if !path.starts_with(&cases) || !root.join(FILE).is_file() {
                continue;
            }
            let at = match roots.iter().position(|(r, _)| r == root) {
                Some(at) => at,
                None => {
                    roots.push((root.to_path_buf(), Vec::new()));
                    roots.len() - 1
                }
            };
            let log = &mut roots[at].1;
            for (depth, dir) in path.ancestors().skip(1).enumerate() {
                if !dir.starts_with(&cases) {
                    break;
                }
                let entry = in_folder(log, root, display_path(root, dir));
                if depth == 0 {
                    entry.files.push(display.to_string());
                }
            }
        }
        Noting { roots }
    }

    /// After the write (done or not): notes in each log the folders it changed, with their
    /// stamps now.
    pub fn after(self) {
        for (root, mut log) in self.roots {
            for entry in &mut log {
                entry.after = Stamp::of(&root.join(&entry.dir));
            }
            log.retain(|entry| entry.after != entry.before);
            append_log(&root, &log);
        }
    }
}

/// Notes in the register's log of `ws` (when it has a register) the case files `changed` (as
/// shown) that a command found changed as it read them (a listing), so that a file edited
/// without its folder changing is read again by the next `cm new`; `None` when it could not
/// tell (it had no cache to compare with): then the register looks at every file.
pub fn note_changed(ws: &Workspace, changed: Option<&[String]>) {
    if changed.is_some_and(<[String]>::is_empty) || !ws.root.join(FILE).is_file() {
        return;
    }
    let mut log: Vec<Logged> = Vec::new();
    let Some(changed) = changed else {
        let unknown = Logged {
            dir: String::new(),
            before: None,
            after: None,
            files: Vec::new(),
            unknown: true,
        };
        return append_log(&ws.root, &[unknown]);
    };
    for display in changed {
        // Its folder as it is: if it changed otherwise, the register looks at every file.
        let dir = display.rsplit_once('/').map_or("", |(dir, _)| dir);
        in_folder(&mut log, &ws.root, dir.to_string())
            .files
            .push(display.clone());
    }
    append_log(&ws.root, &log);
}

/// The entry of `log` of the folder `dir` (relative to `root`), added with its stamp now
/// (before and after) when there is none yet.
fn in_folder<'l>(log: &'l mut Vec<Logged>, root: &Path, dir: String) -> &'l mut Logged {
    let at = match log.iter().position(|e| e.dir == dir) {
        Some(at) => at,
        None => {
            let stamp = Stamp::of(&root.join(&dir));
            log.push(Logged {
                dir,
                before: stamp,
                after: stamp,
                files: Vec::new(),
                unknown: false,
            });
            log.len() - 1
        }
    };
    &mut log[at]
}

/// Appends `entries` to the register's log in the workspace at `root`, in one write: entries
/// whole, or (the file system failing) a log that does not read, which makes the register look
/// at every file again.
fn append_log(root: &Path, entries: &[Logged]) {
    let mut bytes = Vec::new();
    for entry in entries {
        let encoded = postcard::to_stdvec(entry).unwrap_or_default();
        bytes.extend((encoded.len() as u32).to_le_bytes());
        bytes.extend(encoded);
    }
    append_raw(root, &bytes);
}

/// Appends `bytes` to the register's log in the workspace at `root`, in one write.
fn append_raw(root: &Path, bytes: &[u8]) {
    let path = root.join(LOG_FILE);
    if bytes.is_empty() || cm_base::files::confine(root, &path).is_err() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let _ = options.open(&path).and_then(|mut f| f.write_all(bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_the_prefix_are_found_with_their_year_anywhere() {
        let text = b"id: THR-2026-0042\nlinks: [XTHR-2025-7, THR-02026-1, THR-2026-, THR-2026-1234567890]\nTHR-THR-2024-3";
        assert_eq!(
            numbers_in("THR", text),
            vec![(2026, 42), (2025, 7), (2024, 3)]
        );
    }

    /// A register whose bytes are cut or changed anywhere is refused or answers, never panics
    /// nor reads beyond its end.
    #[test]
    fn a_damaged_register_never_panics() {
        let record = |n: u64| Record {
            display: format!("cases/2026/THR-2026-{n:04}.yaml"),
            stamp: Stamp::default(),
            numbers: vec![(2026, n)],
            person: Some(Person::default()),
            household: Some(format!("HH-{n}")),
        };
        let header = Header {
            version: version(),
            prefix: "THR".into(),
            made_ns: 0,
            dirs: vec![("cases".into(), Stamp::default())],
            settled: true,
            records: 3,
            keys: 0,
            numbers: 0,
        };
        let made: Vec<Made> = (1..=3).map(|n| Made::New(Box::new(record(n)))).collect();
        let bytes = encode(header, &made, None).unwrap();
        let whole = Stored::parse(Source::Bytes(bytes.clone()), "THR").unwrap();
        assert_eq!(whole.highest(2026, &HashSet::new()).unwrap(), Some(3));
        assert_eq!(whole.find(key("household", "HH-2")).unwrap(), vec![1]);
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0xff;
            for damaged in [bytes[..at].to_vec(), changed] {
                if let Some(stored) = Stored::parse(Source::Bytes(damaged), "THR") {
                    let _ = stored.highest(2026, &HashSet::new());
                    let _ = stored.find(key("household", "HH-2"));
                    let _ = stored.records();
                }
            }
        }
    }

    /// What a listing appends while the register is made from the log is not lost when the
    /// register takes in what it read.
    #[test]
    fn the_log_keeps_what_was_appended_after_it_was_read() {
        let tmp = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/edits");
        std::fs::copy(fixture.join("cm.toml"), tmp.path().join("cm.toml")).unwrap();
        let ws = Workspace::open(tmp.path().to_path_buf()).unwrap();
        ws.private_dir().unwrap();
        let entry = |dir: &str| Logged {
            dir: dir.into(),
            before: None,
            after: None,
            files: vec![format!("{dir}/a.yaml")],
            unknown: false,
        };
        append_log(&ws.root, &[entry("cases/2025")]);
        let read = read_log(&ws);
        append_log(&ws.root, &[entry("cases/2026")]);
        take_log(&ws, &read.bytes);
        let left = read_log(&ws).entries.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].dir, "cases/2026");
        take_log(&ws, &read_log(&ws).bytes);
        assert!(!ws.root.join(LOG_FILE).exists());
        assert!(!ws.root.join(TAKEN_LOG_FILE).exists());
    }

    #[test]
    fn a_key_hashes_the_same_on_every_run() {
        assert_eq!(key("id", "THR-2026-0001"), key("id", "THR-2026-0001"));
        assert_ne!(key("id", "THR-2026-0001"), key("path", "THR-2026-0001"));
        assert_eq!(key("", ""), 0xaf63_bd4c_8601_b7df);
    }
}
