//! Finding the workspace and reading `cm.toml` into typed settings.
//!
//! Discovery works like git's: an explicit directory, else the nearest ancestor holding
//! `cm.toml`, else the current directory with every default. Every key of `cm.toml` is known
//! here; an unknown one is an error naming its line, with the nearest known key suggested.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::case::{Phase, Risk};
use crate::error::{Error, Result};
use crate::text::{line_col, printable, read_to_string_limited, suggest};

/// The settings file's name at the workspace root.
pub const SETTINGS_FILE: &str = "cm.toml";
/// The workspace's own schema, relative to the root; replaces the built-in one when present.
pub const SCHEMA_FILE: &str = "schemas/case.schema.json";
/// The folder holding the case files.
pub const CASES_DIR: &str = "cases";
/// `cm`'s own folder at the workspace root: never committed.
pub const PRIVATE_DIR: &str = ".cm";

/// Every setting, with the defaults of the contract.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub workspace: WorkspaceSettings,
    pub workflow: WorkflowSettings,
    pub assessment: AssessmentSettings,
    pub deadlines: Deadlines,
    pub caseworkers: Vec<Caseworker>,
    /// Where each id stands in `caseworkers` (the first entry with it), made by [`Settings::parse`]:
    /// the rules look up every `caseworker` and `by` of every case.
    #[serde(skip)]
    roster: HashMap<String, usize>,
    /// What identifies these settings: the hash of cm.toml's text (the cache's verdicts hold for
    /// it); zero for the defaults.
    #[serde(skip)]
    pub digest: [u8; 16],
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkspaceSettings {
    pub name: String,
    pub id_prefix: String,
    pub calendar: Calendar,
    pub currency: String,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            name: String::new(),
            id_prefix: "CM".to_string(),
            calendar: Calendar::Gregorian,
            currency: "IRR".to_string(),
        }
    }
}

/// The calendar dates are shown and typed in. Files always hold ISO Gregorian dates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Calendar {
    #[default]
    Gregorian,
    Persian,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkflowSettings {
    /// Phases whose entry, or a move passing over them, needs a supervisor's approval.
    #[serde(deserialize_with = "phases")]
    pub approval: Vec<Phase>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentSettings {
    /// The agency's domain names; empty means any lowercase name is accepted.
    pub domains: Vec<String>,
}

/// Deadlines in days.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deadlines {
    pub assessment: u32,
    pub plan: u32,
    pub referral_followup: u32,
    pub review: ReviewIntervals,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            assessment: 14,
            plan: 30,
            referral_followup: 14,
            review: ReviewIntervals::default(),
        }
    }
}

/// Days between monitoring reviews, by current risk.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewIntervals {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for ReviewIntervals {
    fn default() -> Self {
        ReviewIntervals {
            critical: 7,
            high: 14,
            medium: 30,
            low: 90,
        }
    }
}

impl ReviewIntervals {
    pub fn days(&self, risk: Risk) -> u32 {
        match risk {
            Risk::Critical => self.critical,
            Risk::High => self.high,
            Risk::Medium => self.medium,
            Risk::Low => self.low,
        }
    }
}

/// One member of the roster.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caseworker {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub max_caseload: Option<u32>,
    #[serde(default)]
    pub supervisor: bool,
    /// Line of this entry in cm.toml, so that roster warnings can point at it.
    #[serde(skip)]
    pub line: usize,
}

impl Settings {
    /// The roster entry for `id`, when there is a roster.
    pub fn caseworker(&self, id: &str) -> Option<&Caseworker> {
        self.roster.get(id).map(|&i| &self.caseworkers[i])
    }

    /// Parses the text of a cm.toml; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Settings> {
        let at = |span: Option<std::ops::Range<usize>>, message: String, help: Option<String>| {
            let (line, col) = line_col(text, span.map_or(0, |s| s.start));
            // The message may quote the file (a key, a value): one line, escaped.
            Error::Settings {
                path: path.to_path_buf(),
                line,
                col,
                message: printable(&message).into_owned(),
                help: help.map(|h| printable(&h).into_owned()),
            }
        };
        let table =
            DeTable::parse(text).map_err(|e| at(e.span(), e.message().to_string(), None))?;
        check_keys(table.get_ref(), "", &|span, message, help| {
            at(Some(span), message, help)
        })?;
        let mut settings: Settings =
            toml::from_str(text).map_err(|e| at(e.span(), e.message().trim().to_string(), None))?;
        if let Some(DeValue::Array(entries)) =
            table.get_ref().get("caseworkers").map(|v| v.get_ref())
        {
            for (cw, entry) in settings.caseworkers.iter_mut().zip(entries.iter()) {
                cw.line = line_col(text, entry.span().start).0;
            }
        }
        // A domain name becomes a key of the cases and a column of the reports: the shape the
        // schema gives domain keys, nothing a spreadsheet or a terminal would take for more.
        if let Some(DeValue::Table(assessment)) =
            table.get_ref().get("assessment").map(|v| v.get_ref())
            && let Some(DeValue::Array(domains)) = assessment.get("domains").map(|v| v.get_ref())
        {
            for (name, entry) in settings.assessment.domains.iter().zip(domains.iter()) {
                let ok = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    return Err(at(
                        Some(entry.span()),
                        format!("domain `{name}` is not a domain name"),
                        Some("a domain name is lowercase letters, digits and `_`, such as `mental_health`".to_string()),
                    ));
                }
            }
        }
        for (i, cw) in settings.caseworkers.iter().enumerate() {
            settings.roster.entry(cw.id.clone()).or_insert(i);
        }
        settings.digest = crate::case::cache::hash(text.as_bytes());
        Ok(settings)
    }
}

fn phases<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<Phase>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|s| s.parse().map_err(serde::de::Error::custom))
        .collect()
}

/// The known keys of each table of cm.toml (arrays of tables are named like tables).
const KNOWN_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "workspace",
            "workflow",
            "assessment",
            "deadlines",
            "caseworkers",
        ],
    ),
    ("workspace", &["name", "id_prefix", "calendar", "currency"]),
    ("workflow", &["approval"]),
    ("assessment", &["domains"]),
    (
        "deadlines",
        &["assessment", "plan", "referral_followup", "review"],
    ),
    ("deadlines.review", &["critical", "high", "medium", "low"]),
    ("caseworkers", &["id", "name", "max_caseload", "supervisor"]),
];

type KeyError<'a> = dyn Fn(std::ops::Range<usize>, String, Option<String>) -> Error + 'a;

fn check_keys(table: &DeTable<'_>, at: &str, error: &KeyError<'_>) -> Result<()> {
    let Some((_, known)) = KNOWN_KEYS.iter().find(|(name, _)| *name == at) else {
        return Ok(());
    };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if !known.contains(&name) {
            let place = if at.is_empty() {
                "cm.toml".to_string()
            } else {
                format!("[{at}]")
            };
            return Err(error(
                key.span(),
                format!("unknown key `{name}` in {place}"),
                Some(match suggest(name, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known keys: {}", known.join(", ")),
                }),
            ));
        }
        let path = if at.is_empty() {
            name.to_string()
        } else {
            format!("{at}.{name}")
        };
        check_value(value, &path, error)?;
    }
    Ok(())
}

fn check_value(value: &Spanned<DeValue<'_>>, path: &str, error: &KeyError<'_>) -> Result<()> {
    match value.get_ref() {
        DeValue::Table(t) => check_keys(t, path, error),
        DeValue::Array(items) => items
            .iter()
            .try_for_each(|item| check_value(item, path, error)),
        _ => Ok(()),
    }
}

/// A workspace: its root folder and its settings.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub settings: Settings,
}

impl Workspace {
    /// Finds the workspace: `explicit` (from `-C`) if given, else the nearest ancestor of `cwd`
    /// with a cm.toml, else `cwd` itself with default settings.
    pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<Workspace> {
        let root = match explicit {
            Some(dir) => {
                let dir = cwd.join(dir);
                if !dir.is_dir() {
                    return Err(Error::Usage(format!(
                        "workspace `{}` is not a directory",
                        dir.display()
                    )));
                }
                dir
            }
            None => cwd
                .ancestors()
                .find(|d| d.join(SETTINGS_FILE).is_file())
                .unwrap_or(cwd)
                .to_path_buf(),
        };
        Workspace::open(root)
    }

    /// Opens the workspace rooted at `root`.
    pub fn open(root: PathBuf) -> Result<Workspace> {
        let path = root.join(SETTINGS_FILE);
        confine(&root, &path)?;
        let settings = match read_to_string_limited(&path, 1024 * 1024) {
            Ok(text) => Settings::parse(&text, Path::new(SETTINGS_FILE))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => return Err(Error::io(SETTINGS_FILE, e)),
        };
        Ok(Workspace { root, settings })
    }

    /// Checks that reading or writing `path` follows no link (see [`confine`]).
    pub fn confine(&self, path: &Path) -> Result<()> {
        confine(&self.root, path)
    }

    /// `cm`'s own folder, `.cm/` (the cache, the export key, the lock), made if need be, with a
    /// `.gitignore` of its own so that nothing in it is ever committed.
    pub fn private_dir(&self) -> Result<PathBuf> {
        let dir = self.root.join(PRIVATE_DIR);
        let ignore = dir.join(".gitignore");
        self.confine(&ignore)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let made = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&ignore)
            .and_then(|mut f| {
                std::io::Write::write_all(&mut f, b"# cm's own files: never commit them\n*\n")
            });
        match made {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(Error::io(&ignore, e)),
            _ => Ok(dir),
        }
    }

    /// The folder of case files.
    pub fn cases_dir(&self) -> PathBuf {
        self.root.join(CASES_DIR)
    }

    /// The case files under `paths` (files or folders, relative to `cwd`), or under `cases/`
    /// when none is given; sorted. Hidden files and folders are skipped. Symbolic links are not
    /// followed (see [`confine`]) but kept, as is an entry that cannot be read, so that reading
    /// it reports why: nothing is left out unseen.
    pub fn case_files(&self, paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>> {
        let roots: Vec<PathBuf> = if paths.is_empty() {
            vec![self.cases_dir()]
        } else {
            paths.iter().map(|p| cwd.join(p)).collect()
        };
        let mut files = Vec::new();
        for root in roots {
            // No part of a path under the workspace may be a link; the path itself may be a
            // file named on the command line, a link included (reading it says what it is).
            if let Some(parent) = root.parent() {
                self.confine(parent)?;
            }
            match std::fs::symlink_metadata(&root) {
                Ok(m) if m.is_file() || (m.is_symlink() && !paths.is_empty()) => {
                    files.push(root);
                    continue;
                }
                Ok(m) if m.is_symlink() => self.confine(&root)?,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && paths.is_empty() => continue,
                Err(e) => return Err(Error::io(root, e)),
            }
            let mut walk = walkdir::WalkDir::new(&root)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
            while let Some(entry) = walk.next() {
                match entry {
                    // Any link, whatever its name: it is not followed, and says so when read,
                    // so that no case behind it is left out unseen.
                    Ok(e) if e.file_type().is_symlink() => files.push(e.into_path()),
                    Ok(e) if !is_case_file(e.path()) => {}
                    Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                    // A folder named like a case: kept so that reading it says what is wrong.
                    Ok(e) if e.file_type().is_dir() && e.depth() > 0 => {
                        files.push(e.into_path());
                        walk.skip_current_dir();
                    }
                    // A named pipe, a socket or a device named like a case: kept, so that it is
                    // reported (reading never opens it).
                    Ok(e) if !e.file_type().is_dir() => files.push(e.into_path()),
                    Ok(_) => {}
                    Err(e) => files.extend(e.path().map(Path::to_path_buf)),
                }
            }
        }
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// The path of `path` as shown to the user: relative to the workspace root when inside it.
    pub fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }
}

/// Checks that `path` can be read or written without following a symbolic link: no part of it
/// below `root` is a link. This is the one link rule of `cm`, for every file it reads or writes
/// in a workspace (settings, schema, cases, `.cm/`, `.gitignore`): a link is never followed,
/// wherever it leads — out of the workspace, to another file inside it, nowhere (a dangling
/// link), or round in a loop — so that a link committed by someone else can neither make `cm`
/// read or write a file other than the one it names, nor count one case twice. The parts of
/// `path` that do not exist yet are fine (a file or folder about to be made). A path that is not
/// under `root` (or that leaves it with `..`) was asked for by name, and is the asker's. (A link
/// made while `cm` runs, between this check and the use, is not guarded against: that takes
/// someone who can write to the workspace already.)
pub fn confine(root: &Path, path: &Path) -> Result<()> {
    let Ok(inside) = path.strip_prefix(root) else {
        return Ok(());
    };
    // The parts are taken as written, `..` included: a `..` after a link would be resolved by
    // the system through the link, so the link is met (and refused) before the `..` is.
    let mut at = root.to_path_buf();
    let mut depth = 0usize;
    for part in inside.components() {
        match part {
            Component::CurDir => continue,
            Component::ParentDir if depth == 0 => return Ok(()),
            Component::ParentDir => {
                at.pop();
                depth -= 1;
                continue;
            }
            part => {
                at.push(part);
                depth += 1;
            }
        }
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::Link {
                    path: at.strip_prefix(root).unwrap_or(&at).to_path_buf(),
                    target: std::fs::read_link(&at).unwrap_or_default(),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(&at, e)),
        }
    }
    Ok(())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// A case file ends in `.yaml` or `.yml`.
pub fn is_case_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let s = Settings::parse("", Path::new("cm.toml")).unwrap();
        assert_eq!(s.workspace.id_prefix, "CM");
        assert_eq!(s.deadlines.review.low, 90);
        assert_eq!(s.workspace.calendar, Calendar::Gregorian);
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = "[workspace]\nname = \"x\"\ncalender = \"persian\"\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cm.toml:3:1: unknown key `calender` in [workspace]\n  help: did you mean `calendar`?"
        );
    }

    #[test]
    fn unknown_key_in_roster() {
        let text = "[[caseworkers]]\nid = \"a\"\nmax_caseloda = 3\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cm.toml:3:1: unknown key `max_caseloda`")
        );
        assert!(err.to_string().contains("`max_caseload`"));
    }

    #[test]
    fn wrong_type_names_line() {
        let text = "[deadlines]\nplan = \"thirty\"\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert!(err.to_string().starts_with("cm.toml:2:"), "{err}");
    }

    #[test]
    fn a_domain_name_is_a_name() {
        let text = "[assessment]\ndomains = [\"income\",\n  \"=HYPERLINK(1)\"]\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cm.toml:3:3: domain `=HYPERLINK(1)` is not a domain name"),
            "{err}"
        );
    }

    #[test]
    fn roster_lines_are_kept() {
        let text =
            "[[caseworkers]]\nid = \"a\"\n\n[[caseworkers]]\nid = \"b\"\nsupervisor = true\n";
        let s = Settings::parse(text, Path::new("cm.toml")).unwrap();
        assert_eq!(s.caseworkers[1].id, "b");
        assert!(s.caseworkers[1].supervisor);
        assert!(s.caseworkers[1].line >= 4);
    }
}
