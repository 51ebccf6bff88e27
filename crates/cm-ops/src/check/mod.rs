//! Validation: the schema check, the meaning rules, and the cross-case rules, each finding named
//! by a stable code.
//!
//! Rules name a *place* in the document ([`Place`], a path of keys and indices); [`Place::locate`]
//! alone turns it into a line and column. Bad case data is a finding, never an error: every
//! check returns all it finds and one broken file never stops the others.

pub mod cache;
mod dates;
mod goals;
mod phases;
mod refs;
mod risk;
pub mod schema;
mod services;
mod transfers;
mod workspace;

pub use workspace::{Asked, duplicate};

use std::path::PathBuf;

use chrono::NaiveDate;
use cm_base::at;
use cm_base::calendar::{self, Calendar};
pub use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::path::Step;
use cm_base::yaml::{Place, Pos};
use cm_case::reading::Judge;
use cm_case::settings::Settings;
use cm_case::workspace::Workspace;
use cm_case::{Link, LoadedCase, MAX_FILE_SIZE, from_bytes, read_sized};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use cache::{Cache, Checked, Found};
pub use schema::Schema;

use crate::duplicates::Person;

/// One problem a rule found, before it is placed in the file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub place: Place,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    pub fn error(code: Code, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            place,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: Code, place: Place, message: impl Into<String>) -> Finding {
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
        let pos = cm_base::yaml::within(&case.source, case.locate(&self.place));
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

/// What the rules know besides the case: the settings, the day it is, and the calendar the user
/// reads dates in.
#[derive(Clone, Copy, Debug)]
pub struct Ctx<'a> {
    pub settings: &'a Settings,
    pub today: NaiveDate,
    pub calendar: Calendar,
}

impl Ctx<'_> {
    /// A date as a message gives it, in parentheses after what it dates: in the user's calendar,
    /// and as the file writes it (`1405-03-06, 2026-05-27` with the persian calendar).
    pub fn date(&self, date: NaiveDate) -> String {
        calendar::display_with_iso(date, self.calendar)
    }
}

/// A rule about one case.
type CaseRule = fn(&LoadedCase, &Ctx<'_>, &mut Vec<Finding>);

/// The meaning rules of one case, in the order of the contract.
const CASE_RULES: &[CaseRule] = &[
    refs::file_name,
    dates::written,
    dates::order,
    dates::future,
    phases::history,
    phases::approval,
    transfers::chain,
    risk::decided,
    services::statuses,
    goals::statuses,
    refs::items,
    refs::domains,
    refs::caseworkers,
    services::providers,
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
/// depends on the day: a reader about a day in the past reads what was so then. Its dates are in
/// `calendar`, as `cm validate`'s.
pub fn first_error(
    case: &LoadedCase,
    schema: &Schema,
    settings: &Settings,
    calendar: Calendar,
) -> Option<Diagnostic> {
    let ctx = Ctx {
        settings,
        today: NaiveDate::MAX,
        calendar,
    };
    check_case(case, schema, &ctx)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.in_file(case))
        .min_by(|a, b| a.sort_key().cmp(&b.sort_key()))
}

/// The judge of the readers: the schema and the rules of one case, under these settings, its
/// messages' dates in this calendar (see [`first_error`]).
pub struct Rules<'a> {
    pub schema: &'a Schema,
    pub settings: &'a Settings,
    pub calendar: Calendar,
}

impl Judge for Rules<'_> {
    /// The calendar is in it because the errors the cache keeps are messages with dates in it: a
    /// listing with another `--calendar` checks the cases again rather than show them.
    fn digest(&self) -> [u8; 16] {
        let mut what = [self.schema.digest, self.settings.digest].concat();
        what.extend_from_slice(self.calendar.as_str().as_bytes());
        cm_base::files::hash(&what)
    }

    fn first_error(&self, case: &LoadedCase) -> Option<Diagnostic> {
        first_error(case, self.schema, self.settings, self.calendar)
    }
}

/// What the cross-case rules need of each case, kept small so that the trees can be dropped.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    pub display: String,
    pub id: Option<(String, Pos)>,
    /// Where the client's national id and name are written.
    pub national_id_at: Pos,
    pub name_at: Pos,
    pub person: Person,
    pub caseworker: Option<String>,
    /// The cases of relatives, each with where its `case` is written.
    pub links: Vec<(Link, Pos)>,
    /// The cases of other people (`not_duplicate_of`), each with where it is written.
    pub apart: Vec<(String, Pos)>,
    /// The case came from another office (see [`cm_case::Case::arrived`]).
    pub arrived: bool,
}

/// The result of checking a set of case files.
#[derive(Debug, Default)]
pub struct Outcome<'c> {
    /// Every diagnostic, sorted by path, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// How many case files were checked.
    pub cases: usize,
    /// What was found in each file that could be read, for the cache: borrowed from it when
    /// it had the file's bytes.
    pub checked: Vec<Found<'c>>,
    /// How many of those the cache gave.
    pub reused: usize,
}

impl Outcome<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks `files` (case files of `ws`) in parallel, then across cases, calling `tick` for each
/// file. A file whose bytes `cache` has seen is not checked again (see [`cache`]). `alongside`
/// is given what was found in each file while the rules across cases run (the cache is written
/// then).
pub fn validate<'c>(
    ws: &Workspace,
    files: &[PathBuf],
    schema: &Schema,
    ctx: &Ctx<'_>,
    cache: Option<&'c Cache>,
    tick: &(dyn Fn() + Sync),
    alongside: &(dyn Fn(&Outcome<'c>) + Sync),
) -> Outcome<'c> {
    cm_base::files::reading_many();
    let results: Vec<Result<Found<'c>, Diagnostic>> = files
        .par_iter()
        .map(|path| {
            tick();
            let display = ws.display_path(path);
            let (bytes, size) = match read_sized(path, &display) {
                Ok(read) => read,
                Err(d) => return Err(d),
            };
            // Without a cache, nothing is looked up or kept: the bytes need no hash.
            let hash = cache.map_or([0; 16], |_| cm_base::files::hash(&bytes));
            if let Some(c) = cache.and_then(|c| c.get(&display, hash, ctx.today)) {
                return Ok(Found::Cached(c));
            }
            let mut checked = Checked {
                path: display,
                hash,
                on: ctx.today,
                latest: None,
                diagnostics: Vec::new(),
                summary: None,
            };
            match from_bytes(bytes, size, &checked.path) {
                // The message of a file too large tells its size, which the bytes read do not.
                Err(d) if size > MAX_FILE_SIZE => return Err(d),
                Err(d) => checked.diagnostics.push(d),
                Ok(case) => {
                    checked.diagnostics = check_case(&case, schema, ctx)
                        .into_iter()
                        .map(|f| f.in_file(&case))
                        .collect();
                    checked.summary = Some(summarize(&case));
                    checked.latest = cache::latest(&case);
                }
            }
            Ok(Found::New(Box::new(checked)))
        })
        .collect();
    let mut outcome = Outcome {
        cases: files.len(),
        ..Outcome::default()
    };
    for result in results {
        match result {
            Ok(checked) => {
                outcome.diagnostics.extend_from_slice(&checked.diagnostics);
                outcome.reused += usize::from(matches!(checked, Found::Cached(_)));
                outcome.checked.push(checked);
            }
            Err(d) => outcome.diagnostics.push(d),
        }
    }
    let summaries: Vec<&Summary> = (outcome.checked.iter())
        .filter_map(|c| c.summary.as_ref())
        .collect();
    let mut across = Vec::new();
    rayon::join(
        || alongside(&outcome),
        || workspace::check(&summaries, ctx, &mut across),
    );
    outcome.diagnostics.extend(across);
    outcome
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    outcome
}

/// What the rules across cases need of `case`.
pub fn summarize(case: &LoadedCase) -> Summary {
    let place = |p: Vec<Step>| case.locate(&Place::At(p));
    Summary {
        display: case.display.clone(),
        id: case.case.id.clone().map(|id| (id, place(at!["id"]))),
        national_id_at: place(at!["client", "national_id"]),
        name_at: place(at!["client", "name"]),
        person: Person::of(&case.case),
        caseworker: case.case.caseworker.clone(),
        links: (case.case.links.iter().enumerate())
            .map(|(i, link)| (link.clone(), place(at!["links", i, "case"])))
            .collect(),
        apart: (case.case.not_duplicate_of.iter().enumerate())
            .map(|(i, id)| (id.clone(), place(at!["not_duplicate_of", i])))
            .collect(),
        arrived: case.case.arrived().is_some(),
    }
}

/// What the rules' unit tests share: a roster, and the findings about a case file.
#[cfg(test)]
mod testing {
    use std::path::Path;

    use chrono::NaiveDate;
    use cm_base::calendar::Calendar;
    use cm_case::Settings;

    use super::{Ctx, Schema, check_case};

    /// A caseworker and a supervisor.
    pub const ROSTER: &str = "[[caseworkers]]\nid = \"s.ahmadi\"\n\n[[caseworkers]]\nid = \"m.karimi\"\nsupervisor = true\n";

    /// Every finding of the schema and the rules about `text` under `settings` (a cm.toml), on
    /// 2026-11-01, as `line:col code: message`, in order.
    pub fn findings(settings: &str, text: &str) -> Vec<String> {
        let settings = Settings::parse(settings, Path::new("cm.toml")).unwrap();
        let schema = Schema::builtin().unwrap();
        let ctx = Ctx {
            settings: &settings,
            today: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            calendar: Calendar::Gregorian,
        };
        let loaded = cm_case::parse(text.to_string(), "CM-2026-0001.yaml").unwrap();
        let mut found: Vec<String> = check_case(&loaded, &schema, &ctx)
            .into_iter()
            .map(|f| f.in_file(&loaded))
            .map(|d| format!("{}:{} {}: {}", d.line, d.column, d.code, d.message))
            .collect();
        found.sort();
        found
    }
}
