//! The fast reader of a case file's common form reads every case as the full YAML parser does:
//! on every generated case (where it must read them all), every sample, fixture and fuzz seed,
//! and on those texts changed line by line in every way a hand edit might (see also the `load`
//! fuzz target, which holds the same property on any input).

use std::path::Path;

use proptest::prelude::*;

use super::fuzz::oracle::same_tree;

/// Every file of the samples, the fixtures and the load and edit fuzz seeds.
fn texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in [
        "sample-cases",
        "tests/fixtures",
        "fuzz/seeds",
        "fuzz/regressions",
    ] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            let seed = dir.starts_with("fuzz") && entry.file_type().is_file();
            if (seed || path.extension().is_some_and(|e| e == "yaml"))
                && let Ok(text) = std::fs::read_to_string(path)
            {
                texts.push((path.display().to_string(), text));
            }
        }
    }
    texts
}

#[test]
fn every_generated_case_is_read_fast_and_as_the_full_parser_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    super::generate::generate(tmp.path(), 400, 7).unwrap();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(tmp.path().join("cases")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                same_tree(&text),
                "{} is not read fast",
                entry.path().display()
            );
            files += 1;
        }
    }
    assert_eq!(files, 400);
}

#[test]
fn every_sample_fixture_and_seed_is_read_as_the_full_parser_reads_it() {
    let texts = texts();
    let fast = texts.iter().filter(|(_, text)| same_tree(text)).count();
    // Most are in the common form; the rest (block notes, CRLF, errors of every kind) are the
    // full parser's.
    assert!(
        texts.len() > 150 && fast * 2 > texts.len(),
        "{fast} of {}",
        texts.len()
    );
}

/// One change to one line of a text, as a hand edit might make it.
#[derive(Clone, Debug)]
enum Slip {
    Delete,
    Duplicate,
    Indent(usize),
    Dedent,
    Append(&'static str),
    Insert(usize, char),
    JoinNext,
    DropFinalBreak,
}

fn slip() -> impl Strategy<Value = Slip> {
    prop_oneof![
        Just(Slip::Delete),
        Just(Slip::Duplicate),
        (1usize..4).prop_map(Slip::Indent),
        Just(Slip::Dedent),
        prop::sample::select(vec![
            "  # note", "   ", " x", ":", " y: 1", ",", "]", "\"", "'"
        ])
        .prop_map(Slip::Append),
        (
            0usize..40,
            prop::sample::select(
                "[]{}:#-\"', &*!|>?%@`\t\r\\ xé٣\u{85}\u{2028}\u{feff}"
                    .chars()
                    .collect::<Vec<_>>()
            )
        )
            .prop_map(|(at, c)| Slip::Insert(at, c)),
        Just(Slip::JoinNext),
        Just(Slip::DropFinalBreak),
    ]
}

/// `text` with `slip` made to its line `line` (modulo the lines it has).
fn slipped(text: &str, line: usize, slip: &Slip) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let i = line % lines.len();
    match slip {
        Slip::Delete => {
            lines.remove(i);
        }
        Slip::Duplicate => lines.insert(i, lines[i].clone()),
        Slip::Indent(n) => lines[i].insert_str(0, &" ".repeat(*n)),
        Slip::Dedent => {
            if lines[i].starts_with(' ') {
                lines[i].remove(0);
            }
        }
        Slip::Append(s) => {
            let end = lines[i].trim_end_matches('\n').len();
            lines[i].insert_str(end, s);
        }
        Slip::Insert(at, c) => {
            let at = lines[i]
                .char_indices()
                .nth(*at)
                .map_or(lines[i].len(), |(b, _)| b);
            lines[i].insert(at, *c);
        }
        Slip::JoinNext => {
            if lines[i].ends_with('\n') {
                lines[i].pop();
            }
        }
        Slip::DropFinalBreak => {
            if let Some(last) = lines.last_mut()
                && last.ends_with('\n')
            {
                last.pop();
            }
        }
    }
    lines.concat()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn a_case_changed_by_hand_is_read_fast_only_as_the_full_parser_reads_it(
        index in 0usize..64,
        slips in proptest::collection::vec((0usize..200, slip()), 1..4),
    ) {
        static TEXTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
        let texts = TEXTS.get_or_init(texts);
        let mut text = texts[index * 7 % texts.len()].1.clone();
        for (line, slip) in &slips {
            text = slipped(&text, *line, slip);
        }
        same_tree(&text);
    }
}
