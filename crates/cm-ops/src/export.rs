//! `cm export --redact --to ORG`: the cases a partner organisation may receive, without the
//! client's personal data.
//!
//! Only valid cases whose client gave consent (`consent.given: true`) naming the organisation in
//! `consent.share_with` go out, and of each only the values on the allow-list of
//! [`cm_case::privacy`], and the personal fields the user names with `--include`: everything else
//! the file holds, a misspelt key included, stays home. The id is replaced by a keyed hash
//! (HMAC-SHA-256 under the workspace's secret key in `.cm/secret`), so a case has the same
//! pseudonym in every export, and nobody without the key can tell which case it is.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value as Json;
use sha2::Sha256;

use cm_base::diagnostic::Diagnostic;
use cm_base::error::{Error, Result};
use cm_base::files::{Mode, atomic_write, owner_only, read_to_string_limited};
use cm_base::text::hex;
use cm_case::Case;
use cm_case::privacy::{leads_to_allowed, may_show};
use cm_case::reading::Judge;
use cm_case::workspace::Workspace;
use rayon::prelude::*;

use crate::check::Rules;

/// The key of each line that names the office the case is of: its workspace's `id_prefix`.
pub const OFFICE: &str = cm_case::export_schema::OFFICE;

/// The secret key's file, relative to the workspace root. `.cm/` is never committed.
pub const SECRET_FILE: &str = ".cm/secret";

/// Why the workspace's secret key is not used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "{SECRET_FILE} does not hold a key (64 hexadecimal digits); restore it from your backup, \
         or delete it to start new pseudonyms"
    )]
    NotAKey,
    #[error(
        "`{SECRET_FILE}` is tracked by git, so every clone of the repository holds the key that \
         turns the pseudonyms back into case ids; remove it from git with `git rm --cached \
         {SECRET_FILE}` and commit, then, as everyone with a clone knows the key, delete \
         `{SECRET_FILE}` to start new pseudonyms, and tell the partners that the pseudonyms change"
    )]
    Tracked,
    /// Git failed otherwise, with the first line of what it said.
    #[error(
        "cannot tell whether git tracks `{SECRET_FILE}` (git says: {0}); the key is not used \
         until git can answer"
    )]
    GitCannotTell(String),
    /// Others may read (`can` is "read", `may` "copied") or change ("changed") the key.
    #[error(
        "`{SECRET_FILE}` can be {can} by other users (mode {mode:04o}); make it private with \
         `chmod 600 {SECRET_FILE}`, and if others may have {may} it, delete it to start new \
         pseudonyms"
    )]
    Shared {
        mode: u32,
        can: &'static str,
        may: &'static str,
    },
}

/// The workspace's secret key for pseudonyms.
pub struct Key(Vec<u8>);

impl Key {
    /// The key in `.cm/secret`; when there is none, a new one (32 random bytes), which is not
    /// yet kept: `true` says so, and [`Key::keep`] keeps it once it is used (an export refused
    /// for a typo leaves nothing behind).
    ///
    /// A key others may know is refused (see [`refuse_exposed`]): whoever has it can turn the
    /// pseudonyms of every export back into case ids.
    pub fn for_workspace(ws: &Workspace) -> Result<(Key, bool)> {
        let path = ws.root.join(SECRET_FILE);
        ws.confine(&path)?;
        match read_to_string_limited(&path, 4096) {
            Ok(text) => {
                refuse_exposed(ws, &path)?;
                let bytes = hex_decode(text.trim())
                    .filter(|b| b.len() >= 16)
                    .ok_or_else(|| Error::request(KeyError::NotAKey))?;
                Ok((Key(bytes), false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = vec![0u8; 32];
                getrandom::fill(&mut bytes).map_err(|e| {
                    Error::io(&path, std::io::Error::other(format!("no randomness: {e}")))
                })?;
                Ok((Key(bytes), true))
            }
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Keeps a new key in `.cm/secret` (hex, mode 0600), with `.cm/` added to `.gitignore`;
    /// never over a key that appeared meanwhile.
    pub fn keep(&self, ws: &Workspace) -> Result<()> {
        let path = ws.root.join(SECRET_FILE);
        ws.confine(&path)?;
        ws.private_dir()?;
        ignore_in_git(ws)?;
        atomic_write(
            &path,
            format!("{}\n", hex(&self.0)).as_bytes(),
            Mode::Create,
            owner_only,
        )
    }

    /// The pseudonym of a case id: the first 16 bytes of HMAC-SHA-256(key, id), in hex.
    pub fn pseudonym(&self, id: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(id.as_bytes());
        hex(&mac.finalize().into_bytes()[..16])
    }
}

/// Refuses the key at `path` when others may have it: when git tracks it (every clone then
/// holds it), or when its mode lets other users read or change it.
///
/// Git is asked first: a file git checked out is usually readable by all as well, and making it
/// private would not help a key that every clone holds, so the mode's remedy alone would mislead.
fn refuse_exposed(ws: &Workspace, path: &Path) -> Result<()> {
    if tracked_by_git(&ws.root)? {
        return Err(Error::request(KeyError::Tracked));
    }
    refuse_shared_mode(path)
}

/// Whether git tracks the key file (committed, or added to be), asked with `git ls-files` in
/// the workspace root, the way `cm diff` runs git: no optional locks (the index is not
/// refreshed behind the user's back), no standard input. Without the `git` command, or outside a
/// repository, the key counts as not tracked (the mode check still applies); when git fails
/// otherwise (a repository it refuses to read), the key is refused.
fn tracked_by_git(root: &Path) -> Result<bool> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z", "--", SECRET_FILE])
        .env("GIT_OPTIONAL_LOCKS", "0")
        // Its messages in English, so that "not a git repository" can be told from the rest.
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(out) if out.status.success() => Ok(!out.stdout.is_empty()),
        // Outside a repository nothing is tracked; any other failure of git (a repository it
        // refuses as of dubious ownership, say) leaves the question open: the key is refused.
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("not a git repository") => {
            Ok(false)
        }
        Ok(out) => Err(Error::request(KeyError::GitCannotTell(
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("nothing")
                .trim()
                .to_string(),
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io("git", e)),
    }
}

/// Refuses the key at `path` when its mode lets the group or others read or change it (any bit
/// of 0o077): a key another user may have read, or replaced with one they know, keeps nothing
/// private.
#[cfg(unix)]
fn refuse_shared_mode(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .permissions()
        .mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    let (can, may) = if mode & 0o044 != 0 {
        ("read", "copied")
    } else {
        ("changed", "changed")
    };
    Err(Error::request(KeyError::Shared {
        mode: mode & 0o7777,
        can,
        may,
    }))
}

/// Elsewhere there are no mode bits to read: the key is taken as the system protects it.
#[cfg(not(unix))]
fn refuse_shared_mode(_: &Path) -> Result<()> {
    Ok(())
}

/// Makes sure `.gitignore` at the root lists `.cm/`.
fn ignore_in_git(ws: &Workspace) -> Result<()> {
    let path = ws.root.join(".gitignore");
    ws.confine(&path)?;
    let text = match read_to_string_limited(&path, 1024 * 1024) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&path, e)),
    };
    if text
        .lines()
        .any(|l| matches!(l.trim(), ".cm" | ".cm/" | "/.cm" | "/.cm/"))
    {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let sep = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    writeln!(file, "{sep}.cm/").map_err(|e| Error::io(&path, e))
}

/// What an export holds: the line of each case shared with the recipient, sorted by case id,
/// and the first error of each case file left out (it could not be read, is not valid, or is the
/// second file of an id).
pub struct Export {
    pub lines: Vec<String>,
    pub left_out: Vec<Diagnostic>,
    /// Every organisation a valid case names in `consent.share_with` (of any decision, in force
    /// or not): an `org` not among them is a typo to point out, not an export of nothing.
    pub organisations: std::collections::BTreeSet<String>,
}

/// The export of the cases in `files` (every case file of `ws`) for `org` on `day`: each valid
/// case (by `rules`) whose client's consent in force on `day` shares it with `org`, redacted (see [`redact`]) with `key`,
/// keeping the personal fields `include` names, with the office it is of ([`OFFICE`]). A case with an error is left out and its error
/// kept.
pub fn export(
    ws: &Workspace,
    rules: &Rules<'_>,
    files: &[PathBuf],
    org: &str,
    day: NaiveDate,
    key: &Key,
    include: &[String],
) -> Export {
    // Each case file: its id, and its export line if it is shared, or its first error. The lines
    // go with the id, so that they sort by it.
    type Line = std::result::Result<(Option<(String, String)>, Vec<String>), Diagnostic>;
    cm_base::files::reading_many();
    let office = Json::String(ws.settings.workspace.id_prefix.clone());
    let read: Vec<(Option<String>, Line)> = files
        .par_iter()
        .map(|path| {
            let case = match cm_case::load(path, &ws.display_path(path)) {
                Ok(case) => case,
                Err(error) => return (None, Err(error)),
            };
            let id = case.case.id.clone();
            if let Some(error) = rules.first_error(&case) {
                return (id, Err(error));
            }
            let line = shared_with(&case.case, org, day).then(|| {
                let mut line = redact(&case.json, key, include);
                // Which office it is of, as the pseudonym no longer tells: reports over the
                // exports of many offices count by it.
                if let Json::Object(fields) = &mut line {
                    fields.insert(OFFICE.into(), office.clone());
                }
                let line = line.to_string();
                (id.clone().unwrap_or_default(), line)
            });
            let organisations: Vec<String> = case
                .case
                .consent
                .iter()
                .flat_map(|c| {
                    let later = c.updates.iter().flat_map(|u| &u.share_with);
                    c.share_with.iter().chain(later).cloned()
                })
                .collect();
            (id, Ok((line, organisations)))
        })
        .collect();
    let (cases, left_out) = cm_case::unique(ws, files, read);
    let mut organisations = std::collections::BTreeSet::new();
    let mut lines = Vec::new();
    for (line, names) in cases {
        lines.extend(line);
        organisations.extend(names);
    }
    lines.sort();
    Export {
        lines: lines.into_iter().map(|(_, line)| line).collect(),
        left_out,
        organisations,
    }
}

/// Whether the client's consent in force on `day` shares the case with `org`: a withdrawal
/// stops sharing with every organisation from its date on.
pub fn shared_with(case: &Case, org: &str, day: NaiveDate) -> bool {
    cm_case::view::consent_on(case, day)
        .is_some_and(|on| on.is_given() && on.share_with.iter().any(|o| o == org))
}

/// The case as a partner may receive it: only its values on the allow-list (see
/// [`cm_case::privacy`]) and the personal fields `include` names; its id a pseudonym (unless
/// `include` names `id`), and so every case id it names — the cases of relatives
/// (`links[].case`), those confirmed to be of other people (`not_duplicate_of`) — and its
/// household, which may be named after a case: a partner can tell that two cases are of one
/// family, never which. Whatever else the file holds — a misspelt key, a field the schema does
/// not know — stays home.
pub fn redact(case: &Json, key: &Key, include: &[String]) -> Json {
    let mut out = kept(case, &mut Vec::new(), include).unwrap_or(Json::Null);
    if include.iter().any(|i| i == "id") {
        return out;
    }
    let hide = |value: &mut Json| {
        if let Some(pseudonym) = value.as_str().map(|id| key.pseudonym(id)) {
            *value = Json::String(pseudonym);
        }
    };
    for at in ["id", "household"] {
        out.get_mut(at).map(hide);
    }
    if let Some(Json::Array(links)) = out.get_mut("links") {
        for link in links {
            link.get_mut("case").map(hide);
        }
    }
    if let Some(Json::Array(ids)) = out.get_mut("not_duplicate_of") {
        ids.iter_mut().for_each(hide);
    }
    out
}

/// What may go out of `value`, at the keys `at`: a value that may be shown, whole; a mapping or
/// list on the way to places on the allow-list, with only what may go out of it; nothing else.
fn kept(value: &Json, at: &mut Vec<String>, include: &[String]) -> Option<Json> {
    let keys: Vec<&str> = at.iter().map(String::as_str).collect();
    if may_show(&keys, include) {
        return Some(value.clone());
    }
    if !leads_to_allowed(&keys) {
        return None;
    }
    match value {
        Json::Object(map) => Some(Json::Object(
            map.iter()
                .filter_map(|(k, v)| {
                    at.push(k.clone());
                    let v = kept(v, at, include);
                    at.pop();
                    v.map(|v| (k.clone(), v))
                })
                .collect(),
        )),
        Json::Array(items) => Some(Json::Array(
            items.iter().filter_map(|v| kept(v, at, include)).collect(),
        )),
        _ => None,
    }
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> Key {
        Key(vec![7; 32])
    }

    fn case() -> Json {
        json!({
            "id": "THR-2026-0001", "program": "general", "caseworker": "s.ahmadi",
            "client": {"name": "مریم", "sex": "female", "national_id": "0012345678",
                       "phone": "+98 912", "address": "Tehran", "birth_date": "1990-01-01"},
            "consent": {"given": true, "date": "2026-01-01", "share_with": ["behzisti"]},
            "assessment": {"date": "2026-01-02", "domains": {"income": 1},
                           "strengths": ["s"], "needs": ["n"]},
            "plan": {"goals": [{"id": "G1", "domain": "income", "text": "t"}]},
            "reviews": [{"date": "2026-02-01", "note": "secret"}],
            "extra": {"paper_file": "12"},
        })
    }

    #[test]
    fn personal_fields_go_and_the_id_becomes_a_stable_pseudonym() {
        let out = redact(&case(), &key(), &[]);
        let text = out.to_string();
        for personal in [
            "مریم",
            "0012345678",
            "+98 912",
            "Tehran",
            "1990-01-01",
            "secret",
            "behzisti",
            "paper_file",
            "THR-2026-0001",
            "\"t\"",
            "strengths",
        ] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
        assert_eq!(out["client"], json!({"sex": "female"}));
        assert_eq!(out["assessment"]["domains"]["income"], 1);
        assert_eq!(out["id"], key().pseudonym("THR-2026-0001"));
        assert_eq!(out["id"].as_str().unwrap().len(), 32);
        assert_ne!(
            key().pseudonym("THR-2026-0001"),
            Key(vec![8; 32]).pseudonym("THR-2026-0001")
        );
    }

    /// A relative's case, a case known apart and a household may be named by case ids: each
    /// goes out as the pseudonym its case has, so that a partner sees one family, not who.
    #[test]
    fn the_case_ids_a_case_names_become_their_pseudonyms() {
        let mut case = case();
        case["household"] = json!("HH-THR-2026-0001");
        case["links"] = json!([{"case": "THR-2026-0002", "relation": "child"}]);
        case["not_duplicate_of"] = json!(["THR-2026-0003"]);
        let out = redact(&case, &key(), &[]);
        assert!(!out.to_string().contains("THR-"), "{out}");
        assert_eq!(out["household"], key().pseudonym("HH-THR-2026-0001"));
        assert_eq!(
            out["links"],
            json!([{"case": key().pseudonym("THR-2026-0002"), "relation": "child"}])
        );
        assert_eq!(
            out["not_duplicate_of"],
            json!([key().pseudonym("THR-2026-0003")])
        );
    }

    #[test]
    fn include_keeps_a_named_field() {
        let out = redact(
            &case(),
            &key(),
            &["client.name".to_string(), "note".to_string()],
        );
        assert_eq!(out["client"]["name"], "مریم");
        assert_eq!(out["reviews"][0]["note"], "secret");
        assert!(out["client"].get("phone").is_none());
    }

    #[test]
    fn only_recipients_of_the_consent_in_force() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let shared =
            |json: &Json, org: &str, d: &str| shared_with(&Case::from_json(json), org, day(d));
        assert!(shared(&case(), "behzisti", "2026-01-01"));
        assert!(!shared(&case(), "behzisti", "2025-12-31"));
        assert!(!shared(&case(), "emdad", "2026-01-01"));
        let mut refused = case();
        refused["consent"]["given"] = json!(false);
        assert!(!shared(&refused, "behzisti", "2026-01-01"));
        let mut withdrawn = case();
        withdrawn["consent"]["updates"] =
            json!([{"date": "2026-03-01", "decision": "withdrawn", "by": "s.ahmadi"}]);
        assert!(shared(&withdrawn, "behzisti", "2026-02-28"));
        assert!(!shared(&withdrawn, "behzisti", "2026-03-01"));
    }
}
