//! Reading the exports of offices (`cm report … --from-export FILE`): JSON Lines as `cm export`
//! writes them, each line held to the published export schema (`schemas/export.schema.json`)
//! before it is read as a case.
//!
//! An export file is one office's: the office of its first line. A line that is not JSON, that
//! the schema refuses, or that is of another office is left out and told at its line (code
//! `export`), as a case file with errors is; its values are quoted only where the schema check
//! would quote them in a case file. The file is read in chunks of lines, each chunk in parallel,
//! so that only what the caller keeps is held.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::error::{Error, Result};
use cm_case::Case;
use cm_case::export_schema::OFFICE;
use cm_case::reading::Reading;
use rayon::prelude::*;
use serde_json::Value as Json;

use crate::check::Schema;

/// The longest line read: a case file may be no larger (see `file-too-large`).
const MAX_LINE: usize = 1024 * 1024;

/// How many lines are read before they are checked together.
const CHUNK: usize = 4096;

/// An export file, and the office its cases are of.
pub struct ExportFile {
    path: PathBuf,
    /// The file as the user named it, in messages.
    pub shown: String,
    /// The `office` of its first line.
    pub office: String,
}

/// Why an export file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}: its first line names no office; is it an export of cm (`cm export --redact`)?")]
    NoOffice(String),
    #[error("{0}: the file is empty; an export holds one case a line")]
    Empty(String),
}

impl ExportFile {
    /// Opens the export at `path` (shown as `shown`), reading its first line for its office.
    pub fn open(path: &Path, shown: &str) -> Result<ExportFile> {
        let file = File::open(path).map_err(|e| Error::io(shown, e))?;
        let mut lines = Lines::new(file);
        let first = loop {
            match lines.next().map_err(|e| Error::io(shown, e))? {
                None => return Err(Error::request(ExportError::Empty(shown.to_string()))),
                Some((_, Line::Text(text))) if text.trim().is_empty() => continue,
                Some((_, line)) => break line,
            }
        };
        let office = match first {
            Line::Text(text) => serde_json::from_str::<Json>(&text)
                .ok()
                .and_then(|json| Some(json.get(OFFICE)?.as_str()?.to_string()))
                .filter(|office| cm_case::settings::is_id_prefix(office)),
            _ => None,
        };
        let Some(office) = office else {
            return Err(Error::request(ExportError::NoOffice(shown.to_string())));
        };
        Ok(ExportFile {
            path: path.to_path_buf(),
            shown: shown.to_string(),
            office,
        })
    }

    /// What `keep` makes of the case of each line the schema accepts, in the order of the
    /// lines; and the problem of each line left out.
    pub fn each_case<T: Send>(
        &self,
        schema: &Schema,
        keep: impl Fn(Case) -> Option<T> + Sync,
    ) -> Result<Reading<T>> {
        let file = File::open(&self.path).map_err(|e| Error::io(&self.shown, e))?;
        let mut lines = Lines::new(file);
        let mut reading = Reading {
            kept: Vec::new(),
            left_out: Vec::new(),
            changed: Some(Vec::new()),
        };
        loop {
            let mut chunk = Vec::with_capacity(CHUNK);
            while chunk.len() < CHUNK {
                match lines.next().map_err(|e| Error::io(&self.shown, e))? {
                    Some(line) => chunk.push(line),
                    None => break,
                }
            }
            if chunk.is_empty() {
                return Ok(reading);
            }
            let read: Vec<Option<std::result::Result<T, Diagnostic>>> = chunk
                .into_par_iter()
                .map(|(number, line)| {
                    match self.read(number, line, schema).map(|case| case.map(&keep)) {
                        Ok(Some(Some(kept))) => Some(Ok(kept)),
                        Ok(_) => None,
                        Err(problem) => Some(Err(problem)),
                    }
                })
                .collect();
            for one in read.into_iter().flatten() {
                match one {
                    Ok(kept) => reading.kept.push(kept),
                    Err(problem) => reading.left_out.push(problem),
                }
            }
        }
    }

    /// The case of line `number`, `None` for a blank line, or the line's problem.
    fn read(
        &self,
        number: usize,
        line: Line,
        schema: &Schema,
    ) -> std::result::Result<Option<Case>, Diagnostic> {
        let problem = |column: usize, message: String| {
            Diagnostic::new(
                &self.shown,
                number,
                column,
                Severity::Error,
                Code::Export,
                message,
            )
        };
        let text = match line {
            Line::Text(text) if text.trim().is_empty() => return Ok(None),
            Line::Text(text) => text,
            Line::NotUtf8 => return Err(problem(1, "the line is not UTF-8 text".into())),
            Line::TooLong => {
                return Err(problem(
                    1,
                    format!("the line is longer than {} MiB", MAX_LINE >> 20),
                ));
            }
        };
        let json: Json = serde_json::from_str(&text).map_err(|e| {
            // serde_json's messages name what was expected, never the text.
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            problem(e.column().max(1), format!("not JSON: {message}"))
        })?;
        let mut findings = Vec::new();
        schema.check(&json, &mut findings);
        if let Some(finding) = findings.into_iter().next() {
            let d = problem(1, finding.message);
            return Err(match finding.help {
                Some(help) => d.with_help(help),
                None => d,
            });
        }
        match json.get(OFFICE).and_then(Json::as_str) {
            Some(office) if office == self.office => Ok(Some(Case::from_json(&json))),
            Some(office) => Err(problem(
                1,
                format!(
                    "the case is of office {office}, the file's first of {}: an export is one \
                     office's",
                    self.office
                ),
            )
            .with_help("give each office's export as a file of its own")),
            None => Err(problem(1, "the case names no office".into())),
        }
    }
}

/// A line of an export file as read.
enum Line {
    Text(String),
    NotUtf8,
    TooLong,
}

/// The lines of a file, numbered from 1, none read past [`MAX_LINE`] bytes.
struct Lines<R> {
    reader: BufReader<R>,
    number: usize,
}

impl<R: Read> Lines<R> {
    fn new(inner: R) -> Lines<R> {
        Lines {
            reader: BufReader::with_capacity(256 * 1024, inner),
            number: 0,
        }
    }

    fn next(&mut self) -> std::io::Result<Option<(usize, Line)>> {
        let mut bytes = Vec::new();
        let read = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if bytes.len() > MAX_LINE && bytes.last() != Some(&b'\n') {
            // Past the limit: the rest of the line is skipped, never held.
            loop {
                let buf = self.reader.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                match memchr::memchr(b'\n', buf) {
                    Some(at) => {
                        self.reader.consume(at + 1);
                        break;
                    }
                    None => {
                        let n = buf.len();
                        self.reader.consume(n);
                    }
                }
            }
            return Ok(Some((self.number, Line::TooLong)));
        }
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        Ok(Some((
            self.number,
            String::from_utf8(bytes).map_or(Line::NotUtf8, Line::Text),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<(usize, String)> {
        let mut lines = Lines::new(bytes);
        let mut out = Vec::new();
        while let Some((n, line)) = lines.next().unwrap() {
            out.push((
                n,
                match line {
                    Line::Text(t) => t,
                    Line::NotUtf8 => "<not utf-8>".into(),
                    Line::TooLong => "<too long>".into(),
                },
            ));
        }
        out
    }

    #[test]
    fn lines_are_numbered_and_a_long_one_is_skipped_not_held() {
        let mut bytes = b"{}\r\n\xff\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        bytes.extend(b"\nlast");
        let got = lines(&bytes);
        let want: Vec<(usize, String)> = [
            (1, "{}"),
            (2, "<not utf-8>"),
            (3, "<too long>"),
            (4, "last"),
        ]
        .iter()
        .map(|(n, s)| (*n, s.to_string()))
        .collect();
        assert_eq!(got, want);
    }
}
