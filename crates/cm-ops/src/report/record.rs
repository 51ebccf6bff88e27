//! Recorded reports: figures that cannot change unseen once they are sent.
//!
//! `cm report … --record DIR` writes the report as CSV and, beside it, a manifest: the command
//! that makes it, its parameters (every date resolved), the day, the git revision of the cases,
//! and a digest of each row. `cm report check` computes each recorded report again and compares
//! it with what was recorded, row by row, figure by figure, like a balance assertion in
//! plain-text accounting: a backdated review or a corrected date that changes a figure sent to a
//! funder is named with its old and new value, and with the case files (and commits) that
//! changed it. An intended correction is accepted by recording again, which the git diff of the
//! folder then shows.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use cm_base::calendar::Calendar;
use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::error::{Error, Result};
use cm_base::files::{Mode, atomic_write, read_to_string_limited};
use cm_base::text::{hex, line_col};
use cm_case::Workspace;
use cm_case::workspace::SETTINGS_FILE;

use crate::diff::git::Repo;

/// What a manifest's file name ends with; the report beside it ends with `.csv`.
pub const MANIFEST: &str = ".report.toml";

/// The largest report or manifest read back.
const MAX_SIZE: u64 = 256 * 1024 * 1024;

/// The manifest of a recorded report, with the report's parameters `P`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest<P> {
    /// The command that computes the report again, as a user would type it.
    pub command: String,
    /// The report, a CSV file beside the manifest.
    pub file: String,
    /// The calendar of the report's dates.
    pub calendar: Calendar,
    /// The day it was recorded.
    pub recorded: NaiveDate,
    /// The commit the case files were at, when the workspace is in git.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// The version of cm that recorded it.
    pub cm: String,
    /// Each line of the report, the header first: the digest of its cells, a space, and its
    /// key (its first cell).
    pub rows: Vec<String>,
    /// The report and its parameters.
    pub parameters: P,
}

/// One line of a CSV report: where it is, its cells, and the column each cell starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
    pub cols: Vec<usize>,
}

impl Row {
    /// The row's key: its first cell (a case's id, a metric, a caseworker, a provider).
    pub fn key(&self) -> &str {
        self.cells.first().map_or("", String::as_str)
    }

    /// The digest of the row's cells: the first 16 bytes of the SHA-256 of their JSON array,
    /// in hexadecimal.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(&self.cells).unwrap_or_default();
        hex(&Sha256::digest(&json)[..16])
    }
}

/// The rows of a CSV text, each at its line (a quoted cell may span lines). A stray quote is
/// read as CSV readers do: what follows it, to the next quote, is in the cell.
pub fn rows(text: &str) -> Vec<Row> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Row {
        line: 1,
        cells: Vec::new(),
        cols: Vec::new(),
    };
    let (mut line, mut col) = (1, 1);
    let mut cell = String::new();
    let mut cell_col = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut started = false;
    while let Some(c) = chars.next() {
        started = true;
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
                col += 1;
            }
            '"' => quoted = !quoted,
            ',' if !quoted => {
                row.cells.push(std::mem::take(&mut cell));
                row.cols.push(cell_col);
                cell_col = col + 1;
            }
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                row.cells.push(std::mem::take(&mut cell));
                row.cols.push(cell_col);
                let next = Row {
                    line: line + 1,
                    cells: Vec::new(),
                    cols: Vec::new(),
                };
                rows.push(std::mem::replace(&mut row, next));
                line += 1;
                col = 0;
                cell_col = 1;
                started = false;
            }
            '\n' => {
                cell.push(c);
                line += 1;
                col = 0;
            }
            _ => cell.push(c),
        }
        col += 1;
    }
    if started {
        row.cells.push(cell);
        row.cols.push(cell_col);
        rows.push(row);
    }
    rows
}

/// The digests of `rows`, for a manifest: each as `<digest> <key>`.
pub fn digests(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{} {}", r.digest(), r.key()))
        .collect()
}

/// The name of a report's file for `name` (`summary-2026-10`), and of its manifest.
pub fn file_names(name: &str) -> (String, String) {
    (format!("{name}.csv"), format!("{name}{MANIFEST}"))
}

/// Records the report `csv` with its `manifest` in `dir` (made if need be): the report first,
/// then the manifest, each written atomically, so that a manifest never describes a report that
/// is not there whole. Returns the two paths.
pub fn record<P: Serialize>(
    dir: &Path,
    name: &str,
    manifest: &Manifest<P>,
    csv: &[u8],
) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let (report, described) = file_names(name);
    let (report, described) = (dir.join(report), dir.join(described));
    let text = toml::to_string_pretty(manifest)
        .map_err(|e| Error::io(&described, std::io::Error::other(e.to_string())))?;
    let text = format!(
        "# A report recorded by cm (`cm report … --record`). `cm report check` computes it \
         again\n# and compares each row with its digest; record it again to accept a \
         correction.\n{text}"
    );
    atomic_write(&report, csv, Mode::Put, |_| Ok(()))?;
    atomic_write(&described, text.as_bytes(), Mode::Put, |_| Ok(()))?;
    Ok((report, described))
}

/// The manifests in `dir`, sorted by name; none when there is no such folder.
pub fn manifests(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(MANIFEST) && !name.starts_with('.') {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// A recorded report read back: its manifest, and the rows of its report.
pub struct Recorded<P> {
    pub manifest: Manifest<P>,
    /// The report's path as shown.
    pub shown: String,
    pub rows: Vec<Row>,
}

/// Reads the manifest at `path` (shown as `shown`, its folder shown as `dir_shown`) and the
/// report it describes, and checks each line of the report against its digest. A manifest that
/// cannot be read, a report that is not there, and a line that is not the one recorded (the file
/// was edited since) are each a `report-record` error.
pub fn read<P: DeserializeOwned>(
    path: &Path,
    shown: &str,
    dir_shown: &str,
) -> std::result::Result<Recorded<P>, Box<Diagnostic>> {
    let fail = |path: &str, line: usize, col: usize, message: String| {
        Box::new(
            Diagnostic::new(
                path,
                line,
                col,
                Severity::Error,
                Code::ReportRecord,
                message,
            )
            .with_help(
                "a recorded report is written by cm; record it again with the command in its \
                     manifest, or remove the two files",
            ),
        )
    };
    let text = read_to_string_limited(path, MAX_SIZE)
        .map_err(|e| fail(shown, 1, 1, format!("cannot read the manifest: {e}")))?;
    let manifest: Manifest<P> = toml::from_str(&text).map_err(|e| {
        let (line, col) = line_col(&text, e.span().map_or(0, |s| s.start));
        fail(
            shown,
            line,
            col,
            format!("not a manifest of a recorded report: {}", e.message()),
        )
    })?;
    let report_shown = format!("{dir_shown}/{}", manifest.file);
    let plain = !manifest.file.is_empty()
        && !manifest.file.starts_with('.')
        && !manifest.file.contains(['/', '\\']);
    if !plain {
        return Err(fail(
            shown,
            1,
            1,
            format!(
                "`file = {:?}`: a recorded report is a file beside its manifest",
                manifest.file
            ),
        ));
    }
    let report_path = path.with_file_name(&manifest.file);
    let csv = read_to_string_limited(&report_path, MAX_SIZE)
        .map_err(|e| fail(shown, 1, 1, format!("cannot read {report_shown}: {e}")))?;
    let rows = rows(&csv);
    for (i, row) in rows.iter().enumerate() {
        match manifest.rows.get(i).and_then(|r| r.split(' ').next()) {
            Some(digest) if digest == row.digest() => {}
            _ => {
                return Err(fail(
                    &report_shown,
                    row.line,
                    1,
                    "this line is not the one recorded (its digest differs): the report was \
                     edited after it was recorded"
                        .to_string(),
                ));
            }
        }
    }
    if rows.len() < manifest.rows.len() {
        let line = rows.last().map_or(1, |r| r.line + 1);
        return Err(fail(
            &report_shown,
            line,
            1,
            format!(
                "{} recorded line(s) are missing here: the report was edited after it was \
                 recorded",
                manifest.rows.len() - rows.len()
            ),
        ));
    }
    Ok(Recorded {
        manifest,
        shown: report_shown,
        rows,
    })
}

/// A difference between a recorded report and the same report computed now.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The columns are not the same (cm's version changed them, say).
    Columns { line: usize },
    /// A figure changed: the cell of `column` in the row `key`, at `line` and `col` of the
    /// recorded report.
    Figure {
        line: usize,
        col: usize,
        key: String,
        column: String,
        was: String,
        now: String,
    },
    /// The row `key` (at `line`) is no longer in the report.
    Gone { line: usize, key: String },
    /// The row `key` is in the report now, and was not when recorded; `line` is the line after
    /// the recorded report's last.
    New { line: usize, key: String },
}

/// How the report recorded as `was` differs from `now`, row by row (rows match by their key),
/// cell by cell. Both start with their header. With `metrics`, the rows are the report's own
/// figures (`summary`, `indicators`), not a row per caseworker or provider: a row that is new
/// is a figure a later version of cm adds, with nothing recorded to hold it to, and not a change.
pub fn compare(was: &[Row], now: &[Row], metrics: bool) -> Vec<Change> {
    let (Some(header), Some(now_header)) = (was.first(), now.first()) else {
        return Vec::new();
    };
    if header.cells != now_header.cells {
        return vec![Change::Columns { line: header.line }];
    }
    let by_key: HashMap<&str, &Row> = now[1..].iter().map(|r| (r.key(), r)).collect();
    let recorded: std::collections::HashSet<&str> = was[1..].iter().map(Row::key).collect();
    let mut changes = Vec::new();
    for row in &was[1..] {
        let Some(current) = by_key.get(row.key()) else {
            changes.push(Change::Gone {
                line: row.line,
                key: row.key().to_string(),
            });
            continue;
        };
        for (i, column) in header.cells.iter().enumerate() {
            let was = row.cells.get(i).cloned().unwrap_or_default();
            let now = current.cells.get(i).cloned().unwrap_or_default();
            if was != now {
                changes.push(Change::Figure {
                    line: row.line,
                    col: row.cols.get(i).copied().unwrap_or(1),
                    key: row.key().to_string(),
                    column: column.clone(),
                    was,
                    now,
                });
            }
        }
    }
    let after = was.last().map_or(1, |r| r.line + 1);
    for row in now[1..].iter().filter(|_| !metrics) {
        if !recorded.contains(row.key()) {
            changes.push(Change::New {
                line: after,
                key: row.key().to_string(),
            });
        }
    }
    changes
}

/// A file whose change since a report was recorded changed what the report reads: a case file
/// whose case as of the report's day is not the same, or `cm.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cause {
    /// The path, relative to the workspace root.
    pub path: String,
    /// The id of the case (now, or when recorded if it is gone).
    pub id: Option<String>,
    /// The commits since the recording that changed the file, as `a1b2c3d 2026-11-20`, newest
    /// first.
    pub commits: Vec<String>,
    /// The file in the working tree is not as committed.
    pub uncommitted: bool,
}

impl Cause {
    /// `cases/2026/THR-2026-0002.yaml (commits a1b2c3d 2026-11-20, and changes not committed)`.
    pub fn words(&self) -> String {
        let mut how: Vec<String> = Vec::new();
        match self.commits.len() {
            0 => {}
            1 => how.push(format!("commit {}", self.commits[0])),
            _ => how.push(format!("commits {}", self.commits.join(", "))),
        }
        if self.uncommitted {
            how.push("changes not committed".to_string());
        }
        if how.is_empty() {
            self.path.clone()
        } else {
            format!("{} ({})", self.path, how.join(", and "))
        }
    }
}

/// The files that changed what a report as of `day` reads since `revision`: each case file
/// whose case as of `day` (see [`cm_case::view::as_of`]) differs between the commit and the
/// working tree, and `cm.toml` when its settings differ. With the commits that changed each.
pub fn causes(ws: &Workspace, revision: &str, day: NaiveDate) -> Result<Vec<Cause>> {
    let repo = Repo::open(&ws.root)?;
    let changes = repo.changes(revision, None)?;
    let uncommitted: std::collections::HashSet<String> = repo
        .changes("HEAD", None)?
        .into_iter()
        .flat_map(|c| [c.old, c.new])
        .flatten()
        .map(|v| v.path)
        .collect();
    let ids: Vec<&str> = changes
        .iter()
        .filter_map(|c| c.old.as_ref()?.blob.as_deref())
        .collect();
    let blobs = repo.blobs(&ids)?;
    let as_of = |bytes: Option<Vec<u8>>, size: u64| -> Option<(Option<String>, Vec<u8>)> {
        let case = cm_case::from_bytes(bytes?, size, "").ok()?.case;
        let id = case.id.clone();
        let then = cm_case::view::as_of(&case, day);
        Some((id, serde_json::to_vec(&then).unwrap_or_default()))
    };
    let mut causes = Vec::new();
    for change in changes {
        let old = change.old.as_ref().and_then(|v| {
            let blob = blobs.get(v.blob.as_deref()?)?;
            Some((blob.bytes.clone(), blob.size))
        });
        let new = change.new.as_ref().and_then(|v| {
            let bytes = cm_case::read_bounded(&ws.root.join(&v.path)).ok()?;
            let size = bytes.len() as u64;
            Some((bytes, size))
        });
        let path = change
            .new
            .as_ref()
            .or(change.old.as_ref())
            .map(|v| v.path.clone())
            .unwrap_or_default();
        let (id, differs) = if path == SETTINGS_FILE {
            let settings = |side: Option<(Vec<u8>, u64)>| {
                let text = String::from_utf8(side?.0).ok()?;
                let settings = cm_case::Settings::parse(&text, Path::new(SETTINGS_FILE)).ok()?;
                serde_json::to_vec(&settings).ok()
            };
            (None, settings(old) != settings(new))
        } else {
            let old = old.and_then(|(b, s)| as_of(Some(b), s));
            let new = new.and_then(|(b, s)| as_of(Some(b), s));
            let id = new.as_ref().or(old.as_ref()).and_then(|(id, _)| id.clone());
            (id, old.map(|o| o.1) != new.map(|n| n.1))
        };
        if !differs {
            continue;
        }
        let mut commits = repo.commits_touching(revision, &path)?;
        if let Some(old) = change.old.as_ref().filter(|o| o.path != path) {
            commits.extend(repo.commits_touching(revision, &old.path)?);
        }
        causes.push(Cause {
            uncommitted: uncommitted.contains(&path),
            path,
            id,
            commits,
        });
    }
    Ok(causes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_know_their_lines_and_columns() {
        let rows = rows("metric,value\ncases_opened,3\n\"a,\"\"b\"\"\nc\",x\r\nlast,\n");
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1].cells, ["cases_opened", "3"]);
        assert_eq!(rows[1].cols, [1, 14]);
        assert_eq!(rows[2].cells, ["a,\"b\"\nc", "x"]);
        assert_eq!((rows[2].line, rows[3].line), (3, 5));
        assert_eq!(rows[3].cells, ["last", ""]);
    }

    #[test]
    fn a_changed_figure_a_gone_row_and_a_new_one() {
        let was = rows("metric,value\nopened,3\nclosed,1\ngone,0\n");
        let now = rows("metric,value\nopened,3\nclosed,2\nnew,1\n");
        assert_eq!(
            compare(&was, &now, false),
            [
                Change::Figure {
                    line: 3,
                    col: 8,
                    key: "closed".into(),
                    column: "value".into(),
                    was: "1".into(),
                    now: "2".into()
                },
                Change::Gone {
                    line: 4,
                    key: "gone".into()
                },
                Change::New {
                    line: 5,
                    key: "new".into()
                },
            ]
        );
        assert_eq!(compare(&was, &was, false), []);
        // A figure added since, in a report of metrics: nothing recorded to hold it to.
        assert_eq!(compare(&was, &now, true).len(), 2);
        let other = rows("metric,count\nopened,3\n");
        assert_eq!(compare(&was, &other, false), [Change::Columns { line: 1 }]);
    }
}
