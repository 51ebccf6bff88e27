//! The files of a workspace: the one link rule ([`confine`]), bounded reads, the atomic write and
//! the edit lock. Every file `cm` reads or writes in a workspace goes through here.

mod lock;
mod write;

use std::path::{Component, Path};

pub use lock::Lock;
pub use write::{Atomic, Mode, atomic_write, atomic_write_with, create_all, owner_only};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The first `n` bytes of the file at `path` (all of it when it is shorter): a file of the
/// workspace may be as large as a commit makes it, and is never read further than needed; a
/// named pipe or a device is not opened at all.
pub fn read_at_most(path: &Path, n: u64) -> std::io::Result<Vec<u8>> {
    // Opening a named pipe waits for a writer for ever; a device may never end.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() && !meta.is_dir() {
        return Err(not_a_file());
    }
    read_opened(std::fs::File::open(path)?, meta.len(), n)
}

/// Before many files are read and parsed: turns off transparent huge pages for the process.
/// mimalloc asks Linux for them, and the kernel zeroes 2 MiB at a time as they are first
/// touched; memory freed and taken again while 100,000 files are parsed is zeroed again and
/// again (without them, `cm validate` of 100,000 cases takes half the system time and 25 MB
/// less). Not for every command: one that reads a file or two takes 2 to 3 ms more without
/// them, in page faults. A kernel that cannot says so, and nothing changes.
pub fn reading_many() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// The first `n` bytes of the regular file at `path`, when it is one and not a symbolic link:
/// the quick way to read a case file, with one `open` and one `stat` of the open file. Anything
/// else (a link, a pipe, a folder, a file that cannot be opened) is an error, which the caller
/// tells apart by looking again (see `cm_case::read`).
#[cfg(unix)]
pub fn read_regular_at_most(path: &Path, n: u64) -> std::io::Result<Vec<u8>> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    // Without following a link, and without waiting for a named pipe's writer.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    read_opened(file, meta.len(), n)
}

/// The first `n` bytes of `file`, which was `len` bytes long when it was opened: read into a
/// buffer of that size and one byte more, so that two reads find its end.
fn read_opened(file: std::fs::File, len: u64, n: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(n) + 1).unwrap_or(0));
    file.take(n).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn not_a_file() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        "not a regular file (a named pipe, a socket or a device)",
    )
}

/// The text of the file at `path`, refused (as invalid data) when it is larger than `limit`
/// bytes or not UTF-8: for the workspace's own files (settings, schema).
pub fn read_to_string_limited(path: &Path, limit: u64) -> std::io::Result<String> {
    let bytes = read_at_most(path, limit + 1)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is larger than {} KiB", limit / 1024),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is not valid UTF-8 ({})", e.utf8_error()),
        )
    })
}

/// Checks that `path` can be read or written without following a symbolic link: no part of it
/// below `root` is a link. This is the one link rule of `cm`, for every file it reads or writes
/// in a workspace (settings, schema, cases, `.cm/`, `.gitignore`): a link is never followed,
/// wherever it leads — out of the workspace, to another file inside it, nowhere (a dangling
/// link), or round in a loop — so that a link committed by someone else can neither make `cm`
/// read or write a file other than the one it names, nor count one case twice. The parts of
/// `path` that do not exist yet are fine (a file or folder about to be made). A path that is not
/// under `root` (or that leaves it with `..`) was asked for by name, and is the asker's. (A link
/// made while `cm` runs, between this check and the use, is not guarded against: that takes
/// someone who can write to the workspace already.)
pub fn confine(root: &Path, path: &Path) -> Result<()> {
    let Ok(inside) = path.strip_prefix(root) else {
        return Ok(());
    };
    // The parts are taken as written, `..` included: a `..` after a link would be resolved by
    // the system through the link, so the link is met (and refused) before the `..` is.
    let mut at = root.to_path_buf();
    let mut depth = 0usize;
    for part in inside.components() {
        match part {
            Component::CurDir => continue,
            Component::ParentDir if depth == 0 => return Ok(()),
            Component::ParentDir => {
                at.pop();
                depth -= 1;
                continue;
            }
            part => {
                at.push(part);
                depth += 1;
            }
        }
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::Link {
                    path: at.strip_prefix(root).unwrap_or(&at).to_path_buf(),
                    target: std::fs::read_link(&at).unwrap_or_default(),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(&at, e)),
        }
    }
    Ok(())
}

/// The first 16 bytes of the SHA-256 of `bytes`: what identifies a file's contents (the cache,
/// the settings, the schema).
pub fn hash(bytes: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(bytes);
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}
