//! The ways `cm` can fail to do its job at all (exit status 2). Problems found *in* case files
//! are not errors: they are diagnostics (see `check`).

use std::path::PathBuf;

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: {message}{}", path.display(), help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    Settings {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
        help: Option<String>,
    },
    #[error("{}: {message}", path.display())]
    Schema { path: PathBuf, message: String },
    #[error("no case with id `{0}` in this workspace")]
    CaseNotFound(String),
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
