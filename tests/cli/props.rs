//! Property tests: the surgical edit and the calendar conversion, on generated inputs.
//!
//! The edit: any change the workflow can make — a scalar set, a key added, an item appended —
//! with any value (every kind of string YAML must quote, Persian text, line breaks, control
//! characters, keys that look like numbers), made to any sample case — as it is, with its lists
//! written as PyYAML writes them, with lines ending in a lone carriage return, or with its notes
//! written as block scalars that keep their blank lines — gives a text that reads back as
//! exactly the changed document, keeps every comment and line ending, and changes no line but
//! those of the values it replaces (the same check as the `edit` fuzz target's).

use std::path::Path;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use cm_base::calendar::{self, Calendar, Jalali};
use cm_base::patch::{Change, apply_json, apply_text};
use cm_base::path::Step;
use cm_base::yaml::{self, Node};
use proptest::prelude::*;
use serde_json::Value as Json;

use super::fuzz::oracle::surgical;

/// The sample case files, as the edits meet them, each also with its top-level lists written
/// as PyYAML writes them: items not indented under their key (`history:` then `- {…}`); with
/// every line ending in a lone carriage return, as old Mac editors write; and, where it has
/// notes on lines of their own, with those written as block scalars that keep a blank line
/// (`note: |+`). Read once: every generated case edits one of them.
fn samples() -> &'static [String] {
    static SAMPLES: OnceLock<Vec<String>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let files = sample_files();
        let indentless: Vec<String> = files.iter().map(|t| dedent_top_level_lists(t)).collect();
        let cr: Vec<String> = files.iter().map(|t| t.replace('\n', "\r")).collect();
        let blocks: Vec<String> = files
            .iter()
            .map(|t| kept_block_notes(t))
            .filter(|t| !files.contains(t))
            .collect();
        files
            .into_iter()
            .chain(indentless)
            .chain(cr)
            .chain(blocks)
            .collect()
    })
}

/// `text` with each `note: "…"` that stands on a line of its own written as `note: |+`, its
/// text on the next line and a blank line after it, which is the value's.
fn kept_block_notes(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let note = line
            .trim_start()
            .strip_prefix("note: \"")
            .and_then(|rest| rest.strip_suffix('"'))
            .filter(|note| !note.contains(['"', '\\']));
        match note {
            Some(note) => {
                let pad = " ".repeat(indent);
                out.push_str(&format!("{pad}note: |+\n{pad}  {note}\n\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `text` with the lines of each top-level block list moved two columns left.
fn dedent_top_level_lists(text: &str) -> String {
    let mut in_list = false;
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with([' ', '#']) && !line.is_empty() {
            in_list =
                line.ends_with(':') && lines.peek().is_some_and(|next| next.starts_with("  - "));
            out.push_str(line);
        } else if in_list {
            out.push_str(line.strip_prefix("  ").unwrap_or(line));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn sample_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases/cases");
    let mut texts: Vec<String> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    texts.sort();
    texts
}

/// Strings that YAML reads as something else, or cannot hold plain.
const AWKWARD: &[&str] = &[
    "",
    " lead",
    "trail ",
    "a: b",
    "a #b",
    "# not a comment",
    "- x",
    "? x",
    "yes",
    "No",
    "null",
    "~",
    "123",
    "-1.5e3",
    "0x1F",
    "0o17",
    ".inf",
    "2026-01-01",
    "@x",
    "`x",
    "{a}",
    "[a]",
    "'",
    "\"",
    "'q'",
    "\"q\"",
    "a\\b",
    "مریم رضایی",
    "خانوار زن‌سرپرست",
    "a\nb",
    "a\r\nb",
    "\t",
    "\r",
    "\u{feff}x",
    "\u{85}",
    "\u{2028}",
    "\u{0}",
    "\u{7f}",
    "x\u{1b}[31m",
    "%TAG",
    "!tag",
    "&anchor",
    "*alias",
    "|",
    ">",
    "---",
    "...",
    "<<",
    "=",
    "a,b",
    "a]b",
    "a}b",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(AWKWARD).prop_map(str::to_string),
        any::<String>(),
        "[ -~]{0,12}",
    ]
}

fn scalar() -> impl Strategy<Value = Json> {
    prop_oneof![
        3 => string().prop_map(Json::from),
        1 => any::<i64>().prop_map(Json::from),
        1 => any::<bool>().prop_map(Json::from),
        1 => Just(Json::Null),
    ]
}

/// Keys as the workflow writes them: field names, and domain and goal names typed by a user.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(
            &[
                "date",
                "by",
                "note",
                "income",
                "G1",
                "x y",
                "1",
                "true",
                "null",
                "سلامت"
            ][..]
        )
        .prop_map(str::to_string),
        string(),
    ]
}

fn value() -> impl Strategy<Value = Json> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            proptest::collection::vec((key(), inner), 0..4)
                .prop_map(|pairs| Json::Object(pairs.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Json> {
    proptest::collection::vec((key(), value()), 0..5)
        .prop_map(|pairs| Json::Object(pairs.into_iter().collect()))
}

fn path(keys: &[&str]) -> Vec<Step> {
    keys.iter().map(|k| Step::from(k.to_string())).collect()
}

/// The changes the workflow makes, at the places it makes them, and a few more.
fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        scalar().prop_map(|v| Change::Set(path(&["risk"]), v)),
        scalar().prop_map(|v| Change::Set(path(&["phase"]), v)),
        (
            proptest::sample::select(&["phone", "name", "address", "new_field"][..]),
            scalar()
        )
            .prop_map(|(k, v)| Change::Set(path(&["client", k]), v)),
        object().prop_map(|v| Change::Set(path(&["closure"]), v)),
        (key(), value()).prop_map(|(k, v)| Change::Set(vec![Step::from(k)], v)),
        object().prop_map(|v| Change::Push(path(&["reviews"]), v)),
        object().prop_map(|v| Change::Push(path(&["history"]), v)),
        object().prop_map(|v| Change::Push(path(&["services"]), v)),
        value().prop_map(|v| Change::Push(path(&["new_list"]), v)),
    ]
}

/// The nodes the changes name, where they exist: the only ones whose lines may change.
fn named<'a>(tree: &'a Node, changes: &[Change]) -> Vec<&'a Node> {
    changes
        .iter()
        .filter_map(|c| {
            let (node, _, taken) = tree.find(c.path());
            (taken == c.path().len()).then_some(node)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn an_edit_reads_back_as_the_changed_document_and_keeps_the_rest(
        index in 0usize..samples().len(),
        changes in proptest::collection::vec(change(), 1..4),
    ) {
        let text = &samples()[index];
        let tree = yaml::parse(text).unwrap();
        let mut expected = tree.to_json();
        // A change the document cannot take (a list where a mapping is) is refused as a whole.
        prop_assume!(apply_json(&mut expected, &changes).is_ok());
        // The editor may refuse a shape it cannot change surgically (a block mapping replaced
        // whole, say): the command then changes nothing. The changes the workflow makes to the
        // samples are never refused.
        let paths: Vec<&[Step]> = changes.iter().map(Change::path).collect();
        let workflow = paths.iter().enumerate().all(|(i, path)| {
            !paths[..i].contains(path)
                && matches!(path, [Step::Key(k)] if ["risk", "phase", "reviews", "history", "services", "new_list"].contains(&k.as_ref()))
        });
        let edited = match apply_text(text, &tree, &changes, &cm_case::keys::rank) {
            Ok(edited) => edited,
            Err(_) if !workflow => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("refused: {e}"))),
        };
        let back = yaml::parse(&edited)
            .map_err(|e| TestCaseError::fail(format!("{e:?} in:\n{edited}")))?;
        prop_assert_eq!(back.to_json(), expected, "{}", edited);
        if let Err(e) = surgical(text, &edited, &named(&tree, &changes)) {
            let diff = similar::TextDiff::from_lines(text.as_str(), edited.as_str());
            return Err(TestCaseError::fail(format!("{e}:\n{}", diff.unified_diff())));
        }
    }

    #[test]
    fn gregorian_to_solar_hijri_and_back(days in 0i64..200_000) {
        // 1700-01-01 and the 547 years after it.
        let date = NaiveDate::from_ymd_opt(1700, 1, 1).unwrap() + chrono::Days::new(days as u64);
        let j = calendar::to_jalali(date).unwrap();
        prop_assert_eq!(calendar::from_jalali(j), Some(date));
        // What is shown is what can be typed back, in Latin or Persian digits.
        let shown = calendar::display(date, Calendar::Persian);
        prop_assert_eq!(calendar::parse(&shown, Calendar::Persian), Ok(date));
        let persian: String = shown
            .chars()
            .map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x06F0 + d).unwrap()))
            .collect();
        prop_assert_eq!(calendar::parse(&persian, Calendar::Persian), Ok(date));
        prop_assert_eq!(calendar::parse(&date.to_string(), Calendar::Gregorian), Ok(date));
        // The month it is shown in holds it.
        let month = calendar::month(&shown[..shown.len() - 3], Calendar::Persian).unwrap();
        prop_assert!(month.contains(date), "{} not in {:?}", date, month);
    }

    #[test]
    fn solar_hijri_to_gregorian_and_back(year in 1100i32..1600, month in 1u8..=12, day in 1u8..=31) {
        let j = Jalali { year, month, day };
        match calendar::from_jalali(j) {
            Some(date) => prop_assert_eq!(calendar::to_jalali(date), Some(j)),
            // Only the days a month does not have: 31 in the second half, 30 of Esfand in a
            // common year.
            None => prop_assert!(day == 31 && month > 6 || month == 12 && day == 30, "{:?}", j),
        }
        if let Some(date) = calendar::from_jalali(j) {
            prop_assert!(date.year() - year >= 620 && date.year() - year <= 622);
        }
    }
}
