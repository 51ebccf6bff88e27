//! The user's reference in docs/ is held to what `cm` is: every diagnostic code, every command and
//! option, every key of cm.toml has its entry there; the table of codes follows `Code::ALL`; the
//! example of each code is its reproducer's exact output; and no Markdown file of the repository
//! links outside the repository, or to a file or a heading that is not there.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use cm_base::diagnostic::Code;
use cm_case::settings::known_tables;

use super::{GENERATED, cm, fixtures, stdout};

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
/// and no other.
#[test]
fn the_table_of_codes_is_every_code_in_order() {
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let listed = codes_in_table(&read("docs/diagnostics.md"));
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

/// Every page of docs/ is in the table of contents of the README and of docs/README.md.
#[test]
fn every_page_is_in_the_tables_of_contents() {
    let readme = read("README.md");
    let index = read("docs/README.md");
    let mut pages = 0;
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name == "README.md" {
            continue;
        }
        pages += 1;
        assert!(
            readme.contains(&format!("](docs/{name})")),
            "README.md does not link docs/{name}"
        );
        assert!(
            index.contains(&format!("]({name})")),
            "docs/README.md does not link {name}"
        );
    }
    assert!(pages >= 8, "{pages} pages in docs/");
}

/// Every Markdown file of the repository, by its path from the root (build output and hidden
/// folders left out).
fn markdown_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root())
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "target")
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// `text` without what is not prose: fenced code blocks, code spans and HTML comments (each
/// replaced by a space, so that the lines stay where they were).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if is_fence(line) {
            fenced = !fenced;
        } else if !fenced {
            out.push_str(line);
        }
        out.push('\n');
    }
    let mut text = out;
    while let Some(start) = text.find("<!--") {
        let end = text[start..]
            .find("-->")
            .map_or(text.len(), |e| start + e + 3);
        text.replace_range(start..end, " ");
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '`').count();
        let close = (i + run..chars.len()).find(|&j| {
            chars[j..].iter().take_while(|c| **c == '`').count() == run
                && (j == 0 || chars[j - 1] != '`')
        });
        match close {
            Some(j) => {
                out.push(' ');
                i = j + run;
            }
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// The targets of the links of a Markdown text: inline links and images `[text](target)` and
/// reference definitions `[name]: target`.
fn link_targets(text: &str) -> Vec<String> {
    let prose = prose(text);
    let mut targets = Vec::new();
    let mut rest = prose.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let mut depth = 0;
        let end = after
            .char_indices()
            .find(|&(_, c)| match c {
                '(' => {
                    depth += 1;
                    false
                }
                ')' if depth == 0 => true,
                ')' => {
                    depth -= 1;
                    false
                }
                _ => false,
            })
            .map_or(after.len(), |(i, _)| i);
        targets.push(after[..end].to_string());
        rest = &after[end..];
    }
    for line in prose.lines() {
        let line = line.trim_start();
        if let Some(close) = line.find("]:")
            && line.starts_with('[')
            && !line[1..close].contains(['[', ']'])
        {
            targets.push(line[close + 2..].to_string());
        }
    }
    targets
        .into_iter()
        .map(|t| {
            let t = t.trim();
            let t = t.strip_prefix('<').map_or(t, |t| t.trim_end_matches('>'));
            // A title after the target: `(path "title")`.
            t.split_whitespace().next().unwrap_or("").to_string()
        })
        .collect()
}

/// The anchors of the headings of a Markdown text, as GitHub makes them: lowercase, the
/// punctuation but `-` and `_` left out, spaces as `-`; a repeated one gets `-1`, `-2`, ….
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = BTreeSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if is_fence(line) {
            fenced = !fenced;
            continue;
        }
        let Some(level) = heading_level(line).filter(|_| !fenced) else {
            continue;
        };
        let title = line[level..].trim().trim_end_matches('#').trim();
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let n = seen.entry(slug.clone()).or_insert(0);
        anchors.insert(if *n == 0 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        });
        *n += 1;
    }
    anchors
}

/// Where `target`, a relative link in the file `from`, leads from the repository's root; `None`
/// when it climbs out of the repository.
fn resolve(from: &Path, target: &str) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    for part in from
        .parent()
        .unwrap_or(Path::new(""))
        .join(target)
        .components()
    {
        match part {
            Component::Normal(p) => path.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !path.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(path)
}

/// No Markdown file of the repository links outside it — no absolute path, no `../` above the
/// root, no `file:` address — and every relative link leads to a file that is there, and to a
/// heading of it that is there.
#[test]
fn markdown_links_stay_in_the_repository_and_lead_somewhere() {
    let files = markdown_files();
    assert!(
        files.iter().any(|f| f == Path::new("docs/commands.md")),
        "{files:?}"
    );
    let mut wrong = Vec::new();
    for file in &files {
        let text = read(&file.to_string_lossy());
        for target in link_targets(&text) {
            let shown = format!("{}: ({target})", file.display());
            let lower = target.to_lowercase();
            if lower.starts_with("https://")
                || lower.starts_with("http://")
                || lower.starts_with("mailto:")
            {
                continue;
            }
            if target.is_empty()
                || target.contains("://")
                || target.contains(':')
                || target.starts_with('/')
                || target.contains('\\')
            {
                wrong.push(format!(
                    "{shown}: not a relative link inside the repository"
                ));
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let resolved = if path.is_empty() {
                Some(file.clone())
            } else {
                resolve(file, path)
            };
            let Some(resolved) = resolved else {
                wrong.push(format!("{shown}: leads out of the repository"));
                continue;
            };
            let on_disk = root().join(&resolved);
            if !on_disk.exists() {
                wrong.push(format!("{shown}: no such file {}", resolved.display()));
                continue;
            }
            if !anchor.is_empty() && resolved.extension().is_some_and(|x| x == "md") {
                let anchors = anchors(&read(&resolved.to_string_lossy()));
                if !anchors.contains(anchor) {
                    wrong.push(format!(
                        "{shown}: no heading #{anchor} in {}",
                        resolved.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "links that lead nowhere or out:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_link_checker_reads_links_as_markdown_does() {
    let text = "See [a](b.md#c \"title\"), `[not](x.md)`, <!-- [no](y.md) -->\n\
                ```\n[no](z.md)\n```\n[ref]: ../w.md\n";
    assert_eq!(link_targets(text), ["b.md#c", "../w.md"]);
    assert_eq!(
        anchors(
            "# `cm diff`\n## Mistakes in `cm.toml`\n### Changes for scripts: `--format json`\n## A\n## A\n"
        ),
        BTreeSet::from([
            "a".to_string(),
            "a-1".to_string(),
            "changes-for-scripts---format-json".to_string(),
            "cm-diff".to_string(),
            "mistakes-in-cmtoml".to_string(),
        ])
    );
    assert_eq!(
        resolve(Path::new("docs/a.md"), "../README.md"),
        Some(PathBuf::from("README.md"))
    );
    assert_eq!(
        resolve(Path::new("docs/a.md"), "../../shared/DESIGN.md"),
        None
    );
}
