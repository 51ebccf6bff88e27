//! No personal value leaves the files under any key: personal keys misspelt at random in many
//! case files (`clinet:`, `extras:`, `notes:`, `strenghts:`, `nationl_id:`, a top-level
//! `phone:`), then every command that shows anything, in every format; none of the values under
//! those keys appears in anything `cm` prints, on standard output or standard error.

use std::path::Path;
use std::process::Output;

use super::{cm, sample_copy};

/// A small deterministic generator (xorshift): the same misspellings on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

/// The value written after `key:` on a line, without quotes or a trailing comment.
fn value_of(line: &str) -> Option<String> {
    let (_, value) = line.split_once(": ")?;
    let value = value.split(" #").next()?.trim();
    let value = value.trim_matches('"').trim_matches('\'');
    (value.chars().count() >= 6 && !value.starts_with(['{', '[', '|', '>']))
        .then(|| value.to_string())
}

/// Misspells personal keys of the case text at random; returns the new text and the values
/// now under unknown keys.
fn misspell(text: &str, dice: &mut Dice, n: usize) -> (String, Vec<String>) {
    let mut secrets = Vec::new();
    let mut out = Vec::new();
    let mut block = false;
    fn wrong(key: &str) -> &str {
        match key {
            "client" => "clinet",
            "extra" => "extras",
            "note" => "notes",
            "strengths" => "strenghts",
            "national_id" => "nationl_id",
            "phone" => "phnoe",
            "address" => "adress",
            _ => key,
        }
    }
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        // Inside a misspelt section, every value is under an unknown key now.
        if block {
            if indent > 0 {
                secrets.extend(value_of(line));
                out.push(line.to_string());
                continue;
            }
            block = false;
        }
        let key = line
            .trim_start()
            .trim_start_matches("- ")
            .split(':')
            .next()
            .unwrap_or("");
        let misspelt = wrong(key);
        if misspelt != key && dice.roll(3) == 0 {
            let line = line.replacen(&format!("{key}:"), &format!("{misspelt}:"), 1);
            block = indent == 0 && line.trim_end().ends_with(':');
            secrets.extend(value_of(&line));
            out.push(line);
        } else {
            out.push(line.to_string());
        }
    }
    // A personal value under a key the schema has never heard of, at the top.
    let phone = format!("+98 912 555 {n:04}");
    out.insert(2, format!("phone: \"{phone}\""));
    secrets.push(phone);
    (out.join("\n") + "\n", secrets)
}

fn all(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Everything every reading command prints about the workspace in `dir`.
fn every_output(dir: &Path, ids: &[String], with_personal: bool) -> Vec<(String, String)> {
    let d = dir.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["validate"],
        vec!["validate", "--format", "json"],
        vec!["export", "--redact", "--to", "behzisti"],
        vec!["export", "--redact", "--to", "emdad"],
        vec!["diff"],
        vec!["diff", "--format", "json"],
        vec!["report", "summary", "--month", "2026-10"],
        vec![
            "report", "summary", "--month", "2026-10", "--format", "html",
        ],
        vec![
            "report", "summary", "--month", "2026-10", "--format", "html", "--lang", "fa",
        ],
        vec!["report", "indicators", "--format", "html", "--lang", "fa"],
    ];
    for report in ["outcomes", "caseload", "referrals"] {
        for lang in ["en", "fa"] {
            runs.push(vec!["report", report, "--format", "html", "--lang", lang]);
        }
    }
    for format in ["table", "csv", "json"] {
        runs.push(vec!["list", "--format", format]);
        runs.push(vec!["overdue", "--within", "60", "--format", format]);
        runs.push(vec!["report", "outcomes", "--wide", "--format", format]);
        runs.push(vec!["report", "caseload", "--format", format]);
        runs.push(vec!["report", "referrals", "--format", format]);
        runs.push(vec!["report", "indicators", "--format", format]);
    }
    if with_personal {
        runs.push(vec![
            "list",
            "--include",
            "client.name",
            "--include",
            "client.national_id",
        ]);
        runs.push(vec![
            "diff",
            "--include",
            "client.phone",
            "--include",
            "note",
        ]);
        for id in ids {
            runs.push(vec!["show", id]);
            runs.push(vec!["review", id, "--date", "2026-10-31", "--dry-run"]);
            runs.push(vec!["advance", id, "--date", "2026-10-31", "--dry-run"]);
        }
    }
    runs.into_iter()
        .map(|args| {
            let mut full = vec!["-C", d];
            full.extend(&args);
            (args.join(" "), all(&cm(&full)))
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", all(&o));
}

/// A copy of the sample workspace, committed to a git repository of its own (for `cm diff`).
fn committed_sample() -> tempfile::TempDir {
    let ws = sample_copy();
    let dir = ws.path();
    let _ = std::fs::remove_dir_all(dir.join(".cm"));
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "the sample office"]);
    ws
}

#[test]
fn misspelt_personal_keys_never_show_their_values() {
    let ws = committed_sample();
    let dir = ws.path();
    let files: Vec<_> = walkdir::WalkDir::new(dir.join("cases"))
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let ids: Vec<String> = files
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    // What the untouched office shows anyway (a provider's town, a caseworker's id) is not a
    // secret of the misspelt keys.
    let shown_anyway: String = every_output(dir, &ids, false)
        .into_iter()
        .map(|(_, text)| text)
        .collect();

    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut secrets = Vec::new();
    for (n, file) in files.iter().enumerate() {
        if n % 5 == 4 {
            continue; // some cases stay as they were
        }
        let text = std::fs::read_to_string(file).unwrap();
        let (text, found) = misspell(&text, &mut dice, n);
        std::fs::write(file, text).unwrap();
        secrets.extend(found);
    }
    secrets.retain(|s| !shown_anyway.contains(s.as_str()));
    secrets.sort();
    secrets.dedup();
    assert!(
        secrets.len() >= 40,
        "too few values to look for: {secrets:?}"
    );

    let outputs = every_output(dir, &ids, true);
    for (command, text) in &outputs {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "`cm {command}` shows `{secret}`:\n{text}"
            );
        }
    }
    // The misspelt cases were read, and left out where the readers read them.
    let summary = &outputs
        .iter()
        .find(|(c, _)| c == "report summary --month 2026-10")
        .unwrap()
        .1;
    assert!(summary.contains("cases_left_out_invalid,20"), "{summary}");
}

/// Values that a list of personal keys would miss: what the schema's own rules say about a
/// personal value, a mapping where a plain value belongs, text typed where a key belongs.
#[test]
fn no_value_leaves_through_a_schema_rule_a_mapping_or_a_key() {
    let ws = committed_sample();
    let dir = ws.path();
    // The agency's schema limits names and notes, and refuses some phones.
    let schema_path = dir.join("schemas/case.schema.json");
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let defs = &mut schema["$defs"];
    defs["review"]["properties"]["note"]["maxLength"] = 20.into();
    defs["client"]["properties"]["name"]["maxLength"] = 5.into();
    defs["client"]["properties"]["phone"]["not"] = serde_json::json!({"pattern": "^\\+98"});
    std::fs::write(&schema_path, schema.to_string()).unwrap();
    let case = dir.join("cases/2026/THR-2026-0001.yaml");
    let text = std::fs::read_to_string(&case)
        .unwrap()
        .replacen("risk: ", "risk: {\"[0]\": SECRET-RISK}\nold_risk: ", 1)
        .replacen("  name: ", "  SECRET KEY 0041819098: x\n  name: ", 1)
        + "extra:\n  sw: {note: SECRET-EXTRA-NOTE}\nmodel: {\"[x]\": SECRET-MODEL}\n";
    std::fs::write(&case, text).unwrap();
    let secrets = ["SECRET", "0041819098", "+98 9", "Amir Hossein"];
    let d = dir.to_str().unwrap();
    let runs: &[&[&str]] = &[
        &["validate"],
        &["validate", "--format", "json"],
        &["list"],
        &["report", "summary", "--month", "2026-10"],
        &["diff"],
        &["diff", "--format", "json"],
        &["diff", "--include", "note"],
    ];
    for args in runs {
        let mut full = vec!["-C", d];
        full.extend(*args);
        let text = all(&cm(&full));
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "`cm {args:?}` shows `{secret}`:\n{text}"
            );
        }
    }
    let validate = all(&cm(&["-C", d, "validate"]));
    assert!(
        validate
            .contains("client.name breaks the schema's `maxLength` rule (the value is not shown)"),
        "{validate}"
    );
    assert!(
        validate.contains("unknown field `…` in client"),
        "{validate}"
    );
}

/// Text typed where an agency-named key belongs (a domain, a goal id) is named `…`; an edit that
/// will not replace a value (an alias of the client's mapping, an anchored one) does not quote it.
#[test]
fn keys_and_refused_values_are_not_quoted() {
    let ws = sample_copy();
    let d = ws.path().to_str().unwrap();
    let case = ws.path().join("cases/2026/THR-2026-0004.yaml");
    let text = std::fs::read_to_string(&case).unwrap();
    let scored = text.replacen(
        "    income: 1\n",
        "    income: 1\n    Leila Mousavi 0041819098: 3\n    \"09123058874\": 2\n",
        1,
    );
    assert_ne!(scored, text);
    std::fs::write(&case, &scored).unwrap();
    for args in [
        &["validate"][..],
        &["list"],
        &["review", "THR-2026-0004", "--score", "income=3"],
    ] {
        let mut full = vec!["-C", d];
        full.extend(args);
        let out = all(&cm(&full));
        assert!(out.contains("`…`"), "{args:?}: {out}");
        for secret in ["Leila", "0041819098", "09123058874"] {
            assert!(!out.contains(secret), "{args:?} shows {secret}: {out}");
        }
    }
    // The client's mapping under an anchor, and risk an alias of it: refused, nothing quoted.
    let aliased =
        text.replacen("client:\n", "client: &c\n", 1)
            .replacen("\nrisk: medium\n", "\n", 1)
            + "risk: *c\n";
    assert_ne!(aliased, text);
    std::fs::write(&case, &aliased).unwrap();
    let out = cm(&[
        "-C",
        d,
        "review",
        "THR-2026-0004",
        "--score",
        "income=3",
        "--risk",
        "high",
    ]);
    let err = all(&out);
    assert!(err.contains("risk is an alias (`*name`) of a value written elsewhere; write it on the line of its key (`risk: …`)"), "{err}");
    assert!(!err.contains("0044821999") && !err.contains("+98"), "{err}");
}

/// An alias cannot carry a personal value to a place whose values are shown: such a case does
/// not validate, so no reader and no export takes it.
#[test]
fn an_alias_carries_no_personal_value_out() {
    let ws = sample_copy();
    let d = ws.path().to_str().unwrap();
    let case = ws.path().join("cases/2026/THR-2026-0004.yaml");
    let text = std::fs::read_to_string(&case).unwrap();
    let name = text.lines().find(|l| l.starts_with("  name: ")).unwrap();
    let provider = text
        .lines()
        .find(|l| l.starts_with("    provider: "))
        .unwrap();
    let secret = name.trim_start_matches("  name: ").to_string();
    let aliased = text
        .replacen(name, &format!("  name: &n {secret}"), 1)
        .replacen(provider, "    provider: *n", 1);
    std::fs::write(&case, aliased).unwrap();
    let export = cm(&["-C", d, "export", "--redact", "--to", "behzisti"]);
    assert_eq!(export.status.code(), Some(1));
    let out = all(&export);
    assert!(
        out.contains("error[alias]: services[0].provider is an alias"),
        "{out}"
    );
    assert!(!out.contains(&secret), "{out}");
    let listed = all(&cm(&["-C", d, "report", "outcomes", "--format", "csv"]));
    assert!(!listed.contains("THR-2026-0004,"), "{listed}");
}
