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

/// `cm` with `-C` for each of `workspaces`, then `args` and `--format csv`: its output.
fn csv(workspaces: &[&Path], args: &[&str]) -> String {
    let mut all: Vec<&str> = Vec::new();
    for ws in workspaces {
        all.extend(["-C", ws.to_str().unwrap()]);
    }
    all.extend(args);
    all.extend(["--format", "csv"]);
    let out = cm(&all);
    assert_eq!(out.status.code(), Some(0), "{all:?}: {out:?}");
    stdout(&out)
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
    let out = cm(&[
        "-C",
        province.to_str().unwrap(),
        "report",
        "caseload",
        "--format",
        "table",
    ]);
    let title = stdout(&out).lines().next().unwrap_or_default().to_string();
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
