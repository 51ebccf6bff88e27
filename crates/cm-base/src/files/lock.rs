//! The edit lock (a workspace has it in `.cm/lock`): every command that writes a case holds it from
//! reading the file to the rename of the new one (and `cm new` from finding the next free number to
//! writing the file), so that two people editing at once are served one after the other and neither
//! loses the other's work. It is an advisory lock of the operating system on the open file (`flock`
//! on Unix): it is let go when the command ends, however it ends, so a killed command never leaves
//! the workspace locked. The file itself stays, empty.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{Error, Result};

/// An edit lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock on the file at `path` (made if need be; its folder must exist), waiting
    /// for whoever holds it. `shown` names the file in errors.
    pub fn take(path: &Path, shown: &str) -> Result<Lock> {
        let io = |e| Error::io(shown, e);
        // A named pipe there would make the open wait for ever.
        if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file; delete it (cm makes it again)",
            )));
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io)?;
        file.lock().map_err(io)?;
        Ok(Lock { _file: file })
    }
}
