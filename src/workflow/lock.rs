//! The workspace's edit lock, `.cm/lock`: every command that writes a case holds it from reading
//! the file to the rename of the new one (and `cm new` from finding the next free number to
//! writing the file), so that two people editing at once are served one after the other and
//! neither loses the other's work. It is an advisory lock of the operating system on the open
//! file (`flock` on Unix): it is let go when the command ends, however it ends, so a killed
//! command never leaves the workspace locked. The file itself stays, empty.

use std::fs::{File, OpenOptions};

use crate::error::{Error, Result};
use crate::workspace::{PRIVATE_DIR, Workspace};

/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = ".cm/lock";

/// The workspace's edit lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock of `ws`, waiting for whoever holds it.
    pub fn take(ws: &Workspace) -> Result<Lock> {
        ws.private_dir()?;
        let path = ws.root.join(LOCK_FILE);
        ws.confine(&path)?;
        let io = |e| Error::io(format!("{PRIVATE_DIR}/lock"), e);
        // A named pipe there would make the open wait for ever.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file; delete it (cm makes it again)",
            )));
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        file.lock().map_err(io)?;
        Ok(Lock { _file: file })
    }
}
