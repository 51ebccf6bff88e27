//! Asking git which case files (and whether the settings, `cm.toml`) differ between two
//! revisions, and what they held.
//!
//! `cm` runs the `git` command rather than reading the repository itself: git knows every object
//! format, pack, shallow and partial clone, and the user's own git is the one they trust. Three
//! plumbing calls do the work whatever the number of cases: `git diff --raw` lists the changed
//! files (with rename detection), `git ls-files --others` the new files git does not track yet,
//! and one `git cat-file --batch` reads every old version. Git never writes here: optional locks
//! are off, so the index is not refreshed behind the user's back.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cm_base::error::{Error, Result};
use cm_case::MAX_FILE_SIZE;
use cm_case::workspace::{CASES_DIR, SCHEMA_FILE, SETTINGS_FILE, is_case_file};

/// The git repository a workspace lives in; git runs in the workspace's root folder.
pub struct Repo {
    dir: PathBuf,
}

/// One version of a case file or of `cm.toml`: its path relative to the workspace root, and
/// where it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub path: String,
    /// The git object holding it, or `None` for the file in the working tree.
    pub blob: Option<String>,
    /// Whether git holds it as a symbolic link: a link is no case, and is kept only to say what
    /// it is (`cm.toml` in a diff, a case file in [`Repo::tree`]).
    pub link: bool,
}

/// A case file that differs: as it was (`None` when added) and as it is (`None` when deleted).
/// Git pairs a renamed file's two versions when their contents are alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub old: Option<Version>,
    pub new: Option<Version>,
}

/// Why git could not tell what `cm diff` asked.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "`{}` is not in a git repository; reading the cases at a revision needs one (see `git \
         init`)",
        cm_base::text::printable(&.0.to_string_lossy())
    )]
    NotARepository(PathBuf),
    #[error("`{0}` is not a revision")]
    NotARevision(String),
    #[error(
        "`{rev}` is not a commit in this repository{}",
        if *shallow {
            "; this clone is shallow, so older commits may be missing (`git fetch --deepen=N` \
             or `git fetch --unshallow` brings them)"
        } else {
            ""
        }
    )]
    NotACommit { rev: String, shallow: bool },
    /// A git command failed, with the first line of what it said.
    #[error("git {command}: {said}")]
    Failed { command: String, said: String },
    #[error("`cm diff` needs the `git` command, and it was not found")]
    NotFound,
}

/// A file's bytes as read from git: at most [`MAX_FILE_SIZE`] + 1 of them, and its full size.
pub struct Blob {
    pub bytes: Vec<u8>,
    pub size: u64,
}

impl Repo {
    /// The repository holding `dir`, or an error that says there is none.
    pub fn open(dir: &Path) -> Result<Repo> {
        let repo = Repo {
            dir: dir.to_path_buf(),
        };
        match repo.git(&["rev-parse", "--is-inside-work-tree"]) {
            Ok(out) if out.trim_ascii() == b"true" => Ok(repo),
            Ok(_) | Err(Error::Request(_)) => {
                Err(Error::request(GitError::NotARepository(dir.to_path_buf())))
            }
            Err(e) => Err(e),
        }
    }

    /// The commit `rev` names, as its full object id.
    pub fn resolve(&self, rev: &str) -> Result<String> {
        if rev.starts_with('-') {
            return Err(Error::request(GitError::NotARevision(rev.to_string())));
        }
        let spec = format!("{rev}^{{commit}}");
        match self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ]) {
            Ok(out) => Ok(String::from_utf8_lossy(out.trim_ascii()).into_owned()),
            Err(_) => {
                let shallow = self
                    .git(&["rev-parse", "--is-shallow-repository"])
                    .is_ok_and(|o| o.trim_ascii() == b"true");
                Err(Error::request(GitError::NotACommit {
                    rev: rev.to_string(),
                    shallow,
                }))
            }
        }
    }

    /// The case files that differ between commit `from` and commit `to`, or the working tree
    /// when `to` is `None` (including new files git does not track yet). Only case files count:
    /// `.yaml`/`.yml` under `cases/`, no hidden folder or file, no symbolic link; and
    /// `cm.toml`, a link included (so that reading it can say what it is).
    pub fn changes(&self, from: &str, to: Option<&str>) -> Result<Vec<FileChange>> {
        let mut args = vec![
            "diff",
            "--raw",
            "-z",
            "--no-abbrev",
            "--find-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "--relative",
            from,
        ];
        args.extend(to);
        args.extend(["--", CASES_DIR, SETTINGS_FILE]);
        let raw = self.git(&args)?;
        let mut changes = parse_raw(&raw, to.is_none())?;
        if to.is_none() {
            let untracked = self.git(&[
                "ls-files",
                "-z",
                "--others",
                "--exclude-standard",
                "--",
                CASES_DIR,
                SETTINGS_FILE,
            ])?;
            changes.extend(
                untracked
                    .split(|b| *b == 0)
                    .filter(|p| !p.is_empty())
                    .map(|p| FileChange {
                        old: None,
                        new: Some(Version {
                            path: String::from_utf8_lossy(p).into_owned(),
                            blob: None,
                            link: false,
                        }),
                    }),
            );
            // In the working tree a symbolic link is never a case, whatever git recorded (cm.toml
            // is read from the working tree, which says what it is).
            for change in &mut changes {
                if change.new.as_ref().is_some_and(|v| {
                    v.path != SETTINGS_FILE
                        && std::fs::symlink_metadata(self.dir.join(&v.path))
                            .is_ok_and(|m| m.file_type().is_symlink())
                }) {
                    change.new = None;
                }
                // cm.toml that git sees as deleted but that is there as something else (a
                // folder) is read all the same, to say what it is.
                if change.new.is_none()
                    && change.old.as_ref().is_some_and(|v| v.path == SETTINGS_FILE)
                    && std::fs::symlink_metadata(self.dir.join(SETTINGS_FILE)).is_ok()
                {
                    change.new = Some(Version {
                        path: SETTINGS_FILE.to_string(),
                        blob: None,
                        link: false,
                    });
                }
            }
        }
        changes.retain(|c| c.old.is_some() || c.new.is_some());
        Ok(changes)
    }

    /// The case files, and `cm.toml` and the schema (`schemas/case.schema.json`) when they are
    /// there, as they are at `commit` (a full object id, see [`Repo::resolve`]), sorted by path
    /// as the working tree's are read. Files held as symbolic links are listed, as links, so
    /// that a reader says what they are.
    pub fn tree(&self, commit: &str) -> Result<Vec<Version>> {
        let out = self.git(&[
            "ls-tree",
            "-r",
            "-z",
            "--end-of-options",
            commit,
            "--",
            CASES_DIR,
            SETTINGS_FILE,
            SCHEMA_FILE,
        ])?;
        let bad = || {
            Error::request(GitError::Failed {
                command: "ls-tree".to_string(),
                said: "unexpected output".to_string(),
            })
        };
        let mut files = Vec::new();
        for entry in out.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            // `<mode> SP <type> SP <object> TAB <path>`
            let tab = entry.iter().position(|b| *b == b'\t').ok_or_else(bad)?;
            let meta = std::str::from_utf8(&entry[..tab]).map_err(|_| bad())?;
            let path = String::from_utf8_lossy(&entry[tab + 1..]).into_owned();
            let [mode, _, id] = meta.split(' ').collect::<Vec<_>>()[..] else {
                return Err(bad());
            };
            let link = mode == "120000";
            if (mode.starts_with("100") || link)
                && (path == SETTINGS_FILE || path == SCHEMA_FILE || is_case_path(&path))
            {
                files.push(Version {
                    path,
                    blob: Some(id.to_string()),
                    link,
                });
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The abbreviated name of `commit`, as git shows it.
    pub fn short(&self, commit: &str) -> Result<String> {
        let out = self.git(&["rev-parse", "--short", "--end-of-options", commit])?;
        Ok(String::from_utf8_lossy(out.trim_ascii()).into_owned())
    }

    /// The commits after `since` up to HEAD that changed `path`, newest first, each as its
    /// abbreviated name and its day (`a1b2c3d 2026-11-20`). Never their messages: a message is
    /// free text, which may name a client.
    pub fn commits_touching(&self, since: &str, path: &str) -> Result<Vec<String>> {
        let range = format!("{since}..HEAD");
        let out = self.git(&[
            "log",
            "--no-color",
            "--format=%h %ad",
            "--date=short",
            "--end-of-options",
            &range,
            "--",
            path,
        ])?;
        Ok(String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// Reads the objects `ids` with one `git cat-file --batch`. Only the first
    /// [`MAX_FILE_SIZE`] + 1 bytes of an object are kept: a larger file is refused anyway.
    pub fn blobs(&self, ids: &[&str]) -> Result<HashMap<String, Blob>> {
        let mut child = self
            .command(&["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(no_git)?;
        let mut stdin = child.stdin.take().expect("piped");
        let requests: String = ids.iter().map(|id| format!("{id}\n")).collect();
        // Written from another thread, so that git never waits on a full pipe while we do.
        let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
        let mut reader = BufReader::new(child.stdout.take().expect("piped"));
        let mut blobs = HashMap::with_capacity(ids.len());
        let broken = |what: &str| {
            Error::request(GitError::Failed {
                command: "cat-file".to_string(),
                said: what.to_string(),
            })
        };
        for id in ids {
            let mut header = String::new();
            reader
                .read_line(&mut header)
                .map_err(|e| Error::io("git cat-file", e))?;
            let mut fields = header.split_ascii_whitespace();
            let (Some(_), Some(kind), Some(size)) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(broken(&format!(
                    "object {id} is missing ({})",
                    header.trim()
                )));
            };
            let size: u64 = size.parse().map_err(|_| broken("unexpected answer"))?;
            let mut bytes = Vec::new();
            (&mut reader)
                .take(size.min(MAX_FILE_SIZE + 1))
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io("git cat-file", e))?;
            let rest = size - bytes.len() as u64;
            std::io::copy(&mut (&mut reader).take(rest + 1), &mut std::io::sink())
                .map_err(|e| Error::io("git cat-file", e))?;
            if kind == "blob" {
                blobs.insert(id.to_string(), Blob { bytes, size });
            }
        }
        writer
            .join()
            .expect("the writer does not panic")
            .map_err(|e| Error::io("git cat-file", e))?;
        let status = child.wait().map_err(|e| Error::io("git cat-file", e))?;
        if !status.success() {
            return Err(broken("failed"));
        }
        Ok(blobs)
    }

    /// git with `args`, to run in the workspace without taking optional locks.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            .env("GIT_OPTIONAL_LOCKS", "0");
        command
    }

    /// Runs git with `args` in the workspace and returns its standard output; a failure is an
    /// error carrying what git said.
    fn git(&self, args: &[&str]) -> Result<Vec<u8>> {
        let out = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .map_err(no_git)?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            let said = String::from_utf8_lossy(&out.stderr);
            Err(Error::request(GitError::Failed {
                command: args[0].to_string(),
                said: said.trim().lines().next().unwrap_or("failed").to_string(),
            }))
        }
    }
}

fn no_git(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::request(GitError::NotFound)
    } else {
        Error::io("git", e)
    }
}

/// Reads `git diff --raw -z` output: `:oldmode newmode oldid newid STATUS\0path\0[path2\0]` per
/// file. With `worktree`, the new side is read from the working tree.
fn parse_raw(raw: &[u8], worktree: bool) -> Result<Vec<FileChange>> {
    let mut fields = raw.split(|b| *b == 0);
    let mut changes = Vec::new();
    let bad = || {
        Error::request(GitError::Failed {
            command: "diff".to_string(),
            said: "unexpected output".to_string(),
        })
    };
    while let Some(meta) = fields.next().filter(|m| !m.is_empty()) {
        let meta = std::str::from_utf8(meta).map_err(|_| bad())?;
        let [old_mode, new_mode, old_id, new_id, status] =
            meta.trim_start_matches(':').split(' ').collect::<Vec<_>>()[..]
        else {
            return Err(bad());
        };
        let mut path = || {
            fields
                .next()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .ok_or_else(bad)
        };
        let old_path = path()?;
        let new_path = if status.starts_with(['R', 'C']) {
            path()?
        } else {
            old_path.clone()
        };
        let version = |path: String, mode: &str, id: &str, in_worktree: bool| {
            let absent = id.bytes().all(|b| b == b'0') && !in_worktree;
            // 100644 and 100755 are files; 120000 is a symbolic link, 160000 a submodule.
            let file = mode.starts_with("100");
            let link = mode == "120000";
            let wanted = if path == SETTINGS_FILE {
                file || link
            } else {
                file && is_case_path(&path)
            };
            (wanted && !absent).then(|| Version {
                path,
                blob: (!in_worktree).then(|| id.to_string()),
                link: link && !in_worktree,
            })
        };
        changes.push(FileChange {
            old: version(old_path, old_mode, old_id, false),
            new: version(new_path, new_mode, new_id, worktree),
        });
    }
    Ok(changes)
}

/// Whether `path` (relative to the workspace root) names a case file: under `cases/`, ending in
/// `.yaml`/`.yml`, with no hidden folder or file on the way.
fn is_case_path(path: &str) -> bool {
    path.starts_with(&format!("{CASES_DIR}/"))
        && !path.split('/').any(|part| part.starts_with('.'))
        && is_case_file(Path::new(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_output_with_a_rename_an_addition_and_a_link() {
        let zero = "0".repeat(40);
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let raw = format!(
            ":100644 100644 {a} {b} M\0cases/2026/X-1.yaml\0\
             :100644 100644 {a} {a} R100\0cases/2025/X-2.yaml\0cases/2026/X-2.yaml\0\
             :000000 100644 {zero} {b} A\0cases/2026/X-3.yaml\0\
             :000000 120000 {zero} {b} A\0cases/2026/link.yaml\0\
             :100644 000000 {a} {zero} D\0cases/.hidden/X-4.yaml\0\
             :100644 120000 {a} {b} T\0cm.toml\0\
             :100644 100644 {a} {b} M\0schemas/cm.toml\0"
        );
        let changes = parse_raw(raw.as_bytes(), false).unwrap();
        let v = |path: &str, id: &str| {
            Some(Version {
                path: path.to_string(),
                blob: Some(id.to_string()),
                link: false,
            })
        };
        assert_eq!(changes.len(), 7);
        assert_eq!(changes[0].old, v("cases/2026/X-1.yaml", &a));
        assert_eq!(changes[0].new, v("cases/2026/X-1.yaml", &b));
        assert_eq!(changes[1].old, v("cases/2025/X-2.yaml", &a));
        assert_eq!(changes[1].new, v("cases/2026/X-2.yaml", &a));
        assert_eq!(changes[2].old, None);
        assert_eq!(changes[3].new, None, "a symbolic link is not a case");
        assert_eq!(changes[4].old, None, "hidden folders are skipped");
        assert_eq!(changes[5].old, v("cm.toml", &a));
        assert!(
            changes[5].new.as_ref().unwrap().link,
            "cm.toml as a link is kept, to say what it is"
        );
        assert_eq!((&changes[6].old, &changes[6].new), (&None, &None));
        let worktree = parse_raw(raw.as_bytes(), true).unwrap();
        assert_eq!(worktree[0].new.as_ref().unwrap().blob, None);
    }
}
