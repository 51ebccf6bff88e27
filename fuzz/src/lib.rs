//! What the fuzz targets check, as plain functions. The targets in `fuzz_targets/` call them on
//! the inputs libFuzzer makes; `cargo test` calls them on the seed corpus and on every input that
//! once broke `cm` (`fuzz/regressions/`), so the properties are kept on stable Rust too.
//!
//! - [`load_and_check`]: any bytes, read as a case file, give a case or one diagnostic at a real
//!   place; a case goes through the schema, the rules, the listings and the cache without a panic;
//!   and the fast reader of the common form of a case file, when it reads the text, reads it as
//!   the full YAML parser does ([`same_tree`]).
//! - [`edit`]: a case file and a review or advance decided by the input either give a refusal
//!   with a reason (never "a bug in cm") or a case that passes the gate, whose every other byte —
//!   comments, layout, line endings — is unchanged.
//! - [`text`]: any `cm.toml` text and any date typed on the command line give a value or an
//!   error, never a panic; Solar Hijri dates convert both ways.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use cm_base::calendar::{self, Calendar};
use cm_base::path::Step;
use cm_base::yaml::{self, Node, Place, Value};
use cm_case::{self as case, Case, ClosureReason, LoadedCase, Phase, Risk, Settings, Workspace};
use cm_ops::check::{Ctx, Schema, Severity, check_case};
use cm_ops::report::outcomes::{self, Period};
use cm_ops::workflow::{Advance, Desk, Proposal, Review, advance_case, review_case};
use cm_ops::{diff, monitor};

/// The settings of the sample workspace: a roster, approvals and a list of domains, so that the
/// rules that read them run too.
const SETTINGS: &str = include_str!("../../sample-cases/cm.toml");

/// The day the fuzzed commands run on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

/// The desk every input is checked at: the sample settings and the built-in schema. Its folder
/// does not exist: nothing here reads or writes a file.
pub fn desk() -> &'static Desk {
    static DESK: OnceLock<Desk> = OnceLock::new();
    DESK.get_or_init(|| {
        let settings = Settings::parse(SETTINGS, Path::new("cm.toml")).expect("sample cm.toml");
        Desk {
            ws: Workspace {
                root: PathBuf::from("/nonexistent/cm-fuzz"),
                settings,
            },
            schema: Schema::builtin().expect("built-in schema"),
            today: today(),
            calendar: Calendar::Gregorian,
        }
    })
}

const DISPLAY: &str = "cases/2026/CM-2026-0001.yaml";

/// Where a case with `id` lives, so that the file-name rule holds for a well-formed case.
fn display(id: Option<&str>) -> String {
    match id {
        Some(id) if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            format!("cases/2026/{id}.yaml")
        }
        _ => DISPLAY.to_string(),
    }
}

/// The fast reader of a case file's common form ([`yaml::common::parse`]) reads `text` exactly
/// as the full parser does — every value, key, style and span — or leaves it to it; read for
/// its JSON value ([`yaml::common::parse_json`]), it gives the full tree's, and its marks place
/// every node, every missing one and every key where the tree does. Returns whether it read it.
pub fn same_tree(text: &str) -> bool {
    let fast_json = yaml::common::parse_json(text);
    let Some(fast) = yaml::common::parse(text) else {
        assert!(fast_json.is_none(), "read for its JSON only");
        return false;
    };
    let full = match yaml::parse_general(text) {
        Ok(full) => full,
        Err(e) => panic!("the fast reader read a text the full parser refuses: {e:?}"),
    };
    assert!(fast == full, "the fast reader differs:\n{fast:?}\n{full:?}");
    let Some((json, marks)) = fast_json else {
        panic!("read for its tree only");
    };
    assert_eq!(json, full.to_json(), "the fast JSON differs");
    let mut paths = Vec::new();
    every_path(&full, &mut Vec::new(), &mut paths);
    for path in paths {
        for place in [Place::At(path.clone()), Place::KeyOf(path)] {
            assert_eq!(
                marks.locate(text, &json, &place),
                place.locate(&full),
                "the marks place {place:?} elsewhere"
            );
        }
    }
    true
}

/// The path of every node of `node` (at `path`) and of a missing one in each collection.
fn every_path(node: &Node, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    let mut below = |step: Step, node: Option<&Node>, out: &mut Vec<Vec<Step>>| {
        path.push(step);
        match node {
            Some(node) => every_path(node, path, out),
            None => {
                out.push(path.clone());
                path.push(Step::from("deeper"));
                out.push(path.clone());
                path.pop();
            }
        }
        path.pop();
    };
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                below(Step::from(&entry.key), Some(&entry.value), out);
            }
            below(Step::from("missing"), None, out);
            below(Step::Index(0), None, out);
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                below(Step::Index(i), Some(item), out);
            }
            below(Step::Index(items.len()), None, out);
            below(Step::from("missing"), None, out);
        }
        _ => below(Step::from("missing"), None, out),
    }
}

/// Reads `data` as a case file; every diagnostic must point at a line and column of the file.
fn read(data: &[u8]) -> Option<LoadedCase> {
    let mut loaded = match case::from_bytes(data.to_vec(), data.len() as u64, DISPLAY) {
        Ok(case) => case,
        Err(d) => {
            assert_eq!(d.path, DISPLAY);
            assert!(d.line >= 1 && d.column >= 1, "diagnostic at {d:?}");
            assert!(d.line <= lines(data), "diagnostic past the end: {d:?}");
            assert!(!d.message.is_empty());
            return None;
        }
    };
    // Named after its id, as a file of the workspace would be.
    loaded.display = display(loaded.case.id.as_deref());
    Some(loaded)
}

/// The number of lines a diagnostic may name: one past the last line break at most. A line
/// ends as YAML ends it: `\n`, `\r\n` or a lone `\r`.
fn lines(data: &[u8]) -> usize {
    let lone_cr = data
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(data.last() == Some(&b'\r'));
    data.iter().filter(|b| **b == b'\n').count() + lone_cr + 1
}

/// Any bytes as a case file: loaded, checked, listed, cached and compared without a panic.
pub fn load_and_check(desk: &Desk, data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        same_tree(text);
    }
    let Some(loaded) = read(data) else { return };
    let ctx = Ctx {
        settings: &desk.ws.settings,
        today: desk.today,
        calendar: desk.calendar,
    };
    for finding in check_case(&loaded, &desk.schema, &ctx) {
        let d = finding.in_file(&loaded);
        assert!(d.line >= 1 && d.column >= 1, "finding at {d:?}");
        assert!(d.line <= lines(data), "finding past the end: {d:?}");
    }
    let case = &loaded.case;
    monitor::items(case, &desk.ws.settings);
    monitor::next_due(case, &desk.ws.settings);
    let period = Period {
        from: None,
        to: desk.today,
    };
    outcomes::row(case, &period);
    let office = cm_ops::report::Office {
        name: "THR".into(),
        settings: None,
    };
    outcomes::keep(
        case,
        &period,
        true,
        &["client.name".to_string()],
        (&office, true),
    );
    // The cache keeps the typed case: what comes back is what went in.
    let encoded = postcard::to_stdvec(case).expect("a case encodes");
    let decoded: Case = postcard::from_bytes(&encoded).expect("an encoded case decodes");
    assert_eq!(format!("{decoded:?}"), format!("{case:?}"));
    let same = diff::describe(&loaded.json, &loaded.json, &[]);
    assert!(
        matches!(same.as_slice(), [diff::Change::Layout]),
        "{same:?}"
    );
    diff::describe(&serde_json::json!({}), &loaded.json, &[]);
}

/// Reads the choices of an [`edit`] input, one byte each; zero when the input has run out.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn next(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        *first
    }

    fn pick<'t, T>(&mut self, options: &'t [T]) -> &'t T {
        &options[usize::from(self.next()) % options.len()]
    }
}

/// How many bytes at the start of an [`edit`] input choose the command and its arguments.
pub const CHOICES: usize = 16;

/// Who a command may name: the sample roster, someone unknown, or nobody (the caseworker).
const PEOPLE: &[Option<&str>] = &[
    None,
    Some("s.ahmadi"),
    Some("r.hosseini"),
    Some("m.karimi"),
    Some("z.rahimi"),
    Some("nobody"),
];
const DOMAINS: &[&str] = &[
    "income",
    "housing",
    "mental_health",
    "family",
    "safety",
    "x",
];
const GOALS: &[&str] = &["G1", "G2", "G3", "G9"];

/// A review or an advance, decided by `data`, on the case file that follows the choices: either
/// refused for a reason the user can act on (a file that loads is never refused as a bug in the
/// editor), or the result passes the gate and keeps every byte the change does not touch.
/// Returns whether the change was accepted.
///
/// An input is [`CHOICES`] bytes choosing the command and its arguments, a byte giving the
/// length of the note, the note, then the case file (`fuzz/seed.sh` makes them). With
/// `CM_FUZZ_DEBUG` set, a refusal is printed: to see why a seed makes no accepted edit.
pub fn edit(desk: &Desk, data: &[u8]) -> bool {
    let Some((choices, rest)) = data.split_at_checked(CHOICES) else {
        return false;
    };
    let Some((&note_len, rest)) = rest.split_first() else {
        return false;
    };
    let Some((note, file)) = rest.split_at_checked(usize::from(note_len)) else {
        return false;
    };
    let note = (!note.is_empty()).then(|| String::from_utf8_lossy(note).into_owned());
    let Some(before) = read(file) else {
        return false;
    };
    let mut c = Choices(choices);
    let id = before
        .case
        .id
        .clone()
        .unwrap_or_else(|| "CM-2026-0001".into());
    // A date around the case's last event: before it, on it, or some days after.
    let history = before.case.history.iter().filter_map(|h| h.date);
    let reviews = before.case.reviews.iter().filter_map(|r| r.date);
    let last = history.chain(reviews).chain(before.case.opened).max();
    let base = last.unwrap_or(desk.today);
    let date = base
        .checked_sub_days(Days::new(4))
        .and_then(|d| d.checked_add_days(Days::new(u64::from(c.next() % 48))))
        .unwrap_or(base);
    let by = c.pick(PEOPLE).map(str::to_string);
    let path = PathBuf::from(&before.display);
    let source = before.source.clone();
    let tree = before.tree().clone();
    let result = if c.next() % 2 == 0 {
        let scores = (0..c.next() % 4)
            .map(|_| (c.pick(DOMAINS).to_string(), i64::from(c.next() % 8)))
            .collect();
        let goals = (0..c.next() % 3)
            .map(|_| (c.pick(GOALS).to_string(), i64::from(c.next() % 6) - 3))
            .collect();
        let risk = *c.pick(&[
            None,
            Some(Risk::Low),
            Some(Risk::High),
            Some(Risk::Critical),
        ]);
        let next_due = match c.next() % 4 {
            0 => None,
            n => date.checked_add_days(Days::new(u64::from(n) * 10)),
        };
        let req = Review {
            id,
            date,
            by,
            scores,
            goals,
            risk,
            next_due,
            note,
        };
        review_case(desk, path, before, &req)
    } else {
        let mut phases = vec![None];
        phases.extend(Phase::ALL.iter().copied().map(Some));
        let mut reasons = vec![None];
        reasons.extend(ClosureReason::ALL.iter().copied().map(Some));
        let req = Advance {
            id,
            to: *c.pick(&phases),
            date,
            by,
            approved_by: c.pick(PEOPLE).map(str::to_string),
            reason: *c.pick(&reasons),
            note,
            to_office: None,
        };
        advance_case(desk, path, before, &req)
    };
    match result {
        Ok(proposal) => {
            check_proposal(desk, &source, &tree, &proposal);
            true
        }
        Err(e) => {
            assert!(!e.to_string().contains("bug in cm"), "{e}");
            if std::env::var_os("CM_FUZZ_DEBUG").is_some() {
                eprintln!("refused: {e}");
            }
            false
        }
    }
}

/// What every accepted edit must be: the new file reads as a case without errors, and only the
/// values it replaces are gone from the old text — comments and every other byte are kept.
fn check_proposal(desk: &Desk, source: &str, tree: &Node, proposal: &Proposal) {
    assert_eq!(proposal.before.as_deref(), Some(source));
    let after = case::parse(proposal.after.clone(), &proposal.display)
        .unwrap_or_else(|d| panic!("the edited file does not parse: {d:?}\n{}", proposal.after));
    let ctx = Ctx {
        settings: &desk.ws.settings,
        today: desk.today,
        calendar: desk.calendar,
    };
    let errors: Vec<_> = check_case(&after, &desk.schema, &ctx)
        .into_iter()
        .map(|f| f.in_file(&after))
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "the gate let errors through: {errors:?}");
    let replaceable: Vec<&Node> = [
        &["risk"][..],
        &["phase"],
        &["reviews"],
        &["history"],
        &["closure"],
        &["closure", "date"],
        &["closure", "reason"],
        &["closure", "note"],
    ]
    .iter()
    .filter_map(|path| node_at(tree, path))
    .collect();
    if let Err(e) = surgical(source, &proposal.after, &replaceable) {
        panic!("{e}:\n{}", proposal.diff());
    }
}

/// Checks that `after`, an edit of `before`, removed no line of it but those of the nodes in
/// `replaced` that an edit may replace (scalars, nulls, empty lists and mappings), and kept
/// every comment in order.
pub fn surgical(before: &str, after: &str, replaced: &[&Node]) -> Result<(), String> {
    let lines: Vec<std::ops::RangeInclusive<usize>> = replaced
        .iter()
        .filter(|node| match &node.value {
            Value::Map(m) => m.is_empty(),
            Value::Seq(s) => s.is_empty(),
            _ => true,
        })
        .map(|node| node.span.start.line..=node.span.end.line)
        .collect();
    let diff = similar::TextDiff::from_lines(before, after);
    for op in diff.ops() {
        let (tag, old, _) = op.as_tag_tuple();
        if matches!(tag, similar::DiffTag::Delete | similar::DiffTag::Replace)
            && let Some(line) = old
                .map(|i| i + 1)
                .find(|l| !lines.iter().any(|r| r.contains(l)))
        {
            return Err(format!(
                "line {line} was changed, which holds no value the edit replaces"
            ));
        }
    }
    let crlf = |text: &str| text.contains("\r\n") && !text.replace("\r\n", "").contains('\n');
    if crlf(before) && !crlf(after) {
        return Err("a line ending in a bare line feed in a file of CRLF lines".to_string());
    }
    let cr = |text: &str| text.contains('\r') && !text.contains('\n');
    if cr(before) && !cr(after) {
        return Err("a line ending in a line feed in a file of CR lines".to_string());
    }
    // Lines end as YAML ends them: `\n`, `\r\n` or a lone `\r`.
    let comments = |text: &str| -> Vec<String> {
        text.split(['\n', '\r'])
            .filter(|l| l.trim_start().starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    let (old, new) = (comments(before), comments(after));
    let mut kept = new.iter();
    if !old.iter().all(|c| kept.any(|n| n == c)) {
        return Err("a comment was lost".to_string());
    }
    Ok(())
}

/// The node at a path of mapping keys.
fn node_at<'a>(tree: &'a Node, path: &[&str]) -> Option<&'a Node> {
    path.iter().try_fold(tree, |node, key| node.get(key))
}

/// Any text as `cm.toml`, and as a date or a month typed on the command line.
pub fn text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(cm_base::Error::Settings { line, col, .. }) =
        Settings::parse(&text, Path::new("cm.toml"))
    {
        assert!(line >= 1 && col >= 1);
    }
    for calendar in [Calendar::Gregorian, Calendar::Persian] {
        if let Ok(date) = calendar::parse(&text, calendar)
            && let Some(j) = calendar::to_jalali(date)
        {
            assert_eq!(calendar::from_jalali(j), Some(date), "{date} → {j:?}");
        }
        if let Ok(month) = calendar::month(&text, calendar) {
            assert!(month.start < month.end && month.contains(month.start));
            assert!(month.contains(month.last_day()) && !month.contains(month.end));
        }
    }
}
