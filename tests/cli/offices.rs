//! Many offices, one picture: the listings and reports over several workspaces (`-C` more than
//! once, or `[federation]`), equal to the same over one workspace holding all their cases.

use std::path::{Path, PathBuf};

use super::generate::{Office, generate_as};
use super::{cm, stdout};

/// The offices of one organisation, generated with their own prefixes and staff.
const OFFICES: &[&str] = &["THR", "ISF", "MSH"];

/// Three generated offices, and a workspace holding all their cases under one cm.toml (the
/// first office's, with every office's roster).
struct Organisation {
    _dir: tempfile::TempDir,
    offices: Vec<PathBuf>,
    union: PathBuf,
}

fn organisation(n: usize) -> Organisation {
    let dir = tempfile::tempdir().unwrap();
    let union = dir.path().join("all");
    std::fs::create_dir_all(union.join("cases")).unwrap();
    let mut settings = String::new();
    let mut offices = Vec::new();
    for (seed, prefix) in OFFICES.iter().enumerate() {
        let office = dir.path().join(prefix.to_lowercase());
        generate_as(&office, n, seed as u64 + 1, None, &Office::new(prefix)).unwrap();
        let toml = std::fs::read_to_string(office.join("cm.toml")).unwrap();
        settings.push_str(match seed {
            0 => &toml,
            _ => &toml[toml.find("[[caseworkers]]").unwrap()..],
        });
        copy(&office.join("cases"), &union.join("cases"));
        offices.push(office);
    }
    std::fs::write(union.join("cm.toml"), settings).unwrap();
    Organisation {
        _dir: dir,
        offices,
        union,
    }
}

/// Copies the files under `from` into `to`, folders merged.
fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `cm` with `args`, which must succeed: its output, and what it said on standard error.
fn succeeds(args: &[&str]) -> (String, String) {
    let out = cm(args);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {said}");
    (stdout(&out), said)
}

/// [`succeeds`], of its output alone.
fn run(args: &[&str]) -> String {
    succeeds(args).0
}

/// [`succeeds`] of `cm` with `-C` for each of `workspaces`, then `args` and `--format csv`.
fn csv_said(workspaces: &[&Path], args: &[&str]) -> (String, String) {
    let mut all: Vec<&str> = Vec::new();
    for ws in workspaces {
        all.extend(["-C", ws.to_str().unwrap()]);
    }
    all.extend(args);
    all.extend(["--format", "csv"]);
    succeeds(&all)
}

/// [`csv_said`], of its output alone.
fn csv(workspaces: &[&Path], args: &[&str]) -> String {
    csv_said(workspaces, args).0
}

/// The CSV `text` without its first column, which must be `office`.
fn without_office(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let (office, rest) = line.split_once(',').unwrap();
            if i == 0 {
                assert_eq!(office, "office");
            }
            format!("{rest}\n")
        })
        .collect()
}

/// What every listing and report over the first half of 2026 is asked.
const ASKED: &[&[&str]] = &[
    &["list", "--as-of", "2026-06-30"],
    &["list", "--open", "--risk", "high"],
    &["overdue", "--as-of", "2026-06-30", "--within", "7"],
    &["report", "caseload", "--as-of", "2026-06-30"],
    &[
        "report",
        "outcomes",
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
        "--wide",
    ],
    &[
        "report",
        "referrals",
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
    ],
    &[
        "report",
        "indicators",
        "--from",
        "2026-01-01",
        "--to",
        "2026-06-30",
    ],
    &["report", "summary", "--month", "2026-06"],
];

#[test]
fn the_reports_over_three_offices_equal_those_over_one_workspace_of_all_their_cases() {
    let org = organisation(150);
    let offices: Vec<&Path> = org.offices.iter().map(PathBuf::as_path).collect();
    for args in ASKED {
        let union = csv(&[&org.union], args);
        let federated = csv(&offices, args);
        assert!(
            union.lines().count() > 2,
            "{args:?} has too little to compare"
        );
        // Rows per case or per caseworker say their office; the figures of a month do not.
        let federated = match federated.starts_with("office,") {
            true => without_office(&federated),
            false => federated,
        };
        assert_eq!(federated, union, "{args:?}");
    }
    // Each office's rows are its own.
    let list = csv(&offices, &["list"]);
    for line in list.lines().skip(1) {
        let (office, id) = line.split_once(',').unwrap();
        assert!(id.starts_with(&format!("{office}-")), "{line}");
    }
}

#[test]
fn a_federation_in_cm_toml_reads_its_offices_as_repeated_c_does() {
    let org = organisation(60);
    let province = org.union.parent().unwrap().join("province");
    std::fs::create_dir_all(&province).unwrap();
    std::fs::write(
        province.join("cm.toml"),
        "[workspace]\nname = \"Province\"\nid_prefix = \"PRV\"\n\n[federation]\nworkspaces = [\"../thr\", \"../isf\", \"../msh\"]\n",
    )
    .unwrap();
    let offices: Vec<&Path> = org.offices.iter().map(PathBuf::as_path).collect();
    for args in ASKED {
        assert_eq!(csv(&[&province], args), csv(&offices, args), "{args:?}");
    }
    // Its own name heads a table.
    let table = run(&[
        "-C",
        province.to_str().unwrap(),
        "report",
        "caseload",
        "--format",
        "table",
    ]);
    let title = table.lines().next().unwrap_or_default().to_string();
    assert!(title.starts_with("Province — caseload"), "{title}");
}

#[test]
fn offices_must_be_told_apart_and_one_workspace_commands_refuse_several() {
    let org = organisation(5);
    let thr = org.offices[0].to_str().unwrap();
    let out = cm(&[
        "-C", thr, "-C", thr, "report", "summary", "--month", "2026-06",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("both have id_prefix THR: each office needs its own"),
        "{err}"
    );
    let isf = org.offices[1].to_str().unwrap();
    for args in [
        &["validate"][..],
        &["show", "THR-2026-00001"],
        &["report", "duplicates"],
        &["advance", "THR-2026-00001"],
    ] {
        let mut all = vec!["-C", thr, "-C", isf];
        all.extend(args);
        let out = cm(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("-C is given 2 times, but this command works on one workspace"),
            "{args:?}: {err}"
        );
    }
    let mut args = vec!["-C", thr, "-C", isf, "report", "summary"];
    args.extend(["--month", "2026-06", "--record", "reports"]);
    let out = cm(&args);
    assert_eq!(out.status.code(), Some(2));
}

/// The rows of a CSV text, split at commas (the reports' cells hold none).
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

/// The figures `cm` said were not computed.
fn not_computed(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("cm: not computed, and left empty: "))
        .and_then(|l| l.split(" (").next())
        .map(|l| l.split(", ").map(String::from).collect())
        .unwrap_or_default()
}

#[test]
fn the_reports_from_three_offices_exports_equal_those_over_their_workspaces() {
    let org = organisation(150);
    let root = org.union.parent().unwrap().to_path_buf();
    let national = root.join("national");
    std::fs::create_dir_all(national.join("exports")).unwrap();
    std::fs::write(
        national.join("cm.toml"),
        "[workspace]\nname = \"National\"\n",
    )
    .unwrap();
    let mut files = Vec::new();
    // pseudonym -> id, from an export of the same cases with their ids.
    let mut ids = std::collections::HashMap::new();
    for (office, prefix) in org.offices.iter().zip(OFFICES) {
        let dir = office.to_str().unwrap();
        let export = |more: &[&str]| {
            let mut args = vec!["-C", dir, "export", "--redact", "--to", "behzisti"];
            args.extend(more);
            run(&args)
        };
        let pseudonymous = export(&[]);
        let named = export(&["--include", "id"]);
        let id = |line: &str| {
            let json: serde_json::Value = serde_json::from_str(line).unwrap();
            json["id"].as_str().unwrap().to_string()
        };
        let mut kept = std::collections::HashSet::new();
        for (p, n) in pseudonymous.lines().zip(named.lines()) {
            ids.insert(id(p), id(n));
            kept.insert(id(n));
        }
        // The offices' reports are over the cases their exports carry: those whose clients
        // consented to share with the organisation.
        for entry in walkdir::WalkDir::new(office.join("cases")) {
            let path = entry.unwrap().into_path();
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            if path.is_file() && !kept.contains(&stem) {
                std::fs::remove_file(&path).unwrap();
            }
        }
        let file = format!("exports/{}.jsonl", prefix.to_lowercase());
        std::fs::write(national.join(&file), pseudonymous).unwrap();
        files.push(file);
    }
    let offices: Vec<&Path> = org.offices.iter().map(PathBuf::as_path).collect();
    let period = ["--from", "2026-01-01", "--to", "2026-06-30"];
    let from_exports = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--from-export");
        all.extend(files.iter().map(String::as_str));
        csv_said(&[&national], &all)
    };
    // The figures of a period: each equal, or said not to be computed and empty.
    for args in [
        vec!["report", "summary", "--month", "2026-06"],
        [&["report", "indicators"][..], &period].concat(),
    ] {
        let (exported, said) = from_exports(&args);
        let unknown = not_computed(&said);
        assert!(!unknown.is_empty(), "{args:?}");
        let workspaces = rows(&csv(&offices, &args));
        let exported = rows(&exported);
        assert_eq!(exported.len(), workspaces.len(), "{args:?}");
        for (e, w) in exported.iter().zip(&workspaces) {
            assert_eq!(e[0], w[0]);
            if unknown.contains(&e[0]) {
                assert!(e[1..].iter().all(String::is_empty), "{e:?}");
            } else {
                assert_eq!(e, w, "{args:?}");
            }
        }
    }
    // Per case: the rows of the cases, by their ids; the age is not carried.
    let args = [&["report", "outcomes", "--wide"][..], &period].concat();
    let (exported, said) = from_exports(&args);
    assert_eq!(not_computed(&said), ["age_at_opening"]);
    let workspaces = rows(&csv(&offices, &args));
    // The domains' columns are in another order: alphabetical, the offices' lists not known.
    let at: Vec<usize> = workspaces[0]
        .iter()
        .map(|name| rows(&exported)[0].iter().position(|n| n == name).unwrap())
        .collect();
    let mut exported: Vec<Vec<String>> = rows(&exported)
        .into_iter()
        .map(|row| at.iter().map(|i| row[*i].clone()).collect())
        .collect();
    assert_eq!(exported[0], workspaces[0]);
    let (id, age) = (1, 5);
    assert_eq!(
        (&*exported[0][id], &*exported[0][age]),
        ("id", "age_at_opening")
    );
    for row in &mut exported[1..] {
        row[id] = ids[&row[id]].clone();
        row[age] = String::new();
    }
    exported.sort();
    let mut workspaces: Vec<Vec<String>> = workspaces.into_iter().collect();
    for row in &mut workspaces[1..] {
        row[age] = String::new();
    }
    workspaces.sort();
    assert!(workspaces.len() > 100);
    assert!(exported == workspaces, "the outcomes differ");
    // Per caseworker: those holding open cases, with their counts.
    let args = ["report", "caseload", "--as-of", "2026-06-30"];
    let (exported, said) = from_exports(&args);
    assert_eq!(
        not_computed(&said),
        ["overdue_items", "max_caseload", "over_max"]
    );
    let counts = |row: &Vec<String>| row[..8].to_vec();
    let workspaces: Vec<Vec<String>> = rows(&csv(&offices, &args))
        .iter()
        .filter(|r| r[3] != "0")
        .map(|r| {
            let mut r = counts(r);
            if r[1] != "caseworker" {
                r[2] = String::new(); // the roster's name
            }
            r
        })
        .collect();
    let exported: Vec<Vec<String>> = rows(&exported).iter().map(counts).collect();
    assert!(exported == workspaces, "the caseloads differ");
    // Per provider: every service together, the directory not being known.
    let args = [&["report", "referrals"][..], &period].concat();
    let (exported, said) = from_exports(&args);
    assert_eq!(not_computed(&said), ["answered_within_response_days"]);
    let total = |text: &str| {
        let mut row = rows(text).pop().unwrap();
        row.pop();
        row.remove(0);
        row
    };
    assert_eq!(total(&exported), total(&csv(&offices, &args)));
}

#[test]
fn a_case_moved_to_another_office_is_counted_once_by_the_office_that_holds_it() {
    let org = organisation(60);
    let (thr, isf) = (
        org.offices[0].to_str().unwrap(),
        org.offices[1].to_str().unwrap(),
    );
    let both = |args: &[&str]| {
        let mut all = vec!["-C", thr, "-C", isf];
        all.extend(args);
        all.extend(["--format", "csv"]);
        run(&all)
    };
    let asked: [&[&str]; 4] = [
        &["report", "summary", "--month", "2026-09"],
        &["report", "summary", "--month", "2026-10"],
        &[
            "report",
            "indicators",
            "--from",
            "2026-01-01",
            "--to",
            "2026-10-31",
        ],
        &[
            "report",
            "referrals",
            "--from",
            "2026-01-01",
            "--to",
            "2026-10-31",
        ],
    ];
    let before: Vec<String> = asked.iter().map(|a| both(a)).collect();
    let open = run(&["-C", thr, "list", "--open", "--format", "csv"]);
    let id = open
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let alone = |ws: &str, month: &str, metric: &str| -> i64 {
        let csv = run(&[
            "-C", ws, "report", "summary", "--month", month, "--format", "csv",
        ]);
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{metric},")))
            .unwrap();
        row.split(',').nth(1).unwrap().parse().unwrap()
    };
    let closed_here = alone(thr, "2026-10", "cases_closed.transferred");
    let open_there = alone(isf, "2026-10", "open_at_month_end");

    let transfer = [
        "-C",
        thr,
        "transfer",
        &id,
        "--office",
        isf,
        "--to",
        "isf.cw007",
        "--date",
        "2026-10-15",
        "--approved-by",
        "thr.sup01",
    ];
    // Seen first, then made: one line for each office.
    let shown = run(&[&transfer[..], &["--dry-run"]].concat());
    assert!(shown.contains("from_office: THR"), "{shown}");
    let said = run(&transfer);
    assert!(
        said.contains(&format!("{id}: THR ")) && said.contains("→ ISF isf.cw007"),
        "{said}"
    );
    for (ws, cases) in [(thr, 60), (isf, 61)] {
        assert_eq!(
            stdout(&cm(&["-C", ws, "validate", "--as-of", "2026-11-01"])),
            format!("checked {cases} cases: 0 errors, 0 warnings\n"),
            "{ws}"
        );
    }
    let there =
        std::fs::read_to_string(org.offices[1].join(format!("cases/{}/{id}.yaml", &id[4..8])))
            .unwrap();
    assert!(there.contains("from_office: THR") && there.contains("caseworker: isf.cw007"));

    // Over both offices nothing changed: the client is counted once, by the office holding it.
    for (args, before) in asked.iter().zip(&before) {
        assert_eq!(&both(args), before, "{args:?}");
    }
    let listed = |day: &str| -> Vec<String> {
        both(&["list", "--as-of", day])
            .lines()
            .filter(|l| l.contains(&id))
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed("2026-10-14"), ["THR"]);
    assert_eq!(listed("2026-10-15"), ["ISF"]);
    // Each office alone counts it while it was theirs.
    assert_eq!(
        alone(thr, "2026-10", "cases_closed.transferred"),
        closed_here + 1
    );
    assert_eq!(alone(isf, "2026-10", "open_at_month_end"), open_there + 1);
    assert_eq!(alone(isf, "2026-09", "open_at_month_end"), {
        let csv = run(&[
            "-C",
            isf,
            "list",
            "--as-of",
            "2026-09-30",
            "--open",
            "--format",
            "csv",
        ]);
        csv.lines().count() as i64 - 1
    });

    // Both offices' exports, the closure that names where the case went and the transfer that
    // names where it came from, pass the published format.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/export.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut moved = 0;
    for ws in [thr, isf] {
        let export = run(&["-C", ws, "export", "--redact", "--to", "behzisti"]);
        for line in export.lines() {
            let json: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                validator.is_valid(&json),
                "{ws}: a line fails the export schema"
            );
            moved += usize::from(line.contains("\"to_office\":\"ISF\""));
            moved += usize::from(line.contains("\"from_office\":\"THR\""));
        }
    }
    assert_eq!(moved, 2, "the moved case, in both exports");

    // Once moved, it is not moved again from here, nor into an office that holds it.
    let again = cm(&transfer);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is closed"));
    let other = open.lines().nth(2).unwrap().split(',').next().unwrap();
    let to_self = cm(&[
        "-C",
        thr,
        "transfer",
        other,
        "--office",
        thr,
        "--to",
        "thr.cw001",
    ]);
    assert_eq!(to_self.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&to_self.stderr).contains("THR is this office"));
}
