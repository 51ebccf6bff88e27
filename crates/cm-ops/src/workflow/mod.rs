//! Changing cases: `cm new`, `cm advance`, `cm assess`, `cm review`, `cm goal`, `cm refer`,
//! `cm service`, `cm consent`, `cm contact`, `cm transfer`, `cm risk`, `cm reopen` and
//! `cm migrate`.
//!
//! Every command goes the same way. It says what it changes as [`Change`]s; the patcher
//! ([`cm_base::patch`]) makes them in the text, surgically; the new text is parsed again and
//! must be exactly the document the changes describe; and that document must pass the schema and
//! the rules of one case — the *gate*, so the phase requirements of the schema are the workflow's
//! requirements. Only then is a [`Proposal`] made, which the caller shows (`--dry-run`) or writes
//! atomically. A refused or failed command leaves every file as it was. A command that writes
//! holds the workspace's lock ([`Workspace::lock`]) from its first read to the write, so edits at
//! once are made one by one.

mod advance;
mod assess;
mod consent;
mod contact;
mod goal;
mod link;
mod migrate;
mod new;
mod refer;
mod reopen;
mod review;
mod risk;
mod service;
mod transfer;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value as Json;

pub use crate::register::{Cases, Known};
pub use advance::{Advance, advance, advance_case};
pub use assess::{Assessment, assess, assess_case};
pub use consent::{ConsentChange, consent, consent_case};
pub use contact::{ContactEntry, contact, contact_case};
pub use goal::{GoalChange, NewGoal, goal, goal_add, goal_add_case, goal_case};
pub use link::{Linking, link};
pub use migrate::{migrate, migrate_case};
pub use new::{Baseline, FirstConsent, NewCase, new_case, new_case_as, next_case_number};
pub use refer::{Referral, refer, refer_case};
pub use reopen::{Reopening, reopen, reopen_case};
pub use review::{Review, review, review_case};
pub use risk::{RiskChange, risk, risk_case};
pub use service::{ServiceChange, service, service_case};
pub use transfer::{Transfer, transfer, transfer_case, transfer_office};

use cm_base::calendar::Calendar;
use cm_base::error::{Error, Result};
use cm_base::files::{Mode, atomic_write, confine};
use cm_base::names::Names;
use cm_base::patch::{self, Change};
use cm_base::text::printable;
use cm_case::workspace::Workspace;
use cm_case::{
    ClosureReason, DeclineReason, GoalStatus, LoadedCase, Phase, Relation, Risk, ServiceStatus, Sex,
};

use crate::check::{Ctx, Diagnostic, Finding, Schema, Severity, check_case};
use crate::register::Noting;

/// Why a workflow command cannot do what it was asked, before any case is changed.
#[derive(Debug, thiserror::Error)]
pub enum Cannot {
    #[error(
        "{id} is closed; a returning client's case is reopened with `cm reopen {id} --reason TEXT`"
    )]
    Reopen { id: String },
    #[error("{id} is in `{phase}`; only a closed case is reopened")]
    NotClosed { id: String, phase: Phase },
    /// The dates as messages give them, in the user's calendar.
    #[error(
        "the reopening ({date}) would come before the closure ({closed}); a case is reopened on \
         or after the day it was closed"
    )]
    ReopenBeforeClosure { date: String, closed: String },
    #[error("{id} is already in `{phase}`")]
    AlreadyIn { id: String, phase: Phase },
    #[error("{id} cannot go back from `{from}` to `{to}`: phases only move forward")]
    GoBack { id: String, from: Phase, to: Phase },
    #[error("closing a case needs --reason (one of {})", ClosureReason::spellings().join(", "))]
    CloseWithoutReason,
    #[error("--reason is given only when closing a case (--to closed)")]
    ReasonWithoutClosing,
    /// The case names no caseworker to default `--by` to; the text says who does what.
    #[error("the case names no caseworker; say who {0} with --by")]
    NoCaseworker(&'static str),
    #[error("the closure has a note already; leave out --note or edit the file")]
    ClosureNote,
    #[error(
        "id_prefix `{}` in cm.toml must be capital letters and digits, such as THR",
        printable(.0)
    )]
    IdPrefix(String),
    #[error(
        "{id} is in {phase}; scores after the assessment belong to a review (cm review --score)"
    )]
    AssessLate { id: String, phase: Phase },
    #[error(
        "{id} has an assessment already; edit it in the case file, or record new scores with cm review --score"
    )]
    AssessedAlready { id: String },
    #[error("an assessment needs at least one --score DOMAIN=N")]
    AssessWithoutScores,
    #[error("{id} is closed; a closed case has no more reviews")]
    ReviewClosed { id: String },
    #[error("{id} is in `{phase}`; reviews are held once the case has a plan (from `planning` on)")]
    ReviewBeforePlan { id: String, phase: Phase },
    /// The dates as messages give them, in the user's calendar ([`Ctx::date`]).
    #[error("--next ({next}) must come after the review date ({date})")]
    NextBeforeReview { next: String, date: String },
    #[error("{what} `{name}` is given twice")]
    GivenTwice { what: &'static str, name: String },
    #[error("{id} is closed; a closed case takes no more referrals")]
    ReferClosed { id: String },
    #[error("{id} is closed; the services of a closed case are not updated any more")]
    ServiceClosed { id: String },
    #[error("{id} is closed; a closed case is not transferred")]
    TransferClosed { id: String },
    #[error("{id} is already with `{caseworker}`")]
    AlreadyHolds { id: String, caseworker: String },
    #[error(
        "{office} is this office (id_prefix {office}); --office names another office's workspace"
    )]
    SameOffice { office: String },
    #[error(
        "{office} holds {id} already ({display}); a case that comes back to an office is \
         reopened there, not transferred"
    )]
    OfficeHolds {
        id: String,
        office: String,
        display: String,
    },
    #[error("{id} is closed; a closed case takes no more contacts")]
    ContactClosed { id: String },
    #[error(
        "--share-with and --unshare go with --given: a refusal or withdrawal shares with nobody"
    )]
    ShareWithoutConsent,
    /// The dates as messages give them, in the user's calendar.
    #[error(
        "the decision ({date}) would come before the last decision about consent ({last}); decisions are recorded in order"
    )]
    DecisionBefore { date: String, last: String },
    #[error(
        "the consent of {id} in force does not share with `{}`; nothing to unshare",
        printable(org)
    )]
    NotShared { id: String, org: String },
    #[error("{id} has no consent in force to withdraw; --refused records a refusal")]
    NothingToWithdraw { id: String },
    #[error("{id} is closed; the risk of a closed case is not changed")]
    RiskClosed { id: String },
    /// The dates as messages give them, in the user's calendar.
    #[error(
        "the decision ({date}) would come before the latest decision about the risk ({latest}); the risk is always that of the latest"
    )]
    RiskBefore { date: String, latest: String },
    #[error("the risk of {id} is `{risk}` already")]
    RiskAlready { id: String, risk: Risk },
    /// A service id the case does not have, with the nearest it has and all it has.
    #[error(
        "{id} has no service `{}`\n  help: {}",
        printable(service),
        match (nearest, known.is_empty()) {
            (Some(s), _) => format!("did you mean `{s}`?"),
            (None, true) => "it has no services yet; `cm refer` adds one".to_string(),
            (None, false) => format!("its services are {}", known.join(", ")),
        }
    )]
    NoService {
        id: String,
        service: String,
        nearest: Option<String>,
        known: Vec<String>,
    },
    /// A move of a service's status that [`ServiceStatus::moves`] does not allow.
    #[error(
        "cannot move {service} from {from} to {to}; {}",
        match from.moves() {
            [] => format!("{from} is final: the service has ended"),
            moves => format!("from {from} a service may go to {}", either(moves)),
        }
    )]
    ServiceMove {
        service: String,
        from: ServiceStatus,
        to: ServiceStatus,
    },
    #[error("declining a service needs --reason (one of {})", DeclineReason::spellings().join(", "))]
    DeclineWithoutReason,
    #[error("--reason is given only when a service is declined (--status declined)")]
    ReasonWithoutDecline,
    /// A service whose status is past `referred` with no update saying when it got there: the
    /// format before updates, which `cm migrate` brings up to date.
    #[error(
        "{service} is {status} but has no update that records it; run `cm migrate` to record \
         its updates, then this command again"
    )]
    Unrecorded {
        service: String,
        status: ServiceStatus,
    },
    #[error("{id} is closed; the plan of a closed case is not changed")]
    GoalClosed { id: String },
    #[error(
        "{id} is in `intake`; a plan follows the assessment: add goals once the case is in \
         `assessment` (cm advance)"
    )]
    GoalInIntake { id: String },
    /// A domain the agency does not list in cm.toml.
    #[error(
        "--domain {}: not one of the agency's assessment domains\n  help: {}",
        printable(domain),
        match nearest {
            Some(d) => format!("did you mean `{d}`?"),
            None => format!("cm.toml lists {}", known.join(", ")),
        }
    )]
    UnknownDomain {
        domain: String,
        nearest: Option<String>,
        known: Vec<String>,
    },
    /// A goal id the plan does not have, with the nearest it has and all it has.
    #[error(
        "{id} has no goal `{}`\n  help: {}",
        printable(goal),
        match (nearest, known.is_empty()) {
            (Some(g), _) => format!("did you mean `{g}`?"),
            (None, true) => format!("it has no goals yet; `cm goal {id} add` adds one"),
            (None, false) => format!("its goals are {}", known.join(", ")),
        }
    )]
    NoGoal {
        id: String,
        goal: String,
        nearest: Option<String>,
        known: Vec<String>,
    },
    #[error("{goal} is {status} already")]
    GoalAlready { goal: String, status: GoalStatus },
    /// A goal that is not active with no update saying when it got there: the format before
    /// goals had updates, which `cm migrate` brings up to date.
    #[error(
        "{goal} is {status} but has no update that records it; run `cm migrate` to record it, \
         then this command again"
    )]
    GoalUnrecorded { goal: String, status: GoalStatus },
    /// The dates as messages give them, in the user's calendar ([`Ctx::date`]).
    #[error("--date ({date}) is before {since} ({day}); a goal's updates are kept in date order")]
    GoalDateBefore {
        date: String,
        since: String,
        day: String,
    },
    #[error("a case is not linked to itself")]
    LinkSelf,
    #[error(
        "{id} links {other} as `{relation}` already; correct the link in the file, or remove it \
         and link again"
    )]
    LinkedAs {
        id: String,
        other: String,
        relation: Relation,
    },
    #[error("the client of {other} is recorded as {sex}, so is not a {relation}")]
    LinkSex {
        other: String,
        relation: Relation,
        sex: Sex,
    },
    #[error("{id} and {other} are linked already, as `{relation}` and `{back}`")]
    LinkedAlready {
        id: String,
        other: String,
        relation: Relation,
        back: Relation,
    },
    /// A `child` link written from the side of a client whose sex is not female or male.
    #[error(
        "the client of {id} is not recorded as female or male, so the mirror of `child` (mother \
         or father) is not known\n  help: link the other way: `cm link {other} {id} --relation \
         mother` (or father)"
    )]
    LinkMirror { id: String, other: String },
    #[error(
        "{id} is of the household {one} and {other} of {another}; --same-household joins one \
         household only\n  help: correct `household` in one of the two files first"
    )]
    Households {
        id: String,
        one: String,
        other: String,
        another: String,
    },
}

/// The index of the item with the id `wanted` among items whose ids are `ids` (`""` for an item
/// without one); when none has it, the id among those written that the user most likely meant,
/// and all of them, for the error that says so.
fn find_item(
    ids: &[&str],
    wanted: &str,
) -> std::result::Result<usize, (Option<String>, Vec<String>)> {
    if let Some(index) = ids.iter().position(|i| *i == wanted) {
        return Ok(index);
    }
    let known: Vec<&str> = ids.iter().copied().filter(|i| !i.is_empty()).collect();
    let nearest = nearest_id(wanted, &known).map(String::from);
    Err((nearest, known.into_iter().map(String::from).collect()))
}

/// One more than the highest `N` of the ids written `<letter>N` (in either capital) of the
/// mappings listed in `items` (`services`, a plan's `goals`), or 1.
fn next_number(items: Option<&Json>, letter: char) -> u64 {
    items
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("id")?.as_str())
        .filter_map(|id| {
            let digits =
                id.strip_prefix([letter.to_ascii_uppercase(), letter.to_ascii_lowercase()])?;
            // At most nine digits, so that one more cannot overflow.
            let number =
                (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
            number.then(|| digits.parse::<u64>().ok()).flatten()
        })
        .max()
        .unwrap_or(0)
        + 1
}

/// The id among `known` that the user most likely meant by `typed`: the same id in other
/// capitals (`s4`), the same number (`4`), else the one spelt most like it.
fn nearest_id<'a>(typed: &str, known: &[&'a str]) -> Option<&'a str> {
    let number = |s: &str| {
        s.trim_start_matches(|c: char| c.is_alphabetic())
            .parse::<u64>()
            .ok()
    };
    known
        .iter()
        .find(|s| s.eq_ignore_ascii_case(typed))
        .or_else(|| {
            let typed = number(typed)?;
            known.iter().find(|s| number(s) == Some(typed))
        })
        .copied()
        .or_else(|| cm_base::text::suggest(typed, known.iter().copied()))
}

/// `a`, `a or b`, `a, b or c`.
fn either(names: &[ServiceStatus]) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(|s| s.as_str()).collect();
            format!("{} or {last}", rest.join(", "))
        }
    }
}

/// What a workflow command needs besides its own arguments.
pub struct Desk {
    pub ws: Workspace,
    pub schema: Schema,
    /// Today, for the rule that no event lies in the future.
    pub today: NaiveDate,
    /// The calendar the user reads dates in, for the dates of the reasons of a refusal.
    pub calendar: Calendar,
}

impl Desk {
    /// The desk of `ws`: its schema, the day it is, and the user's calendar.
    pub fn open(ws: Workspace, today: NaiveDate, calendar: Calendar) -> Result<Desk> {
        let schema = Schema::for_workspace(&ws)?;
        Ok(Desk {
            ws,
            schema,
            today,
            calendar,
        })
    }

    pub(crate) fn ctx(&self) -> Ctx<'_> {
        Ctx {
            settings: &self.ws.settings,
            today: self.today,
            calendar: self.calendar,
        }
    }
}

/// A change that passed the gate, ready to be shown or written.
#[derive(Debug)]
pub struct Proposal {
    /// The root of the workspace: the write never leads out of it.
    pub root: PathBuf,
    pub path: PathBuf,
    /// The path as shown to the user (relative to the workspace root).
    pub display: String,
    /// The file as it is, or `None` for a new case.
    pub before: Option<String>,
    pub after: String,
    /// One line saying what changes, e.g. `THR-2026-0004: monitoring → closed`.
    pub summary: String,
    /// Warnings about the case that the change brings (they do not stop it).
    pub warnings: Vec<Diagnostic>,
}

impl Proposal {
    /// The change as a unified diff, as git shows it. A line that ends in a lone carriage
    /// return ends in a line feed in the diff: a terminal or a pager would draw the next line
    /// over it.
    pub fn diff(&self) -> String {
        let old = match self.before {
            Some(_) => format!("a/{}", self.display),
            None => "/dev/null".to_string(),
        };
        let diff = similar::TextDiff::from_lines(self.before.as_deref().unwrap_or(""), &self.after)
            .unified_diff()
            .header(&old, &format!("b/{}", self.display))
            .to_string();
        diff.split("\r\n")
            .map(|part| part.replace('\r', "\n"))
            .collect::<Vec<_>>()
            .join("\r\n")
    }

    /// Writes the change atomically.
    pub fn write(&self) -> Result<()> {
        self.write_with(|_| Ok(()))
    }

    /// As [`Proposal::write`], calling `before_rename` once the new text is in a temporary file
    /// beside the case (see [`atomic_write`]).
    pub fn write_with(
        &self,
        before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<()> {
        let contents = self.after.as_bytes();
        confine(&self.root, &self.path)?;
        let Some(before) = &self.before else {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            return atomic_write(&self.path, contents, Mode::Create, before_rename);
        };
        atomic_write(&self.path, contents, Mode::Replace, |tmp| {
            // Someone may have saved the file since `cm` read it: never overwrite their work.
            if cm_case::read_bounded(&self.path)? != before.as_bytes() {
                return Err(std::io::Error::other(
                    "the file changed while cm was working on it; nothing was written",
                ));
            }
            before_rename(tmp)
        })
    }
}

impl Proposal {
    /// Puts the file back as it was before the proposal was written: the old text, or no file
    /// for a new case.
    fn undo(&self) -> Result<()> {
        match &self.before {
            Some(before) => atomic_write(&self.path, before.as_bytes(), Mode::Replace, |_| Ok(())),
            None => std::fs::remove_file(&self.path).map_err(|e| Error::io(&self.path, e)),
        }
    }
}

/// Writes the new cases `proposals`, all or none (see [`cm_base::files::create_all`]: written
/// beside their places, made durable at once, then put in place; if one cannot be, because a
/// file is there by then, those put in place are removed). For many files, where
/// [`write_together`] would nest a write in a write for each and wait for the disk twice a
/// file.
pub fn write_new(proposals: &[&Proposal]) -> Result<()> {
    let mut files = Vec::with_capacity(proposals.len());
    for proposal in proposals {
        confine(&proposal.root, &proposal.path)?;
        debug_assert!(proposal.before.is_none(), "write_new writes new cases only");
        files.push((proposal.path.as_path(), proposal.after.as_bytes()));
    }
    let noting = noting(proposals.iter().copied());
    let written = cm_base::files::create_all(&files);
    noting.after();
    written
}

/// The folders the writing of `proposals` changes, to be noted in the register's log.
fn noting<'a>(proposals: impl Iterator<Item = &'a Proposal>) -> Noting {
    Noting::before(proposals.map(|p| (p.root.as_path(), p.path.as_path(), p.display.as_str())))
}

/// Writes every one of `proposals`, or none: each is written atomically, the last first, and a
/// file is put in place only once all those after it are; if one fails, those written already
/// are put back as they were. (A crash in the middle, between two renames, can still leave some
/// written: git shows which.)
pub fn write_together(proposals: &[Proposal]) -> Result<()> {
    let noting = noting(proposals.iter());
    let written = write_together_with(proposals, &|_| Ok(()));
    noting.after();
    written
}

/// [`write_together`], calling `before_rename` with each proposal just before its file is put
/// in place (the tests fail a write there).
fn write_together_with(
    proposals: &[Proposal],
    before_rename: &dyn Fn(&Proposal) -> std::io::Result<()>,
) -> Result<()> {
    let Some((first, rest)) = proposals.split_first() else {
        return Ok(());
    };
    let failed = std::cell::Cell::new(None);
    let rest_written = std::cell::Cell::new(false);
    let result = first.write_with(|_| {
        if let Err(e) = write_together_with(rest, before_rename) {
            let message = e.to_string();
            failed.set(Some(e));
            return Err(std::io::Error::other(message));
        }
        rest_written.set(true);
        before_rename(first)
    });
    let Err(e) = result else {
        return Ok(());
    };
    if rest_written.get() {
        for written in rest {
            written.undo()?;
        }
    }
    Err(failed.into_inner().unwrap_or(e))
}

/// Makes `changes` to the case found at `path`, and puts the result through the gate. `what`
/// names the step for a refusal: `cannot enter planning`.
fn propose(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    changes: &[Change],
    what: &str,
    summary: String,
) -> Result<Proposal> {
    let cannot = |e: patch::EditError| Error::Edit {
        path: case.display.clone(),
        message: e.0,
    };
    let mut expected = case.json.clone();
    patch::apply_json(&mut expected, changes).map_err(cannot)?;
    // The parser saw the text without its byte-order mark; the mark stays.
    let bom = if case.source.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let text = patch::apply_text(
        &case.source[bom.len()..],
        case.tree(),
        changes,
        &cm_case::keys::rank,
    )
    .map_err(cannot)?;
    let after = reparse(format!("{bom}{text}"), &case.display, &expected)?;
    let warnings = gate(desk, Some(&case), &after, what)?;
    Ok(Proposal {
        root: desk.ws.root.clone(),
        path,
        display: case.display,
        before: Some(case.source),
        after: after.source,
        summary,
        warnings,
    })
}

/// Parses the new text and checks that it is the intended document. A mismatch would be a bug
/// in the editor; it stops the command before anything is written.
fn reparse(text: String, display: &str, expected: &Json) -> Result<LoadedCase> {
    let bug = |detail: String| Error::Edit {
        path: display.to_string(),
        message: format!(
            "the edit did not come out as intended ({detail}); this is a bug in cm, please report it"
        ),
    };
    let after = cm_case::parse(text, display).map_err(|d| bug(d.message))?;
    if after.json != *expected {
        return Err(bug("the new text reads differently".to_string()));
    }
    Ok(after)
}

/// The gate: the case after the change must pass the schema and the rules of one case. Every
/// error is a reason of the refusal, placed in the file as it is: one the file has already is
/// said to be so; one the change would bring is at its place in the file, or at the nearest
/// place the file has for it (a new history entry is at `history`); the same error in several
/// places is told once. Returns the warnings the
/// change brings, placed in the new text (which they are about, once written).
fn gate(
    desk: &Desk,
    before: Option<&LoadedCase>,
    after: &LoadedCase,
    what: &str,
) -> Result<Vec<Diagnostic>> {
    let ctx = desk.ctx();
    let new = check_case(after, &desk.schema, &ctx);
    // The file as it was is checked only when the result has something to say.
    let old: Vec<Diagnostic> = match before {
        Some(case) if !new.is_empty() => check_case(case, &desk.schema, &ctx)
            .into_iter()
            .map(|f| f.in_file(case))
            .collect(),
        _ => Vec::new(),
    };
    // The old file's diagnostics hold their messages escaped, as every diagnostic does.
    let is_old = |code, message: &str| {
        let message = printable(message);
        old.iter().find(|o| o.code == code && o.message == message)
    };
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) =
        new.into_iter().partition(|f| f.severity == Severity::Error);
    if errors.is_empty() {
        return Ok(warnings
            .into_iter()
            .filter(|w| is_old(w.code, &w.message).is_none())
            .map(|w| w.in_file(after))
            .collect());
    }
    // One value typed once and written in two places (`--caseworker` is the caseworker and
    // the first history entry's `by`) is one reason, told at its first place.
    let mut told = std::collections::HashSet::new();
    let reasons = errors
        .into_iter()
        .filter(|f| told.insert((f.code, f.message.clone())))
        .map(|f| match is_old(f.code, &f.message) {
            Some(o) => {
                let mut d = o.clone();
                d.message.push_str(" (the file has this error already)");
                d
            }
            None => f.in_file(before.unwrap_or(after)),
        })
        .collect();
    Err(Error::Refused {
        what: what.to_string(),
        reasons,
    })
}

/// Builds a JSON mapping from `(key, value)` pairs, leaving out the `None`s.
fn mapping<const N: usize>(pairs: [(&str, Option<Json>); N]) -> serde_json::Map<String, Json> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the edits workspace of the integration tests, and its desk.
    fn desk() -> (tempfile::TempDir, Desk) {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/edits");
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases/2026");
        std::fs::create_dir_all(&cases).unwrap();
        std::fs::copy(fixture.join("cm.toml"), tmp.path().join("cm.toml")).unwrap();
        for entry in std::fs::read_dir(fixture.join("cases/2026")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), cases.join(entry.file_name())).unwrap();
        }
        let ws = Workspace::open(tmp.path().to_path_buf()).unwrap();
        let desk = Desk::open(
            ws,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            Calendar::Gregorian,
        )
        .unwrap();
        (tmp, desk)
    }

    /// [`desk`], and an advance prepared on it.
    fn prepared() -> (tempfile::TempDir, Proposal) {
        let (tmp, desk) = desk();
        let request = Advance {
            id: "EDT-2026-0001".to_string(),
            to: None,
            date: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            by: None,
            approved_by: None,
            reason: None,
            note: None,
            to_office: None,
        };
        let proposal = advance(&desk, &request).unwrap();
        (tmp, proposal)
    }

    /// A link between a mother's and her son's cases, and the two files before it.
    fn linking() -> (tempfile::TempDir, Vec<Proposal>, Vec<String>) {
        let (tmp, desk) = desk();
        let request = Linking {
            id: "EDT-2026-0001".to_string(),
            other: "EDT-2026-0003".to_string(),
            relation: Relation::Child,
            same_household: true,
        };
        let proposals = link(&desk, &request, &|_| Ok(false)).unwrap();
        assert_eq!(proposals.len(), 2);
        let before = proposals
            .iter()
            .map(|p| std::fs::read_to_string(&p.path).unwrap())
            .collect();
        (tmp, proposals, before)
    }

    fn texts(proposals: &[Proposal]) -> Vec<String> {
        proposals
            .iter()
            .map(|p| std::fs::read_to_string(&p.path).unwrap())
            .collect()
    }

    /// An import cut short by a file that cannot be written (one that appeared meanwhile):
    /// the new cases written before it are removed, and no temporary file is left.
    #[test]
    fn new_cases_are_written_all_or_none() {
        let (tmp, desk) = desk();
        let proposals: Vec<Proposal> = (0..3)
            .map(|n| {
                let req = NewCase {
                    program: cm_case::Program::General,
                    name: format!("Client {n}"),
                    sex: cm_case::Sex::Female,
                    caseworker: "s.ahmadi".to_string(),
                    risk: Risk::Medium,
                    date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                    note: None,
                    birth_date: None,
                    birth_year: None,
                    national_id: None,
                    phone: None,
                    address: None,
                    household_size: None,
                    guardian: None,
                    household: None,
                    not_duplicate_of: Vec::new(),
                    consent: None,
                    assessment: None,
                };
                let id = format!("EDT-2026-{:04}", 101 + n);
                new_case_as(&desk, &req, &id, &Vec::new()).unwrap()
            })
            .collect();
        let folder = tmp.path().join("cases/2026");
        let before = names(&folder);
        std::fs::write(&proposals[2].path, "someone else's\n").unwrap();
        let all: Vec<&Proposal> = proposals.iter().collect();
        let err = write_new(&all).unwrap_err();
        assert!(err.to_string().contains("EDT-2026-0103"), "{err}");
        let mut expected = before.clone();
        expected.push("EDT-2026-0103.yaml".to_string());
        expected.sort();
        assert_eq!(names(&folder), expected);
        assert_eq!(
            std::fs::read_to_string(&proposals[2].path).unwrap(),
            "someone else's\n"
        );
        // With the way clear, all are written.
        std::fs::remove_file(&proposals[2].path).unwrap();
        write_new(&all).unwrap();
        assert_eq!(names(&folder).len(), before.len() + 3);
    }

    #[test]
    fn two_files_are_written_together() {
        let (_tmp, proposals, _) = linking();
        write_together(&proposals).unwrap();
        let texts = texts(&proposals);
        assert!(texts[0].contains("  - {case: EDT-2026-0003, relation: child}\n"));
        assert!(texts[1].contains("  - {case: EDT-2026-0001, relation: mother}\n"));
        assert!(
            texts
                .iter()
                .all(|t| t.contains("household: HH-EDT-2026-0001\n"))
        );
    }

    /// A write that fails at either file — before the second is in place, or after it is and
    /// before the first is — leaves both files as they were, and no temporary file.
    #[test]
    fn two_files_are_written_together_or_not_at_all() {
        for failing in ["EDT-2026-0001", "EDT-2026-0003"] {
            let (tmp, proposals, before) = linking();
            let folder = names(&tmp.path().join("cases/2026"));
            let err = write_together_with(&proposals, &|p| {
                if p.display.contains(failing) {
                    Err(std::io::Error::other("injected failure"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
            assert!(err.to_string().contains("injected failure"), "{err}");
            assert_eq!(texts(&proposals), before, "failing at {failing}");
            assert_eq!(names(&tmp.path().join("cases/2026")), folder);
        }
    }

    /// Someone saved the second file since it was read: neither is written.
    #[test]
    fn a_file_changed_meanwhile_stops_both() {
        let (_tmp, proposals, before) = linking();
        let edited = format!("{}# a comment saved meanwhile\n", before[1]);
        std::fs::write(&proposals[1].path, &edited).unwrap();
        let err = write_together(&proposals).unwrap_err();
        assert!(
            err.to_string().contains("changed while cm was working"),
            "{err}"
        );
        assert_eq!(texts(&proposals), [before[0].clone(), edited]);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_failing_mid_way_leaves_the_case_intact() {
        let (tmp, proposal) = prepared();
        let dir = tmp.path().join("cases/2026");
        let before = std::fs::read(&proposal.path).unwrap();
        let listing = names(&dir);
        let err = proposal
            .write_with(|tmp_file| {
                // The new text is complete in the temporary file when the failure strikes.
                assert_eq!(std::fs::read_to_string(tmp_file).unwrap(), proposal.after);
                Err(std::io::Error::other("disk full (injected)"))
            })
            .unwrap_err();
        assert!(err.to_string().contains("disk full (injected)"), "{err}");
        assert_eq!(std::fs::read(&proposal.path).unwrap(), before);
        assert_eq!(names(&dir), listing, "a temporary file was left behind");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let (_tmp, proposal) = prepared();
        let theirs = format!(
            "{}# saved by someone else\n",
            proposal.before.as_ref().unwrap()
        );
        std::fs::write(&proposal.path, &theirs).unwrap();
        let err = proposal.write().unwrap_err();
        assert!(err.to_string().contains("the file changed"), "{err}");
        assert_eq!(std::fs::read_to_string(&proposal.path).unwrap(), theirs);
    }

    #[test]
    fn a_written_change_is_the_proposed_text() {
        let (_tmp, proposal) = prepared();
        proposal.write().unwrap();
        assert_eq!(
            std::fs::read_to_string(&proposal.path).unwrap(),
            proposal.after
        );
    }

    /// Every sample case takes every kind of edit: each is made, or refused for what the case
    /// lacks, but the editor never fails on the way a file is written.
    #[test]
    fn the_editor_copes_with_every_sample_case() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-cases");
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let desk = Desk::open(
            Workspace::open(root.clone()).unwrap(),
            day,
            Calendar::Gregorian,
        )
        .unwrap();
        let files = desk.ws.case_files(&[], &root).unwrap();
        let mut made = 0;
        for file in &files {
            let id = file.file_stem().unwrap().to_str().unwrap().to_string();
            let moves = [None, Some(cm_case::Phase::Closed)];
            let mut results: Vec<Result<Proposal>> = moves
                .iter()
                .map(|to| {
                    let request = Advance {
                        id: id.clone(),
                        to: *to,
                        date: day,
                        by: None,
                        approved_by: Some("m.karimi".to_string()),
                        reason: to.map(|_| cm_case::ClosureReason::Moved),
                        note: Some("یادداشت: \"quoted\" # not a comment".to_string()),
                        to_office: None,
                    };
                    advance(&desk, &request)
                })
                .collect();
            results.push(refer(
                &desk,
                &Referral {
                    id: id.clone(),
                    kind: "legal-aid".to_string(),
                    provider: "Bar association: \"free\" clinic # 2".to_string(),
                    goal: Some("G1".to_string()),
                    date: day,
                    cost: Some(1000),
                    by: None,
                    note: Some("line one\nline two".to_string()),
                },
            ));
            for service in ["S1", "S2", "S3"] {
                for status in [ServiceStatus::Accepted, ServiceStatus::Declined] {
                    results.push(super::service(
                        &desk,
                        &ServiceChange {
                            id: id.clone(),
                            service: service.to_string(),
                            status,
                            reason: (status == ServiceStatus::Declined)
                                .then_some(DeclineReason::NoCapacity),
                            date: day,
                            cost: Some(5),
                            by: None,
                            note: Some("یادداشت: {not: a mapping}".to_string()),
                        },
                    ));
                }
            }
            results.push(review(
                &desk,
                &Review {
                    id: id.clone(),
                    date: day,
                    by: None,
                    scores: vec![("income".to_string(), 3)],
                    goals: Vec::new(),
                    risk: Some(cm_case::Risk::Low),
                    next_due: None,
                    note: Some("line one\nline two".to_string()),
                },
            ));
            results.push(goal_add(
                &desk,
                &NewGoal {
                    id: id.clone(),
                    domain: "income".to_string(),
                    text: "یک هدف: \"quoted\" # not a comment".to_string(),
                    target: Some(day),
                    weight: Some(1.5),
                    date: day,
                },
            ));
            for status in [GoalStatus::Achieved, GoalStatus::Active] {
                results.push(goal(
                    &desk,
                    &GoalChange {
                        id: id.clone(),
                        goal: "G1".to_string(),
                        status,
                        reason: Some("line one\nline two".to_string()),
                        note: Some("یادداشت: {not: a mapping}".to_string()),
                        date: day,
                        by: None,
                    },
                ));
            }
            results.push(reopen(
                &desk,
                &Reopening {
                    id: id.clone(),
                    reason: "دوباره آمد: \"quoted\" # not a comment\nline two".to_string(),
                    risk: Some(cm_case::Risk::High),
                    date: day,
                    by: None,
                },
            ));
            let loaded = cm_case::load(file, &id).unwrap();
            if let Some(migrated) = migrate_case(&desk, file, loaded).transpose() {
                results.push(migrated);
            }
            for result in results {
                match result {
                    Ok(_) => made += 1,
                    Err(Error::Refused { .. } | Error::Request(_)) => {}
                    Err(e) => panic!("{id}: {e}"),
                }
            }
        }
        assert!(made > files.len(), "only {made} edits were made");
    }
}
