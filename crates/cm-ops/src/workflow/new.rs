//! `cm new`: open a case under the next free id, in phase intake, valid as written.

use chrono::{Datelike, NaiveDate};
use memchr::memmem;
use rayon::prelude::*;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, gate, mapping, reparse};
use cm_base::error::{Error, Result};
use cm_base::files::read_at_most;
use cm_case::workspace::{SCHEMA_FILE, Workspace};
use cm_case::{MAX_FILE_SIZE, Program, Risk, Sex};

/// What `cm new` was asked to open.
#[derive(Clone, Debug)]
pub struct NewCase {
    pub program: Program,
    pub name: String,
    pub sex: Sex,
    pub caseworker: String,
    pub risk: Risk,
    /// The day the case is opened; its year is the year of the id.
    pub date: NaiveDate,
    /// A note for the intake entry of the history.
    pub note: Option<String>,
}

/// Prepares the new case file; see [`Proposal`] for what happens next.
pub fn new_case(desk: &Desk, req: &NewCase) -> Result<Proposal> {
    let ws = &desk.ws;
    let prefix = &ws.settings.workspace.id_prefix;
    let valid_prefix = prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !valid_prefix {
        return Err(Error::request(Cannot::IdPrefix(prefix.clone())));
    }
    let year = req.date.year();
    let number = highest_number(ws, &format!("{prefix}-{year}-"))? + 1;
    let id = format!("{prefix}-{year}-{number:04}");
    let display = format!("{}/{year}/{id}.yaml", cm_case::workspace::CASES_DIR);
    let path = ws
        .cases_dir()
        .join(year.to_string())
        .join(format!("{id}.yaml"));

    let date = json!(req.date.to_string());
    let intake = mapping([
        ("date", Some(date.clone())),
        ("phase", Some(json!("intake"))),
        ("by", Some(json!(req.caseworker))),
        ("risk", Some(json!(req.risk.as_str()))),
        ("note", req.note.clone().map(Json::from)),
    ]);
    let client = mapping([
        ("name", Some(json!(req.name))),
        ("sex", Some(json!(req.sex.as_str()))),
    ]);
    let doc = mapping([
        ("id", Some(json!(id))),
        ("program", Some(json!(req.program.as_str()))),
        ("opened", Some(date)),
        ("caseworker", Some(json!(req.caseworker))),
        ("risk", Some(json!(req.risk.as_str()))),
        ("phase", Some(json!("intake"))),
        ("client", Some(Json::Object(client))),
        ("history", Some(json!([intake]))),
    ]);
    // The modeline lets an editor with the YAML language server check the file while typing.
    let text = format!(
        "# yaml-language-server: $schema=../../{SCHEMA_FILE}\n{}",
        cm_base::patch::document(&doc)
    );
    let after = reparse(text, &display, &Json::Object(doc))?;
    let warnings = gate(desk, None, &after, "cannot open the case")?;
    Ok(Proposal {
        root: desk.ws.root.clone(),
        path,
        display: display.clone(),
        before: None,
        after: after.source,
        summary: display.clone(),
        warnings,
    })
}

/// The highest number `N` of any `<stem>N` in the workspace — in a file's name or anywhere in
/// its text (an id inside a misnamed file, or one a merged case mentions) — or 0.
fn highest_number(ws: &Workspace, stem: &str) -> Result<u64> {
    let files = ws.case_files(&[], &ws.root)?;
    let finder = memmem::Finder::new(stem.as_bytes());
    let highest_in = |bytes: &[u8]| {
        finder
            .find_iter(bytes)
            .filter_map(|at| number_at(&bytes[at + stem.len()..]))
            .max()
    };
    Ok(files
        .par_iter()
        .filter_map(|path| {
            let name = path.file_name().map(|n| n.as_encoded_bytes());
            let in_name = name.and_then(highest_in);
            // Only a regular file is read: never a link (which `cm` does not follow), nor what
            // would make the read wait for ever (a named pipe).
            let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
            let in_text = regular
                .then(|| read_at_most(path, MAX_FILE_SIZE).ok())
                .flatten()
                .as_deref()
                .and_then(highest_in);
            in_name.max(in_text)
        })
        .max()
        .unwrap_or(0))
}

/// The number written at the start of `bytes` (at most nine digits, so it cannot overflow).
fn number_at(bytes: &[u8]) -> Option<u64> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    std::str::from_utf8(&bytes[..digits]).ok()?.parse().ok()
}
