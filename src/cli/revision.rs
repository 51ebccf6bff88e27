//! `--at REV`: the workspace as its files were at a git commit — its settings, its schema and
//! its cases — read from git's objects as `cm diff` reads them, never from the working tree or
//! the index, which stay as they are.

use std::path::Path;

use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::error::{Error, Result};
use cm_case::cache::{Cache, Lookup};
use cm_case::workspace::{SCHEMA_FILE, SETTINGS_FILE};
use cm_case::{FileBytes, Judge, Judged, ListedCase, Reading, Settings, Workspace};
use cm_ops::check::Schema;
use cm_ops::diff::git::{Repo, Version};

/// How many case files are read from git at a time: enough to keep every core busy, few enough
/// that their bytes never fill the memory.
const CHUNK: usize = 4096;

/// A commit of the repository the workspace is in, and the files of the workspace there.
pub struct Revision {
    repo: Repo,
    /// Its abbreviated name, as git shows it.
    pub short: String,
    /// The case files at the commit.
    cases: Vec<Version>,
}

impl Revision {
    /// The workspace rooted at `root` as it was at the commit `rev` names (`HEAD~3`, a tag, a
    /// date with `main@{2026-10-31}`): its settings and schema as committed then (the defaults
    /// where there were none), and the revision to read its cases from.
    pub fn open(root: &Path, rev: &str) -> Result<(Workspace, Schema, Revision)> {
        let repo = Repo::open(root)?;
        let commit = repo.resolve(rev)?;
        let short = repo.short(&commit)?;
        let mut files = repo.tree(&commit)?;
        let take = |files: &mut Vec<Version>, name: &str| {
            let at = files.iter().position(|f| f.path == name)?;
            Some(files.remove(at))
        };
        let settings_file = take(&mut files, SETTINGS_FILE);
        let schema_file = take(&mut files, SCHEMA_FILE);
        let text = |version: &Version| -> Result<String> {
            let shown = format!("{short}:{}", version.path);
            if version.link {
                return Err(Error::request(NotAFile(shown)));
            }
            let id = version.blob.as_deref().unwrap_or_default();
            let blob = repo
                .blobs(&[id])?
                .remove(id)
                .unwrap_or_else(|| cm_ops::diff::git::Blob {
                    bytes: Vec::new(),
                    size: 0,
                });
            String::from_utf8(blob.bytes).map_err(|_| Error::request(NotUtf8(shown)))
        };
        let settings = match &settings_file {
            Some(version) => Settings::parse(
                &text(version)?,
                Path::new(&format!("{short}:{SETTINGS_FILE}")),
            )?,
            None => Settings::default(),
        };
        let schema = match &schema_file {
            Some(version) => Schema::parse(
                &text(version)?,
                Path::new(&format!("{short}:{SCHEMA_FILE}")),
            )?,
            None => Schema::builtin()?,
        };
        let ws = Workspace {
            root: root.to_path_buf(),
            settings,
        };
        let revision = Revision {
            repo,
            short,
            cases: files,
        };
        Ok((ws, schema, revision))
    }

    /// How many case files there are at the commit.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// What `keep` makes of each valid case at the commit (of the workspace `ws` as it was
    /// then), as [`cm_case::load_each`] does of the working tree's; each file is shown as git
    /// names it, `a1b2c3d:cases/2026/THR-2026-0001.yaml`. A file whose bytes are those the
    /// working tree's cache knows, under the same schema and settings, is not parsed again.
    pub fn each_case<T: Send>(
        &self,
        ws: &Workspace,
        judge: &dyn Judge,
        tick: &(dyn Fn() + Sync),
        keep: impl Fn(ListedCase) -> Option<T> + Sync,
    ) -> Result<Reading<T>> {
        // The working tree's cache, for the files whose bytes it knows (read, never written: it
        // is the working tree's).
        let mut cache = Cache::open(ws, judge.digest());
        let mut judged: Vec<Judged<T>> = Vec::with_capacity(self.cases.len());
        for part in self.cases.chunks(CHUNK) {
            let ids: Vec<&str> = part
                .iter()
                .filter(|v| !v.link)
                .filter_map(|v| v.blob.as_deref())
                .collect();
            let mut blobs = self.repo.blobs(&ids)?;
            let files = part
                .iter()
                .map(|version| {
                    let display = format!("{}:{}", self.short, version.path);
                    let blob = version.blob.as_deref().and_then(|id| blobs.remove(id));
                    let read = match blob {
                        Some(blob) if !version.link => Ok((blob.bytes, blob.size)),
                        _ => Err(Diagnostic::new(
                            &display,
                            1,
                            1,
                            Severity::Error,
                            Code::Symlink,
                            "a symbolic link; cm does not follow links in a workspace".to_string(),
                        )),
                    };
                    let known = match cache.take(&version.path, None) {
                        Lookup::Fresh(entry) => Some(entry),
                        Lookup::Check(entry) => entry,
                    };
                    FileBytes {
                        display,
                        read,
                        known,
                    }
                })
                .collect();
            judged.extend(cm_case::judge_each(judge, files, tick, &keep));
        }
        Ok(cm_case::unique_judged(judged))
    }
}

/// A file of the workspace's own that git holds as something else than a file.
#[derive(Debug, thiserror::Error)]
#[error("{0}: a symbolic link at that revision; cm reads only files")]
struct NotAFile(String);

/// A file of the workspace's own that is not UTF-8 text.
#[derive(Debug, thiserror::Error)]
#[error("{0}: not UTF-8 text at that revision")]
struct NotUtf8(String);
