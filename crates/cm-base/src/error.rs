//! The ways `cm` can fail to do its job at all (exit status 2), or refuse a change (exit status
//! 1). Problems found *in* case files are not errors: they are diagnostics.
//!
//! A request that cannot be done as asked is an [`Error::Request`] holding the typed reason of
//! the layer that knows it (the workflow's, git's, the export key's, the command line's), so that
//! each failure is a variant of its own, not a sentence.

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
    /// No case has the id asked for; `nearest` are the ids it may have been meant as.
    #[error("no case with id `{id}` in this workspace{}", did_you_mean(nearest))]
    CaseNotFound { id: String, nearest: Vec<String> },
    /// A case file that cannot be read or parsed, so cannot be shown or changed.
    #[error("{}", .0.headline())]
    Unreadable(Box<Diagnostic>),
    /// A case with an error, which a reader does not compute from (exit status 1: the check
    /// found a problem).
    #[error(
        "{}\n  the case has errors, so it is not read; run `cm validate`",
        .0.headline()
    )]
    Invalid(Box<Diagnostic>),
    /// A change refused because the case would not be valid after it. Nothing was written.
    /// Each reason is a diagnostic at its place in the file as it is (or at the nearest place
    /// the file has, for what the change would add).
    #[error("{what}; nothing was changed:{}", reasons.iter().map(|d| format!("\n  {}{}", d.headline(), d.help.as_ref().map(|h| format!("\n    help: {h}")).unwrap_or_default())).collect::<String>())]
    Refused {
        what: String,
        reasons: Vec<Diagnostic>,
    },
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
    /// A folder named on the command line (`-C DIR`, `cm man DIR`) that is not one.
    #[error("`{}` is not a folder", shown(.0))]
    NotADirectory(PathBuf),
    /// A date typed on the command line that is not one.
    #[error(transparent)]
    Date(#[from] crate::calendar::DateError),
    /// A request that cannot be done as asked; the reason is typed by the layer that knows it.
    #[error(transparent)]
    Request(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// A request refused for `reason`.
    pub fn request(reason: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::Request(Box::new(reason))
    }
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

/// The help line that offers `nearest`, if any.
fn did_you_mean(nearest: &[String]) -> String {
    match nearest {
        [] => String::new(),
        [one] => format!("\n  help: did you mean `{one}`?"),
        many => format!("\n  help: did you mean one of `{}`?", many.join("`, `")),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
