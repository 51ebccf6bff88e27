//! The cache of `cm validate` in `.cm/checked`: what checking each case file found — its
//! diagnostics and what the rules across cases need of it ([`Summary`]) — so that checking
//! 100,000 unchanged files does not mean parsing them again.
//!
//! - An entry is found by the file's path and the SHA-256 of its bytes as read now (never by
//!   its times or size): a file is reused only when its content is the one checked.
//! - What was found depends on the schema, the settings, the calendar of the messages and
//!   `cm` itself (its version and build): a cache made under others is not used at all.
//! - And on the day: a date after today, or consent decided after it, is told as of the day of
//!   the check. An entry records the day it was checked as of and the latest day its file names
//!   (any date, and the first day of a year of birth); it is reused on another day only when
//!   neither day comes before that latest day, so that every rule that compares a date of the
//!   file with today answers as it did.
//! - The rules across cases are not cached: they run on the summaries every time.
//! - Like the cache of typed cases, it lives in `.cm/`, only its owner may read it, and a file
//!   that `cm` did not write there is ignored; it is always safe to delete.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use cm_base::calendar::parse_iso;
use cm_base::diagnostic::Diagnostic;
use cm_case::cache::{read_private, write_private};
use cm_case::{LoadedCase, Workspace};

use super::Summary;

/// The cache file, relative to the workspace root.
pub const CHECKED_FILE: &str = ".cm/checked";
/// The stamp of the cache file as `cm` wrote it.
const STAMP_FILE: &str = ".cm/checked.stamp";
/// The first bytes of the file; the format and `cm`'s version follow.
const MAGIC: &[u8] = b"cm checked\n";

/// What checking one file found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Checked {
    /// The path as shown (relative to the workspace root).
    pub path: String,
    /// The first 16 bytes of the SHA-256 of the file's bytes.
    pub hash: [u8; 16],
    /// The day it was checked as of.
    pub on: NaiveDate,
    /// The latest day the file names, if it names any.
    pub latest: Option<NaiveDate>,
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the file could not be read as a case.
    pub summary: Option<Summary>,
}

impl Checked {
    /// Whether what was found holds on `today` too (see the module's notes).
    fn holds_on(&self, today: NaiveDate) -> bool {
        self.on == today || self.latest.is_none_or(|l| l <= self.on.min(today))
    }
}

#[derive(Deserialize)]
struct File {
    version: String,
    checks: [u8; 16],
    entries: Vec<Checked>,
}

/// A [`File`] to write, borrowing its entries.
#[derive(Serialize)]
struct ToWrite<'a> {
    version: String,
    checks: [u8; 16],
    entries: Vec<&'a Checked>,
}

/// The cache as read before a check: its entries in the order of their paths.
pub struct Cache {
    checks: [u8; 16],
    entries: Vec<Checked>,
}

/// What was found in a file: taken from the cache, or found now.
#[derive(Debug)]
pub enum Found<'c> {
    Cached(&'c Checked),
    New(Box<Checked>),
}

impl std::ops::Deref for Found<'_> {
    type Target = Checked;

    fn deref(&self) -> &Checked {
        match self {
            Found::Cached(c) => c,
            Found::New(c) => c,
        }
    }
}

impl Cache {
    /// The workspace's cache, when there is one made under these `checks` (the digest of the
    /// schema, the settings and the calendar) by this `cm`; else an empty one.
    pub fn read(ws: &Workspace, checks: [u8; 16]) -> Cache {
        let bytes = read_private(ws, CHECKED_FILE, STAMP_FILE);
        let mut entries = bytes
            .strip_prefix(MAGIC)
            .and_then(|body| postcard::from_bytes::<File>(body).ok())
            .filter(|f| f.version == version() && f.checks == checks)
            .map(|f| f.entries)
            .unwrap_or_default();
        // Written in order; sorted again all the same, as lookups need it.
        if !entries.is_sorted_by(|a, b| a.path < b.path) {
            entries.sort_by(|a, b| a.path.cmp(&b.path));
        }
        Cache { checks, entries }
    }

    /// What was found in the file shown as `path` whose bytes hash to `hash`, if it holds on
    /// `today`.
    pub fn get(&self, path: &str, hash: [u8; 16], today: NaiveDate) -> Option<&Checked> {
        let i = self
            .entries
            .binary_search_by(|c| c.path.as_str().cmp(path))
            .ok()?;
        Some(&self.entries[i]).filter(|c| c.hash == hash && c.holds_on(today))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes the cache of `checked`, and of the files of this one that were not checked now
    /// when `partial` (only some files were named); a whole check keeps only its own.
    pub fn save(&self, ws: &Workspace, checked: &[Found<'_>], partial: bool) {
        let mut entries: Vec<&Checked> = checked.iter().map(|c| &**c).collect();
        if partial {
            entries.extend(&self.entries);
        }
        // A stable sort keeps what was checked now before the old entry of its file, which the
        // dedup then drops.
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|later, first| later.path == first.path);
        let file = ToWrite {
            version: version(),
            checks: self.checks,
            entries,
        };
        write_private(ws, CHECKED_FILE, STAMP_FILE, |out| {
            out.write_all(MAGIC)?;
            postcard::to_io(&file, out).map_err(std::io::Error::other)?;
            Ok(())
        });
    }
}

/// The latest day `case` names: any date written in it, and the first day of a year of birth.
pub fn latest(case: &LoadedCase) -> Option<NaiveDate> {
    fn walk(value: &Json, latest: &mut Option<NaiveDate>) {
        match value {
            Json::String(s) => {
                if let Some(d) = parse_iso(s) {
                    *latest = (*latest).max(Some(d));
                }
            }
            Json::Array(items) => items.iter().for_each(|v| walk(v, latest)),
            Json::Object(map) => map.values().for_each(|v| walk(v, latest)),
            _ => {}
        }
    }
    let mut latest = None;
    walk(&case.json, &mut latest);
    let born = case.case.client.as_ref().and_then(|c| c.birth_year);
    // A year no date can hold is after every day.
    latest.max(born.map(|y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MAX)))
}

/// The cache's format and `cm`'s version: a cache made by another `cm` is not read.
fn version() -> String {
    format!("1 {}", cm_case::cache::build())
}
