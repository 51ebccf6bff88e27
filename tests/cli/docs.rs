//! The user's reference in docs/ is held to what `cm` is: every diagnostic code, every command and
//! option, every key of cm.toml has its entry there; the table of codes follows `Code::ALL`; and
//! the example of each code is its reproducer's exact output.

use std::path::Path;

use cm_base::diagnostic::Code;
use cm_case::settings::known_tables;

use super::{GENERATED, cm, fixtures, stdout};

/// Codes the reference documents ahead of the code that reports them, because they are being
/// added on another branch: each must not yet be in `Code::ALL` (once it is, take it out of
/// this list, and its reproducer's output becomes its example like the others').
const PENDING_CODES: &[&str] = &["date-implausible"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the repository, by its path from the root.
fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The sections of a Markdown text: each heading line (`#`s and all, outside code blocks) with
/// the text up to the next heading of the same or a higher level.
fn sections(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut fenced = false;
    let mut headings = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if is_fence(line) {
            fenced = !fenced;
        } else if !fenced && heading_level(line).is_some() {
            headings.push(i);
        }
    }
    headings
        .iter()
        .map(|&start| {
            let level = heading_level(lines[start]).unwrap_or(1);
            let end = headings
                .iter()
                .copied()
                .find(|&j| j > start && heading_level(lines[j]).is_some_and(|l| l <= level))
                .unwrap_or(lines.len());
            (lines[start].to_string(), lines[start + 1..end].join("\n"))
        })
        .collect()
}

fn is_fence(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("```") || line.starts_with("~~~")
}

/// The level of an ATX heading (`## x` is 2), if `line` is one.
fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes)
}

/// The section whose heading is exactly `heading`.
fn section<'a>(all: &'a [(String, String)], heading: &str) -> Option<&'a str> {
    all.iter()
        .find(|(h, _)| h == heading)
        .map(|(_, body)| body.as_str())
}

/// The codes of the table of docs/diagnostics.md, in its order.
fn codes_in_table(page: &str) -> Vec<String> {
    page.lines()
        .skip_while(|l| !l.starts_with("| code | what it means |"))
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .filter_map(|l| l.split('`').nth(1))
        .map(str::to_string)
        .collect()
}

/// The table of codes in docs/diagnostics.md lists every code of `cm`, in the order of the enum,
/// and no other (but the codes documented ahead of their code).
#[test]
fn the_table_of_codes_is_every_code_in_order() {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for pending in PENDING_CODES {
        assert!(
            !codes.contains(pending),
            "`{pending}` is a code now: take it out of PENDING_CODES in tests/cli/docs.rs"
        );
    }
    let listed = codes_in_table(&read("docs/diagnostics.md"));
    for code in &listed {
        assert!(
            codes.contains(&code.as_str()) || PENDING_CODES.contains(&code.as_str()),
            "docs/diagnostics.md lists `{code}`, which is not a code of cm"
        );
    }
    let listed: Vec<&str> = listed
        .iter()
        .map(String::as_str)
        .filter(|c| !PENDING_CODES.contains(c))
        .collect();
    assert_eq!(listed, codes, "the table of codes in docs/diagnostics.md");
}

/// Each code has its section in docs/diagnostics.md, and the example there is the exact output
/// of its reproducer (for the codes whose reproducer is committed).
#[test]
fn every_code_has_a_section_with_its_reproducers_output() {
    let page = read("docs/diagnostics.md");
    let all = sections(&page);
    for code in Code::ALL.iter().map(|c| c.as_str()) {
        let heading = format!("## `{code}`");
        let body = section(&all, &heading)
            .unwrap_or_else(|| panic!("docs/diagnostics.md has no section `{heading}`"));
        assert!(
            body.contains("**Remedy**"),
            "the section of `{code}` in docs/diagnostics.md says no remedy"
        );
        if GENERATED.contains(&code) {
            continue;
        }
        let expected =
            std::fs::read_to_string(fixtures().join("rules").join(code).join("expected.txt"))
                .unwrap_or_else(|e| panic!("the reproducer of `{code}`: {e}"));
        assert!(
            body.contains(&expected),
            "the example of `{code}` in docs/diagnostics.md is not the output of its reproducer \
             (tests/fixtures/rules/{code}/expected.txt):\n{expected}"
        );
    }
}

/// The names listed under `heading:` in a help text (`Commands:`, `Options:`), up to the next
/// heading: the first word of each line (for options, the long name).
fn help_list(help: &str, heading: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty() && l.starts_with(' '))
        .filter_map(|l| {
            let l = l.trim_start();
            if heading == "Commands:" {
                l.split_whitespace().next().map(str::to_string)
            } else {
                l.split([' ', ','])
                    .find(|w| w.starts_with("--"))
                    .map(|w| w.split(['<', '=']).next().unwrap_or(w).to_string())
            }
        })
        .collect()
}

/// The commands of `cm` (`report outcomes` for a subcommand of `report`), as `--help` lists them.
fn commands(path: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("-h");
    let help = stdout(&cm(&args));
    let mut found = Vec::new();
    for name in help_list(&help, "Commands:") {
        if name == "help" {
            continue;
        }
        let mut command = path.to_vec();
        command.push(name);
        let nested = commands(&command);
        if nested.is_empty() {
            found.push(command);
        } else {
            found.extend(nested);
        }
    }
    found
}

/// Every command and subcommand of `cm --help` has its section in docs/commands.md, which names
/// each of its options; the global options have theirs.
#[test]
fn every_command_and_option_is_in_the_commands_page() {
    let page = read("docs/commands.md");
    let all = sections(&page);
    let commands = commands(&[]);
    assert!(commands.len() >= 13, "{commands:?}");
    for command in commands {
        let name = command.join(" ");
        let heading = format!("## `cm {name}`");
        let body = section(&all, &heading)
            .unwrap_or_else(|| panic!("docs/commands.md has no section `{heading}`"));
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("-h");
        let help = stdout(&cm(&args));
        for option in help_list(&help, "Options:") {
            if option == "--help" || option == "--version" {
                continue;
            }
            assert!(
                body.contains(&format!("`{option}")),
                "the section `{heading}` of docs/commands.md does not name `{option}`"
            );
        }
    }
    let global = section(&all, "## Global options").expect("a section `## Global options`");
    let help = stdout(&cm(&["-h"]));
    let options = help_list(&help, "Global options:");
    assert!(options.contains(&"--workspace".to_string()), "{options:?}");
    for option in options {
        assert!(
            global.contains(&format!("`{option}")),
            "`## Global options` of docs/commands.md does not name `{option}`"
        );
    }
}

/// Every table of cm.toml has its section in docs/settings.md, which names each of its keys.
#[test]
fn every_key_of_cm_toml_is_in_the_settings_page() {
    let page = read("docs/settings.md");
    let all = sections(&page);
    let section_of = |table: &str| {
        let names = [format!("`[{table}]`"), format!("`[[{table}]]`")];
        all.iter()
            .find(|(h, _)| heading_level(h).is_some() && names.iter().any(|n| h.ends_with(n)))
            .map(|(_, body)| body.as_str())
            .unwrap_or_else(|| panic!("docs/settings.md has no section for [{table}]"))
    };
    let tables = known_tables();
    for (table, keys) in tables {
        if table.is_empty() {
            // The keys of the top level are the tables themselves.
            for key in keys {
                section_of(key);
            }
            continue;
        }
        let body = section_of(table);
        for key in keys {
            assert!(
                body.contains(&format!("`{key}`")),
                "the section of [{table}] in docs/settings.md does not name `{key}`"
            );
        }
    }
}
