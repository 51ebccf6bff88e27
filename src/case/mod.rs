//! The case: its typed model and how a case file is read.

mod load;
mod model;

pub use load::{LoadedCase, MAX_FILE_SIZE, from_bytes, load, parse};
pub use model::*;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::workspace::Workspace;

/// A case read for listing: where it is and what the rules and listings read of it.
#[derive(Clone, Debug)]
pub struct ListedCase {
    /// The path as shown to the user (relative to the workspace root).
    pub display: String,
    pub case: Case,
}

/// Reads `files` in parallel and keeps, of each case that parses, only what `keep` makes of it
/// (so that a listing of 100,000 cases holds its rows, not its cases), ticking `progress` for
/// each file. Returns what was kept, in the order of `files`, and how many files did not parse
/// (`cm validate` says why).
pub fn load_each<T: Send>(
    ws: &Workspace,
    files: &[PathBuf],
    progress: &Progress,
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> (Vec<T>, usize) {
    let failed = AtomicUsize::new(0);
    let kept: Vec<T> = files
        .par_iter()
        .filter_map(|path| {
            progress.tick();
            match load(path, &ws.display_path(path)) {
                Ok(c) => keep(ListedCase {
                    display: c.display,
                    case: c.case,
                }),
                Err(_) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                    None
                }
            }
        })
        .collect();
    (kept, failed.into_inner())
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
    let conventional = id
        .split('-')
        .nth(1)
        .map(|year| ws.cases_dir().join(year).join(format!("{id}.yaml")))
        .filter(|p| p.is_file());
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
