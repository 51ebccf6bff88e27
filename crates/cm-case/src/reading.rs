//! Reading the cases of a workspace for the listings, the reports and the export: only valid
//! cases are read, each case file once, an id once; the cache spares the parsing of unchanged
//! files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cm_base::at;
use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::yaml::{Place, Pos, within};
use cm_base::{Error, Result};
use rayon::prelude::*;

use crate::cache::{Cache, Entry, Lookup, Stamp};
use crate::load::{self, LoadedCase, from_bytes, load};
use crate::model::{Case, Depth};
use crate::workspace::Workspace;

/// What decides whether a case may be read: its first error by the schema and the rules (the
/// readers leave out a case that has one), and the digest of what those depend on besides the
/// case itself (the schema, the settings, and the calendar of the messages' dates), for which
/// the cache's verdicts hold.
pub trait Judge: Sync {
    /// The digest of the schema, the settings and the calendar the verdicts are found with.
    fn digest(&self) -> [u8; 16];
    /// The first error of `case`, or `None` when it has none.
    fn first_error(&self, case: &LoadedCase) -> Option<Diagnostic>;
}

/// A case read for listing: where it is and what the rules and listings read of it.
#[derive(Clone, Debug)]
pub struct ListedCase {
    /// The path as shown to the user (relative to the workspace root).
    pub display: String,
    pub case: Case,
}

/// What [`load_each`] read: what was kept of the valid cases, in the order of the files, and
/// the first error of each file left out (it could not be read, or the case is not valid).
pub struct Reading<T> {
    pub kept: Vec<T>,
    pub left_out: Vec<Diagnostic>,
    /// The files (as shown) that may have changed since the cache was made: those it had to
    /// read again. `None` when it cannot tell (there was no cache to compare with).
    pub changed: Option<Vec<String>>,
}

/// Reads `files` (every case file of the workspace) in parallel and keeps, of each valid case,
/// only what `keep` makes of it (so that a listing of 100,000 cases holds its rows, not its
/// cases), calling `tick` for each file. A case with an error (see [`Judge`]) is left out, and so
/// is a file that cannot be read: no reader
/// computes from a case that is not valid. The typed cases and their errors come from the cache
/// in `.cm/cache` where the file has not changed, and the cache is brought up to date (see
/// [`cache`]).
pub fn load_each<T: Send>(
    ws: &Workspace,
    judge: &dyn Judge,
    files: &[PathBuf],
    tick: &(dyn Fn() + Sync),
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> Reading<T> {
    load_each_to(ws, judge, files, Depth::Whole, tick, keep)
}

/// [`load_each`], reading each case to `depth`.
pub fn load_each_to<T: Send>(
    ws: &Workspace,
    judge: &dyn Judge,
    files: &[PathBuf],
    depth: Depth,
    tick: &(dyn Fn() + Sync),
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> Reading<T> {
    load_in_parts(ws, judge, files, depth, tick, keep, CHUNK)
}

/// How many files a listing reads at a time (see [`load_each_to`]).
const CHUNK: usize = 4096;

/// [`load_each_to`], reading `part` files at a time.
fn load_in_parts<T: Send>(
    ws: &Workspace,
    judge: &dyn Judge,
    files: &[PathBuf],
    depth: Depth,
    tick: &(dyn Fn() + Sync),
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
    part: usize,
) -> Reading<T> {
    cm_base::files::reading_many();
    let mut cache = Cache::open(ws, judge.digest());
    let knew = cache.knew_any();
    let mut read = Vec::with_capacity(files.len());
    let mut changed_files = Vec::new();
    // A part of the files at a time, in their order: the cache is read and written as they go.
    for part in files.chunks(part) {
        let mark = cache.mark();
        // The stamps in parallel (a system call each), then each looked up in the cache.
        let stamped: Vec<(String, Option<Stamp>)> = part
            .par_iter()
            .map(|path| (ws.display_path(path), Stamp::of(path)))
            .collect();
        let looked: Vec<(String, Option<Stamp>, Lookup)> = stamped
            .into_iter()
            .map(|(display, stamp)| {
                let lookup = cache.take(&display, stamp);
                (display, stamp, lookup)
            })
            .collect();
        let loaded: Vec<Loaded<'_, T>> = part
            .par_iter()
            .zip(looked)
            .map(|(path, (display, stamp, lookup))| {
                tick();
                let (verdict, entry, fresh) =
                    read_cached(judge, path, &display, stamp, lookup, depth);
                let changed = !fresh;
                let kept = verdict.case.map(|case| {
                    keep(ListedCase {
                        display: display.clone(),
                        case,
                    })
                });
                Loaded {
                    id: verdict.id,
                    kept,
                    changed: changed.then(|| display.clone()),
                    entry: entry.map(|e| (display, e)),
                    fresh,
                }
            })
            .collect();
        let changed = cache.lost_any() || loaded.iter().any(|r| r.entry.is_none() || !r.fresh);
        if changed || cache.writing() {
            let entries = loaded.iter().filter_map(|r| r.entry.as_ref());
            cache.write(ws, mark, entries.map(|(path, e)| (path.as_str(), e)));
        }
        for r in loaded {
            changed_files.extend(r.changed);
            read.push((r.id, r.kept.map_err(|e| *e)));
        }
    }
    cache.finish(ws);
    let (kept, left_out) = unique(ws, files, read);
    let kept = kept.into_iter().flatten().collect();
    Reading {
        kept,
        left_out,
        changed: knew.then_some(changed_files),
    }
}

/// The `duplicate-id` error of the case file at `path`, at its id (the file is read again for
/// the place: there are few such files).
pub fn duplicate(path: &Path, display: &str, id: &str, first: &str) -> Diagnostic {
    let pos = load(path, display)
        .ok()
        .map(|case| within(&case.source, case.locate(&Place::At(at!["id"]))));
    let pos = pos.unwrap_or(Pos {
        line: 1,
        col: 1,
        index: 0,
    });
    duplicate_id(display, pos, id, first)
}

/// The `duplicate-id` error of the case file shown as `display`, whose id `id` (at `pos`) the
/// file shown as `first` has already: `cm validate`'s, which the readers apply too.
pub fn duplicate_id(display: &str, pos: Pos, id: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        display,
        pos.line,
        pos.col,
        Severity::Error,
        Code::DuplicateId,
        format!("id `{id}` is also used by {first}"),
    )
    .with_help("every case needs its own id; give each office its own id_prefix")
}

/// What [`load_each`] has of one file: the id of a valid case, what was kept of it (or why it
/// was left out), its cache entry, and whether that is the one the cache had.
struct Loaded<'a, T> {
    id: Option<String>,
    kept: Result<Option<T>, Box<Diagnostic>>,
    /// The file, when the cache could not vouch for it (see [`Reading::changed`]).
    changed: Option<String>,
    entry: Option<(String, Entry<'a>)>,
    fresh: bool,
}

/// The typed case of the file at `path` (shown as `display`, stamped `stamp`), or its first
/// error: from the cache when the file is unchanged, else read (and parsed and checked unless
/// its bytes are those the cache knows). Also returns the file's cache entry and whether it is
/// the one the cache had.
fn read_cached<'a>(
    judge: &dyn Judge,
    path: &Path,
    display: &str,
    stamp: Option<Stamp>,
    lookup: Lookup<'a>,
    depth: Depth,
) -> (Verdict, Option<Entry<'a>>, bool) {
    let verdict = |entry: &Entry<'_>| cached(entry, display, depth);
    let known = match lookup {
        Lookup::Fresh(entry) => match verdict(&entry) {
            Some(verdict) => return (verdict, Some(entry), true),
            None => None,
        },
        Lookup::Check(entry) => entry,
    };
    let bytes = match load::read(path, display) {
        Ok(bytes) => bytes,
        // Not readable (a link, a folder named like a case): remembered as not a case.
        Err(error) => {
            let entry = stamp.map(|s| Entry::new(s, [0; 16], None, Some(&error)));
            let verdict = Verdict {
                id: None,
                case: Err(Box::new(error)),
            };
            return (verdict, entry, false);
        }
    };
    let hash = cm_base::files::hash(&bytes);
    if let (Some(entry), Some(stamp)) = (known, stamp)
        && entry.hash() == hash
        && let Some(verdict) = verdict(&entry)
    {
        return (verdict, Some(entry.with_stamp(stamp)), false);
    }
    let size = stamp.map_or(bytes.len() as u64, |s| s.size());
    match from_bytes(bytes, size, display) {
        Ok(loaded) => {
            let error = judge.first_error(&loaded);
            let entry = stamp.map(|s| Entry::new(s, hash, Some(&loaded.case), error.as_ref()));
            let case = match depth {
                Depth::Whole => loaded.case,
                Depth::Head => loaded.case.head(),
            };
            let verdict = Verdict {
                id: case.id.clone(),
                case: error.map_or(Ok(case), |e| Err(Box::new(e))),
            };
            (verdict, entry, false)
        }
        Err(error) => {
            let entry = stamp.map(|s| Entry::new(s, hash, None, Some(&error)));
            let verdict = Verdict {
                id: None,
                case: Err(Box::new(error)),
            };
            (verdict, entry, false)
        }
    }
}

/// The verdict the cache's `entry` holds for the file shown as `display`, when it can be read.
fn cached(entry: &Entry<'_>, display: &str, depth: Depth) -> Option<Verdict> {
    match (entry.case(depth), entry.error(display)) {
        (Ok(Some(case)), Some(None)) => Some(Verdict {
            id: case.id.clone(),
            case: Ok(case),
        }),
        (Ok(case), Some(Some(error))) => Some(Verdict {
            id: case.and_then(|c| c.id),
            case: Err(Box::new(error)),
        }),
        _ => None,
    }
}

/// What a reader learns of one file: the id of the case in it (when it parses, valid or not),
/// and the case, or why it is left out.
struct Verdict {
    id: Option<String>,
    case: Result<Case, Box<Diagnostic>>,
}

/// Splits what a reader made of each of `files` — the id of its case (when it parses), and what
/// it keeps of it or the file's first error — into what is kept and the errors of the files left
/// out. A valid case whose id an earlier file has is left out too, with `cm validate`'s
/// `duplicate-id`: no case is counted twice.
pub fn unique<T>(
    ws: &Workspace,
    files: &[PathBuf],
    read: Vec<(Option<String>, std::result::Result<T, Diagnostic>)>,
) -> (Vec<T>, Vec<Diagnostic>) {
    split_unique(read, |i, first, id| {
        let path = &files[i];
        duplicate(
            path,
            &ws.display_path(path),
            id,
            &ws.display_path(&files[first]),
        )
    })
}

/// [`unique`], with `duplicate(i, first, id)` making the `duplicate-id` error of the `i`th file,
/// whose id `id` the `first`th has already.
fn split_unique<T>(
    read: Vec<(Option<String>, std::result::Result<T, Diagnostic>)>,
    duplicate: impl Fn(usize, usize, &str) -> Diagnostic,
) -> (Vec<T>, Vec<Diagnostic>) {
    let earlier = {
        let ids: Vec<Option<&str>> = read.iter().map(|(id, _)| id.as_deref()).collect();
        earlier_with_same_id(&ids)
    };
    let mut kept = Vec::with_capacity(read.len());
    let mut left_out = Vec::new();
    for (i, ((id, item), earlier)) in read.into_iter().zip(earlier).enumerate() {
        match (item, earlier.zip(id)) {
            (Ok(_), Some((first, id))) => left_out.push(duplicate(i, first, &id)),
            (Ok(item), None) => kept.push(item),
            (Err(error), _) => left_out.push(error),
        }
    }
    (kept, left_out)
}

/// The bytes of one case file read from elsewhere than the working tree (from git, as it was
/// at a revision): where it is shown (`a1b2c3d:cases/2026/THR-2026-0001.yaml`), and at most
/// [`MAX_FILE_SIZE`](crate::MAX_FILE_SIZE) + 1 of its bytes with its full size, or why it cannot
/// be read as a case.
pub struct FileBytes<'a> {
    pub display: String,
    pub read: std::result::Result<(Vec<u8>, u64), Diagnostic>,
    /// What the working tree's cache knows of the file at the same path: when the bytes are
    /// those it read, its verdict holds for them (under the same schema and settings).
    pub known: Option<Entry<'a>>,
}

/// What [`judge_each`] made of one file, to be passed to [`unique_judged`] with the others.
pub struct Judged<T> {
    display: String,
    id: Option<String>,
    /// Where the id is written, for a `duplicate-id` error.
    id_at: Pos,
    kept: std::result::Result<Option<T>, Diagnostic>,
}

/// What `keep` makes of each valid case among `files`, read in parallel, calling `tick` for
/// each: a file whose bytes the cache knows (see [`FileBytes::known`]) is not parsed again. Pass
/// the results of every part of a workspace, in the order of its files, to [`unique_judged`].
pub fn judge_each<T: Send>(
    judge: &dyn Judge,
    files: Vec<FileBytes<'_>>,
    tick: &(dyn Fn() + Sync),
    keep: impl Fn(ListedCase) -> Option<T> + Sync,
) -> Vec<Judged<T>> {
    cm_base::files::reading_many();
    files
        .into_par_iter()
        .map(|file| {
            tick();
            let start = Pos {
                line: 1,
                col: 1,
                index: 0,
            };
            let known = match (&file.read, &file.known) {
                (Ok((bytes, _)), Some(entry)) if entry.hash() == cm_base::files::hash(bytes) => {
                    cached(entry, &file.display, Depth::Whole)
                        .map(|verdict| (verdict, id_line(bytes)))
                }
                _ => None,
            };
            if let Some((verdict, id_at)) = known {
                let kept = match verdict.case {
                    Ok(case) => Ok(keep(ListedCase {
                        display: file.display.clone(),
                        case,
                    })),
                    Err(error) => Err(*error),
                };
                return Judged {
                    display: file.display,
                    id: verdict.id,
                    id_at,
                    kept,
                };
            }
            let loaded = file
                .read
                .and_then(|(bytes, size)| from_bytes(bytes, size, &file.display));
            let (id, id_at, kept) = match loaded {
                Err(error) => (None, start, Err(error)),
                Ok(loaded) => {
                    let id_at = within(&loaded.source, loaded.locate(&Place::At(at!["id"])));
                    let kept = match judge.first_error(&loaded) {
                        Some(error) => Err(error),
                        None => Ok(keep(ListedCase {
                            display: file.display.clone(),
                            case: loaded.case.clone(),
                        })),
                    };
                    (loaded.case.id, id_at, kept)
                }
            };
            Judged {
                display: file.display,
                id,
                id_at,
                kept,
            }
        })
        .collect()
}

/// Where the id of a case file whose verdict came from the cache is written, for a
/// `duplicate-id` error: the value of its top-level `id:` key (on the first line of a file cm
/// writes), else the file's start.
fn id_line(bytes: &[u8]) -> Pos {
    let mut index = 0;
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if let Some(rest) = line.strip_prefix(b"id:") {
            let spaces = rest.iter().take_while(|b| **b == b' ').count();
            return Pos {
                line: i + 1,
                col: 4 + spaces,
                index: index + 3 + spaces,
            };
        }
        index += line.len() + 1;
    }
    Pos {
        line: 1,
        col: 1,
        index: 0,
    }
}

/// The cases kept of `judged` (every file of a workspace, in order), and the errors of those
/// left out, a case whose id an earlier file has among them (see [`unique`]).
pub fn unique_judged<T>(judged: Vec<Judged<T>>) -> Reading<T> {
    let shown: Vec<(String, Pos)> = judged
        .iter()
        .map(|j| (j.display.clone(), j.id_at))
        .collect();
    let read = judged.into_iter().map(|j| (j.id, j.kept)).collect();
    let (kept, left_out) = split_unique(read, |i, first, id| {
        duplicate_id(&shown[i].0, shown[i].1, id, &shown[first].0)
    });
    Reading {
        kept: kept.into_iter().flatten().collect(),
        left_out,
        changed: Some(Vec::new()),
    }
}

/// For each of `ids` (the ids of case files, in the order of the files), the index of an earlier
/// file with the same id, if there is one: `cm validate`'s `duplicate-id`, which the readers
/// apply too, so that no case is counted twice.
fn earlier_with_same_id(ids: &[Option<&str>]) -> Vec<Option<usize>> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            id.and_then(|id| {
                first.get(id).copied().or_else(|| {
                    first.insert(id, i);
                    None
                })
            })
        })
        .collect()
}

/// Finds the case with `id` and returns its path: first at its conventional path
/// `cases/YYYY/<id>.yaml`, then by file name anywhere under `cases/`, then by the id written
/// inside the files. A file named after the id that cannot be read is an error, not a miss.
pub fn find(ws: &Workspace, id: &str) -> Result<(PathBuf, LoadedCase)> {
    // An id goes into a path: letters, digits and dashes only, so it cannot lead elsewhere.
    let files = || ws.case_files(&[], &ws.root);
    let not_found = |files: &[PathBuf]| Error::CaseNotFound {
        id: id.to_string(),
        nearest: nearest_ids(id, files.iter().filter_map(|p| p.file_stem()?.to_str())),
    };
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(not_found(&files()?));
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
    let files = files()?;
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
        .ok_or_else(|| not_found(&files))
}

/// The ids among `ids` (the names of the case files) that `typed` may have been meant as: the
/// same id in other capitals (`thr-2026-0001`); else the ids whose number is `typed` (`4`,
/// `0004`, `2026-0004`: one when it is unique, else the first three); else the ids spelt most like it (at most three).
fn nearest_ids<'a>(typed: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let ids: Vec<&str> = ids.collect();
    let same: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| i.eq_ignore_ascii_case(typed))
        .collect();
    if !same.is_empty() {
        return same.into_iter().map(String::from).collect();
    }
    let number = |s: &str| -> Option<(Option<u32>, u64)> {
        let mut parts = s.rsplit('-');
        let n = parts.next()?.parse().ok()?;
        let year = parts.next().and_then(|y| y.parse().ok());
        Some((year, n))
    };
    if typed.chars().all(|c| c.is_ascii_digit() || c == '-')
        && let Some((year, n)) = number(typed)
    {
        let numbered: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|i| number(i).is_some_and(|(y, m)| m == n && (year.is_none() || y == year)))
            .collect();
        if !numbered.is_empty() {
            return numbered.into_iter().take(3).map(String::from).collect();
        }
    }
    cm_base::text::nearest(typed, ids, 0.9)
        .into_iter()
        .take(3)
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::CACHE_FILE;

    /// Every case valid, under one digest.
    struct AllValid;

    impl Judge for AllValid {
        fn digest(&self) -> [u8; 16] {
            [7; 16]
        }

        fn first_error(&self, _: &LoadedCase) -> Option<Diagnostic> {
            None
        }
    }

    /// The ids read by a listing of `ws`, two files at a time, and the entries of the cache it
    /// leaves, as written.
    fn listed(ws: &Workspace) -> (Vec<String>, Vec<u8>) {
        let files = ws.case_files(&[], &ws.root).unwrap();
        let keep = |listed: ListedCase| listed.case.id;
        let reading = load_in_parts(ws, &AllValid, &files, Depth::Head, &|| {}, keep, 2);
        (reading.kept, crate::cache::entries_written(ws))
    }

    /// The cache is read and written a part of the files at a time: a file changed, added or
    /// removed in any part (the first, a middle one, the last) comes out as a cache made anew.
    #[test]
    fn the_cache_written_part_by_part_is_the_cache_made_anew() {
        let tmp = tempfile::tempdir().unwrap();
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-cases");
        for entry in walkdir::WalkDir::new(&samples) {
            let entry = entry.unwrap();
            let to = tmp
                .path()
                .join(entry.path().strip_prefix(&samples).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let ws = Workspace::open(tmp.path().to_path_buf()).unwrap();
        let cases = ws.cases_dir();
        let (ids, _) = listed(&ws);
        assert!(ids.len() > 20);
        let changes: [&dyn Fn(); 5] = [
            &|| std::fs::remove_file(cases.join("2025/THR-2025-0001.yaml")).unwrap(),
            &|| {
                let path = cases.join("2026/THR-2026-0009.yaml");
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(
                    &path,
                    text.replace("id: THR-2026-0009", "id: THR-2026-0099"),
                )
                .unwrap();
            },
            &|| {
                let text = std::fs::read_to_string(cases.join("2026/THR-2026-0002.yaml")).unwrap();
                let text = text.replace("THR-2026-0002", "THR-2026-0050");
                std::fs::write(cases.join("2026/THR-2026-0050.yaml"), text).unwrap();
            },
            &|| std::fs::remove_file(cases.join("2026/THR-2026-0018.yaml")).unwrap(),
            &|| {},
        ];
        for change in changes {
            change();
            let (ids, entries) = listed(&ws);
            std::fs::remove_file(ws.root.join(CACHE_FILE)).unwrap();
            let (anew, entries_anew) = listed(&ws);
            assert_eq!(ids, anew);
            assert_eq!(entries, entries_anew);
        }
        let (ids, _) = listed(&ws);
        assert!(ids.contains(&"THR-2026-0099".to_string()));
        assert!(ids.contains(&"THR-2026-0050".to_string()));
        assert!(!ids.contains(&"THR-2025-0001".to_string()));
    }

    #[test]
    fn the_id_of_a_file_known_to_the_cache_is_found_on_its_line() {
        fn at(text: &str) -> (usize, usize, &str) {
            let pos = id_line(text.as_bytes());
            (pos.line, pos.col, &text[pos.index..])
        }
        assert_eq!(at("# a comment\nid:  THR-1\n"), (2, 6, "THR-1\n"));
        assert_eq!(at("id: X\n"), (1, 5, "X\n"));
        // A nested `id:` is not the case's.
        assert_eq!(at("plan:\n  id: G1\n").0, 1);
    }
}
