//! The case: its typed model and how a case file is read.

pub mod cache;
mod load;
mod model;

pub use load::{LoadedCase, MAX_FILE_SIZE, from_bytes, load, parse, read_bounded};
pub use model::*;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::workspace::Workspace;
use cache::{Cache, Entry, Lookup, Stamp};

/// A case read for listing: where it is and what the rules and listings read of it.
#[derive(Clone, Debug)]
pub struct ListedCase {
    /// The path as shown to the user (relative to the workspace root).
    pub display: String,
    pub case: Case,
}

/// Reads `files` (every case file of the workspace) in parallel and keeps, of each case that
/// parses, only what `keep` makes of it (so that a listing of 100,000 cases holds its rows, not
/// its cases), ticking `progress` for each file. The typed cases come from the cache in
/// `.cm/cache` where the file has not changed, and the cache is brought up to date (see
/// [`cache`]). Returns what was kept, in the order of `files`, and how many files did not parse
/// (`cm validate` says why).
pub fn load_each<T: Send>(
    ws: &Workspace,
    files: &[PathBuf],
    progress: &Progress,
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> (Vec<T>, usize) {
    let cached = Cache::read(ws);
    let mut cache = Cache::parse(&cached);
    let known: Vec<(String, Option<Stamp>, Lookup)> = files
        .iter()
        .map(|path| {
            let display = ws.display_path(path);
            let stamp = Stamp::of(path);
            let lookup = cache.take(&display, stamp);
            (display, stamp, lookup)
        })
        .collect();
    let stale = !cache.is_empty();
    let read: Vec<Loaded<'_, T>> = files
        .par_iter()
        .zip(known)
        .map(|(path, (display, stamp, lookup))| {
            progress.tick();
            let (case, entry, fresh) = read_cached(path, &display, stamp, lookup);
            let failed = case.is_none();
            let kept = case.and_then(|case| {
                keep(ListedCase {
                    display: display.clone(),
                    case,
                })
            });
            Loaded {
                kept,
                failed,
                entry: entry.map(|e| (display, e)),
                fresh,
            }
        })
        .collect();
    let changed = stale || read.iter().any(|r| r.entry.is_none() || !r.fresh);
    let mut kept = Vec::with_capacity(read.len());
    let mut entries = Vec::with_capacity(read.len());
    let mut failed = 0;
    for r in read {
        kept.extend(r.kept);
        failed += usize::from(r.failed);
        entries.extend(r.entry);
    }
    if changed {
        cache.save(ws, entries);
    }
    (kept, failed)
}

/// What [`load_each`] has of one file: what was kept of it, whether it failed to parse, its
/// cache entry, and whether that is the one the cache had.
struct Loaded<'a, T> {
    kept: Option<T>,
    failed: bool,
    entry: Option<(String, Entry<'a>)>,
    fresh: bool,
}

/// The typed case of the file at `path` (shown as `display`, stamped `stamp`): from the cache
/// when the file is unchanged, else read (and parsed unless its bytes are those the cache knows).
/// Also returns the file's cache entry and whether it is the one the cache had.
fn read_cached<'a>(
    path: &Path,
    display: &str,
    stamp: Option<Stamp>,
    lookup: Lookup<'a>,
) -> (Option<Case>, Option<Entry<'a>>, bool) {
    let known = match lookup {
        Lookup::Fresh(entry) => match entry.case() {
            Ok(case) => return (case, Some(entry), true),
            Err(_) => None,
        },
        Lookup::Check(entry) => entry,
    };
    let bytes = match load::read_bounded(path) {
        Ok(bytes) => bytes,
        // Not readable (a folder named like a case, say): remembered as not a case.
        Err(_) => return (None, stamp.map(|s| Entry::new(s, [0; 16], None)), false),
    };
    let hash = cache::hash(&bytes);
    if let (Some(entry), Some(stamp)) = (known, stamp)
        && entry.hash() == hash
        && let Ok(case) = entry.case()
    {
        return (case, Some(entry.with_stamp(stamp)), false);
    }
    let size = stamp.map_or(bytes.len() as u64, |s| s.size());
    let case = from_bytes(bytes, size, display).ok().map(|c| c.case);
    let entry = stamp.map(|stamp| Entry::new(stamp, hash, case.as_ref()));
    (case, entry, false)
}

/// Finds the case with `id` and returns its path: first at its conventional path
/// `cases/YYYY/<id>.yaml`, then by file name anywhere under `cases/`, then by the id written
/// inside the files. A file named after the id that cannot be read is an error, not a miss.
pub fn find(ws: &Workspace, id: &str) -> Result<(PathBuf, LoadedCase)> {
    // An id goes into a path: letters, digits and dashes only, so it cannot lead elsewhere.
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Error::CaseNotFound(id.to_string()));
    }
    let named = |path: &Path| -> Result<Option<(PathBuf, LoadedCase)>> {
        match load(path, &ws.display_path(path)) {
            Ok(case) if case.case.id.as_deref() == Some(id) => Ok(Some((path.to_path_buf(), case))),
            Ok(_) => Ok(None),
            Err(d) => Err(Error::Unreadable(Box::new(d))),
        }
    };
    // Not a symbolic link, nor in a folder that leads out of the workspace.
    let conventional = id
        .split('-')
        .nth(1)
        .map(|year| ws.cases_dir().join(year).join(format!("{id}.yaml")))
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()));
    if let Some(path) = &conventional {
        ws.confine(path)?;
    }
    if let Some(found) = conventional.as_deref().map(named).transpose()?.flatten() {
        return Ok(found);
    }
    let files = ws.case_files(&[], &ws.root)?;
    for path in files
        .iter()
        .filter(|p| p.file_stem().and_then(|s| s.to_str()) == Some(id))
    {
        if let Some(found) = named(path)? {
            return Ok(found);
        }
    }
    // Last, the id written inside any file; here a file that cannot be read is just not it.
    files
        .par_iter()
        .find_map_first(|p| named(p).ok().flatten())
        .ok_or_else(|| Error::CaseNotFound(id.to_string()))
}
