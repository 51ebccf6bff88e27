//! Reading one case file, guarded against everything an untrusted file can be: too large, not
//! UTF-8, full of merge-conflict markers, tab-indented, malformed, an alias bomb. Each failure is
//! one diagnostic at the right line; nothing here panics or reads more than the size limit.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value as Json;

use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::files::read_at_most;
use cm_base::text::line_col;
use cm_base::yaml::{self, LoadErrorKind, Node, Place, Places, Pos};

use crate::model::Case;

/// Largest case file accepted.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// A case file that parsed: its text, the JSON the schema sees, the typed case, and where each
/// node stands.
#[derive(Clone, Debug)]
pub struct LoadedCase {
    /// The path as shown to the user (relative to the workspace root).
    pub display: String,
    pub source: String,
    pub json: Json,
    pub case: Case,
    places: Places,
    /// The tree of a file the fast reader read, made when first asked for.
    tree: OnceLock<Node>,
}

impl LoadedCase {
    /// The YAML tree of the file (an edit needs it).
    pub fn tree(&self) -> &Node {
        match &self.places {
            Places::Tree(tree) => tree,
            Places::Marks(_) => self.tree.get_or_init(|| {
                // Read as before: the same text is read the same way.
                yaml::parse(text_of(&self.source)).unwrap_or(Node {
                    span: Default::default(),
                    value: yaml::Value::Null,
                    style: Default::default(),
                })
            }),
        }
    }

    /// The tree, when the full YAML parser read the file: only then may it hold anchors and
    /// aliases (the fast reader reads no file that has one).
    pub fn full_tree(&self) -> Option<&Node> {
        match &self.places {
            Places::Tree(tree) => Some(tree),
            Places::Marks(_) => None,
        }
    }

    /// Where `place` stands in the file (see [`Place::locate`]).
    pub fn locate(&self, place: &Place) -> Pos {
        self.places.locate(text_of(&self.source), &self.json, place)
    }

    /// The same case shown as `display`.
    pub fn shown_as(&self, display: String) -> LoadedCase {
        LoadedCase {
            display,
            ..self.clone()
        }
    }
}

/// The text of a file whose `source` may start with a byte-order mark, without it.
fn text_of(source: &str) -> &str {
    source.strip_prefix('\u{feff}').unwrap_or(source)
}

/// Reads and parses the case at `path`, or says in one diagnostic why it cannot be read.
pub fn load(path: &Path, display: &str) -> Result<LoadedCase, Diagnostic> {
    let (bytes, size) = read_sized(path, display)?;
    from_bytes(bytes, size, display)
}

/// The bytes of the case file at `path` (see [`read`]) and its size, for [`from_bytes`].
pub fn read_sized(path: &Path, display: &str) -> Result<(Vec<u8>, u64), Diagnostic> {
    let bytes = read(path, display)?;
    let size = if bytes.len() as u64 > MAX_FILE_SIZE {
        std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len())
    } else {
        bytes.len() as u64
    };
    Ok((bytes, size))
}

/// The bytes of the case file at `path` (see [`read_bounded`]), or the diagnostic that says why
/// they cannot be read: it is a symbolic link (never followed, see [`cm_base::files::confine`]),
/// not a file (a named pipe, which is never opened), or it cannot be opened.
pub fn read(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    // The usual case, a regular file, in one open; anything else is looked at again below.
    #[cfg(unix)]
    if let Ok(bytes) = cm_base::files::read_regular_at_most(path, MAX_FILE_SIZE + 1) {
        return Ok(bytes);
    }
    let fail = |code: Code, message: String| {
        Diagnostic::new(display, 1, 1, Severity::Error, code, message)
    };
    let kind = std::fs::symlink_metadata(path).map(|m| m.file_type()).ok();
    if kind.is_some_and(|k| !k.is_file() && !k.is_dir() && !k.is_symlink()) {
        // Opening a named pipe would wait for a writer for ever.
        return Err(fail(
            Code::Io,
            "not a regular file (a named pipe, a socket or a device); cm reads only files"
                .to_string(),
        ));
    }
    if kind.is_some_and(|k| k.is_symlink()) {
        let target = std::fs::read_link(path).unwrap_or_default();
        return Err(fail(
            Code::Symlink,
            format!(
                "a symbolic link (to {}); cm does not follow links in a workspace",
                target.display()
            ),
        )
        .with_help("put the file (or the folder) itself here in place of the link"));
    }
    read_bounded(path).map_err(|e| fail(Code::Io, format!("cannot read the file: {e}")))
}

/// The bytes of the file at `path`, at most [`MAX_FILE_SIZE`] + 1 of them: enough to know that
/// a larger file is too large, without reading it all.
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    read_at_most(path, MAX_FILE_SIZE + 1)
}

/// Parses a case file of `size` bytes from `bytes`: the whole file, or, when it is larger than
/// [`MAX_FILE_SIZE`], whatever part of it was read (it is refused on its size alone).
pub fn from_bytes(bytes: Vec<u8>, size: u64, display: &str) -> Result<LoadedCase, Diagnostic> {
    let fail = |line: usize, col: usize, code: Code, message: String| {
        Diagnostic::new(display, line, col, Severity::Error, code, message)
    };
    if size > MAX_FILE_SIZE {
        return Err(fail(
            1,
            1,
            Code::FileTooLarge,
            format!(
                "the file is {:.1} MiB; a case file may be at most 1 MiB",
                size as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    let source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
            let (line, col) = line_col(valid, bad);
            return Err(fail(
                line,
                col,
                Code::Encoding,
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02x}); save it as UTF-8",
                    bytes[bad]
                ),
            ));
        }
    };
    parse(source, display)
}

/// Parses the text of a case file (`display` names it in the diagnostic).
pub fn parse(source: String, display: &str) -> Result<LoadedCase, Diagnostic> {
    let fail = |line: usize, col: usize, code: Code, message: String| {
        Diagnostic::new(display, line, col, Severity::Error, code, message)
    };
    let text = text_of(&source);
    if let Some(line) = merge_conflict(text) {
        return Err(fail(
            line,
            1,
            Code::MergeConflict,
            "unresolved git merge conflict (`<<<<<<<` … `>>>>>>>`)".to_string(),
        )
        .with_help(
            "keep the lines that are right, delete the conflict markers, then run `cm validate`",
        ));
    }
    let (json, places) = yaml::parse_json(text).map_err(|e| {
        let code = match e.kind {
            LoadErrorKind::Syntax => Code::YamlSyntax,
            LoadErrorKind::TabIndentation => Code::TabIndentation,
            LoadErrorKind::DuplicateKey => Code::DuplicateKey,
            LoadErrorKind::Limit => Code::YamlLimit,
        };
        match e.help {
            Some(help) => fail(e.pos.line, e.pos.col, code, e.message).with_help(help),
            // The parser's own words, when no cause a person would name was found.
            None if code == Code::YamlSyntax => fail(
                e.pos.line,
                e.pos.col,
                code,
                format!("invalid YAML: {}", e.message),
            ),
            None => fail(e.pos.line, e.pos.col, code, e.message),
        }
    })?;
    if json.is_null() {
        return Err(fail(
            1,
            1,
            Code::YamlSyntax,
            "the file holds no case (it is empty)".to_string(),
        ));
    }
    let case = Case::from_json(&json);
    Ok(LoadedCase {
        display: display.to_string(),
        source,
        json,
        case,
        places,
        tree: OnceLock::new(),
    })
}

/// The line of the first git conflict marker, if the file has an unresolved conflict.
pub fn merge_conflict(text: &str) -> Option<usize> {
    // Nearly every file has no marker at all: one search says so.
    memchr::memmem::find(text.as_bytes(), b"<<<<<<<")?;
    let marker = |l: &str, m: &str| {
        l.strip_prefix(m)
            .is_some_and(|r| r.is_empty() || r.starts_with(' '))
    };
    let mut opened = None;
    for (i, l) in text.lines().enumerate() {
        let l = l.trim_end_matches('\r');
        if marker(l, "<<<<<<<") {
            opened.get_or_insert(i + 1);
        } else if opened.is_some() && (marker(l, ">>>>>>>") || l == "=======") {
            return opened;
        }
    }
    None
}
