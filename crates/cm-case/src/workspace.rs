//! Finding the workspace and the files in it.
//!
//! Discovery works like git's: an explicit directory, else the nearest ancestor holding
//! `cm.toml`, else the current directory with every default. No symbolic link in a workspace is
//! ever followed (see [`cm_base::files::confine`]).

use std::path::{Path, PathBuf};

use cm_base::files::{Lock, confine, read_to_string_limited};
use cm_base::text::printable;
use cm_base::{Error, Result};

use crate::settings::Settings;

/// The settings file's name at the workspace root.
pub const SETTINGS_FILE: &str = "cm.toml";
/// The workspace's own schema, relative to the root; replaces the built-in one when present.
pub const SCHEMA_FILE: &str = "schemas/case.schema.json";
/// The folder holding the case files.
pub const CASES_DIR: &str = "cases";
/// `cm`'s own folder at the workspace root: never committed.
pub const PRIVATE_DIR: &str = ".cm";
/// The edit lock, relative to the workspace root.
pub const LOCK_FILE: &str = ".cm/lock";

/// Why there is no workspace to work in.
#[derive(Debug, thiserror::Error)]
pub enum NoWorkspace {
    #[error(
        "not in a workspace: no {SETTINGS_FILE} in {} or any folder above it\n  help: run `cm init` to make one here, or name one with `cm -C DIR`",
        printable(&.0.to_string_lossy())
    )]
    NoneAbove(PathBuf),
    #[error(
        "{} is not a workspace: it holds neither {SETTINGS_FILE} nor {CASES_DIR}/\n  help: run `cm init {}` to make one there",
        printable(&.0.to_string_lossy()),
        printable(&.0.to_string_lossy())
    )]
    NotOne(PathBuf),
}

/// A workspace: its root folder and its settings.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub settings: Settings,
}

impl Workspace {
    /// Finds the workspace, as git finds a repository. With `explicit` (`-C DIR`, which
    /// `cwd` then is), `cwd` itself, which must hold `cm.toml` or `cases/`; else the nearest
    /// folder from `cwd` upwards that holds `cm.toml`. Anywhere else there is no workspace: a
    /// command would otherwise read nothing and say all is well, or write cases into whatever
    /// folder it was run in.
    pub fn discover(cwd: &Path, explicit: bool) -> Result<Workspace> {
        Workspace::open(Workspace::find_root(cwd, explicit)?)
    }

    /// The root folder [`Workspace::discover`] finds, without reading its settings.
    pub fn find_root(cwd: &Path, explicit: bool) -> Result<PathBuf> {
        // Whatever stands at `cm.toml` marks the folder (a link or a pipe there is then
        // reported by reading it, not passed over).
        let marked = |dir: &Path, name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
        let root = if explicit {
            if !cwd.is_dir() {
                return Err(Error::NotADirectory(cwd.to_path_buf()));
            }
            if !marked(cwd, SETTINGS_FILE) && !marked(cwd, CASES_DIR) {
                return Err(Error::request(NoWorkspace::NotOne(cwd.to_path_buf())));
            }
            cwd
        } else {
            cwd.ancestors()
                .find(|d| marked(d, SETTINGS_FILE))
                .ok_or_else(|| Error::request(NoWorkspace::NoneAbove(cwd.to_path_buf())))?
        };
        Ok(root.to_path_buf())
    }

    /// Opens the workspace rooted at `root`.
    pub fn open(root: PathBuf) -> Result<Workspace> {
        let path = root.join(SETTINGS_FILE);
        confine(&root, &path)?;
        let settings = match read_to_string_limited(&path, 1024 * 1024) {
            Ok(text) => Settings::parse(&text, Path::new(SETTINGS_FILE))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => return Err(Error::io(SETTINGS_FILE, e)),
        };
        Ok(Workspace { root, settings })
    }

    /// Takes the workspace's edit lock (`.cm/lock`), waiting for whoever holds it: every command
    /// that writes a case holds it from its first read to its write.
    pub fn lock(&self) -> Result<Lock> {
        self.private_dir()?;
        let path = self.root.join(LOCK_FILE);
        self.confine(&path)?;
        Lock::take(&path, LOCK_FILE)
    }

    /// Checks that reading or writing `path` follows no link (see [`confine`]).
    pub fn confine(&self, path: &Path) -> Result<()> {
        confine(&self.root, path)
    }

    /// `cm`'s own folder, `.cm/` (the cache, the export key, the lock), made if need be, with a
    /// `.gitignore` of its own so that nothing in it is ever committed.
    pub fn private_dir(&self) -> Result<PathBuf> {
        let dir = self.root.join(PRIVATE_DIR);
        let ignore = dir.join(".gitignore");
        self.confine(&ignore)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let made = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&ignore)
            .and_then(|mut f| {
                std::io::Write::write_all(&mut f, b"# cm's own files: never commit them\n*\n")
            });
        match made {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(Error::io(&ignore, e)),
            _ => Ok(dir),
        }
    }

    /// The folder of case files.
    pub fn cases_dir(&self) -> PathBuf {
        self.root.join(CASES_DIR)
    }

    /// The case files under `paths` (files or folders, relative to `cwd`), or under `cases/`
    /// when none is given; sorted. Hidden files and folders are skipped. Symbolic links are not
    /// followed (see [`confine`]) but kept, as is an entry that cannot be read, so that reading
    /// it reports why: nothing is left out unseen.
    pub fn case_files(&self, paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>> {
        let roots: Vec<PathBuf> = if paths.is_empty() {
            vec![self.cases_dir()]
        } else {
            paths.iter().map(|p| cwd.join(p)).collect()
        };
        let mut files = Vec::new();
        for root in roots {
            // No part of a path under the workspace may be a link; the path itself may be a
            // file named on the command line, a link included (reading it says what it is).
            if let Some(parent) = root.parent() {
                self.confine(parent)?;
            }
            match std::fs::symlink_metadata(&root) {
                Ok(m) if m.is_file() || (m.is_symlink() && !paths.is_empty()) => {
                    files.push(root);
                    continue;
                }
                Ok(m) if m.is_symlink() => self.confine(&root)?,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && paths.is_empty() => continue,
                Err(e) => return Err(Error::io(root, e)),
            }
            // Sorted once at the end: walkdir's sort by name splits each path again at every
            // comparison (5 % of a warm listing of 100,000 cases).
            let mut walk = walkdir::WalkDir::new(&root)
                .follow_links(false)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
            while let Some(entry) = walk.next() {
                match entry {
                    // Any link, whatever its name: it is not followed, and says so when read,
                    // so that no case behind it is left out unseen.
                    Ok(e) if e.file_type().is_symlink() => files.push(e.into_path()),
                    Ok(e) if !is_case_file(e.path()) => {}
                    Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                    // A folder named like a case: kept so that reading it says what is wrong.
                    Ok(e) if e.file_type().is_dir() && e.depth() > 0 => {
                        files.push(e.into_path());
                        walk.skip_current_dir();
                    }
                    // A named pipe, a socket or a device named like a case: kept, so that it is
                    // reported (reading never opens it).
                    Ok(e) if !e.file_type().is_dir() => files.push(e.into_path()),
                    Ok(_) => {}
                    Err(e) => files.extend(e.path().map(Path::to_path_buf)),
                }
            }
        }
        // In the order of paths (by their parts), each path's bytes compared with its separators
        // as the least byte: comparing paths part by part is slow (6 % of a warm listing).
        files.sort_by_cached_key(|path| {
            let bytes = path.as_os_str().as_encoded_bytes().iter();
            let separator = |b: u8| std::path::is_separator(char::from(b));
            bytes
                .map(|&b| if separator(b) { 0 } else { b })
                .collect::<Vec<u8>>()
        });
        files.dedup();
        Ok(files)
    }

    /// The folders [`Workspace::case_files`] looks into when given no path: `cases/` and every
    /// folder under it that is neither hidden nor named like a case file; none without `cases/`.
    pub fn case_folders(&self) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.cases_dir())
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !(is_hidden(e.file_name()) || is_case_file(e.path()))
            })
            .filter_map(|e| e.ok().filter(|e| e.file_type().is_dir()))
            .map(walkdir::DirEntry::into_path)
            .collect()
    }

    /// The path of `path` as shown to the user: relative to the workspace root when inside it.
    pub fn display_path(&self, path: &Path) -> String {
        display_path(&self.root, path)
    }
}

/// The path of `path` as shown to the user: relative to `root` (a workspace's) when inside it.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// A case file ends in `.yaml` or `.yml`, in any case of letters: `THR-2026-0001.YAML` is
/// read (and the `file-name` rule asks for its proper name) rather than passed over unseen.
pub fn is_case_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
