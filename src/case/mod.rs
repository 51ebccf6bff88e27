//! The case: its typed model and how a case file is read.

mod load;
mod model;

pub use load::{LoadedCase, MAX_FILE_SIZE, load};
pub use model::*;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// A case read for listing: where it is and what the rules and listings read of it.
#[derive(Clone, Debug)]
pub struct ListedCase {
    /// The path as shown to the user (relative to the workspace root).
    pub display: String,
    pub case: Case,
}

/// Reads `files` in parallel, keeping only the typed cases (not their text or tree, so that
/// memory stays small). Returns the cases that parsed, in the order of `files`, and how many
/// did not (`cm validate` says why).
pub fn load_all(ws: &Workspace, files: &[PathBuf]) -> (Vec<ListedCase>, usize) {
    let loaded: Vec<Option<ListedCase>> = files
        .par_iter()
        .map(|path| {
            load(path, &ws.display_path(path)).ok().map(|c| ListedCase {
                display: c.display,
                case: c.case,
            })
        })
        .collect();
    let failed = loaded.iter().filter(|c| c.is_none()).count();
    (loaded.into_iter().flatten().collect(), failed)
}

/// Finds the case with `id`: first at its conventional path `cases/YYYY/<id>.yaml`, then by
/// file name anywhere under `cases/`, then by the id written inside the files.
pub fn find(ws: &Workspace, id: &str) -> Result<LoadedCase> {
    let try_load = |path: &Path| {
        load(path, &ws.display_path(path))
            .ok()
            .filter(|case| case.case.id.as_deref() == Some(id))
    };
    let conventional = id
        .split('-')
        .nth(1)
        .map(|year| ws.cases_dir().join(year).join(format!("{id}.yaml")));
    if let Some(case) = conventional.as_deref().and_then(try_load) {
        return Ok(case);
    }
    let files = ws.case_files(&[], &ws.root)?;
    files
        .iter()
        .filter(|p| p.file_stem().and_then(|s| s.to_str()) == Some(id))
        .find_map(|p| try_load(p))
        .or_else(|| files.par_iter().find_map_first(|p| try_load(p)))
        .ok_or_else(|| Error::CaseNotFound(id.to_string()))
}
