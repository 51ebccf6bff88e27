//! The ways `cm` can fail to do its job at all (exit status 2). Problems found *in* case files
//! are not errors: they are diagnostics (see `check`).

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", shown(path))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: {message}{}", shown(path), help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    Settings {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
        help: Option<String>,
    },
    #[error("{}: {message}", shown(path))]
    Schema { path: PathBuf, message: String },
    #[error("no case with id `{0}` in this workspace")]
    CaseNotFound(String),
    /// A case file that cannot be read or parsed, so cannot be shown or changed.
    #[error("{}:{}:{}: {}", .0.path, .0.line, .0.column, .0.message)]
    Unreadable(Box<Diagnostic>),
    /// A case with an error, which a reader does not compute from (exit status 1: the check
    /// found a problem).
    #[error(
        "{}\n  the case has errors, so it is not read; run `cm validate`",
        .0.headline()
    )]
    Invalid(Box<Diagnostic>),
    /// A change refused because the case would not be valid after it. Nothing was written.
    #[error("{what}; nothing was changed:\n{}", reasons.join("\n"))]
    Refused { what: String, reasons: Vec<String> },
    /// A change that cannot be made to the file as it is. Nothing was written.
    #[error("cannot change {path}: {message}; nothing was changed")]
    Edit { path: String, message: String },
    /// A path of the workspace that is, or passes through, a symbolic link: never followed, so
    /// that a link committed by someone else cannot make `cm` read or write another file.
    #[error(
        "{}: a symbolic link (to {}); cm does not follow links in a workspace",
        shown(path),
        shown(target)
    )]
    Link { path: PathBuf, target: PathBuf },
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

/// A path as an error shows it: every control character escaped, a line break included, since
/// a path comes from the workspace (a link's target, a file's name) and an error has lines of
/// its own that it must not be able to forge.
fn shown(path: &std::path::Path) -> String {
    crate::text::printable(&path.to_string_lossy()).into_owned()
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
