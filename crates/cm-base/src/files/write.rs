//! The atomic write: a temporary file in the same folder, written, flushed and synced, given the
//! old file's permissions, then renamed over it (or, for a new file, linked in place unless one
//! exists by then), and the folder synced. A crash at any moment
//! leaves the old file or the new one, never a mix. The temporary file's name starts with a dot,
//! so `cm` never reads a leftover one as a case.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Whether a write replaces a file or makes a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Replace the file, keeping its permissions.
    Replace,
    /// Make a new file; fail if one exists by then.
    Create,
    /// Make the file, or replace it keeping its permissions (a recorded report).
    Put,
    /// Make the file or replace it, without waiting for the disk: for a file that may be lost
    /// in a crash and made again (the cache), but is never seen half-written.
    Scratch,
}

/// Writes `contents` to `path` atomically. `before_rename` is called with the temporary file's
/// path once it is written and synced; an error from it abandons the write and removes the
/// temporary file (the edits use it to check that nobody changed the file meanwhile, the tests
/// to fail a write mid-way).
pub fn atomic_write(
    path: &Path,
    contents: &[u8],
    mode: Mode,
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<()> {
    atomic_write_with(path, mode, |f| f.write_all(contents), before_rename)
}

/// [`atomic_write`] of what `write` writes into the temporary file.
pub fn atomic_write_with(
    path: &Path,
    mode: Mode,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = Atomic::begin(path, mode)?;
    write(file.file()).map_err(|e| Error::io(path, e))?;
    file.commit(before_rename)
}

/// An atomic write written bit by bit (see [`atomic_write`]): the temporary file, until
/// [`Atomic::commit`] puts it in place. Dropped before, it is removed and the old file stays.
pub struct Atomic {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
    mode: Mode,
}

impl Atomic {
    /// Begins the write of `path`: its temporary file, beside it.
    pub fn begin(path: &Path, mode: Mode) -> Result<Atomic> {
        let tmp = tempfile::Builder::new()
            .prefix(".cm-")
            .suffix(".tmp")
            .tempfile_in(folder(path))
            .map_err(|e| Error::io(path, e))?;
        Ok(Atomic {
            tmp,
            path: path.to_path_buf(),
            mode,
        })
    }

    /// The temporary file, to write into.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    /// Puts the file in place, once `before_rename` has seen the temporary file's path.
    pub fn commit(self, before_rename: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<()> {
        let Atomic {
            mut tmp,
            path,
            mode,
        } = self;
        let io = |e| Error::io(&path, e);
        tmp.flush().map_err(io)?;
        let old = match mode {
            Mode::Replace => Some(std::fs::metadata(&path).map_err(io)?),
            Mode::Put => std::fs::metadata(&path).ok(),
            Mode::Create | Mode::Scratch => None,
        };
        if let Some(old) = old {
            tmp.as_file()
                .set_permissions(old.permissions())
                .map_err(io)?;
        }
        if mode != Mode::Scratch {
            tmp.as_file().sync_all().map_err(io)?;
        }
        before_rename(tmp.path()).map_err(io)?;
        match mode {
            Mode::Replace | Mode::Put | Mode::Scratch => {
                tmp.persist(&path).map(drop).map_err(|e| io(e.error))?
            }
            Mode::Create => tmp
                .persist_noclobber(&path)
                .map(drop)
                .map_err(|e| io(e.error))?,
        }
        if mode != Mode::Scratch {
            sync_folder(folder(&path));
        }
        Ok(())
    }
}

/// Makes the new files `files` (each path with its contents), all or none: each is written to a
/// temporary file beside it and closed, then all are made durable at once (on Linux one
/// `syncfs` of the file system; elsewhere each file is synced before it is closed), then each
/// is linked in place unless a file is
/// there by then — in which case those put in place already are removed, and the error is
/// that path's — and each folder is synced once. For many files (an import), where
/// [`atomic_write`] would wait for the disk twice a file. A crash between two links can leave
/// some of the files made; each is whole.
pub fn create_all(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut written = Vec::with_capacity(files.len());
    for (path, contents) in files {
        let io = |e| Error::io(path, e);
        let dir = folder(path);
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".cm-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(io)?;
        tmp.write_all(contents).map_err(io)?;
        tmp.flush().map_err(io)?;
        // Elsewhere than on Linux, each file is synced before it is closed.
        #[cfg(not(target_os = "linux"))]
        tmp.as_file().sync_all().map_err(io)?;
        // Closed now: a hundred thousand files must not be open at once.
        written.push((*path, tmp.into_temp_path()));
    }
    #[cfg(target_os = "linux")]
    if let Some((path, _)) = written.first() {
        // One syncfs of the file system of the workspace makes them all durable at once.
        let dir = std::fs::File::open(folder(path)).map_err(|e| Error::io(path, e))?;
        rustix::fs::syncfs(&dir).map_err(|e| Error::io(path, e.into()))?;
    }
    let mut placed: Vec<&Path> = Vec::with_capacity(written.len());
    for (path, tmp) in written {
        if let Err(e) = tmp.persist_noclobber(path) {
            for done in placed {
                let _ = std::fs::remove_file(done);
            }
            return Err(Error::io(path, e.error));
        }
        placed.push(path);
    }
    let mut dirs: Vec<&Path> = placed.iter().map(|p| folder(p)).collect();
    dirs.sort_unstable();
    dirs.dedup();
    dirs.into_iter().for_each(sync_folder);
    Ok(())
}

/// Makes the renames into `dir` durable; not every platform can open a folder, so this is best
/// effort.
fn sync_folder(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The folder of `path` (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Makes the file at `path` readable and writable by its owner only (for `atomic_write`'s
/// `before_rename`): for the files that hold secrets or personal data.
#[cfg(unix)]
pub fn owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
pub fn owner_only(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the entries of `dir`, temporary files included.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn many_new_files_are_made_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("cases/2026");
        let paths: Vec<_> = (1..=3)
            .map(|n| folder.join(format!("CM-2026-000{n}.yaml")))
            .collect();
        let files: Vec<(&Path, &[u8])> = paths
            .iter()
            .map(|p| (p.as_path(), &b"id: x\n"[..]))
            .collect();
        // A file in the way of the third: none is made, and no temporary file is left.
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(&paths[2], "someone else's\n").unwrap();
        let err = create_all(&files).unwrap_err();
        assert!(err.to_string().contains("CM-2026-0003.yaml"), "{err}");
        assert_eq!(entries(&folder), ["CM-2026-0003.yaml"]);
        assert_eq!(
            std::fs::read_to_string(&paths[2]).unwrap(),
            "someone else's\n"
        );
        // With the way clear, all are.
        std::fs::remove_file(&paths[2]).unwrap();
        create_all(&files).unwrap();
        assert_eq!(
            entries(&folder),
            [
                "CM-2026-0001.yaml",
                "CM-2026-0002.yaml",
                "CM-2026-0003.yaml"
            ]
        );
        assert_eq!(std::fs::read_to_string(&paths[0]).unwrap(), "id: x\n");
    }

    #[test]
    fn replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("CM-2026-0001.yaml");
        std::fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        atomic_write(&path, b"new\n", Mode::Replace, |_| Ok(())).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("CM-2026-0001.yaml");
        std::fs::write(&path, "old\n").unwrap();
        let mut seen = None;
        let err = atomic_write(&path, b"new\n", Mode::Replace, |tmp| {
            assert_eq!(std::fs::read_to_string(tmp).unwrap(), "new\n");
            seen = Some(tmp.to_path_buf());
            Err(std::io::Error::other("injected failure"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("injected failure"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert!(!seen.unwrap().exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn creating_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("CM-2026-0001.yaml");
        atomic_write(&path, b"first\n", Mode::Create, |_| Ok(())).unwrap();
        assert!(atomic_write(&path, b"second\n", Mode::Create, |_| Ok(())).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
