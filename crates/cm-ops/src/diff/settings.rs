//! `cm.toml` between two revisions, in words: the roster, then each setting that changed.
//!
//! Each side is read with the settings type, as every command reads it, so that what is compared
//! is what `cm` does with the file: a key written with its default value, a comment, a table
//! moved are no change, and a side without the file is the defaults. A side that cannot be read
//! is reported with its place and the two are not compared. Settings hold no personal data but
//! the names of the roster ([`PERSONAL_ROSTER_KEYS`]): those are named, never shown.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use cm_base::calendar::Calendar;
use cm_base::diagnostic::{Code, Diagnostic};
use cm_case::MAX_FILE_SIZE;
use cm_case::settings::{Caseworker, PERSONAL_ROSTER_KEYS, Settings};
use cm_case::workspace::SETTINGS_FILE;

use super::describe::{Field, FieldChange, fields_words, unreadable_words};

/// What changed in `cm.toml`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SettingsDiff {
    /// `cm.toml`, relative to the workspace root.
    pub path: String,
    pub changes: Vec<SettingsChange>,
}

/// One change to `cm.toml`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SettingsChange {
    /// The file is new: it is compared with the defaults it replaces.
    Added,
    /// The file was deleted: the defaults apply again, and are compared with it.
    Removed,
    /// One version cannot be read, so the two are not compared. `code` is that of the case
    /// files' problems when it is one of them (a merge conflict, a link, …), absent for a
    /// setting the file gets wrong.
    Unreadable {
        at: String,
        path: String,
        line: usize,
        column: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<Code>,
        message: String,
    },
    /// A member joined the roster: `caseworker` or `supervisor`, and their caseload limit.
    RosterAdded {
        id: String,
        role: String,
        max_caseload: Option<u32>,
    },
    RosterRemoved {
        id: String,
    },
    /// A member's entry changed: `role`, `max_caseload`, `name` (named, never shown).
    RosterChanged {
        id: String,
        fields: Vec<Field>,
    },
    /// The same entries, in another order.
    RosterReordered,
    /// A setting changed, by its dotted path (`deadlines.review.high`), from the value in effect
    /// to the new one: the default where the file does not set it. A list (`workflow.approval`,
    /// `assessment.domains`) is given whole.
    Settings {
        path: String,
        from: Json,
        to: Json,
    },
    /// The file changed but not the settings: comments, layout, a default written out.
    Layout,
}

impl SettingsDiff {
    /// The line of `cm diff`: `cm.toml: ` and each change in words, those of the roster together
    /// (`roster: s.ahmadi added (caseworker), n.moradi removed`).
    pub fn words(&self, calendar: Calendar) -> String {
        let mut parts: Vec<(Option<&str>, Vec<String>)> = Vec::new();
        for change in &self.changes {
            let (group, words) = change.words(calendar);
            match parts.last_mut() {
                Some((last, told)) if group.is_some() && *last == group => told.push(words),
                _ => parts.push((group, vec![words])),
            }
        }
        let parts: Vec<String> = parts
            .into_iter()
            .map(|(group, told)| match group {
                Some(group) => format!("{group}: {}", told.join(", ")),
                None => told.join("; "),
            })
            .collect();
        format!("{}: {}", self.path, parts.join("; "))
    }
}

impl SettingsChange {
    /// The change in words, with the group it is told in (`roster`), if any.
    fn words(&self, calendar: Calendar) -> (Option<&'static str>, String) {
        const ROSTER_GROUP: Option<&str> = Some("roster");
        match self {
            SettingsChange::Added => (None, "added (compared with the defaults)".to_string()),
            SettingsChange::Removed => (None, "removed (the defaults apply)".to_string()),
            SettingsChange::Unreadable {
                at,
                path,
                line,
                column,
                code,
                message,
            } => (
                None,
                unreadable_words(at, path, *line, *column, *code, message),
            ),
            SettingsChange::RosterAdded {
                id,
                role,
                max_caseload,
            } => (
                ROSTER_GROUP,
                match max_caseload {
                    Some(n) => format!("{id} added ({role}, max_caseload {n})"),
                    None => format!("{id} added ({role})"),
                },
            ),
            SettingsChange::RosterRemoved { id } => (ROSTER_GROUP, format!("{id} removed")),
            SettingsChange::RosterChanged { id, fields } => (
                ROSTER_GROUP,
                fields
                    .iter()
                    .map(|f| format!("{id} {}", fields_words(std::slice::from_ref(f), calendar)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            SettingsChange::RosterReordered => (ROSTER_GROUP, "order changed".to_string()),
            SettingsChange::Settings { path, from, to } => (None, setting_words(path, from, to)),
            SettingsChange::Layout => (None, "only comments or layout changed".to_string()),
        }
    }
}

/// A setting in words: `deadlines.review.high 14 → 7`; a list by what came and went
/// (`workflow.approval: planning added, closed removed`).
fn setting_words(path: &str, from: &Json, to: &Json) -> String {
    if let (Json::Array(a), Json::Array(b)) = (from, to) {
        let mut parts: Vec<String> = b
            .iter()
            .filter(|v| !a.contains(v))
            .map(|v| format!("{} added", value(v)))
            .collect();
        parts.extend(
            a.iter()
                .filter(|v| !b.contains(v))
                .map(|v| format!("{} removed", value(v))),
        );
        if parts.is_empty() {
            parts.push("order changed".to_string());
        }
        return format!("{path}: {}", parts.join(", "));
    }
    format!("{path} {} → {}", value(from), value(to))
}

/// A setting's value as written in cm.toml, strings without quotes; `(none)` for none.
fn value(v: &Json) -> String {
    match v {
        Json::Null => "(none)".to_string(),
        Json::String(s) if s.is_empty() => "(none)".to_string(),
        Json::String(s) => s.clone(),
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(value).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// Why one side of cm.toml cannot be read: where, and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub code: Option<Code>,
    pub message: String,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Problem {
        Problem {
            line: d.line,
            column: d.column,
            code: Some(d.code),
            message: d.message,
        }
    }
}

/// One side of cm.toml: the revision as the user named it, and the settings (`None` when there
/// is no file) or why they cannot be read.
pub struct Side {
    pub label: String,
    pub settings: Option<Result<Settings, Problem>>,
}

/// Reads the settings from the first bytes of a cm.toml of `size` bytes, as every command does.
pub fn parse(bytes: &[u8], size: u64) -> Result<Settings, Problem> {
    let fail = |line: usize, code: Code, message: String| Problem {
        line,
        column: 1,
        code: Some(code),
        message,
    };
    if size > MAX_FILE_SIZE {
        return Err(fail(
            1,
            Code::FileTooLarge,
            format!("the file is larger than {} KiB", MAX_FILE_SIZE / 1024),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fail(
            1,
            Code::Encoding,
            format!("the file is not valid UTF-8 ({e})"),
        )
    })?;
    if let Some(line) = cm_case::merge_conflict(text) {
        return Err(fail(
            line,
            Code::MergeConflict,
            "unresolved git merge conflict (`<<<<<<<` … `>>>>>>>`)".to_string(),
        ));
    }
    Settings::parse(text, std::path::Path::new(SETTINGS_FILE)).map_err(|e| match e {
        cm_base::Error::Settings {
            line, col, message, ..
        } => Problem {
            line,
            column: col,
            code: None,
            message,
        },
        other => Problem {
            line: 1,
            column: 1,
            code: None,
            message: cm_base::text::printable(&other.to_string()).into_owned(),
        },
    })
}

/// What changed from `old` to `new` (either may be without the file, not both); `None` when
/// neither has it.
pub fn settings_diff(old: Side, new: Side) -> Option<SettingsDiff> {
    if old.settings.is_none() && new.settings.is_none() {
        return None;
    }
    let mut changes = Vec::new();
    for side in [&old, &new] {
        if let Some(Err(p)) = &side.settings {
            changes.push(SettingsChange::Unreadable {
                at: side.label.clone(),
                path: SETTINGS_FILE.to_string(),
                line: p.line,
                column: p.column,
                code: p.code,
                message: p.message.clone(),
            });
        }
    }
    if changes.is_empty() {
        let defaults = Settings::default();
        let (was, is) = match (&old.settings, &new.settings) {
            (None, Some(Ok(is))) => {
                changes.push(SettingsChange::Added);
                (&defaults, is)
            }
            (Some(Ok(was)), None) => {
                changes.push(SettingsChange::Removed);
                (was, &defaults)
            }
            (Some(Ok(was)), Some(Ok(is))) => (was, is),
            _ => return None,
        };
        let told = describe(was, is);
        if told.is_empty() && changes.is_empty() {
            changes.push(SettingsChange::Layout);
        }
        changes.extend(told);
    }
    Some(SettingsDiff {
        path: SETTINGS_FILE.to_string(),
        changes,
    })
}

/// The order settings are told in, after the roster: what changes the work first. A table the
/// settings gain later comes after these, in the order of the type.
const ORDER: [&str; 4] = ["workflow", "assessment", "deadlines", "workspace"];

/// The key of the roster among the settings.
const ROSTER: &str = "caseworkers";

/// The changes from `old` to `new`: the roster, then every other setting, field by field.
pub fn describe(old: &Settings, new: &Settings) -> Vec<SettingsChange> {
    let mut out = Vec::new();
    roster(&old.caseworkers, &new.caseworkers, &mut out);
    let (a, b) = (as_json(old), as_json(new));
    let mut keys: Vec<&String> = ORDER
        .iter()
        .filter_map(|k| b.keys().find(|key| key == k))
        .collect();
    keys.extend(
        b.keys()
            .filter(|k| *k != ROSTER && !ORDER.contains(&k.as_str())),
    );
    for key in keys {
        let (x, y) = (&a.get(key).cloned().unwrap_or(Json::Null), &b[key]);
        changed_settings(key, x, y, &mut out);
    }
    out
}

/// The settings as the type gives them: every key, with its default where the file has none.
fn as_json<T: Serialize>(value: &T) -> Map<String, Json> {
    match serde_json::to_value(value) {
        Ok(Json::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The settings under `path` that differ: a table key by key, anything else (a value, a list)
/// whole.
fn changed_settings(path: &str, old: &Json, new: &Json, out: &mut Vec<SettingsChange>) {
    if old == new {
        return;
    }
    if let (Json::Object(a), Json::Object(b)) = (old, new) {
        for (key, to) in b {
            let from = a.get(key).unwrap_or(&Json::Null);
            changed_settings(&format!("{path}.{key}"), from, to, out);
        }
        return;
    }
    out.push(SettingsChange::Settings {
        path: path.to_string(),
        from: old.clone(),
        to: new.clone(),
    });
}

/// A roster entry's role, from its `supervisor` flag.
fn role(cw: &Caseworker) -> String {
    if cw.supervisor {
        "supervisor"
    } else {
        "caseworker"
    }
    .to_string()
}

/// The roster, matched by id (an id written twice matched in turn): the members added, removed
/// and changed; or, with none of these, that the entries were put in another order.
fn roster(old: &[Caseworker], new: &[Caseworker], out: &mut Vec<SettingsChange>) {
    let before = out.len();
    let mut unmatched: Vec<&Caseworker> = old.iter().collect();
    for cw in new {
        match unmatched.iter().position(|was| was.id == cw.id) {
            None => out.push(SettingsChange::RosterAdded {
                id: cw.id.clone(),
                role: role(cw),
                max_caseload: cw.max_caseload,
            }),
            Some(i) => {
                let was = unmatched.remove(i);
                let fields = member(was, cw);
                if !fields.is_empty() {
                    out.push(SettingsChange::RosterChanged {
                        id: cw.id.clone(),
                        fields,
                    });
                }
            }
        }
    }
    out.extend(
        unmatched
            .into_iter()
            .map(|cw| SettingsChange::RosterRemoved { id: cw.id.clone() }),
    );
    let entries = |list: &[Caseworker]| list.iter().map(as_json).collect::<Vec<_>>();
    if out.len() == before && entries(old) != entries(new) {
        out.push(SettingsChange::RosterReordered);
    }
}

/// The fields of one member's entry that changed: the role first, then the others in the
/// order of the type; a personal one named without its values.
fn member(old: &Caseworker, new: &Caseworker) -> Vec<Field> {
    let mut fields = Vec::new();
    if old.supervisor != new.supervisor {
        fields.push(Field {
            path: "role".to_string(),
            change: FieldChange::Changed,
            from: Some(Json::String(role(old))),
            to: Some(Json::String(role(new))),
        });
    }
    let (a, b) = (as_json(old), as_json(new));
    // Nothing written and an empty text are the same: no value.
    let none = |v: &Json| v.is_null() || v.as_str() == Some("");
    for (key, to) in &b {
        let from = a.get(key).unwrap_or(&Json::Null);
        if key == "id" || key == "supervisor" || from == to {
            continue;
        }
        let shown = !PERSONAL_ROSTER_KEYS.contains(&key.as_str());
        let value = |v: &Json| (shown && !none(v)).then(|| v.clone());
        fields.push(Field {
            path: key.clone(),
            change: match (none(from), none(to)) {
                (true, _) => FieldChange::Added,
                (_, true) => FieldChange::Removed,
                _ => FieldChange::Changed,
            },
            from: value(from),
            to: value(to),
        });
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read(text: &str) -> Settings {
        Settings::parse(text, Path::new(SETTINGS_FILE)).unwrap()
    }

    fn words(old: &str, new: &str) -> String {
        let side = |text: &str| Side {
            label: "HEAD".to_string(),
            settings: (!text.is_empty()).then(|| parse(text.as_bytes(), text.len() as u64)),
        };
        settings_diff(side(old), side(new))
            .map(|d| d.words(Calendar::Gregorian))
            .unwrap_or_default()
    }

    const ROSTER_TEXT: &str = "[[caseworkers]]\nid = \"n.moradi\"\nname = \"Narges Moradi\"\n\n\
                               [[caseworkers]]\nid = \"a.karimi\"\nname = \"Ali Karimi\"\nmax_caseload = 25\n";

    #[test]
    fn the_roster_then_each_setting_in_words() {
        let old = format!("[workflow]\napproval = [\"closed\"]\n\n{ROSTER_TEXT}");
        let new = "[workspace]\ncalendar = \"persian\"\n\n[workflow]\napproval = [\"planning\", \"closed\"]\n\n\
                   [deadlines.review]\nhigh = 7\n\n\
                   [[caseworkers]]\nid = \"a.karimi\"\nname = \"Ali Karimi-Rad\"\nmax_caseload = 30\nsupervisor = true\n\n\
                   [[caseworkers]]\nid = \"s.ahmadi\"\nname = \"Sara Ahmadi\"\n";
        assert_eq!(
            words(&old, new),
            "cm.toml: roster: a.karimi role caseworker → supervisor, a.karimi name changed, \
             a.karimi max_caseload 25 → 30, s.ahmadi added (caseworker), n.moradi removed; \
             workflow.approval: planning added; deadlines.review.high 14 → 7; \
             workspace.calendar gregorian → persian"
        );
    }

    #[test]
    fn defaults_are_compared_not_text() {
        assert_eq!(
            words("[deadlines]\nplan = 30\n", "# the contract's defaults\n"),
            "cm.toml: only comments or layout changed"
        );
        assert_eq!(
            words("", "[workspace]\nid_prefix = \"THR\"\n"),
            "cm.toml: added (compared with the defaults); workspace.id_prefix CM → THR"
        );
        assert_eq!(
            words(ROSTER_TEXT, ""),
            "cm.toml: removed (the defaults apply); roster: n.moradi removed, a.karimi removed"
        );
        let swapped = "[[caseworkers]]\nid = \"a.karimi\"\nname = \"Ali Karimi\"\nmax_caseload = 25\n\n\
                       [[caseworkers]]\nid = \"n.moradi\"\nname = \"Narges Moradi\"\n";
        assert_eq!(
            words(ROSTER_TEXT, swapped),
            "cm.toml: roster: order changed"
        );
    }

    #[test]
    fn a_name_is_named_never_shown() {
        let renamed = ROSTER_TEXT.replace("Ali Karimi", "Ali Karimi-Rad");
        let diff = describe(&read(ROSTER_TEXT), &read(&renamed));
        let json = serde_json::to_string(&diff).unwrap();
        assert!(!json.contains("Karimi"), "{json}");
        assert_eq!(
            serde_json::to_value(&diff).unwrap(),
            serde_json::json!([{"kind": "roster_changed", "id": "a.karimi",
                                "fields": [{"path": "name", "change": "changed"}]}])
        );
    }

    #[test]
    fn a_side_that_cannot_be_read_is_not_compared() {
        assert_eq!(
            words(
                "[workspace]\ncalender = \"persian\"\n",
                "[workspace]\nname = \"x\"\n"
            ),
            "cm.toml: cannot be read at HEAD (cm.toml:2:1: unknown key `calender` in [workspace]), \
             so not compared"
        );
        let conflict = "[deadlines]\n<<<<<<< HEAD\nplan = 20\n=======\nplan = 40\n>>>>>>> other\n";
        assert_eq!(
            words("", conflict),
            "cm.toml: cannot be read at HEAD (cm.toml:2:1: merge-conflict: unresolved git merge \
             conflict (`<<<<<<<` … `>>>>>>>`)), so not compared"
        );
        let problem = parse(&[b'a', 0xff], 2).unwrap_err();
        assert_eq!(problem.code, Some(Code::Encoding));
        let problem = parse(b"", MAX_FILE_SIZE + 1).unwrap_err();
        assert_eq!(problem.code, Some(Code::FileTooLarge));
    }
}
