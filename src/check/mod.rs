//! Validation: the schema check, the meaning rules, and the cross-case rules, each finding named
//! by a stable code.
//!
//! Rules name a *place* in the document ([`Place`], a path of keys and indices); [`Place::locate`]
//! alone turns it into a line and column. Bad case data is a finding, never an error: every
//! check returns all it finds and one broken file never stops the others.

mod dates;
mod diagnostic;
mod phases;
mod refs;
pub mod schema;
mod workspace;

pub use workspace::duplicate_id;

use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

pub use diagnostic::{Diagnostic, Severity};
pub use schema::Schema;

use crate::case::{LoadedCase, load};
use crate::privacy::key_name;
use crate::progress::Progress;
use crate::workspace::{Settings, Workspace};
use crate::yaml::{Node, Pos, Step};

/// Every diagnostic code, with what it means. The README's table and the tests follow it.
pub const CODES: &[(&str, &str)] = &[
    ("io", "the file could not be read"),
    ("file-too-large", "the file is over 1 MiB"),
    ("symlink", "a symbolic link, which cm does not follow"),
    ("encoding", "the file is not UTF-8"),
    ("merge-conflict", "the file holds git conflict markers"),
    ("tab-indentation", "a tab in the indentation"),
    (
        "yaml-syntax",
        "the file is not valid YAML, or holds no case",
    ),
    ("duplicate-key", "a key given twice in one mapping"),
    (
        "yaml-limit",
        "nesting too deep, or aliases expanding too far",
    ),
    ("schema", "the case does not match the schema"),
    ("file-name", "the file is not named <id>.yaml"),
    ("duplicate-id", "two files hold the same id"),
    (
        "date-invalid",
        "a date that does not exist, such as 2026-02-30",
    ),
    (
        "date-order",
        "a date before `opened`, out of order, or after the closure",
    ),
    ("date-future", "a date after today (or --as-of)"),
    (
        "phase-history",
        "`phase` differs from the history, or the history goes back",
    ),
    (
        "approval",
        "a phase entered or passed over without a supervisor's approval",
    ),
    ("unknown-goal", "a goal id that the plan does not have"),
    (
        "alias",
        "an alias (`*name`) where a value that may be shown belongs",
    ),
    (
        "unknown-domain",
        "a domain that is not assessed or not in cm.toml",
    ),
    ("unknown-caseworker", "a caseworker not in the roster"),
    (
        "duplicate-item",
        "a goal or service id used twice in a case",
    ),
    (
        "duplicate-client",
        "warning: the same national id in two open cases",
    ),
    ("no-consent", "warning: an open case without consent"),
    ("over-caseload", "warning: a caseworker over max_caseload"),
];

/// A place in a case document that a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The value at this path.
    At(Vec<Step>),
    /// The key that holds the value at this path (for whole sections and missing fields).
    KeyOf(Vec<Step>),
}

impl Place {
    /// The position of the place in `tree`. A path that does not exist (a missing field) points
    /// at the deepest part of it that does.
    pub fn locate(&self, tree: &Node) -> Pos {
        let (path, key) = match self {
            Place::At(p) => (p, false),
            Place::KeyOf(p) => (p, true),
        };
        let (node, via, taken) = tree.find(path);
        match via {
            Some(entry) if key || taken < path.len() => entry.key_span.start,
            _ => node.span.start,
        }
    }
}

/// Builds a path of [`Step`]s: `at!["services", 1, "goal"]`.
macro_rules! at {
    ($($step:expr),* $(,)?) => { vec![$($crate::yaml::Step::from($step)),*] };
}
pub(crate) use at;

impl From<&str> for Step {
    fn from(s: &str) -> Step {
        Step::Key(s.to_string())
    }
}

impl From<&String> for Step {
    fn from(s: &String) -> Step {
        Step::Key(s.clone())
    }
}

impl From<usize> for Step {
    fn from(i: usize) -> Step {
        Step::Index(i)
    }
}

/// A path as a person reads it: `services[1].goal`, or `the case` for the root. A key that does
/// not look like one is shown as `…` (see [`crate::privacy::key_name`]).
pub fn dotted(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(&key_name(k)),
            Step::Key(k) => {
                out.push('.');
                out.push_str(&key_name(k));
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        "the case".to_string()
    } else {
        out
    }
}

/// One problem a rule found, before it is placed in the file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub place: Place,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    pub fn error(code: &'static str, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            place,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, place, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic this finding makes in `case`'s file.
    pub fn in_file(self, case: &LoadedCase) -> Diagnostic {
        let pos = crate::yaml::within(&case.source, self.place.locate(&case.tree));
        let d = Diagnostic::new(
            &case.display,
            pos.line,
            pos.col,
            self.severity,
            self.code,
            self.message,
        );
        match self.help {
            Some(help) => d.with_help(help),
            None => d,
        }
    }
}

/// What the rules know besides the case: the settings and the day it is.
#[derive(Clone, Copy, Debug)]
pub struct Ctx<'a> {
    pub settings: &'a Settings,
    pub today: NaiveDate,
}

/// A rule about one case.
type CaseRule = fn(&LoadedCase, &Ctx<'_>, &mut Vec<Finding>);

/// The meaning rules of one case, in the order of the contract.
const CASE_RULES: &[CaseRule] = &[
    refs::file_name,
    dates::invalid,
    dates::order,
    dates::future,
    phases::history,
    phases::approval,
    refs::items,
    refs::domains,
    refs::caseworkers,
    refs::consent,
    refs::aliases,
];

/// Every finding of the schema and the meaning rules about one case.
pub fn check_case(case: &LoadedCase, schema: &Schema, ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    schema.check(&case.json, &mut findings);
    // Something that is not a mapping is not a case: the schema has said so, the rules have
    // nothing to read.
    if !case.json.is_object() {
        return findings;
    }
    for rule in CASE_RULES {
        rule(case, ctx, &mut findings);
    }
    findings
}

/// The first error of `case` (by line and column), or `None` when it has none: what keeps a case
/// out of every listing, report and export, so that no reader computes from a case that is not
/// valid. Errors only: warnings do not keep a case out. Nor does `date-future`, the one rule that
/// depends on the day: a reader about a day in the past reads what was so then.
pub fn first_error(case: &LoadedCase, schema: &Schema, settings: &Settings) -> Option<Diagnostic> {
    let ctx = Ctx {
        settings,
        today: NaiveDate::MAX,
    };
    check_case(case, schema, &ctx)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.in_file(case))
        .min_by(|a, b| a.sort_key().cmp(&b.sort_key()))
}

/// The code of `CODES` spelt `code`, as the static string the diagnostics hold (for a code read
/// back from the cache).
pub fn code(code: &str) -> Option<&'static str> {
    CODES.iter().map(|(c, _)| *c).find(|c| *c == code)
}

/// What the cross-case rules need of each case, kept small so that the trees can be dropped.
#[derive(Clone, Debug)]
pub struct Summary {
    pub display: String,
    pub id: Option<(String, Pos)>,
    pub national_id: Option<(String, Pos)>,
    pub open: bool,
    pub caseworker: Option<String>,
}

/// The result of checking a set of case files.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every diagnostic, sorted by path, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// How many case files were checked.
    pub cases: usize,
}

impl Outcome {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks `files` (case files of `ws`) in parallel, then across cases, ticking `progress` for
/// each file.
pub fn validate(
    ws: &Workspace,
    files: &[PathBuf],
    schema: &Schema,
    ctx: &Ctx<'_>,
    progress: &Progress,
) -> Outcome {
    let results: Vec<(Vec<Diagnostic>, Option<Summary>)> = files
        .par_iter()
        .map(|path| {
            progress.tick();
            let display = ws.display_path(path);
            match load(path, &display) {
                Err(d) => (vec![d], None),
                Ok(case) => {
                    let diagnostics = check_case(&case, schema, ctx)
                        .into_iter()
                        .map(|f| f.in_file(&case))
                        .collect();
                    (diagnostics, Some(summarize(&case)))
                }
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut summaries = Vec::new();
    for (d, s) in results {
        diagnostics.extend(d);
        summaries.extend(s);
    }
    workspace::check(&summaries, ctx, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Outcome {
        diagnostics,
        cases: files.len(),
    }
}

fn summarize(case: &LoadedCase) -> Summary {
    let place = |p: Vec<Step>| Place::At(p).locate(&case.tree);
    Summary {
        display: case.display.clone(),
        id: case.case.id.clone().map(|id| (id, place(at!["id"]))),
        national_id: case
            .case
            .client
            .as_ref()
            .and_then(|c| c.national_id.clone())
            .map(|n| (n, place(at!["client", "national_id"]))),
        open: case.case.is_open(),
        caseworker: case.case.caseworker.clone(),
    }
}
