//! `cm diff`: what changed in the cases, and in the settings, between two revisions of the
//! repository, in words.
//!
//! Git tells which case files differ, and whether `cm.toml` does ([`git`]); each version of a
//! case is read with the same guarded loader as `cm validate`, and the two are described
//! ([`describe`]); each version of `cm.toml` is read as settings and the two compared
//! ([`settings`]). A version that cannot be read is reported as such and the others go on.

mod describe;
pub mod git;
mod settings;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value as Json;

pub use describe::{Change, Entered, Field, FieldChange, Score, WORKING_TREE, describe};
pub use git::Repo;
pub use settings::{SettingsChange, SettingsDiff};

use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::error::Result;
use cm_case::workspace::{SETTINGS_FILE, Workspace};

/// The changes to one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseDiff {
    /// The case's id (as it is now; as it was for a deleted case), or its file name when the
    /// file holds none.
    pub id: String,
    /// Its file, relative to the workspace root.
    pub path: String,
    /// Its file before, when it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    pub changes: Vec<Change>,
}

impl CaseDiff {
    /// The case's line of `cm diff`: its id, then each change in words, dates in `calendar`.
    pub fn words(&self, calendar: cm_base::calendar::Calendar) -> String {
        let words: Vec<String> = self.changes.iter().map(|c| c.words(calendar)).collect();
        format!("{}: {}", self.id, words.join("; "))
    }
}

/// What `cm diff` tells: the changes to `cm.toml`, if it changed, then those to each case.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    pub settings: Option<SettingsDiff>,
    pub cases: Vec<CaseDiff>,
}

impl Diff {
    /// The lines of `cm diff`: `cm.toml` first, then one for each case, dates in `calendar`.
    pub fn lines(&self, calendar: cm_base::calendar::Calendar) -> Vec<String> {
        self.settings
            .iter()
            .map(|s| s.words(calendar))
            .chain(self.cases.iter().map(|c| c.words(calendar)))
            .collect()
    }
}

/// As JSON, one array: `cm.toml`'s entry first (its `path` and no `id`), then each case's.
impl Serialize for Diff {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Entry<'a> {
            Settings(&'a SettingsDiff),
            Case(&'a CaseDiff),
        }
        s.collect_seq(
            self.settings
                .iter()
                .map(Entry::Settings)
                .chain(self.cases.iter().map(Entry::Case)),
        )
    }
}

/// The two sides compared: revision names as the user gave them, `None` for the working tree.
pub struct Sides<'a> {
    pub from: &'a str,
    pub to: Option<&'a str>,
}

/// The changes to the settings and to the cases of `ws` from `sides.from` to `sides.to`, the
/// cases ordered by id. `include` names the personal fields whose values may be shown.
pub fn diff(ws: &Workspace, sides: &Sides<'_>, include: &[String]) -> Result<Diff> {
    let repo = Repo::open(&ws.root)?;
    let from = repo.resolve(sides.from)?;
    let to = sides.to.map(|rev| repo.resolve(rev)).transpose()?;
    let (settings_versions, changes) = settings_apart(repo.changes(&from, to.as_deref())?);
    let ids: Vec<&str> = changes
        .iter()
        .flat_map(|c| [&c.old, &c.new])
        .chain([&settings_versions.old, &settings_versions.new])
        .filter_map(|v| v.as_ref().filter(|v| !v.link)?.blob.as_deref())
        .collect();
    let mut blobs = repo.blobs(&ids)?;
    let settings_side = |version: &Option<git::Version>, label: &str| settings::Side {
        label: label.to_string(),
        settings: version.as_ref().map(|version| {
            if version.link {
                return Err(settings::Problem::from(Diagnostic::new(
                    &version.path,
                    1,
                    1,
                    Severity::Error,
                    Code::Symlink,
                    "a symbolic link; cm does not follow links in a workspace".to_string(),
                )));
            }
            match &version.blob {
                None => {
                    let bytes = cm_case::read(&ws.root.join(&version.path), &version.path)?;
                    settings::parse(&bytes, bytes.len() as u64)
                }
                Some(id) => match blobs.get(id) {
                    Some(blob) => settings::parse(&blob.bytes, blob.size),
                    None => Err(settings::Problem::from(missing(&version.path, id))),
                },
            }
        }),
    };
    let read = |version: &Option<git::Version>, label: &str| -> Option<Side> {
        let version = version.as_ref()?;
        let loaded = match &version.blob {
            None => cm_case::load(&ws.root.join(&version.path), &version.path),
            Some(id) => match blobs.get(id) {
                Some(blob) => cm_case::from_bytes(blob.bytes.clone(), blob.size, &version.path),
                None => Err(missing(&version.path, id)),
            },
        };
        Some(Side {
            path: version.path.clone(),
            label: label.to_string(),
            case: loaded.map(|c| c.json),
        })
    };
    let to_label = sides.to.unwrap_or(WORKING_TREE);
    let settings = settings::settings_diff(
        settings_side(&settings_versions.old, sides.from),
        settings_side(&settings_versions.new, to_label),
    );
    let pairs: Vec<(Option<Side>, Option<Side>)> = changes
        .par_iter()
        .map(|c| (read(&c.old, sides.from), read(&c.new, to_label)))
        .collect();
    blobs.clear();
    let mut diffs: Vec<CaseDiff> = pair_by_id(pairs)
        .into_par_iter()
        .map(|(old, new)| case_diff(old, new, include))
        .collect();
    diffs.sort_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));
    Ok(Diff {
        settings,
        cases: diffs,
    })
}

/// Why an object git named could not be read from it.
fn missing(path: &str, id: &str) -> Diagnostic {
    Diagnostic::new(
        path,
        1,
        1,
        Severity::Error,
        Code::Io,
        format!("git holds no file as object {id}"),
    )
}

/// Takes `cm.toml`'s versions out of the files that differ: the rest are case files. (Git may
/// pair it with a case file as a rename when both hold the same text: the two are apart here.)
fn settings_apart(changes: Vec<git::FileChange>) -> (git::FileChange, Vec<git::FileChange>) {
    let mut settings = git::FileChange {
        old: None,
        new: None,
    };
    let mut cases = Vec::with_capacity(changes.len());
    let is_settings =
        |v: &Option<git::Version>| v.as_ref().is_some_and(|v| v.path == SETTINGS_FILE);
    for mut change in changes {
        if is_settings(&change.old) {
            settings.old = settings.old.or(change.old.take());
        }
        if is_settings(&change.new) {
            settings.new = settings.new.or(change.new.take());
        }
        if change.old.is_some() || change.new.is_some() {
            cases.push(change);
        }
    }
    (settings, cases)
}

/// One version of a case file: where, at which side, and the case or why it cannot be read.
struct Side {
    path: String,
    label: String,
    case: std::result::Result<Json, Diagnostic>,
}

impl Side {
    /// The id written in the case, else the file name.
    fn id(&self) -> String {
        self.case
            .as_ref()
            .ok()
            .and_then(|c| c["id"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| {
                Path::new(&self.path)
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
            })
    }
}

/// Joins a deleted file and an added file holding the same id: a case moved to another
/// folder without git seeing it as a rename (a file git does not track yet, say).
fn pair_by_id(pairs: Vec<(Option<Side>, Option<Side>)>) -> Vec<(Option<Side>, Option<Side>)> {
    let (mut alone, mut out): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(old, new)| old.is_none() != new.is_none());
    let mut added: Vec<Side> = Vec::new();
    let mut deleted: Vec<Side> = Vec::new();
    for (old, new) in alone.drain(..) {
        deleted.extend(old);
        added.extend(new);
    }
    for new in added {
        let id = new.id();
        let readable = new.case.is_ok();
        match deleted
            .iter()
            .position(|old| readable && old.case.is_ok() && old.id() == id)
        {
            Some(i) => out.push((Some(deleted.swap_remove(i)), Some(new))),
            None => out.push((None, Some(new))),
        }
    }
    out.extend(deleted.into_iter().map(|old| (Some(old), None)));
    out
}

/// Describes the change from `old` to `new` (either may be absent, not both).
fn case_diff(old: Option<Side>, new: Option<Side>, include: &[String]) -> CaseDiff {
    let now = new.as_ref().or(old.as_ref()).expect("a side");
    let mut diff = CaseDiff {
        id: now.id(),
        path: now.path.clone(),
        old_path: None,
        changes: Vec::new(),
    };
    let changes = &mut diff.changes;
    for side in [&old, &new].into_iter().flatten() {
        if let Err(d) = &side.case {
            changes.push(Change::Unreadable {
                at: side.label.clone(),
                path: d.path.clone(),
                line: d.line,
                column: d.column,
                code: d.code,
                message: d.message.clone(),
            });
        }
    }
    let text = |case: &Json, key: &str| case[key].as_str().map(str::to_string);
    match (
        old.as_ref().map(|s| (s, s.case.as_ref())),
        new.as_ref().map(|s| (s, s.case.as_ref())),
    ) {
        (None, Some((_, Ok(case)))) => changes.push(Change::Opened {
            opened: text(case, "opened"),
            program: text(case, "program"),
            phase: text(case, "phase"),
            risk: text(case, "risk"),
            caseworker: text(case, "caseworker"),
        }),
        (Some((_, Ok(case))), None) => changes.push(Change::Deleted {
            phase: text(case, "phase"),
        }),
        (Some((before, Ok(was))), Some((after, Ok(is)))) => {
            let (old_id, new_id) = (before.id(), after.id());
            if old_id != new_id {
                changes.push(Change::Renamed { from: old_id });
            } else if before.path != after.path {
                changes.push(Change::Moved {
                    from: before.path.clone(),
                });
            }
            if before.path != after.path {
                diff.old_path = Some(before.path.clone());
            }
            let described = describe(was, is, include);
            // A renamed or moved case whose content is otherwise the same has nothing more to tell.
            if changes.is_empty() || described != [Change::Layout] {
                changes.extend(described);
            }
        }
        _ => {}
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn side(path: &str, case: Json) -> Option<Side> {
        Some(Side {
            path: path.to_string(),
            label: "HEAD".to_string(),
            case: Ok(case),
        })
    }

    #[test]
    fn an_id_changed_inside_the_file_is_a_rename_and_nothing_more() {
        let path = "cases/2026/A-2026-0001.yaml";
        let diff = case_diff(
            side(path, json!({"id": "A-2026-0001", "risk": "low"})),
            side(path, json!({"id": "A-2026-0002", "risk": "low"})),
            &[],
        );
        assert_eq!(diff.id, "A-2026-0002");
        assert_eq!(diff.old_path, None);
        assert_eq!(
            diff.changes,
            [Change::Renamed {
                from: "A-2026-0001".to_string()
            }]
        );
    }

    /// cm.toml is taken apart from the case files, also when git pairs it with one as a rename.
    #[test]
    fn settings_apart_from_the_cases() {
        let version = |path: &str| {
            Some(git::Version {
                path: path.to_string(),
                blob: Some("a".repeat(40)),
                link: false,
            })
        };
        let change = |old: &str, new: &str| git::FileChange {
            old: version(old),
            new: version(new),
        };
        let (settings, cases) = settings_apart(vec![
            change("cases/A-1.yaml", "cases/A-1.yaml"),
            change("cm.toml", "cases/A-2.yaml"),
        ]);
        assert_eq!(settings.old, version("cm.toml"));
        assert_eq!(settings.new, None);
        assert_eq!(cases.len(), 2);
        assert_eq!(
            (&cases[1].old, &cases[1].new),
            (&None, &version("cases/A-2.yaml"))
        );
    }

    #[test]
    fn a_case_without_an_id_is_named_by_its_file() {
        let diff = case_diff(None, side("cases/x/B-1.yaml", json!({"risk": "low"})), &[]);
        assert_eq!(diff.id, "B-1");
    }
}
